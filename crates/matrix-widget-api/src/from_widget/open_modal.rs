//! `open_modal` (fromWidget) — MSC2790: the widget asks the host to open a modal widget.
//!
//! The data is the modal's definition ([`ModalOpenData`]): `type` and `url` (both required
//! and non-empty), and optionally `name`, `waitForIframeLoad`, `data` (with its `title`) and
//! `buttons`, each with an `id`, a `label` and a `kind` (the five `m.*` kinds or any other
//! string, kept). Unknown fields are kept at every level. The response is `{}`; a host that
//! cannot open a modal now answers with an error (Element: "Unable to open modal at this
//! time"). Once the modal has negotiated its capabilities the host sends it the same object
//! as toWidget [`widget_config`](crate::to_widget::widget_config).
//!
//! MSC2790's `m.modals` capability is checked by neither matrix-widget-api 1.19 nor Element:
//! a host accepts `open_modal` without it by default (wire decision 23). Deviation: an empty
//! `type` or `url` is refused, since the reference's `Widget` model cannot be built from it
//! (see [`crate::modal`]).
//!
//! ```
//! use matrix_widget_api::from_widget::open_modal::OpenModal;
//! use matrix_widget_api::modal::{ModalButton, ModalButtonId, ModalButtonKind, ModalOpenData};
//! use matrix_widget_api::Request;
//!
//! // The widget asks for a modal with one button:
//! let data = ModalOpenData::new("https://example.org/modal.html")
//!     .with_name("Pick a date")
//!     .with_buttons([ModalButton::new(ModalButtonId::new("ok"), "OK", ModalButtonKind::Primary)]);
//! let request = Request::<OpenModal>::new("w1", "r1", data)?;
//! assert_eq!(
//!     serde_json::to_value(&request).expect("serialises")["data"],
//!     serde_json::json!({"type": "m.custom", "url": "https://example.org/modal.html", "name": "Pick a date",
//!         "buttons": [{"id": "ok", "label": "OK", "kind": "m.primary"}]})
//! );
//! // An empty URL would not decode, so it cannot be built either.
//! assert!(Request::<OpenModal>::new("w1", "r2", ModalOpenData::new("")).is_err());
//! # Ok::<(), matrix_widget_api::BuildError>(())
//! ```

use crate::action::{Action, ActionName};
use crate::api::Api;
pub use crate::modal::ModalOpenData;
use crate::payload::Empty;

/// The `open_modal` action from widget to host.
#[derive(Debug)]
pub enum OpenModal {}

impl Action for OpenModal {
    const API: Api = Api::FromWidget;
    const NAME: ActionName = ActionName::OpenModal;
    type RequestData = ModalOpenData;
    type ResponseData = Empty;
}
