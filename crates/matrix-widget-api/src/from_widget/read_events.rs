//! `read_events` (fromWidget) — MSC2876, folded into MSC2762: the widget reads room events.
//!
//! The widget asks for events of one `type` — message events (optionally of one `msgtype`),
//! or with `state_key` state events (`true`: any state key) — in the viewed room, in the
//! rooms of `room_ids`, or in every room it may see (`"*"`); the host answers with
//! [`RoomEvent`]s. Hosts gate it on the *receive* capabilities and on timeline capabilities
//! for `room_ids` (wire decision 12).
//!
//! Emitted as `org.matrix.msc2876.read_events` (what matrix-widget-api 1.19 and
//! matrix-rust-sdk speak); the stable `read_events` is accepted too (wire decision 12).
//!
//! Rejected, like the reference host does: an empty or missing `type`, and a `limit` that is
//! not a positive integer. Rejected on top, where the reference host coerces instead: a
//! fractional `limit`, a `state_key` that is neither a string nor `true` (the reference
//! reads `false` as the state key `"false"`), and a `room_ids` that is neither `"*"` nor a
//! list of strings (wire decision 40). `since` (an event ID to read after) is implementation-only.
//!
//! ```
//! use matrix_widget_api::event::{RoomEvent, Timestamp};
//! use matrix_widget_api::from_widget::read_events::{ReadEventsResponseData, StateKeySelector};
//! use matrix_widget_api::payload::RawObject;
//! use matrix_widget_api::{FromWidgetRequest, HostMessage, decode_host};
//!
//! let text = r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"org.matrix.msc2876.read_events","data":{"type":"m.room.topic","state_key":true,"limit":1}}"#;
//! let HostMessage::Request(FromWidgetRequest::ReadEvents(request)) = decode_host(text)? else { unreachable!() };
//! assert_eq!(request.data().state_key, Some(StateKeySelector::Any));
//! assert_eq!(request.data().limit.map(|l| l.get()), Some(1));
//!
//! let topic = RoomEvent::new("m.room.topic", "@a:b", "$t", "!r:b", Timestamp::from_millis(1).unwrap(), RawObject::from_json(r#"{"topic":"Hi"}"#)?)
//!     .with_state_key("");
//! let reply = request.reply(&ReadEventsResponseData::new(vec![topic]));
//! assert!(reply.ends_with(r#","response":{"events":[{"type":"m.room.topic","sender":"@a:b","event_id":"$t","room_id":"!r:b","state_key":"","origin_server_ts":1,"content":{"topic":"Hi"},"unsigned":{}}]}}"#));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::event::{RoomEvent, RoomIds};
use crate::payload::MAX_SAFE_INTEGER;
use crate::payload::{BoundedInt, Extra, Payload};
use serde::de::{self, Unexpected, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// The `read_events` action from widget to host.
#[derive(Debug)]
pub enum ReadEvents {}

impl Action for ReadEvents {
    const API: Api = Api::FromWidget;
    const NAME: ActionName = ActionName::ReadEvents;
    type RequestData = ReadEventsRequestData;
    type ResponseData = ReadEventsResponseData;
}

/// The request `data`: read events of one type. With `state_key`, state events (`true`: any state key); without, message events, optionally of one `msgtype`. `type` must not be empty.
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[wire(check = "ReadEventsRequestData::check", extend_schema = "ReadEventsRequestData::extend_schema")]
#[non_exhaustive]
pub struct ReadEventsRequestData {
    /// The event type to read.
    #[wire(rename = "type")]
    pub event_type: String,
    /// Read state events: with this state key, or with any state key (`true`).
    pub state_key: Option<StateKeySelector>,
    /// For message events: only those whose `content.msgtype` is this.
    pub msgtype: Option<String>,
    /// At most this many events per room: a positive integer.
    pub limit: Option<Limit>,
    /// Which rooms: "*" or a list of room IDs. Absent: the room the user is viewing.
    pub room_ids: Option<RoomIds>,
    /// Only events after this event ID (implementation-only; matrix-widget-api 1.19 passes it to the host's driver).
    pub since: Option<String>,
    /// Fields the protocol does not define, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl ReadEventsRequestData {
    /// Read message events of `event_type` in the viewed room.
    pub fn new(event_type: impl Into<String>) -> Self {
        ReadEventsRequestData {
            event_type: event_type.into(),
            state_key: None,
            msgtype: None,
            limit: None,
            room_ids: None,
            since: None,
            extra: Extra::new(),
        }
    }

    /// Read state events instead: with this state key, or any (`StateKeySelector::Any`).
    pub fn with_state_key(self, state_key: StateKeySelector) -> Self {
        ReadEventsRequestData { state_key: Some(state_key), ..self }
    }

    /// Only message events of this `msgtype`.
    pub fn with_msgtype(self, msgtype: impl Into<String>) -> Self {
        ReadEventsRequestData { msgtype: Some(msgtype.into()), ..self }
    }

    /// At most `limit` events per room.
    pub fn with_limit(self, limit: Limit) -> Self {
        ReadEventsRequestData { limit: Some(limit), ..self }
    }

    /// In these rooms instead of the viewed one.
    pub fn with_room_ids(self, room_ids: RoomIds) -> Self {
        ReadEventsRequestData { room_ids: Some(room_ids), ..self }
    }

    /// Only events after the event `since`.
    pub fn with_since(self, since: impl Into<String>) -> Self {
        ReadEventsRequestData { since: Some(since.into()), ..self }
    }

    /// Whether this reads state events: `state_key` is present.
    pub fn is_state(&self) -> bool {
        self.state_key.is_some()
    }

    /// The rules beyond field types: a non-empty `type`.
    fn check(&self) -> Result<(), String> {
        if self.event_type.is_empty() { Err("`type` must not be empty".to_owned()) } else { Ok(()) }
    }

    /// [`ReadEventsRequestData::check`] in the schema.
    #[cfg(feature = "schema")]
    fn extend_schema(mut schema: schemars::Schema) -> schemars::Schema {
        crate::event::require_non_empty(&mut schema, "type");
        schema
    }
}

/// Which state events to read: those with one state key, or any (`true`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum StateKeySelector {
    /// `true`: any state key.
    Any,
    /// This state key (may be empty).
    Key(String),
}

impl StateKeySelector {
    /// The state key, or `None` for any.
    pub fn key(&self) -> Option<&str> {
        match self {
            StateKeySelector::Any => None,
            StateKeySelector::Key(key) => Some(key),
        }
    }
}

impl Serialize for StateKeySelector {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            StateKeySelector::Any => serializer.serialize_bool(true),
            StateKeySelector::Key(key) => serializer.serialize_str(key),
        }
    }
}

impl<'de> Deserialize<'de> for StateKeySelector {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SelectorVisitor;

        impl Visitor<'_> for SelectorVisitor {
            type Value = StateKeySelector;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a state key or `true` (any state key)")
            }

            fn visit_bool<E: de::Error>(self, v: bool) -> Result<StateKeySelector, E> {
                if v { Ok(StateKeySelector::Any) } else { Err(E::invalid_value(Unexpected::Bool(v), &self)) }
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<StateKeySelector, E> {
                Ok(StateKeySelector::Key(v.to_owned()))
            }

            fn visit_string<E: de::Error>(self, v: String) -> Result<StateKeySelector, E> {
                Ok(StateKeySelector::Key(v))
            }
        }

        deserializer.deserialize_any(SelectorVisitor)
    }
}

/// A positive limit: an integer from 1 to 2^53 − 1. `0`, negatives, fractions and
/// strings are rejected with an error naming the value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Limit(u64);

impl Limit {
    /// `Some` if `n` is from 1 to 2^53 − 1.
    pub const fn new(n: u64) -> Option<Self> {
        if n >= 1 && n <= MAX_SAFE_INTEGER { Some(Limit(n)) } else { None }
    }

    /// The limit.
    pub const fn get(self) -> u64 {
        self.0
    }
}

impl Serialize for Limit {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(self.0)
    }
}

impl<'de> Deserialize<'de> for Limit {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_u64(BoundedInt::plain("limit", 1, MAX_SAFE_INTEGER)).map(Limit)
    }
}

/// The success `response`: the events read, across all rooms asked for.
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct ReadEventsResponseData {
    /// The events, decrypted.
    pub events: Vec<RoomEvent>,
    /// Fields the protocol does not define, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl ReadEventsResponseData {
    /// Answers with `events`.
    pub fn new(events: Vec<RoomEvent>) -> Self {
        ReadEventsResponseData { events, extra: Extra::new() }
    }
}

#[cfg(feature = "schema")]
mod schema {
    use super::*;
    use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
    use std::borrow::Cow;

    impl JsonSchema for StateKeySelector {
        fn schema_name() -> Cow<'static, str> {
            "StateKeySelector".into()
        }
        fn json_schema(_: &mut SchemaGenerator) -> Schema {
            json_schema!({
                "description": "Which state events to read: those with this state key, or with any state key (`true`).",
                "anyOf": [{ "type": "string" }, { "const": true }],
            })
        }
    }

    impl JsonSchema for Limit {
        fn schema_name() -> Cow<'static, str> {
            "Limit".into()
        }
        fn json_schema(_: &mut SchemaGenerator) -> Schema {
            json_schema!({
                "description": "A positive limit: an integer from 1 to 2^53 - 1.",
                "type": "integer",
                "minimum": 1,
                "maximum": MAX_SAFE_INTEGER,
            })
        }
    }
}
