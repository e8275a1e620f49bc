//! The host side of the Matrix Widget API: what a Matrix client (the *host*) does on the
//! homeserver when an embedded widget asks it to act, built on the protocol types of
//! [`matrix_widget_api`].
//!
//! Everything here is pure: functions from typed widget requests to [`http::Request`]s and
//! from [`http::Response`]s to typed widget replies. There is no HTTP client, no I/O and no
//! async runtime; the host sends the requests with whatever client it already has.
//!
//! - [`msc4140`]: the homeserver requests behind MSC4157 delayed events (`send_event` with
//!   `delay`, `update_delayed_event`), for every MSC4140 era, with server-support detection
//!   and the mapping of homeserver errors back to widget error replies.
#![forbid(unsafe_code)]

pub mod msc4140;
