//! Runs documents through extract → match → score, in parallel, and hands the outcomes to
//! a sink in sorted path order. This is the only module that knows about threads and the
//! progress bar.
//!
//! Documents are processed in chunks: each chunk is a rayon `par_iter` whose results are
//! collected in input order and streamed to the sink before the next chunk starts. Memory
//! is bounded by the chunk, not by the number of documents, and the output order does not
//! depend on thread timing.
//!
//! A run can be interrupted (SIGINT, SIGTERM; see [`crate::stop::stop_on_signal`]): no new document is
//! started, the documents in progress finish, and [`run`] returns with
//! [`Totals::interrupted`] set, so that the caller drops its temporary report files instead
//! of moving them into place. A second signal exits at once.

use crate::cache::{self, Cache};
use crate::extract::{self, Extraction, count_words};
use crate::matcher;
use crate::outcome::{self, Outcome, Status};
use crate::rules::RuleSet;
use crate::score;
use crate::stop::interrupted;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use std::cell::RefCell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Settings of a batch run.
pub struct Batch<'a> {
    pub rules: &'a RuleSet,
    pub extract: &'a extract::Options,
    pub jobs: usize,
    pub progress: bool,
    /// The extraction cache (`--cache`), and whether cached failures are tried again.
    pub cache: Option<&'a Cache>,
    pub retry_failed: bool,
    /// With `--isolate`: extract in these worker processes instead of in this one.
    pub isolate: Option<&'a crate::isolate::Pool>,
}

impl<'a> Batch<'a> {
    /// One document at a time, in this process, without a cache: `explain` and tests.
    pub fn single(rules: &'a RuleSet, extract: &'a extract::Options) -> Batch<'a> {
        Batch {
            rules,
            extract,
            jobs: 1,
            progress: false,
            cache: None,
            retry_failed: false,
            isolate: None,
        }
    }
}

/// Totals of a finished run, for the summary line.
#[derive(Debug, Default, Clone)]
pub struct Totals {
    pub documents: usize,
    pub by_status: [usize; Status::ALL.len()],
    pub pages: u64,
    pub elapsed: Duration,
    /// The run stopped early on a signal; the totals cover only part of the documents.
    pub interrupted: bool,
}

impl Totals {
    fn add(&mut self, outcome: &Outcome) {
        self.documents += 1;
        self.pages += u64::from(outcome.pages);
        let index = Status::ALL
            .iter()
            .position(|s| *s == outcome.status)
            .expect("every status is listed");
        self.by_status[index] += 1;
    }

    pub fn count(&self, status: Status) -> usize {
        self.by_status[Status::ALL.iter().position(|s| *s == status).unwrap_or(0)]
    }

    /// "12 documents (10 ok, 1 no_text, 1 error), 345 pages in 2.1 s"
    pub fn summary(&self) -> String {
        let parts: Vec<String> = Status::ALL
            .iter()
            .zip(self.by_status)
            .filter(|(_, n)| *n > 0)
            .map(|(s, n)| format!("{n} {}", s.as_str()))
            .collect();
        format!(
            "{} ({}), {} in {:.2} s",
            crate::plural::count(self.documents as u64, "document"),
            if parts.is_empty() {
                "none".into()
            } else {
                parts.join(", ")
            },
            crate::plural::count(self.pages, "page"),
            self.elapsed.as_secs_f64()
        )
    }
}

/// Processes `documents` and calls `sink` once per document, in the order given.
pub fn run<E>(
    documents: &[PathBuf],
    batch: &Batch<'_>,
    mut sink: impl FnMut(&Outcome) -> Result<(), E>,
) -> Result<Totals, E> {
    let started = Instant::now();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(batch.jobs)
        // PDF parsing goes deep on nested structures; the default 2 MiB is not much.
        .stack_size(16 << 20)
        .build()
        .expect("a thread pool can be built");
    let bar = progress_bar(
        documents.len() as u64,
        batch.progress,
        batch.extract.ocr.is_some(),
    );
    install_quiet_panic_hook();
    let mut totals = Totals::default();
    // Large enough to keep every thread busy past a slow document, small enough that the
    // hits held in memory do not grow with the size of the batch.
    let chunk = batch.jobs.max(1) * 16;
    for group in documents.chunks(chunk) {
        let outcomes: Vec<Option<Outcome>> = pool.install(|| {
            group
                .par_iter()
                .map(|path| {
                    if interrupted() {
                        return None;
                    }
                    let outcome = process(path, batch);
                    bar.inc(1);
                    Some(outcome)
                })
                .collect()
        });
        if interrupted() {
            totals.interrupted = true;
            break;
        }
        for outcome in outcomes.iter().flatten() {
            totals.add(outcome);
            sink(outcome)?;
        }
        let seconds = started.elapsed().as_secs_f64().max(1e-3);
        bar.set_message(format!("{:.0} pages/s", totals.pages as f64 / seconds));
    }
    bar.finish_and_clear();
    totals.elapsed = started.elapsed();
    Ok(totals)
}

/// Processes one document. Infallible by signature: a panic anywhere inside becomes this
/// document's `error` row.
pub fn process(path: &Path, batch: &Batch<'_>) -> Outcome {
    process_with(path, batch.rules, |p| match batch.isolate {
        Some(workers) => workers.extract(p),
        None => {
            let (mut extraction, sha256) =
                cache::extract_cached(p, batch.extract, batch.cache, batch.retry_failed);
            extraction.sha256 = sha256.unwrap_or_default();
            extraction
        }
    })
}

/// [`process`] with another way to extract, such as a worker process (`--isolate`).
pub fn process_with(
    path: &Path,
    rules: &RuleSet,
    extract: impl FnOnce(&Path) -> Extraction,
) -> Outcome {
    let result = catch_unwind(AssertUnwindSafe(|| {
        let extraction = extract(path);
        evaluate(path, extraction, rules)
    }));
    result.unwrap_or_else(|_| {
        let reason = LAST_PANIC
            .with(|p| p.borrow_mut().take())
            .unwrap_or_else(|| "unknown".into());
        let extraction = Extraction::failed(
            extract::Format::from_extension(path),
            Status::Error,
            format!("internal error (please report): {reason}"),
        );
        evaluate(path, extraction, rules)
    })
}

/// Matches and scores an extraction.
pub fn evaluate(path: &Path, extraction: Extraction, rules: &RuleSet) -> Outcome {
    let hits = matcher::hits(rules, &extraction.pages);
    // No text is no evidence either way: such a document gets no verdict.
    let score = if extraction.has_text() {
        score::score(rules, &hits)
    } else {
        score::unread(rules)
    };
    let pages = extraction.pages.len() as u32;
    let words = extraction.pages.iter().map(|p| count_words(&p.text)).sum();
    let note = outcome::little_text_note(&extraction, words);
    Outcome {
        path: path.to_path_buf(),
        format: extraction.format,
        status: extraction.status,
        error: outcome::with_note(extraction.message, note),
        sha256: extraction.sha256,
        pages,
        words,
        hits,
        score,
        ocr_pages: extraction
            .pages
            .iter()
            .filter(|p| p.ocr)
            .map(|p| p.number)
            .collect(),
    }
}

thread_local! {
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Keeps panic messages off the terminal (they would tear through the progress bar) and
/// hands them to [`process`], which puts them in the document's row.
fn install_quiet_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            let message = crate::extract::one_line(&info.to_string());
            LAST_PANIC.with(|p| *p.borrow_mut() = Some(message));
        }));
    });
}

/// The bar; with `ocr` it also counts the pages OCR has read, which moves while one long
/// scan is read (documents only count when they are done).
fn progress_bar(len: u64, enabled: bool, ocr: bool) -> ProgressBar {
    use std::io::IsTerminal;
    if !enabled || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    let template = if ocr {
        "{bar:40.cyan/blue} {pos}/{len} documents · {ocr} pages read by OCR · {msg} · {elapsed} (ETA {eta})"
    } else {
        "{bar:40.cyan/blue} {pos}/{len} documents · {msg} · {elapsed} (ETA {eta})"
    };
    let before = extract::ocr::pages_recognised();
    bar.set_style(
        ProgressStyle::with_template(template)
            .expect("the template is valid")
            .with_key(
                "ocr",
                move |_: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{}", extract::ocr::pages_recognised() - before);
                },
            ),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}
