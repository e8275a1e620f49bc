//! OpenID (MSC1960): the states of a token request and the token itself, shared by
//! fromWidget [`get_openid`](crate::from_widget::get_openid) (the first answer) and toWidget
//! [`openid_credentials`](crate::to_widget::openid_credentials) (the final answer, when the
//! first one was [`OpenIdState::Pending`]).
//!
//! The token fields are those of the client-server API's `POST
//! /user/{userId}/openid/request_token` response (`access_token`, `token_type`,
//! `matrix_server_name`, `expires_in`), copied flat into the payload. On input each of them
//! is optional, as in matrix-widget-api 1.19's `IOpenIDCredentials`; the builders take an
//! [`OpenIdToken`], which has all four, so what a host builds is complete. `expires_in` is a
//! checked [`ExpiresIn`]: negatives, fractions and strings are refused with the value named.

use crate::naming::{CustomName, WireName, wire_docs};
use crate::payload::BoundedInt;
use crate::payload::MAX_SAFE_INTEGER;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The state of an OpenID token request, as the host first answers it: `allowed` (the token
/// is in the same response), `blocked` (refused), or `request` (the user is being asked; the
/// final answer follows as a toWidget `openid_credentials` request).
#[wire_docs]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, WireName)]
#[wire(what = "OpenID state")]
pub enum OpenIdState {
    /// Granted: the token is in the response.
    #[wire("allowed")]
    Allowed,
    /// Refused.
    #[wire("blocked")]
    Blocked,
    /// Waiting for the user; the answer follows as `openid_credentials`. matrix-widget-api
    /// 1.19 calls it `PendingUserConfirmation`.
    #[wire("request")]
    Pending,
}

/// The final answer to an OpenID token request that was pending: `allowed` (the token is in
/// the same request) or `blocked`. Anything else is refused, as matrix-widget-api 1.19's
/// widget answers it with the error "Invalid state".
#[wire_docs]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, WireName)]
#[wire(what = "OpenID decision")]
pub enum OpenIdDecision {
    /// Granted: the token is in the request.
    #[wire("allowed")]
    Allowed,
    /// Refused.
    #[wire("blocked")]
    Blocked,
}

impl From<OpenIdDecision> for OpenIdState {
    fn from(decision: OpenIdDecision) -> Self {
        match decision {
            OpenIdDecision::Allowed => OpenIdState::Allowed,
            OpenIdDecision::Blocked => OpenIdState::Blocked,
        }
    }
}

/// The kind of an OpenID access token: `Bearer` (the only one defined), or any other string,
/// kept verbatim.
#[wire_docs]
#[derive(Clone, Debug, PartialEq, Eq, Hash, WireName)]
#[wire(what = "token type")]
#[non_exhaustive]
pub enum TokenType {
    /// A bearer token.
    #[wire("Bearer")]
    Bearer,
    /// Any other token type, kept verbatim.
    #[wire(other)]
    #[doc(hidden)]
    _Custom(CustomName),
}

/// How long an OpenID token is valid, in seconds: an integer from 0 to 2^53 − 1. Negatives,
/// fractions and strings are refused with an error naming the value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ExpiresIn(u64);

impl ExpiresIn {
    /// `Some` if `secs` is at most 2^53 − 1.
    pub const fn from_secs(secs: u64) -> Option<Self> {
        if secs <= MAX_SAFE_INTEGER { Some(ExpiresIn(secs)) } else { None }
    }

    /// The lifetime in seconds.
    pub const fn as_secs(self) -> u64 {
        self.0
    }

    /// The lifetime as a [`Duration`](std::time::Duration).
    pub const fn as_duration(self) -> std::time::Duration {
        std::time::Duration::from_secs(self.0)
    }
}

impl Serialize for ExpiresIn {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(self.0)
    }
}

impl<'de> Deserialize<'de> for ExpiresIn {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_u64(BoundedInt::plain("number of seconds", 0, MAX_SAFE_INTEGER)).map(ExpiresIn)
    }
}

/// A complete OpenID token, as the homeserver issued it: what a host passes to the builders
/// of [`GetOpenIdResponseData`](crate::from_widget::get_openid::GetOpenIdResponseData) and
/// [`OpenIdCredentialsRequestData`](crate::to_widget::openid_credentials::OpenIdCredentialsRequestData).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct OpenIdToken {
    /// The token a third party verifies with the homeserver's federation API.
    pub access_token: String,
    /// Its kind, `Bearer`.
    pub token_type: TokenType,
    /// The homeserver to verify it with.
    pub matrix_server_name: String,
    /// How long it is valid.
    pub expires_in: ExpiresIn,
}

impl OpenIdToken {
    /// A `Bearer` token.
    pub fn new(access_token: impl Into<String>, matrix_server_name: impl Into<String>, expires_in: ExpiresIn) -> Self {
        OpenIdToken {
            access_token: access_token.into(),
            token_type: TokenType::Bearer,
            matrix_server_name: matrix_server_name.into(),
            expires_in,
        }
    }

    /// The same token with another type.
    pub fn with_token_type(self, token_type: TokenType) -> Self {
        OpenIdToken { token_type, ..self }
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for ExpiresIn {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ExpiresIn".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "How long an OpenID token is valid, in seconds: an integer from 0 to 2^53 - 1.",
            "type": "integer",
            "minimum": 0,
            "maximum": MAX_SAFE_INTEGER,
        })
    }
}
