//! The host session: a sans-IO engine that runs a whole widget conversation.
//!
//! A [`HostSession`] holds one widget's state (negotiation, pending requests in both
//! directions, the delay ledger) and does no I/O: it has no clock, timer, thread or
//! runtime. The host feeds it [`Input`]s with the current time and carries out the
//! [`Output`]s it returns:
//!
//! - [`Output::ToWidget`]: post the text to the widget's iframe;
//! - [`Output::Environment`]: do what the [`EnvRequest`] says (ask the user, call the
//!   homeserver — for delayed events, [`delayed_events`](crate::delayed_events) builds the
//!   HTTP requests) and feed the result back as [`Input::EnvironmentAnswer`] with the same
//!   [`EnvId`], whenever it is ready (answers may come in any order);
//! - [`Output::Notify`]: tell the application.
//!
//! The shape is matrix-rust-sdk's private `WidgetMachine` (`process(event) -> Vec<Action>`),
//! made public; the behaviour is matrix-widget-api 1.19's `ClientWidgetApi` with the wire
//! decisions, the permission engine's documented deviations and these session decisions:
//!
//! 1. **Start.** [`StartMode::IframeLoad`] (`waitForIframeLoad: true`, the default) asks for
//!    capabilities on [`Input::IframeLoaded`]; `content_loaded` is then answered with the
//!    reference's "Improper sequence" error. [`StartMode::ContentLoaded`] answers the first
//!    `content_loaded` with `{}` and asks then; a second one gets the error (the reference
//!    throws and never answers). The first [`Input::IframeLoaded`] may come before or after
//!    `content_loaded`; a later one is a reloaded widget: negotiation starts over (and
//!    [`Notification::Ready`] is said again), pending toWidget requests are forgotten, and
//!    answers to environment requests made for the old document are dropped. The delay
//!    ledger is kept: the delays are still the user's.
//! 2. **Requests before or during negotiation** are judged against what is approved at
//!    that moment (nothing, at first), so every request is answered at once and a widget
//!    never waits on a silent host; those needing no capability (`supported_api_versions`,
//!    `content_loaded`, `get_openid`, `request_capabilities`, …) work at any time. The
//!    reference answers some of them and leaves others hanging.
//! 3. **Negotiation.** The widget's `capabilities` answer goes through
//!    [`Negotiation::request`]; only capabilities that are known and not yet approved reach
//!    [`EnvRequest::ApproveCapabilities`]; the widget then gets `notify_capabilities` with the
//!    cumulative `requested` and `approved` lists (wire decision 18), and the application
//!    [`Notification::CapabilitiesChanged`] (and [`Notification::Ready`] the first time).
//!    When the policy fails (an error answer) nothing new is approved, and when the widget
//!    fails to answer `capabilities` (error or timeout) it is taken to request nothing:
//!    either way the widget is still notified, so the session always reaches *ready* (the
//!    reference stops in `error:preparing` and the widget waits forever). MSC2974
//!    `request_capabilities` is acknowledged at once; it renegotiates right away when the
//!    session is ready, and is folded into the running negotiation otherwise.
//! 4. **Every fromWidget request** is checked by [`Permissions`], then (if allowed) carried
//!    out through one [`EnvRequest`], then answered exactly once: the environment's answer
//!    becomes the reply (an answer that is not the action's response shape becomes an error
//!    reply and a [`Notification::HostError`]). Results of reads are filtered again by the
//!    engine. A request naming no room when no room is viewed is refused.
//! 5. **The delay ledger is on** ([`Config::delay_ledger`]): the `delay_id` of every delayed
//!    send is recorded, a successful `cancel`/`send` forgets it, and `update_delayed_event`
//!    or a LiveKit delayed-leave delegation of any other `delay_id` is refused (wire
//!    decision 28). Turning it off gives the reference's behaviour.
//! 6. **Bounded.** At most [`Config::max_pending`] widget requests wait on the environment;
//!    more are refused with an error reply at once, and with
//!    [`Config::environment_timeout`] they expire. Pushes waiting for the widget's versions
//!    are bounded by [`Config::max_pending`] too: the oldest state change goes first (the
//!    initial state read, which fetches the current state anyway, never does), with a
//!    [`Notification::HostError`]. Capability sets are hashed: a renegotiation costs time
//!    linear in its size. Deadlines are kept in order, so an input costs nothing extra
//!    while none is due.
//! 7. **toWidget requests** get IDs `host-1`, `host-2`, …, time out after
//!    [`Config::to_widget_timeout`] (10 s, like the reference) on the next input at or after
//!    the deadline ([`Input::Tick`] exists for this), and a reply is matched by `requestId`
//!    **and** action. The widget's supported versions are asked once, after the first
//!    negotiation; pushes of state wait for that answer.
//! 8. **Identity.** Requests and replies whose `widgetId` is not [`Config::widget_id`] are
//!    ignored and reported ([`Misbehaviour::ForeignWidgetId`]); the reference answers them.
//! 9. **Pushes** go through the engine's delivery checks: room events as `send_event`,
//!    state changes as `update_state` only to widgets speaking
//!    `org.matrix.msc2762_update_state` (others get state events as `send_event`), to-device
//!    messages as `send_to_device`, TURN servers only while watched. After each negotiation
//!    that newly grants `receive.state_event` or timeline capabilities, the current state of
//!    the viewed room and of the rooms of timeline capabilities is read
//!    ([`EnvRequest::ReadState`]) and pushed as one `update_state` (widgets speaking
//!    `update_state` only); when it newly grants `receive.sticky_event` or a timeline room,
//!    the current sticky events are pushed as `send_event`. A round that grants neither
//!    pushes nothing again, as the reference pushes for newly allowed capabilities only.
//!
//! ```
//! use matrix_widget_api_host::session::{Config, EnvRequest, HostSession, Input, Millis, Output, StartMode};
//!
//! let config = Config::new("w1", "@alice:example.org").viewed_room("!room:example.org");
//! let mut session = HostSession::new(config);
//! let now = Millis(0);
//!
//! // The iframe loaded: the session asks the widget for its capabilities.
//! let out = session.process(now, Input::IframeLoaded);
//! let Some(Output::ToWidget(ask)) = out.first() else { panic!("{out:?}") };
//! assert!(ask.contains(r#""action":"capabilities""#));
//!
//! // The widget answers; the session asks the environment (policy or user) to approve.
//! let reply = ask.replace(r#""data":{}"#, r#""data":{},"response":{"capabilities":["org.matrix.msc2931.navigate"]}"#);
//! let out = session.process(now, Input::WidgetMessage(reply));
//! let Some(Output::Environment { id, request: EnvRequest::ApproveCapabilities { requested } }) = out.first() else { panic!("{out:?}") };
//! assert_eq!(requested.len(), 1);
//!
//! // Approved: the widget is notified and the application told it is ready.
//! let out = session.process(now, Input::answer(*id, &["org.matrix.msc2931.navigate"]));
//! assert!(matches!(&out[0], Output::ToWidget(m) if m.contains("notify_capabilities")));
//! assert!(session.is_ready());
//! # let _ = StartMode::ContentLoaded;
//! ```
//!
//! # Driving a session from an event loop
//!
//! The session is a value: put it in one task (an async task, or a thread as here) that
//! owns it, feed it what arrives, and wake up at [`HostSession::next_deadline`] to feed
//! [`Input::Tick`]. With an async runtime, the same loop selects over a channel and a
//! sleep until the deadline, and environment requests run as tasks whose answers come back
//! through the channel: `examples/tokio_host.rs` in the repository does this with tokio
//! (a test runs it). The library itself needs no runtime.
//!
//! ```
//! use matrix_widget_api_host::session::{Config, HostSession, Input, Millis, Notification, Output};
//! use std::sync::mpsc;
//! use std::time::{Duration, Instant};
//!
//! let (inputs, received) = mpsc::channel::<Input>();
//! let (outputs, posted) = mpsc::channel::<Output>();
//! let driver = std::thread::spawn(move || {
//!     let config = Config::new("w1", "@a:example.org").to_widget_timeout(Millis(50));
//!     let mut session = HostSession::new(config);
//!     let origin = Instant::now();
//!     loop {
//!         let now = Millis::since(origin, Instant::now());
//!         // Sleep until the next input or the next deadline, whichever comes first.
//!         let wait = session.next_deadline().map(|d| Duration::from_millis(d.0.saturating_sub(now.0)));
//!         let input = match wait {
//!             Some(wait) => match received.recv_timeout(wait) {
//!                 Ok(input) => input,
//!                 Err(mpsc::RecvTimeoutError::Timeout) => Input::Tick,
//!                 Err(mpsc::RecvTimeoutError::Disconnected) => break,
//!             },
//!             None => match received.recv() {
//!                 Ok(input) => input,
//!                 Err(_) => break,
//!             },
//!         };
//!         let stop = matches!(input, Input::Stop);
//!         for output in session.process(Millis::since(origin, Instant::now()), input) {
//!             let _ = outputs.send(output);
//!         }
//!         if stop {
//!             break;
//!         }
//!     }
//! });
//!
//! inputs.send(Input::IframeLoaded)?;
//! // The widget never answers `capabilities`: after 50 ms the driver's tick reports it.
//! let mut seen = Vec::new();
//! while let Ok(output) = posted.recv_timeout(Duration::from_secs(5)) {
//!     seen.push(output);
//!     if matches!(seen.last(), Some(Output::Notify(Notification::Ready))) {
//!         break;
//!     }
//! }
//! assert!(seen.iter().any(|o| matches!(o, Output::Notify(Notification::TimedOut { .. }))));
//! inputs.send(Input::Stop)?;
//! driver.join().expect("the driver thread ends");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Delayed events over HTTP (MSC4140), end to end
//!
//! A host with only an HTTP client turns [`EnvRequest::SendDelayedEvent`] and
//! [`EnvRequest::UpdateDelayedEvent`] into [`http::Request`]s with
//! [`Homeserver`](crate::delayed_events::Homeserver) and the responses back into answers.
//! Element Call's delayed leave: schedule the leave event, restart its timer with
//! heartbeats, send it on hangup.
//!
//! ```
//! use matrix_widget_api::ErrorResponseData;
//! use matrix_widget_api_host::delayed_events::{detect, Homeserver, UpdateForm};
//! use matrix_widget_api_host::session::{Config, EnvId, EnvRequest, HostSession, Input, Millis, Output};
//!
//! /// The host's HTTP client (with the user's access token); here, a homeserver that
//! /// schedules every delayed event as `syd_leave` and accepts every update.
//! fn http_roundtrip(request: &http::Request<Vec<u8>>) -> http::Response<Vec<u8>> {
//!     let delayed = request.uri().query().is_some_and(|q| q.contains("org.matrix.msc4140.delay="));
//!     http::Response::new(if delayed { br#"{"delay_id":"syd_leave"}"#.to_vec() } else { b"{}".to_vec() })
//! }
//!
//! /// Carries out one environment request and gives the session its answer.
//! fn carry_out(homeserver: &Homeserver, id: EnvId, request: &EnvRequest) -> Input {
//!     let refused = |message: String| Input::EnvironmentAnswer { id, result: Err(ErrorResponseData::new(message)) };
//!     match request {
//!         EnvRequest::SendDelayedEvent { room_id, data } | EnvRequest::SendEvent { room_id, data } => {
//!             let (http_request, call) = match homeserver.send_event(data, room_id, &format!("txn{id}")) {
//!                 Ok(built) => built,
//!                 Err(error) => return refused(error.to_string()),
//!             };
//!             match call.outcome(&http_roundtrip(&http_request)) {
//!                 Ok(response) => Input::answer(id, &response),
//!                 Err(error) => Input::EnvironmentAnswer { id, result: Err(error.into()) },
//!             }
//!         }
//!         EnvRequest::UpdateDelayedEvent { data } => {
//!             let (http_request, call) = match homeserver.update_delayed_event(data, UpdateForm::Split) {
//!                 Ok(built) => built,
//!                 Err(error) => return refused(error.to_string()),
//!             };
//!             match call.outcome(&http_roundtrip(&http_request)) {
//!                 Ok(empty) => Input::answer(id, &empty),
//!                 Err(error) => Input::EnvironmentAnswer { id, result: Err(error.into()) },
//!             }
//!         }
//!         // The user approves everything in this example.
//!         EnvRequest::ApproveCapabilities { requested } => Input::answer(id, requested),
//!         other => refused(format!("{} is not supported by this host", other.name())),
//!     }
//! }
//!
//! let versions = br#"{"versions":["v1.12"],"unstable_features":{"org.matrix.msc4140":true}}"#;
//! let homeserver = Homeserver::new("https://matrix.example.org", detect(versions, None)?)?;
//! let mut session = HostSession::new(Config::new("call", "@a:example.org").viewed_room("!call:example.org"));
//! // Runs the session until it waits for the widget; returns what it posted to the widget.
//! let mut drive = |session: &mut HostSession, input: Input| -> Vec<String> {
//!     let (mut queue, mut to_widget) = (vec![input], Vec::new());
//!     while let Some(input) = queue.pop() {
//!         for output in session.process(Millis(0), input) {
//!             match output {
//!                 Output::ToWidget(text) => to_widget.push(text),
//!                 Output::Environment { id, request } => queue.push(carry_out(&homeserver, id, &request)),
//!                 Output::Notify(_) => {}
//!             }
//!         }
//!     }
//!     to_widget
//! };
//!
//! // Negotiation: the call widget asks for its membership event, delayed events and updates.
//! let ask = drive(&mut session, Input::IframeLoaded).remove(0);
//! let caps = r#"["org.matrix.msc2762.send.state_event:org.matrix.msc3401.call.member#_@a:example.org_DEV","org.matrix.msc4157.send.delayed_event","org.matrix.msc4157.update_delayed_event"]"#;
//! drive(&mut session, Input::WidgetMessage(ask.replace(r#""data":{}"#, &format!(r#""data":{{}},"response":{{"capabilities":{caps}}}"#))));
//! assert!(session.is_ready());
//!
//! // 1. Schedule the leave: an empty membership the homeserver sends in 10 s unless restarted.
//! let schedule = r#"{"api":"fromWidget","widgetId":"call","requestId":"leave","action":"send_event","data":{"type":"org.matrix.msc3401.call.member","state_key":"_@a:example.org_DEV","content":{},"delay":10000}}"#;
//! let reply = drive(&mut session, Input::WidgetMessage(schedule.into())).remove(0);
//! assert!(reply.ends_with(r#""response":{"room_id":"!call:example.org","delay_id":"syd_leave"}}"#), "{reply}");
//!
//! // 2. Heartbeats restart the timer while the call runs.
//! for beat in 0..3 {
//!     let restart = format!(r#"{{"api":"fromWidget","widgetId":"call","requestId":"hb{beat}","action":"org.matrix.msc4157.update_delayed_event","data":{{"delay_id":"syd_leave","action":"restart"}}}}"#);
//!     let reply = drive(&mut session, Input::WidgetMessage(restart)).remove(0);
//!     assert!(reply.ends_with(r#""response":{}}"#), "{reply}");
//! }
//!
//! // 3. Hangup: send the leave now. The ledger then forgets the delay.
//! let hangup = r#"{"api":"fromWidget","widgetId":"call","requestId":"bye","action":"org.matrix.msc4157.update_delayed_event","data":{"delay_id":"syd_leave","action":"send"}}"#;
//! let reply = drive(&mut session, Input::WidgetMessage(hangup.into())).remove(0);
//! assert!(reply.ends_with(r#""response":{}}"#), "{reply}");
//! assert!(!session.delay_ledger().contains("syd_leave"));
//!
//! // A delay this widget does not hold (sent already, or another widget's) is refused
//! // without asking the homeserver.
//! let again = drive(&mut session, Input::WidgetMessage(hangup.replace("bye", "again"))).remove(0);
//! assert!(again.contains(r#""error""#), "{again}");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod io;
mod machine;

pub use io::{Answer, EnvId, EnvRequest, Input, Millis, Misbehaviour, Notification, Output, StateFilter};
pub use machine::HostSession;

#[cfg(doc)]
use crate::permission::{Negotiation, Permissions};

/// When the session asks the widget for its capabilities.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StartMode {
    /// On [`Input::IframeLoaded`] (the widget's `waitForIframeLoad` is `true`, the default).
    #[default]
    IframeLoad,
    /// On the widget's `content_loaded` request (`waitForIframeLoad: false`).
    ContentLoaded,
}

/// What the session needs to know about the widget and the host's choices.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Config {
    /// The widget's ID: messages naming another are ignored.
    pub widget_id: String,
    /// The user's Matrix ID.
    pub user_id: String,
    /// The user's device ID, if known.
    pub device_id: Option<String>,
    /// The room the widget is in (the viewed room), if any.
    pub viewed_room: Option<String>,
    /// When capabilities are asked for.
    pub start: StartMode,
    /// How long the widget has to answer a toWidget request. 10 s by default.
    pub to_widget_timeout: Millis,
    /// How many widget requests may wait on the environment at once. 64 by default.
    pub max_pending: usize,
    /// How long a widget request may wait on the environment before the widget gets an
    /// error reply (matrix-rust-sdk's pending requests expire too). `None` by default:
    /// the environment may be asking the user. Capability approval never expires.
    pub environment_timeout: Option<Millis>,
    /// Keep a [`DelayLedger`](crate::permission::DelayLedger) (wire decision 28). On by default.
    pub delay_ledger: bool,
    /// The permission engine's configuration.
    pub permissions: crate::permission::Config,
}

impl Config {
    /// The defaults for widget `widget_id` of user `user_id`.
    pub fn new(widget_id: impl Into<String>, user_id: impl Into<String>) -> Self {
        Config {
            widget_id: widget_id.into(),
            user_id: user_id.into(),
            device_id: None,
            viewed_room: None,
            start: StartMode::IframeLoad,
            to_widget_timeout: Millis(10_000),
            max_pending: 64,
            environment_timeout: None,
            delay_ledger: true,
            permissions: crate::permission::Config::default(),
        }
    }

    /// [`Config::device_id`].
    pub fn device_id(self, device_id: impl Into<String>) -> Self {
        Config { device_id: Some(device_id.into()), ..self }
    }

    /// [`Config::viewed_room`].
    pub fn viewed_room(self, room_id: impl Into<String>) -> Self {
        Config { viewed_room: Some(room_id.into()), ..self }
    }

    /// [`Config::start`].
    pub fn start(self, start: StartMode) -> Self {
        Config { start, ..self }
    }

    /// [`Config::to_widget_timeout`].
    pub fn to_widget_timeout(self, timeout: Millis) -> Self {
        Config { to_widget_timeout: timeout, ..self }
    }

    /// [`Config::max_pending`].
    pub fn max_pending(self, max: usize) -> Self {
        Config { max_pending: max, ..self }
    }

    /// [`Config::environment_timeout`].
    pub fn environment_timeout(self, timeout: Option<Millis>) -> Self {
        Config { environment_timeout: timeout, ..self }
    }

    /// [`Config::delay_ledger`].
    pub fn delay_ledger(self, on: bool) -> Self {
        Config { delay_ledger: on, ..self }
    }

    /// [`Config::permissions`].
    pub fn permissions(self, permissions: crate::permission::Config) -> Self {
        Config { permissions, ..self }
    }
}
