//! `widget-api normalize`: each message with its names in one spelling.
//!
//! A decoded message re-emits the spelling it arrived in, so re-serialising it would change
//! nothing. Instead the names are rewritten in the message's own text: the `action` string,
//! and each capability string of the capability lists (the `capabilities` reply's
//! `response.capabilities`, `notify_capabilities`' `data.requested` and `data.approved`,
//! `request_capabilities`' `data.capabilities`), each parsed, stripped of its spelling and
//! written in the chosen naming. Every other byte is kept, including key order, whitespace
//! and the spelling of anything that is not a name (an `update_delayed_event`'s `refresh`
//! stays `refresh`); unknown names are kept verbatim.

use crate::check::{decode_line, failure_cells};
use crate::input::{Content, Source};
use crate::output::{Output, Record};
use crate::scan::Failure;
use crate::{Fatal, Status};
use matrix_widget_api::naming::Naming;
use matrix_widget_api::naming::{Spelled, WireName as _};
use matrix_widget_api::{ActionName, Api, Capability, Message};
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::value::RawValue;
use std::fmt;
use std::ops::Range;

/// One line of output: the rewritten message, or a failure as in `check`.
#[derive(Debug)]
pub(crate) enum Normalized {
    /// The message, and what was renamed (for `--pretty`).
    Message { line: usize, text: Box<RawValue>, renamed: Renamed },
    /// A line that does not decode.
    Failed(Failure),
}

impl Serialize for Normalized {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Normalized::Message { text, .. } => text.serialize(serializer),
            Normalized::Failed(failure) => failure.serialize(serializer),
        }
    }
}

impl Record for Normalized {
    const COLUMNS: &'static [&'static str] = &["LINE", "OK", "ACTION", "CAPABILITIES RENAMED"];
    fn cells(&self) -> Vec<String> {
        match self {
            Normalized::Message { line, renamed, .. } => {
                let action = match &renamed.action {
                    (from, Some(to)) => format!("{from} → {to}"),
                    (same, None) => same.clone(),
                };
                vec![line.to_string(), "yes".to_owned(), action, renamed.capabilities.to_string()]
            }
            Normalized::Failed(failure) => failure_cells(failure, 4),
        }
    }
}

/// What `normalize` changed in one message.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Renamed {
    /// The action as received, and what it became if it changed.
    action: (String, Option<String>),
    /// How many capability strings were rewritten.
    capabilities: usize,
}

/// Runs `normalize` over `source`.
///
/// No line is lost: a line that does not decode (or cannot be rewritten) is written back
/// unchanged, and reported on standard error as a JSON failure object (`check`'s); a line
/// longer than `--max-line-bytes` is passed through while it is read, without being held
/// in memory; blank lines stay. With `--pretty` the table reports every line instead.
pub(crate) fn run(source: &Source, limit: usize, naming: Naming, out: &mut Output) -> Result<Status, Fatal> {
    let mut lines = source.open(limit)?;
    if !out.is_pretty() {
        lines = lines.keep_blank().pass_overflow_to(Box::new(std::io::stdout()));
    }
    let mut failed = false;
    while let Some(line) = lines.next_line()? {
        if let Content::Complete(bytes) = line.content
            && bytes.iter().all(u8::is_ascii_whitespace)
        {
            out.emit_raw(bytes)?;
            continue;
        }
        let record = match (decode_line(&line, None, limit), &line.content) {
            (Ok(message), Content::Complete(bytes)) => {
                // The message decoded, so its bytes are UTF-8 JSON.
                let text = std::str::from_utf8(bytes).unwrap_or_default().trim();
                match respell(text, &message, naming).and_then(|(text, renamed)| Ok((RawValue::from_string(text)?, renamed))) {
                    Ok((text, renamed)) => Normalized::Message { line: line.number, text, renamed },
                    Err(e) => Normalized::Failed(Failure::new(&line, format!("cannot rewrite the message: {e}"))),
                }
            }
            (Ok(_), Content::TooLong { length, .. }) => Normalized::Failed(Failure::too_long(&line, *length, limit)),
            (Err(failure), _) => Normalized::Failed(failure),
        };
        match &record {
            Normalized::Failed(failure) if !out.is_pretty() => {
                failed = true;
                // Passed through unchanged; a too-long line already was, while it was read.
                if let Content::Complete(bytes) = line.content {
                    out.emit_raw(bytes)?;
                }
                report(failure);
            }
            _ => {
                failed |= matches!(record, Normalized::Failed(_));
                out.emit(&record)?;
            }
        }
        if out.is_closed() {
            break;
        }
    }
    out.finish::<Normalized>()?;
    Ok(Status::from_failed(failed))
}

/// A line passed through unchanged, on standard error: `check`'s failure object.
fn report(failure: &Failure) {
    if let Ok(json) = serde_json::to_string(failure) {
        eprintln!("{json}");
    }
}

/// A replacement of `range` in the text.
struct Edit {
    range: Range<usize>,
    to: String,
}

/// `text` (a message that decoded as `message`) with its names in `naming`, and what
/// changed.
fn respell(text: &str, message: &Message, naming: Naming) -> Result<(String, Renamed), serde_json::Error> {
    let top: Members<'_> = serde_json::from_str(text)?;
    let mut edits = Vec::new();
    let mut renamed = Renamed::default();
    if let Some(action) = top.get("action") {
        let spelled: Spelled<ActionName> = serde_json::from_str(action.get())?;
        let (from, to) = (spelled.as_str().into_owned(), spelled.into_inner().name(naming).into_owned());
        let changed = push_edit(&mut edits, text, action, &from, to)?;
        renamed.action = (from, changed);
    }
    let lists: &[(&str, &str)] = match (message.api(), message.action().value()) {
        (Api::ToWidget, ActionName::Capabilities) => &[("response", "capabilities")],
        (Api::ToWidget, ActionName::NotifyCapabilities) => &[("data", "requested"), ("data", "approved")],
        (Api::FromWidget, ActionName::RequestCapabilities) => &[("data", "capabilities")],
        _ => &[],
    };
    for (object, field) in lists {
        let Some(object) = top.get(object).filter(|raw| raw.get().starts_with('{')) else { continue };
        let members: Members<'_> = serde_json::from_str(object.get())?;
        let Some(list) = members.get(field).filter(|raw| raw.get().starts_with('[')) else { continue };
        let items: Vec<&RawValue> = serde_json::from_str(list.get())?;
        for item in items {
            // Anything but a string is left alone (and did not decode for a typed list).
            let Ok(name) = serde_json::from_str::<String>(item.get()) else { continue };
            let Ok(capability) = Spelled::<Capability>::parse(&name) else { continue };
            if push_edit(&mut edits, text, item, &name, capability.into_inner().name(naming).into_owned())?.is_some() {
                renamed.capabilities += 1;
            }
        }
    }
    edits.sort_by_key(|edit| edit.range.start);
    let mut out = String::with_capacity(text.len() + 16 * edits.len());
    let mut at = 0;
    for edit in &edits {
        out.push_str(text.get(at..edit.range.start).unwrap_or_default());
        out.push_str(&serde_json::to_string(&edit.to)?);
        at = edit.range.end;
    }
    out.push_str(text.get(at..).unwrap_or_default());
    Ok((out, renamed))
}

/// Records that the string `raw` (a slice of `text`) is to become `to`, unless it already is
/// `from`; returns `to` if it is a change.
fn push_edit(edits: &mut Vec<Edit>, text: &str, raw: &RawValue, from: &str, to: String) -> Result<Option<String>, serde_json::Error> {
    if from == to {
        return Ok(None);
    }
    let range = offset_in(text, raw.get()).ok_or_else(|| de::Error::custom("a value is not part of the message's text"))?;
    edits.push(Edit { range, to: to.clone() });
    Ok(Some(to))
}

/// Where `part`, a slice of `text`, lies in it.
fn offset_in(text: &str, part: &str) -> Option<Range<usize>> {
    let start = (part.as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
    let range = start..start.checked_add(part.len())?;
    (text.get(range.clone()) == Some(part)).then_some(range)
}

/// The members of a JSON object, in order, with their values borrowed from the text.
struct Members<'a>(Vec<(String, &'a RawValue)>);

impl<'a> Members<'a> {
    /// The first member named `key`.
    fn get(&self, key: &str) -> Option<&'a RawValue> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
    }
}

impl<'de> Deserialize<'de> for Members<'de> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MembersVisitor;
        impl<'de> Visitor<'de> for MembersVisitor {
            type Value = Members<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members<'de>, A::Error> {
                let mut members = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    members.push((key, map.next_value::<&'de RawValue>()?));
                }
                Ok(Members(members))
            }
        }
        deserializer.deserialize_map(MembersVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use matrix_widget_api::decode;

    fn normalize(text: &str, naming: Naming) -> String {
        let message = decode(text).unwrap();
        let (out, _) = respell(text, &message, naming).unwrap();
        // Still the same message: names compare without their spelling.
        let again = decode(&out).unwrap();
        assert_eq!(again.action(), message.action());
        assert_eq!(again.kind(), message.kind());
        out
    }

    #[test]
    fn actions_are_respelled_in_place() {
        let text = r#"{ "api":"fromWidget","widgetId":"w","requestId":"r","action":"org.matrix.msc4157.update.delayed_event","data":{"delay_id":"d","action":"refresh"} }"#;
        assert_eq!(
            normalize(text, Naming::Stable),
            r#"{ "api":"fromWidget","widgetId":"w","requestId":"r","action":"update_delayed_event","data":{"delay_id":"d","action":"refresh"} }"#
        );
        assert_eq!(
            normalize(text, Naming::Unstable),
            r#"{ "api":"fromWidget","widgetId":"w","requestId":"r","action":"org.matrix.msc4157.update_delayed_event","data":{"delay_id":"d","action":"refresh"} }"#
        );
    }

    #[test]
    fn single_spelling_and_unknown_names_stay() {
        let text = r#"{"api":"fromWidget","widgetId":"w","requestId":"r","action":"io.element.join","data":{}}"#;
        assert_eq!(normalize(text, Naming::Stable), text);
        let text = r#"{"api":"fromWidget","widgetId":"w","requestId":"r","action":"send_event","data":{"type":"m.x","content":{}}}"#;
        assert_eq!(normalize(text, Naming::Unstable), text);
    }

    #[test]
    fn capability_lists_are_respelled() {
        let text = r#"{"api":"toWidget","widgetId":"w","requestId":"c","action":"notify_capabilities","data":{"requested":["m.send.delay_events","org.example.x"],"approved":["org.matrix.msc2762.timeline:*"]}}"#;
        assert_eq!(
            normalize(text, Naming::Stable),
            r#"{"api":"toWidget","widgetId":"w","requestId":"c","action":"notify_capabilities","data":{"requested":["m.send.delayed_event","org.example.x"],"approved":["m.timeline:*"]}}"#
        );
        let text = r#"{"api":"toWidget","widgetId":"w","requestId":"c","action":"capabilities","data":{},"response":{"capabilities":["m.update_delayed_event"]}}"#;
        assert_eq!(
            normalize(text, Naming::Unstable),
            r#"{"api":"toWidget","widgetId":"w","requestId":"c","action":"capabilities","data":{},"response":{"capabilities":["org.matrix.msc4157.update_delayed_event"]}}"#
        );
        let text = r#"{"api":"fromWidget","widgetId":"w","requestId":"c","action":"org.matrix.msc2974.request_capabilities","data":{"capabilities":["org.matrix.msc2762.send.event:m.room.message#m.text", "org.example.custom"]}}"#;
        assert_eq!(
            normalize(text, Naming::Stable),
            r#"{"api":"fromWidget","widgetId":"w","requestId":"c","action":"request_capabilities","data":{"capabilities":["m.send.event:m.room.message#m.text", "org.example.custom"]}}"#
        );
    }

    #[test]
    fn escaped_names_are_rewritten_plainly() {
        let text = r#"{"api":"fromWidget","widgetId":"w","requestId":"r","action":"org.matrix.msc2931.navig\u0061te","data":{"uri":"https://matrix.to/#/x"}}"#;
        assert_eq!(
            normalize(text, Naming::Stable),
            r#"{"api":"fromWidget","widgetId":"w","requestId":"r","action":"navigate","data":{"uri":"https://matrix.to/#/x"}}"#
        );
    }

    #[test]
    fn capability_strings_elsewhere_stay() {
        let text = r#"{"api":"fromWidget","widgetId":"w","requestId":"r","action":"send_event","data":{"type":"m.x","content":{"capabilities":["m.send.delay_events"]}}}"#;
        assert_eq!(normalize(text, Naming::Unstable), text);
    }

    #[test]
    fn offsets_are_only_found_inside_the_text() {
        let text = String::from("abc");
        assert_eq!(offset_in(&text, &text[1..2]), Some(1..2));
        assert_eq!(offset_in(&text, "b"), None);
    }
}
