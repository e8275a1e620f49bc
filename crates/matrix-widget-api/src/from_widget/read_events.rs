//! `read_events` (fromWidget) — MSC2876, folded into MSC2762: the widget reads room events.
//!
//! Not typed yet: `data` and `response` are raw objects.

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::payload::RawObject;

/// The `read_events` action marker.
#[derive(Debug)]
pub enum ReadEvents {}

impl Action for ReadEvents {
    const API: Api = Api::FromWidget;
    const NAME: ActionName = ActionName::ReadEvents;
    type Request = RawObject;
    type Response = RawObject;
}
