//! `supported_api_versions` (toWidget) — spec draft #2764: the host asks which API versions the widget supports.
//!
//! The mirror of fromWidget
//! [`supported_api_versions`](crate::from_widget::supported_api_versions), with the same
//! payloads: no data, and a [`SupportedApiVersionsResponseData`] listing version strings, unknown
//! ones kept verbatim. A host learns from it, for example, whether the widget understands
//! `update_state` (`org.matrix.msc2762_update_state`).
//!
//! ```
//! use matrix_widget_api::to_widget::supported_api_versions::SupportedApiVersionsResponseData;
//! use matrix_widget_api::{ApiVersion, HostMessage, ToWidgetResponse, decode_host};
//!
//! let text = r#"{"api":"toWidget","widgetId":"w1","requestId":"r1","action":"supported_api_versions","data":{},
//!     "response":{"supported_versions":["0.0.2","org.matrix.msc2762_update_state","org.example.future"]}}"#;
//! let HostMessage::Response(ToWidgetResponse::SupportedApiVersions(response)) = decode_host(text)? else { unreachable!() };
//! let versions: &SupportedApiVersionsResponseData = response.result().as_ref().expect("a success");
//! assert!(versions.supports(&ApiVersion::Msc2762UpdateState));
//! assert_eq!(versions.supported_versions[2].as_str(), "org.example.future");
//! # Ok::<(), matrix_widget_api::DecodeError>(())
//! ```

use crate::action::{Action, ActionName};
use crate::api::Api;
pub use crate::from_widget::supported_api_versions::SupportedApiVersionsResponseData;
use crate::payload::Empty;

/// The `supported_api_versions` action from host to widget.
#[derive(Debug)]
pub enum ToWidgetSupportedApiVersions {}

impl Action for ToWidgetSupportedApiVersions {
    const API: Api = Api::ToWidget;
    const NAME: ActionName = ActionName::SupportedApiVersions;
    type RequestData = Empty;
    type ResponseData = SupportedApiVersionsResponseData;
}
