//! Actions the host sends to the widget. One module per action, each holding the action's marker type (implementing
//! [`Action`](crate::Action)), its request payload and its response payload; the table below
//! lists every typed action of this direction. The message enums are
//! [`ToWidgetRequest`](crate::ToWidgetRequest) and [`ToWidgetResponse`](crate::ToWidgetResponse),
//! at the crate root.
//!
//! # Answering what the widget does not handle
//!
//! Most toWidget requests only need an acknowledgement (`"response":{}`);
//! [`ToWidgetRequest::acknowledge`](crate::ToWidgetRequest::acknowledge) gives it for any
//! action whose success response may be empty, so a widget does not match every variant:
//!
//! ```
//! use matrix_widget_api::{ToWidgetRequest, WidgetMessage, decode_widget};
//!
//! let theme = r#"{"api":"toWidget","widgetId":"w1","requestId":"r1","action":"theme_change","data":{"name":"dark"}}"#;
//! let WidgetMessage::Request(request) = decode_widget(theme)? else { unreachable!() };
//! let reply = request.acknowledge().expect("theme_change needs no payload");
//! assert!(reply.ends_with(r#""data":{"name":"dark"},"response":{}}"#));
//!
//! // `capabilities` must be answered with the capabilities the widget wants.
//! let caps = r#"{"api":"toWidget","widgetId":"w1","requestId":"r2","action":"capabilities","data":{}}"#;
//! let WidgetMessage::Request(request) = decode_widget(caps)? else { unreachable!() };
//! assert!(matches!(request, ToWidgetRequest::Capabilities(_)));
//! assert_eq!(request.acknowledge(), None);
//! # Ok::<(), matrix_widget_api::DecodeError>(())
//! ```

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
