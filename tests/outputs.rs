//! What the report files hold and how they are written: sentences as they stand in the
//! document, paths kept exact, file modes, symlinks, and messages about outputs.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

fn borging<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_borging"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// Rows of a CSV as column → cell maps.
fn rows(csv_text: &[u8]) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_reader(csv_text);
    let header = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            header
                .iter()
                .map(String::from)
                .zip(r.unwrap().iter().map(String::from))
                .collect()
        })
        .collect()
}

fn text(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn evidence_sentences_keep_the_marks_they_start_with() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("plan.txt");
    std::fs::write(
        &doc,
        "‘t Startnest evalueert de doelen jaarlijks. -10% uitval is het doel dat we \
         jaarlijks evalueren. +31 scholen evalueren het plan jaarlijks.\n",
    )
    .unwrap();
    let evidence = dir.path().join("bewijs.csv");
    let run = borging(&[
        "scan",
        text(&doc),
        "-o",
        "/dev/null",
        "--evidence",
        text(&evidence),
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let sentences: Vec<String> = rows(&std::fs::read(&evidence).unwrap())
        .into_iter()
        .map(|r| r["sentence"].clone())
        .collect();
    // Excel would run a cell that starts with - or + as a formula: guarded with a leading
    // quote, never by dropping the sign.
    for expected in [
        "‘t Startnest evalueert de doelen jaarlijks.",
        "'-10% uitval is het doel dat we jaarlijks evalueren.",
        "'+31 scholen evalueren het plan jaarlijks.",
    ] {
        assert!(
            sentences.iter().any(|s| s == expected),
            "{expected:?} in {sentences:?}"
        );
    }
}
