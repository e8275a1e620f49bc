//! `get_rtc_transports` (fromWidget) — MSC4515.
//!
//! Not typed yet: `data` and `response` are raw objects.

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::payload::RawObject;

/// The `get_rtc_transports` action marker.
#[derive(Debug)]
pub enum GetRtcTransports {}

impl Action for GetRtcTransports {
    const API: Api = Api::FromWidget;
    const NAME: ActionName = ActionName::GetRtcTransports;
    type Request = RawObject;
    type Response = RawObject;
}
