//! The harness of the host session's scenario tests (`session.rs`, `hostile.rs`): a session
//! with a clock, and what one input produced, split by kind.

#![allow(dead_code, reason = "shared by two test targets, each of which uses a part")]

use matrix_widget_api::ErrorResponseData;
use matrix_widget_api_host::session::{Config, EnvId, EnvRequest, HostSession, Input, Millis, Notification, Output};
use serde_json::{Value, json};

pub(crate) const WIDGET: &str = "w1";
pub(crate) const ROOM: &str = "!room:example.org";
pub(crate) const USER: &str = "@alice:example.org";

/// What one input produced, split by kind.
#[derive(Debug, Default)]
pub(crate) struct Step {
    pub(crate) to_widget: Vec<Value>,
    pub(crate) env: Vec<(EnvId, EnvRequest)>,
    pub(crate) notes: Vec<Notification>,
}

impl Step {
    pub(crate) fn is_empty(&self) -> bool {
        self.to_widget.is_empty() && self.env.is_empty() && self.notes.is_empty()
    }

    /// The one message posted (and no environment request).
    pub(crate) fn only_message(&self) -> &Value {
        assert!(self.to_widget.len() == 1 && self.env.is_empty(), "one message expected: {self:#?}");
        &self.to_widget[0]
    }

    /// The one environment request (messages may come with it).
    pub(crate) fn only_env(&self) -> (EnvId, &EnvRequest) {
        assert!(self.env.len() == 1, "one environment request expected: {self:#?}");
        (self.env[0].0, &self.env[0].1)
    }

    /// The one notification (and nothing else).
    pub(crate) fn only_note(&self) -> &Notification {
        assert!(self.notes.len() == 1 && self.to_widget.is_empty() && self.env.is_empty(), "one notification expected: {self:#?}");
        &self.notes[0]
    }

    /// The message posted with `action`.
    pub(crate) fn message(&self, action: &str) -> &Value {
        self.to_widget.iter().find(|m| m["action"] == action).unwrap_or_else(|| panic!("no {action} in {self:#?}"))
    }

    /// The error message of the one message posted, an error reply.
    pub(crate) fn error(&self) -> String {
        error_of(self.only_message()).to_owned()
    }
}

/// A fromWidget request of this widget.
pub(crate) fn request(request_id: &str, action: &str, data: Value) -> String {
    json!({"api": "fromWidget", "widgetId": WIDGET, "requestId": request_id, "action": action, "data": data}).to_string()
}

/// The widget's reply to a toWidget request.
pub(crate) fn reply(to: &Value, response: Value) -> String {
    let mut reply = to.clone();
    reply["response"] = response;
    reply.to_string()
}

/// The error message of an error reply.
pub(crate) fn error_of(message: &Value) -> &str {
    message["response"]["error"]["message"].as_str().unwrap_or_else(|| panic!("not an error reply: {message}"))
}

/// A session and a clock.
pub(crate) struct Host {
    pub(crate) session: HostSession,
    pub(crate) now: Millis,
}

impl Host {
    pub(crate) fn new(config: Config) -> Self {
        Host { session: HostSession::new(config), now: Millis(0) }
    }

    /// Widget `w1` of Alice, viewing `!room:example.org`.
    pub(crate) fn in_room() -> Self {
        Host::new(Config::new(WIDGET, USER).viewed_room(ROOM))
    }

    pub(crate) fn input(&mut self, input: Input) -> Step {
        let mut step = Step::default();
        for output in self.session.process(self.now, input) {
            match output {
                Output::ToWidget(text) => step.to_widget.push(serde_json::from_str(&text).expect("the session posts JSON")),
                Output::Environment { id, request } => step.env.push((id, request)),
                Output::Notify(note) => step.notes.push(note),
            }
        }
        step
    }

    /// `input` at time `now`.
    pub(crate) fn at(&mut self, now: u64, input: Input) -> Step {
        self.now = Millis(now);
        self.input(input)
    }

    pub(crate) fn widget(&mut self, text: impl Into<String>) -> Step {
        self.input(Input::WidgetMessage(text.into()))
    }

    pub(crate) fn answer(&mut self, id: EnvId, value: Value) -> Step {
        self.input(Input::EnvironmentAnswer { id, result: Ok(value) })
    }

    pub(crate) fn fail(&mut self, id: EnvId, message: &str) -> Step {
        self.input(Input::EnvironmentAnswer { id, result: Err(ErrorResponseData::new(message)) })
    }
}
