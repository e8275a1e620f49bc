//! What the derives must accept, as ordinary tests (the compile-fail cases are the `ui`
//! target): every valid form of `#[derive(WireName)]` and `#[derive(Payload)]`, and
//! `#[wire_docs]` above and below `#[derive(WireName)]`.

/// Every valid form of `#[derive(WireName)]` and `#[derive(Payload)]`.
mod all_forms {
    use matrix_widget_api::naming::{CustomName, Naming, Spelled, Spelling, WireName, to_string_with};
    use matrix_widget_api::payload::{Extra, Payload};

    #[derive(Clone, Debug, PartialEq, Eq, WireName)]
    #[wire(what = "test name")]
    enum Name {
        /// One spelling.
        #[wire("m.sticker")]
        Sticker,
        /// Stable, unstable and legacy spellings.
        #[wire(stable = "m.send.delayed_event", unstable = "org.matrix.msc4157.send.delayed_event", legacy = "m.send.delay_events")]
        SendDelayedEvent,
        /// Only an unstable spelling.
        #[wire(unstable = "org.matrix.msc4533.rtc")]
        Rtc,
        /// One spelling plus a legacy alias.
        #[wire("restart", legacy = "refresh")]
        Restart,
        /// A parameterised name.
        #[wire(stable = "m.send.event:", unstable = "org.matrix.msc2762.send.event:", prefix)]
        SendEvent(String),
        /// Every other string.
        #[wire(other)]
        Other(CustomName),
    }

    #[derive(Clone, Copy, Debug, PartialEq, Eq, WireName)]
    enum Closed {
        #[wire("cancel")]
        Cancel,
    }

    /// No names at all: nothing parses.
    #[derive(Debug, WireName)]
    enum Never {}

    #[derive(Clone, Debug, PartialEq, Eq, Payload)]
    struct Data {
        /// A required field.
        delay_id: String,
        /// A renamed field.
        #[wire(rename = "type")]
        kind: String,
        /// Absent or `null` reads as `None`; `None` is not written.
        delay: Option<u64>,
        /// Absent reads as `0`.
        #[wire(default)]
        count: u32,
        /// A name, kept in the spelling it arrived in.
        action: Spelled<Name>,
        /// Unknown keys.
        #[wire(extra)]
        extra: Extra,
    }

    #[test]
    fn every_valid_form_works() {
        // Parse each spelling, and re-emit it as it arrived.
        for (input, spelling) in [
            ("m.send.delayed_event", Some(Spelling::Stable)),
            ("org.matrix.msc4157.send.delayed_event", Some(Spelling::Unstable)),
            ("m.send.delay_events", Some(Spelling::Legacy("m.send.delay_events"))),
        ] {
            let parsed = Spelled::<Name>::parse(input).unwrap();
            assert_eq!(*parsed.value(), Name::SendDelayedEvent);
            assert_eq!(parsed.spelling(), spelling);
            assert_eq!(parsed.as_str(), input);
            assert_eq!(serde_json::to_string(&parsed).unwrap(), format!("\"{input}\""));
        }
        // Built in code: the call's naming (unstable by default).
        assert_eq!(Name::SendDelayedEvent.to_string(), "org.matrix.msc4157.send.delayed_event");
        assert_eq!(Name::SendDelayedEvent.name(Naming::Stable), "m.send.delayed_event");
        assert_eq!(to_string_with(&Name::SendDelayedEvent, Naming::Stable).unwrap(), "\"m.send.delayed_event\"");
        assert_eq!("m.sticker".parse::<Name>().unwrap(), Name::Sticker);
        assert_eq!(Name::Sticker.name(Naming::Stable), "m.sticker");
        assert_eq!("org.matrix.msc4533.rtc".parse::<Name>().unwrap(), Name::Rtc);
        assert_eq!(Name::Rtc.name(Naming::Stable), "org.matrix.msc4533.rtc");
        let refresh = Spelled::<Name>::parse("refresh").unwrap();
        assert_eq!((refresh.value(), refresh.as_str().as_ref()), (&Name::Restart, "refresh"));
        assert_eq!(Name::Restart.to_string(), "restart");
        // Prefix: the rest is the parameter, in either spelling.
        let send = "m.send.event:m.room.message".parse::<Name>().unwrap();
        assert_eq!(send, Name::SendEvent("m.room.message".to_owned()));
        assert_eq!(send.name(Naming::Unstable), "org.matrix.msc2762.send.event:m.room.message");
        // The catch-all keeps the string verbatim.
        let other = "com.example.thing".parse::<Name>().unwrap();
        assert!(matches!(&other, Name::Other(name) if name.as_str() == "com.example.thing"));
        assert_eq!(other.to_string(), "com.example.thing");
        // Without a catch-all, unknown names are errors that say what was expected.
        assert_eq!(Closed::WHAT, "name");
        assert_eq!((Closed::OPEN, Name::OPEN), (false, true));
        assert_eq!(Name::WHAT, "test name");
        let err = "stop".parse::<Closed>().unwrap_err().to_string();
        assert_eq!(err, "unknown name \"stop\", expected one of \"cancel\"");
        assert!("cancel".parse::<Never>().is_err() && Never::NAMES.is_empty());

        // Payload: rename, Option, default, a spelled name, and unknown keys kept in order.
        let json = r#"{"delay_id":"d1","type":"m.room.message","delay":null,"action":"m.send.delay_events","x":[1, 2],"y":{}}"#;
        let data: Data = serde_json::from_str(json).unwrap();
        assert_eq!(data.delay_id, "d1");
        assert_eq!(data.kind, "m.room.message");
        assert_eq!((data.delay, data.count), (None, 0));
        assert_eq!(*data.action.value(), Name::SendDelayedEvent);
        assert_eq!(data.extra.len(), 2);
        assert_eq!(data.extra.get("x").unwrap().get(), "[1, 2]");
        assert_eq!(
            serde_json::to_string(&data).unwrap(),
            r#"{"delay_id":"d1","type":"m.room.message","count":0,"action":"m.send.delay_events","x":[1, 2],"y":{}}"#
        );
        let data = Data { delay: Some(5), count: 3, extra: Extra::new(), ..data };
        assert_eq!(
            serde_json::to_value(&data).unwrap(),
            serde_json::json!({"delay_id": "d1", "type": "m.room.message", "delay": 5, "count": 3, "action": "m.send.delay_events"})
        );
        // Without `extra`, unknown keys are rejected; a missing required key is an error.
        assert!(serde_json::from_str::<Data>(r#"{"type":"t","action":"m.sticker"}"#).is_err());
    }
}

/// `#[wire_docs]` above `#[derive(WireName)]`: the enum works as before, and the spelling
/// paragraph it adds to the rustdoc stays out of `NameSpec::doc` (the schema descriptions).
mod wire_docs {
    use matrix_widget_api::naming::{CustomName, WireName, wire_docs};

    /// A capability-like name type.
    #[wire_docs]
    #[derive(Debug, PartialEq, WireName)]
    #[wire(what = "test name")]
    enum Name {
        /// Send delayed events.
        ///
        /// Two paragraphs.
        #[wire(stable = "m.send.delayed_event", unstable = "org.matrix.msc4157.send.delayed_event", legacy = "m.send.delay_events")]
        SendDelayedEvent,
        #[wire("restart", legacy = "refresh")]
        Restart,
        /// Send events of a type.
        #[wire(stable = "m.send.event:", unstable = "org.matrix.msc2762.send.event:", prefix)]
        SendEvent(String),
        /// Anything else.
        #[wire(other)]
        Other(CustomName),
    }

    /// By its full path, on a closed enum.
    #[matrix_widget_api::naming::wire_docs]
    #[derive(Debug, PartialEq, WireName)]
    enum Closed {
        /// Cancel.
        #[wire("cancel")]
        Cancel,
    }

    /// Below the derive works too.
    #[derive(Debug, PartialEq, WireName)]
    #[wire_docs]
    enum After {
        /// Send.
        #[wire("send")]
        Send,
    }

    #[test]
    fn wire_docs_keeps_the_enum_and_its_docs() {
        assert_eq!(After::NAMES[0].doc, "Send.");
        assert_eq!("send".parse::<After>().unwrap(), After::Send);
        let docs: Vec<&str> = Name::NAMES.iter().map(|n| n.doc).collect();
        assert_eq!(docs, ["Send delayed events.\n\nTwo paragraphs.", "", "Send events of a type."]);
        assert_eq!(Closed::NAMES[0].doc, "Cancel.");
        assert_eq!("m.send.delay_events".parse::<Name>().unwrap(), Name::SendDelayedEvent);
        assert_eq!("refresh".parse::<Name>().unwrap(), Name::Restart);
        assert_eq!("cancel".parse::<Closed>().unwrap(), Closed::Cancel);
    }
}
