//! The content-stream interpreter: runs a page's operators and records every glyph with
//! its position, size and direction in device space.
//!
//! Only what text needs is modelled: the graphics state stack (`q`/`Q`/`cm`), the text
//! state (`Tc Tw Tz TL Tf Ts Tr`), the text matrices and the text-showing operators, Form
//! XObjects, and marked content for `/ActualText`. Paths, colours and images are skipped.
//!
//! Forms are not run by recursion: each form is a frame on an explicit stack, so a file
//! cannot take the thread's stack however it nests; an ancestor check stops cycles and a
//! depth and count limit stop floods. The deadline is checked every few thousand
//! operators and at every form boundary.

use super::annots::{self, FormDefaults};
use super::font::{Font, FontCache};
use super::guess::Guess;
use super::layout::{GlyphRec, PageGlyphs};
use super::lexer::{Lexer, Op, Tok};
use super::limits::{DEADLINE_EVERY, Limits, MAX_COORD};
use super::objects::deref;
use super::optional::HiddenContent;
use crate::extract::Deadline;
use lopdf::{Dictionary, Document, Object, ObjectId};
use std::borrow::Cow;
use std::sync::Arc;

/// An affine matrix `[a b c d e f]` in PDF's row-vector convention.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Matrix([f32; 6]);

impl Matrix {
    pub const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    /// `self × other`: first apply `self`, then `other`.
    fn then(&self, other: &Matrix) -> Matrix {
        let [a, b, c, d, e, f] = self.0;
        let [a2, b2, c2, d2, e2, f2] = other.0;
        Matrix([
            a * a2 + b * c2,
            a * b2 + b * d2,
            c * a2 + d * c2,
            c * b2 + d * d2,
            e * a2 + f * c2 + e2,
            e * b2 + f * d2 + f2,
        ])
        .sane()
    }

    fn apply(&self, x: f32, y: f32) -> (f32, f32) {
        let [a, b, c, d, e, f] = self.0;
        (x * a + y * c + e, x * b + y * d + f)
    }

    fn translate(tx: f32, ty: f32) -> Matrix {
        Matrix([1.0, 0.0, 0.0, 1.0, tx, ty])
    }

    /// Clamps huge entries and replaces NaN, so that no later sum overflows; a matrix that
    /// was NaN draws nothing visible anyway.
    fn sane(self) -> Matrix {
        Matrix(self.0.map(|v| {
            if v.is_nan() {
                0.0
            } else {
                v.clamp(-MAX_COORD, MAX_COORD)
            }
        }))
    }

    fn from_operands(nums: &[f32]) -> Option<Matrix> {
        let m: [f32; 6] = nums.try_into().ok()?;
        Some(Matrix(m).sane())
    }

    fn from_object(doc: &Document, object: &Object) -> Option<Matrix> {
        let array = deref(doc, object).as_array().ok()?;
        let nums: Vec<f32> = array
            .iter()
            .filter_map(|o| deref(doc, o).as_float().ok())
            .collect();
        Matrix::from_operands(&nums)
    }
}

/// Graphics and text state saved by `q` and restored by `Q`.
#[derive(Clone)]
struct GState {
    ctm: Matrix,
    font: Option<Arc<Font>>,
    size: f32,
    char_space: f32,
    word_space: f32,
    hscale: f32,
    leading: f32,
    rise: f32,
    /// Text render mode (Tr); 3 and 7 draw nothing visible (OCR layers use 3).
    render: u8,
}

impl GState {
    fn new(ctm: Matrix) -> GState {
        GState {
            ctm,
            font: None,
            size: 0.0,
            char_space: 0.0,
            word_space: 0.0,
            hscale: 1.0,
            leading: 0.0,
            rise: 0.0,
            render: 0,
        }
    }
}

/// What happened on a page beyond its glyphs; feeds the document's message.
#[derive(Debug, Default, Clone, Copy)]
pub struct PageFlags {
    pub timed_out: bool,
    pub too_many_operators: bool,
    pub too_many_glyphs: bool,
    pub form_cycle: bool,
    pub form_limit: bool,
    pub over_budget: bool,
}

/// One content stream being run: the page itself or a form inside it.
struct Frame<'d> {
    data: Cow<'d, [u8]>,
    lexer: Lexer,
    resources: Option<&'d Dictionary>,
    form: Option<ObjectId>,
    /// Graphics stack depth when the frame began; restored when it ends.
    saved_depth: usize,
    /// Marked-content depth when the frame began; unbalanced BDCs are closed at its end.
    marked_depth: usize,
}

/// An `/ActualText` span being collected: its text and the extent of the glyphs it hides.
struct ActualSpan {
    text: String,
    first: Option<GlyphRec>,
    end_u: f32,
}

/// Per-document state shared by the pages: fonts and the decompression budget.
pub struct DocContext<'d> {
    pub doc: &'d Document,
    pub fonts: FontCache,
    pub limits: Limits,
    pub deadline: Deadline,
    /// Decompressed bytes still allowed for the rest of the document.
    pub budget: usize,
    /// The interactive form's defaults, for drawing form fields.
    pub form: FormDefaults<'d>,
    /// Optional content the default view hides.
    pub hidden: HiddenContent,
    /// The font for form-field values set without a font of their own; made once.
    fallback: Option<Arc<Font>>,
}

impl<'d> DocContext<'d> {
    pub fn new(doc: &'d Document, limits: Limits, deadline: Deadline) -> Self {
        let budget = limits.document_bytes;
        DocContext {
            doc,
            fonts: FontCache::new(),
            limits,
            deadline,
            budget,
            form: FormDefaults::of(doc),
            hidden: HiddenContent::of(doc),
            fallback: None,
        }
    }

    /// Decodes a stream within the per-stream limit and the document budget. `None`
    /// means over a limit; data that does not decode for another reason reads as empty
    /// (lopdf already keeps what a damaged Flate stream yields before the damage).
    fn decode(&mut self, stream: &'d lopdf::Stream) -> Option<Cow<'d, [u8]>> {
        let limit = self.limits.stream_bytes.min(self.budget);
        if let Some(copy) = indirect_filters(self.doc, stream) {
            let data = match copy.get_plain_content_with_limit(limit) {
                Ok(data) => data,
                Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded {
                    ..
                })) => return None,
                Err(_) => Vec::new(),
            };
            self.budget -= data.len();
            return Some(Cow::Owned(data));
        }
        let unfiltered = stream.dict.get(b"Filter").is_err();
        let data = if unfiltered {
            if stream.content.len() > limit {
                return None;
            }
            Cow::Borrowed(stream.content.as_slice())
        } else {
            match stream.get_plain_content_with_limit(limit) {
                Ok(data) => Cow::Owned(data),
                Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded {
                    ..
                })) => {
                    return None;
                }
                Err(_) => Cow::Borrowed(&[][..]),
            }
        };
        self.budget -= data.len();
        Some(data)
    }
}

/// lopdf reads `/Filter` and `/DecodeParms` only when written directly in the stream
/// dictionary; some writers (SAP) refer to them. Returns a copy with them resolved.
fn indirect_filters(doc: &Document, stream: &lopdf::Stream) -> Option<lopdf::Stream> {
    let indirect = |key: &[u8]| matches!(stream.dict.get(key), Ok(Object::Reference(_)));
    if !indirect(b"Filter") && !indirect(b"DecodeParms") {
        return None;
    }
    let mut dict = stream.dict.clone();
    for key in [&b"Filter"[..], b"DecodeParms"] {
        if let Ok(value) = stream.dict.get(key) {
            dict.set(key, deref(doc, value).clone());
        }
    }
    Some(lopdf::Stream::new(dict, stream.content.clone()))
}

/// Runs one page and appends its glyphs to `out`.
pub fn run_page<'d>(
    cx: &mut DocContext<'d>,
    page: &'d Dictionary,
    resources: Option<&'d Dictionary>,
    out: &mut PageGlyphs,
) -> PageFlags {
    let mut flags = PageFlags::default();
    let cx_doc = cx.doc;
    let data = match page_content(cx, page) {
        Some(data) => data,
        None => {
            flags.over_budget = true;
            return flags;
        }
    };
    let mut run = Interpreter::new(cx, out);
    run.clip = super::pages::visible_box(cx_doc, page);
    run.frames.push(Frame {
        data,
        lexer: Lexer::default(),
        resources,
        form: None,
        saved_depth: 0,
        marked_depth: 0,
    });
    run.run(&mut flags);
    if !(flags.timed_out || flags.too_many_operators || flags.too_many_glyphs) {
        run.annotations(page, resources, &mut flags);
    }
    flags
}

/// The page's content streams, decoded and joined by newlines.
fn page_content<'d>(cx: &mut DocContext<'d>, page: &'d Dictionary) -> Option<Cow<'d, [u8]>> {
    let doc = cx.doc;
    let Ok(contents) = page.get(b"Contents") else {
        return Some(Cow::Borrowed(&[]));
    };
    let mut streams: Vec<&'d lopdf::Stream> = Vec::new();
    match deref(doc, contents) {
        Object::Stream(stream) => streams.push(stream),
        Object::Array(items) => {
            for item in items {
                if let Ok(stream) = deref(doc, item).as_stream() {
                    streams.push(stream);
                }
            }
        }
        _ => {}
    }
    if streams.len() == 1 {
        return cx.decode(streams[0]);
    }
    let mut joined = Vec::new();
    for stream in streams {
        joined.extend_from_slice(&cx.decode(stream)?);
        // Streams of one page are split anywhere, but never inside a token.
        joined.push(b'\n');
    }
    Some(Cow::Owned(joined))
}

struct Interpreter<'c, 'd> {
    cx: &'c mut DocContext<'d>,
    out: &'c mut PageGlyphs,
    frames: Vec<Frame<'d>>,
    gs: GState,
    stack: Vec<GState>,
    /// `q` operators beyond the depth limit, so that their `Q` pops nothing.
    overflow: usize,
    tm: Matrix,
    tlm: Matrix,
    operands: Vec<Tok>,
    arena: Vec<u8>,
    nums: Vec<f32>,
    /// Marked-content sections; `Some` for those carrying `/ActualText`.
    marked: Vec<Option<ActualSpan>>,
    marked_overflow: usize,
    /// Depth in `marked` of the outermost section of hidden optional content, while one
    /// is open: its glyphs are not on the page.
    hidden_at: Option<usize>,
    /// The page's visible box (crop box within media box) in default user space, as
    /// `[x0, y0, x1, y1]`: glyphs wholly outside it are not on the page either.
    clip: Option<[f32; 4]>,
    /// The glyph being drawn has a guessed text (see `guess`): its font's address and
    /// the character.
    guessing: Option<(usize, char)>,
    /// Depth in `marked` of the outermost ActualText span, while one is open.
    actual_at: Option<usize>,
    /// A space glyph was drawn (its direction and where along the baseline it began) and
    /// no glyph since: the next one has a space before it if the pen moved forward.
    space_pending: Option<(u8, f32)>,
    operators: u64,
    forms: u32,
    glyphs_full: bool,
    /// Drawing annotations: glyphs without text (check marks, button decorations) are
    /// dropped uncounted, so that they cannot make the page's own text look unmapped.
    in_annots: bool,
}

impl<'c, 'd> Interpreter<'c, 'd> {
    fn new(cx: &'c mut DocContext<'d>, out: &'c mut PageGlyphs) -> Self {
        Interpreter {
            cx,
            out,
            frames: Vec::new(),
            gs: GState::new(Matrix::IDENTITY),
            stack: Vec::new(),
            overflow: 0,
            tm: Matrix::IDENTITY,
            tlm: Matrix::IDENTITY,
            operands: Vec::with_capacity(64),
            arena: Vec::with_capacity(256),
            nums: Vec::with_capacity(8),
            marked: Vec::new(),
            marked_overflow: 0,
            hidden_at: None,
            clip: None,
            guessing: None,
            actual_at: None,
            space_pending: None,
            operators: 0,
            forms: 0,
            glyphs_full: false,
            in_annots: false,
        }
    }

    fn run(&mut self, flags: &mut PageFlags) {
        while let Some(frame) = self.frames.last_mut() {
            self.operands.clear();
            self.arena.clear();
            let Some(op) = frame
                .lexer
                .next_op(&frame.data, &mut self.operands, &mut self.arena)
            else {
                self.end_frame();
                continue;
            };
            self.operators += 1;
            if self.operators >= self.cx.limits.page_operators {
                flags.too_many_operators = true;
                return;
            }
            if self.operators.is_multiple_of(DEADLINE_EVERY) && self.cx.deadline.expired() {
                flags.timed_out = true;
                return;
            }
            self.operator(op, flags);
            if self.glyphs_full {
                flags.too_many_glyphs = true;
                return;
            }
            if flags.timed_out {
                return;
            }
        }
    }

    fn end_frame(&mut self) {
        let Some(frame) = self.frames.pop() else {
            return;
        };
        while self.marked.len() > frame.marked_depth {
            self.end_marked();
        }
        if frame.form.is_some() {
            self.stack.truncate(frame.saved_depth + 1);
            if let Some(gs) = self.stack.pop() {
                self.gs = gs;
            }
        }
    }

    /// The operands as numbers (non-numbers skipped), in `self.nums`.
    fn numbers(&mut self) -> &[f32] {
        self.nums.clear();
        for tok in &self.operands {
            if let Tok::Num(n) = tok {
                self.nums.push(*n);
            }
        }
        &self.nums
    }

    fn last_num(&self) -> Option<f32> {
        match self.operands.last() {
            Some(Tok::Num(n)) => Some(*n),
            _ => None,
        }
    }

    fn last_name(&self) -> Option<&[u8]> {
        self.operands.iter().rev().find_map(|t| match *t {
            Tok::Name(s, e) => Some(&self.arena[s as usize..e as usize]),
            _ => None,
        })
    }

    fn operator(&mut self, op: Op, flags: &mut PageFlags) {
        match op {
            Op::BeginText => {
                self.tm = Matrix::IDENTITY;
                self.tlm = Matrix::IDENTITY;
            }
            Op::Save => {
                if self.stack.len() < self.cx.limits.state_depth {
                    self.stack.push(self.gs.clone());
                } else {
                    self.overflow += 1;
                }
            }
            Op::Restore => {
                let floor = self.frames.last().map_or(0, |f| {
                    if f.form.is_some() {
                        f.saved_depth + 1
                    } else {
                        0
                    }
                });
                if self.overflow > 0 {
                    self.overflow -= 1;
                } else if self.stack.len() > floor
                    && let Some(gs) = self.stack.pop()
                {
                    self.gs = gs;
                }
            }
            Op::Concat => {
                if let Some(m) = Matrix::from_operands(self.numbers()) {
                    self.gs.ctm = m.then(&self.gs.ctm);
                }
            }
            Op::CharSpace => {
                if let Some(v) = self.last_num() {
                    self.gs.char_space = v;
                }
            }
            Op::WordSpace => {
                if let Some(v) = self.last_num() {
                    self.gs.word_space = v;
                }
            }
            Op::HScale => {
                if let Some(v) = self.last_num() {
                    self.gs.hscale = v / 100.0;
                }
            }
            Op::Leading => {
                if let Some(v) = self.last_num() {
                    self.gs.leading = v;
                }
            }
            Op::Rise => {
                if let Some(v) = self.last_num() {
                    self.gs.rise = v;
                }
            }
            Op::Render => {
                if let Some(v) = self.last_num() {
                    self.gs.render = v.clamp(0.0, 7.0) as u8;
                }
            }
            Op::Font => self.set_font(),
            Op::MoveText | Op::MoveTextLeading => {
                if let [tx, ty] = *self.numbers() {
                    if op == Op::MoveTextLeading {
                        self.gs.leading = -ty;
                    }
                    self.tlm = Matrix::translate(tx, ty).then(&self.tlm);
                    self.tm = self.tlm;
                }
            }
            Op::SetMatrix => {
                if let Some(m) = Matrix::from_operands(self.numbers()) {
                    self.tm = m;
                    self.tlm = m;
                }
            }
            Op::NextLine => self.next_line(),
            Op::ShowText => self.show_operands(),
            Op::ShowArray => self.show_operands(),
            Op::NextLineShow => {
                self.next_line();
                self.show_operands();
            }
            Op::NextLineSpacedShow => {
                if let [aw, ac, ..] = *self.numbers() {
                    self.gs.word_space = aw;
                    self.gs.char_space = ac;
                }
                self.next_line();
                self.show_operands();
            }
            Op::Do => self.do_xobject(flags),
            Op::BeginMarkedProps => self.begin_marked(true),
            Op::BeginMarked => self.begin_marked(false),
            Op::EndMarked => self.end_marked(),
            Op::EndText | Op::InlineImage | Op::Other => {}
        }
    }

    fn next_line(&mut self) {
        self.tlm = Matrix::translate(0.0, -self.gs.leading).then(&self.tlm);
        self.tm = self.tlm;
    }

    fn set_font(&mut self) {
        if let Some(size) = self.last_num() {
            self.gs.size = size;
        }
        let doc = self.cx.doc;
        let resources = self.frames.last().and_then(|f| f.resources);
        let entry = self.last_name().and_then(|name| {
            let fonts = resources?.get(b"Font").ok()?;
            deref(doc, fonts).as_dict().ok()?.get(name).ok()
        });
        self.gs.font = Some(match entry {
            Some(entry) => self.cx.fonts.get(doc, entry),
            None => Arc::new(Font::fallback()),
        });
    }

    /// Shows the string operands (Tj, ', ") or the array operand (TJ) with its offsets.
    fn show_operands(&mut self) {
        let font = match &self.gs.font {
            Some(font) => font.clone(),
            None => {
                // Text before any Tf: readers use a default font; so do we.
                let font = Arc::new(Font::fallback());
                self.gs.font = Some(font.clone());
                font
            }
        };
        let size = self.gs.size;
        let hscale = self.gs.hscale;
        let vertical = font.vertical();
        let full = self.tm.then(&self.gs.ctm);
        let mut advance = 0.0f32;
        // Take the operands and their bytes out, so that glyph emission can borrow `self`
        // mutably while the font decodes them; both go back afterwards (no allocation).
        let operands = std::mem::take(&mut self.operands);
        let arena = std::mem::take(&mut self.arena);
        let mut in_array = false;
        for tok in &operands {
            match *tok {
                Tok::ArrOpen => in_array = true,
                Tok::ArrClose => in_array = false,
                Tok::Num(n) if in_array => {
                    // TJ offsets are thousandths of text space, against the direction.
                    let shift = -n / 1000.0 * size;
                    advance += if vertical { shift } else { shift * hscale };
                }
                Tok::Str(s, e) => {
                    let bytes = &arena[s as usize..e as usize];
                    font.for_each_glyph(bytes, |glyph| {
                        let width = glyph.width * size;
                        let word = if glyph.word_space {
                            self.gs.word_space
                        } else {
                            0.0
                        };
                        let (x, y) = if vertical {
                            (0.0, advance + self.gs.rise)
                        } else {
                            (advance, self.gs.rise)
                        };
                        let mut buf = [0u8; 4];
                        let guess = match glyph.text {
                            None => font.unicode_guess(glyph.code),
                            Some(_) => None,
                        };
                        let text = match guess {
                            Some(c) => Some(&*c.encode_utf8(&mut buf)),
                            None => glyph.text,
                        };
                        self.guessing = guess.map(|c| (Arc::as_ptr(&font) as usize, c));
                        self.emit(&full, &font, x, y, width * hscale, text);
                        self.guessing = None;
                        let step = width + self.gs.char_space + word;
                        // Vertical: ty = w1 × Tfs + Tc + Tw, with w1 the (negative)
                        // vertical advance; `width` holds it as a downward distance.
                        advance += if vertical {
                            -width + self.gs.char_space + word
                        } else {
                            step * hscale
                        };
                    });
                }
                _ => {}
            }
        }
        self.operands = operands;
        self.arena = arena;
        let (dx, dy) = if vertical {
            (0.0, advance)
        } else {
            (advance, 0.0)
        };
        self.tm = Matrix::translate(dx, dy).then(&self.tm);
    }

    /// Records one glyph of `font` drawn at text-space point (x, y) under `full`
    /// (Tm × CTM).
    fn emit(&mut self, full: &Matrix, font: &Font, x: f32, y: f32, width: f32, text: Option<&str>) {
        let [a, b, c, d, _, _] = full.0;
        let (px, py) = full.apply(x, y);
        // The font size in device space: Tf through the matrix's vertical scale. A Type3
        // font's em is what its FontMatrix makes of its glyph units, not always the size.
        let text_size = self.gs.size.abs() * (c * c + d * d).sqrt();
        let size = text_size * font.em();
        let scale = (a * a + b * b).sqrt();
        if !(px.is_finite() && py.is_finite() && size.is_finite() && scale.is_finite()) {
            return;
        }
        // Direction of the baseline in device space. Vertical writing advances down the
        // glyph's y axis. A negative font size turns the glyphs half round and sends the pen backwards:
        // the text reads the other way along the matrix's axis.
        let (ux, uy) = if font.vertical() { (-c, -d) } else { (a, b) };
        let (ux, uy) = if self.gs.size < 0.0 {
            (-ux, -uy)
        } else {
            (ux, uy)
        };
        let (dir, (u, v)) = direction(ux, uy, px, py);
        let size = size.clamp(0.01, MAX_COORD);
        // The glyph's box across the baseline from the font's ascent and descent, kept
        // within sane bounds of the em: descriptors with 0 or 5000 exist.
        let ascent = (font.ascent() * text_size).clamp(0.5 * size, 1.3 * size);
        let descent = (-font.descent() * text_size).clamp(0.0, 0.6 * size);
        if self.hidden_at.is_some() {
            return;
        }
        let rec = GlyphRec {
            u,
            v,
            w: (width * scale).abs().min(MAX_COORD),
            size,
            ascent,
            descent,
            dir,
            space_before: false,
            // A font that declares no widths (every glyph 1 em, put right by TJ offsets)
            // leaves the gaps between glyph boxes meaningless; there the pen tells: it
            // moved on from where the space glyph began.
            space_sure: font.widths_unknown()
                && self
                    .space_pending
                    .is_some_and(|(d, at)| d == dir && u - at > 0.03 * size),
            raised: self.gs.rise > 0.1 * self.gs.size.abs(),
            start: 0,
            len: 0,
        };
        if let Some(clip) = self.clip
            && outside(&rec, clip)
        {
            return;
        }
        if let Some(at) = self.actual_at {
            // Inside /ActualText: the glyph only widens the span.
            if let Some(Some(span)) = self.marked.get_mut(at) {
                if span.first.is_none() {
                    span.first = Some(rec);
                }
                span.end_u = rec.u + rec.w;
            }
            return;
        }
        match text {
            None if self.in_annots => {}
            // A glyph without text is counted and keeps its place with no text: a
            // ligature the font does not map leaves "sotware", not "so tware" (unless
            // most of its line has no text: see `layout`).
            None => {
                self.out.unmapped += u32::from(!font.has_to_unicode());
                self.out.total += 1;
                self.push(rec, "");
            }
            Some(t) if !t.is_empty() && t.chars().all(char::is_whitespace) => {
                if let Some((font, ch)) = self.guessing {
                    self.out.guesses.push(Guess {
                        font,
                        glyph: None,
                        ch,
                    });
                }
                if self.space_pending.is_none() {
                    self.space_pending = Some((rec.dir, rec.u));
                }
            }
            Some(t) => {
                self.out.total += 1;
                self.out.invisible += u32::from(matches!(self.gs.render, 3 | 7));
                let at = self.out.glyphs.len();
                self.push(rec, t);
                if let Some((font, ch)) = self.guessing
                    && self.out.glyphs.len() > at
                {
                    self.out.guesses.push(Guess {
                        font,
                        glyph: Some(at as u32),
                        ch,
                    });
                }
            }
        }
    }

    fn push(&mut self, mut rec: GlyphRec, text: &str) {
        if self.out.glyphs.len() >= self.cx.limits.page_glyphs {
            self.glyphs_full = true;
            return;
        }
        let pending = self.space_pending.take();
        rec.space_before = pending.is_some();
        let start = self.out.text.len();
        let mut bad = false;
        for ch in text.chars() {
            match ch {
                '\u{fb00}' => self.out.text.push_str("ff"),
                '\u{fb01}' => self.out.text.push_str("fi"),
                '\u{fb02}' => self.out.text.push_str("fl"),
                '\u{fb03}' => self.out.text.push_str("ffi"),
                '\u{fb04}' => self.out.text.push_str("ffl"),
                '\u{fb05}' | '\u{fb06}' => self.out.text.push_str("st"),
                // Controls, private use and the replacement character carry no text we
                // can trust: count the glyph as unmapped instead of emitting noise.
                '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{e000}'..='\u{f8ff}' | '\u{fffd}' => {
                    bad = true
                }
                c if c.is_whitespace() => self.out.text.push(' '),
                c => self.out.text.push(c),
            }
        }
        if bad && self.out.text.len() == start && !text.is_empty() {
            self.out.unmapped += 1;
        }
        rec.start = start as u32;
        rec.len = (self.out.text.len() - start).min(u16::MAX as usize) as u16;
        self.out.glyphs.push(rec);
    }

    fn begin_marked(&mut self, with_props: bool) {
        if self.marked.len() >= self.cx.limits.state_depth {
            self.marked_overflow += 1;
            return;
        }
        let span = if with_props && self.actual_at.is_none() {
            self.actual_text().map(|text| ActualSpan {
                text,
                first: None,
                end_u: 0.0,
            })
        } else {
            None
        };
        if span.is_some() {
            self.actual_at = Some(self.marked.len());
        }
        if with_props && self.hidden_at.is_none() && self.hidden_section() {
            self.hidden_at = Some(self.marked.len());
        }
        self.marked.push(span);
    }

    /// True for `/OC /name BDC` where `name` is optional content the default view hides.
    fn hidden_section(&self) -> bool {
        if self.cx.hidden.is_empty() {
            return false;
        }
        let mut names = self.operands.iter().filter_map(|t| match *t {
            Tok::Name(s, e) => Some(&self.arena[s as usize..e as usize]),
            _ => None,
        });
        if names.next() != Some(b"OC") {
            return false;
        }
        let Some(name) = names.next() else {
            return false;
        };
        let doc = self.cx.doc;
        let oc = self
            .frames
            .last()
            .and_then(|f| f.resources)
            .and_then(|r| r.get(b"Properties").ok())
            .and_then(|p| deref(doc, p).as_dict().ok())
            .and_then(|p| p.get(name).ok());
        oc.is_some_and(|oc| self.cx.hidden.hides(doc, oc))
    }

    /// The `/ActualText` of a BDC's property list, written inline or named in the
    /// resources' `/Properties`.
    fn actual_text(&self) -> Option<String> {
        let mut iter = self
            .operands
            .iter()
            .skip_while(|t| !matches!(t, Tok::DictOpen));
        if iter.next().is_some() {
            let mut prev_key = false;
            for tok in iter {
                match *tok {
                    Tok::Name(s, e) => {
                        prev_key = &self.arena[s as usize..e as usize] == b"ActualText"
                    }
                    Tok::Str(s, e) if prev_key => {
                        let raw = Object::string_literal(&self.arena[s as usize..e as usize]);
                        return lopdf::decode_text_string(&raw).ok();
                    }
                    _ => prev_key = false,
                }
            }
            return None;
        }
        let name = self.last_name()?;
        let doc = self.cx.doc;
        let props = self.frames.last()?.resources?.get(b"Properties").ok()?;
        let dict = deref(doc, deref(doc, props).as_dict().ok()?.get(name).ok()?)
            .as_dict()
            .ok()?;
        lopdf::decode_text_string(deref(doc, dict.get(b"ActualText").ok()?)).ok()
    }

    fn end_marked(&mut self) {
        if self.marked_overflow > 0 {
            self.marked_overflow -= 1;
            return;
        }
        let Some(span) = self.marked.pop() else {
            return;
        };
        if self.hidden_at == Some(self.marked.len()) {
            self.hidden_at = None;
        }
        if self.actual_at == Some(self.marked.len()) {
            self.actual_at = None;
            if let Some(span) = span
                && let Some(mut first) = span.first
            {
                first.w = (span.end_u - first.u).max(0.0);
                self.out.total += 1;
                let text = span.text.replace(char::is_control, "");
                self.push(first, &text);
            }
        }
    }

    fn do_xobject(&mut self, flags: &mut PageFlags) {
        let doc = self.cx.doc;
        let Some(frame) = self.frames.last() else {
            return;
        };
        let Some(name) = self.last_name() else { return };
        let Some(Ok(Object::Reference(id))) = frame
            .resources
            .and_then(|r| r.get(b"XObject").ok())
            .and_then(|x| deref(doc, x).as_dict().ok())
            .map(|x| x.get(name))
        else {
            return;
        };
        let id = *id;
        let Ok(stream) = doc.get_object(id).and_then(Object::as_stream) else {
            return;
        };
        if stream.dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Form") {
            return;
        }
        if let Ok(oc) = stream.dict.get(b"OC")
            && self.cx.hidden.hides(doc, oc)
        {
            return;
        }
        let fallback = frame.resources;
        self.push_form(id, stream, fallback, flags);
    }

    /// Starts running the form `id` as a new frame, inside an implicit `q`/`Q` and with
    /// its `/Matrix` before the current CTM; `fallback` are the resources it uses when it
    /// has none of its own. False when a limit or a cycle keeps it from running.
    fn push_form(
        &mut self,
        id: ObjectId,
        stream: &'d lopdf::Stream,
        fallback: Option<&'d Dictionary>,
        flags: &mut PageFlags,
    ) -> bool {
        let doc = self.cx.doc;
        if self.frames.iter().any(|f| f.form == Some(id)) {
            flags.form_cycle = true;
            return false;
        }
        if self.frames.len() > self.cx.limits.form_depth || self.forms >= self.cx.limits.page_forms
        {
            flags.form_limit = true;
            return false;
        }
        if self.cx.deadline.expired() {
            flags.timed_out = true;
            return false;
        }
        self.forms += 1;
        let Some(data) = self.cx.decode(stream) else {
            flags.over_budget = true;
            return false;
        };
        let resources = stream
            .dict
            .get(b"Resources")
            .ok()
            .and_then(|r| deref(doc, r).as_dict().ok())
            .or(fallback);
        let saved_depth = self.stack.len();
        self.stack.push(self.gs.clone());
        if let Some(m) = stream
            .dict
            .get(b"Matrix")
            .ok()
            .and_then(|m| Matrix::from_object(doc, m))
        {
            self.gs.ctm = m.then(&self.gs.ctm);
        }
        let marked_depth = self.marked.len();
        self.frames.push(Frame {
            data,
            lexer: Lexer::default(),
            resources,
            form: Some(id),
            saved_depth,
            marked_depth,
        });
        true
    }

    /// Draws the page's annotations that show text (see [`annots`]) after its content,
    /// each in a fresh graphics state in the page's default space, within the page's
    /// limits: every annotation counts as an operator, every appearance as a form.
    fn annotations(
        &mut self,
        page: &'d Dictionary,
        page_resources: Option<&'d Dictionary>,
        flags: &mut PageFlags,
    ) {
        let doc = self.cx.doc;
        let list = annots::page_annots(doc, page, &self.cx.form);
        if list.is_empty() {
            return;
        }
        let fallback = self.cx.form.resources.or(page_resources);
        let content_glyphs = self.out.glyphs.len();
        let mut shown: Option<Shown> = None;
        self.in_annots = true;
        for annot in list {
            self.operators += 1;
            if self.operators >= self.cx.limits.page_operators {
                flags.too_many_operators = true;
                break;
            }
            if self.cx.deadline.expired() {
                flags.timed_out = true;
                break;
            }
            self.reset_state();
            let out = &self.out;
            let before = (
                out.glyphs.len(),
                out.text.len(),
                out.total,
                out.unmapped,
                out.invisible,
            );
            if let Some((id, stream)) = annot.appearance {
                self.gs.ctm = appearance_matrix(doc, stream, annot.rect);
                if self.push_form(id, stream, fallback, flags) {
                    self.run(flags);
                }
                if flags.timed_out || flags.too_many_operators || flags.too_many_glyphs {
                    break;
                }
            }
            if self.out.total == before.2
                && let Some(value) = &annot.value
            {
                self.draw_value(value);
                if self.glyphs_full {
                    flags.too_many_glyphs = true;
                    break;
                }
            }
            if self.out.glyphs.len() > before.0 && content_glyphs > 0 {
                let shown = shown.get_or_insert_with(|| Shown::new(self.out, content_glyphs));
                if shown.repeats(self.out, annot.rect, before.0, before.1) {
                    let out = &mut *self.out;
                    out.glyphs.truncate(before.0);
                    out.text.truncate(before.1);
                    (out.total, out.unmapped, out.invisible) = (before.2, before.3, before.4);
                }
            }
        }
        self.in_annots = false;
    }

    /// The state an annotation is drawn in: nothing left over from the page's content.
    fn reset_state(&mut self) {
        self.frames.clear();
        self.stack.clear();
        self.overflow = 0;
        self.gs = GState::new(Matrix::IDENTITY);
        self.tm = Matrix::IDENTITY;
        self.tlm = Matrix::IDENTITY;
        self.space_pending = None;
    }

    /// Draws a field value laid out by [`annots::set_value`] in the fallback font.
    fn draw_value(&mut self, value: &annots::Value) {
        let font = self
            .cx
            .fallback
            .get_or_insert_with(|| Arc::new(Font::fallback()))
            .clone();
        self.gs.size = value.size;
        let mut buf = [0u8; 4];
        for (x, y, line) in &value.lines {
            let full = Matrix::translate(*x, *y);
            let mut advance = 0.0;
            self.space_pending = None;
            for c in line.chars() {
                if self.glyphs_full {
                    return;
                }
                let width = Font::fallback_width(c) * value.size;
                self.emit(
                    &full,
                    &font,
                    advance,
                    0.0,
                    width,
                    Some(&*c.encode_utf8(&mut buf)),
                );
                advance += width;
            }
        }
    }
}

/// The matrix that fits an appearance stream to its annotation's rectangle (PDF
/// 32000-1 §12.5.5): the form's `/BBox`, through its `/Matrix`, bounds a box that is
/// scaled and moved onto `rect`. The form's own matrix is applied after this one, when
/// the form is pushed.
fn appearance_matrix(doc: &Document, stream: &lopdf::Stream, rect: [f32; 4]) -> Matrix {
    let matrix = stream
        .dict
        .get(b"Matrix")
        .ok()
        .and_then(|m| Matrix::from_object(doc, m))
        .unwrap_or(Matrix::IDENTITY);
    let bbox: Vec<f32> = stream
        .dict
        .get(b"BBox")
        .ok()
        .and_then(|b| deref(doc, b).as_array().ok())
        .map(|b| {
            b.iter()
                .filter_map(|o| deref(doc, o).as_float().ok())
                .collect()
        })
        .unwrap_or_default();
    let [r0, r1, r2, r3] = rect;
    let [b0, b1, b2, b3] = <[f32; 4]>::try_from(bbox).unwrap_or([0.0, 0.0, r2 - r0, r3 - r1]);
    let corners = [(b0, b1), (b0, b3), (b2, b1), (b2, b3)].map(|(x, y)| matrix.apply(x, y));
    let (mut lo_x, mut lo_y, mut hi_x, mut hi_y) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
    for (x, y) in corners {
        lo_x = lo_x.min(x);
        lo_y = lo_y.min(y);
        hi_x = hi_x.max(x);
        hi_y = hi_y.max(y);
    }
    // A box without width or height cannot be scaled onto the rectangle: keep its size.
    let scale = |from: f32, to: f32| if from > 1e-3 { to / from } else { 1.0 };
    let sx = scale(hi_x - lo_x, r2 - r0);
    let sy = scale(hi_y - lo_y, r3 - r1);
    Matrix([sx, 0.0, 0.0, sy, r0 - lo_x * sx, r1 - lo_y * sy]).sane()
}

/// The page's own glyphs by position, to tell when an annotation only repeats what the
/// content already shows in its place: a form printed with its fields flattened but
/// kept, a LaTeX button whose caption is also in the page. Drawn twice a little apart,
/// such text would come out interleaved ("SSuubmit").
struct Shown {
    /// `(y, x, glyph)` of each glyph's origin in the page's default space, by `y`.
    points: Vec<(f32, f32, u32)>,
    /// Glyph visits left for this page: the work stays bounded however many fields
    /// crowd one band of the page.
    budget: usize,
}

/// Glyph visits allowed per page for [`Shown::repeats`].
const SHOWN_BUDGET: usize = 4_000_000;
/// How far outside its rectangle the page's copy of a field's text may start (points).
const SHOWN_MARGIN: f32 = 2.0;

impl Shown {
    fn new(out: &PageGlyphs, content_glyphs: usize) -> Shown {
        let mut points: Vec<(f32, f32, u32)> = out.glyphs[..content_glyphs]
            .iter()
            .enumerate()
            .map(|(i, g)| {
                let (x, y) = from_line_space(g.dir, g.u, g.v);
                (y, x, i as u32)
            })
            .collect();
        points.sort_by(|a, b| a.0.total_cmp(&b.0));
        Shown {
            points,
            budget: SHOWN_BUDGET,
        }
    }

    /// True when the text drawn from `text_from` on (the glyphs from `glyph_from` on)
    /// is already in the page's text within `rect`, spaces aside. False when the budget
    /// is spent: then the annotation is kept.
    fn repeats(
        &mut self,
        out: &PageGlyphs,
        rect: [f32; 4],
        glyph_from: usize,
        text_from: usize,
    ) -> bool {
        let drawn: String = out.text[text_from..]
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if drawn.is_empty() || glyph_from > out.glyphs.len() {
            return false;
        }
        let [x0, y0, x1, y1] = rect;
        let low = self.points.partition_point(|p| p.0 < y0 - SHOWN_MARGIN);
        let mut inside: Vec<u32> = Vec::new();
        for &(y, x, i) in &self.points[low..] {
            if y > y1 + SHOWN_MARGIN {
                break;
            }
            if self.budget == 0 {
                return false;
            }
            self.budget -= 1;
            if x >= x0 - SHOWN_MARGIN && x <= x1 + SHOWN_MARGIN {
                inside.push(i);
            }
        }
        inside.sort_unstable();
        let shown: String = inside
            .iter()
            .flat_map(|&i| out.text_of(&out.glyphs[i as usize]).chars())
            .filter(|c| !c.is_whitespace())
            .collect();
        shown.contains(&drawn)
    }
}

/// True when the glyph's box lies wholly outside `clip` (`[x0, y0, x1, y1]`, ordered),
/// with a point of slack for rounding.
fn outside(rec: &GlyphRec, clip: [f32; 4]) -> bool {
    const SLACK: f32 = 1.0;
    let [x0, y0, x1, y1] = clip;
    let corners =
        [(x0, y0), (x0, y1), (x1, y0), (x1, y1)].map(|(x, y)| to_line_space(rec.dir, x, y));
    let (mut u0, mut u1, mut v0, mut v1) = (f32::MAX, f32::MIN, f32::MAX, f32::MIN);
    for (u, v) in corners {
        (u0, u1, v0, v1) = (u0.min(u), u1.max(u), v0.min(v), v1.max(v));
    }
    // Slanted text is placed by its exact angle and the box by its direction's step:
    // a little more slack for the difference.
    let slack = if rec.dir < 4 {
        SLACK
    } else {
        SLACK + 0.02 * (u1 - u0).max(v1 - v0)
    };
    rec.u + rec.w < u0 - slack
        || rec.u > u1 + slack
        || rec.v + rec.descent < v0 - slack
        || rec.v - rec.ascent > v1 + slack
}

/// Baselines within this many degrees of an axis count as that axis: a scan's OCR layer
/// a little askew reads as the level text it is.
const AXIS_SLACK_DEGREES: f32 = 2.0;
/// Slanted baselines are told apart in steps of this many degrees (directions 4 and up).
const SLANT_STEP_DEGREES: f32 = 2.0;

/// The direction of a baseline running along `(ux, uy)` and the point `(x, y)` in its
/// line space. Directions 0 to 3 are quarter turns; a slanted baseline (a sheared text
/// matrix, a diagonal "CONCEPT" across the page) gets a direction of its own, 4 plus its
/// angle in steps, and its points are measured along and across its exact angle, so that
/// its glyphs line up with each other and not with the level text they cross.
fn direction(ux: f32, uy: f32, x: f32, y: f32) -> (u8, (f32, f32)) {
    let degrees = uy.atan2(ux).to_degrees().rem_euclid(360.0);
    let quarter = (degrees / 90.0).round();
    if (degrees - 90.0 * quarter).abs() <= AXIS_SLACK_DEGREES || !degrees.is_finite() {
        let dir = (quarter as u8) % 4;
        return (dir, to_line_space(dir, x, y));
    }
    let step = (degrees / SLANT_STEP_DEGREES).round() as u32 % (360 / SLANT_STEP_DEGREES as u32);
    (4 + step as u8, rotated(degrees, x, y))
}

/// A point in the line space of a baseline at `degrees` (counter-clockwise from the x
/// axis): `u` along it, `v` across it towards the next line.
fn rotated(degrees: f32, x: f32, y: f32) -> (f32, f32) {
    let x = x.clamp(-MAX_COORD, MAX_COORD);
    let y = y.clamp(-MAX_COORD, MAX_COORD);
    let (sin, cos) = degrees.to_radians().sin_cos();
    (x * cos + y * sin, x * sin - y * cos)
}

/// Maps a device point into the coordinates of its direction: `u` along the baseline
/// (reading direction), `v` across it (growing towards the next line).
pub fn to_line_space(dir: u8, x: f32, y: f32) -> (f32, f32) {
    let x = x.clamp(-MAX_COORD, MAX_COORD);
    let y = y.clamp(-MAX_COORD, MAX_COORD);
    match dir {
        0 => (x, -y),
        1 => (y, x),
        2 => (-x, y),
        3 => (-y, -x),
        _ => rotated(f32::from(dir - 4) * SLANT_STEP_DEGREES, x, y),
    }
}

/// The inverse of [`to_line_space`]: a point of a direction's line space back on the
/// page.
fn from_line_space(dir: u8, u: f32, v: f32) -> (f32, f32) {
    match dir {
        0 => (u, -v),
        1 => (v, u),
        2 => (-u, v),
        3 => (-v, -u),
        _ => {
            let (sin, cos) = (f32::from(dir - 4) * SLANT_STEP_DEGREES)
                .to_radians()
                .sin_cos();
            (u * cos + v * sin, u * sin - v * cos)
        }
    }
}
