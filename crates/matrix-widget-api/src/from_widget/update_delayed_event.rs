//! `update_delayed_event` (fromWidget) — MSC4157: cancel, restart or send a delayed event.
//!
//! Emitted as `org.matrix.msc4157.update_delayed_event`; `update_delayed_event` (stable) and
//! `org.matrix.msc4157.update.delayed_event` (widget-api 1.8.0–1.8.1) are accepted ([wire decision 2](crate::wire_decisions)).
//!
//! ```
//! use matrix_widget_api::from_widget::update_delayed_event::UpdateAction;
//! use matrix_widget_api::payload::Empty;
//! use matrix_widget_api::{FromWidgetRequest, HostMessage, decode_host};
//!
//! // MSC4157's text says `refresh`; it reads as `restart`.
//! let text = r#"{"api":"fromWidget","widgetId":"w1","requestId":"r2","action":"update_delayed_event","data":{"delay_id":"syd_abc","action":"refresh"}}"#;
//! let HostMessage::Request(FromWidgetRequest::UpdateDelayedEvent(request)) = decode_host(text)? else { unreachable!() };
//! assert_eq!(*request.data().action.value(), UpdateAction::Restart);
//! // … restart it through MSC4140, then:
//! assert!(request.reply(&Empty::new()).ends_with(r#","response":{}}"#));
//! # Ok::<(), matrix_widget_api::DecodeError>(())
//! ```

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::naming::{Spelled, WireName, wire_docs};
use crate::payload::{Empty, Extra, Payload};

/// The `update_delayed_event` action from widget to host.
#[derive(Debug)]
pub enum UpdateDelayedEvent {}

impl Action for UpdateDelayedEvent {
    const API: Api = Api::FromWidget;
    const NAME: ActionName = ActionName::UpdateDelayedEvent;
    type RequestData = UpdateDelayedEventRequestData;
    type ResponseData = Empty;
}

/// The request `data`. An empty `delay_id` is rejected (widget-api's host treats it as
/// missing; it would also make an invalid MSC4140 path).
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[wire(check = "UpdateDelayedEventRequestData::validate", extend_schema = "UpdateDelayedEventRequestData::extend_schema")]
#[non_exhaustive]
pub struct UpdateDelayedEventRequestData {
    /// The delayed event, as returned in `send_event`'s `delay_id`.
    pub delay_id: String,
    /// What to do with it.
    pub action: Spelled<UpdateAction>,
    /// Fields the protocol does not define, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl UpdateDelayedEventRequestData {
    /// The rules beyond field types: a non-empty `delay_id`.
    pub fn validate(&self) -> Result<(), String> {
        if self.delay_id.is_empty() { Err("`delay_id` must not be empty".to_owned()) } else { Ok(()) }
    }

    /// [`UpdateDelayedEventRequestData::validate`] in the schema.
    #[cfg(feature = "schema")]
    fn extend_schema(mut schema: schemars::Schema) -> schemars::Schema {
        if let Some(delay_id) = schema.get_mut("properties").and_then(|p| p.get_mut("delay_id")).and_then(|t| t.as_object_mut()) {
            delay_id.insert("minLength".into(), 1.into());
        }
        schema
    }

    /// Apply `action` to the delayed event `delay_id`.
    pub fn new(delay_id: impl Into<String>, action: UpdateAction) -> Self {
        UpdateDelayedEventRequestData { delay_id: delay_id.into(), action: Spelled::new(action), extra: Extra::new() }
    }
}

/// What `update_delayed_event` does. Anything else is an error naming the value.
#[wire_docs]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, WireName)]
#[wire(what = "delayed event update action")]
pub enum UpdateAction {
    /// Cancel it: it will never be sent.
    #[wire("cancel")]
    Cancel,
    /// Restart its timer from now with the original delay. MSC4157's text says `refresh`
    /// (copied from an old MSC4140); every implementation says `restart`, so `refresh` is
    /// accepted as an alias (wire decision 1).
    #[wire("restart", legacy = "refresh")]
    Restart,
    /// Send it now.
    #[wire("send")]
    Send,
}
