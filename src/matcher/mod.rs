//! Finds rule hits in the pages of a document. Each [`Hit`] carries what a reader needs
//! to check it by eye: page, sentence, the words as they stand in the document, and
//! their character offsets in the page text.
//!
//! Speed comes from doing each thing once per page: the page is folded once, every literal
//! of every pattern of the rule set, and of every declared regular expression, is looked
//! for in one pass of one Aho-Corasick DFA ([`Engine`], built when the rules load). A
//! regex whose matches all start with one of its literals (`bij` for `\bbij\s*$`) is
//! tried only where the automaton found one, anchored there; one whose matches all end
//! with one (`%` for a percentage) runs only on pages holding one; only a regex without
//! such literals runs over every page. Only the few candidates found are checked against
//! their globs, phrases, proximity conditions and negation: first the terms, then the
//! `near` / `not_near` entries (patterns and regexes) of the rules that have a term on the
//! page. A literal found where its glob cannot have it (`school` inside `schoolgids` for
//! the word `school`) is passed over from the positions alone.
//! Words are computed only for pages with a candidate, sentences only around candidates,
//! and a thread's buffers are reused from page to page and document to document.
//!
//! Overlap policy: within a category, overlapping hits are merged so that the longest
//! span counts once (equal spans: the rule declared first). The result does not depend on
//! the order of the rules, only on the spans.

mod negation;
mod scan;
pub mod sentence;

use crate::extract::Page;
use crate::normalize::{Folded, fold_into, text_words_into};
use crate::rules::pattern::{Alt, MAX_GAP, Pattern, View, WordGlob};
use crate::rules::{Category, Headings, Probe, RuleSet, Within};
use regex::Regex;
use regex_automata::{Anchored, Input, meta};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

/// One piece of evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// 1-based page number.
    pub page: u32,
    /// Index into `RuleSet::categories`.
    pub category: usize,
    /// Shared with every hit of the rule (so are `rule` and `term`): a hit costs no
    /// allocation for the names it carries.
    pub subcategory: Option<Arc<str>>,
    pub rule: Arc<str>,
    /// The term of the rule that matched, as written in the rule file.
    pub term: Arc<str>,
    /// The matched words as they stand in the page text.
    pub matched: String,
    /// The sentence holding the match, on one line.
    pub sentence: String,
    /// Char offsets of the match in the page text.
    pub start: usize,
    pub end: usize,
    /// A negated mention ("er wordt niet geëvalueerd"): kept as evidence, not counted.
    pub negated: bool,
    /// The rule's weight, for choosing the strongest sentence.
    pub weight: f64,
    /// Char offset in the page text where the sentence starts: identifies the sentence.
    pub sentence_start: usize,
    /// The "sentence" is a heading or a line of a table of contents (only ever true for a
    /// rule that counts hits in headings; see `headings` in rules/README.md).
    pub heading: bool,
}

/// What a pattern or regular expression is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Role {
    Term,
    Near,
    NotNear,
}

/// Who asked for a pattern: rule (global index), role and index in the rule's list (for
/// terms: `terms` first, then `regex`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct Owner {
    rule: u32,
    role: Role,
    item: u32,
}

/// One distinct alternative with everything that asked for it: the same phrase in the
/// `not_near` of ten rules ("het kind") is verified once per place in the text, not ten
/// times.
#[derive(Debug)]
struct AltEntry {
    /// Who asked for it, sorted by rule.
    owners: Vec<Owner>,
    alt: Alt,
    /// The word of the alternative whose literal the automaton finds.
    anchor_word: usize,
}

/// The compiled form of a rule set's patterns.
#[derive(Debug)]
pub struct Engine {
    automaton: Option<scan::Scanner>,
    /// For each automaton pattern, the alternatives of terms anchored on it.
    term_alts: Lists<Listed>,
    /// For each automaton pattern, the alternatives of `near` / `not_near` entries anchored
    /// on it: checked only on pages where one of their rules has a term candidate.
    probe_alts: Lists<Listed>,
    /// For each automaton pattern, the rules that own its `probe_alts`, sorted: most
    /// matches of a `near` / `not_near` word are passed over after one look at these.
    probe_rules: Lists<u32>,
    /// Automaton patterns are numbered by what they anchor: first those that anchor terms
    /// only, then those that anchor terms and `near` / `not_near` entries, then those that
    /// anchor only the latter, then those that are only literals of regexes. So a match
    /// says by its number alone what it is for, without a look-up per match (there is one
    /// every two dozen bytes). Those below `terms_end` anchor terms; those in `probes`
    /// anchor `near` / `not_near` entries.
    terms_end: usize,
    probes: std::ops::Range<usize>,
    /// For each automaton pattern, what all its term alternatives need of the place where
    /// it is found (see [`Edges`]), and the same for its `near` / `not_near` alternatives.
    term_edges: Vec<Edges>,
    probe_edges: Vec<Edges>,
    alts: Vec<AltEntry>,
    /// Distinct regular expressions: those of `regex` first (run on every page where the
    /// automaton found their literals), then those of `near` / `not_near` (run only where
    /// one of their rules also has a term candidate).
    regexes: Vec<SharedRegex>,
    /// For each automaton pattern, the regexes (index in `regexes`) it is a literal of.
    regex_triggers: Lists<u32>,
    /// Number of entries of `regexes` that belong to `regex`.
    term_regexes: usize,
    /// Global rule index → (category, rule within category).
    rules: Vec<(usize, usize)>,
    /// Global rule index → its id, subcategory and the sources of its terms and regexes
    /// (in the order of `Owner::item`), as hits carry them.
    names: Vec<RuleNames>,
    /// Most words a `near` / `not_near` match can reach before or after its anchor word.
    probe_slack: usize,
}

/// What the hits of one rule say about it.
#[derive(Debug)]
struct RuleNames {
    id: Arc<str>,
    subcategory: Option<Arc<str>>,
    terms: Vec<Arc<str>>,
}

/// A regular expression shared by every rule that declares the same source.
#[derive(Debug)]
struct SharedRegex {
    /// The source as the rules compiled it, to find identical ones.
    source: String,
    /// The same regex as the rules compiled it, on the engine underneath the `regex`
    /// crate: that one can search anchored at a place while it still sees the text before
    /// it (for `\b`).
    regex: meta::Regex,
    owners: Vec<Owner>,
    /// Which literals of the automaton tell where the regex may match.
    trigger: Trigger,
    /// Those literals, until the automaton takes them (see [`Engine::build_for`]).
    literals: Vec<Vec<u8>>,
    /// Every match starts with a word boundary (`\b`): a literal found inside a word,
    /// like `bij` in `bijvoorbeeld`, is no place to try.
    word_start: bool,
}

/// What the automaton's matches of a regex's literals say about the regex's matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Trigger {
    /// Nothing: no usable literal, so the regex runs over every page.
    None,
    /// Every match contains one of them: the regex runs over the pages holding one.
    Contains,
    /// Every match starts with one of them: the regex is tried only where one starts,
    /// anchored there, which costs about the length of a match instead of a scan of the
    /// page (most pages hold a word like `bij` but no match).
    Starts,
}

/// Most literals a regex gives the automaton, and their most bytes: a regex with more is
/// run on every page (or with literals cut short, found as often as the short ones).
const MAX_TRIGGERS: usize = 32;
const MAX_TRIGGER_LEN: usize = 16;

impl SharedRegex {
    /// Calls `found` with every match of the regex in `text`, exactly those of a plain
    /// leftmost-first `find_iter`, given `places`: where the automaton found the regex's
    /// literals, as (regex, start, end), ascending.
    // Kept out of `page_hits`, which calls it twice: inlined there, it made the whole
    // page loop cost more instructions (callgrind).
    #[inline(never)]
    fn find(&self, text: &str, places: &[Place], mut found: impl FnMut(usize, usize)) {
        match self.trigger {
            Trigger::None => self.find_all(text, text.len(), found),
            Trigger::Contains => {
                // Every match ends at or before the last literal's end: the search stops
                // there, not at the end of the page.
                if let Some(last) = places.iter().map(|p| p.2).max() {
                    self.find_all(text, last, found);
                }
            }
            Trigger::Starts => {
                // Every match starts at a literal, so the leftmost match is the first
                // anchored match at a literal; the next one is looked for from its end on,
                // as `find_iter` does.
                let mut after = 0;
                let bytes = text.as_bytes();
                let is_word = |i: usize| bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_';
                for &(_, start, _) in places {
                    if start < after
                        || self.word_start && start > 0 && is_word(start - 1) && is_word(start)
                    {
                        continue;
                    }
                    let input = Input::new(text).range(start..).anchored(Anchored::Yes);
                    // (Two literals at one place are tried once.)
                    after = start + 1;
                    if let Some(m) = self.regex.search(&input) {
                        found(m.start(), m.end());
                        after = after.max(m.end());
                    }
                }
            }
        }
    }

    /// The matches that end by byte `to`, as `find_iter` finds them: any match of the
    /// whole text that ends there is found, since the regex still sees the text after it.
    fn find_all(&self, text: &str, to: usize, mut found: impl FnMut(usize, usize)) {
        for m in self.regex.find_iter(Input::new(text).range(..to)) {
            found(m.start(), m.end());
        }
    }
}

/// Where the automaton found a literal of a regex: (regex, start, end).
type Place = (u32, usize, usize);

/// The entries of `places` (sorted) of regex `index`.
fn places_of(places: &[Place], index: usize) -> &[Place] {
    let from = places.partition_point(|p| (p.0 as usize) < index);
    let to = from + places[from..].partition_point(|p| p.0 as usize == index);
    &places[from..to]
}

/// Adds `regex` for `owner`, sharing one compiled regex among identical sources.
fn add_regex(list: &mut Vec<SharedRegex>, regex: &Regex, owner: Owner) -> Result<(), String> {
    if let Some(shared) = list.iter_mut().find(|r| r.source == regex.as_str()) {
        shared.owners.push(owner);
        return Ok(());
    }
    // The settings the `regex` crate gives its own (see compile_regex in src/rules), so
    // that both find the same matches, and this compiles whenever that did.
    let compiled = meta::Builder::new()
        .configure(
            meta::Config::new()
                .match_kind(regex_automata::MatchKind::LeftmostFirst)
                .utf8_empty(true)
                .nfa_size_limit(Some(1 << 20))
                .hybrid_cache_capacity(2 * (1 << 20)),
        )
        .syntax(
            regex_automata::util::syntax::Config::new()
                .case_insensitive(true)
                .utf8(true),
        )
        .build(regex.as_str())
        .map_err(|e| format!("regex \"{}\" does not compile: {e}", regex.as_str()))?;
    let (trigger, literals) = trigger_literals(regex.as_str());
    list.push(SharedRegex {
        source: regex.as_str().to_string(),
        regex: compiled,
        owners: vec![owner],
        trigger,
        literals,
        word_start: starts_at_boundary(regex.as_str()),
    });
    Ok(())
}

/// The literals that tell where a regex may match in folded text: those every match
/// starts with when there are such (a few, none empty), else those every match ends with.
/// Case variants with an ASCII capital are left out, since folded text has none: the
/// regexes are compiled case insensitive for the rule author's sake, not because the text
/// has capitals.
fn trigger_literals(source: &str) -> (Trigger, Vec<Vec<u8>>) {
    use regex_syntax::hir::literal::{ExtractKind, Extractor, Seq};
    let Ok(hir) = regex_syntax::ParserBuilder::new()
        .case_insensitive(true)
        .build()
        .parse(source)
    else {
        return (Trigger::None, Vec::new());
    };
    let hir = in_folded_text(&hir);
    let usable = |mut seq: Seq, prefix: bool| -> Option<Vec<Vec<u8>>> {
        // Shorter literals are still where every match starts (or what it contains).
        if prefix {
            seq.keep_first_bytes(MAX_TRIGGER_LEN);
        } else {
            seq.keep_last_bytes(MAX_TRIGGER_LEN);
        }
        let mut literals: Vec<Vec<u8>> = seq
            .literals()?
            .iter()
            .map(|l| l.as_bytes().to_vec())
            .collect();
        // A literal that starts (ends) with another adds no place: the other is found
        // there too.
        literals.sort_by_key(Vec::len);
        let mut kept: Vec<Vec<u8>> = Vec::new();
        for literal in literals {
            let covered = kept.iter().any(|k| {
                if prefix {
                    literal.starts_with(k)
                } else {
                    literal.ends_with(k)
                }
            });
            if !covered {
                kept.push(literal);
            }
        }
        let ok =
            !kept.is_empty() && kept.len() <= MAX_TRIGGERS && kept.iter().all(|l| !l.is_empty());
        ok.then_some(kept)
    };
    let extract = |kind| Extractor::new().kind(kind).extract(&hir);
    if let Some(literals) = usable(extract(ExtractKind::Prefix), true) {
        return (Trigger::Starts, literals);
    }
    match usable(extract(ExtractKind::Suffix), false) {
        Some(literals) => (Trigger::Contains, literals),
        None => (Trigger::None, Vec::new()),
    }
}

/// Whether every match of `source` starts where a word boundary assertion holds. Then no
/// match starts between two word characters: in ASCII or Unicode, the assertion says the
/// character before the match is no word character.
fn starts_at_boundary(source: &str) -> bool {
    use regex_syntax::hir::{Hir, HirKind, Look};
    fn leads(hir: &Hir) -> bool {
        match hir.kind() {
            HirKind::Look(look) => matches!(
                look,
                Look::WordAscii
                    | Look::WordUnicode
                    | Look::WordStartAscii
                    | Look::WordStartUnicode
                    | Look::WordStartHalfAscii
                    | Look::WordStartHalfUnicode
            ),
            HirKind::Concat(subs) => subs.first().is_some_and(leads),
            HirKind::Capture(capture) => leads(&capture.sub),
            HirKind::Alternation(subs) => subs.iter().all(leads),
            _ => false,
        }
    }
    regex_syntax::ParserBuilder::new()
        .case_insensitive(true)
        .build()
        .parse(source)
        .is_ok_and(|hir| leads(&hir))
}

/// `hir` without the characters folded text never holds: ASCII capitals (folding lowers
/// them), the long s and the Kelvin sign (folding decomposes them to `s` and `k`), which
/// case insensitivity adds to every `s` and `k`. It matches in folded text exactly what
/// `hir` matches there, with far fewer literals.
fn in_folded_text(hir: &regex_syntax::hir::Hir) -> regex_syntax::hir::Hir {
    use regex_syntax::hir::{
        Capture, Class, ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange, Hir, HirKind,
        Repetition,
    };
    const ABSENT: [(char, char); 3] =
        [('A', 'Z'), ('\u{17f}', '\u{17f}'), ('\u{212a}', '\u{212a}')];
    let absent_in = |bytes: &[u8]| {
        bytes.iter().any(u8::is_ascii_uppercase)
            || ABSENT[1..].iter().any(|&(c, _)| {
                let mut buffer = [0; 4];
                let c = c.encode_utf8(&mut buffer).as_bytes();
                bytes.windows(c.len()).any(|w| w == c)
            })
    };
    let all = |subs: &[Hir]| subs.iter().map(in_folded_text).collect::<Vec<_>>();
    match hir.kind() {
        HirKind::Literal(literal) if absent_in(&literal.0) => Hir::fail(),
        HirKind::Class(Class::Unicode(class)) => {
            let mut class = class.clone();
            class.difference(&ClassUnicode::new(
                ABSENT.map(|(from, to)| ClassUnicodeRange::new(from, to)),
            ));
            Hir::class(Class::Unicode(class))
        }
        HirKind::Class(Class::Bytes(class)) => {
            let mut class = class.clone();
            class.difference(&ClassBytes::new([ClassBytesRange::new(b'A', b'Z')]));
            Hir::class(Class::Bytes(class))
        }
        HirKind::Repetition(rep) => Hir::repetition(Repetition {
            sub: Box::new(in_folded_text(&rep.sub)),
            ..rep.clone()
        }),
        HirKind::Capture(capture) => Hir::capture(Capture {
            sub: Box::new(in_folded_text(&capture.sub)),
            ..capture.clone()
        }),
        HirKind::Concat(subs) => Hir::concat(all(subs)),
        HirKind::Alternation(subs) => Hir::alternation(all(subs)),
        HirKind::Empty | HirKind::Literal(_) | HirKind::Look(_) => hir.clone(),
    }
}

impl Engine {
    /// Compiles every pattern of `categories` into one automaton; regular expressions are
    /// compiled once per distinct source.
    pub fn build(categories: &[Category]) -> Result<Engine, String> {
        Engine::build_for(categories, |_| true)
    }

    /// [`Engine::build`] for the categories that `wanted` accepts (by index): it finds
    /// their hits, and only theirs, exactly as the engine of all would.
    fn build_for(
        categories: &[Category],
        wanted: impl Fn(usize) -> bool,
    ) -> Result<Engine, String> {
        let mut table = LiteralTable::default();
        let mut engine = Engine {
            automaton: None,
            term_alts: Lists::default(),
            probe_alts: Lists::default(),
            probe_rules: Lists::default(),
            terms_end: 0,
            probes: 0..0,
            term_edges: Vec::new(),
            probe_edges: Vec::new(),
            alts: Vec::new(),
            regexes: Vec::new(),
            regex_triggers: Lists::default(),
            term_regexes: 0,
            rules: Vec::new(),
            names: Vec::new(),
            probe_slack: 0,
        };
        let mut probe_regexes = Vec::new();
        // Distinct alternatives, by what they look for and whether they are terms.
        let mut alt_ids: HashMap<(Alt, bool), u32> = HashMap::new();
        let mut add_pattern =
            |engine: &mut Engine, table: &mut LiteralTable, owner: Owner, pattern: &Pattern| {
                for alt in &pattern.alts {
                    let is_term = owner.role == Role::Term;
                    if let Some(&known) = alt_ids.get(&(alt.clone(), is_term)) {
                        engine.alts[known as usize].owners.push(owner);
                        continue;
                    }
                    // A word after a `...` gap is looked for from the words before it, so the
                    // anchor is in the first group.
                    // The rarest word is the best anchor: every place the automaton finds it
                    // costs a check. Length stands in for rarity, except for the commonest
                    // words of Dutch and for words under four letters, which are found inside
                    // countless others: they anchor a phrase only when all its words are such
                    // ("over de jaren heen" is found through "jaren", "gaan we na" through
                    // "gaan").
                    let anchor_word = (0..alt.first_group())
                        .max_by_key(|&i| {
                            let anchor = alt.words[i].anchor();
                            let common = anchor.len() < 4
                                || (!alt.words[i].is_wild() && COMMON_WORDS.contains(&anchor));
                            (!common, anchor.len(), std::cmp::Reverse(i))
                        })
                        .unwrap_or(0);
                    let id = table.id(alt.words[anchor_word].anchor().as_bytes());
                    let alt_index = engine.alts.len() as u32;
                    if is_term {
                        table.term_alts[id].push(alt_index);
                    } else {
                        table.probe_alts[id].push(alt_index);
                    }
                    alt_ids.insert((alt.clone(), is_term), alt_index);
                    engine.alts.push(AltEntry {
                        owners: vec![owner],
                        alt: alt.clone(),
                        anchor_word,
                    });
                }
            };
        for (ci, category) in categories.iter().enumerate() {
            if !wanted(ci) {
                continue;
            }
            for (ri, rule) in category.rules.iter().enumerate() {
                let g = engine.rules.len() as u32;
                engine.rules.push((ci, ri));
                engine.names.push(RuleNames {
                    id: Arc::from(rule.id.as_str()),
                    subcategory: rule.subcategory.as_deref().map(Arc::from),
                    terms: (rule.terms.iter().map(|t| t.source.as_str()))
                        .chain(rule.regex.iter().map(|r| r.source.as_str()))
                        .map(Arc::from)
                        .collect(),
                });
                let owner = |role, item: usize| Owner {
                    rule: g,
                    role,
                    item: item as u32,
                };
                for (i, term) in rule.terms.iter().enumerate() {
                    add_pattern(&mut engine, &mut table, owner(Role::Term, i), term);
                }
                for (i, regex) in rule.regex.iter().enumerate() {
                    let item = rule.terms.len() + i;
                    add_regex(&mut engine.regexes, &regex.regex, owner(Role::Term, item))?;
                }
                for (role, list) in [(Role::Near, &rule.near), (Role::NotNear, &rule.not_near)] {
                    for (i, probe) in list.iter().enumerate() {
                        match probe {
                            Probe::Pattern(p) => {
                                add_pattern(&mut engine, &mut table, owner(role, i), p);
                            }
                            Probe::Regex(r) => {
                                add_regex(&mut probe_regexes, &r.regex, owner(role, i))?;
                            }
                        }
                    }
                }
            }
        }
        engine.term_regexes = engine.regexes.len();
        engine.regexes.append(&mut probe_regexes);
        // The regexes' literals join the automaton's, sharing those of patterns.
        let mut triggers = Vec::new();
        for (index, shared) in engine.regexes.iter_mut().enumerate() {
            for literal in std::mem::take(&mut shared.literals) {
                triggers.push((index as u32, table.id(&literal)));
            }
        }
        // Renumber the literals by what they anchor (see `terms_end`): terms only, terms
        // and near / not_near entries, these only, nothing but regexes.
        let kind = |id: usize| match (
            table.term_alts[id].is_empty(),
            table.probe_alts[id].is_empty(),
        ) {
            (false, true) => 0,
            (false, false) => 1,
            (true, false) => 2,
            (true, true) => 3,
        };
        let mut order: Vec<usize> = (0..table.literals.len()).collect();
        order.sort_by_key(|&id| kind(id));
        engine.terms_end = order.partition_point(|&id| kind(id) < 2);
        engine.probes =
            order.partition_point(|&id| kind(id) < 1)..order.partition_point(|&id| kind(id) < 3);
        let mut renumbered = vec![0; order.len()];
        for (new, &old) in order.iter().enumerate() {
            renumbered[old] = new;
        }
        let mut regex_triggers = vec![Vec::new(); order.len()];
        for (index, id) in triggers {
            regex_triggers[renumbered[id]].push(index);
        }
        engine.regex_triggers = Lists::new(regex_triggers.iter().map(Vec::as_slice));
        let literals: Vec<&[u8]> = order.iter().map(|&id| &table.literals[id][..]).collect();
        let anchored = |alts: &[u32]| -> Vec<Listed> {
            alts.iter()
                .map(|&alt| Listed::new(alt, &engine.alts[alt as usize]))
                .collect()
        };
        let term_alts: Vec<Vec<Listed>> = order
            .iter()
            .map(|&id| anchored(&table.term_alts[id]))
            .collect();
        let probe_alts: Vec<Vec<Listed>> = order
            .iter()
            .map(|&id| anchored(&table.probe_alts[id]))
            .collect();
        engine.term_edges = term_alts.iter().map(|l| Edges::of(l)).collect();
        engine.probe_edges = probe_alts.iter().map(|l| Edges::of(l)).collect();
        engine.term_alts = Lists::new(term_alts.iter().map(Vec::as_slice));
        engine.probe_alts = Lists::new(probe_alts.iter().map(Vec::as_slice));
        let probe_rules: Vec<Vec<u32>> = order
            .iter()
            .map(|&id| {
                let mut rules: Vec<u32> = table.probe_alts[id]
                    .iter()
                    .flat_map(|&a| engine.alts[a as usize].owners.iter().map(|o| o.rule))
                    .collect();
                rules.sort_unstable();
                rules.dedup();
                rules
            })
            .collect();
        engine.probe_rules = Lists::new(probe_rules.iter().map(Vec::as_slice));
        engine.probe_slack = table
            .probe_alts
            .iter()
            .flatten()
            .map(|&a| slack(&engine.alts[a as usize].alt))
            .max()
            .unwrap_or(0);
        if !literals.is_empty() {
            // A DFA even for hundreds of literals (the crate would pick a slower NFA above
            // 100 patterns): a rule set is compiled once and then runs over gigabytes.
            engine.automaton = Some(scan::Scanner::new(&literals)?);
        }
        Ok(engine)
    }
}

/// The distinct literals of a rule set as they are collected, each with the alternatives
/// anchored on it.
#[derive(Default)]
struct LiteralTable {
    literals: Vec<Vec<u8>>,
    ids: HashMap<Vec<u8>, usize>,
    term_alts: Vec<Vec<u32>>,
    probe_alts: Vec<Vec<u32>>,
}

impl LiteralTable {
    /// The number of `literal`, added if it is new.
    fn id(&mut self, literal: &[u8]) -> usize {
        if let Some(&id) = self.ids.get(literal) {
            return id;
        }
        self.literals.push(literal.to_vec());
        self.term_alts.push(Vec::new());
        self.probe_alts.push(Vec::new());
        self.ids.insert(literal.to_vec(), self.literals.len() - 1);
        self.literals.len() - 1
    }
}

/// A list of numbers per automaton literal, the lists end to end in one allocation: the
/// lists of the literals found on a page are read in a tight loop, and nested vectors put
/// each behind a pointer of its own.
#[derive(Debug)]
struct Lists<T> {
    /// Where list `i` starts in `items`; list `i` ends where list `i + 1` starts.
    starts: Vec<u32>,
    items: Vec<T>,
}

impl<T> Default for Lists<T> {
    fn default() -> Self {
        Lists {
            starts: vec![0],
            items: Vec::new(),
        }
    }
}

impl<T: Copy> Lists<T> {
    fn new<'a>(lists: impl Iterator<Item = &'a [T]>) -> Lists<T>
    where
        T: 'a,
    {
        let mut out = Lists {
            starts: vec![0],
            items: Vec::new(),
        };
        for list in lists {
            out.items.extend_from_slice(list);
            out.starts.push(out.items.len() as u32);
        }
        out
    }

    fn get(&self, i: usize) -> &[T] {
        &self.items[self.starts[i] as usize..self.starts[i + 1] as usize]
    }
}

/// An alternative as listed under the literal it is anchored on, with where that literal
/// must stand in the word holding it for the alternative to match there, in each view.
/// Most automaton matches stand inside other words (`school` in `schoolgids`, `jaar` in
/// `schooljaar`), and one literal anchors up to a dozen phrases: this rules them out from
/// the positions alone, without reading the alternative.
#[derive(Debug, Clone, Copy)]
struct Listed {
    alt: u32,
    split: Fit,
    joined: Fit,
}

impl Listed {
    fn new(alt: u32, entry: &AltEntry) -> Listed {
        let words = &entry.alt.words;
        Listed {
            alt,
            split: match entry.alt.view {
                View::Joined => Fit::Never,
                _ => Fit::of(&words[entry.anchor_word]),
            },
            // The joined view is only ever looked at for a single word.
            joined: match entry.alt.view {
                View::Split => Fit::Never,
                _ if entry.anchor_word == 0 => Fit::of(&words[0]),
                _ => Fit::Anywhere,
            },
        }
    }
}

/// What every alternative anchored on a literal needs of the place where the automaton
/// finds it: that a word starts there, that one ends there. Checked on the bytes around
/// the place before its word is looked up: a literal inside a compound (`school` in
/// `basisschool`) is passed over at once when all its alternatives want a whole word.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Edges {
    start: bool,
    end: bool,
}

impl Edges {
    fn of(listed: &[Listed]) -> Edges {
        let all = |wants: fn(Fit) -> bool| {
            !listed.is_empty() && listed.iter().all(|l| wants(l.split) && wants(l.joined))
        };
        Edges {
            start: all(|f| matches!(f, Fit::Never | Fit::Whole | Fit::Start)),
            end: all(|f| matches!(f, Fit::Never | Fit::Whole | Fit::End)),
        }
    }

    /// Whether bytes `start..end` of `folded` can be where these edges are. A word starts
    /// after a byte that is not an ASCII letter or digit, or at a joint (where a hyphen
    /// was taken out, the split view starts a word); other bytes are not ruled out.
    #[inline]
    fn allow(self, folded: &Folded, start: usize, end: usize) -> bool {
        let bytes = folded.text.as_bytes();
        let starts = !self.start
            || start == 0
            || !bytes[start - 1].is_ascii_alphanumeric()
            || folded.is_joint(start);
        let ends = !self.end
            || end == bytes.len()
            || !bytes[end].is_ascii_alphanumeric()
            || folded.is_joint(end);
        starts && ends
    }
}

/// Where the literal of a word glob stands in a word that matches the glob.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fit {
    /// The view is not looked at.
    Never,
    /// The literal is the word (`school`).
    Whole,
    /// The word starts with it (`eigenaar*`).
    Start,
    /// The word ends with it (`*directeur`).
    End,
    /// Anywhere (`*verantwoordelijk*`, or a glob of several parts).
    Anywhere,
}

impl Fit {
    fn of(glob: &WordGlob) -> Fit {
        match (glob.parts.len(), glob.lead, glob.trail) {
            (1, false, false) => Fit::Whole,
            (1, false, true) => Fit::Start,
            (1, true, false) => Fit::End,
            _ => Fit::Anywhere,
        }
    }

    /// Whether the literal at `start..end` in the word `word` can be where a match of the
    /// glob has it. Where a literal stands twice in a word ("planplan") the other place
    /// is found by the automaton as well, so ruling one place out loses nothing.
    #[inline]
    fn allows(self, word: (usize, usize), start: usize, end: usize) -> bool {
        match self {
            Fit::Never => false,
            Fit::Whole => word == (start, end),
            Fit::Start => word.0 == start,
            Fit::End => word.1 == end,
            Fit::Anywhere => true,
        }
    }
}

/// The engines of a rule set: that of all its categories and those of subsets of them,
/// each built when first asked for. A re-run with a cache matches again only the
/// categories whose rules changed (see src/cache.rs), or none, and then takes an automaton
/// of their patterns alone, or none at all: building the whole automaton was the largest
/// part of such a run after matching.
#[derive(Debug)]
pub struct Engines {
    all: OnceLock<Engine>,
    /// Engines of subsets, by the bit mask of their categories.
    subsets: Mutex<Vec<(u64, Arc<Engine>)>>,
}

/// How many regexes `categories` declare, in `regex`, `near` and `not_near`: each may give
/// the automaton literals.
fn regex_count(categories: &[Category]) -> usize {
    let probes = |r: &crate::rules::Rule| {
        r.near
            .iter()
            .chain(&r.not_near)
            .filter(|p| matches!(p, Probe::Regex(_)))
            .count()
    };
    categories
        .iter()
        .flat_map(|c| &c.rules)
        .map(|r| r.regex.len() + probes(r))
        .sum()
}

/// Literal bytes up to which an automaton cannot fail to build: its states (at most one
/// per byte, plus two) times the widest stride of its table (512) fit the crate's state
/// identifiers (31 bits).
const SURE_TO_BUILD: usize = (i32::MAX as usize >> 9) - 2;

impl Engines {
    /// The engines of `categories`. Setup errors come before any document is read: the
    /// automaton is built here when its size does not make it sure to build.
    pub fn new(categories: &[Category]) -> Result<Engines, String> {
        let engines = Engines {
            all: OnceLock::new(),
            subsets: Mutex::new(Vec::new()),
        };
        let literal_bytes: usize = categories
            .iter()
            .flat_map(|c| &c.rules)
            .flat_map(|r| {
                let probes = r.near.iter().chain(&r.not_near).filter_map(|p| match p {
                    Probe::Pattern(p) => Some(p),
                    Probe::Regex(_) => None,
                });
                r.terms.iter().chain(probes)
            })
            .flat_map(|p| &p.alts)
            .flat_map(|a| &a.words)
            .map(|w| w.anchor().len())
            .sum::<usize>()
            + regex_count(categories) * MAX_TRIGGERS * MAX_TRIGGER_LEN;
        if literal_bytes > SURE_TO_BUILD {
            let _ = engines.all.set(Engine::build(categories)?);
        }
        Ok(engines)
    }

    /// Builds the engine of all categories, if it is not built yet.
    pub fn prepare(&self, categories: &[Category]) {
        self.all(categories);
    }

    /// Whether the engine of all categories is built.
    pub fn is_built(&self) -> bool {
        self.all.get().is_some()
    }

    /// The engine of all categories.
    fn all(&self, categories: &[Category]) -> &Engine {
        self.all.get_or_init(|| {
            Engine::build(categories).expect("checked when the rules loaded (Engines::new)")
        })
    }

    /// The engine of the categories in `mask` (bit `i` for category `i`).
    fn subset(&self, categories: &[Category], mask: u64) -> Arc<Engine> {
        let mut subsets = self.subsets.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, engine)) = subsets.iter().find(|(m, _)| *m == mask) {
            return Arc::clone(engine);
        }
        let engine = Arc::new(
            Engine::build_for(categories, |ci| mask >> ci & 1 == 1)
                .expect("part of a valid rule set compiles"),
        );
        subsets.push((mask, Arc::clone(&engine)));
        engine
    }
}

/// How many words a match of `alt` can reach before or after its anchor word: a phrase
/// may start words before its anchor, and a gap adds more.
fn slack(alt: &Alt) -> usize {
    alt.words.len() * if alt.gaps.is_empty() { 1 } else { MAX_GAP + 1 }
}

/// Words so frequent in Dutch school texts that a phrase is better found through one of
/// its other words (see the anchor choice in [`Engine::build`]). Substrings count too: the
/// automaton finds `orde` inside every `worden`.
const COMMON_WORDS: &[&str] = &[
    "aan", "als", "bij", "dan", "dat", "de", "deze", "die", "dit", "door", "een", "elk", "elke",
    "en", "er", "geen", "het", "hun", "ieder", "iedere", "in", "is", "je", "jouw", "meer", "met",
    "naar", "niet", "nog", "of", "om", "ons", "onze", "ook", "op", "over", "per", "te", "tot",
    "uit", "uw", "van", "voor", "wat", "we", "wel", "wie", "wij", "worden", "wordt", "zijn", "zo",
    // and the commonest verbs
    "gaan", "gaat", "hebben", "heeft", "kan", "komen", "krijgen", "kunnen", "laat", "laten",
    "maakt", "maken", "moet", "moeten", "staan", "staat", "wil", "willen", "zal", "zich", "zien",
    "zullen",
];

/// A match before the rules' conditions are applied: byte span in the folded text and
/// the words it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Candidate {
    owner: Owner,
    start: usize,
    end: usize,
    first: usize,
    last: usize,
    /// Found by a phrase with a `...` gap: the words between its parts are not part of
    /// it, so a negation there ("stelt het plan niet vast") negates it.
    gapped: bool,
}

/// Byte spans of words.
type Spans = Vec<(usize, usize)>;

/// The words of a folded page in two views: `joined` (hyphenated compounds as one word)
/// and `split` (compounds in their parts). Most pages have no hyphenated compound; then
/// the two views are the same list.
#[derive(Default)]
struct PageWords {
    joined: Vec<(usize, usize)>,
    /// The split view, when a page has joints (else it equals `joined`).
    split: Spans,
    /// For every split word, the joined word it is part of.
    split_joined: Vec<usize>,
    /// For every joined word, its first split word (the split words of a joined word are
    /// neighbours).
    joined_split: Vec<usize>,
    has_split: bool,
}

impl PageWords {
    /// The words of `folded`, in buffers reused from the previous page.
    fn fill(&mut self, folded: &Folded) {
        text_words_into(&folded.text, &mut self.joined);
        self.split.clear();
        self.split_joined.clear();
        self.joined_split.clear();
        self.has_split = !folded.joints.is_empty();
        if !self.has_split {
            return;
        }
        // Joints are few: the words between them are copied in runs.
        let joined = &self.joined;
        let mut copied = 0;
        // The word being cut at its joints, and where its next part starts.
        let mut open: Option<(usize, usize)> = None;
        for &j in &folded.joints {
            let j = j as usize;
            if let Some((w, from)) = open {
                if j < joined[w].1 {
                    if j > from {
                        self.split.push((from, j));
                        self.split_joined.push(w);
                        open = Some((w, j));
                    }
                    continue;
                }
                self.split.push((from, joined[w].1));
                self.split_joined.push(w);
                copied = w + 1;
                open = None;
            }
            let w = copied + joined[copied..].partition_point(|&(_, end)| end <= j);
            if w == joined.len() {
                break;
            }
            let start = joined[w].0;
            if j <= start {
                continue;
            }
            copy_words(
                joined,
                copied..w,
                &mut self.split,
                &mut self.split_joined,
                &mut self.joined_split,
            );
            self.joined_split.push(self.split.len());
            self.split.push((start, j));
            self.split_joined.push(w);
            open = Some((w, j));
        }
        if let Some((w, from)) = open {
            self.split.push((from, joined[w].1));
            self.split_joined.push(w);
            copied = w + 1;
        }
        let all = copied..joined.len();
        copy_words(
            joined,
            all,
            &mut self.split,
            &mut self.split_joined,
            &mut self.joined_split,
        );
    }

    fn split(&self) -> &[(usize, usize)] {
        if self.has_split {
            &self.split
        } else {
            &self.joined
        }
    }

    /// The split word holding bytes `start..end` inside joined word `joined`: what a
    /// [`WordCursor`] finds in the split words, from the few parts of one joined word.
    fn split_holding(&self, joined: usize, start: usize, end: usize) -> Option<usize> {
        if !self.has_split {
            return Some(joined);
        }
        let from = self.joined_split[joined];
        let to = self
            .joined_split
            .get(joined + 1)
            .copied()
            .unwrap_or(self.split.len());
        (from..to).find(|&i| self.split[i].0 <= start && end <= self.split[i].1)
    }

    fn split_joined(&self, i: usize) -> usize {
        if self.has_split {
            self.split_joined[i]
        } else {
            i
        }
    }
}

/// Appends joined words `words` uncut to the split view.
fn copy_words(
    joined: &[(usize, usize)],
    words: std::ops::Range<usize>,
    split: &mut Spans,
    split_joined: &mut Vec<usize>,
    joined_split: &mut Vec<usize>,
) {
    let base = split.len();
    joined_split.extend((0..words.len()).map(|k| base + k));
    split.extend_from_slice(&joined[words.clone()]);
    split_joined.extend(words);
}

/// The word of `spans` that holds byte `pos` (what [`WordCursor`] finds faster).
#[cfg(test)]
fn word_at(spans: &[(usize, usize)], pos: usize) -> Option<usize> {
    let i = spans.partition_point(|&(s, _)| s <= pos);
    (i > 0 && pos < spans[i - 1].1).then(|| i - 1)
}

/// Between words of a phrase only spaces, hyphens, slashes and quotes may stand.
fn phrase_gap(gap: &str) -> bool {
    gap.chars()
        .all(|c| c.is_whitespace() || matches!(c, '-' | '/' | '\'' | '"'))
}

/// All hits of `rules` in `pages`, in page order then text order.
pub fn hits(rules: &RuleSet, pages: &[Page]) -> Vec<Hit> {
    hits_with(rules, rules.engine.all(&rules.categories), pages)
}

/// The hits of the categories in `mask` (bit `i` for category `i`; at most 64
/// categories), as [`hits`] finds them: the same hits in the same order, without those of
/// the other categories.
pub fn hits_of(rules: &RuleSet, pages: &[Page], mask: u64) -> Vec<Hit> {
    let n = rules.categories.len();
    assert!(n <= 64, "a mask holds at most 64 categories");
    let all = if n == 64 { u64::MAX } else { (1u64 << n) - 1 };
    if mask & all == all {
        return hits(rules, pages);
    }
    hits_with(rules, &rules.engine.subset(&rules.categories, mask), pages)
}

fn hits_with(rules: &RuleSet, engine: &Engine, pages: &[Page]) -> Vec<Hit> {
    thread_local! {
        /// The buffers of the thread's last document, for its next: a worker matches
        /// document after document, and growing fresh buffers for each cost a few percent
        /// of matching. Every buffer is cleared or re-stamped per page, so nothing of one
        /// document reaches the next.
        static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
    }
    let mut out = Vec::new();
    SCRATCH.with(|scratch| {
        // Matching never calls itself, so the buffers are free; should that change, a
        // fresh set does the same work.
        let mut fresh = Scratch::default();
        let mut held = scratch.try_borrow_mut();
        let scratch = held.as_deref_mut().unwrap_or(&mut fresh);
        for page in pages {
            page_hits(rules, engine, page, scratch, &mut out);
        }
    });
    out
}

/// Buffers reused from page to page, so that a page costs no allocations of its own.
#[derive(Default)]
struct Scratch {
    folded: Folded,
    words: PageWords,
    /// Automaton matches: (pattern, start, end) in the folded text.
    raw: Vec<scan::Match>,
    /// Scratch space of the scan.
    parts: [Vec<scan::Match>; 3],
    /// Declared regex matches: (regex, start, end).
    regex_raw: Vec<(usize, usize, usize)>,
    /// Where the automaton found literals of regexes, sorted.
    regex_places: Vec<Place>,
    candidates: Vec<Candidate>,
    /// Per global rule: whether it has a term candidate on this page.
    has_terms: Vec<bool>,
    /// Where a `near` / `not_near` entry can still matter, around each term candidate of
    /// a rule (see [`Window`]), those of a rule together and in order.
    windows: Vec<Window>,
    /// Per global rule: its windows in `windows`, or `UNKNOWN` before they are needed.
    rule_windows: Vec<(u32, u32)>,
    /// What the sentence segmenter worked out, in a buffer kept from page to page.
    sentence_memo: sentence::Memo,
}

/// Finds the word holding a byte offset in a list of word spans, starting from where the
/// previous look-up ended: the automaton reports matches nearly in text order.
#[derive(Default)]
struct WordCursor {
    at: usize,
}

impl WordCursor {
    /// The word of `spans` holding bytes `start..end`, as [`word_at`] with `end` inside.
    fn holding(&mut self, spans: &[(usize, usize)], start: usize, end: usize) -> Option<usize> {
        // The last word starting at or before `start`.
        let mut i = self.at.min(spans.len().saturating_sub(1));
        if spans.get(i).is_some_and(|&(s, _)| s <= start) {
            // Galloping: the next match is a few words on, now and then a page further.
            let mut step = 1;
            while i + step < spans.len() && spans[i + step].0 <= start {
                i += step;
                step *= 2;
            }
            let end = (i + step).min(spans.len());
            i += spans[i..end].partition_point(|&(s, _)| s <= start) - 1;
        } else {
            let before = spans.partition_point(|&(s, _)| s <= start);
            if before == 0 {
                return None;
            }
            i = before - 1;
        }
        self.at = i;
        (start < spans[i].1 && end <= spans[i].1).then_some(i)
    }
}

fn page_hits(
    rules: &RuleSet,
    engine: &Engine,
    page: &Page,
    scratch: &mut Scratch,
    out: &mut Vec<Hit>,
) {
    let Scratch {
        folded,
        words: pw,
        raw,
        parts,
        regex_raw,
        regex_places,
        candidates,
        has_terms,
        windows,
        rule_windows,
        sentence_memo,
    } = scratch;
    fold_into(&page.text, folded);
    let folded = &*folded;
    let text = folded.text.as_str();
    raw.clear();
    if let Some(scanner) = &engine.automaton {
        scanner.scan(text.as_bytes(), raw, parts);
    }
    regex_places.clear();
    for &(pattern, start, end) in raw.iter() {
        for &index in engine.regex_triggers.get(pattern) {
            regex_places.push((index, start, end));
        }
    }
    regex_places.sort_unstable();
    let regex_places = &*regex_places;
    regex_raw.clear();
    for (index, shared) in engine.regexes[..engine.term_regexes].iter().enumerate() {
        shared.find(text, places_of(regex_places, index), |start, end| {
            regex_raw.push((index, start, end));
        });
    }
    if raw.is_empty() && regex_raw.is_empty() {
        return;
    }
    pw.fill(folded);
    let pw = &*pw;
    if pw.joined.is_empty() {
        return;
    }
    // First the terms; `near` / `not_near` entries only for the rules that have a term
    // here, since without one nothing of the rule can become a hit.
    candidates.clear();
    has_terms.clear();
    has_terms.resize(engine.rules.len(), false);
    let mut joined_cursor = WordCursor::default();
    for &(pattern, start, end) in raw.iter() {
        if pattern >= engine.terms_end {
            continue;
        }
        if !engine.term_edges[pattern].allow(folded, start, end) {
            continue;
        }
        let terms = engine.term_alts.get(pattern);
        // The words holding this match, looked up once for all its alternatives.
        // A split word lies inside a joined word: found from it.
        let in_joined = joined_cursor.holding(&pw.joined, start, end);
        let in_split = in_joined.and_then(|w| pw.split_holding(w, start, end));
        if in_split.is_none() && in_joined.is_none() {
            continue;
        }
        for anchored in terms {
            let in_split = in_split.filter(|&t| anchored.split.allows(pw.split()[t], start, end));
            let in_joined = in_joined.filter(|&t| anchored.joined.allows(pw.joined[t], start, end));
            if in_split.is_none() && in_joined.is_none() {
                continue;
            }
            let entry = &engine.alts[anchored.alt as usize];
            let (found, n) = check_alt(entry, text, pw, in_split, in_joined);
            for span in &found[..n] {
                for &owner in &entry.owners {
                    candidates.push(span.of(owner));
                    has_terms[owner.rule as usize] = true;
                }
            }
        }
    }
    for &(index, start, end) in regex_raw.iter() {
        for &owner in &engine.regexes[index].owners {
            if push_span(candidates, pw, owner, start, end) {
                has_terms[owner.rule as usize] = true;
            }
        }
    }
    if !has_terms.contains(&true) {
        return;
    }
    let seg = sentence::Segmenter::new(&page.text, folded, &pw.joined, sentence_memo);
    // A `near` / `not_near` entry only matters within reach of a term of its rule. The
    // windows of a rule are worked out when a literal of one of its entries is first met:
    // a window costs a sentence, and many rules with a term have none of their entries'
    // literals on the page.
    windows.clear();
    rule_windows.clear();
    rule_windows.resize(engine.rules.len(), UNKNOWN);
    let terms = candidates.len();
    // Most `near` / `not_near` matches belong to rules without a term on the page, or
    // stand far from every term of their own rules: they are passed over before their
    // words are looked up. (Checked per rule: the union of all rules' windows covers much
    // of a page, and let three times as many matches through to the look-up.)
    let mut joined_cursor = WordCursor::default();
    let probe_matches = raw.iter().filter(|m| engine.probes.contains(&m.0));
    for &(pattern, start, end) in probe_matches {
        let mut wanted = false;
        for &r in engine.probe_rules.get(pattern) {
            if !has_terms[r as usize] {
                continue;
            }
            if rule_windows[r as usize] == UNKNOWN {
                rule_windows[r as usize] =
                    windows_of(rules, engine, r, &candidates[..terms], &seg, pw, windows);
            }
            let (from, to) = rule_windows[r as usize];
            wanted = wanted || in_byte_reach(&windows[from as usize..to as usize], start, end);
        }
        if !wanted {
            continue;
        }
        if !engine.probe_edges[pattern].allow(folded, start, end) {
            continue;
        }
        let alts = engine.probe_alts.get(pattern);
        let wanted = |anchored: &&Listed| {
            engine.alts[anchored.alt as usize]
                .owners
                .iter()
                .any(|o| has_terms[o.rule as usize])
        };
        // A split word lies inside a joined word: found from it.
        let in_joined = joined_cursor.holding(&pw.joined, start, end);
        let in_split = in_joined.and_then(|w| pw.split_holding(w, start, end));
        let Some(t) = in_joined.or_else(|| in_split.map(|s| pw.split_joined(s))) else {
            continue;
        };
        for anchored in alts.iter().filter(wanted) {
            let in_split = in_split.filter(|&t| anchored.split.allows(pw.split()[t], start, end));
            let in_joined = in_joined.filter(|&t| anchored.joined.allows(pw.joined[t], start, end));
            if in_split.is_none() && in_joined.is_none() {
                continue;
            }
            let entry = &engine.alts[anchored.alt as usize];
            let slack = slack(&entry.alt);
            // The owners with a term are among the rules of the literal: their windows
            // are known.
            if !entry.owners.iter().any(|o| {
                let (from, to) = rule_windows[o.rule as usize];
                has_terms[o.rule as usize]
                    && in_reach(&windows[from as usize..to as usize], t, slack)
            }) {
                continue;
            }
            let (found, n) = check_alt(entry, text, pw, in_split, in_joined);
            for span in &found[..n] {
                for &owner in &entry.owners {
                    if has_terms[owner.rule as usize] {
                        candidates.push(span.of(owner));
                    }
                }
            }
        }
    }
    for (index, shared) in engine.regexes.iter().enumerate().skip(engine.term_regexes) {
        if !shared.owners.iter().any(|o| has_terms[o.rule as usize]) {
            continue;
        }
        shared.find(text, places_of(regex_places, index), |start, end| {
            for &owner in &shared.owners {
                if has_terms[owner.rule as usize] {
                    push_span(candidates, pw, owner, start, end);
                }
            }
        });
    }
    candidates.sort_unstable();
    candidates.dedup();
    let candidates = &*candidates;

    let kept = apply_conditions(rules, engine, candidates, &seg);
    let chosen = resolve_overlaps(engine, kept);
    if chosen.is_empty() {
        return;
    }
    let words = negation::Words::new(&rules.negation, text, &pw.joined, &seg);
    let mut positions = Vec::with_capacity(chosen.len() * 3);
    let mut pending = Vec::with_capacity(chosen.len());
    // Hits in one sentence share what is worked out about it: its span, where it starts
    // in the page text, whether it is a heading, and (below) its text. A page has few
    // sentences with hits, so a list searched from the newest is enough.
    let mut sentences: Vec<Sentence> = Vec::new();
    for c in chosen {
        let (ci, ri) = engine.rules[c.owner.rule as usize];
        let negated = negation::is_negated(&rules.negation, &words, c.first, c.last)
            || (c.gapped && negation::negated_inside(&rules.negation, &words, c.first, c.last));
        let (start, end) = folded.origin_range(&page.text, c.start, c.end);
        let words_of = seg.sentence_of(c.first);
        let si = match sentences.iter().rposition(|s| s.words == words_of) {
            Some(si) => si,
            None => {
                let (first_word, last_word) = words_of;
                let (s_start, s_end) = seg.span(first_word, last_word);
                let (from, to) = folded.origin_range(&page.text, s_start, s_end);
                sentences.push(Sentence {
                    words: words_of,
                    from,
                    to,
                    heading: seg.is_heading(first_word, last_word),
                    shown: None,
                });
                sentences.len() - 1
            }
        };
        positions.extend([start, end, sentences[si].from]);
        pending.push((c, ci, ri, negated, start, end, si));
    }
    // In text order: by start, category and end (byte offsets order as char offsets do),
    // sorted here rather than as hits, which are many times larger.
    pending.sort_by_key(|&(_, ci, _, _, start, end, _)| (start, ci, end));
    let chars = CharOffsets::new(&page.text, positions);
    out.reserve(pending.len());
    for (c, ci, ri, negated, start, end, si) in pending {
        let rule = &rules.categories[ci].rules[ri];
        let names = &engine.names[c.owner.rule as usize];
        let Sentence {
            from,
            to,
            heading,
            shown,
            ..
        } = sentences[si];
        // A sentence too long to show whole is cut around each hit, so only a whole one
        // is shared: its text is taken from the first hit that showed it.
        let sentence = match shown {
            Some(hit) => out[hit].sentence.clone(),
            None => {
                if start >= from && end <= to && to - from <= MAX_SENTENCE {
                    sentences[si].shown = Some(out.len());
                }
                sentence_text(&page.text, from, to, start, end)
            }
        };
        out.push(Hit {
            page: page.number,
            category: ci,
            subcategory: names.subcategory.clone(),
            rule: Arc::clone(&names.id),
            term: Arc::clone(&names.terms[c.owner.item as usize]),
            matched: page.text[start..end].to_string(),
            sentence,
            start: chars.get(start),
            end: chars.get(end),
            negated,
            weight: rule.weight,
            sentence_start: chars.get(from),
            heading,
        });
    }
}

/// Where `near` / `not_near` entries of a rule can matter around one of its term
/// candidates: its sentence, or `within` words of it (first and last word), and the same
/// in bytes of the folded text widened by the longest reach of a phrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Window {
    first: usize,
    last: usize,
    from: usize,
    to: usize,
}

/// Marks the windows of a rule not yet worked out on this page.
const UNKNOWN: (u32, u32) = (u32::MAX, u32::MAX);

/// Works out the windows of `rule` around its term candidates among `terms`, appends
/// them to `windows` in order and says where they are.
fn windows_of(
    rules: &RuleSet,
    engine: &Engine,
    rule: u32,
    terms: &[Candidate],
    seg: &sentence::Segmenter,
    pw: &PageWords,
    windows: &mut Vec<Window>,
) -> (u32, u32) {
    let (ci, ri) = engine.rules[rule as usize];
    let within = rules.categories[ci].rules[ri].within;
    let start = windows.len();
    let last_word = pw.joined.len() - 1;
    for c in terms.iter().filter(|c| c.owner.rule == rule) {
        let (first, last) = match within {
            Within::Sentence => seg.sentence_of(c.first),
            Within::Words(n) => (c.first.saturating_sub(n), c.last + n),
        };
        // A match lies inside its word, and no alternative reaches further than
        // `probe_slack` words from it: a match outside these bytes is out of reach.
        windows.push(Window {
            first,
            last,
            from: pw.joined[first.saturating_sub(engine.probe_slack)].0,
            to: pw.joined[(last + engine.probe_slack).min(last_word)].1,
        });
    }
    windows[start..].sort_unstable();
    (start as u32, windows.len() as u32)
}

/// Whether word `t` is within `slack` words of one of `windows` (of one rule, in order).
fn in_reach(windows: &[Window], t: usize, slack: usize) -> bool {
    windows
        .iter()
        .take_while(|w| w.first <= t + slack)
        .any(|w| w.last + slack >= t)
}

/// Whether bytes `start..end` lie within one of `windows` (of one rule, in order), as
/// they do if [`in_reach`] of the word holding them. Windows in order of their first word
/// are in order of their first byte too.
fn in_byte_reach(windows: &[Window], start: usize, end: usize) -> bool {
    windows
        .iter()
        .take_while(|w| w.from <= start)
        .any(|w| w.to >= end)
}

/// A sentence of a page holding hits, worked out once for all its hits.
struct Sentence {
    /// Its first and last word.
    words: (usize, usize),
    /// Its byte range in the page text.
    from: usize,
    to: usize,
    heading: bool,
    /// The hit in the output whose sentence text is this whole sentence, once there is one.
    shown: Option<usize>,
}

/// Adds a regular-expression match as a candidate, with the words it touches; false when
/// it is empty.
fn push_span(
    candidates: &mut Vec<Candidate>,
    pw: &PageWords,
    owner: Owner,
    start: usize,
    end: usize,
) -> bool {
    if start == end {
        return false;
    }
    let first = pw
        .joined
        .partition_point(|&(_, e)| e <= start)
        .min(pw.joined.len() - 1);
    let last = pw
        .joined
        .partition_point(|&(s, _)| s < end)
        .saturating_sub(1)
        .max(first);
    candidates.push(Candidate {
        owner,
        start,
        end,
        first,
        last,
        gapped: false,
    });
    true
}

/// Where an alternative was found: a candidate without its owner.
#[derive(Debug, Clone, Copy, Default)]
struct Span {
    start: usize,
    end: usize,
    first: usize,
    last: usize,
    gapped: bool,
}

impl Span {
    fn of(self, owner: Owner) -> Candidate {
        Candidate {
            owner,
            start: self.start,
            end: self.end,
            first: self.first,
            last: self.last,
            gapped: self.gapped,
        }
    }
}

/// Checks one alternative at an automaton match held by split word `in_split` and joined
/// word `in_joined`: what it finds (at most once in each view) and how many.
fn check_alt(
    entry: &AltEntry,
    text: &str,
    pw: &PageWords,
    in_split: Option<usize>,
    in_joined: Option<usize>,
) -> ([Span; 2], usize) {
    let mut found = [Span::default(); 2];
    let mut n = 0;
    let mut split_word = None;
    if entry.alt.view != View::Joined
        && let Some(t) = in_split
    {
        split_word = Some(pw.split()[t]);
        if let Some(span) = verify_split(entry, text, pw, t) {
            found[n] = span;
            n += 1;
        }
    }
    if entry.alt.view != View::Split
        && let Some(t) = in_joined
    {
        let (start, end) = pw.joined[t];
        // A single word that is the same in both views was just checked.
        if entry.alt.view == View::Both && split_word == Some((start, end)) {
            return (found, n);
        }
        if entry.alt.words[0].matches(&text[start..end]) {
            found[n] = Span {
                start,
                end,
                first: t,
                last: t,
                gapped: false,
            };
            n += 1;
        }
    }
    (found, n)
}

/// Checks a split-view alternative whose anchor literal is inside split word `t`.
fn verify_split(entry: &AltEntry, text: &str, pw: &PageWords, t: usize) -> Option<Span> {
    let split = pw.split();
    if t < entry.anchor_word {
        return None;
    }
    let first = t - entry.anchor_word;
    if first + entry.alt.first_group() > split.len() {
        return None;
    }
    // `at` is the split word where word `k` of the alternative must stand; after a gap it
    // may stand up to MAX_GAP words further.
    let mut at = first;
    let mut k = 0;
    let words = &entry.alt.words;
    while k < words.len() {
        if k > 0 && entry.alt.gap_before(k) {
            let group_end = (k + 1..words.len())
                .find(|&j| entry.alt.gap_before(j))
                .unwrap_or(words.len());
            // In a `...` gap the words may be anything but the clause may not end: a
            // comma is allowed ("stelt, na overleg, het plan vast"), a full stop, colon,
            // semicolon, question or exclamation mark or a blank line is not. The gap
            // grows word by word, so each stretch of text is looked at once.
            let mut scanned = split[at - 1].1;
            let mut newlines = 0;
            let mut found = None;
            for p in at..(at + MAX_GAP + 1).min(split.len()) {
                let stretch = &text[scanned..split[p].0];
                scanned = split[p].0;
                newlines += stretch.matches('\n').count();
                if stretch.contains(['.', ';', ':', '?', '!']) || newlines >= 2 {
                    break;
                }
                if group_at(&words[k..group_end], text, split, p) {
                    found = Some(p);
                    break;
                }
            }
            let found = found?;
            at = found + (group_end - k);
            k = group_end;
            continue;
        }
        let (s, e) = *split.get(at)?;
        if !words[k].matches(&text[s..e]) {
            return None;
        }
        if k > 0 && !phrase_gap(&text[split[at - 1].1..s]) {
            return None;
        }
        at += 1;
        k += 1;
    }
    let last = at - 1;
    Some(Span {
        start: split[first].0,
        end: split[last].1,
        first: pw.split_joined(first),
        last: pw.split_joined(last),
        gapped: !entry.alt.gaps.is_empty(),
    })
}

/// Whether `group` (words without a gap between them) stands on split words `p..`.
fn group_at(group: &[WordGlob], text: &str, split: &[(usize, usize)], p: usize) -> bool {
    group.iter().enumerate().all(|(j, glob)| {
        split.get(p + j).is_some_and(|&(s, e)| {
            glob.matches(&text[s..e]) && (j == 0 || phrase_gap(&text[split[p + j - 1].1..s]))
        })
    })
}

/// Applies `near`, `not_near` and `headings = "ignore"`: keeps the term candidates of each
/// rule that satisfy them. `candidates` is sorted, so each rule's terms, near and not_near
/// are runs. Headings are dropped here, before overlaps are resolved, so that a dropped
/// hit never hides an overlapping one of a rule that counts headings.
fn apply_conditions(
    rules: &RuleSet,
    engine: &Engine,
    candidates: &[Candidate],
    seg: &sentence::Segmenter,
) -> Vec<Candidate> {
    let mut kept = Vec::with_capacity(candidates.len());
    let mut i = 0;
    while i < candidates.len() {
        let g = candidates[i].owner.rule;
        let end = i + candidates[i..].partition_point(|c| c.owner.rule == g);
        let group = &candidates[i..end];
        i = end;
        let (ci, ri) = engine.rules[g as usize];
        let rule = &rules.categories[ci].rules[ri];
        let of = |role| group.iter().filter(move |c| c.owner.role == role);
        let close = |a: &Candidate, b: &Candidate, sentence: (usize, usize)| match rule.within {
            Within::Sentence => (sentence.0..=sentence.1).contains(&b.first),
            Within::Words(n) => {
                let distance = if b.last < a.first {
                    a.first - b.last
                } else {
                    b.first.saturating_sub(a.last)
                };
                distance <= n
            }
        };
        let probes = group.iter().any(|c| c.owner.role != Role::Term);
        let in_heading = |term: &Candidate| {
            let (first, last) = seg.sentence_of(term.first);
            seg.is_heading(first, last)
        };
        // The proximity conditions first: they are cheaper than the heading check, which
        // looks at the sentence and those before it.
        for term in of(Role::Term) {
            if !probes {
                if !rule.near.is_empty() {
                    continue;
                }
            } else {
                let sentence = match rule.within {
                    Within::Sentence => seg.sentence_of(term.first),
                    Within::Words(_) => (0, 0),
                };
                let near_ok =
                    rule.near.is_empty() || of(Role::Near).any(|n| close(term, n, sentence));
                if !near_ok || of(Role::NotNear).any(|n| close(term, n, sentence)) {
                    continue;
                }
            }
            if rule.headings == Headings::Ignore && in_heading(term) {
                continue;
            }
            kept.push(*term);
        }
    }
    kept
}

/// Within each category the longest span counts once: candidates are taken longest first
/// (then leftmost, then the rule declared first) and dropped when they overlap one taken.
fn resolve_overlaps(engine: &Engine, mut kept: Vec<Candidate>) -> Vec<Candidate> {
    let category = |c: &Candidate| engine.rules[c.owner.rule as usize].0;
    kept.sort_by_key(|c| {
        (
            category(c),
            std::cmp::Reverse(c.end - c.start),
            c.start,
            c.owner.rule,
            c.owner.item,
        )
    });
    let mut chosen = Vec::with_capacity(kept.len());
    let mut taken: BTreeMap<usize, usize> = BTreeMap::new();
    let mut current = usize::MAX;
    for c in kept {
        if category(&c) != current {
            current = category(&c);
            taken.clear();
        }
        let before = taken.range(..c.end).next_back();
        if before.is_some_and(|(_, &end)| end > c.start) {
            continue;
        }
        taken.insert(c.start, c.end);
        chosen.push(c);
    }
    chosen
}

/// Byte offsets → char offsets for a few positions, in one pass over the text.
struct CharOffsets {
    map: Vec<(usize, usize)>,
}

impl CharOffsets {
    fn new(text: &str, mut positions: Vec<usize>) -> CharOffsets {
        positions.sort_unstable();
        positions.dedup();
        let mut map = Vec::with_capacity(positions.len());
        let (mut byte, mut chars) = (0, 0);
        for p in positions {
            let p = p.min(text.len());
            chars += text[byte..p].chars().count();
            byte = p;
            map.push((p, chars));
        }
        CharOffsets { map }
    }

    fn get(&self, byte: usize) -> usize {
        let i = self.map.partition_point(|&(b, _)| b < byte);
        self.map.get(i).map_or(0, |&(_, c)| c)
    }
}

/// Longest sentence shown whole, in bytes; longer ones are cut around the hit.
const MAX_SENTENCE: usize = 600;

/// The sentence on one line; a very long one is cut to a window around the hit.
fn sentence_text(text: &str, from: usize, to: usize, start: usize, end: usize) -> String {
    let (mut from, mut to) = (from.min(start), to.max(end));
    let (mut head, mut tail) = ("", "");
    if to - from > MAX_SENTENCE {
        let half = MAX_SENTENCE / 2;
        if start > from + half {
            from = floor_char(text, start - half);
            head = "… ";
        }
        if end + half < to {
            to = floor_char(text, end + half);
            tail = " …";
        }
    }
    let line = crate::extract::one_line(&text[from..to]);
    if head.is_empty() && tail.is_empty() {
        return line;
    }
    let mut out = String::with_capacity(head.len() + line.len() + tail.len());
    out.push_str(head);
    out.push_str(&line);
    out.push_str(tail);
    out
}

fn floor_char(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests;
