//! A tolerant tokenizer for content streams.
//!
//! lopdf's `Content::decode` stops silently at the first token it cannot parse and drops
//! the rest of the page; real files carry junk (stray brackets, broken numbers, binary
//! inline images). This lexer skips what it does not understand and carries on. It also
//! allocates nothing per token: operands are small values, and the bytes of strings and
//! names go into one arena that the caller clears after each operator.

/// One operand. Strings and names are byte ranges in the caller's arena (already
/// unescaped); arrays and dictionaries are flat, delimited by open and close markers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Tok {
    Num(f32),
    Name(u32, u32),
    Str(u32, u32),
    ArrOpen,
    ArrClose,
    DictOpen,
    DictClose,
    Other,
}

/// The operators the interpreter acts on; everything else is `Other` and only clears the
/// operand stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    BeginText,
    EndText,
    Save,
    Restore,
    Concat,
    CharSpace,
    WordSpace,
    HScale,
    Leading,
    Font,
    Rise,
    Render,
    MoveText,
    MoveTextLeading,
    SetMatrix,
    NextLine,
    ShowText,
    ShowArray,
    NextLineShow,
    NextLineSpacedShow,
    Do,
    BeginMarkedProps,
    BeginMarked,
    EndMarked,
    InlineImage,
    Other,
}

/// Operands kept per operator at most; more is junk (a real operator takes at most six,
/// a TJ array a few thousand).
const MAX_OPERANDS: usize = 1 << 16;

/// Reads operators one at a time from a content stream held by the caller.
#[derive(Debug, Default, Clone)]
pub struct Lexer {
    pub pos: usize,
}

impl Lexer {
    /// Reads up to the next operator. Operands are appended to `operands`, their bytes to
    /// `arena`. Returns `None` at the end of the data.
    pub fn next_op(
        &mut self,
        data: &[u8],
        operands: &mut Vec<Tok>,
        arena: &mut Vec<u8>,
    ) -> Option<Op> {
        loop {
            let c = *data.get(self.pos)?;
            match c {
                b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'\0' => self.pos += 1,
                b'%' => {
                    while let Some(&c) = data.get(self.pos) {
                        if c == b'\n' || c == b'\r' {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                b'(' => {
                    self.pos += 1;
                    let start = arena.len();
                    self.literal_string(data, arena);
                    push(operands, Tok::Str(start as u32, arena.len() as u32));
                }
                b'<' => {
                    if data.get(self.pos + 1) == Some(&b'<') {
                        self.pos += 2;
                        push(operands, Tok::DictOpen);
                    } else {
                        self.pos += 1;
                        let start = arena.len();
                        self.hex_string(data, arena);
                        push(operands, Tok::Str(start as u32, arena.len() as u32));
                    }
                }
                b'>' => {
                    self.pos += if data.get(self.pos + 1) == Some(&b'>') {
                        2
                    } else {
                        1
                    };
                    push(operands, Tok::DictClose);
                }
                b'[' => {
                    self.pos += 1;
                    push(operands, Tok::ArrOpen);
                }
                b']' => {
                    self.pos += 1;
                    push(operands, Tok::ArrClose);
                }
                b'/' => {
                    self.pos += 1;
                    let start = arena.len();
                    self.name(data, arena);
                    push(operands, Tok::Name(start as u32, arena.len() as u32));
                }
                b'{' | b'}' | b')' => self.pos += 1,
                b'0'..=b'9' | b'+' | b'-' | b'.' => {
                    let end = self.regular_end(data);
                    let tok = parse_number(&data[self.pos..end]).map_or(Tok::Other, Tok::Num);
                    self.pos = end;
                    push(operands, tok);
                }
                _ => {
                    let end = self.regular_end(data);
                    let word = &data[self.pos..end];
                    self.pos = end;
                    let op = keyword(word);
                    match op {
                        Some(Op::InlineImage) => {
                            self.skip_inline_image(data);
                            return Some(Op::InlineImage);
                        }
                        Some(op) => return Some(op),
                        // `true`, `false`, `null` are operands; anything else is an
                        // operator we do not act on, and it consumes its operands.
                        None if matches!(word, b"true" | b"false" | b"null") => {
                            push(operands, Tok::Other)
                        }
                        None => return Some(Op::Other),
                    }
                }
            }
        }
    }

    fn regular_end(&self, data: &[u8]) -> usize {
        let mut end = self.pos + 1;
        while let Some(&c) = data.get(end) {
            if is_delimiter_or_space(c) {
                break;
            }
            end += 1;
        }
        end.min(data.len())
    }

    fn literal_string(&mut self, data: &[u8], arena: &mut Vec<u8>) {
        let mut depth = 1u32;
        while let Some(&c) = data.get(self.pos) {
            self.pos += 1;
            match c {
                b'(' => {
                    depth += 1;
                    arena.push(c);
                }
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        return;
                    }
                    arena.push(c);
                }
                b'\\' => {
                    let Some(&e) = data.get(self.pos) else { return };
                    self.pos += 1;
                    match e {
                        b'n' => arena.push(b'\n'),
                        b'r' => arena.push(b'\r'),
                        b't' => arena.push(b'\t'),
                        b'b' => arena.push(8),
                        b'f' => arena.push(12),
                        b'0'..=b'7' => {
                            let mut value = u32::from(e - b'0');
                            for _ in 0..2 {
                                match data.get(self.pos) {
                                    Some(&d @ b'0'..=b'7') => {
                                        value = value * 8 + u32::from(d - b'0');
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            arena.push(value as u8);
                        }
                        // A backslash before an end of line continues the string.
                        b'\r' => {
                            if data.get(self.pos) == Some(&b'\n') {
                                self.pos += 1;
                            }
                        }
                        b'\n' => {}
                        other => arena.push(other),
                    }
                }
                _ => arena.push(c),
            }
        }
    }

    fn hex_string(&mut self, data: &[u8], arena: &mut Vec<u8>) {
        let mut high: Option<u8> = None;
        while let Some(&c) = data.get(self.pos) {
            self.pos += 1;
            let nibble = match c {
                b'>' => break,
                b'0'..=b'9' => c - b'0',
                b'a'..=b'f' => c - b'a' + 10,
                b'A'..=b'F' => c - b'A' + 10,
                _ => continue,
            };
            match high.take() {
                Some(h) => arena.push(h << 4 | nibble),
                None => high = Some(nibble),
            }
        }
        if let Some(h) = high {
            arena.push(h << 4);
        }
    }

    fn name(&mut self, data: &[u8], arena: &mut Vec<u8>) {
        while let Some(&c) = data.get(self.pos) {
            if is_delimiter_or_space(c) {
                break;
            }
            self.pos += 1;
            if c == b'#'
                && let (Some(h), Some(l)) = (
                    data.get(self.pos).and_then(|&b| hex_value(b)),
                    data.get(self.pos + 1).and_then(|&b| hex_value(b)),
                )
            {
                arena.push(h << 4 | l);
                self.pos += 2;
                continue;
            }
            arena.push(c);
        }
    }

    /// Skips an inline image: its dictionary up to `ID`, then binary data up to an `EI`
    /// that stands alone between white space (or the end of the data).
    fn skip_inline_image(&mut self, data: &[u8]) {
        let Some(id) = find_token(data, self.pos, b"ID") else {
            self.pos = data.len();
            return;
        };
        let mut i = id + 3;
        while i + 1 < data.len() {
            if data[i] == b'E'
                && data[i + 1] == b'I'
                && is_space(data[i - 1])
                && data.get(i + 2).is_none_or(|&c| is_space(c))
            {
                self.pos = i + 2;
                return;
            }
            i += 1;
        }
        self.pos = data.len();
    }
}

fn push(operands: &mut Vec<Tok>, tok: Tok) {
    if operands.len() < MAX_OPERANDS {
        operands.push(tok);
    }
}

fn find_token(data: &[u8], from: usize, token: &[u8]) -> Option<usize> {
    let mut i = from;
    while i + token.len() <= data.len() {
        if &data[i..i + token.len()] == token
            && (i == 0 || is_delimiter_or_space(data[i - 1]))
            && data
                .get(i + token.len())
                .is_none_or(|&c| is_delimiter_or_space(c))
        {
            return Some(i);
        }
        i += 1;
    }
    None
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'\0')
}

fn is_delimiter_or_space(c: u8) -> bool {
    is_space(c)
        || matches!(
            c,
            b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
        )
}

/// Parses a PDF number by hand: the `str::parse` route needs UTF-8 validation and is the
/// hot path of every content stream. Junk such as `1.2.3` or `--5` is tolerated the way
/// readers do (the digits read so far count).
fn parse_number(bytes: &[u8]) -> Option<f32> {
    let mut i = 0;
    let mut negative = false;
    while let Some(&c @ (b'+' | b'-')) = bytes.get(i) {
        negative ^= c == b'-';
        i += 1;
    }
    let mut int: f64 = 0.0;
    let mut digits = 0;
    while let Some(&c @ b'0'..=b'9') = bytes.get(i) {
        int = int * 10.0 + f64::from(c - b'0');
        digits += 1;
        i += 1;
    }
    if bytes.get(i) == Some(&b'.') {
        i += 1;
        let mut scale = 0.1;
        while let Some(&c @ b'0'..=b'9') = bytes.get(i) {
            int += f64::from(c - b'0') * scale;
            scale *= 0.1;
            digits += 1;
            i += 1;
        }
    }
    if digits == 0 {
        return None;
    }
    let value = if negative { -int } else { int } as f32;
    value.is_finite().then_some(value)
}

fn keyword(word: &[u8]) -> Option<Op> {
    Some(match word {
        b"BT" => Op::BeginText,
        b"ET" => Op::EndText,
        b"q" => Op::Save,
        b"Q" => Op::Restore,
        b"cm" => Op::Concat,
        b"Tc" => Op::CharSpace,
        b"Tw" => Op::WordSpace,
        b"Tz" => Op::HScale,
        b"TL" => Op::Leading,
        b"Tf" => Op::Font,
        b"Ts" => Op::Rise,
        b"Tr" => Op::Render,
        b"Td" => Op::MoveText,
        b"TD" => Op::MoveTextLeading,
        b"Tm" => Op::SetMatrix,
        b"T*" => Op::NextLine,
        b"Tj" => Op::ShowText,
        b"TJ" => Op::ShowArray,
        b"'" => Op::NextLineShow,
        b"\"" => Op::NextLineSpacedShow,
        b"Do" => Op::Do,
        b"BDC" => Op::BeginMarkedProps,
        b"BMC" => Op::BeginMarked,
        b"EMC" => Op::EndMarked,
        b"BI" => Op::InlineImage,
        b"true" | b"false" | b"null" => return None,
        _ => Op::Other,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ops(data: &[u8]) -> Vec<(Op, Vec<Tok>, Vec<u8>)> {
        let mut lexer = Lexer::default();
        let mut out = Vec::new();
        let mut operands = Vec::new();
        let mut arena = Vec::new();
        while let Some(op) = lexer.next_op(data, &mut operands, &mut arena) {
            out.push((op, operands.clone(), arena.clone()));
            operands.clear();
            arena.clear();
        }
        out
    }

    #[test]
    fn numbers_strings_and_operators_are_read() {
        let got = ops(b"BT /F1 12 Tf 1 0 0 1 -72.5 .5 Tm (a\\)b\\101) Tj <4142 3> Tj ET");
        assert_eq!(got[1].0, Op::Font);
        assert_eq!(got[1].1[1], Tok::Num(12.0));
        assert_eq!(&got[1].2, b"F1");
        assert_eq!(got[2].1[4], Tok::Num(-72.5));
        assert_eq!(got[2].1[5], Tok::Num(0.5));
        assert_eq!(&got[3].2, b"a)bA");
        assert_eq!(&got[4].2, b"AB0");
        assert_eq!(got.last().unwrap().0, Op::EndText);
    }

    #[test]
    fn junk_tokens_are_skipped_and_the_rest_of_the_stream_is_read() {
        let got = ops(b"BT } ) 1.2.3 @@@ {junk (x) Tj ET");
        let shown: Vec<_> = got.iter().filter(|o| o.0 == Op::ShowText).collect();
        assert_eq!(shown.len(), 1);
        assert_eq!(got.last().unwrap().0, Op::EndText);
    }

    #[test]
    fn inline_image_data_is_skipped() {
        let got = ops(b"BI /W 2 /H 2 ID \x00EI(\xff) Tj\nEI BT (a) Tj ET");
        assert_eq!(got[0].0, Op::InlineImage);
        assert_eq!(got[1].0, Op::BeginText);
        assert_eq!(got[2].0, Op::ShowText);
        assert_eq!(&got[2].2, b"a");
    }
}
