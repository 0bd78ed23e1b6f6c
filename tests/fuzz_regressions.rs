//! Every input the fuzz targets ever found (a crash, a hang, a memory blow-up, a broken
//! property) is kept under `fixtures/fuzz/<target>/` and runs here through the same checks
//! as in the fuzz run (`fuzz/checks.rs`), so a fixed bug stays fixed on a machine without
//! cargo-fuzz or a nightly compiler. The files have no document extension, so
//! `borging scan fixtures` passes them by.

#[path = "../fuzz/checks.rs"]
mod checks;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Time one input may take in this (unoptimised) test build: the fuzz runs call an input
/// that takes over 10 s in an optimised build a hang.
const SLOW: Duration = Duration::from_secs(30);

fn inputs(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/fuzz")
        .join(target);
    let mut inputs: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .collect(),
        Err(_) => Vec::new(),
    };
    inputs.sort();
    inputs
}

fn run_all(target: &str) {
    let inputs = inputs(target);
    eprintln!("{} regression inputs of fuzz target {target}", inputs.len());
    let mut failures = Vec::new();
    for input in &inputs {
        let bytes = std::fs::read(input).unwrap();
        let started = Instant::now();
        let result = std::panic::catch_unwind(|| checks::run(target, &bytes));
        let took = started.elapsed();
        if result.is_err() {
            failures.push(format!("{}: fails its checks (see above)", input.display()));
        } else if took > SLOW {
            failures.push(format!("{}: took {took:?}", input.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn fuzz_regressions_extract() {
    run_all("extract");
}

#[test]
fn fuzz_regressions_office() {
    run_all("office");
}

#[test]
fn fuzz_regressions_html() {
    run_all("html");
}

#[test]
fn fuzz_regressions_rtf() {
    run_all("rtf");
}

#[test]
fn fuzz_regressions_sniff() {
    run_all("sniff");
}

#[test]
fn fuzz_regressions_matcher() {
    run_all("matcher");
}

#[test]
fn every_regression_folder_is_a_fuzz_target() {
    // A folder named after no target would be skipped silently.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/fuzz");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            assert!(
                checks::TARGETS.contains(&name.as_str()),
                "fixtures/fuzz/{name}"
            );
        } else {
            assert_eq!(
                name, "README",
                "fixtures/fuzz/{name}: inputs go in a target's folder"
            );
        }
    }
}
