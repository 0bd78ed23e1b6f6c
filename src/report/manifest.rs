//! The run manifest (`--manifest`): what a researcher needs to reproduce a run and to
//! cite it: tool version, the rule files and their SHA-256, the options, start and end
//! time, counts by status, and the SHA-256 of every input.

use crate::outcome::{Outcome, Status};
use crate::pipeline::Totals;
use crate::safe_text::path_text;
use serde_json::{Value, json};
use std::time::SystemTime;

/// Collected while the run streams by; one small entry per input.
#[derive(Debug)]
pub struct Manifest {
    started: SystemTime,
    rules: Vec<Value>,
    options: Value,
    inputs: Vec<Value>,
    skipped: Vec<Value>,
}

impl Manifest {
    /// `rules` are (name, file contents) of every rule file used.
    pub fn start(rules: &[(String, String)], options: Value) -> Manifest {
        Manifest {
            started: SystemTime::now(),
            rules: rules
                .iter()
                .map(|(name, text)| json!({"file": name, "sha256": crate::extract::sha256_hex(text.as_bytes())}))
                .collect(),
            options,
            inputs: Vec::new(),
            skipped: Vec::new(),
        }
    }

    /// Files in the scanned folders that were not read (not a format the tool reads).
    pub fn skipped(&mut self, paths: &[std::path::PathBuf]) {
        self.skipped = paths.iter().map(|p| json!(path_text(p))).collect();
    }

    pub fn add(&mut self, outcome: &Outcome) {
        self.inputs.push(json!({
            "path": path_text(&outcome.path),
            "sha256": outcome.sha256,
            "status": outcome.status.as_str(),
            "pages": outcome.pages,
        }));
    }

    pub fn finish(self, totals: &Totals) -> Value {
        let counts: serde_json::Map<String, Value> = Status::ALL
            .iter()
            .map(|s| (s.as_str().to_string(), json!(totals.count(*s))))
            .collect();
        json!({
            "tool": "borging",
            "version": env!("CARGO_PKG_VERSION"),
            "rules": self.rules,
            "options": self.options,
            "started": humantime::format_rfc3339_seconds(self.started).to_string(),
            "finished": humantime::format_rfc3339_seconds(SystemTime::now()).to_string(),
            "seconds": totals.elapsed.as_secs_f64(),
            "documents": totals.documents,
            "pages": totals.pages,
            "counts": counts,
            "inputs": self.inputs,
            "skipped": self.skipped,
        })
    }
}
