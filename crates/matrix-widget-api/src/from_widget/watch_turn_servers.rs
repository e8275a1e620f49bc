//! `watch_turn_servers` (fromWidget) — MSC3846: the widget asks to be sent TURN servers.
//!
//! `{}` → `{}`. Once it has acknowledged, the host sends toWidget `update_turn_servers`
//! with the first credentials and again whenever they expire, until `unwatch_turn_servers`
//! ([`super::unwatch_turn_servers`]). Watching twice is a no-op. A host that has no TURN
//! servers answers with an error (matrix-widget-api 1.19 says "TURN servers not
//! available"); the capability is `town.robin.msc3846.turn_servers`. Fields a widget adds
//! to `data` are kept.
//!
//! ```
//! use matrix_widget_api::{FromWidgetRequest, HostMessage, decode_host};
//! use matrix_widget_api::payload::Empty;
//!
//! let text = r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"watch_turn_servers","data":{}}"#;
//! let HostMessage::Request(FromWidgetRequest::WatchTurnServers(request)) = decode_host(text)? else { unreachable!() };
//! assert_eq!(request.reply(&Empty::new()), r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"watch_turn_servers","data":{},"response":{}}"#);
//! # Ok::<(), matrix_widget_api::DecodeError>(())
//! ```

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::payload::Empty;

/// The `watch_turn_servers` action from widget to host.
#[derive(Debug)]
pub enum WatchTurnServers {}

impl Action for WatchTurnServers {
    const API: Api = Api::FromWidget;
    const NAME: ActionName = ActionName::WatchTurnServers;
    type RequestData = Empty;
    type ResponseData = Empty;
}
