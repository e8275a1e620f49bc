//! `widget-api host`: the host session of `matrix-widget-api-host` over JSON lines on
//! standard input and output, for the live conformance tests and for hosts written in other
//! languages that run it as a sidecar.
//!
//! Each input line is one JSON object; which key it has says what it is (an optional
//! `"now"`, in milliseconds, moves the session's clock forward first):
//!
//! | input line | meaning |
//! |---|---|
//! | `{"widget": MESSAGE}` | a message the widget posted: the message object (its bytes are kept, so replies echo it exactly) or a string holding its JSON text |
//! | `{"answer": ID, "ok": VALUE}` | the environment's answer to request `ID` (the value's shape is the request's, see below) |
//! | `{"answer": ID, "error": "message"}` | the environment failed request `ID` (`error` may also be a widget-API error object `{"message", "matrix_api_error"?}`) |
//! | `{"call": "iframe_loaded"}` | the iframe loaded |
//! | `{"call": "viewed_room", "room_id": ROOM\|null}` | the user views another room |
//! | `{"call": "theme", "data": {…}}`, `{"call": "language", "lang": "fr"}`, `{"call": "visibility", "visible": true}` | tell the widget |
//! | `{"call": "screenshot"}` | ask the widget for a screenshot |
//! | `{"call": "widget_config", "data": {…}}`, `{"call": "button_clicked", "id": "ok"}`, `{"call": "close_modal", "data": {…}}` | modal calls |
//! | `{"call": "stop"}` | the widget is removed; the session ends (later lines are read and ignored) |
//! | `{"push": "event", "event": {…}}`, `{"push": "state", "event": {…}}` | a room event; a room state change |
//! | `{"push": "to_device", "event": {…}}`, `{"push": "turn_servers", "servers": {…}}` | a to-device message; new TURN servers |
//! | `{"tick": MS}` | time passed: the clock is now `MS` (expired toWidget requests are reported) |
//!
//! Each output line is one of:
//!
//! | output line | meaning |
//! |---|---|
//! | `{"to_widget": MESSAGE}` | post `MESSAGE` to the widget |
//! | `{"environment": ID, "request": NAME, …}` | carry out request `NAME` (its fields follow) and answer with `{"answer": ID, …}` |
//! | `{"notify": NAME, …}` | a notification for the application (`ready`, `capabilities_changed`, `timed_out`, `widget_replied`, `misbehaved`, `host_error`, `closed`) |
//! | `{"line": N, "error": "…"}` | input line `N` was not understood; the session goes on |
//!
//! The environment requests and the shapes of their answers are those of
//! `matrix_widget_api_host::session::EnvRequest` (`approve_capabilities` is answered with
//! an array of capability strings; `send_event` with `{"room_id","event_id"}`;
//! `send_delayed_event` with `{"room_id","delay_id"}`; reads with `{"events": […]}`; the
//! rest with the action's response, `{}` for an acknowledgement).
//!
//! A bad line (not JSON, not an object, invalid UTF-8 or NUL bytes in it, longer than
//! `--max-line-bytes`) gets its error line and the session goes on.
//!
//! Exit status: 0 when every line was understood, 1 when one was not, 2 for I/O errors.

use crate::input::{Content, Fields, Source, field, optional};
use crate::output::LineWriter;
use crate::{Fatal, Status};
use clap::{Args, ValueEnum};
use matrix_widget_api::ErrorResponseData;
use matrix_widget_api_host::session::{Config, EnvId, HostSession, Input, Millis, Output, StartMode};
use std::io;

/// Written after the options of `widget-api host --help`.
pub(crate) const HOST_EXAMPLES: &str = "\
Input, one JSON object per line (an optional \"now\": MS moves the clock first):
  {\"widget\": {\"api\":\"fromWidget\",\"widgetId\":\"w\",\"requestId\":\"r1\",\"action\":\"content_loaded\",\"data\":{}}}
  {\"answer\": 1, \"ok\": [\"org.matrix.msc2931.navigate\"]}      {\"answer\": 2, \"error\": \"no\"}
  {\"call\": \"iframe_loaded\"}   {\"call\": \"viewed_room\", \"room_id\": \"!r:example.org\"}   {\"call\": \"stop\"}
  {\"call\": \"theme\", \"data\": {\"name\":\"dark\"}}   {\"call\": \"language\", \"lang\": \"fr\"}
  {\"call\": \"visibility\", \"visible\": true}   {\"call\": \"screenshot\"}
  {\"call\": \"widget_config\", \"data\": {…}}   {\"call\": \"button_clicked\", \"id\": \"ok\"}   {\"call\": \"close_modal\", \"data\": {}}
  {\"push\": \"event\"|\"state\"|\"to_device\", \"event\": {…}}   {\"push\": \"turn_servers\", \"servers\": {…}}
  {\"tick\": 10000}

Output, one JSON object per line:
  {\"to_widget\": MESSAGE}                          post MESSAGE to the widget
  {\"environment\": 1, \"request\": \"approve_capabilities\", …}   answer it with {\"answer\": 1, …}
  {\"notify\": \"ready\"}                           tell the application
  {\"line\": 7, \"error\": \"…\"}                     a line that was not understood

Example:
  printf '%s\\n' '{\"call\":\"iframe_loaded\"}' | widget-api host --widget-id w --room '!r:example.org'";

/// The options of `widget-api host`.
#[derive(Debug, Args)]
pub(crate) struct HostArgs {
    /// The widget's ID: messages naming another are ignored (and reported).
    #[arg(long, value_name = "ID", default_value = "widget")]
    widget_id: String,
    /// The room the widget is in.
    #[arg(long, value_name = "ROOM_ID")]
    room: Option<String>,
    /// The user's Matrix ID.
    #[arg(long, value_name = "USER_ID", default_value = "@user:example.org")]
    user_id: String,
    /// The user's device ID.
    #[arg(long, value_name = "DEVICE_ID")]
    device_id: Option<String>,
    /// When to ask for capabilities: when the iframe loads, or when the widget sends
    /// `content_loaded` (its `waitForIframeLoad` is false).
    #[arg(long, value_enum, default_value_t = StartArg::IframeLoad)]
    start: StartArg,
    /// How long the widget has to answer a toWidget request, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 10_000)]
    timeout: u64,
    /// How many widget requests may wait on the environment at once.
    #[arg(long, value_name = "N", default_value_t = 64)]
    max_pending: usize,
    /// Let the widget update delayed events it did not schedule (as matrix-widget-api does).
    #[arg(long)]
    no_delay_ledger: bool,
    /// The input; `-` or nothing reads standard input.
    #[arg(value_name = "FILE")]
    file: Option<std::path::PathBuf>,
}

/// `--start`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum StartArg {
    /// On `{"call":"iframe_loaded"}`.
    IframeLoad,
    /// On the widget's `content_loaded`.
    ContentLoaded,
}

impl HostArgs {
    fn config(&self) -> Config {
        let mut config = Config::new(self.widget_id.as_str(), self.user_id.as_str())
            .start(match self.start {
                StartArg::IframeLoad => StartMode::IframeLoad,
                StartArg::ContentLoaded => StartMode::ContentLoaded,
            })
            .to_widget_timeout(Millis(self.timeout))
            .max_pending(self.max_pending)
            .delay_ledger(!self.no_delay_ledger);
        if let Some(room) = &self.room {
            config = config.viewed_room(room.as_str());
        }
        if let Some(device) = &self.device_id {
            config = config.device_id(device.as_str());
        }
        config
    }

    fn source(&self) -> Source {
        Source::from_arg(self.file.as_deref())
    }
}

/// Runs the session over the input until it ends.
pub(crate) fn run(args: &HostArgs, max_line_bytes: usize) -> Result<Status, Fatal> {
    let mut lines = args.source().open(max_line_bytes)?.nul_is_data();
    let stdout = io::stdout();
    let mut out = LineWriter::new(stdout.lock());
    let mut driver = Driver::new(args.config());
    let mut failed = false;
    while let Some(line) = lines.next_line()? {
        let outputs = match line.content {
            Content::Complete(bytes) => driver.line(bytes),
            Content::TooLong { length, .. } => Err(format!("the line is {length} bytes long, over --max-line-bytes")),
        };
        match outputs {
            Ok(outputs) => {
                for output in outputs {
                    out.write(&output)?;
                }
            }
            Err(error) => {
                failed = true;
                let error = serde_json::Value::String(error);
                out.write(&format!(r#"{{"line":{},"error":{error}}}"#, line.number))?;
            }
        }
    }
    Ok(Status::from_failed(failed))
}

/// The session and its clock; turns input lines into output lines.
pub(crate) struct Driver {
    session: HostSession,
    now: Millis,
}

impl Driver {
    pub(crate) fn new(config: Config) -> Self {
        Driver { session: HostSession::new(config), now: Millis(0) }
    }

    /// The output lines for one input line, or why it is not understood.
    pub(crate) fn line(&mut self, bytes: &[u8]) -> Result<Vec<String>, String> {
        let fields: Fields = serde_json::from_slice(bytes).map_err(|e| format!("not a JSON object: {e}"))?;
        if let Some(now) = optional::<u64>(&fields, "now")? {
            self.now = self.now.max(Millis(now));
        }
        let input = self.input(&fields)?;
        Ok(self.session.process(self.now, input).into_iter().map(render).collect())
    }

    fn input(&mut self, fields: &Fields) -> Result<Input, String> {
        let kinds: Vec<&str> = ["widget", "answer", "call", "push", "tick"].into_iter().filter(|k| fields.contains_key(*k)).collect();
        let allowed: &[&str] = match kinds.as_slice() {
            ["widget"] => &["widget", "now"],
            ["answer"] => &["answer", "ok", "error", "now"],
            ["call"] => &["call", "room_id", "data", "lang", "visible", "id", "now"],
            ["push"] => &["push", "event", "servers", "now"],
            ["tick"] => &["tick", "now"],
            [] => return Err("the line has none of `widget`, `answer`, `call`, `push`, `tick`".into()),
            _ => return Err(format!("the line has more than one of {}", kinds.join(", "))),
        };
        if let Some(unknown) = fields.keys().find(|k| !allowed.contains(&k.as_str())) {
            return Err(format!("unknown field `{unknown}`"));
        }
        match kinds.first().copied() {
            Some("widget") => {
                let raw = fields.get("widget").ok_or("`widget` is missing")?;
                let text = if raw.get().starts_with('"') { field::<String>(fields, "widget")? } else { raw.get().to_owned() };
                Ok(Input::WidgetMessage(text))
            }
            Some("answer") => {
                let id = EnvId(field(fields, "answer")?);
                let result = match (fields.get("ok"), fields.get("error")) {
                    (Some(_), None) => Ok(field::<serde_json::Value>(fields, "ok")?),
                    (None, Some(raw)) => Err(if raw.get().starts_with('"') {
                        ErrorResponseData::new(field::<String>(fields, "error")?)
                    } else {
                        ErrorResponseData::from(field::<matrix_widget_api::WidgetError>(fields, "error")?)
                    }),
                    _ => return Err("an answer has exactly one of `ok` and `error`".into()),
                };
                Ok(Input::EnvironmentAnswer { id, result })
            }
            Some("call") => self.call(fields),
            Some("push") => match field::<String>(fields, "push")?.as_str() {
                "event" => Ok(Input::PushEvent(field(fields, "event")?)),
                "state" => Ok(Input::PushStateUpdate(field(fields, "event")?)),
                "to_device" => Ok(Input::PushToDevice(field(fields, "event")?)),
                "turn_servers" => Ok(Input::PushTurnServers(field(fields, "servers")?)),
                other => Err(format!("unknown push `{other}` (event, state, to_device, turn_servers)")),
            },
            _ => {
                self.now = self.now.max(Millis(field(fields, "tick")?));
                Ok(Input::Tick)
            }
        }
    }

    fn call(&self, fields: &Fields) -> Result<Input, String> {
        Ok(match field::<String>(fields, "call")?.as_str() {
            "iframe_loaded" => Input::IframeLoaded,
            "viewed_room" => Input::ViewedRoomChanged(field(fields, "room_id")?),
            "theme" => Input::Theme(field(fields, "data")?),
            "language" => Input::Language(field(fields, "lang")?),
            "visibility" => Input::Visibility(field(fields, "visible")?),
            "screenshot" => Input::TakeScreenshot,
            "widget_config" => Input::WidgetConfig(field(fields, "data")?),
            "button_clicked" => Input::ModalButtonClicked(field(fields, "id")?),
            "close_modal" => Input::CloseModal(optional(fields, "data")?.unwrap_or_default()),
            "stop" => Input::Stop,
            other => Err(format!(
                "unknown call `{other}` (iframe_loaded, viewed_room, theme, language, visibility, screenshot, widget_config, button_clicked, close_modal, stop)"
            ))?,
        })
    }
}

/// One output line.
fn render(output: Output) -> String {
    match output {
        Output::ToWidget(text) => {
            // A widget message given as a string may hold line breaks in its whitespace,
            // which the reply echoes: they become spaces to keep one line. JSON strings
            // cannot hold raw line breaks, so nothing else changes (re-serialising would
            // reorder keys, drop duplicates and round big numbers the widget sent).
            let text = if text.contains(['\n', '\r']) { text.replace(['\n', '\r'], " ") } else { text };
            format!(r#"{{"to_widget":{text}}}"#)
        }
        Output::Environment { id, request } => match serde_json::to_string(&request) {
            Ok(json) => match json.strip_prefix('{') {
                Some(rest) if rest != "}" => format!(r#"{{"environment":{id},{rest}"#),
                _ => format!(r#"{{"environment":{id}}}"#),
            },
            Err(e) => serde_json::json!({"environment": id.0, "request": request.name(), "error": e.to_string()}).to_string(),
        },
        Output::Notify(notification) => serde_json::to_string(&notification)
            .unwrap_or_else(|e| serde_json::json!({"notify": "host_error", "message": e.to_string()}).to_string()),
    }
}
