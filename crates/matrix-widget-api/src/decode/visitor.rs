//! The one pass over a message: the envelope's fields are read and checked (non-empty IDs
//! and action, no duplicate keys, what the role receives), and `data` or `response` is
//! decoded into its typed payload in the same pass when `api` and `action` came before it.
//! What the pass could not type is kept raw, in a [`Captured`], for the second stage
//! (`finish.rs`), which the pass calls at its end.

use super::finish::Outcome;
use super::json::{Bail, Head, Reader};
use crate::action::ActionName;
use crate::api::{Api, Role};
use crate::from_widget::{FromWidgetData, FromWidgetResult};
use crate::limits::Limits;
use crate::message::{Envelope, Id};
use crate::naming::Spelled;
use crate::payload::Extra;
use crate::to_widget::{ToWidgetData, ToWidgetResult};
use serde::de::{self, DeserializeSeed, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

/// What the pass read: the checked envelope, and `data` and `response` as far as it got
/// with them.
pub(super) struct Captured<'de> {
    pub(super) envelope: Envelope,
    /// `None` when the message has no `data`: a request without it is answerable (the
    /// envelope is valid), and a reply to such a request has none to echo.
    pub(super) data: Option<DataSlot<'de>>,
    /// `None` for a request (no `response`, or `"response": null`).
    pub(super) response: Option<ResponseSlot<'de>>,
    /// Where the value of a `"response": null` member is in the text, if there was one.
    pub(super) null_response: Option<Range<usize>>,
}

/// Reads `text`, received by `role`, in one pass; with `typed`, `data` and `response` are
/// typed in the pass when they can be. An error means the envelope itself could not be read
/// (or, with `typed`, that the pass failed somewhere and must be run again without).
#[inline(always)]
pub(super) fn read(role: Option<Role>, text: &str, typed: bool) -> Result<Outcome, serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    // Without a role, whether `data` belongs to a request or is a reply's echo is known only
    // once `response` shows up, usually after `data`. A message that holds no `"response"`
    // anywhere is a request (or, with an escaped key, takes the slower path): type its
    // `data` in the pass. Otherwise keep `data` raw and type `response` in the pass, so a
    // reply is read once instead of twice.
    let may_be_reply = role.is_none() && text.contains("\"response\"");
    let captured = MessageSeed { role, text, typed, may_be_reply }.deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(captured)
}

/// [`read`] through the fast path's reader (`json.rs`). `Err` means only that the message
/// is to be read the slow way, which finds out what, if anything, is wrong with it.
#[inline(always)]
pub(super) fn read_fast(role: Option<Role>, text: &str, typed: bool, limits: &Limits) -> Result<Outcome, Bail> {
    let mut reader = Reader::new(text, limits).ok_or(Bail)?;
    let may_be_reply = role.is_none() && text.contains("\"response\"");
    let seed = MessageSeed { role, text, typed, may_be_reply };
    let outcome = match reader.canonical_head()? {
        // The head every known peer writes, read without dispatching on its keys; its
        // values go through the same seeds as in the generic pass.
        Some(head) => {
            let start = Start::from_head(&head)?;
            let outcome = seed.visit_members(start, reader.members_after_head())?;
            reader.close_object()?;
            outcome
        }
        None => seed.deserialize(&mut reader)?,
    };
    reader.end()?;
    Ok(outcome)
}

/// The pass over one message.
struct MessageSeed<'a> {
    role: Option<Role>,
    /// The whole message (to locate a `"response": null` in it).
    text: &'a str,
    /// Decode `data` into its typed payload during the pass.
    typed: bool,
    /// Without a role: the text holds `"response"`, so `data` is kept raw and `response`
    /// typed in the pass.
    may_be_reply: bool,
}

impl<'de> DeserializeSeed<'de> for MessageSeed<'_> {
    type Value = Outcome;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Outcome, D::Error> {
        deserializer.deserialize_map(self)
    }
}

/// A key of the envelope.
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
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key::known(v).unwrap_or(Key::Other(Cow::Borrowed(v))))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key::known(v).unwrap_or_else(|| Key::Other(Cow::Owned(v.to_owned()))))
            }
        }
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

impl Key<'_> {
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
pub(super) enum TypedData {
    FromWidget(FromWidgetData),
    ToWidget(ToWidgetData),
}

impl TypedData {
    pub(super) fn deserialize<'de, D: Deserializer<'de>>(api: Api, action: &ActionName, deserializer: D) -> Result<Self, D::Error> {
        match api {
            Api::FromWidget => FromWidgetData::deserialize(action, deserializer).map(TypedData::FromWidget),
            Api::ToWidget => ToWidgetData::deserialize(action, deserializer).map(TypedData::ToWidget),
        }
    }
}

/// A typed outcome of either direction.
pub(super) enum TypedResult {
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

/// `response` as far as the pass got with it.
#[expect(clippy::large_enum_variant, reason = "lives on the stack for one decode; boxing the large variant would cost an allocation")]
pub(super) enum ResponseSlot<'de> {
    Raw(Option<&'de RawValue>),
    Typed(TypedResult),
}

/// `data` as far as the pass got with it.
pub(super) enum DataSlot<'de> {
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

/// `widgetId` or `requestId`.
struct IdSeed;

impl<'de> DeserializeSeed<'de> for IdSeed {
    type Value = Id;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Id, D::Error> {
        crate::message::id::deserialize(deserializer)
    }
}

fn missing<E: de::Error>(field: &'static str) -> E {
    E::missing_field(field)
}

fn non_empty<E: de::Error>(field: &'static str, value: Id) -> Result<Id, E> {
    if value.is_empty() { Err(E::custom(format_args!("`{field}` must not be empty"))) } else { Ok(value) }
}

impl<'de> Visitor<'de> for MessageSeed<'_> {
    type Value = Outcome;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a widget API message (a JSON object with api, widgetId, requestId, action and data)")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Outcome, A::Error> {
        self.visit_members(Start::default(), map)
    }
}

/// The envelope fields read before the pass's loop: none, or a canonical head's.
#[derive(Default)]
struct Start {
    api: Option<Api>,
    widget_id: Option<Id>,
    request_id: Option<Id>,
    action: Option<Spelled<ActionName>>,
    /// A key already read, whose value comes next.
    next: Option<Key<'static>>,
}

impl Start {
    /// The head's values, through the seeds and checks the pass applies to them (`api` was
    /// one of its two spellings).
    #[inline(always)]
    fn from_head(head: &Head<'_>) -> Result<Self, Bail> {
        use serde::de::value::BorrowedStrDeserializer;
        Ok(Start {
            api: Some(head.api),
            widget_id: Some(non_empty("widgetId", IdSeed.deserialize(BorrowedStrDeserializer::<Bail>::new(head.widget_id))?)?),
            request_id: Some(non_empty("requestId", IdSeed.deserialize(BorrowedStrDeserializer::<Bail>::new(head.request_id))?)?),
            action: Some(Spelled::<ActionName>::deserialize(BorrowedStrDeserializer::<Bail>::new(head.action))?),
            next: head.data_follows.then_some(Key::Data),
        })
    }
}

impl<'de> MessageSeed<'_> {
    /// The pass's loop over the message's members, after what `start` already holds.
    #[inline(always)]
    fn visit_members<A: MapAccess<'de>>(self, start: Start, mut map: A) -> Result<Outcome, A::Error> {
        let (mut api, mut widget_id, mut request_id, mut action) = (start.api, start.widget_id, start.request_id, start.action);
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

        let mut next = start.next;
        while let Some(key) = match next.take() {
            Some(key) => Some(key),
            None => map.next_key::<Key<'de>>()?,
        } {
            match key {
                Key::Api => once!(api, "api", map.next_value().map_err(|e| crate::payload::field_error("api", e))?),
                Key::WidgetId => {
                    once!(
                        widget_id,
                        "widgetId",
                        non_empty("widgetId", map.next_value_seed(IdSeed).map_err(|e| crate::payload::field_error("widgetId", e))?)?
                    )
                }
                Key::RequestId => {
                    once!(
                        request_id,
                        "requestId",
                        non_empty("requestId", map.next_value_seed(IdSeed).map_err(|e| crate::payload::field_error("requestId", e))?)?
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
                        // Without a role, a reply whose echoed data was kept raw. (A
                        // `"response": null` fails here, and the message is read again
                        // without typing, which keeps where that `null` is.)
                        (true, Some(api), Some(action)) if self.may_be_reply && !matches!(data, Some(DataSlot::Typed(_))) => {
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
                        (true, Some(api), Some(action)) if !self.expects_response(api) && !self.may_be_reply && response.is_none() => {
                            Some((api, action))
                        }
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
        // The second stage runs here, while the typed payload is still in this frame: the
        // result travels up as a `Message` (a pointer and a tag) instead of hundreds of
        // bytes of typed `response` copied at every return.
        Ok(super::finish::finish(self.text, Captured { envelope, data, response, null_response }))
    }
}

impl MessageSeed<'_> {
    /// Whether, for this role, a message with this `api` must be a response.
    fn expects_response(&self, api: Api) -> bool {
        matches!((self.role, api), (Some(Role::Host), Api::ToWidget) | (Some(Role::Widget), Api::FromWidget))
    }

    /// Where `raw`, a slice of the text, starts and ends in it.
    fn offset_of(&self, raw: &RawValue) -> Option<Range<usize>> {
        let start = (raw.get().as_ptr() as usize).checked_sub(self.text.as_ptr() as usize)?;
        let end = start + raw.get().len();
        (self.text.get(start..end) == Some(raw.get())).then_some(start..end)
    }
}
