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

/// Runs borging under a umask (through `sh`, as a user's shell would set it).
#[cfg(unix)]
fn borging_with_umask(umask: &str, args: &[&str]) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!("umask {umask}; exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_borging"))
        .args(args)
        .output()
        .expect("sh runs")
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
fn plan(dir: &Path) -> std::path::PathBuf {
    let doc = dir.join("plan.txt");
    std::fs::write(&doc, "Het team evalueert de doelen jaarlijks.\n").unwrap();
    doc
}

#[cfg(unix)]
#[test]
fn new_output_and_cache_files_get_the_mode_the_umask_allows() {
    for (umask, expected) in [("022", 0o644), ("002", 0o664), ("077", 0o600)] {
        let dir = tempfile::tempdir().unwrap();
        let doc = plan(dir.path());
        let out = dir.path().join("uit.csv");
        let evidence = dir.path().join("bewijs.csv");
        let cache = dir.path().join("cache");
        let run = borging_with_umask(
            umask,
            &[
                "scan",
                text(&doc),
                "-o",
                text(&out),
                "--evidence",
                text(&evidence),
                "--cache",
                text(&cache),
            ],
        );
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        assert_eq!(mode(&out), expected, "umask {umask}: report");
        assert_eq!(mode(&evidence), expected, "umask {umask}: evidence");
        let entries: Vec<_> = walkdir::WalkDir::new(&cache)
            .into_iter()
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
            .collect();
        assert_eq!(entries.len(), 1);
        assert_eq!(
            mode(entries[0].path()),
            expected,
            "umask {umask}: cache entry"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_replaced_output_keeps_its_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let doc = plan(dir.path());
    let out = dir.path().join("uit.csv");
    for kept in [0o664, 0o640] {
        std::fs::write(&out, "oud\n").unwrap();
        std::fs::set_permissions(&out, std::fs::Permissions::from_mode(kept)).unwrap();
        let run = borging_with_umask("077", &["scan", text(&doc), "-o", text(&out)]);
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        assert!(std::fs::read_to_string(&out).unwrap().starts_with("path,"));
        assert_eq!(mode(&out), kept);
    }
}

#[cfg(unix)]
#[test]
fn output_to_a_symlink_writes_its_target_and_keeps_the_link() {
    let dir = tempfile::tempdir().unwrap();
    let doc = plan(dir.path());
    let real = dir.path().join("rapporten");
    std::fs::create_dir(&real).unwrap();
    std::fs::write(real.join("uit.csv"), "oud\n").unwrap();
    let link = dir.path().join("link.csv");
    std::os::unix::fs::symlink("rapporten/uit.csv", &link).unwrap();
    let run = borging(&["scan", text(&doc), "-o", text(&link)]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(real.join("uit.csv"))
            .unwrap()
            .starts_with("path,")
    );
}

#[cfg(unix)]
#[test]
fn output_to_a_dangling_symlink_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let doc = plan(dir.path());
    let link = dir.path().join("link.csv");
    std::os::unix::fs::symlink("weg/uit.csv", &link).unwrap();
    let run = borging(&["scan", text(&doc), "-o", text(&link)]);
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("symbolic link to a file that does not exist"),
        "{stderr}"
    );
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn output_in_a_missing_folder_names_that_folder() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("plan.txt");
    std::fs::write(&doc, "Het team evalueert.\n").unwrap();
    let missing = dir.path().join("bestaat-niet");
    let run = borging(&["scan", text(&doc), "-o", text(&missing.join("uit.csv"))]);
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains(&format!("the folder {} does not exist", missing.display())),
        "{stderr}"
    );
    assert!(
        !stderr.contains(".borging-"),
        "an internal temp file: {stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}
