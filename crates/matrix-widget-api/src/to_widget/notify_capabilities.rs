//! `notify_capabilities` (toWidget) — MSC2871: the host tells the widget what it granted.
//!
//! `approved` must echo the widget's own capability strings ([wire decision 3](crate::wire_decisions)): a parsed
//! [`Spelled`] capability does. Both lists are emitted cumulatively (wire decision 18).
//!
//! ```
//! use matrix_widget_api::to_widget::notify_capabilities::{NotifyCapabilities, NotifyCapabilitiesRequestData};
//! use matrix_widget_api::{Capability, Request};
//! use matrix_widget_api::naming::Spelled;
//!
//! // The widget asked in the stable spelling; `approved` echoes its own string.
//! let asked: Spelled<Capability> = Spelled::parse("m.send.delayed_event")?;
//! let data = NotifyCapabilitiesRequestData::new(vec![asked.clone()], vec![asked]);
//! let text = serde_json::to_string(&Request::<NotifyCapabilities>::new("w1", "n1", data)?)?;
//! assert!(text.contains(r#""approved":["m.send.delayed_event"]"#));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::capability::Capability;
use crate::naming::Spelled;
use crate::payload::{Empty, Extra, Payload};

/// The `notify_capabilities` action from host to widget.
#[derive(Debug)]
pub enum NotifyCapabilities {}

impl Action for NotifyCapabilities {
    const API: Api = Api::ToWidget;
    const NAME: ActionName = ActionName::NotifyCapabilities;
    type RequestData = NotifyCapabilitiesRequestData;
    type ResponseData = Empty;
}

/// The request `data`.
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct NotifyCapabilitiesRequestData {
    /// What the widget asked for.
    pub requested: Vec<Spelled<Capability>>,
    /// What the host granted.
    pub approved: Vec<Spelled<Capability>>,
    /// Fields the protocol does not define, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl NotifyCapabilitiesRequestData {
    /// Reports `requested` and `approved`.
    pub fn new(requested: Vec<Spelled<Capability>>, approved: Vec<Spelled<Capability>>) -> Self {
        NotifyCapabilitiesRequestData { requested, approved, extra: Extra::new() }
    }
}
