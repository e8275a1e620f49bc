//! `unwatch_turn_servers` (fromWidget) — MSC3846: the widget stops the TURN server updates.
//!
//! `{}` → `{}`. Ends the toWidget `update_turn_servers` that
//! [`watch_turn_servers`](super::watch_turn_servers) started; unwatching when not watching
//! is a no-op. Same capability, `town.robin.msc3846.turn_servers`. Fields a widget adds to
//! `data` are kept.
//!
//! ```
//! use matrix_widget_api::from_widget::unwatch_turn_servers::UnwatchTurnServers;
//! use matrix_widget_api::payload::Empty;
//! use matrix_widget_api::Request;
//!
//! let request = Request::<UnwatchTurnServers>::new("w1", "r2", Empty::new())?;
//! assert_eq!(
//!     serde_json::to_string(&request).unwrap(),
//!     r#"{"api":"fromWidget","widgetId":"w1","requestId":"r2","action":"unwatch_turn_servers","data":{}}"#
//! );
//! # Ok::<(), matrix_widget_api::BuildError>(())
//! ```

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::payload::Empty;

/// The `unwatch_turn_servers` action from widget to host.
#[derive(Debug)]
pub enum UnwatchTurnServers {}

impl Action for UnwatchTurnServers {
    const API: Api = Api::FromWidget;
    const NAME: ActionName = ActionName::UnwatchTurnServers;
    type RequestData = Empty;
    type ResponseData = Empty;
}
