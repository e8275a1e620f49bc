//! `close_modal` (toWidget) — MSC2790.
//!
//! Not typed yet: `data` and `response` are raw objects.

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::payload::RawObject;

/// The `close_modal` action marker.
#[derive(Debug)]
pub enum CloseModal {}

impl Action for CloseModal {
    const API: Api = Api::ToWidget;
    const NAME: ActionName = ActionName::CloseModal;
    type Request = RawObject;
    type Response = RawObject;
}
