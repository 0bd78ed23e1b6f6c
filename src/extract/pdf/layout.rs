//! Page layout: turns the glyphs of one page into text in reading order.
//!
//! The steps, each linear or n·log n in the number of glyphs:
//! 1. *Runs*: consecutive glyphs (content order) on one baseline moving forward. Producers
//!    write text in reading order far more often than not, so runs are cheap and usually
//!    whole lines or line parts.
//! 2. *Reading order*: per writing direction (horizontal text first, rotated text after,
//!    never interleaved), an XY-cut over the run boxes. A vertical gutter that splits the
//!    boxes into parts that each hold real lines makes columns, read left to right; else
//!    the widest horizontal gaps split the node top to bottom. Leaves are grouped into
//!    lines by baseline.
//! 3. *Words*: in a line sorted along the baseline, a space where the gap exceeds 0.1 em
//!    (poppler, pdfminer and pdf.js agree on this), none below it; a space glyph separates
//!    unless the gap is under 0.03 em (or, in a font without widths, when the pen moved
//!    on past it: see `content`). Letter-spaced lines (mostly one-letter "words", dot
//!    leaders not counted: see `Layout::spacing`) use poppler's rule: merge below 1.3 ×
//!    the smallest gap, at most 0.4 em, so `V I S I E` reads `VISIE`, but not a row of
//!    letters whose case keeps changing (`a A b B`: see [`one_word`]). A glyph drawn
//!    again at nearly the same place (fake bold) is dropped. A glyph without text (an unmapped ligature) joins the letters around it, unless most
//!    of the line's glyphs have none: then it is left out (see `write_line`).
//!    The baseline jumping into or out of a superscript (a footnote mark) is a word break
//!    too, whatever the gap (see [`script_break`]).
//! 4. *Text*: '\n' between lines, a blank line between blocks, and words hyphenated at a
//!    line end rejoined the Dutch way (see [`append_line`]).

/// One glyph as placed on the page, in the line space of its direction (see
/// `content::to_line_space`): `u` along the baseline, `v` across it (downwards).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GlyphRec {
    pub u: f32,
    pub v: f32,
    /// Advance along the baseline, without character spacing.
    pub w: f32,
    pub size: f32,
    /// Extent of the glyph's box above and below the baseline (both positive), from the
    /// font's ascent and descent.
    pub ascent: f32,
    pub descent: f32,
    /// Direction of the baseline: 0 to 3 in quarter turns counter-clockwise (0 = left to
    /// right), 4 and up for slanted baselines (see `content::direction`).
    pub dir: u8,
    /// A space glyph came right before this one.
    pub space_before: bool,
    /// ... and it surely separates words, whatever the gap (see `content::emit`).
    pub space_sure: bool,
    /// Drawn with an upward text rise (`Ts`) of more than a tenth of the font size: how
    /// some producers set superscripts.
    pub raised: bool,
    /// Byte range of the glyph's text in [`PageGlyphs::text`].
    pub start: u32,
    pub len: u16,
}

/// The glyphs of one page; the buffers are reused from page to page.
#[derive(Debug, Default)]
pub struct PageGlyphs {
    pub glyphs: Vec<GlyphRec>,
    pub text: String,
    /// Glyphs drawn (spaces not counted) and those without known text.
    pub total: u32,
    pub unmapped: u32,
    /// Glyphs with text drawn invisibly (Tr 3 or 7): an OCR layer over a scan, mostly.
    pub invisible: u32,
    /// Glyphs whose text is a guess the page still has to confirm (see `guess`).
    pub guesses: Vec<super::guess::Guess>,
}

impl PageGlyphs {
    /// Keeps the guessed glyphs of each font whose guesses look like writing; the others
    /// lose their text and count as unmapped.
    pub fn settle_guesses(&mut self) {
        if self.guesses.is_empty() {
            return;
        }
        let mut guesses = std::mem::take(&mut self.guesses);
        guesses.sort_by_key(|g| g.font);
        for group in guesses.chunk_by(|a, b| a.font == b.font) {
            let chars: Vec<char> = group.iter().map(|g| g.ch).collect();
            if super::guess::looks_like_writing(&chars) {
                continue;
            }
            for guess in group {
                // A glyph left with no text was counted as unmapped when it was drawn.
                if let Some(i) = guess.glyph
                    && let Some(glyph) = self.glyphs.get_mut(i as usize)
                    && glyph.len > 0
                {
                    glyph.len = 0;
                    self.unmapped += 1;
                }
            }
        }
        self.guesses = guesses;
        self.guesses.clear();
    }

    pub fn clear(&mut self) {
        self.glyphs.clear();
        self.text.clear();
        self.total = 0;
        self.unmapped = 0;
        self.invisible = 0;
        self.guesses.clear();
    }

    pub fn text_of(&self, g: &GlyphRec) -> &str {
        let start = g.start as usize;
        self.text.get(start..start + g.len as usize).unwrap_or("")
    }
}

#[derive(Debug, Clone, Copy)]
struct Run {
    dir: u8,
    u0: f32,
    u1: f32,
    /// Top and bottom of the run's box across the baseline.
    vt: f32,
    vb: f32,
    /// Baseline of the run's first glyph.
    v: f32,
    size: f32,
    start: u32,
    end: u32,
}

/// Depth of the XY-cut beyond which a node is read as one block (a safety net; real
/// pages need a handful of levels).
const MAX_CUT_DEPTH: u32 = 64;

/// Reusable buffers for laying out pages.
#[derive(Debug, Default)]
pub struct Layout {
    runs: Vec<Run>,
    line: String,
    glyph_ids: Vec<u32>,
    kept: Vec<u32>,
    /// Byte ranges of the current line's glyphs and spaces, in order.
    units: Vec<(u32, u32)>,
    /// The would-be words of the current line at the 0.1 em rule: where each starts in
    /// `kept`, and the gap before it in ems (`None` after a space glyph).
    tokens: Vec<(usize, Option<f32>)>,
    /// The page's lines in reading order, their text in `texts`.
    lines: Vec<LineOut>,
    texts: String,
}

/// A finished line, kept until the page's line pitch is known.
#[derive(Debug, Clone, Copy)]
struct LineOut {
    start: usize,
    end: usize,
    dir: u8,
    v: f32,
    size: f32,
}

impl Layout {
    /// Writes the text of `page` to `out` (cleared first).
    pub fn page_text(&mut self, page: &PageGlyphs, out: &mut String) {
        out.clear();
        self.build_runs(page);
        if self.runs.is_empty() {
            return;
        }
        // Directions by glyph count, the dominant one first.
        let mut counts = [0usize; 256];
        for r in &self.runs {
            counts[r.dir as usize] += (r.end - r.start) as usize;
        }
        let mut dirs: Vec<u8> = (0..=255u8).filter(|&d| counts[d as usize] > 0).collect();
        dirs.sort_by_key(|&d| std::cmp::Reverse(counts[d as usize]));
        self.lines.clear();
        self.texts.clear();
        for dir in dirs {
            if counts[dir as usize] == 0 {
                continue;
            }
            let ids: Vec<u32> = (0..self.runs.len() as u32)
                .filter(|&i| self.runs[i as usize].dir == dir)
                .collect();
            self.xy_cut(ids, page);
        }
        self.write_lines(out);
        while out.ends_with(['\n', ' ']) {
            out.pop();
        }
    }

    /// Joins the lines: '\n' within a block, a blank line where a block ends. A block ends
    /// at a change of direction, a move up (a new column), or a gap clearly wider than the
    /// page's usual line pitch (the median, in ems, of the downward steps between lines).
    fn write_lines(&self, out: &mut String) {
        let mut pitches: Vec<f32> = self
            .lines
            .windows(2)
            .filter(|w| w[0].dir == w[1].dir)
            .map(|w| (w[1].v - w[0].v) / w[0].size.max(w[1].size))
            .filter(|p| *p > 0.5 && *p < 4.0)
            .collect();
        let median = if pitches.is_empty() {
            1.2
        } else {
            // The lower median: with few lines, one paragraph gap must not set the pitch.
            let mid = (pitches.len() - 1) / 2;
            *pitches.select_nth_unstable_by(mid, f32::total_cmp).1
        };
        let block_gap = (1.3 * median).max(1.6);
        let mut prev: Option<&LineOut> = None;
        for line in &self.lines {
            let block = prev.map(|p| {
                p.dir != line.dir
                    || line.v < p.v - 0.5 * p.size
                    || line.v - p.v > block_gap * p.size.max(line.size)
            });
            append_line(out, &self.texts[line.start..line.end], block);
            prev = Some(line);
        }
    }

    fn build_runs(&mut self, page: &PageGlyphs) {
        self.runs.clear();
        let mut current: Option<Run> = None;
        for (i, g) in page.glyphs.iter().enumerate() {
            let i = i as u32;
            let (vt, vb) = (g.v - g.ascent, g.v + g.descent);
            if let Some(r) = current.as_mut() {
                let em = r.size.max(g.size);
                let continues = g.dir == r.dir
                    && (g.v - r.v).abs() <= 0.5 * em
                    && g.u >= r.u1 - 0.5 * em
                    && g.u <= r.u1 + em;
                if continues {
                    r.end = i + 1;
                    r.u0 = r.u0.min(g.u);
                    r.u1 = r.u1.max(g.u + g.w);
                    r.vt = r.vt.min(vt);
                    r.vb = r.vb.max(vb);
                    r.size = r.size.max(g.size);
                    continue;
                }
                self.runs.push(*r);
            }
            current = Some(Run {
                dir: g.dir,
                u0: g.u,
                u1: g.u + g.w,
                vt,
                vb,
                v: g.v,
                size: g.size,
                start: i,
                end: i + 1,
            });
        }
        self.runs.extend(current);
    }

    /// Orders the runs of one direction and writes their lines. Iterative: the nodes to
    /// visit are on an explicit stack, pushed in reverse so that they pop in order.
    fn xy_cut(&mut self, ids: Vec<u32>, page: &PageGlyphs) {
        let mut stack: Vec<(Vec<u32>, u32)> = vec![(ids, 0)];
        while let Some((node, depth)) = stack.pop() {
            if node.len() > 1 && depth < MAX_CUT_DEPTH {
                let parts = self
                    .vertical_parts(&node)
                    .or_else(|| self.horizontal_parts(&node));
                if let Some(parts) = parts {
                    stack.extend(parts.into_iter().rev().map(|p| (p, depth + 1)));
                    continue;
                }
            }
            self.leaf(node, page);
        }
    }

    /// Splits a node at vertical gutters into parts that each hold a real line (a run at
    /// least three ems wide): columns. Gutters are looked for between those lines only;
    /// narrow runs (bullets, numbers, the page number centred under two columns) then
    /// join the part nearest to them, so that a page number in the gutter does not hide
    /// it. `None` when fewer than two parts remain.
    fn vertical_parts(&self, node: &[u32]) -> Option<Vec<Vec<u32>>> {
        let runs = &self.runs;
        let substantial = |i: &u32| {
            let r = &runs[*i as usize];
            r.u1 - r.u0 >= 3.0 * r.size
        };
        let (mut wide, narrow): (Vec<u32>, Vec<u32>) = node.iter().partition(|i| substantial(i));
        if wide.len() < 2 {
            return None;
        }
        wide.sort_by(|&a, &b| runs[a as usize].u0.total_cmp(&runs[b as usize].u0));
        let mut parts: Vec<Vec<u32>> = Vec::new();
        // The extent along the baseline of each part, for placing the narrow runs.
        let mut extents: Vec<(f32, f32)> = Vec::new();
        let mut reach = f32::NEG_INFINITY;
        for &i in &wide {
            let r = &runs[i as usize];
            if parts.is_empty() || r.u0 - reach > 0.3 * r.size {
                parts.push(Vec::new());
                extents.push((r.u0, r.u1));
            }
            parts.last_mut()?.push(i);
            reach = reach.max(r.u1);
            if let Some(extent) = extents.last_mut() {
                extent.1 = reach;
            }
        }
        if parts.len() < 2 {
            return None;
        }
        for i in narrow {
            let r = &runs[i as usize];
            let centre = 0.5 * (r.u0 + r.u1);
            let distance = |&(lo, hi): &(f32, f32)| (lo - centre).max(centre - hi).max(0.0);
            let nearest = extents
                .iter()
                .enumerate()
                .min_by(|a, b| distance(a.1).total_cmp(&distance(b.1)))
                .map_or(0, |(k, _)| k);
            parts[nearest].push(i);
        }
        Some(parts)
    }

    /// Splits a node top to bottom at the horizontal gaps that are at least half the
    /// widest one. `None` when the boxes overlap all the way down.
    fn horizontal_parts(&self, node: &[u32]) -> Option<Vec<Vec<u32>>> {
        let runs = &self.runs;
        let mut sorted = node.to_vec();
        sorted.sort_by(|&a, &b| runs[a as usize].vt.total_cmp(&runs[b as usize].vt));
        let mut gaps: Vec<(usize, f32)> = Vec::new();
        let mut reach = f32::NEG_INFINITY;
        for (k, &i) in sorted.iter().enumerate() {
            let r = &runs[i as usize];
            if k > 0 && r.vt > reach {
                gaps.push((k, r.vt - reach));
            }
            reach = reach.max(r.vb);
        }
        let widest = gaps.iter().map(|g| g.1).fold(0.0f32, f32::max);
        if gaps.is_empty() || widest <= 0.0 {
            return None;
        }
        let mut parts = Vec::new();
        let mut from = 0;
        for &(k, gap) in &gaps {
            if gap >= 0.5 * widest {
                parts.push(sorted[from..k].to_vec());
                from = k;
            }
        }
        parts.push(sorted[from..].to_vec());
        (parts.len() > 1).then_some(parts)
    }

    /// Writes a node that no cut splits: its runs grouped into lines by baseline. A run
    /// joins a line when its baseline is within half an em; when it also overlaps the
    /// line's runs along the baseline, only if it is a redraw (same size, same baseline),
    /// so that a caption drawn across a big heading does not interleave with it.
    fn leaf(&mut self, mut node: Vec<u32>, page: &PageGlyphs) {
        let runs = &self.runs;
        node.sort_by(|&a, &b| {
            let (ra, rb) = (&runs[a as usize], &runs[b as usize]);
            ra.v.total_cmp(&rb.v).then(ra.u0.total_cmp(&rb.u0))
        });
        let reach = node
            .iter()
            .map(|&i| runs[i as usize].size)
            .fold(0.0f32, f32::max)
            * 0.5;
        let mut rest = node;
        let mut line: Vec<u32> = Vec::new();
        let mut later: Vec<u32> = Vec::new();
        while !rest.is_empty() {
            line.clear();
            later.clear();
            let first = self.runs[rest[0] as usize];
            line.push(rest[0]);
            for (k, &ri) in rest.iter().enumerate().skip(1) {
                let r = &self.runs[ri as usize];
                if r.v > first.v + reach {
                    // Sorted by baseline: nothing further can join this line.
                    later.extend_from_slice(&rest[k..]);
                    break;
                }
                let dv = (r.v - first.v).abs();
                let (small, big) = (first.size.min(r.size), first.size.max(r.size));
                let overlapped = line.iter().find(|&&li| {
                    let l = &self.runs[li as usize];
                    r.u0.max(l.u0) < r.u1.min(l.u1) - 0.3 * small
                });
                // A run over another is a redraw (fake bold, a shadow) only when it draws
                // the same text; two different strings set at one place are two lines,
                // not one interleaved ("HGerelleoti,nwgos").
                let joins = if let Some(&li) = overlapped {
                    let l = &self.runs[li as usize];
                    dv <= 0.2 * small
                        && big <= 1.2 * small
                        && (!mostly_over(r, l) || same_text(page, r, l))
                } else {
                    dv <= 0.5 * big
                };
                if joins {
                    line.push(ri);
                } else {
                    later.push(ri);
                }
            }
            self.glyph_ids.clear();
            for &ri in &line {
                let r = &self.runs[ri as usize];
                self.glyph_ids.extend(r.start..r.end);
            }
            if line.len() > 1 {
                let glyphs = &page.glyphs;
                self.glyph_ids
                    .sort_by(|&a, &b| glyphs[a as usize].u.total_cmp(&glyphs[b as usize].u));
            }
            let size = line
                .iter()
                .map(|&i| self.runs[i as usize].size)
                .fold(0.0f32, f32::max);
            self.write_line(page);
            if !self.line.is_empty() {
                let start = self.texts.len();
                self.texts.push_str(&self.line);
                self.lines.push(LineOut {
                    start,
                    end: self.texts.len(),
                    dir: first.dir,
                    v: first.v,
                    size,
                });
            }
            std::mem::swap(&mut rest, &mut later);
        }
    }

    /// Builds the text of one line from `glyph_ids` (in order along the baseline) into
    /// `self.line`.
    fn write_line(&mut self, page: &PageGlyphs) {
        self.line.clear();
        let glyphs = &page.glyphs;
        // Pass 1: drop fake-bold duplicates; gather the gaps for the letter-spacing rule.
        self.kept.clear();
        self.tokens.clear();
        // A glyph without text keeps its place, so that a word closes over a ligature the
        // font does not map ("sotware", not "so tware"). Where most of the line's glyphs
        // have no text (a font that maps only some forms of a script, as in shaped Urdu),
        // the mapped glyphs are scattered letters of words we cannot read: closing over
        // the stretches between them would glue letters of different words into one, so
        // the glyphs without text are left out and the gaps between the letters decide.
        let textless = self
            .glyph_ids
            .iter()
            .filter(|&&i| glyphs[i as usize].len == 0)
            .count();
        let scattered = 2 * textless > self.glyph_ids.len();
        for &i in &self.glyph_ids {
            let g = &glyphs[i as usize];
            if scattered && g.len == 0 {
                continue;
            }
            let text = page.text_of(g);
            let duplicate = self.kept.iter().rev().take(4).any(|&j| {
                let h = &glyphs[j as usize];
                (h.u - g.u).abs() < 0.1 * g.size
                    && (h.v - g.v).abs() < 0.2 * g.size
                    && page.text_of(h) == text
            });
            if duplicate {
                continue;
            }
            if let Some(&j) = self.kept.last() {
                let p = &glyphs[j as usize];
                let gap = g.u - (p.u + p.w);
                let em = p.size.max(g.size);
                let spaced = g.space_sure || (g.space_before && gap > 0.03 * em);
                if gap > 0.1 * em || spaced {
                    self.tokens
                        .push((self.kept.len(), (!spaced).then_some(gap / em)));
                }
            } else {
                self.tokens.push((0, None));
            }
            self.kept.push(i);
        }
        let spread = self.spacing(page);
        // Which of the kept glyphs may close up to the one before across a letter-spacing
        // gap: all of them, but those of a would-be word that is no word (see `one_word`).
        let spaced_word = if spread > 0.1 {
            self.spaced_words(page, spread)
        } else {
            Vec::new()
        };
        // Pass 2: the text, and where each glyph's and space's text is in it (the units
        // a right-to-left line is reordered by).
        self.units.clear();
        let mut prev: Option<&GlyphRec> = None;
        // Where the current word begins in `self.line`.
        let mut word = 0;
        for (k, &i) in self.kept.iter().enumerate() {
            let g = &glyphs[i as usize];
            if let Some(p) = prev {
                let gap = g.u - (p.u + p.w);
                let close = spaced_word.get(k).copied().unwrap_or(true);
                if spaced_apart(p, g, if close { spread } else { 0.1 })
                    || script_break(page, p, g, gap, self.line[word..].chars().next())
                {
                    self.line.push(' ');
                    self.units
                        .push((self.line.len() as u32 - 1, self.line.len() as u32));
                    word = self.line.len();
                }
            }
            let at = self.line.len() as u32;
            self.line.push_str(page.text_of(g));
            self.units.push((at, self.line.len() as u32));
            prev = Some(g);
        }
        if super::bidi::has_rtl(&self.line) {
            let line = std::mem::take(&mut self.line);
            let units: Vec<&str> = self
                .units
                .iter()
                .map(|&(a, b)| &line[a as usize..b as usize])
                .collect();
            super::bidi::logical_order(&units, &mut self.line);
        }
        let trimmed = self.line.trim_end().len();
        self.line.truncate(trimmed);
        if self.line.starts_with(' ') {
            let start = self.line.len() - self.line.trim_start().len();
            self.line.drain(..start);
        }
    }
}

impl Layout {
    /// How far apart (in ems) two glyphs of the current line may be and still close up:
    /// 0.1, or for a letter-spaced line (at least three words, six in ten of them one
    /// letter) 1.3 × the smallest gap between words, at most 0.4.
    ///
    /// Dot leaders (a row of four or more of the same mark, `. . . .`) are fill, not words:
    /// their marks and the gaps around them are not counted. Counted, the dots of a TeX
    /// table of contents made "Werking van de FLS monitor . . . . 16" letter-spaced, and
    /// its word spaces (a third of an em, less than 1.3 × itself) closed up. Other
    /// punctuation still counts: in a listing set on a fixed grid, `( $1 , $2 )` is spaced
    /// as its letters are.
    fn spacing(&self, page: &PageGlyphs) -> f32 {
        let glyphs = &page.glyphs;
        let tokens = &self.tokens;
        let end = |t: usize| tokens.get(t + 1).map_or(self.kept.len(), |next| next.0);
        let chars = |t: usize| {
            self.kept[tokens[t].0..end(t)]
                .iter()
                .flat_map(|&i| page.text_of(&glyphs[i as usize]).chars())
        };
        // Marks with no letter or digit (a glyph without text is no mark).
        let bare = |t: usize| chars(t).next().is_some() && !chars(t).any(char::is_alphanumeric);
        let same = |a: usize, b: usize| bare(a) && bare(b) && chars(a).eq(chars(b));
        let (mut words, mut single, mut min_gap) = (0usize, 0usize, f32::INFINITY);
        let mut was_leader = false;
        // Through the line a row of same tokens at a time (mostly a row of one).
        let mut from = 0;
        while from < tokens.len() {
            let to = (from + 1..tokens.len())
                .find(|&t| !same(from, t))
                .unwrap_or(tokens.len());
            // Four or more: an ellipsis (`. . .`) or a closing `))` is no fill.
            let leader = to - from >= 4;
            for (t, &(_, gap)) in tokens.iter().enumerate().take(to).skip(from) {
                if let Some(gap) = gap
                    && t > 0
                    && !leader
                    && !was_leader
                {
                    min_gap = min_gap.min(gap);
                }
                was_leader = leader;
                if !leader {
                    words += 1;
                    // By letters, not glyphs: a ligature glyph ("ffi") is no one-letter word.
                    single += usize::from(chars(t).count() == 1);
                }
            }
            from = to;
        }
        if words >= 3 && single * 10 >= words * 6 && min_gap.is_finite() {
            (1.3 * min_gap).clamp(0.1, 0.4)
        } else {
            0.1
        }
    }

    /// For a letter-spaced line, whether each kept glyph may join the one before it across
    /// a gap of up to `spread` em. The gaps that `spread` would close cut the line into
    /// would-be words; one that is no word by the case of its letters (see [`one_word`])
    /// keeps its letters apart: a row of single letters such as `à À â Â` is a list of
    /// letters set a word space apart (TeX's third of an em), while `M I S S I E`, set as
    /// far apart, is one spaced word.
    fn spaced_words(&self, page: &PageGlyphs, spread: f32) -> Vec<bool> {
        let glyphs = &page.glyphs;
        let mut close = vec![true; self.kept.len()];
        let mut start = 0;
        for k in 1..=self.kept.len() {
            let ends = self.kept.get(k).is_none_or(|&i| {
                spaced_apart(
                    &glyphs[self.kept[k - 1] as usize],
                    &glyphs[i as usize],
                    spread,
                )
            });
            if ends {
                let letters = self.kept[start..k]
                    .iter()
                    .flat_map(|&i| page.text_of(&glyphs[i as usize]).chars());
                if !one_word(letters) {
                    close[start + 1..k].fill(false);
                }
                start = k;
            }
        }
        close
    }
}

/// Whether a space stands between glyph `p` and the next glyph `g` when gaps up to
/// `spread` em close up: a space glyph says so (unless the gap is almost nothing), or
/// the gap is wider.
fn spaced_apart(p: &GlyphRec, g: &GlyphRec, spread: f32) -> bool {
    let gap = g.u - (p.u + p.w);
    let em = p.size.max(g.size);
    g.space_sure || (g.space_before && gap > 0.03 * em) || gap > spread * em
}

/// True when `text` could be one word by the case of its letters. Words switch from
/// lower to upper case rarely if ever (`MISSIE`, `Missie`, `IJssel`, `testDefinitionName`);
/// letters that do so at every third letter or more often (`à À â Â`, `a A b B`) are a
/// row of letters, each its own.
fn one_word(text: impl Iterator<Item = char>) -> bool {
    let (mut letters, mut rises, mut lower) = (0usize, 0usize, false);
    for c in text.filter(|c| c.is_alphabetic()) {
        letters += 1;
        rises += usize::from(lower && c.is_uppercase());
        lower = c.is_lowercase();
    }
    rises == 0 || 3 * rises < letters
}

/// True when two runs of a few glyphs each overlap along the baseline for at least half
/// of the shorter: one string drawn over another, not a glyph kerned into its neighbour
/// or a delimiter drawn in its place later (as math is set).
fn mostly_over(a: &Run, b: &Run) -> bool {
    let overlap = a.u1.min(b.u1) - a.u0.max(b.u0);
    let shorter = (a.u1 - a.u0).min(b.u1 - b.u0);
    a.end - a.start >= 3 && b.end - b.start >= 3 && overlap >= 0.5 * shorter
}

/// True when one run's text (spaces aside) holds the other's: a redraw.
fn same_text(page: &PageGlyphs, a: &Run, b: &Run) -> bool {
    let text = |r: &Run| -> String {
        page.glyphs[r.start as usize..r.end as usize]
            .iter()
            .flat_map(|g| page.text_of(g).chars())
            .filter(|c| !c.is_whitespace())
            .collect()
    };
    let (a, b) = (text(a), text(b));
    a.contains(&b) || b.contains(&a)
}

/// True when a superscript starts or ends between `p` and `g`, neighbours along a line
/// `gap` apart: the baseline rises (or falls back) by more than 0.2 em and the raised
/// glyph is smaller (below 0.9 of the other's size) or drawn with a text rise. A
/// footnote mark is not part of the word it touches, so the jump is a word break
/// ("evaluatie³" reads "evaluatie 3" and matches "evaluatie"). What stays whole:
/// - same-size text without a rise, however its baseline wavers;
/// - subscripts, which are never footnote marks but part of a name (`CO₂-uitstoot`);
/// - a raised part drawn over its neighbour (gap below -0.1 em), which is a logo
///   (the A of LaTeX), not a mark set after a word;
/// - in a word that begins with a digit (`word_start`), a raised letter or a mark after
///   a letter: ordinals and units (`21ᵉ eeuw`, `9.000 m²`), while `2019³` breaks;
/// - punctuation right after the raised part, which ends its sentence (`doelen².`).
fn script_break(
    page: &PageGlyphs,
    p: &GlyphRec,
    g: &GlyphRec,
    gap: f32,
    word_start: Option<char>,
) -> bool {
    let em = p.size.max(g.size);
    let rise = p.v - g.v;
    if rise.abs() <= 0.2 * em || gap < -0.1 * em {
        return false;
    }
    let smaller = |a: &GlyphRec, b: &GlyphRec| a.size < 0.9 * b.size || (a.raised && !b.raised);
    if rise > 0.0 && smaller(g, p) {
        // Into a superscript.
        let before = page.text_of(p).chars().next_back();
        let after = page.text_of(g).chars().next();
        let numeric = word_start.is_some_and(|c| c.is_ascii_digit())
            && (after.is_some_and(char::is_alphabetic) || before.is_some_and(char::is_alphabetic));
        !numeric
    } else if rise < 0.0 && smaller(p, g) {
        // Back from a superscript.
        page.text_of(g)
            .chars()
            .next()
            .is_some_and(char::is_alphanumeric)
    } else {
        false
    }
}

/// Appends a line to the page text: after '\n', or a blank line when `block` says a new
/// block starts (`None` for the first line). A word broken at the end of the previous line
/// is rejoined, the Dutch way:
/// - `krij-` + `gen` → `krijgen`; a soft hyphen at the end is always removed;
/// - `taal-` + `en rekenonderwijs` keeps its hyphen and its break (a suspended compound
///   before `en`, `of`, `tot`, `t/m`);
/// - `Noord-` + `Brabant` and `2019-` + `2020` keep the hyphen and join.
pub fn append_line(out: &mut String, line: &str, block: Option<bool>) {
    let Some(block) = block else {
        out.push_str(line);
        return;
    };
    let mut tail = out.chars().rev();
    let hyphen = tail.next();
    let before = tail.next();
    let first_word = line.split_whitespace().next().unwrap_or("");
    let first_char = first_word.chars().next();
    if let (Some(h @ ('-' | '\u{2010}' | '\u{ad}')), Some(b), Some(c)) =
        (hyphen, before, first_char)
        && b.is_alphabetic()
    {
        let bare = first_word.trim_end_matches([',', '.', ';', ':', ')']);
        let join = if h == '\u{ad}' {
            c.is_alphanumeric().then_some(false)
        } else if c.is_lowercase() {
            (!matches!(bare, "en" | "of" | "tot" | "t/m")).then_some(false)
        } else if c.is_uppercase() || c.is_ascii_digit() {
            Some(true)
        } else {
            None
        };
        if let Some(keep_hyphen) = join {
            if !keep_hyphen {
                out.pop();
            }
            out.push_str(first_word);
            let rest = line[line.find(first_word).unwrap_or(0) + first_word.len()..].trim_start();
            if !rest.is_empty() {
                out.push_str(if block { "\n\n" } else { "\n" });
                out.push_str(rest);
            }
            return;
        }
    }
    out.push_str(if block { "\n\n" } else { "\n" });
    out.push_str(line);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn joined(lines: &[&str]) -> String {
        let mut out = String::new();
        for (i, line) in lines.iter().enumerate() {
            append_line(&mut out, line, (i > 0).then_some(false));
        }
        out
    }

    #[test]
    fn hyphen_before_a_lowercase_continuation_is_removed() {
        assert_eq!(
            joined(&["wij krij-", "gen het plan"]),
            "wij krijgen\nhet plan"
        );
    }

    #[test]
    fn soft_hyphen_at_line_end_is_removed() {
        assert_eq!(joined(&["evalu\u{ad}", "atie volgt"]), "evaluatie\nvolgt");
    }

    #[test]
    fn suspended_compounds_keep_hyphen_and_break() {
        assert_eq!(
            joined(&["taal-", "en rekenonderwijs"]),
            "taal-\nen rekenonderwijs"
        );
        assert_eq!(
            joined(&["kunst-", "of cultuuronderwijs"]),
            "kunst-\nof cultuuronderwijs"
        );
        assert_eq!(joined(&["groep 1-", "t/m 8"]), "groep 1-\nt/m 8");
    }

    #[test]
    fn capitalised_or_numeric_continuation_keeps_the_hyphen() {
        assert_eq!(joined(&["in Noord-", "Brabant"]), "in Noord-Brabant");
        assert_eq!(joined(&["schooljaar-", "2020"]), "schooljaar-2020");
    }

    #[test]
    fn a_dash_after_a_space_is_not_a_hyphen() {
        assert_eq!(joined(&["plan -", "doelen"]), "plan -\ndoelen");
    }
}
