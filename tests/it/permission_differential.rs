//! The permission engine against the real `ClientWidgetApi` of matrix-widget-api 1.19
//! (`tests/npm/permit.mjs`, run with Node.js): thousands of (capabilities, request) pairs
//! from a fixed seed, covering every action the reference gates, delayed and sticky sends,
//! timeline rooms, escaping corners and deliveries. Both decide every case; the decisions
//! must be identical except where a deviation documented in the host crate explains the
//! difference *in its direction* (a deviation that only ever makes us stricter cannot
//! excuse an allow).
//!
//! It needs `npm ci` in `tests/npm`, so plain `cargo test` skips it (ignored, with the
//! reason); `cargo xtask ci` runs it right after the npm conformance step. Without Node.js
//! it fails, saying so.

use crate::capability::reference_reading;
use crate::permission::caps;
use matrix_widget_api::naming::{Naming, Spelled, WireName};
use matrix_widget_api::{ActionName, Capability, HostMessage, decode_host};
use matrix_widget_api_host::permission::{Context, EventView, Permissions};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

const ROOM: &str = "!r:b";
const OTHER: &str = "!other:b";
const THIRD: &str = "!third:b";
const SEED: u64 = 0x4157_2762_0001;
const CASES: usize = 3_000;

/// xorshift64*: deterministic, dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The deviations of the host crate's docs, with the direction each may explain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Deviation {
    /// 1: a capability spelled in a way the reference does not know.
    StableCapability,
    /// 2: an action name the reference does not know.
    StableAction,
    /// 3: a capability the reference parses with its escaping bugs.
    Escaping,
    /// 4: a number our decoding refuses.
    OutOfRange,
    /// 5: a `null` the reference counts as present.
    Null,
    /// 6: `refresh`.
    Refresh,
    /// 7: an explicit room that is the viewed room.
    ViewedRoom,
    /// 8: an empty room ID.
    EmptyRoom,
    /// 9: `room_ids` of `read_room_account_data`.
    AccountDataRooms,
    /// 10: a sticky event in the viewed room.
    StickyViewedRoom,
    /// 11: an action the reference leaves to the application.
    ApplicationAction,
    /// 13: the `room_id` of a LiveKit action.
    LivekitRoom,
    /// 14: a to-device or room account data capability whose event type starts with
    /// `m.room.message#`, kept verbatim (the reference reads a msgtype into it).
    MsgtypeSplit,
}

impl Deviation {
    /// Whether it can make us allow what the reference denies (`true`) or deny what it
    /// allows (`false`).
    fn explains(self, ours_allowed: bool) -> bool {
        use Deviation::*;
        match self {
            Escaping | Null | MsgtypeSplit => true,
            StableCapability | StableAction | Refresh | ViewedRoom | StickyViewedRoom | ApplicationAction => ours_allowed,
            OutOfRange | EmptyRoom | AccountDataRooms | LivekitRoom => !ours_allowed,
        }
    }
}

struct Case {
    json: Value,
    /// The action (requests) or delivery kind, for the coverage report.
    label: String,
    ours: bool,
    /// Our decision with only the capabilities the reference can read (its unstable
    /// strings): where stable spellings are the only explanation, this must equal the
    /// reference's.
    ours_reference_spellings: bool,
    deviations: Vec<Deviation>,
}

// ---- Capability pools ----

const TYPES: &[&str] = &["m.room.message", "m.reaction", "org.example#test", "a#b", "org.matrix.msc3401.call.member", r"x\y"];
const MSGTYPES: &[&str] = &["m.text", "m.notice", "", "#m.text"];
const KEYS: &[&str] = &["", "@a:b", "_@a:b_DEV", "#k", r"k\"];
/// State segments at the escaping corners, verbatim.
const STATE_CORNERS: &[&str] =
    &[r"foo\#bar", r"foo\#bar\", r"foo\", r"a\#b#k", r"org.example.\\#test#hello", "m.room.name##test", "m.room.name#", r"a\#b", "#"];
/// Event types a request may use, including the ones the corners name.
const REQUEST_TYPES: &[&str] = &[
    "m.room.message",
    "m.reaction",
    "org.example#test",
    "a#b",
    "org.matrix.msc3401.call.member",
    "foo#bar",
    r"foo#bar\",
    r"foo\",
    "m.room.name",
    r"org.example.\#test",
    r"x\y",
    r"org.example\#test",
];

fn spell(capability: Capability, rng: &mut Rng) -> String {
    // Mostly the unstable strings the reference knows; sometimes the stable ones.
    let naming = if rng.chance(90) { Naming::Unstable } else { Naming::Stable };
    capability.name(naming).into_owned()
}

fn room_cap(prefix_state: bool, direction_send: bool, rng: &mut Rng) -> String {
    let stable = rng.chance(8);
    let dir = if direction_send { "send" } else { "receive" };
    let kind = if prefix_state { "state_event" } else { "event" };
    let prefix = if stable { format!("m.{dir}.{kind}:") } else { format!("org.matrix.msc2762.{dir}.{kind}:") };
    let segment = if prefix_state {
        if rng.chance(15) {
            (*rng.pick(STATE_CORNERS)).to_owned()
        } else {
            let t = rng.pick(REQUEST_TYPES).replace('#', r"\#");
            if t.ends_with('\\') {
                t
            } else if rng.chance(50) {
                format!("{t}#{}", rng.pick(KEYS))
            } else {
                t
            }
        }
    } else {
        let t = *rng.pick(TYPES);
        if t == "m.room.message" && rng.chance(60) { format!("m.room.message#{}", rng.pick(MSGTYPES)) } else { t.to_owned() }
    };
    format!("{prefix}{segment}")
}

const FLAGS: &[Capability] = &[
    Capability::SendDelayedEvent,
    Capability::UpdateDelayedEvent,
    Capability::SendStickyEvent,
    Capability::ReceiveStickyEvent,
    Capability::TurnServers,
    Capability::Navigate,
    Capability::UserDirectorySearch,
    Capability::UploadFile,
    Capability::DownloadFile,
    Capability::RtcTransports,
    Capability::RtcLivekitGetToken,
    Capability::RtcLivekitDelegateDelayedLeave,
    Capability::Sticker,
    Capability::AlwaysOnScreen,
    Capability::Screenshot,
    Capability::Modals,
];

fn legacy(capability: &Capability, rng: &mut Rng) -> Option<String> {
    let spec = Capability::NAMES.iter().find(|s| format!("{capability:?}").starts_with(s.variant))?;
    (!spec.legacy.is_empty() && rng.chance(30)).then(|| (*rng.pick(spec.legacy)).to_owned())
}

fn random_cap(rng: &mut Rng) -> String {
    match rng.below(10) {
        0..=3 => room_cap(rng.chance(50), rng.chance(60), rng),
        4 => {
            let target = *rng.pick(&["*", ROOM, OTHER, THIRD]);
            if rng.chance(80) { format!("org.matrix.msc2762.timeline:{target}") } else { format!("m.timeline:{target}") }
        }
        5 => {
            let t = *rng.pick(&["m.call.invite", "m.call#x", "io.element.call.encryption_keys", "m.room.message#m.text", "m.room.message"]);
            let dir = if rng.chance(50) { "send" } else { "receive" };
            if rng.chance(80) { format!("org.matrix.msc3819.{dir}.to_device:{t}") } else { format!("m.{dir}.to_device:{t}") }
        }
        6 => format!("com.beeper.capabilities.receive.room_account_data:{}", rng.pick(&["m.x", "m.fully_read", "m.room.message#m.text"])),
        7 => "org.example.unknown".to_owned(),
        _ => {
            let flag = rng.pick(FLAGS).clone();
            legacy(&flag, rng).unwrap_or_else(|| spell(flag, rng))
        }
    }
}

/// Random capabilities, plus `needed` (in a random spelling) more often than not.
fn cap_set(rng: &mut Rng, needed: &[String]) -> Vec<String> {
    let mut set: Vec<String> = (0..rng.below(5)).map(|_| random_cap(rng)).collect();
    for n in needed {
        if rng.chance(70) {
            set.push(n.clone());
        }
    }
    set.sort();
    set.dedup();
    set
}

fn flag(capability: Capability, rng: &mut Rng) -> String {
    legacy(&capability, rng).unwrap_or_else(|| spell(capability, rng))
}

fn timeline_for(room: Option<&str>, rng: &mut Rng) -> Vec<String> {
    match room {
        Some(r) if !r.is_empty() && rng.chance(70) => {
            let target = if rng.chance(30) { "*" } else { r };
            vec![if rng.chance(85) { format!("org.matrix.msc2762.timeline:{target}") } else { format!("m.timeline:{target}") }]
        }
        _ => Vec::new(),
    }
}

fn send_cap_for(event_type: &str, state_key: Option<&str>, msgtype: Option<&str>, rng: &mut Rng) -> Vec<String> {
    let prefix = if rng.chance(85) { "org.matrix.msc2762" } else { "m" };
    let cap = match state_key {
        Some(k) => {
            let t = event_type.replace('#', r"\#");
            if rng.chance(50) { format!("{prefix}.send.state_event:{t}#{k}") } else { format!("{prefix}.send.state_event:{t}") }
        }
        None if event_type == "m.room.message" && rng.chance(60) => format!("{prefix}.send.event:m.room.message#{}", msgtype.unwrap_or("")),
        None => format!("{prefix}.send.event:{event_type}"),
    };
    vec![cap]
}

fn envelope(action: &str, data: Value) -> Value {
    json!({"api": "fromWidget", "widgetId": "w", "requestId": "r", "action": action, "data": data})
}

/// One of the action's names: the unstable one mostly, the stable one sometimes.
fn action_name(action: ActionName, rng: &mut Rng) -> String {
    let spec = ActionName::NAMES.iter().find(|s| format!("{action:?}") == s.variant).expect("declared");
    if spec.stable != spec.unstable && rng.chance(10) {
        return spec.stable.to_owned();
    }
    if !spec.legacy.is_empty() && rng.chance(10) {
        return spec.legacy[0].to_owned();
    }
    spec.unstable.to_owned()
}

/// A fromWidget request and the capabilities to try it with.
fn request_case(rng: &mut Rng) -> (Value, Vec<String>) {
    let room = |rng: &mut Rng| match rng.below(10) {
        0..=3 => None,
        4..=5 => Some(OTHER),
        6 => Some(THIRD),
        7..=8 => Some(ROOM),
        _ => Some(""),
    };
    match rng.below(24) {
        // send_event, in all its forms (a third of the cases).
        0..=7 => {
            let event_type = *rng.pick(REQUEST_TYPES);
            let state_key = rng.chance(40).then(|| *rng.pick(KEYS));
            let msgtype = (event_type == "m.room.message" && rng.chance(80)).then(|| *rng.pick(MSGTYPES));
            let room_id = room(rng);
            let mut data = json!({"type": event_type, "content": {"body": "x"}});
            if let Some(m) = msgtype {
                data["content"]["msgtype"] = if rng.chance(5) { json!(5) } else { m.into() };
            }
            if let Some(k) = state_key {
                data["state_key"] = k.into();
            }
            if rng.chance(3) {
                data["state_key"] = Value::Null;
            }
            if let Some(r) = room_id {
                data["room_id"] = r.into();
            }
            let delay = rng.chance(45);
            if delay {
                data["delay"] = match rng.below(20) {
                    0 => json!(0),
                    1 => json!(-1),
                    2 => json!(1.5),
                    3 => Value::Null,
                    4 => json!(9_007_199_254_740_991u64),
                    _ => json!(*rng.pick(&[1, 5000, 3_600_000])),
                };
            }
            let sticky = rng.chance(25);
            if sticky {
                data["sticky_duration_ms"] = match rng.below(15) {
                    0 => Value::Null,
                    1 => json!(4_000_000),
                    2 => json!(0),
                    _ => json!(1000),
                };
            }
            let mut needed = send_cap_for(event_type, state_key, msgtype, rng);
            needed.extend(timeline_for(room_id, rng));
            if delay {
                needed.push(flag(Capability::SendDelayedEvent, rng));
            }
            if sticky {
                needed.push(flag(Capability::SendStickyEvent, rng));
            }
            (envelope("send_event", data), needed)
        }
        8..=10 => {
            let update = *rng.pick(&["cancel", "restart", "send", "send", "cancel", "restart", "refresh"]);
            let delay_id = if rng.chance(5) { "" } else { "syd_abc" };
            let action = action_name(ActionName::UpdateDelayedEvent, rng);
            let mut needed = vec![flag(Capability::UpdateDelayedEvent, rng)];
            if rng.chance(40) {
                needed.push(flag(Capability::SendDelayedEvent, rng));
            }
            (envelope(&action, json!({"delay_id": delay_id, "action": update})), needed)
        }
        11 => {
            let t = *rng.pick(&["m.call.invite", "m.call#x", "io.element.call.encryption_keys", "m.room.message", "m.room.message#m.text"]);
            let prefix = if rng.chance(85) { "org.matrix.msc3819" } else { "m" };
            let data = json!({"type": t, "encrypted": rng.chance(50), "messages": {"@a:b": {"*": {"x": 1}}}});
            (envelope("send_to_device", data), vec![format!("{prefix}.send.to_device:{t}")])
        }
        12..=13 => {
            let event_type = *rng.pick(&["m.room.message", "m.reaction", "m.room.member", "a#b", "m.room.name"]);
            let mut data = json!({"type": event_type});
            let mut needed = Vec::new();
            let prefix = if rng.chance(85) { "org.matrix.msc2762" } else { "m" };
            if rng.chance(45) {
                let key = *rng.pick(KEYS);
                data["state_key"] = if rng.chance(25) { json!(true) } else { key.into() };
                let t = event_type.replace('#', r"\#");
                needed.push(if rng.chance(50) {
                    format!("{prefix}.receive.state_event:{t}")
                } else {
                    format!("{prefix}.receive.state_event:{t}#{key}")
                });
            } else {
                if event_type == "m.room.message" && rng.chance(60) {
                    let m = *rng.pick(MSGTYPES);
                    data["msgtype"] = m.into();
                    needed.push(format!("{prefix}.receive.event:m.room.message#{m}"));
                } else {
                    needed.push(format!("{prefix}.receive.event:{event_type}"));
                }
            }
            match rng.below(5) {
                0 => data["room_ids"] = json!("*"),
                1 => {
                    let rooms: Vec<&str> = (0..1 + rng.below(2)).map(|_| *rng.pick(&[ROOM, OTHER, THIRD])).collect();
                    for r in &rooms {
                        needed.extend(timeline_for(Some(r), rng));
                    }
                    data["room_ids"] = json!(rooms);
                }
                _ => {}
            }
            if rng.chance(20) {
                data["limit"] = json!(10);
            }
            (envelope(&action_name(ActionName::ReadEvents, rng), data), needed)
        }
        14 => {
            let room_id = room(rng);
            let mut data = json!({"event_id": "$e"});
            if let Some(r) = room_id {
                data["room_id"] = r.into();
            }
            (envelope(&action_name(ActionName::ReadRelations, rng), data), timeline_for(room_id, rng))
        }
        15 => {
            let t = *rng.pick(&["m.x", "m.fully_read", "m.room.message", "m.room.message#m.text"]);
            let mut data = json!({"type": t});
            let mut needed = vec![format!("com.beeper.capabilities.receive.room_account_data:{t}")];
            if rng.chance(25) {
                let r = *rng.pick(&[OTHER, ROOM]);
                data["room_ids"] = json!([r]);
                needed.extend(timeline_for(Some(r), rng));
            }
            (envelope("com.beeper.read_room_account_data", data), needed)
        }
        16 => {
            let action = if rng.chance(50) { ActionName::WatchTurnServers } else { ActionName::UnwatchTurnServers };
            let cap = Capability::TurnServers;
            (envelope(&action_name(action, rng), json!({})), vec![flag(cap, rng)])
        }
        17 => (
            envelope(&action_name(ActionName::Navigate, rng), json!({"uri": "https://matrix.to/#/!r:b"})),
            vec![flag(Capability::Navigate, rng)],
        ),
        18 => (
            envelope(&action_name(ActionName::UserDirectorySearch, rng), json!({"search_term": "a", "limit": 3})),
            vec![flag(Capability::UserDirectorySearch, rng)],
        ),
        19 => {
            let (action, data, cap) = rng
                .pick(&[
                    (ActionName::GetMediaConfig, json!({}), Capability::UploadFile),
                    (ActionName::UploadFile, json!({"file": "x"}), Capability::UploadFile),
                    (ActionName::DownloadFile, json!({"content_uri": "mxc://b/x"}), Capability::DownloadFile),
                ])
                .clone();
            (envelope(&action_name(action, rng), data), vec![flag(cap, rng)])
        }
        20 => {
            let (action, data, cap) = rng
                .pick(&[
                    (ActionName::GetRtcTransports, json!({}), Capability::RtcTransports),
                    (
                        ActionName::RtcLivekitGetToken,
                        json!({"server_name": "b", "url": "https://lk", "room_id": ROOM, "slot_id": "s", "member": {"id": "m"}}),
                        Capability::RtcLivekitGetToken,
                    ),
                    (
                        ActionName::RtcLivekitDelegateDelayedLeave,
                        json!({"room_id": ROOM, "slot_id": "s", "member": {"id": "m"}, "delay_id": "syd_abc"}),
                        Capability::RtcLivekitDelegateDelayedLeave,
                    ),
                ])
                .clone();
            (envelope(&action_name(action, rng), data), vec![flag(cap, rng)])
        }
        21 => {
            let (action, data) = rng
                .pick(&[
                    (ActionName::SupportedApiVersions, json!({})),
                    (ActionName::ContentLoaded, json!({})),
                    (ActionName::GetOpenId, json!({})),
                    (ActionName::RequestCapabilities, json!({"capabilities": ["org.matrix.msc2762.timeline:*"]})),
                ])
                .clone();
            (envelope(&action_name(action, rng), data), Vec::new())
        }
        22 => {
            let (action, data, needed) = rng
                .pick(&[
                    ("m.sticker", json!({"name": "s", "content": {"url": "mxc://b/s"}}), vec!["m.sticker".to_owned()]),
                    ("set_always_on_screen", json!({"value": true}), vec!["m.always_on_screen".to_owned()]),
                    ("open_modal", json!({"type": "m.custom", "url": "https://example.org", "name": "n"}), Vec::new()),
                    ("close_modal", json!({}), Vec::new()),
                    ("set_button_enabled", json!({"button": "b", "enabled": true}), Vec::new()),
                ])
                .clone();
            (envelope(action, data), needed)
        }
        _ => {
            let action = *rng.pick(&["io.element.join", "im.vector.hangup", "org.matrix.msc9999.unknown"]);
            (envelope(action, json!({})), vec!["org.matrix.msc2762.timeline:*".to_owned()])
        }
    }
}

fn room_event(rng: &mut Rng, state: Option<bool>) -> Value {
    let room = *rng.pick(&[ROOM, ROOM, OTHER, THIRD]);
    let is_state = state.unwrap_or_else(|| rng.chance(40));
    let event_type = *rng.pick(if is_state {
        &["m.room.member", "m.room.name", "a#b", "foo#bar"][..]
    } else {
        &["m.room.message", "m.reaction", "org.example#test"][..]
    });
    let mut e = json!({"type": event_type, "room_id": room, "sender": "@a:b", "event_id": "$x", "origin_server_ts": 1, "content": {}, "unsigned": {}});
    if is_state {
        e["state_key"] = (*rng.pick(KEYS)).into();
    } else if event_type == "m.room.message" && rng.chance(80) {
        e["content"]["msgtype"] = if rng.chance(5) { json!(7) } else { (*rng.pick(MSGTYPES)).into() };
    }
    e
}

/// Receive capabilities for a delivered event, more often than not.
fn receive_caps_for(event: &Value, rng: &mut Rng) -> Vec<String> {
    let t = event["type"].as_str().unwrap_or_default();
    let prefix = if rng.chance(85) { "org.matrix.msc2762" } else { "m" };
    let mut caps = Vec::new();
    match event.get("state_key").and_then(Value::as_str) {
        Some(k) => {
            let t = t.replace('#', r"\#");
            caps.push(if rng.chance(50) {
                format!("{prefix}.receive.state_event:{t}")
            } else {
                format!("{prefix}.receive.state_event:{t}#{k}")
            });
        }
        None => match event["content"]["msgtype"].as_str() {
            Some(m) if rng.chance(50) => caps.push(format!("{prefix}.receive.event:m.room.message#{m}")),
            _ => caps.push(format!("{prefix}.receive.event:{t}")),
        },
    }
    if let Some(room) = event["room_id"].as_str() {
        caps.extend(timeline_for(Some(room), rng));
    }
    caps
}

fn delivery_case(rng: &mut Rng) -> (Value, Vec<String>) {
    match rng.below(6) {
        0 | 1 => {
            let e = room_event(rng, None);
            let needed = receive_caps_for(&e, rng);
            (json!({"kind": "feed_event", "event": e}), needed)
        }
        2 => {
            let e = room_event(rng, Some(true));
            let needed = receive_caps_for(&e, rng);
            (json!({"kind": "feed_state", "event": e}), needed)
        }
        3 => {
            let t = *rng.pick(&["m.call.invite", "m.call#x", "m.room.message", "m.room.message#m.text"]);
            let prefix = if rng.chance(85) { "org.matrix.msc3819" } else { "m" };
            (
                json!({"kind": "feed_to_device", "event": {"type": t, "sender": "@a:b", "content": {}}, "encrypted": rng.chance(50)}),
                vec![format!("{prefix}.receive.to_device:{t}")],
            )
        }
        4 => {
            let e = room_event(rng, None);
            let needed = receive_caps_for(&e, rng);
            (json!({"kind": "relation", "event": e}), needed)
        }
        _ => {
            let e = room_event(rng, Some(false));
            let mut needed = receive_caps_for(&e, rng);
            needed.push(flag(Capability::ReceiveStickyEvent, rng));
            (json!({"kind": "sticky", "event": e}), needed)
        }
    }
}

// ---- Our verdicts and the deviations a case exercises ----

fn deviations_of_caps(texts: &[String]) -> Vec<Deviation> {
    let mut found = Vec::new();
    for text in texts {
        let parsed = Spelled::<Capability>::parse(text).expect("open");
        let split_kinds = [".send.to_device:", ".receive.to_device:", "room_account_data:"];
        if split_kinds.iter().any(|kind| text.split_once(kind).is_some_and(|(_, t)| t.starts_with("m.room.message#"))) {
            found.push(Deviation::MsgtypeSplit);
        }
        if !matches!(parsed.value(), Capability::_Custom(_)) && parsed.value().name(Naming::Unstable) != text.as_str() {
            found.push(Deviation::StableCapability);
        }
        for (prefix, state) in [
            ("org.matrix.msc2762.send.state_event:", true),
            ("org.matrix.msc2762.receive.state_event:", true),
            ("org.matrix.msc2762.send.event:", false),
            ("org.matrix.msc2762.receive.event:", false),
        ] {
            if let Some(segment) = text.strip_prefix(prefix) {
                let reference = reference_reading(segment, state);
                let ours = match parsed.value() {
                    Capability::SendStateEvent(f) | Capability::ReceiveStateEvent(f) => {
                        Some((f.event_type().to_owned(), f.state_key().map(str::to_owned)))
                    }
                    Capability::SendEvent(f) | Capability::ReceiveEvent(f) => {
                        Some((f.event_type().to_owned(), f.msgtype().map(str::to_owned)))
                    }
                    _ => None,
                };
                if ours.as_ref() != Some(&reference) {
                    found.push(Deviation::Escaping);
                }
            }
        }
    }
    found
}

fn request_deviations(message: &Value, viewed: Option<&str>) -> Vec<Deviation> {
    let mut found = Vec::new();
    let action = message["action"].as_str().unwrap_or_default();
    let parsed: Spelled<ActionName> = Spelled::parse(action).expect("open");
    if !matches!(parsed.value(), ActionName::_Custom(_)) && parsed.value().name(Naming::Unstable) != action {
        found.push(Deviation::StableAction);
    }
    if ["m.sticker", "set_always_on_screen", "open_modal", "close_modal", "set_button_enabled"].contains(&action) {
        found.push(Deviation::ApplicationAction);
    }
    let data = &message["data"];
    for field in ["delay", "sticky_duration_ms", "state_key"] {
        if data.get(field).is_some_and(Value::is_null) {
            found.push(Deviation::Null);
        }
    }
    let delay_ok = |v: &Value| v.as_u64().is_some_and(|d| (1..=9_007_199_254_740_991).contains(&d));
    let sticky_ok = |v: &Value| v.as_u64().is_some_and(|d| d <= 3_600_000);
    if data.get("delay").is_some_and(|v| !v.is_null() && !delay_ok(v))
        || data.get("sticky_duration_ms").is_some_and(|v| !v.is_null() && !sticky_ok(v))
    {
        found.push(Deviation::OutOfRange);
    }
    if data["action"] == "refresh" {
        found.push(Deviation::Refresh);
    }
    if action.contains("rtc_livekit_") && data.get("room_id").is_some() {
        found.push(Deviation::LivekitRoom);
    }
    let mut rooms: Vec<&str> = data.get("room_id").and_then(Value::as_str).into_iter().collect();
    if let Some(list) = data.get("room_ids").and_then(Value::as_array) {
        rooms.extend(list.iter().filter_map(Value::as_str));
        if action == "com.beeper.read_room_account_data" {
            found.push(Deviation::AccountDataRooms);
        }
    }
    if rooms.iter().any(|r| Some(*r) == viewed) {
        found.push(Deviation::ViewedRoom);
    }
    if rooms.contains(&"") {
        found.push(Deviation::EmptyRoom);
    }
    found
}

fn ours(case: &Value, permissions: &Permissions, context: &Context<'_>) -> bool {
    let event = || EventView::from_json(&case["event"].to_string()).expect("event");
    match case["kind"].as_str().expect("kind") {
        "request" => match decode_host(&case["message"].to_string()) {
            Ok(HostMessage::Request(request)) => permissions.check(&request, context).is_ok(),
            Ok(HostMessage::Response(_)) => unreachable!("requests only"),
            Err(_) => false,
        },
        "feed_event" => permissions.may_push_event(&event().view(), context).is_ok(),
        "feed_state" => permissions.may_update_state(&event().view(), context).is_ok(),
        "feed_to_device" => permissions.may_push_to_device(case["event"]["type"].as_str().expect("type")).is_ok(),
        "relation" => permissions.may_return_relation(&event().view()).is_ok(),
        "sticky" => permissions.may_push_sticky(&event().view(), context).is_ok(),
        other => unreachable!("{other}"),
    }
}

/// A `parse` case, our port's reading of the reference, and whether it is a state capability.
type ParseCheck = (Value, (String, Option<String>), bool);

fn generate() -> (Vec<Case>, Vec<ParseCheck>) {
    let mut rng = Rng(SEED);
    let mut cases = Vec::with_capacity(CASES);
    let mut parses = Vec::new();
    for id in 0..CASES {
        let viewed = if rng.chance(8) { None } else { Some(ROOM) };
        let (mut json, needed, label) = if rng.chance(80) {
            let (message, needed) = request_case(&mut rng);
            let label = message["action"].as_str().unwrap_or_default().to_owned();
            (json!({"kind": "request", "message": message}), needed, label)
        } else {
            let (json, needed) = delivery_case(&mut rng);
            let label = json["kind"].as_str().unwrap_or_default().to_owned();
            (json, needed, label)
        };
        let texts = cap_set(&mut rng, &needed);
        json["id"] = id.into();
        json["caps"] = json!(texts);
        json["viewed"] = viewed.map_or(Value::Null, Value::from);
        let permissions = Permissions::new(&caps(&texts.iter().map(String::as_str).collect::<Vec<_>>()));
        let context = Context::new().with_viewed_room(viewed);
        let ours = ours(&json, &permissions, &context);
        let known: Vec<&str> = texts
            .iter()
            .map(String::as_str)
            .filter(|t| {
                Spelled::<Capability>::parse(t)
                    .is_ok_and(|c| matches!(c.value(), Capability::_Custom(_)) || c.value().name(Naming::Unstable) == *t)
            })
            .collect();
        let ours_reference_spellings = self::ours(&json, &Permissions::new(&caps(&known)), &context);
        let mut deviations = deviations_of_caps(&texts);
        if json["kind"] == "request" {
            deviations.extend(request_deviations(&json["message"], viewed));
        }
        if json["kind"] == "sticky" && json["event"]["room_id"].as_str() == viewed {
            deviations.push(Deviation::StickyViewedRoom);
        }
        deviations.sort();
        deviations.dedup();
        // The reference's capability parser, on the event and state capabilities used.
        for text in &texts {
            for (prefix, state) in [
                ("org.matrix.msc2762.send.state_event:", true),
                ("org.matrix.msc2762.receive.event:", false),
                ("org.matrix.msc2762.send.event:", false),
            ] {
                if let Some(segment) = text.strip_prefix(prefix) {
                    parses.push((json!({"kind": "parse", "cap": text}), reference_reading(segment, state), state));
                }
            }
        }
        cases.push(Case { json, label, ours, ours_reference_spellings, deviations });
    }
    parses.sort_by_key(|(j, _, _)| j["cap"].as_str().unwrap_or_default().to_owned());
    parses.dedup_by_key(|(j, _, _)| j["cap"].as_str().unwrap_or_default().to_owned());
    for (i, (json, _, _)) in parses.iter_mut().enumerate() {
        json["id"] = (CASES + i).into();
    }
    (cases, parses)
}

/// Runs `tests/npm/permit.mjs` over `cases`, one verdict per case.
fn reference_verdicts(cases: &[Value]) -> Vec<Value> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("npm");
    let mut child = match Command::new("node")
        .arg("permit.mjs")
        .current_dir(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(e) => panic!(
            "the permission differential test needs Node.js >= 20 (`node` on PATH) and `npm ci` in tests/npm: cannot run `node`: {e}"
        ),
    };
    let mut stdin = child.stdin.take().expect("stdin");
    let input: String = cases.iter().map(|c| format!("{c}\n")).collect();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let stdout = child.stdout.take().expect("stdout");
    let verdicts: Vec<Value> =
        BufReader::new(stdout).lines().map(|l| serde_json::from_str(&l.expect("line")).expect("a JSON verdict")).collect();
    writer.join().expect("writer").expect("write cases");
    let output = child.wait_with_output().expect("node");
    assert!(
        output.status.success(),
        "node permit.mjs failed ({}); run `npm ci` in tests/npm first:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(verdicts.len(), cases.len(), "one verdict per case");
    verdicts
}

#[test]
#[ignore = "needs Node.js and `npm ci` in tests/npm; run by `cargo xtask ci` after the npm step"]
fn differential_against_matrix_widget_api() {
    let (cases, parses) = generate();
    let mut input: Vec<Value> = cases.iter().map(|c| c.json.clone()).collect();
    input.extend(parses.iter().map(|(j, _, _)| j.clone()));
    let verdicts = reference_verdicts(&input);

    // The reference's parser is what our port says it is.
    for ((json, (event_type, key), _), verdict) in parses.iter().zip(&verdicts[cases.len()..]) {
        let parsed = &verdict["parsed"];
        assert_eq!(
            (parsed["eventType"].as_str(), parsed["keyStr"].as_str()),
            (Some(event_type.as_str()), key.as_deref()),
            "reference parse of {}",
            json["cap"]
        );
    }

    let mut agree = 0;
    let mut clean = 0;
    let mut explained: BTreeMap<String, usize> = BTreeMap::new();
    let mut unexplained = Vec::new();
    // label → (allowed by both, denied by both)
    let mut coverage: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (case, verdict) in cases.iter().zip(&verdicts) {
        assert_eq!(verdict["id"], case.json["id"]);
        assert!(verdict.get("error").is_none(), "the reference harness failed on {}: {}", case.json, verdict["error"]);
        let reference = verdict["allowed"].as_bool().expect("allowed");
        if case.deviations.is_empty() {
            clean += 1;
        }
        if reference == case.ours {
            agree += 1;
            let entry = coverage.entry(case.label.clone()).or_default();
            if reference {
                entry.0 += 1;
            } else {
                entry.1 += 1;
            }
            continue;
        }
        let reasons: Vec<Deviation> = case.deviations.iter().copied().filter(|d| d.explains(case.ours)).collect();
        // Stable spellings alone: with them removed, we must decide as the reference does.
        let spellings_only = reasons == [Deviation::StableCapability] && case.ours_reference_spellings != reference;
        if reasons.is_empty() || spellings_only {
            unexplained.push(format!("ours {} / reference {} ({}): {}", case.ours, reference, verdict["detail"], case.json));
        } else {
            let direction = if case.ours { "we allow, reference denies" } else { "we deny, reference allows" };
            *explained.entry(format!("{direction}: {reasons:?}")).or_default() += 1;
        }
    }
    println!("permission differential: {} cases, {} parse checks, seed {SEED:#x}", cases.len(), parses.len());
    println!("  identical decisions: {agree} (all {clean} cases that exercise no deviation must be among them)");
    for (why, n) in &explained {
        println!("  documented deviation, {why}: {n}");
    }
    for (label, (allowed, denied)) in &coverage {
        println!("  {label}: {allowed} allowed and {denied} denied by both");
    }
    assert!(unexplained.is_empty(), "{} decisions differ without a documented deviation:\n{}", unexplained.len(), unexplained.join("\n"));
    assert!(cases.len() >= 2_000);
    // Every action the reference gates, and every delivery, was seen allowed and denied by both.
    for label in [
        "send_event",
        "org.matrix.msc4157.update_delayed_event",
        "send_to_device",
        "org.matrix.msc2876.read_events",
        "org.matrix.msc3869.read_relations",
        "com.beeper.read_room_account_data",
        "watch_turn_servers",
        "unwatch_turn_servers",
        "org.matrix.msc2931.navigate",
        "org.matrix.msc3973.user_directory_search",
        "org.matrix.msc4039.get_media_config",
        "org.matrix.msc4039.upload_file",
        "org.matrix.msc4039.download_file",
        "org.matrix.msc4515.get_rtc_transports",
        "org.matrix.msc4533.rtc_livekit_get_token",
        "org.matrix.msc4533.rtc_livekit_delegate_delayed_leave",
        "feed_event",
        "feed_state",
        "feed_to_device",
        "relation",
        "sticky",
    ] {
        let (allowed, denied) = coverage.get(label).copied().unwrap_or_default();
        assert!(allowed > 0 && denied > 0, "{label}: {allowed} allowed and {denied} denied by both; the generator must reach both");
    }
}
