//! CMap streams: the `/ToUnicode` map of a font (code → Unicode text) and the encoding
//! CMap of a Type0 font (byte string → codes through code-space ranges, code → CID).
//!
//! CMaps come from untrusted files, so the parser is a flat loop over tokens (no
//! recursion), stores `bfrange`/`cidrange` entries as ranges instead of expanding them
//! (`<0000> <FFFF>` costs one entry, not 65,536), and stops adding entries after a cap,
//! marking the map truncated.

use super::encoding::push_expanded;
use std::collections::HashMap;
use std::sync::Arc;

/// Most entries (single codes, ranges and array items together) kept from one CMap.
pub const MAX_ENTRIES: usize = 1 << 20;
/// Most code-space ranges kept; real CMaps have a handful.
const MAX_CODESPACE: usize = 256;
/// Longest destination string (bytes) taken from a `bfchar`/`bfrange` target.
const MAX_TARGET_BYTES: usize = 512;
/// How many overlapping ranges a lookup looks back over.
const OVERLAP_LOOKBACK: usize = 8;

/// One code-space range: codes of `len` bytes whose every byte lies between the bytes
/// of `low` and `high` at the same position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeRange {
    pub len: u8,
    pub low: [u8; 4],
    pub high: [u8; 4],
}

impl CodeRange {
    pub const fn new(len: u8, low: u32, high: u32) -> CodeRange {
        CodeRange {
            len,
            low: low.to_be_bytes(),
            high: high.to_be_bytes(),
        }
        .aligned()
    }

    /// Moves the bytes of `low`/`high` to the front so that index 0 is the first byte.
    const fn aligned(self) -> CodeRange {
        let skip = 4 - self.len as usize;
        let mut low = [0u8; 4];
        let mut high = [0u8; 4];
        let mut i = 0;
        while i < self.len as usize {
            low[i] = self.low[skip + i];
            high[i] = self.high[skip + i];
            i += 1;
        }
        CodeRange {
            len: self.len,
            low,
            high,
        }
    }

    fn contains(&self, bytes: &[u8]) -> bool {
        bytes.len() == usize::from(self.len)
            && bytes
                .iter()
                .enumerate()
                .all(|(i, &b)| self.low[i] <= b && b <= self.high[i])
    }
}

/// Reads the next code from `bytes` (not empty) under `ranges`: the shortest prefix that
/// lies in a range. A byte sequence in no range is consumed with the shortest length any
/// range has, so a bad string cannot stall the reader. Returns the code and its length.
pub fn next_code(ranges: &[CodeRange], bytes: &[u8]) -> (u32, usize) {
    for n in 1..=4usize.min(bytes.len()) {
        let prefix = &bytes[..n];
        if ranges.iter().any(|r| r.contains(prefix)) {
            return (code_value(prefix), n);
        }
    }
    let shortest = ranges.iter().map(|r| usize::from(r.len)).min().unwrap_or(1);
    let n = shortest.clamp(1, bytes.len());
    (code_value(&bytes[..n]), n)
}

fn code_value(bytes: &[u8]) -> u32 {
    bytes
        .iter()
        .take(4)
        .fold(0u32, |acc, &b| (acc << 8) | u32::from(b))
}

/// What a code maps to in a ToUnicode CMap (already cleaned, ligatures expanded).
#[derive(Debug, Clone)]
enum Target {
    Char(char),
    Text(Box<str>),
}

#[derive(Debug, Clone)]
enum RangeTarget {
    /// The first code maps to these chars; each next code adds one to the last char.
    Offset(Box<[char]>),
    /// Code `lo + i` maps to `targets[start + i]`.
    Array { start: u32 },
    /// Code `lo + i` maps to CID `cid + i`.
    Cid(u32),
}

#[derive(Debug, Clone)]
struct Range {
    lo: u32,
    hi: u32,
    target: RangeTarget,
}

/// A parsed CMap. One type serves both uses: a ToUnicode map fills the Unicode part,
/// an encoding CMap the code-space and CID part.
#[derive(Debug, Clone, Default)]
pub struct CMap {
    /// Code-space ranges in the order given.
    pub codespace: Vec<CodeRange>,
    /// 1 for vertical writing (`/WMode 1`).
    pub wmode: u8,
    /// The CMap named by `usecmap`, if any (e.g. `Identity-H`).
    pub use_cmap: Option<Vec<u8>>,
    /// True when the entry cap cut the map short.
    pub truncated: bool,
    /// The CMap `usecmap` names, when it is a predefined one we carry: asked for the CID
    /// of a code this map does not list.
    pub parent: Option<Arc<CMap>>,
    unicode: HashMap<u32, Target>,
    unicode_ranges: Vec<Range>,
    array_targets: Vec<Option<Target>>,
    cids: HashMap<u32, u32>,
    cid_ranges: Vec<Range>,
    entries: usize,
}

impl CMap {
    /// Parses CMap text, keeping at most [`MAX_ENTRIES`] entries.
    pub fn parse(data: &[u8]) -> CMap {
        CMap::parse_with_limit(data, MAX_ENTRIES)
    }

    /// Parses an encoding CMap whose producer wrote its code → CID entries as
    /// `bfchar`/`bfrange` (destination strings holding the CID): read as `cidchar` and
    /// `cidrange`.
    pub fn parse_bf_as_cids(data: &[u8]) -> CMap {
        let mut cmap = CMap::default();
        let mut parser = Parser::new(data, MAX_ENTRIES);
        parser.bf_as_cids = true;
        parser.run(&mut cmap);
        cmap.cid_ranges.sort_by_key(|r| r.lo);
        cmap
    }

    pub fn parse_with_limit(data: &[u8], max_entries: usize) -> CMap {
        let mut cmap = CMap::default();
        Parser::new(data, max_entries).run(&mut cmap);
        cmap.unicode_ranges.sort_by_key(|r| r.lo);
        cmap.cid_ranges.sort_by_key(|r| r.lo);
        cmap
    }

    /// A predefined CMap from its sorted, disjoint `(low, high, first CID)` ranges. An
    /// empty code space is the parent's, as a `-V` CMap leaves it to its `-H` parent.
    pub fn predefined(
        codespace: Vec<CodeRange>,
        wmode: u8,
        ranges: Vec<(u32, u32, u32)>,
        parent: Option<Arc<CMap>>,
    ) -> CMap {
        let codespace = match (&parent, codespace.is_empty()) {
            (Some(p), true) => p.codespace.clone(),
            _ => codespace,
        };
        CMap {
            codespace,
            wmode,
            entries: ranges.len(),
            cid_ranges: ranges
                .into_iter()
                .map(|(lo, hi, cid)| Range {
                    lo,
                    hi,
                    target: RangeTarget::Cid(cid),
                })
                .collect(),
            parent,
            ..CMap::default()
        }
    }

    /// True when the map gives text for at least one code.
    pub fn has_unicode(&self) -> bool {
        !self.unicode.is_empty() || !self.unicode_ranges.is_empty() || self.has_cids()
    }

    /// True when the map gives a CID for at least one code.
    pub fn has_cids(&self) -> bool {
        !self.cids.is_empty() || !self.cid_ranges.is_empty() || self.parent.is_some()
    }

    /// Appends the text of `code` to `out`; false (and `out` unchanged) when the map has
    /// no usable text for it.
    pub fn write_unicode(&self, code: u32, out: &mut String) -> bool {
        if let Some(target) = self.unicode.get(&code) {
            write_target(target, out);
            return true;
        }
        let Some(range) = find_range(&self.unicode_ranges, code) else {
            // Some producers write `cidchar`/`cidrange` in a ToUnicode map, meaning
            // the number as a Unicode scalar; poppler reads them the same way.
            let mark = out.len();
            if let Some(c) = self.own_cid(code).and_then(char::from_u32) {
                push_clean(out, c);
            }
            return out.len() > mark;
        };
        let offset = code - range.lo;
        match &range.target {
            RangeTarget::Offset(chars) => {
                let Some((last, head)) = chars.split_last() else {
                    return false;
                };
                let Some(last) = u32::from(*last)
                    .checked_add(offset)
                    .and_then(char::from_u32)
                else {
                    return false;
                };
                let mark = out.len();
                for &c in head.iter().chain(std::iter::once(&last)) {
                    push_clean(out, c);
                }
                if out.len() == mark {
                    return false;
                }
                true
            }
            RangeTarget::Array { start } => {
                let index = (*start as usize).saturating_add(offset as usize);
                match self.array_targets.get(index) {
                    Some(Some(target)) => {
                        write_target(target, out);
                        true
                    }
                    _ => false,
                }
            }
            RangeTarget::Cid(_) => false,
        }
    }

    /// The CID of `code`, if the map or the CMaps it builds on say. The chain is ours
    /// (predefined CMaps, at most three deep), so the walk is bounded.
    pub fn cid(&self, code: u32) -> Option<u32> {
        let mut map = self;
        loop {
            if let Some(cid) = map.own_cid(code) {
                return Some(cid);
            }
            map = map.parent.as_deref()?;
        }
    }

    /// Every CID this map's own ranges give, in code order.
    pub fn listed_cids(&self) -> impl Iterator<Item = u32> + '_ {
        self.cid_ranges.iter().flat_map(|r| match r.target {
            RangeTarget::Cid(first) => first..first.saturating_add(r.hi - r.lo).saturating_add(1),
            _ => 0..0,
        })
    }

    fn own_cid(&self, code: u32) -> Option<u32> {
        if let Some(&cid) = self.cids.get(&code) {
            return Some(cid);
        }
        let range = find_range(&self.cid_ranges, code)?;
        match range.target {
            RangeTarget::Cid(first) => first.checked_add(code - range.lo),
            _ => None,
        }
    }

    fn full(&mut self, max: usize) -> bool {
        if self.entries >= max {
            self.truncated = true;
            true
        } else {
            false
        }
    }
}

fn write_target(target: &Target, out: &mut String) {
    match target {
        Target::Char(c) => out.push(*c),
        Target::Text(s) => out.push_str(s),
    }
}

/// The range holding `code`, tolerating a few overlapping ranges.
fn find_range(ranges: &[Range], code: u32) -> Option<&Range> {
    let end = ranges.partition_point(|r| r.lo <= code);
    ranges[end.saturating_sub(OVERLAP_LOOKBACK)..end]
        .iter()
        .rev()
        .find(|r| code <= r.hi)
}

/// Appends `c` when it is readable text: controls (other than whitespace, which becomes
/// a space), U+FFFD, private-use and non-characters are dropped, ligatures expanded.
pub fn push_clean(out: &mut String, c: char) {
    match c {
        '\t' | '\n' | '\r' => out.push(' '),
        '\u{0}'..='\u{1F}' | '\u{7F}'..='\u{9F}' => {}
        '\u{FFFD}' | '\u{FFFE}' | '\u{FFFF}' => {}
        '\u{E000}'..='\u{F8FF}' | '\u{F0000}'.. => {}
        _ => push_expanded(out, c),
    }
}

/// Decodes a UTF-16BE destination string. A single byte is read as Latin-1 (some
/// producers write `<41>`); an odd trailing byte is dropped; a lone surrogate makes the
/// whole target unusable.
fn utf16_chars(bytes: &[u8]) -> Option<Vec<char>> {
    if bytes.len() == 1 {
        return Some(vec![char::from(bytes[0])]);
    }
    let units = bytes
        .chunks_exact(2)
        .map(|p| u16::from_be_bytes([p[0], p[1]]));
    char::decode_utf16(units)
        .collect::<Result<Vec<_>, _>>()
        .ok()
}

/// A destination string as a stored target (cleaned, ligatures expanded), or `None`
/// when nothing readable is left.
fn target_from(bytes: &[u8]) -> Option<Target> {
    let chars = utf16_chars(bytes)?;
    let mut text = String::new();
    for c in chars {
        push_clean(&mut text, c);
    }
    let mut it = text.chars();
    match (it.next(), it.next()) {
        (None, _) => None,
        (Some(c), None) => Some(Target::Char(c)),
        _ => Some(Target::Text(text.into_boxed_str())),
    }
}

#[derive(Debug)]
enum Token<'a> {
    /// A hex or literal string, decoded to bytes.
    Bytes(Vec<u8>),
    Number(i64),
    Name(&'a [u8]),
    Keyword(&'a [u8]),
    ArrayOpen,
    ArrayClose,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    None,
    Codespace,
    BfChar,
    BfRange,
    CidChar,
    CidRange,
}

#[derive(Debug)]
enum Operand {
    Bytes(Vec<u8>),
    Number(i64),
    Array(Vec<Vec<u8>>),
}

struct Parser<'a> {
    data: &'a [u8],
    pos: usize,
    max_entries: usize,
    /// Read `bf` sections as `cid` sections (see [`CMap::parse_bf_as_cids`]).
    bf_as_cids: bool,
}

impl<'a> Parser<'a> {
    fn new(data: &'a [u8], max_entries: usize) -> Self {
        Parser {
            data,
            pos: 0,
            max_entries,
            bf_as_cids: false,
        }
    }

    fn run(&mut self, cmap: &mut CMap) {
        let mut section = Section::None;
        let mut operands: Vec<Operand> = Vec::with_capacity(4);
        // Array under construction (only `bfrange` destinations use arrays).
        let mut array: Option<Vec<Vec<u8>>> = None;
        // Outside sections: the last name seen, for `/WMode 1 def` and `/X usecmap`.
        let mut last_name: Option<&'a [u8]> = None;
        let mut wmode_pending = false;

        while let Some(token) = self.next_token() {
            if let Some(items) = array.as_mut() {
                match token {
                    Token::Bytes(b) => {
                        if items.len() < MAX_ENTRIES {
                            items.push(b);
                        }
                        continue;
                    }
                    Token::ArrayClose => {
                        let items = array.take().unwrap_or_default();
                        operands.push(Operand::Array(items));
                        if !self.complete(cmap, section, &mut operands) {
                            return;
                        }
                        continue;
                    }
                    // A keyword ends an unclosed array: drop it and read the keyword.
                    Token::Keyword(_) => array = None,
                    _ => continue,
                }
            }
            match token {
                Token::Keyword(word) => {
                    operands.clear();
                    match word {
                        b"begincodespacerange" => section = Section::Codespace,
                        b"beginbfchar" => section = Section::BfChar,
                        b"beginbfrange" => section = Section::BfRange,
                        b"begincidchar" => section = Section::CidChar,
                        b"begincidrange" => section = Section::CidRange,
                        w if w.starts_with(b"end") => section = Section::None,
                        b"usecmap" => {
                            if let Some(name) = last_name {
                                cmap.use_cmap = Some(name.to_vec());
                            }
                        }
                        _ => {}
                    }
                    last_name = None;
                    wmode_pending = false;
                }
                Token::Name(name) => {
                    wmode_pending = name == b"WMode";
                    last_name = Some(name);
                }
                Token::Number(n) if section == Section::None => {
                    if wmode_pending {
                        cmap.wmode = u8::from(n == 1);
                    }
                    wmode_pending = false;
                }
                Token::Number(n) => {
                    operands.push(Operand::Number(n));
                    if !self.complete(cmap, section, &mut operands) {
                        return;
                    }
                }
                Token::Bytes(b) if section != Section::None => {
                    operands.push(Operand::Bytes(b));
                    if !self.complete(cmap, section, &mut operands) {
                        return;
                    }
                }
                Token::ArrayOpen if section == Section::BfRange => array = Some(Vec::new()),
                _ => {}
            }
        }
    }

    /// Adds an entry once a section has all its operands; false when the cap is reached
    /// and parsing should stop.
    fn complete(&self, cmap: &mut CMap, section: Section, operands: &mut Vec<Operand>) -> bool {
        let needed = match section {
            Section::None => {
                operands.clear();
                return true;
            }
            Section::Codespace | Section::BfChar | Section::CidChar => 2,
            Section::BfRange | Section::CidRange => 3,
        };
        if operands.len() < needed {
            return true;
        }
        if cmap.full(self.max_entries) {
            return false;
        }
        let mut ops = std::mem::take(operands);
        let section = match section {
            Section::BfChar | Section::BfRange if self.bf_as_cids => {
                let last = ops.len() - 1;
                if let Operand::Bytes(b) = &ops[last] {
                    ops[last] = Operand::Number(i64::from(code_value(b)));
                }
                if section == Section::BfChar {
                    Section::CidChar
                } else {
                    Section::CidRange
                }
            }
            other => other,
        };
        match section {
            Section::Codespace => add_codespace(cmap, &ops),
            Section::BfChar => add_bfchar(cmap, &ops),
            Section::BfRange => add_bfrange(cmap, ops, self.max_entries),
            Section::CidChar => add_cidchar(cmap, &ops),
            Section::CidRange => add_cidrange(cmap, &ops),
            Section::None => {}
        }
        true
    }

    fn next_token(&mut self) -> Option<Token<'a>> {
        let data = self.data;
        loop {
            let &b = data.get(self.pos)?;
            match b {
                b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'\0' => self.pos += 1,
                b'%' => {
                    while self.pos < data.len() && !matches!(data[self.pos], b'\r' | b'\n') {
                        self.pos += 1;
                    }
                }
                _ => break,
            }
        }
        let start = self.pos;
        let b = data[start];
        self.pos += 1;
        let token = match b {
            b'[' => Token::ArrayOpen,
            b']' => Token::ArrayClose,
            b'{' | b'}' | b')' | b'>' => Token::Other,
            b'<' if data.get(self.pos) == Some(&b'<') => {
                self.pos += 1;
                Token::Other
            }
            b'<' => Token::Bytes(self.hex_string()),
            b'(' => Token::Bytes(self.literal_string()),
            b'/' => {
                let end = self.word_end(self.pos);
                let name = &data[self.pos..end];
                self.pos = end;
                Token::Name(name)
            }
            _ => {
                let end = self.word_end(start);
                self.pos = end.max(start + 1);
                let word = &data[start..self.pos];
                match std::str::from_utf8(word)
                    .ok()
                    .and_then(|s| s.parse::<i64>().ok())
                {
                    Some(n) => Token::Number(n),
                    None => Token::Keyword(word),
                }
            }
        };
        Some(token)
    }

    fn word_end(&self, from: usize) -> usize {
        let mut end = from;
        while end < self.data.len()
            && !matches!(
                self.data[end],
                b' ' | b'\t'
                    | b'\r'
                    | b'\n'
                    | b'\x0c'
                    | b'\0'
                    | b'/'
                    | b'<'
                    | b'>'
                    | b'['
                    | b']'
                    | b'('
                    | b')'
                    | b'{'
                    | b'}'
                    | b'%'
            )
        {
            end += 1;
        }
        end
    }

    /// Reads hex digits up to `>`; an odd final digit counts as if followed by 0.
    fn hex_string(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut high: Option<u8> = None;
        while let Some(&b) = self.data.get(self.pos) {
            self.pos += 1;
            if b == b'>' {
                break;
            }
            let Some(v) = (b as char).to_digit(16) else {
                continue;
            };
            match high.take() {
                Some(h) => {
                    if out.len() < MAX_TARGET_BYTES {
                        out.push((h << 4) | v as u8);
                    }
                }
                None => high = Some(v as u8),
            }
        }
        if let Some(h) = high
            && out.len() < MAX_TARGET_BYTES
        {
            out.push(h << 4);
        }
        out
    }

    /// Reads a literal string with its escapes and balanced parentheses.
    fn literal_string(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut depth = 1usize;
        while let Some(&b) = self.data.get(self.pos) {
            self.pos += 1;
            let byte = match b {
                b'(' => {
                    depth += 1;
                    b
                }
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                    b
                }
                b'\\' => {
                    let Some(&e) = self.data.get(self.pos) else {
                        break;
                    };
                    self.pos += 1;
                    match e {
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        b'b' => 8,
                        b'f' => 12,
                        b'0'..=b'7' => {
                            let mut v = u32::from(e - b'0');
                            for _ in 0..2 {
                                match self.data.get(self.pos) {
                                    Some(&d @ b'0'..=b'7') => {
                                        v = v * 8 + u32::from(d - b'0');
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            v as u8
                        }
                        b'\r' | b'\n' => continue,
                        other => other,
                    }
                }
                other => other,
            };
            if out.len() < MAX_TARGET_BYTES {
                out.push(byte);
            }
        }
        out
    }
}

fn bytes_of(op: &Operand) -> Option<&[u8]> {
    match op {
        Operand::Bytes(b) if !b.is_empty() => Some(b),
        _ => None,
    }
}

fn number_of(op: &Operand) -> Option<u32> {
    match op {
        Operand::Number(n) => u32::try_from(*n).ok(),
        _ => None,
    }
}

fn add_codespace(cmap: &mut CMap, ops: &[Operand]) {
    let (Some(low), Some(high)) = (bytes_of(&ops[0]), bytes_of(&ops[1])) else {
        return;
    };
    if low.len() != high.len() || low.len() > 4 || cmap.codespace.len() >= MAX_CODESPACE {
        return;
    }
    let len = low.len() as u8;
    cmap.codespace
        .push(CodeRange::new(len, code_value(low), code_value(high)));
    cmap.entries += 1;
}

fn add_bfchar(cmap: &mut CMap, ops: &[Operand]) {
    let (Some(src), Some(dst)) = (bytes_of(&ops[0]), bytes_of(&ops[1])) else {
        return;
    };
    if src.len() > 4 {
        return;
    }
    if let Some(target) = target_from(dst) {
        cmap.unicode.insert(code_value(src), target);
        cmap.entries += 1;
    }
}

fn add_bfrange(cmap: &mut CMap, ops: Vec<Operand>, max_entries: usize) {
    let (Some(lo), Some(hi)) = (bytes_of(&ops[0]), bytes_of(&ops[1])) else {
        return;
    };
    if lo.len() > 4 || hi.len() > 4 {
        return;
    }
    let (lo, hi) = (code_value(lo), code_value(hi));
    if hi < lo {
        return;
    }
    let target = match ops.into_iter().nth(2) {
        Some(Operand::Bytes(dst)) => match utf16_chars(&dst) {
            Some(chars) if !chars.is_empty() => RangeTarget::Offset(chars.into_boxed_slice()),
            _ => return,
        },
        Some(Operand::Array(items)) => {
            // Only as many items as codes in the range, and no more than the cap allows.
            let span = (hi - lo) as usize + 1;
            let room = max_entries.saturating_sub(cmap.entries);
            let take = items.len().min(span).min(room);
            if take < items.len().min(span) {
                cmap.truncated = true;
            }
            let start = cmap.array_targets.len() as u32;
            cmap.array_targets
                .extend(items.iter().take(take).map(|b| target_from(b)));
            cmap.entries += take;
            RangeTarget::Array { start }
        }
        _ => return,
    };
    cmap.unicode_ranges.push(Range { lo, hi, target });
    cmap.entries += 1;
}

fn add_cidchar(cmap: &mut CMap, ops: &[Operand]) {
    let (Some(src), Some(cid)) = (bytes_of(&ops[0]), number_of(&ops[1])) else {
        return;
    };
    if src.len() <= 4 {
        cmap.cids.insert(code_value(src), cid);
        cmap.entries += 1;
    }
}

fn add_cidrange(cmap: &mut CMap, ops: &[Operand]) {
    let (Some(lo), Some(hi), Some(cid)) =
        (bytes_of(&ops[0]), bytes_of(&ops[1]), number_of(&ops[2]))
    else {
        return;
    };
    if lo.len() > 4 || hi.len() > 4 {
        return;
    }
    let (lo, hi) = (code_value(lo), code_value(hi));
    if hi >= lo {
        cmap.cid_ranges.push(Range {
            lo,
            hi,
            target: RangeTarget::Cid(cid),
        });
        cmap.entries += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(cmap: &CMap, code: u32) -> Option<String> {
        let mut out = String::new();
        cmap.write_unicode(code, &mut out).then_some(out)
    }

    const HEADER: &str = "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
        /CMapName /Test def /CMapType 2 def\n";

    #[test]
    fn bfchar_and_codespace_are_read() {
        let cmap = CMap::parse(
            format!(
                "{HEADER}1 begincodespacerange <00> <FF> endcodespacerange\n\
                 2 beginbfchar <41> <0133> <42> <0062> endbfchar endcmap"
            )
            .as_bytes(),
        );
        assert_eq!(cmap.codespace, vec![CodeRange::new(1, 0, 0xFF)]);
        assert_eq!(text(&cmap, 0x41).as_deref(), Some("ĳ"));
        assert_eq!(text(&cmap, 0x42).as_deref(), Some("b"));
        assert_eq!(text(&cmap, 0x43), None);
    }

    #[test]
    fn bfrange_offsets_the_last_char() {
        let cmap = CMap::parse(b"1 beginbfrange <0010> <0012> <0061> endbfrange");
        assert_eq!(text(&cmap, 0x10).as_deref(), Some("a"));
        assert_eq!(text(&cmap, 0x12).as_deref(), Some("c"));
        assert_eq!(text(&cmap, 0x13), None);
        assert_eq!(text(&cmap, 0x0F), None);
    }

    #[test]
    fn bfrange_array_form_maps_each_code_to_its_item() {
        let cmap = CMap::parse(b"1 beginbfrange <05> <07> [<0066> <00660069> <FB02>] endbfrange");
        assert_eq!(text(&cmap, 5).as_deref(), Some("f"));
        assert_eq!(text(&cmap, 6).as_deref(), Some("fi"));
        // A ligature code point comes out as its letters.
        assert_eq!(text(&cmap, 7).as_deref(), Some("fl"));
        assert_eq!(text(&cmap, 8), None);
    }

    #[test]
    fn array_shorter_than_range_leaves_the_rest_unmapped() {
        let cmap = CMap::parse(b"1 beginbfrange <01> <09> [<0041>] endbfrange");
        assert_eq!(text(&cmap, 1).as_deref(), Some("A"));
        assert_eq!(text(&cmap, 2), None);
    }

    #[test]
    fn surrogate_pairs_and_multi_char_targets_decode() {
        let cmap = CMap::parse(
            b"2 beginbfchar <0001> <D835DC00> <0002> <006600660069> endbfchar\n\
              1 beginbfrange <0003> <0004> <D83DDE00> endbfrange",
        );
        assert_eq!(text(&cmap, 1).as_deref(), Some("\u{1D400}"));
        assert_eq!(text(&cmap, 2).as_deref(), Some("ffi"));
        assert_eq!(text(&cmap, 3).as_deref(), Some("😀"));
        assert_eq!(text(&cmap, 4).as_deref(), Some("😁"));
    }

    #[test]
    fn junk_targets_are_not_text() {
        let cmap =
            CMap::parse(b"4 beginbfchar <01> <FFFD> <02> <0000> <03> <E001> <04> <D800> endbfchar");
        for code in 1..=4 {
            assert_eq!(text(&cmap, code), None, "code {code}");
        }
    }

    #[test]
    fn huge_bfrange_is_one_entry_not_one_per_code() {
        let cmap = CMap::parse(b"1 beginbfrange <00000000> <FFFFFFFF> <0041> endbfrange");
        assert_eq!(cmap.entries, 1);
        assert!(cmap.unicode.is_empty() && cmap.array_targets.is_empty());
        assert_eq!(text(&cmap, 0).as_deref(), Some("A"));
        assert_eq!(text(&cmap, 1).as_deref(), Some("B"));
        // Far beyond Unicode: unmapped, not a panic.
        assert_eq!(text(&cmap, 0xFFFF_FFFF), None);
    }

    #[test]
    fn entry_cap_truncates_instead_of_growing() {
        let mut data = String::from("beginbfchar\n");
        for code in 0..100 {
            data.push_str(&format!("<{code:04X}> <0041>\n"));
        }
        data.push_str("endbfchar");
        let cmap = CMap::parse_with_limit(data.as_bytes(), 10);
        assert!(cmap.truncated);
        assert_eq!(cmap.unicode.len(), 10);
        assert_eq!(text(&cmap, 99), None);
    }

    #[test]
    fn cid_ranges_usecmap_and_wmode_are_read() {
        let cmap = CMap::parse(
            b"/WMode 1 def /Identity-H usecmap\n\
              2 begincodespacerange <00> <80> <8140> <FEFE> endcodespacerange\n\
              1 begincidrange <8140> <817E> 633 endcidrange\n\
              1 begincidchar <20> 1 endcidchar",
        );
        assert_eq!(cmap.wmode, 1);
        assert_eq!(cmap.use_cmap.as_deref(), Some(&b"Identity-H"[..]));
        assert_eq!(cmap.cid(0x8140), Some(633));
        assert_eq!(cmap.cid(0x8142), Some(635));
        assert_eq!(cmap.cid(0x20), Some(1));
        assert_eq!(cmap.cid(0x21), None);
        // Mixed one- and two-byte codes split by the code-space ranges.
        assert_eq!(next_code(&cmap.codespace, b"\x20\x81\x40"), (0x20, 1));
        assert_eq!(next_code(&cmap.codespace, b"\x81\x40"), (0x8140, 2));
    }

    #[test]
    fn bytes_in_no_range_are_consumed_with_the_shortest_length() {
        let ranges = [CodeRange::new(2, 0x8140, 0xFEFE)];
        assert_eq!(next_code(&ranges, b"\x01\x02\x03"), (0x0102, 2));
        assert_eq!(next_code(&ranges, b"\x01"), (0x01, 1));
    }

    #[test]
    fn garbage_does_not_panic() {
        for data in [
            &b"beginbfrange <01> [ <41> ( endbfrange"[..],
            b"beginbfchar <41",
            b"begincodespacerange <0000> <FF> <> <> endcodespacerange",
            b"beginbfrange <05> <01> <0041> endbfrange (\\",
            b"]]]] [[[[ << >> {{ %",
        ] {
            let cmap = CMap::parse(data);
            let _ = text(&cmap, 0x41);
        }
    }

    #[test]
    fn cid_entries_in_a_tounicode_map_are_read_as_scalars() {
        let cmap = CMap::parse(
            b"1 beginbfrange <0000> <007F> <0000> endbfrange\n\
              1 begincidrange <0200> <02FF> 512 endcidrange\n\
              1 begincidchar <4E2D> 20013 endcidchar",
        );
        assert_eq!(text(&cmap, 0x41).as_deref(), Some("A"));
        assert_eq!(text(&cmap, 0x201).as_deref(), Some("\u{201}"));
        assert_eq!(text(&cmap, 0x4E2D).as_deref(), Some("中"));
        assert_eq!(text(&cmap, 0x300), None);
    }
}
