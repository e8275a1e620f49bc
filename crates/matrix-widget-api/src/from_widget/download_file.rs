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
//! The response's `file` is a [`DownloadedFile`]: what matrix-widget-api hosts send is a
//! structured-clone value like `upload_file`'s (a `Blob`, which JSON sees as `{}`; see
//! [`crate::transferable`]), while matrix-sdk ≥ 0.17 hosts answer with the file's bytes as a
//! base64 string. A JSON string is therefore [`DownloadedFile::JsonString`], readable both ways
//! ([`DownloadedFile::decode_base64`], [`DownloadedFile::as_text`]); anything else is
//! [`DownloadedFile::Structured`]. Either way the value is kept byte-exact (wire decision 38).
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
//!
//! // A matrix-sdk host answers with base64:
//! use matrix_widget_api::from_widget::download_file::DownloadedFile;
//! let file = DownloadedFile::base64(b"\x89PNG");
//! assert_eq!(file.get(), r#""iVBORw==""#);
//! assert_eq!(file.decode_base64().as_deref(), Some(&b"\x89PNG"[..]));
//! # Ok::<(), matrix_widget_api::DecodeError>(())
//! ```

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::encrypted_file::EncryptedFile;
use crate::payload::MAX_SAFE_INTEGER;
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
    /// The file's content, decrypted if the request had encryption: a structured-clone value (a Blob, which JSON sees as {}), or a string (matrix-sdk ≥ 0.17: the bytes in base64). Not null.
    pub file: DownloadedFile,
    /// Fields the protocol does not define, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl DownloadFileResponseData {
    /// The downloaded `file`: a [`DownloadedFile`], or a [`Transferable`] (a string one
    /// becomes [`DownloadedFile::JsonString`]).
    pub fn new(file: impl Into<DownloadedFile>) -> Self {
        DownloadFileResponseData { file: file.into(), extra: Extra::new() }
    }
}

/// The `file` of a `download_file` response, typed by what its JSON is (wire decision 38).
///
/// Both variants keep the value's JSON text exactly as it arrived.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DownloadedFile {
    /// A JSON string. matrix-sdk ≥ 0.17 hosts put the file's bytes here in base64
    /// ([`DownloadedFile::decode_base64`]); a JavaScript host whose driver returns a string
    /// body puts the text itself ([`DownloadedFile::as_text`]). The wire cannot tell the two
    /// apart; only base64 is sent by a known host.
    JsonString(Transferable),
    /// Any other value: a structured-clone value as JSON sees it, `{}` for the `Blob` that
    /// matrix-widget-api hosts send (its bytes did not survive a JSON boundary).
    Structured(Transferable),
}

impl DownloadedFile {
    /// The bytes as standard padded base64, as matrix-sdk hosts send them.
    pub fn base64(bytes: &[u8]) -> Self {
        DownloadedFile::JsonString(Transferable::string(&encode_base64(bytes)))
    }

    /// The value's JSON text, as it arrived.
    pub fn get(&self) -> &str {
        self.as_transferable().get()
    }

    /// The value as a [`Transferable`].
    pub fn as_transferable(&self) -> &Transferable {
        match self {
            DownloadedFile::JsonString(t) | DownloadedFile::Structured(t) => t,
        }
    }

    /// The string's text, for a string.
    pub fn as_text(&self) -> Option<String> {
        match self {
            DownloadedFile::JsonString(t) => t.as_string(),
            DownloadedFile::Structured(_) => None,
        }
    }

    /// The file's bytes, for a string that is valid base64 (standard alphabet, padding
    /// optional); `None` otherwise.
    pub fn decode_base64(&self) -> Option<Vec<u8>> {
        decode_base64(&self.as_text()?)
    }
}

impl From<Transferable> for DownloadedFile {
    fn from(value: Transferable) -> Self {
        if value.get().starts_with('"') { DownloadedFile::JsonString(value) } else { DownloadedFile::Structured(value) }
    }
}

impl Serialize for DownloadedFile {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.as_transferable().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for DownloadedFile {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Transferable::deserialize(deserializer).map(DownloadedFile::from)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for DownloadedFile {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "DownloadedFile".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "The downloaded file: a string (matrix-sdk >= 0.17 hosts: the bytes in base64), or a structured-clone value as JSON sees it ({} for the Blob matrix-widget-api hosts send). Any JSON value but null.",
            "oneOf": [
                { "type": "string" },
                { "type": "object" },
                { "type": "array" },
                { "type": "number" },
                { "type": "boolean" },
            ],
        })
    }
}

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding.
fn encode_base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk.first().copied().unwrap_or(0), chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for (i, shift) in [18u32, 12, 6, 0].into_iter().enumerate() {
            let symbol = BASE64.get(((n >> shift) & 63) as usize).copied().unwrap_or(b'=');
            out.push(if i <= chunk.len() { char::from(symbol) } else { '=' });
        }
    }
    out
}

/// Standard base64, padding optional; `None` for any other character or a dangling symbol.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let body = text.trim_end_matches('=');
    if text.len() - body.len() > 2 || (text.len() != body.len() && !text.len().is_multiple_of(4)) {
        return None;
    }
    let mut out = Vec::with_capacity(body.len() / 4 * 3 + 2);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in body.bytes() {
        let value = BASE64.iter().position(|&s| s == c)?;
        acc = (acc << 6) | u32::try_from(value).ok()?;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((acc >> bits) & 0xff).ok()?);
        }
    }
    // A lone symbol carries fewer than 8 bits: not valid base64.
    if body.len() % 4 == 1 {
        return None;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips() {
        for bytes in [&b""[..], b"f", b"fo", b"foo", b"foob", b"fooba", b"foobar", &[0, 255, 128, 7]] {
            let text = encode_base64(bytes);
            assert_eq!(decode_base64(&text).as_deref(), Some(bytes), "{text}");
            assert_eq!(decode_base64(text.trim_end_matches('=')).as_deref(), Some(bytes), "{text} unpadded");
        }
        assert_eq!(encode_base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(encode_base64(b"fo"), "Zm8=");
        for bad in ["file contents", "Zm9v!", "Z", "Zm8===", "Zm8=Zm8="] {
            assert_eq!(decode_base64(bad), None, "{bad}");
        }
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
