//! Which MSC4140 HTTP surface a homeserver serves, read from `/versions` and `/capabilities`.

use serde::Deserialize;
use serde::de::Deserializer;
use std::collections::BTreeMap;
use std::fmt;

/// The shape of the MSC4140 requests: how the delay reaches the homeserver.
///
/// The update requests (`…/delayed_events/{delay_id}/{action}`) are the same in both eras;
/// only scheduling differs. See the [module docs](super#the-wire-shape-of-each-era).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Era {
    /// What is deployed today (Synapse, matrix-js-sdk, Element): the ordinary `/send` and
    /// `/state` endpoints with the delay in a query parameter, and the event content as the
    /// body.
    QueryParameter,
    /// The latest MSC4140 text: a dedicated `…/rooms/{roomId}/delayed_event/{type}/{txnId}`
    /// endpoint whose body carries the delay (as `delay_ms` and as `delay`: wire decision
    /// 32), the optional `state_key` and the `content`.
    DedicatedEndpoint,
}

/// Unstable (`org.matrix.msc4140`) or stable names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Prefix {
    /// The `org.matrix.msc4140` names: what servers speak while the proposal is open.
    Unstable,
    /// The names MSC4140 will have once it is merged into the specification.
    Stable,
}

/// One MSC4140 HTTP surface: an [`Era`] with a [`Prefix`].
///
/// ```
/// use matrix_widget_api_host::delayed_events::{Era, Prefix, Surface};
///
/// assert_eq!(Surface::DEPLOYED, Surface::new(Era::QueryParameter, Prefix::Unstable));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Surface {
    /// How the delay is sent.
    pub era: Era,
    /// Which names are used.
    pub prefix: Prefix,
}

impl Surface {
    /// What servers in the field speak: the `org.matrix.msc4140.delay` query parameter on
    /// `/send` and `/state`, and `/_matrix/client/unstable/org.matrix.msc4140/delayed_events`.
    pub const DEPLOYED: Surface = Surface::new(Era::QueryParameter, Prefix::Unstable);
    /// The latest MSC4140 text under its unstable prefix. Never detected (no signal proves
    /// it); a host pins it for a server it knows serves the dedicated endpoint.
    pub const LATEST_UNSTABLE: Surface = Surface::new(Era::DedicatedEndpoint, Prefix::Unstable);
    /// The latest MSC4140 text under its stable names.
    pub const STABLE: Surface = Surface::new(Era::DedicatedEndpoint, Prefix::Stable);

    /// A surface.
    pub const fn new(era: Era, prefix: Prefix) -> Self {
        Surface { era, prefix }
    }
}

/// Whether a homeserver can schedule delayed events, and how.
///
/// The answer for a homeserver that does not advertise MSC4140 is [`Support::Unsupported`],
/// never a guess: such a server ignores the unknown delay parameter and sends the event at
/// once, so a host must refuse the widget's delayed send instead of forwarding it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Support {
    /// Delayed events are served on this surface.
    Supported(Surface),
    /// The server does not advertise MSC4140, or advertises it with delayed events disabled.
    Unsupported,
}

impl Support {
    /// The surface, if supported.
    pub const fn surface(self) -> Option<Surface> {
        match self {
            Support::Supported(surface) => Some(surface),
            Support::Unsupported => None,
        }
    }

    /// Whether delayed events are supported.
    pub const fn is_supported(self) -> bool {
        matches!(self, Support::Supported(_))
    }
}

/// The `unstable_features` flag of the proposal while it is open.
pub const UNSTABLE_FLAG: &str = "org.matrix.msc4140";
/// The `unstable_features` flag a server sets once it serves the merged proposal's stable names
/// ahead of a specification release that includes them.
pub const STABLE_FLAG: &str = "org.matrix.msc4140.stable";
/// The `/capabilities` key of the delayed-event limits (stable).
pub const CAPABILITY: &str = "m.delayed_events";
/// The `/capabilities` key of the delayed-event limits (unstable).
pub const UNSTABLE_CAPABILITY: &str = "org.matrix.msc4140.delayed_events";

/// The specification versions that include MSC4140. None does yet: when one does, it goes
/// here, and a server listing it is detected as [`Surface::STABLE`].
const SPEC_VERSIONS_WITH_MSC4140: &[&str] = &[];

/// Reads the era from a homeserver's `GET /_matrix/client/versions` response body and,
/// when the host has it, its `GET /_matrix/client/v3/capabilities` response body.
///
/// What each signal proves, and what is concluded from it (wire decision 35):
///
/// | signal | proves | conclusion |
/// |---|---|---|
/// | `unstable_features["org.matrix.msc4140.stable"]: true`, or a specification version that includes MSC4140 (none does yet) | the merged proposal, stable names | [`Surface::STABLE`] |
/// | `unstable_features["org.matrix.msc4140"]: true` | the server schedules delayed events; every server that sets it reads `org.matrix.msc4140.delay` on `/send` and `/state` | [`Surface::DEPLOYED`] |
/// | the `/capabilities` entry `m.delayed_events` / `org.matrix.msc4140.delayed_events` | the server's limits, nothing about its endpoints | limits only; `0` means disabled |
/// | anything else (no flag, a flag that is not the boolean `true`, a capability without a flag) | nothing | [`Support::Unsupported`] |
///
/// The capability is **not** proof of the latest text's dedicated endpoint: Synapse 1.157
/// and later advertise `org.matrix.msc4140.delayed_events` `{max_delay_ms, max_scheduled}`
/// but schedule only through the query parameter, and answer the dedicated endpoint with
/// 404 `M_UNRECOGNIZED`. No signal proves the unstable dedicated endpoint, so it is never
/// detected; a host that knows its server serves it pins [`Surface::LATEST_UNSTABLE`], and
/// [`SendEventCall::should_retry_with_query_parameter`](super::SendEventCall::should_retry_with_query_parameter)
/// makes that safe.
///
/// Whatever the era, a capability whose `max_delay_ms` or `max_scheduled` is `0` means
/// delayed events are disabled (Synapse advertises `max_delay_ms: 0` when
/// `max_event_delay_duration` is not configured), and the answer is
/// [`Support::Unsupported`]. Give the same body to [`ServerLimits::from_capabilities`] and
/// [`Homeserver::with_limits`](super::Homeserver::with_limits) so that delays over the
/// advertised maximum are refused before any request.
///
/// A body that is not JSON, or not an object, is an error; missing or mistyped fields
/// inside it count as absent (a host should then treat the server as unsupported). A
/// `/capabilities` error body (no `capabilities` key) counts as no capabilities.
///
/// ```
/// use matrix_widget_api_host::delayed_events::{Support, Surface, detect};
///
/// let synapse = br#"{"versions":["v1.11"],"unstable_features":{"org.matrix.msc4140":true}}"#;
/// assert_eq!(detect(synapse, None)?, Support::Supported(Surface::DEPLOYED));
///
/// // Synapse 1.157: the capability adds limits, not an endpoint.
/// let capabilities = br#"{"capabilities":{"org.matrix.msc4140.delayed_events":{"max_delay_ms":86400000,"max_scheduled":100}}}"#;
/// assert_eq!(detect(synapse, Some(capabilities))?, Support::Supported(Surface::DEPLOYED));
///
/// let without = br#"{"versions":["v1.11"],"unstable_features":{"org.matrix.msc4140":false}}"#;
/// assert_eq!(detect(without, None)?, Support::Unsupported);
/// # Ok::<(), matrix_widget_api_host::delayed_events::DetectError>(())
/// ```
pub fn detect(versions: &[u8], capabilities: Option<&[u8]>) -> Result<Support, DetectError> {
    let versions: VersionsBody = parse(versions, "/versions")?;
    let limits = match capabilities {
        Some(body) => Some(ServerLimits::from_capabilities(body)?),
        None => None,
    };
    let flag = |name: &str| versions.unstable_features.get(name).is_some_and(|flag| flag.0 == Some(true));
    let stable_version = versions.versions.iter().any(|v| v.as_deref().is_some_and(|v| SPEC_VERSIONS_WITH_MSC4140.contains(&v)));
    let surface = if flag(STABLE_FLAG) || stable_version {
        Surface::STABLE
    } else if flag(UNSTABLE_FLAG) {
        Surface::DEPLOYED
    } else {
        return Ok(Support::Unsupported);
    };
    if limits.is_some_and(|l| l.disabled()) {
        return Ok(Support::Unsupported);
    }
    Ok(Support::Supported(surface))
}

/// The limits a homeserver advertises for delayed events in `/capabilities`
/// (`m.delayed_events`, unstable `org.matrix.msc4140.delayed_events`). Each is `None` when
/// not advertised: servers must impose limits, but need not say which.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct ServerLimits {
    /// The longest delay accepted, in milliseconds.
    pub max_delay_ms: Option<u64>,
    /// How many delayed events a user may have scheduled at once.
    pub max_scheduled: Option<u64>,
    /// Whether the capability was there at all.
    advertised: bool,
}

impl ServerLimits {
    /// No limits known.
    pub const UNKNOWN: ServerLimits = ServerLimits { max_delay_ms: None, max_scheduled: None, advertised: false };

    /// ServerLimits known without a `/capabilities` body (for example from configuration).
    pub const fn new(max_delay_ms: Option<u64>, max_scheduled: Option<u64>) -> Self {
        ServerLimits { max_delay_ms, max_scheduled, advertised: true }
    }

    /// Reads a `GET /_matrix/client/v3/capabilities` response body. The stable key wins
    /// over the unstable one when both are there; a missing capability gives
    /// [`ServerLimits::UNKNOWN`]; a limit that is not a non-negative integer counts as absent.
    ///
    /// ```
    /// use matrix_widget_api_host::delayed_events::ServerLimits;
    ///
    /// let body = br#"{"capabilities":{"org.matrix.msc4140.delayed_events":{"max_delay_ms":86400000}}}"#;
    /// let limits = ServerLimits::from_capabilities(body)?;
    /// assert_eq!(limits.max_delay_ms, Some(86_400_000));
    /// assert_eq!(limits.max_scheduled, None);
    /// # Ok::<(), matrix_widget_api_host::delayed_events::DetectError>(())
    /// ```
    pub fn from_capabilities(body: &[u8]) -> Result<ServerLimits, DetectError> {
        let body: CapabilitiesBody = parse(body, "/capabilities")?;
        let found = [CAPABILITY, UNSTABLE_CAPABILITY].iter().find_map(|name| body.capabilities.get(*name).and_then(|c| c.0.as_ref()));
        Ok(match found {
            Some(capability) => ServerLimits::new(capability.max_delay_ms.0, capability.max_scheduled.0),
            None => ServerLimits::UNKNOWN,
        })
    }

    /// Whether the limits make every delayed send fail (a limit of `0`).
    pub const fn disabled(self) -> bool {
        matches!(self.max_delay_ms, Some(0)) || matches!(self.max_scheduled, Some(0))
    }

    /// Whether a `/capabilities` body advertised the capability (or the limits were given
    /// with [`ServerLimits::new`]).
    pub const fn advertised(self) -> bool {
        self.advertised
    }
}

/// A `/versions` or `/capabilities` body that could not be read.
#[derive(Debug)]
pub struct DetectError {
    what: &'static str,
    source: serde_json::Error,
}

impl fmt::Display for DetectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the homeserver's {} response is not a JSON object: {}", self.what, self.source)
    }
}

impl std::error::Error for DetectError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// Reads an object body (a JSON array is not read as a struct's fields).
fn parse<T: serde::de::DeserializeOwned>(body: &[u8], what: &'static str) -> Result<T, DetectError> {
    let error = |source| DetectError { what, source };
    let object: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(body).map_err(error)?;
    T::deserialize(serde_json::Value::Object(object)).map_err(error)
}

/// `/versions`: only what detection reads; every other field is skipped.
#[derive(Deserialize)]
struct VersionsBody {
    #[serde(default, deserialize_with = "lenient")]
    versions: Vec<Lenient<String>>,
    #[serde(default, deserialize_with = "lenient")]
    unstable_features: BTreeMap<String, Lenient<bool>>,
}

/// `/capabilities`.
#[derive(Deserialize)]
struct CapabilitiesBody {
    #[serde(default, deserialize_with = "lenient")]
    /// Each entry read on its own: one malformed capability (a vendor's `true`, say) must not
    /// hide the delayed-event one.
    capabilities: BTreeMap<String, Lenient<LimitsBody>>,
}

/// One capability's object, read as the delayed-event limits.
#[derive(Default, Deserialize)]
#[serde(default)]
struct LimitsBody {
    max_delay_ms: Lenient<u64>,
    max_scheduled: Lenient<u64>,
}

/// A value of type `T`, or `None` for anything else (which is skipped).
struct Lenient<T>(Option<T>);

impl<T> Default for Lenient<T> {
    fn default() -> Self {
        Lenient(None)
    }
}

impl<T> std::ops::Deref for Lenient<T> {
    type Target = Option<T>;
    fn deref(&self) -> &Option<T> {
        &self.0
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Lenient<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Buffer the value so that a mistyped one is skipped rather than fatal.
        let value = serde_json::Value::deserialize(deserializer)?;
        Ok(Lenient(T::deserialize(value).ok()))
    }
}

/// A container field whose wrong type (`"unstable_features": []`) counts as absent.
fn lenient<'de, D: Deserializer<'de>, T: Deserialize<'de> + Default>(deserializer: D) -> Result<T, D::Error> {
    Lenient::<T>::deserialize(deserializer).map(|l| l.0.unwrap_or_default())
}
