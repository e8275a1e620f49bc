//! `supported_api_versions` (fromWidget) — spec draft #2764: the widget asks which API versions the host supports.
//!
//! The request has no data; the response lists version strings (`0.0.2`,
//! `org.matrix.msc2762`, …). Versions this crate does not know are kept verbatim in
//! the catch-all of [`ApiVersion`], so a list from a newer peer survives a round-trip. The toWidget
//! action of the same name (the host asking the widget) has the same payloads:
//! [`to_widget::supported_api_versions`](crate::to_widget::supported_api_versions).
//!
//! ```
//! use matrix_widget_api::from_widget::supported_api_versions::SupportedApiVersionsResponseData;
//! use matrix_widget_api::{ApiVersion, FromWidgetRequest, HostMessage, decode_host};
//!
//! let text = r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"supported_api_versions","data":{}}"#;
//! let HostMessage::Request(FromWidgetRequest::SupportedApiVersions(request)) = decode_host(text)? else { unreachable!() };
//! let reply = request.reply(&SupportedApiVersionsResponseData::new([ApiVersion::Prerelease2, ApiVersion::Msc2762]));
//! assert!(reply.ends_with(r#","response":{"supported_versions":["0.0.2","org.matrix.msc2762"]}}"#));
//! # Ok::<(), matrix_widget_api::DecodeError>(())
//! ```

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::naming::Spelled;
use crate::payload::{Empty, Extra, Payload};
use crate::version::ApiVersion;

/// The `supported_api_versions` action from widget to host.
#[derive(Debug)]
pub enum SupportedApiVersions {}

impl Action for SupportedApiVersions {
    const API: Api = Api::FromWidget;
    const NAME: ActionName = ActionName::SupportedApiVersions;
    type RequestData = Empty;
    type ResponseData = SupportedApiVersionsResponseData;
}

/// The API versions a peer supports (the answer to `supported_api_versions` in either
/// direction). Unknown version strings are kept as they came.
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct SupportedApiVersionsResponseData {
    /// The supported versions.
    pub supported_versions: Vec<Spelled<ApiVersion>>,
    /// Fields the protocol does not define, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl SupportedApiVersionsResponseData {
    /// Advertises `versions`.
    pub fn new(versions: impl IntoIterator<Item = ApiVersion>) -> Self {
        SupportedApiVersionsResponseData { supported_versions: versions.into_iter().map(Spelled::new).collect(), extra: Extra::new() }
    }

    /// Whether `version` is in the list.
    pub fn supports(&self, version: &ApiVersion) -> bool {
        self.supported_versions.iter().any(|v| v == version)
    }
}
