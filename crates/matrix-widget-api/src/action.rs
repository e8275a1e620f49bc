//! Action names and the [`Action`] trait that pairs each action's request
//! and response payloads, in the style of lsp-types.
//!
//! [`ActionName`] lists every action of the widget API in both directions, with all of its
//! spellings; [`Action`] is implemented by an uninhabited marker type per action and
//! direction (e.g. [`crate::from_widget::send_event::SendEvent`]) next to its payloads.

use crate::api::Api;
use crate::naming::{CustomName, WireName, wire_docs};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// A request/response pair: implemented by one marker type per action and direction.
pub trait Action: 'static {
    /// Who sends the request.
    const API: Api;
    /// The action's name.
    const NAME: ActionName;
    /// The request's `data`.
    type RequestData: Serialize + DeserializeOwned + Clone + std::fmt::Debug + PartialEq;
    /// The success `response`.
    type ResponseData: Serialize + DeserializeOwned + Clone + std::fmt::Debug + PartialEq + crate::payload::UnknownFields;

    /// Top-level fields the transport copies out of `data` into the envelope of a request
    /// built in code. Only toWidget `visibility` has one (`visible`, a quirk of
    /// matrix-widget-api's transport); on input such fields are kept in
    /// [`Envelope::extra`](crate::Envelope::extra) and otherwise ignored.
    fn top_level_fields(_data: &Self::RequestData) -> crate::payload::Extra {
        crate::payload::Extra::new()
    }
}

/// The name in a message's `action` field.
///
/// Names used in both directions (`send_event`, `supported_api_versions`, …) are one
/// variant; the envelope's [`Api`] says which payloads apply. Unknown names (vendor
/// extensions such as `io.element.join`) are kept verbatim in a hidden catch-all (see [how to match them](crate::naming#matching-a-name-the-crate-does-not-know)).
#[wire_docs]
#[derive(Clone, Debug, PartialEq, Eq, Hash, WireName)]
#[wire(what = "action")]
#[non_exhaustive]
pub enum ActionName {
    // ---- Both directions ----
    /// `supported_api_versions` (spec draft #2764), both directions.
    #[wire("supported_api_versions")]
    SupportedApiVersions,
    /// `send_event`: fromWidget sends an event (MSC2762, MSC4157); toWidget delivers one.
    #[wire("send_event")]
    SendEvent,
    /// `send_to_device` (MSC3819), both directions.
    #[wire("send_to_device")]
    SendToDevice,
    /// `close_modal` (MSC2790), both directions.
    #[wire("close_modal")]
    CloseModal,

    // ---- fromWidget ----
    /// `content_loaded` (#2764).
    #[wire("content_loaded")]
    ContentLoaded,
    /// `m.sticker` (#2764, MSC1236).
    #[wire("m.sticker")]
    Sticker,
    /// `set_always_on_screen` (#2764, MSC1354).
    #[wire("set_always_on_screen")]
    SetAlwaysOnScreen,
    /// `get_openid` (MSC1960).
    #[wire("get_openid")]
    GetOpenId,
    /// `open_modal` (MSC2790).
    #[wire("open_modal")]
    OpenModal,
    /// `set_button_enabled` (MSC2790).
    #[wire("set_button_enabled")]
    SetButtonEnabled,
    /// `watch_turn_servers` (MSC3846).
    #[wire("watch_turn_servers")]
    WatchTurnServers,
    /// `unwatch_turn_servers` (MSC3846).
    #[wire("unwatch_turn_servers")]
    UnwatchTurnServers,
    /// `read_events` (MSC2876, folded into MSC2762).
    #[wire(stable = "read_events", unstable = "org.matrix.msc2876.read_events")]
    ReadEvents,
    /// `navigate` (MSC2931).
    #[wire(stable = "navigate", unstable = "org.matrix.msc2931.navigate")]
    Navigate,
    /// `request_capabilities` (MSC2974).
    #[wire(stable = "request_capabilities", unstable = "org.matrix.msc2974.request_capabilities")]
    RequestCapabilities,
    /// `read_relations` (MSC3869).
    #[wire(stable = "read_relations", unstable = "org.matrix.msc3869.read_relations")]
    ReadRelations,
    /// `user_directory_search` (MSC3973).
    #[wire(stable = "user_directory_search", unstable = "org.matrix.msc3973.user_directory_search")]
    UserDirectorySearch,
    /// `get_media_config` (MSC4039).
    #[wire(stable = "get_media_config", unstable = "org.matrix.msc4039.get_media_config")]
    GetMediaConfig,
    /// `upload_file` (MSC4039).
    #[wire(stable = "upload_file", unstable = "org.matrix.msc4039.upload_file")]
    UploadFile,
    /// `download_file` (MSC4039).
    #[wire(stable = "download_file", unstable = "org.matrix.msc4039.download_file")]
    DownloadFile,
    /// `update_delayed_event` (MSC4157). The legacy dotted spelling is widget-api 1.8.0–1.8.1.
    #[wire(
        stable = "update_delayed_event",
        unstable = "org.matrix.msc4157.update_delayed_event",
        legacy = "org.matrix.msc4157.update.delayed_event"
    )]
    UpdateDelayedEvent,
    /// `com.beeper.read_room_account_data` (vendor; no MSC, no stable name).
    #[wire("com.beeper.read_room_account_data")]
    ReadRoomAccountData,
    /// `get_rtc_transports` (MSC4515).
    #[wire(stable = "get_rtc_transports", unstable = "org.matrix.msc4515.get_rtc_transports")]
    GetRtcTransports,
    /// `org.matrix.msc4533.rtc_livekit_get_token` (MSC4533; no stable name yet).
    #[wire(unstable = "org.matrix.msc4533.rtc_livekit_get_token")]
    RtcLivekitGetToken,
    /// `org.matrix.msc4533.rtc_livekit_delegate_delayed_leave` (MSC4533; no stable name yet).
    #[wire(unstable = "org.matrix.msc4533.rtc_livekit_delegate_delayed_leave")]
    RtcLivekitDelegateDelayedLeave,

    // ---- toWidget ----
    /// `capabilities` (#2764).
    #[wire("capabilities")]
    Capabilities,
    /// `notify_capabilities` (MSC2871).
    #[wire("notify_capabilities")]
    NotifyCapabilities,
    /// `theme_change` (MSC2873).
    #[wire("theme_change")]
    ThemeChange,
    /// `language_change` (MSC2873).
    #[wire("language_change")]
    LanguageChange,
    /// `screenshot` (#2764).
    #[wire("screenshot")]
    Screenshot,
    /// `visibility` (#2764).
    #[wire("visibility")]
    Visibility,
    /// `openid_credentials` (MSC1960).
    #[wire("openid_credentials")]
    OpenIdCredentials,
    /// `widget_config` (MSC2790).
    #[wire("widget_config")]
    WidgetConfig,
    /// `button_clicked` (MSC2790).
    #[wire("button_clicked")]
    ButtonClicked,
    /// `update_state` (MSC2762).
    #[wire("update_state")]
    UpdateState,
    /// `update_turn_servers` (MSC3846).
    #[wire("update_turn_servers")]
    UpdateTurnServers,

    /// Any other action name, kept verbatim (vendor extensions such as `io.element.join`).
    #[wire(other)]
    #[doc(hidden)]
    _Custom(CustomName),
}
