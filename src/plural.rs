//! Counts in messages, in the right number: "1 page", "2 pages", "1 category". A leaf
//! module: every command prints counts.

/// `n` and the word, with an `s` unless `n` is 1: `count(1, "page")` is "1 page".
pub fn count(n: impl Into<u64>, word: &str) -> String {
    let n = n.into();
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// `n` and the singular or the plural given: `count_as(2, "category", "categories")`.
pub fn count_as(n: impl Into<u64>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_everything_else_plural() {
        assert_eq!(count(1u32, "page"), "1 page");
        assert_eq!(count(0u32, "page"), "0 pages");
        assert_eq!(count(2u64, "document"), "2 documents");
        assert_eq!(count_as(1u32, "category", "categories"), "1 category");
        assert_eq!(count_as(3u32, "category", "categories"), "3 categories");
    }
}
