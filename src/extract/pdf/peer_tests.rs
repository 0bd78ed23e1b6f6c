//! One small PDF per kind of text loss that other readers' test suites showed (issue 13):
//! each test builds the file here, byte by byte where the damage is one lopdf's writer
//! would never produce, and checks one behaviour.

use super::*;

/// A PDF written by hand from object bodies (object `n` is `objects[n - 1]`), with a
/// correct cross-reference table, so that any damage is only what the bodies hold.
fn raw_pdf(objects: &[&[u8]]) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let table = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{table}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// A one-page PDF whose page draws content stream object 5 (`stream`, written whole,
/// dictionary and all) with Helvetica as `/F1`.
fn page_with_stream(stream: &[u8]) -> Vec<u8> {
    raw_pdf(&[
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 100] \
          /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        stream,
    ])
}

fn run(bytes: &[u8]) -> Extraction {
    extract(bytes, &Options::default())
}

fn text(extraction: &Extraction) -> String {
    let pages: Vec<&str> = extraction.pages.iter().map(|p| p.text.as_str()).collect();
    pages.join("\u{c}")
}

// Cause 1: stream length.

#[test]
fn content_stream_without_length_is_read_up_to_endstream_with_a_note() {
    let got = run(&page_with_stream(
        b"<< >>\nstream\nBT /F1 12 Tf 10 50 Td (Hallo wereld) Tj ET\nendstream",
    ));
    assert_eq!(got.status, Status::Ok, "{}", got.message);
    assert_eq!(text(&got), "Hallo wereld");
    assert!(got.message.contains("without /Length"), "{}", got.message);
}

#[test]
fn too_long_length_with_endstream_after_the_last_operator_is_repaired_with_a_note() {
    let got = run(&page_with_stream(
        b"<< /Length 90 >>\nstream\nBT /F1 12 Tf 10 50 Td (Hallo wereld) Tj ET endstream",
    ));
    assert_eq!(got.status, Status::Ok, "{}", got.message);
    assert_eq!(text(&got), "Hallo wereld");
    assert!(got.message.contains("wrong /Length"), "{}", got.message);
}
