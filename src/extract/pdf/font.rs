//! The font layer: turns the bytes of a text-showing operator into glyphs with their
//! Unicode text and advance width. Fonts are loaded once per document and cached.
//!
//! INTERFACE STUB: the content-stream interpreter is written against [`FontCache`],
//! [`Font`] and [`Glyph`]. This first body reads single-byte codes as Latin-1 and two-byte
//! codes for Type0 fonts, with `/Widths` when present; the real font layer (ToUnicode,
//! Differences, CID widths, Type3) replaces the internals, not the interface.

use lopdf::{Dictionary, Document, Object, ObjectId};
use std::collections::HashMap;
use std::sync::Arc;

/// One glyph shown by a text operator.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// The character code as read from the string (1 to 4 bytes).
    pub code: u32,
    /// The Unicode text of the glyph; `None` when the font gives no way to know it
    /// (counted as unmapped, never emitted as noise). May be several chars (ligatures).
    pub text: Option<String>,
    /// Horizontal advance in text space units (glyph width / 1000 for ordinary fonts,
    /// through `/FontMatrix` for Type3), before Tc, Tw, Tz and the font size apply.
    pub width: f32,
    /// True for the single-byte code 32, the only code word spacing (Tw) applies to.
    pub word_space: bool,
}

/// A loaded font.
#[derive(Debug, Clone)]
pub struct Font {
    two_byte: bool,
    first_char: u32,
    widths: Vec<f32>,
    default_width: f32,
}

impl Font {
    /// A font for a missing or unreadable font resource: Latin-1, average widths.
    pub fn fallback() -> Font {
        Font {
            two_byte: false,
            first_char: 0,
            widths: Vec::new(),
            default_width: 0.5,
        }
    }

    /// Decodes a string operand into glyphs.
    pub fn glyphs(&self, bytes: &[u8]) -> Vec<Glyph> {
        let step = if self.two_byte { 2 } else { 1 };
        bytes
            .chunks(step)
            .map(|chunk| {
                let code = chunk.iter().fold(0u32, |acc, &b| (acc << 8) | u32::from(b));
                let width = code
                    .checked_sub(self.first_char)
                    .and_then(|i| self.widths.get(i as usize))
                    .copied()
                    .unwrap_or(self.default_width);
                let text = if self.two_byte {
                    None
                } else {
                    char::from_u32(code).map(String::from)
                };
                Glyph {
                    code,
                    text,
                    width,
                    word_space: !self.two_byte && code == 32,
                }
            })
            .collect()
    }

    /// True for vertical writing (Identity-V and other -V CMaps).
    pub fn vertical(&self) -> bool {
        false
    }

    fn load(doc: &Document, dict: &Dictionary) -> Font {
        let subtype = dict
            .get(b"Subtype")
            .and_then(Object::as_name)
            .unwrap_or(b"");
        let first_char = dict
            .get(b"FirstChar")
            .and_then(Object::as_i64)
            .unwrap_or(0)
            .max(0) as u32;
        let widths = dict
            .get(b"Widths")
            .ok()
            .map(|w| deref(doc, w))
            .and_then(|w| w.as_array().ok())
            .map(|a| {
                a.iter()
                    .map(|n| deref(doc, n).as_float().unwrap_or(0.0) / 1000.0)
                    .collect()
            })
            .unwrap_or_default();
        Font {
            two_byte: subtype == b"Type0",
            first_char,
            widths,
            default_width: 0.5,
        }
    }
}

/// Fonts of one document, loaded on first use. Keyed by object id for indirect font
/// dictionaries; direct (inline) font dictionaries are loaded each time they are used.
#[derive(Debug, Default)]
pub struct FontCache {
    fonts: HashMap<ObjectId, Arc<Font>>,
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
                Ok(dict) => Font::load(doc, dict),
                Err(_) => Font::fallback(),
            });
            self.fonts.insert(*id, font.clone());
            return font;
        }
        Arc::new(match entry.as_dict() {
            Ok(dict) => Font::load(doc, dict),
            Err(_) => Font::fallback(),
        })
    }
}

fn deref<'a>(doc: &'a Document, object: &'a Object) -> &'a Object {
    match object {
        Object::Reference(id) => doc.get_object(*id).unwrap_or(object),
        other => other,
    }
}
