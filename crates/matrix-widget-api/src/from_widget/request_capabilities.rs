//! `request_capabilities` (fromWidget) — MSC2974: the widget asks for more capabilities.
//!
//! Not typed yet: `data` and `response` are raw objects.

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::payload::RawObject;

/// The `request_capabilities` action marker.
#[derive(Debug)]
pub enum RequestCapabilities {}

impl Action for RequestCapabilities {
    const API: Api = Api::FromWidget;
    const NAME: ActionName = ActionName::RequestCapabilities;
    type Request = RawObject;
    type Response = RawObject;
}
