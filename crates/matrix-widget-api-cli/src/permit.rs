//! `widget-api permit`: decide each fromWidget request against the approved capabilities.
//!
//! Each request is decided by the host crate's permission engine
//! ([`matrix_widget_api_host::permission::Permissions`]); this module only reads the trace
//! and prints the verdicts. The approved capabilities come from CAPS.json, or
//! (`--from-trace`) from the trace's own toWidget `notify_capabilities` requests, the
//! latest one seen applying. With `--ledger`, an `update_delayed_event` is allowed only for
//! a `delay_id` that a `send_event` reply earlier in the trace scheduled (the host crate's
//! [`DelayLedger`]).

use crate::check::decode_line;
use crate::input::Source;
use crate::output::{Output, Record};
use crate::{Fatal, Status};
use matrix_widget_api::naming::Spelled;
use matrix_widget_api::{Capability, FromWidgetRequest, FromWidgetResponse, Message, ToWidgetRequest};
use matrix_widget_api_host::permission::{Context, DelayLedger, Permissions};
use serde::Serialize;
use std::path::Path;

/// Where the approved capabilities come from.
#[derive(Debug)]
pub(crate) enum Approved {
    /// A fixed set (CAPS.json).
    Fixed(Vec<Spelled<Capability>>),
    /// The trace's `notify_capabilities` requests: nothing is approved before the first.
    FromTrace,
}

/// What one run decides with.
#[derive(Debug)]
pub(crate) struct Options {
    /// The approved capabilities.
    pub(crate) approved: Approved,
    /// The room the widget is viewing.
    pub(crate) room: Option<String>,
    /// Whether updates are checked against the delays the trace scheduled.
    pub(crate) ledger: bool,
}

/// The engine's state while the trace is read.
struct Engine {
    permissions: Permissions,
    /// `false` while `--from-trace` has not seen a `notify_capabilities`.
    negotiated: bool,
    ledger: Option<DelayLedger>,
    room: Option<String>,
}

impl Engine {
    fn new(options: &Options) -> Self {
        let (permissions, negotiated) = match &options.approved {
            Approved::Fixed(approved) => (Permissions::new(approved), true),
            Approved::FromTrace => (Permissions::new(&[]), false),
        };
        Engine { permissions, negotiated, ledger: options.ledger.then(DelayLedger::new), room: options.room.clone() }
    }

    /// Whether the engine allows `request`: `Ok(())`, or `Err` with the denial's message.
    fn decide(&mut self, request: &FromWidgetRequest) -> Result<(), String> {
        let mut context = match &self.room {
            Some(room) => Context::in_room(room),
            None => Context::new(),
        };
        if let Some(ledger) = &self.ledger {
            context = context.with_ledger(ledger);
        }
        let verdict = self
            .permissions
            .check(request, &context)
            .map_err(|denied| if self.negotiated { denied.to_string() } else { format!("{denied} (no notify_capabilities seen yet)") });
        if verdict.is_ok()
            && let (Some(ledger), FromWidgetRequest::UpdateDelayedEvent(update)) = (self.ledger.as_mut(), request)
        {
            ledger.updated(update.data());
        }
        verdict
    }

    /// Learns from what is not a fromWidget request: approved capabilities and scheduled
    /// delays.
    fn observe(&mut self, message: &Message, from_trace: bool) {
        match message {
            Message::ToWidgetRequest(ToWidgetRequest::NotifyCapabilities(notify)) if from_trace => {
                self.permissions = Permissions::new(&notify.data().approved);
                self.negotiated = true;
            }
            Message::FromWidgetResponse(FromWidgetResponse::SendEvent(reply)) => {
                if let (Some(ledger), Ok(response)) = (self.ledger.as_mut(), reply.result()) {
                    ledger.record_response(response);
                }
            }
            _ => {}
        }
    }
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

/// Reads CAPS.json (a JSON array of capability strings). Errors end the run with exit
/// status 2.
pub(crate) fn load(path: &Path) -> Result<Vec<Spelled<Capability>>, Fatal> {
    let bytes = std::fs::read(path).map_err(|e| Fatal(format!("cannot read the capabilities file `{}`: {e}", path.display())))?;
    let approved = parse_capabilities(&bytes).map_err(|e| Fatal(format!("the capabilities file `{}` {e}", path.display())))?;
    for capability in &approved {
        if matches!(capability.value(), Capability::_Custom(_)) {
            eprintln!("widget-api: warning: `{capability}` is not a known capability: hosts never grant it");
        }
    }
    Ok(approved)
}

/// A JSON array of strings, each parsed as a capability (unknown ones are kept as
/// [`Capability::_Custom`]).
fn parse_capabilities(bytes: &[u8]) -> Result<Vec<Spelled<Capability>>, String> {
    let strings: Vec<String> = serde_json::from_slice(bytes).map_err(|e| format!("is not a JSON array of capability strings: {e}"))?;
    strings.iter().enumerate().map(|(i, s)| Spelled::parse(s).map_err(|e| format!("has an invalid capability at index {i}: {e}"))).collect()
}

/// Runs `permit` over `source`.
pub(crate) fn run(source: &Source, limit: usize, options: &Options, out: &mut Output) -> Result<Status, Fatal> {
    let mut lines = source.open(limit)?;
    let mut engine = Engine::new(options);
    let from_trace = matches!(options.approved, Approved::FromTrace);
    let mut failed = false;
    while let Some(line) = lines.next_line()? {
        let verdict = match decode_line(&line, None, limit) {
            Ok(Message::FromWidgetRequest(request)) => match engine.decide(&request) {
                Ok(()) => Verdict { line: line.number, allowed: Some(true), reason: None },
                Err(reason) => {
                    failed = true;
                    Verdict { line: line.number, allowed: Some(false), reason: Some(reason) }
                }
            },
            Ok(other) => {
                engine.observe(&other, from_trace);
                Verdict { line: line.number, allowed: None, reason: Some(NOT_A_REQUEST.to_owned()) }
            }
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
