//! Staged decoding: malformed input has no request to answer; a valid envelope with bad data
//! is a typed error that can answer; the one-pass and fallback paths agree.

use matrix_widget_api::{ActionName, Message, decode, decode_as, decode_slice};
use matrix_widget_api::{DecodeError, FromWidgetRequest, Role, ToWidgetRequest};
use serde_json::{Value, json};

fn malformed(text: &str, expected: &str) {
    match decode(text) {
        Err(error @ DecodeError::Malformed(_)) => {
            let message = error.to_string();
            assert!(message.contains(expected), "{text}: {message}");
            // Positions only where the JSON itself breaks.
            assert_eq!(
                message.contains(" at line "),
                message.contains("while parsing") || message.contains("EOF") || message.contains("trailing characters"),
                "{message}"
            );
        }
        other => panic!("{text}: expected Malformed, got {other:?}"),
    }
}

#[test]
fn malformed_input_has_nothing_to_answer() {
    malformed("", "EOF while parsing");
    malformed("{", "EOF while parsing");
    malformed("[]", "expected a widget API message (a JSON object with api, widgetId, requestId, action and data), found an array");
    malformed(r#"{"api":"fromWidget"}"#, "`widgetId` is missing");
    malformed(r#"{"api":"fromWidget","widgetId":"w","requestid":"r","action":"send_event","data":{}}"#, "`requestId` is missing");
    malformed(r#"{"api":"fromWidget","widgetId":"","requestId":"r","action":"x","data":{}}"#, "`widgetId` must not be empty");
    malformed(r#"{"api":"fromWidget","widgetId":"w","requestId":"","action":"x","data":{}}"#, "`requestId` must not be empty");
    malformed(r#"{"api":"fromWidget","widgetId":"w","requestId":"r","action":"","data":{}}"#, "`action` must not be empty");
    malformed(r#"{"api":"sideways","widgetId":"w","requestId":"r","action":"x","data":{}}"#, "`api`: unknown api direction \"sideways\"");
    malformed(r#"{"api":"fromWidget","widgetId":"w","requestId":"r","action":"x","data":{},"response":5}"#, "`response` must be an object");
    malformed(r#"{"api":"fromWidget","widgetId":"w","requestId":"r","action":"x","data":{}} trailing"#, "trailing characters");
    assert!(matches!(decode_slice(b"\xff\xfe"), Err(DecodeError::Malformed(_))));
    assert!(decode("{}").expect_err("empty").error_reply().is_none());
}

#[test]
fn bad_data_keeps_the_envelope_for_the_error_reply() {
    let text = r#"{"api":"fromWidget","widgetId":"w9","requestId":"r9","action":"send_event","data":{"type":"t","content":{},"delay":0}}"#;
    let err = decode(text).expect_err("delay 0");
    let envelope = err.envelope().expect("valid envelope");
    assert_eq!((envelope.widget_id(), envelope.request_id()), ("w9", "r9"));
    assert_eq!(*envelope.action(), ActionName::SendEvent);
    let reply = err.error_reply().expect("answerable");
    assert!(reply.starts_with(&text[..text.len() - 1]));
    // Data that is not an object, for a typed action and for an untyped one.
    for action in ["send_event", "io.element.join"] {
        let text = json!({"api": "fromWidget", "widgetId": "w", "requestId": "r", "action": action, "data": [1]}).to_string();
        let err = decode(&text).expect_err("array data");
        assert!(err.error_reply().is_some(), "{action}: {err}");
    }
}

#[test]
fn one_pass_and_fallback_paths_agree() {
    let in_order = r#"{"api":"fromWidget","widgetId":"w","requestId":"r","action":"send_event","data":{"type":"t","content":{"a":1},"delay":5,"x":[]},"visible":false}"#;
    let reordered = r#"{"data":{"type":"t","content":{"a":1},"delay":5,"x":[]},"visible":false,"action":"send_event","requestId":"r","widgetId":"w","api":"fromWidget"}"#;
    let a = decode(in_order).expect("decodes");
    let b = decode(reordered).expect("decodes");
    assert_eq!(a, b);
    let Message::FromWidgetRequest(FromWidgetRequest::SendEvent(req)) = &b else { panic!("{b:?}") };
    assert_eq!(req.data().extra.get("x").map(|v| v.get()), Some("[]"));
    assert_eq!(req.envelope().extra().get("visible").map(|v| v.get()), Some("false"));
    // The error path gives the same error either way.
    let bad_in_order = in_order.replace("\"delay\":5", "\"delay\":-5");
    let bad_reordered = reordered.replace("\"delay\":5", "\"delay\":-5");
    assert_eq!(decode(&bad_in_order).expect_err("bad").to_string(), decode(&bad_reordered).expect_err("bad").to_string());
}

#[test]
fn unknown_actions_and_fields_round_trip() {
    let text = r#"{"api":"toWidget","widgetId":"w","requestId":"r","action":"io.element.device_mute","data":{"audio_enabled":false,"nested":{"k":[1,2,{"z":null}]}},"org.example":"top"}"#;
    let message = decode(text).expect("decodes");
    let Message::ToWidgetRequest(ToWidgetRequest::Other(req)) = &message else { panic!("{message:?}") };
    assert_eq!(*req.envelope().action(), "io.element.device_mute".parse::<ActionName>().unwrap());
    assert_eq!(serde_json::to_value(&message).expect("ok"), serde_json::from_str::<Value>(text).expect("JSON"));
    let reply: Value =
        serde_json::from_str(&req.reply(&matrix_widget_api::payload::RawObject::from_json(r#"{"ok":true}"#).expect("object")))
            .expect("JSON");
    assert_eq!(reply["response"], json!({"ok": true}));
    assert_eq!(reply["org.example"], "top");
}

#[test]
fn roles_only_accept_what_can_reach_them() {
    let request = r#"{"api":"fromWidget","widgetId":"w","requestId":"r","action":"send_event","data":{"type":"t","content":{}}}"#;
    let reply = r#"{"api":"fromWidget","widgetId":"w","requestId":"r","action":"send_event","data":{"type":"t","content":{}},"response":{"room_id":"!r","event_id":"$e"}}"#;
    assert!(matches!(decode_as(Role::Host, request), Ok(Message::FromWidgetRequest(_))));
    assert!(matches!(decode_as(Role::Widget, reply), Ok(Message::FromWidgetResponse(_))));
    let err = decode_as(Role::Widget, request).expect_err("a widget never receives fromWidget requests");
    assert!(err.to_string().contains("a widget receives toWidget requests and fromWidget responses, not a fromWidget request"), "{err}");
    let err = decode_as(Role::Host, reply).expect_err("a host never receives fromWidget responses");
    assert!(err.to_string().contains("a host receives"), "{err}");
    // A reply whose echoed data this crate would reject as a request is still readable.
    let echo = reply.replace("\"content\":{}}", "\"content\":{},\"delay\":0}");
    assert!(matches!(decode_as(Role::Widget, &echo), Ok(Message::FromWidgetResponse(_))));
    assert!(matches!(decode(&echo), Ok(Message::FromWidgetResponse(_))));
}

#[test]
fn null_response_is_a_request() {
    let text =
        r#"{"api":"fromWidget","widgetId":"w","requestId":"r","action":"send_event","data":{"type":"t","content":{}},"response":null}"#;
    assert!(matches!(decode(text), Ok(Message::FromWidgetRequest(_))));
}

#[test]
fn replies_are_classified_like_widget_api_is_error_response_on_every_path() {
    use matrix_widget_api::FromWidgetResponse;
    let envelope = |action: &str, response: &str| {
        format!(
            r#"{{"api":"fromWidget","widgetId":"w","requestId":"r","action":"{action}","data":{{"delay_id":"d","action":"send","type":"t","content":{{}}}},"response":{response}}}"#
        )
    };
    // (action, response, is an error response?)
    let cases = [
        ("send_event", r#"{"error":{"message":"m"}}"#, true),
        ("send_event", r#"{"room_id":"!r","event_id":"$e","error":{"message":"m"}}"#, true),
        ("send_event", r#"{"room_id":"!r","delay_id":"d","error":"not an object"}"#, false),
        ("send_event", r#"{"error":{"message":5},"room_id":"!r","delay_id":"d"}"#, false),
        ("send_event", r#"{"\u0065rror":{"message":"escaped key"}}"#, true),
        ("org.matrix.msc4157.update_delayed_event", r#"{"x":1,"error":{"message":"late"}}"#, true),
        (
            "org.matrix.msc4157.update_delayed_event",
            r#"{"error":{"message":"m","matrix_api_error":{"http_status":404,"response":{"errcode":"M_NOT_FOUND"}}},"x":1}"#,
            true,
        ),
        ("org.matrix.msc4157.update_delayed_event", r#"{"error":null}"#, false),
        ("io.element.join", r#"{"error":{"message":"vendor"}}"#, true),
        ("io.element.join", r#"{"ok":true}"#, false),
    ];
    for (action, response, is_error) in cases {
        let text = envelope(action, response);
        let by_role = decode_as(Role::Widget, &text).unwrap_or_else(|e| panic!("{text}: {e}"));
        let any = decode(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(by_role, any, "{text}");
        let Message::FromWidgetResponse(reply) = &by_role else { panic!("{by_role:?}") };
        assert_eq!(reply.is_error(), is_error, "{text}");
        // Nothing is lost either way.
        let reencoded: Value = serde_json::to_value(&by_role).expect("ok");
        assert_eq!(reencoded, serde_json::from_str::<Value>(&text).expect("JSON"), "{text}");
        if let FromWidgetResponse::SendEvent(r) = reply
            && let Err(e) = &r.result()
        {
            assert!(!e.error.message.is_empty());
        }
    }
    // An error-shaped reply whose error is invalid is an invalid reply, not a success.
    let text = envelope("send_event", r#"{"error":{"message":"m","matrix_api_error":{"http_status":"x"}}}"#);
    let err = decode_as(Role::Widget, &text).expect_err("invalid matrix_api_error");
    assert!(err.to_string().contains("`response.error.matrix_api_error.http_status`: expected"), "{err}");
    assert!(err.error_reply().is_none());
}

/// A third-party response type whose serialisation fails.
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
struct Unserialisable;

impl serde::Serialize for Unserialisable {
    fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
        Err(serde::ser::Error::custom("deliberately unserialisable"))
    }
}

impl matrix_widget_api::payload::UnknownFields for Unserialisable {
    fn may_have_unknown_field(&self, _: &str) -> bool {
        false
    }
}

enum ThirdParty {}

impl matrix_widget_api::Action for ThirdParty {
    const API: matrix_widget_api::Api = matrix_widget_api::Api::FromWidget;
    const NAME: ActionName = ActionName::_Custom(matrix_widget_api::naming::CustomName::vendor::<ActionName>("org.example.x"));
    type RequestData = matrix_widget_api::payload::Empty;
    type ResponseData = Unserialisable;
}

#[test]
fn a_response_that_cannot_be_serialised_becomes_an_error_reply() {
    use matrix_widget_api::Request;
    let request: Request<ThirdParty> = Request::new("w", "r", matrix_widget_api::payload::Empty::new()).unwrap();
    let reply: Value = serde_json::from_str(&request.reply(&Unserialisable)).expect("still JSON");
    let message = reply["response"]["error"]["message"].as_str().expect("an error reply");
    assert!(message.contains("deliberately unserialisable"), "{message}");
}
