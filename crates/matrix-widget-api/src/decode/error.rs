//! Why a message could not be decoded: [`DecodeError`], [`InvalidMessage`], and what a
//! [`Refused`] message says and answers (the check itself is in [`crate::limits`], which
//! knows nothing of the protocol's types).

use crate::error::ErrorResponseData;
use crate::limits::{Reason, Refused};
use crate::message::{Envelope, Source, to_json};
use std::fmt;

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
    Refused(Box<Refused>),
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
    pub(super) source: Source,
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
        let error = ErrorResponseData::new(format!("Invalid request: {}", self.message()));
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

impl Refused {
    /// The error reply, when the message is a request whose `api`, `widgetId`, `requestId`
    /// and `action` could be read, and (when decoded for a role) a request that role receives: those four, `"data": {}` (the data is not echoed), and
    /// `response: {error: {message: "Invalid request: …"}}`.
    pub fn error_reply(&self) -> Option<String> {
        let head = &self.head;
        if head.has_response || !self.reaches_role {
            return None;
        }
        let api = head.api.as_deref().filter(|a| matches!(*a, "fromWidget" | "toWidget"))?;
        let (widget_id, request_id, action) = (head.widget_id.as_deref()?, head.request_id.as_deref()?, head.action.as_deref()?);
        if widget_id.is_empty() || request_id.is_empty() || action.is_empty() || matches!(self.reason, Reason::IdTooLong { .. }) {
            return None;
        }
        let error = ErrorResponseData::new(format!("Invalid request: {}", self.reason));
        let reply = serde_json::json!({
            "api": api, "widgetId": widget_id, "requestId": request_id, "action": action, "data": {}, "response": error,
        });
        Some(reply.to_string())
    }
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.head.request_id {
            Some(id) => write!(f, "refused message {}: {}", crate::plain::bounded(&format!("{id:?}")), self.reason),
            None => write!(f, "refused message: {}", self.reason),
        }
    }
}

impl std::error::Error for Refused {}
