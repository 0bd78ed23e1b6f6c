//! Runs `borging scan --cache` twice over the office fixtures: the second run must give
//! the same report from the cache, and the cache must be usable as a setup check.

use std::path::{Path, PathBuf};
use std::process::Command;

fn borging(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_borging"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// The extraction entries (not the cached hits under `findings/`).
fn json_entries(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .filter(|e| !e.path().starts_with(dir.join("findings")))
        .map(|e| e.path().to_path_buf())
        .collect()
}

#[test]
fn second_scan_reads_the_cache_and_reports_the_same() {
    let work = tempfile::tempdir().unwrap();
    let docs = work.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/office");
    for name in [
        "subsidieaanvraag.docx",
        "subsidieaanvraag.odt",
        "schoolplan.html",
    ] {
        std::fs::copy(fixtures.join(name), docs.join(name)).unwrap();
    }
    std::fs::write(docs.join("kapot.docx"), b"PK\x03\x04 afgebroken").unwrap();
    let cache = work.path().join("cache");
    let args = [
        "scan",
        "--no-progress",
        "--cache",
        cache.to_str().unwrap(),
        docs.to_str().unwrap(),
    ];
    let first = borging(&args);
    assert!(first.status.success());
    assert_eq!(
        json_entries(&cache).len(),
        4,
        "one entry per document, failures too"
    );

    // Plant a different text in every entry: a second run that reads the cache shows it.
    for entry in json_entries(&cache) {
        let mut value: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&entry).unwrap()).unwrap();
        for page in value["pages"].as_array_mut().unwrap() {
            // A sentence, not a line without punctuation: the bundled rules ignore headings.
            page["text"] = "uit de cache: we evalueren het plan.".into();
        }
        std::fs::write(&entry, serde_json::to_vec(&value).unwrap()).unwrap();
    }
    let second = borging(&args);
    assert!(second.status.success());
    let report = String::from_utf8(second.stdout).unwrap();
    assert_eq!(
        report
            .lines()
            .filter(|l| l.contains("uit de cache: we evalueren het plan."))
            .count(),
        3,
        "{report}"
    );
    assert!(
        report.contains("kapot.docx,docx,error,broken ZIP archive"),
        "{report}"
    );

    // An unchanged file whose entry was removed is extracted again.
    let first_report = String::from_utf8(first.stdout).unwrap();
    std::fs::remove_dir_all(&cache).unwrap();
    let third = borging(&args);
    assert_eq!(String::from_utf8(third.stdout).unwrap(), first_report);
}

#[test]
fn unusable_cache_folder_is_a_setup_error() {
    let work = tempfile::tempdir().unwrap();
    let file = work.path().join("geen-map");
    std::fs::write(&file, "x").unwrap();
    let out = borging(&[
        "scan",
        "--cache",
        file.to_str().unwrap(),
        env!("CARGO_MANIFEST_DIR"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cache folder"));
}

#[test]
fn retry_failed_needs_a_cache() {
    let out = borging(&["scan", "--retry-failed", env!("CARGO_MANIFEST_DIR")]);
    assert_eq!(out.status.code(), Some(2));
}

/// Words of the one document in a per-document CSV on standard output.
fn words_of(run: &std::process::Output) -> String {
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let mut reader = csv::Reader::from_reader(&run.stdout[..]);
    let header = reader.headers().unwrap().clone();
    let row = reader.records().next().unwrap().unwrap();
    let at = header.iter().position(|h| h == "words").unwrap();
    row[at].to_string()
}

#[test]
fn text_cut_short_by_a_limit_is_not_served_to_a_run_without_it() {
    let work = tempfile::tempdir().unwrap();
    let cache = work.path().join("cache");
    let pdf = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/schoolplan-libreoffice.pdf");
    let scan = |extra: &[&str]| {
        let mut args = vec![
            "scan",
            "--no-progress",
            "--cache",
            cache.to_str().unwrap(),
            pdf.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        words_of(&borging(&args))
    };
    let full = words_of(&borging(&["scan", "--no-progress", pdf.to_str().unwrap()]));
    for limit in [["--max-glyphs", "10"], ["--max-operators", "20"]] {
        let cut = scan(&limit);
        assert!(
            cut.parse::<u64>().unwrap() < full.parse::<u64>().unwrap(),
            "{limit:?} cuts the text short: {cut} of {full} words"
        );
        assert_eq!(scan(&[]), full, "a run without {limit:?} after one with it");
        assert_eq!(
            scan(&limit),
            cut,
            "the limited run is cached under its own key"
        );
    }
}

/// A scan of the office and text fixtures with `rules`, with or without a cache: (report,
/// evidence).
fn scan_with(work: &Path, rules: &Path, cache: Option<&Path>) -> (String, String) {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let evidence = work.join("evidence.csv");
    let mut args = vec![
        "scan".to_string(),
        "--no-progress".into(),
        "--rules".into(),
        rules.display().to_string(),
        "--evidence".into(),
        evidence.display().to_string(),
        fixtures.join("office").display().to_string(),
        fixtures
            .join("kwaliteitszorg-cultuur.md")
            .display()
            .to_string(),
    ];
    if let Some(cache) = cache {
        args.extend(["--cache".to_string(), cache.display().to_string()]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = borging(&args);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    (
        String::from_utf8(run.stdout).unwrap(),
        std::fs::read_to_string(&evidence).unwrap(),
    )
}

#[test]
fn rerun_after_a_rule_change_reports_what_a_run_without_cache_reports() {
    let work = tempfile::tempdir().unwrap();
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/borging.toml");
    let original = std::fs::read_to_string(&bundled).unwrap();
    // One more term in one rule of one category, as a researcher refining a list does.
    let changed = original.replacen(
        "\"ambitie\", \"ambities\",",
        "\"ambitie\", \"ambities\", \"leerlingen\",",
        1,
    );
    assert_ne!(changed, original, "the change applies");
    let (before, after) = (
        work.path().join("before.toml"),
        work.path().join("after.toml"),
    );
    std::fs::write(&before, &original).unwrap();
    std::fs::write(&after, &changed).unwrap();
    let cache = work.path().join("cache");

    let first = scan_with(work.path(), &before, Some(&cache));
    assert_eq!(first, scan_with(work.path(), &before, None));
    let fresh = scan_with(work.path(), &after, None);
    assert_ne!(fresh.1, first.1, "the change finds other evidence");
    assert_eq!(scan_with(work.path(), &after, Some(&cache)), fresh);
    // And back: the entries now hold the changed category; the others were kept.
    assert_eq!(scan_with(work.path(), &before, Some(&cache)), first);
}

#[test]
fn rerun_with_the_same_rules_reads_the_hits_from_the_cache() {
    let work = tempfile::tempdir().unwrap();
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/borging.toml");
    let cache = work.path().join("cache");
    let (_, evidence) = scan_with(work.path(), &rules, Some(&cache));
    assert!(evidence.lines().count() > 10, "{evidence}");
    // Change every cached sentence: a second run that reads the hits shows it.
    let findings: Vec<PathBuf> = walkdir::WalkDir::new(cache.join("findings"))
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .map(|e| e.path().to_path_buf())
        .collect();
    assert!(!findings.is_empty());
    for entry in findings {
        let mut value: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&entry).unwrap()).unwrap();
        for category in value["categories"].as_array_mut().unwrap() {
            for hit in category["hits"].as_array_mut().unwrap() {
                hit["sentence"] = "uit de cache".into();
            }
        }
        std::fs::write(&entry, serde_json::to_vec(&value).unwrap()).unwrap();
    }
    let (_, again) = scan_with(work.path(), &rules, Some(&cache));
    let rows = again.lines().skip(1).count();
    assert_eq!(rows, evidence.lines().skip(1).count());
    assert_eq!(
        again.lines().filter(|l| l.contains("uit de cache")).count(),
        rows,
        "{again}"
    );
}
