//! Simple-font encodings: the built-in code tables (Standard, WinAnsi, MacRoman,
//! PDFDoc, Symbol), glyph names to Unicode (the Adobe Glyph List subset for Latin text,
//! `uniXXXX`, `uXXXX`, `f_f_i` ligature sequences), and the expansion of ligature code
//! points into plain letters.
//!
//! A simple font's code becomes text through its `/Encoding`: a base table, then the
//! `/Differences` that rename single codes. Names are the only carrier of meaning for
//! Type3 fonts and for many LaTeX fonts, so the name resolution must handle the naming
//! conventions producers use, and give up (unmapped) rather than guess.

use super::tables;

/// A built-in code table of a simple font.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BaseEncoding {
    Standard,
    WinAnsi,
    MacRoman,
    PdfDoc,
    Symbol,
    /// No table: every code is unmapped unless `/Differences` or ToUnicode names it.
    None,
}

impl BaseEncoding {
    /// The encoding for an `/Encoding` or `/BaseEncoding` name; `None` for names we do
    /// not know (MacExpertEncoding and the like carry no Latin text worth guessing).
    pub fn from_name(name: &[u8]) -> Option<BaseEncoding> {
        match name {
            b"StandardEncoding" => Some(BaseEncoding::Standard),
            b"WinAnsiEncoding" => Some(BaseEncoding::WinAnsi),
            b"MacRomanEncoding" => Some(BaseEncoding::MacRoman),
            b"PDFDocEncoding" => Some(BaseEncoding::PdfDoc),
            b"SymbolEncoding" => Some(BaseEncoding::Symbol),
            _ => None,
        }
    }

    /// The Unicode character of `code`, if the table has one.
    pub fn char(self, code: u8) -> Option<char> {
        let table = match self {
            BaseEncoding::Standard => &tables::STANDARD,
            BaseEncoding::WinAnsi => &tables::WIN_ANSI,
            BaseEncoding::MacRoman => &tables::MAC_ROMAN,
            BaseEncoding::PdfDoc => &tables::PDF_DOC,
            BaseEncoding::Symbol => &tables::SYMBOL,
            BaseEncoding::None => return None,
        };
        match table[usize::from(code)] {
            0 => None,
            cp => char::from_u32(u32::from(cp)),
        }
    }
}

/// Longest glyph name we try to resolve; longer names are not Latin text.
const MAX_NAME: usize = 128;
/// Most components of an underscore ligature name (`f_f_i` has three).
const MAX_COMPONENTS: usize = 8;

/// The text of a glyph name, or `None` when the name says nothing we can trust.
///
/// Follows the Adobe Glyph List specification: drop everything from the first period
/// (`a.sc` is an `a`), split ligature names at underscores, and read each component
/// from the glyph list or as `uniXXXX[XXXX…]` / `uXXXX[XX]`. Any unknown component
/// makes the whole name unmapped, since half a ligature is noise.
pub fn glyph_name_text(name: &[u8]) -> Option<String> {
    if name.len() > MAX_NAME {
        return None;
    }
    let name = std::str::from_utf8(name).ok()?;
    let base = match name.find('.') {
        Some(dot) => &name[..dot],
        None => name,
    };
    if base.is_empty() {
        return None;
    }
    let mut out = String::new();
    for (index, component) in base.split('_').enumerate() {
        if index >= MAX_COMPONENTS {
            return None;
        }
        component_text(component, &mut out)?;
    }
    if out.is_empty() { None } else { Some(out) }
}

/// Appends the text of one name component; `None` if the component is unknown.
fn component_text(component: &str, out: &mut String) -> Option<()> {
    if let Ok(at) =
        tables::GLYPH_NAMES.binary_search_by(|(n, _)| n.as_bytes().cmp(component.as_bytes()))
    {
        let c = char::from_u32(u32::from(tables::GLYPH_NAMES[at].1))?;
        push_expanded(out, c);
        return Some(());
    }
    if let Some(hex) = component.strip_prefix("uni") {
        // A sequence of four-digit UTF-16 code units, none of them surrogates.
        if hex.is_empty() || hex.len() % 4 != 0 {
            return None;
        }
        let mut chars = Vec::with_capacity(hex.len() / 4);
        for unit in hex.as_bytes().chunks(4) {
            let value = parse_hex(unit)?;
            if (0xD800..0xE000).contains(&value) {
                return None;
            }
            chars.push(char::from_u32(value)?);
        }
        chars.into_iter().for_each(|c| push_expanded(out, c));
        return Some(());
    }
    if let Some(hex) = component.strip_prefix('u') {
        if !(4..=6).contains(&hex.len()) {
            return None;
        }
        let value = parse_hex(hex.as_bytes())?;
        if (0xD800..0xE000).contains(&value) {
            return None;
        }
        push_expanded(out, char::from_u32(value)?);
        return Some(());
    }
    None
}

fn parse_hex(digits: &[u8]) -> Option<u32> {
    digits.iter().try_fold(0u32, |acc, &d| {
        let v = (d as char).to_digit(16)?;
        Some(acc.checked_mul(16)? + v)
    })
}

/// The plain letters of a Latin ligature code point (U+FB00–FB06), which the text is
/// easier to read and match without; `None` for every other character.
pub fn ligature_letters(c: char) -> Option<&'static str> {
    match c {
        '\u{FB00}' => Some("ff"),
        '\u{FB01}' => Some("fi"),
        '\u{FB02}' => Some("fl"),
        '\u{FB03}' => Some("ffi"),
        '\u{FB04}' => Some("ffl"),
        '\u{FB05}' | '\u{FB06}' => Some("st"),
        _ => None,
    }
}

/// Appends `c`, with ligatures written out as their letters.
pub fn push_expanded(out: &mut String, c: char) {
    match ligature_letters(c) {
        Some(letters) => out.push_str(letters),
        None => out.push(c),
    }
}

/// The encoding built into an embedded Type1 font program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Builtin {
    Standard,
    /// `(code, glyph name)` pairs from `dup <code> /<name> put`.
    Names(Vec<(u8, Vec<u8>)>),
}

/// Most bytes of a Type1 program searched for its encoding: the encoding sits in the
/// clear-text header, which is a few kilobytes.
const MAX_TYPE1_HEADER: usize = 256 << 10;

/// Reads the `/Encoding` of a Type1 font program's clear-text part (the part before
/// `eexec`). LaTeX fonts embedded by dvips/Ghostscript without `/Encoding` in the PDF
/// carry their only code-to-glyph map here.
pub fn type1_builtin(program: &[u8]) -> Option<Builtin> {
    // A PFB segment header (0x80 0x01 + length) may precede the text.
    let program = match program {
        [0x80, 0x01, _, _, _, _, rest @ ..] => rest,
        other => other,
    };
    let header = &program[..program.len().min(MAX_TYPE1_HEADER)];
    let start = find(header, b"/Encoding")? + b"/Encoding".len();
    let end = find(&header[start..], b"eexec").map_or(header.len(), |e| start + e);
    let mut tokens = header[start..end]
        .split(|b| b.is_ascii_whitespace())
        .filter(|t| !t.is_empty());
    let first = tokens.next()?;
    if first == b"StandardEncoding" {
        return Some(Builtin::Standard);
    }
    let mut names = Vec::new();
    let mut window: [&[u8]; 4] = [b""; 4];
    for token in tokens {
        if token == b"readonly" || token == b"def" {
            break;
        }
        window.rotate_left(1);
        window[3] = token;
        if let [b"dup", code, name, b"put"] = window {
            let code = std::str::from_utf8(code)
                .ok()
                .and_then(|c| c.parse::<u8>().ok());
            if let (Some(code), Some(name)) = (code, name.strip_prefix(b"/")) {
                names.push((code, name.to_vec()));
            }
        }
    }
    Some(Builtin::Names(names))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The number in a glyph name made of one or two letters and digits (`a65`, `g0041`,
/// `C2c`, `cid12`): `(decimal value, hexadecimal value)`, either missing when the
/// digits do not read that way. Such names (dvips bitmap fonts, some PDF libraries)
/// say nothing but a number; whether it is the character code is the font's matter.
pub fn numbered_name(name: &[u8]) -> Option<(Option<u32>, Option<u32>)> {
    let letters = name.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let digits = &name[letters..];
    if !(1..=3).contains(&letters) || !(2..=4).contains(&digits.len()) {
        return None;
    }
    if !digits.iter().all(u8::is_ascii_hexdigit) || !digits[0].is_ascii_digit() {
        return None;
    }
    let decimal = std::str::from_utf8(digits).ok()?.parse::<u32>().ok();
    Some((decimal, parse_hex(digits)))
}

/// The character a TeX font puts at `code` when its glyphs are known by code only:
/// ASCII in the middle, and outside it the T1 ("Cork") text encoding, the one whose
/// upper half has the accented letters (OT1 fonts have no upper half, and their
/// ligatures sit at 11–15, which T1 leaves to accents). `None` for accents alone and
/// marks that are no text.
pub fn tex_text_char(code: u8) -> Option<char> {
    const LOW: [Option<char>; 32] = {
        let mut t = [None; 32];
        t[0x0D] = Some('\u{201A}');
        t[0x0E] = Some('\u{2039}');
        t[0x0F] = Some('\u{203A}');
        t[0x10] = Some('\u{201C}');
        t[0x11] = Some('\u{201D}');
        t[0x12] = Some('\u{201E}');
        t[0x13] = Some('\u{AB}');
        t[0x14] = Some('\u{BB}');
        t[0x15] = Some('\u{2013}');
        t[0x16] = Some('\u{2014}');
        t[0x19] = Some('\u{131}');
        t[0x1A] = Some('\u{237}');
        t[0x1B] = Some('\u{FB00}');
        t[0x1C] = Some('\u{FB01}');
        t[0x1D] = Some('\u{FB02}');
        t[0x1E] = Some('\u{FB03}');
        t[0x1F] = Some('\u{FB04}');
        t
    };
    /// 0x80–0xBF of T1: accented capitals, then the same in lower case.
    const HIGH: &str = "ĂĄĆČĎĚĘĞĹĽŁŃŇŊŐŔŘŚŠŞŤŢŰŮŸŹŽŻĲİđ§ăąćčďěęğĺľłńňŋőŕřśšşťţűůÿźžżĳ¡¿£";
    match code {
        0..=0x1F => LOW[usize::from(code)],
        0x20..=0x7E => Some(char::from(code)),
        0x7F => Some('-'),
        0x80..=0xBF => HIGH.chars().nth(usize::from(code - 0x80)),
        0xD7 => Some('Œ'),
        0xDF => None,
        0xF7 => Some('œ'),
        0xFF => Some('ß'),
        _ => char::from_u32(u32::from(code)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(name: &str) -> Option<String> {
        glyph_name_text(name.as_bytes())
    }

    #[test]
    fn glyph_table_is_sorted_for_binary_search() {
        assert!(
            tables::GLYPH_NAMES
                .windows(2)
                .all(|w| w[0].0.as_bytes() < w[1].0.as_bytes())
        );
    }

    #[test]
    fn latin_names_resolve_including_accents() {
        assert_eq!(text("a").as_deref(), Some("a"));
        assert_eq!(text("edieresis").as_deref(), Some("ë"));
        assert_eq!(text("Eacute").as_deref(), Some("É"));
        assert_eq!(text("ij").as_deref(), Some("ĳ"));
        assert_eq!(text("quoteright").as_deref(), Some("\u{2019}"));
        assert_eq!(text("dotlessj").as_deref(), Some("\u{0237}"));
    }

    #[test]
    fn ligature_names_come_out_as_letters() {
        assert_eq!(text("fi").as_deref(), Some("fi"));
        assert_eq!(text("fl").as_deref(), Some("fl"));
        assert_eq!(text("ff").as_deref(), Some("ff"));
        assert_eq!(text("ffi").as_deref(), Some("ffi"));
        assert_eq!(text("ffl").as_deref(), Some("ffl"));
        assert_eq!(text("f_f_i").as_deref(), Some("ffi"));
        assert_eq!(text("T_h").as_deref(), Some("Th"));
    }

    #[test]
    fn uni_and_u_names_are_read_as_hex() {
        assert_eq!(text("uni0133").as_deref(), Some("ĳ"));
        assert_eq!(text("uni00660069").as_deref(), Some("fi"));
        assert_eq!(text("uniFB01").as_deref(), Some("fi"));
        assert_eq!(text("u00EB").as_deref(), Some("ë"));
        assert_eq!(text("u1F600").as_deref(), Some("😀"));
        // Names starting with "uni" that are real glyph names still resolve.
        assert_eq!(text("union").as_deref(), Some("\u{222A}"));
    }

    #[test]
    fn suffixes_after_a_period_are_ignored() {
        assert_eq!(text("a.sc").as_deref(), Some("a"));
        assert_eq!(text("f_i.alt").as_deref(), Some("fi"));
    }

    #[test]
    fn unknown_or_malformed_names_stay_unmapped() {
        assert_eq!(text(".notdef"), None);
        assert_eq!(text("g123"), None);
        assert_eq!(text("cid42"), None);
        assert_eq!(text("uniD800"), None); // a lone surrogate is not text
        assert_eq!(text("uni12"), None);
        assert_eq!(text("u12"), None);
        assert_eq!(text("uniXYZW"), None);
        assert_eq!(text("f_g123"), None); // half a ligature is noise
        assert_eq!(text(""), None);
        assert_eq!(glyph_name_text(&[0xFF, 0xFE]), None);
    }

    #[test]
    fn base_encodings_differ_where_the_spec_says() {
        assert_eq!(BaseEncoding::Standard.char(0x27), Some('\u{2019}'));
        assert_eq!(BaseEncoding::WinAnsi.char(0x27), Some('\''));
        assert_eq!(BaseEncoding::WinAnsi.char(0x80), Some('€'));
        assert_eq!(BaseEncoding::WinAnsi.char(0xEB), Some('ë'));
        assert_eq!(BaseEncoding::MacRoman.char(0x91), Some('ë'));
        assert_eq!(BaseEncoding::PdfDoc.char(0x93), Some('\u{FB01}'));
        assert_eq!(BaseEncoding::Standard.char(0xAE), Some('\u{FB01}'));
        assert_eq!(BaseEncoding::Symbol.char(0x61), Some('α'));
        assert_eq!(BaseEncoding::WinAnsi.char(0x05), None);
        assert_eq!(BaseEncoding::None.char(0x41), None);
    }

    #[test]
    fn type1_program_encoding_is_read_from_the_clear_text() {
        let program = b"%!PS-AdobeFont-1.0: CMR10\n/FontName /CMR10 def\n\
            /Encoding 256 array\n0 1 255 {1 index exch /.notdef put} for\n\
            dup 12 /fi put\ndup 65 /A put\nreadonly def\ncurrentfile eexec\n\x8f\x01dup 66 /B put";
        assert_eq!(
            type1_builtin(program),
            Some(Builtin::Names(vec![
                (12, b"fi".to_vec()),
                (65, b"A".to_vec())
            ]))
        );
        let standard = b"/FontName /X def /Encoding StandardEncoding def currentfile eexec";
        assert_eq!(type1_builtin(standard), Some(Builtin::Standard));
        assert_eq!(type1_builtin(b"no encoding here"), None);
        assert_eq!(type1_builtin(b"/Encoding"), None);
    }
}
