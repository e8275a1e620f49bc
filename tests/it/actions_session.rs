//! The session and modal actions: `supported_api_versions` (both directions), `content_loaded`,
//! `m.sticker`, `set_always_on_screen`, `get_openid` / `openid_credentials` (MSC1960),
//! `theme_change` / `language_change` (MSC2873), `visibility`, and the MSC2790 modal actions
//! (`open_modal`, `widget_config`, `set_button_enabled`, `button_clicked`, `close_modal` both
//! ways).
//!
//! The `CAPTURED_*` messages are what matrix-widget-api 1.19.0 posted, byte for byte, when a
//! real `WidgetApi` and a real `ClientWidgetApi` were wired back to back (the harness of
//! `tests/npm/capture.mjs`; the host application's part, which intercepts the actions the
//! library leaves to it, answered as Element does). Each one is decoded typed, checked
//! against the committed schema, round-tripped, and where the reference answered with `{}`
//! or a value this crate serialises the same way, the reply built from the request's bytes
//! is compared with the reference's reply byte for byte. Every validation rule has an
//! invalid example refused by the decoder (naming the field, with an error reply for
//! requests and none for replies) and by the schema alike.

use crate::check::{json_of, rejected, schema_errors, typed_round_trips};
use matrix_widget_api::from_widget::get_openid::GetOpenIdResponseData;
use matrix_widget_api::from_widget::open_modal::OpenModal;
use matrix_widget_api::from_widget::set_always_on_screen::{
    SetAlwaysOnScreen, SetAlwaysOnScreenRequestData, SetAlwaysOnScreenResponseData,
};
use matrix_widget_api::from_widget::set_button_enabled::{SetButtonEnabled, SetButtonEnabledRequestData};
use matrix_widget_api::from_widget::sticker::{
    FileSize, Pixels, Sticker, StickerContent, StickerImageInfo, StickerRequestData, StickerThumbnailInfo,
};
use matrix_widget_api::from_widget::supported_api_versions::SupportedApiVersionsResponseData;
use matrix_widget_api::modal::{ModalButton, ModalButtonId, ModalButtonKind, ModalOpenData, ModalReturnData, ModalWidgetData, WidgetType};
use matrix_widget_api::openid::{ExpiresIn, OpenIdDecision, OpenIdState, OpenIdToken, TokenType};
use matrix_widget_api::payload::Empty;
use matrix_widget_api::to_widget::button_clicked::{ButtonClicked, ButtonClickedRequestData};
use matrix_widget_api::to_widget::close_modal::ToWidgetCloseModal;
use matrix_widget_api::to_widget::language_change::{LanguageChange, LanguageChangeRequestData};
use matrix_widget_api::to_widget::openid_credentials::{OpenIdCredentials, OpenIdCredentialsRequestData};
use matrix_widget_api::to_widget::theme_change::{ThemeChange, ThemeChangeRequestData};
use matrix_widget_api::to_widget::visibility::{Visibility, VisibilityRequestData};
use matrix_widget_api::to_widget::widget_config::WidgetConfig;
use matrix_widget_api::{Action, ApiVersion, BuildError, HostMessage, Message, Request, WidgetMessage, decode, decode_host, decode_widget};
use matrix_widget_api::{DecodeError, FromWidgetRequest, FromWidgetResponse, ToWidgetRequest, ToWidgetResponse};
use serde_json::{Value, json};

// ---- Captured from matrix-widget-api 1.19.0 ----

const CAPTURED_VERSIONS_REQUEST: &str =
    r#"{"api":"fromWidget","widgetId":"w1","requestId":"widgetapi-1700000000000","action":"supported_api_versions","data":{}}"#;
const CAPTURED_VERSIONS_REPLY: &str = r#"{"api":"fromWidget","widgetId":"w1","requestId":"widgetapi-1700000000000","action":"supported_api_versions","data":{},"response":{"supported_versions":["0.0.1","0.0.2","org.matrix.msc2762","org.matrix.msc2762_update_state","org.matrix.msc2871","org.matrix.msc2873","org.matrix.msc2931","org.matrix.msc2974","org.matrix.msc2876","org.matrix.msc3819","town.robin.msc3846","org.matrix.msc3869","org.matrix.msc3973","org.matrix.msc4039","org.matrix.msc4515","org.matrix.msc4533"]}}"#;
const CAPTURED_TO_VERSIONS_REQUEST: &str =
    r#"{"api":"toWidget","widgetId":"w1","requestId":"widgetapi-1700000000011","action":"supported_api_versions","data":{}}"#;
const CAPTURED_TO_VERSIONS_REPLY: &str = r#"{"api":"toWidget","widgetId":"w1","requestId":"widgetapi-1700000000011","action":"supported_api_versions","data":{},"response":{"supported_versions":["0.0.1","0.0.2","org.matrix.msc2762","org.matrix.msc2762_update_state","org.matrix.msc2871","org.matrix.msc2873","org.matrix.msc2931","org.matrix.msc2974","org.matrix.msc2876","org.matrix.msc3819","town.robin.msc3846","org.matrix.msc3869","org.matrix.msc3973","org.matrix.msc4039","org.matrix.msc4515","org.matrix.msc4533"]}}"#;

const CAPTURED_CONTENT_LOADED: &str =
    r#"{"api":"fromWidget","widgetId":"w1","requestId":"widgetapi-1700000000003","action":"content_loaded","data":{}}"#;
/// The reference host's answer when the widget's `waitForIframeLoad` is true.
const CAPTURED_CONTENT_LOADED_ERROR: &str = r#"{"api":"fromWidget","widgetId":"w1","requestId":"widgetapi-1700000000003","action":"content_loaded","data":{},"response":{"error":{"message":"Improper sequence: not expecting ContentLoaded event if waitForIframeLoad is true (default=true)"}}}"#;

const CAPTURED_STICKER: &str = r#"{"api":"fromWidget","widgetId":"w1","requestId":"widgetapi-1700000000004","action":"m.sticker","data":{"name":"Cat","description":"A cat","content":{"url":"mxc://example.org/cat","info":{"h":256,"w":256,"mimetype":"image/png","size":31337,"thumbnail_info":{"h":128,"w":128,"mimetype":"image/png","size":4096}}}}}"#;
const CAPTURED_STICKER_REPLY: &str = r#"{"api":"fromWidget","widgetId":"w1","requestId":"widgetapi-1700000000004","action":"m.sticker","data":{"name":"Cat","description":"A cat","content":{"url":"mxc://example.org/cat","info":{"h":256,"w":256,"mimetype":"image/png","size":31337,"thumbnail_info":{"h":128,"w":128,"mimetype":"image/png","size":4096}}}},"response":{}}"#;

const CAPTURED_ALWAYS_ON_SCREEN: &str =
    r#"{"api":"fromWidget","widgetId":"w1","requestId":"widgetapi-1700000000005","action":"set_always_on_screen","data":{"value":true}}"#;
const CAPTURED_ALWAYS_ON_SCREEN_REPLY: &str = r#"{"api":"fromWidget","widgetId":"w1","requestId":"widgetapi-1700000000005","action":"set_always_on_screen","data":{"value":true},"response":{"success":true}}"#;

const CAPTURED_OPEN_MODAL: &str = r#"{"api":"fromWidget","widgetId":"w1","requestId":"widgetapi-1700000000006","action":"open_modal","data":{"type":"m.custom","url":"https://widget.example.org/modal.html","name":"Pick a date","buttons":[{"id":"ok","label":"OK","kind":"m.primary"},{"id":"cancel","label":"Cancel","kind":"m.link","disabled":true}],"data":{"title":"When?","day":"mon"}}}"#;
const CAPTURED_OPEN_MODAL_REPLY: &str = r#"{"api":"fromWidget","widgetId":"w1","requestId":"widgetapi-1700000000006","action":"open_modal","data":{"type":"m.custom","url":"https://widget.example.org/modal.html","name":"Pick a date","buttons":[{"id":"ok","label":"OK","kind":"m.primary"},{"id":"cancel","label":"Cancel","kind":"m.link","disabled":true}],"data":{"title":"When?","day":"mon"}},"response":{}}"#;

const CAPTURED_SET_BUTTON: &str = r#"{"api":"fromWidget","widgetId":"w1","requestId":"widgetapi-1700000000007","action":"set_button_enabled","data":{"button":"ok","enabled":false}}"#;
const CAPTURED_SET_BUTTON_REPLY: &str = r#"{"api":"fromWidget","widgetId":"w1","requestId":"widgetapi-1700000000007","action":"set_button_enabled","data":{"button":"ok","enabled":false},"response":{}}"#;

const CAPTURED_CLOSE_MODAL: &str =
    r#"{"api":"fromWidget","widgetId":"w1","requestId":"widgetapi-1700000000008","action":"close_modal","data":{"choice":"mon"}}"#;
const CAPTURED_CLOSE_MODAL_REPLY: &str = r#"{"api":"fromWidget","widgetId":"w1","requestId":"widgetapi-1700000000008","action":"close_modal","data":{"choice":"mon"},"response":{}}"#;

const CAPTURED_GET_OPENID: &str =
    r#"{"api":"fromWidget","widgetId":"w1","requestId":"widgetapi-1700000000009","action":"get_openid","data":{}}"#;
/// The driver asked the user first (`state: "request"`).
const CAPTURED_GET_OPENID_PENDING: &str = r#"{"api":"fromWidget","widgetId":"w1","requestId":"widgetapi-1700000000009","action":"get_openid","data":{},"response":{"state":"request"}}"#;
const CAPTURED_OPENID_CREDENTIALS: &str = r#"{"api":"toWidget","widgetId":"w1","requestId":"widgetapi-1700000000010","action":"openid_credentials","data":{"state":"allowed","original_request_id":"widgetapi-1700000000009","access_token":"s3cr3t","expires_in":3600,"matrix_server_name":"example.org","token_type":"Bearer"}}"#;
const CAPTURED_OPENID_CREDENTIALS_REPLY: &str = r#"{"api":"toWidget","widgetId":"w1","requestId":"widgetapi-1700000000010","action":"openid_credentials","data":{"state":"allowed","original_request_id":"widgetapi-1700000000009","access_token":"s3cr3t","expires_in":3600,"matrix_server_name":"example.org","token_type":"Bearer"},"response":{}}"#;

const CAPTURED_THEME_CHANGE: &str =
    r#"{"api":"toWidget","widgetId":"w1","requestId":"widgetapi-1700000000012","action":"theme_change","data":{"name":"dark"}}"#;
/// matrix-widget-api's widget leaves `theme_change` to the application; without a handler
/// it answers with this error.
const CAPTURED_THEME_CHANGE_ERROR: &str = r#"{"api":"toWidget","widgetId":"w1","requestId":"widgetapi-1700000000012","action":"theme_change","data":{"name":"dark"},"response":{"error":{"message":"Unknown or unsupported to-widget action: theme_change"}}}"#;

const CAPTURED_LANGUAGE_CHANGE: &str =
    r#"{"api":"toWidget","widgetId":"w1","requestId":"widgetapi-1700000000013","action":"language_change","data":{"lang":"de"}}"#;

const CAPTURED_VISIBILITY: &str = r#"{"api":"toWidget","widgetId":"w1","requestId":"widgetapi-1700000000014","action":"visibility","data":{"visible":false},"visible":false}"#;
const CAPTURED_VISIBILITY_REPLY: &str = r#"{"api":"toWidget","widgetId":"w1","requestId":"widgetapi-1700000000014","action":"visibility","data":{"visible":false},"visible":false,"response":{}}"#;

const CAPTURED_WIDGET_CONFIG: &str = r#"{"api":"toWidget","widgetId":"w1","requestId":"widgetapi-1700000000015","action":"widget_config","data":{"type":"m.custom","url":"https://widget.example.org/modal.html","name":"Pick a date","buttons":[{"id":"ok","label":"OK","kind":"m.primary"}],"data":{"title":"When?","day":"mon"}}}"#;

const CAPTURED_BUTTON_CLICKED: &str =
    r#"{"api":"toWidget","widgetId":"w1","requestId":"widgetapi-1700000000016","action":"button_clicked","data":{"id":"ok"}}"#;

const CAPTURED_TO_CLOSE_MODAL: &str =
    r#"{"api":"toWidget","widgetId":"w1","requestId":"widgetapi-1700000000017","action":"close_modal","data":{"m.exited":true}}"#;
const CAPTURED_TO_CLOSE_MODAL_ERROR: &str = r#"{"api":"toWidget","widgetId":"w1","requestId":"widgetapi-1700000000017","action":"close_modal","data":{"m.exited":true},"response":{"error":{"message":"Unknown or unsupported to-widget action: close_modal"}}}"#;

// ---- Helpers ----

fn from_widget(action: &str, data: Value) -> String {
    json!({"api": "fromWidget", "widgetId": "w1", "requestId": "r1", "action": action, "data": data}).to_string()
}

fn to_widget(action: &str, data: Value) -> String {
    json!({"api": "toWidget", "widgetId": "w1", "requestId": "r1", "action": action, "data": data}).to_string()
}

/// `request` with `response` added.
fn with_response(request: &str, response: Value) -> String {
    let mut message = json_of(request);
    message["response"] = response;
    message.to_string()
}

/// A built request serialises to what decodes to the same data.
fn built_round_trips<A: Action>(request: &Request<A>) -> Message {
    let text = serde_json::to_string(request).expect("serialises");
    typed_round_trips(&text)
}

// ---- supported_api_versions ----

#[test]
fn supported_api_versions_in_both_directions() {
    let Message::FromWidgetRequest(FromWidgetRequest::SupportedApiVersions(request)) = typed_round_trips(CAPTURED_VERSIONS_REQUEST) else {
        panic!("not a supported_api_versions request")
    };
    assert_eq!(*request.data(), Empty::new());
    // The reference host advertises its `CurrentApiVersions`; answering with the same list
    // gives its reply byte for byte.
    assert_eq!(request.reply(&SupportedApiVersionsResponseData::new(ApiVersion::CURRENT.iter().cloned())), CAPTURED_VERSIONS_REPLY);
    let Message::FromWidgetResponse(FromWidgetResponse::SupportedApiVersions(reply)) = typed_round_trips(CAPTURED_VERSIONS_REPLY) else {
        panic!("not a supported_api_versions reply")
    };
    let versions = reply.result().as_ref().expect("a success");
    assert_eq!(
        versions.supported_versions,
        ApiVersion::CURRENT.iter().cloned().map(matrix_widget_api::naming::Spelled::new).collect::<Vec<_>>()
    );
    assert!(!versions.supported_versions.iter().any(|v| matches!(v.value(), ApiVersion::_Custom(_))), "every 1.19 version is known");
    assert!(versions.supports(&ApiVersion::Msc4533) && !versions.supports(&ApiVersion::V0_1_0));

    // The toWidget mirror: the widget answers with the same list.
    let Message::ToWidgetRequest(ToWidgetRequest::SupportedApiVersions(request)) = typed_round_trips(CAPTURED_TO_VERSIONS_REQUEST) else {
        panic!("not a toWidget supported_api_versions request")
    };
    assert_eq!(request.reply(&SupportedApiVersionsResponseData::new(ApiVersion::CURRENT.iter().cloned())), CAPTURED_TO_VERSIONS_REPLY);
    let Message::ToWidgetResponse(ToWidgetResponse::SupportedApiVersions(reply)) = typed_round_trips(CAPTURED_TO_VERSIONS_REPLY) else {
        panic!("not a toWidget supported_api_versions reply")
    };
    assert!(reply.result().as_ref().expect("a success").supports(&ApiVersion::Msc2762UpdateState));
}

#[test]
fn supported_api_versions_keeps_unknown_versions_and_fields() {
    let text = with_response(
        CAPTURED_TO_VERSIONS_REQUEST,
        json!({"supported_versions": ["0.0.2", "org.example.msc9999", ""], "org.example.note": {"a": 1}}),
    );
    let Message::ToWidgetResponse(ToWidgetResponse::SupportedApiVersions(reply)) = typed_round_trips(&text) else { panic!("{text}") };
    let versions = reply.result().as_ref().expect("a success");
    assert_eq!(versions.supported_versions[1].as_str(), "org.example.msc9999");
    assert!(matches!(versions.supported_versions[1].value(), ApiVersion::_Custom(_)));
    assert_eq!(versions.extra.get("org.example.note").map(|v| v.get()), Some(r#"{"a":1}"#));
    // Unknown request fields survive too.
    typed_round_trips(&from_widget("supported_api_versions", json!({"x-trace": [1, 2]})));
}

#[test]
fn supported_api_versions_rules() {
    rejected(&with_response(CAPTURED_VERSIONS_REQUEST, json!({})), "`supported_versions` is missing");
    rejected(&with_response(CAPTURED_VERSIONS_REQUEST, json!({"supported_versions": "0.0.2"})), "`supported_versions`");
    rejected(&with_response(CAPTURED_TO_VERSIONS_REQUEST, json!({"supported_versions": ["0.0.2", 2]})), "`supported_versions`");
    rejected(&from_widget("supported_api_versions", json!([])), "`data`");
    rejected(&to_widget("supported_api_versions", json!("all")), "`data`");
    // An error reply is an error, not a malformed success.
    let error = with_response(CAPTURED_VERSIONS_REQUEST, json!({"error": {"message": "nope"}}));
    let Message::FromWidgetResponse(FromWidgetResponse::SupportedApiVersions(reply)) = typed_round_trips(&error) else { panic!("{error}") };
    assert_eq!(reply.result().as_ref().expect_err("an error").error.message, "nope");
}

// ---- content_loaded ----

#[test]
fn content_loaded_request_ack_and_improper_sequence_error() {
    let Message::FromWidgetRequest(FromWidgetRequest::ContentLoaded(request)) = typed_round_trips(CAPTURED_CONTENT_LOADED) else {
        panic!("not content_loaded")
    };
    let ack = request.reply(&Empty::new());
    assert_eq!(ack, with_response_text(CAPTURED_CONTENT_LOADED, "{}"));
    let Message::FromWidgetResponse(FromWidgetResponse::ContentLoaded(reply)) = typed_round_trips(&ack) else { panic!("{ack}") };
    assert_eq!(reply.result(), &Ok(Empty::new()));
    let Message::FromWidgetResponse(FromWidgetResponse::ContentLoaded(reply)) = typed_round_trips(CAPTURED_CONTENT_LOADED_ERROR) else {
        panic!("not a content_loaded reply")
    };
    assert!(reply.result().as_ref().expect_err("an error").error.message.starts_with("Improper sequence"));
    // Unknown fields are kept; anything but an object is refused.
    let Message::FromWidgetRequest(FromWidgetRequest::ContentLoaded(request)) =
        typed_round_trips(&from_widget("content_loaded", json!({"x": 1})))
    else {
        panic!("not content_loaded")
    };
    assert_eq!(request.data().extra.get("x").map(|v| v.get()), Some("1"));
    rejected(&from_widget("content_loaded", json!([])), "`data`");
}

/// `request` text with `,"response":<response>` before its closing brace (what the reference
/// transport's `{...request, response}` produces).
fn with_response_text(request: &str, response: &str) -> String {
    format!("{},\"response\":{response}}}", request.strip_suffix('}').expect("an object"))
}

// ---- m.sticker ----

#[test]
fn sticker_as_the_reference_widget_sends_it() {
    let Message::FromWidgetRequest(FromWidgetRequest::Sticker(request)) = typed_round_trips(CAPTURED_STICKER) else {
        panic!("not m.sticker")
    };
    let data = request.data();
    assert_eq!((data.name.as_str(), data.description.as_deref()), ("Cat", Some("A cat")));
    assert_eq!(data.content.url, "mxc://example.org/cat");
    let info = data.content.info.as_ref().expect("info");
    assert_eq!((info.w.map(Pixels::get), info.h.map(Pixels::get)), (Some(256), Some(256)));
    assert_eq!((info.mimetype.as_deref(), info.size.map(FileSize::get)), (Some("image/png"), Some(31337)));
    let thumbnail = info.thumbnail_info.as_ref().expect("thumbnail_info");
    assert_eq!((thumbnail.w.map(Pixels::get), thumbnail.size.map(FileSize::get)), (Some(128), Some(4096)));
    assert_eq!(request.reply(&Empty::new()), CAPTURED_STICKER_REPLY);
    typed_round_trips(CAPTURED_STICKER_REPLY);

    // The builders make the same data.
    let px = |n| Pixels::new(n).expect("in range");
    let bytes = |n| FileSize::new(n).expect("in range");
    let built = StickerRequestData::new(
        "Cat",
        StickerContent::new("mxc://example.org/cat").with_info(
            StickerImageInfo::new().with_dimensions(px(256), px(256)).with_mimetype("image/png").with_size(bytes(31337)).with_thumbnail(
                "mxc://example.org/cat-thumb",
                StickerThumbnailInfo::new().with_dimensions(px(128), px(128)).with_mimetype("image/png").with_size(bytes(4096)),
            ),
        ),
    )
    .with_description("A cat");
    let request = Request::<Sticker>::new("w1", "r2", built.clone()).expect("valid");
    let Message::FromWidgetRequest(FromWidgetRequest::Sticker(decoded)) = built_round_trips(&request) else { panic!("not m.sticker") };
    assert_eq!(*decoded.data(), built);
    let mut expected = json_of(CAPTURED_STICKER)["data"].clone();
    expected["content"]["info"]["thumbnail_url"] = json!("mxc://example.org/cat-thumb");
    assert_eq!(serde_json::to_value(&built).expect("serialises"), expected);
}

#[test]
fn sticker_info_is_optional_and_unknown_fields_survive_at_every_level() {
    // Wire decision 22: `content.info` may be absent; `null` reads as absent.
    let bare = from_widget("m.sticker", json!({"name": "Cat", "content": {"url": "mxc://example.org/cat"}}));
    let Message::FromWidgetRequest(FromWidgetRequest::Sticker(request)) = typed_round_trips(&bare) else { panic!("{bare}") };
    assert!(request.data().content.info.is_none() && request.data().description.is_none());
    let nulls = from_widget("m.sticker", json!({"name": "Cat", "description": null, "content": {"url": "u", "info": null}}));
    let Ok(Message::FromWidgetRequest(FromWidgetRequest::Sticker(request))) = decode(&nulls) else { panic!("{nulls}") };
    assert!(request.data().content.info.is_none() && request.data().description.is_none());
    assert!(schema_errors(&nulls).is_empty());

    let rich = from_widget(
        "m.sticker",
        json!({"name": "Cat", "x-top": 1, "content": {"url": "u", "x-content": [true], "info": {"w": 1, "blurhash": "LEHV6n",
            "thumbnail_url": "mxc://t", "thumbnail_file": {"url": "mxc://e"}, "thumbnail_info": {"h": 0, "x-thumb": null}}}}),
    );
    let Message::FromWidgetRequest(FromWidgetRequest::Sticker(request)) = typed_round_trips(&rich) else { panic!("{rich}") };
    let data = request.data();
    let info = data.content.info.as_ref().expect("info");
    assert_eq!(data.extra.get("x-top").map(|v| v.get()), Some("1"));
    assert_eq!(data.content.extra.get("x-content").map(|v| v.get()), Some("[true]"));
    assert_eq!(info.extra.get("blurhash").map(|v| v.get()), Some(r#""LEHV6n""#));
    assert_eq!(info.thumbnail_url.as_deref(), Some("mxc://t"));
    assert_eq!(info.thumbnail_info.as_ref().and_then(|t| t.extra.get("x-thumb")).map(|v| v.get()), Some("null"));
    // An integral float is an integer, in JavaScript and in the schema alike.
    let float = from_widget("m.sticker", json!({"name": "Cat", "content": {"url": "u", "info": {"w": 256.0}}}));
    let Ok(Message::FromWidgetRequest(FromWidgetRequest::Sticker(request))) = decode(&float) else { panic!("{float}") };
    assert_eq!(request.data().content.info.as_ref().and_then(|i| i.w), Pixels::new(256));
    assert!(schema_errors(&float).is_empty());
}

#[test]
fn sticker_rules() {
    let sticker = |data: Value| from_widget("m.sticker", data);
    let with_info = |info: Value| sticker(json!({"name": "Cat", "content": {"url": "u", "info": info}}));
    rejected(&sticker(json!({"content": {"url": "u"}})), "`name` is missing");
    rejected(&sticker(json!({"name": 5, "content": {"url": "u"}})), "`name`: expected a string, found 5");
    rejected(&sticker(json!({"name": "Cat", "description": 5, "content": {"url": "u"}})), "`description`");
    rejected(&sticker(json!({"name": "Cat"})), "`content` is missing");
    rejected(&sticker(json!({"name": "Cat", "content": "mxc://example.org/cat"})), "`content`");
    rejected(&sticker(json!({"name": "Cat", "content": {}})), "`content.url` is missing");
    rejected(&sticker(json!({"name": "Cat", "content": {"url": 5}})), "`content.url`: expected a string");
    rejected(&sticker(json!({"name": "Cat", "content": {"url": "u", "info": []}})), "`content.info`");
    rejected(&with_info(json!({"w": -1})), "`w` is out of range: -1 is not an integer from 0 to 9007199254740991");
    rejected(&with_info(json!({"h": 1.5})), "`h` is out of range: 1.5");
    rejected(&with_info(json!({"w": "256"})), "`w`: expected a number of pixels (an integer from 0 to 9007199254740991), found \"256\"");
    rejected(&with_info(json!({"size": -3})), "`size` is out of range: -3");
    rejected(&with_info(json!({"size": 9_007_199_254_740_992_u64})), "`size` is out of range: 9007199254740992");
    rejected(&with_info(json!({"mimetype": 5})), "`mimetype`");
    rejected(&with_info(json!({"thumbnail_url": 5})), "`thumbnail_url`");
    rejected(&with_info(json!({"thumbnail_info": {"w": -2}})), "`thumbnail_info.w` is out of range: -2");
    rejected(&with_info(json!({"thumbnail_info": {"size": 0.5}})), "`thumbnail_info.size` is out of range");
    rejected(&with_info(json!({"thumbnail_info": "small"})), "`thumbnail_info`");
    // Out-of-range sizes cannot be built.
    assert!(Pixels::new(1 << 53).is_none() && FileSize::new(u64::MAX).is_none());
}

// ---- set_always_on_screen ----

#[test]
fn set_always_on_screen_request_and_reply() {
    let Message::FromWidgetRequest(FromWidgetRequest::SetAlwaysOnScreen(request)) = typed_round_trips(CAPTURED_ALWAYS_ON_SCREEN) else {
        panic!("not set_always_on_screen")
    };
    assert!(request.data().value);
    assert_eq!(request.reply(&SetAlwaysOnScreenResponseData::new(true)), CAPTURED_ALWAYS_ON_SCREEN_REPLY);
    let Message::FromWidgetResponse(FromWidgetResponse::SetAlwaysOnScreen(reply)) = typed_round_trips(CAPTURED_ALWAYS_ON_SCREEN_REPLY)
    else {
        panic!("not a set_always_on_screen reply")
    };
    assert!(reply.result().as_ref().expect("a success").success);
    assert!(reply.request_data().expect("typed echo").value);

    let built = Request::<SetAlwaysOnScreen>::new("w1", "r2", SetAlwaysOnScreenRequestData::new(false)).expect("valid");
    let Message::FromWidgetRequest(FromWidgetRequest::SetAlwaysOnScreen(decoded)) = built_round_trips(&built) else { panic!() };
    assert!(!decoded.data().value);
    let refusal = decoded.reply(&SetAlwaysOnScreenResponseData::new(false));
    let Message::FromWidgetResponse(FromWidgetResponse::SetAlwaysOnScreen(reply)) = typed_round_trips(&refusal) else {
        panic!("{refusal}")
    };
    assert_eq!(reply.result(), &Ok(SetAlwaysOnScreenResponseData::new(false)));
    typed_round_trips(&with_response(CAPTURED_ALWAYS_ON_SCREEN, json!({"success": true, "x-why": "pip"})));
}

#[test]
fn set_always_on_screen_rules() {
    rejected(&from_widget("set_always_on_screen", json!({})), "`value` is missing");
    rejected(&from_widget("set_always_on_screen", json!({"value": "true"})), "`value`: expected a boolean, found \"true\"");
    rejected(&from_widget("set_always_on_screen", json!({"value": null})), "`value`: expected a boolean, found null");
    rejected(&with_response(CAPTURED_ALWAYS_ON_SCREEN, json!({})), "`success` is missing");
    rejected(&with_response(CAPTURED_ALWAYS_ON_SCREEN, json!({"success": 1})), "`success`");
}

// ---- get_openid and openid_credentials ----

fn token() -> OpenIdToken {
    OpenIdToken::new("s3cr3t", "example.org", ExpiresIn::from_secs(3600).expect("in range"))
}

#[test]
fn get_openid_pending_then_openid_credentials() {
    let Message::FromWidgetRequest(FromWidgetRequest::GetOpenId(request)) = typed_round_trips(CAPTURED_GET_OPENID) else {
        panic!("not get_openid")
    };
    assert_eq!(request.reply(&GetOpenIdResponseData::pending()), CAPTURED_GET_OPENID_PENDING);
    let Message::FromWidgetResponse(FromWidgetResponse::GetOpenId(reply)) = typed_round_trips(CAPTURED_GET_OPENID_PENDING) else {
        panic!("not a get_openid reply")
    };
    let pending = reply.result().as_ref().expect("a success");
    assert_eq!(pending.state, OpenIdState::Pending);
    assert!(pending.access_token.is_none());

    // The final answer names the pending request.
    let Message::ToWidgetRequest(ToWidgetRequest::OpenIdCredentials(credentials)) = typed_round_trips(CAPTURED_OPENID_CREDENTIALS) else {
        panic!("not openid_credentials")
    };
    let data = credentials.data();
    assert_eq!(data.state, OpenIdDecision::Allowed);
    assert_eq!(data.original_request_id, request.envelope().request_id());
    assert_eq!(data.access_token.as_deref(), Some("s3cr3t"));
    assert_eq!(data.expires_in.map(ExpiresIn::as_secs), Some(3600));
    assert_eq!(data.matrix_server_name.as_deref(), Some("example.org"));
    assert_eq!(data.token_type, Some(TokenType::Bearer));
    assert_eq!(credentials.reply(&Empty::new()), CAPTURED_OPENID_CREDENTIALS_REPLY);
    typed_round_trips(CAPTURED_OPENID_CREDENTIALS_REPLY);

    // What the host builds is what the reference sent.
    let built = OpenIdCredentialsRequestData::allowed("widgetapi-1700000000009", token());
    assert_eq!(serde_json::to_value(&built).expect("serialises"), json_of(CAPTURED_OPENID_CREDENTIALS)["data"]);
    let request = Request::<OpenIdCredentials>::new("w1", "widgetapi-1700000000010", built).expect("valid");
    assert_eq!(serde_json::to_string(&request).expect("serialises"), CAPTURED_OPENID_CREDENTIALS);
    let blocked =
        Request::<OpenIdCredentials>::new("w1", "r3", OpenIdCredentialsRequestData::blocked("widgetapi-1700000000009")).expect("valid");
    let Message::ToWidgetRequest(ToWidgetRequest::OpenIdCredentials(decoded)) = built_round_trips(&blocked) else { panic!() };
    assert_eq!(decoded.data().state, OpenIdDecision::Blocked);
    assert_eq!(
        serde_json::to_value(decoded.data()).expect("ok"),
        json!({"state": "blocked", "original_request_id": "widgetapi-1700000000009"})
    );
    // The widget's answer to a state it does not accept.
    let invalid_state = with_response(CAPTURED_OPENID_CREDENTIALS, json!({"error": {"message": "Invalid state"}}));
    let Message::ToWidgetResponse(ToWidgetResponse::OpenIdCredentials(reply)) = typed_round_trips(&invalid_state) else { panic!() };
    assert!(reply.is_error());
}

#[test]
fn get_openid_allowed_and_blocked_answers() {
    let Message::FromWidgetRequest(FromWidgetRequest::GetOpenId(request)) = typed_round_trips(CAPTURED_GET_OPENID) else {
        panic!("not get_openid")
    };
    // `{state, ...credential}`, as the reference host's `replyState` spreads it.
    let allowed = request.reply(&GetOpenIdResponseData::allowed(token()));
    assert_eq!(
        json_of(&allowed)["response"],
        json!({"state": "allowed", "access_token": "s3cr3t", "expires_in": 3600, "matrix_server_name": "example.org", "token_type": "Bearer"})
    );
    let Message::FromWidgetResponse(FromWidgetResponse::GetOpenId(reply)) = typed_round_trips(&allowed) else { panic!("{allowed}") };
    assert_eq!(reply.result(), &Ok(GetOpenIdResponseData::allowed(token())));
    let blocked = request.reply(&GetOpenIdResponseData::blocked());
    assert_eq!(blocked, with_response_text(CAPTURED_GET_OPENID, r#"{"state":"blocked"}"#));
    typed_round_trips(&blocked);
    // The reference's host error when the driver allows without a token.
    let error =
        with_response(CAPTURED_GET_OPENID, json!({"error": {"message": "client provided invalid OIDC token for an allowed request"}}));
    let Message::FromWidgetResponse(FromWidgetResponse::GetOpenId(reply)) = typed_round_trips(&error) else { panic!("{error}") };
    assert!(reply.is_error());
    // Lenient where the reference is: token fields are optional, unknown types and fields
    // are kept, an integral float is an integer.
    let odd = with_response(CAPTURED_GET_OPENID, json!({"state": "allowed", "token_type": "MAC", "expires_in": 60.0, "x-scope": ["a"]}));
    let Message::FromWidgetResponse(FromWidgetResponse::GetOpenId(reply)) = decode(&odd).expect("decodes") else { panic!("{odd}") };
    let answer = reply.result().as_ref().expect("a success");
    assert!(matches!(&answer.token_type, Some(TokenType::_Custom(name)) if name.as_str() == "MAC"));
    assert_eq!(answer.expires_in, ExpiresIn::from_secs(60));
    assert_eq!(answer.extra.get("x-scope").map(|v| v.get()), Some(r#"["a"]"#));
    assert!(schema_errors(&odd).is_empty());
    assert_eq!(token().with_token_type(TokenType::Bearer), token());
    assert_eq!(ExpiresIn::from_secs(90).map(ExpiresIn::as_duration), Some(std::time::Duration::from_secs(90)));
}

#[test]
fn openid_rules() {
    let answer = |response: Value| with_response(CAPTURED_GET_OPENID, response);
    rejected(&answer(json!({})), "`state` is missing");
    rejected(
        &answer(json!({"state": "pending"})),
        "`state`: unknown OpenID state \"pending\", expected one of \"allowed\", \"blocked\", \"request\"",
    );
    rejected(&answer(json!({"state": "Allowed"})), "`state`");
    rejected(&answer(json!({"state": "allowed", "expires_in": -1})), "`expires_in` is out of range: -1");
    rejected(&answer(json!({"state": "allowed", "expires_in": 1.5})), "`expires_in` is out of range: 1.5");
    rejected(&answer(json!({"state": "allowed", "expires_in": "3600"})), "`expires_in`: expected");
    rejected(&answer(json!({"state": "allowed", "access_token": 5})), "`access_token`");
    rejected(&answer(json!({"state": "allowed", "matrix_server_name": false})), "`matrix_server_name`");
    rejected(&answer(json!({"state": "allowed", "token_type": 5})), "`token_type`");
    rejected(&from_widget("get_openid", json!(null)), "`data`");

    let credentials = |data: Value| to_widget("openid_credentials", data);
    rejected(
        &credentials(json!({"state": "request", "original_request_id": "r0"})),
        "`state`: unknown OpenID decision \"request\", expected one of \"allowed\", \"blocked\"",
    );
    rejected(&credentials(json!({"original_request_id": "r0"})), "`state` is missing");
    rejected(&credentials(json!({"state": "blocked"})), "`original_request_id` is missing");
    rejected(&credentials(json!({"state": "blocked", "original_request_id": ""})), "`original_request_id` must not be empty");
    rejected(&credentials(json!({"state": "blocked", "original_request_id": 9})), "`original_request_id`");
    rejected(&credentials(json!({"state": "allowed", "original_request_id": "r0", "expires_in": -60})), "`expires_in`");
    // Built values obey the same rules.
    assert!(matches!(
        Request::<OpenIdCredentials>::new("w1", "r1", OpenIdCredentialsRequestData::blocked("")),
        Err(BuildError::InvalidData(message)) if message.contains("`original_request_id` must not be empty")
    ));
    assert!(ExpiresIn::from_secs(1 << 53).is_none());
}

// ---- open_modal and widget_config ----

fn pick_a_date() -> ModalOpenData {
    ModalOpenData::new("https://widget.example.org/modal.html").with_name("Pick a date").with_buttons([
        ModalButton::new(ModalButtonId::new("ok"), "OK", ModalButtonKind::Primary),
        ModalButton::new(ModalButtonId::new("cancel"), "Cancel", ModalButtonKind::Link).with_disabled(true),
    ])
}

#[test]
fn open_modal_as_the_reference_widget_sends_it() {
    let Message::FromWidgetRequest(FromWidgetRequest::OpenModal(request)) = typed_round_trips(CAPTURED_OPEN_MODAL) else {
        panic!("not open_modal")
    };
    let data = request.data();
    assert_eq!(data.widget_type, WidgetType::Custom);
    assert_eq!(data.url, "https://widget.example.org/modal.html");
    assert_eq!(data.name.as_deref(), Some("Pick a date"));
    assert!(data.waits_for_iframe_load(), "absent means true");
    let buttons = data.buttons.as_deref().expect("buttons");
    assert_eq!(buttons[0].id, ModalButtonId::new("ok"));
    assert_eq!((buttons[0].kind.clone(), buttons[0].disabled), (ModalButtonKind::Primary, None));
    assert_eq!((buttons[1].kind.clone(), buttons[1].disabled), (ModalButtonKind::Link, Some(true)));
    let modal_data = data.data.as_ref().expect("data");
    assert_eq!(modal_data.title.as_deref(), Some("When?"));
    assert_eq!(modal_data.extra.get("day").map(|v| v.get()), Some(r#""mon""#));
    assert_eq!(request.reply(&Empty::new()), CAPTURED_OPEN_MODAL_REPLY);
    typed_round_trips(CAPTURED_OPEN_MODAL_REPLY);

    // The builders make the same data (the reference's helper puts `data` last; key order
    // aside, the values are the same).
    let mut extra_data = ModalWidgetData::new().with_title("When?");
    extra_data.extra.insert("day", "mon").expect("a string serialises");
    let built = pick_a_date().with_data(extra_data);
    assert_eq!(serde_json::to_value(&built).expect("serialises"), json_of(CAPTURED_OPEN_MODAL)["data"]);
    assert_eq!(&built, data);
    let request = Request::<OpenModal>::new("w1", "r2", built.clone()).expect("valid");
    let Message::FromWidgetRequest(FromWidgetRequest::OpenModal(decoded)) = built_round_trips(&request) else { panic!() };
    assert_eq!(*decoded.data(), built);
    // Element's answer when a modal is already open.
    let busy = with_response(CAPTURED_OPEN_MODAL, json!({"error": {"message": "Unable to open modal at this time"}}));
    let Message::FromWidgetResponse(FromWidgetResponse::OpenModal(reply)) = typed_round_trips(&busy) else { panic!("{busy}") };
    assert!(reply.is_error());
}

#[test]
fn modal_open_data_keeps_unknown_types_kinds_and_fields() {
    let text = from_widget(
        "open_modal",
        json!({"type": "org.example.calendar", "url": "https://e.org/m", "waitForIframeLoad": false, "avatar_url": "mxc://a",
            "data": {"x": {"deep": [1]}},
            "buttons": [{"id": "m.close", "label": "Close", "kind": "org.example.ghost", "x-icon": "✕"}]}),
    );
    let Message::FromWidgetRequest(FromWidgetRequest::OpenModal(request)) = typed_round_trips(&text) else { panic!("{text}") };
    let data = request.data();
    assert!(matches!(&data.widget_type, WidgetType::_Custom(name) if name.as_str() == "org.example.calendar"));
    assert!(!data.waits_for_iframe_load());
    assert_eq!(data.extra.get("avatar_url").map(|v| v.get()), Some(r#""mxc://a""#));
    assert!(data.data.as_ref().is_some_and(|d| d.title.is_none() && d.extra.get("x").is_some()));
    let button = &data.buttons.as_deref().expect("buttons")[0];
    assert_eq!(button.id, ModalButtonId::Close, "`m.close` may be declared, it is only refused in set_button_enabled");
    assert!(matches!(&button.kind, ModalButtonKind::_Custom(kind) if kind.as_str() == "org.example.ghost"));
    assert_eq!(button.extra.get("x-icon").map(|v| v.get()), Some(r#""✕""#));
    for (name, kind) in [
        ("m.primary", ModalButtonKind::Primary),
        ("m.secondary", ModalButtonKind::Secondary),
        ("m.warning", ModalButtonKind::Warning),
        ("m.danger", ModalButtonKind::Danger),
        ("m.link", ModalButtonKind::Link),
    ] {
        assert_eq!(name.parse::<ModalButtonKind>().expect("a kind"), kind);
    }
    for (name, widget_type) in
        [("m.custom", WidgetType::Custom), ("m.jitsi", WidgetType::Jitsi), ("m.stickerpicker", WidgetType::Stickerpicker)]
    {
        assert_eq!(name.parse::<WidgetType>().expect("a type"), widget_type);
    }
    // `null` optional fields read as absent.
    let nulls = from_widget("open_modal", json!({"type": "m.custom", "url": "u", "name": null, "buttons": null, "data": {"title": null}}));
    let Ok(Message::FromWidgetRequest(FromWidgetRequest::OpenModal(request))) = decode(&nulls) else { panic!("{nulls}") };
    assert!(request.data().name.is_none() && request.data().buttons.is_none());
    assert!(schema_errors(&nulls).is_empty());
}

/// The rules of the modal definition, for `open_modal` and `widget_config` alike.
fn modal_open_data_rules(message: fn(&str, Value) -> String, action: &str) {
    let m = |data: Value| message(action, data);
    rejected(&m(json!({"url": "u"})), "`type` is missing");
    rejected(&m(json!({"type": "", "url": "u"})), "`type` must not be empty");
    rejected(&m(json!({"type": 5, "url": "u"})), "`type`");
    rejected(&m(json!({"type": "m.custom"})), "`url` is missing");
    rejected(&m(json!({"type": "m.custom", "url": ""})), "`url` must not be empty");
    rejected(&m(json!({"type": "m.custom", "url": ["u"]})), "`url`");
    rejected(&m(json!({"type": "m.custom", "url": "u", "name": 5})), "`name`");
    rejected(&m(json!({"type": "m.custom", "url": "u", "waitForIframeLoad": "no"})), "`waitForIframeLoad`");
    rejected(&m(json!({"type": "m.custom", "url": "u", "data": []})), "`data`: expected an object, found an array");
    rejected(&m(json!({"type": "m.custom", "url": "u", "data": {"title": 5}})), "`data.title`");
    rejected(&m(json!({"type": "m.custom", "url": "u", "buttons": {}})), "`buttons`");
    rejected(&m(json!({"type": "m.custom", "url": "u", "buttons": ["ok"]})), "`buttons`");
    let button = |b: Value| m(json!({"type": "m.custom", "url": "u", "buttons": [b]}));
    rejected(&button(json!({"label": "OK", "kind": "m.primary"})), "`buttons.id` is missing");
    rejected(&button(json!({"id": "ok", "kind": "m.primary"})), "`buttons.label` is missing");
    rejected(&button(json!({"id": "ok", "label": "OK"})), "`buttons.kind` is missing");
    rejected(&button(json!({"id": 1, "label": "OK", "kind": "m.primary"})), "`id`");
    rejected(&button(json!({"id": "ok", "label": null, "kind": "m.primary"})), "`label`");
    rejected(&button(json!({"id": "ok", "label": "OK", "kind": 2})), "`kind`");
    rejected(&button(json!({"id": "ok", "label": "OK", "kind": "m.primary", "disabled": "yes"})), "`disabled`");
}

#[test]
fn open_modal_rules() {
    modal_open_data_rules(from_widget, "open_modal");
    // Built values obey the same rules.
    assert!(matches!(
        Request::<OpenModal>::new("w1", "r1", ModalOpenData::new("")),
        Err(BuildError::InvalidData(message)) if message.contains("`url` must not be empty")
    ));
    let no_type = ModalOpenData::new("u").with_type("".parse().expect("an open name type parses any string"));
    assert!(Request::<OpenModal>::new("w1", "r1", no_type).is_err());
}

#[test]
fn widget_config_hands_the_modal_its_definition() {
    let Message::ToWidgetRequest(ToWidgetRequest::WidgetConfig(request)) = typed_round_trips(CAPTURED_WIDGET_CONFIG) else {
        panic!("not widget_config")
    };
    let mut data = ModalWidgetData::new().with_title("When?");
    data.extra.insert("day", "mon").expect("a string serialises");
    let expected = ModalOpenData::new("https://widget.example.org/modal.html")
        .with_name("Pick a date")
        .with_buttons([ModalButton::new(ModalButtonId::new("ok"), "OK", ModalButtonKind::Primary)])
        .with_data(data);
    assert_eq!(*request.data(), expected);
    let ack = request.reply(&Empty::new());
    assert_eq!(ack, with_response_text(CAPTURED_WIDGET_CONFIG, "{}"));
    let Message::ToWidgetResponse(ToWidgetResponse::WidgetConfig(reply)) = typed_round_trips(&ack) else { panic!("{ack}") };
    assert_eq!(reply.request_data().expect("typed echo"), expected);
    // A host hands on exactly what `open_modal` carried.
    let Message::FromWidgetRequest(FromWidgetRequest::OpenModal(open)) = typed_round_trips(CAPTURED_OPEN_MODAL) else { panic!() };
    let config = Request::<WidgetConfig>::new("modal_w1", "r5", open.data().clone()).expect("valid");
    let Message::ToWidgetRequest(ToWidgetRequest::WidgetConfig(decoded)) = built_round_trips(&config) else { panic!() };
    assert_eq!(decoded.data(), open.data());
    modal_open_data_rules(to_widget, "widget_config");
}

// ---- set_button_enabled and button_clicked ----

#[test]
fn set_button_enabled_request_and_reply() {
    let Message::FromWidgetRequest(FromWidgetRequest::SetButtonEnabled(request)) = typed_round_trips(CAPTURED_SET_BUTTON) else {
        panic!("not set_button_enabled")
    };
    assert_eq!(*request.data(), SetButtonEnabledRequestData::new(ModalButtonId::new("ok"), false));
    assert_eq!(request.reply(&Empty::new()), CAPTURED_SET_BUTTON_REPLY);
    typed_round_trips(CAPTURED_SET_BUTTON_REPLY);
    // Element's answer for a button the modal was not opened with.
    let unknown = with_response(CAPTURED_SET_BUTTON, json!({"error": {"message": "Invalid button"}}));
    let Message::FromWidgetResponse(FromWidgetResponse::SetButtonEnabled(reply)) = typed_round_trips(&unknown) else { panic!("{unknown}") };
    assert!(reply.is_error());
    let built =
        Request::<SetButtonEnabled>::new("w1", "r2", SetButtonEnabledRequestData::new(ModalButtonId::new("submit"), true)).expect("valid");
    let Message::FromWidgetRequest(FromWidgetRequest::SetButtonEnabled(decoded)) = built_round_trips(&built) else { panic!() };
    assert!(decoded.data().enabled);
    assert!(matches!(&decoded.data().button, ModalButtonId::_Custom(id) if id.as_str() == "submit"));
    typed_round_trips(&from_widget("set_button_enabled", json!({"button": "ok", "enabled": true, "x": {}})));
}

#[test]
fn set_button_enabled_rules() {
    // The close button, whatever `enabled` says (the reference widget helper throws, Element
    // answers "Invalid button").
    for enabled in [false, true] {
        rejected(
            &from_widget("set_button_enabled", json!({"button": "m.close", "enabled": enabled})),
            "`button`: the close button `m.close` cannot be enabled or disabled",
        );
    }
    rejected(&from_widget("set_button_enabled", json!({"enabled": true})), "`button` is missing");
    rejected(&from_widget("set_button_enabled", json!({"button": 3, "enabled": true})), "`button`");
    rejected(&from_widget("set_button_enabled", json!({"button": "ok"})), "`enabled` is missing");
    rejected(&from_widget("set_button_enabled", json!({"button": "ok", "enabled": "false"})), "`enabled`");
    assert_eq!(ModalButtonId::new("m.close"), ModalButtonId::Close);
    assert!(matches!(
        Request::<SetButtonEnabled>::new("w1", "r1", SetButtonEnabledRequestData::new(ModalButtonId::Close, false)),
        Err(BuildError::InvalidData(message)) if message.contains("`m.close`")
    ));
}

#[test]
fn button_clicked_request_and_rules() {
    let Message::ToWidgetRequest(ToWidgetRequest::ButtonClicked(request)) = typed_round_trips(CAPTURED_BUTTON_CLICKED) else {
        panic!("not button_clicked")
    };
    assert_eq!(*request.data(), ButtonClickedRequestData::new(ModalButtonId::new("ok")));
    let ack = request.reply(&Empty::new());
    assert_eq!(ack, with_response_text(CAPTURED_BUTTON_CLICKED, "{}"));
    typed_round_trips(&ack);
    let built = Request::<ButtonClicked>::new("modal_w1", "r2", ButtonClickedRequestData::new(ModalButtonId::Close)).expect("valid");
    let Message::ToWidgetRequest(ToWidgetRequest::ButtonClicked(decoded)) = built_round_trips(&built) else { panic!() };
    assert_eq!(decoded.data().id, ModalButtonId::Close);
    typed_round_trips(&to_widget("button_clicked", json!({"id": "ok", "x-at": 12})));
    rejected(&to_widget("button_clicked", json!({})), "`id` is missing");
    rejected(&to_widget("button_clicked", json!({"id": ["ok"]})), "`id`");
    rejected(&to_widget("button_clicked", json!("ok")), "`data`");
}

// ---- close_modal, both directions ----

#[test]
fn close_modal_relays_any_object() {
    let Message::FromWidgetRequest(FromWidgetRequest::CloseModal(request)) = typed_round_trips(CAPTURED_CLOSE_MODAL) else {
        panic!("not close_modal")
    };
    assert_eq!(request.data().extra.get("choice").map(|v| v.get()), Some(r#""mon""#));
    assert!(!request.data().is_exited());
    assert_eq!(request.reply(&Empty::new()), CAPTURED_CLOSE_MODAL_REPLY);
    typed_round_trips(CAPTURED_CLOSE_MODAL_REPLY);

    // The host relays the modal's object to the opener unchanged.
    let relayed = Request::<ToWidgetCloseModal>::new("w1", "r9", request.data().clone()).expect("valid");
    let text = serde_json::to_string(&relayed).expect("serialises");
    assert!(text.contains(r#""data":{"choice":"mon"}"#), "{text}");
    typed_round_trips(&text);

    // The user dismissed the modal: `{"m.exited": true}`.
    let Message::ToWidgetRequest(ToWidgetRequest::CloseModal(exited)) = typed_round_trips(CAPTURED_TO_CLOSE_MODAL) else {
        panic!("not close_modal")
    };
    assert!(exited.data().is_exited());
    assert_eq!(*exited.data(), ModalReturnData::exited());
    let built = Request::<ToWidgetCloseModal>::new("w1", "widgetapi-1700000000017", ModalReturnData::exited()).expect("valid");
    assert_eq!(serde_json::to_string(&built).expect("serialises"), CAPTURED_TO_CLOSE_MODAL);
    let Message::ToWidgetResponse(ToWidgetResponse::CloseModal(reply)) = typed_round_trips(CAPTURED_TO_CLOSE_MODAL_ERROR) else {
        panic!("not a close_modal reply")
    };
    assert!(reply.is_error());

    // Any object, in arrival order, `m.exited` included whatever it holds.
    let odd = r#"{"api":"toWidget","widgetId":"w1","requestId":"r1","action":"close_modal","data":{"m.exited":"yes","b":[1],"a":null}}"#;
    let Message::ToWidgetRequest(ToWidgetRequest::CloseModal(request)) = typed_round_trips(odd) else { panic!("{odd}") };
    assert!(!request.data().is_exited());
    assert_eq!(request.data().extra.iter().map(|(k, _)| k).collect::<Vec<_>>(), ["m.exited", "b", "a"]);
    assert_eq!(serde_json::to_string(&request).expect("serialises"), odd, "kept as it came");
    assert!(ModalReturnData::new().extra.is_empty());
    rejected(&from_widget("close_modal", json!([])), "`data`");
    rejected(&to_widget("close_modal", json!(true)), "`data`");
}

// ---- theme_change and language_change ----

#[test]
fn theme_change_is_free_form() {
    let Message::ToWidgetRequest(ToWidgetRequest::ThemeChange(request)) = typed_round_trips(CAPTURED_THEME_CHANGE) else {
        panic!("not theme_change")
    };
    assert_eq!(request.data().name().as_deref(), Some("dark"));
    assert_eq!(*request.data(), ThemeChangeRequestData::named("dark"));
    let ack = request.reply(&Empty::new());
    assert_eq!(ack, with_response_text(CAPTURED_THEME_CHANGE, "{}"));
    typed_round_trips(&ack);
    let Message::ToWidgetResponse(ToWidgetResponse::ThemeChange(reply)) = typed_round_trips(CAPTURED_THEME_CHANGE_ERROR) else {
        panic!("not a theme_change reply")
    };
    assert!(reply.result().as_ref().expect_err("an error").error.message.contains("theme_change"));
    let built = Request::<ThemeChange>::new("w1", "widgetapi-1700000000012", ThemeChangeRequestData::named("dark")).expect("valid");
    assert_eq!(serde_json::to_string(&built).expect("serialises"), CAPTURED_THEME_CHANGE);
    // Another client's theme: anything goes, kept as it came.
    let other = to_widget("theme_change", json!({"name": {"id": "org.example.dark"}, "colors": {"accent": "#0dbd8b"}}));
    let Message::ToWidgetRequest(ToWidgetRequest::ThemeChange(request)) = typed_round_trips(&other) else { panic!("{other}") };
    assert_eq!(request.data().name(), None, "a name that is not a string is not read as one");
    assert_eq!(request.data().extra.len(), 2);
    typed_round_trips(&to_widget("theme_change", json!({})));
    assert_eq!(ThemeChangeRequestData::new(), serde_json::from_str("{}").expect("decodes"));
    rejected(&to_widget("theme_change", json!("dark")), "`data`");
}

#[test]
fn language_change_request_and_rules() {
    let Message::ToWidgetRequest(ToWidgetRequest::LanguageChange(request)) = typed_round_trips(CAPTURED_LANGUAGE_CHANGE) else {
        panic!("not language_change")
    };
    assert_eq!(request.data().lang, "de");
    let built = Request::<LanguageChange>::new("w1", "widgetapi-1700000000013", LanguageChangeRequestData::new("de")).expect("valid");
    assert_eq!(serde_json::to_string(&built).expect("serialises"), CAPTURED_LANGUAGE_CHANGE);
    let ack = request.reply(&Empty::new());
    assert_eq!(ack, with_response_text(CAPTURED_LANGUAGE_CHANGE, "{}"));
    typed_round_trips(&ack);
    typed_round_trips(&to_widget("language_change", json!({"lang": "zh_Hant", "x": 1})));
    rejected(&to_widget("language_change", json!({})), "`lang` is missing");
    rejected(&to_widget("language_change", json!({"lang": ["de"]})), "`lang`");
}

// ---- visibility ----

#[test]
fn visibility_built_request_copies_visible_to_the_top_level() {
    // Built with the reference's IDs, the request is the reference's, byte for byte.
    let request = Request::<Visibility>::new("w1", "widgetapi-1700000000014", VisibilityRequestData::new(false)).expect("valid");
    assert_eq!(serde_json::to_string(&request).expect("serialises"), CAPTURED_VISIBILITY);
    assert_eq!(request.envelope().extra().get("visible").map(|v| v.get()), Some("false"));
    let shown = Request::<Visibility>::new("w1", "r2", VisibilityRequestData::new(true)).expect("valid");
    let value = serde_json::to_value(&shown).expect("serialises");
    assert_eq!((&value["data"]["visible"], &value["visible"]), (&json!(true), &json!(true)));
    built_round_trips(&shown);
}

#[test]
fn visibility_decoding_tolerates_and_round_trips_the_top_level_copy() {
    let Message::ToWidgetRequest(ToWidgetRequest::Visibility(request)) = typed_round_trips(CAPTURED_VISIBILITY) else {
        panic!("not visibility")
    };
    assert!(!request.data().visible);
    assert_eq!(request.envelope().extra().get("visible").map(|v| v.get()), Some("false"));
    assert_eq!(serde_json::to_string(&request).expect("serialises"), CAPTURED_VISIBILITY);
    // The widget's acknowledgement, as the reference widget posts it (top-level copy included).
    assert_eq!(request.reply(&Empty::new()), CAPTURED_VISIBILITY_REPLY);
    let Message::ToWidgetResponse(ToWidgetResponse::Visibility(reply)) = typed_round_trips(CAPTURED_VISIBILITY_REPLY) else {
        panic!("not a visibility reply")
    };
    assert_eq!(reply.envelope().extra().get("visible").map(|v| v.get()), Some("false"));
    assert!(!reply.request_data().expect("typed echo").visible);
    // Without the copy, or with one that disagrees: `data.visible` counts, the copy is kept.
    typed_round_trips(&to_widget("visibility", json!({"visible": true})));
    let disagreeing =
        r#"{"api":"toWidget","widgetId":"w1","requestId":"r1","action":"visibility","visible":"yes","data":{"visible":true}}"#;
    let Message::ToWidgetRequest(ToWidgetRequest::Visibility(request)) = typed_round_trips(disagreeing) else { panic!("not visibility") };
    assert!(request.data().visible);
    assert_eq!(request.envelope().extra().get("visible").map(|v| v.get()), Some(r#""yes""#));
    match decode_widget(disagreeing).expect("decodes") {
        WidgetMessage::Request(ToWidgetRequest::Visibility(r)) => assert!(r.data().visible),
        other => panic!("{other:?}"),
    }
}

#[test]
fn visibility_rules() {
    rejected(&to_widget("visibility", json!({})), "`visible` is missing");
    rejected(&to_widget("visibility", json!({"visible": "false"})), "`visible`: expected a boolean, found \"false\"");
    rejected(&to_widget("visibility", json!({"visible": 0})), "`visible`");
    // The top-level copy alone is not the data.
    rejected(
        r#"{"api":"toWidget","widgetId":"w1","requestId":"r1","action":"visibility","data":{},"visible":false}"#,
        "`visible` is missing",
    );
}

// ---- Roles ----

#[test]
fn each_side_decodes_what_reaches_it() {
    assert!(matches!(decode_host(CAPTURED_STICKER), Ok(HostMessage::Request(FromWidgetRequest::Sticker(_)))));
    assert!(matches!(decode_host(CAPTURED_VISIBILITY_REPLY), Ok(HostMessage::Response(ToWidgetResponse::Visibility(_)))));
    assert!(matches!(decode_widget(CAPTURED_OPENID_CREDENTIALS), Ok(WidgetMessage::Request(ToWidgetRequest::OpenIdCredentials(_)))));
    assert!(matches!(decode_widget(CAPTURED_GET_OPENID_PENDING), Ok(WidgetMessage::Response(FromWidgetResponse::GetOpenId(_)))));
    // A widget never receives a fromWidget request, nor a host a toWidget one.
    assert!(matches!(decode_widget(CAPTURED_STICKER), Err(DecodeError::Malformed(_))));
    assert!(matches!(decode_host(CAPTURED_THEME_CHANGE), Err(DecodeError::Malformed(_))));
}
