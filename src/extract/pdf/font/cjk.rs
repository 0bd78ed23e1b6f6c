//! Chinese, Japanese and Korean text from CID fonts that carry no `/ToUnicode` map: the
//! predefined CMaps a PDF may name as a Type0 font's `/Encoding` (Shift-JIS `90ms-RKSJ-H`,
//! `EUC-H`, `GBK-EUC-H`, Big Five `ETen-B5-H`, `KSCms-UHC-H` and the rest of PDF 32000-1
//! Table 118 whose codes are not Unicode: byte string → code → CID), and the CID → Unicode
//! tables of the four Adobe character collections (Japan1, GB1, CNS1, Korea1) those CIDs
//! belong to. Without them a Japanese letter in a non-embedded font is a number and the
//! page reads as empty.
//!
//! The data is `cjk.bin` (103,468 bytes: 41 CMaps, parents included, and the 4 collections,
//! as ranges and deltas, deflated; 212,269 bytes inflated), made by
//! `scripts/make-cjk-data.py` from Adobe's CMap resources (the CMaps themselves and the
//! `Adobe-*-UCS2` maps for CID → Unicode; BSD-3-Clause, see `cjk-data-LICENSE`). It is
//! inflated once, on the first font that needs it ([`OnceLock`]), so Dutch documents never
//! pay for it.
//!
//! The `Uni…-UCS2`/`Uni…-UTF16` CMaps are not carried: their codes are the text already,
//! and their CIDs (which only the widths need) are the collection's table read backwards.

use super::cmap::{CMap, CodeRange};
use std::collections::HashMap;
use std::io::Read;
use std::sync::{Arc, OnceLock};

static DATA: &[u8] = include_bytes!("cjk.bin");

/// An Adobe character collection (the `/Ordering` of `/CIDSystemInfo`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Collection {
    Japan1,
    Gb1,
    Cns1,
    Korea1,
}

const COLLECTIONS: [Collection; 4] = [
    Collection::Japan1,
    Collection::Gb1,
    Collection::Cns1,
    Collection::Korea1,
];

impl Collection {
    /// The collection an `/Ordering` string names (`Japan1`, `GB1`, ...).
    pub fn from_ordering(ordering: &[u8]) -> Option<Collection> {
        match ordering {
            b"Japan1" => Some(Collection::Japan1),
            b"GB1" => Some(Collection::Gb1),
            b"CNS1" => Some(Collection::Cns1),
            b"Korea1" => Some(Collection::Korea1),
            _ => None,
        }
    }

    /// The collection of a Unicode CMap name (`UniJIS-UCS2-H` → Japan1), or of the
    /// `Adobe-Japan1-UCS2` style names a ToUnicode map may `usecmap`.
    pub fn from_cmap_name(name: &[u8]) -> Option<Collection> {
        if let Some(rest) = name.strip_prefix(b"Adobe-") {
            let end = rest.iter().position(|&b| b == b'-').unwrap_or(rest.len());
            return Collection::from_ordering(&rest[..end]);
        }
        let rest = name.strip_prefix(b"Uni")?;
        [
            (&b"JIS"[..], Collection::Japan1),
            (b"GB", Collection::Gb1),
            (b"CNS", Collection::Cns1),
            (b"KS", Collection::Korea1),
        ]
        .into_iter()
        .find(|(prefix, _)| rest.starts_with(prefix))
        .map(|(_, c)| c)
    }

    fn index(self) -> usize {
        self as usize
    }

    /// The Unicode character of `cid` in this collection, if it has one.
    pub fn char(self, cid: u32) -> Option<char> {
        let table = &data().collections[self.index()];
        table.get(cid as usize).copied().filter(|&c| c != '\0')
    }

    /// The CID of `c` in this collection, close to what the `Uni…` CMaps give: a
    /// character has several CIDs (full- and half-width, proportional, vertical forms),
    /// and those CMaps pick the one the collection's main legacy encoding reaches, so
    /// that encoding's CIDs come first and the lowest CID fills in the rest.
    pub fn cid(self, c: char) -> Option<u32> {
        static BACKWARDS: [OnceLock<HashMap<char, u32>>; 4] = [const { OnceLock::new() }; 4];
        BACKWARDS[self.index()]
            .get_or_init(|| {
                let main: &[u8] = match self {
                    Collection::Japan1 => b"90ms-RKSJ-H",
                    Collection::Gb1 => b"GBK-EUC-H",
                    Collection::Cns1 => b"ETen-B5-H",
                    Collection::Korea1 => b"KSCms-UHC-H",
                };
                let main = predefined(main).map(|(map, _)| map);
                let count = data().collections[self.index()].len() as u32;
                let mut map = HashMap::new();
                let listed = main.iter().flat_map(|m| m.listed_cids());
                for cid in listed.chain(0..count) {
                    if let Some(c) = self.char(cid) {
                        map.entry(c).or_insert(cid);
                    }
                }
                map
            })
            .get(&c)
            .copied()
    }
}

/// A predefined CMap by name, with the CMaps it builds on (`usecmap`) as parents, and the
/// collection its CIDs belong to.
pub fn predefined(name: &[u8]) -> Option<(Arc<CMap>, Collection)> {
    let data = data();
    let at = data.names.iter().position(|n| n.as_bytes() == name)?;
    Some((data.cmaps[at].clone(), data.cmap_collections[at]))
}

struct Data {
    collections: Vec<Vec<char>>,
    names: Vec<String>,
    cmaps: Vec<Arc<CMap>>,
    cmap_collections: Vec<Collection>,
}

fn data() -> &'static Data {
    static DECODED: OnceLock<Data> = OnceLock::new();
    DECODED.get_or_init(|| decode(DATA).expect("cjk.bin is well-formed (tested)"))
}

struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn varint(&mut self) -> Option<u32> {
        let mut value = 0u64;
        for shift in (0..35).step_by(7) {
            let b = *self.bytes.get(self.pos)?;
            self.pos += 1;
            value |= u64::from(b & 0x7F) << shift;
            if b & 0x80 == 0 {
                return u32::try_from(value).ok();
            }
        }
        None
    }

    fn signed(&mut self) -> Option<i64> {
        let z = i64::from(self.varint()?);
        Some((z >> 1) ^ -(z & 1))
    }

    fn name(&mut self) -> Option<String> {
        let len = self.varint()? as usize;
        let bytes = self.bytes.get(self.pos..self.pos + len)?;
        self.pos += len;
        String::from_utf8(bytes.to_vec()).ok()
    }
}

fn decode(packed: &[u8]) -> Option<Data> {
    let mut raw = Vec::new();
    flate2::read::ZlibDecoder::new(packed)
        .read_to_end(&mut raw)
        .ok()?;
    let mut c = Cursor {
        bytes: &raw,
        pos: 0,
    };
    if raw.get(..4)? != b"BCJK" {
        return None;
    }
    c.pos = 4;
    if c.varint()? != 1 || c.varint()? as usize != COLLECTIONS.len() {
        return None;
    }
    let mut collections = Vec::with_capacity(COLLECTIONS.len());
    for _ in COLLECTIONS {
        c.name()?;
        let count = c.varint()? as usize;
        let mut table = Vec::with_capacity(count);
        let mut previous = 0i64;
        for _ in 0..count {
            let token = c.varint()?;
            if token == 0 {
                table.push('\0');
                continue;
            }
            let z = i64::from(token - 1);
            previous = previous + 1 + ((z >> 1) ^ -(z & 1));
            table.push(char::from_u32(u32::try_from(previous).ok()?).unwrap_or('\0'));
        }
        collections.push(table);
    }
    let count = c.varint()? as usize;
    let (mut names, mut cmaps, mut cmap_collections) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..count {
        names.push(c.name()?);
        let collection = *COLLECTIONS.get(c.varint()? as usize)?;
        let wmode = u8::try_from(c.varint()?).ok()?;
        let parent = match c.varint()? {
            0 => None,
            n => Some(cmaps.get(n as usize - 1).cloned()?),
        };
        let mut codespace = Vec::new();
        for _ in 0..c.varint()? {
            let len = u8::try_from(c.varint()?).ok()?;
            codespace.push(CodeRange::new(len, c.varint()?, c.varint()?));
        }
        let mut ranges = Vec::new();
        let (mut previous_hi, mut previous_cid) = (0u32, 0i64);
        for _ in 0..c.varint()? {
            let lo = previous_hi.checked_add(c.varint()?)?;
            let hi = lo.checked_add(c.varint()?)?;
            let cid = previous_cid + c.signed()?;
            let cid = u32::try_from(cid).ok()?;
            ranges.push((lo, hi, cid));
            previous_hi = hi;
            previous_cid = i64::from(cid) + i64::from(hi - lo);
        }
        cmaps.push(Arc::new(CMap::predefined(codespace, wmode, ranges, parent)));
        cmap_collections.push(collection);
    }
    Some(Data {
        collections,
        names,
        cmaps,
        cmap_collections,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_decodes_with_every_listed_cmap_and_collection() {
        let data = decode(DATA).expect("decodes");
        assert_eq!(data.collections.len(), 4);
        for name in [
            "90ms-RKSJ-H",
            "90ms-RKSJ-V",
            "EUC-H",
            "GBK-EUC-H",
            "GBKp-EUC-H",
        ] {
            assert!(predefined(name.as_bytes()).is_some(), "{name}");
        }
        assert!(predefined(b"UniJIS-UCS2-H").is_none());
    }

    #[test]
    fn shift_jis_and_euc_codes_reach_the_same_japan1_cid_and_letter() {
        // あ is 0x82A0 in Shift-JIS and 0xA4A2 in EUC-JP: both CID 843, U+3042.
        let (sjis, collection) = predefined(b"90ms-RKSJ-H").unwrap();
        let (euc, _) = predefined(b"EUC-H").unwrap();
        assert_eq!(collection, Collection::Japan1);
        assert_eq!(sjis.cid(0x82A0), Some(843));
        assert_eq!(euc.cid(0xA4A2), Some(843));
        assert_eq!(Collection::Japan1.char(843), Some('あ'));
        assert_eq!(Collection::Japan1.cid('あ'), Some(843));
    }

    #[test]
    fn gbk_codes_reach_the_gb1_letters() {
        // 中文 is D6D0 CEC4 in GBK.
        let (gbk, collection) = predefined(b"GBK-EUC-H").unwrap();
        let text: String = [0xD6D0, 0xCEC4]
            .iter()
            .filter_map(|&code| collection.char(gbk.cid(code)?))
            .collect();
        assert_eq!(text, "中文");
    }

    #[test]
    fn a_vertical_cmap_builds_on_its_horizontal_parent() {
        let (v, _) = predefined(b"90ms-RKSJ-V").unwrap();
        assert_eq!(v.wmode, 1);
        // Kanji are not overridden for vertical writing: the parent answers.
        assert_eq!(
            v.cid(0x93FA),
            predefined(b"90ms-RKSJ-H").unwrap().0.cid(0x93FA)
        );
        assert!(!v.codespace.is_empty());
    }

    #[test]
    fn collections_are_named_by_ordering_and_by_unicode_cmap() {
        assert_eq!(Collection::from_ordering(b"GB1"), Some(Collection::Gb1));
        assert_eq!(
            Collection::from_cmap_name(b"UniCNS-UTF16-H"),
            Some(Collection::Cns1)
        );
        assert_eq!(
            Collection::from_cmap_name(b"Adobe-Korea1-UCS2"),
            Some(Collection::Korea1)
        );
        assert_eq!(
            Collection::from_cmap_name(b"UniJIS2004-UTF16-H"),
            Some(Collection::Japan1)
        );
        assert_eq!(Collection::from_cmap_name(b"Identity-H"), None);
        assert_eq!(Collection::from_ordering(b"Identity"), None);
    }
}
