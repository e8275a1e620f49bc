//! `openid_credentials` (toWidget) — MSC1960.
//!
//! Not typed yet: `data` and `response` are raw objects.

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::payload::RawObject;

/// The `openid_credentials` action marker.
#[derive(Debug)]
pub enum OpenIdCredentials {}

impl Action for OpenIdCredentials {
    const API: Api = Api::ToWidget;
    const NAME: ActionName = ActionName::OpenIdCredentials;
    type Request = RawObject;
    type Response = RawObject;
}
