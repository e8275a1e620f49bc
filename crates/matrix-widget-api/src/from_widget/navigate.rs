//! `navigate` (fromWidget) — MSC2931: the widget asks the host to open a matrix.to link.
//!
//! Not typed yet: `data` and `response` are raw objects.

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::payload::RawObject;

/// The `navigate` action marker.
#[derive(Debug)]
pub enum Navigate {}

impl Action for Navigate {
    const API: Api = Api::FromWidget;
    const NAME: ActionName = ActionName::Navigate;
    type Request = RawObject;
    type Response = RawObject;
}
