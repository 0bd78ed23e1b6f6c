//! Where a page draws its images: every image XObject and inline image with the matrix
//! that places it, and the page's visible box and `/Rotate`. This is what OCR needs to
//! decide whether a page is a scan and to put its pictures together the way a viewer
//! shows them (see `scan` and `raster`).
//!
//! A second, much smaller interpreter than `content`'s: it follows only `q`, `Q`, `cm`,
//! `Do` (forms and images) and inline images, with the same limits on operators, form
//! nesting and time, and an explicit stack of frames, so a hostile page cannot take the
//! thread's stack or the run's time.

use super::lexer::{Lexer, Op, Tok};
use super::limits::{DEADLINE_EVERY, Limits, MAX_COORD};
use super::objects::{deref, inherited};
use crate::extract::Deadline;
use lopdf::{Dictionary, Document, Object, ObjectId, Stream};
use std::borrow::Cow;

/// Images kept per page; a page that draws more is a pattern of tiles, not a scan.
const MAX_DRAWS: usize = 4096;

/// An affine matrix `[a b c d e f]`: (x, y) → (a·x + c·y + e, b·x + d·y + f).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Affine(pub [f32; 6]);

impl Affine {
    pub const IDENTITY: Affine = Affine([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    /// First `self`, then `other`.
    pub fn then(&self, other: &Affine) -> Affine {
        let [a, b, c, d, e, f] = self.0;
        let [a2, b2, c2, d2, e2, f2] = other.0;
        Affine(
            [
                a * a2 + b * c2,
                a * b2 + b * d2,
                c * a2 + d * c2,
                c * b2 + d * d2,
                e * a2 + f * c2 + e2,
                e * b2 + f * d2 + f2,
            ]
            .map(|v| {
                if v.is_finite() {
                    v.clamp(-MAX_COORD, MAX_COORD)
                } else {
                    0.0
                }
            }),
        )
    }

    pub fn apply(&self, x: f32, y: f32) -> (f32, f32) {
        let [a, b, c, d, e, f] = self.0;
        (x * a + y * c + e, x * b + y * d + f)
    }

    /// The inverse, or `None` for a matrix that squashes the plane to a line.
    pub fn invert(&self) -> Option<Affine> {
        let [a, b, c, d, e, f] = self.0.map(f64::from);
        let det = a * d - b * c;
        if det.abs() < 1e-12 || !det.is_finite() {
            return None;
        }
        let m = [
            d / det,
            -b / det,
            -c / det,
            a / det,
            (c * f - d * e) / det,
            (b * e - a * f) / det,
        ];
        Some(Affine(m.map(|v| v as f32)))
    }

    /// The bounding box `[x0, y0, x1, y1]` of the unit square under this matrix.
    pub fn unit_bounds(&self) -> [f32; 4] {
        let corners =
            [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)].map(|(x, y)| self.apply(x, y));
        let xs = corners.map(|c| c.0);
        let ys = corners.map(|c| c.1);
        [
            xs.iter().copied().fold(f32::INFINITY, f32::min),
            ys.iter().copied().fold(f32::INFINITY, f32::min),
            xs.iter().copied().fold(f32::NEG_INFINITY, f32::max),
            ys.iter().copied().fold(f32::NEG_INFINITY, f32::max),
        ]
    }

    fn from_numbers(nums: &[f32]) -> Option<Affine> {
        let m: [f32; 6] = nums.try_into().ok()?;
        Some(Affine::IDENTITY.then(&Affine(m)))
    }
}

/// The part of a page a viewer shows, in default user space, and its `/Rotate`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Geometry {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
    /// Clockwise quarter turns on display: 0, 90, 180 or 270.
    pub rotate: u16,
}

impl Geometry {
    /// The crop box (within the media box), inherited from the page tree when the page
    /// has none of its own; A4 when neither says anything usable.
    pub fn of(doc: &Document, page: &Dictionary) -> Geometry {
        let media = inherited(doc, page, b"MediaBox")
            .and_then(|o| rect(doc, o))
            .unwrap_or([0.0, 0.0, 595.0, 842.0]);
        let crop = inherited(doc, page, b"CropBox")
            .and_then(|o| rect(doc, o))
            .map(|c| {
                [
                    c[0].max(media[0]),
                    c[1].max(media[1]),
                    c[2].min(media[2]),
                    c[3].min(media[3]),
                ]
            })
            .filter(|c| c[2] - c[0] >= 1.0 && c[3] - c[1] >= 1.0)
            .unwrap_or(media);
        let rotate = inherited(doc, page, b"Rotate")
            .and_then(|o| deref(doc, o).as_i64().ok())
            .map_or(0, |r| r.rem_euclid(360) / 90 * 90) as u16;
        Geometry {
            x0: crop[0],
            y0: crop[1],
            x1: crop[2],
            y1: crop[3],
            rotate,
        }
    }

    pub fn area(&self) -> f32 {
        (self.x1 - self.x0) * (self.y1 - self.y0)
    }

    /// Width and height as shown, in points (swapped by a quarter turn).
    pub fn shown(&self) -> (f32, f32) {
        let (w, h) = (self.x1 - self.x0, self.y1 - self.y0);
        if self.rotate % 180 == 90 {
            (h, w)
        } else {
            (w, h)
        }
    }

    /// User space to the pixels of a picture of the page as shown, `scale` pixels per
    /// point, with the origin at the top left and y going down.
    pub fn pixels_of(self, scale: f32) -> Affine {
        let s = scale;
        let Geometry { x0, y0, x1, y1, .. } = self;
        Affine(match self.rotate {
            90 => [0.0, s, s, 0.0, -y0 * s, -x0 * s],
            180 => [-s, 0.0, 0.0, s, x1 * s, -y0 * s],
            270 => [0.0, -s, -s, 0.0, y1 * s, x1 * s],
            _ => [s, 0.0, 0.0, -s, -x0 * s, y1 * s],
        })
    }
}

/// One image drawn on a page: the image (an XObject, or an inline image made into a
/// stream) and the matrix that maps its unit square to user space.
pub struct Draw<'d> {
    pub image: Cow<'d, Stream>,
    pub ctm: Affine,
    /// The resources in force, for named colour spaces of inline images.
    pub resources: Option<&'d Dictionary>,
}

impl Draw<'_> {
    /// The area the image covers on the page, in square points, within `page`.
    pub fn area_on(&self, page: &Geometry) -> f32 {
        let [x0, y0, x1, y1] = self.ctm.unit_bounds();
        let w = (x1.min(page.x1) - x0.max(page.x0)).max(0.0);
        let h = (y1.min(page.y1) - y0.max(page.y0)).max(0.0);
        w * h
    }

    /// The most pixels the image or one of its masks has: a 2×2 colour with a large
    /// soft mask (text set as a picture) counts as large.
    pub fn pixels(&self, doc: &Document) -> u64 {
        let dict = &self.image.dict;
        let mut most = dimensions(doc, dict).map_or(0, |(w, h)| u64::from(w) * u64::from(h));
        for key in [&b"SMask"[..], b"Mask"] {
            if let Ok(mask) = dict.get(key).map(|m| deref(doc, m))
                && let Ok(stream) = mask.as_stream()
                && let Some((w, h)) = dimensions(doc, &stream.dict)
            {
                most = most.max(u64::from(w) * u64::from(h));
            }
        }
        most
    }
}

/// `/Width` and `/Height` of an image dictionary (inline abbreviations already expanded).
pub fn dimensions(doc: &Document, dict: &Dictionary) -> Option<(u32, u32)> {
    let get = |key: &[u8]| {
        dict.get(key)
            .ok()
            .and_then(|v| deref(doc, v).as_i64().ok())
            .filter(|v| *v > 0 && *v <= i64::from(u32::MAX))
            .map(|v| v as u32)
    };
    Some((get(b"Width")?, get(b"Height")?))
}

/// What a walk of a page found, and whether a limit cut it short.
#[derive(Default)]
pub struct Found<'d> {
    pub draws: Vec<Draw<'d>>,
    pub cut_short: bool,
    pub timed_out: bool,
}

struct Frame<'d> {
    data: Cow<'d, [u8]>,
    lexer: Lexer,
    resources: Option<&'d Dictionary>,
    form: Option<ObjectId>,
    /// Depth of the matrix stack when the form began.
    depth: usize,
}

/// Every image the page draws, in drawing order.
pub fn draws<'d>(
    doc: &'d Document,
    page: &'d Dictionary,
    resources: Option<&'d Dictionary>,
    limits: &Limits,
    deadline: Deadline,
) -> Found<'d> {
    let mut found = Found::default();
    let Some(data) = page_content(doc, page, limits.stream_bytes) else {
        found.cut_short = true;
        return found;
    };
    let mut frames = vec![Frame {
        data: Cow::Owned(data),
        lexer: Lexer::default(),
        resources,
        form: None,
        depth: 0,
    }];
    let mut ctm = Affine::IDENTITY;
    let mut stack: Vec<Affine> = Vec::new();
    let mut operands: Vec<Tok> = Vec::with_capacity(16);
    let mut arena: Vec<u8> = Vec::new();
    let mut operators = 0u64;
    let mut forms = 0u32;
    let mut overflow = 0usize;
    while let Some(frame) = frames.last_mut() {
        operands.clear();
        arena.clear();
        let start = frame.lexer.pos;
        let Some(op) = frame.lexer.next_op(&frame.data, &mut operands, &mut arena) else {
            let done = frames.pop().expect("a frame is running");
            if done.form.is_some() {
                stack.truncate(done.depth + 1);
                if let Some(saved) = stack.pop() {
                    ctm = saved;
                }
            }
            continue;
        };
        operators += 1;
        if operators >= limits.page_operators || found.draws.len() >= MAX_DRAWS {
            found.cut_short = true;
            break;
        }
        if operators.is_multiple_of(DEADLINE_EVERY) && deadline.expired() {
            found.timed_out = true;
            break;
        }
        let (resources, form, depth) = (frame.resources, frame.form, frame.depth);
        match op {
            Op::Save if stack.len() < limits.state_depth => stack.push(ctm),
            Op::Save => overflow += 1,
            Op::Restore if overflow > 0 => overflow -= 1,
            Op::Restore => {
                let floor = form.map_or(0, |_| depth + 1);
                if stack.len() > floor
                    && let Some(saved) = stack.pop()
                {
                    ctm = saved;
                }
            }
            Op::Concat => {
                let nums: Vec<f32> = operands
                    .iter()
                    .filter_map(|t| match t {
                        Tok::Num(n) => Some(*n),
                        _ => None,
                    })
                    .collect();
                if let Some(m) = Affine::from_numbers(&nums) {
                    ctm = m.then(&ctm);
                }
            }
            Op::InlineImage => {
                let end = frame.lexer.pos;
                if let Some(image) = inline_image(&frame.data[start..end]) {
                    found.draws.push(Draw {
                        image: Cow::Owned(image),
                        ctm,
                        resources,
                    });
                }
            }
            Op::Do => {
                let name = operands.iter().rev().find_map(|t| match *t {
                    Tok::Name(s, e) => Some(&arena[s as usize..e as usize]),
                    _ => None,
                });
                let Some((id, stream)) = name.and_then(|name| xobject(doc, resources, name)) else {
                    continue;
                };
                match stream.dict.get(b"Subtype").and_then(Object::as_name).ok() {
                    Some(b"Image") => found.draws.push(Draw {
                        image: Cow::Borrowed(stream),
                        ctm,
                        resources,
                    }),
                    Some(b"Form") => {
                        let nested = frames.iter().any(|f| f.form == Some(id));
                        if nested || frames.len() > limits.form_depth || forms >= limits.page_forms
                        {
                            found.cut_short = true;
                            continue;
                        }
                        forms += 1;
                        let Some(data) = decode(doc, stream, limits.stream_bytes) else {
                            found.cut_short = true;
                            continue;
                        };
                        let inner = stream
                            .dict
                            .get(b"Resources")
                            .ok()
                            .and_then(|r| deref(doc, r).as_dict().ok())
                            .or(resources);
                        let depth = stack.len();
                        stack.push(ctm);
                        if let Some(m) = stream
                            .dict
                            .get(b"Matrix")
                            .ok()
                            .and_then(|m| deref(doc, m).as_array().ok())
                            .map(|a| {
                                a.iter()
                                    .filter_map(|o| deref(doc, o).as_float().ok())
                                    .collect::<Vec<f32>>()
                            })
                            .and_then(|nums| Affine::from_numbers(&nums))
                        {
                            ctm = m.then(&ctm);
                        }
                        frames.push(Frame {
                            data: Cow::Owned(data),
                            lexer: Lexer::default(),
                            resources: inner,
                            form: Some(id),
                            depth,
                        });
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    found
}

/// The XObject `name` of the resources, with its object number.
fn xobject<'d>(
    doc: &'d Document,
    resources: Option<&'d Dictionary>,
    name: &[u8],
) -> Option<(ObjectId, &'d Stream)> {
    let Ok(Object::Reference(id)) = resources?
        .get(b"XObject")
        .ok()
        .and_then(|x| deref(doc, x).as_dict().ok())?
        .get(name)
    else {
        return None;
    };
    let stream = doc.get_object(*id).and_then(Object::as_stream).ok()?;
    Some((*id, stream))
}

/// The page's content streams, decoded and joined; `None` when one is over the limit.
fn page_content(doc: &Document, page: &Dictionary, limit: usize) -> Option<Vec<u8>> {
    let Ok(contents) = page.get(b"Contents") else {
        return Some(Vec::new());
    };
    let streams: Vec<&Stream> = match deref(doc, contents) {
        Object::Stream(stream) => vec![stream],
        Object::Array(items) => items
            .iter()
            .filter_map(|i| deref(doc, i).as_stream().ok())
            .collect(),
        _ => Vec::new(),
    };
    let mut joined = Vec::new();
    for stream in streams {
        joined.extend_from_slice(&decode(doc, stream, limit.saturating_sub(joined.len()))?);
        joined.push(b'\n');
    }
    Some(joined)
}

/// A stream's data through its filters, within `limit` bytes; data that does not decode
/// reads as empty, data over the limit is `None`.
pub fn decode(doc: &Document, stream: &Stream, limit: usize) -> Option<Vec<u8>> {
    let resolved;
    let stream = if [&b"Filter"[..], b"DecodeParms"]
        .iter()
        .any(|k| matches!(stream.dict.get(k), Ok(Object::Reference(_))))
    {
        let mut dict = stream.dict.clone();
        for key in [&b"Filter"[..], b"DecodeParms"] {
            if let Ok(value) = stream.dict.get(key) {
                dict.set(key, deref(doc, value).clone());
            }
        }
        resolved = Stream::new(dict, stream.content.clone());
        &resolved
    } else {
        stream
    };
    match stream.get_plain_content_with_limit(limit) {
        Ok(data) => Some(data),
        Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. })) => None,
        Err(_) => Some(Vec::new()),
    }
}

/// A rectangle `[x0 y0 x1 y1]`, normalised so that x0 < x1 and y0 < y1.
fn rect(doc: &Document, object: &Object) -> Option<[f32; 4]> {
    let array = deref(doc, object).as_array().ok()?;
    let n: Vec<f32> = array
        .iter()
        .filter_map(|o| deref(doc, o).as_float().ok())
        .filter(|v| v.is_finite())
        .map(|v| v.clamp(-MAX_COORD, MAX_COORD))
        .collect();
    let [a, b, c, d] = n[..] else { return None };
    let r = [a.min(c), b.min(d), a.max(c), b.max(d)];
    (r[2] - r[0] >= 1.0 && r[3] - r[1] >= 1.0).then_some(r)
}

/// An inline image (`BI … ID data EI`, as the lexer hands it over) as a stream with the
/// abbreviated keys and names written out, so that it decodes like an XObject.
fn inline_image(segment: &[u8]) -> Option<Stream> {
    let bi = find_word(segment, b"BI", 0)?;
    let id = find_word(segment, b"ID", bi + 2)?;
    let dict = parse_inline_dict(&segment[bi + 2..id])?;
    // One white-space byte after `ID`; the data ends before the white space before `EI`.
    let data_start = (id + 3).min(segment.len());
    let mut data_end = segment.len().saturating_sub(2).max(data_start);
    if data_end > data_start && segment[data_end - 1].is_ascii_whitespace() {
        data_end -= 1;
    }
    Some(Stream::new(dict, segment[data_start..data_end].to_vec()))
}

fn find_word(data: &[u8], word: &[u8], from: usize) -> Option<usize> {
    let delimiter = |c: u8| c.is_ascii_whitespace() || b"()<>[]{}/%".contains(&c);
    (from..data.len().saturating_sub(word.len() - 1)).find(|&i| {
        &data[i..i + word.len()] == word
            && (i == 0 || delimiter(data[i - 1]))
            && data.get(i + word.len()).is_none_or(|&c| delimiter(c))
    })
}

/// Parses the key–value pairs of an inline image dictionary, expanding abbreviations.
fn parse_inline_dict(bytes: &[u8]) -> Option<Dictionary> {
    let mut tokens = InlineTokens { bytes, pos: 0 };
    let mut dict = Dictionary::new();
    while let Some(key) = tokens.next() {
        let Object::Name(key) = key else { continue };
        let value = tokens.value(0)?;
        dict.set(expand_key(&key), expand_value(value));
    }
    Some(dict)
}

fn expand_key(key: &[u8]) -> Vec<u8> {
    match key {
        b"W" => b"Width".to_vec(),
        b"H" => b"Height".to_vec(),
        b"BPC" => b"BitsPerComponent".to_vec(),
        b"CS" => b"ColorSpace".to_vec(),
        b"D" => b"Decode".to_vec(),
        b"DP" => b"DecodeParms".to_vec(),
        b"F" => b"Filter".to_vec(),
        b"IM" => b"ImageMask".to_vec(),
        b"I" => b"Interpolate".to_vec(),
        other => other.to_vec(),
    }
}

fn expand_value(value: Object) -> Object {
    match value {
        Object::Name(name) => Object::Name(
            match name.as_slice() {
                b"G" => &b"DeviceGray"[..],
                b"RGB" => b"DeviceRGB",
                b"CMYK" => b"DeviceCMYK",
                b"I" => b"Indexed",
                b"AHx" => b"ASCIIHexDecode",
                b"A85" => b"ASCII85Decode",
                b"LZW" => b"LZWDecode",
                b"Fl" => b"FlateDecode",
                b"RL" => b"RunLengthDecode",
                b"CCF" => b"CCITTFaxDecode",
                b"DCT" => b"DCTDecode",
                other => other,
            }
            .to_vec(),
        ),
        Object::Array(items) => Object::Array(items.into_iter().map(expand_value).collect()),
        other => other,
    }
}

/// The few kinds of token an inline image dictionary holds.
struct InlineTokens<'a> {
    bytes: &'a [u8],
    pos: usize,
}

/// Markers of the inline tokenizer, outside the values a dictionary can hold.
const ARRAY_END: &[u8] = b"]";
const DICT_END: &[u8] = b">>";

impl InlineTokens<'_> {
    /// A value, nested arrays and dictionaries included (at most 8 deep).
    fn value(&mut self, depth: usize) -> Option<Object> {
        let token = self.next()?;
        if depth > 8 {
            return None;
        }
        match token {
            Object::String(open, _) if open == b"[" => {
                let mut items = Vec::new();
                loop {
                    match self.peek_end(ARRAY_END) {
                        true => return Some(Object::Array(items)),
                        false => items.push(self.value(depth + 1)?),
                    }
                }
            }
            Object::String(open, _) if open == b"<<" => {
                let mut dict = Dictionary::new();
                loop {
                    if self.peek_end(DICT_END) {
                        return Some(Object::Dictionary(dict));
                    }
                    let Object::Name(key) = self.next()? else {
                        return None;
                    };
                    let value = self.value(depth + 1)?;
                    dict.set(expand_key(&key), expand_value(value));
                }
            }
            other => Some(other),
        }
    }

    /// Consumes `end` when it comes next.
    fn peek_end(&mut self, end: &[u8]) -> bool {
        while self.pos < self.bytes.len() && self.bytes[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
        if self.bytes[self.pos..].starts_with(end) {
            self.pos += end.len();
            true
        } else {
            self.pos >= self.bytes.len()
        }
    }

    /// The next token: a name, a number, a boolean, or an opening bracket (as a string
    /// holding the bracket, which no value of an inline dictionary is).
    fn next(&mut self) -> Option<Object> {
        let bytes = self.bytes;
        while self.pos < bytes.len() && bytes[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
        let start = self.pos;
        let c = *bytes.get(start)?;
        let regular = |c: u8| !c.is_ascii_whitespace() && !b"()<>[]{}/%".contains(&c);
        match c {
            b'/' => {
                self.pos += 1;
                while self.pos < bytes.len() && regular(bytes[self.pos]) {
                    self.pos += 1;
                }
                Some(Object::Name(bytes[start + 1..self.pos].to_vec()))
            }
            b'[' => {
                self.pos += 1;
                Some(Object::String(b"[".to_vec(), lopdf::StringFormat::Literal))
            }
            b'<' if bytes.get(start + 1) == Some(&b'<') => {
                self.pos += 2;
                Some(Object::String(b"<<".to_vec(), lopdf::StringFormat::Literal))
            }
            _ => {
                self.pos += 1;
                while self.pos < bytes.len() && regular(bytes[self.pos]) {
                    self.pos += 1;
                }
                let word = &bytes[start..self.pos];
                Some(match word {
                    b"true" => Object::Boolean(true),
                    b"false" => Object::Boolean(false),
                    _ => match std::str::from_utf8(word)
                        .ok()
                        .and_then(|w| w.parse::<f64>().ok())
                    {
                        Some(n) if n.fract() == 0.0 && n.abs() < 1e15 => Object::Integer(n as i64),
                        Some(n) => Object::Real(n as f32),
                        None => Object::Null,
                    },
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotated_pages_map_their_top_left_corner_to_the_origin() {
        let page = |rotate| Geometry {
            x0: 0.0,
            y0: 0.0,
            x1: 600.0,
            y1: 800.0,
            rotate,
        };
        // The corner a viewer shows at the top left, for each rotation.
        for (rotate, corner, size) in [
            (0, (0.0, 800.0), (600.0, 800.0)),
            (90, (0.0, 0.0), (800.0, 600.0)),
            (180, (600.0, 0.0), (600.0, 800.0)),
            (270, (600.0, 800.0), (800.0, 600.0)),
        ] {
            let g = page(rotate);
            let m = g.pixels_of(2.0);
            let (x, y) = m.apply(corner.0, corner.1);
            assert!(x.abs() < 1e-3 && y.abs() < 1e-3, "{rotate}: {x} {y}");
            assert_eq!(g.shown(), size);
            // The opposite corner lands at the far end of the picture.
            let [bx0, by0, bx1, by1] = Affine([600.0, 0.0, 0.0, 800.0, 0.0, 0.0])
                .then(&m)
                .unit_bounds();
            assert_eq!((bx0, by0), (0.0, 0.0), "{rotate}");
            assert_eq!((bx1, by1), (size.0 * 2.0, size.1 * 2.0), "{rotate}");
        }
    }

    #[test]
    fn inverse_undoes_the_matrix() {
        let m = Affine([0.0, 300.0, -200.0, 0.0, 50.0, 60.0]);
        let inv = m.invert().unwrap();
        let (x, y) = m.apply(0.25, 0.75);
        let (u, v) = inv.apply(x, y);
        assert!((u - 0.25).abs() < 1e-5 && (v - 0.75).abs() < 1e-5);
        assert!(Affine([1.0, 2.0, 2.0, 4.0, 0.0, 0.0]).invert().is_none());
    }

    #[test]
    fn inline_image_keys_and_names_are_written_out() {
        let segment = b"BI /W 4 /H 2 /BPC 8 /CS /G /F [/AHx] /DP << /K -1 /Columns 4 >> /IM false\nID 00112233445566>\nEI";
        let image = inline_image(segment).unwrap();
        let dict = &image.dict;
        assert_eq!(dict.get(b"Width").unwrap().as_i64().unwrap(), 4);
        assert_eq!(dict.get(b"BitsPerComponent").unwrap().as_i64().unwrap(), 8);
        assert_eq!(
            dict.get(b"ColorSpace").unwrap().as_name().unwrap(),
            b"DeviceGray"
        );
        let filters = dict.get(b"Filter").unwrap().as_array().unwrap();
        assert_eq!(filters[0].as_name().unwrap(), b"ASCIIHexDecode");
        let parms = dict.get(b"DecodeParms").unwrap().as_dict().unwrap();
        assert_eq!(parms.get(b"K").unwrap().as_i64().unwrap(), -1);
        assert!(!dict.get(b"ImageMask").unwrap().as_bool().unwrap());
        assert_eq!(image.content, b"00112233445566>");
    }

    #[test]
    fn broken_inline_dictionary_gives_no_image_and_no_panic() {
        for segment in [
            &b"BI /W [ [ [ ID x EI"[..],
            b"BI ID EI",
            b"BI /W",
            b"BI << << ID \nEI",
        ] {
            let _ = inline_image(segment);
        }
    }
}
