//! Replies built from the request: for a decoded request, its own text with `response`
//! added and every other byte as it arrived (so the widget's transport matches it); for a
//! request built in code, the request serialised with `response`.

use super::{Envelope, Request};
use crate::action::Action;
use crate::error::ErrorResponseData;
use crate::payload::RawObject;
use serde::{Serialize, Serializer};

impl<A: Action> Request<A> {
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

    /// The request exactly as it arrived.
    pub(crate) fn text(&self) -> &str {
        &self.text
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
