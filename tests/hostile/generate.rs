//! The generator of the hostile-input corpus, `tests/hostile/<theme>.jsonl` (see the README
//! next to this file). Every expectation here is written from the documented rules of the
//! crate (its module docs and the wire decisions), never read back from the decoder: the
//! corpus test checks the decoder against them.
//!
//! `cargo xtask hostile` rewrites the files from this generator (the xtask includes this
//! file); `cargo xtask hostile --check` and the test `hostile_corpus::corpus_is_current` fail
//! when the committed files differ from what it generates. It needs only `serde_json` and the
//! library, so that both the xtask and the test package can compile it.

use serde_json::{Value, json};
use std::fmt::Write as _;
use std::path::Path;

/// 2^53 − 1, the largest integer most fields accept.
const MAX: u64 = (1 << 53) - 1;

/// What decoding a case gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `DecodeError::Malformed`: not a widget API message.
    Malformed,
    /// `DecodeError::Invalid`: a valid envelope with a bad payload.
    Invalid,
    /// `DecodeError::Refused`: over a limit, or a lone surrogate.
    Refused,
    /// It decodes.
    Ok,
}

/// Who receives the message: the role whose decoder applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Receiver {
    /// `decode_host`: fromWidget requests and toWidget replies.
    Host,
    /// `decode_widget`: toWidget requests and fromWidget replies.
    Widget,
}

/// How a decoded message re-encodes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Reencode {
    /// To the input's exact bytes, in both namings.
    Exact,
    /// To the input's JSON value, in both namings.
    Value,
}

/// Replaces the marker `at` in the input with `repeat` written `times` times, for inputs too
/// large to commit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Expand {
    pub(crate) at: String,
    pub(crate) repeat: String,
    pub(crate) times: usize,
}

/// One line of a corpus file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Case {
    pub(crate) name: String,
    pub(crate) input: Option<String>,
    pub(crate) input_base64: Option<String>,
    pub(crate) expand: Vec<Expand>,
    pub(crate) to: Option<Receiver>,
    pub(crate) kind: Kind,
    pub(crate) request_id: Option<String>,
    pub(crate) reply: bool,
    pub(crate) error_contains: Option<String>,
    pub(crate) reencode: Option<Reencode>,
    /// A library bug this case shows: the case is expected to fail its checks until the
    /// bug is fixed (the corpus test then says to remove this note).
    pub(crate) bug: Option<String>,
}

impl Case {
    fn new(name: impl Into<String>, input: impl Into<String>, kind: Kind, request_id: Option<&str>, reply: bool) -> Self {
        Case {
            name: name.into(),
            input: Some(input.into()),
            input_base64: None,
            expand: Vec::new(),
            to: None,
            kind,
            request_id: request_id.map(str::to_owned),
            reply,
            error_contains: None,
            reencode: None,
            bug: None,
        }
    }

    fn bytes(name: impl Into<String>, bytes: &[u8]) -> Self {
        Case { input: None, input_base64: Some(base64_encode(bytes)), ..Case::new(name, "", Kind::Malformed, None, false) }
    }

    fn to(self, to: Receiver) -> Self {
        Case { to: Some(to), ..self }
    }

    fn contains(self, needle: impl Into<String>) -> Self {
        Case { error_contains: Some(needle.into()), ..self }
    }

    fn reencode(self, reencode: Reencode) -> Self {
        Case { reencode: Some(reencode), ..self }
    }

    fn expand(mut self, at: &str, repeat: &str, times: usize) -> Self {
        self.expand.push(Expand { at: at.to_owned(), repeat: repeat.to_owned(), times });
        self
    }

    /// Marks a case as showing a known library bug (none today: the seven this corpus found
    /// are fixed); kept for the next one.
    #[expect(dead_code, reason = "no case shows a known bug today")]
    fn bug(self, bug: &str) -> Self {
        Case { bug: Some(bug.to_owned()), ..self }
    }

    fn request_id(self, request_id: Option<&str>, reply: bool) -> Self {
        Case { request_id: request_id.map(str::to_owned), reply, ..self }
    }
}

// ---- Shorthands ----

const RID: &str = "r1";
use Receiver::{Host, Widget};

/// A request: `{"api","widgetId":"w1","requestId":"r1","action","data"}`.
fn request(api: &str, action: &str, data: &str) -> String {
    format!(r#"{{"api":"{api}","widgetId":"w1","requestId":"r1","action":"{action}","data":{data}}}"#)
}

/// A reply echoing `data: {}`.
fn reply(api: &str, action: &str, response: &str) -> String {
    format!(r#"{{"api":"{api}","widgetId":"w1","requestId":"r1","action":"{action}","data":{{}},"response":{response}}}"#)
}

fn from(action: &str, data: &str) -> String {
    request("fromWidget", action, data)
}

fn send_event(data: &str) -> String {
    from("send_event", data)
}

fn receiver(api: &str, response: bool) -> Receiver {
    match (api == "fromWidget", response) {
        (true, false) | (false, true) => Host,
        _ => Widget,
    }
}

fn ok(name: impl Into<String>, input: impl Into<String>, to: Receiver) -> Case {
    Case::new(name, input, Kind::Ok, Some(RID), false).to(to)
}

fn bad_request(name: impl Into<String>, input: impl Into<String>, to: Receiver, needle: &str) -> Case {
    Case::new(name, input, Kind::Invalid, Some(RID), true).to(to).contains(needle)
}

fn bad_reply(name: impl Into<String>, input: impl Into<String>, to: Receiver, needle: &str) -> Case {
    Case::new(name, input, Kind::Invalid, Some(RID), false).to(to).contains(needle)
}

fn malformed(name: impl Into<String>, input: impl Into<String>) -> Case {
    Case::new(name, input, Kind::Malformed, None, false)
}

/// Refused with the envelope readable: answerable for a request.
fn refused(name: impl Into<String>, input: impl Into<String>, needle: &str) -> Case {
    Case::new(name, input, Kind::Refused, Some(RID), true).contains(needle)
}

// ---- The payloads every action carries, and their fields ----

/// What a field holds, for choosing wrong values.
#[derive(Clone, Copy)]
enum Ty {
    Str,
    /// A name of an open set (any string).
    Open,
    /// A name of a closed set: an unknown string is wrong too.
    Closed,
    Obj,
    Bool,
    StrArr,
    ObjArr,
    /// An object of objects or arrays keyed by IDs.
    Map,
    /// Any JSON value but `null`.
    Transferable,
    Int {
        min: u64,
        max: u64,
    },
    /// A field with its own wrong values.
    Custom(&'static [&'static str]),
}

impl Ty {
    /// Wrong non-null values, as JSON text.
    fn wrong(self) -> &'static [&'static str] {
        match self {
            Ty::Str => &["1"],
            Ty::Open => &["[]"],
            Ty::Closed => &["1", r#""nonsense""#],
            Ty::Obj => &[r#""x""#, "[]"],
            Ty::Bool => &[r#""true""#],
            Ty::StrArr => &[r#""x""#, "[1]"],
            Ty::ObjArr => &["{}", r#"["x"]"#],
            Ty::Map => &[r#""x""#, "[]"],
            Ty::Transferable | Ty::Int { .. } => &[],
            Ty::Custom(values) => values,
        }
    }
}

/// A field: its path in the payload (`/`-separated; numbers index arrays), what it holds,
/// and whether it is required.
struct Field {
    path: &'static str,
    ty: Ty,
    required: bool,
    /// An entry of a map keyed by IDs: `null` is wrong, but it may be left out.
    entry: bool,
    /// What the error names, when it is not the field's path.
    needle: Option<&'static str>,
}

const fn req(path: &'static str, ty: Ty) -> Field {
    Field { path, ty, required: true, entry: false, needle: None }
}

const fn opt(path: &'static str, ty: Ty) -> Field {
    Field { path, ty, required: false, entry: false, needle: None }
}

/// A map entry; its errors name the map and the entry's key (`` `messages`: user ID `@u:b` ``).
const fn entry(path: &'static str, ty: Ty, needle: &'static str) -> Field {
    Field { path, ty, required: true, entry: true, needle: Some(needle) }
}

const INT: Ty = Ty::Int { min: 0, max: MAX };

/// One payload: a request's `data` or a reply's `response`, valid as given.
struct Payload {
    api: &'static str,
    action: &'static str,
    response: bool,
    /// Distinguishes two payloads of one action in case names.
    variant: &'static str,
    base: Value,
    fields: Vec<Field>,
}

impl Payload {
    fn label(&self) -> String {
        let api = if self.api == "fromWidget" { "from_widget" } else { "to_widget" };
        let kind = if self.response { "response" } else { "request" };
        format!("{api}.{}.{kind}{}", self.action, self.variant)
    }

    fn to(&self) -> Receiver {
        receiver(self.api, self.response)
    }

    fn message(&self, payload: &str) -> String {
        if self.response { reply(self.api, self.action, payload) } else { request(self.api, self.action, payload) }
    }

    /// The field as the error message names it: `content.info.h`, `response.events.type`.
    fn error_path(&self, path: &str) -> String {
        let dotted: Vec<&str> = path.split('/').filter(|s| s.parse::<usize>().is_err()).collect();
        let prefix = if self.response { "response." } else { "" };
        format!("`{prefix}{}", dotted.join("."))
    }

    /// What an error about `field` names.
    fn needle(&self, field: &Field) -> String {
        match field.needle {
            Some(needle) => needle.to_owned(),
            None => self.error_path(field.path),
        }
    }

    /// A case that expects this payload to be invalid, naming `needle`.
    fn invalid(&self, name: String, text: String, needle: &str) -> Case {
        if self.response { bad_reply(name, text, self.to(), needle) } else { bad_request(name, text, self.to(), needle) }
    }

    fn with(&self, path: &str, value_json: &str) -> String {
        let mut value = self.base.clone();
        set(&mut value, path, Value::String(MARK.to_owned()));
        let text = value.to_string().replacen(&format!("\"{MARK}\""), value_json, 1);
        self.message(&text)
    }

    fn without(&self, path: &str) -> String {
        let mut value = self.base.clone();
        remove(&mut value, path);
        self.message(&value.to_string())
    }
}

const MARK: &str = "@@VALUE@@";

fn slot<'v>(value: &'v mut Value, path: &str) -> (&'v mut Value, String) {
    let mut parts: Vec<&str> = path.split('/').collect();
    let last = parts.pop().expect("a path").to_owned();
    let mut at = value;
    for part in parts {
        at = match part.parse::<usize>() {
            Ok(i) => &mut at[i],
            Err(_) => &mut at[part],
        };
    }
    (at, last)
}

fn set(value: &mut Value, path: &str, new: Value) {
    let (parent, last) = slot(value, path);
    match last.parse::<usize>() {
        Ok(i) => parent[i] = new,
        Err(_) => parent[last.as_str()] = new,
    }
}

fn remove(value: &mut Value, path: &str) {
    let (parent, last) = slot(value, path);
    match parent {
        Value::Object(map) => {
            map.remove(&last);
        }
        Value::Array(items) => {
            items.remove(last.parse::<usize>().expect("an index"));
        }
        _ => panic!("{path}: not in a container"),
    }
}

fn encrypted_file() -> Value {
    json!({"url": "mxc://a/b", "key": {"kty": "oct", "key_ops": ["encrypt", "decrypt"], "alg": "A256CTR", "k": "k", "ext": true},
        "iv": "iv", "hashes": {"sha256": "h"}, "v": "v2"})
}

fn room_event() -> Value {
    json!({"type": "m.room.topic", "sender": "@a:b", "event_id": "$e", "room_id": "!r:b", "state_key": "", "origin_server_ts": 1,
        "content": {"topic": "t"}, "unsigned": {}, "sticky": {"duration_ms": 1}, "msc4354_sticky": {"duration_ms": 1}})
}

fn p(api: &'static str, action: &'static str, response: bool, base: Value, fields: Vec<Field>) -> Payload {
    Payload { api, action, response, variant: "", base, fields }
}

const FW: &str = "fromWidget";
const TW: &str = "toWidget";

/// Every typed payload with fields, valid as given, and its fields.
fn payloads() -> Vec<Payload> {
    let sticky = Payload {
        variant: "(sticky)",
        ..p(
            FW,
            "send_event",
            false,
            json!({"type": "t", "content": {}, "sticky_duration_ms": 10}),
            vec![opt("sticky_duration_ms", Ty::Int { min: 0, max: 3_600_000 })],
        )
    };
    let delayed_reply = Payload {
        variant: "(delayed)",
        ..p(FW, "send_event", true, json!({"room_id": "!r:b", "delay_id": "d"}), vec![opt("room_id", Ty::Str), req("delay_id", Ty::Str)])
    };
    let error_reply = Payload {
        variant: "(error)",
        ..p(
            FW,
            "send_event",
            true,
            json!({"error": {"message": "m", "matrix_api_error": {"http_status": 400, "http_headers": {"a": "b"}, "url": "u",
                "response": {"errcode": "M_X", "error": "e"}}}}),
            vec![
                opt("error/matrix_api_error", Ty::Obj),
                req("error/matrix_api_error/http_status", Ty::Int { min: 0, max: 65_535 }),
                opt("error/matrix_api_error/http_headers", Ty::Obj),
                opt("error/matrix_api_error/url", Ty::Str),
                req("error/matrix_api_error/response", Ty::Obj),
                req("error/matrix_api_error/response/errcode", Ty::Str),
            ],
        )
    };
    let event_fields = |prefix: &'static str| -> Vec<Field> {
        let f =
            |path: &'static str, ty, required| Field { path: leak(format!("{prefix}{path}")), ty, required, entry: false, needle: None };
        vec![
            f("type", Ty::Str, true),
            f("sender", Ty::Str, true),
            f("event_id", Ty::Str, true),
            f("room_id", Ty::Str, true),
            f("state_key", Ty::Str, false),
            f("origin_server_ts", INT, true),
            f("content", Ty::Obj, true),
            f("unsigned", Ty::Obj, false),
            f("sticky", Ty::Obj, false),
            f("sticky/duration_ms", INT, true),
            f("msc4354_sticky", Ty::Obj, false),
            f("msc4354_sticky/duration_ms", INT, true),
        ]
    };
    vec![
        // ---- fromWidget requests ----
        p(
            FW,
            "m.sticker",
            false,
            json!({"name": "n", "description": "d", "content": {"url": "mxc://a/b", "info": {"h": 1, "w": 1, "mimetype": "image/png",
                "size": 1, "thumbnail_info": {"h": 1, "w": 1, "mimetype": "image/png", "size": 1}, "thumbnail_url": "mxc://a/t"}}}),
            vec![
                req("name", Ty::Str),
                opt("description", Ty::Str),
                req("content", Ty::Obj),
                req("content/url", Ty::Str),
                opt("content/info", Ty::Obj),
                opt("content/info/h", INT),
                opt("content/info/w", INT),
                opt("content/info/mimetype", Ty::Str),
                opt("content/info/size", INT),
                opt("content/info/thumbnail_info", Ty::Obj),
                opt("content/info/thumbnail_info/h", INT),
                opt("content/info/thumbnail_info/w", INT),
                opt("content/info/thumbnail_info/mimetype", Ty::Str),
                opt("content/info/thumbnail_info/size", INT),
                opt("content/info/thumbnail_url", Ty::Str),
            ],
        ),
        p(FW, "set_always_on_screen", false, json!({"value": true}), vec![req("value", Ty::Bool)]),
        p(
            FW,
            "open_modal",
            false,
            json!({"type": "m.custom", "url": "https://e", "name": "n", "waitForIframeLoad": true, "data": {"title": "t"},
                "buttons": [{"id": "b", "label": "l", "kind": "m.primary", "disabled": false}]}),
            vec![
                req("type", Ty::Open),
                req("url", Ty::Str),
                opt("name", Ty::Str),
                opt("waitForIframeLoad", Ty::Bool),
                opt("data", Ty::Obj),
                opt("data/title", Ty::Str),
                opt("buttons", Ty::ObjArr),
                req("buttons/0/id", Ty::Open),
                req("buttons/0/label", Ty::Str),
                req("buttons/0/kind", Ty::Open),
                opt("buttons/0/disabled", Ty::Bool),
            ],
        ),
        p(
            FW,
            "set_button_enabled",
            false,
            json!({"button": "b", "enabled": true}),
            vec![req("button", Ty::Open), req("enabled", Ty::Bool)],
        ),
        p(
            FW,
            "send_event",
            false,
            json!({"type": "t", "content": {}, "state_key": "s", "room_id": "!r:b", "delay": 1000, "parent_delay_id": "p"}),
            vec![
                req("type", Ty::Str),
                // Absent or `null` reads as `{}` (wire decision 37).
                opt("content", Ty::Obj),
                opt("state_key", Ty::Str),
                opt("room_id", Ty::Str),
                opt("delay", Ty::Int { min: 1, max: MAX }),
                opt("parent_delay_id", Ty::Str),
            ],
        ),
        sticky,
        p(
            FW,
            "send_to_device",
            false,
            json!({"type": "t", "encrypted": false, "messages": {"@u:b": {"D": {}}}}),
            vec![
                req("type", Ty::Str),
                req("encrypted", Ty::Bool),
                req("messages", Ty::Map),
                entry("messages/@u:b", Ty::Map, "`messages`: user ID `@u:b`"),
                entry("messages/@u:b/D", Ty::Obj, "`messages`: user ID `@u:b`: device ID `D`"),
            ],
        ),
        p(
            FW,
            "org.matrix.msc2876.read_events",
            false,
            json!({"type": "t", "state_key": "k", "msgtype": "m", "limit": 1, "room_ids": ["!r:b"], "since": "$e"}),
            vec![
                req("type", Ty::Str),
                opt("state_key", Ty::Custom(&["1", "false", "{}"])),
                opt("msgtype", Ty::Str),
                opt("limit", Ty::Int { min: 1, max: MAX }),
                opt("room_ids", Ty::Custom(&[r#""x""#, "[1]", "{}"])),
                opt("since", Ty::Str),
            ],
        ),
        p(FW, "org.matrix.msc2931.navigate", false, json!({"uri": "https://matrix.to/#/x"}), vec![req("uri", Ty::Str)]),
        p(
            FW,
            "org.matrix.msc2974.request_capabilities",
            false,
            json!({"capabilities": ["m.sticker"]}),
            vec![opt("capabilities", Ty::StrArr)],
        ),
        p(
            FW,
            "org.matrix.msc3869.read_relations",
            false,
            json!({"event_id": "$e", "room_id": "!r:b", "rel_type": "m.annotation", "event_type": "m.reaction", "limit": 1, "from": "f",
                "to": "t", "direction": "f"}),
            vec![
                req("event_id", Ty::Str),
                opt("room_id", Ty::Str),
                opt("rel_type", Ty::Str),
                opt("event_type", Ty::Str),
                opt("limit", INT),
                opt("from", Ty::Str),
                opt("to", Ty::Str),
                opt("direction", Ty::Closed),
            ],
        ),
        p(
            FW,
            "org.matrix.msc3973.user_directory_search",
            false,
            json!({"search_term": "a", "limit": 1}),
            vec![req("search_term", Ty::Str), opt("limit", INT)],
        ),
        p(FW, "org.matrix.msc4039.upload_file", false, json!({"file": "x"}), vec![req("file", Ty::Transferable)]),
        p(
            FW,
            "org.matrix.msc4039.download_file",
            false,
            json!({"content_uri": "mxc://a/b", "timeout_ms": 1, "encryption": encrypted_file()}),
            vec![
                req("content_uri", Ty::Str),
                opt("timeout_ms", INT),
                opt("encryption", Ty::Obj),
                opt("encryption/url", Ty::Str),
                req("encryption/key", Ty::Obj),
                req("encryption/key/kty", Ty::Str),
                req("encryption/key/key_ops", Ty::StrArr),
                req("encryption/key/alg", Ty::Str),
                req("encryption/key/k", Ty::Str),
                req("encryption/key/ext", Ty::Bool),
                req("encryption/iv", Ty::Str),
                req("encryption/hashes", Ty::Obj),
                opt("encryption/hashes/sha256", Ty::Str),
                req("encryption/v", Ty::Str),
            ],
        ),
        p(
            FW,
            "org.matrix.msc4157.update_delayed_event",
            false,
            json!({"delay_id": "d", "action": "send"}),
            vec![req("delay_id", Ty::Str), req("action", Ty::Closed)],
        ),
        p(
            FW,
            "com.beeper.read_room_account_data",
            false,
            json!({"type": "t", "room_ids": "*"}),
            vec![req("type", Ty::Str), opt("room_ids", Ty::Custom(&[r#""x""#, "[1]", "{}"]))],
        ),
        p(
            FW,
            "org.matrix.msc4533.rtc_livekit_get_token",
            false,
            json!({"server_name": "s", "url": "u", "room_id": "!r:b", "slot_id": "m.call#", "member": {"id": "@a:b:D", "claimed_device_id": "D"}}),
            vec![
                req("server_name", Ty::Str),
                req("url", Ty::Str),
                req("room_id", Ty::Str),
                req("slot_id", Ty::Str),
                req("member", Ty::Obj),
                req("member/id", Ty::Str),
                opt("member/claimed_device_id", Ty::Str),
            ],
        ),
        p(
            FW,
            "org.matrix.msc4533.rtc_livekit_delegate_delayed_leave",
            false,
            json!({"room_id": "!r:b", "slot_id": "m.call#", "member": {"id": "@a:b:D"}, "delay_id": "d"}),
            vec![
                req("room_id", Ty::Str),
                req("slot_id", Ty::Str),
                req("member", Ty::Obj),
                req("member/id", Ty::Str),
                req("delay_id", Ty::Str),
            ],
        ),
        // ---- toWidget requests ----
        p(
            TW,
            "notify_capabilities",
            false,
            json!({"requested": ["m.sticker"], "approved": ["m.sticker"]}),
            vec![req("requested", Ty::StrArr), req("approved", Ty::StrArr)],
        ),
        p(TW, "language_change", false, json!({"lang": "en"}), vec![req("lang", Ty::Str)]),
        p(TW, "visibility", false, json!({"visible": true}), vec![req("visible", Ty::Bool)]),
        p(
            TW,
            "openid_credentials",
            false,
            json!({"state": "allowed", "original_request_id": "r0", "access_token": "t", "expires_in": 1, "matrix_server_name": "s",
                "token_type": "Bearer"}),
            vec![
                req("state", Ty::Closed),
                req("original_request_id", Ty::Str),
                opt("access_token", Ty::Str),
                opt("expires_in", INT),
                opt("matrix_server_name", Ty::Str),
                opt("token_type", Ty::Open),
            ],
        ),
        p(TW, "widget_config", false, json!({"type": "m.custom", "url": "https://e"}), vec![req("type", Ty::Open), req("url", Ty::Str)]),
        p(TW, "button_clicked", false, json!({"id": "b"}), vec![req("id", Ty::Open)]),
        p(TW, "send_event", false, room_event(), event_fields("")),
        p(
            TW,
            "send_to_device",
            false,
            json!({"type": "t", "sender": "@a:b", "content": {}, "encrypted": false}),
            // `encrypted` absent or `null` reads as `false` (wire decision 36).
            vec![req("type", Ty::Str), req("sender", Ty::Str), req("content", Ty::Obj), opt("encrypted", Ty::Bool)],
        ),
        p(
            TW,
            "update_state",
            false,
            json!({"state": [room_event()]}),
            vec![
                req("state", Ty::ObjArr),
                req("state/0/type", Ty::Str),
                req("state/0/origin_server_ts", INT),
                req("state/0/content", Ty::Obj),
            ],
        ),
        p(
            TW,
            "update_turn_servers",
            false,
            json!({"uris": ["turn:a"], "username": "u", "password": "p"}),
            vec![req("uris", Ty::StrArr), req("username", Ty::Str), req("password", Ty::Str)],
        ),
        // ---- fromWidget replies ----
        p(
            FW,
            "supported_api_versions",
            true,
            json!({"supported_versions": ["0.0.1", "org.example"]}),
            vec![req("supported_versions", Ty::StrArr)],
        ),
        p(FW, "set_always_on_screen", true, json!({"success": true}), vec![req("success", Ty::Bool)]),
        p(
            FW,
            "get_openid",
            true,
            json!({"state": "allowed", "access_token": "t", "expires_in": 1, "matrix_server_name": "s", "token_type": "Bearer"}),
            vec![
                req("state", Ty::Closed),
                opt("access_token", Ty::Str),
                opt("expires_in", INT),
                opt("matrix_server_name", Ty::Str),
                opt("token_type", Ty::Open),
            ],
        ),
        p(FW, "send_event", true, json!({"room_id": "!r:b", "event_id": "$e"}), vec![opt("room_id", Ty::Str), req("event_id", Ty::Str)]),
        delayed_reply,
        error_reply,
        p(
            FW,
            "send_to_device",
            true,
            json!({"failures": {"@u:b": ["D"]}}),
            vec![opt("failures", Ty::Map), entry("failures/@u:b", Ty::StrArr, "`response.failures`: user ID `@u:b`")],
        ),
        p(FW, "org.matrix.msc2876.read_events", true, json!({"events": [room_event()]}), {
            let mut fields = vec![req("events", Ty::ObjArr)];
            fields.extend(event_fields("events/0/"));
            fields
        }),
        p(
            FW,
            "org.matrix.msc3869.read_relations",
            true,
            json!({"chunk": [room_event()], "next_batch": "n", "prev_batch": "p"}),
            vec![
                req("chunk", Ty::ObjArr),
                opt("next_batch", Ty::Str),
                opt("prev_batch", Ty::Str),
                req("chunk/0/event_id", Ty::Str),
                req("chunk/0/origin_server_ts", INT),
            ],
        ),
        p(
            FW,
            "org.matrix.msc3973.user_directory_search",
            true,
            json!({"limited": false, "results": [{"user_id": "@a:b", "display_name": "A", "avatar_url": "mxc://a/b"}]}),
            vec![
                req("limited", Ty::Bool),
                req("results", Ty::ObjArr),
                req("results/0/user_id", Ty::Str),
                opt("results/0/display_name", Ty::Str),
                opt("results/0/avatar_url", Ty::Str),
            ],
        ),
        p(FW, "org.matrix.msc4039.get_media_config", true, json!({"m.upload.size": 1}), vec![opt("m.upload.size", INT)]),
        p(
            FW,
            "org.matrix.msc4039.upload_file",
            true,
            json!({"content_uri": "mxc://a/b", "encryption": encrypted_file()}),
            vec![req("content_uri", Ty::Str), opt("encryption", Ty::Obj), req("encryption/iv", Ty::Str)],
        ),
        p(FW, "org.matrix.msc4039.download_file", true, json!({"file": "x"}), vec![req("file", Ty::Transferable)]),
        p(
            FW,
            "com.beeper.read_room_account_data",
            true,
            json!({"events": [{"type": "t", "room_id": "!r:b", "content": {}}]}),
            vec![
                req("events", Ty::ObjArr),
                req("events/0/type", Ty::Str),
                req("events/0/room_id", Ty::Str),
                req("events/0/content", Ty::Obj),
            ],
        ),
        p(
            FW,
            "org.matrix.msc4515.get_rtc_transports",
            true,
            json!({"rtc_transports": [{"type": "livekit", "x": 1}]}),
            vec![req("rtc_transports", Ty::ObjArr), req("rtc_transports/0/type", Ty::Str)],
        ),
        p(FW, "org.matrix.msc4533.rtc_livekit_get_token", true, json!({"jwt": "j"}), vec![req("jwt", Ty::Str)]),
        // ---- toWidget replies ----
        p(TW, "supported_api_versions", true, json!({"supported_versions": ["0.0.1"]}), vec![req("supported_versions", Ty::StrArr)]),
        p(TW, "capabilities", true, json!({"capabilities": ["m.sticker"]}), vec![req("capabilities", Ty::StrArr)]),
        p(TW, "screenshot", true, json!({"screenshot": "x"}), vec![req("screenshot", Ty::Transferable)]),
    ]
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// Every action without fields, with a valid payload: `{}` or any object.
fn empty_payloads() -> Vec<(&'static str, &'static str, bool)> {
    vec![
        (FW, "supported_api_versions", false),
        (FW, "content_loaded", false),
        (FW, "get_openid", false),
        (FW, "close_modal", false),
        (FW, "watch_turn_servers", false),
        (FW, "unwatch_turn_servers", false),
        (FW, "org.matrix.msc4039.get_media_config", false),
        (FW, "org.matrix.msc4515.get_rtc_transports", false),
        (TW, "supported_api_versions", false),
        (TW, "capabilities", false),
        (TW, "theme_change", false),
        (TW, "screenshot", false),
        (TW, "close_modal", false),
        (FW, "content_loaded", true),
        (FW, "m.sticker", true),
        (FW, "close_modal", true),
        (FW, "open_modal", true),
        (FW, "set_button_enabled", true),
        (FW, "watch_turn_servers", true),
        (FW, "unwatch_turn_servers", true),
        (FW, "org.matrix.msc2931.navigate", true),
        (FW, "org.matrix.msc2974.request_capabilities", true),
        (FW, "org.matrix.msc4157.update_delayed_event", true),
        (FW, "org.matrix.msc4533.rtc_livekit_delegate_delayed_leave", true),
        (TW, "notify_capabilities", true),
        (TW, "theme_change", true),
        (TW, "language_change", true),
        (TW, "visibility", true),
        (TW, "openid_credentials", true),
        (TW, "widget_config", true),
        (TW, "close_modal", true),
        (TW, "button_clicked", true),
        (TW, "send_event", true),
        (TW, "send_to_device", true),
        (TW, "update_state", true),
        (TW, "update_turn_servers", true),
    ]
}

// ---- Themes ----

/// Every valid payload the other themes start from: each decodes and re-encodes to itself.
fn baseline() -> Vec<Case> {
    let mut out: Vec<Case> = payloads()
        .iter()
        .map(|p| ok(format!("{}.base", p.label()), p.message(&p.base.to_string()), p.to()).reencode(Reencode::Value))
        .collect();
    for (api, action, response) in empty_payloads() {
        let payload = Payload { api, action, response, variant: "", base: json!({}), fields: vec![] };
        out.push(ok(format!("{}.base", payload.label()), payload.message("{}"), payload.to()).reencode(Reencode::Exact));
        // Unknown fields are kept, at any depth.
        let extra = r#"{"x":{"y":[1,{"z":null}]},"w":"v"}"#;
        out.push(ok(format!("{}.unknown_fields", payload.label()), payload.message(extra), payload.to()).reencode(Reencode::Exact));
    }
    out
}

fn invalid_json() -> Vec<Case> {
    let good = send_event(r#"{"type":"t","content":{}}"#);
    let mut out: Vec<Case> = [
        ("empty", ""),
        ("whitespace", " \n\t "),
        ("null", "null"),
        ("true", "true"),
        ("number", "42"),
        ("string", r#""{\"api\":\"fromWidget\"}""#),
        ("empty_array", "[]"),
        ("empty_object", "{}"),
        ("single_quotes", "{'api':'fromWidget','widgetId':'w1','requestId':'r1','action':'x','data':{}}"),
        ("unquoted_keys", "{api:\"fromWidget\",widgetId:\"w1\",requestId:\"r1\",action:\"x\",data:{}}"),
        ("key_not_a_string", r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"x","data":{1:2}}"#),
        ("missing_colon", r#"{"api":"fromWidget","widgetId" "w1","requestId":"r1","action":"x","data":{}}"#),
        ("missing_comma", r#"{"api":"fromWidget" "widgetId":"w1","requestId":"r1","action":"x","data":{}}"#),
        ("trailing_comma_envelope", r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"x","data":{},}"#),
        ("trailing_comma_data", r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"send_event","data":{"type":"t","content":{},}}"#),
        ("trailing_comma_array", r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"org.matrix.msc2974.request_capabilities","data":{"capabilities":["a",]}}"#),
        ("comment", r#"{"api":"fromWidget",/* c */"widgetId":"w1","requestId":"r1","action":"x","data":{}}"#),
        ("line_comment", "{\"api\":\"fromWidget\", // c\n\"widgetId\":\"w1\",\"requestId\":\"r1\",\"action\":\"x\",\"data\":{}}"),
        ("nan", r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"send_event","data":{"type":"t","content":{},"delay":NaN}}"#),
        ("infinity", r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"send_event","data":{"type":"t","content":{},"delay":Infinity}}"#),
        ("hex_number", r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"send_event","data":{"type":"t","content":{},"delay":0x10}}"#),
        ("leading_zero", r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"send_event","data":{"type":"t","content":{},"delay":010}}"#),
        ("plus_sign", r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"send_event","data":{"type":"t","content":{},"delay":+1}}"#),
        ("leading_dot", r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"send_event","data":{"type":"t","content":{},"delay":.5}}"#),
        ("trailing_dot", r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"send_event","data":{"type":"t","content":{},"delay":1.}}"#),
        ("bare_exponent", r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"send_event","data":{"type":"t","content":{},"delay":1e}}"#),
        ("raw_newline_in_string", "{\"api\":\"fromWidget\",\"widgetId\":\"w1\",\"requestId\":\"r1\",\"action\":\"x\",\"data\":{\"a\":\"b\nc\"}}"),
        ("raw_tab_in_string", "{\"api\":\"fromWidget\",\"widgetId\":\"w1\",\"requestId\":\"r\t1\",\"action\":\"x\",\"data\":{}}"),
        ("raw_nul_in_string", "{\"api\":\"fromWidget\",\"widgetId\":\"w1\",\"requestId\":\"r1\",\"action\":\"x\",\"data\":{\"a\":\"\u{0}\"}}"),
        ("invalid_escape", r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"x","data":{"a":"\x41"}}"#),
        ("short_unicode_escape", r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"x","data":{"a":"\u12"}}"#),
        ("non_hex_unicode_escape", r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"x","data":{"a":"\uZZZZ"}}"#),
        ("capital_u_escape", r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"x","data":{"a":"\UD800"}}"#),
        ("unterminated_string", r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"x","data":{"a":"b}}"#),
        ("unclosed_object", r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"x","data":{}"#),
        ("extra_closing_brace", r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"x","data":{}}}"#),
        ("mismatched_bracket", r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"x","data":{"a":[1}}}"#),
        ("byte_order_mark", "\u{feff}{\"api\":\"fromWidget\",\"widgetId\":\"w1\",\"requestId\":\"r1\",\"action\":\"x\",\"data\":{}}"),
        ("literal_typo", r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"x","data":{"a":nul}}"#),
        ("capitalised_literal", r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"x","data":{"a":True}}"#),
    ]
    .into_iter()
    .map(|(name, input)| malformed(format!("invalid_json.{name}"), input))
    .collect();
    out.push(malformed("invalid_json.trailing_garbage", format!("{good} x")));
    out.push(malformed("invalid_json.two_messages", format!("{good}{good}")));
    out.push(malformed("invalid_json.message_in_an_array", format!("[{good}]")));
    out.push(malformed("invalid_json.nul_after_message", format!("{good}\u{0}")));
    // White space around and inside the message is JSON, and fine.
    out.push(ok("invalid_json.surrounding_whitespace_is_fine", format!(" \n\t{good}\r\n "), Host));
    out.push(
        ok(
            "invalid_json.inner_whitespace_is_fine",
            "{ \"api\" : \"fromWidget\" ,\n \"widgetId\" : \"w1\" , \"requestId\" : \"r1\" , \"action\" : \"send_event\" , \"data\" : { \"type\" : \"t\" , \"content\" : { } } }",
            Host,
        )
        .reencode(Reencode::Value),
    );
    out
}

/// A few truncations of captured fixtures: never a valid message.
fn truncation(tests_dir: &Path) -> Vec<Case> {
    let dir = tests_dir.join("fixtures/actions/widget-api-1.19");
    let files = [
        "from_widget.send_event.request.sticky_room_event.json",
        "from_widget.send_to_device.request.encrypted.json",
        "from_widget.read_events.response.state_key_string.json",
        "from_widget.org.matrix.msc4533.rtc_livekit_get_token.request.basic.json",
        "from_widget.m.sticker.request.basic.json",
        "to_widget.capabilities.response.basic.json",
        "from_widget.send_event.response.error_driver.json",
        "to_widget.send_event.request.room_event.json",
    ];
    let mut out = Vec::new();
    for file in files {
        let path = dir.join(file);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let text = text.trim_end();
        let stem = file.strip_suffix(".json").unwrap_or(file);
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        for (label, at) in [
            ("first_byte", 1),
            ("quarter", chars.len() / 4),
            ("half", chars.len() / 2),
            ("three_quarters", chars.len() * 3 / 4),
            ("last_byte_missing", chars.len() - 1),
        ] {
            let cut = chars[at].0;
            out.push(malformed(format!("truncation.{stem}.{label}"), &text[..cut]));
        }
    }
    out
}

fn wrong_types() -> Vec<Case> {
    let mut out = Vec::new();
    for payload in payloads() {
        for field in &payload.fields {
            let name = |what: &str| format!("{}.{}.{what}", payload.label(), field.path.replace('/', "."));
            let needle = payload.needle(field);
            for (i, wrong) in field.ty.wrong().iter().enumerate() {
                let what = match *wrong {
                    "1" => "number".to_owned(),
                    "{}" => "object".to_owned(),
                    "[]" => "array".to_owned(),
                    r#""x""# => "string".to_owned(),
                    r#""true""# => "string".to_owned(),
                    r#""nonsense""# => "unknown_name".to_owned(),
                    "false" => "false".to_owned(),
                    "[1]" => "array_of_numbers".to_owned(),
                    r#"["x"]"# => "array_of_strings".to_owned(),
                    _ => format!("wrong_{i}"),
                };
                out.push(payload.invalid(name(&what), payload.with(field.path, wrong), &needle));
            }
            let null = payload.with(field.path, "null");
            if field.required {
                // A send_event reply names its rule: exactly one of the two IDs.
                let needle = if payload.action == "send_event" && payload.response && !field.path.contains('/') {
                    "`event_id` or `delay_id`".to_owned()
                } else {
                    needle
                };
                out.push(payload.invalid(name("null"), null, &needle));
            } else if !field.path.contains('/') {
                // `null` reads as absent (MSC2813, wire decision 5).
                let case = ok(name("null_is_absent"), null, payload.to());
                out.push(case);
            }
        }
    }
    out
}

fn numbers() -> Vec<Case> {
    let mut out = Vec::new();
    for payload in payloads() {
        for field in &payload.fields {
            let Ty::Int { min, max } = field.ty else { continue };
            let needle = payload.needle(field);
            let mut values: Vec<(String, String, bool)> = vec![
                ("zero".into(), "0".into(), min == 0),
                ("negative".into(), "-1".into(), false),
                ("fraction".into(), "0.5".into(), false),
                ("integral_float".into(), "1e3".into(), true),
                ("max".into(), max.to_string(), true),
                ("above_max".into(), (max + 1).to_string(), false),
                ("two_pow_64".into(), "18446744073709551616".into(), false),
                ("huge_exponent".into(), "1e400".into(), false),
                ("string".into(), r#""1""#.into(), false),
            ];
            if max != MAX {
                values.push(("two_pow_53".into(), (MAX + 1).to_string(), false));
            }
            // `null` of a required or top-level field is in `wrong_types`.
            if !field.required && field.path.contains('/') {
                values.push(("null_is_absent".into(), "null".into(), true));
            }
            for (what, literal, valid) in values {
                let name = format!("{}.{}.{what}", payload.label(), field.path.replace('/', "."));
                let text = payload.with(field.path, &literal);
                out.push(if valid { ok(name, text, payload.to()) } else { payload.invalid(name, text, &needle) });
            }
        }
    }
    out
}

/// Number forms JavaScript reads as integers (or not), for a field from 1 (`delay`) and one from
/// 0 (`read_relations.limit`).
fn number_forms() -> Vec<Case> {
    let mut out = Vec::new();
    for (label, min) in [("delay", 1), ("read_relations.limit", 0)] {
        let message = |v: &str| match label {
            "delay" => send_event(&format!(r#"{{"type":"t","content":{{}},"delay":{v}}}"#)),
            _ => from("org.matrix.msc3869.read_relations", &format!(r#"{{"event_id":"$e","limit":{v}}}"#)),
        };
        let field = if label == "delay" { "`delay`" } else { "`limit`" };
        for (name, literal, value) in [
            ("upper_case_exponent", "1E3", Some(1000.0)),
            ("negative_zero", "-0", Some(0.0)),
            ("negative_zero_float", "-0.0", Some(0.0)),
            ("negative_exponent", "100e-2", Some(1.0)),
            ("fraction_with_exponent", "0.1e1", Some(1.0)),
            ("rounds_to_one", "0.99999999999999999", Some(1.0)),
            ("underflows_to_zero", "1e-400", Some(0.0)),
            ("max_safe_as_float", "9007199254740991.0", Some(9_007_199_254_740_991.0)),
            ("two_pow_53_plus_one", "9007199254740993", None),
            ("ten_pow_16", "1e16", None),
            ("smallest_subnormal", "5e-324", None),
            ("negative_one_float", "-1.0", None),
        ] {
            let text = message(literal);
            let name = format!("number_form.{label}.{name}");
            let valid = value.is_some_and(|v: f64| v >= f64::from(min));
            out.push(if valid { ok(name, text, Host) } else { bad_request(name, text, Host, field) });
        }
    }
    out
}

fn missing_and_empty() -> Vec<Case> {
    let mut out = Vec::new();
    for payload in payloads() {
        for field in payload.fields.iter().filter(|f| f.required && !f.entry) {
            let name = format!("{}.{}.missing", payload.label(), field.path.replace('/', "."));
            let needle = format!("{}` is missing", payload.error_path(field.path));
            let text = payload.without(field.path);
            // A send_event reply names the rule, not one field.
            let needle = if payload.action == "send_event" && payload.response && !field.path.contains('/') {
                "`event_id` or `delay_id`".to_owned()
            } else {
                needle
            };
            out.push(payload.invalid(name, text, &needle));
        }
    }
    let to_host =
        |name: &str, action: &str, data: &str, needle: &str| bad_request(format!("empty.{name}"), from(action, data), Host, needle);
    out.extend([
        to_host("send_event.type", "send_event", r#"{"type":"","content":{}}"#, "`type` must not be empty"),
        to_host("read_events.type", "org.matrix.msc2876.read_events", r#"{"type":""}"#, "`type` must not be empty"),
        to_host("send_to_device.type", "send_to_device", r#"{"type":"","encrypted":false,"messages":{}}"#, "`type` must not be empty"),
        to_host(
            "update_delayed_event.delay_id",
            "org.matrix.msc4157.update_delayed_event",
            r#"{"delay_id":"","action":"send"}"#,
            "`delay_id` must not be empty",
        ),
        to_host("read_relations.event_id", "org.matrix.msc3869.read_relations", r#"{"event_id":""}"#, "`event_id` must not be empty"),
        to_host("open_modal.type", "open_modal", r#"{"type":"","url":"https://e"}"#, "`type` must not be empty"),
        to_host("open_modal.url", "open_modal", r#"{"type":"m.custom","url":""}"#, "`url` must not be empty"),
        to_host(
            "set_button_enabled.close_button",
            "set_button_enabled",
            r#"{"button":"m.close","enabled":true}"#,
            "`m.close` cannot be enabled",
        ),
        to_host(
            "send_event.sticky_state_event",
            "send_event",
            r#"{"type":"t","state_key":"","content":{},"sticky_duration_ms":1}"#,
            "sticky events are message events",
        ),
        bad_request(
            "empty.openid_credentials.original_request_id",
            request(TW, "openid_credentials", r#"{"state":"blocked","original_request_id":""}"#),
            Widget,
            "`original_request_id` must not be empty",
        ),
        bad_reply(
            "empty.send_event.reply_with_both_ids",
            reply(FW, "send_event", r#"{"room_id":"!r:b","event_id":"$e","delay_id":"d"}"#),
            Widget,
            "both `event_id` and `delay_id`",
        ),
    ]);
    out
}

fn envelope() -> Vec<Case> {
    let mut out = Vec::new();
    let fields = |api: &str, widget: &str, request: &str, action: &str, data: &str| {
        format!(r#"{{"api":{api},"widgetId":{widget},"requestId":{request},"action":{action},"data":{data}}}"#)
    };
    for (name, api) in [
        ("empty", r#""""#),
        ("capitalised", r#""FromWidget""#),
        ("lower_case", r#""fromwidget""#),
        ("snake_case", r#""from_widget""#),
        ("both", r#""both""#),
        ("trailing_space", r#""toWidget ""#),
        ("number", "1"),
        ("null", "null"),
        ("true", "true"),
        ("array", r#"["fromWidget"]"#),
        ("object", r#"{"fromWidget":true}"#),
    ] {
        out.push(
            malformed(format!("envelope.api.{name}"), fields(api, r#""w1""#, r#""r1""#, r#""content_loaded""#, "{}")).contains("`api`"),
        );
    }
    out.push(
        malformed("envelope.api.missing", r#"{"widgetId":"w1","requestId":"r1","action":"content_loaded","data":{}}"#)
            .contains("`api` is missing"),
    );
    for (field, other) in [("widgetId", 1), ("requestId", 2), ("action", 3)] {
        for (name, value) in [("empty", r#""""#), ("number", "1"), ("null", "null"), ("array", r#"["r1"]"#), ("object", "{}")] {
            let mut values = [r#""w1""#, r#""r1""#, r#""content_loaded""#];
            values[other - 1] = value;
            let case = malformed(format!("envelope.{field}.{name}"), fields(r#""fromWidget""#, values[0], values[1], values[2], "{}"))
                .contains(format!("`{field}`"));
            out.push(case);
        }
        let mut object: Value = serde_json::from_str(&from("content_loaded", "{}")).expect("JSON");
        object.as_object_mut().expect("object").remove(field);
        out.push(malformed(format!("envelope.{field}.missing"), object.to_string()).contains(format!("`{field}` is missing")));
    }
    out.push(
        malformed(
            "envelope.requestId.lower_case_spelling",
            r#"{"api":"fromWidget","widgetId":"w1","requestid":"r1","action":"content_loaded","data":{}}"#,
        )
        .contains("`requestId` is missing"),
    );
    // A request without `data` has a valid envelope: it gets an error reply keeping its
    // `requestId`, and a reply to it (which echoes no `data`) is read.
    for action in ["send_event", "content_loaded", "org.example.vendor"] {
        let text = format!(r#"{{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"{action}"}}"#);
        out.push(bad_request(format!("envelope.data.missing.{action}"), text, Host, "no `data`"));
    }
    out.push(ok(
        "envelope.reply_data.missing.send_event_error",
        r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"send_event","response":{"error":{"message":"Invalid request: the request has no `data`"}}}"#,
        Widget,
    ));
    for action in ["send_event", "content_loaded", "org.example.vendor"] {
        for (name, data) in [("string", r#""{}""#), ("number", "0"), ("array", "[]"), ("null", "null"), ("true", "true")] {
            out.push(bad_request(format!("envelope.data.{name}.{action}"), from(action, data), Host, "`data`"));
        }
    }
    // A reply echoes the request's `data` as it was, so any `data` is read (an error reply to a
    // request whose `data` was not an object echoes it); what is checked is `response`.
    for (name, data) in [("string", r#""x""#), ("number", "0"), ("array", "[]")] {
        let vendor = format!(
            r#"{{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"org.example.vendor","data":{data},"response":{{}}}}"#
        );
        out.push(ok(format!("envelope.reply_data.{name}.org.example.vendor"), vendor, Widget));
        let error = format!(
            r#"{{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"send_event","data":{data},"response":{{"error":{{"message":"Invalid request: `data`: expected an object"}}}}}}"#
        );
        out.push(ok(format!("envelope.reply_data.{name}.send_event_error"), error, Widget));
        let success =
            format!(r#"{{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"send_event","data":{data},"response":{{}}}}"#);
        out.push(bad_reply(format!("envelope.reply_data.{name}.send_event"), success, Widget, "`response`"));
    }
    for action in ["send_event", "org.example.vendor"] {
        for (name, response) in [("string", r#""x""#), ("number", "1"), ("array", "[]"), ("true", "true")] {
            out.push(
                malformed(format!("envelope.response.{name}.{action}"), reply(FW, action, response))
                    .contains("`response` must be an object"),
            );
        }
    }
    // `"response": null` is a request (and answerable), anywhere in the envelope.
    out.push(ok(
        "envelope.response_null_is_a_request",
        r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"content_loaded","response":null,"data":{}}"#,
        Host,
    ));
    out.push(bad_request(
        "envelope.response_null_invalid_request",
        r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","response":null,"action":"send_event","data":{"type":1,"content":{}}}"#,
        Host,
        "`type`",
    ));
    // Order does not matter: `data` before `action`, `response` before `data`.
    out.push(
        ok(
            "envelope.data_first",
            r#"{"data":{"type":"t","content":{},"delay":5},"action":"send_event","requestId":"r1","widgetId":"w1","api":"fromWidget"}"#,
            Host,
        )
        .reencode(Reencode::Value),
    );
    out.push(bad_request(
        "envelope.data_first_invalid",
        r#"{"data":{"type":"t","content":{},"delay":0},"action":"send_event","requestId":"r1","widgetId":"w1","api":"fromWidget"}"#,
        Host,
        "`delay` is out of range",
    ));
    out.push(
        ok(
            "envelope.response_first",
            r#"{"response":{"event_id":"$e"},"data":{},"api":"fromWidget","action":"send_event","widgetId":"w1","requestId":"r1"}"#,
            Widget,
        )
        .reencode(Reencode::Value),
    );
    // Unknown top-level fields are kept, in order.
    out.push(
        ok(
            "envelope.unknown_fields",
            r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"content_loaded","data":{},"x":[{"y":null}],"visible":true}"#,
            Host,
        )
        .reencode(Reencode::Exact),
    );
    // Whatever the ID, it is an opaque string.
    for (name, id) in [("unicode", "widgetapi-ü-😀"), ("escapes", r#"a\"b\\c\n"#), ("spaces", " "), ("json_like", r#"{\"a\":1}"#)] {
        let text = format!(r#"{{"api":"fromWidget","widgetId":"w1","requestId":"{id}","action":"content_loaded","data":{{}}}}"#);
        let unescaped: String = serde_json::from_str(&format!("\"{id}\"")).expect("JSON string");
        out.push(
            Case::new(format!("envelope.request_id.{name}"), text, Kind::Ok, Some(&unescaped), false).to(Host).reencode(Reencode::Exact),
        );
    }
    // A vendor action keeps its data raw; an unknown response is kept raw too.
    out.push(ok("envelope.vendor_action", from("org.example.x", r#"{"a":[1,2,{"b":null}]}"#), Host).reencode(Reencode::Exact));
    out.push(ok("envelope.vendor_reply", reply(FW, "org.example.x", r#"{"a":1}"#), Widget).reencode(Reencode::Exact));
    // `error` that is not an error object: a success response with an `error` field.
    out.push(
        ok("envelope.vendor_reply_error_not_an_object", reply(FW, "org.example.x", r#"{"error":"x"}"#), Widget).reencode(Reencode::Exact),
    );
    // An `error` holding an error makes a reply an error response, wherever it is.
    out.push(
        ok("envelope.error_after_success_fields", reply(TW, "capabilities", r#"{"capabilities":[],"error":{"message":"m"}}"#), Host)
            .reencode(Reencode::Value),
    );
    // Action names are case-sensitive: another case is a vendor action.
    out.push(ok("envelope.action_case_is_a_vendor_action", from("Send_Event", r#"{"type":1}"#), Host).reencode(Reencode::Exact));
    // An escaped api is that api.
    out.push(
        ok(
            "envelope.escaped_api",
            r#"{"api":"\u0066romWidget","widgetId":"w1","requestId":"r1","action":"content_loaded","data":{}}"#,
            Host,
        )
        .reencode(Reencode::Value),
    );
    out.push(bad_reply(
        "envelope.reply_error_without_message",
        reply(FW, "send_event", r#"{"error":{"msg":"x"}}"#),
        Widget,
        "`event_id` or `delay_id`",
    ));
    out.push(bad_reply(
        "envelope.reply_error_message_not_a_string",
        reply(FW, "send_event", r#"{"error":{"message":1}}"#),
        Widget,
        "`event_id` or `delay_id`",
    ));
    out
}

fn update_actions() -> Vec<Case> {
    let mut out = Vec::new();
    let spellings = ["update_delayed_event", "org.matrix.msc4157.update_delayed_event", "org.matrix.msc4157.update.delayed_event"];
    for spelling in spellings {
        for value in ["cancel", "restart", "send", "refresh"] {
            let text = from(spelling, &format!(r#"{{"delay_id":"d","action":"{value}"}}"#));
            out.push(ok(format!("update_action.{spelling}.{value}"), text, Host).reencode(Reencode::Exact));
        }
    }
    for (name, value) in [
        ("pause", r#""pause""#),
        ("empty", r#""""#),
        ("capitalised", r#""Cancel""#),
        ("upper_case", r#""RESTART""#),
        ("leading_space", r#"" send""#),
        ("trailing_space", r#""send ""#),
        ("trailing_nul", r#""cancel\u0000""#),
        ("refresh_stable_prefix", r#""m.refresh""#),
        ("escaped_spelling_of_an_unknown", r#""\u0070ause""#),
        ("number", "1"),
        ("array", r#"["send"]"#),
        ("object", r#"{"send":true}"#),
        ("null", "null"),
        ("true", "true"),
    ] {
        for spelling in spellings {
            let text = from(spelling, &format!(r#"{{"delay_id":"d","action":{value}}}"#));
            out.push(bad_request(format!("update_action.{spelling}.{name}"), text, Host, "`action`"));
        }
    }
    // An escaped known action is that action.
    out.push(
        ok("update_action.escaped_send", from("update_delayed_event", r#"{"delay_id":"d","action":"\u0073end"}"#), Host)
            .reencode(Reencode::Value),
    );
    out
}

/// The first character of `key` written as a `\u` escape.
fn escaped(key: &str) -> String {
    let mut chars = key.chars();
    let first = chars.next().expect("a key");
    format!("\\u{:04x}{}", first as u32, chars.as_str())
}

fn duplicates() -> Vec<Case> {
    let mut out = Vec::new();
    let base = [
        ("api", r#""fromWidget""#),
        ("widgetId", r#""w1""#),
        ("requestId", r#""r1""#),
        ("action", r#""send_event""#),
        ("data", r#"{"type":"t","content":{}}"#),
    ];
    for (key, value) in base {
        for (how, spelling) in [("plain", key.to_owned()), ("escaped", escaped(key))] {
            let members: Vec<String> =
                base.iter().map(|(k, v)| format!(r#""{k}":{v}"#)).chain([format!(r#""{spelling}":{value}"#)]).collect();
            out.push(
                malformed(format!("duplicate.envelope.{key}.{how}"), format!("{{{}}}", members.join(",")))
                    .contains(format!("`{key}` appears twice")),
            );
        }
    }
    out.push(
        malformed("duplicate.envelope.response", r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"send_event","data":{},"response":{"event_id":"$a"},"response":{"event_id":"$b"}}"#)
            .contains("`response` appears twice"),
    );
    out.push(
        malformed("duplicate.envelope.response_null_then_object", r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"send_event","data":{},"response":null,"response":{"event_id":"$b"}}"#)
            .contains("`response` appears twice"),
    );
    for (how, spelling) in [("plain", "x"), ("escaped", "\\u0078")] {
        let text = format!(
            r#"{{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"content_loaded","data":{{}},"x":1,"{spelling}":2}}"#
        );
        out.push(malformed(format!("duplicate.envelope.unknown.{how}"), text).contains("`x` appears twice"));
    }
    // `data` of typed actions: known and unknown keys, plain and escaped.
    for (key, value) in [("type", r#""u""#), ("content", "{}"), ("delay", "5"), ("state_key", r#""s""#), ("x", "1")] {
        for (how, spelling) in [("plain", key.to_owned()), ("escaped", escaped(key))] {
            let data = format!(r#"{{"type":"t","content":{{}},"delay":5,"state_key":"s","x":1,"{spelling}":{value}}}"#);
            out.push(bad_request(
                format!("duplicate.data.send_event.{key}.{how}"),
                send_event(&data),
                Host,
                &format!("`{key}` appears twice"),
            ));
        }
    }
    out.push(bad_request(
        "duplicate.data.update_delayed_event.action",
        from("update_delayed_event", r#"{"delay_id":"d","action":"send","action":"cancel"}"#),
        Host,
        "`action` appears twice",
    ));
    out.push(bad_request("duplicate.data.empty_payload", from("content_loaded", r#"{"a":1,"a":1}"#), Host, "`a` appears twice"));
    out.push(bad_request(
        "duplicate.data.to_widget",
        request(TW, "notify_capabilities", r#"{"requested":[],"approved":[],"approved":["m.sticker"]}"#),
        Widget,
        "`approved` appears twice",
    ));
    // Nested typed objects.
    for (name, action, data, needle) in [
        ("sticker.content.url", "m.sticker", r#"{"name":"n","content":{"url":"a","url":"b"}}"#, "`content.url` appears twice"),
        (
            "sticker.content.info.h",
            "m.sticker",
            r#"{"name":"n","content":{"url":"a","info":{"h":1,"h":2}}}"#,
            "`content.info.h` appears twice",
        ),
        ("sticker.content.unknown", "m.sticker", r#"{"name":"n","content":{"url":"a","y":1,"y":2}}"#, "`content.y` appears twice"),
        (
            "open_modal.buttons.id",
            "open_modal",
            r#"{"type":"m.custom","url":"u","buttons":[{"id":"a","id":"b","label":"l","kind":"m.link"}]}"#,
            "`buttons.id` appears twice",
        ),
        (
            "open_modal.data.title",
            "open_modal",
            r#"{"type":"m.custom","url":"u","data":{"title":"a","title":"b"}}"#,
            "`data.title` appears twice",
        ),
        (
            "livekit.member.id",
            "org.matrix.msc4533.rtc_livekit_get_token",
            r#"{"server_name":"s","url":"u","room_id":"r","slot_id":"s","member":{"id":"a","id":"b"}}"#,
            "`member.id` appears twice",
        ),
        (
            "download.encryption.key.k",
            "download_file",
            r#"{"content_uri":"mxc://a/b","encryption":{"key":{"kty":"oct","key_ops":[],"alg":"A256CTR","k":"a","k":"b","ext":true},"iv":"i","hashes":{},"v":"v2"}}"#,
            "`encryption.key.k` appears twice",
        ),
        (
            "send_to_device.messages.user",
            "send_to_device",
            r#"{"type":"t","encrypted":false,"messages":{"@u:b":{},"@u:b":{}}}"#,
            "`messages`",
        ),
        (
            "send_to_device.messages.user.escaped",
            "send_to_device",
            r#"{"type":"t","encrypted":false,"messages":{"@u:b":{},"\u0040u:b":{}}}"#,
            "`messages`",
        ),
        (
            "send_to_device.messages.device",
            "send_to_device",
            r#"{"type":"t","encrypted":false,"messages":{"@u:b":{"D":{},"D":{}}}}"#,
            "`messages`",
        ),
        (
            "send_to_device.messages.all_devices",
            "send_to_device",
            r#"{"type":"t","encrypted":false,"messages":{"@u:b":{"*":{},"*":{}}}}"#,
            "`messages`",
        ),
    ] {
        out.push(bad_request(format!("duplicate.nested.{name}"), from(action, data), Host, needle));
    }
    let event = r#"{"type":"t","type":"u","sender":"@a:b","event_id":"$e","room_id":"!r:b","origin_server_ts":1,"content":{}}"#;
    out.push(bad_request(
        "duplicate.nested.update_state.event.type",
        request(TW, "update_state", &format!(r#"{{"state":[{event}]}}"#)),
        Widget,
        "`state.type` appears twice",
    ));
    // An escaped key alone is that key, at every level.
    out.push(
        ok(
            "duplicate.none.every_key_escaped",
            r#"{"\u0061pi":"fromWidget","\u0077idgetId":"w1","\u0072equestId":"r1","\u0061ction":"send_event","\u0064ata":{"\u0074ype":"t","\u0063ontent":{},"\u0064elay":5}}"#,
            Host,
        )
        .reencode(Reencode::Value),
    );
    out.push(
        ok("duplicate.none.escaped_reply_keys", reply(FW, "send_event", r#"{"\u0065vent_id":"$e"}"#), Widget).reencode(Reencode::Value),
    );
    out.push(
        ok("duplicate.none.escaped_error_keys", reply(FW, "send_event", r#"{"\u0065rror":{"\u006dessage":"m"}}"#), Widget)
            .reencode(Reencode::Value),
    );
    // Keys are case-sensitive: `Type` is an unknown field, and `type` is missing.
    out.push(bad_request("duplicate.none.capitalised_key", send_event(r#"{"Type":"t","content":{}}"#), Host, "`type` is missing"));
    // Raw positions keep what came, byte for byte: `content`, unknown fields' values,
    // `http_headers`, and a vendor action's data.
    out.push(ok("duplicate.raw.content", send_event(r#"{"type":"t","content":{"a":1,"a":2}}"#), Host).reencode(Reencode::Exact));
    out.push(
        ok("duplicate.raw.unknown_field_value", send_event(r#"{"type":"t","content":{},"x":{"a":1,"a":2}}"#), Host)
            .reencode(Reencode::Exact),
    );
    out.push(ok("duplicate.raw.vendor_data", from("org.example.x", r#"{"a":1,"a":2}"#), Host).reencode(Reencode::Exact));
    out.push(
        ok("duplicate.raw.vendor_reply_nested", reply(FW, "org.example.x", r#"{"a":{"b":1,"b":2}}"#), Widget).reencode(Reencode::Exact),
    );
    out.push(
        ok(
            "duplicate.raw.http_headers",
            reply(FW, "send_event", r#"{"error":{"message":"m","matrix_api_error":{"http_status":429,"http_headers":{"b":"1","b":"2"},"url":"u","response":{"errcode":"M_X"}}}}"#),
            Widget,
        )
        .reencode(Reencode::Exact),
    );
    // Replies: success fields, unknown fields, `error`, inside `error`.
    for (name, action, response, needle) in [
        ("send_event.event_id", "send_event", r#"{"event_id":"$a","event_id":"$b"}"#, "`response.event_id` appears twice"),
        (
            "send_event.room_id.escaped",
            "send_event",
            r#"{"room_id":"!a","\u0072oom_id":"!b","event_id":"$e"}"#,
            "`response.room_id` appears twice",
        ),
        ("send_event.unknown", "send_event", r#"{"event_id":"$a","x":1,"x":2}"#, "`response.x` appears twice"),
        ("vendor.unknown", "org.example.x", r#"{"x":1,"x":2}"#, "`response.x` appears twice"),
        ("error", "send_event", r#"{"error":{"message":"a"},"error":{"message":"b"}}"#, "`response.error` appears twice"),
        ("error.escaped", "send_event", r#"{"error":{"message":"a"},"\u0065rror":{"message":"b"}}"#, "`response.error` appears twice"),
        (
            "error.after_success_field",
            "org.example.x",
            r#"{"event_id":"$e","error":{"message":"a"},"error":{"message":"b"}}"#,
            "`response.error` appears twice",
        ),
        ("error.message", "send_event", r#"{"error":{"message":"a","message":"b"}}"#, "`response.error.message` appears twice"),
        (
            "error.message.vendor",
            "org.example.x",
            r#"{"error":{"message":"a","\u006dessage":"b"}}"#,
            "`response.error.message` appears twice",
        ),
        (
            "error.matrix_api_error",
            "send_event",
            r#"{"error":{"message":"a","matrix_api_error":{"http_status":400,"http_status":401,"response":{"errcode":"M_X"}}}}"#,
            "appears twice",
        ),
        ("error.unknown", "send_event", r#"{"error":{"message":"a"},"x":1,"x":2}"#, "`response.x` appears twice"),
    ] {
        out.push(bad_reply(format!("duplicate.reply.{name}"), reply(FW, action, response), Widget, needle));
    }
    out.push(bad_reply(
        "duplicate.reply.to_widget_capabilities",
        reply(TW, "capabilities", r#"{"capabilities":[],"capabilities":["m.sticker"]}"#),
        Host,
        "`response.capabilities` appears twice",
    ));
    out
}

const MIB: usize = 1 << 20;

/// Refused for an over-long ID: the requestId is kept, the message is not answered.
fn refused_id(name: &str, input: &str, needle: &str) -> Case {
    refused(name, input, needle).request_id(Some(RID), false)
}

fn long_strings() -> Vec<Case> {
    let mut out = Vec::new();
    let long = "longer than the limit of 1048576 bytes";
    out.push(refused("long.type_over_the_limit", send_event(r#"{"type":"@@","content":{}}"#), long).to(Host).expand("@@", "t", MIB + 1));
    out.push(
        ok("long.type_at_the_limit", send_event(r#"{"type":"@@","content":{}}"#), Host).expand("@@", "t", MIB).reencode(Reencode::Exact),
    );
    out.push(refused("long.content_value", send_event(r#"{"type":"t","content":{"body":"@@"}}"#), long).to(Host).expand(
        "@@",
        "x",
        MIB + 1,
    ));
    out.push(refused("long.content_key", send_event(r#"{"type":"t","content":{"@@":1}}"#), long).to(Host).expand("@@", "k", MIB + 1));
    out.push(refused("long.escapes_count_as_written", send_event(r#"{"type":"t","content":{"body":"@@"}}"#), long).to(Host).expand(
        "@@",
        "\\n",
        MIB / 2 + 1,
    ));
    out.push(
        refused(
            "long.unknown_envelope_field",
            r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"content_loaded","data":{},"x":"@@"}"#,
            long,
        )
        .to(Host)
        .expand("@@", "x", MIB + 1),
    );
    out.push(
        refused("long.reply_content", reply(FW, "org.matrix.msc2876.read_events", r#"{"events":[],"x":"@@"}"#), long)
            .request_id(Some(RID), false)
            .to(Widget)
            .expand("@@", "x", MIB + 1),
    );
    out.push(
        refused(
            "long.message_over_16_mib",
            send_event(r#"{"type":"t","content":{"a":"@@","b":"@@","c":"@@","d":"@@"}}"#),
            "larger than the limit of 16777216 bytes",
        )
        .to(Host)
        .expand("@@", "x", MIB)
        .expand("@@", "x", MIB)
        .expand("@@", "x", MIB)
        .expand("@@", "x", 13 * MIB + 1),
    );
    // IDs: at most 255 bytes; a message with a longer one is not answered.
    out.push(
        ok(
            "long.request_id_at_the_limit",
            r#"{"api":"fromWidget","widgetId":"w1","requestId":"@@","action":"content_loaded","data":{}}"#,
            Host,
        )
        .expand("@@", "r", 255)
        .request_id(Some(&"r".repeat(255)), false)
        .reencode(Reencode::Exact),
    );
    out.push(
        Case::new(
            "long.request_id_over_the_limit",
            r#"{"api":"fromWidget","widgetId":"w1","requestId":"@@","action":"content_loaded","data":{}}"#,
            Kind::Refused,
            None,
            false,
        )
        .to(Host)
        .contains("`requestId` is longer than the limit of 255 bytes")
        .expand("@@", "r", 256),
    );
    out.push(
        refused_id(
            "long.widget_id_over_the_limit",
            r#"{"api":"fromWidget","widgetId":"@@","requestId":"r1","action":"content_loaded","data":{}}"#,
            "`widgetId` is longer than the limit of 255 bytes",
        )
        .request_id(Some(RID), false)
        .to(Host)
        .expand("@@", "w", 256),
    );
    out.push(
        refused_id(
            "long.action_over_the_limit",
            r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"org.example.@@","data":{}}"#,
            "`action` is longer than the limit of 255 bytes",
        )
        .request_id(Some(RID), false)
        .to(Host)
        .expand("@@", "a", 256),
    );
    out.push(
        ok(
            "long.action_at_the_limit",
            r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"org.example.@@","data":{}}"#,
            Host,
        )
        .expand("@@", "a", 255 - 12)
        .reencode(Reencode::Exact),
    );
    // Errors quote at most a bounded prefix of a long value.
    out.push(
        bad_request(
            "long.unknown_update_action",
            from("update_delayed_event", r#"{"delay_id":"d","action":"@@"}"#),
            Host,
            "unknown delayed event update action",
        )
        .expand("@@", "p", 100_000),
    );
    out.push(
        bad_request("long.delay_string", send_event(r#"{"type":"t","content":{},"delay":"@@"}"#), Host, "`delay`")
            .expand("@@", "9", 100_000),
    );
    out.push(
        bad_request("long.type_key_in_wrong_type", send_event(r#"{"type":{"@@":1},"content":{}}"#), Host, "`type`")
            .expand("@@", "k", 100_000),
    );
    out.push(
        bad_request("long.wrong_type_string", from("set_always_on_screen", r#"{"value":"@@"}"#), Host, "`value`")
            .expand("@@", "v", 100_000),
    );
    out.push(
        bad_request(
            "long.closed_name",
            from("org.matrix.msc3869.read_relations", r#"{"event_id":"$e","direction":"@@"}"#),
            Host,
            "`direction`",
        )
        .expand("@@", "f", 100_000),
    );
    out.push(
        malformed("long.api_value", r#"{"api":"@@","widgetId":"w1","requestId":"r1","action":"content_loaded","data":{}}"#)
            .contains("`api`")
            .expand("@@", "a", 100_000),
    );
    out.push(
        bad_request(
            "long.duplicate_known_key_after_long_values",
            send_event(r#"{"type":"@@","content":{},"type":"@@"}"#),
            Host,
            "`type` appears twice",
        )
        .expand("@@", "t", 100_000)
        .expand("@@", "t", 100_000),
    );
    out.push(
        bad_request("long.duplicate_unknown_data_key", send_event(r#"{"type":"t","content":{},"@@":1,"@@":2}"#), Host, "appears twice")
            .expand("@@", "k", 100_000)
            .expand("@@", "k", 100_000),
    );
    out.push(
        malformed(
            "long.duplicate_unknown_envelope_key",
            r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"content_loaded","data":{},"@@":1,"@@":2}"#,
        )
        .contains("appears twice")
        .expand("@@", "k", 100_000)
        .expand("@@", "k", 100_000),
    );
    out.push(
        bad_reply(
            "long.duplicate_unknown_reply_key",
            reply(FW, "send_event", r#"{"event_id":"$e","@@":1,"@@":2}"#),
            Widget,
            "appears twice",
        )
        .expand("@@", "k", 100_000)
        .expand("@@", "k", 100_000),
    );
    out.push(
        bad_request(
            "long.duplicate_unknown_nested_key",
            from("m.sticker", r#"{"name":"n","content":{"url":"u","@@":1,"@@":2}}"#),
            Host,
            "appears twice",
        )
        .expand("@@", "k", 100_000)
        .expand("@@", "k", 100_000),
    );
    out.push(
        bad_request("long.missing_field_after_long_unknown_key", send_event(r#"{"content":{},"@@":1}"#), Host, "`type` is missing")
            .expand("@@", "k", 100_000),
    );
    // Long values that are fine.
    out.push(
        ok("long.unknown_data_key", send_event(r#"{"type":"t","content":{},"@@":1}"#), Host)
            .expand("@@", "k", 100_000)
            .reencode(Reencode::Exact),
    );
    out.push(
        ok("long.capability", from("org.matrix.msc2974.request_capabilities", r#"{"capabilities":["org.example.@@"]}"#), Host)
            .expand("@@", "c", 100_000)
            .reencode(Reencode::Exact),
    );
    out.push(
        ok("long.error_message", reply(FW, "send_event", r#"{"error":{"message":"@@"}}"#), Widget)
            .expand("@@", "m", 100_000)
            .reencode(Reencode::Exact),
    );
    out
}

fn deep_nesting() -> Vec<Case> {
    let mut out = Vec::new();
    let deeper = "nested deeper than 64 levels";
    // The message is level 1, `data` 2, `content` 3: 61 more levels make 64.
    let nest = |n: usize| format!("{}1{}", r#"{"a":"#.repeat(n), "}".repeat(n));
    let arrays = |n: usize| format!("{}1{}", "[".repeat(n), "]".repeat(n));
    out.push(
        ok("deep.content_at_the_limit", send_event(&format!(r#"{{"type":"t","content":{{"a":{}}}}}"#, nest(61))), Host)
            .reencode(Reencode::Exact),
    );
    out.push(
        refused("deep.content_over_the_limit", send_event(&format!(r#"{{"type":"t","content":{{"a":{}}}}}"#, nest(62))), deeper).to(Host),
    );
    out.push(
        ok("deep.arrays_at_the_limit", send_event(&format!(r#"{{"type":"t","content":{{"a":{}}}}}"#, arrays(61))), Host)
            .reencode(Reencode::Exact),
    );
    out.push(
        refused("deep.arrays_over_the_limit", send_event(&format!(r#"{{"type":"t","content":{{"a":{}}}}}"#, arrays(62))), deeper).to(Host),
    );
    out.push(
        refused("deep.unknown_data_field", send_event(&format!(r#"{{"type":"t","content":{{}},"x":{}}}"#, arrays(63))), deeper).to(Host),
    );
    out.push(
        ok(
            "deep.unknown_envelope_field_at_the_limit",
            format!(r#"{{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"content_loaded","data":{{}},"x":{}}}"#, arrays(63)),
            Host,
        )
        .reencode(Reencode::Exact),
    );
    out.push(
        refused(
            "deep.unknown_envelope_field",
            format!(r#"{{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"content_loaded","data":{{}},"x":{}}}"#, arrays(64)),
            deeper,
        )
        .to(Host),
    );
    out.push(refused("deep.typed_position", send_event(&format!(r#"{{"type":{},"content":{{}}}}"#, arrays(64))), deeper).to(Host));
    out.push(
        refused(
            "deep.capabilities",
            from("org.matrix.msc2974.request_capabilities", &format!(r#"{{"capabilities":{}}}"#, arrays(64))),
            deeper,
        )
        .to(Host),
    );
    out.push(refused("deep.vendor_data", from("org.example.x", &nest(64)), deeper).to(Host));
    out.push(refused("deep.reply", reply(FW, "org.example.x", &nest(64)), deeper).request_id(Some(RID), false).to(Widget));
    out.push(
        refused("deep.error_reply", reply(FW, "send_event", &format!(r#"{{"error":{{"message":"m","x":{}}}}}"#, arrays(64))), deeper)
            .request_id(Some(RID), false)
            .to(Widget),
    );
    out.push(
        refused("deep.a_million_levels", send_event(r#"{"type":"t","content":{"a":@@}}"#), deeper).to(Host).expand("@@", "[", 1_000_000),
    );
    out.push(
        refused("deep.a_million_objects", send_event(r#"{"type":"t","content":@@}"#), deeper).to(Host).expand("@@", r#"{"a":"#, 1_000_000),
    );
    // Too deep is refused before parsing, so even broken JSON is answered when the head is readable.
    out.push(refused("deep.unclosed", send_event(&format!(r#"{{"type":"t","content":{}"#, "[".repeat(100))), deeper).to(Host));
    // The head is searched in the first 64 KiB only: an envelope written after a deep
    // `data` is not read.
    out.push(
        Case::new(
            "deep.envelope_after_deep_data",
            r#"{"data":{"type":"t","content":{"a":@@1@@}},"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"send_event"}"#,
            Kind::Refused,
            None,
            false,
        )
        .contains(deeper)
        .to(Host)
        .expand("@@", "[", 100_000)
        .expand("@@", "]", 100_000),
    );
    out
}

fn huge_arrays() -> Vec<Case> {
    let mut out = Vec::new();
    let many = "more than 100000 members";
    let n = 100_000;
    out.push(
        ok("huge.content_array_at_the_limit", send_event(r#"{"type":"t","content":{"a":[@@0]}}"#), Host)
            .expand("@@", "0,", n - 1)
            .reencode(Reencode::Exact),
    );
    out.push(
        refused("huge.content_array_over_the_limit", send_event(r#"{"type":"t","content":{"a":[@@0]}}"#), many)
            .to(Host)
            .expand("@@", "0,", n),
    );
    out.push(refused("huge.content_object", send_event(r#"{"type":"t","content":{@@"k":0}}"#), many).to(Host).expand("@@", r#""k":0,"#, n));
    out.push(
        refused("huge.capabilities", from("org.matrix.msc2974.request_capabilities", r#"{"capabilities":[@@"m.sticker"]}"#), many)
            .to(Host)
            .expand("@@", r#""m.sticker","#, n),
    );
    out.push(
        refused("huge.turn_uris", request(TW, "update_turn_servers", r#"{"uris":[@@"turn:a"],"username":"u","password":"p"}"#), many)
            .to(Widget)
            .expand("@@", r#""turn:a","#, n),
    );
    out.push(
        refused("huge.read_events_reply", reply(FW, "org.matrix.msc2876.read_events", r#"{"events":[@@{}]}"#), many)
            .request_id(Some(RID), false)
            .to(Widget)
            .expand("@@", "{},", n),
    );
    out.push(refused("huge.unknown_data_fields", send_event(r#"{"type":"t","content":{},@@"z":0}"#), many).to(Host).expand(
        "@@",
        r#""k":0,"#,
        n,
    ));
    out.push(
        refused(
            "huge.to_device_messages",
            from("send_to_device", r#"{"type":"t","encrypted":false,"messages":{"@u:b":{@@"D":{}}}}"#),
            many,
        )
        .to(Host)
        .expand("@@", r#""D":{},"#, n),
    );
    // The limit is per container: many small arrays are fine.
    out.push(
        ok("huge.many_small_arrays", send_event(r#"{"type":"t","content":{"a":[@@[0]]}}"#), Host)
            .expand("@@", "[0,0,0,0],", 30_000)
            .reencode(Reencode::Exact),
    );
    // A duplicate among many unknown keys is found too.
    out.push(bad_request(
        "huge.duplicate_among_many_unknown_keys",
        send_event(&format!(
            r#"{{"type":"t","content":{{}},"k":1,{}"k":2}}"#,
            (0..50).map(|i| format!(r#""k{i}":0,"#)).collect::<String>()
        )),
        Host,
        "`k` appears twice",
    ));
    out
}

fn invalid_utf8() -> Vec<Case> {
    let envelope = |data: &[u8]| -> Vec<u8> {
        let mut out =
            br#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"send_event","data":{"type":"t","content":{"body":""#
                .to_vec();
        out.extend_from_slice(data);
        out.extend_from_slice(br#""}}}"#);
        out
    };
    let mut out: Vec<Case> = [
        ("byte_ff", &b"\xff"[..]),
        ("lone_continuation_byte", b"\x80"),
        ("overlong_nul", b"\xc0\x80"),
        ("overlong_slash", b"\xe0\x80\xaf"),
        ("encoded_surrogate", b"\xed\xa0\x80"),
        ("above_u10ffff", b"\xf4\x90\x80\x80"),
        ("f5_lead_byte", b"\xf5\x80\x80\x80"),
        ("truncated_two_bytes", b"\xc3"),
        ("truncated_three_bytes", b"\xe2\x82"),
        ("truncated_four_bytes", b"\xf0\x9f\x98"),
        ("latin1_e_acute", b"caf\xe9"),
    ]
    .into_iter()
    .map(|(name, bytes)| Case::bytes(format!("utf8.in_content.{name}"), &envelope(bytes)).contains("not valid UTF-8"))
    .collect();
    out.push(
        Case::bytes(
            "utf8.in_a_key",
            b"{\"api\":\"fromWidget\",\"widgetId\":\"w1\",\"requestId\":\"r1\",\"action\":\"content_loaded\",\"data\":{\"\xff\":1}}",
        )
        .contains("not valid UTF-8"),
    );
    out.push(
        Case::bytes(
            "utf8.in_request_id",
            b"{\"api\":\"fromWidget\",\"widgetId\":\"w1\",\"requestId\":\"r\xff\",\"action\":\"content_loaded\",\"data\":{}}",
        )
        .contains("not valid UTF-8"),
    );
    out.push(
        Case::bytes(
            "utf8.first_byte",
            b"\xff{\"api\":\"fromWidget\",\"widgetId\":\"w1\",\"requestId\":\"r1\",\"action\":\"content_loaded\",\"data\":{}}",
        )
        .contains("at byte 0"),
    );
    out.push(Case::bytes("utf8.utf16_bom", b"\xff\xfe{\x00}\x00").contains("not valid UTF-8"));
    // Valid multi-byte characters are fine, in bytes as in text.
    let mut valid = Case::bytes("utf8.valid_multibyte", &envelope("é😀\u{10ffff}".as_bytes())).to(Host).reencode(Reencode::Exact);
    valid.kind = Kind::Ok;
    valid.request_id = Some(RID.to_owned());
    out.push(valid);
    out
}

fn surrogates() -> Vec<Case> {
    let lone = "lone surrogate";
    let mut out = Vec::new();
    for (name, data) in [
        ("typed_field", r#"{"type":"\ud800","content":{}}"#),
        ("typed_field_upper_case_hex", r#"{"type":"\uD800","content":{}}"#),
        ("low_half", r#"{"type":"\udc00","content":{}}"#),
        ("high_then_not_low", r#"{"type":"\udbff\u0041","content":{}}"#),
        ("reversed_pair", r#"{"type":"\ude00\ud83d","content":{}}"#),
        ("two_high_halves", r#"{"type":"\ud800\ud800","content":{}}"#),
        ("high_at_end_of_string", r#"{"type":"t\ud83d","content":{}}"#),
        ("high_then_text", r#"{"type":"\ud83dx","content":{}}"#),
        ("state_key", r#"{"type":"t","state_key":"\udfff","content":{}}"#),
        ("content_value", r#"{"type":"t","content":{"body":"\ud800"}}"#),
        ("content_key", r#"{"type":"t","content":{"\ud800":1}}"#),
        ("nested_content", r#"{"type":"t","content":{"a":[{"b":"x\udc00"}]}}"#),
        ("unknown_field_value", r#"{"type":"t","content":{},"x":"\ud800"}"#),
        ("unknown_field_key", r#"{"type":"t","content":{},"\ud800":1}"#),
        ("known_key_spelled_with_one", r#"{"\ud800type":"t","content":{}}"#),
    ] {
        out.push(refused(format!("surrogate.{name}"), send_event(data), lone).to(Host));
    }
    out.push(
        refused(
            "surrogate.capability",
            from("org.matrix.msc2974.request_capabilities", r#"{"capabilities":["m.send.event:\ud800"]}"#),
            lone,
        )
        .to(Host),
    );
    out.push(refused("surrogate.update_action", from("update_delayed_event", r#"{"delay_id":"d","action":"\ud800"}"#), lone).to(Host));
    out.push(refused("surrogate.vendor_data", from("org.example.x", r#"{"a":"\ud800"}"#), lone).to(Host));
    out.push(
        refused(
            "surrogate.envelope_unknown_value",
            r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"content_loaded","data":{},"x":"\ud800"}"#,
            lone,
        )
        .to(Host),
    );
    out.push(
        refused(
            "surrogate.envelope_unknown_key",
            r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"content_loaded","data":{},"\ud800":1}"#,
            lone,
        )
        .to(Host),
    );
    out.push(
        refused("surrogate.reply", reply(FW, "send_event", r#"{"event_id":"$\ud800"}"#), lone).request_id(Some(RID), false).to(Widget),
    );
    out.push(
        refused("surrogate.error_message", reply(FW, "send_event", r#"{"error":{"message":"\ud800"}}"#), lone)
            .request_id(Some(RID), false)
            .to(Widget),
    );
    // In the envelope itself: the field with the surrogate cannot be read back, so the
    // message is not answerable.
    out.push(
        Case::new(
            "surrogate.request_id",
            r#"{"api":"fromWidget","widgetId":"w1","requestId":"\ud800","action":"content_loaded","data":{}}"#,
            Kind::Refused,
            None,
            false,
        )
        .to(Host)
        .contains(lone),
    );
    out.push(
        refused(
            "surrogate.widget_id",
            r#"{"api":"fromWidget","widgetId":"\udc00","requestId":"r1","action":"content_loaded","data":{}}"#,
            lone,
        )
        .request_id(Some(RID), false)
        .to(Host),
    );
    out.push(
        refused("surrogate.action", r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"\ud800","data":{}}"#, lone)
            .request_id(Some(RID), false)
            .to(Host),
    );
    out.push(
        refused("surrogate.api", r#"{"api":"\ud800","widgetId":"w1","requestId":"r1","action":"content_loaded","data":{}}"#, lone)
            .request_id(Some(RID), false)
            .to(Host),
    );
    // Not surrogates: a well-formed pair, an escaped backslash, a BMP escape.
    out.push(
        ok("surrogate.pair_is_a_character", send_event(r#"{"type":"\ud83d\ude00","content":{"b":"\ud83d\ude00"}}"#), Host)
            .reencode(Reencode::Value),
    );
    out.push(
        ok(
            "surrogate.pair_in_request_id",
            r#"{"api":"fromWidget","widgetId":"w1","requestId":"\ud83d\ude00","action":"content_loaded","data":{}}"#,
            Host,
        )
        .request_id(Some("😀"), false)
        .reencode(Reencode::Value),
    );
    out.push(
        ok("surrogate.escaped_backslash", send_event(r#"{"type":"\\ud800","content":{"b":"\\udc00"}}"#), Host).reencode(Reencode::Exact),
    );
    out.push(ok("surrogate.bmp_escape", send_event(r#"{"type":"\u00e9\uffff","content":{}}"#), Host).reencode(Reencode::Value));
    out.push(malformed("surrogate.truncated_escape", send_event(r#"{"type":"t","content":{"b":"\ud8"}}"#)));
    out
}

/// Capability strings with every escaping corner: capabilities are an open set, so each
/// decodes and is re-emitted exactly, in the three messages that carry lists of them.
fn capabilities() -> Vec<Case> {
    use matrix_widget_api::Capability;
    use matrix_widget_api::naming::{NameSpec, WireName};
    // JSON string literals, as written on the wire (serde_json's own escaping, so that
    // re-emission is byte-exact).
    // Every declared spelling, each prefix with a few parameters: in the lists of all.
    let mut spellings: Vec<String> = Vec::new();
    for spec in Capability::NAMES {
        for spelling in NameSpec::spellings(spec) {
            if spec.prefix {
                for param in ["m.room.message#m.text", r"a\#b#c", "*", ""] {
                    spellings.push(serde_json::to_string(&format!("{spelling}{param}")).expect("a string"));
                }
            } else {
                spellings.push(serde_json::to_string(spelling).expect("a string"));
            }
        }
    }
    // The escaping corners, one case each too.
    let mut literals: Vec<String> = Vec::new();
    let state = "org.matrix.msc2762.send.state_event:";
    let room = "m.receive.event:";
    for param in [
        r"a\#b#c",
        r"a\\#b",
        r"\#",
        "#",
        "a#",
        "#b",
        r"a\",
        r"a\#",
        r"a\#b\",
        "a#b#c",
        r"a\\",
        r"\\\#",
        "",
        "ü#ß",
        "😀#😀",
        "a b#c d",
        "m.room.message#",
        "a:b#c:d",
        "a\\u#x",
    ] {
        literals.push(serde_json::to_string(&format!("{state}{param}")).expect("a string"));
    }
    for param in [
        "m.room.message#",
        "m.room.message#m.text",
        "m.room.message#a#b",
        "org.example#test",
        r"m.room.message\#x",
        "m.room.message#\\",
        "M.ROOM.MESSAGE#x",
    ] {
        literals.push(serde_json::to_string(&format!("{room}{param}")).expect("a string"));
    }
    for text in [
        "org.matrix.msc2762.timeline:*",
        "org.matrix.msc2762.timeline:**",
        "m.timeline:!r:b",
        "m.timeline:",
        "org.matrix.msc3819.send.to_device:a#b",
        "m.send.event",
        "M.SEND.EVENT:x",
        "m.send.event::",
        " m.sticker",
        "m.sticker ",
        "m.capbility.screenshot",
        "org.example.cap",
        "",
        " ",
        "\"quoted\"",
        "back\\slash",
        "line\nbreak\ttab\r\u{8}\u{c}",
        "nul\u{0}and\u{1f}control",
        "del\u{7f}",
        "ü😀\u{10ffff}",
    ] {
        literals.push(serde_json::to_string(text).expect("a string"));
    }
    let mut out = Vec::new();
    for (i, literal) in literals.iter().enumerate() {
        let text = from("org.matrix.msc2974.request_capabilities", &format!(r#"{{"capabilities":[{literal}]}}"#));
        out.push(ok(format!("capability.request_capabilities.{i:03}"), text, Host).reencode(Reencode::Exact));
    }
    let all = literals.iter().chain(&spellings).map(String::as_str).collect::<Vec<_>>().join(",");
    out.push(
        ok("capability.capabilities_reply.all", reply(TW, "capabilities", &format!(r#"{{"capabilities":[{all}]}}"#)), Host)
            .reencode(Reencode::Exact),
    );
    out.push(
        ok(
            "capability.notify_capabilities.all",
            request(TW, "notify_capabilities", &format!(r#"{{"requested":[{all}],"approved":[{all}]}}"#)),
            Widget,
        )
        .reencode(Reencode::Exact),
    );
    out.push(
        ok("capability.request_capabilities.all", from("request_capabilities", &format!(r#"{{"capabilities":[{all}]}}"#)), Host)
            .reencode(Reencode::Exact),
    );
    // Escapes serde_json does not write come back as the same string, not the same bytes.
    for (name, literal) in [
        ("escaped_slash", r#""m.timeline:\/""#),
        ("escaped_letter", r#""m.\u0073ticker""#),
        ("escaped_hash", r#""m.send.state_event:a\u005c#b""#),
    ] {
        out.push(
            ok(format!("capability.{name}"), from("request_capabilities", &format!(r#"{{"capabilities":[{literal}]}}"#)), Host)
                .reencode(Reencode::Value),
        );
    }
    out.push(ok("capability.request_capabilities.absent_is_empty", from("request_capabilities", "{}"), Host));
    for (name, value) in [
        ("number", "[1]"),
        ("null_entry", r#"["m.sticker",null]"#),
        ("object_entry", "[{}]"),
        ("not_a_list", r#""m.sticker""#),
        ("object", r#"{"m.sticker":true}"#),
    ] {
        out.push(bad_request(
            format!("capability.request_capabilities.{name}"),
            from("request_capabilities", &format!(r#"{{"capabilities":{value}}}"#)),
            Host,
            "`capabilities`",
        ));
        out.push(bad_reply(
            format!("capability.capabilities_reply.{name}"),
            reply(TW, "capabilities", &format!(r#"{{"capabilities":{value}}}"#)),
            Host,
            "`response.capabilities`",
        ));
    }
    out
}

/// Every theme: its file stem and its cases.
pub(crate) fn themes(tests_dir: &Path) -> Vec<(&'static str, Vec<Case>)> {
    all_themes(tests_dir)
}

/// Brings `tests/hostile/*.jsonl` in line with the generator, or with `check`, only says
/// whether they are (rust-analyzer's `ensure_file_contents`): `Err` names every file that is
/// out of date, missing or left over, and for a changed file the cases that differ. Returns
/// the files it wrote. Line endings are compared after normalising `\r\n` to `\n`.
pub(crate) fn sync(tests_dir: &Path, check: bool) -> Result<Vec<std::path::PathBuf>, String> {
    let dir = tests_dir.join("hostile");
    let mut problems = String::new();
    let mut written = Vec::new();
    let themes = themes(tests_dir);
    for (theme, cases) in &themes {
        let path = dir.join(format!("{theme}.jsonl"));
        let wanted = render(cases);
        let on_disk = std::fs::read_to_string(&path).ok().map(|text| text.replace("\r\n", "\n"));
        if on_disk.as_deref() == Some(wanted.as_str()) {
            continue;
        }
        if !check {
            std::fs::write(&path, &wanted).map_err(|e| format!("{}: {e}", path.display()))?;
            written.push(path);
            continue;
        }
        let _ = match on_disk {
            None => writeln!(problems, "{} is missing", path.display()),
            Some(text) => writeln!(problems, "{} is out of date: {}", path.display(), differing_cases(cases, &text)),
        };
    }
    let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        if path.extension().is_some_and(|e| e == "jsonl") && !themes.iter().any(|(theme, _)| *theme == stem) {
            let _ = writeln!(problems, "{} is no theme of the generator", path.display());
        }
    }
    if problems.is_empty() { Ok(written) } else { Err(format!("{problems}run `cargo xtask hostile` to regenerate tests/hostile/*.jsonl")) }
}

/// The names of the cases that differ between `cases` and a committed file's `text`.
fn differing_cases(cases: &[Case], text: &str) -> String {
    let committed: Vec<Result<Case, String>> = text.lines().map(Case::from_line).collect();
    let mut names: Vec<String> = Vec::new();
    for case in cases {
        if !committed.iter().any(|c| c.as_ref().is_ok_and(|c| c == case)) {
            names.push(format!("{} (new or changed)", case.name));
        }
    }
    for (i, committed) in committed.iter().enumerate() {
        match committed {
            Ok(c) if !cases.iter().any(|case| case.name == c.name) => names.push(format!("{} (removed)", c.name)),
            Ok(_) => {}
            Err(e) => names.push(format!("line {}: {e}", i + 1)),
        }
    }
    if names.is_empty() { "the same cases, in another order or spacing".to_owned() } else { names.join(", ") }
}

fn all_themes(tests_dir: &Path) -> Vec<(&'static str, Vec<Case>)> {
    vec![
        ("baseline", baseline()),
        ("invalid_json", invalid_json()),
        ("truncation", truncation(tests_dir)),
        ("envelope", envelope()),
        ("wrong_types", wrong_types()),
        ("numbers", {
            let mut cases = numbers();
            cases.extend(number_forms());
            cases
        }),
        ("missing_and_empty", missing_and_empty()),
        ("update_actions", update_actions()),
        ("duplicates", duplicates()),
        ("long_strings", long_strings()),
        ("deep_nesting", deep_nesting()),
        ("huge_arrays", huge_arrays()),
        ("invalid_utf8", invalid_utf8()),
        ("surrogates", surrogates()),
        ("capabilities", capabilities()),
    ]
}

/// A theme's file contents: one case per line.
pub(crate) fn render(cases: &[Case]) -> String {
    cases.iter().map(|c| c.to_line() + "\n").collect()
}

// ---- A case as a line of JSON ----
//
// Written by hand with `serde_json` alone (the xtask compiles this file and does not depend
// on `serde`'s derives): the keys in this order, optional ones left out when absent.

fn json_string(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

impl Kind {
    const ALL: [(Kind, &'static str); 4] =
        [(Kind::Malformed, "malformed"), (Kind::Invalid, "invalid"), (Kind::Refused, "refused"), (Kind::Ok, "ok")];
}

impl Receiver {
    const ALL: [(Receiver, &'static str); 2] = [(Receiver::Host, "host"), (Receiver::Widget, "widget")];
}

impl Reencode {
    const ALL: [(Reencode, &'static str); 2] = [(Reencode::Exact, "exact"), (Reencode::Value, "value")];
}

/// The word for `value` in `words`.
fn word<T: PartialEq + Copy>(words: &[(T, &'static str)], value: T) -> &'static str {
    words.iter().find(|(v, _)| *v == value).map(|(_, w)| *w).expect("every value has a word")
}

/// The value of the word at `key`, refusing any other word.
fn from_word<T: Copy>(words: &[(T, &'static str)], value: &Value, key: &str) -> Result<T, String> {
    let text = value.as_str().ok_or_else(|| format!("`{key}` is not a string"))?;
    words.iter().find(|(_, w)| *w == text).map(|(v, _)| *v).ok_or_else(|| format!("`{key}`: unknown value {text:?}"))
}

/// The object's keys, refusing any other.
fn object<'v>(value: &'v Value, keys: &[&str], what: &str) -> Result<&'v serde_json::Map<String, Value>, String> {
    let map = value.as_object().ok_or_else(|| format!("{what} is not an object"))?;
    match map.keys().find(|k| !keys.contains(&k.as_str())) {
        Some(unknown) => Err(format!("{what}: unknown key `{unknown}`")),
        None => Ok(map),
    }
}

/// A string, or `None` for an absent or `null` key.
fn optional_string(map: &serde_json::Map<String, Value>, key: &str) -> Result<Option<String>, String> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(format!("`{key}` is not a string")),
    }
}

impl Case {
    /// The case as one line of JSON.
    pub(crate) fn to_line(&self) -> String {
        let mut out = format!("{{\"name\":{}", json_string(&self.name));
        let mut field = |key: &str, value: String| {
            let _ = write!(out, ",\"{key}\":{value}");
        };
        if let Some(input) = &self.input {
            field("input", json_string(input));
        }
        if let Some(input) = &self.input_base64 {
            field("input_base64", json_string(input));
        }
        if !self.expand.is_empty() {
            let entries: Vec<String> = self
                .expand
                .iter()
                .map(|e| format!("{{\"at\":{},\"repeat\":{},\"times\":{}}}", json_string(&e.at), json_string(&e.repeat), e.times))
                .collect();
            field("expand", format!("[{}]", entries.join(",")));
        }
        if let Some(to) = self.to {
            field("to", json_string(word(&Receiver::ALL, to)));
        }
        field("kind", json_string(word(&Kind::ALL, self.kind)));
        field("request_id", self.request_id.as_deref().map_or_else(|| "null".to_owned(), json_string));
        field("reply", self.reply.to_string());
        if let Some(needle) = &self.error_contains {
            field("error_contains", json_string(needle));
        }
        if let Some(reencode) = self.reencode {
            field("reencode", json_string(word(&Reencode::ALL, reencode)));
        }
        if let Some(bug) = &self.bug {
            field("bug", json_string(bug));
        }
        out.push('}');
        out
    }

    /// Reads a line written by [`Case::to_line`] (or by hand, in any key order); unknown keys
    /// are refused.
    pub(crate) fn from_line(line: &str) -> Result<Case, String> {
        let value: Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
        let keys = ["name", "input", "input_base64", "expand", "to", "kind", "request_id", "reply", "error_contains", "reencode", "bug"];
        let map = object(&value, &keys, "a case")?;
        let name = map.get("name").and_then(Value::as_str).ok_or("`name` is missing or not a string")?.to_owned();
        let expand = match map.get("expand") {
            None => Vec::new(),
            Some(Value::Array(entries)) => entries
                .iter()
                .map(|e| {
                    let e = object(e, &["at", "repeat", "times"], "an `expand` entry")?;
                    let text =
                        |key: &str| e.get(key).and_then(Value::as_str).map(str::to_owned).ok_or(format!("`expand.{key}` is not a string"));
                    let times = e
                        .get("times")
                        .and_then(Value::as_u64)
                        .and_then(|t| usize::try_from(t).ok())
                        .ok_or("`expand.times` is not a count")?;
                    Ok(Expand { at: text("at")?, repeat: text("repeat")?, times })
                })
                .collect::<Result<_, String>>()?,
            Some(_) => return Err("`expand` is not a list".to_owned()),
        };
        let optional_word = |key: &str| map.get(key).filter(|v| !v.is_null());
        Ok(Case {
            input: optional_string(map, "input")?,
            input_base64: optional_string(map, "input_base64")?,
            expand,
            to: optional_word("to").map(|v| from_word(&Receiver::ALL, v, "to")).transpose()?,
            kind: from_word(&Kind::ALL, map.get("kind").ok_or("`kind` is missing")?, "kind")?,
            request_id: optional_string(map, "request_id")?,
            reply: map.get("reply").and_then(Value::as_bool).ok_or("`reply` is missing or not a boolean")?,
            error_contains: optional_string(map, "error_contains")?,
            reencode: optional_word("reencode").map(|v| from_word(&Reencode::ALL, v, "reencode")).transpose()?,
            bug: optional_string(map, "bug")?,
            name,
        })
    }
}

// ---- base64, for inputs that are not UTF-8 ----

/// The base64 digits (the test decodes `input_base64` with them).
pub(crate) const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | (u32::from(b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}
