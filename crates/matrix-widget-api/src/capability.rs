//! Capabilities: what a widget asks for and a host grants.
//!
//! Every capability is one variant with all of its spellings (wire decisions 3, 10, 14 and
//! 26): the unstable spelling is emitted by default, the stable `m.*` spelling on request,
//! and legacy spellings are accepted. A parsed capability re-emits the exact string the
//! widget sent — its prefix through [`Spelled`](crate::Spelled), its parameter because
//! parsing and printing a parameter are inverse (tested for arbitrary texts) — so
//! `notify_capabilities.approved` keeps the widget's `hasCapability` checks working.
//! Unknown capabilities are kept verbatim in a hidden catch-all (and never granted by a host).
//!
//! Parameterised capabilities are parsed into structure (MSC2762, with the escaping rules
//! of wire decision 13, see [`filter`]): [`RoomEventFilter`] (an event type, and for
//! `m.room.message` optionally a msgtype), [`StateEventFilter`] (an event type and
//! optionally a state key), [`TimelineTarget`] (a room or `*`); to-device and room
//! account data capabilities carry their event type verbatim.

mod filter;

pub use filter::{FilterError, RoomEventFilter, StateEventFilter, TimelineTarget};

use crate::naming::{CustomName, WireName, wire_docs};

/// One capability string.
#[wire_docs]
#[derive(Clone, Debug, PartialEq, Eq, Hash, WireName)]
#[wire(what = "capability")]
#[non_exhaustive]
pub enum Capability {
    /// Take screenshots of the widget (#2764). The spec draft's misspelling
    /// `m.capbility.screenshot` is not accepted (wire decision 15).
    #[wire("m.capability.screenshot")]
    Screenshot,
    /// Send stickers (#2764).
    #[wire("m.sticker")]
    Sticker,
    /// Stay on screen (MSC1354).
    #[wire("m.always_on_screen")]
    AlwaysOnScreen,
    /// Element's deprecated "requires a client" marker.
    #[wire("io.element.requires_client")]
    RequiresClient,
    /// Navigate to matrix.to links (MSC2931).
    #[wire(stable = "m.navigate", unstable = "org.matrix.msc2931.navigate")]
    Navigate,
    /// Open modal widgets (MSC2790; never checked by widget-api or Element, wire decision 23).
    #[wire(stable = "m.modals", unstable = "org.matrix.msc2790.modals")]
    Modals,
    /// Send room events of a type, optionally one `m.room.message` msgtype after `#` (MSC2762).
    #[wire(stable = "m.send.event:", unstable = "org.matrix.msc2762.send.event:", prefix)]
    SendEvent(RoomEventFilter),
    /// Receive room events of a type, optionally one `m.room.message` msgtype (MSC2762).
    #[wire(stable = "m.receive.event:", unstable = "org.matrix.msc2762.receive.event:", prefix)]
    ReceiveEvent(RoomEventFilter),
    /// Send state events of a type, optionally one state key after `#`; a `#` in the type
    /// is written `\#` (MSC2762). A text whose parts all end in `\` is not one (it is an unknown capability).
    #[wire(stable = "m.send.state_event:", unstable = "org.matrix.msc2762.send.state_event:", prefix)]
    SendStateEvent(StateEventFilter),
    /// Receive state events of a type, optionally one state key (MSC2762).
    #[wire(stable = "m.receive.state_event:", unstable = "org.matrix.msc2762.receive.state_event:", prefix)]
    ReceiveStateEvent(StateEventFilter),
    /// Read room events of a type (MSC2876; hosts gate `read_events` on receive instead,
    /// and may honour this too: wire decision 12).
    #[wire(stable = "m.read.event:", unstable = "org.matrix.msc2762.read.event:", prefix)]
    ReadEvent(RoomEventFilter),
    /// Read state events of a type (MSC2876; gated like `read.event:`).
    #[wire(stable = "m.read.state_event:", unstable = "org.matrix.msc2762.read.state_event:", prefix)]
    ReadStateEvent(StateEventFilter),
    /// Access another room's timeline: a room ID or `*` (MSC2762).
    #[wire(stable = "m.timeline:", unstable = "org.matrix.msc2762.timeline:", prefix)]
    Timeline(TimelineTarget),
    /// Send to-device messages of a type (MSC3819).
    #[wire(stable = "m.send.to_device:", unstable = "org.matrix.msc3819.send.to_device:", prefix)]
    SendToDevice(String),
    /// Receive to-device messages of a type (MSC3819).
    #[wire(stable = "m.receive.to_device:", unstable = "org.matrix.msc3819.receive.to_device:", prefix)]
    ReceiveToDevice(String),
    /// Read room account data of a type (Beeper vendor capability).
    #[wire(unstable = "com.beeper.capabilities.receive.room_account_data:", prefix)]
    ReceiveRoomAccountData(String),
    /// Write room account data of a type (Beeper vendor capability). matrix-widget-api
    /// builds this string (`forRoomAccountData` with the send direction) but has no action
    /// that uses it; a host grants nothing for it today (wire decision 41).
    #[wire(unstable = "com.beeper.capabilities.send.room_account_data:", prefix)]
    SendRoomAccountData(String),
    /// Create rooms (MSC3817, whose `create_room` action no released peer implements; wire
    /// decision 41).
    #[wire(stable = "m.create_room", unstable = "org.matrix.msc3817.create_room")]
    CreateRoom,
    /// TURN servers (MSC3846).
    #[wire(stable = "m.turn_servers", unstable = "town.robin.msc3846.turn_servers")]
    TurnServers,
    /// Search the user directory (MSC3973).
    #[wire(stable = "m.user_directory_search", unstable = "org.matrix.msc3973.user_directory_search")]
    UserDirectorySearch,
    /// Upload files, and read the media config (MSC4039).
    #[wire(stable = "m.upload_file", unstable = "org.matrix.msc4039.upload_file")]
    UploadFile,
    /// Download files (MSC4039).
    #[wire(stable = "m.download_file", unstable = "org.matrix.msc4039.download_file")]
    DownloadFile,
    /// Send events with a `delay` (MSC4157). Needed *in addition to* the event-type
    /// capability. `m.send.delay_events` is the MSC text's spelling from 2024-07 to 2026-01.
    #[wire(stable = "m.send.delayed_event", unstable = "org.matrix.msc4157.send.delayed_event", legacy = "m.send.delay_events")]
    SendDelayedEvent,
    /// Cancel, restart or send delayed events (MSC4157). The dotted legacy spelling is
    /// widget-api 1.8.0–1.8.1.
    #[wire(
        stable = "m.update_delayed_event",
        unstable = "org.matrix.msc4157.update_delayed_event",
        legacy = "org.matrix.msc4157.update.delayed_event"
    )]
    UpdateDelayedEvent,
    /// Send sticky events (MSC4407; `org.matrix.msc4354.*` in widget-api 1.15–1.16.0).
    #[wire(
        stable = "m.send.sticky_event",
        unstable = "org.matrix.msc4407.send.sticky_event",
        legacy = "org.matrix.msc4354.send_sticky_event"
    )]
    SendStickyEvent,
    /// Receive sticky events (MSC4407).
    #[wire(
        stable = "m.receive.sticky_event",
        unstable = "org.matrix.msc4407.receive.sticky_event",
        legacy = "org.matrix.msc4354.receive_sticky_event"
    )]
    ReceiveStickyEvent,
    /// Read RTC transports (MSC4515; the MSC's stable name has no `m.`, wire decision 26).
    /// `m.rtc_transports` is in no upstream source: accepted as this crate's guess at a
    /// corrected stable name, never emitted (wire decision 41).
    #[wire(stable = "rtc_transports", unstable = "org.matrix.msc4515.rtc_transports", legacy = "m.rtc_transports")]
    RtcTransports,
    /// Get a LiveKit token (MSC4533).
    #[wire(unstable = "org.matrix.msc4533.rtc_livekit_get_token")]
    RtcLivekitGetToken,
    /// Delegate a delayed leave to LiveKit (MSC4533).
    #[wire(unstable = "org.matrix.msc4533.rtc_livekit_delegate_delayed_leave")]
    RtcLivekitDelegateDelayedLeave,
    /// Any other capability, kept verbatim. Hosts deny it.
    #[wire(other)]
    #[doc(hidden)]
    _Custom(CustomName),
}
