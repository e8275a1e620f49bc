//! What goes into a [`WidgetSession`](super::WidgetSession) and what comes out.

use matrix_widget_api::naming::Spelled;
use matrix_widget_api::{BuildError, Capability, ErrorResponseData, FromWidgetResponse, ToWidgetRequest};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A point in time, in milliseconds on a monotonic clock of the widget's choosing (the
/// session only subtracts them). Every [`WidgetSession::process`](super::WidgetSession::process)
/// call takes one: the session never reads a clock.
///
/// A number rather than [`std::time::Instant`], so that recorded or generated input (tests,
/// `widget-api widget`) drives a session too; a widget with an `Instant` passes the
/// milliseconds since any fixed `Instant` ([`Millis::since`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Millis(pub u64);

impl Millis {
    /// The milliseconds from `origin` to `now` (zero if `now` is earlier), saturating.
    pub fn since(origin: std::time::Instant, now: std::time::Instant) -> Millis {
        Millis(u64::try_from(now.saturating_duration_since(origin).as_millis()).unwrap_or(u64::MAX))
    }

    /// `self + by`, saturating.
    pub fn plus(self, by: Millis) -> Millis {
        Millis(self.0.saturating_add(by.0))
    }
}

impl fmt::Display for Millis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ms", self.0)
    }
}

/// The application's answer to a toWidget request it handles: the `response` JSON (the
/// action's response data, `{}` for an acknowledgement), or the error the host gets.
pub type Answer = Result<serde_json::Value, ErrorResponseData>;

/// Something that happened, for the session to act on.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Input {
    /// A message the host posted (the `postMessage` data, as JSON text).
    HostMessage(String),
    /// The widget's document loaded and its API starts: the session asks the host's
    /// supported versions, and sends `content_loaded` when
    /// [`Config::wait_for_iframe_load`](super::Config::wait_for_iframe_load) is `false`
    /// (matrix-widget-api's `start()` then `sendContentLoaded()`). Later ones do nothing.
    Start,
    /// Send `content_loaded` now (whatever the configuration).
    ContentLoaded,
    /// Ask for more capabilities (MSC2974). Before the host asked for capabilities, they
    /// are added to the answer; afterwards the session sends `request_capabilities` with
    /// every capability requested so far, as matrix-widget-api does.
    RequestCapabilities(Vec<Spelled<Capability>>),
    /// The application's answer to the toWidget request `request_id`, one it handles
    /// ([`Config::handle`](super::Config::handle)): the session posts the reply, once.
    Answer {
        /// The host's `requestId`.
        request_id: String,
        /// The answer.
        result: Answer,
    },
    /// The widget is going away: pending requests are forgotten and the session stops (and
    /// says [`Notification::Closed`]).
    Stop,
    /// Nothing happened but time passed: expired requests are reported.
    Tick,
}

impl Input {
    /// A successful answer to `request_id`, serialised from `value`. A value that does
    /// not serialise becomes an error answer saying so.
    pub fn answer(request_id: impl Into<String>, value: &impl Serialize) -> Input {
        let result =
            serde_json::to_value(value).map_err(|e| ErrorResponseData::new(format!("the widget could not serialise its answer: {e}")));
        Input::Answer { request_id: request_id.into(), result }
    }

    /// An error answer to `request_id`: the host gets `message`.
    pub fn answer_error(request_id: impl Into<String>, message: impl Into<String>) -> Input {
        Input::Answer { request_id: request_id.into(), result: Err(ErrorResponseData::new(message)) }
    }
}

/// Who answers a toWidget request the session received.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AnsweredBy {
    /// The session answered it (the reply is among the same call's outputs).
    Session,
    /// The application answers it with [`Input::Answer`].
    Application,
}

/// What the session did. Exhaustive: a widget handles exactly these four.
#[derive(Clone, Debug)]
pub enum Output {
    /// Post this message to the host (JSON text).
    ToHost(String),
    /// A toWidget request arrived: here it is, typed, and who answers it.
    Received {
        /// The request.
        request: Box<ToWidgetRequest>,
        /// [`AnsweredBy::Application`]: answer with [`Input::Answer`] and its `requestId`.
        by: AnsweredBy,
    },
    /// The host replied to one of the session's fromWidget requests: the reply, typed
    /// (`result()` is the action's response data or the host's
    /// [`ErrorResponseData`], with its `matrix_api_error` when there is one).
    Replied(Box<FromWidgetResponse>),
    /// Tell the application.
    Notify(Notification),
}

/// Something the application should know.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "notify", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Notification {
    /// The first negotiation finished: the host said what is approved (or, for a host
    /// without MSC2871, the capabilities were sent and no notification will come).
    Ready,
    /// The host said which capabilities are approved (`notify_capabilities`), the first
    /// time or after a renegotiation: [`WidgetSession::approved`](super::WidgetSession::approved)
    /// has the list.
    Capabilities {
        /// How many capabilities the host says were requested.
        requested: usize,
        /// How many it approved.
        approved: usize,
    },
    /// The host did not reply to a fromWidget request in time; the request is forgotten
    /// (a late reply is reported as [`Misbehaviour::UnexpectedReply`]).
    TimedOut {
        /// The action, as sent.
        action: String,
        /// The request's ID.
        request_id: String,
    },
    /// The host replied to a fromWidget request with a reply that does not decode: the
    /// request is forgotten.
    InvalidReply {
        /// The action.
        action: String,
        /// The request's ID.
        request_id: String,
        /// Why it does not decode.
        reason: String,
    },
    /// The host broke the protocol; the message was ignored (or, for a request with a
    /// readable envelope, answered with an error).
    Misbehaved(Misbehaviour),
    /// The session could not use something the application gave it.
    ApplicationError {
        /// What went wrong.
        message: String,
    },
    /// The session stopped: later inputs are ignored.
    Closed,
}

/// How the host broke the protocol.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Misbehaviour {
    /// Not a widget API message, or over the limits, or a message that cannot reach a
    /// widget (a fromWidget request, a toWidget reply): ignored, never answered.
    Malformed {
        /// Why.
        reason: String,
    },
    /// A toWidget request with a valid envelope and invalid `data`: answered with an error.
    Invalid {
        /// Why.
        reason: String,
    },
    /// A message for another widget: ignored, never answered.
    ForeignWidgetId {
        /// The `widgetId` it named.
        widget_id: String,
    },
    /// A reply to no request the session is waiting for (unknown, replied or expired).
    UnexpectedReply {
        /// The `requestId`.
        request_id: String,
    },
    /// A reply whose `requestId` matches a waiting request but whose action does not:
    /// ignored, the request keeps waiting.
    WrongAction {
        /// The `requestId`.
        request_id: String,
        /// The action of the request.
        expected: String,
        /// The action of the reply.
        found: String,
    },
    /// A toWidget request with the `requestId` of one the application is still answering:
    /// ignored, so that one request never gets two replies.
    DuplicateRequest {
        /// The `requestId`.
        request_id: String,
    },
}

/// Why the session did not send a fromWidget request.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SendError {
    /// The message would not decode (the reason says why): nothing was sent.
    Invalid(String),
    /// [`Config::max_pending`](super::Config::max_pending) requests already wait for
    /// the host.
    TooManyPending,
    /// The session stopped.
    Stopped,
}

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SendError::Invalid(reason) => write!(f, "the request would not decode: {reason}"),
            SendError::TooManyPending => f.write_str("too many requests are waiting for the host"),
            SendError::Stopped => f.write_str("the session stopped"),
        }
    }
}

impl std::error::Error for SendError {}

impl From<BuildError> for SendError {
    fn from(error: BuildError) -> Self {
        SendError::Invalid(error.to_string())
    }
}
