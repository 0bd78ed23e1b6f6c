//! Sums the hits of one document per category and derives the verdict. A verdict is a
//! summary of evidence, so each category keeps its count, its pages and its strongest
//! sentence next to it, and `missing` says which required categories lack evidence.
//!
//! A document whose text could not be read (an error, a password, a scan without a text
//! layer) gets no verdict and nothing missing: no evidence there is no evidence of absence,
//! and a verdict `geen` would count it among the plans without borging.

use crate::matcher::Hit;
use crate::rules::RuleSet;
use std::collections::BTreeSet;

/// Evidence of one category in one document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CategoryScore {
    /// Hits that count (negated mentions do not).
    pub hits: u32,
    /// Distinct pages with a counted hit, ascending.
    pub pages: Vec<u32>,
    /// The strongest sentence, prefixed `p. N: `.
    pub evidence: String,
}

/// The score of one document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Score {
    /// One entry per category of the rule set, in rule-set order.
    pub categories: Vec<CategoryScore>,
    /// The rule set's verdict (empty when none of its verdicts holds); `None` when the
    /// document's text could not be read, see [`unread`].
    pub verdict: Option<String>,
    /// Ids of required categories without evidence; empty when the text was not read.
    pub missing: Vec<String>,
}

impl Score {
    /// Whether the document's text was read and matched, so that its counts mean something.
    pub fn was_read(&self) -> bool {
        self.verdict.is_some()
    }
}

/// The score of a document whose text could not be read: no hits, no verdict, nothing
/// missing.
pub fn unread(rules: &RuleSet) -> Score {
    Score {
        categories: vec![CategoryScore::default(); rules.categories.len()],
        verdict: None,
        missing: Vec::new(),
    }
}

pub fn score(rules: &RuleSet, hits: &[Hit]) -> Score {
    let mut categories = vec![CategoryScore::default(); rules.categories.len()];
    for (index, category) in categories.iter_mut().enumerate() {
        let counted: Vec<&Hit> = hits
            .iter()
            .filter(|h| h.category == index && !h.negated)
            .collect();
        category.hits = counted.len() as u32;
        category.pages = counted
            .iter()
            .map(|h| h.page)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        // The strongest sentence: a whole sentence before a fragment (a table cell, a list
        // item without punctuation), then the highest summed weight of counted hits; ties
        // go to the first in the document, so the choice is stable.
        let mut by_sentence = counted.clone();
        by_sentence.sort_by_key(|h| (h.page, h.sentence_start));
        let mut best: Option<((bool, f64), &Hit)> = None;
        for group in
            by_sentence.chunk_by(|a, b| (a.page, a.sentence_start) == (b.page, b.sentence_start))
        {
            let weight: f64 = group.iter().map(|h| h.weight).sum();
            let rank = (is_whole_sentence(&group[0].sentence), weight);
            let stronger = |(w, r): (bool, f64)| rank.0.cmp(&w).then(rank.1.total_cmp(&r)).is_gt();
            if best.is_none_or(|(r, _)| stronger(r)) {
                best = Some((rank, group[0]));
            }
        }
        if let Some((_, hit)) = best {
            category.evidence = format!("p. {}: {}", hit.page, hit.sentence);
        }
    }
    let has: Vec<bool> = categories.iter().map(|c| c.hits > 0).collect();
    let (verdict, missing) = verdict(rules, &has);
    Score {
        categories,
        verdict: Some(verdict),
        missing,
    }
}

/// Whether an evidence sentence is a whole sentence: at least four words and closing
/// punctuation (`.`, `!`, `?`, `:`, `;`), as opposed to a table cell or a list item that
/// only names a subject. The strongest evidence is a whole sentence when there is one.
pub fn is_whole_sentence(sentence: &str) -> bool {
    let end = sentence.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, ')' | '"' | '\'' | '\u{201d}' | '\u{2019}' | ']')
    });
    end.ends_with(['.', '!', '?', ':', ';']) && sentence.split_whitespace().nth(3).is_some()
}

/// The verdict and the missing required categories, given which categories have counted
/// evidence (`has[i]` for category `i`). Also used for groups of documents, whose
/// evidence is the union of their documents' evidence.
pub fn verdict(rules: &RuleSet, has: &[bool]) -> (String, Vec<String>) {
    let has = |i: usize| has.get(i).copied().unwrap_or(false);
    let missing = rules
        .required
        .iter()
        .filter(|&&i| !has(i))
        .map(|&i| rules.categories[i].id.clone())
        .collect();
    let verdict = rules
        .verdicts
        .iter()
        .find(|v| v.when.holds(&has, &rules.required))
        .map(|v| v.label.clone())
        .unwrap_or_default();
    (verdict, missing)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Page;

    #[test]
    fn the_strongest_evidence_is_a_whole_sentence_before_a_table_cell() {
        // Regression: a table cell with two hits ("Wereldoriëntatie:" / "Projecten volgens
        // de kerndoelen en de leerlijnen") was shown as the strongest sentence, above the
        // sentence that says something.
        let rules = RuleSet::bundled();
        let text = "Onze methodes:\nWereldoriëntatie:\nProjecten volgens de kerndoelen en leerlijnen\n\n\
                    Het team werkt met een leerlijn voor burgerschap.\n";
        let pages = [Page {
            number: 1,
            label: None,
            text: text.into(),
            ocr: false,
        }];
        let hits = crate::matcher::hits(&rules, &pages);
        let score = score(&rules, &hits);
        let policy = rules
            .categories
            .iter()
            .position(|c| c.id == "policy")
            .unwrap();
        assert!(score.categories[policy].hits >= 2, "{hits:#?}");
        assert_eq!(
            score.categories[policy].evidence,
            "p. 1: Het team werkt met een leerlijn voor burgerschap."
        );
    }

    #[test]
    fn whole_sentences_end_in_punctuation_and_have_four_words() {
        assert!(is_whole_sentence("Het team evalueert het plan."));
        assert!(is_whole_sentence(
            "Met het project willen wij de volgende doelen bereiken:"
        ));
        assert!(is_whole_sentence("Wanneer zijn we tevreden?\u{201d}"));
        assert!(!is_whole_sentence("Projecten volgens de kerndoelen"));
        assert!(!is_whole_sentence("Evaluatie."));
    }
}
