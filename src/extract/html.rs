//! HTML pages (.html, .htm): the text a reader sees, as one page.
//!
//! The page is parsed with html5ever (through `scraper`), which repairs broken markup the
//! way browsers do and decodes character references. The tree is then walked without
//! recursion (it may be arbitrarily deep). Left out: `head`, `script`, `style`, `template`,
//! `noscript`, `iframe`, `object`, `select`, comments, and elements marked `hidden` or
//! styled `display:none`. Block elements end lines; table rows are lines with their cells
//! joined by ` | `; white space collapses as in a browser except inside `pre`.

use super::office::{Pages, finished};
use super::{Deadline, Extraction, Format};
use crate::status::Status;
use ego_tree::iter::Edge;
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{Attribute, QualName};
use scraper::{Html, HtmlTreeSink, Node};
use std::borrow::Cow;
use std::cell::Cell;
use std::rc::Rc;

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

/// Elements the parser may build beyond one per byte of the page. A real page builds
/// fewer elements than it has bytes; misnested formatting elements make the parser build
/// them again for every paragraph (the HTML standard's "reconstruct the active formatting
/// elements"), so 40 KB of them built 5 million elements and half a GB.
const SPARE_ELEMENTS: usize = 200_000;

/// Bytes of the page given to the parser at a time; between two the element count and the
/// deadline are checked. Small, because one chunk can still build (chunk size / 7) times
/// the number of open formatting elements.
const CHUNK: usize = 1024;

pub(super) fn extract(bytes: &[u8], deadline: Deadline) -> Extraction {
    let source = super::text::decode(bytes);
    if estimated_depth(&source) > MAX_DEPTH {
        return Extraction::failed(
            Some(Format::Html),
            Status::Error,
            format!("HTML nests deeper than {MAX_DEPTH} elements"),
        );
    }
    let limit = SPARE_ELEMENTS + source.len();
    let (document, timed_out) = match parse(&source, limit, deadline) {
        Ok(parsed) => parsed,
        Err(built) => {
            return Extraction::failed(
                Some(Format::Html),
                Status::Error,
                format!(
                    "HTML builds over {built} elements from {} bytes (misnested formatting tags?)",
                    source.len()
                ),
            );
        }
    };
    let status = if timed_out {
        Status::Timeout
    } else {
        Status::Ok
    };
    let message = if timed_out {
        "time limit reached while parsing the HTML (--timeout)".to_string()
    } else {
        String::new()
    };
    finished(Format::Html, text_of(&document), status, message)
}

/// The visible text of a parsed page.
fn text_of(document: &Html) -> Vec<String> {
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
    pages.finish()
}

/// Parses the page a chunk at a time; the document and whether the deadline cut it short,
/// or the number of elements built when that passed `limit`.
fn parse(source: &str, limit: usize, deadline: Deadline) -> Result<(Html, bool), usize> {
    let built = Rc::new(Cell::new(0));
    let sink = Counted {
        inner: HtmlTreeSink::new(Html::new_document()),
        built: Rc::clone(&built),
    };
    let mut parser = html5ever::parse_document(sink, Default::default());
    let mut rest = source;
    let mut timed_out = false;
    while !rest.is_empty() {
        let mut end = rest.len().min(CHUNK);
        while !rest.is_char_boundary(end) {
            end += 1;
        }
        parser.process(StrTendril::from_slice(&rest[..end]));
        rest = &rest[end..];
        if built.get() > limit {
            return Err(built.get());
        }
        if !rest.is_empty() && deadline.expired() {
            timed_out = true;
            break;
        }
    }
    let document = parser.finish();
    if built.get() > limit {
        return Err(built.get());
    }
    Ok((document, timed_out))
}

/// scraper's tree builder, counting the elements it creates.
struct Counted {
    inner: HtmlTreeSink,
    built: Rc<Cell<usize>>,
}

/// Everything is passed on to scraper's sink; only `create_element` counts.
impl TreeSink for Counted {
    type Handle = <HtmlTreeSink as TreeSink>::Handle;
    type Output = Html;
    type ElemName<'a> = <HtmlTreeSink as TreeSink>::ElemName<'a>;

    fn finish(self) -> Html {
        self.inner.finish()
    }
    fn parse_error(&self, msg: Cow<'static, str>) {
        self.inner.parse_error(msg)
    }
    fn get_document(&self) -> Self::Handle {
        self.inner.get_document()
    }
    fn elem_name<'a>(&'a self, target: &'a Self::Handle) -> Self::ElemName<'a> {
        self.inner.elem_name(target)
    }
    fn create_element(
        &self,
        name: QualName,
        attrs: Vec<Attribute>,
        flags: ElementFlags,
    ) -> Self::Handle {
        self.built.set(self.built.get() + 1);
        self.inner.create_element(name, attrs, flags)
    }
    fn create_comment(&self, text: StrTendril) -> Self::Handle {
        self.inner.create_comment(text)
    }
    fn create_pi(&self, target: StrTendril, data: StrTendril) -> Self::Handle {
        self.inner.create_pi(target, data)
    }
    fn append(&self, parent: &Self::Handle, child: NodeOrText<Self::Handle>) {
        self.inner.append(parent, child)
    }
    fn append_based_on_parent_node(
        &self,
        element: &Self::Handle,
        prev_element: &Self::Handle,
        child: NodeOrText<Self::Handle>,
    ) {
        self.inner
            .append_based_on_parent_node(element, prev_element, child)
    }
    fn append_doctype_to_document(
        &self,
        name: StrTendril,
        public_id: StrTendril,
        system_id: StrTendril,
    ) {
        self.inner
            .append_doctype_to_document(name, public_id, system_id)
    }
    fn mark_script_already_started(&self, node: &Self::Handle) {
        self.inner.mark_script_already_started(node)
    }
    fn pop(&self, node: &Self::Handle) {
        self.inner.pop(node)
    }
    fn get_template_contents(&self, target: &Self::Handle) -> Self::Handle {
        self.inner.get_template_contents(target)
    }
    fn same_node(&self, x: &Self::Handle, y: &Self::Handle) -> bool {
        self.inner.same_node(x, y)
    }
    fn set_quirks_mode(&self, mode: QuirksMode) {
        self.inner.set_quirks_mode(mode)
    }
    fn append_before_sibling(&self, sibling: &Self::Handle, new_node: NodeOrText<Self::Handle>) {
        self.inner.append_before_sibling(sibling, new_node)
    }
    fn add_attrs_if_missing(&self, target: &Self::Handle, attrs: Vec<Attribute>) {
        self.inner.add_attrs_if_missing(target, attrs)
    }
    fn associate_with_form(
        &self,
        target: &Self::Handle,
        form: &Self::Handle,
        nodes: (&Self::Handle, Option<&Self::Handle>),
    ) {
        self.inner.associate_with_form(target, form, nodes)
    }
    fn remove_from_parent(&self, target: &Self::Handle) {
        self.inner.remove_from_parent(target)
    }
    fn reparent_children(&self, node: &Self::Handle, new_parent: &Self::Handle) {
        self.inner.reparent_children(node, new_parent)
    }
    fn is_mathml_annotation_xml_integration_point(&self, handle: &Self::Handle) -> bool {
        self.inner
            .is_mathml_annotation_xml_integration_point(handle)
    }
    fn set_current_line(&self, line_number: u64) {
        self.inner.set_current_line(line_number)
    }
    fn allow_declarative_shadow_roots(&self, intended_parent: &Self::Handle) -> bool {
        self.inner.allow_declarative_shadow_roots(intended_parent)
    }
    fn attach_declarative_shadow(
        &self,
        location: &Self::Handle,
        template: &Self::Handle,
        attrs: &[Attribute],
    ) -> bool {
        self.inner
            .attach_declarative_shadow(location, template, attrs)
    }
    fn maybe_clone_an_option_into_selectedcontent(&self, option: &Self::Handle) {
        self.inner
            .maybe_clone_an_option_into_selectedcontent(option)
    }
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
    use std::time::Duration;

    fn read(html: &[u8]) -> Extraction {
        extract(html, Deadline::after(Duration::from_secs(60)))
    }

    fn text_of(html: &str) -> String {
        let got = read(html.as_bytes());
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
        let got = read(html.as_bytes());
        assert_eq!(got.status, Status::Error);
        assert!(got.message.contains("nests deeper"), "{}", got.message);
    }

    #[test]
    fn unclosed_paragraphs_are_not_deep() {
        let html = "<body>".to_string() + &"<p>regel<br>".repeat(5_000);
        assert_eq!(estimated_depth(&html), 0);
        assert_eq!(read(html.as_bytes()).status, Status::Ok);
    }

    #[test]
    fn deep_nesting_does_not_overflow_the_stack() {
        let html = "<div>".repeat(1_000) + "diep" + &"</div>".repeat(1_000);
        assert_eq!(text_of(&html), "diep");
    }

    #[test]
    fn empty_page_has_no_text() {
        assert_eq!(read(b"<html><body></body></html>").status, Status::NoText);
    }

    #[test]
    fn misnested_formatting_elements_cannot_build_millions_of_elements() {
        // Fuzz finding: 1,000 formatting elements left open in a closed paragraph are
        // built again for every later paragraph; 40 KB took 5 s and 526 MB (release).
        let mut html = "<p>".to_string();
        for i in 0..1000 {
            html.push_str(&format!("<b class=c{i}>"));
        }
        html.push_str("</p>");
        html.push_str(&"<p>x</p>".repeat(3000));
        let got = read(html.as_bytes());
        assert_eq!(got.status, Status::Error);
        assert!(
            got.message.contains("misnested formatting"),
            "{}",
            got.message
        );
    }

    #[test]
    fn a_few_formatting_elements_reopened_per_paragraph_are_fine() {
        let html = "<p><b><i><u></p>".to_string() + &"<p>tekst</p>".repeat(5000);
        let got = read(html.as_bytes());
        assert_eq!(got.status, Status::Ok);
        assert_eq!(got.pages[0].text.lines().count(), 5000);
    }

    #[test]
    fn a_page_read_in_chunks_reads_as_in_one_piece() {
        // Multi-byte characters, references, tags and CR LF cut at every chunk boundary.
        let mut html = String::from("<!DOCTYPE html><html><body>");
        let pieces = [
            "coördinator ",
            "&amp;&eacute;&#x20AC; ",
            "<b>vet</b> ",
            "\r\n",
            "<p>alinea</p>",
            "€",
        ];
        let mut i = 0;
        while html.len() < 12 * CHUNK {
            html.push_str(pieces[i % pieces.len()]);
            i += 1;
        }
        let whole = Html::parse_document(&html);
        let (chunked, timed_out) =
            parse(&html, usize::MAX, Deadline::after(Duration::from_secs(60))).unwrap();
        assert!(!timed_out);
        assert_eq!(super::text_of(&chunked), super::text_of(&whole));
    }

    #[test]
    fn the_deadline_stops_the_parse_and_keeps_what_was_read() {
        let html = "<p>Het team evalueert jaarlijks.</p>".repeat(200);
        let got = extract(html.as_bytes(), Deadline::after(Duration::ZERO));
        assert_eq!(got.status, Status::Timeout);
        assert!(
            got.pages[0]
                .text
                .starts_with("Het team evalueert jaarlijks.")
        );
        assert!(got.pages[0].text.len() < html.len() / 2, "stopped early");
    }
}
