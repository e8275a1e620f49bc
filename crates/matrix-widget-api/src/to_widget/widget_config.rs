//! `widget_config` (toWidget) — MSC2790.
//!
//! Not typed yet: `data` and `response` are raw objects.

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::payload::RawObject;

/// The `widget_config` action marker.
#[derive(Debug)]
pub enum WidgetConfig {}

impl Action for WidgetConfig {
    const API: Api = Api::ToWidget;
    const NAME: ActionName = ActionName::WidgetConfig;
    type Request = RawObject;
    type Response = RawObject;
}
