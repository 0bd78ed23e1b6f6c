//! PDF documents: lopdf reads the objects (cross-reference repair, decryption, filters);
//! everything from the page tree to the text is ours, because lopdf's own text layer
//! glues words, skips Form XObjects and knows nothing of columns (research note §1.3).
//!
//! The stages, one module each:
//! - loading, encryption and repair of damaged or truncated files: this module;
//! - [`pages`]: the page tree, inherited resources, page labels;
//! - [`content`] (with [`lexer`]): the content-stream interpreter, glyphs in device space;
//! - [`font`]: character codes to Unicode text and widths (another module's concern);
//! - [`annots`]: what form fields and free-text annotations show (drawn by the
//!   interpreter after the page's content);
//! - [`layout`]: glyphs to words, lines, columns and blocks, and dehyphenation;
//! - [`limits`]: the bounds that keep a hostile file from taking the run;
//! - [`objects`]: following indirect references, shared by the others;
//! - [`scan`] (with [`images`] and [`raster`]): pages that are pictures of text, read
//!   with OCR under `--ocr`.
//!
//! [`extract`] never fails: a broken document is a status and a one-line message.

mod annots;
mod bidi;
mod content;
mod crypt;
mod font;
mod guess;
mod images;
mod layout;
mod lexer;
mod limits;
mod objects;
mod optional;
mod pages;
#[cfg(test)]
mod peer_tests;
mod raster;
mod repair;
mod scan;
#[cfg(test)]
mod tests;

use super::{Deadline, Extraction, Format, Options, Page};
use crate::status::Status;
use content::{DocContext, PageFlags};
use layout::{Layout, PageGlyphs};
pub use limits::Limits;
use lopdf::{Document, LoadOptions, Object, ObjectId};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Extracts the text of every page of a PDF held in memory, within `options.limits`.
pub fn extract(bytes: &[u8], options: &Options) -> Extraction {
    let deadline = Deadline::after(options.timeout);
    let (mut doc, mut notes) = match load(bytes, options) {
        Ok(loaded) => loaded,
        Err(failed) => return failed,
    };
    fill_streams(&mut doc, bytes, &mut notes);
    let first = read(&doc, notes, options, deadline);
    let suspect = first.status == Status::NoText || dangling_contents(&doc);
    if !suspect || deadline.expired() {
        // Pages without text may be scans: OCR reads them (`--ocr`), or the note says so.
        return scan::finish(&doc, first, options, deadline);
    }
    // A stream whose /Length runs past its end (or stops short) is lost to lopdf when
    // `endstream` does not start a line; a copy with the lengths put right is read again.
    if let Some((fixed, count)) = repair::fix_lengths(bytes, &doc)
        && let Ok(mut rebuilt) =
            Document::load_mem_with_options(&fixed, load_options(options, true))
        && !rebuilt.trailer.has(b"Encrypt")
    {
        let mut notes = vec![format!(
            "repaired: {count} stream{} with a wrong /Length read up to endstream",
            plural(count)
        )];
        fill_streams(&mut rebuilt, &fixed, &mut notes);
        let second = read(&rebuilt, notes, options, deadline);
        if words(&second) > words(&first) {
            drop(doc);
            return scan::finish(&rebuilt, second, options, deadline);
        }
    }
    // A table that parses but points one object (a stream's /Length, a content stream)
    // to the wrong place leaves pages blank; scanning the file for its objects finds
    // them. Only tried when nothing was read, so that scans pay one re-parse and
    // readable files nothing.
    if first.status == Status::NoText
        && doc.xref_recovery.is_none()
        && !deadline.expired()
        && let Ok(mut rebuilt) = Document::load_mem_with_options(bytes, load_options(options, true))
        && !rebuilt.trailer.has(b"Encrypt")
    {
        let mut notes =
            vec!["repaired: cross-reference table rebuilt from the objects in the file".into()];
        fill_streams(&mut rebuilt, bytes, &mut notes);
        let second = read(&rebuilt, notes, options, deadline);
        if second.status != Status::NoText {
            drop(doc);
            return scan::finish(&rebuilt, second, options, deadline);
        }
    }
    // Pages without text may be scans: OCR reads them (`--ocr`), or the note says it could.
    scan::finish(&doc, first, options, deadline)
}

/// Gives the streams lopdf kept without data their bytes up to `endstream`, with a note.
fn fill_streams(doc: &mut Document, bytes: &[u8], notes: &mut Vec<String>) {
    let filled = repair::fill_streams(doc, bytes);
    if filled > 0 {
        notes.push(format!(
            "repaired: {filled} stream{} without /Length read up to endstream",
            plural(filled)
        ));
    }
}

/// True when a page's `/Contents` names an object the document does not have: lost to
/// a parse error, most often a wrong stream length.
fn dangling_contents(doc: &Document) -> bool {
    let missing = |o: &Object| matches!(o, Object::Reference(id) if doc.get_object(*id).is_err());
    pages::pages(doc)
        .pages
        .iter()
        .any(|page| match page.dict.get(b"Contents") {
            Ok(Object::Array(items)) => items.iter().any(missing),
            Ok(contents) => missing(contents),
            Err(_) => false,
        })
}

/// Words of text extracted, to tell which of two readings of a file got more.
fn words(extraction: &Extraction) -> u64 {
    extraction
        .pages
        .iter()
        .map(|p| super::count_words(&p.text))
        .sum()
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Reads the pages of a loaded document; `notes` are what loading had to say.
fn read(
    doc: &Document,
    mut notes: Vec<String>,
    options: &Options,
    deadline: Deadline,
) -> Extraction {
    let limits = &options.limits;
    let list = pages::pages(doc);
    if list.repeats > 0 {
        notes.push(format!(
            "page tree repeats or loops ({} repeated nodes skipped)",
            list.repeats
        ));
    }
    if list.scanned && !list.pages.is_empty() {
        notes.push("page tree lost: pages taken from the page objects found".into());
    }
    let labels = pages::labels(doc, list.pages.len());
    let mut cx = DocContext::new(doc, limits.clone(), deadline);
    let mut glyphs = PageGlyphs::default();
    let mut layout = Layout::default();
    let mut out_pages = Vec::with_capacity(list.pages.len());
    let mut tally = Tally::default();
    let mut timed_out = false;
    for (index, (page, label)) in list.pages.iter().zip(labels).enumerate() {
        let mut text = String::new();
        if !timed_out && deadline.expired() {
            timed_out = true;
        }
        if !timed_out {
            glyphs.clear();
            let result = catch_unwind(AssertUnwindSafe(|| {
                let flags = content::run_page(&mut cx, page.dict, page.resources, &mut glyphs);
                glyphs.settle_guesses();
                layout.page_text(&glyphs, &mut text);
                flags
            }));
            match result {
                Ok(flags) => {
                    timed_out |= flags.timed_out;
                    tally.add(&flags);
                }
                Err(_) => {
                    tally.panicked += 1;
                    text.clear();
                }
            }
            if glyphs.invisible > 0 && glyphs.invisible * 2 >= glyphs.total && !text.is_empty() {
                tally.invisible += 1;
            }
            // Glyphs without Unicode were left out and the rest kept: a heading in a
            // mapped font is worth having beside a body in an unmapped one. A page where
            // they are a tenth or more of the glyphs is told in the note; a stray bullet
            // is not.
            if glyphs.unmapped > 0 && glyphs.unmapped as u64 * 10 >= glyphs.total as u64 {
                tally.unmapped += 1;
                tally.unmapped_glyphs += u64::from(glyphs.unmapped);
            }
        }
        out_pages.push(Page {
            number: index as u32 + 1,
            label,
            text,
            ocr: false,
        });
    }
    notes.extend(tally.notes());
    let read = out_pages.iter().filter(|p| !p.text.is_empty()).count();
    let status = if timed_out {
        notes.insert(
            0,
            format!(
                "timed out after {} s; pages read so far kept",
                options.timeout.as_secs_f32()
            ),
        );
        Status::Timeout
    } else if out_pages.is_empty() {
        // Repair notes would promise text that is not there.
        let damaged = notes.iter().any(|n| n.starts_with("repaired"));
        notes.clear();
        notes.push(if damaged {
            "unreadable PDF: no pages found in what is left of the damaged file".into()
        } else {
            "no pages found".into()
        });
        Status::Error
    } else if read == 0 {
        Status::NoText
    } else {
        Status::Ok
    };
    Extraction {
        format: Some(Format::Pdf),
        status,
        message: super::one_line(&notes.join("; ")),
        pages: out_pages,
        sha256: String::new(),
    }
}

/// What went wrong on how many pages, for the message.
#[derive(Default)]
struct Tally {
    operators: usize,
    glyphs: usize,
    cycles: usize,
    forms: usize,
    budget: usize,
    unmapped: usize,
    unmapped_glyphs: u64,
    invisible: usize,
    panicked: usize,
}

impl Tally {
    fn add(&mut self, flags: &PageFlags) {
        self.operators += usize::from(flags.too_many_operators);
        self.glyphs += usize::from(flags.too_many_glyphs);
        self.cycles += usize::from(flags.form_cycle);
        self.forms += usize::from(flags.form_limit);
        self.budget += usize::from(flags.over_budget);
    }

    fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        let mut note = |n: usize, what: &str| {
            if n > 0 {
                notes.push(format!(
                    "{what} on {n} page{}",
                    if n == 1 { "" } else { "s" }
                ));
            }
        };
        note(self.operators, "truncated: operator limit reached");
        note(self.glyphs, "truncated: glyph limit reached");
        note(self.budget, "truncated: decompression limit reached");
        note(
            self.cycles,
            "form_cycle: a form that draws itself was skipped",
        );
        note(self.forms, "truncated: form nesting or count limit reached");
        if self.unmapped > 0 {
            note(
                self.unmapped,
                &format!(
                    "{} glyph{} without Unicode mapping left out",
                    self.unmapped_glyphs,
                    plural(self.unmapped_glyphs as usize)
                ),
            );
        }
        // Users should know the text came from someone's OCR, not from the author.
        note(self.invisible, "text from an invisible OCR layer");
        note(self.panicked, "internal error (please report)");
        notes
    }
}

const PASSWORD_NEEDED: &str = "a password is needed to open this PDF (use --password)";

/// Loads the document, decrypting and repairing as lopdf can; a file it cannot load is
/// given a second chance as a truncated download (see [`salvage`]).
fn load(bytes: &[u8], options: &Options) -> Result<(Document, Vec<String>), Extraction> {
    let load_options = |force_reconstruct| load_options(options, force_reconstruct);
    let failed = |status, message: String| Extraction::failed(Some(Format::Pdf), status, message);
    let mut notes = Vec::new();
    let doc = match Document::load_mem_with_options(bytes, load_options(false)) {
        Ok(doc) => {
            match doc.xref_recovery {
                Some(lopdf::xref::XrefRecovery::Reconstructed) => notes.push(
                    "repaired: cross-reference table rebuilt from the objects in the file".into(),
                ),
                Some(_) => notes.push("repaired: cross-reference offsets corrected".into()),
                None => {}
            }
            doc
        }
        Err(lopdf::Error::InvalidPassword | lopdf::Error::Decryption(_)) => {
            return opened_by_hand(bytes, options, notes);
        }
        Err(first) => match Document::load_mem_with_options(&salvage(bytes), load_options(true)) {
            Ok(doc) => {
                notes.push(
                    "repaired: damaged or cut-off file, text read from the objects that survive"
                        .into(),
                );
                doc
            }
            Err(_) => return Err(failed(Status::Error, format!("unreadable PDF: {first}"))),
        },
    };
    // lopdf opens owner-password-only files itself (it tries the empty user password);
    // an `/Encrypt` still in the trailer means it did not open this one (a wrong
    // password, or a dictionary it does not read), and crypt filters it could not find
    // mean it decrypted with the wrong cipher. (Not `is_encrypted`, which only sees an
    // `/Encrypt` given by reference.)
    if doc.trailer.has(b"Encrypt") || crypt::decrypted_wrongly(&doc) {
        return opened_by_hand(bytes, options, notes);
    }
    // lopdf rebuilds a table whose page tree does not load, but not when a load filter is
    // set (a filter might drop the tree on purpose); ours never does, so ask for it.
    if doc.xref_recovery.is_none()
        && pages::pages(&doc).pages.is_empty()
        && let Ok(rebuilt) = Document::load_mem_with_options(bytes, load_options(true))
        && !rebuilt.trailer.has(b"Encrypt")
        && !pages::pages(&rebuilt).pages.is_empty()
    {
        notes.push("repaired: cross-reference table rebuilt from the objects in the file".into());
        return Ok((rebuilt, notes));
    }
    Ok((doc, notes))
}

/// An encrypted file lopdf did not open, opened by [`crypt::open`], or the reason why
/// not: a password is needed, or the one given is wrong.
fn opened_by_hand(
    bytes: &[u8],
    options: &Options,
    notes: Vec<String>,
) -> Result<(Document, Vec<String>), Extraction> {
    match crypt::open(bytes, options.password.as_deref(), |force| {
        load_options(options, force)
    }) {
        Ok(doc) => Ok((doc, notes)),
        Err(_) => {
            let message = if options.password.is_some() {
                "the password given does not open this PDF"
            } else {
                PASSWORD_NEEDED
            };
            Err(Extraction::failed(
                Some(Format::Pdf),
                Status::Encrypted,
                message,
            ))
        }
    }
}

/// How lopdf is asked to load: tolerant, images dropped (unless OCR needs them), streams
/// within the limit.
fn load_options(options: &Options, force_reconstruct: bool) -> LoadOptions {
    LoadOptions {
        password: options.password.clone(),
        // Image bytes are only needed for OCR; their dictionaries are kept, so that a
        // scan can be told from a blank page. lopdf ignores the filter for encrypted
        // files, which then keep their images in memory until the document is dropped.
        filter: Some(if options.ocr.is_some() {
            keep_images
        } else {
            drop_images
        }),
        strict: false,
        max_decompressed_size: Some(options.limits.stream_bytes),
        force_reconstruct,
    }
}

/// The load filter: the bytes of image streams are dropped before lopdf keeps them; the
/// dictionaries stay (a few hundred bytes each) for the survey of scanned pages.
///
/// lopdf keeps the object it passed in (only `None` counts) for objects read from the
/// file, and keeps the returned copy for objects from object streams, which are never
/// streams. So a stream that stays is answered with a cheap placeholder, and anything else
/// with a copy of itself.
fn drop_images(id: ObjectId, object: &mut Object) -> Option<(ObjectId, Object)> {
    match object {
        Object::Stream(stream)
            if stream.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Image") =>
        {
            stream.content = Vec::new();
            Some((id, Object::Null))
        }
        Object::Stream(_) => Some((id, Object::Null)),
        other => Some((id, other.clone())),
    }
}

/// The load filter under `--ocr`: everything is kept (see [`drop_images`] for the
/// placeholder).
fn keep_images(id: ObjectId, object: &mut Object) -> Option<(ObjectId, Object)> {
    match object {
        Object::Stream(_) => Some((id, Object::Null)),
        other => Some((id, other.clone())),
    }
}

/// A truncated file has lost its cross-reference table, its trailer and often its
/// catalog, which writers put at the end. lopdf rebuilds the table by scanning for
/// objects, but gives up without a catalog. This appends a stand-in catalog with an empty
/// page tree; the page enumeration then falls back to the `/Page` objects that survive.
fn salvage(bytes: &[u8]) -> Vec<u8> {
    let number = highest_object_number(bytes) + 1;
    let mut out = Vec::with_capacity(bytes.len() + 160);
    out.extend_from_slice(bytes);
    out.extend_from_slice(
        format!(
            "\nendstream\nendobj\n{number} 0 obj\n<< /Type /Catalog /Pages {} 0 R >>\nendobj\n\
             {} 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n",
            number + 1,
            number + 1
        )
        .as_bytes(),
    );
    out
}

/// The highest `N` of the `N G obj` headers in the file (bounded to lopdf's limit on
/// object numbers in a rebuilt table).
fn highest_object_number(bytes: &[u8]) -> u32 {
    let mut highest = 0u32;
    let mut i = 0;
    while let Some(found) = find(&bytes[i..], b" obj") {
        let at = i + found;
        // Back over "G " and "N ".
        let mut j = at;
        let mut numbers = [0u64; 2];
        for slot in numbers.iter_mut().rev() {
            let end = j;
            while j > 0 && bytes[j - 1].is_ascii_digit() {
                j -= 1;
            }
            if j == end {
                break;
            }
            *slot = bytes[j..end].iter().fold(0u64, |n, d| {
                (n * 10 + u64::from(d - b'0')).min(u64::MAX / 20)
            });
            if j > 0 && bytes[j - 1] == b' ' {
                j -= 1;
            }
        }
        if numbers[0] < 990_000 {
            highest = highest.max(numbers[0] as u32);
        }
        i = at + 4;
    }
    highest
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
