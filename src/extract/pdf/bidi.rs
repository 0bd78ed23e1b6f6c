//! Right-to-left text back in reading order.
//!
//! A page places glyphs; the layout reads a line left to right, which for Hebrew or
//! Arabic gives every word backwards ("םולש" for "שלום"). Readers and the rules want
//! the logical order, the order in which the text is typed and read. This is the
//! inverse of what the Unicode bidirectional algorithm does for display, simplified to
//! what one line of a page needs. The units are the line's glyphs (and the spaces
//! between them), never split: a glyph whose text came whole from `/ActualText` is in
//! logical order already, and a line whose right-to-left words mostly come that way is
//! left as it is.
//! - A line whose strong letters are mostly right-to-left is read right to left: its
//!   units are reversed, and the runs of left-to-right letters and numbers in it (an
//!   English name, "15", "2024-2025") are turned back; brackets, which are drawn
//!   mirrored in right-to-left text, swap ("(" for ")").
//! - A line that is mostly left to right keeps its order, and each run of right-to-left
//!   words in it is reversed (numbers inside such a run read left to right).

/// True for letters of right-to-left scripts (Hebrew, Arabic, Syriac, Thaana and their
/// presentation forms).
fn is_rtl(c: char) -> bool {
    matches!(c as u32,
        0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF | 0x10800..=0x10FFF | 0x1E800..=0x1EFFF)
}

/// Left-to-right letters and numbers: what stays in order inside a right-to-left line.
fn is_ltr(c: char) -> bool {
    !is_rtl(c) && c.is_alphanumeric()
}

/// True when the line holds right-to-left letters and so may need reordering.
pub fn has_rtl(line: &str) -> bool {
    line.chars().any(is_rtl)
}

/// What a unit is, for reordering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Rtl,
    Ltr,
    /// Digits and the separators inside a number ("1.250", "2024-2025").
    Number,
    Neutral,
}

fn kind(unit: &str) -> Kind {
    if unit.chars().any(is_rtl) {
        Kind::Rtl
    } else if unit.chars().any(|c| is_ltr(c) && c.is_alphabetic()) {
        Kind::Ltr
    } else if unit.chars().any(char::is_numeric) {
        Kind::Number
    } else {
        Kind::Neutral
    }
}

/// Writes the units of a line, given in visual (left to right) order, in logical order.
pub fn logical_order(units: &[&str], out: &mut String) {
    let kinds: Vec<Kind> = units.iter().map(|u| kind(u)).collect();
    let count = |k: Kind| {
        units
            .iter()
            .zip(&kinds)
            .filter(|(_, kk)| **kk == k)
            .map(|(u, _)| u.chars().filter(|c| c.is_alphabetic()).count())
            .sum::<usize>()
    };
    let mut order: Vec<usize> = (0..units.len()).collect();
    // Right-to-left words that come whole (from /ActualText), not glyph by glyph, are in
    // logical order with the rest of the line already.
    let rtl_letters = |whole: bool| {
        units
            .iter()
            .filter(|u| (u.chars().count() > 2) == whole)
            .map(|u| {
                u.chars()
                    .filter(|c| is_rtl(*c) && c.is_alphabetic())
                    .count()
            })
            .sum::<usize>()
    };
    if rtl_letters(true) >= rtl_letters(false) {
        units.iter().for_each(|u| out.push_str(u));
        return;
    }
    let rtl_line = count(Kind::Rtl) >= count(Kind::Ltr);
    if rtl_line {
        order.reverse();
        let strong = |i: usize| matches!(kinds[i], Kind::Ltr | Kind::Number);
        turn_runs(&mut order, strong, |i| kinds[i] == Kind::Rtl);
    } else {
        let rtl = |i: usize| kinds[i] == Kind::Rtl;
        for (start, end) in runs(&order, rtl, |i| kinds[i] == Kind::Ltr) {
            let run = &mut order[start..=end];
            run.reverse();
            let number = |i: usize| kinds[i] == Kind::Number;
            turn_runs(run, number, |i| {
                kinds[i] != Kind::Number && !is_separator(units[i])
            });
        }
    }
    for (k, &i) in order.iter().enumerate() {
        let unit = units[i];
        // A bracket between left-to-right units was turned back with them.
        let inside_ltr = rtl_line && {
            let strong = |kk: &Kind| *kk != Kind::Neutral;
            let before = order[..k].iter().rev().map(|&j| kinds[j]).find(strong);
            let after = order[k + 1..].iter().map(|&j| kinds[j]).find(strong);
            matches!(before, Some(Kind::Ltr | Kind::Number))
                && matches!(after, Some(Kind::Ltr | Kind::Number))
        };
        match unit {
            "(" if rtl_line && !inside_ltr => out.push(')'),
            ")" if rtl_line && !inside_ltr => out.push('('),
            "[" if rtl_line && !inside_ltr => out.push(']'),
            "]" if rtl_line && !inside_ltr => out.push('['),
            _ => out.push_str(unit),
        }
    }
}

fn is_separator(unit: &str) -> bool {
    matches!(unit, "." | "," | ":" | "/" | "-")
}

/// Reverses, in place, every run [`runs`] finds.
fn turn_runs(items: &mut [usize], inner: impl Fn(usize) -> bool, stop: impl Fn(usize) -> bool) {
    for (start, end) in runs(items, inner, stop) {
        items[start..=end].reverse();
    }
}

/// The maximal runs (first and last position) that start and end with an item `inner`
/// accepts and hold no item `stop` accepts.
fn runs(
    items: &[usize],
    inner: impl Fn(usize) -> bool,
    stop: impl Fn(usize) -> bool,
) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < items.len() {
        if !inner(items[i]) {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i;
        let mut j = i + 1;
        while j < items.len() && !stop(items[j]) {
            if inner(items[j]) {
                end = j;
            }
            j += 1;
        }
        out.push((start, end));
        i = end + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reorders a line given as a string, one unit per char.
    fn logical(line: &str) -> String {
        let units: Vec<String> = line.chars().map(String::from).collect();
        let units: Vec<&str> = units.iter().map(String::as_str).collect();
        let mut out = String::new();
        logical_order(&units, &mut out);
        out
    }

    #[test]
    fn hebrew_line_reads_right_to_left_with_numbers_kept() {
        // As drawn, left to right.
        assert_eq!(logical("?םלוכ םולש"), "שלום כולם?");
        assert_eq!(logical("15 ףיעס"), "סעיף 15");
        // Brackets are drawn mirrored: "(4)" shows as it reads in Latin text.
        assert_eq!(logical("(4) ףיעס"), "סעיף (4)");
    }

    #[test]
    fn latin_line_with_a_hebrew_name_reverses_the_name_only() {
        assert_eq!(logical("Shalom םולש world"), "Shalom שלום world");
    }

    #[test]
    fn numbers_in_a_latin_line_with_hebrew_keep_their_order() {
        assert_eq!(
            logical("Schoolplan 2024 ףיעס 15 ןכות"),
            "Schoolplan 2024 תוכן 15 סעיף"
        );
    }

    #[test]
    fn words_given_whole_are_in_logical_order_already() {
        // /ActualText spans give each Arabic word whole, in the order written.
        let mut out = String::new();
        logical_order(&["حَبيبي", " ", "h", "a", "b", "i", " ", "حَبيبي"], &mut out);
        assert_eq!(out, "حَبيبي habi حَبيبي");
    }

    #[test]
    fn lines_without_right_to_left_letters_are_not_touched() {
        assert!(!has_rtl("Schoolplan 2024-2028"));
    }
}
