//! The PDF limits a user can set on the command line reach the engine: each flag, set low,
//! cuts a real fixture short and the message says which bound it hit.

use std::process::{Command, Output};

fn borging(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_borging"))
        .args(args)
        .output()
        .expect("the binary runs")
}

const PDF: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/fixtures/schoolplan-libreoffice.pdf"
);

fn stderr_of(args: &[&str]) -> String {
    let run = borging(args);
    String::from_utf8_lossy(&run.stderr).into_owned()
}

#[test]
fn defaults_read_the_fixture_without_a_limit_note() {
    let run = borging(&["extract", PDF]);
    assert!(run.status.success());
    assert!(!String::from_utf8_lossy(&run.stderr).contains("limit"));
}

#[test]
fn max_operators_truncates_pages() {
    let err = stderr_of(&["extract", "--max-operators", "50", PDF]);
    assert!(err.contains("operator limit reached"), "{err}");
}

#[test]
fn max_glyphs_truncates_pages() {
    let err = stderr_of(&["extract", "--max-glyphs", "10", PDF]);
    assert!(err.contains("glyph limit reached"), "{err}");
}

/// A PDF whose pages each draw one word in a content stream padded to `kib` KiB.
fn padded_pdf(pages: usize, kib: usize) -> tempfile::NamedTempFile {
    use lopdf::{Document, Object, Stream, dictionary};
    let mut doc = Document::with_version("1.5");
    let tree = doc.new_object_id();
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let mut kids = Vec::new();
    for n in 0..pages {
        let mut content = format!("BT /F1 12 Tf 72 700 Td (pagina{n}) Tj ET\n").into_bytes();
        while content.len() < kib << 10 {
            content.extend_from_slice(b"% opvulling\n");
        }
        let contents = doc.add_object(Stream::new(dictionary! {}, content));
        kids.push(Object::from(doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => tree, "Contents" => contents,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
        })));
    }
    doc.objects.insert(
        tree,
        Object::Dictionary(
            dictionary! { "Type" => "Pages", "Count" => pages as i64, "Kids" => kids },
        ),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => tree });
    doc.trailer.set("Root", catalog);
    let file = tempfile::Builder::new().suffix(".pdf").tempfile().unwrap();
    doc.save(file.path()).unwrap();
    file
}

#[test]
fn max_stream_mib_cuts_off_a_larger_content_stream() {
    let pdf = padded_pdf(1, 1536);
    let path = pdf.path().to_str().unwrap();
    let run = borging(&["extract", path]);
    assert_eq!(String::from_utf8_lossy(&run.stdout).trim(), "pagina0");
    let err = stderr_of(&["extract", "--max-stream-mib", "1", path]);
    assert!(err.contains("decompression limit reached"), "{err}");
}

#[test]
fn max_document_mib_stops_the_pages_after_the_budget() {
    let pdf = padded_pdf(3, 600);
    let path = pdf.path().to_str().unwrap();
    let run = borging(&["extract", "--max-document-mib", "1", path]);
    let text = String::from_utf8_lossy(&run.stdout);
    assert!(
        text.contains("pagina0") && !text.contains("pagina2"),
        "{text}"
    );
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        err.contains("decompression limit reached on 2 pages"),
        "{err}"
    );
}

#[test]
fn zero_limits_are_refused_as_setup_errors() {
    for flag in [
        "--max-stream-mib",
        "--max-document-mib",
        "--max-operators",
        "--max-glyphs",
    ] {
        let run = borging(&["extract", flag, "0", PDF]);
        assert_eq!(run.status.code(), Some(2), "{flag} 0 is a setup error");
        let err = String::from_utf8_lossy(&run.stderr);
        assert!(err.contains(flag), "{err}");
    }
}

#[test]
fn limits_apply_to_scan_and_explain_too() {
    let out = borging(&["scan", "--max-operators", "50", PDF]);
    let csv = String::from_utf8_lossy(&out.stdout);
    assert!(csv.contains("operator limit reached"), "{csv}");
    let out = borging(&["explain", "--max-operators", "50", PDF]);
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(all.contains("operator limit reached"), "{all}");
}
