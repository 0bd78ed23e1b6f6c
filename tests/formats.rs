//! Runs the `borging` binary on the office, RTF and HTML fixtures that LibreOffice made
//! (scripts/make-office-fixtures.sh) and on broken or renamed copies of them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/office")
        .join(name)
}

fn borging(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_borging"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// The pages `borging extract` prints for a file.
fn extract_pages(path: &Path) -> Vec<String> {
    let out = borging(&["extract", path.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .split('\u{c}')
        .map(String::from)
        .collect()
}

/// The rows of `borging scan` over the given paths, as column → value maps.
fn scan(paths: &[&Path]) -> Vec<HashMap<String, String>> {
    let mut args = vec!["scan", "--no-progress"];
    args.extend(paths.iter().map(|p| p.to_str().unwrap()));
    let out = borging(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let header = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            header
                .iter()
                .zip(r.iter())
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// Asserts that the pieces occur in `text` in this order.
fn assert_in_order(text: &str, pieces: &[&str]) {
    let mut from = 0;
    for piece in pieces {
        match text[from..].find(piece) {
            Some(at) => from += at + piece.len(),
            None => panic!("{piece:?} missing or out of order in:\n{text}"),
        }
    }
}

fn check_subsidy_application(pages: &[String]) {
    assert_eq!(pages.len(), 2, "the page break gives two pages: {pages:?}");
    assert_in_order(
        &pages[0],
        &[
            "Stichting Brede School Zuiderpark", // header, before the body
            "Aanvraag Leesoffensief",
            "Doelen",
            "De doelen zijn meetbaar",
            "De leesgroepen werken in blokken van zes weken.",
            "Taak | Verantwoordelijk | Wanneer",
            "Leesplan bijstellen | de leescoördinator | elk voorjaar",
            "Teamscholing | de directeur | augustus 2025",
        ],
    );
    assert!(pages[1].starts_with("Evaluatie en borging"), "{}", pages[1]);
    assert_in_order(
        &pages[1],
        &[
            "Na elk blok volgt een evaluatie",
            "de coördinator blijft verantwoordelijk",
            "Contactpersoon: mevrouw J. de Vries, projectcoördinator", // footer
            "Gemeten met de halfjaarlijkse leestoets",                 // footnote
        ],
    );
}

#[test]
fn docx_from_libreoffice_has_pages_tables_header_footer_and_footnote() {
    check_subsidy_application(&extract_pages(&fixture("subsidieaanvraag.docx")));
}

#[test]
fn odt_from_libreoffice_has_pages_tables_header_footer_and_footnote() {
    check_subsidy_application(&extract_pages(&fixture("subsidieaanvraag.odt")));
}

#[test]
fn rtf_from_libreoffice_has_pages_tables_header_footer_and_footnote() {
    let pages = extract_pages(&fixture("subsidieaanvraag.rtf"));
    assert_eq!(pages.len(), 2, "{pages:?}");
    assert_in_order(
        &pages[0],
        &[
            "Stichting Brede School Zuiderpark",
            "projectcoördinator",
            "Aanvraag Leesoffensief 2025–2027",
            "De doelen zijn meetbaar",
            "Gemeten met de halfjaarlijkse leestoets", // footnote, where it is cited
            "De leesgroepen werken",
            "Taak | Verantwoordelijk | Wanneer",
            "Leesplan bijstellen | de leescoördinator | elk voorjaar",
        ],
    );
    assert!(
        pages[1].trim_start().starts_with("Evaluatie en borging"),
        "{}",
        pages[1]
    );
    assert!(pages[1].contains("de coördinator blijft verantwoordelijk"));
}

#[test]
fn html_keeps_visible_text_only() {
    let pages = extract_pages(&fixture("schoolplan.html"));
    assert_eq!(pages.len(), 1);
    assert_in_order(
        &pages[0],
        &[
            "Schoolplan 2024–2028 van OBS De Wilgen",
            "Onze doelen voor rekenen en taal",
            "de intern begeleider is verantwoordelijk",
            "met het team & de MR.",
            "Doel | Eigenaar",
            "Begrijpend lezen | coördinator taal",
            "Na de pilot blijft de aanpak",
        ],
    );
    for hidden in [
        "titel die niet",
        "font-family",
        "scripttekst",
        "JavaScript",
        "sjabloontekst",
        "verborgen tekst",
    ] {
        assert!(
            !pages[0].contains(hidden),
            "{hidden:?} leaked:\n{}",
            pages[0]
        );
    }
}

#[test]
fn scan_reports_format_status_and_pages_of_each_fixture() {
    let rows = scan(&[&fixture("")]);
    let got: Vec<(String, &str, &str, &str)> = rows
        .iter()
        .map(|r| {
            let name = Path::new(&r["path"]).file_name().unwrap();
            (
                name.to_string_lossy().into_owned(),
                r["format"].as_str(),
                r["status"].as_str(),
                r["pages"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            // Made from the schoolplan source by scripts/make-fixtures.sh; the .docx
            // records no page break, the .odt does (soft page breaks).
            ("schoolplan-libreoffice.docx".into(), "docx", "ok", "1"),
            ("schoolplan-libreoffice.odt".into(), "odt", "ok", "2"),
            ("schoolplan.html".into(), "html", "ok", "1"),
            ("subsidieaanvraag.docx".into(), "docx", "ok", "2"),
            // The flat ODT that the other office fixtures are made from.
            ("subsidieaanvraag.fodt".into(), "odt", "ok", "2"),
            ("subsidieaanvraag.html".into(), "html", "ok", "1"),
            ("subsidieaanvraag.odt".into(), "odt", "ok", "2"),
            ("subsidieaanvraag.rtf".into(), "rtf", "ok", "2"),
        ]
    );
    let docx = &rows[1];
    assert!(docx["evaluation_pages"].contains('2'), "{docx:?}");
}

#[test]
fn renamed_files_are_read_by_their_content() {
    let dir = tempfile::tempdir().unwrap();
    let odt_named_docx = dir.path().join("aanvraag.docx");
    let docx_named_odt = dir.path().join("aanvraag.odt");
    let html_named_docx = dir.path().join("webpagina.docx");
    std::fs::copy(fixture("subsidieaanvraag.odt"), &odt_named_docx).unwrap();
    std::fs::copy(fixture("subsidieaanvraag.docx"), &docx_named_odt).unwrap();
    std::fs::copy(fixture("schoolplan.html"), &html_named_docx).unwrap();
    let rows = scan(&[dir.path()]);
    let formats: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["format"].as_str(), r["status"].as_str()))
        .collect();
    // Sorted by path: aanvraag.docx, aanvraag.odt, webpagina.docx.
    assert_eq!(formats, vec![("odt", "ok"), ("docx", "ok"), ("html", "ok")]);
    check_subsidy_application(&extract_pages(&odt_named_docx));
}

#[test]
fn broken_packages_are_error_rows_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let docx = std::fs::read(fixture("subsidieaanvraag.docx")).unwrap();
    let cut = dir.path().join("afgebroken.docx");
    std::fs::write(&cut, &docx[..docx.len() / 2]).unwrap();
    let zip_as_pdf = dir.path().join("eigenlijk-zip.pdf");
    std::fs::write(&zip_as_pdf, &docx).unwrap();
    let not_office = dir.path().join("foto-archief.odt");
    std::fs::write(&not_office, zip_without_main_part()).unwrap();

    let rows = scan(&[dir.path()]);
    let got: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["status"].as_str(), r["error"].as_str()))
        .collect();
    assert_eq!(got.len(), 3);
    for (status, _) in &got {
        assert_eq!(*status, "error");
    }
    assert!(got[0].1.starts_with("broken ZIP archive"), "{}", got[0].1);
    assert!(got[1].1.contains("not a PDF"), "{}", got[1].1);
    assert!(
        got[2]
            .1
            .contains("without word/document.xml or content.xml"),
        "{}",
        got[2].1
    );
    for (_, reason) in &got {
        assert!(!reason.contains('\n'));
    }
}

/// A valid ZIP archive that is no office document: the docx fixture with its main part
/// renamed in the local and central headers (same length, so offsets and CRCs stay valid).
fn zip_without_main_part() -> Vec<u8> {
    let docx = std::fs::read(fixture("subsidieaanvraag.docx")).unwrap();
    let needle = b"word/document.xml";
    let replacement = b"word/documenX.xml";
    let mut out = docx.clone();
    let mut i = 0;
    while i + needle.len() <= out.len() {
        if &out[i..i + needle.len()] == needle {
            out[i..i + needle.len()].copy_from_slice(replacement);
            i += needle.len();
        } else {
            i += 1;
        }
    }
    assert_ne!(out, docx, "the fixture names its main part");
    out
}
