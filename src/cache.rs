//! The extraction cache (`--cache DIR`): a researcher who changes one keyword should not
//! wait for 3,000 PDFs to be parsed again. Extraction is the slow stage; matching and
//! scoring are cheap, so caching each document's pages makes a re-run with new rules fast.
//!
//! An entry is found by what determines the extraction, never by path or time: the
//! SHA-256 of the file's bytes, [`EXTRACTOR_VERSION`], the format the file's name claims
//! (a ZIP named `.pdf` is an error, named `.docx` a document), and the options that change
//! the result: every limit of the PDF reader (`--max-glyphs` and the like: a page cut short
//! under one limit must never be served to a run with another), a password, of which only
//! a salted hash is used, so the cache never holds it, and with `--ocr` the OCR engine, its
//! version and its language. A moved or renamed-alike file is a hit; a file whose bytes
//! changed is a miss.
//!
//! Layout: `DIR/ab/abcdef….json`, one serde_json file per key, written to a temporary file
//! and renamed into place, so a crash never leaves half an entry. An entry that does not
//! parse, or was written by another extractor version or for another key, is ignored and
//! rebuilt. Failures (`error`, `encrypted`) are cached with their reason, because a broken
//! file stays broken; `--retry-failed` extracts them again. Timeouts are not cached: they
//! depend on the machine's load, not on the file.

use crate::extract::{self, Extraction, Format, Options, Page, hex};
use crate::status::Status;
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Bump whenever a change to extraction changes the pages it produces, so that entries
/// written by an older build are rebuilt instead of served.
pub const EXTRACTOR_VERSION: u32 = 6;

/// An open cache folder.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

/// What an entry is stored under: the file's content hash plus everything else that
/// changes the extraction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    /// SHA-256 of the file's bytes, lowercase hex.
    pub sha256: String,
    /// Hash of the extractor version, claimed format and options, lowercase hex.
    settings: String,
}

impl Key {
    pub fn new(sha256: &str, claimed: Option<Format>, options: &Options) -> Key {
        let mut settings = Sha256::new();
        settings.update(format!("borging extractor {EXTRACTOR_VERSION}\0").as_bytes());
        settings.update(claimed.map_or("", Format::as_str).as_bytes());
        settings.update(b"\0");
        // All of the limits, serialized, so that a limit added later is part of the key
        // without anyone remembering to add it here.
        let limits = serde_json::to_string(&options.limits).expect("limits serialize");
        settings.update(limits.as_bytes());
        settings.update(b"\0");
        if let Some(password) = &options.password {
            // Salted so that the entry cannot be used to test guesses against a list of
            // plain SHA-256 hashes of common passwords.
            let secret = Sha256::digest(format!("borging password\0{password}").as_bytes());
            settings.update(secret);
        }
        if let Some(engine) = &options.ocr {
            // OCR text depends on the engine, its version and the language model; which
            // PDF images can be read also on whether jbig2dec is there.
            settings.update(
                format!(
                    "\0ocr\0tesseract\0{}\0{}\0{}",
                    engine.version,
                    engine.language,
                    engine.jbig2dec.is_some()
                )
                .as_bytes(),
            );
        }
        Key {
            sha256: sha256.to_owned(),
            settings: hex(&settings.finalize()),
        }
    }

    /// The entry's file name: one hash of both halves.
    fn id(&self) -> String {
        let mut id = Sha256::new();
        id.update(self.sha256.as_bytes());
        id.update(b"\0");
        id.update(self.settings.as_bytes());
        hex(&id.finalize())
    }
}

/// One cached extraction, as stored on disk.
#[derive(Debug, Serialize, Deserialize)]
struct Entry {
    version: u32,
    sha256: String,
    settings: String,
    format: Option<String>,
    status: String,
    message: String,
    pages: Vec<StoredPage>,
}

#[derive(Debug, Serialize, Deserialize)]
struct StoredPage {
    number: u32,
    label: Option<String>,
    text: String,
    /// Read by OCR (absent in entries written before OCR existed).
    #[serde(default)]
    ocr: bool,
}

impl Cache {
    /// Opens (creating if needed) a cache folder and checks that it can be written, so
    /// that a bad `--cache` is a setup error before any document is read.
    pub fn open(dir: &Path) -> Result<Cache> {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create cache folder {}", dir.display()))?;
        let tag = dir.join("CACHEDIR.TAG");
        if !tag.exists() {
            // The standard marker that tells backup tools to skip the folder.
            std::fs::write(
                &tag,
                "Signature: 8a477f597d28d172789f06886806bc55\n\
                 # This folder is an extraction cache made by borging; it can be deleted.\n",
            )
            .with_context(|| format!("cannot write to cache folder {}", dir.display()))?;
        }
        tempfile::NamedTempFile::new_in(dir)
            .with_context(|| format!("cannot write to cache folder {}", dir.display()))?;
        Ok(Cache {
            dir: dir.to_path_buf(),
        })
    }

    fn path(&self, key: &Key) -> PathBuf {
        let id = key.id();
        self.dir.join(&id[..2]).join(format!("{id}.json"))
    }

    /// The cached extraction, or `None` when there is none or it cannot be trusted.
    pub fn get(&self, key: &Key) -> Option<Extraction> {
        let bytes = std::fs::read(self.path(key)).ok()?;
        let entry: Entry = serde_json::from_slice(&bytes).ok()?;
        if entry.version != EXTRACTOR_VERSION
            || entry.sha256 != key.sha256
            || entry.settings != key.settings
        {
            return None;
        }
        let format = match entry.format {
            None => None,
            Some(name) => Some(*Format::ALL.iter().find(|f| f.as_str() == name)?),
        };
        let status = *Status::ALL.iter().find(|s| s.as_str() == entry.status)?;
        Some(Extraction {
            format,
            status,
            message: entry.message,
            pages: entry
                .pages
                .into_iter()
                .map(|p| Page {
                    number: p.number,
                    label: p.label,
                    text: p.text,
                    ocr: p.ocr,
                })
                .collect(),
            sha256: key.sha256.clone(),
        })
    }

    /// Stores an extraction atomically: a reader sees the old entry or the new one.
    pub fn put(&self, key: &Key, extraction: &Extraction) -> Result<()> {
        let entry = Entry {
            version: EXTRACTOR_VERSION,
            sha256: key.sha256.clone(),
            settings: key.settings.clone(),
            format: extraction.format.map(|f| f.as_str().to_owned()),
            status: extraction.status.as_str().to_owned(),
            message: extraction.message.clone(),
            pages: extraction
                .pages
                .iter()
                .map(|p| StoredPage {
                    number: p.number,
                    label: p.label.clone(),
                    text: p.text.clone(),
                    ocr: p.ocr,
                })
                .collect(),
        };
        let path = self.path(key);
        let folder = path.parent().expect("entries live in a subfolder");
        std::fs::create_dir_all(folder)?;
        let mut file = crate::tempfiles::new_in(folder)?;
        serde_json::to_writer(&mut file, &entry)?;
        file.flush()?;
        file.persist(&path)?;
        Ok(())
    }
}

/// Whether a cached status is a failure that `--retry-failed` should try again.
fn is_failed(status: Status) -> bool {
    matches!(status, Status::Error | Status::Encrypted | Status::Timeout)
}

/// Extracts one file through the cache, and returns the SHA-256 of its bytes (lowercase
/// hex) for provenance; the hash is `None` only when the file could not be read at all.
/// Without a cache this is [`extract::extract_file`] plus the hash.
pub fn extract_cached(
    path: &Path,
    options: &Options,
    cache: Option<&Cache>,
    retry_failed: bool,
) -> (Extraction, Option<String>) {
    let readable =
        std::fs::metadata(path).is_ok_and(|m| !m.is_dir() && m.len() <= options.max_file_bytes);
    let bytes = if readable {
        std::fs::read(path).ok()
    } else {
        None
    };
    let Some(bytes) = bytes else {
        // Not readable, or not to be read: extract_file gives the reason. An oversized file
        // is not hashed either: the size limit exists so that such a file costs nothing.
        return (extract::extract_file(path, options), None);
    };
    let sha256 = extract::sha256_hex(&bytes);
    let claimed = Format::from_extension(path);
    let key = cache.map(|_| Key::new(&sha256, claimed, options));
    if let (Some(cache), Some(key)) = (cache, &key)
        && let Some(hit) = cache.get(key)
        && !(retry_failed && is_failed(hit.status))
    {
        return (hit, Some(sha256));
    }
    let extraction = extract::extract_bytes(&bytes, claimed, options);
    if let (Some(cache), Some(key)) = (cache, &key)
        && extraction.status != Status::Timeout
    {
        // The cache only saves time: a full disk must not cost the document its row.
        let _ = cache.put(key, &extraction);
    }
    (extraction, Some(sha256))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> (tempfile::TempDir, Cache, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(&dir.path().join("cache")).unwrap();
        let doc = dir.path().join("plan.txt");
        std::fs::write(&doc, "De doelen zijn meetbaar.").unwrap();
        (dir, cache, doc)
    }

    fn entries(cache: &Cache) -> Vec<PathBuf> {
        walkdir::WalkDir::new(&cache.dir)
            .into_iter()
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
            .map(|e| e.path().to_path_buf())
            .collect()
    }

    #[test]
    fn hash_is_the_sha256_of_the_bytes() {
        let (_dir, _cache, doc) = setup();
        let (_, hash) = extract_cached(&doc, &Options::default(), None, false);
        // sha256 of "De doelen zijn meetbaar." computed independently (sha256sum).
        assert_eq!(
            hash.as_deref(),
            Some(hex(&Sha256::digest(b"De doelen zijn meetbaar.")).as_str())
        );
        assert_eq!(hash.unwrap().len(), 64);
    }

    #[test]
    fn second_extraction_is_served_from_the_cache() {
        let (_dir, cache, doc) = setup();
        let options = Options::default();
        let (first, hash) = extract_cached(&doc, &options, Some(&cache), false);
        assert_eq!(first.pages[0].text, "De doelen zijn meetbaar.");
        // Change the stored text behind the cache's back: a hit must return it.
        let key = Key::new(hash.as_deref().unwrap(), Some(Format::Text), &options);
        let mut planted = first.clone();
        planted.pages[0].text = "uit de cache".into();
        cache.put(&key, &planted).unwrap();
        let (second, _) = extract_cached(&doc, &options, Some(&cache), false);
        assert_eq!(second.pages[0].text, "uit de cache");
        assert_eq!(second.status, Status::Ok);
        assert_eq!(second.format, Some(Format::Text));
        assert_eq!(entries(&cache).len(), 1);
    }

    #[test]
    fn changed_file_is_a_miss() {
        let (_dir, cache, doc) = setup();
        let options = Options::default();
        extract_cached(&doc, &options, Some(&cache), false);
        std::fs::write(&doc, "Nieuwe evaluatie.").unwrap();
        let (got, _) = extract_cached(&doc, &options, Some(&cache), false);
        assert_eq!(got.pages[0].text, "Nieuwe evaluatie.");
        assert_eq!(entries(&cache).len(), 2);
    }

    #[test]
    fn corrupt_entry_is_ignored_and_rebuilt() {
        let (_dir, cache, doc) = setup();
        let options = Options::default();
        extract_cached(&doc, &options, Some(&cache), false);
        let entry = entries(&cache).pop().unwrap();
        std::fs::write(&entry, b"{\"version\": 1, \"pages\": [").unwrap();
        let (got, _) = extract_cached(&doc, &options, Some(&cache), false);
        assert_eq!(got.pages[0].text, "De doelen zijn meetbaar.");
        let rebuilt: Entry = serde_json::from_slice(&std::fs::read(&entry).unwrap()).unwrap();
        assert_eq!(rebuilt.pages[0].text, "De doelen zijn meetbaar.");
    }

    #[test]
    fn entry_of_another_extractor_version_is_stale() {
        let (_dir, cache, doc) = setup();
        let options = Options::default();
        extract_cached(&doc, &options, Some(&cache), false);
        let entry = entries(&cache).pop().unwrap();
        let mut stored: Entry = serde_json::from_slice(&std::fs::read(&entry).unwrap()).unwrap();
        stored.version = EXTRACTOR_VERSION + 1;
        stored.pages[0].text = "oud".into();
        std::fs::write(&entry, serde_json::to_vec(&stored).unwrap()).unwrap();
        let (got, _) = extract_cached(&doc, &options, Some(&cache), false);
        assert_eq!(got.pages[0].text, "De doelen zijn meetbaar.");
    }

    #[test]
    fn failures_are_cached_and_retried_on_request() {
        let (dir, cache, _) = setup();
        let options = Options::default();
        let fake = dir.path().join("aanvraag.pdf");
        std::fs::write(&fake, "geen pdf").unwrap();
        let (first, _) = extract_cached(&fake, &options, Some(&cache), false);
        assert_eq!(first.status, Status::Error);
        // Mark the cached failure so we can tell a cached answer from a fresh one.
        let entry = entries(&cache).pop().unwrap();
        let mut stored: Entry = serde_json::from_slice(&std::fs::read(&entry).unwrap()).unwrap();
        assert_eq!(stored.status, "error");
        assert_eq!(stored.message, first.message);
        stored.message = "reden uit de cache".into();
        std::fs::write(&entry, serde_json::to_vec(&stored).unwrap()).unwrap();

        let (cached, _) = extract_cached(&fake, &options, Some(&cache), false);
        assert_eq!(cached.message, "reden uit de cache");
        let (retried, _) = extract_cached(&fake, &options, Some(&cache), true);
        assert_eq!(retried.message, first.message);
        let (after, _) = extract_cached(&fake, &options, Some(&cache), false);
        assert_eq!(after.message, first.message, "the retry rewrote the entry");
    }

    #[test]
    fn password_changes_the_key_and_is_never_stored() {
        let (_dir, cache, doc) = setup();
        let with = Options {
            password: Some("geheim-wachtwoord".into()),
            ..Options::default()
        };
        extract_cached(&doc, &Options::default(), Some(&cache), false);
        extract_cached(&doc, &with, Some(&cache), false);
        let files = entries(&cache);
        assert_eq!(files.len(), 2, "a password is part of the key");
        for file in files {
            let text = std::fs::read_to_string(file).unwrap();
            assert!(!text.contains("geheim"), "{text}");
        }
    }

    #[test]
    fn ocr_engine_version_and_language_are_part_of_the_key() {
        let engine = |version: &str, language: &str| Options {
            ocr: Some(crate::extract::ocr::Engine {
                program: "tesseract".into(),
                version: version.into(),
                language: language.into(),
                jbig2dec: None,
            }),
            ..Options::default()
        };
        let sha = "ab".repeat(32);
        let keys = [
            Key::new(&sha, Some(Format::Pdf), &Options::default()),
            Key::new(&sha, Some(Format::Pdf), &engine("5.3.0", "nld")),
            Key::new(&sha, Some(Format::Pdf), &engine("5.3.1", "nld")),
            Key::new(&sha, Some(Format::Pdf), &engine("5.3.0", "nld+eng")),
        ];
        for (i, a) in keys.iter().enumerate() {
            for b in &keys[i + 1..] {
                assert_ne!(a.id(), b.id());
            }
        }
        assert_eq!(
            keys[1],
            Key::new(&sha, Some(Format::Pdf), &engine("5.3.0", "nld"))
        );
    }

    #[test]
    fn ocr_flag_of_a_page_survives_the_cache() {
        let (_dir, cache, _) = setup();
        let key = Key::new(&"cd".repeat(32), Some(Format::Pdf), &Options::default());
        let extraction = Extraction {
            format: Some(Format::Pdf),
            status: Status::Ok,
            message: String::new(),
            pages: vec![
                Page {
                    number: 1,
                    label: None,
                    text: "tekstlaag".into(),
                    ocr: false,
                },
                Page {
                    number: 2,
                    label: None,
                    text: "gescand".into(),
                    ocr: true,
                },
            ],
            sha256: String::new(),
        };
        cache.put(&key, &extraction).unwrap();
        let back = cache.get(&key).unwrap();
        assert_eq!(back.pages, extraction.pages);
    }

    #[test]
    fn claimed_format_is_part_of_the_key() {
        let (dir, cache, doc) = setup();
        let options = Options::default();
        let same_bytes = dir.path().join("plan.pdf");
        std::fs::copy(&doc, &same_bytes).unwrap();
        let (text, _) = extract_cached(&doc, &options, Some(&cache), false);
        let (pdf, _) = extract_cached(&same_bytes, &options, Some(&cache), false);
        assert_eq!(text.status, Status::Ok);
        assert_eq!(pdf.status, Status::Error);
    }

    #[test]
    fn every_pdf_limit_is_part_of_the_key() {
        let base = Options::default();
        let key = |options: &Options| Key::new("ab", Some(Format::Pdf), options);
        let changed: Vec<Options> = vec![
            Options {
                limits: extract::pdf::Limits {
                    page_glyphs: 10,
                    ..base.limits.clone()
                },
                ..base.clone()
            },
            Options {
                limits: extract::pdf::Limits {
                    page_operators: 10,
                    ..base.limits.clone()
                },
                ..base.clone()
            },
            Options {
                limits: extract::pdf::Limits {
                    stream_bytes: 1 << 20,
                    ..base.limits.clone()
                },
                ..base.clone()
            },
            Options {
                limits: extract::pdf::Limits {
                    document_bytes: 1 << 20,
                    ..base.limits.clone()
                },
                ..base.clone()
            },
            Options {
                limits: extract::pdf::Limits {
                    form_depth: 1,
                    ..base.limits.clone()
                },
                ..base.clone()
            },
        ];
        for options in &changed {
            assert_ne!(key(options), key(&base), "{:?}", options.limits);
        }
        assert_eq!(key(&base.clone()), key(&base));
    }

    #[test]
    fn cache_folder_that_is_a_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("bestand");
        std::fs::write(&file, "x").unwrap();
        assert!(Cache::open(&file).is_err());
    }
}
