//! The parameters of the event capabilities (MSC2762, MSC3819): which events of a type a
//! capability covers, and the other-room target of `timeline:`.
//!
//! The text after the prefix is parsed the way matrix-widget-api reads it, so that both
//! ends agree on what a capability grants, except where the reference reads it wrongly
//! (wire decision 13):
//!
//! - **Room events** (`send.event:`, `receive.event:`, `read.event:`): only a segment that
//!   starts with `m.room.message#` has a key, the msgtype: everything after that `#`,
//!   verbatim. Any other segment is the event type, verbatim: room event types are never
//!   split and never unescaped (`org.example#test` is one type).
//! - **State events** (`send.state_event:`, …): the first `#` that is not preceded by `\`
//!   separates the event type from the state key; one `\` before an escaped `#` is
//!   dropped; nothing else is an escape. The key is the rest, verbatim (`#`s included).
//!   Unlike the reference, a segment without a separator means *any* state key (the
//!   reference reads `foo\#bar` as key `""`), and a segment whose `#`-separated parts all
//!   end in `\` is not a state capability at all (the reference reads `foo\#bar\` as the
//!   event type `""`): such a string stays an unknown capability, kept verbatim.
//!
//! Printing is the inverse: a parsed value prints back to exactly the text it was parsed
//! from, and a value built in code prints to a text that parses back to it. Values that no
//! text can express (a state event type ending in `\`, a room event type starting with
//! `m.room.message#`) cannot be built: their constructors return a [`FilterError`].

use crate::naming::NameParam;
use std::fmt;

/// The event type whose room events carry a msgtype key in capabilities.
pub(crate) const ROOM_MESSAGE: &str = "m.room.message";

/// `m.room.message#`: the start of a room-event segment that carries a msgtype.
const ROOM_MESSAGE_KEYED: &str = "m.room.message#";

/// Which room events of a type a `send.event:` / `receive.event:` / `read.event:`
/// capability covers: all events of the type, or, for `m.room.message`, optionally only one
/// msgtype (`m.room.message#m.text`).
///
/// ```
/// use matrix_widget_api::{Capability, RoomEventFilter};
///
/// let cap: Capability = "org.matrix.msc2762.send.event:m.room.message#m.text".parse()?;
/// let Capability::SendEvent(filter) = &cap else { unreachable!() };
/// assert_eq!((filter.event_type(), filter.msgtype()), ("m.room.message", Some("m.text")));
/// assert!(filter.matches("m.room.message", Some("m.text")));
/// assert!(!filter.matches("m.room.message", Some("m.notice")));
/// // Other room event types are never split: `#` is part of the type.
/// let literal = RoomEventFilter::new("org.example#test")?;
/// assert_eq!(Capability::SendEvent(literal).to_string(), "org.matrix.msc2762.send.event:org.example#test");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RoomEventFilter {
    event_type: String,
    /// Only ever `Some` for `m.room.message`.
    msgtype: Option<String>,
}

impl RoomEventFilter {
    /// Every room event of `event_type` (for `m.room.message`: every msgtype).
    ///
    /// Refused when `event_type` starts with `m.room.message#`: such a text is read back as
    /// `m.room.message` with a msgtype, so no capability can name that type.
    pub fn new(event_type: impl Into<String>) -> Result<Self, FilterError> {
        let event_type = event_type.into();
        if event_type.starts_with(ROOM_MESSAGE_KEYED) {
            return Err(FilterError::RoomMessageKey(event_type));
        }
        Ok(RoomEventFilter { event_type, msgtype: None })
    }

    /// `m.room.message` events of one msgtype (`""` is a msgtype too: it matches only
    /// an empty `msgtype`, never a missing one).
    pub fn room_message(msgtype: impl Into<String>) -> Self {
        RoomEventFilter { event_type: ROOM_MESSAGE.to_owned(), msgtype: Some(msgtype.into()) }
    }

    /// The event type.
    pub fn event_type(&self) -> &str {
        &self.event_type
    }

    /// The one msgtype covered, for `m.room.message`; `None` means every msgtype (and
    /// events without one).
    pub fn msgtype(&self) -> Option<&str> {
        self.msgtype.as_deref()
    }

    /// Whether a room event of `event_type`, whose `content.msgtype` is `msgtype` (`None`
    /// when it is missing or not a string), is covered. The msgtype only matters for
    /// `m.room.message`.
    pub fn matches(&self, event_type: &str, msgtype: Option<&str>) -> bool {
        self.event_type == event_type && self.msgtype.as_deref().is_none_or(|m| Some(m) == msgtype)
    }
}

impl NameParam for RoomEventFilter {
    fn parse_param(s: &str) -> Option<Self> {
        Some(match s.strip_prefix(ROOM_MESSAGE_KEYED) {
            Some(msgtype) => RoomEventFilter::room_message(msgtype),
            None => RoomEventFilter { event_type: s.to_owned(), msgtype: None },
        })
    }

    fn write_param(&self, out: &mut String) {
        out.push_str(&self.event_type);
        if let Some(msgtype) = &self.msgtype {
            out.push('#');
            out.push_str(msgtype);
        }
    }
}

/// Which state events of a type a `send.state_event:` / `receive.state_event:` /
/// `read.state_event:` capability covers: every state key, or one.
///
/// A `#` in the event type is written `\#`; the state key is written as it is.
///
/// ```
/// use matrix_widget_api::{Capability, StateEventFilter};
///
/// let cap: Capability = r"m.send.state_event:org.example.\#test#hello".parse()?;
/// let Capability::SendStateEvent(filter) = &cap else { unreachable!() };
/// assert_eq!((filter.event_type(), filter.state_key()), ("org.example.#test", Some("hello")));
/// // No separator: any state key.
/// let any = StateEventFilter::any_key("m.room.name")?;
/// assert!(any.matches("m.room.name", "") && any.matches("m.room.name", "x"));
/// // Built in code, printed with the escape.
/// let built = StateEventFilter::new("a#b", Some("k".into()))?;
/// assert_eq!(Capability::SendStateEvent(built).to_string(), r"org.matrix.msc2762.send.state_event:a\#b#k");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StateEventFilter {
    event_type: String,
    state_key: Option<String>,
}

impl StateEventFilter {
    /// State events of `event_type`: with `state_key` only that key, with `None` any key.
    ///
    /// Refused when `event_type` ends in `\`: its escape would swallow the separator (or,
    /// without a key, make a segment that is not a state capability).
    pub fn new(event_type: impl Into<String>, state_key: Option<String>) -> Result<Self, FilterError> {
        let event_type = event_type.into();
        if event_type.ends_with('\\') {
            return Err(FilterError::TrailingBackslash(event_type));
        }
        Ok(StateEventFilter { event_type, state_key })
    }

    /// State events of `event_type` with any state key.
    pub fn any_key(event_type: impl Into<String>) -> Result<Self, FilterError> {
        StateEventFilter::new(event_type, None)
    }

    /// The event type, unescaped.
    pub fn event_type(&self) -> &str {
        &self.event_type
    }

    /// The one state key covered; `None` means every state key.
    pub fn state_key(&self) -> Option<&str> {
        self.state_key.as_deref()
    }

    /// Whether the state event (`event_type`, `state_key`) is covered.
    pub fn matches(&self, event_type: &str, state_key: &str) -> bool {
        self.event_type == event_type && self.state_key.as_deref().is_none_or(|k| k == state_key)
    }
}

impl NameParam for StateEventFilter {
    /// Rejected: segments whose `#`-separated parts all end in `\` (there is no separator
    /// and the type would end in `\`). Accepted: a segment that is empty or ends in
    /// anything but `\`, or that has a `#` not preceded by `\`.
    const PATTERN: Option<&'static str> = Some(r"(?:[\s\S]*[^\\])?(?:#[\s\S]*)?");

    fn parse_param(s: &str) -> Option<Self> {
        let mut event_type = String::with_capacity(s.len());
        let mut rest = s;
        loop {
            let Some(at) = rest.find('#') else {
                // The last part, and no separator so far: any state key.
                if rest.ends_with('\\') {
                    return None;
                }
                event_type.push_str(rest);
                return Some(StateEventFilter { event_type, state_key: None });
            };
            let (part, after) = (&rest[..at], &rest[at + 1..]);
            match part.strip_suffix('\\') {
                // An escaped `#`: part of the type, without its backslash.
                Some(escaped) => {
                    event_type.push_str(escaped);
                    event_type.push('#');
                    rest = after;
                }
                // The separator.
                None => {
                    event_type.push_str(part);
                    return Some(StateEventFilter { event_type, state_key: Some(after.to_owned()) });
                }
            }
        }
    }

    fn write_param(&self, out: &mut String) {
        for (i, part) in self.event_type.split('#').enumerate() {
            if i > 0 {
                out.push_str("\\#");
            }
            out.push_str(part);
        }
        if let Some(key) = &self.state_key {
            out.push('#');
            out.push_str(key);
        }
    }
}

/// The rooms a `timeline:` capability opens: one room, or every room (`*`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TimelineTarget {
    /// `*`: every room the user is in.
    AnyRoom,
    /// One room, by ID, as written.
    Room(String),
}

impl TimelineTarget {
    /// Whether the target opens `room_id`.
    pub fn covers(&self, room_id: &str) -> bool {
        match self {
            TimelineTarget::AnyRoom => true,
            TimelineTarget::Room(room) => room == room_id,
        }
    }
}

/// Reads the text after a `timeline:` capability prefix: `*` is every room, anything else
/// one room ID as written (the same reading as in a parsed [`Capability`](crate::Capability)).
///
/// ```
/// use matrix_widget_api::TimelineTarget;
///
/// assert_eq!("*".parse(), Ok(TimelineTarget::AnyRoom));
/// let room: TimelineTarget = "!r:example.org".parse().unwrap();
/// assert!(room.covers("!r:example.org") && !room.covers("!s:example.org"));
/// assert_eq!(room.to_string(), "!r:example.org");
/// ```
impl std::str::FromStr for TimelineTarget {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(if s == "*" { TimelineTarget::AnyRoom } else { TimelineTarget::Room(s.to_owned()) })
    }
}

/// The text as in a capability: `*` or the room ID.
impl fmt::Display for TimelineTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TimelineTarget::AnyRoom => f.write_str("*"),
            TimelineTarget::Room(room) => f.write_str(room),
        }
    }
}

impl NameParam for TimelineTarget {
    fn parse_param(s: &str) -> Option<Self> {
        s.parse().ok()
    }

    fn write_param(&self, out: &mut String) {
        use fmt::Write as _;
        let _ = write!(out, "{self}");
    }
}

/// Why an event filter cannot be built: no capability text would parse back to it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FilterError {
    /// A room event type starting with `m.room.message#` (it would be read back as
    /// `m.room.message` with a msgtype).
    RoomMessageKey(String),
    /// A state event type ending in `\` (its escape would swallow the separator).
    TrailingBackslash(String),
}

impl fmt::Display for FilterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FilterError::RoomMessageKey(t) => {
                write!(f, "the room event type {t:?} starts with `m.room.message#`, which capabilities read as a msgtype")
            }
            FilterError::TrailingBackslash(t) => {
                write!(f, "the state event type {t:?} ends in `\\`, which no state capability can express")
            }
        }
    }
}

impl std::error::Error for FilterError {}
