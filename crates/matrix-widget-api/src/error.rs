//! Error responses (catalogue §1.3): `response: {error: {message, matrix_api_error?}}`.
//!
//! Emitted with every field filled (§7.17: `http_headers` `{}` and `url` `""` when
//! unknown); accepted with `http_headers` and `url` optional (matrix-rust-sdk omits them)
//! and unknown fields kept. Never key logic on `message`: its text changed across
//! widget-api releases.

use crate::payload::{Extra, Payload};
use std::collections::BTreeMap;

/// The `response` of a failed request.
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct ErrorResponse {
    /// What went wrong.
    pub error: WidgetError,
    /// Fields the protocol does not define, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl ErrorResponse {
    /// An error with only a message.
    pub fn new(message: impl Into<String>) -> Self {
        ErrorResponse { error: WidgetError::new(message), extra: Extra::new() }
    }
}

impl From<WidgetError> for ErrorResponse {
    fn from(error: WidgetError) -> Self {
        ErrorResponse { error, extra: Extra::new() }
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
    pub http_status: u16,
    /// The response headers (optional on input; emitted as `{}` when unknown).
    pub http_headers: Option<BTreeMap<String, String>>,
    /// The request URL (optional on input; emitted as `""` when unknown).
    pub url: Option<String>,
    /// The standard Matrix error body, forwarded verbatim.
    pub response: MatrixErrorBody,
    /// Fields the protocol does not define, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl MatrixApiError {
    /// An error with every field set, as §7.17 says to emit it.
    pub fn new(http_status: u16, headers: BTreeMap<String, String>, url: impl Into<String>, response: MatrixErrorBody) -> Self {
        MatrixApiError { http_status, http_headers: Some(headers), url: Some(url.into()), response, extra: Extra::new() }
    }
}

/// A Matrix error body: `{errcode, error, …}`. Everything beyond the two standard fields
/// (e.g. `org.matrix.msc4140.max_delay`, `retry_after_ms`) stays in `extra`, verbatim.
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct MatrixErrorBody {
    /// The error code, e.g. `M_FORBIDDEN`.
    pub errcode: String,
    /// The human-readable error.
    pub error: Option<String>,
    /// Every other field of the body.
    #[wire(extra)]
    pub extra: Extra,
}

impl MatrixErrorBody {
    /// A body with a code and a message.
    pub fn new(errcode: impl Into<String>, error: impl Into<String>) -> Self {
        MatrixErrorBody { errcode: errcode.into(), error: Some(error.into()), extra: Extra::new() }
    }
}
