//! `user_directory_search` (fromWidget) — MSC3973: the widget searches the user directory.
//!
//! The host runs the server's user directory search for `search_term` and answers with the
//! users found and whether the results were `limited`. Needs the
//! `org.matrix.msc3973.user_directory_search` capability.
//!
//! Emitted as `org.matrix.msc3973.user_directory_search`; the stable
//! `user_directory_search` is accepted too.
//!
//! Rejected, like the reference host does: a missing or non-string `search_term` (an empty
//! one is allowed), and a negative `limit`; `limit: 0` is accepted, as the reference
//! accepts it. Rejected on top: a fractional `limit` (wire decision 40).
//!
//! ```
//! use matrix_widget_api::from_widget::user_directory_search::{UserDirectorySearchResponseData, UserDirectoryUser};
//! use matrix_widget_api::{FromWidgetRequest, HostMessage, decode_host};
//!
//! let text = r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"org.matrix.msc3973.user_directory_search","data":{"search_term":"al","limit":10}}"#;
//! let HostMessage::Request(FromWidgetRequest::UserDirectorySearch(request)) = decode_host(text)? else { unreachable!() };
//! assert_eq!(request.data().search_term, "al");
//!
//! let alice = UserDirectoryUser::new("@alice:b").with_display_name("Alice");
//! let reply = request.reply(&UserDirectorySearchResponseData::new(false, vec![alice]));
//! assert!(reply.ends_with(r#","response":{"limited":false,"results":[{"user_id":"@alice:b","display_name":"Alice"}]}}"#));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::from_widget::read_relations::ResultLimit;
use crate::payload::{Extra, Payload};

/// The `user_directory_search` action from widget to host.
#[derive(Debug)]
pub enum UserDirectorySearch {}

impl Action for UserDirectorySearch {
    const API: Api = Api::FromWidget;
    const NAME: ActionName = ActionName::UserDirectorySearch;
    type RequestData = UserDirectorySearchRequestData;
    type ResponseData = UserDirectorySearchResponseData;
}

/// The request `data`: search the user directory.
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct UserDirectorySearchRequestData {
    /// What to search for (may be empty).
    pub search_term: String,
    /// At most this many results: an integer from 0 (passed to the server as is). Absent: the server's default.
    pub limit: Option<ResultLimit>,
    /// Fields the protocol does not define, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl UserDirectorySearchRequestData {
    /// Search for `search_term`.
    pub fn new(search_term: impl Into<String>) -> Self {
        UserDirectorySearchRequestData { search_term: search_term.into(), limit: None, extra: Extra::new() }
    }

    /// At most `limit` results.
    pub fn with_limit(self, limit: ResultLimit) -> Self {
        UserDirectorySearchRequestData { limit: Some(limit), ..self }
    }
}

/// The success `response`: the users found.
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct UserDirectorySearchResponseData {
    /// Whether the server cut the results short.
    pub limited: bool,
    /// The users found.
    pub results: Vec<UserDirectoryUser>,
    /// Fields the protocol does not define, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl UserDirectorySearchResponseData {
    /// Answers with `results`; `limited` if the server cut them short.
    pub fn new(limited: bool, results: Vec<UserDirectoryUser>) -> Self {
        UserDirectorySearchResponseData { limited, results, extra: Extra::new() }
    }
}

/// One user found.
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct UserDirectoryUser {
    /// The user's ID.
    pub user_id: String,
    /// The user's display name, if they have one.
    pub display_name: Option<String>,
    /// The user's avatar (an mxc URI), if they have one.
    pub avatar_url: Option<String>,
    /// Fields the protocol does not define, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl UserDirectoryUser {
    /// The user `user_id`.
    pub fn new(user_id: impl Into<String>) -> Self {
        UserDirectoryUser { user_id: user_id.into(), display_name: None, avatar_url: None, extra: Extra::new() }
    }

    /// With a display name.
    pub fn with_display_name(self, display_name: impl Into<String>) -> Self {
        UserDirectoryUser { display_name: Some(display_name.into()), ..self }
    }

    /// With an avatar (an mxc URI).
    pub fn with_avatar_url(self, avatar_url: impl Into<String>) -> Self {
        UserDirectoryUser { avatar_url: Some(avatar_url.into()), ..self }
    }
}
