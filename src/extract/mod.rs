//! Turns one input file into pages of text.
//!
//! The format is decided by the file's content, not only its name: a `.pdf` that is really
//! an HTML page is reported as such instead of being fed to the PDF parser. Each format
//! module returns an [`Extraction`]; none of them returns a `Result`, because a broken
//! document is a status in the report, not an error of the run.

mod docx;
mod html;
pub mod ocr;
mod odt;
mod office;
pub mod pdf;
mod rtf;
mod text;

use crate::status::Status;
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::time::{Duration, Instant};

/// Input formats the tool reads. The names are the `format` column of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Format {
    Pdf,
    Text,
    Markdown,
    Docx,
    Odt,
    Html,
    Rtf,
}

impl Format {
    pub const ALL: [Format; 7] = [
        Format::Pdf,
        Format::Text,
        Format::Markdown,
        Format::Docx,
        Format::Odt,
        Format::Html,
        Format::Rtf,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Text => "txt",
            Format::Markdown => "md",
            Format::Docx => "docx",
            Format::Odt => "odt",
            Format::Html => "html",
            Format::Rtf => "rtf",
        }
    }

    /// The format a file name promises, used when walking folders.
    pub fn from_extension(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "pdf" => Some(Format::Pdf),
            "txt" => Some(Format::Text),
            "md" | "markdown" => Some(Format::Markdown),
            "docx" => Some(Format::Docx),
            // A flat ODT (.fodt) is the same document as one XML file.
            "odt" | "fodt" => Some(Format::Odt),
            "html" | "htm" => Some(Format::Html),
            "rtf" => Some(Format::Rtf),
            _ => None,
        }
    }
}

/// One page of extracted text. Page numbers are 1-based and physical (the n-th page of the
/// file), whatever the document prints on the page.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Page {
    pub number: u32,
    /// The printed page label (`/PageLabels`), such as "iii" or "12", when the file has one.
    pub label: Option<String>,
    pub text: String,
    /// The text was read (wholly or in part) by OCR from the page's image (`--ocr`).
    #[serde(default)]
    pub ocr: bool,
}

/// Everything extraction learnt about one document. Serializable, because `--isolate`
/// workers send it to the parent process (see `isolate`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Extraction {
    pub format: Option<Format>,
    pub status: Status,
    /// One line: the reason for a failure, or a note about a repair.
    pub message: String,
    pub pages: Vec<Page>,
    /// SHA-256 of the file's bytes, hex; empty when the file could not be read.
    pub sha256: String,
}

impl Extraction {
    /// Whether any text was read: a status that keeps text, and a page with a letter or
    /// digit on it (a timeout before the first page leaves none).
    pub fn has_text(&self) -> bool {
        self.status.has_text()
            && self
                .pages
                .iter()
                .any(|p| p.text.chars().any(char::is_alphanumeric))
    }

    pub fn failed(format: Option<Format>, status: Status, message: impl Into<String>) -> Self {
        Extraction {
            format,
            status,
            message: one_line(&message.into()),
            pages: Vec::new(),
            sha256: String::new(),
        }
    }
}

/// Limits and secrets that apply to every document of a run.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Options {
    /// Password for encrypted PDFs whose user password is not empty.
    pub password: Option<String>,
    /// Time one document may take; pages read before it expires are kept.
    pub timeout: Duration,
    /// Files larger than this are not read at all.
    pub max_file_bytes: u64,
    /// Bounds inside a PDF: decompressed bytes, operators, glyphs, form nesting.
    pub limits: pdf::Limits,
    /// With `--ocr`: the engine that reads pages that are images of text.
    #[serde(default)]
    pub ocr: Option<ocr::Engine>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            password: None,
            timeout: Duration::from_secs(30),
            max_file_bytes: 512 << 20,
            limits: pdf::Limits::default(),
            ocr: None,
        }
    }
}

/// A point in time after which extraction stops and reports `timeout`.
#[derive(Debug, Clone, Copy)]
pub struct Deadline(Instant);

impl Deadline {
    pub fn after(timeout: Duration) -> Self {
        Deadline(Instant::now() + timeout)
    }

    /// True once the time is up, or when the user interrupted the run (Ctrl-C): a
    /// document in progress then stops as if its deadline had passed.
    pub fn expired(&self) -> bool {
        Instant::now() >= self.0 || crate::stop::interrupted()
    }
}

/// Reads and extracts one file. Never panics on bad input by design, but callers still
/// contain panics (see `pipeline`), because a parser bug must cost one row, not a run.
pub fn extract_file(path: &Path, options: &Options) -> Extraction {
    let claimed = Format::from_extension(path);
    let size = match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => {
            return Extraction::failed(claimed, Status::Error, "is a directory");
        }
        Ok(meta) => meta.len(),
        Err(err) => return Extraction::failed(claimed, Status::Error, io_reason(&err)),
    };
    if size > options.max_file_bytes {
        return Extraction::failed(
            claimed,
            Status::Error,
            format!(
                "file is {size} bytes, over the limit of {} (--max-file-size)",
                options.max_file_bytes
            ),
        );
    }
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(err) => return Extraction::failed(claimed, Status::Error, io_reason(&err)),
    };
    let mut extraction = extract_bytes(&bytes, claimed, options);
    extraction.sha256 = sha256_hex(&bytes);
    extraction
}

/// Lower-case hex SHA-256, the identity of a document's content in the CSV and manifest.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex(&sha2::Sha256::digest(bytes))
}

/// Lower-case hex of a digest.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::with_capacity(64), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

/// Extracts a document held in memory; `claimed` is the format its name promises.
///
/// The content decides wherever it is unambiguous: a `.docx` that is really a PDF is read
/// as a PDF, an `.odt` that is really a Word package as Word. Two promises are kept
/// strictly, because a mismatch there means something went wrong upstream: a `.pdf` must
/// be a PDF, and a `.txt`/`.md` must be text.
pub fn extract_bytes(bytes: &[u8], claimed: Option<Format>, options: &Options) -> Extraction {
    let mut extraction = read_as(bytes, claimed, options);
    // A form feed separates pages where text is printed (`borging extract`) and read back
    // (.txt), so one inside a page would split it there and shift every page number and
    // offset after it. Documents may hold one (an RTF byte, a `<pre>` or `&#12;` in
    // HTML): it becomes the line break it stands for.
    for page in &mut extraction.pages {
        if page.text.contains('\u{c}') {
            page.text = page.text.replace('\u{c}', "\n");
        }
    }
    extraction
}

fn read_as(bytes: &[u8], claimed: Option<Format>, options: &Options) -> Extraction {
    let sniffed = sniff(bytes);
    match (claimed, sniffed) {
        (_, Sniffed::Pdf) => pdf::extract(bytes, options),
        (Some(Format::Pdf), other) => Extraction::failed(
            Some(Format::Pdf),
            Status::Error,
            format!("not a PDF: the file {}", other.describe()),
        ),
        // Before the text arms: RTF is ASCII, and a `.txt` holding RTF reads better as RTF.
        (_, Sniffed::Rtf) => rtf::extract(bytes),
        (
            Some(format @ (Format::Text | Format::Markdown)),
            Sniffed::Text | Sniffed::FlatOdt | Sniffed::Empty,
        ) => text::extract(bytes, format),
        (Some(format @ (Format::Text | Format::Markdown)), other) => Extraction::failed(
            Some(format),
            Status::Error,
            format!("not a text file: the file {}", other.describe()),
        ),
        (_, Sniffed::Zip) => office::extract(bytes, claimed, Deadline::after(options.timeout)),
        (_, Sniffed::FlatOdt) => office::extract_flat_odt(bytes, Deadline::after(options.timeout)),
        (_, Sniffed::Html) | (Some(Format::Html), Sniffed::Text) => {
            html::extract(bytes, Deadline::after(options.timeout))
        }
        (None, Sniffed::Text) => text::extract(bytes, Format::Text),
        (Some(format), other) => Extraction::failed(
            Some(format),
            Status::Error,
            format!(
                "not a {} file: the file {}",
                format.as_str(),
                other.describe()
            ),
        ),
        (None, other) => Extraction::failed(
            None,
            Status::Error,
            format!("unsupported format: the file {}", other.describe()),
        ),
    }
}

/// What the first bytes of a file say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sniffed {
    Empty,
    Pdf,
    Html,
    Zip,
    Rtf,
    /// An OpenDocument as one XML file (`office:document`), such as a flat ODT.
    FlatOdt,
    /// An OLE compound file: Word, Excel or PowerPoint 97-2003.
    Ole,
    Text,
    Binary,
}

impl Sniffed {
    fn describe(self) -> &'static str {
        match self {
            Sniffed::Empty => "is empty",
            Sniffed::Pdf => "is a PDF",
            Sniffed::Html => "is an HTML page",
            Sniffed::Zip => "is a ZIP archive (an office document?)",
            Sniffed::Rtf => "is an RTF document",
            Sniffed::FlatOdt => "is a flat OpenDocument (XML)",
            Sniffed::Ole => {
                "is an old Office file (Word .doc, Excel .xls or PowerPoint .ppt, 97-2003): \
                 not read; save it as .docx or PDF"
            }
            Sniffed::Text => "is plain text",
            Sniffed::Binary => "holds binary data of an unknown kind",
        }
    }
}

fn sniff(bytes: &[u8]) -> Sniffed {
    if bytes.is_empty() {
        return Sniffed::Empty;
    }
    // Real-world PDFs may carry junk before the header; readers accept it within 1 KiB.
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Sniffed::Pdf;
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Sniffed::Zip;
    }
    if bytes.starts_with(b"{\\rtf") {
        return Sniffed::Rtf;
    }
    if bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        return Sniffed::Ole;
    }
    let start = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_ascii_lowercase();
    let trimmed = start.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with("<!doctype html") || trimmed.starts_with("<html") {
        return Sniffed::Html;
    }
    // The root element of a flat ODF file comes after the XML declaration and comments.
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    if trimmed.starts_with("<?xml") && head.contains("<office:document ") {
        return Sniffed::FlatOdt;
    }
    if text::looks_like_text(&bytes[..bytes.len().min(8192)]) {
        Sniffed::Text
    } else {
        Sniffed::Binary
    }
}

/// Counts words as runs of non-space characters holding at least one letter or digit.
pub fn count_words(text: &str) -> u64 {
    // One pass over the bytes: this runs on every page of every document, also when the
    // text comes from the cache and nothing else is left to do. ASCII, most of any Dutch
    // text, is classified by the byte; other characters are decoded (and then classified
    // exactly as `char` does).
    let bytes = text.as_bytes();
    let mut words = 0;
    let (mut in_word, mut counted) = (false, false);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let c = if b.is_ascii() {
            i += 1;
            if matches!(b, b'\t'..=b'\r' | b' ') {
                in_word = false;
                continue;
            }
            None
        } else {
            let c = text[i..].chars().next().expect("i is on a char boundary");
            i += c.len_utf8();
            if c.is_whitespace() {
                in_word = false;
                continue;
            }
            Some(c)
        };
        if !in_word {
            in_word = true;
            counted = false;
        }
        if !counted && c.map_or(b.is_ascii_alphanumeric(), char::is_alphanumeric) {
            counted = true;
            words += 1;
        }
    }
    words
}

/// Collapses a message to one line, so that a CSV cell or a terminal line stays one line.
pub fn one_line(message: &str) -> String {
    // One pass, runs of visible ASCII copied whole: every sentence of evidence goes
    // through here. A single space between two visible ASCII bytes stays in the run, as
    // it would come out anyway: most sentences are then copied in a few pieces.
    let mut out = String::with_capacity(message.len());
    let bytes = message.as_bytes();
    let mut space = false;
    let mut i = 0;
    while i < bytes.len() {
        let (visible, whitespace, len) = if bytes[i].is_ascii_graphic() {
            let mut end = i + 1;
            while let Some(&b) = bytes.get(end) {
                if b.is_ascii_graphic() {
                    end += 1;
                } else if b == b' ' && bytes.get(end + 1).is_some_and(u8::is_ascii_graphic) {
                    end += 2;
                } else {
                    break;
                }
            }
            (true, false, end - i)
        } else if bytes[i].is_ascii() {
            (false, (bytes[i] as char).is_whitespace(), 1)
        } else {
            let c = message[i..].chars().next().unwrap_or(' ');
            let visible = !c.is_whitespace() && !c.is_control();
            (visible, c.is_whitespace(), c.len_utf8())
        };
        if visible {
            if space {
                out.push(' ');
                space = false;
            }
            out.push_str(&message[i..i + len]);
        } else if whitespace {
            space = !out.is_empty();
        }
        i += len;
    }
    out
}

fn io_reason(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => "file not found (moved or deleted during the run?)".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => format!("cannot read file: {err}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_saved_as_pdf_is_an_error_not_a_parse_attempt() {
        let got = extract_bytes(
            b"<!DOCTYPE html><html><body>Schoolplan</body></html>",
            Some(Format::Pdf),
            &Options::default(),
        );
        assert_eq!(got.status, Status::Error);
        assert_eq!(got.message, "not a PDF: the file is an HTML page");
    }

    #[test]
    fn empty_pdf_file_is_an_error() {
        let got = extract_bytes(b"", Some(Format::Pdf), &Options::default());
        assert_eq!(got.status, Status::Error);
        assert!(got.message.contains("empty"), "{}", got.message);
    }

    #[test]
    fn form_feed_inside_a_page_becomes_a_line_break() {
        // Fuzz finding (html, rtf): a form feed in the text of a page made `borging
        // extract` print a page break there, so its pages no longer matched the report's.
        let html = extract_bytes(
            b"<html><pre>een\x0ctwee</pre><p>drie&#12;vier</p></html>",
            Some(Format::Html),
            &Options::default(),
        );
        assert_eq!(html.pages.len(), 1);
        assert_eq!(html.pages[0].text, "een\ntwee\ndrie vier");
        let rtf = extract_bytes(
            b"{\\rtf1 een\x0ctwee}",
            Some(Format::Rtf),
            &Options::default(),
        );
        assert_eq!(rtf.pages.len(), 1);
        assert_eq!(rtf.pages[0].text, "een\ntwee");
    }

    #[test]
    fn one_line_joins_lines_and_drops_control_characters() {
        assert_eq!(one_line("a\n b\r\n\tc\u{1b}[31m"), "a b c[31m");
        // Unicode spaces count as spaces, a word of control characters leaves no trace.
        assert_eq!(one_line("  é\u{a0}\u{2003}ü \u{1} ß  "), "é ü ß");
    }

    #[test]
    fn one_line_is_the_text_with_whitespace_runs_as_one_space_and_controls_dropped() {
        // The definition, char by char, against the run-copying implementation.
        fn reference(message: &str) -> String {
            let mut out = String::new();
            let mut space = false;
            for c in message.chars() {
                if c.is_whitespace() {
                    space = !out.is_empty();
                } else if !c.is_control() {
                    if space {
                        out.push(' ');
                        space = false;
                    }
                    out.push(c);
                }
            }
            out
        }
        let pieces = [
            "a", "bc", " ", "  ", "\n", "\t", "é", "\u{a0}", "\u{1}", ".", "-", "ü ",
        ];
        let mut state = 7u64;
        for len in 0..40 {
            for _ in 0..50 {
                let mut text = String::new();
                for _ in 0..len {
                    state = state
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    text.push_str(pieces[(state >> 33) as usize % pieces.len()]);
                }
                assert_eq!(one_line(&text), reference(&text), "{text:?}");
            }
        }
    }

    #[test]
    fn words_need_a_letter_or_digit() {
        assert_eq!(count_words("De school - 2025 • evalueert."), 4);
        assert_eq!(
            count_words("  co\u{f6}rdinator\u{a0}--\n\u{2022} 1e\tklas "),
            3
        );
        assert_eq!(count_words(""), 0);
    }

    #[test]
    fn word_count_classifies_every_character_as_char_does() {
        // The definition, one char at a time; count_words takes a faster path for ASCII.
        fn by_chars(text: &str) -> u64 {
            let mut words = 0;
            let (mut in_word, mut counted) = (false, false);
            for c in text.chars() {
                if c.is_whitespace() {
                    in_word = false;
                    continue;
                }
                if !in_word {
                    (in_word, counted) = (true, false);
                }
                if !counted && c.is_alphanumeric() {
                    counted = true;
                    words += 1;
                }
            }
            words
        }
        // Every ASCII character between letters and alone, and the non-ASCII spaces,
        // letters and marks a PDF brings (NEL, no-break space, ideographic space, ...).
        let mut texts: Vec<String> = (0u8..128)
            .map(|b| format!("a{}b {} . {}1", b as char, b as char, b as char))
            .collect();
        texts.extend(
            [
                "co\u{f6}rdinator\u{85}plan\u{a0}\u{2003}\u{3000}doel \u{2022} \u{ff10}",
                "\u{b}\u{c}\u{1c}\u{1f}x\u{1c}y \u{301} \u{e9}\u{301}t\u{e9}",
                "\u{fb01}nanci\u{eb}n \u{2028}\u{2029}\u{200b}\u{feff}z \u{1d400}",
            ]
            .map(String::from),
        );
        for text in &texts {
            assert_eq!(count_words(text), by_chars(text), "{text:?}");
        }
    }
}
