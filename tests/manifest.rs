//! The manifest must be enough to repeat a run: every option of `scan` is recorded under
//! its own name, with the value used.

use clap::CommandFactory;
use std::path::Path;
use std::process::Command;

fn text(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Options that change neither the results nor the files written.
const NOT_RECORDED: &[&str] = &["no_progress", "help", "version"];

#[test]
fn manifest_records_every_scan_option_with_its_value() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    std::fs::write(
        docs.join("plan.txt"),
        "Het team evalueert de doelen jaarlijks.\n",
    )
    .unwrap();
    let manifest = dir.path().join("run.json");
    let cache = dir.path().join("cache");
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/pilot.toml");
    let run = Command::new(env!("CARGO_BIN_EXE_borging"))
        .args([
            "scan",
            text(&docs),
            "-o",
            text(&dir.path().join("docs.csv")),
            "--evidence",
            text(&dir.path().join("bewijs.csv")),
            "--summary",
            text(&dir.path().join("pilots.csv")),
            "--group-depth",
            "2",
            "--manifest",
            text(&manifest),
            "--html",
            text(&dir.path().join("rapport.html")),
            "--html-sentences",
            "2",
            "--rules",
            text(&rules),
            "--format",
            "jsonl",
            "--excel",
            "--jobs",
            "2",
            "--strict",
            "--cache",
            text(&cache),
            "--retry-failed",
            "--isolate",
            "--no-progress",
            "--password",
            "geheim-wachtwoord",
            "--timeout",
            "12.5",
            "--max-file-size",
            "64",
            "--max-stream-mib",
            "8",
            "--max-document-mib",
            "100",
            "--max-operators",
            "5000",
            "--max-glyphs",
            "700",
            "--max-form-depth",
            "3",
        ])
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let raw = std::fs::read_to_string(&manifest).unwrap();
    assert!(
        !raw.contains("geheim-wachtwoord"),
        "the password is never written"
    );
    let value: serde_json::Value = serde_json::from_str(&raw).unwrap();
    let options = value["options"].as_object().unwrap();

    let cli = borging::cli::Cli::command();
    let scan = cli.find_subcommand("scan").unwrap();
    let missing: Vec<String> = scan
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .filter(|id| !NOT_RECORDED.contains(&id.as_str()) && !options.contains_key(id))
        .collect();
    assert!(
        missing.is_empty(),
        "not in the manifest: {missing:?}\n{raw}"
    );

    for (key, expected) in [
        ("paths", serde_json::json!([text(&docs)])),
        ("rules", serde_json::json!(text(&rules))),
        ("cache", serde_json::json!(text(&cache))),
        ("group_depth", serde_json::json!(2)),
        ("html_sentences", serde_json::json!(2)),
        ("format", serde_json::json!("jsonl")),
        ("excel", serde_json::json!(true)),
        ("jobs", serde_json::json!(2)),
        ("strict", serde_json::json!(true)),
        ("retry_failed", serde_json::json!(true)),
        ("isolate", serde_json::json!(true)),
        ("password", serde_json::json!(true)),
        ("timeout", serde_json::json!(12.5)),
        ("max_file_size", serde_json::json!(64)),
        ("max_stream_mib", serde_json::json!(8)),
        ("max_document_mib", serde_json::json!(100)),
        ("max_operators", serde_json::json!(5000)),
        ("max_glyphs", serde_json::json!(700)),
        ("max_form_depth", serde_json::json!(3)),
    ] {
        assert_eq!(options[key], expected, "{key}");
    }
    // Every PDF limit in effect, the ones without a flag too.
    assert_eq!(options["limits"]["page_glyphs"], 700);
    assert_eq!(options["limits"]["stream_bytes"], 8 << 20);
    assert!(options["limits"]["state_depth"].as_u64().unwrap() > 0);
}
