//! `m.sticker` (fromWidget) — spec draft #2764, MSC1236: the widget sends a sticker.
//!
//! Not typed yet: `data` and `response` are raw objects.

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::payload::RawObject;

/// The `sticker` action marker.
#[derive(Debug)]
pub enum Sticker {}

impl Action for Sticker {
    const API: Api = Api::FromWidget;
    const NAME: ActionName = ActionName::Sticker;
    type Request = RawObject;
    type Response = RawObject;
}
