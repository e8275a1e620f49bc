//! `screenshot` (toWidget) — spec draft #2764: the host asks the widget for a screenshot.
//!
//! `{}` → `{screenshot}`. Needs the `m.capability.screenshot` capability (wire decision
//! 15). `screenshot` is a `Blob` in a browser, a structured-clone value rather than JSON:
//! it is a [`Transferable`], kept byte-exact (see [`crate::transferable`]; a JSON peer sees
//! `{}`). It must be present and not `null`. matrix-widget-api 1.19's widget side has no
//! default handler: unless the widget answers it, the reply is the error "Unknown or
//! unsupported to-widget action: screenshot".
//!
//! ```
//! use matrix_widget_api::to_widget::screenshot::ScreenshotResponseData;
//! use matrix_widget_api::transferable::Transferable;
//! use matrix_widget_api::{ToWidgetRequest, WidgetMessage, decode_widget};
//!
//! let text = r#"{"api":"toWidget","widgetId":"w1","requestId":"r1","action":"screenshot","data":{}}"#;
//! let WidgetMessage::Request(ToWidgetRequest::Screenshot(request)) = decode_widget(text)? else { unreachable!() };
//! let reply = request.reply(&ScreenshotResponseData::new(Transferable::empty_object()));
//! assert!(reply.ends_with(r#","response":{"screenshot":{}}}"#));
//! # Ok::<(), matrix_widget_api::DecodeError>(())
//! ```

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::payload::{Empty, Extra, Payload};
use crate::transferable::Transferable;

/// The `screenshot` action from host to widget.
#[derive(Debug)]
pub enum Screenshot {}

impl Action for Screenshot {
    const API: Api = Api::ToWidget;
    const NAME: ActionName = ActionName::Screenshot;
    type RequestData = Empty;
    type ResponseData = ScreenshotResponseData;
}

/// The widget's answer: its screenshot.
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct ScreenshotResponseData {
    /// The screenshot: a Blob in a browser (a structured-clone value); a JSON peer sees {}. Not null.
    pub screenshot: Transferable,
    /// Fields the protocol does not define, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl ScreenshotResponseData {
    /// Answers with `screenshot`.
    pub fn new(screenshot: Transferable) -> Self {
        ScreenshotResponseData { screenshot, extra: Extra::new() }
    }
}
