//! OpenDocument text (.odt, LibreOffice Writer): the body of `content.xml` in reading
//! order, plus the headers and footers of the page styles in `styles.xml`. A flat ODT
//! (.fodt) is the same document as one XML file, styles before the body; it is read by the
//! same walker in one pass.
//!
//! - Paragraphs and headings (`text:p`, `text:h`, also inside lists and frames) are lines;
//!   table rows are lines with their cells joined by ` | `. White space inside a paragraph
//!   collapses as ODF prescribes; `text:s` is a run of real spaces, `text:tab` a tab,
//!   `text:line-break` a new line.
//! - Pages: `text:soft-page-break` (where the last layout broke the page, written by
//!   LibreOffice on save) and paragraph styles with `fo:break-before`/`fo:break-after` set
//!   to `page` start a new page; a break on a page still empty is ignored, so a break
//!   recorded both ways makes one page. A file without any break is one page.
//! - Headers and footers are read once, as in [`super::docx`]: headers before the first
//!   page, footers after the last. Footnotes and endnotes (`text:note-body`) are appended
//!   as a last block of the last page, their citation marks dropped from the body text.
//! - Left out: tracked deletions (`text:tracked-changes`), comments (`office:annotation`),
//!   image titles and descriptions, variable declarations.

use super::Deadline;
use super::office::{Failure, Node, Ns, Package, Pages, Step, Xml, attr, frame, local, local_end};
use std::collections::HashSet;

/// Page texts of an .odt package.
pub(super) fn extract(bytes: &[u8], deadline: Deadline) -> Result<Vec<String>, Failure> {
    let mut package = Package::open(bytes)?;
    if let Some(mimetype) = package.text("mimetype")? {
        let mimetype = mimetype.trim();
        let kind = mimetype.strip_prefix("application/vnd.oasis.opendocument.");
        if let Some(kind) = kind.filter(|k| !k.starts_with("text")) {
            return Err(Failure::Bad(format!(
                "an OpenDocument {kind}, not a text document"
            )));
        }
    }
    let mut walker = Walker::default();
    if let Some(styles) = package.text("styles.xml")? {
        walker.walk(&styles, "styles.xml", deadline)?;
    }
    let content = package
        .text("content.xml")?
        .ok_or_else(|| "no content.xml in the package".to_string())?;
    walker.walk(&content, "content.xml", deadline)?;
    let notes = std::mem::take(&mut walker.notes).into_block();
    let mut after = std::mem::take(&mut walker.footers);
    after.push(notes);
    let body = std::mem::take(&mut walker.body).finish();
    Ok(frame(body, &walker.headers, &after))
}

/// Page texts of a flat ODT (.fodt): one XML document holding styles, page styles and body.
pub(super) fn extract_flat(xml: &str, deadline: Deadline) -> Result<Vec<String>, Failure> {
    let mut walker = Walker::default();
    walker.walk(xml, "the flat ODT", deadline)?;
    let notes = std::mem::take(&mut walker.notes).into_block();
    let mut after = std::mem::take(&mut walker.footers);
    after.push(notes);
    let body = std::mem::take(&mut walker.body).finish();
    Ok(frame(body, &walker.headers, &after))
}

/// Where the text being read goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Body,
    Notes,
    Master,
    Nowhere,
}

#[derive(Default)]
struct Walker {
    /// Paragraph styles that start or end a page, from both parts.
    break_before: HashSet<String>,
    break_after: HashSet<String>,
    /// The style being defined (`style:style`), if any.
    style: Option<String>,
    body: Pages,
    notes: Pages,
    /// The header or footer being read, and whether it is a header.
    master: Option<(bool, Pages)>,
    headers: Vec<String>,
    footers: Vec<String>,
    /// Open `office:text` (the body) and `text:note-body` elements.
    in_body: usize,
    in_note: usize,
    /// One entry per open paragraph: whether its style breaks the page after it.
    paragraphs: Vec<bool>,
}

impl Walker {
    fn walk(&mut self, xml: &str, part: &str, deadline: Deadline) -> Result<(), Failure> {
        let mut reader = Xml::new(xml, part, deadline);
        match self.run(&mut reader) {
            Ok(()) => Ok(()),
            Err(Step::Timeout) => Err(Failure::Timeout(std::mem::take(&mut self.body).finish())),
            Err(Step::Bad(reason)) => Err(Failure::Bad(reason)),
        }
    }

    fn target(&self) -> Target {
        if self.master.is_some() {
            Target::Master
        } else if self.in_note > 0 {
            Target::Notes
        } else if self.in_body > 0 {
            Target::Body
        } else {
            Target::Nowhere
        }
    }

    fn pages(&mut self) -> Option<&mut Pages> {
        match self.target() {
            Target::Master => self.master.as_mut().map(|(_, pages)| pages),
            Target::Notes => Some(&mut self.notes),
            Target::Body => Some(&mut self.body),
            Target::Nowhere => None,
        }
    }

    fn body_break(&mut self) {
        if self.target() == Target::Body {
            self.body.page_break();
        }
    }

    fn run(&mut self, xml: &mut Xml<'_>) -> Result<(), Step> {
        while let Some(node) = xml.next()? {
            match node {
                Node::Start(Ns::OdfStyle, e) => match local(&e) {
                    "style" => self.style = attr(&e, "name"),
                    "paragraph-properties" => {
                        if let Some(style) = &self.style {
                            if attr(&e, "break-before").as_deref() == Some("page") {
                                self.break_before.insert(style.clone());
                            }
                            if attr(&e, "break-after").as_deref() == Some("page") {
                                self.break_after.insert(style.clone());
                            }
                        }
                    }
                    name @ ("header" | "header-left" | "header-first" | "footer"
                    | "footer-left" | "footer-first") => {
                        self.master = Some((name.starts_with("header"), Pages::default()));
                    }
                    _ => {}
                },
                Node::End(Ns::OdfStyle, e) => match local_end(&e) {
                    "style" => self.style = None,
                    "header" | "header-left" | "header-first" | "footer" | "footer-left"
                    | "footer-first" => {
                        if let Some((header, pages)) = self.master.take() {
                            let block = pages.into_block();
                            if header {
                                self.headers.push(block);
                            } else {
                                self.footers.push(block);
                            }
                        }
                    }
                    _ => {}
                },
                Node::Start(Ns::OdfOffice, e) => match local(&e) {
                    "text" => self.in_body += 1,
                    "annotation" | "forms" => xml.skip_element()?,
                    _ => {}
                },
                Node::End(Ns::OdfOffice, e) if local_end(&e) == "text" => {
                    self.in_body = self.in_body.saturating_sub(1);
                }
                Node::Start(Ns::OdfText, e) => match local(&e) {
                    "p" | "h" => {
                        let style = attr(&e, "style-name").unwrap_or_default();
                        if self.break_before.contains(&style) {
                            self.body_break();
                        }
                        self.paragraphs.push(self.break_after.contains(&style));
                    }
                    "s" => {
                        let count = attr(&e, "c")
                            .and_then(|c| c.parse::<usize>().ok())
                            .unwrap_or(1)
                            .min(1000);
                        if let Some(pages) = self.pages() {
                            pages.text(&" ".repeat(count));
                        }
                    }
                    "tab" => {
                        if let Some(pages) = self.pages() {
                            pages.push('\t');
                        }
                    }
                    "line-break" => {
                        if let Some(pages) = self.pages() {
                            pages.line_break();
                        }
                    }
                    "soft-page-break" => self.body_break(),
                    "note-body" => self.in_note += 1,
                    "note-citation" | "tracked-changes" | "sequence-decls" | "variable-decls"
                    | "user-field-decls" => xml.skip_element()?,
                    _ => {}
                },
                Node::End(Ns::OdfText, e) => match local_end(&e) {
                    "p" | "h" => {
                        if let Some(pages) = self.pages() {
                            pages.end_paragraph();
                        }
                        if self.paragraphs.pop() == Some(true) {
                            self.body_break();
                        }
                    }
                    "note-body" => self.in_note = self.in_note.saturating_sub(1),
                    _ => {}
                },
                Node::Start(Ns::OdfTable, e) => match local(&e) {
                    "table" => {
                        if let Some(pages) = self.pages() {
                            pages.start_table();
                        }
                    }
                    "table-cell" | "covered-table-cell" => {
                        if let Some(pages) = self.pages() {
                            pages.start_cell();
                        }
                    }
                    _ => {}
                },
                Node::End(Ns::OdfTable, e) => {
                    if let Some(pages) = self.pages() {
                        match local_end(&e) {
                            "table" => pages.end_table(),
                            "table-cell" | "covered-table-cell" => pages.end_cell(),
                            "table-row" => pages.end_row(),
                            _ => {}
                        }
                    }
                }
                Node::Start(Ns::OdfSvg, _) => xml.skip_element()?,
                Node::Text(text) if !self.paragraphs.is_empty() => {
                    if let Some(pages) = self.pages() {
                        pages.collapsed(&text);
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::office::tests::{later, package};

    const NS: &str = r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0""#;

    fn content(styles: &str, body: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content {NS}><office:automatic-styles>{styles}</office:automatic-styles><office:body><office:text>{body}</office:text></office:body></office:document-content>"#
        )
    }

    fn pages_of(content: &str, styles: Option<&str>) -> Vec<String> {
        let mut entries: Vec<(&str, &[u8])> = vec![
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("content.xml", content.as_bytes()),
        ];
        if let Some(styles) = styles {
            entries.push(("styles.xml", styles.as_bytes()));
        }
        extract(&package(&entries), later()).expect("readable")
    }

    #[test]
    fn spaces_tabs_and_line_breaks() {
        let doc = content(
            "",
            "<text:h>Doelen</text:h><text:p>een<text:s text:c=\"3\"/>twee\n   drie<text:tab/>vier<text:line-break/>vijf</text:p>",
        );
        assert_eq!(
            pages_of(&doc, None),
            vec!["Doelen\neen   twee drie\tvier\nvijf"]
        );
    }

    #[test]
    fn soft_page_breaks_and_break_styles_start_pages() {
        let doc = content(
            r#"<style:style style:name="P9"><style:paragraph-properties fo:break-before="page"/></style:style>"#,
            "<text:p>een</text:p><text:soft-page-break/><text:p>twee</text:p><text:p text:style-name=\"P9\">drie</text:p>",
        );
        assert_eq!(pages_of(&doc, None), vec!["een", "twee", "drie"]);
    }

    #[test]
    fn lists_tables_notes_and_master_pages() {
        let doc = content(
            "",
            "<text:list><text:list-item><text:p>punt</text:p></text:list-item></text:list>\
             <table:table><table:table-row><table:table-cell><text:p>doel</text:p></table:table-cell>\
             <table:table-cell><text:p>wie</text:p></table:table-cell></table:table-row></table:table>\
             <text:p>tekst<text:note><text:note-citation>1</text:note-citation><text:note-body><text:p>Noot</text:p></text:note-body></text:note> verder</text:p>",
        );
        let styles = format!(
            r#"<office:document-styles {NS}><office:master-styles><style:master-page style:name="Standard"><style:header><text:p>Kop</text:p></style:header><style:footer><text:p>Voet</text:p></style:footer></style:master-page></office:master-styles></office:document-styles>"#
        );
        assert_eq!(
            pages_of(&doc, Some(&styles)),
            vec!["Kop\npunt\ndoel | wie\ntekst verder\nVoet\nNoot"]
        );
    }

    #[test]
    fn spreadsheet_is_not_a_text_document() {
        let bytes = package(&[
            (
                "mimetype",
                b"application/vnd.oasis.opendocument.spreadsheet",
            ),
            ("content.xml", b"<x/>"),
        ]);
        match extract(&bytes, later()) {
            Err(Failure::Bad(reason)) => assert!(reason.contains("spreadsheet"), "{reason}"),
            other => panic!("{other:?}"),
        }
    }
}
