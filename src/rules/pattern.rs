//! The pattern language of `terms`, `near` and `not_near`: words with `*` wildcards and
//! phrases of such words, folded with the same [`fold`] as the page text, so that what a
//! rule author writes and what a document says meet in one form.
//!
//! A pattern compiles into one or two *alternatives* that the matcher looks for: the words
//! one by one on consecutive words of the text (the *split* view, where `PDCA-cyclus` is two
//! words), and for a phrase also the words written solid (the *joined* view, where it is
//! one word `pdcacyclus`). That is how hyphen, space and nothing inside a compound match
//! alike.
//!
//! Dutch splits verbs: "het bestuur **stelt** het plan **vast**". A phrase with `...`
//! between its words (`stelt ... vast`) finds the parts in order with up to [`MAX_GAP`]
//! other words between them in the same clause, so a rule can name a separable verb as
//! one term instead of approximating it with `near`.

use crate::normalize::{fold, words};

/// Characters that only make sense in a regular expression; a term holding one is almost
/// certainly a regular expression in the wrong place.
pub const REGEX_CHARS: &[char] = &['\\', '[', ']', '(', ')', '{', '}', '|', '^', '$', '+', '?'];

/// Most words that may stand in a `...` gap of a phrase: enough for "stelt samen met het
/// team de schooldoelen voor het nieuwe jaar vast", little enough to stay inside one
/// statement (the gap may not cross the end of a clause either).
pub const MAX_GAP: usize = 12;

/// One word of a pattern: literal parts separated by `*`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct WordGlob {
    /// Folded literal text between the wildcards, never empty strings.
    pub parts: Vec<String>,
    /// Starts with `*`: any letters may come before the first part.
    pub lead: bool,
    /// Ends with `*`: any letters may follow the last part.
    pub trail: bool,
}

impl WordGlob {
    fn parse(word: &str) -> WordGlob {
        WordGlob {
            parts: word
                .split('*')
                .filter(|p| !p.is_empty())
                .map(String::from)
                .collect(),
            lead: word.starts_with('*'),
            trail: word.ends_with('*'),
        }
    }

    /// Whether there is a wildcard anywhere in the word.
    pub fn is_wild(&self) -> bool {
        self.lead || self.trail || self.parts.len() > 1
    }

    /// Letters and digits written in the word (not counting wildcards).
    pub fn letters(&self) -> usize {
        self.parts
            .iter()
            .map(|p| p.chars().filter(|c| c.is_alphanumeric()).count())
            .sum()
    }

    /// The longest literal part: what the automaton looks for.
    pub fn anchor(&self) -> &str {
        self.parts
            .iter()
            .max_by_key(|p| p.len())
            .map_or("", String::as_str)
    }

    /// Whether a whole folded word of the text matches this glob.
    pub fn matches(&self, token: &str) -> bool {
        // A plain word, the commonest glob: unequal lengths decide most comparisons
        // without looking at the letters.
        if let [part] = &self.parts[..]
            && !self.lead
            && !self.trail
        {
            return token.len() == part.len() && token == part;
        }
        let n = self.parts.len();
        let mut rest = token;
        for (i, part) in self.parts.iter().enumerate() {
            let first = i == 0;
            let last = i + 1 == n;
            if first && !self.lead {
                match rest.strip_prefix(part.as_str()) {
                    Some(r) => rest = r,
                    None => return false,
                }
                if last && !self.trail {
                    return rest.is_empty();
                }
                continue;
            }
            if last && !self.trail {
                return rest.ends_with(part.as_str());
            }
            match rest.find(part.as_str()) {
                Some(at) => rest = &rest[at + part.len()..],
                None => return false,
            }
        }
        n > 0
    }
}

/// Where an alternative is looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum View {
    /// On words as written, hyphenated compounds split in their parts (phrases).
    Split,
    /// On words with hyphens inside removed (the solid form of a phrase).
    Joined,
    /// Both (a single word).
    Both,
}

/// One form of a pattern: a sequence of word globs on consecutive words, except where
/// `gaps` says that up to [`MAX_GAP`] other words may come before a word (`stelt ... vast`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Alt {
    pub words: Vec<WordGlob>,
    pub view: View,
    /// For each word, whether a `...` gap comes before it; empty when there is none.
    pub gaps: Vec<bool>,
}

impl Alt {
    /// Whether a `...` gap may come before word `k`.
    pub fn gap_before(&self, k: usize) -> bool {
        self.gaps.get(k).copied().unwrap_or(false)
    }

    /// Number of words before the first gap: the words the automaton may anchor on, since
    /// the rest are looked for after them.
    pub fn first_group(&self) -> usize {
        (1..self.words.len())
            .find(|&k| self.gap_before(k))
            .unwrap_or(self.words.len())
    }
}

/// A compiled term or proximity pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    /// As written in the rule file.
    pub source: String,
    pub alts: Vec<Alt>,
}

impl Pattern {
    /// Compiles a pattern; the error says why it cannot be used.
    pub fn compile(source: &str) -> Result<Pattern, String> {
        Pattern::compile_with(source, false)
    }

    /// Compiles a `near` entry of a rule whose `within` is small or the sentence: then a
    /// single word of two letters without `*` (`we`, `ze`) is allowed, since it only has
    /// to stand close to a term, never counts on its own.
    pub fn compile_near(source: &str) -> Result<Pattern, String> {
        Pattern::compile_with(source, true)
    }

    fn compile_with(source: &str, two_letters: bool) -> Result<Pattern, String> {
        if let Some(c) = source.chars().find(|c| REGEX_CHARS.contains(c)) {
            return Err(format!(
                "term \"{source}\" contains `{c}`: terms are words with `*`; put regular \
                 expressions under `regex`"
            ));
        }
        // `...` (or `…`) between words is a gap; each piece is a phrase of its own.
        let normalized = source.replace('\u{2026}', "...");
        let pieces: Vec<&str> = normalized.split("...").collect();
        if pieces.len() > 1 {
            return Pattern::compile_gapped(source, &pieces);
        }
        let glob_words = glob_words(source, &normalized)?;
        let two_letter_word = two_letters
            && glob_words.len() == 1
            && !glob_words[0].is_wild()
            && glob_words[0].letters() == 2;
        if !two_letter_word {
            check_length(source, &glob_words)?;
        }
        let mut alts = Vec::new();
        if glob_words.len() == 1 {
            alts.push(Alt {
                words: glob_words,
                view: View::Both,
                gaps: Vec::new(),
            });
        } else {
            if let Some(joined) = joined(&glob_words) {
                alts.push(Alt {
                    words: vec![joined],
                    view: View::Joined,
                    gaps: Vec::new(),
                });
            }
            alts.insert(
                0,
                Alt {
                    words: glob_words,
                    view: View::Split,
                    gaps: Vec::new(),
                },
            );
        }
        Ok(Pattern {
            source: source.to_string(),
            alts,
        })
    }

    /// A phrase with `...` gaps: one split-view alternative whose words carry where the
    /// gaps are. There is no solid form: the parts of a separable verb are never written
    /// as one word with the words between them.
    fn compile_gapped(source: &str, pieces: &[&str]) -> Result<Pattern, String> {
        if pieces.iter().any(|p| p.trim().is_empty()) {
            return Err(format!(
                "term \"{source}\": `...` must stand between words, as in \"stelt ... vast\""
            ));
        }
        let mut words = Vec::new();
        let mut gaps = Vec::new();
        for (i, piece) in pieces.iter().enumerate() {
            let group = glob_words(source, piece)?;
            gaps.extend((0..group.len()).map(|k| k == 0 && i > 0));
            words.extend(group);
        }
        // Each piece may be short (`stelt ... op`), but together they must pass the rule
        // for a phrase: one word long enough on its own.
        check_length(source, &words)?;
        Ok(Pattern {
            source: source.to_string(),
            alts: vec![Alt {
                words,
                view: View::Split,
                gaps,
            }],
        })
    }
}

/// The folded word globs of `text` (part of the pattern `source`, named in messages).
fn glob_words(source: &str, text: &str) -> Result<Vec<WordGlob>, String> {
    let folded = fold(text);
    let mut glob_words: Vec<WordGlob> = Vec::new();
    for (start, end) in words(&folded.text, |c| c == '*') {
        // A hyphen inside a word of the pattern splits it, as in the text.
        let mut from = start;
        for &joint in &folded.joints {
            let joint = joint as usize;
            if joint > from && joint < end {
                glob_words.push(WordGlob::parse(&folded.text[from..joint]));
                from = joint;
            }
        }
        glob_words.push(WordGlob::parse(&folded.text[from..end]));
    }
    glob_words.retain(|w| !w.parts.is_empty() || w.lead || w.trail);
    if glob_words.is_empty() {
        return Err(format!("term \"{source}\" has no words"));
    }
    if glob_words.iter().any(|w| w.parts.is_empty()) {
        return Err(format!(
            "term \"{source}\" has a word that is only `*`: it would match any word"
        ));
    }
    Ok(glob_words)
}

/// A single word needs 3 letters, or 4 beside a `*` (`ev*` would match almost anything).
/// In a phrase the other words narrow it down, so a word with `*` needs 2 letters, as long
/// as one word of the phrase would pass on its own.
fn check_length(source: &str, glob_words: &[WordGlob]) -> Result<(), String> {
    let strong = |w: &WordGlob| w.letters() >= if w.is_wild() { 4 } else { 3 };
    if glob_words.len() == 1 {
        let w = &glob_words[0];
        if !strong(w) {
            return Err(if w.is_wild() {
                format!(
                    "term \"{source}\" is too short: a word with `*` needs at least 4 letters \
                     besides the `*`, or it matches almost anything"
                )
            } else {
                format!("term \"{source}\" is too short: a word needs at least 3 letters")
            });
        }
        return Ok(());
    }
    if let Some(w) = glob_words.iter().find(|w| w.is_wild() && w.letters() < 2) {
        return Err(format!(
            "term \"{source}\": the word `{}` is too short beside its `*`",
            render(w)
        ));
    }
    if !glob_words.iter().any(strong) {
        return Err(format!(
            "term \"{source}\" is too short: one of its words needs at least 3 letters \
             (4 with a `*`)"
        ));
    }
    Ok(())
}

fn render(w: &WordGlob) -> String {
    format!(
        "{}{}{}",
        if w.lead { "*" } else { "" },
        w.parts.join("*"),
        if w.trail { "*" } else { "" }
    )
}

/// The words of a phrase written solid, when only the outer ends are wild.
fn joined(glob_words: &[WordGlob]) -> Option<WordGlob> {
    let n = glob_words.len();
    let inner_wild = glob_words.iter().enumerate().any(|(i, w)| {
        let middle = i > 0 && i + 1 < n;
        (i > 0 && w.lead) || (i + 1 < n && w.trail) || (middle && w.parts.len() > 1)
    });
    if inner_wild {
        return None;
    }
    let mut parts: Vec<String> = Vec::new();
    for (i, w) in glob_words.iter().enumerate() {
        for (k, part) in w.parts.iter().enumerate() {
            if i > 0 && k == 0 {
                parts.last_mut()?.push_str(part);
            } else {
                parts.push(part.clone());
            }
        }
    }
    Some(WordGlob {
        parts,
        lead: glob_words[0].lead,
        trail: glob_words[n - 1].trail,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glob(word: &str) -> WordGlob {
        WordGlob::parse(word)
    }

    #[test]
    fn prefix_suffix_and_infix_globs() {
        assert!(glob("evalu*").matches("evaluatiemomenten"));
        assert!(glob("evalu*").matches("evalu"));
        assert!(!glob("evalu*").matches("herevaluatie"));
        assert!(glob("*beleidsplan").matches("cultuurbeleidsplan"));
        assert!(!glob("*beleidsplan").matches("beleidsplannen"));
        assert!(glob("*verantwoordelijk*").matches("eindverantwoordelijke"));
        assert!(!glob("*verantwoordelijk*").matches("verantwoording"));
        assert!(glob("evalu*tie").matches("evaluatie"));
        assert!(!glob("evalu*tie").matches("evaluaties"));
    }

    #[test]
    fn a_word_without_wildcard_matches_only_the_whole_word() {
        assert!(glob("doel").matches("doel"));
        assert!(!glob("doel").matches("doelen"));
        assert!(!glob("doel").matches("schooldoel"));
    }

    #[test]
    fn terms_are_folded_like_the_text() {
        let p = Pattern::compile("Geëvalueerd").unwrap();
        assert_eq!(p.alts[0].words[0].parts, ["geevalueerd"]);
        let p = Pattern::compile("ICC’er*").unwrap();
        assert_eq!(p.alts[0].words[0].parts, ["icc'er"]);
    }

    #[test]
    fn a_compound_with_hyphen_gives_a_phrase_and_a_solid_form() {
        let p = Pattern::compile("PDCA-cyclus").unwrap();
        assert_eq!(p.alts.len(), 2);
        assert_eq!(p.alts[0].view, View::Split);
        assert_eq!(p.alts[0].words.len(), 2);
        assert_eq!(p.alts[1].view, View::Joined);
        assert_eq!(p.alts[1].words[0].parts, ["pdcacyclus"]);
        let p = Pattern::compile("plan do check act*").unwrap();
        assert_eq!(p.alts[1].words[0].parts, ["plandocheckact"]);
        assert!(p.alts[1].words[0].trail);
    }

    #[test]
    fn a_phrase_with_an_inner_wildcard_has_no_solid_form() {
        let p = Pattern::compile("kijk* terug").unwrap();
        assert_eq!(p.alts.len(), 1);
    }

    #[test]
    fn too_short_terms_are_rejected() {
        assert!(Pattern::compile("ev*").unwrap_err().contains("too short"));
        assert!(Pattern::compile("eva*").unwrap_err().contains("too short"));
        assert!(Pattern::compile("mt").unwrap_err().contains("too short"));
        assert!(Pattern::compile_near("mt").is_ok());
        assert!(Pattern::compile_near("w*").is_err());
        assert!(Pattern::compile_near("we*").is_err());
        assert!(Pattern::compile_near("u").is_err());
        assert!(Pattern::compile("*").is_err());
        assert!(Pattern::compile("  ").is_err());
        assert!(Pattern::compile("icc").is_ok());
        assert!(Pattern::compile("eval*").is_ok());
        assert!(Pattern::compile("zet* voort").is_ok());
        assert!(Pattern::compile("z* voort").is_err());
    }

    #[test]
    fn three_dots_between_words_make_a_gap() {
        let p = Pattern::compile("stelt ... vast").unwrap();
        assert_eq!(p.alts.len(), 1, "no solid form across a gap");
        assert_eq!(p.alts[0].gaps, [false, true]);
        assert_eq!(p.alts[0].first_group(), 1);
        let p = Pattern::compile("stel* de … bij").unwrap();
        assert_eq!(p.alts[0].gaps, [false, false, true]);
        assert_eq!(p.alts[0].first_group(), 2);
        // A gap needs words on both sides, and the phrase a word long enough on its own.
        assert!(
            Pattern::compile("... vast")
                .unwrap_err()
                .contains("between words")
        );
        assert!(
            Pattern::compile("stelt ...")
                .unwrap_err()
                .contains("between words")
        );
        assert!(
            Pattern::compile("in ... op")
                .unwrap_err()
                .contains("too short")
        );
        assert!(Pattern::compile("zet ... voort").is_ok());
    }

    #[test]
    fn regular_expressions_are_refused_in_terms() {
        let err = Pattern::compile(r"\d{4}").unwrap_err();
        assert!(err.contains("regex"), "{err}");
    }
}
