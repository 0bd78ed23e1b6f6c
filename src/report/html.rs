//! The HTML report (`--html`): one self-contained page in Dutch for advisers and programme
//! managers, who check a verdict by eye and put the result in a dossier.
//!
//! The page opens offline and can be mailed and archived: no external CSS, fonts, scripts or
//! images. Documents are untrusted, so every piece of their text and every file name goes
//! through [`escape`], never into a script, a style or an unquoted attribute; a
//! Content-Security-Policy forbids loading anything and lets only our own style and script
//! run, by their SHA-256 (a hash rather than a nonce: the file is static, and a hash also
//! keeps the output reproducible). The small script sorts and filters the table and opens
//! folded sections for printing; the page reads the same without it.
//!
//! Size stays bounded: per document and category at most `sentences` counted and as many
//! negated sentences are kept (the matcher already cuts a sentence at 600 characters), the
//! rest is counted as "en nog M". Memory grows with the number of documents, not of hits.

use super::summary::Summary;
use crate::matcher::Hit;
use crate::outcome::{Outcome, Status};
use crate::rules::{Condition, RuleSet};
use std::fmt::Write as _;
use std::ops::Range;
use std::time::SystemTime;

/// Default number of evidence sentences shown per category and document.
pub const DEFAULT_SENTENCES: usize = 5;

/// Longest technical message (an extraction error or note) kept per document, in chars.
const MAX_NOTE: usize = 300;

/// The report, filled while the run streams by and written at its end.
#[derive(Debug)]
pub struct HtmlReport {
    started: SystemTime,
    /// (name, SHA-256) of every rule file.
    rule_files: Vec<(String, String)>,
    sentences: usize,
    documents: Vec<Document>,
}

#[derive(Debug)]
struct Document {
    path: String,
    format: Option<&'static str>,
    status: Status,
    note: String,
    pages: u32,
    words: u64,
    sha256: String,
    /// `None` where the text was not (fully) read: such a document gets no verdict.
    verdict: Option<String>,
    /// Indexes of required categories without evidence; empty without a verdict.
    missing: Vec<usize>,
    categories: Vec<CategoryEvidence>,
}

#[derive(Debug, Default)]
struct CategoryEvidence {
    /// Counted hits, as in the CSV's `<category>_hits`.
    hits: u32,
    /// Distinct pages with a counted hit, as in `<category>_pages`.
    pages: Vec<u32>,
    /// The strongest counted sentences, strongest first.
    counted: Vec<Sentence>,
    more_counted: usize,
    /// Sentences with only negated mentions, in document order.
    negated: Vec<Sentence>,
    more_negated: usize,
}

#[derive(Debug)]
struct Sentence {
    page: u32,
    text: String,
    /// Byte ranges of `text` to highlight, sorted and disjoint.
    marks: Vec<Range<usize>>,
    /// The rules and terms that fired, for rule authors (a tooltip).
    rules: String,
    weight: f64,
    /// The page's text came from OCR (`--ocr`): a reader may want to check the scan.
    ocr: bool,
}

impl HtmlReport {
    /// `rule_files` are (name, SHA-256) of the rule files; `sentences` is N of "the first N
    /// sentences per category".
    pub fn new(rule_files: Vec<(String, String)>, sentences: usize) -> HtmlReport {
        HtmlReport {
            started: SystemTime::now(),
            rule_files,
            sentences,
            documents: Vec::new(),
        }
    }

    pub fn add(&mut self, rules: &RuleSet, outcome: &Outcome) {
        // A document read in part (`timeout`) has a verdict on what was read, as in the
        // CSV; its status says that it was cut short.
        let judged = outcome.status.has_text();
        let verdict = outcome
            .score
            .verdict
            .clone()
            .filter(|v| judged && !v.is_empty());
        let missing = if verdict.is_some() {
            outcome
                .score
                .missing
                .iter()
                .filter_map(|id| rules.categories.iter().position(|c| &c.id == id))
                .collect()
        } else {
            Vec::new()
        };
        let categories = (0..rules.categories.len())
            .map(|index| self.category(outcome, index))
            .collect();
        self.documents.push(Document {
            path: crate::safe_text::path_text(&outcome.path),
            format: outcome.format.map(|f| f.as_str()),
            status: outcome.status,
            note: outcome.error.chars().take(MAX_NOTE).collect(),
            pages: outcome.pages,
            words: outcome.words,
            sha256: outcome.sha256.clone(),
            verdict,
            missing,
            categories,
        });
    }

    fn category(&self, outcome: &Outcome, index: usize) -> CategoryEvidence {
        let score = outcome.score.categories.get(index);
        let of_category = |negated: bool| -> Vec<&Hit> {
            outcome
                .hits
                .iter()
                .filter(|h| h.category == index && h.negated == negated)
                .collect()
        };
        let mut counted = sentences(&of_category(false), outcome);
        // Strongest first, as the CSV's `<category>_evidence` picks it: whole sentences
        // before fragments, then the highest summed weight, ties to the first in the
        // document (the sort is stable).
        counted.sort_by(|a, b| {
            let whole = |t: &str| crate::score::is_whole_sentence(t);
            whole(&b.text)
                .cmp(&whole(&a.text))
                .then(b.weight.total_cmp(&a.weight))
        });
        let more_counted = counted.len().saturating_sub(self.sentences);
        counted.truncate(self.sentences);
        let mut negated = sentences(&of_category(true), outcome);
        let more_negated = negated.len().saturating_sub(self.sentences);
        negated.truncate(self.sentences);
        CategoryEvidence {
            hits: score.map_or(0, |s| s.hits),
            pages: score.map(|s| s.pages.clone()).unwrap_or_default(),
            counted,
            more_counted,
            negated,
            more_negated,
        }
    }

    /// The whole page; `summary` adds the per-folder view.
    pub fn render(&self, rules: &RuleSet, summary: Option<&Summary>) -> String {
        let mut out = String::with_capacity(64 * 1024 + self.documents.len() * 4096);
        self.head(&mut out, rules);
        out.push_str("<body>\n");
        self.overview(&mut out, rules);
        if let Some(summary) = summary {
            folders(&mut out, rules, summary);
        }
        legend(&mut out, rules);
        out.push_str("<section id=\"per-document\">\n<h2>Bewijs per document</h2>\n");
        out.push_str(
            "<p class=\"uitleg\">Per onderdeel de zinnen met bewijs en hun pagina, de sterkste \
             eerst; de woorden die de regels vonden zijn gemarkeerd. Ontkende vermeldingen \
             (\u{201c}er wordt niet geëvalueerd\u{201d}) staan apart en tellen niet mee.</p>\n",
        );
        for (number, document) in self.documents.iter().enumerate() {
            self.details(&mut out, rules, number + 1, document);
        }
        out.push_str("</section>\n");
        self.footer(&mut out, rules);
        let _ = write!(out, "<script>{SCRIPT}</script>\n</body>\n</html>\n");
        out
    }

    fn head(&self, out: &mut String, rules: &RuleSet) {
        let csp = format!(
            "default-src 'none'; style-src 'sha256-{}'; script-src 'sha256-{}'; \
             img-src 'none'; base-uri 'none'; form-action 'none'",
            base64_sha256(STYLE),
            base64_sha256(SCRIPT)
        );
        let _ = write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"nl\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">\n\
             <meta name=\"referrer\" content=\"no-referrer\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta name=\"generator\" content=\"borging {}\">\n\
             <title>Borgingsrapport: {}</title>\n<style>{STYLE}</style>\n</head>\n",
            env!("CARGO_PKG_VERSION"),
            escape(&rules.label),
        );
    }

    fn overview(&self, out: &mut String, rules: &RuleSet) {
        let _ = write!(
            out,
            "<header>\n<h1>Borgingsrapport</h1>\n<p class=\"ondertitel\">{}</p>\n",
            escape(&rules.label)
        );
        if !rules.description.is_empty() {
            let _ = writeln!(out, "<p>{}</p>", escape(&rules.description));
        }
        out.push_str("<dl class=\"run\">\n");
        let _ = writeln!(
            out,
            "<dt>Gemaakt</dt><dd id=\"datum\">{}</dd>",
            dutch_date(self.started)
        );
        out.push_str("<dt>Regelset</dt><dd>");
        out.push_str(&escape(&rules.label));
        for (name, sha) in &self.rule_files {
            let _ = write!(
                out,
                "<br><span class=\"bestand\">{}</span> <span class=\"hash\">SHA-256 {}</span>",
                escape(&rule_file_name(name)),
                escape(sha)
            );
        }
        out.push_str("</dd>\n");
        let by_status: Vec<String> = Status::ALL
            .iter()
            .map(|&s| (s, self.documents.iter().filter(|d| d.status == s).count()))
            .filter(|(_, n)| *n > 0)
            .map(|(s, n)| format!("{n} {}", status_words(s)))
            .collect();
        let _ = writeln!(
            out,
            "<dt>Documenten</dt><dd id=\"per-status\">{}{}{}</dd>",
            plural(self.documents.len(), "document", "documenten"),
            if by_status.is_empty() { "" } else { ": " },
            escape(&by_status.join(", "))
        );
        // A label may stand in more than one `[[verdict]]`; count it once.
        let mut seen: Vec<&str> = Vec::new();
        for verdict in &rules.verdicts {
            if !seen.contains(&verdict.label.as_str()) {
                seen.push(&verdict.label);
            }
        }
        let mut verdicts: Vec<String> = seen
            .iter()
            .map(|label| {
                let n = self
                    .documents
                    .iter()
                    .filter(|d| d.verdict.as_deref() == Some(*label))
                    .count();
                format!("{n} {}", escape(label))
            })
            .collect();
        let unjudged = self
            .documents
            .iter()
            .filter(|d| d.verdict.is_none())
            .count();
        if unjudged > 0 {
            verdicts.push(format!("{unjudged} zonder oordeel"));
        }
        let _ = writeln!(out, "<dt>Oordelen</dt><dd>{}</dd>", verdicts.join(", "));
        out.push_str("</dl>\n</header>\n");

        out.push_str("<section id=\"overzicht\">\n<h2>Overzicht per document</h2>\n");
        out.push_str(
            "<p class=\"uitleg\">Per onderdeel het aantal treffers dat meetelt: \
             <span class=\"voorbeeld ja\">groen</span> is bewijs gevonden, \
             <span class=\"voorbeeld nee\">grijs</span> is geen bewijs. Klik op een document \
             voor de zinnen en hun pagina\u{2019}s.</p>\n",
        );
        out.push_str(
            "<p id=\"filter\" hidden><label for=\"zoek\">Filter</label> \
             <input id=\"zoek\" type=\"search\" placeholder=\"naam, status, oordeel\u{2026}\"> \
             <span class=\"klein\">klik op een kolomkop om te sorteren</span></p>\n",
        );
        out.push_str("<table id=\"documenten\" class=\"sorteerbaar\">\n<thead><tr>");
        out.push_str("<th>Document</th><th>Status</th><th>Oordeel</th>");
        for category in &rules.categories {
            let _ = write!(
                out,
                "<th class=\"n\" title=\"{}\">{}</th>",
                escape(&category.description),
                escape(&category.label)
            );
        }
        out.push_str("<th>Ontbreekt</th></tr></thead>\n<tbody>\n");
        for (number, document) in self.documents.iter().enumerate() {
            self.row(out, rules, number + 1, document);
        }
        out.push_str("</tbody>\n</table>\n</section>\n");
    }

    fn row(&self, out: &mut String, rules: &RuleSet, number: usize, document: &Document) {
        let status_rank = Status::ALL
            .iter()
            .position(|s| *s == document.status)
            .unwrap_or(0);
        let _ = write!(
            out,
            "<tr data-status=\"{}\"><td class=\"document\"><a href=\"#doc-{number}\">{}</a></td>\
             <td class=\"status s-{}\" data-sort=\"{status_rank}\">{}</td>",
            document.status.as_str(),
            escape(&document.path),
            document.status.as_str(),
            escape(&status_text(document))
        );
        match &document.verdict {
            Some(label) => {
                let rank = verdict_rank(rules, label);
                let _ = write!(
                    out,
                    "<td class=\"oordeel\" data-sort=\"{rank}\"><span class=\"label {}\">{}</span></td>",
                    verdict_class(rules, rank),
                    escape(label)
                );
            }
            None => {
                let _ = write!(
                    out,
                    "<td class=\"oordeel geen-oordeel\" data-sort=\"{}\">\u{2014}</td>",
                    rules.verdicts.len()
                );
            }
        }
        for (category, evidence) in rules.categories.iter().zip(&document.categories) {
            if document.status.has_text() {
                let _ = write!(
                    out,
                    "<td class=\"n {}\" data-categorie=\"{}\" data-sort=\"{}\">{}</td>",
                    if evidence.hits > 0 { "ja" } else { "nee" },
                    escape(&category.id),
                    evidence.hits,
                    evidence.hits
                );
            } else {
                let _ = write!(
                    out,
                    "<td class=\"n nvt\" data-categorie=\"{}\" data-sort=\"-1\" \
                     title=\"niet gelezen\">\u{2014}</td>",
                    escape(&category.id)
                );
            }
        }
        if document.verdict.is_some() {
            let _ = writeln!(
                out,
                "<td class=\"ontbreekt\" data-sort=\"{}\">{}</td></tr>",
                document.missing.len(),
                if document.missing.is_empty() {
                    "<span class=\"klein\">niets</span>".to_string()
                } else {
                    escape(&labels(rules, &document.missing).join(", "))
                }
            );
        } else {
            let _ = writeln!(
                out,
                "<td class=\"ontbreekt\" data-sort=\"{}\">\u{2014}</td></tr>",
                rules.categories.len() + 1
            );
        }
    }

    fn details(&self, out: &mut String, rules: &RuleSet, number: usize, document: &Document) {
        let _ = write!(
            out,
            "<details id=\"doc-{number}\" class=\"document\" data-status=\"{}\">\n<summary>\
             <span class=\"naam\">{}</span> ",
            document.status.as_str(),
            escape(&document.path)
        );
        match &document.verdict {
            Some(label) => {
                let _ = write!(
                    out,
                    "<span class=\"label {}\">{}</span>",
                    verdict_class(rules, verdict_rank(rules, label)),
                    escape(label)
                );
            }
            None => {
                let _ = write!(
                    out,
                    "<span class=\"status s-{}\">{}</span>",
                    document.status.as_str(),
                    escape(&status_text(document))
                );
            }
        }
        out.push_str("</summary>\n");
        let _ = writeln!(
            out,
            "<p class=\"meta\">{}{}, {}. <span class=\"hash\">SHA-256 {}</span></p>",
            document
                .format
                .map(|f| format!("{}, ", f.to_uppercase()))
                .unwrap_or_default(),
            plural(document.pages as usize, "pagina", "pagina\u{2019}s"),
            plural(document.words as usize, "woord", "woorden"),
            if document.sha256.is_empty() {
                "onbekend".to_string()
            } else {
                escape(&document.sha256)
            }
        );
        match &document.verdict {
            Some(label) => {
                let _ = write!(
                    out,
                    "<p class=\"waarom\">Oordeel <span class=\"label {}\">{}</span>: {}",
                    verdict_class(rules, verdict_rank(rules, label)),
                    escape(label),
                    rules
                        .verdicts
                        .iter()
                        .enumerate()
                        .find(|(_, v)| &v.label == label)
                        .map(|(i, v)| requirement(rules, i, &v.when))
                        .unwrap_or_default()
                );
                if document.missing.is_empty() {
                    out.push_str(" Alle vereiste onderdelen hebben bewijs.</p>\n");
                } else {
                    let _ = writeln!(
                        out,
                        " Ontbreekt: {}.</p>",
                        escape(&labels(rules, &document.missing).join(", "))
                    );
                }
            }
            None => {
                let _ = writeln!(
                    out,
                    "<p class=\"waarom geen-oordeel\">Geen oordeel: {}</p>",
                    no_verdict_reason(document)
                );
            }
        }
        if !document.note.is_empty() {
            let _ = writeln!(
                out,
                "<p class=\"klein melding\">Technische melding: {}</p>",
                escape(&document.note)
            );
        }
        if document.status.has_text() {
            for (category, evidence) in rules.categories.iter().zip(&document.categories) {
                self.category_details(out, category, evidence);
            }
        }
        out.push_str("</details>\n");
    }

    fn category_details(
        &self,
        out: &mut String,
        category: &crate::rules::Category,
        evidence: &CategoryEvidence,
    ) {
        let found = evidence.hits > 0;
        let _ = write!(
            out,
            "<section class=\"categorie {}\" data-categorie=\"{}\">\n<h3>{} <span class=\"telling\">",
            if found { "ja" } else { "nee" },
            escape(&category.id),
            escape(&category.label)
        );
        if found {
            let pages: Vec<String> = evidence.pages.iter().map(u32::to_string).collect();
            let _ = write!(
                out,
                "{} op p. {}",
                plural(evidence.hits as usize, "treffer", "treffers"),
                pages.join(", ")
            );
        } else {
            out.push_str("geen bewijs gevonden");
        }
        out.push_str("</span></h3>\n");
        if !found && !category.description.is_empty() {
            let _ = writeln!(
                out,
                "<p class=\"klein\">Gezocht naar: {}</p>",
                escape(&category.description)
            );
        }
        if !evidence.counted.is_empty() {
            out.push_str("<ol class=\"bewijs\">\n");
            for sentence in &evidence.counted {
                sentence_item(out, sentence, false);
            }
            out.push_str("</ol>\n");
        }
        more(out, evidence.more_counted, "");
        if !evidence.negated.is_empty() {
            out.push_str(
                "<p class=\"ontkend-kop\">Ontkend, telt niet mee:</p>\n<ul class=\"ontkend\">\n",
            );
            for sentence in &evidence.negated {
                sentence_item(out, sentence, true);
            }
            out.push_str("</ul>\n");
        }
        more(out, evidence.more_negated, " ontkende");
        out.push_str("</section>\n");
    }

    fn footer(&self, out: &mut String, rules: &RuleSet) {
        out.push_str("<footer>\n<p class=\"auteurs\">Voor regelschrijvers: regelset <code>");
        out.push_str(&escape(&rules.id));
        out.push_str("</code>; onderdelen ");
        let ids: Vec<String> = rules
            .categories
            .iter()
            .map(|c| format!("{} = <code>{}</code>", escape(&c.label), escape(&c.id)))
            .collect();
        out.push_str(&ids.join(", "));
        out.push_str(
            ". De regel achter een zin staat in de tooltip van die zin; elke treffer staat in \
             het bewijsbestand van <code>borging scan --evidence</code>, en \
             <code>borging explain</code> toont ze per document.</p>\n",
        );
        let _ = writeln!(
            out,
            "<p class=\"auteurs\">Gemaakt met borging {}.</p>\n</footer>",
            env!("CARGO_PKG_VERSION")
        );
    }
}

/// The hits of one category grouped by sentence, in document order.
fn sentences(hits: &[&Hit], outcome: &Outcome) -> Vec<Sentence> {
    let mut hits = hits.to_vec();
    hits.sort_by_key(|h| (h.page, h.sentence_start));
    hits.chunk_by(|a, b| (a.page, a.sentence_start) == (b.page, b.sentence_start))
        .map(|group| {
            // The first hit's sentence, as the CSV's strongest evidence shows it.
            let text = group[0].sentence.clone();
            let mut marks: Vec<Range<usize>> = group
                .iter()
                .filter_map(|h| {
                    locate(
                        &text,
                        &crate::extract::one_line(&h.matched),
                        h.start.saturating_sub(h.sentence_start),
                    )
                })
                .collect();
            marks.sort_by_key(|r| r.start);
            let marks = marks
                .into_iter()
                .fold(Vec::<Range<usize>>::new(), |mut acc, r| {
                    match acc.last_mut() {
                        Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                        _ => acc.push(r),
                    }
                    acc
                });
            let mut fired: Vec<String> = Vec::new();
            for hit in group {
                let entry = format!("regel {} (term: {})", hit.rule, hit.term);
                if !fired.contains(&entry) {
                    fired.push(entry);
                }
            }
            Sentence {
                page: group[0].page,
                text,
                marks,
                rules: fired.join("; "),
                weight: group.iter().map(|h| h.weight).sum(),
                ocr: outcome.is_ocr_page(group[0].page),
            }
        })
        .collect()
}

/// The byte range of `matched` in `sentence` nearest to `near_chars` chars from its start
/// (the match's offset in the page's sentence, before white space was collapsed).
fn locate(sentence: &str, matched: &str, near_chars: usize) -> Option<Range<usize>> {
    if matched.is_empty() {
        return None;
    }
    let near = sentence
        .char_indices()
        .nth(near_chars)
        .map_or(sentence.len(), |(i, _)| i);
    sentence
        .match_indices(matched)
        .map(|(at, _)| at)
        .min_by_key(|&at| at.abs_diff(near))
        .map(|at| at..at + matched.len())
}

fn sentence_item(out: &mut String, sentence: &Sentence, negated: bool) {
    let _ = write!(
        out,
        "<li data-pagina=\"{}\" title=\"{}\"><span class=\"pagina\">p. {}</span> <span class=\"zin\">",
        sentence.page,
        escape(&sentence.rules),
        sentence.page
    );
    if sentence.ocr {
        out.push_str(
            "<span class=\"ocr\" title=\"tekst van deze pagina gelezen met OCR\">OCR</span> ",
        );
    }
    let mut at = 0;
    for mark in &sentence.marks {
        out.push_str(&escape(&sentence.text[at..mark.start]));
        out.push_str("<mark>");
        out.push_str(&escape(&sentence.text[mark.clone()]));
        out.push_str("</mark>");
        at = mark.end;
    }
    out.push_str(&escape(&sentence.text[at..]));
    out.push_str("</span>");
    if negated {
        out.push_str(" <span class=\"telt-niet\">telt niet</span>");
    }
    out.push_str("</li>\n");
}

fn more(out: &mut String, count: usize, kind: &str) {
    if count > 0 {
        let _ = writeln!(
            out,
            "<p class=\"meer\">en nog {count}{kind} {} <span class=\"klein\">(meer tonen: \
             <code>--html-sentences</code>; alle treffers: <code>--evidence</code>)</span></p>",
            if count == 1 { "zin" } else { "zinnen" }
        );
    }
}

/// The per-folder view: one row per group of the `--summary` CSV, with the same numbers.
fn folders(out: &mut String, rules: &RuleSet, summary: &Summary) {
    out.push_str("<section id=\"mappen\">\n<h2>Per map</h2>\n");
    out.push_str(
        "<p class=\"uitleg\">Per map (een pilot, een school) het deel van de gelezen documenten \
         met bewijs per onderdeel, en het oordeel over de documenten samen: een pilot heeft \
         borging als zijn documenten samen bewijs geven.</p>\n",
    );
    out.push_str("<table id=\"per-map\" class=\"sorteerbaar\">\n<thead><tr><th>Map</th>");
    out.push_str("<th class=\"n\">Documenten</th>");
    for category in &rules.categories {
        let _ = write!(
            out,
            "<th class=\"n\" title=\"{}\">{}</th>",
            escape(&category.description),
            escape(&category.label)
        );
    }
    out.push_str("<th>Oordeel</th><th>Ontbreekt</th></tr></thead>\n<tbody>\n");
    for group in summary.groups(rules) {
        let unread: usize = Status::ALL
            .iter()
            .zip(group.by_status)
            .filter(|(s, _)| !s.has_text())
            .map(|(_, n)| n)
            .sum();
        let _ = write!(
            out,
            "<tr><td class=\"map\">{}</td><td class=\"n\" data-sort=\"{}\">{}{}</td>",
            escape(group.name),
            group.documents,
            group.documents,
            if unread > 0 {
                format!(" <span class=\"klein\">({unread} niet gelezen)</span>")
            } else {
                String::new()
            }
        );
        for (category, &count) in rules.categories.iter().zip(group.with_evidence) {
            let share = if group.of == 0 {
                0.0
            } else {
                count as f64 / group.of as f64
            };
            let _ = write!(
                out,
                "<td class=\"n {}\" data-categorie=\"{}\" data-sort=\"{share:.3}\" \
                 data-aandeel=\"{share:.3}\">{}&nbsp;% <span class=\"klein\">({count}/{})</span></td>",
                if count > 0 { "ja" } else { "nee" },
                escape(&category.id),
                (share * 100.0).round(),
                group.of
            );
        }
        let verdict = group.verdict.as_deref().unwrap_or("");
        let rank = verdict_rank(rules, verdict);
        let missing: Vec<usize> = group
            .missing
            .iter()
            .filter_map(|id| rules.categories.iter().position(|c| &c.id == id))
            .collect();
        let _ = writeln!(
            out,
            "<td class=\"oordeel\" data-sort=\"{rank}\"><span class=\"label {}\">{}</span></td>\
             <td class=\"ontbreekt\" data-sort=\"{}\">{}</td></tr>",
            if group.verdict.is_some() {
                verdict_class(rules, rank)
            } else {
                "geen-oordeel"
            },
            if group.verdict.is_some() {
                escape(verdict)
            } else {
                "\u{2014}".to_string()
            },
            missing.len(),
            if group.verdict.is_none() {
                "\u{2014}".to_string()
            } else if missing.is_empty() {
                "<span class=\"klein\">niets</span>".to_string()
            } else {
                escape(&labels(rules, &missing).join(", "))
            }
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

/// What the verdicts and the categories mean, in the rule set's words.
fn legend(out: &mut String, rules: &RuleSet) {
    out.push_str(
        "<section id=\"betekenis\">\n<h2>Wat de oordelen betekenen</h2>\n<ul class=\"oordelen\">\n",
    );
    for (index, verdict) in rules.verdicts.iter().enumerate() {
        let _ = writeln!(
            out,
            "<li title=\"voor regelschrijvers: when = {}\"><span class=\"label {}\">{}</span> {}</li>",
            escape(&verdict.source),
            verdict_class(rules, index),
            escape(&verdict.label),
            requirement(rules, index, &verdict.when)
        );
    }
    out.push_str("</ul>\n<dl class=\"onderdelen\">\n");
    for category in &rules.categories {
        let required = rules
            .required
            .iter()
            .any(|&i| rules.categories[i].id == category.id);
        let _ = writeln!(
            out,
            "<dt>{}{}</dt><dd>{}</dd>",
            escape(&category.label),
            if required {
                ""
            } else {
                " <span class=\"klein\">(niet vereist)</span>"
            },
            escape(&category.description)
        );
    }
    out.push_str(
        "</dl>\n<p class=\"klein\">Een document dat niet gelezen kon worden \
                  (versleuteld, een scan zonder tekst, onleesbaar of niet op tijd gelezen) krijgt \
                  geen oordeel: zonder tekst is er niets te beoordelen.</p>\n</section>\n",
    );
}

/// A status in words for an adviser.
fn status_words(status: Status) -> &'static str {
    match status {
        Status::Ok => "gelezen",
        Status::NoText => "scan: geen tekst",
        Status::Encrypted => "versleuteld: wachtwoord nodig",
        Status::Error => "onleesbaar",
        Status::Timeout => "tijd op: deels gelezen",
    }
}

fn status_text(document: &Document) -> String {
    let words = status_words(document.status);
    if document.status == Status::Ok && !document.note.is_empty() {
        format!("{words} (met opmerking)")
    } else {
        words.to_string()
    }
}

fn no_verdict_reason(document: &Document) -> String {
    match document.status {
        Status::NoText => "het document heeft geen tekstlaag (een scan?); het moet eerst door \
                           tekstherkenning (OCR)."
            .into(),
        Status::Encrypted => "het document is versleuteld; scan opnieuw met \
                              <code>--password</code>."
            .into(),
        Status::Error => "het bestand kon niet gelezen worden.".into(),
        Status::Timeout => format!(
            "de tijd was op na {}; het bewijs hieronder komt alleen uit die pagina\u{2019}s.",
            plural(document.pages as usize, "pagina", "pagina\u{2019}s")
        ),
        Status::Ok => "de regelset gaf geen oordeel.".into(),
    }
}

fn rule_file_name(name: &str) -> String {
    match name.strip_prefix("bundled:") {
        Some(file) => format!("{file} (ingebouwd)"),
        None => name.to_string(),
    }
}

/// The position of a verdict in the rule set: 0 is the first (the best).
fn verdict_rank(rules: &RuleSet, label: &str) -> usize {
    rules
        .verdicts
        .iter()
        .position(|v| v.label == label)
        .unwrap_or(rules.verdicts.len())
}

fn verdict_class(rules: &RuleSet, rank: usize) -> &'static str {
    if rank == 0 {
        "o-hoog"
    } else if rank + 1 >= rules.verdicts.len() {
        "o-laag"
    } else {
        "o-midden"
    }
}

fn labels(rules: &RuleSet, categories: &[usize]) -> Vec<String> {
    categories
        .iter()
        .map(|&i| rules.categories[i].label.clone())
        .collect()
}

/// What a verdict requires, in plain Dutch (HTML): verdicts are tried from the top, so
/// every one after the first applies only when those above did not.
fn requirement(rules: &RuleSet, index: usize, when: &Condition) -> String {
    match (when, index) {
        (Condition::Always, 0) => "altijd.".into(),
        (Condition::Always, _) => "in alle andere gevallen.".into(),
        (_, 0) => format!("als {}.", clause(rules, when)),
        _ => format!("anders, als {}.", clause(rules, when)),
    }
}

/// A condition as a Dutch subordinate clause ("Doelen en Beleid elk bewijs hebben").
fn clause(rules: &RuleSet, condition: &Condition) -> String {
    let name = |i: usize| format!("<strong>{}</strong>", escape(&rules.categories[i].label));
    let names = |items: &[usize], last: &str| {
        list(&items.iter().map(|&i| name(i)).collect::<Vec<_>>(), last)
    };
    let all_categories = |items: &[Condition]| -> Option<Vec<usize>> {
        items
            .iter()
            .map(|c| match c {
                Condition::Category(i) => Some(*i),
                _ => None,
            })
            .collect()
    };
    let nested = |c: &Condition| match c {
        Condition::And(_) | Condition::Or(_) | Condition::AtLeast(..) => {
            format!("({})", clause(rules, c))
        }
        _ => clause(rules, c),
    };
    match condition {
        Condition::Always => "altijd".into(),
        Condition::Category(i) => format!("{} bewijs heeft", name(*i)),
        Condition::AnyRequired => match rules.required.len() {
            1 => format!("{} bewijs heeft", name(rules.required[0])),
            _ => format!(
                "minstens één van {} bewijs heeft",
                names(&rules.required, "en")
            ),
        },
        Condition::AllRequired => match rules.required.len() {
            1 => format!("{} bewijs heeft", name(rules.required[0])),
            _ => format!("{} elk bewijs hebben", names(&rules.required, "en")),
        },
        Condition::NoneRequired => match rules.required.len() {
            1 => format!("{} geen bewijs heeft", name(rules.required[0])),
            _ => format!("geen van {} bewijs heeft", names(&rules.required, "en")),
        },
        Condition::Not(inner) => match inner.as_ref() {
            Condition::Category(i) => format!("{} geen bewijs heeft", name(*i)),
            other => format!("niet geldt dat {}", nested(other)),
        },
        Condition::And(items) => match all_categories(items) {
            Some(ids) => format!("{} elk bewijs hebben", names(&ids, "en")),
            None => list(&items.iter().map(nested).collect::<Vec<_>>(), "en"),
        },
        Condition::Or(items) => match all_categories(items) {
            Some(ids) => format!("{} bewijs heeft", names(&ids, "of")),
            None => list(&items.iter().map(nested).collect::<Vec<_>>(), "of"),
        },
        Condition::AtLeast(n, items) => {
            let count = if *n == 1 {
                "één".to_string()
            } else {
                n.to_string()
            };
            match all_categories(items) {
                Some(ids) => format!(
                    "minstens {count} van {} bewijs {}",
                    names(&ids, "en"),
                    if *n == 1 { "heeft" } else { "hebben" }
                ),
                None => format!(
                    "minstens {count} hiervan geldt: {}",
                    items.iter().map(nested).collect::<Vec<_>>().join("; ")
                ),
            }
        }
    }
}

/// "a, b en c".
fn list(items: &[String], last: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., tail] => format!("{} {last} {tail}", init.join(", ")),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Text for HTML, in element content and in double-quoted attributes alike. Control
/// characters and the bidirectional overrides become U+FFFD: a file name must not turn
/// itself around on screen ("gpj.exe") or hide part of itself.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\t' => out.push(c),
            c if c.is_control()
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') =>
            {
                out.push('\u{fffd}')
            }
            c => out.push(c),
        }
    }
    out
}

/// "22 november 2026, 14:03 UTC".
fn dutch_date(time: SystemTime) -> String {
    const MONTHS: [&str; 12] = [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ];
    // "2026-11-22T14:03:07Z"
    let iso = humantime::format_rfc3339_seconds(time).to_string();
    let month: usize = iso[5..7].parse().unwrap_or(1);
    let day: u32 = iso[8..10].parse().unwrap_or(1);
    format!(
        "{day} {} {}, {} UTC",
        MONTHS[month.clamp(1, 12) - 1],
        &iso[..4],
        &iso[11..16]
    )
}

/// The CSP source of an inline style or script: base64 of its SHA-256.
fn base64_sha256(text: &str) -> String {
    use sha2::Digest;
    base64(&sha2::Sha256::digest(text.as_bytes()))
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

const STYLE: &str = r#"
:root{--groen:#17602a;--groen-bg:#d9f0dc;--grijs:#5f6368;--grijs-bg:#eceeef;--rand:#c8ccd0;--amber:#6e4a00;--amber-bg:#fbe9bd;--rood:#8a1c1c;--rood-bg:#f7dcdc}
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans",sans-serif;color:#1c1c1c;background:#fff;margin:0 auto;max-width:80rem;padding:1.2rem 1.5rem 3rem}
h1{font-size:1.7rem;margin:0}
h2{font-size:1.25rem;margin:2rem 0 .5rem;border-bottom:2px solid var(--rand);padding-bottom:.2rem}
h3{font-size:1rem;margin:.9rem 0 .3rem}
.ondertitel{font-size:1.1rem;margin:.1rem 0 .6rem;color:var(--grijs)}
dl.run{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:.8rem 0}
dl.run dt{font-weight:600}
dl.run dd{margin:0}
.hash,code{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:.78rem;overflow-wrap:anywhere}
.hash{color:var(--grijs)}
.klein,.auteurs,.meta{font-size:.82rem;color:var(--grijs)}
.uitleg{max-width:60rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border:1px solid var(--rand);padding:.28rem .45rem;text-align:left;vertical-align:top}
thead th{background:#f4f5f6;position:sticky;top:0;z-index:1}
th.n,td.n{text-align:right;font-variant-numeric:tabular-nums}
th.n{width:1%}
#documenten th:first-child{width:25%}
td.ontbreekt{min-width:11rem}
td.document a,td.map{overflow-wrap:anywhere}
td.document a{color:#0b4f8a}
.ja{background:var(--groen-bg);color:var(--groen);font-weight:600}
.nee{background:var(--grijs-bg);color:var(--grijs)}
td.nvt{color:var(--grijs);background:#fff}
.voorbeeld{padding:0 .3rem;border-radius:.2rem}
.label{display:inline-block;padding:0 .45rem;border-radius:.7rem;font-weight:600;white-space:nowrap}
.o-hoog{background:var(--groen-bg);color:var(--groen)}
.o-midden{background:var(--amber-bg);color:var(--amber)}
.o-laag{background:var(--rood-bg);color:var(--rood)}
.geen-oordeel{color:var(--grijs)}
.s-no_text,.s-encrypted,.s-error,.s-timeout{color:var(--rood);font-style:italic}
#filter input{font:inherit;padding:.2rem .4rem;width:18rem;max-width:100%}
html.js table.sorteerbaar th{cursor:pointer}
th[aria-sort=ascending]::after{content:" \25B2";font-size:.7em}
th[aria-sort=descending]::after{content:" \25BC";font-size:.7em}
details.document{border:1px solid var(--rand);border-radius:.3rem;margin:.35rem 0;padding:.3rem .7rem}
details.document>summary{cursor:pointer;font-weight:600;overflow-wrap:anywhere}
details.document>summary .label,details.document>summary .status{margin-left:.5rem;font-weight:600}
details.document[open]>summary{margin-bottom:.3rem}
section.categorie{border-left:4px solid var(--rand);padding-left:.7rem;margin:.6rem 0}
section.categorie.ja{border-left-color:var(--groen);background:none;color:inherit;font-weight:normal}
section.categorie.nee{background:none;color:inherit}
section.categorie h3 .telling{font-weight:normal;color:var(--grijs);font-size:.88rem;margin-left:.4rem}
ol.bewijs,ul.ontkend{margin:.2rem 0;padding-left:1.6rem}
ol.bewijs li,ul.ontkend li{margin:.2rem 0;overflow-wrap:anywhere}
.pagina{display:inline-block;min-width:3.3em;color:var(--grijs);font-variant-numeric:tabular-nums}
mark{background:#ffe27a;color:inherit;padding:0 .1em;border-radius:.15em}
ul.ontkend{color:#505050}
ul.ontkend mark{background:#e4e4e4;text-decoration:line-through}
.ontkend-kop{margin:.4rem 0 0;font-size:.88rem;color:var(--grijs)}
.telt-niet{font-size:.75rem;border:1px solid var(--grijs);border-radius:.2rem;padding:0 .25rem;color:var(--grijs);white-space:nowrap}
.ocr{font-size:.7rem;border:1px solid var(--grijs);border-radius:.2rem;padding:0 .2rem;color:var(--grijs)}
.meer{margin:.2rem 0 .2rem 1.6rem;font-style:italic}
ul.oordelen{list-style:none;padding:0}
ul.oordelen li{margin:.3rem 0}
dl.onderdelen dt{font-weight:600;margin-top:.3rem}
dl.onderdelen dd{margin:0 0 0 1rem}
footer{margin-top:2.5rem;border-top:1px solid var(--rand)}
@media print{
@page{margin:1.5cm}
body{max-width:none;padding:0;font-size:9.5pt}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
#filter{display:none}
thead th{position:static}
thead{display:table-header-group}
tr,li,h3,summary{break-inside:avoid}
h2,h3{break-after:avoid}
#per-document{break-before:page}
details.document{border:none;border-top:1px solid var(--rand);border-radius:0;padding:.3rem 0}
details.document::details-content{content-visibility:visible;display:block}
details.document>summary{list-style:none}
td.document a{color:inherit;text-decoration:none}
th[aria-sort]::after{content:none}
}
"#;

const SCRIPT: &str = r#"
(function () {
  document.documentElement.classList.add('js');
  var each = function (list, f) { Array.prototype.forEach.call(list, f); };
  var input = document.getElementById('zoek');
  var rows = document.getElementById('documenten').tBodies[0].rows;
  document.getElementById('filter').hidden = false;
  input.addEventListener('input', function () {
    var q = input.value.trim().toLowerCase();
    each(rows, function (r) { r.hidden = q !== '' && r.textContent.toLowerCase().indexOf(q) < 0; });
  });
  var key = function (cell) {
    var s = cell.getAttribute('data-sort');
    return s === null ? cell.textContent.trim().toLowerCase() : Number(s);
  };
  each(document.querySelectorAll('table.sorteerbaar'), function (table) {
    var heads = table.tHead.rows[0].cells, body = table.tBodies[0];
    each(heads, function (th, i) {
      th.tabIndex = 0;
      var sort = function () {
        var up = th.getAttribute('aria-sort') !== 'ascending';
        each(heads, function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', up ? 'ascending' : 'descending');
        var list = Array.prototype.slice.call(body.rows);
        list.sort(function (a, b) {
          var x = key(a.cells[i]), y = key(b.cells[i]);
          var d = typeof x === 'number' ? x - y : x.localeCompare(y, 'nl');
          return up ? d : -d;
        });
        list.forEach(function (r) { body.appendChild(r); });
      };
      th.addEventListener('click', sort);
      th.addEventListener('keydown', function (e) {
        if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sort(); }
      });
    });
  });
  var reveal = function () {
    var target = document.getElementById(location.hash.slice(1));
    if (target && target.tagName === 'DETAILS') { target.open = true; }
  };
  window.addEventListener('hashchange', reveal);
  reveal();
  var closed = [];
  window.addEventListener('beforeprint', function () {
    closed = Array.prototype.filter.call(document.querySelectorAll('details'), function (d) { return !d.open; });
    closed.forEach(function (d) { d.open = true; });
  });
  window.addEventListener('afterprint', function () {
    closed.forEach(function (d) { d.open = false; });
  });
})();
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_leaves_no_markup_and_no_way_out_of_an_attribute() {
        let hostile = "<script>alert(1)</script><img src=x onerror=\"x()\">'\"><b>&amp;";
        let escaped = escape(hostile);
        for forbidden in ['<', '>', '"', '\''] {
            assert!(!escaped.contains(forbidden), "{escaped}");
        }
        assert_eq!(
            escape("a & b <c> \"d\" 'e'"),
            "a &amp; b &lt;c&gt; &quot;d&quot; &#39;e&#39;"
        );
    }

    #[test]
    fn escape_neutralises_control_and_bidi_override_characters() {
        assert_eq!(escape("plan\u{202e}fdp.exe"), "plan\u{fffd}fdp.exe");
        assert_eq!(escape("a\u{1b}[31mb\u{0}"), "a\u{fffd}[31mb\u{fffd}");
        assert_eq!(escape("regel 1\nregel 2\tx"), "regel 1\nregel 2\tx");
    }

    #[test]
    fn base64_matches_the_rfc_4648_test_vectors() {
        for (input, want) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(input.as_bytes()), want, "{input:?}");
        }
    }

    #[test]
    fn csp_hash_of_a_known_script() {
        // sha256("alert(1)") in base64, as browsers compute it for `script-src 'sha256-…'`.
        assert_eq!(
            base64_sha256("alert(1)"),
            "bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI="
        );
    }

    #[test]
    fn locate_prefers_the_occurrence_nearest_the_match_offset() {
        let sentence = "We evalueren jaarlijks en evalueren daarna opnieuw.";
        assert_eq!(locate(sentence, "evalueren", 0), Some(3..12));
        assert_eq!(locate(sentence, "evalueren", 26), Some(26..35));
        assert_eq!(locate(sentence, "ontbreekt", 3), None);
        assert_eq!(locate(sentence, "", 3), None);
    }

    #[test]
    fn dutch_date_names_the_month_in_dutch() {
        let time = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
        assert_eq!(dutch_date(time), "14 november 2023, 22:13 UTC");
    }

    fn rules_with_verdicts(verdicts: &str) -> RuleSet {
        let text = format!(
            r#"
id = "t"
label = "Test"
required = ["goals", "policy", "evaluation"]
[[category]]
id = "goals"
label = "Doelen"
  [[category.rule]]
  id = "goals.doel"
  terms = ["doel"]
[[category]]
id = "policy"
label = "Beleid"
  [[category.rule]]
  id = "policy.plan"
  terms = ["plan"]
[[category]]
id = "evaluation"
label = "Evaluatie"
  [[category.rule]]
  id = "evaluation.evalueren"
  terms = ["evalu*"]
{verdicts}
"#
        );
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.toml");
        std::fs::write(&path, text).unwrap();
        RuleSet::load(&path).unwrap_or_else(|e| panic!("{e:?}"))
    }

    /// An outcome as the pipeline makes it, with one counted goals hit on page 2.
    fn outcome(rules: &RuleSet, status: Status) -> Outcome {
        let hit = Hit {
            page: 2,
            category: 0,
            subcategory: None,
            rule: "goals.doel".into(),
            term: "doel".into(),
            matched: "doel".into(),
            sentence: "Ons doel is <b>groot</b>.".into(),
            start: 4,
            end: 8,
            negated: false,
            weight: 1.0,
            sentence_start: 0,
            heading: false,
        };
        let hits = vec![hit];
        Outcome {
            path: "map/plan.pdf".into(),
            format: Some(crate::extract::Format::Pdf),
            status,
            error: String::new(),
            sha256: "ab".repeat(32),
            pages: 2,
            words: 10,
            score: crate::score::score(rules, &hits),
            hits,
            ocr_pages: Vec::new(),
        }
    }

    fn verdict_cell(page: &str) -> &str {
        let at = page.find("<td class=\"oordeel").unwrap();
        &page[at..at + page[at..].find("</td>").unwrap()]
    }

    #[test]
    fn a_document_read_in_part_shows_its_counts_and_the_verdict_of_what_was_read() {
        // As in the CSV, JSONL and `explain`: the pages read before the deadline were
        // matched, and the status says that the document was cut short.
        let rules = rules_with_verdicts("[[verdict]]\nlabel = \"iets\"\nwhen = \"any\"\n");
        let timed_out = outcome(&rules, Status::Timeout);
        let mut report = HtmlReport::new(Vec::new(), 5);
        report.add(&rules, &timed_out);
        let page = report.render(&rules, None);
        assert!(
            verdict_cell(&page).contains("iets"),
            "{}",
            verdict_cell(&page)
        );
        assert!(page.contains("tijd op: deels gelezen"));
        assert!(page.contains("data-categorie=\"goals\" data-sort=\"1\">1</td>"));
        assert!(
            page.contains("</mark> is &lt;b&gt;groot&lt;/b&gt;.</span>"),
            "{page}"
        );
        assert!(page.contains("Ons <mark>doel</mark> is"), "{page}");
    }

    #[test]
    fn evidence_from_a_page_read_by_ocr_is_marked() {
        let rules = rules_with_verdicts("[[verdict]]\nlabel = \"iets\"\nwhen = \"any\"\n");
        let mut scanned = outcome(&rules, Status::Ok);
        let page_of_hit = scanned.hits[0].page;
        let mut report = HtmlReport::new(Vec::new(), 5);
        report.add(&rules, &scanned);
        assert!(!report.render(&rules, None).contains("class=\"ocr\""));
        scanned.ocr_pages = vec![page_of_hit];
        let mut report = HtmlReport::new(Vec::new(), 5);
        report.add(&rules, &scanned);
        let page = report.render(&rules, None);
        assert!(page.contains("<span class=\"ocr\""), "{page}");
    }

    #[test]
    fn a_document_that_was_not_read_shows_no_verdict_whatever_its_score_says() {
        let rules = rules_with_verdicts("[[verdict]]\nlabel = \"geen\"\nwhen = \"always\"\n");
        for status in [Status::Error, Status::Encrypted, Status::NoText] {
            let mut unread = outcome(&rules, status);
            unread.hits.clear();
            unread.score = crate::score::score(&rules, &[]);
            assert_eq!(unread.score.verdict.as_deref(), Some("geen"));
            let mut report = HtmlReport::new(Vec::new(), 5);
            report.add(&rules, &unread);
            let page = report.render(&rules, None);
            let cell = verdict_cell(&page);
            assert!(
                cell.contains("geen-oordeel") && !cell.contains("geen<"),
                "{cell}"
            );
            assert!(page.contains(status_words(status)), "{status:?}");
            assert!(page.contains("Geen oordeel: "), "{status:?}");
        }
    }

    fn plain(html: &str) -> String {
        html.replace("<strong>", "").replace("</strong>", "")
    }

    #[test]
    fn verdict_requirements_read_as_plain_dutch() {
        let rules = rules_with_verdicts(
            r#"
[[verdict]]
label = "borging"
when = "all"
[[verdict]]
label = "bijna"
when = "2 of (goals, policy, evaluation)"
[[verdict]]
label = "deels"
when = "goals and (policy or evaluation)"
[[verdict]]
label = "zonder evaluatie"
when = "not evaluation"
[[verdict]]
label = "iets"
when = "any"
[[verdict]]
label = "geen"
when = "always"
"#,
        );
        let lines: Vec<String> = rules
            .verdicts
            .iter()
            .enumerate()
            .map(|(i, v)| plain(&requirement(&rules, i, &v.when)))
            .collect();
        assert_eq!(
            lines,
            [
                "als Doelen, Beleid en Evaluatie elk bewijs hebben.",
                "anders, als minstens 2 van Doelen, Beleid en Evaluatie bewijs hebben.",
                "anders, als Doelen bewijs heeft en (Beleid of Evaluatie bewijs heeft).",
                "anders, als Evaluatie geen bewijs heeft.",
                "anders, als minstens één van Doelen, Beleid en Evaluatie bewijs heeft.",
                "in alle andere gevallen.",
            ]
        );
    }

    #[test]
    fn category_labels_in_a_requirement_are_escaped() {
        let mut rules = rules_with_verdicts("[[verdict]]\nlabel = \"x\"\nwhen = \"goals\"\n");
        rules.categories[0].label = "<i>Doelen</i>".into();
        let line = requirement(&rules, 0, &rules.verdicts[0].when);
        assert_eq!(
            line,
            "als <strong>&lt;i&gt;Doelen&lt;/i&gt;</strong> bewijs heeft."
        );
    }
}
