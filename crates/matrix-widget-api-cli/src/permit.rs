//! `widget-api permit`: decide each fromWidget request against the approved capabilities.
//!
//! Each request is decided by the host crate's permission engine
//! ([`matrix_widget_api_host::permission::Permissions`]), built once from CAPS.json; this
//! module only reads the trace and prints the verdicts.

use crate::check::decode_line;
use crate::input::Source;
use crate::output::{Output, Record};
use crate::{Fatal, Status};
use matrix_widget_api::naming::Spelled;
use matrix_widget_api::{Capability, FromWidgetRequest, Message};
use matrix_widget_api_host::permission::{Context, Permissions};
use serde::Serialize;
use std::path::Path;

/// The permission engine for one run, and the room the widget is in.
#[derive(Debug)]
pub(crate) struct EngineInputs {
    /// Built once from the approved capabilities.
    permissions: Permissions,
    /// The room the widget is in: the target of requests without `room_id`.
    room: Option<String>,
}

/// Builds the engine from the approved capabilities and the widget's room.
fn engine(approved: Vec<Spelled<Capability>>, room: Option<String>) -> EngineInputs {
    EngineInputs { permissions: Permissions::new(&approved), room }
}

/// Whether the engine allows `request`: `Ok(())`, or `Err` with the denial's message.
fn decide(engine: &EngineInputs, request: &FromWidgetRequest) -> Result<(), String> {
    let context = match &engine.room {
        Some(room) => Context::in_room(room),
        None => Context::new(),
    };
    engine.permissions.check(request, &context).map_err(|denied| denied.to_string())
}

/// One line of output: `{"line":N,"allowed":true}`, `{"line":N,"allowed":false,"reason":…}`
/// or `{"line":N,"allowed":null,"reason":…}` (not a fromWidget request, or not decodable).
#[derive(Debug, Serialize)]
pub(crate) struct Verdict {
    line: usize,
    allowed: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
}

impl Record for Verdict {
    const COLUMNS: &'static [&'static str] = &["LINE", "ALLOWED", "REASON"];
    fn cells(&self) -> Vec<String> {
        let allowed = match self.allowed {
            Some(true) => "yes",
            Some(false) => "no",
            None => "-",
        };
        vec![self.line.to_string(), allowed.to_owned(), self.reason.clone().unwrap_or_default()]
    }
}

/// The reason given for messages the engine does not judge.
const NOT_A_REQUEST: &str = "not a fromWidget request";

/// Reads CAPS.json (a JSON array of capability strings) and builds the engine's inputs.
/// Errors end the run with exit status 2.
pub(crate) fn load(path: &Path, room: Option<String>) -> Result<EngineInputs, Fatal> {
    let bytes = std::fs::read(path).map_err(|e| Fatal(format!("cannot read the capabilities file `{}`: {e}", path.display())))?;
    let approved = parse_capabilities(&bytes).map_err(|e| Fatal(format!("the capabilities file `{}` {e}", path.display())))?;
    for capability in &approved {
        if matches!(capability.value(), Capability::_Custom(_)) {
            eprintln!("widget-api: warning: `{capability}` is not a known capability: hosts never grant it");
        }
    }
    if room.as_deref() == Some("") {
        return Err(Fatal("--room must not be empty".to_owned()));
    }
    Ok(engine(approved, room))
}

/// A JSON array of strings, each parsed as a capability (unknown ones are kept as
/// [`Capability::_Custom`]).
fn parse_capabilities(bytes: &[u8]) -> Result<Vec<Spelled<Capability>>, String> {
    let strings: Vec<String> = serde_json::from_slice(bytes).map_err(|e| format!("is not a JSON array of capability strings: {e}"))?;
    strings.iter().enumerate().map(|(i, s)| Spelled::parse(s).map_err(|e| format!("has an invalid capability at index {i}: {e}"))).collect()
}

/// Runs `permit` over `source`.
pub(crate) fn run(source: &Source, limit: usize, engine: &EngineInputs, out: &mut Output) -> Result<Status, Fatal> {
    let mut lines = source.open(limit)?;
    let mut failed = false;
    while let Some(line) = lines.next_line()? {
        let verdict = match decode_line(&line, None, limit) {
            Ok(Message::FromWidgetRequest(request)) => match decide(engine, &request) {
                Ok(()) => Verdict { line: line.number, allowed: Some(true), reason: None },
                Err(reason) => {
                    failed = true;
                    Verdict { line: line.number, allowed: Some(false), reason: Some(reason) }
                }
            },
            Ok(_) => Verdict { line: line.number, allowed: None, reason: Some(NOT_A_REQUEST.to_owned()) },
            Err(failure) => {
                failed = true;
                Verdict { line: line.number, allowed: None, reason: Some(failure.error) }
            }
        };
        out.emit(&verdict)?;
        if out.is_closed() {
            break;
        }
    }
    out.finish::<Verdict>()?;
    Ok(Status::from_failed(failed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capabilities_files_are_arrays_of_strings() {
        let caps = parse_capabilities(br#"["org.matrix.msc4157.send.delayed_event","m.send.delay_events","vendor.cap"]"#).unwrap();
        assert_eq!(caps.len(), 3);
        assert_eq!(caps[0], caps[1], "two spellings of one capability");
        assert!(matches!(caps[2].value(), Capability::_Custom(_)));
        assert!(parse_capabilities(b"[]").unwrap().is_empty());
    }

    #[test]
    fn bad_capabilities_files_say_what_is_wrong() {
        let error = parse_capabilities(br#"{"caps":[]}"#).unwrap_err();
        assert!(error.starts_with("is not a JSON array of capability strings: invalid type: map"), "{error}");
        let error = parse_capabilities(br#"["m.sticker", 7]"#).unwrap_err();
        assert!(error.contains("invalid type: integer `7`, expected a string at line 1 column 15"), "{error}");
        let error = parse_capabilities(b"[\"m.sticker\"").unwrap_err();
        assert!(error.contains("EOF"), "{error}");
    }
}
