//! Word documents (.docx, Office Open XML): the text of `word/document.xml` in reading
//! order, plus headers, footers, footnotes and endnotes.
//!
//! - Paragraphs (`w:p`) are lines; table rows are lines with their cells joined by ` | `.
//! - Pages: the file does not store a layout, only where breaks were. An explicit page break
//!   (`w:br w:type="page"`), a paragraph with `w:pageBreakBefore`, a section break that
//!   starts a new page, and `w:lastRenderedPageBreak` (where Word's last layout broke the
//!   page) each start a new page; a break on a page still empty is ignored, so a break
//!   recorded twice makes one page. A file without any break is one page.
//! - Headers and footers repeat on every page in print, but counting them once per page
//!   would multiply their hits; they are read once: headers (`word/header*.xml`) before the
//!   first page, footers (`word/footer*.xml`) after the last. Footnotes and endnotes are
//!   appended as a last block of the last page rather than on the page that cites them,
//!   because finding that page would need the layout the file does not have.
//! - Text is taken from `w:t` only: deleted text (`w:delText`), field codes
//!   (`w:instrText`), text moved away (`w:moveFrom`) and the fallback copy of drawings
//!   (`mc:Fallback`, which repeats the text box of `mc:Choice`) are left out. `w:tab` is a
//!   tab, `w:noBreakHyphen` a hyphen, `w:softHyphen` and U+00AD nothing.

use super::Deadline;
use super::office::{Failure, Node, Ns, Package, Pages, Step, Xml, attr, frame, local, local_end};

/// Page texts of a .docx package.
pub(super) fn extract(bytes: &[u8], deadline: Deadline) -> Result<Vec<String>, Failure> {
    let mut package = Package::open(bytes)?;
    let names = package.names();
    let document = package
        .text("word/document.xml")?
        .ok_or_else(|| "no word/document.xml in the package".to_string())?;
    let body = match walk(&document, "word/document.xml", deadline) {
        (pages, Ok(())) => pages.finish(),
        (pages, Err(Step::Timeout)) => return Err(Failure::Timeout(pages.finish())),
        (_, Err(Step::Bad(reason))) => return Err(Failure::Bad(reason)),
    };
    let part_names = |prefix: &str| {
        super::office::numbered(
            names
                .iter()
                .filter(|n| n.starts_with(prefix) && n.ends_with(".xml") && !n.contains("/_rels"))
                .cloned()
                .collect(),
        )
    };
    let blocks = |parts: Vec<String>, package: &mut Package<'_>| {
        let mut texts = Vec::new();
        for part in parts {
            let Some(xml) = package.text(&part)? else {
                continue;
            };
            match walk(&xml, &part, deadline) {
                (pages, Ok(())) => texts.push(pages.into_block()),
                (_, Err(Step::Timeout)) => return Err(Failure::Timeout(body.clone())),
                (_, Err(Step::Bad(reason))) => return Err(Failure::Bad(reason)),
            }
        }
        Ok(texts)
    };
    let headers = blocks(part_names("word/header"), &mut package)?;
    let mut after = blocks(part_names("word/footer"), &mut package)?;
    after.extend(blocks(
        vec!["word/footnotes.xml".into(), "word/endnotes.xml".into()],
        &mut package,
    )?);
    Ok(frame(body, &headers, &after))
}

/// Walks one WordprocessingML part; the pages built so far come back even on failure.
fn walk(xml: &str, part: &str, deadline: Deadline) -> (Pages, Result<(), Step>) {
    let mut walker = Walker::default();
    let mut reader = Xml::new(xml, part, deadline);
    let result = walker.run(&mut reader);
    (walker.pages, result)
}

#[derive(Default)]
struct Walker {
    pages: Pages,
    /// Inside `w:t`: the only element whose text is document text.
    in_text: bool,
    /// Open runs; `w:tab` outside a run is a tab stop definition, not a tab.
    runs: usize,
    /// Open paragraph properties, where page-break-before and section breaks live.
    properties: usize,
    /// The paragraph ends a section that starts on a new page.
    section_break: bool,
}

impl Walker {
    fn run(&mut self, xml: &mut Xml<'_>) -> Result<(), Step> {
        while let Some(node) = xml.next()? {
            match node {
                Node::Start(Ns::Word, e) => match local(&e) {
                    "t" => self.in_text = true,
                    "r" => self.runs += 1,
                    "tab" | "ptab" if self.runs > 0 => self.pages.push('\t'),
                    "br" => match attr(&e, "type").as_deref() {
                        Some("page") => self.pages.page_break(),
                        _ => self.pages.line_break(),
                    },
                    "cr" => self.pages.line_break(),
                    "lastRenderedPageBreak" => self.pages.page_break(),
                    "noBreakHyphen" => self.pages.push('-'),
                    "pPr" => self.properties += 1,
                    "pageBreakBefore" if self.properties > 0 && is_on(&e) => {
                        self.pages.page_break()
                    }
                    "sectPr" if self.properties > 0 => self.section_break = true,
                    "type"
                        if self.properties > 0
                            && attr(&e, "val").as_deref() == Some("continuous") =>
                    {
                        self.section_break = false;
                    }
                    "tbl" => self.pages.start_table(),
                    "tc" => self.pages.start_cell(),
                    "moveFrom" => xml.skip_element()?,
                    _ => {}
                },
                Node::Start(Ns::Compat, e) if local(&e) == "Fallback" => xml.skip_element()?,
                Node::End(Ns::Word, e) => match local_end(&e) {
                    "t" => self.in_text = false,
                    "r" => self.runs = self.runs.saturating_sub(1),
                    "pPr" => self.properties = self.properties.saturating_sub(1),
                    "p" => {
                        self.pages.end_paragraph();
                        if std::mem::take(&mut self.section_break) {
                            self.pages.page_break();
                        }
                    }
                    "tc" => self.pages.end_cell(),
                    "tr" => self.pages.end_row(),
                    "tbl" => self.pages.end_table(),
                    _ => {}
                },
                Node::Text(text) if self.in_text => self.pages.text(&text),
                _ => {}
            }
        }
        Ok(())
    }
}

/// A WordprocessingML on/off property: present means on unless `w:val` says otherwise.
fn is_on(e: &quick_xml::events::BytesStart<'_>) -> bool {
    !matches!(attr(e, "val").as_deref(), Some("0" | "false" | "off"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::office::tests::{later, package};

    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006""#;

    fn body(inner: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{inner}</w:body></w:document>"#
        )
    }

    fn para(text: &str) -> String {
        format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
    }

    fn pages_of(document: &str, extra: &[(&str, &str)]) -> Vec<String> {
        let mut entries: Vec<(&str, &[u8])> = vec![("word/document.xml", document.as_bytes())];
        entries.extend(extra.iter().map(|(n, t)| (*n, t.as_bytes())));
        extract(&package(&entries), later()).expect("readable")
    }

    #[test]
    fn paragraphs_are_lines_on_one_page_without_breaks() {
        let got = pages_of(&body(&(para("Doelen") + &para("Evaluatie"))), &[]);
        assert_eq!(got, vec!["Doelen\nEvaluatie"]);
    }

    #[test]
    fn explicit_and_rendered_breaks_start_pages_once() {
        let doc = body(&format!(
            "{}<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p><w:p><w:r><w:lastRenderedPageBreak/><w:t>twee</w:t></w:r></w:p>{}",
            para("een"),
            "<w:p><w:r><w:t>nog</w:t><w:lastRenderedPageBreak/><w:t>drie</w:t></w:r></w:p>"
        ));
        let got = pages_of(&doc, &[]);
        assert_eq!(got, vec!["een", "twee\nnog", "drie"]);
    }

    #[test]
    fn page_break_before_and_section_breaks_start_pages() {
        let doc = body(&format!(
            "{}<w:p><w:pPr><w:pageBreakBefore/></w:pPr><w:r><w:t>b</w:t></w:r></w:p>\
             <w:p><w:pPr><w:sectPr><w:type w:val=\"continuous\"/></w:sectPr></w:pPr><w:r><w:t>c</w:t></w:r></w:p>\
             <w:p><w:pPr><w:sectPr/></w:pPr><w:r><w:t>d</w:t></w:r></w:p>{}",
            para("a"),
            para("e")
        ));
        assert_eq!(pages_of(&doc, &[]), vec!["a", "b\nc\nd", "e"]);
    }

    #[test]
    fn tables_tabs_and_hyphens() {
        let doc = body(
            "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>doel</w:t></w:r></w:p></w:tc>\
             <w:tc><w:p><w:r><w:t>eigen</w:t><w:noBreakHyphen/><w:t>aar</w:t></w:r></w:p></w:tc></w:tr>\
             <w:tr><w:tc><w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"720\"/></w:tabs></w:pPr>\
             <w:r><w:t>a</w:t><w:tab/><w:t>b</w:t></w:r></w:p></w:tc></w:tr></w:tbl>",
        );
        assert_eq!(pages_of(&doc, &[]), vec!["doel | eigen-aar\na\tb"]);
    }

    #[test]
    fn deleted_moved_field_code_and_fallback_text_is_left_out() {
        let doc = body(
            "<w:p><w:del><w:r><w:delText>weg</w:delText></w:r></w:del>\
             <w:moveFrom><w:r><w:t>oud</w:t></w:r></w:moveFrom>\
             <w:r><w:instrText>PAGE</w:instrText></w:r>\
             <w:r><mc:AlternateContent><mc:Choice><w:t>vak</w:t></mc:Choice><mc:Fallback><w:t>vak</w:t></mc:Fallback></mc:AlternateContent></w:r>\
             <w:r><w:t>tekst</w:t></w:r></w:p>",
        );
        assert_eq!(pages_of(&doc, &[]), vec!["vaktekst"]);
    }

    #[test]
    fn headers_first_footers_and_notes_last() {
        let doc = body(&format!(
            "{}<w:p><w:r><w:br w:type=\"page\"/><w:t>slot</w:t></w:r></w:p>",
            para("begin")
        ));
        let hdr = format!("<w:hdr {W}>{}</w:hdr>", para("Kop"));
        let ftr = format!("<w:ftr {W}>{}</w:ftr>", para("Voet"));
        let notes = format!(
            "<w:footnotes {W}><w:footnote w:type=\"separator\" w:id=\"-1\"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>\
             <w:footnote w:id=\"1\">{}</w:footnote></w:footnotes>",
            para("Noot")
        );
        let got = pages_of(
            &doc,
            &[
                ("word/header1.xml", &hdr),
                ("word/footer1.xml", &ftr),
                ("word/footnotes.xml", &notes),
            ],
        );
        assert_eq!(got, vec!["Kop\nbegin", "slot\nVoet\nNoot"]);
    }

    #[test]
    fn malformed_document_is_a_reason() {
        let bytes = package(&[("word/document.xml", b"<w:document><w:body></w:document>")]);
        match extract(&bytes, later()) {
            Err(Failure::Bad(reason)) => assert!(reason.contains("malformed XML"), "{reason}"),
            other => panic!("{other:?}"),
        }
    }
}
