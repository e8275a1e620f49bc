//! Homeserver responses → widget replies.

use super::{Era, Prefix, ServerLimits, Surface};
use http::HeaderMap;
use http::header::{RETRY_AFTER, SET_COOKIE};
use matrix_widget_api::from_widget::send_event::{Delay, SendEventResponseData};
use matrix_widget_api::payload::Empty;
use matrix_widget_api::{ErrorResponseData, MatrixApiError, MatrixErrorBody, WidgetError};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

/// The reference host's message for a failed send; kept so widgets see the same text.
const SEND_FAILED: &str = "Error sending event";
/// The reference host's message for a failed update.
const UPDATE_FAILED: &str = "Error updating delayed event";

/// What a `send_event` homeserver request was, for reading its response. Made by
/// [`Homeserver::send_event`](super::Homeserver::send_event) beside the request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SendEventCall {
    room_id: String,
    delayed: Option<(Delay, Surface)>,
    limits: ServerLimits,
    url: String,
}

impl SendEventCall {
    pub(crate) fn new(room_id: String, delayed: Option<(Delay, Surface)>, limits: ServerLimits, url: String) -> Self {
        SendEventCall { room_id, delayed, limits, url }
    }

    /// The request's URL (as sent when the [`Homeserver`](super::Homeserver) has a base
    /// URL; the path and query otherwise). It is the `url` of a forwarded error.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Whether the request scheduled a delayed event.
    pub fn is_delayed(&self) -> bool {
        self.delayed.is_some()
    }

    /// Whether to send the delayed event again with
    /// [`Homeserver::send_event_with_query_parameter`](super::Homeserver::send_event_with_query_parameter):
    /// exactly when this request went to the **unstable** dedicated endpoint
    /// ([`Surface::LATEST_UNSTABLE`]) and the server answered with an error whose `errcode`
    /// is `M_UNRECOGNIZED` (it does not know the endpoint: 404, or 405 when it knows the
    /// path for another method). Such a server advertised `org.matrix.msc4140`, and every
    /// server that does reads `org.matrix.msc4140.delay` on `/send` and `/state`; Synapse
    /// is one (it advertises the delayed-event capability too, and has no dedicated route).
    ///
    /// The retry is never a plain send: a plain send would publish the event (a MatrixRTC
    /// "leave", say) at once. A stable dedicated endpoint that is unknown gets no retry:
    /// nothing says such a server reads the unstable parameter, and one that ignores it
    /// would send the event at once.
    ///
    /// ```
    /// use matrix_widget_api::from_widget::send_event::{Delay, SendEventRequestData};
    /// use matrix_widget_api::payload::RawObject;
    /// use matrix_widget_api_host::delayed_events::{Homeserver, Support, Surface};
    ///
    /// let server = Homeserver::new("", Support::Supported(Surface::LATEST_UNSTABLE))?;
    /// let data = SendEventRequestData::new("m.room.message", RawObject::empty()).with_delay(Delay::from_millis(1000).unwrap());
    /// let (_request, call) = server.send_event(&data, "!r:hs", "t1")?;
    ///
    /// let mut unrecognized = http::Response::new(br#"{"errcode":"M_UNRECOGNIZED","error":"Unrecognized request"}"#);
    /// *unrecognized.status_mut() = http::StatusCode::NOT_FOUND;
    /// assert!(call.should_retry_with_query_parameter(&unrecognized));
    /// let (request, _call) = server.send_event_with_query_parameter(&data, "!r:hs", "t1")?;
    /// assert_eq!(request.uri(), "/_matrix/client/v3/rooms/%21r%3Ahs/send/m.room.message/t1?org.matrix.msc4140.delay=1000");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn should_retry_with_query_parameter<B: AsRef<[u8]>>(&self, response: &http::Response<B>) -> bool {
        matches!(self.delayed, Some((_, surface)) if surface == Surface::new(Era::DedicatedEndpoint, Prefix::Unstable))
            && !response.status().is_success()
            && is_unrecognized(response.body().as_ref())
    }

    /// The widget's `send_event` response, read from the homeserver's.
    ///
    /// - A success with `delay_id`, to a delayed request, is
    ///   [`SendEventResponseData::scheduled`]; one with `event_id`, to an ordinary request,
    ///   [`SendEventResponseData::sent`].
    /// - A success with `event_id` to a *delayed* request is an error
    ///   ([`ErrorKind::SentImmediately`]): the server ignored the delay and the event is
    ///   already in the room. Its ID is in the message.
    /// - A failure becomes the error reply, with `matrix_api_error` filled when the body is a
    ///   Matrix error (see [`HomeserverError`]).
    ///
    /// ```
    /// use matrix_widget_api::from_widget::send_event::{Delay, SendEventRequestData, SendEventResponseData};
    /// use matrix_widget_api::payload::RawObject;
    /// use matrix_widget_api_host::delayed_events::{ErrorKind, Homeserver, Support, Surface};
    ///
    /// let server = Homeserver::new("", Support::Supported(Surface::DEPLOYED))?;
    /// let data = SendEventRequestData::new("m.room.message", RawObject::empty()).with_delay(Delay::from_millis(1000).unwrap());
    /// let (_request, call) = server.send_event(&data, "!r:hs", "t1")?;
    ///
    /// let scheduled = http::Response::new(br#"{"delay_id":"d1"}"#);
    /// assert_eq!(call.outcome(&scheduled)?, SendEventResponseData::scheduled("!r:hs", "d1"));
    ///
    /// let sent_anyway = http::Response::new(br#"{"event_id":"$e"}"#);
    /// let error = call.outcome(&sent_anyway).unwrap_err();
    /// assert_eq!(error.kind(), &ErrorKind::SentImmediately { event_id: "$e".to_owned() });
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn outcome<B: AsRef<[u8]>>(&self, response: &http::Response<B>) -> Result<SendEventResponseData, HomeserverError> {
        let body = response.body().as_ref();
        if !response.status().is_success() {
            let context = Context::Send { delayed: self.delayed, limits: self.limits };
            return Err(HomeserverError::from_failure(
                SEND_FAILED,
                context,
                &self.url,
                response.status().as_u16(),
                response.headers(),
                body,
            ));
        }
        let invalid = |why: String| HomeserverError::other(format!("{SEND_FAILED}: the homeserver's reply {why}"));
        let ids: SendBody = serde_json::from_slice(body).map_err(|e| invalid(format!("cannot be read: {e}")))?;
        match (self.delayed.is_some(), ids.event_id, ids.delay_id) {
            (true, None, Some(delay_id)) => Ok(SendEventResponseData::scheduled(&self.room_id, delay_id)),
            (false, Some(event_id), None) => Ok(SendEventResponseData::sent(&self.room_id, event_id)),
            (true, Some(event_id), None) => Err(HomeserverError {
                message: format!(
                    "{SEND_FAILED}: the homeserver sent the event at once instead of scheduling it \
                     (it does not support delayed events); the event is {event_id}"
                ),
                kind: ErrorKind::SentImmediately { event_id },
                matrix_api_error: None,
            }),
            (false, None, Some(_)) => Err(invalid("scheduled an event that was to be sent now".to_owned())),
            (_, None, None) | (_, Some(_), Some(_)) => Err(invalid("has neither or both of `event_id` and `delay_id`".to_owned())),
        }
    }
}

/// What an `update_delayed_event` homeserver request was, for reading its response. Made by
/// [`Homeserver::update_delayed_event`](super::Homeserver::update_delayed_event).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UpdateCall {
    form: super::UpdateForm,
    url: String,
}

impl UpdateCall {
    pub(crate) fn new(form: super::UpdateForm, url: String) -> Self {
        UpdateCall { form, url }
    }

    /// The request's URL, the `url` of a forwarded error.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The form the request was built in.
    pub fn form(&self) -> super::UpdateForm {
        self.form
    }

    /// Whether to send the request again in [`UpdateForm::Body`](super::UpdateForm::Body):
    /// exactly when this one was in the split form and the server answered with an error
    /// whose `errcode` is `M_UNRECOGNIZED` (it does not know the endpoint, as a server of the
    /// older text does not; its status is 404, 400 or 405 depending on the server). Any other
    /// answer is final, `M_NOT_FOUND` (an unknown delay ID) in particular.
    ///
    /// ```
    /// use matrix_widget_api::from_widget::update_delayed_event::{UpdateAction, UpdateDelayedEventRequestData};
    /// use matrix_widget_api_host::delayed_events::{Homeserver, Support, Surface, UpdateForm};
    ///
    /// let server = Homeserver::new("", Support::Supported(Surface::DEPLOYED))?;
    /// let data = UpdateDelayedEventRequestData::new("d1", UpdateAction::Cancel);
    /// let (_request, call) = server.update_delayed_event(&data, UpdateForm::Split)?;
    ///
    /// let mut unrecognized = http::Response::new(br#"{"errcode":"M_UNRECOGNIZED","error":"Unrecognized request"}"#);
    /// *unrecognized.status_mut() = http::StatusCode::NOT_FOUND;
    /// assert!(call.should_retry_with_body_form(&unrecognized));
    ///
    /// let mut unknown_id = http::Response::new(br#"{"errcode":"M_NOT_FOUND","error":"No such delayed event"}"#);
    /// *unknown_id.status_mut() = http::StatusCode::NOT_FOUND;
    /// assert!(!call.should_retry_with_body_form(&unknown_id));
    /// # Ok::<(), matrix_widget_api_host::delayed_events::HttpRequestError>(())
    /// ```
    pub fn should_retry_with_body_form<B: AsRef<[u8]>>(&self, response: &http::Response<B>) -> bool {
        self.form == super::UpdateForm::Split && !response.status().is_success() && is_unrecognized(response.body().as_ref())
    }

    /// The widget's `update_delayed_event` response (`{}`), or the error reply. A success's
    /// body is not read: every text says it is `{}`.
    pub fn outcome<B: AsRef<[u8]>>(&self, response: &http::Response<B>) -> Result<Empty, HomeserverError> {
        if response.status().is_success() {
            return Ok(Empty::new());
        }
        Err(HomeserverError::from_failure(
            UPDATE_FAILED,
            Context::Update,
            &self.url,
            response.status().as_u16(),
            response.headers(),
            response.body().as_ref(),
        ))
    }
}

/// A homeserver request that failed, as the widget's error reply and as a classification.
///
/// The reply (`From<HomeserverError> for ErrorResponseData`, so `request.reply_error(error)`)
/// has the message the reference host uses and, when the homeserver's body is a Matrix
/// error (a JSON object with a string `errcode`), `matrix_api_error` with the status, the
/// response headers (each name once, repeated values joined with `, `, `set-cookie`
/// dropped as a browser would), the request URL and the body with every field kept as it
/// came, `null`s included. A body that is not a Matrix error (a proxy's HTML page) is not
/// forwarded, as the reference host does not forward it either.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HomeserverError {
    message: String,
    kind: ErrorKind,
    /// Boxed: it is large, and errors travel in `Result`s.
    matrix_api_error: Option<Box<MatrixApiError>>,
}

impl HomeserverError {
    /// What the failure means for a delayed event.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// The message of the widget's error reply.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The homeserver's error, as forwarded.
    pub fn matrix_api_error(&self) -> Option<&MatrixApiError> {
        self.matrix_api_error.as_deref()
    }

    /// The widget's error reply.
    pub fn error_response(&self) -> ErrorResponseData {
        self.clone().into()
    }

    fn other(message: String) -> Self {
        HomeserverError { message, kind: ErrorKind::Other, matrix_api_error: None }
    }

    /// The refusal of a delayed send that the advertised limits forbid, made before any
    /// request: the error a server of the latest text (and Synapse 1.157 and later) gives,
    /// 403 `M_FORBIDDEN` with Synapse's message, for the request that was not sent. `None`
    /// when the limits allow the delay.
    pub(crate) fn refused_by_limits(url: &str, delay_ms: u64, limits: ServerLimits) -> Option<Self> {
        let (error, kind) = if limits.disabled() {
            (SYNAPSE_DISABLED.to_owned(), ErrorKind::Disabled)
        } else {
            let max = limits.max_delay_ms.filter(|max| delay_ms > *max)?;
            (format!("The requested delay ({delay_ms}ms) {SYNAPSE_TOO_LONG}{max}ms)"), ErrorKind::DelayTooLong { max_delay_ms: Some(max) })
        };
        let matrix_api_error = MatrixApiError::new(403, &BTreeMap::new(), url, MatrixErrorBody::new("M_FORBIDDEN", error));
        Some(HomeserverError { message: SEND_FAILED.to_owned(), kind, matrix_api_error: Some(Box::new(matrix_api_error)) })
    }

    fn from_failure(message: &str, context: Context, url: &str, status: u16, headers: &HeaderMap, body: &[u8]) -> Self {
        // Forwarded only when the widget's decoder will accept the reply (see `forwardable`).
        let parsed = forwardable(body).and_then(|body| serde_json::from_slice::<MatrixErrorBody>(&body).ok());
        let Some(body) = parsed else {
            return HomeserverError::other(format!("{message}: the homeserver answered with HTTP status {status}"));
        };
        let kind = classify(context, status, headers, &body);
        let matrix_api_error = MatrixApiError::new(status, &forwarded_headers(headers), url, body);
        HomeserverError { message: message.to_owned(), kind, matrix_api_error: Some(Box::new(matrix_api_error)) }
    }
}

impl From<HomeserverError> for ErrorResponseData {
    fn from(error: HomeserverError) -> Self {
        let widget_error = WidgetError::new(error.message);
        ErrorResponseData::from(match error.matrix_api_error {
            Some(matrix_api_error) => widget_error.with_matrix_api_error(*matrix_api_error),
            None => widget_error,
        })
    }
}

impl fmt::Display for HomeserverError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(error) = &self.matrix_api_error {
            write!(f, " (HTTP {}, {})", error.http_status.as_u16(), error.response.errcode)?;
        }
        Ok(())
    }
}

impl std::error::Error for HomeserverError {}

/// What a failed request means, across every MSC4140 revision's error forms.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The delay is longer than the server allows. `max_delay_ms` is the limit, from the
    /// error body (`max_delay`, `org.matrix.msc4140.max_delay`) or else from the advertised
    /// [`ServerLimits`], when known.
    DelayTooLong {
        /// The longest delay the server accepts, in milliseconds.
        max_delay_ms: Option<u64>,
    },
    /// The user has too many delayed events scheduled. `retry_after` is when one is due,
    /// from the `Retry-After` header (seconds) or `retry_after_ms`, when given, at most
    /// [`MAX_RETRY_AFTER`].
    TooManyScheduled {
        /// When to try again.
        retry_after: Option<Duration>,
    },
    /// Delayed events are disabled on the server: a limit of `0` (403 `M_FORBIDDEN` with
    /// advertised limits of `0`, or Synapse's "Sending delayed events has been disallowed"),
    /// or older Synapse's `M_MAX_DELAY_UNSUPPORTED` (in `org.matrix.msc4140.errcode`).
    Disabled,
    /// Rate limited (`M_LIMIT_EXCEEDED` where it does not mean too many scheduled).
    RateLimited {
        /// When to try again.
        retry_after: Option<Duration>,
    },
    /// `M_NOT_FOUND`: an unknown (or another user's) delay ID, or an unknown room.
    NotFound,
    /// 409: the update conflicts with how the delayed event already ended (`send` or
    /// `restart` after it was cancelled, `cancel` after it was sent).
    Conflict,
    /// `M_UNRECOGNIZED`: the server does not know the endpoint.
    Unsupported,
    /// The server sent the event at once instead of scheduling it: it ignored the delay.
    SentImmediately {
        /// The event that was sent.
        event_id: String,
    },
    /// Anything else: forwarded, not interpreted.
    Other,
}

/// What was asked, which decides what some codes mean.
#[derive(Clone, Copy)]
enum Context {
    Send { delayed: Option<(Delay, Surface)>, limits: ServerLimits },
    Update,
}

/// The classification rule; see the module docs for the table.
fn classify(context: Context, status: u16, headers: &HeaderMap, body: &MatrixErrorBody) -> ErrorKind {
    // The old unstable form wraps the real code: `M_UNKNOWN` + `org.matrix.msc4140.errcode`.
    let wrapped = (body.errcode == "M_UNKNOWN").then(|| string(body.extra.get("org.matrix.msc4140.errcode"))).flatten();
    let code = wrapped.as_deref().unwrap_or(&body.errcode);
    let (dedicated, limits, delay) = match context {
        Context::Send { delayed: Some((delay, surface)), limits } => (surface.era == Era::DedicatedEndpoint, limits, Some(delay)),
        Context::Send { delayed: None, limits } => (false, limits, None),
        Context::Update => (false, ServerLimits::UNKNOWN, None),
    };
    let message = body.error().unwrap_or_default();
    let max_delay_ms =
        || integer(body.extra.get("max_delay")).or_else(|| integer(body.extra.get("org.matrix.msc4140.max_delay"))).or(limits.max_delay_ms);
    let retry_after = || retry_after(headers, body);
    match code {
        "M_MAX_DELAY_EXCEEDED" | "ORG.MATRIX.MSC4140_MAX_DELAY_EXCEEDED" => ErrorKind::DelayTooLong { max_delay_ms: max_delay_ms() },
        // Synapse before 1.157 without `max_event_delay_duration`.
        "M_MAX_DELAY_UNSUPPORTED" => ErrorKind::Disabled,
        "M_MAX_DELAYED_EVENTS_EXCEEDED" => ErrorKind::TooManyScheduled { retry_after: retry_after() },
        "M_UNRECOGNIZED" => ErrorKind::Unsupported,
        "M_NOT_FOUND" => ErrorKind::NotFound,
        _ if status == 409 => ErrorKind::Conflict,
        // The latest text answers "too many scheduled" with the rate-limit code; so does
        // Synapse 1.157 on `/send` and `/state`, with its own message. Elsewhere it is the
        // ordinary rate limit.
        "M_LIMIT_EXCEEDED" if dedicated || (delay.is_some() && message.contains(SYNAPSE_TOO_MANY)) => {
            ErrorKind::TooManyScheduled { retry_after: retry_after() }
        }
        "M_LIMIT_EXCEEDED" => ErrorKind::RateLimited { retry_after: retry_after() },
        // An earlier revision of the latest text.
        "M_RESOURCE_LIMIT_EXCEEDED" if dedicated => ErrorKind::TooManyScheduled { retry_after: retry_after() },
        // The delay is the only parameter of a well-formed schedule request; the limit is
        // advertised in `/capabilities`. With a known limit the delay must exceed it.
        "M_INVALID_PARAM" if dedicated => match (limits.max_delay_ms, delay) {
            (Some(max), Some(delay)) if delay.as_millis() <= max => ErrorKind::Other,
            _ => ErrorKind::DelayTooLong { max_delay_ms: max_delay_ms() },
        },
        "M_FORBIDDEN" => match delay {
            Some(delay) => forbidden(delay.as_millis(), limits, &message),
            None => ErrorKind::Other,
        },
        _ => ErrorKind::Other,
    }
}

/// Synapse's (1.157 and later) message when the user has too many delayed events.
const SYNAPSE_TOO_MANY: &str = "maximum number of delayed events";
/// Synapse's message when delayed events are disabled.
const SYNAPSE_DISABLED: &str = "Sending delayed events has been disallowed";
/// Synapse's message when the delay is too long: `… exceeds the allowed maximum ({max}ms)`.
const SYNAPSE_TOO_LONG: &str = "exceeds the allowed maximum (";

/// 403 `M_FORBIDDEN` to a delayed send (both eras: the latest text and Synapse 1.157 say
/// it for a delay over the limit and for a limit of `0`). It has other causes ("not in
/// room"), so it is read as one of these only on evidence: the advertised limits, or
/// Synapse's own messages.
fn forbidden(delay_ms: u64, limits: ServerLimits, message: &str) -> ErrorKind {
    if limits.disabled() || message.contains(SYNAPSE_DISABLED) {
        return ErrorKind::Disabled;
    }
    if let Some(max) = limits.max_delay_ms.filter(|max| delay_ms > *max) {
        return ErrorKind::DelayTooLong { max_delay_ms: Some(max) };
    }
    if let Some(rest) = message.split_once(SYNAPSE_TOO_LONG).map(|(_, rest)| rest) {
        let digits = rest.split_once("ms)").map(|(n, _)| n);
        return ErrorKind::DelayTooLong { max_delay_ms: digits.and_then(|n| n.parse().ok()).or(limits.max_delay_ms) };
    }
    ErrorKind::Other
}

/// The longest wait a `Retry-After` header or a `retry_after_ms` is read as: one day. A
/// server that asks for more is read as asking for a day, so that adding the duration to
/// [`Instant::now`](std::time::Instant::now) or to a `SystemTime` can never overflow (a
/// `Retry-After: 18446744073709551615` would panic there).
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(24 * 60 * 60);

/// `Retry-After` in seconds (an HTTP date is not read), else the body's `retry_after_ms`,
/// at most [`MAX_RETRY_AFTER`].
fn retry_after(headers: &HeaderMap, body: &MatrixErrorBody) -> Option<Duration> {
    let header = headers.get(RETRY_AFTER).and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<u64>().ok());
    let after = match header {
        Some(seconds) => Duration::from_secs(seconds),
        None => Duration::from_millis(integer(body.extra.get("retry_after_ms"))?),
    };
    Some(after.min(MAX_RETRY_AFTER))
}

/// Whether an error body's `errcode` is `M_UNRECOGNIZED`.
fn is_unrecognized(body: &[u8]) -> bool {
    serde_json::from_slice::<Errcode>(body).is_ok_and(|e| e.errcode == "M_UNRECOGNIZED")
}

/// The largest error body forwarded to the widget. Matrix error bodies are a few hundred
/// bytes; a larger one is a proxy's page or an attack, and would make the reply large.
const MAX_FORWARDED_BODY: usize = 64 * 1024;
/// The deepest nesting of a forwarded error body. The reply wraps it in four more levels
/// (`response.error.matrix_api_error.response`), well within the decoder's default 64.
const MAX_FORWARDED_DEPTH: usize = 32;

/// The error body as it can be forwarded, or `None` when it cannot be: over
/// [`MAX_FORWARDED_BODY`] or nested deeper than [`MAX_FORWARDED_DEPTH`]. Lone surrogate
/// escapes (`"\ud800"`), which the widget's decoder refuses (they are not text), become
/// `"\ufffd"`, the replacement character; everything else is kept byte for byte.
fn forwardable(body: &[u8]) -> Option<Cow<'_, [u8]>> {
    if body.len() > MAX_FORWARDED_BODY || nesting(body) > MAX_FORWARDED_DEPTH {
        return None;
    }
    Some(replace_lone_surrogates(body))
}

/// The deepest nesting of objects and arrays in JSON text (brackets inside strings skipped).
fn nesting(body: &[u8]) -> usize {
    let (mut depth, mut deepest, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for &b in body {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// JSON text with every `\uXXXX` escape of a surrogate half that is not part of a pair
/// replaced by `\ufffd`. Backslashes only occur inside strings in JSON, so every
/// backslash starts an escape; `\\` is skipped as one.
fn replace_lone_surrogates(body: &[u8]) -> Cow<'_, [u8]> {
    /// The UTF-16 unit of a `\uXXXX` escape at `at`.
    fn unit(bytes: &[u8], at: usize) -> Option<u16> {
        let hex = bytes.get(at..at + 6)?.strip_prefix(br"\u")?;
        u16::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()
    }
    let high = |u: u16| (0xD800..0xDC00).contains(&u);
    let low = |u: u16| (0xDC00..0xE000).contains(&u);
    let (mut out, mut copied, mut i) = (Vec::new(), 0, 0);
    while let Some(&b) = body.get(i) {
        if b != b'\\' {
            i += 1;
            continue;
        }
        match unit(body, i) {
            // `\\`, `\"`, `\n`, …: the escaped character never starts another escape.
            None => i += 2,
            Some(u) if high(u) && unit(body, i + 6).is_some_and(low) => i += 12,
            Some(u) if high(u) || low(u) => {
                out.extend_from_slice(body.get(copied..i).unwrap_or_default());
                out.extend_from_slice(br"\ufffd");
                i += 6;
                copied = i;
            }
            Some(_) => i += 6,
        }
    }
    if copied == 0 {
        return Cow::Borrowed(body);
    }
    out.extend_from_slice(body.get(copied..).unwrap_or_default());
    Cow::Owned(out)
}

/// A raw value read as a non-negative integer (an integral float such as `8.64e7` counts).
fn integer(raw: Option<&RawValue>) -> Option<u64> {
    let raw = raw?.get();
    if let Ok(n) = serde_json::from_str::<u64>(raw) {
        return Some(n);
    }
    let f = serde_json::from_str::<f64>(raw).ok()?;
    // Exactly representable integers only; `as` saturates, so the range check is exact.
    (f.fract() == 0.0 && (0.0..=9_007_199_254_740_991.0).contains(&f)).then_some(f as u64)
}

fn string(raw: Option<&RawValue>) -> Option<String> {
    serde_json::from_str(raw?.get()).ok()
}

/// The response headers a widget may see: those a browser's `fetch` exposes to web content
/// without CORS opt-in (`Cache-Control`, `Content-Language`, `Content-Length`,
/// `Content-Type`, `Expires`, `Last-Modified`, `Pragma`), and `Retry-After`, which a widget
/// needs to back off. Anything else a homeserver or a proxy in front of it sends
/// (cookies, authentication challenges, tracing headers) stays with the host.
const FORWARDED_HEADERS: [&str; 8] =
    ["cache-control", "content-language", "content-length", "content-type", "expires", "last-modified", "pragma", "retry-after"];

/// The response headers as the widget sees them.
fn forwarded_headers(headers: &HeaderMap) -> BTreeMap<String, String> {
    let mut map: BTreeMap<String, String> = BTreeMap::new();
    for (name, value) in headers {
        if name == SET_COOKIE || !FORWARDED_HEADERS.contains(&name.as_str()) {
            continue;
        }
        let value = String::from_utf8_lossy(value.as_bytes());
        match map.get_mut(name.as_str()) {
            Some(joined) => {
                joined.push_str(", ");
                joined.push_str(&value);
            }
            None => {
                map.insert(name.as_str().to_owned(), value.into_owned());
            }
        }
    }
    map
}

/// The IDs of a successful send.
#[derive(Deserialize)]
struct SendBody {
    #[serde(default)]
    event_id: Option<String>,
    #[serde(default)]
    delay_id: Option<String>,
}

/// Only the code of an error body.
#[derive(Deserialize)]
struct Errcode {
    errcode: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lone_surrogates_are_replaced_and_pairs_kept() {
        let cases: &[(&str, &str)] = &[
            (r#"{"error":"\ud800"}"#, r#"{"error":"\ufffd"}"#),
            (r#"{"error":"a\udc00b\ud800"}"#, r#"{"error":"a\ufffdb\ufffd"}"#),
            (r#"{"error":"\ud83e\udd80"}"#, r#"{"error":"\ud83e\udd80"}"#),
            (r#"{"error":"\\ud800"}"#, r#"{"error":"\\ud800"}"#),
            (r#"{"error":"\ud800\ud800\udc00"}"#, r#"{"error":"\ufffd\ud800\udc00"}"#),
            (r#"{"error":"\u0041\n"}"#, r#"{"error":"\u0041\n"}"#),
            (r#"{"error":"\ud8"}"#, r#"{"error":"\ud8"}"#),
        ];
        for (body, expected) in cases {
            assert_eq!(std::str::from_utf8(&replace_lone_surrogates(body.as_bytes())).unwrap(), *expected, "{body}");
        }
        assert!(matches!(replace_lone_surrogates(br#"{"a":"\ud83e\udd80"}"#), Cow::Borrowed(_)));
    }

    #[test]
    fn nesting_skips_strings() {
        assert_eq!(nesting(br#"{"a":[{"b":"[[[{{{"}]}"#), 3);
        assert_eq!(nesting(br#"{"a":"\"[["}"#), 1);
        assert_eq!(nesting(b"1"), 0);
    }
}
