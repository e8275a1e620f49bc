//! `get_openid` (fromWidget) — MSC1960: the widget asks for an OpenID token.
//!
//! The request has no data and needs no capability. The host answers with a `state`: with
//! `allowed` the token's fields are in the response; with `blocked` there are none; with
//! `request` the user is being asked, and the final answer arrives later as a toWidget
//! [`openid_credentials`](crate::to_widget::openid_credentials) request naming this request's
//! ID. Any other state is refused, as matrix-widget-api 1.19's widget rejects it ("Invalid
//! state"). The token fields are optional on input, as in the reference (its widget takes
//! an `allowed` answer without a token as it comes); the [`GetOpenIdResponseData::allowed`]
//! builder always sets all four. See [`crate::openid`] for the shared types.
//!
//! ```
//! use matrix_widget_api::from_widget::get_openid::GetOpenIdResponseData;
//! use matrix_widget_api::openid::{ExpiresIn, OpenIdToken};
//! use matrix_widget_api::{FromWidgetRequest, HostMessage, decode_host};
//!
//! let text = r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"get_openid","data":{}}"#;
//! let HostMessage::Request(FromWidgetRequest::GetOpenId(request)) = decode_host(text)? else { unreachable!() };
//! let token = OpenIdToken::new("s3cr3t", "example.org", ExpiresIn::from_secs(3600).expect("in range"));
//! let reply = request.reply(&GetOpenIdResponseData::allowed(token));
//! assert!(reply.ends_with(
//!     r#","response":{"state":"allowed","access_token":"s3cr3t","expires_in":3600,"matrix_server_name":"example.org","token_type":"Bearer"}}"#
//! ));
//! # Ok::<(), matrix_widget_api::DecodeError>(())
//! ```

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::openid::{ExpiresIn, OpenIdState, OpenIdToken, TokenType};
use crate::payload::{Empty, Extra, Payload};

/// The `get_openid` action from widget to host.
#[derive(Debug)]
pub enum GetOpenId {}

impl Action for GetOpenId {
    const API: Api = Api::FromWidget;
    const NAME: ActionName = ActionName::GetOpenId;
    type RequestData = Empty;
    type ResponseData = GetOpenIdResponseData;
}

/// The success `response`: the state of the request and, when allowed, the token.
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct GetOpenIdResponseData {
    /// `allowed`, `blocked`, or `request` (the answer follows as `openid_credentials`).
    pub state: OpenIdState,
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

impl GetOpenIdResponseData {
    /// Allowed, with `token`.
    pub fn allowed(token: OpenIdToken) -> Self {
        GetOpenIdResponseData {
            state: OpenIdState::Allowed,
            access_token: Some(token.access_token),
            expires_in: Some(token.expires_in),
            matrix_server_name: Some(token.matrix_server_name),
            token_type: Some(token.token_type),
            extra: Extra::new(),
        }
    }

    /// Refused.
    pub fn blocked() -> Self {
        Self::without_token(OpenIdState::Blocked)
    }

    /// The user is being asked; the answer follows as `openid_credentials`.
    pub fn pending() -> Self {
        Self::without_token(OpenIdState::Pending)
    }

    fn without_token(state: OpenIdState) -> Self {
        GetOpenIdResponseData {
            state,
            access_token: None,
            expires_in: None,
            matrix_server_name: None,
            token_type: None,
            extra: Extra::new(),
        }
    }
}
