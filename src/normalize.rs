//! Text as the rules see it: case folded, diacritics and ligatures folded, invisible
//! characters removed, with a map back to the original so that every hit can be shown
//! and located in the page text as the document has it.
//!
//! Rule terms pass through the same [`fold`], so a rule author writes natural Dutch
//! (`geëvalueerd`, `coördinator`) and it matches every spelling of it.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Folded text plus, for every byte of it, the char index in the original text.
#[derive(Debug, Clone, Default)]
pub struct Folded {
    pub text: String,
    origin: Vec<u32>,
    original_chars: u32,
}

impl Folded {
    /// Char index in the original text where the folded byte `pos` came from.
    pub fn origin(&self, pos: usize) -> usize {
        self.origin.get(pos).copied().unwrap_or(self.original_chars) as usize
    }

    /// The original char range `[start, end)` covered by the folded byte range.
    pub fn origin_range(&self, start: usize, end: usize) -> (usize, usize) {
        let from = self.origin(start);
        let to = if end == 0 {
            from
        } else {
            self.origin(end - 1) + 1
        };
        (from, to.max(from))
    }
}

/// Folds `text` for matching: NFKD compatibility decomposition (ligatures `ﬁ` → `fi`,
/// `ĳ` → `ij`), combining marks dropped (`ë` → `e`), lower case, soft hyphens and
/// zero-width characters removed, typographic dashes and quotes unified.
pub fn fold(text: &str) -> Folded {
    let mut out = Folded {
        text: String::with_capacity(text.len()),
        origin: Vec::with_capacity(text.len()),
        original_chars: 0,
    };
    let mut buf = [0u8; 4];
    for (index, c) in text.chars().enumerate() {
        out.original_chars = index as u32 + 1;
        if is_invisible(c) {
            continue;
        }
        for d in std::iter::once(c).nfkd() {
            if is_combining_mark(d) {
                continue;
            }
            for l in d.to_lowercase() {
                let l = unify(l);
                let s = l.encode_utf8(&mut buf);
                out.text.push_str(s);
                out.origin
                    .extend(std::iter::repeat_n(index as u32, s.len()));
            }
        }
    }
    out
}

/// Folds a short string (a rule term) and returns only the text.
pub fn fold_str(text: &str) -> String {
    fold(text).text
}

fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{ad}' | '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}'
    )
}

fn unify(c: char) -> char {
    match c {
        '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
        '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{2032}' | '`' => '\'',
        '\u{201c}' | '\u{201d}' | '\u{201e}' => '"',
        '\u{a0}' | '\u{2000}'..='\u{200a}' | '\u{202f}' => ' ',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diacritics_case_and_ligatures_fold() {
        assert_eq!(
            fold_str("Geëvalueerd door de Coördinator"),
            "geevalueerd door de coordinator"
        );
        assert_eq!(fold_str("ﬁnanciële"), "financiele");
        assert_eq!(fold_str("Ĳsselmeer"), "ijsselmeer");
    }

    #[test]
    fn soft_hyphen_is_removed_and_offsets_point_back() {
        let folded = fold("eval\u{ad}uatie");
        assert_eq!(folded.text, "evaluatie");
        // 'u' is the 5th folded byte and the 6th original char (after the soft hyphen).
        assert_eq!(folded.origin(4), 5);
        assert_eq!(folded.origin_range(0, 9), (0, 10));
    }
}
