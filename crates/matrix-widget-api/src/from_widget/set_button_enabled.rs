//! `set_button_enabled` (fromWidget) — MSC2790: a modal widget enables or disables a button.
//!
//! The modal names one of the buttons it was opened with (`button`) and whether it is
//! `enabled`; the response is `{}`. Buttons start enabled unless declared `disabled`.
//!
//! The host's close button, `m.close`, is refused (whatever `enabled` says): matrix-widget-api
//! 1.19's widget helper throws "The close button cannot be disabled" before sending it, and
//! Element, which handles the action, answers it with the error "Invalid button". A button the
//! modal was not opened with is the host's to refuse (it knows the buttons); decoding
//! accepts any other ID.
//!
//! ```
//! use matrix_widget_api::modal::ModalButtonId;
//! use matrix_widget_api::payload::Empty;
//! use matrix_widget_api::{FromWidgetRequest, HostMessage, decode_host};
//!
//! let text = r#"{"api":"fromWidget","widgetId":"modal_w1","requestId":"r1","action":"set_button_enabled","data":{"button":"ok","enabled":false}}"#;
//! let HostMessage::Request(FromWidgetRequest::SetButtonEnabled(request)) = decode_host(text)? else { unreachable!() };
//! assert_eq!(request.data().button, ModalButtonId::new("ok"));
//! assert!(request.reply(&Empty::new()).ends_with(r#","response":{}}"#));
//!
//! let close = r#"{"api":"fromWidget","widgetId":"modal_w1","requestId":"r2","action":"set_button_enabled","data":{"button":"m.close","enabled":false}}"#;
//! let error = decode_host(close).unwrap_err();
//! assert!(error.error_reply().expect("answerable").contains("the close button `m.close` cannot be enabled or disabled"));
//! # Ok::<(), matrix_widget_api::DecodeError>(())
//! ```

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::modal::ModalButtonId;
use crate::payload::{Empty, Extra, Payload};

/// The `set_button_enabled` action from the modal widget to the host.
#[derive(Debug)]
pub enum SetButtonEnabled {}

impl Action for SetButtonEnabled {
    const API: Api = Api::FromWidget;
    const NAME: ActionName = ActionName::SetButtonEnabled;
    type RequestData = SetButtonEnabledRequestData;
    type ResponseData = Empty;
}

/// The request `data`: which button, and whether it is enabled. The close button `m.close`
/// is refused.
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[wire(check = "SetButtonEnabledRequestData::check", extend_schema = "SetButtonEnabledRequestData::extend_schema")]
#[non_exhaustive]
pub struct SetButtonEnabledRequestData {
    /// The ID of one of the modal's buttons; not `m.close`.
    pub button: ModalButtonId,
    /// Whether the button is enabled.
    pub enabled: bool,
    /// Fields the protocol does not define, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl SetButtonEnabledRequestData {
    /// Enables (`true`) or disables (`false`) `button`.
    pub fn new(button: ModalButtonId, enabled: bool) -> Self {
        SetButtonEnabledRequestData { button, enabled, extra: Extra::new() }
    }

    /// The rule beyond field types: not the close button.
    fn check(&self) -> Result<(), String> {
        if self.button == ModalButtonId::Close {
            return Err("invalid `button`: the close button `m.close` cannot be enabled or disabled".to_owned());
        }
        Ok(())
    }

    /// [`SetButtonEnabledRequestData::check`] in the schema.
    #[cfg(feature = "schema")]
    fn extend_schema(mut schema: schemars::Schema) -> schemars::Schema {
        if let Some(button) = schema.get_mut("properties").and_then(|p| p.get_mut("button")).and_then(|t| t.as_object_mut()) {
            button.insert("not".into(), serde_json::json!({ "const": "m.close" }));
        }
        schema
    }
}
