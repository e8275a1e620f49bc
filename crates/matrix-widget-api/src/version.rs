//! API versions advertised by `supported_api_versions` (spec draft #2764 and the MSCs that add versions).

use crate::naming::{CustomName, WireName, wire_docs};

/// One entry of `supported_versions`.
#[wire_docs]
#[derive(Clone, Debug, PartialEq, Eq, Hash, WireName)]
#[wire(what = "API version")]
#[non_exhaustive]
pub enum ApiVersion {
    /// `0.0.1`, the first prerelease of the spec draft.
    #[wire("0.0.1")]
    Prerelease1,
    /// `0.0.2`.
    #[wire("0.0.2")]
    Prerelease2,
    /// `0.1.0` (only in a comment of the reference implementation).
    #[wire("0.1.0")]
    V0_1_0,
    /// Send and receive events (MSC2762).
    #[wire("org.matrix.msc2762")]
    Msc2762,
    /// The widget understands toWidget `update_state` (MSC2762).
    #[wire("org.matrix.msc2762_update_state")]
    Msc2762UpdateState,
    /// `notify_capabilities` (MSC2871).
    #[wire("org.matrix.msc2871")]
    Msc2871,
    /// Theme and language changes (MSC2873).
    #[wire("org.matrix.msc2873")]
    Msc2873,
    /// `navigate` (MSC2931).
    #[wire("org.matrix.msc2931")]
    Msc2931,
    /// `request_capabilities` (MSC2974).
    #[wire("org.matrix.msc2974")]
    Msc2974,
    /// Modal widgets (MSC2790). Defined by the MSC, advertised by neither matrix-widget-api
    /// nor Element (wire decision 41), so not in [`ApiVersion::CURRENT`].
    #[wire("org.matrix.msc2790")]
    Msc2790,
    /// `read_events` (MSC2876).
    #[wire("org.matrix.msc2876")]
    Msc2876,
    /// Room creation (MSC3817). No released peer implements the MSC (wire decision 41), so not
    /// in [`ApiVersion::CURRENT`].
    #[wire("org.matrix.msc3817")]
    Msc3817,
    /// To-device messages (MSC3819).
    #[wire("org.matrix.msc3819")]
    Msc3819,
    /// TURN servers (MSC3846).
    #[wire("town.robin.msc3846")]
    Msc3846,
    /// `read_relations` (MSC3869).
    #[wire("org.matrix.msc3869")]
    Msc3869,
    /// User directory search (MSC3973).
    #[wire("org.matrix.msc3973")]
    Msc3973,
    /// Media (MSC4039).
    #[wire("org.matrix.msc4039")]
    Msc4039,
    /// RTC transports (MSC4515).
    #[wire("org.matrix.msc4515")]
    Msc4515,
    /// LiveKit (MSC4533).
    #[wire("org.matrix.msc4533")]
    Msc4533,
    /// Any other version string, kept verbatim.
    #[wire(other)]
    #[doc(hidden)]
    _Custom(CustomName),
}

impl ApiVersion {
    /// The versions a host or widget built on this crate advertises in
    /// `supported_api_versions`: those whose actions the crate types, the same list as
    /// matrix-widget-api 1.19's `CurrentApiVersions`, which leaves out `0.1.0`, a version no
    /// peer implements yet (a test compares it with the list the real library sends).
    ///
    /// ```
    /// use matrix_widget_api::ApiVersion;
    ///
    /// assert!(ApiVersion::CURRENT.contains(&ApiVersion::Msc2762));
    /// assert!(!ApiVersion::CURRENT.contains(&ApiVersion::V0_1_0));
    /// assert_eq!(ApiVersion::CURRENT.len(), 16);
    /// ```
    pub const CURRENT: &'static [ApiVersion] = &[
        ApiVersion::Prerelease1,
        ApiVersion::Prerelease2,
        ApiVersion::Msc2762,
        ApiVersion::Msc2762UpdateState,
        ApiVersion::Msc2871,
        ApiVersion::Msc2873,
        ApiVersion::Msc2931,
        ApiVersion::Msc2974,
        ApiVersion::Msc2876,
        ApiVersion::Msc3819,
        ApiVersion::Msc3846,
        ApiVersion::Msc3869,
        ApiVersion::Msc3973,
        ApiVersion::Msc4039,
        ApiVersion::Msc4515,
        ApiVersion::Msc4533,
    ];
}
