//! Sentence segmentation for PDF text, where a line break is usually not the end of a
//! sentence, headings and bullets have no full stop, and Dutch writes many abbreviations
//! with dots (`bijv.`, `o.a.`, `d.w.z.`). Works on the words of the folded text and looks at
//! the original only for capitals.
//!
//! Sentences serve `within = "sentence"`, the reach of a negation and the evidence text, so
//! a wrong split is a small harm; an endless sentence is the larger one, hence the cap.
//!
//! The segmenter also tells headings from sentences ([`Segmenter::is_heading`]): a heading
//! or a table-of-contents line only says that a subject comes ("Kwaliteitszorg",
//! "2.1 Doelen", "Evaluatie ........ 12"), so a rule set may choose not to count it.

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

/// The longest of `ABBREVIATIONS` and `CAN_END` in bytes: a longer word is none of them
/// without comparing it with each.
const MAX_ABBREVIATION: usize = 4;

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
/// The longest of `WRAP_WORDS` in bytes.
const MAX_WRAP_WORD: usize = 4;

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
    /// What this page has worked out so far, in entries stamped with `generation`.
    memo: &'a Memo,
    generation: u32,
}

/// Per-word answers a [`Segmenter`] has worked out, kept by its caller from page to page:
/// filling two fresh vectors for every page cost more than most pages' boundary decisions.
/// An entry counts only when its stamp is the generation of the segmenter that uses the
/// memo, so a new page starts empty without touching the entries.
#[derive(Default)]
pub struct Memo {
    /// The generation of the last segmenter that used this memo (stamps are at most this).
    generation: u32,
    /// Per word, `generation << 2 | NO` or `| YES` once its boundary decision is made: the
    /// sentences around hits, their heading checks and negation windows ask about the same
    /// gaps many times over.
    known: Vec<Cell<u32>>,
    /// Per word, `[generation, first, last]` of the sentence found by
    /// [`Segmenter::sentence_of`] once it is known and its ends are real boundaries (not the
    /// `MAX_WORDS` cap): every term, negation and evidence check asks about the same few
    /// sentences.
    sentence: Vec<Cell<[u32; 3]>>,
}

const NO: u32 = 1;
const YES: u32 = 2;
/// The largest generation that fits beside the two bits of a boundary decision.
const MAX_GENERATION: u32 = u32::MAX >> 2;

impl<'a> Segmenter<'a> {
    /// The segmenter of a page, keeping what it works out in `memo` (which may hold what
    /// the segmenter of another page worked out: that counts for nothing here).
    pub fn new(
        original: &'a str,
        folded: &'a Folded,
        words: &'a [(usize, usize)],
        memo: &'a mut Memo,
    ) -> Self {
        if memo.generation >= MAX_GENERATION {
            *memo = Memo::default();
        }
        memo.generation += 1;
        if memo.known.len() < words.len() {
            // Stamp 0 is no generation's.
            memo.known.resize(words.len(), Cell::new(0));
            memo.sentence.resize(words.len(), Cell::new([0; 3]));
        }
        Segmenter {
            original,
            folded,
            words,
            generation: memo.generation,
            memo,
        }
    }

    #[inline]
    fn gap(&self, i: usize) -> &'a str {
        &self.folded.text[self.words[i - 1].1..self.words[i].0]
    }

    /// The gap before word `i` as bytes: most questions about a gap are about ASCII marks,
    /// and a byte slice needs no char-boundary checks.
    #[inline]
    fn gap_bytes(&self, i: usize) -> &'a [u8] {
        &self.folded.text.as_bytes()[self.words[i - 1].1..self.words[i].0]
    }

    #[inline]
    fn word(&self, i: usize) -> &'a str {
        &self.folded.text[self.words[i].0..self.words[i].1]
    }

    #[inline]
    fn word_bytes(&self, i: usize) -> &'a [u8] {
        &self.folded.text.as_bytes()[self.words[i].0..self.words[i].1]
    }

    /// Whether word `i` starts with a capital or a digit in the original text.
    fn upper(&self, i: usize) -> bool {
        let at = self.folded.origin(self.words[i].0);
        match self.original.as_bytes().get(at) {
            Some(&b) if b.is_ascii() => b.is_ascii_uppercase() || b.is_ascii_digit(),
            _ => self
                .original
                .get(at..)
                .and_then(|s| s.chars().next())
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit()),
        }
    }

    /// Words on the line of word `i` before it (counted up to `HEADING_WORDS + 1`).
    fn words_before_on_line(&self, i: usize) -> usize {
        let mut k = i;
        while k > 0 && i - k <= HEADING_WORDS && !self.gap_bytes(k).contains(&b'\n') {
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
        let known = self.memo.known[i].get();
        if known >> 2 == self.generation {
            return known & 3 == YES;
        }
        let boundary = self.decide_boundary(i);
        self.memo.known[i].set(self.generation << 2 | if boundary { YES } else { NO });
        boundary
    }

    /// What [`Segmenter::boundary_before`] says, worked out (for `0 < i < words.len()`).
    /// Most gaps are one space: that answer is inlined, the rest is not.
    #[inline]
    fn decide_boundary(&self, i: usize) -> bool {
        self.gap_bytes(i) != b" " && self.decide_marked_boundary(i)
    }

    /// [`Segmenter::decide_boundary`] for a gap that is not one space.
    #[inline(never)]
    fn decide_marked_boundary(&self, i: usize) -> bool {
        let gap = self.gap(i);
        let bytes = gap.as_bytes();
        // One pass over the bytes finds every mark the decision turns on (all ASCII, and a
        // byte of a multi-byte char is never an ASCII byte).
        let mut dot = false;
        let mut first_nl = usize::MAX;
        let mut last_nl = 0;
        for (k, &b) in bytes.iter().enumerate() {
            match b {
                b'?' | b'!' => return true,
                b'.' => dot = true,
                b'\n' => {
                    first_nl = first_nl.min(k);
                    last_nl = k;
                }
                _ => {}
            }
        }
        if dot && full_stop(gap) {
            return !self.abbreviation(i);
        }
        if first_nl == usize::MAX {
            return false;
        }
        // A blank line ends a paragraph.
        if first_nl != last_nl && blank(&gap[first_nl..last_nl]) {
            return true;
        }
        // A bullet, a list number or a section number starts a new item.
        let after = first_after_space(&gap[last_nl + 1..]);
        if after.is_some_and(is_bullet) {
            return true;
        }
        if after.is_none() && (self.list_number(i) || self.section_number(i)) {
            return true;
        }
        let line_end = last_before_space(&gap[..first_nl]);
        // An item of a list that ends with a semicolon ("...van een vakdocent;" / "in juni
        // ...") is a sentence of its own, whatever the next line starts with.
        if line_end == Some(';') {
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
        if line_end == Some(':') {
            return true;
        }
        let continues = line_end.is_some_and(|c| matches!(c, ',' | '(' | '-' | '/' | '&'));
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
        let text = self.folded.text.as_str();
        let newline = |b: &u8| *b == b'\n';
        let line_start = text.as_bytes()[..self.words[i - 1].1]
            .iter()
            .rposition(newline)
            .map_or(0, |k| k + 1);
        let before = &text[line_start..self.words[i].0];
        let before = before[..before
            .bytes()
            .rposition(|b| b == b'\n')
            .unwrap_or(before.len())]
            .trim();
        let rest = &text[self.words[i].0..];
        let line_end = rest
            .as_bytes()
            .iter()
            .position(newline)
            .unwrap_or(rest.len());
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
        let at = self.folded.origin(self.words[i].0);
        match self.original.as_bytes().get(at) {
            Some(&b) if b.is_ascii() => b.is_ascii_uppercase(),
            _ => self
                .original
                .get(at..)
                .and_then(|s| s.chars().next())
                .is_some_and(char::is_uppercase),
        }
    }

    /// Whether word `i` starts a section number of at least two levels (`7.4`, `2.1.3`)
    /// at the start of a line.
    fn section_number(&self, i: usize) -> bool {
        let digits = |w: &[u8]| !w.is_empty() && w.len() <= 3 && w.iter().all(u8::is_ascii_digit);
        i + 1 < self.words.len()
            && digits(self.word_bytes(i))
            && self.gap_bytes(i + 1) == b"."
            && digits(self.word_bytes(i + 1))
            && self.starts_line(i)
    }

    /// Whether the full stop after word `i - 1` belongs to an abbreviation or a number.
    fn abbreviation(&self, i: usize) -> bool {
        if self.gap_bytes(i).first() != Some(&b'.') {
            return false;
        }
        // The dotted run before the stop: `o.a`, `d.w.z`, `bijv`.
        let mut first = i - 1;
        while first > 0 && self.gap_bytes(first) == b"." {
            first -= 1;
        }
        let run = &self.folded.text.as_bytes()[self.words[first].0..self.words[i - 1].1];
        if run.len() <= MAX_ABBREVIATION && CAN_END.iter().any(|a| a.as_bytes() == run) {
            return !self.upper(i);
        }
        if first < i - 1 {
            return true;
        }
        let w = self.word(i - 1);
        if single_letter(w) {
            return true;
        }
        if w.len() <= MAX_ABBREVIATION && ABBREVIATIONS.contains(&w) {
            return true;
        }
        // `1. Inleiding`: a list number at the start of a line.
        w.len() <= 3
            && w.bytes().all(|b| b.is_ascii_digit())
            && self.words_before_on_line(i - 1) == 0
    }

    /// Whether word `i` is the first on its line.
    fn starts_line(&self, i: usize) -> bool {
        i == 0 || self.gap_bytes(i).contains(&b'\n')
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
        i + 1 >= self.words.len() || self.after(i).as_bytes().contains(&b'\n')
    }

    /// Whether word `i` is the page number that ends a table-of-contents line: at most four
    /// digits at the end of the line, after a dot leader (`....`, `___`, `…`) or after
    /// `blz.`, `pag.`, `pagina`, `p.` on the same line.
    fn toc_number(&self, i: usize) -> bool {
        let w = self.word_bytes(i);
        if i == 0 || w.len() > 4 || !w.iter().all(u8::is_ascii_digit) || !self.ends_line(i) {
            return false;
        }
        let gap = self.gap(i);
        !gap.as_bytes().contains(&b'\n')
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
        let bytes = gap.as_bytes();
        let (Some(first_nl), Some(last_nl)) = (
            bytes.iter().position(|&b| b == b'\n'),
            bytes.iter().rposition(|&b| b == b'\n'),
        ) else {
            return false;
        };
        (first_nl != last_nl && blank(&gap[first_nl..last_nl]))
            || bytes[..first_nl]
                .iter()
                .any(|b| matches!(b, b'.' | b'!' | b'?'))
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
        if closes_line(self.after(last)) {
            return false;
        }
        // A line ending in `het` wraps a sentence, unless what follows is a heading too
        // ("11. VERBETERING VAN HET" / "ONDERWIJS").
        let w = self.word(last);
        if w.len() <= MAX_WRAP_WORD && WRAP_WORDS.contains(&w) {
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
        if first_after_space(last_line(before)).is_some_and(is_bullet) {
            return false;
        }
        let mut lettered = 0;
        for i in first..=last {
            if has_letter(self.word(i)) {
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
        first_after_space(last_line(before)).is_some_and(is_bullet)
            && !closes_line(self.after(last))
    }

    /// Whether word `i` is a list number or letter (`2.`, `b)`) at the start of a line.
    fn list_number(&self, i: usize) -> bool {
        let next_gap = self.after(i).as_bytes();
        if !(next_gap.starts_with(b". ") || next_gap.starts_with(b") ")) {
            return false;
        }
        let w = self.word(i);
        (w.len() <= 3 && w.bytes().all(|b| b.is_ascii_digit())) || single_letter(w)
    }

    /// The words `(first, last)` of the sentence holding word `i`, at most `MAX_WORDS`
    /// each way.
    pub fn sentence_of(&self, i: usize) -> (usize, usize) {
        let [generation, first, last] = self.memo.sentence[i].get();
        if generation == self.generation {
            return (first as usize, last as usize);
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
            for cell in &self.memo.sentence[first..=last] {
                cell.set([self.generation, first as u32, last as u32]);
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
    let mut memo = Memo::default();
    let seg = Segmenter::new(original, folded, words, &mut memo);
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
/// (On bytes: a long leader made the char searcher's way of counting dots costly, and in
/// UTF-8 the bytes of `…` occur only as that char.)
fn leader(gap: &str) -> bool {
    let bytes = gap.as_bytes();
    bytes.iter().filter(|&&b| b == b'.').count() >= 4
        || bytes.windows(3).any(|w| w == b"___" || w == "…".as_bytes())
}

/// Whether the line that `after` starts (the text after a word) holds closing
/// punctuation before its end.
fn closes_line(after: &str) -> bool {
    after
        .as_bytes()
        .iter()
        .take_while(|&&b| b != b'\n')
        .any(|b| matches!(b, b'.' | b'!' | b'?' | b':' | b';' | b','))
}

/// The part of `s` after its last line break (all of it without one).
fn last_line(s: &str) -> &str {
    s.as_bytes()
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(s, |k| &s[k + 1..])
}

/// Whether `w` holds an alphabetic char, deciding on ASCII letters without decoding.
fn has_letter(w: &str) -> bool {
    w.bytes().any(|b| b.is_ascii_alphabetic())
        || (!w.is_ascii() && w.chars().any(char::is_alphabetic))
}

/// Whether the gap holds a full stop followed by white space (or closing marks).
fn full_stop(gap: &str) -> bool {
    let bytes = gap.as_bytes();
    let mut k = 0;
    while let Some(p) = bytes[k..].iter().position(|&b| b == b'.') {
        let mut j = k + p + 1;
        while j < bytes.len() && matches!(bytes[j], b'.' | b')' | b'"' | b'\'' | b']') {
            j += 1;
        }
        // Every full stop of the run up to `j` has the same char after it.
        match bytes.get(j) {
            None => return false,
            Some(&b) if b.is_ascii() => {
                if ascii_space(b) {
                    return true;
                }
            }
            Some(_) => {
                if gap[j..].chars().next().is_some_and(char::is_whitespace) {
                    return true;
                }
            }
        }
        k = j;
    }
    false
}

/// Whether the ASCII byte `b` is white space as `char::is_whitespace` has it (which,
/// unlike `u8::is_ascii_whitespace`, counts the vertical tab).
#[inline]
fn ascii_space(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | b' ')
}

/// Whether `s` is white space only (`s.trim().is_empty()`), looking at bytes while they are
/// ASCII.
fn blank(s: &str) -> bool {
    for (k, &b) in s.as_bytes().iter().enumerate() {
        if !b.is_ascii() {
            return s[k..].chars().all(char::is_whitespace);
        }
        if !ascii_space(b) {
            return false;
        }
    }
    true
}

/// The first char of `s` after white space (`s.trim_start().chars().next()`).
#[inline]
fn first_after_space(s: &str) -> Option<char> {
    for (k, &b) in s.as_bytes().iter().enumerate() {
        if !b.is_ascii() {
            return s[k..].trim_start().chars().next();
        }
        if !ascii_space(b) {
            return Some(b as char);
        }
    }
    None
}

/// The last char of `s` before white space (`s.trim_end().chars().next_back()`).
#[inline]
fn last_before_space(s: &str) -> Option<char> {
    for (k, &b) in s.as_bytes().iter().enumerate().rev() {
        if !b.is_ascii() {
            return s[..=k].trim_end().chars().next_back();
        }
        if !ascii_space(b) {
            return Some(b as char);
        }
    }
    None
}

/// Whether `w` is one alphabetic char (`w.chars().count() == 1` and that char alphabetic).
#[inline]
fn single_letter(w: &str) -> bool {
    let mut chars = w.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if c.is_alphabetic())
}

#[cfg(test)]
#[path = "sentence_reference.rs"]
mod reference;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::{fold, text_words_into, words};

    /// Pieces of page text that the segmenter's rules turn on, ASCII and not.
    const PIECES: &[&str] = &[
        "de",
        "het",
        "een",
        "en",
        "van",
        "in",
        "doelen",
        "school",
        "evaluatie",
        "plan",
        "Kwaliteitszorg",
        "Doelen",
        "De",
        "Het",
        "Wij",
        "ONDERWIJS",
        "VERBETERING",
        "Één",
        "Ĳssel",
        "élan",
        "Ångström",
        "Straße",
        "ﬁets",
        "naïef",
        "ÉCOLE",
        "bijv.",
        "o.a.",
        "d.w.z.",
        "enz.",
        "etc.",
        "e.d.",
        "Enz.",
        "bv.",
        "nr.",
        "blz.",
        "pag.",
        "pag.23",
        "p.",
        "pagina",
        "a.",
        "b)",
        "x",
        "1.",
        "2.1",
        "7.4",
        "2.1.3",
        "12",
        "2025",
        "3",
        "10.",
        "1234",
        "12345",
        "a)",
        "(",
        ")",
        ".",
        "..",
        "...",
        "....",
        ". . . .",
        ".......",
        "___",
        "…",
        "?",
        "!",
        ";",
        ":",
        ",",
        "-",
        "/",
        "&",
        "\"",
        "'",
        "]",
        ".)",
        ".\"",
        ".]",
        "-10%",
        "+31",
        "‘t",
        "’",
        "“",
        "”",
        "„",
        "«",
        "»",
        "¿",
        "¡",
        "§",
        "·",
        "•",
        "▪",
        "◦",
        "–",
        "—",
        "*",
        ">",
        "→",
        "✓",
        "\u{f0b7}",
        "\u{e001}",
        "\u{ad}",
        "\u{200b}",
        "evalu-",
        "PDCA-",
    ];

    /// What stands between pieces: mostly a space, often a line break, sometimes blank
    /// lines, tabs, a vertical tab, a form feed, a carriage return or non-ASCII spaces
    /// (folding makes most of them a space, but not U+0085, U+1680, U+2028, U+2029).
    const BETWEEN: &[&str] = &[
        " ",
        " ",
        " ",
        " ",
        " ",
        " ",
        "",
        "\n",
        "\n",
        "\n",
        " \n",
        "\n ",
        "\n\n",
        "\n \n",
        "\n\t\n",
        "\n\u{a0}\n",
        "\n\u{3000}\n",
        "\n\u{2003}",
        "\u{a0}",
        "\u{2009}",
        "\u{202f}",
        "\u{85}",
        "\u{1680}",
        "\u{2028}",
        "\t",
        "\x0b",
        "\x0c",
        "\r\n",
        "  ",
        "\u{85}\n",
        " \u{2029}\n",
        "\u{1680}\n ",
        "\n\u{85}\n",
        "\n \u{2028}\n",
        "\n\u{1680}",
        "\n\u{2029}\u{85}",
        "\n• ",
        "\n- ",
        "\n  * ",
        "\n\u{a0}• ",
        "\n> ",
        "\n\u{f0b7} ",
        "\n–",
        "\n\u{2003}→ ",
        "\n\u{85}• ",
        "\n\u{1680}-",
    ];

    /// A page of `len` pieces from `state` (xorshift), built to hit every branch of the
    /// boundary and heading decisions many times.
    fn page(state: &mut u64, len: usize) -> String {
        let mut next = |n: usize| {
            *state ^= *state << 13;
            *state ^= *state >> 7;
            *state ^= *state << 17;
            (*state % n as u64) as usize
        };
        let mut text = String::new();
        if next(4) == 0 {
            text.push_str(BETWEEN[next(BETWEEN.len())]);
        }
        for _ in 0..len {
            text.push_str(PIECES[next(PIECES.len())]);
            text.push_str(BETWEEN[next(BETWEEN.len())]);
        }
        text
    }

    /// Every decision of the segmenter against the reference (the code before the byte
    /// fast paths): boundaries, the whole-page segmentation, sentences and headings.
    fn same_as_reference(text: &str, words: &[(usize, usize)], folded: &Folded) {
        let mut memo = Memo::default();
        let new = Segmenter::new(text, folded, words, &mut memo);
        let old = reference::Segmenter::new(text, folded, words);
        for i in 0..=words.len() {
            assert_eq!(
                new.boundary_before(i),
                old.boundary_before(i),
                "boundary before word {i} of {text:?}"
            );
        }
        let (s, r) = (
            segment(text, folded, words),
            reference::segment(text, folded, words),
        );
        assert_eq!((&s.of_word, &s.spans), (&r.of_word, &r.spans), "{text:?}");
        // Sentences and headings asked for in an order unlike the page's, on fresh
        // segmenters, as the matcher asks around its hits.
        let mut memo = Memo::default();
        let new = Segmenter::new(text, folded, words, &mut memo);
        let old = reference::Segmenter::new(text, folded, words);
        for i in (0..words.len()).rev().step_by(3).chain(0..words.len()) {
            let sentence = new.sentence_of(i);
            assert_eq!(
                sentence,
                old.sentence_of(i),
                "sentence of word {i} of {text:?}"
            );
            assert_eq!(
                new.is_heading(sentence.0, sentence.1),
                old.is_heading(sentence.0, sentence.1),
                "heading {sentence:?} of {text:?}"
            );
        }
    }

    #[test]
    fn decisions_are_those_of_the_reference_segmenter_on_generated_pages() {
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut joined = Vec::new();
        for round in 0..6000 {
            let text = page(&mut state, 1 + round % 90);
            let folded = fold(&text);
            same_as_reference(&text, &words(&folded.text, |_| false), &folded);
            text_words_into(&folded.text, &mut joined);
            same_as_reference(&text, &joined, &folded);
        }
    }

    #[test]
    fn pages_after_other_pages_and_after_the_last_generation_get_fresh_answers() {
        let texts = [
            "Kwaliteitszorg\nDe directie evalueert het plan elk jaar.\n",
            "Zo werken wij.\n2.1 Doelen\nOns doel is dat elk kind leest.\n3. Evaluatie\n",
            "Wij evalueren. Is dat genoeg? Ja! Klaar",
        ];
        let expected: Vec<_> = texts
            .iter()
            .map(|t| marked_with(t, &mut Memo::default()))
            .collect();
        let mut memo = Memo {
            generation: MAX_GENERATION - 2,
            ..Memo::default()
        };
        for _ in 0..3 {
            for (text, expected) in texts.iter().zip(&expected) {
                assert_eq!(&marked_with(text, &mut memo), expected);
            }
        }
        assert!(memo.generation < 100);
    }

    #[test]
    fn byte_helpers_agree_with_the_str_methods_they_stand_for() {
        let samples = [
            "....",
            ". . . .",
            "___",
            "__ _",
            "…",
            " … ",
            "\u{2025}",
            "..\n..",
            "x\ny",
            "a.\nb",
            "é\n•",
            "ÉÉ",
            "2é",
            "",
            " ",
            "\n",
            " \t\x0b\x0c\r\n",
            "\u{a0}",
            " \u{3000} ",
            "\u{85}",
            " x ",
            "\u{a0}•",
            "•\u{2003}",
            " ;\u{a0}",
            "é ",
            " é",
            "\u{1c}",
            "a\u{2028}",
            ". ",
            ".)\u{a0}",
            "..é",
            ".\u{202f}x",
            "...",
            ".\")",
            "x.y",
            "é.\t",
            "a",
            "é",
            "ab",
            "1",
        ];
        for s in samples {
            assert_eq!(blank(s), s.trim().is_empty(), "{s:?}");
            assert_eq!(first_after_space(s), s.trim_start().chars().next(), "{s:?}");
            assert_eq!(last_before_space(s), s.trim().chars().next_back(), "{s:?}");
            assert_eq!(full_stop(s), reference::full_stop(s), "{s:?}");
            assert_eq!(leader(s), reference::leader(s), "{s:?}");
            assert_eq!(last_line(s), s.rsplit('\n').next().unwrap_or(""), "{s:?}");
            assert_eq!(has_letter(s), s.chars().any(char::is_alphabetic), "{s:?}");
            let line_end = s.split('\n').next().unwrap_or("");
            let closing = line_end.contains(['.', '!', '?', ':', ';', ',']);
            assert_eq!(closes_line(s), closing, "{s:?}");
            let letter = s.chars().count() == 1 && s.chars().all(char::is_alphabetic);
            assert_eq!(single_letter(s), letter, "{s:?}");
        }
        for b in 0..0x80u8 {
            assert_eq!(ascii_space(b), (b as char).is_whitespace(), "{b}");
        }
        assert!(
            ABBREVIATIONS
                .iter()
                .chain(CAN_END)
                .all(|a| a.len() <= MAX_ABBREVIATION)
        );
        assert!(WRAP_WORDS.iter().all(|w| w.len() <= MAX_WRAP_WORD));
    }

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

    /// Each sentence of `text`, with `#` before the headings.
    fn marked(text: &str) -> Vec<String> {
        marked_with(text, &mut Memo::default())
    }

    /// [`marked`] with the segmenter keeping its answers in `memo`.
    fn marked_with(text: &str, memo: &mut Memo) -> Vec<String> {
        let folded = fold(text);
        let w = words(&folded.text, |_| false);
        let seg = Segmenter::new(text, &folded, &w, memo);
        let s = segment(text, &folded, &w);
        let mut out = Vec::new();
        let mut first = 0;
        for (k, &span) in s.spans.iter().enumerate() {
            let last = first + s.of_word.iter().filter(|&&o| o as usize == k).count() - 1;
            assert_eq!(seg.sentence_of(first), (first, last));
            let mark = if seg.is_heading(first, last) {
                "# "
            } else {
                ""
            };
            out.push(format!(
                "{mark}{}",
                crate::extract::one_line(&folded.text[span.0..span.1])
            ));
            first = last + 1;
        }
        out
    }

    #[test]
    fn a_heading_above_its_first_sentence_is_marked_and_the_sentence_is_not() {
        assert_eq!(
            marked("Kwaliteitszorg\nDe directie evalueert het plan elk jaar.\n"),
            [
                "# kwaliteitszorg",
                "de directie evalueert het plan elk jaar."
            ]
        );
        // A heading followed by a sentence that starts in lower case is one "sentence"
        // with it, ending in a full stop: it counts.
        assert_eq!(
            marked("Evaluatie\nelk jaar evalueert het team de doelen.\n"),
            ["evaluatie elk jaar evalueert het team de doelen."]
        );
    }

    #[test]
    fn consecutive_headings_are_all_headings() {
        assert_eq!(
            marked("Basisschool De Linde\nSchoolplan 2015-2020\ndenken in doelen\n\nInhoud\n"),
            [
                "# basisschool de linde",
                "# schoolplan 2015-2020 denken in doelen",
                "# inhoud"
            ]
        );
        assert_eq!(
            marked("Dat staat in het plan.\nHoofdstuk 2\nOnze visie\nWij werken samen.\n"),
            [
                "dat staat in het plan.",
                "# hoofdstuk 2",
                "# onze visie",
                "wij werken samen."
            ]
        );
    }

    #[test]
    fn a_heading_in_capitals_wrapped_after_het_is_one_heading() {
        assert_eq!(
            marked(
                "Zie de website.\n\n11. VERBETERING VAN HET\nONDERWIJS/KWALITEITSZORG\n\nSchoolplan\n"
            ),
            [
                "zie de website.",
                "# 11. verbetering van het",
                "# onderwijs/kwaliteitszorg",
                "# schoolplan"
            ]
        );
    }

    #[test]
    fn numbered_headings_are_headings() {
        assert_eq!(
            marked("Zo werken wij.\n2.1 Doelen\nOns doel is dat elk kind leest.\n3. Evaluatie\n"),
            [
                "zo werken wij.",
                "# 2.1 doelen",
                "ons doel is dat elk kind leest.",
                "# 3. evaluatie"
            ]
        );
    }

    #[test]
    fn table_of_contents_lines_are_headings() {
        let text = "Inhoudsopgave\n2.1 Doelen ........ 12\n2.2 Evaluatie en verbetering . . . . . 14\n                    3 Kwaliteitszorg blz. 21\nBijlage 1 Jaarplan ____ 30\n";
        let s = marked(text);
        assert!(s.iter().all(|s| s.starts_with("# ")), "{s:?}");
        assert!(s.iter().any(|s| s.contains("doelen")), "{s:?}");
        // Without a page start or sentence end before it, a line of a table of contents
        // with a leader is still one.
        assert_eq!(
            marked("zie de lijst\nDoelen en resultaten ....... 18\n")[1..],
            ["# doelen en resultaten", "# 18"]
        );
    }

    #[test]
    fn a_short_line_inside_a_wrapped_sentence_is_not_a_heading() {
        // The short line and the next line are one sentence that ends with a full stop.
        let text =
            "De school werkt aan taal.\nMeer daarover staat in het\nSchoolplan van de stichting.\n";
        assert_eq!(
            marked(text),
            [
                "de school werkt aan taal.",
                "meer daarover staat in het schoolplan van de stichting."
            ]
        );
        let text = "De school werkt aan taal.\nMeer daarover staat in het\nSchoolplan 2020\n\n";
        assert_eq!(
            marked(text),
            [
                "de school werkt aan taal.",
                "meer daarover staat in het",
                "schoolplan 2020"
            ]
        );
        let text = "Wij evalueren de doelen\nelk jaar met het team.\n";
        assert_eq!(
            marked(text),
            ["wij evalueren de doelen elk jaar met het team."]
        );
    }

    #[test]
    fn bullets_long_lines_and_lines_after_a_colon_are_not_headings() {
        assert_eq!(
            marked("Wat wij doen:\n• Jaarlijks evalueren\nDe werkgroep stelt het plan op\n"),
            [
                "wat wij doen:",
                "jaarlijks evalueren",
                "de werkgroep stelt het plan op"
            ]
        );
        let long =
            "Het team van de school evalueert elk jaar in juni samen met de ouders het plan\n";
        assert_eq!(marked(long).len(), 1);
        assert!(!marked(long)[0].starts_with('#'));
        // A short line after a paragraph that has not ended.
        assert_eq!(
            marked("Het team van de school werkt elk jaar samen met de\nbibliotheek\nLezen\n"),
            [
                "het team van de school werkt elk jaar samen met de bibliotheek",
                "lezen"
            ]
        );
    }

    #[test]
    fn a_paragraph_line_wrapped_before_a_capital_is_not_a_heading() {
        // Regression: the first line of a short paragraph was taken for a heading when the
        // next line started with a name, and its words were lost.
        assert_eq!(
            marked(
                "Dit is het plan.\nIn juni bespreekt het team de resultaten met de\nDirectie en de intern begeleider.\n"
            ),
            [
                "dit is het plan.",
                "in juni bespreekt het team de resultaten met de directie en de intern begeleider."
            ]
        );
        // A heading is short beside the text under it.
        assert_eq!(
            marked(
                "Dit is het plan.\nSteeds op zoek naar kwaliteit\nWij evalueren elk jaar in juni de doelen van het jaarplan met het team.\n"
            ),
            [
                "dit is het plan.",
                "# steeds op zoek naar kwaliteit",
                "wij evalueren elk jaar in juni de doelen van het jaarplan met het team."
            ]
        );
    }

    #[test]
    fn a_year_at_the_start_of_a_line_goes_on_with_the_sentence() {
        // Regression: "september" / "2025 tot en met juni" was split before the year.
        assert_eq!(
            sentences(
                "alle leerlingen krijgen van september\n2025 tot en met juni 2026 les;\nin juni geven zij een concert."
            ),
            [
                "alle leerlingen krijgen van september 2025 tot en met juni 2026 les;",
                "in juni geven zij een concert."
            ]
        );
    }

    #[test]
    fn section_numbered_lines_and_table_of_contents_runs_with_sub_entries_are_headings() {
        // Regression: "7.4 Schoolondersteuningsprofiel" in a table of contents without page
        // numbers, after a bullet sub-entry, counted as evidence.
        let toc = "7 Steeds op zoek naar kwaliteit pag.23\n7.1 Methodes\n7.2 Personeel\n-Netwerkleren leerkrachten\n7.3 Kwaliteitsontwikkeling\n7.4 Schoolondersteuningsprofiel\n\n8 Het voortgezet onderwijs pag.26\n";
        let s = marked(toc);
        assert!(
            s.iter()
                .filter(|l| !l.contains("netwerkleren"))
                .all(|l| l.starts_with("# ")),
            "{s:?}"
        );
        assert!(
            s.contains(&"# 7.4 schoolondersteuningsprofiel".to_string()),
            "{s:?}"
        );
        // On its own, too.
        assert_eq!(
            marked("Wij werken samen.\n2.3 Kwaliteitszorg en evaluatie\n"),
            ["wij werken samen.", "# 2.3 kwaliteitszorg en evaluatie"]
        );
    }

    #[test]
    fn a_question_or_a_sentence_with_a_full_stop_is_not_a_heading() {
        assert_eq!(
            marked("Wanneer zijn we tevreden?\nHet doel is bereikt.\n"),
            ["wanneer zijn we tevreden?", "het doel is bereikt."]
        );
    }

    #[test]
    fn marks_glued_to_the_first_word_stay_with_the_sentence() {
        // Folded text: lower case, typographic quotes unified.
        assert_eq!(
            sentences("Zo gaat het. ‘t Startnest groeit. -10% uitval. +31 scholen. \"Wij\" ook."),
            [
                "zo gaat het.",
                "'t startnest groeit.",
                "-10% uitval.",
                "+31 scholen.",
                "\"wij\" ook."
            ]
        );
        assert_eq!(
            sentences("Klaar. (Zie bijlage.)"),
            ["klaar.", "(zie bijlage.)"]
        );
    }

    #[test]
    fn endless_text_is_cut_into_bounded_sentences() {
        let text = "woord ".repeat(400);
        let s = sentences(&text);
        assert!(s.len() >= 3, "{}", s.len());
    }
}
