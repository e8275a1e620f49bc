//! The event-reading and to-device actions: fromWidget `send_to_device`, `read_events`,
//! `read_relations`, `user_directory_search`, `com.beeper.read_room_account_data`, and
//! toWidget `send_event`, `send_to_device`, `update_state`, with the shared `RoomEvent`.
//!
//! Every message matrix-widget-api 1.19 posted for them decodes typed, round-trips and is
//! accepted by the committed schema; our replies equal the reference's; builders produce
//! what decodes; unknown fields survive; and every validation rule has an example that the
//! decoder and the schema both reject.

use crate::check::{rejected, round_trips, typed};
use matrix_widget_api::event::{Millis, RoomEvent, RoomIds, StickyInfo, Timestamp};
use matrix_widget_api::from_widget::read_events::{Limit, ReadEvents, ReadEventsRequestData, ReadEventsResponseData, StateKeySelector};
use matrix_widget_api::from_widget::read_relations::{
    PaginationDirection, ReadRelations, ReadRelationsRequestData, ReadRelationsResponseData, ResultLimit,
};
use matrix_widget_api::from_widget::read_room_account_data::{
    ReadRoomAccountData, ReadRoomAccountDataRequestData, ReadRoomAccountDataResponseData, RoomAccountData,
};
use matrix_widget_api::from_widget::send_to_device::{
    DeliveryFailures, DeviceTarget, SendToDevice, SendToDeviceRequestData, SendToDeviceResponseData, ToDeviceMessages,
};
use matrix_widget_api::from_widget::user_directory_search::{
    UserDirectorySearchRequestData, UserDirectorySearchResponseData, UserDirectoryUser,
};
use matrix_widget_api::naming::{Naming, to_string_with};
use matrix_widget_api::payload::{Empty, RawObject};
use matrix_widget_api::to_widget::send_to_device::ToDeviceEvent;
use matrix_widget_api::to_widget::update_state::UpdateStateRequestData;
use matrix_widget_api::to_widget::{send_event as to_send_event, send_to_device as to_send_to_device, update_state};
use matrix_widget_api::{BuildError, Message, Request, decode};
use matrix_widget_api::{FromWidgetRequest, FromWidgetResponse, ToWidgetRequest, ToWidgetResponse};
use serde_json::{Value, json};

/// Messages posted by matrix-widget-api 1.19.0's real `WidgetApi` and `ClientWidgetApi`, wired
/// back to back as in `tests/npm/capture.mjs` (a fake driver answers; the widget application
/// acknowledges pushed events with `{}`). Named `<direction>.<action>.<kind>.<case>`.
const CAPTURED: &[(&str, &str)] = &[
    (
        "from_widget.read_room_account_data.request.account_data",
        r#"{"api":"fromWidget","widgetId":"w4","requestId":"widgetapi-1700000012000","action":"com.beeper.read_room_account_data","data":{"type":"org.example.tags"}}"#,
    ),
    (
        "from_widget.read_room_account_data.request.account_data_room_ids",
        r#"{"api":"fromWidget","widgetId":"w4","requestId":"widgetapi-1700000013000","action":"com.beeper.read_room_account_data","data":{"type":"org.example.tags","room_ids":["!r:b"]}}"#,
    ),
    (
        "from_widget.read_room_account_data.response.account_data",
        r#"{"api":"fromWidget","widgetId":"w4","requestId":"widgetapi-1700000012000","action":"com.beeper.read_room_account_data","data":{"type":"org.example.tags"},"response":{"events":[{"type":"org.example.tags","room_id":"!r:b","content":{"tags":["a"]}}]}}"#,
    ),
    (
        "from_widget.read_room_account_data.response.account_data_room_ids",
        r#"{"api":"fromWidget","widgetId":"w4","requestId":"widgetapi-1700000013000","action":"com.beeper.read_room_account_data","data":{"type":"org.example.tags","room_ids":["!r:b"]},"response":{"events":[{"type":"org.example.tags","room_id":"!r:b","content":{"tags":["a"]}}]}}"#,
    ),
    (
        "from_widget.read_events.request.limit_zero",
        r#"{"api":"fromWidget","widgetId":"w4","requestId":"widgetapi-1700000006000","action":"org.matrix.msc2876.read_events","data":{"type":"m.room.message","limit":0}}"#,
    ),
    (
        "from_widget.read_events.request.room_events",
        r#"{"api":"fromWidget","widgetId":"w4","requestId":"widgetapi-1700000002000","action":"org.matrix.msc2876.read_events","data":{"type":"m.room.message","msgtype":"m.text","limit":25}}"#,
    ),
    (
        "from_widget.read_events.request.room_events_room_ids",
        r#"{"api":"fromWidget","widgetId":"w4","requestId":"widgetapi-1700000003000","action":"org.matrix.msc2876.read_events","data":{"type":"m.room.message","msgtype":"m.text","limit":25,"room_ids":["!r:b"],"since":"$since"}}"#,
    ),
    (
        "from_widget.read_events.request.state_events_any_key",
        r#"{"api":"fromWidget","widgetId":"w4","requestId":"widgetapi-1700000004000","action":"org.matrix.msc2876.read_events","data":{"type":"m.room.topic","state_key":true,"limit":1}}"#,
    ),
    (
        "from_widget.read_events.request.state_events_key_any_room",
        r#"{"api":"fromWidget","widgetId":"w4","requestId":"widgetapi-1700000005000","action":"org.matrix.msc2876.read_events","data":{"type":"m.room.topic","state_key":"","room_ids":"*"}}"#,
    ),
    (
        "from_widget.read_events.response.error_limit_zero",
        r#"{"api":"fromWidget","widgetId":"w4","requestId":"widgetapi-1700000006000","action":"org.matrix.msc2876.read_events","data":{"type":"m.room.message","limit":0},"response":{"error":{"message":"Invalid request - limit out of range"}}}"#,
    ),
    (
        "from_widget.read_events.response.room_events",
        r#"{"api":"fromWidget","widgetId":"w4","requestId":"widgetapi-1700000002000","action":"org.matrix.msc2876.read_events","data":{"type":"m.room.message","msgtype":"m.text","limit":25},"response":{"events":[]}}"#,
    ),
    (
        "from_widget.read_events.response.room_events_room_ids",
        r#"{"api":"fromWidget","widgetId":"w4","requestId":"widgetapi-1700000003000","action":"org.matrix.msc2876.read_events","data":{"type":"m.room.message","msgtype":"m.text","limit":25,"room_ids":["!r:b"],"since":"$since"},"response":{"events":[{"type":"m.room.message","sender":"@a:b","event_id":"$msg_1","room_id":"!r:b","origin_server_ts":1700000000000,"content":{"msgtype":"m.text","body":"hello"},"unsigned":{"age":1234}}]}}"#,
    ),
    (
        "from_widget.read_events.response.state_events_any_key",
        r#"{"api":"fromWidget","widgetId":"w4","requestId":"widgetapi-1700000004000","action":"org.matrix.msc2876.read_events","data":{"type":"m.room.topic","state_key":true,"limit":1},"response":{"events":[]}}"#,
    ),
    (
        "from_widget.read_events.response.state_events_key_any_room",
        r#"{"api":"fromWidget","widgetId":"w4","requestId":"widgetapi-1700000005000","action":"org.matrix.msc2876.read_events","data":{"type":"m.room.topic","state_key":"","room_ids":"*"},"response":{"events":[{"type":"m.room.topic","sender":"@a:b","event_id":"$state_1","room_id":"!r:b","state_key":"","origin_server_ts":1700000000001,"content":{"topic":"Widgets"},"unsigned":{}}]}}"#,
    ),
    (
        "from_widget.read_relations.request.relations",
        r#"{"api":"fromWidget","widgetId":"w4","requestId":"widgetapi-1700000007000","action":"org.matrix.msc3869.read_relations","data":{"event_id":"$msg_1","rel_type":"m.annotation","event_type":"m.reaction","room_id":"!r:b","limit":10,"direction":"b"}}"#,
    ),
    (
        "from_widget.read_relations.request.relations_minimal",
        r#"{"api":"fromWidget","widgetId":"w4","requestId":"widgetapi-1700000008000","action":"org.matrix.msc3869.read_relations","data":{"event_id":"$msg_1"}}"#,
    ),
    (
        "from_widget.read_relations.response.relations",
        r#"{"api":"fromWidget","widgetId":"w4","requestId":"widgetapi-1700000007000","action":"org.matrix.msc3869.read_relations","data":{"event_id":"$msg_1","rel_type":"m.annotation","event_type":"m.reaction","room_id":"!r:b","limit":10,"direction":"b"},"response":{"chunk":[{"type":"m.reaction","sender":"@b:b","event_id":"$rel_1","room_id":"!r:b","origin_server_ts":1700000000002,"content":{"m.relates_to":{"rel_type":"m.annotation","event_id":"$msg_1","key":"👍"}},"unsigned":{}}],"next_batch":"next_1"}}"#,
    ),
    (
        "from_widget.read_relations.response.relations_minimal",
        r#"{"api":"fromWidget","widgetId":"w4","requestId":"widgetapi-1700000008000","action":"org.matrix.msc3869.read_relations","data":{"event_id":"$msg_1"},"response":{"chunk":[{"type":"m.reaction","sender":"@b:b","event_id":"$rel_1","room_id":"!r:b","origin_server_ts":1700000000002,"content":{"m.relates_to":{"rel_type":"m.annotation","event_id":"$msg_1","key":"👍"}},"unsigned":{}}],"next_batch":"next_1"}}"#,
    ),
    (
        "from_widget.send_to_device.request.to_device",
        r#"{"api":"fromWidget","widgetId":"w4","requestId":"widgetapi-1700000010000","action":"send_to_device","data":{"type":"org.example.ping","encrypted":false,"messages":{"@b:b":{"DEVICE":{"n":1}},"@c:b":{"*":{"n":2}}}}}"#,
    ),
    (
        "from_widget.send_to_device.request.to_device_encrypted",
        r#"{"api":"fromWidget","widgetId":"w4","requestId":"widgetapi-1700000011000","action":"send_to_device","data":{"type":"org.example.ping","encrypted":true,"messages":{"@b:b":{"*":{"n":1}}}}}"#,
    ),
    (
        "from_widget.send_to_device.response.to_device",
        r#"{"api":"fromWidget","widgetId":"w4","requestId":"widgetapi-1700000010000","action":"send_to_device","data":{"type":"org.example.ping","encrypted":false,"messages":{"@b:b":{"DEVICE":{"n":1}},"@c:b":{"*":{"n":2}}}},"response":{}}"#,
    ),
    (
        "from_widget.send_to_device.response.to_device_encrypted",
        r#"{"api":"fromWidget","widgetId":"w4","requestId":"widgetapi-1700000011000","action":"send_to_device","data":{"type":"org.example.ping","encrypted":true,"messages":{"@b:b":{"*":{"n":1}}}},"response":{}}"#,
    ),
    (
        "from_widget.user_directory_search.request.search",
        r#"{"api":"fromWidget","widgetId":"w4","requestId":"widgetapi-1700000009000","action":"org.matrix.msc3973.user_directory_search","data":{"search_term":"al","limit":10}}"#,
    ),
    (
        "from_widget.user_directory_search.response.search",
        r#"{"api":"fromWidget","widgetId":"w4","requestId":"widgetapi-1700000009000","action":"org.matrix.msc3973.user_directory_search","data":{"search_term":"al","limit":10},"response":{"limited":true,"results":[{"user_id":"@alice:b","display_name":"Alice","avatar_url":"mxc://b/alice"},{"user_id":"@bob:b"}]}}"#,
    ),
    (
        "to_widget.send_event.request.feed_event",
        r#"{"api":"toWidget","widgetId":"w4","requestId":"widgetapi-1700000014000","action":"send_event","data":{"type":"m.room.message","sender":"@a:b","event_id":"$msg_1","room_id":"!r:b","origin_server_ts":1700000000000,"content":{"msgtype":"m.text","body":"hello"},"unsigned":{"age":1234}}}"#,
    ),
    (
        "to_widget.send_event.request.feed_state_event",
        r#"{"api":"toWidget","widgetId":"w4","requestId":"widgetapi-1700000015000","action":"send_event","data":{"type":"m.room.topic","sender":"@a:b","event_id":"$state_1","room_id":"!r:b","state_key":"","origin_server_ts":1700000000001,"content":{"topic":"Widgets"},"unsigned":{}}}"#,
    ),
    (
        "to_widget.send_event.request.handshake",
        r#"{"api":"toWidget","widgetId":"w4","requestId":"widgetapi-1700000001003","action":"send_event","data":{"type":"org.matrix.msc4143.rtc.member","sender":"@a:b","event_id":"$sticky_1","room_id":"!r:b","origin_server_ts":1700000000003,"content":{"slot_id":"m.call#ROOM"},"unsigned":{},"msc4354_sticky":{"duration_ms":3600000}}}"#,
    ),
    (
        "to_widget.send_event.response.feed_event",
        r#"{"api":"toWidget","widgetId":"w4","requestId":"widgetapi-1700000014000","action":"send_event","data":{"type":"m.room.message","sender":"@a:b","event_id":"$msg_1","room_id":"!r:b","origin_server_ts":1700000000000,"content":{"msgtype":"m.text","body":"hello"},"unsigned":{"age":1234}},"response":{}}"#,
    ),
    (
        "to_widget.send_event.response.feed_state_event",
        r#"{"api":"toWidget","widgetId":"w4","requestId":"widgetapi-1700000015000","action":"send_event","data":{"type":"m.room.topic","sender":"@a:b","event_id":"$state_1","room_id":"!r:b","state_key":"","origin_server_ts":1700000000001,"content":{"topic":"Widgets"},"unsigned":{}},"response":{}}"#,
    ),
    (
        "to_widget.send_event.response.handshake",
        r#"{"api":"toWidget","widgetId":"w4","requestId":"widgetapi-1700000001003","action":"send_event","data":{"type":"org.matrix.msc4143.rtc.member","sender":"@a:b","event_id":"$sticky_1","room_id":"!r:b","origin_server_ts":1700000000003,"content":{"slot_id":"m.call#ROOM"},"unsigned":{},"msc4354_sticky":{"duration_ms":3600000}},"response":{}}"#,
    ),
    (
        "to_widget.send_to_device.request.feed_to_device",
        r#"{"api":"toWidget","widgetId":"w4","requestId":"widgetapi-1700000017000","action":"send_to_device","data":{"type":"org.example.ping","sender":"@b:b","content":{"n":3},"encrypted":true}}"#,
    ),
    (
        "to_widget.send_to_device.response.feed_to_device",
        r#"{"api":"toWidget","widgetId":"w4","requestId":"widgetapi-1700000017000","action":"send_to_device","data":{"type":"org.example.ping","sender":"@b:b","content":{"n":3},"encrypted":true},"response":{}}"#,
    ),
    (
        "to_widget.update_state.request.feed_state_update",
        r#"{"api":"toWidget","widgetId":"w4","requestId":"widgetapi-1700000016000","action":"update_state","data":{"state":[{"type":"m.room.topic","sender":"@a:b","event_id":"$state_1","room_id":"!r:b","state_key":"","origin_server_ts":1700000000001,"content":{"topic":"Widgets"},"unsigned":{}}]}}"#,
    ),
    (
        "to_widget.update_state.request.handshake",
        r#"{"api":"toWidget","widgetId":"w4","requestId":"widgetapi-1700000001005","action":"update_state","data":{"state":[{"type":"m.room.topic","sender":"@a:b","event_id":"$state_1","room_id":"!r:b","state_key":"","origin_server_ts":1700000000001,"content":{"topic":"Widgets"},"unsigned":{}}]}}"#,
    ),
    (
        "to_widget.update_state.response.feed_state_update",
        r#"{"api":"toWidget","widgetId":"w4","requestId":"widgetapi-1700000016000","action":"update_state","data":{"state":[{"type":"m.room.topic","sender":"@a:b","event_id":"$state_1","room_id":"!r:b","state_key":"","origin_server_ts":1700000000001,"content":{"topic":"Widgets"},"unsigned":{}}]},"response":{}}"#,
    ),
    (
        "to_widget.update_state.response.handshake",
        r#"{"api":"toWidget","widgetId":"w4","requestId":"widgetapi-1700000001005","action":"update_state","data":{"state":[{"type":"m.room.topic","sender":"@a:b","event_id":"$state_1","room_id":"!r:b","state_key":"","origin_server_ts":1700000000001,"content":{"topic":"Widgets"},"unsigned":{}}]},"response":{}}"#,
    ),
];

fn captured(name: &str) -> &'static str {
    CAPTURED.iter().find(|(n, _)| *n == name).map(|(_, text)| *text).unwrap_or_else(|| panic!("no captured message {name}"))
}

fn value(text: &str) -> Value {
    serde_json::from_str(text).expect("JSON")
}

fn message(api: &str, action: &str, data: Value) -> String {
    json!({"api": api, "widgetId": "w1", "requestId": "r1", "action": action, "data": data}).to_string()
}

fn from_widget(action: &str, data: Value) -> String {
    message("fromWidget", action, data)
}

fn to_widget(action: &str, data: Value) -> String {
    message("toWidget", action, data)
}

fn reply(api: &str, action: &str, data: Value, response: Value) -> String {
    json!({"api": api, "widgetId": "w1", "requestId": "r1", "action": action, "data": data, "response": response}).to_string()
}

/// The message of a typed variant, or a panic naming what came instead.
macro_rules! typed {
    ($text:expr, $kind:ident :: $variant:ident) => {
        match decode($text) {
            Ok(Message::$kind($kind::$variant(inner))) => *inner,
            other => panic!("expected {}::{}, got {other:?}", stringify!($kind), stringify!($variant)),
        }
    };
}

/// The reply this crate builds to `request`, given the reference's reply (its typed outcome).
fn our_reply(request: &str, theirs: &str) -> String {
    macro_rules! arms {
        ($(($req:ident, $resp:ident, $variant:ident)),* $(,)?) => {
            match (decode(request), decode(theirs)) {
                $(
                    (Ok(Message::$req($req::$variant(req))), Ok(Message::$resp($resp::$variant(resp)))) => match resp.result() {
                        Ok(ok) => req.reply(ok),
                        Err(err) => req.reply_error(err.clone()),
                    },
                )*
                (req, resp) => panic!("not a typed pair: {req:?} / {resp:?}"),
            }
        };
    }
    arms!(
        (FromWidgetRequest, FromWidgetResponse, SendToDevice),
        (FromWidgetRequest, FromWidgetResponse, ReadEvents),
        (FromWidgetRequest, FromWidgetResponse, ReadRelations),
        (FromWidgetRequest, FromWidgetResponse, UserDirectorySearch),
        (FromWidgetRequest, FromWidgetResponse, ReadRoomAccountData),
        (ToWidgetRequest, ToWidgetResponse, SendEvent),
        (ToWidgetRequest, ToWidgetResponse, SendToDevice),
        (ToWidgetRequest, ToWidgetResponse, UpdateState),
    )
}

fn event_json() -> Value {
    json!({"type": "m.room.message", "sender": "@a:b", "event_id": "$e", "room_id": "!r:b", "origin_server_ts": 1, "content": {}})
}

// ---- Everything the reference posted ----

#[test]
fn every_captured_message_decodes_typed_round_trips_and_fits_the_schema() {
    assert!(CAPTURED.len() >= 35, "only {} captured messages", CAPTURED.len());
    for (name, text) in CAPTURED {
        if *name == "from_widget.read_events.request.limit_zero" {
            continue; // rejected on purpose, below
        }
        typed(text);
        round_trips(text);
        let message = decode(text).expect("decodes");
        let expected = match (name.starts_with("from_widget."), name.contains(".response.")) {
            (true, false) => "FromWidgetRequest",
            (true, true) => "FromWidgetResponse",
            (false, false) => "ToWidgetRequest",
            (false, true) => "ToWidgetResponse",
        };
        let kind = match message {
            Message::FromWidgetRequest(_) => "FromWidgetRequest",
            Message::FromWidgetResponse(_) => "FromWidgetResponse",
            Message::ToWidgetRequest(_) => "ToWidgetRequest",
            Message::ToWidgetResponse(_) => "ToWidgetResponse",
            _ => "unknown",
        };
        assert_eq!(kind, expected, "{name}");
    }
}

#[test]
fn our_replies_equal_the_reference_replies() {
    let mut checked = 0;
    for (name, request) in CAPTURED.iter().filter(|(n, _)| n.contains(".request.") && !n.ends_with("limit_zero")) {
        let theirs = captured(&name.replace(".request.", ".response."));
        let ours = our_reply(request, theirs);
        assert!(ours.starts_with(request.trim_end_matches('}')), "{name}: the reply does not start with the request's bytes");
        assert_eq!(value(&ours), value(theirs), "{name}");
        checked += 1;
    }
    assert!(checked >= 17, "only {checked} pairs");
}

#[test]
fn stable_spellings_decode_to_the_same_requests() {
    for (unstable, stable) in [
        ("org.matrix.msc2876.read_events", "read_events"),
        ("org.matrix.msc3869.read_relations", "read_relations"),
        ("org.matrix.msc3973.user_directory_search", "user_directory_search"),
    ] {
        let mut checked = 0;
        for (name, text) in CAPTURED.iter().filter(|(n, t)| n.contains(".request.") && t.contains(unstable)) {
            if name.ends_with("limit_zero") {
                continue;
            }
            let stable_text = text.replace(unstable, stable);
            typed(&stable_text);
            round_trips(&stable_text);
            let (a, b) = (decode(text).expect("decodes"), decode(&stable_text).expect("decodes"));
            // Equal, spelling aside; the reply echoes the spelling that came.
            assert_eq!(serde_json::to_value(&a).expect("ok")["data"], serde_json::to_value(&b).expect("ok")["data"]);
            assert_eq!(a.action(), b.action(), "{name}");
            assert_eq!(b.action().as_str(), stable);
            checked += 1;
        }
        assert!(checked >= 1, "no captured {unstable}");
    }
    // Built requests use the unstable names unless asked otherwise.
    let built = Request::<ReadEvents>::new("w1", "r1", ReadEventsRequestData::new("m.room.message")).unwrap();
    assert_eq!(serde_json::to_value(&built).unwrap()["action"], "org.matrix.msc2876.read_events");
    assert_eq!(value(&to_string_with(&built, Naming::Stable).unwrap())["action"], "read_events");
}

// ---- fromWidget send_to_device ----

#[test]
fn send_to_device_request_is_typed() {
    let req = typed!(captured("from_widget.send_to_device.request.to_device"), FromWidgetRequest::SendToDevice);
    let data = req.data();
    assert_eq!(data.event_type, "org.example.ping");
    assert!(!data.encrypted);
    assert_eq!(data.messages.user_count(), 2);
    let bob = data.messages.get("@b:b").expect("@b:b");
    assert_eq!(bob.get(&DeviceTarget::Device("DEVICE".into())).map(RawObject::get), Some(r#"{"n":1}"#));
    let carol = data.messages.get("@c:b").expect("@c:b");
    assert_eq!(carol.get(&DeviceTarget::AllDevices).map(RawObject::get), Some(r#"{"n":2}"#));
    let all: Vec<(&str, &str, &str)> = data.messages.iter().map(|(u, d, c)| (u, d.as_str(), c.get())).collect();
    assert_eq!(all, [("@b:b", "DEVICE", r#"{"n":1}"#), ("@c:b", "*", r#"{"n":2}"#)]);
    assert!(typed!(captured("from_widget.send_to_device.request.to_device_encrypted"), FromWidgetRequest::SendToDevice).data().encrypted);
}

#[test]
fn send_to_device_builders_and_responses() {
    let mut messages = ToDeviceMessages::new();
    messages.insert("@b:b", DeviceTarget::from("DEVICE"), RawObject::from_json(r#"{"n":1}"#).unwrap());
    messages.insert("@c:b", DeviceTarget::from("*"), RawObject::from_json(r#"{"n":2}"#).unwrap());
    let built = Request::<SendToDevice>::new("w1", "r1", SendToDeviceRequestData::new("org.example.ping", false, messages)).unwrap();
    let captured_data = value(captured("from_widget.send_to_device.request.to_device"))["data"].clone();
    assert_eq!(serde_json::to_value(&built).unwrap()["data"], captured_data);
    let decoded = typed!(&serde_json::to_string(&built).unwrap(), FromWidgetRequest::SendToDevice);
    assert_eq!(decoded.data(), built.data());
    assert_eq!(
        built.reply(&SendToDeviceResponseData::new()),
        serde_json::to_string(&built).unwrap().replace("}}}}}", "}}}},\"response\":{}}")
    );

    // matrix-rust-sdk's `failures`, typed and kept.
    let mut failures = DeliveryFailures::new();
    failures.add("@b:b", "DEVICE");
    failures.add("@b:b", "OTHER");
    let text = built.reply(&SendToDeviceResponseData::new().with_failures(failures.clone()));
    typed(&text);
    round_trips(&text);
    let resp = typed!(&text, FromWidgetResponse::SendToDevice);
    let ok = resp.result().as_ref().expect("success");
    assert_eq!(ok.failures.as_ref().and_then(|f| f.get("@b:b")), Some(&["DEVICE".to_owned(), "OTHER".to_owned()][..]));
    assert_eq!(value(&text)["response"], json!({"failures": {"@b:b": ["DEVICE", "OTHER"]}}));
    let data = json!({"type": "t", "encrypted": true, "messages": {}});
    rejected(&reply("fromWidget", "send_to_device", data.clone(), json!({"failures": {"@b:b": "DEVICE"}})), "`failures`");
    rejected(&reply("fromWidget", "send_to_device", data, json!({"failures": [["@b:b", "DEVICE"]]})), "`failures`");
}

#[test]
fn send_to_device_keeps_unknown_fields_and_content_bytes() {
    let text = r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"send_to_device","data":{"type":"t","encrypted":true,"messages":{"@b:b":{"D":{ "b" : 1, "a":[null] }}},"org.example.x":{"y":1}}}"#;
    typed(text);
    round_trips(text);
    let req = typed!(text, FromWidgetRequest::SendToDevice);
    assert_eq!(req.data().extra.get("org.example.x").map(|v| v.get()), Some(r#"{"y":1}"#));
    let content = req.data().messages.get("@b:b").and_then(|d| d.get(&DeviceTarget::Device("D".into()))).expect("content");
    assert_eq!(content.get(), r#"{ "b" : 1, "a":[null] }"#);
    // An empty map is what the reference accepts too.
    typed(&from_widget("send_to_device", json!({"type": "t", "encrypted": false, "messages": {}})));
}

#[test]
fn send_to_device_validation() {
    let base = |data: Value| from_widget("send_to_device", data);
    let messages = json!({"@b:b": {"*": {}}});
    rejected(&base(json!({"encrypted": true, "messages": messages})), "`type` is missing");
    rejected(&base(json!({"type": "", "encrypted": true, "messages": messages})), "`type` must not be empty");
    rejected(&base(json!({"type": 5, "encrypted": true, "messages": messages})), "`type`");
    rejected(&base(json!({"type": "t", "encrypted": true})), "`messages` is missing");
    rejected(&base(json!({"type": "t", "encrypted": true, "messages": null})), "`messages`");
    rejected(&base(json!({"type": "t", "messages": messages})), "`encrypted` is missing");
    rejected(&base(json!({"type": "t", "encrypted": "true", "messages": messages})), "`encrypted`");
    rejected(&base(json!({"type": "t", "encrypted": null, "messages": messages})), "`encrypted`");
    rejected(&base(json!({"type": "t", "encrypted": true, "messages": [messages]})), "`messages`");
    rejected(&base(json!({"type": "t", "encrypted": true, "messages": {"@b:b": ["D"]}})), "`messages`");
    rejected(
        &base(json!({"type": "t", "encrypted": true, "messages": {"@b:b": {"D": 1}}})),
        "`messages`: user ID `@b:b`: device ID `D`: expected a JSON object, found `1`",
    );
    // A device or user given twice is an error, not a silent overwrite (JSON values cannot
    // hold duplicates, so the schema has nothing to say).
    let dup_device = r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"send_to_device","data":{"type":"t","encrypted":true,"messages":{"@b:b":{"D":{},"D":{"x":1}}}}}"#;
    let err = decode(dup_device).expect_err("duplicate device");
    assert!(err.to_string().contains("user ID `@b:b`: duplicate device ID `D`"), "{err}");
    assert!(err.error_reply().is_some());
    let dup_user = r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"send_to_device","data":{"type":"t","encrypted":true,"messages":{"@b:b":{},"@b:b":{}}}}"#;
    assert!(decode(dup_user).expect_err("duplicate user").to_string().contains("duplicate user ID `@b:b`"));
    // Built requests are held to the same rules.
    let empty = Request::<SendToDevice>::new("w1", "r1", SendToDeviceRequestData::new("", true, ToDeviceMessages::new()));
    assert_eq!(empty.err(), Some(BuildError::InvalidData("`type` must not be empty".into())));
}

// ---- read_events ----

#[test]
fn read_events_requests_are_typed() {
    let req = typed!(captured("from_widget.read_events.request.room_events_room_ids"), FromWidgetRequest::ReadEvents);
    let data = req.data();
    assert_eq!((data.event_type.as_str(), data.msgtype.as_deref()), ("m.room.message", Some("m.text")));
    assert_eq!(data.limit, Limit::new(25));
    assert_eq!(data.room_ids, Some(RoomIds::Rooms(vec!["!r:b".into()])));
    assert_eq!(data.since.as_deref(), Some("$since"));
    assert!(!data.is_state());

    let any_key = typed!(captured("from_widget.read_events.request.state_events_any_key"), FromWidgetRequest::ReadEvents);
    assert_eq!(any_key.data().state_key, Some(StateKeySelector::Any));
    assert_eq!(any_key.data().state_key.as_ref().and_then(StateKeySelector::key), None);
    let key = typed!(captured("from_widget.read_events.request.state_events_key_any_room"), FromWidgetRequest::ReadEvents);
    assert_eq!(key.data().state_key, Some(StateKeySelector::Key(String::new())));
    assert_eq!(key.data().room_ids, Some(RoomIds::Any));
    assert_eq!(key.data().room_ids.as_ref().and_then(RoomIds::rooms), None);
    assert!(key.data().is_state());
}

#[test]
fn read_events_builders_match_what_the_reference_posts() {
    let built = ReadEventsRequestData::new("m.room.message")
        .with_msgtype("m.text")
        .with_limit(Limit::new(25).unwrap())
        .with_room_ids(["!r:b"].into_iter().collect())
        .with_since("$since");
    let request = Request::<ReadEvents>::new("w4", "widgetapi-1700000003000", built).unwrap();
    assert_eq!(serde_json::to_value(&request).unwrap(), value(captured("from_widget.read_events.request.room_events_room_ids")));
    let state = ReadEventsRequestData::new("m.room.topic").with_state_key(StateKeySelector::Key(String::new())).with_room_ids(RoomIds::Any);
    let request = Request::<ReadEvents>::new("w4", "widgetapi-1700000005000", state).unwrap();
    assert_eq!(serde_json::to_value(&request).unwrap(), value(captured("from_widget.read_events.request.state_events_key_any_room")));
    let any = ReadEventsRequestData::new("m.room.topic").with_state_key(StateKeySelector::Any).with_limit(Limit::new(1).unwrap());
    let request = Request::<ReadEvents>::new("w4", "widgetapi-1700000004000", any).unwrap();
    assert_eq!(serde_json::to_value(&request).unwrap(), value(captured("from_widget.read_events.request.state_events_any_key")));
    // The response, built by a host, is what the reference host answered.
    let topic = RoomEvent::new(
        "m.room.topic",
        "@a:b",
        "$state_1",
        "!r:b",
        Timestamp::from_millis(1_700_000_000_001).unwrap(),
        RawObject::from_json(r#"{"topic":"Widgets"}"#).unwrap(),
    )
    .with_state_key("");
    let text = captured("from_widget.read_events.request.state_events_key_any_room");
    let ours = typed!(text, FromWidgetRequest::ReadEvents).reply(&ReadEventsResponseData::new(vec![topic]));
    assert_eq!(ours, captured("from_widget.read_events.response.state_events_key_any_room"));
    // Building refuses what would not decode.
    assert_eq!(
        Request::<ReadEvents>::new("w1", "r1", ReadEventsRequestData::new("")).err(),
        Some(BuildError::InvalidData("`type` must not be empty".into()))
    );
    assert_eq!(Limit::new(0), None);
    assert_eq!(Limit::new(1 << 53), None);
}

#[test]
fn read_events_responses_are_typed() {
    let resp = typed!(captured("from_widget.read_events.response.room_events_room_ids"), FromWidgetResponse::ReadEvents);
    let events = &resp.result().as_ref().expect("success").events;
    assert_eq!(events.len(), 1);
    let event = &events[0];
    assert_eq!((event.event_type.as_str(), event.sender.as_str(), event.event_id.as_str()), ("m.room.message", "@a:b", "$msg_1"));
    assert_eq!(event.origin_server_ts, Timestamp::from_millis(1_700_000_000_000).unwrap());
    assert_eq!(event.unsigned.as_ref().map(RawObject::get), Some(r#"{"age":1234}"#));
    assert_eq!(event.msgtype().as_deref(), Some("m.text"));
    // The request it answers stays readable.
    assert_eq!(resp.request_data().expect("typed").limit, Limit::new(25));
    // The reference's error reply to `limit: 0`.
    let error = typed!(captured("from_widget.read_events.response.error_limit_zero"), FromWidgetResponse::ReadEvents);
    assert_eq!(error.result().as_ref().expect_err("an error").error.message, "Invalid request - limit out of range");
}

#[test]
fn read_events_validation() {
    // The reference host refuses `limit: 0` too ("Invalid request - limit out of range").
    rejected(
        captured("from_widget.read_events.request.limit_zero"),
        "`limit` is out of range: 0 is not an integer from 1 to 9007199254740991",
    );
    let base = |extra: Value| {
        let mut data = json!({"type": "m.room.message"});
        data.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        from_widget("org.matrix.msc2876.read_events", data)
    };
    rejected(&base(json!({"limit": -1})), "`limit` is out of range: -1");
    rejected(&base(json!({"limit": 2.5})), "`limit` is out of range: 2.5");
    rejected(&base(json!({"limit": "5"})), "`limit`");
    rejected(&base(json!({"limit": 9_007_199_254_740_992_u64})), "`limit`");
    rejected(&base(json!({"state_key": false})), "`state_key`: expected a state key or `true` (any state key), found false");
    rejected(&base(json!({"state_key": 5})), "`state_key`");
    rejected(&base(json!({"room_ids": "!r:b"})), "`room_ids`: expected \"*\" (any room) or a list of room IDs, found \"!r:b\"");
    rejected(&base(json!({"room_ids": [5]})), "`room_ids`");
    rejected(&base(json!({"room_ids": {"!r:b": true}})), "`room_ids`");
    rejected(&base(json!({"msgtype": 5})), "`msgtype`");
    rejected(&base(json!({"since": 5})), "`since`");
    rejected(&from_widget("read_events", json!({"limit": 5})), "`type` is missing");
    rejected(&from_widget("read_events", json!({"type": ""})), "`type` must not be empty");
    rejected(&from_widget("read_events", json!({"type": ["m.room.message"]})), "`type`");
    // What stays accepted: integral floats, `null` for absent, an empty room list.
    typed(&base(json!({"limit": 1, "room_ids": [], "state_key": null, "msgtype": null})));
    let text = base(json!({"limit": null, "room_ids": null, "since": null}));
    typed(&text);
    let req = typed!(&text, FromWidgetRequest::ReadEvents);
    assert_eq!(serde_json::to_value(req.data()).unwrap(), json!({"type": "m.room.message"}));
    let float = from_widget("read_events", json!({"type": "t"})).replace("\"t\"", "\"t\",\"limit\":10.0");
    typed(&float);
    assert_eq!(typed!(&float, FromWidgetRequest::ReadEvents).data().limit, Limit::new(10));
    // A bad event in the response is refused by the widget.
    let bad = reply("fromWidget", "org.matrix.msc2876.read_events", json!({"type": "t"}), json!({"events": [{"type": "t"}]}));
    rejected(&bad, "`events.sender` is missing");
    rejected(&reply("fromWidget", "read_events", json!({"type": "t"}), json!({})), "`events` is missing");
}

// ---- read_relations ----

#[test]
fn read_relations_requests_and_responses_are_typed() {
    let req = typed!(captured("from_widget.read_relations.request.relations"), FromWidgetRequest::ReadRelations);
    let data = req.data();
    assert_eq!(data.event_id, "$msg_1");
    assert_eq!(data.rel_type.as_deref(), Some("m.annotation"));
    assert_eq!(data.event_type.as_deref(), Some("m.reaction"));
    assert_eq!(data.room_id.as_deref(), Some("!r:b"));
    assert_eq!(data.limit, ResultLimit::new(10));
    assert_eq!(data.direction, Some(PaginationDirection::Backward));
    assert_eq!((data.from.as_deref(), data.to.as_deref()), (None, None));

    let built = ReadRelationsRequestData::new("$msg_1")
        .with_rel_type("m.annotation")
        .with_event_type("m.reaction")
        .with_room_id("!r:b")
        .with_limit(ResultLimit::new(10).unwrap())
        .with_direction(PaginationDirection::Backward);
    assert_eq!(&built, data);
    let paged = ReadRelationsRequestData::new("$e").with_from("t1").with_to("t2").with_direction(PaginationDirection::Forward);
    let request = Request::<ReadRelations>::new("w1", "r1", paged.clone()).unwrap();
    assert_eq!(serde_json::to_value(&request).unwrap()["data"], json!({"event_id": "$e", "from": "t1", "to": "t2", "direction": "f"}));
    assert_eq!(typed!(&serde_json::to_string(&request).unwrap(), FromWidgetRequest::ReadRelations).data(), &paged);

    let resp = typed!(captured("from_widget.read_relations.response.relations"), FromWidgetResponse::ReadRelations);
    let ok = resp.result().as_ref().expect("success");
    assert_eq!(ok.next_batch.as_deref(), Some("next_1"));
    assert_eq!(ok.prev_batch, None);
    assert_eq!(ok.chunk[0].content.get(), r#"{"m.relates_to":{"rel_type":"m.annotation","event_id":"$msg_1","key":"👍"}}"#);
    // A host builds the same reply.
    let reaction = RoomEvent::new(
        "m.reaction",
        "@b:b",
        "$rel_1",
        "!r:b",
        Timestamp::from_millis(1_700_000_000_002).unwrap(),
        ok.chunk[0].content.clone(),
    );
    let ours = typed!(captured("from_widget.read_relations.request.relations_minimal"), FromWidgetRequest::ReadRelations)
        .reply(&ReadRelationsResponseData::new(vec![reaction]).with_next_batch("next_1"));
    assert_eq!(ours, captured("from_widget.read_relations.response.relations_minimal"));
    let with_prev = ReadRelationsResponseData::new(Vec::new()).with_prev_batch("p");
    assert_eq!(serde_json::to_value(&with_prev).unwrap(), json!({"chunk": [], "prev_batch": "p"}));
}

#[test]
fn read_relations_validation() {
    let base = |data: Value| from_widget("org.matrix.msc3869.read_relations", data);
    // The reference accepts `limit: 0` (it only refuses negatives).
    typed(&base(json!({"event_id": "$e", "limit": 0})));
    rejected(&base(json!({"limit": 5})), "`event_id` is missing");
    rejected(&base(json!({"event_id": ""})), "`event_id` must not be empty");
    rejected(&base(json!({"event_id": 5})), "`event_id`");
    rejected(&base(json!({"event_id": "$e", "limit": -1})), "`limit` is out of range: -1 is not an integer from 0 to 9007199254740991");
    rejected(&base(json!({"event_id": "$e", "limit": 0.5})), "`limit` is out of range: 0.5");
    rejected(&base(json!({"event_id": "$e", "direction": "x"})), "`direction`: unknown pagination direction \"x\"");
    rejected(&base(json!({"event_id": "$e", "direction": "F"})), "`direction`");
    rejected(&base(json!({"event_id": "$e", "rel_type": 5})), "`rel_type`");
    rejected(&base(json!({"event_id": "$e", "room_id": true})), "`room_id`");
    rejected(&base(json!({"event_id": "$e", "from": 1})), "`from`");
    rejected(&base(json!({"event_id": "$e", "to": []})), "`to`");
    rejected(&base(json!({"event_id": "$e", "event_type": {}})), "`event_type`");
    let data = json!({"event_id": "$e"});
    let action = "org.matrix.msc3869.read_relations";
    rejected(&reply("fromWidget", action, data.clone(), json!({"next_batch": "n"})), "`chunk` is missing");
    rejected(&reply("fromWidget", action, data.clone(), json!({"chunk": [], "next_batch": 5})), "`next_batch`");
    rejected(&reply("fromWidget", action, data, json!({"chunk": [event_json(), 5]})), "`chunk`");
}

// ---- user_directory_search ----

#[test]
fn user_directory_search_is_typed() {
    let req = typed!(captured("from_widget.user_directory_search.request.search"), FromWidgetRequest::UserDirectorySearch);
    assert_eq!(req.data().search_term, "al");
    assert_eq!(req.data().limit.map(ResultLimit::get), Some(10));
    assert_eq!(req.data(), &UserDirectorySearchRequestData::new("al").with_limit(ResultLimit::new(10).unwrap()));

    let resp = typed!(captured("from_widget.user_directory_search.response.search"), FromWidgetResponse::UserDirectorySearch);
    let ok = resp.result().as_ref().expect("success");
    assert!(ok.limited);
    assert_eq!(ok.results[0].display_name.as_deref(), Some("Alice"));
    assert_eq!(ok.results[0].avatar_url.as_deref(), Some("mxc://b/alice"));
    assert_eq!((ok.results[1].user_id.as_str(), ok.results[1].display_name.as_deref()), ("@bob:b", None));
    let ours = req.reply(&UserDirectorySearchResponseData::new(
        true,
        vec![
            UserDirectoryUser::new("@alice:b").with_display_name("Alice").with_avatar_url("mxc://b/alice"),
            UserDirectoryUser::new("@bob:b"),
        ],
    ));
    assert_eq!(ours, captured("from_widget.user_directory_search.response.search"));
}

#[test]
fn user_directory_search_validation() {
    let base = |data: Value| from_widget("org.matrix.msc3973.user_directory_search", data);
    typed(&base(json!({"search_term": ""})));
    typed(&base(json!({"search_term": "a", "limit": 0})));
    rejected(&base(json!({"limit": 5})), "`search_term` is missing");
    rejected(&base(json!({"search_term": 5})), "`search_term`");
    rejected(&base(json!({"search_term": null})), "`search_term`");
    rejected(&base(json!({"search_term": "a", "limit": -3})), "`limit` is out of range: -3");
    rejected(&base(json!({"search_term": "a", "limit": 1.5})), "`limit` is out of range: 1.5");
    let data = json!({"search_term": "a"});
    let action = "user_directory_search";
    rejected(&reply("fromWidget", action, data.clone(), json!({"results": []})), "`limited` is missing");
    rejected(&reply("fromWidget", action, data.clone(), json!({"limited": "no", "results": []})), "`limited`");
    rejected(
        &reply("fromWidget", action, data.clone(), json!({"limited": false, "results": [{"display_name": "A"}]})),
        "`user_id` is missing",
    );
    rejected(
        &reply("fromWidget", action, data, json!({"limited": false, "results": [{"user_id": "@a:b", "avatar_url": 5}]})),
        "`avatar_url`",
    );
}

// ---- com.beeper.read_room_account_data ----

#[test]
fn read_room_account_data_is_typed() {
    let req = typed!(captured("from_widget.read_room_account_data.request.account_data_room_ids"), FromWidgetRequest::ReadRoomAccountData);
    assert_eq!(req.data().event_type, "org.example.tags");
    assert_eq!(req.data().room_ids, Some(RoomIds::Rooms(vec!["!r:b".into()])));
    assert_eq!(req.data(), &ReadRoomAccountDataRequestData::new("org.example.tags").with_room_ids(["!r:b"].into_iter().collect()));
    let plain = typed!(captured("from_widget.read_room_account_data.request.account_data"), FromWidgetRequest::ReadRoomAccountData);
    assert_eq!(plain.data().room_ids, None);

    let resp = typed!(captured("from_widget.read_room_account_data.response.account_data"), FromWidgetResponse::ReadRoomAccountData);
    let ok = resp.result().as_ref().expect("success");
    assert_eq!((ok.events[0].event_type.as_str(), ok.events[0].room_id.as_str()), ("org.example.tags", "!r:b"));
    assert_eq!(ok.events[0].content.get(), r#"{"tags":["a"]}"#);
    let ours = plain.reply(&ReadRoomAccountDataResponseData::new(vec![RoomAccountData::new(
        "org.example.tags",
        "!r:b",
        RawObject::from_json(r#"{"tags":["a"]}"#).unwrap(),
    )]));
    assert_eq!(ours, captured("from_widget.read_room_account_data.response.account_data"));

    // `["*"]` in the widget helper becomes `"*"`; the builder writes the same.
    let any =
        Request::<ReadRoomAccountData>::new("w1", "r1", ReadRoomAccountDataRequestData::new("t").with_room_ids(RoomIds::Any)).unwrap();
    assert_eq!(serde_json::to_value(&any).unwrap()["data"], json!({"type": "t", "room_ids": "*"}));
}

#[test]
fn read_room_account_data_validation() {
    let base = |data: Value| from_widget("com.beeper.read_room_account_data", data);
    rejected(&base(json!({"room_ids": "*"})), "`type` is missing");
    rejected(&base(json!({"type": 7})), "`type`");
    rejected(&base(json!({"type": "t", "room_ids": "!r:b"})), "`room_ids`");
    rejected(&base(json!({"type": "t", "room_ids": [null]})), "`room_ids`");
    rejected(&base(json!({"type": "t", "room_ids": true})), "`room_ids`");
    let data = json!({"type": "t"});
    let action = "com.beeper.read_room_account_data";
    let entry = |e: Value| reply("fromWidget", action, data.clone(), json!({"events": [e]}));
    rejected(&entry(json!({"type": "t", "content": {}})), "`room_id` is missing");
    rejected(&entry(json!({"type": "t", "room_id": "!r:b", "content": "x"})), "`content`");
    rejected(&reply("fromWidget", action, data.clone(), json!({"events": {}})), "`events`");
}

// ---- RoomEvent and toWidget send_event ----

#[test]
fn to_widget_send_event_is_a_typed_room_event() {
    let req = typed!(captured("to_widget.send_event.request.feed_event"), ToWidgetRequest::SendEvent);
    let event = req.data();
    assert_eq!(event.event_type, "m.room.message");
    assert_eq!(event.room_id, "!r:b");
    assert_eq!(event.state_key, None);
    assert_eq!(event.origin_server_ts.as_millis(), 1_700_000_000_000);
    assert_eq!(event.content.get(), r#"{"msgtype":"m.text","body":"hello"}"#);
    assert_eq!(event.sticky_info(), None);
    let state = typed!(captured("to_widget.send_event.request.feed_state_event"), ToWidgetRequest::SendEvent);
    assert_eq!(state.data().state_key.as_deref(), Some(""));
    assert!(state.data().is_state());
    assert_eq!(state.data().msgtype(), None);
    // The sticky event pushed after the grant (matrix-widget-api ≥ 1.17) carries the unstable name.
    let sticky = typed!(captured("to_widget.send_event.request.handshake"), ToWidgetRequest::SendEvent);
    let info = sticky.data().msc4354_sticky.as_ref().expect("sticky");
    assert_eq!(info.duration_ms, Millis::from_millis(3_600_000).unwrap());
    assert_eq!(sticky.data().sticky_info(), Some(info));
    // The widget's acknowledgement.
    let ack = typed!(captured("to_widget.send_event.response.feed_event"), ToWidgetResponse::SendEvent);
    assert_eq!(ack.result(), &Ok(Empty::new()));
}

#[test]
fn room_event_builders() {
    let built = RoomEvent::new(
        "org.matrix.msc4143.rtc.member",
        "@a:b",
        "$sticky_1",
        "!r:b",
        Timestamp::from_millis(1_700_000_000_003).unwrap(),
        RawObject::from_json(r#"{"slot_id":"m.call#ROOM"}"#).unwrap(),
    )
    .with_msc4354_sticky(StickyInfo::new(Millis::from_millis(3_600_000).unwrap()));
    let request = Request::<to_send_event::ToWidgetSendEvent>::new("w4", "widgetapi-1700000001003", built.clone()).unwrap();
    assert_eq!(serde_json::to_value(&request).unwrap(), value(captured("to_widget.send_event.request.handshake")));
    assert_eq!(typed!(&serde_json::to_string(&request).unwrap(), ToWidgetRequest::SendEvent).data(), &built);

    let stable = built
        .clone()
        .with_sticky(StickyInfo::new(Millis::from_millis(1000).unwrap()))
        .with_unsigned(RawObject::from_json(r#"{"age":5}"#).unwrap());
    let v = serde_json::to_value(&stable).unwrap();
    assert_eq!(v["sticky"], json!({"duration_ms": 1000}));
    assert_eq!(v["unsigned"], json!({"age": 5}));
    // The stable name wins when both are present.
    assert_eq!(stable.sticky_info().map(|s| s.duration_ms.as_millis()), Some(1000));
    // MSC4354 computes with at most one hour; the value is kept as sent.
    let long = StickyInfo::new(Millis::from_millis(7_200_000).unwrap());
    assert_eq!((long.duration_ms.as_millis(), long.effective_duration().as_millis()), (7_200_000, 3_600_000));
    let state =
        RoomEvent::new("m.room.topic", "@a:b", "$t", "!r:b", Timestamp::from_millis(0).unwrap(), RawObject::empty()).with_state_key("");
    assert_eq!(
        serde_json::to_value(&state).unwrap(),
        json!({"type": "m.room.topic", "sender": "@a:b", "event_id": "$t", "room_id": "!r:b", "state_key": "", "origin_server_ts": 0, "content": {}, "unsigned": {}})
    );
    assert!(Timestamp::from_millis(1 << 53).is_err());
    assert_eq!(Millis::from_millis(1 << 53).map_err(|e| e.max()), Err((1 << 53) - 1));
}

#[test]
fn room_events_keep_unknown_fields_and_raw_bytes() {
    let text = r#"{"api":"toWidget","widgetId":"w1","requestId":"r1","action":"send_event","data":{"type":"m.room.redaction","sender":"@a:b","event_id":"$r","room_id":"!r:b","origin_server_ts":5,"content":{ "reason" : "spam" },"redacts":"$x","unsigned":{"age" :1,"transaction_id":"t"},"sticky":{"duration_ms":60000,"org.example":true},"user_id":"@a:b"}}"#;
    typed(text);
    round_trips(text);
    let req = typed!(text, ToWidgetRequest::SendEvent);
    let event = req.data();
    assert_eq!(event.content.get(), r#"{ "reason" : "spam" }"#);
    assert_eq!(event.unsigned.as_ref().map(RawObject::get), Some(r#"{"age" :1,"transaction_id":"t"}"#));
    assert_eq!(event.extra.get("redacts").map(|v| v.get()), Some(r#""$x""#));
    assert_eq!(event.extra.get("user_id").map(|v| v.get()), Some(r#""@a:b""#));
    let sticky = event.sticky.as_ref().expect("sticky");
    assert_eq!(sticky.extra.get("org.example").map(|v| v.get()), Some("true"));
    // The reply is the request's bytes plus `{}`.
    assert_eq!(req.reply(&Empty::new()), format!("{},\"response\":{{}}}}", &text[..text.len() - 1]));
    // `unsigned` may be absent (Matrix events need not have it), and `null` means absent.
    let mut bare = event_json();
    typed(&to_widget("send_event", bare.clone()));
    round_trips(&to_widget("send_event", bare.clone()));
    bare["unsigned"] = Value::Null;
    bare["state_key"] = Value::Null;
    let nulls = to_widget("send_event", bare);
    typed(&nulls);
    let req = typed!(&nulls, ToWidgetRequest::SendEvent);
    assert_eq!((req.data().unsigned.as_ref(), req.data().state_key.as_ref()), (None, None));
    assert_eq!(serde_json::to_value(req.data()).unwrap(), event_json());
    // A state event with a msgtype-less content and an odd msgtype type.
    let odd = RoomEvent::new(
        "m.room.message",
        "@a:b",
        "$e",
        "!r:b",
        Timestamp::from_millis(1).unwrap(),
        RawObject::from_json(r#"{"msgtype":5}"#).unwrap(),
    );
    assert_eq!(odd.msgtype(), None);
}

#[test]
fn room_event_validation() {
    let with = |key: &str, v: Value| {
        let mut event = event_json();
        event[key] = v;
        to_widget("send_event", event)
    };
    let without = |key: &str| {
        let mut event = event_json();
        event.as_object_mut().unwrap().remove(key);
        to_widget("send_event", event)
    };
    for key in ["type", "sender", "event_id", "room_id", "origin_server_ts", "content"] {
        rejected(&without(key), &format!("`{key}` is missing"));
    }
    rejected(&with("type", json!(1)), "`type`");
    rejected(&with("sender", json!(null)), "`sender`");
    rejected(&with("event_id", json!(["$e"])), "`event_id`");
    rejected(&with("room_id", json!({})), "`room_id`");
    rejected(&with("state_key", json!(true)), "`state_key`");
    rejected(&with("origin_server_ts", json!(-1)), "`origin_server_ts` is out of range: -1");
    rejected(&with("origin_server_ts", json!(1.5)), "`origin_server_ts` is out of range: 1.5");
    rejected(&with("origin_server_ts", json!("1")), "`origin_server_ts`");
    rejected(&with("content", json!([])), "`content`: expected a JSON object, found `[]`");
    rejected(&with("content", json!(null)), "`content`");
    rejected(&with("unsigned", json!("age")), "`unsigned`");
    rejected(&with("sticky", json!({})), "`sticky.duration_ms` is missing");
    rejected(&with("sticky", json!({"duration_ms": -1})), "`sticky.duration_ms` is out of range: -1");
    rejected(&with("msc4354_sticky", json!({"duration_ms": "1h"})), "`msc4354_sticky.duration_ms`");
    rejected(&with("msc4354_sticky", json!(3_600_000)), "`msc4354_sticky`: expected an object");
    // The widget's acknowledgement is `{}` (anything it adds is kept) or an error.
    let ack = reply("toWidget", "send_event", event_json(), json!({"org.example": 1}));
    typed(&ack);
    round_trips(&ack);
    let ack = typed!(&ack, ToWidgetResponse::SendEvent);
    assert!(ack.result().as_ref().expect("success").extra.get("org.example").is_some());
    let refused =
        reply("toWidget", "send_event", event_json(), json!({"error": {"message": "Unknown or unsupported to-widget action: send_event"}}));
    typed(&refused);
    assert!(typed!(&refused, ToWidgetResponse::SendEvent).result().is_err());
}

// ---- toWidget send_to_device ----

#[test]
fn to_widget_send_to_device_is_typed() {
    let text = captured("to_widget.send_to_device.request.feed_to_device");
    let req = typed!(text, ToWidgetRequest::SendToDevice);
    let event = req.data();
    assert_eq!((event.event_type.as_str(), event.sender.as_str(), event.content.get()), ("org.example.ping", "@b:b", r#"{"n":3}"#));
    assert!(event.encrypted);
    let built = ToDeviceEvent::new("org.example.ping", "@b:b", RawObject::from_json(r#"{"n":3}"#).unwrap(), true);
    assert_eq!(event, &built);
    let request = Request::<to_send_to_device::ToWidgetSendToDevice>::new("w4", "widgetapi-1700000017000", built).unwrap();
    assert_eq!(serde_json::to_string(&request).unwrap(), text);
    assert_eq!(req.reply(&Empty::new()), captured("to_widget.send_to_device.response.feed_to_device"));
    let extra =
        to_widget("send_to_device", json!({"type": "t", "sender": "@b:b", "content": {}, "encrypted": false, "sender_device": "D"}));
    typed(&extra);
    round_trips(&extra);
    assert!(typed!(&extra, ToWidgetRequest::SendToDevice).data().extra.get("sender_device").is_some());
}

#[test]
fn to_widget_send_to_device_validation() {
    let base = |data: Value| to_widget("send_to_device", data);
    rejected(&base(json!({"sender": "@b:b", "content": {}, "encrypted": true})), "`type` is missing");
    rejected(&base(json!({"type": "t", "content": {}, "encrypted": true})), "`sender` is missing");
    rejected(&base(json!({"type": "t", "sender": "@b:b", "encrypted": true})), "`content` is missing");
    // Wire decision 36: matrix-sdk ≤ 0.18 sends no `encrypted`; it reads as `false`.
    assert!(!typed!(&base(json!({"type": "t", "sender": "@b:b", "content": {}})), ToWidgetRequest::SendToDevice).data().encrypted);
    rejected(&base(json!({"type": "t", "sender": "@b:b", "content": "x", "encrypted": true})), "`content`");
    rejected(&base(json!({"type": "t", "sender": "@b:b", "content": {}, "encrypted": 1})), "`encrypted`");
    rejected(&base(json!({"type": "t", "sender": 1, "content": {}, "encrypted": true})), "`sender`");
}

// ---- update_state ----

#[test]
fn update_state_is_typed() {
    let req = typed!(captured("to_widget.update_state.request.handshake"), ToWidgetRequest::UpdateState);
    assert_eq!(req.data().state.len(), 1);
    assert_eq!(req.data().state[0].state_key.as_deref(), Some(""));
    assert!(!req.data().is_initial_state_loaded());
    assert_eq!(req.reply(&Empty::new()), captured("to_widget.update_state.response.handshake"));
    let rebuilt = UpdateStateRequestData::new(req.data().state.clone());
    let request = Request::<update_state::UpdateState>::new("w4", "widgetapi-1700000016000", rebuilt).unwrap();
    assert_eq!(serde_json::to_string(&request).unwrap(), captured("to_widget.update_state.request.feed_state_update"));

    // An empty list marks "initial state loaded".
    let loaded = Request::<update_state::UpdateState>::new("w1", "r1", UpdateStateRequestData::initial_state_loaded()).unwrap();
    let text = serde_json::to_string(&loaded).unwrap();
    assert_eq!(value(&text)["data"], json!({"state": []}));
    typed(&text);
    assert!(typed!(&text, ToWidgetRequest::UpdateState).data().is_initial_state_loaded());
}

#[test]
fn update_state_validation() {
    rejected(&to_widget("update_state", json!({})), "`state` is missing");
    rejected(&to_widget("update_state", json!({"state": {}})), "`state`");
    rejected(&to_widget("update_state", json!({"state": null})), "`state`");
    let mut event = event_json();
    event.as_object_mut().unwrap().remove("room_id");
    rejected(&to_widget("update_state", json!({"state": [event]})), "`state.room_id` is missing");
    let extra = to_widget("update_state", json!({"state": [], "org.example": 1}));
    typed(&extra);
    round_trips(&extra);
}
