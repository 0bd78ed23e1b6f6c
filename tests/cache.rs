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

fn json_entries(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
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
