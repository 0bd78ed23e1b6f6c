//! The one-row-per-document record that flows from the pipeline into the report.
//!
//! Every input document yields exactly one [`Outcome`], whatever happened to it; failure
//! is a [`Status`] with a reason, never a `Result` that could end the run.

use crate::extract::{Extraction, Format};
use crate::matcher::Hit;
use crate::score::Score;
use std::path::PathBuf;

// Status is shared with extraction, which sits below this module; it is re-exported here
// because the report speaks of an outcome's status.
pub use crate::status::Status;

/// The result of processing one document.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The path as discovered (what the user typed, joined with the walked names).
    pub path: PathBuf,
    /// Detected format; `None` when the file could not even be read.
    pub format: Option<Format>,
    pub status: Status,
    /// A one-line reason for `error`, `encrypted` and `timeout`, or a note such as
    /// "repaired: cross-reference table rebuilt" for a readable but damaged file.
    pub error: String,
    /// SHA-256 of the file's bytes (hex), empty when it could not be read.
    pub sha256: String,
    pub pages: u32,
    pub words: u64,
    pub hits: Vec<Hit>,
    pub score: Score,
    /// Pages whose text OCR read (`--ocr`), ascending: their evidence is flagged.
    pub ocr_pages: Vec<u32>,
}

impl Outcome {
    /// Whether the text of page `number` came from OCR.
    pub fn is_ocr_page(&self, number: u32) -> bool {
        self.ocr_pages.binary_search(&number).is_ok()
    }
}

/// Fewer words than this per page, on average, and a PDF is most likely scanned pages with
/// a few words of text layer (a header, a page number, a scanner's stamp). Pages of prose
/// hold hundreds of words and slides dozens; the scanned documents in our test corpus have
/// at most ten.
pub const FEW_WORDS_PER_PAGE: u64 = 20;

/// A note for a readable PDF with so little text for its pages that most of it is likely
/// an image: its counts cover only the few words that are text, and OCR would read the rest.
/// Not when the little text has another cause the message already gives: a limit that cut
/// the pages short, or OCR that has read them.
pub fn little_text_note(extraction: &Extraction, words: u64) -> Option<String> {
    let pages = extraction.pages.len() as u64;
    let explained =
        extraction.message.contains("truncated") || extraction.pages.iter().any(|p| p.ocr);
    let few = words < FEW_WORDS_PER_PAGE * pages;
    let note = extraction.format == Some(Format::Pdf)
        && extraction.status == Status::Ok
        && pages > 0
        && words > 0
        && few
        && !explained;
    note.then(|| {
        format!(
            "little text for {}: {}, probably scanned, needs OCR",
            crate::plural::count(pages, "page"),
            crate::plural::count(words, "word")
        )
    })
}

/// Adds a note to a message, `; ` between them.
pub fn with_note(message: String, note: Option<String>) -> String {
    match note {
        None => message,
        Some(note) if message.is_empty() => note,
        Some(note) => format!("{message}; {note}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Page;

    /// A PDF extraction of `pages` pages, with `message`.
    fn pdf(status: Status, pages: u32, message: &str) -> Extraction {
        Extraction {
            format: Some(Format::Pdf),
            status,
            message: message.into(),
            pages: (1..=pages)
                .map(|number| Page {
                    number,
                    ..Page::default()
                })
                .collect(),
            sha256: String::new(),
        }
    }

    #[test]
    fn a_pdf_with_a_few_words_on_many_pages_is_probably_scanned() {
        let note = little_text_note(&pdf(Status::Ok, 12, ""), 40).unwrap();
        assert_eq!(
            note,
            "little text for 12 pages: 40 words, probably scanned, needs OCR"
        );
        assert_eq!(
            little_text_note(&pdf(Status::Ok, 1, ""), 1).unwrap(),
            "little text for 1 page: 1 word, probably scanned, needs OCR"
        );
    }

    #[test]
    fn text_pages_short_texts_and_other_formats_get_no_scan_note() {
        assert_eq!(little_text_note(&pdf(Status::Ok, 12, ""), 3000), None);
        assert_eq!(little_text_note(&pdf(Status::Ok, 2, ""), 40), None);
        let mut text = pdf(Status::Ok, 1, "");
        text.format = Some(Format::Text);
        assert_eq!(little_text_note(&text, 5), None);
        assert_eq!(little_text_note(&pdf(Status::NoText, 3, ""), 0), None);
        assert_eq!(little_text_note(&pdf(Status::Error, 0, ""), 0), None);
    }

    #[test]
    fn little_text_with_a_known_cause_gets_no_scan_note() {
        let cut = pdf(Status::Ok, 2, "truncated: glyph limit reached on 2 pages");
        assert_eq!(little_text_note(&cut, 3), None);
        let mut read = pdf(Status::Ok, 3, "ocr: 3 of 3 pages");
        read.pages[0].ocr = true;
        assert_eq!(little_text_note(&read, 10), None);
    }

    #[test]
    fn notes_join_an_existing_message() {
        assert_eq!(with_note(String::new(), Some("b".into())), "b");
        assert_eq!(with_note("a".into(), Some("b".into())), "a; b");
        assert_eq!(with_note("a".into(), None), "a");
    }
}
