//! `borging scan fixtures`: the bundled documents, made by real producers, each pinning a
//! behaviour (see fixtures/README). Good documents are `ok`, and every bad one gets the
//! status a user needs to see.

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

struct Scan {
    header: Vec<String>,
    rows: HashMap<String, Vec<String>>,
    evidence: Vec<Vec<String>>,
}

impl Scan {
    fn cell(&self, file: &str, column: &str) -> &str {
        let row = self
            .rows
            .get(file)
            .unwrap_or_else(|| panic!("no row for {file}"));
        let index = self.header.iter().position(|h| h == column).unwrap();
        &row[index]
    }
}

fn scan(extra: &[&str]) -> Scan {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let docs = out.path().join("docs.csv");
    let evidence = out.path().join("evidence.csv");
    let run = Command::new(env!("CARGO_BIN_EXE_borging"))
        .current_dir(root)
        .args(["scan", "fixtures", "-o"])
        .arg(&docs)
        .arg("--evidence")
        .arg(&evidence)
        .args(extra)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let mut reader = csv::Reader::from_path(&docs).unwrap();
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|r| {
            let r: Vec<String> = r.unwrap().iter().map(String::from).collect();
            (r[0].trim_start_matches("fixtures/").to_string(), r)
        })
        .collect();
    let evidence = csv::Reader::from_path(&evidence)
        .unwrap()
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    Scan {
        header,
        rows,
        evidence,
    }
}

fn documents_in(dir: &Path) -> usize {
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            n += documents_in(&path);
        } else if borging::extract::Format::from_extension(&path).is_some() {
            n += 1;
        }
    }
    n
}

#[test]
fn every_fixture_gets_one_row() {
    let result = scan(&[]);
    let expected = documents_in(&Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"));
    assert_eq!(result.rows.len(), expected);
}

#[test]
fn bad_fixtures_get_the_status_a_user_needs() {
    let result = scan(&[]);
    assert_eq!(
        result.cell("bad/scan-zonder-tekst.pdf", "status"),
        "no_text"
    );
    assert_eq!(result.cell("bad/wachtwoord.pdf", "status"), "encrypted");
    assert!(
        result
            .cell("bad/wachtwoord.pdf", "error")
            .contains("--password")
    );
    assert_eq!(result.cell("bad/leeg.pdf", "status"), "error");
    assert_eq!(result.cell("bad/html-als-pdf.pdf", "status"), "error");
    assert_eq!(
        result.cell("bad/html-als-pdf.pdf", "error"),
        "not a PDF: the file is an HTML page"
    );
    // Cut off at 60 %: whatever can be read is read, and the row says the file was damaged.
    let cut = result.cell("bad/afgebroken-60.pdf", "status");
    assert!(cut == "ok" || cut == "error", "{cut}");
    assert!(!result.cell("bad/afgebroken-60.pdf", "error").is_empty());
}

#[test]
fn owner_password_only_pdfs_open_without_a_password() {
    let result = scan(&[]);
    for file in [
        "eigenaarswachtwoord-aes256.pdf",
        "eigenaarswachtwoord-rc4.pdf",
    ] {
        assert_eq!(result.cell(file, "status"), "ok", "{file}");
        assert!(
            result.cell(file, "words").parse::<u32>().unwrap() > 50,
            "{file}"
        );
    }
}

#[test]
fn password_flag_opens_a_user_password_pdf() {
    let result = scan(&["--password", "geheim"]);
    assert_eq!(result.cell("bad/wachtwoord.pdf", "status"), "ok");
}

#[test]
fn good_fixtures_from_every_producer_are_ok_with_evidence() {
    let result = scan(&[]);
    for file in [
        "schoolplan-libreoffice.pdf",
        "pilotverslag-pdftex-2kol.pdf",
        "aanvraag-chromium-kolommen.pdf",
        "gemeenteverslag-ghostscript.pdf",
        "kwaliteitszorg-cultuur.md",
    ] {
        assert_eq!(result.cell(file, "status"), "ok", "{file}");
        assert!(
            result.cell(file, "goals_hits").parse::<u32>().unwrap() > 0,
            "{file}"
        );
    }
    assert_eq!(
        result.cell("schoolplan-libreoffice.pdf", "verdict"),
        "borging"
    );
}

/// Issue 4: a school that writes "er wordt niet geëvalueerd" has no evaluation evidence,
/// and the negated mention is shown in the evidence CSV.
#[test]
fn negated_evaluation_is_not_counted_but_shown_as_negated_evidence() {
    let result = scan(&[]);
    let file = "aanvraag-zonder-evaluatie.txt";
    assert_eq!(result.cell(file, "evaluation_hits"), "0");
    assert!(result.cell(file, "missing").contains("evaluation"));
    let negated: Vec<&Vec<String>> = result
        .evidence
        .iter()
        .filter(|r| r[0].ends_with(file) && r[2] == "evaluation")
        .collect();
    assert!(!negated.is_empty());
    assert!(negated.iter().all(|r| r[9] == "true"));
    assert!(negated.iter().any(|r| r[6] == "Er wordt niet geëvalueerd."));
    assert!(
        negated.iter().any(|r| r[5] == "evaluatie"),
        "the post-trigger `ontbreekt`"
    );
}
