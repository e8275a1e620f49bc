//! `capabilities` (toWidget) — spec draft #2764: the host asks which capabilities the
//! widget wants.

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
    type Request = Empty;
    type Response = CapabilitiesResponse;
}

/// The widget's answer: the capabilities it requests, in the spellings it uses.
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct CapabilitiesResponse {
    /// The requested capabilities.
    pub capabilities: Vec<Spelled<Capability>>,
    /// Fields the protocol does not define, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl CapabilitiesResponse {
    /// Requests `capabilities`.
    pub fn new(capabilities: impl IntoIterator<Item = Capability>) -> Self {
        CapabilitiesResponse { capabilities: capabilities.into_iter().map(Spelled::new).collect(), extra: Extra::new() }
    }
}
