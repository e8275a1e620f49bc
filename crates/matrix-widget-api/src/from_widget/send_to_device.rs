//! `send_to_device` (fromWidget) — MSC3819: the widget sends to-device messages.
//!
//! Not typed yet: `data` and `response` are raw objects.

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::payload::RawObject;

/// The `send_to_device` action marker.
#[derive(Debug)]
pub enum SendToDevice {}

impl Action for SendToDevice {
    const API: Api = Api::FromWidget;
    const NAME: ActionName = ActionName::SendToDevice;
    type Request = RawObject;
    type Response = RawObject;
}
