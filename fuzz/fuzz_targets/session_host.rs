//! A whole host session driven by a hostile widget, a careless environment and a careless
//! application: never a panic; every message posted to the widget decodes as a widget
//! decodes it; no fromWidget `requestId` gets more replies than the widget sent requests
//! with it; no environment request the approved capabilities do not allow; what comes out
//! of one input is bounded by what went in.
//!
//! Input: lines, each one input. A line that is a JSON object is read like a line of
//! `widget-api host` (`{"widget": …}`, `{"answer": ID, "ok"|"error": …}`, `{"call": …}`,
//! `{"push": …}`, `{"tick": MS}`, an optional `"now"`), so the golden CLI sessions are
//! seeds as they are; the clock may go backwards (`"now"` is taken as given) and reach
//! `u64::MAX`. Two shortcuts reach deep states: `{"approve": "all"}` answers the latest
//! `approve_capabilities` with everything it asked, and `{"answer": "last", …}` answers the
//! latest environment request. Any other line is a widget message text as it is.
#![no_main]

use libfuzzer_sys::fuzz_target;
use matrix_widget_api::naming::Spelled;
use matrix_widget_api::{Capability, ErrorResponseData, HostMessage, Message, Role, decode_as, decode_host};
use matrix_widget_api_host::session::{Config, EnvId, EnvRequest, HostSession, Input, Millis, Output, StartMode};
use serde_json::Value;
use std::collections::HashMap;

const WIDGET: &str = "w";
const ROOM: &str = "!room:example.org";

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else { return };
    // The first byte picks the configuration (`{`, as in every seed, the default one), so
    // both start modes, no viewed room, an environment timeout and no ledger all run.
    let mut config = Config::new(WIDGET, "@alice:example.org").device_id("DEV").to_widget_timeout(Millis(10_000)).max_pending(8);
    let flags = bytes.first().map_or(0, |b| b ^ b'{');
    if flags & 1 == 1 {
        config = config.start(StartMode::ContentLoaded);
    }
    if flags & 2 == 0 {
        config = config.viewed_room(ROOM);
    }
    if flags & 4 == 4 {
        config = config.environment_timeout(Some(Millis(5_000)));
    }
    if flags & 8 == 8 {
        config = config.delay_ledger(false);
    }
    let mut run = Run {
        session: HostSession::new(config),
        now: Millis(0),
        requests: HashMap::new(),
        replies: HashMap::new(),
        last_env: None,
        last_approve: None,
        input_bytes: 0,
    };
    for (n, line) in text.split('\n').enumerate() {
        if n >= 256 {
            break;
        }
        let Some(input) = run.input(line) else { continue };
        run.input_bytes += line.len() + 64;
        let outputs = run.session.process(run.now, input);
        run.check(&outputs);
    }
});

struct Run {
    session: HostSession,
    now: Millis,
    /// fromWidget requests the widget sent, by `requestId`.
    requests: HashMap<String, usize>,
    /// Replies posted to them, by `requestId`.
    replies: HashMap<String, usize>,
    last_env: Option<(EnvId, EnvRequest)>,
    last_approve: Option<(EnvId, Vec<Spelled<Capability>>)>,
    input_bytes: usize,
}

impl Run {
    fn input(&mut self, line: &str) -> Option<Input> {
        let Ok(Value::Object(fields)) = serde_json::from_str::<Value>(line) else {
            self.count_request(line);
            return Some(Input::WidgetMessage(line.to_owned()));
        };
        if let Some(now) = fields.get("now").and_then(Value::as_u64) {
            self.now = Millis(now);
        }
        if let Some(widget) = fields.get("widget") {
            let text = match widget {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            self.count_request(&text);
            return Some(Input::WidgetMessage(text));
        }
        if fields.contains_key("approve") {
            let (id, requested) = self.last_approve.take()?;
            return Some(Input::answer(id, &requested));
        }
        if let Some(answer) = fields.get("answer") {
            let id = match answer {
                Value::String(s) if s == "last" => self.last_env.as_ref()?.0,
                other => EnvId(other.as_u64()?),
            };
            let result = match (fields.get("ok"), fields.get("error")) {
                (Some(ok), _) => Ok(ok.clone()),
                (None, Some(error)) => Err(ErrorResponseData::new(error.as_str().unwrap_or("no"))),
                (None, None) => Err(ErrorResponseData::new("no")),
            };
            return Some(Input::EnvironmentAnswer { id, result });
        }
        if let Some(call) = fields.get("call").and_then(Value::as_str) {
            let data = |name: &str| fields.get(name).cloned().unwrap_or(Value::Null);
            return match call {
                "iframe_loaded" => Some(Input::IframeLoaded),
                "viewed_room" => Some(Input::ViewedRoomChanged(data("room_id").as_str().map(str::to_owned))),
                "theme" => serde_json::from_value(data("data")).ok().map(Input::Theme),
                "language" => Some(Input::Language(data("lang").as_str().unwrap_or("fr").to_owned())),
                "visibility" => Some(Input::Visibility(data("visible").as_bool().unwrap_or(true))),
                "screenshot" => Some(Input::TakeScreenshot),
                "widget_config" => serde_json::from_value(data("data")).ok().map(Input::WidgetConfig),
                "button_clicked" => serde_json::from_value(data("id")).ok().map(Input::ModalButtonClicked),
                "close_modal" => Some(Input::CloseModal(serde_json::from_value(data("data")).unwrap_or_default())),
                "stop" => Some(Input::Stop),
                _ => None,
            };
        }
        if let Some(push) = fields.get("push").and_then(Value::as_str) {
            let event = fields.get("event").cloned().unwrap_or(Value::Null);
            return match push {
                "event" => serde_json::from_value(event).ok().map(Input::PushEvent),
                "state" => serde_json::from_value(event).ok().map(Input::PushStateUpdate),
                "to_device" => serde_json::from_value(event).ok().map(Input::PushToDevice),
                "turn_servers" => {
                    serde_json::from_value(fields.get("servers").cloned().unwrap_or(Value::Null)).ok().map(Input::PushTurnServers)
                }
                _ => None,
            };
        }
        if let Some(tick) = fields.get("tick") {
            self.now = Millis(tick.as_u64().unwrap_or(u64::MAX));
            return Some(Input::Tick);
        }
        self.count_request(line);
        Some(Input::WidgetMessage(line.to_owned()))
    }

    /// Counts a fromWidget request (one the session could answer) by its `requestId`.
    fn count_request(&mut self, text: &str) {
        let id = match decode_host(text) {
            Ok(message @ HostMessage::Request(_)) => message.envelope().request_id().to_owned(),
            Ok(_) => return,
            Err(error) => match error.envelope() {
                Some(envelope) if error.error_reply().is_some() => envelope.request_id().to_owned(),
                _ => return,
            },
        };
        *self.requests.entry(id).or_default() += 1;
    }

    fn check(&mut self, outputs: &[Output]) {
        let mut out_bytes = 0usize;
        for output in outputs {
            match output {
                Output::ToWidget(text) => {
                    out_bytes += text.len();
                    let message =
                        decode_as(Role::Widget, text).unwrap_or_else(|e| panic!("posted a message the widget cannot decode ({e}): {text}"));
                    if let Message::FromWidgetResponse(reply) = &message {
                        let id = reply.envelope().request_id().to_owned();
                        let replies = self.replies.entry(id.clone()).or_default();
                        *replies += 1;
                        let requests = self.requests.get(&id).copied().unwrap_or(0);
                        assert!(*replies <= requests, "requestId {id:?} got {replies} replies to {requests} requests: {text}");
                    }
                }
                Output::Environment { id, request } => {
                    out_bytes += serde_json::to_string(request).map_or(0, |s| s.len());
                    self.allowed(request);
                    if let EnvRequest::ApproveCapabilities { requested } = request {
                        self.last_approve = Some((*id, requested.clone()));
                    }
                    self.last_env = Some((*id, request.clone()));
                }
                Output::Notify(notification) => out_bytes += serde_json::to_string(notification).map_or(0, |s| s.len()),
            }
        }
        // Everything that comes out was put in: the messages and answers given so far
        // (echoed, filtered, accumulated), within a constant factor.
        assert!(out_bytes <= 16 * self.input_bytes + 16_384, "{out_bytes} bytes out of {} bytes in", self.input_bytes);
        assert!(outputs.len() <= self.input_bytes + 16, "{} outputs", outputs.len());
        assert!(self.session.pending_environment() <= 8 + self.input_bytes, "pending grows without bound");
    }

    /// The environment request is one the approved capabilities allow (a naive model: a
    /// scan of the approved list).
    fn allowed(&self, request: &EnvRequest) {
        let approved = self.session.negotiation().approved();
        let has = |want: &Capability| approved.iter().any(|c| c.value() == want);
        match request {
            EnvRequest::SendEvent { data, room_id } | EnvRequest::SendDelayedEvent { data, room_id } => {
                let viewed = self.session.config().viewed_room.as_deref() == Some(room_id.as_str());
                assert!(
                    viewed || approved.iter().any(|c| matches!(c.value(), Capability::Timeline(t) if t.covers(room_id))),
                    "a send to {room_id} without a timeline capability"
                );
                if data.delay.is_some() {
                    assert!(has(&Capability::SendDelayedEvent), "a delayed send without the delayed-event capability");
                }
                if data.sticky_duration_ms.is_some() {
                    assert!(has(&Capability::SendStickyEvent), "a sticky send without the sticky capability");
                }
                let covered = match &data.state_key {
                    Some(key) => {
                        approved.iter().any(|c| matches!(c.value(), Capability::SendStateEvent(f) if f.matches(&data.event_type, key)))
                    }
                    None => {
                        let msgtype = msgtype(data.content.get());
                        approved
                            .iter()
                            .any(|c| matches!(c.value(), Capability::SendEvent(f) if f.matches(&data.event_type, msgtype.as_deref())))
                    }
                };
                assert!(covered, "a send of {} without its event capability", data.event_type);
            }
            EnvRequest::UpdateDelayedEvent { .. } => assert!(has(&Capability::UpdateDelayedEvent), "an update without the capability"),
            EnvRequest::SendToDevice { data } => assert!(
                approved.iter().any(|c| matches!(c.value(), Capability::SendToDevice(t) if *t == data.event_type)),
                "a to-device send of {} without its capability",
                data.event_type
            ),
            EnvRequest::WatchTurnServers | EnvRequest::UnwatchTurnServers => assert!(has(&Capability::TurnServers)),
            EnvRequest::Sticker { .. } => assert!(has(&Capability::Sticker)),
            EnvRequest::UploadFile { .. } | EnvRequest::GetMediaConfig => assert!(has(&Capability::UploadFile)),
            EnvRequest::DownloadFile { .. } => assert!(has(&Capability::DownloadFile)),
            EnvRequest::ReadStickyEvents { .. } => assert!(has(&Capability::ReceiveStickyEvent)),
            EnvRequest::Navigate { .. } => assert!(has(&Capability::Navigate)),
            EnvRequest::SetAlwaysOnScreen { .. } => assert!(has(&Capability::AlwaysOnScreen)),
            EnvRequest::UserDirectorySearch { .. } => assert!(has(&Capability::UserDirectorySearch)),
            EnvRequest::GetRtcTransports => assert!(has(&Capability::RtcTransports)),
            EnvRequest::RtcLivekitGetToken { .. } => assert!(has(&Capability::RtcLivekitGetToken)),
            EnvRequest::RtcLivekitDelegateDelayedLeave { .. } => assert!(has(&Capability::RtcLivekitDelegateDelayedLeave)),
            EnvRequest::ReadRoomAccountData { data } => assert!(
                approved.iter().any(|c| matches!(c.value(), Capability::ReceiveRoomAccountData(t) if *t == data.event_type)),
                "room account data {} read without its capability",
                data.event_type
            ),
            EnvRequest::ReadState { filters, .. } => assert!(!filters.is_empty()),
            _ => {}
        }
    }
}

/// `content.msgtype` when it is a string.
fn msgtype(content: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct M {
        msgtype: Option<Value>,
    }
    serde_json::from_str::<M>(content).ok()?.msgtype?.as_str().map(str::to_owned)
}
