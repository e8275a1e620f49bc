//! `download_file` (fromWidget) — MSC4039: the host downloads a file from the content
//! repository.
//!
//! `{content_uri, timeout_ms?, encryption?}` → `{file}`. Emitted as
//! `org.matrix.msc4039.download_file` (matrix-widget-api 1.19 sends it only to a host
//! advertising the `org.matrix.msc4039` API version); the stable `download_file` is
//! accepted. The capability has the same unstable string, `org.matrix.msc4039.download_file`
//! (stable `m.download_file`).
//!
//! `timeout_ms` (how long the host may wait for the homeserver to start sending, as in the
//! Client-Server download endpoint) and `encryption` (the file's [`EncryptedFile`], which
//! MSC4039 has the widget pass for a file in an encrypted room) are MSC4039 fields that
//! matrix-widget-api 1.19 neither sends nor reads; both are optional (wire decision 19).
//! `timeout_ms` must be an integer from 0 to 2^53 − 1.
//!
//! **A host that cannot decrypt must refuse a request carrying `encryption`** (wire
//! decision 19; check [`DownloadFileRequestData::is_encrypted`]): answering it with the
//! downloaded bytes would hand the widget ciphertext as if it were the file, which is what
//! matrix-widget-api 1.19's host does, since it ignores the field.
//!
//! The response's `file` is a structured-clone value like `upload_file`'s: a
//! [`Transferable`] (see [`crate::transferable`]).
//!
//! ```
//! use matrix_widget_api::from_widget::download_file::DownloadFileResponseData;
//! use matrix_widget_api::transferable::Transferable;
//! use matrix_widget_api::{ErrorResponseData, FromWidgetRequest, HostMessage, decode_host};
//!
//! let text = r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"org.matrix.msc4039.download_file",
//!     "data":{"content_uri":"mxc://example.org/abc"}}"#;
//! let HostMessage::Request(FromWidgetRequest::DownloadFile(request)) = decode_host(text)? else { unreachable!() };
//! let reply = if request.data().is_encrypted() {
//!     // This host cannot decrypt: refuse rather than return ciphertext.
//!     request.reply_error(ErrorResponseData::new("Cannot decrypt files"))
//! } else {
//!     request.reply(&DownloadFileResponseData::new(Transferable::string("file contents")))
//! };
//! assert!(reply.ends_with(r#","response":{"file":"file contents"}}"#));
//! # Ok::<(), matrix_widget_api::DecodeError>(())
//! ```

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::encrypted_file::EncryptedFile;
use crate::from_widget::send_event::MAX_SAFE_INTEGER;
use crate::payload::{BoundedInt, Extra, Payload};
use crate::transferable::Transferable;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The `download_file` action from widget to host.
#[derive(Debug)]
pub enum DownloadFile {}

impl Action for DownloadFile {
    const API: Api = Api::FromWidget;
    const NAME: ActionName = ActionName::DownloadFile;
    type RequestData = DownloadFileRequestData;
    type ResponseData = DownloadFileResponseData;
}

/// The request `data`: the file to download.
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct DownloadFileRequestData {
    /// The file's mxc:// URI.
    pub content_uri: String,
    /// MSC4039: how long the host may wait for the homeserver to start sending the file, in milliseconds.
    pub timeout_ms: Option<DownloadTimeout>,
    /// MSC4039: the file's key material, for a file in an encrypted room; the host decrypts the download with it. A host that cannot decrypt refuses a request that has it.
    pub encryption: Option<EncryptedFile>,
    /// Fields the protocol does not define, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl DownloadFileRequestData {
    /// Downloads `content_uri`.
    pub fn new(content_uri: impl Into<String>) -> Self {
        DownloadFileRequestData { content_uri: content_uri.into(), timeout_ms: None, encryption: None, extra: Extra::new() }
    }

    /// The same request, with a timeout.
    pub fn with_timeout(self, timeout: DownloadTimeout) -> Self {
        DownloadFileRequestData { timeout_ms: Some(timeout), ..self }
    }

    /// The same request, for an encrypted file.
    pub fn with_encryption(self, encryption: EncryptedFile) -> Self {
        DownloadFileRequestData { encryption: Some(encryption), ..self }
    }

    /// Whether the file is encrypted (`encryption` is present): a host that cannot decrypt
    /// must refuse the request (wire decision 19).
    pub fn is_encrypted(&self) -> bool {
        self.encryption.is_some()
    }
}

/// The success response: the file.
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct DownloadFileResponseData {
    /// The file's content, decrypted if the request had encryption: in a browser a structured-clone value (Blob, ArrayBuffer or string); a JSON peer sees {} for a Blob or ArrayBuffer. Not null.
    pub file: Transferable,
    /// Fields the protocol does not define, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl DownloadFileResponseData {
    /// The downloaded `file`.
    pub fn new(file: Transferable) -> Self {
        DownloadFileResponseData { file, extra: Extra::new() }
    }
}

/// A download timeout in milliseconds: an integer from 0 to 2^53 − 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DownloadTimeout(u64);

impl DownloadTimeout {
    /// `Some` if `ms` is at most 2^53 − 1.
    pub const fn from_millis(ms: u64) -> Option<Self> {
        if ms <= MAX_SAFE_INTEGER { Some(DownloadTimeout(ms)) } else { None }
    }

    /// The timeout in milliseconds.
    pub const fn as_millis(self) -> u64 {
        self.0
    }
}

impl Serialize for DownloadTimeout {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(self.0)
    }
}

impl<'de> Deserialize<'de> for DownloadTimeout {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_u64(BoundedInt::millis("timeout", 0, MAX_SAFE_INTEGER)).map(DownloadTimeout)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for DownloadTimeout {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "DownloadTimeout".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A download timeout in milliseconds (MSC4039): an integer from 0 to 2^53 - 1.",
            "type": "integer",
            "minimum": 0,
            "maximum": MAX_SAFE_INTEGER,
        })
    }
}
