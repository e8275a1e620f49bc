//! Why the engine said no, as a value: what capability is missing (or what else is wrong),
//! and the error reply a host sends as it is.

use matrix_widget_api::{Capability, RoomEventFilter, StateEventFilter, TimelineTarget};
use matrix_widget_api::{ErrorResponseData, FromWidgetRequest};
use std::borrow::Cow;
use std::fmt;

/// A refusal, with its reason.
///
/// [`Denied::reply`] is the error reply to send to the widget (the request echoed exactly,
/// plus `response.error.message`); [`Denied::error_response`] is its `response`. The
/// message is written for people: never match on it (nor on the reference
/// implementation's messages, which changed across releases).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Denied {
    /// The widget lacks a capability.
    Missing(Needed),
    /// A vendor action, or one this version of the engine does not know: nothing grants it.
    UnknownAction {
        /// The action, as the widget wrote it.
        action: String,
    },
    /// `update_delayed_event` (or a LiveKit delegation) for a delayed event this widget did
    /// not schedule, refused by the opt-in [`DelayLedger`](super::DelayLedger).
    UnknownDelay {
        /// The delay ID the widget named.
        delay_id: String,
    },
    /// An empty room ID: it names no room.
    EmptyRoomId,
    /// The request breaks a rule of its action that its data type does not (yet) check.
    Invalid {
        /// What is wrong.
        message: String,
    },
}

/// A capability the request needed, described by what it grants. [`Needed::capability`]
/// is the narrowest capability that would have allowed it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Needed {
    /// Send room events of `event_type` (for `m.room.message`, with this `msgtype`;
    /// `None` when the content has no string `msgtype`).
    SendEvent {
        /// The event type.
        event_type: String,
        /// The content's `msgtype`, for `m.room.message`.
        msgtype: Option<String>,
    },
    /// Send state events of `event_type` with `state_key`.
    SendStateEvent {
        /// The event type.
        event_type: String,
        /// The state key.
        state_key: String,
    },
    /// Send to-device messages of `event_type`.
    SendToDevice {
        /// The event type.
        event_type: String,
    },
    /// Receive room events of `event_type` (with this `msgtype`, for `m.room.message`).
    ReceiveEvent {
        /// The event type.
        event_type: String,
        /// The content's `msgtype`, for `m.room.message`.
        msgtype: Option<String>,
    },
    /// Receive state events of `event_type` with `state_key` (`None`: every state key).
    ReceiveStateEvent {
        /// The event type.
        event_type: String,
        /// The state key, or `None` for all of them.
        state_key: Option<String>,
    },
    /// Receive to-device messages of `event_type`.
    ReceiveToDevice {
        /// The event type.
        event_type: String,
    },
    /// Read room account data of `event_type`.
    ReceiveRoomAccountData {
        /// The event type.
        event_type: String,
    },
    /// Access the room `room_id`, which is not the one the widget is in.
    Timeline {
        /// The room.
        room_id: String,
    },
    /// A capability without a parameter (`m.send.delayed_event`, `m.update_delayed_event`,
    /// `m.turn_servers`, …).
    Capability(Capability),
}

impl Needed {
    /// The narrowest capability that grants this, in the unstable spelling when printed;
    /// `None` when no capability text can express it (a state event type ending in `\`,
    /// a room event type starting with `m.room.message#`).
    pub fn capability(&self) -> Option<Capability> {
        let room = |event_type: &str, msgtype: &Option<String>| match msgtype {
            Some(m) if event_type == super::index::ROOM_MESSAGE => Some(RoomEventFilter::room_message(m.clone())),
            _ => RoomEventFilter::new(event_type).ok(),
        };
        Some(match self {
            Needed::SendEvent { event_type, msgtype } => Capability::SendEvent(room(event_type, msgtype)?),
            Needed::ReceiveEvent { event_type, msgtype } => Capability::ReceiveEvent(room(event_type, msgtype)?),
            Needed::SendStateEvent { event_type, state_key } => {
                Capability::SendStateEvent(StateEventFilter::new(event_type.clone(), Some(state_key.clone())).ok()?)
            }
            Needed::ReceiveStateEvent { event_type, state_key } => {
                Capability::ReceiveStateEvent(StateEventFilter::new(event_type.clone(), state_key.clone()).ok()?)
            }
            Needed::SendToDevice { event_type } => Capability::SendToDevice(event_type.clone()),
            Needed::ReceiveToDevice { event_type } => Capability::ReceiveToDevice(event_type.clone()),
            Needed::ReceiveRoomAccountData { event_type } => Capability::ReceiveRoomAccountData(event_type.clone()),
            Needed::Timeline { room_id } => Capability::Timeline(TimelineTarget::Room(room_id.clone())),
            Needed::Capability(c) => c.clone(),
        })
    }
}

impl fmt::Display for Needed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let q = bounded;
        match self {
            Needed::SendEvent { event_type, msgtype: Some(m) } if event_type == "m.room.message" => {
                write!(f, "sending `{event_type}` events with msgtype {:?}", q(m))?
            }
            Needed::SendEvent { event_type, .. } => write!(f, "sending `{}` events", q(event_type))?,
            Needed::SendStateEvent { event_type, state_key } => {
                write!(f, "sending `{}` state events with state key {:?}", q(event_type), q(state_key))?
            }
            Needed::SendToDevice { event_type } => write!(f, "sending `{}` to-device messages", q(event_type))?,
            Needed::ReceiveEvent { event_type, msgtype: Some(m) } if event_type == "m.room.message" => {
                write!(f, "receiving `{event_type}` events with msgtype {:?}", q(m))?
            }
            Needed::ReceiveEvent { event_type, .. } => write!(f, "receiving `{}` events", q(event_type))?,
            Needed::ReceiveStateEvent { event_type, state_key: Some(k) } => {
                write!(f, "receiving `{}` state events with state key {:?}", q(event_type), q(k))?
            }
            Needed::ReceiveStateEvent { event_type, state_key: None } => {
                write!(f, "receiving `{}` state events of every state key", q(event_type))?
            }
            Needed::ReceiveToDevice { event_type } => write!(f, "receiving `{}` to-device messages", q(event_type))?,
            Needed::ReceiveRoomAccountData { event_type } => write!(f, "reading `{}` room account data", q(event_type))?,
            Needed::Timeline { room_id } => write!(f, "access to the room {:?}, which the widget is not in", q(room_id))?,
            Needed::Capability(Capability::SendDelayedEvent) => {
                f.write_str("a send with `delay` (MSC4157; needed in addition to the event's own capability)")?
            }
            Needed::Capability(Capability::SendStickyEvent) => {
                f.write_str("a send with `sticky_duration_ms` (MSC4407; needed in addition to the event's own capability)")?
            }
            Needed::Capability(Capability::UpdateDelayedEvent) => {
                f.write_str("cancelling, restarting or sending delayed events (MSC4157)")?
            }
            Needed::Capability(_) => f.write_str("this action")?,
        }
        if let Some(capability) = self.capability() {
            write!(f, " needs the capability {}", bounded_to(&capability.to_string(), CAPABILITY_QUOTE_LIMIT))?;
        } else {
            f.write_str(" needs a capability that no capability string can express")?;
        }
        Ok(())
    }
}

impl fmt::Display for Denied {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Denied::Missing(needed) => write!(f, "Missing capability: {needed}"),
            Denied::UnknownAction { action } => {
                write!(f, "Unknown or unsupported action {:?}: no capability grants it", bounded(action))
            }
            Denied::UnknownDelay { delay_id } => {
                write!(f, "Missing capability: the delayed event {:?} was not scheduled by this widget", bounded(delay_id))
            }
            Denied::EmptyRoomId => f.write_str("Invalid request: an empty room ID names no room"),
            Denied::Invalid { message } => write!(f, "Invalid request: {message}"),
        }
    }
}

/// The most characters of a widget's string a message quotes: the spec's limit for event
/// types and IDs (255 bytes), so a name that can be real is never cut.
const QUOTE_LIMIT: usize = 255;

/// The most characters of a capability a message quotes: a prefix, an event type and a
/// state key or msgtype, each within the spec's limit.
const CAPABILITY_QUOTE_LIMIT: usize = 600;

/// A widget's string as a message quotes it: at most [`QUOTE_LIMIT`] characters, then `…`.
/// Unbounded, a 600 KiB event type quoted three times made a reply of 1.8 MB, which the
/// widget's own decoder then refused.
fn bounded(text: &str) -> Cow<'_, str> {
    bounded_to(text, QUOTE_LIMIT)
}

/// `text` cut after `limit` characters, with `…`.
fn bounded_to(text: &str, limit: usize) -> Cow<'_, str> {
    match text.char_indices().nth(limit) {
        None => Cow::Borrowed(text),
        Some((end, _)) => Cow::Owned(format!("{}…", &text[..end])),
    }
}

impl std::error::Error for Denied {}

impl Denied {
    /// The `response` of the error reply: `{error: {message}}`.
    pub fn error_response(&self) -> ErrorResponseData {
        ErrorResponseData::new(self.to_string())
    }

    /// The error reply to `request`, ready to post: the request echoed exactly, plus
    /// `response: {error: {message}}`.
    pub fn reply(&self, request: &FromWidgetRequest) -> String {
        let error = self.error_response();
        // Every variant, so that a new action is a compile error here too.
        match request {
            FromWidgetRequest::SupportedApiVersions(r) => r.reply_error(error),
            FromWidgetRequest::ContentLoaded(r) => r.reply_error(error),
            FromWidgetRequest::Sticker(r) => r.reply_error(error),
            FromWidgetRequest::SetAlwaysOnScreen(r) => r.reply_error(error),
            FromWidgetRequest::GetOpenId(r) => r.reply_error(error),
            FromWidgetRequest::CloseModal(r) => r.reply_error(error),
            FromWidgetRequest::OpenModal(r) => r.reply_error(error),
            FromWidgetRequest::SetButtonEnabled(r) => r.reply_error(error),
            FromWidgetRequest::SendEvent(r) => r.reply_error(error),
            FromWidgetRequest::SendToDevice(r) => r.reply_error(error),
            FromWidgetRequest::WatchTurnServers(r) => r.reply_error(error),
            FromWidgetRequest::UnwatchTurnServers(r) => r.reply_error(error),
            FromWidgetRequest::ReadEvents(r) => r.reply_error(error),
            FromWidgetRequest::Navigate(r) => r.reply_error(error),
            FromWidgetRequest::RequestCapabilities(r) => r.reply_error(error),
            FromWidgetRequest::ReadRelations(r) => r.reply_error(error),
            FromWidgetRequest::UserDirectorySearch(r) => r.reply_error(error),
            FromWidgetRequest::GetMediaConfig(r) => r.reply_error(error),
            FromWidgetRequest::UploadFile(r) => r.reply_error(error),
            FromWidgetRequest::DownloadFile(r) => r.reply_error(error),
            FromWidgetRequest::UpdateDelayedEvent(r) => r.reply_error(error),
            FromWidgetRequest::ReadRoomAccountData(r) => r.reply_error(error),
            FromWidgetRequest::GetRtcTransports(r) => r.reply_error(error),
            FromWidgetRequest::RtcLivekitGetToken(r) => r.reply_error(error),
            FromWidgetRequest::RtcLivekitDelegateDelayedLeave(r) => r.reply_error(error),
            FromWidgetRequest::Other(r) => r.reply_error(error),
        }
    }

    /// The missing capability, when that is the reason.
    pub fn needed(&self) -> Option<&Needed> {
        match self {
            Denied::Missing(needed) => Some(needed),
            _ => None,
        }
    }
}
