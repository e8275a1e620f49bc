//! Homeserver responses → widget replies.

use super::{Era, ServerLimits};
use http::HeaderMap;
use http::header::{RETRY_AFTER, SET_COOKIE};
use matrix_widget_api::from_widget::send_event::{Delay, SendEventResponseData};
use matrix_widget_api::payload::Empty;
use matrix_widget_api::{ErrorResponseData, MatrixApiError, MatrixErrorBody, WidgetError};
use serde::Deserialize;
use serde_json::value::RawValue;
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
    delayed: Option<(Delay, Era)>,
    limits: ServerLimits,
    url: String,
}

impl SendEventCall {
    pub(crate) fn new(room_id: String, delayed: Option<(Delay, Era)>, limits: ServerLimits, url: String) -> Self {
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
        self.form == super::UpdateForm::Split
            && !response.status().is_success()
            && serde_json::from_slice::<Errcode>(response.body().as_ref()).is_ok_and(|e| e.errcode == "M_UNRECOGNIZED")
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

    fn from_failure(message: &str, context: Context, url: &str, status: u16, headers: &HeaderMap, body: &[u8]) -> Self {
        let Ok(body) = serde_json::from_slice::<MatrixErrorBody>(body) else {
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
    /// from the `Retry-After` header (seconds) or `retry_after_ms`, when given.
    TooManyScheduled {
        /// When to try again.
        retry_after: Option<Duration>,
    },
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
    Send { delayed: Option<(Delay, Era)>, limits: ServerLimits },
    Update,
}

/// The classification rule; see the module docs for the table.
fn classify(context: Context, status: u16, headers: &HeaderMap, body: &MatrixErrorBody) -> ErrorKind {
    // The old unstable form wraps the real code: `M_UNKNOWN` + `org.matrix.msc4140.errcode`.
    let wrapped = (body.errcode == "M_UNKNOWN").then(|| string(body.extra.get("org.matrix.msc4140.errcode"))).flatten();
    let code = wrapped.as_deref().unwrap_or(&body.errcode);
    let (dedicated, limits, delay) = match context {
        Context::Send { delayed: Some((delay, era)), limits } => (era == Era::DedicatedEndpoint, limits, Some(delay)),
        Context::Send { delayed: None, limits } => (false, limits, None),
        Context::Update => (false, ServerLimits::UNKNOWN, None),
    };
    let max_delay_ms =
        || integer(body.extra.get("max_delay")).or_else(|| integer(body.extra.get("org.matrix.msc4140.max_delay"))).or(limits.max_delay_ms);
    let retry_after = || retry_after(headers, body);
    match code {
        "M_MAX_DELAY_EXCEEDED" | "ORG.MATRIX.MSC4140_MAX_DELAY_EXCEEDED" => ErrorKind::DelayTooLong { max_delay_ms: max_delay_ms() },
        "M_MAX_DELAYED_EVENTS_EXCEEDED" => ErrorKind::TooManyScheduled { retry_after: retry_after() },
        "M_UNRECOGNIZED" => ErrorKind::Unsupported,
        "M_NOT_FOUND" => ErrorKind::NotFound,
        _ if status == 409 => ErrorKind::Conflict,
        // The latest text answers "too many scheduled" with the rate-limit code; elsewhere
        // it is the ordinary rate limit.
        "M_LIMIT_EXCEEDED" if dedicated => ErrorKind::TooManyScheduled { retry_after: retry_after() },
        "M_LIMIT_EXCEEDED" => ErrorKind::RateLimited { retry_after: retry_after() },
        // An earlier revision of the latest text.
        "M_RESOURCE_LIMIT_EXCEEDED" if dedicated => ErrorKind::TooManyScheduled { retry_after: retry_after() },
        // The delay is the only parameter of a well-formed schedule request; the limit is
        // advertised in `/capabilities`. With a known limit the delay must exceed it.
        "M_INVALID_PARAM" if dedicated => match (limits.max_delay_ms, delay) {
            (Some(max), Some(delay)) if delay.as_millis() <= max => ErrorKind::Other,
            _ => ErrorKind::DelayTooLong { max_delay_ms: max_delay_ms() },
        },
        // `M_FORBIDDEN` has other causes, so it is read as the delay limit only when the
        // advertised limits say the delay breaks them.
        "M_FORBIDDEN" if dedicated && limits.disabled() => ErrorKind::Unsupported,
        "M_FORBIDDEN" if dedicated => match (limits.max_delay_ms, delay) {
            (Some(max), Some(delay)) if delay.as_millis() > max => ErrorKind::DelayTooLong { max_delay_ms: Some(max) },
            _ => ErrorKind::Other,
        },
        _ => ErrorKind::Other,
    }
}

/// `Retry-After` in seconds (an HTTP date is not read), else the body's `retry_after_ms`.
fn retry_after(headers: &HeaderMap, body: &MatrixErrorBody) -> Option<Duration> {
    let header = headers.get(RETRY_AFTER).and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<u64>().ok());
    match header {
        Some(seconds) => Some(Duration::from_secs(seconds)),
        None => integer(body.extra.get("retry_after_ms")).map(Duration::from_millis),
    }
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
