//! A picture of a scanned page, as a file Tesseract reads.
//!
//! Where a page is one image that Tesseract can read as it is stored, the image's bytes
//! are passed through: a JPEG placed upright as a `.jpg`, JPEG 2000 as a `.jp2`, and a
//! CCITT fax image wrapped in a minimal TIFF whose `Orientation` tag says how the page
//! shows it (Leptonica honours the tag). Everything else is drawn: each image decoded to
//! grey (raw, Flate, LZW and RunLength samples in any colour space; JPEG through
//! `zune-jpeg`; JBIG2 through `jbig2dec`), `/Decode` applied, soft masks, stencil masks
//! and explicit masks honoured (a scanner's mixed-raster page has its text in the mask),
//! and painted where its matrix and the page's `/Rotate` put it, onto one grey canvas,
//! written as a PGM.
//!
//! Every step is bounded: pixels of each image and of the canvas, decompressed bytes
//! (the PDF limits), the deadline between images and for `jbig2dec`. A page that cannot
//! be drawn gets a reason, never a guess.

use super::images::{Affine, Draw, Geometry, decode, dimensions};
use super::limits::Limits;
use super::objects::deref;
use crate::extract::Deadline;
use crate::extract::ocr::{self, Engine, Failure};
use lopdf::{Dictionary, Document, Object, Stream};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Pixels of the canvas one page is drawn on (A4 at 400 dpi is 15.5 million).
pub const MAX_PAGE_PIXELS: u64 = 36_000_000;

/// Pixels of one image decoded (a 600 dpi A3 scan is 35 million).
pub const MAX_IMAGE_PIXELS: u64 = 64_000_000;

/// Resolutions of the canvas: what the images have, within what Tesseract reads best.
const MIN_DPI: f32 = 72.0;
const MAX_DPI: f32 = 400.0;

/// Memory `jbig2dec` may use, in bytes.
const JBIG2DEC_MEMORY: u64 = 256 << 20;

/// A picture of a page, ready for Tesseract.
#[derive(Debug)]
pub struct PageImage {
    pub path: PathBuf,
    /// Pixels per inch on the page, for Tesseract's `--dpi`.
    pub dpi: u32,
}

/// Draws (or passes through) the images of a page into a file in `dir`.
pub fn page_image(
    doc: &Document,
    draws: &[&Draw<'_>],
    page: &Geometry,
    engine: &Engine,
    limits: &Limits,
    dir: &Path,
    deadline: Deadline,
) -> Result<PageImage, Failure> {
    if let [draw] = draws
        && let Some(image) = pass_through(doc, draw, page, limits, dir)?
    {
        return Ok(image);
    }
    let dpi = draws
        .iter()
        .map(|d| effective_dpi(doc, d))
        .fold(MIN_DPI, f32::max)
        .min(MAX_DPI);
    let (shown_w, shown_h) = page.shown();
    let mut scale = dpi / 72.0;
    let pixels = |s: f32| ((shown_w * s).ceil().max(1.0), (shown_h * s).ceil().max(1.0));
    let (w, h) = pixels(scale);
    if f64::from(w) * f64::from(h) > MAX_PAGE_PIXELS as f64 {
        scale *= (MAX_PAGE_PIXELS as f64 / (f64::from(w) * f64::from(h))).sqrt() as f32;
    }
    let (w, h) = pixels(scale);
    let mut canvas = Plane {
        width: w as usize,
        height: h as usize,
        data: vec![255; w as usize * h as usize],
    };
    let to_pixels = page.pixels_of(scale);
    let mut painted = 0;
    let mut skipped: Vec<String> = Vec::new();
    for draw in draws {
        if deadline.expired() {
            return Err(Failure::Timeout);
        }
        match picture(doc, draw, engine, limits, dir, deadline) {
            Ok(picture) => {
                paint(&mut canvas, &draw.ctm.then(&to_pixels), &picture);
                painted += 1;
            }
            Err(Failure::Timeout) => return Err(Failure::Timeout),
            Err(Failure::Failed(why)) => {
                if !skipped.contains(&why) {
                    skipped.push(why);
                }
            }
        }
    }
    if painted == 0 {
        return Err(Failure::Failed(if skipped.is_empty() {
            "no image to read".into()
        } else {
            skipped.join("; ")
        }));
    }
    let path = dir.join("page.pgm");
    write_pgm(&path, &canvas)
        .map_err(|e| Failure::Failed(format!("cannot write a temporary file: {e}")))?;
    Ok(PageImage {
        path,
        dpi: (scale * 72.0).round() as u32,
    })
}

/// Pixels per inch of an image (or its larger mask) where it is placed.
pub fn effective_dpi(doc: &Document, draw: &Draw<'_>) -> f32 {
    let [a, b, c, d, ..] = draw.ctm.0;
    let area = (a * d - b * c).abs();
    if area < 1e-3 {
        return MIN_DPI;
    }
    ((draw.pixels(doc) as f32 / area).sqrt() * 72.0).clamp(1.0, 10_000.0)
}

/// The filters of a stream, in decoding order, with their parameters.
fn filters(doc: &Document, dict: &Dictionary) -> (Vec<Vec<u8>>, Vec<Option<Dictionary>>) {
    let names: Vec<Vec<u8>> = match dict.get(b"Filter").map(|f| deref(doc, f)) {
        Ok(Object::Name(name)) => vec![name.clone()],
        Ok(Object::Array(items)) => items
            .iter()
            .filter_map(|i| deref(doc, i).as_name().ok().map(<[u8]>::to_vec))
            .collect(),
        _ => Vec::new(),
    };
    let parms: Vec<Option<Dictionary>> = match dict.get(b"DecodeParms").map(|p| deref(doc, p)) {
        Ok(Object::Dictionary(d)) => vec![Some(d.clone())],
        Ok(Object::Array(items)) => items
            .iter()
            .map(|i| deref(doc, i).as_dict().ok().cloned())
            .collect(),
        _ => Vec::new(),
    };
    (names, parms)
}

/// The codec an image ends with, if it is one we do not decode through lopdf.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Codec {
    None,
    Jpeg,
    Jpx,
    Ccitt,
    Jbig2,
}

/// Splits an image stream into its codec and the bytes before it (through the generic
/// filters, within the stream limit), with the codec's parameters.
fn codec_data(
    doc: &Document,
    stream: &Stream,
    limits: &Limits,
) -> Result<(Codec, Vec<u8>, Option<Dictionary>), Failure> {
    let (names, parms) = filters(doc, &stream.dict);
    let codec = match names.last().map(Vec::as_slice) {
        Some(b"DCTDecode" | b"DCT") => Codec::Jpeg,
        Some(b"JPXDecode") => Codec::Jpx,
        Some(b"CCITTFaxDecode" | b"CCF") => Codec::Ccitt,
        Some(b"JBIG2Decode") => Codec::Jbig2,
        _ => Codec::None,
    };
    let generic = if codec == Codec::None {
        names.len()
    } else {
        names.len() - 1
    };
    for name in &names[..generic] {
        if !matches!(
            name.as_slice(),
            b"FlateDecode"
                | b"LZWDecode"
                | b"ASCII85Decode"
                | b"ASCIIHexDecode"
                | b"RunLengthDecode"
        ) {
            return Err(Failure::Failed(format!(
                "images with the filter {} are not supported",
                String::from_utf8_lossy(name)
            )));
        }
    }
    let codec_parms = if codec == Codec::None {
        None
    } else {
        parms.get(generic).cloned().flatten()
    };
    let data = if generic == 0 {
        stream.content.clone()
    } else {
        let mut dict = Dictionary::new();
        dict.set(
            "Filter",
            Object::Array(
                names[..generic]
                    .iter()
                    .map(|n| Object::Name(n.clone()))
                    .collect(),
            ),
        );
        dict.set(
            "DecodeParms",
            Object::Array(
                (0..generic)
                    .map(|i| {
                        parms
                            .get(i)
                            .cloned()
                            .flatten()
                            .map_or(Object::Null, Object::Dictionary)
                    })
                    .collect(),
            ),
        );
        let inner = Stream::new(dict, stream.content.clone());
        decode(doc, &inner, limits.stream_bytes).ok_or_else(|| {
            Failure::Failed("an image is over the decompression limit (--max-stream-mib)".into())
        })?
    };
    Ok((codec, data, codec_parms))
}

/// How an image's rows and columns land on the page picture, as a TIFF `Orientation`
/// (1 = upright, 3 = upside down, 6 and 8 = quarter turns, 2, 4, 5, 7 = mirrored).
fn orientation(m: &Affine) -> u16 {
    let [a, b, c, d, ..] = m.0;
    // Row 0 of the image is at the top of its unit square (v = 1), so it lies where the
    // v axis (c, d) points; column 0 lies opposite to where the u axis (a, b) points.
    let row0 = if c.abs() > d.abs() {
        if c > 0.0 { 'R' } else { 'L' }
    } else if d < 0.0 {
        'T'
    } else {
        'B'
    };
    let col0 = if a.abs() > b.abs() {
        if a > 0.0 { 'L' } else { 'R' }
    } else if b > 0.0 {
        'T'
    } else {
        'B'
    };
    match (row0, col0) {
        ('T', 'R') => 2,
        ('B', 'R') => 3,
        ('B', 'L') => 4,
        ('L', 'T') => 5,
        ('R', 'T') => 6,
        ('R', 'B') => 7,
        ('L', 'B') => 8,
        _ => 1,
    }
}

/// Whether an image's `/Decode` swaps dark and light (`[1 0]` and the like).
fn decode_inverted(doc: &Document, dict: &Dictionary) -> bool {
    dict.get(b"Decode")
        .ok()
        .and_then(|d| deref(doc, d).as_array().ok())
        .and_then(|a| {
            let n: Vec<f32> = a.iter().filter_map(|o| o.as_float().ok()).collect();
            Some(n.first()? > n.get(1)?)
        })
        .unwrap_or(false)
}

fn flag(doc: &Document, dict: &Dictionary, key: &[u8]) -> bool {
    dict.get(key)
        .ok()
        .and_then(|v| deref(doc, v).as_bool().ok())
        .unwrap_or(false)
}

fn has_mask(doc: &Document, dict: &Dictionary) -> bool {
    dict.has(b"SMask")
        || dict
            .get(b"Mask")
            .is_ok_and(|m| deref(doc, m).as_stream().is_ok())
}

/// A lone image Tesseract can read as it is, written to `dir`; `None` when it must be
/// drawn instead.
fn pass_through(
    doc: &Document,
    draw: &Draw<'_>,
    page: &Geometry,
    limits: &Limits,
    dir: &Path,
) -> Result<Option<PageImage>, Failure> {
    let stream = &*draw.image;
    let dict = &stream.dict;
    let Some((w, h)) = dimensions(doc, dict) else {
        return Ok(None);
    };
    if has_mask(doc, dict) || u64::from(w) * u64::from(h) > MAX_PAGE_PIXELS {
        return Ok(None);
    }
    let to_pixels = draw.ctm.then(&page.pixels_of(1.0));
    let turn = orientation(&to_pixels);
    let dpi = effective_dpi(doc, draw).round().clamp(50.0, 1200.0) as u32;
    let space = colour_space(doc, dict.get(b"ColorSpace").ok(), draw.resources, 0);
    let image_mask = flag(doc, dict, b"ImageMask");
    let (codec, data, parms) = match codec_data(doc, stream, limits) {
        Ok(found) if found.0 != Codec::None && found.0 != Codec::Jbig2 => found,
        _ => return Ok(None),
    };
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.join(name);
        std::fs::write(&path, bytes)
            .map(|_| path)
            .map_err(|e| Failure::Failed(format!("cannot write a temporary file: {e}")))
    };
    match codec {
        Codec::Jpeg => {
            let plain = matches!(space, Ok(Space::Gray | Space::Rgb));
            let size = jpeg_size(&data);
            let fits = size.is_some_and(|(w, h)| (w as u64) * (h as u64) <= MAX_PAGE_PIXELS);
            if turn != 1 || !plain || decode_inverted(doc, dict) || !fits {
                return Ok(None);
            }
            let path = write("page.jpg", &data)?;
            Ok(Some(PageImage { path, dpi }))
        }
        Codec::Jpx => {
            // Tesseract finds lines turned a quarter by itself; only the data is ours.
            let path = write("page.jp2", &data)?;
            Ok(Some(PageImage { path, dpi }))
        }
        Codec::Ccitt => {
            if !(image_mask || matches!(space, Ok(Space::Gray))) {
                return Ok(None);
            }
            let parms = parms.unwrap_or_default();
            let int = |key: &[u8], default: i64| {
                parms
                    .get(key)
                    .ok()
                    .and_then(|v| deref(doc, v).as_i64().ok())
                    .unwrap_or(default)
            };
            let black_is_1 = flag(doc, &parms, b"BlackIs1");
            let tiff = ccitt_tiff(
                &data,
                CcittParams {
                    width: u32::try_from(int(b"Columns", i64::from(w))).unwrap_or(w),
                    height: h,
                    k: int(b"K", 0),
                    byte_align: flag(doc, &parms, b"EncodedByteAlign"),
                    // Black runs show black unless exactly one of these flips them.
                    inverted: black_is_1 != decode_inverted(doc, dict),
                    orientation: turn,
                    dpi,
                },
            );
            let path = write("page.tif", &tiff)?;
            Ok(Some(PageImage { path, dpi }))
        }
        Codec::None | Codec::Jbig2 => Ok(None),
    }
}

/// Width and height from a JPEG's frame header, without decoding it.
fn jpeg_size(data: &[u8]) -> Option<(usize, usize)> {
    let mut decoder = zune_jpeg::JpegDecoder::new(std::io::Cursor::new(data));
    decoder.decode_headers().ok()?;
    decoder.dimensions()
}

/// What the CCITT TIFF wrapper needs to know.
struct CcittParams {
    width: u32,
    height: u32,
    k: i64,
    byte_align: bool,
    inverted: bool,
    orientation: u16,
    dpi: u32,
}

/// A one-strip little-endian TIFF around CCITT fax data (T.4 or T.6, as `/K` says).
fn ccitt_tiff(data: &[u8], p: CcittParams) -> Vec<u8> {
    const SHORT: u16 = 3;
    const LONG: u16 = 4;
    const RATIONAL: u16 = 5;
    let (compression, t4) = if p.k < 0 {
        (4u32, None)
    } else {
        (
            3u32,
            Some(u32::from(p.k > 0) | if p.byte_align { 4 } else { 0 }),
        )
    };
    let mut entries: Vec<(u16, u16, u32)> = vec![
        (256, LONG, p.width),
        (257, LONG, p.height),
        (258, SHORT, 1),
        (259, SHORT, compression),
        (262, SHORT, u32::from(p.inverted)),
        (273, LONG, 0), // strip offset, set below
        (274, SHORT, u32::from(p.orientation)),
        (277, SHORT, 1),
        (278, LONG, p.height),
        (279, LONG, data.len() as u32),
        (282, RATIONAL, 0), // x resolution, set below
        (283, RATIONAL, 0),
        (296, SHORT, 2),
    ];
    if let Some(options) = t4 {
        entries.push((292, LONG, options));
    }
    entries.sort_by_key(|e| e.0);
    let ifd_len = 2 + entries.len() * 12 + 4;
    let rational_at = 8 + ifd_len;
    let data_at = rational_at + 8;
    let mut out = Vec::with_capacity(data_at + data.len());
    out.extend_from_slice(b"II*\0");
    out.extend_from_slice(&8u32.to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    for (tag, kind, value) in entries {
        out.extend_from_slice(&tag.to_le_bytes());
        out.extend_from_slice(&kind.to_le_bytes());
        out.extend_from_slice(&1u32.to_le_bytes());
        let value = match tag {
            273 => data_at as u32,
            282 | 283 => rational_at as u32,
            _ => value,
        };
        if kind == SHORT {
            out.extend_from_slice(&(value as u16).to_le_bytes());
            out.extend_from_slice(&[0, 0]);
        } else {
            out.extend_from_slice(&value.to_le_bytes());
        }
    }
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(&p.dpi.to_le_bytes());
    out.extend_from_slice(&1u32.to_le_bytes());
    out.extend_from_slice(data);
    out
}

/// One channel of 8-bit samples, row by row from the top.
#[derive(Debug, Clone, PartialEq)]
pub struct Plane {
    pub width: usize,
    pub height: usize,
    pub data: Vec<u8>,
}

impl Plane {
    /// The sample at (u, v) of the unit square, v = 1 being the top row.
    fn at(&self, u: f32, v: f32) -> u8 {
        let x = ((u * self.width as f32) as usize).min(self.width - 1);
        let y = (((1.0 - v) * self.height as f32) as usize).min(self.height - 1);
        self.data[y * self.width + x]
    }
}

/// A decoded image: its grey (none for a stencil mask, which paints black) and where it
/// paints (255 everywhere when it has no mask).
#[derive(Debug)]
pub struct Picture {
    grey: Option<Plane>,
    alpha: Option<Plane>,
}

/// Paints a picture whose unit square `m` maps to canvas pixels.
fn paint(canvas: &mut Plane, m: &Affine, picture: &Picture) {
    let Some(inverse) = m.invert() else { return };
    let [x0, y0, x1, y1] = m.unit_bounds();
    let clip = |v: f32, max: usize| (v.max(0.0) as usize).min(max);
    let (x0, x1) = (
        clip(x0.floor(), canvas.width),
        clip(x1.ceil(), canvas.width),
    );
    let (y0, y1) = (
        clip(y0.floor(), canvas.height),
        clip(y1.ceil(), canvas.height),
    );
    for y in y0..y1 {
        let row = &mut canvas.data[y * canvas.width..(y + 1) * canvas.width];
        for (x, pixel) in row.iter_mut().enumerate().take(x1).skip(x0) {
            let (u, v) = inverse.apply(x as f32 + 0.5, y as f32 + 0.5);
            if !(0.0..1.0).contains(&u) || !(0.0..1.0).contains(&v) {
                continue;
            }
            let colour = picture.grey.as_ref().map_or(0, |g| g.at(u, v));
            match picture.alpha.as_ref().map_or(255, |a| a.at(u, v)) {
                0 => {}
                255 => *pixel = colour,
                a => {
                    let a = u32::from(a);
                    *pixel = ((u32::from(*pixel) * (255 - a) + u32::from(colour) * a) / 255) as u8;
                }
            }
        }
    }
}

/// Decodes an image with its masks.
fn picture(
    doc: &Document,
    draw: &Draw<'_>,
    engine: &Engine,
    limits: &Limits,
    dir: &Path,
    deadline: Deadline,
) -> Result<Picture, Failure> {
    let stream = &*draw.image;
    let dict = &stream.dict;
    let cx = Cx {
        doc,
        engine,
        limits,
        dir,
        deadline,
        resources: draw.resources,
    };
    if flag(doc, dict, b"ImageMask") {
        return Ok(Picture {
            grey: None,
            alpha: Some(cx.plane(stream, Kind::Stencil)?),
        });
    }
    let grey = cx.plane(stream, Kind::Colour)?;
    let mask = |key: &[u8]| {
        dict.get(key)
            .ok()
            .and_then(|m| deref(doc, m).as_stream().ok())
    };
    // A mask that does not decode is left out: the image then shows whole, as in a viewer
    // that cannot read the mask either.
    let alpha = if let Some(soft) = mask(b"SMask") {
        cx.plane(soft, Kind::Soft).ok()
    } else if let Some(stencil) = mask(b"Mask") {
        cx.plane(stencil, Kind::Stencil).ok()
    } else {
        None
    };
    Ok(Picture {
        grey: Some(grey),
        alpha,
    })
}

/// What the samples of an image stand for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Colours, turned to grey (0 black, 255 white).
    Colour,
    /// A stencil (`/ImageMask`, `/Mask`): 255 where it paints.
    Stencil,
    /// A soft mask (`/SMask`): its grey is the opacity.
    Soft,
}

/// What decoding an image needs besides the image.
struct Cx<'a, 'd> {
    doc: &'d Document,
    engine: &'a Engine,
    limits: &'a Limits,
    dir: &'a Path,
    deadline: Deadline,
    resources: Option<&'d Dictionary>,
}

impl Cx<'_, '_> {
    fn plane(&self, stream: &Stream, kind: Kind) -> Result<Plane, Failure> {
        let doc = self.doc;
        let dict = &stream.dict;
        let (width, height) = dimensions(doc, dict)
            .ok_or_else(|| Failure::Failed("an image without a width or height".into()))?;
        if u64::from(width) * u64::from(height) > MAX_IMAGE_PIXELS {
            return Err(Failure::Failed(format!(
                "an image of {width}×{height} pixels is over the limit of {MAX_IMAGE_PIXELS}"
            )));
        }
        let (width, height) = (width as usize, height as usize);
        let inverted = decode_inverted(doc, dict);
        let (codec, data, parms) = codec_data(doc, stream, self.limits)?;
        let space = match kind {
            Kind::Colour => colour_space(doc, dict.get(b"ColorSpace").ok(), self.resources, 0)
                .map_err(Failure::Failed)?,
            Kind::Stencil | Kind::Soft => Space::Gray,
        };
        match codec {
            Codec::Jpeg => {
                let mut grey = jpeg_grey(&data).map_err(Failure::Failed)?;
                if inverted {
                    grey.data.iter_mut().for_each(|p| *p = 255 - *p);
                }
                Ok(match kind {
                    Kind::Colour | Kind::Soft => grey,
                    Kind::Stencil => threshold(grey),
                })
            }
            Codec::Jbig2 => {
                let bits = self.jbig2(&data, parms.as_ref(), width, height)?;
                // jbig2dec writes 1 for black; the PDF filter gives 0 for black.
                let samples: Vec<u8> = bits.iter().map(|b| !b).collect();
                Ok(unpack(
                    &samples, width, height, 1, &space, kind, inverted, dict, doc,
                ))
            }
            Codec::Ccitt => Err(Failure::Failed(
                "a CCITT image drawn with other images is not supported".into(),
            )),
            Codec::Jpx => Err(Failure::Failed(
                "a JPEG 2000 image drawn with other images is not supported".into(),
            )),
            Codec::None => {
                let bpc = match kind {
                    Kind::Stencil => 1,
                    _ => dict
                        .get(b"BitsPerComponent")
                        .ok()
                        .and_then(|b| deref(doc, b).as_i64().ok())
                        .unwrap_or(8),
                };
                if ![1, 2, 4, 8, 16].contains(&bpc) {
                    return Err(Failure::Failed(format!(
                        "an image with {bpc} bits per component"
                    )));
                }
                Ok(unpack(
                    &data,
                    width,
                    height,
                    bpc as usize,
                    &space,
                    kind,
                    inverted,
                    dict,
                    doc,
                ))
            }
        }
    }

    /// Decodes JBIG2 data with `jbig2dec` into packed rows, 1 for black, as PBM has them.
    fn jbig2(
        &self,
        data: &[u8],
        parms: Option<&Dictionary>,
        width: usize,
        height: usize,
    ) -> Result<Vec<u8>, Failure> {
        let Some(program) = &self.engine.jbig2dec else {
            return Err(Failure::Failed(
                "a JBIG2 image needs jbig2dec (apt-get install jbig2dec)".into(),
            ));
        };
        let dir = tempfile::Builder::new()
            .prefix("jbig2-")
            .tempdir_in(self.dir)
            .map_err(|e| Failure::Failed(format!("cannot make a temporary folder: {e}")))?;
        let write = |name: &str, bytes: &[u8]| {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes)
                .map(|_| path)
                .map_err(|e| Failure::Failed(format!("cannot write a temporary file: {e}")))
        };
        let globals = parms
            .and_then(|p| p.get(b"JBIG2Globals").ok())
            .and_then(|g| deref(self.doc, g).as_stream().ok())
            .and_then(|g| decode(self.doc, g, self.limits.stream_bytes));
        let mut command = ocr::quiet(program);
        command.args(["-e", "-q", "-t", "pbm", "-M"]);
        command.arg(JBIG2DEC_MEMORY.to_string());
        let output = dir.path().join("page.pbm");
        command.arg("-o").arg(&output);
        if let Some(globals) = globals {
            command.arg(write("globals.jb2", &globals)?);
        }
        command.arg(write("page.jb2", data)?);
        let child = command
            .spawn()
            .map_err(|e| Failure::Failed(format!("cannot start jbig2dec: {e}")))?;
        let status = ocr::wait(child, self.deadline)?;
        let pbm = std::fs::read(&output).unwrap_or_default();
        let (w, h, rows) = parse_pbm(&pbm).ok_or_else(|| {
            Failure::Failed(format!("jbig2dec could not decode an image ({status})"))
        })?;
        let row_bytes = width.div_ceil(8);
        // The page may be taller or shorter than the image says (end-of-stripe data);
        // what is missing is white.
        let mut out = vec![0u8; row_bytes * height];
        let have = w.div_ceil(8);
        for y in 0..height.min(h) {
            let n = row_bytes.min(have);
            out[y * row_bytes..y * row_bytes + n].copy_from_slice(&rows[y * have..y * have + n]);
        }
        Ok(out)
    }
}

/// A grey picture as a stencil: dark paints.
fn threshold(mut grey: Plane) -> Plane {
    grey.data
        .iter_mut()
        .for_each(|p| *p = if *p < 128 { 255 } else { 0 });
    grey
}

/// Decodes a JPEG to grey.
fn jpeg_grey(data: &[u8]) -> Result<Plane, String> {
    use zune_jpeg::zune_core::colorspace::ColorSpace;
    use zune_jpeg::zune_core::options::DecoderOptions;
    let side = (MAX_IMAGE_PIXELS as usize).min(65_535);
    let options = DecoderOptions::default()
        .set_max_width(side)
        .set_max_height(side);
    let mut decoder = zune_jpeg::JpegDecoder::new_with_options(std::io::Cursor::new(data), options);
    decoder
        .decode_headers()
        .map_err(|e| format!("a JPEG image does not decode: {e}"))?;
    let (width, height) = decoder.dimensions().unwrap_or((0, 0));
    if width == 0 || height == 0 || (width * height) as u64 > MAX_IMAGE_PIXELS {
        return Err(format!(
            "a JPEG image of {width}×{height} pixels is over the limit of {MAX_IMAGE_PIXELS}"
        ));
    }
    let luma = matches!(
        decoder.input_colorspace(),
        Some(ColorSpace::YCbCr | ColorSpace::Luma)
    );
    decoder.set_options(options.jpeg_set_out_colorspace(if luma {
        ColorSpace::Luma
    } else {
        ColorSpace::RGB
    }));
    let pixels = decoder
        .decode()
        .map_err(|e| format!("a JPEG image does not decode: {e}"))?;
    let data = if luma {
        pixels
    } else {
        pixels
            .chunks_exact(3)
            .map(|p| luma_of(p[0], p[1], p[2]))
            .collect()
    };
    if data.len() != width * height {
        return Err("a JPEG image decodes to the wrong size".into());
    }
    Ok(Plane {
        width,
        height,
        data,
    })
}

fn luma_of(r: u8, g: u8, b: u8) -> u8 {
    ((u32::from(r) * 299 + u32::from(g) * 587 + u32::from(b) * 114) / 1000) as u8
}

/// A colour space, as far as grey needs it.
#[derive(Debug, Clone, PartialEq)]
enum Space {
    Gray,
    Rgb,
    Cmyk,
    /// L*a*b*: the lightness is the grey.
    Lab,
    /// A palette over a base space: `hival + 1` entries of the base's components.
    Indexed {
        base: Box<Space>,
        hival: usize,
        lookup: Vec<u8>,
    },
    /// Separation and DeviceN: `n` inks; the first one's tint darkens.
    Tint(usize),
}

impl Space {
    fn components(&self) -> usize {
        match self {
            Space::Gray | Space::Indexed { .. } => 1,
            Space::Rgb | Space::Lab => 3,
            Space::Cmyk => 4,
            Space::Tint(n) => (*n).max(1),
        }
    }

    /// Grey (0 black … 1 white) of components already mapped through `/Decode`.
    fn grey(&self, c: &[f32]) -> f32 {
        let at = |i: usize| c.get(i).copied().unwrap_or(0.0).clamp(0.0, 1.0);
        match self {
            Space::Gray => at(0),
            Space::Rgb => 0.299 * at(0) + 0.587 * at(1) + 0.114 * at(2),
            Space::Cmyk => 1.0 - (0.3 * at(0) + 0.59 * at(1) + 0.11 * at(2) + at(3)).min(1.0),
            Space::Lab => (c.first().copied().unwrap_or(0.0) / 100.0).clamp(0.0, 1.0),
            Space::Tint(_) => 1.0 - at(0),
            Space::Indexed {
                base,
                hival,
                lookup,
            } => {
                let index =
                    (c.first().copied().unwrap_or(0.0).round().max(0.0) as usize).min(*hival);
                let n = base.components();
                let entry: Vec<f32> = (0..n)
                    .map(|k| {
                        let byte = lookup.get(index * n + k).copied().unwrap_or(0);
                        if **base == Space::Lab && k == 0 {
                            f32::from(byte) * 100.0 / 255.0
                        } else {
                            f32::from(byte) / 255.0
                        }
                    })
                    .collect();
                base.grey(&entry)
            }
        }
    }

    /// The `/Decode` ranges when the image gives none.
    fn default_decode(&self, bpc: usize) -> Vec<(f32, f32)> {
        match self {
            Space::Indexed { .. } => vec![(0.0, ((1u32 << bpc.min(16)) - 1) as f32)],
            Space::Lab => vec![(0.0, 100.0), (-128.0, 127.0), (-128.0, 127.0)],
            other => vec![(0.0, 1.0); other.components()],
        }
    }
}

/// Resolves a colour space object (a name, a resource name or an array).
fn colour_space(
    doc: &Document,
    object: Option<&Object>,
    resources: Option<&Dictionary>,
    depth: usize,
) -> Result<Space, String> {
    let Some(object) = object.map(|o| deref(doc, o)) else {
        return Ok(Space::Gray);
    };
    if depth > 4 {
        return Err("a colour space nested too deep".into());
    }
    let (family, args): (&[u8], &[Object]) = match object {
        Object::Name(name) => (name, &[]),
        Object::Array(items) => match items.first().map(|f| deref(doc, f)) {
            Some(Object::Name(name)) => (name, &items[1..]),
            _ => return Err("an image with an unreadable colour space".into()),
        },
        _ => return Err("an image with an unreadable colour space".into()),
    };
    Ok(match family {
        b"DeviceGray" | b"CalGray" | b"G" => Space::Gray,
        b"DeviceRGB" | b"CalRGB" | b"RGB" => Space::Rgb,
        b"DeviceCMYK" | b"CMYK" => Space::Cmyk,
        b"Lab" => Space::Lab,
        b"ICCBased" => {
            let n = args
                .first()
                .and_then(|s| deref(doc, s).as_stream().ok())
                .and_then(|s| s.dict.get(b"N").ok())
                .and_then(|n| deref(doc, n).as_i64().ok())
                .unwrap_or(3);
            match n {
                1 => Space::Gray,
                4 => Space::Cmyk,
                _ => Space::Rgb,
            }
        }
        b"Indexed" | b"I" => {
            let base = colour_space(doc, args.first(), resources, depth + 1)?;
            let hival = args
                .get(1)
                .and_then(|h| deref(doc, h).as_i64().ok())
                .unwrap_or(255)
                .clamp(0, 4095) as usize;
            let lookup = match args.get(2).map(|l| deref(doc, l)) {
                Some(Object::String(bytes, _)) => bytes.clone(),
                Some(Object::Stream(stream)) => decode(doc, stream, 1 << 20).unwrap_or_default(),
                _ => Vec::new(),
            };
            Space::Indexed {
                base: Box::new(base),
                hival,
                lookup,
            }
        }
        b"Separation" => Space::Tint(1),
        b"DeviceN" => Space::Tint(
            args.first()
                .and_then(|n| deref(doc, n).as_array().ok())
                .map_or(1, Vec::len),
        ),
        b"Pattern" => return Err("an image in a pattern colour space".into()),
        name => {
            // A name of the page's /ColorSpace resources.
            let named = resources
                .and_then(|r| r.get(b"ColorSpace").ok())
                .and_then(|c| deref(doc, c).as_dict().ok())
                .and_then(|c| c.get(name).ok());
            match named {
                Some(inner) => colour_space(doc, Some(inner), resources, depth + 1)?,
                None => {
                    return Err(format!(
                        "an image in the unknown colour space {}",
                        String::from_utf8_lossy(name)
                    ));
                }
            }
        }
    })
}

/// Unpacks packed samples (rows padded to whole bytes) into one 8-bit plane of `kind`.
#[allow(clippy::too_many_arguments)]
fn unpack(
    data: &[u8],
    width: usize,
    height: usize,
    bpc: usize,
    space: &Space,
    kind: Kind,
    inverted: bool,
    dict: &Dictionary,
    doc: &Document,
) -> Plane {
    let n = space.components();
    let row_bytes = (width * n * bpc).div_ceil(8);
    let max = ((1u32 << bpc.min(16)) - 1) as f32;
    let ranges: Vec<(f32, f32)> = dict
        .get(b"Decode")
        .ok()
        .and_then(|d| deref(doc, d).as_array().ok())
        .map(|a| {
            let v: Vec<f32> = a.iter().filter_map(|o| o.as_float().ok()).collect();
            v.chunks_exact(2).map(|p| (p[0], p[1])).collect::<Vec<_>>()
        })
        .filter(|r| r.len() >= n)
        .unwrap_or_else(|| space.default_decode(bpc));
    let sample = |row: &[u8], index: usize| -> u32 {
        match bpc {
            8 => u32::from(row.get(index).copied().unwrap_or(0)),
            16 => {
                u32::from(row.get(index * 2).copied().unwrap_or(0)) << 8
                    | u32::from(row.get(index * 2 + 1).copied().unwrap_or(0))
            }
            _ => {
                let bit = index * bpc;
                let byte = row.get(bit / 8).copied().unwrap_or(0);
                u32::from(byte >> (8 - bpc - bit % 8)) & ((1 << bpc) - 1)
            }
        }
    };
    let value = |components: &[f32]| -> u8 {
        match kind {
            Kind::Colour | Kind::Soft => (space.grey(components) * 255.0).round() as u8,
            // Stencils paint where the sample is 0 (`/Decode [0 1]`), or 1 when inverted.
            Kind::Stencil => {
                if (components[0] >= 0.5) == inverted {
                    255
                } else {
                    0
                }
            }
        }
    };
    // One component of up to 8 bits: a table of every sample value.
    let table: Option<Vec<u8>> = (n == 1 && bpc <= 8).then(|| {
        (0..=max as u32)
            .map(|s| {
                let raw = s as f32;
                let mapped = if kind == Kind::Stencil {
                    raw
                } else {
                    ranges[0].0 + raw * (ranges[0].1 - ranges[0].0) / max
                };
                value(&[mapped])
            })
            .collect()
    });
    let mut out = vec![255u8; width * height];
    let mut components = vec![0f32; n];
    let rows = data.len() / row_bytes.max(1);
    for y in 0..height.min(rows) {
        let row = &data[y * row_bytes..(y + 1) * row_bytes];
        let line = &mut out[y * width..(y + 1) * width];
        for (x, pixel) in line.iter_mut().enumerate() {
            if let Some(table) = &table {
                *pixel = table[sample(row, x) as usize];
                continue;
            }
            for (k, c) in components.iter_mut().enumerate() {
                let raw = sample(row, x * n + k) as f32;
                let (lo, hi) = ranges[k];
                *c = lo + raw * (hi - lo) / max;
            }
            *pixel = value(&components);
        }
    }
    Plane {
        width,
        height,
        data: out,
    }
}

/// A binary PBM (`P4`): width, height and the packed rows, 1 for black.
fn parse_pbm(bytes: &[u8]) -> Option<(usize, usize, &[u8])> {
    let mut fields = Vec::new();
    let mut pos = 0;
    while fields.len() < 3 {
        // White space and comments between the fields.
        loop {
            match bytes.get(pos)? {
                c if c.is_ascii_whitespace() => pos += 1,
                b'#' => {
                    while *bytes.get(pos)? != b'\n' {
                        pos += 1;
                    }
                }
                _ => break,
            }
        }
        let start = pos;
        while bytes.get(pos).is_some_and(|c| !c.is_ascii_whitespace()) {
            pos += 1;
        }
        fields.push(&bytes[start..pos]);
    }
    if fields[0] != b"P4" {
        return None;
    }
    let number = |f: &[u8]| std::str::from_utf8(f).ok()?.parse::<usize>().ok();
    let (w, h) = (number(fields[1])?, number(fields[2])?);
    let rows = bytes.get(pos + 1..)?;
    (w > 0 && h > 0 && rows.len() >= w.div_ceil(8) * h).then_some((w, h, rows))
}

fn write_pgm(path: &Path, plane: &Plane) -> std::io::Result<()> {
    let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
    write!(file, "P5\n{} {}\n255\n", plane.width, plane.height)?;
    file.write_all(&plane.data)?;
    file.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orientation_of_upright_turned_and_mirrored_images() {
        // Unit square to pixels of a 100×200 picture, y down.
        let upright = Affine([100.0, 0.0, 0.0, -200.0, 0.0, 200.0]);
        assert_eq!(orientation(&upright), 1);
        let upside_down = Affine([-100.0, 0.0, 0.0, 200.0, 100.0, 0.0]);
        assert_eq!(orientation(&upside_down), 3);
        // Turned a quarter clockwise to be read: row 0 on the right, column 0 at the top.
        let quarter = Affine([0.0, 200.0, 100.0, 0.0, 0.0, 0.0]);
        assert_eq!(orientation(&quarter), 6);
        let three_quarters = Affine([0.0, -200.0, -100.0, 0.0, 100.0, 200.0]);
        assert_eq!(orientation(&three_quarters), 8);
        let mirrored = Affine([-100.0, 0.0, 0.0, -200.0, 100.0, 200.0]);
        assert_eq!(orientation(&mirrored), 2);
    }

    #[test]
    fn tiff_wrapper_has_sorted_tags_and_the_data_at_its_offset() {
        let data = [0xAA, 0xBB, 0xCC];
        let tiff = ccitt_tiff(
            &data,
            CcittParams {
                width: 1728,
                height: 10,
                k: -1,
                byte_align: false,
                inverted: false,
                orientation: 6,
                dpi: 200,
            },
        );
        assert_eq!(&tiff[..4], b"II*\0");
        let count = u16::from_le_bytes([tiff[8], tiff[9]]) as usize;
        let tags: Vec<u16> = (0..count)
            .map(|i| u16::from_le_bytes([tiff[10 + i * 12], tiff[11 + i * 12]]))
            .collect();
        assert!(tags.windows(2).all(|w| w[0] < w[1]), "{tags:?}");
        assert!(!tags.contains(&292), "T.6 has no T4Options");
        let entry = |tag: u16| {
            let i = tags.iter().position(|t| *t == tag).unwrap();
            let at = 10 + i * 12 + 8;
            u32::from_le_bytes(tiff[at..at + 4].try_into().unwrap())
        };
        assert_eq!(entry(259) & 0xffff, 4);
        assert_eq!(entry(274) & 0xffff, 6);
        let offset = entry(273) as usize;
        assert_eq!(&tiff[offset..], &data);
        assert_eq!(entry(279) as usize, data.len());
    }

    #[test]
    fn pbm_header_with_a_comment_is_read() {
        let pbm = b"P4\n# jbig2dec\n10 2\n\xff\xc0\x00\x00";
        let (w, h, rows) = parse_pbm(pbm).unwrap();
        assert_eq!((w, h), (10, 2));
        assert_eq!(rows, b"\xff\xc0\x00\x00");
        assert!(parse_pbm(b"P4\n10 2\n\xff").is_none(), "short data");
        assert!(parse_pbm(b"P5\n1 1\n255\n\x00").is_none());
    }

    fn doc() -> Document {
        Document::with_version("1.5")
    }

    #[test]
    fn one_bit_grey_with_and_without_an_inverting_decode() {
        let doc = doc();
        let mut dict = Dictionary::new();
        let plane = unpack(
            &[0b1010_0000],
            4,
            1,
            1,
            &Space::Gray,
            Kind::Colour,
            false,
            &dict,
            &doc,
        );
        assert_eq!(plane.data, [255, 0, 255, 0]);
        dict.set("Decode", vec![Object::Integer(1), Object::Integer(0)]);
        let plane = unpack(
            &[0b1010_0000],
            4,
            1,
            1,
            &Space::Gray,
            Kind::Colour,
            true,
            &dict,
            &doc,
        );
        assert_eq!(plane.data, [0, 255, 0, 255]);
    }

    #[test]
    fn stencil_paints_zeros_unless_inverted() {
        let doc = doc();
        let dict = Dictionary::new();
        let paint = |inverted| {
            unpack(
                &[0b0110_0000],
                4,
                1,
                1,
                &Space::Gray,
                Kind::Stencil,
                inverted,
                &dict,
                &doc,
            )
            .data
        };
        assert_eq!(paint(false), [255, 0, 0, 255]);
        assert_eq!(paint(true), [0, 255, 255, 0]);
    }

    #[test]
    fn rgb_cmyk_and_palette_become_grey() {
        let doc = doc();
        let dict = Dictionary::new();
        let rgb = unpack(
            &[255, 255, 255, 0, 0, 0, 255, 0, 0],
            3,
            1,
            8,
            &Space::Rgb,
            Kind::Colour,
            false,
            &dict,
            &doc,
        );
        assert_eq!(rgb.data, [255, 0, 76]);
        let cmyk = unpack(
            &[0, 0, 0, 0, 0, 0, 0, 255],
            2,
            1,
            8,
            &Space::Cmyk,
            Kind::Colour,
            false,
            &dict,
            &doc,
        );
        assert_eq!(cmyk.data, [255, 0]);
        let palette = Space::Indexed {
            base: Box::new(Space::Rgb),
            hival: 1,
            lookup: vec![0, 0, 0, 255, 255, 255],
        };
        let indexed = unpack(
            &[0b0001_0000],
            2,
            1,
            2,
            &palette,
            Kind::Colour,
            false,
            &dict,
            &doc,
        );
        assert_eq!(indexed.data, [0, 255]);
    }

    #[test]
    fn short_data_leaves_the_missing_rows_white() {
        let doc = doc();
        let plane = unpack(
            &[0, 0],
            2,
            3,
            8,
            &Space::Gray,
            Kind::Colour,
            false,
            &Dictionary::new(),
            &doc,
        );
        assert_eq!(plane.data, [0, 0, 255, 255, 255, 255]);
    }

    #[test]
    fn painting_turns_and_masks_the_picture() {
        let mut canvas = Plane {
            width: 2,
            height: 2,
            data: vec![255; 4],
        };
        // A 2×1 picture, black then grey, turned a quarter so that its row runs down the
        // canvas, through a mask that hides its second pixel: black on the top row only.
        let picture = Picture {
            grey: Some(Plane {
                width: 2,
                height: 1,
                data: vec![0, 100],
            }),
            alpha: Some(Plane {
                width: 2,
                height: 1,
                data: vec![255, 0],
            }),
        };
        paint(
            &mut canvas,
            &Affine([0.0, 2.0, -2.0, 0.0, 2.0, 0.0]),
            &picture,
        );
        assert_eq!(canvas.data, [0, 0, 255, 255]);
    }
}
