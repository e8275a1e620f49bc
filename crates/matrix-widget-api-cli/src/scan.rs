//! What every line-based subcommand reports for a line that fails, and the tolerant scan
//! that recovers its `requestId`.

use crate::input::{Content, Line};
use matrix_widget_api::DecodeError;
use serde::Serialize;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;
use std::fmt;

/// `{"line":N,"ok":false,"request_id":"…" or null,"error":"…"}`.
#[derive(Debug, Serialize)]
pub(crate) struct Failure {
    /// The input line.
    pub(crate) line: usize,
    /// Always `false`.
    pub(crate) ok: bool,
    /// The message's `requestId`, when one could be read.
    pub(crate) request_id: Option<String>,
    /// What was wrong, as a sentence naming the field.
    pub(crate) error: String,
}

impl Failure {
    /// A failure of `line` with `error`; the request ID is read from the line's bytes.
    pub(crate) fn new(line: &Line<'_>, error: String) -> Self {
        let bytes = match line.content {
            Content::Complete(bytes) => bytes,
            Content::TooLong { prefix, .. } => prefix,
        };
        Failure { line: line.number, ok: false, request_id: request_id(bytes), error }
    }

    /// A line that did not decode.
    pub(crate) fn decode(line: &Line<'_>, error: &DecodeError) -> Self {
        let mut failure = Failure::new(line, error.to_string());
        if let Some(envelope) = error.envelope() {
            failure.request_id = Some(envelope.request_id().to_owned());
        }
        failure
    }

    /// A line longer than `limit` bytes.
    pub(crate) fn too_long(line: &Line<'_>, length: u64, limit: usize) -> Self {
        Failure::new(line, format!("the line is {length} bytes long, longer than the limit of {limit} bytes (--max-line-bytes)"))
    }
}

/// The `requestId` of a message that may be broken: the first top-level `requestId` whose
/// value is a string, as far as the bytes parse as a JSON object. Whatever follows it may
/// be broken (bad types, missing fields, invalid UTF-8 elsewhere, truncated or invalid JSON);
/// anything that is not a JSON object gives `None`. Never panics.
pub(crate) fn request_id(bytes: &[u8]) -> Option<String> {
    let mut found = None;
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    // The error, if any, only says where the scan stopped.
    let _ = Scan { found: &mut found }.deserialize(&mut deserializer);
    found
}

/// Walks the top-level object, writing the first string `requestId` to `found` as soon as
/// it is read, so that a later error does not lose it.
struct Scan<'a> {
    found: &'a mut Option<String>,
}

impl<'de> DeserializeSeed<'de> for Scan<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Scan<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<IsRequestId>()? {
            if key.0 && self.found.is_none() {
                let value: Box<RawValue> = map.next_value()?;
                if let Ok(id) = serde_json::from_str::<String>(value.get()) {
                    *self.found = Some(id);
                }
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

/// A key, read as "is it `requestId`?" without keeping it.
struct IsRequestId(bool);

impl<'de> serde::Deserialize<'de> for IsRequestId {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = IsRequestId;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<IsRequestId, E> {
                Ok(IsRequestId(v == "requestId"))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::request_id;

    #[test]
    fn a_broken_envelope_keeps_its_request_id() {
        assert_eq!(request_id(br#"{"api":"sideways","requestId":"r1"}"#).as_deref(), Some("r1"));
        assert_eq!(request_id(br#"{"requestId":"r1","data":{"a":[1,{"b":null}]},"api":7}"#).as_deref(), Some("r1"));
        assert_eq!(request_id(br#"{"requestId":"r\u00e9"}"#).as_deref(), Some("ré"));
    }

    #[test]
    fn the_first_string_request_id_wins() {
        assert_eq!(request_id(br#"{"requestId":7,"requestId":"r2"}"#).as_deref(), Some("r2"));
        assert_eq!(request_id(br#"{"requestId":"r1","requestId":"r2"}"#).as_deref(), Some("r1"));
    }

    #[test]
    fn what_follows_the_request_id_may_be_broken() {
        assert_eq!(request_id(br#"{"requestId":"r1","data":{"#).as_deref(), Some("r1"));
        assert_eq!(request_id(b"{\"requestId\":\"r1\",\"data\":\"\xff\"}").as_deref(), Some("r1"));
    }

    #[test]
    fn anything_else_has_none() {
        for text in [&b""[..], b"[]", b"\"requestId\"", b"{", b"{\"requestId\":", b"{\"data\":{\"requestId\":\"inner\"}}", b"\xff"] {
            assert_eq!(request_id(text), None, "{}", String::from_utf8_lossy(text));
        }
        assert_eq!(request_id(br#"{"requestId":null}"#), None);
        assert_eq!(request_id(br#"{"requestId":["r1"]}"#), None);
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let deep = format!("{{\"requestId\":\"r1\",\"data\":{}{}}}", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(request_id(deep.as_bytes()).as_deref(), Some("r1"));
        let deep = format!("{{\"data\":{},\"requestId\":\"r1\"}}", "[".repeat(100_000));
        assert_eq!(request_id(deep.as_bytes()), None);
    }
}
