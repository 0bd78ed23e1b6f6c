//! `borging rules check|test|bench`: the rule author's tools. The command line only parses
//! arguments; the work is in [`RuleSet::load`], [`super::examples::test_examples`] and
//! [`bench`], so tests call the same code.

use super::{DEFAULT, RuleSet, eval, examples};
use crate::extract::{self, Options, Page};
use crate::plural::{count, count_as};
use crate::{matcher, score};
use clap::Subcommand;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(Debug, Subcommand)]
pub enum Action {
    /// Validates a rule file or folder: every problem with file, line and rule id. Exit 2
    /// when there is any.
    Check {
        /// A rule file or a folder of them [default: the bundled rules].
        #[arg(value_name = "PATH")]
        path: Option<PathBuf>,
    },
    /// Runs every rule's example sentences; reports per rule ok, missing, noisy or not
    /// negated. Exit 1 when any fails.
    Test {
        /// A rule file or a folder of them [default: the bundled rules].
        #[arg(value_name = "PATH")]
        path: Option<PathBuf>,
    },
    /// Scores the rules against hand-coded passages: precision, recall and F1 per category
    /// and the macro F1. Exit 2 on a bad file or a label column the rule set lacks.
    Eval {
        /// A TSV with a header: `id`, `text`, and one column per category holding 1
        /// (evidence), 0 (none) or -1 (only negated mentions); `note` is shown with misses;
        /// other columns are ignored.
        #[arg(value_name = "LABELLED.tsv")]
        file: PathBuf,
        /// A rule file or a folder of them [default: the bundled rules].
        #[arg(long, value_name = "PATH")]
        rules: Option<PathBuf>,
        /// Also list every disagreement: each false positive with the rule, term and
        /// sentence that fired, each false negative with its passage and note. With a
        /// category, only that category's.
        #[arg(long, value_name = "CATEGORY", num_args = 0..=1, default_missing_value = "")]
        errors: Option<String>,
    },
    /// Measures matching speed on one core: extracts the files once, compiles the rules,
    /// matches the text once to warm up, then repeatedly, and prints MB/s and matching's
    /// share of the time.
    Bench {
        /// A rule file or a folder of them [default: the bundled rules].
        #[arg(long, value_name = "PATH")]
        rules: Option<PathBuf>,
        /// How often the text is matched.
        #[arg(long, value_name = "N", default_value_t = 5)]
        repeat: usize,
        /// Documents whose text is used (.pdf, .txt, .md).
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
}

/// Loads `path`, or the bundled rules when there is none.
pub fn load(path: Option<&Path>) -> Result<RuleSet, Vec<super::RuleError>> {
    match path {
        Some(path) => RuleSet::load(path),
        None => {
            RuleSet::from_sources(&[(format!("{} (bundled)", DEFAULT.0), DEFAULT.1.to_string())])
        }
    }
}

/// Runs a `rules` action and returns the exit code; setup problems are `Err` (exit 2).
pub fn run(action: Action) -> Result<ExitCode, Vec<String>> {
    let mut out = std::io::stdout().lock();
    match action {
        Action::Check { path } => {
            let set = load(path.as_deref())
                .map_err(|errors| errors.iter().map(ToString::to_string).collect::<Vec<_>>())?;
            let _ = writeln!(
                out,
                "ok: {} ({}, {}, {})",
                set.sources.join(", "),
                count_as(set.categories.len() as u64, "category", "categories"),
                count(set.rule_count() as u64, "rule"),
                count(set.verdicts.len() as u64, "verdict")
            );
            Ok(ExitCode::SUCCESS)
        }
        Action::Test { path } => {
            let set = load(path.as_deref())
                .map_err(|errors| errors.iter().map(ToString::to_string).collect::<Vec<_>>())?;
            let reports = examples::test_examples(&set);
            let mut failed = 0;
            for report in &reports {
                if report.ok() {
                    let _ = writeln!(
                        out,
                        "ok      {} ({})",
                        report.rule,
                        count(report.examples as u64, "example")
                    );
                } else {
                    failed += 1;
                    for problem in &report.problems {
                        let _ = writeln!(
                            out,
                            "FAILED  {} ({}:{}): {problem}",
                            report.rule, report.file, report.line
                        );
                    }
                }
            }
            let _ = writeln!(
                out,
                "{}: {} ok, {failed} failed",
                count(reports.len() as u64, "rule"),
                reports.len() - failed
            );
            Ok(if failed == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Action::Eval {
            file,
            rules,
            errors,
        } => {
            let set = load(rules.as_deref())
                .map_err(|errors| errors.iter().map(ToString::to_string).collect::<Vec<_>>())?;
            let only = match errors.as_deref() {
                None | Some("") => None,
                Some(id) => Some(set.categories.iter().position(|c| c.id == id).ok_or_else(
                    || {
                        vec![format!(
                            "--errors {id}: the rule set has no category `{id}` (it has: {})",
                            set.categories
                                .iter()
                                .map(|c| c.id.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        )]
                    },
                )?),
            };
            let labelled = eval::read(&file, &set)?;
            let evaluation = eval::evaluate(&set, &labelled);
            let _ = writeln!(
                out,
                "rules: {}\npassages: {} ({})",
                set.sources.join(", "),
                labelled.passages.len(),
                file.display()
            );
            if !labelled.unlabelled.is_empty() {
                let _ = writeln!(
                    out,
                    "not coded in the file, not scored: {}",
                    labelled.unlabelled.join(", ")
                );
            }
            let _ = write!(out, "\n{}", eval::table(&set, &evaluation));
            if errors.is_some() {
                let _ = write!(out, "\n{}", eval::errors(&set, &evaluation, only));
            }
            Ok(ExitCode::SUCCESS)
        }
        Action::Bench {
            rules,
            repeat,
            files,
        } => {
            let set = load(rules.as_deref())
                .map_err(|errors| errors.iter().map(ToString::to_string).collect::<Vec<_>>())?;
            // A file that is not there would measure nothing and print 0 MB/s as a result.
            let missing: Vec<String> = files
                .iter()
                .filter(|f| !f.is_file())
                .map(|f| format!("{}: no such file", f.display()))
                .collect();
            if !missing.is_empty() {
                return Err(missing);
            }
            let result = bench(&set, &files, repeat.max(1));
            if result.bytes == 0 {
                return Err(vec![
                    "no text in the files given: nothing to measure (scans or unreadable files?)"
                        .into(),
                ]);
            }
            let _ = writeln!(out, "{result}");
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// What `rules bench` measured.
#[derive(Debug, Clone)]
pub struct Bench {
    pub files: usize,
    pub pages: usize,
    pub bytes: usize,
    pub hits: usize,
    /// Seconds to extract all files once (CPU time when `cpu_time`).
    pub extract_secs: f64,
    /// Seconds for one matching (and scoring) pass over all the text: the thread's CPU
    /// time over all passes divided by their number, where the system reports it (a busy
    /// machine does not slow it), else the best pass's wall time. Not the best pass's CPU
    /// time: the kernel brings a running thread's CPU time up to date only at a
    /// scheduler tick (a few milliseconds), so a single short pass can read too low.
    pub match_secs: f64,
    /// Wall-clock seconds of the best pass.
    pub wall_secs: f64,
    /// Whether `match_secs` is CPU time.
    pub cpu_time: bool,
    pub repeat: usize,
}

impl Bench {
    pub fn mb_per_sec(&self) -> f64 {
        self.bytes as f64 / 1e6 / self.match_secs.max(1e-9)
    }
}

impl std::fmt::Display for Bench {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let share = 100.0 * self.match_secs / (self.match_secs + self.extract_secs).max(1e-9);
        write!(
            f,
            "text: {:.2} MB in {} of {}, {}\n\
             extraction: {:.3} s {} (once)\n\
             matching: {:.4} s {} per pass ({} of {} passes; best wall clock {:.4} s): \
             {:.1} MB/s on one core\n\
             matching share of extraction + matching: {share:.1}%",
            self.bytes as f64 / 1e6,
            count(self.pages as u64, "page"),
            count(self.files as u64, "file"),
            count(self.hits as u64, "hit"),
            self.extract_secs,
            if self.cpu_time {
                "CPU time"
            } else {
                "wall clock"
            },
            self.match_secs,
            if self.cpu_time {
                "CPU time"
            } else {
                "wall clock"
            },
            if self.cpu_time { "mean" } else { "best" },
            self.repeat,
            self.wall_secs,
            self.mb_per_sec()
        )
    }
}

/// Extracts `files` once, then matches and scores their pages `repeat` times on this
/// thread; the matching time is the best pass, the least disturbed by other work.
pub fn bench(set: &RuleSet, files: &[PathBuf], repeat: usize) -> Bench {
    let options = Options::default();
    let started = Instant::now();
    let cpu_started = thread_cpu_ns();
    let documents: Vec<Vec<Page>> = files
        .iter()
        .map(|f| extract::extract_file(f, &options).pages)
        .collect();
    let extract_wall = started.elapsed().as_secs_f64();
    let extract_cpu = cpu_started
        .zip(thread_cpu_ns())
        .map(|(from, to)| to.saturating_sub(from) as f64 / 1e9);
    let bytes = documents
        .iter()
        .flatten()
        .map(|p| p.text.len())
        .sum::<usize>();
    // Setup is not matching: the automaton is built before the clock starts, and one pass
    // goes unmeasured so that the regex engines' caches and the matcher's buffers are
    // filled (the first pass of a run otherwise carried the whole automaton build).
    set.prepare();
    for pages in &documents {
        std::hint::black_box(score::score(set, &matcher::hits(set, pages)));
    }
    let mut best = f64::INFINITY;
    let mut hits = 0;
    let cpu_started = thread_cpu_ns();
    for _ in 0..repeat {
        let started = Instant::now();
        hits = 0;
        for pages in &documents {
            let found = matcher::hits(set, pages);
            let scored = score::score(set, &found);
            hits += found.len();
            std::hint::black_box(scored);
        }
        best = best.min(started.elapsed().as_secs_f64());
    }
    let mean_cpu = cpu_started.zip(thread_cpu_ns()).map_or(0.0, |(from, to)| {
        to.saturating_sub(from) as f64 / 1e9 / repeat as f64
    });
    let cpu_time = mean_cpu > 0.0 && extract_cpu.is_some();
    let extract_secs = match extract_cpu {
        Some(cpu) if cpu_time => cpu,
        _ => extract_wall,
    };
    Bench {
        files: files.len(),
        pages: documents.iter().map(Vec::len).sum(),
        bytes,
        hits,
        extract_secs,
        match_secs: if cpu_time { mean_cpu } else { best },
        wall_secs: best,
        cpu_time,
        repeat,
    }
}

/// Nanoseconds the current thread has spent on a CPU (Linux `schedstat`), so that the
/// figure is per core even when other work shares the machine.
fn thread_cpu_ns() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok()
}
