//! The untyped action markers, one per direction: any action without typed payloads.

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::naming::CustomName;
use crate::payload::RawObject;

/// The untyped action of a direction: any action without typed payloads (vendor actions,
/// and actions not yet typed). Its `data` and `response` are kept raw. Build requests with
/// [`Request::from_parts`](crate::Request::from_parts): its `NAME` is a placeholder and the envelope carries the name.
#[derive(Debug)]
pub enum UntypedFromWidget {}

impl Action for UntypedFromWidget {
    const API: Api = Api::FromWidget;
    const NAME: ActionName = ActionName::_Custom(CustomName::EMPTY);
    type RequestData = RawObject;
    type ResponseData = RawObject;
}

/// The untyped toWidget action; see [`UntypedFromWidget`].
#[derive(Debug)]
pub enum UntypedToWidget {}

impl Action for UntypedToWidget {
    const API: Api = Api::ToWidget;
    const NAME: ActionName = ActionName::_Custom(CustomName::EMPTY);
    type RequestData = RawObject;
    type ResponseData = RawObject;
}
