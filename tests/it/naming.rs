//! Names with several spellings: parsing every spelling, re-emitting the one that arrived,
//! and emitting the caller's choice for values built in code.

use matrix_widget_api::from_widget::update_delayed_event::UpdateAction;
use matrix_widget_api::naming::{NameSpec, Naming, Spelled, Spelling, WireName, to_string_with, with_naming};
use matrix_widget_api::{ActionName, Api, ApiVersion, Capability};
use matrix_widget_api::{RoomEventFilter, StateEventFilter, TimelineTarget};
use std::collections::HashSet;

/// The lsp-types table test, over every declared spelling of every name type: it parses to
/// the declared variant and is re-emitted exactly.
fn table_round_trips<T: WireName + std::fmt::Debug + serde::Serialize + serde::de::DeserializeOwned>() {
    let mut seen = HashSet::new();
    for spec in T::NAMES {
        for spelling in NameSpec::spellings(spec) {
            assert!(seen.insert(spelling), "{spelling} declared twice");
            let json = serde_json::to_string(spelling).expect("string");
            let parsed: Spelled<T> = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{spelling}: {e}"));
            if spec.prefix {
                // A parameterised name needs its parameter.
                continue;
            }
            assert_eq!(format!("{:?}", parsed.value()).split('(').next(), Some(spec.variant), "{spelling}");
            assert_eq!(serde_json::to_string(&parsed).expect("serialises"), json, "{spelling} was not re-emitted as it came");
        }
    }
}

#[test]
fn every_declared_spelling_round_trips() {
    table_round_trips::<ActionName>();
    table_round_trips::<Capability>();
    table_round_trips::<ApiVersion>();
    table_round_trips::<UpdateAction>();
    table_round_trips::<Api>();
}

#[test]
fn name_table_counts() {
    // 25 fromWidget + 15 toWidget actions, 4 names shared by both directions.
    assert_eq!(ActionName::NAMES.len(), 36);
    assert!(Capability::NAMES.len() >= 25);
}

#[test]
fn msc4157_action_spellings() {
    for (text, spelling) in [
        ("update_delayed_event", Spelling::Stable),
        ("org.matrix.msc4157.update_delayed_event", Spelling::Unstable),
        ("org.matrix.msc4157.update.delayed_event", Spelling::Legacy("org.matrix.msc4157.update.delayed_event")),
    ] {
        let parsed = Spelled::<ActionName>::parse(text).expect(text);
        assert_eq!(parsed, ActionName::UpdateDelayedEvent);
        assert_eq!(parsed.spelling(), Some(spelling));
        assert_eq!(parsed.as_str(), text);
        // The call's naming does not override a parsed spelling.
        assert_eq!(to_string_with(&parsed, Naming::Stable).expect("serialises"), format!("\"{text}\""));
    }
}

#[test]
fn msc4157_capability_spellings() {
    let cases = [
        ("m.send.delayed_event", Capability::SendDelayedEvent, Spelling::Stable),
        ("org.matrix.msc4157.send.delayed_event", Capability::SendDelayedEvent, Spelling::Unstable),
        ("m.send.delay_events", Capability::SendDelayedEvent, Spelling::Legacy("m.send.delay_events")),
        ("m.update_delayed_event", Capability::UpdateDelayedEvent, Spelling::Stable),
        ("org.matrix.msc4157.update_delayed_event", Capability::UpdateDelayedEvent, Spelling::Unstable),
        (
            "org.matrix.msc4157.update.delayed_event",
            Capability::UpdateDelayedEvent,
            Spelling::Legacy("org.matrix.msc4157.update.delayed_event"),
        ),
    ];
    for (text, capability, spelling) in cases {
        let parsed = Spelled::<Capability>::parse(text).expect(text);
        assert_eq!(parsed, capability, "{text}");
        assert_eq!(parsed.spelling(), Some(spelling), "{text}");
        assert_eq!(parsed.to_string(), text);
    }
}

#[test]
fn built_values_emit_unstable_by_default_and_stable_on_request() {
    let cap = Capability::SendDelayedEvent;
    assert_eq!(serde_json::to_string(&cap).expect("ok"), "\"org.matrix.msc4157.send.delayed_event\"");
    assert_eq!(cap.to_string(), "org.matrix.msc4157.send.delayed_event");
    // Per serialisation call.
    assert_eq!(to_string_with(&cap, Naming::Stable).expect("ok"), "\"m.send.delayed_event\"");
    assert_eq!(with_naming(Naming::Stable, || cap.to_string()), "m.send.delayed_event");
    // The naming is restored afterwards.
    assert_eq!(cap.to_string(), "org.matrix.msc4157.send.delayed_event");
    // Per value.
    let stable = Spelled::new(Capability::UpdateDelayedEvent).with_spelling(Spelling::Stable);
    assert_eq!(serde_json::to_string(&stable).expect("ok"), "\"m.update_delayed_event\"");
    assert_eq!(to_string_with(&stable, Naming::Unstable).expect("ok"), "\"m.update_delayed_event\"");
    let follows = Spelled::new(Capability::UpdateDelayedEvent);
    assert_eq!(to_string_with(&follows, Naming::Stable).expect("ok"), "\"m.update_delayed_event\"");
    assert_eq!(serde_json::to_string(&follows).expect("ok"), "\"org.matrix.msc4157.update_delayed_event\"");
    // A name with one spelling is the same either way.
    assert_eq!(to_string_with(&ActionName::SendEvent, Naming::Stable).expect("ok"), "\"send_event\"");
}

#[test]
fn spelling_never_affects_equality_or_hash() {
    let a = Spelled::<Capability>::parse("m.send.delayed_event").expect("parses");
    let b = Spelled::<Capability>::parse("m.send.delay_events").expect("parses");
    assert_eq!(a, b);
    let set: HashSet<_> = [a, b, Spelled::new(Capability::SendDelayedEvent)].into_iter().collect();
    assert_eq!(set.len(), 1);
}

#[test]
fn parameterised_capabilities() {
    let stable = "m.send.state_event:org.matrix.msc3401.call.member#_@a:b_DEV";
    let unstable = "org.matrix.msc2762.send.state_event:org.matrix.msc3401.call.member#_@a:b_DEV";
    let a = Spelled::<Capability>::parse(stable).expect("parses");
    let b = Spelled::<Capability>::parse(unstable).expect("parses");
    let filter = StateEventFilter::new("org.matrix.msc3401.call.member", Some("_@a:b_DEV".into())).expect("representable");
    assert_eq!(*a.value(), Capability::SendStateEvent(filter));
    assert_eq!(a, b);
    assert_eq!(a.to_string(), stable);
    assert_eq!(b.to_string(), unstable);
    let built = Capability::Timeline(TimelineTarget::AnyRoom);
    assert_eq!(built.to_string(), "org.matrix.msc2762.timeline:*");
    assert_eq!(built.name(Naming::Stable), "m.timeline:*");
    // The empty parameter is a parameter.
    assert_eq!("m.send.event:".parse::<Capability>().expect("parses"), Capability::SendEvent(RoomEventFilter::new("").expect("ok")));
}

#[test]
fn unknown_names_are_kept_verbatim() {
    for text in ["org.example.vendor_cap", "m.capbility.screenshot", "M.SEND.DELAYED_EVENT", ""] {
        let cap = Spelled::<Capability>::parse(text).expect("open enum accepts anything");
        assert!(matches!(cap.value(), Capability::_Custom(name) if name.as_str() == text));
        assert_eq!(cap.spelling(), None);
        assert_eq!(to_string_with(&cap, Naming::Stable).expect("ok"), serde_json::to_string(text).expect("ok"));
    }
    let action: ActionName = "io.element.join".parse().expect("open");
    assert!(matches!(&action, ActionName::_Custom(name) if name.as_str() == "io.element.join"));
    assert_eq!(serde_json::to_string(&action).expect("ok"), "\"io.element.join\"");
}

#[test]
fn closed_name_types_reject_unknown_strings_with_the_alternatives() {
    let err = "pause".parse::<UpdateAction>().expect_err("closed");
    assert_eq!(
        err.to_string(),
        "unknown delayed event update action \"pause\", expected one of \"cancel\", \"restart\", \"refresh\", \"send\""
    );
    let err = serde_json::from_str::<Api>("\"FromWidget\"").expect_err("closed, case-sensitive").to_string();
    assert!(err.contains("unknown api direction \"FromWidget\""), "{err}");
    let err = serde_json::from_str::<Spelled<Capability>>("42").expect_err("not a string").to_string();
    assert!(err.contains("expected a capability name (a string)"), "{err}");
}

#[test]
fn refresh_is_an_alias_of_restart() {
    let parsed = Spelled::<UpdateAction>::parse("refresh").expect("alias");
    assert_eq!(parsed, UpdateAction::Restart);
    assert_eq!(parsed.as_str(), "refresh", "a parsed value re-emits its spelling");
    assert_eq!(UpdateAction::Restart.to_string(), "restart", "built values emit restart (wire decision 1)");
    assert_eq!(UpdateAction::Restart.name(Naming::Stable), "restart");
}

#[test]
fn escaped_and_borrowed_strings_parse_alike() {
    // serde_json hands over escaped strings as transient, unescaped ones as borrowed.
    let escaped: Spelled<Capability> = serde_json::from_str(r#""m.send.delayed\u005fevent""#).expect("parses");
    assert_eq!(escaped, Capability::SendDelayedEvent);
    assert_eq!(escaped.spelling(), Some(Spelling::Stable));
    let from_reader: Spelled<Capability> = serde_json::from_reader(&b"\"m.send.delayed_event\""[..]).expect("parses");
    assert_eq!(from_reader, escaped);
}

/// The lsp-types marker table test: every typed action's marker names its own action, and
/// every spelling of that action decodes to the typed variant, not to `Other`.
#[test]
fn every_typed_marker_is_reached_by_every_spelling() {
    use matrix_widget_api::{FromWidgetRequest, ToWidgetRequest};
    use matrix_widget_api::{Message, decode};
    let directions = [("fromWidget", FromWidgetRequest::typed_actions()), ("toWidget", ToWidgetRequest::typed_actions())];
    let mut checked = 0;
    for (api, actions) in directions {
        for action in actions {
            let spec = ActionName::NAMES.iter().find(|s| s.stable == action.name(Naming::Stable)).expect("declared");
            for spelling in NameSpec::spellings(spec) {
                // `{}` is not valid data for most actions; the point is which variant is tried.
                let text = format!(r#"{{"api":"{api}","widgetId":"w","requestId":"r","action":"{spelling}","data":{{}}}}"#);
                let typed = match decode(&text) {
                    Ok(Message::FromWidgetRequest(FromWidgetRequest::Other(_)))
                    | Ok(Message::ToWidgetRequest(ToWidgetRequest::Other(_))) => false,
                    Ok(_) => true,
                    // Rejected by the typed payload: it was the typed variant that was tried.
                    Err(e) => e.to_string().contains("is missing"),
                };
                assert!(typed, "{api} {spelling} did not reach its typed payload");
                checked += 1;
            }
        }
    }
    assert!(checked >= 6, "{checked}");
}

/// `#[wire_docs]` adds a "Wire: …" paragraph to each variant's rustdoc; the tables' own docs
/// (the schema descriptions) stay without it, and keep the prose.
#[test]
fn spelling_paragraphs_stay_out_of_the_tables() {
    fn docs<T: WireName>() -> Vec<&'static str> {
        T::NAMES.iter().map(|n| n.doc).collect()
    }
    for doc in [docs::<ActionName>(), docs::<Capability>(), docs::<ApiVersion>(), docs::<UpdateAction>(), docs::<Api>()].concat() {
        assert!(!doc.contains("Wire:"), "{doc:?}");
    }
    let delayed = Capability::NAMES.iter().find(|n| n.variant == "SendDelayedEvent").expect("declared");
    assert!(delayed.doc.starts_with("Send events with a `delay` (MSC4157)."), "{:?}", delayed.doc);
}

/// The catch-alls are only reachable by parsing unknown text: every declared spelling of every
/// open name type parses to its own variant, never to `Other`, so lookups keyed on the enum
/// cannot miss a known name.
#[test]
fn a_known_string_never_becomes_other() {
    fn check<T: WireName + std::fmt::Debug>(is_other: impl Fn(&T) -> bool) -> usize {
        let mut n = 0;
        for spec in T::NAMES {
            for spelling in spec.spellings() {
                // A prefix needs a parameter; `x` is valid for every parameter type.
                let text = if spec.prefix { format!("{spelling}x") } else { spelling.to_owned() };
                let (value, parsed) = T::parse_name(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
                assert!(!is_other(&value), "{text} parsed to the catch-all: {value:?}");
                assert!(parsed.is_some(), "{text} has no spelling");
                n += 1;
            }
        }
        n
    }
    let n = check::<ActionName>(|a| matches!(a, ActionName::_Custom(_)))
        + check::<Capability>(|c| matches!(c, Capability::_Custom(_)))
        + check::<matrix_widget_api::ApiVersion>(|v| matches!(v, matrix_widget_api::ApiVersion::_Custom(_)));
    assert!(n > 100, "{n}");
    // And an unknown one does.
    assert!(matches!("org.example.x".parse::<ActionName>(), Ok(ActionName::_Custom(_))));
}
