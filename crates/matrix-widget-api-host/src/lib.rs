//! Host-side logic for the Matrix Widget API, on top of the protocol types of
//! [`matrix_widget_api`]: what a client embedding widgets decides, without any I/O.
//!
//! - [`permission`]: the capability permission engine. Built once from the capabilities a
//!   widget was granted, it answers whether each fromWidget request may be carried out
//!   (with MSC4157's rule exact: a delayed send needs the event's own capability **and**
//!   `m.send.delayed_event`; `update_delayed_event` needs `m.update_delayed_event`), and
//!   what the host may deliver to the widget. It also holds the negotiation helpers
//!   (requested vs approved, the `notify_capabilities` payload) and the opt-in ledger of
//!   delayed events each widget scheduled.
#![forbid(unsafe_code)]

pub mod permission;
