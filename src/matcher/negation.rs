//! Negation as a flag on a hit, in the manner of the ConText algorithm: a trigger word
//! (`niet`, `geen`, `zonder`) negates what follows it, or (`ontbreekt`) what precedes it,
//! within a window of words, unless a scope end (`maar`, `en`, a comma, the end of the
//! sentence) comes first, or the trigger is part of a pseudo-trigger (`niet alleen`,
//! `geen doel op zich`) that only looks like a negation.
//!
//! A negated hit is kept as evidence and shown; it only does not count.

use super::sentence::Segmenter;
use crate::rules::Negation;

/// The words of a page, as the negation check needs them.
pub struct Words<'a> {
    text: &'a str,
    spans: &'a [(usize, usize)],
    sentences: &'a Segmenter<'a>,
    /// Words that can end a `before` trigger or end the scope walking back.
    back: Sieve,
    /// Words that can start an `after` trigger or end the scope walking on.
    on: Sieve,
}

impl<'a> Words<'a> {
    pub fn new(
        neg: &Negation,
        text: &'a str,
        spans: &'a [(usize, usize)],
        sentences: &'a Segmenter<'a>,
    ) -> Words<'a> {
        let (back, on) = sieves(neg);
        Words {
            text,
            spans,
            sentences,
            back,
            on,
        }
    }

    #[inline]
    fn word(&self, i: usize) -> &[u8] {
        // As bytes: compared whole, a word needs no char-boundary checks.
        &self.text.as_bytes()[self.spans[i].0..self.spans[i].1]
    }

    /// Punctuation or a sentence end between word `i` and word `i + 1`.
    #[inline(always)]
    fn broken_after(&self, i: usize) -> bool {
        // On bytes: the marks are ASCII, and no byte of a multi-byte char is.
        self.sentences.boundary_before(i + 1)
            || self.text.as_bytes()[self.spans[i].1..self.spans[i + 1].0]
                .iter()
                .any(|b| matches!(b, b',' | b';' | b':' | b'.' | b'?' | b'!'))
    }

    #[inline]
    fn phrase_at(&self, phrase: &[String], start: usize) -> bool {
        start + phrase.len() <= self.spans.len()
            && phrase
                .iter()
                .enumerate()
                .all(|(k, w)| self.word(start + k) == w.as_bytes())
    }
}

/// A quick test that a word is none of a few: by its first byte and its length. The walk
/// around a hit looks at every word of the window, and nearly all of them differ from every
/// trigger and scope end in one or the other, so they are passed over with one look-up
/// instead of a comparison with each.
#[derive(Default)]
struct Sieve([u32; 32]);

impl Sieve {
    /// The slot and bit of a word: the low five bits of its first byte (enough to tell the
    /// letters apart) and its length up to 31.
    #[inline]
    fn key(word: &[u8]) -> (usize, u32) {
        let first = word.first().copied().unwrap_or(0);
        (usize::from(first & 31), word.len().min(31) as u32)
    }

    fn add(&mut self, word: &[u8]) {
        let (slot, bit) = Sieve::key(word);
        self.0[slot] |= 1 << bit;
    }

    /// False when `word` is none of the words added; true when it may be one.
    #[inline]
    fn may_hold(&self, word: &[u8]) -> bool {
        let (slot, bit) = Sieve::key(word);
        self.0[slot] >> bit & 1 != 0
    }
}

/// The sieves of the walk back and the walk on, in that order.
fn sieves(neg: &Negation) -> (Sieve, Sieve) {
    let mut back = Sieve::default();
    let mut on = Sieve::default();
    for w in &neg.scope_end {
        back.add(w.as_bytes());
        on.add(w.as_bytes());
    }
    neg.before
        .iter()
        .filter_map(|t| t.last())
        .for_each(|w| back.add(w.as_bytes()));
    neg.after
        .iter()
        .filter_map(|t| t.first())
        .for_each(|w| on.add(w.as_bytes()));
    (back, on)
}

/// Whether a hit on words `first..=last` is negated.
pub fn is_negated(neg: &Negation, words: &Words, first: usize, last: usize) -> bool {
    let n = words.spans.len();
    if n == 0 || last >= n {
        return false;
    }
    // A trigger before the hit: walk back from the hit.
    let lowest = first.saturating_sub(neg.window);
    let mut k = first;
    while k > lowest {
        k -= 1;
        if words.broken_after(k) {
            break;
        }
        let word = words.word(k);
        if !words.back.may_hold(word) {
            continue;
        }
        for trigger in &neg.before {
            // A trigger ending here ends with this word: one comparison passes over most.
            if trigger.last().is_some_and(|w| w.as_bytes() == word) && k + 1 >= trigger.len() {
                let start = k + 1 - trigger.len();
                if words.phrase_at(trigger, start) && !pseudo(neg, words, start, k) {
                    return true;
                }
            }
        }
        if neg.scope_end.iter().any(|w| w.as_bytes() == word) {
            break;
        }
    }
    // A trigger after the hit: walk forward.
    let highest = (last + neg.window).min(n - 1);
    let mut k = last;
    while k < highest {
        k += 1;
        if words.broken_after(k - 1) {
            break;
        }
        let word = words.word(k);
        if !words.on.may_hold(word) {
            continue;
        }
        for trigger in &neg.after {
            if trigger.first().is_some_and(|w| w.as_bytes() == word)
                && words.phrase_at(trigger, k)
                && !pseudo(neg, words, k, k + trigger.len() - 1)
            {
                return true;
            }
        }
        if neg.scope_end.iter().any(|w| w.as_bytes() == word) {
            break;
        }
    }
    false
}

/// Whether a `before` trigger stands between the first and the last word of a hit found
/// across a gap ("we stellen het plan **niet** bij"): it negates the part after it.
pub fn negated_inside(neg: &Negation, words: &Words, first: usize, last: usize) -> bool {
    (first + 1..last).any(|k| {
        neg.before.iter().any(|trigger| {
            k + trigger.len() <= last
                && words.phrase_at(trigger, k)
                && !pseudo(neg, words, k, k + trigger.len() - 1)
        })
    })
}

/// Whether a pseudo-trigger overlaps words `a..=b`.
fn pseudo(neg: &Negation, words: &Words, a: usize, b: usize) -> bool {
    neg.pseudo.iter().any(|p| {
        let from = (a + 1).saturating_sub(p.len());
        (from..=b).any(|start| words.phrase_at(p, start))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sieve_holds_every_word_added_and_passes_over_most_others() {
        let added = [
            "niet",
            "geen",
            "en",
            "ontbreekt",
            "",
            "een-woord-van-meer-dan-31-bytes-lang",
        ];
        let mut sieve = Sieve::default();
        added.iter().for_each(|w| sieve.add(w.as_bytes()));
        for w in added {
            assert!(sieve.may_hold(w.as_bytes()), "{w:?} was added");
        }
        for w in ["het", "plan", "nie", "nieten", "de", "evaluatie"] {
            assert!(!sieve.may_hold(w.as_bytes()), "{w:?} was not added");
        }
        // Words of the same first letter and length (up to 31) cannot be told apart.
        assert!(sieve.may_hold(b"er"));
        assert!(sieve.may_hold(b"een-ander-woord-van-meer-dan-31-bytes"));
    }

    #[test]
    fn sieve_of_the_default_negation_holds_its_triggers_and_scope_ends() {
        let neg = Negation::default();
        let (back, on) = sieves(&neg);
        for t in &neg.before {
            assert!(back.may_hold(t.last().unwrap().as_bytes()));
        }
        for t in &neg.after {
            assert!(on.may_hold(t[0].as_bytes()));
        }
        for w in &neg.scope_end {
            assert!(back.may_hold(w.as_bytes()) && on.may_hold(w.as_bytes()));
        }
    }
}
