//! HTML pages (.html, .htm): the text a reader sees, as one page.
//!
//! The page is parsed with html5ever (through `scraper`), which repairs broken markup the
//! way browsers do and decodes character references. The tree is then walked without
//! recursion (it may be arbitrarily deep). Left out: `head`, `script`, `style`, `template`,
//! `noscript`, `iframe`, `object`, `select`, comments, and elements marked `hidden` or
//! styled `display:none`. Block elements end lines; table rows are lines with their cells
//! joined by ` | `; white space collapses as in a browser except inside `pre`.

use super::office::{Pages, finished};
use super::{Extraction, Format};
use crate::status::Status;
use ego_tree::iter::Edge;
use scraper::{Html, Node};

/// Elements whose content is never shown as text.
const INVISIBLE: &[&str] = &[
    "head", "script", "style", "template", "noscript", "iframe", "object", "select", "title",
];

/// Elements that end a line before and after them.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "caption",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "ul",
];

/// Element nesting refused before parsing: html5ever's cost grows with depth times the
/// number of tags, so a hostile page of unclosed `<div>`s would take minutes. Real pages
/// nest a few dozen deep.
const MAX_DEPTH: usize = 1024;

pub(super) fn extract(bytes: &[u8]) -> Extraction {
    let source = super::text::decode(bytes);
    if estimated_depth(&source) > MAX_DEPTH {
        return Extraction::failed(
            Some(Format::Html),
            Status::Error,
            format!("HTML nests deeper than {MAX_DEPTH} elements"),
        );
    }
    let document = Html::parse_document(&source);
    let mut pages = Pages::default();
    // The node whose subtree is being skipped, and the depth of open `pre` elements.
    let mut skipping = None;
    let mut pre = 0usize;
    for edge in document.tree.root().traverse() {
        match edge {
            Edge::Open(node) => {
                if skipping.is_some() {
                    continue;
                }
                match node.value() {
                    Node::Text(text) if pre > 0 => pages.text(text),
                    Node::Text(text) => pages.collapsed(text),
                    Node::Element(element) => {
                        let name = element.name();
                        let hidden = element.attr("hidden").is_some()
                            || element.attr("style").is_some_and(hides);
                        if hidden || INVISIBLE.contains(&name) {
                            skipping = Some(node.id());
                            continue;
                        }
                        match name {
                            "br" => pages.line_break(),
                            "table" => pages.start_table(),
                            "td" | "th" => pages.start_cell(),
                            _ if BLOCKS.contains(&name) => pages.end_paragraph(),
                            _ => {}
                        }
                        if name == "pre" {
                            pre += 1;
                        }
                    }
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if skipping == Some(node.id()) {
                    skipping = None;
                    continue;
                }
                if skipping.is_some() {
                    continue;
                }
                if let Node::Element(element) = node.value() {
                    match element.name() {
                        "table" => pages.end_table(),
                        "td" | "th" => pages.end_cell(),
                        "tr" => pages.end_row(),
                        "pre" => {
                            pre = pre.saturating_sub(1);
                            pages.end_paragraph();
                        }
                        name if BLOCKS.contains(&name) => pages.end_paragraph(),
                        _ => {}
                    }
                }
            }
        }
    }
    finished(Format::Html, pages.finish(), Status::Ok, String::new())
}

/// A quick upper estimate of element nesting: start tags open, end tags close. Elements
/// that are void or that the parser closes by itself (`p`, `li`, `td`...) are not counted,
/// so a page of unclosed paragraphs is not mistaken for a deep one.
fn estimated_depth(source: &str) -> usize {
    const UNCOUNTED: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr", "param", "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup",
        "rb", "rt", "rp", "thead", "tbody", "tfoot", "colgroup", "caption", "head", "body", "html",
    ];
    let (mut depth, mut deepest) = (0usize, 0usize);
    let bytes = source.as_bytes();
    let mut rest = bytes;
    while let Some(at) = rest.iter().position(|&b| b == b'<') {
        rest = &rest[at + 1..];
        let closing = rest.first() == Some(&b'/');
        let name_start = usize::from(closing);
        let name_len = rest[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
            .count();
        if name_len == 0 || !rest[name_start].is_ascii_alphabetic() {
            continue;
        }
        let name =
            String::from_utf8_lossy(&rest[name_start..name_start + name_len]).to_ascii_lowercase();
        if UNCOUNTED.contains(&name.as_str()) {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
        } else {
            let end = rest.iter().position(|&b| b == b'>').unwrap_or(rest.len());
            if !rest[..end].ends_with(b"/") {
                depth += 1;
                deepest = deepest.max(depth);
            }
        }
    }
    deepest
}

/// An inline style that hides the element.
fn hides(style: &str) -> bool {
    let style: String = style
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    style.contains("display:none") || style.contains("visibility:hidden")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(html: &str) -> String {
        let got = extract(html.as_bytes());
        assert_eq!(got.pages.len(), 1);
        got.pages[0].text.clone()
    }

    #[test]
    fn only_visible_text_is_kept() {
        let html = "<!DOCTYPE html><html><head><title>Titel</title><style>p{}</style>\
                    <script>var doelen = 1;</script></head><body><p>Zichtbaar</p>\
                    <noscript>geen script</noscript><template><p>sjabloon</p></template>\
                    <div hidden>verborgen</div><p style=\"display: none\">ook weg</p>\
                    <!-- commentaar --><p>Einde</p></body></html>";
        assert_eq!(text_of(html), "Zichtbaar\nEinde");
    }

    #[test]
    fn blocks_break_lines_and_inline_elements_do_not() {
        let html = "<h1>Doelen</h1><p>De <b>coördinator</b>\n   is <i>verantwoordelijk</i>.<br>Nieuwe regel</p><ul><li>een</li><li>twee</li></ul>";
        assert_eq!(
            text_of(html),
            "Doelen\nDe coördinator is verantwoordelijk.\nNieuwe regel\neen\ntwee"
        );
    }

    #[test]
    fn entities_are_decoded_and_tables_are_rows() {
        let html = "<p>co&ouml;rdinator &amp; team&nbsp;&#8211; &#x20AC;5</p>\
                    <table><tr><th>Doel</th><th>Wie</th></tr><tr><td>Lezen</td><td><p>Team</p><p>leider</p></td></tr></table>";
        assert_eq!(
            text_of(html),
            "coördinator & team\u{a0}– €5\nDoel | Wie\nLezen | Team leider"
        );
    }

    #[test]
    fn pre_keeps_its_white_space() {
        assert_eq!(text_of("<pre>a   b\n  c</pre><p>d</p>"), "a   b\n  c\nd");
    }

    #[test]
    fn hostile_nesting_is_refused_before_parsing() {
        let html = "<div>".repeat(100_000) + "diep";
        let got = extract(html.as_bytes());
        assert_eq!(got.status, Status::Error);
        assert!(got.message.contains("nests deeper"), "{}", got.message);
    }

    #[test]
    fn unclosed_paragraphs_are_not_deep() {
        let html = "<body>".to_string() + &"<p>regel<br>".repeat(5_000);
        assert_eq!(estimated_depth(&html), 0);
        assert_eq!(extract(html.as_bytes()).status, Status::Ok);
    }

    #[test]
    fn deep_nesting_does_not_overflow_the_stack() {
        let html = "<div>".repeat(1_000) + "diep" + &"</div>".repeat(1_000);
        assert_eq!(text_of(&html), "diep");
    }

    #[test]
    fn empty_page_has_no_text() {
        assert_eq!(
            extract(b"<html><body></body></html>").status,
            Status::NoText
        );
    }
}
