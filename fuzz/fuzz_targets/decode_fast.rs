//! Wire decision 44: the decoder's fast path never decides. Any text is decoded with and
//! without it, and both must agree (`tests/support/both_paths.rs` says how).
//!
//! Input: the first byte picks the role (`byte % 3`: host, widget, none) and the limits
//! (`byte / 3 % 2`: the defaults, or a tight set most messages come near, so that the fast
//! path's giving up near each limit is crossed); the rest, when it is UTF-8, is the message.
//! The seeds (`fuzz/seeds/decode_fast/`) are fixtures behind a byte: `0`, `1` and `2` for
//! the three roles with the defaults, `3`, `4` and `5` with the tight limits.
#![no_main]

#[path = "../../tests/support/both_paths.rs"]
mod both_paths;

use both_paths::{TIGHT, decode_both, difference};
use libfuzzer_sys::fuzz_target;
use matrix_widget_api::limits::Limits;
use matrix_widget_api::{Decoder, Role};

fuzz_target!(|bytes: &[u8]| {
    let Some((&selector, rest)) = bytes.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let role = match selector % 3 {
        0 => Some(Role::Host),
        1 => Some(Role::Widget),
        _ => None,
    };
    let decoder = Decoder::new(if selector / 3 % 2 == 0 { Limits::DEFAULT } else { TIGHT });
    let both = decode_both(&decoder, role, text);
    if let Some(what) = difference(&both) {
        let (fast, slow) = &both;
        panic!("{what}, for {role:?} with {:?}:\n  input: {text:?}\n  fast: {fast:?}\n  slow: {slow:?}", decoder.limits());
    }
});
