//! `borging rules test`: every rule carries Dutch example sentences that must match, must
//! not match, or must match as a negated hit. Each rule is tested on its own (a rule set
//! of that one rule), so that another rule winning an overlap cannot hide a failure.

use super::RuleSet;
use crate::extract::Page;
use crate::matcher::{self, Hit};

/// Fewest examples a rule needs: two that match and one that must not.
pub const MIN_MATCH: usize = 2;
pub const MIN_NO_MATCH: usize = 1;

/// What went wrong with one example.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// A `match` example gave no counted hit of this rule.
    Missing { example: String },
    /// A `no_match` example gave a counted hit of this rule.
    Noisy { example: String, matched: String },
    /// A `negated` example gave no hit, or a hit that was not negated.
    NotNegated { example: String },
    /// The rule has fewer examples than the team requires.
    TooFewExamples { matches: usize, no_matches: usize },
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::Missing { example } => write!(f, "missing: \"{example}\""),
            Problem::Noisy { example, matched } => {
                write!(f, "noisy: \"{example}\" (matched \"{matched}\")")
            }
            Problem::NotNegated { example } => write!(f, "not negated: \"{example}\""),
            Problem::TooFewExamples {
                matches,
                no_matches,
            } => write!(
                f,
                "too few examples: {matches} `match` (need {MIN_MATCH}), \
                 {no_matches} `no_match` (need {MIN_NO_MATCH})"
            ),
        }
    }
}

/// The outcome of one rule's examples.
#[derive(Debug, Clone)]
pub struct RuleReport {
    pub rule: String,
    pub file: String,
    pub line: usize,
    pub examples: usize,
    pub problems: Vec<Problem>,
}

impl RuleReport {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

fn run(set: &RuleSet, example: &str) -> Vec<Hit> {
    let page = Page {
        number: 1,
        label: None,
        text: example.to_string(),
        ocr: false,
    };
    matcher::hits(set, std::slice::from_ref(&page))
}

/// Runs the examples of every rule of `set`.
pub fn test_examples(set: &RuleSet) -> Vec<RuleReport> {
    let mut reports = Vec::new();
    for (ci, category) in set.categories.iter().enumerate() {
        for (ri, rule) in category.rules.iter().enumerate() {
            let only = set.only_rule(ci, ri);
            let mut problems = Vec::new();
            if rule.must_match.len() < MIN_MATCH || rule.no_match.len() < MIN_NO_MATCH {
                problems.push(Problem::TooFewExamples {
                    matches: rule.must_match.len(),
                    no_matches: rule.no_match.len(),
                });
            }
            for example in &rule.must_match {
                if !run(&only, example).iter().any(|h| !h.negated) {
                    problems.push(Problem::Missing {
                        example: example.clone(),
                    });
                }
            }
            for example in &rule.no_match {
                if let Some(hit) = run(&only, example).iter().find(|h| !h.negated) {
                    problems.push(Problem::Noisy {
                        example: example.clone(),
                        matched: hit.matched.clone(),
                    });
                }
            }
            for example in &rule.negated {
                let hits = run(&only, example);
                if hits.is_empty() || hits.iter().any(|h| !h.negated) {
                    problems.push(Problem::NotNegated {
                        example: example.clone(),
                    });
                }
            }
            reports.push(RuleReport {
                rule: rule.id.clone(),
                file: rule.file.clone(),
                line: rule.line,
                examples: rule.must_match.len() + rule.no_match.len() + rule.negated.len(),
                problems,
            });
        }
    }
    reports
}
