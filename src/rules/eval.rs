//! `borging rules eval`: scores a rule set against passages a person has coded by hand.
//!
//! Rule examples only show that each rule does what its author meant. Whether a rule set
//! finds what a careful reader finds is a different question, and researchers answer it
//! before they publish: code a sample by hand, run the dictionary over it, report
//! precision, recall and F1. This module is that step, on the same matcher and scorer as
//! `scan`, so the figures describe the tool as it runs.
//!
//! The input is a TSV with a header: `id`, `text`, and one column per category holding
//! `1` (evidence), `0` (none) or `-1` (only negated mentions). Other columns are ignored,
//! except `note`, which is shown next to a missed passage. A passage counts as predicted
//! for a category when it has a counted hit (negated mentions do not count), exactly as a
//! document's `<category>_hits` in `scan`; `-1` is a negative label, since a negated
//! mention is no evidence.

use super::RuleSet;
use crate::extract::Page;
use crate::matcher::{self, Hit};
use std::path::Path;

/// A hand-coded label of one passage on one category.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    /// Evidence (`1`).
    Yes,
    /// No evidence (`0`).
    No,
    /// Only a negated mention (`-1`): no evidence.
    Negated,
}

impl Label {
    fn parse(cell: &str) -> Option<Label> {
        match cell.trim() {
            "1" => Some(Label::Yes),
            "0" => Some(Label::No),
            "-1" => Some(Label::Negated),
            _ => None,
        }
    }
}

/// One coded passage.
#[derive(Debug, Clone)]
pub struct Passage {
    /// Line of the file where the passage starts (1-based, header is line 1).
    pub line: u64,
    pub id: String,
    pub text: String,
    /// The coder's note (`note` column), if the file has one.
    pub note: Option<String>,
    /// One label per scored category, in the order of [`Labelled::categories`].
    pub labels: Vec<Label>,
}

/// A file of coded passages, checked against a rule set.
#[derive(Debug, Clone)]
pub struct Labelled {
    /// Indexes into `RuleSet::categories` of the categories the file codes, in rule-set
    /// order.
    pub categories: Vec<usize>,
    /// Categories of the rule set the file has no column for (not scored).
    pub unlabelled: Vec<String>,
    pub passages: Vec<Passage>,
}

/// Reads `path` and checks it against `set`. Every problem is reported, each as
/// `file:line: message`: a missing `id` or `text` column, a column of labels that the rule
/// set has no category for, a label that is not 1, 0 or -1, a row with a missing cell, a
/// duplicate id.
pub fn read(path: &Path, set: &RuleSet) -> Result<Labelled, Vec<String>> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|err| vec![format!("{name}: cannot read: {err}")])?;
    parse(&name, &bytes, set)
}

/// [`read`] on bytes already in memory; `name` is used in messages.
pub fn parse(name: &str, bytes: &[u8], set: &RuleSet) -> Result<Labelled, Vec<String>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .flexible(true)
        .from_reader(bytes);
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_string()).collect(),
        Err(err) => return Err(vec![format!("{name}:1: cannot read the header: {err}")]),
    };
    let mut problems = Vec::new();
    let column = |wanted: &str| header.iter().position(|c| c == wanted);
    let (id_col, text_col) = (column("id"), column("text"));
    for (col, wanted) in [(id_col, "id"), (text_col, "text")] {
        if col.is_none() {
            problems.push(format!(
                "{name}:1: no `{wanted}` column (the header has: {})",
                header.join(", ")
            ));
        }
    }
    let note_col = column("note");

    // Each category of the rule set is scored when the file has a column of that name.
    let mut categories = Vec::new();
    let mut columns = Vec::new();
    let mut unlabelled = Vec::new();
    for (index, category) in set.categories.iter().enumerate() {
        match column(&category.id) {
            Some(col) => {
                categories.push(index);
                columns.push(col);
            }
            None => unlabelled.push(category.id.clone()),
        }
    }

    let mut rows = Vec::new();
    for record in reader.records() {
        match record {
            Ok(record) => rows.push(record),
            Err(err) => {
                let line = err.position().map_or(0, csv::Position::line);
                problems.push(format!("{name}:{line}: {err}"));
            }
        }
    }

    // Any other column that holds nothing but labels is a category this rule set lacks:
    // scoring without it would quietly report on fewer categories than the coder coded.
    let known = |col: usize| {
        columns.contains(&col)
            || Some(col) == id_col
            || Some(col) == text_col
            || Some(col) == note_col
    };
    for (col, title) in header.iter().enumerate() {
        if known(col) || rows.is_empty() {
            continue;
        }
        let all_labels = rows
            .iter()
            .all(|r| r.get(col).is_some_and(|c| Label::parse(c).is_some()));
        if all_labels {
            problems.push(format!(
                "{name}:1: column `{title}` holds labels, but the rule set ({}) has no category \
                 `{title}` (its categories: {})",
                set.id,
                set.categories
                    .iter()
                    .map(|c| c.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    if categories.is_empty() && problems.is_empty() {
        problems.push(format!(
            "{name}:1: no column for any category of the rule set ({}): want one of {}",
            set.id,
            set.categories
                .iter()
                .map(|c| c.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }

    let mut passages = Vec::new();
    let mut seen = std::collections::HashMap::new();
    for record in &rows {
        let line = record.position().map_or(0, csv::Position::line);
        if record.len() != header.len() {
            problems.push(format!(
                "{name}:{line}: {} cells, the header has {}",
                record.len(),
                header.len()
            ));
            continue;
        }
        let (Some(id_col), Some(text_col)) = (id_col, text_col) else {
            continue;
        };
        let id = record[id_col].trim().to_string();
        if id.is_empty() {
            problems.push(format!("{name}:{line}: empty id"));
        } else if let Some(first) = seen.insert(id.clone(), line) {
            problems.push(format!(
                "{name}:{line}: id `{id}` is used before, on line {first}"
            ));
        }
        let mut labels = Vec::with_capacity(columns.len());
        for (&col, &category) in columns.iter().zip(&categories) {
            match Label::parse(&record[col]) {
                Some(label) => labels.push(label),
                None => problems.push(format!(
                    "{name}:{line}: {}: `{}` is not a label (1, 0 or -1)",
                    set.categories[category].id, &record[col]
                )),
            }
        }
        passages.push(Passage {
            line,
            id,
            text: record[text_col].to_string(),
            note: note_col
                .map(|c| record[c].trim().to_string())
                .filter(|n| !n.is_empty()),
            labels,
        });
    }
    if passages.is_empty() && problems.is_empty() {
        problems.push(format!("{name}: no passages after the header"));
    }
    if problems.is_empty() {
        Ok(Labelled {
            categories,
            unlabelled,
            passages,
        })
    } else {
        Err(problems)
    }
}

/// Agreement of the rules with the coder on one category.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub tp: u32,
    pub fp: u32,
    pub fn_: u32,
    pub tn: u32,
}

impl Counts {
    /// Passages coded as evidence.
    pub fn gold(&self) -> u32 {
        self.tp + self.fn_
    }
    /// Passages the rules found evidence in.
    pub fn predicted(&self) -> u32 {
        self.tp + self.fp
    }
    /// Share of the found passages that are coded as evidence; 1 when nothing was found
    /// (no prediction is a wrong one).
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.predicted())
    }
    /// Share of the coded passages that were found; 1 when nothing was coded.
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.gold())
    }
    pub fn f1(&self) -> f64 {
        // Defined from the counts, so that "nothing coded, nothing found" is 1 and
        // "nothing coded, something found" is 0.
        let den = 2 * self.tp + self.fp + self.fn_;
        if den == 0 {
            1.0
        } else {
            f64::from(2 * self.tp) / f64::from(den)
        }
    }
}

fn ratio(num: u32, den: u32) -> f64 {
    if den == 0 {
        1.0
    } else {
        f64::from(num) / f64::from(den)
    }
}

/// A passage where the rules and the coder disagree on a category.
#[derive(Debug, Clone)]
pub struct Disagreement<'a> {
    pub passage: &'a Passage,
    /// Index into `RuleSet::categories`.
    pub category: usize,
    pub label: Label,
    /// For a false positive: the counted hits that made the rules say yes.
    pub hits: Vec<Hit>,
}

/// The result of scoring a rule set on coded passages.
#[derive(Debug, Clone)]
pub struct Evaluation<'a> {
    /// Per scored category (as [`Labelled::categories`]): its index in the rule set and
    /// the counts.
    pub categories: Vec<(usize, Counts)>,
    /// Passages coded evidence that the rules missed.
    pub false_negatives: Vec<Disagreement<'a>>,
    /// Passages the rules found evidence in that are coded otherwise.
    pub false_positives: Vec<Disagreement<'a>>,
}

impl Evaluation<'_> {
    /// The unweighted mean F1 over the scored categories: every category counts the same,
    /// however often it occurs.
    pub fn macro_f1(&self) -> f64 {
        if self.categories.is_empty() {
            return 0.0;
        }
        self.categories.iter().map(|(_, c)| c.f1()).sum::<f64>() / self.categories.len() as f64
    }

    /// The counts of category `id`, if it was scored.
    pub fn counts(&self, set: &RuleSet, id: &str) -> Option<Counts> {
        self.categories
            .iter()
            .find(|(i, _)| set.categories[*i].id == id)
            .map(|(_, c)| *c)
    }
}

/// Runs every passage as a one-page document through the matcher and compares the
/// categories with counted hits to the coder's labels.
pub fn evaluate<'a>(set: &RuleSet, labelled: &'a Labelled) -> Evaluation<'a> {
    let mut counts = vec![Counts::default(); labelled.categories.len()];
    let mut false_negatives = Vec::new();
    let mut false_positives = Vec::new();
    for passage in &labelled.passages {
        let page = Page {
            number: 1,
            label: None,
            text: passage.text.clone(),
            ocr: false,
        };
        let hits = matcher::hits(set, std::slice::from_ref(&page));
        for (slot, (&category, &label)) in
            labelled.categories.iter().zip(&passage.labels).enumerate()
        {
            let counted: Vec<Hit> = hits
                .iter()
                .filter(|h| h.category == category && !h.negated)
                .cloned()
                .collect();
            let c = &mut counts[slot];
            match (label == Label::Yes, !counted.is_empty()) {
                (true, true) => c.tp += 1,
                (false, false) => c.tn += 1,
                (true, false) => {
                    c.fn_ += 1;
                    false_negatives.push(Disagreement {
                        passage,
                        category,
                        label,
                        hits: Vec::new(),
                    });
                }
                (false, true) => {
                    c.fp += 1;
                    false_positives.push(Disagreement {
                        passage,
                        category,
                        label,
                        hits: counted,
                    });
                }
            }
        }
    }
    Evaluation {
        categories: labelled.categories.iter().copied().zip(counts).collect(),
        false_negatives,
        false_positives,
    }
}

/// The table `rules eval` prints: one line per category and the macro F1.
pub fn table(set: &RuleSet, evaluation: &Evaluation<'_>) -> String {
    let mut out = format!(
        "{:<14} {:>5} {:>5} {:>5} {:>5} {:>5} {:>9} {:>7} {:>6}\n",
        "category", "gold", "found", "tp", "fp", "fn", "precision", "recall", "f1"
    );
    for (index, c) in &evaluation.categories {
        out.push_str(&format!(
            "{:<14} {:>5} {:>5} {:>5} {:>5} {:>5} {:>9.3} {:>7.3} {:>6.3}\n",
            set.categories[*index].id,
            c.gold(),
            c.predicted(),
            c.tp,
            c.fp,
            c.fn_,
            c.precision(),
            c.recall(),
            c.f1()
        ));
    }
    out.push_str(&format!(
        "macro F1 {:.3} over {} categories\n",
        evaluation.macro_f1(),
        evaluation.categories.len()
    ));
    out
}

/// The disagreements of `category` (every category when `None`), for `--errors`: each
/// false positive with the rule, term and sentence of every counted hit, each false
/// negative with its passage and the coder's note.
pub fn errors(set: &RuleSet, evaluation: &Evaluation<'_>, category: Option<usize>) -> String {
    let mut out = String::new();
    let wanted = |d: &&Disagreement<'_>| category.is_none_or(|c| c == d.category);
    for d in evaluation.false_positives.iter().filter(wanted) {
        let label = match d.label {
            Label::Negated => " (coded -1: only negated)",
            _ => "",
        };
        out.push_str(&format!(
            "FP {} {} (line {}){label}\n",
            set.categories[d.category].id, d.passage.id, d.passage.line
        ));
        let mut seen = Vec::new();
        for hit in &d.hits {
            let key = (&*hit.rule, &*hit.term, hit.sentence_start);
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
            out.push_str(&format!(
                "   {} \"{}\" matched \"{}\": {}\n",
                hit.rule,
                hit.term,
                one_line(&hit.matched),
                one_line(&hit.sentence)
            ));
        }
    }
    for d in evaluation.false_negatives.iter().filter(wanted) {
        out.push_str(&format!(
            "FN {} {} (line {})\n   {}\n",
            set.categories[d.category].id,
            d.passage.id,
            d.passage.line,
            one_line(&d.passage.text)
        ));
        if let Some(note) = &d.passage.note {
            out.push_str(&format!("   note: {}\n", one_line(note)));
        }
    }
    out
}

/// Text on one line, with control characters shown as spaces, for a terminal.
fn one_line(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set() -> RuleSet {
        RuleSet::from_sources(&[(
            "t.toml".into(),
            r#"
id = "t"
label = "T"
[[category]]
id = "goals"
label = "Doelen"
  [[category.rule]]
  id = "goals.doel"
  terms = ["doelen"]
  match = ["a", "b"]
  no_match = ["c"]
[[category]]
id = "evaluation"
label = "Evaluatie"
  [[category.rule]]
  id = "evaluation.evalueren"
  terms = ["*evalu*"]
  match = ["a", "b"]
  no_match = ["c"]
"#
            .into(),
        )])
        .unwrap()
    }

    #[test]
    fn counts_a_negated_mention_as_no_evidence() {
        let set = set();
        let tsv = "id\tgoals\tevaluation\ttext\n\
                   a\t1\t-1\tWe stellen doelen. Er wordt niet geëvalueerd.\n\
                   b\t0\t1\tHet plan wordt geëvalueerd.\n\
                   c\t1\t0\tDe ambitie is hoog.\n";
        let labelled = parse("x.tsv", tsv.as_bytes(), &set).unwrap();
        let eval = evaluate(&set, &labelled);
        let goals = eval.counts(&set, "goals").unwrap();
        let evaluation = eval.counts(&set, "evaluation").unwrap();
        assert_eq!((goals.tp, goals.fp, goals.fn_, goals.tn), (1, 0, 1, 1));
        assert_eq!(
            (evaluation.tp, evaluation.fp, evaluation.fn_, evaluation.tn),
            (1, 0, 0, 2)
        );
        assert!((goals.f1() - 2.0 / 3.0).abs() < 1e-9);
        assert!((eval.macro_f1() - (2.0 / 3.0 + 1.0) / 2.0).abs() < 1e-9);
        assert_eq!(eval.false_negatives.len(), 1);
        assert_eq!(eval.false_negatives[0].passage.id, "c");
    }

    #[test]
    fn a_false_positive_names_the_rule_term_and_sentence() {
        let set = set();
        let tsv = "id\tgoals\tevaluation\tnote\ttext\n\
                   a\t0\t0\t\tDe leerlingen leren doelen stellen. Daarna spelen ze.\n";
        let labelled = parse("x.tsv", tsv.as_bytes(), &set).unwrap();
        let eval = evaluate(&set, &labelled);
        let report = errors(&set, &eval, None);
        assert!(report.contains("FP goals a (line 2)"), "{report}");
        assert!(
            report.contains(
                "goals.doel \"doelen\" matched \"doelen\": De leerlingen leren doelen stellen."
            ),
            "{report}"
        );
    }

    #[test]
    fn a_false_negative_shows_the_note() {
        let set = set();
        let tsv = "id\tgoals\tevaluation\tnote\ttext\n\
                   a\t0\t1\tkijken terug\tIn juni kijken we terug op het jaar.\n";
        let labelled = parse("x.tsv", tsv.as_bytes(), &set).unwrap();
        let eval = evaluate(&set, &labelled);
        let report = errors(&set, &eval, Some(1));
        assert!(report.contains("FN evaluation a (line 2)"), "{report}");
        assert!(report.contains("note: kijken terug"), "{report}");
        assert!(errors(&set, &eval, Some(0)).is_empty());
    }

    #[test]
    fn rejects_a_label_column_the_rule_set_lacks() {
        let set = set();
        let tsv = "id\tgoals\townership\ttext\na\t1\t0\tOns doel.\n";
        let problems = parse("x.tsv", tsv.as_bytes(), &set).unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].starts_with("x.tsv:1: column `ownership` holds labels"),
            "{problems:?}"
        );
    }

    #[test]
    fn reports_every_bad_cell_with_its_line() {
        let set = set();
        let tsv = "id\tgoals\tevaluation\ttext\n\
                   a\t1\t2\tEen.\n\
                   b\tja\t0\tTwee.\n\
                   a\t0\t0\tDrie.\n\
                   d\t0\n";
        let problems = parse("x.tsv", tsv.as_bytes(), &set).unwrap_err();
        assert_eq!(
            problems,
            vec![
                "x.tsv:2: evaluation: `2` is not a label (1, 0 or -1)",
                "x.tsv:3: goals: `ja` is not a label (1, 0 or -1)",
                "x.tsv:4: id `a` is used before, on line 2",
                "x.tsv:5: 2 cells, the header has 4",
            ]
        );
    }

    #[test]
    fn needs_id_and_text_columns() {
        let set = set();
        let problems = parse("x.tsv", b"sentence\tgoals\nOns doel.\t1\n", &set).unwrap_err();
        assert!(
            problems.iter().any(|p| p.contains("no `id` column")),
            "{problems:?}"
        );
        assert!(
            problems.iter().any(|p| p.contains("no `text` column")),
            "{problems:?}"
        );
    }

    #[test]
    fn scores_only_the_categories_the_file_codes() {
        let set = set();
        let tsv = "\u{feff}id\ttext\tgoals\na\tOns doel is leren.\t0\n";
        let labelled = parse("x.tsv", tsv.as_bytes(), &set).unwrap();
        assert_eq!(labelled.categories, vec![0]);
        assert_eq!(labelled.unlabelled, vec!["evaluation".to_string()]);
    }
}
