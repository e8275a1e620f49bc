//! `content_loaded` (fromWidget) — spec draft #2764: the widget says it has loaded.
//!
//! Not typed yet: `data` and `response` are raw objects.

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::payload::RawObject;

/// The `content_loaded` action marker.
#[derive(Debug)]
pub enum ContentLoaded {}

impl Action for ContentLoaded {
    const API: Api = Api::FromWidget;
    const NAME: ActionName = ActionName::ContentLoaded;
    type Request = RawObject;
    type Response = RawObject;
}
