//! `supported_api_versions` (toWidget) — spec draft #2764: the host asks which API versions the widget supports.
//!
//! Not typed yet: `data` and `response` are raw objects.

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::payload::RawObject;

/// The `supported_api_versions` action marker.
#[derive(Debug)]
pub enum SupportedApiVersions {}

impl Action for SupportedApiVersions {
    const API: Api = Api::ToWidget;
    const NAME: ActionName = ActionName::SupportedApiVersions;
    type Request = RawObject;
    type Response = RawObject;
}
