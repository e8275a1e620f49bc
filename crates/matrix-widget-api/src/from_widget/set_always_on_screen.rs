//! `set_always_on_screen` (fromWidget) — spec draft #2764, MSC1354: the widget asks to stay on screen.
//!
//! `value: true` asks the host to keep the widget visible (for example as a picture in
//! picture while the user looks at another room), `false` releases it; the host answers
//! whether it did, `success`. The host needs the `m.always_on_screen` capability.
//! matrix-widget-api 1.19's host does not handle the action itself; the client does. Both
//! booleans are required.
//!
//! ```
//! use matrix_widget_api::from_widget::set_always_on_screen::SetAlwaysOnScreenResponseData;
//! use matrix_widget_api::{FromWidgetRequest, HostMessage, decode_host};
//!
//! let text = r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"set_always_on_screen","data":{"value":true}}"#;
//! let HostMessage::Request(FromWidgetRequest::SetAlwaysOnScreen(request)) = decode_host(text)? else { unreachable!() };
//! assert!(request.data().value);
//! assert!(request.reply(&SetAlwaysOnScreenResponseData::new(true)).ends_with(r#","response":{"success":true}}"#));
//! # Ok::<(), matrix_widget_api::DecodeError>(())
//! ```

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::payload::{Extra, Payload};

/// The `set_always_on_screen` action from widget to host.
#[derive(Debug)]
pub enum SetAlwaysOnScreen {}

impl Action for SetAlwaysOnScreen {
    const API: Api = Api::FromWidget;
    const NAME: ActionName = ActionName::SetAlwaysOnScreen;
    type RequestData = SetAlwaysOnScreenRequestData;
    type ResponseData = SetAlwaysOnScreenResponseData;
}

/// The request `data`: whether the widget wants to stay on screen.
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct SetAlwaysOnScreenRequestData {
    /// `true` to stay on screen, `false` to stop.
    pub value: bool,
    /// Fields the protocol does not define, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl SetAlwaysOnScreenRequestData {
    /// Asks to stay on screen (`true`) or to stop (`false`).
    pub fn new(value: bool) -> Self {
        SetAlwaysOnScreenRequestData { value, extra: Extra::new() }
    }
}

/// The success `response`: whether the host did it.
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct SetAlwaysOnScreenResponseData {
    /// Whether the host could do what was asked.
    pub success: bool,
    /// Fields the protocol does not define, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl SetAlwaysOnScreenResponseData {
    /// The host did it (`true`) or could not (`false`).
    pub fn new(success: bool) -> Self {
        SetAlwaysOnScreenResponseData { success, extra: Extra::new() }
    }
}
