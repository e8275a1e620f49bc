//! `update_state` (toWidget) — MSC2762: the host delivers room state.
//!
//! `data.state` is a list of state events ([`RoomEvent`]s); the widget acknowledges with
//! `{}`. Hosts send it only to widgets that advertise the `org.matrix.msc2762_update_state`
//! API version (others get state through toWidget `send_event`): once with the room's
//! current state when the widget may first see a room, then with each change. An **empty**
//! `state` marks "initial state loaded": the host has nothing (more) to push for now.
//!
//! The reference widget does not check `data`; this crate reads each entry as a `RoomEvent`
//! (see its rules). It does not require the entries to have a `state_key`, as neither the
//! reference nor `IRoomEvent` does.
//!
//! ```
//! use matrix_widget_api::event::{RoomEvent, Timestamp};
//! use matrix_widget_api::payload::RawObject;
//! use matrix_widget_api::to_widget::update_state::{UpdateState, UpdateStateRequestData};
//! use matrix_widget_api::Request;
//!
//! let topic = RoomEvent::new("m.room.topic", "@a:b", "$t", "!r:b", Timestamp::from_millis(1).unwrap(), RawObject::from_json(r#"{"topic":"Hi"}"#)?)
//!     .with_state_key("");
//! let request = Request::<UpdateState>::new("w1", "r1", UpdateStateRequestData::new(vec![topic]))?;
//! assert!(serde_json::to_string(&request)?.starts_with(r#"{"api":"toWidget","widgetId":"w1","requestId":"r1","action":"update_state","data":{"state":[{"type":"m.room.topic""#));
//! assert!(UpdateStateRequestData::initial_state_loaded().is_initial_state_loaded());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::event::RoomEvent;
use crate::payload::{Empty, Extra, Payload};

/// The `update_state` action from host to widget.
#[derive(Debug)]
pub enum UpdateState {}

impl Action for UpdateState {
    const API: Api = Api::ToWidget;
    const NAME: ActionName = ActionName::UpdateState;
    type RequestData = UpdateStateRequestData;
    type ResponseData = Empty;
}

/// The request `data`: state events, or none to mark that the initial state is loaded.
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct UpdateStateRequestData {
    /// The state events (current state, or changes). Empty: the initial state is loaded.
    pub state: Vec<RoomEvent>,
    /// Fields the protocol does not define, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl UpdateStateRequestData {
    /// Delivers `state`.
    pub fn new(state: Vec<RoomEvent>) -> Self {
        UpdateStateRequestData { state, extra: Extra::new() }
    }

    /// `{"state": []}`: the initial state is loaded.
    pub fn initial_state_loaded() -> Self {
        Self::new(Vec::new())
    }

    /// Whether this marks "initial state loaded": `state` is empty.
    pub fn is_initial_state_loaded(&self) -> bool {
        self.state.is_empty()
    }
}
