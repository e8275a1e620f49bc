//! TODO(typed actions): the request fields the rules need, read from the raw `data` of the
//! actions that are not typed yet (`read_events`, `read_relations`,
//! `com.beeper.read_room_account_data`, `send_to_device`,
//! `org.matrix.msc4533.rtc_livekit_delegate_delayed_leave`). Each use is a call to
//! `RawObject::deserialize_as`, which stops compiling when the action's data becomes a
//! typed struct: that is the signal to read the typed fields instead and delete this file.

use serde::Deserialize;

/// `read_events` data.
#[derive(Deserialize)]
pub(super) struct ReadEvents {
    #[serde(rename = "type")]
    pub(super) event_type: String,
    /// A state key, or `true` for every state key.
    pub(super) state_key: Option<StateKey>,
    pub(super) msgtype: Option<String>,
    pub(super) room_ids: Option<RoomIds>,
}

#[derive(Deserialize)]
#[serde(untagged)]
pub(super) enum StateKey {
    Key(String),
    Any(bool),
}

/// `"*"` or a list of room IDs.
#[derive(Deserialize)]
#[serde(untagged)]
pub(super) enum RoomIds {
    List(Vec<String>),
    Text(String),
}

/// `read_relations` data (the fields the rules need).
#[derive(Deserialize)]
pub(super) struct ReadRelations {
    pub(super) event_id: String,
    pub(super) room_id: Option<String>,
}

/// `com.beeper.read_room_account_data` data.
#[derive(Deserialize)]
pub(super) struct ReadRoomAccountData {
    #[serde(rename = "type")]
    pub(super) event_type: String,
    pub(super) room_ids: Option<RoomIds>,
}

/// `send_to_device` data: all three fields are required (wire decision 11).
#[derive(Deserialize)]
pub(super) struct SendToDevice {
    #[serde(rename = "type")]
    pub(super) event_type: String,
    #[allow(dead_code)]
    pub(super) encrypted: bool,
    #[allow(dead_code)]
    pub(super) messages: serde_json::Map<String, serde_json::Value>,
}

/// `rtc_livekit_delegate_delayed_leave` data (the field the ledger needs).
#[derive(Deserialize)]
pub(super) struct DelegateDelayedLeave {
    pub(super) delay_id: Option<String>,
}
