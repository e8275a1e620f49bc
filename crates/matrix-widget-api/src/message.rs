//! The envelope and typed requests and responses.
//!
//! A [`Request<A>`] is one action's request with its typed `data`; [`Request::reply`] only
//! takes `A::ResponseData`, and builds the reply from the request's own bytes, so the reply
//! echoes the request exactly and adds `response`. A [`Response<A>`] is a reply as the
//! requester receives it: the echoed `data` kept raw, and the typed outcome.

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::error::ErrorResponseData;
use crate::naming::Spelled;
use crate::payload::{Extra, RawObject, serialize_extra};
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};
use serde_json::value::RawValue;
use std::fmt;
use std::marker::PhantomData;

/// The fields every message has (`api`, `widgetId`, `requestId`, `action`), plus any
/// top-level fields the protocol does not define (such as the `visible` copy of the
/// `visibility` action's data), kept for the round-trip.
///
/// Read-only: a decoded envelope is what arrived, and one built with [`Envelope::new`] was
/// checked (non-empty IDs and action), so every envelope serialises to something
/// [`decode`](crate::decode()) accepts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Envelope {
    pub(crate) api: Api,
    pub(crate) widget_id: String,
    pub(crate) request_id: String,
    pub(crate) action: Spelled<ActionName>,
    pub(crate) extra: Extra,
}

impl Envelope {
    /// An envelope for a request; empty IDs and an empty action name are refused.
    ///
    /// ```
    /// use matrix_widget_api::{ActionName, Api, Envelope};
    /// use matrix_widget_api::naming::Spelled;
    ///
    /// let envelope = Envelope::new(Api::FromWidget, "w1", "r1", Spelled::new(ActionName::ContentLoaded))?;
    /// assert_eq!(envelope.request_id(), "r1");
    /// assert!(Envelope::new(Api::FromWidget, "", "r1", Spelled::new(ActionName::ContentLoaded)).is_err());
    /// # Ok::<(), matrix_widget_api::BuildError>(())
    /// ```
    pub fn new(
        api: Api,
        widget_id: impl Into<String>,
        request_id: impl Into<String>,
        action: Spelled<ActionName>,
    ) -> Result<Self, BuildError> {
        let (widget_id, request_id) = (widget_id.into(), request_id.into());
        if widget_id.is_empty() {
            return Err(BuildError::EmptyWidgetId);
        }
        if request_id.is_empty() {
            return Err(BuildError::EmptyRequestId);
        }
        if matches!(action.value(), ActionName::_Custom(name) if name.as_str().is_empty()) {
            return Err(BuildError::EmptyAction);
        }
        Ok(Envelope { api, widget_id, request_id, action, extra: Extra::new() })
    }

    /// Who sent the request (a response keeps the request's `api`).
    pub fn api(&self) -> Api {
        self.api
    }

    /// The widget's ID.
    pub fn widget_id(&self) -> &str {
        &self.widget_id
    }

    /// The request's ID, unique per session.
    pub fn request_id(&self) -> &str {
        &self.request_id
    }

    /// The action, in the spelling it arrived in.
    pub fn action(&self) -> &Spelled<ActionName> {
        &self.action
    }

    /// Other top-level fields, in arrival order.
    pub fn extra(&self) -> &Extra {
        &self.extra
    }

    /// Writes the envelope's fields, then `data` and `response`, then the extra fields.
    fn serialize_with<S: Serializer, R: Serialize>(
        &self,
        serializer: S,
        data: &impl Serialize,
        response: Option<&R>,
    ) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("api", &self.api)?;
        map.serialize_entry("widgetId", &self.widget_id)?;
        map.serialize_entry("requestId", &self.request_id)?;
        map.serialize_entry("action", &self.action)?;
        map.serialize_entry("data", data)?;
        if let Some(response) = response {
            map.serialize_entry("response", response)?;
        }
        serialize_extra(&self.extra, &mut map)?;
        map.end()
    }
}

/// A request of action `A`: the envelope, the typed `data`, and (when it was decoded) the
/// message's own text, from which [`Request::reply`] builds the reply.
///
/// Read-only: a reply echoes the request's source bytes, so the data it was decoded from
/// cannot be changed under it; a request built with [`Request::new`] was checked to
/// serialise to something [`decode`](crate::decode()) accepts.
pub struct Request<A: Action> {
    envelope: Envelope,
    data: A::RequestData,
    /// The message exactly as it arrived, when it was decoded.
    source: Option<Source>,
}

/// Why [`Request::new`] or [`Envelope::new`] refused to build a message: what was built
/// would not decode.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum BuildError {
    /// `widgetId` is empty.
    EmptyWidgetId,
    /// `requestId` is empty.
    EmptyRequestId,
    /// The action name is empty.
    EmptyAction,
    /// The envelope is for the other direction or another action than `A`.
    WrongAction {
        /// The action the envelope names.
        found: String,
        /// What `A` is.
        expected: String,
    },
    /// The request data breaks a rule of its action (the message says which).
    InvalidData(String),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::EmptyWidgetId => f.write_str("`widgetId` must not be empty"),
            BuildError::EmptyRequestId => f.write_str("`requestId` must not be empty"),
            BuildError::EmptyAction => f.write_str("`action` must not be empty"),
            BuildError::WrongAction { found, expected } => write!(f, "the envelope is for {found}, not {expected}"),
            BuildError::InvalidData(message) => write!(f, "invalid `data`: {message}"),
        }
    }
}

impl std::error::Error for BuildError {}

impl<A: Action> Request<A> {
    /// A new request of action `A`. Its action name follows the naming of the
    /// serialisation call (unstable by default). Refused, with the reason, when the IDs are
    /// empty or `data` breaks a rule of the action (the same rules decoding applies).
    ///
    /// ```
    /// use matrix_widget_api::from_widget::update_delayed_event::{UpdateAction, UpdateDelayedEvent, UpdateDelayedEventRequestData};
    /// use matrix_widget_api::Request;
    ///
    /// let request = Request::<UpdateDelayedEvent>::new("w1", "r1", UpdateDelayedEventRequestData::new("syd_abc", UpdateAction::Cancel))?;
    /// assert_eq!(request.data().delay_id, "syd_abc");
    /// // An empty `delay_id` would not decode, so it cannot be built either.
    /// let empty = Request::<UpdateDelayedEvent>::new("w1", "r2", UpdateDelayedEventRequestData::new("", UpdateAction::Cancel));
    /// assert_eq!(empty.unwrap_err().to_string(), "invalid `data`: `delay_id` must not be empty");
    /// # Ok::<(), matrix_widget_api::BuildError>(())
    /// ```
    pub fn new(widget_id: impl Into<String>, request_id: impl Into<String>, data: A::RequestData) -> Result<Self, BuildError> {
        let mut envelope = Envelope::new(A::API, widget_id, request_id, Spelled::new(A::NAME))?;
        check_data::<A>(&data)?;
        envelope.extra = A::top_level_fields(&data);
        Ok(Request { envelope, data, source: None })
    }

    /// A request from its parts, for example a vendor action's envelope with the untyped
    /// marker's raw data. The envelope must be `A`'s direction and, for a typed action, name
    /// `A`; the data is checked as in [`Request::new`].
    pub fn from_parts(envelope: Envelope, data: A::RequestData) -> Result<Self, BuildError> {
        let typed = !matches!(&A::NAME, ActionName::_Custom(name) if name.as_str().is_empty());
        if envelope.api != A::API || (typed && envelope.action != A::NAME) {
            return Err(BuildError::WrongAction {
                found: format!("{} `{}`", envelope.api, envelope.action),
                expected: format!("{} `{}`", A::API, A::NAME),
            });
        }
        check_data::<A>(&data)?;
        let mut envelope = envelope;
        for (key, value) in A::top_level_fields(&data).iter() {
            if envelope.extra.get(key).is_none() {
                // A raw value always serialises.
                let _ = envelope.extra.insert(key, value);
            }
        }
        Ok(Request { envelope, data, source: None })
    }

    /// The envelope.
    pub fn envelope(&self) -> &Envelope {
        &self.envelope
    }

    /// The typed `data`.
    pub fn data(&self) -> &A::RequestData {
        &self.data
    }

    /// The envelope and the data.
    pub fn into_parts(self) -> (Envelope, A::RequestData) {
        (self.envelope, self.data)
    }

    pub(crate) fn decoded(envelope: Envelope, data: A::RequestData, source: Option<Source>) -> Self {
        Request { envelope, data, source }
    }

    /// The message exactly as it arrived, if it was decoded.
    pub fn source(&self) -> Option<&str> {
        self.source.as_ref().map(|s| &*s.text)
    }

    /// The success reply: the request echoed exactly, plus `response`.
    ///
    /// For a decoded request, the reply is the request's own text with `,"response":…`
    /// added before its closing brace (or in place of a `"response": null`): every other
    /// byte is as it arrived, so the widget's transport matches it. For a request built in
    /// code, the request is serialised with `response`.
    ///
    /// ```
    /// use matrix_widget_api::from_widget::content_loaded::ContentLoaded;
    /// use matrix_widget_api::payload::Empty;
    /// use matrix_widget_api::{FromWidgetRequest, HostMessage, decode_host};
    ///
    /// let text = r#"{ "api": "fromWidget", "widgetId": "w1", "requestId": "r1", "action": "content_loaded", "data": {} }"#;
    /// let HostMessage::Request(FromWidgetRequest::ContentLoaded(request)) = decode_host(text)? else { unreachable!() };
    /// assert_eq!(
    ///     request.reply(&Empty::new()),
    ///     r#"{ "api": "fromWidget", "widgetId": "w1", "requestId": "r1", "action": "content_loaded", "data": {},"response":{}}"#
    /// );
    /// # Ok::<(), matrix_widget_api::DecodeError>(())
    /// ```
    pub fn reply(&self, response: &A::ResponseData) -> String {
        self.reply_with(response)
    }

    /// The error reply: the request echoed exactly, plus `response: {error: …}`.
    pub fn reply_error(&self, error: impl Into<ErrorResponseData>) -> String {
        self.reply_with(&error.into())
    }

    fn reply_with<R: Serialize>(&self, response: &R) -> String {
        match &self.source {
            Some(source) => source.reply(&response_json(response)),
            // A response type that fails to serialise (only a third-party `Action`'s can)
            // becomes an error reply saying so, rather than a panic.
            None => serde_json::to_string(&EnvelopeWith { envelope: &self.envelope, data: &self.data, response }).unwrap_or_else(|e| {
                // Without `data` this time, which may be what failed; this cannot fail again.
                let error = ErrorResponseData::new(format!("the host could not serialise its reply: {e}"));
                to_json(&EnvelopeWith { envelope: &self.envelope, data: &RawObject::empty(), response: &error })
            }),
        }
    }
}

/// `data` must decode as it serialises: the rules of the action's decoder, applied to a
/// value built in code.
fn check_data<A: Action>(data: &A::RequestData) -> Result<(), BuildError> {
    let text = serde_json::to_string(data).map_err(|e| BuildError::InvalidData(e.to_string()))?;
    match serde_json::from_str::<A::RequestData>(&text) {
        Ok(_) => Ok(()),
        Err(e) => Err(BuildError::InvalidData(crate::payload::strip_position(&e.to_string()).to_owned())),
    }
}

/// A decoded request's text, from which its replies are built.
#[derive(Clone, Debug)]
pub(crate) struct Source {
    text: Box<str>,
    /// Where the value of a `"response": null` member is, if the request had one.
    null_response: Option<std::ops::Range<usize>>,
}

impl Source {
    pub(crate) fn new(text: &str, null_response: Option<std::ops::Range<usize>>) -> Self {
        Source { text: text.into(), null_response }
    }

    /// The request with `response` added, leaving every other byte as it was: the value of a
    /// `"response": null` member is replaced, else `,"response":<response>` goes before the
    /// closing brace.
    pub(crate) fn reply(&self, response: &str) -> String {
        let text = &*self.text;
        if let Some(range) = &self.null_response
            && let (Some(before), Some(after)) = (text.get(..range.start), text.get(range.end..))
        {
            return [before, response, after].concat();
        }
        let body = text.trim_end();
        let body = body.strip_suffix('}').unwrap_or(body).trim_end();
        let mut out = String::with_capacity(body.len() + response.len() + 14);
        out.push_str(body);
        out.push_str(",\"response\":");
        out.push_str(response);
        out.push('}');
        out
    }
}

/// A response payload as JSON text. A payload type that fails to serialise (only possible
/// for a third-party `Action`) becomes an error response saying so, rather than a panic.
fn response_json<R: Serialize>(response: &R) -> String {
    serde_json::to_string(response)
        .unwrap_or_else(|e| to_json(&ErrorResponseData::new(format!("the host could not serialise its response: {e}"))))
}

/// Serialises a value the crate built; its types have string keys and no fallible parts.
pub(crate) fn to_json<T: Serialize + ?Sized>(value: &T) -> String {
    // Every map key of the crate's own values is a string, so this cannot fail; were it to,
    // the reply is still an error reply.
    serde_json::to_string(value).unwrap_or_else(|_| r#"{"error":{"message":"the host could not serialise its reply"}}"#.to_owned())
}

impl<A: Action> Clone for Request<A> {
    fn clone(&self) -> Self {
        Request { envelope: self.envelope.clone(), data: self.data.clone(), source: self.source.clone() }
    }
}

impl<A: Action> fmt::Debug for Request<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request").field("envelope", &self.envelope).field("data", &self.data).finish_non_exhaustive()
    }
}

/// Compares envelope and data; where the request came from does not matter.
impl<A: Action> PartialEq for Request<A> {
    fn eq(&self, other: &Self) -> bool {
        self.envelope == other.envelope && self.data == other.data
    }
}

impl<A: Action> Serialize for Request<A> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.envelope.serialize_with(serializer, &self.data, None::<&()>)
    }
}

/// A reply to a request of action `A`, as the requester receives it.
pub struct Response<A: Action> {
    envelope: Envelope,
    data: Box<RawValue>,
    result: Result<A::ResponseData, ErrorResponseData>,
    action: PhantomData<fn() -> A>,
}

impl<A: Action> Response<A> {
    /// A response from its parts.
    pub fn new(envelope: Envelope, data: RawObject, result: Result<A::ResponseData, ErrorResponseData>) -> Self {
        Response { envelope, data: data.into_raw(), result, action: PhantomData }
    }

    /// A decoded reply: its echoed `data` is whatever JSON the request had.
    pub(crate) fn decoded(envelope: Envelope, data: Box<RawValue>, result: Result<A::ResponseData, ErrorResponseData>) -> Self {
        Response { envelope, data, result, action: PhantomData }
    }

    /// The envelope (echoed from the request).
    pub fn envelope(&self) -> &Envelope {
        &self.envelope
    }

    /// The echoed request `data`, kept raw: it is the requester's own, and a reply stays
    /// readable even if the echo is something this crate would reject as a request (not
    /// even an object, when the reply answers a request whose `data` was not one).
    pub fn data(&self) -> &RawValue {
        &self.data
    }

    /// The outcome: the typed success response or the error response.
    pub fn result(&self) -> &Result<A::ResponseData, ErrorResponseData> {
        &self.result
    }

    /// The outcome, by value.
    #[allow(clippy::result_large_err)] // the same type as the `result` it holds
    pub fn into_result(self) -> Result<A::ResponseData, ErrorResponseData> {
        self.result
    }

    /// Whether the reply is an error response.
    pub fn is_error(&self) -> bool {
        self.result.is_err()
    }

    /// The echoed request data, typed.
    pub fn request_data(&self) -> Result<A::RequestData, serde_json::Error> {
        serde_json::from_str(self.data.get())
    }
}

impl<A: Action> Clone for Response<A> {
    fn clone(&self) -> Self {
        Response::decoded(self.envelope.clone(), self.data.clone(), self.result.clone())
    }
}

impl<A: Action> fmt::Debug for Response<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response").field("envelope", &self.envelope).field("data", &self.data).field("result", &self.result).finish()
    }
}

impl<A: Action> PartialEq for Response<A> {
    fn eq(&self, other: &Self) -> bool {
        self.envelope == other.envelope && self.data.get() == other.data.get() && self.result == other.result
    }
}

impl<A: Action> Serialize for Response<A> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.result {
            Ok(response) => self.envelope.serialize_with(serializer, &self.data, Some(response)),
            Err(error) => self.envelope.serialize_with(serializer, &self.data, Some(error)),
        }
    }
}

/// A built request with its response, for replies to requests that have no source text.
struct EnvelopeWith<'a, D, R> {
    envelope: &'a Envelope,
    data: &'a D,
    response: &'a R,
}

impl<D: Serialize, R: Serialize> Serialize for EnvelopeWith<'_, D, R> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.envelope.serialize_with(serializer, self.data, Some(self.response))
    }
}

/// The untyped action of a direction: any action without typed payloads (vendor actions,
/// and actions not yet typed). Its `data` and `response` are kept raw. Build requests with
/// [`Request::from_parts`]: its `NAME` is a placeholder and the envelope carries the name.
#[derive(Debug)]
pub enum UntypedFromWidget {}

impl Action for UntypedFromWidget {
    const API: Api = Api::FromWidget;
    const NAME: ActionName = ActionName::_Custom(crate::naming::CustomName::EMPTY);
    type RequestData = RawObject;
    type ResponseData = RawObject;
}

/// The untyped toWidget action; see [`UntypedFromWidget`].
#[derive(Debug)]
pub enum UntypedToWidget {}

impl Action for UntypedToWidget {
    const API: Api = Api::ToWidget;
    const NAME: ActionName = ActionName::_Custom(crate::naming::CustomName::EMPTY);
    type RequestData = RawObject;
    type ResponseData = RawObject;
}

/// Decodes a `response` object: an error response when `response.error` is an object with
/// a string `message` (widget-api's `isErrorResponse`), else `R`.
pub(crate) fn decode_result<R: serde::de::DeserializeOwned>(raw: &RawValue) -> Result<Result<R, ErrorResponseData>, serde_json::Error> {
    // A duplicate `error` would make the classification depend on which copy wins (the
    // last, in JavaScript): refuse duplicates here, and inside `error`, before deciding.
    unique_keys(raw.get(), true)?;
    if is_error_response(raw) {
        serde_json::from_str::<ErrorResponseData>(raw.get()).map(Err)
    } else {
        serde_json::from_str::<R>(raw.get()).map(Ok)
    }
}

/// Refuses an object with a key written twice (escaped spellings included: keys are compared
/// unescaped); with `nested_error`, the same inside its `error` member.
fn unique_keys(text: &str, nested_error: bool) -> Result<(), serde_json::Error> {
    struct Keys(bool);
    impl<'de> serde::de::Visitor<'de> for Keys {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<M: serde::de::MapAccess<'de>>(self, mut map: M) -> Result<(), M::Error> {
            let mut keys: Vec<std::borrow::Cow<'de, str>> = Vec::new();
            while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                let value: &'de RawValue = map.next_value()?;
                if self.0 && key == "error" && value.get().starts_with('{') {
                    unique_keys(value.get(), false).map_err(|e| {
                        serde::de::Error::custom(format_args!("invalid `error`: {}", crate::payload::strip_position(&e.to_string())))
                    })?;
                }
                keys.push(key);
            }
            keys.sort_unstable();
            match keys.windows(2).find(|w| w.first() == w.get(1)).and_then(|w| w.first()) {
                Some(key) => Err(serde::de::Error::custom(format_args!("duplicate field `{}`", crate::plain::bounded(key)))),
                None => Ok(()),
            }
        }
        // Not an object: nothing to check here; the caller says what is wrong with it.
        fn visit_seq<S: serde::de::SeqAccess<'de>>(self, _: S) -> Result<(), S::Error> {
            Ok(())
        }
    }
    if !text.starts_with('{') {
        return Ok(());
    }
    let mut deserializer = serde_json::Deserializer::from_str(text);
    serde::Deserializer::deserialize_map(&mut deserializer, Keys(nested_error))
}

fn is_error_response(raw: &RawValue) -> bool {
    // An error response has the key `error`, written out or with escapes; a success
    // response usually has neither, and then the probe below is skipped.
    let text = raw.get();
    if !text.contains("\"error\"") && !text.contains('\\') {
        return false;
    }
    #[derive(Deserialize)]
    struct Probe<'a> {
        #[serde(borrow)]
        error: Option<&'a RawValue>,
    }
    #[derive(Deserialize)]
    struct MessageProbe<'a> {
        #[serde(borrow)]
        message: Option<&'a RawValue>,
    }
    serde_json::from_str::<Probe>(text)
        .ok()
        .and_then(|p| p.error)
        .filter(|e| e.get().starts_with('{'))
        .and_then(|e| serde_json::from_str::<MessageProbe>(e.get()).ok())
        .and_then(|m| m.message)
        .is_some_and(|m| m.get().starts_with('"'))
}

#[cfg(feature = "schema")]
pub(crate) mod schema {
    //! Schemas of whole messages, shaped for validators and code generators alike:
    //!
    //! - each message kind (one action's request, its success reply, the error reply, the
    //!   request and reply of an action without typed payloads) is a plain object schema:
    //!   the shared `Envelope`, `api` and `action` as discriminators, and `data`/`response`
    //!   referring to payload definitions named after the action (`FromWidgetSendEventRequestData`);
    //! - the unions (a direction's requests, replies, messages; any message) dispatch with
    //!   `if`/`then`/`else` on `api`, on `response` and on `action`, exactly as `decode` does,
    //!   so a validator only checks the branch that applies and its first error names the
    //!   field that is wrong, instead of reporting every branch of a `oneOf`.

    use super::*;
    use crate::naming::{NameSpec, Spelling, WireName};
    use schemars::{JsonSchema, Schema, SchemaGenerator};
    use serde_json::{Value, json};

    /// The definition holding the fields every message shares.
    const ENVELOPE: &str = "Envelope";
    /// The definition of a reply's echoed `data`.
    const ECHOED_DATA: &str = "EchoedData";

    /// Every spelling of an action: the current ones (stable, unstable) and the legacy ones.
    pub(crate) fn spellings(action: &ActionName) -> (Vec<&'static str>, Vec<&'static str>) {
        let stable = action.name_in(Spelling::Stable);
        match ActionName::NAMES.iter().find(|spec| spec.stable == stable) {
            Some(spec) => {
                let current = NameSpec::spellings(spec).filter(|s| !spec.legacy.contains(s)).collect();
                (current, spec.legacy.to_vec())
            }
            None => (Vec::new(), Vec::new()),
        }
    }

    fn all_spellings(action: &ActionName) -> Vec<&'static str> {
        let (mut current, legacy) = spellings(action);
        current.extend(legacy);
        current
    }

    /// `{"$ref": "#/$defs/<name>"}`.
    pub(crate) fn def_ref(name: &str) -> Value {
        json!({ "$ref": format!("#/$defs/{name}") })
    }

    /// Adds (or replaces) the definition `name` and returns a reference to it.
    fn define(generator: &mut SchemaGenerator, name: &str, schema: Value) -> Value {
        generator.definitions_mut().insert(name.to_owned(), schema);
        def_ref(name)
    }

    fn envelope(generator: &mut SchemaGenerator) -> Value {
        define(
            generator,
            ENVELOPE,
            json!({
                "description": "The fields every message has, whatever its direction and action. Other top-level fields are allowed and kept.",
                "type": "object",
                "properties": {
                    "widgetId": { "description": "The widget's ID.", "type": "string", "minLength": 1 },
                    "requestId": { "description": "The request's ID, unique per session; a reply repeats it.", "type": "string", "minLength": 1 },
                },
                "required": ["widgetId", "requestId"],
            }),
        )
    }

    fn echoed_data(generator: &mut SchemaGenerator) -> Value {
        define(
            generator,
            ECHOED_DATA,
            json!({ "description": "The request's `data`, echoed by the reply as it was (not checked again: any JSON value)." }),
        )
    }

    /// The error reply of the direction of `A` (an untyped marker), for its schema.
    pub(crate) struct ErrorReply<A>(PhantomData<A>);

    /// Every message of the direction of `A` (an untyped marker), for its schema.
    pub(crate) struct Messages<A>(PhantomData<A>);

    /// The folder of a direction's schemas: `from_widget`, `to_widget`.
    pub(crate) fn folder(api: Api) -> &'static str {
        match api {
            Api::FromWidget => "from_widget",
            Api::ToWidget => "to_widget",
        }
    }

    /// The definition names of one message kind: `FromWidgetSendEvent` + `Request`, ….
    #[derive(Clone, Copy)]
    pub(crate) struct Names {
        /// `FromWidgetSendEvent`, or `UnknownFromWidget` for the untyped action.
        pub(crate) base: &'static str,
        /// The file stem of the action under its direction's folder: `send_event`, `unknown`.
        pub(crate) file: &'static str,
    }

    /// `"send_event :: SendEvent"` (a stringified marker path) → `"send_event"`.
    pub(crate) fn module_of(marker: &'static str) -> &'static str {
        marker.split("::").next().map(str::trim).unwrap_or(marker)
    }

    /// The `action` property of `A`'s messages: its spellings, with legacy spellings in a
    /// definition of their own (spellings that differ only in punctuation would give two
    /// code-generated enum variants the same name). For the untyped action: any name
    /// that is not typed in this direction.
    fn action_property<A: Action>(generator: &mut SchemaGenerator, names: Names, typed: &[ActionName]) -> Value {
        let (current, legacy) = spellings(&A::NAME);
        if current.is_empty() {
            let taken: Vec<&str> = typed.iter().flat_map(all_spellings).collect();
            return define(
                generator,
                &format!("{}ActionName", names.base),
                json!({
                    "description": format!(
                        "An action without typed payloads in the {} direction (a vendor action such as `io.element.join`, or one this version does not type): any name but those.",
                        A::API
                    ),
                    "type": "string",
                    "minLength": 1,
                    "not": { "enum": taken },
                }),
            );
        }
        let current = json!({ "type": "string", "enum": current });
        if legacy.is_empty() {
            return current;
        }
        let legacy = define(
            generator,
            &format!("{}LegacyActionName", names.base),
            json!({ "description": "Legacy spellings: accepted, never emitted unless echoed.", "type": "string", "enum": legacy }),
        );
        json!({ "oneOf": [current, legacy] })
    }

    /// The payload `T`'s schema as the definition `name`, so that payload types are named
    /// after their action and message kind, and a reference to it.
    fn payload<T: JsonSchema>(generator: &mut SchemaGenerator, name: &str) -> Value {
        let body = T::json_schema(generator).to_value();
        define(generator, name, body)
    }

    fn message(description: String, envelope: Value, properties: Value, required: &[&str]) -> Schema {
        let schema = json!({
            "description": description,
            "type": "object",
            "allOf": [envelope],
            "properties": properties,
            "required": required,
        });
        Schema::try_from(schema).unwrap_or_default()
    }

    /// A request of `A`: the whole message.
    pub(crate) fn request_schema<A: Action>(generator: &mut SchemaGenerator, names: Names, typed: &[ActionName]) -> Schema
    where
        A::RequestData: JsonSchema,
    {
        let envelope = envelope(generator);
        let action = action_property::<A>(generator, names, typed);
        let data = payload::<A::RequestData>(generator, &format!("{}RequestData", names.base));
        message(
            format!("A {} {} request: the whole message.", A::API, action_phrase::<A>()),
            envelope,
            json!({
                "api": { "const": A::API.name_in(Spelling::Unstable) },
                "action": action,
                "data": data,
                "response": { "description": "A request has no `response` (`null` reads as absent).", "type": "null" },
            }),
            &["api", "action", "data"],
        )
    }

    /// A success reply to a request of `A`. An error reply is [`error_response_schema`];
    /// the direction's reply union tells them apart.
    pub(crate) fn response_schema<A: Action>(generator: &mut SchemaGenerator, names: Names, typed: &[ActionName]) -> Schema
    where
        A::ResponseData: JsonSchema,
    {
        let envelope = envelope(generator);
        let action = action_property::<A>(generator, names, typed);
        let data = echoed_data(generator);
        let response = payload::<A::ResponseData>(generator, &format!("{}ResponseData", names.base));
        message(
            format!(
                "A success reply to a {} {} request: the request echoed, plus `response`. \
                 An error reply (`response.error`) has its own schema.",
                A::API,
                action_phrase::<A>()
            ),
            envelope,
            json!({ "api": { "const": A::API.name_in(Spelling::Unstable) }, "action": action, "data": data, "response": response }),
            &["api", "action", "data", "response"],
        )
    }

    /// An error reply to any request of the direction `api`.
    pub(crate) fn error_response_schema(generator: &mut SchemaGenerator, api: Api) -> Schema {
        let envelope = envelope(generator);
        let data = echoed_data(generator);
        let error = generator.subschema_for::<ErrorResponseData>().to_value();
        message(
            format!("An error reply to a {api} request of any action: the request echoed, plus `response.error`."),
            envelope,
            json!({
                "api": { "const": api.name_in(Spelling::Unstable) },
                "action": { "description": "The request's action, echoed.", "type": "string", "minLength": 1 },
                "data": data,
                "response": error,
            }),
            &["api", "action", "data", "response"],
        )
    }

    /// "`send_event`", or a phrase for the untyped actions.
    fn action_phrase<A: Action>() -> String {
        match all_spellings(&A::NAME).first() {
            Some(name) => format!("`{name}`"),
            None => "untyped (any action without typed payloads, data kept as is)".to_owned(),
        }
    }

    /// What `if` tests to pick a branch by action: `action` is one of `A`'s spellings.
    pub(crate) fn action_test<A: Action>() -> Vec<&'static str> {
        all_spellings(&A::NAME)
    }

    /// `{"if": <action in spellings>, "then": <branch>, "else": …}`, nested, ending in
    /// `fallback`: the first branch whose spellings contain `action` applies, else the
    /// fallback. Ajv and other validators then only report the errors of that branch.
    pub(crate) fn dispatch_by_action(branches: Vec<(Vec<&'static str>, Value)>, fallback: Value) -> Value {
        branches.into_iter().rev().fold(fallback, |otherwise, (spellings, then)| {
            json!({
                "if": { "properties": { "action": { "enum": spellings } }, "required": ["action"] },
                "then": then,
                "else": otherwise,
            })
        })
    }

    /// An object schema `{description, type: object, …branch}`.
    fn union(description: &str, branch: Value) -> Schema {
        let mut schema = json!({ "description": description, "type": "object" });
        if let (Some(target), Value::Object(branch)) = (schema.as_object_mut(), branch) {
            target.extend(branch);
        }
        Schema::try_from(schema).unwrap_or_default()
    }

    /// A direction's requests: dispatched by `action`.
    pub(crate) fn requests(description: &str, branches: Vec<(Vec<&'static str>, Value)>, unknown: Value) -> Schema {
        union(description, dispatch_by_action(branches, unknown))
    }

    /// A direction's replies: an error reply when `response.error` is an object with a
    /// string `message` (as widget-api's `isErrorResponse` and `decode` decide), else the
    /// success reply of the action.
    pub(crate) fn responses(description: &str, error: Value, branches: Vec<(Vec<&'static str>, Value)>, unknown: Value) -> Schema {
        union(
            description,
            json!({
                "if": {
                    "required": ["response"],
                    "properties": { "response": {
                        "type": "object",
                        "required": ["error"],
                        "properties": { "error": { "type": "object", "required": ["message"], "properties": { "message": { "type": "string" } } } },
                    } },
                },
                "then": error,
                "else": dispatch_by_action(branches, unknown),
            }),
        )
    }

    /// A direction's messages: a reply when `response` is present and not `null`.
    pub(crate) fn messages(description: &str, responses: Value, requests: Value) -> Schema {
        union(
            description,
            json!({
                "if": { "required": ["response"], "properties": { "response": { "not": { "type": "null" } } } },
                "then": responses,
                "else": requests,
            }),
        )
    }

    /// Any message: dispatched by `api`.
    pub(crate) fn any_message(description: &str, to_widget: Value, from_widget: Value) -> Schema {
        union(
            description,
            json!({
                "if": { "required": ["api"], "properties": { "api": { "const": Api::ToWidget.name_in(Spelling::Unstable) } } },
                "then": to_widget,
                "else": from_widget,
            }),
        )
    }
}
