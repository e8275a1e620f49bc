//! The few fields of an event the engine looks at, and reading `content.msgtype` from raw
//! JSON without building a value.

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use std::borrow::Cow;
use std::fmt;

/// What the engine needs to know about a room event the host is about to deliver (pushed
/// as toWidget `send_event` / `update_state`, or returned by `read_events` /
/// `read_relations`): its room, type, state key, and `content.msgtype`.
///
/// ```
/// use matrix_widget_api_host::permission::EventView;
///
/// let message = EventView::message("!r:b", "m.room.message", Some("m.text"));
/// let state = EventView::state("!r:b", "m.room.member", "@a:b");
/// let parsed = EventView::from_json(r#"{"type":"m.room.message","room_id":"!r:b","content":{"msgtype":"m.text"}}"#)?;
/// assert_eq!(parsed.view(), message);
/// # let _ = state;
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EventView<'a> {
    /// The room the event is in.
    pub room_id: &'a str,
    /// The event type.
    pub event_type: &'a str,
    /// The state key, for a state event.
    pub state_key: Option<&'a str>,
    /// `content.msgtype`, when it is a string.
    pub msgtype: Option<&'a str>,
}

impl<'a> EventView<'a> {
    /// A message (non-state) event.
    pub fn message(room_id: &'a str, event_type: &'a str, msgtype: Option<&'a str>) -> Self {
        EventView { room_id, event_type, state_key: None, msgtype }
    }

    /// A state event.
    pub fn state(room_id: &'a str, event_type: &'a str, state_key: &'a str) -> Self {
        EventView { room_id, event_type, state_key: Some(state_key), msgtype: None }
    }

    /// Reads the fields from an event's JSON (`IRoomEvent`: `type`, `room_id`,
    /// `state_key`, `content.msgtype`); everything else is skipped. A `null` state key is
    /// no state key.
    pub fn from_json(json: &str) -> Result<OwnedEventView, serde_json::Error> {
        serde_json::from_str(json)
    }

    /// The view of a typed event (the `data` of toWidget `send_event`, an entry of
    /// `update_state` or of a `read_events` result); `msgtype` is `content.msgtype` when it
    /// is a string.
    ///
    /// ```
    /// use matrix_widget_api::event::{RoomEvent as Event, Timestamp};
    /// use matrix_widget_api::payload::RawObject;
    /// use matrix_widget_api::Capability;
    /// use matrix_widget_api::naming::Spelled;
    /// use matrix_widget_api_host::permission::{Context, Permissions, EventView};
    ///
    /// let caps = [Spelled::parse("org.matrix.msc2762.receive.event:m.room.message#m.text")?];
    /// let permissions = Permissions::new(&caps);
    /// let content = RawObject::from_json(r#"{"msgtype":"m.text","body":"hi"}"#)?;
    /// let event = Event::new("m.room.message", "@a:b", "$e", "!r:b", Timestamp::from_millis(1).unwrap(), content);
    /// let msgtype = event.msgtype();
    /// let view = EventView::of(&event, msgtype.as_deref());
    /// assert!(permissions.may_push_event(&view, &Context::in_room("!r:b")).is_ok());
    /// assert!(permissions.may_push_event(&view, &Context::in_room("!other:b")).is_err());
    /// # let _: Option<Capability> = None;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn of(event: &'a matrix_widget_api::event::RoomEvent, msgtype: Option<&'a str>) -> Self {
        EventView { room_id: &event.room_id, event_type: &event.event_type, state_key: event.state_key.as_deref(), msgtype }
    }
}

/// The owned form of [`EventView`], as read by [`EventView::from_json`].
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct OwnedEventView {
    /// The room the event is in.
    pub room_id: String,
    /// The event type.
    #[serde(rename = "type")]
    pub event_type: String,
    /// The state key, for a state event.
    #[serde(default)]
    pub state_key: Option<String>,
    /// `content.msgtype`, when it is a string.
    #[serde(default, rename = "content", deserialize_with = "deserialize_content_msgtype")]
    pub msgtype: Option<String>,
}

impl OwnedEventView {
    /// The borrowed view the checks take.
    pub fn view(&self) -> EventView<'_> {
        EventView {
            room_id: &self.room_id,
            event_type: &self.event_type,
            state_key: self.state_key.as_deref(),
            msgtype: self.msgtype.as_deref(),
        }
    }
}

fn deserialize_content_msgtype<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    Ok(deserializer.deserialize_any(MsgtypeVisitor)?.map(Cow::into_owned))
}

/// `content.msgtype` of a content object given as JSON text, when it is a string. As in
/// JavaScript's `JSON.parse`, the last of duplicate keys wins; anything that is not an
/// object has no msgtype.
pub(crate) fn content_msgtype(content: &str) -> Option<Cow<'_, str>> {
    let mut deserializer = serde_json::Deserializer::from_str(content);
    de::Deserializer::deserialize_any(&mut deserializer, MsgtypeVisitor).ok().flatten()
}

/// Visits an object and keeps its `msgtype` when that is a string.
struct MsgtypeVisitor;

impl<'de> Visitor<'de> for MsgtypeVisitor {
    type Value = Option<Cow<'de, str>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("event content")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut msgtype = None;
        while let Some(key) = map.next_key::<Key>()? {
            match key {
                Key::Msgtype => msgtype = map.next_value::<MaybeString<'de>>()?.0,
                Key::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(msgtype)
    }

    // Content that is not an object (or is missing) has no msgtype.
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}

/// A key of the content object: `msgtype` or anything else, matched without allocating.
enum Key {
    Msgtype,
    Other,
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
                Ok(if v == "msgtype" { Key::Msgtype } else { Key::Other })
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// A string (borrowed when it has no escapes), or `None` for any other JSON value.
struct MaybeString<'de>(Option<Cow<'de, str>>);

impl<'de> Deserialize<'de> for MaybeString<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = MaybeString<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(MaybeString(Some(Cow::Borrowed(v))))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(MaybeString(Some(Cow::Owned(v.to_owned()))))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(MaybeString(None))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(MaybeString(None))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
                Ok(MaybeString(None))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
                Ok(MaybeString(None))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Ok(MaybeString(None))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(MaybeString(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(MaybeString(None))
            }
        }
        deserializer.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn msgtype_is_read_like_javascript() {
        assert_eq!(content_msgtype(r#"{"msgtype":"m.text","body":"hi"}"#).as_deref(), Some("m.text"));
        assert_eq!(content_msgtype(r#"{"body":{"msgtype":"nested"}}"#), None);
        assert_eq!(content_msgtype(r#"{"msgtype":5}"#), None);
        assert_eq!(content_msgtype(r#"{"msgtype":null}"#), None);
        assert_eq!(content_msgtype(r#"{"msgtype":"a","msgtype":"b"}"#).as_deref(), Some("b"), "the last duplicate wins");
        assert_eq!(content_msgtype(r#"{"msgtype":"m.\u0074ext"}"#).as_deref(), Some("m.text"));
        assert_eq!(content_msgtype("{}"), None);
        assert_eq!(content_msgtype("[]"), None);
    }

    #[test]
    fn events_from_json() {
        let e = EventView::from_json(r#"{"type":"m.room.member","room_id":"!r:b","state_key":"@a:b","content":{},"sender":"@a:b"}"#)
            .expect("event");
        assert_eq!(e.view(), EventView::state("!r:b", "m.room.member", "@a:b"));
        let e =
            EventView::from_json(r#"{"type":"m.room.message","room_id":"!r:b","state_key":null,"content":{"msgtype":1}}"#).expect("event");
        assert_eq!(e.view(), EventView::message("!r:b", "m.room.message", None));
    }
}
