//! A capability set and a widget request: the permission engine never panics, and never
//! allows a request the approved set lacks the capability for. The model checked against
//! is deliberately naive: a scan of the approved list with the capability filters' own
//! `matches`, no index.
//!
//! Input: a JSON array of capability strings, a newline, then the message text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use matrix_widget_api::{Capability, FromWidgetRequest, HostMessage};
use matrix_widget_api::naming::Spelled;
use matrix_widget_api_host::permission::{Context, Permissions};

const ROOM: &str = "!viewed:example.org";

fuzz_target!(|bytes: &[u8]| {
    let Some(split) = bytes.iter().position(|&b| b == b'\n') else { return };
    let (caps, message) = bytes.split_at(split);
    let Ok(caps) = serde_json::from_slice::<Vec<String>>(caps) else { return };
    let approved: Vec<Spelled<Capability>> = caps.iter().filter_map(|c| Spelled::parse(c).ok()).collect();
    let Ok(HostMessage::Request(request)) = matrix_widget_api::decode_host_slice(&message[1..]) else { return };
    let permissions = Permissions::new(&approved);
    let context = Context::in_room(ROOM);
    if permissions.check(&request, &context).is_err() {
        return;
    }
    let has = |want: &Capability| approved.iter().any(|c| c.value() == want);
    let timeline = |room: &str| {
        room == ROOM || approved.iter().any(|c| matches!(c.value(), Capability::Timeline(t) if t.covers(room)))
    };
    match &request {
        FromWidgetRequest::SendEvent(r) => {
            let data = r.data();
            if let Some(room) = &data.room_id {
                assert!(timeline(room), "allowed a send to {room} without a timeline capability");
            }
            if data.delay.is_some() {
                assert!(has(&Capability::SendDelayedEvent), "allowed a delayed send without the delayed-event capability");
            }
            if data.sticky_duration_ms.is_some() {
                assert!(has(&Capability::SendStickyEvent), "allowed a sticky send without the sticky capability");
            }
            let covered = match &data.state_key {
                Some(key) => approved.iter().any(|c| matches!(c.value(), Capability::SendStateEvent(f) if f.matches(&data.event_type, key))),
                None => {
                    let msgtype = msgtype(data.content.get());
                    approved.iter().any(|c| matches!(c.value(), Capability::SendEvent(f) if f.matches(&data.event_type, msgtype.as_deref())))
                }
            };
            assert!(covered, "allowed a send of {} without its event capability", data.event_type);
        }
        FromWidgetRequest::UpdateDelayedEvent(_) => {
            assert!(has(&Capability::UpdateDelayedEvent), "allowed an update without the update capability");
        }
        FromWidgetRequest::SendToDevice(r) => {
            let t = &r.data().event_type;
            assert!(
                approved.iter().any(|c| matches!(c.value(), Capability::SendToDevice(x) if x == t)),
                "allowed a to-device send of {t} without its capability"
            );
        }
        FromWidgetRequest::WatchTurnServers(_) | FromWidgetRequest::UnwatchTurnServers(_) => {
            assert!(has(&Capability::TurnServers));
        }
        FromWidgetRequest::Sticker(_) => assert!(has(&Capability::Sticker)),
        FromWidgetRequest::UploadFile(_) | FromWidgetRequest::GetMediaConfig(_) => assert!(has(&Capability::UploadFile)),
        FromWidgetRequest::DownloadFile(_) => assert!(has(&Capability::DownloadFile)),
        FromWidgetRequest::Other(_) => panic!("allowed an unknown action"),
        _ => {}
    }
});

/// `content.msgtype` when it is a string.
fn msgtype(content: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct M {
        msgtype: Option<serde_json::Value>,
    }
    serde_json::from_str::<M>(content).ok()?.msgtype?.as_str().map(str::to_owned)
}
