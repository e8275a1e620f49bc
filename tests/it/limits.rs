//! Limits, lone surrogates, bounded error texts and duplicate `error` keys: what a hostile
//! peer can send, and the error values it gets instead of a crash, a huge reply or a wrong
//! classification.

use matrix_widget_api::limits::{Limits, Reason};
use matrix_widget_api::{DecodeError, Decoder, Message, MessageKind, Role, decode, decode_as};
use serde_json::Value;

fn send_event(data: &str) -> String {
    format!(r#"{{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"send_event","data":{data}}}"#)
}

fn refused(result: Result<Message, DecodeError>) -> Box<matrix_widget_api::limits::Refused> {
    match result {
        Err(DecodeError::Refused(refused)) => refused,
        other => panic!("expected Refused, got {other:?}"),
    }
}

/// The reply echoes the four envelope fields, not the data, and carries the reason.
fn assert_answerable(refused: &matrix_widget_api::limits::Refused, needle: &str) {
    let reply: Value = serde_json::from_str(&refused.error_reply().expect("answerable")).expect("JSON");
    assert_eq!(reply["requestId"], "r1");
    assert_eq!(reply["widgetId"], "w1");
    assert_eq!(reply["data"], serde_json::json!({}));
    let message = reply["response"]["error"]["message"].as_str().expect("message");
    assert!(message.starts_with("Invalid request: ") && message.contains(needle), "{message}");
    assert!(matches!(decode_as(Role::Widget, &reply.to_string()), Ok(Message::FromWidgetResponse(_))), "the reply decodes");
}

#[test]
fn each_limit_is_named_and_the_request_answered() {
    let decoder =
        Decoder::new(Limits::default().with_max_message_bytes(4096).with_max_depth(10).with_max_string_bytes(100).with_max_elements(50));
    let big = send_event(&format!(r#"{{"type":"t","content":{{"body":"{}"}}}}"#, "x".repeat(5000)));
    let r = refused(decoder.decode(&big));
    assert_eq!(r.reason(), Reason::TooLarge { max: 4096 });
    assert_answerable(&r, "larger than the limit of 4096 bytes");

    let deep = send_event(&format!(r#"{{"type":"t","content":{}1{}}}"#, r#"{"a":"#.repeat(12), "}".repeat(12)));
    let r = refused(decoder.decode(&deep));
    assert_eq!(r.reason(), Reason::TooDeep { max: 10 });
    assert_answerable(&r, "nested deeper than 10 levels");

    // Depth counts inside unknown fields and arrays too.
    let deep_extra = send_event(&format!(r#"{{"type":"t","content":{{}},"x":{}1{}}}"#, "[".repeat(12), "]".repeat(12)));
    assert_eq!(refused(decoder.decode(&deep_extra)).reason(), Reason::TooDeep { max: 10 });

    let long = send_event(&format!(r#"{{"type":"{}","content":{{}}}}"#, "t".repeat(101)));
    let r = refused(decoder.decode(&long));
    assert_eq!(r.reason(), Reason::StringTooLong { max: 100 });
    assert_answerable(&r, "longer than the limit of 100 bytes");

    let members: Vec<String> = (0..60).map(|i| format!(r#""k{i}":{i}"#)).collect();
    let many = send_event(&format!(r#"{{"type":"t","content":{{{}}}}}"#, members.join(",")));
    let r = refused(decoder.decode(&many));
    assert_eq!(r.reason(), Reason::TooManyElements { max: 50 });
    assert_answerable(&r, "more than 50 members");

    // Just under every limit: decodes.
    let fine = send_event(&format!(r#"{{"type":"t","content":{{{}}}}}"#, members[..50].join(",")));
    assert!(decoder.decode(&fine).is_ok());
}

#[test]
fn a_huge_deep_message_is_refused_quickly_with_its_request_id() {
    // A million levels: refused by the scan, never handed to the parser.
    let deep = send_event(&format!(r#"{{"type":"t","content":{}}}"#, "[".repeat(1_000_000)));
    let r = refused(decode(&deep));
    assert_eq!(r.reason(), Reason::TooDeep { max: Limits::DEFAULT.max_depth() });
    assert_eq!(r.request_id(), Some("r1"));
    // 70 MB: over the default message limit.
    let huge = send_event(&format!(r#"{{"type":"t","content":{{"a":"{}"}}}}"#, "x".repeat(70 << 20)));
    let r = refused(decode(&huge));
    assert_eq!(r.reason(), Reason::TooLarge { max: 16 << 20 });
    assert!(r.error_reply().expect("answerable").len() < 1000);
}

#[test]
fn ids_are_bounded() {
    let text = format!(r#"{{"api":"fromWidget","widgetId":"w1","requestId":"{}","action":"x","data":{{}}}}"#, "r".repeat(300));
    let r = refused(decode(&text));
    assert_eq!(r.reason(), Reason::IdTooLong { field: "requestId", max: 255 });
    let text = format!(r#"{{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"{}","data":{{}}}}"#, "a".repeat(300));
    assert_eq!(refused(decode(&text)).reason(), Reason::IdTooLong { field: "action", max: 255 });
}

#[test]
fn a_refused_reply_gets_no_answer() {
    let text = r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"x","data":{},"response":{"a":"\ud800"}}"#;
    let r = refused(decode(text));
    assert_eq!(r.reason(), Reason::LoneSurrogate);
    assert!(r.error_reply().is_none(), "replies are never answered");
    // `"response": null` is a request.
    let text = r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"x","response" : null,"data":{"a":"\ud800"}}"#;
    assert!(refused(decode(text)).error_reply().is_some());
}

/// One rule everywhere: a lone surrogate is refused, in typed and raw positions alike, and
/// the error says so. A well-formed pair is fine.
#[test]
fn lone_surrogates_are_refused_everywhere() {
    for data in [
        r#"{"type":"\ud800","content":{}}"#,                 // typed
        r#"{"type":"t","content":{"body":"\ud800"}}"#,       // raw content
        r#"{"type":"t","content":{},"unknown":"\udfff"}"#,   // unknown field
        r#"{"type":"t","content":{"\ud83d":1}}"#,            // a key
        r#"{"type":"t","content":{"body":"\ud83d\u0041"}}"#, // high half, then not a low one
    ] {
        let r = refused(decode(&send_event(data)));
        assert_eq!(r.reason(), Reason::LoneSurrogate, "{data}");
        assert_answerable(&r, "lone surrogate");
    }
    let Ok(Message::FromWidgetRequest(matrix_widget_api::FromWidgetRequest::SendEvent(req))) =
        decode(&send_event(r#"{"type":"t","content":{"body":"\ud83d\ude00"}}"#))
    else {
        panic!("a surrogate pair is a character")
    };
    assert_eq!(req.data().content.get(), r#"{"body":"\ud83d\ude00"}"#, "kept byte-exact");
}

#[test]
fn error_replies_quote_a_bounded_prefix_of_the_value() {
    let text = send_event(&format!(r#"{{"type":"t","content":{{}},"delay":"{}"}}"#, "9".repeat(1 << 20)));
    let err = decode(&text).expect_err("a string delay");
    let reply = err.error_reply().expect("answerable");
    assert!(reply.len() < text.len() + 600, "the reply quotes {} bytes of error", reply.len() - text.len());
    let value: Value = serde_json::from_str(&reply).expect("JSON");
    let message = value["response"]["error"]["message"].as_str().expect("message");
    assert!(message.len() < 300 && message.contains("9999999999…"), "{message}");
    // An unknown update action of a megabyte.
    let text = format!(
        r#"{{"api":"fromWidget","widgetId":"w","requestId":"r","action":"update_delayed_event","data":{{"delay_id":"d","action":"{}"}}}}"#,
        "p".repeat(1 << 20)
    );
    let message = decode(&text).expect_err("unknown action").to_string();
    assert!(message.len() < 600, "{}", message.len());
}

/// JavaScript reads `{"error":…,"error":…}` with the last key winning; this crate refuses
/// duplicates instead of guessing, on the typed and untyped paths, plain and escaped.
#[test]
fn duplicate_error_keys_are_refused_with_a_message_that_says_so() {
    let reply = |action: &str, response: &str| {
        format!(r#"{{"api":"fromWidget","widgetId":"w","requestId":"r","action":"{action}","data":{{}},"response":{response}}}"#)
    };
    for action in ["io.element.join", "send_event"] {
        for (response, needle) in [
            (r#"{"error":{"message":"a"},"error":{"message":"b"}}"#, "`response.error` appears twice"),
            (r#"{"error":{"message":"a"},"\u0065rror":{"message":"b"}}"#, "`response.error` appears twice"),
            (r#"{"event_id":"$e","error":{"message":"a"},"error":{"message":"b"}}"#, "`response.error` appears twice"),
            (r#"{"error":{"message":"a","message":"b"}}"#, "`response.error.message` appears twice"),
        ] {
            let text = reply(action, response);
            for result in [decode(&text), decode_as(Role::Widget, &text)] {
                let message = result.expect_err(&text).to_string();
                assert!(message.contains(needle), "{action} {response}: {message}");
            }
        }
    }
    // One `error` is an error response, on both paths.
    let text = reply("io.element.join", r#"{"error":{"message":"a"}}"#);
    assert_eq!(decode(&text).expect("decodes").kind(), MessageKind::ErrorResponse);
}

/// Numbers are read as JavaScript reads them: as 64-bit floats. A literal that is not an
/// integer but rounds to one (`0.99999999999999999` is 1.0, `1e-400` is 0.0) is that
/// integer, and is re-emitted as it.
#[test]
fn numbers_that_round_to_integers_are_those_integers() {
    let text = send_event(r#"{"type":"t","content":{},"delay":0.99999999999999999}"#);
    let Ok(Message::FromWidgetRequest(matrix_widget_api::FromWidgetRequest::SendEvent(req))) = decode(&text) else { panic!("{text}") };
    assert_eq!(req.data().delay.map(|d| d.as_millis()), Some(1));
    let emitted: Value = serde_json::from_str(&serde_json::to_string(&*req).expect("serialises")).expect("JSON");
    assert_eq!(emitted["data"]["delay"], 1);
    // 1e-400 underflows to 0, which is out of range for a delay.
    let text = send_event(r#"{"type":"t","content":{},"delay":1e-400}"#);
    assert!(decode(&text).expect_err("zero").to_string().contains("out of range: 0"));
}

/// Found by the `decode` fuzz target (and the hostile corpus): a request whose `data` is not
/// an object is answered (its envelope is valid), and the reply echoes `data` as it was; the
/// requester reads that reply as the error response it is.
#[test]
fn a_request_with_non_object_data_is_answered_and_its_reply_decodes() {
    let text = r#"{"api":"toWidget","widgetId":"w31","requestId":"widgetapi-1710000042000","action":"openid_credentmals","data":7777777777799999999999999999999}"#;
    let err = decode(text).expect_err("data is not an object");
    assert!(matches!(err, DecodeError::Invalid(_)), "{err:?}");
    let reply = err.error_reply().expect("answerable");
    let value: Value = serde_json::from_str(&reply).expect("JSON");
    assert_eq!(value["requestId"], "widgetapi-1710000042000");
    assert!(value["response"]["error"]["message"].as_str().is_some_and(|m| m.contains("`data`: expected a JSON object")), "{reply}");
    let received = decode(&reply).expect("a reply echoing non-object data");
    assert_eq!(received.kind(), MessageKind::ErrorResponse);
    let Message::ToWidgetResponse(response) = received else { panic!("a toWidget reply") };
    assert_eq!(response.envelope().request_id(), "widgetapi-1710000042000");
}
