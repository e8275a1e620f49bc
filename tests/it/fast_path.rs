//! Wire decision 44: the decoder's fast path (its own JSON reader, `decode/json.rs`, which
//! gives up on anything it does not read exactly as serde_json does) never decides. For every
//! input, role and limits, `Decoder::decode_as` / `Decoder::decode` give what the slow path
//! alone (`__private::decode_without_fast_path`: the limits scan and serde_json) gives: the
//! same message (`==`, `Debug` and re-encoding), or the same error (`Debug`, `Display` and
//! error reply).
//!
//! The inputs: every fixture and every case of the hostile corpus; deterministic mutations of
//! a sample of real messages (truncations, bytes replaced and inserted, escapes and numbers
//! inserted, values replaced); and generated envelopes (random key order, white space, real
//! action names in every spelling, payloads from the fixtures with parts replaced by generated
//! JSON). Each is decoded for a host, a widget and no role, under the default limits, a tight
//! set, and limits placed just below, at and just above the input's own depth, member counts,
//! longest string, size and longest ID, so that the fast path's giving up near each limit is
//! crossed from both sides.

use crate::fixtures::fixture_files;
use crate::hostile_corpus::{abbreviate, committed, message_bytes};
#[path = "../support/both_paths.rs"]
mod both_paths;
use both_paths::{TIGHT, decode_both, difference};
use matrix_widget_api::limits::Limits;
use matrix_widget_api::naming::{NameSpec, WireName};
use matrix_widget_api::{ActionName, Decoder, Role};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, TestCaseError, TestRunner, contextualize_config};
use serde_json::Value;
use std::cell::Cell;
use std::collections::BTreeSet;
use std::sync::OnceLock;

/// The roles a message is decoded for (`None`: [`Decoder::decode`]).
const ROLES: [Option<Role>; 3] = [Some(Role::Host), Some(Role::Widget), None];

// ---- The comparison ----

/// Decodes `text` for `role` with and without the fast path; `Err` describes how the two
/// results differ.
fn agree(decoder: &Decoder, role: Option<Role>, text: &str) -> Result<(), String> {
    let both = decode_both(decoder, role, text);
    let (fast, slow) = &both;
    let difference = difference(&both);
    match difference {
        None => Ok(()),
        Some(what) => Err(format!(
            "{what}, for {role:?} with {:?}:\n    input ({} bytes): {}\n    fast: {}\n    slow: {}",
            decoder.limits(),
            text.len(),
            abbreviate(text),
            abbreviate(&format!("{fast:?}")),
            abbreviate(&format!("{slow:?}"))
        )),
    }
}

/// [`agree`] for every role and every decoder.
fn agree_everywhere(decoders: &[Decoder], text: &str) -> Result<(), String> {
    for decoder in decoders {
        for role in ROLES {
            agree(decoder, role, text)?;
        }
    }
    Ok(())
}

/// Collects failures and panics with the first few at the end.
#[derive(Default)]
struct Failures {
    seen: Vec<String>,
    count: usize,
    checked: usize,
}

impl Failures {
    /// Records the result of checking the input `name`.
    fn check(&mut self, name: &str, result: Result<(), String>) {
        self.checked += 1;
        if let Err(e) = result {
            self.count += 1;
            if self.seen.len() < 5 {
                self.seen.push(format!("{name}: {e}"));
            }
        }
    }

    /// Panics when anything failed; otherwise checks that `at_least` inputs were checked.
    fn finish(self, at_least: usize) {
        assert!(
            self.count == 0,
            "{} of {} inputs decode differently on the fast path:\n{}",
            self.count,
            self.checked,
            self.seen.join("\n")
        );
        assert!(self.checked >= at_least, "only {} inputs checked: the test is nearly vacuous", self.checked);
    }
}

// ---- Limits around an input ----

/// What of `text` the limits measure, as written.
#[derive(Debug, Default)]
struct Stats {
    /// The deepest nesting of objects and arrays.
    depth: usize,
    /// The most members of one object or array.
    members: usize,
    /// The members of all objects and arrays (what the fast path counts).
    total: usize,
    /// The longest string or key, escapes as written.
    string: usize,
    /// The longest of `widgetId`, `requestId` and `action`, decoded (0 when not JSON).
    id: usize,
}

/// Measures `text` (any text: for one that is not JSON, roughly).
fn stats(text: &str) -> Stats {
    let bytes = text.as_bytes();
    let mut stats = Stats::default();
    // The open containers: (members, whether a member has started).
    let mut open: Vec<(usize, bool)> = Vec::new();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if !matches!(b, b'}' | b']' | b',' | b':' | b' ' | b'\n' | b'\t' | b'\r')
            && let Some((members, started)) = open.last_mut()
            && !*started
        {
            *started = true;
            *members = 1;
        }
        match b {
            b'{' | b'[' => {
                open.push((0, false));
                stats.depth = stats.depth.max(open.len());
            }
            b'}' | b']' => {
                if let Some((members, _)) = open.pop() {
                    stats.members = stats.members.max(members);
                    stats.total += members;
                }
            }
            b',' => {
                if let Some((members, _)) = open.last_mut() {
                    *members += 1;
                }
            }
            b'"' => {
                let start = i + 1;
                i = start;
                while let Some(&c) = bytes.get(i) {
                    match c {
                        b'"' => break,
                        b'\\' => i += 2,
                        _ => i += 1,
                    }
                }
                stats.string = stats.string.max(i.min(bytes.len()) - start);
            }
            _ => {}
        }
        i += 1;
    }
    for (members, _) in open {
        stats.members = stats.members.max(members);
        stats.total += members;
    }
    if let Ok(Value::Object(envelope)) = serde_json::from_str::<Value>(text) {
        let ids = ["widgetId", "requestId", "action"].iter().filter_map(|k| envelope.get(*k).and_then(Value::as_str));
        stats.id = ids.map(str::len).max().unwrap_or(0);
    }
    stats
}

/// The values that put a limit just below, at and just above `v`: the input is refused, the
/// fast path gives up on it, the fast path reads it (the limits scan refuses more than the
/// limit; the fast path gives up at the limit already).
fn around(v: usize) -> Vec<usize> {
    vec![v.saturating_sub(1), v, v + 1]
}

/// Each limit in turn placed around what `text` needs of it, the others the defaults: the
/// depth, the members of one container, the members of all (which the fast path counts),
/// the longest string, the size, the longest ID.
fn limits_around(text: &str) -> [Vec<Limits>; 6] {
    let s = stats(text);
    let d = Limits::DEFAULT;
    let each = |values: Vec<usize>, with: fn(Limits, usize) -> Limits| values.into_iter().map(|v| with(d, v)).collect();
    [
        each(around(s.depth), Limits::with_max_depth),
        each(around(s.members), Limits::with_max_elements),
        each(around(s.total), Limits::with_max_elements),
        // The fast path gives up on a string within two bytes of the limit (its quotes).
        each(vec![s.string.saturating_sub(1), s.string, s.string + 1, s.string + 2], Limits::with_max_string_bytes),
        each(around(text.len()), Limits::with_max_message_bytes),
        each(around(s.id), Limits::with_max_id_bytes),
    ]
}

/// Decoders with the default and tight limits and `more`, each set once.
fn decoders(more: impl IntoIterator<Item = Limits>) -> Vec<Decoder> {
    let mut unique: Vec<Limits> = vec![Limits::DEFAULT, TIGHT];
    for l in more {
        if !unique.contains(&l) {
            unique.push(l);
        }
    }
    unique.into_iter().map(Decoder::new).collect()
}

/// The default and tight limits, and each limit in turn placed around what `text` needs of
/// it.
fn decoders_around(text: &str) -> Vec<Decoder> {
    decoders(limits_around(text).into_iter().flatten())
}

/// Limits at which the fast path just reads `text` (each one step inside where it would give
/// up): what makes a mutation one step deeper, with one more member, a longer string or ID
/// cross a limit. The size limit leaves room for what a mutation inserts (the size limit is
/// crossed by the other tests).
fn snug(text: &str) -> Decoder {
    let s = stats(text);
    Decoder::new(
        Limits::DEFAULT
            .with_max_depth(s.depth + 1)
            .with_max_elements(s.total + 1)
            .with_max_string_bytes(s.string + 2)
            .with_max_message_bytes(text.len() + 32)
            .with_max_id_bytes(s.id.max(1)),
    )
}

// ---- 1. Fixtures and the hostile corpus ----

/// Every fixture, for every role, under the default and tight limits and with each limit
/// around what the fixture needs.
#[test]
fn fixtures_decode_alike_on_both_paths() {
    let mut failures = Failures::default();
    for fixture in fixture_files() {
        let decoders = decoders_around(&fixture.text);
        for decoder in &decoders {
            for role in ROLES {
                failures.check(&fixture.path(), agree(decoder, role, &fixture.text));
            }
        }
    }
    failures.finish(380 * 3 * 20);
}

/// Inputs larger than this are decoded under the default and tight limits and a size limit
/// one byte short of them only: each decode of them is slow in a debug build, and what they
/// are about (a huge array, a long string, deep nesting) sits at or over a default limit
/// already.
const LARGE: usize = 64 << 10;

/// Every case of the hostile corpus that is text (invalid UTF-8 never reaches either path),
/// for every role, under the default and tight limits and with each limit around what the
/// case needs of it.
#[test]
fn hostile_corpus_decodes_alike_on_both_paths() {
    let mut failures = Failures::default();
    let mut skipped = 0;
    for (theme, cases) in committed() {
        for case in cases {
            let Ok(text) = String::from_utf8(message_bytes(&case)) else {
                skipped += 1;
                continue;
            };
            let decoders = if text.len() > LARGE {
                decoders([Limits::DEFAULT.with_max_message_bytes(text.len() - 1)])
            } else {
                decoders_around(&text)
            };
            let name = format!("{theme}: {}", case.name);
            for decoder in &decoders {
                for role in ROLES {
                    failures.check(&name, agree(decoder, role, &text));
                }
            }
        }
    }
    assert!(skipped > 0, "the corpus has invalid UTF-8 cases: were they read?");
    failures.finish(1200 * 3 * 2);
}

/// A `send_event` request whose `data` is `data`.
fn send_event(data: &str) -> String {
    format!(r#"{{"api":"fromWidget","widgetId":"w","requestId":"r","action":"send_event","data":{data}}}"#)
}

/// Where the two readers could part ways: a payload the fast path's typed pass gives up on
/// and its raw pass reads (floats, 64-bit edges), key orders that keep `data` raw, escaped
/// envelope keys (a role-less reply whose `response` key is escaped is typed the other way
/// round), `"response": null`, structs written as arrays, enums as objects, repeated keys,
/// what serde_json refuses (control characters, leading zeros, trailing commas, a BOM,
/// non-breaking spaces), and IDs of other types. Each for every role, under the default and
/// tight limits and each limit around the input.
#[test]
fn hand_picked_inputs_decode_alike_on_both_paths() {
    let deep = |n: usize| send_event(&format!(r#"{{"type":"t","content":{{"a":{}1{}}}}}"#, "[".repeat(n), "]".repeat(n)));
    let inputs = [
        send_event(r#"{"type":"t","content":{},"delay":1000}"#),
        send_event(r#"{"type":"t","content":{},"delay":1000.0}"#),
        send_event(r#"{"type":"t","content":{},"delay":1e3}"#),
        send_event(r#"{"type":"t","content":{},"delay":-0}"#),
        send_event(r#"{"type":"t","content":{},"delay":-0.0}"#),
        send_event(r#"{"type":"t","content":{},"delay":01}"#),
        send_event(r#"{"type":"t","content":{},"delay":18446744073709551615}"#),
        send_event(r#"{"type":"t","content":{},"delay":18446744073709551616}"#),
        send_event(r#"{"type":"t","content":{},"delay":-9223372036854775808}"#),
        send_event(r#"{"type":"t","content":{},"delay":-9223372036854775809}"#),
        send_event(r#"{"type":"t","content":{"n":1.5,"m":-0,"big":18446744073709551616}}"#),
        send_event(r#"{"type":"t","type":"u","content":{}}"#),
        send_event(r#"{"type":"t","content":{"a":1,"a":2}}"#),
        send_event(r#"{"type":"t","content":{},}"#),
        send_event(r#"["t",{}]"#),
        send_event(r#"{"\u0074ype":"\u00e9\ud83d\ude00\/\b\f\n\r\t\"\\","content":{"\ud83d\ude00":"\uDBFF\uDFFF"}}"#),
        send_event(r#"{"type":"t","content":{"\ud800":1}}"#),
        send_event(r#"{"type":"t","content":{"a":"\udc00"}}"#),
        send_event(r#"{"type":"t","content":{"a":"\ud800\u0041"}}"#),
        send_event("{\"type\":\"a\u{1}b\",\"content\":{}}"),
        send_event("{\"type\":\"t\",\"content\":{\"a\":\"\u{7f}\"}}"),
        send_event("\r\n {\t\"type\" : \"t\" ,\n\"content\" : { } }\r\n"),
        send_event("{\"type\":\"t\",\u{a0}\"content\":{}}"),
        format!("\u{feff}{}", send_event(r#"{"type":"t","content":{}}"#)),
        format!("{} x", send_event(r#"{"type":"t","content":{}}"#)),
        format!("{}{{}}", send_event(r#"{"type":"t","content":{}}"#)),
        deep(60),
        deep(61),
        deep(62),
        deep(125),
        deep(126),
        deep(127),
        send_event("null"),
        send_event("[]"),
        r#"{"data":{"type":"t","content":{},"delay":1000.0},"api":"fromWidget","widgetId":"w","requestId":"r","action":"send_event"}"#
            .to_owned(),
        r#"{"api":"fromWidget","data":{"type":"t","content":{}},"widgetId":"w","requestId":"r","action":"send_event"}"#.to_owned(),
        r#"{"api":"fromWidget","widgetId":"w","requestId":"r","action":"send_event"}"#.to_owned(),
        // The head every known peer writes, which the fast path compares as text, and its
        // near misses.
        r#"{"api":"fromWidget","widgetId":"","requestId":"r","action":"send_event","data":{"type":"t","content":{}}}"#.to_owned(),
        r#"{"api":"fromWidget","widgetId":"w","requestId":"","action":"send_event","data":{"type":"t","content":{}}}"#.to_owned(),
        r#"{"api":"fromWidget","widgetId":"w","requestId":"r","action":"","data":{}}"#.to_owned(),
        r#"{"api":"fromWidget","widgetId":"w1","requestId":"r"","action":"send_event","data":{"type":"t","content":{}}}"#.to_owned(),
        "{\"api\":\"fromWidget\",\"widgetId\":\"w\u{1}\",\"requestId\":\"r\",\"action\":\"content_loaded\",\"data\":{}}".to_owned(),
        r#"{"api":"fromWidget","widgetId":"wé","requestId":"r😀","action":"content_loaded","data":{}}"#.to_owned(),
        r#"{"api":"fromWidget","widgetId":"w","requestId":"r","action":"send_event","data":{"type":"t","content":{}},"api":"toWidget"}"#.to_owned(),
        r#"{"api":"fromWidget","widgetId":"w","requestId":"r","action":"send_event","data":{"type":"t","content":{}},"data":{}}"#.to_owned(),
        r#"{"api":"fromWidget","widgetId":"w","requestId":"r","action":"send_event","data" : {"type":"t","content":{}} }"#.to_owned(),
        r#"{"api":"fromWidget","widgetId":"w","requestId":"r","action":"send_event","data"}"#.to_owned(),
        r#"{"api":"fromWidget","widgetId":"w","requestId":"r","action":"send_event","dataX":{},"data":{"type":"t","content":{}}}"#.to_owned(),
        r#"{"api":"fromWidget","widgetId":"w","requestId":"r","action":"io.element.join","data":{"a":1}}"#.to_owned(),
        r#"{"api":"fromWidget","widgetId":"w","requestId":"r","action":"capabilities","data":{}}"#.to_owned(),
        r#"{"api":"toWidget","widgetId":"w","requestId":"r","action":"capabilities","data":{}}"#.to_owned(),
        r#"{"api":"toWidget","widgetId":"w","requestId":"r","action":"capabilities","data":{},"response":{"capabilities":[]}}"#.to_owned(),
        r#"{"api":"fromWidget" ,"widgetId":"w","requestId":"r","action":"content_loaded","data":{}}"#.to_owned(),
        r#"{"api":"fromwidget","widgetId":"w","requestId":"r","action":"content_loaded","data":{}}"#.to_owned(),
        format!(r#"{{"api":"fromWidget","widgetId":"w","requestId":"{}","action":"content_loaded","data":{{}}}}"#, "r".repeat(300)),
        format!(r#"{{"api":"fromWidget","widgetId":"w","requestId":"r","action":"{}","data":{{}}}}"#, "a".repeat(300)),
        r#"{"\u0061pi":"fromWidget","\u0077idgetId":"\u0077","requestId":"\ud83d\ude00","action":"\u0073end_event","data":{"type":"t","content":{}}}"#
            .to_owned(),
        r#"{"api":"fromWidget","widgetId":"w","requestId":1,"action":"send_event","data":{"type":"t","content":{}}}"#.to_owned(),
        r#"{"api":"fromWidget","widgetId":"w","requestId":-0,"action":"send_event","data":{"type":"t","content":{}}}"#.to_owned(),
        r#"{"api":"fromWidget","widgetId":"w","requestId":"r","action":"send_event","data":{"type":"t","content":{}},"\u0072esponse":{"event_id":"$e"}}"#
            .to_owned(),
        r#"{"api":"fromWidget","widgetId":"w","requestId":"r","action":"send_event","data":{"type":"t","content":{}},"response":{"event_id":"$e","n":1.5}}"#
            .to_owned(),
        r#"{"api":"fromWidget","widgetId":"w","requestId":"r","action":"send_event","response":{"event_id":"$e"},"data":{"type":"t","content":{}}}"#
            .to_owned(),
        r#"{"api":"fromWidget","widgetId":"w","requestId":"r","action":"send_event","data":{"type":"t","content":{}},"response":null}"#.to_owned(),
        r#"{"api":"fromWidget","widgetId":"w","requestId":"r","action":"send_event","data":{"type":"t","content":{}},"response":{"error":{"message":"m"}}}"#
            .to_owned(),
        r#"{"api":"fromWidget","widgetId":"w","requestId":"r","action":"send_event","data":{"type":"t","content":{}},"response":[]}"#.to_owned(),
        r#"{"api":"fromWidget","widgetId":"w","requestId":"r","action":"update_delayed_event","data":{"delay_id":"d","action":"cancel"}}"#.to_owned(),
        r#"{"api":"fromWidget","widgetId":"w","requestId":"r","action":"update_delayed_event","data":{"delay_id":"d","action":{"cancel":null}}}"#
            .to_owned(),
        r#"{"api":"fromWidget","widgetId":"w","requestId":"r","action":"org.matrix.msc2876.read_events","data":{"type":"t","limit":9223372036854775808,"state_key":true,"room_ids":"*"}}"#
            .to_owned(),
        r#"{"api":"toWidget","widgetId":"w","requestId":"r","action":"capabilities","response":{"capabilities":["m.always_on_screen"]},"data":{}}"#
            .to_owned(),
        r#"{"api":"toWidget","widgetId":"w","requestId":"r","action":"capabilities","data":{},"response":null}"#.to_owned(),
        r#"{"api":"toWidget","widgetId":"w","requestId":"r","action":"io.element.x","data":{"a":[1.5,-0,{"b":null}]},"response":{"c":1e400}}"#
            .to_owned(),
        String::new(),
        "{}".to_owned(),
        "[]".to_owned(),
        "-0".to_owned(),
    ];
    let mut failures = Failures::default();
    for text in &inputs {
        let decoders = decoders_around(text);
        for decoder in &decoders {
            for role in ROLES {
                failures.check(text, agree(decoder, role, text));
            }
        }
    }
    failures.finish(inputs.len() * 3 * 10);
}

// ---- 2. Mutations of real messages ----

/// The fixtures mutated: requests and replies of both directions, typed fields of every kind
/// (integers with bounds, enums, string-or-list, raw `content`), error replies.
const MUTATED: &[&str] = &[
    "msc4157/widget-api-1.19/from_widget.send_event.request.delayed_state_event.json",
    "msc4157/widget-api-1.19/from_widget.update_delayed_event.request.restart.json",
    "msc4157/widget-api-1.19/from_widget.update_delayed_event.response.error_not_found.json",
    "msc4157/widget-api-1.19/to_widget.capabilities.response.delayed_caps.json",
    "actions/widget-api-1.19/from_widget.read_events.request.state_key_true_room_ids_any.json",
    "released-peers/from_widget.send_event.response.matrix_rust_sdk_scheduled.json",
    "released-peers/to_widget.send_to_device.request.matrix_sdk_0_18.json",
];

/// What replaces a byte, or is inserted, at each position of the stride.
const TOKENS: &[&str] = &["\"", "\\", "0", "-", ".", "e", "}", "]", ",", ":", "{", "[", " ", "\t", "n"];

/// What is inserted at each position of the stride besides [`TOKENS`]: escapes (inside a
/// string they are escapes, elsewhere they break the JSON) and numbers serde_json reads as
/// floats or that sit at the edges of 64 bits.
const INSERTED: &[&str] = &[
    "\\u00e9",
    "\\ud83d\\ude00",
    "\\ud800",
    "\\udc00",
    "\\u0000",
    "\\ud800\\u0041",
    "1.5",
    "-0",
    "18446744073709551616",
    "-9223372036854775809",
];

/// What replaces each scalar value: numbers at every edge serde_json and the fast path care
/// about, strings with escapes and surrogates, other types.
const VALUES: &[&str] = &[
    "0",
    "-0",
    "1",
    "-1",
    "1.5",
    "-0.0",
    "1000.0",
    "1e3",
    "1E+400",
    "9007199254740993",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "18446744073709551615",
    "18446744073709551616",
    "\"\"",
    "\"\\u00e9\\n\\\"\"",
    "\"\\ud83d\\ude00\"",
    "\"\\ud800\"",
    "\"\\udc00\"",
    "\"\\u0000\"",
    "null",
    "true",
    "[]",
    "{}",
    "[1,\"a\"]",
    "{\"a\":1,\"a\":2}",
];

/// Where the stride of replaced and inserted bytes steps (every position would take too long
/// in a debug build).
const STRIDE: usize = 4;

/// The scalar values of `text` (JSON): their spans, and whether each is an object's key.
fn scalars(text: &str) -> Vec<(usize, usize, bool)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let start = i;
        match b {
            b'"' => {
                i += 1;
                while let Some(&c) = bytes.get(i) {
                    match c {
                        b'"' => break,
                        b'\\' => i += 2,
                        _ => i += 1,
                    }
                }
                i += 1;
                let rest = text.get(i..).unwrap_or("").trim_start();
                out.push((start, i.min(bytes.len()), rest.starts_with(':')));
                continue;
            }
            b'-' | b'0'..=b'9' | b't' | b'f' | b'n' => {
                while bytes.get(i).is_some_and(|c| c.is_ascii_alphanumeric() || b"+-.".contains(c)) {
                    i += 1;
                }
                out.push((start, i, false));
                continue;
            }
            _ => i += 1,
        }
    }
    out
}

/// A string token with every character of its content written as a `\u` escape.
fn escaped_spelling(token: &str) -> Option<String> {
    let content: String = serde_json::from_str(token).ok()?;
    let mut out = String::from("\"");
    for unit in content.encode_utf16() {
        out.push_str(&format!("\\u{unit:04x}"));
    }
    out.push('"');
    Some(out)
}

/// The mutations of `text`, deterministic.
fn mutations(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let boundaries: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
    // Every truncation.
    out.extend(boundaries.iter().map(|&i| text[..i].to_owned()));
    // At a stride: a byte replaced, a token inserted.
    for &i in boundaries.iter().filter(|&&i| i % STRIDE == 0) {
        let next = boundaries.iter().copied().find(|&j| j > i);
        for token in TOKENS.iter().chain(INSERTED) {
            out.push(format!("{}{token}{}", &text[..i], &text[i..]));
            if let Some(next) = next
                && INSERTED.iter().all(|t| t != token)
            {
                out.push(format!("{}{token}{}", &text[..i], &text[next..]));
            }
        }
    }
    // Every scalar value replaced; every string, key or value, written with escapes.
    for (start, end, key) in scalars(text) {
        let (before, token, after) = (&text[..start], &text[start..end], &text[end..]);
        if !key {
            out.extend(VALUES.iter().map(|v| format!("{before}{v}{after}")));
        }
        if let Some(escaped) = escaped_spelling(token) {
            out.push(format!("{before}{escaped}{after}"));
        }
    }
    out
}

/// Deterministic mutations of a sample of real messages, for every role, under the default
/// limits and limits snug around the original message (the tight limits are below what most
/// of the sample needs: the fast path would give up on nearly every mutation).
#[test]
fn mutated_messages_decode_alike_on_both_paths() {
    let mut failures = Failures::default();
    for &path in MUTATED {
        let fixture = fixture_files().iter().find(|f| f.path() == path).unwrap_or_else(|| panic!("no fixture {path}"));
        let decoders = [Decoder::DEFAULT, snug(&fixture.text)];
        for text in mutations(&fixture.text) {
            failures.check(path, agree_everywhere(&decoders, &text));
        }
    }
    failures.finish(MUTATED.len() * 1000);
}

// ---- 3. Generated envelopes ----

/// A JSON value as written: numbers and strings keep their text (escapes, `-0`, `1e3`), and
/// objects may repeat a key.
#[derive(Clone, Debug)]
enum Json {
    /// `null`, `true` or `false`.
    Literal(&'static str),
    /// A number, as written.
    Number(String),
    /// A string's content, as written (escapes included).
    String(String),
    /// Elements in order.
    Array(Vec<Json>),
    /// Members in order, keys as written.
    Object(Vec<(String, Json)>),
}

/// White space between tokens, picked in turn from a pattern.
struct Spaces<'a> {
    pattern: &'a [usize],
    next: usize,
}

/// The white space [`Spaces`] picks from; compact JSON most often.
const SPACES: &[&str] = &["", "", "", " ", "\n", "\t", "\r\n  "];

impl Spaces<'_> {
    /// The next white space of the pattern (none without a pattern).
    fn take(&mut self) -> &'static str {
        if self.pattern.is_empty() {
            return "";
        }
        let i = self.pattern[self.next % self.pattern.len()];
        self.next += 1;
        SPACES[i % SPACES.len()]
    }
}

impl Json {
    /// Writes the value, with white space from `ws` between its tokens.
    fn render(&self, out: &mut String, ws: &mut Spaces<'_>) {
        match self {
            Json::Literal(s) => out.push_str(s),
            Json::Number(s) => out.push_str(s),
            Json::String(s) => {
                out.push('"');
                out.push_str(s);
                out.push('"');
            }
            Json::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(ws.take());
                    item.render(out, ws);
                    out.push_str(ws.take());
                }
                out.push(']');
            }
            Json::Object(members) => {
                out.push('{');
                for (i, (key, value)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(ws.take());
                    out.push('"');
                    out.push_str(key);
                    out.push('"');
                    out.push_str(ws.take());
                    out.push(':');
                    out.push_str(ws.take());
                    value.render(out, ws);
                    out.push_str(ws.take());
                }
                out.push('}');
            }
        }
    }

    /// A value read from a fixture, strings and numbers written as serde_json writes them.
    fn from_value(value: &Value) -> Json {
        let string = |s: &str| {
            let quoted = serde_json::to_string(s).expect("a string serialises");
            quoted[1..quoted.len() - 1].to_owned()
        };
        match value {
            Value::Null => Json::Literal("null"),
            Value::Bool(true) => Json::Literal("true"),
            Value::Bool(false) => Json::Literal("false"),
            Value::Number(n) => Json::Number(n.to_string()),
            Value::String(s) => Json::String(string(s)),
            Value::Array(items) => Json::Array(items.iter().map(Json::from_value).collect()),
            Value::Object(map) => Json::Object(map.iter().map(|(k, v)| (string(k), Json::from_value(v))).collect()),
        }
    }

    /// How many values this one holds, itself included.
    fn size(&self) -> usize {
        1 + match self {
            Json::Array(items) => items.iter().map(Json::size).sum(),
            Json::Object(members) => members.iter().map(|(_, v)| v.size()).sum(),
            _ => 0,
        }
    }

    /// The `n`th value in pre-order (0 is this one).
    fn nth(&mut self, n: usize) -> Option<&mut Json> {
        if n == 0 {
            return Some(self);
        }
        let mut n = n - 1;
        let children: Vec<&mut Json> = match self {
            Json::Array(items) => items.iter_mut().collect(),
            Json::Object(members) => members.iter_mut().map(|(_, v)| v).collect(),
            _ => return None,
        };
        for child in children {
            let size = child.size();
            if n < size {
                return child.nth(n);
            }
            n -= size;
        }
        None
    }
}

/// A number: small ones, the edges of 53, 63 and 64 bits, `-0`, floats (integral ones too,
/// which bounded integers accept), one beyond `f64`.
fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => any::<i16>().prop_map(|n| n.to_string()),
        1 => any::<u64>().prop_map(|n| n.to_string()),
        1 => any::<i64>().prop_map(|n| n.to_string()),
        3 => prop::sample::select(vec![
            "0", "-0", "1", "-1", "9007199254740991", "9007199254740993", "9223372036854775807", "9223372036854775808",
            "-9223372036854775808", "-9223372036854775809", "18446744073709551615", "18446744073709551616",
            "-18446744073709551616", "100000000000000000000000", "1.5", "-0.0", "0.0", "1000.0", "1e3", "1E+3", "2.5e-3",
            "-1.0", "1e400", "123456789.000000001",
        ])
        .prop_map(str::to_owned),
    ]
}

/// A string's content as written: plain text, non-ASCII, every escape, surrogate pairs and
/// (less often) lone surrogates.
fn string() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        6 => "[a-z0-9_.:@!$#*]{1,8}",
        2 => prop::sample::select(vec!["é", "😀", "ü", " ", "\u{7f}", "\u{fdd0}"]).prop_map(str::to_owned),
        3 => prop::sample::select(vec![
            "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t", "\\u00e9", "\\u0041", "\\u0000", "\\u001f", "\\uffff",
            "\\ud83d\\ude00", "\\uD83D\\uDE00", "\\udbff\\udfff",
        ])
        .prop_map(str::to_owned),
        1 => prop::sample::select(vec!["\\ud800", "\\udc00", "\\ud800\\u0041", "\\udfff\\ud800", "\\uDBFF"]).prop_map(str::to_owned),
    ];
    prop::collection::vec(piece, 0..4).prop_map(|pieces| pieces.concat())
}

/// A key: a few names (so that objects repeat them), the fields of real payloads, escaped
/// spellings, the empty key.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec![
            "a", "b", "type", "content", "state_key", "delay", "delay_id", "action", "limit", "room_ids", "error", "message",
            "capabilities", "body", "encrypted", "data", "api", "",
        ])
        .prop_map(str::to_owned),
        1 => prop::sample::select(vec!["\\u0061", "\\u0074ype", "typ\\u0065", "\\u0064elay", "\\ud83d\\ude00"]).prop_map(str::to_owned),
        1 => string(),
    ]
}

/// Any JSON value, nested a few levels.
fn json() -> impl Strategy<Value = Json> {
    let leaf = prop_oneof![
        1 => prop::sample::select(vec!["null", "true", "false"]).prop_map(Json::Literal),
        3 => number().prop_map(Json::Number),
        3 => string().prop_map(Json::String),
    ];
    leaf.prop_recursive(4, 24, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Json::Array),
            prop::collection::vec((key(), inner), 0..5).prop_map(Json::Object),
        ]
    })
}

/// A JSON object.
fn object() -> impl Strategy<Value = Json> {
    prop::collection::vec((key(), json()), 0..5).prop_map(Json::Object)
}

/// Every spelling of every action, and vendor, near-miss and empty names.
fn action_names() -> &'static [String] {
    static CELL: OnceLock<Vec<String>> = OnceLock::new();
    CELL.get_or_init(|| {
        let mut names: BTreeSet<String> = ActionName::NAMES.iter().flat_map(NameSpec::spellings).map(str::to_owned).collect();
        names.extend(["io.element.join", "org.example.x", "", "send_event ", "Send_Event", "capabilities\\u0000"].map(str::to_owned));
        names.into_iter().collect()
    })
}

/// The payloads of a fixture, as values to vary.
struct Payloads {
    /// `api`, as written.
    api: String,
    /// `action`, parsed.
    action: ActionName,
    data: Json,
    response: Option<Json>,
}

impl Payloads {
    /// `response` when asked for and there is one, otherwise `data`.
    fn pick(&self, response: bool) -> &Json {
        match (&self.response, response) {
            (Some(r), true) => r,
            _ => &self.data,
        }
    }
}

/// The payloads of every fixture that is an envelope.
fn payloads() -> &'static [Payloads] {
    static CELL: OnceLock<Vec<Payloads>> = OnceLock::new();
    CELL.get_or_init(|| {
        fixture_files()
            .iter()
            .filter_map(|f| {
                let value: Value = serde_json::from_str(&f.text).ok()?;
                let api = value.get("api")?.as_str()?.to_owned();
                let action = value.get("action")?.as_str()?.parse::<ActionName>().ok()?;
                let data = Json::from_value(value.get("data")?);
                let response = value.get("response").map(Json::from_value);
                Some(Payloads { api, action, data, response })
            })
            .collect()
    })
}

/// One change to a payload taken from a fixture.
#[derive(Clone, Debug)]
enum Edit {
    /// The value at this pre-order position replaced.
    Replace(Index, Json),
    /// A member added to the object at this position (or the nearest one after it), possibly
    /// repeating a key.
    Add(Index, String, Json),
    /// The object at this position (or the nearest one after it) has a member repeated.
    Repeat(Index, Index),
}

/// An [`Edit`], replacements most often.
fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        3 => (any::<Index>(), json()).prop_map(|(i, v)| Edit::Replace(i, v)),
        2 => (any::<Index>(), key(), json()).prop_map(|(i, k, v)| Edit::Add(i, k, v)),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(i, j)| Edit::Repeat(i, j)),
    ]
}

/// The first object at or after pre-order position `at` (cyclically).
fn object_at(value: &mut Json, at: usize) -> Option<&mut Vec<(String, Json)>> {
    let size = value.size();
    let n = (0..size).map(|k| (at + k) % size).find(|&n| matches!(value.nth(n), Some(Json::Object(_))))?;
    match value.nth(n) {
        Some(Json::Object(members)) => Some(members),
        _ => None,
    }
}

/// Applies `edits` in order (an edit with no object to apply to does nothing).
fn apply(value: &mut Json, edits: &[Edit]) {
    for edit in edits {
        match edit {
            Edit::Replace(i, new) => {
                let n = i.index(value.size());
                if let Some(slot) = value.nth(n) {
                    *slot = new.clone();
                }
            }
            Edit::Add(i, key, new) => {
                let at = i.index(value.size());
                if let Some(members) = object_at(value, at) {
                    members.push((key.clone(), new.clone()));
                }
            }
            Edit::Repeat(i, j) => {
                let at = i.index(value.size());
                if let Some(members) = object_at(value, at)
                    && !members.is_empty()
                {
                    let member = members[j.index(members.len())].clone();
                    members.push(member);
                }
            }
        }
    }
}

/// A payload: usually one from the fixtures for this action and api (with edits, or as it
/// is), otherwise generated.
#[derive(Clone, Debug)]
enum Payload {
    /// One of the fixtures' payloads (of this action and api when there are some), edited.
    Fixture(Index, Vec<Edit>),
    /// A generated value.
    Generated(Json),
}

/// A [`Payload`], from the fixtures most often.
fn payload() -> impl Strategy<Value = Payload> {
    prop_oneof![
        4 => (any::<Index>(), prop::collection::vec(edit(), 0..3)).prop_map(|(i, e)| Payload::Fixture(i, e)),
        1 => object().prop_map(Payload::Generated),
        1 => json().prop_map(Payload::Generated),
    ]
}

/// What a generated envelope is made of.
#[derive(Clone, Debug)]
struct Envelope {
    from_widget: bool,
    /// Another `api` value instead (rarely).
    api: Option<Json>,
    widget_id: Json,
    request_id: Json,
    action: Index,
    /// The action written with its first character escaped.
    escaped_action: bool,
    data: Option<Payload>,
    /// `None`: no `response`; `Some(None)`: `"response": null`.
    response: Option<Option<Payload>>,
    /// Unknown or repeated top-level members.
    extra: Vec<(String, Json)>,
    /// Keys of the envelope written with an escape.
    escaped_keys: bool,
    /// `None`: the usual order (api, widgetId, requestId, action, data, response, extra).
    order: Option<Vec<Index>>,
    spaces: Vec<usize>,
}

/// A `widgetId` or `requestId`: a plain ID most often, else any string or any value.
fn id() -> impl Strategy<Value = Json> {
    prop_oneof![
        8 => "[a-z0-9_-]{1,12}".prop_map(Json::String),
        1 => string().prop_map(Json::String),
        1 => json(),
    ]
}

/// An [`Envelope`]: the usual api values, data and response or not, sometimes unknown or
/// repeated members, escaped keys, another key order, white space.
fn envelope() -> impl Strategy<Value = Envelope> {
    let api = prop_oneof![
        12 => Just(None),
        1 => prop_oneof![
            Just(Json::String("both".to_owned())),
            Just(Json::String("toWidget ".to_owned())),
            Just(Json::String("\\u0074oWidget".to_owned())),
            json(),
        ]
        .prop_map(Some),
    ];
    let response = prop_oneof![
        3 => Just(None),
        1 => Just(Some(None)),
        3 => payload().prop_map(|p| Some(Some(p))),
        1 => string().prop_map(|m| Some(Some(Payload::Generated(Json::Object(vec![(
            "error".to_owned(),
            Json::Object(vec![("message".to_owned(), Json::String(m))]),
        )]))))),
    ];
    let extra = prop::collection::vec(
        (
            prop_oneof![
                3 => "[a-zA-Z_]{1,8}",
                1 => prop::sample::select(vec!["api", "widgetId", "requestId", "action", "data", "response", "\\u0061pi"])
                    .prop_map(str::to_owned),
            ],
            json(),
        ),
        0..3,
    );
    let order = prop_oneof![Just(None), prop::collection::vec(any::<Index>(), 9).prop_map(Some)];
    let spaces = prop_oneof![Just(Vec::new()), prop::collection::vec(0..SPACES.len(), 1..6)];
    (
        (any::<bool>(), api, id(), id(), any::<Index>(), prop::bool::weighted(0.1)),
        (prop::option::weighted(0.95, payload()), response, prop::option::weighted(0.2, extra), prop::bool::weighted(0.05)),
        (order, spaces),
    )
        .prop_map(
            |(
                (from_widget, api, widget_id, request_id, action, escaped_action),
                (data, response, extra, escaped_keys),
                (order, spaces),
            )| {
                Envelope {
                    from_widget,
                    api,
                    widget_id,
                    request_id,
                    action,
                    escaped_action,
                    data,
                    response,
                    extra: extra.unwrap_or_default(),
                    escaped_keys,
                    order,
                    spaces,
                }
            },
        )
}

impl Envelope {
    /// The message text.
    fn render(&self) -> String {
        let names = action_names();
        let action = &names[self.action.index(names.len())];
        let api = if self.from_widget { "fromWidget" } else { "toWidget" };
        let parsed = action.parse::<ActionName>().ok();
        // A payload of this action and api from the fixtures, `response` or `data`.
        let payload = |p: &Payload, response: bool| -> Json {
            match p {
                Payload::Generated(json) => json.clone(),
                Payload::Fixture(i, edits) => {
                    let all = payloads();
                    let same: Vec<&Json> = all
                        .iter()
                        .filter(|p| p.api == api && Some(&p.action) == parsed.as_ref() && (!response || p.response.is_some()))
                        .map(|p| p.pick(response))
                        .collect();
                    let pool: Vec<&Json> = if same.is_empty() { all.iter().map(|p| p.pick(response)).collect() } else { same };
                    let mut value = pool[i.index(pool.len())].clone();
                    apply(&mut value, edits);
                    value
                }
            }
        };
        let key = |k: &str| -> String {
            if self.escaped_keys { format!("\\u{:04x}{}", u32::from(k.as_bytes()[0]), &k[1..]) } else { k.to_owned() }
        };
        let action_text = match (self.escaped_action, action.as_bytes().first()) {
            (true, Some(&first)) => format!("\\u{:04x}{}", u32::from(first), &action[1..]),
            _ => action.clone(),
        };
        let mut members: Vec<(String, Json)> = vec![
            (key("api"), self.api.clone().unwrap_or_else(|| Json::String(api.to_owned()))),
            (key("widgetId"), self.widget_id.clone()),
            (key("requestId"), self.request_id.clone()),
            (key("action"), Json::String(action_text)),
        ];
        if let Some(data) = &self.data {
            members.push((key("data"), payload(data, false)));
        }
        match &self.response {
            None => {}
            Some(None) => members.push((key("response"), Json::Literal("null"))),
            Some(Some(response)) => members.push((key("response"), payload(response, true))),
        }
        members.extend(self.extra.iter().cloned());
        if let Some(order) = &self.order {
            // A random permutation: each member swapped with one of those after it.
            for (i, swap) in order.iter().enumerate().take(members.len()) {
                let j = i + swap.index(members.len() - i);
                members.swap(i, j);
            }
        }
        let mut ws = Spaces { pattern: &self.spaces, next: 0 };
        let mut out = String::from(ws.take());
        Json::Object(members).render(&mut out, &mut ws);
        out.push_str(ws.take());
        out
    }
}

/// Generated envelopes, for every role, under the default limits, the tight ones and one
/// limit (picked by the case) placed around what the message needs of it.
#[test]
fn generated_envelopes_decode_alike_on_both_paths() {
    let (tried, decoded) = (Cell::new(0u32), Cell::new(0u32));
    let config = Config { cases: 2000, source_file: Some(file!()), ..Config::default() };
    let mut runner = TestRunner::new(contextualize_config(config));
    let result = runner.run(&(envelope(), 0..6usize), |(envelope, limit)| {
        let text = envelope.render();
        tried.set(tried.get() + 1);
        if ROLES.iter().any(|&role| match role {
            Some(role) => Decoder::DEFAULT.decode_as(role, &text).is_ok(),
            None => Decoder::DEFAULT.decode(&text).is_ok(),
        }) {
            decoded.set(decoded.get() + 1);
        }
        agree_everywhere(&decoders(limits_around(&text)[limit].clone()), &text).map_err(TestCaseError::fail)
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    // A test whose messages never decode would only compare errors.
    let (tried, decoded) = (tried.get(), decoded.get());
    assert!(tried < 100 || decoded * 4 >= tried, "only {decoded} of {tried} generated messages decode: the test is nearly vacuous");
}
