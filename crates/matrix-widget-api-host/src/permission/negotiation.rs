//! Capability negotiation: what the widget requested, what the host approved, and the
//! `notify_capabilities` payload, for the first negotiation and for MSC2974 renegotiation.

use super::{Config, Permissions};
use matrix_widget_api::Capability;
use matrix_widget_api::naming::Spelled;
use matrix_widget_api::to_widget::notify_capabilities::NotifyCapabilitiesRequestData;
use std::collections::{HashMap, HashSet};

/// One widget's negotiated capabilities, cumulative over every (re)negotiation.
///
/// 1. The widget asks (its `capabilities` reply, or an MSC2974 `request_capabilities`):
///    [`Negotiation::request`] records the capabilities and returns the ones the host
///    must decide on. Unknown capabilities are denied without asking (wire decision 31);
///    capabilities already approved, in any spelling, are approved without asking again.
/// 2. The host decides (policy, or the user): [`Negotiation::approve`].
/// 3. The host tells the widget: [`Negotiation::notify_capabilities`] lists every requested
///    and every approved capability so far (wire decision 18: cumulative, as MSC2974 says;
///    matrix-widget-api sends only the newest request in `requested`), each in the
///    widget's own spelling (wire decision 3), so its `hasCapability` checks work.
/// 4. The host checks requests with [`Negotiation::permissions`].
///
/// ```
/// use matrix_widget_api::Capability;
/// use matrix_widget_api::naming::Spelled;
/// use matrix_widget_api_host::permission::Negotiation;
///
/// let asked: Vec<Spelled<Capability>> = ["m.send.delayed_event", "org.example.unknown", "org.matrix.msc4157.update_delayed_event"]
///     .iter().map(|s| Spelled::parse(s)).collect::<Result<_, _>>()?;
/// let mut negotiation = Negotiation::new();
/// let pending = negotiation.request(&asked);
/// assert_eq!(pending.len(), 2, "the unknown capability is denied without asking");
/// negotiation.approve([Capability::SendDelayedEvent]);
/// let notify = negotiation.notify_capabilities();
/// let approved: Vec<String> = notify.approved.iter().map(|c| c.to_string()).collect();
/// assert_eq!(approved, ["m.send.delayed_event"], "the widget's own spelling is echoed");
/// assert_eq!(notify.requested.len(), 3);
/// # Ok::<(), matrix_widget_api::naming::NameError>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct Negotiation {
    requested: Vec<Spelled<Capability>>,
    approved: Vec<Spelled<Capability>>,
    // Hashed views of the two lists, so that every operation is linear in its input
    // (a widget may ask for tens of thousands of capabilities within `Limits`).
    /// The exact strings in `requested`.
    requested_texts: HashSet<String>,
    /// Where each capability (any spelling) sits in `requested`.
    requested_at: HashMap<Capability, Vec<usize>>,
    /// The exact strings in `approved`.
    approved_texts: HashSet<String>,
    /// The capabilities in `approved`, whatever their spelling.
    approved_values: HashSet<Capability>,
}

impl Negotiation {
    /// Nothing requested or approved yet.
    pub fn new() -> Self {
        Negotiation::default()
    }

    /// The widget requests `capabilities`. They are added to the requested list (once per
    /// exact string); the result is what the host must now decide on: the known
    /// capabilities that are not approved yet, once per exact string, in the order asked.
    ///
    /// A capability already approved in another spelling is approved in this spelling too,
    /// without asking. An unknown capability ([`Capability::_Custom`]) is never approved.
    ///
    /// Linear in the number of capabilities (hashing), whatever was requested before.
    pub fn request(&mut self, capabilities: &[Spelled<Capability>]) -> Vec<Spelled<Capability>> {
        let mut pending: Vec<Spelled<Capability>> = Vec::new();
        let mut pending_texts: HashSet<String> = HashSet::new();
        for capability in capabilities {
            let text = capability.as_str().into_owned();
            if !self.requested_texts.contains(&text) {
                self.requested_at.entry(capability.value().clone()).or_default().push(self.requested.len());
                self.requested.push(capability.clone());
                self.requested_texts.insert(text.clone());
            }
            if matches!(capability.value(), Capability::_Custom(_)) {
                continue;
            }
            if self.approved_values.contains(capability.value()) {
                self.push_approved(capability, text);
            } else if pending_texts.insert(text) {
                pending.push(capability.clone());
            }
        }
        pending
    }

    /// Adds `capability`, whose exact string is `text`, to the approved list unless this
    /// spelling is there already.
    fn push_approved(&mut self, capability: &Spelled<Capability>, text: String) {
        if self.approved_texts.insert(text) {
            self.approved_values.insert(capability.value().clone());
            self.approved.push(capability.clone());
        }
    }

    /// The host approves `capabilities`: every requested spelling of each is approved (in
    /// the widget's spelling). Capabilities the widget never requested, and unknown ones,
    /// are ignored. Linear in the number of capabilities and of their requested spellings.
    pub fn approve<C: Into<Spelled<Capability>>>(&mut self, capabilities: impl IntoIterator<Item = C>) {
        for capability in capabilities {
            let capability: Spelled<Capability> = capability.into();
            if matches!(capability.value(), Capability::_Custom(_)) {
                continue;
            }
            let Some(positions) = self.requested_at.get(capability.value()) else { continue };
            let spellings: Vec<Spelled<Capability>> = positions.iter().filter_map(|&i| self.requested.get(i).cloned()).collect();
            for requested in spellings {
                let text = requested.as_str().into_owned();
                self.push_approved(&requested, text);
            }
        }
    }

    /// Every capability requested so far, in the widget's spellings.
    pub fn requested(&self) -> &[Spelled<Capability>] {
        &self.requested
    }

    /// Every capability approved so far, in the widget's spellings.
    pub fn approved(&self) -> &[Spelled<Capability>] {
        &self.approved
    }

    /// The `notify_capabilities` request data: cumulative `requested` and `approved`.
    pub fn notify_capabilities(&self) -> NotifyCapabilitiesRequestData {
        NotifyCapabilitiesRequestData::new(self.requested.clone(), self.approved.clone())
    }

    /// The permission engine over what is approved, with the default [`Config`].
    pub fn permissions(&self) -> Permissions {
        Permissions::new(&self.approved)
    }

    /// The permission engine over what is approved.
    pub fn permissions_with(&self, config: Config) -> Permissions {
        Permissions::with_config(&self.approved, config)
    }
}
