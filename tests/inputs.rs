//! Which files a scan reads and how they are grouped: files that are not read are reported,
//! never silently left out; a flat ODT is read as ODT; summary groups count from each
//! folder given on the command line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
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

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

/// The first bytes of an OLE compound file, as Word 97-2003 writes a .doc.
const OLE: &[u8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\0\0\0\0\0\0\0\0";

#[test]
fn files_in_a_folder_that_are_not_read_are_counted_listed_and_fail_strict() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("aanvragen");
    std::fs::create_dir(&docs).unwrap();
    std::fs::write(docs.join("oud.doc"), OLE).unwrap();
    std::fs::write(docs.join("ook-oud.doc"), OLE).unwrap();
    std::fs::write(docs.join("dia.pptx"), b"PK\x03\x04").unwrap();
    let manifest = dir.path().join("run.json");
    let run = borging(&[
        "scan",
        text(&docs),
        "-o",
        "/dev/null",
        "--manifest",
        text(&manifest),
    ]);
    assert_eq!(run.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("0 documents")
            && stderr.contains("3 files skipped, not a format borging reads (2 .doc, 1 .pptx)"),
        "{stderr}"
    );
    let value: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&manifest).unwrap()).unwrap();
    let listed: Vec<&str> = value["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let expected: Vec<String> = ["dia.pptx", "ook-oud.doc", "oud.doc"]
        .iter()
        .map(|n| docs.join(n).display().to_string())
        .collect();
    assert_eq!(listed, expected);

    let strict = borging(&["scan", "--strict", text(&docs), "-o", "/dev/null"]);
    assert_eq!(strict.status.code(), Some(1), "skipped files fail --strict");
}

#[test]
fn an_old_word_file_named_on_the_command_line_is_an_error_row_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("aanvraag.doc");
    std::fs::write(&doc, OLE).unwrap();
    let run = borging(&["scan", text(&doc)]);
    assert!(run.status.success());
    let rows = rows(&run.stdout);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["status"], "error");
    assert!(
        rows[0]["error"].contains("old Office file") && rows[0]["error"].contains(".docx or PDF"),
        "{:?}",
        rows[0]["error"]
    );
}

#[test]
fn a_flat_odt_is_read_as_the_same_document_as_its_odt() {
    let extract = |name: &str| {
        let run = borging(&["extract", text(&fixture(name))]);
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        String::from_utf8(run.stdout).unwrap()
    };
    let flat = extract("office/subsidieaanvraag.fodt");
    assert!(
        flat.contains("Na afloop van de subsidie betaalt de school"),
        "{flat}"
    );
    assert_eq!(flat, extract("office/subsidieaanvraag.odt"));
    let run = borging(&["scan", text(&fixture("office/subsidieaanvraag.fodt"))]);
    let row = &rows(&run.stdout)[0];
    assert_eq!(
        (row["format"].as_str(), row["status"].as_str()),
        ("odt", "ok")
    );
}

/// Folders of pilots: `a` with a subfolder `2024`, and `b`.
fn pilots(root: &Path) -> PathBuf {
    let pilots = root.join("pm/pilots");
    for (name, body) in [
        ("a/plan.txt", "Het team evalueert de doelen jaarlijks.\n"),
        (
            "a/2024/verslag.txt",
            "De directie is eigenaar van het plan.\n",
        ),
        ("b/plan.txt", "Na afloop van de subsidie gaan we door.\n"),
    ] {
        let path = pilots.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, body).unwrap();
    }
    pilots
}

/// (group, documents) of a summary CSV.
fn groups(summary: &Path) -> Vec<(String, String)> {
    rows(&std::fs::read(summary).unwrap())
        .into_iter()
        .map(|r| (r["group"].clone(), r["documents"].clone()))
        .collect()
}

#[test]
fn summary_groups_count_from_the_folder_given_and_keep_a_pilot_with_its_subfolders() {
    let dir = tempfile::tempdir().unwrap();
    let pilots = pilots(dir.path());
    assert!(pilots.is_absolute());
    let summary = dir.path().join("pilots.csv");
    let scan = |extra: &[&str]| {
        let mut args = vec![
            "scan",
            text(&pilots),
            "-o",
            "/dev/null",
            "--summary",
            text(&summary),
        ];
        args.extend_from_slice(extra);
        let run = borging(&args);
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        groups(&summary)
    };
    let at = |rest: &str| pilots.join(rest).display().to_string();
    assert_eq!(
        scan(&[]),
        [(at("a"), "2".to_string()), (at("b"), "1".to_string())]
    );
    assert_eq!(
        scan(&["--group-depth", "2"]),
        [
            (at("a"), "1".to_string()),
            (at("a/2024"), "1".to_string()),
            (at("b"), "1".to_string())
        ]
    );
}

#[test]
fn summary_groups_of_a_dot_slash_folder_join_the_path_column() {
    let dir = tempfile::tempdir().unwrap();
    pilots(dir.path());
    let run = Command::new(env!("CARGO_BIN_EXE_borging"))
        .args([
            "scan",
            "./pm/pilots/",
            "-o",
            "docs.csv",
            "--summary",
            "pilots.csv",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let groups: Vec<String> = groups(&dir.path().join("pilots.csv"))
        .into_iter()
        .map(|(g, _)| g)
        .collect();
    assert_eq!(groups, ["./pm/pilots/a", "./pm/pilots/b"]);
    for doc in rows(&std::fs::read(dir.path().join("docs.csv")).unwrap()) {
        let path = &doc["path"];
        assert!(
            groups.iter().any(|g| path.starts_with(&format!("{g}/"))),
            "{path} is in none of {groups:?}"
        );
    }
}
