//! Documents whose text could not be read (`error`, `encrypted`, `no_text`) get no verdict
//! and nothing missing, in every report: a researcher's `groupby("verdict")` must not count
//! an unread file as a plan without borging. A PDF with only a few words on many pages is
//! read, but carries a note that it probably needs OCR.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn borging(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_borging"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
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

const PLAN: &str = "Het team evalueert de doelen jaarlijks in juni.\n";

#[test]
fn unreadable_documents_have_an_empty_verdict_and_nothing_missing_in_the_csv() {
    let bad = fixture("bad");
    let run = borging(&["scan", "--no-progress", bad.to_str().unwrap()]);
    assert!(run.status.success());
    let rows = rows(&run.stdout);
    let mut seen = BTreeMap::new();
    for row in &rows {
        let status = row["status"].as_str();
        *seen.entry(status.to_string()).or_insert(0) += 1;
        if status == "ok" {
            assert!(!row["verdict"].is_empty(), "{row:?}");
        } else {
            assert_eq!(row["verdict"], "", "{row:?}");
            assert_eq!(row["missing"], "", "{row:?}");
        }
    }
    for status in ["ok", "error", "encrypted", "no_text"] {
        assert!(
            seen.contains_key(status),
            "fixtures/bad has a {status} file"
        );
    }
}

#[test]
fn unreadable_documents_have_a_null_verdict_and_missing_in_jsonl() {
    let bad = fixture("bad");
    let run = borging(&[
        "scan",
        "--no-progress",
        "--format",
        "jsonl",
        bad.to_str().unwrap(),
    ]);
    assert!(run.status.success());
    for line in String::from_utf8(run.stdout).unwrap().lines() {
        let doc: serde_json::Value = serde_json::from_str(line).unwrap();
        if doc["status"] == "ok" {
            assert!(doc["verdict"].is_string(), "{doc}");
            assert!(doc["missing"].is_array(), "{doc}");
        } else {
            assert!(doc["verdict"].is_null(), "{doc}");
            assert!(doc["missing"].is_null(), "{doc}");
        }
    }
}

#[test]
fn explain_gives_no_verdict_for_an_encrypted_file() {
    let file = fixture("bad/wachtwoord.pdf");
    let run = borging(&["explain", file.to_str().unwrap()]);
    let out = String::from_utf8(run.stdout).unwrap();
    assert!(out.contains("no verdict"), "{out}");
    assert!(!out.lines().any(|l| l.starts_with("verdict:")), "{out}");
    assert!(!out.contains("missing"), "{out}");
}

#[test]
fn summary_shares_leave_unreadable_documents_out_and_count_them() {
    let dir = tempfile::tempdir().unwrap();
    let pilot = dir.path().join("pilot");
    std::fs::create_dir(&pilot).unwrap();
    std::fs::write(pilot.join("plan.txt"), PLAN).unwrap();
    std::fs::copy(fixture("bad/wachtwoord.pdf"), pilot.join("slot.pdf")).unwrap();
    std::fs::copy(fixture("bad/scan-zonder-tekst.pdf"), pilot.join("scan.pdf")).unwrap();
    let alleen = dir.path().join("alleen-scans");
    std::fs::create_dir(&alleen).unwrap();
    std::fs::copy(
        fixture("bad/scan-zonder-tekst.pdf"),
        alleen.join("scan.pdf"),
    )
    .unwrap();
    let summary = dir.path().join("pilots.csv");
    let run = borging(&[
        "scan",
        "--no-progress",
        "-o",
        "/dev/null",
        "--summary",
        summary.to_str().unwrap(),
        pilot.to_str().unwrap(),
        alleen.to_str().unwrap(),
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let rows = rows(&std::fs::read(&summary).unwrap());
    let by_group: BTreeMap<&str, &BTreeMap<String, String>> = rows
        .iter()
        .map(|r| {
            let name = Path::new(&r["group"])
                .file_name()
                .unwrap()
                .to_str()
                .unwrap();
            (name, r)
        })
        .collect();
    let pilot = by_group["pilot"];
    assert_eq!(pilot["documents"], "3");
    assert_eq!(pilot["unreadable"], "2");
    // Of the one readable document: 1 or 0, never a third.
    assert_eq!(pilot["evaluation_share"], "1.000", "{pilot:?}");
    for (column, share) in pilot.iter().filter(|(c, _)| c.ends_with("_share")) {
        assert!(share == "1.000" || share == "0.000", "{column} = {share}");
    }
    assert!(!pilot["verdict"].is_empty());
    let scans = by_group["alleen-scans"];
    assert_eq!(scans["unreadable"], "1");
    assert_eq!(scans["evaluation_share"], "", "{scans:?}");
    assert_eq!(scans["verdict"], "", "{scans:?}");
    assert_eq!(scans["missing"], "", "{scans:?}");
}

/// A PDF with one page per word: each page draws one word in Helvetica.
fn pdf_of_pages(words: &[&str]) -> Vec<u8> {
    let n = words.len();
    let mut objects: Vec<String> = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".into(),
        format!(
            "<< /Type /Pages /Count {n} /Kids [{}] >>",
            (0..n)
                .map(|i| format!("{} 0 R", 4 + 2 * i))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".into(),
    ];
    for (i, word) in words.iter().enumerate() {
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] \
             /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
            5 + 2 * i
        ));
        let content = format!("BT /F1 12 Tf 72 800 Td ({word}) Tj ET");
        objects.push(format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        ));
    }
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

#[test]
fn pdf_with_a_few_words_on_many_pages_carries_a_note_that_it_needs_ocr() {
    let dir = tempfile::tempdir().unwrap();
    let scan = dir.path().join("gescand.pdf");
    std::fs::write(
        &scan,
        pdf_of_pages(&["Schoolplan", "2", "3", "4", "5", "6"]),
    )
    .unwrap();
    let run = borging(&["scan", "--no-progress", scan.to_str().unwrap()]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let row = &rows(&run.stdout)[0];
    assert_eq!(row["status"], "ok");
    assert_eq!(row["pages"], "6");
    assert_eq!(
        row["error"],
        "little text for 6 pages: 6 words, probably scanned, needs OCR"
    );
    // Read, so judged on the little text there is.
    assert!(!row["verdict"].is_empty());

    let prose = fixture("schoolplan-libreoffice.pdf");
    let run = borging(&["scan", "--no-progress", prose.to_str().unwrap()]);
    assert_eq!(rows(&run.stdout)[0]["error"], "", "a text PDF gets no note");
}
