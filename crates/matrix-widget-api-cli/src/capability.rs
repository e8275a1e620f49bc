//! `widget-api capability`: what a capability string is, and how else it is spelled.

use crate::check::spelling;
use crate::output::{Output, Record, cell};
use crate::{Fatal, Status};
use matrix_widget_api::Capability;
use matrix_widget_api::naming::{Spelled, Spelling, WireName};
use serde::Serialize;

/// `{"input":…,"kind":…,"parts":…,"spelling":…,"stable":…,"unstable":…}`.
#[derive(Debug, Serialize)]
pub(crate) struct Explained {
    /// The capability string as given.
    input: String,
    /// The [`Capability`] variant in snake case (`send_state_event`); `other` for a
    /// capability this crate does not know.
    kind: String,
    /// The parameter of a parameterised capability (`m.send.event:<…>`), `null` otherwise.
    parts: Option<Parts>,
    /// `stable`, `unstable`, `legacy`, or `custom` for an unknown capability.
    spelling: &'static str,
    /// The stable spelling (an unknown capability is given back verbatim).
    stable: String,
    /// The unstable spelling.
    unstable: String,
}

/// What a parameterised capability is about. Each key is absent when it does not apply or
/// when the capability does not restrict it (no `#` means any state key or msgtype).
#[derive(Debug, Default, Serialize)]
pub(crate) struct Parts {
    /// The text after the prefix, as written.
    param: String,
    /// The event type (or to-device or account data type), unescaped.
    #[serde(skip_serializing_if = "Option::is_none")]
    event_type: Option<String>,
    /// The state key of a state-event capability (`#` then the key; `""` after a bare `#`).
    #[serde(skip_serializing_if = "Option::is_none")]
    state_key: Option<String>,
    /// The msgtype of an `m.room.message` event capability.
    #[serde(skip_serializing_if = "Option::is_none")]
    msgtype: Option<String>,
    /// The room of a timeline capability: a room ID or `*`.
    #[serde(skip_serializing_if = "Option::is_none")]
    room: Option<String>,
}

/// The parts of a parameterised capability, from its typed parameter.
fn parts(capability: &Capability) -> Option<Parts> {
    use matrix_widget_api::TimelineTarget;
    let stable = capability.name_in(Spelling::Stable);
    let param = stable.split_once(':').map(|(_, p)| p.to_owned()).unwrap_or_default();
    let parts = match capability {
        Capability::SendEvent(f) | Capability::ReceiveEvent(f) | Capability::ReadEvent(f) => {
            Parts { event_type: Some(f.event_type().to_owned()), msgtype: f.msgtype().map(str::to_owned), ..Parts::default() }
        }
        Capability::SendStateEvent(f) | Capability::ReceiveStateEvent(f) | Capability::ReadStateEvent(f) => {
            Parts { event_type: Some(f.event_type().to_owned()), state_key: f.state_key().map(str::to_owned), ..Parts::default() }
        }
        Capability::Timeline(target) => Parts {
            room: Some(match target {
                TimelineTarget::AnyRoom => "*".to_owned(),
                TimelineTarget::Room(room) => room.clone(),
            }),
            ..Parts::default()
        },
        Capability::SendToDevice(t)
        | Capability::ReceiveToDevice(t)
        | Capability::ReceiveRoomAccountData(t)
        | Capability::SendRoomAccountData(t) => Parts { event_type: Some(t.clone()), ..Parts::default() },
        _ => return None,
    };
    Some(Parts { param, ..parts })
}

/// The variant of a known capability, in snake case, read from the spelling table: the
/// declared name its stable spelling is (or, for a parameterised one, starts with). Prefixes
/// cannot overlap (the derive refuses ambiguous ones), so at most one matches.
fn kind(capability: &Capability) -> Option<String> {
    if matches!(capability, Capability::_Custom(_)) {
        return None;
    }
    let stable = capability.name_in(Spelling::Stable);
    let spec = Capability::NAMES
        .iter()
        .find(|spec| !spec.prefix && spec.stable == stable)
        .or_else(|| Capability::NAMES.iter().find(|spec| spec.prefix && stable.starts_with(spec.stable)))?;
    Some(snake_case(spec.variant))
}

/// `SendStateEvent` → `send_state_event`.
fn snake_case(variant: &str) -> String {
    let mut out = String::with_capacity(variant.len() + 4);
    for (i, c) in variant.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Explains one capability string.
pub(crate) fn explain(input: &str) -> Explained {
    // Capability names are open: every string parses (unknown ones as `Other`).
    let parsed: Option<Spelled<Capability>> = Spelled::parse(input).ok();
    let Some(parsed) = parsed else {
        return Explained {
            input: input.to_owned(),
            kind: "other".to_owned(),
            parts: None,
            spelling: "custom",
            stable: input.to_owned(),
            unstable: input.to_owned(),
        };
    };
    Explained {
        input: input.to_owned(),
        kind: kind(parsed.value()).unwrap_or_else(|| "other".to_owned()),
        parts: parts(parsed.value()),
        spelling: spelling(&parsed),
        stable: parsed.value().name_in(Spelling::Stable).into_owned(),
        unstable: parsed.value().name_in(Spelling::Unstable).into_owned(),
    }
}

impl Record for Explained {
    const COLUMNS: &'static [&'static str] = &["INPUT", "KIND", "SPELLING", "PARTS", "STABLE", "UNSTABLE"];
    fn cells(&self) -> Vec<String> {
        vec![self.input.clone(), self.kind.clone(), self.spelling.to_owned(), cell(&self.parts), self.stable.clone(), self.unstable.clone()]
    }
}

/// Runs `capability` over the given strings. Exit status 1 if one is unknown.
pub(crate) fn run(capabilities: &[String], out: &mut Output) -> Result<Status, Fatal> {
    let mut failed = false;
    for input in capabilities {
        let explained = explain(input);
        failed |= explained.kind == "other";
        out.emit(&explained)?;
    }
    out.finish::<Explained>()?;
    Ok(Status::from_failed(failed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_declared_capability_has_its_own_kind() {
        for spec in Capability::NAMES {
            for spelling in spec.spellings() {
                let input = if spec.prefix { format!("{spelling}x.y#z") } else { spelling.to_owned() };
                let explained = explain(&input);
                assert_eq!(explained.kind, snake_case(spec.variant), "{input}");
                assert_eq!(explained.parts.is_some(), spec.prefix, "{input}");
                assert_ne!(explained.spelling, "custom", "{input}");
            }
        }
    }

    #[test]
    fn unknown_capabilities_are_other_and_custom() {
        let explained = explain("org.example.vendor_cap");
        assert_eq!((explained.kind.as_str(), explained.spelling), ("other", "custom"));
        assert_eq!((explained.stable.as_str(), explained.unstable.as_str()), ("org.example.vendor_cap", "org.example.vendor_cap"));
        assert_eq!(explain("").kind, "other");
    }

    #[test]
    fn snake_case_splits_on_capitals() {
        assert_eq!(snake_case("SendStateEvent"), "send_state_event");
        assert_eq!(snake_case("Screenshot"), "screenshot");
        assert_eq!(snake_case("RtcLivekitGetToken"), "rtc_livekit_get_token");
    }
}
