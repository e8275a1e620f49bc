//! `language_change` (toWidget) — MSC2873.
//!
//! Not typed yet: `data` and `response` are raw objects.

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::payload::RawObject;

/// The `language_change` action marker.
#[derive(Debug)]
pub enum LanguageChange {}

impl Action for LanguageChange {
    const API: Api = Api::ToWidget;
    const NAME: ActionName = ActionName::LanguageChange;
    type Request = RawObject;
    type Response = RawObject;
}
