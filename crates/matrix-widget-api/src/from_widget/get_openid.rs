//! `get_openid` (fromWidget) — MSC1960: the widget asks for an OpenID token.
//!
//! Not typed yet: `data` and `response` are raw objects.

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::payload::RawObject;

/// The `get_openid` action marker.
#[derive(Debug)]
pub enum GetOpenId {}

impl Action for GetOpenId {
    const API: Api = Api::FromWidget;
    const NAME: ActionName = ActionName::GetOpenId;
    type Request = RawObject;
    type Response = RawObject;
}
