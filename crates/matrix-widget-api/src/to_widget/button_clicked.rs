//! `button_clicked` (toWidget) — MSC2790: the host tells a modal widget one of its buttons was clicked.
//!
//! The data is the button's `id`, as declared in the modal's `buttons` (required, a string;
//! any ID is accepted, [`ModalButtonId`]). The response is `{}`; what the click means is up
//! to the modal (often a `close_modal`).
//!
//! ```
//! use matrix_widget_api::modal::ModalButtonId;
//! use matrix_widget_api::payload::Empty;
//! use matrix_widget_api::{ToWidgetRequest, WidgetMessage, decode_widget};
//!
//! let text = r#"{"api":"toWidget","widgetId":"modal_w1","requestId":"r1","action":"button_clicked","data":{"id":"ok"}}"#;
//! let WidgetMessage::Request(ToWidgetRequest::ButtonClicked(request)) = decode_widget(text)? else { unreachable!() };
//! assert_eq!(request.data().id, ModalButtonId::new("ok"));
//! assert!(request.reply(&Empty::new()).ends_with(r#","response":{}}"#));
//! # Ok::<(), matrix_widget_api::DecodeError>(())
//! ```

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::modal::ModalButtonId;
use crate::payload::{Empty, Extra, Payload};

/// The `button_clicked` action from host to modal widget.
#[derive(Debug)]
pub enum ButtonClicked {}

impl Action for ButtonClicked {
    const API: Api = Api::ToWidget;
    const NAME: ActionName = ActionName::ButtonClicked;
    type RequestData = ButtonClickedRequestData;
    type ResponseData = Empty;
}

/// The request `data`: which button was clicked.
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct ButtonClickedRequestData {
    /// The clicked button's ID, as declared in the modal's buttons.
    pub id: ModalButtonId,
    /// Fields the protocol does not define, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl ButtonClickedRequestData {
    /// The button `id` was clicked.
    pub fn new(id: ModalButtonId) -> Self {
        ButtonClickedRequestData { id, extra: Extra::new() }
    }
}
