//! The command line: clap arguments as the user typed them, validated into a run before any
//! document is read. Setup problems (bad arguments, a bad rule file, an unwritable output)
//! are all reported at once and exit with 2; document problems are rows in the report.

use crate::cache::Cache;
use crate::discover;
use crate::extract::{self, Options};
use crate::outcome::Status;
use crate::pipeline::{self, Batch};
use crate::report::html::HtmlReport;
use crate::report::manifest::Manifest;
use crate::report::summary::{GroupBy, Summary};
use crate::report::{self, CsvReport, Dialect, Output};
use crate::rules::RuleSet;
use crate::safe_text::terminal_safe;
use clap::{Args, Parser, Subcommand};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// Finds evidence of borging (goals, policy, evaluation, improvement, ownership,
/// continuation) in Dutch school plans, pilot reports and subsidy applications.
#[derive(Debug, Parser)]
#[command(name = "borging", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scans documents and writes one CSV row of borging evidence per document.
    #[command(after_help = EXIT_CODES)]
    Scan(ScanArgs),
    /// Prints the text of one document as the rules see it, pages separated by form feeds.
    Extract(ExtractArgs),
    /// Shows, for one document, every hit per category with its page and sentence, the
    /// rules that fired, negated mentions, and what is missing for the verdict.
    Explain(ExplainArgs),
    /// Checks, tests and benchmarks rule files.
    Rules {
        #[command(subcommand)]
        action: crate::rules::command::Action,
    },
    /// Internal: the worker process of `scan --isolate` (JSON requests on standard input).
    #[command(name = "__worker", hide = true)]
    Worker,
}

const EXIT_CODES: &str = "Exit codes:
  0  the report was written (documents that failed are rows with their status)
  1  with --strict: the report was written, and some document is `error` or `timeout`,
     or a file in a folder was skipped (not a format borging reads)
  2  setup problem (bad arguments, rule file or output path); nothing was read
  130  interrupted (Ctrl-C or SIGTERM); no report file was written or replaced";

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files or folders to scan (folders are walked recursively): .pdf, .docx, .odt, .fodt,
    /// .html/.htm, .rtf, .txt, .md. Other files in folders are skipped and counted.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// The per-document report (CSV, or JSON Lines with --format jsonl); standard output
    /// when omitted or `-`. A file it replaces keeps its permissions; a symbolic link is
    /// written through.
    #[arg(short, long, value_name = "FILE", default_value = "-")]
    pub output: PathBuf,
    /// Also write every piece of evidence, one row per hit, to this CSV.
    #[arg(long, value_name = "FILE")]
    pub evidence: Option<PathBuf>,
    /// A rule file or a folder of rule files [default: the bundled rules/borging.toml].
    #[arg(long, value_name = "PATH")]
    pub rules: Option<PathBuf>,
    /// Documents processed at once [default: all cores].
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Do not show the progress bar (it only shows on a terminal anyway).
    #[arg(long)]
    pub no_progress: bool,
    /// Exit with 1 when any document is `error` or `timeout`, or a file in a folder was
    /// skipped because it is not a format borging reads.
    #[arg(long)]
    pub strict: bool,
    /// Write CSV for Excel with a Dutch locale: `;` as separator, a UTF-8 byte-order mark and
    /// decimal commas.
    #[arg(long)]
    pub excel: bool,
    /// Keep each document's extracted text in this folder, keyed by the file's content and
    /// the options that change extraction (limits, password), so that a re-run with changed
    /// rules skips extraction of unchanged files.
    #[arg(long, value_name = "DIR")]
    pub cache: Option<PathBuf>,
    /// With --cache: extract again the documents whose cached result is a failure.
    #[arg(long, requires = "cache")]
    pub retry_failed: bool,
    /// Extract each document in a separate worker process, so that even a crash of the
    /// reader (stack overflow, abort, out of memory) costs one row, not the run. Slower.
    #[arg(long)]
    pub isolate: bool,
    /// Format of the per-document report.
    #[arg(long, value_enum, default_value_t = ReportFormat::Csv)]
    pub format: ReportFormat,
    /// Also write one row per folder (pilot, school, municipality) to this CSV.
    #[arg(long, value_name = "FILE")]
    pub summary: Option<PathBuf>,
    /// Group the summary by the first N folders below each folder given [default: 1, a
    /// pilot with its subfolders; 0: one group per folder given].
    #[arg(long, value_name = "N", requires = "summary")]
    pub group_depth: Option<usize>,
    /// Also write a JSON manifest: tool version, rule files and hashes, every option, times,
    /// counts, the SHA-256 of every input, and the files skipped.
    #[arg(long, value_name = "FILE")]
    pub manifest: Option<PathBuf>,
    /// Also write a report in Dutch as one self-contained HTML page, for advisers and
    /// programme managers: a table of all documents and the evidence sentences of each.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Evidence sentences shown per category and document in the HTML report (the strongest
    /// first); the rest is counted.
    #[arg(long, value_name = "N", default_value_t = report::html::DEFAULT_SENTENCES, requires = "html")]
    pub html_sentences: usize,
    #[command(flatten)]
    pub limits: LimitArgs,
    #[command(flatten)]
    pub ocr: OcrArgs,
}

/// Formats of the per-document report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// One CSV row per document.
    Csv,
    /// One JSON object per line, evidence nested.
    Jsonl,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The document to explain.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// A rule file or a folder of rule files [default: the bundled rules/borging.toml].
    #[arg(long, value_name = "PATH")]
    pub rules: Option<PathBuf>,
    #[command(flatten)]
    pub limits: LimitArgs,
    #[command(flatten)]
    pub ocr: OcrArgs,
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// The document to print.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    #[command(flatten)]
    pub limits: LimitArgs,
    #[command(flatten)]
    pub ocr: OcrArgs,
}

/// OCR of scanned pages.
#[derive(Debug, Args)]
pub struct OcrArgs {
    /// Read PDF pages that are images of text (scans) with Tesseract OCR. Needs
    /// tesseract-ocr and the language model; a page takes seconds, within --timeout.
    #[arg(long)]
    pub ocr: bool,
    /// Tesseract language model(s) for --ocr, such as nld or nld+eng.
    #[arg(long, value_name = "LANG", default_value = crate::extract::ocr::DEFAULT_LANGUAGE)]
    pub ocr_lang: String,
}

/// Seconds a document may take by default.
const DEFAULT_TIMEOUT: f64 = 30.0;

/// Seconds a document may take by default under `--ocr`: Tesseract reads a page in a few
/// seconds, and a scanned application has tens of pages.
const OCR_TIMEOUT: f64 = 300.0;

/// The extraction options of the limits and `--ocr`, checked before any document is read
/// (every problem goes to `problems`), and the OCR engine, which the manifest records.
/// With `--ocr` the default deadline is the longer one OCR needs.
fn extraction_options(
    limits: &LimitArgs,
    ocr: &OcrArgs,
    problems: &mut Problems,
) -> (Option<Options>, Option<crate::extract::ocr::Engine>) {
    let mut options = limits.options().map_err(|p| problems.push(p)).ok();
    let engine = ocr.engine().map_err(|p| problems.push(p)).ok().flatten();
    if let Some(options) = options.as_mut() {
        if engine.is_some() && limits.timeout.is_none() {
            options.timeout = Duration::from_secs_f64(OCR_TIMEOUT);
        }
        options.ocr = engine.clone();
    }
    (options, engine)
}

impl OcrArgs {
    /// The engine of `--ocr`, checked before any document is read.
    fn engine(&self) -> Result<Option<crate::extract::ocr::Engine>, String> {
        if !self.ocr {
            return Ok(None);
        }
        crate::extract::ocr::Engine::detect(&self.ocr_lang).map(Some)
    }

    /// What the manifest records of OCR: engine, version and language, or null.
    fn manifest(engine: Option<&crate::extract::ocr::Engine>) -> serde_json::Value {
        match engine {
            Some(e) => serde_json::json!({
                "engine": "tesseract",
                "version": e.version,
                "language": e.language,
                "jbig2dec": e.jbig2dec.is_some(),
            }),
            None => serde_json::Value::Null,
        }
    }
}

#[derive(Debug, Args)]
pub struct LimitArgs {
    /// Password for PDFs that need one to open.
    #[arg(long, value_name = "PASSWORD")]
    pub password: Option<String>,
    /// Seconds one document may take; pages read by then are kept, status `timeout`
    /// [default: 30, or 300 with --ocr].
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<f64>,
    /// Largest file read, in MiB; larger files are `error` rows.
    #[arg(long, value_name = "MIB", default_value_t = 512)]
    pub max_file_size: u64,
    /// Most decompressed MiB of one PDF stream; a page over it is cut short.
    #[arg(long, value_name = "MIB", default_value_t = default_limits().stream_bytes >> 20)]
    pub max_stream_mib: usize,
    /// Most decompressed MiB of page and form content in one PDF.
    #[arg(long, value_name = "MIB", default_value_t = default_limits().document_bytes >> 20)]
    pub max_document_mib: usize,
    /// Most content-stream operators run per PDF page (forms included).
    #[arg(long, value_name = "N", default_value_t = default_limits().page_operators)]
    pub max_operators: u64,
    /// Most glyphs kept per PDF page.
    #[arg(long, value_name = "N", default_value_t = default_limits().page_glyphs)]
    pub max_glyphs: usize,
    /// Deepest nesting of PDF forms (Form XObjects) drawn inside each other.
    #[arg(long, value_name = "N", default_value_t = default_limits().form_depth)]
    pub max_form_depth: usize,
}

fn default_limits() -> crate::extract::pdf::Limits {
    crate::extract::pdf::Limits::default()
}

impl LimitArgs {
    fn options(&self) -> Result<Options, String> {
        let timeout = self.timeout.unwrap_or(DEFAULT_TIMEOUT);
        if !(timeout.is_finite() && timeout > 0.0) {
            return Err(format!(
                "--timeout must be a positive number of seconds, not {timeout}"
            ));
        }
        let positive = [
            ("--max-stream-mib", self.max_stream_mib as u64),
            ("--max-document-mib", self.max_document_mib as u64),
            ("--max-operators", self.max_operators),
            ("--max-glyphs", self.max_glyphs as u64),
        ];
        if let Some((flag, _)) = positive.iter().find(|(_, v)| *v == 0) {
            return Err(format!("{flag} must be at least 1"));
        }
        let mib = |n: usize| n.saturating_mul(1 << 20);
        Ok(Options {
            ocr: None,
            password: self.password.clone(),
            timeout: Duration::from_secs_f64(timeout),
            max_file_bytes: self.max_file_size.saturating_mul(1 << 20),
            limits: crate::extract::pdf::Limits {
                stream_bytes: mib(self.max_stream_mib),
                document_bytes: mib(self.max_document_mib),
                page_operators: self.max_operators,
                page_glyphs: self.max_glyphs,
                form_depth: self.max_form_depth,
                ..default_limits()
            },
        })
    }
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Scan(args) => scan(args),
        Command::Extract(args) => extract_command(args),
        Command::Explain(args) => explain_command(args),
        Command::Rules { action } => crate::rules::command::run(action),
        Command::Worker => Ok(crate::isolate::worker_main()),
    };
    match result {
        Ok(code) => code,
        Err(problems) => {
            for problem in problems {
                eprintln!("error: {problem}");
            }
            ExitCode::from(2)
        }
    }
}

/// Setup problems, each one line.
type Problems = Vec<String>;

/// The rule set named by `--rules`, or the bundled one.
fn load_rules(path: Option<&PathBuf>) -> Result<RuleSet, Problems> {
    match path {
        None => Ok(RuleSet::bundled()),
        Some(path) => {
            RuleSet::load(path).map_err(|errors| errors.iter().map(ToString::to_string).collect())
        }
    }
}

/// (name, contents) of the rule files of a run, for the manifest.
fn rule_texts(rules: &RuleSet) -> Vec<(String, String)> {
    rules
        .sources
        .iter()
        .map(|name| match name.strip_prefix(BUNDLED_PREFIX) {
            Some(_) => (name.clone(), crate::rules::DEFAULT.1.to_string()),
            None => (
                name.clone(),
                std::fs::read_to_string(name).unwrap_or_default(),
            ),
        })
        .collect()
}

const BUNDLED_PREFIX: &str = "bundled:";

fn scan(args: ScanArgs) -> Result<ExitCode, Problems> {
    let mut problems = Problems::new();
    let (options, ocr) = extraction_options(&args.limits, &args.ocr, &mut problems);
    let jobs = match args.jobs {
        Some(0) => {
            problems.push("--jobs must be at least 1".into());
            1
        }
        Some(n) => n,
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    // The rules compile while the folders are walked: both come before the first document.
    let (rules, discovery) = crate::pipeline::side_by_side(
        jobs,
        || load_rules(args.rules.as_ref()),
        || discover::documents(&args.paths),
    );
    let rules = rules.map_err(|errors| problems.extend(errors)).ok();
    let discovery = discovery.map_err(|missing| problems.extend(missing)).ok();
    let dialect = if args.excel {
        Dialect::Excel
    } else {
        Dialect::Plain
    };
    let output = Output::create(&args.output)
        .map_err(|e| problems.push(format!("{e:#}")))
        .ok();
    let mut optional_output = |path: Option<&PathBuf>| match path {
        Some(path) => Output::create(path)
            .map_err(|e| problems.push(format!("{e:#}")))
            .ok(),
        None => None,
    };
    let evidence = optional_output(args.evidence.as_ref());
    let summary_output = optional_output(args.summary.as_ref());
    let manifest_output = optional_output(args.manifest.as_ref());
    let html_output = optional_output(args.html.as_ref());
    let cache = match &args.cache {
        Some(dir) => Cache::open(dir)
            .map_err(|e| problems.push(format!("{e:#}")))
            .ok(),
        None => None,
    };
    let workers = match (&options, args.isolate) {
        (Some(options), true) => crate::isolate::Pool::new(options.clone())
            .map_err(|e| problems.push(format!("--isolate: cannot find this program: {e}")))
            .ok(),
        _ => None,
    };
    let (Some(options), Some(rules), Some(discovery), Some(output)) =
        (options, rules, discovery, output)
    else {
        return Err(problems);
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    for warning in &discovery.warnings {
        eprintln!("warning: {warning}");
    }

    let temp_files = [
        Some(&output),
        evidence.as_ref(),
        summary_output.as_ref(),
        manifest_output.as_ref(),
        html_output.as_ref(),
    ]
    .into_iter()
    .flatten()
    .filter_map(temp_path)
    .collect();
    crate::stop::stop_on_signal(temp_files);

    let io_problem = |e: std::io::Error| vec![format!("cannot write output: {e}")];
    let mut documents = match args.format {
        ReportFormat::Csv => DocumentReport::Csv(Box::new(
            CsvReport::new(output, dialect, &report::document_header(&rules))
                .map_err(io_problem)?,
        )),
        ReportFormat::Jsonl => DocumentReport::Jsonl(std::io::BufWriter::new(output)),
    };
    let group_by = GroupBy {
        depth: args.group_depth.unwrap_or(1),
        inputs: args.paths.clone(),
    };
    let mut summary = summary_output.map(|out| (out, Summary::new(&rules, group_by)));
    let mut manifest = manifest_output.map(|out| {
        let settings = manifest_options(&args, &options, jobs, ocr.as_ref());
        let mut manifest = Manifest::start(&rule_texts(&rules), settings);
        manifest.skipped(&discovery.skipped);
        (out, manifest)
    });
    let mut html = html_output.map(|out| {
        let files = rule_texts(&rules)
            .into_iter()
            .map(|(name, text)| (name, crate::extract::sha256_hex(text.as_bytes())))
            .collect();
        (out, HtmlReport::new(files, args.html_sentences))
    });
    let evidence_header = report::EVIDENCE_HEADER.map(String::from);
    let mut evidence = evidence
        .map(|out| CsvReport::new(out, dialect, &evidence_header))
        .transpose()
        .map_err(io_problem)?;
    let batch = Batch {
        rules: &rules,
        extract: &options,
        jobs,
        progress: !args.no_progress,
        cache: cache.as_ref(),
        retry_failed: args.retry_failed,
        isolate: workers.as_ref(),
    };
    // `scan … | head`: when the reader of the report goes away, that is the end it wanted,
    // not a failure. With nothing else to write the run stops; otherwise it goes on for the
    // other outputs.
    let nothing_else =
        evidence.is_none() && summary.is_none() && manifest.is_none() && html.is_none();
    let mut report_closed = false;
    let totals = pipeline::run(&discovery.documents, &batch, |outcome| {
        if !report_closed {
            match documents.write(&rules, outcome) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                    report_closed = true;
                    if nothing_else {
                        return Err(e);
                    }
                }
                other => other?,
            }
        }
        if let Some((_, summary)) = summary.as_mut() {
            summary.add(outcome);
        }
        if let Some((_, manifest)) = manifest.as_mut() {
            manifest.add(outcome);
        }
        if let Some((_, html)) = html.as_mut() {
            html.add(&rules, outcome);
        }
        if let Some(evidence) = evidence.as_mut() {
            for row in report::evidence_rows(&rules, outcome) {
                evidence.row(&row)?;
            }
        }
        Ok::<(), std::io::Error>(())
    });
    let totals = match totals {
        Ok(totals) => totals,
        Err(e) if report_closed && e.kind() == std::io::ErrorKind::BrokenPipe => {
            return Ok(ExitCode::SUCCESS);
        }
        Err(e) => return Err(io_problem(e)),
    };
    if totals.interrupted {
        // Dropping the reports deletes their temporary files; the targets stay as they were.
        drop(documents);
        drop(evidence);
        drop(summary);
        drop(manifest);
        drop(html);
        eprintln!("interrupted: no report written");
        return Ok(ExitCode::from(130));
    }
    let finish_problem = |e: anyhow::Error| vec![format!("{e:#}")];
    if !report_closed {
        match documents.finish() {
            Err(e) if is_broken_pipe(&e) => report_closed = true,
            other => other.map_err(finish_problem)?,
        }
    }
    if let Some(evidence) = evidence {
        evidence.finish().map_err(finish_problem)?;
    }
    if let Some((mut out, html)) = html {
        let page = html.render(&rules, summary.as_ref().map(|(_, summary)| summary));
        out.write_all(page.as_bytes()).map_err(io_problem)?;
        out.finish().map_err(finish_problem)?;
    }
    if let Some((out, summary)) = summary {
        let mut report =
            CsvReport::new(out, dialect, &report::summary::header(&rules)).map_err(io_problem)?;
        summary
            .write(&rules, &mut report, dialect)
            .map_err(io_problem)?;
        report.finish().map_err(finish_problem)?;
    }
    if let Some((mut out, manifest)) = manifest {
        let value = manifest.finish(&totals);
        serde_json::to_writer_pretty(&mut out, &value)
            .map_err(|e| vec![format!("cannot write manifest: {e}")])?;
        out.write_all(b"\n").map_err(io_problem)?;
        out.finish().map_err(finish_problem)?;
    }
    let skipped = match discovery.skipped.len() {
        0 => String::new(),
        n => format!(
            "; {} skipped, not a format borging reads ({}){}",
            crate::plural::count(n as u64, "file"),
            discover::skipped_kinds(&discovery.skipped),
            if args.manifest.is_some() {
                ", listed in the manifest"
            } else {
                ""
            }
        ),
    };
    if report_closed {
        // The summary line is for someone reading the whole report; the reader left.
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!("{}{skipped}", totals.summary());
    let failed = totals.count(Status::Error) + totals.count(Status::Timeout);
    Ok(
        if args.strict && (failed > 0 || !discovery.skipped.is_empty()) {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        },
    )
}

/// Every option of a scan as the manifest records it, under the option's own name, so that
/// the run can be repeated: what changes results (rules, limits, grouping, cache) and what
/// shapes the files (format, Excel). The password itself is never written, only whether
/// one was given. `limits` adds every PDF limit in effect, in bytes, defaults included.
fn manifest_options(
    args: &ScanArgs,
    options: &Options,
    jobs: usize,
    ocr: Option<&crate::extract::ocr::Engine>,
) -> serde_json::Value {
    use crate::safe_text::path_text;
    let path = |p: &Option<PathBuf>| p.as_deref().map(path_text);
    let limits = &args.limits;
    serde_json::json!({
        "paths": args.paths.iter().map(|p| path_text(p)).collect::<Vec<_>>(),
        "output": path_text(&args.output),
        "evidence": path(&args.evidence),
        "summary": path(&args.summary),
        "manifest": path(&args.manifest),
        "html": path(&args.html),
        "html_sentences": args.html.as_ref().map(|_| args.html_sentences),
        "rules": path(&args.rules),
        "format": format!("{:?}", args.format).to_lowercase(),
        "excel": args.excel,
        "jobs": jobs,
        "strict": args.strict,
        "cache": path(&args.cache),
        "retry_failed": args.retry_failed,
        "isolate": args.isolate,
        "group_depth": args.summary.as_ref().map(|_| args.group_depth.unwrap_or(1)),
        "password": limits.password.is_some(),
        // The deadline in effect: --timeout, or its default (longer under --ocr).
        "timeout": options.timeout.as_secs_f64(),
        "max_file_size": limits.max_file_size,
        "max_stream_mib": limits.max_stream_mib,
        "max_document_mib": limits.max_document_mib,
        "max_operators": limits.max_operators,
        "max_glyphs": limits.max_glyphs,
        "max_form_depth": limits.max_form_depth,
        "limits": options.limits,
        // Engine, version and language, or null without --ocr.
        "ocr": OcrArgs::manifest(ocr),
        "ocr_lang": args.ocr.ocr.then_some(&args.ocr.ocr_lang),
    })
}

/// The per-document report in the chosen format.
enum DocumentReport {
    Csv(Box<CsvReport>),
    Jsonl(std::io::BufWriter<Output>),
}

impl DocumentReport {
    fn write(&mut self, rules: &RuleSet, outcome: &crate::outcome::Outcome) -> std::io::Result<()> {
        match self {
            DocumentReport::Csv(csv) => csv.row(&report::document_row(outcome)),
            DocumentReport::Jsonl(out) => {
                serde_json::to_writer(&mut *out, &report::jsonl::document(rules, outcome))?;
                out.write_all(b"\n")
            }
        }
    }

    fn finish(self) -> anyhow::Result<()> {
        match self {
            DocumentReport::Csv(csv) => csv.finish(),
            DocumentReport::Jsonl(out) => out
                .into_inner()
                .map_err(|e| anyhow::Error::new(e.into_error()).context("cannot write output"))?
                .finish(),
        }
    }
}

fn explain_command(args: ExplainArgs) -> Result<ExitCode, Problems> {
    let mut problems = Problems::new();
    let (options, _) = extraction_options(&args.limits, &args.ocr, &mut problems);
    let rules = load_rules(args.rules.as_ref())
        .map_err(|errors| problems.extend(errors))
        .ok();
    if let Some(problem) = one_file_problem(&args.file, "explain") {
        problems.push(problem);
    }
    let (Some(options), Some(rules), true) = (options, rules, problems.is_empty()) else {
        return Err(problems);
    };
    let outcome = pipeline::process(&args.file, &Batch::single(&rules, &options));
    let mut out = anstream::stdout();
    match crate::explain::write(&mut out, &rules, &outcome) {
        // `explain … | head`: the reader has what it wanted.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => Err(vec![format!("cannot write to standard output: {e}")]),
        Ok(()) => Ok(ExitCode::SUCCESS),
    }
}

/// Whether an output failed because its reader went away (`| head`).
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Why `explain` or `extract` cannot take `path`: it is missing, or a folder.
fn one_file_problem(path: &std::path::Path, command: &str) -> Option<String> {
    match std::fs::metadata(path) {
        Err(_) => Some(format!("{}: no such file", path.display())),
        Ok(meta) if meta.is_dir() => Some(format!(
            "{}: is a folder; {command} reads one file (scan reads folders)",
            path.display()
        )),
        Ok(_) => None,
    }
}

/// The temporary file behind an output, which a second Ctrl-C removes.
fn temp_path(output: &Output) -> Option<PathBuf> {
    match output {
        Output::File { temp, .. } => Some(temp.path().to_path_buf()),
        Output::Stdout(_) | Output::Special(_) => None,
    }
}

fn extract_command(args: ExtractArgs) -> Result<ExitCode, Problems> {
    let mut problems = Problems::new();
    let (options, _) = extraction_options(&args.limits, &args.ocr, &mut problems);
    if let Some(problem) = one_file_problem(&args.file, "extract") {
        problems.push(problem);
    }
    let (Some(options), true) = (options, problems.is_empty()) else {
        return Err(problems);
    };
    let path = args.file.clone();
    let extraction = std::panic::catch_unwind(|| extract::extract_file(&path, &options))
        .unwrap_or_else(|_| {
            extract::Extraction::failed(None, Status::Error, "internal error while extracting")
        });
    let mut out = std::io::stdout().lock();
    for (i, page) in extraction.pages.iter().enumerate() {
        if i > 0 {
            let _ = out.write_all(b"\x0c");
        }
        let _ = out.write_all(terminal_safe(&page.text).as_bytes());
        if !page.text.ends_with('\n') {
            let _ = out.write_all(b"\n");
        }
    }
    let _ = out.flush();
    // The file name is as hostile as the text: it may hold escape sequences too.
    let name = crate::safe_text::path_text(&args.file);
    if extraction.status != Status::Ok {
        eprintln!(
            "{}: {}{}",
            name,
            extraction.status.as_str(),
            if extraction.message.is_empty() {
                String::new()
            } else {
                format!(": {}", extraction.message)
            }
        );
    } else if !extraction.message.is_empty() {
        eprintln!("{name}: {}", extraction.message);
    }
    Ok(match extraction.status {
        Status::Ok | Status::NoText => ExitCode::SUCCESS,
        _ => ExitCode::from(1),
    })
}
