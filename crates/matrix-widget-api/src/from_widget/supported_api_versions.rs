//! `supported_api_versions` (fromWidget) — spec draft #2764: the widget asks which API versions the host supports.
//!
//! Not typed yet: `data` and `response` are raw objects.

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::payload::RawObject;

/// The `supported_api_versions` action marker.
#[derive(Debug)]
pub enum SupportedApiVersions {}

impl Action for SupportedApiVersions {
    const API: Api = Api::FromWidget;
    const NAME: ActionName = ActionName::SupportedApiVersions;
    type Request = RawObject;
    type Response = RawObject;
}
