//! The envelope (catalogue §1) and typed requests and responses.
//!
//! A [`Request<A>`] is one action's request with its typed `data`; [`Request::reply`] only
//! takes `A::Response`, and builds the reply from the request's own bytes, so the reply
//! echoes the request exactly and adds `response`. A [`Response<A>`] is a reply as the
//! requester receives it: the echoed `data` kept raw, and the typed outcome.

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::error::ErrorResponse;
use crate::naming::Spelled;
use crate::payload::{Extra, RawObject, serialize_extra};
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};
use serde_json::value::RawValue;
use std::fmt;
use std::marker::PhantomData;

/// The fields every message has (`api`, `widgetId`, `requestId`, `action`), plus any
/// top-level fields the protocol does not define (such as the `visible` copy of the
/// `visibility` action, §1.1), kept for the round-trip.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Envelope {
    /// Who sent the request (a response keeps the request's `api`).
    pub api: Api,
    /// The widget's ID.
    pub widget_id: String,
    /// The request's ID, unique per session.
    pub request_id: String,
    /// The action, in the spelling it arrived in.
    pub action: Spelled<ActionName>,
    /// Other top-level fields.
    pub extra: Extra,
}

impl Envelope {
    /// An envelope for a request.
    pub fn new(api: Api, widget_id: impl Into<String>, request_id: impl Into<String>, action: Spelled<ActionName>) -> Self {
        Envelope { api, widget_id: widget_id.into(), request_id: request_id.into(), action, extra: Extra::new() }
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

/// A request of action `A`.
pub struct Request<A: Action> {
    /// The envelope.
    pub envelope: Envelope,
    /// The typed `data`.
    pub data: A::Request,
    /// The message exactly as it arrived, when it was decoded.
    source: Option<Source>,
}

impl<A: Action> Request<A> {
    /// A new request of action `A`. Its action name follows the naming of the
    /// serialisation call (unstable by default).
    pub fn new(widget_id: impl Into<String>, request_id: impl Into<String>, data: A::Request) -> Self {
        Request { envelope: Envelope::new(A::API, widget_id, request_id, Spelled::new(A::NAME)), data, source: None }
    }

    /// A request from its parts (for example with an envelope of an untyped action).
    pub fn from_parts(envelope: Envelope, data: A::Request) -> Self {
        Request { envelope, data, source: None }
    }

    pub(crate) fn decoded(envelope: Envelope, data: A::Request, source: Option<Source>) -> Self {
        Request { envelope, data, source }
    }

    /// The message exactly as it arrived, if it was decoded.
    pub fn source(&self) -> Option<&str> {
        self.source.as_ref().map(|s| &*s.text)
    }

    /// The success reply: the request echoed exactly, plus `response`.
    pub fn reply(&self, response: &A::Response) -> String {
        self.reply_with(response)
    }

    /// The error reply: the request echoed exactly, plus `response: {error: …}`.
    pub fn reply_error(&self, error: impl Into<ErrorResponse>) -> String {
        self.reply_with(&error.into())
    }

    fn reply_with<R: Serialize>(&self, response: &R) -> String {
        match &self.source {
            Some(source) => source.reply(&response_json(response)),
            // A response type that fails to serialise (only a third-party `Action`'s can)
            // becomes an error reply saying so, rather than a panic.
            None => serde_json::to_string(&EnvelopeWith { envelope: &self.envelope, data: &self.data, response })
                .unwrap_or_else(|e| self.reply_with(&ErrorResponse::new(format!("the host could not serialise its response: {e}")))),
        }
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
        .unwrap_or_else(|e| to_json(&ErrorResponse::new(format!("the host could not serialise its response: {e}"))))
}

/// Serialises a value the crate built; its types have string keys and no fallible parts.
pub(crate) fn to_json<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).expect("serialising a widget API value cannot fail: every map key is a string")
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
    /// The envelope (echoed from the request).
    pub envelope: Envelope,
    /// The echoed request `data`, kept raw: it is the requester's own, and a reply stays
    /// readable even if the echo is something this crate would reject as a request.
    pub data: RawObject,
    /// The outcome: the typed success response or the error response.
    pub result: Result<A::Response, ErrorResponse>,
    action: PhantomData<fn() -> A>,
}

impl<A: Action> Response<A> {
    /// A response from its parts.
    pub fn new(envelope: Envelope, data: RawObject, result: Result<A::Response, ErrorResponse>) -> Self {
        Response { envelope, data, result, action: PhantomData }
    }

    /// The echoed request data, typed.
    pub fn request_data(&self) -> Result<A::Request, serde_json::Error> {
        serde_json::from_str(self.data.get())
    }
}

impl<A: Action> Clone for Response<A> {
    fn clone(&self) -> Self {
        Response::new(self.envelope.clone(), self.data.clone(), self.result.clone())
    }
}

impl<A: Action> fmt::Debug for Response<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response").field("envelope", &self.envelope).field("data", &self.data).field("result", &self.result).finish()
    }
}

impl<A: Action> PartialEq for Response<A> {
    fn eq(&self, other: &Self) -> bool {
        self.envelope == other.envelope && self.data == other.data && self.result == other.result
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
    const NAME: ActionName = ActionName::Other(String::new());
    type Request = RawObject;
    type Response = RawObject;
}

/// The untyped toWidget action; see [`UntypedFromWidget`].
#[derive(Debug)]
pub enum UntypedToWidget {}

impl Action for UntypedToWidget {
    const API: Api = Api::ToWidget;
    const NAME: ActionName = ActionName::Other(String::new());
    type Request = RawObject;
    type Response = RawObject;
}

/// Decodes a `response` object: an error response when `response.error` is an object with
/// a string `message` (widget-api's `isErrorResponse`), else `R`.
pub(crate) fn decode_result<R: serde::de::DeserializeOwned>(raw: &RawValue) -> Result<Result<R, ErrorResponse>, serde_json::Error> {
    if is_error_response(raw) {
        serde_json::from_str::<ErrorResponse>(raw.get()).map(Err)
    } else {
        serde_json::from_str::<R>(raw.get()).map(Ok)
    }
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
    //! Schemas of whole messages. Requests and replies are told apart the way `decode`
    //! does it: a reply has a `response` object; a request has none (or `null`).

    use super::*;
    use crate::naming::{NameSpec, Spelling, WireName};
    use schemars::{JsonSchema, Schema, SchemaGenerator};
    use serde_json::{Value, json};
    use std::borrow::Cow;

    /// Every spelling of an action.
    pub(crate) fn spellings(action: &ActionName) -> Vec<&'static str> {
        let stable = action.name_in(Spelling::Stable);
        ActionName::NAMES.iter().find(|spec| spec.stable == stable).map(|spec| NameSpec::spellings(spec).collect()).unwrap_or_default()
    }

    /// `SendEvent` for `send_event`, `Untyped` for the untyped actions.
    fn pascal(action: &ActionName) -> String {
        let name = action.name_in(Spelling::Stable);
        if name.is_empty() {
            return "Untyped".to_owned();
        }
        name.split(['_', '.'])
            .map(|w| {
                let mut chars = w.chars();
                chars.next().map(|c| c.to_uppercase().chain(chars).collect::<String>()).unwrap_or_default()
            })
            .collect()
    }

    fn direction<A: Action>() -> &'static str {
        match A::API {
            Api::FromWidget => "FromWidget",
            Api::ToWidget => "ToWidget",
        }
    }

    /// The envelope's properties, with `action` as given.
    fn envelope(api: Api, action: Value) -> serde_json::Map<String, Value> {
        let mut properties = serde_json::Map::new();
        properties.insert("api".into(), json!({ "const": api.name_in(Spelling::Unstable) }));
        properties.insert("widgetId".into(), json!({ "type": "string", "minLength": 1 }));
        properties.insert("requestId".into(), json!({ "type": "string", "minLength": 1 }));
        properties.insert("action".into(), action);
        properties
    }

    /// The `action` schema of `A`; for the untyped actions, any name but the typed ones.
    pub(crate) fn action_schema<A: Action>(typed: &[ActionName]) -> Value {
        let spelled = spellings(&A::NAME);
        if spelled.is_empty() {
            let taken: Vec<&str> = typed.iter().flat_map(spellings).collect();
            json!({ "type": "string", "minLength": 1, "not": { "enum": taken } })
        } else {
            json!({ "type": "string", "enum": spelled })
        }
    }

    pub(crate) fn request_schema<A: Action>(generator: &mut SchemaGenerator, typed: &[ActionName]) -> Schema
    where
        A::Request: JsonSchema,
    {
        let mut properties = envelope(A::API, action_schema::<A>(typed));
        properties.insert("data".into(), generator.subschema_for::<A::Request>().to_value());
        properties.insert("response".into(), json!({ "type": "null" }));
        let schema = json!({
            "description": format!("A {} {} request: the whole message.", A::API, action_phrase::<A>()),
            "type": "object",
            "properties": properties,
            "required": ["api", "widgetId", "requestId", "action", "data"],
        });
        Schema::try_from(schema).unwrap_or_default()
    }

    pub(crate) fn response_schema<A: Action>(generator: &mut SchemaGenerator, typed: &[ActionName]) -> Schema
    where
        A::Response: JsonSchema,
    {
        let mut properties = envelope(A::API, action_schema::<A>(typed));
        properties.insert("data".into(), json!({ "type": "object", "description": "The request's data, echoed." }));
        let error = generator.subschema_for::<ErrorResponse>().to_value();
        let success = generator.subschema_for::<A::Response>().to_value();
        properties.insert(
            "response".into(),
            json!({
                "if": {
                    "type": "object",
                    "required": ["error"],
                    "properties": { "error": { "type": "object", "required": ["message"], "properties": { "message": { "type": "string" } } } },
                },
                "then": error,
                "else": success,
            }),
        );
        let schema = json!({
            "description": format!("A reply to a {} {} request: the request echoed, plus `response`.", A::API, action_phrase::<A>()),
            "type": "object",
            "properties": properties,
            "required": ["api", "widgetId", "requestId", "action", "data", "response"],
        });
        Schema::try_from(schema).unwrap_or_default()
    }

    /// "`send_event`", or a phrase for the untyped actions.
    fn action_phrase<A: Action>() -> String {
        match spellings(&A::NAME).first() {
            Some(name) => format!("`{name}`"),
            None => "untyped (any action without typed payloads, data kept as is)".to_owned(),
        }
    }

    pub(crate) fn request_name<A: Action>() -> Cow<'static, str> {
        format!("{}{}Request", direction::<A>(), pascal(&A::NAME)).into()
    }

    pub(crate) fn response_name<A: Action>() -> Cow<'static, str> {
        format!("{}{}Response", direction::<A>(), pascal(&A::NAME)).into()
    }

    /// `oneOf` of references.
    pub(crate) fn one_of(description: &str, branches: Vec<Schema>) -> Schema {
        let branches: Vec<Value> = branches.into_iter().map(Schema::to_value).collect();
        Schema::try_from(json!({ "description": description, "oneOf": branches })).unwrap_or_default()
    }
}
