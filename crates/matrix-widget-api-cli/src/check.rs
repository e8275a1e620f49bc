//! `widget-api check`: decode each message and say what it is, or why it does not decode.

use crate::input::{Content, Line, Source};
use crate::output::{Output, Record, cell};
use crate::scan::Failure;
use crate::{Fatal, Status};
use matrix_widget_api::naming::{Spelled, WireName};
use matrix_widget_api::{Api, DecodeError, Message, Role, decode_as_slice, decode_slice};
use serde::Serialize;

/// A decoded message: `{"line":N,"ok":true,"api":…,"kind":…,"action":…,"spelling":…}`.
#[derive(Debug, Serialize)]
pub(crate) struct Decoded {
    line: usize,
    ok: bool,
    /// `fromWidget` or `toWidget`.
    api: &'static str,
    /// `request`, `response` or `error_response`.
    kind: &'static str,
    /// The `action` string as received.
    action: String,
    /// `stable`, `unstable`, `legacy` or `custom`.
    spelling: &'static str,
}

impl Decoded {
    pub(crate) fn new(line: usize, message: &Message) -> Self {
        Decoded {
            line,
            ok: true,
            api: api_str(message.api()),
            kind: message.kind().as_str(),
            action: message.action().as_str().into_owned(),
            spelling: spelling(message.action()),
        }
    }
}

/// One line of `check`'s output.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub(crate) enum CheckRecord {
    Decoded(Decoded),
    Failed(Failure),
}

impl Record for CheckRecord {
    const COLUMNS: &'static [&'static str] = &["LINE", "OK", "API", "KIND", "ACTION", "SPELLING", "ERROR"];
    fn cells(&self) -> Vec<String> {
        match self {
            CheckRecord::Decoded(d) => {
                vec![d.line.to_string(), "yes".into(), d.api.into(), d.kind.into(), d.action.clone(), d.spelling.into(), String::new()]
            }
            CheckRecord::Failed(f) => {
                let mut cells = failure_cells(f, 7);
                let readable = [f.api.clone(), f.kind.map(str::to_owned), f.action.clone()];
                for (slot, value) in cells.iter_mut().skip(2).zip(readable) {
                    if let Some(value) = value {
                        *slot = value;
                    }
                }
                cells
            }
        }
    }
}

/// A failure as a table row of `width` cells: line, `no`, then dashes, then
/// `[request ID] error` in the last cell.
pub(crate) fn failure_cells(failure: &Failure, width: usize) -> Vec<String> {
    let mut cells = vec![failure.line.to_string(), "no".to_owned()];
    cells.resize(width.saturating_sub(1), "-".to_owned());
    let request = failure.request_id.as_ref().map(|id| format!("[{}] ", cell(id))).unwrap_or_default();
    cells.push(format!("{request}{}", failure.error));
    cells
}

/// `"stable"`, `"unstable"`, `"legacy"`, or `"custom"` for a name this crate does not know.
pub(crate) fn spelling<T: WireName>(name: &Spelled<T>) -> &'static str {
    name.spelling().map_or("custom", |spelling| spelling.kind())
}

/// The `api` field as written.
pub(crate) fn api_str(api: Api) -> &'static str {
    match api {
        Api::FromWidget => "fromWidget",
        Api::ToWidget => "toWidget",
    }
}

/// Decodes one line; `Err` is the failure to report.
#[expect(clippy::result_large_err, reason = "one report per failed line, moved once")]
pub(crate) fn decode_line(line: &Line<'_>, role: Option<Role>, limit: usize) -> Result<Message, Failure> {
    match line.content {
        Content::Complete(bytes) => {
            let decoded = match role {
                Some(role) => decode_as_slice(role, bytes),
                None => decode_slice(bytes),
            };
            decoded.map_err(|error: DecodeError| Failure::decode(line, &error))
        }
        Content::TooLong { length, .. } => Err(Failure::too_long(line, length, limit)),
    }
}

/// Runs `check` over `source`.
pub(crate) fn run(source: &Source, limit: usize, role: Option<Role>, out: &mut Output) -> Result<Status, Fatal> {
    let mut lines = source.open(limit)?;
    let mut failed = false;
    while let Some(line) = lines.next_line()? {
        let record = match decode_line(&line, role, limit) {
            Ok(message) => CheckRecord::Decoded(Decoded::new(line.number, &message)),
            Err(failure) => {
                failed = true;
                CheckRecord::Failed(failure)
            }
        };
        out.emit(&record)?;
        if out.is_closed() {
            break;
        }
    }
    out.finish::<CheckRecord>()?;
    Ok(Status::from_failed(failed))
}
