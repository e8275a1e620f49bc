//! `send_event` (toWidget) — MSC2762: the host delivers a room event.
//!
//! Not typed yet: `data` and `response` are raw objects.

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::payload::RawObject;

/// The `send_event` action marker.
#[derive(Debug)]
pub enum SendEvent {}

impl Action for SendEvent {
    const API: Api = Api::ToWidget;
    const NAME: ActionName = ActionName::SendEvent;
    type Request = RawObject;
    type Response = RawObject;
}
