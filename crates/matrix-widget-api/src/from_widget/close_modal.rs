//! `close_modal` (fromWidget) — MSC2790: a modal widget closes itself.
//!
//! The modal sends whatever it wants to return to the widget that opened it, any object
//! ([`ModalReturnData`], kept as it came); the host closes the modal and relays the object
//! to the opener as toWidget [`close_modal`](crate::to_widget::close_modal). The response is
//! `{}`. matrix-widget-api 1.19's host does not handle the action itself; the client does.
//!
//! ```
//! use matrix_widget_api::payload::Empty;
//! use matrix_widget_api::{FromWidgetRequest, HostMessage, decode_host};
//!
//! let text = r#"{"api":"fromWidget","widgetId":"modal_w1","requestId":"r1","action":"close_modal","data":{"choice":"yes"}}"#;
//! let HostMessage::Request(FromWidgetRequest::CloseModal(request)) = decode_host(text)? else { unreachable!() };
//! assert_eq!(request.data().extra.get("choice").map(|v| v.get()), Some(r#""yes""#));
//! assert!(!request.data().is_exited());
//! assert!(request.reply(&Empty::new()).ends_with(r#","response":{}}"#));
//! # Ok::<(), matrix_widget_api::DecodeError>(())
//! ```

use crate::action::{Action, ActionName};
use crate::api::Api;
pub use crate::modal::ModalReturnData;
use crate::payload::Empty;

/// The `close_modal` action from the modal widget to the host.
#[derive(Debug)]
pub enum CloseModal {}

impl Action for CloseModal {
    const API: Api = Api::FromWidget;
    const NAME: ActionName = ActionName::CloseModal;
    type RequestData = ModalReturnData;
    type ResponseData = Empty;
}
