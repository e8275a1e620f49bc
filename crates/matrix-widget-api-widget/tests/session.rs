//! The widget session, scenario by scenario: host messages and application inputs in,
//! messages to the host, typed requests and replies, and notifications out. The scenarios
//! follow what matrix-widget-api 1.19's `WidgetApi` does (its source; its own tests do not
//! ship with the package), in our words and data, noting where the session differs on
//! purpose. Property tests at the end.

// Tests fail by panicking.
#![expect(clippy::panic, clippy::unwrap_used, clippy::indexing_slicing, reason = "tests fail by panicking")]

use matrix_widget_api::from_widget::read_events::{ReadEventsRequestData, StateKeySelector};
use matrix_widget_api::from_widget::send_event::{Delay, SendEventRequestData, StickyDuration};
use matrix_widget_api::from_widget::send_to_device::{DeviceTarget, SendToDeviceRequestData, ToDeviceMessages};
use matrix_widget_api::naming::{Naming, Spelled};
use matrix_widget_api::payload::RawObject;
use matrix_widget_api::{ActionName, ApiVersion, Capability, FromWidgetResponse, Message, Role, ToWidgetRequest, decode_as};
use matrix_widget_api_widget::session::{AnsweredBy, Config, Input, Millis, Misbehaviour, Notification, Output, SendError, WidgetSession};
use serde_json::{Value, json};

const W: &str = "w";

fn cap(s: &str) -> Spelled<Capability> {
    Spelled::parse(s).unwrap()
}

fn host_request(request_id: &str, action: &str, data: Value) -> Input {
    Input::HostMessage(json!({"api": "toWidget", "widgetId": W, "requestId": request_id, "action": action, "data": data}).to_string())
}

/// The host's reply to the widget's message `text`.
fn reply(text: &str, response: Value) -> Input {
    let mut message: Value = serde_json::from_str(text).unwrap();
    message["response"] = response;
    Input::HostMessage(message.to_string())
}

fn to_host(out: &[Output]) -> Vec<Value> {
    out.iter()
        .filter_map(|o| match o {
            Output::ToHost(text) => Some(serde_json::from_str(text).unwrap()),
            _ => None,
        })
        .collect()
}

fn texts(out: &[Output]) -> Vec<String> {
    out.iter()
        .filter_map(|o| match o {
            Output::ToHost(text) => Some(text.clone()),
            _ => None,
        })
        .collect()
}

fn notifications(out: &[Output]) -> Vec<&Notification> {
    out.iter()
        .filter_map(|o| match o {
            Output::Notify(n) => Some(n),
            _ => None,
        })
        .collect()
}

fn received(out: &[Output]) -> Vec<(&ToWidgetRequest, AnsweredBy)> {
    out.iter()
        .filter_map(|o| match o {
            Output::Received { request, by } => Some((&**request, *by)),
            _ => None,
        })
        .collect()
}

fn replied(out: &[Output]) -> Vec<&FromWidgetResponse> {
    out.iter()
        .filter_map(|o| match o {
            Output::Replied(r) => Some(&**r),
            _ => None,
        })
        .collect()
}

fn ready(out: &[Output]) -> bool {
    notifications(out).iter().any(|n| matches!(n, Notification::Ready))
}

/// A session that answered `capabilities` and got `notify_capabilities` approving `caps`.
fn negotiated(config: Config, caps: &[&str]) -> WidgetSession {
    let mut session = WidgetSession::new(config.capabilities(caps.iter().map(|c| cap(c))));
    let out = session.process(Millis(0), host_request("h-caps", "capabilities", json!({})));
    let versions = texts(&out).into_iter().find(|t| t.contains("supported_api_versions")).unwrap();
    session.process(Millis(0), reply(&versions, json!({"supported_versions": ["0.0.2", "org.matrix.msc2871"]})));
    let out = session.process(Millis(0), host_request("h-notify", "notify_capabilities", json!({"requested": caps, "approved": caps})));
    assert!(ready(&out));
    session
}

// ---- Negotiation ----

#[test]
fn the_capabilities_request_is_answered_with_what_the_widget_wants_in_its_spelling() {
    let caps = ["m.send.delayed_event", "org.matrix.msc2762.send.state_event:org.matrix.msc3401.call.member"];
    let mut session = WidgetSession::new(Config::new(W).capabilities(caps.map(cap)));
    let out = session.process(Millis(0), host_request("h1", "capabilities", json!({})));
    let (request, by) = received(&out)[0];
    assert!(matches!(request, ToWidgetRequest::Capabilities(_)));
    assert_eq!(by, AnsweredBy::Session);
    let posted = to_host(&out);
    assert_eq!(posted[0]["requestId"], "h1");
    assert_eq!(posted[0]["response"], json!({"capabilities": caps}));
    // The host's versions are asked, to know whether a notification will come.
    assert_eq!(posted[1]["action"], "supported_api_versions");
    assert_eq!(posted[1]["requestId"], "widget-1");
    assert!(!session.is_ready());

    // As the reference: a second request is refused.
    let out = session.process(Millis(0), host_request("h2", "capabilities", json!({})));
    assert_eq!(to_host(&out)[0]["response"]["error"]["message"], "Capability negotiation already completed");
}

#[test]
fn notify_capabilities_is_acknowledged_and_sets_what_the_widget_may_do() {
    let mut session = WidgetSession::new(Config::new(W).capabilities([cap("m.always_on_screen"), cap("org.matrix.msc2931.navigate")]));
    session.process(Millis(0), host_request("h1", "capabilities", json!({})));
    // Before the host says, nothing is had.
    assert!(!session.has_capability(&Capability::AlwaysOnScreen));
    let out = session.process(
        Millis(0),
        host_request(
            "h2",
            "notify_capabilities",
            json!({"requested": ["m.always_on_screen", "org.matrix.msc2931.navigate"], "approved": ["org.matrix.msc2931.navigate"]}),
        ),
    );
    assert_eq!(to_host(&out)[0]["response"], json!({}));
    assert!(ready(&out));
    assert!(notifications(&out).iter().any(|n| matches!(n, Notification::Capabilities { requested: 2, approved: 1 })));
    assert!(session.is_ready());
    assert!(!session.has_capability(&Capability::AlwaysOnScreen));
    assert!(session.has_capability(&cap("m.navigate").into_inner()), "a capability is had in any spelling");
    assert_eq!(session.approved().unwrap().len(), 1);
}

#[test]
fn a_host_without_msc2871_makes_the_session_ready_once_the_capabilities_are_sent() {
    // The reference's other path: no notification is expected, so the widget is ready and
    // has what it requested.
    let mut session = WidgetSession::new(Config::new(W).capabilities([cap("m.always_on_screen")]));
    let out = session.process(Millis(0), host_request("h1", "capabilities", json!({})));
    let versions = texts(&out)[1].clone();
    let out = session.process(Millis(5), reply(&versions, json!({"supported_versions": ["0.0.1", "0.0.2"]})));
    assert!(ready(&out));
    assert!(session.has_capability(&Capability::AlwaysOnScreen));
    assert!(session.approved().is_none());
    assert!(!session.host_supports(&ApiVersion::Msc2871));
}

#[test]
fn versions_known_before_the_capabilities_request_decide_at_once() {
    let mut session = WidgetSession::new(Config::new(W));
    let out = session.process(Millis(0), Input::Start);
    let versions = texts(&out)[0].clone();
    session.process(Millis(0), reply(&versions, json!({"supported_versions": ["0.0.2"]})));
    let out = session.process(Millis(0), host_request("h1", "capabilities", json!({})));
    assert!(ready(&out));
    assert_eq!(to_host(&out).len(), 1, "versions are not asked twice");
}

#[test]
fn a_host_that_does_not_answer_the_versions_request_is_taken_to_support_none() {
    // The reference's getClientVersions falls back to [] on failure.
    let mut session = WidgetSession::new(Config::new(W));
    session.process(Millis(0), host_request("h1", "capabilities", json!({})));
    assert_eq!(session.next_deadline(), Some(Millis(10_000)));
    assert!(session.process(Millis(9_999), Input::Tick).is_empty());
    let out = session.process(Millis(10_000), Input::Tick);
    let n = notifications(&out);
    assert!(
        matches!(n[0], Notification::TimedOut { action, request_id } if action == "supported_api_versions" && request_id == "widget-1")
    );
    assert!(matches!(n[1], Notification::Ready));
    assert_eq!(session.host_versions().map(|v| v.len()), Some(0));
}

#[test]
fn the_hosts_versions_request_is_answered_with_the_current_versions() {
    let mut session = WidgetSession::new(Config::new(W));
    let out = session.process(Millis(0), host_request("h1", "supported_api_versions", json!({})));
    let expected: Vec<String> = ApiVersion::CURRENT.iter().map(ToString::to_string).collect();
    assert_eq!(to_host(&out)[0]["response"], json!({"supported_versions": expected}));
}

#[test]
fn start_asks_the_versions_and_sends_content_loaded_when_not_waiting_for_the_iframe() {
    let mut session = WidgetSession::new(Config::new(W));
    let out = session.process(Millis(0), Input::Start);
    let actions: Vec<Value> = to_host(&out).iter().map(|m| m["action"].clone()).collect();
    assert_eq!(actions, [json!("supported_api_versions")]);

    let mut session = WidgetSession::new(Config::new(W).wait_for_iframe_load(false));
    let out = session.process(Millis(0), Input::Start);
    let posted = to_host(&out);
    assert_eq!(posted.iter().map(|m| m["action"].clone()).collect::<Vec<_>>(), [json!("supported_api_versions"), json!("content_loaded")]);
    assert_eq!(posted[1]["requestId"], "widget-2");
    // A second start does nothing; content_loaded can still be sent on demand.
    assert!(session.process(Millis(0), Input::Start).is_empty());
    let out = session.process(Millis(0), Input::ContentLoaded);
    assert_eq!(to_host(&out)[0]["action"], "content_loaded");
    // The host's answer comes back typed.
    let out = session.process(Millis(0), reply(&texts(&out)[0], json!({})));
    assert!(matches!(replied(&out)[0], FromWidgetResponse::ContentLoaded(r) if r.result().is_ok()));
}

#[test]
fn msc2974_capabilities_asked_before_negotiation_join_the_answer() {
    let mut session = WidgetSession::new(Config::new(W).capabilities([cap("m.always_on_screen")]));
    assert_eq!(session.request_capabilities(Millis(0), [cap("org.matrix.msc2931.navigate"), cap("m.always_on_screen")]).unwrap(), None);
    let out = session.process(Millis(0), host_request("h1", "capabilities", json!({})));
    assert_eq!(to_host(&out)[0]["response"]["capabilities"], json!(["m.always_on_screen", "org.matrix.msc2931.navigate"]));
}

#[test]
fn msc2974_renegotiation_sends_every_requested_capability_and_reads_the_new_approval() {
    let mut session = negotiated(Config::new(W), &["m.always_on_screen"]);
    let out = session.process(Millis(0), Input::RequestCapabilities(vec![cap("org.matrix.msc2931.navigate")]));
    let posted = to_host(&out);
    assert_eq!(posted[0]["action"], "org.matrix.msc2974.request_capabilities");
    assert_eq!(posted[0]["data"]["capabilities"], json!(["m.always_on_screen", "org.matrix.msc2931.navigate"]));
    let out = session.process(Millis(0), reply(&texts(&out)[0], json!({})));
    assert_eq!(replied(&out).len(), 1);
    // The reference reads only the first notification; a renegotiation's is read too.
    let out = session.process(
        Millis(0),
        host_request(
            "h9",
            "notify_capabilities",
            json!({"requested": ["org.matrix.msc2931.navigate"], "approved": ["m.always_on_screen", "org.matrix.msc2931.navigate"]}),
        ),
    );
    assert!(!ready(&out), "ready is said once");
    assert!(session.has_capability(&Capability::Navigate));
}

// ---- Requests to the host ----

#[test]
fn requests_get_ids_and_replies_are_matched_by_id_and_action() {
    let mut session = negotiated(Config::new(W), &[]);
    let first = session.get_openid(Millis(0)).unwrap();
    let second = session.cancel_delayed_event(Millis(0), "syd_1").unwrap();
    assert_eq!((first.as_str(), second.as_str()), ("widget-2", "widget-3"));
    let sent = texts(&session.take_outputs());
    assert_eq!(sent.len(), 2);

    // A reply with the right ID and another action is not the reply.
    let wrong = sent[0].replace("get_openid", "org.matrix.msc2931.navigate");
    let out = session.process(Millis(0), reply(&wrong, json!({})));
    assert!(
        matches!(notifications(&out)[0], Notification::Misbehaved(Misbehaviour::WrongAction { expected, .. }) if expected == "get_openid")
    );
    assert_eq!(session.pending_requests(), 2);
    // Unknown IDs and other widgets are reported and ignored.
    let out = session.process(Millis(0), reply(&sent[0].replace("widget-2", "widget-99"), json!({"state": "blocked"})));
    assert!(matches!(notifications(&out)[0], Notification::Misbehaved(Misbehaviour::UnexpectedReply { .. })));
    let out = session.process(Millis(0), reply(&sent[0].replace(r#""widgetId":"w""#, r#""widgetId":"evil""#), json!({"state": "blocked"})));
    assert!(matches!(notifications(&out)[0], Notification::Misbehaved(Misbehaviour::ForeignWidgetId { widget_id }) if widget_id == "evil"));
    assert_eq!(session.pending_requests(), 2);

    let out = session.process(Millis(0), reply(&sent[1], json!({})));
    assert!(matches!(replied(&out)[..], [FromWidgetResponse::UpdateDelayedEvent(r)] if r.envelope().request_id() == "widget-3"));
    let out = session.process(Millis(0), reply(&sent[0], json!({"state": "blocked"})));
    assert!(matches!(replied(&out)[..], [FromWidgetResponse::GetOpenId(_)]));
    assert_eq!(session.pending_requests(), 0);
    // A second reply to the same request is unexpected.
    let out = session.process(Millis(0), reply(&sent[0], json!({"state": "blocked"})));
    assert!(matches!(notifications(&out)[0], Notification::Misbehaved(Misbehaviour::UnexpectedReply { .. })));
}

#[test]
fn requests_time_out_after_ten_seconds_unless_configured() {
    let mut session = negotiated(Config::new(W), &[]);
    session.read_events(Millis(1_000), ReadEventsRequestData::new("m.room.message")).unwrap();
    let sent = texts(&session.take_outputs());
    assert_eq!(session.next_deadline(), Some(Millis(11_000)));
    let out = session.process(Millis(11_000), Input::Tick);
    assert!(matches!(notifications(&out)[0], Notification::TimedOut { action, .. } if action == "org.matrix.msc2876.read_events"));
    let late = session.process(Millis(11_001), reply(&sent[0], json!({"events": []})));
    assert!(matches!(notifications(&late)[0], Notification::Misbehaved(Misbehaviour::UnexpectedReply { .. })));

    let mut session = WidgetSession::new(Config::new(W).timeout(Millis(50)));
    session.process(Millis(0), Input::Start);
    assert_eq!(session.next_deadline(), Some(Millis(50)));
}

#[test]
fn an_error_reply_is_typed_with_its_matrix_api_error() {
    let mut session = negotiated(Config::new(W), &[]);
    let leave = SendEventRequestData::new("org.matrix.msc3401.call.member", RawObject::empty())
        .with_state_key("_@a:example.org_DEV")
        .with_delay(Delay::from_millis(8_000).unwrap());
    session.send_event(Millis(0), leave).unwrap();
    let sent = texts(&session.take_outputs());
    let error = json!({"error": {"message": "too long", "matrix_api_error": {
        "http_status": 400, "http_headers": {}, "url": "https://hs/_matrix/client/v3/rooms/r/state/t/k",
        "response": {"errcode": "M_MAX_DELAY_EXCEEDED", "error": "too long", "org.matrix.msc4140.max_delay": 5000}}}});
    let out = session.process(Millis(0), reply(&sent[0], error));
    let [FromWidgetResponse::SendEvent(r)] = replied(&out)[..] else { panic!("{out:?}") };
    let error = r.result().as_ref().unwrap_err();
    assert_eq!(error.error.message, "too long");
    let api = error.error.matrix_api_error.as_ref().unwrap();
    assert_eq!(api.http_status.as_u16(), 400);
}

#[test]
fn an_undecodable_reply_fails_its_request() {
    let mut session = negotiated(Config::new(W), &[]);
    session.send_event(Millis(0), SendEventRequestData::new("m.room.message", RawObject::empty())).unwrap();
    let sent = texts(&session.take_outputs());
    // A success without `room_id` is not a send_event response.
    let out = session.process(Millis(0), reply(&sent[0], json!({"event_id": 5})));
    assert!(matches!(notifications(&out)[0], Notification::InvalidReply { request_id, .. } if request_id == "widget-2"));
    assert_eq!(session.pending_requests(), 0);
    assert!(to_host(&out).is_empty(), "a reply is never answered");
}

#[test]
fn delayed_event_updates_in_both_namings() {
    let mut unstable = negotiated(Config::new(W), &[]);
    unstable.restart_delayed_event(Millis(0), "syd_a").unwrap();
    let posted = to_host(&unstable.take_outputs());
    assert_eq!(posted[0]["action"], "org.matrix.msc4157.update_delayed_event");
    assert_eq!(posted[0]["data"], json!({"delay_id": "syd_a", "action": "restart"}));

    let mut stable = negotiated(Config::new(W).naming(Naming::Stable), &[]);
    stable.send_delayed_event(Millis(0), "syd_a").unwrap();
    stable
        .send_with::<matrix_widget_api::from_widget::update_delayed_event::UpdateDelayedEvent>(
            Millis(0),
            matrix_widget_api::from_widget::update_delayed_event::UpdateDelayedEventRequestData::new(
                "syd_b",
                matrix_widget_api::from_widget::update_delayed_event::UpdateAction::Cancel,
            ),
            Naming::Unstable,
        )
        .unwrap();
    let posted = to_host(&stable.take_outputs());
    assert_eq!(posted[0]["action"], "update_delayed_event");
    assert_eq!(posted[1]["action"], "org.matrix.msc4157.update_delayed_event");
    // A reply in either spelling matches.
    let out = stable.process(
        Millis(0),
        reply(&posted[0].to_string().replace("\"update_delayed_event\"", "\"org.matrix.msc4157.update_delayed_event\""), json!({})),
    );
    assert_eq!(replied(&out).len(), 1);
}

#[test]
fn helpers_write_what_the_reference_writes() {
    let mut session = negotiated(Config::new(W), &[]);
    session
        .send_delayed_state_event(
            Millis(0),
            "org.matrix.msc3401.call.member",
            "_@a:b_D",
            RawObject::empty(),
            Delay::from_millis(10_000).unwrap(),
        )
        .unwrap();
    let sticky = SendEventRequestData::new("org.matrix.msc3401.call.member", RawObject::from_json(r#"{"a":1}"#).unwrap())
        .with_sticky_duration(StickyDuration::from_millis(3_600_000).unwrap())
        .with_delay(Delay::from_millis(5_000).unwrap());
    session.send_event(Millis(0), sticky).unwrap();
    session.read_events(Millis(0), ReadEventsRequestData::new("m.room.member").with_state_key(StateKeySelector::Any)).unwrap();
    let mut messages = ToDeviceMessages::new();
    messages.insert("@b:example.org", DeviceTarget::AllDevices, RawObject::from_json(r#"{"k":"v"}"#).unwrap());
    session.send_to_device(Millis(0), SendToDeviceRequestData::new("io.element.call.encryption_keys", true, messages)).unwrap();
    session.watch_turn_servers(Millis(0)).unwrap();
    let posted = to_host(&session.take_outputs());
    assert_eq!(posted[0]["data"], json!({"type": "org.matrix.msc3401.call.member", "state_key": "_@a:b_D", "content": {}, "delay": 10000}));
    assert_eq!(posted[1]["data"]["sticky_duration_ms"], 3_600_000);
    assert_eq!(posted[1]["data"]["delay"], 5000);
    assert_eq!(posted[2]["action"], "org.matrix.msc2876.read_events");
    assert_eq!(posted[2]["data"]["state_key"], true);
    assert_eq!(posted[3]["action"], "send_to_device");
    assert_eq!(posted[3]["data"]["messages"]["@b:example.org"]["*"], json!({"k": "v"}));
    assert_eq!(posted[4]["action"], "watch_turn_servers");
}

#[test]
fn a_raw_request_keeps_its_action_string_and_is_refused_when_it_would_not_decode() {
    let mut session = negotiated(Config::new(W), &[]);
    let id = session.send_raw(Millis(0), "read_events", r#"{"type":"m.room.topic","state_key":""}"#).unwrap();
    let posted = to_host(&session.take_outputs());
    assert_eq!(posted[0]["action"], "read_events");
    assert_eq!(posted[0]["requestId"], id);
    // The reference host's answer to a stable name it does not know, typed anyway.
    let error = json!({"error": {"message": "Unknown or unsupported from-widget action: read_events"}});
    let out = session.process(Millis(0), reply(&posted[0].to_string(), error));
    assert!(matches!(replied(&out)[..], [FromWidgetResponse::ReadEvents(r)] if r.is_error()));

    let refused = session.send_raw(Millis(0), "send_event", r#"{"type":"m.room.message","content":{},"delay":0}"#);
    assert!(matches!(&refused, Err(SendError::Invalid(reason)) if reason.contains("delay")), "{refused:?}");
    assert!(matches!(session.send_raw(Millis(0), "send_event", "[]"), Err(SendError::Invalid(_))));
    assert!(session.take_outputs().is_empty());
    // A vendor action is sent as given.
    session.send_raw(Millis(0), "io.element.join", "{}").unwrap();
    assert_eq!(to_host(&session.take_outputs())[0]["action"], "io.element.join");
}

#[test]
fn the_number_of_waiting_requests_is_bounded() {
    let mut session = WidgetSession::new(Config::new(W).max_pending(2));
    session.get_openid(Millis(0)).unwrap();
    session.get_openid(Millis(0)).unwrap();
    assert_eq!(session.get_openid(Millis(0)), Err(SendError::TooManyPending));
    // Expiry makes room.
    assert!(session.get_openid(Millis(10_000)).is_ok());
}

// ---- Requests from the host ----

#[test]
fn host_requests_nobody_handles_get_the_references_answers() {
    let mut session = negotiated(Config::new(W), &[]);
    let cases = [
        ("visibility", json!({"visible": false}), json!({})),
        (
            "send_event",
            json!({"type": "m.room.message", "sender": "@b:x", "event_id": "$1", "room_id": "!r:x", "origin_server_ts": 1, "content": {}}),
            json!({"error": {"message": "Unknown or unsupported to-widget action: send_event"}}),
        ),
        ("theme_change", json!({"name": "dark"}), json!({"error": {"message": "Unknown or unsupported to-widget action: theme_change"}})),
        (
            "language_change",
            json!({"lang": "fr"}),
            json!({"error": {"message": "Unknown or unsupported to-widget action: language_change"}}),
        ),
        (
            "update_turn_servers",
            json!({"uris": ["turn:x"], "username": "u", "password": "p"}),
            json!({"error": {"message": "Unknown or unsupported to-widget action: update_turn_servers"}}),
        ),
        (
            "org.matrix.msc2762.update_state",
            json!({"state": []}),
            json!({"error": {"message": "Unknown or unsupported to-widget action: org.matrix.msc2762.update_state"}}),
        ),
        ("io.element.vendor", json!({}), json!({"error": {"message": "Unknown or unsupported to-widget action: io.element.vendor"}})),
    ];
    for (i, (action, data, response)) in cases.into_iter().enumerate() {
        let out = session.process(Millis(0), host_request(&format!("p{i}"), action, data));
        assert_eq!(received(&out).len(), 1, "{action}: handed to the application");
        assert_eq!(received(&out)[0].1, AnsweredBy::Session);
        let posted = to_host(&out);
        assert_eq!(posted.len(), 1, "{action}");
        assert_eq!(posted[0]["response"], response, "{action}");
        assert_eq!(posted[0]["requestId"], format!("p{i}"));
    }
}

#[test]
fn acknowledged_actions_get_an_empty_response() {
    let config = Config::new(W).acknowledge(ActionName::SendEvent).acknowledge(ActionName::Screenshot);
    let mut session = negotiated(config, &[]);
    let event =
        json!({"type": "m.room.message", "sender": "@b:x", "event_id": "$1", "room_id": "!r:x", "origin_server_ts": 1, "content": {}});
    let out = session.process(Millis(0), host_request("p1", "send_event", event));
    let [(ToWidgetRequest::SendEvent(r), AnsweredBy::Session)] = received(&out)[..] else { panic!("{out:?}") };
    assert_eq!(r.data().event_id, "$1");
    assert_eq!(to_host(&out)[0]["response"], json!({}));
    // A screenshot's response is not `{}`: the default error instead.
    let out = session.process(Millis(0), host_request("p2", "screenshot", json!({})));
    assert!(to_host(&out)[0]["response"]["error"].is_object());
}

#[test]
fn handled_actions_are_answered_once_by_the_application() {
    let config = Config::new(W).handle(ActionName::Screenshot).handle(ActionName::ThemeChange).handle(ActionName::Capabilities);
    let mut session = negotiated(config, &[]);
    let out = session.process(Millis(0), host_request("s1", "screenshot", json!({})));
    assert!(to_host(&out).is_empty(), "the session waits for the application");
    assert_eq!(received(&out)[0].1, AnsweredBy::Application);
    assert_eq!(session.pending_answers(), 1);
    // The same request again while it waits: ignored.
    let out = session.process(Millis(0), host_request("s1", "screenshot", json!({})));
    assert!(matches!(notifications(&out)[0], Notification::Misbehaved(Misbehaviour::DuplicateRequest { .. })));
    assert!(to_host(&out).is_empty());

    let out = session.process(Millis(0), Input::answer("s1", &json!({"screenshot": "aGk="})));
    assert_eq!(to_host(&out)[0]["response"], json!({"screenshot": "aGk="}));
    // A second answer is not posted.
    let out = session.process(Millis(0), Input::answer("s1", &json!({"screenshot": "aGk="})));
    assert!(to_host(&out).is_empty());
    assert!(matches!(notifications(&out)[0], Notification::ApplicationError { .. }));

    // An answer of the wrong shape becomes an error reply, and the application is told.
    session.process(Millis(0), host_request("t1", "theme_change", json!({"name": "light"})));
    let out = session.process(Millis(0), Input::answer("t1", &json!([1])));
    assert!(to_host(&out)[0]["response"]["error"]["message"].as_str().unwrap().contains("theme_change"));
    assert!(matches!(notifications(&out)[0], Notification::ApplicationError { .. }));
    // An error answer is passed on.
    session.process(Millis(0), host_request("t2", "theme_change", json!({"name": "light"})));
    let out = session.process(Millis(0), Input::answer_error("t2", "no themes here"));
    assert_eq!(to_host(&out)[0]["response"], json!({"error": {"message": "no themes here"}}));
    // `capabilities` stays the session's even when named.
    let out = session.process(Millis(0), host_request("c", "capabilities", json!({})));
    assert_eq!(received(&out)[0].1, AnsweredBy::Session);
}

#[test]
fn answers_the_application_owes_are_bounded() {
    let mut session = WidgetSession::new(Config::new(W).handle(ActionName::ThemeChange).max_pending(1));
    session.process(Millis(0), host_request("t1", "theme_change", json!({})));
    let out = session.process(Millis(0), host_request("t2", "theme_change", json!({})));
    assert_eq!(received(&out)[0].1, AnsweredBy::Session);
    assert!(to_host(&out)[0]["response"]["error"].is_object());
    assert_eq!(session.pending_answers(), 1);
}

#[test]
fn openid_credentials_complete_a_pending_request() {
    let mut session = negotiated(Config::new(W), &[]);
    let id = session.get_openid(Millis(0)).unwrap();
    let sent = texts(&session.take_outputs());
    let out = session.process(Millis(0), reply(&sent[0], json!({"state": "request"})));
    assert_eq!(replied(&out).len(), 1);
    let credentials = json!({"state": "allowed", "original_request_id": id, "access_token": "t", "expires_in": 3600, "matrix_server_name": "example.org", "token_type": "Bearer"});
    let out = session.process(Millis(0), host_request("o1", "openid_credentials", credentials.clone()));
    let [(ToWidgetRequest::OpenIdCredentials(r), AnsweredBy::Session)] = received(&out)[..] else { panic!("{out:?}") };
    assert_eq!(r.data().access_token.as_deref(), Some("t"));
    assert_eq!(to_host(&out)[0]["response"], json!({}));
    // Only once: a second one finds nothing pending.
    let out = session.process(Millis(0), host_request("o2", "openid_credentials", credentials));
    assert!(to_host(&out)[0]["response"]["error"]["message"].as_str().unwrap().starts_with("Unknown or unsupported"));
    // The reference refuses any other state; decoding does the same.
    let out = session.process(Millis(0), host_request("o3", "openid_credentials", json!({"state": "request", "original_request_id": id})));
    assert!(to_host(&out)[0]["response"]["error"].is_object());
}

#[test]
fn turn_servers_are_acknowledged_while_watched() {
    let mut session = negotiated(Config::new(W), &[]);
    session.watch_turn_servers(Millis(0)).unwrap();
    session.take_outputs();
    let servers = json!({"uris": ["turn:turn.example.org"], "username": "u", "password": "p"});
    let out = session.process(Millis(0), host_request("t1", "update_turn_servers", servers.clone()));
    assert_eq!(to_host(&out)[0]["response"], json!({}));
    session.unwatch_turn_servers(Millis(0)).unwrap();
    let out = session.process(Millis(0), host_request("t2", "update_turn_servers", servers.clone()));
    assert!(to_host(&out).iter().any(|m| m["requestId"] == "t2" && m["response"]["error"].is_object()));
    // A watch sent verbatim counts too (servers may come before the watch's reply), and a
    // refused watch ends it.
    session.send_raw(Millis(0), "watch_turn_servers", "{}").unwrap();
    let watch = texts(&session.take_outputs()).pop().unwrap();
    let out = session.process(Millis(0), host_request("t3", "update_turn_servers", servers.clone()));
    assert_eq!(to_host(&out)[0]["response"], json!({}));
    session.process(Millis(0), reply(&watch, json!({"error": {"message": "no TURN here"}})));
    let out = session.process(Millis(0), host_request("t4", "update_turn_servers", servers));
    assert!(to_host(&out)[0]["response"]["error"].is_object());
}

#[test]
fn invalid_and_foreign_host_messages() {
    let mut session = negotiated(Config::new(W), &[]);
    // Bad data in a toWidget request: an error reply.
    let out = session.process(Millis(0), host_request("v1", "visibility", json!({"visible": "yes"})));
    assert!(matches!(notifications(&out)[0], Notification::Misbehaved(Misbehaviour::Invalid { .. })));
    assert!(to_host(&out)[0]["response"]["error"].is_object());
    // Another widget's request: ignored.
    let foreign = json!({"api": "toWidget", "widgetId": "other", "requestId": "x", "action": "visibility", "data": {"visible": true}});
    let out = session.process(Millis(0), Input::HostMessage(foreign.to_string()));
    assert!(to_host(&out).is_empty());
    assert!(matches!(notifications(&out)[0], Notification::Misbehaved(Misbehaviour::ForeignWidgetId { .. })));
    // A fromWidget request (the wrong direction for a widget) and garbage: ignored.
    let wrong = json!({"api": "fromWidget", "widgetId": W, "requestId": "y", "action": "content_loaded", "data": {}});
    for text in [wrong.to_string(), "not json".to_owned(), "{}".to_owned()] {
        let out = session.process(Millis(0), Input::HostMessage(text.clone()));
        assert!(to_host(&out).is_empty(), "{text}");
        assert!(matches!(notifications(&out)[0], Notification::Misbehaved(_)), "{text}");
    }
}

#[test]
fn stop_ends_the_session() {
    let mut session = negotiated(Config::new(W), &[]);
    session.get_openid(Millis(0)).unwrap();
    let sent = texts(&session.take_outputs());
    let out = session.process(Millis(0), Input::Stop);
    assert!(matches!(notifications(&out)[..], [Notification::Closed]));
    assert!(session.is_stopped() && !session.is_ready());
    assert!(session.process(Millis(0), reply(&sent[0], json!({"state": "blocked"}))).is_empty());
    assert!(session.process(Millis(0), host_request("h", "visibility", json!({"visible": true}))).is_empty());
    assert_eq!(session.get_openid(Millis(0)), Err(SendError::Stopped));
    assert_eq!(session.next_deadline(), None);
}

// ---- Properties ----

mod properties {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    #[derive(Clone, Debug)]
    enum Step {
        /// A host request: action index, request ID index, foreign widget.
        Request(usize, u8, bool),
        /// The same text as an earlier host request, again.
        Repeat(usize),
        /// An application answer for request ID index, ok or error.
        Answer(u8, bool),
        /// A reply to the widget's n-th message.
        Reply(usize, bool),
        Send(usize),
        Capabilities(u8),
        Tick(u64),
        Start,
        Stop,
    }

    const ACTIONS: [(&str, &str); 12] = [
        ("capabilities", "{}"),
        ("notify_capabilities", r#"{"requested":["m.always_on_screen"],"approved":["m.always_on_screen"]}"#),
        ("supported_api_versions", "{}"),
        ("visibility", r#"{"visible":true}"#),
        ("theme_change", r#"{"name":"dark"}"#),
        ("screenshot", "{}"),
        ("send_event", r#"{"type":"m.room.message","sender":"@b:x","event_id":"$1","room_id":"!r:x","origin_server_ts":1,"content":{}}"#),
        ("send_to_device", r#"{"type":"m.x","sender":"@b:x","encrypted":false,"content":{}}"#),
        ("update_turn_servers", r#"{"uris":["turn:x"],"username":"u","password":"p"}"#),
        ("openid_credentials", r#"{"state":"allowed","original_request_id":"widget-1"}"#),
        ("visibility", r#"{"visible":"bad"}"#),
        ("io.example.vendor", "{}"),
    ];

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            4 => (0..ACTIONS.len(), 0u8..6, prop::bool::weighted(0.1)).prop_map(|(a, i, f)| Step::Request(a, i, f)),
            1 => (0usize..40).prop_map(Step::Repeat),
            3 => (0u8..6, any::<bool>()).prop_map(|(i, ok)| Step::Answer(i, ok)),
            3 => (0usize..40, any::<bool>()).prop_map(|(n, ok)| Step::Reply(n, ok)),
            2 => (0usize..6).prop_map(Step::Send),
            1 => (0u8..3).prop_map(Step::Capabilities),
            1 => (0u64..12_000).prop_map(Step::Tick),
            1 => Just(Step::Start),
            1 => Just(Step::Stop),
        ]
    }

    fn config() -> Config {
        Config::new(W)
            .capabilities([cap("m.always_on_screen")])
            .handle(ActionName::ThemeChange)
            .handle(ActionName::Screenshot)
            .handle(ActionName::Visibility)
            .acknowledge(ActionName::SendEvent)
            .wait_for_iframe_load(false)
    }

    fn run(steps: &[Step]) {
        let mut session = WidgetSession::new(config());
        let mut now = 0u64;
        let mut host_texts: Vec<String> = Vec::new();
        let mut posted: Vec<String> = Vec::new();
        // How many times each toWidget requestId was delivered, and answered.
        let mut delivered: HashMap<String, usize> = HashMap::new();
        let mut answered: HashMap<String, usize> = HashMap::new();
        for step in steps {
            let mut out = match step {
                Step::Request(a, i, foreign) => {
                    let (action, data) = ACTIONS[*a];
                    let widget = if *foreign { "other" } else { W };
                    let text =
                        format!(r#"{{"api":"toWidget","widgetId":"{widget}","requestId":"h{i}","action":"{action}","data":{data}}}"#);
                    if !foreign {
                        *delivered.entry(format!("h{i}")).or_default() += 1;
                    }
                    host_texts.push(text.clone());
                    session.process(Millis(now), Input::HostMessage(text))
                }
                Step::Repeat(n) => match host_texts.get(*n % host_texts.len().max(1)) {
                    Some(text) => {
                        let value: Value = serde_json::from_str(text).unwrap();
                        if value["widgetId"] == W {
                            *delivered.entry(value["requestId"].as_str().unwrap().to_owned()).or_default() += 1;
                        }
                        session.process(Millis(now), Input::HostMessage(text.clone()))
                    }
                    None => session.process(Millis(now), Input::Tick),
                },
                Step::Answer(i, ok) => {
                    let input = if *ok { Input::answer(format!("h{i}"), &json!({})) } else { Input::answer_error(format!("h{i}"), "no") };
                    session.process(Millis(now), input)
                }
                Step::Reply(n, ok) => {
                    let ours: Vec<&String> =
                        posted.iter().filter(|t| t.contains(r#""api":"fromWidget""#) && !t.contains(r#""response""#)).collect();
                    match ours.get(*n % ours.len().max(1)) {
                        Some(text) => {
                            let response = if *ok { json!({}) } else { json!({"error": {"message": "no"}}) };
                            let input = reply(text, response);
                            session.process(Millis(now), input)
                        }
                        None => session.process(Millis(now), Input::Tick),
                    }
                }
                Step::Send(k) => {
                    let _ = match k {
                        0 => session.get_openid(Millis(now)),
                        1 => session.restart_delayed_event(Millis(now), "syd"),
                        2 => session.watch_turn_servers(Millis(now)),
                        3 => session.send_raw(Millis(now), "org.matrix.msc2931.navigate", r#"{"uri":"https://matrix.to/#/x"}"#),
                        4 => session.supported_api_versions(Millis(now)),
                        _ => session.unwatch_turn_servers(Millis(now)),
                    };
                    session.take_outputs()
                }
                Step::Capabilities(c) => {
                    let caps = [cap("org.matrix.msc2931.navigate"), cap("m.sticker"), cap("m.always_on_screen")];
                    session.process(Millis(now), Input::RequestCapabilities(vec![caps[*c as usize].clone()]))
                }
                Step::Tick(ms) => {
                    now += ms;
                    session.process(Millis(now), Input::Tick)
                }
                Step::Start => session.process(Millis(now), Input::Start),
                Step::Stop => session.process(Millis(now), Input::Stop),
            };
            out.extend(session.take_outputs());
            for text in texts(&out) {
                // Every posted message decodes as the host decodes it.
                let message = decode_as(Role::Host, &text).unwrap_or_else(|e| panic!("the host cannot decode {text}: {e}"));
                if let Message::ToWidgetResponse(reply) = &message {
                    let id = reply.envelope().request_id().to_owned();
                    let count = answered.entry(id.clone()).or_default();
                    *count += 1;
                    assert!(*count <= delivered.get(&id).copied().unwrap_or(0), "{id} answered {count} times: {text}");
                }
                posted.push(text);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn one_reply_per_host_request_and_every_message_decodes(steps in prop::collection::vec(step(), 0..60)) {
            run(&steps);
        }
    }
}
