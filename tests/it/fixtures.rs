//! Fixtures: messages captured from matrix-widget-api 1.19.0 (`tests/npm/capture.mjs`) and
//! spellings derived from them. Each one decodes to the kind and action its file name says,
//! re-encodes to the same JSON, and is accepted by the committed schema exactly when it decodes.
//!
//! File names are `<from_widget|to_widget>.<action>.<request|response>.<case>.json`; the
//! action keeps its dots (`m.sticker`, `com.beeper.read_room_account_data`) and the case has
//! none.

use crate::schema::message_validator;
use matrix_widget_api::naming::Naming;
use matrix_widget_api::naming::WireName;
use matrix_widget_api::{ActionName, Api, DecodeError, Message, MessageKind, decode};
use matrix_widget_api::{FromWidgetRequest, FromWidgetResponse, ToWidgetRequest, ToWidgetResponse};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

/// The fixture directories under `tests/fixtures/` that must hold fixtures.
const DIRS: &[&str] = &["msc4157/widget-api-1.19", "msc4157/spellings", "actions/widget-api-1.19", "actions/spellings"];

/// The messages captured for every action of both directions (`tests/npm/README.md`).
const ACTIONS_DIR: &str = "actions/widget-api-1.19";

/// Captured requests that the project rejects on purpose (wire decision 5; a missing or empty `delay_id`,
/// which widget-api's host rejects too), by path under `tests/fixtures/`.
const REJECTED: &[(&str, &str)] = &[
    ("msc4157/widget-api-1.19/from_widget.send_event.request.delay_zero.json", "`delay` is out of range: 0 is not an integer"),
    ("msc4157/widget-api-1.19/from_widget.send_event.request.delay_negative.json", "`delay` is out of range: -1 is not an integer"),
    ("msc4157/widget-api-1.19/from_widget.update_delayed_event.request.missing_delay_id.json", "`delay_id` is missing"),
    ("msc4157/widget-api-1.19/from_widget.update_delayed_event.request.empty_delay_id.json", "`delay_id` must not be empty"),
    // Wire decision 39: a futures-era delayed send would otherwise be sent at once.
    ("released-peers/from_widget.send_event.request.futures_era.json", "`future_timeout` is a delayed-send field of matrix-widget-api 1.7"),
];

/// The 25 fromWidget and 15 toWidget actions of widget-api 1.19, by
/// the name their fixtures are filed under (the stable one where there is one).
const FROM_WIDGET_ACTIONS: &[&str] = &[
    "supported_api_versions",
    "content_loaded",
    "m.sticker",
    "set_always_on_screen",
    "get_openid",
    "close_modal",
    "open_modal",
    "set_button_enabled",
    "send_event",
    "send_to_device",
    "watch_turn_servers",
    "unwatch_turn_servers",
    "read_events",
    "navigate",
    "request_capabilities",
    "read_relations",
    "user_directory_search",
    "get_media_config",
    "upload_file",
    "download_file",
    "update_delayed_event",
    "com.beeper.read_room_account_data",
    "get_rtc_transports",
    "org.matrix.msc4533.rtc_livekit_get_token",
    "org.matrix.msc4533.rtc_livekit_delegate_delayed_leave",
];
const TO_WIDGET_ACTIONS: &[&str] = &[
    "supported_api_versions",
    "capabilities",
    "notify_capabilities",
    "theme_change",
    "language_change",
    "screenshot",
    "visibility",
    "openid_credentials",
    "widget_config",
    "close_modal",
    "button_clicked",
    "send_event",
    "send_to_device",
    "update_state",
    "update_turn_servers",
];

/// A fixture file.
pub(crate) struct Fixture {
    /// Its directory under `tests/fixtures/`, with `/` separators.
    pub(crate) dir: String,
    /// Its file name.
    pub(crate) name: String,
    /// Its contents.
    pub(crate) text: String,
}

impl Fixture {
    /// The path under `tests/fixtures/`.
    pub(crate) fn path(&self) -> String {
        format!("{}/{}", self.dir, self.name)
    }
}

/// Every fixture under `tests/fixtures/` (recursively, whatever folders are added), sorted by
/// path; read once per run and shared by every test. The one fixture loader of `it`.
pub(crate) fn fixture_files() -> &'static [Fixture] {
    static FIXTURES: LazyLock<Vec<Fixture>> = LazyLock::new(|| {
        let files: Vec<Fixture> = json_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"))
            .into_iter()
            .map(|(path, text)| {
                let (dir, name) = path.rsplit_once('/').unwrap_or(("", &path));
                Fixture { dir: dir.to_owned(), name: name.to_owned(), text }
            })
            .collect();
        for &dir in DIRS {
            let found = files.iter().filter(|f| f.dir == dir).count();
            assert!(found > 10, "{dir}: expected its fixtures, found {found}");
        }
        assert!(files.len() > 380, "expected every fixture, found {}", files.len());
        files
    });
    &FIXTURES
}

/// Every `*.json` file under `dir`, recursively, as (path relative to `dir`, text), sorted;
/// `MANIFEST.json` files describe fixtures and are not fixtures.
pub(crate) fn json_files(dir: &Path) -> Vec<(String, String)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.expect("readable directory entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "json") && !path.ends_with("MANIFEST.json") {
                out.push(path);
            }
        }
    }
    let mut paths = Vec::new();
    walk(dir, &mut paths);
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let relative = path.strip_prefix(dir).expect("under dir").to_string_lossy().replace('\\', "/");
            (relative, std::fs::read_to_string(&path).expect("readable file"))
        })
        .collect()
}

/// What a file name says: who sent the request, the action (as written), whether the file is
/// the response, and the case.
struct FileName<'a> {
    api: Api,
    action: &'a str,
    response: bool,
    case: &'a str,
}

fn parse_file_name(name: &str) -> FileName<'_> {
    let stem = name.strip_suffix(".json").unwrap_or_else(|| panic!("{name}: not .json"));
    let (rest, case) = stem.rsplit_once('.').unwrap_or_else(|| panic!("{name}: no case"));
    let (rest, kind) = rest.rsplit_once('.').unwrap_or_else(|| panic!("{name}: no kind"));
    let (api, action) = rest.split_once('.').unwrap_or_else(|| panic!("{name}: no action"));
    let api = match api {
        "from_widget" => Api::FromWidget,
        "to_widget" => Api::ToWidget,
        _ => panic!("{name}: direction {api:?}"),
    };
    let response = match kind {
        "request" => false,
        "response" => true,
        _ => panic!("{name}: kind {kind:?}"),
    };
    // `hostile.rs` finds the kind with `contains(".request.")`, so a case may not be a kind.
    assert!(!action.is_empty() && !["", "request", "response"].contains(&case), "{name}: case {case:?}");
    FileName { api, action, response, case }
}

/// Whether a decoded message has typed payloads (not an `Other` variant).
fn is_typed(message: &Message) -> bool {
    !matches!(
        message,
        Message::FromWidgetRequest(FromWidgetRequest::Other(_))
            | Message::FromWidgetResponse(FromWidgetResponse::Other(_))
            | Message::ToWidgetRequest(ToWidgetRequest::Other(_))
            | Message::ToWidgetResponse(ToWidgetResponse::Other(_))
    )
}

/// `null`-valued keys of `data` read as absent (MSC2813, wire decision 5) and are not re-emitted.
fn without_null_data_fields(mut v: Value) -> Value {
    let (api, action) = (v["api"].clone(), v["action"].clone());
    if let Some(data) = v.get_mut("data").and_then(Value::as_object_mut) {
        data.retain(|_, v| !v.is_null());
        // Fields released peers omit and the crate always emits, with the value an absent
        // one reads as (wire decisions 36 and 37).
        match (api.as_str(), action.as_str()) {
            (Some("fromWidget"), Some("send_event")) => {
                data.entry("content").or_insert_with(|| Value::Object(serde_json::Map::new()));
            }
            (Some("toWidget"), Some("send_to_device")) => {
                data.entry("encrypted").or_insert(Value::Bool(false));
            }
            _ => {}
        }
    }
    // A send_event reply drops its `null` IDs too (matrix-rust-sdk's `"event_id": null`).
    if action.as_str() == Some("send_event")
        && let Some(response) = v.get_mut("response").and_then(Value::as_object_mut)
    {
        response.retain(|k, v| !(v.is_null() && matches!(k.as_str(), "event_id" | "delay_id" | "room_id")));
    }
    v
}

fn expected_kind(name: &str) -> &'static str {
    let file = parse_file_name(name);
    match (file.api, file.response) {
        (Api::FromWidget, false) => "FromWidgetRequest",
        (Api::FromWidget, true) => "FromWidgetResponse",
        (Api::ToWidget, false) => "ToWidgetRequest",
        (Api::ToWidget, true) => "ToWidgetResponse",
    }
}

fn kind(message: &Message) -> &'static str {
    match message {
        Message::FromWidgetRequest(_) => "FromWidgetRequest",
        Message::FromWidgetResponse(_) => "FromWidgetResponse",
        Message::ToWidgetRequest(_) => "ToWidgetRequest",
        Message::ToWidgetResponse(_) => "ToWidgetResponse",
        _ => "unknown",
    }
}

#[test]
fn every_fixture_decodes_and_round_trips() {
    let typed = [(Api::FromWidget, FromWidgetRequest::typed_actions()), (Api::ToWidget, ToWidgetRequest::typed_actions())];
    assert_eq!((typed[0].1.len(), typed[1].1.len()), (FROM_WIDGET_ACTIONS.len(), TO_WIDGET_ACTIONS.len()), "every action is typed");
    for fixture in fixture_files() {
        let (name, text) = (fixture.path(), &fixture.text);
        if let Some((_, expected)) = REJECTED.iter().find(|(n, _)| *n == name) {
            let err = decode(text).expect_err(&name);
            assert!(err.to_string().contains(expected), "{name}: {err}");
            continue;
        }
        let message = match decode(text) {
            Ok(message) => message,
            // A captured request we refuse must be one the reference refused too: its captured
            // reply is an error (for example "Invalid request - limit out of range").
            Err(DecodeError::Invalid(e)) if fixture.dir == ACTIONS_DIR && fixture.name.contains(".request.error_") => {
                let reply = fixture_files()
                    .iter()
                    .find(|f| f.dir == fixture.dir && f.name == fixture.name.replace(".request.", ".response."))
                    .unwrap_or_else(|| panic!("{name}: refused ({e}), and the reference's reply is not captured"));
                let reply = decode(&reply.text).unwrap_or_else(|e| panic!("{name}'s reply: {e}"));
                assert_eq!(reply.kind(), MessageKind::ErrorResponse, "{name}: refused ({e}), but the reference accepted it");
                continue;
            }
            Err(e) => panic!("{name}: {e}"),
        };
        assert_eq!(kind(&message), expected_kind(&fixture.name), "{name}");
        // The action the file is named after, in any spelling.
        let file = parse_file_name(&fixture.name);
        let action: ActionName = file.action.parse().unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(*message.envelope().action(), action, "{name}: decoded action");
        assert_eq!(message.envelope().api(), file.api, "{name}: api");
        // Every action of widget-api 1.19 is typed; only vendor actions stay `Other`.
        let (_, typed_here) = typed.iter().find(|(api, _)| *api == file.api).expect("both directions");
        assert_eq!(is_typed(&message), typed_here.contains(&action), "{name}: typed variant vs typed_actions()");
        let reencoded: Value = serde_json::to_value(&message).expect("serialises");
        let original: Value = serde_json::from_str(text).expect("fixture is JSON");
        // Typed request data drops `null` fields (they read as absent); raw data (replies'
        // echoes, untyped actions) keeps them.
        if reencoded != original {
            assert_eq!(reencoded, without_null_data_fields(original), "{name} did not round-trip");
        }
    }
}

#[test]
fn schema_accepts_exactly_the_fixtures_that_decode() {
    let validator = message_validator();
    for fixture in fixture_files() {
        let (name, text) = (fixture.path(), &fixture.text);
        let instance: Value = serde_json::from_str(text).expect("fixture is JSON");
        let decodes = decode(text).is_ok();
        let errors: Vec<String> = validator.iter_errors(&instance).map(|e| format!("{} at {}", e, e.instance_path())).collect();
        assert_eq!(errors.is_empty(), decodes, "{name}: decodes = {decodes}, schema errors = {errors:#?}");
    }
}

#[test]
fn requests_are_answered_by_echoing_their_bytes() {
    // The reply to every captured request, built by this crate, equals the reply the real
    // ClientWidgetApi posted, as JSON — and starts with the request's exact bytes.
    let all = fixture_files();
    let mut checked = 0;
    for Fixture { dir, name, text } in all {
        if !name.starts_with("from_widget.") || !name.contains(".request.") {
            continue;
        }
        let reply_name = name.replace(".request.", ".response.");
        let Some(Fixture { text: captured_reply, .. }) = all.iter().find(|f| f.dir == *dir && f.name == reply_name) else { continue };
        let Ok(Message::FromWidgetResponse(captured)) = decode(captured_reply) else { continue };
        let ours = match (decode(text), &captured) {
            (Ok(Message::FromWidgetRequest(FromWidgetRequest::SendEvent(req))), FromWidgetResponse::SendEvent(resp)) => {
                match &resp.result() {
                    Ok(ok) => req.reply(ok),
                    Err(err) => req.reply_error(err.clone()),
                }
            }
            (Ok(Message::FromWidgetRequest(FromWidgetRequest::UpdateDelayedEvent(req))), FromWidgetResponse::UpdateDelayedEvent(resp)) => {
                match &resp.result() {
                    Ok(ok) => req.reply(ok),
                    Err(err) => req.reply_error(err.clone()),
                }
            }
            _ => continue,
        };
        assert!(ours.starts_with(text.trim_end().trim_end_matches('}')), "{name}: reply does not start with the request bytes");
        let ours: Value = serde_json::from_str(&ours).expect("reply is JSON");
        let theirs: Value = serde_json::from_str(captured_reply).expect("fixture is JSON");
        assert_eq!(ours, theirs, "{name}");
        checked += 1;
    }
    assert!(checked >= 25, "only {checked} request/reply pairs checked");
}

#[test]
fn every_action_of_both_directions_has_a_captured_request_and_response() {
    // (api, action) -> [request cases, response cases] in the captured directory.
    let files: Vec<&Fixture> = fixture_files().iter().filter(|f| f.dir == ACTIONS_DIR).collect();
    let mut missing = Vec::new();
    for (api, actions) in [(Api::FromWidget, FROM_WIDGET_ACTIONS), (Api::ToWidget, TO_WIDGET_ACTIONS)] {
        assert_eq!(actions.len(), if api == Api::FromWidget { 25 } else { 15 });
        for &wanted in actions {
            let wanted: ActionName = wanted.parse().expect("an action name");
            assert!(!matches!(wanted, ActionName::_Custom(_)), "{wanted:?} is not a declared action");
            for response in [false, true] {
                let found = files.iter().any(|f| {
                    let file = parse_file_name(&f.name);
                    file.api == api && file.response == response && file.action.parse::<ActionName>().is_ok_and(|a| a == wanted)
                });
                if !found {
                    missing.push(format!("{api:?} {} {}", wanted.name(Naming::Stable), if response { "response" } else { "request" }));
                }
            }
        }
    }
    assert!(missing.is_empty(), "no fixture in {ACTIONS_DIR} for: {missing:#?}");
}

#[test]
fn captured_files_are_named_after_the_stable_name_and_pair_up() {
    // The stable name (or the only one), whatever spelling is inside; every request has the
    // response of the same case and the other way round (one request may have two replies:
    // `navigate.response.error_driver_second_reply`).
    let files: Vec<&Fixture> = fixture_files().iter().filter(|f| f.dir == ACTIONS_DIR).collect();
    for f in &files {
        let file = parse_file_name(&f.name);
        let action: ActionName = file.action.parse().unwrap_or_else(|e| panic!("{}: {e}", f.name));
        assert_eq!(file.action, action.name(Naming::Stable), "{}: not the stable name", f.name);
        let (kind, other) = if file.response { (".response.", ".request.") } else { (".request.", ".response.") };
        let partner = f.name.replace(kind, other);
        let paired = files.iter().any(|g| g.name == partner) || (file.response && file.case.ends_with("_second_reply"));
        assert!(paired, "{}: no {partner}", f.name);
        // A response echoes its request (same requestId and action spelling).
        if !file.response {
            let request: Value = serde_json::from_str(&f.text).expect("JSON");
            let reply: Value = serde_json::from_str(&files.iter().find(|g| g.name == partner).expect("paired").text).expect("JSON");
            for key in ["api", "widgetId", "requestId", "action", "data"] {
                assert_eq!(request[key], reply[key], "{}: `{key}` not echoed", f.name);
            }
        }
    }
}
