//! The segmenter as it was before its decisions were made to work on bytes (tests only):
//! the reference that `sentence`'s equivalence test compares every decision with. Kept
//! verbatim (only `full_stop` and `leader` made visible to the test), slow on purpose; do not
//! optimise it.
#![allow(dead_code)]

use crate::normalize::Folded;
use std::cell::Cell;

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
/// How many headings in a row are followed back to where the run starts (a title page, a
/// table of contents without dot leaders): beyond this a run is taken for a list.
const HEADING_RUN: usize = 40;
/// Words a heading does not end with: a short line ending in one of them is the first
/// part of a wrapped sentence ("Meer hierover staat in het" / "Schoolplan.").
/// A line of at least this many words can be a wrapped line of a paragraph rather than a
/// heading (see [`Segmenter::wraps`]); a heading of one to four words never is.
const WRAP_MIN_WORDS: usize = 5;
/// A bullet line of at most this many words without closing punctuation is a sub-entry of
/// a table of contents or a list of topics: a run of headings goes on past it.
const TOPIC_WORDS: usize = 4;
const WRAP_WORDS: &[&str] = &[
    "de", "het", "een", "en", "of", "te", "van", "met", "in", "op", "aan", "door", "die", "dat",
    "als",
];

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
    /// Per word, the boundary decision once made (`UNKNOWN`, `NO`, `YES`): the sentences
    /// around hits, their heading checks and negation windows ask about the same gaps
    /// many times over.
    known: Vec<Cell<u8>>,
    /// Per word, the sentence found by [`Segmenter::sentence_of`] once it is known and its
    /// ends are real boundaries (not the `MAX_WORDS` cap): every term, negation and
    /// evidence check asks about the same few sentences.
    sentence: Vec<Cell<(u32, u32)>>,
}

/// A sentence not yet looked for.
const NO_SENTENCE: (u32, u32) = (u32::MAX, u32::MAX);

const UNKNOWN: u8 = 0;
const NO: u8 = 1;
const YES: u8 = 2;

impl<'a> Segmenter<'a> {
    pub fn new(original: &'a str, folded: &'a Folded, words: &'a [(usize, usize)]) -> Self {
        Segmenter {
            original,
            folded,
            words,
            known: vec![Cell::new(UNKNOWN); words.len()],
            sentence: vec![Cell::new(NO_SENTENCE); words.len()],
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
    #[inline]
    pub fn boundary_before(&self, i: usize) -> bool {
        if i == 0 || i >= self.words.len() {
            return true;
        }
        match self.known[i].get() {
            NO => false,
            YES => true,
            _ => {
                let boundary = self.decide_boundary(i);
                self.known[i].set(if boundary { YES } else { NO });
                boundary
            }
        }
    }

    /// What [`Segmenter::boundary_before`] says, worked out (for `0 < i < words.len()`).
    #[inline(never)]
    fn decide_boundary(&self, i: usize) -> bool {
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
        // A bullet, a list number or a section number starts a new item.
        let after = gap[last_nl + 1..].trim_start();
        if after.chars().next().is_some_and(is_bullet) {
            return true;
        }
        if after.is_empty() && (self.list_number(i) || self.section_number(i)) {
            return true;
        }
        let line_end = gap[..first_nl].trim();
        // An item of a list that ends with a semicolon ("...van een vakdocent;" / "in juni
        // ...") is a sentence of its own, whatever the next line starts with.
        if line_end.ends_with(';') {
            return true;
        }
        // The page number of a line of a table of contents ends it.
        if self.toc_number(i - 1) {
            return true;
        }
        // A short line without closing punctuation, followed by a capital: a heading.
        if !self.upper(i) {
            return false;
        }
        if line_end.ends_with(':') {
            return true;
        }
        let continues = line_end
            .chars()
            .last()
            .is_some_and(|c| matches!(c, ',' | '(' | '-' | '/' | '&'));
        let words = self.words_before_on_line(i - 1) + 1;
        if !self.upper_letter(i) {
            // A digit only after a line of a few words ("Hoofdstuk" / "3 Doelen"): "alle
            // leerlingen krijgen van september" / "2025 tot en met juni" is one sentence.
            return !continues && words < WRAP_MIN_WORDS;
        }
        !continues && words <= HEADING_WORDS && !self.wraps(i, words)
    }

    /// Whether the line that ends before word `i` (with `words` words) is one line of a
    /// paragraph wrapped before a capitalised word rather than a heading: it has several
    /// words and is about as long as the line after it ("Het team bespreekt de
    /// resultaten met de" / "Directie en de intern begeleider."). A heading is short
    /// beside the text under it.
    fn wraps(&self, i: usize, words: usize) -> bool {
        if words < WRAP_MIN_WORDS {
            return false;
        }
        let line_start = self.folded.text[..self.words[i - 1].1]
            .rfind('\n')
            .map_or(0, |k| k + 1);
        let before = &self.folded.text[line_start..self.words[i].0];
        let before = before[..before.rfind('\n').unwrap_or(before.len())].trim();
        let rest = &self.folded.text[self.words[i].0..];
        let line_end = rest.find('\n').unwrap_or(rest.len());
        let after = rest[..line_end].trim();
        // Only where the paragraph goes on: the next line ends a sentence or another line
        // follows it. A short line, a line and a blank line stay what they were.
        let goes_on = after.ends_with(['.', '!', '?', ',', ';'])
            || rest[line_end..]
                .trim_start_matches([' ', '\t'])
                .strip_prefix('\n')
                .is_some_and(|next| {
                    !next.trim_start_matches([' ', '\t']).starts_with('\n')
                        && !next.trim().is_empty()
                });
        goes_on && 4 * before.chars().count() >= 3 * after.chars().count()
    }

    /// Whether word `i` starts with a capital letter in the original text.
    fn upper_letter(&self, i: usize) -> bool {
        self.original
            .get(self.folded.origin(self.words[i].0)..)
            .and_then(|s| s.chars().next())
            .is_some_and(char::is_uppercase)
    }

    /// Whether word `i` starts a section number of at least two levels (`7.4`, `2.1.3`)
    /// at the start of a line.
    fn section_number(&self, i: usize) -> bool {
        let digits =
            |w: &str| !w.is_empty() && w.len() <= 3 && w.bytes().all(|b| b.is_ascii_digit());
        i + 1 < self.words.len()
            && self.starts_line(i)
            && digits(self.word(i))
            && self.gap(i + 1) == "."
            && digits(self.word(i + 1))
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

    /// Whether word `i` is the first on its line.
    fn starts_line(&self, i: usize) -> bool {
        i == 0 || self.gap(i).contains('\n')
    }

    /// The text after word `i`, up to the next word or the end of the page.
    fn after(&self, i: usize) -> &'a str {
        let end = self
            .words
            .get(i + 1)
            .map_or(self.folded.text.len(), |n| n.0);
        &self.folded.text[self.words[i].1..end]
    }

    /// Whether word `i` is the last on its line (the end of the page ends a line).
    fn ends_line(&self, i: usize) -> bool {
        i + 1 >= self.words.len() || self.after(i).contains('\n')
    }

    /// Whether word `i` is the page number that ends a table-of-contents line: at most four
    /// digits at the end of the line, after a dot leader (`....`, `___`, `…`) or after
    /// `blz.`, `pag.`, `pagina`, `p.` on the same line.
    fn toc_number(&self, i: usize) -> bool {
        let w = self.word(i);
        if i == 0 || w.len() > 4 || !w.bytes().all(|b| b.is_ascii_digit()) || !self.ends_line(i) {
            return false;
        }
        let gap = self.gap(i);
        !gap.contains('\n')
            && (leader(gap) || matches!(self.word(i - 1), "blz" | "pag" | "pagina" | "p"))
    }

    /// Whether what stands before word `i` lets a heading start there: the start of the
    /// page, a blank line, a line that ends a sentence, or the page number of a line of a
    /// table of contents.
    fn opens_block(&self, i: usize) -> bool {
        if i == 0 {
            return true;
        }
        let gap = self.gap(i);
        let (Some(first_nl), Some(last_nl)) = (gap.find('\n'), gap.rfind('\n')) else {
            return false;
        };
        (first_nl != last_nl && gap[first_nl..last_nl].trim().is_empty())
            || gap[..first_nl].contains(['.', '!', '?'])
            || self.toc_number(i - 1)
    }

    /// Whether the words `first..=last` are written in capitals only (digits aside).
    fn capitals(&self, first: usize, last: usize) -> bool {
        let from = self.folded.origin(self.words[first].0);
        let to = self.folded.origin(self.words[last].1);
        self.original
            .get(from..to)
            .is_some_and(|s| !s.chars().any(char::is_lowercase))
    }

    /// Whether words `first..=last` look like a heading, whatever stands before them: they
    /// fill whole lines, hold at most `HEADING_WORDS` words with a letter, do not start with
    /// a bullet, and end without punctuation and not on a word that a sentence goes on from
    /// (with `wrapped`: unless they are in capitals and the next sentence looks like a
    /// heading as well).
    fn heading_shape(&self, first: usize, last: usize, wrapped: bool) -> bool {
        if !self.starts_line(first) || !self.ends_line(last) {
            return false;
        }
        let line_end = self.after(last).split('\n').next().unwrap_or("");
        if line_end.contains(['.', '!', '?', ':', ';', ',']) {
            return false;
        }
        // A line ending in `het` wraps a sentence, unless what follows is a heading too
        // ("11. VERBETERING VAN HET" / "ONDERWIJS").
        if WRAP_WORDS.contains(&self.word(last)) {
            let continues_heading =
                wrapped && last + 1 < self.words.len() && self.capitals(first, last) && {
                    let (next_first, next_last) = self.sentence_of(last + 1);
                    self.heading_shape(next_first, next_last, false)
                };
            if !continues_heading {
                return false;
            }
        }
        let before = if first == 0 {
            &self.folded.text[..self.words[0].0]
        } else {
            self.gap(first)
        };
        let line_start = before.rsplit('\n').next().unwrap_or("").trim_start();
        if line_start.chars().next().is_some_and(is_bullet) {
            return false;
        }
        let mut lettered = 0;
        for i in first..=last {
            if self.word(i).chars().any(char::is_alphabetic) {
                lettered += 1;
                if lettered > HEADING_WORDS {
                    return false;
                }
            }
        }
        true
    }

    /// Whether the sentence of words `first..=last` (as [`Segmenter::sentence_of`] gives
    /// it) is a heading or a line of a table of contents.
    ///
    /// A table-of-contents line is one that ends in a page number after a dot leader or
    /// `blz.`. Any other heading is a short block of whole lines without closing
    /// punctuation (see `heading_shape`) that stands on its own: at the start of the page,
    /// after a blank line or a line that ends a sentence, or under another heading
    /// ("Schoolplan 2015-2020" / "denken in doelen"). A short line that only wraps a
    /// sentence is not one: the sentence it belongs to ends with a full stop.
    pub fn is_heading(&self, first: usize, last: usize) -> bool {
        // The page number of a line whose leader ended the sentence before.
        if first == last && self.toc_number(first) {
            return true;
        }
        if !self.starts_line(first) {
            return false;
        }
        if self.toc_number(last) || (last + 1 < self.words.len() && self.toc_number(last + 1)) {
            return true;
        }
        // A line that starts with a section number ("7.4 Schoolondersteuningsprofiel") is a
        // heading or a line of a table of contents, wherever it stands.
        if self.section_number(first) && self.heading_shape(first, last, true) {
            return true;
        }
        let (mut first, mut last) = (first, last);
        for _ in 0..HEADING_RUN {
            if !self.heading_shape(first, last, true) {
                return false;
            }
            if self.opens_block(first) {
                return true;
            }
            // Under another heading? Only if the sentence before is one as well; short
            // bullet lines between are sub-entries ("7.2 Personeel" / "-Netwerkleren" /
            // "7.3 Kwaliteit").
            (first, last) = self.sentence_of(first - 1);
            while self.topic_bullet(first, last) && first > 0 {
                (first, last) = self.sentence_of(first - 1);
            }
        }
        false
    }

    /// Whether words `first..=last` are a bullet line of at most `TOPIC_WORDS` words
    /// without closing punctuation.
    fn topic_bullet(&self, first: usize, last: usize) -> bool {
        if last - first >= TOPIC_WORDS || !self.starts_line(first) || !self.ends_line(last) {
            return false;
        }
        let before = if first == 0 {
            &self.folded.text[..self.words[0].0]
        } else {
            self.gap(first)
        };
        let bullet = before
            .rsplit('\n')
            .next()
            .unwrap_or("")
            .trim_start()
            .chars()
            .next()
            .is_some_and(is_bullet);
        let line_end = self.after(last).split('\n').next().unwrap_or("");
        bullet && !line_end.contains(['.', '!', '?', ':', ';', ','])
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
        let known = self.sentence[i].get();
        if known != NO_SENTENCE {
            return (known.0 as usize, known.1 as usize);
        }
        let mut first = i;
        while i - first < MAX_WORDS && !self.boundary_before(first) {
            first -= 1;
        }
        let mut last = i;
        while last - i < MAX_WORDS && last + 1 < self.words.len() && !self.boundary_before(last + 1)
        {
            last += 1;
        }
        if self.boundary_before(first)
            && (last + 1 >= self.words.len() || self.boundary_before(last + 1))
        {
            for cell in &self.sentence[first..=last] {
                cell.set((first as u32, last as u32));
            }
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
    // Marks glued to the first word belong to the sentence: the apostrophe of `‘t`, the
    // sign of `-10%` or `+31`, an opening quote or bracket; not the end of the sentence
    // before. (`-` is also a bullet, but a bullet has a space after it.)
    let start = text[..words[first].0]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| {
            !(c.is_whitespace()
                || c.is_alphanumeric()
                || matches!(c, '.' | '!' | '?' | ';' | ':' | ','))
        })
        .last()
        .map_or(words[first].0, |(i, _)| i);
    let end = words[last].1;
    let tail = text[end..]
        .char_indices()
        .find(|&(_, c)| c.is_whitespace() || c.is_alphanumeric())
        .map_or(text.len() - end, |(i, _)| i);
    (start, end + tail)
}

/// Whether the gap is a dot leader of a table of contents: `.....`, `. . . .`, `___`, `…`.
pub(super) fn leader(gap: &str) -> bool {
    gap.matches('.').count() >= 4 || gap.contains("___") || gap.contains('…')
}

/// Whether the gap holds a full stop followed by white space (or closing marks).
pub(super) fn full_stop(gap: &str) -> bool {
    gap.char_indices().any(|(k, c)| {
        c == '.'
            && gap[k + 1..]
                .chars()
                .find(|d| !matches!(d, '.' | ')' | '"' | '\'' | ']'))
                .is_some_and(char::is_whitespace)
    })
}
