//! `theme_change` (toWidget) — MSC2873: the host tells the widget its theme changed.
//!
//! MSC2873 leaves the data entirely to the client ("client-specific theme information"),
//! and matrix-widget-api 1.19's type has no fields, so any object is accepted and kept as it
//! came. Element sends `{"name": "<theme>"}` (`light`, `dark`, …): [`ThemeChangeRequestData::name`]
//! reads it and [`ThemeChangeRequestData::named`] builds it. The response is `{}`. A host sends it
//! only to widgets that advertise `org.matrix.msc2873` (wire decision 24); matrix-widget-api
//! widgets always do.
//!
//! ```
//! use matrix_widget_api::payload::Empty;
//! use matrix_widget_api::{ToWidgetRequest, WidgetMessage, decode_widget};
//!
//! let text = r#"{"api":"toWidget","widgetId":"w1","requestId":"r1","action":"theme_change","data":{"name":"dark"}}"#;
//! let WidgetMessage::Request(ToWidgetRequest::ThemeChange(request)) = decode_widget(text)? else { unreachable!() };
//! assert_eq!(request.data().name().as_deref(), Some("dark"));
//! assert!(request.reply(&Empty::new()).ends_with(r#","response":{}}"#));
//! # Ok::<(), matrix_widget_api::DecodeError>(())
//! ```

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::payload::{Empty, Extra, Payload};

/// The `theme_change` action from host to widget.
#[derive(Debug)]
pub enum ThemeChange {}

impl Action for ThemeChange {
    const API: Api = Api::ToWidget;
    const NAME: ActionName = ActionName::ThemeChange;
    type RequestData = ThemeChangeRequestData;
    type ResponseData = Empty;
}

/// The request `data`: the client's theme, in a client-specific form (Element sends its
/// theme's `name`, a string). Every key is kept as it came.
#[derive(Clone, Debug, Default, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct ThemeChangeRequestData {
    /// Every key, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl ThemeChangeRequestData {
    /// `{}`.
    pub fn new() -> Self {
        Self::default()
    }

    /// `{"name": name}`, as Element sends it.
    pub fn named(name: &str) -> Self {
        let mut extra = Extra::new();
        // A string always serialises.
        extra.insert("name", name).ok();
        ThemeChangeRequestData { extra }
    }

    /// The theme's `name`, if it is a string.
    pub fn name(&self) -> Option<String> {
        self.extra.get("name").and_then(|raw| serde_json::from_str(raw.get()).ok())
    }
}
