//! Actions the widget sends to the host (catalogue §2.1). One module per action, holding
//! its marker type, request payload and response payload.

pub mod send_event;
pub mod update_delayed_event;
