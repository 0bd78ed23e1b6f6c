//! Fuzz target "bytes → extracted pages": any input must come back as an `Extraction`
//! (whatever its status) without a panic, an abort, a hang or unbounded memory. libFuzzer
//! reports a panic as a crash, `-timeout` catches a hang and `-rss_limit_mb` a blow-up.

#![no_main]

use borging::extract::{Format, Options, extract_bytes};
use libfuzzer_sys::fuzz_target;
use std::time::Duration;

fuzz_target!(|data: &[u8]| {
    let options = Options {
        timeout: Duration::from_secs(2),
        ..Options::default()
    };
    let extraction = extract_bytes(data, Some(Format::Pdf), &options);
    // Pages are numbered 1, 2, … in order, whatever the input.
    for (i, page) in extraction.pages.iter().enumerate() {
        assert_eq!(page.number as usize, i + 1);
    }
});
