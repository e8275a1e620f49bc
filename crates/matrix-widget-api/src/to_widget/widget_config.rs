//! `widget_config` (toWidget) — MSC2790: the host gives a modal widget its definition.
//!
//! Sent to a modal widget once its capabilities are settled, with the same object the
//! opening widget sent in fromWidget [`open_modal`](crate::from_widget::open_modal)
//! ([`ModalOpenData`]: `type`, `url`, `name`, `data`, `buttons`, …, unknown fields kept), so
//! the modal learns its `data` and its buttons. The same rules apply (non-empty `type` and
//! `url`). The response is `{}`.
//!
//! ```
//! use matrix_widget_api::payload::Empty;
//! use matrix_widget_api::{ToWidgetRequest, WidgetMessage, decode_widget};
//!
//! let text = r#"{"api":"toWidget","widgetId":"modal_w1","requestId":"r1","action":"widget_config","data":{
//!     "type":"m.custom","url":"https://example.org/modal.html","name":"Pick a date","data":{"title":"When?","day":"mon"},
//!     "buttons":[{"id":"ok","label":"OK","kind":"m.primary"}]}}"#;
//! let WidgetMessage::Request(ToWidgetRequest::WidgetConfig(request)) = decode_widget(text)? else { unreachable!() };
//! let config = request.data();
//! assert_eq!(config.data.as_ref().and_then(|d| d.title.as_deref()), Some("When?"));
//! assert_eq!(config.buttons.as_ref().map(Vec::len), Some(1));
//! assert!(request.reply(&Empty::new()).ends_with(r#","response":{}}"#));
//! # Ok::<(), matrix_widget_api::DecodeError>(())
//! ```

use crate::action::{Action, ActionName};
use crate::api::Api;
pub use crate::modal::ModalOpenData;
use crate::payload::Empty;

/// The `widget_config` action from host to modal widget.
#[derive(Debug)]
pub enum WidgetConfig {}

impl Action for WidgetConfig {
    const API: Api = Api::ToWidget;
    const NAME: ActionName = ActionName::WidgetConfig;
    type RequestData = ModalOpenData;
    type ResponseData = Empty;
}
