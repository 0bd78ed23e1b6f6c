//! The per-document report as JSON Lines (`--format jsonl`): one object per document with
//! the same fields as the CSV, typed (numbers as numbers, pages as arrays), and the
//! evidence nested, for pipelines that would rather not parse CSV.
//!
//! Wire format, one line per document:
//! `{"path": str, "format": str|null, "status": str, "error": str|null, "pages": int,
//!   "words": int, "<id>_hits": int, "<id>_pages": [int], "<id>_evidence": str|null, ...
//!   "verdict": str|null, "missing": [str]|null, "sha256": str|null, "evidence": [{"page",
//!   "category", "subcategory", "rule", "term", "matched", "sentence", "start", "end",
//!   "negated", "ocr"}]}`; `ocr` is true when the hit's page was read by OCR (`--ocr`).
//! Where the CSV has an empty cell, JSON has `null`, never `""`. Cells are not
//! formula-guarded here: JSON is not opened in a spreadsheet.

use crate::outcome::Outcome;
use crate::rules::RuleSet;
use crate::safe_text::path_text;
use serde_json::{Map, Value, json};

/// The JSON object of one document.
pub fn document(rules: &RuleSet, outcome: &Outcome) -> Value {
    let mut object = Map::new();
    object.insert("path".into(), json!(path_text(&outcome.path)));
    object.insert("format".into(), json!(outcome.format.map(|f| f.as_str())));
    object.insert("status".into(), json!(outcome.status.as_str()));
    object.insert("error".into(), text_or_null(&outcome.error));
    object.insert("pages".into(), json!(outcome.pages));
    object.insert("words".into(), json!(outcome.words));
    for (category, score) in rules.categories.iter().zip(&outcome.score.categories) {
        object.insert(format!("{}_hits", category.id), json!(score.hits));
        object.insert(format!("{}_pages", category.id), json!(score.pages));
        object.insert(
            format!("{}_evidence", category.id),
            text_or_null(&score.evidence),
        );
    }
    // Both null for a document whose text could not be read.
    object.insert("verdict".into(), json!(outcome.score.verdict));
    let missing = outcome.score.was_read().then_some(&outcome.score.missing);
    object.insert("missing".into(), json!(missing));
    object.insert("sha256".into(), text_or_null(&outcome.sha256));
    let evidence: Vec<Value> = outcome
        .hits
        .iter()
        .map(|hit| {
            json!({
                "page": hit.page,
                "category": rules.categories[hit.category].id,
                "subcategory": hit.subcategory.as_deref(),
                "rule": &*hit.rule,
                "term": &*hit.term,
                "matched": hit.matched,
                "sentence": hit.sentence,
                "start": hit.start,
                "end": hit.end,
                "negated": hit.negated,
                "ocr": outcome.is_ocr_page(hit.page),
            })
        })
        .collect();
    object.insert("evidence".into(), Value::Array(evidence));
    Value::Object(object)
}

/// A text field: `null` where the CSV has an empty cell (no message, no evidence, no hash),
/// so that "nothing" is written one way.
fn text_or_null(text: &str) -> Value {
    if text.is_empty() {
        Value::Null
    } else {
        json!(text)
    }
}
