//! Any bytes, decoded in every way a peer's message can be: never a panic; a decoded
//! message re-encodes to text that decodes to the same message; an error reply is a reply that
//! decodes, carrying the error (also when the request's `data` was not an object: the reply
//! echoes it as it was — a case this target found, see `tests/it/limits.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use matrix_widget_api::{Message, Role, decode_as_slice, decode_host_slice, decode_slice, decode_widget_slice};

fuzz_target!(|bytes: &[u8]| {
    let _ = decode_host_slice(bytes);
    let _ = decode_widget_slice(bytes);
    let _ = decode_as_slice(Role::Host, bytes);
    match decode_slice(bytes) {
        Ok(message) => round_trip(&message),
        Err(error) => {
            if let Some(reply) = error.error_reply() {
                let value: serde_json::Value = serde_json::from_str(&reply).expect("an error reply is JSON");
                assert!(value["response"]["error"]["message"].is_string(), "an error reply carries a message");
                let reply = decode_slice(reply.as_bytes()).expect("an error reply decodes");
                assert!(reply.is_response(), "an error reply is a reply");
            }
        }
    }
});

fn round_trip(message: &Message) {
    let text = serde_json::to_string(message).expect("a decoded message serialises");
    let again = matrix_widget_api::decode(&text).expect("a re-encoded message decodes");
    assert_eq!(&again, message, "decode ∘ encode is the identity");
}
