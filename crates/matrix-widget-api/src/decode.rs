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

use crate::action::ActionName;
use crate::api::Api;
use crate::api::Role;
use crate::error::{ErrorResponseData, WidgetError};
use crate::from_widget::{FromWidgetData, FromWidgetResult};
use crate::message::{Envelope, Source, to_json};
use crate::naming::Spelled;
use crate::payload::{Extra, UnknownFields};
use crate::to_widget::{ToWidgetData, ToWidgetResult};
use crate::{FromWidgetRequest, FromWidgetResponse};
use crate::{ToWidgetRequest, ToWidgetResponse};
use serde::de::{self, DeserializeSeed, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

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
            Message::FromWidgetResponse(r) if r.is_error() => MessageKind::ErrorResponseData,
            Message::ToWidgetResponse(r) if r.is_error() => MessageKind::ErrorResponseData,
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
    ErrorResponseData,
}

impl MessageKind {
    /// `"request"`, `"response"` or `"error_response"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            MessageKind::Request => "request",
            MessageKind::Response => "response",
            MessageKind::ErrorResponseData => "error_response",
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

/// Why a message could not be decoded.
#[derive(Debug)]
#[non_exhaustive]
pub enum DecodeError {
    /// Not JSON, or not a widget API envelope: there is nothing to answer.
    Malformed(serde_json::Error),
    /// A valid envelope with invalid `data` or `response`.
    Invalid(Box<InvalidMessage>),
    /// Refused before decoding: over a [`Limits`](crate::limits::Limits) limit, or holding a
    /// lone surrogate. Answerable when the envelope could be read.
    Refused(Box<crate::limits::Refused>),
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Malformed(e) => write!(f, "not a widget API message: {}", crate::plain::sentence(e, false)),
            DecodeError::Invalid(e) => e.fmt(f),
            DecodeError::Refused(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            DecodeError::Malformed(e) => Some(e),
            DecodeError::Invalid(e) => Some(&e.error),
            DecodeError::Refused(e) => Some(&**e),
        }
    }
}

impl DecodeError {
    /// The envelope, when there was one.
    pub fn envelope(&self) -> Option<&Envelope> {
        match self {
            DecodeError::Malformed(_) | DecodeError::Refused(_) => None,
            DecodeError::Invalid(e) => Some(&e.envelope),
        }
    }

    /// The `requestId`, when the message had a readable one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            DecodeError::Malformed(_) => None,
            DecodeError::Invalid(e) => Some(e.envelope.request_id()),
            DecodeError::Refused(e) => e.request_id(),
        }
    }

    /// The error reply to send, when the message was a request with a valid envelope.
    ///
    /// ```
    /// use matrix_widget_api::decode_host;
    ///
    /// let text = r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"send_event","data":{"type":"m.room.message","content":{},"delay":0}}"#;
    /// let error = decode_host(text).unwrap_err();
    /// let reply: serde_json::Value = serde_json::from_str(&error.error_reply().unwrap())?;
    /// assert_eq!(
    ///     reply["response"]["error"]["message"],
    ///     "Invalid request: `delay` is out of range: 0 is not an integer number of milliseconds from 1 to 9007199254740991"
    /// );
    /// // Not a widget API message at all: nothing to answer.
    /// assert!(decode_host("[]").unwrap_err().error_reply().is_none());
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn error_reply(&self) -> Option<String> {
        match self {
            DecodeError::Malformed(_) => None,
            DecodeError::Invalid(e) => e.error_reply(),
            DecodeError::Refused(e) => e.error_reply(),
        }
    }
}

/// A message with a valid envelope but invalid `data` (a request) or `response` (a reply).
#[derive(Debug)]
pub struct InvalidMessage {
    /// The envelope.
    pub envelope: Envelope,
    /// Whether it was a reply.
    pub is_response: bool,
    /// What was wrong.
    pub error: serde_json::Error,
    source: Source,
}

impl InvalidMessage {
    /// What was wrong, as a sentence naming the field (relative to `data` for a request,
    /// with `response.` for a reply) and quoting at most 40 characters of the value:
    /// `` `delay` is out of range: 0 is not an integer number of milliseconds from 1 to … ``.
    pub fn message(&self) -> String {
        crate::plain::sentence(&self.error, !self.is_response)
    }

    /// For a request, the error reply: the request echoed exactly, plus
    /// `response: {error: {message: "Invalid request: …"}}`. `None` for a reply (replies
    /// are never answered).
    pub fn error_reply(&self) -> Option<String> {
        if self.is_response {
            return None;
        }
        let error = crate::error::ErrorResponseData::new(format!("Invalid request: {}", self.message()));
        Some(self.source.reply(&to_json(&error)))
    }
}

impl fmt::Display for InvalidMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = if self.is_response { "reply to" } else { "request" };
        let request_id = crate::plain::bounded(&format!("\"{}\"", self.envelope.request_id));
        write!(f, "invalid {what} {} `{}` {request_id}: {}", self.envelope.api, self.envelope.action, self.message())
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
        crate::limits::check(text, &self.limits).map_err(|refused| DecodeError::Refused(Box::new(refused.for_role(role))))?;
        let result = match run(role, text, true) {
            Ok(Ok(message)) => Ok(message),
            Ok(Err(invalid)) => Err(DecodeError::Invalid(invalid)),
            // The one-pass decode failed somewhere: decode the envelope alone to find out
            // whether the envelope or the payload was at fault.
            Err(_) => match run(role, text, false) {
                Ok(Ok(message)) => Ok(message),
                Ok(Err(invalid)) => Err(DecodeError::Invalid(invalid)),
                Err(e) => Err(DecodeError::Malformed(e)),
            },
        };
        let envelope = match &result {
            Ok(message) => Some(message.envelope()),
            Err(DecodeError::Invalid(invalid)) => Some(&invalid.envelope),
            Err(_) => None,
        };
        match envelope.and_then(|e| crate::limits::id_too_long(e, &self.limits)) {
            Some(refused) => Err(DecodeError::Refused(refused)),
            None => result,
        }
    }
}

type Outcome = Result<Message, Box<InvalidMessage>>;

fn run(role: Option<Role>, text: &str, typed: bool) -> Result<Outcome, serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let outcome = MessageSeed { role, text, typed }.deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(outcome)
}

struct MessageSeed<'a> {
    role: Option<Role>,
    text: &'a str,
    /// Decode `data` into its typed payload during the pass.
    typed: bool,
}

impl<'de> DeserializeSeed<'de> for MessageSeed<'_> {
    type Value = Outcome;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Outcome, D::Error> {
        deserializer.deserialize_map(self)
    }
}

enum Key<'de> {
    Api,
    WidgetId,
    RequestId,
    Action,
    Data,
    Response,
    Other(Cow<'de, str>),
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key::known(v).unwrap_or_else(|| Key::Other(Cow::Owned(v.to_owned()))))
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key::known(v).unwrap_or(Key::Other(Cow::Borrowed(v))))
            }
        }
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

impl<'de> Key<'de> {
    /// The key as written.
    fn into_name(self) -> Cow<'de, str> {
        Cow::Borrowed(match self {
            Key::Api => "api",
            Key::WidgetId => "widgetId",
            Key::RequestId => "requestId",
            Key::Action => "action",
            Key::Data => "data",
            Key::Response => "response",
            Key::Other(name) => return name,
        })
    }

    fn known(v: &str) -> Option<Self> {
        Some(match v {
            "api" => Key::Api,
            "widgetId" => Key::WidgetId,
            "requestId" => Key::RequestId,
            "action" => Key::Action,
            "data" => Key::Data,
            "response" => Key::Response,
            _ => return None,
        })
    }
}

/// Typed request data of either direction.
enum TypedData {
    FromWidget(FromWidgetData),
    ToWidget(ToWidgetData),
}

impl TypedData {
    fn deserialize<'de, D: Deserializer<'de>>(api: Api, action: &ActionName, deserializer: D) -> Result<Self, D::Error> {
        match api {
            Api::FromWidget => FromWidgetData::deserialize(action, deserializer).map(TypedData::FromWidget),
            Api::ToWidget => ToWidgetData::deserialize(action, deserializer).map(TypedData::ToWidget),
        }
    }
}

/// A typed outcome of either direction.
enum TypedResult {
    FromWidget(FromWidgetResult),
    ToWidget(ToWidgetResult),
}

struct ResultSeed<'a> {
    api: Api,
    action: &'a ActionName,
}

impl<'de> DeserializeSeed<'de> for ResultSeed<'_> {
    type Value = TypedResult;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<TypedResult, D::Error> {
        match self.api {
            Api::FromWidget => FromWidgetResult::deserialize(self.action, deserializer).map(TypedResult::FromWidget),
            Api::ToWidget => ToWidgetResult::deserialize(self.action, deserializer).map(TypedResult::ToWidget),
        }
    }
}

/// Reads a `response` object in one pass as an error response (when its first key is
/// `error` and holds an error) or as `R`. A success value that turns out to hold an
/// `error` field after all is left to the two-stage path, which decides exactly as
/// widget-api's `isErrorResponse` does.
pub(crate) struct OutcomeVisitor<R>(pub(crate) PhantomData<R>);

impl<'de, R: Deserialize<'de> + UnknownFields> Visitor<'de> for OutcomeVisitor<R> {
    type Value = Result<R, ErrorResponseData>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a response object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let first = map.next_key::<Key<'de>>()?;
        if let Some(Key::Other(key)) = &first
            && key == "error"
        {
            let raw: &'de RawValue = map.next_value()?;
            if let Ok(error) = serde_json::from_str::<WidgetError>(raw.get()) {
                let mut extra = Extra::new();
                while let Some(key) = map.next_key::<Key<'de>>()? {
                    let key = key.into_name();
                    if key == "error" {
                        return Err(de::Error::duplicate_field("error"));
                    }
                    crate::payload::read_extra(&mut extra, key, &mut map)?;
                }
                crate::payload::finish_extra(&extra)?;
                return Ok(Err(ErrorResponseData { error, extra }));
            }
            return Err(de::Error::custom("an `error` field that is not a valid error; decoded on the two-stage path"));
        }
        let replay = Replay { first: first.map(Key::into_name), inner: map };
        let value = R::deserialize(de::value::MapAccessDeserializer::new(replay))?;
        if value.may_have_unknown_field("error") {
            return Err(de::Error::custom("an `error` field after other fields; decoded on the two-stage path"));
        }
        Ok(Ok(value))
    }
}

/// A map whose first key was already read: it hands that key out again, then the rest.
struct Replay<'de, A> {
    first: Option<Cow<'de, str>>,
    inner: A,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Replay<'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, A::Error> {
        match self.first.take() {
            Some(Cow::Borrowed(key)) => seed.deserialize(de::value::BorrowedStrDeserializer::new(key)).map(Some),
            Some(Cow::Owned(key)) => seed.deserialize(de::value::StringDeserializer::new(key)).map(Some),
            None => self.inner.next_key_seed(seed),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.inner.next_value_seed(seed)
    }
}

/// `response` as far as the pass got with it.
// Lives on the stack for one decode; boxing the large variant would cost an allocation.
#[allow(clippy::large_enum_variant)]
enum ResponseSlot<'de> {
    Raw(Option<&'de RawValue>),
    Typed(TypedResult),
}

/// `data` as far as the pass got with it.
enum DataSlot<'de> {
    Typed(TypedData),
    Raw(&'de RawValue),
}

struct DataSeed<'a> {
    api: Api,
    action: &'a ActionName,
}

impl<'de> DeserializeSeed<'de> for DataSeed<'_> {
    type Value = DataSlot<'de>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<DataSlot<'de>, D::Error> {
        TypedData::deserialize(self.api, self.action, deserializer).map(DataSlot::Typed)
    }
}

fn missing<E: de::Error>(field: &'static str) -> E {
    E::missing_field(field)
}

fn non_empty<E: de::Error>(field: &'static str, value: String) -> Result<String, E> {
    if value.is_empty() { Err(E::custom(format_args!("`{field}` must not be empty"))) } else { Ok(value) }
}

impl<'de> Visitor<'de> for MessageSeed<'_> {
    type Value = Outcome;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a widget API message (a JSON object with api, widgetId, requestId, action and data)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Outcome, A::Error> {
        let mut api: Option<Api> = None;
        let mut widget_id: Option<String> = None;
        let mut request_id: Option<String> = None;
        let mut action: Option<Spelled<ActionName>> = None;
        let mut data: Option<DataSlot<'de>> = None;
        let mut response: Option<ResponseSlot<'de>> = None;
        let mut null_response = None;
        let mut extra = Extra::new();

        macro_rules! once {
            ($slot:ident, $name:literal, $value:expr) => {{
                if $slot.is_some() {
                    return Err(de::Error::duplicate_field($name));
                }
                $slot = Some($value);
            }};
        }

        while let Some(key) = map.next_key::<Key<'de>>()? {
            match key {
                Key::Api => once!(api, "api", map.next_value().map_err(|e| crate::payload::field_error("api", e))?),
                Key::WidgetId => {
                    once!(
                        widget_id,
                        "widgetId",
                        non_empty("widgetId", map.next_value().map_err(|e| crate::payload::field_error("widgetId", e))?)?
                    )
                }
                Key::RequestId => {
                    once!(
                        request_id,
                        "requestId",
                        non_empty("requestId", map.next_value().map_err(|e| crate::payload::field_error("requestId", e))?)?
                    )
                }
                Key::Action => once!(action, "action", map.next_value().map_err(|e| crate::payload::field_error("action", e))?),
                Key::Response => {
                    // Typed in this pass when the role says this must be a reply and the
                    // action is known; raw otherwise.
                    let slot = match (self.typed, api, &action) {
                        (true, Some(api), Some(action)) if self.expects_response(api) => {
                            ResponseSlot::Typed(map.next_value_seed(ResultSeed { api, action: action.value() })?)
                        }
                        _ => {
                            let raw: &'de RawValue = map.next_value()?;
                            if raw.get() == "null" {
                                null_response = self.offset_of(raw);
                                ResponseSlot::Raw(None)
                            } else {
                                ResponseSlot::Raw(Some(raw))
                            }
                        }
                    };
                    once!(response, "response", slot)
                }
                Key::Data => {
                    // Typed in this pass when we know the payload type and that this is a
                    // request; raw otherwise.
                    let typed = match (self.typed, api, &action) {
                        (true, Some(api), Some(action)) if !self.expects_response(api) && response.is_none() => Some((api, action)),
                        _ => None,
                    };
                    let slot = match typed {
                        Some((api, action)) => map.next_value_seed(DataSeed { api, action: action.value() })?,
                        None => DataSlot::Raw(map.next_value()?),
                    };
                    once!(data, "data", slot)
                }
                Key::Other(key) => crate::payload::read_extra(&mut extra, key, &mut map)?,
            }
        }

        crate::payload::finish_extra(&extra)?;
        let api = api.ok_or_else(|| missing("api"))?;
        let widget_id = widget_id.ok_or_else(|| missing("widgetId"))?;
        let request_id = request_id.ok_or_else(|| missing("requestId"))?;
        let action = action.ok_or_else(|| missing("action"))?;
        if matches!(action.value(), ActionName::_Custom(name) if name.as_str().is_empty()) {
            return Err(de::Error::custom("`action` must not be empty"));
        }
        let data = data.ok_or_else(|| missing("data"))?;
        let response = match response {
            Some(ResponseSlot::Raw(Some(raw))) if raw.get().starts_with('{') => Some(ResponseSlot::Raw(Some(raw))),
            Some(ResponseSlot::Raw(Some(raw))) => {
                return Err(de::Error::custom(format_args!(
                    "`response` must be an object, found `{}`",
                    crate::payload::abbreviate(raw.get())
                )));
            }
            Some(ResponseSlot::Raw(None)) | None => None,
            typed => typed,
        };
        let is_response = response.is_some();
        if let Some(role) = self.role
            && is_response != self.expects_response(api)
        {
            let (got, receives) = match role {
                Role::Host => ("host", "fromWidget requests and toWidget responses"),
                Role::Widget => ("widget", "toWidget requests and fromWidget responses"),
            };
            let kind = if is_response { "response" } else { "request" };
            return Err(de::Error::custom(format_args!("a {got} receives {receives}, not a {api} {kind}")));
        }

        let envelope = Envelope { api, widget_id, request_id, action, extra };
        Ok(self.finish(envelope, data, response, null_response))
    }
}

impl MessageSeed<'_> {
    /// Whether, for this role, a message with this `api` must be a response.
    fn expects_response(&self, api: Api) -> bool {
        matches!((self.role, api), (Some(Role::Host), Api::ToWidget) | (Some(Role::Widget), Api::FromWidget))
    }

    fn invalid(&self, envelope: Envelope, is_response: bool, error: serde_json::Error) -> Outcome {
        self.invalid_request_or_reply(envelope, is_response, error, None)
    }

    fn invalid_request_or_reply(
        &self,
        envelope: Envelope,
        is_response: bool,
        error: serde_json::Error,
        null_response: Option<std::ops::Range<usize>>,
    ) -> Outcome {
        Err(Box::new(InvalidMessage { envelope, is_response, error, source: Source::new(self.text, null_response) }))
    }

    /// Where `raw`, a slice of the text, starts and ends in it.
    fn offset_of(&self, raw: &RawValue) -> Option<std::ops::Range<usize>> {
        let start = (raw.get().as_ptr() as usize).checked_sub(self.text.as_ptr() as usize)?;
        let end = start + raw.get().len();
        (self.text.get(start..end) == Some(raw.get())).then_some(start..end)
    }

    fn finish(
        &self,
        envelope: Envelope,
        data: DataSlot<'_>,
        response: Option<ResponseSlot<'_>>,
        null_response: Option<std::ops::Range<usize>>,
    ) -> Outcome {
        let response = match response {
            None => None,
            Some(ResponseSlot::Raw(raw)) => raw,
            Some(ResponseSlot::Typed(result)) => {
                let DataSlot::Raw(raw) = data else {
                    // A typed reply implies a role, and with a role a reply's data is raw.
                    return self.invalid(envelope, true, de::Error::custom("a reply's data was not kept raw"));
                };
                // A reply echoes the request's data as it was, whatever it was.
                let data = raw.to_owned();
                return Ok(match result {
                    TypedResult::FromWidget(r) => Message::FromWidgetResponse(FromWidgetResponse::from_typed(envelope, data, r)),
                    TypedResult::ToWidget(r) => Message::ToWidgetResponse(ToWidgetResponse::from_typed(envelope, data, r)),
                });
            }
        };
        if let Some(response) = response {
            let data = match data {
                DataSlot::Raw(raw) => raw.to_owned(),
                DataSlot::Typed(_) => {
                    // Only when the role was unknown and `response` came after `data`.
                    return self.finish_reparsed(envelope, response);
                }
            };
            let result = match envelope.api {
                Api::FromWidget => FromWidgetResponse::from_raw(envelope, data, response).map(Message::FromWidgetResponse),
                Api::ToWidget => ToWidgetResponse::from_raw(envelope, data, response).map(Message::ToWidgetResponse),
            };
            return match result {
                Ok(message) => Ok(message),
                Err((envelope, e)) => self.invalid(envelope, true, crate::payload::field_error("response", e)),
            };
        }
        let source = Some(Source::new(self.text, null_response.clone()));
        let data = match data {
            DataSlot::Typed(typed) => typed,
            DataSlot::Raw(raw) => {
                let mut deserializer = serde_json::Deserializer::from_str(raw.get());
                match TypedData::deserialize(envelope.api, envelope.action.value(), &mut deserializer) {
                    Ok(typed) => typed,
                    Err(e) => return self.invalid_request_or_reply(envelope, false, crate::payload::field_error("data", e), null_response),
                }
            }
        };
        Ok(match data {
            TypedData::FromWidget(d) => Message::FromWidgetRequest(FromWidgetRequest::from_data(envelope, d, source)),
            TypedData::ToWidget(d) => Message::ToWidgetRequest(ToWidgetRequest::from_data(envelope, d, source)),
        })
    }

    /// A response whose `data` was typed in the pass: take `data` raw from the text again.
    fn finish_reparsed(&self, envelope: Envelope, response: &RawValue) -> Outcome {
        #[derive(Deserialize)]
        struct DataOnly<'a> {
            #[serde(borrow)]
            data: &'a RawValue,
        }
        match serde_json::from_str::<DataOnly>(self.text) {
            Ok(d) => self.finish(envelope, DataSlot::Raw(d.data), Some(ResponseSlot::Raw(Some(response))), None),
            Err(e) => self.invalid(envelope, true, e),
        }
    }
}
