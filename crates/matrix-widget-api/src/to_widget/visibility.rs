//! `visibility` (toWidget) — spec draft #2764.
//!
//! Not typed yet: `data` and `response` are raw objects.

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::payload::RawObject;

/// The `visibility` action marker.
#[derive(Debug)]
pub enum Visibility {}

impl Action for Visibility {
    const API: Api = Api::ToWidget;
    const NAME: ActionName = ActionName::Visibility;
    type Request = RawObject;
    type Response = RawObject;
}
