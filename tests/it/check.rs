//! The one set of accept/reject helpers the tests of `it` share: a message is accepted when
//! the decoder (and the decoder of the role that receives it) and the committed message schema
//! accept it, and rejected when both refuse it, the decoder naming the field.

use crate::schema::message_validator;
use matrix_widget_api::{Api, DecodeError, Message, decode, decode_host, decode_widget};
use serde_json::{Value, json};

/// The JSON value of `text`.
pub(crate) fn json_of(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// What the committed message schema says is wrong with `text`, one error a line.
pub(crate) fn schema_errors(text: &str) -> Vec<String> {
    message_validator().iter_errors(&json_of(text)).map(|e| format!("{e} at {}", e.instance_path())).collect()
}

/// The message schema accepts `text`.
pub(crate) fn assert_schema_accepts(text: &str) {
    let errors = schema_errors(text);
    assert!(errors.is_empty(), "the schema rejects what decoding accepts: {text}: {errors:#?}");
}

/// The message schema refuses `text`.
pub(crate) fn assert_schema_rejects(text: &str) {
    assert!(!message_validator().is_valid(&json_of(text)), "the schema accepts what decoding rejects: {text}");
}

/// Decodes, the decoder of the role that receives it gives the same message, and the schema
/// accepts it.
pub(crate) fn accepted(text: &str) -> Message {
    let message = decode(text).unwrap_or_else(|e| panic!("{text}: {e}"));
    let by_role: Message = match (message.api(), message.is_response()) {
        (Api::FromWidget, false) | (Api::ToWidget, true) => decode_host(text).unwrap_or_else(|e| panic!("host: {text}: {e}")).into(),
        _ => decode_widget(text).unwrap_or_else(|e| panic!("widget: {text}: {e}")).into(),
    };
    assert_eq!(by_role, message, "the role's decoder disagrees with decode: {text}");
    assert_schema_accepts(text);
    message
}

/// [`accepted`], and typed (not an `Other` variant).
pub(crate) fn typed(text: &str) -> Message {
    let message = accepted(text);
    assert!(message.is_typed(), "not typed: {text}");
    message
}

/// [`accepted`], and serialises back to the same JSON value.
pub(crate) fn round_trips(text: &str) -> Message {
    let message = accepted(text);
    assert_eq!(serde_json::to_value(&message).expect("serialises"), json_of(text), "round-trip of {text}");
    message
}

/// [`typed`] and [`round_trips`].
pub(crate) fn typed_round_trips(text: &str) -> Message {
    let message = round_trips(text);
    assert!(message.is_typed(), "not typed: {text}");
    message
}

/// Refused by the decoder as `DecodeError::Invalid` naming `expected`, and by the schema. A
/// request gets an error reply that echoes it and carries the message; a reply gets none.
///
/// A field `` `w `` may also be named by its path (`` `content.info.w ``), and in a reply
/// from `response` (`` `response.w ``).
pub(crate) fn rejected(text: &str, expected: &str) {
    let err = match decode(text) {
        Err(err @ DecodeError::Invalid(_)) => err,
        other => panic!("{text}: expected DecodeError::Invalid, got {other:?}"),
    };
    let message = err.to_string();
    let instance = json_of(text);
    let is_reply = instance.get("response").is_some_and(|r| !r.is_null());
    let names = |message: &str| match expected.strip_prefix('`') {
        Some(rest) => {
            message.contains(expected)
                || message.contains(&format!(".{rest}"))
                || (is_reply && message.contains(&format!("`response.{rest}")))
        }
        None => message.contains(expected),
    };
    assert!(names(&message), "error {message:?} does not contain {expected:?}");
    if is_reply {
        assert!(err.error_reply().is_none(), "a reply is never answered: {text}");
    } else {
        let reply = json_of(&err.error_reply().expect("a request with a valid envelope is answered"));
        let error_message = reply["response"]["error"]["message"].as_str().expect("an error message").to_owned();
        assert!(error_message.starts_with("Invalid request: ") && names(&error_message), "{error_message}");
        let mut echoed = instance;
        echoed["response"] = json!({"error": {"message": error_message}});
        assert_eq!(reply, echoed, "the error reply echoes the request");
    }
    assert_schema_rejects(text);
}
