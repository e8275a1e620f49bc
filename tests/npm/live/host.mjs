// Live scenario 1: the real matrix-widget-api `WidgetApi` (the widget) ⇄ the Rust host
// session (`widget-api host`), with node as the host environment.
//
// Every `WidgetApi` method that posts is called; each promise must resolve with exactly
// what the environment answered (after the host's filtering where it filters), or reject
// with the Rust host's error where the host must deny — and then the environment must not
// have been asked. MSC4157 in depth (a delayed message event, a delayed state event, sticky
// and delayed, cancel / restart / send, an update without the capability, a delayed send
// without `org.matrix.msc4157.send.delayed_event`, a send outside the timeline
// capabilities, MSC2974 renegotiation), OpenID in its three outcomes, TURN, to-device both
// ways, reads, and pushes. See bridge.mjs for what every message goes through.
//
// Run by `cargo xtask live` (and `cargo xtask ci`); by hand: `node live/host.mjs` after
// `cargo build -p matrix-widget-api-cli`.
import { MatrixCapabilities, Symbols, WidgetApi, WidgetApiResponseError } from "matrix-widget-api";
import { check, rejection, same, scenario } from "./bridge.mjs";

const WIDGET = "live-widget";
const USER = "@alice:example.org";
const DEVICE = "LIVEDEV";
const ROOM = "!live:example.org";
const OTHER = "!other:example.org";
const OUTSIDE = "!outside:example.org";
const MEMBER = "org.matrix.msc3401.call.member";
const MEMBER_KEY = `_${USER}_${DEVICE}`;
const DENIED = "org.matrix.msc2762.send.event:org.example.denied";

/** An environment whose answers the scenario queues per request name. */
function scriptedEnvironment() {
    const queued = new Map();
    const environment = (request) => {
        const queue = queued.get(request.request);
        if (queue && queue.length > 0) {
            const answer = queue.shift();
            return typeof answer === "function" ? answer(request) : answer;
        }
        switch (request.request) {
            case "approve_capabilities":
                return { ok: request.requested.filter((c) => c !== DENIED) };
            case "read_state":
            case "read_sticky_events":
                return { ok: { events: [] } };
            default:
                throw new Error(`the environment has no answer scripted for ${JSON.stringify(request)}`);
        }
    };
    /** Queues the answer to the next request named `name`. */
    environment.next = (name, answer) => {
        if (!queued.has(name)) queued.set(name, []);
        queued.get(name).push(answer);
    };
    return environment;
}

const event = (type, fields = {}) => ({
    type,
    sender: "@bob:example.org",
    event_id: `$${type}-${Math.random().toString(36).slice(2)}`,
    room_id: ROOM,
    origin_server_ts: 1_700_000_000_000,
    content: {},
    ...fields,
});

/** Asserts the rejection is the Rust host's denial: a `WidgetApiResponseError`. */
function denied(error, pattern, what) {
    check(error instanceof WidgetApiResponseError, `${what}: expected a WidgetApiResponseError, got ${error?.stack ?? error}`);
    check(pattern.test(error.message), `${what}: the error ${JSON.stringify(error.message)} does not match ${pattern}`);
}

const environment = scriptedEnvironment();
await scenario(
    "host.mjs: WidgetApi ⇄ widget-api host",
    {
        args: ["--widget-id", WIDGET, "--room", ROOM, "--user-id", USER, "--device-id", DEVICE, "--start", "iframe-load"],
        environment,
    },
    async (bridge) => {
        const widget = new WidgetApi(WIDGET, "https://client.example.org");
        // What the widget application receives (an application handles these actions and
        // acknowledges them, as matrix-js-sdk's RoomWidgetClient does).
        const received = { send_event: [], update_state: [], send_to_device: [], notify_capabilities: [], theme: [] };
        for (const action of ["send_event", "update_state", "send_to_device", "theme_change"]) {
            widget.on(`action:${action}`, (ev) => {
                ev.preventDefault();
                (received[action] ??= []).push(ev.detail.data);
                widget.transport.reply(ev.detail, {});
            });
        }
        widget.on("action:notify_capabilities", (ev) => received.notify_capabilities.push(ev.detail.data));
        const ready = new Promise((resolve) => widget.once("ready", resolve));

        // ---- negotiation ----
        const initial = [
            "org.matrix.msc2762.send.event:org.example.ping",
            "org.matrix.msc2762.receive.event:org.example.ping",
            "org.matrix.msc2762.send.event:m.room.message#m.text",
            "org.matrix.msc2762.receive.event:m.room.message#m.text",
            `org.matrix.msc2762.send.state_event:${MEMBER}#${MEMBER_KEY}`,
            `org.matrix.msc2762.receive.state_event:${MEMBER}`,
            `org.matrix.msc2762.timeline:${OTHER}`,
            "org.matrix.msc3819.send.to_device:org.example.tdm",
            "org.matrix.msc3819.receive.to_device:org.example.tdm",
            "com.beeper.capabilities.receive.room_account_data:org.example.acct",
            MatrixCapabilities.MSC4407SendStickyEvent,
            MatrixCapabilities.MSC4407ReceiveStickyEvent,
            MatrixCapabilities.StickerSending,
            MatrixCapabilities.AlwaysOnScreen,
            MatrixCapabilities.MSC2931Navigate,
            MatrixCapabilities.MSC3846TurnServers,
            MatrixCapabilities.MSC3973UserDirectorySearch,
            MatrixCapabilities.MSC4039UploadFile,
            MatrixCapabilities.MSC4039DownloadFile,
            MatrixCapabilities.MSC4515RtcTransports,
            MatrixCapabilities.MSC4533RtcLivekitGetToken,
            MatrixCapabilities.MSC4533RtcLivekitDelegateDelayedLeave,
            "org.matrix.msc2790.modals",
            DENIED,
        ];
        widget.requestCapabilities(initial);
        const stickyNow = event("org.example.ping", { content: { sticky: true }, sticky: { duration_ms: 60000 } });
        environment.next("read_state", { ok: { events: [event(MEMBER, { state_key: "_@bob:example.org_BOB", content: { application: "m.call" } })] } });
        environment.next("read_sticky_events", { ok: { events: [stickyNow] } });
        widget.start();
        bridge.call("iframe_loaded");
        await ready;
        const approve = bridge.seen("approve_capabilities")[0];
        same(approve.requested, initial, "the environment is asked to approve what the widget requested");
        same(widget.hasCapability(DENIED), false, "the declined capability is not the widget's");
        same(widget.hasCapability(initial[0]), true, "an approved capability is the widget's");
        same(received.notify_capabilities[0], { requested: initial, approved: initial.filter((c) => c !== DENIED) }, "notify_capabilities");

        // getClientVersions: the Rust host's supported versions.
        const versions = await widget.getClientVersions();
        for (const v of ["org.matrix.msc2871", "org.matrix.msc2974", "org.matrix.msc3869", "org.matrix.msc4039", "org.matrix.msc4533"]) {
            check(versions.includes(v), `supported_api_versions lacks ${v}: ${JSON.stringify(versions)}`);
        }
        // The initial state push (the widget speaks update_state) and the sticky push.
        await bridge.until(() => received.update_state.length === 1 && received.send_event.length === 1, "the pushes after negotiation");
        same(received.update_state[0].state.map((e) => e.state_key), ["_@bob:example.org_BOB"], "the initial update_state");
        same(received.send_event[0], stickyNow, "the sticky event pushed after negotiation");
        const readState = bridge.seen("read_state")[0];
        check(JSON.stringify(readState.room_ids).includes(ROOM) && JSON.stringify(readState.room_ids).includes(OTHER), `read_state rooms: ${JSON.stringify(readState)}`);

        // content_loaded in iframe-load mode: the reference's "Improper sequence" error.
        denied(await rejection(widget.sendContentLoaded(), "content_loaded"), /^Improper sequence/, "content_loaded");

        // ---- sending events ----
        const sent = { room_id: ROOM, event_id: "$sent1" };
        environment.next("send_event", { ok: sent });
        same(await widget.sendRoomEvent("org.example.ping", { n: 1 }), sent, "sendRoomEvent resolves with the environment's answer");
        same(bridge.seen("send_event").at(-1), { environment: bridge.seen("send_event").at(-1).environment, request: "send_event", room_id: ROOM, data: { type: "org.example.ping", content: { n: 1 } } }, "the environment's send_event");

        const message = { room_id: OTHER, event_id: "$sent2" };
        environment.next("send_event", { ok: message });
        same(await widget.sendRoomEvent("m.room.message", { msgtype: "m.text", body: "hi" }, OTHER), message, "a message in a timeline room");
        same(bridge.seen("send_event").at(-1).room_id, OTHER, "sent in the named room");

        let asked = bridge.requests.length;
        denied(await rejection(widget.sendRoomEvent("m.room.message", { msgtype: "m.notice", body: "no" }), "m.notice"), /capabilit/i, "a msgtype not approved");
        denied(await rejection(widget.sendRoomEvent("org.example.denied", {}), "denied type"), /capabilit/i, "a declined event type");
        denied(await rejection(widget.sendRoomEvent("org.example.ping", {}, OUTSIDE), "outside"), /capabilit|room/i, "a room outside the timeline capabilities");
        same(bridge.requests.length, asked, "denied sends never reach the environment");

        const state = { room_id: ROOM, event_id: "$member" };
        environment.next("send_event", { ok: state });
        same(await widget.sendStateEvent(MEMBER, MEMBER_KEY, { application: "m.call" }), state, "sendStateEvent");
        same(bridge.seen("send_event").at(-1).data, { type: MEMBER, state_key: MEMBER_KEY, content: { application: "m.call" } }, "the state event sent");
        denied(await rejection(widget.sendStateEvent(MEMBER, "_@mallory:example.org_X", {}), "other key"), /capabilit/i, "another state key");

        // An environment failure reaches the widget as a WidgetApiResponseError with the
        // Matrix error (MSC2762's matrix_api_error).
        const matrixError = { http_status: 429, http_headers: { "retry-after": "1" }, url: "https://matrix.example.org/_matrix/client/v3/rooms/x/send/y/z", response: { errcode: "M_LIMIT_EXCEEDED", error: "Too many requests" } };
        environment.next("send_event", { error: { message: "Too many requests", matrix_api_error: matrixError } });
        const limited = await rejection(widget.sendRoomEvent("org.example.ping", {}), "rate limited");
        check(limited instanceof WidgetApiResponseError && limited.message === "Too many requests", `rate limited: ${limited}`);
        same(limited.data, { matrix_api_error: matrixError }, "the Matrix error the widget sees");

        // An answer that is not a send_event response: an error reply, and the application
        // is told.
        environment.next("send_event", { ok: { room_id: ROOM } });
        const hostError = bridge.next((l) => l.notify === "host_error", "the host error for a bad answer");
        const malformed = await rejection(widget.sendRoomEvent("org.example.ping", {}), "a bad answer");
        check(malformed instanceof WidgetApiResponseError && /event_id/.test(malformed.message), `a bad environment answer: ${malformed}`);
        check(/event_id/.test((await hostError).message), "the host error names the field");

        // Sticky (MSC4407): sticky_duration_ms is carried to the environment.
        const sticky = { room_id: ROOM, event_id: "$sticky" };
        environment.next("send_event", { ok: sticky });
        same(await widget.sendRoomEvent("org.example.ping", { s: 1 }, undefined, undefined, 60000), sticky, "a sticky event");
        same(bridge.seen("send_event").at(-1).data.sticky_duration_ms, 60000, "sticky_duration_ms");

        // ---- MSC4157: no delayed-event capability yet ----
        asked = bridge.requests.length;
        denied(await rejection(widget.sendRoomEvent("org.example.ping", {}, undefined, 5000), "delayed"), /org\.matrix\.msc4157\.send\.delayed_event/, "a delayed send without the capability");
        denied(await rejection(widget.restartScheduledDelayedEvent("syd_x"), "restart"), /org\.matrix\.msc4157\.update_delayed_event/, "an update without the capability");
        same(bridge.requests.length, asked, "denied delayed-event requests never reach the environment");

        // MSC2974: ask for send.delayed_event only.
        widget.requestCapability(MatrixCapabilities.MSC4157SendDelayedEvent);
        let changed = bridge.next((l) => l.notify === "capabilities_changed", "the renegotiation");
        await widget.updateRequestedCapabilities();
        await changed;
        // WidgetApi sends its whole list again; only what is not approved yet (the declined
        // capability too: the user may change their mind) is put to the environment.
        same(bridge.seen("approve_capabilities").at(-1).requested, [DENIED, MatrixCapabilities.MSC4157SendDelayedEvent], "only what is not yet approved is put to the environment");
        await bridge.until(() => received.notify_capabilities.length === 2, "notify_capabilities after renegotiation");
        check(received.notify_capabilities[1].approved.includes(MatrixCapabilities.MSC4157SendDelayedEvent), "send.delayed_event approved");

        // A delayed message event, a delayed state event, sticky and delayed.
        environment.next("send_delayed_event", { ok: { room_id: ROOM, delay_id: "syd_msg" } });
        same(await widget.sendRoomEvent("org.example.ping", { later: true }, undefined, 5000), { room_id: ROOM, delay_id: "syd_msg" }, "a delayed message event");
        same(bridge.seen("send_delayed_event").at(-1).data, { type: "org.example.ping", content: { later: true }, delay: 5000 }, "send_delayed_event data");
        environment.next("send_delayed_event", { ok: { room_id: ROOM, delay_id: "syd_leave" } });
        same(await widget.sendStateEvent(MEMBER, MEMBER_KEY, {}, undefined, 8000), { room_id: ROOM, delay_id: "syd_leave" }, "a delayed state event");
        same(bridge.seen("send_delayed_event").at(-1).data, { type: MEMBER, state_key: MEMBER_KEY, content: {}, delay: 8000 }, "the delayed leave");
        environment.next("send_delayed_event", { ok: { room_id: OTHER, delay_id: "syd_sticky" } });
        same(await widget.sendRoomEvent("org.example.ping", { both: true }, OTHER, 3000, 90000), { room_id: OTHER, delay_id: "syd_sticky" }, "sticky and delayed");
        const both = bridge.seen("send_delayed_event").at(-1);
        same([both.room_id, both.data.delay, both.data.sticky_duration_ms], [OTHER, 3000, 90000], "sticky and delayed reach the environment");
        asked = bridge.requests.length;
        denied(await rejection(widget.sendRoomEvent("org.example.ping", {}, OUTSIDE, 5000), "delayed outside"), /capabilit|room/i, "a delayed send outside the timeline capabilities");
        denied(await rejection(widget.restartScheduledDelayedEvent("syd_leave"), "restart"), /org\.matrix\.msc4157\.update_delayed_event/, "still no update capability");
        same(bridge.requests.length, asked, "still not asked");

        // MSC2974 again: update_delayed_event.
        widget.requestCapability(MatrixCapabilities.MSC4157UpdateDelayedEvent);
        changed = bridge.next((l) => l.notify === "capabilities_changed", "the second renegotiation");
        await widget.updateRequestedCapabilities();
        await changed;
        same(bridge.seen("approve_capabilities").at(-1).requested, [DENIED, MatrixCapabilities.MSC4157UpdateDelayedEvent], "the second round asks for the update capability (and the declined one)");

        for (const [call, action, id] of [
            [(d) => widget.restartScheduledDelayedEvent(d), "restart", "syd_leave"],
            [(d) => widget.restartScheduledDelayedEvent(d), "restart", "syd_leave"],
            [(d) => widget.cancelScheduledDelayedEvent(d), "cancel", "syd_msg"],
            [(d) => widget.sendScheduledDelayedEvent(d), "send", "syd_leave"],
        ]) {
            environment.next("update_delayed_event", { ok: {} });
            same(await call(id), {}, `${action} ${id}`);
            same(bridge.seen("update_delayed_event").at(-1).data, { delay_id: id, action }, `the environment's ${action}`);
        }
        // The delay ledger (wire decision 28): a sent or cancelled delay, or one this widget
        // never scheduled, is refused without asking the homeserver.
        asked = bridge.requests.length;
        denied(await rejection(widget.restartScheduledDelayedEvent("syd_leave"), "sent already"), /delay/i, "a delay already sent");
        denied(await rejection(widget.cancelScheduledDelayedEvent("syd_someone_else"), "foreign"), /delay/i, "a delay another widget scheduled");
        same(bridge.requests.length, asked, "ledger refusals never reach the environment");
        // The homeserver's own refusal reaches the widget.
        environment.next("update_delayed_event", { error: { message: "Delayed event not found", matrix_api_error: { http_status: 404, http_headers: {}, url: "https://matrix.example.org/_matrix/client/unstable/org.matrix.msc4140/delayed_events/syd_sticky/restart", response: { errcode: "M_NOT_FOUND", error: "not found" } } } });
        const gone = await rejection(widget.restartScheduledDelayedEvent("syd_sticky"), "gone");
        check(gone instanceof WidgetApiResponseError && gone.message === "Delayed event not found" && gone.data.matrix_api_error.response.errcode === "M_NOT_FOUND", `a homeserver refusal: ${gone}`);

        // ---- reads ----
        const ping = event("org.example.ping", { content: { n: 2 } });
        const secret = event("org.example.secret");
        environment.next("read_events", { ok: { events: [ping, secret] } });
        same(await widget.readRoomEvents("org.example.ping", 10), [ping], "readRoomEvents: the environment's events the widget may receive");
        same(bridge.seen("read_events").at(-1), { environment: bridge.seen("read_events").at(-1).environment, request: "read_events", room_ids: [ROOM], data: { type: "org.example.ping", limit: 10 } }, "the environment's read_events");
        const pingOther = event("org.example.ping", { room_id: OTHER });
        environment.next("read_events", { ok: { events: [pingOther] } });
        same(await widget.readRoomEvents("org.example.ping", 5, undefined, [OTHER]), [pingOther], "readRoomEvents in a timeline room");
        same(bridge.seen("read_events").at(-1).room_ids, [OTHER], "read in the named room");
        const member = event(MEMBER, { state_key: "_@bob:example.org_BOB" });
        environment.next("read_events", { ok: { events: [member] } });
        same(await widget.readStateEvents(MEMBER, 1), [member], "readStateEvents");
        same(bridge.seen("read_events").at(-1).data, { type: MEMBER, state_key: true, limit: 1 }, "read_events for state");
        asked = bridge.requests.length;
        denied(await rejection(widget.readRoomEvents("org.example.secret", 1), "secret"), /capabilit/i, "reading a type not approved");
        denied(await rejection(widget.readRoomEvents("org.example.ping", 1, undefined, [OUTSIDE]), "outside"), /capabilit|room/i, "reading outside the timeline capabilities");
        same(bridge.requests.length, asked, "denied reads never reach the environment");
        const relations = { chunk: [event("org.example.ping", { content: { "m.relates_to": { rel_type: "m.thread", event_id: "$root" } } })], next_batch: "n1" };
        environment.next("read_relations", { ok: relations });
        same(await widget.readEventRelations("$root", undefined, "m.thread", "org.example.ping", 10, undefined, undefined, "b"), relations, "readEventRelations");
        same(bridge.seen("read_relations").at(-1).data, { event_id: "$root", rel_type: "m.thread", event_type: "org.example.ping", limit: 10, direction: "b" }, "read_relations data");
        const account = [{ type: "org.example.acct", room_id: ROOM, content: { a: 1 } }];
        environment.next("read_room_account_data", { ok: { events: account } });
        same(await widget.readRoomAccountData("org.example.acct"), account, "readRoomAccountData");

        // ---- to-device, both ways ----
        environment.next("send_to_device", { ok: {} });
        const messages = { "@bob:example.org": { BOB: { hello: "bob" } } };
        same(await widget.sendToDevice("org.example.tdm", false, messages), {}, "sendToDevice");
        same(bridge.seen("send_to_device").at(-1).data, { type: "org.example.tdm", encrypted: false, messages }, "send_to_device data");
        denied(await rejection(widget.sendToDevice("org.example.other", true, messages), "to-device"), /capabilit/i, "a to-device type not approved");
        // Pushed as the reference does: the message and whether it came encrypted.
        const toDevice = { type: "org.example.tdm", sender: "@bob:example.org", content: { hi: 1 }, encrypted: true };
        bridge.push("to_device", { event: { type: "org.example.nope", sender: "@bob:example.org", content: {} } });
        bridge.push("to_device", { event: toDevice });
        await bridge.until(() => received.send_to_device.length >= 1, "the to-device push");
        same(received.send_to_device, [toDevice], "only the approved to-device type is pushed");

        // ---- pushes ----
        const pushed = event("org.example.ping", { content: { pushed: 1 } });
        const pushedOther = event("org.example.ping", { room_id: OTHER });
        const before = received.send_event.length;
        bridge.push("event", { event: event("org.example.secret") });
        bridge.push("event", { event: event("org.example.ping", { room_id: OUTSIDE }) });
        bridge.push("event", { event: pushed });
        bridge.push("event", { event: pushedOther });
        const text = event("m.room.message", { content: { msgtype: "m.text", body: "hello" } });
        bridge.push("event", { event: event("m.room.message", { content: { msgtype: "m.notice", body: "not approved" } }) });
        bridge.push("event", { event: text });
        const bobState = event(MEMBER, { state_key: "_@bob:example.org_BOB", content: {} });
        bridge.push("state", { event: bobState });
        await bridge.until(() => received.send_event.length === before + 3 && received.update_state.length === 2, "the pushes");
        same(received.send_event.slice(before), [pushed, pushedOther, text], "pushed events: the viewed room and timeline rooms, approved types and msgtypes only");
        same(received.update_state[1], { state: [bobState] }, "a state update as update_state");

        // ---- OpenID: allowed, blocked, asked ----
        const token = { state: "allowed", access_token: "tok", token_type: "Bearer", matrix_server_name: "example.org", expires_in: 3600 };
        environment.next("get_open_id", { ok: token });
        same(await widget.requestOpenIDConnectToken(), token, "OpenID allowed at once");
        environment.next("get_open_id", { ok: { state: "blocked" } });
        const blocked = await rejection(widget.requestOpenIDConnectToken(), "OpenID blocked");
        same(blocked.message, "User declined to verify their identity", "OpenID blocked");
        environment.next("get_open_id", () => undefined); // answered below, twice
        const asking = widget.requestOpenIDConnectToken();
        await bridge.until(() => bridge.seen("get_open_id").length === 3, "the third get_open_id");
        const id = bridge.seen("get_open_id")[2].environment;
        bridge.answer(id, { ok: { state: "request" } });
        bridge.answer(id, { ok: { ...token, access_token: "tok2" } });
        const credentials = await asking;
        same(credentials, { ...token, access_token: "tok2", original_request_id: credentials.original_request_id }, "OpenID after asking the user: the environment's second answer");
        const original = bridge.messages.find((m) => m.message.action === "get_openid" && m.message.response?.state === "request");
        same(credentials.original_request_id, original?.message.requestId, "openid_credentials names the original request");
        await bridge.until(() => bridge.messages.some((m) => m.to === "host" && m.message.action === "openid_credentials" && "response" in m.message), "the widget's ack of openid_credentials");

        // Asked, then the user declines: openid_credentials says blocked, the promise rejects.
        environment.next("get_open_id", () => undefined);
        const declining = rejection(widget.requestOpenIDConnectToken(), "OpenID declined after asking");
        await bridge.until(() => bridge.seen("get_open_id").length === 4, "the fourth get_open_id");
        const declined = bridge.seen("get_open_id")[3].environment;
        bridge.answer(declined, { ok: { state: "request" } });
        bridge.answer(declined, { ok: { state: "blocked" } });
        same((await declining).message, "User declined to verify their identity", "OpenID declined after asking");

        // ---- TURN ----
        const servers = { uris: ["turn:turn.example.org"], username: "u", password: "p" };
        environment.next("watch_turn_servers", { ok: servers });
        const turn = widget.getTurnServers();
        same((await turn.next()).value, servers, "the first TURN servers");
        const servers2 = { uris: ["turns:turn.example.org"], username: "u2", password: "p2" };
        bridge.push("turn_servers", { servers: servers2 });
        same((await turn.next()).value, servers2, "pushed TURN servers");
        environment.next("unwatch_turn_servers", { ok: {} });
        await turn.return(undefined);
        same(bridge.seen("unwatch_turn_servers").length, 1, "unwatch reaches the environment");

        // ---- the rest ----
        const directory = { limited: false, results: [{ user_id: "@bob:example.org", display_name: "Bob", avatar_url: "mxc://example.org/b" }] };
        environment.next("user_directory_search", { ok: directory });
        same(await widget.searchUserDirectory("bob", 5), directory, "searchUserDirectory");
        same(bridge.seen("user_directory_search").at(-1).data, { search_term: "bob", limit: 5 }, "user_directory_search data");
        environment.next("get_media_config", { ok: { "m.upload.size": 1048576 } });
        same(await widget.getMediaConfig(), { "m.upload.size": 1048576 }, "getMediaConfig");
        environment.next("upload_file", { ok: { content_uri: "mxc://example.org/up" } });
        same(await widget.uploadFile("file contents"), { content_uri: "mxc://example.org/up" }, "uploadFile");
        same(bridge.seen("upload_file").at(-1).data, { file: "file contents" }, "upload_file data");
        environment.next("download_file", { ok: { file: "downloaded" } });
        same(await widget.downloadFile("mxc://example.org/up"), { file: "downloaded" }, "downloadFile");
        const transports = { rtc_transports: [{ type: "livekit", livekit_service_url: "https://sfu.example.org" }] };
        environment.next("get_rtc_transports", { ok: transports });
        same(await widget.getRtcTransports(), transports, "getRtcTransports");
        const livekit = { jwt: "ey.jwt" };
        environment.next("rtc_livekit_get_token", { ok: livekit });
        const tokenRequest = { server_name: "example.org", url: "https://sfu.example.org", room_id: ROOM, slot_id: "m.call#ROOM", member: { id: "member", claimed_device_id: DEVICE } };
        same(await widget.getRtcLivekitToken(tokenRequest), livekit, "getRtcLivekitToken");
        same(bridge.seen("rtc_livekit_get_token").at(-1).data, tokenRequest, "rtc_livekit_get_token data");
        const unrecognized = { http_status: 404, http_headers: {}, url: "https://sfu.example.org/rtc/livekit/delegate_delayed_leave", response: { errcode: "M_UNRECOGNIZED", error: "Unrecognized request" } };
        environment.next("rtc_livekit_delegate_delayed_leave", { error: { message: "Unrecognized request", matrix_api_error: unrecognized } });
        const delegate = await rejection(widget.delegateRtcLivekitDelayedLeave({ room_id: ROOM, slot_id: "m.call#ROOM", member: { id: "member", claimed_device_id: DEVICE }, delay_id: "syd_sticky" }), "delegate");
        check(delegate instanceof WidgetApiResponseError && delegate.data.matrix_api_error?.response?.errcode === "M_UNRECOGNIZED", `delegateRtcLivekitDelayedLeave: ${delegate}`);
        environment.next("navigate", { ok: {} });
        same(await widget.navigateTo("https://matrix.to/#/#room:example.org"), {}, "navigateTo");
        same(bridge.seen("navigate").at(-1).data, { uri: "https://matrix.to/#/#room:example.org" }, "navigate data");
        environment.next("set_always_on_screen", { ok: { success: true } });
        same(await widget.setAlwaysOnScreen(true), true, "setAlwaysOnScreen resolves with the environment's success");
        environment.next("set_always_on_screen", { ok: { success: false } });
        same(await widget.setAlwaysOnScreen(false), false, "setAlwaysOnScreen(false)");
        const sticker = { name: "cat", description: "a cat", content: { url: "mxc://example.org/cat", info: { h: 64, w: 64, mimetype: "image/png", size: 100 } } };
        environment.next("sticker", { ok: {} });
        same(await widget.sendSticker(sticker), {}, "sendSticker");
        same(bridge.seen("sticker").at(-1).data, sticker, "sticker data");
        environment.next("open_modal", { ok: {} });
        const buttons = [{ id: "m.close", label: "Close", kind: "m.secondary" }, { id: "org.example.ok", label: "OK", kind: "m.primary", disabled: true }];
        same(await widget.openModalWidget("https://widget.example.org/modal", "Modal", buttons, { x: 1 }), {}, "openModalWidget");
        same(bridge.seen("open_modal").at(-1).data, { type: "m.custom", url: "https://widget.example.org/modal", name: "Modal", buttons, data: { x: 1 } }, "open_modal data");
        environment.next("set_button_enabled", { ok: {} });
        same(await widget.setModalButtonEnabled("org.example.ok", true), {}, "setModalButtonEnabled");
        same(bridge.seen("set_button_enabled").at(-1).data, { button: "org.example.ok", enabled: true }, "set_button_enabled data");
        environment.next("close_modal", { ok: {} });
        same(await widget.closeModalWidget({ done: true }), {}, "closeModalWidget");
        same(bridge.seen("close_modal").at(-1).data, { done: true }, "close_modal data");
        // The host checks navigate URIs itself, whatever the widget library did.
        asked = bridge.requests.length;
        denied(await rejection(widget.transport.send("org.matrix.msc2931.navigate", { uri: "https://evil.example.org" }), "bad navigate"), /matrix\.to/, "a navigate URI that is not matrix.to");
        same(bridge.requests.length, asked, "a bad navigate URI never reaches the environment");

        // The deprecated parent_delay_id overload (MSC4140's old grouping) reaches the
        // environment unchanged.
        environment.next("send_delayed_event", { ok: { room_id: ROOM, delay_id: "syd_child" } });
        same(await widget.sendStateEvent(MEMBER, MEMBER_KEY, { child: true }, undefined, 4000, "syd_parent"), { room_id: ROOM, delay_id: "syd_child" }, "a delayed send with parent_delay_id");
        same(bridge.seen("send_delayed_event").at(-1).data.parent_delay_id, "syd_parent", "parent_delay_id is carried");
        environment.next("rtc_livekit_delegate_delayed_leave", { ok: {} });
        same(await widget.delegateRtcLivekitDelayedLeave({ room_id: ROOM, slot_id: "m.call#ROOM", member: { id: "member", claimed_device_id: DEVICE }, delay_id: "syd_child" }), {}, "delegateRtcLivekitDelayedLeave of a delay the widget holds");

        asked = bridge.requests.length;
        denied(await rejection(widget.delegateRtcLivekitDelayedLeave({ room_id: ROOM, slot_id: "m.call#ROOM", member: { id: "member" }, delay_id: "syd_nobody" }), "foreign delegation"), /delay/i, "delegating a delay the widget does not hold");
        same(bridge.requests.length, asked, "a foreign delegation never reaches the environment");

        // ---- the viewed room changes ----
        // The new room needs no timeline capability: its state is pushed, and sends without
        // a room go there.
        environment.next("read_state", (r) => ({ ok: { events: [event(MEMBER, { room_id: OUTSIDE, state_key: "_@carol:example.org_C" })] } }));
        const pushedBefore = received.update_state.length;
        bridge.call("viewed_room", { room_id: OUTSIDE });
        await bridge.until(() => received.update_state.length === pushedBefore + 1, "the state of the newly viewed room");
        same(bridge.seen("read_state").at(-1).room_ids, [OUTSIDE], "only the new room's state is read");
        same(received.update_state.at(-1).state.map((e) => [e.room_id, e.state_key]), [[OUTSIDE, "_@carol:example.org_C"]], "its state is pushed");
        environment.next("send_event", { ok: { room_id: OUTSIDE, event_id: "$viewed" } });
        same(await widget.sendRoomEvent("org.example.ping", {}), { room_id: OUTSIDE, event_id: "$viewed" }, "a send in the viewed room");
        same(bridge.seen("send_event").at(-1).room_id, OUTSIDE, "sent in the viewed room");
        bridge.call("viewed_room", { room_id: ROOM });

        // ---- toWidget calls: the reference widget's answers ----
        const visible = bridge.next((l) => l.notify === "widget_replied" && l.action === "visibility", "the visibility ack");
        bridge.call("visibility", { visible: false });
        same((await visible).response, {}, "WidgetApi acknowledges visibility");
        const themed = bridge.next((l) => l.notify === "widget_replied" && l.action === "theme_change", "the theme ack");
        bridge.call("theme", { data: { name: "dark" } });
        same((await themed).response, {}, "an application acknowledges theme_change");
        same(received.theme_change, [{ name: "dark" }], "the theme the widget received");
        const language = bridge.next((l) => l.notify === "widget_replied" && l.action === "language_change", "the language answer");
        bridge.call("language", { lang: "fr" });
        same((await language).response, { error: { message: "Unknown or unsupported to-widget action: language_change" } }, "WidgetApi's default error for an unhandled action");
        for (const [name, fields, action] of [
            ["widget_config", { data: { id: "modal", type: "m.custom", url: "https://widget.example.org/modal" } }, "widget_config"],
            ["button_clicked", { id: "org.example.ok" }, "button_clicked"],
            ["close_modal", { data: { done: true } }, "close_modal"],
        ]) {
            const answered = bridge.next((l) => l.notify === "widget_replied" && l.action === action, `the answer to ${action}`);
            bridge.call(name, fields);
            same((await answered).response, { error: { message: `Unknown or unsupported to-widget action: ${action}` } }, `WidgetApi's default answer to ${action}`);
        }
        // No screenshot capability: the host does not ask the widget.
        const noScreenshot = bridge.next((l) => l.notify === "host_error", "the refused screenshot");
        bridge.call("screenshot");
        check(/m\.capability\.screenshot/.test((await noScreenshot).message), "a screenshot needs the capability");
    },
);

// The widget waits for nothing (`waitForIframeLoad: false`): it sends content_loaded.
const environment2 = scriptedEnvironment();
await scenario(
    "host.mjs: content_loaded start",
    { args: ["--widget-id", WIDGET, "--room", ROOM, "--user-id", USER, "--start", "content-loaded"], environment: environment2 },
    async (bridge) => {
        const widget = new WidgetApi(WIDGET);
        widget.requestCapabilities([MatrixCapabilities.AlwaysOnScreen, MatrixCapabilities.Screenshots]);
        const ready = new Promise((resolve) => widget.once("ready", resolve));
        widget.start();
        bridge.call("iframe_loaded");
        // Nothing is asked before content_loaded.
        await widget.getClientVersions();
        same(bridge.seen("approve_capabilities").length, 0, "no negotiation before content_loaded");
        same(await widget.sendContentLoaded(), {}, "content_loaded is acknowledged");
        await ready;
        same(bridge.seen("approve_capabilities")[0].requested, [MatrixCapabilities.AlwaysOnScreen, MatrixCapabilities.Screenshots], "negotiation after content_loaded");
        same(widget.hasCapability(MatrixCapabilities.AlwaysOnScreen), true, "approved");
        denied(await rejection(widget.sendContentLoaded(), "second content_loaded"), /^Improper sequence/, "a second content_loaded");
        // A screenshot the widget does not handle: WidgetApi's default error reaches the application.
        const screenshot = bridge.next((l) => l.notify === "widget_replied" && l.action === "screenshot", "the screenshot answer");
        bridge.call("screenshot");
        same((await screenshot).response, { error: { message: "Unknown or unsupported to-widget action: screenshot" } }, "the reference widget's answer to screenshot");
        // Symbols.AnyRoom was not requested: reading any room is denied.
        denied(await rejection(widget.readRoomEvents("m.room.message", 1, undefined, [Symbols.AnyRoom]), "any room"), /capabilit|room/i, "reading all rooms without the capability");
    },
);
