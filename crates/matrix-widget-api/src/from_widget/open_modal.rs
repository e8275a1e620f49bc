//! `open_modal` (fromWidget) — MSC2790: the widget asks the host to open a modal widget.
//!
//! Not typed yet: `data` and `response` are raw objects.

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::payload::RawObject;

/// The `open_modal` action marker.
#[derive(Debug)]
pub enum OpenModal {}

impl Action for OpenModal {
    const API: Api = Api::FromWidget;
    const NAME: ActionName = ActionName::OpenModal;
    type Request = RawObject;
    type Response = RawObject;
}
