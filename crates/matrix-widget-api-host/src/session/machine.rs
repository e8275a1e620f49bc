//! The engine.

use super::io::{Answer, EnvId, EnvRequest, Input, Millis, Misbehaviour, Notification, Output, StateFilter};
use super::{Config, StartMode};
use crate::permission::{Context, DelayLedger, EventView, Negotiation, Permissions};
use matrix_widget_api::event::{RoomEvent, RoomIds};
use matrix_widget_api::from_widget::get_openid::{GetOpenId, GetOpenIdResponseData};
use matrix_widget_api::from_widget::read_events::ReadEventsResponseData;
use matrix_widget_api::from_widget::read_relations::ReadRelationsResponseData;
use matrix_widget_api::from_widget::send_event::SendEventResponseData;
use matrix_widget_api::from_widget::supported_api_versions::SupportedApiVersionsResponseData;
use matrix_widget_api::naming::Spelled;
use matrix_widget_api::openid::OpenIdState;
use matrix_widget_api::payload::Empty;
use matrix_widget_api::to_widget::button_clicked::{ButtonClicked, ButtonClickedRequestData};
use matrix_widget_api::to_widget::capabilities::Capabilities;
use matrix_widget_api::to_widget::close_modal::ToWidgetCloseModal;
use matrix_widget_api::to_widget::language_change::{LanguageChange, LanguageChangeRequestData};
use matrix_widget_api::to_widget::notify_capabilities::NotifyCapabilities;
use matrix_widget_api::to_widget::openid_credentials::{OpenIdCredentials, OpenIdCredentialsRequestData};
use matrix_widget_api::to_widget::screenshot::Screenshot;
use matrix_widget_api::to_widget::send_event::ToWidgetSendEvent;
use matrix_widget_api::to_widget::send_to_device::ToWidgetSendToDevice;
use matrix_widget_api::to_widget::supported_api_versions::ToWidgetSupportedApiVersions;
use matrix_widget_api::to_widget::theme_change::ThemeChange;
use matrix_widget_api::to_widget::update_state::{UpdateState, UpdateStateRequestData};
use matrix_widget_api::to_widget::update_turn_servers::{UpdateTurnServers, UpdateTurnServersRequestData};
use matrix_widget_api::to_widget::visibility::{Visibility, VisibilityRequestData};
use matrix_widget_api::to_widget::widget_config::WidgetConfig;
use matrix_widget_api::{
    Action, ActionName, ApiVersion, Capability, DecodeError, ErrorResponseData, FromWidgetRequest, HostMessage, Request, TimelineTarget,
    ToWidgetResponse, decode_host,
};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};

/// How many state changes are held while the initial state is read.
const MAX_HELD_STATE: usize = 4096;

/// Where negotiation stands.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Phase {
    /// Capabilities not asked yet.
    NotStarted,
    /// Waiting for the widget's `capabilities` answer.
    Asking,
    /// Waiting for [`EnvRequest::ApproveCapabilities`].
    Approving,
    /// Negotiated; the session is ready (and may renegotiate).
    Ready,
}

/// Why the session sent a toWidget request, i.e. what to do with the answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Purpose {
    Capabilities,
    Versions,
    /// Asked by the application: it gets the answer.
    Application,
    /// A push or a notification: the acknowledgement needs no action.
    Delivery,
}

#[derive(Clone, Debug)]
struct ToWidgetPending {
    action: ActionName,
    deadline: Millis,
    purpose: Purpose,
}

/// What an environment request is waiting to do.
#[derive(Clone, Debug)]
enum EnvPending {
    Approve,
    /// Carrying out a widget request; `openid_asked` is set once the widget was told that
    /// the user is being asked.
    Widget {
        request: Box<FromWidgetRequest>,
        openid_asked: bool,
    },
    ReadState,
    ReadSticky,
}

#[derive(Clone, Debug)]
struct EnvEntry {
    /// The widget document it belongs to (see [`HostSession::generation`]).
    generation: u64,
    pending: EnvPending,
    /// When a widget request stops waiting ([`Config::environment_timeout`]).
    deadline: Option<Millis>,
}

/// What the widget speaks.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Versions {
    Unknown,
    Asking,
    Known { update_state: bool },
}

/// Work that waits for the widget's versions.
#[derive(Clone, Debug)]
enum Deferred {
    InitialState(RoomIds),
    StateUpdate(Box<RoomEvent>),
}

/// One widget's conversation with its host, sans I/O; see the [module documentation](super).
#[derive(Debug)]
pub struct HostSession {
    config: Config,
    phase: Phase,
    stopped: bool,
    ever_ready: bool,
    /// Whether the iframe fired `load` already.
    loaded: bool,
    content_loaded_seen: bool,
    negotiation: Negotiation,
    permissions: Permissions,
    /// Capabilities requested (MSC2974) while a negotiation was running.
    queued: Vec<Spelled<Capability>>,
    ledger: DelayLedger,
    /// Bumped when the widget reloads: answers for an older document are dropped.
    generation: u64,
    next_env: u64,
    env: HashMap<EnvId, EnvEntry>,
    /// How many [`EnvPending::Widget`] entries `env` holds.
    widget_pending: usize,
    next_to_widget: u64,
    to_widget: BTreeMap<String, ToWidgetPending>,
    /// The toWidget requests by deadline, so that expiry costs nothing while none is due.
    to_widget_deadlines: BTreeSet<(Millis, String)>,
    /// The environment requests with a deadline, by deadline.
    env_deadlines: BTreeSet<(Millis, EnvId)>,
    versions: Versions,
    deferred: Vec<Deferred>,
    watching_turn: bool,
    /// How many capabilities were approved at the end of the last round.
    notified_approved: usize,
    /// [`EnvRequest::ReadState`] requests not answered yet.
    state_reads: usize,
    /// State changes that arrived while a state read was running: merged into its push,
    /// where they win over what was read (they are newer).
    state_during_read: VecDeque<RoomEvent>,
}

/// Collects outputs while one input is processed.
type Out = Vec<Output>;

fn notify(out: &mut Out, notification: Notification) {
    out.push(Output::Notify(notification));
}

fn misbehaved(out: &mut Out, misbehaviour: Misbehaviour) {
    notify(out, Notification::Misbehaved(misbehaviour));
}

/// An answer's JSON as `T`, or the reason it is not.
fn parse<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> Result<T, String> {
    serde_json::from_value(value).map_err(|e| format!("the host environment gave an invalid answer: {e}"))
}

/// The reply to `request` from the environment's answer, typed as the action's response.
fn typed_reply<A: Action>(request: &Request<A>, result: Answer, out: &mut Out) -> String {
    match result {
        Err(error) => request.reply_error(error),
        Ok(value) => match parse::<A::ResponseData>(value) {
            Ok(response) => request.reply(&response),
            Err(message) => {
                notify(out, Notification::HostError { message: message.clone() });
                request.reply_error(message)
            }
        },
    }
}

/// Adds the rooms of `more` to `rooms`.
fn merge_rooms(rooms: &mut RoomIds, more: &RoomIds) {
    match (&mut *rooms, more) {
        (RoomIds::Any, _) => {}
        (_, RoomIds::Any) => *rooms = RoomIds::Any,
        (RoomIds::Rooms(list), RoomIds::Rooms(others)) => {
            for room in others {
                if !list.contains(room) {
                    list.push(room.clone());
                }
            }
        }
    }
}

/// The approved capabilities' `receive.state_event` filters.
fn state_filters(approved: &[Spelled<Capability>]) -> Vec<StateFilter> {
    let mut seen = HashSet::new();
    let mut filters = Vec::new();
    for capability in approved {
        if let Capability::ReceiveStateEvent(filter) = capability.value() {
            let state_filter = StateFilter { event_type: filter.event_type().to_owned(), state_key: filter.state_key().map(str::to_owned) };
            if seen.insert((state_filter.event_type.clone(), state_filter.state_key.clone())) {
                filters.push(state_filter);
            }
        }
    }
    filters
}

impl HostSession {
    /// A session for the widget `config` describes; nothing happens until the first input.
    pub fn new(config: Config) -> Self {
        let permissions = Permissions::with_config(&[], config.permissions.clone());
        HostSession {
            config,
            phase: Phase::NotStarted,
            stopped: false,
            ever_ready: false,
            loaded: false,
            content_loaded_seen: false,
            negotiation: Negotiation::new(),
            permissions,
            queued: Vec::new(),
            ledger: DelayLedger::new(),
            generation: 0,
            next_env: 0,
            env: HashMap::new(),
            widget_pending: 0,
            next_to_widget: 0,
            to_widget: BTreeMap::new(),
            to_widget_deadlines: BTreeSet::new(),
            env_deadlines: BTreeSet::new(),
            versions: Versions::Unknown,
            deferred: Vec::new(),
            watching_turn: false,
            notified_approved: 0,
            state_reads: 0,
            state_during_read: VecDeque::new(),
        }
    }

    /// The configuration (with the current viewed room).
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Whether the widget's document negotiated (and the session has not stopped).
    pub fn is_ready(&self) -> bool {
        self.ever_ready && !self.stopped
    }

    /// Whether [`Input::Stop`] was processed.
    pub fn is_stopped(&self) -> bool {
        self.stopped
    }

    /// Every capability requested and approved so far.
    pub fn negotiation(&self) -> &Negotiation {
        &self.negotiation
    }

    /// The permission engine over what is approved now.
    pub fn permissions(&self) -> &Permissions {
        &self.permissions
    }

    /// The delayed events this widget scheduled and may update.
    pub fn delay_ledger(&self) -> &DelayLedger {
        &self.ledger
    }

    /// How many environment requests await an answer.
    pub fn pending_environment(&self) -> usize {
        self.env.len()
    }

    /// How many toWidget requests await the widget's answer.
    pub fn pending_to_widget(&self) -> usize {
        self.to_widget.len()
    }

    /// The earliest deadline of a waiting request, if any: when to feed [`Input::Tick`].
    pub fn next_deadline(&self) -> Option<Millis> {
        let to_widget = self.to_widget_deadlines.first().map(|(deadline, _)| *deadline);
        let env = self.env_deadlines.first().map(|(deadline, _)| *deadline);
        to_widget.into_iter().chain(env).min()
    }

    /// Processes one input at time `now`; returns what to do, in order.
    pub fn process(&mut self, now: Millis, input: Input) -> Vec<Output> {
        let mut out = Vec::new();
        if self.stopped {
            return out;
        }
        self.expire(now, &mut out);
        match input {
            Input::WidgetMessage(text) => self.on_widget_message(now, &text, &mut out),
            Input::EnvironmentAnswer { id, result } => self.on_answer(now, id, result, &mut out),
            Input::IframeLoaded => self.on_iframe_loaded(now, &mut out),
            Input::ViewedRoomChanged(room) => self.on_viewed_room(now, room, &mut out),
            Input::Theme(data) => self.send::<ThemeChange>(now, data, Purpose::Application, &mut out),
            Input::Language(lang) => self.send::<LanguageChange>(now, LanguageChangeRequestData::new(lang), Purpose::Application, &mut out),
            Input::Visibility(visible) => self.send::<Visibility>(now, VisibilityRequestData::new(visible), Purpose::Application, &mut out),
            Input::TakeScreenshot => match self.permissions.may_take_screenshot() {
                Ok(()) => self.send::<Screenshot>(now, Empty::new(), Purpose::Application, &mut out),
                Err(denied) => notify(&mut out, Notification::HostError { message: format!("no screenshot: {denied}") }),
            },
            Input::WidgetConfig(data) => self.send::<WidgetConfig>(now, data, Purpose::Application, &mut out),
            Input::ModalButtonClicked(id) => {
                self.send::<ButtonClicked>(now, ButtonClickedRequestData::new(id), Purpose::Application, &mut out)
            }
            Input::CloseModal(data) => self.send::<ToWidgetCloseModal>(now, data, Purpose::Application, &mut out),
            Input::Stop => {
                self.stopped = true;
                self.env.clear();
                self.widget_pending = 0;
                self.to_widget.clear();
                self.to_widget_deadlines.clear();
                self.env_deadlines.clear();
                self.deferred.clear();
                notify(&mut out, Notification::Closed);
            }
            Input::PushEvent(event) => self.push_event(now, event, &mut out),
            Input::PushStateUpdate(event) => self.push_state_update(now, event, &mut out),
            Input::PushToDevice(event) => {
                if self.permissions.may_push_to_device(&event.event_type).is_ok() {
                    self.send::<ToWidgetSendToDevice>(now, event, Purpose::Delivery, &mut out);
                }
            }
            Input::PushTurnServers(servers) => {
                if self.watching_turn && self.permissions.may_push_turn_servers().is_ok() {
                    self.send::<UpdateTurnServers>(now, servers, Purpose::Delivery, &mut out);
                }
            }
            Input::Tick => {}
        }
        out
    }

    fn context(&self) -> Context<'_> {
        let context = Context::new().with_viewed_room(self.config.viewed_room.as_deref());
        if self.config.delay_ledger { context.with_ledger(&self.ledger) } else { context }
    }

    // ---- toWidget requests ----

    /// Sends a toWidget request of action `A`.
    fn send<A: Action>(&mut self, now: Millis, data: A::RequestData, purpose: Purpose, out: &mut Out) {
        self.next_to_widget += 1;
        let request_id = format!("host-{}", self.next_to_widget);
        let request = match Request::<A>::new(self.config.widget_id.as_str(), request_id.as_str(), data) {
            Ok(request) => request,
            Err(error) => {
                notify(out, Notification::HostError { message: format!("cannot send `{}` to the widget: {error}", A::NAME) });
                return;
            }
        };
        match serde_json::to_string(&request) {
            Ok(text) => {
                let deadline = now.plus(self.config.to_widget_timeout);
                self.to_widget_deadlines.insert((deadline, request_id.clone()));
                self.to_widget.insert(request_id, ToWidgetPending { action: A::NAME, deadline, purpose });
                out.push(Output::ToWidget(text));
            }
            Err(error) => notify(out, Notification::HostError { message: format!("cannot send `{}` to the widget: {error}", A::NAME) }),
        }
    }

    /// Sends `notify_capabilities`. Written directly rather than through [`Request::new`],
    /// whose check (serialise, then parse back) would copy every capability twice more:
    /// the lists are the negotiation's own, valid by construction.
    fn send_notify_capabilities(&mut self, now: Millis, out: &mut Out) {
        let (Ok(widget_id), Ok(action), Ok(data)) = (
            serde_json::to_string(&self.config.widget_id),
            serde_json::to_string(&Spelled::new(NotifyCapabilities::NAME)),
            self.negotiation.notify_capabilities_json(),
        ) else {
            let data = self.negotiation.notify_capabilities();
            return self.send::<NotifyCapabilities>(now, data, Purpose::Delivery, out);
        };
        self.next_to_widget += 1;
        let request_id = format!("host-{}", self.next_to_widget);
        let text = format!(r#"{{"api":"toWidget","widgetId":{widget_id},"requestId":"{request_id}","action":{action},"data":{data}}}"#);
        let deadline = now.plus(self.config.to_widget_timeout);
        self.to_widget_deadlines.insert((deadline, request_id.clone()));
        self.to_widget.insert(request_id, ToWidgetPending { action: NotifyCapabilities::NAME, deadline, purpose: Purpose::Delivery });
        out.push(Output::ToWidget(text));
    }

    /// Removes a waiting toWidget request.
    fn take_to_widget(&mut self, request_id: &str) -> Option<ToWidgetPending> {
        let pending = self.to_widget.remove(request_id)?;
        self.to_widget_deadlines.remove(&(pending.deadline, request_id.to_owned()));
        Some(pending)
    }

    /// Forgets the requests whose deadline passed, and acts on the loss. Costs a lookup
    /// of the earliest deadline when none is due.
    fn expire(&mut self, now: Millis, out: &mut Out) {
        while let Some((deadline, request_id)) = self.to_widget_deadlines.first().cloned() {
            if deadline > now {
                break;
            }
            self.to_widget_deadlines.pop_first();
            let Some(pending) = self.to_widget.remove(&request_id) else { continue };
            notify(out, Notification::TimedOut { action: pending.action.to_string(), request_id });
            match pending.purpose {
                Purpose::Capabilities => self.round(now, Vec::new(), out),
                Purpose::Versions => self.versions_known(now, false, out),
                Purpose::Application | Purpose::Delivery => {}
            }
        }
        while let Some((deadline, id)) = self.env_deadlines.first().copied() {
            if deadline > now {
                break;
            }
            self.env_deadlines.pop_first();
            notify(out, Notification::EnvironmentTimedOut { id });
            let result = Err(ErrorResponseData::new("The host did not answer in time"));
            self.on_answer(now, id, result, out);
        }
    }

    /// A reply from the widget to one of the session's requests.
    fn on_reply(&mut self, now: Millis, response: ToWidgetResponse, out: &mut Out) {
        let envelope = response.envelope();
        let request_id = envelope.request_id().to_owned();
        let Some(pending) = self.to_widget.get(&request_id) else {
            return misbehaved(out, Misbehaviour::UnexpectedReply { request_id });
        };
        if *envelope.action().value() != pending.action {
            let expected = pending.action.to_string();
            return misbehaved(out, Misbehaviour::WrongAction { request_id, expected, found: envelope.action().to_string() });
        }
        let Some(pending) = self.take_to_widget(&request_id) else { return };
        match (pending.purpose, response) {
            (Purpose::Capabilities, ToWidgetResponse::Capabilities(reply)) => {
                let requested = match reply.into_result() {
                    Ok(data) => data.capabilities,
                    Err(_) => Vec::new(),
                };
                self.round(now, requested, out);
            }
            (Purpose::Versions, ToWidgetResponse::SupportedApiVersions(reply)) => {
                let update_state = match reply.result() {
                    Ok(data) => data.supported_versions.iter().any(|v| *v.value() == ApiVersion::Msc2762UpdateState),
                    Err(_) => false,
                };
                self.versions_known(now, update_state, out);
            }
            (Purpose::Application, response) => {
                let value = serde_json::to_value(&response).ok();
                let response = value.and_then(|mut v| v.get_mut("response").map(serde_json::Value::take)).unwrap_or_default();
                notify(out, Notification::WidgetReplied { action: pending.action.to_string(), request_id, response });
            }
            _ => {}
        }
    }

    /// A toWidget reply that did not decode: the request it answers failed.
    fn on_invalid_reply(&mut self, now: Millis, request_id: &str, action: &ActionName, out: &mut Out) {
        let Some(pending) = self.to_widget.get(request_id) else { return };
        if pending.action != *action {
            return;
        }
        let Some(pending) = self.take_to_widget(request_id) else { return };
        match pending.purpose {
            Purpose::Capabilities => self.round(now, Vec::new(), out),
            Purpose::Versions => self.versions_known(now, false, out),
            Purpose::Application | Purpose::Delivery => {}
        }
    }

    // ---- Negotiation ----

    fn on_iframe_loaded(&mut self, now: Millis, out: &mut Out) {
        // The first load event of a session may come before or after `content_loaded`;
        // any later one is a reload.
        if self.loaded {
            // A new document, which negotiates from scratch.
            self.generation += 1;
            self.ever_ready = false;
            self.phase = Phase::NotStarted;
            self.negotiation = Negotiation::new();
            self.permissions = Permissions::with_config(&[], self.config.permissions.clone());
            self.queued.clear();
            self.to_widget.clear();
            self.to_widget_deadlines.clear();
            self.deferred.clear();
            self.versions = Versions::Unknown;
            self.watching_turn = false;
            self.content_loaded_seen = false;
            self.notified_approved = 0;
            self.state_reads = 0;
            self.state_during_read.clear();
            self.env.retain(|_, entry| !matches!(entry.pending, EnvPending::Approve | EnvPending::ReadState | EnvPending::ReadSticky));
        }
        self.loaded = true;
        if self.config.start == StartMode::IframeLoad {
            self.begin(now, out);
        }
    }

    fn begin(&mut self, now: Millis, out: &mut Out) {
        self.phase = Phase::Asking;
        self.send::<Capabilities>(now, Empty::new(), Purpose::Capabilities, out);
    }

    /// A negotiation round over `requested` (plus anything queued).
    fn round(&mut self, now: Millis, requested: Vec<Spelled<Capability>>, out: &mut Out) {
        let mut all = std::mem::take(&mut self.queued);
        all.extend(requested);
        let pending = self.negotiation.request_owned(all);
        if pending.is_empty() {
            return self.complete(now, out);
        }
        self.phase = Phase::Approving;
        self.env_request(now, EnvPending::Approve, EnvRequest::ApproveCapabilities { requested: pending }, out);
    }

    fn on_approved(&mut self, now: Millis, result: Answer, out: &mut Out) {
        match result.map(parse::<Vec<Spelled<Capability>>>) {
            // What the widget never requested is ignored by `approve`.
            Ok(Ok(approved)) => self.negotiation.approve(approved),
            Ok(Err(message)) => notify(out, Notification::HostError { message }),
            Err(_) => {}
        }
        self.complete(now, out);
    }

    /// The end of a round: the widget and the application are told, state is pushed.
    fn complete(&mut self, now: Millis, out: &mut Out) {
        let before = self.notified_approved;
        self.notified_approved = self.negotiation.approved().len();
        // The approved list only grows (a reload starts a new negotiation and engine), so
        // the engine takes only what this round approved.
        let new = self.negotiation.approved().get(before..).unwrap_or_default();
        self.permissions.extend(new.iter().map(Spelled::value));
        // Only what this round newly approved can show the widget state or sticky events it
        // has not seen: a new `receive.state_event` filter, a new `receive.sticky_event`, or
        // a new timeline room. A round that grants anything else (a delayed-event capability,
        // say) pushes nothing again, as the reference's `allowCapabilities` does.
        let new_rooms = new.iter().any(|c| matches!(c.value(), Capability::Timeline(_)));
        let new_state = new_rooms || new.iter().any(|c| matches!(c.value(), Capability::ReceiveStateEvent(_)));
        let new_sticky = new_rooms || new.iter().any(|c| *c.value() == Capability::ReceiveStickyEvent);
        self.phase = Phase::Ready;
        self.send_notify_capabilities(now, out);
        notify(
            out,
            Notification::CapabilitiesChanged {
                requested: self.negotiation.requested().len(),
                approved: self.negotiation.approved().len(),
            },
        );
        let first = !self.ever_ready;
        if first {
            self.ever_ready = true;
            notify(out, Notification::Ready);
        }
        if first && self.versions == Versions::Unknown {
            self.versions = Versions::Asking;
            self.send::<ToWidgetSupportedApiVersions>(now, Empty::new(), Purpose::Versions, out);
        }
        if new_state || new_sticky {
            let rooms = self.push_rooms();
            if new_state && !state_filters(self.negotiation.approved()).is_empty() {
                self.defer_or_run(now, Deferred::InitialState(rooms.clone()), out);
            }
            if new_sticky && self.negotiation.approved().iter().any(|c| *c.value() == Capability::ReceiveStickyEvent) {
                self.env_request(now, EnvPending::ReadSticky, EnvRequest::ReadStickyEvents { room_ids: rooms }, out);
            }
        }
        if !self.queued.is_empty() {
            self.round(now, Vec::new(), out);
        }
    }

    /// The rooms whose state the widget may see: the viewed room and the timeline rooms.
    fn push_rooms(&self) -> RoomIds {
        let mut rooms: Vec<String> = self.config.viewed_room.iter().cloned().collect();
        for capability in self.negotiation.approved() {
            match capability.value() {
                Capability::Timeline(TimelineTarget::AnyRoom) => return RoomIds::Any,
                Capability::Timeline(TimelineTarget::Room(room)) if !rooms.contains(room) => rooms.push(room.clone()),
                _ => {}
            }
        }
        RoomIds::Rooms(rooms)
    }

    fn on_viewed_room(&mut self, now: Millis, room: Option<String>, out: &mut Out) {
        self.config.viewed_room = room.clone();
        let Some(room) = room else { return };
        if self.phase == Phase::Ready
            && !self.permissions.can_access_room(&room, &Context::new())
            && !state_filters(self.negotiation.approved()).is_empty()
        {
            self.defer_or_run(now, Deferred::InitialState(RoomIds::Rooms(vec![room])), out);
        }
    }

    // ---- Versions and state ----

    fn defer_or_run(&mut self, now: Millis, work: Deferred, out: &mut Out) {
        match self.versions {
            Versions::Known { update_state } => self.run(now, work, update_state, out),
            Versions::Unknown => {
                self.deferred.push(work);
                self.versions = Versions::Asking;
                self.send::<ToWidgetSupportedApiVersions>(now, Empty::new(), Purpose::Versions, out);
            }
            Versions::Asking => {
                // Bounded like the environment: the oldest state change is dropped first.
                // A queued initial state read is never dropped: it reads the current
                // state, which holds the dropped change, so nothing is lost while one
                // waits (a busy room must not push it out of the queue).
                if self.deferred.len() >= self.config.max_pending.max(1) {
                    let oldest_change = self.deferred.iter().position(|w| matches!(w, Deferred::StateUpdate(_)));
                    match (oldest_change, &work) {
                        (Some(at), _) => {
                            self.deferred.remove(at);
                        }
                        // Only reads are queued: one more read of other rooms joins the last.
                        (None, Deferred::InitialState(rooms)) => {
                            if let Some(Deferred::InitialState(last)) = self.deferred.last_mut() {
                                merge_rooms(last, rooms);
                                return;
                            }
                        }
                        (None, Deferred::StateUpdate(_)) => {}
                    }
                    notify(out, Notification::HostError { message: "too many pushes waiting for the widget's versions".into() });
                }
                self.deferred.push(work);
            }
        }
    }

    fn versions_known(&mut self, now: Millis, update_state: bool, out: &mut Out) {
        self.versions = Versions::Known { update_state };
        for work in std::mem::take(&mut self.deferred) {
            self.run(now, work, update_state, out);
        }
    }

    fn run(&mut self, now: Millis, work: Deferred, update_state: bool, out: &mut Out) {
        if !update_state {
            return;
        }
        match work {
            Deferred::InitialState(room_ids) => {
                let filters = state_filters(self.negotiation.approved());
                if !filters.is_empty() {
                    self.state_reads += 1;
                    self.env_request(now, EnvPending::ReadState, EnvRequest::ReadState { room_ids, filters }, out);
                }
            }
            Deferred::StateUpdate(event) if self.state_reads > 0 => {
                // Bounded: an environment that never answers the read must not make the
                // session hold every state change forever.
                if self.state_during_read.len() >= MAX_HELD_STATE {
                    self.state_during_read.pop_front();
                    notify(out, Notification::HostError { message: "too many state changes held during a state read".into() });
                }
                self.state_during_read.push_back(*event);
            }
            Deferred::StateUpdate(event) => {
                self.send::<UpdateState>(now, UpdateStateRequestData::new(vec![*event]), Purpose::Delivery, out)
            }
        }
    }

    fn push_event(&mut self, now: Millis, event: RoomEvent, out: &mut Out) {
        let msgtype = event.msgtype();
        let allowed = self.permissions.may_push_event(&EventView::of(&event, msgtype.as_deref()), &self.context()).is_ok();
        if allowed {
            self.send::<ToWidgetSendEvent>(now, event, Purpose::Delivery, out);
        }
    }

    fn push_state_update(&mut self, now: Millis, event: RoomEvent, out: &mut Out) {
        let allowed = self.permissions.may_update_state(&EventView::of(&event, None), &self.context()).is_ok();
        if allowed {
            self.defer_or_run(now, Deferred::StateUpdate(Box::new(event)), out);
        }
    }

    // ---- The environment ----

    fn env_request(&mut self, now: Millis, pending: EnvPending, request: EnvRequest, out: &mut Out) {
        self.next_env += 1;
        let id = EnvId(self.next_env);
        let mut deadline = None;
        if matches!(pending, EnvPending::Widget { .. }) {
            self.widget_pending += 1;
            deadline = self.env_deadline(now, id);
        }
        self.env.insert(id, EnvEntry { generation: self.generation, pending, deadline });
        out.push(Output::Environment { id, request });
    }

    /// The deadline of a widget request's environment request `id`, if there is one.
    fn env_deadline(&mut self, now: Millis, id: EnvId) -> Option<Millis> {
        let deadline = now.plus(self.config.environment_timeout?);
        self.env_deadlines.insert((deadline, id));
        Some(deadline)
    }

    fn on_answer(&mut self, now: Millis, id: EnvId, result: Answer, out: &mut Out) {
        let Some(entry) = self.env.remove(&id) else {
            return notify(
                out,
                Notification::HostError { message: format!("an answer to environment request {id}, which is not waiting") },
            );
        };
        if let Some(deadline) = entry.deadline {
            self.env_deadlines.remove(&(deadline, id));
        }
        if matches!(entry.pending, EnvPending::Widget { .. }) {
            self.widget_pending = self.widget_pending.saturating_sub(1);
        }
        if entry.generation != self.generation {
            return; // for a document that is gone
        }
        match entry.pending {
            EnvPending::Approve => self.on_approved(now, result, out),
            EnvPending::ReadState => {
                self.state_reads = self.state_reads.saturating_sub(1);
                let events = self.answered_events(result, out);
                let context = self.context();
                let mut state: Vec<RoomEvent> =
                    events.into_iter().filter(|e| self.permissions.may_update_state(&EventView::of(e, None), &context).is_ok()).collect();
                let newer =
                    if self.state_reads == 0 { std::mem::take(&mut self.state_during_read) } else { self.state_during_read.clone() };
                // Each change replaces what was read for its (room, type, state key).
                let mut at: HashMap<(String, String, Option<String>), usize> =
                    state.iter().enumerate().map(|(i, e)| ((e.room_id.clone(), e.event_type.clone(), e.state_key.clone()), i)).collect();
                for update in newer {
                    let key = (update.room_id.clone(), update.event_type.clone(), update.state_key.clone());
                    match at.get(&key).and_then(|&i| state.get_mut(i)) {
                        Some(slot) => *slot = update,
                        None => {
                            at.insert(key, state.len());
                            state.push(update);
                        }
                    }
                }
                self.send::<UpdateState>(now, UpdateStateRequestData::new(state), Purpose::Delivery, out);
            }
            EnvPending::ReadSticky => {
                for event in self.answered_events(result, out) {
                    let msgtype = event.msgtype();
                    if self.permissions.may_push_sticky(&EventView::of(&event, msgtype.as_deref()), &self.context()).is_ok() {
                        self.send::<ToWidgetSendEvent>(now, event, Purpose::Delivery, out);
                    }
                }
            }
            EnvPending::Widget { request, openid_asked } => self.finish(now, id, *request, openid_asked, result, out),
        }
    }

    /// The `events` of a read answer (none on error).
    fn answered_events(&self, result: Answer, out: &mut Out) -> Vec<RoomEvent> {
        match result.map(parse::<ReadEventsResponseData>) {
            Ok(Ok(data)) => data.events,
            Ok(Err(message)) => {
                notify(out, Notification::HostError { message });
                Vec::new()
            }
            Err(_) => Vec::new(),
        }
    }

    // ---- fromWidget requests ----

    fn on_widget_message(&mut self, now: Millis, text: &str, out: &mut Out) {
        let message = match decode_host(text) {
            Ok(message) => message,
            Err(error) => return self.on_decode_error(now, &error, out),
        };
        let widget_id = message.envelope().widget_id();
        if widget_id != self.config.widget_id {
            return misbehaved(out, Misbehaviour::ForeignWidgetId { widget_id: widget_id.to_owned() });
        }
        match message {
            HostMessage::Request(request) => self.on_request(now, request, out),
            HostMessage::Response(response) => self.on_reply(now, response, out),
        }
    }

    fn on_decode_error(&mut self, now: Millis, error: &DecodeError, out: &mut Out) {
        let Some(envelope) = error.envelope() else {
            // Over a limit with a readable request ID: answerable only if ours, which we
            // cannot know without the envelope, so it is ignored.
            return misbehaved(out, Misbehaviour::Malformed { reason: error.to_string() });
        };
        if envelope.widget_id() != self.config.widget_id {
            return misbehaved(out, Misbehaviour::ForeignWidgetId { widget_id: envelope.widget_id().to_owned() });
        }
        misbehaved(out, Misbehaviour::Invalid { reason: error.to_string() });
        match error.error_reply() {
            Some(reply) => out.push(Output::ToWidget(reply)),
            None => {
                let (request_id, action) = (envelope.request_id().to_owned(), envelope.action().value().clone());
                self.on_invalid_reply(now, &request_id, &action, out);
            }
        }
    }

    fn on_request(&mut self, now: Millis, request: FromWidgetRequest, out: &mut Out) {
        match &request {
            FromWidgetRequest::SupportedApiVersions(r) => {
                return out.push(Output::ToWidget(r.reply(&SupportedApiVersionsResponseData::new(ApiVersion::CURRENT.iter().cloned()))));
            }
            FromWidgetRequest::ContentLoaded(r) => {
                let reply = if self.config.start == StartMode::IframeLoad {
                    r.reply_error("Improper sequence: not expecting ContentLoaded event if waitForIframeLoad is true (default=true)")
                } else if self.content_loaded_seen {
                    r.reply_error("Improper sequence: ContentLoaded Action can only be sent once after the widget loaded")
                } else {
                    self.content_loaded_seen = true;
                    out.push(Output::ToWidget(r.reply(&Empty::new())));
                    if self.phase == Phase::NotStarted {
                        self.begin(now, out);
                    }
                    return;
                };
                self.content_loaded_seen = true;
                return out.push(Output::ToWidget(reply));
            }
            FromWidgetRequest::RequestCapabilities(_) => {
                let FromWidgetRequest::RequestCapabilities(r) = request else { return };
                out.push(Output::ToWidget(r.reply(&Empty::new())));
                let (_, data) = r.into_parts();
                let capabilities = data.capabilities;
                if self.phase == Phase::Ready {
                    self.round(now, capabilities, out);
                } else {
                    self.queued.extend(capabilities);
                }
                return;
            }
            _ => {}
        }
        if let Err(denied) = self.permissions.check(&request, &self.context()) {
            return out.push(Output::ToWidget(denied.reply(&request)));
        }
        let env_request = match self.env_request_for(&request, out) {
            Ok(Some(env_request)) => env_request,
            Ok(None) => return,
            Err(message) => return out.push(Output::ToWidget(request.reply_error(message))),
        };
        if self.widget_pending >= self.config.max_pending {
            return out.push(Output::ToWidget(request.reply_error("Too many requests are waiting for the host; try again later")));
        }
        self.env_request(now, EnvPending::Widget { request: Box::new(request), openid_asked: false }, env_request, out);
    }

    /// The environment request that carries out an allowed `request`; `Ok(None)` when the
    /// session answered it itself; `Err` for the error reply.
    fn env_request_for(&self, request: &FromWidgetRequest, out: &mut Out) -> Result<Option<EnvRequest>, String> {
        let viewed = self.config.viewed_room.clone();
        let no_room = || "No room is viewed: name a room".to_owned();
        Ok(Some(match request {
            FromWidgetRequest::SendEvent(r) => {
                let data = r.data().clone();
                if data.state_key.is_some() && data.sticky_duration_ms.is_some() {
                    return Err("Cannot send a state event with a sticky duration".into());
                }
                let room_id = data.room_id.clone().or(viewed).ok_or_else(no_room)?;
                if data.delay.is_some() { EnvRequest::SendDelayedEvent { room_id, data } } else { EnvRequest::SendEvent { room_id, data } }
            }
            FromWidgetRequest::UpdateDelayedEvent(r) => EnvRequest::UpdateDelayedEvent { data: r.data().clone() },
            FromWidgetRequest::ReadEvents(r) => {
                let data = r.data().clone();
                let room_ids = match &data.room_ids {
                    Some(rooms) => rooms.clone(),
                    None => RoomIds::Rooms(vec![viewed.ok_or_else(no_room)?]),
                };
                EnvRequest::ReadEvents { room_ids, data }
            }
            FromWidgetRequest::ReadRelations(r) => {
                let data = r.data().clone();
                let room_id = data.room_id.clone().or(viewed).ok_or_else(no_room)?;
                EnvRequest::ReadRelations { room_id, data }
            }
            FromWidgetRequest::ReadRoomAccountData(r) => EnvRequest::ReadRoomAccountData { data: r.data().clone() },
            FromWidgetRequest::SendToDevice(r) => EnvRequest::SendToDevice { data: r.data().clone() },
            FromWidgetRequest::GetOpenId(_) => EnvRequest::GetOpenId,
            FromWidgetRequest::WatchTurnServers(r) => {
                if self.watching_turn {
                    out.push(Output::ToWidget(r.reply(&Empty::new())));
                    return Ok(None);
                }
                EnvRequest::WatchTurnServers
            }
            FromWidgetRequest::UnwatchTurnServers(r) => {
                if !self.watching_turn {
                    out.push(Output::ToWidget(r.reply(&Empty::new())));
                    return Ok(None);
                }
                EnvRequest::UnwatchTurnServers
            }
            FromWidgetRequest::UserDirectorySearch(r) => EnvRequest::UserDirectorySearch { data: r.data().clone() },
            FromWidgetRequest::GetMediaConfig(_) => EnvRequest::GetMediaConfig,
            FromWidgetRequest::UploadFile(r) => EnvRequest::UploadFile { data: r.data().clone() },
            FromWidgetRequest::DownloadFile(r) => EnvRequest::DownloadFile { data: r.data().clone() },
            FromWidgetRequest::Navigate(r) => {
                if !r.data().is_matrix_to() {
                    return Err("Invalid matrix.to URI".into());
                }
                EnvRequest::Navigate { data: r.data().clone() }
            }
            FromWidgetRequest::GetRtcTransports(_) => EnvRequest::GetRtcTransports,
            FromWidgetRequest::RtcLivekitGetToken(r) => EnvRequest::RtcLivekitGetToken { data: r.data().clone() },
            FromWidgetRequest::RtcLivekitDelegateDelayedLeave(r) => EnvRequest::RtcLivekitDelegateDelayedLeave { data: r.data().clone() },
            FromWidgetRequest::Sticker(r) => EnvRequest::Sticker { data: r.data().clone() },
            FromWidgetRequest::SetAlwaysOnScreen(r) => EnvRequest::SetAlwaysOnScreen { data: r.data().clone() },
            FromWidgetRequest::OpenModal(r) => EnvRequest::OpenModal { data: r.data().clone() },
            FromWidgetRequest::CloseModal(r) => EnvRequest::CloseModal { data: r.data().clone() },
            FromWidgetRequest::SetButtonEnabled(r) => EnvRequest::SetButtonEnabled { data: r.data().clone() },
            // Handled before the permission check, or denied by it.
            FromWidgetRequest::SupportedApiVersions(_)
            | FromWidgetRequest::ContentLoaded(_)
            | FromWidgetRequest::RequestCapabilities(_)
            | FromWidgetRequest::Other(_) => {
                return Err(format!("Unknown or unsupported from-widget action: {}", request.envelope().action()));
            }
        }))
    }

    /// The environment answered a widget request: the reply.
    fn finish(&mut self, now: Millis, id: EnvId, request: FromWidgetRequest, openid_asked: bool, result: Answer, out: &mut Out) {
        let reply = match &request {
            FromWidgetRequest::SendEvent(r) => match result.map(parse::<SendEventResponseData>) {
                Ok(Ok(response)) => {
                    if self.config.delay_ledger {
                        self.ledger.record_response(&response);
                    }
                    r.reply(&response)
                }
                Ok(Err(message)) => {
                    notify(out, Notification::HostError { message: message.clone() });
                    r.reply_error(message)
                }
                Err(error) => r.reply_error(error),
            },
            FromWidgetRequest::UpdateDelayedEvent(r) => {
                if result.is_ok() && self.config.delay_ledger {
                    self.ledger.updated(r.data());
                }
                typed_reply(r, result, out)
            }
            FromWidgetRequest::ReadEvents(r) => match result.map(parse::<ReadEventsResponseData>) {
                Ok(Ok(mut response)) => {
                    let context = self.context();
                    response.events.retain(|e| {
                        let msgtype = e.msgtype();
                        self.permissions.may_return_read_event(&EventView::of(e, msgtype.as_deref()), &context).is_ok()
                    });
                    r.reply(&response)
                }
                Ok(Err(message)) => {
                    notify(out, Notification::HostError { message: message.clone() });
                    r.reply_error(message)
                }
                Err(error) => r.reply_error(error),
            },
            FromWidgetRequest::ReadRelations(r) => match result.map(parse::<ReadRelationsResponseData>) {
                Ok(Ok(mut response)) => {
                    response.chunk.retain(|e| {
                        let msgtype = e.msgtype();
                        self.permissions.may_return_relation(&EventView::of(e, msgtype.as_deref())).is_ok()
                    });
                    r.reply(&response)
                }
                Ok(Err(message)) => {
                    notify(out, Notification::HostError { message: message.clone() });
                    r.reply_error(message)
                }
                Err(error) => r.reply_error(error),
            },
            FromWidgetRequest::GetOpenId(r) => return self.finish_openid(now, id, r, openid_asked, result, out),
            FromWidgetRequest::WatchTurnServers(r) => match result.map(parse::<UpdateTurnServersRequestData>) {
                Ok(Ok(servers)) => {
                    self.watching_turn = true;
                    out.push(Output::ToWidget(r.reply(&Empty::new())));
                    return self.send::<UpdateTurnServers>(now, servers, Purpose::Delivery, out);
                }
                Ok(Err(message)) => {
                    notify(out, Notification::HostError { message: message.clone() });
                    r.reply_error(message)
                }
                Err(error) => r.reply_error(error),
            },
            FromWidgetRequest::UnwatchTurnServers(r) => {
                if result.is_ok() {
                    self.watching_turn = false;
                }
                typed_reply(r, result, out)
            }
            FromWidgetRequest::ReadRoomAccountData(r) => typed_reply(r, result, out),
            FromWidgetRequest::SendToDevice(r) => typed_reply(r, result, out),
            FromWidgetRequest::UserDirectorySearch(r) => typed_reply(r, result, out),
            FromWidgetRequest::GetMediaConfig(r) => typed_reply(r, result, out),
            FromWidgetRequest::UploadFile(r) => typed_reply(r, result, out),
            FromWidgetRequest::DownloadFile(r) => typed_reply(r, result, out),
            FromWidgetRequest::Navigate(r) => typed_reply(r, result, out),
            FromWidgetRequest::GetRtcTransports(r) => typed_reply(r, result, out),
            FromWidgetRequest::RtcLivekitGetToken(r) => typed_reply(r, result, out),
            FromWidgetRequest::RtcLivekitDelegateDelayedLeave(r) => typed_reply(r, result, out),
            FromWidgetRequest::Sticker(r) => typed_reply(r, result, out),
            FromWidgetRequest::SetAlwaysOnScreen(r) => typed_reply(r, result, out),
            FromWidgetRequest::OpenModal(r) => typed_reply(r, result, out),
            FromWidgetRequest::CloseModal(r) => typed_reply(r, result, out),
            FromWidgetRequest::SetButtonEnabled(r) => typed_reply(r, result, out),
            FromWidgetRequest::SupportedApiVersions(r) => typed_reply(r, result, out),
            FromWidgetRequest::ContentLoaded(r) => typed_reply(r, result, out),
            FromWidgetRequest::RequestCapabilities(r) => typed_reply(r, result, out),
            other => other.reply_error(ErrorResponseData::new("Unknown or unsupported from-widget action")),
        };
        out.push(Output::ToWidget(reply));
    }

    /// OpenID: a first answer `allowed` / `blocked` is the reply; `request` is the reply and
    /// keeps `id` open for the user's decision, which goes out as `openid_credentials`.
    fn finish_openid(&mut self, now: Millis, id: EnvId, request: &Request<GetOpenId>, asked: bool, result: Answer, out: &mut Out) {
        let original = request.envelope().request_id().to_owned();
        let decision = match result {
            // An answer of the wrong shape is the host's fault: the application hears of
            // it, as for every other request (and of any failure after asking the user).
            Ok(value) => parse::<GetOpenIdResponseData>(value.clone()).map(|data| (data, value)).map_err(|message| (message, true)),
            Err(error) => Err((error.error.message, asked)),
        };
        let (data, value) = match decision {
            Ok(decision) => decision,
            Err((message, tell)) => {
                if tell {
                    notify(out, Notification::HostError { message: message.clone() });
                }
                if !asked {
                    return out.push(Output::ToWidget(request.reply_error(message)));
                }
                return self.send::<OpenIdCredentials>(now, OpenIdCredentialsRequestData::blocked(original), Purpose::Delivery, out);
            }
        };
        match (data.state, asked) {
            (OpenIdState::Pending, false) => {
                out.push(Output::ToWidget(request.reply(&data)));
                self.widget_pending += 1;
                let pending =
                    EnvPending::Widget { request: Box::new(FromWidgetRequest::GetOpenId(Box::new(request.clone()))), openid_asked: true };
                let deadline = self.env_deadline(now, id);
                self.env.insert(id, EnvEntry { generation: self.generation, pending, deadline });
            }
            (OpenIdState::Pending, true) => {
                notify(out, Notification::HostError { message: "client provided out-of-phase response to OIDC flow".into() });
                self.send::<OpenIdCredentials>(now, OpenIdCredentialsRequestData::blocked(original), Purpose::Delivery, out);
            }
            (OpenIdState::Allowed, _) if data.access_token.is_none() => {
                let message = "client provided invalid OIDC token for an allowed request";
                notify(out, Notification::HostError { message: message.into() });
                if asked {
                    self.send::<OpenIdCredentials>(now, OpenIdCredentialsRequestData::blocked(original), Purpose::Delivery, out);
                } else {
                    out.push(Output::ToWidget(request.reply_error(message)));
                }
            }
            (_, false) => out.push(Output::ToWidget(request.reply(&data))),
            (_, true) => {
                let mut value = value;
                if let Some(object) = value.as_object_mut() {
                    object.insert("original_request_id".into(), serde_json::Value::String(original.clone()));
                }
                let credentials = match parse::<OpenIdCredentialsRequestData>(value) {
                    Ok(credentials) => credentials,
                    Err(message) => {
                        notify(out, Notification::HostError { message });
                        OpenIdCredentialsRequestData::blocked(original)
                    }
                };
                self.send::<OpenIdCredentials>(now, credentials, Purpose::Delivery, out);
            }
        }
    }
}
