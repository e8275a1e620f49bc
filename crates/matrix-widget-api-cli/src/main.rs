//! `widget-api`: a command-line inspector for captured Matrix Widget API traffic.
//!
//! The input of the line-based subcommands is a trace in JSON lines: one `postMessage`
//! payload per line, from a file or standard input (`-` or no file). Blank lines are
//! skipped but counted, so `line` is always the line number in the input. Lines are read
//! as bytes: invalid UTF-8, invalid JSON and lines longer than `--max-line-bytes` are each
//! one failed line, never the end of the run.
//!
//! The output is one JSON object per line (see each subcommand for its fields), so it pipes
//! into `jq`; `--pretty` prints a table instead. The field names are a contract, tested by
//! the golden files under `tests/`:
//!
//! - `check`: `{"line","ok":true,"api","kind","action","spelling"}`;
//! - `permit`: `{"line","allowed":true|false|null,"reason"?}`;
//! - `capability`: `{"input","kind","parts","spelling","stable","unstable"}`;
//! - `normalize`: the message itself, re-spelled;
//! - `http`: `{"line","request_id","method","path","query","body","form"?}`;
//! - `host`: the host session's lines (`to_widget`, `environment`, `notify`; see `host.rs`);
//! - `widget`: the widget session's lines (`to_host`, `reply`, `received`, `notify`; see
//!   `widget.rs`);
//! - a line that fails (in `check` and `http`):
//!   `{"line","ok":false,"request_id","api"?,"kind"?,"action"?,"error"}`, the optional
//!   fields present when they could be read.
//!
//! Exit status: 0 when every line (or capability) is fine, 1 when one is not (a failed
//! line, a denied request, an HTTP request that cannot be built, an unknown capability), 2
//! for usage errors and I/O errors (an unreadable trace or CAPS.json).
#![forbid(unsafe_code)]

mod capability;
mod check;
mod host;
mod http;
mod input;
mod normalize;
mod output;
mod permit;
mod scan;
mod widget;

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::fmt;
use std::path::PathBuf;
use std::process::ExitCode;

/// The default of `--max-line-bytes`: 16 MiB, well above any real `postMessage` payload
/// (the largest are `read_events` replies) and small enough to hold in memory.
const DEFAULT_MAX_LINE_BYTES: usize = 16 * 1024 * 1024;

const EXAMPLES: &str = "\
Examples:
  widget-api check trace.jsonl
  widget-api check --role host --pretty < from-widget.jsonl
  widget-api permit --capabilities caps.json --room '!call:example.org' trace.jsonl
  widget-api capability 'org.matrix.msc2762.send.state_event:org.matrix.msc3401.call.member'
  widget-api normalize --naming stable trace.jsonl > stable.jsonl
  widget-api http --era deployed --room '!call:example.org' trace.jsonl | jq .path

Exit status: 0 if every line is fine, 1 if one is not, 2 for usage or I/O errors.";

const CHECK_EXAMPLES: &str = "\
Output, one object per input line:
  {\"line\":1,\"ok\":true,\"api\":\"fromWidget\",\"kind\":\"request\",\"action\":\"send_event\",\"spelling\":\"stable\"}
  {\"line\":2,\"ok\":false,\"request_id\":\"r2\",\"error\":\"invalid request fromWidget `send_event` \\\"r2\\\": …\"}
kind: request, response or error_response. spelling: stable, unstable, legacy or custom
(an action this tool does not know).

Examples:
  widget-api check trace.jsonl
  widget-api check --role host - < from-widget.jsonl
  widget-api check trace.jsonl | jq 'select(.ok == false)'
  widget-api check --pretty trace.jsonl";

const PERMIT_EXAMPLES: &str = "\
The approved capabilities come from CAPS.json, or with --from-trace from the trace's own
toWidget notify_capabilities requests (the latest seen applies; before the first, nothing
is approved). With --ledger, an update_delayed_event is allowed only for a delay_id that a
send_event reply earlier in the trace scheduled, as a host keeping the delay ledger decides.

CAPS.json is a JSON array of the approved capability strings, e.g.
  [\"org.matrix.msc2762.send.state_event:org.matrix.msc3401.call.member\",
   \"org.matrix.msc4157.send.delayed_event\", \"org.matrix.msc4157.update_delayed_event\"]

Output, one object per input line:
  {\"line\":3,\"allowed\":true}
  {\"line\":4,\"allowed\":false,\"reason\":\"…\"}
  {\"line\":5,\"allowed\":null,\"reason\":\"not a fromWidget request\"}
A line that does not decode gets allowed: null and the reason. The exit status is 1 if a
request is denied or a line does not decode.

Examples:
  widget-api permit --capabilities caps.json trace.jsonl
  widget-api permit --capabilities caps.json --room '!call:example.org' --pretty trace.jsonl
  widget-api permit --from-trace --ledger --room '!call:example.org' trace.jsonl";

const CAPABILITY_EXAMPLES: &str = "\
Output, one object per capability:
  {\"input\":\"m.send.delay_events\",\"kind\":\"send_delayed_event\",\"parts\":null,\"spelling\":\"legacy\",
   \"stable\":\"m.send.delayed_event\",\"unstable\":\"org.matrix.msc4157.send.delayed_event\"}
An unknown capability has kind \"other\" and spelling \"custom\", and makes the exit status 1.

Examples:
  widget-api capability m.send.delay_events
  widget-api capability --pretty 'org.matrix.msc2762.send.state_event:org.matrix.msc3401.call.member#_@a:b_DEV' \\
      org.matrix.msc4157.update_delayed_event";

const NORMALIZE_EXAMPLES: &str = "\
Each message is written back with its action, and the capability strings of the capability
lists (capabilities replies, notify_capabilities, request_capabilities), in the chosen
spelling; every other byte is unchanged, and unknown names are kept verbatim.

No line is lost: a line that does not decode is written back unchanged and reported on
standard error as in `check` ({\"line\":N,\"ok\":false,…}), with exit status 1; a line
longer than --max-line-bytes is passed through whole; blank lines stay. With --pretty a
table reports every line instead.

Examples:
  widget-api normalize --naming stable trace.jsonl > stable.jsonl
  widget-api normalize --naming unstable - < stable.jsonl
  widget-api normalize --naming stable --pretty trace.jsonl";

const HTTP_EXAMPLES: &str = "\
For each fromWidget send_event and update_delayed_event request, the homeserver request(s)
a host makes (MSC4140 for delayed events), one object each:
  {\"line\":2,\"request_id\":\"r2\",\"method\":\"PUT\",\"path\":\"/_matrix/client/v3/rooms/…\",
   \"query\":\"org.matrix.msc4140.delay=8000\",\"body\":{}}
Updates also have \"form\": \"split\" (or \"body\", the fallback, with --fallback).
With --versions (and --capabilities), the surface is detected from your server's own
GET /_matrix/client/versions (and /v3/capabilities) bodies instead of --era: the
org.matrix.msc4140 flag means the query parameter (the capability gives limits, not an
endpoint), org.matrix.msc4140.stable the dedicated endpoint, no flag or a limit of 0 no
support; a delay over the advertised max_delay_ms is refused as the server would refuse it.
Other messages print nothing; a line that does not decode, or a request that cannot be
sent, prints {\"line\":N,\"ok\":false,\"request_id\":…,\"error\":…}. Transaction IDs are
widget-api-<line>.

Examples:
  widget-api http --room '!call:example.org' trace.jsonl
  widget-api http --era latest-unstable --room '!call:example.org' --fallback trace.jsonl
  widget-api http --era unsupported --room '!call:example.org' --pretty trace.jsonl
  curl -s https://matrix.example.org/_matrix/client/versions > versions.json
  widget-api http --versions versions.json --capabilities capabilities.json --room '!call:example.org' trace.jsonl";

/// Inspect captured Matrix Widget API traffic (postMessage traces, one JSON message per line).
#[derive(Debug, Parser)]
#[command(name = "widget-api", version, after_help = EXAMPLES)]
struct Cli {
    /// Print a readable table instead of one JSON object per line.
    #[arg(long, global = true)]
    pretty: bool,

    /// The longest input line accepted, in bytes (not counting the line break); a longer
    /// line is reported as one failed line.
    #[arg(long, global = true, value_name = "BYTES", default_value_t = DEFAULT_MAX_LINE_BYTES)]
    max_line_bytes: usize,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Decode each message and say what it is, or why it does not decode.
    #[command(after_help = CHECK_EXAMPLES)]
    Check {
        /// Refuse the messages that cannot reach this side (a host receives fromWidget
        /// requests and toWidget replies; a widget the reverse).
        #[arg(long, value_enum)]
        role: Option<RoleArg>,
        #[command(flatten)]
        input: InputArg,
    },
    /// Decide each fromWidget request against a set of approved capabilities.
    #[command(after_help = PERMIT_EXAMPLES)]
    #[command(group = clap::ArgGroup::new("approved").required(true).args(["capabilities", "from_trace"]))]
    Permit {
        /// A JSON file holding an array of the approved capability strings.
        #[arg(long, value_name = "CAPS.json")]
        capabilities: Option<PathBuf>,
        /// Take the approved capabilities from the trace's toWidget `notify_capabilities`
        /// requests (the latest seen applies; nothing is approved before the first).
        #[arg(long)]
        from_trace: bool,
        /// Apply the delay ledger: an `update_delayed_event` is allowed only for a
        /// `delay_id` that a `send_event` reply earlier in the trace scheduled.
        #[arg(long)]
        ledger: bool,
        #[arg(long, value_name = "ROOM_ID", help = ROOM_HELP, value_parser = non_empty_room)]
        room: Option<String>,
        #[command(flatten)]
        input: InputArg,
    },
    /// Explain capability strings: kind, parts, spelling, stable and unstable forms.
    #[command(after_help = CAPABILITY_EXAMPLES)]
    Capability {
        /// The capability strings.
        #[arg(value_name = "CAP", required = true)]
        capabilities: Vec<String>,
    },
    /// Re-emit each message with its action and capability names in one spelling.
    #[command(after_help = NORMALIZE_EXAMPLES)]
    Normalize {
        /// The spelling to write.
        #[arg(long, value_enum)]
        naming: NamingArg,
        #[command(flatten)]
        input: InputArg,
    },
    /// Show the homeserver requests behind send_event and update_delayed_event.
    #[command(after_help = HTTP_EXAMPLES)]
    Http {
        /// The MSC4140 surface the homeserver serves.
        #[arg(long, value_enum, default_value_t = EraArg::Deployed, conflicts_with = "versions")]
        era: EraArg,
        /// Detect the surface from this file: the homeserver's `GET /_matrix/client/versions`
        /// response body (instead of --era).
        #[arg(long, value_name = "FILE")]
        versions: Option<PathBuf>,
        /// With --versions: the homeserver's `GET /_matrix/client/v3/capabilities` response
        /// body, for its delayed-event limits (a delay over `max_delay_ms` is refused).
        #[arg(long, value_name = "FILE", requires = "versions")]
        capabilities: Option<PathBuf>,
        #[arg(long, value_name = "ROOM_ID", help = ROOM_HELP, value_parser = non_empty_room)]
        room: Option<String>,
        /// Also show, for each update, the body-form request a host retries with when the
        /// server answers the split form with `M_UNRECOGNIZED`.
        #[arg(long)]
        fallback: bool,
        #[command(flatten)]
        input: InputArg,
    },
    /// Run a host session over JSON lines: widget messages, environment answers,
    /// application calls, pushes and ticks in; messages, environment requests and
    /// notifications out.
    #[command(after_help = host::HOST_EXAMPLES)]
    Host(host::HostArgs),
    /// Run a widget session over JSON lines: host messages, the application's requests
    /// and answers, calls and ticks in; messages, typed replies, host requests and
    /// notifications out.
    #[command(after_help = widget::WIDGET_EXAMPLES)]
    Widget(widget::WidgetArgs),
}

/// `--room`, in `permit` and `http` alike.
const ROOM_HELP: &str = "The room the widget is viewing: requests without `room_id` go to it, and it needs no timeline capability";

/// `--room` names a room: an empty ID is a usage error.
fn non_empty_room(value: &str) -> Result<String, String> {
    if value.is_empty() { Err("a room ID must not be empty".to_owned()) } else { Ok(value.to_owned()) }
}

/// The trace to read.
#[derive(Debug, Args)]
struct InputArg {
    /// The trace, one JSON message per line; `-` or nothing reads standard input.
    #[arg(value_name = "FILE")]
    file: Option<PathBuf>,
}

impl InputArg {
    fn source(&self) -> input::Source {
        input::Source::from_arg(self.file.as_deref())
    }
}

/// `--role`.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum RoleArg {
    /// The client embedding the widget.
    Host,
    /// The widget.
    Widget,
}

/// `--naming`.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum NamingArg {
    /// The stable names (`update_delayed_event`, `m.send.delayed_event`).
    Stable,
    /// The unstable, prefixed names deployed peers use (`org.matrix.msc4157.update_delayed_event`).
    Unstable,
}

/// `--era`: the MSC4140 surfaces of `matrix_widget_api_host::delayed_events`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum EraArg {
    /// What Synapse serves today: `org.matrix.msc4140.delay` on `/send` and `/state`.
    Deployed,
    /// The same endpoints with the stable `delay` parameter.
    QueryStable,
    /// The latest MSC4140 text's dedicated endpoint, under `org.matrix.msc4140`.
    LatestUnstable,
    /// The latest MSC4140 text's dedicated endpoint, under its stable names.
    Stable,
    /// A homeserver without MSC4140: delayed sends and updates are refused.
    Unsupported,
}

/// How a run ended, when it could read its input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Status {
    /// Every line (or capability) was fine.
    Ok,
    /// At least one was not.
    Failed,
}

impl Status {
    fn from_failed(failed: bool) -> Self {
        if failed { Status::Failed } else { Status::Ok }
    }
}

/// An error that ends the run with exit status 2: unreadable input, a bad CAPS.json, a
/// failed write.
#[derive(Debug)]
struct Fatal(String);

impl fmt::Display for Fatal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<std::io::Error> for Fatal {
    fn from(error: std::io::Error) -> Self {
        Fatal(format!("I/O error: {error}"))
    }
}

fn main() -> ExitCode {
    // Usage errors exit with 2 here, `--help` and `--version` with 0.
    let cli = Cli::parse();
    match run(cli) {
        Ok(Status::Ok) => ExitCode::SUCCESS,
        Ok(Status::Failed) => ExitCode::from(1),
        Err(error) => {
            eprintln!("widget-api: {error}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<Status, Fatal> {
    let mut out = output::Output::stdout(cli.pretty);
    let max = cli.max_line_bytes;
    match cli.command {
        Command::Check { role, input } => {
            let role = role.map(|role| match role {
                RoleArg::Host => matrix_widget_api::Role::Host,
                RoleArg::Widget => matrix_widget_api::Role::Widget,
            });
            check::run(&input.source(), max, role, &mut out)
        }
        Command::Permit { capabilities, from_trace: _, ledger, room, input } => {
            let approved = match capabilities {
                Some(path) => permit::Approved::Fixed(permit::load(&path)?),
                None => permit::Approved::FromTrace,
            };
            permit::run(&input.source(), max, &permit::Options { approved, room, ledger }, &mut out)
        }
        Command::Capability { capabilities } => capability::run(&capabilities, &mut out),
        Command::Normalize { naming, input } => {
            let naming = match naming {
                NamingArg::Stable => matrix_widget_api::naming::Naming::Stable,
                NamingArg::Unstable => matrix_widget_api::naming::Naming::Unstable,
            };
            normalize::run(&input.source(), max, naming, &mut out)
        }
        Command::Http { era, versions, capabilities, room, fallback, input } => {
            let (support, limits) = match &versions {
                Some(versions) => http::detected(versions, capabilities.as_deref())?,
                None => (http::support(era), http::ServerLimits::UNKNOWN),
            };
            let options = http::Options { support, limits, room, fallback };
            http::run(&input.source(), max, &options, &mut out)
        }
        Command::Host(args) => host::run(&args, max),
        Command::Widget(args) => widget::run(&args, max),
    }
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }
}
