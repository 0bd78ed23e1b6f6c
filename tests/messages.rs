//! What the tool says when something is off: one clear line, the right exit code, and no
//! error where nothing went wrong (a reader that stopped reading).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn borging<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_borging"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

fn text(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn stderr(run: &Output) -> String {
    String::from_utf8_lossy(&run.stderr).into_owned()
}

#[test]
fn explain_or_extract_of_a_folder_is_a_setup_error() {
    let folder = fixture("office");
    for command in ["explain", "extract"] {
        let run = borging(&[command, text(&folder)]);
        assert_eq!(run.status.code(), Some(2), "{command}");
        assert!(run.stdout.is_empty(), "{command}: no report");
        assert!(
            stderr(&run).contains("is a folder; ") && stderr(&run).contains("scan reads folders"),
            "{}",
            stderr(&run)
        );
    }
}

#[test]
fn a_report_read_by_a_pipe_that_closes_early_ends_normally() {
    // `scan … | head`: the reader goes away before the report is written.
    for args in [vec!["scan", "--no-progress"], vec!["explain"]] {
        let target = if args[0] == "scan" {
            fixture("")
        } else {
            fixture("schoolplan-libreoffice.pdf")
        };
        let mut child = Command::new(env!("CARGO_BIN_EXE_borging"))
            .args(&args)
            .arg(&target)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let run = child.wait_with_output().unwrap();
        assert_eq!(run.status.code(), Some(0), "{args:?}: {}", stderr(&run));
        assert!(
            !stderr(&run).contains("error"),
            "{args:?}: {}",
            stderr(&run)
        );
    }
}

#[test]
fn scan_with_a_closed_pipe_still_writes_its_other_reports() {
    let dir = tempfile::tempdir().unwrap();
    let evidence = dir.path().join("bewijs.csv");
    let mut child = Command::new(env!("CARGO_BIN_EXE_borging"))
        .args(["scan", "--no-progress", "--evidence", text(&evidence)])
        .arg(fixture(""))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let run = child.wait_with_output().unwrap();
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let rows = std::fs::read_to_string(&evidence).unwrap().lines().count();
    assert!(rows > 10, "the evidence CSV is complete: {rows} lines");
}

fn rule_file(dir: &Path, body: &str) -> PathBuf {
    let path = dir.join("regels.toml");
    std::fs::File::create(&path)
        .unwrap()
        .write_all(body.as_bytes())
        .unwrap();
    path
}

const HEAD: &str = "id = 't'\nlabel = 'T'\nrequired = ['goals']\n\n\
                    [[category]]\nid = 'goals'\nlabel = 'Doelen'\n\n";

#[test]
fn rules_check_reports_every_misspelt_key_with_its_rule_and_the_key_meant() {
    let dir = tempfile::tempdir().unwrap();
    let file = rule_file(
        dir.path(),
        &format!(
            "{HEAD}[[category.rule]]\nid = 'goals.a'\ntrems = ['doel*']\n\n\
             [[category.rule]]\nid = 'goals.b'\nterms = ['meetbaar']\nwihtin = 5\n"
        ),
    );
    let run = borging(&["rules", "check", text(&file)]);
    assert_eq!(run.status.code(), Some(2));
    let err = stderr(&run);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "{err}");
    assert!(
        lines[0].contains(":11: rule goals.a: unknown key `trems` (did you mean `terms`?)"),
        "{err}"
    );
    assert!(
        lines[1].contains(":16: rule goals.b: unknown key `wihtin` (did you mean `within`?)"),
        "{err}"
    );
}

#[test]
fn rules_check_says_a_quote_was_left_open() {
    let dir = tempfile::tempdir().unwrap();
    let file = rule_file(
        dir.path(),
        &format!("{HEAD}[[category.rule]]\nid = 'goals.a'\nterms = [\"doel*]\n"),
    );
    let run = borging(&["rules", "check", text(&file)]);
    assert_eq!(run.status.code(), Some(2));
    let err = stderr(&run);
    assert!(err.contains(":11: a quote was left open"), "{err}");
    assert!(!err.contains("basic string"), "no TOML jargon: {err}");
}

#[test]
fn rules_bench_on_a_missing_file_is_a_setup_error_not_zero_mb_per_second() {
    let run = borging(&["rules", "bench", "/geen/map/plan.pdf"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        stderr(&run).contains("/geen/map/plan.pdf: no such file"),
        "{}",
        stderr(&run)
    );
    assert!(run.stdout.is_empty());
}

#[test]
fn counts_of_one_are_singular() {
    let doc = fixture("aanvraag-zonder-evaluatie.txt");
    let run = borging(&["scan", "--no-progress", "-o", "/dev/null", text(&doc)]);
    let err = stderr(&run);
    assert!(err.starts_with("1 document (1 ok), 1 page in "), "{err}");
    let run = borging(&["explain", text(&doc)]);
    let out = String::from_utf8(run.stdout).unwrap();
    assert!(out.lines().next().unwrap().contains(", 1 page, "), "{out}");
}

#[test]
fn jsonl_writes_null_where_the_csv_has_an_empty_cell() {
    let doc = fixture("aanvraag-zonder-evaluatie.txt");
    let run = borging(&["scan", "--no-progress", "--format", "jsonl", text(&doc)]);
    let line = String::from_utf8(run.stdout).unwrap();
    let value: serde_json::Value = serde_json::from_str(line.trim()).unwrap();
    let object = value.as_object().unwrap();
    assert!(object["error"].is_null(), "{value}");
    assert!(
        object["evaluation_evidence"].is_null(),
        "no evaluation evidence: {value}"
    );
    assert!(object["sha256"].is_string());
    for (key, field) in object {
        assert_ne!(field, &serde_json::json!(""), "{key} is \"\"");
    }
}
