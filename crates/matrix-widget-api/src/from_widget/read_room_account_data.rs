//! `com.beeper.read_room_account_data` (fromWidget) — a Beeper vendor action without an MSC.
//!
//! Not typed yet: `data` and `response` are raw objects.

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::payload::RawObject;

/// The `read_room_account_data` action marker.
#[derive(Debug)]
pub enum ReadRoomAccountData {}

impl Action for ReadRoomAccountData {
    const API: Api = Api::FromWidget;
    const NAME: ActionName = ActionName::ReadRoomAccountData;
    type Request = RawObject;
    type Response = RawObject;
}
