//! The group summary (`--summary`): one row per folder, for a programme manager who wants
//! one line per pilot, school or municipality rather than one per file.
//!
//! A group is the parent folder of each document, or with `--group-by-depth N` the first
//! N folders of its path. The verdict of a group is computed over the union of its
//! documents' evidence: a pilot shows borging when its documents together do.

use super::{CsvReport, Dialect, guard};
use crate::outcome::{Outcome, Status};
use crate::rules::RuleSet;
use crate::score;
use std::collections::BTreeMap;
use std::path::{Component, Path};

/// How documents are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    /// The folder that holds the document.
    Parent,
    /// The first N folders of the document's path.
    Depth(usize),
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
        let key = group_of(&outcome.path, self.by);
        let group = self.groups.entry(key).or_insert_with(|| Group {
            with_evidence: vec![0; self.categories],
            ..Group::default()
        });
        group.documents += 1;
        group.pages += u64::from(outcome.pages);
        if let Some(i) = Status::ALL.iter().position(|s| *s == outcome.status) {
            group.by_status[i] += 1;
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
        for (name, group) in &self.groups {
            let mut row = vec![
                guard(name),
                group.documents.to_string(),
                group.pages.to_string(),
            ];
            row.extend(group.by_status.iter().map(usize::to_string));
            for &count in &group.with_evidence {
                row.push(share(count, group.documents, dialect));
            }
            let has: Vec<bool> = group.with_evidence.iter().map(|&n| n > 0).collect();
            let (verdict, missing) = score::verdict(rules, &has);
            row.push(guard(&verdict));
            row.push(missing.join(";"));
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
    /// Documents with counted evidence, per category.
    pub with_evidence: &'a [usize],
    /// The denominator of the shares.
    pub of: usize,
    pub verdict: String,
    pub missing: Vec<String>,
}

impl Summary {
    /// The groups, sorted by name, with their verdict over the union of their evidence.
    pub fn groups<'a>(&'a self, rules: &RuleSet) -> Vec<GroupView<'a>> {
        self.groups
            .iter()
            .map(|(name, group)| {
                let has: Vec<bool> = group.with_evidence.iter().map(|&n| n > 0).collect();
                let (verdict, missing) = score::verdict(rules, &has);
                GroupView {
                    name,
                    documents: group.documents,
                    pages: group.pages,
                    by_status: &group.by_status,
                    with_evidence: &group.with_evidence,
                    of: group.documents,
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
    header.extend(rules.categories.iter().map(|c| format!("{}_share", c.id)));
    header.push("verdict".into());
    header.push("missing".into());
    header
}

fn group_of(path: &Path, by: GroupBy) -> String {
    let parent = path.parent().unwrap_or(Path::new(""));
    let folder = match by {
        GroupBy::Parent => parent.to_path_buf(),
        GroupBy::Depth(n) => parent
            .components()
            .filter(|c| !matches!(c, Component::CurDir))
            .take(n)
            .collect(),
    };
    let name = folder.display().to_string();
    if name.is_empty() { ".".into() } else { name }
}

/// A share with three decimals; Dutch Excel expects a decimal comma.
fn share(count: usize, of: usize, dialect: Dialect) -> String {
    let value = if of == 0 {
        0.0
    } else {
        count as f64 / of as f64
    };
    let text = format!("{value:.3}");
    match dialect {
        Dialect::Excel => text.replace('.', ","),
        Dialect::Plain => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_by_parent_folder_or_leading_folders() {
        let path = Path::new("pilots/utrecht/2024/verslag.pdf");
        assert_eq!(group_of(path, GroupBy::Parent), "pilots/utrecht/2024");
        assert_eq!(group_of(path, GroupBy::Depth(2)), "pilots/utrecht");
        assert_eq!(group_of(Path::new("plan.pdf"), GroupBy::Parent), ".");
        assert_eq!(group_of(Path::new("./a/plan.pdf"), GroupBy::Depth(1)), "a");
    }

    #[test]
    fn share_uses_a_decimal_comma_for_excel() {
        assert_eq!(share(2, 3, Dialect::Plain), "0.667");
        assert_eq!(share(2, 3, Dialect::Excel), "0,667");
        assert_eq!(share(0, 0, Dialect::Plain), "0.000");
    }
}
