//! Writes the per-document CSV and the long evidence CSV (and, in [`html`], the HTML report).
//!
//! Files are written to a temporary file next to the target and renamed into place only
//! when the run completes, so an interrupted run never leaves half a CSV where a good one
//! stood. Every text cell is guarded against formula injection: applicants write these
//! PDFs, and advisers open the CSV in Excel.

mod csv_rows;
pub mod html;
pub mod jsonl;
pub mod manifest;
pub mod summary;

pub use csv_rows::{EVIDENCE_HEADER, document_header, document_row, evidence_rows};

use anyhow::Context;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Where a report goes: standard output, or a file replaced atomically on [`Output::finish`].
pub enum Output {
    Stdout(io::Stdout),
    /// A target that is not a regular file (`/dev/null`, a named pipe): written in place,
    /// because renaming over it would replace the device or pipe with a plain file.
    Special(std::fs::File),
    File {
        temp: tempfile::NamedTempFile,
        target: PathBuf,
    },
}

impl Output {
    /// Opens an output; `-` is standard output. Creating the temporary file up front is
    /// the check that the folder exists and is writable, before any document is read.
    ///
    /// A symbolic link is written through: its target is replaced, the link stays. The
    /// file is created with the permissions the umask allows (colleagues on a shared
    /// server read reports too); a file it replaces keeps its own mode (see [`finish`]).
    ///
    /// [`finish`]: Output::finish
    pub fn create(path: &Path) -> anyhow::Result<Output> {
        if path == Path::new("-") {
            return Ok(Output::Stdout(io::stdout()));
        }
        let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
        let target = if is_link {
            std::fs::canonicalize(path).map_err(|_| {
                anyhow::anyhow!(
                    "{}: is a symbolic link to a file that does not exist{}",
                    path.display(),
                    std::fs::read_link(path)
                        .map(|to| format!(" ({})", to.display()))
                        .unwrap_or_default()
                )
            })?
        } else {
            path.to_path_buf()
        };
        let dir = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        if let Ok(meta) = std::fs::metadata(&target) {
            if meta.is_dir() {
                anyhow::bail!("{}: is a folder, not a file", path.display());
            }
            if !meta.is_file() {
                let file = std::fs::OpenOptions::new()
                    .write(true)
                    .open(&target)
                    .with_context(|| format!("{}: cannot write output", path.display()))?;
                return Ok(Output::Special(file));
            }
        }
        if !dir.is_dir() {
            anyhow::bail!(
                "{}: cannot write output: the folder {} does not exist",
                path.display(),
                dir.display()
            );
        }
        let temp = crate::tempfiles::new_in(dir).map_err(|e| {
            // The temporary file's own name means nothing to the user; the target does.
            anyhow::anyhow!("{}: cannot write output: {}", path.display(), io_reason(&e))
        })?;
        Ok(Output::File { temp, target })
    }

    /// Moves a finished file into place.
    pub fn finish(self) -> anyhow::Result<()> {
        match self {
            Output::Stdout(mut out) => out.flush().context("cannot write to standard output"),
            Output::Special(mut file) => file.flush().context("cannot write output"),
            Output::File { temp, target } => {
                // A replaced report keeps its mode: a file the team may read stays so.
                if let Ok(meta) = std::fs::metadata(&target) {
                    let _ = temp.as_file().set_permissions(meta.permissions());
                }
                temp.as_file()
                    .sync_all()
                    .with_context(|| format!("{}: cannot write output", target.display()))?;
                temp.persist(&target).map_err(|e| {
                    anyhow::anyhow!(
                        "{}: cannot replace output: {}",
                        target.display(),
                        io_reason(&e.error)
                    )
                })?;
                Ok(())
            }
        }
    }
}

/// An I/O error in words, without the "(os error N)" and path decorations.
fn io_reason(err: &io::Error) -> String {
    match err.kind() {
        io::ErrorKind::NotFound => "no such file or folder".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let text = err.to_string();
            match text.find(" (os error") {
                Some(at) => text[..at].to_string(),
                None => text,
            }
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Output::Stdout(out) => out.write(buf),
            Output::Special(file) => file.write(buf),
            Output::File { temp, .. } => temp.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Output::Stdout(out) => out.flush(),
            Output::Special(file) => file.flush(),
            Output::File { temp, .. } => temp.flush(),
        }
    }
}

/// CSV dialect: plain (`,`) for R and pandas, or Excel (`;` and a byte-order mark) which
/// Dutch Excel opens in columns.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Dialect {
    #[default]
    Plain,
    Excel,
}

/// A CSV writer over an [`Output`], with formula-injection guarding on text cells.
pub struct CsvReport {
    writer: csv::Writer<io::BufWriter<Output>>,
}

impl CsvReport {
    pub fn new(output: Output, dialect: Dialect, header: &[String]) -> io::Result<CsvReport> {
        let mut inner = io::BufWriter::new(output);
        if dialect == Dialect::Excel {
            inner.write_all("\u{feff}".as_bytes())?;
        }
        let mut writer = csv::WriterBuilder::new()
            .delimiter(if dialect == Dialect::Excel {
                b';'
            } else {
                b','
            })
            .from_writer(inner);
        writer.write_record(header)?;
        Ok(CsvReport { writer })
    }

    pub fn row(&mut self, cells: &[String]) -> io::Result<()> {
        // The I/O error itself, not wrapped: a caller tells a closed pipe by its kind.
        self.writer
            .write_record(cells)
            .map_err(|e| match e.into_kind() {
                csv::ErrorKind::Io(error) => error,
                other => io::Error::other(format!("{other:?}")),
            })
    }

    /// Flushes and moves the file into place.
    pub fn finish(self) -> anyhow::Result<()> {
        // The I/O error is kept as the cause, so that a caller can tell a closed pipe.
        let inner = self
            .writer
            .into_inner()
            .map_err(|e| anyhow::Error::new(e.into_error()).context("cannot write output"))?;
        let output = inner
            .into_inner()
            .map_err(|e| anyhow::Error::new(e.into_error()).context("cannot write output"))?;
        output.finish()
    }
}

/// Neutralises a cell that a spreadsheet would run as a formula: a leading `'` when it
/// starts, possibly after spaces, with `=`, `+`, `-`, `@`, a tab or a carriage return.
pub fn guard(cell: &str) -> String {
    let first = cell.trim_start_matches(' ').chars().next();
    if matches!(first, Some('=' | '+' | '-' | '@' | '\t' | '\r')) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::guard;

    #[test]
    fn formula_starts_are_neutralised() {
        for cell in [
            "=1+1",
            "+31 6",
            "-2",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "  =HYPERLINK(1)",
        ] {
            assert!(guard(cell).starts_with('\''), "{cell:?}");
        }
    }

    #[test]
    fn ordinary_text_is_left_alone() {
        assert_eq!(guard("p. 3: Het plan"), "p. 3: Het plan");
        assert_eq!(guard(""), "");
    }
}
