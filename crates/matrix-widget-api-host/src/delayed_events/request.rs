//! Widget requests → homeserver requests.

use super::path::{Empty, push_segment};
use super::response::{HomeserverError, SendEventCall, UpdateCall};
use super::{Era, Prefix, ServerLimits, Support, Surface};
use http::header::{CONTENT_TYPE, HeaderValue};
use http::{Method, Uri};
use matrix_widget_api::ErrorResponseData;
use matrix_widget_api::from_widget::send_event::SendEventRequestData;
use matrix_widget_api::from_widget::update_delayed_event::{UpdateAction, UpdateDelayedEventRequestData};
use serde::Serialize;
use serde_json::value::RawValue;
use std::fmt::{self, Write as _};

/// The client-server API root of the ordinary endpoints and of the latest text's stable
/// schedule endpoint.
const V3: &str = "/_matrix/client/v3";
/// The stable root of the update endpoints.
const V1: &str = "/_matrix/client/v1";
/// The unstable root of every MSC4140-specific endpoint.
const UNSTABLE: &str = "/_matrix/client/unstable/org.matrix.msc4140";
/// The delay query parameter of the deployed era.
const DELAY_PARAM_UNSTABLE: &str = "org.matrix.msc4140.delay";
/// Its stable name.
const DELAY_PARAM_STABLE: &str = "delay";
/// MSC4354's sticky duration query parameter, as matrix-js-sdk sends it.
const STICKY_PARAM: &str = "org.matrix.msc4354.sticky_duration_ms";
/// The event type sent to `/redact` when it is not delayed (wire decision 34).
const REDACTION: &str = "m.room.redaction";
/// The longest event type, room ID, event ID or delay ID sent: the specification caps
/// identifiers and event types at 255 bytes.
pub const MAX_ID_BYTES: usize = 255;

/// The homeserver as the host knows it: where it is and what it supports. Build it once per
/// session; every request is built from it.
///
/// ```
/// use matrix_widget_api_host::delayed_events::{Homeserver, Support, Surface};
///
/// let server = Homeserver::new("https://matrix.example.org/", Support::Supported(Surface::DEPLOYED))?;
/// assert_eq!(server.base_url(), "https://matrix.example.org");
/// # Ok::<(), matrix_widget_api_host::delayed_events::HttpRequestError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Homeserver {
    base_url: String,
    support: Support,
    limits: ServerLimits,
}

impl Homeserver {
    /// A homeserver at `base_url` (`https://matrix.example.org`; a path prefix is kept and a
    /// trailing `/` dropped) with `support` (see [`detect`](super::detect)).
    ///
    /// An empty `base_url` gives requests whose URI is only the path and query
    /// (`/_matrix/client/v3/rooms/…`), for a host whose client prepends the server itself.
    /// Otherwise it must be an `http` or `https` URL without a query or fragment.
    pub fn new(base_url: &str, support: Support) -> Result<Self, HttpRequestError> {
        let base_url = base_url.trim_end_matches('/');
        if !base_url.is_empty() {
            let invalid = |why: &str| HttpRequestError::InvalidBaseUrl(format!("`{base_url}` {why}"));
            if base_url.contains(['?', '#']) {
                return Err(invalid("has a query or a fragment"));
            }
            let uri: Uri = base_url.parse().map_err(|e| invalid(&format!("is not a URL: {e}")))?;
            if !matches!(uri.scheme_str(), Some("http" | "https")) || uri.authority().is_none() {
                return Err(invalid("is not an absolute http(s) URL"));
            }
            // The URL of a failed request is forwarded to the widget: no credentials in it.
            if uri.authority().is_some_and(|a| a.as_str().contains('@')) {
                return Err(invalid("has credentials in it (user info before `@`)"));
            }
        }
        Ok(Homeserver { base_url: base_url.to_owned(), support, limits: ServerLimits::UNKNOWN })
    }

    /// The same server with the delayed-event limits it advertises (see
    /// [`ServerLimits::from_capabilities`]). A delayed send longer than the advertised
    /// `max_delay_ms` is then refused before any request ([`HttpRequestError::DelayTooLong`]),
    /// and the limits make the classification of some errors precise.
    pub fn with_limits(self, limits: ServerLimits) -> Self {
        Homeserver { limits, ..self }
    }

    /// The base URL, without a trailing `/` (empty for path-only URIs).
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Whether, and how, the server schedules delayed events.
    pub fn support(&self) -> Support {
        self.support
    }

    /// The limits given with [`Homeserver::with_limits`].
    pub fn limits(&self) -> ServerLimits {
        self.limits
    }

    /// The homeserver request for a widget's `send_event` into `room_id` (the widget's
    /// `room_id`, or the room the widget is viewing), and what to expect of the reply.
    ///
    /// A send without `delay` becomes the ordinary `PUT /rooms/{roomId}/send/{type}/{txnId}`
    /// or `PUT /rooms/{roomId}/state/{type}/{stateKey}`, whatever the server supports; an
    /// `m.room.redaction` (not delayed, not sticky, not a state event) becomes
    /// `PUT /rooms/{roomId}/redact/{content.redacts}/{txnId}` with the content as the body,
    /// as matrix-js-sdk and matrix-rust-sdk send it (wire decision 34). A send with `delay`
    /// becomes the MSC4140 request of the server's [`Surface`], and fails with
    /// [`HttpRequestError::Unsupported`] when the server does not support delayed events,
    /// or [`HttpRequestError::DelayTooLong`] when the delay is over the limit given with
    /// [`Homeserver::with_limits`]: the host must then refuse the widget's request
    /// (`request.reply_error(error)`).
    ///
    /// An event type or room ID over [`MAX_ID_BYTES`], or a URL too long to build (a
    /// state key of tens of kilobytes), is [`HttpRequestError::InvalidRequest`].
    ///
    /// `txn_id` is the transaction ID the host makes up for this request (unique per access
    /// token). The `/state` endpoint has none, so it is only checked and used for message
    /// events and for the dedicated endpoint.
    ///
    /// `parent_delay_id` and unknown fields of the widget's data are never sent. A
    /// `sticky_duration_ms` of `0` is sent as a non-sticky event, as the reference host does.
    ///
    /// ```
    /// use matrix_widget_api::from_widget::send_event::{Delay, SendEventRequestData};
    /// use matrix_widget_api::payload::RawObject;
    /// use matrix_widget_api_host::delayed_events::{Homeserver, Support, Surface};
    ///
    /// let server = Homeserver::new("https://hs.example", Support::Supported(Surface::DEPLOYED))?;
    /// let data = SendEventRequestData::new("m.room.message", RawObject::from_json(r#"{"body":"hi"}"#)?)
    ///     .with_delay(Delay::from_millis(5000).unwrap());
    /// let (request, _call) = server.send_event(&data, "!room:hs.example", "txn1")?;
    /// assert_eq!(request.method(), "PUT");
    /// assert_eq!(
    ///     request.uri(),
    ///     "https://hs.example/_matrix/client/v3/rooms/%21room%3Ahs.example/send/m.room.message/txn1?org.matrix.msc4140.delay=5000"
    /// );
    /// assert_eq!(request.body(), br#"{"body":"hi"}"#);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn send_event(
        &self,
        data: &SendEventRequestData,
        room_id: &str,
        txn_id: &str,
    ) -> Result<(http::Request<Vec<u8>>, SendEventCall), HttpRequestError> {
        self.send_event_on(data, room_id, txn_id, self.support.surface())
    }

    /// The retry of a delayed send after
    /// [`SendEventCall::should_retry_with_query_parameter`]: the same send with the delay as
    /// the `org.matrix.msc4140.delay` query parameter on `/send` or `/state`
    /// ([`Surface::DEPLOYED`]), whatever the server's surface. Fails with
    /// [`HttpRequestError::Unsupported`] when the server does not support delayed events at
    /// all. A send without `delay` is built as [`Homeserver::send_event`] builds it.
    pub fn send_event_with_query_parameter(
        &self,
        data: &SendEventRequestData,
        room_id: &str,
        txn_id: &str,
    ) -> Result<(http::Request<Vec<u8>>, SendEventCall), HttpRequestError> {
        self.send_event_on(data, room_id, txn_id, self.support.surface().map(|_| Surface::DEPLOYED))
    }

    fn send_event_on(
        &self,
        data: &SendEventRequestData,
        room_id: &str,
        txn_id: &str,
        surface: Option<Surface>,
    ) -> Result<(http::Request<Vec<u8>>, SendEventCall), HttpRequestError> {
        data.validate().map_err(HttpRequestError::InvalidRequest)?;
        check_id_length("the event type", &data.event_type)?;
        check_id_length("the room ID", room_id)?;
        let delayed = match (data.delay, surface) {
            (None, _) => None,
            (Some(delay), Some(surface)) => Some((delay, surface)),
            (Some(_), None) => return Err(HttpRequestError::Unsupported),
        };
        // A duration of 0 is no stickiness; state events cannot be sticky (checked above).
        let sticky = data.sticky_duration_ms.filter(|d| d.as_millis() > 0);
        let mut uri = String::with_capacity(self.base_url.len() + 96 + room_id.len() + data.event_type.len() + txn_id.len());
        uri.push_str(&self.base_url);
        let mut query = Query::new();
        let body = match delayed {
            Some((delay, surface)) if surface.era == Era::DedicatedEndpoint => {
                uri.push_str(match surface.prefix {
                    Prefix::Unstable => UNSTABLE,
                    Prefix::Stable => V3,
                });
                push_room(&mut uri, room_id)?;
                uri.push_str("/delayed_event/");
                push_segment(&mut uri, "the event type", &data.event_type, Empty::Rejected)?;
                uri.push('/');
                push_segment(&mut uri, "the transaction ID", txn_id, Empty::Rejected)?;
                // Both names of the delay (wire decision 32).
                let body = DelayedEventBody {
                    delay_ms: delay.as_millis(),
                    delay: delay.as_millis(),
                    state_key: data.state_key.as_deref(),
                    content: data.content.as_raw(),
                };
                serde_json::to_vec(&body).map_err(|e| HttpRequestError::InvalidRequest(format!("the content cannot be sent: {e}")))?
            }
            _ => {
                uri.push_str(V3);
                push_room(&mut uri, room_id)?;
                let redaction = delayed.is_none() && sticky.is_none() && data.state_key.is_none() && data.event_type == REDACTION;
                match &data.state_key {
                    None if redaction => {
                        let event_id = redacts(data.content.get())?;
                        uri.push_str("/redact/");
                        push_segment(&mut uri, "the redacted event ID", &event_id, Empty::Rejected)?;
                        uri.push('/');
                        push_segment(&mut uri, "the transaction ID", txn_id, Empty::Rejected)?;
                    }
                    Some(state_key) => {
                        uri.push_str("/state/");
                        push_segment(&mut uri, "the event type", &data.event_type, Empty::Rejected)?;
                        uri.push('/');
                        push_segment(&mut uri, "the state key", state_key, Empty::Allowed)?;
                    }
                    None => {
                        uri.push_str("/send/");
                        push_segment(&mut uri, "the event type", &data.event_type, Empty::Rejected)?;
                        uri.push('/');
                        push_segment(&mut uri, "the transaction ID", txn_id, Empty::Rejected)?;
                    }
                }
                if let Some((delay, surface)) = delayed {
                    let name = match surface.prefix {
                        Prefix::Unstable => DELAY_PARAM_UNSTABLE,
                        Prefix::Stable => DELAY_PARAM_STABLE,
                    };
                    query.push(&mut uri, name, delay.as_millis());
                }
                data.content.get().as_bytes().to_vec()
            }
        };
        if let Some(sticky) = sticky {
            query.push(&mut uri, STICKY_PARAM, u64::from(sticky.as_millis()));
        }
        if let Some((delay, _)) = delayed
            && let Some(refusal) = HomeserverError::refused_by_limits(&uri, delay.as_millis(), self.limits)
        {
            return Err(HttpRequestError::DelayTooLong(Box::new(refusal)));
        }
        let request = build(Method::PUT, uri.clone(), body)?;
        let call = SendEventCall::new(room_id.to_owned(), delayed, self.limits, uri);
        Ok((request, call))
    }

    /// The homeserver request for a widget's `update_delayed_event`, in `form`, and what to
    /// expect of the reply. Start with [`UpdateForm::Split`]; when
    /// [`UpdateCall::should_retry_with_body_form`] says so, build it again with
    /// [`UpdateForm::Body`] and send that.
    ///
    /// `refresh` (MSC4157's old word) is sent as `restart`. Fails with
    /// [`HttpRequestError::Unsupported`] when the server does not support delayed events.
    ///
    /// ```
    /// use matrix_widget_api::from_widget::update_delayed_event::{UpdateAction, UpdateDelayedEventRequestData};
    /// use matrix_widget_api_host::delayed_events::{Homeserver, Support, Surface, UpdateForm};
    ///
    /// let server = Homeserver::new("", Support::Supported(Surface::DEPLOYED))?;
    /// let data = UpdateDelayedEventRequestData::new("syd_abc", UpdateAction::Restart);
    /// let (request, _call) = server.update_delayed_event(&data, UpdateForm::Split)?;
    /// assert_eq!(request.method(), "POST");
    /// assert_eq!(request.uri(), "/_matrix/client/unstable/org.matrix.msc4140/delayed_events/syd_abc/restart");
    /// assert_eq!(request.body(), b"{}");
    ///
    /// let (request, _call) = server.update_delayed_event(&data, UpdateForm::Body)?;
    /// assert_eq!(request.uri(), "/_matrix/client/unstable/org.matrix.msc4140/delayed_events/syd_abc");
    /// assert_eq!(request.body(), br#"{"action":"restart"}"#);
    /// # Ok::<(), matrix_widget_api_host::delayed_events::HttpRequestError>(())
    /// ```
    pub fn update_delayed_event(
        &self,
        data: &UpdateDelayedEventRequestData,
        form: UpdateForm,
    ) -> Result<(http::Request<Vec<u8>>, UpdateCall), HttpRequestError> {
        data.validate().map_err(HttpRequestError::InvalidRequest)?;
        check_id_length("`delay_id`", &data.delay_id)?;
        let surface = self.support.surface().ok_or(HttpRequestError::Unsupported)?;
        let action = match data.action.value() {
            UpdateAction::Cancel => "cancel",
            UpdateAction::Restart => "restart",
            UpdateAction::Send => "send",
        };
        let mut uri = String::with_capacity(self.base_url.len() + 64 + data.delay_id.len());
        uri.push_str(&self.base_url);
        uri.push_str(match surface.prefix {
            Prefix::Unstable => UNSTABLE,
            Prefix::Stable => V1,
        });
        uri.push_str("/delayed_events/");
        push_segment(&mut uri, "`delay_id`", &data.delay_id, Empty::Rejected)?;
        let body = match form {
            UpdateForm::Split => {
                uri.push('/');
                uri.push_str(action);
                b"{}".to_vec()
            }
            UpdateForm::Body => format!(r#"{{"action":"{action}"}}"#).into_bytes(),
        };
        let request = build(Method::POST, uri.clone(), body)?;
        Ok((request, UpdateCall::new(form, uri)))
    }
}

/// The two shapes of the update request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UpdateForm {
    /// `POST …/delayed_events/{delay_id}/{action}` with body `{}`: the current MSC4140 text.
    Split,
    /// `POST …/delayed_events/{delay_id}` with body `{"action": …}`: the older text, which
    /// Synapse serves. Only for a retry after [`UpdateCall::should_retry_with_body_form`].
    Body,
}

/// Why a homeserver request could not be built.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum HttpRequestError {
    /// The widget asked for a delayed event and the homeserver does not support them. The
    /// host must refuse the request: a server without MSC4140 would send the event at once.
    Unsupported,
    /// The widget's request cannot be sent as it is (an empty or dot-segment path value, a
    /// sticky state event, an event type or ID over [`MAX_ID_BYTES`], a URL too long to
    /// build, …).
    InvalidRequest(String),
    /// The delay is longer than the maximum the server advertises
    /// ([`Homeserver::with_limits`]), or the advertised limits are `0`; no request was
    /// made. The error is the one the server would have given (403 `M_FORBIDDEN`, "The
    /// requested delay (…ms) exceeds the allowed maximum (…ms)" with
    /// [`ErrorKind::DelayTooLong`](super::ErrorKind::DelayTooLong), or "Sending delayed
    /// events has been disallowed" with [`ErrorKind::Disabled`](super::ErrorKind::Disabled),
    /// for the URL that was not requested): the widget's reply is
    /// `ErrorResponseData::from(error)`, `matrix_api_error` included.
    DelayTooLong(Box<HomeserverError>),
    /// The base URL given to [`Homeserver::new`] is not usable.
    InvalidBaseUrl(String),
}

impl fmt::Display for HttpRequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HttpRequestError::Unsupported => f.write_str("The homeserver does not support delayed events (MSC4140)"),
            HttpRequestError::InvalidRequest(why) => write!(f, "Invalid request: {why}"),
            HttpRequestError::DelayTooLong(error) => {
                f.write_str("Refused before sending, as the homeserver would refuse it")?;
                if let Some(e) = error.matrix_api_error() {
                    write!(f, " (HTTP {}, {}): {}", e.http_status.as_u16(), e.response.errcode, e.response.error().unwrap_or_default())?;
                }
                Ok(())
            }
            HttpRequestError::InvalidBaseUrl(why) => write!(f, "invalid homeserver base URL: {why}"),
        }
    }
}

impl std::error::Error for HttpRequestError {}

/// The widget's error reply, with the error's text as the message.
impl From<HttpRequestError> for ErrorResponseData {
    fn from(error: HttpRequestError) -> Self {
        match error {
            HttpRequestError::DelayTooLong(error) => (*error).into(),
            error => ErrorResponseData::new(error.to_string()),
        }
    }
}

/// The body of the latest text's schedule endpoint. The content is copied byte for byte.
/// The delay is under both names: `delay_ms` (the latest text) and `delay` (ruma, and the
/// servers built on it: wire decision 32).
#[derive(Serialize)]
struct DelayedEventBody<'a> {
    delay_ms: u64,
    delay: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    state_key: Option<&'a str>,
    content: &'a RawValue,
}

/// `/rooms/{roomId}`.
fn push_room(uri: &mut String, room_id: &str) -> Result<(), HttpRequestError> {
    uri.push_str("/rooms/");
    push_segment(uri, "the room ID", room_id, Empty::Rejected)
}

/// Query parameters with integer values (no value needs encoding).
struct Query {
    first: bool,
}

impl Query {
    fn new() -> Self {
        Query { first: true }
    }

    fn push(&mut self, uri: &mut String, name: &str, value: u64) {
        uri.push(if self.first { '?' } else { '&' });
        self.first = false;
        // Writing to a `String` cannot fail.
        let _ = write!(uri, "{name}={value}");
    }
}

/// Refuses an event type or ID longer than the specification allows, before it makes a URL.
fn check_id_length(what: &str, value: &str) -> Result<(), HttpRequestError> {
    if value.len() > MAX_ID_BYTES {
        return Err(HttpRequestError::InvalidRequest(format!("{what} is {} bytes long; at most {MAX_ID_BYTES} are allowed", value.len())));
    }
    Ok(())
}

/// `content.redacts` of a redaction, which names the event to redact.
fn redacts(content: &str) -> Result<String, HttpRequestError> {
    #[derive(serde::Deserialize)]
    struct Redacts {
        redacts: String,
    }
    let missing = || HttpRequestError::InvalidRequest("an `m.room.redaction` needs the event ID to redact in `content.redacts`".to_owned());
    // Other fields (`reason`, …) stay in the body, which is the content as sent.
    let Redacts { redacts } = serde_json::from_str(content).map_err(|_| missing())?;
    check_id_length("`content.redacts`", &redacts)?;
    Ok(redacts)
}

/// The request. The base URL was checked by [`Homeserver::new`] and every value is a
/// percent-encoded segment or an integer, so the only way the URI fails is its length
/// (the `http` crate refuses URIs of 64 KiB and more): a widget's value, not the host's
/// configuration.
fn build(method: Method, uri: String, body: Vec<u8>) -> Result<http::Request<Vec<u8>>, HttpRequestError> {
    let len = uri.len();
    let uri = Uri::try_from(uri)
        .map_err(|e| HttpRequestError::InvalidRequest(format!("the request's URL ({len} bytes) cannot be built: {e}")))?;
    let mut request = http::Request::new(body);
    *request.method_mut() = method;
    *request.uri_mut() = uri;
    request.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    Ok(request)
}
