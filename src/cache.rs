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
//!
//! A re-run does not even read a file it has seen, when the file's size, device, inode and
//! modification and change times are what they were when it was hashed (git's index makes
//! the same quick check): reading and hashing every file was a quarter of a cached re-run.
//! These stamps live in `DIR/stamps/`, one per path. A file written in the last seconds
//! before it was hashed gets no stamp, since a write in the same tick of the file system's
//! clock would leave its times as they were (git's "racily clean" files).
//!
//! The hits are cached too, per text and category (`DIR/findings/`): an entry holds, for
//! the text of one document, the hits of each category under the category's fingerprint
//! ([`RuleSet::fingerprint`]: this build of borging, the negation settings and the
//! category's rules). After a change to one rule only that rule's category is matched
//! again; the others are read back, and the rows are the same as a run without a cache
//! would write. Any other build of borging has other fingerprints, so a change to the
//! matcher never serves old hits.

use crate::extract::{self, Extraction, Format, Options, Page, hex};
use crate::matcher::{self, Hit};
use crate::rules::RuleSet;
use crate::status::Status;
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Bump whenever a change to extraction changes the pages it produces, so that entries
/// written by an older build are rebuilt instead of served.
pub const EXTRACTOR_VERSION: u32 = 7;

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
        write_entry(&self.path(key), &entry)
    }
}

/// What a file's metadata says about its bytes: equal stamps, equal bytes (see the module
/// documentation for when that holds).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Stamp {
    path: PathBuf,
    len: u64,
    dev: u64,
    ino: u64,
    /// Seconds and nanoseconds.
    mtime: (i64, i64),
    ctime: (i64, i64),
}

/// A stamp with the SHA-256 of the bytes it vouches for, as stored.
#[derive(Debug, Serialize, Deserialize)]
struct StampEntry {
    stamp: Stamp,
    sha256: String,
}

/// A file whose last modification is less than this many seconds before it is hashed gets
/// no stamp: file system clocks tick coarsely (down to 2 s on FAT).
const RACY_SECONDS: i64 = 3;

impl Stamp {
    #[cfg(unix)]
    fn of(path: &Path, meta: &std::fs::Metadata) -> Option<Stamp> {
        use std::os::unix::fs::MetadataExt;
        Some(Stamp {
            path: path.to_path_buf(),
            len: meta.len(),
            dev: meta.dev(),
            ino: meta.ino(),
            mtime: (meta.mtime(), meta.mtime_nsec()),
            ctime: (meta.ctime(), meta.ctime_nsec()),
        })
    }

    /// Without inode numbers and change times the check is not safe enough: no stamps.
    #[cfg(not(unix))]
    fn of(_path: &Path, _meta: &std::fs::Metadata) -> Option<Stamp> {
        None
    }

    /// Whether the file's bytes were last written long enough before `now` (seconds since
    /// the epoch) that a later write must change its modification time. (A recent change
    /// time alone, from a new hard link or a `chmod`, does not matter: every write sets
    /// both times.)
    fn settled(&self, now: i64) -> bool {
        self.mtime.0 < now - RACY_SECONDS
    }
}

impl Cache {
    fn stamp_path(&self, path: &Path) -> PathBuf {
        let id = hex(&Sha256::digest(path.as_os_str().as_encoded_bytes()));
        self.dir
            .join("stamps")
            .join(&id[..2])
            .join(format!("{id}.stamp"))
    }

    /// The SHA-256 recorded for a file with exactly this stamp.
    fn known_sha256(&self, stamp: &Stamp) -> Option<String> {
        let bytes = std::fs::read(self.stamp_path(&stamp.path)).ok()?;
        let entry: StampEntry = serde_json::from_slice(&bytes).ok()?;
        (entry.stamp == *stamp && entry.sha256.len() == 64).then_some(entry.sha256)
    }

    /// Records the SHA-256 of the bytes read under `stamp`.
    fn remember_sha256(&self, stamp: &Stamp, sha256: &str) -> Result<()> {
        let entry = StampEntry {
            stamp: stamp.clone(),
            sha256: sha256.to_owned(),
        };
        write_entry(&self.stamp_path(&stamp.path), &entry)
    }
}

/// What the rules found in one text, as stored.
#[derive(Debug, Serialize, Deserialize)]
struct FindingsEntry {
    /// The build that counted the words.
    build: String,
    /// SHA-256 of the pages (numbers and text).
    text: String,
    words: u64,
    categories: Vec<StoredCategory>,
}

#[derive(Debug, Serialize, Deserialize)]
struct StoredCategory {
    fingerprint: String,
    hits: Vec<StoredHit>,
}

/// A [`Hit`] without its category, which the fingerprint above it names.
#[derive(Debug, Serialize, Deserialize)]
struct StoredHit {
    page: u32,
    subcategory: Option<String>,
    rule: String,
    term: String,
    matched: String,
    sentence: String,
    start: usize,
    end: usize,
    negated: bool,
    weight: f64,
    sentence_start: usize,
    heading: bool,
}

impl StoredHit {
    fn of(hit: &Hit) -> StoredHit {
        StoredHit {
            page: hit.page,
            subcategory: hit.subcategory.as_deref().map(str::to_string),
            rule: hit.rule.to_string(),
            term: hit.term.to_string(),
            matched: hit.matched.clone(),
            sentence: hit.sentence.clone(),
            start: hit.start,
            end: hit.end,
            negated: hit.negated,
            weight: hit.weight,
            sentence_start: hit.sentence_start,
            heading: hit.heading,
        }
    }

    fn into_hit(self, category: usize) -> Hit {
        Hit {
            page: self.page,
            category,
            subcategory: self.subcategory.map(Arc::from),
            rule: self.rule.into(),
            term: self.term.into(),
            matched: self.matched,
            sentence: self.sentence,
            start: self.start,
            end: self.end,
            negated: self.negated,
            weight: self.weight,
            sentence_start: self.sentence_start,
            heading: self.heading,
        }
    }
}

/// The SHA-256 of what decides the hits in `pages`: their numbers and text.
fn text_id(pages: &[Page]) -> String {
    let mut hash = Sha256::new();
    for page in pages {
        hash.update(page.number.to_le_bytes());
        hash.update((page.text.len() as u64).to_le_bytes());
        hash.update(page.text.as_bytes());
    }
    hex(&hash.finalize())
}

impl Cache {
    fn findings_path(&self, text: &str) -> PathBuf {
        self.dir
            .join("findings")
            .join(&text[..2])
            .join(format!("{text}.json"))
    }

    /// The hits of `rules` in `pages`, as [`matcher::hits`] finds them, and the words of
    /// the pages, as [`extract::count_words`] counts them: read from the cache for every
    /// category whose fingerprint is stored for this text, matched (and stored) for the
    /// others.
    pub fn findings(&self, rules: &RuleSet, pages: &[Page]) -> (Vec<Hit>, u64) {
        let count = || pages.iter().map(|p| extract::count_words(&p.text)).sum();
        let n = rules.categories.len();
        if n > 64 {
            return (matcher::hits(rules, pages), count());
        }
        let text = text_id(pages);
        let path = self.findings_path(&text);
        let stored = std::fs::read(&path)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<FindingsEntry>(&bytes).ok())
            .filter(|entry| entry.build == env!("BORGING_BUILD") && entry.text == text);
        let mut by_fingerprint: HashMap<String, Vec<StoredHit>> = HashMap::new();
        let mut words = None;
        if let Some(entry) = stored {
            words = Some(entry.words);
            for category in entry.categories {
                by_fingerprint.insert(category.fingerprint, category.hits);
            }
        }
        let mut hits = Vec::new();
        let mut missing = 0u64;
        for ci in 0..n {
            match by_fingerprint.remove(rules.fingerprint(ci)) {
                Some(stored) => hits.extend(stored.into_iter().map(|h| h.into_hit(ci))),
                None => missing |= 1 << ci,
            }
        }
        if missing != 0 {
            hits.extend(matcher::hits_of(rules, pages, missing));
        }
        // In the order of a run without a cache: page, then text, then category (within a
        // category hits do not overlap, so no two share a place).
        let page_order: HashMap<u32, usize> = pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.number, i))
            .collect();
        hits.sort_by_key(|h| (page_order.get(&h.page).copied(), h.start, h.category, h.end));
        if missing == 0
            && by_fingerprint.is_empty()
            && let Some(words) = words
        {
            return (hits, words);
        }
        let words = words.unwrap_or_else(count);
        // Rewritten with the current categories only, so that entries do not grow with
        // every rule change. The cache only saves time: a failed write costs nothing else.
        let _ = self.put_findings(&path, &text, words, rules, &hits);
        (hits, words)
    }

    fn put_findings(
        &self,
        path: &Path,
        text: &str,
        words: u64,
        rules: &RuleSet,
        hits: &[Hit],
    ) -> Result<()> {
        let entry = FindingsEntry {
            build: env!("BORGING_BUILD").to_owned(),
            text: text.to_owned(),
            words,
            categories: (0..rules.categories.len())
                .map(|ci| StoredCategory {
                    fingerprint: rules.fingerprint(ci).to_owned(),
                    hits: hits
                        .iter()
                        .filter(|h| h.category == ci)
                        .map(StoredHit::of)
                        .collect(),
                })
                .collect(),
        };
        write_entry(path, &entry)
    }
}

/// Writes `entry` as JSON to `path` (in a subfolder of the cache, made if needed)
/// atomically: a reader sees the old entry or the new one, never half of one.
fn write_entry(path: &Path, entry: &impl Serialize) -> Result<()> {
    let folder = path.parent().expect("entries live in a subfolder");
    std::fs::create_dir_all(folder)?;
    let mut file = crate::tempfiles::new_in(folder)?;
    // One write: serde_json's writer on the file would make a system call per token.
    file.write_all(&serde_json::to_vec(entry)?)?;
    file.persist(path)?;
    Ok(())
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
    let meta = std::fs::metadata(path)
        .ok()
        .filter(|m| !m.is_dir() && m.len() <= options.max_file_bytes);
    let claimed = Format::from_extension(path);
    // The quick check: a file seen before with the same stamp is neither read nor hashed.
    let stamp = cache
        .zip(meta.as_ref())
        .and_then(|(_, m)| Stamp::of(path, m));
    let known = cache
        .zip(stamp.as_ref())
        .and_then(|(c, s)| c.known_sha256(s));
    if let (Some(cache), Some(sha256)) = (cache, &known)
        && let Some(hit) = cache.get(&Key::new(sha256, claimed, options))
        && !(retry_failed && is_failed(hit.status))
    {
        return (hit, known);
    }
    let bytes = if meta.is_some() {
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
    if let (Some(cache), Some(stamp), None) = (cache, &stamp, &known) {
        // Only when the file did not change while it was read, and not just before.
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        let unchanged = std::fs::metadata(path)
            .ok()
            .and_then(|m| Stamp::of(path, &m))
            .is_some_and(|after| after == *stamp);
        if unchanged && stamp.settled(now) {
            let _ = cache.remember_sha256(stamp, &sha256);
        }
    }
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

    /// Sets the modification time of `path` an hour back: a file written long before.
    fn age(path: &Path) {
        let file = std::fs::File::options().write(true).open(path).unwrap();
        let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        file.set_modified(hour_ago).unwrap();
    }

    fn stamps(cache: &Cache) -> usize {
        walkdir::WalkDir::new(cache.dir.join("stamps"))
            .into_iter()
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "stamp"))
            .count()
    }

    #[test]
    #[cfg(unix)]
    fn file_with_the_stamp_it_was_hashed_under_is_not_read_again() {
        let (_dir, cache, doc) = setup();
        age(&doc);
        let options = Options::default();
        let (_, hash) = extract_cached(&doc, &options, Some(&cache), false);
        assert_eq!(stamps(&cache), 1);
        // Vouch for another hash under the file's stamp, and give that hash an entry: a run
        // that trusts the stamp serves it without reading the file.
        let stamp = Stamp::of(&doc, &std::fs::metadata(&doc).unwrap()).unwrap();
        let other = "0".repeat(64);
        cache.remember_sha256(&stamp, &other).unwrap();
        let (mut planted, _) = extract_cached(&doc, &options, None, false);
        planted.pages[0].text = "volgens de stempel".into();
        cache
            .put(&Key::new(&other, Some(Format::Text), &options), &planted)
            .unwrap();
        let (got, got_hash) = extract_cached(&doc, &options, Some(&cache), false);
        assert_eq!(got.pages[0].text, "volgens de stempel");
        assert_eq!(got_hash.as_deref(), Some(other.as_str()));
        assert_ne!(hash.as_deref(), Some(other.as_str()));
    }

    #[test]
    #[cfg(unix)]
    fn file_rewritten_with_its_old_size_and_time_is_hashed_again() {
        let (_dir, cache, doc) = setup();
        age(&doc);
        let options = Options::default();
        extract_cached(&doc, &options, Some(&cache), false);
        let before = std::fs::metadata(&doc).unwrap().modified().unwrap();
        // Same length, same modification time: only the change time tells (a tick of the
        // file system's clock later).
        std::thread::sleep(std::time::Duration::from_millis(50));
        std::fs::write(&doc, "De doelen zijn haalbaar.").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&doc)
            .unwrap()
            .set_modified(before)
            .unwrap();
        let (got, hash) = extract_cached(&doc, &options, Some(&cache), false);
        assert_eq!(got.pages[0].text, "De doelen zijn haalbaar.");
        assert_eq!(
            hash.as_deref(),
            Some(hex(&Sha256::digest(b"De doelen zijn haalbaar.")).as_str())
        );
    }

    #[test]
    fn file_written_moments_before_it_is_hashed_gets_no_stamp() {
        let (_dir, cache, doc) = setup();
        extract_cached(&doc, &Options::default(), Some(&cache), false);
        assert_eq!(stamps(&cache), 0);
    }

    #[test]
    fn corrupt_or_foreign_findings_entry_is_matched_again() {
        let (_dir, cache, _doc) = setup();
        let rules = RuleSet::bundled();
        let pages = vec![Page {
            number: 1,
            label: None,
            text: "Het team evalueert jaarlijks of de doelen zijn gehaald.".into(),
            ocr: false,
        }];
        let expected = (matcher::hits(&rules, &pages), 9);
        assert!(!expected.0.is_empty());
        assert_eq!(cache.findings(&rules, &pages), expected);
        let entry = cache.findings_path(&text_id(&pages));
        for broken in [
            b"{\"build\": \"".to_vec(),
            std::fs::read(&entry)
                .unwrap()
                .iter()
                .map(|&b| if b == b'"' { b'\'' } else { b })
                .collect(),
        ] {
            std::fs::write(&entry, broken).unwrap();
            assert_eq!(cache.findings(&rules, &pages), expected);
            let rebuilt: FindingsEntry =
                serde_json::from_slice(&std::fs::read(&entry).unwrap()).unwrap();
            assert_eq!(rebuilt.categories.len(), rules.categories.len());
        }
        // An entry of another build is not served, even with the same fingerprints.
        let mut other: FindingsEntry =
            serde_json::from_slice(&std::fs::read(&entry).unwrap()).unwrap();
        other.build = "0.0.0-other".into();
        for category in &mut other.categories {
            category.hits.clear();
        }
        std::fs::write(&entry, serde_json::to_vec(&other).unwrap()).unwrap();
        assert_eq!(cache.findings(&rules, &pages), expected);
    }
}
