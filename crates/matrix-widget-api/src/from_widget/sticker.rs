//! `m.sticker` (fromWidget) — spec draft #2764, MSC1236: the widget sends a sticker.
//!
//! A sticker picker asks the host to post an `m.sticker` event: `name` (the fallback
//! body), an optional `description`, and `content` with the image's `url` and optional
//! `info`. The host needs the `m.sticker` capability. matrix-widget-api 1.19's host does not
//! handle the action itself: the client does, as Element does (otherwise the reply is the
//! error "Unknown or unsupported from-widget action").
//!
//! `content.info` is optional (wire decision 22: the spec draft requires it, the reference
//! makes it optional; emit it when known). Besides the reference's `h`, `w`, `mimetype`,
//! `size` and `thumbnail_info`, `info.thumbnail_url` is typed, as the spec draft shows it.
//! Sizes are checked integers ([`Pixels`], [`FileSize`]): negatives and fractions, which the
//! Matrix spec's image info does not allow, are refused with the value named (wire decision
//! 44: the reference host never reads them). Unknown fields are kept at every level
//! (`thumbnail_file`, `blurhash`, …). The response is `{}`.
//!
//! ```
//! use matrix_widget_api::from_widget::sticker::{Pixels, StickerContent, StickerImageInfo, StickerRequestData};
//! use matrix_widget_api::payload::Empty;
//! use matrix_widget_api::{FromWidgetRequest, HostMessage, decode_host};
//!
//! let text = r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"m.sticker","data":{
//!     "name":"Cat","content":{"url":"mxc://example.org/cat","info":{"w":256,"h":256,"mimetype":"image/png"}}}}"#;
//! let HostMessage::Request(FromWidgetRequest::Sticker(request)) = decode_host(text)? else { unreachable!() };
//! let info = request.data().content.info.as_ref().expect("info");
//! assert_eq!(info.w.map(Pixels::get), Some(256));
//! assert!(request.reply(&Empty::new()).ends_with(r#","response":{}}"#));
//!
//! // A widget builds the same request:
//! let size = Pixels::new(256).expect("in range");
//! let data = StickerRequestData::new("Cat", StickerContent::new("mxc://example.org/cat")
//!     .with_info(StickerImageInfo::new().with_dimensions(size, size).with_mimetype("image/png")));
//! let built = matrix_widget_api::Request::<matrix_widget_api::from_widget::sticker::Sticker>::new("w1", "r2", data)?;
//! assert_eq!(built.data().name, "Cat");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::payload::MAX_SAFE_INTEGER;
use crate::payload::{BoundedInt, Empty, Extra, Payload};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The `m.sticker` action from widget to host.
#[derive(Debug)]
pub enum Sticker {}

impl Action for Sticker {
    const API: Api = Api::FromWidget;
    const NAME: ActionName = ActionName::Sticker;
    type RequestData = StickerRequestData;
    type ResponseData = Empty;
}

/// The request `data`: the sticker to post to the room.
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct StickerRequestData {
    /// The sticker's name: the event's body when there is no description.
    pub name: String,
    /// A description of the sticker, used as the event's body.
    pub description: Option<String>,
    /// The image.
    pub content: StickerContent,
    /// Fields the protocol does not define, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl StickerRequestData {
    /// The sticker `name` showing `content`.
    pub fn new(name: impl Into<String>, content: StickerContent) -> Self {
        StickerRequestData { name: name.into(), description: None, content, extra: Extra::new() }
    }

    /// With a description.
    pub fn with_description(self, description: impl Into<String>) -> Self {
        StickerRequestData { description: Some(description.into()), ..self }
    }
}

/// The sticker's image: its URL and what is known about it.
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct StickerContent {
    /// The image's `mxc://` URL.
    pub url: String,
    /// The image's size and type. Optional (the spec draft requires it; implementations do
    /// not).
    pub info: Option<StickerImageInfo>,
    /// Fields the protocol does not define, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl StickerContent {
    /// The image at `url`, nothing else known.
    pub fn new(url: impl Into<String>) -> Self {
        StickerContent { url: url.into(), info: None, extra: Extra::new() }
    }

    /// With the image's info.
    pub fn with_info(self, info: StickerImageInfo) -> Self {
        StickerContent { info: Some(info), ..self }
    }
}

/// What is known about a sticker's image.
#[derive(Clone, Debug, Default, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct StickerImageInfo {
    /// The intended display height, in pixels.
    pub h: Option<Pixels>,
    /// The intended display width, in pixels.
    pub w: Option<Pixels>,
    /// The image's MIME type.
    pub mimetype: Option<String>,
    /// The image's size in bytes.
    pub size: Option<FileSize>,
    /// What is known about the thumbnail.
    pub thumbnail_info: Option<StickerThumbnailInfo>,
    /// The thumbnail's `mxc://` URL (in the spec draft, not in matrix-widget-api's type).
    pub thumbnail_url: Option<String>,
    /// Fields the protocol does not define, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl StickerImageInfo {
    /// Nothing known.
    pub fn new() -> Self {
        Self::default()
    }

    /// With the display width and height.
    pub fn with_dimensions(self, w: Pixels, h: Pixels) -> Self {
        StickerImageInfo { w: Some(w), h: Some(h), ..self }
    }

    /// With the MIME type.
    pub fn with_mimetype(self, mimetype: impl Into<String>) -> Self {
        StickerImageInfo { mimetype: Some(mimetype.into()), ..self }
    }

    /// With the size in bytes.
    pub fn with_size(self, size: FileSize) -> Self {
        StickerImageInfo { size: Some(size), ..self }
    }

    /// With a thumbnail.
    pub fn with_thumbnail(self, url: impl Into<String>, info: StickerThumbnailInfo) -> Self {
        StickerImageInfo { thumbnail_url: Some(url.into()), thumbnail_info: Some(info), ..self }
    }
}

/// What is known about a sticker's thumbnail.
#[derive(Clone, Debug, Default, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct StickerThumbnailInfo {
    /// The thumbnail's height, in pixels.
    pub h: Option<Pixels>,
    /// The thumbnail's width, in pixels.
    pub w: Option<Pixels>,
    /// The thumbnail's MIME type.
    pub mimetype: Option<String>,
    /// The thumbnail's size in bytes.
    pub size: Option<FileSize>,
    /// Fields the protocol does not define, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl StickerThumbnailInfo {
    /// Nothing known.
    pub fn new() -> Self {
        Self::default()
    }

    /// With the width and height.
    pub fn with_dimensions(self, w: Pixels, h: Pixels) -> Self {
        StickerThumbnailInfo { w: Some(w), h: Some(h), ..self }
    }

    /// With the MIME type.
    pub fn with_mimetype(self, mimetype: impl Into<String>) -> Self {
        StickerThumbnailInfo { mimetype: Some(mimetype.into()), ..self }
    }

    /// With the size in bytes.
    pub fn with_size(self, size: FileSize) -> Self {
        StickerThumbnailInfo { size: Some(size), ..self }
    }
}

/// A length in pixels: an integer from 0 to 2^53 − 1. Negatives, fractions and strings are
/// refused with an error naming the value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pixels(u64);

impl Pixels {
    /// `Some` if `n` is at most 2^53 − 1.
    pub const fn new(n: u64) -> Option<Self> {
        if n <= MAX_SAFE_INTEGER { Some(Pixels(n)) } else { None }
    }

    /// The number of pixels.
    pub const fn get(self) -> u64 {
        self.0
    }
}

impl Serialize for Pixels {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(self.0)
    }
}

impl<'de> Deserialize<'de> for Pixels {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_u64(BoundedInt::plain("number of pixels", 0, MAX_SAFE_INTEGER)).map(Pixels)
    }
}

/// A file size in bytes: an integer from 0 to 2^53 − 1. Negatives, fractions and strings
/// are refused with an error naming the value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileSize(u64);

impl FileSize {
    /// `Some` if `bytes` is at most 2^53 − 1.
    pub const fn new(bytes: u64) -> Option<Self> {
        if bytes <= MAX_SAFE_INTEGER { Some(FileSize(bytes)) } else { None }
    }

    /// The size in bytes.
    pub const fn get(self) -> u64 {
        self.0
    }
}

impl Serialize for FileSize {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(self.0)
    }
}

impl<'de> Deserialize<'de> for FileSize {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_u64(BoundedInt::plain("number of bytes", 0, MAX_SAFE_INTEGER)).map(FileSize)
    }
}

#[cfg(feature = "schema")]
mod schema {
    use super::*;
    use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
    use std::borrow::Cow;

    impl JsonSchema for Pixels {
        fn schema_name() -> Cow<'static, str> {
            "Pixels".into()
        }
        fn json_schema(_: &mut SchemaGenerator) -> Schema {
            json_schema!({
                "description": "A length in pixels: an integer from 0 to 2^53 - 1.",
                "type": "integer",
                "minimum": 0,
                "maximum": MAX_SAFE_INTEGER,
            })
        }
    }

    impl JsonSchema for FileSize {
        fn schema_name() -> Cow<'static, str> {
            "FileSize".into()
        }
        fn json_schema(_: &mut SchemaGenerator) -> Schema {
            json_schema!({
                "description": "A file size in bytes: an integer from 0 to 2^53 - 1.",
                "type": "integer",
                "minimum": 0,
                "maximum": MAX_SAFE_INTEGER,
            })
        }
    }
}
