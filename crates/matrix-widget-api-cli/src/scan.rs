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
    /// The message's `api`, when it could be read (absent otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) api: Option<String>,
    /// `request` or `response` (a reply of either outcome), when the whole top level could
    /// be read (absent otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) kind: Option<&'static str>,
    /// The message's `action`, when it could be read (absent otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) action: Option<String>,
    /// What was wrong, as a sentence naming the field.
    pub(crate) error: String,
}

impl Failure {
    /// A failed line, with what a tolerant scan of its bytes can still read.
    pub(crate) fn new(line: &Line<'_>, error: String) -> Self {
        let bytes = match line.content {
            Content::Complete(bytes) => bytes,
            Content::TooLong { prefix, .. } => prefix,
        };
        let found = scan(bytes);
        let complete = matches!(line.content, Content::Complete(_)) && found.complete;
        let kind = (complete && found.api.is_some()).then_some(if found.response { "response" } else { "request" });
        Failure { line: line.number, ok: false, request_id: found.request_id, api: found.api, kind, action: found.action, error }
    }

    /// A line that did not decode; what the decoder read of the envelope wins over the scan.
    pub(crate) fn decode(line: &Line<'_>, error: &DecodeError) -> Self {
        let mut failure = Failure::new(line, error.to_string());
        if let DecodeError::Invalid(invalid) = error {
            let envelope = &invalid.envelope;
            failure.request_id = Some(envelope.request_id().to_owned());
            failure.api = Some(envelope.api().to_string());
            failure.action = Some(envelope.action().as_str().into_owned());
            failure.kind = Some(if invalid.is_response { "response" } else { "request" });
        }
        failure
    }

    /// A line longer than `--max-line-bytes`.
    pub(crate) fn too_long(line: &Line<'_>, length: u64, limit: usize) -> Self {
        Failure::new(line, format!("the line is {length} bytes long, longer than the limit of {limit} bytes (--max-line-bytes)"))
    }
}

/// What a tolerant scan reads of a message's top level.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Found {
    /// The first string `requestId`.
    pub(crate) request_id: Option<String>,
    /// The first string `api`.
    pub(crate) api: Option<String>,
    /// The first string `action`.
    pub(crate) action: Option<String>,
    /// Whether a `response` key was seen.
    pub(crate) response: bool,
    /// Whether the whole top-level object was read.
    pub(crate) complete: bool,
}

/// The top-level `requestId`: the first one that is a string, read without requiring the
/// rest of the line to be valid. `None` when there is none, or when the line breaks off
/// before it.
#[cfg(test)]
pub(crate) fn request_id(bytes: &[u8]) -> Option<String> {
    scan(bytes).request_id
}

/// Reads `requestId`, `api`, `action` (the first string value of each) and whether there
/// is a `response`, from the top-level object, as far as the bytes allow. Nested values
/// are skipped without recursion limits mattering: serde_json's own depth limit makes the
/// scan stop, not overflow.
pub(crate) fn scan(bytes: &[u8]) -> Found {
    let mut found = Found::default();
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    if (Scan { found: &mut found }).deserialize(&mut deserializer).is_ok() {
        found.complete = true;
    }
    found
}

struct Scan<'a> {
    found: &'a mut Found,
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
        while let Some(key) = map.next_key::<Key>()? {
            let slot = match key {
                Key::RequestId => &mut self.found.request_id,
                Key::Api => &mut self.found.api,
                Key::Action => &mut self.found.action,
                Key::Response => {
                    self.found.response = true;
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
                Key::Other => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            if slot.is_none() {
                let value: Box<RawValue> = map.next_value()?;
                if let Ok(text) = serde_json::from_str::<String>(value.get()) {
                    *slot = Some(text);
                }
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

/// A top-level key the scan looks for.
enum Key {
    RequestId,
    Api,
    Action,
    Response,
    Other,
}

impl<'de> serde::Deserialize<'de> for Key {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
                Ok(match v {
                    "requestId" => Key::RequestId,
                    "api" => Key::Api,
                    "action" => Key::Action,
                    "response" => Key::Response,
                    _ => Key::Other,
                })
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
    fn api_action_and_kind_are_read_where_they_can_be() {
        let found = super::scan(br#"{"api":"fromWidget","requestId":"r1","action":"send_event","data":{"delay":0}}"#);
        assert_eq!(
            (found.api.as_deref(), found.action.as_deref(), found.response, found.complete),
            (Some("fromWidget"), Some("send_event"), false, true)
        );
        let found = super::scan(br#"{"api":"toWidget","action":"capabilities","response":{},"data":"#);
        assert_eq!(
            (found.api.as_deref(), found.action.as_deref(), found.response, found.complete),
            (Some("toWidget"), Some("capabilities"), true, false)
        );
        let found = super::scan(br#"{"api":7,"action":["x"]}"#);
        assert_eq!((found.api, found.action, found.complete), (None, None, true));
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let deep = format!("{{\"requestId\":\"r1\",\"data\":{}{}}}", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(request_id(deep.as_bytes()).as_deref(), Some("r1"));
        let deep = format!("{{\"data\":{},\"requestId\":\"r1\"}}", "[".repeat(100_000));
        assert_eq!(request_id(deep.as_bytes()), None);
    }
}
