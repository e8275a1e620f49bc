//! Decoding a message in stages, so that a host can always answer:
//!
//! 1. Not JSON, or not an envelope (the transport's rules: non-empty `widgetId`, `requestId` and `action`; a role receives only what can reach it) → [`DecodeError::Malformed`]:
//!    there is no request to answer.
//! 2. A valid envelope whose `data` (or `response`) is wrong → [`DecodeError::Invalid`],
//!    which still carries the envelope and can build the error reply.
//! 3. Otherwise a typed [`Message`].
//!
//! When `api` and `action` come before `data` (as every known peer writes them), `data` is
//! decoded into its typed payload in the same pass over the bytes. Otherwise, or when the
//! first pass fails, `data` is captured as raw JSON and decoded after the envelope, which
//! is also how the precise error of stage 2 is found.
//!
//! The pass is in `decode/visitor.rs`, the second stage (which runs the pass) in
//! `decode/finish.rs`, the errors in `decode/error.rs`; whether a reply is an error reply is
//! decided in `outcome.rs`, for both paths.

mod error;
mod finish;
mod json;
#[cfg(test)]
mod key_order;
mod visitor;

pub use error::{DecodeError, InvalidMessage};
pub(crate) use json::from_str as from_str_fast;

use crate::action::ActionName;
use crate::api::Api;
use crate::api::Role;
use crate::message::Envelope;
use crate::naming::Spelled;
use crate::{FromWidgetRequest, FromWidgetResponse};
use crate::{ToWidgetRequest, ToWidgetResponse};
use serde::de;
use serde::{Serialize, Serializer};
#[cfg(feature = "schema")]
use std::borrow::Cow;

/// Any decoded message.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Message {
    /// A request from the widget (received by a host).
    FromWidgetRequest(FromWidgetRequest),
    /// A request from the host (received by a widget).
    ToWidgetRequest(ToWidgetRequest),
    /// A reply to a fromWidget request (received by the widget).
    FromWidgetResponse(FromWidgetResponse),
    /// A reply to a toWidget request (received by the host).
    ToWidgetResponse(ToWidgetResponse),
}

impl Message {
    /// The envelope.
    pub fn envelope(&self) -> &Envelope {
        match self {
            Message::FromWidgetRequest(m) => m.envelope(),
            Message::ToWidgetRequest(m) => m.envelope(),
            Message::FromWidgetResponse(m) => m.envelope(),
            Message::ToWidgetResponse(m) => m.envelope(),
        }
    }

    /// Whether it is a reply (a success or an error response).
    pub fn is_response(&self) -> bool {
        matches!(self, Message::FromWidgetResponse(_) | Message::ToWidgetResponse(_))
    }

    /// A request, a response or an error response.
    pub fn kind(&self) -> MessageKind {
        match self {
            Message::FromWidgetRequest(_) | Message::ToWidgetRequest(_) => MessageKind::Request,
            Message::FromWidgetResponse(r) if r.is_error() => MessageKind::ErrorResponse,
            Message::ToWidgetResponse(r) if r.is_error() => MessageKind::ErrorResponse,
            Message::FromWidgetResponse(_) | Message::ToWidgetResponse(_) => MessageKind::Response,
        }
    }

    /// The direction of the request (a reply keeps its request's `api`).
    pub fn api(&self) -> Api {
        self.envelope().api()
    }

    /// The action, in the spelling it arrived in ([`Spelled::spelling`] is `None` for an
    /// action this crate does not know).
    pub fn action(&self) -> &Spelled<ActionName> {
        self.envelope().action()
    }

    /// Whether the payload (`data` of a request, `response` of a reply) is typed, rather
    /// than kept raw in an `Other` variant.
    pub fn is_typed(&self) -> bool {
        match self {
            Message::FromWidgetRequest(m) => m.is_typed(),
            Message::ToWidgetRequest(m) => m.is_typed(),
            Message::FromWidgetResponse(m) => m.is_typed(),
            Message::ToWidgetResponse(m) => m.is_typed(),
        }
    }
}

/// What a message is, as tools report it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MessageKind {
    /// A request (no `response`).
    Request,
    /// A success reply.
    Response,
    /// A reply whose `response` is an error (`response.error.message` is a string).
    ErrorResponse,
}

impl MessageKind {
    /// `"request"`, `"response"` or `"error_response"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            MessageKind::Request => "request",
            MessageKind::Response => "response",
            MessageKind::ErrorResponse => "error_response",
        }
    }
}

/// What a host receives: the widget's requests, and the replies to the host's own
/// toWidget requests. Decoded by [`decode_host`]; a match on it is exhaustive.
#[derive(Clone, Debug, PartialEq)]
pub enum HostMessage {
    /// A request from the widget, to answer with [`Request::reply`](crate::Request::reply).
    Request(FromWidgetRequest),
    /// The widget's reply to a toWidget request.
    Response(ToWidgetResponse),
}

/// What a widget receives: the host's requests, and the replies to the widget's own
/// fromWidget requests. Decoded by [`decode_widget`]; a match on it is exhaustive.
#[derive(Clone, Debug, PartialEq)]
pub enum WidgetMessage {
    /// A request from the host, to answer with [`Request::reply`](crate::Request::reply).
    Request(ToWidgetRequest),
    /// The host's reply to a fromWidget request.
    Response(FromWidgetResponse),
}

impl HostMessage {
    /// The envelope.
    pub fn envelope(&self) -> &Envelope {
        match self {
            HostMessage::Request(m) => m.envelope(),
            HostMessage::Response(m) => m.envelope(),
        }
    }
}

impl WidgetMessage {
    /// The envelope.
    pub fn envelope(&self) -> &Envelope {
        match self {
            WidgetMessage::Request(m) => m.envelope(),
            WidgetMessage::Response(m) => m.envelope(),
        }
    }
}

impl From<HostMessage> for Message {
    fn from(m: HostMessage) -> Self {
        match m {
            HostMessage::Request(r) => Message::FromWidgetRequest(r),
            HostMessage::Response(r) => Message::ToWidgetResponse(r),
        }
    }
}

impl From<WidgetMessage> for Message {
    fn from(m: WidgetMessage) -> Self {
        match m {
            WidgetMessage::Request(r) => Message::ToWidgetRequest(r),
            WidgetMessage::Response(r) => Message::FromWidgetResponse(r),
        }
    }
}

impl Serialize for HostMessage {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            HostMessage::Request(m) => m.serialize(serializer),
            HostMessage::Response(m) => m.serialize(serializer),
        }
    }
}

impl Serialize for WidgetMessage {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            WidgetMessage::Request(m) => m.serialize(serializer),
            WidgetMessage::Response(m) => m.serialize(serializer),
        }
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Message {
    fn schema_name() -> Cow<'static, str> {
        "Message".into()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        use crate::message::schema::{Messages, any_message};
        use crate::message::{UntypedFromWidget, UntypedToWidget};
        let to_widget = generator.subschema_for::<Messages<UntypedToWidget>>().to_value();
        let from_widget = generator.subschema_for::<Messages<UntypedFromWidget>>().to_value();
        let mut schema =
            any_message("Any Matrix Widget API message: a request in either direction, or a reply to one.", to_widget, from_widget);
        schema.insert("title".into(), "Message".into());
        schema
    }
}

impl Serialize for Message {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Message::FromWidgetRequest(m) => m.serialize(serializer),
            Message::ToWidgetRequest(m) => m.serialize(serializer),
            Message::FromWidgetResponse(m) => m.serialize(serializer),
            Message::ToWidgetResponse(m) => m.serialize(serializer),
        }
    }
}

/// Decodes what a **host** receives from its widget: a fromWidget request or the reply to a
/// toWidget request. Anything else (a toWidget request, a reply to a fromWidget request) is
/// [`DecodeError::Malformed`]: it cannot come from a widget. This is the entry point for a
/// host.
///
/// ```
/// use matrix_widget_api::{HostMessage, FromWidgetRequest, decode_host};
///
/// let text = r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"content_loaded","data":{}}"#;
/// match decode_host(text)? {
///     HostMessage::Request(FromWidgetRequest::ContentLoaded(request)) => assert_eq!(request.envelope().request_id(), "r1"),
///     HostMessage::Request(_) | HostMessage::Response(_) => unreachable!(),
/// }
/// // A toWidget request cannot reach a host:
/// let to_widget = r#"{"api":"toWidget","widgetId":"w1","requestId":"r2","action":"capabilities","data":{}}"#;
/// assert!(decode_host(to_widget).is_err());
/// # Ok::<(), matrix_widget_api::DecodeError>(())
/// ```
pub fn decode_host(text: &str) -> Result<HostMessage, DecodeError> {
    Decoder::DEFAULT.decode_host(text)
}

/// [`decode_host`] for bytes; invalid UTF-8 is [`DecodeError::Malformed`].
pub fn decode_host_slice(bytes: &[u8]) -> Result<HostMessage, DecodeError> {
    decode_host(utf8(bytes)?)
}

/// Decodes what a **widget** receives from its host: a toWidget request or the reply to a
/// fromWidget request; anything else is [`DecodeError::Malformed`]. This is the entry
/// point for a widget.
///
/// ```
/// use matrix_widget_api::{WidgetMessage, ToWidgetRequest, decode_widget};
///
/// let text = r#"{"api":"toWidget","widgetId":"w1","requestId":"r1","action":"capabilities","data":{}}"#;
/// assert!(matches!(decode_widget(text)?, WidgetMessage::Request(ToWidgetRequest::Capabilities(_))));
/// # Ok::<(), matrix_widget_api::DecodeError>(())
/// ```
pub fn decode_widget(text: &str) -> Result<WidgetMessage, DecodeError> {
    Decoder::DEFAULT.decode_widget(text)
}

/// [`decode_widget`] for bytes; invalid UTF-8 is [`DecodeError::Malformed`].
pub fn decode_widget_slice(bytes: &[u8]) -> Result<WidgetMessage, DecodeError> {
    decode_widget(utf8(bytes)?)
}

/// Decodes any message of either direction, classifying it by its `response` field.
///
/// This is the form for tools that see both sides (a trace of recorded traffic, a proxy,
/// a debugger); a host or a widget should use [`decode_host`] or [`decode_widget`], which
/// refuse what cannot reach them and return a type whose `match` has only their cases.
///
/// ```
/// use matrix_widget_api::{Message, MessageKind, decode};
///
/// let text = r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"io.element.join","data":{}}"#;
/// let message = decode(text)?;
/// assert_eq!(message.kind(), MessageKind::Request);
/// assert_eq!(message.action().as_str(), "io.element.join");
/// assert!(!message.is_typed()); // a vendor action: `data` is kept raw
/// # Ok::<(), matrix_widget_api::DecodeError>(())
/// ```
pub fn decode(text: &str) -> Result<Message, DecodeError> {
    decode_inner(None, text)
}

/// [`decode`] for bytes; invalid UTF-8 is [`DecodeError::Malformed`].
pub fn decode_slice(bytes: &[u8]) -> Result<Message, DecodeError> {
    decode(utf8(bytes)?)
}

/// Decodes a message received by `role`, as the four-way [`Message`]; for code that is
/// generic over the role. [`decode_host`] and [`decode_widget`] are the same with a
/// role-specific result.
pub fn decode_as(role: Role, text: &str) -> Result<Message, DecodeError> {
    decode_inner(Some(role), text)
}

/// [`decode_as`] for bytes; invalid UTF-8 is [`DecodeError::Malformed`].
pub fn decode_as_slice(role: Role, bytes: &[u8]) -> Result<Message, DecodeError> {
    decode_as(role, utf8(bytes)?)
}

fn utf8(bytes: &[u8]) -> Result<&str, DecodeError> {
    std::str::from_utf8(bytes)
        .map_err(|e| DecodeError::Malformed(de::Error::custom(format_args!("message is not valid UTF-8 (at byte {})", e.valid_up_to()))))
}

fn decode_inner(role: Option<Role>, text: &str) -> Result<Message, DecodeError> {
    Decoder::DEFAULT.decode_inner(role, text)
}

/// No known action name is this long in any spelling (`known_action_names_are_short`).
pub(crate) const LONGEST_KNOWN_ACTION: usize = 64;

/// A decoder with chosen [`Limits`](crate::limits::Limits); the free functions
/// ([`decode_host`], …) use [`Limits::DEFAULT`](crate::limits::Limits::DEFAULT).
///
/// ```
/// use matrix_widget_api::limits::{Limits, Reason};
/// use matrix_widget_api::{DecodeError, Decoder};
///
/// let decoder = Decoder::new(Limits::default().with_max_message_bytes(64));
/// let text = r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"content_loaded","data":{"padding":"…"}}"#;
/// let Err(DecodeError::Refused(refused)) = decoder.decode_host(text) else { panic!() };
/// assert_eq!(refused.reason(), Reason::TooLarge { max: 64 });
/// // Still answerable: the envelope is read, the data is not echoed.
/// assert!(refused.error_reply().unwrap().contains(r#""requestId":"r1""#));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Decoder {
    limits: crate::limits::Limits,
}

impl Decoder {
    /// The default limits.
    pub const DEFAULT: Decoder = Decoder { limits: crate::limits::Limits::DEFAULT };

    /// A decoder with `limits`.
    pub const fn new(limits: crate::limits::Limits) -> Self {
        Decoder { limits }
    }

    /// Its limits.
    pub const fn limits(&self) -> &crate::limits::Limits {
        &self.limits
    }

    /// [`decode_host`] with these limits.
    pub fn decode_host(&self, text: &str) -> Result<HostMessage, DecodeError> {
        match self.decode_inner(Some(Role::Host), text)? {
            Message::FromWidgetRequest(r) => Ok(HostMessage::Request(r)),
            Message::ToWidgetResponse(r) => Ok(HostMessage::Response(r)),
            _ => Err(DecodeError::Malformed(de::Error::custom("a host receives fromWidget requests and toWidget responses"))),
        }
    }

    /// [`decode_host_slice`] with these limits.
    pub fn decode_host_slice(&self, bytes: &[u8]) -> Result<HostMessage, DecodeError> {
        self.decode_host(utf8(bytes)?)
    }

    /// [`decode_widget`] with these limits.
    pub fn decode_widget(&self, text: &str) -> Result<WidgetMessage, DecodeError> {
        match self.decode_inner(Some(Role::Widget), text)? {
            Message::ToWidgetRequest(r) => Ok(WidgetMessage::Request(r)),
            Message::FromWidgetResponse(r) => Ok(WidgetMessage::Response(r)),
            _ => Err(DecodeError::Malformed(de::Error::custom("a widget receives toWidget requests and fromWidget responses"))),
        }
    }

    /// [`decode_widget_slice`] with these limits.
    pub fn decode_widget_slice(&self, bytes: &[u8]) -> Result<WidgetMessage, DecodeError> {
        self.decode_widget(utf8(bytes)?)
    }

    /// [`decode()`] with these limits.
    pub fn decode(&self, text: &str) -> Result<Message, DecodeError> {
        self.decode_inner(None, text)
    }

    /// [`decode_slice`] with these limits.
    pub fn decode_slice(&self, bytes: &[u8]) -> Result<Message, DecodeError> {
        self.decode(utf8(bytes)?)
    }

    /// [`decode_as`] with these limits.
    pub fn decode_as(&self, role: Role, text: &str) -> Result<Message, DecodeError> {
        self.decode_inner(Some(role), text)
    }

    /// [`decode_as_slice`] with these limits.
    pub fn decode_as_slice(&self, role: Role, bytes: &[u8]) -> Result<Message, DecodeError> {
        self.decode_as(role, utf8(bytes)?)
    }

    fn decode_inner(&self, role: Option<Role>, text: &str) -> Result<Message, DecodeError> {
        self.decode_with(role, text, true)
    }

    /// The decoder without its fast path: what the differential tests and fuzz target
    /// compare the fast path with.
    pub(crate) fn decode_without_fast_path(&self, role: Option<Role>, text: &str) -> Result<Message, DecodeError> {
        self.decode_with(role, text, false)
    }

    fn decode_with(&self, role: Option<Role>, text: &str, fast: bool) -> Result<Message, DecodeError> {
        // A refused request gets no reply from a role it cannot reach: the api whose messages
        // this role receives as replies.
        let replies_api = role.map(|role| match role {
            Role::Host => "toWidget",
            Role::Widget => "fromWidget",
        });
        // The fast path reads a message well inside the limits as serde_json would, or gives
        // up (wire decision 44). When the one pass gave up (a payload its type refuses, or
        // one with a float), the envelope is read alone and the payload decoded after it, as
        // the slow way does: the same outcome, with the payload's precise error.
        let fast = if fast {
            visitor::read_fast(role, text, true, &self.limits).or_else(|_| visitor::read_fast(role, text, false, &self.limits))
        } else {
            Err(json::Bail)
        };
        let result = match fast {
            Ok(outcome) => outcome.map_err(DecodeError::Invalid),
            Err(_) => self.decode_slow(role, text, replies_api),
        };
        let envelope = match &result {
            Ok(message) => Some(message.envelope()),
            Err(DecodeError::Invalid(invalid)) => Some(&invalid.envelope),
            Err(_) => None,
        };
        // The IDs' lengths are known without reading them back: most envelopes stop here.
        let max = self.limits.max_id_bytes();
        let action_too_long = |e: &Envelope| match e.action().value() {
            ActionName::_Custom(name) => name.as_str().len() > max,
            // Every known spelling is shorter than `LONGEST_KNOWN_ACTION` (a test checks).
            _ => max < LONGEST_KNOWN_ACTION && e.action().as_str().len() > max,
        };
        let envelope = envelope.filter(|e| e.widget_id.len() > max || e.request_id.len() > max || action_too_long(e));
        match envelope.and_then(|e| crate::limits::id_too_long(e.api(), e.widget_id(), e.request_id(), &e.action().as_str(), &self.limits))
        {
            Some(refused) => Err(DecodeError::Refused(refused)),
            None => result,
        }
    }

    /// The slow way, taken when the fast path gave up: the limits scan, then the pass with
    /// serde_json, and where that fails the envelope alone, to tell an invalid payload (an
    /// answerable request) from a malformed message.
    fn decode_slow(&self, role: Option<Role>, text: &str, replies_api: Option<&str>) -> Result<Message, DecodeError> {
        crate::limits::check(text, &self.limits).map_err(|refused| DecodeError::Refused(Box::new(refused.for_receiver(replies_api))))?;
        match finish::run(role, text, true) {
            Ok(Ok(message)) => Ok(message),
            Ok(Err(invalid)) => Err(DecodeError::Invalid(invalid)),
            // The one-pass decode failed somewhere: decode the envelope alone to find out
            // whether the envelope or the payload was at fault.
            Err(_) => match finish::run(role, text, false) {
                Ok(Ok(message)) => Ok(message),
                Ok(Err(invalid)) => Err(DecodeError::Invalid(invalid)),
                Err(e) => Err(DecodeError::Malformed(e)),
            },
        }
    }
}
