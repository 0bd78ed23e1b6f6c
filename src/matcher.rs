//! Finds rule hits in the pages of a document. Each [`Hit`] carries what a reader needs
//! to check it by eye: page, sentence, the words as they stand in the document, and
//! their character offsets in the page text.

use crate::extract::Page;
use crate::normalize::{Folded, fold};
use crate::rules::{RuleSet, Term};

/// One piece of evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// 1-based page number.
    pub page: u32,
    /// Index into `RuleSet::categories`.
    pub category: usize,
    pub subcategory: Option<String>,
    pub rule: String,
    /// The term of the rule that matched, as written in the rule file.
    pub term: String,
    /// The matched words as they stand in the page text.
    pub matched: String,
    /// The sentence holding the match, on one line.
    pub sentence: String,
    /// Char offsets of the match in the page text.
    pub start: usize,
    pub end: usize,
    /// A negated mention ("er wordt niet geëvalueerd"): kept as evidence, not counted.
    pub negated: bool,
}

/// All hits of `rules` in `pages`, in page order then text order.
pub fn hits(rules: &RuleSet, pages: &[Page]) -> Vec<Hit> {
    let mut out = Vec::new();
    for page in pages {
        let folded = fold(&page.text);
        let tokens = tokens(&folded.text);
        let chars: Vec<char> = page.text.chars().collect();
        for (category_index, category) in rules.categories.iter().enumerate() {
            for rule in &category.rules {
                for term in &rule.terms {
                    for (start, end) in find(term, &folded.text, &tokens) {
                        out.push(hit_at(page, &chars, &folded, (start, end), |h| {
                            h.category = category_index;
                            h.subcategory = rule.subcategory.clone();
                            h.rule = rule.id.clone();
                            h.term = term.source.clone();
                        }));
                    }
                }
            }
        }
    }
    out.sort_by_key(|h| (h.page, h.start, h.category));
    out
}

fn hit_at(
    page: &Page,
    chars: &[char],
    folded: &Folded,
    (start, end): (usize, usize),
    fill: impl FnOnce(&mut Hit),
) -> Hit {
    let (from, to) = folded.origin_range(start, end);
    let mut hit = Hit {
        page: page.number,
        category: 0,
        subcategory: None,
        rule: String::new(),
        term: String::new(),
        matched: chars[from..to.min(chars.len())].iter().collect(),
        sentence: sentence_around(chars, from, to),
        start: from,
        end: to,
        negated: false,
    };
    fill(&mut hit);
    hit
}

/// Byte spans of the alphanumeric tokens of folded text.
fn tokens(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}

fn find(term: &Term, text: &str, tokens: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let n = term.tokens.len();
    let mut out = Vec::new();
    if tokens.len() < n {
        return out;
    }
    for i in 0..=tokens.len() - n {
        let all = term
            .tokens
            .iter()
            .enumerate()
            .all(|(k, glob)| glob.matches(&text[tokens[i + k].0..tokens[i + k].1]));
        if all {
            out.push((tokens[i].0, tokens[i + n - 1].1));
        }
    }
    out
}

/// The sentence around chars `[from, to)`: from the previous sentence end to the next,
/// whitespace collapsed.
fn sentence_around(chars: &[char], from: usize, to: usize) -> String {
    let is_end = |i: usize| {
        matches!(chars[i], '.' | '!' | '?' | ';')
            && chars.get(i + 1).is_none_or(|c| c.is_whitespace())
    };
    let mut start = from.min(chars.len());
    while start > 0 && !is_end(start - 1) && from - start < 400 {
        start -= 1;
    }
    let mut end = to.min(chars.len());
    while end < chars.len() && end - to < 400 {
        end += 1;
        if is_end(end - 1) {
            break;
        }
    }
    let text: String = chars[start..end].iter().collect();
    crate::extract::one_line(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(text: &str) -> Page {
        Page {
            number: 3,
            label: None,
            text: text.into(),
        }
    }

    #[test]
    fn glob_matches_inflections_and_reports_original_text() {
        let rules = RuleSet::bundled();
        let found = hits(
            &rules,
            &[page(
                "Intro. Het plan wordt jaarlijks Geëvalueerd door het team. Slot.",
            )],
        );
        let hit = found
            .iter()
            .find(|h| h.matched == "Geëvalueerd")
            .expect("a hit on the participle");
        assert_eq!(hit.page, 3);
        assert_eq!(
            hit.sentence,
            "Het plan wordt jaarlijks Geëvalueerd door het team."
        );
        let chars: Vec<char> = page("Intro. Het plan wordt jaarlijks Geëvalueerd")
            .text
            .chars()
            .collect();
        assert_eq!(
            chars[hit.start..hit.end].iter().collect::<String>(),
            "Geëvalueerd"
        );
    }
}
