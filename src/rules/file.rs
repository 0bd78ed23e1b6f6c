//! Reading a rule file: TOML into the raw [`RuleFile`] with the position of every value
//! kept, so that each problem can be reported with its line.
//!
//! serde stops at the first error of a value, so the file is read in pieces: the document
//! is parsed into a table first (TOML syntax errors, with recovery), then the file's own
//! keys, every category and every rule are deserialized one by one. A typo in one rule
//! does not hide a typo in the next.

use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

/// A rule file as written. Values that need a line in messages are [`Spanned`].
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    pub id: Spanned<String>,
    pub label: String,
    #[serde(default)]
    pub description: String,
    /// Categories that must have evidence; those without are listed in `missing`.
    #[serde(default)]
    pub required: Vec<Spanned<String>>,
    #[serde(default)]
    pub negation: Option<Spanned<NegationFile>>,
    /// `"count"` (the default) or `"ignore"`: whether hits in headings count, for every
    /// rule of this file that does not say otherwise; checked after reading.
    #[serde(default)]
    pub headings: Option<Spanned<String>>,
    #[serde(default, rename = "category")]
    pub categories: Vec<CategoryFile>,
    #[serde(default, rename = "verdict")]
    pub verdicts: Vec<VerdictFile>,
}

/// `[negation]`: every key optional, omitted ones get the Dutch defaults.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct NegationFile {
    pub before: Option<Vec<Spanned<String>>>,
    pub after: Option<Vec<Spanned<String>>>,
    pub pseudo: Option<Vec<Spanned<String>>>,
    pub scope_end: Option<Vec<Spanned<String>>>,
    pub window: Option<Spanned<i64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryFile {
    pub id: Spanned<String>,
    pub label: String,
    #[serde(default)]
    pub description: String,
    #[serde(default, rename = "rule")]
    pub rules: Vec<RuleEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleEntry {
    pub id: Spanned<String>,
    #[serde(default)]
    pub subcategory: Option<Spanned<String>>,
    #[serde(default)]
    pub weight: Option<Spanned<f64>>,
    #[serde(default)]
    pub terms: Vec<Spanned<String>>,
    #[serde(default)]
    pub regex: Vec<Spanned<String>>,
    #[serde(default)]
    pub near: Vec<Spanned<String>>,
    /// An integer number of words or `"sentence"`; checked after reading.
    #[serde(default)]
    pub within: Option<Spanned<toml::Value>>,
    #[serde(default)]
    pub not_near: Vec<Spanned<String>>,
    /// Overrides the file's `headings` for this rule.
    #[serde(default)]
    pub headings: Option<Spanned<String>>,
    #[serde(default, rename = "match")]
    pub must_match: Vec<String>,
    #[serde(default)]
    pub no_match: Vec<String>,
    #[serde(default)]
    pub negated: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerdictFile {
    pub label: String,
    pub when: Spanned<String>,
}

/// A problem found while reading, at a byte offset of the file when known.
pub struct ReadError {
    pub at: Option<usize>,
    pub message: String,
}

impl ReadError {
    fn from_toml(err: &toml::de::Error, fallback: usize) -> ReadError {
        ReadError {
            at: Some(err.span().map_or(fallback, |s| s.start)),
            message: crate::extract::one_line(err.message()),
        }
    }
}

/// Reads a rule file, or returns every problem found in it.
pub fn read(text: &str) -> Result<RuleFile, Vec<ReadError>> {
    let (root, syntax) = DeTable::parse_recoverable(text);
    if !syntax.is_empty() {
        return Err(syntax.iter().map(|e| ReadError::from_toml(e, 0)).collect());
    }
    let root_span = root.span();
    let mut root = root.into_inner();
    let mut errors = Vec::new();
    let categories = root.remove("category");
    let verdicts = root.remove("verdict");
    let file: Option<RuleFile> = deserialize(
        Spanned::new(root_span.clone(), DeValue::Table(root)),
        &mut errors,
    );
    let categories = items(categories, "category", &mut errors)
        .into_iter()
        .filter_map(|value| {
            let span = value.span();
            let mut value = value.into_inner();
            let rules = match &mut value {
                DeValue::Table(table) => table.remove("rule"),
                _ => None,
            };
            let category: Option<CategoryFile> =
                deserialize(Spanned::new(span, value), &mut errors);
            let rules: Vec<RuleEntry> = items(rules, "category.rule", &mut errors)
                .into_iter()
                .filter_map(|rule| deserialize(rule, &mut errors))
                .collect();
            category.map(|mut c| {
                c.rules = rules;
                c
            })
        })
        .collect();
    let verdicts = items(verdicts, "verdict", &mut errors)
        .into_iter()
        .filter_map(|v| deserialize(v, &mut errors))
        .collect();
    match file {
        Some(mut file) if errors.is_empty() => {
            file.categories = categories;
            file.verdicts = verdicts;
            Ok(file)
        }
        _ => Err(errors),
    }
}

fn deserialize<'i, T: Deserialize<'i>>(
    value: Spanned<DeValue<'i>>,
    errors: &mut Vec<ReadError>,
) -> Option<T> {
    let start = value.span().start;
    T::deserialize(ValueDeserializer::from(value))
        .map_err(|e| errors.push(ReadError::from_toml(&e, start)))
        .ok()
}

/// The elements of an array of tables (`[[category]]`), or an error if it is something else.
fn items<'i>(
    value: Option<Spanned<DeValue<'i>>>,
    key: &str,
    errors: &mut Vec<ReadError>,
) -> Vec<Spanned<DeValue<'i>>> {
    let Some(value) = value else {
        return Vec::new();
    };
    let span = value.span();
    match value.into_inner() {
        DeValue::Array(array) => array.into_iter().collect(),
        _ => {
            errors.push(ReadError {
                at: Some(span.start),
                message: format!("`{key}` must be written as [[{key}]] tables"),
            });
            Vec::new()
        }
    }
}

/// 1-based line of a byte offset.
pub fn line_of(text: &str, at: usize) -> usize {
    let at = at.min(text.len());
    text.as_bytes()[..at]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}
