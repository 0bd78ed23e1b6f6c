//! The PDFs of other readers' test suites on which borging once fell short of pdftotext
//! or mutool (`../shared/corpus/peer`, issue 13): each is extracted with the library and
//! compared with the text of the peer that `expect.tsv` names, by word-multiset F1.
//!
//! The peer's text is made here by running the peer (pdftotext or mutool) when it is
//! installed; the files are not ours, so they live only in `../shared`. Without that folder
//! (CI, users) or without the tools the test prints why and passes.
//!
//! Words are NFKC-normalised, lower-cased and split at every character that is not a
//! letter or digit, so a glued ("Wordsthatshould") or broken ("evalu atie") word costs as
//! it does in the rules. Chinese and Japanese characters count one by one, since those
//! scripts put no spaces between words and readers differ only in where they add some. A file passes at F1 >= 0.8. The files still short are listed in
//! [`SHORT`] with the reason; the test fails when any other file is short, and when a file
//! listed there passes (so that the list stays true).

use borging::extract::{Options, extract_file};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use unicode_normalization::UnicodeNormalization;

const MINIMUM_F1: f64 = 0.8;

/// Files still short of their peer, and why.
const SHORT: &[(&str, &str)] = &[
    (
        "bug946506.pdf",
        "pdftotext (the named peer) cuts the sheared lines into two-letter pieces; we read whole lines, as mutool does",
    ),
    (
        "issue13916.pdf",
        "pdftotext prints glyph numbers as text; we keep only the mapped dates, as mutool does",
    ),
    (
        "issue7074_reduced.pdf",
        "pdftotext splits words (\"Our2015Gr aduat es\"); we read \"Our 2015 Graduates\", as mutool does",
    ),
    (
        "issue9655_reduced.pdf",
        "mutool (the named peer) splits the words (\"P ro p e rt y\"); we read \"Property Insurance\", as pdftotext does",
    ),
    (
        "issue14999_reduced.pdf",
        "mutool (the named peer) splits the words and drops every c; we read the title, as pdftotext does",
    ),
];

fn peer_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/peer")
}

fn has_tool(name: &str) -> bool {
    Command::new(name)
        .arg("-v")
        .output()
        .is_ok_and(|o| o.status.success() || !o.stderr.is_empty() || !o.stdout.is_empty())
}

fn words(text: &str) -> Vec<String> {
    text.nfkc()
        .collect::<String>()
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .flat_map(split_unspaced)
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Chinese and Japanese are written without spaces between words, so where a reader
/// puts spaces among their characters says nothing of the text: each such character is
/// a word of its own, and the rest of the run stays whole.
fn split_unspaced(run: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (at, c) in run.char_indices() {
        if is_unspaced_script(c) {
            out.push(&run[start..at]);
            out.push(&run[at..at + c.len_utf8()]);
            start = at + c.len_utf8();
        }
    }
    out.push(&run[start..]);
    out
}

/// Han (with its extensions and compatibility ideographs), Hiragana and Katakana.
fn is_unspaced_script(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{3134F}')
}

fn f1(ours: &[String], theirs: &[String]) -> f64 {
    if ours.is_empty() && theirs.is_empty() {
        return 1.0;
    }
    let mut have: HashMap<&str, usize> = HashMap::new();
    for w in theirs {
        *have.entry(w).or_default() += 1;
    }
    let mut common = 0usize;
    for w in ours {
        if let Some(n) = have.get_mut(w.as_str())
            && *n > 0
        {
            *n -= 1;
            common += 1;
        }
    }
    if common == 0 {
        return 0.0;
    }
    let (p, r) = (
        common as f64 / ours.len() as f64,
        common as f64 / theirs.len() as f64,
    );
    2.0 * p * r / (p + r)
}

/// The peer's text of `path`, with `password` when given.
fn peer_text(peer: &str, path: &Path, password: &str) -> String {
    let mut command = match peer {
        "mutool" => {
            let mut c = Command::new("mutool");
            c.args(["draw", "-q", "-F", "txt", "-o", "-"]);
            if !password.is_empty() {
                c.args(["-p", password]);
            }
            c
        }
        _ => {
            let mut c = Command::new("pdftotext");
            c.arg("-q");
            if !password.is_empty() {
                c.args(["-upw", password]);
            }
            c
        }
    };
    command.arg(path);
    if peer != "mutool" {
        command.arg("-");
    }
    let out = command.output().expect("the peer runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn peer_suite_files_read_as_well_as_the_peer_named_for_them() {
    let dir = peer_dir();
    let Ok(table) = std::fs::read_to_string(dir.join("expect.tsv")) else {
        eprintln!(
            "skipped: {} is not here (it is never committed)",
            dir.display()
        );
        return;
    };
    if !has_tool("pdftotext") || !has_tool("mutool") {
        eprintln!("skipped: pdftotext and mutool are needed to make the peers' text");
        return;
    }
    let mut expect: HashMap<String, (String, String)> = HashMap::new();
    for line in table.lines().skip(1) {
        let cells: Vec<&str> = line.split('\t').collect();
        if let [file, peer, rest @ ..] = cells.as_slice() {
            let password = rest.first().copied().unwrap_or("");
            expect.insert(file.to_string(), (peer.to_string(), password.to_string()));
        }
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("the folder lists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    files.sort();
    let (mut passed, mut compared) = (0, 0);
    let mut wrong = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let (peer, password) = expect
            .get(&name)
            .cloned()
            .unwrap_or_else(|| ("pdftotext".into(), String::new()));
        if peer == "skip" {
            continue;
        }
        compared += 1;
        let options = Options {
            password: (!password.is_empty()).then(|| password.clone()),
            ..Options::default()
        };
        let extraction = extract_file(path, &options);
        let ok = if peer == "status" {
            // Must open (without a password), whatever text it has.
            !matches!(
                extraction.status,
                borging::outcome::Status::Encrypted | borging::outcome::Status::Error
            )
        } else {
            let ours: Vec<&str> = extraction.pages.iter().map(|p| p.text.as_str()).collect();
            let score = f1(
                &words(&ours.join("\n")),
                &words(&peer_text(&peer, path, &password)),
            );
            eprintln!("{score:.2} {name} (against {peer})");
            score >= MINIMUM_F1
        };
        passed += usize::from(ok);
        let listed = SHORT.iter().find(|(f, _)| *f == name);
        match (ok, listed) {
            (false, None) => wrong.push(format!("{name}: short of {peer}")),
            (true, Some(_)) => wrong.push(format!("{name}: passes now, take it off SHORT")),
            (false, Some((_, why))) => eprintln!("  short, known: {why}"),
            (true, None) => {}
        }
    }
    eprintln!("{passed} of {compared} files read as well as their peer");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
