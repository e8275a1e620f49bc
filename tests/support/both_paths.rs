//! Wire decision 44, shared by `tests/it/fast_path.rs` and the `decode_fast` fuzz target: a
//! text decoded with the fast path and without it (`__private::decode_without_fast_path`:
//! the limits scan and serde_json only) must give the same message (`==`, `Debug` and
//! re-encoding) or the same error (`Debug`, `Display` and error reply).

use matrix_widget_api::__private::decode_without_fast_path;
use matrix_widget_api::limits::Limits;
use matrix_widget_api::{DecodeError, Decoder, Message, Role};

/// Limits most messages come near: several fixtures are over each one.
pub(crate) const TIGHT: Limits =
    Limits::DEFAULT.with_max_depth(6).with_max_elements(20).with_max_string_bytes(64).with_max_message_bytes(600).with_max_id_bytes(40);

/// What `decoder` makes of `text` for `role` (`None`: [`Decoder::decode`]): with the fast
/// path, then without it.
pub(crate) type Both = (Result<Message, DecodeError>, Result<Message, DecodeError>);

/// Decodes `text` both ways.
pub(crate) fn decode_both(decoder: &Decoder, role: Option<Role>, text: &str) -> Both {
    let fast = match role {
        Some(role) => decoder.decode_as(role, text),
        None => decoder.decode(text),
    };
    (fast, decode_without_fast_path(decoder, role, text))
}

/// How the two results differ, if they do.
pub(crate) fn difference((fast, slow): &Both) -> Option<&'static str> {
    match (fast, slow) {
        (Ok(f), Ok(s)) => {
            let encode = |m| serde_json::to_string(m).map_err(|e| e.to_string());
            if f != s {
                Some("the messages differ")
            } else if format!("{f:?}") != format!("{s:?}") {
                Some("the messages are equal, but their Debug texts differ")
            } else if encode(f) != encode(s) {
                Some("the messages are equal, but encode differently")
            } else {
                None
            }
        }
        (Err(f), Err(s)) => {
            if format!("{f:?}") != format!("{s:?}") {
                Some("the errors differ")
            } else if f.to_string() != s.to_string() {
                Some("the errors' Debug texts are equal, but their messages differ")
            } else if f.error_reply() != s.error_reply() {
                Some("the errors are equal, but their error replies differ")
            } else {
                None
            }
        }
        (Ok(_), Err(_)) => Some("the fast path accepts what the slow path refuses"),
        (Err(_), Ok(_)) => Some("the fast path refuses what the slow path accepts"),
    }
}
