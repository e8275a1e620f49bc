//! What released peers send (issue 15, section B), and the schemas bounding what the decoder
//! bounds (section C): each case decodes as its wire decision says, and the committed schema
//! agrees with the decoder. The hand-written fixtures live in `tests/fixtures/released-peers/`.

use crate::schema::message_validator;
use matrix_widget_api::from_widget::download_file::DownloadedFile;
use matrix_widget_api::naming::{Spelled, WireName};
use matrix_widget_api::{ApiVersion, Capability, DecodeError, FromWidgetRequest, FromWidgetResponse, Message, ToWidgetRequest, decode};
use serde_json::{Value, json};
use std::path::Path;

/// Unwraps the variant `$variant` of the decoded message `$text`.
macro_rules! typed {
    ($text:expr, $kind:ident :: $variant:ident) => {{
        let text: &str = &$text;
        match decode(text).unwrap_or_else(|e| panic!("{text}: {e}")) {
            Message::$kind(m) => match m {
                $kind::$variant(x) => x,
                other => panic!("expected {}: {other:?}", stringify!($variant)),
            },
            other => panic!("expected a {}: {other:?}", stringify!($kind)),
        }
    }};
}

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/released-peers").join(format!("{name}.json"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn from_widget(action: &str, data: Value) -> String {
    json!({"api": "fromWidget", "widgetId": "w1", "requestId": "r1", "action": action, "data": data}).to_string()
}

fn to_widget(action: &str, data: Value) -> String {
    json!({"api": "toWidget", "widgetId": "w1", "requestId": "r1", "action": action, "data": data}).to_string()
}

fn schema_accepts(text: &str) -> bool {
    message_validator().is_valid(&serde_json::from_str::<Value>(text).expect("JSON"))
}

/// Decodes, and the schema accepts it too.
fn assert_accepted(text: &str) {
    if let Err(e) = decode(text) {
        panic!("{text}: {e}");
    }
    assert!(schema_accepts(text), "the schema rejects what decoding accepts: {text}");
}

/// Refused as invalid data naming `expected`, answered with an error reply that says so, and
/// refused by the schema too.
fn assert_refused(text: &str, expected: &str) {
    let err = decode(text).expect_err(text);
    assert!(matches!(err, DecodeError::Invalid(_)), "{text}: not an invalid-data error: {err}");
    assert!(err.to_string().contains(expected), "{err} does not name {expected:?}");
    let reply: Value = serde_json::from_str(&err.error_reply().expect("answerable")).expect("JSON");
    let message = reply["response"]["error"]["message"].as_str().expect("an error message");
    assert!(message.contains(expected), "{message}");
    assert!(!schema_accepts(text), "the schema accepts what decoding refuses: {text}");
}

// ---- 1. toWidget send_to_device without `encrypted` (wire decision 36) ----

#[test]
fn to_device_without_encrypted_reads_as_not_encrypted() {
    let text = fixture("to_widget.send_to_device.request.matrix_sdk_0_18");
    assert_accepted(&text);
    let request = typed!(text, ToWidgetRequest::SendToDevice);
    assert!(!request.data().encrypted, "absent is not a proof of encryption");
    assert_eq!(request.data().event_type, "io.element.call.encryption_keys");
    // `null` reads as absent; a present flag is kept; a wrong type is still refused.
    let base = json!({"type": "t", "sender": "@b:b", "content": {}});
    let mut null = base.clone();
    null["encrypted"] = Value::Null;
    assert!(!typed!(to_widget("send_to_device", null), ToWidgetRequest::SendToDevice).data().encrypted);
    let mut yes = base.clone();
    yes["encrypted"] = json!(true);
    assert!(typed!(to_widget("send_to_device", yes), ToWidgetRequest::SendToDevice).data().encrypted);
    let mut wrong = base;
    wrong["encrypted"] = json!("yes");
    assert_refused(&to_widget("send_to_device", wrong), "`encrypted`");
}

// ---- 2. send_event without `content` (wire decision 37) ----

#[test]
fn send_event_without_content_sends_empty_content() {
    let text = fixture("from_widget.send_event.request.no_content");
    assert_accepted(&text);
    let request = typed!(text, FromWidgetRequest::SendEvent);
    assert_eq!(request.data().content.get(), "{}");
    assert!(!request.data().is_delayed());
    let null = from_widget("send_event", json!({"type": "org.example.ping", "content": null}));
    assert_accepted(&null);
    assert_eq!(typed!(null, FromWidgetRequest::SendEvent).data().content.get(), "{}");
    // What the reference would also coerce, but no peer sends: refused.
    assert_refused(&from_widget("send_event", json!({"type": "org.example.ping", "content": 0})), "`content`");
    assert_refused(&from_widget("send_event", json!({"type": "org.example.ping", "content": "x"})), "`content`");
}

// ---- 3. download_file answered with base64 (wire decision 38) ----

#[test]
fn download_file_base64_answer_is_a_string_file() {
    let text = fixture("from_widget.download_file.response.matrix_sdk_base64");
    assert_accepted(&text);
    let response = typed!(text, FromWidgetResponse::DownloadFile);
    let file = &response.result().as_ref().expect("success").file;
    assert!(matches!(file, DownloadedFile::JsonString(_)));
    assert_eq!(file.decode_base64().as_deref(), Some(&b"\x89PNG\r\n\x1a\n"[..]));
    // Lossless: the reply re-serialises to the same JSON.
    let again: Value = serde_json::from_str(&serde_json::to_string(&decode(&text).expect("decodes")).expect("serialises")).expect("JSON");
    assert_eq!(again, serde_json::from_str::<Value>(&text).expect("JSON"));
    // A Blob as JSON sees it is the other variant; a text body is a string that is not base64.
    let request = typed!(
        fixture("from_widget.download_file.response.matrix_sdk_base64").replace(r#","response":{"file":"iVBORw0KGgo="}"#, ""),
        FromWidgetRequest::DownloadFile
    );
    let blob = request.reply(&matrix_widget_api::from_widget::download_file::DownloadFileResponseData::new(
        matrix_widget_api::transferable::Transferable::empty_object(),
    ));
    let blob = typed!(blob, FromWidgetResponse::DownloadFile);
    assert!(matches!(blob.result().as_ref().expect("success").file, DownloadedFile::Structured(_)));
    let built = request
        .reply(&matrix_widget_api::from_widget::download_file::DownloadFileResponseData::new(DownloadedFile::base64(b"\x89PNG\r\n\x1a\n")));
    assert_eq!(built, text);
    let text_body = matrix_widget_api::from_widget::download_file::DownloadFileResponseData::new(
        matrix_widget_api::transferable::Transferable::string("file contents"),
    );
    assert_eq!(text_body.file.as_text().as_deref(), Some("file contents"));
    assert_eq!(text_body.file.decode_base64(), None);
}

// ---- 4. send_event replies with a `null` ID (matrix-rust-sdk) ----

#[test]
fn send_event_replies_with_null_ids_decode() {
    let scheduled = fixture("from_widget.send_event.response.matrix_rust_sdk_scheduled");
    assert_accepted(&scheduled);
    let response = typed!(scheduled, FromWidgetResponse::SendEvent);
    assert_eq!(response.result().as_ref().expect("success").delay_id(), Some("syd_abc"));
    let sent = fixture("from_widget.send_event.response.matrix_rust_sdk_sent");
    assert_accepted(&sent);
    let response = typed!(sent, FromWidgetResponse::SendEvent);
    assert_eq!(response.result().as_ref().expect("success").event_id(), Some("$e"));
    // Both `null`: neither ID, refused by both.
    let neither = sent.replace(r#""event_id":"$e""#, r#""event_id":null"#);
    assert!(decode(&neither).is_err() && !schema_accepts(&neither), "{neither}");
}

// ---- 5. futures-era delayed sends (wire decision 39) ----

#[test]
fn futures_era_delayed_sends_are_refused_naming_the_field() {
    assert_refused(&fixture("from_widget.send_event.request.futures_era"), "`future_timeout`");
    let group_only = from_widget("send_event", json!({"type": "m.x", "content": {}, "future_group_id": "g1"}));
    assert_refused(&group_only, "`future_group_id`");
    let with_delay = from_widget("send_event", json!({"type": "m.x", "content": {}, "delay": 10, "future_timeout": 10}));
    assert_refused(&with_delay, "`future_timeout`");
    // `null` means absent (MSC2813): an ordinary immediate send.
    let nulls = from_widget("send_event", json!({"type": "m.x", "content": {}, "future_timeout": null, "future_group_id": null}));
    assert_accepted(&nulls);
    // The payload type refuses it on its own too, not only through `decode`.
    let alone = serde_json::from_value::<matrix_widget_api::from_widget::send_event::SendEventRequestData>(
        json!({"type": "m.x", "content": {}, "future_timeout": 8000}),
    );
    assert!(alone.expect_err("refused").to_string().contains("`future_timeout`"));
}

// ---- 6. strictness beyond the reference host (wire decision 40) ----

#[test]
fn checks_beyond_the_reference_host_are_refused_naming_the_field() {
    assert_refused(&from_widget("org.matrix.msc2876.read_events", json!({"type": "m.room.message", "limit": 1.5})), "`limit`");
    assert_accepted(&from_widget("org.matrix.msc2876.read_events", json!({"type": "m.room.message", "limit": 2.0})));
    assert_refused(&from_widget("org.matrix.msc2876.read_events", json!({"type": "m.room.topic", "state_key": false})), "`state_key`");
    assert_refused(&from_widget("org.matrix.msc3869.read_relations", json!({"event_id": "$e", "direction": "x"})), "`direction`");
    assert_refused(&from_widget("org.matrix.msc3869.read_relations", json!({"event_id": "$e", "limit": 0.5})), "`limit`");
    assert_refused(&from_widget("org.matrix.msc3973.user_directory_search", json!({"search_term": "a", "limit": 2.5})), "`limit`");
    let sticker = |info: Value| from_widget("m.sticker", json!({"name": "Cat", "content": {"url": "mxc://example.org/cat", "info": info}}));
    assert_refused(&sticker(json!({"w": 255.5})), "w");
    assert_refused(&sticker(json!({"size": -1})), "size");
    assert_accepted(&sticker(json!({"w": 256, "h": 256, "size": 1024})));
}

// ---- 7. names upstream knows (wire decisions 41 and 42) ----

#[test]
fn upstream_names_are_typed() {
    for text in ["m.create_room", "org.matrix.msc3817.create_room"] {
        let parsed = Spelled::<Capability>::parse(text).expect("parses");
        assert_eq!(parsed.value(), &Capability::CreateRoom, "{text}");
        assert_eq!(parsed.to_string(), text);
    }
    let send = Spelled::<Capability>::parse("com.beeper.capabilities.send.room_account_data:m.tag").expect("parses");
    assert_eq!(send.value(), &Capability::SendRoomAccountData("m.tag".into()));
    assert_eq!(send.to_string(), "com.beeper.capabilities.send.room_account_data:m.tag");
    for (text, version) in [("org.matrix.msc2790", ApiVersion::Msc2790), ("org.matrix.msc3817", ApiVersion::Msc3817)] {
        assert_eq!(ApiVersion::parse_name(text).expect("parses").0, version, "{text}");
        assert!(!ApiVersion::CURRENT.contains(&version), "{text} is not implemented, so not advertised");
    }
    // `m.rtc_transports`: accepted, never emitted.
    assert_eq!(Spelled::<Capability>::parse("m.rtc_transports").expect("parses").value(), &Capability::RtcTransports);
    for spelling in [matrix_widget_api::naming::Spelling::Stable, matrix_widget_api::naming::Spelling::Unstable] {
        assert_ne!(Capability::RtcTransports.name_in(spelling), "m.rtc_transports");
    }
    // The MSC3817 action stays an unknown action, answered with an error.
    let create = from_widget("org.matrix.msc3817.create_room", json!({"name": "Pub"}));
    let other = typed!(create, FromWidgetRequest::Other);
    assert_eq!(other.envelope().action().as_str(), "org.matrix.msc3817.create_room");
    // MSC4533's fields as its text and reference 1.19 have them; MSC4195's `member_id` is kept.
    let data = json!({"server_name": "example.org", "url": "wss://sfu.example.org", "room_id": "!r:example.org", "slot_id": "m.call#",
        "member": {"id": "xyz", "claimed_device_id": "DEV"}, "member_id": "xyz"});
    let text = from_widget("org.matrix.msc4533.rtc_livekit_get_token", data);
    assert_accepted(&text);
    assert!(typed!(text, FromWidgetRequest::RtcLivekitGetToken).data().extra.get("member_id").is_some());
}

// ---- 8. the schemas bound what the decoder bounds ----

#[test]
fn schemas_bound_envelope_ids_as_the_decoder_does() {
    let max = matrix_widget_api::limits::Limits::DEFAULT.max_id_bytes();
    let long = "w".repeat(max + 1);
    let at_limit = "w".repeat(max);
    for field in ["widgetId", "requestId"] {
        let mut message = json!({"api": "fromWidget", "widgetId": "w1", "requestId": "r1", "action": "content_loaded", "data": {}});
        message[field] = json!(long);
        let text = message.to_string();
        assert!(matches!(decode(&text), Err(DecodeError::Refused(_))), "{field}");
        assert!(!schema_accepts(&text), "the schema accepts a {field} the decoder refuses");
        message[field] = json!(at_limit);
        assert_accepted(&message.to_string());
    }
    // An unknown action's name, in a request and in an error reply.
    let request = json!({"api": "fromWidget", "widgetId": "w1", "requestId": "r1", "action": format!("io.example.{long}"), "data": {}});
    assert!(decode(&request.to_string()).is_err());
    assert!(!schema_accepts(&request.to_string()), "the schema accepts an action name the decoder refuses");
    let mut reply = request.clone();
    reply["response"] = json!({"error": {"message": "no"}});
    assert!(decode(&reply.to_string()).is_err());
    assert!(!schema_accepts(&reply.to_string()), "the schema accepts an action name the decoder refuses");
    let known = json!({"api": "fromWidget", "widgetId": "w1", "requestId": "r1", "action": "io.example.join", "data": {}}).to_string();
    assert_accepted(&known);
}

/// Every fixture of the folder decodes or not as its name says, and the schema agrees.
#[test]
fn released_peer_fixtures_get_the_decoders_verdict() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/released-peers");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("fixture folder") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("readable");
        let refused = path.to_string_lossy().contains("futures_era");
        assert_eq!(decode(&text).is_err(), refused, "{}", path.display());
        assert_eq!(schema_accepts(&text), !refused, "{}: the schema disagrees", path.display());
        seen += 1;
    }
    assert_eq!(seen, 6);
}
