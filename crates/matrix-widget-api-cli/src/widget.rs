//! `widget-api widget`: the widget session of `matrix-widget-api-widget` over JSON lines on
//! standard input and output, the mirror of `widget-api host`: for the live conformance
//! tests against a real host, and for widgets written in other languages that run it as a
//! sidecar.
//!
//! Each input line is one JSON object; which key it has says what it is (an optional
//! `"now"`, in milliseconds, moves the session's clock forward first):
//!
//! | input line | meaning |
//! |---|---|
//! | `{"host": MESSAGE}` | a message the host posted: the message object (its bytes are kept, so replies echo it exactly) or a string holding its JSON text |
//! | `{"send": {"action": "…", "data": {…}}, "tag"?: "t1"}` | the application sends a fromWidget request; the action string is sent verbatim (any spelling, or a vendor action), `data` defaults to `{}`; `tag` is repeated on the lines about this request |
//! | `{"answer": "REQUEST_ID", "ok": VALUE}` | the application's answer to toWidget request `REQUEST_ID` (one announced with `"answer":"application"`): the action's response, `{}` for an acknowledgement |
//! | `{"answer": "REQUEST_ID", "error": "message"}` | the application fails it (`error` may also be a widget-API error object `{"message", "matrix_api_error"?}`) |
//! | `{"call": "iframe_loaded"}` | the widget's document loaded and its API starts (`"start"` says the same): the host's versions are asked, and `content_loaded` sent with `--wait-for-iframe-load false` |
//! | `{"call": "content_loaded", "tag"?: …}` | send `content_loaded` now |
//! | `{"call": "request_capabilities", "capabilities": [CAP, …], "tag"?: …}` | ask for more capabilities (MSC2974): joined to the answer before negotiation, sent as `request_capabilities` after it |
//! | `{"call": "stop"}` | the widget goes away; the session ends (later lines are read and ignored) |
//! | `{"tick": MS}` | time passed: the clock is now `MS` (expired requests are reported) |
//!
//! Each output line is one of:
//!
//! | output line | meaning |
//! |---|---|
//! | `{"to_host": MESSAGE, "tag"?: …}` | post `MESSAGE` to the host |
//! | `{"reply": "widget-N", "action": "…", "ok": RESPONSE, "tag"?: …}` | the host's reply to request `widget-N`, decoded into the action's typed response and written again |
//! | `{"reply": "widget-N", "action": "…", "error": {"message", "matrix_api_error"?}, "tag"?: …}` | the host's error reply |
//! | `{"received": "ACTION", "request_id": "…", "data": {…}, "answer": "auto"\|"application"}` | a toWidget request, decoded and written again; `auto`: the session answered it (the reply is the next line); `application`: answer it with `{"answer": REQUEST_ID, …}` |
//! | `{"notify": NAME, …}` | a notification (`ready`, `capabilities`, `timed_out`, `invalid_reply`, `misbehaved`, `application_error`, `closed`) |
//! | `{"line": N, "error": "…"}` | input line `N` was not understood, or its request could not be sent; the session goes on |
//!
//! A bad line (not JSON, not an object, invalid UTF-8 or NUL bytes in it, longer than
//! `--max-line-bytes`) gets its error line and the session goes on.
//!
//! Exit status: 0 when every line was understood, 1 when one was not, 2 for I/O errors.

use crate::input::{Content, Fields, Source, field, optional};
use crate::output::LineWriter;
use crate::{Fatal, NamingArg, Status};
use clap::Args;
use matrix_widget_api::from_widget::content_loaded::ContentLoaded;
use matrix_widget_api::naming::{Naming, Spelled};
use matrix_widget_api::payload::Empty;
use matrix_widget_api::{ActionName, Capability, ErrorResponseData, FromWidgetResponse, ToWidgetRequest};
use matrix_widget_api_widget::session::{AnsweredBy, Config, Input, Millis, Notification, Output, WidgetSession};
use serde_json::Value;
use serde_json::value::RawValue;
use std::collections::{BTreeMap, HashMap};
use std::io;

/// Written after the options of `widget-api widget --help`.
pub(crate) const WIDGET_EXAMPLES: &str = "\
Input, one JSON object per line (an optional \"now\": MS moves the clock first):
  {\"host\": {\"api\":\"toWidget\",\"widgetId\":\"w\",\"requestId\":\"h1\",\"action\":\"capabilities\",\"data\":{}}}
                    (a message the host posted: an object, or a string of JSON text)
  {\"send\": {\"action\": \"org.matrix.msc4157.update_delayed_event\", \"data\": {\"delay_id\":\"d\",\"action\":\"restart\"}}, \"tag\": \"t1\"}
                    (a fromWidget request, its action string verbatim; data defaults to {};
                     the tag is repeated on its to_host, reply and timed_out lines)
  {\"answer\": \"h7\", \"ok\": {}}      {\"answer\": \"h8\", \"error\": \"no\"}   (or \"error\": {\"message\", \"matrix_api_error\"?})
  {\"call\": \"iframe_loaded\"} (or \"start\")   {\"call\": \"content_loaded\", \"tag\"?: …}   {\"call\": \"stop\"}
  {\"call\": \"request_capabilities\", \"capabilities\": [\"org.matrix.msc2931.navigate\"], \"tag\"?: …}
  {\"tick\": 10000}

Output, one JSON object per line:
  {\"to_host\": MESSAGE}                              post MESSAGE to the host
  {\"reply\": \"widget-2\", \"action\": \"…\", \"ok\": {…}}   the host's reply, typed (or \"error\": {\"message\", …})
  {\"received\": \"send_event\", \"request_id\": \"h7\", \"data\": {…}, \"answer\": \"auto\"}
                                                    a host request; \"application\": answer it with {\"answer\": \"h7\", …}
  {\"notify\": \"ready\"}                               tell the application: ready, capabilities, timed_out,
                                                    invalid_reply, misbehaved, application_error, closed
  {\"line\": 7, \"error\": \"…\"}                         a line that was not understood, or a request not sent

Host requests the application does not --handle get what matrix-widget-api's WidgetApi
answers: {} for visibility (and for openid_credentials and update_turn_servers it expects,
and the --ack actions), the error \"Unknown or unsupported to-widget action: …\" otherwise.

Example:
  printf '%s\\n' '{\"call\":\"iframe_loaded\"}' | widget-api widget --widget-id w --capability org.matrix.msc2931.navigate";

/// The options of `widget-api widget`.
#[derive(Debug, Args)]
pub(crate) struct WidgetArgs {
    /// The widget's ID (the `widgetId` the host gave it): messages naming another are
    /// ignored (and reported).
    #[arg(long, value_name = "ID", default_value = "widget")]
    widget_id: String,
    /// A capability the widget requests when the host asks (repeatable; sent in the
    /// spelling given).
    #[arg(long = "capability", value_name = "CAP")]
    capabilities: Vec<String>,
    /// A toWidget action the application answers itself with `{"answer": …}` (repeatable,
    /// any spelling); `capabilities`, `notify_capabilities` and `supported_api_versions`
    /// stay the session's.
    #[arg(long = "handle", value_name = "ACTION")]
    handle: Vec<String>,
    /// A toWidget action the session acknowledges with `{}` (repeatable), such as
    /// `send_event`, `org.matrix.msc2762.update_state` or `send_to_device` for a widget that
    /// only listens.
    #[arg(long = "ack", value_name = "ACTION")]
    ack: Vec<String>,
    /// Whether the host waits for the iframe's load event (matrix-widget-api's
    /// `waitForIframeLoad`); with `false`, `{"call":"iframe_loaded"}` also sends
    /// `content_loaded`.
    #[arg(long, value_name = "BOOL", default_value_t = true, action = clap::ArgAction::Set)]
    wait_for_iframe_load: bool,
    /// The spelling of the names the session writes itself (`request_capabilities`, the
    /// capabilities of `--capability` keep theirs); `send` lines are verbatim.
    #[arg(long, value_enum, default_value_t = NamingArg::Unstable)]
    naming: NamingArg,
    /// How long the host has to reply to a fromWidget request, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 10_000)]
    timeout: u64,
    /// How many fromWidget requests may wait for the host at once (and toWidget requests
    /// for the application's answer).
    #[arg(long, value_name = "N", default_value_t = 64)]
    max_pending: usize,
    /// The input; `-` or nothing reads standard input.
    #[arg(value_name = "FILE")]
    file: Option<std::path::PathBuf>,
}

/// `--handle` and `--ack`: action names, in any spelling.
fn action_names(option: &str, names: &[String]) -> Result<Vec<ActionName>, Fatal> {
    names
        .iter()
        .map(|name| match name.as_str() {
            "" => Err(Fatal(format!("{option}: an action name must not be empty"))),
            _ => Spelled::<ActionName>::parse(name).map(Spelled::into_inner).map_err(|e| Fatal(format!("{option} `{name}`: {e}"))),
        })
        .collect()
}

impl WidgetArgs {
    fn config(&self) -> Result<Config, Fatal> {
        let capabilities = self
            .capabilities
            .iter()
            .map(|c| match c.as_str() {
                "" => Err(Fatal("--capability: a capability must not be empty".to_owned())),
                _ => Spelled::<Capability>::parse(c).map_err(|e| Fatal(format!("--capability `{c}`: {e}"))),
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut config = Config::new(self.widget_id.as_str())
            .capabilities(capabilities)
            .wait_for_iframe_load(self.wait_for_iframe_load)
            .naming(match self.naming {
                NamingArg::Stable => Naming::Stable,
                NamingArg::Unstable => Naming::Unstable,
            })
            .timeout(Millis(self.timeout))
            .max_pending(self.max_pending);
        for action in action_names("--handle", &self.handle)? {
            config = config.handle(action);
        }
        for action in action_names("--ack", &self.ack)? {
            config = config.acknowledge(action);
        }
        Ok(config)
    }

    fn source(&self) -> Source {
        Source::from_arg(self.file.as_deref())
    }
}

/// Runs the session over the input until it ends.
pub(crate) fn run(args: &WidgetArgs, max_line_bytes: usize) -> Result<Status, Fatal> {
    let config = args.config()?;
    let mut lines = args.source().open(max_line_bytes)?.nul_is_data();
    let stdout = io::stdout();
    let mut out = LineWriter::new(stdout.lock());
    let mut driver = Driver::new(config);
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
                let error = Value::String(error);
                out.write(&format!(r#"{{"line":{},"error":{error}}}"#, line.number))?;
            }
        }
    }
    Ok(Status::from_failed(failed))
}

/// The session, its clock and the tags of the application's requests; turns input lines
/// into output lines.
struct Driver {
    session: WidgetSession,
    now: Millis,
    /// The `tag` of each waiting request that had one, by `requestId`.
    tags: HashMap<String, String>,
}

/// What an input line asks for.
enum Action {
    /// An input for the session.
    Input(Input),
    /// A request sent through a helper: its `requestId`, if one was sent.
    Sent(Option<String>),
}

impl Driver {
    fn new(config: Config) -> Self {
        Driver { session: WidgetSession::new(config), now: Millis(0), tags: HashMap::new() }
    }

    /// The output lines for one input line, or why it is not understood.
    fn line(&mut self, bytes: &[u8]) -> Result<Vec<String>, String> {
        let fields: Fields = serde_json::from_slice(bytes).map_err(|e| format!("not a JSON object: {e}"))?;
        if let Some(now) = optional::<u64>(&fields, "now")? {
            self.now = self.now.max(Millis(now));
        }
        let tag = optional::<String>(&fields, "tag")?;
        let outputs = match self.action(&fields)? {
            Action::Input(input) => self.session.process(self.now, input),
            Action::Sent(id) => {
                if let (Some(id), Some(tag)) = (id, tag) {
                    self.tags.insert(id, tag);
                }
                self.session.take_outputs()
            }
        };
        Ok(outputs.into_iter().map(|output| self.render(output)).collect())
    }

    fn action(&mut self, fields: &Fields) -> Result<Action, String> {
        let kinds: Vec<&str> = ["host", "send", "answer", "call", "tick"].into_iter().filter(|k| fields.contains_key(*k)).collect();
        let allowed: &[&str] = match kinds.as_slice() {
            ["host"] => &["host", "now"],
            ["send"] => &["send", "tag", "now"],
            ["answer"] => &["answer", "ok", "error", "now"],
            ["call"] => &["call", "capabilities", "tag", "now"],
            ["tick"] => &["tick", "now"],
            [] => return Err("the line has none of `host`, `send`, `answer`, `call`, `tick`".into()),
            _ => return Err(format!("the line has more than one of {}", kinds.join(", "))),
        };
        if let Some(unknown) = fields.keys().find(|k| !allowed.contains(&k.as_str())) {
            return Err(format!("unknown field `{unknown}`"));
        }
        match kinds.first().copied() {
            Some("host") => {
                let raw = fields.get("host").ok_or("`host` is missing")?;
                let text = if raw.get().starts_with('"') { field::<String>(fields, "host")? } else { raw.get().to_owned() };
                Ok(Action::Input(Input::HostMessage(text)))
            }
            Some("send") => {
                let send: BTreeMap<String, Box<RawValue>> = field(fields, "send")?;
                if let Some(unknown) = send.keys().find(|k| !["action", "data"].contains(&k.as_str())) {
                    return Err(format!("unknown field `send.{unknown}`"));
                }
                let action: String = field(&send, "action").map_err(|e| format!("send: {e}"))?;
                let data = send.get("data").map_or("{}", |raw| raw.get());
                let id = self.session.send_raw(self.now, &action, data).map_err(|e| format!("`{action}` not sent: {e}"))?;
                Ok(Action::Sent(Some(id)))
            }
            Some("answer") => {
                let request_id: String = field(fields, "answer")?;
                let result = match (fields.get("ok"), fields.get("error")) {
                    (Some(_), None) => Ok(field::<Value>(fields, "ok")?),
                    (None, Some(raw)) => Err(if raw.get().starts_with('"') {
                        ErrorResponseData::new(field::<String>(fields, "error")?)
                    } else {
                        ErrorResponseData::from(field::<matrix_widget_api::WidgetError>(fields, "error")?)
                    }),
                    _ => return Err("an answer has exactly one of `ok` and `error`".into()),
                };
                Ok(Action::Input(Input::Answer { request_id, result }))
            }
            Some("call") => self.call(fields),
            _ => {
                self.now = self.now.max(Millis(field(fields, "tick")?));
                Ok(Action::Input(Input::Tick))
            }
        }
    }

    fn call(&mut self, fields: &Fields) -> Result<Action, String> {
        let call = field::<String>(fields, "call")?;
        if fields.contains_key("capabilities") && call != "request_capabilities" {
            return Err("`capabilities` belongs to `request_capabilities`".into());
        }
        Ok(match call.as_str() {
            "iframe_loaded" | "start" => Action::Input(Input::Start),
            "content_loaded" => {
                let id =
                    self.session.send::<ContentLoaded>(self.now, Empty::new()).map_err(|e| format!("`content_loaded` not sent: {e}"))?;
                Action::Sent(Some(id))
            }
            "request_capabilities" => {
                let capabilities: Vec<String> = field(fields, "capabilities")?;
                let capabilities = capabilities
                    .iter()
                    .map(|c| Spelled::<Capability>::parse(c).map_err(|e| format!("`{c}`: {e}")))
                    .collect::<Result<Vec<_>, _>>()?;
                let id = self
                    .session
                    .request_capabilities(self.now, capabilities)
                    .map_err(|e| format!("`request_capabilities` not sent: {e}"))?;
                Action::Sent(id)
            }
            "stop" => Action::Input(Input::Stop),
            other => Err(format!("unknown call `{other}` (iframe_loaded, start, content_loaded, request_capabilities, stop)"))?,
        })
    }

    /// One output line.
    fn render(&mut self, output: Output) -> String {
        match output {
            Output::ToHost(text) => {
                // A host message given as a string may hold line breaks in its whitespace,
                // which the reply echoes: they become spaces to keep one line. JSON strings
                // cannot hold raw line breaks, so nothing else changes (re-serialising would
                // reorder keys, drop duplicates and round big numbers the host sent).
                let text = if text.contains(['\n', '\r']) { text.replace(['\n', '\r'], " ") } else { text };
                let tag = serde_json::from_str::<Value>(&text)
                    .ok()
                    .filter(|m| m.get("response").is_none())
                    .and_then(|m| m.get("requestId").and_then(Value::as_str).and_then(|id| self.tags.get(id)).cloned());
                match tag {
                    Some(tag) => format!(r#"{{"to_host":{text},"tag":{}}}"#, Value::String(tag)),
                    None => format!(r#"{{"to_host":{text}}}"#),
                }
            }
            Output::Replied(response) => self.reply_line(&response),
            Output::Received { request, by } => received_line(&request, by),
            Output::Notify(notification) => {
                let tag = match &notification {
                    Notification::TimedOut { request_id, .. } | Notification::InvalidReply { request_id, .. } => {
                        self.tags.remove(request_id)
                    }
                    _ => None,
                };
                let line = serde_json::to_string(&notification)
                    .unwrap_or_else(|e| serde_json::json!({"notify": "application_error", "message": e.to_string()}).to_string());
                with_tag(line, tag)
            }
        }
    }

    fn reply_line(&mut self, response: &FromWidgetResponse) -> String {
        let envelope = response.envelope();
        let request_id = envelope.request_id().to_owned();
        let head = format!(
            r#"{{"reply":{},"action":{}"#,
            Value::String(request_id.clone()),
            Value::String(envelope.action().as_str().into_owned())
        );
        // The typed response, written again: what the Rust types make of the host's reply.
        let written = member(response, "response");
        let line = match written {
            Some(raw) if response.is_error() => {
                let error = serde_json::from_str::<Fields>(raw.get()).ok().and_then(|mut f| f.remove("error"));
                format!(r#"{head},"error":{}}}"#, error.as_deref().map_or("null", RawValue::get))
            }
            Some(raw) => format!(r#"{head},"ok":{}}}"#, raw.get()),
            None => format!(r#"{head},"error":{{"message":"the reply cannot be written"}}}}"#),
        };
        with_tag(line, self.tags.remove(&request_id))
    }
}

/// `line` (a JSON object) with `"tag"` added last, when there is one.
fn with_tag(line: String, tag: Option<String>) -> String {
    match (tag, line.strip_suffix('}')) {
        (Some(tag), Some(open)) => format!(r#"{open},"tag":{}}}"#, Value::String(tag)),
        _ => line,
    }
}

/// The member `name` of `message` as serialised, in its written order.
fn member(message: &impl serde::Serialize, name: &str) -> Option<Box<RawValue>> {
    let text = serde_json::to_string(message).ok()?;
    serde_json::from_str::<Fields>(&text).ok()?.remove(name)
}

fn received_line(request: &ToWidgetRequest, by: AnsweredBy) -> String {
    let envelope = request.envelope();
    let data = member(request, "data");
    let answer = match by {
        AnsweredBy::Session => "auto",
        AnsweredBy::Application => "application",
    };
    format!(
        r#"{{"received":{},"request_id":{},"data":{},"answer":"{answer}"}}"#,
        Value::String(envelope.action().as_str().into_owned()),
        Value::String(envelope.request_id().to_owned()),
        data.as_deref().map_or("{}", RawValue::get),
    )
}
