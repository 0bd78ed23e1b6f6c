//! The command line as a user meets it: the report's shape, one row per input, order,
//! exit codes and CSV safety. Each test builds its own folder of documents.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn borging(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_borging"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn folder(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, content) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    dir
}

/// Reads a CSV into a header and rows of cells.
fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

fn cell<'a>(header: &[String], row: &'a [String], column: &str) -> &'a str {
    let index = header
        .iter()
        .position(|h| h == column)
        .unwrap_or_else(|| panic!("no column {column}"));
    &row[index]
}

fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

const PLAN: &[u8] = "Schoolplan 2024-2028\n\nOnze doelen staan in het schoolplan. \
Het team evalueert de doelen jaarlijks in juni. De directie is verantwoordelijk voor de \
verbeteracties. Na afloop van het project blijft het een vast onderdeel van ons aanbod.\n"
    .as_bytes();

#[test]
fn header_lists_fixed_columns_then_three_per_category_then_verdict() {
    let dir = folder(&[("plan.txt", PLAN)]);
    let out = dir.path().join("out.csv");
    let run = borging(&["scan", path_str(dir.path()), "-o", path_str(&out)]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let (header, _) = read_csv(&out);
    let mut expected: Vec<String> = ["path", "format", "status", "error", "pages", "words"]
        .map(String::from)
        .to_vec();
    for id in [
        "goals",
        "policy",
        "evaluation",
        "improvement",
        "ownership",
        "continuation",
    ] {
        for suffix in ["hits", "pages", "evidence"] {
            expected.push(format!("{id}_{suffix}"));
        }
    }
    expected.push("verdict".into());
    expected.push("missing".into());
    expected.push("sha256".into());
    assert_eq!(header, expected);
}

#[test]
fn every_input_gets_exactly_one_row_whatever_happens_to_it() {
    let dir = folder(&[
        ("goed.txt", PLAN),
        ("leeg.pdf", b""),
        (
            "html.pdf",
            b"<!DOCTYPE html><html><body>Geen PDF</body></html>",
        ),
        ("kapot.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog"),
        (
            "ruis.pdf",
            &[0x25, 0x50, 0x44, 0x46, 0x2d, 0xff, 0x00, 0x13, 0x37],
        ),
        ("binair.txt", &[0u8, 1, 2, 3, 0, 0]),
        ("sub/notities.md", b"# Evaluatie\n\nWe evalueren elk jaar."),
    ]);
    let out = dir.path().join("out.csv");
    let run = borging(&[
        "scan",
        path_str(dir.path()),
        "-o",
        path_str(&out),
        "--jobs",
        "2",
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let (header, rows) = read_csv(&out);
    assert_eq!(rows.len(), 7);
    let status = |name: &str| {
        let row = rows
            .iter()
            .find(|r| r[0].ends_with(name))
            .unwrap_or_else(|| panic!("no row for {name}"));
        (
            cell(&header, row, "status").to_string(),
            cell(&header, row, "error").to_string(),
        )
    };
    assert_eq!(status("goed.txt").0, "ok");
    assert_eq!(status("notities.md").0, "ok");
    for bad in [
        "leeg.pdf",
        "html.pdf",
        "kapot.pdf",
        "ruis.pdf",
        "binair.txt",
    ] {
        let (status, error) = status(bad);
        assert_eq!(status, "error", "{bad}");
        assert!(
            !error.is_empty() && !error.contains('\n'),
            "{bad}: {error:?}"
        );
    }
    assert_eq!(status("html.pdf").1, "not a PDF: the file is an HTML page");
}

#[test]
fn rows_come_out_in_sorted_path_order_with_four_jobs() {
    let names: Vec<String> = (0..60)
        .rev()
        .map(|i| format!("d{:02}/plan-{i:03}.txt", i % 7))
        .collect();
    let files: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), PLAN)).collect();
    let dir = folder(&files);
    let out = dir.path().join("out.csv");
    let run = borging(&[
        "scan",
        path_str(dir.path()),
        "-o",
        path_str(&out),
        "--jobs",
        "4",
    ]);
    assert!(run.status.success());
    let (_, rows) = read_csv(&out);
    let paths: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths.len(), 60);
    assert_eq!(paths, sorted);
}

#[test]
fn evidence_is_counted_per_category_with_pages_and_sentence() {
    let dir = folder(&[("plan.txt", PLAN)]);
    let out = dir.path().join("out.csv");
    let evidence = dir.path().join("evidence.csv");
    let run = borging(&[
        "scan",
        path_str(&dir.path().join("plan.txt")),
        "-o",
        path_str(&out),
        "--evidence",
        path_str(&evidence),
    ]);
    assert!(run.status.success());
    let (header, rows) = read_csv(&out);
    let row = &rows[0];
    assert!(
        cell(&header, row, "evaluation_hits")
            .parse::<u32>()
            .unwrap()
            >= 1
    );
    assert_eq!(cell(&header, row, "evaluation_pages"), "1");
    assert_eq!(
        cell(&header, row, "evaluation_evidence"),
        "p. 1: Het team evalueert de doelen jaarlijks in juni."
    );
    let (eheader, erows) = read_csv(&evidence);
    assert_eq!(
        &eheader[..9],
        [
            "path", "page", "category", "rule", "term", "matched", "sentence", "start", "end"
        ]
    );
    let hit = erows
        .iter()
        .find(|r| r[2] == "evaluation")
        .expect("an evaluation hit");
    assert_eq!(hit[5], "evalueert");
    // The offsets locate the matched words in the page text.
    let text = String::from_utf8(PLAN.to_vec()).unwrap();
    let chars: Vec<char> = text.chars().collect();
    let (start, end): (usize, usize) = (hit[7].parse().unwrap(), hit[8].parse().unwrap());
    assert_eq!(chars[start..end].iter().collect::<String>(), "evalueert");
}

#[test]
fn formula_like_text_is_neutralised_but_paths_stay_exact() {
    // Document text is the applicant's and is guarded; a file name is data that must find
    // the file again, so it is written exactly (issue 10).
    let doc = "=HYPERLINK(\"x\") Het plan wordt jaarlijks geëvalueerd.\n";
    let dir = folder(&[("=HYPERLINK(1).txt", doc.as_bytes())]);
    let run = Command::new(env!("CARGO_BIN_EXE_borging"))
        .current_dir(dir.path())
        .args([
            "scan",
            "=HYPERLINK(1).txt",
            "-o",
            "out.csv",
            "--evidence",
            "evidence.csv",
        ])
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let (header, rows) = read_csv(&dir.path().join("out.csv"));
    assert_eq!(rows[0][0], "=HYPERLINK(1).txt");
    assert!(cell(&header, &rows[0], "evaluation_evidence").starts_with("p. 1: =HYPERLINK"));
    let (eheader, erows) = read_csv(&dir.path().join("evidence.csv"));
    assert!(!erows.is_empty());
    for row in &erows {
        assert_eq!(row[0], "=HYPERLINK(1).txt");
        assert!(
            cell(&eheader, row, "sentence").starts_with("'=HYPERLINK"),
            "{row:?}"
        );
    }
}

#[test]
fn excel_flag_writes_bom_and_semicolons() {
    let dir = folder(&[("plan.txt", PLAN)]);
    let out = dir.path().join("out.csv");
    let run = borging(&[
        "scan",
        path_str(dir.path()),
        "-o",
        path_str(&out),
        "--excel",
    ]);
    assert!(run.status.success());
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with("\u{feff}path;format;status;".as_bytes()));
}

#[test]
fn setup_problems_exit_2_and_are_all_reported_before_reading() {
    let dir = folder(&[("plan.txt", PLAN), ("kapot.toml", b"id = \"x\"\nlabel = ")]);
    let run = borging(&[
        "scan",
        "/geen/map/hier",
        path_str(dir.path()),
        "--rules",
        path_str(&dir.path().join("kapot.toml")),
        "-o",
        "/geen/map/out.csv",
    ]);
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 3, "{stderr}");
    assert!(stderr.contains("/geen/map/hier"), "{stderr}");
    assert!(stderr.contains("kapot.toml"), "{stderr}");
    assert!(stderr.contains("/geen/map/out.csv"), "{stderr}");
}

#[test]
fn bad_arguments_exit_2() {
    assert_eq!(borging(&["scan"]).status.code(), Some(2));
    assert_eq!(
        borging(&["scan", ".", "--jobs", "nul"]).status.code(),
        Some(2)
    );
    assert_eq!(
        borging(&["scan", ".", "--jobs", "0"]).status.code(),
        Some(2)
    );
}

#[test]
fn strict_exits_1_only_when_a_document_failed() {
    let good = folder(&[("plan.txt", PLAN)]);
    let run = borging(&["scan", path_str(good.path()), "-o", "-", "--strict"]);
    assert_eq!(run.status.code(), Some(0));
    let bad = folder(&[("plan.txt", PLAN), ("kapot.pdf", b"%PDF-1.4 rommel")]);
    let run = borging(&["scan", path_str(bad.path()), "-o", "-", "--strict"]);
    assert_eq!(run.status.code(), Some(1));
    let run = borging(&["scan", path_str(bad.path()), "-o", "-"]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "without --strict failures are rows"
    );
}

#[test]
fn failed_setup_leaves_an_existing_report_untouched() {
    let dir = folder(&[("plan.txt", PLAN)]);
    let out = dir.path().join("out.csv");
    std::fs::write(&out, "vorige goede uitvoer\n").unwrap();
    let run = borging(&[
        "scan",
        path_str(dir.path()),
        "-o",
        path_str(&out),
        "--rules",
        "/geen/regels.toml",
    ]);
    assert_eq!(run.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "vorige goede uitvoer\n"
    );
    let leftovers: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn stdout_is_the_default_output_and_summary_goes_to_stderr() {
    let dir = folder(&[("plan.txt", PLAN)]);
    let run = borging(&["scan", path_str(dir.path())]);
    assert!(run.status.success());
    let stdout = String::from_utf8(run.stdout).unwrap();
    assert!(stdout.starts_with("path,format,status,"));
    assert_eq!(stdout.lines().count(), 2);
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert!(stderr.contains("1 document (1 ok)"), "{stderr}");
}

#[test]
fn extract_prints_pages_separated_by_form_feed() {
    let dir = folder(&[("twee.txt", "pagina een\u{c}pagina twee\n".as_bytes())]);
    let run = borging(&["extract", path_str(&dir.path().join("twee.txt"))]);
    assert!(run.status.success());
    assert_eq!(
        String::from_utf8(run.stdout).unwrap(),
        "pagina een\n\u{c}pagina twee\n"
    );
}

#[test]
fn extract_never_sends_escape_sequences_to_the_terminal() {
    let dir = folder(&[("ansi.txt", b"rood \x1b[31mROOD\x1b[0m klaar\x07\n")]);
    let run = borging(&["extract", path_str(&dir.path().join("ansi.txt"))]);
    assert!(!run.stdout.contains(&0x1b) && !run.stdout.contains(&0x07));
}

/// Regression: `-o /dev/null` once renamed a temporary file over the device, turning
/// `/dev/null` into a plain file for every program on the machine. A named pipe stands in
/// for the device here, so a regression cannot damage the machine running the tests.
#[cfg(unix)]
#[test]
fn output_to_a_device_or_pipe_is_written_in_place_not_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let dir = folder(&[("plan.txt", PLAN)]);
    let pipe = dir.path().join("pijp");
    let made = Command::new("mkfifo").arg(&pipe).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    let reader = {
        let pipe = pipe.clone();
        std::thread::spawn(move || std::fs::read_to_string(pipe).unwrap())
    };
    let run = borging(&[
        "scan",
        path_str(&dir.path().join("plan.txt")),
        "-o",
        path_str(&pipe),
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let received = reader.join().unwrap();
    assert!(received.starts_with("path,format,status,"), "{received}");
    assert!(std::fs::metadata(&pipe).unwrap().file_type().is_fifo());
}
