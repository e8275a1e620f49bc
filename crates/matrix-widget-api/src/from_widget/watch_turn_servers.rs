//! `watch_turn_servers` (fromWidget) — MSC3846.
//!
//! Not typed yet: `data` and `response` are raw objects.

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::payload::RawObject;

/// The `watch_turn_servers` action marker.
#[derive(Debug)]
pub enum WatchTurnServers {}

impl Action for WatchTurnServers {
    const API: Api = Api::FromWidget;
    const NAME: ActionName = ActionName::WatchTurnServers;
    type Request = RawObject;
    type Response = RawObject;
}
