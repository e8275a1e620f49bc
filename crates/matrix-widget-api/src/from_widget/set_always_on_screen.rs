//! `set_always_on_screen` (fromWidget) — spec draft #2764, MSC1354.
//!
//! Not typed yet: `data` and `response` are raw objects.

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::payload::RawObject;

/// The `set_always_on_screen` action marker.
#[derive(Debug)]
pub enum SetAlwaysOnScreen {}

impl Action for SetAlwaysOnScreen {
    const API: Api = Api::FromWidget;
    const NAME: ActionName = ActionName::SetAlwaysOnScreen;
    type Request = RawObject;
    type Response = RawObject;
}
