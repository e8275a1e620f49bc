//! A whole widget session driven by a hostile host and a careless application: never a
//! panic; every message posted to the host decodes as a host decodes it; no toWidget
//! `requestId` gets more replies than the host sent requests with it; an application
//! answer is posted only for a request waiting for it; what comes out of one input is
//! bounded by what went in.
//!
//! Input: lines, each one input. A line that is a JSON object is read like a line of
//! `widget-api widget` (`{"host": …}`, `{"send": {"action", "data"}}`, `{"answer":
//! "REQUEST_ID", "ok"|"error": …}`, `{"call": …}`, `{"tick": MS}`, an optional `"now"`), so
//! the golden CLI sessions are seeds as they are; the clock may go backwards (`"now"` is
//! taken as given) and reach `u64::MAX`. `{"answer": "last", …}` answers the latest request
//! handed to the application. Any other line is a host message text as it is.
#![no_main]

use libfuzzer_sys::fuzz_target;
use matrix_widget_api::naming::Spelled;
use matrix_widget_api::{ActionName, Capability, ErrorResponseData, Message, Role, WidgetMessage, decode_as, decode_widget};
use matrix_widget_api_widget::session::{AnsweredBy, Config, Input, Millis, Output, WidgetSession};
use serde_json::Value;
use std::collections::HashMap;

const WIDGET: &str = "w";

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else { return };
    let flags = bytes.first().map_or(0, |b| b ^ b'{');
    let navigate: Spelled<Capability> = Spelled::parse("org.matrix.msc2931.navigate").expect("a known capability");
    let mut config = Config::new(WIDGET).capabilities([navigate]).max_pending(8).wait_for_iframe_load(flags & 1 == 0);
    if flags & 2 == 2 {
        config = config.handle(ActionName::SendEvent).handle(ActionName::ThemeChange).handle(ActionName::Screenshot);
    }
    if flags & 4 == 4 {
        config = config.acknowledge(ActionName::UpdateState);
    }
    let mut run = Run {
        session: WidgetSession::new(config),
        now: Millis(0),
        requests: HashMap::new(),
        replies: HashMap::new(),
        last_application: None,
        input_bytes: 0,
    };
    for (n, line) in text.split('\n').enumerate() {
        if n >= 256 {
            break;
        }
        run.input_bytes += line.len() + 64;
        let Some(input) = run.input(line) else {
            let queued = run.session.take_outputs();
            run.check(&queued);
            continue;
        };
        let outputs = run.session.process(run.now, input);
        run.check(&outputs);
    }
});

struct Run {
    session: WidgetSession,
    now: Millis,
    /// toWidget requests the host sent, by `requestId`.
    requests: HashMap<String, usize>,
    /// Replies posted to them, by `requestId`.
    replies: HashMap<String, usize>,
    last_application: Option<String>,
    input_bytes: usize,
}

impl Run {
    fn input(&mut self, line: &str) -> Option<Input> {
        let Ok(Value::Object(fields)) = serde_json::from_str::<Value>(line) else {
            self.count_request(line);
            return Some(Input::HostMessage(line.to_owned()));
        };
        if let Some(now) = fields.get("now").and_then(Value::as_u64) {
            self.now = Millis(now);
        }
        if let Some(host) = fields.get("host") {
            let text = match host {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            self.count_request(&text);
            return Some(Input::HostMessage(text));
        }
        if let Some(send) = fields.get("send") {
            let action = send.get("action").and_then(Value::as_str).unwrap_or("send_event");
            let data = send.get("data").map_or_else(|| "{}".to_owned(), Value::to_string);
            let _ = self.session.send_raw(self.now, action, &data);
            return None;
        }
        if let Some(answer) = fields.get("answer") {
            let request_id = match answer {
                Value::String(s) if s == "last" => self.last_application.clone()?,
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let result = match (fields.get("ok"), fields.get("error")) {
                (Some(ok), _) => Ok(ok.clone()),
                (None, Some(error)) => Err(ErrorResponseData::new(error.as_str().unwrap_or("no"))),
                (None, None) => Err(ErrorResponseData::new("no")),
            };
            return Some(Input::Answer { request_id, result });
        }
        if let Some(call) = fields.get("call").and_then(Value::as_str) {
            return match call {
                "iframe_loaded" | "start" => Some(Input::Start),
                "content_loaded" => Some(Input::ContentLoaded),
                "request_capabilities" => {
                    let capabilities = fields
                        .get("capabilities")
                        .and_then(Value::as_array)
                        .map(|caps| caps.iter().filter_map(Value::as_str).filter_map(|c| Spelled::<Capability>::parse(c).ok()).collect());
                    Some(Input::RequestCapabilities(capabilities.unwrap_or_default()))
                }
                "stop" => Some(Input::Stop),
                "helpers" => {
                    // The typed helpers, in one go: each must produce a message the host decodes.
                    let now = self.now;
                    let _ = self.session.get_openid(now);
                    let _ = self.session.watch_turn_servers(now);
                    let _ = self.session.restart_delayed_event(now, "d1");
                    let _ = self.session.supported_api_versions(now);
                    None
                }
                _ => None,
            };
        }
        if let Some(tick) = fields.get("tick") {
            self.now = Millis(tick.as_u64().unwrap_or(u64::MAX));
            return Some(Input::Tick);
        }
        self.count_request(line);
        Some(Input::HostMessage(line.to_owned()))
    }

    /// Counts a toWidget request (one the session could answer) by its `requestId`.
    fn count_request(&mut self, text: &str) {
        let id = match decode_widget(text) {
            Ok(message @ WidgetMessage::Request(_)) => message.envelope().request_id().to_owned(),
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
                Output::ToHost(text) => {
                    out_bytes += text.len();
                    let message =
                        decode_as(Role::Host, text).unwrap_or_else(|e| panic!("posted a message the host cannot decode ({e}): {text}"));
                    if let Message::ToWidgetResponse(reply) = &message {
                        let id = reply.envelope().request_id().to_owned();
                        let replies = self.replies.entry(id.clone()).or_default();
                        *replies += 1;
                        let requests = self.requests.get(&id).copied().unwrap_or(0);
                        assert!(*replies <= requests, "requestId {id:?} got {replies} replies to {requests} requests: {text}");
                    }
                }
                Output::Received { request, by } => {
                    out_bytes += 64;
                    if *by == AnsweredBy::Application {
                        self.last_application = Some(request.envelope().request_id().to_owned());
                    }
                }
                Output::Replied(_) => out_bytes += 64,
                Output::Notify(notification) => out_bytes += serde_json::to_string(notification).map_or(0, |s| s.len()),
            }
        }
        assert!(out_bytes <= 16 * self.input_bytes + 16_384, "{out_bytes} bytes out of {} bytes in", self.input_bytes);
        assert!(outputs.len() <= self.input_bytes + 16, "{} outputs", outputs.len());
        assert!(self.session.pending_requests() <= 8, "more requests wait than max_pending");
        assert!(self.session.pending_answers() <= 8, "more requests wait for the application than max_pending");
    }
}
