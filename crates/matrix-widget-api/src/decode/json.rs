//! The fast path's JSON reader: a serde [`Deserializer`](de::Deserializer) over one message's
//! text that reads it the way `serde_json::from_str` does, and gives up on anything else.
//!
//! The decoder first runs its pass (`visitor.rs`) through this reader. It succeeds only on a
//! message that serde_json reads the same way and that is well inside the
//! [`Limits`](crate::limits::Limits), checking those limits as it goes instead of in a
//! separate scan. On anything else — invalid JSON, a payload its type refuses, a float, an
//! integer beyond 64 bits, a surrogate escape without its pair, a message near a limit — it
//! gives up with [`Bail`], which carries no message, and the decoder starts again the slow
//! way: the limits scan, then serde_json, which produce the precise error. So this reader
//! never decides what is accepted; it only makes what is accepted cheaper (wire decision
//! 44), and a differential test and fuzz target check that both ways agree.
//!
//! What makes it cheaper than serde_json here: the limits are counted in the same pass (no
//! separate scan of the text), strings are scanned eight bytes at a time even when short
//! (keys, IDs), and nothing is done to produce an error message that would be thrown away.
//!
//! serde_json's behaviour this reproduces, for the inputs it accepts: strings without
//! escapes are borrowed from the text, others decoded into a scratch buffer; an integer is
//! visited as `u64`, or `i64` when negative, and `-0` as the float `-0.0`; a map or sequence
//! its visitor did not read to the end is an error; a struct may be written as an array; an
//! enum is a string (unit variant) or an object of one member; `serde_json::value::RawValue`
//! is captured through serde_json's documented-by-behaviour private token, so that raw
//! `content` and unknown fields stay byte-exact slices of the text. Should that token ever
//! change, raw values fail here and every message takes the slow path: slower, not wrong.

use crate::api::Api;
use crate::limits::Limits;
use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, DeserializeSeed, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor};
use std::fmt;

/// The name serde_json's `RawValue` asks its deserializer for, to be handed the raw text.
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

/// The fast path gave up; the message is decoded the slow way, which says why.
#[derive(Debug)]
pub(super) struct Bail;

impl fmt::Display for Bail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not decodable on the fast path")
    }
}

impl std::error::Error for Bail {}

impl de::Error for Bail {
    #[inline]
    fn custom<T: fmt::Display>(_: T) -> Self {
        Bail
    }
}

/// The reader over one message's text.
pub(super) struct Reader<'de> {
    text: &'de str,
    bytes: &'de [u8],
    pos: usize,
    /// Objects and arrays open at `pos`.
    depth: usize,
    /// Members and elements read so far, in the whole message, when `counting`.
    elements: usize,
    /// Whether members are counted: each takes at least a byte, so a message shorter than the
    /// element limit cannot reach it.
    counting: bool,
    /// Gives up at this depth, at this many members, and on a string this long (with its
    /// quotes): each is at or below the limit it stands for, so a message the reader
    /// accepts is never one the limits would refuse.
    max_depth: usize,
    max_elements: usize,
    max_string: usize,
    /// Whether string lengths are checked: no string is longer than a message within the
    /// string limit.
    measuring: bool,
    /// Strings with escapes, decoded.
    scratch: String,
}

/// `serde_json::from_str`, through the reader where it does not give up: the same value or
/// error, fewer instructions. For a part of a message read on its own (an error reply's
/// `error`).
pub(crate) fn from_str<'a, T: de::Deserialize<'a>>(text: &'a str) -> Result<T, serde_json::Error> {
    let fast = Reader::new(text, &Limits::DEFAULT).ok_or(Bail).and_then(|mut reader| {
        let value = T::deserialize(&mut reader)?;
        reader.end().map(|()| value)
    });
    match fast {
        Ok(value) => Ok(value),
        Err(Bail) => serde_json::from_str(text),
    }
}

/// What a message's head holds: its `api`, and its three strings as written (no escapes).
pub(super) struct Head<'de> {
    pub(super) api: Api,
    pub(super) widget_id: &'de str,
    pub(super) request_id: &'de str,
    pub(super) action: &'de str,
    /// The key `data` followed, and was read: the reader stands before its colon.
    pub(super) data_follows: bool,
}

/// One of eight bytes set in every byte of a word.
const ONES: u64 = 0x0101_0101_0101_0101;
/// The high bit of every byte of a word.
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The bytes of `word` that end a run of plain string content (`"`, `\` or a control
/// character), as their high bits. Flipping bit 1 of every byte maps `"` (0x22) to 0x20 and
/// keeps the control characters below 0x20, so one "less than 0x21" test finds both. The
/// lowest set bit is always a true one: the borrows of the subtractions can only mark bytes
/// above a byte that is really there.
#[inline(always)]
fn specials(word: u64) -> u64 {
    let flipped = word ^ (ONES * 0x02);
    let quote_or_control = flipped.wrapping_sub(ONES * 0x21) & !flipped;
    let backslash = word ^ (ONES * u64::from(b'\\'));
    let zero_backslash = backslash.wrapping_sub(ONES) & !backslash;
    (quote_or_control | zero_backslash) & HIGHS
}

/// The value of a hexadecimal digit.
#[inline]
fn hex(byte: u8) -> Option<u16> {
    match byte {
        b'0'..=b'9' => Some(u16::from(byte - b'0')),
        b'a'..=b'f' => Some(u16::from(byte - b'a' + 10)),
        b'A'..=b'F' => Some(u16::from(byte - b'A' + 10)),
        _ => None,
    }
}

impl<'de> Reader<'de> {
    /// A reader of `text` that gives up well inside `limits`, or `None` when the whole
    /// message is over the size limit.
    pub(super) fn new(text: &'de str, limits: &Limits) -> Option<Self> {
        if text.len() > limits.max_message_bytes() {
            return None;
        }
        Some(Reader {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            depth: 0,
            elements: 0,
            counting: text.len() >= limits.max_elements(),
            max_depth: limits.max_depth(),
            max_elements: limits.max_elements(),
            max_string: limits.max_string_bytes(),
            measuring: text.len() > limits.max_string_bytes(),
            scratch: String::new(),
        })
    }

    /// The head of the message as every known peer writes it, with nothing between the
    /// tokens and no escape in the strings: `{"api":"fromWidget","widgetId":"…",
    /// "requestId":"…","action":"…"` (or `toWidget`), usually followed by `,"data"`. When the
    /// text starts so, the head is read and returned, and the reader stands inside the object
    /// after the action's value, or before the colon of `data` when it followed; otherwise
    /// nothing is read.
    #[inline(always)]
    pub(super) fn canonical_head(&mut self) -> Result<Option<Head<'de>>, Bail> {
        const FROM_WIDGET: &[u8] = br#"{"api":"fromWidget","widgetId":""#;
        const TO_WIDGET: &[u8] = br#"{"api":"toWidget","widgetId":""#;
        let (api, at) = if self.bytes.starts_with(FROM_WIDGET) {
            (Api::FromWidget, FROM_WIDGET.len())
        } else if self.bytes.starts_with(TO_WIDGET) {
            (Api::ToWidget, TO_WIDGET.len())
        } else {
            return Ok(None);
        };
        let Some((widget_id, at)) = self.head_string(at, br#","requestId":""#)? else { return Ok(None) };
        let Some((request_id, at)) = self.head_string(at, br#","action":""#)? else { return Ok(None) };
        let Some((action, mut at)) = self.head_string(at, b"")? else { return Ok(None) };
        // `data` comes next in every message known peers write: its key is read here too,
        // and its value (after the colon) by the visitor.
        const DATA: &[u8] = br#","data""#;
        let data_follows = self.bytes.get(at..).is_some_and(|rest| rest.starts_with(DATA));
        if data_follows {
            at += DATA.len();
        }
        self.pos = at;
        self.enter()?;
        self.count_many(4 + usize::from(data_follows))?;
        Ok(Some(Head { api, widget_id, request_id, action, data_follows }))
    }

    /// A head's string starting at `at`, without escapes, and the text after it, which must
    /// start with `next`: the string and where the text goes on after `next`.
    #[inline(always)]
    fn head_string(&self, at: usize, next: &[u8]) -> Result<Option<(&'de str, usize)>, Bail> {
        let end = self.scan_plain(at);
        if self.bytes.get(end) != Some(&b'"') {
            // An escape (or anything else): the generic pass reads it.
            return Ok(None);
        }
        self.measure(at, end)?;
        let string = self.text.get(at..end).ok_or(Bail)?;
        let after = end + 1;
        Ok(self.bytes.get(after..).filter(|rest| rest.starts_with(next)).map(|_| (string, after + next.len())))
    }

    /// The members after a [`canonical_head`](Self::canonical_head), for the visitor; then
    /// [`close_object`](Self::close_object).
    pub(super) fn members_after_head(&mut self) -> impl MapAccess<'de, Error = Bail> + '_ {
        Members { reader: self, first: false }
    }

    /// The end of the object whose members were read.
    pub(super) fn close_object(&mut self) -> Result<(), Bail> {
        self.leave(b'}')
    }

    /// The end, `close`, of the object or array whose members were read.
    #[inline(always)]
    fn leave(&mut self, close: u8) -> Result<(), Bail> {
        self.expect(close)?;
        self.depth -= 1;
        Ok(())
    }

    /// Only white space is left.
    pub(super) fn end(&mut self) -> Result<(), Bail> {
        self.ws();
        if self.pos == self.bytes.len() { Ok(()) } else { Err(Bail) }
    }

    #[inline(always)]
    fn ws(&mut self) {
        // Peers write compact JSON: one comparison decides for most tokens.
        if self.bytes.get(self.pos).is_some_and(|&b| b > b' ') {
            return;
        }
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    /// The next byte after white space.
    #[inline(always)]
    fn peek(&mut self) -> Result<u8, Bail> {
        match self.bytes.get(self.pos) {
            Some(&b) if b > b' ' => Ok(b),
            _ => self.peek_after_ws(),
        }
    }

    #[cold]
    fn peek_after_ws(&mut self) -> Result<u8, Bail> {
        self.ws();
        self.bytes.get(self.pos).copied().ok_or(Bail)
    }

    /// Expects `byte` after white space, and steps over it.
    #[inline(always)]
    fn expect(&mut self, byte: u8) -> Result<(), Bail> {
        if self.peek()? == byte {
            self.pos += 1;
            Ok(())
        } else {
            Err(Bail)
        }
    }

    #[inline(always)]
    fn enter(&mut self) -> Result<(), Bail> {
        self.depth += 1;
        if self.depth >= self.max_depth { Err(Bail) } else { Ok(()) }
    }

    #[inline(always)]
    fn count(&mut self) -> Result<(), Bail> {
        self.count_many(1)
    }

    /// Counts `n` members or elements.
    #[inline(always)]
    fn count_many(&mut self, n: usize) -> Result<(), Bail> {
        if self.counting {
            self.elements += n;
            if self.elements >= self.max_elements {
                return Err(Bail);
            }
        }
        Ok(())
    }

    /// Checks a string's length as written, `start..end` without its quotes.
    #[inline(always)]
    fn measure(&self, start: usize, end: usize) -> Result<(), Bail> {
        if self.measuring && end - start + 2 > self.max_string { Err(Bail) } else { Ok(()) }
    }

    /// From `i`, the first byte that is `"`, `\` or a control character, or the end.
    #[inline(always)]
    fn scan_plain(&self, mut i: usize) -> usize {
        while let Some(word) = self.bytes.get(i..).and_then(<[u8]>::first_chunk::<8>) {
            let found = specials(u64::from_le_bytes(*word));
            if found != 0 {
                return i + (found.trailing_zeros() / 8) as usize;
            }
            i += 8;
        }
        while let Some(&byte) = self.bytes.get(i) {
            if byte == b'"' || byte == b'\\' || byte < 0x20 {
                return i;
            }
            i += 1;
        }
        i
    }

    /// Four hexadecimal digits at `i`.
    #[inline]
    fn hex4(&self, i: usize) -> Result<u16, Bail> {
        let digits = self.bytes.get(i..).and_then(<[u8]>::first_chunk::<4>).ok_or(Bail)?;
        let mut value = 0;
        for &digit in digits {
            value = value << 4 | hex(digit).ok_or(Bail)?;
        }
        Ok(value)
    }

    /// The escape whose letter is at `i` (after its backslash): the character it stands for
    /// and where the text goes on. A surrogate escape must be a pair.
    #[cold]
    fn escape(&self, i: usize) -> Result<(char, usize), Bail> {
        let simple = |c| Ok((c, i + 1));
        match self.bytes.get(i) {
            Some(b'"') => simple('"'),
            Some(b'\\') => simple('\\'),
            Some(b'/') => simple('/'),
            Some(b'b') => simple('\u{8}'),
            Some(b'f') => simple('\u{c}'),
            Some(b'n') => simple('\n'),
            Some(b'r') => simple('\r'),
            Some(b't') => simple('\t'),
            Some(b'u') => {
                let unit = self.hex4(i + 1)?;
                match unit {
                    0xD800..=0xDBFF => {
                        if self.bytes.get(i + 5..i + 7) != Some(b"\\u") {
                            return Err(Bail);
                        }
                        let low = self.hex4(i + 7)?;
                        if !(0xDC00..=0xDFFF).contains(&low) {
                            return Err(Bail);
                        }
                        let code = 0x10000 + ((u32::from(unit) - 0xD800) << 10) + (u32::from(low) - 0xDC00);
                        Ok((char::from_u32(code).ok_or(Bail)?, i + 11))
                    }
                    0xDC00..=0xDFFF => Err(Bail),
                    _ => Ok((char::from_u32(u32::from(unit)).ok_or(Bail)?, i + 5)),
                }
            }
            _ => Err(Bail),
        }
    }

    /// A string whose opening quote is at `pos`: its content's span and whether it holds
    /// escapes (each checked); `pos` moves past the closing quote.
    #[inline(always)]
    fn scan_string(&mut self) -> Result<(usize, usize, bool), Bail> {
        let start = self.pos + 1;
        let mut i = start;
        let mut escaped = false;
        loop {
            i = self.scan_plain(i);
            match self.bytes.get(i) {
                Some(b'"') => break,
                Some(b'\\') => {
                    escaped = true;
                    i = self.escape(i + 1)?.1;
                }
                // A control character, or the end of the text.
                _ => return Err(Bail),
            }
        }
        self.measure(start, i)?;
        self.pos = i + 1;
        Ok((start, i, escaped))
    }

    /// Decodes the escaped string content `start..end` (checked by `scan_string`) into
    /// `scratch`.
    fn unescape(&mut self, start: usize, end: usize) -> Result<(), Bail> {
        self.scratch.clear();
        let mut i = start;
        while i < end {
            let run = self.bytes.get(i..end).and_then(|rest| rest.iter().position(|&b| b == b'\\')).map_or(end, |n| i + n);
            // `i` and `run` are at ASCII bytes (or the end), so at character boundaries.
            self.scratch.push_str(self.text.get(i..run).ok_or(Bail)?);
            if run == end {
                break;
            }
            let (c, next) = self.escape(run + 1)?;
            self.scratch.push(c);
            i = next;
        }
        Ok(())
    }

    /// Visits the string at `pos`.
    #[inline]
    fn string<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value, Bail> {
        let (start, end, escaped) = self.scan_string()?;
        if escaped {
            self.unescape(start, end)?;
            visitor.visit_str(&self.scratch)
        } else {
            visitor.visit_borrowed_str(self.text.get(start..end).ok_or(Bail)?)
        }
    }

    /// The sign and integer part of the number at `pos` (a leading zero stands alone, as
    /// serde_json requires), with its value when it fits in 64 bits.
    #[inline(always)]
    fn integer(&mut self) -> Result<(bool, Option<u64>), Bail> {
        let negative = self.bytes.get(self.pos) == Some(&b'-');
        if negative {
            self.pos += 1;
        }
        let first = match self.bytes.get(self.pos) {
            Some(&digit @ b'0'..=b'9') => digit,
            _ => return Err(Bail),
        };
        self.pos += 1;
        let mut value = Some(u64::from(first - b'0'));
        if first == b'0' {
            if let Some(b'0'..=b'9') = self.bytes.get(self.pos) {
                return Err(Bail);
            }
        } else {
            while let Some(&digit @ b'0'..=b'9') = self.bytes.get(self.pos) {
                value = value.and_then(|v| v.checked_mul(10)).and_then(|v| v.checked_add(u64::from(digit - b'0')));
                self.pos += 1;
            }
        }
        Ok((negative, value))
    }

    /// Visits the number at `pos` as serde_json does; gives up on fractions, exponents and
    /// integers beyond 64 bits (serde_json reads those as floats).
    fn number<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value, Bail> {
        let (negative, value) = self.integer()?;
        let value = value.ok_or(Bail)?;
        if let Some(b'.' | b'e' | b'E') = self.bytes.get(self.pos) {
            return Err(Bail);
        }
        match (negative, value) {
            (false, _) => visitor.visit_u64(value),
            (true, 0) => visitor.visit_f64(-0.0),
            (true, 1..=0x8000_0000_0000_0000) => visitor.visit_i64(0i64.wrapping_sub_unsigned(value)),
            (true, _) => Err(Bail),
        }
    }

    /// Steps over a number, checking its grammar.
    fn skip_number(&mut self) -> Result<(), Bail> {
        self.integer()?;
        if self.bytes.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            self.some_digits()?;
        }
        if let Some(b'e' | b'E') = self.bytes.get(self.pos) {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.bytes.get(self.pos) {
                self.pos += 1;
            }
            self.some_digits()?;
        }
        Ok(())
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    fn some_digits(&mut self) -> Result<(), Bail> {
        let start = self.pos;
        self.digits();
        if self.pos == start { Err(Bail) } else { Ok(()) }
    }

    /// Steps over `word` (`true`, `false` or `null`).
    #[inline]
    fn literal(&mut self, word: &[u8]) -> Result<(), Bail> {
        if self.bytes.get(self.pos..self.pos + word.len()) == Some(word) {
            self.pos += word.len();
            Ok(())
        } else {
            Err(Bail)
        }
    }

    /// A member's key and colon, after white space.
    #[inline(always)]
    fn skip_key(&mut self) -> Result<(), Bail> {
        if self.peek()? != b'"' {
            return Err(Bail);
        }
        self.scan_string()?;
        self.expect(b':')?;
        self.count()
    }

    /// Steps over any value, checking it as serde_json's `ignore_value` does, without
    /// recursion: the open containers are a stack of bits, 1 for an object (the depth stays
    /// below 128, so none is lost).
    fn skip_value(&mut self) -> Result<(), Bail> {
        let base = self.depth;
        let mut objects: u128 = 0;
        loop {
            // A value starts here.
            match self.peek()? {
                b'{' => {
                    self.pos += 1;
                    self.enter()?;
                    if self.peek()? == b'}' {
                        self.pos += 1;
                        self.depth -= 1;
                    } else {
                        objects = objects << 1 | 1;
                        self.skip_key()?;
                        continue;
                    }
                }
                b'[' => {
                    self.pos += 1;
                    self.enter()?;
                    if self.peek()? == b']' {
                        self.pos += 1;
                        self.depth -= 1;
                    } else {
                        objects <<= 1;
                        self.count()?;
                        continue;
                    }
                }
                b'"' => {
                    self.scan_string()?;
                }
                b'-' | b'0'..=b'9' => self.skip_number()?,
                b't' => self.literal(b"true")?,
                b'f' => self.literal(b"false")?,
                b'n' => self.literal(b"null")?,
                _ => return Err(Bail),
            }
            // After a value: close what ends here, up to the next value.
            loop {
                if self.depth == base {
                    return Ok(());
                }
                match (self.peek()?, objects & 1 == 1) {
                    (b',', true) => {
                        self.pos += 1;
                        self.skip_key()?;
                        break;
                    }
                    (b',', false) => {
                        self.pos += 1;
                        self.count()?;
                        break;
                    }
                    (b'}', true) | (b']', false) => {
                        self.pos += 1;
                        self.depth -= 1;
                        objects >>= 1;
                    }
                    _ => return Err(Bail),
                }
            }
        }
    }

    /// Before a member or element of the container that `close` ends: whether one follows
    /// (then counted, and the reader at it). After the first, a comma must come first, and
    /// not right before the end (serde_json refuses a trailing comma).
    #[inline(always)]
    fn next_item(&mut self, first: &mut bool, close: u8) -> Result<bool, Bail> {
        let byte = self.peek()?;
        if byte == close {
            return Ok(false);
        }
        if !*first {
            if byte != b',' {
                return Err(Bail);
            }
            self.pos += 1;
            if self.peek()? == close {
                return Err(Bail);
            }
        }
        *first = false;
        self.count()?;
        Ok(true)
    }

    /// Inside the object or array opening at `pos`, `read` reads its members; then its end,
    /// `close`. The visitor must have read all of it.
    #[inline(always)]
    fn within<T>(&mut self, close: u8, read: impl FnOnce(&mut Self) -> Result<T, Bail>) -> Result<T, Bail> {
        self.pos += 1;
        self.enter()?;
        let value = read(self)?;
        self.leave(close)?;
        Ok(value)
    }

    /// Visits the object at `pos`.
    #[inline]
    fn object<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value, Bail> {
        self.within(b'}', |reader| visitor.visit_map(Members { reader, first: true }))
    }

    /// Visits the array at `pos`.
    #[inline]
    fn array<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value, Bail> {
        self.within(b']', |reader| visitor.visit_seq(Elements { reader, first: true }))
    }
}

/// `deserialize_*` methods that give up: types serde_json reads in ways this reader does
/// not (128-bit integers, byte strings, numeric keys, …).
macro_rules! bail {
    ($($method:ident($($arg:ident: $ty:ty),*);)*) => {$(
        #[inline]
        fn $method<V: Visitor<'de>>(self, $(_: $ty,)* _: V) -> Result<V::Value, Bail> {
            Err(Bail)
        }
    )*};
}

/// Numeric `deserialize_*` methods: a number, else give up.
macro_rules! numbers {
    ($($method:ident)*) => {$(
        #[inline]
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
            match self.peek()? {
                b'-' | b'0'..=b'9' => self.number(visitor),
                _ => Err(Bail),
            }
        }
    )*};
}

impl<'de> de::Deserializer<'de> for &mut Reader<'de> {
    type Error = Bail;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        match self.peek()? {
            b'{' => self.object(visitor),
            b'[' => self.array(visitor),
            b'"' => self.string(visitor),
            b'-' | b'0'..=b'9' => self.number(visitor),
            b't' => {
                self.literal(b"true")?;
                visitor.visit_bool(true)
            }
            b'f' => {
                self.literal(b"false")?;
                visitor.visit_bool(false)
            }
            b'n' => {
                self.literal(b"null")?;
                visitor.visit_unit()
            }
            _ => Err(Bail),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        match self.peek()? {
            b't' => {
                self.literal(b"true")?;
                visitor.visit_bool(true)
            }
            b'f' => {
                self.literal(b"false")?;
                visitor.visit_bool(false)
            }
            _ => Err(Bail),
        }
    }

    numbers! {
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64
        deserialize_f32 deserialize_f64
    }

    bail! {
        deserialize_i128();
        deserialize_u128();
        deserialize_bytes();
        deserialize_byte_buf();
    }

    #[inline]
    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        if self.peek()? == b'"' { self.string(visitor) } else { Err(Bail) }
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        self.deserialize_str(visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        if self.peek()? == b'n' {
            self.literal(b"null")?;
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        if self.peek()? == b'n' {
            self.literal(b"null")?;
            visitor.visit_unit()
        } else {
            Err(Bail)
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _: &'static str, visitor: V) -> Result<V::Value, Bail> {
        self.deserialize_unit(visitor)
    }

    #[inline]
    fn deserialize_newtype_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value, Bail> {
        if name == RAW_VALUE_TOKEN {
            self.ws();
            let start = self.pos;
            self.skip_value()?;
            let raw = self.text.get(start..self.pos).ok_or(Bail)?;
            visitor.visit_map(RawMember { raw: Some(raw) })
        } else {
            visitor.visit_newtype_struct(self)
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        if self.peek()? == b'[' { self.array(visitor) } else { Err(Bail) }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value, Bail> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(self, _: &'static str, _: usize, visitor: V) -> Result<V::Value, Bail> {
        self.deserialize_seq(visitor)
    }

    #[inline]
    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        if self.peek()? == b'{' { self.object(visitor) } else { Err(Bail) }
    }

    #[inline]
    fn deserialize_struct<V: Visitor<'de>>(self, _: &'static str, _: &'static [&'static str], visitor: V) -> Result<V::Value, Bail> {
        match self.peek()? {
            b'{' => self.object(visitor),
            b'[' => self.array(visitor),
            _ => Err(Bail),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(self, _: &'static str, _: &'static [&'static str], visitor: V) -> Result<V::Value, Bail> {
        match self.peek()? {
            b'"' => visitor.visit_enum(UnitVariant { reader: self }),
            b'{' => self.within(b'}', |reader| visitor.visit_enum(OneMember { reader })),
            _ => Err(Bail),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        self.skip_value()?;
        visitor.visit_unit()
    }
}

/// An object's members.
struct Members<'a, 'de> {
    reader: &'a mut Reader<'de>,
    first: bool,
}

impl<'de> MapAccess<'de> for Members<'_, 'de> {
    type Error = Bail;

    #[inline]
    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Bail> {
        let reader = &mut *self.reader;
        if !reader.next_item(&mut self.first, b'}')? {
            return Ok(None);
        }
        if reader.bytes.get(reader.pos) != Some(&b'"') {
            return Err(Bail);
        }
        seed.deserialize(MemberKey { reader }).map(Some)
    }

    #[inline]
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Bail> {
        self.reader.expect(b':')?;
        seed.deserialize(&mut *self.reader)
    }
}

/// An array's elements.
struct Elements<'a, 'de> {
    reader: &'a mut Reader<'de>,
    first: bool,
}

impl<'de> SeqAccess<'de> for Elements<'_, 'de> {
    type Error = Bail;

    #[inline]
    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Bail> {
        let reader = &mut *self.reader;
        if !reader.next_item(&mut self.first, b']')? {
            return Ok(None);
        }
        seed.deserialize(&mut *reader).map(Some)
    }
}

/// A member's key (its opening quote at `pos`): a string, as serde_json's map keys are.
struct MemberKey<'a, 'de> {
    reader: &'a mut Reader<'de>,
}

impl<'de> de::Deserializer<'de> for MemberKey<'_, 'de> {
    type Error = Bail;

    #[inline]
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        self.reader.string(visitor)
    }

    #[inline]
    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        self.reader.string(visitor)
    }

    #[inline]
    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        self.reader.string(visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        self.reader.string(visitor)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        self.reader.string(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        self.reader.string(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        visitor.visit_some(self)
    }

    #[inline]
    fn deserialize_newtype_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value, Bail> {
        if name == RAW_VALUE_TOKEN { Err(Bail) } else { visitor.visit_newtype_struct(self) }
    }

    fn deserialize_enum<V: Visitor<'de>>(self, _: &'static str, _: &'static [&'static str], visitor: V) -> Result<V::Value, Bail> {
        visitor.visit_enum(UnitVariant { reader: self.reader })
    }

    bail! {
        deserialize_bool(); deserialize_i8(); deserialize_i16(); deserialize_i32(); deserialize_i64();
        deserialize_i128(); deserialize_u8(); deserialize_u16(); deserialize_u32(); deserialize_u64();
        deserialize_u128(); deserialize_f32(); deserialize_f64(); deserialize_bytes(); deserialize_byte_buf();
        deserialize_unit(); deserialize_unit_struct(name: &'static str); deserialize_seq();
        deserialize_tuple(len: usize); deserialize_tuple_struct(name: &'static str, len: usize); deserialize_map();
        deserialize_struct(name: &'static str, fields: &'static [&'static str]);
    }
}

/// An enum written as a string (its opening quote at `pos`): a unit variant.
struct UnitVariant<'a, 'de> {
    reader: &'a mut Reader<'de>,
}

impl<'de> EnumAccess<'de> for UnitVariant<'_, 'de> {
    type Error = Bail;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self), Bail> {
        let variant = seed.deserialize(&mut *self.reader)?;
        Ok((variant, self))
    }
}

impl<'de> VariantAccess<'de> for UnitVariant<'_, 'de> {
    type Error = Bail;

    fn unit_variant(self) -> Result<(), Bail> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, _: T) -> Result<T::Value, Bail> {
        Err(Bail)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _: usize, _: V) -> Result<V::Value, Bail> {
        Err(Bail)
    }

    fn struct_variant<V: Visitor<'de>>(self, _: &'static [&'static str], _: V) -> Result<V::Value, Bail> {
        Err(Bail)
    }
}

/// An enum written as an object of one member (after its `{`): the key names the variant.
struct OneMember<'a, 'de> {
    reader: &'a mut Reader<'de>,
}

impl<'de> EnumAccess<'de> for OneMember<'_, 'de> {
    type Error = Bail;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self), Bail> {
        if self.reader.peek()? != b'"' {
            return Err(Bail);
        }
        self.reader.count()?;
        let variant = seed.deserialize(&mut *self.reader)?;
        self.reader.expect(b':')?;
        Ok((variant, self))
    }
}

impl<'de> VariantAccess<'de> for OneMember<'_, 'de> {
    type Error = Bail;

    fn unit_variant(self) -> Result<(), Bail> {
        de::Deserialize::deserialize(&mut *self.reader)
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Bail> {
        seed.deserialize(&mut *self.reader)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value, Bail> {
        de::Deserializer::deserialize_seq(&mut *self.reader, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(self, fields: &'static [&'static str], visitor: V) -> Result<V::Value, Bail> {
        de::Deserializer::deserialize_struct(&mut *self.reader, "", fields, visitor)
    }
}

/// What serde_json hands `RawValue`'s visitor: one member, the token, whose value is the raw
/// text.
struct RawMember<'de> {
    raw: Option<&'de str>,
}

impl<'de> MapAccess<'de> for RawMember<'de> {
    type Error = Bail;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Bail> {
        if self.raw.is_none() {
            return Ok(None);
        }
        seed.deserialize(BorrowedStrDeserializer::new(RAW_VALUE_TOKEN)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Bail> {
        let raw = self.raw.take().ok_or(Bail)?;
        seed.deserialize(BorrowedStrDeserializer::new(raw))
    }
}

#[cfg(test)]
mod tests {
    use super::{Bail, Reader};
    use crate::limits::Limits;
    use serde::Deserialize;
    use serde_json::Value;
    use serde_json::value::RawValue;

    /// What the reader makes of `text` as `T`, if it does not give up.
    fn fast<'a, T: Deserialize<'a>>(text: &'a str) -> Result<T, Bail> {
        let mut reader = Reader::new(text, &Limits::DEFAULT).ok_or(Bail)?;
        let value = T::deserialize(&mut reader)?;
        reader.end()?;
        Ok(value)
    }

    #[test]
    fn agrees_with_serde_json_or_gives_up() {
        let cases = [
            r#"{"a":1,"b":[true,false,null],"c":{"d":"e"},"f":-5,"g":"\u00e9\n\"x\ud83d\ude00"}"#,
            r#" { "a" : [ 1 , 2 ] , "b" : { } , "c" : [ ] } "#,
            "-0",
            "18446744073709551615",
            "-9223372036854775808",
            r#""é — ünïcödé""#,
            r#"{"a":"\/\b\f\r\t"}"#,
        ];
        for text in cases {
            let expected: Value = serde_json::from_str(text).expect("valid JSON");
            let got: Value = fast(text).unwrap_or_else(|_| panic!("the reader gave up on {text}"));
            assert_eq!(got, expected, "{text}");
            if let Some(n) = expected.as_f64() {
                assert_eq!(got.as_f64().map(f64::is_sign_negative), Some(n.is_sign_negative()), "{text}");
            }
        }
    }

    #[test]
    fn gives_up_where_serde_json_fails_or_reads_otherwise() {
        let cases = [
            "",
            "{",
            "[1,]",
            r#"{"a":1,}"#,
            "01",
            "-",
            "1.",
            "1e",
            "tru",
            "nul",
            r#""\x""#,
            "\"a\u{1}b\"",
            r#""\ud800""#,
            r#""\udc00""#,
            r#""\ud800\u0041""#,
            r#"{"a" 1}"#,
            r#"{1:2}"#,
            "[1 2]",
            "1 2",
            // Read by serde_json, but as floats: left to it.
            "1.5",
            "1e3",
            "18446744073709551616",
            "-9223372036854775809",
        ];
        for text in cases {
            assert!(fast::<Value>(text).is_err(), "{text}");
        }
    }

    /// The eight-byte scan finds the same byte as a byte-by-byte one: every byte value at
    /// every position of a word and across two words, after every other byte value.
    #[test]
    fn the_word_scan_finds_the_first_special_byte() {
        let naive = |bytes: &[u8]| bytes.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20).unwrap_or(bytes.len());
        let mut text = vec![b'a'; 20];
        for at in 0..20 {
            for first in 0..=u8::MAX {
                for second in [b'a', b'"', b'\\', 0x1f, 0x20, 0x21, 0x22, 0x23, 0x5b, 0x5c, 0x5d, 0x7f, 0x80, 0xff, 0x00, 0x02] {
                    text.fill(b'a');
                    text[at] = first;
                    if let Some(next) = text.get_mut(at + 1) {
                        *next = second;
                    }
                    let reader = Reader { bytes: &text, ..Reader::new("", &Limits::DEFAULT).expect("empty text") };
                    assert_eq!(reader.scan_plain(0), naive(&text), "{first:#x} at {at}, then {second:#x}");
                }
            }
        }
    }

    /// The head is read where every known peer writes it, and left to the generic pass
    /// otherwise, without moving the reader.
    #[test]
    fn the_canonical_head_is_read_as_text_or_not_at_all() {
        let head = |text: &str| {
            let mut reader = Reader::new(text, &Limits::DEFAULT).expect("small");
            let head = reader.canonical_head().expect("within the limits");
            (head.map(|h| (h.api, h.widget_id.to_owned(), h.request_id.to_owned(), h.action.to_owned(), h.data_follows)), reader.pos)
        };
        let text = r#"{"api":"toWidget","widgetId":"w1","requestId":"r1","action":"capabilities","data":{}}"#;
        let (read, pos) = head(text);
        assert_eq!(read, Some((crate::api::Api::ToWidget, "w1".into(), "r1".into(), "capabilities".into(), true)));
        assert_eq!(text.get(pos..), Some(":{}}"), "the reader stands before the colon of `data`");
        let text = r#"{"api":"fromWidget","widgetId":"w","requestId":"r","action":"x"}"#;
        let (read, pos) = head(text);
        assert_eq!(read.map(|h| h.4), Some(false));
        assert_eq!(text.get(pos..), Some("}"), "the reader stands after the action");
        for text in [
            r#"{"api": "fromWidget","widgetId":"w","requestId":"r","action":"x"}"#,
            r#"{"widgetId":"w","api":"fromWidget","requestId":"r","action":"x"}"#,
            r#"{"api":"fromWidget","widgetId":"w\u0031","requestId":"r","action":"x"}"#,
            r#"{"api":"fromWidget","widgetId":"w","requestId":"r","action":"x\"y"}"#,
            r#"{"api":"fromWidget","widgetId":"w","requestId":"r""#,
            r#"{"api":"FromWidget","widgetId":"w","requestId":"r","action":"x"}"#,
        ] {
            assert_eq!(head(text), (None, 0), "{text}");
        }
    }

    #[test]
    fn raw_values_are_slices_of_the_text() {
        let text = r#"{"content":{"b": [1, 2.5e-3, "\u0041"], "a":null},"n":1}"#;
        #[derive(Deserialize)]
        struct Both<'a> {
            #[serde(borrow)]
            content: &'a RawValue,
            n: u8,
        }
        let both: Both<'_> = fast(text).expect("readable");
        assert_eq!(both.content.get(), r#"{"b": [1, 2.5e-3, "\u0041"], "a":null}"#);
        assert_eq!(both.n, 1);
        let boxed: Box<RawValue> = fast(r#" [1, {"x": "y"}] "#).expect("readable");
        assert_eq!(boxed.get(), r#"[1, {"x": "y"}]"#);
    }

    #[test]
    fn gives_up_inside_the_limits() {
        let limits = Limits::DEFAULT.with_max_depth(4).with_max_elements(5).with_max_string_bytes(10);
        let read = |text: &str| -> Result<Value, Bail> {
            let mut reader = Reader::new(text, &limits).ok_or(Bail)?;
            let value = Value::deserialize(&mut reader)?;
            reader.end()?;
            Ok(value)
        };
        assert!(read(r#"[[1]]"#).is_ok());
        assert!(read(r#"[[[[1]]]]"#).is_err(), "too deep");
        assert!(read(r#"[1,2,3,4,5,6]"#).is_err(), "too many elements");
        assert!(read(r#""0123456789""#).is_err(), "too long a string");
        assert!(Reader::new("[1]", &Limits::DEFAULT.with_max_message_bytes(2)).is_none(), "too large");
    }
}
