//! `language_change` (toWidget) — MSC2873: the host tells the widget the user's language changed.
//!
//! The data is the new language, `lang`: a BCP 47 tag (MSC2873 also allows `_` in place of
//! `-`, as in `zh_Hant`), required and a string; its syntax is not checked, as matrix-widget-api
//! 1.19 does not check it. The response is `{}`. A host sends it only to widgets that
//! advertise `org.matrix.msc2873` (wire decision 24).
//!
//! ```
//! use matrix_widget_api::to_widget::language_change::{LanguageChange, LanguageChangeRequestData};
//! use matrix_widget_api::Request;
//!
//! let request = Request::<LanguageChange>::new("w1", "r1", LanguageChangeRequestData::new("de-AT"))?;
//! assert_eq!(serde_json::to_value(&request).expect("serialises")["data"], serde_json::json!({"lang": "de-AT"}));
//! # Ok::<(), matrix_widget_api::BuildError>(())
//! ```

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::payload::{Empty, Extra, Payload};

/// The `language_change` action from host to widget.
#[derive(Debug)]
pub enum LanguageChange {}

impl Action for LanguageChange {
    const API: Api = Api::ToWidget;
    const NAME: ActionName = ActionName::LanguageChange;
    type RequestData = LanguageChangeRequestData;
    type ResponseData = Empty;
}

/// The request `data`: the client's new language.
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct LanguageChangeRequestData {
    /// The language, a BCP 47 tag such as `en-GB` (`_` may stand for `-`).
    pub lang: String,
    /// Fields the protocol does not define, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl LanguageChangeRequestData {
    /// The language `lang`.
    pub fn new(lang: impl Into<String>) -> Self {
        LanguageChangeRequestData { lang: lang.into(), extra: Extra::new() }
    }
}
