//! Turns the paths a user names into a sorted, de-duplicated list of documents.
//!
//! Folders are walked recursively, following symbolic links but surviving loops. Files
//! named on the command line are always taken, whatever their extension (an unknown kind
//! becomes an `error` row); in folders only known document extensions are taken, and the
//! other files are listed as skipped, so that a folder of `.doc` files does not scan as
//! "0 documents" without a word. Not listed: hidden files and files in hidden folders,
//! Office lock files (`~$…`), Windows' `Thumbs.db` and `desktop.ini`, and cache folders (marked by a `CACHEDIR.TAG`, such as a
//! `--cache` folder inside the scanned one), which are not walked at all.

use crate::extract::Format;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// The documents to process, sorted by path, plus notes about what was skipped.
#[derive(Debug, Default)]
pub struct Discovery {
    pub documents: Vec<PathBuf>,
    /// Files in walked folders that are not read: not a format the tool reads. Sorted.
    pub skipped: Vec<PathBuf>,
    /// Non-fatal problems met while walking (a symlink loop, an unreadable folder).
    pub warnings: Vec<String>,
}

/// Walks `paths`. A path that does not exist is a setup error, reported for all paths at
/// once before any document is read.
pub fn documents(paths: &[PathBuf]) -> Result<Discovery, Vec<String>> {
    let missing: Vec<String> = paths
        .iter()
        .filter(|p| std::fs::metadata(p).is_err() && std::fs::symlink_metadata(p).is_err())
        .map(|p| format!("{}: no such file or folder", p.display()))
        .collect();
    if !missing.is_empty() {
        return Err(missing);
    }
    let mut found = Discovery::default();
    let mut seen = HashSet::new();
    for root in paths {
        if !root.is_dir() {
            push_unique(&mut found.documents, &mut seen, root);
            continue;
        }
        let walk = WalkDir::new(root)
            .follow_links(true)
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_cache_folder(e));
        for entry in walk {
            match entry {
                Ok(entry) if entry.file_type().is_file() && is_document(entry.path()) => {
                    push_unique(&mut found.documents, &mut seen, entry.path());
                }
                Ok(entry) if entry.file_type().is_file() && worth_reporting(root, entry.path()) => {
                    push_unique(&mut found.skipped, &mut seen, entry.path());
                }
                Ok(_) => {}
                Err(err) => found.warnings.push(walk_warning(&err)),
            }
        }
    }
    found.documents.sort();
    found.skipped.sort();
    Ok(found)
}

fn is_document(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    // Office writes `~$name.docx` lock files next to open documents.
    !name.starts_with("~$") && Format::from_extension(path).is_some()
}

/// A folder that says it is a cache (the standard `CACHEDIR.TAG`): never documents.
fn is_cache_folder(entry: &walkdir::DirEntry) -> bool {
    entry.file_type().is_dir() && entry.path().join("CACHEDIR.TAG").is_file()
}

/// Whether a file that is not read should be reported as skipped: not hidden, not in a
/// hidden folder below the root, not an Office lock file.
fn worth_reporting(root: &Path, path: &Path) -> bool {
    let below = path.strip_prefix(root).unwrap_or(path);
    !below.components().any(|c| {
        let name = c.as_os_str().to_string_lossy();
        name.starts_with('.')
            || name.starts_with("~$")
            // Windows keeps these beside the files of any folder it has shown.
            || name.eq_ignore_ascii_case("thumbs.db")
            || name.eq_ignore_ascii_case("desktop.ini")
    })
}

/// "3 .doc, 1 .pptx, 1 without extension": what kinds of file were skipped.
pub fn skipped_kinds(skipped: &[PathBuf]) -> String {
    let mut kinds = std::collections::BTreeMap::new();
    for path in skipped {
        let kind = match path.extension() {
            Some(ext) => format!(".{}", ext.to_string_lossy().to_lowercase()),
            None => "without extension".into(),
        };
        *kinds.entry(kind).or_insert(0usize) += 1;
    }
    let mut kinds: Vec<(String, usize)> = kinds.into_iter().collect();
    kinds.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    kinds
        .iter()
        .map(|(kind, n)| format!("{n} {kind}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The same file reached twice (two arguments, or a symlink into a walked folder) is one
/// document, listed under the first path that reached it.
fn push_unique(out: &mut Vec<PathBuf>, seen: &mut HashSet<PathBuf>, path: &Path) {
    let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    if seen.insert(key) {
        out.push(path.to_path_buf());
    }
}

fn walk_warning(err: &walkdir::Error) -> String {
    let path = err
        .path()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    if err.loop_ancestor().is_some() {
        format!("{path}: skipped a symbolic link that loops back to a parent folder")
    } else {
        let reason = err
            .io_error()
            .map(|e| e.to_string())
            .unwrap_or_else(|| err.to_string());
        format!("{path}: skipped: {reason}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_walked_sorted_and_filtered_by_extension() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("b")).unwrap();
        std::fs::write(dir.path().join("b/z.pdf"), "x").unwrap();
        std::fs::write(dir.path().join("a.txt"), "x").unwrap();
        std::fs::write(dir.path().join("plaatje.png"), "x").unwrap();
        let found = documents(&[dir.path().to_path_buf()]).unwrap();
        let names: Vec<_> = found
            .documents
            .iter()
            .map(|p| p.strip_prefix(dir.path()).unwrap().to_path_buf())
            .collect();
        assert_eq!(names, [PathBuf::from("a.txt"), PathBuf::from("b/z.pdf")]);
    }

    #[test]
    fn files_not_read_in_folders_are_listed_as_skipped() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "plan.pdf",
            "oud.doc",
            "dia.pptx",
            "plat.fodt",
            "LEESMIJ",
            ".DS_Store",
            "Thumbs.db",
            "~$plan.docx",
            ".git/config",
            "cache/CACHEDIR.TAG",
            "cache/ab/ab12.json",
        ] {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x").unwrap();
        }
        let found = documents(&[dir.path().to_path_buf()]).unwrap();
        let names = |paths: &[PathBuf]| -> Vec<String> {
            paths
                .iter()
                .map(|p| p.strip_prefix(dir.path()).unwrap().display().to_string())
                .collect()
        };
        assert_eq!(names(&found.documents), ["plan.pdf", "plat.fodt"]);
        assert_eq!(names(&found.skipped), ["LEESMIJ", "dia.pptx", "oud.doc"]);
        assert_eq!(
            skipped_kinds(&found.skipped),
            "1 .doc, 1 .pptx, 1 without extension"
        );
    }

    #[test]
    fn a_file_named_twice_is_one_document() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("plan.txt");
        std::fs::write(&file, "x").unwrap();
        let found = documents(&[file.clone(), dir.path().to_path_buf()]).unwrap();
        assert_eq!(found.documents, [file]);
    }

    #[test]
    fn missing_paths_are_all_reported() {
        let err = documents(&["/geen/map".into(), "/nog/een".into()]).unwrap_err();
        assert_eq!(err.len(), 2);
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loop_is_survived() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/plan.txt"), "x").unwrap();
        std::os::unix::fs::symlink(dir.path(), dir.path().join("sub/terug")).unwrap();
        let found = documents(&[dir.path().to_path_buf()]).unwrap();
        assert_eq!(found.documents.len(), 1);
        assert_eq!(found.warnings.len(), 1, "{:?}", found.warnings);
    }
}
