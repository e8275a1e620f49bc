//! `widget-api http`: the homeserver requests behind each `send_event` and
//! `update_delayed_event`, from `matrix_widget_api_host::delayed_events`.
//!
//! One object per homeserver request. Other messages print nothing; a line that does not
//! decode, or a request the host could not send (a delayed send to a server without
//! MSC4140, a delay over the limit `--capabilities` advertises, no room, an invalid path
//! segment), prints a failure as in `check`. Transaction
//! IDs are `widget-api-<line>`, so the output is deterministic.

use crate::check::{decode_line, failure_cells};
use crate::input::{Line, Source};
use crate::output::{Output, Record, cell};
use crate::scan::Failure;
use crate::{EraArg, Fatal, Status};
use matrix_widget_api::{FromWidgetRequest, Message};
pub(crate) use matrix_widget_api_host::delayed_events::ServerLimits;
use matrix_widget_api_host::delayed_events::{Era, Homeserver, Prefix, Support, Surface, UpdateForm, detect};
use serde::Serialize;
use serde_json::value::RawValue;
use std::path::Path;

/// What `http` was asked for.
#[derive(Debug)]
pub(crate) struct Options {
    /// What the homeserver supports.
    pub(crate) support: Support,
    /// The delayed-event limits it advertises.
    pub(crate) limits: ServerLimits,
    /// The room of `send_event`s without `room_id`.
    pub(crate) room: Option<String>,
    /// Also show the body-form retry of updates.
    pub(crate) fallback: bool,
}

/// The surface (or its absence) that an `--era` names.
pub(crate) fn support(era: EraArg) -> Support {
    match era {
        EraArg::Deployed => Support::Supported(Surface::DEPLOYED),
        EraArg::QueryStable => Support::Supported(Surface::new(Era::QueryParameter, Prefix::Stable)),
        EraArg::LatestUnstable => Support::Supported(Surface::LATEST_UNSTABLE),
        EraArg::Stable => Support::Supported(Surface::STABLE),
        EraArg::Unsupported => Support::Unsupported,
    }
}

/// The surface and limits detected from a homeserver's `/versions` body and, when given, its
/// `/capabilities` body (`--versions`, `--capabilities`).
pub(crate) fn detected(versions: &Path, capabilities: Option<&Path>) -> Result<(Support, ServerLimits), Fatal> {
    let read = |path: &Path| std::fs::read(path).map_err(|e| Fatal(format!("cannot read {}: {e}", path.display())));
    let versions = read(versions)?;
    let capabilities = capabilities.map(read).transpose()?;
    let support = detect(&versions, capabilities.as_deref()).map_err(|e| Fatal(e.to_string()))?;
    let limits = match &capabilities {
        Some(body) => ServerLimits::from_capabilities(body).map_err(|e| Fatal(e.to_string()))?,
        None => ServerLimits::UNKNOWN,
    };
    Ok((support, limits))
}

/// One homeserver request:
/// `{"line":N,"request_id":…,"method":…,"path":…,"query":…,"body":…}`, plus `"form"` for updates.
#[derive(Debug, Serialize)]
pub(crate) struct HttpRequest {
    line: usize,
    /// The widget request's `requestId`.
    request_id: String,
    method: String,
    /// The path, percent-encoded as sent.
    path: String,
    /// The query string without `?`, or `null`.
    query: Option<String>,
    /// The body: JSON as sent (a string if it is not JSON, which the mapping never makes).
    body: Body,
    /// For updates: `split` (what a host sends first) or `body` (the retry after
    /// `M_UNRECOGNIZED`).
    #[serde(skip_serializing_if = "Option::is_none")]
    form: Option<&'static str>,
}

/// A request body, written as the JSON it is.
#[derive(Debug, Serialize)]
#[serde(untagged)]
enum Body {
    Json(Box<RawValue>),
    Text(String),
}

impl Body {
    fn new(bytes: &[u8]) -> Self {
        let text = String::from_utf8_lossy(bytes).into_owned();
        match RawValue::from_string(text.clone()) {
            Ok(json) => Body::Json(json),
            Err(_) => Body::Text(text),
        }
    }
}

/// One line of output.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub(crate) enum HttpRecord {
    Request(HttpRequest),
    Failed(Failure),
}

impl Record for HttpRecord {
    const COLUMNS: &'static [&'static str] = &["LINE", "OK", "METHOD", "PATH", "QUERY", "FORM", "BODY"];
    fn cells(&self) -> Vec<String> {
        match self {
            HttpRecord::Request(r) => {
                let body = match &r.body {
                    Body::Json(json) => json.get().to_owned(),
                    Body::Text(text) => cell(text),
                };
                vec![r.line.to_string(), "yes".to_owned(), r.method.clone(), r.path.clone(), cell(&r.query), cell(&r.form), body]
            }
            HttpRecord::Failed(f) => failure_cells(f, 7),
        }
    }
}

/// Runs `http` over `source`.
pub(crate) fn run(source: &Source, limit: usize, options: &Options, out: &mut Output) -> Result<Status, Fatal> {
    // An empty base URL: URIs are path and query only, which is what is reported.
    let server = Homeserver::new("", options.support).map_err(|e| Fatal(e.to_string()))?.with_limits(options.limits);
    if options.room.as_deref() == Some("") {
        return Err(Fatal("--room must not be empty".to_owned()));
    }
    let mut lines = source.open(limit)?;
    let mut failed = false;
    while let Some(line) = lines.next_line()? {
        let records = match decode_line(&line, None, limit) {
            Ok(Message::FromWidgetRequest(request)) => requests(&line, &request, &server, options),
            Ok(_) => Vec::new(),
            Err(failure) => vec![HttpRecord::Failed(failure)],
        };
        for record in &records {
            failed |= matches!(record, HttpRecord::Failed(_));
            out.emit(record)?;
        }
        if out.is_closed() {
            break;
        }
    }
    out.finish::<HttpRecord>()?;
    Ok(Status::from_failed(failed))
}

/// The homeserver requests for one widget request (none for most actions).
fn requests(line: &Line<'_>, request: &FromWidgetRequest, server: &Homeserver, options: &Options) -> Vec<HttpRecord> {
    let request_id = request.envelope().request_id().to_owned();
    let failed = |error: String| {
        let mut failure = Failure::new(line, error);
        failure.request_id = Some(request_id.clone());
        vec![HttpRecord::Failed(failure)]
    };
    match request {
        FromWidgetRequest::SendEvent(send) => {
            let data = send.data();
            let Some(room) = data.room_id.as_deref().or(options.room.as_deref()) else {
                return failed("the request has no `room_id` and no --room was given".to_owned());
            };
            let txn_id = format!("widget-api-{}", line.number);
            match server.send_event(data, room, &txn_id) {
                Ok((http, _)) => vec![record(line.number, &request_id, &http, None)],
                Err(e) => failed(e.to_string()),
            }
        }
        FromWidgetRequest::UpdateDelayedEvent(update) => {
            let forms: &[(UpdateForm, &str)] = if options.fallback {
                &[(UpdateForm::Split, "split"), (UpdateForm::Body, "body")]
            } else {
                &[(UpdateForm::Split, "split")]
            };
            let mut records = Vec::new();
            for (form, name) in forms {
                match server.update_delayed_event(update.data(), *form) {
                    Ok((http, _)) => records.push(record(line.number, &request_id, &http, Some(name))),
                    Err(e) => return failed(e.to_string()),
                }
            }
            records
        }
        _ => Vec::new(),
    }
}

fn record(line: usize, request_id: &str, http: &http::Request<Vec<u8>>, form: Option<&'static str>) -> HttpRecord {
    HttpRecord::Request(HttpRequest {
        line,
        request_id: request_id.to_owned(),
        method: http.method().as_str().to_owned(),
        path: http.uri().path().to_owned(),
        query: http.uri().query().map(str::to_owned),
        body: Body::new(http.body()),
        form,
    })
}
