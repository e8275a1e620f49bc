//! `org.matrix.msc4533.rtc_livekit_delegate_delayed_leave` (fromWidget) — MSC4533: hand a
//! MatrixRTC delayed leave event over to the homeserver.
//!
//! **Unstable.** `{room_id, slot_id, member, delay_id}` → `{}`. The widget has scheduled
//! its leave event as an MSC4157 delayed event (`delay_id`, from `send_event`'s response);
//! the host calls `POST /_matrix/client/v1/rtc/livekit/delegate_delayed_leave` with `data`
//! as the body, verbatim, so that the server keeps the delayed event alive while the
//! member is connected. A 404 `M_UNRECOGNIZED` (forwarded in `matrix_api_error`) means the
//! server cannot; the widget then keeps restarting the delayed event itself. No stable
//! name yet; the capability is the same string.
//!
//! The fields follow MSC4533's text and matrix-widget-api 1.19 (all required strings,
//! `member` a [`RtcLivekitMember`]); MSC4195 and the open matrix-widget-api PR #169 use a
//! string `member_id` and add the SFU's `url`. Other fields, `url` and `member_id` included,
//! pass through in `extra`, and a request without `member` is refused (wire decision 42). Not feature-gated (see [`super::rtc_livekit_get_token`]); marked unstable.
//!
//! ```
//! use matrix_widget_api::payload::Empty;
//! use matrix_widget_api::{FromWidgetRequest, HostMessage, decode_host};
//!
//! let text = r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"org.matrix.msc4533.rtc_livekit_delegate_delayed_leave",
//!     "data":{"room_id":"!room:example.org","slot_id":"m.call#","member":{"id":"@alice:example.org:DEVICE"},"delay_id":"syd_abc"}}"#;
//! let HostMessage::Request(FromWidgetRequest::RtcLivekitDelegateDelayedLeave(request)) = decode_host(text)? else { unreachable!() };
//! assert_eq!(request.data().delay_id, "syd_abc");
//! assert!(request.reply(&Empty::new()).ends_with(r#","response":{}}"#));
//! # Ok::<(), matrix_widget_api::DecodeError>(())
//! ```

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::payload::{Empty, Extra, Payload};

pub use super::rtc_livekit_get_token::RtcLivekitMember;

/// The `org.matrix.msc4533.rtc_livekit_delegate_delayed_leave` action from widget to host (unstable).
#[derive(Debug)]
pub enum RtcLivekitDelegateDelayedLeave {}

impl Action for RtcLivekitDelegateDelayedLeave {
    const API: Api = Api::FromWidget;
    const NAME: ActionName = ActionName::RtcLivekitDelegateDelayedLeave;
    type RequestData = RtcLivekitDelegateDelayedLeaveRequestData;
    type ResponseData = Empty;
}

/// The request `data`, forwarded verbatim as the body of the homeserver's delegate_delayed_leave endpoint (MSC4533, unstable: the fields are changing).
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct RtcLivekitDelegateDelayedLeaveRequestData {
    /// The room the MatrixRTC session belongs to.
    pub room_id: String,
    /// The MatrixRTC session (slot) the delayed leave event belongs to.
    pub slot_id: String,
    /// The MatrixRTC member leaving (matrix-widget-api 1.19's shape; an open PR replaces it with a string member_id).
    pub member: RtcLivekitMember,
    /// The delayed leave event to hand over: the delay_id of an MSC4157 delayed send_event.
    pub delay_id: String,
    /// Fields the protocol does not define, kept and forwarded.
    #[wire(extra)]
    pub extra: Extra,
}

impl RtcLivekitDelegateDelayedLeaveRequestData {
    /// Delegates the delayed leave event `delay_id` of `member` in slot `slot_id` of `room_id`.
    pub fn new(room_id: impl Into<String>, slot_id: impl Into<String>, member: RtcLivekitMember, delay_id: impl Into<String>) -> Self {
        RtcLivekitDelegateDelayedLeaveRequestData {
            room_id: room_id.into(),
            slot_id: slot_id.into(),
            member,
            delay_id: delay_id.into(),
            extra: Extra::new(),
        }
    }
}
