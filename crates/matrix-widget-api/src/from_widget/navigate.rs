//! `navigate` (fromWidget) — MSC2931: the widget asks the host to open a matrix.to link.
//!
//! `{uri}` → `{}`. Emitted as `org.matrix.msc2931.navigate` (what matrix-widget-api 1.19
//! sends and understands); the stable `navigate` is accepted. The capability has the same
//! unstable string, `org.matrix.msc2931.navigate` (stable `m.navigate`).
//!
//! Decoding checks the shape only: `uri` must be a string. Which URIs a host honours is its
//! policy, not the wire's: MSC2931 says a matrix.to URI "or in future" a `matrix:` URI, and
//! matrix-widget-api 1.19's host refuses anything not starting with `https://matrix.to/#`
//! with the error "Invalid matrix.to URI" — after its capability check, so a widget without
//! the capability hears "Missing capability" first. Refusing such URIs in decoding would
//! turn that order around and tie the type to today's scheme, so this crate decodes any
//! string and a host applies the reference's rule with [`NavigateRequestData::is_matrix_to`].
//!
//! ```
//! use matrix_widget_api::{FromWidgetRequest, HostMessage, decode_host};
//! use matrix_widget_api::payload::Empty;
//!
//! let text = r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"org.matrix.msc2931.navigate",
//!     "data":{"uri":"https://matrix.to/#/!room:example.org/$event?via=example.org"}}"#;
//! let HostMessage::Request(FromWidgetRequest::Navigate(request)) = decode_host(text)? else { unreachable!() };
//! let reply = if request.data().is_matrix_to() {
//!     // … open the link, then:
//!     request.reply(&Empty::new())
//! } else {
//!     request.reply_error(matrix_widget_api::ErrorResponseData::new("Invalid matrix.to URI"))
//! };
//! assert!(reply.ends_with(r#","response":{}}"#));
//! # Ok::<(), matrix_widget_api::DecodeError>(())
//! ```

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::payload::{Empty, Extra, Payload};

/// The `navigate` action from widget to host.
#[derive(Debug)]
pub enum Navigate {}

impl Action for Navigate {
    const API: Api = Api::FromWidget;
    const NAME: ActionName = ActionName::Navigate;
    type RequestData = NavigateRequestData;
    type ResponseData = Empty;
}

/// The prefix matrix-widget-api's host requires of a `navigate` URI.
pub const MATRIX_TO_PREFIX: &str = "https://matrix.to/#";

/// The request `data`: the link to open.
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct NavigateRequestData {
    /// The link the host should open as if the user had followed it: a matrix.to URI (`https://matrix.to/#/…`); MSC2931 foresees `matrix:` URIs too. Any string decodes; hosts refuse what they cannot open.
    pub uri: String,
    /// Fields the protocol does not define, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl NavigateRequestData {
    /// Navigate to `uri`.
    pub fn new(uri: impl Into<String>) -> Self {
        NavigateRequestData { uri: uri.into(), extra: Extra::new() }
    }

    /// Whether `uri` is a matrix.to link: it starts with `https://matrix.to/#`, the rule
    /// matrix-widget-api 1.19's host (and its widget-side `navigateTo`) applies.
    pub fn is_matrix_to(&self) -> bool {
        self.uri.starts_with(MATRIX_TO_PREFIX)
    }
}
