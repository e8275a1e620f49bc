//! The widget session: a sans-IO engine that runs a widget's whole conversation with its
//! host.
//!
//! A [`WidgetSession`] holds one widget's side of the conversation (what it requests, what
//! is approved, the host's versions, its requests waiting for replies, the host's requests
//! waiting for the application's answer) and does no I/O: it has no clock, timer, thread
//! or runtime. The widget feeds it [`Input`]s with the current time, calls its helpers to
//! send requests, and carries out the [`Output`]s:
//!
//! - [`Output::ToHost`]: post the text to the host (`window.parent.postMessage`);
//! - [`Output::Received`]: a toWidget request (a pushed event, a state update, a theme
//!   change, …), typed; when [`AnsweredBy::Application`], answer it with
//!   [`Input::Answer`] and its `requestId`;
//! - [`Output::Replied`]: the host's reply to one of the widget's requests, typed;
//! - [`Output::Notify`]: tell the application.
//!
//! It is the mirror of `matrix_widget_api_host::session::HostSession`; the behaviour is
//! matrix-widget-api 1.19's `WidgetApi` (with its `PostmessageTransport`) with these
//! session decisions:
//!
//! 1. **Start.** [`Input::Start`] is the reference's `start()`: the session asks the host's
//!    `supported_api_versions`, and, when [`Config::wait_for_iframe_load`] is `false`, sends
//!    `content_loaded` (the reference's `sendContentLoaded()`). Messages from the host are
//!    processed before it too.
//! 2. **Negotiation.** The host's `capabilities` request is answered at once with every
//!    capability requested so far ([`Config::capabilities`], then [`Input::RequestCapabilities`]),
//!    in the application's spelling; a second one gets the reference's error "Capability
//!    negotiation already completed". The host's `notify_capabilities` is acknowledged
//!    with `{}` and its `approved` list becomes [`WidgetSession::approved`] — on every
//!    notification, so an MSC2974 renegotiation updates it too (the reference reads only
//!    the first one). [`Notification::Ready`] comes with the first notification, or, for a
//!    host that does not list `org.matrix.msc2871` in its versions, right after the
//!    capabilities were sent (the reference's two paths; the reference waits for the
//!    host's versions before it answers `capabilities`, this session does not need to).
//! 3. **Has capability.** [`WidgetSession::has_capability`] looks the capability up in a
//!    hashed set: the approved ones once the host said which; the requested ones when the
//!    host never will (no MSC2871), as the reference; nothing before negotiation.
//! 4. **Requests to the host** get IDs `widget-1`, `widget-2`, …, are written in
//!    [`Config::naming`] (unstable names by default, what deployed hosts understand; a
//!    request sent with [`WidgetSession::send_raw`] keeps its action string verbatim), time
//!    out after [`Config::timeout`] (10 s, like the reference) on the next input at or after
//!    the deadline ([`Input::Tick`] exists for this), and a reply is matched by
//!    `requestId` **and** action. At most [`Config::max_pending`] wait at once.
//! 5. **Requests from the host** are each handed to the application
//!    ([`Output::Received`]) and answered exactly once. The session answers
//!    `capabilities`, `notify_capabilities` and `supported_api_versions` itself (the
//!    latter with [`ApiVersion::CURRENT`]); the application answers the actions it named
//!    in [`Config::handle`]; every other one gets what the reference `WidgetApi` sends
//!    when no listener prevents its default: `{}` for `visibility`, for `openid_credentials`
//!    completing the widget's pending `get_openid`, and for `update_turn_servers` while the
//!    widget watches TURN servers (the listeners the reference installs itself); `{}` for
//!    the actions named in [`Config::acknowledge`]; and otherwise the reference's error
//!    `Unknown or unsupported to-widget action: <action>`. A request carrying the
//!    `requestId` of one the application is still answering is ignored and reported
//!    ([`Misbehaviour::DuplicateRequest`]); an [`Input::Answer`] for no waiting request is
//!    reported, never posted.
//! 6. **Identity.** Messages whose `widgetId` is not [`Config::widget_id`], and messages
//!    that cannot reach a widget (fromWidget requests, toWidget replies), are ignored and
//!    reported ([`Misbehaviour`]); the reference ignores them silently.
//! 7. **Bounded.** At most [`Config::max_pending`] requests wait for the host, and as many
//!    for the application (beyond that a host request gets the default answer and a
//!    [`Notification::ApplicationError`]); capability sets are hashed, so a negotiation
//!    costs time linear in its size.
//!
//! ```
//! use matrix_widget_api::naming::Spelled;
//! use matrix_widget_api::Capability;
//! use matrix_widget_api_widget::session::{Config, Input, Millis, Notification, Output, WidgetSession};
//!
//! let navigate: Spelled<Capability> = Spelled::parse("org.matrix.msc2931.navigate")?;
//! let mut session = WidgetSession::new(Config::new("w1").capabilities([navigate.clone()]));
//! let now = Millis(0);
//!
//! // The host asks for capabilities; the session answers with what the widget wants.
//! let ask = r#"{"api":"toWidget","widgetId":"w1","requestId":"h1","action":"capabilities","data":{}}"#;
//! let out = session.process(now, Input::HostMessage(ask.into()));
//! let reply = out.iter().find_map(|o| match o { Output::ToHost(text) => Some(text), _ => None }).unwrap();
//! assert!(reply.ends_with(r#""response":{"capabilities":["org.matrix.msc2931.navigate"]}}"#), "{reply}");
//!
//! // The host says what it approved: the session acknowledges and is ready.
//! let notify = r#"{"api":"toWidget","widgetId":"w1","requestId":"h2","action":"notify_capabilities","data":{"requested":["org.matrix.msc2931.navigate"],"approved":["org.matrix.msc2931.navigate"]}}"#;
//! let out = session.process(now, Input::HostMessage(notify.into()));
//! assert!(out.iter().any(|o| matches!(o, Output::Notify(Notification::Ready))));
//! assert!(session.has_capability(navigate.value()));
//! # Ok::<(), matrix_widget_api::naming::NameError>(())
//! ```
//!
//! # Driving a session from an event loop
//!
//! The session is a value: one task owns it, feeds it what the host posts, and wakes up at
//! [`WidgetSession::next_deadline`] to feed [`Input::Tick`] (with an async runtime, a select
//! over a channel and a sleep; the library needs no runtime).
//!
//! ```
//! use matrix_widget_api_widget::session::{Config, Input, Millis, Notification, Output, WidgetSession};
//! use std::sync::mpsc;
//! use std::time::{Duration, Instant};
//!
//! let (from_host, received) = mpsc::channel::<String>();
//! let (outputs, posted) = mpsc::channel::<Output>();
//! let driver = std::thread::spawn(move || {
//!     let mut session = WidgetSession::new(Config::new("w1").timeout(Millis(50)));
//!     let origin = Instant::now();
//!     let mut input = Input::Start;
//!     loop {
//!         for output in session.process(Millis::since(origin, Instant::now()), input) {
//!             let _ = outputs.send(output);
//!         }
//!         let now = Millis::since(origin, Instant::now());
//!         let wait = session.next_deadline().map(|d| Duration::from_millis(d.0.saturating_sub(now.0)));
//!         input = match wait.map(|w| received.recv_timeout(w)) {
//!             Some(Ok(text)) => Input::HostMessage(text),
//!             Some(Err(mpsc::RecvTimeoutError::Timeout)) => Input::Tick,
//!             None if session.is_ready() => break,
//!             None => match received.recv() {
//!                 Ok(text) => Input::HostMessage(text),
//!                 Err(_) => break,
//!             },
//!             Some(Err(mpsc::RecvTimeoutError::Disconnected)) => break,
//!         };
//!     }
//! });
//!
//! // The host asks for capabilities and never answers the widget's versions request: after
//! // 50 ms the session takes it to support none, and is ready.
//! from_host.send(r#"{"api":"toWidget","widgetId":"w1","requestId":"h1","action":"capabilities","data":{}}"#.into())?;
//! driver.join().expect("the driver thread ends");
//! let seen: Vec<Output> = posted.try_iter().collect();
//! assert!(seen.iter().any(|o| matches!(o, Output::Notify(Notification::TimedOut { .. }))));
//! assert!(seen.iter().any(|o| matches!(o, Output::Notify(Notification::Ready))));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Element Call's membership, in a few lines
//!
//! Negotiate, schedule the delayed leave (an empty membership the homeserver sends if the
//! widget goes silent), restart it with heartbeats, send it on hangup. Here a function
//! plays the host and answers every request at once.
//!
//! ```
//! use matrix_widget_api::from_widget::send_event::{Delay, SendEventResponseData};
//! use matrix_widget_api::from_widget::supported_api_versions::SupportedApiVersionsResponseData;
//! use matrix_widget_api::naming::Spelled;
//! use matrix_widget_api::payload::RawObject;
//! use matrix_widget_api::{ApiVersion, FromWidgetRequest, FromWidgetResponse, HostMessage, decode_host};
//! use matrix_widget_api_widget::session::{Config, Input, Millis, Output, WidgetSession};
//!
//! /// The host: an old one (API 0.0.2, so no `notify_capabilities`) that schedules delayed
//! /// sends as `syd_leave` and acknowledges the rest.
//! fn host(text: &str) -> Option<String> {
//!     match decode_host(text).ok()? {
//!         HostMessage::Request(FromWidgetRequest::SendEvent(r)) => Some(r.reply(&SendEventResponseData::scheduled("!call:example.org", "syd_leave"))),
//!         HostMessage::Request(FromWidgetRequest::SupportedApiVersions(r)) => Some(r.reply(&SupportedApiVersionsResponseData::new([ApiVersion::Prerelease2]))),
//!         HostMessage::Request(other) => other.acknowledge(),
//!         HostMessage::Response(_) => None,
//!     }
//! }
//! /// Posts `outputs`' messages to the host; returns the typed replies.
//! fn exchange(session: &mut WidgetSession, now: Millis, outputs: Vec<Output>) -> Vec<FromWidgetResponse> {
//!     let mut replies = Vec::new();
//!     for output in outputs {
//!         let Output::ToHost(text) = output else { continue };
//!         for output in session.process(now, Input::HostMessage(host(&text).unwrap_or_default())) {
//!             if let Output::Replied(reply) = output { replies.push(*reply) }
//!         }
//!     }
//!     replies
//! }
//!
//! let caps = ["org.matrix.msc2762.send.state_event:org.matrix.msc3401.call.member#_@a:example.org_DEV",
//!     "org.matrix.msc4157.send.delayed_event", "org.matrix.msc4157.update_delayed_event"];
//! let caps = caps.iter().map(|c| Spelled::parse(c)).collect::<Result<Vec<_>, _>>()?;
//! let mut session = WidgetSession::new(Config::new("call").capabilities(caps));
//! // Negotiation: the host asks; the session answers and asks the host's versions.
//! let ask = r#"{"api":"toWidget","widgetId":"call","requestId":"h0","action":"capabilities","data":{}}"#;
//! let out = session.process(Millis(0), Input::HostMessage(ask.into()));
//! exchange(&mut session, Millis(0), out);
//! assert!(session.is_ready()); // no notification will come from this host
//!
//! // 1. Join: schedule the leave, sent by the homeserver in 10 s unless restarted.
//! let leave = RawObject::empty();
//! session.send_delayed_state_event(Millis(0), "org.matrix.msc3401.call.member", "_@a:example.org_DEV", leave, Delay::from_millis(10_000)?)?;
//! let out = session.take_outputs();
//! let Some(FromWidgetResponse::SendEvent(scheduled)) = exchange(&mut session, Millis(0), out).pop() else { panic!() };
//! let delay_id = scheduled.result().as_ref().map_err(|e| e.error.message.clone())?.delay_id().unwrap_or_default().to_owned();
//!
//! // 2. Heartbeats while in the call; 3. hangup sends the leave now.
//! for beat in 1..=3 {
//!     session.restart_delayed_event(Millis(beat * 5_000), &delay_id)?;
//!     let out = session.take_outputs();
//!     assert!(exchange(&mut session, Millis(beat * 5_000), out).iter().all(|r| !r.is_error()));
//! }
//! session.send_delayed_event(Millis(20_000), &delay_id)?;
//! let out = session.take_outputs();
//! let sent = exchange(&mut session, Millis(20_000), out);
//! assert!(matches!(&sent[..], [FromWidgetResponse::UpdateDelayedEvent(r)] if r.result().is_ok()));
//! assert_eq!(session.pending_requests(), 0);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod io;
mod machine;

pub use io::{Answer, AnsweredBy, Input, Millis, Misbehaviour, Notification, Output, SendError};
pub use machine::WidgetSession;

use matrix_widget_api::naming::{Naming, Spelled};
use matrix_widget_api::{ActionName, Capability};
use std::collections::HashSet;

#[cfg(doc)]
use matrix_widget_api::ApiVersion;

/// What the session needs to know about the widget and the application's choices.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Config {
    /// The widget's ID (the `widgetId` the host gave it): messages naming another are ignored.
    pub widget_id: String,
    /// The capabilities the widget requests when the host asks, in the spellings to send.
    pub capabilities: Vec<Spelled<Capability>>,
    /// Whether the host waits for the iframe's `load` event (matrix-widget-api's
    /// `waitForIframeLoad`, `true` by default). When `false`, [`Input::Start`] sends
    /// `content_loaded`.
    pub wait_for_iframe_load: bool,
    /// The spelling of the action names the helpers write (and of the capabilities in
    /// `request_capabilities`). Unstable by default: what deployed hosts understand.
    pub naming: Naming,
    /// How long the host has to reply to a fromWidget request. 10 s by default.
    pub timeout: Millis,
    /// How many fromWidget requests may wait for the host at once, and how many toWidget
    /// requests for the application's answer. 64 by default.
    pub max_pending: usize,
    /// The toWidget actions the application answers itself ([`Input::Answer`]).
    /// `capabilities`, `notify_capabilities` and `supported_api_versions` are always the
    /// session's.
    pub handle: HashSet<ActionName>,
    /// The toWidget actions the session acknowledges with `{}` (after handing them to the
    /// application), such as pushed `send_event`, `update_state` and `send_to_device` for a
    /// widget that only listens, as matrix-js-sdk's `RoomWidgetClient` does. An action whose
    /// success response is not `{}` (`screenshot`) gets the default error instead.
    pub acknowledge: HashSet<ActionName>,
}

impl Config {
    /// The defaults for the widget `widget_id`: no capabilities, waits for the iframe load,
    /// unstable names, 10 s timeout, every host request answered by the session.
    pub fn new(widget_id: impl Into<String>) -> Self {
        Config {
            widget_id: widget_id.into(),
            capabilities: Vec::new(),
            wait_for_iframe_load: true,
            naming: Naming::Unstable,
            timeout: Millis(10_000),
            max_pending: 64,
            handle: HashSet::new(),
            acknowledge: HashSet::new(),
        }
    }

    /// [`Config::capabilities`].
    pub fn capabilities(self, capabilities: impl IntoIterator<Item = Spelled<Capability>>) -> Self {
        Config { capabilities: capabilities.into_iter().collect(), ..self }
    }

    /// [`Config::wait_for_iframe_load`].
    pub fn wait_for_iframe_load(self, wait: bool) -> Self {
        Config { wait_for_iframe_load: wait, ..self }
    }

    /// [`Config::naming`].
    pub fn naming(self, naming: Naming) -> Self {
        Config { naming, ..self }
    }

    /// [`Config::timeout`].
    pub fn timeout(self, timeout: Millis) -> Self {
        Config { timeout, ..self }
    }

    /// [`Config::max_pending`].
    pub fn max_pending(self, max: usize) -> Self {
        Config { max_pending: max, ..self }
    }

    /// Adds `action` to [`Config::handle`].
    pub fn handle(mut self, action: ActionName) -> Self {
        self.handle.insert(action);
        self
    }

    /// Adds `action` to [`Config::acknowledge`].
    pub fn acknowledge(mut self, action: ActionName) -> Self {
        self.acknowledge.insert(action);
        self
    }
}
