//! The host's permission engine: allowed and denied cases for every rule in each spelling,
//! MSC4157's two-capability rule, the ledger, negotiation, delivery, and a property test
//! against a naive model (the engine never allows what the approved set lacks).

use matrix_widget_api::from_widget::send_event::SendEventResponseData;
use matrix_widget_api::naming::{Spelled, WireName};
use matrix_widget_api::{Capability, RoomEventFilter, StateEventFilter, TimelineTarget};
use matrix_widget_api::{FromWidgetRequest, HostMessage, decode_host};
use matrix_widget_api_host::permission::{Config, Context, DelayLedger, Denied, EventView, Needed, Negotiation, Permissions};
use proptest::prelude::*;

const ROOM: &str = "!r:b";
const OTHER: &str = "!other:b";

pub(crate) fn caps(texts: &[&str]) -> Vec<Spelled<Capability>> {
    texts.iter().map(|t| Spelled::parse(t).expect("open")).collect()
}

fn perms(texts: &[&str]) -> Permissions {
    Permissions::new(&caps(texts))
}

pub(crate) fn request(action: &str, data: serde_json::Value) -> FromWidgetRequest {
    let text = serde_json::json!({"api": "fromWidget", "widgetId": "w", "requestId": "r", "action": action, "data": data}).to_string();
    match decode_host(&text).unwrap_or_else(|e| panic!("{text}: {e}")) {
        HostMessage::Request(r) => r,
        HostMessage::Response(_) => unreachable!(),
    }
}

fn in_room() -> Context<'static> {
    Context::in_room(ROOM)
}

fn check(texts: &[&str], action: &str, data: serde_json::Value) -> Result<(), Denied> {
    perms(texts).check(&request(action, data), &in_room())
}

/// The event-capability prefixes, stable and unstable.
const SEND_EVENT: [&str; 2] = ["m.send.event:", "org.matrix.msc2762.send.event:"];
const SEND_STATE: [&str; 2] = ["m.send.state_event:", "org.matrix.msc2762.send.state_event:"];
const TIMELINE: [&str; 2] = ["m.timeline:", "org.matrix.msc2762.timeline:"];
const DELAYED: [&str; 3] = ["m.send.delayed_event", "org.matrix.msc4157.send.delayed_event", "m.send.delay_events"];
const UPDATE: [&str; 3] = ["m.update_delayed_event", "org.matrix.msc4157.update_delayed_event", "org.matrix.msc4157.update.delayed_event"];
const STICKY: [&str; 3] = ["m.send.sticky_event", "org.matrix.msc4407.send.sticky_event", "org.matrix.msc4354.send_sticky_event"];
const UPDATE_ACTIONS: [&str; 3] =
    ["update_delayed_event", "org.matrix.msc4157.update_delayed_event", "org.matrix.msc4157.update.delayed_event"];

fn send(data: serde_json::Value) -> (&'static str, serde_json::Value) {
    ("send_event", data)
}

#[test]
fn message_events_need_their_type_in_every_spelling() {
    for prefix in SEND_EVENT {
        let cap = format!("{prefix}m.reaction");
        let (a, d) = send(serde_json::json!({"type": "m.reaction", "content": {}}));
        assert_eq!(check(&[&cap], a, d.clone()), Ok(()), "{cap}");
        assert_eq!(
            check(&[&format!("{prefix}m.other")], a, d.clone()),
            Err(Denied::Missing(Needed::SendEvent { event_type: "m.reaction".into(), msgtype: None }))
        );
        // A receive capability or a state capability of the type does not grant sending.
        assert!(check(&["org.matrix.msc2762.receive.event:m.reaction", "m.send.state_event:m.reaction"], a, d).is_err());
    }
}

#[test]
fn room_messages_are_checked_by_msgtype() {
    for prefix in SEND_EVENT {
        let text = format!("{prefix}m.room.message#m.text");
        let any = format!("{prefix}m.room.message");
        let empty = format!("{prefix}m.room.message#");
        let msg = |msgtype: serde_json::Value| serde_json::json!({"type": "m.room.message", "content": {"msgtype": msgtype, "body": "x"}});
        assert_eq!(check(&[&text], "send_event", msg("m.text".into())), Ok(()));
        assert_eq!(
            check(&[&text], "send_event", msg("m.notice".into())),
            Err(Denied::Missing(Needed::SendEvent { event_type: "m.room.message".into(), msgtype: Some("m.notice".into()) }))
        );
        assert!(check(&[&text], "send_event", serde_json::json!({"type": "m.room.message", "content": {}})).is_err());
        assert!(check(&[&text], "send_event", msg(5.into())).is_err(), "a non-string msgtype matches no msgtype capability");
        assert_eq!(check(&[&any], "send_event", msg("m.notice".into())), Ok(()));
        assert_eq!(check(&[&any], "send_event", serde_json::json!({"type": "m.room.message", "content": {}})), Ok(()));
        assert_eq!(check(&[&empty], "send_event", msg("".into())), Ok(()));
        assert!(check(&[&empty], "send_event", serde_json::json!({"type": "m.room.message", "content": {}})).is_err());
    }
}

#[test]
fn state_events_need_their_type_and_key_in_every_spelling() {
    for prefix in SEND_STATE {
        let keyed = format!("{prefix}m.room.member#@a:b");
        let any = format!("{prefix}m.room.member");
        let data = |key: &str| serde_json::json!({"type": "m.room.member", "state_key": key, "content": {}});
        assert_eq!(check(&[&keyed], "send_event", data("@a:b")), Ok(()));
        assert_eq!(
            check(&[&keyed], "send_event", data("@c:d")),
            Err(Denied::Missing(Needed::SendStateEvent { event_type: "m.room.member".into(), state_key: "@c:d".into() }))
        );
        assert_eq!(check(&[&any], "send_event", data("@c:d")), Ok(()));
        assert_eq!(check(&[&any], "send_event", data("")), Ok(()));
        // A message-event capability does not grant state events, nor the reverse.
        assert!(check(&[&format!("{}m.room.member", SEND_EVENT[1])], "send_event", data("@a:b")).is_err());
        assert!(check(&[&any], "send_event", serde_json::json!({"type": "m.room.member", "content": {}})).is_err());
    }
    // Escaped types (wire decision 13).
    assert_eq!(
        check(&[r"m.send.state_event:a\#b#k"], "send_event", serde_json::json!({"type": "a#b", "state_key": "k", "content": {}})),
        Ok(())
    );
    assert_eq!(
        check(&[r"m.send.state_event:a\#b"], "send_event", serde_json::json!({"type": "a#b", "state_key": "any", "content": {}})),
        Ok(())
    );
    // Every part ends in `\`: not a state capability, so it grants nothing.
    for key in ["", "k"] {
        assert!(
            check(&[r"m.send.state_event:a\#b\"], "send_event", serde_json::json!({"type": r"a#b\", "state_key": key, "content": {}}))
                .is_err()
        );
    }
}

#[test]
fn other_rooms_need_a_timeline_capability_in_every_spelling() {
    let base = "org.matrix.msc2762.send.event:m.reaction";
    let data = |room: &str| serde_json::json!({"type": "m.reaction", "content": {}, "room_id": room});
    assert_eq!(check(&[base], "send_event", data(OTHER)), Err(Denied::Missing(Needed::Timeline { room_id: OTHER.into() })));
    for prefix in TIMELINE {
        assert_eq!(check(&[base, &format!("{prefix}{OTHER}")], "send_event", data(OTHER)), Ok(()));
        assert_eq!(check(&[base, &format!("{prefix}*")], "send_event", data(OTHER)), Ok(()));
        assert!(check(&[base, &format!("{prefix}!third:b")], "send_event", data(OTHER)).is_err());
    }
    // The viewed room needs none.
    assert_eq!(check(&[base], "send_event", data(ROOM)), Ok(()));
    // Without a viewed room every explicit room needs one.
    assert!(perms(&[base]).check(&request("send_event", data(ROOM)), &Context::new()).is_err());
    assert_eq!(check(&[base, "m.timeline:*"], "send_event", data("")), Err(Denied::EmptyRoomId));
}

#[test]
fn msc4157_a_delayed_send_needs_both_capabilities() {
    let state_cap = "org.matrix.msc2762.send.state_event:org.matrix.msc3401.call.member#_@a:b_DEV";
    let delayed_state =
        serde_json::json!({"type": "org.matrix.msc3401.call.member", "state_key": "_@a:b_DEV", "content": {}, "delay": 5000});
    let delayed_message = serde_json::json!({"type": "m.reaction", "content": {}, "delay": 1});
    for delayed in DELAYED {
        assert_eq!(check(&[state_cap, delayed], "send_event", delayed_state.clone()), Ok(()), "{delayed}");
        assert_eq!(check(&["m.send.event:m.reaction", delayed], "send_event", delayed_message.clone()), Ok(()));
        // The delayed-event capability alone grants no event type.
        assert_eq!(
            check(&[delayed], "send_event", delayed_state.clone()),
            Err(Denied::Missing(Needed::SendStateEvent {
                event_type: "org.matrix.msc3401.call.member".into(),
                state_key: "_@a:b_DEV".into()
            }))
        );
        // Nor does `update_delayed_event`.
        assert!(check(&[UPDATE[1], state_cap.replace("msc2762", "msc9999").as_str()], "send_event", delayed_state.clone()).is_err());
    }
    // The event-type capability alone does not grant a delayed send.
    assert_eq!(check(&[state_cap], "send_event", delayed_state), Err(Denied::Missing(Needed::Capability(Capability::SendDelayedEvent))));
    assert_eq!(
        check(&[state_cap, UPDATE[1]], "send_event", delayed_message),
        Err(Denied::Missing(Needed::Capability(Capability::SendDelayedEvent)))
    );
    // `parent_delay_id` alone does not make a send delayed (wire decision 4); `null` is absent.
    assert_eq!(
        check(
            &[state_cap],
            "send_event",
            serde_json::json!({"type": "org.matrix.msc3401.call.member", "state_key": "_@a:b_DEV", "content": {}, "parent_delay_id": "x"})
        ),
        Ok(())
    );
    assert_eq!(
        check(
            &[state_cap],
            "send_event",
            serde_json::json!({"type": "org.matrix.msc3401.call.member", "state_key": "_@a:b_DEV", "content": {}, "delay": null})
        ),
        Ok(())
    );
}

#[test]
fn sticky_sends_need_the_sticky_capability_in_every_spelling() {
    let data = serde_json::json!({"type": "m.reaction", "content": {}, "sticky_duration_ms": 1000});
    let both = serde_json::json!({"type": "m.reaction", "content": {}, "sticky_duration_ms": 0, "delay": 10});
    for sticky in STICKY {
        assert_eq!(check(&["m.send.event:m.reaction", sticky], "send_event", data.clone()), Ok(()), "{sticky}");
        assert_eq!(
            check(&["m.send.event:m.reaction", sticky], "send_event", both.clone()),
            Err(Denied::Missing(Needed::Capability(Capability::SendDelayedEvent)))
        );
        assert_eq!(check(&["m.send.event:m.reaction", sticky, DELAYED[0]], "send_event", both.clone()), Ok(()));
        assert!(check(&[sticky], "send_event", data.clone()).is_err());
    }
    assert_eq!(
        check(&["m.send.event:m.reaction"], "send_event", data),
        Err(Denied::Missing(Needed::Capability(Capability::SendStickyEvent)))
    );
}

#[test]
fn msc4157_update_needs_only_the_update_capability() {
    for action in UPDATE_ACTIONS {
        for cap in UPDATE {
            for update in ["cancel", "restart", "send", "refresh"] {
                assert_eq!(
                    check(&[cap], action, serde_json::json!({"delay_id": "syd_abc", "action": update})),
                    Ok(()),
                    "{action} {cap} {update}"
                );
            }
        }
        let data = serde_json::json!({"delay_id": "syd_abc", "action": "cancel"});
        let denied = check(&[DELAYED[1], "m.send.event:m.room.message", "m.timeline:*"], action, data);
        assert_eq!(denied, Err(Denied::Missing(Needed::Capability(Capability::UpdateDelayedEvent))));
    }
}

#[test]
fn the_ledger_refuses_delays_the_widget_was_not_given() {
    let permissions = perms(&[UPDATE[1], "org.matrix.msc4533.rtc_livekit_delegate_delayed_leave"]);
    let mut ledger = DelayLedger::new();
    ledger.record_response(&SendEventResponseData::scheduled(ROOM, "mine"));
    ledger.record_response(&SendEventResponseData::sent(ROOM, "$event"));
    assert_eq!(ledger.len(), 1);
    let context = Context::in_room(ROOM).with_ledger(&ledger);
    let update = |id: &str| request("org.matrix.msc4157.update_delayed_event", serde_json::json!({"delay_id": id, "action": "send"}));
    assert_eq!(permissions.check(&update("mine"), &context), Ok(()));
    let denied = permissions.check(&update("theirs"), &context);
    assert_eq!(denied, Err(Denied::UnknownDelay { delay_id: "theirs".into() }));
    // Without the ledger, the capability alone decides (as in the reference).
    assert_eq!(permissions.check(&update("theirs"), &in_room()), Ok(()));
    // The LiveKit delegation of a delayed leave is held to the ledger too.
    let delegate = |id: &str| {
        request(
            "org.matrix.msc4533.rtc_livekit_delegate_delayed_leave",
            serde_json::json!({"room_id": ROOM, "slot_id": "s", "member": {"id": "m"}, "delay_id": id}),
        )
    };
    assert_eq!(permissions.check(&delegate("mine"), &context), Ok(()));
    assert_eq!(permissions.check(&delegate("theirs"), &context), Err(Denied::UnknownDelay { delay_id: "theirs".into() }));
    // Sent or cancelled delays are forgotten; restarted ones are kept.
    ledger.updated(&matrix_widget_api::from_widget::update_delayed_event::UpdateDelayedEventRequestData::new(
        "mine",
        matrix_widget_api::from_widget::update_delayed_event::UpdateAction::Restart,
    ));
    assert!(ledger.contains("mine"));
    assert!(ledger.forget("mine") && ledger.is_empty());
}

/// One sample request per typed fromWidget action, and the capabilities (every spelling)
/// any one of which grants it; `[]` means it needs none.
pub(crate) fn samples() -> Vec<(&'static str, serde_json::Value, &'static [&'static str])> {
    use serde_json::json;
    vec![
        ("supported_api_versions", json!({}), &[]),
        ("content_loaded", json!({}), &[]),
        ("m.sticker", json!({"name": "s", "content": {"url": "mxc://b/s"}}), &["m.sticker"]),
        ("set_always_on_screen", json!({"value": true}), &["m.always_on_screen"]),
        ("get_openid", json!({}), &[]),
        ("close_modal", json!({}), &[]),
        ("open_modal", json!({"type": "m.custom", "url": "https://example.org", "name": "n"}), &[]),
        ("set_button_enabled", json!({"button": "b", "enabled": true}), &[]),
        (
            "send_event",
            json!({"type": "m.reaction", "content": {}}),
            &["m.send.event:m.reaction", "org.matrix.msc2762.send.event:m.reaction"],
        ),
        (
            "send_to_device",
            json!({"type": "m.call.invite", "encrypted": false, "messages": {"@a:b": {"*": {}}}}),
            &["m.send.to_device:m.call.invite", "org.matrix.msc3819.send.to_device:m.call.invite"],
        ),
        ("watch_turn_servers", json!({}), &["m.turn_servers", "town.robin.msc3846.turn_servers"]),
        ("unwatch_turn_servers", json!({}), &["m.turn_servers", "town.robin.msc3846.turn_servers"]),
        (
            "org.matrix.msc2876.read_events",
            json!({"type": "m.reaction"}),
            &["m.receive.event:m.reaction", "org.matrix.msc2762.receive.event:m.reaction"],
        ),
        ("org.matrix.msc2931.navigate", json!({"uri": "https://matrix.to/#/!r:b"}), &["m.navigate", "org.matrix.msc2931.navigate"]),
        ("org.matrix.msc2974.request_capabilities", json!({"capabilities": []}), &[]),
        ("org.matrix.msc3869.read_relations", json!({"event_id": "$e"}), &[]),
        (
            "org.matrix.msc3973.user_directory_search",
            json!({"search_term": "a"}),
            &["m.user_directory_search", "org.matrix.msc3973.user_directory_search"],
        ),
        ("org.matrix.msc4039.get_media_config", json!({}), &["m.upload_file", "org.matrix.msc4039.upload_file"]),
        ("org.matrix.msc4039.upload_file", json!({"file": "x"}), &["m.upload_file", "org.matrix.msc4039.upload_file"]),
        ("org.matrix.msc4039.download_file", json!({"content_uri": "mxc://b/x"}), &["m.download_file", "org.matrix.msc4039.download_file"]),
        ("org.matrix.msc4157.update_delayed_event", json!({"delay_id": "d", "action": "cancel"}), &UPDATE),
        ("com.beeper.read_room_account_data", json!({"type": "m.x"}), &["com.beeper.capabilities.receive.room_account_data:m.x"]),
        ("org.matrix.msc4515.get_rtc_transports", json!({}), &["rtc_transports", "org.matrix.msc4515.rtc_transports", "m.rtc_transports"]),
        (
            "org.matrix.msc4533.rtc_livekit_get_token",
            json!({"server_name": "b", "url": "https://lk", "room_id": ROOM, "slot_id": "s", "member": {"id": "m"}}),
            &["org.matrix.msc4533.rtc_livekit_get_token"],
        ),
        (
            "org.matrix.msc4533.rtc_livekit_delegate_delayed_leave",
            json!({"room_id": ROOM, "slot_id": "s", "member": {"id": "m"}, "delay_id": "d"}),
            &["org.matrix.msc4533.rtc_livekit_delegate_delayed_leave"],
        ),
    ]
}

#[test]
fn every_typed_action_states_its_gate() {
    let samples = samples();
    for action in FromWidgetRequest::typed_actions() {
        let name = action.to_string();
        assert!(
            samples.iter().any(|(a, _, _)| a.parse::<matrix_widget_api::ActionName>().ok() == Some(action.clone())),
            "no sample for the typed action {name}: add one here, with its gate"
        );
    }
    let nothing = Permissions::new(&[]);
    for (action, data, grants) in samples {
        let req = request(action, data);
        assert!(req.is_typed(), "{action}");
        assert_eq!(nothing.check(&req, &in_room()).is_ok(), grants.is_empty(), "{action} with no capabilities");
        for grant in grants {
            assert_eq!(perms(&[grant]).check(&req, &in_room()), Ok(()), "{action} with {grant}");
        }
        if !grants.is_empty() {
            // A set of every other capability does not grant it.
            let unrelated = perms(&["m.capability.screenshot", "m.timeline:*", "io.element.requires_client", "org.example.vendor"]);
            assert!(unrelated.check(&req, &in_room()).is_err(), "{action}");
        }
    }
}

#[test]
fn unknown_and_vendor_actions_are_denied() {
    let everything = perms(&[
        "m.timeline:*",
        "m.send.event:io.element.join",
        "m.turn_servers",
        "m.update_delayed_event",
        "m.send.delayed_event",
        "m.modals",
        "m.sticker",
        "io.element.join",
    ]);
    for action in ["io.element.join", "im.vector.hangup", "org.matrix.msc9999.new_action", "create_room"] {
        let req = request(action, serde_json::json!({}));
        assert!(matches!(req, FromWidgetRequest::Other(_)));
        assert_eq!(everything.check(&req, &in_room()), Err(Denied::UnknownAction { action: action.into() }));
    }
}

#[test]
fn modal_gating_is_configurable() {
    let open = request("open_modal", serde_json::json!({"type": "m.custom", "url": "https://example.org", "name": "n"}));
    let gated = Config::default().gate_modals(true);
    assert!(Permissions::with_config(&caps(&[]), gated.clone()).check(&open, &in_room()).is_err());
    for cap in ["m.modals", "org.matrix.msc2790.modals"] {
        assert_eq!(Permissions::with_config(&caps(&[cap]), gated.clone()).check(&open, &in_room()), Ok(()));
    }
}

#[test]
fn read_events_use_receive_capabilities() {
    let read = |data: serde_json::Value| request("org.matrix.msc2876.read_events", data);
    for prefix in ["m.receive.state_event:", "org.matrix.msc2762.receive.state_event:"] {
        let keyed = perms(&[&format!("{prefix}m.room.member#@a:b")]);
        let any = perms(&[&format!("{prefix}m.room.member")]);
        let with_key = read(serde_json::json!({"type": "m.room.member", "state_key": "@a:b"}));
        let every_key = read(serde_json::json!({"type": "m.room.member", "state_key": true}));
        assert_eq!(keyed.check(&with_key, &in_room()), Ok(()));
        assert!(keyed.check(&every_key, &in_room()).is_err(), "`state_key: true` needs a capability for every key");
        assert_eq!(any.check(&every_key, &in_room()), Ok(()));
    }
    let msg = perms(&["org.matrix.msc2762.receive.event:m.room.message#m.text"]);
    assert_eq!(msg.check(&read(serde_json::json!({"type": "m.room.message", "msgtype": "m.text"})), &in_room()), Ok(()));
    assert!(msg.check(&read(serde_json::json!({"type": "m.room.message"})), &in_room()).is_err());
    // Other rooms need timeline capabilities; `*` is filtered when delivering.
    let any = perms(&["m.receive.event:m.reaction"]);
    assert_eq!(any.check(&read(serde_json::json!({"type": "m.reaction", "room_ids": [ROOM]})), &in_room()), Ok(()));
    assert!(any.check(&read(serde_json::json!({"type": "m.reaction", "room_ids": [ROOM, OTHER]})), &in_room()).is_err());
    assert_eq!(any.check(&read(serde_json::json!({"type": "m.reaction", "room_ids": "*"})), &in_room()), Ok(()));
    // `read.*` capabilities grant nothing unless configured (wire decision 12); stable action name.
    let read_cap = caps(&["m.read.event:m.reaction"]);
    let stable = request("read_events", serde_json::json!({"type": "m.reaction"}));
    assert!(Permissions::new(&read_cap).check(&stable, &in_room()).is_err());
    assert_eq!(Permissions::with_config(&read_cap, Config::default().honour_read_capabilities(true)).check(&stable, &in_room()), Ok(()));
}

#[test]
fn relations_and_account_data_check_rooms() {
    let rel = |room: Option<&str>| {
        let mut data = serde_json::json!({"event_id": "$e"});
        if let Some(room) = room {
            data["room_id"] = room.into();
        }
        request("org.matrix.msc3869.read_relations", data)
    };
    assert_eq!(perms(&[]).check(&rel(None), &in_room()), Ok(()));
    assert_eq!(perms(&[]).check(&rel(Some(ROOM)), &in_room()), Ok(()));
    assert!(perms(&[]).check(&rel(Some(OTHER)), &in_room()).is_err());
    assert_eq!(perms(&[&format!("m.timeline:{OTHER}")]).check(&rel(Some(OTHER)), &in_room()), Ok(()));
    let account =
        |rooms: serde_json::Value| request("com.beeper.read_room_account_data", serde_json::json!({"type": "m.x", "room_ids": rooms}));
    let cap = "com.beeper.capabilities.receive.room_account_data:m.x";
    assert_eq!(perms(&[cap]).check(&account(serde_json::json!([ROOM])), &in_room()), Ok(()));
    assert!(perms(&[cap]).check(&account(serde_json::json!([OTHER])), &in_room()).is_err(), "wire decision 21");
    assert!(perms(&[&format!("m.timeline:{OTHER}")]).check(&account(serde_json::json!([OTHER])), &in_room()).is_err());
}

#[test]
fn delivery_checks() {
    let p = perms(&[
        "org.matrix.msc2762.receive.event:m.room.message#m.text",
        "m.receive.state_event:m.room.member#@a:b",
        "m.receive.to_device:m.call.invite",
        "org.matrix.msc2762.timeline:!other:b",
        "m.receive.sticky_event",
        "m.capability.screenshot",
    ]);
    let ctx = in_room();
    assert_eq!(p.may_push_event(&EventView::message(ROOM, "m.room.message", Some("m.text")), &ctx), Ok(()));
    assert_eq!(p.may_push_event(&EventView::message(OTHER, "m.room.message", Some("m.text")), &ctx), Ok(()));
    assert!(p.may_push_event(&EventView::message("!third:b", "m.room.message", Some("m.text")), &ctx).is_err());
    assert!(p.may_push_event(&EventView::message(ROOM, "m.room.message", Some("m.notice")), &ctx).is_err());
    assert_eq!(p.may_push_event(&EventView::state(ROOM, "m.room.member", "@a:b"), &ctx), Ok(()));
    assert!(p.may_push_event(&EventView::state(ROOM, "m.room.member", "@c:d"), &ctx).is_err());
    assert_eq!(p.may_update_state(&EventView::state(OTHER, "m.room.member", "@a:b"), &ctx), Ok(()));
    assert!(p.may_update_state(&EventView::message(ROOM, "m.room.member", None), &ctx).is_err());
    assert_eq!(p.may_push_to_device("m.call.invite"), Ok(()));
    assert!(p.may_push_to_device("m.call.answer").is_err());
    assert_eq!(
        p.may_push_sticky(&EventView::message(ROOM, "m.room.message", Some("m.text")), &ctx),
        Ok(()),
        "the viewed room too (wire decision 9)"
    );
    assert!(perms(&["m.receive.event:m.room.message"]).may_push_sticky(&EventView::message(ROOM, "m.room.message", None), &ctx).is_err());
    // A state event is judged by the state capabilities, never by a message capability of
    // its type (found in review).
    let sticky = perms(&["m.receive.sticky_event", "m.receive.event:org.example.member"]);
    assert!(sticky.may_push_sticky(&EventView::message(ROOM, "org.example.member", None), &ctx).is_ok());
    assert!(sticky.may_push_sticky(&EventView::state(ROOM, "org.example.member", "@a:b"), &ctx).is_err());
    let sticky_state = perms(&["m.receive.sticky_event", "m.receive.state_event:org.example.member#@a:b"]);
    assert!(sticky_state.may_push_sticky(&EventView::state(ROOM, "org.example.member", "@a:b"), &ctx).is_ok());
    assert_eq!(p.may_return_relation(&EventView::message("!anywhere:b", "m.room.message", Some("m.text"))), Ok(()));
    assert!(p.may_return_read_event(&EventView::message("!third:b", "m.room.message", Some("m.text")), &ctx).is_err());
    assert_eq!(p.may_take_screenshot(), Ok(()));
    assert!(perms(&[]).may_take_screenshot().is_err());
    assert!(p.may_push_turn_servers().is_err());
    assert_eq!(p.accessible_rooms([ROOM, OTHER, "!third:b"], &ctx), [ROOM, OTHER]);
}

#[test]
fn denial_replies_echo_the_request_with_a_clear_message() {
    let req =
        request("send_event", serde_json::json!({"type": "org.matrix.msc3401.call.member", "state_key": "k", "content": {}, "delay": 5}));
    let denied = perms(&["org.matrix.msc2762.send.state_event:org.matrix.msc3401.call.member#k"])
        .check(&req, &in_room())
        .expect_err("no delayed cap");
    let reply: serde_json::Value = serde_json::from_str(&denied.reply(&req)).expect("JSON");
    let original: serde_json::Value = serde_json::from_str(req.source().expect("decoded")).expect("JSON");
    assert_eq!(reply["data"], original["data"]);
    assert_eq!(reply["requestId"], "r");
    let message = reply["response"]["error"]["message"].as_str().expect("message");
    assert!(message.starts_with("Missing capability: a send with `delay`"), "{message}");
    assert!(message.ends_with("needs the capability org.matrix.msc4157.send.delayed_event"), "{message}");
    let needed = Needed::SendStateEvent { event_type: "a#b".into(), state_key: "k".into() };
    assert_eq!(needed.capability().map(|c| c.to_string()).as_deref(), Some(r"org.matrix.msc2762.send.state_event:a\#b#k"));
    assert_eq!(Needed::SendStateEvent { event_type: r"a\".into(), state_key: "k".into() }.capability(), None);
}

#[test]
fn negotiation_is_cumulative_and_echoes_the_widgets_strings() {
    let mut n = Negotiation::new();
    let first = caps(&["m.send.delayed_event", "org.example.unknown", "org.matrix.msc2762.send.event:m.reaction", "m.send.delayed_event"]);
    let pending = n.request(&first);
    assert_eq!(
        pending.iter().map(|c| c.to_string()).collect::<Vec<_>>(),
        ["m.send.delayed_event", "org.matrix.msc2762.send.event:m.reaction"]
    );
    // The host approves by value; the widget's spelling is what is echoed. Unrequested
    // capabilities are ignored.
    n.approve([Capability::SendDelayedEvent, Capability::TurnServers]);
    let notify = n.notify_capabilities();
    let strings = |v: &[Spelled<Capability>]| v.iter().map(|c| c.to_string()).collect::<Vec<_>>();
    assert_eq!(strings(&notify.requested), ["m.send.delayed_event", "org.example.unknown", "org.matrix.msc2762.send.event:m.reaction"]);
    assert_eq!(strings(&notify.approved), ["m.send.delayed_event"]);
    // MSC2974 renegotiation: already-approved capabilities (any spelling) are approved
    // without asking, in the new spelling too; both lists stay cumulative.
    let more = caps(&["org.matrix.msc4157.send.delayed_event", "m.update_delayed_event", "org.example.unknown"]);
    let pending = n.request(&more);
    assert_eq!(strings(&pending), ["m.update_delayed_event"]);
    n.approve(pending);
    let notify = n.notify_capabilities();
    assert_eq!(
        strings(&notify.requested),
        [
            "m.send.delayed_event",
            "org.example.unknown",
            "org.matrix.msc2762.send.event:m.reaction",
            "org.matrix.msc4157.send.delayed_event",
            "m.update_delayed_event"
        ]
    );
    assert_eq!(strings(&notify.approved), ["m.send.delayed_event", "org.matrix.msc4157.send.delayed_event", "m.update_delayed_event"]);
    // An unknown capability is never approved, even when asked to.
    n.approve(caps(&["org.example.unknown"]));
    assert_eq!(n.approved().len(), 3);
    // The serialised payload keeps exact strings.
    let json = serde_json::to_value(&notify).expect("JSON");
    assert_eq!(json["approved"][0], "m.send.delayed_event");
    let permissions = n.permissions();
    assert_eq!(
        permissions.check(&request("update_delayed_event", serde_json::json!({"delay_id": "d", "action": "send"})), &in_room()),
        Ok(())
    );
}

// ---- The engine against a naive model ----

/// A scan over the approved list, written from the rules, not from the engine.
fn model_allows(
    approved: &[Capability],
    event_type: &str,
    state_key: Option<&str>,
    msgtype: Option<&str>,
    room: Option<&str>,
    delay: bool,
    sticky: bool,
) -> bool {
    let room_ok =
        room.is_none_or(|r| !r.is_empty() && (r == ROOM || approved.iter().any(|c| matches!(c, Capability::Timeline(t) if t.covers(r)))));
    let delay_ok = !delay || approved.contains(&Capability::SendDelayedEvent);
    let sticky_ok = !sticky || approved.contains(&Capability::SendStickyEvent);
    let type_ok = approved.iter().any(|c| match (c, state_key) {
        (Capability::SendStateEvent(f), Some(k)) => f.matches(event_type, k),
        (Capability::SendEvent(f), None) => f.matches(event_type, if event_type == "m.room.message" { msgtype } else { None }),
        _ => false,
    });
    room_ok && delay_ok && sticky_ok && type_ok
}

fn small_text() -> impl Strategy<Value = String> {
    prop_oneof![Just(String::new()), Just("a".to_owned()), Just("b#c".to_owned()), Just(r"d\".to_owned()), Just("m.text".to_owned())]
}

fn event_type() -> impl Strategy<Value = String> {
    prop_oneof![Just("m.room.message".to_owned()), Just("m.reaction".to_owned()), Just("a#b".to_owned()), Just(r"x\y".to_owned())]
}

fn capability() -> impl Strategy<Value = Capability> {
    prop_oneof![
        (event_type(), proptest::option::of(small_text())).prop_filter_map("representable", |(t, k)| match k {
            Some(m) if t == "m.room.message" => Some(Capability::SendEvent(RoomEventFilter::room_message(m))),
            _ => RoomEventFilter::new(t).ok().map(Capability::SendEvent),
        }),
        (event_type(), proptest::option::of(small_text()))
            .prop_filter_map("representable", |(t, k)| StateEventFilter::new(t, k).ok().map(Capability::SendStateEvent)),
        (event_type(), proptest::option::of(small_text()))
            .prop_filter_map("representable", |(t, k)| StateEventFilter::new(t, k).ok().map(Capability::ReceiveStateEvent)),
        prop_oneof![Just(TimelineTarget::AnyRoom), Just(TimelineTarget::Room(OTHER.to_owned()))].prop_map(Capability::Timeline),
        Just(Capability::SendDelayedEvent),
        Just(Capability::SendStickyEvent),
        Just(Capability::UpdateDelayedEvent),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// The engine allows a `send_event` exactly when the naive model does: never without
    /// the capabilities the request needs.
    #[test]
    fn the_engine_agrees_with_a_naive_model(
        approved in proptest::collection::vec(capability(), 0..8),
        event_type in event_type(),
        state_key in proptest::option::of(small_text()),
        msgtype in proptest::option::of(small_text()),
        room in proptest::option::of(prop_oneof![Just(ROOM), Just(OTHER), Just("!third:b"), Just("")]),
        delay in any::<bool>(),
        sticky in any::<bool>(),
        stable in any::<bool>(),
    ) {
        let sticky = sticky && state_key.is_none();
        // Approve in either spelling: the engine must not care.
        let naming = if stable { matrix_widget_api::naming::Naming::Stable } else { matrix_widget_api::naming::Naming::Unstable };
        let texts: Vec<String> = approved.iter().map(|c| c.name(naming).into_owned()).collect();
        let spelled: Vec<Spelled<Capability>> = texts.iter().map(|t| Spelled::parse(t).expect("open")).collect();
        let permissions = Permissions::new(&spelled);
        let mut data = serde_json::json!({"type": event_type, "content": {}});
        if let Some(m) = &msgtype { data["content"]["msgtype"] = m.clone().into(); }
        if let Some(k) = &state_key { data["state_key"] = k.clone().into(); }
        if let Some(r) = room { data["room_id"] = r.into(); }
        if delay { data["delay"] = 1000.into(); }
        if sticky { data["sticky_duration_ms"] = 10.into(); }
        let req = request("send_event", data);
        let ours = permissions.check(&req, &in_room()).is_ok();
        let model = model_allows(&approved, &event_type, state_key.as_deref(), msgtype.as_deref(), room, delay, sticky);
        prop_assert_eq!(ours, model, "approved {:?}", texts);
    }
}
