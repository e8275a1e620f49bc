//! The typed, machine-checked definition of the **Matrix Widget API**: the `postMessage`
//! protocol between a Matrix client (the *host*, such as Element) and an embedded web app
//! (the *widget*, such as Element Call), with MSC4157 delayed events at its heart.
//!
//! Every action of both directions has a module under [`from_widget`] (what the widget
//! sends) or [`to_widget`] (what the host sends), holding its marker type, its request
//! `data` and its success `response`. Names that come in several spellings (stable
//! `update_delayed_event`, unstable `org.matrix.msc4157.update_delayed_event`, legacy
//! `org.matrix.msc4157.update.delayed_event`) are all accepted; values built in code emit
//! the unstable spelling unless asked otherwise, and a parsed value re-emits the spelling it
//! arrived in — see [`naming`]. Where the sources disagree, the crate follows the
//! [wire decisions](wire_decisions).
//!
//! # Which function to call
//!
//! | you are | you receive | call | you get |
//! |---|---|---|---|
//! | a host | what the widget posts | [`decode_host`] (text) / [`decode_host_slice`] (bytes) | [`HostMessage`]: a [`FromWidgetRequest`] or a [`ToWidgetResponse`] |
//! | a widget | what the host posts | [`decode_widget`] / [`decode_widget_slice`] | [`WidgetMessage`]: a [`ToWidgetRequest`] or a [`FromWidgetResponse`] |
//! | a tool that sees both sides (a trace, a proxy) | anything | [`decode()`] / [`decode_slice`] | [`Message`], one of the four |
//!
//! A host or widget should use its own function: it refuses what cannot reach it (a widget
//! never sends a toWidget request) and its result type only has the cases that can occur.
//! [`decode_as`] is the role-generic form.
//!
//! Decoding happens in stages, so that a host can always answer a request: input that is
//! not a widget API message is [`DecodeError::Malformed`] (there is nothing to answer); a
//! valid envelope with bad `data` is [`DecodeError::Invalid`], whose
//! [`error_reply`](DecodeError::error_reply) is the reply to send; anything else is typed.
//!
//! # A host answering a delayed send
//!
//! ```
//! use matrix_widget_api::from_widget::send_event::SendEventResponseData;
//! use matrix_widget_api::{FromWidgetRequest, HostMessage, decode_host};
//!
//! fn answer(text: &str) -> Option<String> {
//!     let message = match decode_host(text) {
//!         Ok(message) => message,
//!         // A valid envelope with bad data (e.g. `"delay": 0`) still gets an error reply;
//!         // anything else is not a widget API message and gets no answer.
//!         Err(error) => return error.error_reply(),
//!     };
//!     match message {
//!         HostMessage::Request(FromWidgetRequest::SendEvent(request)) => {
//!             let data = request.data();
//!             assert_eq!(data.delay.map(|d| d.as_millis()), Some(8000));
//!             // … check the capabilities, then schedule the event through MSC4140 …
//!             Some(request.reply(&SendEventResponseData::scheduled("!room:example.org", "syd_abc")))
//!         }
//!         // Every other action, typed or not, gets an error in this small example.
//!         HostMessage::Request(other) => Some(other.reply_error("Unknown or unsupported action")),
//!         HostMessage::Response(_) => None, // a reply to one of our toWidget requests
//!     }
//! }
//!
//! let text = r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"send_event",
//!   "data":{"type":"org.matrix.msc3401.call.member","state_key":"_@a:b_DEV","content":{},"delay":8000}}"#;
//! let reply = answer(text).unwrap();
//! // The reply is the request's own bytes plus `response`.
//! assert!(reply.starts_with(r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1""#));
//! assert!(reply.ends_with(r#","response":{"room_id":"!room:example.org","delay_id":"syd_abc"}}"#));
//!
//! let zero = text.replace("8000", "0");
//! let refused = answer(&zero).unwrap();
//! assert!(refused.contains(r#""error":{"message":"Invalid request: `delay` is out of range: 0 is not"#), "{refused}");
//! ```
//!
//! # A widget building requests
//!
//! ```
//! use matrix_widget_api::from_widget::update_delayed_event::{UpdateAction, UpdateDelayedEvent, UpdateDelayedEventRequestData};
//! use matrix_widget_api::naming::{Naming, to_string_with};
//! use matrix_widget_api::Request;
//!
//! let request = Request::<UpdateDelayedEvent>::new("w1", "r2", UpdateDelayedEventRequestData::new("syd_abc", UpdateAction::Restart))?;
//! // Unstable names by default: deployed hosts only know those.
//! let unstable = serde_json::to_string(&request)?;
//! assert!(unstable.contains(r#""action":"org.matrix.msc4157.update_delayed_event""#));
//! let stable = to_string_with(&request, Naming::Stable)?;
//! assert!(stable.contains(r#""action":"update_delayed_event""#));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Features
//!
//! - `schema`: [`schemars::JsonSchema`](https://docs.rs/schemars) for every wire type, and the
//!   `schema` module that `cargo xtask codegen` publishes from (documented on docs.rs, which builds with every feature).
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

extern crate self as matrix_widget_api;

// The vocabulary: private modules whose items are re-exported at the root, so each has one
// path (`matrix_widget_api::Capability`, never `capability::Capability`).
mod action;
mod api;
mod capability;
mod decode;
mod error;
mod message;
mod version;

// Payloads and mechanisms, reached through their module.
pub mod encrypted_file;
pub mod event;
pub mod from_widget;
pub mod limits;
pub mod modal;
pub mod naming;
pub mod openid;
pub mod payload;
#[cfg(feature = "schema")]
#[cfg_attr(docsrs, doc(cfg(feature = "schema")))]
pub mod schema;
pub mod to_widget;
pub mod transferable;

#[doc(hidden)]
pub mod __private {
    pub use crate::private::*;
}
mod outcome;
mod plain;
mod private;
mod registry;

/// The wire decisions: where the MSCs, the spec draft and the reference implementation
/// disagree, what this crate emits and what it accepts (`docs/wire-decisions.md` in the
/// repository; the crate includes its copy `wire-decisions.md`, kept identical by CI, so
/// that the published package is self-contained).
#[doc = include_str!("../wire-decisions.md")]
pub mod wire_decisions {}

/// The README's examples, compiled and run as doctests (the crate's `README.md` is a copy
/// of the repository's, kept identical by CI).
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

pub use action::{Action, ActionName};
pub use api::{Api, Role};
pub use capability::{Capability, FilterError, RoomEventFilter, StateEventFilter, TimelineTarget};
pub use decode::{
    DecodeError, Decoder, HostMessage, InvalidMessage, Message, MessageKind, WidgetMessage, decode, decode_as, decode_as_slice,
    decode_host, decode_host_slice, decode_slice, decode_widget, decode_widget_slice,
};
pub use error::{ErrorResponseData, HttpStatus, MatrixApiError, MatrixErrorBody, WidgetError};
pub use from_widget::messages::{FromWidgetRequest, FromWidgetResponse};
pub use message::{BuildError, Envelope, Request, Response, UntypedFromWidget, UntypedToWidget};
pub use to_widget::messages::{ToWidgetRequest, ToWidgetResponse};
pub use version::ApiVersion;
