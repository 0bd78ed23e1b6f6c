//! The crate's modules form layers: a stage uses only the stages below it, and what several
//! stages share sits in small leaf modules. A cycle (extraction asking the pipeline about
//! Ctrl-C, say) makes a stage impossible to test or reuse on its own, so this test reads the
//! sources and fails on any import cycle between modules.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Cycles known and accepted: the rule set compiles the matcher's engine and the matcher
/// reads the rule types; Word and ODT readers share the package code that dispatches to them.
const ACCEPTED: &[(&str, &str)] = &[
    ("matcher", "rules"),
    ("extract/docx", "extract/office"),
    ("extract/odt", "extract/office"),
];

/// The module a source file is, as a path of names: `src/extract/pdf/mod.rs` is
/// `extract/pdf`, `src/cli.rs` is `cli`.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// The code of a file without comments and without its unit tests (tests may reach anywhere).
fn code(text: &str) -> String {
    let body = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => text,
    };
    body.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Module → modules it names, at every depth (a reference to `crate::extract::pdf::x` is an
/// edge to `extract/pdf` when that module exists, else to `extract`).
fn graph() -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let modules: BTreeMap<Vec<String>, String> = files
        .iter()
        .map(|f| (module_of(&src, f), std::fs::read_to_string(f).unwrap()))
        .filter(|(m, _)| m.last().is_none_or(|n| n != "tests"))
        .collect();
    let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for (module, text) in &modules {
        for (root, rest) in module_paths(&code(text)) {
            let mut target: Vec<String> = if root == "crate" {
                Vec::new()
            } else {
                module[..module.len().saturating_sub(1)].to_vec()
            };
            target.extend(rest);
            while !target.is_empty() && !modules.contains_key(&target) {
                target.pop();
            }
            if !target.is_empty() && &target != module {
                edges.entry(module.clone()).or_default().insert(target);
            }
        }
    }
    edges
}

/// Every `crate::a::b` and `super::a` path in `text`: (root, names after it).
fn module_paths(text: &str) -> Vec<(String, Vec<String>)> {
    let mut found = Vec::new();
    for root in ["crate", "super"] {
        let needle = format!("{root}::");
        let mut from = 0;
        while let Some(at) = text[from..].find(&needle) {
            let start = from + at;
            from = start + needle.len();
            let before = text[..start].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let mut names = Vec::new();
            let mut rest = &text[start + root.len()..];
            while let Some(tail) = rest.strip_prefix("::") {
                let name: String = tail
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
                    .collect();
                if name.is_empty() {
                    break;
                }
                rest = &tail[name.len()..];
                names.push(name);
            }
            found.push((root.to_string(), names));
        }
    }
    found
}

/// Collapses modules to their first `depth` names and lists the pairs that import each
/// other, directly or through others at that depth.
fn cycles(depth: usize) -> BTreeSet<(String, String)> {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, tos) in graph() {
        for to in tos {
            let a = from[..from.len().min(depth)].join("/");
            let b = to[..to.len().min(depth)].join("/");
            if a != b {
                edges.entry(a).or_default().insert(b);
            }
        }
    }
    let reaches = |from: &str, to: &str| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.to_string()];
        while let Some(node) = stack.pop() {
            if node == to {
                return true;
            }
            if seen.insert(node.clone()) {
                stack.extend(edges.get(&node).into_iter().flatten().cloned());
            }
        }
        false
    };
    let mut found = BTreeSet::new();
    for (a, tos) in &edges {
        for b in tos {
            if reaches(b, a) {
                let pair = if a < b {
                    (a.clone(), b.clone())
                } else {
                    (b.clone(), a.clone())
                };
                found.insert(pair);
            }
        }
    }
    found
}

#[test]
fn modules_only_import_modules_below_them() {
    let accepted: BTreeSet<(String, String)> = ACCEPTED
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    for depth in 1..=3 {
        let unexpected: Vec<_> = cycles(depth)
            .into_iter()
            .filter(|pair| !accepted.contains(pair))
            .collect();
        assert!(
            unexpected.is_empty(),
            "import cycles between modules (depth {depth}): {unexpected:?}"
        );
    }
}

#[test]
fn the_cycle_check_sees_a_cycle() {
    // The check must be able to fail: the accepted matcher <-> rules cycle is real.
    assert!(cycles(1).contains(&("matcher".to_string(), "rules".to_string())));
}
