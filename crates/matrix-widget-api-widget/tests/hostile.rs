//! The widget session against a hostile host and a careless application: duplicated,
//! late, unknown and mistyped replies; floods in both directions; a huge approved list;
//! deep nesting; a clock that goes backwards or reaches `u64::MAX`; application answers
//! given twice, never, or of the wrong shape; inputs after `Stop`; a host that changes the
//! widget's ID. Each test says exactly what comes out.

#![expect(clippy::unwrap_used, clippy::indexing_slicing, reason = "tests fail by panicking")]

use matrix_widget_api::naming::Spelled;
use matrix_widget_api::{ActionName, Capability, Message, Role, decode_as};
use matrix_widget_api_widget::session::{AnsweredBy, Config, Input, Millis, Misbehaviour, Notification, Output, SendError, WidgetSession};
use serde_json::{Value, json};

const W: &str = "w";

fn host_request(request_id: &str, action: &str, data: Value) -> Input {
    Input::HostMessage(json!({"api": "toWidget", "widgetId": W, "requestId": request_id, "action": action, "data": data}).to_string())
}

/// The host's reply to the widget's message `text`.
fn reply(text: &str, response: Value) -> Input {
    let mut message: Value = serde_json::from_str(text).unwrap();
    message["response"] = response;
    Input::HostMessage(message.to_string())
}

/// The outputs of one input, split by kind.
#[derive(Debug, Default)]
struct Step {
    to_host: Vec<String>,
    received: Vec<(String, AnsweredBy)>,
    replied: Vec<String>,
    notes: Vec<Notification>,
}

impl Step {
    fn of(outputs: Vec<Output>) -> Step {
        let mut step = Step::default();
        for output in outputs {
            match output {
                Output::ToHost(text) => {
                    assert!(decode_as(Role::Host, &text).is_ok(), "the host cannot decode {text}");
                    step.to_host.push(text);
                }
                Output::Received { request, by } => step.received.push((request.envelope().request_id().to_owned(), by)),
                Output::Replied(reply) => step.replied.push(reply.envelope().request_id().to_owned()),
                Output::Notify(note) => step.notes.push(note),
            }
        }
        step
    }

    fn is_empty(&self) -> bool {
        self.to_host.is_empty() && self.received.is_empty() && self.replied.is_empty() && self.notes.is_empty()
    }

    fn only_note(&self) -> &Notification {
        assert!(self.notes.len() == 1 && self.to_host.is_empty() && self.received.is_empty() && self.replied.is_empty(), "{self:#?}");
        &self.notes[0]
    }

    fn only_to_host(&self) -> Value {
        assert!(self.to_host.len() == 1 && self.notes.is_empty() && self.replied.is_empty(), "{self:#?}");
        serde_json::from_str(&self.to_host[0]).unwrap()
    }
}

struct Widget {
    session: WidgetSession,
    now: Millis,
}

impl Widget {
    fn new(config: Config) -> Self {
        Widget { session: WidgetSession::new(config), now: Millis(0) }
    }

    fn input(&mut self, input: Input) -> Step {
        Step::of(self.session.process(self.now, input))
    }

    fn at(&mut self, now: u64, input: Input) -> Step {
        self.now = Millis(now);
        self.input(input)
    }

    /// Sends `get_openid` and returns the message text.
    fn ask_openid(&mut self) -> String {
        self.session.get_openid(self.now).unwrap();
        let step = Step::of(self.session.take_outputs());
        assert_eq!(step.to_host.len(), 1, "{step:#?}");
        step.to_host[0].clone()
    }
}

// ---- The host's replies ----

#[test]
fn a_reply_given_twice_is_taken_once() {
    let mut widget = Widget::new(Config::new(W));
    let sent = widget.ask_openid();
    let first = widget.input(reply(&sent, json!({"state": "blocked"})));
    assert_eq!(first.replied, ["widget-1"]);
    assert!(first.to_host.is_empty() && first.notes.is_empty());
    let again = widget.input(reply(&sent, json!({"state": "blocked"})));
    assert!(
        matches!(again.only_note(), Notification::Misbehaved(Misbehaviour::UnexpectedReply { request_id }) if request_id == "widget-1")
    );
}

#[test]
fn a_reply_after_the_timeout_or_to_nothing_is_unexpected() {
    let mut widget = Widget::new(Config::new(W));
    widget.now = Millis(1_000);
    let sent = widget.ask_openid();
    assert!(widget.at(10_999, Input::Tick).is_empty());
    let tick = widget.at(11_000, Input::Tick);
    assert!(
        matches!(tick.only_note(), Notification::TimedOut { action, request_id } if action == "get_openid" && request_id == "widget-1")
    );
    let late = widget.input(reply(&sent, json!({"state": "blocked"})));
    assert!(matches!(late.only_note(), Notification::Misbehaved(Misbehaviour::UnexpectedReply { .. })));
    let invented = sent.replace("widget-1", "widget-77");
    let step = widget.input(reply(&invented, json!({"state": "blocked"})));
    assert!(
        matches!(step.only_note(), Notification::Misbehaved(Misbehaviour::UnexpectedReply { request_id }) if request_id == "widget-77")
    );
}

#[test]
fn a_reply_of_the_wrong_action_leaves_the_request_waiting() {
    let mut widget = Widget::new(Config::new(W));
    let sent = widget.ask_openid();
    let wrong = sent.replace("get_openid", "supported_api_versions");
    let step = widget.input(reply(&wrong, json!({"supported_versions": []})));
    assert!(matches!(
        step.only_note(),
        Notification::Misbehaved(Misbehaviour::WrongAction { request_id, expected, found })
            if request_id == "widget-1" && expected == "get_openid" && found == "supported_api_versions"
    ));
    assert_eq!(widget.session.pending_requests(), 1);
    assert_eq!(widget.input(reply(&sent, json!({"state": "blocked"}))).replied, ["widget-1"]);
}

#[test]
fn a_host_that_changes_the_widget_id_is_ignored() {
    let mut widget = Widget::new(Config::new(W));
    let step = widget.input(Input::HostMessage(
        json!({"api": "toWidget", "widgetId": "other", "requestId": "h1", "action": "capabilities", "data": {}}).to_string(),
    ));
    assert!(matches!(step.only_note(), Notification::Misbehaved(Misbehaviour::ForeignWidgetId { widget_id }) if widget_id == "other"));
    let sent = widget.ask_openid();
    let step = widget.input(reply(&sent.replace(r#""widgetId":"w""#, r#""widgetId":"other""#), json!({"state": "blocked"})));
    assert!(matches!(step.only_note(), Notification::Misbehaved(Misbehaviour::ForeignWidgetId { .. })));
    assert_eq!(widget.session.pending_requests(), 1);
}

// ---- Floods and sizes ----

#[test]
fn a_flood_of_host_requests_for_the_application_is_bounded() {
    let mut widget = Widget::new(Config::new(W).handle(ActionName::ThemeChange));
    for n in 0..100_000 {
        let step = widget.input(host_request(&format!("h{n}"), "theme_change", json!({"name": "dark"})));
        if n < 64 {
            assert_eq!(step.received, [(format!("h{n}"), AnsweredBy::Application)]);
            assert!(step.to_host.is_empty());
        } else {
            // The default answer (the reference's error), and the application is told.
            assert_eq!(step.received, [(format!("h{n}"), AnsweredBy::Session)]);
            let reply: Value = serde_json::from_str(&step.to_host[0]).unwrap();
            assert_eq!(reply["requestId"], format!("h{n}"));
            assert_eq!(reply["response"]["error"]["message"], "Unknown or unsupported to-widget action: theme_change");
            assert!(matches!(step.notes.as_slice(), [Notification::ApplicationError { .. }]));
        }
    }
    assert_eq!(widget.session.pending_answers(), 64);
}

#[test]
fn a_flood_of_requests_to_the_host_is_bounded() {
    let mut widget = Widget::new(Config::new(W));
    let mut sent = 0;
    for _ in 0..100_000 {
        match widget.session.get_openid(widget.now) {
            Ok(_) => sent += 1,
            Err(error) => assert_eq!(error, SendError::TooManyPending),
        }
    }
    assert_eq!(sent, 64);
    assert_eq!(Step::of(widget.session.take_outputs()).to_host.len(), 64);
    assert_eq!(widget.session.pending_requests(), 64);
}

/// The approved list of `n` capabilities: what the session keeps and how big its
/// acknowledgement is.
fn notified(n: usize) -> usize {
    let mut widget = Widget::new(Config::new(W));
    widget.input(host_request("c", "capabilities", json!({})));
    let capabilities: Vec<String> = (0..n).map(|i| format!("org.matrix.msc2762.receive.state_event:m.type{i}#key")).collect();
    let step = widget.input(host_request("n", "notify_capabilities", json!({"requested": capabilities, "approved": capabilities})));
    assert!(
        step.notes
            .iter()
            .any(|note| matches!(note, Notification::Capabilities { requested, approved } if *requested == n && *approved == n))
    );
    assert_eq!(widget.session.approved().unwrap().len(), n);
    let last: Spelled<Capability> = Spelled::parse(&capabilities[n - 1]).unwrap();
    assert!(widget.session.has_capability(last.value()));
    step.to_host.iter().map(String::len).sum()
}

#[test]
fn sixteen_thousand_approved_capabilities_are_acknowledged_like_one_thousand() {
    // The acknowledgement is `{}` whatever the list: the reply does not echo the list
    // more than once (the request's `data`).
    let (small, big) = (notified(1_000), notified(16_000));
    assert!(big <= 17 * small, "{big} vs {small}");
}

#[test]
fn deep_nesting_is_refused_without_a_crash() {
    let mut widget = Widget::new(Config::new(W));
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let text = json!({"api": "toWidget", "widgetId": W, "requestId": "h", "action": "theme_change", "data": {"x": 0}})
        .to_string()
        .replace('0', &deep);
    let step = widget.input(Input::HostMessage(text));
    assert!(matches!(step.notes.as_slice(), [Notification::Misbehaved(_)]), "{step:#?}");
    assert!(step.to_host.len() <= 1);
    let step = widget.input(Input::HostMessage(format!("{}{}", r#"{"a":"#.repeat(50_000), "}".repeat(50_000))));
    assert!(matches!(step.only_note(), Notification::Misbehaved(Misbehaviour::Malformed { .. })), "{step:#?}");
}

// ---- The clock ----

#[test]
fn a_clock_going_backwards_expires_nothing_early_and_the_end_of_time_saturates() {
    let mut widget = Widget::new(Config::new(W));
    widget.now = Millis(10_000);
    widget.ask_openid();
    assert!(widget.at(0, Input::Tick).is_empty());
    assert!(widget.at(19_999, Input::Tick).is_empty());
    assert!(matches!(widget.at(20_000, Input::Tick).only_note(), Notification::TimedOut { .. }));
    widget.now = Millis(u64::MAX - 1);
    widget.ask_openid();
    assert_eq!(widget.session.next_deadline(), Some(Millis(u64::MAX)));
    assert!(widget.at(5, Input::Tick).is_empty());
    assert!(matches!(widget.at(u64::MAX, Input::Tick).only_note(), Notification::TimedOut { request_id, .. } if request_id == "widget-2"));
    assert_eq!(widget.session.next_deadline(), None);
}

// ---- The application ----

#[test]
fn an_application_answer_is_posted_once() {
    let mut widget = Widget::new(Config::new(W).handle(ActionName::Screenshot));
    let step = widget.input(host_request("s", "screenshot", json!({})));
    assert_eq!(step.received, [("s".to_owned(), AnsweredBy::Application)]);
    assert!(step.to_host.is_empty());
    let answered = widget.input(Input::answer("s", &json!({"screenshot": {}})));
    assert_eq!(answered.only_to_host()["response"], json!({"screenshot": {}}));
    let twice = widget.input(Input::answer("s", &json!({"screenshot": {}})));
    assert!(matches!(twice.only_note(), Notification::ApplicationError { message } if message.contains("`s`")));
    let never_asked = widget.input(Input::answer_error("nobody", "no"));
    assert!(matches!(never_asked.only_note(), Notification::ApplicationError { .. }));
}

#[test]
fn a_request_repeated_while_the_application_answers_is_ignored() {
    let mut widget = Widget::new(Config::new(W).handle(ActionName::ThemeChange));
    widget.input(host_request("t", "theme_change", json!({"name": "dark"})));
    let again = widget.input(host_request("t", "theme_change", json!({"name": "light"})));
    assert!(matches!(again.only_note(), Notification::Misbehaved(Misbehaviour::DuplicateRequest { request_id }) if request_id == "t"));
    // Also when the repeat's data does not decode.
    let invalid = widget.input(host_request("t", "theme_change", json!(7)));
    assert!(matches!(invalid.only_note(), Notification::Misbehaved(Misbehaviour::DuplicateRequest { .. })), "{invalid:#?}");
    let answered = widget.input(Input::answer("t", &json!({})));
    assert_eq!(answered.to_host.len(), 1);
    // Answered: the same ID is a new request.
    assert_eq!(widget.input(host_request("t", "theme_change", json!({"name": "light"}))).received.len(), 1);
}

#[test]
fn an_application_answer_of_the_wrong_shape_is_an_error_reply() {
    let mut widget = Widget::new(Config::new(W).handle(ActionName::Screenshot));
    widget.input(host_request("s", "screenshot", json!({})));
    let step = widget.input(Input::answer("s", &json!(42)));
    assert_eq!(step.to_host.len(), 1);
    let reply: Value = serde_json::from_str(&step.to_host[0]).unwrap();
    assert_eq!(reply["requestId"], "s");
    assert!(reply["response"]["error"]["message"].is_string(), "{reply}");
    assert!(matches!(step.notes.as_slice(), [Notification::ApplicationError { .. }]));
    assert_eq!(widget.session.pending_answers(), 0);
}

#[test]
fn nothing_happens_after_stop() {
    let mut widget = Widget::new(Config::new(W).handle(ActionName::Screenshot));
    widget.input(host_request("s", "screenshot", json!({})));
    let sent = widget.ask_openid();
    let stop = widget.input(Input::Stop);
    assert!(matches!(stop.only_note(), Notification::Closed));
    for input in [
        reply(&sent, json!({"state": "blocked"})),
        Input::answer("s", &json!({"screenshot": {}})),
        host_request("c", "capabilities", json!({})),
        Input::Start,
        Input::ContentLoaded,
        Input::Stop,
    ] {
        assert!(widget.input(input).is_empty());
    }
    assert!(widget.at(u64::MAX, Input::Tick).is_empty());
    assert_eq!(widget.session.get_openid(widget.now), Err(SendError::Stopped));
    assert_eq!(widget.session.send_raw(widget.now, "get_openid", "{}"), Err(SendError::Stopped));
    assert!(widget.session.take_outputs().is_empty());
    assert_eq!((widget.session.pending_requests(), widget.session.pending_answers()), (0, 0));
}

#[test]
fn a_second_capabilities_request_gets_the_reference_error() {
    let mut widget = Widget::new(Config::new(W));
    widget.input(host_request("c1", "capabilities", json!({})));
    let step = widget.input(host_request("c2", "capabilities", json!({})));
    let reply: Value = serde_json::from_str(&step.to_host[0]).unwrap();
    assert_eq!(reply["response"]["error"]["message"], "Capability negotiation already completed");
    assert!(matches!(decode_as(Role::Host, &step.to_host[0]), Ok(Message::ToWidgetResponse(_))));
}
