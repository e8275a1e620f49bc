//! Capabilities: the table of capability strings → parsed structure → printed string
//! (every row of the reference parser's observed behaviour, with the reference's reading
//! next to ours where wire decision 13 departs from it), and property tests that printing
//! and parsing are inverse.

use matrix_widget_api::naming::{NameSpec, Spelled, Spelling, WireName};
use matrix_widget_api::{Capability, FilterError, RoomEventFilter, StateEventFilter, TimelineTarget};
use proptest::prelude::*;

fn room(event_type: &str) -> RoomEventFilter {
    RoomEventFilter::new(event_type).expect("representable")
}

fn state(event_type: &str, key: Option<&str>) -> StateEventFilter {
    StateEventFilter::new(event_type, key.map(str::to_owned)).expect("representable")
}

/// What the reference (`WidgetEventCapability.findEventCapabilities`, matrix-widget-api
/// 1.19) reads from a segment: `(event type, key)`. A port, bugs included, so the table can
/// show both readings; the differential test checks the port against the real code.
pub(crate) fn reference_reading(segment: &str, state_kind: bool) -> (String, Option<String>) {
    let expecting_key = segment.starts_with("m.room.message#") || state_kind;
    if !(segment.contains('#') && expecting_key) {
        return (segment.to_owned(), None);
    }
    let parts: Vec<&str> = segment.split('#').collect();
    // `findIndex` is -1 when every part ends in `\`: `slice(0, 0)` is then empty.
    let idx = parts.iter().position(|p| !p.ends_with('\\'));
    let taken = idx.map_or(0, |i| i + 1);
    let event_type = parts[..taken].iter().map(|p| p.strip_suffix('\\').unwrap_or(p)).collect::<Vec<_>>().join("#");
    (event_type, Some(parts[taken..].join("#")))
}

/// One row: the text after the prefix, the kind, what we parse it to (`None`: not this
/// kind, so `Other`), and what the reference reads when that differs from ours.
struct Row {
    kind: Kind,
    segment: &'static str,
    ours: Option<(&'static str, Option<&'static str>)>,
    reference: Option<(&'static str, Option<&'static str>)>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    SendEvent,
    SendState,
    ReceiveState,
    SendToDevice,
}

impl Kind {
    fn prefix(self) -> &'static str {
        match self {
            Kind::SendEvent => "org.matrix.msc2762.send.event:",
            Kind::SendState => "org.matrix.msc2762.send.state_event:",
            Kind::ReceiveState => "org.matrix.msc2762.receive.state_event:",
            Kind::SendToDevice => "org.matrix.msc3819.send.to_device:",
        }
    }
    fn is_state(self) -> bool {
        matches!(self, Kind::SendState | Kind::ReceiveState)
    }
    fn build(self, event_type: &str, key: Option<&str>) -> Capability {
        match self {
            Kind::SendEvent => Capability::SendEvent(match key {
                Some(msgtype) => {
                    assert_eq!(event_type, "m.room.message");
                    RoomEventFilter::room_message(msgtype)
                }
                None => room(event_type),
            }),
            Kind::SendState => Capability::SendStateEvent(state(event_type, key)),
            Kind::ReceiveState => Capability::ReceiveStateEvent(state(event_type, key)),
            Kind::SendToDevice => {
                assert_eq!(key, None);
                Capability::SendToDevice(event_type.to_owned())
            }
        }
    }
}

const fn row(kind: Kind, segment: &'static str, ours: (&'static str, Option<&'static str>)) -> Row {
    Row { kind, segment, ours: Some(ours), reference: None }
}

/// Every row of the reference parser's observed-behaviour table, and the corners around
/// them.
const TABLE: &[Row] = &[
    row(Kind::SendEvent, "m.room.message", ("m.room.message", None)),
    row(Kind::SendEvent, "m.room.message#", ("m.room.message", Some(""))),
    row(Kind::SendEvent, "m.room.message#m.text", ("m.room.message", Some("m.text"))),
    row(Kind::SendEvent, "m.room.message##m.text", ("m.room.message", Some("#m.text"))),
    row(Kind::SendEvent, r"m.room.message\#", (r"m.room.message\#", None)),
    row(Kind::SendEvent, "org.example#test", ("org.example#test", None)),
    row(Kind::SendEvent, r"org.example\#test", (r"org.example\#test", None)),
    row(Kind::SendEvent, r"m.room.message#a\#b", ("m.room.message", Some(r"a\#b"))),
    row(Kind::SendEvent, "", ("", None)),
    row(Kind::SendState, "m.room.name", ("m.room.name", None)),
    row(Kind::SendState, "m.room.name#", ("m.room.name", Some(""))),
    row(Kind::SendState, "m.room.name##test", ("m.room.name", Some("#test"))),
    row(Kind::SendState, r"org.example.\#test#hello", ("org.example.#test", Some("hello"))),
    row(Kind::SendState, r"org.example.\\#test#hello", (r"org.example.\#test", Some("hello"))),
    row(Kind::SendState, r"a\#b\#c#key", ("a#b#c", Some("key"))),
    // The reference reads key "" here (any key is meant: there is no separator).
    Row { kind: Kind::SendState, segment: r"foo\#bar", ours: Some(("foo#bar", None)), reference: Some(("foo#bar", Some(""))) },
    Row { kind: Kind::SendState, segment: r"foo\#", ours: Some(("foo#", None)), reference: Some(("foo#", Some(""))) },
    // Every part ends in `\`: the reference reads the event type "", we refuse it.
    Row { kind: Kind::SendState, segment: r"foo\#bar\", ours: None, reference: Some(("", Some(r"foo\#bar\"))) },
    // One part, ending in `\`: the reference reads the type `foo\`, we refuse it too.
    Row { kind: Kind::SendState, segment: r"foo\", ours: None, reference: Some((r"foo\", None)) },
    row(Kind::SendState, r"a\b#k", (r"a\b", Some("k"))),
    row(Kind::SendState, r"a#k\", ("a", Some(r"k\"))),
    row(Kind::SendState, "#k", ("", Some("k"))),
    row(Kind::SendState, "", ("", None)),
    row(Kind::SendState, "org.matrix.msc3401.call.member#_@a:b_DEV", ("org.matrix.msc3401.call.member", Some("_@a:b_DEV"))),
    row(Kind::ReceiveState, "m.room.member#@a:b#c", ("m.room.member", Some("@a:b#c"))),
    row(Kind::SendToDevice, "m.call#x", ("m.call#x", None)),
    row(Kind::SendToDevice, r"m.call\#x", (r"m.call\#x", None)),
];

#[test]
fn the_capability_table() {
    for r in TABLE {
        let text = format!("{}{}", r.kind.prefix(), r.segment);
        let parsed = Spelled::<Capability>::parse(&text).expect("open");
        match r.ours {
            Some((event_type, key)) => {
                let expected = r.kind.build(event_type, key);
                assert_eq!(*parsed.value(), expected, "{text}");
                assert_eq!(parsed.spelling(), Some(Spelling::Unstable), "{text}");
                assert_eq!(parsed.to_string(), text, "{text} is re-emitted exactly");
                // Built in code, it prints the same text.
                assert_eq!(expected.to_string(), text, "{text} built in code");
            }
            None => {
                assert!(matches!(parsed.value(), Capability::_Custom(o) if o.as_str() == text), "{text} is Other: {parsed:?}");
                assert_eq!(parsed.to_string(), text);
            }
        }
        // The reference's reading: the same as ours unless the row says otherwise.
        let reference = r.reference.or(r.ours).expect("a reading");
        assert_eq!(
            reference_reading(r.segment, r.kind.is_state()),
            (reference.0.to_owned(), reference.1.map(str::to_owned)),
            "reference reading of {text}"
        );
    }
}

#[test]
fn every_parameterised_kind_in_every_spelling() {
    let cases: Vec<(&str, Capability)> = vec![
        ("m.send.event:m.room.message#m.text", Capability::SendEvent(RoomEventFilter::room_message("m.text"))),
        ("org.matrix.msc2762.send.event:m.reaction", Capability::SendEvent(room("m.reaction"))),
        ("m.receive.event:m.room.message", Capability::ReceiveEvent(room("m.room.message"))),
        ("org.matrix.msc2762.receive.event:m.room.message#m.notice", Capability::ReceiveEvent(RoomEventFilter::room_message("m.notice"))),
        ("m.send.state_event:m.room.topic#", Capability::SendStateEvent(state("m.room.topic", Some("")))),
        ("org.matrix.msc2762.send.state_event:m.room.topic", Capability::SendStateEvent(state("m.room.topic", None))),
        ("m.receive.state_event:m.room.member#@a:b", Capability::ReceiveStateEvent(state("m.room.member", Some("@a:b")))),
        ("org.matrix.msc2762.receive.state_event:m.room.member", Capability::ReceiveStateEvent(state("m.room.member", None))),
        ("m.read.event:m.room.message#m.text", Capability::ReadEvent(RoomEventFilter::room_message("m.text"))),
        ("org.matrix.msc2762.read.event:m.reaction", Capability::ReadEvent(room("m.reaction"))),
        (r"m.read.state_event:a\#b#c", Capability::ReadStateEvent(state("a#b", Some("c")))),
        ("org.matrix.msc2762.read.state_event:m.room.name", Capability::ReadStateEvent(state("m.room.name", None))),
        ("m.timeline:*", Capability::Timeline(TimelineTarget::AnyRoom)),
        ("org.matrix.msc2762.timeline:!r:b", Capability::Timeline(TimelineTarget::Room("!r:b".into()))),
        ("m.timeline:", Capability::Timeline(TimelineTarget::Room(String::new()))),
        ("m.send.to_device:m.call.invite", Capability::SendToDevice("m.call.invite".into())),
        (
            "org.matrix.msc3819.send.to_device:io.element.call.encryption_keys",
            Capability::SendToDevice("io.element.call.encryption_keys".into()),
        ),
        ("m.receive.to_device:m.call#x", Capability::ReceiveToDevice("m.call#x".into())),
        ("org.matrix.msc3819.receive.to_device:m.call.invite", Capability::ReceiveToDevice("m.call.invite".into())),
        ("com.beeper.capabilities.receive.room_account_data:m.fully_read", Capability::ReceiveRoomAccountData("m.fully_read".into())),
    ];
    for (text, expected) in cases {
        let parsed = Spelled::<Capability>::parse(text).expect("open");
        assert_eq!(*parsed.value(), expected, "{text}");
        assert!(parsed.spelling().is_some(), "{text}");
        assert_eq!(parsed.to_string(), text, "{text}");
    }
}

#[test]
fn every_declared_spelling_parses_with_a_parameter() {
    for spec in Capability::NAMES.iter().filter(|s| s.prefix) {
        for spelling in NameSpec::spellings(spec) {
            for param in ["m.x", "m.room.message#m.text", r"a\#b#c", "*", ""] {
                let text = format!("{spelling}{param}");
                let parsed = Spelled::<Capability>::parse(&text).expect("open");
                assert_eq!(format!("{:?}", parsed.value()).split('(').next(), Some(spec.variant), "{text}");
                assert_eq!(parsed.to_string(), text);
            }
        }
    }
}

#[test]
fn unrepresentable_filters_are_refused() {
    assert_eq!(StateEventFilter::any_key(r"a\"), Err(FilterError::TrailingBackslash(r"a\".into())));
    assert_eq!(StateEventFilter::new(r"a\", Some("k".into())), Err(FilterError::TrailingBackslash(r"a\".into())));
    assert_eq!(RoomEventFilter::new("m.room.message#m.text"), Err(FilterError::RoomMessageKey("m.room.message#m.text".into())));
    assert!(RoomEventFilter::new(r"m.room.message\#").is_ok());
    let msg = StateEventFilter::any_key(r"a\").expect_err("refused").to_string();
    assert!(msg.contains("ends in `\\`"), "{msg}");
}

#[test]
fn matching() {
    let any = RoomEventFilter::new("m.room.message").expect("ok");
    assert!(any.matches("m.room.message", None) && any.matches("m.room.message", Some("m.text")));
    let empty = RoomEventFilter::room_message("");
    assert!(empty.matches("m.room.message", Some("")));
    assert!(!empty.matches("m.room.message", None), "`m.room.message#` matches only the msgtype \"\"");
    let other = room("m.reaction");
    assert!(other.matches("m.reaction", Some("whatever")) && !other.matches("m.room.message", None));
    let key = state("m.room.member", Some("@a:b"));
    assert!(key.matches("m.room.member", "@a:b") && !key.matches("m.room.member", "@c:d") && !key.matches("m.room.name", "@a:b"));
    assert!(state("m.room.member", None).matches("m.room.member", "anything"));
    assert!(TimelineTarget::AnyRoom.covers("!x:y") && TimelineTarget::Room("!a:b".into()).covers("!a:b"));
    assert!(!TimelineTarget::Room("!a:b".into()).covers("!c:d"));
}

/// Texts rich in the characters that matter: `#`, `\`, `:`, `*`, and anything else.
fn tricky() -> impl Strategy<Value = String> {
    let ch = prop_oneof![4 => Just('#'), 4 => Just('\\'), 2 => Just(':'), 1 => Just('*'), 4 => proptest::char::range('a', 'c'), 1 => any::<char>()];
    prop_oneof![
        4 => proptest::collection::vec(ch.clone(), 0..10).prop_map(|v| v.into_iter().collect::<String>()),
        1 => proptest::collection::vec(ch, 0..6).prop_map(|v| format!("m.room.message{}", v.into_iter().collect::<String>())),
    ]
}

/// Every prefix spelling of the event-filter variants, with how to build the variant.
fn parameterised_spellings() -> Vec<(&'static str, &'static str)> {
    Capability::NAMES.iter().filter(|s| s.prefix).flat_map(|s| s.spellings().map(move |p| (s.variant, p))).collect()
}

/// The schema's pattern per prefixed variant, built once.
static PATTERNS: std::sync::LazyLock<Vec<(&'static str, schema_pattern::Pattern)>> = std::sync::LazyLock::new(branch_patterns);

fn branch_patterns() -> Vec<(&'static str, schema_pattern::Pattern)> {
    let schema = serde_json::to_value(schemars::schema_for!(Capability)).expect("schema");
    let branches = schema["oneOf"].as_array().expect("oneOf").iter().filter(|b| b.get("pattern").is_some());
    Capability::NAMES
        .iter()
        .filter(|s| s.prefix)
        .zip(branches)
        .map(|(spec, branch)| (spec.variant, schema_pattern::Pattern::new(branch["pattern"].as_str().expect("pattern"))))
        .collect()
}

/// The schema's patterns, checked through the `jsonschema` crate (no regex dependency).
mod schema_pattern {
    pub(crate) struct Pattern(jsonschema::Validator);
    impl Pattern {
        pub(crate) fn new(pattern: &str) -> Self {
            Pattern(jsonschema::draft202012::new(&serde_json::json!({ "type": "string", "pattern": pattern })).expect("valid pattern"))
        }
        pub(crate) fn is_match(&self, text: &str) -> bool {
            self.0.is_valid(&serde_json::Value::from(text))
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// print → parse is the identity on values built in code, in every spelling.
    #[test]
    fn built_filters_print_and_parse_back(event_type in tricky(), key in proptest::option::of(tricky())) {
        let mut built = Vec::new();
        if let Ok(f) = StateEventFilter::new(event_type.clone(), key.clone()) {
            built.extend([Capability::SendStateEvent(f.clone()), Capability::ReceiveStateEvent(f.clone()), Capability::ReadStateEvent(f)]);
        } else {
            prop_assert!(event_type.ends_with('\\'), "only a trailing `\\` is refused: {event_type:?}");
        }
        let room_filter = match &key {
            Some(msgtype) => Ok(RoomEventFilter::room_message(msgtype.clone())),
            None => RoomEventFilter::new(event_type.clone()),
        };
        match room_filter {
            Ok(f) => built.extend([Capability::SendEvent(f.clone()), Capability::ReceiveEvent(f.clone()), Capability::ReadEvent(f)]),
            Err(_) => prop_assert!(event_type.starts_with("m.room.message#")),
        }
        built.extend([
            Capability::SendToDevice(event_type.clone()),
            Capability::ReceiveToDevice(event_type.clone()),
            Capability::ReceiveRoomAccountData(event_type.clone()),
            Capability::Timeline(TimelineTarget::Room(event_type.clone())),
        ]);
        if event_type == "*" {
            built.pop();
            built.push(Capability::Timeline(TimelineTarget::AnyRoom));
        }
        for cap in built {
            for spelling in [Spelling::Stable, Spelling::Unstable] {
                let text = Spelled::new(cap.clone()).with_spelling(spelling).to_string();
                let parsed = Spelled::<Capability>::parse(&text).expect("open");
                prop_assert_eq!(parsed.value(), &cap, "{}", text);
                prop_assert_eq!(parsed.to_string(), text);
            }
        }
    }

    /// parse → print is the identity on every text that parses to a known capability: the
    /// echo in `notify_capabilities.approved` is the widget's exact string. And the schema's
    /// pattern for each prefix accepts exactly the texts that parse to that variant.
    #[test]
    fn parsed_texts_are_reemitted_exactly(segment in tricky()) {
        let patterns = &*PATTERNS;
        for (variant, prefix) in parameterised_spellings() {
            let text = format!("{prefix}{segment}");
            let parsed = Spelled::<Capability>::parse(&text).expect("open");
            prop_assert_eq!(parsed.to_string(), text.clone());
            let is_variant = format!("{:?}", parsed.value()).split('(').next() == Some(variant);
            if !is_variant {
                // Only a state segment whose parts all end in `\` is refused.
                prop_assert!(variant.ends_with("StateEvent"), "{} refused {:?}", variant, text);
                prop_assert!(segment.split('#').all(|p| p.ends_with('\\')), "{:?}", text);
            }
            let (_, pattern) = patterns.iter().find(|(v, _)| *v == variant).expect("a pattern per prefix");
            prop_assert_eq!(pattern.is_match(&text), is_variant, "schema pattern vs parse for {:?}", text);
        }
    }

    /// Where the reference reads a segment without its bugs, we read it the same way.
    #[test]
    fn we_read_like_the_reference_except_its_bugs(segment in tricky()) {
        let reference = reference_reading(&segment, true);
        let ours = <StateEventFilter as matrix_widget_api::naming::NameParam>::parse_param(&segment);
        let all_escaped = segment.split('#').all(|p| p.ends_with('\\'));
        // Every `#` escaped and no separator: the reference's key is "", ours is "any key".
        let escaped_no_separator = segment.contains('#') && ours.as_ref().is_some_and(|o| o.state_key().is_none());
        match ours {
            None => prop_assert!(all_escaped),
            Some(o) if escaped_no_separator => {
                prop_assert_eq!(o.event_type(), reference.0.as_str());
                prop_assert_eq!(reference.1.as_deref(), Some(""));
            }
            Some(o) => prop_assert_eq!((o.event_type().to_owned(), o.state_key().map(str::to_owned)), reference),
        }
        let room_reference = reference_reading(&segment, false);
        let Some(room_ours) = <RoomEventFilter as matrix_widget_api::naming::NameParam>::parse_param(&segment) else {
            return Err(TestCaseError::fail("room event segments always parse"));
        };
        prop_assert_eq!((room_ours.event_type().to_owned(), room_ours.msgtype().map(str::to_owned)), room_reference);
    }
}

#[test]
fn an_unknown_capability_is_kept() {
    for text in ["org.example.cap", "m.capbility.screenshot", r"m.send.state_event:x\", "org.matrix.msc2762.timeline"] {
        let parsed = Spelled::<Capability>::parse(text).expect("open");
        assert!(matches!(parsed.value(), Capability::_Custom(_)), "{text}");
        assert_eq!(parsed.to_string(), text);
    }
}

#[test]
fn spellings_are_equivalent_for_parameterised_capabilities() {
    let a = Spelled::<Capability>::parse(r"m.send.state_event:a\#b#k").expect("parses");
    let b = Spelled::<Capability>::parse(r"org.matrix.msc2762.send.state_event:a\#b#k").expect("parses");
    assert_eq!(a, b);
    assert_eq!(a.spelling(), Some(Spelling::Stable));
    assert_eq!(b.spelling(), Some(Spelling::Unstable));
    assert_ne!(a.to_string(), b.to_string());
}
