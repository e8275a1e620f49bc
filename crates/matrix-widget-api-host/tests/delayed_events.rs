//! The MSC4140 mapping, from the outside: golden requests for every surface, path encoding,
//! era detection, and every homeserver error form back to the widget.

// Tests fail by panicking.
#![expect(clippy::panic, clippy::unwrap_used, clippy::indexing_slicing, reason = "tests fail by panicking")]

use matrix_widget_api::ErrorResponseData;
use matrix_widget_api::FromWidgetRequest;
use matrix_widget_api::from_widget::send_event::{Delay, SendEventRequestData, SendEventResponseData, StickyDuration};
use matrix_widget_api::from_widget::update_delayed_event::{UpdateAction, UpdateDelayedEventRequestData};
use matrix_widget_api::payload::RawObject;
use matrix_widget_api::{Message, Role, decode_as};
use matrix_widget_api_host::delayed_events::{
    Era, ErrorKind, Homeserver, HttpRequestError, MAX_RETRY_AFTER, Prefix, ServerLimits, Support, Surface, UpdateForm, detect,
};
use percent_encoding::percent_decode_str;
use serde_json::{Value, json};
use std::time::Duration;

const ROOM: &str = "!r:example.org";
const ROOM_ENC: &str = "%21r%3Aexample.org";
const MEMBER: &str = "org.matrix.msc3401.call.member";
const KEY: &str = "_@a:b_DEV";
const KEY_ENC: &str = "_%40a%3Ab_DEV";
const TEXT: &str = r#"{"msgtype":"m.text","body":"hi"}"#;

fn server(support: Support) -> Homeserver {
    Homeserver::new("", support).unwrap()
}

fn on(surface: Surface) -> Homeserver {
    server(Support::Supported(surface))
}

fn delay(ms: u64) -> Delay {
    Delay::from_millis(ms).unwrap()
}

fn message(delay_ms: Option<u64>) -> SendEventRequestData {
    let data = SendEventRequestData::new("m.room.message", RawObject::from_json(TEXT).unwrap());
    match delay_ms {
        Some(ms) => data.with_delay(delay(ms)),
        None => data,
    }
}

fn state(delay_ms: Option<u64>) -> SendEventRequestData {
    let data = SendEventRequestData::new(MEMBER, RawObject::empty()).with_state_key(KEY);
    match delay_ms {
        Some(ms) => data.with_delay(delay(ms)),
        None => data,
    }
}

/// Method, path, query, body and content type of a built request.
fn parts(request: &http::Request<Vec<u8>>) -> (String, String, Option<String>, String, String) {
    assert_eq!(request.headers().len(), 1, "only Content-Type");
    (
        request.method().to_string(),
        request.uri().path().to_owned(),
        request.uri().query().map(str::to_owned),
        String::from_utf8(request.body().clone()).unwrap(),
        request.headers()["content-type"].to_str().unwrap().to_owned(),
    )
}

fn send(server: &Homeserver, data: &SendEventRequestData) -> (String, String, Option<String>, String, String) {
    let (request, _) = server.send_event(data, ROOM, "t1").unwrap();
    parts(&request)
}

fn golden(method: &str, path: &str, query: Option<&str>, body: &str) -> (String, String, Option<String>, String, String) {
    (method.to_owned(), path.to_owned(), query.map(str::to_owned), body.to_owned(), "application/json".to_owned())
}

// ---------------------------------------------------------------------------------------
// Golden requests
// ---------------------------------------------------------------------------------------

#[test]
fn golden_delayed_sends_for_every_era_kind_and_prefix() {
    let send_path = format!("/_matrix/client/v3/rooms/{ROOM_ENC}/send/m.room.message/t1");
    let state_path = format!("/_matrix/client/v3/rooms/{ROOM_ENC}/state/{MEMBER}/{KEY_ENC}");
    let unstable_dedicated = |t: &str| format!("/_matrix/client/unstable/org.matrix.msc4140/rooms/{ROOM_ENC}/delayed_event/{t}/t1");
    let stable_dedicated = |t: &str| format!("/_matrix/client/v3/rooms/{ROOM_ENC}/delayed_event/{t}/t1");
    // Both names of the delay: `delay_ms` (the latest text), `delay` (ruma-based servers).
    let message_body = format!(r#"{{"delay_ms":8000,"delay":8000,"content":{TEXT}}}"#);
    let state_body = format!(r#"{{"delay_ms":8000,"delay":8000,"state_key":"{KEY}","content":{{}}}}"#);

    let table = [
        (Surface::DEPLOYED, message(Some(8000)), golden("PUT", &send_path, Some("org.matrix.msc4140.delay=8000"), TEXT)),
        (Surface::DEPLOYED, state(Some(8000)), golden("PUT", &state_path, Some("org.matrix.msc4140.delay=8000"), "{}")),
        (Surface::new(Era::QueryParameter, Prefix::Stable), message(Some(8000)), golden("PUT", &send_path, Some("delay=8000"), TEXT)),
        (Surface::new(Era::QueryParameter, Prefix::Stable), state(Some(8000)), golden("PUT", &state_path, Some("delay=8000"), "{}")),
        (Surface::LATEST_UNSTABLE, message(Some(8000)), golden("PUT", &unstable_dedicated("m.room.message"), None, &message_body)),
        (Surface::LATEST_UNSTABLE, state(Some(8000)), golden("PUT", &unstable_dedicated(MEMBER), None, &state_body)),
        (Surface::STABLE, message(Some(8000)), golden("PUT", &stable_dedicated("m.room.message"), None, &message_body)),
        (Surface::STABLE, state(Some(8000)), golden("PUT", &stable_dedicated(MEMBER), None, &state_body)),
    ];
    for (surface, data, expected) in table {
        assert_eq!(send(&on(surface), &data), expected, "{surface:?}, state: {}", data.is_state());
    }
}

#[test]
fn a_send_without_delay_is_the_ordinary_request_whatever_the_server_supports() {
    let send_path = format!("/_matrix/client/v3/rooms/{ROOM_ENC}/send/m.room.message/t1");
    let state_path = format!("/_matrix/client/v3/rooms/{ROOM_ENC}/state/{MEMBER}/{KEY_ENC}");
    let supports = [
        Support::Unsupported,
        Support::Supported(Surface::DEPLOYED),
        Support::Supported(Surface::new(Era::QueryParameter, Prefix::Stable)),
        Support::Supported(Surface::LATEST_UNSTABLE),
        Support::Supported(Surface::STABLE),
    ];
    for support in supports {
        assert_eq!(send(&server(support), &message(None)), golden("PUT", &send_path, None, TEXT), "{support:?}");
        assert_eq!(send(&server(support), &state(None)), golden("PUT", &state_path, None, "{}"), "{support:?}");
        let (_, call) = server(support).send_event(&message(None), ROOM, "t1").unwrap();
        assert!(!call.is_delayed());
    }
}

#[test]
fn the_content_is_copied_byte_for_byte() {
    let content = "{ \"body\" : \"é\\u00e9\" ,\n \"n\": 1.50 }";
    let data = SendEventRequestData::new("m.room.message", RawObject::from_json(content).unwrap()).with_delay(delay(5));
    assert_eq!(send(&on(Surface::DEPLOYED), &data).3, content);
    assert_eq!(send(&on(Surface::STABLE), &data).3, format!(r#"{{"delay_ms":5,"delay":5,"content":{content}}}"#));
}

#[test]
fn sticky_message_events_carry_the_msc4354_parameter_on_the_same_url() {
    let sticky = |data: SendEventRequestData, ms: u32| data.with_sticky_duration(StickyDuration::from_millis(ms).unwrap());
    let deployed = on(Surface::DEPLOYED);
    assert_eq!(
        send(&deployed, &sticky(message(Some(8000)), 60_000)).2.as_deref(),
        Some("org.matrix.msc4140.delay=8000&org.matrix.msc4354.sticky_duration_ms=60000")
    );
    assert_eq!(send(&deployed, &sticky(message(None), 60_000)).2.as_deref(), Some("org.matrix.msc4354.sticky_duration_ms=60000"));
    assert_eq!(
        send(&server(Support::Unsupported), &sticky(message(None), 1)).2.as_deref(),
        Some("org.matrix.msc4354.sticky_duration_ms=1")
    );
    let (_, path, query, body, _) = send(&on(Surface::LATEST_UNSTABLE), &sticky(message(Some(8000)), 60_000));
    assert!(path.contains("/delayed_event/"));
    assert_eq!(query.as_deref(), Some("org.matrix.msc4354.sticky_duration_ms=60000"));
    assert!(!body.contains("sticky"));
    // 0 is no stickiness, as the reference host treats it.
    assert_eq!(send(&deployed, &sticky(message(Some(8000)), 0)).2.as_deref(), Some("org.matrix.msc4140.delay=8000"));
    assert_eq!(send(&deployed, &sticky(message(None), 0)).2, None);
}

#[test]
fn a_sticky_state_event_is_refused() {
    let mut data = state(Some(8000));
    data.sticky_duration_ms = StickyDuration::from_millis(1000).ok();
    for surface in [Surface::DEPLOYED, Surface::STABLE] {
        assert!(matches!(on(surface).send_event(&data, ROOM, "t1"), Err(HttpRequestError::InvalidRequest(_))));
    }
}

#[test]
fn parent_delay_id_is_never_sent() {
    for data in [
        r#"{"type":"m.room.message","content":{"body":"x"},"delay":8000,"parent_delay_id":"p1","unknown":"u"}"#,
        r#"{"type":"m.room.message","content":{"body":"x"},"parent_delay_id":"p1"}"#,
        r#"{"type":"m.call.member","state_key":"","content":{},"delay":8000,"parent_delay_id":"p1"}"#,
    ] {
        let text = format!(r#"{{"api":"fromWidget","widgetId":"w","requestId":"r","action":"send_event","data":{data}}}"#);
        let Ok(Message::FromWidgetRequest(FromWidgetRequest::SendEvent(request))) = decode_as(Role::Host, &text) else { panic!("{text}") };
        assert_eq!(request.data().parent_delay_id.as_deref(), Some("p1"));
        for surface in [Surface::DEPLOYED, Surface::new(Era::QueryParameter, Prefix::Stable), Surface::LATEST_UNSTABLE, Surface::STABLE] {
            let (http_request, call) = on(surface).send_event(request.data(), ROOM, "t1").unwrap();
            let uri = http_request.uri().to_string();
            let body = String::from_utf8(http_request.body().clone()).unwrap();
            for text in [&uri, &body] {
                assert!(!text.contains("parent") && !text.contains("p1") && !text.contains("unknown"), "{surface:?}: {text}");
            }
            // `parent_delay_id` alone does not make a send delayed.
            assert_eq!(call.is_delayed(), request.data().delay.is_some());
        }
    }
}

#[test]
fn golden_updates_for_every_action_prefix_and_form() {
    let roots = [(Prefix::Unstable, "/_matrix/client/unstable/org.matrix.msc4140"), (Prefix::Stable, "/_matrix/client/v1")];
    let actions = [(UpdateAction::Cancel, "cancel"), (UpdateAction::Restart, "restart"), (UpdateAction::Send, "send")];
    for (prefix, root) in roots {
        // The update endpoints are the same in both eras.
        for era in [Era::QueryParameter, Era::DedicatedEndpoint] {
            let server = on(Surface::new(era, prefix));
            for (action, name) in actions {
                let data = UpdateDelayedEventRequestData::new("syd_abc", action);
                let (split, call) = server.update_delayed_event(&data, UpdateForm::Split).unwrap();
                assert_eq!(call.form(), UpdateForm::Split);
                assert_eq!(parts(&split), golden("POST", &format!("{root}/delayed_events/syd_abc/{name}"), None, "{}"));
                let (body, call) = server.update_delayed_event(&data, UpdateForm::Body).unwrap();
                assert_eq!(call.form(), UpdateForm::Body);
                assert_eq!(
                    parts(&body),
                    golden("POST", &format!("{root}/delayed_events/syd_abc"), None, &format!(r#"{{"action":"{name}"}}"#))
                );
            }
        }
    }
}

#[test]
fn refresh_is_sent_as_restart() {
    let text =
        r#"{"api":"fromWidget","widgetId":"w","requestId":"r","action":"update_delayed_event","data":{"delay_id":"d","action":"refresh"}}"#;
    let Ok(Message::FromWidgetRequest(FromWidgetRequest::UpdateDelayedEvent(request))) = decode_as(Role::Host, text) else { panic!() };
    let server = on(Surface::DEPLOYED);
    let (split, _) = server.update_delayed_event(request.data(), UpdateForm::Split).unwrap();
    assert!(split.uri().path().ends_with("/delayed_events/d/restart"));
    let (body, _) = server.update_delayed_event(request.data(), UpdateForm::Body).unwrap();
    assert_eq!(body.body(), br#"{"action":"restart"}"#);
}

#[test]
fn a_base_url_makes_absolute_uris() {
    let server = Homeserver::new("https://hs.example/prefix/", Support::Supported(Surface::DEPLOYED)).unwrap();
    let (request, call) = server.send_event(&message(Some(1)), ROOM, "t1").unwrap();
    let expected =
        format!("https://hs.example/prefix/_matrix/client/v3/rooms/{ROOM_ENC}/send/m.room.message/t1?org.matrix.msc4140.delay=1");
    assert_eq!(request.uri(), expected.as_str());
    assert_eq!(call.url(), expected);
    let (request, call) =
        server.update_delayed_event(&UpdateDelayedEventRequestData::new("d", UpdateAction::Send), UpdateForm::Split).unwrap();
    assert_eq!(request.uri(), "https://hs.example/prefix/_matrix/client/unstable/org.matrix.msc4140/delayed_events/d/send");
    assert_eq!(call.url(), request.uri().to_string());
    for bad in ["hs.example", "ftp://hs.example", "https://hs.example/?a=b", "https://hs.example/#x", "https://", "not a url", "/relative"]
    {
        assert!(matches!(Homeserver::new(bad, Support::Unsupported), Err(HttpRequestError::InvalidBaseUrl(_))), "{bad}");
    }
    assert_eq!(Homeserver::new("/", Support::Unsupported).unwrap().base_url(), "");
}

#[test]
fn unsupported_servers_refuse_delayed_sends_and_updates() {
    let server = server(Support::Unsupported);
    for data in [message(Some(8000)), state(Some(8000))] {
        let error = server.send_event(&data, ROOM, "t1").unwrap_err();
        assert_eq!(error, HttpRequestError::Unsupported);
        let reply = serde_json::to_value(ErrorResponseData::from(error)).unwrap();
        assert_eq!(reply, json!({"error": {"message": "The homeserver does not support delayed events (MSC4140)"}}));
    }
    let update = UpdateDelayedEventRequestData::new("d", UpdateAction::Cancel);
    assert_eq!(server.update_delayed_event(&update, UpdateForm::Split).unwrap_err(), HttpRequestError::Unsupported);
}

// ---------------------------------------------------------------------------------------
// Path encoding
// ---------------------------------------------------------------------------------------

const TRICKY: &[&str] = &[
    "#",
    "/",
    "?",
    "%",
    ":",
    " ",
    "a b",
    "a/b",
    "a?b=c&d",
    "x#frag",
    "%2F",
    "%41",
    "%",
    "+",
    "é",
    "日本語",
    "🦀",
    "!room:example.org",
    "$event:example.org",
    "@user:example.org",
    "a\\#b",
    "\u{0}",
    "\n",
    "...",
    "~-._",
];

fn segment(path: &str, index: usize) -> String {
    let raw = path.split('/').nth(index).unwrap_or_else(|| panic!("no segment {index} in {path}"));
    percent_decode_str(raw).decode_utf8().unwrap().into_owned()
}

#[test]
fn every_path_segment_decodes_back_to_the_original() {
    for &value in TRICKY {
        // /_matrix/client/v3/rooms/{room}/send/{type}/{txn}
        let data = SendEventRequestData::new(value, RawObject::empty());
        let (request, _) = on(Surface::DEPLOYED).send_event(&data, value, value).unwrap();
        let path = request.uri().path();
        assert_eq!(path.split('/').count(), 9, "{value:?}: {path}");
        assert_eq!(request.uri().query(), None, "{value:?}");
        for index in [5, 7, 8] {
            assert_eq!(segment(path, index), value, "{value:?}: {path}");
        }

        // /_matrix/client/v3/rooms/{room}/state/{type}/{key}?org.matrix.msc4140.delay=1
        let data = SendEventRequestData::new(value, RawObject::empty()).with_state_key(value).with_delay(delay(1));
        let (request, _) = on(Surface::DEPLOYED).send_event(&data, value, "t").unwrap();
        let path = request.uri().path();
        assert_eq!(request.uri().query(), Some("org.matrix.msc4140.delay=1"), "{value:?}");
        for index in [5, 7, 8] {
            assert_eq!(segment(path, index), value, "{value:?}: {path}");
        }

        // /_matrix/client/unstable/org.matrix.msc4140/rooms/{room}/delayed_event/{type}/{txn}
        let (request, _) = on(Surface::LATEST_UNSTABLE).send_event(&data, value, value).unwrap();
        let path = request.uri().path();
        for index in [6, 8, 9] {
            assert_eq!(segment(path, index), value, "{value:?}: {path}");
        }
        let body: Value = serde_json::from_slice(request.body()).unwrap();
        assert_eq!(body["state_key"], value);

        // /_matrix/client/v1/delayed_events/{id}/{action}
        let update = UpdateDelayedEventRequestData::new(value, UpdateAction::Cancel);
        let (request, _) = on(Surface::STABLE).update_delayed_event(&update, UpdateForm::Split).unwrap();
        let path = request.uri().path();
        assert_eq!(segment(path, 5), value, "{value:?}: {path}");
        assert_eq!(path.split('/').nth(6), Some("cancel"));
    }
}

#[test]
fn an_empty_state_key_is_an_empty_last_segment() {
    let data = SendEventRequestData::new("m.room.name", RawObject::empty()).with_state_key("");
    let (request, _) = on(Surface::DEPLOYED).send_event(&data, ROOM, "t").unwrap();
    assert_eq!(request.uri().path(), format!("/_matrix/client/v3/rooms/{ROOM_ENC}/state/m.room.name/"));
    assert_eq!(segment(request.uri().path(), 8), "");
    let (request, _) = on(Surface::STABLE).send_event(&data.with_delay(delay(1)), ROOM, "t").unwrap();
    assert_eq!(request.body(), br#"{"delay_ms":1,"delay":1,"state_key":"","content":{}}"#);
}

#[test]
fn empty_and_dot_segments_are_refused() {
    let deployed = on(Surface::DEPLOYED);
    let invalid = |result: Result<_, HttpRequestError>| matches!(result, Err(HttpRequestError::InvalidRequest(_)));
    assert!(invalid(deployed.send_event(&message(None), "", "t")));
    assert!(invalid(deployed.send_event(&message(None), ROOM, "")));
    assert!(invalid(on(Surface::STABLE).send_event(&state(Some(1)), ROOM, "")));
    for dots in [".", ".."] {
        assert!(invalid(deployed.send_event(&message(None), dots, "t")));
        assert!(invalid(deployed.send_event(&message(None), ROOM, dots)));
        assert!(invalid(deployed.send_event(&SendEventRequestData::new(dots, RawObject::empty()), ROOM, "t")));
        assert!(invalid(deployed.send_event(&state(None).with_state_key(dots), ROOM, "t")));
        let update = UpdateDelayedEventRequestData::new(dots, UpdateAction::Send);
        assert!(matches!(deployed.update_delayed_event(&update, UpdateForm::Split), Err(HttpRequestError::InvalidRequest(_))));
    }
    // The `/state` endpoint has no transaction ID, so none is needed.
    assert!(deployed.send_event(&state(Some(1)), ROOM, "").is_ok());
}

// ---------------------------------------------------------------------------------------
// Era detection
// ---------------------------------------------------------------------------------------

#[test]
fn era_detection_table() {
    let with_cap = r#"{"capabilities":{"org.matrix.msc4140.delayed_events":{"max_delay_ms":86400000,"max_scheduled":10}}}"#;
    let with_stable_cap = r#"{"capabilities":{"m.delayed_events":{}}}"#;
    let other_caps = r#"{"capabilities":{"m.change_password":{"enabled":true}}}"#;
    let disabled_delay = r#"{"capabilities":{"m.delayed_events":{"max_delay_ms":0}}}"#;
    let disabled_count = r#"{"capabilities":{"org.matrix.msc4140.delayed_events":{"max_scheduled":0}}}"#;
    let caps_error = r#"{"errcode":"M_UNRECOGNIZED","error":"Unrecognized request"}"#;
    let unstable = r#"{"versions":["v1.11"],"unstable_features":{"org.matrix.msc4140":true}}"#;
    let stable = r#"{"versions":["v1.11"],"unstable_features":{"org.matrix.msc4140.stable":true}}"#;
    let both = r#"{"versions":["v1.11"],"unstable_features":{"org.matrix.msc4140":true,"org.matrix.msc4140.stable":true}}"#;
    let supported = Support::Supported;
    let table: &[(&str, Option<&str>, Support)] = &[
        // The flag alone: what servers in the field send.
        (unstable, None, supported(Surface::DEPLOYED)),
        (unstable, Some(other_caps), supported(Surface::DEPLOYED)),
        (unstable, Some(caps_error), supported(Surface::DEPLOYED)),
        (
            r#"{"versions":[],"unstable_features":{"org.matrix.msc4140":true,"org.matrix.msc4354":true}}"#,
            None,
            supported(Surface::DEPLOYED),
        ),
        // The capability gives limits, not an endpoint: Synapse 1.157 advertises it and
        // schedules only through the query parameter.
        (unstable, Some(with_cap), supported(Surface::DEPLOYED)),
        (unstable, Some(with_stable_cap), supported(Surface::DEPLOYED)),
        // The stable flag wins, with or without the capability.
        (stable, None, supported(Surface::STABLE)),
        (stable, Some(with_cap), supported(Surface::STABLE)),
        (both, None, supported(Surface::STABLE)),
        // Unsupported: no flag, a false flag, a flag that is not `true`, the capability alone.
        (r#"{"versions":["v1.11"]}"#, None, Support::Unsupported),
        (r#"{"versions":["v1.11"],"unstable_features":{}}"#, None, Support::Unsupported),
        (r#"{"versions":["v1.11"],"unstable_features":{"org.matrix.msc4140":false}}"#, None, Support::Unsupported),
        (r#"{"versions":["v1.11"],"unstable_features":{"org.matrix.msc4140":"true"}}"#, None, Support::Unsupported),
        (r#"{"versions":["v1.11"],"unstable_features":{"org.matrix.msc4140":1}}"#, None, Support::Unsupported),
        (r#"{"versions":["v1.11"],"unstable_features":{"org.matrix.msc4140.stable":null}}"#, None, Support::Unsupported),
        (
            r#"{"versions":["v1.11"],"unstable_features":{"org.matrix.msc4157":true,"org.matrix.msc4140.delay":true}}"#,
            None,
            Support::Unsupported,
        ),
        (r#"{"versions":["v1.11"],"unstable_features":["org.matrix.msc4140"]}"#, None, Support::Unsupported),
        (r#"{"versions":["v1.11"]}"#, Some(with_cap), Support::Unsupported),
        (r#"{}"#, None, Support::Unsupported),
        // No specification version includes MSC4140 yet.
        (r#"{"versions":["r0.6.1","v1.1","v1.11","v1.17","v1.99","v2.0"]}"#, None, Support::Unsupported),
        // Advertised but disabled.
        (unstable, Some(disabled_delay), Support::Unsupported),
        (unstable, Some(disabled_count), Support::Unsupported),
        (stable, Some(disabled_delay), Support::Unsupported),
    ];
    for (versions, capabilities, expected) in table {
        let got = detect(versions.as_bytes(), capabilities.map(str::as_bytes)).unwrap();
        assert_eq!(got, *expected, "versions {versions}, capabilities {capabilities:?}");
        assert_eq!(got.is_supported(), got.surface().is_some());
    }
}

#[test]
fn detection_refuses_bodies_that_are_not_json_objects() {
    let unstable = br#"{"unstable_features":{"org.matrix.msc4140":true}}"#;
    for bad in [&b"<html>502</html>"[..], b"", b"[]", b"null", br#"{"versions":"#] {
        assert!(detect(bad, None).is_err(), "{}", String::from_utf8_lossy(bad));
        assert!(detect(unstable, Some(bad)).is_err(), "{}", String::from_utf8_lossy(bad));
    }
    let error = detect(b"nope", None).unwrap_err();
    assert!(error.to_string().contains("/versions"), "{error}");
}

#[test]
fn limits_from_capabilities() {
    let limits = |body: &str| ServerLimits::from_capabilities(body.as_bytes()).unwrap();
    let both = limits(
        r#"{"capabilities":{"m.delayed_events":{"max_delay_ms":1000},"org.matrix.msc4140.delayed_events":{"max_delay_ms":2000,"max_scheduled":5}}}"#,
    );
    assert_eq!((both.max_delay_ms, both.max_scheduled, both.advertised()), (Some(1000), None, true));
    let unstable = limits(r#"{"capabilities":{"org.matrix.msc4140.delayed_events":{"max_delay_ms":2000,"max_scheduled":5}}}"#);
    assert_eq!((unstable.max_delay_ms, unstable.max_scheduled), (Some(2000), Some(5)));
    let mistyped = limits(r#"{"capabilities":{"m.delayed_events":{"max_delay_ms":"1000","max_scheduled":-1}}}"#);
    assert_eq!((mistyped.max_delay_ms, mistyped.max_scheduled, mistyped.advertised()), (None, None, true));
    assert_eq!(limits(r#"{"capabilities":{}}"#), ServerLimits::UNKNOWN);
    assert!(!ServerLimits::UNKNOWN.disabled());
    assert!(ServerLimits::new(Some(0), None).disabled());
}

// ---------------------------------------------------------------------------------------
// Successful responses
// ---------------------------------------------------------------------------------------

fn response(status: u16, headers: &[(&str, &str)], body: &str) -> http::Response<Vec<u8>> {
    let mut builder = http::Response::builder().status(status);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(body.as_bytes().to_vec()).unwrap()
}

#[test]
fn delay_id_and_event_id_replies() {
    for surface in [Surface::DEPLOYED, Surface::LATEST_UNSTABLE, Surface::STABLE] {
        let (_, call) = on(surface).send_event(&state(Some(8000)), ROOM, "t1").unwrap();
        assert!(call.is_delayed());
        assert_eq!(
            call.outcome(&response(200, &[], r#"{"delay_id":"syd_abc"}"#)).unwrap(),
            SendEventResponseData::scheduled(ROOM, "syd_abc")
        );
        // The pitfall: the server ignored the delay.
        let error = call.outcome(&response(200, &[], r#"{"event_id":"$sent"}"#)).unwrap_err();
        assert_eq!(error.kind(), &ErrorKind::SentImmediately { event_id: "$sent".to_owned() });
        assert!(error.message().contains("$sent"), "{}", error.message());
        assert!(error.matrix_api_error().is_none());
        let reply = serde_json::to_value(ErrorResponseData::from(error)).unwrap();
        assert_eq!(reply["error"].as_object().unwrap().len(), 1, "only the message: {reply}");
        for bad in [r#"{}"#, r#"{"delay_id":"d","event_id":"$e"}"#, r#"{"delay_id":5}"#, "[]", "not json"] {
            assert_eq!(call.outcome(&response(200, &[], bad)).unwrap_err().kind(), &ErrorKind::Other, "{bad}");
        }
    }
    let (_, call) = on(Surface::DEPLOYED).send_event(&message(None), ROOM, "t1").unwrap();
    assert_eq!(call.outcome(&response(200, &[], r#"{"event_id":"$e"}"#)).unwrap(), SendEventResponseData::sent(ROOM, "$e"));
    assert_eq!(call.outcome(&response(200, &[], r#"{"delay_id":"d"}"#)).unwrap_err().kind(), &ErrorKind::Other);
}

#[test]
fn update_success_is_the_empty_response() {
    let (_, call) = on(Surface::DEPLOYED)
        .update_delayed_event(&UpdateDelayedEventRequestData::new("d", UpdateAction::Send), UpdateForm::Split)
        .unwrap();
    assert_eq!(serde_json::to_string(&call.outcome(&response(200, &[], "{}")).unwrap()).unwrap(), "{}");
    assert!(!call.should_retry_with_body_form(&response(200, &[], r#"{"errcode":"M_UNRECOGNIZED"}"#)));
}

#[test]
fn body_form_fallback_rule() {
    let data = UpdateDelayedEventRequestData::new("d", UpdateAction::Restart);
    let server = on(Surface::DEPLOYED);
    let (_, split) = server.update_delayed_event(&data, UpdateForm::Split).unwrap();
    let (_, body) = server.update_delayed_event(&data, UpdateForm::Body).unwrap();
    let unrecognized = r#"{"errcode":"M_UNRECOGNIZED","error":"Unrecognized request"}"#;
    for status in [400, 404, 405] {
        assert!(split.should_retry_with_body_form(&response(status, &[], unrecognized)), "{status}");
        // Never twice.
        assert!(!body.should_retry_with_body_form(&response(status, &[], unrecognized)), "{status}");
    }
    for other in [
        r#"{"errcode":"M_NOT_FOUND","error":"Delayed event not found"}"#,
        r#"{"errcode":"M_UNKNOWN"}"#,
        r#"{"errcode":"M_MISSING_TOKEN","error":"Missing access token"}"#,
        r#"{"error":"M_UNRECOGNIZED"}"#,
        "<html>404</html>",
        "",
    ] {
        assert!(!split.should_retry_with_body_form(&response(404, &[], other)), "{other}");
    }
    assert_eq!(body.outcome(&response(404, &[], unrecognized)).unwrap_err().kind(), &ErrorKind::Unsupported);
}

// ---------------------------------------------------------------------------------------
// Every error form → the widget's error reply and the classification
// ---------------------------------------------------------------------------------------

/// Where the error came from.
#[derive(Clone, Copy, Debug)]
enum Call {
    /// A delayed send of `delay_ms` on a surface, with limits.
    Delayed(Surface, u64, ServerLimits),
    /// A send without delay.
    Plain,
    /// An update.
    Update,
}

fn fail(call: Call, status: u16, headers: &[(&str, &str)], body: &str) -> (ErrorKind, Value, String) {
    let response = response(status, headers, body);
    let error = match call {
        Call::Delayed(surface, ms, limits) => {
            let (_, call) = on(surface).with_limits(limits).send_event(&message(Some(ms)), ROOM, "t1").unwrap();
            call.outcome(&response).unwrap_err()
        }
        Call::Plain => on(Surface::DEPLOYED).send_event(&message(None), ROOM, "t1").unwrap().1.outcome(&response).unwrap_err(),
        Call::Update => {
            let data = UpdateDelayedEventRequestData::new("d", UpdateAction::Restart);
            on(Surface::DEPLOYED).update_delayed_event(&data, UpdateForm::Split).unwrap().1.outcome(&response).unwrap_err()
        }
    };
    let kind = error.kind().clone();
    let text = serde_json::to_string(&ErrorResponseData::from(error)).unwrap();
    (kind, serde_json::from_str(&text).unwrap(), text)
}

fn url(call: Call) -> String {
    match call {
        Call::Delayed(Surface { era: Era::QueryParameter, prefix: Prefix::Unstable }, ms, _) => {
            format!("/_matrix/client/v3/rooms/{ROOM_ENC}/send/m.room.message/t1?org.matrix.msc4140.delay={ms}")
        }
        Call::Delayed(Surface { era: Era::DedicatedEndpoint, prefix: Prefix::Unstable }, _, _) => {
            format!("/_matrix/client/unstable/org.matrix.msc4140/rooms/{ROOM_ENC}/delayed_event/m.room.message/t1")
        }
        Call::Delayed(Surface { era: Era::DedicatedEndpoint, prefix: Prefix::Stable }, _, _) => {
            format!("/_matrix/client/v3/rooms/{ROOM_ENC}/delayed_event/m.room.message/t1")
        }
        Call::Delayed(..) => unreachable!("not used"),
        Call::Plain => format!("/_matrix/client/v3/rooms/{ROOM_ENC}/send/m.room.message/t1"),
        Call::Update => "/_matrix/client/unstable/org.matrix.msc4140/delayed_events/d/restart".to_owned(),
    }
}

#[test]
fn every_msc4140_error_form_is_forwarded_verbatim_and_classified() {
    let deployed = Call::Delayed(Surface::DEPLOYED, 8000, ServerLimits::UNKNOWN);
    let latest = Call::Delayed(Surface::LATEST_UNSTABLE, 8000, ServerLimits::UNKNOWN);
    let stable = Call::Delayed(Surface::STABLE, 8000, ServerLimits::UNKNOWN);
    let roomy = Call::Delayed(Surface::LATEST_UNSTABLE, 8000, ServerLimits::new(Some(86_400_000), None));
    let too_long = |max| ErrorKind::DelayTooLong { max_delay_ms: max };
    let too_many = |secs: Option<u64>| ErrorKind::TooManyScheduled { retry_after: secs.map(Duration::from_secs) };
    let json = "application/json";

    type Row<'a> = (Call, u16, &'a [(&'a str, &'a str)], &'a str, ErrorKind);
    #[rustfmt::skip]
    let table: &[Row] = &[
        // Delay too long, every revision.
        (deployed, 400, &[], r#"{"errcode":"M_MAX_DELAY_EXCEEDED","error":"Delay too long","max_delay":3600000}"#, too_long(Some(3_600_000))),
        (deployed, 400, &[], r#"{"errcode":"M_UNKNOWN","error":"The requested delay exceeds the allowed maximum.","org.matrix.msc4140.errcode":"M_MAX_DELAY_EXCEEDED","org.matrix.msc4140.max_delay":3600000}"#, too_long(Some(3_600_000))),
        (latest, 400, &[], r#"{"errcode":"ORG.MATRIX.MSC4140_MAX_DELAY_EXCEEDED","error":"too long","org.matrix.msc4140.max_delay":86400000}"#, too_long(Some(86_400_000))),
        (deployed, 400, &[], r#"{"errcode":"M_MAX_DELAY_EXCEEDED","error":"Delay too long","max_delay":null}"#, too_long(None)),
        (latest, 400, &[], r#"{"errcode":"M_INVALID_PARAM","error":"delay_ms is too large"}"#, too_long(None)),
        (roomy, 400, &[], r#"{"errcode":"M_INVALID_PARAM","error":"something else"}"#, ErrorKind::Other),
        (deployed, 400, &[], r#"{"errcode":"M_INVALID_PARAM","error":"Invalid delay"}"#, ErrorKind::Other),
        // Synapse 1.157 and later, on `/send` and `/state`: its own words are the evidence.
        (deployed, 403, &[], r#"{"errcode":"M_FORBIDDEN","error":"The requested delay (8000ms) exceeds the allowed maximum (3000ms)"}"#, too_long(Some(3000))),
        (deployed, 403, &[], r#"{"errcode":"M_FORBIDDEN","error":"Sending delayed events has been disallowed"}"#, ErrorKind::Disabled),
        (Call::Plain, 403, &[], r#"{"errcode":"M_FORBIDDEN","error":"The requested delay (8000ms) exceeds the allowed maximum (3000ms)"}"#, ErrorKind::Other),
        // Older Synapse without `max_event_delay_duration`.
        (deployed, 400, &[], r#"{"errcode":"M_UNKNOWN","error":"Delayed events are not supported on this server","org.matrix.msc4140.errcode":"M_MAX_DELAY_UNSUPPORTED"}"#, ErrorKind::Disabled),
        (roomy, 403, &[], r#"{"errcode":"M_FORBIDDEN","error":"not in room"}"#, ErrorKind::Other),
        (stable, 403, &[], r#"{"errcode":"M_FORBIDDEN","error":"not in room"}"#, ErrorKind::Other),
        (deployed, 403, &[], r#"{"errcode":"M_FORBIDDEN","error":"You are not invited to this room."}"#, ErrorKind::Other),
        // Too many scheduled, every revision.
        (deployed, 400, &[], r#"{"errcode":"M_MAX_DELAYED_EVENTS_EXCEEDED","error":"Too many delayed events"}"#, too_many(None)),
        (deployed, 400, &[], r#"{"errcode":"M_UNKNOWN","error":"Too many","org.matrix.msc4140.errcode":"M_MAX_DELAYED_EVENTS_EXCEEDED"}"#, too_many(None)),
        (latest, 403, &[], r#"{"errcode":"M_RESOURCE_LIMIT_EXCEEDED","error":"Too many delayed events","admin_contact":"mailto:a@b"}"#, too_many(None)),
        (stable, 429, &[("retry-after", "17"), ("content-type", json)], r#"{"errcode":"M_LIMIT_EXCEEDED","error":"Too many delayed events"}"#, too_many(Some(17))),
        (latest, 429, &[], r#"{"errcode":"M_LIMIT_EXCEEDED","error":"Too many","retry_after_ms":2500}"#, ErrorKind::TooManyScheduled { retry_after: Some(Duration::from_millis(2500)) }),
        (latest, 429, &[("retry-after", "Wed, 21 Oct 2026 07:28:00 GMT")], r#"{"errcode":"M_LIMIT_EXCEEDED","error":"Too many"}"#, too_many(None)),
        (deployed, 429, &[("retry-after", "5")], r#"{"errcode":"M_LIMIT_EXCEEDED","error":"The maximum number of delayed events has been reached.","retry_after_ms":4200}"#, too_many(Some(5))),
        // Absurd waits are clamped to a day.
        (deployed, 429, &[("retry-after", "18446744073709551615")], r#"{"errcode":"M_LIMIT_EXCEEDED","error":"Too Many Requests"}"#, ErrorKind::RateLimited { retry_after: Some(MAX_RETRY_AFTER) }),
        (Call::Update, 429, &[], r#"{"errcode":"M_LIMIT_EXCEEDED","error":"Too Many Requests","retry_after_ms":18446744073709551615}"#, ErrorKind::RateLimited { retry_after: Some(MAX_RETRY_AFTER) }),
        // Elsewhere these codes keep their ordinary meaning.
        (deployed, 429, &[("retry-after", "3")], r#"{"errcode":"M_LIMIT_EXCEEDED","error":"Too Many Requests","retry_after_ms":3000}"#, ErrorKind::RateLimited { retry_after: Some(Duration::from_secs(3)) }),
        (Call::Plain, 429, &[], r#"{"errcode":"M_LIMIT_EXCEEDED","error":"Too Many Requests"}"#, ErrorKind::RateLimited { retry_after: None }),
        (Call::Update, 429, &[], r#"{"errcode":"M_LIMIT_EXCEEDED","error":"Too Many Requests","retry_after_ms":100}"#, ErrorKind::RateLimited { retry_after: Some(Duration::from_millis(100)) }),
        (deployed, 403, &[], r#"{"errcode":"M_RESOURCE_LIMIT_EXCEEDED","error":"MAU","limit_type":"monthly_active_user"}"#, ErrorKind::Other),
        // Updates.
        (Call::Update, 404, &[], r#"{"errcode":"M_NOT_FOUND","error":"Delayed event not found"}"#, ErrorKind::NotFound),
        (Call::Update, 409, &[], r#"{"errcode":"M_UNKNOWN","error":"The delayed event was already cancelled"}"#, ErrorKind::Conflict),
        (Call::Update, 400, &[], r#"{"errcode":"M_MISSING_PARAM","error":"'action' is missing"}"#, ErrorKind::Other),
        // Unsupported.
        (Call::Update, 404, &[], r#"{"errcode":"M_UNRECOGNIZED","error":"Unrecognized request"}"#, ErrorKind::Unsupported),
        (latest, 404, &[], r#"{"errcode":"M_UNRECOGNIZED","error":"Unrecognized request"}"#, ErrorKind::Unsupported),
        (stable, 400, &[], r#"{"errcode":"M_UNRECOGNIZED","error":"Unrecognized request"}"#, ErrorKind::Unsupported),
        // Forwarded, not interpreted; every field kept, nulls and unknown fields included.
        (Call::Plain, 404, &[], r#"{"errcode":"M_NOT_FOUND","error":"Unknown room"}"#, ErrorKind::NotFound),
        (deployed, 500, &[], r#"{"errcode":"M_UNKNOWN","error":null,"org.matrix.msc4140.errcode":null,"nested":{"a":[1,2.50,null]},"x":"é"}"#, ErrorKind::Other),
        (latest, 400, &[], r#"{"error":"code last","errcode":"M_BAD_JSON"}"#, ErrorKind::Other),
    ];

    for (call, status, headers, body, kind) in table {
        let (got_kind, reply, text) = fail(*call, *status, headers, body);
        assert_eq!(&got_kind, kind, "{call:?} {status} {body}");
        let expected_headers: serde_json::Map<String, Value> = headers.iter().map(|(n, v)| (n.to_string(), json!(v))).collect();
        let expected = json!({
            "error": {
                "message": if matches!(call, Call::Update) { "Error updating delayed event" } else { "Error sending event" },
                "matrix_api_error": {
                    "http_status": status,
                    "http_headers": expected_headers,
                    "url": url(*call),
                    "response": serde_json::from_str::<Value>(body).unwrap(),
                },
            },
        });
        assert_eq!(reply, expected, "{call:?} {status} {body}");
        // Verbatim: each field's value is the homeserver's own text.
        let original: serde_json::Map<String, Value> = serde_json::from_str(body).unwrap();
        for key in original.keys().filter(|k| *k != "errcode") {
            let raw = extract_raw(body, key);
            assert!(text.contains(&format!("{}:{raw}", serde_json::to_string(key).unwrap())), "{key} = {raw} not kept in {text}");
        }
    }
}

/// The raw text of a top-level member's value in a compact JSON object.
fn extract_raw(body: &str, key: &str) -> String {
    let map: std::collections::BTreeMap<String, Box<serde_json::value::RawValue>> = serde_json::from_str(body).unwrap();
    map[key].get().to_owned()
}

#[test]
fn bodies_that_are_not_matrix_errors_are_not_forwarded() {
    for (status, body) in
        [(502, "<html>Bad gateway</html>"), (500, ""), (404, r#"{"error":"no errcode"}"#), (400, r#"{"errcode":null}"#), (400, "[1]")]
    {
        let (kind, reply, _) = fail(Call::Update, status, &[], body);
        assert_eq!(kind, ErrorKind::Other);
        assert_eq!(
            reply,
            json!({"error": {"message": format!("Error updating delayed event: the homeserver answered with HTTP status {status}")}})
        );
    }
}

#[test]
fn forwarded_headers_are_the_safe_ones_joined() {
    // What a browser's `fetch` would expose, and `Retry-After`; never cookies, challenges or
    // a proxy's tracing headers.
    let headers = [
        ("retry-after", "1"),
        ("retry-after", "2"),
        ("set-cookie", "secret=1"),
        ("www-authenticate", "Bearer"),
        ("x-trace-id", "abc"),
        ("content-type", "application/json"),
        ("content-language", "caf\u{e9}"),
    ];
    let mut response = response(404, &[], r#"{"errcode":"M_NOT_FOUND","error":"x"}"#);
    for (name, value) in headers {
        response.headers_mut().append(name, http::HeaderValue::from_bytes(value.as_bytes()).unwrap());
    }
    let data = UpdateDelayedEventRequestData::new("d", UpdateAction::Cancel);
    let (_, call) = on(Surface::DEPLOYED).update_delayed_event(&data, UpdateForm::Split).unwrap();
    let error = call.outcome(&response).unwrap_err();
    let forwarded: Value = serde_json::from_str(error.matrix_api_error().unwrap().http_headers.as_ref().unwrap().get()).unwrap();
    assert_eq!(forwarded, json!({"content-language": "caf\u{e9}", "content-type": "application/json", "retry-after": "1, 2"}));
    assert_eq!(error.to_string(), "Error updating delayed event (HTTP 404, M_NOT_FOUND)");
}

/// A `/capabilities` body with one malformed entry still says what the delayed-event
/// capability says: detection must not fail open to the query-parameter era, nor miss a
/// limit of 0 (found in review).
#[test]
fn one_malformed_capability_does_not_hide_the_delayed_event_one() {
    let versions = br#"{"versions":["v1.12"],"unstable_features":{"org.matrix.msc4140":true}}"#;
    let latest = br#"{"capabilities":{"x.vendor":true,"m.change_password":{"enabled":false},"org.matrix.msc4140.delayed_events":{"max_delay_ms":86400000}}}"#;
    assert_eq!(detect(versions, Some(latest)).unwrap(), Support::Supported(Surface::DEPLOYED));
    let disabled = br#"{"capabilities":{"x.vendor":[1],"m.delayed_events":{"max_delay_ms":0}}}"#;
    assert_eq!(detect(versions, Some(disabled)).unwrap(), Support::Unsupported);
}

#[test]
fn a_base_url_with_credentials_is_refused() {
    // The URL of a failed request reaches the widget.
    let err = Homeserver::new("https://user:pass@matrix.example.org", Support::Supported(Surface::DEPLOYED)).unwrap_err();
    assert!(err.to_string().contains("credentials"), "{err}");
}

// ---------------------------------------------------------------------------------------
// Issue 15, section A: the servers people run
// ---------------------------------------------------------------------------------------

/// What Synapse 1.157 and later answer on `/versions` and `/capabilities` (trimmed).
const SYNAPSE_VERSIONS: &str =
    r#"{"versions":["v1.11","v1.12"],"unstable_features":{"org.matrix.msc4140":true,"org.matrix.msc4354":true}}"#;
const SYNAPSE_CAPABILITIES: &str = r#"{"capabilities":{"m.change_password":{"enabled":true},"org.matrix.msc4140.delayed_events":{"max_delay_ms":3000,"max_scheduled":100}}}"#;

fn synapse() -> Homeserver {
    let support = detect(SYNAPSE_VERSIONS.as_bytes(), Some(SYNAPSE_CAPABILITIES.as_bytes())).unwrap();
    let limits = ServerLimits::from_capabilities(SYNAPSE_CAPABILITIES.as_bytes()).unwrap();
    server(support).with_limits(limits)
}

#[test]
fn synapse_1_157_capability_is_not_proof_of_the_dedicated_endpoint() {
    let server = synapse();
    assert_eq!(server.support(), Support::Supported(Surface::DEPLOYED));
    // A delayed leave goes where Synapse reads it: the query parameter on `/state`.
    let (method, path, query, body, _) = send(&server, &state(Some(2000)));
    assert_eq!((method.as_str(), query.as_deref(), body.as_str()), ("PUT", Some("org.matrix.msc4140.delay=2000"), "{}"));
    assert_eq!(path, format!("/_matrix/client/v3/rooms/{ROOM_ENC}/state/{MEMBER}/{KEY_ENC}"));
    // Only the stable flag means the dedicated endpoint.
    let stable = r#"{"versions":["v1.12"],"unstable_features":{"org.matrix.msc4140":true,"org.matrix.msc4140.stable":true}}"#;
    assert_eq!(detect(stable.as_bytes(), Some(SYNAPSE_CAPABILITIES.as_bytes())).unwrap(), Support::Supported(Surface::STABLE));
    // Synapse without `max_event_delay_duration` advertises a maximum of 0: disabled.
    let disabled = r#"{"capabilities":{"org.matrix.msc4140.delayed_events":{"max_delay_ms":0,"max_scheduled":100}}}"#;
    assert_eq!(detect(SYNAPSE_VERSIONS.as_bytes(), Some(disabled.as_bytes())).unwrap(), Support::Unsupported);
}

#[test]
fn a_dedicated_endpoint_m_unrecognized_falls_back_to_the_query_parameter_never_to_a_plain_send() {
    let pinned = on(Surface::LATEST_UNSTABLE);
    let unrecognized = r#"{"errcode":"M_UNRECOGNIZED","error":"Unrecognized request"}"#;
    for data in [message(Some(8000)), state(Some(8000))] {
        let (_, call) = pinned.send_event(&data, ROOM, "t1").unwrap();
        for status in [404, 405] {
            assert!(call.should_retry_with_query_parameter(&response(status, &[], unrecognized)), "{status}");
        }
        // Only M_UNRECOGNIZED, only errors.
        assert!(!call.should_retry_with_query_parameter(&response(404, &[], r#"{"errcode":"M_NOT_FOUND","error":"Unknown room"}"#)));
        assert!(!call.should_retry_with_query_parameter(&response(403, &[], r#"{"errcode":"M_FORBIDDEN"}"#)));
        assert!(!call.should_retry_with_query_parameter(&response(404, &[], "<html>not found</html>")));
        assert!(!call.should_retry_with_query_parameter(&response(200, &[], unrecognized)));
        // The retry carries the delay: never a plain send.
        let (retry, retry_call) = pinned.send_event_with_query_parameter(&data, ROOM, "t1").unwrap();
        assert_eq!(retry.uri().query(), Some("org.matrix.msc4140.delay=8000"), "{data:?}");
        assert!(retry_call.is_delayed());
        // And it is final: a second M_UNRECOGNIZED is no reason to try again.
        assert!(!retry_call.should_retry_with_query_parameter(&response(404, &[], unrecognized)));
        assert_eq!(retry_call.outcome(&response(404, &[], unrecognized)).unwrap_err().kind(), &ErrorKind::Unsupported);
    }
    // The query-parameter era, and the stable dedicated endpoint, get no retry.
    for surface in [Surface::DEPLOYED, Surface::STABLE] {
        let (_, call) = on(surface).send_event(&message(Some(8000)), ROOM, "t1").unwrap();
        assert!(!call.should_retry_with_query_parameter(&response(404, &[], unrecognized)), "{surface:?}");
    }
    // A send without delay is never retried, and an unsupported server builds no retry.
    let (_, call) = pinned.send_event(&message(None), ROOM, "t1").unwrap();
    assert!(!call.should_retry_with_query_parameter(&response(404, &[], unrecognized)));
    assert_eq!(
        server(Support::Unsupported).send_event_with_query_parameter(&message(Some(1)), ROOM, "t1").unwrap_err(),
        HttpRequestError::Unsupported
    );
}

#[test]
fn the_dedicated_body_carries_the_delay_under_both_names() {
    for surface in [Surface::LATEST_UNSTABLE, Surface::STABLE] {
        let (_, _, _, body, _) = send(&on(surface), &state(Some(8000)));
        let body: Value = serde_json::from_str(&body).unwrap();
        // `delay_ms` for the latest text, `delay` for ruma (conduwuit, tuwunel).
        assert_eq!((&body["delay_ms"], &body["delay"]), (&json!(8000), &json!(8000)), "{surface:?}");
        assert_eq!(body["state_key"], json!(KEY));
    }
}

#[test]
fn a_delay_over_the_advertised_maximum_is_refused_before_any_request() {
    let server = synapse();
    let text = r#"{"api":"fromWidget","widgetId":"w","requestId":"r1","action":"send_event","data":{"type":"m.room.message","content":{"body":"x"},"delay":8000}}"#;
    let Message::FromWidgetRequest(FromWidgetRequest::SendEvent(request)) = decode_as(Role::Host, text).unwrap() else { panic!() };
    let error = server.send_event(request.data(), ROOM, "t1").unwrap_err();
    let HttpRequestError::DelayTooLong(refusal) = &error else { panic!("{error:?}") };
    assert_eq!(refusal.kind(), &ErrorKind::DelayTooLong { max_delay_ms: Some(3000) });
    let reply: Value = serde_json::from_str(&request.reply_error(ErrorResponseData::from(error.clone()))).unwrap();
    assert_eq!(
        reply["response"],
        json!({"error": {
            "message": "Error sending event",
            "matrix_api_error": {
                "http_status": 403,
                "http_headers": {},
                "url": format!("/_matrix/client/v3/rooms/{ROOM_ENC}/send/m.room.message/t1?org.matrix.msc4140.delay=8000"),
                "response": {"errcode": "M_FORBIDDEN", "error": "The requested delay (8000ms) exceeds the allowed maximum (3000ms)"},
            },
        }})
    );
    // The refusal reads back as what it is, like the server's own answer would.
    assert!(error.to_string().contains("HTTP 403, M_FORBIDDEN"), "{error}");
    // At the maximum, and without a delay, the request is built.
    assert!(server.send_event(&message(Some(3000)), ROOM, "t1").is_ok());
    assert!(server.send_event(&message(None), ROOM, "t1").is_ok());
    // Limits of 0: disabled, refused as Synapse would.
    let disabled = on(Surface::DEPLOYED).with_limits(ServerLimits::new(Some(86_400_000), Some(0)));
    let HttpRequestError::DelayTooLong(refusal) = disabled.send_event(&message(Some(1)), ROOM, "t1").unwrap_err() else { panic!() };
    assert_eq!(refusal.kind(), &ErrorKind::Disabled);
    assert_eq!(refusal.matrix_api_error().unwrap().response.error().as_deref(), Some("Sending delayed events has been disallowed"));
}

#[test]
fn retry_after_is_clamped_so_it_can_be_added_to_now() {
    for (headers, body) in [
        (&[("retry-after", "18446744073709551615")][..], r#"{"errcode":"M_LIMIT_EXCEEDED"}"#),
        (&[("retry-after", "99999999999")][..], r#"{"errcode":"M_LIMIT_EXCEEDED"}"#),
        (&[][..], r#"{"errcode":"M_LIMIT_EXCEEDED","retry_after_ms":18446744073709551615}"#),
        (&[][..], r#"{"errcode":"M_LIMIT_EXCEEDED","retry_after_ms":1e300}"#),
    ] {
        let (kind, _, _) = fail(Call::Plain, 429, headers, body);
        let ErrorKind::RateLimited { retry_after } = kind else { panic!("{kind:?}") };
        if let Some(after) = retry_after {
            assert!(after <= MAX_RETRY_AFTER, "{after:?}");
            // What a host does with it: no overflow, no panic.
            let _ = std::time::Instant::now() + after;
            let _ = std::time::SystemTime::now() + after;
        }
    }
    assert_eq!(MAX_RETRY_AFTER, Duration::from_secs(86_400));
    let (kind, _, _) = fail(Call::Plain, 429, &[("retry-after", "120")], r#"{"errcode":"M_LIMIT_EXCEEDED"}"#);
    assert_eq!(kind, ErrorKind::RateLimited { retry_after: Some(Duration::from_secs(120)) });
}

#[test]
fn a_redaction_goes_to_the_redact_endpoint() {
    let redaction = |content: &str| SendEventRequestData::new("m.room.redaction", RawObject::from_json(content).unwrap());
    let content = r#"{"redacts":"$ev:example.org","reason":"spam"}"#;
    for support in [Support::Unsupported, Support::Supported(Surface::DEPLOYED), Support::Supported(Surface::STABLE)] {
        assert_eq!(
            send(&server(support), &redaction(content)),
            golden("PUT", &format!("/_matrix/client/v3/rooms/{ROOM_ENC}/redact/%24ev%3Aexample.org/t1"), None, content),
            "{support:?}"
        );
    }
    let (_, call) = on(Surface::DEPLOYED).send_event(&redaction(content), ROOM, "t1").unwrap();
    assert_eq!(call.outcome(&response(200, &[], r#"{"event_id":"$r"}"#)).unwrap(), SendEventResponseData::sent(ROOM, "$r"));
    // Without the event to redact there is nothing to send.
    for bad in [r#"{}"#, r#"{"redacts":5}"#, r#"{"reason":"x"}"#] {
        let error = on(Surface::DEPLOYED).send_event(&redaction(bad), ROOM, "t1").unwrap_err();
        assert!(matches!(&error, HttpRequestError::InvalidRequest(m) if m.contains("content.redacts")), "{bad}: {error:?}");
    }
    // A delayed redaction is a delayed `/send`: Synapse reads the delay on `/send` and `/state` only.
    let (_, path, query, _, _) = send(&on(Surface::DEPLOYED), &redaction(content).with_delay(delay(5000)));
    assert_eq!(path, format!("/_matrix/client/v3/rooms/{ROOM_ENC}/send/m.room.redaction/t1"));
    assert_eq!(query.as_deref(), Some("org.matrix.msc4140.delay=5000"));
}

// ---------------------------------------------------------------------------------------
// Issue 15, section C: hostile widgets
// ---------------------------------------------------------------------------------------

#[test]
fn over_long_widget_values_are_invalid_requests_not_base_url_errors() {
    let long = |n: usize| "a".repeat(n);
    let server = Homeserver::new("https://matrix.example.org", Support::Supported(Surface::DEPLOYED)).unwrap();
    let invalid =
        |result: Result<(http::Request<Vec<u8>>, matrix_widget_api_host::delayed_events::SendEventCall), HttpRequestError>| match result
            .unwrap_err()
        {
            HttpRequestError::InvalidRequest(message) => {
                assert!(message.len() < 200, "the message does not echo the value: {} bytes", message.len());
                message
            }
            other => panic!("{other:?}"),
        };
    // Event types and IDs: the specification's 255 bytes.
    let at_limit = SendEventRequestData::new(long(255), RawObject::empty());
    assert!(server.send_event(&at_limit, ROOM, "t").is_ok());
    let message = invalid(server.send_event(&SendEventRequestData::new(long(256), RawObject::empty()), ROOM, "t"));
    assert!(message.contains("event type") && message.contains("255"), "{message}");
    let message = invalid(server.send_event(&message_data(), &format!("!{}:b", long(300)), "t"));
    assert!(message.contains("room ID"), "{message}");
    let redaction =
        SendEventRequestData::new("m.room.redaction", RawObject::from_json(&format!(r#"{{"redacts":"${}"}}"#, long(300))).unwrap());
    assert!(invalid(server.send_event(&redaction, ROOM, "t")).contains("redacts"));
    // A state key has no limit of its own, but a URL of 64 KiB cannot be built.
    let huge_key = SendEventRequestData::new("m.room.name", RawObject::empty()).with_state_key(long(70_000));
    let message = invalid(server.send_event(&huge_key, ROOM, "t"));
    assert!(message.contains("URL"), "{message}");
    // `delay_id`.
    let update = UpdateDelayedEventRequestData::new(long(70_000), UpdateAction::Cancel);
    match server.update_delayed_event(&update, UpdateForm::Split).unwrap_err() {
        HttpRequestError::InvalidRequest(message) => assert!(message.contains("delay_id") && message.len() < 200, "{message}"),
        other => panic!("{other:?}"),
    }
    let update = UpdateDelayedEventRequestData::new(long(255), UpdateAction::Cancel);
    assert!(server.update_delayed_event(&update, UpdateForm::Split).is_ok());
}

fn message_data() -> SendEventRequestData {
    message(None)
}

#[test]
fn replies_with_a_homeserver_error_always_decode() {
    let text = r#"{"api":"fromWidget","widgetId":"w","requestId":"r1","action":"send_event","data":{"type":"m.room.message","content":{"body":"x"}}}"#;
    let Message::FromWidgetRequest(FromWidgetRequest::SendEvent(request)) = decode_as(Role::Host, text).unwrap() else { panic!() };
    let (_, call) = on(Surface::DEPLOYED).send_event(request.data(), ROOM, "t1").unwrap();
    let deep = format!(r#"{{"errcode":"M_UNKNOWN","x":{}1{}}}"#, "[".repeat(60), "]".repeat(60));
    let big = format!(r#"{{"errcode":"M_UNKNOWN","error":"{}"}}"#, "a".repeat(100_000));
    for body in [
        r#"{"errcode":"M_UNKNOWN","error":"lone \ud800 surrogate"}"#,
        r#"{"errcode":"M_UNKNOWN","error":"\udc00","\ud800key":["\ud83e\udd80","\\ud800"]}"#,
        &deep,
        &big,
    ] {
        let error = call.outcome(&response(500, &[], body)).unwrap_err();
        let reply = request.reply_error(ErrorResponseData::from(error.clone()));
        match decode_as(Role::Widget, &reply) {
            Ok(Message::FromWidgetResponse(_)) => {}
            other => panic!("{body:.80}: the reply does not decode: {other:?}"),
        }
        if body.len() > 1000 {
            assert!(error.matrix_api_error().is_none(), "not forwarded");
        }
    }
    // Replaced by U+FFFD, the rest kept; a valid pair and an escaped backslash untouched.
    let error = call.outcome(&response(500, &[], r#"{"errcode":"M_UNKNOWN","error":"a\ud800b","p":"\ud83e\udd80\\ud800"}"#)).unwrap_err();
    let body = &error.matrix_api_error().unwrap().response;
    assert_eq!(body.error().as_deref(), Some("a\u{fffd}b"));
    assert_eq!(body.extra.get("p").unwrap().get(), r#""\ud83e\udd80\\ud800""#);
}
