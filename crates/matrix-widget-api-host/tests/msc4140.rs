//! The MSC4140 mapping, from the outside: era detection.

// Tests fail by panicking.
#![allow(clippy::panic, clippy::unwrap_used)]

use matrix_widget_api_host::msc4140::{Limits, Support, Surface, detect};

// ---------------------------------------------------------------------------------------
// Era detection
// ---------------------------------------------------------------------------------------

#[test]
fn era_detection_table() {
    let with_cap = r#"{"capabilities":{"org.matrix.msc4140.delayed_events":{"max_delay_ms":86400000,"max_scheduled":10}}}"#;
    let with_stable_cap = r#"{"capabilities":{"m.delayed_events":{}}}"#;
    let other_caps = r#"{"capabilities":{"m.change_password":{"enabled":true}}}"#;
    let disabled_delay = r#"{"capabilities":{"m.delayed_events":{"max_delay_ms":0}}}"#;
    let disabled_count = r#"{"capabilities":{"org.matrix.msc4140.delayed_events":{"max_scheduled":0}}}"#;
    let caps_error = r#"{"errcode":"M_UNRECOGNIZED","error":"Unrecognized request"}"#;
    let unstable = r#"{"versions":["v1.11"],"unstable_features":{"org.matrix.msc4140":true}}"#;
    let stable = r#"{"versions":["v1.11"],"unstable_features":{"org.matrix.msc4140.stable":true}}"#;
    let both = r#"{"versions":["v1.11"],"unstable_features":{"org.matrix.msc4140":true,"org.matrix.msc4140.stable":true}}"#;
    let supported = Support::Supported;
    let table: &[(&str, Option<&str>, Support)] = &[
        // The flag alone: what servers in the field send.
        (unstable, None, supported(Surface::DEPLOYED)),
        (unstable, Some(other_caps), supported(Surface::DEPLOYED)),
        (unstable, Some(caps_error), supported(Surface::DEPLOYED)),
        (
            r#"{"versions":[],"unstable_features":{"org.matrix.msc4140":true,"org.matrix.msc4354":true}}"#,
            None,
            supported(Surface::DEPLOYED),
        ),
        // With the latest text's capability: its dedicated endpoint.
        (unstable, Some(with_cap), supported(Surface::LATEST_UNSTABLE)),
        (unstable, Some(with_stable_cap), supported(Surface::LATEST_UNSTABLE)),
        // The stable flag wins, with or without the capability.
        (stable, None, supported(Surface::STABLE)),
        (stable, Some(with_cap), supported(Surface::STABLE)),
        (both, None, supported(Surface::STABLE)),
        // Unsupported: no flag, a false flag, a flag that is not `true`, the capability alone.
        (r#"{"versions":["v1.11"]}"#, None, Support::Unsupported),
        (r#"{"versions":["v1.11"],"unstable_features":{}}"#, None, Support::Unsupported),
        (r#"{"versions":["v1.11"],"unstable_features":{"org.matrix.msc4140":false}}"#, None, Support::Unsupported),
        (r#"{"versions":["v1.11"],"unstable_features":{"org.matrix.msc4140":"true"}}"#, None, Support::Unsupported),
        (r#"{"versions":["v1.11"],"unstable_features":{"org.matrix.msc4140":1}}"#, None, Support::Unsupported),
        (r#"{"versions":["v1.11"],"unstable_features":{"org.matrix.msc4140.stable":null}}"#, None, Support::Unsupported),
        (
            r#"{"versions":["v1.11"],"unstable_features":{"org.matrix.msc4157":true,"org.matrix.msc4140.delay":true}}"#,
            None,
            Support::Unsupported,
        ),
        (r#"{"versions":["v1.11"],"unstable_features":["org.matrix.msc4140"]}"#, None, Support::Unsupported),
        (r#"{"versions":["v1.11"]}"#, Some(with_cap), Support::Unsupported),
        (r#"{}"#, None, Support::Unsupported),
        // No specification version includes MSC4140 yet.
        (r#"{"versions":["r0.6.1","v1.1","v1.11","v1.17","v1.99","v2.0"]}"#, None, Support::Unsupported),
        // Advertised but disabled.
        (unstable, Some(disabled_delay), Support::Unsupported),
        (unstable, Some(disabled_count), Support::Unsupported),
        (stable, Some(disabled_delay), Support::Unsupported),
    ];
    for (versions, capabilities, expected) in table {
        let got = detect(versions.as_bytes(), capabilities.map(str::as_bytes)).unwrap();
        assert_eq!(got, *expected, "versions {versions}, capabilities {capabilities:?}");
        assert_eq!(got.is_supported(), got.surface().is_some());
    }
}

#[test]
fn detection_refuses_bodies_that_are_not_json_objects() {
    let unstable = br#"{"unstable_features":{"org.matrix.msc4140":true}}"#;
    for bad in [&b"<html>502</html>"[..], b"", b"[]", b"null", br#"{"versions":"#] {
        assert!(detect(bad, None).is_err(), "{}", String::from_utf8_lossy(bad));
        assert!(detect(unstable, Some(bad)).is_err(), "{}", String::from_utf8_lossy(bad));
    }
    let error = detect(b"nope", None).unwrap_err();
    assert!(error.to_string().contains("/versions"), "{error}");
}

#[test]
fn limits_from_capabilities() {
    let limits = |body: &str| Limits::from_capabilities(body.as_bytes()).unwrap();
    let both = limits(
        r#"{"capabilities":{"m.delayed_events":{"max_delay_ms":1000},"org.matrix.msc4140.delayed_events":{"max_delay_ms":2000,"max_scheduled":5}}}"#,
    );
    assert_eq!((both.max_delay_ms, both.max_scheduled, both.advertised()), (Some(1000), None, true));
    let unstable = limits(r#"{"capabilities":{"org.matrix.msc4140.delayed_events":{"max_delay_ms":2000,"max_scheduled":5}}}"#);
    assert_eq!((unstable.max_delay_ms, unstable.max_scheduled), (Some(2000), Some(5)));
    let mistyped = limits(r#"{"capabilities":{"m.delayed_events":{"max_delay_ms":"1000","max_scheduled":-1}}}"#);
    assert_eq!((mistyped.max_delay_ms, mistyped.max_scheduled, mistyped.advertised()), (None, None, true));
    assert_eq!(limits(r#"{"capabilities":{}}"#), Limits::UNKNOWN);
    assert!(!Limits::UNKNOWN.disabled());
    assert!(Limits::new(Some(0), None).disabled());
}
