//! `org.matrix.msc4533.rtc_livekit_delegate_delayed_leave` (fromWidget) — MSC4533.
//!
//! Not typed yet: `data` and `response` are raw objects.

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::payload::RawObject;

/// The `rtc_livekit_delegate_delayed_leave` action marker.
#[derive(Debug)]
pub enum RtcLivekitDelegateDelayedLeave {}

impl Action for RtcLivekitDelegateDelayedLeave {
    const API: Api = Api::FromWidget;
    const NAME: ActionName = ActionName::RtcLivekitDelegateDelayedLeave;
    type Request = RawObject;
    type Response = RawObject;
}
