//! The rows of the two CSV reports: the per-document CSV, whose header follows the rule
//! set, and the long evidence CSV with one row per hit.

use super::guard;
use crate::outcome::Outcome;
use crate::rules::RuleSet;
use crate::safe_text::path_text;

/// The header of the per-document CSV for a rule set.
pub fn document_header(rules: &RuleSet) -> Vec<String> {
    let mut header: Vec<String> = ["path", "format", "status", "error", "pages", "words"]
        .map(String::from)
        .to_vec();
    for category in &rules.categories {
        for suffix in ["hits", "pages", "evidence"] {
            header.push(format!("{}_{suffix}", category.id));
        }
    }
    header.push("verdict".into());
    header.push("missing".into());
    header.push("sha256".into());
    header
}

/// One row of the per-document CSV, matching [`document_header`].
pub fn document_row(outcome: &Outcome) -> Vec<String> {
    let mut row = vec![
        // A path is data, written exactly (not formula-guarded): it must find the file.
        path_text(&outcome.path),
        outcome.format.map(|f| f.as_str()).unwrap_or("").to_string(),
        outcome.status.as_str().to_string(),
        guard(&outcome.error),
        outcome.pages.to_string(),
        outcome.words.to_string(),
    ];
    for category in &outcome.score.categories {
        row.push(category.hits.to_string());
        row.push(
            category
                .pages
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(";"),
        );
        row.push(guard(&category.evidence));
    }
    // Empty for a document whose text could not be read: no verdict, nothing missing.
    row.push(guard(outcome.score.verdict.as_deref().unwrap_or("")));
    row.push(outcome.score.missing.join(";"));
    row.push(outcome.sha256.clone());
    row
}

pub const EVIDENCE_HEADER: [&str; 12] = [
    "path",
    "page",
    "category",
    "rule",
    "term",
    "matched",
    "sentence",
    "start",
    "end",
    "negated",
    "subcategory",
    "ocr",
];

/// The evidence rows of one document, one per hit.
pub fn evidence_rows(rules: &RuleSet, outcome: &Outcome) -> Vec<Vec<String>> {
    let path = path_text(&outcome.path);
    outcome
        .hits
        .iter()
        .map(|hit| {
            vec![
                path.clone(),
                hit.page.to_string(),
                rules.categories[hit.category].id.clone(),
                guard(&hit.rule),
                guard(&hit.term),
                guard(&hit.matched),
                guard(&hit.sentence),
                hit.start.to_string(),
                hit.end.to_string(),
                hit.negated.to_string(),
                guard(hit.subcategory.as_deref().unwrap_or("")),
                outcome.is_ocr_page(hit.page).to_string(),
            ]
        })
        .collect()
}
