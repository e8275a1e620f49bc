//! The approved capabilities, hashed: every check is a few lookups keyed by event type (then
//! state key or msgtype), never a scan, so it costs the same with 10 or 10,000 capabilities.

use matrix_widget_api::{Capability, RoomEventFilter, StateEventFilter, TimelineTarget};

/// The event type whose `content.msgtype` capabilities may filter on.
pub(crate) const ROOM_MESSAGE: &str = "m.room.message";
use std::collections::{HashMap, HashSet};

/// A capability without a parameter, as a bit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Flag {
    Screenshot,
    Sticker,
    AlwaysOnScreen,
    Navigate,
    Modals,
    TurnServers,
    UserDirectorySearch,
    UploadFile,
    DownloadFile,
    SendDelayedEvent,
    UpdateDelayedEvent,
    SendStickyEvent,
    ReceiveStickyEvent,
    RtcTransports,
    RtcLivekitGetToken,
    RtcLivekitDelegateDelayedLeave,
}

impl Flag {
    const fn bit(self) -> u32 {
        1 << self as u32
    }

    /// The flag of an unparameterised capability; `None` for the rest (and for
    /// `io.element.requires_client`, which grants nothing).
    fn of(capability: &Capability) -> Option<Flag> {
        Some(match capability {
            Capability::Screenshot => Flag::Screenshot,
            Capability::Sticker => Flag::Sticker,
            Capability::AlwaysOnScreen => Flag::AlwaysOnScreen,
            Capability::Navigate => Flag::Navigate,
            Capability::Modals => Flag::Modals,
            Capability::TurnServers => Flag::TurnServers,
            Capability::UserDirectorySearch => Flag::UserDirectorySearch,
            Capability::UploadFile => Flag::UploadFile,
            Capability::DownloadFile => Flag::DownloadFile,
            Capability::SendDelayedEvent => Flag::SendDelayedEvent,
            Capability::UpdateDelayedEvent => Flag::UpdateDelayedEvent,
            Capability::SendStickyEvent => Flag::SendStickyEvent,
            Capability::ReceiveStickyEvent => Flag::ReceiveStickyEvent,
            Capability::RtcTransports => Flag::RtcTransports,
            Capability::RtcLivekitGetToken => Flag::RtcLivekitGetToken,
            Capability::RtcLivekitDelegateDelayedLeave => Flag::RtcLivekitDelegateDelayedLeave,
            _ => return None,
        })
    }

    /// The capability this flag stands for.
    pub(crate) fn capability(self) -> Capability {
        match self {
            Flag::Screenshot => Capability::Screenshot,
            Flag::Sticker => Capability::Sticker,
            Flag::AlwaysOnScreen => Capability::AlwaysOnScreen,
            Flag::Navigate => Capability::Navigate,
            Flag::Modals => Capability::Modals,
            Flag::TurnServers => Capability::TurnServers,
            Flag::UserDirectorySearch => Capability::UserDirectorySearch,
            Flag::UploadFile => Capability::UploadFile,
            Flag::DownloadFile => Capability::DownloadFile,
            Flag::SendDelayedEvent => Capability::SendDelayedEvent,
            Flag::UpdateDelayedEvent => Capability::UpdateDelayedEvent,
            Flag::SendStickyEvent => Capability::SendStickyEvent,
            Flag::ReceiveStickyEvent => Capability::ReceiveStickyEvent,
            Flag::RtcTransports => Capability::RtcTransports,
            Flag::RtcLivekitGetToken => Capability::RtcLivekitGetToken,
            Flag::RtcLivekitDelegateDelayedLeave => Capability::RtcLivekitDelegateDelayedLeave,
        }
    }
}

/// Which keys (state keys, or msgtypes of `m.room.message`) of one event type are covered.
#[derive(Clone, Debug)]
enum Keys {
    Any,
    /// One key: most event types are granted with a single state key (a MatrixRTC member
    /// key, say), and a set per type cost an allocation per capability.
    One(String),
    Only(HashSet<String>),
}

impl Keys {
    fn contains(&self, key: &str) -> bool {
        match self {
            Keys::Any => true,
            Keys::One(one) => one == key,
            Keys::Only(set) => set.contains(key),
        }
    }
}

/// Event type → keys. A type absent from the map is not covered at all.
#[derive(Clone, Debug, Default)]
pub(crate) struct Keyed(HashMap<String, Keys>);

impl Keyed {
    fn insert(&mut self, event_type: &str, key: Option<&str>) {
        let Some(keys) = self.0.get_mut(event_type) else {
            let keys = match key {
                None => Keys::Any,
                Some(key) => Keys::One(key.to_owned()),
            };
            self.0.insert(event_type.to_owned(), keys);
            return;
        };
        match (keys, key) {
            (Keys::Any, _) => {}
            (keys, None) => *keys = Keys::Any,
            (Keys::Only(set), Some(key)) => {
                set.insert(key.to_owned());
            }
            (keys @ Keys::One(_), Some(key)) => {
                if let Keys::One(one) = keys
                    && one != key
                {
                    let first = std::mem::take(one);
                    *keys = Keys::Only(HashSet::from([first, key.to_owned()]));
                }
            }
        }
    }

    /// Whether `key` of `event_type` is covered; `key: None` asks for every key, which
    /// only a capability without a key covers.
    pub(crate) fn covers(&self, event_type: &str, key: Option<&str>) -> bool {
        match (self.0.get(event_type), key) {
            (None, _) => false,
            (Some(Keys::Any), _) => true,
            (Some(keys), Some(key)) => keys.contains(key),
            (Some(_), None) => false,
        }
    }

    fn insert_room(&mut self, filter: &RoomEventFilter) {
        self.insert(filter.event_type(), filter.msgtype());
    }

    fn insert_state(&mut self, filter: &StateEventFilter) {
        self.insert(filter.event_type(), filter.state_key());
    }

    /// A room event of `event_type` whose `content.msgtype` is `msgtype` (`None`: missing or
    /// not a string). Only `m.room.message` capabilities can name a msgtype; an event
    /// without one is covered only by a capability for every msgtype.
    pub(crate) fn covers_room_event(&self, event_type: &str, msgtype: Option<&str>) -> bool {
        if event_type == ROOM_MESSAGE {
            match (self.0.get(event_type), msgtype) {
                (None, _) => false,
                (Some(Keys::Any), _) => true,
                (Some(keys), Some(m)) => keys.contains(m),
                (Some(_), None) => false,
            }
        } else {
            self.0.contains_key(event_type)
        }
    }
}

/// Every approved capability, by what it grants.
#[derive(Clone, Debug, Default)]
pub(crate) struct Index {
    flags: u32,
    pub(crate) send_event: Keyed,
    pub(crate) receive_event: Keyed,
    pub(crate) read_event: Keyed,
    pub(crate) send_state: Keyed,
    pub(crate) receive_state: Keyed,
    pub(crate) read_state: Keyed,
    pub(crate) send_to_device: HashSet<String>,
    pub(crate) receive_to_device: HashSet<String>,
    pub(crate) room_account_data: HashSet<String>,
    timeline_any: bool,
    timeline_rooms: HashSet<String>,
}

impl Index {
    pub(crate) fn insert(&mut self, capability: &Capability) {
        if let Some(flag) = Flag::of(capability) {
            self.flags |= flag.bit();
            return;
        }
        match capability {
            Capability::SendEvent(f) => self.send_event.insert_room(f),
            Capability::ReceiveEvent(f) => self.receive_event.insert_room(f),
            Capability::ReadEvent(f) => self.read_event.insert_room(f),
            Capability::SendStateEvent(f) => self.send_state.insert_state(f),
            Capability::ReceiveStateEvent(f) => self.receive_state.insert_state(f),
            Capability::ReadStateEvent(f) => self.read_state.insert_state(f),
            Capability::SendToDevice(t) => {
                self.send_to_device.insert(t.clone());
            }
            Capability::ReceiveToDevice(t) => {
                self.receive_to_device.insert(t.clone());
            }
            Capability::ReceiveRoomAccountData(t) => {
                self.room_account_data.insert(t.clone());
            }
            Capability::Timeline(TimelineTarget::AnyRoom) => self.timeline_any = true,
            Capability::Timeline(TimelineTarget::Room(room)) => {
                self.timeline_rooms.insert(room.clone());
            }
            // Unknown capabilities (and `io.element.requires_client`, and any variant a
            // newer protocol crate adds) grant nothing: deny by default.
            _ => {}
        }
    }

    pub(crate) fn has(&self, flag: Flag) -> bool {
        self.flags & flag.bit() != 0
    }

    /// Whether a `timeline:` capability opens `room_id`.
    pub(crate) fn timeline(&self, room_id: &str) -> bool {
        self.timeline_any || self.timeline_rooms.contains(room_id)
    }

    /// Whether `timeline:*` was granted.
    pub(crate) fn timeline_any(&self) -> bool {
        self.timeline_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_of_one_type_grow_from_one_to_many_to_any() {
        let mut keyed = Keyed::default();
        keyed.insert("m.t", Some("a"));
        assert!(keyed.covers("m.t", Some("a")));
        assert!(!keyed.covers("m.t", Some("b")));
        assert!(!keyed.covers("m.t", None), "one key does not cover every key");
        keyed.insert("m.t", Some("a"));
        assert!(!keyed.covers("m.t", Some("b")), "the same key twice stays one key");
        keyed.insert("m.t", Some("b"));
        assert!(keyed.covers("m.t", Some("a")) && keyed.covers("m.t", Some("b")));
        assert!(!keyed.covers("m.t", Some("c")));
        assert!(!keyed.covers("m.t", None));
        keyed.insert("m.t", None);
        assert!(keyed.covers("m.t", Some("c")) && keyed.covers("m.t", None));
        keyed.insert("m.t", Some("d"));
        assert!(keyed.covers("m.t", Some("z")), "a key after every key changes nothing");
        assert!(!keyed.covers("m.other", Some("a")));
    }

    #[test]
    fn one_msgtype_covers_only_itself() {
        let mut keyed = Keyed::default();
        keyed.insert(ROOM_MESSAGE, Some("m.text"));
        assert!(keyed.covers_room_event(ROOM_MESSAGE, Some("m.text")));
        assert!(!keyed.covers_room_event(ROOM_MESSAGE, Some("m.emote")));
        assert!(!keyed.covers_room_event(ROOM_MESSAGE, None));
    }
}
