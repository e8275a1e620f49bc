//! `org.matrix.msc4533.rtc_livekit_get_token` (fromWidget) — MSC4533: a LiveKit SFU token.
//!
//! **Unstable.** `{server_name, url, room_id, slot_id, member}` → `{jwt}`. The host calls
//! `POST /_matrix/client/v1/rtc/livekit/get_token` with `data` as the body, verbatim, and
//! answers with the response body, verbatim. The action has no stable name yet; the
//! capability is the same string. matrix-widget-api ≥ 1.19 sends it only to a host
//! advertising the `org.matrix.msc4533` API version.
//!
//! The fields follow MSC4533's text and what matrix-widget-api 1.19 sends, which agree:
//! every field above is a required string, `member` an object `{id, claimed_device_id?}`
//! ([`RtcLivekitMember`]); the response is `{jwt}`. MSC4195's text, whose endpoint the host
//! calls with `data` verbatim, disagrees: its body has a string `member_id` instead of
//! `member` and makes `server_name` optional, and the open matrix-widget-api PR #169 and
//! some clients already send `member_id`. Fields beyond the typed ones pass through in
//! `extra` in both directions (a `member_id` included), so a host forwarding the body loses
//! nothing; a request with `member_id` but no `member` is refused ("`member` is missing")
//! until MSC4533 follows MSC4195 (wire decision 42). Wire decision 27 asks for these types
//! to sit behind a feature flag; they do not, because a cargo feature would change what
//! decodes depending on feature unification — they are marked unstable here instead.
//!
//! ```
//! use matrix_widget_api::from_widget::rtc_livekit_get_token::{RtcLivekitGetToken, RtcLivekitGetTokenRequestData, RtcLivekitMember};
//! use matrix_widget_api::Request;
//!
//! let data = RtcLivekitGetTokenRequestData::new(
//!     "example.org", "https://sfu.example.org", "!room:example.org", "m.call#",
//!     RtcLivekitMember::new("@alice:example.org:DEVICE").with_claimed_device_id("DEVICE"),
//! );
//! let request = Request::<RtcLivekitGetToken>::new("w1", "r1", data)?;
//! assert!(serde_json::to_string(&request).unwrap().contains(r#""action":"org.matrix.msc4533.rtc_livekit_get_token""#));
//! # Ok::<(), matrix_widget_api::BuildError>(())
//! ```

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::payload::{Extra, Payload};

/// The `org.matrix.msc4533.rtc_livekit_get_token` action from widget to host (unstable).
#[derive(Debug)]
pub enum RtcLivekitGetToken {}

impl Action for RtcLivekitGetToken {
    const API: Api = Api::FromWidget;
    const NAME: ActionName = ActionName::RtcLivekitGetToken;
    type RequestData = RtcLivekitGetTokenRequestData;
    type ResponseData = RtcLivekitGetTokenResponseData;
}

/// The request `data`, forwarded verbatim as the body of the homeserver's get_token endpoint (MSC4533, unstable: the fields are changing).
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct RtcLivekitGetTokenRequestData {
    /// The name of the homeserver hosting the MatrixRTC session.
    pub server_name: String,
    /// The URL of the LiveKit SFU to obtain a token for.
    pub url: String,
    /// The room the MatrixRTC session belongs to.
    pub room_id: String,
    /// The MatrixRTC session (slot) to join.
    pub slot_id: String,
    /// The MatrixRTC member the token is for (matrix-widget-api 1.19's shape; an open PR replaces it with a string member_id).
    pub member: RtcLivekitMember,
    /// Fields the protocol does not define, kept and forwarded.
    #[wire(extra)]
    pub extra: Extra,
}

impl RtcLivekitGetTokenRequestData {
    /// A token for `member` in slot `slot_id` of `room_id`, from the SFU at `url`, asked of `server_name`.
    pub fn new(
        server_name: impl Into<String>,
        url: impl Into<String>,
        room_id: impl Into<String>,
        slot_id: impl Into<String>,
        member: RtcLivekitMember,
    ) -> Self {
        RtcLivekitGetTokenRequestData {
            server_name: server_name.into(),
            url: url.into(),
            room_id: room_id.into(),
            slot_id: slot_id.into(),
            member,
            extra: Extra::new(),
        }
    }
}

/// The MatrixRTC member a LiveKit request is made for (MSC4195).
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct RtcLivekitMember {
    /// The member's identifier within the MatrixRTC session.
    pub id: String,
    /// The device ID the member claims to be using.
    pub claimed_device_id: Option<String>,
    /// Fields the protocol does not define, kept and forwarded.
    #[wire(extra)]
    pub extra: Extra,
}

impl RtcLivekitMember {
    /// The member `id`.
    pub fn new(id: impl Into<String>) -> Self {
        RtcLivekitMember { id: id.into(), claimed_device_id: None, extra: Extra::new() }
    }

    /// The same member, claiming to use `device_id`.
    pub fn with_claimed_device_id(self, device_id: impl Into<String>) -> Self {
        RtcLivekitMember { claimed_device_id: Some(device_id.into()), ..self }
    }
}

/// The success response: the homeserver's get_token response body, verbatim.
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct RtcLivekitGetTokenResponseData {
    /// The JWT to authenticate against the SFU with.
    pub jwt: String,
    /// The other fields of the homeserver's response, kept.
    #[wire(extra)]
    pub extra: Extra,
}

impl RtcLivekitGetTokenResponseData {
    /// The token `jwt`.
    pub fn new(jwt: impl Into<String>) -> Self {
        RtcLivekitGetTokenResponseData { jwt: jwt.into(), extra: Extra::new() }
    }
}
