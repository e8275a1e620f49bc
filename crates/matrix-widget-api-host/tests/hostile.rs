//! The host session against a hostile widget, a careless environment and a careless
//! application: duplicated, late, unknown and mistyped replies; floods; huge capability
//! lists; deep nesting; a clock that goes backwards or reaches `u64::MAX`; answers for
//! unknown or finished environment requests and of the wrong shape; inputs after `Stop`; a
//! reload mid-negotiation; a widget that changes its ID; pushes it may not see. Each test
//! says exactly what comes out.

#![expect(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, reason = "tests fail by panicking")]

use matrix_widget_api::ErrorResponseData;
use matrix_widget_api_host::session::{Config, EnvId, EnvRequest, Input, Millis, Misbehaviour, Notification};
use serde_json::{Value, json};

#[path = "support/harness.rs"]
mod harness;

use harness::{Host, ROOM, Step, USER, WIDGET, error_of, reply, request};

impl Host {
    /// Negotiates `capabilities` (all approved) and answers the versions request with
    /// `update_state` support; returns the toWidget messages of the approval.
    fn ready(&mut self, capabilities: &[&str]) -> Step {
        let ask = self.input(Input::IframeLoaded).message("capabilities").clone();
        let asked = self.widget(reply(&ask, json!({ "capabilities": capabilities })));
        let step = match asked.env.first() {
            Some((id, EnvRequest::ApproveCapabilities { requested })) => {
                let all: Vec<String> = requested.iter().map(ToString::to_string).collect();
                self.answer(*id, json!(all))
            }
            _ => asked,
        };
        assert!(self.session.is_ready(), "{step:#?}");
        let notify = step.message("notify_capabilities").clone();
        assert!(self.widget(reply(&notify, json!({}))).is_empty());
        let versions = step.message("supported_api_versions").clone();
        self.widget(reply(&versions, json!({"supported_versions": ["0.0.2", "org.matrix.msc2762_update_state"]})));
        step
    }
}

// ---- Replies from the widget ----

#[test]
fn a_reply_given_twice_is_taken_once() {
    let mut host = Host::in_room();
    host.ready(&[]);
    let language = host.input(Input::Language("fr".into())).only_message().clone();
    let first = host.widget(reply(&language, json!({})));
    assert!(
        matches!(first.only_note(), Notification::WidgetReplied { action, request_id, .. } if action == "language_change" && request_id == "host-4")
    );
    let again = host.widget(reply(&language, json!({})));
    assert!(matches!(again.only_note(), Notification::Misbehaved(Misbehaviour::UnexpectedReply { request_id }) if request_id == "host-4"));
    assert_eq!(host.session.pending_to_widget(), 0);
}

#[test]
fn a_reply_after_the_timeout_is_unexpected() {
    let mut host = Host::in_room();
    host.ready(&[]);
    let visible = host.at(1_000, Input::Visibility(true)).only_message().clone();
    // 10 s later, on any input: timed out, once.
    let tick = host.at(11_000, Input::Tick);
    assert!(matches!(tick.only_note(), Notification::TimedOut { action, request_id } if action == "visibility" && request_id == "host-4"));
    assert!(host.at(12_000, Input::Tick).is_empty());
    let late = host.widget(reply(&visible, json!({})));
    assert!(matches!(late.only_note(), Notification::Misbehaved(Misbehaviour::UnexpectedReply { request_id }) if request_id == "host-4"));
}

#[test]
fn a_reply_to_a_request_never_sent_is_unexpected() {
    let mut host = Host::in_room();
    host.ready(&[]);
    let invented = json!({"api": "toWidget", "widgetId": WIDGET, "requestId": "host-999", "action": "visibility", "data": {"visible": true}, "response": {}});
    let step = host.widget(invented.to_string());
    assert!(matches!(step.only_note(), Notification::Misbehaved(Misbehaviour::UnexpectedReply { request_id }) if request_id == "host-999"));
}

#[test]
fn a_reply_of_the_wrong_action_leaves_the_request_waiting() {
    let mut host = Host::in_room();
    host.ready(&[]);
    let language = host.input(Input::Language("fr".into())).only_message().clone();
    let mut wrong = language.clone();
    wrong["action"] = json!("visibility");
    wrong["data"] = json!({"visible": true});
    let step = host.widget(reply(&wrong, json!({})));
    assert!(matches!(
        step.only_note(),
        Notification::Misbehaved(Misbehaviour::WrongAction { request_id, expected, found })
            if request_id == "host-4" && expected == "language_change" && found == "visibility"
    ));
    assert_eq!(host.session.pending_to_widget(), 1);
    let right = host.widget(reply(&language, json!({})));
    assert!(matches!(right.only_note(), Notification::WidgetReplied { request_id, .. } if request_id == "host-4"));
}

#[test]
fn a_widget_that_changes_its_id_is_ignored() {
    let mut host = Host::in_room();
    host.ready(&["org.matrix.msc2931.navigate"]);
    let evil = request("r1", "org.matrix.msc2931.navigate", json!({"uri": "https://matrix.to/#/#a:b"})).replace(WIDGET, "evil");
    let step = host.widget(evil);
    assert!(matches!(step.only_note(), Notification::Misbehaved(Misbehaviour::ForeignWidgetId { widget_id }) if widget_id == "evil"));
    // Its replies too.
    let language = host.input(Input::Language("fr".into())).only_message().clone();
    let step = host.widget(reply(&language, json!({})).replace(WIDGET, "evil"));
    assert!(matches!(step.only_note(), Notification::Misbehaved(Misbehaviour::ForeignWidgetId { .. })));
    assert_eq!(host.session.pending_to_widget(), 1);
}

// ---- Floods and sizes ----

#[test]
fn a_flood_of_requests_is_bounded_and_every_request_answered_once() {
    let mut host = Host::in_room();
    host.ready(&[]);
    let mut waiting = Vec::new();
    let mut refused = 0usize;
    for n in 0..100_000 {
        let step = host.widget(request(&format!("r{n}"), "get_openid", json!({})));
        match (step.env.as_slice(), step.to_widget.as_slice()) {
            ([(id, EnvRequest::GetOpenId)], []) => waiting.push(*id),
            ([], [message]) => {
                assert_eq!(message["requestId"], format!("r{n}"));
                assert_eq!(error_of(message), "Too many requests are waiting for the host; try again later");
                refused += 1;
            }
            _ => panic!("{step:#?}"),
        }
    }
    assert_eq!(waiting.len(), 64);
    assert_eq!(refused, 100_000 - 64);
    assert_eq!(host.session.pending_environment(), 64);
    // Each waiting one gets its reply when answered; then there is room again.
    for (n, id) in waiting.into_iter().enumerate() {
        let step = host.answer(id, json!({"state": "blocked"}));
        assert_eq!(step.only_message()["requestId"], format!("r{n}"));
    }
    assert_eq!(host.session.pending_environment(), 0);
    let step = host.widget(request("again", "get_openid", json!({})));
    assert!(matches!(step.only_env().1, EnvRequest::GetOpenId));
}

/// The `notify_capabilities` text after negotiating `n` distinct state capabilities, and
/// how many capabilities went to the environment.
fn negotiate_many(n: usize) -> (usize, usize) {
    let mut host = Host::in_room();
    let ask = host.input(Input::IframeLoaded).message("capabilities").clone();
    let capabilities: Vec<String> = (0..n).map(|i| format!("org.matrix.msc2762.send.state_event:m.type{i}#key")).collect();
    // Every capability twice: duplicates are asked once.
    let doubled: Vec<&String> = capabilities.iter().chain(capabilities.iter()).collect();
    let step = host.widget(reply(&ask, json!({ "capabilities": doubled })));
    let (id, EnvRequest::ApproveCapabilities { requested }) = step.only_env() else { panic!("{step:#?}") };
    let asked = requested.len();
    let step = host.answer(id, json!(capabilities));
    let notify = step.message("notify_capabilities");
    assert_eq!(notify["data"]["approved"].as_array().unwrap().len(), n);
    assert_eq!(notify["data"]["requested"].as_array().unwrap().len(), n);
    (notify.to_string().len(), asked)
}

#[test]
fn sixteen_thousand_capabilities_cost_sixteen_times_one_thousand() {
    let (small, small_asked) = negotiate_many(1_000);
    let (big, big_asked) = negotiate_many(16_000);
    assert_eq!((small_asked, big_asked), (1_000, 16_000));
    // What goes out grows with what came in, not faster. (The time is measured by the
    // session benchmark; here, the work is one list each way.)
    assert!(big <= 17 * small, "{big} vs {small}");
}

#[test]
fn deep_nesting_is_refused_without_a_crash() {
    let mut host = Host::in_room();
    host.ready(&["org.matrix.msc2762.send.event:m.room.message"]);
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let message = request("deep", "send_event", json!({"type": "m.room.message", "content": {}})).replace("{}", &deep);
    let step = host.widget(message);
    assert!(step.to_widget.len() <= 1 && step.env.is_empty(), "{step:#?}");
    assert!(matches!(step.notes.as_slice(), [Notification::Misbehaved(_)]), "{step:#?}");
    let deep_object = format!("{}{}", r#"{"a":"#.repeat(50_000), "}".repeat(50_000));
    let step = host.widget(deep_object);
    assert!(matches!(step.only_note(), Notification::Misbehaved(Misbehaviour::Malformed { .. })), "{step:#?}");
}

// ---- The clock ----

#[test]
fn a_clock_going_backwards_expires_nothing_early() {
    let mut host = Host::in_room();
    host.ready(&[]);
    host.at(10_000, Input::Visibility(true)).only_message();
    assert!(host.at(5_000, Input::Tick).is_empty());
    assert!(host.at(0, Input::Tick).is_empty());
    assert!(host.at(19_999, Input::Tick).is_empty());
    assert!(matches!(host.at(20_000, Input::Tick).only_note(), Notification::TimedOut { .. }));
    assert!(host.at(3, Input::Tick).is_empty());
}

#[test]
fn ticks_at_the_end_of_time_saturate() {
    let mut host = Host::in_room();
    host.ready(&[]);
    assert!(host.at(u64::MAX, Input::Tick).is_empty());
    host.at(u64::MAX - 1, Input::Visibility(true)).only_message();
    assert_eq!(host.session.next_deadline(), Some(Millis(u64::MAX)));
    assert!(matches!(host.at(u64::MAX, Input::Tick).only_note(), Notification::TimedOut { .. }));
    // Sent at the end of time, due at once on the next input.
    host.at(u64::MAX, Input::Visibility(false)).only_message();
    assert!(matches!(host.at(u64::MAX, Input::Tick).only_note(), Notification::TimedOut { .. }));
    assert_eq!(host.session.next_deadline(), None);
}

#[test]
fn an_environment_timeout_at_the_end_of_time_answers_once() {
    let mut host = Host::new(Config::new(WIDGET, USER).viewed_room(ROOM).environment_timeout(Some(Millis(5_000))));
    host.ready(&[]);
    let (id, _) = host.at(u64::MAX - 2, Input::WidgetMessage(request("o", "get_openid", json!({})))).only_env();
    let step = host.at(u64::MAX, Input::Tick);
    assert_eq!(step.to_widget.len(), 1);
    assert_eq!(error_of(&step.to_widget[0]), "The host did not answer in time");
    assert!(matches!(step.notes.as_slice(), [Notification::EnvironmentTimedOut { id: timed_out }] if *timed_out == id));
    // The late answer is reported, never posted.
    let late = host.answer(id, json!({"state": "blocked"}));
    assert!(matches!(late.only_note(), Notification::HostError { .. }));
}

// ---- The environment ----

#[test]
fn answers_for_unknown_or_finished_requests_are_reported_never_posted() {
    let mut host = Host::in_room();
    host.ready(&[]);
    let unknown = host.answer(EnvId(424_242), json!({}));
    assert!(matches!(unknown.only_note(), Notification::HostError { message } if message.contains("424242")));
    let max = host.answer(EnvId(u64::MAX), json!({}));
    assert!(matches!(max.only_note(), Notification::HostError { .. }));
    let (id, _) = host.widget(request("o", "get_openid", json!({}))).only_env();
    assert_eq!(host.answer(id, json!({"state": "blocked"})).only_message()["requestId"], "o");
    let twice = host.answer(id, json!({"state": "blocked"}));
    assert!(matches!(twice.only_note(), Notification::HostError { .. }), "{twice:#?}");
    let twice = host.input(Input::EnvironmentAnswer { id, result: Err(ErrorResponseData::new("no")) });
    assert!(matches!(twice.only_note(), Notification::HostError { .. }), "{twice:#?}");
}

/// Every widget request that reaches the environment, with the capabilities it needs.
fn every_environment_request() -> Vec<(&'static str, Value)> {
    vec![
        ("send_event", json!({"type": "m.room.message", "content": {"msgtype": "m.text", "body": "hi"}})),
        ("send_event", json!({"type": "m.room.topic", "state_key": "", "content": {"topic": "t"}})),
        ("send_event", json!({"type": "m.room.message", "content": {"msgtype": "m.text", "body": "hi"}, "delay": 1000})),
        ("org.matrix.msc4157.update_delayed_event", json!({"delay_id": "d1", "action": "restart"})),
        ("org.matrix.msc2876.read_events", json!({"type": "m.room.message"})),
        ("org.matrix.msc3869.read_relations", json!({"event_id": "$e"})),
        ("com.beeper.read_room_account_data", json!({"type": "m.tag"})),
        ("send_to_device", json!({"type": "m.call.invite", "encrypted": false, "messages": {"@b:example.org": {"D": {}}}})),
        ("get_openid", json!({})),
        ("watch_turn_servers", json!({})),
        ("org.matrix.msc3973.user_directory_search", json!({"search_term": "b"})),
        ("org.matrix.msc4039.get_media_config", json!({})),
        ("org.matrix.msc4039.upload_file", json!({"file": "aGk="})),
        ("org.matrix.msc4039.download_file", json!({"content_uri": "mxc://example.org/a"})),
        ("org.matrix.msc2931.navigate", json!({"uri": "https://matrix.to/#/#a:example.org"})),
        ("m.sticker", json!({"name": "s", "content": {"url": "mxc://example.org/s"}})),
        ("set_always_on_screen", json!({"value": true})),
        ("open_modal", json!({"type": "m.custom", "url": "https://example.org", "name": "m"})),
        ("close_modal", json!({})),
        ("set_button_enabled", json!({"button": "ok", "enabled": true})),
    ]
}

const EVERY_CAPABILITY: &[&str] = &[
    "org.matrix.msc2762.send.event:m.room.message#m.text",
    "org.matrix.msc2762.send.state_event:m.room.topic",
    "org.matrix.msc2762.receive.event:m.room.message",
    "org.matrix.msc2762.receive.event:m.reaction",
    "org.matrix.msc4157.send.delayed_event",
    "org.matrix.msc4157.update_delayed_event",
    "org.matrix.msc3819.send.to_device:m.call.invite",
    "town.robin.msc3846.turn_servers",
    "org.matrix.msc3973.user_directory_search",
    "org.matrix.msc4039.upload_file",
    "org.matrix.msc4039.download_file",
    "org.matrix.msc2931.navigate",
    "m.sticker",
    "m.always_on_screen",
    "m.modals",
    "com.beeper.capabilities.receive.room_account_data:m.tag",
];

#[test]
fn answers_of_the_wrong_shape_become_error_replies_for_every_request() {
    for shape in [json!("a string"), json!(42), json!([1, 2]), json!({"events": 7, "chunk": "x", "room_id": 1, "event_id": [], "state": 3})]
    {
        let mut host = Host::new(Config::new(WIDGET, USER).viewed_room(ROOM).delay_ledger(false));
        host.ready(EVERY_CAPABILITY);
        for (n, (action, data)) in every_environment_request().into_iter().enumerate() {
            let step = host.widget(request(&format!("r{n}"), action, data));
            let Ok((id, env)) = std::panic::catch_unwind(|| step.only_env().0).map(|id| (id, step.env[0].1.name())) else {
                panic!("{action} did not reach the environment: {step:#?}");
            };
            let step = host.answer(id, shape.clone());
            let accepted_as_empty = shape.is_object() && step.to_widget.first().is_some_and(|m| m["response"].get("error").is_none());
            if accepted_as_empty {
                // An acknowledgement (`{}`) ignores unknown fields, as every reply decoder does.
                assert!(step.notes.is_empty(), "{env}: {step:#?}");
                continue;
            }
            let message = step.to_widget.first().unwrap_or_else(|| panic!("{env}: no reply: {step:#?}"));
            assert_eq!(message["requestId"], format!("r{n}"), "{env}");
            assert!(error_of(message).contains("invalid answer"), "{env} answered with {shape}: {message}");
            assert_eq!(step.to_widget.len(), 1, "{env}: {step:#?}");
            assert!(matches!(step.notes.as_slice(), [Notification::HostError { .. }]), "{env}: {step:#?}");
        }
        assert_eq!(host.session.pending_environment(), 0);
    }
}

#[test]
fn approvals_and_state_reads_of_the_wrong_shape_approve_and_push_nothing() {
    let mut host = Host::in_room();
    let ask = host.input(Input::IframeLoaded).message("capabilities").clone();
    let step = host.widget(reply(&ask, json!({"capabilities": ["org.matrix.msc2762.receive.state_event:m.room.topic"]})));
    let (id, _) = step.only_env();
    let step = host.answer(id, json!({"approved": "everything"}));
    assert_eq!(step.message("notify_capabilities")["data"]["approved"], json!([]));
    assert!(matches!(step.notes.first(), Some(Notification::HostError { .. })), "{step:#?}");
    assert!(host.session.negotiation().approved().is_empty());
}

// ---- The application ----

#[test]
fn nothing_happens_after_stop() {
    let mut host = Host::in_room();
    host.ready(&["org.matrix.msc2762.receive.event:m.room.message"]);
    let (id, _) = host.widget(request("o", "get_openid", json!({}))).only_env();
    host.input(Input::Visibility(true)).only_message();
    let stop = host.input(Input::Stop);
    assert!(matches!(stop.only_note(), Notification::Closed));
    assert!(host.session.is_stopped());
    for input in [
        Input::WidgetMessage(request("late", "supported_api_versions", json!({}))),
        Input::EnvironmentAnswer { id, result: Ok(json!({"state": "blocked"})) },
        Input::IframeLoaded,
        Input::Language("fr".into()),
        Input::Stop,
    ] {
        assert!(host.input(input).is_empty());
    }
    assert!(host.at(u64::MAX, Input::Tick).is_empty());
    assert_eq!((host.session.pending_environment(), host.session.pending_to_widget()), (0, 0));
}

#[test]
fn a_reload_mid_negotiation_starts_over_and_drops_the_old_answers() {
    let mut host = Host::in_room();
    let ask = host.input(Input::IframeLoaded).message("capabilities").clone();
    let step = host.widget(reply(&ask, json!({"capabilities": ["org.matrix.msc2931.navigate"]})));
    let (old, _) = step.only_env();
    // Reloaded while the user decides.
    let step = host.input(Input::IframeLoaded);
    let ask2 = step.only_message().clone();
    assert_eq!(ask2["action"], "capabilities");
    assert_eq!(ask2["requestId"], "host-2");
    // The old document's approval is not this one's.
    let late = host.answer(old, json!(["org.matrix.msc2931.navigate"]));
    assert!(matches!(late.only_note(), Notification::HostError { .. }), "{late:#?}");
    assert!(!host.session.is_ready());
    assert!(host.session.negotiation().approved().is_empty());
    // A reply to the old document's `capabilities` request is unexpected.
    let stale = host.widget(reply(&ask, json!({"capabilities": ["org.matrix.msc2931.navigate"]})));
    assert!(matches!(stale.only_note(), Notification::Misbehaved(Misbehaviour::UnexpectedReply { .. })));
    let step = host.widget(reply(&ask2, json!({"capabilities": []})));
    assert_eq!(step.message("notify_capabilities")["data"], json!({"requested": [], "approved": []}));
    assert!(host.session.is_ready());
}

// ---- Pushes ----

fn event(room: &str, event_type: &str, state_key: Option<&str>) -> Value {
    let mut event = json!({"type": event_type, "sender": "@b:example.org", "event_id": "$e", "room_id": room, "origin_server_ts": 1, "content": {"msgtype": "m.text", "body": "x"}});
    if let Some(key) = state_key {
        event["state_key"] = json!(key);
    }
    event
}

#[test]
fn pushes_the_widget_may_not_see_are_never_delivered() {
    let mut host = Host::in_room();
    host.ready(&["org.matrix.msc2762.receive.event:m.room.message", "org.matrix.msc2762.receive.state_event:m.room.topic#"]);
    let push = |host: &mut Host, input: Input| host.input(input);
    for (input, what) in [
        (Input::PushEvent(serde_json::from_value(event("!other:example.org", "m.room.message", None)).unwrap()), "another room"),
        (Input::PushEvent(serde_json::from_value(event(ROOM, "m.reaction", None)).unwrap()), "another type"),
        (Input::PushEvent(serde_json::from_value(event(ROOM, "m.room.message", Some(""))).unwrap()), "a state event of a timeline type"),
        (Input::PushStateUpdate(serde_json::from_value(event(ROOM, "m.room.name", Some(""))).unwrap()), "another state type"),
        (Input::PushStateUpdate(serde_json::from_value(event(ROOM, "m.room.topic", Some("k"))).unwrap()), "another state key"),
        (
            Input::PushStateUpdate(serde_json::from_value(event("!other:example.org", "m.room.topic", Some(""))).unwrap()),
            "state of another room",
        ),
        (
            Input::PushToDevice(
                serde_json::from_value(json!({"type": "m.call.invite", "sender": "@b:example.org", "content": {}})).unwrap(),
            ),
            "to-device",
        ),
        (
            Input::PushTurnServers(serde_json::from_value(json!({"uris": ["turn:t"], "username": "u", "password": "p"})).unwrap()),
            "TURN servers",
        ),
    ] {
        let step = push(&mut host, input);
        assert!(step.is_empty(), "{what} was delivered: {step:#?}");
    }
    // The allowed ones are.
    let step = push(&mut host, Input::PushEvent(serde_json::from_value(event(ROOM, "m.room.message", None)).unwrap()));
    assert_eq!(step.only_message()["action"], "send_event");
}

#[test]
fn state_and_sticky_reads_of_the_wrong_shape_are_host_errors() {
    let mut host = Host::in_room();
    let ask = host.input(Input::IframeLoaded).message("capabilities").clone();
    let capabilities = ["org.matrix.msc2762.receive.state_event:m.room.topic", "org.matrix.msc4407.receive.sticky_event"];
    let step = host.widget(reply(&ask, json!({ "capabilities": capabilities })));
    let (id, _) = step.only_env();
    let step = host.answer(id, json!(capabilities));
    let Some((sticky, EnvRequest::ReadStickyEvents { .. })) = step.env.first() else { panic!("{step:#?}") };
    let sticky = *sticky;
    let versions = step.message("supported_api_versions").clone();
    let step = host.widget(reply(&versions, json!({"supported_versions": ["org.matrix.msc2762_update_state"]})));
    let (read, EnvRequest::ReadState { .. }) = step.only_env() else { panic!("{step:#?}") };
    // A read of the wrong shape: the application is told, and the widget gets the state
    // that could be read (none), as the reference pushes what it has after a failed read.
    let step = host.answer(read, json!({"events": "none"}));
    assert!(matches!(step.notes.as_slice(), [Notification::HostError { message }] if message.contains("invalid answer")), "{step:#?}");
    assert_eq!(step.only_message()["action"], "update_state");
    assert_eq!(step.only_message()["data"], json!({"state": []}));
    // Sticky events of the wrong shape: nothing is pushed.
    let step = host.answer(sticky, json!([{"type": "m.room.message"}]));
    assert!(matches!(step.only_note(), Notification::HostError { .. }), "{step:#?}");
}

#[test]
fn a_busy_room_does_not_crowd_out_the_initial_state_push() {
    // State changes keep coming while the widget has not said what it speaks: more than
    // `max_pending` of them must not push the initial state read out of the queue.
    let mut host = Host::in_room();
    let ask = host.input(Input::IframeLoaded).message("capabilities").clone();
    let capabilities = ["org.matrix.msc2762.receive.state_event:m.room.member"];
    let step = host.widget(reply(&ask, json!({ "capabilities": capabilities })));
    let (id, _) = step.only_env();
    let step = host.answer(id, json!(capabilities));
    assert!(step.env.is_empty(), "the state read waits for the versions: {step:#?}");
    let versions = step.message("supported_api_versions").clone();
    for n in 0..100 {
        let member = event(ROOM, "m.room.member", Some(&format!("@u{n}:example.org")));
        let step = host.input(Input::PushStateUpdate(serde_json::from_value(member).unwrap()));
        assert!(step.to_widget.is_empty() && step.env.is_empty(), "{step:#?}");
    }
    let step = host.widget(reply(&versions, json!({"supported_versions": ["org.matrix.msc2762_update_state"]})));
    let (read, EnvRequest::ReadState { room_ids, .. }) = step.only_env() else { panic!("no state read: {step:#?}") };
    assert_eq!(serde_json::to_value(room_ids).unwrap(), json!([ROOM]));
    // The read comes back with the room's state; the changes held meanwhile win over it.
    let step = host.answer(read, json!({"events": [event(ROOM, "m.room.member", Some("@alice:example.org"))]}));
    let state = step.only_message()["data"]["state"].as_array().unwrap().clone();
    let keys: Vec<&str> = state.iter().map(|e| e["state_key"].as_str().unwrap()).collect();
    assert_eq!(keys[0], "@alice:example.org");
    assert_eq!(keys.len(), 1 + 100 - 37, "the newest changes, bounded by max_pending: {keys:?}");
    assert_eq!(keys[keys.len() - 1], "@u99:example.org");
}

#[test]
fn many_rooms_viewed_before_the_versions_are_all_read() {
    let mut host = Host::in_room();
    let ask = host.input(Input::IframeLoaded).message("capabilities").clone();
    let capabilities = ["org.matrix.msc2762.receive.state_event:m.room.member"];
    let (id, _) = host.widget(reply(&ask, json!({ "capabilities": capabilities }))).only_env();
    let versions = host.answer(id, json!(capabilities)).message("supported_api_versions").clone();
    for n in 0..100 {
        let step = host.input(Input::ViewedRoomChanged(Some(format!("!r{n}:example.org"))));
        assert!(step.to_widget.is_empty() && step.env.is_empty(), "{step:#?}");
    }
    let step = host.widget(reply(&versions, json!({"supported_versions": ["org.matrix.msc2762_update_state"]})));
    // Bounded by max_pending reads, and no room is left out.
    assert_eq!(step.env.len(), 64);
    let mut read: Vec<String> = Vec::new();
    for (_, request) in &step.env {
        let EnvRequest::ReadState { room_ids, .. } = request else { panic!("{request:?}") };
        read.extend(serde_json::from_value::<Vec<String>>(serde_json::to_value(room_ids).unwrap()).unwrap());
    }
    let mut expected = vec![ROOM.to_owned()];
    expected.extend((0..100).map(|n| format!("!r{n}:example.org")));
    assert_eq!(read, expected);
}
