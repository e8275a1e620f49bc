//! `com.beeper.read_room_account_data` (fromWidget) — a Beeper vendor action without an MSC:
//! the widget reads room account data.
//!
//! The widget asks for the user's room account data of one `type`, in the rooms of
//! `room_ids` (`"*"` or a list); the host answers with one `{type, room_id, content}` per
//! room that has it. Needs the `com.beeper.capabilities.receive.room_account_data` capability
//! for the type. The action has this one spelling.
//!
//! matrix-widget-api 1.19's host ignores `room_ids` and asks its driver before checking the
//! capability; this crate types `room_ids` and a host should check the capability first and
//! honour `room_ids` together with timeline capabilities (wire decision 21). So a
//! `room_ids` that is neither `"*"` nor a list of strings is rejected, though the reference
//! host would not look at it (wire decision 40).
//!
//! ```
//! use matrix_widget_api::event::RoomIds;
//! use matrix_widget_api::from_widget::read_room_account_data::{ReadRoomAccountData, ReadRoomAccountDataRequestData};
//! use matrix_widget_api::Request;
//!
//! let data = ReadRoomAccountDataRequestData::new("org.example.tags").with_room_ids(RoomIds::Any);
//! let request = Request::<ReadRoomAccountData>::new("w1", "r1", data)?;
//! assert_eq!(
//!     serde_json::to_string(&request)?,
//!     r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"com.beeper.read_room_account_data","data":{"type":"org.example.tags","room_ids":"*"}}"#
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::event::RoomIds;
use crate::payload::{Extra, Payload, RawObject};

/// The `com.beeper.read_room_account_data` action from widget to host.
#[derive(Debug)]
pub enum ReadRoomAccountData {}

impl Action for ReadRoomAccountData {
    const API: Api = Api::FromWidget;
    const NAME: ActionName = ActionName::ReadRoomAccountData;
    type RequestData = ReadRoomAccountDataRequestData;
    type ResponseData = ReadRoomAccountDataResponseData;
}

/// The request `data`: read room account data of one type.
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct ReadRoomAccountDataRequestData {
    /// The account data type.
    #[wire(rename = "type")]
    pub event_type: String,
    /// Which rooms: "*" or a list of room IDs (matrix-widget-api 1.19's host ignores it).
    pub room_ids: Option<RoomIds>,
    /// Fields the protocol does not define, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl ReadRoomAccountDataRequestData {
    /// Read room account data of `event_type`.
    pub fn new(event_type: impl Into<String>) -> Self {
        ReadRoomAccountDataRequestData { event_type: event_type.into(), room_ids: None, extra: Extra::new() }
    }

    /// Only in these rooms.
    pub fn with_room_ids(self, room_ids: RoomIds) -> Self {
        ReadRoomAccountDataRequestData { room_ids: Some(room_ids), ..self }
    }
}

/// The success `response`: the account data found, one entry per room.
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct ReadRoomAccountDataResponseData {
    /// The account data, per room.
    pub events: Vec<RoomAccountData>,
    /// Fields the protocol does not define, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl ReadRoomAccountDataResponseData {
    /// Answers with `events`.
    pub fn new(events: Vec<RoomAccountData>) -> Self {
        ReadRoomAccountDataResponseData { events, extra: Extra::new() }
    }
}

/// One room's account data of a type (`IRoomAccountData`).
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct RoomAccountData {
    /// The account data type.
    #[wire(rename = "type")]
    pub event_type: String,
    /// The room it belongs to.
    pub room_id: String,
    /// The account data, kept byte-exact.
    pub content: RawObject,
    /// Fields the protocol does not define, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl RoomAccountData {
    /// The `event_type` account data of `room_id`.
    pub fn new(event_type: impl Into<String>, room_id: impl Into<String>, content: RawObject) -> Self {
        RoomAccountData { event_type: event_type.into(), room_id: room_id.into(), content, extra: Extra::new() }
    }
}
