//! Plain-text and Markdown documents: pages are separated by form feeds, as in the output
//! of `pdftotext` and `borging extract`, so extracted text can be fed back in.

use super::{Extraction, Format, Page};
use crate::status::Status;

pub(super) fn extract(bytes: &[u8], format: Format) -> Extraction {
    let text = decode(bytes);
    let pages: Vec<Page> = text
        .split('\u{c}')
        .enumerate()
        .map(|(i, page)| Page {
            number: i as u32 + 1,
            label: None,
            text: page.to_string(),
            ocr: false,
        })
        .collect();
    let status = if pages.iter().all(|p| p.text.trim().is_empty()) {
        Status::NoText
    } else {
        Status::Ok
    };
    Extraction {
        format: Some(format),
        status,
        message: String::new(),
        pages,
        sha256: String::new(),
    }
}

/// UTF-8 (with or without a byte-order mark) or, failing that, Windows-1252, which is
/// what older Dutch Windows tools write.
pub(super) fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.replace("\r\n", "\n"),
        Err(_) => bytes
            .iter()
            .map(|&b| windows_1252(b))
            .collect::<String>()
            .replace("\r\n", "\n"),
    }
}

pub(super) fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9f => HIGH[(b - 0x80) as usize],
        _ => b as char,
    }
}

/// Text has no NUL bytes and few control characters other than whitespace and form feed.
pub(super) fn looks_like_text(sample: &[u8]) -> bool {
    if sample.contains(&0) {
        return false;
    }
    let control = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    control * 100 <= sample.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_feed_separates_pages() {
        let got = extract("een\u{c}twee".as_bytes(), Format::Text);
        assert_eq!(got.pages.len(), 2);
        assert_eq!(got.pages[1].number, 2);
        assert_eq!(got.pages[1].text, "twee");
    }

    #[test]
    fn windows_1252_is_decoded_when_not_utf8() {
        let got = extract(b"co\xf6rdinator \x93eigenaar\x94", Format::Text);
        assert_eq!(got.pages[0].text, "coördinator “eigenaar”");
    }

    #[test]
    fn blank_text_file_has_no_text() {
        assert_eq!(extract(b" \n\n", Format::Text).status, Status::NoText);
    }
}
