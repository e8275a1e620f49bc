//! `openid_credentials` (toWidget) — MSC1960: the host's final answer to a pending OpenID request.
//!
//! Sent after a fromWidget [`get_openid`](crate::from_widget::get_openid) that the host
//! answered with `state: "request"`, once the user decided: `state` is `allowed` (with the
//! token's fields) or `blocked`, and `original_request_id` is the `requestId` of that
//! `get_openid`. The response is `{}`.
//!
//! Refused: a `state` other than `allowed` and `blocked` (matrix-widget-api 1.19's widget
//! answers it with the error "Invalid state"), and an empty `original_request_id` (no request
//! has an empty ID, so it could only be ignored, as the reference does with an ID it does not
//! know, leaving the host waiting for a reply). The token fields are optional on input, as in
//! the reference; the [`OpenIdCredentialsRequestData::allowed`] builder sets all four. See
//! [`crate::openid`] for the shared types.
//!
//! ```
//! use matrix_widget_api::openid::{ExpiresIn, OpenIdDecision, OpenIdToken};
//! use matrix_widget_api::to_widget::openid_credentials::{OpenIdCredentials, OpenIdCredentialsRequestData};
//! use matrix_widget_api::{Request, ToWidgetRequest, WidgetMessage, decode_widget};
//!
//! // The host sends the token once the user allowed it:
//! let token = OpenIdToken::new("s3cr3t", "example.org", ExpiresIn::from_secs(3600).expect("in range"));
//! let request = Request::<OpenIdCredentials>::new("w1", "host-7", OpenIdCredentialsRequestData::allowed("widgetapi-1700000000000", token))?;
//! let text = serde_json::to_string(&request).expect("serialises");
//! // The widget matches it to its pending `get_openid`:
//! let WidgetMessage::Request(ToWidgetRequest::OpenIdCredentials(decoded)) = decode_widget(&text)? else { unreachable!() };
//! assert_eq!(decoded.data().state, OpenIdDecision::Allowed);
//! assert_eq!(decoded.data().original_request_id, "widgetapi-1700000000000");
//! assert_eq!(decoded.data().access_token.as_deref(), Some("s3cr3t"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::openid::{ExpiresIn, OpenIdDecision, OpenIdToken, TokenType};
use crate::payload::{Empty, Extra, Payload};

/// The `openid_credentials` action from host to widget.
#[derive(Debug)]
pub enum OpenIdCredentials {}

impl Action for OpenIdCredentials {
    const API: Api = Api::ToWidget;
    const NAME: ActionName = ActionName::OpenIdCredentials;
    type RequestData = OpenIdCredentialsRequestData;
    type ResponseData = Empty;
}

/// The request `data`: the user's decision on a pending `get_openid` and, when allowed, the
/// token.
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[wire(check = "OpenIdCredentialsRequestData::check", extend_schema = "OpenIdCredentialsRequestData::extend_schema")]
#[non_exhaustive]
pub struct OpenIdCredentialsRequestData {
    /// `allowed` or `blocked`.
    pub state: OpenIdDecision,
    /// The `requestId` of the `get_openid` request this answers. Must not be empty.
    pub original_request_id: String,
    /// The token, when allowed.
    pub access_token: Option<String>,
    /// How long the token is valid, in seconds.
    pub expires_in: Option<ExpiresIn>,
    /// The homeserver to verify the token with.
    pub matrix_server_name: Option<String>,
    /// The token's kind, `Bearer`.
    pub token_type: Option<TokenType>,
    /// Fields the protocol does not define, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl OpenIdCredentialsRequestData {
    /// Allowed: `token`, answering the `get_openid` request `original_request_id`.
    pub fn allowed(original_request_id: impl Into<String>, token: OpenIdToken) -> Self {
        OpenIdCredentialsRequestData {
            state: OpenIdDecision::Allowed,
            original_request_id: original_request_id.into(),
            access_token: Some(token.access_token),
            expires_in: Some(token.expires_in),
            matrix_server_name: Some(token.matrix_server_name),
            token_type: Some(token.token_type),
            extra: Extra::new(),
        }
    }

    /// Refused, answering the `get_openid` request `original_request_id`.
    pub fn blocked(original_request_id: impl Into<String>) -> Self {
        OpenIdCredentialsRequestData {
            state: OpenIdDecision::Blocked,
            original_request_id: original_request_id.into(),
            access_token: None,
            expires_in: None,
            matrix_server_name: None,
            token_type: None,
            extra: Extra::new(),
        }
    }

    /// The rule beyond field types: a non-empty `original_request_id`.
    fn check(&self) -> Result<(), String> {
        if self.original_request_id.is_empty() { Err("`original_request_id` must not be empty".to_owned()) } else { Ok(()) }
    }

    /// [`OpenIdCredentialsRequestData::check`] in the schema.
    #[cfg(feature = "schema")]
    fn extend_schema(mut schema: schemars::Schema) -> schemars::Schema {
        if let Some(id) = schema.get_mut("properties").and_then(|p| p.get_mut("original_request_id")).and_then(|t| t.as_object_mut()) {
            id.insert("minLength".into(), 1.into());
        }
        schema
    }
}
