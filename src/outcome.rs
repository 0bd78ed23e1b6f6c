//! The one-row-per-document record that flows from the pipeline into the report.
//!
//! Every input document yields exactly one [`Outcome`], whatever happened to it; failure
//! is a [`Status`] with a reason, never a `Result` that could end the run.

use crate::extract::Format;
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
}
