//! MSC4157 end to end: `send_event` with `delay`, the response, `update_delayed_event`, and
//! every invalid example the issue lists, each asserting its error, its error reply and the
//! schema's verdict.

use crate::check::{accepted, rejected};
use matrix_widget_api::from_widget::send_event::{
    Delay, SendEvent, SendEventRequestData, SendEventResponseData, SendOutcome, StickyDuration,
};
use matrix_widget_api::from_widget::update_delayed_event::{UpdateAction, UpdateDelayedEvent, UpdateDelayedEventRequestData};
use matrix_widget_api::naming::{Naming, to_string_with};
use matrix_widget_api::payload::{Empty, RawObject};
use matrix_widget_api::{ErrorResponseData, MatrixApiError, MatrixErrorBody, WidgetError};
use matrix_widget_api::{FromWidgetRequest, FromWidgetResponse};
use matrix_widget_api::{Message, Request, decode};
use serde_json::{Value, json};

fn send_event(data: Value) -> String {
    json!({"api": "fromWidget", "widgetId": "w1", "requestId": "r1", "action": "send_event", "data": data}).to_string()
}

fn update(data: Value) -> String {
    json!({"api": "fromWidget", "widgetId": "w1", "requestId": "r2", "action": "org.matrix.msc4157.update_delayed_event", "data": data})
        .to_string()
}

fn decode_send_event(text: &str) -> Request<SendEvent> {
    match decode(text) {
        Ok(Message::FromWidgetRequest(FromWidgetRequest::SendEvent(r))) => *r,
        other => panic!("expected a send_event request, got {other:?}"),
    }
}

#[test]
fn delay_must_be_an_integer_from_1_to_2_pow_53_minus_1() {
    let base = |delay: Value| send_event(json!({"type": "m.room.message", "content": {}, "delay": delay}));
    rejected(&base(json!(0)), "`delay` is out of range: 0 is not an integer number of milliseconds from 1 to 9007199254740991");
    rejected(&base(json!(-5)), "`delay` is out of range: -5");
    rejected(&base(json!(1.5)), "`delay` is out of range: 1.5");
    rejected(&base(json!(9_007_199_254_740_992_u64)), "`delay` is out of range: 9007199254740992");
    rejected(&base(json!("8000")), "`delay`: expected a delay in milliseconds (an integer from 1 to 9007199254740991), found \"8000\"");
    rejected(&base(json!(true)), "`delay`: expected a delay in milliseconds (an integer from 1 to 9007199254740991), found true");
    rejected(&base(json!({"ms": 5})), "`delay`: expected");
    for ok in [json!(1), json!(8000), json!(9_007_199_254_740_991_u64)] {
        let text = base(ok.clone());
        accepted(&text);
        assert_eq!(decode_send_event(&text).data().delay.map(Delay::as_millis), ok.as_u64());
    }
    // An integral float is an integer, in JavaScript and in JSON Schema alike.
    let text = send_event(json!({"type": "m.room.message", "content": {}})).replace("\"content\":{}", "\"content\":{},\"delay\":8000.0");
    accepted(&text);
    assert_eq!(decode_send_event(&text).data().delay, Delay::from_millis(8000).ok());
}

#[test]
fn delay_null_means_absent() {
    let text = send_event(json!({"type": "m.room.message", "content": {}, "delay": null}));
    accepted(&text);
    let req = decode_send_event(&text);
    assert_eq!(req.data().delay, None);
    assert!(!req.data().is_delayed());
    // Absent optional fields are not emitted as null.
    assert_eq!(serde_json::to_value(req.data()).expect("ok"), json!({"type": "m.room.message", "content": {}}));
}

#[test]
fn parent_delay_id_is_kept_but_never_makes_a_send_delayed() {
    let text = send_event(json!({"type": "m.room.message", "content": {}, "parent_delay_id": "syd_parent"}));
    let req = decode_send_event(&text);
    assert_eq!(req.data().parent_delay_id.as_deref(), Some("syd_parent"));
    assert!(!req.data().is_delayed());
    assert_eq!(serde_json::to_value(&req).expect("ok"), serde_json::from_str::<Value>(&text).expect("JSON"));
    // Builders never set it.
    let built = SendEventRequestData::new("m.room.message", RawObject::empty()).with_delay(Delay::from_millis(5).expect("in range"));
    assert!(built.parent_delay_id.is_none());
    assert!(!serde_json::to_string(&built).expect("ok").contains("parent_delay_id"));
}

#[test]
fn state_room_and_sticky_fields() {
    let text = r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"send_event","data":{
        "type":"org.matrix.msc3401.call.member","state_key":"_@a:b_DEV","room_id":"!r:b",
        "content":{"b":1,"a":[true,null]},"delay":8000}}"#;
    let req = decode_send_event(text).data().clone();
    assert!(req.is_state() && req.is_delayed());
    assert_eq!(req.room_id.as_deref(), Some("!r:b"));
    let sticky =
        decode_send_event(&send_event(json!({"type": "m.rtc.member", "content": {}, "delay": 5, "sticky_duration_ms": 3_600_000})))
            .data()
            .clone();
    assert_eq!(sticky.sticky_duration_ms, StickyDuration::from_millis(3_600_000).ok());
    assert!(sticky.is_delayed() && !sticky.is_state());
    // `content` is kept byte-exact, with typed access.
    assert_eq!(req.content.get(), r#"{"b":1,"a":[true,null]}"#);
    let content: std::collections::BTreeMap<String, Value> = req.content.deserialize_as().expect("object");
    assert_eq!(content["b"], json!(1));

    let sticky = |ms: Value| send_event(json!({"type": "m.room.message", "content": {}, "sticky_duration_ms": ms}));
    accepted(&sticky(json!(0)));
    rejected(&sticky(json!(3_600_001)), "`sticky_duration_ms` is out of range: 3600001");
    rejected(&sticky(json!(-1)), "`sticky_duration_ms` is out of range: -1");
    rejected(&send_event(json!({"type": "m.room.message", "content": []})), "`content`: expected a JSON object, found `[]`");
    rejected(&send_event(json!({"content": {}})), "`type` is missing");
    rejected(&send_event(json!({"type": 5, "content": {}})), "`type`: expected a string, found 5");
    rejected(&send_event(json!({"type": "m.room.message", "content": {}, "state_key": 1})), "`state_key`: expected a string");
}

#[test]
fn sticky_state_events_and_empty_names_are_rejected() {
    rejected(
        &send_event(json!({"type": "m.room.member", "state_key": "@a:b", "content": {}, "sticky_duration_ms": 1000})),
        "a state event cannot have `sticky_duration_ms`",
    );
    // `null` is absent, so these are fine.
    accepted(&send_event(json!({"type": "m.room.member", "state_key": "@a:b", "content": {}, "sticky_duration_ms": null})));
    accepted(&send_event(json!({"type": "m.room.message", "state_key": null, "content": {}, "sticky_duration_ms": 1000})));
    rejected(&send_event(json!({"type": "", "content": {}})), "`type` must not be empty");
    rejected(&update(json!({"delay_id": "", "action": "cancel"})), "`delay_id` must not be empty");
    // Values built in code are checked by `validate`.
    let built = SendEventRequestData::new("m.room.member", RawObject::empty())
        .with_state_key("@a:b")
        .with_sticky_duration(StickyDuration::from_millis(5).expect("in range"));
    assert!(built.validate().is_err());
    assert!(UpdateDelayedEventRequestData::new("", UpdateAction::Send).validate().is_err());
}

#[test]
fn duplicate_fields_are_errors() {
    let text = r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"send_event","data":{"type":"a","type":"b","content":{}}}"#;
    let err = decode(text).expect_err("duplicate");
    assert!(err.to_string().contains("`type` appears twice"), "{err}");
}

#[test]
fn send_event_response_has_exactly_one_of_event_id_and_delay_id() {
    let scheduled = SendEventResponseData::scheduled("!r:b", "syd_abc");
    assert_eq!(serde_json::to_value(&scheduled).expect("ok"), json!({"room_id": "!r:b", "delay_id": "syd_abc"}));
    let sent = SendEventResponseData::sent("!r:b", "$e");
    assert_eq!(serde_json::to_value(&sent).expect("ok"), json!({"room_id": "!r:b", "event_id": "$e"}));
    assert_eq!(sent.event_id(), Some("$e"));
    assert_eq!(scheduled.delay_id(), Some("syd_abc"));

    let parse = |v: Value| serde_json::from_value::<SendEventResponseData>(v);
    assert_eq!(
        parse(json!({"room_id": "!r:b", "delay_id": "d", "event_id": null})).expect("null is absent").outcome,
        SendOutcome::Scheduled { delay_id: "d".into() }
    );
    assert!(parse(json!({"delay_id": "d"})).expect("room_id is optional on input").room_id.is_none());
    let both = parse(json!({"room_id": "!r:b", "delay_id": "d", "event_id": "$e"})).expect_err("both").to_string();
    assert!(both.contains("both `event_id` and `delay_id`"), "{both}");
    let neither = parse(json!({"room_id": "!r:b"})).expect_err("neither").to_string();
    assert!(neither.contains("needs `event_id` or `delay_id`"), "{neither}");

    // The schema agrees, inside a whole reply.
    let reply = |response: Value| {
        json!({"api": "fromWidget", "widgetId": "w", "requestId": "r", "action": "send_event", "data": {"type": "t", "content": {}}, "response": response}).to_string()
    };
    accepted(&reply(json!({"room_id": "!r:b", "delay_id": "d"})));
    accepted(&reply(json!({"room_id": "!r:b", "delay_id": "d", "event_id": null})));
    for bad in [json!({"room_id": "!r:b", "delay_id": "d", "event_id": "$e"}), json!({"room_id": "!r:b"})] {
        let text = reply(bad);
        assert!(matches!(decode(&text), Err(ref e) if e.error_reply().is_none()), "a bad reply is an error that is never answered");
        crate::check::assert_schema_rejects(&text);
    }
}

#[test]
fn reply_echoes_the_request_bytes_and_only_takes_the_right_response_type() {
    // Odd spacing and key order survive: the reply is built from the request's bytes.
    let text = "{ \"api\" : \"fromWidget\", \"widgetId\":\"w1\",\"requestId\":\"r1\",\"action\":\"send_event\",\n\"data\":{\"type\":\"m.room.message\",\"content\":{\"body\":\"x\"},\"delay\":8000}, \"x-extra\": [1] }\n";
    let req = decode_send_event(text);
    let reply = req.reply(&SendEventResponseData::scheduled("!r:b", "syd_abc"));
    assert_eq!(
        reply,
        "{ \"api\" : \"fromWidget\", \"widgetId\":\"w1\",\"requestId\":\"r1\",\"action\":\"send_event\",\n\"data\":{\"type\":\"m.room.message\",\"content\":{\"body\":\"x\"},\"delay\":8000}, \"x-extra\": [1],\"response\":{\"room_id\":\"!r:b\",\"delay_id\":\"syd_abc\"}}"
    );
    // The widget reads it back as the typed outcome.
    match decode(&reply).expect("reply decodes") {
        Message::FromWidgetResponse(FromWidgetResponse::SendEvent(resp)) => {
            assert_eq!(resp.result().as_ref().expect("success").delay_id(), Some("syd_abc"));
        }
        other => panic!("{other:?}"),
    }
    // Error replies carry matrix_api_error with every field filled (wire decision 17).
    let error = WidgetError::new("Error sending event").with_matrix_api_error(MatrixApiError::new(
        403,
        &Default::default(),
        "",
        MatrixErrorBody::new("M_FORBIDDEN", "delay too long"),
    ));
    let reply: Value = serde_json::from_str(&req.reply_error(error)).expect("JSON");
    assert_eq!(
        reply["response"],
        json!({"error": {"message": "Error sending event", "matrix_api_error": {"http_status": 403, "http_headers": {}, "url": "", "response": {"errcode": "M_FORBIDDEN", "error": "delay too long"}}}})
    );
}

#[test]
fn update_delayed_event_actions() {
    for (action, expected) in [
        ("cancel", UpdateAction::Cancel),
        ("restart", UpdateAction::Restart),
        ("refresh", UpdateAction::Restart),
        ("send", UpdateAction::Send),
    ] {
        let text = update(json!({"delay_id": "syd_abc", "action": action}));
        accepted(&text);
        let Ok(Message::FromWidgetRequest(FromWidgetRequest::UpdateDelayedEvent(req))) = decode(&text) else { panic!("{text}") };
        assert_eq!(req.data().action, expected);
        assert_eq!(req.reply(&Empty::new()), format!("{},\"response\":{{}}}}", &text[..text.len() - 1]));
    }
    rejected(
        &update(json!({"delay_id": "syd_abc", "action": "pause"})),
        "unknown delayed event update action \"pause\", expected one of \"cancel\", \"restart\", \"refresh\", \"send\"",
    );
    rejected(&update(json!({"delay_id": "syd_abc", "action": "Cancel"})), "unknown delayed event update action \"Cancel\"");
    rejected(&update(json!({"delay_id": "syd_abc"})), "`action` is missing");
    rejected(&update(json!({"action": "send"})), "`delay_id` is missing");
    rejected(&update(json!({"delay_id": 7, "action": "send"})), "`delay_id`: expected a string");
}

#[test]
fn every_action_spelling_reaches_the_typed_request() {
    for name in ["update_delayed_event", "org.matrix.msc4157.update_delayed_event", "org.matrix.msc4157.update.delayed_event"] {
        let text =
            json!({"api": "fromWidget", "widgetId": "w", "requestId": "r", "action": name, "data": {"delay_id": "d", "action": "send"}})
                .to_string();
        accepted(&text);
        let Ok(Message::FromWidgetRequest(FromWidgetRequest::UpdateDelayedEvent(req))) = decode(&text) else { panic!("{name}") };
        // The reply echoes the exact action string.
        let reply: Value = serde_json::from_str(&req.reply(&Empty::new())).expect("JSON");
        assert_eq!(reply["action"], name);
    }
}

#[test]
fn widget_side_builds_requests_in_the_chosen_naming() {
    let req: Request<UpdateDelayedEvent> =
        Request::new("w1", "r1", UpdateDelayedEventRequestData::new("syd_abc", UpdateAction::Restart)).unwrap();
    assert_eq!(
        serde_json::to_value(&req).expect("ok"),
        json!({"api": "fromWidget", "widgetId": "w1", "requestId": "r1", "action": "org.matrix.msc4157.update_delayed_event", "data": {"delay_id": "syd_abc", "action": "restart"}})
    );
    let stable: Value = serde_json::from_str(&to_string_with(&req, Naming::Stable).expect("ok")).expect("JSON");
    assert_eq!(stable["action"], "update_delayed_event");

    let send: Request<SendEvent> = Request::new(
        "w1",
        "r2",
        SendEventRequestData::new("org.matrix.msc3401.call.member", RawObject::from_json("{}").expect("object"))
            .with_state_key("_@a:b_DEV")
            .with_delay(Delay::from_millis(8000).expect("in range")),
    )
    .unwrap();
    // The example exchange of a MatrixRTC delayed leave event.
    assert_eq!(
        serde_json::to_value(&send).expect("ok"),
        json!({"api": "fromWidget", "widgetId": "w1", "requestId": "r2", "action": "send_event",
               "data": {"type": "org.matrix.msc3401.call.member", "content": {}, "state_key": "_@a:b_DEV", "delay": 8000}})
    );
    // A built request is answered by serialising it (it has no source bytes).
    let reply: Value = serde_json::from_str(&send.reply(&SendEventResponseData::scheduled("!r:b", "syd_abc"))).expect("JSON");
    assert_eq!(reply["response"], json!({"room_id": "!r:b", "delay_id": "syd_abc"}));
    assert_eq!(reply["data"]["delay"], 8000);
}

#[test]
fn delay_and_sticky_constructors_check_ranges() {
    let zero = Delay::from_millis(0).expect_err("0 is refused");
    assert!(zero.to_string().contains("must be from 1 to 9007199254740991 ms"), "{zero}");
    assert_eq!(Delay::from_millis(1).map(Delay::as_millis), Ok(1));
    assert_eq!(Delay::from_millis(1 << 53).map_err(|e| e.value()), Err(1 << 53));
    assert_eq!(Delay::MAX.as_millis(), (1 << 53) - 1);
    assert!(StickyDuration::from_millis(3_600_001).expect_err("over an hour").to_string().contains("at most one hour"));
    assert_eq!(StickyDuration::from_millis(0).map(StickyDuration::as_millis), Ok(0));
}

#[test]
fn error_responses_accept_rust_sdk_and_keep_unknown_fields() {
    let body = json!({"error": {"message": "Error sending event", "org.example": 1, "matrix_api_error": {"http_status": 400, "response": {
        "errcode": "M_UNKNOWN", "error": "too long", "org.matrix.msc4140.errcode": "M_MAX_DELAY_EXCEEDED", "org.matrix.msc4140.max_delay": 3600000}}}});
    let parsed: ErrorResponseData = serde_json::from_value(body.clone()).expect("parses");
    let api_error = parsed.error.matrix_api_error.as_ref().expect("present");
    assert_eq!(api_error.http_headers, None);
    assert_eq!(api_error.url, None);
    assert_eq!(api_error.response.extra.get("org.matrix.msc4140.max_delay").map(|v| v.get()), Some("3600000"));
    assert_eq!(serde_json::to_value(&parsed).expect("ok"), body, "nothing lost, nothing added");
}
