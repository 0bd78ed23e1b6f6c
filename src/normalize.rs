//! Text as the rules see it: case folded, diacritics and ligatures folded, invisible
//! characters removed, words broken at line ends rejoined, with a map back to the original
//! so that every hit can be shown and located in the page text as the document has it.
//!
//! Rule terms pass through the same [`fold`], so a rule author writes natural Dutch
//! (`geëvalueerd`, `coördinator`, `PDCA-cyclus`) and it matches every spelling of it.
//!
//! Hyphens get special care because Dutch writes compounds three ways (`PDCA-cyclus`,
//! `PDCA cyclus`, `PDCAcyclus`) and PDF text breaks words at line ends (`evalu-\natie`):
//! - a hyphen between two letters is removed and its place is recorded as a *joint*, so the
//!   folded text holds the compound written solid (`pdcacyclus`) and the matcher can still
//!   see its parts (`pdca` + `cyclus`);
//! - a hyphen at a line end followed by a lower-case word is a line-break hyphen: the word
//!   is rejoined without a joint (`evaluatie`), unless the hyphen marks a Dutch suspended
//!   compound (`taal- en rekenonderwijs`) or the part before it is an abbreviation in
//!   capitals (`PDCA-\ncyclus`, where the hyphen is real);
//! - a hyphen at a line end followed by a capital or a digit (`Noord-\nBrabant`) is a real
//!   hyphen: only the line break goes.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Words after a line-end hyphen that show a suspended compound (`taal- en rekenonderwijs`,
/// `basis- of voortgezet onderwijs`): the hyphen is kept, the words stay apart.
const SUSPENDED_NEXT: [&str; 7] = ["en", "of", "tot", "dan", "als", "noch", "t/m"];

/// Folded text plus, for every byte of it, the byte offset in the original text, and the
/// places where a hyphen inside a word was removed.
#[derive(Debug, Clone, Default)]
pub struct Folded {
    pub text: String,
    /// Where the folded bytes come from, by ascending `at`; the first starts at 0. Stored
    /// as runs rather than one offset per byte: most text is ASCII copied as it is, and
    /// the map is read only for the few places a hit or a sentence starts.
    runs: Vec<Run>,
    /// Byte offsets in `text` where a hyphen between two letters was removed, ascending.
    pub joints: Vec<u32>,
    original_len: u32,
    /// The same map, one offset per byte, to test the runs against.
    #[cfg(test)]
    dense: Vec<u32>,
}

/// Folded bytes from `at` up to the next run come from original byte `from` and, when
/// `linear`, each next one from the next original byte (a copied ASCII run); otherwise all
/// from `from` (the bytes of one folded character).
#[derive(Debug, Clone, Copy)]
struct Run {
    at: u32,
    from: u32,
    linear: bool,
}

impl Folded {
    /// Byte offset in the original text where the folded byte `pos` came from.
    pub fn origin(&self, pos: usize) -> usize {
        if pos >= self.text.len() {
            return self.original_len as usize;
        }
        let i = self.runs.partition_point(|r| r.at as usize <= pos);
        let Some(run) = i.checked_sub(1).map(|i| self.runs[i]) else {
            return self.original_len as usize;
        };
        let step = if run.linear { pos - run.at as usize } else { 0 };
        (run.from as usize + step).min(u32::MAX as usize)
    }

    /// Records that the `len` bytes just appended to `text` come from original byte
    /// `from` (and, when `linear`, the bytes after it).
    fn record(&mut self, len: usize, from: usize, linear: bool) {
        if len == 0 {
            return;
        }
        let at = self.text.len() - len;
        #[cfg(test)]
        self.dense
            .extend((0..len).map(|k| (from + if linear { k } else { 0 }) as u32));
        let linear = linear || len == 1;
        if let Some(last) = self.runs.last()
            && last.linear
            && linear
            && last.from as usize + (at - last.at as usize) == from
        {
            return;
        }
        self.runs.push(Run {
            at: at as u32,
            from: from as u32,
            linear,
        });
    }

    /// The original byte range `[start, end)` covered by the folded byte range; `original`
    /// is the text that was folded.
    pub fn origin_range(&self, original: &str, start: usize, end: usize) -> (usize, usize) {
        let from = self.origin(start);
        if end <= start {
            return (from, from);
        }
        let last = self.origin(end - 1);
        let to = last
            + original
                .get(last..)
                .and_then(|s| s.chars().next())
                .map_or(0, char::len_utf8);
        (from, to.max(from).min(original.len()))
    }

    /// Whether a hyphen was removed at byte `pos` of the folded text.
    pub fn is_joint(&self, pos: usize) -> bool {
        self.joints.binary_search(&(pos as u32)).is_ok()
    }
}

/// Folds `text` for matching: NFKD compatibility decomposition (ligatures `ﬁ` → `fi`,
/// `ĳ` → `ij`), combining marks dropped (`ë` → `e`), lower case, soft hyphens and
/// zero-width characters removed, typographic dashes, quotes and spaces unified, hyphens
/// inside words and at line ends handled as the module documentation says.
pub fn fold(text: &str) -> Folded {
    let mut out = Folded::default();
    fold_into(text, &mut out);
    out
}

/// [`fold`] into `out`, reusing its buffers (the matcher folds page after page).
pub fn fold_into(text: &str, out: &mut Folded) {
    let bytes = text.as_bytes();
    out.text.clear();
    out.text.reserve(text.len() + 8);
    out.runs.clear();
    out.joints.clear();
    out.original_len = text.len().min(u32::MAX as usize) as u32;
    #[cfg(test)]
    out.dense.clear();
    let mut i = 0;
    while i < bytes.len() {
        // Fast path: a run of plain ASCII is copied in one go (lower-cased at the end).
        let run = plain_ascii_run(&bytes[i..]);
        if run > 0 {
            out.text.push_str(&text[i..i + run]);
            out.record(run, i, true);
            i += run;
            continue;
        }
        let Some(raw) = text[i..].chars().next() else {
            break;
        };
        let next_i = i + raw.len_utf8();
        let c = unify(raw);
        if c == '-' || raw == '\u{ad}' {
            i = hyphen(text, out, raw, i, next_i);
            continue;
        }
        i = next_i;
        if is_invisible(c) {
            continue;
        }
        if c.is_ascii() {
            push(out, c.to_ascii_lowercase(), i - raw.len_utf8());
            continue;
        }
        for d in std::iter::once(c).nfkd() {
            if is_combining_mark(d) {
                continue;
            }
            for l in d.to_lowercase() {
                push(out, unify(l), i - raw.len_utf8());
            }
        }
    }
    // The copied ASCII runs are lower-cased here in one pass rather than run by run (most
    // runs are short, and the short tails of many small passes cost more than the text).
    // This changes nothing else: every other character above was pushed in lower case
    // already, ASCII lower-casing leaves the bytes of non-ASCII characters alone, and
    // nothing in the loop reads the case of what it wrote (`hyphen` asks only whether the
    // last character is a letter).
    out.text.make_ascii_lowercase();
}

/// How many bytes at the start of `bytes` are ASCII other than `-` and `` ` `` (which
/// fold specially). Sixteen bytes at a time by a test without branches, which the compiler
/// turns into a few vector instructions; the sixteen bytes with the stop in them are then
/// searched by [`plain_ascii_prefix`].
fn plain_ascii_run(bytes: &[u8]) -> usize {
    let mut n = 0;
    let mut chunks = bytes.chunks_exact(16);
    for chunk in &mut chunks {
        if chunk.iter().fold(false, |any, &b| any | folds_specially(b)) {
            return n + plain_ascii_prefix(chunk);
        }
        n += 16;
    }
    n + plain_ascii_prefix(chunks.remainder())
}

/// Whether byte `b` ends a run of plain ASCII (written without branches, so that a loop
/// over it vectorizes).
fn folds_specially(b: u8) -> bool {
    (b >= 0x80) | (b == b'-') | (b == b'`')
}

/// [`plain_ascii_run`] for a short slice, looked at eight bytes at a time.
fn plain_ascii_prefix(bytes: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = ONES * 0x80;
    // Flags at bit 7 of the bytes of `x` (all below 0x80) equal to `b`.
    let equal = |x: u64, b: u8| {
        let z = x ^ (ONES * b as u64);
        !((z + ONES * 0x7f) | z) & HIGH
    };
    let mut n = 0;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let w = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        let x = w & !HIGH;
        let stop = (w & HIGH) | equal(x, b'-') | equal(x, b'`');
        if stop != 0 {
            return n + (stop.trailing_zeros() / 8) as usize;
        }
        n += 8;
    }
    n + chunks
        .remainder()
        .iter()
        .position(|&b| folds_specially(b))
        .unwrap_or(chunks.remainder().len())
}

/// Handles a hyphen (or soft hyphen) at byte `at` of `text`; returns where to go on.
fn hyphen(text: &str, out: &mut Folded, raw: char, at: usize, next: usize) -> usize {
    let prev_letter = out
        .text
        .chars()
        .next_back()
        .is_some_and(char::is_alphabetic);
    if prev_letter && let Some(skip) = line_break_after(text, next) {
        let rest = &text[skip..];
        let following = rest.chars().next();
        let suspended = suspended(rest);
        if following.is_some_and(char::is_lowercase) && !suspended {
            // A line-break hyphen: rejoin. An abbreviation in capitals keeps its hyphen
            // as a joint (`PDCA-\ncyclus` is the compound `PDCA-cyclus`).
            if capitals_before(text, at) {
                out.joints.push(out.text.len() as u32);
            }
            return skip;
        }
        if !suspended && following.is_some_and(char::is_alphanumeric) {
            // `Noord-\nBrabant`, `COVID-\n19`: a real hyphen; only the line break goes.
            if following.is_some_and(char::is_alphabetic) {
                out.joints.push(out.text.len() as u32);
            } else {
                push(out, '-', at);
            }
            return skip;
        }
    }
    if raw == '\u{ad}' {
        return next;
    }
    let next_letter = text[next..].chars().next().is_some_and(char::is_alphabetic);
    if prev_letter && next_letter {
        out.joints.push(out.text.len() as u32);
    } else {
        push(out, '-', at);
    }
    next
}

/// Whether the word ending at byte `at` is written in capitals (`PDCA`, `ICT`).
fn capitals_before(text: &str, at: usize) -> bool {
    let mut letters = 0;
    for c in text[..at].chars().rev() {
        if !c.is_alphanumeric() {
            break;
        }
        if c.is_lowercase() {
            return false;
        }
        letters += 1;
    }
    letters > 1
}

fn push(out: &mut Folded, c: char, index: usize) {
    out.text.push(c);
    out.record(c.len_utf8(), index, false);
}

/// When `text[from..]` is optional spaces, one line break and optional spaces, the byte
/// offset of what follows them.
fn line_break_after(text: &str, from: usize) -> Option<usize> {
    let rest = text.get(from..)?;
    let trimmed = rest.trim_start_matches([' ', '\t']);
    let after_break = trimmed
        .strip_prefix("\r\n")
        .or_else(|| trimmed.strip_prefix('\n'))
        .or_else(|| trimmed.strip_prefix('\r'))?;
    let next = after_break.trim_start_matches([' ', '\t']);
    Some(text.len() - next.len())
}

/// Whether `rest` starts with a word that makes the hyphen before it a suspended compound.
fn suspended(rest: &str) -> bool {
    let word: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '/')
        .flat_map(char::to_lowercase)
        .collect();
    SUSPENDED_NEXT.contains(&word.as_str())
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
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{fe63}' | '\u{ff0d}' => '-',
        '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' | '`' | '\u{b4}' => '\'',
        '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{ab}' | '\u{bb}' => '"',
        '\u{a0}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}' => ' ',
        other => other,
    }
}

/// Whether `c` can be part of a word of folded text (an apostrophe counts only between two
/// such characters, which [`words`] checks).
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Byte spans of the words of folded text: runs of letters and digits, with an apostrophe
/// between two of them kept inside (`icc'er`). `extra` admits more characters into a word
/// (the `*` of a rule pattern).
pub fn words(text: &str, extra: impl Fn(char) -> bool) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len() / 6);
    let inside_at = |i: usize| -> (bool, usize) {
        let b = bytes[i];
        if b < 0x80 {
            (
                b.is_ascii_alphanumeric() || (b != b'\'' && extra(b as char)),
                1,
            )
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            (is_word_char(c) || extra(c), c.len_utf8())
        }
    };
    let mut start: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        // Fast path: skip a run of ASCII letters and digits inside a word, or of ASCII
        // separators outside one.
        if bytes[i] < 0x80 && bytes[i] != b'\'' {
            let in_word = start.is_some();
            let run = bytes[i..]
                .iter()
                .take_while(|&&b| {
                    b < 0x80
                        && b != b'\''
                        && (b.is_ascii_alphanumeric() || extra(b as char)) == in_word
                })
                .count();
            if run > 0 {
                i += run;
                continue;
            }
        }
        let (mut inside, width) = inside_at(i);
        if !inside && bytes[i] == b'\'' && start.is_some() && i + 1 < bytes.len() {
            inside = inside_at(i + 1).0;
        }
        match (inside, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
        i += width;
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}

/// The words of folded page text, as [`words`] without extra characters.
pub fn text_words(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    text_words_into(text, &mut out);
    out
}

/// [`text_words`] into a buffer the caller reuses from page to page. This runs over every
/// byte of every page, so it avoids a branch per byte: it marks the bytes of words 64 at a
/// time in a bit mask and reads the word starts and ends from the changes in the mask.
/// Only a block with a non-ASCII byte or an apostrophe is marked byte by byte.
pub fn text_words_into(text: &str, out: &mut Vec<(usize, usize)>) {
    out.clear();
    let bytes = text.as_bytes();
    let mut start = 0usize;
    let mut previous = 0u64;
    for (block, chunk) in bytes.chunks(64).enumerate() {
        let base = block * 64;
        let mut padded = [0u8; 64];
        let full: &[u8; 64] = match chunk.try_into() {
            Ok(full) => full,
            Err(_) => {
                padded[..chunk.len()].copy_from_slice(chunk);
                &padded
            }
        };
        let (mut mask, special) = classify_block(full);
        // The bytes that need a closer look, a character at a time.
        let mut pending = special & (u64::MAX >> (64 - chunk.len()));
        while pending != 0 {
            let k = pending.trailing_zeros() as usize;
            let width = if text.is_char_boundary(base + k) {
                text[base + k..].chars().next().map_or(1, char::len_utf8)
            } else {
                1
            };
            // All bytes of the character (those in this block) share its answer.
            let bytes = (u64::MAX >> (64 - width)) << k;
            if word_byte(text, base + k) {
                mask |= bytes;
            }
            pending &= !bytes;
        }
        // A word starts where a word byte follows a non-word byte and ends where a non-word
        // byte follows a word byte. Starts and ends alternate, so they pair up in order;
        // one word may be open from the block before, and one may stay open to the next.
        let valid = u64::MAX >> (64 - chunk.len());
        let before = mask << 1 | previous;
        let mut starts = mask & !before & valid;
        let mut ends = !mask & before & valid;
        if previous == 1 && ends != 0 {
            out.push((start, base + ends.trailing_zeros() as usize));
            ends &= ends - 1;
        }
        while starts != 0 {
            let from = base + starts.trailing_zeros() as usize;
            starts &= starts - 1;
            if ends == 0 {
                start = from;
                break;
            }
            out.push((from, base + ends.trailing_zeros() as usize));
            ends &= ends - 1;
        }
        previous = mask >> (chunk.len() - 1) & 1;
    }
    if previous == 1 {
        out.push((start, bytes.len()));
    }
}

/// For 64 bytes, a bit mask of the ASCII letters and digits and one of the bytes that need
/// a closer look (non-ASCII bytes and apostrophes). The bytes are first classified into
/// arrays of flags by a loop without branches, which the compiler turns into vector
/// instructions; each eight flags are then packed into eight bits by one multiplication.
fn classify_block(block: &[u8; 64]) -> (u64, u64) {
    let mut alnum = [0u8; 64];
    let mut special = [0u8; 64];
    for ((&b, a), s) in block.iter().zip(&mut alnum).zip(&mut special) {
        let letter = (b | 0x20).wrapping_sub(b'a') < 26;
        let digit = b.wrapping_sub(b'0') < 10;
        *a = u8::from(letter | digit);
        *s = u8::from((b >= 0x80) | (b == b'\''));
    }
    // Eight flags of 0 or 1 → eight bits, byte `i` at bit `i`.
    let pack = |flags: &[u8]| {
        let w = u64::from_le_bytes(flags.try_into().unwrap_or([0; 8]));
        w.wrapping_mul(0x0102_0408_1020_4080) >> 56
    };
    let mut alnum_mask = 0u64;
    for (i, flags) in alnum.chunks_exact(8).enumerate() {
        alnum_mask |= pack(flags) << (8 * i);
    }
    // Most blocks have no byte that needs a closer look: pack those flags only if any.
    let mut special_mask = 0u64;
    if special.iter().fold(0u8, |any, &f| any | f) != 0 {
        for (i, flags) in special.chunks_exact(8).enumerate() {
            special_mask |= pack(flags) << (8 * i);
        }
    }
    (alnum_mask, special_mask)
}

/// Whether byte `i` of `text` (non-ASCII or an apostrophe) is part of a word: a byte of a
/// letter or digit, or an apostrophe between two of them.
fn word_byte(text: &str, i: usize) -> bool {
    let bytes = text.as_bytes();
    let char_at = |at: usize| text.get(at..).and_then(|s| s.chars().next());
    if bytes[i] == b'\'' {
        let before = text[..i].chars().next_back();
        return before.is_some_and(is_word_char) && char_at(i + 1).is_some_and(is_word_char);
    }
    let mut at = i;
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    char_at(at).is_some_and(is_word_char)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The code before the fast paths were made faster, kept to test the new code against:
    /// it must give byte for byte the same results.
    mod reference {
        use super::super::{Folded, hyphen, is_invisible, push, unify, word_byte};
        use unicode_normalization::UnicodeNormalization;
        use unicode_normalization::char::is_combining_mark;

        /// [`fold`] into `out`, reusing its buffers (the matcher folds page after page).
        pub(super) fn fold_into(text: &str, out: &mut Folded) {
            let bytes = text.as_bytes();
            out.text.clear();
            out.text.reserve(text.len() + 8);
            out.runs.clear();
            out.joints.clear();
            out.original_len = text.len().min(u32::MAX as usize) as u32;
            #[cfg(test)]
            out.dense.clear();
            let mut i = 0;
            while i < bytes.len() {
                // Fast path: a run of plain ASCII is copied and lower-cased in one go.
                let run = plain_ascii_run(&bytes[i..]);
                if run > 0 {
                    let len = out.text.len();
                    out.text.push_str(&text[i..i + run]);
                    out.text[len..].make_ascii_lowercase();
                    out.record(run, i, true);
                    i += run;
                    continue;
                }
                let Some(raw) = text[i..].chars().next() else {
                    break;
                };
                let next_i = i + raw.len_utf8();
                let c = unify(raw);
                if c == '-' || raw == '\u{ad}' {
                    i = hyphen(text, out, raw, i, next_i);
                    continue;
                }
                i = next_i;
                if is_invisible(c) {
                    continue;
                }
                if c.is_ascii() {
                    push(out, c.to_ascii_lowercase(), i - raw.len_utf8());
                    continue;
                }
                for d in std::iter::once(c).nfkd() {
                    if is_combining_mark(d) {
                        continue;
                    }
                    for l in d.to_lowercase() {
                        push(out, unify(l), i - raw.len_utf8());
                    }
                }
            }
        }

        /// How many bytes at the start of `bytes` are ASCII other than `-` and `` ` `` (which
        /// fold specially), looked at eight at a time.
        fn plain_ascii_run(bytes: &[u8]) -> usize {
            const ONES: u64 = 0x0101_0101_0101_0101;
            const HIGH: u64 = ONES * 0x80;
            // Flags at bit 7 of the bytes of `x` (all below 0x80) equal to `b`.
            let equal = |x: u64, b: u8| {
                let z = x ^ (ONES * b as u64);
                !((z + ONES * 0x7f) | z) & HIGH
            };
            let mut n = 0;
            let mut chunks = bytes.chunks_exact(8);
            for chunk in &mut chunks {
                let w = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
                let x = w & !HIGH;
                let stop = (w & HIGH) | equal(x, b'-') | equal(x, b'`');
                if stop != 0 {
                    return n + (stop.trailing_zeros() / 8) as usize;
                }
                n += 8;
            }
            n + chunks
                .remainder()
                .iter()
                .position(|&b| b >= 0x80 || b == b'-' || b == b'`')
                .unwrap_or(chunks.remainder().len())
        }

        /// [`text_words`] into a buffer the caller reuses from page to page. This runs over every
        /// byte of every page, so it avoids a branch per byte: it marks the bytes of words 64 at a
        /// time in a bit mask and reads the word starts and ends from the changes in the mask.
        /// Only a block with a non-ASCII byte or an apostrophe is marked byte by byte.
        pub(super) fn text_words_into(text: &str, out: &mut Vec<(usize, usize)>) {
            out.clear();
            let bytes = text.as_bytes();
            let mut start = 0usize;
            let mut previous = 0u64;
            for (block, chunk) in bytes.chunks(64).enumerate() {
                let base = block * 64;
                let mut padded = [0u8; 64];
                let full: &[u8; 64] = match chunk.try_into() {
                    Ok(full) => full,
                    Err(_) => {
                        padded[..chunk.len()].copy_from_slice(chunk);
                        &padded
                    }
                };
                let (mut mask, special) = classify_block(full);
                // The bytes that need a closer look, a character at a time.
                let mut pending = special & (u64::MAX >> (64 - chunk.len()));
                while pending != 0 {
                    let k = pending.trailing_zeros() as usize;
                    let width = if text.is_char_boundary(base + k) {
                        text[base + k..].chars().next().map_or(1, char::len_utf8)
                    } else {
                        1
                    };
                    // All bytes of the character (those in this block) share its answer.
                    let bytes = (u64::MAX >> (64 - width)) << k;
                    if word_byte(text, base + k) {
                        mask |= bytes;
                    }
                    pending &= !bytes;
                }
                // A bit is set where a byte differs from the one before it: a word starts or ends.
                let valid = u64::MAX >> (64 - chunk.len());
                let mut changes = (mask ^ (mask << 1 | previous)) & valid;
                while changes != 0 {
                    let k = changes.trailing_zeros() as usize;
                    changes &= changes - 1;
                    if mask >> k & 1 == 1 {
                        start = base + k;
                    } else {
                        out.push((start, base + k));
                    }
                }
                previous = mask >> (chunk.len() - 1) & 1;
            }
            if previous == 1 {
                out.push((start, bytes.len()));
            }
        }

        /// For 64 bytes, a bit mask of the ASCII letters and digits and one of the bytes that need
        /// a closer look (non-ASCII bytes and apostrophes), computed eight bytes at a time.
        fn classify_block(block: &[u8; 64]) -> (u64, u64) {
            const ONES: u64 = 0x0101_0101_0101_0101;
            const HIGH: u64 = ONES * 0x80;
            // Byte flags at bit 7 of each byte → eight bits, byte `i` at bit `i`.
            let pack = |flags: u64| (flags >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56;
            // Bytes of `x` (all below 0x80) within `lo..=hi`, as flags at bit 7.
            let between = |x: u64, lo: u64, hi: u64| {
                let at_least = x + ONES * (0x80 - lo);
                let above = x + ONES * (0x7f - hi);
                at_least & !above & HIGH
            };
            let (mut alnum, mut special) = (0u64, 0u64);
            let mut flags = [0u64; 8];
            for (i, word) in block.chunks_exact(8).enumerate() {
                let w = u64::from_le_bytes(word.try_into().unwrap_or([0; 8]));
                let high = w & HIGH;
                let x = w & !HIGH;
                let letters = between(x | (ONES * 0x20), b'a' as u64, b'z' as u64);
                let digits = between(x, b'0' as u64, b'9' as u64);
                let z = x ^ (ONES * b'\'' as u64);
                let apostrophes = !((z + ONES * 0x7f) | z) & HIGH;
                alnum |= pack((letters | digits) & !high) << (8 * i);
                flags[i] = high | (apostrophes & !high);
            }
            // Most blocks have no byte that needs a closer look: pack those flags only if any.
            if flags.iter().any(|&f| f != 0) {
                for (i, &f) in flags.iter().enumerate() {
                    special |= pack(f) << (8 * i);
                }
            }
            (alnum, special)
        }
    }

    /// Page-like texts from pieces of every kind the folding and the word spans treat apart:
    /// runs of plain ASCII of every length (across the 8-, 16- and 64-byte steps of the fast
    /// paths), capitals, accents precomposed and combining, ligatures, compounds and line
    /// breaks with hyphens, soft hyphens, apostrophes, digits, bullets, Unicode spaces and
    /// dashes, zero-width characters and emoji.
    fn generated_texts(seed: u64, count: usize, max_len: usize) -> Vec<String> {
        let pieces = [
            "de ",
            "School ",
            "EVALUATIE",
            "doelen",
            ". ",
            ", ",
            "\n",
            "\r\n",
            "\t",
            "  ",
            "2024",
            "7",
            "é",
            "ë",
            "Ë",
            "ö",
            "Ï",
            "ç",
            "ß",
            "ﬁ",
            "ﬂ",
            "ĳ",
            "Ĳ",
            "PDCA-cyclus",
            "evalu-\natie",
            "doel-  \n  stellingen",
            "taal-\nen ",
            "basis- of ",
            "Noord-\nBrabant",
            "COVID-\n19",
            "ICT-\nbeleid",
            "a-b",
            "-",
            " - ",
            "--",
            "eval\u{ad}uatie",
            "\u{ad}\n",
            "icc'er",
            "’",
            "'",
            "`",
            "´",
            "‘s ",
            "„",
            "”",
            "«",
            "•",
            "◦",
            "·",
            "–",
            "—",
            "\u{2212}",
            "\u{a0}",
            "\u{2009}",
            "\u{202f}",
            "\u{3000}",
            "\u{200b}",
            "\u{200d}",
            "\u{feff}",
            "\u{2060}",
            "e\u{301}",
            "\u{308}",
            "😀",
            "👍🏽",
            "👩‍💻",
            "€",
            "½",
            "²",
            "\u{212a}",
            "\u{212b}",
            "Ａ",
            "İ",
            "ǅ",
            "ﬀ",
            "№",
            "x'y",
            "''",
            "*",
        ];
        let mut state = seed;
        let mut next = move || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as usize
        };
        let ascii = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:!?()/\n";
        (0..count)
            .map(|_| {
                let len = next() % max_len;
                let mut text = String::new();
                while text.len() < len {
                    if next() % 3 == 0 {
                        for _ in 0..next() % 90 {
                            text.push(ascii[next() % ascii.len()] as char);
                        }
                    } else {
                        text.push_str(pieces[next() % pieces.len()]);
                    }
                }
                text
            })
            .collect()
    }

    fn assert_folds_as_reference(text: &str, new: &mut Folded, old: &mut Folded) {
        fold_into(text, new);
        reference::fold_into(text, old);
        assert_eq!(new.text, old.text, "{text:?}");
        assert_eq!(new.joints, old.joints, "{text:?}");
        assert_eq!(new.dense, old.dense, "{text:?}");
        assert_eq!(
            format!("{:?}", new.runs),
            format!("{:?}", old.runs),
            "{text:?}"
        );
        assert_eq!(new.original_len, old.original_len, "{text:?}");
    }

    #[test]
    fn fold_gives_the_same_text_origins_and_joints_as_the_reference() {
        let (mut new, mut old) = (Folded::default(), Folded::default());
        for text in generated_texts(7, 3000, 700) {
            assert_folds_as_reference(&text, &mut new, &mut old);
        }
        for text in generated_texts(8, 20, 20_000) {
            assert_folds_as_reference(&text, &mut new, &mut old);
        }
    }

    #[test]
    fn fold_gives_the_same_as_the_reference_for_every_assigned_plane_character() {
        let (mut new, mut old) = (Folded::default(), Folded::default());
        let mut text = String::new();
        // Planes 0 to 2 and the tags and variation selectors of plane 14: past them only CJK
        // ideographs (plane 3, which fold to themselves) and private use are assigned. The
        // whole range takes half a minute in a debug build.
        let planes = (0..0x3_0000u32).chain(0xe_0000..0xe_1000);
        for c in planes.filter_map(char::from_u32) {
            // At the start of the text, and between ASCII letters in a run long enough for
            // the fast path.
            text.clear();
            text.push(c);
            text.push_str("Abcdefghijklmnopqrstu");
            text.push(c);
            text.push_str("Vwxyz-Q");
            assert_folds_as_reference(&text, &mut new, &mut old);
        }
    }

    #[test]
    fn text_words_give_the_same_spans_as_the_reference() {
        let (mut new, mut old) = (Vec::new(), Vec::new());
        for text in generated_texts(9, 3000, 700)
            .into_iter()
            .chain(generated_texts(10, 20, 20_000))
        {
            // Folded page text, as the matcher gives it, and the raw text with its capitals
            // and characters that folding would change.
            let folded = fold_str(&text);
            for t in [&folded, &text] {
                text_words_into(t, &mut new);
                reference::text_words_into(t, &mut old);
                assert_eq!(new, old, "{t:?}");
            }
        }
    }

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
    fn typographic_quotes_dashes_and_spaces_are_unified() {
        assert_eq!(fold_str("ICC’er"), "icc'er");
        assert_eq!(fold_str("„doelen”"), "\"doelen\"");
        assert_eq!(fold_str("2024–2025"), "2024-2025");
        assert_eq!(fold_str("10\u{a0}%"), "10 %");
    }

    #[test]
    fn soft_hyphen_is_removed_and_offsets_point_back() {
        let text = "eval\u{ad}uatie";
        let folded = fold(text);
        assert_eq!(folded.text, "evaluatie");
        // 'u' is the 5th folded byte and comes after the two-byte soft hyphen.
        assert_eq!(folded.origin(4), 6);
        assert_eq!(folded.origin_range(text, 0, 9), (0, text.len()));
    }

    #[test]
    fn offsets_of_folded_accents_and_ligatures_cover_the_original_char() {
        let text = "Het ﬁnanciële plan";
        let folded = fold(text);
        let start = folded.text.find("financiele").unwrap();
        let (from, to) = folded.origin_range(text, start, start + "financiele".len());
        assert_eq!(&text[from..to], "ﬁnanciële");
    }

    #[test]
    fn line_break_hyphen_is_rejoined_without_joint() {
        let folded = fold("De evalu-\natie volgt.");
        assert_eq!(folded.text, "de evaluatie volgt.");
        assert!(folded.joints.is_empty());
        assert_eq!(fold_str("doel-  \n  stellingen"), "doelstellingen");
        assert_eq!(fold_str("evalu\u{ad}\natie"), "evaluatie");
        assert_eq!(fold_str("evalu-\r\natie"), "evaluatie");
    }

    #[test]
    fn suspended_compounds_and_capitals_are_not_rejoined() {
        assert_eq!(
            fold_str("taal-\nen rekenonderwijs"),
            "taal-\nen rekenonderwijs"
        );
        assert_eq!(fold_str("basis- of voortgezet"), "basis- of voortgezet");
        let brabant = fold("Noord-\nBrabant");
        assert_eq!(brabant.text, "noordbrabant");
        assert_eq!(brabant.joints, vec![5]);
        assert_eq!(fold_str("COVID-\n19"), "covid-19");
    }

    #[test]
    fn abbreviation_before_a_line_break_hyphen_keeps_a_joint() {
        let folded = fold("de PDCA-\ncyclus");
        assert_eq!(folded.text, "de pdcacyclus");
        assert_eq!(folded.joints, vec![7]);
    }

    #[test]
    fn hyphen_inside_a_compound_becomes_a_joint() {
        let folded = fold("de PDCA-cyclus en 2024-2025");
        assert_eq!(folded.text, "de pdcacyclus en 2024-2025");
        assert_eq!(folded.joints, vec![7]);
        assert!(folded.is_joint(7));
        // A dash between words is not inside a compound.
        assert_eq!(fold_str("doelen - evaluatie"), "doelen - evaluatie");
    }

    #[test]
    fn words_keep_inner_apostrophes_and_digits() {
        let text = "de icc'er, 'quote' en 2025";
        let spans: Vec<&str> = words(text, |_| false)
            .into_iter()
            .map(|(s, e)| &text[s..e])
            .collect();
        assert_eq!(spans, ["de", "icc'er", "quote", "en", "2025"]);
    }

    #[test]
    fn text_words_agree_with_words() {
        for text in [
            "",
            "de icc'er, 'quote' en 2025",
            "één'twee '' a'b' ' x",
            "coördinator’s • ß ĳ 10 % ''a",
            "'",
            "a'",
            "é",
        ] {
            let folded = fold_str(text);
            assert_eq!(text_words(&folded), words(&folded, |_| false), "{text:?}");
        }
    }

    #[test]
    fn text_words_agree_with_words_on_generated_text() {
        // Every mix of the kinds of characters the tokenizer treats apart, across the
        // 64-byte blocks it works in.
        let pieces = [
            "a", "Z", "7", " ", "'", "\n", ".", "é", "•", "ß", "ĳ", "’", "€", "-", "x'y", "''",
        ];
        let mut state = 12345u64;
        for len in [1, 2, 3, 20, 63, 64, 65, 130, 400] {
            for _ in 0..200 {
                let mut text = String::new();
                while text.len() < len {
                    state = state
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    text.push_str(pieces[(state >> 33) as usize % pieces.len()]);
                }
                assert_eq!(text_words(&text), words(&text, |_| false), "{text:?}");
            }
        }
    }

    #[test]
    fn origin_runs_give_the_offset_of_every_folded_byte() {
        let pieces = [
            "Ab",
            "c",
            " ",
            "-",
            "\n",
            "é",
            "ﬁ",
            "•",
            "\u{ad}",
            "Ĳ",
            "`",
            "’",
            "PDCA-",
            "evalu-\n",
            "taal-\nen",
            "Noord-\nBrabant",
            "COVID-\n19",
            "\u{200b}",
            "ß",
            "2024–2025",
        ];
        let mut state = 4242u64;
        let mut folded = Folded::default();
        for len in [1, 5, 9, 17, 40, 200] {
            for _ in 0..300 {
                let mut text = String::new();
                while text.len() < len {
                    state = state
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    text.push_str(pieces[(state >> 33) as usize % pieces.len()]);
                }
                fold_into(&text, &mut folded);
                assert_eq!(folded.dense.len(), folded.text.len(), "{text:?}");
                for pos in 0..folded.text.len() + 2 {
                    let expected = folded.dense.get(pos).map_or(text.len(), |&o| o as usize);
                    assert_eq!(folded.origin(pos), expected, "{text:?} at {pos}");
                }
            }
        }
    }

    #[test]
    fn plain_ascii_runs_stop_at_the_first_byte_that_folds_specially() {
        for text in [
            "",
            "abc",
            "abcdefgh-ij",
            "abcdefghijklmnop`",
            "abé",
            "x".repeat(30).as_str(),
        ] {
            let expected = text
                .bytes()
                .position(|b| b >= 0x80 || b == b'-' || b == b'`')
                .unwrap_or(text.len());
            assert_eq!(plain_ascii_run(text.as_bytes()), expected, "{text:?}");
        }
        for b in 0..=255u8 {
            for at in 0..20 {
                let mut bytes = vec![b'a'; 20];
                bytes[at] = b;
                let stops = b >= 0x80 || b == b'-' || b == b'`';
                assert_eq!(
                    plain_ascii_run(&bytes),
                    if stops { at } else { 20 },
                    "{b:#x}"
                );
            }
        }
    }

    #[test]
    fn block_classification_agrees_with_byte_by_byte_tests() {
        let mut state = 99u64;
        for round in 0..2000 {
            let mut block = [0u8; 64];
            for (k, b) in block.iter_mut().enumerate() {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                // The first 256 rounds put every byte value everywhere.
                *b = if round < 256 {
                    (round + k) as u8
                } else {
                    (state >> 40) as u8
                };
            }
            let (alnum, special) = classify_block(&block);
            for (k, &b) in block.iter().enumerate() {
                assert_eq!(alnum >> k & 1 == 1, b.is_ascii_alphanumeric(), "{b:#x}");
                assert_eq!(special >> k & 1 == 1, b >= 0x80 || b == b'\'', "{b:#x}");
            }
        }
    }

    #[test]
    fn words_can_admit_wildcards() {
        let text = "*beleid* plan";
        let spans: Vec<&str> = words(text, |c| c == '*')
            .into_iter()
            .map(|(s, e)| &text[s..e])
            .collect();
        assert_eq!(spans, ["*beleid*", "plan"]);
    }
}
