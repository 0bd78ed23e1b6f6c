//! The group summary (`--summary`): one row per folder, for a programme manager who wants
//! one line per pilot, school or municipality rather than one per file.
//!
//! A group is the first folder below the folder given on the command line that holds the
//! document (a pilot, with its subfolders), or with `--group-depth N` the first N folders
//! below it. Depth counts from each folder given, so `scan /data/pm/pilots` groups by
//! pilot, not by `/data`; a document directly in the folder given, or a file given by
//! name, is grouped under its own folder. Group names are written as the paths in the
//! `path` column start, so the two join. The verdict of a group is computed over the union of its
//! documents' evidence: a pilot shows borging when its documents together do.
//!
//! Documents whose text could not be read (`error`, `encrypted`, `no_text`) are counted in
//! `unreadable` and left out of the shares: an unread plan is not a plan without evidence.
//! A group of unreadable documents only has no verdict.

use super::{CsvReport, Dialect, guard};
use crate::outcome::{Outcome, Status};
use crate::rules::RuleSet;
use crate::safe_text::path_text;
use crate::score;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// How documents are grouped: by the first `depth` folders below the input (a file or
/// folder given on the command line) that holds them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupBy {
    pub depth: usize,
    /// The paths given on the command line, in the order given.
    pub inputs: Vec<PathBuf>,
}

/// Per-group totals, built while the run streams by; memory grows with the number of
/// groups, not of documents.
#[derive(Debug)]
pub struct Summary {
    by: GroupBy,
    categories: usize,
    groups: BTreeMap<String, Group>,
}

#[derive(Debug, Clone, Default)]
struct Group {
    documents: usize,
    pages: u64,
    by_status: [usize; Status::ALL.len()],
    /// Documents whose text could not be read, left out of the shares.
    unreadable: usize,
    /// Documents with counted evidence, per category.
    with_evidence: Vec<usize>,
}

impl Summary {
    pub fn new(rules: &RuleSet, by: GroupBy) -> Summary {
        Summary {
            by,
            categories: rules.categories.len(),
            groups: BTreeMap::new(),
        }
    }

    pub fn add(&mut self, outcome: &Outcome) {
        let key = group_of(&outcome.path, &self.by);
        let group = self.groups.entry(key).or_insert_with(|| Group {
            with_evidence: vec![0; self.categories],
            ..Group::default()
        });
        group.documents += 1;
        group.pages += u64::from(outcome.pages);
        if let Some(i) = Status::ALL.iter().position(|s| *s == outcome.status) {
            group.by_status[i] += 1;
        }
        if !outcome.score.was_read() {
            group.unreadable += 1;
            return;
        }
        for (count, category) in group
            .with_evidence
            .iter_mut()
            .zip(&outcome.score.categories)
        {
            if category.hits > 0 {
                *count += 1;
            }
        }
    }

    /// Writes one row per group, sorted by group name.
    pub fn write(
        &self,
        rules: &RuleSet,
        report: &mut CsvReport,
        dialect: Dialect,
    ) -> std::io::Result<()> {
        for group in self.groups(rules) {
            let mut row = vec![
                // A path, written exactly like the `path` column, which it begins.
                group.name.to_string(),
                group.documents.to_string(),
                group.pages.to_string(),
            ];
            row.extend(group.by_status.iter().map(usize::to_string));
            row.push(group.unreadable.to_string());
            for &count in group.with_evidence {
                row.push(share(count, group.of, dialect));
            }
            row.push(guard(group.verdict.as_deref().unwrap_or("")));
            row.push(group.missing.join(";"));
            report.row(&row)?;
        }
        Ok(())
    }
}

/// One group as the reports show it; the HTML report reads the numbers the CSV writes.
#[derive(Debug)]
pub struct GroupView<'a> {
    pub name: &'a str,
    pub documents: usize,
    pub pages: u64,
    /// Documents per status, in [`Status::ALL`] order.
    pub by_status: &'a [usize],
    /// Documents whose text could not be read: not in the shares.
    pub unreadable: usize,
    /// Read documents with counted evidence, per category.
    pub with_evidence: &'a [usize],
    /// The denominator of the shares: the documents whose text was read.
    pub of: usize,
    /// The verdict over the union of the read documents' evidence; `None` when no
    /// document of the group could be read.
    pub verdict: Option<String>,
    /// Required categories without evidence; empty without a verdict.
    pub missing: Vec<String>,
}

impl Summary {
    /// The groups, sorted by name, with their verdict over the union of their evidence.
    pub fn groups<'a>(&'a self, rules: &RuleSet) -> Vec<GroupView<'a>> {
        self.groups
            .iter()
            .map(|(name, group)| {
                let of = group.documents - group.unreadable;
                let (verdict, missing) = if of == 0 {
                    (None, Vec::new())
                } else {
                    let has: Vec<bool> = group.with_evidence.iter().map(|&n| n > 0).collect();
                    let (verdict, missing) = score::verdict(rules, &has);
                    (Some(verdict), missing)
                };
                GroupView {
                    name,
                    documents: group.documents,
                    pages: group.pages,
                    by_status: &group.by_status,
                    unreadable: group.unreadable,
                    with_evidence: &group.with_evidence,
                    of,
                    verdict,
                    missing,
                }
            })
            .collect()
    }
}

/// The header of the summary CSV.
pub fn header(rules: &RuleSet) -> Vec<String> {
    let mut header: Vec<String> = vec!["group".into(), "documents".into(), "pages".into()];
    header.extend(Status::ALL.iter().map(|s| s.as_str().to_string()));
    header.push("unreadable".into());
    header.extend(rules.categories.iter().map(|c| format!("{}_share", c.id)));
    header.push("verdict".into());
    header.push("missing".into());
    header
}

fn group_of(path: &Path, by: &GroupBy) -> String {
    let parent = path.parent().unwrap_or(Path::new(""));
    // The first input that holds the document, in the order given, as discovery lists a
    // file under the first input that reaches it.
    let input = by
        .inputs
        .iter()
        .find(|input| parent.starts_with(input) && path != input.as_path());
    let folder: PathBuf = match input {
        Some(input) => {
            let below = parent.strip_prefix(input).unwrap_or(Path::new(""));
            // Components, not the input as typed: `./pilots/` and `./pilots` are one group,
            // written `./pilots` as the `path` column begins.
            input
                .components()
                .chain(below.components().take(by.depth))
                .collect()
        }
        None => parent.components().collect(),
    };
    let name = path_text(&folder);
    if name.is_empty() { ".".into() } else { name }
}

/// A share with three decimals; Dutch Excel expects a decimal comma. Empty when there is
/// nothing to share out (every document unreadable): not a share of 0.
fn share(count: usize, of: usize, dialect: Dialect) -> String {
    if of == 0 {
        return String::new();
    }
    let text = format!("{:.3}", count as f64 / of as f64);
    match dialect {
        Dialect::Excel => text.replace('.', ","),
        Dialect::Plain => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn by(depth: usize, inputs: &[&str]) -> GroupBy {
        GroupBy {
            depth,
            inputs: inputs.iter().map(PathBuf::from).collect(),
        }
    }

    #[test]
    fn depth_counts_from_the_input_that_holds_the_document() {
        let path = Path::new("/data/pm/pilots/utrecht/2024/verslag.pdf");
        let inputs = ["/data/pm/pilots"];
        assert_eq!(group_of(path, &by(1, &inputs)), "/data/pm/pilots/utrecht");
        assert_eq!(
            group_of(path, &by(2, &inputs)),
            "/data/pm/pilots/utrecht/2024"
        );
        assert_eq!(
            group_of(path, &by(5, &inputs)),
            "/data/pm/pilots/utrecht/2024"
        );
        let top = Path::new("/data/pm/pilots/overzicht.pdf");
        assert_eq!(group_of(top, &by(1, &inputs)), "/data/pm/pilots");
        assert_eq!(group_of(path, &by(0, &inputs)), "/data/pm/pilots");
    }

    #[test]
    fn group_names_start_the_paths_of_their_documents() {
        let path = Path::new("./pilots/a/sub/plan.pdf");
        assert_eq!(group_of(path, &by(1, &["./pilots/"])), "./pilots/a");
        assert_eq!(group_of(Path::new("./a/plan.pdf"), &by(1, &["."])), "./a");
        assert_eq!(group_of(Path::new("plan.pdf"), &by(1, &["plan.pdf"])), ".");
        let named = Path::new("pilots/a/plan.pdf");
        assert_eq!(group_of(named, &by(1, &["pilots/a/plan.pdf"])), "pilots/a");
    }

    #[test]
    fn share_uses_a_decimal_comma_for_excel() {
        assert_eq!(share(2, 3, Dialect::Plain), "0.667");
        assert_eq!(share(2, 3, Dialect::Excel), "0,667");
        assert_eq!(share(0, 0, Dialect::Plain), "");
    }
}
