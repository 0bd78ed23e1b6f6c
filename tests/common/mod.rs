//! The word-recall measure shared by the extraction tests (`extraction_quality`, `ocr`),
//! the one `scripts/score-extraction.py` prints: words NFKC-normalised, soft hyphens and
//! zero-width characters dropped, lowercased, split at every character that is not a
//! letter or digit; recall is the multiset intersection over the ground-truth words.

use std::collections::HashMap;
use unicode_normalization::UnicodeNormalization;

/// Characters that are invisible in print and must not split or join words.
fn is_ignored(c: char) -> bool {
    matches!(
        c,
        '\u{00ad}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}'
    )
}

pub fn words(text: &str) -> Vec<String> {
    let folded = text
        .nfkc()
        .filter(|&c| !is_ignored(c))
        .collect::<String>()
        .to_lowercase();
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The fraction of ground-truth words found in the output, counting repeats, and up to
/// `show` of the words that were not found (for the failure message).
pub fn recall(truth: &[String], output: &[String], show: usize) -> (f64, Vec<String>) {
    let mut have: HashMap<&str, usize> = HashMap::new();
    for word in output {
        *have.entry(word).or_default() += 1;
    }
    let mut found = 0usize;
    let mut missing = Vec::new();
    for word in truth {
        match have.get_mut(word.as_str()) {
            Some(n) if *n > 0 => {
                *n -= 1;
                found += 1;
            }
            _ if missing.len() < show => missing.push(word.clone()),
            _ => {}
        }
    }
    (found as f64 / truth.len().max(1) as f64, missing)
}
