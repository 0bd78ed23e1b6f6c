//! The three users' workflow around a scan: the group summary of a programme manager, the
//! manifest of a researcher, JSON Lines for pipelines, and `explain` for an adviser.

use std::path::Path;
use std::process::{Command, Output};

fn borging(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_borging"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("the binary runs")
}

/// Two pilots: pilot-a's documents together cover every required category, pilot-b's do not.
fn pilots() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        (
            "pilots/a/plan.txt",
            "Onze doelen staan in het schoolplan. Het team evalueert de aanpak jaarlijks.\n",
        ),
        (
            "pilots/a/verslag.txt",
            "De directie is verantwoordelijk. Daarna volgen verbeteracties.\n",
        ),
        (
            "pilots/b/aanvraag.txt",
            "We willen graag een mooi project doen.\n",
        ),
    ];
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn rows(path: &Path) -> Vec<csv::StringRecord> {
    csv::Reader::from_path(path)
        .unwrap()
        .records()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn summary_gives_one_row_per_folder_with_a_verdict_over_the_union_of_evidence() {
    let dir = pilots();
    let run = borging(
        dir.path(),
        &[
            "scan",
            "pilots",
            "-o",
            "docs.csv",
            "--summary",
            "groups.csv",
        ],
    );
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let mut reader = csv::Reader::from_path(dir.path().join("groups.csv")).unwrap();
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let groups: Vec<_> = reader.records().map(Result::unwrap).collect();
    assert_eq!(groups.len(), 2);
    assert_eq!(&groups[0][col("group")], "pilots/a");
    assert_eq!(&groups[0][col("documents")], "2");
    assert_eq!(&groups[0][col("goals_share")], "0.500");
    // Neither document of pilot a shows borging on its own; together they do.
    let docs = rows(&dir.path().join("docs.csv"));
    assert!(docs.iter().all(|d| &d[d.len() - 3] != "borging"));
    assert_eq!(&groups[0][col("verdict")], "borging");
    assert_eq!(&groups[0][col("missing")], "");
    assert_eq!(&groups[1][col("group")], "pilots/b");
    assert_eq!(
        &groups[1][col("missing")],
        "goals;policy;evaluation;improvement;ownership"
    );
}

#[test]
fn group_depth_merges_subfolders() {
    let dir = pilots();
    let run = borging(
        dir.path(),
        &[
            "scan",
            "pilots",
            "-o",
            "-",
            "--summary",
            "groups.csv",
            "--group-depth",
            "0",
        ],
    );
    assert!(run.status.success());
    // Depth counts from the folder given: 0 is that folder, with all below it.
    let groups = rows(&dir.path().join("groups.csv"));
    assert_eq!(groups.len(), 1);
    assert_eq!(&groups[0][0], "pilots");
    assert_eq!(&groups[0][1], "3");
}

#[test]
fn manifest_records_version_rules_counts_and_input_hashes() {
    let dir = pilots();
    let run = borging(
        dir.path(),
        &["scan", "pilots", "-o", "docs.csv", "--manifest", "run.json"],
    );
    assert!(run.status.success());
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("run.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(manifest["counts"]["ok"], 3);
    assert_eq!(manifest["rules"][0]["file"], "bundled:borging.toml");
    assert_eq!(manifest["rules"][0]["sha256"].as_str().unwrap().len(), 64);
    let inputs = manifest["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), 3);
    // The hash is of the file's bytes, the same in the manifest and the CSV.
    let bytes = std::fs::read(dir.path().join("pilots/a/plan.txt")).unwrap();
    let expected = borging::extract::sha256_hex(&bytes);
    assert_eq!(inputs[0]["path"], "pilots/a/plan.txt");
    assert_eq!(inputs[0]["sha256"], expected.as_str());
    let docs = rows(&dir.path().join("docs.csv"));
    assert_eq!(&docs[0][docs[0].len() - 1], expected);
}

#[test]
fn jsonl_has_one_object_per_document_with_nested_evidence() {
    let dir = pilots();
    let run = borging(dir.path(), &["scan", "pilots", "--format", "jsonl"]);
    assert!(run.status.success());
    let lines: Vec<serde_json::Value> = String::from_utf8(run.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    let plan = &lines[0];
    assert_eq!(plan["path"], "pilots/a/plan.txt");
    assert_eq!(plan["evaluation_hits"], 1);
    assert_eq!(plan["evaluation_pages"], serde_json::json!([1]));
    let evidence = plan["evidence"].as_array().unwrap();
    assert!(
        evidence
            .iter()
            .any(|e| e["category"] == "evaluation" && e["matched"] == "evalueert")
    );
}

#[test]
fn explain_shows_hits_pages_rules_and_what_is_missing_in_plain_text_when_piped() {
    let dir = pilots();
    let run = borging(dir.path(), &["explain", "pilots/a/plan.txt"]);
    assert!(run.status.success());
    let text = String::from_utf8(run.stdout).unwrap();
    assert!(!text.contains('\u{1b}'), "no colour when piped: {text}");
    // "Het team evalueert" names a body with a task in evaluation: ownership.
    assert!(text.contains("missing: improvement\n"), "{text}");
    assert!(
        text.contains("Evaluatie (evaluation): 1 hit on page 1"),
        "{text}"
    );
    assert!(
        text.contains("Het team evalueert de aanpak jaarlijks."),
        "{text}"
    );
    assert!(text.contains("evaluation."), "the rule id is shown: {text}");
}
