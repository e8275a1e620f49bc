//! Typed, machine-checked definition of the Matrix Widget API: the postMessage protocol
//! between a Matrix client (the *host*) and an embedded web app (the *widget*), with
//! MSC4157 delayed events at its heart.
//!
//! Start with [`decode()`] (bytes → a typed [`Message`]) and [`Request::reply`] (a typed
//! response → reply bytes that echo the request). Names with several spellings are
//! explained in [`naming`].
#![forbid(unsafe_code)]

extern crate self as matrix_widget_api;

pub mod action;
pub mod api;
pub mod capability;
pub mod decode;
pub mod error;
pub mod event;
pub mod from_widget;
pub mod message;
pub mod naming;
pub mod payload;
#[cfg(feature = "schema")]
pub mod schema;
pub mod to_widget;
pub mod version;

#[doc(hidden)]
pub mod __private {
    pub use crate::private::*;
}
mod private;
mod registry;

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeDoctests;

pub use action::{Action, ActionName};
pub use api::Api;
pub use capability::Capability;
pub use decode::{
    DecodeError, HostMessage, Message, MessageKind, Role, WidgetMessage, decode, decode_as, decode_as_slice, decode_host,
    decode_host_slice, decode_slice, decode_widget, decode_widget_slice,
};
pub use error::{ErrorResponse, MatrixApiError, MatrixErrorBody, WidgetError};
pub use from_widget::{FromWidgetRequest, FromWidgetResponse};
pub use message::BuildError;
pub use message::{Envelope, Request, Response};
pub use naming::{Naming, Spelled, Spelling};
pub use to_widget::{ToWidgetRequest, ToWidgetResponse};
pub use version::ApiVersion;
