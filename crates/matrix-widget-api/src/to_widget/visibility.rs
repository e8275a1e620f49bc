//! `visibility` (toWidget) — spec draft #2764: the host tells the widget whether it is visible.
//!
//! The data is `{visible: boolean}` (required); the response is `{}` (matrix-widget-api
//! 1.19's widget acknowledges it by default). A transport quirk kept for old Scalar widgets:
//! the reference transport also copies `data.visible` to the top level of the message, for
//! this action only. A request built with [`Request::new`](crate::Request::new) does the same
//! (through [`Action::top_level_fields`]); on input the top-level copy is tolerated, kept in
//! the envelope's [`extra`](crate::Envelope::extra) so it round-trips, and otherwise ignored:
//! `data.visible` is what counts.
//!
//! ```
//! use matrix_widget_api::to_widget::visibility::{Visibility, VisibilityRequestData};
//! use matrix_widget_api::{Request, ToWidgetRequest, WidgetMessage, decode_widget};
//!
//! // The host builds it: `visible` appears in `data` and at the top level.
//! let request = Request::<Visibility>::new("w1", "r1", VisibilityRequestData::new(false))?;
//! let text = serde_json::to_string(&request).expect("serialises");
//! assert_eq!(
//!     text,
//!     r#"{"api":"toWidget","widgetId":"w1","requestId":"r1","action":"visibility","data":{"visible":false},"visible":false}"#
//! );
//! // The widget decodes it; the top-level copy is kept in the envelope.
//! let WidgetMessage::Request(ToWidgetRequest::Visibility(decoded)) = decode_widget(&text)? else { unreachable!() };
//! assert!(!decoded.data().visible);
//! assert_eq!(decoded.envelope().extra().get("visible").map(|v| v.get()), Some("false"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::payload::{Empty, Extra, Payload};

/// The `visibility` action from host to widget.
#[derive(Debug)]
pub enum Visibility {}

impl Action for Visibility {
    const API: Api = Api::ToWidget;
    const NAME: ActionName = ActionName::Visibility;
    type RequestData = VisibilityRequestData;
    type ResponseData = Empty;

    /// `visible`, copied from `data` as matrix-widget-api's transport does.
    fn top_level_fields(data: &VisibilityRequestData) -> Extra {
        let mut fields = Extra::new();
        // A boolean always serialises.
        fields.insert("visible", &data.visible).ok();
        fields
    }
}

/// The request `data`: whether the widget is now visible.
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct VisibilityRequestData {
    /// Whether the widget is visible to the user.
    pub visible: bool,
    /// Fields the protocol does not define, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl VisibilityRequestData {
    /// The widget is now visible (`true`) or hidden (`false`).
    pub fn new(visible: bool) -> Self {
        VisibilityRequestData { visible, extra: Extra::new() }
    }
}
