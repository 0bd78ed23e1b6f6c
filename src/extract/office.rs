//! What .docx and .odt share: a ZIP package of XML parts, read within bounds, and a
//! streaming XML walk that turns elements into lines and pages.
//!
//! Both formats are untrusted input from applicants, so every resource is capped: the
//! number of ZIP entries, the bytes decompressed from the whole package (a ZIP bomb stops
//! at the cap instead of filling memory), the nesting depth of the XML and the time spent.
//! The XML is read with quick-xml as a stream of events; nothing here recurses, and the
//! stacks the walkers keep are bounded by [`MAX_DEPTH`].

use super::{Deadline, Extraction, Format, Page};
use crate::status::Status;
use quick_xml::NsReader;
use quick_xml::events::{BytesEnd, BytesStart, Event};
use quick_xml::name::ResolveResult;
use std::borrow::Cow;
use std::io::{Cursor, Read};
use zip::ZipArchive;

/// Bytes decompressed from one package, over all the parts read. Real documents stay far
/// below; a ZIP bomb reaches it quickly and becomes an `error` row.
pub(super) const MAX_UNCOMPRESSED: u64 = 256 << 20;
/// Entries in one package. Word and LibreOffice write a few dozen (plus embedded images).
pub(super) const MAX_ENTRIES: usize = 20_000;
/// Element nesting in one XML part. Real documents nest tens deep (tables in tables in
/// text boxes); the cap keeps the walkers' own stacks small.
pub(super) const MAX_DEPTH: usize = 512;

/// Which kind of office document a ZIP package holds, or why it is none we can read.
pub(super) fn kind(bytes: &[u8]) -> Result<Format, String> {
    let package = Package::open(bytes)?;
    if package.has("word/document.xml") {
        return Ok(Format::Docx);
    }
    if package.has("content.xml") {
        return Ok(Format::Odt);
    }
    if package.has("ppt/presentation.xml") {
        return Err("a PowerPoint presentation (.pptx): not read; save it as PDF".into());
    }
    if package.has("xl/workbook.xml") {
        return Err("an Excel workbook (.xlsx): not read; save it as PDF".into());
    }
    Err(
        "ZIP archive without word/document.xml or content.xml: not a Word or OpenDocument text"
            .into(),
    )
}

/// Reads a flat ODT (.fodt): an OpenDocument text as one XML file.
pub(super) fn extract_flat_odt(bytes: &[u8], deadline: Deadline) -> Extraction {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let Ok(xml) = std::str::from_utf8(bytes) else {
        return Extraction::failed(
            Some(Format::Odt),
            Status::Error,
            "flat ODT is not UTF-8 XML",
        );
    };
    match super::odt::extract_flat(xml, deadline) {
        Ok(pages) => finished(Format::Odt, pages, Status::Ok, String::new()),
        Err(Failure::Timeout(pages)) => finished(
            Format::Odt,
            pages,
            Status::Timeout,
            "time limit reached while reading the XML (--timeout)".into(),
        ),
        Err(Failure::Bad(reason)) => Extraction::failed(Some(Format::Odt), Status::Error, reason),
    }
}

/// Reads an office package whose ZIP magic was seen. `claimed` is the name's promise, used
/// only for the format column when the package is not one we know.
pub(super) fn extract(bytes: &[u8], claimed: Option<Format>, deadline: Deadline) -> Extraction {
    let format = match kind(bytes) {
        Ok(format) => format,
        Err(reason) => return Extraction::failed(claimed, Status::Error, reason),
    };
    let result = match format {
        Format::Docx => super::docx::extract(bytes, deadline),
        _ => super::odt::extract(bytes, deadline),
    };
    match result {
        Ok(pages) => finished(format, pages, Status::Ok, String::new()),
        Err(Failure::Timeout(pages)) => finished(
            format,
            pages,
            Status::Timeout,
            "time limit reached while reading the XML (--timeout)".into(),
        ),
        Err(Failure::Bad(reason)) => Extraction::failed(Some(format), Status::Error, reason),
    }
}

/// Builds the extraction from page texts; a document without any text is `no_text`.
pub(super) fn finished(
    format: Format,
    texts: Vec<String>,
    status: Status,
    message: String,
) -> Extraction {
    let status = if status == Status::Ok && texts.iter().all(|t| t.trim().is_empty()) {
        Status::NoText
    } else {
        status
    };
    Extraction {
        format: Some(format),
        status,
        message,
        pages: texts
            .into_iter()
            .enumerate()
            .map(|(i, text)| Page {
                number: i as u32 + 1,
                label: None,
                text,
                ocr: false,
            })
            .collect(),
        sha256: String::new(),
    }
}

/// Why reading a package stopped.
#[derive(Debug)]
pub(super) enum Failure {
    /// The deadline passed; the page texts built so far.
    Timeout(Vec<String>),
    /// A one-line reason: a broken ZIP, malformed XML, a bound exceeded.
    Bad(String),
}

impl From<String> for Failure {
    fn from(reason: String) -> Self {
        Failure::Bad(reason)
    }
}

/// An open ZIP package with a budget of bytes still allowed to be decompressed.
pub(super) struct Package<'a> {
    archive: ZipArchive<Cursor<&'a [u8]>>,
    budget: u64,
}

impl<'a> Package<'a> {
    pub(super) fn open(bytes: &'a [u8]) -> Result<Self, String> {
        let archive =
            ZipArchive::new(Cursor::new(bytes)).map_err(|e| format!("broken ZIP archive: {e}"))?;
        if archive.len() > MAX_ENTRIES {
            return Err(format!(
                "ZIP archive has {} entries, over the limit of {MAX_ENTRIES}",
                archive.len()
            ));
        }
        Ok(Package {
            archive,
            budget: MAX_UNCOMPRESSED,
        })
    }

    pub(super) fn has(&self, name: &str) -> bool {
        self.archive.index_for_name(name).is_some()
    }

    /// Names of the entries, in archive order.
    pub(super) fn names(&self) -> Vec<String> {
        self.archive
            .file_names()
            .filter_map(Result::ok)
            .map(|n| n.into_owned())
            .collect()
    }

    /// The text of one XML part, or `None` when the package has no such entry. Reading
    /// stops at the package's remaining budget, whatever the entry's header claims.
    pub(super) fn text(&mut self, name: &str) -> Result<Option<String>, String> {
        let Some(index) = self.archive.index_for_name(name) else {
            return Ok(None);
        };
        let entry = self
            .archive
            .by_index(index)
            .map_err(|e| format!("cannot read {name} in the ZIP archive: {e}"))?;
        let mut bytes = Vec::new();
        entry
            .take(self.budget + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("cannot decompress {name}: {e}"))?;
        if bytes.len() as u64 > self.budget {
            return Err(format!(
                "ZIP archive decompresses to more than {} MiB (a ZIP bomb?)",
                MAX_UNCOMPRESSED >> 20
            ));
        }
        self.budget -= bytes.len() as u64;
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        match std::str::from_utf8(bytes) {
            Ok(text) => Ok(Some(text.to_owned())),
            Err(_) => Err(format!("{name} is not UTF-8 XML")),
        }
    }
}

/// The XML namespaces whose elements the walkers act on; every other one is `Other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ns {
    /// WordprocessingML, transitional or strict.
    Word,
    /// Markup compatibility (`mc:AlternateContent`).
    Compat,
    OdfText,
    OdfTable,
    OdfOffice,
    OdfStyle,
    OdfSvg,
    Other,
}

impl Ns {
    fn of(uri: &str) -> Ns {
        match uri {
            "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
            | "http://purl.oclc.org/ooxml/wordprocessingml/main" => Ns::Word,
            "http://schemas.openxmlformats.org/markup-compatibility/2006" => Ns::Compat,
            "urn:oasis:names:tc:opendocument:xmlns:text:1.0" => Ns::OdfText,
            "urn:oasis:names:tc:opendocument:xmlns:table:1.0" => Ns::OdfTable,
            "urn:oasis:names:tc:opendocument:xmlns:office:1.0" => Ns::OdfOffice,
            "urn:oasis:names:tc:opendocument:xmlns:style:1.0" => Ns::OdfStyle,
            "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" => Ns::OdfSvg,
            _ => Ns::Other,
        }
    }
}

/// One event of an XML part, with the element's namespace resolved. Empty elements come
/// as a start followed by an end, so walkers handle one shape.
pub(super) enum Node<'i> {
    Start(Ns, BytesStart<'i>),
    End(Ns, BytesEnd<'i>),
    Text(Cow<'i, str>),
}

/// A bounded stream of [`Node`]s over one XML part.
pub(super) struct Xml<'i> {
    reader: NsReader<&'i [u8]>,
    part: &'i str,
    depth: usize,
    events: u64,
    deadline: Deadline,
}

impl<'i> Xml<'i> {
    pub(super) fn new(text: &'i str, part: &'i str, deadline: Deadline) -> Self {
        let mut reader = NsReader::from_str(text);
        let config = reader.config_mut();
        config.expand_empty_elements = true;
        config.check_end_names = true;
        Xml {
            reader,
            part,
            depth: 0,
            events: 0,
            deadline,
        }
    }

    /// The next node, `Ok(None)` at the end of the part.
    pub(super) fn next(&mut self) -> Result<Option<Node<'i>>, Step> {
        loop {
            self.events += 1;
            if self.events.is_multiple_of(4096) && self.deadline.expired() {
                return Err(Step::Timeout);
            }
            let (ns, event) = match self.reader.read_resolved_event() {
                Ok((ResolveResult::Bound(ns), event)) => (Ns::of(ns.as_ref()), event),
                Ok((_, event)) => (Ns::Other, event),
                Err(err) => {
                    return Err(Step::Bad(format!("malformed XML in {}: {err}", self.part)));
                }
            };
            return Ok(Some(match event {
                Event::Start(e) => {
                    self.depth += 1;
                    if self.depth > MAX_DEPTH {
                        return Err(Step::Bad(format!(
                            "XML in {} nests deeper than {MAX_DEPTH} elements",
                            self.part
                        )));
                    }
                    Node::Start(ns, e)
                }
                Event::End(e) => {
                    self.depth = self.depth.saturating_sub(1);
                    Node::End(ns, e)
                }
                Event::Text(e) => Node::Text(e.xml10_content()),
                Event::CData(e) => Node::Text(e.xml10_content()),
                Event::GeneralRef(e) => match e.resolve_char_ref() {
                    Ok(Some(c)) => Node::Text(Cow::Owned(c.to_string())),
                    Ok(None) => match quick_xml::escape::resolve_predefined_entity(&e) {
                        Some(text) => Node::Text(Cow::Borrowed(text)),
                        // An entity of a DTD: never expanded (no entity bombs), dropped.
                        None => continue,
                    },
                    Err(err) => {
                        return Err(Step::Bad(format!("malformed XML in {}: {err}", self.part)));
                    }
                },
                Event::Eof => {
                    if self.depth > 0 {
                        return Err(Step::Bad(format!(
                            "malformed XML in {}: ends inside an element",
                            self.part
                        )));
                    }
                    return Ok(None);
                }
                _ => continue,
            }));
        }
    }

    /// Consumes events up to and including the end of the element just started.
    pub(super) fn skip_element(&mut self) -> Result<(), Step> {
        let target = self.depth.saturating_sub(1);
        while self.depth > target {
            if self.next()?.is_none() {
                break;
            }
        }
        Ok(())
    }
}

/// Why an XML walk stopped early; the walker turns it into a [`Failure`] with its pages.
#[derive(Debug)]
pub(super) enum Step {
    Timeout,
    Bad(String),
}

/// The local name of an element (`p` of `w:p`).
pub(super) fn local<'a>(e: &'a BytesStart<'_>) -> &'a str {
    e.local_name().into_inner()
}

/// The local name of a closing tag.
pub(super) fn local_end<'a>(e: &'a BytesEnd<'_>) -> &'a str {
    e.local_name().into_inner()
}

/// The value of the attribute with this local name, whatever its prefix.
pub(super) fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().into_inner() == name)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(Cow::into_owned)
        })
}

/// Page texts under construction. Paragraphs become lines; table cells are joined on one
/// line with ` | `; a page break on a page that has no text yet is ignored, so a break
/// recorded twice (an explicit one and the renderer's note of it) makes one page.
#[derive(Debug, Default)]
pub(super) struct Pages {
    done: Vec<String>,
    current: String,
    /// One entry per open table: whether the current row has had a cell yet.
    rows: Vec<bool>,
    /// Open table cells (their paragraphs are joined with spaces, not line breaks).
    cells: usize,
    /// Length of a start of `current` known to be white space. A page break on a page
    /// without text looks only past it, so a hostile run of breaks after a long blank
    /// stretch costs each break nothing instead of a scan of the stretch.
    blank: usize,
}

impl Pages {
    /// Appends text as it stands in the document. Soft hyphens are invisible hints for
    /// line breaking; they would split words for the rules, so they go.
    pub(super) fn text(&mut self, text: &str) {
        self.current.extend(text.chars().filter(|&c| c != '\u{ad}'));
    }

    pub(super) fn push(&mut self, c: char) {
        self.current.push(c);
    }

    /// Appends text in which runs of white space count as one space (ODF and HTML rules).
    pub(super) fn collapsed(&mut self, text: &str) {
        for c in text.chars() {
            // ASCII white space only: a no-break space is meant to stay.
            if matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c') {
                if !self.at_break() {
                    self.current.push(' ');
                }
            } else if c != '\u{ad}' {
                self.current.push(c);
            }
        }
    }

    /// Whether the text so far ends in white space or at the start of a line.
    fn at_break(&self) -> bool {
        self.current.is_empty() || self.current.ends_with([' ', '\n', '\t'])
    }

    /// The end of a paragraph: a new line, or a space inside a table cell.
    pub(super) fn end_paragraph(&mut self) {
        if self.cells > 0 {
            if !self.at_break() {
                self.current.push(' ');
            }
        } else {
            self.trim_line_end();
            if !self.current.is_empty() && !self.current.ends_with('\n') {
                self.current.push('\n');
            }
        }
    }

    /// A manual line break inside a paragraph.
    pub(super) fn line_break(&mut self) {
        if self.cells > 0 {
            if !self.at_break() {
                self.current.push(' ');
            }
        } else {
            self.trim_line_end();
            self.current.push('\n');
        }
    }

    fn trim_line_end(&mut self) {
        let kept = self.current.trim_end_matches([' ', '\t']).len();
        self.current.truncate(kept);
        self.blank = self.blank.min(kept);
    }

    pub(super) fn page_break(&mut self) {
        // `blank` is the length `current` had at an earlier break (or less, after a trim of
        // ASCII white space), so it is a character boundary.
        if self.current[self.blank..].trim().is_empty() {
            self.blank = self.current.len();
            return;
        }
        let kept = self.current.trim_end().len();
        self.current.truncate(kept);
        self.done.push(std::mem::take(&mut self.current));
        self.blank = 0;
    }

    pub(super) fn start_table(&mut self) {
        self.end_paragraph();
        self.rows.push(false);
    }

    pub(super) fn end_table(&mut self) {
        self.rows.pop();
    }

    pub(super) fn start_cell(&mut self) {
        if let Some(seen) = self.rows.last_mut() {
            let separate = std::mem::replace(seen, true);
            if separate {
                self.trim_line_end();
                self.current.push_str(" | ");
            }
        }
        self.cells += 1;
    }

    pub(super) fn end_cell(&mut self) {
        self.cells = self.cells.saturating_sub(1);
    }

    pub(super) fn end_row(&mut self) {
        if let Some(seen) = self.rows.last_mut() {
            *seen = false;
        }
        self.trim_line_end();
        if !self.current.is_empty() && !self.current.ends_with('\n') {
            self.current.push('\n');
        }
    }

    /// The page texts; always at least one page.
    pub(super) fn finish(mut self) -> Vec<String> {
        let kept = self.current.trim_end().len();
        self.current.truncate(kept);
        if !self.current.trim().is_empty() || self.done.is_empty() {
            self.done.push(self.current);
        }
        self.done
    }

    /// All text as one block (for headers, footers and notes).
    pub(super) fn into_block(self) -> String {
        self.finish().join("\n").trim().to_owned()
    }
}

/// Puts headers before the first page and footers and notes after the last one; empty
/// and repeated blocks (a first-page header equal to the default one) appear once.
pub(super) fn frame(mut pages: Vec<String>, before: &[String], after: &[String]) -> Vec<String> {
    let dedup = |blocks: &[String]| {
        let mut kept: Vec<&str> = Vec::new();
        for block in blocks.iter().map(|b| b.trim()) {
            if !block.is_empty() && !kept.contains(&block) {
                kept.push(block);
            }
        }
        kept.join("\n")
    };
    let head = dedup(before);
    let tail = dedup(after);
    if pages.is_empty() {
        pages.push(String::new());
    }
    if !head.is_empty() {
        pages[0] = format!("{head}\n{}", pages[0]);
    }
    if !tail.is_empty() {
        let last = pages.last_mut().expect("at least one page");
        if !last.is_empty() && !last.ends_with('\n') {
            last.push('\n');
        }
        last.push_str(&tail);
    }
    pages
}

/// Part names sorted by the number in them (`header2.xml` before `header10.xml`).
pub(super) fn numbered(mut names: Vec<String>) -> Vec<String> {
    names.sort_by_key(|n| {
        let digits: String = n.chars().filter(char::is_ascii_digit).collect();
        (digits.parse::<u64>().unwrap_or(0), n.clone())
    });
    names
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use std::io::Write;
    use std::time::Duration;
    use zip::write::SimpleFileOptions;

    /// A ZIP package with the given entries, stored or deflated.
    pub(crate) fn package(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, bytes) in entries {
            writer
                .start_file(*name, SimpleFileOptions::default())
                .unwrap();
            writer.write_all(bytes).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    pub(crate) fn later() -> Deadline {
        Deadline::after(Duration::from_secs(60))
    }

    #[test]
    fn presentations_and_workbooks_are_named_in_the_reason() {
        for (part, kind) in [
            ("ppt/presentation.xml", "PowerPoint presentation (.pptx)"),
            ("xl/workbook.xml", "Excel workbook (.xlsx)"),
        ] {
            let bytes = package(&[(part, b"<x/>")]);
            let got = extract(&bytes, None, later());
            assert_eq!(got.status, Status::Error);
            assert!(got.message.contains(kind), "{}", got.message);
        }
    }

    #[test]
    fn zip_without_a_known_main_part_is_named_in_the_reason() {
        let bytes = package(&[("notes.txt", b"hallo")]);
        let got = extract(&bytes, Some(Format::Docx), later());
        assert_eq!(got.status, Status::Error);
        assert!(
            got.message
                .contains("without word/document.xml or content.xml"),
            "{}",
            got.message
        );
        assert_eq!(got.format, Some(Format::Docx));
    }

    #[test]
    fn zip_bomb_stops_at_the_budget() {
        let big = vec![b' '; 1 << 20];
        let bytes = package(&[("content.xml", &big)]);
        let mut package = Package::open(&bytes).unwrap();
        package.budget = 1000;
        let err = package.text("content.xml").unwrap_err();
        assert!(err.contains("ZIP bomb"), "{err}");
    }

    #[test]
    fn breaks_on_a_blank_page_do_not_rescan_it() {
        // Fuzz finding: every page break on a page of only white space scanned the whole
        // page again, so a few KiB of .docx or RTF (a million blank characters, then
        // 20,000 breaks) kept a reader busy for minutes, past its deadline.
        let mut pages = Pages::default();
        pages.text(&"\n".repeat(1_000_000));
        for _ in 0..20_000 {
            pages.page_break();
        }
        pages.text(" één");
        pages.page_break();
        pages.page_break();
        pages.text("twee");
        let got = pages.finish();
        assert_eq!(got.len(), 2);
        assert_eq!(
            got[0].len(),
            1_000_000 + " één".len(),
            "the blank start is kept"
        );
        assert_eq!(got[0].trim_start(), "één");
        assert_eq!(got[1], "twee");
    }

    #[test]
    fn a_trimmed_line_end_shortens_the_known_blank_start() {
        let mut pages = Pages::default();
        pages.text("  \t");
        pages.page_break();
        pages.line_break();
        pages.text("é");
        pages.page_break();
        pages.text("twee");
        assert_eq!(pages.finish(), vec!["\né", "twee"]);
    }

    #[test]
    fn truncated_zip_is_a_broken_archive() {
        let bytes = package(&[("word/document.xml", b"<w:document/>")]);
        let cut = &bytes[..bytes.len() / 2];
        let err = kind(cut).unwrap_err();
        assert!(err.starts_with("broken ZIP archive"), "{err}");
    }

    #[test]
    fn deep_nesting_is_refused() {
        let xml = "<a>".repeat(MAX_DEPTH + 1) + &"</a>".repeat(MAX_DEPTH + 1);
        let mut reader = Xml::new(&xml, "test.xml", later());
        let err = loop {
            match reader.next() {
                Ok(Some(_)) => {}
                Ok(None) => panic!("nesting was accepted"),
                Err(step) => break step,
            }
        };
        assert!(
            matches!(err, Step::Bad(ref r) if r.contains("nests deeper")),
            "{err:?}"
        );
    }

    #[test]
    fn mismatched_tags_are_malformed() {
        let mut reader = Xml::new("<a><b></a>", "test.xml", later());
        let err = loop {
            match reader.next() {
                Ok(Some(_)) => {}
                Ok(None) => panic!("accepted"),
                Err(step) => break step,
            }
        };
        assert!(matches!(err, Step::Bad(ref r) if r.contains("malformed XML in test.xml")));
    }

    #[test]
    fn a_break_on_an_empty_page_is_ignored() {
        let mut pages = Pages::default();
        pages.page_break();
        pages.text("een");
        pages.page_break();
        pages.page_break();
        pages.text("twee");
        assert_eq!(pages.finish(), vec!["een", "twee"]);
    }

    #[test]
    fn table_cells_share_a_line_and_rows_are_lines() {
        let mut pages = Pages::default();
        pages.start_table();
        for row in [["doel", "eigenaar"], ["lezen", "coördinator"]] {
            for cell in row {
                pages.start_cell();
                pages.text(cell);
                pages.end_paragraph();
                pages.end_cell();
            }
            pages.end_row();
        }
        pages.end_table();
        assert_eq!(pages.finish(), vec!["doel | eigenaar\nlezen | coördinator"]);
    }

    #[test]
    fn soft_hyphens_are_dropped() {
        let mut pages = Pages::default();
        pages.text("verant\u{ad}woordelijk");
        assert_eq!(pages.finish(), vec!["verantwoordelijk"]);
    }
}
