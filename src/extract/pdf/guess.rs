//! Codes that may be Unicode: a CID font that nothing maps (no ToUnicode, no cmap in an
//! embedded program, no registered collection) is drawn with its codes read as Unicode,
//! and the page then decides whether that reading is text.
//!
//! Some producers write Unicode as the CIDs of an Identity-H font and embed nothing
//! (pdftotext and mutool read such files); others write glyph numbers, which read as
//! Unicode give noise ("ČãþĜåê", or control characters where the spaces are, since a
//! TrueType font's space is glyph 3). The reading is kept for a font when what it spells
//! on the page looks like writing: no control characters, mostly letters, one script to
//! a word, plain ASCII letters being most of the Latin ones, and, when no space code
//! (U+0020) shows up to vouch for it, mostly lower case (glyph numbers of Latin fonts
//! read as capitals: the `a` of Arial is glyph 68, a `D`).

/// One glyph drawn with a guessed code: its font (by address, for the page) and where
/// it went (`None` for a space, which makes no glyph).
#[derive(Debug, Clone, Copy)]
pub struct Guess {
    pub font: usize,
    pub glyph: Option<u32>,
    pub ch: char,
}

/// Writing systems, roughly, for the one-script-a-word rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Latin,
    Greek,
    Cyrillic,
    Hebrew,
    Arabic,
    Cjk,
    Other,
}

fn script(c: char) -> Script {
    match c as u32 {
        0..=0x24F | 0x1E00..=0x1EFF => Script::Latin,
        0x370..=0x3FF | 0x1F00..=0x1FFF => Script::Greek,
        0x400..=0x52F => Script::Cyrillic,
        0x590..=0x5FF => Script::Hebrew,
        0x600..=0x6FF | 0x750..=0x77F => Script::Arabic,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF => Script::Cjk,
        _ => Script::Other,
    }
}

/// True when `chars` (a font's guessed characters on one page, spaces included) look
/// like writing; see the module documentation.
pub fn looks_like_writing(chars: &[char]) -> bool {
    let spaced = chars.contains(&' ');
    let (mut letters, mut digits, mut others) = (0usize, 0usize, 0usize);
    let (mut latin, mut ascii, mut lower, mut upper) = (0usize, 0usize, 0usize, 0usize);
    let mut mixed_words = 0usize;
    let mut words = 0usize;
    for word in chars.split(|c| c.is_whitespace()).filter(|w| !w.is_empty()) {
        words += 1;
        let mut first: Option<Script> = None;
        let mut mixed = false;
        for &c in word {
            if c.is_control() || ('\u{E000}'..='\u{F8FF}').contains(&c) || c == '\u{FFFD}' {
                return false;
            }
            if c.is_alphabetic() {
                letters += 1;
                let s = script(c);
                if s == Script::Latin {
                    latin += 1;
                    ascii += usize::from(c.is_ascii());
                }
                lower += usize::from(c.is_lowercase());
                upper += usize::from(c.is_uppercase());
                match first {
                    None => first = Some(s),
                    Some(f) if f != s => mixed = true,
                    _ => {}
                }
            } else if c.is_numeric() {
                digits += 1;
            } else {
                others += 1;
            }
        }
        mixed_words += usize::from(mixed);
    }
    let shown = letters + digits + others;
    if shown == 0 {
        return false;
    }
    let ascii_latin = latin == 0 || ascii * 2 >= latin;
    let mostly_letters = (letters + digits) * 10 >= shown * 6;
    let one_script = mixed_words * 5 <= words;
    let cased = lower + upper;
    let lower_case = spaced || cased < 3 || lower * 2 >= cased;
    ascii_latin && mostly_letters && one_script && lower_case
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn unicode_text_in_several_scripts_looks_like_writing() {
        assert!(looks_like_writing(&chars("Výbava na přání")));
        assert!(looks_like_writing(&chars("Иван Петрович")));
        assert!(looks_like_writing(&chars("Arial")));
    }

    #[test]
    fn glyph_numbers_read_as_unicode_do_not() {
        // "Hello" in Arial's glyph numbers, with and without its space (glyph 3).
        assert!(!looks_like_writing(&chars("+HOOR")));
        assert!(!looks_like_writing(&chars("+HOOR\u{3}:RUOG")));
        assert!(!looks_like_writing(&chars("ČãþĜåêitp")));
    }
}
