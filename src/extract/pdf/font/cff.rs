//! The built-in encoding of a bare CFF font program (`/FontFile3` with `/Subtype
//! /Type1C`), read as code → glyph name.
//!
//! TeX symbol fonts (CMSY, CMMI) embedded as CFF carry their only code-to-glyph map in the
//! program: the PDF gives no `/Encoding`, and their codes are not Standard (CMSY puts
//! `braceleft` at 0x66, where Standard has `f`). The reader walks the header, the Name,
//! Top DICT and String INDEXes, then the Top DICT's `charset` (glyph id → name) and
//! `Encoding` (code → glyph id, with supplements naming codes directly). Every offset
//! and count is checked against the program's length, so a hostile program costs at
//! most one pass over its own bytes and an allocation bounded by it.

use super::encoding::Builtin;

/// Names of the CFF standard strings, by SID (Adobe Technical Note #5176, Appendix A).
static STANDARD_STRINGS: [&[u8]; 391] = [
    b".notdef",
    b"space",
    b"exclam",
    b"quotedbl",
    b"numbersign",
    b"dollar",
    b"percent",
    b"ampersand",
    b"quoteright",
    b"parenleft",
    b"parenright",
    b"asterisk",
    b"plus",
    b"comma",
    b"hyphen",
    b"period",
    b"slash",
    b"zero",
    b"one",
    b"two",
    b"three",
    b"four",
    b"five",
    b"six",
    b"seven",
    b"eight",
    b"nine",
    b"colon",
    b"semicolon",
    b"less",
    b"equal",
    b"greater",
    b"question",
    b"at",
    b"A",
    b"B",
    b"C",
    b"D",
    b"E",
    b"F",
    b"G",
    b"H",
    b"I",
    b"J",
    b"K",
    b"L",
    b"M",
    b"N",
    b"O",
    b"P",
    b"Q",
    b"R",
    b"S",
    b"T",
    b"U",
    b"V",
    b"W",
    b"X",
    b"Y",
    b"Z",
    b"bracketleft",
    b"backslash",
    b"bracketright",
    b"asciicircum",
    b"underscore",
    b"quoteleft",
    b"a",
    b"b",
    b"c",
    b"d",
    b"e",
    b"f",
    b"g",
    b"h",
    b"i",
    b"j",
    b"k",
    b"l",
    b"m",
    b"n",
    b"o",
    b"p",
    b"q",
    b"r",
    b"s",
    b"t",
    b"u",
    b"v",
    b"w",
    b"x",
    b"y",
    b"z",
    b"braceleft",
    b"bar",
    b"braceright",
    b"asciitilde",
    b"exclamdown",
    b"cent",
    b"sterling",
    b"fraction",
    b"yen",
    b"florin",
    b"section",
    b"currency",
    b"quotesingle",
    b"quotedblleft",
    b"guillemotleft",
    b"guilsinglleft",
    b"guilsinglright",
    b"fi",
    b"fl",
    b"endash",
    b"dagger",
    b"daggerdbl",
    b"periodcentered",
    b"paragraph",
    b"bullet",
    b"quotesinglbase",
    b"quotedblbase",
    b"quotedblright",
    b"guillemotright",
    b"ellipsis",
    b"perthousand",
    b"questiondown",
    b"grave",
    b"acute",
    b"circumflex",
    b"tilde",
    b"macron",
    b"breve",
    b"dotaccent",
    b"dieresis",
    b"ring",
    b"cedilla",
    b"hungarumlaut",
    b"ogonek",
    b"caron",
    b"emdash",
    b"AE",
    b"ordfeminine",
    b"Lslash",
    b"Oslash",
    b"OE",
    b"ordmasculine",
    b"ae",
    b"dotlessi",
    b"lslash",
    b"oslash",
    b"oe",
    b"germandbls",
    b"onesuperior",
    b"logicalnot",
    b"mu",
    b"trademark",
    b"Eth",
    b"onehalf",
    b"plusminus",
    b"Thorn",
    b"onequarter",
    b"divide",
    b"brokenbar",
    b"degree",
    b"thorn",
    b"threequarters",
    b"twosuperior",
    b"registered",
    b"minus",
    b"eth",
    b"multiply",
    b"threesuperior",
    b"copyright",
    b"Aacute",
    b"Acircumflex",
    b"Adieresis",
    b"Agrave",
    b"Aring",
    b"Atilde",
    b"Ccedilla",
    b"Eacute",
    b"Ecircumflex",
    b"Edieresis",
    b"Egrave",
    b"Iacute",
    b"Icircumflex",
    b"Idieresis",
    b"Igrave",
    b"Ntilde",
    b"Oacute",
    b"Ocircumflex",
    b"Odieresis",
    b"Ograve",
    b"Otilde",
    b"Scaron",
    b"Uacute",
    b"Ucircumflex",
    b"Udieresis",
    b"Ugrave",
    b"Yacute",
    b"Ydieresis",
    b"Zcaron",
    b"aacute",
    b"acircumflex",
    b"adieresis",
    b"agrave",
    b"aring",
    b"atilde",
    b"ccedilla",
    b"eacute",
    b"ecircumflex",
    b"edieresis",
    b"egrave",
    b"iacute",
    b"icircumflex",
    b"idieresis",
    b"igrave",
    b"ntilde",
    b"oacute",
    b"ocircumflex",
    b"odieresis",
    b"ograve",
    b"otilde",
    b"scaron",
    b"uacute",
    b"ucircumflex",
    b"udieresis",
    b"ugrave",
    b"yacute",
    b"ydieresis",
    b"zcaron",
    b"exclamsmall",
    b"Hungarumlautsmall",
    b"dollaroldstyle",
    b"dollarsuperior",
    b"ampersandsmall",
    b"Acutesmall",
    b"parenleftsuperior",
    b"parenrightsuperior",
    b"twodotenleader",
    b"onedotenleader",
    b"zerooldstyle",
    b"oneoldstyle",
    b"twooldstyle",
    b"threeoldstyle",
    b"fouroldstyle",
    b"fiveoldstyle",
    b"sixoldstyle",
    b"sevenoldstyle",
    b"eightoldstyle",
    b"nineoldstyle",
    b"commasuperior",
    b"threequartersemdash",
    b"periodsuperior",
    b"questionsmall",
    b"asuperior",
    b"bsuperior",
    b"centsuperior",
    b"dsuperior",
    b"esuperior",
    b"isuperior",
    b"lsuperior",
    b"msuperior",
    b"nsuperior",
    b"osuperior",
    b"rsuperior",
    b"ssuperior",
    b"tsuperior",
    b"ff",
    b"ffi",
    b"ffl",
    b"parenleftinferior",
    b"parenrightinferior",
    b"Circumflexsmall",
    b"hyphensuperior",
    b"Gravesmall",
    b"Asmall",
    b"Bsmall",
    b"Csmall",
    b"Dsmall",
    b"Esmall",
    b"Fsmall",
    b"Gsmall",
    b"Hsmall",
    b"Ismall",
    b"Jsmall",
    b"Ksmall",
    b"Lsmall",
    b"Msmall",
    b"Nsmall",
    b"Osmall",
    b"Psmall",
    b"Qsmall",
    b"Rsmall",
    b"Ssmall",
    b"Tsmall",
    b"Usmall",
    b"Vsmall",
    b"Wsmall",
    b"Xsmall",
    b"Ysmall",
    b"Zsmall",
    b"colonmonetary",
    b"onefitted",
    b"rupiah",
    b"Tildesmall",
    b"exclamdownsmall",
    b"centoldstyle",
    b"Lslashsmall",
    b"Scaronsmall",
    b"Zcaronsmall",
    b"Dieresissmall",
    b"Brevesmall",
    b"Caronsmall",
    b"Dotaccentsmall",
    b"Macronsmall",
    b"figuredash",
    b"hypheninferior",
    b"Ogoneksmall",
    b"Ringsmall",
    b"Cedillasmall",
    b"questiondownsmall",
    b"oneeighth",
    b"threeeighths",
    b"fiveeighths",
    b"seveneighths",
    b"onethird",
    b"twothirds",
    b"zerosuperior",
    b"foursuperior",
    b"fivesuperior",
    b"sixsuperior",
    b"sevensuperior",
    b"eightsuperior",
    b"ninesuperior",
    b"zeroinferior",
    b"oneinferior",
    b"twoinferior",
    b"threeinferior",
    b"fourinferior",
    b"fiveinferior",
    b"sixinferior",
    b"seveninferior",
    b"eightinferior",
    b"nineinferior",
    b"centinferior",
    b"dollarinferior",
    b"periodinferior",
    b"commainferior",
    b"Agravesmall",
    b"Aacutesmall",
    b"Acircumflexsmall",
    b"Atildesmall",
    b"Adieresissmall",
    b"Aringsmall",
    b"AEsmall",
    b"Ccedillasmall",
    b"Egravesmall",
    b"Eacutesmall",
    b"Ecircumflexsmall",
    b"Edieresissmall",
    b"Igravesmall",
    b"Iacutesmall",
    b"Icircumflexsmall",
    b"Idieresissmall",
    b"Ethsmall",
    b"Ntildesmall",
    b"Ogravesmall",
    b"Oacutesmall",
    b"Ocircumflexsmall",
    b"Otildesmall",
    b"Odieresissmall",
    b"OEsmall",
    b"Oslashsmall",
    b"Ugravesmall",
    b"Uacutesmall",
    b"Ucircumflexsmall",
    b"Udieresissmall",
    b"Yacutesmall",
    b"Thornsmall",
    b"Ydieresissmall",
    b"001.000",
    b"001.001",
    b"001.002",
    b"001.003",
    b"Black",
    b"Bold",
    b"Book",
    b"Light",
    b"Medium",
    b"Regular",
    b"Roman",
    b"Semibold",
];

/// Top DICT operators read here.
const OP_CHARSET: u16 = 15;
const OP_ENCODING: u16 = 16;
const OP_CHARSTRINGS: u16 = 17;
/// `ROS` (12 30): a CID-keyed font, whose charset holds CIDs and which has no encoding.
const OP_ROS: u16 = 0x0c00 | 30;

/// The built-in encoding of a CFF font program: [`Builtin::Standard`] when it names
/// StandardEncoding, its own names otherwise; `None` when the program cannot be read,
/// is CID-keyed, or names the Expert encoding (which carries no text worth guessing).
pub fn builtin(cff: &[u8]) -> Option<Builtin> {
    let header_size = usize::from(*cff.get(2)?);
    if *cff.first()? != 1 || header_size < 4 {
        return None;
    }
    let names = Index::read(cff, header_size)?;
    let top_dicts = Index::read(cff, names.end)?;
    let strings = Index::read(cff, top_dicts.end)?;
    let top = Dict::read(top_dicts.item(cff, 0)?)?;
    if top.ros {
        return None;
    }
    let encoding = top.encoding.unwrap_or(0);
    match encoding {
        0 => return Some(Builtin::Standard),
        1 => return None,
        _ => {}
    }
    let glyphs = Index::read(cff, top.charstrings?)?.count;
    let sids = charset(cff, top.charset.unwrap_or(0), glyphs)?;
    let name = |sid: u16| -> Option<Vec<u8>> {
        let sid = usize::from(sid);
        match STANDARD_STRINGS.get(sid) {
            Some(name) => Some(name.to_vec()),
            None => strings
                .item(cff, sid - STANDARD_STRINGS.len())
                .map(<[u8]>::to_vec),
        }
    };
    let mut codes: Vec<(u8, Vec<u8>)> = Vec::new();
    let mut add = |code: u8, sid: Option<u16>| {
        if let Some(name) = sid.and_then(name) {
            codes.push((code, name));
        }
    };
    let format = *cff.get(encoding)?;
    let mut at = encoding + 1;
    // Glyph 0 is .notdef and has no code; the encoding lists glyphs from 1 on.
    let mut glyph = 1usize;
    match format & 0x7f {
        0 => {
            let count = usize::from(*cff.get(at)?);
            let list = cff.get(at + 1..at + 1 + count)?;
            for &code in list {
                add(code, sids.get(glyph).copied());
                glyph += 1;
            }
            at += 1 + count;
        }
        1 => {
            let ranges = usize::from(*cff.get(at)?);
            let list = cff.get(at + 1..at + 1 + 2 * ranges)?;
            for range in list.chunks_exact(2) {
                for code in u16::from(range[0])..=u16::from(range[0]) + u16::from(range[1]) {
                    if let Ok(code) = u8::try_from(code) {
                        add(code, sids.get(glyph).copied());
                    }
                    glyph += 1;
                }
            }
            at += 1 + 2 * ranges;
        }
        _ => return None,
    }
    if format & 0x80 != 0 {
        let count = usize::from(*cff.get(at)?);
        let list = cff.get(at + 1..at + 1 + 3 * count)?;
        for sup in list.chunks_exact(3) {
            add(sup[0], Some(u16::from_be_bytes([sup[1], sup[2]])));
        }
    }
    Some(Builtin::Names(codes))
}

/// The SID of each glyph id, `.notdef` (SID 0) first; at most `glyphs` entries.
fn charset(cff: &[u8], offset: usize, glyphs: usize) -> Option<Vec<u16>> {
    // The predefined charsets (ISOAdobe, Expert, ExpertSubset): only ISOAdobe maps
    // glyph ids to SIDs one to one; the expert ones name no text we read.
    if offset <= 2 {
        return (offset == 0).then(|| (0..glyphs.min(229)).map(|g| g as u16).collect());
    }
    let format = *cff.get(offset)?;
    let mut at = offset + 1;
    // Each glyph takes at least one byte of the program, which bounds the allocation.
    let mut sids = Vec::with_capacity(glyphs.min(cff.len()));
    sids.push(0);
    while sids.len() < glyphs {
        match format {
            0 => {
                sids.push(be16(cff, at)?);
                at += 2;
            }
            1 | 2 => {
                let first = be16(cff, at)?;
                let left = if format == 1 {
                    u16::from(*cff.get(at + 2)?)
                } else {
                    be16(cff, at + 2)?
                };
                at += if format == 1 { 3 } else { 4 };
                for sid in u32::from(first)..=u32::from(first) + u32::from(left) {
                    if sids.len() >= glyphs {
                        break;
                    }
                    sids.push(u16::try_from(sid).ok()?);
                }
            }
            _ => return None,
        }
    }
    Some(sids)
}

fn be16(data: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(data.get(at..at + 2)?.try_into().ok()?))
}

/// A CFF INDEX: `count` items whose data lie at `data + offset[i] - 1`.
struct Index {
    start: usize,
    count: usize,
    offset_size: usize,
    /// Where the bytes after the INDEX begin.
    end: usize,
}

impl Index {
    fn read(cff: &[u8], start: usize) -> Option<Index> {
        let count = usize::from(be16(cff, start)?);
        if count == 0 {
            let end = start + 2;
            return Some(Index {
                start,
                count,
                offset_size: 1,
                end,
            });
        }
        let offset_size = usize::from(*cff.get(start + 2)?);
        if !(1..=4).contains(&offset_size) {
            return None;
        }
        let index = Index {
            start,
            count,
            offset_size,
            end: 0,
        };
        let last = index.offset(cff, count)?;
        let end = index.data_start().checked_add(last)?;
        (end <= cff.len()).then_some(Index { end, ..index })
    }

    /// The byte before the first item: offsets count from 1.
    fn data_start(&self) -> usize {
        self.start + 3 + (self.count + 1) * self.offset_size - 1
    }

    fn offset(&self, cff: &[u8], i: usize) -> Option<usize> {
        let at = self.start + 3 + i * self.offset_size;
        let bytes = cff.get(at..at + self.offset_size)?;
        Some(bytes.iter().fold(0usize, |n, &b| n << 8 | usize::from(b)))
    }

    fn item<'c>(&self, cff: &'c [u8], i: usize) -> Option<&'c [u8]> {
        if i >= self.count {
            return None;
        }
        let (from, to) = (self.offset(cff, i)?, self.offset(cff, i + 1)?);
        if from == 0 || from > to {
            return None;
        }
        cff.get(self.data_start() + from..self.data_start() + to)
    }
}

/// The Top DICT entries read here.
#[derive(Default)]
struct Dict {
    charset: Option<usize>,
    encoding: Option<usize>,
    charstrings: Option<usize>,
    ros: bool,
}

impl Dict {
    fn read(data: &[u8]) -> Option<Dict> {
        let mut dict = Dict::default();
        // Only the last operand before an operator matters for the offsets read here.
        let mut last: Option<i64> = None;
        let mut at = 0;
        while let Some(&b0) = data.get(at) {
            at += 1;
            match b0 {
                0..=21 => {
                    let op = if b0 == 12 {
                        let b1 = *data.get(at)?;
                        at += 1;
                        0x0c00 | u16::from(b1)
                    } else {
                        u16::from(b0)
                    };
                    let offset = last.and_then(|n| usize::try_from(n).ok());
                    match op {
                        OP_CHARSET => dict.charset = offset,
                        OP_ENCODING => dict.encoding = offset,
                        OP_CHARSTRINGS => dict.charstrings = offset,
                        OP_ROS => dict.ros = true,
                        _ => {}
                    }
                    last = None;
                }
                28 => {
                    last = Some(i64::from(i16::from_be_bytes(
                        data.get(at..at + 2)?.try_into().ok()?,
                    )));
                    at += 2;
                }
                29 => {
                    last = Some(i64::from(i32::from_be_bytes(
                        data.get(at..at + 4)?.try_into().ok()?,
                    )));
                    at += 4;
                }
                30 => {
                    // A real number: nibbles up to the 0xf terminator; never an offset.
                    while data
                        .get(at)
                        .is_some_and(|b| b & 0x0f != 0x0f && b >> 4 != 0x0f)
                    {
                        at += 1;
                    }
                    at += 1;
                    last = None;
                }
                32..=246 => last = Some(i64::from(b0) - 139),
                247..=250 => {
                    let b1 = *data.get(at)?;
                    at += 1;
                    last = Some((i64::from(b0) - 247) * 256 + i64::from(b1) + 108);
                }
                251..=254 => {
                    let b1 = *data.get(at)?;
                    at += 1;
                    last = Some(-(i64::from(b0) - 251) * 256 - i64::from(b1) - 108);
                }
                _ => return None,
            }
        }
        Some(dict)
    }
}

/// An INDEX of `items`, with one-byte offsets.
#[cfg(test)]
fn test_index(items: &[&[u8]]) -> Vec<u8> {
    let mut out = (items.len() as u16).to_be_bytes().to_vec();
    if items.is_empty() {
        return out;
    }
    out.push(1);
    let mut offset = 1u8;
    out.push(offset);
    for item in items {
        offset += item.len() as u8;
        out.push(offset);
    }
    items.iter().for_each(|item| out.extend_from_slice(item));
    out
}

/// A 5-byte integer operand followed by `op`, so offsets do not change its length.
#[cfg(test)]
fn test_entry(value: usize, op: u8) -> Vec<u8> {
    let mut out = vec![29];
    out.extend_from_slice(&(value as i32).to_be_bytes());
    out.push(op);
    out
}

/// A CFF program, for tests here and in the font tests: its glyphs are named by `charset`
/// (format 0: one SID per glyph after .notdef), its codes by the encoding table
/// `encoding` (or the predefined Standard when `None`), and `strings` are its own
/// strings (SID 391 on).
#[cfg(test)]
pub fn test_program(charset: &[u16], encoding: Option<&[u8]>, strings: &[&[u8]]) -> Vec<u8> {
    let mut head = vec![1, 0, 4, 1];
    head.extend(test_index(&[b"T"]));
    let strings = test_index(strings);
    // The Top DICT holds three 6-byte entries; its INDEX adds 5 bytes.
    let after = head.len() + 5 + 18 + strings.len();
    let mut tail = vec![0u8];
    charset
        .iter()
        .for_each(|sid| tail.extend_from_slice(&sid.to_be_bytes()));
    let encoding_at = after + tail.len();
    tail.extend_from_slice(encoding.unwrap_or(&[]));
    let charstrings_at = after + tail.len();
    let glyph: &[u8] = &[14]; // endchar
    tail.extend(test_index(&vec![glyph; charset.len() + 1]));
    let mut top = test_entry(after, 15);
    top.extend(test_entry(
        if encoding.is_some() { encoding_at } else { 0 },
        16,
    ));
    top.extend(test_entry(charstrings_at, 17));
    let mut out = head;
    out.extend(test_index(&[&top]));
    out.extend(strings);
    out.extend(tail);
    out
}
#[cfg(test)]
mod tests {

    use super::*;

    fn names(builtin: Option<Builtin>) -> Vec<(u8, String)> {
        match builtin {
            Some(Builtin::Names(names)) => names
                .into_iter()
                .map(|(code, name)| (code, String::from_utf8(name).unwrap()))
                .collect(),
            _ => panic!("no names read"),
        }
    }

    #[test]
    fn standard_strings_are_the_391_of_the_specification() {
        assert_eq!(STANDARD_STRINGS.len(), 391);
        assert_eq!(STANDARD_STRINGS[92], b"braceleft");
        assert_eq!(STANDARD_STRINGS[390], b"Semibold");
    }

    #[test]
    fn encoding_format_0_maps_codes_through_the_charset_to_names() {
        // Glyphs 1 and 2 are braceleft (SID 92) and braceright (SID 94), at 0x66 and 0x67
        // as in CMSY.
        let program = test_program(&[92, 94], Some(&[0, 2, 0x66, 0x67]), &[]);
        let read = names(builtin(&program));
        assert_eq!(
            read,
            [
                (0x66, "braceleft".to_string()),
                (0x67, "braceright".to_string())
            ]
        );
    }

    #[test]
    fn encoding_format_1_ranges_and_supplements_name_codes() {
        // One range of two codes from 0x41, then a supplement that gives code 0x30 the
        // font's own string (SID 391).
        let program = test_program(
            &[34, 35],
            Some(&[0x81, 1, 0x41, 1, 1, 0x30, 1, 135]),
            &[b"zed"],
        );
        let read = names(builtin(&program));
        assert_eq!(
            read,
            [
                (0x41, "A".to_string()),
                (0x42, "B".to_string()),
                (0x30, "zed".to_string())
            ]
        );
    }

    #[test]
    fn predefined_standard_encoding_is_reported_as_standard() {
        let program = test_program(&[34], None, &[]);
        assert!(matches!(builtin(&program), Some(Builtin::Standard)));
    }

    #[test]
    fn every_truncation_and_corruption_is_read_without_panic() {
        let program = test_program(
            &[92, 94],
            Some(&[0x80, 2, 0x66, 0x67, 1, 0x30, 0xff, 0xff]),
            &[],
        );
        for end in 0..program.len() {
            let _ = builtin(&program[..end]);
        }
        for at in 0..program.len() {
            for value in [0x00, 0x0c, 0x1d, 0x1e, 0x80, 0xff] {
                let mut bad = program.clone();
                bad[at] = value;
                let _ = builtin(&bad);
            }
        }
    }
}
