//! Metrics of the standard-14 fonts, for fonts that name one of them (or a common alias
//! such as Arial or TimesNewRoman) and carry no `/Widths`: without real widths every
//! glyph position after the first is guessed, and word gaps come out wrong.
//!
//! The same metrics stand in for any other font that lacks `/Widths`, chosen by the
//! descriptor flags (serif, fixed pitch), which is closer than one average width.

use super::encoding::BaseEncoding;
use super::tables;

/// A standard-14 font family member, with what the layer needs from it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CoreFont {
    /// Widths by Unicode scalar (1/1000 em), or `None` for a fixed-pitch font.
    widths: Option<&'static [(u16, u16)]>,
    /// The width of every glyph of a fixed-pitch font, or of a glyph the table lacks.
    default: u16,
    /// Ascender and descender in 1/1000 em.
    pub ascent: i16,
    pub descent: i16,
    /// The encoding the font program has built in.
    pub builtin: BaseEncoding,
}

const HELVETICA: CoreFont = CoreFont {
    widths: Some(&tables::HELVETICA_WIDTHS),
    default: 556,
    ascent: 718,
    descent: -207,
    builtin: BaseEncoding::Standard,
};
const HELVETICA_BOLD: CoreFont = CoreFont {
    widths: Some(&tables::HELVETICA_BOLD_WIDTHS),
    ..HELVETICA
};
const TIMES_ROMAN: CoreFont = CoreFont {
    widths: Some(&tables::TIMES_ROMAN_WIDTHS),
    default: 500,
    ascent: 683,
    descent: -217,
    builtin: BaseEncoding::Standard,
};
const TIMES_BOLD: CoreFont = CoreFont {
    widths: Some(&tables::TIMES_BOLD_WIDTHS),
    ..TIMES_ROMAN
};
const TIMES_ITALIC: CoreFont = CoreFont {
    widths: Some(&tables::TIMES_ITALIC_WIDTHS),
    ..TIMES_ROMAN
};
const TIMES_BOLD_ITALIC: CoreFont = CoreFont {
    widths: Some(&tables::TIMES_BOLD_ITALIC_WIDTHS),
    ..TIMES_ROMAN
};
const COURIER: CoreFont = CoreFont {
    widths: None,
    default: 600,
    ascent: 629,
    descent: -157,
    builtin: BaseEncoding::Standard,
};
const SYMBOL: CoreFont = CoreFont {
    widths: Some(&tables::SYMBOL_WIDTHS),
    default: 500,
    ascent: 800,
    descent: -200,
    builtin: BaseEncoding::Symbol,
};
/// No width table is kept for the dingbats; its glyphs are not words.
const ZAPF_DINGBATS: CoreFont = CoreFont {
    widths: None,
    default: 800,
    ascent: 800,
    descent: -200,
    builtin: BaseEncoding::None,
};

impl CoreFont {
    /// The standard-14 font a `/BaseFont` name means, if any. Subset tags (`ABCDEF+`)
    /// and the usual Windows aliases (Arial, TimesNewRoman, CourierNew, `,Bold`,
    /// `-BoldMT`) are understood.
    pub fn from_base_font(name: &[u8]) -> Option<CoreFont> {
        let name = strip_subset_tag(name);
        let lower: String = name
            .iter()
            .filter(|b| b.is_ascii_alphanumeric())
            .map(|b| b.to_ascii_lowercase() as char)
            .collect();
        let bold = lower.contains("bold");
        let italic = lower.contains("italic") || lower.contains("oblique");
        if lower.starts_with("helvetica") || lower.starts_with("arial") {
            Some(if bold { HELVETICA_BOLD } else { HELVETICA })
        } else if lower.starts_with("times") {
            Some(match (bold, italic) {
                (false, false) => TIMES_ROMAN,
                (true, false) => TIMES_BOLD,
                (false, true) => TIMES_ITALIC,
                (true, true) => TIMES_BOLD_ITALIC,
            })
        } else if lower.starts_with("courier") {
            Some(COURIER)
        } else if lower == "symbol" || lower.starts_with("symbolmt") {
            Some(SYMBOL)
        } else if lower.starts_with("zapfdingbats") || lower == "dingbats" {
            Some(ZAPF_DINGBATS)
        } else {
            None
        }
    }

    /// Metrics to stand in for a font without widths, from its descriptor flags.
    pub fn from_flags(flags: u32, bold: bool) -> CoreFont {
        const FIXED_PITCH: u32 = 1;
        const SERIF: u32 = 2;
        if flags & FIXED_PITCH != 0 {
            COURIER
        } else if flags & SERIF != 0 {
            if bold { TIMES_BOLD } else { TIMES_ROMAN }
        } else if bold {
            HELVETICA_BOLD
        } else {
            HELVETICA
        }
    }

    /// The advance of `c` in 1/1000 em; the font's default for a glyph it lacks.
    pub fn width(&self, c: Option<char>) -> f32 {
        let Some(table) = self.widths else {
            return f32::from(self.default);
        };
        let c = match c {
            Some('\u{00A0}') => ' ',
            Some('\u{00AD}') => '-',
            Some(c) => c,
            None => return f32::from(self.default),
        };
        u16::try_from(u32::from(c))
            .ok()
            .and_then(|key| table.binary_search_by_key(&key, |&(k, _)| k).ok())
            .map_or(f32::from(self.default), |at| f32::from(table[at].1))
    }
}

/// `ABCDEF+Name` → `Name`: subset fonts carry a six-letter tag.
pub fn strip_subset_tag(name: &[u8]) -> &[u8] {
    if name.len() > 7 && name[6] == b'+' && name[..6].iter().all(u8::is_ascii_uppercase) {
        &name[7..]
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn width_tables_are_sorted_for_binary_search() {
        for table in [
            &tables::HELVETICA_WIDTHS[..],
            &tables::HELVETICA_BOLD_WIDTHS,
            &tables::TIMES_ROMAN_WIDTHS,
            &tables::TIMES_BOLD_WIDTHS,
            &tables::TIMES_ITALIC_WIDTHS,
            &tables::TIMES_BOLD_ITALIC_WIDTHS,
            &tables::SYMBOL_WIDTHS,
        ] {
            assert!(table.windows(2).all(|w| w[0].0 < w[1].0));
        }
    }

    #[test]
    fn published_widths_come_out() {
        let helvetica = CoreFont::from_base_font(b"Helvetica").unwrap();
        assert_eq!(helvetica.width(Some('a')), 556.0);
        assert_eq!(helvetica.width(Some(' ')), 278.0);
        assert_eq!(helvetica.width(Some('W')), 944.0);
        assert_eq!(helvetica.width(Some('ë')), 556.0);
        let bold = CoreFont::from_base_font(b"Helvetica-Bold").unwrap();
        assert_eq!(bold.width(Some('i')), 278.0);
        let times = CoreFont::from_base_font(b"Times-Roman").unwrap();
        assert_eq!(times.width(Some('a')), 444.0);
        assert_eq!(times.width(Some(' ')), 250.0);
        let courier = CoreFont::from_base_font(b"Courier-BoldOblique").unwrap();
        assert_eq!(courier.width(Some('m')), 600.0);
    }

    #[test]
    fn aliases_and_subset_tags_are_understood() {
        let arial = CoreFont::from_base_font(b"ABCDEF+Arial,Bold").unwrap();
        assert_eq!(arial, HELVETICA_BOLD);
        assert_eq!(
            CoreFont::from_base_font(b"TimesNewRomanPS-BoldItalicMT"),
            Some(TIMES_BOLD_ITALIC)
        );
        assert_eq!(CoreFont::from_base_font(b"CourierNewPSMT"), Some(COURIER));
        assert_eq!(CoreFont::from_base_font(b"Symbol"), Some(SYMBOL));
        assert_eq!(CoreFont::from_base_font(b"Calibri"), None);
    }

    #[test]
    fn flags_choose_a_stand_in() {
        assert_eq!(CoreFont::from_flags(1, false), COURIER);
        assert_eq!(CoreFont::from_flags(2 | 32, false), TIMES_ROMAN);
        assert_eq!(CoreFont::from_flags(32, true), HELVETICA_BOLD);
    }

    #[test]
    fn soft_hyphen_and_no_break_space_take_their_plain_widths() {
        let helvetica = CoreFont::from_base_font(b"Helvetica").unwrap();
        assert_eq!(helvetica.width(Some('\u{AD}')), 333.0);
        assert_eq!(helvetica.width(Some('\u{A0}')), 278.0);
        assert_eq!(helvetica.width(None), 556.0);
    }
}
