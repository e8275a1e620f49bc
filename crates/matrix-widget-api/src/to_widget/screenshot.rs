//! `screenshot` (toWidget) — spec draft #2764.
//!
//! Not typed yet: `data` and `response` are raw objects.

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::payload::RawObject;

/// The `screenshot` action marker.
#[derive(Debug)]
pub enum Screenshot {}

impl Action for Screenshot {
    const API: Api = Api::ToWidget;
    const NAME: ActionName = ActionName::Screenshot;
    type Request = RawObject;
    type Response = RawObject;
}
