//! The `api` field of the envelope: which side sent the *request* (spec draft #2764).

use crate::naming::{WireName, wire_docs};

/// The direction of a request. A response keeps the `api` of the request it answers.
#[wire_docs]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, WireName)]
#[wire(what = "api direction")]
pub enum Api {
    /// The widget sent the request to the host.
    #[wire("fromWidget")]
    FromWidget,
    /// The host sent the request to the widget.
    #[wire("toWidget")]
    ToWidget,
}
