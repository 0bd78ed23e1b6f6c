//! PDF documents: lopdf reads the objects (cross-reference repair, decryption, filters);
//! this module decides the document's status and collects the text of every page.
//!
//! This first version uses lopdf's own text extraction per page. It is a placeholder for
//! our own content-stream interpreter, which replaces the body of [`pages`] and keeps the
//! signature of [`extract`].

// Used by the content-stream interpreter that replaces the placeholder below.
#[allow(dead_code)]
mod font;

use super::{Deadline, Extraction, Format, Options, Page};
use crate::outcome::Status;
use lopdf::{Document, LoadOptions};

/// Decompressed bytes allowed per stream; larger streams are treated as hostile.
const MAX_STREAM_BYTES: usize = 64 << 20;

pub fn extract(bytes: &[u8], options: &Options) -> Extraction {
    let deadline = Deadline::after(options.timeout);
    let mut load = LoadOptions::with_max_decompressed_size(MAX_STREAM_BYTES);
    load.password = options.password.clone();
    let doc = match Document::load_mem_with_options(bytes, load) {
        Ok(doc) => doc,
        Err(err) => return load_failure(&err),
    };
    if doc.is_encrypted() {
        // lopdf tries the empty user password itself; still encrypted means it failed.
        return Extraction::failed(
            Some(Format::Pdf),
            Status::Encrypted,
            "a password is needed to open this PDF (use --password)",
        );
    }
    let mut message = String::new();
    if doc.xref_recovery.is_some() {
        message.push_str("repaired: damaged cross-reference table rebuilt");
    }
    let (pages, timed_out) = pages(&doc, &deadline);
    let status = if timed_out {
        message = format!(
            "timed out after {} s; {} pages read",
            options.timeout.as_secs_f32(),
            pages.iter().filter(|p| !p.text.is_empty()).count()
        );
        Status::Timeout
    } else if pages.iter().all(|p| p.text.trim().is_empty()) {
        Status::NoText
    } else {
        Status::Ok
    };
    Extraction {
        format: Some(Format::Pdf),
        status,
        message,
        pages,
        sha256: String::new(),
    }
}

fn pages(doc: &Document, deadline: &Deadline) -> (Vec<Page>, bool) {
    let mut out = Vec::new();
    for (index, (&number, _)) in doc.get_pages().iter().enumerate() {
        if deadline.expired() {
            return (out, true);
        }
        let text = doc.extract_text(&[number]).unwrap_or_default();
        out.push(Page {
            number: index as u32 + 1,
            label: None,
            text,
        });
    }
    (out, false)
}

fn load_failure(err: &lopdf::Error) -> Extraction {
    use lopdf::Error as E;
    match err {
        E::InvalidPassword | E::Decryption(_) => Extraction::failed(
            Some(Format::Pdf),
            Status::Encrypted,
            "a password is needed to open this PDF (use --password)",
        ),
        other => Extraction::failed(
            Some(Format::Pdf),
            Status::Error,
            format!("unreadable PDF: {other}"),
        ),
    }
}
