//! `borging scan --html`: the report an adviser opens. Its numbers must be the CSV's numbers,
//! documents that could not be read get no verdict, and document text and file names that
//! look like HTML stay text. The report of the fixtures is parsed with an HTML parser and,
//! when Chromium is installed, rendered by a real browser.

use borging::rules::RuleSet;
use scraper::{ElementRef, Html, Selector};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

type Row = HashMap<String, String>;

struct Run {
    _dir: tempfile::TempDir,
    html_path: PathBuf,
    html: Html,
    documents: Vec<Row>,
    evidence: Vec<Row>,
    summary: Vec<Row>,
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read_csv(path: &Path) -> Vec<Row> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    reader
        .records()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(String::from))
                .collect()
        })
        .collect()
}

/// Scans `paths` (relative to the crate root) with every output and the HTML report.
fn scan(paths: &[&Path], extra: &[&str]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let out = |name: &str| dir.path().join(name);
    let run = Command::new(env!("CARGO_BIN_EXE_borging"))
        .current_dir(root())
        .arg("scan")
        .args(paths)
        .arg("-o")
        .arg(out("docs.csv"))
        .arg("--evidence")
        .arg(out("evidence.csv"))
        .arg("--summary")
        .arg(out("summary.csv"))
        .arg("--html")
        .arg(out("rapport.html"))
        .args(["--no-progress"])
        .args(extra)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let text = std::fs::read_to_string(out("rapport.html")).unwrap();
    Run {
        html_path: out("rapport.html"),
        html: Html::parse_document(&text),
        documents: read_csv(&out("docs.csv")),
        evidence: read_csv(&out("evidence.csv")),
        summary: read_csv(&out("summary.csv")),
        _dir: dir,
    }
}

fn fixtures(extra: &[&str]) -> Run {
    scan(&[Path::new("fixtures")], extra)
}

fn select<'a>(scope: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    scope.select(&Selector::parse(css).unwrap()).collect()
}

fn select_in<'a>(scope: ElementRef<'a>, css: &str) -> Vec<ElementRef<'a>> {
    scope.select(&Selector::parse(css).unwrap()).collect()
}

fn text(element: ElementRef<'_>) -> String {
    element.text().collect::<String>().trim().to_string()
}

/// The table rows of the overview, by the path they show.
fn table_rows(html: &Html) -> Vec<(String, ElementRef<'_>)> {
    select(html, "#documenten tbody tr")
        .into_iter()
        .map(|row| (text(select_in(row, "td.document")[0]), row))
        .collect()
}

/// The folded section of a document, found through the link in its table row.
fn details_of<'a>(html: &'a Html, row: ElementRef<'a>) -> ElementRef<'a> {
    let link = select_in(row, "td.document a")[0]
        .value()
        .attr("href")
        .unwrap();
    let id = link.strip_prefix('#').unwrap();
    select(html, &format!("details[id=\"{id}\"]"))[0]
}

fn cell<'a>(row: ElementRef<'a>, category: &str) -> String {
    text(select_in(row, &format!("td[data-categorie=\"{category}\"]"))[0])
}

fn has_text(status: &str) -> bool {
    matches!(status, "ok" | "timeout")
}

#[test]
fn report_has_one_row_per_input_document_in_the_csv_order() {
    let run = fixtures(&[]);
    let shown: Vec<String> = table_rows(&run.html).into_iter().map(|(p, _)| p).collect();
    let listed: Vec<String> = run.documents.iter().map(|r| r["path"].clone()).collect();
    assert!(listed.len() > 20, "{listed:?}");
    assert_eq!(shown, listed);
    assert_eq!(select(&run.html, "details.document").len(), listed.len());
}

#[test]
fn category_counts_equal_the_csv_hits() {
    let run = fixtures(&[]);
    let rules = RuleSet::bundled();
    let rows = table_rows(&run.html);
    let mut compared = 0;
    for (document, (path, row)) in run.documents.iter().zip(rows) {
        assert_eq!(&document["path"], &path);
        for category in &rules.categories {
            let shown = cell(row, &category.id);
            let hits = &document[&format!("{}_hits", category.id)];
            if has_text(&document["status"]) {
                assert_eq!(&shown, hits, "{path} {}", category.id);
                compared += 1;
            } else {
                assert_eq!(shown, "\u{2014}", "{path}: not read, no count");
                assert_eq!(hits, "0", "{path}");
            }
        }
    }
    assert!(compared >= 6 * 15, "{compared}");
}

/// Pages as the evidence CSV has them, per (path, category, negated).
fn evidence_pages(run: &Run, path: &str, category: &str, negated: bool) -> BTreeSet<u32> {
    run.evidence
        .iter()
        .filter(|r| r["path"] == path && r["category"] == category)
        .filter(|r| r["negated"] == negated.to_string())
        .map(|r| r["page"].parse().unwrap())
        .collect()
}

fn shown_pages(items: &[ElementRef<'_>]) -> BTreeSet<u32> {
    items
        .iter()
        .map(|li| li.value().attr("data-pagina").unwrap().parse().unwrap())
        .collect()
}

#[test]
fn evidence_pages_equal_the_evidence_csv_and_the_strongest_sentence_comes_first() {
    let run = fixtures(&["--html-sentences", "10000"]);
    let rules = RuleSet::bundled();
    let mut checked = 0;
    for (document, (path, row)) in run.documents.iter().zip(table_rows(&run.html)) {
        let details = details_of(&run.html, row);
        for category in &rules.categories {
            let id = &category.id;
            let sections = select_in(details, &format!("section[data-categorie=\"{id}\"]"));
            if !has_text(&document["status"]) {
                assert!(sections.is_empty(), "{path}: no evidence without text");
                continue;
            }
            let section = sections[0];
            let counted = select_in(section, "ol.bewijs li");
            let negated = select_in(section, "ul.ontkend li");
            assert_eq!(
                shown_pages(&counted),
                evidence_pages(&run, &path, id, false),
                "{path} {id}"
            );
            assert_eq!(
                shown_pages(&negated),
                evidence_pages(&run, &path, id, true),
                "{path} {id} negated"
            );
            let pages = document[&format!("{id}_pages")].replace(';', ", ");
            let telling = text(select_in(section, ".telling")[0]);
            if pages.is_empty() {
                assert_eq!(telling, "geen bewijs gevonden", "{path} {id}");
            } else {
                assert!(telling.ends_with(&format!("op p. {pages}")), "{telling}");
                // The strongest sentence, as the CSV picks it, heads the list.
                let first = counted[0];
                let shown = format!(
                    "p. {}: {}",
                    first.value().attr("data-pagina").unwrap(),
                    text(select_in(first, ".zin")[0])
                );
                let csv = &document[&format!("{id}_evidence")];
                assert_eq!(&shown, csv.trim_start_matches('\''), "{path} {id}");
                checked += 1;
            }
            for li in &negated {
                assert_eq!(text(select_in(*li, ".telt-niet")[0]), "telt niet");
            }
        }
    }
    assert!(checked > 50, "{checked}");
}

#[test]
fn negated_mentions_are_shown_apart_and_not_counted() {
    let run = fixtures(&[]);
    let (_, row) = table_rows(&run.html)
        .into_iter()
        .find(|(p, _)| p.ends_with("aanvraag-zonder-evaluatie.txt"))
        .unwrap();
    assert_eq!(cell(row, "evaluation"), "0");
    let details = details_of(&run.html, row);
    let section = select_in(details, "section[data-categorie=\"evaluation\"]")[0];
    assert!(select_in(section, "ol.bewijs li").is_empty());
    let negated: Vec<String> = select_in(section, "ul.ontkend li .zin")
        .into_iter()
        .map(text)
        .collect();
    assert!(
        negated.contains(&"Er wordt niet geëvalueerd.".to_string()),
        "{negated:?}"
    );
    assert!(
        text(row).contains("Evaluatie"),
        "missing names the category"
    );
}

#[test]
fn unreadable_documents_say_so_in_words_and_get_no_verdict() {
    let run = fixtures(&[]);
    let rules = RuleSet::bundled();
    let labels: Vec<&str> = rules.verdicts.iter().map(|v| v.label.as_str()).collect();
    let rows = table_rows(&run.html);
    let status_of = |suffix: &str| {
        let (_, row) = rows.iter().find(|(p, _)| p.ends_with(suffix)).unwrap();
        text(select_in(*row, "td.status")[0])
    };
    assert_eq!(
        status_of("bad/wachtwoord.pdf"),
        "versleuteld: wachtwoord nodig"
    );
    assert_eq!(status_of("bad/scan-zonder-tekst.pdf"), "scan: geen tekst");
    assert_eq!(status_of("bad/leeg.pdf"), "onleesbaar");
    let mut unread = 0;
    for (document, (path, row)) in run.documents.iter().zip(&rows) {
        let verdict = text(select_in(*row, "td.oordeel")[0]);
        let details = details_of(&run.html, *row);
        if document["status"] == "ok" {
            assert!(labels.contains(&verdict.as_str()), "{path}: {verdict}");
            continue;
        }
        unread += 1;
        assert_eq!(verdict, "\u{2014}", "{path}");
        assert_eq!(
            text(select_in(*row, "td.ontbreekt")[0]),
            "\u{2014}",
            "{path}"
        );
        assert!(select_in(details, ".label").is_empty(), "{path}");
        let why = text(select_in(details, "p.waarom")[0]);
        assert!(why.starts_with("Geen oordeel:"), "{path}: {why}");
    }
    assert!(unread >= 4, "{unread}");
}

#[test]
fn missing_categories_are_named_with_the_rule_sets_dutch_labels() {
    let run = fixtures(&[]);
    let rules = RuleSet::bundled();
    let label = |id: &str| {
        rules
            .categories
            .iter()
            .find(|c| c.id == id)
            .unwrap()
            .label
            .clone()
    };
    for (document, (path, row)) in run.documents.iter().zip(table_rows(&run.html)) {
        if document["status"] != "ok" {
            continue;
        }
        let shown = text(select_in(row, "td.ontbreekt")[0]);
        let want = if document["missing"].is_empty() {
            "niets".to_string()
        } else {
            document["missing"]
                .split(';')
                .map(label)
                .collect::<Vec<_>>()
                .join(", ")
        };
        assert_eq!(shown, want, "{path}");
    }
}

#[test]
fn long_lists_show_the_first_n_sentences_and_count_the_rest() {
    let run = fixtures(&["--html-sentences", "1"]);
    let rules = RuleSet::bundled();
    let mut cut = 0;
    for (document, (path, row)) in run.documents.iter().zip(table_rows(&run.html)) {
        if !has_text(&document["status"]) {
            continue;
        }
        let details = details_of(&run.html, row);
        for category in &rules.categories {
            let id = &category.id;
            let section = select_in(details, &format!("section[data-categorie=\"{id}\"]"))[0];
            let sentences: BTreeSet<(String, String)> = run
                .evidence
                .iter()
                .filter(|r| r["path"] == path && &r["category"] == id && r["negated"] == "false")
                .map(|r| (r["page"].clone(), r["sentence"].clone()))
                .collect();
            let shown = select_in(section, "ol.bewijs li").len();
            assert_eq!(shown, sentences.len().min(1), "{path} {id}");
            let more: Vec<String> = select_in(section, "p.meer").into_iter().map(text).collect();
            if sentences.len() > 1 {
                let rest = sentences.len() - 1;
                let word = if rest == 1 { "zin" } else { "zinnen" };
                assert!(
                    more.iter()
                        .any(|m| m.starts_with(&format!("en nog {rest} {word}"))),
                    "{path} {id}: {more:?}"
                );
                cut += 1;
            } else {
                assert!(more.iter().all(|m| m.contains("ontkende")), "{path} {id}");
            }
        }
    }
    assert!(cut > 10, "{cut}");
}

#[test]
fn per_folder_view_has_the_shares_and_verdicts_of_the_summary_csv() {
    let run = fixtures(&[]);
    let rules = RuleSet::bundled();
    let rows = select(&run.html, "#per-map tbody tr");
    assert_eq!(rows.len(), run.summary.len());
    assert!(rows.len() >= 3);
    for (group, row) in run.summary.iter().zip(rows) {
        assert_eq!(text(select_in(row, "td.map")[0]), group["group"]);
        for category in &rules.categories {
            let td = select_in(row, &format!("td[data-categorie=\"{}\"]", category.id))[0];
            assert_eq!(
                td.value().attr("data-aandeel").unwrap(),
                group[&format!("{}_share", category.id)],
                "{} {}",
                group["group"],
                category.id
            );
        }
        assert_eq!(text(select_in(row, "td.oordeel")[0]), group["verdict"]);
    }
}

#[test]
fn without_summary_there_is_no_per_folder_view() {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("r.html");
    let docs = dir.path().join("docs.csv");
    let run = Command::new(env!("CARGO_BIN_EXE_borging"))
        .current_dir(root())
        .args(["scan", "fixtures/office", "--no-progress", "-o"])
        .arg(&docs)
        .arg("--html")
        .arg(&html)
        .output()
        .unwrap();
    assert!(run.status.success());
    let page = Html::parse_document(&std::fs::read_to_string(&html).unwrap());
    assert!(select(&page, "#per-map").is_empty());
    let rows = select(&page, "#documenten tbody tr").len();
    assert_eq!(rows, read_csv(&docs).len());
    assert!(rows > 5, "{rows}");
}

/// Every way the hostile fixture and file names try to run or load something.
fn assert_inert(page: &Html) {
    let scripts = select(page, "script");
    assert_eq!(scripts.len(), 1, "only the report's own script");
    assert!(
        !text(scripts[0]).contains("gehackt"),
        "no document text in the script"
    );
    assert_eq!(select(page, "style").len(), 1);
    for css in [
        "img", "svg", "iframe", "object", "embed", "link", "b", "form",
    ] {
        assert!(
            select(page, css).is_empty(),
            "an element <{css}> came through"
        );
    }
    for element in select(page, "*") {
        for (name, value) in element.value().attrs() {
            assert!(!name.starts_with("on"), "attribute {name}={value}");
            assert!(!value.contains("gehackt"), "attribute {name}={value}");
            assert!(
                !(name == "src" || name == "href" && !value.starts_with('#')),
                "a load or link: {name}={value}"
            );
        }
    }
}

#[test]
fn document_text_that_looks_like_html_is_shown_as_text() {
    let run = fixtures(&[]);
    assert_inert(&run.html);
    let (_, row) = table_rows(&run.html)
        .into_iter()
        .find(|(p, _)| p.ends_with("aanvraag-met-html-code.txt"))
        .unwrap();
    let sentences: Vec<String> = select_in(details_of(&run.html, row), ".zin")
        .into_iter()
        .map(text)
        .collect();
    let all = sentences.join("\n");
    for payload in [
        "<script>document.body.setAttribute('data-gehackt','script')</script>",
        "<img src=x onerror=\"document.body.setAttribute('data-gehackt','img')\">",
        "\"><svg onload=",
        "</details></td></tr></table><b>vet</b>",
        "<a href=\"javascript:",
        "</style></script>",
        "&lt;b&gt;",
    ] {
        assert!(
            all.contains(payload),
            "{payload} not shown as text in {all}"
        );
    }
}

/// A folder whose file names are HTML, each holding evidence.
fn hostile_names() -> (tempfile::TempDir, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let names = [
        "<script>document.body.setAttribute('data-gehackt','naam')<\\script>.txt",
        "\"><img src=x onerror=document.body.setAttribute('data-gehackt','naam')>.txt",
        "plan' onmouseover='x.txt",
        "&lt;b&gt;.txt",
    ];
    for name in names {
        std::fs::write(
            dir.path().join(name),
            "Ons doel is dat het team de aanpak jaarlijks evalueert.\n",
        )
        .unwrap();
    }
    (dir, names.iter().map(|n| n.to_string()).collect())
}

#[test]
fn file_names_that_look_like_html_are_shown_as_text() {
    let (dir, names) = hostile_names();
    let run = scan(&[dir.path()], &[]);
    assert_inert(&run.html);
    let shown: Vec<String> = table_rows(&run.html).into_iter().map(|(p, _)| p).collect();
    let summaries: Vec<String> = select(&run.html, "details.document > summary .naam")
        .into_iter()
        .map(text)
        .collect();
    for name in &names {
        let path = dir.path().join(name).display().to_string();
        assert!(shown.contains(&path), "{path} in {shown:?}");
        assert!(summaries.contains(&path), "{path} in {summaries:?}");
    }
}

#[test]
fn the_page_loads_nothing_and_runs_only_its_own_script() {
    let run = fixtures(&[]);
    let csp = select(&run.html, "meta[http-equiv=\"Content-Security-Policy\"]");
    assert_eq!(csp.len(), 1);
    let policy = csp[0].value().attr("content").unwrap();
    assert!(policy.starts_with("default-src 'none';"), "{policy}");
    assert!(!policy.contains("unsafe"), "{policy}");
    for directive in [
        "script-src 'sha256-",
        "style-src 'sha256-",
        "base-uri 'none'",
    ] {
        assert!(policy.contains(directive), "{policy}");
    }
    // The policy must come before anything it governs.
    let page = std::fs::read_to_string(&run.html_path).unwrap();
    let at = |needle: &str| page.find(needle).unwrap();
    assert!(at("Content-Security-Policy") < at("<style>"));
    assert!(at("Content-Security-Policy") < at("<title>"));
}

#[test]
fn the_report_is_written_atomically_and_not_on_a_setup_problem() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("rapport.html");
    std::fs::write(&target, "old report").unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_borging"))
        .current_dir(root())
        .args([
            "scan",
            "fixtures/office",
            "-o",
            "-",
            "--no-progress",
            "--jobs",
            "0",
        ])
        .arg("--html")
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "old report");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    let missing = dir.path().join("geen-map").join("rapport.html");
    let run = Command::new(env!("CARGO_BIN_EXE_borging"))
        .current_dir(root())
        .args([
            "scan",
            "fixtures/office",
            "-o",
            "-",
            "--no-progress",
            "--html",
        ])
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("rapport.html"));
}

#[test]
fn html_sentences_needs_html() {
    let run = Command::new(env!("CARGO_BIN_EXE_borging"))
        .current_dir(root())
        .args([
            "scan",
            "fixtures/office",
            "-o",
            "-",
            "--html-sentences",
            "3",
        ])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("--html"));
}

// --- A real browser -------------------------------------------------------------------

/// Chromium's program, when one is installed.
fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("BORGING_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// Runs headless Chromium with a fresh profile and no network chatter; returns stdout.
fn headless(chromium: &Path, profile: &Path, args: &[String]) -> String {
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("chromium starts");
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut out = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut out).unwrap();
        out
    });
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "chromium failed: {status}");
            return reader.join().unwrap();
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("chromium did not finish within 120 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn chromium_renders_the_table_and_runs_no_script_from_a_document() {
    let Some(chromium) = chromium() else {
        eprintln!("skipped: Chromium is not installed (apt-get install chromium)");
        return;
    };
    let (names, _) = hostile_names();
    let run = scan(&[Path::new("fixtures"), names.path()], &[]);
    let profile = tempfile::tempdir().unwrap();
    let url = format!("file://{}", run.html_path.display());
    let dom = headless(
        &chromium,
        profile.path(),
        &["--dump-dom".to_string(), url.clone()],
    );
    let page = Html::parse_document(&dom);
    assert_eq!(
        select(&page, "#documenten tbody tr").len(),
        run.documents.len(),
        "{dom}"
    );
    // Our script ran, allowed by its hash in the Content-Security-Policy...
    let html = select(&page, "html")[0];
    assert_eq!(
        html.value().attr("class"),
        Some("js"),
        "the report's script did not run"
    );
    assert!(select(&page, "#filter")[0].value().attr("hidden").is_none());
    // ...and nothing from a document did.
    // (The payloads write `data-gehackt` on the body; as text the words are on the page.)
    assert!(
        dom.contains("setAttribute('data-gehackt'"),
        "the payloads are shown"
    );
    assert!(
        select(&page, "[data-gehackt]").is_empty(),
        "a document's script ran"
    );
    assert_inert(&page);

    let shot = run.html_path.with_file_name("rapport.png");
    headless(
        &chromium,
        profile.path(),
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1280,900".to_string(),
            url,
        ],
    );
    let png = std::fs::read(&shot).unwrap();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    assert!(png.len() > 20_000, "a blank page? {} bytes", png.len());
}
