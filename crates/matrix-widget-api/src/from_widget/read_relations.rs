//! `read_relations` (fromWidget) — MSC3869: the widget reads an event's relations.
//!
//! The host pages through the server's `/relations` for `event_id` (in `room_id`, or the
//! viewed room), optionally narrowed to one `rel_type` and `event_type`, and answers with the
//! related [`RoomEvent`]s the widget may receive, plus pagination tokens. There is no
//! dedicated capability; `room_id` needs a timeline capability.
//!
//! Emitted as `org.matrix.msc3869.read_relations`; the stable `read_relations` is accepted
//! too.
//!
//! Rejected, like the reference host does: an empty or missing `event_id`, and a negative
//! `limit`. `limit: 0` is accepted, as the reference accepts it (and passes it on to the
//! server). Rejected on top: a fractional `limit`, and a `direction` other than `"f"` and
//! `"b"` (MSC3715's two values; the reference forwards anything). Wire decision 40.
//!
//! ```
//! use matrix_widget_api::from_widget::read_relations::{ReadRelations, ReadRelationsRequestData, PaginationDirection, ResultLimit};
//! use matrix_widget_api::Request;
//!
//! let data = ReadRelationsRequestData::new("$msg_1")
//!     .with_rel_type("m.annotation")
//!     .with_limit(ResultLimit::new(10).unwrap())
//!     .with_direction(PaginationDirection::Backward);
//! let request = Request::<ReadRelations>::new("w1", "r1", data)?;
//! assert_eq!(
//!     serde_json::to_string(&request)?,
//!     r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"org.matrix.msc3869.read_relations","data":{"event_id":"$msg_1","rel_type":"m.annotation","limit":10,"direction":"b"}}"#
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::event::RoomEvent;
use crate::naming::{WireName, wire_docs};
use crate::payload::MAX_SAFE_INTEGER;
use crate::payload::{BoundedInt, Extra, Payload};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The `read_relations` action from widget to host.
#[derive(Debug)]
pub enum ReadRelations {}

impl Action for ReadRelations {
    const API: Api = Api::FromWidget;
    const NAME: ActionName = ActionName::ReadRelations;
    type RequestData = ReadRelationsRequestData;
    type ResponseData = ReadRelationsResponseData;
}

/// The request `data`: read the events related to `event_id`, which must not be empty.
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[wire(check = "ReadRelationsRequestData::check", extend_schema = "ReadRelationsRequestData::extend_schema")]
#[non_exhaustive]
pub struct ReadRelationsRequestData {
    /// The event whose relations to read.
    pub event_id: String,
    /// The room of the event (needs a timeline capability). Absent: the room the user is viewing.
    pub room_id: Option<String>,
    /// Only relations of this type (such as m.annotation).
    pub rel_type: Option<String>,
    /// Only related events of this type.
    pub event_type: Option<String>,
    /// At most this many events: an integer from 0 (passed to the server as is). Absent: the server's default.
    pub limit: Option<ResultLimit>,
    /// A pagination token to start from (a previous response's next_batch or prev_batch).
    pub from: Option<String>,
    /// A pagination token to stop at.
    pub to: Option<String>,
    /// The direction to paginate in (MSC3715): "f" forwards, "b" backwards.
    pub direction: Option<PaginationDirection>,
    /// Fields the protocol does not define, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl ReadRelationsRequestData {
    /// Read the relations of `event_id` in the viewed room.
    pub fn new(event_id: impl Into<String>) -> Self {
        ReadRelationsRequestData {
            event_id: event_id.into(),
            room_id: None,
            rel_type: None,
            event_type: None,
            limit: None,
            from: None,
            to: None,
            direction: None,
            extra: Extra::new(),
        }
    }

    /// In another room.
    pub fn with_room_id(self, room_id: impl Into<String>) -> Self {
        ReadRelationsRequestData { room_id: Some(room_id.into()), ..self }
    }

    /// Only relations of `rel_type`.
    pub fn with_rel_type(self, rel_type: impl Into<String>) -> Self {
        ReadRelationsRequestData { rel_type: Some(rel_type.into()), ..self }
    }

    /// Only related events of `event_type`.
    pub fn with_event_type(self, event_type: impl Into<String>) -> Self {
        ReadRelationsRequestData { event_type: Some(event_type.into()), ..self }
    }

    /// At most `limit` events.
    pub fn with_limit(self, limit: ResultLimit) -> Self {
        ReadRelationsRequestData { limit: Some(limit), ..self }
    }

    /// Starting from the pagination token `from`.
    pub fn with_from(self, from: impl Into<String>) -> Self {
        ReadRelationsRequestData { from: Some(from.into()), ..self }
    }

    /// Stopping at the pagination token `to`.
    pub fn with_to(self, to: impl Into<String>) -> Self {
        ReadRelationsRequestData { to: Some(to.into()), ..self }
    }

    /// Paginating in `direction`.
    pub fn with_direction(self, direction: PaginationDirection) -> Self {
        ReadRelationsRequestData { direction: Some(direction), ..self }
    }

    /// The rules beyond field types: a non-empty `event_id`.
    fn check(&self) -> Result<(), String> {
        if self.event_id.is_empty() { Err("`event_id` must not be empty".to_owned()) } else { Ok(()) }
    }

    /// [`ReadRelationsRequestData::check`] in the schema.
    #[cfg(feature = "schema")]
    fn extend_schema(mut schema: schemars::Schema) -> schemars::Schema {
        crate::event::require_non_empty(&mut schema, "event_id");
        schema
    }
}

/// The direction to paginate in (MSC3715).
#[wire_docs]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, WireName)]
#[wire(what = "pagination direction")]
pub enum PaginationDirection {
    /// `"f"`: forwards, from older to newer events.
    #[wire("f")]
    Forward,
    /// `"b"`: backwards, from newer to older events.
    #[wire("b")]
    Backward,
}

/// A limit that may be 0: an integer from 0 to 2^53 − 1 (matrix-widget-api 1.19's host
/// only rejects negative limits for `read_relations` and `user_directory_search`).
/// Negatives, fractions and strings are rejected with an error naming the value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ResultLimit(u64);

impl ResultLimit {
    /// `Some` if `n` is at most 2^53 − 1.
    pub const fn new(n: u64) -> Option<Self> {
        if n <= MAX_SAFE_INTEGER { Some(ResultLimit(n)) } else { None }
    }

    /// The limit.
    pub const fn get(self) -> u64 {
        self.0
    }
}

impl Serialize for ResultLimit {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(self.0)
    }
}

impl<'de> Deserialize<'de> for ResultLimit {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_u64(BoundedInt::plain("limit", 0, MAX_SAFE_INTEGER)).map(ResultLimit)
    }
}

/// The success `response`: one page of related events, with the tokens to page on.
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct ReadRelationsResponseData {
    /// The related events the widget may receive.
    pub chunk: Vec<RoomEvent>,
    /// The token for the next page (pass it as from), if there is one.
    pub next_batch: Option<String>,
    /// The token for the previous page, if there is one.
    pub prev_batch: Option<String>,
    /// Fields the protocol does not define, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl ReadRelationsResponseData {
    /// Answers with `chunk` and no further pages.
    pub fn new(chunk: Vec<RoomEvent>) -> Self {
        ReadRelationsResponseData { chunk, next_batch: None, prev_batch: None, extra: Extra::new() }
    }

    /// With a token for the next page.
    pub fn with_next_batch(self, next_batch: impl Into<String>) -> Self {
        ReadRelationsResponseData { next_batch: Some(next_batch.into()), ..self }
    }

    /// With a token for the previous page.
    pub fn with_prev_batch(self, prev_batch: impl Into<String>) -> Self {
        ReadRelationsResponseData { prev_batch: Some(prev_batch.into()), ..self }
    }
}

#[cfg(feature = "schema")]
mod schema {
    use super::*;
    use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
    use std::borrow::Cow;

    impl JsonSchema for ResultLimit {
        fn schema_name() -> Cow<'static, str> {
            "ResultLimit".into()
        }
        fn json_schema(_: &mut SchemaGenerator) -> Schema {
            json_schema!({
                "description": "A limit that may be 0: an integer from 0 to 2^53 - 1.",
                "type": "integer",
                "minimum": 0,
                "maximum": MAX_SAFE_INTEGER,
            })
        }
    }
}
