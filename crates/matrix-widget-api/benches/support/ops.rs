//! What the benchmarks measure, one function per variant, each over the whole corpus and
//! returning a number that depends on every result (so nothing is optimised away).

#![allow(dead_code, reason = "each bench binary uses a part of the shared support code")]

use super::corpus::Entry;
use super::tagged::TaggedMessage;
use matrix_widget_api::Message;
use serde_json::{Map, Value};
use std::hint::black_box;

/// The floor: parse every message and keep nothing.
pub(crate) fn ignored_any(entries: &[Entry]) -> usize {
    entries.iter().filter(|e| serde_json::from_slice::<serde::de::IgnoredAny>(black_box(&e.bytes)).is_ok()).count()
}

/// The typed decode as the receiving side does it (`decode_as` with its role): UTF-8 check,
/// limits, envelope, typed data, spelled names, the source kept for replies, and for replies
/// the typed outcome.
pub(crate) fn typed(entries: &[Entry]) -> usize {
    entries.iter().filter(|e| matrix_widget_api::decode_as_slice(e.role, black_box(&e.bytes)).map(black_box).is_ok()).count()
}

/// The typed decode without a role (`decode_slice`), as tools that see both sides do it.
pub(crate) fn typed_any_role(entries: &[Entry]) -> usize {
    entries.iter().filter(|e| matrix_widget_api::decode_slice(black_box(&e.bytes)).map(black_box).is_ok()).count()
}

/// A `serde_json::Value` tree.
pub(crate) fn value(entries: &[Entry]) -> usize {
    entries.iter().filter(|e| serde_json::from_slice::<Value>(black_box(&e.bytes)).map(black_box).is_ok()).count()
}

/// The common serde approach (`support/tagged.rs`).
pub(crate) fn tagged_enum(entries: &[Entry]) -> usize {
    entries.iter().filter(|e| serde_json::from_slice::<TaggedMessage>(black_box(&e.bytes)).map(black_box).is_ok()).count()
}

/// What the encode and reply benchmarks start from: every message decoded (typed and as a
/// `Value`), and every request with how it is answered.
pub(crate) struct Prepared {
    pub(crate) typed: Vec<Message>,
    pub(crate) values: Vec<Value>,
    /// Each decoded request, its text, and the `response` the reply carries.
    pub(crate) requests: Vec<(Message, String, Value)>,
}

/// The error a request is answered with when `{}` is not a valid success response for it.
pub(crate) const REFUSAL: &str = "not handled by this benchmark";

impl Prepared {
    pub(crate) fn new(entries: &[Entry]) -> Self {
        let typed: Vec<Message> = entries.iter().map(|e| matrix_widget_api::decode_as(e.role, &e.text).expect("corpus decodes")).collect();
        let values = entries.iter().map(|e| serde_json::from_str(&e.text).expect("JSON")).collect();
        let requests = typed
            .iter()
            .zip(entries)
            .filter(|(m, _)| !m.is_response())
            .map(|(m, e)| {
                let response =
                    if reply_typed_one(m).1 { serde_json::json!({}) } else { serde_json::json!({"error": {"message": REFUSAL}}) };
                (m.clone(), e.text.clone(), response)
            })
            .collect();
        Prepared { typed, values, requests }
    }
}

/// Serialising the typed messages.
pub(crate) fn encode_typed(prepared: &Prepared) -> usize {
    prepared.typed.iter().map(|m| serde_json::to_string(black_box(m)).map_or(0, |s| s.len())).sum()
}

/// Serialising the same messages as `Value`s.
pub(crate) fn encode_value(prepared: &Prepared) -> usize {
    prepared.values.iter().map(|v| serde_json::to_string(black_box(v)).map_or(0, |s| s.len())).sum()
}

/// The library's reply to one decoded request: the acknowledgement `{}` where it is a valid
/// success response, else an error reply; and whether it was the acknowledgement.
fn reply_typed_one(message: &Message) -> (String, bool) {
    let (ack, refuse): (Option<String>, &dyn Fn() -> String) = match message {
        Message::FromWidgetRequest(r) => (r.acknowledge(), &|| r.reply_error(REFUSAL)),
        Message::ToWidgetRequest(r) => (r.acknowledge(), &|| r.reply_error(REFUSAL)),
        Message::FromWidgetResponse(_) | Message::ToWidgetResponse(_) => (None, &String::new),
        _ => (None, &String::new),
    };
    match ack {
        Some(reply) => (reply, true),
        None => (refuse(), false),
    }
}

/// Replies built by the library from decoded requests.
pub(crate) fn reply_typed(prepared: &Prepared) -> usize {
    prepared.requests.iter().map(|(m, _, _)| reply_typed_one(black_box(m)).0.len()).sum()
}

/// The same replies the usual way: parse the request into a map, insert `response`,
/// serialise.
pub(crate) fn reply_value(prepared: &Prepared) -> usize {
    prepared
        .requests
        .iter()
        .map(|(_, text, response)| {
            let Ok(mut map) = serde_json::from_str::<Map<String, Value>>(black_box(text)) else { return 0 };
            map.insert("response".to_owned(), response.clone());
            serde_json::to_string(&map).map_or(0, |s| s.len())
        })
        .sum()
}
