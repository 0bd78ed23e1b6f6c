//! Rich Text Format (.rtf), as old Word versions and WordPad save applications: a small
//! tokenizer, not a full RTF reader, because the text is all the rules need.
//!
//! Groups that hold no document text are dropped: the font, colour, style and list tables,
//! document info, pictures, objects, field instructions and every `{\*\...}` destination
//! a reader may ignore. `\par` and `\line` end lines, `\page` starts a page, `\tab` is a
//! tab, `\cell` separates table cells with ` | ` and `\row` ends a row. `\'xx` is a byte in
//! Windows-1252 (the code page of Dutch Windows); `\uN` is a Unicode character, followed by
//! `\ucN` fallback characters that are skipped. Nesting is bounded, and no recursion is
//! used, so hostile input costs one error row.
//!
//! Headers and footers are read where the file has them (usually before the body);
//! footnotes are read where they are cited, inside the citing paragraph, unlike .docx and
//! .odt where they come last: RTF stores them inline and moving them would need a second
//! pass that this small reader does not make.

use super::office::{Pages, finished};
use super::{Extraction, Format};
use crate::status::Status;

/// Group nesting refused; real files nest about ten deep.
const MAX_DEPTH: usize = 1024;

/// Destinations whose content is not document text.
const SKIPPED: &[&str] = &[
    "fonttbl",
    "colortbl",
    "stylesheet",
    "info",
    "pict",
    "object",
    "fldinst",
    "listtable",
    "listoverridetable",
    "revtbl",
    "rsidtbl",
    "filetbl",
    "generator",
    "themedata",
    "colorschememapping",
    "latentstyles",
    "datastore",
    "xmlnsdecl",
    "pntext",
    "listtext",
    "bkmkstart",
    "bkmkend",
];

#[derive(Clone, Copy)]
struct Group {
    skip: bool,
    /// Fallback characters that follow a `\uN`.
    fallback: usize,
}

pub(super) fn extract(bytes: &[u8]) -> Extraction {
    match read(bytes) {
        Ok(pages) => finished(Format::Rtf, pages, Status::Ok, String::new()),
        Err(reason) => Extraction::failed(Some(Format::Rtf), Status::Error, reason),
    }
}

fn read(bytes: &[u8]) -> Result<Vec<String>, String> {
    let mut pages = Pages::default();
    let mut stack: Vec<Group> = Vec::new();
    let mut group = Group {
        skip: false,
        fallback: 1,
    };
    // Fallback characters still to skip after a `\uN`.
    let mut pending = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        i += 1;
        match b {
            b'{' => {
                if stack.len() >= MAX_DEPTH {
                    return Err(format!("RTF nests deeper than {MAX_DEPTH} groups"));
                }
                stack.push(group);
                pending = 0;
            }
            b'}' => {
                group = stack.pop().unwrap_or(group);
                pending = 0;
            }
            b'\r' | b'\n' => {}
            b'\\' => {
                let Some(&next) = bytes.get(i) else { break };
                if next.is_ascii_alphabetic() {
                    let start = i;
                    while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                        i += 1;
                    }
                    let word = std::str::from_utf8(&bytes[start..i]).unwrap_or("");
                    let digits_start = i;
                    if i < bytes.len() && bytes[i] == b'-' {
                        i += 1;
                    }
                    while i < bytes.len() && bytes[i].is_ascii_digit() && i - digits_start < 12 {
                        i += 1;
                    }
                    let param: Option<i64> = std::str::from_utf8(&bytes[digits_start..i])
                        .ok()
                        .and_then(|s| s.parse().ok());
                    if bytes.get(i) == Some(&b' ') {
                        i += 1;
                    }
                    if word == "bin" {
                        i = i.saturating_add(param.unwrap_or(0).max(0) as usize);
                        continue;
                    }
                    if SKIPPED.contains(&word) {
                        group.skip = true;
                    }
                    if word == "footnote" {
                        // Written as an ignorable `{\*\footnote ...}` by some programs, but
                        // its text is part of the document: read it where it is cited.
                        group.skip = stack.last().is_some_and(|g| g.skip);
                        pages.push(' ');
                    }
                    if word == "uc" {
                        group.fallback = param.unwrap_or(1).clamp(0, 16) as usize;
                    }
                    if group.skip {
                        continue;
                    }
                    if pending > 0 && word != "u" {
                        // A control word counts as one fallback character.
                        pending -= 1;
                        continue;
                    }
                    match word {
                        "par" | "line" | "sect" => pages.line_break(),
                        "page" | "pagebb" => pages.page_break(),
                        "tab" => pages.push('\t'),
                        "cell" => pages.text(" | "),
                        "row" => {
                            pages.text("\u{0}");
                            pages.line_break();
                        }
                        "emdash" => pages.push('—'),
                        "endash" => pages.push('–'),
                        "lquote" => pages.push('‘'),
                        "rquote" => pages.push('’'),
                        "ldblquote" => pages.push('“'),
                        "rdblquote" => pages.push('”'),
                        "bullet" => pages.push('•'),
                        "u" => {
                            let code = param.unwrap_or(0);
                            let code = if code < 0 { code + 65536 } else { code };
                            if let Some(c) = u32::try_from(code).ok().and_then(char::from_u32) {
                                pages.push(c);
                            }
                            pending = group.fallback;
                        }
                        _ => {}
                    }
                } else {
                    i += 1;
                    match next {
                        b'*' => group.skip = true,
                        b'\'' => {
                            let hex = bytes
                                .get(i..i + 2)
                                .and_then(|h| std::str::from_utf8(h).ok());
                            let byte = hex.and_then(|h| u8::from_str_radix(h, 16).ok());
                            i += 2;
                            if let Some(byte) = byte {
                                emit(
                                    &mut pages,
                                    group,
                                    &mut pending,
                                    super::text::windows_1252(byte),
                                );
                            }
                        }
                        b'~' => emit(&mut pages, group, &mut pending, '\u{a0}'),
                        b'_' => emit(&mut pages, group, &mut pending, '-'),
                        b'-' => {}
                        b'\r' | b'\n' if !group.skip => pages.line_break(),
                        other => emit(&mut pages, group, &mut pending, other as char),
                    }
                }
            }
            other => {
                let c = if other < 0x80 {
                    other as char
                } else {
                    super::text::windows_1252(other)
                };
                emit(&mut pages, group, &mut pending, c);
            }
        }
    }
    let pages = pages.finish();
    // `\row` follows the last `\cell`: drop that cell's separator at the end of the row.
    Ok(pages
        .into_iter()
        .map(|p| p.replace(" | \u{0}", "").replace('\u{0}', ""))
        .collect())
}

fn emit(pages: &mut Pages, group: Group, pending: &mut usize, c: char) {
    if group.skip {
        return;
    }
    if *pending > 0 {
        *pending -= 1;
        return;
    }
    pages.push(c);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pages(rtf: &str) -> Vec<String> {
        let got = extract(rtf.as_bytes());
        assert_eq!(got.status, Status::Ok, "{}", got.message);
        got.pages.into_iter().map(|p| p.text).collect()
    }

    #[test]
    fn tables_of_fonts_colours_and_ignorable_destinations_are_dropped() {
        let rtf = r"{\rtf1\ansi\deff0{\fonttbl{\f0 Calibri;}}{\colortbl;\red0\green0\blue0;}{\*\generator Word;}{\info{\title Geheim}}\pard\f0 Onze doelen\par}";
        assert_eq!(pages(rtf), vec!["Onze doelen"]);
    }

    #[test]
    fn code_page_and_unicode_escapes_become_characters() {
        let rtf = r"{\rtf1\ansi\uc1 co\'f6rdinator \u8220?eigenaar\u8221?\par}";
        assert_eq!(pages(rtf), vec!["coördinator “eigenaar”"]);
    }

    #[test]
    fn page_breaks_tabs_and_tables() {
        let rtf = r"{\rtf1 een\tab twee\page\trowd Doel\cell Wie\cell\row evaluatie\par}";
        assert_eq!(pages(rtf), vec!["een\ttwee", "Doel | Wie\nevaluatie"]);
    }

    #[test]
    fn footnotes_are_read_and_list_numbers_are_not() {
        let rtf = r"{\rtf1 {\listtext 1.\tab}Doelen\par meetbaar.{\super\chftn{\*\footnote\chftn Gemeten.}} Klaar\par}";
        assert_eq!(pages(rtf), vec!["Doelen\nmeetbaar. Gemeten. Klaar"]);
    }

    #[test]
    fn hostile_nesting_is_an_error() {
        let rtf = "{\\rtf1 ".to_string() + &"{".repeat(MAX_DEPTH + 5);
        assert_eq!(extract(rtf.as_bytes()).status, Status::Error);
    }
}
