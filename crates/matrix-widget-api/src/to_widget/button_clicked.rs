//! `button_clicked` (toWidget) — MSC2790.
//!
//! Not typed yet: `data` and `response` are raw objects.

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::payload::RawObject;

/// The `button_clicked` action marker.
#[derive(Debug)]
pub enum ButtonClicked {}

impl Action for ButtonClicked {
    const API: Api = Api::ToWidget;
    const NAME: ActionName = ActionName::ButtonClicked;
    type Request = RawObject;
    type Response = RawObject;
}
