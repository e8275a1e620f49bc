//! `send_to_device` (toWidget) — MSC3819: the host delivers a to-device event.
//!
//! `data` is the received to-device event (`type`, `sender`, `content`; decrypted when it
//! came encrypted) plus `encrypted`, whether it did; the widget acknowledges with `{}`.
//! Hosts deliver only types the widget has a `receive.to_device` capability for.
//!
//! The reference widget does not check `data`; this crate requires `type`, `sender` and
//! `content`, with their types (`content` an object, `encrypted` a boolean when present).
//!
//! `encrypted` may be absent: matrix-sdk up to 0.18 delivers to-device events without it
//! (the field came to matrix-rust-sdk in 2026-07). An absent (or `null`) `encrypted` reads
//! as `false`, and a widget must treat it so: the host did not say the event came
//! encrypted, and those releases forward plaintext to-device events too (they drop them
//! only in encrypted rooms), so absence is never a proof of encryption. A re-serialised
//! event then says `"encrypted":false` explicitly
//! ([wire decision 36](crate::wire_decisions)).
//!
//! ```
//! use matrix_widget_api::payload::{Empty, RawObject};
//! use matrix_widget_api::to_widget::send_to_device::{ToWidgetSendToDevice, ToDeviceEvent};
//! use matrix_widget_api::Request;
//!
//! let event = ToDeviceEvent::new("org.example.ping", "@b:b", RawObject::from_json(r#"{"n":3}"#)?, true);
//! let request = Request::<ToWidgetSendToDevice>::new("w1", "r1", event)?;
//! assert_eq!(
//!     serde_json::to_string(&request)?,
//!     r#"{"api":"toWidget","widgetId":"w1","requestId":"r1","action":"send_to_device","data":{"type":"org.example.ping","sender":"@b:b","content":{"n":3},"encrypted":true}}"#
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::payload::{Empty, Extra, Payload, RawObject};

/// The `send_to_device` action from host to widget.
#[derive(Debug)]
pub enum ToWidgetSendToDevice {}

impl Action for ToWidgetSendToDevice {
    const API: Api = Api::ToWidget;
    const NAME: ActionName = ActionName::SendToDevice;
    type RequestData = ToDeviceEvent;
    type ResponseData = Empty;
}

/// The request `data`: a to-device event the host received, and whether it came encrypted.
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct ToDeviceEvent {
    /// The event type (for an encrypted event: the decrypted type).
    #[wire(rename = "type")]
    pub event_type: String,
    /// The sender's user ID.
    pub sender: String,
    /// The event content (for an encrypted event: the decrypted content), kept byte-exact.
    pub content: RawObject,
    /// Whether the event came encrypted (Olm). Absent (matrix-sdk ≤ 0.18) reads as `false`:
    /// not known to be encrypted (wire decision 36).
    #[wire(default)]
    pub encrypted: bool,
    /// Fields the protocol does not define, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl ToDeviceEvent {
    /// A to-device event of `event_type` from `sender`.
    pub fn new(event_type: impl Into<String>, sender: impl Into<String>, content: RawObject, encrypted: bool) -> Self {
        ToDeviceEvent { event_type: event_type.into(), sender: sender.into(), content, encrypted, extra: Extra::new() }
    }
}
