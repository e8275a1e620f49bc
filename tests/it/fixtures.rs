//! Fixtures: messages captured from matrix-widget-api 1.19.0 (`tests/npm/capture.mjs`) and
//! hand-written spellings. Each one decodes to the kind its file name says, re-encodes to the
//! same JSON, and is accepted by the committed schema exactly when it decodes.

use crate::schema::message_validator;
use matrix_widget_api::{Message, decode};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Captured requests that the project rejects on purpose (§7.5; a missing or empty `delay_id`,
/// which widget-api's host rejects too).
const REJECTED: &[(&str, &str)] = &[
    ("from_widget.send_event.request.delay_zero.json", "`delay` is out of range: 0 is not an integer"),
    ("from_widget.send_event.request.delay_negative.json", "`delay` is out of range: -1 is not an integer"),
    ("from_widget.update_delayed_event.request.missing_delay_id.json", "`delay_id` is missing"),
    ("from_widget.update_delayed_event.request.empty_delay_id.json", "`delay_id` must not be empty"),
];

pub(crate) fn fixtures() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/msc4157");
    let mut out = Vec::new();
    for dir in ["widget-api-1.19", "spellings"] {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
            .expect("fixture directory exists")
            .map(|e| e.expect("readable directory entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "json") && !p.ends_with("MANIFEST.json"))
            .collect();
        paths.sort();
        for path in paths {
            let name = path.file_name().expect("file name").to_string_lossy().into_owned();
            out.push((name, std::fs::read_to_string(&path).expect("readable fixture")));
        }
    }
    assert!(out.len() > 70, "expected every fixture, found {}", out.len());
    out
}

/// `null`-valued keys of `data` read as absent (MSC2813, §7.5) and are not re-emitted.
fn without_null_data_fields(mut v: Value) -> Value {
    if let Some(data) = v.get_mut("data").and_then(Value::as_object_mut) {
        data.retain(|_, v| !v.is_null());
    }
    v
}

fn expected_kind(name: &str) -> &'static str {
    let api = if name.starts_with("from_widget.") { "from_widget" } else { "to_widget" };
    let response = name.contains(".response.");
    match (api, response) {
        ("from_widget", false) => "FromWidgetRequest",
        ("from_widget", true) => "FromWidgetResponse",
        ("to_widget", false) => "ToWidgetRequest",
        _ => "ToWidgetResponse",
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
    for (name, text) in fixtures() {
        if let Some((_, expected)) = REJECTED.iter().find(|(n, _)| *n == name) {
            let err = decode(&text).expect_err(&name);
            assert!(err.to_string().contains(expected), "{name}: {err}");
            continue;
        }
        let message = decode(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(kind(&message), expected_kind(&name), "{name}");
        let reencoded: Value = serde_json::to_value(&message).expect("serialises");
        let original: Value = serde_json::from_str(&text).expect("fixture is JSON");
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
    for (name, text) in fixtures() {
        let instance: Value = serde_json::from_str(&text).expect("fixture is JSON");
        let decodes = decode(&text).is_ok();
        let errors: Vec<String> = validator.iter_errors(&instance).map(|e| format!("{} at {}", e, e.instance_path())).collect();
        assert_eq!(errors.is_empty(), decodes, "{name}: decodes = {decodes}, schema errors = {errors:#?}");
    }
}

#[test]
fn requests_are_answered_by_echoing_their_bytes() {
    // The reply to every captured request, built by this crate, equals the reply the real
    // ClientWidgetApi posted, as JSON — and starts with the request's exact bytes.
    use matrix_widget_api::decode::{FromWidgetRequest, FromWidgetResponse};
    let all = fixtures();
    let mut checked = 0;
    for (name, text) in &all {
        if !name.starts_with("from_widget.") || !name.contains(".request.") {
            continue;
        }
        let reply_name = name.replace(".request.", ".response.");
        let Some((_, captured_reply)) = all.iter().find(|(n, _)| *n == reply_name) else { continue };
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
    assert!(checked >= 15, "only {checked} request/reply pairs checked");
}
