//! The one-row-per-document record that flows from the pipeline into the report.
//!
//! Every input document yields exactly one [`Outcome`], whatever happened to it; failure
//! is a [`Status`] with a reason, never a `Result` that could end the run.

use crate::extract::Format;
use crate::matcher::Hit;
use crate::score::Score;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// What became of a document. The names are the `status` column of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Status {
    /// Text was extracted (possibly from a repaired file) and matched.
    Ok,
    /// The document has pages but no text layer, e.g. a scan that needs OCR.
    NoText,
    /// A password is needed to read the document.
    Encrypted,
    /// The document could not be read; the reason is in [`Outcome::error`].
    Error,
    /// The per-document deadline expired; pages read until then were matched.
    Timeout,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Ok,
        Status::NoText,
        Status::Encrypted,
        Status::Error,
        Status::Timeout,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::NoText => "no_text",
            Status::Encrypted => "encrypted",
            Status::Error => "error",
            Status::Timeout => "timeout",
        }
    }

    /// Statuses that make `--strict` exit with 1.
    pub fn is_failure(self) -> bool {
        matches!(self, Status::Error | Status::Timeout)
    }
}

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
