//! Widget-side logic for the Matrix Widget API, on top of the protocol types of
//! [`matrix_widget_api`]: what a widget embedded in a Matrix client does to talk to its
//! host, without any I/O.
//!
//! - [`session`]: the sans-IO engine that runs a widget's whole conversation (capability
//!   negotiation, MSC2974 renegotiation, the host's versions, request IDs, reply matching
//!   by `requestId` and action, timeouts, the answers to the host's requests) — messages
//!   in, messages, typed requests and typed replies out — with typed helpers for what
//!   widgets do most: MSC4157 delayed events (Element Call's delayed leave), reading
//!   events, to-device messages, OpenID, TURN servers.
//!
//! The behaviour is matrix-widget-api 1.19's `WidgetApi` without its faults; the
//! [`session`] documentation lists the decisions.
#![forbid(unsafe_code)]

pub mod session;
