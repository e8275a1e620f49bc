//! `user_directory_search` (fromWidget) — MSC3973.
//!
//! Not typed yet: `data` and `response` are raw objects.

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::payload::RawObject;

/// The `user_directory_search` action marker.
#[derive(Debug)]
pub enum UserDirectorySearch {}

impl Action for UserDirectorySearch {
    const API: Api = Api::FromWidget;
    const NAME: ActionName = ActionName::UserDirectorySearch;
    type Request = RawObject;
    type Response = RawObject;
}
