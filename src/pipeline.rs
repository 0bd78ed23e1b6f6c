//! Runs documents through extract → match → score, in parallel, and hands the outcomes to
//! a sink in sorted path order. This is the only module that knows about threads and the
//! progress bar.
//!
//! Workers (a rayon pool of `--jobs` threads) take the documents in input order, a
//! bounded window of them at a time, and hand each outcome to the calling thread, which
//! writes it as soon as all before it are written (see [`run_prepared`]). Memory is
//! bounded by the window, not by the number of documents, the output order does not depend
//! on thread timing, and no worker waits for another's slow document. With more than one
//! job, setup runs side by side too: the rules compile while the folders are walked
//! ([`side_by_side`]), and the automaton of the rules is built beside the first
//! extractions. `--jobs 1` does its setup one step after the other.
//!
//! A run can be interrupted (SIGINT, SIGTERM; see [`crate::stop::stop_on_signal`]): no new document
//! is started, the documents in progress finish, and [`run`] returns with
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
use std::cell::RefCell;
use std::collections::VecDeque;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex, mpsc};
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

impl Batch<'_> {
    /// Documents in flight or finished but not yet written, at most: enough to keep every
    /// worker busy past a slow document, few enough that the outcomes held (with their
    /// hits) do not grow with the size of the batch.
    pub fn window(&self) -> usize {
        self.jobs.max(1) * 16
    }
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
    run_prepared(documents, batch, |_| (), |outcome, ()| sink(&outcome))
}

/// [`run`] with a step that runs on the workers: `prepare` turns each outcome into what
/// the sink needs (report rows already encoded, say), so that the one thread that writes
/// has as little to do as possible and keeps up with all the others.
///
/// Documents are handed to the workers one at a time, in input order, while at most
/// [`Batch::window`] of them are in flight or finished but not yet written; this thread
/// writes each outcome as soon as those before it are written. No worker waits for a
/// slow document of the others (as with chunks and a barrier), only when the window is
/// full behind one; memory is bounded by the window, not by the number of documents.
pub fn run_prepared<P: Send, E>(
    documents: &[PathBuf],
    batch: &Batch<'_>,
    prepare: impl Fn(&Outcome) -> P + Sync,
    mut sink: impl FnMut(Outcome, P) -> Result<(), E>,
) -> Result<Totals, E> {
    let started = Instant::now();
    let jobs = batch.jobs.max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
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
    let window = batch.window().max(1);
    let gate = Gate::new(window);
    let (send, receive) = mpsc::channel::<(usize, Outcome, P)>();
    let mut totals = Totals::default();
    let mut failure = None;
    std::thread::scope(|background| {
        // The automaton of the rules is built when first needed; without a cache every
        // document needs it, so it is built beside the first extractions instead of holding up
        // the first worker that matches (and every other worker behind it). With a cache a
        // re-run may need only part of it, or none (see src/cache.rs). With `--jobs 1` the
        // worker builds it, as it would with a cache.
        let built_beside = batch.cache.is_none() && jobs > 1 && !documents.is_empty();
        if built_beside {
            background.spawn(|| batch.rules.prepare());
        }
        // Meanwhile a worker goes on extracting (a few documents, well inside the window),
        // rather than wait for it with a finished extraction in hand.
        let building = || built_beside && !batch.rules.is_prepared();
        pool.in_place_scope(|scope| {
            for _ in 0..jobs.min(documents.len()) {
                let send = send.clone();
                let (gate, bar, prepare, building) = (&gate, &bar, &prepare, &building);
                scope.spawn(move |_| {
                    let done = |index: usize, extraction: Extraction| {
                        let outcome = match_one(&documents[index], extraction, batch);
                        let prepared = prepare(&outcome);
                        bar.inc(1);
                        send.send((index, outcome, prepared)).is_ok()
                    };
                    let mut held: Vec<(usize, Extraction)> = Vec::new();
                    while let Some(index) = gate.take(documents.len()) {
                        let extraction = extract_one(&documents[index], batch);
                        if held.len() < HELD_WHILE_BUILDING && building() {
                            held.push((index, extraction));
                            continue;
                        }
                        let sent = held.drain(..).all(|(i, e)| done(i, e));
                        if !sent || !done(index, extraction) {
                            return;
                        }
                    }
                    for (index, extraction) in held {
                        if !done(index, extraction) {
                            return;
                        }
                    }
                });
            }
            drop(send);
            // Outcomes that came before their turn, by index from the next one to write.
            let mut waiting: VecDeque<Option<(Outcome, P)>> = VecDeque::with_capacity(window);
            let mut next = 0;
            for (index, outcome, prepared) in receive {
                if failure.is_some() || interrupted() {
                    gate.stop();
                    continue;
                }
                let slot = index - next;
                if waiting.len() <= slot {
                    waiting.resize_with(slot + 1, || None);
                }
                waiting[slot] = Some((outcome, prepared));
                while let Some(Some(_)) = waiting.front() {
                    let Some(Some((outcome, prepared))) = waiting.pop_front() else {
                        break;
                    };
                    totals.add(&outcome);
                    if let Err(e) = sink(outcome, prepared) {
                        failure = Some(e);
                        gate.stop();
                        break;
                    }
                    next += 1;
                    gate.written(next);
                }
                let seconds = started.elapsed().as_secs_f64().max(1e-3);
                bar.set_message(format!("{:.0} pages/s", totals.pages as f64 / seconds));
            }
        });
    });
    bar.finish_and_clear();
    if let Some(e) = failure {
        return Err(e);
    }
    totals.interrupted = interrupted() || totals.documents < documents.len();
    totals.elapsed = started.elapsed();
    Ok(totals)
}

/// Runs `a` on a second thread while this one runs `b`: setup steps that do not depend on
/// each other. A panic in `a` goes on here. With `jobs` 1, one after the other: a run
/// asked to use one worker gets no helper threads either.
pub fn side_by_side<A: Send, B>(
    jobs: usize,
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B,
) -> (A, B) {
    if jobs <= 1 {
        let a = a();
        return (a, b());
    }
    std::thread::scope(|scope| {
        let a = scope.spawn(a);
        let b = b();
        let a = a
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (a, b)
    })
}

/// Hands out document indexes in order, at most `window` ahead of the last one written.
struct Gate {
    state: Mutex<GateState>,
    moved: Condvar,
    window: usize,
}

struct GateState {
    /// The next index to hand out.
    next: usize,
    /// How many documents are written.
    written: usize,
    stopped: bool,
}

impl Gate {
    fn new(window: usize) -> Gate {
        Gate {
            state: Mutex::new(GateState {
                next: 0,
                written: 0,
                stopped: false,
            }),
            moved: Condvar::new(),
            window,
        }
    }

    /// The next document to process, waiting while the window is full; `None` when all
    /// are handed out or the run stops (a signal, a failed write).
    fn take(&self, count: usize) -> Option<usize> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if state.stopped || state.next >= count || interrupted() {
                return None;
            }
            if state.next < state.written + self.window {
                state.next += 1;
                return Some(state.next - 1);
            }
            // A timeout too, so that a signal is seen even when nothing is written.
            state = self
                .moved
                .wait_timeout(state, Duration::from_millis(100))
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    fn written(&self, written: usize) {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).written = written;
        self.moved.notify_all();
    }

    fn stop(&self) {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).stopped = true;
        self.moved.notify_all();
    }
}

/// Extractions a worker holds at most while the automaton is built beside them: far
/// fewer than a worker's share of the window, so that holding them never fills it.
const HELD_WHILE_BUILDING: usize = 4;

/// Processes one document. Infallible by signature: a panic anywhere inside becomes this
/// document's `error` row.
pub fn process(path: &Path, batch: &Batch<'_>) -> Outcome {
    process_with(path, batch.rules, batch.cache, |p| extract_in(p, batch))
}

fn extract_in(path: &Path, batch: &Batch<'_>) -> Extraction {
    match batch.isolate {
        Some(workers) => workers.extract(path),
        None => {
            let (mut extraction, sha256) =
                cache::extract_cached(path, batch.extract, batch.cache, batch.retry_failed);
            extraction.sha256 = sha256.unwrap_or_default();
            extraction
        }
    }
}

/// [`process`] in two steps, so that a worker can extract while the rules' automaton is
/// still being built: the extraction ...
fn extract_one(path: &Path, batch: &Batch<'_>) -> Extraction {
    catch_unwind(AssertUnwindSafe(|| extract_in(path, batch))).unwrap_or_else(|_| panicked(path))
}

/// ... and its matching and scoring; a panic in either becomes the document's `error` row,
/// as in [`process`].
fn match_one(path: &Path, extraction: Extraction, batch: &Batch<'_>) -> Outcome {
    process_with(path, batch.rules, batch.cache, |_| extraction)
}

/// The extraction of a document whose processing panicked, with the panic's message.
fn panicked(path: &Path) -> Extraction {
    let reason = LAST_PANIC
        .with(|p| p.borrow_mut().take())
        .unwrap_or_else(|| "unknown".into());
    Extraction::failed(
        extract::Format::from_extension(path),
        Status::Error,
        format!("internal error (please report): {reason}"),
    )
}

/// [`process`] with another way to extract, such as a worker process (`--isolate`).
pub fn process_with(
    path: &Path,
    rules: &RuleSet,
    cache: Option<&Cache>,
    extract: impl FnOnce(&Path) -> Extraction,
) -> Outcome {
    let result = catch_unwind(AssertUnwindSafe(|| {
        let extraction = extract(path);
        evaluate(path, extraction, rules, cache)
    }));
    result.unwrap_or_else(|_| evaluate(path, panicked(path), rules, None))
}

/// Matches and scores an extraction; with a cache, the hits of categories whose rules
/// it has seen in this text are read from it.
pub fn evaluate(
    path: &Path,
    extraction: Extraction,
    rules: &RuleSet,
    cache: Option<&Cache>,
) -> Outcome {
    let (hits, words) = match cache {
        Some(cache) => cache.findings(rules, &extraction.pages),
        None => {
            let hits = matcher::hits(rules, &extraction.pages);
            let words = extraction.pages.iter().map(|p| count_words(&p.text)).sum();
            (hits, words)
        }
    };
    // No text is no evidence either way: such a document gets no verdict.
    let score = if extraction.has_text() {
        score::score(rules, &hits)
    } else {
        score::unread(rules)
    };
    let pages = extraction.pages.len() as u32;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Options;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn outcomes_reach_the_sink_in_input_order_within_the_window() {
        let dir = tempfile::tempdir().expect("a temp dir");
        // Documents of very different sizes, so that workers finish out of order.
        let documents: Vec<PathBuf> = (0..120)
            .map(|i| {
                let path = dir.path().join(format!("doc-{i:03}.txt"));
                let words = if i % 7 == 0 { 3_000 } else { 20 };
                std::fs::write(&path, "Wij evalueren jaarlijks. ".repeat(words)).expect("written");
                path
            })
            .collect();
        let rules = RuleSet::bundled();
        let options = Options::default();
        let batch = Batch {
            jobs: 4,
            ..Batch::single(&rules, &options)
        };
        let written = AtomicUsize::new(0);
        let ahead = AtomicUsize::new(0);
        let mut seen = Vec::new();
        let totals = run_prepared(
            &documents,
            &batch,
            |outcome| {
                // On a worker: how far past the written ones this document was.
                let index = documents.iter().position(|d| *d == outcome.path).unwrap();
                let done = written.load(Ordering::SeqCst);
                ahead.fetch_max(index.saturating_sub(done), Ordering::SeqCst);
                index
            },
            |outcome, index| {
                assert_eq!(outcome.path, documents[index]);
                seen.push(index);
                written.fetch_add(1, Ordering::SeqCst);
                Ok::<(), ()>(())
            },
        )
        .expect("no sink error");
        assert_eq!(seen, (0..documents.len()).collect::<Vec<_>>());
        assert_eq!(totals.documents, documents.len());
        assert!(!totals.interrupted);
        assert!(
            ahead.load(Ordering::SeqCst) < batch.window(),
            "a document ran {} ahead of the writer, the window is {}",
            ahead.load(Ordering::SeqCst),
            batch.window()
        );
    }

    #[test]
    fn a_failing_sink_stops_the_run_with_its_error() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let documents: Vec<PathBuf> = (0..50)
            .map(|i| {
                let path = dir.path().join(format!("doc-{i:02}.txt"));
                std::fs::write(&path, "Het plan wordt geëvalueerd.").expect("written");
                path
            })
            .collect();
        let rules = RuleSet::bundled();
        let options = Options::default();
        let batch = Batch {
            jobs: 2,
            ..Batch::single(&rules, &options)
        };
        let mut calls = 0;
        let got = run(&documents, &batch, |_| {
            calls += 1;
            if calls == 5 { Err("disk full") } else { Ok(()) }
        });
        assert_eq!(got.err(), Some("disk full"));
        assert_eq!(calls, 5);
    }
}
