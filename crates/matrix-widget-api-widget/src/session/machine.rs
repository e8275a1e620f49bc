//! The engine.

use super::Config;
use super::io::{Answer, AnsweredBy, Input, Millis, Misbehaviour, Notification, Output, SendError};
use matrix_widget_api::from_widget::content_loaded::ContentLoaded;
use matrix_widget_api::from_widget::get_openid::GetOpenId;
use matrix_widget_api::from_widget::read_events::{ReadEvents, ReadEventsRequestData};
use matrix_widget_api::from_widget::request_capabilities::{RequestCapabilities, RequestCapabilitiesRequestData};
use matrix_widget_api::from_widget::send_event::{Delay, SendEvent, SendEventRequestData};
use matrix_widget_api::from_widget::send_to_device::{SendToDevice, SendToDeviceRequestData};
use matrix_widget_api::from_widget::supported_api_versions::{SupportedApiVersions, SupportedApiVersionsResponseData};
use matrix_widget_api::from_widget::unwatch_turn_servers::UnwatchTurnServers;
use matrix_widget_api::from_widget::update_delayed_event::{UpdateAction, UpdateDelayedEvent, UpdateDelayedEventRequestData};
use matrix_widget_api::from_widget::watch_turn_servers::WatchTurnServers;
use matrix_widget_api::naming::{Naming, Spelled, WireName, to_string_with};
use matrix_widget_api::openid::OpenIdState;
use matrix_widget_api::payload::{Empty, RawObject};
use matrix_widget_api::to_widget::capabilities::CapabilitiesResponseData;
use matrix_widget_api::{
    Action, ActionName, Api, ApiVersion, Capability, DecodeError, FromWidgetResponse, HostMessage, Request, ToWidgetRequest, WidgetMessage,
    decode_host, decode_widget,
};
use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};

/// Why the session sent a fromWidget request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Purpose {
    /// The host's versions, asked at start or for the negotiation.
    Versions,
    /// Anything else: the reply goes to the application only.
    Application,
}

#[derive(Clone, Debug)]
struct Pending {
    action: ActionName,
    /// The action string as sent.
    sent: String,
    deadline: Millis,
    purpose: Purpose,
}

/// One widget's conversation with its host, sans I/O; see the [module documentation](super).
#[derive(Debug)]
pub struct WidgetSession {
    config: Config,
    stopped: bool,
    started: bool,
    /// Every capability requested so far, in order, and the same as a set.
    requested: Vec<Spelled<Capability>>,
    requested_set: HashSet<Capability>,
    /// What the host's latest `notify_capabilities` approved, once it sent one.
    approved: Option<Vec<Spelled<Capability>>>,
    approved_set: HashSet<Capability>,
    /// Whether the host's `capabilities` request was answered.
    capabilities_sent: bool,
    ready: bool,
    /// The host's versions, once known (empty when asking failed).
    host_versions: Option<HashSet<ApiVersion>>,
    versions_asked: bool,
    next_id: u64,
    pending: HashMap<String, Pending>,
    /// The pending requests by deadline, so that expiry costs nothing while none is due.
    deadlines: BTreeSet<(Millis, String)>,
    /// Host requests the application answers, by `requestId`.
    application: HashMap<String, ToWidgetRequest>,
    /// The `get_openid` requests the host answered with `request`: their
    /// `openid_credentials` is acknowledged. Oldest first, bounded.
    openid_waiting: VecDeque<String>,
    watching_turn: bool,
    /// What the helpers produced since the last call that returned outputs.
    queued: Vec<Output>,
}

type Out = Vec<Output>;

fn notify(out: &mut Out, notification: Notification) {
    out.push(Output::Notify(notification));
}

fn misbehaved(out: &mut Out, misbehaviour: Misbehaviour) {
    notify(out, Notification::Misbehaved(misbehaviour));
}

/// The reply to `request` with the application's `value` typed as the action's response.
fn typed_reply<A: Action>(request: &Request<A>, value: serde_json::Value) -> Result<String, String> {
    match serde_json::from_value::<A::ResponseData>(value) {
        Ok(response) => Ok(request.reply(&response)),
        Err(e) => Err(format!("the application's answer to `{}` is not its response: {e}", A::NAME)),
    }
}

/// The reply to any toWidget request from the application's successful answer.
fn reply_with(request: &ToWidgetRequest, value: serde_json::Value) -> Result<String, String> {
    match request {
        ToWidgetRequest::SupportedApiVersions(r) => typed_reply(&**r, value),
        ToWidgetRequest::Capabilities(r) => typed_reply(&**r, value),
        ToWidgetRequest::NotifyCapabilities(r) => typed_reply(&**r, value),
        ToWidgetRequest::ThemeChange(r) => typed_reply(&**r, value),
        ToWidgetRequest::LanguageChange(r) => typed_reply(&**r, value),
        ToWidgetRequest::Screenshot(r) => typed_reply(&**r, value),
        ToWidgetRequest::Visibility(r) => typed_reply(&**r, value),
        ToWidgetRequest::OpenIdCredentials(r) => typed_reply(&**r, value),
        ToWidgetRequest::WidgetConfig(r) => typed_reply(&**r, value),
        ToWidgetRequest::CloseModal(r) => typed_reply(&**r, value),
        ToWidgetRequest::ButtonClicked(r) => typed_reply(&**r, value),
        ToWidgetRequest::SendEvent(r) => typed_reply(&**r, value),
        ToWidgetRequest::SendToDevice(r) => typed_reply(&**r, value),
        ToWidgetRequest::UpdateState(r) => typed_reply(&**r, value),
        ToWidgetRequest::UpdateTurnServers(r) => typed_reply(&**r, value),
        ToWidgetRequest::Other(r) => typed_reply(&**r, value),
    }
}

/// The reference `WidgetApi`'s answer to an action nobody handles.
fn unsupported(request: &ToWidgetRequest) -> String {
    request.reply_error(format!("Unknown or unsupported to-widget action: {}", request.envelope().action().as_str()))
}

/// Whether the session always answers `action` itself.
fn session_action(action: &ActionName) -> bool {
    matches!(action, ActionName::Capabilities | ActionName::NotifyCapabilities | ActionName::SupportedApiVersions)
}

impl WidgetSession {
    /// A session for the widget `config` describes; nothing is sent until the first input.
    pub fn new(config: Config) -> Self {
        let mut session = WidgetSession {
            config,
            stopped: false,
            started: false,
            requested: Vec::new(),
            requested_set: HashSet::new(),
            approved: None,
            approved_set: HashSet::new(),
            capabilities_sent: false,
            ready: false,
            host_versions: None,
            versions_asked: false,
            next_id: 0,
            pending: HashMap::new(),
            deadlines: BTreeSet::new(),
            application: HashMap::new(),
            openid_waiting: VecDeque::new(),
            watching_turn: false,
            queued: Vec::new(),
        };
        let initial = std::mem::take(&mut session.config.capabilities);
        session.add_requested(initial.iter().cloned());
        session.config.capabilities = initial;
        session
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Whether negotiation finished (see [`Notification::Ready`]) and the session runs.
    pub fn is_ready(&self) -> bool {
        self.ready && !self.stopped
    }

    /// Whether [`Input::Stop`] was processed.
    pub fn is_stopped(&self) -> bool {
        self.stopped
    }

    /// Every capability requested so far, in the order and spelling requested.
    pub fn requested(&self) -> &[Spelled<Capability>] {
        &self.requested
    }

    /// What the host's latest `notify_capabilities` approved; `None` before it sent one.
    pub fn approved(&self) -> Option<&[Spelled<Capability>]> {
        self.approved.as_deref()
    }

    /// Whether the widget may use `capability`: approved by the host's latest
    /// `notify_capabilities`; requested, when the host is ready without notifying (no
    /// MSC2871); `false` before negotiation. A hashed lookup, in any spelling.
    pub fn has_capability(&self, capability: &Capability) -> bool {
        if self.approved.is_some() { self.approved_set.contains(capability) } else { self.ready && self.requested_set.contains(capability) }
    }

    /// The host's supported API versions, once it said (empty when asking failed).
    pub fn host_versions(&self) -> Option<&HashSet<ApiVersion>> {
        self.host_versions.as_ref()
    }

    /// Whether the host supports `version` (`false` while unknown).
    pub fn host_supports(&self, version: &ApiVersion) -> bool {
        self.host_versions.as_ref().is_some_and(|versions| versions.contains(version))
    }

    /// How many fromWidget requests wait for the host's reply.
    pub fn pending_requests(&self) -> usize {
        self.pending.len()
    }

    /// How many toWidget requests wait for the application's answer.
    pub fn pending_answers(&self) -> usize {
        self.application.len()
    }

    /// The earliest deadline of a waiting request, if any: when to feed [`Input::Tick`].
    pub fn next_deadline(&self) -> Option<Millis> {
        self.deadlines.first().map(|(deadline, _)| *deadline)
    }

    /// The outputs the helpers queued since the last call that returned outputs.
    pub fn take_outputs(&mut self) -> Vec<Output> {
        std::mem::take(&mut self.queued)
    }

    /// Processes one input at time `now`; returns what to do, in order (anything the
    /// helpers queued first).
    pub fn process(&mut self, now: Millis, input: Input) -> Vec<Output> {
        let mut out = std::mem::take(&mut self.queued);
        if self.stopped {
            return out;
        }
        self.expire(now, &mut out);
        match input {
            Input::HostMessage(text) => self.on_host_message(now, &text, &mut out),
            Input::Start => self.start(now, &mut out),
            Input::ContentLoaded => {
                if let Err(error) = self.post::<ContentLoaded>(now, Empty::new(), Purpose::Application, &mut out) {
                    notify(&mut out, Notification::ApplicationError { message: format!("cannot send `content_loaded`: {error}") });
                }
            }
            Input::RequestCapabilities(capabilities) => self.request_more(now, capabilities, &mut out),
            Input::Answer { request_id, result } => self.on_answer(&request_id, result, &mut out),
            Input::Stop => {
                self.stopped = true;
                self.pending.clear();
                self.deadlines.clear();
                self.application.clear();
                self.openid_waiting.clear();
                notify(&mut out, Notification::Closed);
            }
            Input::Tick => {}
        }
        out
    }

    // ---- Helpers: fromWidget requests. Each returns the request ID and queues the message. ----

    /// Sends a request of action `A`, its name in [`Config::naming`]; returns its
    /// `requestId`. The message is queued: [`WidgetSession::take_outputs`] (or the next
    /// [`WidgetSession::process`]) returns it, and the reply comes as [`Output::Replied`].
    pub fn send<A: Action>(&mut self, now: Millis, data: A::RequestData) -> Result<String, SendError> {
        let naming = self.config.naming;
        self.send_with::<A>(now, data, naming)
    }

    /// [`WidgetSession::send`] with the action's name in `naming`.
    pub fn send_with<A: Action>(&mut self, now: Millis, data: A::RequestData, naming: Naming) -> Result<String, SendError> {
        let mut queue = std::mem::take(&mut self.queued);
        self.expire(now, &mut queue);
        let result = self.post_with::<A>(now, data, naming, Purpose::Application, &mut queue);
        self.queued = queue;
        result
    }

    /// Sends a request with the action string `action` exactly as given (any spelling, or
    /// an action this crate does not know) and `data` (a JSON object's text). Refused when
    /// the message would not decode as the host decodes it.
    pub fn send_raw(&mut self, now: Millis, action: &str, data: &str) -> Result<String, SendError> {
        if self.stopped {
            return Err(SendError::Stopped);
        }
        if self.pending.len() >= self.config.max_pending {
            return Err(SendError::TooManyPending);
        }
        let request_id = format!("widget-{}", self.next_id + 1);
        let (widget_id, action_json) = match (serde_json::to_string(&self.config.widget_id), serde_json::to_string(action)) {
            (Ok(w), Ok(a)) => (w, a),
            (Err(e), _) | (_, Err(e)) => return Err(SendError::Invalid(e.to_string())),
        };
        let data = RawObject::from_json(data).map_err(|e| SendError::Invalid(format!("`data` is not a JSON object: {e}")))?;
        let text = format!(
            r#"{{"api":"fromWidget","widgetId":{widget_id},"requestId":"{request_id}","action":{action_json},"data":{}}}"#,
            data.get()
        );
        let name = match decode_host(&text) {
            Ok(HostMessage::Request(request)) => request.envelope().action().value().clone(),
            Ok(HostMessage::Response(_)) => return Err(SendError::Invalid("not a request".into())),
            Err(error) => return Err(SendError::Invalid(error.to_string())),
        };
        let mut queue = std::mem::take(&mut self.queued);
        self.expire(now, &mut queue);
        self.register(now, request_id.clone(), (name, action.to_owned()), text, Purpose::Application, &mut queue);
        self.queued = queue;
        Ok(request_id)
    }

    /// Sends an event (`send_event`): a room or state event, delayed (`with_delay`,
    /// MSC4157) or sticky (`with_sticky_duration`, MSC4354) as `data` says. The reply's
    /// `event_id` or `delay_id` comes with [`Output::Replied`].
    pub fn send_event(&mut self, now: Millis, data: SendEventRequestData) -> Result<String, SendError> {
        self.send::<SendEvent>(now, data)
    }

    /// Schedules a state event the homeserver sends after `delay` unless restarted,
    /// cancelled or sent (MSC4157): Element Call's delayed leave. Needs the state
    /// event's send capability **and** `org.matrix.msc4157.send.delayed_event`.
    pub fn send_delayed_state_event(
        &mut self,
        now: Millis,
        event_type: &str,
        state_key: &str,
        content: RawObject,
        delay: Delay,
    ) -> Result<String, SendError> {
        let data = SendEventRequestData::new(event_type, content).with_state_key(state_key).with_delay(delay);
        self.send_event(now, data)
    }

    /// Updates a delayed event (`update_delayed_event`, MSC4157), its name in
    /// [`Config::naming`]. Needs `org.matrix.msc4157.update_delayed_event`.
    pub fn update_delayed_event(&mut self, now: Millis, delay_id: &str, action: UpdateAction) -> Result<String, SendError> {
        self.send::<UpdateDelayedEvent>(now, UpdateDelayedEventRequestData::new(delay_id, action))
    }

    /// Restarts a delayed event's timer (a heartbeat).
    pub fn restart_delayed_event(&mut self, now: Millis, delay_id: &str) -> Result<String, SendError> {
        self.update_delayed_event(now, delay_id, UpdateAction::Restart)
    }

    /// Cancels a delayed event: it will never be sent.
    pub fn cancel_delayed_event(&mut self, now: Millis, delay_id: &str) -> Result<String, SendError> {
        self.update_delayed_event(now, delay_id, UpdateAction::Cancel)
    }

    /// Sends a delayed event now (hangup).
    pub fn send_delayed_event(&mut self, now: Millis, delay_id: &str) -> Result<String, SendError> {
        self.update_delayed_event(now, delay_id, UpdateAction::Send)
    }

    /// Reads room events or state (`read_events`, MSC2876).
    pub fn read_events(&mut self, now: Millis, data: ReadEventsRequestData) -> Result<String, SendError> {
        self.send::<ReadEvents>(now, data)
    }

    /// Sends to-device messages (`send_to_device`, MSC3819).
    pub fn send_to_device(&mut self, now: Millis, data: SendToDeviceRequestData) -> Result<String, SendError> {
        self.send::<SendToDevice>(now, data)
    }

    /// Asks for an OpenID token (`get_openid`). When the host answers `request` (it asks
    /// the user), the decision follows as a toWidget `openid_credentials`, which the
    /// session acknowledges and hands to the application.
    pub fn get_openid(&mut self, now: Millis) -> Result<String, SendError> {
        self.send::<GetOpenId>(now, Empty::new())
    }

    /// Starts watching TURN servers (MSC3846): `update_turn_servers` requests are then
    /// acknowledged and handed to the application.
    pub fn watch_turn_servers(&mut self, now: Millis) -> Result<String, SendError> {
        self.send::<WatchTurnServers>(now, Empty::new())
    }

    /// Stops watching TURN servers.
    pub fn unwatch_turn_servers(&mut self, now: Millis) -> Result<String, SendError> {
        self.send::<UnwatchTurnServers>(now, Empty::new())
    }

    /// Asks the host's supported versions (the reply also updates
    /// [`WidgetSession::host_versions`]).
    pub fn supported_api_versions(&mut self, now: Millis) -> Result<String, SendError> {
        let mut queue = std::mem::take(&mut self.queued);
        self.expire(now, &mut queue);
        self.versions_asked = true;
        let naming = self.config.naming;
        let result = self.post_with::<SupportedApiVersions>(now, Empty::new(), naming, Purpose::Versions, &mut queue);
        self.queued = queue;
        result
    }

    /// Asks for more capabilities (MSC2974): see [`Input::RequestCapabilities`]. Returns
    /// the `request_capabilities` request's ID when one was sent.
    pub fn request_capabilities(
        &mut self,
        now: Millis,
        capabilities: impl IntoIterator<Item = Spelled<Capability>>,
    ) -> Result<Option<String>, SendError> {
        let mut queue = std::mem::take(&mut self.queued);
        self.expire(now, &mut queue);
        let result = self.request_more_inner(now, capabilities.into_iter().collect(), &mut queue);
        self.queued = queue;
        result
    }

    // ---- Sending ----

    fn post<A: Action>(&mut self, now: Millis, data: A::RequestData, purpose: Purpose, out: &mut Out) -> Result<String, SendError> {
        let naming = self.config.naming;
        self.post_with::<A>(now, data, naming, purpose, out)
    }

    fn post_with<A: Action>(
        &mut self,
        now: Millis,
        data: A::RequestData,
        naming: Naming,
        purpose: Purpose,
        out: &mut Out,
    ) -> Result<String, SendError> {
        if self.stopped {
            return Err(SendError::Stopped);
        }
        if self.pending.len() >= self.config.max_pending {
            return Err(SendError::TooManyPending);
        }
        let request_id = format!("widget-{}", self.next_id + 1);
        let request = Request::<A>::new(self.config.widget_id.as_str(), request_id.as_str(), data)?;
        let text = to_string_with(&request, naming).map_err(|e| SendError::Invalid(e.to_string()))?;
        let sent = A::NAME.name(naming).into_owned();
        self.register(now, request_id.clone(), (A::NAME, sent), text, purpose, out);
        Ok(request_id)
    }

    /// Records a request sent as `text` (`action`: its name and the string sent).
    fn register(&mut self, now: Millis, request_id: String, action: (ActionName, String), text: String, purpose: Purpose, out: &mut Out) {
        let (action, sent) = action;
        // The reference listens for TURN servers from the moment it asks for them.
        match action {
            ActionName::WatchTurnServers => self.watching_turn = true,
            ActionName::UnwatchTurnServers => self.watching_turn = false,
            _ => {}
        }
        self.next_id += 1;
        let deadline = now.plus(self.config.timeout);
        self.deadlines.insert((deadline, request_id.clone()));
        self.pending.insert(request_id, Pending { action, sent, deadline, purpose });
        out.push(Output::ToHost(text));
    }

    fn take_pending(&mut self, request_id: &str) -> Option<Pending> {
        let pending = self.pending.remove(request_id)?;
        self.deadlines.remove(&(pending.deadline, request_id.to_owned()));
        Some(pending)
    }

    /// Forgets the requests whose deadline passed.
    fn expire(&mut self, now: Millis, out: &mut Out) {
        while let Some((deadline, request_id)) = self.deadlines.first().cloned() {
            if deadline > now {
                break;
            }
            self.deadlines.pop_first();
            let Some(pending) = self.pending.remove(&request_id) else { continue };
            notify(out, Notification::TimedOut { action: pending.sent, request_id });
            if pending.purpose == Purpose::Versions {
                self.versions_known(HashSet::new(), out);
            }
        }
    }

    fn start(&mut self, now: Millis, out: &mut Out) {
        if self.started {
            return;
        }
        self.started = true;
        self.ask_versions(now, out);
        if !self.config.wait_for_iframe_load
            && let Err(error) = self.post::<ContentLoaded>(now, Empty::new(), Purpose::Application, out)
        {
            notify(out, Notification::ApplicationError { message: format!("cannot send `content_loaded`: {error}") });
        }
    }

    fn ask_versions(&mut self, now: Millis, out: &mut Out) {
        if self.versions_asked || self.host_versions.is_some() {
            return;
        }
        self.versions_asked = true;
        if let Err(error) = self.post::<SupportedApiVersions>(now, Empty::new(), Purpose::Versions, out) {
            notify(out, Notification::ApplicationError { message: format!("cannot ask the host's versions: {error}") });
            self.versions_known(HashSet::new(), out);
        }
    }

    fn versions_known(&mut self, versions: HashSet<ApiVersion>, out: &mut Out) {
        let notifies = versions.contains(&ApiVersion::Msc2871);
        self.host_versions = Some(versions);
        if self.capabilities_sent && !self.ready && !notifies {
            self.ready = true;
            notify(out, Notification::Ready);
        }
    }

    fn add_requested(&mut self, capabilities: impl IntoIterator<Item = Spelled<Capability>>) -> bool {
        let mut added = false;
        for capability in capabilities {
            if self.requested_set.insert(capability.value().clone()) {
                self.requested.push(capability);
                added = true;
            }
        }
        added
    }

    fn request_more(&mut self, now: Millis, capabilities: Vec<Spelled<Capability>>, out: &mut Out) {
        if let Err(error) = self.request_more_inner(now, capabilities, out) {
            notify(out, Notification::ApplicationError { message: format!("cannot send `request_capabilities`: {error}") });
        }
    }

    fn request_more_inner(
        &mut self,
        now: Millis,
        capabilities: Vec<Spelled<Capability>>,
        out: &mut Out,
    ) -> Result<Option<String>, SendError> {
        if self.stopped {
            return Err(SendError::Stopped);
        }
        self.add_requested(capabilities);
        if !self.capabilities_sent {
            return Ok(None);
        }
        let mut data = RequestCapabilitiesRequestData::new(std::iter::empty());
        data.capabilities = self.requested.clone();
        self.post::<RequestCapabilities>(now, data, Purpose::Application, out).map(Some)
    }

    // ---- Messages from the host ----

    fn on_host_message(&mut self, now: Millis, text: &str, out: &mut Out) {
        let message = match decode_widget(text) {
            Ok(message) => message,
            Err(error) => return self.on_decode_error(&error, out),
        };
        let widget_id = message.envelope().widget_id();
        if widget_id != self.config.widget_id {
            return misbehaved(out, Misbehaviour::ForeignWidgetId { widget_id: widget_id.to_owned() });
        }
        match message {
            WidgetMessage::Request(request) => self.on_request(now, request, out),
            WidgetMessage::Response(response) => self.on_reply(response, out),
        }
    }

    fn on_decode_error(&mut self, error: &DecodeError, out: &mut Out) {
        let Some(envelope) = error.envelope() else {
            return misbehaved(out, Misbehaviour::Malformed { reason: error.to_string() });
        };
        if envelope.widget_id() != self.config.widget_id {
            return misbehaved(out, Misbehaviour::ForeignWidgetId { widget_id: envelope.widget_id().to_owned() });
        }
        let request_id = envelope.request_id().to_owned();
        match (envelope.api(), error.error_reply()) {
            // A toWidget request with bad data: answered with the error, once.
            (Api::ToWidget, Some(reply)) => {
                if self.application.contains_key(&request_id) {
                    return misbehaved(out, Misbehaviour::DuplicateRequest { request_id });
                }
                misbehaved(out, Misbehaviour::Invalid { reason: error.to_string() });
                out.push(Output::ToHost(reply));
            }
            // A reply to one of ours that does not decode: that request failed.
            (Api::FromWidget, None) => {
                let matches = self.pending.get(&request_id).is_some_and(|p| p.action == *envelope.action().value());
                if !matches {
                    return misbehaved(out, Misbehaviour::Malformed { reason: error.to_string() });
                }
                let Some(pending) = self.take_pending(&request_id) else { return };
                notify(out, Notification::InvalidReply { action: pending.sent, request_id, reason: error.to_string() });
                if pending.purpose == Purpose::Versions {
                    self.versions_known(HashSet::new(), out);
                }
            }
            // A message that cannot reach a widget.
            _ => misbehaved(out, Misbehaviour::Malformed { reason: error.to_string() }),
        }
    }

    fn on_reply(&mut self, response: FromWidgetResponse, out: &mut Out) {
        let envelope = response.envelope();
        let request_id = envelope.request_id().to_owned();
        let Some(pending) = self.pending.get(&request_id) else {
            return misbehaved(out, Misbehaviour::UnexpectedReply { request_id });
        };
        if *envelope.action().value() != pending.action {
            let expected = pending.sent.clone();
            return misbehaved(out, Misbehaviour::WrongAction { request_id, expected, found: envelope.action().to_string() });
        }
        let Some(pending) = self.take_pending(&request_id) else { return };
        let mut versions = None;
        match &response {
            // The versions asked by the session, or any successful answer, are the host's.
            FromWidgetResponse::SupportedApiVersions(reply) if pending.purpose == Purpose::Versions || reply.result().is_ok() => {
                versions = Some(match reply.result() {
                    Ok(data) => data.supported_versions.iter().map(|v| v.value().clone()).collect(),
                    Err(_) => HashSet::new(),
                });
            }
            FromWidgetResponse::GetOpenId(reply) => {
                if matches!(reply.result(), Ok(data) if data.state == OpenIdState::Pending) {
                    if self.openid_waiting.len() >= self.config.max_pending.max(1) {
                        self.openid_waiting.pop_front();
                    }
                    self.openid_waiting.push_back(request_id);
                }
            }
            FromWidgetResponse::WatchTurnServers(reply) if reply.is_error() => self.watching_turn = false,
            _ => {}
        }
        // The reply first, then what it made happen (ready).
        out.push(Output::Replied(Box::new(response)));
        if let Some(versions) = versions {
            self.versions_known(versions, out);
        }
    }

    fn on_request(&mut self, now: Millis, request: ToWidgetRequest, out: &mut Out) {
        let request_id = request.envelope().request_id().to_owned();
        if self.application.contains_key(&request_id) {
            return misbehaved(out, Misbehaviour::DuplicateRequest { request_id });
        }
        let action = request.envelope().action().value().clone();
        if self.config.handle.contains(&action) && !session_action(&action) {
            if self.application.len() < self.config.max_pending {
                self.application.insert(request_id, request.clone());
                out.push(Output::Received { request: Box::new(request), by: AnsweredBy::Application });
                return;
            }
            notify(
                out,
                Notification::ApplicationError {
                    message: format!("too many host requests wait for the application: `{request_id}` gets the default answer"),
                },
            );
        }
        let reply = self.default_reply(&request);
        let is_capabilities = matches!(request, ToWidgetRequest::Capabilities(_)) && !self.capabilities_sent;
        let notified = match &request {
            ToWidgetRequest::NotifyCapabilities(r) => Some((r.data().requested.len(), r.data().approved.clone())),
            _ => None,
        };
        out.push(Output::Received { request: Box::new(request), by: AnsweredBy::Session });
        out.push(Output::ToHost(reply));
        if is_capabilities {
            self.capabilities_sent = true;
            match &self.host_versions {
                Some(versions) if !versions.contains(&ApiVersion::Msc2871) => {
                    self.ready = true;
                    notify(out, Notification::Ready);
                }
                Some(_) => {}
                None => self.ask_versions(now, out),
            }
        }
        if let Some((requested, approved)) = notified {
            self.approved_set = approved.iter().map(|c| c.value().clone()).collect();
            notify(out, Notification::Capabilities { requested, approved: approved.len() });
            self.approved = Some(approved);
            if !self.ready {
                self.ready = true;
                notify(out, Notification::Ready);
            }
        }
    }

    /// The session's answer to a request the application does not handle.
    fn default_reply(&mut self, request: &ToWidgetRequest) -> String {
        let acknowledge = || request.acknowledge().unwrap_or_else(|| unsupported(request));
        match request {
            ToWidgetRequest::SupportedApiVersions(r) => {
                r.reply(&SupportedApiVersionsResponseData::new(ApiVersion::CURRENT.iter().cloned()))
            }
            ToWidgetRequest::Capabilities(r) => {
                if self.capabilities_sent {
                    r.reply_error("Capability negotiation already completed")
                } else {
                    let mut data = CapabilitiesResponseData::new(std::iter::empty());
                    data.capabilities = self.requested.clone();
                    r.reply(&data)
                }
            }
            ToWidgetRequest::NotifyCapabilities(r) => r.reply(&Empty::new()),
            ToWidgetRequest::Visibility(r) => r.reply(&Empty::new()),
            ToWidgetRequest::OpenIdCredentials(r) => {
                let original = &r.data().original_request_id;
                match self.openid_waiting.iter().position(|id| id == original) {
                    Some(at) => {
                        self.openid_waiting.remove(at);
                        r.reply(&Empty::new())
                    }
                    None if self.config.acknowledge.contains(&ActionName::OpenIdCredentials) => r.reply(&Empty::new()),
                    None => unsupported(request),
                }
            }
            ToWidgetRequest::UpdateTurnServers(r) if self.watching_turn => r.reply(&Empty::new()),
            _ if self.config.acknowledge.contains(request.envelope().action().value()) => acknowledge(),
            _ => unsupported(request),
        }
    }

    // ---- The application's answers ----

    fn on_answer(&mut self, request_id: &str, result: Answer, out: &mut Out) {
        let Some(request) = self.application.remove(request_id) else {
            return notify(
                out,
                Notification::ApplicationError { message: format!("an answer to host request `{request_id}`, which is not waiting") },
            );
        };
        let reply = match result {
            Err(error) => request.reply_error(error),
            Ok(value) => match reply_with(&request, value) {
                Ok(reply) => reply,
                Err(message) => {
                    notify(out, Notification::ApplicationError { message: message.clone() });
                    request.reply_error(message)
                }
            },
        };
        out.push(Output::ToHost(reply));
    }
}
