//! Media, TURN, navigation, capability renegotiation and RTC actions: `watch_turn_servers`,
//! `unwatch_turn_servers`, `navigate`, `request_capabilities`, `get_media_config`,
//! `upload_file`, `download_file`, `get_rtc_transports`, the two MSC4533 LiveKit actions,
//! and toWidget `screenshot` and `update_turn_servers`; plus the shared `Transferable` and
//! `EncryptedFile` types.
//!
//! Messages are shaped as matrix-widget-api 1.19 posts them (`WidgetApi.ts` for requests,
//! `ClientWidgetApi.ts` for the host's replies). Every validation rule has an invalid
//! example that both the decoder and the committed schema refuse.

use crate::check::{assert_schema_accepts, rejected, round_trips};
use matrix_widget_api::RoomEventFilter;
use matrix_widget_api::encrypted_file::{EncryptedFile, EncryptedFileKey};
use matrix_widget_api::from_widget::download_file::{DownloadFile, DownloadFileRequestData, DownloadFileResponseData, DownloadTimeout};
use matrix_widget_api::from_widget::get_media_config::{GetMediaConfigResponseData, UploadSize};
use matrix_widget_api::from_widget::get_rtc_transports::{GetRtcTransportsResponseData, RtcTransport};
use matrix_widget_api::from_widget::navigate::{Navigate, NavigateRequestData};
use matrix_widget_api::from_widget::request_capabilities::{RequestCapabilities, RequestCapabilitiesRequestData};
use matrix_widget_api::from_widget::rtc_livekit_delegate_delayed_leave::{
    RtcLivekitDelegateDelayedLeave, RtcLivekitDelegateDelayedLeaveRequestData,
};
use matrix_widget_api::from_widget::rtc_livekit_get_token::{
    RtcLivekitGetToken, RtcLivekitGetTokenRequestData, RtcLivekitGetTokenResponseData, RtcLivekitMember,
};
use matrix_widget_api::from_widget::unwatch_turn_servers::UnwatchTurnServers;
use matrix_widget_api::from_widget::upload_file::{UploadFile, UploadFileRequestData, UploadFileResponseData};
use matrix_widget_api::from_widget::watch_turn_servers::WatchTurnServers;
use matrix_widget_api::naming::{Naming, Spelling, to_string_with};
use matrix_widget_api::payload::Empty;
use matrix_widget_api::to_widget::screenshot::ScreenshotResponseData;
use matrix_widget_api::to_widget::update_turn_servers::{UpdateTurnServers, UpdateTurnServersRequestData};
use matrix_widget_api::transferable::Transferable;
use matrix_widget_api::{Capability, ErrorResponseData, Message, Request, decode, decode_host, decode_widget};
use matrix_widget_api::{FromWidgetRequest, FromWidgetResponse, ToWidgetRequest, ToWidgetResponse};
use serde_json::{Value, json};

// ---- Helpers ----

/// A request as matrix-widget-api 1.19's transport posts it.
fn request(api: &str, action: &str, data: Value) -> String {
    json!({"api": api, "widgetId": "w1", "requestId": "widgetapi-1700000000000", "action": action, "data": data}).to_string()
}

fn from_widget(action: &str, data: Value) -> String {
    request("fromWidget", action, data)
}

fn to_widget(action: &str, data: Value) -> String {
    request("toWidget", action, data)
}

/// The reply to `request`: the request echoed, plus `response`.
fn reply(request: &str, response: Value) -> String {
    let mut message: Value = serde_json::from_str(request).expect("JSON");
    message["response"] = response;
    message.to_string()
}

/// Decodes `text` as the variant `$dir::$variant` of the message enum, unboxed.
macro_rules! typed {
    ($text:expr, $dir:ident :: $variant:ident) => {
        match decode(&$text) {
            Ok(Message::$dir($dir::$variant(m))) => *m,
            other => panic!("expected {}::{}, got {other:?}", stringify!($dir), stringify!($variant)),
        }
    };
}

fn error_response(message: &str) -> Value {
    json!({"error": {"message": message}})
}

fn encrypted_file() -> Value {
    json!({
        "v": "v2",
        "key": {"alg": "A256CTR", "ext": true, "k": "aWF6-32KGYaC3A_FEUCk1Bt0JA37zP0wrStgmdCaW-0", "key_ops": ["encrypt", "decrypt"], "kty": "oct"},
        "iv": "w+sE15fzSc0AAAAAAAAAAA",
        "hashes": {"sha256": "fdSLu/YkRx3Wyh3KQabP3rd6+SFiKg5lsJZQHtkSAYA"}
    })
}

// ---- watch_turn_servers / unwatch_turn_servers (MSC3846) ----

#[test]
fn watch_and_unwatch_turn_servers() {
    for action in ["watch_turn_servers", "unwatch_turn_servers"] {
        let text = from_widget(action, json!({}));
        round_trips(&text);
        round_trips(&reply(&text, json!({})));
        let with_extra = from_widget(action, json!({"io.example.note": [1, 2]}));
        round_trips(&with_extra);
        rejected(&from_widget(action, json!([])), "expected an object");
    }
    let watch = typed!(from_widget("watch_turn_servers", json!({"io.example.note": 1})), FromWidgetRequest::WatchTurnServers);
    assert!(watch.data().extra.get("io.example.note").is_some(), "unknown fields are kept");
    assert!(watch.reply(&Empty::new()).ends_with(r#","response":{}}"#));

    // The host's error reply when it has no TURN servers (ClientWidgetApi.handleWatchTurnServers).
    let refused = reply(&from_widget("watch_turn_servers", json!({})), error_response("TURN servers not available"));
    let response = typed!(refused, FromWidgetResponse::WatchTurnServers);
    assert_eq!(response.result().as_ref().expect_err("an error").error.message, "TURN servers not available");
    round_trips(&refused);
    let ok = typed!(reply(&from_widget("unwatch_turn_servers", json!({})), json!({})), FromWidgetResponse::UnwatchTurnServers);
    assert_eq!(ok.result(), &Ok(Empty::new()));

    // Builders produce what WidgetApi.getTurnServers posts.
    for built in [
        serde_json::to_value(Request::<WatchTurnServers>::new("w1", "widgetapi-1700000000000", Empty::new()).expect("valid")).expect("ok"),
        serde_json::to_value(Request::<UnwatchTurnServers>::new("w1", "widgetapi-1700000000000", Empty::new()).expect("valid"))
            .expect("ok"),
    ] {
        let action = built["action"].as_str().expect("action").to_owned();
        assert_eq!(built, serde_json::from_str::<Value>(&from_widget(&action, json!({}))).expect("JSON"));
    }
}

// ---- update_turn_servers (toWidget, MSC3846) ----

#[test]
fn update_turn_servers() {
    let data = json!({"uris": ["turn:turn.example.org:3478?transport=udp", "turns:turn.example.org:5349"], "username": "1700000000:@alice:example.org", "password": "c2VjcmV0"});
    let text = to_widget("update_turn_servers", data.clone());
    let req = typed!(text, ToWidgetRequest::UpdateTurnServers);
    assert_eq!(req.data().uris.len(), 2);
    assert_eq!(req.data().username, "1700000000:@alice:example.org");
    assert_eq!(req.data().password, "c2VjcmV0");
    round_trips(&text);
    assert!(matches!(decode_widget(&text), Ok(matrix_widget_api::WidgetMessage::Request(ToWidgetRequest::UpdateTurnServers(_)))));
    // The widget acknowledges with {} (WidgetApi.getTurnServers).
    let ack = reply(&text, json!({}));
    assert_eq!(typed!(ack, ToWidgetResponse::UpdateTurnServers).result(), &Ok(Empty::new()));
    round_trips(&ack);

    // Builder.
    let built = UpdateTurnServersRequestData::new(
        ["turn:turn.example.org:3478?transport=udp", "turns:turn.example.org:5349"],
        "1700000000:@alice:example.org",
        "c2VjcmV0",
    );
    let built = Request::<UpdateTurnServers>::new("w1", "widgetapi-1700000000000", built).expect("valid");
    assert_eq!(serde_json::to_value(&built).expect("ok"), serde_json::from_str::<Value>(&text).expect("JSON"));

    // Unknown fields survive.
    let mut extended = data.clone();
    extended["ttl"] = json!(86400);
    round_trips(&to_widget("update_turn_servers", extended));

    // Every field is required, `uris` is an array of strings.
    for field in ["uris", "username", "password"] {
        let mut missing = data.clone();
        missing.as_object_mut().expect("object").remove(field);
        rejected(&to_widget("update_turn_servers", missing), &format!("`{field}` is missing"));
    }
    let with = |field: &str, value: Value| {
        let mut d = data.clone();
        d[field] = value;
        to_widget("update_turn_servers", d)
    };
    rejected(&with("uris", json!("turn:turn.example.org")), "`uris`: expected");
    rejected(&with("uris", json!(["turn:a", 5])), "`uris`: expected a string, found 5");
    rejected(&with("uris", json!(null)), "`uris`");
    rejected(&with("username", json!(1)), "`username`");
    rejected(&with("password", json!(null)), "`password`");
}

// ---- navigate (MSC2931) ----

#[test]
fn navigate_both_spellings() {
    let uri = "https://matrix.to/#/!room:example.org/$event?via=example.org";
    for action in ["org.matrix.msc2931.navigate", "navigate"] {
        let text = from_widget(action, json!({"uri": uri}));
        let req = typed!(text, FromWidgetRequest::Navigate);
        assert_eq!(req.data().uri, uri);
        assert!(req.data().is_matrix_to());
        assert_eq!(req.envelope().action().as_str(), action, "the spelling is kept");
        round_trips(&text);
        // The host acknowledges with {}, or refuses with an error.
        let ack = req.reply(&Empty::new());
        assert_eq!(
            serde_json::from_str::<Value>(&ack).expect("JSON"),
            serde_json::from_str::<Value>(&reply(&text, json!({}))).expect("JSON")
        );
        assert_eq!(typed!(ack, FromWidgetResponse::Navigate).result(), &Ok(Empty::new()));
        let refused = reply(&text, error_response("Missing capability"));
        assert!(typed!(refused, FromWidgetResponse::Navigate).is_error());
        round_trips(&refused);
    }
    // Built by a widget: unstable by default, stable on request.
    let built = Request::<Navigate>::new("w1", "widgetapi-1700000000000", NavigateRequestData::new(uri)).expect("valid");
    assert_eq!(
        serde_json::to_value(&built).expect("ok"),
        serde_json::from_str::<Value>(&from_widget("org.matrix.msc2931.navigate", json!({"uri": uri}))).expect("JSON")
    );
    let stable: Value = serde_json::from_str(&to_string_with(&built, Naming::Stable).expect("ok")).expect("JSON");
    assert_eq!(stable["action"], "navigate");
}

#[test]
fn navigate_decodes_any_string_and_leaves_the_matrix_to_rule_to_the_host() {
    // The reference host refuses these with "Invalid matrix.to URI" after its capability
    // check; this crate decodes them and says whether they pass that rule.
    for (uri, matrix_to) in [
        ("https://matrix.to/#/@alice:example.org", true),
        ("https://matrix.to/#", true),
        ("matrix:r/somewhere:example.org", false),
        ("https://example.org/", false),
        ("https://matrix.to/", false),
        ("", false),
    ] {
        let text = from_widget("org.matrix.msc2931.navigate", json!({"uri": uri}));
        assert_eq!(typed!(text, FromWidgetRequest::Navigate).data().is_matrix_to(), matrix_to, "{uri:?}");
        assert_schema_accepts(&text);
    }
    let text =
        from_widget("org.matrix.msc2931.navigate", json!({"uri": "https://matrix.to/#/#room:example.org", "io.example.source": "tile"}));
    round_trips(&text);
    assert!(typed!(text, FromWidgetRequest::Navigate).data().extra.get("io.example.source").is_some());

    rejected(&from_widget("org.matrix.msc2931.navigate", json!({})), "`uri` is missing");
    rejected(&from_widget("org.matrix.msc2931.navigate", json!({"uri": 5})), "`uri`: expected a string, found 5");
    rejected(&from_widget("navigate", json!({"uri": null})), "`uri`");
    rejected(&from_widget("navigate", json!({"uri": ["https://matrix.to/#/@a:b"]})), "`uri`");
}

// ---- request_capabilities (MSC2974) ----

#[test]
fn request_capabilities_keeps_every_capability_and_its_spelling() {
    // WidgetApi.updateRequestedCapabilities posts the queued capabilities.
    let caps = json!([
        "org.matrix.msc2762.send.event:m.room.message#m.text",
        "m.send.state_event:m.room.topic",
        "town.robin.msc3846.turn_servers",
        "org.matrix.msc4157.send.delayed_event",
        "io.example.vendor_capability",
    ]);
    for action in ["org.matrix.msc2974.request_capabilities", "request_capabilities"] {
        let text = from_widget(action, json!({"capabilities": caps}));
        let req = typed!(text, FromWidgetRequest::RequestCapabilities);
        let got = &req.data().capabilities;
        assert_eq!(got.len(), 5);
        assert_eq!(*got[0].value(), Capability::SendEvent(RoomEventFilter::room_message("m.text")));
        assert_eq!(got[1].spelling(), Some(Spelling::Stable));
        assert_eq!(*got[2].value(), Capability::TurnServers);
        assert_eq!(*got[3].value(), Capability::SendDelayedEvent);
        assert!(matches!(got[4].value(), Capability::_Custom(name) if name.as_str() == "io.example.vendor_capability"));
        // Re-emitted in the widget's own strings.
        round_trips(&text);
        // The host acknowledges first.
        let ack = reply(&text, json!({}));
        assert_eq!(typed!(ack, FromWidgetResponse::RequestCapabilities).result(), &Ok(Empty::new()));
        round_trips(&ack);
    }
    // An empty request is fine, and an absent list reads as empty, like the reference host's `|| []`.
    round_trips(&from_widget("org.matrix.msc2974.request_capabilities", json!({"capabilities": []})));
    let absent = from_widget("org.matrix.msc2974.request_capabilities", json!({}));
    assert!(typed!(absent, FromWidgetRequest::RequestCapabilities).data().capabilities.is_empty());
    assert_schema_accepts(&absent);

    // Builder: unstable names by default.
    let built = RequestCapabilitiesRequestData::new([
        Capability::TurnServers,
        Capability::SendEvent(RoomEventFilter::new("m.room.message").unwrap()),
    ]);
    let built = Request::<RequestCapabilities>::new("w1", "widgetapi-1700000000000", built).expect("valid");
    assert_eq!(
        serde_json::to_value(&built).expect("ok"),
        serde_json::from_str::<Value>(&from_widget(
            "org.matrix.msc2974.request_capabilities",
            json!({"capabilities": ["town.robin.msc3846.turn_servers", "org.matrix.msc2762.send.event:m.room.message"]})
        ))
        .expect("JSON")
    );

    // Unknown fields survive.
    round_trips(&from_widget("request_capabilities", json!({"capabilities": ["m.sticker"], "io.example.reason": "upgrade"})));

    // Not an array, or not strings.
    let base = |caps: Value| from_widget("org.matrix.msc2974.request_capabilities", json!({"capabilities": caps}));
    rejected(&base(json!("m.sticker")), "`capabilities`: expected an array, found \"m.sticker\"");
    rejected(&base(json!(["m.sticker", 7])), "`capabilities`: expected");
    rejected(&base(json!([["m.sticker"]])), "`capabilities`");
    rejected(&base(json!({"m.sticker": true})), "`capabilities`");
    // `null` is absent (MSC2813), so an empty list too, and it is written back as `[]`.
    let null = base(json!(null));
    assert!(typed!(null, FromWidgetRequest::RequestCapabilities).data().capabilities.is_empty());
    assert_schema_accepts(&null);
}

// ---- get_media_config (MSC4039) ----

#[test]
fn get_media_config() {
    for action in ["org.matrix.msc4039.get_media_config", "get_media_config"] {
        let text = from_widget(action, json!({}));
        assert!(typed!(text, FromWidgetRequest::GetMediaConfig).data().extra.is_empty());
        round_trips(&text);
        // The homeserver's configuration is mirrored, every field kept.
        let config = reply(&text, json!({"m.upload.size": 52_428_800, "io.example.max_files": 10}));
        let response = typed!(config, FromWidgetResponse::GetMediaConfig);
        let config_value = response.result().as_ref().expect("success");
        assert_eq!(config_value.upload_size.map(UploadSize::as_bytes), Some(52_428_800));
        assert!(config_value.extra.get("io.example.max_files").is_some());
        round_trips(&config);
        // Absent, null and empty are fine.
        round_trips(&reply(&text, json!({})));
        let null = reply(&text, json!({"m.upload.size": null}));
        assert_eq!(typed!(null, FromWidgetResponse::GetMediaConfig).result().as_ref().expect("success").upload_size, None);
        assert_schema_accepts(&null);
        let refused = reply(&text, error_response("Missing capability"));
        assert!(typed!(refused, FromWidgetResponse::GetMediaConfig).is_error());
        round_trips(&refused);
    }
    // A host builds the reply.
    let req = typed!(from_widget("org.matrix.msc4039.get_media_config", json!({})), FromWidgetRequest::GetMediaConfig);
    let answer = req.reply(&GetMediaConfigResponseData::new().with_upload_size(UploadSize::from_bytes(1000).expect("in range")));
    assert_eq!(
        typed!(answer, FromWidgetResponse::GetMediaConfig).result().as_ref().expect("success").upload_size,
        UploadSize::from_bytes(1000)
    );
    assert!(UploadSize::from_bytes(1 << 53).is_none());

    // `m.upload.size` is an integer from 0 to 2^53 - 1.
    let base = |size: Value| reply(&from_widget("org.matrix.msc4039.get_media_config", json!({})), json!({"m.upload.size": size}));
    rejected(&base(json!(-1)), "`m.upload.size` is out of range: -1 is not an integer from 0 to 9007199254740991");
    rejected(&base(json!(1.5)), "out of range: 1.5");
    rejected(&base(json!(9_007_199_254_740_992_u64)), "out of range: 9007199254740992");
    rejected(&base(json!("1000")), "`m.upload.size`: expected");
    assert_schema_accepts(&base(json!(0)));
    decode(&base(json!(0))).expect("0 is a size");
}

// ---- upload_file (MSC4039) ----

#[test]
fn upload_file_requests_carry_a_transferable() {
    // A Blob or File posted by WidgetApi.uploadFile, as JSON sees it, and a string body.
    for (file, empty) in [(json!({}), true), (json!("some-content"), false), (json!({"0": 137, "1": 80}), false)] {
        for action in ["org.matrix.msc4039.upload_file", "upload_file"] {
            let text = from_widget(action, json!({"file": file}));
            let req = typed!(text, FromWidgetRequest::UploadFile);
            assert_eq!(req.data().file.is_empty_object(), empty);
            assert_eq!(serde_json::from_str::<Value>(req.data().file.get()).expect("JSON"), file);
            round_trips(&text);
        }
    }
    let text = from_widget("org.matrix.msc4039.upload_file", json!({"file": "some-content"}));
    assert_eq!(typed!(text, FromWidgetRequest::UploadFile).data().file.as_string().as_deref(), Some("some-content"));
    // Unknown fields survive.
    round_trips(&from_widget("upload_file", json!({"file": {}, "io.example.name": "board.json"})));
    // Builder.
    let built = Request::<UploadFile>::new("w1", "widgetapi-1700000000000", UploadFileRequestData::new(Transferable::empty_object()))
        .expect("valid");
    assert_eq!(
        serde_json::to_value(&built).expect("ok"),
        serde_json::from_str::<Value>(&from_widget("org.matrix.msc4039.upload_file", json!({"file": {}}))).expect("JSON")
    );

    // `file` is required and not null.
    rejected(&from_widget("org.matrix.msc4039.upload_file", json!({})), "`file` is missing");
    rejected(&from_widget("org.matrix.msc4039.upload_file", json!({"file": null})), "`file`: expected a transferable value");
}

#[test]
fn upload_file_responses() {
    let text = from_widget("org.matrix.msc4039.upload_file", json!({"file": {}}));
    // What ClientWidgetApi.handleUploadFile replies.
    let plain = reply(&text, json!({"content_uri": "mxc://example.org/AQwafuaFswefuhsfAFAgsw"}));
    let response = typed!(plain, FromWidgetResponse::UploadFile);
    let uploaded = response.result().as_ref().expect("success");
    assert_eq!(uploaded.content_uri, "mxc://example.org/AQwafuaFswefuhsfAFAgsw");
    assert!(uploaded.encryption.is_none());
    round_trips(&plain);
    // MSC4039's encrypted response.
    let encrypted = reply(&text, json!({"content_uri": "mxc://example.org/abc", "encryption": encrypted_file()}));
    let response = typed!(encrypted, FromWidgetResponse::UploadFile);
    let encryption = response.result().as_ref().expect("success").encryption.as_ref().expect("encrypted");
    assert_eq!(encryption.key.k, "aWF6-32KGYaC3A_FEUCk1Bt0JA37zP0wrStgmdCaW-0");
    assert_eq!(encryption.key.key_ops, ["encrypt", "decrypt"]);
    assert!(encryption.key.ext);
    assert_eq!(encryption.iv, "w+sE15fzSc0AAAAAAAAAAA");
    assert_eq!(encryption.v, "v2");
    round_trips(&encrypted);
    // The spec's EncryptedFile with `url`, and unknown fields at every level.
    let mut full = encrypted_file();
    full["url"] = json!("mxc://example.org/abc");
    full["io.example"] = json!(1);
    full["key"]["io.example"] = json!(2);
    full["hashes"]["sha512"] = json!("abc");
    let full = reply(&text, json!({"content_uri": "mxc://example.org/abc", "encryption": full}));
    let response = typed!(full, FromWidgetResponse::UploadFile);
    let encryption = response.result().as_ref().expect("success").encryption.as_ref().expect("encrypted");
    assert_eq!(encryption.url.as_deref(), Some("mxc://example.org/abc"));
    assert!(encryption.hashes.extra.get("sha512").is_some());
    round_trips(&full);
    // Errors.
    let refused = reply(&text, error_response("Unexpected error while uploading a file"));
    assert!(typed!(refused, FromWidgetResponse::UploadFile).is_error());
    round_trips(&refused);

    // A host builds the reply.
    let req = typed!(text, FromWidgetRequest::UploadFile);
    let built = UploadFileResponseData::new("mxc://example.org/abc").with_encryption(EncryptedFile::new(
        EncryptedFileKey::a256ctr("aWF6-32KGYaC3A_FEUCk1Bt0JA37zP0wrStgmdCaW-0"),
        "w+sE15fzSc0AAAAAAAAAAA",
        "fdSLu/YkRx3Wyh3KQabP3rd6+SFiKg5lsJZQHtkSAYA",
    ));
    let answer: Value = serde_json::from_str(&req.reply(&built)).expect("JSON");
    assert_eq!(answer, serde_json::from_str::<Value>(&encrypted).expect("JSON"));

    // Validation.
    rejected(&reply(&text, json!({})), "`content_uri` is missing");
    rejected(&reply(&text, json!({"content_uri": 5})), "`content_uri`");
    rejected(&reply(&text, json!({"content_uri": "mxc://a/b", "encryption": "aes"})), "`encryption`");
    for field in ["key", "iv", "hashes", "v"] {
        let mut broken = encrypted_file();
        broken.as_object_mut().expect("object").remove(field);
        rejected(&reply(&text, json!({"content_uri": "mxc://a/b", "encryption": broken})), &format!("`encryption.{field}` is missing"));
    }
    for field in ["kty", "key_ops", "alg", "k", "ext"] {
        let mut broken = encrypted_file();
        broken["key"].as_object_mut().expect("object").remove(field);
        rejected(&reply(&text, json!({"content_uri": "mxc://a/b", "encryption": broken})), &format!("`encryption.key.{field}` is missing"));
    }
    let mut broken = encrypted_file();
    broken["key"]["ext"] = json!("true");
    rejected(&reply(&text, json!({"content_uri": "mxc://a/b", "encryption": broken})), "`encryption.key.ext`");
    let mut broken = encrypted_file();
    broken["hashes"]["sha256"] = json!(42);
    rejected(&reply(&text, json!({"content_uri": "mxc://a/b", "encryption": broken})), "`encryption.hashes.sha256`");
}

// ---- download_file (MSC4039) ----

#[test]
fn download_file_requests() {
    for action in ["org.matrix.msc4039.download_file", "download_file"] {
        // What WidgetApi.downloadFile posts.
        let text = from_widget(action, json!({"content_uri": "mxc://example.org/abc"}));
        let req = typed!(text, FromWidgetRequest::DownloadFile);
        assert_eq!(req.data().content_uri, "mxc://example.org/abc");
        assert!(!req.data().is_encrypted());
        round_trips(&text);
    }
    // MSC4039's fields.
    let text = from_widget(
        "org.matrix.msc4039.download_file",
        json!({"content_uri": "mxc://example.org/abc", "timeout_ms": 20000, "encryption": encrypted_file()}),
    );
    let req = typed!(text, FromWidgetRequest::DownloadFile);
    assert_eq!(req.data().timeout_ms.map(DownloadTimeout::as_millis), Some(20000));
    assert!(req.data().is_encrypted());
    round_trips(&text);
    // Wire decision 19: a host that cannot decrypt refuses it.
    let refusal = req.reply_error(ErrorResponseData::new("This client cannot decrypt files"));
    assert!(typed!(refusal, FromWidgetResponse::DownloadFile).is_error());
    // Null optional fields are absent.
    let nulls = from_widget("download_file", json!({"content_uri": "mxc://example.org/abc", "timeout_ms": null, "encryption": null}));
    let req = typed!(nulls, FromWidgetRequest::DownloadFile);
    assert!(req.data().timeout_ms.is_none() && !req.data().is_encrypted());
    assert_schema_accepts(&nulls);
    // Unknown fields survive.
    round_trips(&from_widget("download_file", json!({"content_uri": "mxc://example.org/abc", "io.example.hint": "thumb"})));

    // Builder.
    let built = DownloadFileRequestData::new("mxc://example.org/abc")
        .with_timeout(DownloadTimeout::from_millis(20000).expect("in range"))
        .with_encryption(EncryptedFile::new(
            EncryptedFileKey::a256ctr("aWF6-32KGYaC3A_FEUCk1Bt0JA37zP0wrStgmdCaW-0"),
            "w+sE15fzSc0AAAAAAAAAAA",
            "fdSLu/YkRx3Wyh3KQabP3rd6+SFiKg5lsJZQHtkSAYA",
        ));
    let built = Request::<DownloadFile>::new("w1", "widgetapi-1700000000000", built).expect("valid");
    assert_eq!(serde_json::to_value(&built).expect("ok"), serde_json::from_str::<Value>(&text).expect("JSON"));

    // Validation.
    let base = |data: Value| from_widget("org.matrix.msc4039.download_file", data);
    rejected(&base(json!({})), "`content_uri` is missing");
    rejected(&base(json!({"content_uri": null})), "`content_uri`");
    rejected(&base(json!({"content_uri": 1})), "`content_uri`");
    rejected(
        &base(json!({"content_uri": "mxc://a/b", "timeout_ms": -1})),
        "`timeout_ms` is out of range: -1 is not an integer number of milliseconds",
    );
    rejected(&base(json!({"content_uri": "mxc://a/b", "timeout_ms": 1.5})), "out of range: 1.5");
    rejected(&base(json!({"content_uri": "mxc://a/b", "timeout_ms": "20000"})), "`timeout_ms`: expected");
    rejected(&base(json!({"content_uri": "mxc://a/b", "encryption": true})), "`encryption`");
    rejected(&base(json!({"content_uri": "mxc://a/b", "encryption": {"v": "v2"}})), "`encryption.key` is missing");
    assert_accepted_request(&base(json!({"content_uri": "mxc://a/b", "timeout_ms": 0})));
}

fn assert_accepted_request(text: &str) {
    decode_host(text).unwrap_or_else(|e| panic!("{text}: {e}"));
    assert_schema_accepts(text);
}

#[test]
fn download_file_responses() {
    let text = from_widget("org.matrix.msc4039.download_file", json!({"content_uri": "mxc://example.org/abc"}));
    for file in [json!({}), json!("file contents"), json!([1, 2, 3])] {
        let answer = reply(&text, json!({"file": file}));
        let response = typed!(answer, FromWidgetResponse::DownloadFile);
        assert_eq!(serde_json::from_str::<Value>(response.result().as_ref().expect("success").file.get()).expect("JSON"), file);
        round_trips(&answer);
    }
    round_trips(&reply(&text, json!({"file": {}, "io.example.mimetype": "image/png"})));
    let req = typed!(text, FromWidgetRequest::DownloadFile);
    let answer = req.reply(&DownloadFileResponseData::new(Transferable::string("file contents")));
    assert_eq!(
        serde_json::from_str::<Value>(&answer).expect("JSON"),
        serde_json::from_str::<Value>(&reply(&text, json!({"file": "file contents"}))).expect("JSON")
    );
    let refused = reply(&text, error_response("Unexpected error while downloading a file"));
    assert!(typed!(refused, FromWidgetResponse::DownloadFile).is_error());

    rejected(&reply(&text, json!({})), "`file` is missing");
    rejected(&reply(&text, json!({"file": null})), "`file`: expected a transferable value");
}

// ---- get_rtc_transports (MSC4515) ----

#[test]
fn get_rtc_transports() {
    for action in ["org.matrix.msc4515.get_rtc_transports", "get_rtc_transports"] {
        let text = from_widget(action, json!({}));
        assert!(typed!(text, FromWidgetRequest::GetRtcTransports).data().extra.is_empty());
        round_trips(&text);
        let answer = reply(
            &text,
            json!({"rtc_transports": [
                {"type": "livekit", "livekit_service_url": "https://livekit-jwt.example.org"},
                {"type": "io.example.turn", "uris": ["turn:turn.example.org"]}
            ]}),
        );
        let response = typed!(answer, FromWidgetResponse::GetRtcTransports);
        let transports = &response.result().as_ref().expect("success").rtc_transports;
        assert_eq!(transports[0].transport_type, "livekit");
        assert!(transports[0].extra.get("livekit_service_url").is_some());
        assert_eq!(transports[1].transport_type, "io.example.turn");
        round_trips(&answer);
        round_trips(&reply(&text, json!({"rtc_transports": []})));
        let refused = reply(&text, error_response("Unexpected error while getting the RTC transports"));
        assert!(typed!(refused, FromWidgetResponse::GetRtcTransports).is_error());
        round_trips(&refused);
    }
    let req = typed!(from_widget("org.matrix.msc4515.get_rtc_transports", json!({})), FromWidgetRequest::GetRtcTransports);
    let mut transport = RtcTransport::new("livekit");
    transport.extra.insert("livekit_service_url", "https://livekit-jwt.example.org").expect("serialises");
    let answer: Value = serde_json::from_str(&req.reply(&GetRtcTransportsResponseData::new(vec![transport]))).expect("JSON");
    assert_eq!(
        answer["response"],
        json!({"rtc_transports": [{"type": "livekit", "livekit_service_url": "https://livekit-jwt.example.org"}]})
    );

    let base = |response: Value| reply(&from_widget("org.matrix.msc4515.get_rtc_transports", json!({})), response);
    rejected(&base(json!({})), "`rtc_transports` is missing");
    rejected(&base(json!({"rtc_transports": {"type": "livekit"}})), "`rtc_transports`");
    rejected(&base(json!({"rtc_transports": ["livekit"]})), "`rtc_transports`");
    rejected(&base(json!({"rtc_transports": [{"livekit_service_url": "https://a"}]})), "`rtc_transports.type` is missing");
    rejected(&base(json!({"rtc_transports": [{"type": 1}]})), "`rtc_transports.type`");
}

// ---- MSC4533 LiveKit actions (unstable) ----

fn get_token_data() -> Value {
    json!({
        "server_name": "example.org",
        "url": "https://sfu.example.org",
        "room_id": "!room:example.org",
        "slot_id": "m.call#",
        "member": {"id": "@alice:example.org:DEVICE", "claimed_device_id": "DEVICE"}
    })
}

#[test]
fn rtc_livekit_get_token() {
    let action = "org.matrix.msc4533.rtc_livekit_get_token";
    let text = from_widget(action, get_token_data());
    let req = typed!(text, FromWidgetRequest::RtcLivekitGetToken);
    assert_eq!(req.data().server_name, "example.org");
    assert_eq!(req.data().url, "https://sfu.example.org");
    assert_eq!(req.data().room_id, "!room:example.org");
    assert_eq!(req.data().slot_id, "m.call#");
    assert_eq!(req.data().member.id, "@alice:example.org:DEVICE");
    assert_eq!(req.data().member.claimed_device_id.as_deref(), Some("DEVICE"));
    round_trips(&text);
    // `claimed_device_id` is optional.
    let mut data = get_token_data();
    data["member"] = json!({"id": "@alice:example.org:DEVICE"});
    round_trips(&from_widget(action, data));
    // Unknown fields pass through at both levels (what PR #169's widgets would add too).
    let mut data = get_token_data();
    data["member_id"] = json!("@alice:example.org:DEVICE");
    data["member"]["io.example"] = json!(true);
    let extended = from_widget(action, data);
    assert!(typed!(extended, FromWidgetRequest::RtcLivekitGetToken).data().extra.get("member_id").is_some());
    round_trips(&extended);

    // Builder.
    let built = RtcLivekitGetTokenRequestData::new(
        "example.org",
        "https://sfu.example.org",
        "!room:example.org",
        "m.call#",
        RtcLivekitMember::new("@alice:example.org:DEVICE").with_claimed_device_id("DEVICE"),
    );
    let built = Request::<RtcLivekitGetToken>::new("w1", "widgetapi-1700000000000", built).expect("valid");
    assert_eq!(serde_json::to_value(&built).expect("ok"), serde_json::from_str::<Value>(&text).expect("JSON"));

    // The endpoint's body, verbatim.
    let answer = reply(&text, json!({"jwt": "eyJhbGciOiJIUzI1NiJ9.e30.c2ln", "url": "wss://sfu.example.org"}));
    let response = typed!(answer, FromWidgetResponse::RtcLivekitGetToken);
    let token = response.result().as_ref().expect("success");
    assert_eq!(token.jwt, "eyJhbGciOiJIUzI1NiJ9.e30.c2ln");
    assert!(token.extra.get("url").is_some());
    round_trips(&answer);
    let built_answer: Value =
        serde_json::from_str(&req.reply(&RtcLivekitGetTokenResponseData::new("eyJhbGciOiJIUzI1NiJ9.e30.c2ln"))).expect("JSON");
    assert_eq!(built_answer["response"], json!({"jwt": "eyJhbGciOiJIUzI1NiJ9.e30.c2ln"}));
    let refused = reply(&text, error_response("Unexpected error while getting a LiveKit token"));
    assert!(typed!(refused, FromWidgetResponse::RtcLivekitGetToken).is_error());
    round_trips(&refused);

    // Validation: every field but `claimed_device_id` is a required string.
    for field in ["server_name", "url", "room_id", "slot_id", "member"] {
        let mut missing = get_token_data();
        missing.as_object_mut().expect("object").remove(field);
        rejected(&from_widget(action, missing), &format!("`{field}` is missing"));
        let mut wrong = get_token_data();
        wrong[field] = json!(7);
        rejected(&from_widget(action, wrong), &format!("`{field}`"));
    }
    // PR #169's shape (a string `member_id` instead of `member`) is refused for now.
    let mut renamed = get_token_data();
    renamed.as_object_mut().expect("object").remove("member");
    renamed["member_id"] = json!("@alice:example.org:DEVICE");
    rejected(&from_widget(action, renamed), "`member` is missing");
    let mut data = get_token_data();
    data["member"] = json!("@alice:example.org:DEVICE");
    rejected(&from_widget(action, data), "`member`");
    let mut data = get_token_data();
    data["member"] = json!({"claimed_device_id": "DEVICE"});
    rejected(&from_widget(action, data), "`member.id` is missing");
    let mut data = get_token_data();
    data["member"]["claimed_device_id"] = json!(1);
    rejected(&from_widget(action, data), "`member.claimed_device_id`");
    rejected(&reply(&text, json!({})), "`jwt` is missing");
    rejected(&reply(&text, json!({"jwt": null})), "`jwt`");
}

fn delegate_data() -> Value {
    json!({"room_id": "!room:example.org", "slot_id": "m.call#", "member": {"id": "@alice:example.org:DEVICE", "claimed_device_id": "DEVICE"}, "delay_id": "syd_abc"})
}

#[test]
fn rtc_livekit_delegate_delayed_leave() {
    let action = "org.matrix.msc4533.rtc_livekit_delegate_delayed_leave";
    let text = from_widget(action, delegate_data());
    let req = typed!(text, FromWidgetRequest::RtcLivekitDelegateDelayedLeave);
    assert_eq!(req.data().delay_id, "syd_abc");
    assert_eq!(req.data().member.id, "@alice:example.org:DEVICE");
    round_trips(&text);
    // PR #169 adds the SFU `url`: it passes through.
    let mut data = delegate_data();
    data["url"] = json!("wss://sfu.example.org");
    let extended = from_widget(action, data);
    assert!(typed!(extended, FromWidgetRequest::RtcLivekitDelegateDelayedLeave).data().extra.get("url").is_some());
    round_trips(&extended);

    // Builder.
    let built = RtcLivekitDelegateDelayedLeaveRequestData::new(
        "!room:example.org",
        "m.call#",
        RtcLivekitMember::new("@alice:example.org:DEVICE").with_claimed_device_id("DEVICE"),
        "syd_abc",
    );
    let built = Request::<RtcLivekitDelegateDelayedLeave>::new("w1", "widgetapi-1700000000000", built).expect("valid");
    assert_eq!(serde_json::to_value(&built).expect("ok"), serde_json::from_str::<Value>(&text).expect("JSON"));

    // Replies: {} on success; a server without delegation answers 404 M_UNRECOGNIZED.
    let ack = reply(&text, json!({}));
    assert_eq!(typed!(ack, FromWidgetResponse::RtcLivekitDelegateDelayedLeave).result(), &Ok(Empty::new()));
    round_trips(&ack);
    let unsupported = reply(
        &text,
        json!({"error": {
            "message": "Unexpected error while delegating a LiveKit delayed leave",
            "matrix_api_error": {
                "http_status": 404,
                "http_headers": {"content-type": "application/json"},
                "url": "https://example.org/_matrix/client/v1/rtc/livekit/delegate_delayed_leave",
                "response": {"errcode": "M_UNRECOGNIZED", "error": "Unrecognized request"}
            }
        }}),
    );
    let response = typed!(unsupported, FromWidgetResponse::RtcLivekitDelegateDelayedLeave);
    let error = response.result().as_ref().expect_err("an error");
    assert_eq!(error.error.matrix_api_error.as_ref().expect("forwarded").response.errcode, "M_UNRECOGNIZED");
    round_trips(&unsupported);

    for field in ["room_id", "slot_id", "member", "delay_id"] {
        let mut missing = delegate_data();
        missing.as_object_mut().expect("object").remove(field);
        rejected(&from_widget(action, missing), &format!("`{field}` is missing"));
        let mut wrong = delegate_data();
        wrong[field] = json!(false);
        rejected(&from_widget(action, wrong), &format!("`{field}`"));
    }
    let mut data = delegate_data();
    data["member"] = json!({});
    rejected(&from_widget(action, data), "`member.id` is missing");
}

// ---- screenshot (toWidget) ----

#[test]
fn screenshot() {
    let text = to_widget("screenshot", json!({}));
    let req = typed!(text, ToWidgetRequest::Screenshot);
    assert!(req.data().extra.is_empty());
    round_trips(&text);
    // The widget answers with a Blob; JSON sees {}.
    let answer = req.reply(&ScreenshotResponseData::new(Transferable::empty_object()));
    assert_eq!(
        serde_json::from_str::<Value>(&answer).expect("JSON"),
        serde_json::from_str::<Value>(&reply(&text, json!({"screenshot": {}}))).expect("JSON")
    );
    let response = match decode_host(&answer) {
        Ok(matrix_widget_api::HostMessage::Response(ToWidgetResponse::Screenshot(r))) => *r,
        other => panic!("expected a screenshot reply, got {other:?}"),
    };
    assert!(response.result().as_ref().expect("success").screenshot.is_empty_object());
    round_trips(&answer);
    // A data URL, as a bridge might carry one, is kept byte-exact.
    let data_url = reply(&text, json!({"screenshot": "data:image/png;base64,iVBORw0KGgo=", "io.example.width": 640}));
    let response = typed!(data_url, ToWidgetResponse::Screenshot);
    assert_eq!(response.result().as_ref().expect("success").screenshot.as_string().as_deref(), Some("data:image/png;base64,iVBORw0KGgo="));
    round_trips(&data_url);
    // What a widget without a handler replies (WidgetApi's default, 1.19).
    let unhandled = reply(&text, error_response("Unknown or unsupported to-widget action: screenshot"));
    assert!(typed!(unhandled, ToWidgetResponse::Screenshot).is_error());
    round_trips(&unhandled);
    // Unknown request fields survive.
    round_trips(&to_widget("screenshot", json!({"io.example.scale": 2})));

    rejected(&reply(&text, json!({})), "`screenshot` is missing");
    rejected(&reply(&text, json!({"screenshot": null})), "`screenshot`: expected a transferable value");
    rejected(&to_widget("screenshot", json!("please")), "expected an object");
}

// ---- Transferable and EncryptedFile ----

#[test]
fn transferable_keeps_any_value_but_null_byte_exact() {
    for text in ["{}", "{ }", r#"{"0":137,"1":80}"#, r#""some-content""#, r#""caf\u00e9""#, "[1, 2]", "42", "1.50", "true"] {
        let value: Transferable = serde_json::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(value.get(), text);
        assert_eq!(serde_json::to_string(&value).expect("ok"), text, "byte-exact");
        assert_eq!(Transferable::from_json(text).expect("valid"), value);
    }
    assert!(serde_json::from_str::<Transferable>("{ }").expect("ok").is_empty_object());
    assert!(!serde_json::from_str::<Transferable>(r#"{"a":1}"#).expect("ok").is_empty_object());
    assert!(!serde_json::from_str::<Transferable>(r#""{}""#).expect("ok").is_empty_object());
    assert_eq!(serde_json::from_str::<Transferable>(r#""caf\u00e9""#).expect("ok").as_string().as_deref(), Some("café"));
    assert_eq!(serde_json::from_str::<Transferable>("[1]").expect("ok").as_string(), None);
    assert_eq!(Transferable::string("a\"b").get(), r#""a\"b""#);
    assert_eq!(Transferable::from_serialize(&[1, 2]).expect("ok").deserialize_as::<Vec<u8>>().expect("ok"), [1, 2]);
    let err = serde_json::from_str::<Transferable>("null").expect_err("null").to_string();
    assert!(err.contains("expected a transferable value"), "{err}");
    assert!(Transferable::from_json("null").is_err());
    assert!(Transferable::from_serialize(&Option::<u8>::None).is_err());
    assert!(Transferable::from_json("{").is_err());
    // Inside a message: the bytes of `file` are echoed exactly in the reply.
    let text =
        r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"org.matrix.msc4039.upload_file","data":{"file":{ "0" : 1 }}}"#;
    let req = typed!(text, FromWidgetRequest::UploadFile);
    assert_eq!(req.data().file.get(), r#"{ "0" : 1 }"#);
    assert!(req.reply(&UploadFileResponseData::new("mxc://a/b")).contains(r#""file":{ "0" : 1 }"#));
}

#[test]
fn encrypted_file_builders_match_the_msc_example() {
    let built = EncryptedFile::new(
        EncryptedFileKey::a256ctr("aWF6-32KGYaC3A_FEUCk1Bt0JA37zP0wrStgmdCaW-0"),
        "w+sE15fzSc0AAAAAAAAAAA",
        "fdSLu/YkRx3Wyh3KQabP3rd6+SFiKg5lsJZQHtkSAYA",
    );
    assert_eq!(serde_json::to_value(&built).expect("ok"), encrypted_file());
    let parsed: EncryptedFile = serde_json::from_value(encrypted_file()).expect("valid");
    assert_eq!(parsed, built);
    let with_url = serde_json::to_value(built.with_url("mxc://example.org/abc")).expect("ok");
    assert_eq!(with_url["url"], "mxc://example.org/abc");
    // The pinned values are a decrypting host's business, not the decoder's.
    let mut v3 = encrypted_file();
    v3["v"] = json!("v3");
    v3["key"]["alg"] = json!("A256GCM");
    assert!(serde_json::from_value::<EncryptedFile>(v3).is_ok());
}
