//! `send_event` (toWidget) — MSC2762, extended by MSC4407: the host delivers a room event.
//!
//! `data` is the event itself, a [`RoomEvent`] (decrypted, so `type` and `content` are the
//! cleartext ones); the widget acknowledges with `{}`. A host sends the events the widget
//! may receive (`receive.event` / `receive.state_event` capabilities) from the viewed room
//! and from rooms it has a timeline capability for. With MSC4407's
//! `receive.sticky_event` capability, hosts also push the currently sticky events through
//! this action (matrix-widget-api ≥ 1.17), which carry `sticky` or `msc4354_sticky`.
//!
//! The reference widget (matrix-widget-api 1.19's `WidgetApi`) does not check `data`: it
//! hands the request to the application. This crate reads it as a `RoomEvent`: `type`,
//! `sender`, `event_id`, `room_id`, `origin_server_ts` and `content` are required, with
//! their types (`content` an object, `origin_server_ts` a non-negative integer).
//!
//! ```
//! use matrix_widget_api::payload::Empty;
//! use matrix_widget_api::{ToWidgetRequest, WidgetMessage, decode_widget};
//!
//! let text = r#"{"api":"toWidget","widgetId":"w1","requestId":"r1","action":"send_event","data":{"type":"m.room.message","sender":"@a:b","event_id":"$msg_1","room_id":"!r:b","origin_server_ts":1700000000000,"content":{"msgtype":"m.text","body":"hello"},"unsigned":{"age":1234}}}"#;
//! let WidgetMessage::Request(ToWidgetRequest::SendEvent(request)) = decode_widget(text)? else { unreachable!() };
//! assert_eq!(request.data().content.get(), r#"{"msgtype":"m.text","body":"hello"}"#);
//! assert!(!request.data().is_state());
//! assert!(request.reply(&Empty::new()).ends_with(r#","response":{}}"#));
//! # Ok::<(), matrix_widget_api::DecodeError>(())
//! ```

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::event::RoomEvent;
use crate::payload::Empty;

/// The `send_event` action from host to widget.
#[derive(Debug)]
pub enum ToWidgetSendEvent {}

impl Action for ToWidgetSendEvent {
    const API: Api = Api::ToWidget;
    const NAME: ActionName = ActionName::SendEvent;
    type RequestData = RoomEvent;
    type ResponseData = Empty;
}
