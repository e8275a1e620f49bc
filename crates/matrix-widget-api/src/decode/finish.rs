//! The second stage: from what the pass captured (`visitor.rs`) to a typed [`Message`], or
//! to an [`InvalidMessage`] naming the field at fault. A payload the pass kept raw is decoded
//! here, after the envelope, which is also how the precise error of a message whose one-pass
//! decode failed is found.

use super::Message;
use super::error::InvalidMessage;
use super::visitor::{Captured, DataSlot, ResponseSlot, TypedData, TypedResult, read};
use crate::api::{Api, Role};
use crate::message::{Envelope, Source};
use crate::{FromWidgetRequest, FromWidgetResponse, ToWidgetRequest, ToWidgetResponse};
use serde::Deserialize;
use serde::de;
use serde_json::value::RawValue;
use std::ops::Range;

/// A decoded message, or one whose envelope is valid and whose payload is not.
pub(super) type Outcome = Result<Message, Box<InvalidMessage>>;

/// Decodes `text` received by `role`: the pass (typing `data` and `response` in it when
/// `typed`), then the second stage. An error means the envelope itself could not be read
/// (or, with `typed`, that the pass failed somewhere and must be run again without).
#[inline(always)]
pub(super) fn run(role: Option<Role>, text: &str, typed: bool) -> Result<Outcome, serde_json::Error> {
    read(role, text, typed)
}

/// The second stage for what the pass over `text` captured (called at the end of the pass).
#[inline(always)]
pub(super) fn finish(text: &str, captured: Captured<'_>) -> Outcome {
    let Captured { envelope, data, response, null_response } = captured;
    SecondStage { text }.finish(envelope, data, response, null_response)
}

/// The second stage over one message's text.
struct SecondStage<'a> {
    text: &'a str,
}

impl SecondStage<'_> {
    fn invalid(&self, envelope: Envelope, is_response: bool, error: serde_json::Error) -> Outcome {
        self.invalid_request_or_reply(envelope, is_response, error, None)
    }

    fn invalid_request_or_reply(
        &self,
        envelope: Envelope,
        is_response: bool,
        error: serde_json::Error,
        null_response: Option<Range<usize>>,
    ) -> Outcome {
        Err(Box::new(InvalidMessage { envelope, is_response, error, source: Source::new(self.text, null_response) }))
    }

    #[inline(always)]
    fn finish(
        &self,
        envelope: Envelope,
        data: Option<DataSlot<'_>>,
        response: Option<ResponseSlot<'_>>,
        null_response: Option<Range<usize>>,
    ) -> Outcome {
        let data = match data {
            Some(data) => data,
            // A reply to a request that had no `data` (such as our own error reply to one)
            // echoes none: its data reads as `null`.
            None if response.is_some() => DataSlot::Raw(RawValue::NULL),
            // A request without `data`: the envelope is valid, so it gets an error reply
            // that keeps its `requestId` (the reference host throws and the widget waits for
            // its timeout).
            None => {
                return self.invalid_request_or_reply(
                    envelope,
                    false,
                    de::Error::custom("the request has no `data` (a request without a payload sends `\"data\":{}`)"),
                    null_response,
                );
            }
        };
        let response = match response {
            None => None,
            Some(ResponseSlot::Raw(raw)) => raw,
            Some(ResponseSlot::Typed(result)) => {
                let DataSlot::Raw(raw) = data else {
                    // A reply is typed in the pass only when its data was kept raw.
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
            Ok(d) => self.finish(envelope, Some(DataSlot::Raw(d.data)), Some(ResponseSlot::Raw(Some(response))), None),
            Err(e) => self.invalid(envelope, true, e),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{DecodeError, FromWidgetResponse, WidgetMessage, decode_host, decode_widget};

    #[test]
    fn a_request_without_data_gets_an_error_reply_that_decodes() {
        let text = r#"{"api":"fromWidget","widgetId":"w","requestId":"r1","action":"send_event"}"#;
        let Err(DecodeError::Invalid(invalid)) = decode_host(text) else { panic!("answerable: {:?}", decode_host(text)) };
        assert_eq!(invalid.envelope.request_id(), "r1");
        let reply = invalid.error_reply().expect("a reply");
        assert!(
            reply.starts_with(r#"{"api":"fromWidget","widgetId":"w","requestId":"r1","action":"send_event","response":{"error":"#),
            "{reply}"
        );
        assert!(reply.contains("no `data`"), "{reply}");
        // The widget reads our reply: an error reply whose echoed data is `null`.
        let Ok(WidgetMessage::Response(FromWidgetResponse::SendEvent(response))) = decode_widget(&reply) else {
            panic!("{:?}", decode_widget(&reply))
        };
        assert!(response.is_error());
        assert_eq!(response.data().get(), "null");
    }
}
