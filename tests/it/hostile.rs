//! Inputs a hostile or sloppy peer can send: many keys, duplicates, odd number forms,
//! `"response": null`. Every answer is an error value or a correct message, never a panic,
//! and both decoding paths agree.

use crate::schema::message_validator;
use matrix_widget_api::FromWidgetRequest;
use matrix_widget_api::payload::Empty;
use matrix_widget_api::{Message, Role, decode, decode_as};
use serde_json::Value;

#[test]
fn many_unknown_fields_decode_and_a_duplicate_among_them_is_found() {
    // Just under the default limit of 100 000 members per object.
    let keys: Vec<String> = (0..99_990).map(|i| format!("\"k{i}\":{i}")).collect();
    let text = format!(
        r#"{{"api":"fromWidget","widgetId":"w","requestId":"r","action":"send_event","data":{{"type":"t","content":{{}},{}}}}}"#,
        keys.join(",")
    );
    let Ok(Message::FromWidgetRequest(FromWidgetRequest::SendEvent(req))) = decode(&text) else { panic!("many keys") };
    assert_eq!(req.data().extra.len(), 99_990);
    assert_eq!(req.data().extra.get("k99989").map(|v| v.get()), Some("99989"));
    let duplicated = text.replacen("\"k5\":5", "\"k77777\":5", 1);
    let err = decode(&duplicated).expect_err("duplicate unknown key");
    assert!(err.to_string().contains("`k77777` appears twice"), "{err}");
    // Few keys take the other branch of the check.
    let few = r#"{"api":"fromWidget","widgetId":"w","requestId":"r","action":"x","data":{},"a":1,"a":2}"#;
    assert!(decode(few).expect_err("duplicate").to_string().contains("`a` appears twice"));
}

#[test]
fn a_request_with_response_null_is_answered_with_one_response() {
    let text = r#"{"api":"fromWidget","widgetId":"w","requestId":"r","action":"org.matrix.msc4157.update_delayed_event","response" : null,"data":{"delay_id":"d","action":"send"}}"#;
    let Ok(Message::FromWidgetRequest(FromWidgetRequest::UpdateDelayedEvent(req))) = decode_as(Role::Host, text) else { panic!("{text}") };
    let reply = req.reply(&Empty::new());
    assert_eq!(
        reply,
        r#"{"api":"fromWidget","widgetId":"w","requestId":"r","action":"org.matrix.msc4157.update_delayed_event","response" : {},"data":{"delay_id":"d","action":"send"}}"#
    );
    assert!(matches!(decode_as(Role::Widget, &reply), Ok(Message::FromWidgetResponse(_))), "the reply decodes");
    // The same for the error reply of an invalid request.
    let invalid = text.replace("\"send\"", "\"pause\"");
    let reply = decode_as(Role::Host, &invalid).expect_err("pause").error_reply().expect("answerable");
    let value: Value = serde_json::from_str(&reply).expect("JSON");
    assert!(value["response"]["error"]["message"].as_str().is_some_and(|m| m.contains("pause")), "{reply}");
    assert!(decode_as(Role::Widget, &reply).is_ok(), "{reply}");
}

#[test]
fn a_reply_with_two_error_keys_is_rejected_on_every_path() {
    let text = r#"{"api":"fromWidget","widgetId":"w","requestId":"r","action":"send_event","data":{},"response":{"error":{"message":"a"},"error":{"message":"b"}}}"#;
    assert!(decode_as(Role::Widget, text).is_err());
    assert!(decode(text).is_err());
}

#[test]
fn integer_fields_accept_exactly_the_number_forms_the_schema_accepts() {
    let validator = message_validator();
    let send = |delay: &str| {
        format!(
            r#"{{"api":"fromWidget","widgetId":"w","requestId":"r","action":"send_event","data":{{"type":"t","content":{{}},"delay":{delay}}}}}"#
        )
    };
    let status = |status: &str| {
        format!(
            r#"{{"api":"fromWidget","widgetId":"w","requestId":"r","action":"send_event","data":{{}},"response":{{"error":{{"message":"m","matrix_api_error":{{"http_status":{status},"response":{{"errcode":"M_X"}}}}}}}}}}"#
        )
    };
    for (text, ok) in [
        (send("1e3"), true),
        (send("8000.0"), true),
        (send("8.5e3"), true),
        (send("-0.0"), false),
        (send("0.5"), false),
        (send("1e400"), false),
        (status("404.0"), true),
        (status("4.04e2"), true),
        (status("404.5"), false),
        (status("65536"), false),
        (status("-1"), false),
    ] {
        let instance: Value = match serde_json::from_str(&text) {
            Ok(v) => v,
            // Numbers serde_json cannot hold (1e400) are malformed JSON to it.
            Err(_) => {
                assert!(!ok && decode(&text).is_err(), "{text}");
                continue;
            }
        };
        assert_eq!(decode(&text).is_ok(), ok, "{text}: {:?}", decode(&text).err().map(|e| e.to_string()));
        assert_eq!(validator.is_valid(&instance), ok, "schema disagrees on {text}");
    }
}

#[test]
fn decoding_with_and_without_a_role_agrees_on_every_fixture() {
    for fixture in crate::fixtures::fixture_files() {
        let (name, text) = (&fixture.name, &fixture.text);
        let to_host = name.starts_with("from_widget.") == name.contains(".request.");
        let role = if to_host { Role::Host } else { Role::Widget };
        match (decode(text), decode_as(role, text)) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{name}"),
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{name}"),
            (a, b) => panic!("{name}: {a:?} vs {b:?}"),
        }
    }
}

#[test]
fn matrix_error_bodies_and_headers_are_forwarded_verbatim() {
    let text = r#"{"api":"fromWidget","widgetId":"w","requestId":"r","action":"send_event","data":{},"response":{"error":{"message":"m","matrix_api_error":{"http_status":429,"http_headers":{"b":"1","a":"2","b":"3"},"url":"u","response":{"errcode":"M_LIMIT_EXCEEDED","error":null,"retry_after_ms":5000}}}}}"#;
    let message = decode_as(Role::Widget, text).expect("decodes");
    let reencoded = serde_json::to_string(&message).expect("ok");
    assert!(reencoded.contains(r#""http_headers":{"b":"1","a":"2","b":"3"}"#), "{reencoded}");
    assert!(reencoded.contains(r#""error":null"#), "{reencoded}");
    assert!(reencoded.contains(r#""retry_after_ms":5000"#), "{reencoded}");
}

#[test]
fn parsed_spellings_survive_a_stable_serialisation_of_the_whole_message() {
    use matrix_widget_api::naming::{Naming, to_string_with};
    for text in [
        r#"{"api":"fromWidget","widgetId":"w","requestId":"r","action":"org.matrix.msc4157.update.delayed_event","data":{"delay_id":"d","action":"refresh"}}"#,
        r#"{"api":"toWidget","widgetId":"w","requestId":"r","action":"notify_capabilities","data":{"requested":["m.send.delay_events","org.matrix.msc4157.update_delayed_event"],"approved":["m.send.delay_events"]}}"#,
    ] {
        let message = decode(text).expect("decodes");
        let stable: Value = serde_json::from_str(&to_string_with(&message, Naming::Stable).expect("ok")).expect("JSON");
        assert_eq!(stable, serde_json::from_str::<Value>(text).expect("JSON"));
    }
}
