//! `upload_file` (fromWidget) — MSC4039.
//!
//! Not typed yet: `data` and `response` are raw objects.

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::payload::RawObject;

/// The `upload_file` action marker.
#[derive(Debug)]
pub enum UploadFile {}

impl Action for UploadFile {
    const API: Api = Api::FromWidget;
    const NAME: ActionName = ActionName::UploadFile;
    type Request = RawObject;
    type Response = RawObject;
}
