//! `get_media_config` (fromWidget) — MSC4039.
//!
//! Not typed yet: `data` and `response` are raw objects.

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::payload::RawObject;

/// The `get_media_config` action marker.
#[derive(Debug)]
pub enum GetMediaConfig {}

impl Action for GetMediaConfig {
    const API: Api = Api::FromWidget;
    const NAME: ActionName = ActionName::GetMediaConfig;
    type Request = RawObject;
    type Response = RawObject;
}
