//! The permission engine: from the approved capabilities to a decision, with its reason, for
//! every fromWidget request and for everything the host delivers to the widget.
//!
//! [`Permissions`] is built once per (re)negotiation from the approved capabilities and
//! indexes them by event type (state keys and msgtypes nested), so every check is a few hash
//! lookups whatever the number of capabilities. Stable, unstable and legacy spellings of a
//! capability are the same capability. Anything not granted is denied, and the engine
//! matches [`FromWidgetRequest`] exhaustively: a newly typed action does not compile until
//! its gate is written here, and an action without a typed payload (a vendor action,
//! [`FromWidgetRequest::Other`]) is denied.
//!
//! | fromWidget request | needs |
//! |---|---|
//! | `send_event` | the event-type capability: `send.state_event:<type>[#<state_key>]` for a state event, `send.event:<type>` (for `m.room.message`: `[#<content.msgtype>]`) otherwise; `timeline:<room>` or `timeline:*` when `room_id` is not the viewed room; **and** `send.delayed_event` when `delay` is present (MSC4157); **and** `send.sticky_event` when `sticky_duration_ms` is present (MSC4407) |
//! | `update_delayed_event` | `update_delayed_event` (MSC4157) — nothing else; with a [`DelayLedger`], a `delay_id` this widget was given |
//! | `send_to_device` | `send.to_device:<type>` |
//! | `read_events` | `receive.state_event:<type>[#<key>]` (with `state_key`; `true` needs every key) or `receive.event:<type>[#<msgtype>]` (wire decision 12); timeline capabilities for `room_ids` other than the viewed room |
//! | `read_relations` | a timeline capability when `room_id` is not the viewed room; the returned events are filtered by [`Permissions::may_return_relation`] |
//! | `com.beeper.read_room_account_data` | `com.beeper.capabilities.receive.room_account_data:<type>`; timeline capabilities for `room_ids` (wire decision 21) |
//! | `get_media_config`, `upload_file` / `download_file` | `upload_file` / `download_file` (MSC4039) |
//! | `watch_turn_servers`, `unwatch_turn_servers` | `turn_servers` |
//! | `navigate` | `navigate` |
//! | `user_directory_search` | `user_directory_search` |
//! | `get_rtc_transports` | `rtc_transports` |
//! | `rtc_livekit_get_token`, `rtc_livekit_delegate_delayed_leave` | the capability of the same name; a timeline capability when `room_id` is not the viewed room (wire decision 33); the delegation also consults the ledger |
//! | `m.sticker`, `set_always_on_screen` | `m.sticker`, `m.always_on_screen` |
//! | `open_modal` | nothing, or `m.modals` when [`Config::gate_modals`] (wire decision 23) |
//! | `supported_api_versions`, `content_loaded`, `get_openid`, `request_capabilities`, `close_modal`, `set_button_enabled` | nothing (OpenID is the user's decision; capabilities are negotiated) |
//! | anything else | denied |
//!
//! Delivery: [`Permissions::may_push_event`] (toWidget `send_event`),
//! [`Permissions::may_update_state`] (toWidget `update_state`),
//! [`Permissions::may_push_to_device`], [`Permissions::may_push_sticky`] (MSC4407,
//! wire decision 9), [`Permissions::may_return_read_event`] and
//! [`Permissions::may_return_relation`] (results of `read_events` / `read_relations`),
//! [`Permissions::may_take_screenshot`] and [`Permissions::may_push_turn_servers`].
//!
//! Where these decisions differ from matrix-widget-api's `ClientWidgetApi`, the crate
//! documentation lists each difference and its reason.
//!
//! ```
//! use matrix_widget_api::{decode_host, HostMessage, Capability};
//! use matrix_widget_api::naming::Spelled;
//! use matrix_widget_api_host::permission::{Context, Denied, Needed, Permissions};
//!
//! let approved: Vec<Spelled<Capability>> = ["org.matrix.msc2762.send.state_event:org.matrix.msc3401.call.member#_@a:b_DEV"]
//!     .iter().map(|s| Spelled::parse(s)).collect::<Result<_, _>>()?;
//! let permissions = Permissions::new(&approved);
//! let text = r#"{"api":"fromWidget","widgetId":"w","requestId":"r1","action":"send_event","data":{"type":"org.matrix.msc3401.call.member","state_key":"_@a:b_DEV","content":{},"delay":5000}}"#;
//! let HostMessage::Request(request) = decode_host(text)? else { unreachable!() };
//! let denied = permissions.check(&request, &Context::in_room("!r:b")).expect_err("no delayed-event capability");
//! assert_eq!(denied, Denied::Missing(Needed::Capability(Capability::SendDelayedEvent)));
//! assert!(denied.reply(&request).contains(r#""response":{"error":{"message":"Missing capability: "#));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod denial;
mod event;
mod index;
mod ledger;
mod negotiation;

pub use denial::{Denied, Needed};
pub use event::{EventView, OwnedEventView};
pub use ledger::DelayLedger;
pub use negotiation::Negotiation;

use crate::permission::index::ROOM_MESSAGE;
use index::{Flag, Index};
use matrix_widget_api::event::RoomIds;
use matrix_widget_api::from_widget::read_events::{ReadEventsRequestData, StateKeySelector};
use matrix_widget_api::from_widget::send_event::SendEventRequestData;
use matrix_widget_api::from_widget::update_delayed_event::UpdateDelayedEventRequestData;
use matrix_widget_api::naming::Spelled;
use matrix_widget_api::{Capability, FromWidgetRequest};

/// Host policy choices the engine cannot infer from capabilities.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Config {
    /// Require `m.modals` for `open_modal` (wire decision 23). Off by default: no deployed
    /// host checks it, and no widget asks for it.
    pub gate_modals: bool,
    /// Also let `m.read.event:` / `m.read.state_event:` (MSC2876) grant `read_events`,
    /// in addition to the receive capabilities (wire decision 12). Off by default, as in
    /// matrix-widget-api.
    pub honour_read_capabilities: bool,
}

impl Config {
    /// [`Config::gate_modals`].
    pub fn gate_modals(self, gate: bool) -> Self {
        Config { gate_modals: gate, ..self }
    }

    /// [`Config::honour_read_capabilities`].
    pub fn honour_read_capabilities(self, honour: bool) -> Self {
        Config { honour_read_capabilities: honour, ..self }
    }
}

/// What a check needs to know besides the request: the room the widget is in (the room
/// the user is viewing, for a room widget; none for an account widget), and, for the
/// hardening of wire decision 28, the widget's [`DelayLedger`].
#[derive(Clone, Copy, Debug, Default)]
pub struct Context<'a> {
    viewed_room: Option<&'a str>,
    delays: Option<&'a DelayLedger>,
}

impl<'a> Context<'a> {
    /// No viewed room, no ledger: for a widget that is not in a room (an account widget).
    ///
    /// The engine judges capabilities only. A request that names no room (`send_event`
    /// without `room_id`, `read_events` without `room_ids`) then has no room to act in, and
    /// the host must refuse it itself.
    pub fn new() -> Self {
        Context::default()
    }

    /// The widget is in `room_id`.
    pub fn in_room(room_id: &'a str) -> Self {
        Context { viewed_room: Some(room_id), delays: None }
    }

    /// The same context with the viewed room set (or cleared).
    pub fn with_viewed_room(self, room_id: Option<&'a str>) -> Self {
        Context { viewed_room: room_id, ..self }
    }

    /// The same context, refusing updates of delayed events that are not in `ledger`.
    pub fn with_ledger(self, ledger: &'a DelayLedger) -> Self {
        Context { delays: Some(ledger), ..self }
    }

    /// The viewed room.
    pub fn viewed_room(&self) -> Option<&'a str> {
        self.viewed_room
    }
}

/// The approved capabilities of one widget, indexed for checking.
#[derive(Clone, Debug, Default)]
pub struct Permissions {
    index: Index,
    config: Config,
}

type Verdict = Result<(), Denied>;

fn missing(needed: Needed) -> Verdict {
    Err(Denied::Missing(needed))
}

fn invalid(message: impl std::fmt::Display) -> Denied {
    Denied::Invalid { message: message.to_string() }
}

impl Permissions {
    /// The engine over `approved` (typically [`Negotiation::approved`]), default [`Config`].
    /// Unknown capabilities grant nothing.
    pub fn new(approved: &[Spelled<Capability>]) -> Self {
        Permissions::with_config(approved, Config::default())
    }

    /// The engine over `approved`, with `config`.
    pub fn with_config(approved: &[Spelled<Capability>], config: Config) -> Self {
        Permissions::from_capabilities(approved.iter().map(Spelled::value), config)
    }

    /// The engine over capabilities built in code.
    pub fn from_capabilities<'c>(approved: impl IntoIterator<Item = &'c Capability>, config: Config) -> Self {
        let mut index = Index::default();
        for capability in approved {
            index.insert(capability);
        }
        Permissions { index, config }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    fn flag(&self, flag: Flag) -> Verdict {
        if self.index.has(flag) { Ok(()) } else { missing(Needed::Capability(flag.capability())) }
    }

    // ---- fromWidget requests ----

    /// Whether the widget may have `request` carried out.
    ///
    /// On `Err`, [`Denied::reply`] is the reply to send. An `Ok` is about capabilities
    /// only: the host still validates what its own rules need (a known room, a `matrix.to`
    /// URI for `navigate`, …).
    pub fn check(&self, request: &FromWidgetRequest, context: &Context<'_>) -> Verdict {
        // Exhaustive on purpose, without a `_` arm: a newly typed action is a compile
        // error here until its gate is written.
        match request {
            FromWidgetRequest::SupportedApiVersions(_)
            | FromWidgetRequest::ContentLoaded(_)
            | FromWidgetRequest::GetOpenId(_)
            // Renegotiation needs no capability: `Negotiation::request` decides what is
            // granted.
            | FromWidgetRequest::RequestCapabilities(_)
            | FromWidgetRequest::CloseModal(_)
            | FromWidgetRequest::SetButtonEnabled(_) => Ok(()),
            FromWidgetRequest::OpenModal(_) => {
                if self.config.gate_modals {
                    self.flag(Flag::Modals)
                } else {
                    Ok(())
                }
            }
            FromWidgetRequest::Sticker(_) => self.flag(Flag::Sticker),
            FromWidgetRequest::SetAlwaysOnScreen(_) => self.flag(Flag::AlwaysOnScreen),
            FromWidgetRequest::SendEvent(r) => self.check_send_event(r.data(), context),
            FromWidgetRequest::UpdateDelayedEvent(r) => self.check_update_delayed_event(r.data(), context),
            FromWidgetRequest::SendToDevice(r) => self.can_send_to_device(&r.data().event_type),
            FromWidgetRequest::ReadEvents(r) => self.check_read_events(r.data(), context),
            FromWidgetRequest::ReadRelations(r) => match &r.data().room_id {
                Some(room) => self.room_access(room, context),
                None => Ok(()),
            },
            FromWidgetRequest::ReadRoomAccountData(r) => {
                let data = r.data();
                self.can_read_room_account_data(&data.event_type)?;
                self.rooms_access(data.room_ids.as_ref(), context)
            }
            FromWidgetRequest::WatchTurnServers(_) | FromWidgetRequest::UnwatchTurnServers(_) => self.flag(Flag::TurnServers),
            // The reference also refuses a `uri` that does not start with `https://matrix.to/#`,
            // after this check: that is the host's validation (`NavigateRequestData::is_matrix_to`).
            FromWidgetRequest::Navigate(_) => self.flag(Flag::Navigate),
            FromWidgetRequest::UserDirectorySearch(_) => self.flag(Flag::UserDirectorySearch),
            FromWidgetRequest::GetMediaConfig(_) | FromWidgetRequest::UploadFile(_) => self.flag(Flag::UploadFile),
            FromWidgetRequest::DownloadFile(_) => self.flag(Flag::DownloadFile),
            FromWidgetRequest::GetRtcTransports(_) => self.flag(Flag::RtcTransports),
            // The host forwards `room_id`: a timeline capability for a room other than the
            // viewed one, as for `room_ids` (wire decision 33).
            FromWidgetRequest::RtcLivekitGetToken(r) => {
                self.flag(Flag::RtcLivekitGetToken)?;
                self.room_access(&r.data().room_id, context)
            }
            FromWidgetRequest::RtcLivekitDelegateDelayedLeave(r) => {
                self.flag(Flag::RtcLivekitDelegateDelayedLeave)?;
                self.room_access(&r.data().room_id, context)?;
                let delay_id = &r.data().delay_id;
                match context.delays {
                    Some(ledger) if !ledger.contains(delay_id) => Err(Denied::UnknownDelay { delay_id: delay_id.clone() }),
                    _ => Ok(()),
                }
            }
            FromWidgetRequest::Other(r) => Err(Denied::UnknownAction { action: r.envelope().action().as_str().into_owned() }),
        }
    }

    /// `send_event`: the event-type capability, a timeline capability for another room,
    /// and `send.delayed_event` / `send.sticky_event` **in addition** when `delay` /
    /// `sticky_duration_ms` is present. Checked in the reference's order, so the reason
    /// is the first rule broken.
    pub fn check_send_event(&self, data: &SendEventRequestData, context: &Context<'_>) -> Verdict {
        if let Some(room) = &data.room_id {
            self.room_access(room, context)?;
        }
        if data.delay.is_some() {
            self.flag(Flag::SendDelayedEvent)?;
        }
        if data.sticky_duration_ms.is_some() {
            self.flag(Flag::SendStickyEvent)?;
        }
        match &data.state_key {
            Some(state_key) => self.can_send_state_event(&data.event_type, state_key),
            None => {
                let msgtype = if data.event_type == ROOM_MESSAGE { event::content_msgtype(data.content.get()) } else { None };
                self.can_send_room_event(&data.event_type, msgtype.as_deref())
            }
        }
    }

    /// `update_delayed_event`: `update_delayed_event` only (no event-type or timeline
    /// capability: the delayed event was checked when it was scheduled), and, with a
    /// ledger in the context, a `delay_id` this widget was given.
    pub fn check_update_delayed_event(&self, data: &UpdateDelayedEventRequestData, context: &Context<'_>) -> Verdict {
        self.flag(Flag::UpdateDelayedEvent)?;
        match context.delays {
            Some(ledger) if !ledger.contains(&data.delay_id) => Err(Denied::UnknownDelay { delay_id: data.delay_id.clone() }),
            _ => Ok(()),
        }
    }

    fn check_read_events(&self, data: &ReadEventsRequestData, context: &Context<'_>) -> Verdict {
        self.rooms_access(data.room_ids.as_ref(), context)?;
        match &data.state_key {
            Some(StateKeySelector::Key(key)) => self.can_read_state_event(&data.event_type, Some(key)),
            Some(StateKeySelector::Any) => self.can_read_state_event(&data.event_type, None),
            None => self.can_read_room_event(&data.event_type, data.msgtype.as_deref()),
        }
    }

    fn rooms_access(&self, room_ids: Option<&RoomIds>, context: &Context<'_>) -> Verdict {
        match room_ids {
            None => Ok(()),
            // Every room: the host returns results only from rooms the widget may access
            // (`Permissions::can_access_room`).
            Some(RoomIds::Any) => Ok(()),
            Some(RoomIds::Rooms(rooms)) => rooms.iter().try_for_each(|room| self.room_access(room, context)),
        }
    }

    /// Access to `room_id`: the viewed room, or a room opened by a timeline capability.
    fn room_access(&self, room_id: &str, context: &Context<'_>) -> Verdict {
        if room_id.is_empty() {
            return Err(Denied::EmptyRoomId);
        }
        if self.can_access_room(room_id, context) { Ok(()) } else { missing(Needed::Timeline { room_id: room_id.to_owned() }) }
    }

    // ---- The primitive checks ----

    /// Whether the widget may act in `room_id`: it is the viewed room, or a timeline
    /// capability names it (or is `*`).
    pub fn can_access_room(&self, room_id: &str, context: &Context<'_>) -> bool {
        !room_id.is_empty() && (context.viewed_room == Some(room_id) || self.index.timeline(room_id))
    }

    /// The rooms among `known` the widget may act in (for `room_ids: "*"`, and for pushing
    /// room state): the viewed room, and those opened by timeline capabilities.
    pub fn accessible_rooms<'r>(&self, known: impl IntoIterator<Item = &'r str>, context: &Context<'_>) -> Vec<&'r str> {
        known.into_iter().filter(|room| self.can_access_room(room, context)).collect()
    }

    /// Whether `timeline:*` was granted.
    pub fn can_access_every_room(&self) -> bool {
        self.index.timeline_any()
    }

    /// Sending a room (non-state) event of `event_type` whose `content.msgtype` is
    /// `msgtype` (`None` when missing or not a string).
    pub fn can_send_room_event(&self, event_type: &str, msgtype: Option<&str>) -> Verdict {
        if self.index.send_event.covers_room_event(event_type, msgtype) {
            Ok(())
        } else {
            missing(Needed::SendEvent { event_type: event_type.to_owned(), msgtype: msgtype.map(str::to_owned) })
        }
    }

    /// Sending a state event.
    pub fn can_send_state_event(&self, event_type: &str, state_key: &str) -> Verdict {
        if self.index.send_state.covers(event_type, Some(state_key)) {
            Ok(())
        } else {
            missing(Needed::SendStateEvent { event_type: event_type.to_owned(), state_key: state_key.to_owned() })
        }
    }

    /// Sending to-device messages of `event_type`.
    pub fn can_send_to_device(&self, event_type: &str) -> Verdict {
        if self.index.send_to_device.contains(event_type) {
            Ok(())
        } else {
            missing(Needed::SendToDevice { event_type: event_type.to_owned() })
        }
    }

    /// Receiving a room (non-state) event.
    pub fn can_receive_room_event(&self, event_type: &str, msgtype: Option<&str>) -> Verdict {
        if self.index.receive_event.covers_room_event(event_type, msgtype) {
            Ok(())
        } else {
            missing(Needed::ReceiveEvent { event_type: event_type.to_owned(), msgtype: msgtype.map(str::to_owned) })
        }
    }

    /// Receiving state events of `event_type` with `state_key`; `None` asks for every
    /// state key, which only a capability without a key grants.
    pub fn can_receive_state_event(&self, event_type: &str, state_key: Option<&str>) -> Verdict {
        if self.index.receive_state.covers(event_type, state_key) {
            Ok(())
        } else {
            missing(Needed::ReceiveStateEvent { event_type: event_type.to_owned(), state_key: state_key.map(str::to_owned) })
        }
    }

    /// Receiving to-device messages of `event_type`.
    pub fn can_receive_to_device(&self, event_type: &str) -> Verdict {
        if self.index.receive_to_device.contains(event_type) {
            Ok(())
        } else {
            missing(Needed::ReceiveToDevice { event_type: event_type.to_owned() })
        }
    }

    /// Reading room account data of `event_type`.
    pub fn can_read_room_account_data(&self, event_type: &str) -> Verdict {
        if self.index.room_account_data.contains(event_type) {
            Ok(())
        } else {
            missing(Needed::ReceiveRoomAccountData { event_type: event_type.to_owned() })
        }
    }

    /// `read_events` of room events: the receive capability, or (with
    /// [`Config::honour_read_capabilities`]) the read capability.
    fn can_read_room_event(&self, event_type: &str, msgtype: Option<&str>) -> Verdict {
        let denied = self.can_receive_room_event(event_type, msgtype);
        if denied.is_err() && self.config.honour_read_capabilities && self.index.read_event.covers_room_event(event_type, msgtype) {
            return Ok(());
        }
        denied
    }

    /// `read_events` of state events, like [`Permissions::can_read_room_event`].
    fn can_read_state_event(&self, event_type: &str, state_key: Option<&str>) -> Verdict {
        let denied = self.can_receive_state_event(event_type, state_key);
        if denied.is_err() && self.config.honour_read_capabilities && self.index.read_state.covers(event_type, state_key) {
            return Ok(());
        }
        denied
    }

    // ---- What the host delivers ----

    /// Pushing a room or state event as toWidget `send_event`: the event's room is the
    /// viewed room or opened by a timeline capability, and a receive capability covers it.
    pub fn may_push_event(&self, event: &EventView<'_>, context: &Context<'_>) -> Verdict {
        self.room_access(event.room_id, context)?;
        self.may_return_relation(event)
    }

    /// Pushing a state event in toWidget `update_state`: like [`Permissions::may_push_event`]
    /// (an event without a state key is refused as invalid).
    pub fn may_update_state(&self, event: &EventView<'_>, context: &Context<'_>) -> Verdict {
        let Some(state_key) = event.state_key else { return Err(invalid("`update_state` carries state events only")) };
        self.room_access(event.room_id, context)?;
        self.can_receive_state_event(event.event_type, Some(state_key))
    }

    /// Pushing a to-device message of `event_type` as toWidget `send_to_device`.
    pub fn may_push_to_device(&self, event_type: &str) -> Verdict {
        self.can_receive_to_device(event_type)
    }

    /// Pushing a currently sticky event (MSC4407) when capabilities are granted: the
    /// widget holds `receive.sticky_event`, the event's room is the viewed room or opened
    /// by a timeline capability (wire decision 9), and a receive capability covers it.
    /// Sticky events are message events (MSC4407); a state event is judged as one, by the
    /// state capabilities, never by a message-event capability of its type.
    pub fn may_push_sticky(&self, event: &EventView<'_>, context: &Context<'_>) -> Verdict {
        self.flag(Flag::ReceiveStickyEvent)?;
        self.room_access(event.room_id, context)?;
        match event.state_key {
            Some(state_key) => self.can_receive_state_event(event.event_type, Some(state_key)),
            None => self.can_receive_room_event(event.event_type, event.msgtype),
        }
    }

    /// Returning an event in a `read_events` result: the event's room is accessible and a
    /// receive (or, if configured, read) capability covers it.
    pub fn may_return_read_event(&self, event: &EventView<'_>, context: &Context<'_>) -> Verdict {
        self.room_access(event.room_id, context)?;
        match event.state_key {
            Some(key) => self.can_read_state_event(event.event_type, Some(key)),
            None => self.can_read_room_event(event.event_type, event.msgtype),
        }
    }

    /// Returning an event in a `read_relations` chunk: a receive capability covers it (the
    /// room was checked with the request).
    pub fn may_return_relation(&self, event: &EventView<'_>) -> Verdict {
        match event.state_key {
            Some(key) => self.can_receive_state_event(event.event_type, Some(key)),
            None => self.can_receive_room_event(event.event_type, event.msgtype),
        }
    }

    /// Asking the widget for a screenshot (toWidget `screenshot`): `m.capability.screenshot`.
    pub fn may_take_screenshot(&self) -> Verdict {
        self.flag(Flag::Screenshot)
    }

    /// Sending toWidget `update_turn_servers`: `turn_servers`.
    pub fn may_push_turn_servers(&self) -> Verdict {
        self.flag(Flag::TurnServers)
    }
}

/// Grants more capabilities (those a renegotiation approved), in time linear in their
/// number: the engine need not be rebuilt from every approved capability.
///
/// ```
/// use matrix_widget_api::{Capability, StateEventFilter};
/// use matrix_widget_api_host::permission::{Config, Permissions};
///
/// let member = Capability::SendStateEvent(StateEventFilter::new("org.matrix.msc3401.call.member", Some("_@a:b_DEV".into()))?);
/// let mut permissions = Permissions::from_capabilities([&Capability::Navigate], Config::default());
/// assert!(permissions.can_send_state_event("org.matrix.msc3401.call.member", "_@a:b_DEV").is_err());
/// permissions.extend([&member]);
/// assert!(permissions.can_send_state_event("org.matrix.msc3401.call.member", "_@a:b_DEV").is_ok());
/// # Ok::<(), matrix_widget_api::FilterError>(())
/// ```
impl<'c> Extend<&'c Capability> for Permissions {
    fn extend<I: IntoIterator<Item = &'c Capability>>(&mut self, capabilities: I) {
        for capability in capabilities {
            self.index.insert(capability);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use matrix_widget_api::{HostMessage, decode_host};

    const VIEWED: &str = "!viewed:example.org";
    const OTHER: &str = "!other:example.org";

    fn request(action: &str, data: serde_json::Value) -> FromWidgetRequest {
        let text = serde_json::json!({"api": "fromWidget", "widgetId": "w", "requestId": "r", "action": action, "data": data});
        match decode_host(&text.to_string()) {
            Ok(HostMessage::Request(request)) => request,
            other => panic!("{other:?}"),
        }
    }

    fn permissions(capabilities: &[&str]) -> Permissions {
        let parsed: Vec<Spelled<Capability>> = capabilities.iter().map(|c| Spelled::parse(c).unwrap()).collect();
        Permissions::new(&parsed)
    }

    /// Issue 15 C: a widget in one room must not get a LiveKit token, or delegate a leave,
    /// for another room of the user without a timeline capability for it.
    #[test]
    fn msgtype_text_in_to_device_and_account_data_capabilities_is_the_event_type() {
        // Wire decision 43: no msgtype is read out of these kinds.
        let p = permissions(&[
            "org.matrix.msc3819.send.to_device:m.room.message#m.text",
            "com.beeper.capabilities.receive.room_account_data:m.room.message#m.text",
        ]);
        assert!(p.can_send_to_device("m.room.message#m.text").is_ok());
        assert!(p.can_send_to_device("m.room.message").is_err());
        assert!(p.can_read_room_account_data("m.room.message#m.text").is_ok());
        assert!(p.can_read_room_account_data("m.room.message").is_err());
    }

    #[test]
    fn livekit_room_id_is_gated_like_room_ids() {
        let token = |room: &str| {
            request(
                "org.matrix.msc4533.rtc_livekit_get_token",
                serde_json::json!({"server_name": "b", "url": "https://lk", "room_id": room, "slot_id": "s", "member": {"id": "m"}}),
            )
        };
        let delegate = |room: &str| {
            request(
                "org.matrix.msc4533.rtc_livekit_delegate_delayed_leave",
                serde_json::json!({"room_id": room, "slot_id": "s", "member": {"id": "m"}, "delay_id": "d"}),
            )
        };
        let flags = ["org.matrix.msc4533.rtc_livekit_get_token", "org.matrix.msc4533.rtc_livekit_delegate_delayed_leave"];
        let context = Context::in_room(VIEWED);
        let without_timeline = permissions(&flags);
        let with_other = permissions(&[flags[0], flags[1], "org.matrix.msc2762.timeline:!other:example.org"]);
        let with_any = permissions(&[flags[0], flags[1], "org.matrix.msc2762.timeline:*"]);
        for make in [&token as &dyn Fn(&str) -> FromWidgetRequest, &delegate] {
            // The viewed room needs nothing more.
            assert_eq!(without_timeline.check(&make(VIEWED), &context), Ok(()));
            // Another room needs its timeline capability.
            let denied = without_timeline.check(&make(OTHER), &context).unwrap_err();
            assert_eq!(denied, Denied::Missing(Needed::Timeline { room_id: OTHER.to_owned() }));
            assert_eq!(with_other.check(&make(OTHER), &context), Ok(()));
            assert_eq!(with_any.check(&make(OTHER), &context), Ok(()));
            assert!(with_other.check(&make("!third:example.org"), &context).is_err());
            // No viewed room: every room is another room.
            assert!(without_timeline.check(&make(VIEWED), &Context::new()).is_err());
            assert_eq!(without_timeline.check(&make(""), &context), Err(Denied::EmptyRoomId));
            // The action's own capability is still needed, and checked first.
            let denied = permissions(&["org.matrix.msc2762.timeline:*"]).check(&make(VIEWED), &context).unwrap_err();
            assert!(matches!(denied, Denied::Missing(Needed::Capability(_))), "{denied:?}");
        }
    }

    /// Issue 15 C: a 600 KiB event type quoted three times made a 1.8 MB reply.
    #[test]
    fn denial_messages_quote_widget_strings_bounded() {
        let huge = "x".repeat(600 * 1024);
        let context = Context::in_room(VIEWED);
        let none = permissions(&[]);
        let cases = [
            request("send_event", serde_json::json!({"type": huge, "content": {}})),
            request("send_event", serde_json::json!({"type": "m.room.message", "content": {"msgtype": huge}})),
            request("send_event", serde_json::json!({"type": "t", "state_key": huge, "content": {}})),
            request("send_event", serde_json::json!({"type": "t", "content": {}, "room_id": huge})),
            request("org.matrix.msc2876.read_events", serde_json::json!({"type": huge})),
            request("send_to_device", serde_json::json!({"type": huge, "encrypted": false, "messages": {}})),
        ];
        for request in &cases {
            let denied = none.check(request, &context).unwrap_err();
            let reply = denied.reply(request);
            let message = denied.to_string();
            assert!(message.len() < 2_000, "{} bytes: {message:.200}", message.len());
            assert!(message.contains('…'), "{message}");
            // The reply is the request echoed plus a short message, and decodes.
            assert!(reply.len() < request.envelope_source_len() + 2_100, "{} bytes", reply.len());
            assert!(matrix_widget_api::decode_widget(&reply).is_ok());
        }
        let delay_id = "d".repeat(100_000);
        let ledger = DelayLedger::new();
        let update = request("org.matrix.msc4157.update_delayed_event", serde_json::json!({"delay_id": delay_id, "action": "cancel"}));
        let denied = permissions(&["org.matrix.msc4157.update_delayed_event"]).check(&update, &context.with_ledger(&ledger)).unwrap_err();
        assert!(denied.to_string().len() < 400 && denied.to_string().contains('…'), "{denied}");
        // Short strings are quoted whole.
        let denied = none.check(&request("send_event", serde_json::json!({"type": "m.reaction", "content": {}})), &context).unwrap_err();
        assert!(denied.to_string().contains("`m.reaction`") && !denied.to_string().contains('…'), "{denied}");
    }

    trait SourceLen {
        fn envelope_source_len(&self) -> usize;
    }

    impl SourceLen for FromWidgetRequest {
        fn envelope_source_len(&self) -> usize {
            Denied::Invalid { message: String::new() }.reply(self).len()
        }
    }
}
