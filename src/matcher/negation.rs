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
    pub text: &'a str,
    pub spans: &'a [(usize, usize)],
    pub sentences: &'a Segmenter<'a>,
}

impl Words<'_> {
    #[inline]
    fn word(&self, i: usize) -> &str {
        &self.text[self.spans[i].0..self.spans[i].1]
    }

    /// Punctuation or a sentence end between word `i` and word `i + 1`.
    fn broken_after(&self, i: usize) -> bool {
        self.sentences.boundary_before(i + 1)
            || self.text[self.spans[i].1..self.spans[i + 1].0]
                .contains([',', ';', ':', '.', '?', '!'])
    }

    #[inline]
    fn phrase_at(&self, phrase: &[String], start: usize) -> bool {
        start + phrase.len() <= self.spans.len()
            && phrase
                .iter()
                .enumerate()
                .all(|(k, w)| self.word(start + k) == w)
    }
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
        for trigger in &neg.before {
            // A trigger ending here ends with this word: one comparison passes over most.
            if trigger.last().is_some_and(|w| w == word) && k + 1 >= trigger.len() {
                let start = k + 1 - trigger.len();
                if words.phrase_at(trigger, start) && !pseudo(neg, words, start, k) {
                    return true;
                }
            }
        }
        if neg.scope_end.iter().any(|w| w == word) {
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
        for trigger in &neg.after {
            if trigger.first().is_some_and(|w| w == word)
                && words.phrase_at(trigger, k)
                && !pseudo(neg, words, k, k + trigger.len() - 1)
            {
                return true;
            }
        }
        if neg.scope_end.iter().any(|w| w == word) {
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
