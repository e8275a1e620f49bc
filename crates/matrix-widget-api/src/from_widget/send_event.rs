//! `send_event` (fromWidget) — MSC2762, extended by MSC4157 (`delay`) and MSC4407 (sticky).
//!
//! A send is *delayed* exactly when `delay` is present ([wire decision 4](crate::wire_decisions)): `parent_delay_id` alone
//! never makes it so. `null` reads as absent for every optional field (MSC2813, wire decision 5).
//!
//! A missing or `null` `content` reads as `{}`, as the reference host sends `content || {}`
//! (wire decision 37). The delayed-send fields of matrix-widget-api 1.7 (the "futures"
//! revision of MSC4157), `future_timeout` and `future_group_id`, are refused with an error
//! naming the field (wire decision 39): read as unknown fields they would turn a legacy
//! MatrixRTC client's delayed "leave" into an event sent at once.
//!
//! A host reads a delayed MatrixRTC leave event and answers with the scheduled delay's ID; a
//! widget builds the same request:
//!
//! ```
//! use matrix_widget_api::from_widget::send_event::{Delay, SendEvent, SendEventRequestData, SendEventResponseData};
//! use matrix_widget_api::payload::RawObject;
//! use matrix_widget_api::{FromWidgetRequest, HostMessage, Request, decode_host};
//!
//! let text = r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"send_event","data":{"type":"org.matrix.msc3401.call.member","state_key":"_@a:b_DEV","content":{},"delay":8000}}"#;
//! let HostMessage::Request(FromWidgetRequest::SendEvent(request)) = decode_host(text)? else { unreachable!() };
//! assert!(request.data().is_delayed() && request.data().is_state());
//! let reply = request.reply(&SendEventResponseData::scheduled("!room:example.org", "syd_abc"));
//! assert!(reply.ends_with(r#""response":{"room_id":"!room:example.org","delay_id":"syd_abc"}}"#));
//!
//! // The widget side: the same request, built.
//! let data = SendEventRequestData::new("org.matrix.msc3401.call.member", RawObject::empty())
//!     .with_state_key("_@a:b_DEV")
//!     .with_delay(Delay::from_millis(8000).expect("in range"));
//! let built = Request::<SendEvent>::new("w1", "r1", data)?;
//! assert_eq!(serde_json::to_value(&built)?, serde_json::from_str::<serde_json::Value>(text)?);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::payload::{BoundedInt, Extra, Payload, RawObject};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

/// The `send_event` action from widget to host.
#[derive(Debug)]
pub enum SendEvent {}

impl Action for SendEvent {
    const API: Api = Api::FromWidget;
    const NAME: ActionName = ActionName::SendEvent;
    type RequestData = SendEventRequestData;
    type ResponseData = SendEventResponseData;
}

/// The request `data`: send a room or state event, now or after a delay.
///
/// Rejected when parsed (and by [`SendEventRequestData::validate`] for values built in code):
/// an empty `type`, a state event with `sticky_duration_ms` (wire decision 8: sticky events are
/// message events; widget-api's host refuses them too), and the futures-era delay fields
/// `future_timeout` and `future_group_id` (wire decision 39).
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[wire(check = "SendEventRequestData::validate", extend_schema = "SendEventRequestData::extend_schema")]
#[non_exhaustive]
pub struct SendEventRequestData {
    /// The event type.
    #[wire(rename = "type")]
    pub event_type: String,
    /// The event content, kept byte-exact. Absent or `null` reads as `{}`, as the reference
    /// host reads it (wire decision 37).
    #[wire(default)]
    pub content: RawObject,
    /// Present for a state event: its state key.
    pub state_key: Option<String>,
    /// Another room to send to (needs a timeline capability for it).
    pub room_id: Option<String>,
    /// MSC4157: send after this many milliseconds, through MSC4140.
    pub delay: Option<Delay>,
    /// Deprecated and ignored (wire decision 4): in no MSC revision and implemented by no server.
    /// Kept so that it round-trips; never set by the builders.
    pub parent_delay_id: Option<String>,
    /// MSC4407: make a message event sticky for this many milliseconds.
    pub sticky_duration_ms: Option<StickyDuration>,
    /// Fields the protocol does not define, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl SendEventRequestData {
    /// A room event of `event_type` with `content`, sent now.
    pub fn new(event_type: impl Into<String>, content: RawObject) -> Self {
        SendEventRequestData {
            event_type: event_type.into(),
            content,
            state_key: None,
            room_id: None,
            delay: None,
            parent_delay_id: None,
            sticky_duration_ms: None,
            extra: Extra::new(),
        }
    }

    /// A state event.
    pub fn with_state_key(self, state_key: impl Into<String>) -> Self {
        SendEventRequestData { state_key: Some(state_key.into()), ..self }
    }

    /// Sent to another room.
    pub fn with_room_id(self, room_id: impl Into<String>) -> Self {
        SendEventRequestData { room_id: Some(room_id.into()), ..self }
    }

    /// Sent after `delay` (MSC4157).
    pub fn with_delay(self, delay: Delay) -> Self {
        SendEventRequestData { delay: Some(delay), ..self }
    }

    /// Sticky for `duration` (MSC4407; message events only).
    pub fn with_sticky_duration(self, duration: StickyDuration) -> Self {
        SendEventRequestData { sticky_duration_ms: Some(duration), ..self }
    }

    /// The rules beyond field types: a non-empty `type`, no sticky state events, and none of
    /// the futures-era delay fields.
    pub fn validate(&self) -> Result<(), String> {
        if self.event_type.is_empty() {
            return Err("`type` must not be empty".to_owned());
        }
        if let Some(field) = FUTURES_FIELDS.iter().find(|f| self.extra.get(f).is_some_and(|v| v.get() != "null")) {
            return Err(format!(
                "`{field}` is a delayed-send field of matrix-widget-api 1.7 (MSC4157's futures revision), no longer supported: \
                 use `delay` (and `org.matrix.msc4157.update_delayed_event`); the event was not sent"
            ));
        }
        if self.state_key.is_some() && self.sticky_duration_ms.is_some() {
            return Err("a state event cannot have `sticky_duration_ms`: sticky events are message events (MSC4407)".to_owned());
        }
        Ok(())
    }

    /// [`SendEventRequestData::validate`] in the schema.
    #[cfg(feature = "schema")]
    fn extend_schema(mut schema: schemars::Schema) -> schemars::Schema {
        if let Some(event_type) = schema.get_mut("properties").and_then(|p| p.get_mut("type")).and_then(|t| t.as_object_mut()) {
            event_type.insert("minLength".into(), 1.into());
        }
        // The futures-era fields: only absent or `null` (wire decision 39).
        let mut refused: Vec<serde_json::Value> = vec![serde_json::json!({
            "description": "A state event cannot be sticky.",
            "required": ["state_key", "sticky_duration_ms"],
            "properties": { "state_key": { "type": "string" }, "sticky_duration_ms": { "type": "integer" } },
        })];
        refused.extend(FUTURES_FIELDS.iter().map(|field| {
            serde_json::json!({
                "description": format!("`{field}` (matrix-widget-api 1.7) is refused: use `delay`."),
                "required": [field],
                "properties": { *field: { "not": { "type": "null" } } },
            })
        }));
        schema.insert("not".into(), serde_json::json!({ "anyOf": refused }));
        schema
    }

    /// Whether this is a delayed send: `delay` is present.
    pub fn is_delayed(&self) -> bool {
        self.delay.is_some()
    }

    /// Whether this is a state event: `state_key` is present.
    pub fn is_state(&self) -> bool {
        self.state_key.is_some()
    }
}

/// The delayed-send fields of matrix-widget-api 1.7.0 (MSC4157's 2024-07 "futures"
/// revision), refused so that such a send is never taken for an immediate one (wire
/// decision 39).
pub const FUTURES_FIELDS: [&str; 2] = ["future_timeout", "future_group_id"];

use crate::payload::{MAX_SAFE_INTEGER, RangeError};

/// A delay in milliseconds: an integer from 1 to 2^53 − 1 (wire decision 5). `0`, negatives,
/// fractions and strings are rejected with an error naming the value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Delay(u64);

impl Delay {
    /// The largest accepted delay, 2^53 − 1 ms.
    pub const MAX: Delay = Delay(MAX_SAFE_INTEGER);

    /// The delay of `ms` milliseconds, or why it is out of range (`0`, or over 2^53 − 1).
    pub const fn from_millis(ms: u64) -> Result<Self, RangeError> {
        if ms >= 1 && ms <= MAX_SAFE_INTEGER {
            Ok(Delay(ms))
        } else {
            Err(RangeError::new("a delay", ms, 1, MAX_SAFE_INTEGER, "MSC4140 schedules only positive delays"))
        }
    }

    /// The delay in milliseconds.
    pub const fn as_millis(self) -> u64 {
        self.0
    }
}

impl Serialize for Delay {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(self.0)
    }
}

impl<'de> Deserialize<'de> for Delay {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_u64(BoundedInt::millis("delay", 1, MAX_SAFE_INTEGER)).map(Delay)
    }
}

/// How long a sticky event stays sticky: an integer from 0 to 3 600 000 ms (wire decision 8).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StickyDuration(u32);

impl StickyDuration {
    /// The longest accepted duration, one hour.
    pub const MAX: StickyDuration = StickyDuration(3_600_000);

    /// The duration of `ms` milliseconds, or why it is out of range (over one hour).
    pub const fn from_millis(ms: u32) -> Result<Self, RangeError> {
        if ms <= Self::MAX.0 {
            Ok(StickyDuration(ms))
        } else {
            Err(RangeError::new(
                "a sticky duration",
                ms as u64,
                0,
                Self::MAX.0 as u64,
                "MSC4354: an event stays sticky for at most one hour",
            ))
        }
    }

    /// The duration in milliseconds.
    pub const fn as_millis(self) -> u32 {
        self.0
    }
}

impl Serialize for StickyDuration {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u32(self.0)
    }
}

impl<'de> Deserialize<'de> for StickyDuration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let ms = deserializer.deserialize_u64(BoundedInt::millis("sticky duration", 0, u64::from(Self::MAX.0)))?;
        // In range by construction.
        Ok(StickyDuration(u32::try_from(ms).unwrap_or(Self::MAX.0)))
    }
}

/// The success `response`: the room, and the sent event's ID or the scheduled delay's ID.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SendEventResponseData {
    /// The room the event went to. Always emitted; accepted as optional (wire decision 30).
    pub room_id: Option<String>,
    /// Sent now or scheduled.
    pub outcome: SendOutcome,
    /// Fields the protocol does not define, kept for the round-trip.
    pub extra: Extra,
}

/// What a `send_event` did. The wire has exactly one of `event_id` and `delay_id`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SendOutcome {
    /// Sent now: `event_id`.
    Sent {
        /// The new event's ID.
        event_id: String,
    },
    /// Scheduled through MSC4140: `delay_id`.
    Scheduled {
        /// The delayed event's ID, for `update_delayed_event`.
        delay_id: String,
    },
}

impl SendEventResponseData {
    /// An event sent now.
    pub fn sent(room_id: impl Into<String>, event_id: impl Into<String>) -> Self {
        SendEventResponseData {
            room_id: Some(room_id.into()),
            outcome: SendOutcome::Sent { event_id: event_id.into() },
            extra: Extra::new(),
        }
    }

    /// A delayed event scheduled.
    pub fn scheduled(room_id: impl Into<String>, delay_id: impl Into<String>) -> Self {
        SendEventResponseData {
            room_id: Some(room_id.into()),
            outcome: SendOutcome::Scheduled { delay_id: delay_id.into() },
            extra: Extra::new(),
        }
    }

    /// The event ID, if it was sent now.
    pub fn event_id(&self) -> Option<&str> {
        match &self.outcome {
            SendOutcome::Sent { event_id } => Some(event_id),
            SendOutcome::Scheduled { .. } => None,
        }
    }

    /// The delay ID, if it was scheduled.
    pub fn delay_id(&self) -> Option<&str> {
        match &self.outcome {
            SendOutcome::Scheduled { delay_id } => Some(delay_id),
            SendOutcome::Sent { .. } => None,
        }
    }
}

/// The wire form of [`SendEventResponseData`]; the "exactly one of" rule is checked on top.
#[derive(Payload)]
struct SendEventResponseWire {
    /// The room the event went to.
    room_id: Option<String>,
    /// The ID of the event sent now.
    event_id: Option<String>,
    /// The ID of the delayed event scheduled (MSC4157).
    delay_id: Option<String>,
    #[wire(extra)]
    extra: Extra,
}

impl crate::payload::UnknownFields for SendEventResponseData {
    fn may_have_unknown_field(&self, key: &str) -> bool {
        self.extra.get(key).is_some()
    }
}

impl Serialize for SendEventResponseData {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        if let Some(room_id) = &self.room_id {
            map.serialize_entry("room_id", room_id)?;
        }
        match &self.outcome {
            SendOutcome::Sent { event_id } => map.serialize_entry("event_id", event_id)?,
            SendOutcome::Scheduled { delay_id } => map.serialize_entry("delay_id", delay_id)?,
        }
        crate::payload::serialize_extra(&self.extra, &mut map)?;
        map.end()
    }
}

impl<'de> Deserialize<'de> for SendEventResponseData {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let wire = SendEventResponseWire::deserialize(deserializer)?;
        let outcome = match (wire.event_id, wire.delay_id) {
            (Some(event_id), None) => SendOutcome::Sent { event_id },
            (None, Some(delay_id)) => SendOutcome::Scheduled { delay_id },
            (Some(_), Some(_)) => {
                return Err(de::Error::custom("a send_event response has both `event_id` and `delay_id`; exactly one is allowed"));
            }
            (None, None) => return Err(de::Error::custom("a send_event response needs `event_id` or `delay_id`")),
        };
        Ok(SendEventResponseData { room_id: wire.room_id, outcome, extra: wire.extra })
    }
}

#[cfg(feature = "schema")]
mod schema {
    use super::*;
    use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
    use std::borrow::Cow;

    impl JsonSchema for Delay {
        fn schema_name() -> Cow<'static, str> {
            "Delay".into()
        }
        fn json_schema(_: &mut SchemaGenerator) -> Schema {
            json_schema!({
                "description": "A delay in milliseconds (MSC4157): an integer from 1 to 2^53 - 1.",
                "type": "integer",
                "minimum": 1,
                "maximum": MAX_SAFE_INTEGER,
            })
        }
    }

    impl JsonSchema for StickyDuration {
        fn schema_name() -> Cow<'static, str> {
            "StickyDuration".into()
        }
        fn json_schema(_: &mut SchemaGenerator) -> Schema {
            json_schema!({
                "description": "How long a sticky event stays sticky (MSC4407), in milliseconds.",
                "type": "integer",
                "minimum": 0,
                "maximum": StickyDuration::MAX.0,
            })
        }
    }

    impl JsonSchema for SendEventResponseData {
        fn schema_name() -> Cow<'static, str> {
            "SendEventResponseData".into()
        }
        fn json_schema(generator: &mut SchemaGenerator) -> Schema {
            let mut schema = SendEventResponseWire::json_schema(generator);
            schema.insert(
                "description".into(),
                "The response to `send_event`: the room, and exactly one of `event_id` (sent now) and `delay_id` (scheduled, MSC4157)."
                    .into(),
            );
            // Only presence (not `null`, which reads as absent) tells the branches apart; the
            // types are `properties`' business, so that a validator blames a wrong-typed ID
            // itself rather than the branch it rules out.
            schema.insert(
                "oneOf".into(),
                serde_json::json!([
                    { "required": ["event_id"], "properties": { "event_id": { "not": { "type": "null" } } } },
                    { "required": ["delay_id"], "properties": { "delay_id": { "not": { "type": "null" } } } },
                ]),
            );
            schema
        }
    }
}
