//! The font layer: turns the bytes of a text-showing operator into glyphs with their
//! Unicode text and advance width. Fonts are loaded once per document and cached.
//!
//! Text comes from, in this order: the font's `/ToUnicode` CMap; its `/Encoding` (a base
//! table plus `/Differences` read through glyph names); the encoding built into the font
//! (StandardEncoding for Latin Type1, Symbol for the Symbol font, WinAnsi as the best
//! guess for TrueType; for a CID TrueType font the embedded program's own cmap, read
//! backwards); and otherwise nothing: an unmapped glyph has `text: None`, so the
//! page can count it instead of printing noise. Ligature code points (U+FB00–FB06) come
//! out as their letters ("fi"), because the text is read and matched, not typeset.
//!
//! Widths come from `/Widths` (simple fonts), `/W` and `/DW` (CID fonts), the metrics of
//! the standard-14 fonts when a font names one without widths, and `/FontMatrix` for
//! Type3 fonts, whose widths are in their own glyph space.
//!
//! Everything read from the file is bounded: CMap and font streams are decoded with a
//! size limit and a per-document budget, CMaps cap their entries, parsed CMaps are shared
//! between the fonts that use them, and no walk recurses.

mod cff;
mod cjk;
mod cmap;
mod encoding;
mod metrics;
mod tables;
mod truetype;

use cmap::{CMap, CodeRange};
use encoding::BaseEncoding;
use lopdf::{Dictionary, Document, Object, ObjectId};
use metrics::CoreFont;
use std::collections::HashMap;
use std::sync::Arc;

/// Most decoded bytes taken from one CMap or font-program stream.
const MAX_STREAM_BYTES: usize = 16 << 20;
/// Most decoded bytes of CMap and font-program streams per document.
const MAX_DOCUMENT_FONT_BYTES: usize = 256 << 20;
/// Most entries kept from a CID font's `/W` or `/W2` array.
const MAX_WIDTH_ENTRIES: usize = 1 << 20;

/// One glyph shown by a text operator, owning its text: what [`Font::glyphs`] returns to
/// the tests.
#[cfg(test)]
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// The character code as read from the string (1 to 4 bytes).
    pub code: u32,
    /// The Unicode text of the glyph; `None` when the font gives no way to know it
    /// (counted as unmapped, never emitted as noise). May be several chars (ligatures).
    pub text: Option<String>,
    /// Advance in text space units (glyph width / 1000 for ordinary fonts, through
    /// `/FontMatrix` for Type3), before Tc, Tw, Tz and the font size apply. For a
    /// vertical font this is the downward advance.
    pub width: f32,
    /// True for the single-byte code 32, the only code word spacing (Tw) applies to.
    pub word_space: bool,
}

#[cfg(test)]
impl Glyph {
    /// The text of the glyph, if known.
    pub fn text(&self) -> Option<&str> {
        self.text.as_deref()
    }
}

/// A glyph as [`Font::for_each_glyph`] hands it out: the same fields as [`Glyph`], with
/// the text borrowed, so decoding allocates nothing per glyph.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GlyphRef<'a> {
    pub code: u32,
    pub text: Option<&'a str>,
    pub width: f32,
    pub word_space: bool,
}

#[cfg(test)]
impl GlyphRef<'_> {
    pub fn to_glyph(self) -> Glyph {
        Glyph {
            code: self.code,
            text: self.text.map(str::to_owned),
            width: self.width,
            word_space: self.word_space,
        }
    }
}

/// A loaded font.
#[derive(Debug, Clone)]
pub struct Font {
    codes: Codes,
    vertical: bool,
    /// The font has a ToUnicode map: a glyph it leaves out was left out on purpose (the
    /// later glyphs of a shaped cluster), not lost.
    has_to_unicode: bool,
    /// Height of the font's em in text space, as a multiple of the font size: 1 for
    /// every font but Type3, whose glyph space is the producer's choice.
    em: f32,
    ascent: f32,
    descent: f32,
}

#[derive(Debug, Clone)]
enum Codes {
    Simple(Box<SimpleCodes>),
    Composite(Box<CompositeCodes>),
}

/// A simple font: one byte per code, everything resolved at load time.
#[derive(Debug, Clone)]
struct SimpleCodes {
    text: Vec<Option<Box<str>>>,
    widths: [f32; 256],
}

/// A Type0 font: codes of 1 to 4 bytes, text and widths looked up per code.
#[derive(Debug, Clone)]
struct CompositeCodes {
    split: Split,
    cids: CidSource,
    to_unicode: Option<Arc<CMap>>,
    /// Codes are UTF-16 (the predefined `Uni…-UCS2-…` / `Uni…-UTF16-…` CMaps).
    unicode_codes: bool,
    /// Glyph id → Unicode from the embedded TrueType program, for fonts without
    /// `/ToUnicode`; with the CID → glyph id map when it is not the identity.
    glyph_text: Option<HashMap<u16, char>>,
    cid_to_gid: Option<Vec<u16>>,
    /// The Adobe collection the CIDs belong to, whose table gives the text when no
    /// ToUnicode map does (see [`cjk`]).
    collection: Option<cjk::Collection>,
    /// Nothing maps the codes (no ToUnicode, no program cmap, Identity CIDs of no
    /// registered collection): they may be Unicode itself, as some producers write, or
    /// glyph numbers. The page decides from what they spell (see `layout::settle`).
    codes_may_be_unicode: bool,
    /// `(first_cid, last_cid, width)` sorted by first CID.
    widths: Vec<(u32, u32, f32)>,
    default_width: f32,
}

#[derive(Debug, Clone)]
enum Split {
    TwoByte,
    Ranges(Vec<CodeRange>),
}

#[derive(Debug, Clone)]
enum CidSource {
    Identity,
    CMap(Arc<CMap>),
    /// Unicode codes (a `Uni…` CMap): the CID is the collection's for the character.
    Unicode(cjk::Collection),
}

impl Font {
    /// A font for a missing or unreadable font resource: WinAnsi text and Helvetica
    /// widths, the most common font of office documents.
    pub fn fallback() -> Font {
        let core = CoreFont::from_flags(0, false);
        let mut text: Vec<Option<Box<str>>> = Vec::with_capacity(256);
        let mut widths = [0.0; 256];
        for code in 0..=255u8 {
            let c = BaseEncoding::WinAnsi.char(code);
            text.push(c.and_then(clean_char));
            widths[usize::from(code)] = core.width(c) / 1000.0;
        }
        Font {
            codes: Codes::Simple(Box::new(SimpleCodes { text, widths })),
            vertical: false,
            has_to_unicode: false,
            em: 1.0,
            ascent: f32::from(core.ascent) / 1000.0,
            descent: f32::from(core.descent) / 1000.0,
        }
    }

    /// The advance of `c` in the fallback font (Helvetica), per unit of font size: for
    /// text that comes with no font program of its own, such as a form field's value.
    pub fn fallback_width(c: char) -> f32 {
        CoreFont::from_flags(0, false).width(Some(c)) / 1000.0
    }

    /// Decodes a string operand into glyphs (for tests; the interpreter uses
    /// [`Font::for_each_glyph`], which allocates nothing per glyph).
    #[cfg(test)]
    pub fn glyphs(&self, bytes: &[u8]) -> Vec<Glyph> {
        let mut out = Vec::with_capacity(bytes.len());
        self.for_each_glyph(bytes, |g| out.push(g.to_glyph()));
        out
    }

    /// Decodes a string operand, handing each glyph to `f` without allocating for it.
    pub fn for_each_glyph(&self, bytes: &[u8], mut f: impl FnMut(GlyphRef<'_>)) {
        match &self.codes {
            Codes::Simple(simple) => {
                for &b in bytes {
                    let i = usize::from(b);
                    f(GlyphRef {
                        code: u32::from(b),
                        text: simple.text[i].as_deref(),
                        width: simple.widths[i],
                        word_space: b == 32,
                    });
                }
            }
            Codes::Composite(composite) => {
                let mut scratch = String::new();
                let mut rest = bytes;
                while !rest.is_empty() {
                    let (code, len) = match &composite.split {
                        Split::TwoByte if rest.len() >= 2 => {
                            (u32::from(u16::from_be_bytes([rest[0], rest[1]])), 2)
                        }
                        Split::TwoByte => (u32::from(rest[0]), 1),
                        Split::Ranges(ranges) => cmap::next_code(ranges, rest),
                    };
                    rest = &rest[len..];
                    scratch.clear();
                    let text = composite
                        .write_text(code, &mut scratch)
                        .then_some(&*scratch);
                    f(GlyphRef {
                        code,
                        text,
                        width: composite.width(code),
                        word_space: len == 1 && code == 32,
                    });
                }
            }
        }
    }

    /// The code read as a Unicode character, for a font whose codes nothing maps but
    /// might be Unicode (see `CompositeCodes::codes_may_be_unicode`): a guess the page
    /// confirms or drops.
    pub fn unicode_guess(&self, code: u32) -> Option<char> {
        match &self.codes {
            Codes::Composite(c) if c.codes_may_be_unicode => char::from_u32(code),
            _ => None,
        }
    }

    /// True for a composite font that lists no widths (no `/W`): every glyph is the
    /// default width, and only the pen's moves say where glyphs really end.
    pub fn widths_unknown(&self) -> bool {
        matches!(&self.codes, Codes::Composite(c) if c.widths.is_empty())
    }

    /// True when the font has a ToUnicode map (see the field).
    pub fn has_to_unicode(&self) -> bool {
        self.has_to_unicode
    }

    /// True for vertical writing (Identity-V and other -V CMaps).
    pub fn vertical(&self) -> bool {
        self.vertical
    }

    /// The height of the font's em in text space, as a multiple of the font size: what
    /// the size of a glyph must be scaled by for the layout's em-based thresholds. 1 for
    /// every font but Type3. A Type3 font's `/FontMatrix` maps glyph units of the
    /// producer's choosing (1, 100, 2048 per em are all seen in the wild) to text space,
    /// so its em is read from its `/FontBBox` through the matrix, checked against its
    /// widths (see [`type3_em`]).
    pub fn em(&self) -> f32 {
        self.em
    }

    /// Height above the baseline, as a fraction of the font size (e.g. 0.718).
    pub fn ascent(&self) -> f32 {
        self.ascent
    }

    /// Depth below the baseline, as a negative fraction of the font size (e.g. -0.207).
    pub fn descent(&self) -> f32 {
        self.descent
    }

    /// Loads the font of a font dictionary. Never fails; missing parts fall back.
    fn load<'a>(loader: &mut Loader<'a>, dict: &'a Dictionary) -> Font {
        match dict.get(b"Subtype").and_then(Object::as_name) {
            Ok(b"Type0") => loader.composite(dict),
            Ok(b"Type3") => loader.simple(dict, true),
            _ => loader
                .chinese_system_font(dict)
                .unwrap_or_else(|| loader.simple(dict, false)),
        }
    }
}

const DEFAULT_MATRIX: [f32; 6] = [0.001, 0.0, 0.0, 0.001, 0.0, 0.0];

impl CompositeCodes {
    fn write_text(&self, code: u32, out: &mut String) -> bool {
        if let Some(map) = &self.to_unicode
            && map.write_unicode(code, out)
        {
            return true;
        }
        if self.unicode_codes
            && let Some(text) = unicode_scalar(code).and_then(clean_char)
        {
            out.push_str(&text);
            return true;
        }
        if let (Some(collection), Some(cid)) = (self.collection, self.cid(code))
            && let Some(c) = collection.char(cid)
        {
            let mark = out.len();
            cmap::push_clean(out, c);
            if out.len() > mark {
                return true;
            }
        }
        if let (Some(glyphs), Some(cid)) = (&self.glyph_text, self.cid(code)) {
            let gid = match &self.cid_to_gid {
                Some(map) => map.get(cid as usize).copied(),
                None => u16::try_from(cid).ok(),
            };
            if let Some(&c) = gid.and_then(|g| glyphs.get(&g)) {
                let mark = out.len();
                cmap::push_clean(out, c);
                return out.len() > mark;
            }
        }
        false
    }

    fn cid(&self, code: u32) -> Option<u32> {
        match &self.cids {
            CidSource::Identity => Some(code),
            CidSource::CMap(map) => map.cid(code),
            CidSource::Unicode(collection) => unicode_scalar(code).and_then(|c| collection.cid(c)),
        }
    }

    fn width(&self, code: u32) -> f32 {
        let Some(cid) = self.cid(code) else {
            return self.default_width;
        };
        let end = self.widths.partition_point(|&(first, _, _)| first <= cid);
        self.widths[end.saturating_sub(8)..end]
            .iter()
            .rev()
            .find(|&&(_, last, _)| cid <= last)
            .map_or(self.default_width, |&(_, _, w)| w)
    }
}

/// The character of a code of a `Uni…` CMap: UTF-16, so a four-byte code is a
/// surrogate pair.
fn unicode_scalar(code: u32) -> Option<char> {
    let scalar = if code > 0xFFFF {
        let (high, low) = (code >> 16, code & 0xFFFF);
        0x10000 + ((high.wrapping_sub(0xD800) & 0x3FF) << 10) + (low.wrapping_sub(0xDC00) & 0x3FF)
    } else {
        code
    };
    char::from_u32(scalar)
}

/// The Adobe collection a CID font's `/CIDSystemInfo` names, if we carry its table.
fn collection<'a>(loader: &Loader<'a>, cid_font: &'a Dictionary) -> Option<cjk::Collection> {
    let info = loader.dict(cid_font, b"CIDSystemInfo")?;
    let registry = loader.get(info, b"Registry").and_then(|o| o.as_str().ok());
    let ordering = loader
        .get(info, b"Ordering")
        .and_then(|o| o.as_str().ok())?;
    registry
        .is_none_or(|r| r == b"Adobe")
        .then(|| cjk::Collection::from_ordering(ordering))
        .flatten()
}

/// True when a CID font's `/CIDSystemInfo` names the Identity ordering or none: its
/// CIDs belong to no registered collection whose table would say what they are.
fn identity_ordering<'a>(loader: &Loader<'a>, cid_font: &'a Dictionary) -> bool {
    loader
        .dict(cid_font, b"CIDSystemInfo")
        .and_then(|info| loader.get(info, b"Ordering"))
        .and_then(|o| o.as_str().ok())
        .is_none_or(|ordering| ordering == b"Identity")
}

/// True when `map` gives text for every code of the CID widths `widths` (codes are CIDs:
/// Identity encoding), and there are widths to tell. Walks at most 65,536 codes.
fn covers(map: &CMap, widths: &[(u32, u32, f32)]) -> bool {
    let mut scratch = String::new();
    let mut walked = 0u32;
    !widths.is_empty()
        && widths.iter().all(|&(first, last, _)| {
            (first..=last).all(|code| {
                walked += 1;
                scratch.clear();
                walked > 1 << 16 || map.write_unicode(code, &mut scratch)
            })
        })
}

/// The cleaned text of one char (see [`cmap::push_clean`]), or `None` if nothing is left.
fn clean_char(c: char) -> Option<Box<str>> {
    let mut s = String::new();
    cmap::push_clean(&mut s, c);
    (!s.is_empty()).then(|| s.into_boxed_str())
}

/// Fonts of one document, loaded on first use. Keyed by object id for indirect font
/// dictionaries; direct (inline) font dictionaries are loaded each time they are used.
/// Parsed CMaps are shared by object id too, so a thousand fonts pointing at one large
/// ToUnicode stream parse it once.
#[derive(Debug)]
pub struct FontCache {
    fonts: HashMap<ObjectId, Arc<Font>>,
    cmaps: HashMap<ObjectId, Arc<CMap>>,
    /// Decoded font-stream bytes this document may still use.
    budget: usize,
}

impl Default for FontCache {
    fn default() -> Self {
        FontCache {
            fonts: HashMap::new(),
            cmaps: HashMap::new(),
            budget: MAX_DOCUMENT_FONT_BYTES,
        }
    }
}

impl FontCache {
    pub fn new() -> FontCache {
        FontCache::default()
    }

    /// The font for a `/Font` resource entry (a reference or a dictionary). Never fails:
    /// an unreadable font gives [`Font::fallback`].
    pub fn get(&mut self, doc: &Document, entry: &Object) -> Arc<Font> {
        if let Object::Reference(id) = entry {
            if let Some(font) = self.fonts.get(id) {
                return font.clone();
            }
            let font = Arc::new(match doc.get_object(*id).and_then(Object::as_dict) {
                Ok(dict) => Font::load(&mut self.loader(doc), dict),
                Err(_) => Font::fallback(),
            });
            self.fonts.insert(*id, font.clone());
            return font;
        }
        Arc::new(match entry.as_dict() {
            Ok(dict) => Font::load(&mut self.loader(doc), dict),
            Err(_) => Font::fallback(),
        })
    }

    fn loader<'a>(&'a mut self, doc: &'a Document) -> Loader<'a> {
        Loader {
            doc,
            cmaps: &mut self.cmaps,
            budget: &mut self.budget,
        }
    }
}

/// What loading a font needs: the document, the shared CMaps and the byte budget.
struct Loader<'a> {
    doc: &'a Document,
    cmaps: &'a mut HashMap<ObjectId, Arc<CMap>>,
    budget: &'a mut usize,
}

impl<'a> Loader<'a> {
    /// Follows references (bounded by lopdf) to the object itself.
    fn deref(&self, object: &'a Object) -> &'a Object {
        self.doc
            .dereference(object)
            .map_or(&Object::Null, |(_, o)| o)
    }

    fn get(&self, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
        dict.get(key).ok().map(|o| self.deref(o))
    }

    fn dict(&self, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Dictionary> {
        self.get(dict, key).and_then(|o| o.as_dict().ok())
    }

    fn number(&self, dict: &'a Dictionary, key: &[u8]) -> Option<f32> {
        self.get(dict, key)
            .and_then(|o| o.as_float().ok())
            .filter(|v| v.is_finite())
    }

    /// The decoded bytes of a stream, within the per-stream limit and the budget.
    fn stream_bytes(&mut self, object: &Object) -> Option<Vec<u8>> {
        let stream = self.deref(object).as_stream().ok()?;
        let limit = MAX_STREAM_BYTES.min(*self.budget);
        let bytes = stream.decompressed_content_with_limit(limit).ok()?;
        *self.budget = self.budget.saturating_sub(bytes.len());
        Some(bytes)
    }

    /// Whether a `/FontFile3` stream holds a bare CFF program of a simple font.
    fn is_type1c(&self, object: &Object) -> bool {
        let stream = self.deref(object).as_stream().ok();
        stream
            .and_then(|s| s.dict.get(b"Subtype").ok())
            .map(|o| self.deref(o))
            == Some(&Object::Name(b"Type1C".to_vec()))
    }

    /// A CMap stream, parsed once per document.
    fn cmap(&mut self, object: &Object) -> Option<Arc<CMap>> {
        let id = match object {
            Object::Reference(id) => Some(*id),
            _ => None,
        };
        if let Some(map) = id.and_then(|id| self.cmaps.get(&id)) {
            return Some(map.clone());
        }
        let map = Arc::new(CMap::parse(&self.stream_bytes(object)?));
        if let Some(id) = id {
            self.cmaps.insert(id, map.clone());
        }
        Some(map)
    }

    fn unicode_map(&mut self, dict: &Dictionary) -> Option<Arc<CMap>> {
        let entry = dict.get(b"ToUnicode").ok()?;
        self.cmap(entry).filter(|m| m.has_unicode())
    }

    /// Ascent and descent from a font descriptor, as fractions of the font size.
    fn vertical_metrics(&self, descriptor: Option<&'a Dictionary>) -> Option<(f32, f32)> {
        let d = descriptor?;
        let ascent = self.number(d, b"Ascent")?;
        let descent = self.number(d, b"Descent").unwrap_or(-0.2 * ascent);
        (ascent > 0.0).then_some((ascent / 1000.0, descent.min(0.0) / 1000.0))
    }

    /// A TrueType font that names a Chinese system font (宋体, 黑体, ...) in GBK bytes, is
    /// not embedded and has no ToUnicode map: Chinese producers write such fonts with
    /// `/WinAnsiEncoding` while the strings hold GBK codes, one or two bytes each, as
    /// Windows draws them. Read as a font of GBK-EUC-H codes and Adobe-GB1 CIDs.
    fn chinese_system_font(&mut self, dict: &'a Dictionary) -> Option<Font> {
        let descriptor = self.dict(dict, b"FontDescriptor");
        let embedded = descriptor.is_some_and(|d| {
            [&b"FontFile"[..], b"FontFile2", b"FontFile3"]
                .iter()
                .any(|key| d.has(key))
        });
        let truetype = matches!(
            dict.get(b"Subtype").and_then(Object::as_name),
            Ok(b"TrueType")
        );
        let plain_encoding = matches!(self.get(dict, b"Encoding"), None | Some(Object::Name(_)));
        let base_font = self.get(dict, b"BaseFont").and_then(|o| o.as_name().ok())?;
        if !truetype
            || embedded
            || !plain_encoding
            || dict.has(b"ToUnicode")
            || !names_chinese_system_font(base_font)
        {
            return None;
        }
        let (map, collection) = cjk::predefined(b"GBK-EUC-H")?;
        // The one-byte codes keep the widths the file gives them; two-byte codes are
        // full-width, or the descriptor's /MissingWidth.
        let mut widths = Vec::new();
        if let (Some(first), Some(Object::Array(items))) =
            (self.number(dict, b"FirstChar"), self.get(dict, b"Widths"))
        {
            for (i, item) in items.iter().enumerate().take(256) {
                let code = first as u32 + i as u32;
                if let (Some(cid), Ok(w)) = (map.cid(code), self.deref(item).as_float())
                    && code < 0x80
                    && w.is_finite()
                {
                    widths.push((cid, cid, w / 1000.0));
                }
            }
        }
        widths.sort_by_key(|&(cid, _, _)| cid);
        widths.dedup_by_key(|&mut (cid, _, _)| cid);
        let default_width = descriptor
            .and_then(|d| self.number(d, b"MissingWidth"))
            .filter(|&w| w > 0.0)
            .unwrap_or(1000.0)
            / 1000.0;
        let (ascent, descent) = self.vertical_metrics(descriptor).unwrap_or((0.88, -0.12));
        Some(Font {
            codes: Codes::Composite(Box::new(CompositeCodes {
                split: Split::Ranges(map.codespace.clone()),
                cids: CidSource::CMap(map),
                to_unicode: None,
                unicode_codes: false,
                glyph_text: None,
                cid_to_gid: None,
                collection: Some(collection),
                codes_may_be_unicode: false,
                widths,
                default_width,
            })),
            vertical: false,
            has_to_unicode: false,
            em: 1.0,
            ascent,
            descent,
        })
    }

    /// A Type1, TrueType or Type3 font.
    fn simple(&mut self, dict: &'a Dictionary, type3: bool) -> Font {
        let base_font = self
            .get(dict, b"BaseFont")
            .and_then(|o| o.as_name().ok())
            .unwrap_or(b"");
        let core = CoreFont::from_base_font(base_font);
        let descriptor = self.dict(dict, b"FontDescriptor");
        let flags = descriptor
            .and_then(|d| self.get(d, b"Flags"))
            .and_then(|o| o.as_i64().ok())
            .unwrap_or(0) as u32;
        let symbolic = flags & 4 != 0 && flags & 32 == 0;
        let truetype = matches!(
            dict.get(b"Subtype").and_then(Object::as_name),
            Ok(b"TrueType")
        );

        // The base table and the renamed codes.
        let mut base = None;
        let mut differences: Vec<Option<&'a [u8]>> = vec![None; 256];
        match self.get(dict, b"Encoding") {
            Some(Object::Name(name)) => base = BaseEncoding::from_name(name),
            Some(Object::Dictionary(enc)) => {
                base = self
                    .get(enc, b"BaseEncoding")
                    .and_then(|o| o.as_name().ok())
                    .and_then(BaseEncoding::from_name);
                if let Some(Object::Array(items)) = self.get(enc, b"Differences") {
                    let mut code: Option<usize> = None;
                    for item in items {
                        match self.deref(item) {
                            Object::Integer(n) => code = usize::try_from(*n).ok(),
                            Object::Name(name) => {
                                if let Some(c) = code.filter(|&c| c < 256) {
                                    differences[c] = Some(name);
                                }
                                code = code.map(|c| c + 1);
                            }
                            _ => {}
                        }
                    }
                }
            }
            _ => {}
        }
        // With no base named, an embedded Type1 program's own encoding is the base,
        // whether written as PostScript (`/FontFile`) or as a bare CFF program
        // (`/FontFile3` of subtype `/Type1C`, as TeX symbol fonts often are).
        let mut builtin_names: Vec<Option<Vec<u8>>> = Vec::new();
        if base.is_none() && !truetype && !type3 {
            let builtin = if let Some(program) = descriptor.and_then(|d| d.get(b"FontFile").ok()) {
                self.stream_bytes(program)
                    .as_deref()
                    .and_then(encoding::type1_builtin)
            } else {
                descriptor
                    .and_then(|d| d.get(b"FontFile3").ok())
                    .filter(|p| self.is_type1c(p))
                    .and_then(|p| self.stream_bytes(p))
                    .as_deref()
                    .and_then(cff::builtin)
            };
            match builtin {
                Some(encoding::Builtin::Standard) => base = Some(BaseEncoding::Standard),
                Some(encoding::Builtin::Names(names)) => {
                    builtin_names = vec![None; 256];
                    for (code, name) in names {
                        builtin_names[usize::from(code)] = Some(name);
                    }
                    base = Some(BaseEncoding::None);
                }
                None => {}
            }
        }
        let named_base = base.is_some();
        let base =
            base.unwrap_or_else(|| builtin_encoding(type3, truetype, symbolic, core, base_font));
        let names: Vec<Option<&[u8]>> = (0..256)
            .map(|code| {
                differences[code].or_else(|| builtin_names.get(code).and_then(|n| n.as_deref()))
            })
            .collect();
        let numbered = numbered_names(&names);

        // Text per code: ToUnicode first, then the encoding.
        let to_unicode = self.unicode_map(dict);
        let has_to_unicode = to_unicode.is_some();
        let mut encoded: Vec<Option<Box<str>>> = Vec::with_capacity(256);
        let mut text: Vec<Option<Box<str>>> = Vec::with_capacity(256);
        let mut scratch = String::new();
        for code in 0..=255u8 {
            let name = names[usize::from(code)];
            let from_encoding = match name {
                Some(name) => match encoding::glyph_name_text(name) {
                    Some(s) => {
                        let mut clean = String::new();
                        s.chars().for_each(|c| cmap::push_clean(&mut clean, c));
                        (!clean.is_empty()).then(|| clean.into_boxed_str())
                    }
                    // A name that only repeats the code: the code is the character,
                    // in the named table or else the TeX text encoding such fonts
                    // come from (dvips bitmap fonts name their glyphs /a65).
                    None if numbered.is_some_and(|radix| names_code(name, radix, code)) => {
                        if named_base {
                            base.char(code).and_then(clean_char)
                        } else {
                            encoding::tex_text_char(code).and_then(clean_char)
                        }
                    }
                    // A Type3 font's own names for its glyphs (`/BT`, `/CP`) say
                    // nothing; the table it names as its base is what is left.
                    None if type3 && named_base && name != b".notdef" => {
                        base.char(code).and_then(clean_char)
                    }
                    None => None,
                },
                None => base.char(code).and_then(clean_char),
            };
            scratch.clear();
            // A map entry that gives only white space (a control character such as CR)
            // where the encoding has a letter is a producer's slip: the encoding speaks.
            // (An entry that gives nothing, such as a private-use symbol, is kept: the
            // producer said there is no text.)
            let from_cmap = to_unicode
                .as_ref()
                .filter(|m| m.write_unicode(u32::from(code), &mut scratch))
                .filter(|_| {
                    scratch.is_empty()
                        || !scratch.trim().is_empty()
                        || from_encoding.as_deref().is_none_or(|e| e.trim().is_empty())
                })
                .map(|_| scratch.as_str().into());
            text.push(from_cmap.or_else(|| from_encoding.clone()));
            encoded.push(from_encoding);
        }
        // Code 32 names no glyph (a TeX font's own table leaves it empty) or names
        // .notdef (/Differences): it draws nothing and is read, as every reader reads it,
        // as the word space. A glyph with a name we do not know stays unmapped: a math
        // font puts symbols there.
        if text[32].is_none() && names[32].is_none_or(|n| n == b".notdef") {
            text[32] = Some(" ".into());
        }

        // Widths: /Widths, else the standard-14 metrics the font names or resembles.
        let matrix = if type3 {
            self.matrix(dict)
        } else {
            DEFAULT_MATRIX
        };
        // Glyph space to text space: dividing by 1000 keeps 450 → 0.45 exact in f32.
        let scale = |w: f32| if type3 { w * matrix[0] } else { w / 1000.0 };
        let mut widths = [0.0f32; 256];
        let first_char = self
            .get(dict, b"FirstChar")
            .and_then(|o| o.as_i64().ok())
            .unwrap_or(0);
        let listed = self
            .get(dict, b"Widths")
            .and_then(|o| o.as_array().ok())
            .filter(|a| !a.is_empty());
        if let Some(listed) = listed {
            let missing = descriptor
                .and_then(|d| self.number(d, b"MissingWidth"))
                .unwrap_or(0.0);
            widths.fill(scale(missing));
            for (i, w) in listed.iter().enumerate() {
                let Some(code) = first_char
                    .checked_add(i as i64)
                    .and_then(|c| usize::try_from(c).ok())
                    .filter(|&c| c < 256)
                else {
                    continue;
                };
                let w = self.deref(w).as_float().unwrap_or(0.0);
                widths[code] = if w.is_finite() { scale(w) } else { 0.0 };
            }
        } else {
            let bold = contains_ignore_case(base_font, b"bold")
                || descriptor
                    .and_then(|d| self.number(d, b"FontWeight"))
                    .is_some_and(|w| w >= 600.0);
            let stand_in = core.unwrap_or_else(|| CoreFont::from_flags(flags, bold));
            for code in 0..256 {
                let c = encoded[code].as_deref().and_then(|s| s.chars().next());
                // Type3 fonts always have /Widths by the spec; keep their scale anyway.
                widths[code] = stand_in.width(c) / 1000.0;
            }
        }

        let (em, (ascent, descent)) = if type3 {
            let bbox = self.type3_vertical_metrics(dict, &matrix);
            let em = type3_em(bbox, &widths);
            // Kept as fractions of the font size, like every other font's.
            (em, bbox.unwrap_or((0.8 * em, -0.2 * em)))
        } else {
            let metrics = self
                .vertical_metrics(descriptor)
                .or_else(|| {
                    core.map(|c| (f32::from(c.ascent) / 1000.0, f32::from(c.descent) / 1000.0))
                })
                .unwrap_or((0.8, -0.2));
            (1.0, metrics)
        };

        Font {
            codes: Codes::Simple(Box::new(SimpleCodes { text, widths })),
            vertical: false,
            has_to_unicode,
            em,
            ascent,
            descent,
        }
    }

    /// A Type3 font's `/FontMatrix`, or the default when it is missing or degenerate.
    fn matrix(&self, dict: &'a Dictionary) -> [f32; 6] {
        let Some(Object::Array(items)) = self.get(dict, b"FontMatrix") else {
            return DEFAULT_MATRIX;
        };
        let mut m = [0.0f32; 6];
        if items.len() != 6 {
            return DEFAULT_MATRIX;
        }
        for (slot, item) in m.iter_mut().zip(items) {
            match self.deref(item).as_float() {
                Ok(v) if v.is_finite() => *slot = v,
                _ => return DEFAULT_MATRIX,
            }
        }
        if m[0] == 0.0 && m[1] == 0.0 {
            return DEFAULT_MATRIX;
        }
        m
    }

    /// Ascent and descent of a Type3 font from its `/FontBBox` through the matrix, as
    /// fractions of the font size; `None` when the box is missing or flat.
    fn type3_vertical_metrics(
        &self,
        dict: &'a Dictionary,
        matrix: &[f32; 6],
    ) -> Option<(f32, f32)> {
        let bbox: Vec<f32> = match self.get(dict, b"FontBBox") {
            Some(Object::Array(items)) if items.len() == 4 => items
                .iter()
                .filter_map(|o| self.deref(o).as_float().ok())
                .collect(),
            _ => Vec::new(),
        };
        if bbox.len() == 4 {
            let (lo, hi) = (bbox[1] * matrix[3], bbox[3] * matrix[3]);
            let (descent, ascent) = (lo.min(hi), lo.max(hi));
            if ascent > 0.0 && ascent.is_finite() && descent.is_finite() {
                return Some((ascent, descent.min(0.0)));
            }
        }
        None
    }

    /// A Type0 font with its descendant CID font.
    fn composite(&mut self, dict: &'a Dictionary) -> Font {
        let to_unicode = self.unicode_map(dict);
        let has_to_unicode = to_unicode.is_some();
        let mut split = Split::TwoByte;
        let mut cids = CidSource::Identity;
        let mut vertical = false;
        let mut unicode_codes = false;
        // The collection a predefined CMap's CIDs belong to.
        let mut cmap_collection = None;
        match dict.get(b"Encoding").ok().map(|o| (o, self.deref(o))) {
            Some((_, Object::Name(name))) => {
                // `V` alone is the predefined vertical CMap of Adobe-Japan1.
                vertical = name.ends_with(b"-V") || name.as_slice() == b"V";
                unicode_codes = is_unicode_cmap(name);
                let predefined = (!unicode_codes).then(|| cjk::predefined(name)).flatten();
                if unicode_codes {
                    // The codes are the text; the CIDs (for the widths) are the
                    // collection's table read backwards.
                    cmap_collection = cjk::Collection::from_cmap_name(name);
                    if let Some(collection) = cmap_collection {
                        cids = CidSource::Unicode(collection);
                    }
                }
                if is_utf16_cmap(name) {
                    split = Split::Ranges(utf16_codespace());
                } else if let Some((map, collection)) = predefined {
                    split = Split::Ranges(map.codespace.clone());
                    cids = CidSource::CMap(map);
                    cmap_collection = Some(collection);
                } else if !name.starts_with(b"Identity") {
                    // A predefined CJK CMap we do not carry: split codes the way the
                    // ToUnicode map does, which describes the same codes.
                    if let Some(ranges) = to_unicode
                        .as_ref()
                        .map(|m| m.codespace.clone())
                        .filter(|r| !r.is_empty())
                    {
                        split = Split::Ranges(ranges);
                    }
                }
            }
            Some((raw, Object::Stream(_))) => {
                // CIDs written as bfchar entries (some producers do) read as CIDs.
                let map = self
                    .cmap(raw)
                    .and_then(|map| {
                        if map.has_cids() {
                            return Some(map);
                        }
                        Some(Arc::new(CMap::parse_bf_as_cids(&self.stream_bytes(raw)?)))
                    })
                    .map(|map| {
                        // `/90ms-RKSJ-H usecmap` and the like: the codes this map does not
                        // list are the predefined map's.
                        match map.use_cmap.as_deref().and_then(cjk::predefined) {
                            Some((parent, collection)) => {
                                cmap_collection = Some(collection);
                                let mut own = (*map).clone();
                                if own.codespace.is_empty() {
                                    own.codespace = parent.codespace.clone();
                                }
                                own.parent = Some(parent);
                                Arc::new(own)
                            }
                            None => map,
                        }
                    });
                if let Some(map) = map {
                    vertical = map.wmode == 1
                        || map.use_cmap.as_deref().is_some_and(|n| n.ends_with(b"-V"));
                    if !map.codespace.is_empty() && !is_two_byte_identity(&map.codespace) {
                        split = Split::Ranges(map.codespace.clone());
                    }
                    if map.has_cids() {
                        cids = CidSource::CMap(map);
                    }
                }
            }
            _ => {}
        }

        let descendant = match self.get(dict, b"DescendantFonts") {
            Some(Object::Array(items)) => items.first().and_then(|o| self.deref(o).as_dict().ok()),
            Some(Object::Dictionary(d)) => Some(d),
            _ => None,
        };
        let (widths, default_width, ascent, descent) = match descendant {
            Some(cid_font) => {
                let (w_key, dw) = if vertical {
                    let dw2 = match self.get(cid_font, b"DW2") {
                        Some(Object::Array(a)) if a.len() == 2 => {
                            self.deref(&a[1]).as_float().unwrap_or(-1000.0)
                        }
                        _ => -1000.0,
                    };
                    (&b"W2"[..], -dw2)
                } else {
                    (&b"W"[..], self.number(cid_font, b"DW").unwrap_or(1000.0))
                };
                let widths = match self.get(cid_font, w_key) {
                    Some(Object::Array(items)) => self.cid_widths(items, vertical),
                    _ => Vec::new(),
                };
                let descriptor = self.dict(cid_font, b"FontDescriptor");
                let (ascent, descent) = self.vertical_metrics(descriptor).unwrap_or((0.88, -0.12));
                (widths, dw / 1000.0, ascent, descent)
            }
            None => (Vec::new(), 1.0, 0.88, -0.12),
        };

        // Without ToUnicode, the embedded TrueType program's own cmap is the last clue;
        // also for a space glyph a ToUnicode map leaves out, when the widths list glyphs
        // it does not cover or there are no widths to tell.
        let mut glyph_text = None;
        let mut cid_to_gid = None;
        let uncovered = match (&to_unicode, &cids) {
            (None, _) => true,
            (Some(map), CidSource::Identity) => !covers(map, &widths),
            (Some(_), CidSource::CMap(_) | CidSource::Unicode(_)) => false,
        };
        if let (true, Some(cid_font)) = (uncovered, descendant) {
            let program = self
                .dict(cid_font, b"FontDescriptor")
                .and_then(|d| d.get(b"FontFile2").ok());
            glyph_text = program
                .and_then(|p| self.stream_bytes(p))
                .and_then(|bytes| truetype::glyph_unicode(&bytes));
            // Beside a ToUnicode map, only the program's spaces: shaping producers leave
            // the later glyphs of an Arabic or Indic cluster out of the map on purpose
            // (its first glyph carries the text), and their presentation forms would
            // repeat it.
            if to_unicode.is_some()
                && let Some(map) = glyph_text.as_mut()
            {
                map.retain(|_, c| *c == ' ');
            }
            let map = cid_font.get(b"CIDToGIDMap").ok();
            if let Some(map) =
                map.filter(|m| glyph_text.is_some() && self.deref(m).as_stream().is_ok())
            {
                cid_to_gid = self.stream_bytes(map).map(|bytes| {
                    bytes
                        .chunks_exact(2)
                        .map(|p| u16::from_be_bytes([p[0], p[1]]))
                        .collect()
                });
            }
        }
        // An encoding CMap of the file's own (mapping codes to glyphs) leaves the codes
        // free to be Unicode; a predefined one we do not carry (Shift-JIS and the like)
        // does not.
        let own_or_identity = match dict.get(b"Encoding").map(|o| self.deref(o)) {
            Ok(Object::Name(name)) => name.starts_with(b"Identity"),
            Ok(Object::Stream(_)) => true,
            _ => true,
        };
        // A ToUnicode stream that maps nothing usable (a bullet to a private-use code)
        // still says the producer knew the text: no guessing then.
        let to_unicode_stream = self
            .get(dict, b"ToUnicode")
            .is_some_and(|o| o.as_stream().is_ok());
        // Without a ToUnicode map, the table of the collection the CIDs belong to gives
        // the text; with one, only when it builds on that table (`/Adobe-Korea1-UCS2
        // usecmap`), since a map that leaves a glyph out may mean it.
        let collection = match &to_unicode {
            None => descendant
                .and_then(|d| collection(self, d))
                .or(cmap_collection),
            Some(map) => map
                .use_cmap
                .as_deref()
                .filter(|name| name.starts_with(b"Adobe-"))
                .and_then(cjk::Collection::from_cmap_name),
        };
        let codes_may_be_unicode = !to_unicode_stream
            && glyph_text.is_none()
            && !unicode_codes
            && own_or_identity
            && descendant.is_none_or(|d| identity_ordering(self, d));
        Font {
            codes: Codes::Composite(Box::new(CompositeCodes {
                split,
                cids,
                to_unicode,
                unicode_codes,
                codes_may_be_unicode,
                glyph_text,
                cid_to_gid,
                collection,
                widths,
                default_width: if default_width.is_finite() {
                    default_width
                } else {
                    1.0
                },
            })),
            vertical,
            has_to_unicode,
            em: 1.0,
            ascent,
            descent,
        }
    }

    /// Reads `/W` (`c [w1 w2 …]` and `c_first c_last w`) or, for vertical fonts, `/W2`
    /// (the same with three numbers per glyph, of which the first, the vertical
    /// advance, is kept), into sorted `(first, last, width)` runs in text space.
    fn cid_widths(&self, items: &'a [Object], vertical: bool) -> Vec<(u32, u32, f32)> {
        let group = if vertical { 3 } else { 1 };
        let sign = if vertical { -1.0 } else { 1.0 };
        let mut out: Vec<(u32, u32, f32)> = Vec::new();
        let number = |o: &Object| self.deref(o).as_float().ok().filter(|v| v.is_finite());
        let mut i = 0;
        while i < items.len() && out.len() < MAX_WIDTH_ENTRIES {
            let Some(first) = number(&items[i]).filter(|v| *v >= 0.0) else {
                i += 1;
                continue;
            };
            let first = first as u32;
            match items.get(i + 1).map(|o| self.deref(o)) {
                Some(Object::Array(list)) => {
                    for (k, chunk) in list.chunks(group).enumerate() {
                        if out.len() >= MAX_WIDTH_ENTRIES {
                            break;
                        }
                        if let (Some(w), Some(cid)) =
                            (number(&chunk[0]), first.checked_add(k as u32))
                        {
                            out.push((cid, cid, sign * w / 1000.0));
                        }
                    }
                    i += 2;
                }
                Some(_) => {
                    let last = items.get(i + 1).and_then(number);
                    let w = items.get(i + 2).and_then(number);
                    if let (Some(last), Some(w)) = (last, w)
                        && last >= first as f32
                    {
                        out.push((first, last as u32, sign * w / 1000.0));
                    }
                    i += 2 + group;
                }
                None => break,
            }
        }
        out.sort_by_key(|&(first, _, _)| first);
        out
    }
}

/// The radix (10 or 16) in which the font's numbered glyph names (see
/// [`encoding::numbered_name`]) give their own character code, when most of them do;
/// `None` when they are glyph numbers or there are none. Names the glyph list knows are
/// not counted.
fn numbered_names(names: &[Option<&[u8]>]) -> Option<u32> {
    let (mut total, mut decimal, mut hex) = (0, 0, 0);
    for (code, name) in names.iter().enumerate() {
        let Some(name) = name else { continue };
        if encoding::glyph_name_text(name).is_some() {
            continue;
        }
        let Some((d, h)) = encoding::numbered_name(name) else {
            continue;
        };
        total += 1;
        decimal += usize::from(d == Some(code as u32));
        hex += usize::from(h == Some(code as u32));
    }
    if total == 0 {
        return None;
    }
    if hex > decimal && hex * 2 >= total {
        Some(16)
    } else if decimal * 2 >= total {
        Some(10)
    } else {
        None
    }
}

/// True when `name` is a numbered name giving `code` in `radix`.
fn names_code(name: &[u8], radix: u32, code: u8) -> bool {
    encoding::numbered_name(name).is_some_and(|(d, h)| {
        let value = if radix == 16 { h } else { d };
        value == Some(u32::from(code))
    })
}

/// The em of a Type3 font in text space, as a multiple of the font size.
///
/// The font box is the better measure, but producers write boxes of [0 0 0 0] and boxes
/// that hold one huge drawing; the widths are the check: Latin text advances about half
/// an em per glyph, so the median width says roughly where the em is. The box wins when
/// the two agree within a factor of two.
fn type3_em(bbox: Option<(f32, f32)>, widths: &[f32; 256]) -> f32 {
    let mut positive: Vec<f32> = widths
        .iter()
        .map(|w| w.abs())
        .filter(|w| *w > 0.0 && w.is_finite())
        .collect();
    let from_widths = (!positive.is_empty()).then(|| {
        let mid = positive.len() / 2;
        2.0 * *positive.select_nth_unstable_by(mid, f32::total_cmp).1
    });
    let from_box = bbox.map(|(ascent, descent)| ascent - descent);
    let em = match (from_box, from_widths) {
        (Some(b), Some(w)) if b <= 2.0 * w && w <= 2.0 * b => b,
        (_, Some(w)) => w,
        (Some(b), None) => b,
        (None, None) => 1.0,
    };
    if em.is_finite() {
        em.clamp(1e-3, 1e3)
    } else {
        1.0
    }
}

/// The encoding a simple font uses when its dictionary names none.
fn builtin_encoding(
    type3: bool,
    truetype: bool,
    symbolic: bool,
    core: Option<CoreFont>,
    base_font: &[u8],
) -> BaseEncoding {
    if type3 {
        // A Type3 font's codes mean only what /Differences says.
        return BaseEncoding::None;
    }
    if let Some(core) = core {
        return core.builtin;
    }
    let name = metrics::strip_subset_tag(base_font);
    if ["wingdings", "webdings", "dingbat", "marlett"]
        .iter()
        .any(|n| contains_ignore_case(name, n.as_bytes()))
    {
        return BaseEncoding::None;
    }
    if truetype || symbolic {
        // Symbolic TrueType fonts look their codes up as 0xF000 + code in the font's
        // own cmap; producers of Latin text put the plain characters there, so the
        // code read as WinAnsi is the best guess.
        BaseEncoding::WinAnsi
    } else {
        BaseEncoding::Standard
    }
}

fn contains_ignore_case(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

/// True for a font name that is, in GBK bytes, one of the Chinese fonts Windows ships
/// (宋体 SimSun, 新宋体, 黑体 SimHei, 楷体, 仿宋, 隶书, 幼圆), possibly with a suffix such
/// as `_GB2312` or `,Bold`.
fn names_chinese_system_font(name: &[u8]) -> bool {
    const NAMES: [&[u8]; 7] = [
        b"\xCB\xCE\xCC\xE5",
        b"\xD0\xC2\xCB\xCE\xCC\xE5",
        b"\xBA\xDA\xCC\xE5",
        b"\xBF\xAC\xCC\xE5",
        b"\xB7\xC2\xCB\xCE",
        b"\xC1\xA5\xCA\xE9",
        b"\xD3\xD7\xD4\xB2",
    ];
    NAMES.iter().any(|n| name.starts_with(n))
}

/// Predefined CMaps whose codes are Unicode (UCS-2 or UTF-16).
fn is_unicode_cmap(name: &[u8]) -> bool {
    name.starts_with(b"Uni") && (contains(name, b"-UCS2-") || is_utf16_cmap(name))
}

fn is_utf16_cmap(name: &[u8]) -> bool {
    name.starts_with(b"Uni") && contains(name, b"-UTF16-")
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// UTF-16BE code space: two bytes, or four for a surrogate pair.
fn utf16_codespace() -> Vec<CodeRange> {
    vec![
        CodeRange::new(2, 0x0000, 0xD7FF),
        CodeRange::new(4, 0xD800_DC00, 0xDBFF_DFFF),
        CodeRange::new(2, 0xE000, 0xFFFF),
    ]
}

fn is_two_byte_identity(ranges: &[CodeRange]) -> bool {
    ranges == [CodeRange::new(2, 0x0000, 0xFFFF)]
}

#[cfg(test)]
mod tests;
