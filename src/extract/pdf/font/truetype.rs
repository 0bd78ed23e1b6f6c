//! The `cmap` table of an embedded TrueType font, read backwards (glyph id → Unicode).
//!
//! A CID TrueType font with Identity-H and no `/ToUnicode` carries its only clue to the
//! text in its own character map: poppler and mutool invert it, and so do we, so such
//! files (common from PHP invoice generators) give text instead of unmapped glyphs. The
//! reader takes only the Unicode subtables (formats 4 and 12), checks every offset, and
//! caps the number of characters it walks.

use std::collections::HashMap;

/// Most characters read from one cmap subtable.
const MAX_CHARS: u32 = 1 << 17;

/// Glyph id → the lowest Unicode character that maps to it, or `None` when the font has
/// no readable Unicode cmap.
pub fn glyph_unicode(font: &[u8]) -> Option<HashMap<u16, char>> {
    let tables = usize::from(be16(font, 4)?);
    let cmap = (0..tables.min(256)).find_map(|i| {
        let record = 12 + 16 * i;
        (font.get(record..record + 4)? == b"cmap").then(|| be32(font, record + 8))?
    })? as usize;
    let subtables = usize::from(be16(font, cmap + 2)?);
    // Prefer the full-repertoire Windows table, then Windows BMP, then Unicode platform.
    let mut best: Option<(u8, usize)> = None;
    for i in 0..subtables.min(64) {
        let record = cmap + 4 + 8 * i;
        let (platform, encoding) = (be16(font, record)?, be16(font, record + 2)?);
        let rank = match (platform, encoding) {
            (3, 10) => 0,
            (3, 1) => 1,
            (0, _) => 2,
            _ => continue,
        };
        let offset = cmap + be32(font, record + 4)? as usize;
        if best.is_none_or(|(r, _)| rank < r) {
            best = Some((rank, offset));
        }
    }
    let (_, table) = best?;
    let mut map = HashMap::new();
    match be16(font, table)? {
        4 => format4(font, table, &mut map)?,
        12 => format12(font, table, &mut map)?,
        _ => return None,
    }
    (!map.is_empty()).then_some(map)
}

fn format4(font: &[u8], table: usize, map: &mut HashMap<u16, char>) -> Option<()> {
    let segments = usize::from(be16(font, table + 6)? / 2);
    let ends = table + 14;
    let starts = ends + 2 * segments + 2;
    let deltas = starts + 2 * segments;
    let range_offsets = deltas + 2 * segments;
    let mut walked = 0u32;
    for s in 0..segments {
        let end = be16(font, ends + 2 * s)?;
        let start = be16(font, starts + 2 * s)?;
        let delta = be16(font, deltas + 2 * s)?;
        let range_at = range_offsets + 2 * s;
        let range_offset = usize::from(be16(font, range_at)?);
        if start > end {
            continue;
        }
        for c in start..=end {
            walked += 1;
            if c == 0xFFFF || walked > MAX_CHARS {
                break;
            }
            let gid = if range_offset == 0 {
                c.wrapping_add(delta)
            } else {
                let at = range_at + range_offset + 2 * usize::from(c - start);
                match be16(font, at) {
                    Some(0) | None => continue,
                    Some(g) => g.wrapping_add(delta),
                }
            };
            insert(map, gid, u32::from(c));
        }
    }
    Some(())
}

fn format12(font: &[u8], table: usize, map: &mut HashMap<u16, char>) -> Option<()> {
    let groups = be32(font, table + 12)? as usize;
    let mut walked = 0u32;
    for g in 0..groups {
        let at = table + 16 + 12 * g;
        let (first, last, glyph) = (be32(font, at)?, be32(font, at + 4)?, be32(font, at + 8)?);
        if first > last {
            continue;
        }
        for c in first..=last {
            walked += 1;
            if walked > MAX_CHARS {
                return Some(());
            }
            if let Ok(gid) = u16::try_from(glyph.saturating_add(c - first)) {
                insert(map, gid, c);
            }
        }
    }
    Some(())
}

fn insert(map: &mut HashMap<u16, char>, gid: u16, c: u32) {
    if gid == 0 {
        return;
    }
    if let Some(c) = char::from_u32(c) {
        map.entry(gid)
            .and_modify(|old| *old = (*old).min(c))
            .or_insert(c);
    }
}

fn be16(data: &[u8], at: usize) -> Option<u16> {
    let bytes = data.get(at..at.checked_add(2)?)?;
    Some(u16::from_be_bytes([bytes[0], bytes[1]]))
}

fn be32(data: &[u8], at: usize) -> Option<u32> {
    let bytes = data.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
}

/// A minimal TrueType file holding only a format 4 cmap, for tests here and in the
/// font tests: each `(char, gid)` becomes a one-character segment.
#[cfg(test)]
pub fn test_font(pairs: &[(u16, u16)]) -> Vec<u8> {
    let mut pairs = pairs.to_vec();
    pairs.sort();
    pairs.push((0xFFFF, 0));
    let segments = pairs.len() as u16;
    let mut sub = Vec::new();
    let push = |v: &mut Vec<u8>, x: u16| v.extend_from_slice(&x.to_be_bytes());
    push(&mut sub, 4);
    push(&mut sub, 0); // length, filled below
    push(&mut sub, 0);
    push(&mut sub, segments * 2);
    for _ in 0..3 {
        push(&mut sub, 0); // search hints, unused by readers
    }
    pairs.iter().for_each(|&(c, _)| push(&mut sub, c));
    push(&mut sub, 0);
    pairs.iter().for_each(|&(c, _)| push(&mut sub, c));
    pairs
        .iter()
        .for_each(|&(c, g)| push(&mut sub, g.wrapping_sub(c)));
    pairs.iter().for_each(|_| push(&mut sub, 0));
    let len = sub.len() as u16;
    sub[2..4].copy_from_slice(&len.to_be_bytes());

    let mut font = Vec::new();
    font.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    push(&mut font, 1);
    font.extend_from_slice(&[0; 6]);
    font.extend_from_slice(b"cmap");
    font.extend_from_slice(&0u32.to_be_bytes());
    font.extend_from_slice(&28u32.to_be_bytes());
    font.extend_from_slice(&(12 + sub.len() as u32).to_be_bytes());
    // cmap header: version 0, one subtable (3,1) at offset 12.
    push(&mut font, 0);
    push(&mut font, 1);
    push(&mut font, 3);
    push(&mut font, 1);
    font.extend_from_slice(&12u32.to_be_bytes());
    font.extend_from_slice(&sub);
    font
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format4_cmap_is_inverted() {
        let font = test_font(&[(0x41, 3), (0xEB, 4), (0x61, 5)]);
        let map = glyph_unicode(&font).unwrap();
        assert_eq!(map.get(&3), Some(&'A'));
        assert_eq!(map.get(&4), Some(&'ë'));
        assert_eq!(map.get(&5), Some(&'a'));
        assert_eq!(map.get(&6), None);
    }

    #[test]
    fn truncated_or_garbage_fonts_give_none() {
        let font = test_font(&[(0x41, 3)]);
        for cut in [0, 5, 20, 40, font.len() - 3] {
            let _ = glyph_unicode(&font[..cut]);
        }
        assert_eq!(glyph_unicode(b"not a font at all"), None);
        assert_eq!(glyph_unicode(&[]), None);
    }
}
