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

/// Which side of the conversation: the receiver a decoder works for, or the sender of a message. A host receives fromWidget requests and responses to its
/// toWidget requests; a widget the reverse. Anything else is malformed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// The client embedding the widget.
    Host,
    /// The widget.
    Widget,
}
