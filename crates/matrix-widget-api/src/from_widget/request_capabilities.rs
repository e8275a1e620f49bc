//! `request_capabilities` (fromWidget) — MSC2974: the widget asks for more capabilities.
//!
//! `{capabilities}` → `{}`. Emitted as `org.matrix.msc2974.request_capabilities` (what
//! matrix-widget-api 1.19 sends, and only to a host advertising the `org.matrix.msc2974`
//! API version); the stable `request_capabilities` is accepted. The host acknowledges at
//! once and answers later with toWidget `notify_capabilities`, whose lists wire decision
//! 18 makes cumulative.
//!
//! `capabilities` must be an array of strings; anything else is refused, naming the field.
//! Every entry is kept as a [`Spelled`] [`Capability`], so unknown (vendor) capabilities
//! survive and `notify_capabilities.approved` can echo the widget's own strings (wire
//! decision 3). An absent `capabilities` reads as an empty list, as matrix-widget-api's
//! host reads it (`data.capabilities || []`); it is then written back as `[]`.
//!
//! ```
//! use matrix_widget_api::{Capability, FromWidgetRequest, HostMessage, decode_host};
//! use matrix_widget_api::payload::Empty;
//!
//! let text = r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"org.matrix.msc2974.request_capabilities",
//!     "data":{"capabilities":["town.robin.msc3846.turn_servers","io.example.vendor"]}}"#;
//! let HostMessage::Request(FromWidgetRequest::RequestCapabilities(request)) = decode_host(text)? else { unreachable!() };
//! assert_eq!(*request.data().capabilities[0].value(), Capability::TurnServers);
//! assert_eq!(request.data().capabilities[1].as_str(), "io.example.vendor");
//! let ack = request.reply(&Empty::new()); // then send notify_capabilities
//! # let _ = ack;
//! # Ok::<(), matrix_widget_api::DecodeError>(())
//! ```

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::capability::Capability;
use crate::naming::Spelled;
use crate::payload::{Empty, Extra, Payload};

/// The `request_capabilities` action from widget to host.
#[derive(Debug)]
pub enum RequestCapabilities {}

impl Action for RequestCapabilities {
    const API: Api = Api::FromWidget;
    const NAME: ActionName = ActionName::RequestCapabilities;
    type RequestData = RequestCapabilitiesRequestData;
    type ResponseData = Empty;
}

/// The request `data`: the capabilities the widget asks for, in the spellings it uses.
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct RequestCapabilitiesRequestData {
    /// The capabilities asked for, unknown ones included. Absent reads as an empty list.
    #[wire(default)]
    pub capabilities: Vec<Spelled<Capability>>,
    /// Fields the protocol does not define, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl RequestCapabilitiesRequestData {
    /// Asks for `capabilities`, written in the naming of the serialisation call.
    pub fn new(capabilities: impl IntoIterator<Item = Capability>) -> Self {
        RequestCapabilitiesRequestData { capabilities: capabilities.into_iter().map(Spelled::new).collect(), extra: Extra::new() }
    }
}
