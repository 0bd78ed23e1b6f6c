//! Sums the hits of one document per category and derives the verdict. A verdict is a
//! summary of evidence, so each category keeps its count, its pages and its strongest
//! sentence next to it.

use crate::matcher::Hit;
use crate::rules::{Condition, RuleSet};
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
    pub verdict: String,
    /// Ids of required categories without evidence.
    pub missing: Vec<String>,
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
        // The strongest sentence is the one with the most counted hits of this category;
        // ties go to the earliest, so the choice is stable.
        let mut best: Option<(&Hit, usize)> = None;
        for hit in &counted {
            let n = counted
                .iter()
                .filter(|o| o.page == hit.page && o.sentence == hit.sentence)
                .count();
            if best.is_none_or(|(_, m)| n > m) {
                best = Some((hit, n));
            }
        }
        if let Some((hit, _)) = best {
            category.evidence = format!("p. {}: {}", hit.page, hit.sentence);
        }
    }
    let has: Vec<bool> = categories.iter().map(|c| c.hits > 0).collect();
    let (verdict, missing) = verdict(rules, &has);
    Score {
        categories,
        verdict,
        missing,
    }
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
        .find(|v| match v.when {
            Condition::All => rules.required.iter().all(|&i| has(i)),
            Condition::Any => rules.required.iter().any(|&i| has(i)),
            Condition::Always => true,
        })
        .map(|v| v.label.clone())
        .unwrap_or_default();
    (verdict, missing)
}
