//! `borging explain`: one document's evidence, laid out for a person checking a verdict
//! by eye. Every category with its hits, the page and sentence of each, the rule that
//! fired, negated mentions marked, and what is missing for the verdict.
//!
//! Colour is written as ANSI styles; `anstream` strips them when standard output is not
//! a terminal (or `NO_COLOR` is set), so piped output is plain text.

use crate::outcome::{Outcome, Status};
use crate::plural::count;
use crate::rules::RuleSet;
use crate::safe_text::terminal_safe;
use anstyle::{AnsiColor, Style};
use std::io::{self, Write};

const BOLD: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();
const FOUND: Style = AnsiColor::Green.on_default().bold();
const LACKING: Style = AnsiColor::Red.on_default().bold();
const NEGATED: Style = AnsiColor::Yellow.on_default();
const MATCH: Style = Style::new().underline().bold();

pub fn write(out: &mut impl Write, rules: &RuleSet, outcome: &Outcome) -> io::Result<()> {
    let format = outcome.format.map(|f| f.as_str()).unwrap_or("?");
    writeln!(
        out,
        "{BOLD}{}{BOLD:#}  {DIM}{format}, {}, {}, {}{DIM:#}",
        crate::safe_text::path_text(&outcome.path),
        outcome.status.as_str(),
        count(outcome.pages, "page"),
        count(outcome.words, "word")
    )?;
    if !outcome.error.is_empty() {
        writeln!(out, "  {}", terminal_safe(&outcome.error))?;
    }
    let Some(verdict) = &outcome.score.verdict else {
        // Nothing was read, so there is nothing to judge: not a verdict of "none".
        if outcome.status == Status::NoText {
            writeln!(out, "  No text layer: probably a scan, which needs OCR.")?;
        }
        writeln!(
            out,
            "no verdict: {LACKING}the text could not be read{LACKING:#} ({}), so there is no evidence either way",
            outcome.status.as_str()
        )?;
        return Ok(());
    };
    if outcome.status != Status::Ok {
        writeln!(
            out,
            "  Only the pages read before the {} count.",
            outcome.status.as_str()
        )?;
    }
    let verdict_style = if outcome.score.missing.is_empty() {
        FOUND
    } else {
        LACKING
    };
    write!(out, "verdict: {verdict_style}{verdict}{verdict_style:#}")?;
    if outcome.score.missing.is_empty() {
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "  missing: {LACKING}{}{LACKING:#}",
            outcome.score.missing.join(", ")
        )?;
    }
    for (index, (category, score)) in rules
        .categories
        .iter()
        .zip(&outcome.score.categories)
        .enumerate()
    {
        let hits: Vec<_> = outcome
            .hits
            .iter()
            .filter(|h| h.category == index)
            .collect();
        let negated = hits.iter().filter(|h| h.negated).count();
        writeln!(out)?;
        let style = if score.hits > 0 { FOUND } else { LACKING };
        write!(
            out,
            "{style}{}{style:#} ({}): {} hit{}",
            category.label,
            category.id,
            score.hits,
            if score.hits == 1 { "" } else { "s" }
        )?;
        if !score.pages.is_empty() {
            let pages: Vec<String> = score.pages.iter().map(u32::to_string).collect();
            write!(
                out,
                " on page{} {}",
                if pages.len() == 1 { "" } else { "s" },
                pages.join(", ")
            )?;
        }
        if negated > 0 {
            write!(out, ", {NEGATED}{negated} negated{NEGATED:#}")?;
        }
        writeln!(out)?;
        if hits.is_empty() {
            writeln!(out, "  {DIM}no evidence{DIM:#}")?;
        }
        for hit in hits {
            let mark = if hit.negated {
                format!(" {NEGATED}NEGATED{NEGATED:#}")
            } else {
                String::new()
            };
            let sub = hit
                .subcategory
                .as_deref()
                .map(|s| format!("/{s}"))
                .unwrap_or_default();
            let ocr = if outcome.is_ocr_page(hit.page) {
                format!(" {DIM}(OCR){DIM:#}")
            } else {
                String::new()
            };
            writeln!(
                out,
                "  p. {:<4}{DIM}{}{sub} \u{2190} {}{DIM:#}{mark}{ocr}",
                hit.page,
                hit.rule,
                terminal_safe(&hit.term)
            )?;
            writeln!(out, "          {}", highlight(&hit.sentence, &hit.matched))?;
        }
    }
    Ok(())
}

/// The sentence with the first occurrence of the matched words emphasised.
fn highlight(sentence: &str, matched: &str) -> String {
    let sentence = terminal_safe(sentence);
    let matched = crate::extract::one_line(matched);
    match sentence.find(&matched) {
        Some(at) if !matched.is_empty() => format!(
            "{}{MATCH}{}{MATCH:#}{}",
            &sentence[..at],
            &sentence[at..at + matched.len()],
            &sentence[at + matched.len()..]
        ),
        _ => sentence,
    }
}
