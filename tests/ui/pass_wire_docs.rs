//! `#[wire_docs]` above `#[derive(WireName)]`: the enum works as before, and the spelling
//! paragraph it adds to the rustdoc stays out of `NameSpec::doc` (the schema descriptions).

use matrix_widget_api::naming::{CustomName, WireName, wire_docs};

/// A capability-like name type.
#[wire_docs]
#[derive(Debug, PartialEq, WireName)]
#[wire(what = "test name")]
#[allow(dead_code)]
enum Name {
    /// Send delayed events.
    ///
    /// Two paragraphs.
    #[wire(
        stable = "m.send.delayed_event",
        unstable = "org.matrix.msc4157.send.delayed_event",
        legacy = "m.send.delay_events"
    )]
    SendDelayedEvent,
    #[wire("restart", legacy = "refresh")]
    Restart,
    /// Send events of a type.
    #[wire(
        stable = "m.send.event:",
        unstable = "org.matrix.msc2762.send.event:",
        prefix
    )]
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

fn main() {
    assert_eq!(After::NAMES[0].doc, "Send.");
    assert_eq!("send".parse::<After>().unwrap(), After::Send);
    let docs: Vec<&str> = Name::NAMES.iter().map(|n| n.doc).collect();
    assert_eq!(
        docs,
        [
            "Send delayed events.\n\nTwo paragraphs.",
            "",
            "Send events of a type."
        ]
    );
    assert_eq!(Closed::NAMES[0].doc, "Cancel.");
    assert_eq!(
        "m.send.delay_events".parse::<Name>().unwrap(),
        Name::SendDelayedEvent
    );
    assert_eq!("refresh".parse::<Name>().unwrap(), Name::Restart);
    assert_eq!("cancel".parse::<Closed>().unwrap(), Closed::Cancel);
}
