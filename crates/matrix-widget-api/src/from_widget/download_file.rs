//! `download_file` (fromWidget) — MSC4039.
//!
//! Not typed yet: `data` and `response` are raw objects.

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::payload::RawObject;

/// The `download_file` action marker.
#[derive(Debug)]
pub enum DownloadFile {}

impl Action for DownloadFile {
    const API: Api = Api::FromWidget;
    const NAME: ActionName = ActionName::DownloadFile;
    type Request = RawObject;
    type Response = RawObject;
}
