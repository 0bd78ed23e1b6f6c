//! What became of a document: the `status` column of the report. A leaf module, because
//! extraction decides most statuses and the outcome, cache and report all speak of them.

use serde::{Deserialize, Serialize};

/// What became of a document. The names are the `status` column of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Status {
    /// Text was extracted (possibly from a repaired file) and matched.
    Ok,
    /// The document has pages but no text layer, e.g. a scan that needs OCR.
    NoText,
    /// A password is needed to read the document.
    Encrypted,
    /// The document could not be read; the reason is in the outcome's `error` (the extraction's `message`).
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

    /// Statuses under which text was read and matched: a timeout keeps the pages read
    /// before it. The others leave nothing to judge a document by.
    pub fn has_text(self) -> bool {
        matches!(self, Status::Ok | Status::Timeout)
    }

    /// Statuses that make `--strict` exit with 1.
    pub fn is_failure(self) -> bool {
        matches!(self, Status::Error | Status::Timeout)
    }
}
