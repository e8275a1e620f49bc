//! Invariants the decoder's fast paths rely on. Every order of an envelope's keys, and of
//! its `data`'s keys, decodes to the same value: the one-pass path (keys in the usual
//! order) and the fallback path (`data` before `action`, `response` before `data`, …) must
//! agree, with a role and without. And no known action name is as long as the ID-length
//! check's shortcut assumes.

use crate::{Message, Role, decode, decode_as};
use serde_json::value::RawValue;
use std::collections::BTreeMap;

/// Real messages (captured from matrix-widget-api 1.19, `tests/fixtures`), each with the role
/// that receives it.
const MESSAGES: &[(Role, &str)] = &[
    // A MatrixRTC member state event sent with a delay.
    (
        Role::Host,
        r#"{"api":"fromWidget","widgetId":"w1","requestId":"widgetapi-1700000002000","action":"send_event","data":{"type":"org.matrix.msc3401.call.member","content":{},"state_key":"_@a:b_DEV","delay":8000}}"#,
    ),
    // Its delayed-event restart, and the reply to it.
    (
        Role::Host,
        r#"{"api":"fromWidget","widgetId":"w1","requestId":"widgetapi-1700000003000","action":"org.matrix.msc4157.update_delayed_event","data":{"delay_id":"syd_abc","action":"restart"}}"#,
    ),
    (
        Role::Widget,
        r#"{"api":"fromWidget","widgetId":"w1","requestId":"widgetapi-1700000003000","action":"org.matrix.msc4157.update_delayed_event","data":{"delay_id":"syd_abc","action":"restart"},"response":{}}"#,
    ),
    // A room event pushed to the widget.
    (
        Role::Widget,
        r#"{"api":"toWidget","widgetId":"w10","requestId":"widgetapi-1710000094000","action":"send_event","data":{"type":"m.room.message","event_id":"$message_1","sender":"@b:b","room_id":"!r:b","origin_server_ts":1700000000000,"content":{"msgtype":"m.text","body":"hi"},"unsigned":{"age":1000}}}"#,
    ),
    // A read_events result.
    (
        Role::Widget,
        r#"{"api":"fromWidget","widgetId":"w10","requestId":"widgetapi-1710000002000","action":"org.matrix.msc2876.read_events","data":{"type":"m.room.message"},"response":{"events":[{"type":"m.room.message","event_id":"$message_1","sender":"@b:b","room_id":"!r:b","origin_server_ts":1700000000000,"content":{"msgtype":"m.text","body":"hi"},"unsigned":{"age":1000}}]}}"#,
    ),
    // To-device, and an error reply.
    (
        Role::Host,
        r#"{"api":"fromWidget","widgetId":"w10","requestId":"widgetapi-1710000029000","action":"send_to_device","data":{"type":"org.example.ping","encrypted":true,"messages":{"@b:b":{"*":{"ping":2}},"@c:b":{"DEVICE2":{"ping":2}}}}}"#,
    ),
    (
        Role::Widget,
        r#"{"api":"fromWidget","widgetId":"w1","requestId":"r9","action":"send_event","data":{"type":"m.room.message","content":{"body":"x"},"delay":-1},"response":{"error":{"message":"Invalid delay"}}}"#,
    ),
    // The capability exchange's reply, and an unknown top-level key kept in `extra`.
    (
        Role::Host,
        r#"{"api":"toWidget","widgetId":"w10","requestId":"widgetapi-1710000001001","action":"capabilities","data":{},"response":{"capabilities":["m.sticker","org.matrix.msc4157.send.delayed_event","org.matrix.msc2762.timeline:!r:b"]}}"#,
    ),
    (
        Role::Widget,
        r#"{"api":"toWidget","widgetId":"w10","requestId":"r2","action":"notify_capabilities","data":{"requested":["m.sticker"],"approved":[]},"x.custom":1}"#,
    ),
];

/// The members of a JSON object, in some order.
fn members(object: &str) -> Vec<(String, Box<RawValue>)> {
    serde_json::from_str::<BTreeMap<String, Box<RawValue>>>(object).expect("an object").into_iter().collect()
}

fn object(members: &[&(String, Box<RawValue>)]) -> String {
    let parts: Vec<String> = members.iter().map(|(k, v)| format!("{}:{}", serde_json::to_string(k).expect("a key"), v.get())).collect();
    format!("{{{}}}", parts.join(","))
}

/// Every permutation of `items` (Heap's algorithm), as lists of references.
fn permutations<T>(items: &[T]) -> Vec<Vec<&T>> {
    fn go<'a, T>(k: usize, current: &mut Vec<&'a T>, out: &mut Vec<Vec<&'a T>>) {
        if k <= 1 {
            out.push(current.clone());
            return;
        }
        for i in 0..k {
            go(k - 1, current, out);
            if k.is_multiple_of(2) { current.swap(i, k - 1) } else { current.swap(0, k - 1) }
        }
    }
    let mut current: Vec<&T> = items.iter().collect();
    let mut out = Vec::new();
    go(current.len(), &mut current, &mut out);
    out
}

/// What must not depend on key order: the value as serialised (objects compared as maps),
/// the kind, and whether the payload is typed.
fn summary(message: &Message) -> (serde_json::Value, &'static str, bool) {
    (serde_json::to_value(message).expect("serialises"), message.kind().as_str(), message.is_typed())
}

fn check_all_orders(role: Role, text: &str, reordered: &[String]) {
    let with_role = summary(&decode_as(role, text).expect("decodes"));
    let without_role = summary(&decode(text).expect("decodes"));
    assert_eq!(with_role, without_role, "{text}");
    assert!(with_role.2, "every message here is typed: {text}");
    for other in reordered {
        assert_eq!(summary(&decode_as(role, other).unwrap_or_else(|e| panic!("{other}: {e}"))), with_role, "{other}");
        assert_eq!(summary(&decode(other).unwrap_or_else(|e| panic!("{other}: {e}"))), with_role, "{other}");
    }
}

#[test]
fn every_order_of_the_envelope_keys_decodes_the_same() {
    for (role, text) in MESSAGES {
        let top = members(text);
        let reordered: Vec<String> = permutations(&top).iter().map(|order| object(order)).collect();
        assert!(reordered.len() >= 120, "{text}");
        check_all_orders(*role, text, &reordered);
    }
}

#[test]
fn every_order_of_the_data_keys_decodes_the_same() {
    for (role, text) in MESSAGES {
        let top = members(text);
        let Some(position) = top.iter().position(|(k, _)| k == "data") else { panic!("{text}") };
        let data = members(top[position].1.get());
        // Seven keys are 5,040 orders, each decoded four ways: enough.
        let reordered: Vec<String> = permutations(&data)
            .iter()
            .map(|order| {
                let data = RawValue::from_string(object(order)).expect("JSON");
                let with: Vec<(String, Box<RawValue>)> =
                    top.iter().map(|(k, v)| (k.clone(), if k == "data" { data.clone() } else { v.clone() })).collect();
                object(&with.iter().collect::<Vec<_>>())
            })
            .collect();
        check_all_orders(*role, text, &reordered);
    }
}

#[test]
fn permutations_are_all_distinct_orders() {
    let orders = permutations(&[1, 2, 3, 4]);
    assert_eq!(orders.len(), 24);
    let distinct: std::collections::BTreeSet<Vec<i32>> = orders.iter().map(|o| o.iter().map(|x| **x).collect()).collect();
    assert_eq!(distinct.len(), 24);
}

#[test]
fn known_action_names_are_short() {
    use crate::action::ActionName;
    use crate::naming::WireName;
    let spellings: Vec<&str> = ActionName::NAMES.iter().flat_map(crate::naming::NameSpec::spellings).collect();
    assert!(spellings.len() > 40, "{spellings:?}");
    for spelling in spellings {
        assert!(spelling.len() < super::LONGEST_KNOWN_ACTION, "{spelling}");
    }
}
