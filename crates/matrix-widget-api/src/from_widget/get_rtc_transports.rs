//! `get_rtc_transports` (fromWidget) — MSC4515: the RTC transports the homeserver offers.
//!
//! `{}` → `{rtc_transports}`. The host forwards `GET /_matrix/client/v1/rtc/transports`
//! and returns the list; each transport is an object with a `type` (a namespaced
//! identifier such as `livekit`) and transport-specific fields, all kept. Emitted as
//! `org.matrix.msc4515.get_rtc_transports` (matrix-widget-api ≥ 1.18 sends it only to a
//! host advertising the `org.matrix.msc4515` API version); the stable `get_rtc_transports`
//! is accepted. The capability is `org.matrix.msc4515.rtc_transports` (wire decision 26).
//!
//! `rtc_transports` must be an array of objects, each with a string `type`.
//!
//! ```
//! use matrix_widget_api::{FromWidgetResponse, WidgetMessage, decode_widget};
//!
//! let text = r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"org.matrix.msc4515.get_rtc_transports","data":{},
//!     "response":{"rtc_transports":[{"type":"livekit","livekit_service_url":"https://lk.example.org"}]}}"#;
//! let WidgetMessage::Response(FromWidgetResponse::GetRtcTransports(response)) = decode_widget(text)? else { unreachable!() };
//! let transports = &response.result().as_ref().unwrap().rtc_transports;
//! assert_eq!(transports[0].transport_type, "livekit");
//! assert!(transports[0].extra.get("livekit_service_url").is_some());
//! # Ok::<(), matrix_widget_api::DecodeError>(())
//! ```

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::payload::{Empty, Extra, Payload};

/// The `get_rtc_transports` action from widget to host.
#[derive(Debug)]
pub enum GetRtcTransports {}

impl Action for GetRtcTransports {
    const API: Api = Api::FromWidget;
    const NAME: ActionName = ActionName::GetRtcTransports;
    type RequestData = Empty;
    type ResponseData = GetRtcTransportsResponseData;
}

/// The success response: the transports the homeserver offers.
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct GetRtcTransportsResponseData {
    /// The transports, as the homeserver lists them.
    pub rtc_transports: Vec<RtcTransport>,
    /// Fields the protocol does not define, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl GetRtcTransportsResponseData {
    /// Lists `transports`.
    pub fn new(transports: Vec<RtcTransport>) -> Self {
        GetRtcTransportsResponseData { rtc_transports: transports, extra: Extra::new() }
    }
}

/// One RTC transport: its type and its transport-specific fields.
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct RtcTransport {
    /// The transport's globally unique identifier, in the Common Namespaced Identifier Grammar (for example livekit).
    #[wire(rename = "type")]
    pub transport_type: String,
    /// The transport-specific fields, defined by the transport's specification; kept as they came.
    #[wire(extra)]
    pub extra: Extra,
}

impl RtcTransport {
    /// A transport of type `transport_type` with no further fields (add them to `extra`).
    pub fn new(transport_type: impl Into<String>) -> Self {
        RtcTransport { transport_type: transport_type.into(), extra: Extra::new() }
    }
}
