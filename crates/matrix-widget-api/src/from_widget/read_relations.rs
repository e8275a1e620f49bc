//! `read_relations` (fromWidget) — MSC3869: the widget reads an event's relations.
//!
//! Not typed yet: `data` and `response` are raw objects.

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::payload::RawObject;

/// The `read_relations` action marker.
#[derive(Debug)]
pub enum ReadRelations {}

impl Action for ReadRelations {
    const API: Api = Api::FromWidget;
    const NAME: ActionName = ActionName::ReadRelations;
    type Request = RawObject;
    type Response = RawObject;
}
