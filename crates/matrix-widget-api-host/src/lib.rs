//! Host-side logic for the Matrix Widget API, on top of the protocol types of
//! [`matrix_widget_api`]: what a client embedding widgets decides and asks its homeserver,
//! without any I/O — no HTTP client, no async runtime: functions from typed widget requests
//! to decisions and [`http::Request`]s, and from [`http::Response`]s back to widget replies.
//!
//! - [`permission`]: the capability permission engine. Built once from the capabilities a
//!   widget was granted, it answers whether each fromWidget request may be carried out
//!   (with MSC4157's rule exact: a delayed send needs the event's own capability **and**
//!   `m.send.delayed_event`; `update_delayed_event` needs `m.update_delayed_event`), and
//!   what the host may deliver to the widget. It also holds the negotiation helpers
//!   (requested vs approved, the `notify_capabilities` payload) and the opt-in ledger of
//!   delayed events each widget scheduled.
//! - [`delayed_events`]: the homeserver requests behind MSC4157 delayed events (`send_event` with
//!   `delay`, `update_delayed_event`), for every MSC4140 era, with server-support detection
//!   and the mapping of homeserver errors back to widget error replies.
//! - [`session`]: the sans-IO engine that runs a whole widget conversation (negotiation,
//!   request IDs, timeouts, reply matching, pushes, the delay ledger) on top of the two:
//!   messages and environment answers in, messages and environment requests out.
//!
//! # Deviations from matrix-widget-api
//!
//! The engine's decisions agree with matrix-widget-api 1.19's `ClientWidgetApi` (the
//! reference host) on every request and delivery, except for these deliberate
//! differences. A differential test drives the real `ClientWidgetApi` under Node.js with
//! thousands of generated cases and fails on any other disagreement, and on any case where
//! this engine allows what the reference denies without one of these reasons.
//!
//! 1. **Stable and legacy capability spellings are honoured** (`m.send.event:…`,
//!    `m.timeline:…`, `m.send.delayed_event`, `m.send.delay_events`,
//!    `org.matrix.msc4157.update.delayed_event`, `m.send.sticky_event`,
//!    `org.matrix.msc4354.send_sticky_event`, …; wire decisions 3, 10, 14, 26). The reference
//!    knows only the unstable strings, so it denies what a stable capability grants.
//! 2. **Stable action names are honoured** (`update_delayed_event`, `read_events`,
//!    `navigate`, `read_relations`, …; wire decisions 2, 12): decoding maps every spelling
//!    to its action. The reference answers them as unknown actions.
//! 3. **Capability escaping without the reference's bugs** (wire decision 13): a state
//!    capability whose `#`s are all escaped (`foo\#bar`) covers every state key (the
//!    reference reads key `""`), and one whose `#`-separated parts all end in `\`
//!    (`foo\#bar\`, `foo\`) grants nothing (the reference reads the event type `""`, or
//!    `foo\` with any key).
//! 4. **Out-of-range numbers are invalid**: `delay` must be an integer from 1 to 2^53 − 1
//!    (wire decision 5; MSC4140 requires a positive delay) and `sticky_duration_ms` one
//!    from 0 to 3,600,000 (wire decision 8). Decoding refuses the request; the reference
//!    forwards such values to its driver.
//! 5. **`null` is absent** (MSC2813, wire decision 5): `delay: null` is not a delayed send,
//!    `sticky_duration_ms: null` not a sticky one, `state_key: null` not a state event. The
//!    reference treats `null` as present for these three fields.
//! 6. **`refresh` is `restart`** (wire decision 1): MSC4157's text says `refresh`; the
//!    reference refuses it.
//! 7. **The viewed room needs no timeline capability**: a `room_id` (or `room_ids` entry)
//!    naming the room the widget is in is allowed without `timeline:` (MSC2762: timeline
//!    capabilities are for other rooms). The reference asks for one whenever `room_id` is
//!    given.
//! 8. **An empty room ID is refused**: it names no room. The reference sends `send_event`
//!    with `room_id: ""` to the viewed room, and accepts `read_relations` with it under
//!    `timeline:*`.
//! 9. **`com.beeper.read_room_account_data` checks `room_ids`** against timeline
//!    capabilities (wire decision 21); the reference ignores `room_ids`.
//! 10. **Sticky events are pushed for the viewed room too** (MSC4407, wire decision 9), not
//!     only for rooms named by timeline capabilities.
//! 11. **Actions the reference leaves to the application are gated as MSC2762 and the
//!     spec draft say**: `m.sticker` needs `m.sticker`, `set_always_on_screen` needs
//!     `m.always_on_screen`, `open_modal` is allowed (or needs `m.modals`, configurable:
//!     wire decision 23); `close_modal`, `set_button_enabled` need nothing. The reference's
//!     `ClientWidgetApi` answers all five as unknown unless the application intercepts them.
//! 12. **Opt-in only**: `m.read.*` capabilities granting `read_events` (wire decision 12),
//!     and the [`DelayLedger`](permission::DelayLedger) refusing updates of delayed events
//!     the widget did not schedule (wire decision 28). Both are off by default.
//! 13. **The LiveKit actions' `room_id` is gated** (wire decision 33): `rtc_livekit_get_token`
//!     and `rtc_livekit_delegate_delayed_leave` for a room other than the viewed one need a
//!     timeline capability for it, as `room_ids` does. The reference checks only the
//!     action's capability, so a widget in one room can ask for a token, or delegate a
//!     leave, for any other room of the user.
//! 14. **`m.room.message#…` stays an event type in to-device and account data
//!     capabilities** (wire decision 43): `org.matrix.msc3819.send.to_device:m.room.message#x`
//!     grants the to-device type `m.room.message#x` only. The reference reads a msgtype out
//!     of it for every kind of capability and then ignores it, so it grants `m.room.message`.
#![forbid(unsafe_code)]

pub mod delayed_events;
pub mod permission;
pub mod session;
