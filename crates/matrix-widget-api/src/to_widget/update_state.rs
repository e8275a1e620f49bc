//! `update_state` (toWidget) — MSC2762: the host delivers room state.
//!
//! Not typed yet: `data` and `response` are raw objects.

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::payload::RawObject;

/// The `update_state` action marker.
#[derive(Debug)]
pub enum UpdateState {}

impl Action for UpdateState {
    const API: Api = Api::ToWidget;
    const NAME: ActionName = ActionName::UpdateState;
    type Request = RawObject;
    type Response = RawObject;
}
