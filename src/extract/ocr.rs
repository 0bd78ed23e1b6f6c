//! OCR with Tesseract, for pages that are pictures of text (scans) instead of text.
//!
//! Tesseract is a program of the system (`tesseract-ocr` and a language model such as
//! `tesseract-ocr-nld`), run once per page as a child process: no shell, arguments as a
//! list, one thread per process (`OMP_THREAD_LIMIT=1`, because the documents are already
//! parallel in `pipeline`), killed when the document's deadline passes, its files in a
//! temporary folder that is removed with the page. [`Engine::detect`] checks at set-up
//! that the program and the language are there, so a missing install is one clear error
//! before any document is read, not a `no_text` row per document.
//!
//! What is a page image and which pages need one is the PDF reader's business
//! (`pdf::scan`); this module only turns an image file into text.

use super::Deadline;
use serde::{Deserialize, Serialize};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The default language: the Dutch model.
pub const DEFAULT_LANGUAGE: &str = "nld";

/// Text kept from one page; more is not a page of a school plan.
const MAX_TEXT_BYTES: u64 = 4 << 20;

/// How often a running child is checked for its end and the deadline.
const POLL: Duration = Duration::from_millis(10);

/// The OCR engine of a run: the program, its version and the language it reads. Part of
/// the extraction options, so it reaches `--isolate` workers and the cache key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Engine {
    pub program: PathBuf,
    /// As `tesseract --version` prints it, e.g. "5.3.0".
    pub version: String,
    /// Tesseract's language argument, e.g. "nld" or "nld+eng".
    pub language: String,
    /// `jbig2dec`, when installed: it decodes the JBIG2 images of office scanners.
    pub jbig2dec: Option<PathBuf>,
}

/// Why a page was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The document's deadline passed (or the run was interrupted).
    Timeout,
    /// The program failed; one line of why.
    Failed(String),
}

static RECOGNISED: AtomicU64 = AtomicU64::new(0);

/// Pages recognised by this process so far, for the progress bar.
pub fn pages_recognised() -> u64 {
    RECOGNISED.load(Ordering::Relaxed)
}

/// The Debian package of a Tesseract language model: `nld` → `tesseract-ocr-nld`,
/// `chi_sim` → `tesseract-ocr-chi-sim`.
pub fn language_package(language: &str) -> String {
    format!(
        "tesseract-ocr-{}",
        language.to_ascii_lowercase().replace('_', "-")
    )
}

impl Engine {
    /// Finds `tesseract` on the `PATH` and checks that it has every model `language` names
    /// (`nld`, or several joined by `+`). The error is one line with the install command.
    pub fn detect(language: &str) -> Result<Engine, String> {
        let parts: Vec<&str> = language.split('+').collect();
        if parts
            .iter()
            .any(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        {
            return Err(format!(
                "--ocr-lang {language:?} is not a Tesseract language (such as nld, or nld+eng)"
            ));
        }
        let packages: Vec<String> = parts.iter().map(|p| language_package(p)).collect();
        let program = PathBuf::from("tesseract");
        let version = match probe(&program).arg("--version").output() {
            Ok(out) => parse_version(&out.stdout)
                .or_else(|| parse_version(&out.stderr))
                .unwrap_or_else(|| "unknown".into()),
            Err(_) => {
                return Err(format!(
                    "--ocr needs Tesseract, which was not found on this machine; install it \
                     with `apt-get install tesseract-ocr {}` (Debian, Ubuntu)",
                    packages.join(" ")
                ));
            }
        };
        let listed = probe(&program)
            .arg("--list-langs")
            .output()
            .map_err(|e| format!("--ocr: cannot run tesseract --list-langs: {e}"))?;
        let installed = parse_languages(&listed.stdout);
        let missing: Vec<(&str, &String)> = parts
            .iter()
            .zip(&packages)
            .filter(|(p, _)| !installed.iter().any(|i| i == *p))
            .map(|(p, package)| (*p, package))
            .collect();
        if !missing.is_empty() {
            let names: Vec<&str> = missing.iter().map(|m| m.0).collect();
            let install: Vec<&str> = missing.iter().map(|m| m.1.as_str()).collect();
            return Err(format!(
                "--ocr: Tesseract has no model for {} (installed: {}); install it with \
                 `apt-get install {}` (Debian, Ubuntu)",
                names.join(", "),
                if installed.is_empty() {
                    "none".into()
                } else {
                    installed.join(", ")
                },
                install.join(" ")
            ));
        }
        let jbig2dec = PathBuf::from("jbig2dec");
        let jbig2dec = probe(&jbig2dec)
            .arg("--version")
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|_| jbig2dec);
        Ok(Engine {
            program,
            version,
            language: language.to_owned(),
            jbig2dec,
        })
    }

    /// "tesseract 5.3.0, nld": how notes and the manifest name the engine.
    pub fn label(&self) -> String {
        format!("tesseract {}, {}", self.version, self.language)
    }

    /// Reads the text of one image file. `dpi` is the resolution the image has on the
    /// page (Tesseract sizes its expectations of letters by it); `work` is an empty
    /// folder for the output, which the caller removes.
    pub fn recognise(
        &self,
        image: &Path,
        dpi: u32,
        deadline: Deadline,
        work: &Path,
    ) -> Result<String, Failure> {
        let base = work.join("ocr");
        let log = work.join("ocr.log");
        let stderr = std::fs::File::create(&log)
            .map_err(|e| Failure::Failed(format!("cannot write a temporary file: {e}")))?;
        let child = quiet(&self.program)
            .arg(image)
            .arg(&base)
            .args(["-l", &self.language, "--psm", "3", "--dpi"])
            .arg(dpi.clamp(50, 1200).to_string())
            .stderr(stderr)
            .spawn()
            .map_err(|e| Failure::Failed(format!("cannot start tesseract: {e}")))?;
        let status = wait(child, deadline)?;
        if !status.success() {
            return Err(Failure::Failed(format!(
                "tesseract failed ({status}): {}",
                last_line(&log)
            )));
        }
        let mut text = Vec::new();
        std::fs::File::open(base.with_extension("txt"))
            .and_then(|f| f.take(MAX_TEXT_BYTES).read_to_end(&mut text))
            .map_err(|e| Failure::Failed(format!("tesseract wrote no text: {e}")))?;
        RECOGNISED.fetch_add(1, Ordering::Relaxed);
        Ok(String::from_utf8_lossy(&text).into_owned())
    }
}

/// A command without a shell, without input or output, with one thread for Tesseract's
/// OpenMP.
pub(crate) fn quiet(program: &Path) -> Command {
    let mut command = probe(program);
    command.stdout(Stdio::null()).stderr(Stdio::null());
    command
}

/// [`quiet`] with its output captured, for `--version` and `--list-langs`.
fn probe(program: &Path) -> Command {
    let mut command = Command::new(program);
    command.env("OMP_THREAD_LIMIT", "1").stdin(Stdio::null());
    command
}

/// Waits for a child until it ends or the deadline passes; a child still running then is
/// killed and reaped.
pub(crate) fn wait(mut child: Child, deadline: Deadline) -> Result<ExitStatus, Failure> {
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Ok(status),
            Ok(None) if deadline.expired() => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(Failure::Timeout);
            }
            Ok(None) => std::thread::sleep(POLL),
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(Failure::Failed(format!("lost the child process: {e}")));
            }
        }
    }
}

/// The last non-empty line of a log file, for an error message.
pub(crate) fn last_line(log: &Path) -> String {
    let mut text = Vec::new();
    let _ = std::fs::File::open(log).and_then(|f| f.take(64 << 10).read_to_end(&mut text));
    let text = String::from_utf8_lossy(&text);
    let line = text.lines().rev().find(|l| !l.trim().is_empty());
    super::one_line(line.unwrap_or("no message"))
}

/// "tesseract 5.3.0" (or "tesseract v5.3.0.20221222") → "5.3.0".
fn parse_version(output: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(output);
    let first = text
        .lines()
        .find(|l| l.trim_start().starts_with("tesseract"))?;
    let version = first.split_whitespace().nth(1)?.trim_start_matches('v');
    Some(version.to_owned())
}

/// The languages of `tesseract --list-langs`: every line after the heading.
fn parse_languages(output: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(output)
        .lines()
        .filter(|l| !l.starts_with("List of available languages") && !l.trim().is_empty())
        .map(|l| l.trim().to_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_is_read_from_either_way_tesseract_prints_it() {
        let five = b"tesseract 5.3.0\n leptonica-1.82.0\n  libgif 5.2.1\n";
        assert_eq!(parse_version(five).as_deref(), Some("5.3.0"));
        let dev = b"tesseract v5.0.0-alpha.20201127\n leptonica-1.78.0\n";
        assert_eq!(parse_version(dev).as_deref(), Some("5.0.0-alpha.20201127"));
        assert_eq!(parse_version(b"something else\n"), None);
    }

    #[test]
    fn languages_are_the_lines_after_the_heading() {
        let out = b"List of available languages in \"/usr/share/tesseract-ocr/5/tessdata/\" (3):\neng\nnld\nosd\n";
        assert_eq!(parse_languages(out), ["eng", "nld", "osd"]);
    }

    #[test]
    fn language_package_follows_debian_names() {
        assert_eq!(language_package("nld"), "tesseract-ocr-nld");
        assert_eq!(language_package("chi_sim"), "tesseract-ocr-chi-sim");
    }

    #[test]
    fn language_that_could_be_an_option_is_refused() {
        for bad in ["", "-c", "nld+", "nld eng", "../x"] {
            let err = Engine::detect(bad).unwrap_err();
            assert!(
                err.contains("is not a Tesseract language"),
                "{bad:?}: {err}"
            );
        }
    }

    #[test]
    fn a_child_past_the_deadline_is_killed() {
        let child = Command::new("sleep").arg("5").spawn().unwrap();
        let started = std::time::Instant::now();
        let got = wait(child, Deadline::after(Duration::from_millis(50)));
        assert_eq!(got, Err(Failure::Timeout));
        assert!(started.elapsed() < Duration::from_secs(2));
    }
}
