//! Actions the widget sends to the host. One module per action, each holding the action's marker type (implementing
//! [`Action`](crate::Action)), its request payload and its response payload; the table below
//! lists every typed action of this direction. The message enums are
//! [`FromWidgetRequest`](crate::FromWidgetRequest) and
//! [`FromWidgetResponse`](crate::FromWidgetResponse), at the crate root.

pub mod close_modal;
pub mod content_loaded;
pub mod download_file;
pub mod get_media_config;
pub mod get_openid;
pub mod get_rtc_transports;
pub mod navigate;
pub mod open_modal;
pub mod read_events;
pub mod read_relations;
pub mod read_room_account_data;
pub mod request_capabilities;
pub mod rtc_livekit_delegate_delayed_leave;
pub mod rtc_livekit_get_token;
pub mod send_event;
pub mod send_to_device;
pub mod set_always_on_screen;
pub mod set_button_enabled;
pub mod sticker;
pub mod supported_api_versions;
pub mod unwatch_turn_servers;
pub mod update_delayed_event;
pub mod upload_file;
pub mod user_directory_search;
pub mod watch_turn_servers;

// The table of typed fromWidget actions: a new action is a module above and one line here.
// A marker whose `Action::API` is the other direction fails to compile.
/// The direction's message enums, re-exported at the crate root (their one public path).
pub(crate) mod messages {
    use super::*;

    crate::registry::registry! {
        FromWidget, FromWidgetRequest, FromWidgetResponse, FromWidgetData, FromWidgetResult, crate::message::UntypedFromWidget, "fromWidget";
        SupportedApiVersions => supported_api_versions::SupportedApiVersions,
        ContentLoaded => content_loaded::ContentLoaded,
        Sticker => sticker::Sticker,
        SetAlwaysOnScreen => set_always_on_screen::SetAlwaysOnScreen,
        GetOpenId => get_openid::GetOpenId,
        CloseModal => close_modal::CloseModal,
        OpenModal => open_modal::OpenModal,
        SetButtonEnabled => set_button_enabled::SetButtonEnabled,
        SendEvent => send_event::SendEvent,
        SendToDevice => send_to_device::SendToDevice,
        WatchTurnServers => watch_turn_servers::WatchTurnServers,
        UnwatchTurnServers => unwatch_turn_servers::UnwatchTurnServers,
        ReadEvents => read_events::ReadEvents,
        Navigate => navigate::Navigate,
        RequestCapabilities => request_capabilities::RequestCapabilities,
        ReadRelations => read_relations::ReadRelations,
        UserDirectorySearch => user_directory_search::UserDirectorySearch,
        GetMediaConfig => get_media_config::GetMediaConfig,
        UploadFile => upload_file::UploadFile,
        DownloadFile => download_file::DownloadFile,
        UpdateDelayedEvent => update_delayed_event::UpdateDelayedEvent,
        ReadRoomAccountData => read_room_account_data::ReadRoomAccountData,
        GetRtcTransports => get_rtc_transports::GetRtcTransports,
        RtcLivekitGetToken => rtc_livekit_get_token::RtcLivekitGetToken,
        RtcLivekitDelegateDelayedLeave => rtc_livekit_delegate_delayed_leave::RtcLivekitDelegateDelayedLeave,
    }
}
pub(crate) use messages::{FromWidgetData, FromWidgetResult};
