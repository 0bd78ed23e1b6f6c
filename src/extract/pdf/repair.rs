//! Streams whose `/Length` is missing or wrong, found the way other readers find them: by
//! the `endstream` keyword after the data.
//!
//! lopdf trusts `/Length`. Without one it keeps the stream with no data, and with a wrong
//! one it finds the end only when `endstream` starts its own line; otherwise the object is
//! lost. Either way the page reads as empty, silently. Test suites of other readers carry
//! both kinds (a stream dictionary `<< >>`, a length 46 bytes too long with `endstream`
//! after the last operator on the same line), and hand-edited or damaged downloads do too.
//!
//! Two repairs, both reported in the document's note:
//! - [`fill_streams`]: a stream lopdf kept without data gets the bytes up to `endstream`;
//! - [`fix_lengths`]: a copy of the file with a correct `/Length` appended to every stream
//!   dictionary whose own does not end at `endstream`, to be loaded again with the
//!   cross-reference table rebuilt (the inserted bytes move every offset after them).

use lopdf::{Document, Object};
use memchr::memmem;

const ENDSTREAM: &[u8] = b"endstream";

/// Gives each stream that lopdf loaded without data (no usable `/Length`) the bytes from
/// its start to the next `endstream`, decrypted when the document is. Returns how many
/// streams were filled.
pub fn fill_streams(doc: &mut Document, bytes: &[u8]) -> usize {
    let state = doc.encryption_state.clone();
    let mut filled = 0;
    for (id, object) in doc.objects.iter_mut() {
        let Object::Stream(stream) = object else {
            continue;
        };
        let Some(start) = stream.start_position else {
            continue;
        };
        if !stream.content.is_empty() || start >= bytes.len() {
            continue;
        }
        let Some(data) = data_until_endstream(&bytes[start..]) else {
            continue;
        };
        if data.is_empty() {
            continue;
        }
        stream.set_content(data.to_vec());
        if let Some(state) = &state
            && lopdf::encryption::decrypt_object(state, *id, object).is_err()
        {
            continue;
        }
        filled += 1;
    }
    filled
}

/// The stream data at the start of `rest`: everything before the next `endstream`, less
/// the one end-of-line marker before it. `None` when no `endstream` follows.
fn data_until_endstream(rest: &[u8]) -> Option<&[u8]> {
    let end = memmem::find(rest, ENDSTREAM)?;
    let data = &rest[..end];
    let data = data
        .strip_suffix(b"\r\n")
        .or_else(|| data.strip_suffix(b"\n"))
        .or_else(|| data.strip_suffix(b"\r"))
        .unwrap_or(data);
    Some(data)
}

/// A copy of `bytes` in which every stream whose `/Length` is missing, or does not end at
/// `endstream`, has the right length appended to its dictionary (a later key wins).
/// An indirect `/Length` is looked up in `doc`. `None` when every stream is right.
pub fn fix_lengths(bytes: &[u8], doc: &Document) -> Option<(Vec<u8>, usize)> {
    let mut out: Vec<u8> = Vec::new();
    let mut copied = 0;
    let mut fixed = 0;
    let finder = memmem::Finder::new(b"stream");
    let mut from = 0;
    while let Some(found) = finder.find(&bytes[from..]) {
        let at = from + found;
        from = at + 6;
        if bytes[..at].ends_with(b"end") {
            continue;
        }
        let data_start = match &bytes[from..] {
            [b'\r', b'\n', ..] => from + 2,
            [b'\n' | b'\r', ..] => from + 1,
            _ => continue,
        };
        // The dictionary ends right before the keyword.
        let head = bytes[..at].trim_ascii_end();
        if !head.ends_with(b">>") {
            continue;
        }
        let close = head.len() - 2;
        let Some(data) = data_until_endstream(&bytes[data_start..]) else {
            break;
        };
        let dict_start = object_start(&bytes[..close]);
        let declared = declared_length(&bytes[dict_start..close], doc);
        if declared == Some(data.len())
            || declared.is_some_and(|n| ends_at_endstream(bytes, data_start, n))
        {
            continue;
        }
        out.extend_from_slice(&bytes[copied..close]);
        out.extend_from_slice(format!(" /Length {} ", data.len()).as_bytes());
        copied = close;
        fixed += 1;
        from = data_start + data.len();
    }
    if fixed == 0 {
        return None;
    }
    out.extend_from_slice(&bytes[copied..]);
    Some((out, fixed))
}

/// Where the object holding the dictionary that ends at `before` starts: just after the
/// last `obj` keyword, or at most 64 KiB back.
fn object_start(before: &[u8]) -> usize {
    let floor = before.len().saturating_sub(64 << 10);
    memmem::rfind(&before[floor..], b"obj").map_or(floor, |i| floor + i + 3)
}

/// True when `length` bytes of data from `start` are followed by an optional end of line
/// and `endstream`.
fn ends_at_endstream(bytes: &[u8], start: usize, length: usize) -> bool {
    let Some(rest) = start.checked_add(length).and_then(|end| bytes.get(end..)) else {
        return false;
    };
    let rest = rest
        .strip_prefix(b"\r\n")
        .or_else(|| rest.strip_prefix(b"\n"))
        .or_else(|| rest.strip_prefix(b"\r"))
        .unwrap_or(rest);
    rest.starts_with(ENDSTREAM)
}

/// The `/Length` of a stream dictionary given as text: a number, or `N G R` resolved in
/// `doc`. `/Length1` and the like (font programs) are other keys.
fn declared_length(dict: &[u8], doc: &Document) -> Option<usize> {
    let mut value = None;
    let mut from = 0;
    while let Some(i) = memmem::find(&dict[from..], b"/Length") {
        let after = from + i + 7;
        from = after;
        if dict.get(after).is_some_and(|b| b.is_ascii_alphanumeric()) {
            continue;
        }
        let mut numbers = dict[after..]
            .split(|b| b.is_ascii_whitespace())
            .filter(|t| !t.is_empty())
            .take(3);
        let first = numbers.next().and_then(number);
        let second = numbers.next();
        let third = numbers.next();
        value = match (first, second.and_then(number), third) {
            (Some(n), Some(g), Some(r)) if r.starts_with(b"R") => doc
                .get_object((n as u32, g as u16))
                .ok()
                .and_then(|o| o.as_i64().ok())
                .and_then(|v| usize::try_from(v).ok()),
            (Some(n), _, _) => Some(n),
            _ => None,
        };
    }
    value
}

/// A non-negative integer token, stopping at the first delimiter (`/Length 42>>`).
fn number(token: &[u8]) -> Option<usize> {
    let digits = token.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 || digits > 12 {
        return None;
    }
    std::str::from_utf8(&token[..digits]).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_ends_before_the_end_of_line_before_endstream() {
        assert_eq!(
            data_until_endstream(b"BT ET\r\nendstream"),
            Some(&b"BT ET"[..])
        );
        assert_eq!(
            data_until_endstream(b"BT ET endstream"),
            Some(&b"BT ET "[..])
        );
        assert_eq!(data_until_endstream(b"BT ET"), None);
    }

    #[test]
    fn a_right_length_is_left_alone_and_a_wrong_one_is_appended() {
        let doc = Document::new();
        let right = b"4 0 obj << /Length 5 >>\nstream\nBT ET\nendstream endobj";
        assert!(fix_lengths(right, &doc).is_none());
        let wrong = b"4 0 obj << /Length 50 >>\nstream\nBT ET endstream endobj";
        let (fixed, n) = fix_lengths(wrong, &doc).expect("a fix");
        assert_eq!(n, 1);
        assert_eq!(
            String::from_utf8_lossy(&fixed),
            "4 0 obj << /Length 50  /Length 6 >>\nstream\nBT ET endstream endobj"
        );
    }

    #[test]
    fn font_program_lengths_are_not_the_stream_length() {
        let doc = Document::new();
        let bytes = b"4 0 obj << /Length1 5 >>\nstream\nBT ET\nendstream endobj";
        let (fixed, _) = fix_lengths(bytes, &doc).expect("a fix");
        assert!(String::from_utf8_lossy(&fixed).contains("/Length 5 >>"));
    }
}
