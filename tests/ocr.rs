//! `--ocr` (issue 11): scanned pages read with Tesseract.
//!
//! The fixtures in `fixtures/scans/` are scans of our own Dutch texts made by
//! `scripts/make-scan-fixtures.sh`; their ground truth is in `tests/groundtruth/ocr/`, and
//! every one must come back with a word recall of at least 0.98 (the measure of
//! `extraction_quality`). A few hand-built PDFs pin one way of storing a scan each (a
//! stencil mask, a soft mask, an upside-down placement, an inline image), drawn from the
//! pixels of the clean fixture.
//!
//! Tesseract and its Dutch model come from the system (`.ci/run` installs them). Where
//! they are missing, the tests that need them print why and pass; the tests of what
//! happens without Tesseract run everywhere.

mod common;

use borging::extract::ocr::Engine;
use borging::extract::{Extraction, Options, extract_file};
use borging::outcome::Status;
use common::{recall, words};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

const MIN_RECALL: f64 = 0.98;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn scans() -> PathBuf {
    root().join("fixtures/scans")
}

fn truth(name: &str) -> String {
    let path = root()
        .join("tests/groundtruth/ocr")
        .join(format!("{name}.txt"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The engine, or `None` (with a message) when Tesseract or its Dutch model is missing.
fn engine() -> Option<Engine> {
    match Engine::detect("nld") {
        Ok(engine) => Some(engine),
        Err(why) => {
            eprintln!("skipped: Tesseract with the Dutch model is not installed ({why})");
            None
        }
    }
}

/// Options with OCR and a deadline that a slow CI machine meets.
fn ocr_options(engine: Engine) -> Options {
    Options {
        ocr: Some(engine),
        timeout: Duration::from_secs(300),
        ..Options::default()
    }
}

fn assert_recall(name: &str, truth_text: &str, text: &str, extraction: &Extraction) {
    let (got, missing) = recall(&words(truth_text), &words(text), 25);
    assert!(
        got >= MIN_RECALL,
        "{name}: word recall {got:.4} < {MIN_RECALL} (status {:?}, message {:?}); missing: {}",
        extraction.status,
        extraction.message,
        missing.join(" ")
    );
}

/// Extracts a one-page scan with OCR and checks the page, the note and the recall.
fn assert_scan_is_read(file: &Path, truth_name: &str) {
    let Some(engine) = engine() else { return };
    let label = engine.label();
    let extraction = extract_file(file, &ocr_options(engine));
    assert_eq!(extraction.status, Status::Ok, "{}", extraction.message);
    assert_eq!(extraction.pages.len(), 1);
    assert!(extraction.pages[0].ocr, "page 1 is marked as read by OCR");
    assert!(
        extraction
            .message
            .contains(&format!("ocr: 1 of 1 page ({label})")),
        "{}",
        extraction.message
    );
    assert_recall(
        truth_name,
        &truth(truth_name),
        &extraction.pages[0].text,
        &extraction,
    );
}

#[test]
fn clean_jpeg_scan_is_read_with_a_recall_of_98_percent() {
    assert_scan_is_read(
        &scans().join("aanvraag-jpeg-schoon.pdf"),
        "aanvraag-jpeg-schoon",
    );
}

#[test]
fn skewed_grey_jpeg_scan_at_150_dpi_is_read_with_a_recall_of_98_percent() {
    assert_scan_is_read(
        &scans().join("schoolplan-jpeg-scheef-150dpi.pdf"),
        "schoolplan-jpeg-scheef-150dpi",
    );
}

#[test]
fn ccitt_g4_bilevel_scan_is_read_with_a_recall_of_98_percent() {
    assert_scan_is_read(&scans().join("besluit-ccitt-g4.pdf"), "besluit-ccitt-g4");
}

#[test]
fn jpeg_stored_sideways_on_a_rotated_page_is_turned_upright_and_read() {
    assert_scan_is_read(
        &scans().join("besluit-jpeg-gedraaid.pdf"),
        "besluit-jpeg-gedraaid",
    );
}

#[test]
fn mixed_pdf_reads_its_scanned_page_and_keeps_its_text_pages_as_they_were() {
    let Some(engine) = engine() else { return };
    let file = scans().join("bundel-gemengd.pdf");
    let plain = extract_file(&file, &Options::default());
    let read = extract_file(&file, &ocr_options(engine));
    assert_eq!(plain.status, Status::Ok);
    assert_eq!(read.status, Status::Ok, "{}", read.message);
    assert_eq!(read.pages.len(), 3);
    assert!(plain.pages[1].text.trim().is_empty(), "page 2 is a scan");
    for i in [0, 2] {
        assert_eq!(read.pages[i], plain.pages[i], "text page {} changed", i + 1);
        assert!(!read.pages[i].ocr);
    }
    assert!(read.pages[1].ocr);
    assert!(
        read.message.contains("ocr: 1 of 3 pages"),
        "{}",
        read.message
    );
    assert_recall(
        "bundel-gemengd",
        &truth("bundel-gemengd"),
        &read.pages[1].text,
        &read,
    );
    for (i, name) in [(0, "bundel-gemengd-p1"), (2, "bundel-gemengd-p3")] {
        assert_recall(name, &truth(name), &read.pages[i].text, &read);
    }
}

// ---------------------------------------------------------------------------------------
// The command line
// ---------------------------------------------------------------------------------------

fn borging(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_borging"))
        .current_dir(root())
        .env("TMPDIR", dir)
        .args(args)
        .output()
        .unwrap()
}

fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

fn column(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

/// Files left in a folder (the temporary files of OCR must all be gone).
fn leftovers(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .flatten()
        .map(|e| e.path().to_path_buf())
        .collect()
}

#[test]
fn without_ocr_scans_are_no_text_and_the_note_says_ocr_could_read_them() {
    let out = tempfile::tempdir().unwrap();
    let docs = out.path().join("docs.csv");
    let evidence = out.path().join("evidence.csv");
    let run = borging(
        &[
            "scan",
            "fixtures/scans",
            "--no-progress",
            "-o",
            docs.to_str().unwrap(),
            "--evidence",
            evidence.to_str().unwrap(),
        ],
        out.path(),
    );
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let (header, rows) = read_csv(&docs);
    let (status, error) = (column(&header, "status"), column(&header, "error"));
    assert_eq!(rows.len(), 5);
    for row in &rows {
        if row[0].ends_with("bundel-gemengd.pdf") {
            assert_eq!(row[status], "ok");
            continue;
        }
        assert_eq!(row[status], "no_text", "{}", row[0]);
        assert!(
            row[error].contains("1 of 1 page is an image without text: --ocr could read it"),
            "{}: {}",
            row[0],
            row[error]
        );
    }
    let (evidence_header, evidence_rows) = read_csv(&evidence);
    let ocr = column(&evidence_header, "ocr");
    assert_eq!(ocr, evidence_header.len() - 1, "the new column comes last");
    assert!(!evidence_rows.is_empty());
    assert!(evidence_rows.iter().all(|r| r[ocr] == "false"));
}

#[test]
fn scan_with_ocr_reads_every_scan_flags_its_evidence_and_records_engine_and_deadline() {
    let Some(engine) = engine() else { return };
    let out = tempfile::tempdir().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let docs = out.path().join("docs.csv");
    let evidence = out.path().join("evidence.csv");
    let manifest = out.path().join("run.json");
    let run = borging(
        &[
            "scan",
            "fixtures/scans",
            "--ocr",
            "--no-progress",
            "-o",
            docs.to_str().unwrap(),
            "--evidence",
            evidence.to_str().unwrap(),
            "--manifest",
            manifest.to_str().unwrap(),
        ],
        tmp.path(),
    );
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let (header, rows) = read_csv(&docs);
    let (status, error) = (column(&header, "status"), column(&header, "error"));
    assert_eq!(rows.len(), 5);
    for row in &rows {
        assert_eq!(row[status], "ok", "{}: {}", row[0], row[error]);
        let pages = if row[0].ends_with("bundel-gemengd.pdf") {
            "1 of 3 pages"
        } else {
            "1 of 1 page"
        };
        assert!(
            row[error].contains(&format!("ocr: {pages} ({})", engine.label())),
            "{}: {}",
            row[0],
            row[error]
        );
    }
    // Evidence of the bundle: page 2 was read by OCR, pages 1 and 3 have text.
    let (evidence_header, evidence_rows) = read_csv(&evidence);
    let (page, ocr) = (
        column(&evidence_header, "page"),
        column(&evidence_header, "ocr"),
    );
    let bundle: Vec<&Vec<String>> = evidence_rows
        .iter()
        .filter(|r| r[0].ends_with("bundel-gemengd.pdf"))
        .collect();
    for expected_page in ["1", "2", "3"] {
        assert!(
            bundle.iter().any(|r| r[page] == expected_page),
            "no evidence on page {expected_page}"
        );
    }
    for row in &bundle {
        assert_eq!(row[ocr] == "true", row[page] == "2", "{row:?}");
    }
    let scanned_only: Vec<&Vec<String>> = evidence_rows
        .iter()
        .filter(|r| r[0].ends_with("besluit-ccitt-g4.pdf"))
        .collect();
    assert!(!scanned_only.is_empty());
    assert!(scanned_only.iter().all(|r| r[ocr] == "true"));
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&manifest).unwrap()).unwrap();
    let recorded = &manifest["options"]["ocr"];
    assert_eq!(recorded["engine"], "tesseract");
    assert_eq!(recorded["version"], engine.version.as_str());
    assert_eq!(recorded["language"], "nld");
    assert_eq!(
        manifest["options"]["timeout"], 300.0,
        "OCR has its own default deadline"
    );
    assert_eq!(leftovers(tmp.path()), Vec::<PathBuf>::new());
}

#[test]
fn ocr_without_tesseract_is_a_setup_error_with_the_install_command() {
    let out = tempfile::tempdir().unwrap();
    let docs = out.path().join("docs.csv");
    let run = Command::new(env!("CARGO_BIN_EXE_borging"))
        .current_dir(root())
        // No tesseract on this PATH.
        .env("PATH", out.path())
        .args(["scan", "fixtures/scans", "--ocr", "-o"])
        .arg(&docs)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("apt-get install tesseract-ocr tesseract-ocr-nld"),
        "{stderr}"
    );
    assert!(!docs.exists(), "nothing is written");
    for command in [&["extract"][..], &["explain"]] {
        let run = Command::new(env!("CARGO_BIN_EXE_borging"))
            .current_dir(root())
            .env("PATH", out.path())
            .args(command)
            .args(["fixtures/scans/besluit-ccitt-g4.pdf", "--ocr"])
            .output()
            .unwrap();
        assert_eq!(run.status.code(), Some(2), "{command:?}");
        assert!(
            String::from_utf8_lossy(&run.stderr).contains("apt-get install tesseract-ocr"),
            "{command:?}"
        );
    }
}

#[test]
fn ocr_with_a_missing_language_model_is_a_setup_error_naming_its_package() {
    if engine().is_none() {
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let run = borging(
        &["scan", "fixtures/scans", "--ocr", "--ocr-lang", "nld+qqq"],
        out.path(),
    );
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("no model for qqq"), "{stderr}");
    assert!(
        stderr.contains("apt-get install tesseract-ocr-qqq"),
        "{stderr}"
    );
    assert!(run.stdout.is_empty(), "no report was written");
}

#[test]
fn ocr_counts_against_the_timeout_and_leaves_no_temporary_files() {
    if engine().is_none() {
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let docs = out.path().join("docs.csv");
    let run = borging(
        &[
            "scan",
            "fixtures/scans/aanvraag-jpeg-schoon.pdf",
            "--ocr",
            "--timeout",
            "0.3",
            "--no-progress",
            "-o",
            docs.to_str().unwrap(),
        ],
        tmp.path(),
    );
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let (header, rows) = read_csv(&docs);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][column(&header, "status")], "timeout");
    assert!(
        rows[0][column(&header, "error")].contains("during OCR of page 1 of 1"),
        "{}",
        rows[0][column(&header, "error")]
    );
    assert_eq!(leftovers(tmp.path()), Vec::<PathBuf>::new());
}

#[test]
fn ocr_text_is_cached_apart_from_the_text_layer_and_served_again() {
    if engine().is_none() {
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let cache = out.path().join("cache");
    let file = "fixtures/scans/bundel-gemengd.pdf";
    let scan = |ocr: bool, name: &str| {
        let docs = out.path().join(name);
        let mut args = vec![
            "scan",
            file,
            "--no-progress",
            "--timeout",
            "300",
            "--cache",
            cache.to_str().unwrap(),
            "-o",
            docs.to_str().unwrap(),
        ];
        if ocr {
            args.push("--ocr");
        }
        let run = borging(&args, out.path());
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        std::fs::read_to_string(docs).unwrap()
    };
    // Extraction entries, not the cached hits under `findings/`.
    let entries = || {
        leftovers(&cache)
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .filter(|p| !p.starts_with(cache.join("findings")))
            .collect::<Vec<_>>()
    };
    let first = scan(true, "first.csv");
    assert_eq!(entries().len(), 1);
    let stored = std::fs::read_to_string(&entries()[0]).unwrap();
    assert!(stored.contains("\"ocr\":true"), "the OCR page is marked");
    let second = scan(true, "second.csv");
    assert_eq!(first, second);
    assert_eq!(
        entries().len(),
        1,
        "the second run was served from the cache"
    );
    let plain = scan(false, "plain.csv");
    assert_eq!(entries().len(), 2, "text without OCR is another entry");
    assert_ne!(plain, first);
}

#[test]
fn explain_with_ocr_marks_hits_on_pages_read_by_ocr() {
    if engine().is_none() {
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let run = borging(
        &[
            "explain",
            "fixtures/scans/bundel-gemengd.pdf",
            "--ocr",
            "--timeout",
            "300",
        ],
        out.path(),
    );
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let text = String::from_utf8_lossy(&run.stdout);
    let hit_lines: Vec<&str> = text
        .lines()
        .filter(|l| l.trim_start().starts_with("p. "))
        .collect();
    assert!(
        hit_lines
            .iter()
            .any(|l| l.contains("p. 2 ") && l.ends_with("(OCR)"))
    );
    assert!(
        hit_lines
            .iter()
            .filter(|l| !l.contains("p. 2 "))
            .all(|l| !l.contains("(OCR)")),
        "{text}"
    );
}

// ---------------------------------------------------------------------------------------
// Hand-built PDFs: one way of storing a scan each, from the clean fixture's pixels
// ---------------------------------------------------------------------------------------

/// The grey pixels of the clean fixture (200 dpi, A4): width, height, rows top down.
fn clean_pixels() -> (usize, usize, Vec<u8>) {
    let doc = lopdf::Document::load(scans().join("aanvraag-jpeg-schoon.pdf")).unwrap();
    let jpeg = doc
        .objects
        .values()
        .find_map(|o| {
            let s = o.as_stream().ok()?;
            (s.dict.get(b"Subtype").ok()?.as_name().ok()? == b"Image").then(|| s.content.clone())
        })
        .expect("the fixture has one image");
    let options = zune_jpeg::zune_core::options::DecoderOptions::default()
        .jpeg_set_out_colorspace(zune_jpeg::zune_core::colorspace::ColorSpace::Luma);
    let mut decoder = zune_jpeg::JpegDecoder::new_with_options(std::io::Cursor::new(jpeg), options);
    let grey = decoder.decode().unwrap();
    let (w, h) = decoder.dimensions().unwrap();
    assert_eq!(grey.len(), w * h, "a grey JPEG");
    (w, h, grey)
}

/// 1-bit rows, 1 where the grey is light (a stencil's "leave alone").
fn bilevel(w: usize, h: usize, grey: &[u8]) -> Vec<u8> {
    let row = w.div_ceil(8);
    let mut out = vec![0u8; row * h];
    for y in 0..h {
        for x in 0..w {
            if grey[y * w + x] >= 128 {
                out[y * row + x / 8] |= 0x80 >> (x % 8);
            }
        }
    }
    out
}

fn zlib(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut out = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    out.extend_from_slice(data);
    out.extend_from_slice(b"\nendstream");
    out
}

/// A one-page A4 PDF: catalog 1, pages 2, page 3, contents 4, then `extra` objects from 5.
fn one_page(content: &[u8], xobjects: &str, extra: Vec<Vec<u8>>) -> Vec<u8> {
    let mut objects: BTreeMap<u32, Vec<u8>> = BTreeMap::new();
    objects.insert(1, b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
    objects.insert(2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec());
    objects.insert(
        3,
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
             /Resources << /XObject << {xobjects} >> >> >>"
        )
        .into_bytes(),
    );
    objects.insert(4, stream("", content));
    for (i, body) in extra.into_iter().enumerate() {
        objects.insert(5 + i as u32, body);
    }
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (number, body) in &objects {
        offsets.push(out.len());
        out.extend_from_slice(format!("{number} 0 obj\n").as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", offsets.len() + 1).as_bytes(),
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

/// Writes `pdf`, reads it with OCR and checks the recall against the clean fixture's text.
fn assert_built_scan_is_read(name: &str, pdf: Vec<u8>) {
    let Some(engine) = engine() else { return };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("{name}.pdf"));
    std::fs::write(&path, pdf).unwrap();
    let without = extract_file(&path, &Options::default());
    assert_eq!(
        without.status,
        Status::NoText,
        "{name}: {}",
        without.message
    );
    let extraction = extract_file(&path, &ocr_options(engine));
    assert_eq!(
        extraction.status,
        Status::Ok,
        "{name}: {}",
        extraction.message
    );
    assert!(extraction.pages[0].ocr);
    assert_recall(
        name,
        &truth("aanvraag-jpeg-schoon"),
        &extraction.pages[0].text,
        &extraction,
    );
}

#[test]
fn stencil_mask_scan_is_read() {
    let (w, h, grey) = clean_pixels();
    let image = stream(
        &format!(
            "/Type /XObject /Subtype /Image /Width {w} /Height {h} /ImageMask true \
             /BitsPerComponent 1 /Filter /FlateDecode"
        ),
        &zlib(&bilevel(w, h, &grey)),
    );
    let pdf = one_page(
        b"q 0 g 595 0 0 842 0 0 cm /Im0 Do Q",
        "/Im0 5 0 R",
        vec![image],
    );
    assert_built_scan_is_read("stencil", pdf);
}

#[test]
fn text_in_a_soft_mask_over_a_plain_colour_is_read() {
    // As Word for Mac stores text set as a picture: a tiny image of one colour whose soft
    // mask holds the shapes of the letters.
    let (w, h, grey) = clean_pixels();
    let alpha: Vec<u8> = grey.iter().map(|g| 255 - g).collect();
    let colour = stream(
        "/Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceRGB \
         /BitsPerComponent 8 /SMask 6 0 R",
        &[20u8; 12],
    );
    let mask = stream(
        &format!(
            "/Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace /DeviceGray \
             /BitsPerComponent 8 /Filter /FlateDecode"
        ),
        &zlib(&alpha),
    );
    let pdf = one_page(
        b"q 595 0 0 842 0 0 cm /Im0 Do Q",
        "/Im0 5 0 R",
        vec![colour, mask],
    );
    assert_built_scan_is_read("soft-mask", pdf);
}

#[test]
fn image_stored_upside_down_and_placed_turned_is_read_upright() {
    let (w, h, grey) = clean_pixels();
    let reversed: Vec<u8> = grey.iter().rev().copied().collect();
    let image = stream(
        &format!(
            "/Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace /DeviceGray \
             /BitsPerComponent 8 /Filter /FlateDecode"
        ),
        &zlib(&reversed),
    );
    // The matrix turns the unit square half a turn: the page shows the text upright.
    let pdf = one_page(
        b"q -595 0 0 -842 595 842 cm /Im0 Do Q",
        "/Im0 5 0 R",
        vec![image],
    );
    assert_built_scan_is_read("upside-down", pdf);
}

#[test]
fn inline_image_scan_with_a_filter_chain_is_read() {
    let (w, h, grey) = clean_pixels();
    let hex: String = zlib(&bilevel(w, h, &grey))
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect();
    let mut content =
        format!("q 595 0 0 842 0 0 cm\nBI /W {w} /H {h} /BPC 1 /CS /G /F [/AHx /Fl]\nID\n")
            .into_bytes();
    content.extend_from_slice(hex.as_bytes());
    content.extend_from_slice(b">\nEI\nQ");
    assert_built_scan_is_read("inline", one_page(&content, "", Vec::new()));
}

/// An engine that is never started: these documents fail before Tesseract is needed, so
/// the tests run without it.
fn unused_engine() -> Options {
    Options {
        ocr: Some(Engine {
            program: "tesseract-is-not-run".into(),
            version: "0".into(),
            language: "nld".into(),
            jbig2dec: None,
        }),
        ..Options::default()
    }
}

#[test]
fn image_declared_at_billions_of_pixels_is_refused_with_a_reason() {
    let image = stream(
        "/Type /XObject /Subtype /Image /Width 60000 /Height 60000 /ColorSpace /DeviceGray \
         /BitsPerComponent 8 /Filter /FlateDecode",
        &zlib(&[0u8; 1000]),
    );
    let pdf = one_page(b"q 595 0 0 842 0 0 cm /Im0 Do Q", "/Im0 5 0 R", vec![image]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reus.pdf");
    std::fs::write(&path, pdf).unwrap();
    let extraction = extract_file(&path, &unused_engine());
    assert_eq!(extraction.status, Status::NoText);
    assert!(
        extraction.message.contains(
            "ocr could not read page 1: an image of 60000×60000 pixels is over the limit"
        ),
        "{}",
        extraction.message
    );
}

#[test]
fn jbig2_scan_without_jbig2dec_says_what_to_install() {
    // The JBIG2 data is never decoded: without jbig2dec the page is refused with a reason.
    let image = stream(
        "/Type /XObject /Subtype /Image /Width 2480 /Height 3508 /ImageMask true \
         /BitsPerComponent 1 /Filter /JBIG2Decode",
        b"\x00\x00\x00\x00",
    );
    let pdf = one_page(b"q 595 0 0 842 0 0 cm /Im0 Do Q", "/Im0 5 0 R", vec![image]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jbig2.pdf");
    std::fs::write(&path, pdf).unwrap();
    let extraction = extract_file(&path, &unused_engine());
    assert_eq!(extraction.status, Status::NoText);
    assert!(
        extraction
            .message
            .contains("ocr could not read page 1: a JBIG2 image needs jbig2dec"),
        "{}",
        extraction.message
    );
}
