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
