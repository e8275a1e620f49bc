//! Wire decision 44: the decoder's fast path never decides. Any text is decoded with and
//! without it (`__private::decode_without_fast_path`: the limits scan and serde_json only),
//! and both must give the same message (`==`, `Debug` and re-encoding) or the same error
//! (`Debug`, `Display` and error reply).
//!
//! Input: the first byte picks the role (`byte % 3`: host, widget, none) and the limits
//! (`byte / 3 % 2`: the defaults, or a tight set most messages come near, so that the fast
//! path's giving up near each limit is crossed); the rest, when it is UTF-8, is the message.
//! The seeds (`fuzz/seeds/decode_fast/`) are fixtures behind a byte: `0`, `1` and `2` for
//! the three roles with the defaults, `3`, `4` and `5` with the tight limits.
#![no_main]

use libfuzzer_sys::fuzz_target;
use matrix_widget_api::__private::decode_without_fast_path;
use matrix_widget_api::limits::Limits;
use matrix_widget_api::{DecodeError, Decoder, Message, Role};

/// Limits most messages come near (as in `tests/it/fast_path.rs`).
const TIGHT: Limits =
    Limits::DEFAULT.with_max_depth(6).with_max_elements(20).with_max_string_bytes(64).with_max_message_bytes(600).with_max_id_bytes(40);

fuzz_target!(|bytes: &[u8]| {
    let Some((&selector, rest)) = bytes.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let role = match selector % 3 {
        0 => Some(Role::Host),
        1 => Some(Role::Widget),
        _ => None,
    };
    let decoder = Decoder::new(if selector / 3 % 2 == 0 { Limits::DEFAULT } else { TIGHT });
    let fast = match role {
        Some(role) => decoder.decode_as(role, text),
        None => decoder.decode(text),
    };
    let slow = decode_without_fast_path(&decoder, role, text);
    if let Some(what) = difference(&fast, &slow) {
        panic!("{what}, for {role:?} with {:?}:\n  input: {text:?}\n  fast: {fast:?}\n  slow: {slow:?}", decoder.limits());
    }
});

/// How the two results differ, if they do.
fn difference(fast: &Result<Message, DecodeError>, slow: &Result<Message, DecodeError>) -> Option<&'static str> {
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
