//! `theme_change` (toWidget) — MSC2873.
//!
//! Not typed yet: `data` and `response` are raw objects.

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::payload::RawObject;

/// The `theme_change` action marker.
#[derive(Debug)]
pub enum ThemeChange {}

impl Action for ThemeChange {
    const API: Api = Api::ToWidget;
    const NAME: ActionName = ActionName::ThemeChange;
    type Request = RawObject;
    type Response = RawObject;
}
