//! Modal widgets (MSC2790): what a widget opens a modal with ([`ModalOpenData`], sent by
//! fromWidget [`open_modal`](crate::from_widget::open_modal) and handed to the modal as
//! toWidget [`widget_config`](crate::to_widget::widget_config)), its buttons
//! ([`ModalButton`], [`ModalButtonId`], [`ModalButtonKind`]), and what a modal returns
//! ([`ModalReturnData`], fromWidget and toWidget [`close_modal`](crate::to_widget::close_modal)).
//!
//! `type` and `url` must not be empty: matrix-widget-api 1.19's `Widget` model, which Element
//! builds the modal from, refuses them (its `assertPresent`), so such a request cannot open a
//! modal. Everything else follows the reference's `IModalWidgetOpenRequestData`; unknown
//! fields are kept, here and in `data` and in each button.

use crate::naming::{CustomName, WireName, wire_docs};
use crate::payload::{Extra, Payload};

/// The data a widget opens a modal widget with: the modal's widget definition (without `id`
/// and `creatorUserId`, which the host assigns) and its buttons. The host hands the same
/// object to the modal as `widget_config`.
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[wire(check = "ModalOpenData::check", extend_schema = "ModalOpenData::extend_schema")]
#[non_exhaustive]
pub struct ModalOpenData {
    /// The modal's widget type, such as `m.custom`. Must not be empty.
    #[wire(rename = "type")]
    pub widget_type: WidgetType,
    /// The modal's URL, with template variables. Must not be empty.
    pub url: String,
    /// The modal's name, shown as the dialog's title.
    pub name: Option<String>,
    /// Whether the host starts the session when the iframe loads (`true`, the default) or
    /// waits for the modal's `content_loaded` (`false`).
    #[wire(rename = "waitForIframeLoad")]
    pub wait_for_iframe_load: Option<bool>,
    /// Data for the modal: its `title` and the keys its URL template uses.
    pub data: Option<ModalWidgetData>,
    /// The buttons the host shows below the modal.
    pub buttons: Option<Vec<ModalButton>>,
    /// Fields the protocol does not define, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl ModalOpenData {
    /// A modal of type `m.custom` at `url`, without a name, data or buttons.
    pub fn new(url: impl Into<String>) -> Self {
        ModalOpenData {
            widget_type: WidgetType::Custom,
            url: url.into(),
            name: None,
            wait_for_iframe_load: None,
            data: None,
            buttons: None,
            extra: Extra::new(),
        }
    }

    /// Of another widget type.
    pub fn with_type(self, widget_type: WidgetType) -> Self {
        ModalOpenData { widget_type, ..self }
    }

    /// With a name.
    pub fn with_name(self, name: impl Into<String>) -> Self {
        ModalOpenData { name: Some(name.into()), ..self }
    }

    /// Whether the host waits for the iframe's `load` (`true`) or for `content_loaded`.
    pub fn with_wait_for_iframe_load(self, wait: bool) -> Self {
        ModalOpenData { wait_for_iframe_load: Some(wait), ..self }
    }

    /// With data for the modal.
    pub fn with_data(self, data: ModalWidgetData) -> Self {
        ModalOpenData { data: Some(data), ..self }
    }

    /// With buttons.
    pub fn with_buttons(self, buttons: impl IntoIterator<Item = ModalButton>) -> Self {
        ModalOpenData { buttons: Some(buttons.into_iter().collect()), ..self }
    }

    /// Whether the host waits for the iframe's `load` event: `waitForIframeLoad`, `true` when
    /// absent.
    pub fn waits_for_iframe_load(&self) -> bool {
        self.wait_for_iframe_load.unwrap_or(true)
    }

    /// The rules beyond field types: a non-empty `type` and `url`.
    fn check(&self) -> Result<(), String> {
        if matches!(&self.widget_type, WidgetType::_Custom(name) if name.as_str().is_empty()) {
            return Err("`type` must not be empty".to_owned());
        }
        if self.url.is_empty() {
            return Err("`url` must not be empty".to_owned());
        }
        Ok(())
    }

    /// [`ModalOpenData::check`] in the schema.
    #[cfg(feature = "schema")]
    fn extend_schema(mut schema: schemars::Schema) -> schemars::Schema {
        if let Some(properties) = schema.get_mut("properties").and_then(|p| p.as_object_mut()) {
            for key in ["type", "url"] {
                if let Some(property) = properties.get_mut(key).and_then(|t| t.as_object_mut()) {
                    property.insert("type".into(), "string".into());
                    property.insert("minLength".into(), 1.into());
                }
            }
        }
        schema
    }
}

/// The type of a widget: `m.custom`, `m.jitsi`, `m.stickerpicker`, or any other string,
/// kept verbatim.
#[wire_docs]
#[derive(Clone, Debug, PartialEq, Eq, Hash, WireName)]
#[wire(what = "widget type")]
#[non_exhaustive]
pub enum WidgetType {
    /// A custom widget.
    #[wire("m.custom")]
    Custom,
    /// A Jitsi conference.
    #[wire("m.jitsi")]
    Jitsi,
    /// A sticker picker.
    #[wire("m.stickerpicker")]
    Stickerpicker,
    /// Any other widget type, kept verbatim.
    #[wire(other)]
    #[doc(hidden)]
    _Custom(CustomName),
}

/// Data for a modal widget: an optional `title` (shown below the name) and any keys the
/// modal's URL template or the modal itself uses, kept as they came.
#[derive(Clone, Debug, Default, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct ModalWidgetData {
    /// The modal's title.
    pub title: Option<String>,
    /// Every other key, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl ModalWidgetData {
    /// No title, no keys.
    pub fn new() -> Self {
        Self::default()
    }

    /// With a title.
    pub fn with_title(self, title: impl Into<String>) -> Self {
        ModalWidgetData { title: Some(title.into()), ..self }
    }
}

/// A button the host shows below a modal; clicking it sends the modal `button_clicked`.
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct ModalButton {
    /// The button's ID, echoed in `button_clicked`.
    pub id: ModalButtonId,
    /// The button's text.
    pub label: String,
    /// How the button looks.
    pub kind: ModalButtonKind,
    /// Whether it starts disabled (the modal can change it with `set_button_enabled`).
    pub disabled: Option<bool>,
    /// Fields the protocol does not define, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl ModalButton {
    /// An enabled button.
    pub fn new(id: ModalButtonId, label: impl Into<String>, kind: ModalButtonKind) -> Self {
        ModalButton { id, label: label.into(), kind, disabled: None, extra: Extra::new() }
    }

    /// Starting disabled (or explicitly enabled).
    pub fn with_disabled(self, disabled: bool) -> Self {
        ModalButton { disabled: Some(disabled), ..self }
    }
}

/// The ID of a modal button: the built-in close button `m.close`, or any ID the opening
/// widget chose, kept verbatim.
#[wire_docs]
#[derive(Clone, Debug, PartialEq, Eq, Hash, WireName)]
#[wire(what = "modal button ID")]
#[non_exhaustive]
pub enum ModalButtonId {
    /// The host's own close button. It cannot be disabled.
    #[wire("m.close")]
    Close,
    /// A button the opening widget declared.
    #[wire(other)]
    #[doc(hidden)]
    _Custom(CustomName),
}

impl ModalButtonId {
    /// The button with this ID (`m.close` is [`ModalButtonId::Close`]).
    pub fn new(id: &str) -> Self {
        // An open name type parses every string.
        id.parse().unwrap_or_else(|_| ModalButtonId::_Custom(CustomName::__from_unknown(id)))
    }
}

/// How a modal button looks: one of the five kinds MSC2790 defines, or any other string,
/// kept verbatim (a host shows unknown kinds as it likes).
#[wire_docs]
#[derive(Clone, Debug, PartialEq, Eq, Hash, WireName)]
#[wire(what = "modal button kind")]
#[non_exhaustive]
pub enum ModalButtonKind {
    /// The main action.
    #[wire("m.primary")]
    Primary,
    /// A secondary action.
    #[wire("m.secondary")]
    Secondary,
    /// An action to think twice about.
    #[wire("m.warning")]
    Warning,
    /// A destructive action.
    #[wire("m.danger")]
    Danger,
    /// Shown as a link.
    #[wire("m.link")]
    Link,
    /// Any other kind, kept verbatim.
    #[wire(other)]
    #[doc(hidden)]
    _Custom(CustomName),
}

/// What a modal widget returns when it closes (fromWidget `close_modal`), relayed by the
/// host to the widget that opened it (toWidget `close_modal`): any object, kept as it came.
/// When the user dismissed the modal instead, the host sends `{"m.exited": true}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct ModalReturnData {
    /// Every key, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

/// The key a host sets when the user dismissed the modal.
const EXITED: &str = "m.exited";

impl ModalReturnData {
    /// `{}`.
    pub fn new() -> Self {
        Self::default()
    }

    /// `{"m.exited": true}`: the user dismissed the modal without the modal closing itself.
    pub fn exited() -> Self {
        let mut extra = Extra::new();
        // A boolean always serialises.
        extra.insert(EXITED, &true).ok();
        ModalReturnData { extra }
    }

    /// Whether `m.exited` is `true`: the user dismissed the modal.
    pub fn is_exited(&self) -> bool {
        self.extra.get(EXITED).is_some_and(|v| v.get() == "true")
    }
}
