//! Rule files: [`file::RuleFile`] is a file as written (TOML, unknown keys rejected);
//! [`RuleSet`] is the compiled, checked form the matcher uses. A `RuleSet` cannot exist
//! unless every file, category and rule in it is valid, and loading reports every problem
//! at once, each with its file, line and rule id.
//!
//! The bundled rule set (`rules/borging.toml`) is embedded in the binary, so the tool
//! works from any folder. `rules/README.md` documents the language for rule authors.

pub mod command;
pub mod eval;
pub mod examples;
pub mod file;
pub mod pattern;
pub mod verdict;

use crate::matcher::Engines;
use file::{RuleEntry, line_of};
use pattern::{Pattern, REGEX_CHARS};
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use toml::Spanned;
pub use verdict::Condition;

/// The bundled default rule set, as (file name, contents).
pub const DEFAULT: (&str, &str) = ("borging.toml", include_str!("../../rules/borging.toml"));

/// The fingerprints of [`RuleSet::fingerprint`], one per category. A compiled pattern or
/// regex is a function of its source and the build, so the sources stand for them.
fn fingerprints(categories: &[Category], negation: &Negation) -> Vec<String> {
    use sha2::{Digest, Sha256};
    categories
        .iter()
        .map(|category| {
            let mut hash = Sha256::new();
            // Each field with its length, so that no two lists hash alike.
            let mut feed = |field: &str| {
                hash.update((field.len() as u64).to_le_bytes());
                hash.update(field.as_bytes());
            };
            feed(env!("BORGING_BUILD"));
            feed(&format!("{negation:?}"));
            feed(&category.id);
            for rule in &category.rules {
                feed(&rule.id);
                feed(rule.subcategory.as_deref().unwrap_or("\0none"));
                feed(&format!(
                    "{:?} {:?} {:?}",
                    rule.weight, rule.within, rule.headings
                ));
                let probes = |list: &[Probe]| -> Vec<String> {
                    list.iter()
                        .map(|p| match p {
                            Probe::Pattern(p) => format!("pattern {}", p.source),
                            Probe::Regex(r) => format!("regex {}", r.source),
                        })
                        .collect()
                };
                let lists = [
                    rule.terms.iter().map(|t| t.source.clone()).collect(),
                    rule.regex.iter().map(|r| r.source.clone()).collect(),
                    probes(&rule.near),
                    probes(&rule.not_near),
                ];
                for list in lists {
                    feed(&list.len().to_string());
                    for item in &list {
                        feed(item);
                    }
                }
            }
            crate::extract::hex(&hash.finalize())
        })
        .collect()
}

/// Dutch negation defaults, used for every key a rule file leaves out.
pub const DEFAULT_BEFORE: &[&str] = &[
    "geen",
    "niet",
    "nooit",
    "zonder",
    "nog niet",
    "niet langer",
    "noch",
];
pub const DEFAULT_AFTER: &[&str] = &[
    "ontbreekt",
    "ontbreken",
    "ontbrak",
    "is er niet",
    "niet aanwezig",
];
pub const DEFAULT_PSEUDO: &[&str] = &[
    "niet alleen",
    "wel of niet",
    "niet meer dan",
    "geen doel op zich",
    "niet te vergeten",
    "zonder meer",
];
pub const DEFAULT_SCOPE_END: &[&str] = &["maar", "hoewel", "echter", "wel", "en", "want"];
pub const DEFAULT_WINDOW: usize = 6;

/// The compiled rule set.
#[derive(Debug, Clone)]
pub struct RuleSet {
    /// The `id` of the rule file (of each file, joined with `+`, for a folder).
    pub id: String,
    pub label: String,
    pub description: String,
    /// Where the rules came from, for messages and provenance.
    pub sources: Vec<String>,
    pub categories: Vec<Category>,
    /// Indexes of the categories that must have evidence.
    pub required: Vec<usize>,
    pub verdicts: Vec<Verdict>,
    pub negation: Negation,
    /// Every pattern of every rule in one automaton; built once when the rules load.
    pub(crate) engine: Arc<Engines>,
    /// Per category, a fingerprint of everything that decides its hits (see
    /// [`RuleSet::fingerprint`]).
    fingerprints: Arc<Vec<String>>,
}

#[derive(Debug, Clone)]
pub struct Category {
    pub id: String,
    pub label: String,
    pub description: String,
    pub rules: Vec<Rule>,
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub subcategory: Option<String>,
    pub weight: f64,
    pub terms: Vec<Pattern>,
    pub regex: Vec<RegexTerm>,
    /// The rule fires only with one of these within `within` (when not empty).
    pub near: Vec<Probe>,
    /// The rule does not fire with one of these within `within`.
    pub not_near: Vec<Probe>,
    pub within: Within,
    /// Whether a hit in a heading or a table-of-contents line counts.
    pub headings: Headings,
    pub must_match: Vec<String>,
    pub no_match: Vec<String>,
    pub negated: Vec<String>,
    /// Where the rule is written, for messages.
    pub file: String,
    pub line: usize,
}

/// A declared regular expression, matched on folded text.
#[derive(Debug, Clone)]
pub struct RegexTerm {
    pub source: String,
    pub regex: regex::Regex,
}

/// A `near` or `not_near` entry: a pattern, or a regular expression when it is written
/// with regular-expression characters (`\d{4}`).
#[derive(Debug, Clone)]
pub enum Probe {
    Pattern(Pattern),
    Regex(RegexTerm),
}

/// How close a `near` / `not_near` hit must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Within {
    Words(usize),
    Sentence,
}

/// What a rule does with a term found in a heading or a line of a table of contents
/// ("Kwaliteitszorg", "2.1 Doelen", "Evaluatie ........ 12"), which announces a subject
/// rather than shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Headings {
    /// Such a hit is a hit like any other (what rule files did before the option existed).
    #[default]
    Count,
    /// Such a hit is no hit at all: as if a `not_near` entry had matched.
    Ignore,
}

impl Headings {
    fn parse(value: &str) -> Result<Headings, String> {
        match value {
            "count" => Ok(Headings::Count),
            "ignore" => Ok(Headings::Ignore),
            other => Err(format!(
                "`headings` must be \"count\" or \"ignore\", not \"{other}\""
            )),
        }
    }
}

/// Largest `within` (in words) at which a `near` entry may be a word of two letters.
pub const SHORT_NEAR_WITHIN: usize = 4;

/// Negation settings, phrases folded and split in words.
#[derive(Debug, Clone, PartialEq)]
pub struct Negation {
    pub before: Vec<Vec<String>>,
    pub after: Vec<Vec<String>>,
    pub pseudo: Vec<Vec<String>>,
    pub scope_end: Vec<String>,
    pub window: usize,
}

impl Default for Negation {
    fn default() -> Self {
        Negation {
            before: DEFAULT_BEFORE.iter().map(|p| phrase_words(p)).collect(),
            after: DEFAULT_AFTER.iter().map(|p| phrase_words(p)).collect(),
            pseudo: DEFAULT_PSEUDO.iter().map(|p| phrase_words(p)).collect(),
            scope_end: DEFAULT_SCOPE_END.iter().map(|p| p.to_string()).collect(),
            window: DEFAULT_WINDOW,
        }
    }
}

/// The folded words of a negation phrase, as the matcher's words of the text.
fn phrase_words(phrase: &str) -> Vec<String> {
    let folded = crate::normalize::fold(phrase);
    crate::normalize::text_words(&folded.text)
        .into_iter()
        .map(|(s, e)| folded.text[s..e].to_string())
        .collect()
}

#[derive(Debug, Clone)]
pub struct Verdict {
    pub label: String,
    pub when: Condition,
    /// The condition as written.
    pub source: String,
}

/// A problem in a rule file, with where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleError {
    pub file: String,
    pub line: Option<usize>,
    pub rule: Option<String>,
    pub message: String,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(rule) = &self.rule {
            write!(f, ": rule {rule}")?;
        }
        write!(f, ": {}", self.message)
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
                line: None,
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
                    line: None,
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
        let mut builder = Builder::default();
        let mut files = Vec::new();
        for (name, text) in sources {
            match file::read(text) {
                Ok(file) => files.push((name, text, file)),
                Err(problems) => {
                    for p in problems {
                        builder.errors.push(RuleError {
                            file: name.clone(),
                            line: p.at.map(|at| line_of(text, at)),
                            rule: p.rule,
                            message: p.message,
                        });
                    }
                }
            }
        }
        // Categories first, across all files, so `required` and `when` may name a
        // category of another file of the folder.
        for (name, text, file) in &mut files {
            let at = At { file: name, text };
            let headings = builder.headings(&at, file.headings.as_ref(), Headings::Count);
            for category in std::mem::take(&mut file.categories) {
                builder.category(&at, category, headings);
            }
        }
        let mut ids = Vec::new();
        let mut labels = Vec::new();
        let mut descriptions = Vec::new();
        let mut negation = None;
        for (name, text, file) in files {
            let at = At { file: name, text };
            ids.push(file.id.into_inner());
            labels.push(file.label);
            descriptions.push(file.description);
            for id in &file.required {
                match builder.category_index(id.get_ref()) {
                    Some(i) if !builder.required.contains(&i) => builder.required.push(i),
                    Some(_) => {}
                    None => builder.error(
                        &at,
                        id.span().start,
                        None,
                        format!("`required` names unknown category `{}`", id.get_ref()),
                    ),
                }
            }
            if let Some(neg) = file.negation {
                if negation.is_some() {
                    builder.error(
                        &at,
                        neg.span().start,
                        None,
                        "[negation] is set in more than one file of this rule set".into(),
                    );
                }
                negation = Some(builder.negation(&at, neg.into_inner()));
            }
            for verdict in file.verdicts {
                let resolve = |id: &str| builder.category_index(id);
                match verdict::parse(verdict.when.get_ref(), &resolve) {
                    Ok(when) => builder.verdicts.push(Verdict {
                        label: verdict.label,
                        when,
                        source: verdict.when.get_ref().clone(),
                    }),
                    Err(message) => builder.error(
                        &at,
                        verdict.when.span().start,
                        None,
                        format!(
                            "verdict \"{}\": condition \"{}\": {message}",
                            verdict.label,
                            verdict.when.get_ref()
                        ),
                    ),
                }
            }
        }
        if !builder.errors.is_empty() {
            return Err(builder.errors);
        }
        let categories = builder.categories;
        let negation = negation.unwrap_or_default();
        let engine = Engines::new(&categories).map_err(|message| {
            vec![RuleError {
                file: sources.first().map(|s| s.0.clone()).unwrap_or_default(),
                line: None,
                rule: None,
                message,
            }]
        })?;
        Ok(RuleSet {
            id: ids.join("+"),
            label: labels.join(" + "),
            description: descriptions.join("\n"),
            sources: sources.iter().map(|s| s.0.clone()).collect(),
            fingerprints: Arc::new(fingerprints(&categories, &negation)),
            categories,
            required: builder.required,
            verdicts: builder.verdicts,
            negation,
            engine: Arc::new(engine),
        })
    }

    /// A rule set with only rule `rule` of category `category`, same negation, no
    /// verdicts: how the examples of one rule are tested on their own.
    pub fn only_rule(&self, category: usize, rule: usize) -> RuleSet {
        let mut only = self.categories[category].clone();
        only.rules = vec![only.rules[rule].clone()];
        let categories = vec![only];
        let engine = Engines::new(&categories).expect("a rule of a valid set compiles");
        RuleSet {
            fingerprints: Arc::new(fingerprints(&categories, &self.negation)),
            categories,
            required: Vec::new(),
            verdicts: Vec::new(),
            engine: Arc::new(engine),
            ..self.clone()
        }
    }

    /// The same rules with the categories replaced (used by tests that reorder rules).
    pub fn with_categories(&self, categories: Vec<Category>) -> RuleSet {
        let engine = Engines::new(&categories).expect("rules of a valid set compile");
        RuleSet {
            fingerprints: Arc::new(fingerprints(&categories, &self.negation)),
            categories,
            engine: Arc::new(engine),
            ..self.clone()
        }
    }

    /// A fingerprint of all that decides the hits of category `category`: this build of
    /// borging, the negation settings, the category's id and each of its rules in order
    /// (id, subcategory, weight, `within`, `headings` and every term, regex and `near` /
    /// `not_near` entry), but not where the rules stand in the file, their examples, or
    /// the other categories. Equal fingerprints, equal hits in the same text: a cache may
    /// keep them.
    pub fn fingerprint(&self, category: usize) -> &str {
        &self.fingerprints[category]
    }

    /// Builds the matching automaton of all categories now rather than at the first
    /// match (it is built once either way).
    pub fn prepare(&self) {
        self.engine.prepare(&self.categories);
    }

    /// Whether the automaton of all categories is built.
    pub fn is_prepared(&self) -> bool {
        self.engine.is_built()
    }

    /// Number of rules over all categories.
    pub fn rule_count(&self) -> usize {
        self.categories.iter().map(|c| c.rules.len()).sum()
    }
}

/// Where in which file a piece of a rule file is.
struct At<'a> {
    file: &'a str,
    text: &'a str,
}

#[derive(Default)]
struct Builder {
    categories: Vec<Category>,
    category_ids: HashMap<String, usize>,
    rule_ids: HashMap<String, (String, usize)>,
    required: Vec<usize>,
    verdicts: Vec<Verdict>,
    errors: Vec<RuleError>,
}

fn is_id(id: &str) -> bool {
    !id.is_empty() && id.chars().all(|c| c.is_ascii_lowercase() || c == '_')
}

impl Builder {
    fn error(&mut self, at: &At, offset: usize, rule: Option<&str>, message: String) {
        self.errors.push(RuleError {
            file: at.file.to_string(),
            line: Some(line_of(at.text, offset)),
            rule: rule.map(String::from),
            message,
        });
    }

    fn category_index(&self, id: &str) -> Option<usize> {
        self.category_ids.get(id).copied()
    }

    /// The `headings` setting written at `given`, or `default` when there is none (or it
    /// is wrong, which is reported).
    fn headings(
        &mut self,
        at: &At,
        given: Option<&Spanned<String>>,
        default: Headings,
    ) -> Headings {
        let Some(given) = given else {
            return default;
        };
        Headings::parse(given.get_ref()).unwrap_or_else(|message| {
            self.error(at, given.span().start, None, message);
            default
        })
    }

    fn category(&mut self, at: &At, category: file::CategoryFile, headings: Headings) {
        let id = category.id.get_ref().clone();
        let offset = category.id.span().start;
        if !is_id(&id) {
            self.error(
                at,
                offset,
                None,
                format!("category id `{id}` must be lower-case letters and `_` only"),
            );
        } else if verdict::KEYWORDS.contains(&id.as_str()) {
            self.error(
                at,
                offset,
                None,
                format!("category id `{id}` is a word of verdict conditions; choose another"),
            );
        } else if self.category_ids.contains_key(&id) {
            self.error(at, offset, None, format!("duplicate category id `{id}`"));
        }
        self.category_ids
            .entry(id.clone())
            .or_insert(self.categories.len());
        let rules = category
            .rules
            .into_iter()
            .filter_map(|rule| self.rule(at, rule, headings))
            .collect();
        self.categories.push(Category {
            id,
            label: category.label,
            description: category.description,
            rules,
        });
    }

    fn rule(&mut self, at: &At, rule: RuleEntry, headings: Headings) -> Option<Rule> {
        let id = rule.id.get_ref().clone();
        let line = line_of(at.text, rule.id.span().start);
        let before = self.errors.len();
        let fail = |this: &mut Builder, offset: usize, message: String| {
            this.error(at, offset, Some(&id), message);
        };
        if id.is_empty() || id.chars().any(|c| c.is_whitespace() || c.is_control()) {
            fail(
                self,
                rule.id.span().start,
                "a rule id must be one word without spaces".into(),
            );
        } else if let Some((file, first)) = self.rule_ids.get(&id) {
            let message = format!("duplicate rule id (first at {file}:{first})");
            fail(self, rule.id.span().start, message);
        } else {
            self.rule_ids
                .insert(id.clone(), (at.file.to_string(), line));
        }
        if let Some(sub) = &rule.subcategory
            && !is_id(sub.get_ref())
        {
            let message = format!(
                "subcategory `{}` must be lower-case letters and `_` only",
                sub.get_ref()
            );
            fail(self, sub.span().start, message);
        }
        let weight = match &rule.weight {
            None => 1.0,
            Some(w) if w.get_ref().is_finite() && *w.get_ref() > 0.0 => *w.get_ref(),
            Some(w) => {
                let message = format!("weight must be a number above 0, not {}", w.get_ref());
                fail(self, w.span().start, message);
                1.0
            }
        };
        if rule.terms.is_empty() && rule.regex.is_empty() {
            fail(
                self,
                rule.id.span().start,
                "the rule has no terms (and no regex): it can never match".into(),
            );
        }
        let mut terms = Vec::new();
        for term in &rule.terms {
            match Pattern::compile(term.get_ref()) {
                Ok(p) => terms.push(p),
                Err(message) => fail(self, term.span().start, message),
            }
        }
        let mut regex = Vec::new();
        for source in &rule.regex {
            match compile_regex(source.get_ref()) {
                Ok(r) => regex.push(r),
                Err(message) => fail(self, source.span().start, message),
            }
        }
        let within = match &rule.within {
            None => Within::Sentence,
            Some(w) => {
                if rule.near.is_empty() && rule.not_near.is_empty() {
                    self.error(
                        at,
                        w.span().start,
                        Some(&id),
                        "`within` without `near` or `not_near` has no effect".into(),
                    );
                }
                match w.get_ref() {
                    toml::Value::Integer(n) if *n > 0 => Within::Words(*n as usize),
                    toml::Value::String(s) if s == "sentence" => Within::Sentence,
                    other => {
                        self.error(
                            at,
                            w.span().start,
                            Some(&id),
                            format!(
                                "`within` must be a whole number of words above 0 or \
                                 \"sentence\", not {other}"
                            ),
                        );
                        Within::Sentence
                    }
                }
            }
        };
        // A two-letter word (`we`) may stand in `near` when `near` must be close by: within
        // a few words or in the same sentence.
        let short_near = match within {
            Within::Sentence => true,
            Within::Words(n) => n <= SHORT_NEAR_WITHIN,
        };
        let probes = |this: &mut Builder, list: &[Spanned<String>], key: &str| {
            let mut out = Vec::new();
            for item in list {
                let text = item.get_ref();
                let probe = if text.contains(REGEX_CHARS) {
                    compile_regex(text).map(Probe::Regex)
                } else if key == "near" && short_near {
                    Pattern::compile_near(text).map(Probe::Pattern)
                } else {
                    Pattern::compile(text).map(Probe::Pattern)
                };
                match probe {
                    Ok(p) => out.push(p),
                    Err(message) => {
                        let hint = if key == "near" && message.contains("too short") {
                            format!(
                                " (a word of 2 letters is allowed in `near` when `within` is \
                                 at most {SHORT_NEAR_WITHIN} or \"sentence\")"
                            )
                        } else {
                            String::new()
                        };
                        this.error(
                            at,
                            item.span().start,
                            Some(&id),
                            format!("{key}: {message}{hint}"),
                        )
                    }
                }
            }
            out
        };
        let near = probes(self, &rule.near, "near");
        let not_near = probes(self, &rule.not_near, "not_near");
        let headings = match &rule.headings {
            None => headings,
            Some(given) => Headings::parse(given.get_ref()).unwrap_or_else(|message| {
                self.error(at, given.span().start, Some(&id), message);
                headings
            }),
        };
        if self.errors.len() > before {
            return None;
        }
        Some(Rule {
            id: id.clone(),
            subcategory: rule.subcategory.map(Spanned::into_inner),
            weight,
            terms,
            regex,
            near,
            not_near,
            within,
            headings,
            must_match: rule.must_match,
            no_match: rule.no_match,
            negated: rule.negated,
            file: at.file.to_string(),
            line,
        })
    }

    fn negation(&mut self, at: &At, file: file::NegationFile) -> Negation {
        let defaults = Negation::default();
        let list = |this: &mut Builder,
                    given: Option<Vec<Spanned<String>>>,
                    default: Vec<Vec<String>>,
                    key: &str| {
            let Some(given) = given else {
                return default;
            };
            let mut out = Vec::new();
            for item in given {
                let words = phrase_words(item.get_ref());
                if words.is_empty() {
                    this.error(
                        at,
                        item.span().start,
                        None,
                        format!("negation.{key}: \"{}\" has no words", item.get_ref()),
                    );
                } else {
                    out.push(words);
                }
            }
            out
        };
        let before = list(self, file.before, defaults.before, "before");
        let after = list(self, file.after, defaults.after, "after");
        let pseudo = list(self, file.pseudo, defaults.pseudo, "pseudo");
        let scope_end = list(
            self,
            file.scope_end,
            defaults.scope_end.iter().map(|w| vec![w.clone()]).collect(),
            "scope_end",
        );
        let mut ends = Vec::new();
        for words in scope_end {
            if words.len() == 1 {
                ends.extend(words);
            } else {
                self.errors.push(RuleError {
                    file: at.file.to_string(),
                    line: None,
                    rule: None,
                    message: format!(
                        "negation.scope_end: \"{}\" must be one word",
                        words.join(" ")
                    ),
                });
            }
        }
        let window = match file.window {
            None => defaults.window,
            Some(w) if *w.get_ref() > 0 && *w.get_ref() <= 50 => *w.get_ref() as usize,
            Some(w) => {
                self.error(
                    at,
                    w.span().start,
                    None,
                    format!("negation.window must be 1 to 50 words, not {}", w.get_ref()),
                );
                defaults.window
            }
        };
        Negation {
            before,
            after,
            pseudo,
            scope_end: ends,
            window,
        }
    }
}

/// Compiles a declared regular expression for folded text (lower case, no accents).
fn compile_regex(source: &str) -> Result<RegexTerm, String> {
    if let Some(c) = source.chars().find(|c| {
        !c.is_ascii() && crate::normalize::fold_str(&c.to_string()) != c.to_lowercase().to_string()
    }) {
        return Err(format!(
            "regex \"{source}\" contains `{c}`: text is matched without accents and \
             ligatures, write `{}`",
            crate::normalize::fold_str(&c.to_string())
        ));
    }
    let regex = regex::RegexBuilder::new(&ascii_word_boundaries(source))
        .case_insensitive(true)
        .size_limit(1 << 20)
        .build()
        .map_err(|e| {
            format!(
                "regex \"{source}\" is not a valid regular expression: {}",
                crate::extract::one_line(&e.to_string())
            )
        })?;
    if regex.is_match("") {
        return Err(format!(
            "regex \"{source}\" matches empty text: it would match everywhere"
        ));
    }
    Ok(RegexTerm {
        source: source.to_string(),
        regex,
    })
}

/// Rewrites `\b` and `\B` as ASCII word boundaries. The folded text has no accents, so
/// they mean the same there, and Unicode word boundaries would keep the regex engine off
/// its fast automaton for any page with one non-ASCII character (a bullet, a euro sign).
fn ascii_word_boundaries(source: &str) -> String {
    let mut out = String::with_capacity(source.len() + 16);
    let mut chars = source.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('b') => out.push_str("(?-u:\\b)"),
            Some('B') => out.push_str("(?-u:\\B)"),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
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
mod tests;
