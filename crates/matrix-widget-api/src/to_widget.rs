//! Actions the host sends to the widget. One module per action, each holding the action's marker type (implementing
//! [`Action`]), its request payload and its response payload; the table below
//! lists every typed action of this direction.

pub mod button_clicked;
pub mod capabilities;
pub mod close_modal;
pub mod language_change;
pub mod notify_capabilities;
pub mod openid_credentials;
pub mod screenshot;
pub mod send_event;
pub mod send_to_device;
pub mod supported_api_versions;
pub mod theme_change;
pub mod update_state;
pub mod update_turn_servers;
pub mod visibility;
pub mod widget_config;

// The table of typed toWidget actions: a new action is a module above and one line here.
// A marker whose `Action::API` is the other direction fails to compile.
/// The direction's message enums, re-exported at the crate root (their one public path).
pub(crate) mod messages {
    use super::*;

    crate::registry::registry! {
        ToWidget, ToWidgetRequest, ToWidgetResponse, ToWidgetData, ToWidgetResult, crate::message::UntypedToWidget, "toWidget";
        SupportedApiVersions => supported_api_versions::ToWidgetSupportedApiVersions,
        Capabilities => capabilities::Capabilities,
        NotifyCapabilities => notify_capabilities::NotifyCapabilities,
        ThemeChange => theme_change::ThemeChange,
        LanguageChange => language_change::LanguageChange,
        Screenshot => screenshot::Screenshot,
        Visibility => visibility::Visibility,
        OpenIdCredentials => openid_credentials::OpenIdCredentials,
        WidgetConfig => widget_config::WidgetConfig,
        CloseModal => close_modal::ToWidgetCloseModal,
        ButtonClicked => button_clicked::ButtonClicked,
        SendEvent => send_event::ToWidgetSendEvent,
        SendToDevice => send_to_device::ToWidgetSendToDevice,
        UpdateState => update_state::UpdateState,
        UpdateTurnServers => update_turn_servers::UpdateTurnServers,
    }
}
pub(crate) use messages::{ToWidgetData, ToWidgetResult};
