//! `content_loaded` (fromWidget) — spec draft #2764: the widget says it has loaded.
//!
//! Both payloads are `{}` (unknown fields are kept). A widget whose definition says
//! `waitForIframeLoad: false` sends it once it is ready; the host acknowledges and starts the
//! capability negotiation. matrix-widget-api 1.19's host answers it with an error ("Improper
//! sequence…") when it did not expect it (`waitForIframeLoad` is true, or it came twice):
//! that is session state, not a rule of the payload, so decoding accepts it either way.
//!
//! ```
//! use matrix_widget_api::payload::Empty;
//! use matrix_widget_api::{FromWidgetRequest, HostMessage, decode_host};
//!
//! let text = r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"content_loaded","data":{}}"#;
//! let HostMessage::Request(FromWidgetRequest::ContentLoaded(request)) = decode_host(text)? else { unreachable!() };
//! assert!(request.reply(&Empty::new()).ends_with(r#","response":{}}"#));
//! # Ok::<(), matrix_widget_api::DecodeError>(())
//! ```

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::payload::Empty;

/// The `content_loaded` action from widget to host.
#[derive(Debug)]
pub enum ContentLoaded {}

impl Action for ContentLoaded {
    const API: Api = Api::FromWidget;
    const NAME: ActionName = ActionName::ContentLoaded;
    type RequestData = Empty;
    type ResponseData = Empty;
}
