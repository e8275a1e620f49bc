//! Capability negotiation: what the widget requested, what the host approved, and the
//! `notify_capabilities` payload, for the first negotiation and for MSC2974 renegotiation.

use super::{Config, Permissions};
use matrix_widget_api::Capability;
use matrix_widget_api::naming::Spelled;
use matrix_widget_api::to_widget::notify_capabilities::NotifyCapabilitiesRequestData;
use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasher, BuildHasherDefault, Hasher, RandomState};

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
    /// One per capability (any spelling), in the order first requested: where its
    /// spellings sit in the lists. Every operation is linear in its input: a widget may ask
    /// for tens of thousands of capabilities within `Limits`, and renegotiate them all again.
    entries: Vec<Entry>,
    /// A capability's keyed hash → its entry (entries whose capabilities share a hash are
    /// chained through [`Entry::next`]). The capability itself is not stored again as a
    /// key: the entry's first requested spelling is the key, which keeps the table small
    /// (a renegotiation of 16,000 capabilities touches it 48,000 times, at random places).
    by_hash: HashMap<u64, usize, BuildHasherDefault<Prehashed>>,
    hasher: RandomState,
    /// Numbers the calls of [`Negotiation::request`], for [`Entry::pending_call`].
    calls: u64,
}

/// Where one capability's spellings are. A capability almost always comes in one
/// spelling, so the first positions are inline and the others (rare) in [`More`].
#[derive(Clone, Debug)]
struct Entry {
    /// Its first spelling in `requested`, which is also the entry's key.
    requested: usize,
    /// Its first spelling in `approved`.
    approved: Option<usize>,
    /// The call of [`Negotiation::request`] that last put this capability in its
    /// result, and where (so a spelling asked twice in one message is returned once).
    pending_call: u64,
    pending: Option<usize>,
    /// The next entry with the same hash.
    next: Option<usize>,
    more: Option<Box<More>>,
}

/// The positions of a capability's second and later spellings.
#[derive(Clone, Debug, Default)]
struct More {
    requested: Vec<usize>,
    approved: Vec<usize>,
    pending: Vec<usize>,
}

impl Entry {
    fn more(&mut self) -> &mut More {
        self.more.get_or_insert_with(Box::default)
    }

    fn requested_at(&self) -> impl Iterator<Item = usize> + '_ {
        std::iter::once(self.requested).chain(self.more.iter().flat_map(|m| m.requested.iter().copied()))
    }

    fn approved_at(&self) -> impl Iterator<Item = usize> + '_ {
        self.approved.into_iter().chain(self.more.iter().flat_map(|m| m.approved.iter().copied()))
    }

    fn pending_at(&self) -> impl Iterator<Item = usize> + '_ {
        self.pending.into_iter().chain(self.more.iter().flat_map(|m| m.pending.iter().copied()))
    }
}

/// The hasher of [`Negotiation::by_hash`], whose keys are already hashes (of a randomly
/// keyed SipHash, so a widget cannot choose capabilities that collide): used as they are.
#[derive(Clone, Copy, Debug, Default)]
struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*byte);
        }
    }

    fn write_u64(&mut self, hash: u64) {
        self.0 = hash;
    }
}

/// Whether one of `positions` in `list` is `capability` in exactly its spelling (the same
/// string). Only called for a capability already seen, so the string comparison (which
/// may allocate) is off the common path.
fn holds_exactly(list: &[Spelled<Capability>], mut positions: impl Iterator<Item = usize>, capability: &Spelled<Capability>) -> bool {
    let text = capability.as_str();
    positions.any(|i| list.get(i).is_some_and(|c| c.spelling() == capability.spelling() || c.as_str() == text))
}

impl Negotiation {
    /// Nothing requested or approved yet.
    pub fn new() -> Self {
        Negotiation::default()
    }

    /// The entry of `capability`, whose keyed hash is `hash`.
    fn find(&self, hash: u64, capability: &Capability) -> Option<usize> {
        let mut at = self.by_hash.get(&hash).copied();
        while let Some(index) = at {
            let entry = self.entries.get(index)?;
            if self.requested.get(entry.requested).is_some_and(|c| c.value() == capability) {
                return Some(index);
            }
            at = entry.next;
        }
        None
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
        self.request_from(capabilities.iter().map(Cow::Borrowed))
    }

    /// [`Negotiation::request`] taking the capabilities: a capability first seen is moved
    /// into the requested list instead of copied (the session's path, which owns what it
    /// decoded).
    pub(crate) fn request_owned(&mut self, capabilities: Vec<Spelled<Capability>>) -> Vec<Spelled<Capability>> {
        self.request_from(capabilities.into_iter().map(Cow::Owned))
    }

    fn request_from<'c>(&mut self, capabilities: impl ExactSizeIterator<Item = Cow<'c, Spelled<Capability>>>) -> Vec<Spelled<Capability>> {
        self.calls += 1;
        let call = self.calls;
        // Reserved up front: growing these by doubling, with the allocator consolidating
        // the small blocks freed in between, made the cost visibly superlinear.
        let mut pending: Vec<Spelled<Capability>> = Vec::with_capacity(capabilities.len());
        self.requested.reserve(capabilities.len());
        self.entries.reserve(capabilities.len());
        self.by_hash.reserve(capabilities.len());
        for capability in capabilities {
            let custom = matches!(capability.value(), Capability::_Custom(_));
            let hash = self.hasher.hash_one(capability.value());
            let Some(entry) = self.find(hash, capability.value()).and_then(|index| self.entries.get_mut(index)) else {
                // The common path: a capability never seen, in any spelling.
                let next = self.by_hash.insert(hash, self.entries.len());
                let mut entry = Entry { requested: self.requested.len(), approved: None, pending_call: 0, pending: None, next, more: None };
                let capability = capability.into_owned();
                if !custom {
                    entry.pending_call = call;
                    entry.pending = Some(pending.len());
                    pending.push(capability.clone());
                }
                self.requested.push(capability);
                self.entries.push(entry);
                continue;
            };
            if !holds_exactly(&self.requested, entry.requested_at(), &capability) {
                entry.more().requested.push(self.requested.len());
                self.requested.push(Spelled::clone(&capability));
            }
            if custom {
                continue;
            }
            if entry.approved.is_some() {
                // Approved in some spelling: this one is approved too.
                if !holds_exactly(&self.approved, entry.approved_at(), &capability) {
                    entry.more().approved.push(self.approved.len());
                    self.approved.push(capability.into_owned());
                }
                continue;
            }
            if entry.pending_call != call {
                entry.pending_call = call;
                entry.pending = None;
                if let Some(more) = &mut entry.more {
                    more.pending.clear();
                }
            }
            if !holds_exactly(&pending, entry.pending_at(), &capability) {
                match entry.pending {
                    Some(_) => entry.more().pending.push(pending.len()),
                    None => entry.pending = Some(pending.len()),
                }
                pending.push(capability.into_owned());
            }
        }
        pending
    }

    /// The host approves `capabilities`: every requested spelling of each is approved (in
    /// the widget's spelling). Capabilities the widget never requested, and unknown ones,
    /// are ignored. Linear in the number of capabilities and of their requested spellings.
    pub fn approve<C: Into<Spelled<Capability>>>(&mut self, capabilities: impl IntoIterator<Item = C>) {
        let capabilities = capabilities.into_iter();
        self.approved.reserve(capabilities.size_hint().0);
        for capability in capabilities {
            let capability: Spelled<Capability> = capability.into();
            if matches!(capability.value(), Capability::_Custom(_)) {
                continue;
            }
            let hash = self.hasher.hash_one(capability.value());
            let Some(entry) = self.find(hash, capability.value()).and_then(|index| self.entries.get_mut(index)) else { continue };
            // The approval itself is stored when it is the requested spelling (the common
            // case: the host echoes what it was asked), instead of a copy of the request.
            let mut given = Some(capability);
            let spellings = 1 + entry.more.as_ref().map_or(0, |more| more.requested.len());
            for k in 0..spellings {
                let at = match k.checked_sub(1) {
                    None => Some(entry.requested),
                    Some(k) => entry.more.as_ref().and_then(|more| more.requested.get(k).copied()),
                };
                let Some(requested) = at.and_then(|i| self.requested.get(i)) else { continue };
                let mut spelled_as_requested = || match given.take() {
                    Some(c) if c.spelling().is_some() && c.spelling() == requested.spelling() => c,
                    other => {
                        given = other;
                        requested.clone()
                    }
                };
                if entry.approved.is_none() {
                    entry.approved = Some(self.approved.len());
                    self.approved.push(spelled_as_requested());
                } else if !holds_exactly(&self.approved, entry.approved_at(), requested) {
                    entry.more().approved.push(self.approved.len());
                    self.approved.push(spelled_as_requested());
                }
            }
        }
    }

    /// Whether `capability` (in any spelling) was requested.
    pub fn is_requested(&self, capability: &Capability) -> bool {
        self.find(self.hasher.hash_one(capability), capability).is_some()
    }

    /// Whether `capability` (in any spelling) is approved.
    pub fn is_approved(&self, capability: &Capability) -> bool {
        let entry = self.find(self.hasher.hash_one(capability), capability).and_then(|index| self.entries.get(index));
        entry.is_some_and(|e| e.approved.is_some())
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

    /// The JSON text of [`Negotiation::notify_capabilities`], written from the lists
    /// themselves: no copy of every capability is made only to be serialised and dropped.
    pub(crate) fn notify_capabilities_json(&self) -> serde_json::Result<String> {
        #[derive(serde::Serialize)]
        struct Lists<'a> {
            requested: &'a [Spelled<Capability>],
            approved: &'a [Spelled<Capability>],
        }
        serde_json::to_string(&Lists { requested: &self.requested, approved: &self.approved })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_notify_text_is_the_payload_serialised() {
        let mut negotiation = Negotiation::new();
        let asked: Vec<Spelled<Capability>> =
            ["m.send.delayed_event", "org.matrix.msc2762.timeline:*"].iter().map(|s| Spelled::parse(s).unwrap()).collect();
        negotiation.request(&asked);
        negotiation.approve([Capability::SendDelayedEvent]);
        assert_eq!(negotiation.notify_capabilities_json().unwrap(), serde_json::to_string(&negotiation.notify_capabilities()).unwrap());
    }

    fn caps(texts: &[&str]) -> Vec<Spelled<Capability>> {
        texts.iter().map(|t| Spelled::parse(t).unwrap()).collect()
    }

    fn texts(list: &[Spelled<Capability>]) -> Vec<String> {
        list.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn each_exact_string_is_requested_and_pending_once() {
        let mut negotiation = Negotiation::new();
        let pending =
            negotiation.request(&caps(&["m.navigate", "m.navigate", "org.matrix.msc2931.navigate", "org.example.x", "org.example.x"]));
        assert_eq!(texts(&pending), ["m.navigate", "org.matrix.msc2931.navigate"]);
        assert_eq!(texts(negotiation.requested()), ["m.navigate", "org.matrix.msc2931.navigate", "org.example.x"]);
    }

    #[test]
    fn a_capability_asked_again_unapproved_is_pending_again() {
        let mut negotiation = Negotiation::new();
        negotiation.request(&caps(&["m.navigate"]));
        let again = negotiation.request(&caps(&["m.navigate", "m.navigate"]));
        assert_eq!(texts(&again), ["m.navigate"]);
        assert_eq!(negotiation.requested().len(), 1);
    }

    #[test]
    fn every_spelling_asked_again_unapproved_is_pending_again_once() {
        let mut negotiation = Negotiation::new();
        let both = caps(&["m.navigate", "org.matrix.msc2931.navigate"]);
        assert_eq!(texts(&negotiation.request(&both)), ["m.navigate", "org.matrix.msc2931.navigate"]);
        let again = negotiation.request(&caps(&["org.matrix.msc2931.navigate", "m.navigate", "org.matrix.msc2931.navigate"]));
        assert_eq!(texts(&again), ["org.matrix.msc2931.navigate", "m.navigate"]);
        assert_eq!(negotiation.requested().len(), 2);
        // Owned and borrowed requests agree.
        let mut owned = Negotiation::new();
        owned.request_owned(both.clone());
        assert_eq!(texts(&owned.request_owned(both)), ["m.navigate", "org.matrix.msc2931.navigate"]);
    }

    #[test]
    fn approving_one_spelling_approves_every_requested_spelling_and_later_ones() {
        let mut negotiation = Negotiation::new();
        negotiation.request(&caps(&["m.navigate", "org.matrix.msc2931.navigate"]));
        negotiation.approve([Capability::Navigate]);
        assert_eq!(texts(negotiation.approved()), ["m.navigate", "org.matrix.msc2931.navigate"]);
        assert!(negotiation.is_approved(&Capability::Navigate));
        // Asked later in a third spelling... there is none for navigate; ask the same again.
        assert!(negotiation.request(&caps(&["m.navigate"])).is_empty());
        assert_eq!(negotiation.approved().len(), 2, "no duplicate");
        // Approving twice changes nothing.
        negotiation.approve([Capability::Navigate, Capability::Navigate]);
        assert_eq!(negotiation.approved().len(), 2);
    }

    #[test]
    fn unknown_and_unrequested_capabilities_are_never_approved() {
        let mut negotiation = Negotiation::new();
        negotiation.request(&caps(&["org.example.x"]));
        negotiation.approve(caps(&["org.example.x", "m.always_on_screen"]));
        assert!(negotiation.approved().is_empty());
        assert!(negotiation.is_requested(caps(&["org.example.x"])[0].value()));
        assert!(!negotiation.is_requested(&Capability::AlwaysOnScreen));
    }

    #[test]
    fn a_capability_built_in_code_matches_its_parsed_string() {
        let mut negotiation = Negotiation::new();
        negotiation.request(&caps(&["m.always_on_screen"]));
        // `m.always_on_screen` has a single spelling: built in code it is the same string.
        negotiation.request(&[Spelled::new(Capability::AlwaysOnScreen)]);
        assert_eq!(negotiation.requested().len(), 1);
    }

    #[test]
    fn request_and_approve_are_linear() {
        let many: Vec<Spelled<Capability>> =
            (0..16_000).map(|i| Spelled::parse(&format!("org.matrix.msc2762.send.state_event:m.t{i}#k{i}")).unwrap()).collect();
        let start = std::time::Instant::now();
        let mut negotiation = Negotiation::new();
        let pending = negotiation.request(&many);
        negotiation.approve(pending);
        let again = negotiation.request(&many);
        assert!(again.is_empty());
        assert_eq!(negotiation.approved().len(), 16_000);
        // Quadratic, this took minutes; linear, milliseconds (seconds in a slow debug build).
        assert!(start.elapsed() < std::time::Duration::from_secs(10), "{:?}", start.elapsed());
    }
}
