//! `org.matrix.msc4533.rtc_livekit_get_token` (fromWidget) — MSC4533.
//!
//! Not typed yet: `data` and `response` are raw objects.

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::payload::RawObject;

/// The `rtc_livekit_get_token` action marker.
#[derive(Debug)]
pub enum RtcLivekitGetToken {}

impl Action for RtcLivekitGetToken {
    const API: Api = Api::FromWidget;
    const NAME: ActionName = ActionName::RtcLivekitGetToken;
    type Request = RawObject;
    type Response = RawObject;
}
