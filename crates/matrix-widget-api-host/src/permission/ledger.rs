//! Host hardening for MSC4157 (wire decision 28): remember which delayed events each widget
//! scheduled, so that `update_delayed_event` cannot touch the user's other delayed events.

use matrix_widget_api::from_widget::send_event::SendEventResponseData;
use matrix_widget_api::from_widget::update_delayed_event::{UpdateAction, UpdateDelayedEventRequestData};
use std::collections::HashSet;

/// The `delay_id`s one widget was given.
///
/// Neither MSC4157 nor matrix-widget-api ties a delayed event to the widget that scheduled
/// it: a widget holding `m.update_delayed_event` can cancel, restart or send *any* of the
/// user's delayed events whose ID it learns (another widget's call membership leave, for
/// instance). A host that keeps one ledger per widget and passes it in the
/// [`Context`](super::Context) refuses those with [`Denied::UnknownDelay`](super::Denied::UnknownDelay).
///
/// Opt-in: without a ledger in the context, updates are allowed on the capability alone,
/// as in the reference. A delayed event that has fired or been cancelled stays in the
/// ledger until the host calls `forget` (after a successful `send`/`cancel`, or when the
/// homeserver reports it finalised); a host that never does lets the ledger grow with the
/// session.
///
/// ```
/// use matrix_widget_api::from_widget::send_event::SendEventResponseData;
/// use matrix_widget_api::from_widget::update_delayed_event::{UpdateAction, UpdateDelayedEventRequestData};
/// use matrix_widget_api_host::permission::DelayLedger;
///
/// let mut ledger = DelayLedger::new();
/// // The host scheduled a delayed send for this widget and is about to reply:
/// ledger.record_response(&SendEventResponseData::scheduled("!r:b", "syd_abc"));
/// assert!(ledger.contains("syd_abc"));
/// // Once the delayed event is sent or cancelled, its ID is gone.
/// ledger.updated(&UpdateDelayedEventRequestData::new("syd_abc", UpdateAction::Send));
/// assert!(!ledger.contains("syd_abc"));
/// ```
#[derive(Clone, Debug, Default)]
pub struct DelayLedger {
    delay_ids: HashSet<String>,
}

impl DelayLedger {
    /// An empty ledger.
    pub fn new() -> Self {
        DelayLedger::default()
    }

    /// Records a delay ID the host gave this widget.
    pub fn record(&mut self, delay_id: impl Into<String>) {
        self.delay_ids.insert(delay_id.into());
    }

    /// Records the `delay_id` of a `send_event` reply, if it scheduled a delayed event.
    pub fn record_response(&mut self, response: &SendEventResponseData) {
        if let Some(delay_id) = response.delay_id() {
            self.record(delay_id);
        }
    }

    /// Whether this widget was given `delay_id`.
    pub fn contains(&self, delay_id: &str) -> bool {
        self.delay_ids.contains(delay_id)
    }

    /// Forgets `delay_id` (the delayed event was sent, cancelled, or expired). Returns
    /// whether it was known.
    pub fn forget(&mut self, delay_id: &str) -> bool {
        self.delay_ids.remove(delay_id)
    }

    /// Call after an `update_delayed_event` succeeded: `cancel` and `send` end the delayed
    /// event, so its ID is forgotten; `restart` keeps it.
    pub fn updated(&mut self, request: &UpdateDelayedEventRequestData) {
        match request.action.value() {
            UpdateAction::Cancel | UpdateAction::Send => {
                self.forget(&request.delay_id);
            }
            UpdateAction::Restart => {}
        }
    }

    /// How many delay IDs are remembered.
    pub fn len(&self) -> usize {
        self.delay_ids.len()
    }

    /// Whether none are.
    pub fn is_empty(&self) -> bool {
        self.delay_ids.is_empty()
    }
}
