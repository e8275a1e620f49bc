//! What goes into a [`HostSession`](super::HostSession) and what comes out.

use matrix_widget_api::event::{RoomEvent, RoomIds};
use matrix_widget_api::from_widget::download_file::DownloadFileRequestData;
use matrix_widget_api::from_widget::navigate::NavigateRequestData;
use matrix_widget_api::from_widget::read_events::ReadEventsRequestData;
use matrix_widget_api::from_widget::read_relations::ReadRelationsRequestData;
use matrix_widget_api::from_widget::read_room_account_data::ReadRoomAccountDataRequestData;
use matrix_widget_api::from_widget::rtc_livekit_delegate_delayed_leave::RtcLivekitDelegateDelayedLeaveRequestData;
use matrix_widget_api::from_widget::rtc_livekit_get_token::RtcLivekitGetTokenRequestData;
use matrix_widget_api::from_widget::send_event::SendEventRequestData;
use matrix_widget_api::from_widget::send_to_device::SendToDeviceRequestData;
use matrix_widget_api::from_widget::set_always_on_screen::SetAlwaysOnScreenRequestData;
use matrix_widget_api::from_widget::set_button_enabled::SetButtonEnabledRequestData;
use matrix_widget_api::from_widget::sticker::StickerRequestData;
use matrix_widget_api::from_widget::update_delayed_event::UpdateDelayedEventRequestData;
use matrix_widget_api::from_widget::upload_file::UploadFileRequestData;
use matrix_widget_api::from_widget::user_directory_search::UserDirectorySearchRequestData;
use matrix_widget_api::modal::{ModalButtonId, ModalOpenData, ModalReturnData};
use matrix_widget_api::naming::Spelled;
use matrix_widget_api::to_widget::send_to_device::ToDeviceEvent;
use matrix_widget_api::to_widget::theme_change::ThemeChangeRequestData;
use matrix_widget_api::to_widget::update_turn_servers::UpdateTurnServersRequestData;
use matrix_widget_api::{Capability, ErrorResponseData};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A point in time, in milliseconds on a monotonic clock of the host's choosing (the session
/// only subtracts them). Every [`HostSession::process`](super::HostSession::process) call
/// takes one: the session never reads a clock.
///
/// A `Millis` rather than [`std::time::Instant`] so that a session can be driven from
/// recorded or generated input (tests, `widget-api host`), where time is a number; a host
/// with an `Instant` passes the milliseconds since any fixed `Instant` (see
/// [`Millis::since`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Millis(pub u64);

impl Millis {
    /// The milliseconds from `origin` to `now` (zero if `now` is earlier), saturating.
    pub fn since(origin: std::time::Instant, now: std::time::Instant) -> Millis {
        Millis(u64::try_from(now.saturating_duration_since(origin).as_millis()).unwrap_or(u64::MAX))
    }

    /// `self + by`, saturating.
    pub fn plus(self, by: Millis) -> Millis {
        Millis(self.0.saturating_add(by.0))
    }
}

impl fmt::Display for Millis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ms", self.0)
    }
}

/// The ID the session gives each of its requests to the host environment; the answer
/// ([`Input::EnvironmentAnswer`]) names it. IDs are never reused within a session.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EnvId(pub u64);

impl fmt::Display for EnvId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// The environment's answer to one request: the answer's JSON (its shape is documented
/// on each [`EnvRequest`] variant; for a request that carries out a widget action it is that
/// action's `response` data), or the error the widget gets.
pub type Answer = Result<serde_json::Value, ErrorResponseData>;

/// Something that happened, for the session to act on.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Input {
    /// A message the widget posted (the `postMessage` data, as JSON text).
    WidgetMessage(String),
    /// The host environment's answer to [`Output::Environment`] `id`.
    EnvironmentAnswer {
        /// The request's ID.
        id: EnvId,
        /// The answer.
        result: Answer,
    },
    /// The widget's iframe fired `load` (again: the widget reloaded, and negotiation starts
    /// over).
    IframeLoaded,
    /// The user now views `room` (or none).
    ViewedRoomChanged(Option<String>),
    /// Tell the widget the theme changed (toWidget `theme_change`).
    Theme(ThemeChangeRequestData),
    /// Tell the widget the language changed (toWidget `language_change`).
    Language(String),
    /// Tell the widget whether it is visible (toWidget `visible`).
    Visibility(bool),
    /// Ask the widget for a screenshot (toWidget `screenshot`; needs `m.capability.screenshot`).
    TakeScreenshot,
    /// Send a modal widget its configuration (toWidget `widget_config`).
    WidgetConfig(ModalOpenData),
    /// A button of the modal this widget opened was clicked (toWidget `button_clicked`).
    ModalButtonClicked(ModalButtonId),
    /// The modal this widget opened closed (toWidget `close_modal`).
    CloseModal(ModalReturnData),
    /// The widget is being removed: the session stops (and says [`Notification::Closed`]).
    Stop,
    /// A room event (or state event, as a timeline event) the client received: delivered as
    /// toWidget `send_event` if the widget may receive it.
    PushEvent(RoomEvent),
    /// A change of room state: delivered as toWidget `update_state` if the widget may
    /// receive it and speaks `org.matrix.msc2762_update_state` (otherwise the state event's
    /// [`Input::PushEvent`] is what the widget gets, as in matrix-widget-api).
    PushStateUpdate(RoomEvent),
    /// A to-device message the client received: toWidget `send_to_device` if allowed.
    PushToDevice(ToDeviceEvent),
    /// New TURN servers: toWidget `update_turn_servers` if the widget watches them.
    PushTurnServers(UpdateTurnServersRequestData),
    /// Nothing happened but time passed: expired toWidget requests are reported.
    Tick,
}

impl Input {
    /// A successful answer, serialised from `value`. A value that does not serialise
    /// becomes an error answer saying so.
    pub fn answer(id: EnvId, value: &impl Serialize) -> Input {
        let result =
            serde_json::to_value(value).map_err(|e| ErrorResponseData::new(format!("the host could not serialise its answer: {e}")));
        Input::EnvironmentAnswer { id, result }
    }

    /// An error answer: the widget gets `message`.
    pub fn answer_error(id: EnvId, message: impl Into<String>) -> Input {
        Input::EnvironmentAnswer { id, result: Err(ErrorResponseData::new(message)) }
    }
}

/// One state-event filter of an approved `receive.state_event` capability.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StateFilter {
    /// The event type.
    pub event_type: String,
    /// The state key; `None` for every key.
    pub state_key: Option<String>,
}

/// What the session asks of the host environment (the client: its homeserver, its user,
/// its UI). Each is answered once, by [`Input::EnvironmentAnswer`] with the same
/// [`EnvId`], except [`EnvRequest::GetOpenId`], which may be answered twice.
///
/// Every variant that carries out a widget request has been checked by the permission
/// engine already: the environment only does it. Unless said otherwise, the answer is the
/// action's `response` data (`{}` for an acknowledgement) and an error answer is passed
/// to the widget as its error reply.
///
/// `room_ids: "*"` ([`RoomIds::Any`]) means every room the client knows: the session
/// filters what comes back by the widget's capabilities, so the environment need not.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "request", rename_all = "snake_case")]
#[non_exhaustive]
pub enum EnvRequest {
    /// Decide which of `requested` to grant (policy or the user). Answer: a JSON array of
    /// the approved capability strings (normally a subset of `requested`; capabilities the
    /// widget never requested are ignored). An error answer approves none of them.
    ApproveCapabilities {
        /// The capabilities to decide on: known, not yet approved, in the widget's spelling.
        requested: Vec<Spelled<Capability>>,
    },
    /// Send an event now, in `room_id` (the request's `room_id`, or the viewed room).
    /// Answer: `{"room_id", "event_id"}`.
    SendEvent {
        /// The room.
        room_id: String,
        /// The request.
        data: SendEventRequestData,
    },
    /// Schedule a delayed event (MSC4157 over MSC4140; `data.delay` is set). Answer:
    /// `{"room_id", "delay_id"}`; the session records the `delay_id` in the widget's ledger.
    /// [`delayed_events`](crate::delayed_events) builds the homeserver request.
    SendDelayedEvent {
        /// The room.
        room_id: String,
        /// The request.
        data: SendEventRequestData,
    },
    /// Cancel, restart or send a delayed event. Answer: `{}`.
    UpdateDelayedEvent {
        /// The request.
        data: UpdateDelayedEventRequestData,
    },
    /// Read events (`read_events`) in `room_ids`. Answer: `{"events": […]}`; the session
    /// drops the events the widget may not receive.
    ReadEvents {
        /// The rooms (the viewed room when the widget named none).
        room_ids: RoomIds,
        /// The request.
        data: ReadEventsRequestData,
    },
    /// Read the current room state matching `filters` in `room_ids`, for the state push
    /// after negotiation (and when the viewed room changes). Answer: `{"events": […]}`
    /// (state events); the session filters them and sends toWidget `update_state`.
    ReadState {
        /// The rooms.
        room_ids: RoomIds,
        /// The approved `receive.state_event` filters.
        filters: Vec<StateFilter>,
    },
    /// Read the currently sticky events (MSC4407) in `room_ids`, pushed after negotiation
    /// when `receive.sticky_event` is approved. Answer: `{"events": […]}`; the session
    /// filters them and sends each as toWidget `send_event`.
    ReadStickyEvents {
        /// The rooms.
        room_ids: RoomIds,
    },
    /// Read related events (`read_relations`) in `room_id`. Answer: the response data
    /// (`chunk` is filtered by the session).
    ReadRelations {
        /// The room (the request's, or the viewed room).
        room_id: String,
        /// The request.
        data: ReadRelationsRequestData,
    },
    /// Read room account data (`com.beeper.read_room_account_data`).
    ReadRoomAccountData {
        /// The request.
        data: ReadRoomAccountDataRequestData,
    },
    /// Send to-device messages.
    SendToDevice {
        /// The request.
        data: SendToDeviceRequestData,
    },
    /// An OpenID token for the widget (`get_openid`). Answer: `{"state": "allowed", …token}`,
    /// `{"state": "blocked"}`, or `{"state": "request"}` when the user is being asked: the
    /// widget is told so, and the **same id** is answered a second time with the user's
    /// decision (`allowed` with the token, or `blocked`), which the session sends as
    /// toWidget `openid_credentials`.
    GetOpenId,
    /// Start delivering TURN servers. Answer: the first servers (`{"uris", "username",
    /// "password"}`); later ones come as [`Input::PushTurnServers`]. An error answer
    /// refuses the watch.
    WatchTurnServers,
    /// Stop delivering TURN servers. Answer: `{}`.
    UnwatchTurnServers,
    /// Search the user directory.
    UserDirectorySearch {
        /// The request.
        data: UserDirectorySearchRequestData,
    },
    /// The media repository's configuration.
    GetMediaConfig,
    /// Upload a file.
    UploadFile {
        /// The request.
        data: UploadFileRequestData,
    },
    /// Download a file.
    DownloadFile {
        /// The request.
        data: DownloadFileRequestData,
    },
    /// Navigate the client to a `https://matrix.to/#` URI (checked by the session).
    Navigate {
        /// The request.
        data: NavigateRequestData,
    },
    /// The RTC transports of the homeserver (MSC4515).
    GetRtcTransports,
    /// A LiveKit token (MSC4533).
    RtcLivekitGetToken {
        /// The request.
        data: RtcLivekitGetTokenRequestData,
    },
    /// Hand a delayed leave over to the LiveKit service (MSC4533).
    RtcLivekitDelegateDelayedLeave {
        /// The request.
        data: RtcLivekitDelegateDelayedLeaveRequestData,
    },
    /// Post a sticker (`m.sticker`).
    Sticker {
        /// The request.
        data: StickerRequestData,
    },
    /// Keep the widget on screen (or not).
    SetAlwaysOnScreen {
        /// The request.
        data: SetAlwaysOnScreenRequestData,
    },
    /// Open a modal widget.
    OpenModal {
        /// The request.
        data: ModalOpenData,
    },
    /// Close the modal widget this widget is (fromWidget `close_modal`).
    CloseModal {
        /// The request.
        data: ModalReturnData,
    },
    /// Enable or disable a button of the modal.
    SetButtonEnabled {
        /// The request.
        data: SetButtonEnabledRequestData,
    },
}

impl EnvRequest {
    /// The request's name, as serialised in `request`.
    pub fn name(&self) -> &'static str {
        match self {
            EnvRequest::ApproveCapabilities { .. } => "approve_capabilities",
            EnvRequest::SendEvent { .. } => "send_event",
            EnvRequest::SendDelayedEvent { .. } => "send_delayed_event",
            EnvRequest::UpdateDelayedEvent { .. } => "update_delayed_event",
            EnvRequest::ReadEvents { .. } => "read_events",
            EnvRequest::ReadState { .. } => "read_state",
            EnvRequest::ReadStickyEvents { .. } => "read_sticky_events",
            EnvRequest::ReadRelations { .. } => "read_relations",
            EnvRequest::ReadRoomAccountData { .. } => "read_room_account_data",
            EnvRequest::SendToDevice { .. } => "send_to_device",
            EnvRequest::GetOpenId => "get_open_id",
            EnvRequest::WatchTurnServers => "watch_turn_servers",
            EnvRequest::UnwatchTurnServers => "unwatch_turn_servers",
            EnvRequest::UserDirectorySearch { .. } => "user_directory_search",
            EnvRequest::GetMediaConfig => "get_media_config",
            EnvRequest::UploadFile { .. } => "upload_file",
            EnvRequest::DownloadFile { .. } => "download_file",
            EnvRequest::Navigate { .. } => "navigate",
            EnvRequest::GetRtcTransports => "get_rtc_transports",
            EnvRequest::RtcLivekitGetToken { .. } => "rtc_livekit_get_token",
            EnvRequest::RtcLivekitDelegateDelayedLeave { .. } => "rtc_livekit_delegate_delayed_leave",
            EnvRequest::Sticker { .. } => "sticker",
            EnvRequest::SetAlwaysOnScreen { .. } => "set_always_on_screen",
            EnvRequest::OpenModal { .. } => "open_modal",
            EnvRequest::CloseModal { .. } => "close_modal",
            EnvRequest::SetButtonEnabled { .. } => "set_button_enabled",
        }
    }
}

/// What the session did. Exhaustive: a host handles exactly these three.
#[derive(Clone, Debug)]
#[expect(
    clippy::large_enum_variant,
    reason = "outputs live for one `process` call and are moved once; boxing the request would make every host match through a `Box`"
)]
pub enum Output {
    /// Post this message to the widget (JSON text).
    ToWidget(String),
    /// Carry out `request` and answer with [`Input::EnvironmentAnswer`] and this `id`.
    Environment {
        /// The ID to answer with.
        id: EnvId,
        /// What to do.
        request: EnvRequest,
    },
    /// Tell the application.
    Notify(Notification),
}

/// Something the application should know.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "notify", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Notification {
    /// The first negotiation finished: the widget is told what it may do.
    Ready,
    /// A negotiation finished (the first included) and the widget was told the result:
    /// [`HostSession::negotiation`](super::HostSession::negotiation) has the lists (not
    /// copied here: they may hold tens of thousands of capabilities).
    CapabilitiesChanged {
        /// How many capabilities were requested so far.
        requested: usize,
        /// How many are approved.
        approved: usize,
    },
    /// The widget did not answer a toWidget request in time; the request is forgotten
    /// (a late answer is reported as [`Misbehaviour::UnexpectedReply`]).
    TimedOut {
        /// The action.
        action: String,
        /// The request's ID.
        request_id: String,
    },
    /// The environment did not answer request `id` within
    /// [`Config::environment_timeout`](super::Config::environment_timeout): the widget got an
    /// error reply (or, for OpenID after asking the user, `blocked`); a late answer is
    /// reported as [`Notification::HostError`].
    EnvironmentTimedOut {
        /// The request.
        id: EnvId,
    },
    /// The widget answered a request the application made (theme, screenshot, …): its
    /// `response` (an `{"error": …}` object when it failed).
    WidgetReplied {
        /// The action.
        action: String,
        /// The request's ID.
        request_id: String,
        /// The `response` the widget gave.
        response: serde_json::Value,
    },
    /// The widget broke the protocol; the message was ignored (or, for a request with a
    /// readable envelope, answered with an error).
    Misbehaved(Misbehaviour),
    /// The session could not use something the application gave it.
    HostError {
        /// What went wrong.
        message: String,
    },
    /// The session stopped: later inputs are ignored.
    Closed,
}

/// How the widget broke the protocol.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Misbehaviour {
    /// Not a widget API message, or over the limits (ignored, no reply possible).
    Malformed {
        /// Why.
        reason: String,
    },
    /// A valid envelope with invalid `data` (answered with an error) or `response`.
    Invalid {
        /// Why.
        reason: String,
    },
    /// A message for another widget: ignored, never answered.
    ForeignWidgetId {
        /// The `widgetId` it named.
        widget_id: String,
    },
    /// A reply to no request the session is waiting for (unknown, answered or expired).
    UnexpectedReply {
        /// The `requestId`.
        request_id: String,
    },
    /// A reply whose `requestId` matches a waiting request but whose action does not:
    /// ignored, the request keeps waiting.
    WrongAction {
        /// The `requestId`.
        request_id: String,
        /// The action of the request.
        expected: String,
        /// The action of the reply.
        found: String,
    },
}
