//! `set_button_enabled` (fromWidget) — MSC2790: a modal widget enables or disables a button.
//!
//! Not typed yet: `data` and `response` are raw objects.

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::payload::RawObject;

/// The `set_button_enabled` action marker.
#[derive(Debug)]
pub enum SetButtonEnabled {}

impl Action for SetButtonEnabled {
    const API: Api = Api::FromWidget;
    const NAME: ActionName = ActionName::SetButtonEnabled;
    type Request = RawObject;
    type Response = RawObject;
}
