//! `capabilities` (toWidget) — spec draft #2764: the host asks which capabilities the
//! widget wants.
//!
//! ```
//! use matrix_widget_api::to_widget::capabilities::{Capabilities, CapabilitiesResponseData};
//! use matrix_widget_api::payload::Empty;
//! use matrix_widget_api::{Capability, Request, ToWidgetRequest, WidgetMessage, decode_widget};
//!
//! // The host asks…
//! let ask = serde_json::to_string(&Request::<Capabilities>::new("w1", "c1", Empty::new())?)?;
//! // …and the widget answers with what it wants.
//! let WidgetMessage::Request(ToWidgetRequest::Capabilities(request)) = decode_widget(&ask)? else { unreachable!() };
//! let reply = request.reply(&CapabilitiesResponseData::new([Capability::SendDelayedEvent, Capability::UpdateDelayedEvent]));
//! assert!(reply.ends_with(r#""response":{"capabilities":["org.matrix.msc4157.send.delayed_event","org.matrix.msc4157.update_delayed_event"]}}"#));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::capability::Capability;
use crate::naming::Spelled;
use crate::payload::{Empty, Extra, Payload};

/// The `capabilities` action from host to widget.
#[derive(Debug)]
pub enum Capabilities {}

impl Action for Capabilities {
    const API: Api = Api::ToWidget;
    const NAME: ActionName = ActionName::Capabilities;
    type RequestData = Empty;
    type ResponseData = CapabilitiesResponseData;
}

/// The widget's answer: the capabilities it requests, in the spellings it uses.
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct CapabilitiesResponseData {
    /// The requested capabilities.
    pub capabilities: Vec<Spelled<Capability>>,
    /// Fields the protocol does not define, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl CapabilitiesResponseData {
    /// Requests `capabilities`.
    pub fn new(capabilities: impl IntoIterator<Item = Capability>) -> Self {
        CapabilitiesResponseData { capabilities: capabilities.into_iter().map(Spelled::new).collect(), extra: Extra::new() }
    }
}
