//! Error responses: `response: {error: {message, matrix_api_error?}}`.
//!
//! Emitted with every field filled ([wire decision 17](crate::wire_decisions): `http_headers` `{}` and `url` `""` when
//! unknown); accepted with `http_headers` and `url` optional (matrix-rust-sdk omits them)
//! and unknown fields kept. Never key logic on `message`: its text changed across
//! widget-api releases.

use crate::payload::{BoundedInt, Extra, Payload, RawObject};
use std::collections::BTreeMap;

/// The `response` of a failed request.
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct ErrorResponseData {
    /// What went wrong.
    pub error: WidgetError,
    /// Fields the protocol does not define, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl ErrorResponseData {
    /// An error with only a message.
    pub fn new(message: impl Into<String>) -> Self {
        ErrorResponseData { error: WidgetError::new(message), extra: Extra::new() }
    }
}

impl From<&str> for ErrorResponseData {
    fn from(message: &str) -> Self {
        ErrorResponseData::new(message)
    }
}

impl From<String> for ErrorResponseData {
    fn from(message: String) -> Self {
        ErrorResponseData::new(message)
    }
}

impl From<WidgetError> for ErrorResponseData {
    fn from(error: WidgetError) -> Self {
        ErrorResponseData { error, extra: Extra::new() }
    }
}

/// `response.error`.
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct WidgetError {
    /// A human-readable message.
    pub message: String,
    /// The failed client-server API call behind the error, if any (widget-api ≥ 1.10).
    pub matrix_api_error: Option<MatrixApiError>,
    /// Other fields (a host driver's `processError` output is spread in here).
    #[wire(extra)]
    pub extra: Extra,
}

impl WidgetError {
    /// An error with only a message.
    pub fn new(message: impl Into<String>) -> Self {
        WidgetError { message: message.into(), matrix_api_error: None, extra: Extra::new() }
    }

    /// The same error, caused by a failed homeserver request.
    pub fn with_matrix_api_error(self, error: MatrixApiError) -> Self {
        WidgetError { matrix_api_error: Some(error), ..self }
    }
}

/// A failed client-server API request, forwarded to the widget.
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct MatrixApiError {
    /// The HTTP status.
    pub http_status: HttpStatus,
    /// The response headers, kept verbatim (optional on input; emitted as `{}` when
    /// unknown).
    pub http_headers: Option<RawObject>,
    /// The request URL (optional on input; emitted as `""` when unknown).
    pub url: Option<String>,
    /// The standard Matrix error body, forwarded verbatim.
    pub response: MatrixErrorBody,
    /// Fields the protocol does not define, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl MatrixApiError {
    /// An error with every field set, as wire decision 17 says to emit it.
    pub fn new(http_status: u16, headers: &BTreeMap<String, String>, url: impl Into<String>, response: MatrixErrorBody) -> Self {
        let headers = RawObject::from_serialize(headers).unwrap_or_default();
        MatrixApiError {
            http_status: HttpStatus(http_status),
            http_headers: Some(headers),
            url: Some(url.into()),
            response,
            extra: Extra::new(),
        }
    }
}

/// An HTTP status code as forwarded in `matrix_api_error` (any integer from 0 to 65535;
/// integral floats such as `404.0` are read as integers, as JSON Schema does).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HttpStatus(u16);

impl HttpStatus {
    /// The status code.
    pub const fn as_u16(self) -> u16 {
        self.0
    }
}

impl From<u16> for HttpStatus {
    fn from(status: u16) -> Self {
        HttpStatus(status)
    }
}

impl serde::Serialize for HttpStatus {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u16(self.0)
    }
}

impl<'de> serde::Deserialize<'de> for HttpStatus {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let status = deserializer.deserialize_u64(BoundedInt::plain("HTTP status", 0, u64::from(u16::MAX)))?;
        Ok(HttpStatus(u16::try_from(status).unwrap_or(u16::MAX)))
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for HttpStatus {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "HttpStatus".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "integer", "minimum": 0, "maximum": 65535 })
    }
}

/// A Matrix error body, forwarded verbatim: `errcode` is typed; `error` and every other
/// field (e.g. `org.matrix.msc4140.max_delay`, `retry_after_ms`) stay in `extra` exactly as
/// they came, `null`s included.
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct MatrixErrorBody {
    /// The error code, e.g. `M_FORBIDDEN`.
    pub errcode: String,
    /// Every other field of the body, `error` among them.
    #[wire(extra)]
    pub extra: Extra,
}

impl MatrixErrorBody {
    /// A body with a code and a message.
    pub fn new(errcode: impl Into<String>, error: impl Into<String>) -> Self {
        let mut extra = Extra::new();
        // A string always serialises.
        let _ = extra.insert("error", &error.into());
        MatrixErrorBody { errcode: errcode.into(), extra }
    }

    /// The human-readable `error`, when it is a string.
    pub fn error(&self) -> Option<String> {
        self.extra.get("error").and_then(|raw| serde_json::from_str(raw.get()).ok())
    }
}
