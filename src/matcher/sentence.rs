//! Sentence segmentation for PDF text, where a line break is usually not the end of a
//! sentence, headings and bullets have no full stop, and Dutch writes many abbreviations
//! with dots (`bijv.`, `o.a.`, `d.w.z.`). Works on the words of the folded text and looks at
//! the original only for capitals.
//!
//! Sentences serve `within = "sentence"`, the reach of a negation and the evidence text, so
//! a wrong split is a small harm; an endless sentence is the larger one, hence the cap.

use crate::normalize::Folded;

/// Words after which a full stop is an abbreviation, not the end of a sentence.
const ABBREVIATIONS: &[&str] = &[
    "bijv", "bv", "resp", "ca", "nl", "evt", "mr", "dr", "drs", "ir", "ing", "prof", "dhr", "mevr",
    "mw", "jl", "zgn", "incl", "excl", "max", "min", "nr", "blz", "pag", "vs", "art", "st", "tel",
    "vgl", "afb", "fig", "hfst", "par", "ong", "gem", "jan", "feb", "mrt", "apr", "jun", "jul",
    "aug", "sep", "sept", "okt", "nov", "dec", "enz", "etc",
];

/// Abbreviations that often end a sentence: a boundary when a capital follows.
const CAN_END: &[&str] = &["enz", "etc", "e.d"];

/// Characters that start a bullet line.
fn is_bullet(c: char) -> bool {
    matches!(
        c,
        '•' | '·'
            | '▪'
            | '▫'
            | '◦'
            | '‣'
            | '∙'
            | '●'
            | '○'
            | '■'
            | '□'
            | '➢'
            | '►'
            | '▶'
            | '–'
            | '-'
            | '*'
            | '\u{f0b7}'
            | '✓'
            | '✔'
            | '→'
            | '>'
    ) || ('\u{e000}'..='\u{f8ff}').contains(&c)
}

/// A heading is a short line: at most this many words.
const HEADING_WORDS: usize = 10;
/// No sentence is longer than this many words (tables, lists without punctuation).
const MAX_WORDS: usize = 150;

/// The sentences of a page.
#[derive(Debug, Clone, Default)]
pub struct Sentences {
    /// For every word, the index of its sentence.
    pub of_word: Vec<u32>,
    /// Byte span of every sentence in the folded text, with its closing punctuation.
    pub spans: Vec<(usize, usize)>,
}

/// Decides sentence boundaries between the words of a page, one gap at a time, so that
/// only the sentences around hits are ever looked at.
pub struct Segmenter<'a> {
    original: &'a str,
    folded: &'a Folded,
    words: &'a [(usize, usize)],
}

impl<'a> Segmenter<'a> {
    pub fn new(original: &'a str, folded: &'a Folded, words: &'a [(usize, usize)]) -> Self {
        Segmenter {
            original,
            folded,
            words,
        }
    }

    fn gap(&self, i: usize) -> &'a str {
        &self.folded.text[self.words[i - 1].1..self.words[i].0]
    }

    fn word(&self, i: usize) -> &'a str {
        &self.folded.text[self.words[i].0..self.words[i].1]
    }

    /// Whether word `i` starts with a capital or a digit in the original text.
    fn upper(&self, i: usize) -> bool {
        self.original
            .get(self.folded.origin(self.words[i].0)..)
            .and_then(|s| s.chars().next())
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
    }

    /// Words on the line of word `i` before it (counted up to `HEADING_WORDS + 1`).
    fn words_before_on_line(&self, i: usize) -> usize {
        let mut k = i;
        while k > 0 && i - k <= HEADING_WORDS && !self.gap(k).contains('\n') {
            k -= 1;
        }
        i - k
    }

    /// Whether a new sentence starts at word `i`.
    pub fn boundary_before(&self, i: usize) -> bool {
        if i == 0 || i >= self.words.len() {
            return true;
        }
        let gap = self.gap(i);
        if gap == " " {
            return false;
        }
        if !gap.bytes().any(|b| matches!(b, b'.' | b'?' | b'!' | b'\n')) {
            return false;
        }
        if gap.contains(['?', '!']) {
            return true;
        }
        if full_stop(gap) {
            return !self.abbreviation(i);
        }
        let Some(first_nl) = gap.find('\n') else {
            return false;
        };
        let last_nl = gap.rfind('\n').unwrap_or(first_nl);
        // A blank line ends a paragraph.
        if first_nl != last_nl && gap[first_nl..last_nl].trim().is_empty() {
            return true;
        }
        // A bullet or a list number starts a new item.
        let after = gap[last_nl + 1..].trim_start();
        if after.chars().next().is_some_and(is_bullet) {
            return true;
        }
        if after.is_empty() && self.list_number(i) {
            return true;
        }
        // A short line without closing punctuation, followed by a capital: a heading.
        if !self.upper(i) {
            return false;
        }
        let line_end = gap[..first_nl].trim();
        if line_end.ends_with(':') {
            return true;
        }
        let continues = line_end
            .chars()
            .last()
            .is_some_and(|c| matches!(c, ',' | ';' | '(' | '-' | '/' | '&'));
        !continues && self.words_before_on_line(i - 1) < HEADING_WORDS
    }

    /// Whether the full stop after word `i - 1` belongs to an abbreviation or a number.
    fn abbreviation(&self, i: usize) -> bool {
        if !self.gap(i).starts_with('.') {
            return false;
        }
        // The dotted run before the stop: `o.a`, `d.w.z`, `bijv`.
        let mut first = i - 1;
        while first > 0 && self.gap(first) == "." {
            first -= 1;
        }
        let run = &self.folded.text[self.words[first].0..self.words[i - 1].1];
        if CAN_END.contains(&run) {
            return !self.upper(i);
        }
        if first < i - 1 {
            return true;
        }
        let w = self.word(i - 1);
        if w.chars().count() == 1 && w.chars().all(char::is_alphabetic) {
            return true;
        }
        if ABBREVIATIONS.contains(&w) {
            return true;
        }
        // `1. Inleiding`: a list number at the start of a line.
        self.words_before_on_line(i - 1) == 0
            && w.len() <= 3
            && w.bytes().all(|b| b.is_ascii_digit())
    }

    /// Whether word `i` is a list number or letter (`2.`, `b)`) at the start of a line.
    fn list_number(&self, i: usize) -> bool {
        let w = self.word(i);
        let short = (w.len() <= 3 && w.bytes().all(|b| b.is_ascii_digit()))
            || (w.chars().count() == 1 && w.chars().all(char::is_alphabetic));
        let end = self
            .words
            .get(i + 1)
            .map_or(self.folded.text.len(), |n| n.0);
        let next_gap = &self.folded.text[self.words[i].1..end];
        short && (next_gap.starts_with(". ") || next_gap.starts_with(") "))
    }

    /// The words `(first, last)` of the sentence holding word `i`, at most `MAX_WORDS`
    /// each way.
    pub fn sentence_of(&self, i: usize) -> (usize, usize) {
        let mut first = i;
        while i - first < MAX_WORDS && !self.boundary_before(first) {
            first -= 1;
        }
        let mut last = i;
        while last - i < MAX_WORDS && last + 1 < self.words.len() && !self.boundary_before(last + 1)
        {
            last += 1;
        }
        (first, last)
    }

    /// The byte span of words `first..=last`, with the punctuation right after the last.
    pub fn span(&self, first: usize, last: usize) -> (usize, usize) {
        span(&self.folded.text, self.words, first, last)
    }
}

/// Splits the words `words` (byte spans of `folded.text`) into sentences (the whole page
/// at once; the matcher asks [`Segmenter`] only about the words it needs).
pub fn segment(original: &str, folded: &Folded, words: &[(usize, usize)]) -> Sentences {
    let seg = Segmenter::new(original, folded, words);
    let mut out = Sentences {
        of_word: Vec::with_capacity(words.len()),
        spans: Vec::new(),
    };
    if words.is_empty() {
        return out;
    }
    let mut sentence_start = 0usize;
    out.of_word.push(0);
    for i in 1..words.len() {
        if i - sentence_start >= MAX_WORDS || seg.boundary_before(i) {
            out.spans.push(seg.span(sentence_start, i - 1));
            sentence_start = i;
        }
        out.of_word.push(out.spans.len() as u32);
    }
    out.spans.push(seg.span(sentence_start, words.len() - 1));
    out
}

/// The span of words `first..=last`, with the punctuation right after the last word.
fn span(text: &str, words: &[(usize, usize)], first: usize, last: usize) -> (usize, usize) {
    let end = words[last].1;
    let tail = text[end..]
        .char_indices()
        .find(|&(_, c)| c.is_whitespace() || c.is_alphanumeric())
        .map_or(text.len() - end, |(i, _)| i);
    (words[first].0, end + tail)
}

/// Whether the gap holds a full stop followed by white space (or closing marks).
fn full_stop(gap: &str) -> bool {
    gap.char_indices().any(|(k, c)| {
        c == '.'
            && gap[k + 1..]
                .chars()
                .find(|d| !matches!(d, '.' | ')' | '"' | '\'' | ']'))
                .is_some_and(char::is_whitespace)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::{fold, words};

    fn sentences(text: &str) -> Vec<String> {
        let folded = fold(text);
        let w = words(&folded.text, |_| false);
        let s = segment(text, &folded, &w);
        assert_eq!(s.of_word.len(), w.len());
        s.spans
            .iter()
            .map(|&(a, b)| crate::extract::one_line(&folded.text[a..b]))
            .collect()
    }

    #[test]
    fn full_stops_question_and_exclamation_marks_end_sentences() {
        assert_eq!(
            sentences("Wij evalueren. Is dat genoeg? Ja! Klaar"),
            ["wij evalueren.", "is dat genoeg?", "ja!", "klaar"]
        );
    }

    #[test]
    fn line_breaks_inside_a_sentence_do_not_end_it() {
        assert_eq!(
            sentences("Het team evalueert de\ndoelen elk jaar in\njuni. Daarna volgt"),
            [
                "het team evalueert de doelen elk jaar in juni.",
                "daarna volgt"
            ]
        );
    }

    #[test]
    fn abbreviations_and_numbers_do_not_end_sentences() {
        assert_eq!(
            sentences("Zie bijv. het plan, o.a. de doelen, d.w.z. alles uit 2.1 hier. Nu"),
            [
                "zie bijv. het plan, o.a. de doelen, d.w.z. alles uit 2.1 hier.",
                "nu"
            ]
        );
        assert_eq!(
            sentences("We doen het in 2025. De school"),
            ["we doen het in 2025.", "de school"]
        );
    }

    #[test]
    fn headings_without_full_stop_are_their_own_sentence() {
        assert_eq!(
            sentences("2.1 Evaluatie\nDe directie evalueert jaarlijks."),
            ["2.1 evaluatie", "de directie evalueert jaarlijks."]
        );
        assert_eq!(
            sentences("1. Inleiding\nDit plan"),
            ["1. inleiding", "dit plan"]
        );
    }

    #[test]
    fn bullets_and_blank_lines_start_new_sentences() {
        assert_eq!(
            sentences("Onze doelen:\n• meer lezen\n• beter rekenen\n\nverder niets"),
            [
                "onze doelen:",
                "meer lezen",
                "beter rekenen",
                "verder niets"
            ]
        );
    }

    #[test]
    fn a_long_line_that_wraps_before_a_name_is_not_a_heading() {
        let text = "In dit schooljaar werken wij samen met de bibliotheek en met de\n\
                    Gemeente aan de leesdoelen.";
        assert_eq!(sentences(text).len(), 1);
    }

    #[test]
    fn endless_text_is_cut_into_bounded_sentences() {
        let text = "woord ".repeat(400);
        let s = sentences(&text);
        assert!(s.len() >= 3, "{}", s.len());
    }
}
