//! The one pass of the rule literals over a page: every occurrence of every literal,
//! overlapping ones included, as the Aho-Corasick automaton of the rule set finds them.
//!
//! Why not the crate's own overlapping search: with hundreds of literals, many of them
//! common Dutch words, there is a match every few dozen bytes, so the crate's prefilter
//! cannot skip ahead and its loop takes one dependent table look-up per byte, waiting
//! for each before the next. This pass walks the same DFA over four parts of the page at
//! once, which gives the processor four independent chains of look-ups; it is about twice
//! as fast. A part starts early by the longest literal's length less one, so a literal
//! that straddles a border is still seen whole, and each part reports only the matches
//! that end inside it: every match is reported once, and in order of its end.

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, MatchKind};

/// A match: (literal index, start, end) in bytes.
pub type Match = (usize, usize, usize);

/// Below this length a page is scanned as one part.
const SPLIT_FROM: usize = 256;

/// The literals of a rule set, compiled.
#[derive(Debug)]
pub struct Scanner {
    dfa: DFA,
    start: StateID,
    table: MatchTable,
}

/// The literals each match state of the DFA reports. The crate's own look-ups per
/// reported literal (its list of patterns per state, then the length of each) cost more
/// than the walk of the DFA to the state.
#[derive(Debug)]
struct MatchTable {
    /// By state, at its identifier shifted right by `shift`: `(first, count)` in `reported`.
    slots: Vec<(u32, u32)>,
    /// (literal, length in bytes).
    reported: Vec<(u32, u32)>,
    shift: u32,
}

impl Scanner {
    pub fn new<P: AsRef<[u8]>>(literals: &[P]) -> Result<Scanner, String> {
        // No prefilter: it only pays when matches are rare, and without it the start
        // state is not a special state the loop has to look at.
        let dfa = DFA::builder()
            .match_kind(MatchKind::Standard)
            .prefilter(false)
            .build(literals)
            .map_err(|e| format!("cannot compile the rule patterns: {e}"))?;
        let start = dfa
            .start_state(Anchored::No)
            .map_err(|e| format!("cannot compile the rule patterns: {e}"))?;
        let table = MatchTable::new(&dfa, start, literals);
        Ok(Scanner { dfa, start, table })
    }

    /// Every match in `text`, by ascending end, into `out`; `parts` is scratch space.
    pub fn scan(&self, text: &[u8], out: &mut Vec<Match>, parts: &mut [Vec<Match>; 3]) {
        out.clear();
        let n = text.len();
        if n < SPLIT_FROM {
            return self.scan_part(text, out);
        }
        let reach = self.dfa.max_pattern_len().saturating_sub(1);
        let borders = [n / 4, n / 2, 3 * n / 4];
        let from = borders.map(|b| b.saturating_sub(reach));
        let a = &text[..borders[0]];
        let b = &text[from[0]..borders[1]];
        let c = &text[from[1]..borders[2]];
        let d = &text[from[2]..];
        for part in parts.iter_mut() {
            part.clear();
        }
        let [pb, pc, pd] = parts;
        let common = a.len().min(b.len()).min(c.len()).min(d.len());
        let (mut sa, mut sb, mut sc, mut sd) = (self.start, self.start, self.start, self.start);
        let lanes = a[..common]
            .iter()
            .zip(&b[..common])
            .zip(&c[..common])
            .zip(&d[..common]);
        for (i, (((&xa, &xb), &xc), &xd)) in lanes.enumerate() {
            sa = self.dfa.next_state(Anchored::No, sa, xa);
            sb = self.dfa.next_state(Anchored::No, sb, xb);
            sc = self.dfa.next_state(Anchored::No, sc, xc);
            sd = self.dfa.next_state(Anchored::No, sd, xd);
            // One test for the common case that none of the four is at a match.
            let special = self.dfa.is_special(sa)
                | self.dfa.is_special(sb)
                | self.dfa.is_special(sc)
                | self.dfa.is_special(sd);
            if special {
                self.report(sa, i + 1, 0, out);
                self.report(sb, from[0] + i + 1, borders[0], pb);
                self.report(sc, from[1] + i + 1, borders[1], pc);
                self.report(sd, from[2] + i + 1, borders[2], pd);
            }
        }
        // The rest of each part, one after the other.
        let finish =
            |part: &[u8], base: usize, state: StateID, after: usize, found: &mut Vec<Match>| {
                let mut s = state;
                for (i, &byte) in part.iter().enumerate().skip(common) {
                    s = self.dfa.next_state(Anchored::No, s, byte);
                    self.report(s, base + i + 1, after, found);
                }
            };
        finish(a, 0, sa, 0, out);
        finish(b, from[0], sb, borders[0], pb);
        finish(c, from[1], sc, borders[1], pc);
        finish(d, from[2], sd, borders[2], pd);
        out.extend_from_slice(pb);
        out.extend_from_slice(pc);
        out.extend_from_slice(pd);
    }

    /// Scans a short text as one part.
    fn scan_part(&self, text: &[u8], out: &mut Vec<Match>) {
        let mut s = self.start;
        for (i, &byte) in text.iter().enumerate() {
            s = self.dfa.next_state(Anchored::No, s, byte);
            self.report(s, i + 1, 0, out);
        }
    }

    /// Reports the literals that end at byte `end` in state `s`, when `end` is past
    /// `after` (the part before it reports those).
    #[inline]
    fn report(&self, s: StateID, end: usize, after: usize, out: &mut Vec<Match>) {
        if self.dfa.is_special(s) && end > after {
            let table = &self.table;
            if let Some(&(first, count)) = table.slots.get(s.as_usize() >> table.shift) {
                let reported = &table.reported[first as usize..(first + count) as usize];
                out.extend(
                    reported
                        .iter()
                        .map(|&(literal, len)| (literal as usize, end - len as usize, end)),
                );
            }
        }
    }
}

impl MatchTable {
    /// The literals reported by every match state of `dfa`. The states are found by walking
    /// the DFA from its start on every byte that occurs in a literal and on one that occurs
    /// in none (all such bytes lead to the same state).
    fn new<P: AsRef<[u8]>>(dfa: &DFA, start: StateID, literals: &[P]) -> MatchTable {
        let mut used = [false; 256];
        for literal in literals {
            for &b in literal.as_ref() {
                used[b as usize] = true;
            }
        }
        let mut bytes: Vec<u8> = (0..=255u8).filter(|&b| used[b as usize]).collect();
        if let Some(other) = (0..=255u8).find(|&b| !used[b as usize]) {
            bytes.push(other);
        }
        // Identifiers are indices into the crate's transition table: a bit per index.
        let mut seen: Vec<u64> = Vec::new();
        let mut first_visit = |s: StateID| {
            let (word, bit) = (s.as_usize() / 64, s.as_usize() % 64);
            if word >= seen.len() {
                seen.resize(word + 1, 0);
            }
            let new = seen[word] & (1 << bit) == 0;
            seen[word] |= 1 << bit;
            new
        };
        first_visit(start);
        let mut queue = vec![start];
        let mut matching = Vec::new();
        let mut all_ids = start.as_usize();
        while let Some(s) = queue.pop() {
            all_ids |= s.as_usize();
            if dfa.is_match(s) {
                matching.push(s);
            }
            for &b in &bytes {
                let next = dfa.next_state(Anchored::No, s, b);
                if first_visit(next) {
                    queue.push(next);
                }
            }
        }
        // State identifiers are multiples of the table's stride: shifted, they stay distinct.
        let shift = all_ids.trailing_zeros().min(usize::BITS - 1);
        matching.sort_unstable();
        let size = matching.last().map_or(0, |s| (s.as_usize() >> shift) + 1);
        let mut slots = vec![(0, 0); size];
        let mut reported = Vec::new();
        for s in matching {
            let first = reported.len() as u32;
            for k in 0..dfa.match_len(s) {
                let pattern = dfa.match_pattern(s, k);
                reported.push((pattern.as_u32(), dfa.pattern_len(pattern) as u32));
            }
            slots[s.as_usize() >> shift] = (first, reported.len() as u32 - first);
        }
        MatchTable {
            slots,
            reported,
            shift,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::AhoCorasick;

    #[test]
    fn finds_what_the_crates_overlapping_search_finds_in_end_order() {
        let literals: Vec<Vec<u8>> = ["doel", "doelen", "el", "len", "plan", "an", "leesplan", "e"]
            .iter()
            .map(|l| l.as_bytes().to_vec())
            .collect();
        let scanner = Scanner::new(&literals).unwrap();
        let reference = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&literals)
            .unwrap();
        let pieces = ["doel", "en ", "plan", "lees", "x", "e", "l", "an", " "];
        let mut state = 31u64;
        let (mut got, mut parts) = (Vec::new(), Default::default());
        for len in [0, 1, 7, 100, 255, 256, 257, 300, 1000, 4099] {
            for _ in 0..40 {
                let mut text = String::new();
                while text.len() < len {
                    state = state
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    text.push_str(pieces[(state >> 33) as usize % pieces.len()]);
                }
                scanner.scan(text.as_bytes(), &mut got, &mut parts);
                assert!(got.windows(2).all(|w| w[0].2 <= w[1].2), "end order");
                let mut expected: Vec<Match> = reference
                    .find_overlapping_iter(&text)
                    .map(|m| (m.pattern().as_usize(), m.start(), m.end()))
                    .collect();
                let mut sorted = got.clone();
                sorted.sort_unstable();
                expected.sort_unstable();
                assert_eq!(sorted, expected, "{text:?}");
            }
        }
    }
}
