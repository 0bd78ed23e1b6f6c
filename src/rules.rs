//! Rule files: [`RuleFile`] is a file as written (TOML, unknown keys rejected); [`RuleSet`]
//! is the compiled, checked form the matcher uses. A `RuleSet` cannot exist unless every
//! file, category and rule in it is valid, and loading reports every problem at once.
//!
//! The bundled rule set (`rules/borging.toml`) is embedded in the binary, so the tool
//! works from any folder. See `rules/README.md` for the language.

use crate::normalize::fold_str;
use serde::Deserialize;
use std::fmt;
use std::path::{Path, PathBuf};

/// The bundled default rule set, as (file name, contents).
pub const DEFAULT: (&str, &str) = ("borging.toml", include_str!("../rules/borging.toml"));

/// A rule file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    pub id: String,
    pub label: String,
    #[serde(default)]
    pub description: String,
    /// Categories that must have evidence; those without are listed in `missing`.
    #[serde(default)]
    pub required: Vec<String>,
    #[serde(default, rename = "category")]
    pub categories: Vec<CategoryFile>,
    #[serde(default, rename = "verdict")]
    pub verdicts: Vec<VerdictFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryFile {
    pub id: String,
    pub label: String,
    #[serde(default)]
    pub description: String,
    #[serde(default, rename = "rule")]
    pub rules: Vec<RuleEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleEntry {
    pub id: String,
    #[serde(default)]
    pub subcategory: Option<String>,
    pub terms: Vec<String>,
    #[serde(default, rename = "match")]
    pub must_match: Vec<String>,
    #[serde(default)]
    pub no_match: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerdictFile {
    pub label: String,
    /// `all`, `any` or `always`: over the `required` categories.
    pub when: String,
}

/// The compiled rule set.
#[derive(Debug, Clone)]
pub struct RuleSet {
    /// Where the rules came from, for messages and provenance.
    pub sources: Vec<String>,
    pub categories: Vec<Category>,
    pub required: Vec<usize>,
    pub verdicts: Vec<Verdict>,
}

#[derive(Debug, Clone)]
pub struct Category {
    pub id: String,
    pub label: String,
    pub rules: Vec<Rule>,
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub subcategory: Option<String>,
    /// Each term is a sequence of folded token globs.
    pub terms: Vec<Term>,
    pub must_match: Vec<String>,
    pub no_match: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Term {
    /// The term as written in the rule file.
    pub source: String,
    pub tokens: Vec<Glob>,
}

/// A folded token with optional leading and trailing `*`.
#[derive(Debug, Clone, PartialEq)]
pub struct Glob {
    pub text: String,
    pub any_prefix: bool,
    pub any_suffix: bool,
}

impl Glob {
    pub fn matches(&self, token: &str) -> bool {
        match (self.any_prefix, self.any_suffix) {
            (false, false) => token == self.text,
            (false, true) => token.starts_with(&self.text),
            (true, false) => token.ends_with(&self.text),
            (true, true) => token.contains(&self.text),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Verdict {
    pub label: String,
    pub when: Condition,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Condition {
    All,
    Any,
    Always,
}

/// A problem in a rule file, with where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleError {
    pub file: String,
    pub rule: Option<String>,
    pub message: String,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.rule {
            Some(rule) => write!(f, "{}: rule `{}`: {}", self.file, rule, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl RuleSet {
    /// The rule set embedded in the binary.
    pub fn bundled() -> RuleSet {
        RuleSet::from_sources(&[(format!("bundled:{}", DEFAULT.0), DEFAULT.1.to_string())])
            .expect("the bundled rule set is valid (checked by tests)")
    }

    /// Loads a rule file, or every `*.toml` file of a folder in name order.
    pub fn load(path: &Path) -> Result<RuleSet, Vec<RuleError>> {
        let files = rule_files(path).map_err(|message| {
            vec![RuleError {
                file: path.display().to_string(),
                rule: None,
                message,
            }]
        })?;
        let mut sources = Vec::new();
        let mut errors = Vec::new();
        for file in files {
            match std::fs::read_to_string(&file) {
                Ok(text) => sources.push((file.display().to_string(), text)),
                Err(err) => errors.push(RuleError {
                    file: file.display().to_string(),
                    rule: None,
                    message: format!("cannot read: {err}"),
                }),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        RuleSet::from_sources(&sources)
    }

    /// Compiles (name, TOML text) pairs into one rule set.
    pub fn from_sources(sources: &[(String, String)]) -> Result<RuleSet, Vec<RuleError>> {
        let mut set = RuleSet {
            sources: Vec::new(),
            categories: Vec::new(),
            required: Vec::new(),
            verdicts: Vec::new(),
        };
        let mut errors = Vec::new();
        let mut required = Vec::new();
        for (name, text) in sources {
            set.sources.push(name.clone());
            let file: RuleFile = match toml::from_str(text) {
                Ok(file) => file,
                Err(err) => {
                    errors.push(RuleError {
                        file: name.clone(),
                        rule: None,
                        message: crate::extract::one_line(&err.to_string()),
                    });
                    continue;
                }
            };
            required.extend(file.required.iter().map(|r| (name.clone(), r.clone())));
            for category in file.categories {
                let rules = category
                    .rules
                    .into_iter()
                    .filter_map(|rule| compile_rule(name, rule, &mut errors))
                    .collect();
                set.categories.push(Category {
                    id: category.id,
                    label: category.label,
                    rules,
                });
            }
            for verdict in file.verdicts {
                let when = match verdict.when.as_str() {
                    "all" => Condition::All,
                    "any" => Condition::Any,
                    "always" => Condition::Always,
                    other => {
                        errors.push(RuleError {
                            file: name.clone(),
                            rule: None,
                            message: format!(
                                "verdict `{}`: unknown condition `{other}` (use all, any or always)",
                                verdict.label
                            ),
                        });
                        continue;
                    }
                };
                set.verdicts.push(Verdict {
                    label: verdict.label,
                    when,
                });
            }
        }
        for (file, id) in required {
            match set.categories.iter().position(|c| c.id == id) {
                Some(index) => set.required.push(index),
                None => errors.push(RuleError {
                    file,
                    rule: None,
                    message: format!("`required` names unknown category `{id}`"),
                }),
            }
        }
        if errors.is_empty() {
            Ok(set)
        } else {
            Err(errors)
        }
    }
}

fn compile_rule(file: &str, rule: RuleEntry, errors: &mut Vec<RuleError>) -> Option<Rule> {
    let mut terms = Vec::new();
    for source in &rule.terms {
        let tokens: Vec<Glob> = fold_str(source)
            .split(|c: char| c.is_whitespace() || c == '-')
            .filter(|t| !t.is_empty())
            .map(|t| Glob {
                text: t.trim_matches('*').to_string(),
                any_prefix: t.starts_with('*'),
                any_suffix: t.ends_with('*'),
            })
            .collect();
        if tokens.is_empty() || tokens.iter().any(|g| g.text.chars().count() < 2) {
            errors.push(RuleError {
                file: file.to_string(),
                rule: Some(rule.id.clone()),
                message: format!("term `{source}` is too short: it would match almost anything"),
            });
            continue;
        }
        terms.push(Term {
            source: source.clone(),
            tokens,
        });
    }
    Some(Rule {
        id: rule.id,
        subcategory: rule.subcategory,
        terms,
        must_match: rule.must_match,
        no_match: rule.no_match,
    })
}

fn rule_files(path: &Path) -> Result<Vec<PathBuf>, String> {
    let meta = std::fs::metadata(path).map_err(|err| format!("cannot read rules: {err}"))?;
    if !meta.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(|err| format!("cannot read rules folder: {err}"))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err("no .toml rule files in this folder".into());
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_rules_compile() {
        let set = RuleSet::bundled();
        assert!(!set.categories.is_empty());
    }

    #[test]
    fn unknown_key_is_rejected_with_file_name() {
        let err = RuleSet::from_sources(&[("x.toml".into(), "id='x'\nlabel='x'\nfoo=1".into())])
            .unwrap_err();
        assert_eq!(err[0].file, "x.toml");
        assert!(err[0].message.contains("foo"), "{}", err[0].message);
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let toml = r#"
            id = "x"
            label = "x"
            required = ["nope"]
            [[category]]
            id = "goals"
            label = "Doelen"
            [[category.rule]]
            id = "kort"
            terms = ["*"]
        "#;
        let err = RuleSet::from_sources(&[("x.toml".into(), toml.into())]).unwrap_err();
        assert_eq!(err.len(), 2, "{err:?}");
    }
}
