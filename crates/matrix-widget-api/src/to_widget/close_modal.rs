//! `close_modal` (toWidget) — MSC2790: the host tells the opening widget its modal closed.
//!
//! The data is what the modal returned in its fromWidget
//! [`close_modal`](crate::from_widget::close_modal), relayed as it came (any object,
//! [`ModalReturnData`]), or `{"m.exited": true}` when the user dismissed the modal instead
//! ([`ModalReturnData::exited`], read with [`ModalReturnData::is_exited`]). Since the modal's
//! own data may hold anything, `m.exited` is not type-checked. The response is `{}`.
//!
//! ```
//! use matrix_widget_api::payload::Empty;
//! use matrix_widget_api::to_widget::close_modal::{ToWidgetCloseModal, ModalReturnData};
//! use matrix_widget_api::{Request, ToWidgetRequest, WidgetMessage, decode_widget};
//!
//! // The user closed the dialog: the host tells the opener.
//! let request = Request::<ToWidgetCloseModal>::new("w1", "r1", ModalReturnData::exited())?;
//! let text = serde_json::to_string(&request).expect("serialises");
//! assert!(text.contains(r#""data":{"m.exited":true}"#));
//! let WidgetMessage::Request(ToWidgetRequest::CloseModal(decoded)) = decode_widget(&text)? else { unreachable!() };
//! assert!(decoded.data().is_exited());
//! assert!(decoded.reply(&Empty::new()).ends_with(r#","response":{}}"#));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::action::{Action, ActionName};
use crate::api::Api;
pub use crate::modal::ModalReturnData;
use crate::payload::Empty;

/// The `close_modal` action from host to the widget that opened the modal.
#[derive(Debug)]
pub enum ToWidgetCloseModal {}

impl Action for ToWidgetCloseModal {
    const API: Api = Api::ToWidget;
    const NAME: ActionName = ActionName::CloseModal;
    type RequestData = ModalReturnData;
    type ResponseData = Empty;
}
