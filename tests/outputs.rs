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
        // The extraction entry and the entry of its hits.
        let entries: Vec<_> = walkdir::WalkDir::new(&cache)
            .into_iter()
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
            .collect();
        assert_eq!(entries.len(), 2);
        for entry in &entries {
            assert_eq!(mode(entry.path()), expected, "umask {umask}: cache entry");
        }
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

/// Reverses the quoting of a file name in a report: `"…"` with `\xNN`, `\u{N}`, `\n`,
/// `\t`, `\r`, `\\` and `\"`; any other name is as written.
#[cfg(unix)]
fn file_name_bytes(cell: &str) -> Vec<u8> {
    let Some(inner) = cell.strip_prefix('"').and_then(|c| c.strip_suffix('"')) else {
        return cell.as_bytes().to_vec();
    };
    let mut out = Vec::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
            continue;
        }
        match chars.next().unwrap() {
            'x' => {
                let hex: String = chars.by_ref().take(2).collect();
                out.push(u8::from_str_radix(&hex, 16).unwrap());
            }
            'u' => {
                let hex: String = chars.by_ref().skip(1).take_while(|c| *c != '}').collect();
                let c = char::from_u32(u32::from_str_radix(&hex, 16).unwrap()).unwrap();
                out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
            }
            'n' => out.push(b'\n'),
            't' => out.push(b'\t'),
            'r' => out.push(b'\r'),
            other => out.push(other as u8),
        }
    }
    out
}

#[cfg(unix)]
#[test]
fn file_names_that_are_not_utf8_stay_traceable_in_every_report() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    // Latin-1 names, as an old Windows zip leaves them; two that UTF-8 would make alike.
    let names: [&[u8]; 2] = [b"co\xf6rdinator.txt", b"co\xf8rdinator.txt"];
    for name in names {
        std::fs::write(docs.join(OsStr::from_bytes(name)), "Het team evalueert.\n").unwrap();
    }
    let csv_out = dir.path().join("docs.csv");
    let manifest = dir.path().join("run.json");
    let run = Command::new(env!("CARGO_BIN_EXE_borging"))
        .current_dir(dir.path())
        .args(["scan", "docs", "-o", "docs.csv", "--manifest", "run.json"])
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let csv_paths: Vec<String> = rows(&std::fs::read(&csv_out).unwrap())
        .into_iter()
        .map(|r| r["path"].clone())
        .collect();
    assert_eq!(csv_paths[0], "\"docs/co\\xf6rdinator.txt\"");
    let value: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&manifest).unwrap()).unwrap();
    let jsonl = borging(&["scan", text(&docs), "--format", "jsonl"]);
    let jsonl_paths: Vec<String> = String::from_utf8(jsonl.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["path"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    for (i, name) in names.iter().enumerate() {
        let mut expected = b"docs/".to_vec();
        expected.extend_from_slice(name);
        assert_eq!(file_name_bytes(&csv_paths[i]), expected, "CSV");
        let in_manifest = value["inputs"][i]["path"].as_str().unwrap();
        assert_eq!(file_name_bytes(in_manifest), expected, "manifest");
        let mut absolute = docs.as_os_str().as_bytes().to_vec();
        absolute.push(b'/');
        absolute.extend_from_slice(name);
        assert_eq!(file_name_bytes(&jsonl_paths[i]), absolute, "JSONL");
        assert!(
            dir.path().join(OsStr::from_bytes(&expected)).is_file(),
            "names the file"
        );
    }
}
