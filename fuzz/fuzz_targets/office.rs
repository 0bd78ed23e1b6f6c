//! Fuzz target `office`: bytes named `.docx` and `.odt` (ZIP packages of XML). The
//! properties checked are in `../checks.rs` (shared with `tests/fuzz_regressions.rs`); a
//! panic, an abort, a hang (`-timeout`) or a memory blow-up (`-rss_limit_mb`) is a finding.

#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::office(data));
