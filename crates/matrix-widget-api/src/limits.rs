//! Limits on what a decoder accepts from a peer it does not control, and the one rule for
//! lone surrogates.
//!
//! A host parses whatever its widget's web content posts. The decoder already never panics
//! and never overflows the stack (typed positions are bounded by serde_json's recursion
//! limit of 128, raw positions are skipped iteratively); [`Limits`] bounds the rest, so that
//! memory and time stay proportional to a message of a sane size:
//!
//! | limit | default | what |
//! |---|---|---|
//! | [`max_message_bytes`](Limits::with_max_message_bytes) | 16 MiB | the whole message |
//! | [`max_depth`](Limits::with_max_depth) | 64 | nesting of objects and arrays, `content` and unknown fields included (at most 128) |
//! | [`max_string_bytes`](Limits::with_max_string_bytes) | 1 MiB | any one string or key, as written |
//! | [`max_elements`](Limits::with_max_elements) | 100 000 | keys of one object, or elements of one array |
//! | [`max_id_bytes`](Limits::with_max_id_bytes) | 255 | `widgetId`, `requestId` and `action` (Matrix caps IDs and event types at 255 bytes) |
//!
//! A message over a limit is [`DecodeError::Refused`](crate::DecodeError::Refused), naming
//! the limit. When the top-level `api`, `widgetId`, `requestId` and `action` could be read
//! (they are read even from a message too deep or too large to decode), its
//! [`error_reply`](Refused::error_reply) answers the request — with `data` replaced by
//! `{}` rather than echoing megabytes back.
//!
//! **Lone surrogates.** JSON text may spell a UTF-16 surrogate half on its own
//! (`"\ud800"`); it is not a Unicode character, Rust strings cannot hold it, and Matrix
//! homeservers refuse it. The decoder refuses it everywhere — in typed fields and in raw
//! positions such as `content` alike — as [`Reason::LoneSurrogate`]. (JSON Schema cannot
//! see escapes, so the published schemas accept such a message: one of the two documented
//! differences between the schemas and the decoder, the other being duplicate keys.)
//!
//! The checks cost almost nothing for ordinary messages: a message with fewer brackets than
//! the depth limit, fewer commas than the element limit, shorter than the string limit and
//! without `\u` escapes is never scanned.

use std::fmt;

/// The most nesting a [`Limits`] can allow: serde_json's own recursion limit.
pub const MAX_DEPTH: usize = 128;

/// What a decoder accepts; see the [module docs](self) for the defaults.
///
/// ```
/// use matrix_widget_api::limits::{Limits, Reason};
/// use matrix_widget_api::{DecodeError, Decoder};
///
/// let decoder = Decoder::new(Limits::default().with_max_depth(8));
/// let deep = format!(
///     r#"{{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"send_event","data":{{"type":"t","content":{}}}}}"#,
///     format!("{}{}", r#"{"a":"#.repeat(10), "}".repeat(10)),
/// );
/// let Err(DecodeError::Refused(refused)) = decoder.decode_host(&deep) else { panic!() };
/// assert_eq!(refused.reason(), Reason::TooDeep { max: 8 });
/// assert_eq!(refused.request_id(), Some("r1"));
/// assert!(refused.error_reply().unwrap().contains("nested deeper than 8 levels"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Limits {
    max_message_bytes: usize,
    max_depth: usize,
    max_string_bytes: usize,
    max_elements: usize,
    max_id_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

impl Limits {
    /// The defaults of the [module docs](self).
    pub const DEFAULT: Limits =
        Limits { max_message_bytes: 16 << 20, max_depth: 64, max_string_bytes: 1 << 20, max_elements: 100_000, max_id_bytes: 255 };

    /// The largest message, in bytes.
    pub const fn with_max_message_bytes(self, max: usize) -> Self {
        Limits { max_message_bytes: max, ..self }
    }

    /// The deepest nesting of objects and arrays (the message itself is level 1); capped at
    /// [`MAX_DEPTH`].
    pub const fn with_max_depth(self, max: usize) -> Self {
        Limits { max_depth: if max > MAX_DEPTH { MAX_DEPTH } else { max }, ..self }
    }

    /// The longest string or key, in bytes as written (escapes count as written).
    pub const fn with_max_string_bytes(self, max: usize) -> Self {
        Limits { max_string_bytes: max, ..self }
    }

    /// The most keys in one object or elements in one array.
    pub const fn with_max_elements(self, max: usize) -> Self {
        Limits { max_elements: max, ..self }
    }

    /// The longest `widgetId`, `requestId` and `action`, in bytes.
    pub const fn with_max_id_bytes(self, max: usize) -> Self {
        Limits { max_id_bytes: max, ..self }
    }

    /// The largest message, in bytes.
    pub const fn max_message_bytes(&self) -> usize {
        self.max_message_bytes
    }

    /// The deepest nesting.
    pub const fn max_depth(&self) -> usize {
        self.max_depth
    }

    /// The longest string.
    pub const fn max_string_bytes(&self) -> usize {
        self.max_string_bytes
    }

    /// The most elements of one container.
    pub const fn max_elements(&self) -> usize {
        self.max_elements
    }

    /// The longest ID.
    pub const fn max_id_bytes(&self) -> usize {
        self.max_id_bytes
    }
}

/// Why a message was refused before decoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Reason {
    /// The message is larger than `max` bytes.
    TooLarge {
        /// The limit.
        max: usize,
    },
    /// Objects and arrays nest deeper than `max` levels.
    TooDeep {
        /// The limit.
        max: usize,
    },
    /// A string or key is longer than `max` bytes.
    StringTooLong {
        /// The limit.
        max: usize,
    },
    /// An object or array has more than `max` members.
    TooManyElements {
        /// The limit.
        max: usize,
    },
    /// `widgetId`, `requestId` or `action` is longer than `max` bytes.
    IdTooLong {
        /// The field.
        field: &'static str,
        /// The limit.
        max: usize,
    },
    /// A string holds a lone UTF-16 surrogate escape such as `\ud800`.
    LoneSurrogate,
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::TooLarge { max } => write!(f, "the message is larger than the limit of {max} bytes"),
            Reason::TooDeep { max } => write!(f, "objects and arrays are nested deeper than {max} levels"),
            Reason::StringTooLong { max } => write!(f, "a string is longer than the limit of {max} bytes"),
            Reason::TooManyElements { max } => write!(f, "an object or array has more than {max} members"),
            Reason::IdTooLong { field, max } => write!(f, "`{field}` is longer than the limit of {max} bytes"),
            Reason::LoneSurrogate => {
                f.write_str("a string holds a lone surrogate (an unpaired `\\ud800`–`\\udfff` escape), which is not Unicode")
            }
        }
    }
}

/// The top-level fields read from a refused message, as written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Head {
    pub(crate) api: Option<String>,
    pub(crate) widget_id: Option<String>,
    pub(crate) request_id: Option<String>,
    pub(crate) action: Option<String>,
    /// A top-level `response` that is not `null`: the message is a reply.
    pub(crate) has_response: bool,
}

/// A message refused by a [`Limits`] check or for a lone surrogate.
///
/// Its error reply and its message are built in `decode/error.rs`, with the protocol's
/// types, so that this module depends on nothing else in the crate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
    pub(crate) reason: Reason,
    pub(crate) head: Head,
    /// Whether the message can reach the decoding side at all (see [`Refused::error_reply`]).
    pub(crate) reaches_role: bool,
}

impl Refused {
    /// Why.
    pub fn reason(&self) -> Reason {
        self.reason
    }

    /// The `requestId`, when it could be read.
    pub fn request_id(&self) -> Option<&str> {
        self.head.request_id.as_deref()
    }

    /// The same, decoded by a side that receives the messages of `replies_api` (the wire
    /// name of `api`) as replies: `"toWidget"` for a host, `"fromWidget"` for a widget,
    /// `None` when decoded for no role. A request that cannot reach that side (a fromWidget
    /// request at a widget) gets no reply from it.
    pub(crate) fn for_receiver(mut self, replies_api: Option<&str>) -> Self {
        let expects_response = match (replies_api, self.head.api.as_deref()) {
            (None, _) | (_, None) => return self,
            (Some(replies_api), Some(api)) => api == replies_api,
        };
        self.reaches_role = expects_response == self.head.has_response;
        self
    }
}

/// Checks `text` against `limits`; on failure reads what it can of the envelope.
pub(crate) fn check(text: &str, limits: &Limits) -> Result<(), Box<Refused>> {
    let refuse = |reason| {
        let mut head = head_of(text);
        // An ID over the ID limit is not one this side answers with (it would echo it).
        for id in [&mut head.widget_id, &mut head.request_id, &mut head.action] {
            if id.as_ref().is_some_and(|id| id.len() > limits.max_id_bytes) {
                *id = None;
            }
        }
        Err(Box::new(Refused { reason, head, reaches_role: true }))
    };
    if text.len() > limits.max_message_bytes {
        return refuse(Reason::TooLarge { max: limits.max_message_bytes });
    }
    // One cheap pass decides whether a full scan is needed at all. A message shorter than
    // the element limit cannot hold that many commas, so only its brackets are counted.
    let needs_scan = if text.len() < limits.max_elements {
        let (brackets, backslashes) = brackets_and_backslashes(text.as_bytes());
        brackets > limits.max_depth || text.len() > limits.max_string_bytes || (backslashes > 0 && text.contains("\\u"))
    } else {
        let Counts { brackets, commas, backslashes } = counts(text.as_bytes());
        brackets > limits.max_depth
            || commas >= limits.max_elements
            || text.len() > limits.max_string_bytes
            || (backslashes > 0 && text.contains("\\u"))
    };
    if !needs_scan {
        return Ok(());
    }
    match scan(text.as_bytes(), limits) {
        Ok(()) => Ok(()),
        Err(reason) => refuse(reason),
    }
}

/// How many of the bytes that matter a message has.
struct Counts {
    brackets: usize,
    commas: usize,
    backslashes: usize,
}

/// Counts `{`/`[`, `,` and `\` with byte-wide counters over blocks of 255 bytes, a loop the
/// compiler turns into SIMD compares and adds.
fn counts(bytes: &[u8]) -> Counts {
    let mut total = Counts { brackets: 0, commas: 0, backslashes: 0 };
    for block in bytes.chunks(255) {
        let (mut brackets, mut commas, mut backslashes) = (0u8, 0u8, 0u8);
        for &b in block {
            brackets = brackets.wrapping_add(u8::from(b == b'{') + u8::from(b == b'['));
            commas = commas.wrapping_add(u8::from(b == b','));
            backslashes = backslashes.wrapping_add(u8::from(b == b'\\'));
        }
        total.brackets += usize::from(brackets);
        total.commas += usize::from(commas);
        total.backslashes += usize::from(backslashes);
    }
    total
}

/// Counts `{`/`[` and `\` with byte-wide counters over blocks of 255 bytes (SIMD, as
/// [`counts`]): most messages hold no backslash, and then no `\u` escape to look for.
fn brackets_and_backslashes(bytes: &[u8]) -> (usize, usize) {
    let (mut brackets, mut backslashes) = (0, 0);
    for block in bytes.chunks(255) {
        let (mut n, mut b) = (0u8, 0u8);
        for &byte in block {
            n = n.wrapping_add(u8::from(byte == b'{') + u8::from(byte == b'['));
            b = b.wrapping_add(u8::from(byte == b'\\'));
        }
        brackets += usize::from(n);
        backslashes += usize::from(b);
    }
    (brackets, backslashes)
}

/// The full scan: depth, members per container, string lengths and surrogate escapes. It
/// does not validate JSON (the decoder does); on malformed input it stops quietly.
#[expect(clippy::indexing_slicing, reason = "every index is checked against `bytes.len()` first")]
fn scan(bytes: &[u8], limits: &Limits) -> Result<(), Reason> {
    let mut counts = [0usize; MAX_DEPTH + 1];
    let mut depth = 0usize;
    let mut i = 0usize;
    while i < bytes.len() {
        match bytes[i] {
            b'{' | b'[' => {
                depth += 1;
                if depth > limits.max_depth {
                    return Err(Reason::TooDeep { max: limits.max_depth });
                }
                counts[depth] = 0;
                i += 1;
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            b',' => {
                counts[depth] += 1;
                // n commas separate n + 1 members.
                if counts[depth] >= limits.max_elements {
                    return Err(Reason::TooManyElements { max: limits.max_elements });
                }
                i += 1;
            }
            b'"' => {
                let start = i + 1;
                i = start;
                loop {
                    let Some(&b) = bytes.get(i) else { return Ok(()) };
                    match b {
                        b'"' => break,
                        b'\\' => {
                            if bytes.get(i + 1) == Some(&b'u') {
                                let unit = hex4(bytes.get(i + 2..i + 6));
                                match unit {
                                    Some(0xD800..=0xDBFF) => {
                                        let next = (bytes.get(i + 6) == Some(&b'\\') && bytes.get(i + 7) == Some(&b'u'))
                                            .then(|| hex4(bytes.get(i + 8..i + 12)))
                                            .flatten();
                                        if !matches!(next, Some(0xDC00..=0xDFFF)) {
                                            return Err(Reason::LoneSurrogate);
                                        }
                                        i += 12;
                                    }
                                    Some(0xDC00..=0xDFFF) => return Err(Reason::LoneSurrogate),
                                    _ => i += 6,
                                }
                            } else {
                                i += 2;
                            }
                        }
                        _ => i += 1,
                    }
                }
                if i - start > limits.max_string_bytes {
                    return Err(Reason::StringTooLong { max: limits.max_string_bytes });
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    Ok(())
}

fn hex4(digits: Option<&[u8]>) -> Option<u16> {
    let digits = std::str::from_utf8(digits?).ok()?;
    u16::from_str_radix(digits, 16).ok()
}

/// How much of a refused message is searched for its envelope.
const HEAD_WINDOW: usize = 64 << 10;

/// The top-level `api`, `widgetId`, `requestId` and `action` strings, and whether there is
/// a non-null `response`, read without decoding nested values: this works however deep or
/// large the rest is. Only the first 64 KiB are searched.
#[expect(clippy::indexing_slicing, reason = "every index is checked against `bytes.len()` first")]
fn head_of(text: &str) -> Head {
    let bytes = &text.as_bytes()[..text.len().min(HEAD_WINDOW)];
    let mut head = Head::default();
    let mut depth = 0usize;
    let mut i = 0usize;
    // At depth 1: the last key read, and whether a value is expected next.
    let mut key: Option<String> = None;
    let mut expect_key = false;
    while i < bytes.len() {
        match bytes[i] {
            b'{' | b'[' => {
                depth += 1;
                expect_key = depth == 1;
                i += 1;
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            b',' => {
                expect_key = depth == 1;
                i += 1;
            }
            b'"' => {
                let start = i;
                i += 1;
                while let Some(&b) = bytes.get(i) {
                    match b {
                        b'"' => break,
                        b'\\' => i += 2,
                        _ => i += 1,
                    }
                }
                let Some(literal) = text.get(start..=i) else { break };
                i += 1;
                if depth != 1 {
                    continue;
                }
                let value: Option<String> = serde_json::from_str(literal).ok();
                if expect_key {
                    key = value;
                    expect_key = false;
                } else if let (Some(k), Some(v)) = (key.take(), value) {
                    match k.as_str() {
                        "api" => head.api = Some(v),
                        "widgetId" => head.widget_id = Some(v),
                        "requestId" => head.request_id = Some(v),
                        "action" => head.action = Some(v),
                        _ => {}
                    }
                }
            }
            b':' if depth == 1 && key.as_deref() == Some("response") => {
                let next = bytes[i + 1..].iter().find(|b| !b.is_ascii_whitespace());
                head.has_response = next.is_some_and(|&b| b != b'n');
                i += 1;
            }
            _ => i += 1,
        }
    }
    head
}

/// The `Refused` for an envelope ID over the limit, given the envelope's fields.
pub(crate) fn id_too_long(
    api: impl fmt::Display,
    widget_id: &str,
    request_id: &str,
    action: &str,
    limits: &Limits,
) -> Option<Box<Refused>> {
    let max = limits.max_id_bytes;
    let field = if widget_id.len() > max {
        "widgetId"
    } else if request_id.len() > max {
        "requestId"
    } else if action.len() > max {
        "action"
    } else {
        return None;
    };
    // What is within the limit is kept whole; the field over it is not kept at all (a cut
    // ID would be another ID).
    let bounded = |s: &str| (s.len() <= max).then(|| s.to_owned());
    let head = Head {
        api: Some(api.to_string()),
        widget_id: bounded(widget_id),
        request_id: bounded(request_id),
        action: bounded(action),
        has_response: false,
    };
    Some(Box::new(Refused { reason: Reason::IdTooLong { field, max }, head, reaches_role: true }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn head_is_read_from_broken_messages() {
        let head =
            head_of(r#"{"api":"fromWidget","widgetId":"w","data":{"requestId":"inner"},"requestId":"r\"1","action":"x","response":null"#);
        assert_eq!(head.request_id.as_deref(), Some("r\"1"));
        assert_eq!(head.widget_id.as_deref(), Some("w"));
        assert!(!head.has_response);
        let head = head_of(r#"{"requestId":"r","response":{"error":{}}}"#);
        assert!(head.has_response);
    }

    #[test]
    fn surrogates() {
        let limits = Limits::default();
        assert_eq!(scan(br#"{"a":"\ud800"}"#, &limits), Err(Reason::LoneSurrogate));
        assert_eq!(scan(br#"{"a":"\udc00x"}"#, &limits), Err(Reason::LoneSurrogate));
        assert_eq!(scan(br#"{"a":"\ud800\u0041"}"#, &limits), Err(Reason::LoneSurrogate));
        assert_eq!(scan(br#"{"a":"\ud83d\ude00 \\ud800"}"#, &limits), Ok(()));
        assert_eq!(scan(br#"{"\uD800":1}"#, &limits), Err(Reason::LoneSurrogate));
    }

    #[test]
    fn counts_cross_block_boundaries() {
        let text = format!("{}{}{}", "[{,".repeat(300), "\\".repeat(7), "x".repeat(1000));
        let c = counts(text.as_bytes());
        assert_eq!((c.brackets, c.commas, c.backslashes), (600, 300, 7));
    }

    #[test]
    fn members_and_depth() {
        let limits = Limits::default().with_max_elements(3).with_max_depth(3);
        assert_eq!(scan(b"[1,2,3]", &limits), Ok(()));
        assert_eq!(scan(b"[1,2,3,4]", &limits), Err(Reason::TooManyElements { max: 3 }));
        assert_eq!(scan(b"[[[1]],[[2]]]", &limits), Ok(()));
        assert_eq!(scan(b"[[[[1]]]]", &limits), Err(Reason::TooDeep { max: 3 }));
        assert_eq!(scan(br#"["a,b,c,d"]"#, &limits), Ok(()), "commas in strings do not count");
    }
}
