//! Room events as the widget API carries them — MSC2762, with MSC4407 / MSC4354 sticky
//! fields — and the room selection that the reading actions share.
//!
//! A [`RoomEvent`] is matrix-widget-api 1.19's `IRoomEvent`: what the host delivers in
//! toWidget [`send_event`](crate::to_widget::send_event) and
//! [`update_state`](crate::to_widget::update_state), and what it answers to
//! [`read_events`](crate::from_widget::read_events) and
//! [`read_relations`](crate::from_widget::read_relations). Events are decrypted: `type` and
//! `content` are the cleartext ones. The event's own fields are typed; `content` and
//! `unsigned` stay byte-exact ([`RawObject`]), and fields this crate does not know
//! (`redacts`, `prev_content`, `age`, …) are kept in [`RoomEvent::extra`].
//!
//! `unsigned` is required by `IRoomEvent` but optional in Matrix events and absent from some
//! hosts' events, so it is accepted as optional; [`RoomEvent::new`] always emits it (`{}`),
//! so a widget written against `IRoomEvent` finds it.
//!
//! [`RoomIds`] is the `room_ids` field of `read_events` and
//! `com.beeper.read_room_account_data`: `"*"` (every room the widget may see) or a list of
//! room IDs.
//!
//! ```
//! use matrix_widget_api::event::{RoomEvent, Timestamp};
//! use matrix_widget_api::payload::RawObject;
//!
//! let content = RawObject::from_json(r#"{"msgtype":"m.text","body":"hello"}"#)?;
//! let event = RoomEvent::new("m.room.message", "@a:b", "$msg_1", "!r:b", Timestamp::from_millis(1700000000000).unwrap(), content);
//! assert_eq!(event.msgtype().as_deref(), Some("m.text"));
//! assert_eq!(
//!     serde_json::to_string(&event)?,
//!     r#"{"type":"m.room.message","sender":"@a:b","event_id":"$msg_1","room_id":"!r:b","origin_server_ts":1700000000000,"content":{"msgtype":"m.text","body":"hello"},"unsigned":{}}"#
//! );
//! # Ok::<(), serde_json::Error>(())
//! ```

use crate::payload::{BoundedInt, Extra, Payload, RawObject};
use crate::payload::{MAX_SAFE_INTEGER, RangeError};
use serde::de::{self, SeqAccess, Unexpected, Visitor};
use serde::ser::SerializeSeq;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A room event (`IRoomEvent`): a message or, with `state_key`, a state event, decrypted.
/// `content` and `unsigned` are kept exactly as they arrived, and fields the widget API
/// does not define are kept too.
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct RoomEvent {
    /// The event type (for an encrypted event: the decrypted type).
    #[wire(rename = "type")]
    pub event_type: String,
    /// The sender's user ID.
    pub sender: String,
    /// The event ID.
    pub event_id: String,
    /// The room the event is in.
    pub room_id: String,
    /// Present exactly for a state event: its state key.
    pub state_key: Option<String>,
    /// When the sender's server received it, in milliseconds since the Unix epoch.
    pub origin_server_ts: Timestamp,
    /// The event content (for an encrypted event: the decrypted content).
    pub content: RawObject,
    /// Data added by the server (`age`, `prev_content`, …). Required by matrix-widget-api's `IRoomEvent` but absent from some events, so optional here.
    pub unsigned: Option<RawObject>,
    /// MSC4407 / MSC4354 (stable name): the event is sticky.
    pub sticky: Option<StickyInfo>,
    /// MSC4354 (unstable name, what servers send today): the event is sticky.
    pub msc4354_sticky: Option<StickyInfo>,
    /// Fields the protocol does not define (such as `redacts`), kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl RoomEvent {
    /// A message event, with an empty `unsigned` (matrix-widget-api's `IRoomEvent` requires
    /// the field).
    pub fn new(
        event_type: impl Into<String>,
        sender: impl Into<String>,
        event_id: impl Into<String>,
        room_id: impl Into<String>,
        origin_server_ts: Timestamp,
        content: RawObject,
    ) -> Self {
        RoomEvent {
            event_type: event_type.into(),
            sender: sender.into(),
            event_id: event_id.into(),
            room_id: room_id.into(),
            state_key: None,
            origin_server_ts,
            content,
            unsigned: Some(RawObject::empty()),
            sticky: None,
            msc4354_sticky: None,
            extra: Extra::new(),
        }
    }

    /// Reads an event as `/sync` delivers it (under `rooms.join.<room_id>.timeline.events`
    /// or `state.events`): without `room_id`, which the host knows from where the event
    /// was. The room ID is added and everything else is read as in a `/messages` or
    /// `/event` body, `content` kept byte-exact. An event that already has a `room_id` is a
    /// duplicate-field error: read it with `serde_json::from_str`.
    ///
    /// ```
    /// use matrix_widget_api::event::RoomEvent;
    ///
    /// let sync = r#"{"type":"m.room.message","sender":"@a:b","event_id":"$e","origin_server_ts":1,"content":{"body":"hi","msgtype":"m.text"}}"#;
    /// let event = RoomEvent::from_sync_json(sync, "!r:b")?;
    /// assert_eq!(event.room_id, "!r:b");
    /// assert_eq!(event.content.get(), r#"{"body":"hi","msgtype":"m.text"}"#);
    /// assert!(RoomEvent::from_sync_json(r#"{"type":"x","room_id":"!s:b"}"#, "!r:b").is_err());
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn from_sync_json(json: &str, room_id: &str) -> Result<Self, serde_json::Error> {
        let Some(rest) = json.trim_start().strip_prefix('{') else {
            // Not an object: the ordinary reading gives the precise error.
            return serde_json::from_str(json);
        };
        let room_id = serde_json::to_string(room_id)?;
        let separator = if rest.trim_start().starts_with('}') { "" } else { "," };
        serde_json::from_str(&format!("{{\"room_id\":{room_id}{separator}{rest}"))
    }

    /// A state event with `state_key`.
    pub fn with_state_key(self, state_key: impl Into<String>) -> Self {
        RoomEvent { state_key: Some(state_key.into()), ..self }
    }

    /// With the server's `unsigned` data.
    pub fn with_unsigned(self, unsigned: RawObject) -> Self {
        RoomEvent { unsigned: Some(unsigned), ..self }
    }

    /// Sticky, under the stable name `sticky` (MSC4407).
    pub fn with_sticky(self, sticky: StickyInfo) -> Self {
        RoomEvent { sticky: Some(sticky), ..self }
    }

    /// Sticky, under the unstable name `msc4354_sticky` that servers send today (MSC4354).
    pub fn with_msc4354_sticky(self, sticky: StickyInfo) -> Self {
        RoomEvent { msc4354_sticky: Some(sticky), ..self }
    }

    /// Whether this is a state event: `state_key` is present.
    pub fn is_state(&self) -> bool {
        self.state_key.is_some()
    }

    /// The sticky information under either name, the stable `sticky` first.
    pub fn sticky_info(&self) -> Option<&StickyInfo> {
        self.sticky.as_ref().or(self.msc4354_sticky.as_ref())
    }

    /// `content.msgtype` when it is a string: what `m.room.message` receive capabilities
    /// filter on (MSC2762).
    pub fn msgtype(&self) -> Option<String> {
        #[derive(Deserialize)]
        struct Msgtype {
            msgtype: Option<String>,
        }
        self.content.deserialize_as::<Msgtype>().ok().and_then(|m| m.msgtype)
    }
}

/// A sticky event's stickiness (MSC4354): `{duration_ms}`.
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct StickyInfo {
    /// How long the event stays sticky, in milliseconds, as the sender asked (MSC4354 caps the effect at one hour; the value is kept as sent).
    pub duration_ms: Millis,
    /// Fields the protocol does not define, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl StickyInfo {
    /// Sticky for `duration`.
    pub fn new(duration: Millis) -> Self {
        StickyInfo { duration_ms: duration, extra: Extra::new() }
    }

    /// The duration that takes effect: `duration_ms`, capped at one hour (MSC4354).
    pub fn effective_duration(&self) -> Millis {
        Millis(self.duration_ms.0.min(STICKY_CAP_MS))
    }
}

/// MSC4354's longest stickiness, one hour.
const STICKY_CAP_MS: u64 = 3_600_000;

/// A point in time: milliseconds since the Unix epoch, an integer from 0 to 2^53 − 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(u64);

impl Timestamp {
    /// The value of `ms` milliseconds, or why it is out of range (over 2^53 − 1).
    pub const fn from_millis(ms: u64) -> Result<Self, RangeError> {
        if ms <= MAX_SAFE_INTEGER {
            Ok(Timestamp(ms))
        } else {
            Err(RangeError::new("a timestamp", ms, 0, MAX_SAFE_INTEGER, "a JavaScript number holds integers exactly only up to 2^53 - 1"))
        }
    }

    /// Milliseconds since the Unix epoch.
    pub const fn as_millis(self) -> u64 {
        self.0
    }
}

/// A number of milliseconds: an integer from 0 to 2^53 − 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Millis(u64);

impl Millis {
    /// The value of `ms` milliseconds, or why it is out of range (over 2^53 − 1).
    pub const fn from_millis(ms: u64) -> Result<Self, RangeError> {
        if ms <= MAX_SAFE_INTEGER {
            Ok(Millis(ms))
        } else {
            Err(RangeError::new("a duration", ms, 0, MAX_SAFE_INTEGER, "a JavaScript number holds integers exactly only up to 2^53 - 1"))
        }
    }

    /// The number of milliseconds.
    pub const fn as_millis(self) -> u64 {
        self.0
    }
}

macro_rules! integer_serde {
    ($ty:ident, $visitor:expr) => {
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_u64(self.0)
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_u64($visitor).map($ty)
            }
        }
    };
}

integer_serde!(Timestamp, BoundedInt::millis("timestamp", 0, MAX_SAFE_INTEGER));
integer_serde!(Millis, BoundedInt::millis("duration", 0, MAX_SAFE_INTEGER));

/// Which rooms a read covers: `"*"` (every room the widget may see) or a list of room IDs.
/// Absent means the room the user is viewing.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum RoomIds {
    /// `"*"`: every room the widget has a timeline capability for.
    Any,
    /// These rooms (each needs a timeline capability).
    Rooms(Vec<String>),
}

impl RoomIds {
    /// The listed rooms; `None` for `"*"`.
    pub fn rooms(&self) -> Option<&[String]> {
        match self {
            RoomIds::Any => None,
            RoomIds::Rooms(rooms) => Some(rooms),
        }
    }
}

impl<S: Into<String>> FromIterator<S> for RoomIds {
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> Self {
        RoomIds::Rooms(iter.into_iter().map(Into::into).collect())
    }
}

impl Serialize for RoomIds {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            RoomIds::Any => serializer.serialize_str("*"),
            RoomIds::Rooms(rooms) => {
                let mut seq = serializer.serialize_seq(Some(rooms.len()))?;
                for room in rooms {
                    seq.serialize_element(room)?;
                }
                seq.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for RoomIds {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RoomIdsVisitor;

        impl<'de> Visitor<'de> for RoomIdsVisitor {
            type Value = RoomIds;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("\"*\" (any room) or a list of room IDs")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<RoomIds, E> {
                if v == "*" { Ok(RoomIds::Any) } else { Err(E::invalid_value(Unexpected::Str(v), &self)) }
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RoomIds, A::Error> {
                let mut rooms = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
                while let Some(room) = seq.next_element::<String>()? {
                    rooms.push(room);
                }
                Ok(RoomIds::Rooms(rooms))
            }
        }

        deserializer.deserialize_any(RoomIdsVisitor)
    }
}

/// The schema side of a "must not be empty" rule: `minLength: 1` on the string property
/// `key` of an object schema.
#[cfg(feature = "schema")]
pub(crate) fn require_non_empty(schema: &mut schemars::Schema, key: &str) {
    if let Some(property) = schema.get_mut("properties").and_then(|p| p.get_mut(key)).and_then(|t| t.as_object_mut()) {
        property.insert("minLength".into(), 1.into());
    }
}

#[cfg(feature = "schema")]
mod schema {
    use super::*;
    use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
    use std::borrow::Cow;

    impl JsonSchema for Timestamp {
        fn schema_name() -> Cow<'static, str> {
            "Timestamp".into()
        }
        fn json_schema(_: &mut SchemaGenerator) -> Schema {
            json_schema!({
                "description": "Milliseconds since the Unix epoch: an integer from 0 to 2^53 - 1.",
                "type": "integer",
                "minimum": 0,
                "maximum": MAX_SAFE_INTEGER,
            })
        }
    }

    impl JsonSchema for Millis {
        fn schema_name() -> Cow<'static, str> {
            "Millis".into()
        }
        fn json_schema(_: &mut SchemaGenerator) -> Schema {
            json_schema!({
                "description": "A number of milliseconds: an integer from 0 to 2^53 - 1.",
                "type": "integer",
                "minimum": 0,
                "maximum": MAX_SAFE_INTEGER,
            })
        }
    }

    impl JsonSchema for RoomIds {
        fn schema_name() -> Cow<'static, str> {
            "RoomIds".into()
        }
        fn json_schema(_: &mut SchemaGenerator) -> Schema {
            // The list comes first: a validator reports the failed branches in order, so a
            // bad entry (`["!r:b", 5]`) is named at its index (`/room_ids/1`) rather than
            // behind a "must be string" about the `"*"` branch.
            json_schema!({
                "description": "Which rooms to read: \"*\" (every room the widget has a timeline capability for) or a list of room IDs.",
                "anyOf": [
                    { "type": "array", "items": { "type": "string" } },
                    { "type": "string", "const": "*" },
                ],
            })
        }
    }
}
