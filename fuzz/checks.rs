//! What must hold for any input, whatever its bytes: the properties the fuzz targets check,
//! shared with `tests/fuzz_regressions.rs`, which runs every kept finding through the same
//! checks in `cargo test` (no cargo-fuzz or nightly compiler needed there).
//!
//! A violated property panics with a message saying which one; libFuzzer reports the
//! panic as a crash, and the regression test as a failure. Hangs and memory blow-ups are
//! caught from outside (`-timeout`, `-rss_limit_mb`; the regression test times each input).

#![allow(dead_code)] // each fuzz target uses one entry point of this file

use borging::extract::{Extraction, Format, Options, Page, extract_bytes, one_line};
use borging::matcher::{Hit, hits};
use borging::normalize::{fold, text_words, words};
use borging::outcome::Status;
use borging::rules::RuleSet;
use borging::score::score;
use std::sync::OnceLock;
use std::time::Duration;

/// The targets, each an entry point below; also the folder names under `fixtures/fuzz/`.
pub const TARGETS: [&str; 6] = ["extract", "office", "html", "rtf", "sniff", "matcher"];

/// Runs the target named `target` on one input.
pub fn run(target: &str, data: &[u8]) {
    match target {
        "extract" => extract(data),
        "office" => office(data),
        "html" => html(data),
        "rtf" => rtf(data),
        "sniff" => sniff(data),
        "matcher" => matcher(data),
        other => panic!("no fuzz target {other}"),
    }
}

/// The deadline of one document in the fuzz runs: well below libFuzzer's `-timeout=10`,
/// so that a reader that honours it never counts as a hang.
pub fn options() -> Options {
    Options {
        timeout: Duration::from_secs(2),
        ..Options::default()
    }
}

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(RuleSet::bundled)
}

/// Bytes claimed to be a PDF (the target of issue 5).
pub fn extract(data: &[u8]) {
    let got = extract_bytes(data, Some(Format::Pdf), &options());
    check_extraction(Some(Format::Pdf), &got);
    check_matching(&got.pages);
}

/// Bytes named `.docx` and `.odt`: the package's content decides, so both names give the
/// same pages.
pub fn office(data: &[u8]) {
    let as_docx = extract_bytes(data, Some(Format::Docx), &options());
    check_extraction(Some(Format::Docx), &as_docx);
    let as_odt = extract_bytes(data, Some(Format::Odt), &options());
    check_extraction(Some(Format::Odt), &as_odt);
    if as_docx.status != Status::Error && as_odt.status != Status::Error {
        assert_same("as .docx", &as_docx, "as .odt", &as_odt);
    }
    check_matching(&as_docx.pages);
}

/// Bytes named `.html`.
pub fn html(data: &[u8]) {
    let got = extract_bytes(data, Some(Format::Html), &options());
    check_extraction(Some(Format::Html), &got);
    check_matching(&got.pages);
}

/// Bytes named `.rtf`.
pub fn rtf(data: &[u8]) {
    let got = extract_bytes(data, Some(Format::Rtf), &options());
    check_extraction(Some(Format::Rtf), &got);
    check_matching(&got.pages);
}

/// The same bytes under every name (and none): the content decides where it is
/// unambiguous, a `.pdf` must be a PDF, a `.txt`/`.md` must be text (README, Usage).
pub fn sniff(data: &[u8]) {
    let by_content = extract_bytes(data, None, &options());
    check_extraction(None, &by_content);
    let content = by_content.format;
    for claimed in Format::ALL {
        let got = extract_bytes(data, Some(claimed), &options());
        check_extraction(Some(claimed), &got);
        let name = format!("named .{}", claimed.as_str());
        assert!(
            got.format == Some(claimed) || got.format == content,
            "{name}: format {:?} is neither the name's nor the content's ({content:?})",
            got.format
        );
        let text_name = matches!(claimed, Format::Text | Format::Markdown);
        match content {
            // A PDF is read as a PDF whatever its name.
            Some(Format::Pdf) => assert_same(&name, &got, "unnamed", &by_content),
            // A .pdf must be a PDF.
            _ if claimed == Format::Pdf => {
                assert_eq!(got.status, Status::Error, "{name}: not a PDF, yet read");
                assert!(
                    got.message.starts_with("not a PDF"),
                    "{name}: {}",
                    got.message
                );
            }
            // RTF is RTF under any other name, a .txt holding RTF included.
            Some(Format::Rtf) => assert_same(&name, &got, "unnamed", &by_content),
            // A flat ODT is XML, which a text name reads as text.
            Some(Format::Odt) if text_name && !data.starts_with(b"PK\x03\x04") => {
                assert_eq!(
                    got.format,
                    Some(claimed),
                    "{name}: a flat ODT not read as text"
                );
            }
            // An office package is read by its content, except under a text name.
            Some(Format::Docx | Format::Odt) if text_name => {
                assert_eq!(got.status, Status::Error, "{name}: a package read as text");
            }
            Some(Format::Docx | Format::Odt) => assert_same(&name, &got, "unnamed", &by_content),
            // A page that says it is HTML is HTML under every name but a text one.
            Some(Format::Html) if text_name => {
                assert_eq!(got.status, Status::Error, "{name}: HTML read as text");
            }
            Some(Format::Html) => assert_same(&name, &got, "unnamed", &by_content),
            // Text is text as .txt and .md alike, and HTML when named so.
            Some(Format::Text) if text_name => {
                assert_eq!(
                    got.pages, by_content.pages,
                    "{name}: other pages than as text"
                );
                assert_eq!(got.status, by_content.status, "{name}");
            }
            Some(Format::Text) if claimed == Format::Html => {
                assert_eq!(
                    got.format,
                    Some(Format::Html),
                    "{name}: text not read as HTML"
                );
            }
            Some(Format::Text) => {
                assert_eq!(
                    got.status,
                    Status::Error,
                    "{name}: plain text read as {claimed:?}"
                );
            }
            _ => {}
        }
    }
}

/// Arbitrary text as pages (split at form feeds, as `borging extract` prints them):
/// normalisation and matching with the default rules.
pub fn matcher(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let pages: Vec<Page> = text
        .split('\u{c}')
        .enumerate()
        .map(|(i, text)| Page {
            number: i as u32 + 1,
            label: None,
            text: text.to_string(),
            ocr: false,
        })
        .collect();
    for page in &pages {
        check_folding(&page.text);
    }
    check_matching(&pages);
}

/// What every extraction keeps to, whatever the reader.
pub fn check_extraction(claimed: Option<Format>, got: &Extraction) {
    for (i, page) in got.pages.iter().enumerate() {
        assert_eq!(
            page.number as usize,
            i + 1,
            "pages are numbered 1, 2, … in order"
        );
        assert!(
            !page.text.contains('\u{c}'),
            "page {} holds a form feed: `borging extract` would print it as a page break",
            page.number
        );
    }
    assert!(
        !got.message.contains(['\n', '\r']),
        "the message is one line: {:?}",
        got.message
    );
    if claimed == Some(Format::Pdf) {
        assert_eq!(
            got.format,
            Some(Format::Pdf),
            "a .pdf keeps its format column"
        );
    }
    let blank = got.pages.iter().all(|p| p.text.trim().is_empty());
    match got.status {
        Status::Error | Status::Encrypted => {
            assert!(got.pages.is_empty(), "{:?} with pages", got.status);
            assert!(!got.message.is_empty(), "{:?} without a reason", got.status);
        }
        Status::NoText => assert!(blank, "no_text, yet a page has text"),
        // A PDF page of spaces counts as read; the other readers trim.
        Status::Ok if got.format == Some(Format::Pdf) => {
            assert!(
                got.pages.iter().any(|p| !p.text.is_empty()),
                "ok without text"
            );
        }
        Status::Ok => assert!(!blank, "ok without text"),
        Status::Timeout => {}
    }
    if got.status == Status::Ok && got.format != Some(Format::Pdf) {
        assert!(got.message.is_empty(), "ok with a message: {}", got.message);
    }
}

/// Two extractions of the same bytes agree (unless one of them ran out of time).
fn assert_same(a_name: &str, a: &Extraction, b_name: &str, b: &Extraction) {
    if a.status == Status::Timeout || b.status == Status::Timeout {
        return;
    }
    assert_eq!(a.format, b.format, "format {a_name} vs {b_name}");
    assert_eq!(a.status, b.status, "status {a_name} vs {b_name}");
    assert_eq!(a.message, b.message, "message {a_name} vs {b_name}");
    assert_eq!(a.pages, b.pages, "pages {a_name} vs {b_name}");
}

/// Folding (normalize.rs) keeps its promises: lower case, no combining marks, soft hyphens
/// or zero-width characters left, and a map back to the original that is monotone and
/// lands on character boundaries.
pub fn check_folding(original: &str) {
    let folded = fold(original);
    for c in folded.text.chars() {
        assert!(
            !unicode_mark(c),
            "folded text keeps the combining mark U+{:04X}",
            c as u32
        );
        assert!(
            !matches!(
                c,
                '\u{ad}' | '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}'
            ),
            "folded text keeps the invisible U+{:04X}",
            c as u32
        );
        assert!(
            c.to_lowercase().eq(std::iter::once(c)),
            "folded text keeps {c:?} (U+{:04X}), which is not lower case",
            c as u32
        );
    }
    let mut last = 0;
    for (pos, _) in folded.text.char_indices() {
        let from = folded.origin(pos);
        assert!(
            from <= original.len(),
            "folded byte {pos} maps past the end"
        );
        assert!(
            original.is_char_boundary(from),
            "folded byte {pos} maps inside a character ({from})"
        );
        assert!(
            from >= last,
            "the map back goes backwards at folded byte {pos}"
        );
        last = from;
    }
    assert!(
        folded.joints.windows(2).all(|w| w[0] <= w[1]),
        "joints ascend"
    );
    for &joint in &folded.joints {
        let joint = joint as usize;
        assert!(
            folded.text.is_char_boundary(joint),
            "a joint at {joint} is not on a character boundary of the folded text"
        );
    }
    let spans = text_words(&folded.text);
    assert_eq!(
        spans,
        words(&folded.text, |_| false),
        "the fast word splitter agrees with the plain one"
    );
    for &(start, end) in &spans {
        let (from, to) = folded.origin_range(original, start, end);
        assert!(
            from <= to && to <= original.len(),
            "word {start}..{end} maps to {from}..{to}"
        );
        assert!(original.is_char_boundary(from) && original.is_char_boundary(to));
    }
}

/// A combining mark (general categories Mn, Mc, Me), the ones folding drops.
fn unicode_mark(c: char) -> bool {
    // The crate that folds decides what a combining mark is; ask it too.
    unicode_normalization::char::is_combining_mark(c)
}

/// Matching with the default rules: every hit inside its page, offsets on characters,
/// the matched words as the page has them, the sentence holding the match; the result
/// does not depend on the pages matched before.
pub fn check_matching(pages: &[Page]) {
    let rules = rules();
    let all = hits(rules, pages);
    let mut per_page = Vec::new();
    for page in pages {
        per_page.extend(hits(rules, std::slice::from_ref(page)));
    }
    assert_eq!(
        all, per_page,
        "hits of a page depend on the pages before it"
    );
    // Byte offset of every character of each page, and the page's length after them.
    let bounds: Vec<Vec<usize>> = pages
        .iter()
        .map(|p| {
            let mut b: Vec<usize> = p.text.char_indices().map(|(i, _)| i).collect();
            b.push(p.text.len());
            b
        })
        .collect();
    let mut previous: Option<&Hit> = None;
    for hit in &all {
        let index = pages
            .iter()
            .position(|p| p.number == hit.page)
            .unwrap_or_else(|| panic!("hit on page {}, which does not exist", hit.page));
        check_hit(rules, &pages[index], &bounds[index], hit);
        if let Some(p) = previous {
            let before = pages.iter().position(|q| q.number == p.page).unwrap_or(0);
            assert!(
                before < index
                    || (before == index
                        && (p.start, p.category, p.end) <= (hit.start, hit.category, hit.end)),
                "hits are in page order, then text order"
            );
        }
        previous = Some(hit);
    }
    let scored = score(rules, &all);
    assert_eq!(scored.categories.len(), rules.categories.len());
    for (i, category) in scored.categories.iter().enumerate() {
        let counted = all.iter().filter(|h| h.category == i && !h.negated).count();
        assert_eq!(
            category.hits as usize, counted,
            "hits counted in category {i}"
        );
        assert!(
            !category.evidence.contains(['\n', '\r']),
            "evidence on one line"
        );
    }
}

fn check_hit(rules: &RuleSet, page: &Page, bounds: &[usize], hit: &Hit) {
    let chars = bounds.len() - 1;
    assert!(
        hit.start < hit.end && hit.end <= chars,
        "hit {}..{} outside page {} of {chars} characters",
        hit.start,
        hit.end,
        page.number
    );
    let byte = |char_offset: usize| bounds[char_offset];
    let (start, end) = (byte(hit.start), byte(hit.end));
    assert_eq!(
        hit.matched,
        page.text[start..end],
        "`matched` is the page text at the hit's offsets"
    );
    assert!(!hit.matched.trim().is_empty(), "a hit matches something");
    let category = rules
        .categories
        .get(hit.category)
        .unwrap_or_else(|| panic!("hit in category {}, which does not exist", hit.category));
    assert!(
        category.rules.iter().any(|r| *r.id == *hit.rule),
        "hit of rule {} outside its category {}",
        hit.rule,
        category.id
    );
    assert!(
        hit.sentence_start <= hit.start,
        "the sentence starts ({}) after the match ({})",
        hit.sentence_start,
        hit.start
    );
    assert!(
        !hit.sentence.contains(['\n', '\r']),
        "the sentence is one line"
    );
    let body = hit.sentence.strip_suffix(" …").unwrap_or(&hit.sentence);
    let matched = one_line(&hit.matched);
    assert!(
        body.contains(&matched),
        "the sentence {:?} does not hold the match {matched:?}",
        hit.sentence
    );
    if !body.starts_with("… ") {
        // Not cut at the front: the sentence runs from its start through the match.
        let upto = one_line(&page.text[byte(hit.sentence_start)..end]);
        assert!(
            body.starts_with(&upto),
            "the sentence {:?} is not the page text from its start ({upto:?})",
            hit.sentence
        );
    }
}
