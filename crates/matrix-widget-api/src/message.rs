//! The envelope and typed requests and responses.
//!
//! A [`Request<A>`] is one action's request with its typed `data`; [`Request::reply`] only
//! takes `A::ResponseData`, and builds the reply from the request's own bytes, so the reply
//! echoes the request exactly and adds `response`. A [`Response<A>`] is a reply as the
//! requester receives it: the echoed `data` kept raw, and the typed outcome.
//!
//! Replies are built in `message/reply.rs`, the untyped markers are in
//! `message/untyped.rs`, and the schemas of whole messages (feature `schema`) in
//! `message/schema.rs`.

pub(crate) mod id;
mod reply;
#[cfg(feature = "schema")]
pub(crate) mod schema;
mod untyped;

pub(crate) use reply::{Source, to_json};
pub use untyped::{UntypedFromWidget, UntypedToWidget};

pub(crate) use id::Id;

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::error::ErrorResponseData;
use crate::naming::Spelled;
use crate::payload::{Extra, RawObject, serialize_extra};
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
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
    pub(crate) widget_id: Id,
    pub(crate) request_id: Id,
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
        Ok(Envelope { api, widget_id: widget_id.into(), request_id: request_id.into(), action, extra: Extra::new() })
    }

    /// Who sent the request (a response keeps the request's `api`).
    pub fn api(&self) -> Api {
        self.api
    }

    /// The widget's ID.
    pub fn widget_id(&self) -> &str {
        self.widget_id.as_str()
    }

    /// The request's ID, unique per session.
    pub fn request_id(&self) -> &str {
        self.request_id.as_str()
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
    /// Boxed: a decoded request's data arrives boxed from the pass, so the request takes the
    /// box instead of copying the data out of it (and the request's own box stays small).
    data: Box<A::RequestData>,
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
        Ok(Request { envelope, data: Box::new(data), source: None })
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
        Ok(Request { envelope, data: Box::new(data), source: None })
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
        (self.envelope, *self.data)
    }

    pub(crate) fn decoded(envelope: Envelope, data: Box<A::RequestData>, source: Option<Source>) -> Self {
        Request { envelope, data, source }
    }

    /// The message exactly as it arrived, if it was decoded.
    pub fn source(&self) -> Option<&str> {
        self.source.as_ref().map(Source::text)
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
    /// even an object, when the reply answers a request whose `data` was not one). A reply
    /// without `data` (the error reply to a request that had none) reads as `null`.
    pub fn data(&self) -> &RawValue {
        &self.data
    }

    /// The outcome: the typed success response or the error response.
    pub fn result(&self) -> &Result<A::ResponseData, ErrorResponseData> {
        &self.result
    }

    /// The outcome, by value.
    #[expect(clippy::result_large_err, reason = "the same type as the `result` it holds")]
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
