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

/// A problem found while reading, at a byte offset of the file when known, in the rule
/// with this id when it is in one.
pub struct ReadError {
    pub at: Option<usize>,
    pub rule: Option<String>,
    pub message: String,
}

impl ReadError {
    fn from_toml(err: &toml::de::Error, fallback: usize) -> ReadError {
        ReadError {
            at: Some(err.span().map_or(fallback, |s| s.start)),
            rule: None,
            message: plain_message(&crate::extract::one_line(err.message())),
        }
    }
}

/// The TOML parser's message in the words of someone editing a keyword list: an unclosed
/// quote said as such, a misspelt key with the key it probably meant.
fn plain_message(message: &str) -> String {
    for (start, quote) in [
        ("invalid multi-line basic string", "\"\"\""),
        ("invalid multi-line literal string", "'''"),
        ("invalid basic string", "\""),
        ("invalid literal string", "'"),
    ] {
        if message.starts_with(start) {
            return format!(
                "a quote was left open: end the text with {quote}{}",
                if quote.len() == 1 {
                    " on the same line"
                } else {
                    ""
                }
            );
        }
    }
    if message.starts_with("missing escaped value") || message.starts_with("invalid escape") {
        return "a backslash in \"...\" must start an escape such as \\n: write \\\\ for a \
                backslash, or put the text in single quotes ('...'), as for a regex"
            .into();
    }
    if message.starts_with("unclosed array") {
        return "a list was left open: end it with ]".into();
    }
    if let Some(rest) = message.strip_prefix("unknown field `")
        && let Some((key, rest)) = rest.split_once('`')
    {
        let allowed: Vec<&str> = rest
            .split('`')
            .skip(1)
            .step_by(2)
            .filter(|k| !k.is_empty())
            .collect();
        let hint = match closest(key, &allowed) {
            Some(near) => format!(" (did you mean `{near}`?)"),
            None => String::new(),
        };
        return format!(
            "unknown key `{key}`{hint}; the keys here are {}",
            allowed.join(", ")
        );
    }
    message.to_string()
}

/// The allowed key nearest to a misspelt one, if it is near enough to be the one meant:
/// at most two edits, or one for short keys (a swap of two letters is one edit).
fn closest<'a>(key: &str, allowed: &[&'a str]) -> Option<&'a str> {
    let limit = if key.chars().count() <= 4 { 1 } else { 2 };
    allowed
        .iter()
        .map(|a| (edits(key, a), *a))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, a)| a)
}

/// Edits (insert, delete, replace, swap two neighbours) from `a` to `b`, case ignored.
fn edits(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

/// Reads a rule file, or returns every problem found in it.
pub fn read(text: &str) -> Result<RuleFile, Vec<ReadError>> {
    let (root, syntax) = DeTable::parse_recoverable(text);
    if !syntax.is_empty() {
        // One mistake often trips the parser several times on its line: report one per
        // line, the cause when it is among them (a quote left open, then a bracket).
        let cause = |e: &ReadError| {
            if e.message.starts_with("a quote was left open") {
                2
            } else if e.message.contains("left open") {
                1
            } else {
                0
            }
        };
        let mut errors: Vec<ReadError> = Vec::new();
        for error in syntax.iter().map(|e| ReadError::from_toml(e, 0)) {
            let line = error.at.map(|at| line_of(text, at));
            match errors.last_mut() {
                Some(last) if last.at.map(|at| line_of(text, at)) == line => {
                    if cause(&error) > cause(last) {
                        *last = error;
                    }
                }
                _ => errors.push(error),
            }
        }
        return Err(errors);
    }
    let root_span = root.span();
    let mut root = root.into_inner();
    let mut errors = Vec::new();
    let categories = root.remove("category");
    let verdicts = root.remove("verdict");
    let file: Option<RuleFile> = deserialize(
        Spanned::new(root_span.clone(), DeValue::Table(root)),
        &mut errors,
        None,
        None,
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
            let what = id_of(&value).map(|id| format!("category {id}: "));
            let category: Option<CategoryFile> = deserialize(
                Spanned::new(span, value),
                &mut errors,
                what.as_deref(),
                None,
            );
            let rules: Vec<RuleEntry> = items(rules, "category.rule", &mut errors)
                .into_iter()
                .filter_map(|rule| {
                    let id = id_of(rule.get_ref());
                    deserialize(rule, &mut errors, None, id)
                })
                .collect();
            category.map(|mut c| {
                c.rules = rules;
                c
            })
        })
        .collect();
    let verdicts = items(verdicts, "verdict", &mut errors)
        .into_iter()
        .filter_map(|v| {
            let what = match v.get_ref() {
                DeValue::Table(t) => t.get("label").and_then(|l| match l.get_ref() {
                    DeValue::String(s) => Some(format!("verdict \"{s}\": ")),
                    _ => None,
                }),
                _ => None,
            };
            deserialize(v, &mut errors, what.as_deref(), None)
        })
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

/// Deserializes one table; a problem is reported with `prefix` before its message (the
/// category or verdict it is in) or in rule `rule`.
fn deserialize<'i, T: Deserialize<'i>>(
    value: Spanned<DeValue<'i>>,
    errors: &mut Vec<ReadError>,
    prefix: Option<&str>,
    rule: Option<String>,
) -> Option<T> {
    let start = value.span().start;
    T::deserialize(ValueDeserializer::from(value))
        .map_err(|e| {
            let mut error = ReadError::from_toml(&e, start);
            error.message = format!("{}{}", prefix.unwrap_or(""), error.message);
            error.rule = rule;
            errors.push(error)
        })
        .ok()
}

/// The `id` of a table, when it has a text one.
fn id_of(value: &DeValue<'_>) -> Option<String> {
    match value {
        DeValue::Table(table) => match table.get("id")?.get_ref() {
            DeValue::String(id) => Some(id.to_string()),
            _ => None,
        },
        _ => None,
    }
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
                rule: None,
                message: format!("`{key}` must be written as [[{key}]] tables"),
            });
            Vec::new()
        }
    }
}

/// 1-based line of a byte offset.
pub fn line_of(text: &str, at: usize) -> usize {
    let at = at.min(text.len());
    // Every rule asks, from the start of the file: a byte at a time this was a tenth of
    // loading the bundled rules.
    memchr::memchr_iter(b'\n', &text.as_bytes()[..at]).count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_misspelt_key_gets_the_key_it_probably_meant() {
        let allowed = ["id", "terms", "within", "near", "not_near", "weight"];
        assert_eq!(closest("trems", &allowed), Some("terms"));
        assert_eq!(closest("wihtin", &allowed), Some("within"));
        assert_eq!(closest("wheight", &allowed), Some("weight"));
        assert_eq!(closest("kleur", &allowed), None);
        assert_eq!(closest("xyz", &allowed), None);
    }

    #[test]
    fn an_unclosed_quote_is_said_in_plain_words() {
        let message = |text: &str| match read(text) {
            Err(errors) => errors[0].message.clone(),
            Ok(_) => panic!("{text:?} read"),
        };
        assert_eq!(
            message("id = \"t\nlabel = \"T\"\n"),
            "a quote was left open: end the text with \" on the same line"
        );
        assert_eq!(
            message("id = 'abc\nlabel = 'T'\n"),
            "a quote was left open: end the text with ' on the same line"
        );
        assert!(message("id = \"a\\d\"\nlabel = 'T'\n").contains("single quotes"));
    }
}
