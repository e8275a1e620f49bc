//! MSC4157 on the homeserver: the MSC4140 requests behind a widget's delayed `send_event`
//! and its `update_delayed_event`.
//!
//! This first part reads which MSC4140 surface a homeserver serves: see [`detect`]. A server
//! without MSC4140 ignores the delay parameter and sends the event *at once*, so the answer
//! for it is [`Support::Unsupported`], never a guess.

mod era;

pub use era::{CAPABILITY, DetectError, Era, Limits, Prefix, STABLE_FLAG, Support, Surface, UNSTABLE_CAPABILITY, UNSTABLE_FLAG, detect};
