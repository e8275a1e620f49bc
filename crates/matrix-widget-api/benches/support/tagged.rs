//! The common serde approach, for comparison: an owned envelope struct with the action and
//! its `data` as a flattened, adjacently tagged enum (`#[serde(tag = "action", content =
//! "data")]`), payloads of `String`s and `serde_json::Value` content, and `response` as a
//! `Value`. This is the shape matrix-rust-sdk's widget machine uses (written here from
//! scratch, not copied): `#[serde(flatten)]` makes serde buffer the whole object into its
//! private `Content` tree before the enum looks at `action`.

#![allow(dead_code, reason = "the fields are there to be decoded, as a real program would, not read")]

use serde::Deserialize;
use serde_json::Value;

/// A message of either direction: the IDs in a flattened header, the direction as an
/// internally tagged (`api`) flattened enum, and inside it the action and its `data` as an
/// adjacently tagged flattened enum next to an optional `response` (the layering of
/// matrix-rust-sdk's `IncomingMessage`).
#[derive(Debug, Deserialize)]
pub(crate) struct TaggedMessage {
    #[serde(flatten)]
    pub(crate) header: Header,
    #[serde(flatten)]
    pub(crate) kind: Kind,
}

/// The IDs.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Header {
    pub(crate) request_id: String,
    pub(crate) widget_id: String,
}

/// The direction.
#[derive(Debug, Deserialize)]
#[serde(tag = "api", rename_all = "camelCase")]
pub(crate) enum Kind {
    FromWidget(Body),
    ToWidget(Body),
}

/// The action, its data, and a reply's `response`.
#[derive(Debug, Deserialize)]
pub(crate) struct Body {
    #[serde(flatten)]
    pub(crate) action: TaggedBody,
    #[serde(default)]
    pub(crate) response: Option<Value>,
}

/// `send_event` data of either direction: a widget's event to send, or a room event pushed
/// to the widget.
#[derive(Debug, Deserialize)]
pub(crate) struct EventData {
    #[serde(rename = "type")]
    pub(crate) event_type: String,
    #[serde(default)]
    pub(crate) state_key: Option<String>,
    #[serde(default)]
    pub(crate) content: Value,
    #[serde(default)]
    pub(crate) room_id: Option<String>,
    #[serde(default)]
    pub(crate) delay: Option<u64>,
    #[serde(default)]
    pub(crate) parent_delay_id: Option<String>,
    #[serde(default)]
    pub(crate) sticky_duration_ms: Option<u64>,
    #[serde(default)]
    pub(crate) event_id: Option<String>,
    #[serde(default)]
    pub(crate) sender: Option<String>,
    #[serde(default)]
    pub(crate) origin_server_ts: Option<u64>,
    #[serde(default)]
    pub(crate) unsigned: Option<Value>,
}

/// `update_delayed_event` data.
#[derive(Debug, Deserialize)]
pub(crate) struct UpdateDelayedEventData {
    pub(crate) delay_id: String,
    pub(crate) action: String,
}

/// `read_events` data.
#[derive(Debug, Deserialize)]
pub(crate) struct ReadEventsData {
    #[serde(rename = "type")]
    pub(crate) event_type: String,
    #[serde(default)]
    pub(crate) msgtype: Option<String>,
    #[serde(default)]
    pub(crate) state_key: Option<Value>,
    #[serde(default)]
    pub(crate) limit: Option<u64>,
    #[serde(default)]
    pub(crate) since: Option<String>,
    #[serde(default)]
    pub(crate) room_ids: Option<Value>,
}

/// `send_to_device` data of either direction.
#[derive(Debug, Deserialize)]
pub(crate) struct ToDeviceData {
    #[serde(rename = "type")]
    pub(crate) event_type: String,
    #[serde(default)]
    pub(crate) encrypted: Option<bool>,
    #[serde(default)]
    pub(crate) messages: Option<Value>,
    #[serde(default)]
    pub(crate) sender: Option<String>,
    #[serde(default)]
    pub(crate) content: Option<Value>,
}

/// Capability lists.
#[derive(Debug, Deserialize)]
pub(crate) struct CapabilitiesData {
    #[serde(default)]
    pub(crate) capabilities: Vec<String>,
    #[serde(default)]
    pub(crate) requested: Vec<String>,
    #[serde(default)]
    pub(crate) approved: Vec<String>,
}

/// The action and its data; every action of the corpus has a variant.
#[derive(Debug, Deserialize)]
#[serde(tag = "action", content = "data")]
pub(crate) enum TaggedBody {
    #[serde(rename = "send_event")]
    SendEvent(EventData),
    #[serde(rename = "org.matrix.msc4157.update_delayed_event", alias = "update_delayed_event")]
    UpdateDelayedEvent(UpdateDelayedEventData),
    #[serde(rename = "org.matrix.msc2876.read_events", alias = "read_events")]
    ReadEvents(ReadEventsData),
    #[serde(rename = "send_to_device")]
    SendToDevice(ToDeviceData),
    #[serde(rename = "capabilities")]
    Capabilities(CapabilitiesData),
    #[serde(rename = "notify_capabilities")]
    NotifyCapabilities(CapabilitiesData),
    #[serde(rename = "org.matrix.msc2974.request_capabilities", alias = "request_capabilities")]
    RequestCapabilities(CapabilitiesData),
    #[serde(
        rename = "supported_api_versions",
        alias = "content_loaded",
        alias = "get_openid",
        alias = "openid_credentials",
        alias = "button_clicked",
        alias = "close_modal",
        alias = "open_modal",
        alias = "com.beeper.read_room_account_data",
        alias = "download_file",
        alias = "org.matrix.msc4039.download_file",
        alias = "get_media_config",
        alias = "org.matrix.msc4039.get_media_config",
        alias = "upload_file",
        alias = "org.matrix.msc4039.upload_file",
        alias = "get_rtc_transports",
        alias = "org.matrix.msc4515.get_rtc_transports",
        alias = "language_change",
        alias = "m.sticker",
        alias = "navigate",
        alias = "org.matrix.msc2931.navigate",
        alias = "org.matrix.msc3869.read_relations",
        alias = "read_relations",
        alias = "org.matrix.msc3973.user_directory_search",
        alias = "user_directory_search",
        alias = "org.matrix.msc4533.rtc_livekit_delegate_delayed_leave",
        alias = "org.matrix.msc4533.rtc_livekit_get_token",
        alias = "screenshot",
        alias = "set_always_on_screen",
        alias = "set_button_enabled",
        alias = "theme_change",
        alias = "unwatch_turn_servers",
        alias = "watch_turn_servers",
        alias = "update_state",
        alias = "update_turn_servers",
        alias = "visibility",
        alias = "widget_config"
    )]
    Other(Value),
}
