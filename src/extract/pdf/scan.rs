//! Scanned pages: finding the pages of a PDF that are pictures of text, and, with
//! `--ocr`, reading them with Tesseract.
//!
//! A page needs OCR when it has no usable text of its own and its images could hold
//! some: no words at all and a picture covering a real part of the page (a scan, a page
//! whose invisible OCR layer is empty, text set as an image), or a few words of
//! furniture (a stamp, a scanner's footer) on a page that is mostly one picture. A page
//! with text keeps it: OCR never replaces a text layer, and the furniture stays before
//! what OCR read. Without `--ocr` the same survey feeds the note of a `no_text` row, so
//! the user learns that `--ocr` could read it.
//!
//! OCR runs inside the document's deadline, page after page; when it passes, the pages
//! read so far are kept and the document is a `timeout`.

use super::images::{self, Draw, Geometry};
use super::layout::append_line;
use super::pages;
use super::raster;
use crate::extract::ocr::{Engine, Failure};
use crate::extract::{Deadline, Extraction, Options, count_words};
use crate::status::Status;
use lopdf::Document;

/// Words a page may have and still be a scan with furniture on it.
pub const FURNITURE_WORDS: u64 = 10;

/// Share of the page a picture must cover for a page with a few words to be read.
const FURNITURE_COVER: f32 = 0.6;

/// Share of the page the pictures of a page without words must cover together.
const EMPTY_COVER: f32 = 0.05;

/// Pixels an image (or its mask) needs to hold a word: smaller ones are icons and rules.
/// Size on the page does not count: text set as pictures comes one small image a line.
const MIN_IMAGE_PIXELS: u64 = 10_000;

/// A page that OCR could read, with the images to read.
struct Candidate<'d> {
    index: usize,
    geometry: Geometry,
    draws: Vec<Draw<'d>>,
}

/// The pages of `doc` that are scans, in order, and the number of the page where the
/// deadline stopped the survey, if it did.
fn candidates<'d>(
    doc: &'d Document,
    extraction: &Extraction,
    options: &Options,
    deadline: Deadline,
) -> (Vec<Candidate<'d>>, Option<u32>) {
    let list = pages::pages(doc);
    if list.pages.len() != extraction.pages.len() {
        return (Vec::new(), None);
    }
    let mut out = Vec::new();
    for (index, (page, extracted)) in list.pages.iter().zip(&extraction.pages).enumerate() {
        let words = count_words(&extracted.text);
        if words > FURNITURE_WORDS {
            continue;
        }
        let found = images::draws(doc, page.dict, page.resources, &options.limits, deadline);
        if found.timed_out || deadline.expired() {
            return (out, Some(index as u32 + 1));
        }
        let geometry = Geometry::of(doc, page.dict);
        let area = geometry.area().max(1.0);
        let draws: Vec<Draw<'d>> = found
            .draws
            .into_iter()
            .filter(|d| d.pixels(doc) >= MIN_IMAGE_PIXELS && d.area_on(&geometry) > 0.0)
            .collect();
        let cover = (draws.iter().map(|d| d.area_on(&geometry)).sum::<f32>() / area).min(1.0);
        let largest = draws
            .iter()
            .map(|d| d.area_on(&geometry) / area)
            .fold(0.0, f32::max);
        let is_scan = if words == 0 {
            cover >= EMPTY_COVER
        } else {
            largest >= FURNITURE_COVER
        };
        if is_scan {
            out.push(Candidate {
                index,
                geometry,
                draws,
            });
        }
    }
    (out, None)
}

/// Completes a PDF's extraction: with `--ocr`, reads the scanned pages; without, tells a
/// `no_text` document's user that `--ocr` could.
pub fn finish(
    doc: &Document,
    mut extraction: Extraction,
    options: &Options,
    deadline: Deadline,
) -> Extraction {
    if !matches!(extraction.status, Status::Ok | Status::NoText) {
        return extraction;
    }
    let Some(engine) = &options.ocr else {
        if extraction.status == Status::NoText {
            let found = candidates(doc, &extraction, options, deadline).0.len();
            if found > 0 {
                let total = extraction.pages.len();
                note(
                    &mut extraction,
                    format!(
                        "{found} of {total} page{} {} without text: --ocr could read {}",
                        if total == 1 { "" } else { "s" },
                        if found == 1 {
                            "is an image"
                        } else {
                            "are images"
                        },
                        if found == 1 { "it" } else { "them" },
                    ),
                );
            }
        }
        return extraction;
    };
    let (found, mut timed_out_at) = candidates(doc, &extraction, options, deadline);
    if found.is_empty() && timed_out_at.is_none() {
        if extraction.status == Status::NoText {
            note(
                &mut extraction,
                "ocr: no page is a scanned image, nothing to read".into(),
            );
        }
        return extraction;
    }
    let total = extraction.pages.len();
    let mut read = 0usize;
    let mut empty: Vec<u32> = Vec::new();
    let mut failed: Vec<(String, Vec<u32>)> = Vec::new();
    for candidate in &found {
        let number = candidate.index as u32 + 1;
        if timed_out_at.is_some_and(|stop| stop <= number) {
            break;
        }
        if deadline.expired() {
            timed_out_at = Some(number);
            break;
        }
        match recognise(doc, candidate, engine, options, deadline) {
            Ok(text) if count_words(&text) == 0 => empty.push(number),
            Ok(text) => {
                let page = &mut extraction.pages[candidate.index];
                if page.text.trim().is_empty() {
                    page.text = text;
                } else {
                    page.text = format!("{}\n\n{text}", page.text.trim_end());
                }
                page.ocr = true;
                read += 1;
            }
            Err(Failure::Timeout) => {
                timed_out_at = Some(number);
                break;
            }
            Err(Failure::Failed(why)) => match failed.iter_mut().find(|f| f.0 == why) {
                Some(entry) => entry.1.push(number),
                None => failed.push((why, vec![number])),
            },
        }
    }
    // A document with text of its own only hears of OCR when OCR added to it or failed:
    // a cover photo without words is not news.
    let had_text = extraction.status == Status::Ok;
    let mut notes = Vec::new();
    if read > 0 || !had_text {
        notes.push(format!(
            "ocr: {read} of {total} page{} ({})",
            if total == 1 { "" } else { "s" },
            engine.label()
        ));
    }
    if !empty.is_empty() && !had_text {
        notes.push(format!("ocr found no text on {}", page_list(&empty)));
    }
    for (why, numbers) in &failed {
        notes.push(format!("ocr could not read {}: {why}", page_list(numbers)));
    }
    if read > 0 && extraction.status == Status::NoText {
        extraction.status = Status::Ok;
    }
    if let Some(page) = timed_out_at {
        extraction.status = Status::Timeout;
        notes.insert(
            0,
            format!(
                "timed out after {} s during OCR of page {page} of {total}; pages read so far kept",
                options.timeout.as_secs_f32()
            ),
        );
    }
    for text in notes {
        note(&mut extraction, text);
    }
    extraction
}

/// Draws one page and reads it, in a temporary folder removed afterwards.
fn recognise(
    doc: &Document,
    candidate: &Candidate<'_>,
    engine: &Engine,
    options: &Options,
    deadline: Deadline,
) -> Result<String, Failure> {
    let dir = tempfile::Builder::new()
        .prefix("borging-ocr-")
        .tempdir()
        .map_err(|e| Failure::Failed(format!("cannot make a temporary folder: {e}")))?;
    let draws: Vec<&Draw<'_>> = candidate.draws.iter().collect();
    let image = raster::page_image(
        doc,
        &draws,
        &candidate.geometry,
        engine,
        &options.limits,
        dir.path(),
        deadline,
    )?;
    let raw = engine.recognise(&image.path, image.dpi, deadline, dir.path())?;
    Ok(tidy(&raw))
}

/// Tesseract's text in the form of the PDF reader's: lines joined by '\n', blocks by a
/// blank line, words broken at a line end rejoined, no form feed, no control characters.
pub fn tidy(raw: &str) -> String {
    let mut out = String::new();
    let mut blank = false;
    for line in raw.lines() {
        let line: String = line
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let line = line.trim();
        if line.is_empty() {
            blank = true;
            continue;
        }
        let block = if out.is_empty() { None } else { Some(blank) };
        append_line(&mut out, line, block);
        blank = false;
    }
    out
}

fn note(extraction: &mut Extraction, text: String) {
    if extraction.message.is_empty() {
        extraction.message = text;
    } else {
        extraction.message = format!("{}; {text}", extraction.message);
    }
}

/// "page 3" or "pages 2, 5".
fn page_list(numbers: &[u32]) -> String {
    let list: Vec<String> = numbers.iter().map(u32::to_string).collect();
    format!(
        "page{} {}",
        if numbers.len() == 1 { "" } else { "s" },
        list.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidy_joins_lines_rejoins_broken_words_and_drops_the_form_feed() {
        let raw = "De school evalu-\neert jaarlijks\nde doelen.\n\nTweede alinea\n\u{c}";
        assert_eq!(
            tidy(raw),
            "De school evalueert\njaarlijks\nde doelen.\n\nTweede alinea"
        );
    }

    #[test]
    fn tidy_of_nothing_is_nothing() {
        assert_eq!(tidy("\n \u{c}"), "");
    }

    #[test]
    fn page_lists_read_as_text() {
        assert_eq!(page_list(&[3]), "page 3");
        assert_eq!(page_list(&[2, 5]), "pages 2, 5");
    }
}
