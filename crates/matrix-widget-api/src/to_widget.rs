//! Actions the host sends to the widget (catalogue §2.2). One module per action, holding
//! its marker type, request payload and response payload.

pub mod capabilities;
pub mod notify_capabilities;
