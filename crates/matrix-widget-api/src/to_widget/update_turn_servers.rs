//! `update_turn_servers` (toWidget) — MSC3846: the host sends TURN server credentials.
//!
//! `{uris, username, password}` → `{}`. Sent after the widget's `watch_turn_servers`
//! (see [`crate::from_widget::watch_turn_servers`]), and again whenever the previous
//! credentials expire, until `unwatch_turn_servers`. All three fields are required;
//! `uris` is an array of strings (`turn:` and `turns:` URIs), and anything else is refused,
//! naming the field. matrix-widget-api 1.19's widget side passes `data` to the widget
//! unchecked.
//!
//! ```
//! use matrix_widget_api::to_widget::update_turn_servers::{UpdateTurnServers, UpdateTurnServersRequestData};
//! use matrix_widget_api::Request;
//!
//! let data = UpdateTurnServersRequestData::new(["turn:turn.example.org:3478?transport=udp"], "1700000000:@alice:example.org", "secret");
//! let request = Request::<UpdateTurnServers>::new("w1", "r1", data)?;
//! assert_eq!(
//!     serde_json::to_string(&request).unwrap(),
//!     r#"{"api":"toWidget","widgetId":"w1","requestId":"r1","action":"update_turn_servers","data":{"uris":["turn:turn.example.org:3478?transport=udp"],"username":"1700000000:@alice:example.org","password":"secret"}}"#
//! );
//! # Ok::<(), matrix_widget_api::BuildError>(())
//! ```

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::payload::{Empty, Extra, Payload};

/// The `update_turn_servers` action from host to widget.
#[derive(Debug)]
pub enum UpdateTurnServers {}

impl Action for UpdateTurnServers {
    const API: Api = Api::ToWidget;
    const NAME: ActionName = ActionName::UpdateTurnServers;
    type RequestData = UpdateTurnServersRequestData;
    type ResponseData = Empty;
}

/// The request `data`: a TURN server and its current credentials.
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct UpdateTurnServersRequestData {
    /// The TURN server's URIs (turn: and turns:).
    pub uris: Vec<String>,
    /// The username to authenticate with.
    pub username: String,
    /// The password to authenticate with.
    pub password: String,
    /// Fields the protocol does not define, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl UpdateTurnServersRequestData {
    /// The TURN server at `uris`, with `username` and `password`.
    pub fn new(uris: impl IntoIterator<Item = impl Into<String>>, username: impl Into<String>, password: impl Into<String>) -> Self {
        UpdateTurnServersRequestData {
            uris: uris.into_iter().map(Into::into).collect(),
            username: username.into(),
            password: password.into(),
            extra: Extra::new(),
        }
    }
}
