//! `get_media_config` (fromWidget) — MSC4039: the content repository's configuration.
//!
//! `{}` → the homeserver's media configuration, mirrored: `m.upload.size` (the largest
//! upload in bytes) when the server says, and every other field it returns, kept. Emitted
//! as `org.matrix.msc4039.get_media_config` (matrix-widget-api 1.19 sends it only to a
//! host advertising the `org.matrix.msc4039` API version); the stable `get_media_config` is
//! accepted. MSC4039 names no capability for it; wire decision 19 gates it, like
//! matrix-widget-api's host, on `org.matrix.msc4039.upload_file`.
//!
//! `m.upload.size` must be an integer from 0 to 2^53 − 1 (the Client-Server API's is an
//! integer); a negative or fractional size is refused, naming the value.
//!
//! ```
//! use matrix_widget_api::from_widget::get_media_config::{GetMediaConfigResponseData, UploadSize};
//! use matrix_widget_api::{FromWidgetRequest, HostMessage, decode_host};
//!
//! let text = r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"org.matrix.msc4039.get_media_config","data":{}}"#;
//! let HostMessage::Request(FromWidgetRequest::GetMediaConfig(request)) = decode_host(text)? else { unreachable!() };
//! let config = GetMediaConfigResponseData::new().with_upload_size(UploadSize::from_bytes(50_000_000).unwrap());
//! assert!(request.reply(&config).ends_with(r#","response":{"m.upload.size":50000000}}"#));
//! # Ok::<(), matrix_widget_api::DecodeError>(())
//! ```

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::payload::MAX_SAFE_INTEGER;
use crate::payload::{BoundedInt, Empty, Extra, Payload};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The `get_media_config` action from widget to host.
#[derive(Debug)]
pub enum GetMediaConfig {}

impl Action for GetMediaConfig {
    const API: Api = Api::FromWidget;
    const NAME: ActionName = ActionName::GetMediaConfig;
    type RequestData = Empty;
    type ResponseData = GetMediaConfigResponseData;
}

/// The success response: the homeserver's media configuration, every field kept.
#[derive(Clone, Debug, Default, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct GetMediaConfigResponseData {
    /// The largest upload the homeserver accepts, in bytes, if it says.
    #[wire(rename = "m.upload.size")]
    pub upload_size: Option<UploadSize>,
    /// The other fields of the homeserver's configuration, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl GetMediaConfigResponseData {
    /// A configuration without fields.
    pub fn new() -> Self {
        Self::default()
    }

    /// The same configuration, with `m.upload.size`.
    pub fn with_upload_size(self, size: UploadSize) -> Self {
        GetMediaConfigResponseData { upload_size: Some(size), ..self }
    }
}

/// An upload size in bytes: an integer from 0 to 2^53 − 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UploadSize(u64);

impl UploadSize {
    /// `Some` if `bytes` is at most 2^53 − 1.
    pub const fn from_bytes(bytes: u64) -> Option<Self> {
        if bytes <= MAX_SAFE_INTEGER { Some(UploadSize(bytes)) } else { None }
    }

    /// The size in bytes.
    pub const fn as_bytes(self) -> u64 {
        self.0
    }
}

impl Serialize for UploadSize {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(self.0)
    }
}

impl<'de> Deserialize<'de> for UploadSize {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_u64(BoundedInt::plain("upload size", 0, MAX_SAFE_INTEGER)).map(UploadSize)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for UploadSize {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "UploadSize".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "An upload size in bytes: an integer from 0 to 2^53 - 1.",
            "type": "integer",
            "minimum": 0,
            "maximum": MAX_SAFE_INTEGER,
        })
    }
}
