//! `update_turn_servers` (toWidget) — MSC3846.
//!
//! Not typed yet: `data` and `response` are raw objects.

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::payload::RawObject;

/// The `update_turn_servers` action marker.
#[derive(Debug)]
pub enum UpdateTurnServers {}

impl Action for UpdateTurnServers {
    const API: Api = Api::ToWidget;
    const NAME: ActionName = ActionName::UpdateTurnServers;
    type Request = RawObject;
    type Response = RawObject;
}
