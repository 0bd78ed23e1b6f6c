//! Text from documents and file names made safe to show. A leaf module: every command
//! that prints hostile text (`extract`, `explain`) and every report that names a file uses
//! it.
//!
//! File names are data: a report must name the file exactly, so that a researcher can open
//! it again. [`path_text`] writes a name as it is when it is valid UTF-8 without control
//! characters; any other name in double quotes with C-style escapes (`\xNN` for a byte that
//! is not UTF-8, `\n`, `\t`, `\\`, `\"`), as git does. The quotes mark the escaped form, so
//! the mapping can be reversed; a plain name that itself starts with a quote is quoted too.

/// Replaces control characters (escape sequences among them) that a hostile document could
/// use to drive the terminal; newlines and tabs stay.
pub fn terminal_safe(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect()
}

/// A file name for a report, exact and reversible (see the module documentation).
pub fn path_text(path: &std::path::Path) -> String {
    #[cfg(unix)]
    let bytes = {
        use std::os::unix::ffi::OsStrExt;
        path.as_os_str().as_bytes().to_vec()
    };
    #[cfg(not(unix))]
    let bytes = path.to_string_lossy().into_owned().into_bytes();
    match std::str::from_utf8(&bytes) {
        Ok(text) if !text.starts_with('"') && !text.chars().any(char::is_control) => {
            text.to_string()
        }
        _ => quoted(&bytes),
    }
}

/// `"…"` with C-style escapes; valid UTF-8 other than control characters is kept.
fn quoted(bytes: &[u8]) -> String {
    let mut out = String::from("\"");
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                '\r' => out.push_str("\\r"),
                // `\xNN` is a byte, so a character is `\u{N}` even below 0x100.
                c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
                c => out.push(c),
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn ordinary_names_are_written_as_they_are() {
        for name in [
            "pilots/a/plan.pdf",
            "/data/schoolgids 2024 (def).pdf",
            "=HYPERLINK(1).pdf",
            "co\u{f6}rdinator/plan \\ versie.pdf",
        ] {
            assert_eq!(path_text(Path::new(name)), name);
        }
    }

    #[test]
    fn names_with_control_characters_or_a_leading_quote_are_quoted() {
        assert_eq!(path_text(Path::new("a\nb.pdf")), "\"a\\nb.pdf\"");
        assert_eq!(path_text(Path::new("\"x\".pdf")), "\"\\\"x\\\".pdf\"");
        assert_eq!(path_text(Path::new("a\u{1b}[31m")), "\"a\\u{1b}[31m\"");
    }

    #[cfg(unix)]
    #[test]
    fn names_that_are_not_utf8_keep_their_bytes_as_escapes() {
        use std::ffi::OsStr;
        use std::os::unix::ffi::OsStrExt;
        let latin1 = Path::new(OsStr::from_bytes(b"co\xf6rdinator\\plan.pdf"));
        assert_eq!(path_text(latin1), "\"co\\xf6rdinator\\\\plan.pdf\"");
        let other = Path::new(OsStr::from_bytes(b"co\xf8rdinator\\plan.pdf"));
        assert_ne!(path_text(latin1), path_text(other));
    }
}
