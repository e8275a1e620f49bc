// Live scenario 3: the real matrix-widget-api `ClientWidgetApi` (the host, what Element Web
// runs) ⇄ the Rust widget session (`widget-api widget`), with node as the host application:
// a stub `WidgetDriver` that records every call and answers deterministically.
//
// The Rust widget negotiates (the host's `capabilities` answered, `notify_capabilities`
// received, `supported_api_versions` both ways, `content_loaded` when the host does not
// wait for the iframe's load, MSC2974 renegotiation), sends every fromWidget request
// `ClientWidgetApi` answers in both namings — where the reference only knows the unstable
// name, the stable one must get exactly the reference's refusal and never reach the driver
// — and receives every toWidget request the reference sends (pushed events, state updates,
// to-device messages, TURN servers, OpenID credentials, theme, language, visibility,
// screenshot, modal config, button clicks, modal close), answering as the application
// says or as the reference `WidgetApi` does by default. Each `reply` line of the Rust widget
// (the host's reply, decoded into its typed response and written again) must equal what
// `ClientWidgetApi` posted and what the driver answered; each `received` line (a host
// request, decoded and written again) what `ClientWidgetApi` sent. See bridge.mjs for what
// every message goes through (Ajv, the Rust types, the transcript on failure).
//
// Run by `cargo xtask live` (and `cargo xtask ci`); by hand: `node live/widget.mjs` after
// `cargo build -p matrix-widget-api-cli`.
import { ClientWidgetApi, CurrentApiVersions, MatrixCapabilities, Widget, WidgetApiResponseError, WidgetDriver } from "matrix-widget-api";
import { format } from "node:util";
import { check, rejection, same, scenario } from "./bridge.mjs";

const WIDGET = "rust-widget";
const USER = "@alice:example.org";
const DEVICE = "ALICEDEV";
const ROOM = "!live:example.org";
const OTHER = "!other:example.org";
const OUTSIDE = "!outside:example.org";
const MEMBER = "org.matrix.msc3401.call.member";
const MEMBER_KEY = `_${USER}_${DEVICE}`;
const DENIED = "org.matrix.msc2762.send.event:org.example.denied";
// A capability in its stable spelling: the driver approves it, but ClientWidgetApi 1.19
// only parses the unstable prefixes, so it grants nothing.
const STABLE_CAP = "m.send.event:org.example.stable";
const NAVIGATE = MatrixCapabilities.MSC2931Navigate;
const WIDGET_URL = "https://widget.example.org/widget.html";

// ClientWidgetApi reports through console.debug/warn/error (a widget's error reply to a
// push, a driver failure): into the transcript, as the host's side of it.
// Its debug chatter stays out.
let logTo = null;
console.debug = console.info = () => {};
for (const name of ["warn", "error"]) {
    console[name] = (...args) => logTo?.transcript.push({ dir: `host ${name}`, text: format(...args).split("\n")[0] });
}

let serial = 0;
const event = (type, fields = {}) => ({
    type,
    sender: "@bob:example.org",
    event_id: `$${type.replace(/\W/g, "")}-${++serial}`,
    room_id: ROOM,
    origin_server_ts: 1_700_000_000_000 + serial,
    content: {},
    unsigned: {},
    ...fields,
});

/** A Matrix HTTP error as a driver throws it; `processError` turns it into `matrix_api_error`. */
class MatrixHttpError extends Error {
    constructor(status, errcode, url) {
        super(`${status} ${errcode}`);
        this.matrixApiError = { http_status: status, http_headers: {}, url, response: { errcode, error: `the homeserver says ${errcode}` } };
    }
}

/**
 * TURN servers as an `AsyncGenerator` the test feeds (`push`): `return()` ends it at once,
 * even while the host waits for the next value, as a client's event-driven source does.
 */
function turnSource(record) {
    const queue = [];
    let waiting = null;
    let done = false;
    const source = {
        next: () => {
            if (queue.length > 0) return Promise.resolve({ value: queue.shift(), done: false });
            if (done) return Promise.resolve({ value: undefined, done: true });
            return new Promise((resolve) => (waiting = resolve));
        },
        return: (value) => {
            record("turnServers.return");
            done = true;
            waiting?.({ value: undefined, done: true });
            waiting = null;
            return Promise.resolve({ value, done: true });
        },
        throw: (e) => Promise.reject(e),
        [Symbol.asyncIterator]: () => source,
        push: (server) => {
            if (waiting) {
                const resolve = waiting;
                waiting = null;
                resolve({ value: server, done: false });
            } else {
                queue.push(server);
            }
        },
    };
    return source;
}

/** The host application's half: records every call, answers deterministically. */
class StubDriver extends WidgetDriver {
    constructor({ decline = [], state = {}, sticky = {} } = {}) {
        super();
        this.calls = [];
        this.decline = new Set(decline);
        this.state = state;
        this.sticky = sticky;
        this.openid = [];
        this.pendingOpenId = null;
        this.turn = null;
        this.count = 0;
    }
    record(name, ...args) {
        // As the driver saw them: `undefined` arguments stay visible.
        this.calls.push([name, ...args.map((a) => (a instanceof Set ? [...a] : a))]);
    }
    /** The calls since the last `take()`. */
    take() {
        const calls = this.calls;
        this.calls = [];
        return calls;
    }
    validateCapabilities(requested) {
        this.record("validateCapabilities", requested);
        return Promise.resolve(new Set([...requested].filter((c) => !this.decline.has(c))));
    }
    sendEvent(type, content, stateKey, roomId) {
        this.record("sendEvent", type, content, stateKey, roomId);
        if (content?.fail) return Promise.reject(new MatrixHttpError(403, "M_FORBIDDEN", "https://matrix.example.org/send"));
        return Promise.resolve({ roomId: roomId ?? ROOM, eventId: `$sent-${++this.count}` });
    }
    sendStickyEvent(duration, type, content, roomId) {
        this.record("sendStickyEvent", duration, type, content, roomId);
        return Promise.resolve({ roomId: roomId ?? ROOM, eventId: `$sticky-${++this.count}` });
    }
    sendDelayedEvent(delay, type, content, stateKey, roomId) {
        this.record("sendDelayedEvent", delay, type, content, stateKey, roomId);
        return Promise.resolve({ roomId: roomId ?? ROOM, delayId: `syd_${++this.count}` });
    }
    sendDelayedStickyEvent(delay, duration, type, content, roomId) {
        this.record("sendDelayedStickyEvent", delay, duration, type, content, roomId);
        return Promise.resolve({ roomId: roomId ?? ROOM, delayId: `syd_${++this.count}` });
    }
    updateDelayed(name, delayId) {
        this.record(name, delayId);
        if (delayId === "syd_gone") {
            return Promise.reject(new MatrixHttpError(404, "M_NOT_FOUND", `https://matrix.example.org/_matrix/client/unstable/org.matrix.msc4140/delayed_events/${delayId}`));
        }
        return Promise.resolve();
    }
    cancelScheduledDelayedEvent(delayId) {
        return this.updateDelayed("cancelScheduledDelayedEvent", delayId);
    }
    restartScheduledDelayedEvent(delayId) {
        return this.updateDelayed("restartScheduledDelayedEvent", delayId);
    }
    sendScheduledDelayedEvent(delayId) {
        return this.updateDelayed("sendScheduledDelayedEvent", delayId);
    }
    sendToDevice(type, encrypted, messages) {
        this.record("sendToDevice", type, encrypted, messages);
        return Promise.resolve();
    }
    readRoomAccountData(type) {
        this.record("readRoomAccountData", type);
        return Promise.resolve([{ type, room_id: ROOM, content: { answer: 42 } }]);
    }
    readRoomTimeline(roomId, type, msgtype, stateKey, limit, since) {
        this.record("readRoomTimeline", roomId, type, msgtype, stateKey, limit, since);
        const fields = { room_id: roomId, content: msgtype ? { msgtype, body: "hi" } : { n: 1 } };
        if (stateKey !== undefined || type === MEMBER) fields.state_key = stateKey ?? MEMBER_KEY;
        // Without `unsigned`, as a client may hold an event.
        const { unsigned: _, ...bare } = event(type, fields);
        return Promise.resolve([bare]);
    }
    readRoomState(roomId, type, stateKey) {
        this.record("readRoomState", roomId, type, stateKey);
        return Promise.resolve(this.state[roomId] ?? []);
    }
    readStickyEvents(roomId) {
        this.record("readStickyEvents", roomId);
        return Promise.resolve(this.sticky[roomId] ?? []);
    }
    readEventRelations(eventId, roomId, relType, eventType, from, to, limit, direction) {
        this.record("readEventRelations", eventId, roomId, relType, eventType, from, to, limit, direction);
        const relates = { "m.relates_to": { rel_type: "m.annotation", event_id: eventId, key: "👍" } };
        return Promise.resolve({
            chunk: [
                event("org.example.ping", { room_id: roomId ?? ROOM, content: relates }),
                // Not receivable by the widget: ClientWidgetApi filters it out.
                event("org.example.secret", { room_id: roomId ?? ROOM, content: relates }),
            ],
            nextBatch: "next_1",
            prevBatch: "prev_1",
        });
    }
    askOpenID(observer) {
        const how = this.openid.shift() ?? "silent";
        this.record("askOpenID", how);
        const token = { access_token: "openid-token", expires_in: 3600, matrix_server_name: "example.org", token_type: "Bearer" };
        if (how === "allowed") observer.update({ state: "allowed", token });
        else if (how === "invalid") observer.update({ state: "allowed" });
        else if (how === "pending") {
            observer.update({ state: "request" });
            this.pendingOpenId = { allow: () => observer.update({ state: "allowed", token }), block: () => observer.update({ state: "blocked" }) };
        } else if (how === "blocked") observer.update({ state: "blocked" });
        // "silent": the user never answers, and ClientWidgetApi never replies.
    }
    navigate(uri) {
        this.record("navigate", uri);
        return Promise.resolve();
    }
    getTurnServers() {
        this.record("getTurnServers");
        this.turn = turnSource((name) => this.record(name));
        this.turn.push({ uris: ["turn:turn.example.org:3478"], username: "u1", password: "p1" });
        return this.turn;
    }
    searchUserDirectory(term, limit) {
        this.record("searchUserDirectory", term, limit);
        return Promise.resolve({
            limited: true,
            results: [{ userId: "@bob:example.org", displayName: "Bob", avatarUrl: "mxc://example.org/bob" }, { userId: "@bobby:example.org" }],
        });
    }
    getMediaConfig() {
        this.record("getMediaConfig");
        return Promise.resolve({ "m.upload.size": 52428800 });
    }
    getRtcTransports() {
        this.record("getRtcTransports");
        return Promise.resolve({ rtc_transports: [{ type: "livekit", livekit_service_url: "https://sfu.example.org" }] });
    }
    uploadFile(file) {
        this.record("uploadFile", file);
        return Promise.resolve({ contentUri: "mxc://example.org/uploaded" });
    }
    downloadFile(uri) {
        this.record("downloadFile", uri);
        return Promise.resolve({ file: "aGVsbG8=" });
    }
    getRtcLivekitToken(data) {
        this.record("getRtcLivekitToken", data);
        return Promise.resolve({ jwt: "eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl" });
    }
    delegateRtcLivekitDelayedLeave(data) {
        this.record("delegateRtcLivekitDelayedLeave", data);
        return Promise.resolve({});
    }
    getKnownRooms() {
        this.record("getKnownRooms");
        return [ROOM, OTHER, OUTSIDE];
    }
    processError(e) {
        return e?.matrixApiError ? { matrix_api_error: e.matrixApiError } : undefined;
    }
}

/** The Rust widget's conversation, seen from node: requests by tag, pushes by action. */
class Conversation {
    constructor(bridge, driver) {
        this.bridge = bridge;
        this.driver = driver;
        this.tags = 0;
    }

    /**
     * The index in `bridge.messages` of the latest message to `to` with `requestId`, a reply
     * (`response`) or a request, at or after `from`. The latest: ClientWidgetApi's request IDs
     * (`widgetapi-<Date.now()>`) are unique only while a request is outstanding.
     */
    find(to, requestId, reply, from = 0) {
        const messages = this.bridge.messages;
        for (let i = messages.length - 1; i >= from; i--) {
            const m = messages[i];
            if (m.to === to && m.message.requestId === requestId && "response" in m.message === reply) return i;
        }
        return -1;
    }

    /** The latest message to `to` with `requestId` (see `find`). */
    crossed(to, requestId, reply) {
        const at = this.find(to, requestId, reply);
        check(at >= 0, `no ${reply ? "reply" : "request"} ${requestId} crossed to the ${to}`);
        return this.bridge.messages[at].message;
    }

    /**
     * The Rust widget sends `action` (verbatim) with `data`; resolves with its `reply` line
     * and the response `ClientWidgetApi` posted.
     */
    async ask(action, data = {}) {
        const tag = `t${++this.tags}`;
        this.bridge.write({ send: { action, data }, tag });
        return this.outcome(tag, action);
    }

    /** The reply line tagged `tag`, checked against the request the Rust widget sent. */
    async outcome(tag, action) {
        const sent = await this.bridge.line((l) => l.tag === tag && "to_host" in l, `the Rust widget to send ${action} (${tag})`);
        const reply = await this.bridge.line((l) => l.tag === tag && "reply" in l, `the Rust widget's reply line for ${action} (${tag})`);
        same(sent.to_host.action, action, `${tag}: the action string is sent verbatim`);
        same(reply.reply, sent.to_host.requestId, `${tag}: the reply names the request`);
        same(reply.action, action, `${tag}: the reply's action`);
        const posted = this.crossed("widget", sent.to_host.requestId, true);
        same(posted.data, sent.to_host.data, `${tag}: ClientWidgetApi's reply echoes the request`);
        return { request: sent.to_host, reply, posted: posted.response };
    }

    /** `action` succeeds: the host posted `expected`, the Rust widget decoded exactly it. */
    async answered(action, data, expected, calls, what = action) {
        const { reply, posted } = await this.ask(action, data);
        same(posted, expected, `${what}: what ClientWidgetApi answered`);
        check("ok" in reply, `${what}: the Rust widget read an error: ${JSON.stringify(reply)}`);
        same(reply.ok, expected, `${what}: the reply as the Rust widget decoded it`);
        if (calls !== undefined) same(this.driver.take(), calls, `${what}: the driver's calls`);
        return reply.ok;
    }

    /** `action` fails with `error` (`{message, …}`), decoded exactly by the Rust widget. */
    async failed(action, data, error, calls, what = action) {
        const { reply, posted } = await this.ask(action, data);
        same(posted, { error }, `${what}: what ClientWidgetApi answered`);
        check("error" in reply, `${what}: the Rust widget read a success: ${JSON.stringify(reply)}`);
        same(reply.error, error, `${what}: the error as the Rust widget decoded it`);
        if (calls !== undefined) same(this.driver.take(), calls, `${what}: the driver's calls`);
    }

    /** The reference does not know the name `action`: its refusal, and the driver never asked. */
    refused(action, data) {
        return this.failed(action, data, { message: `Unknown or unsupported from-widget action: ${action}` }, [], `${action} (a name ClientWidgetApi 1.19 does not know)`);
    }

    /**
     * The host sent toWidget `action`: the Rust widget's `received` line carries what
     * ClientWidgetApi posted, decoded and written again. With `answer` (the application
     * handles it), answers it. Resolves with the received line and the reply posted.
     */
    async push(action, answer) {
        const received = await this.bridge.line((l) => l.received === action, `the Rust widget to receive ${action}`);
        const at = this.find("widget", received.request_id, false);
        check(at >= 0, `no request ${received.request_id} crossed to the widget`);
        const request = this.bridge.messages[at].message;
        same(received.data, request.data, `${action}: the received line holds what ClientWidgetApi sent`);
        if (answer !== undefined) {
            same(received.answer, "application", `${action}: left to the application`);
            this.bridge.write({ answer: received.request_id, ...answer });
        } else {
            same(received.answer, "auto", `${action}: answered by the session`);
        }
        await this.bridge.until(() => this.find("host", received.request_id, true, at) >= 0, `the Rust widget's reply to ${action}`);
        const reply = this.crossed("host", received.request_id, true);
        same(reply.data, request.data, `${action}: the reply echoes the request`);
        return { received, request, response: reply.response };
    }
}

/** A rejection with the widget's error: a `WidgetApiResponseError` with `message`. */
function widgetError(error, message, what) {
    check(error instanceof WidgetApiResponseError, `${what}: expected a WidgetApiResponseError, got ${error?.stack ?? error}`);
    same(error.message, message, `${what}: the widget's error`);
}

/**
 * The end of a conversation: every `reply` and `received` line of the Rust widget was
 * checked by the scenario, and the Rust widget saw nothing wrong (no host message it
 * ignored, no reply it could not decode, no request that timed out).
 */
function finish(bridge) {
    const unchecked = bridge.lines.filter((l, i) => ("reply" in l || "received" in l) && !bridge.claimed.has(i));
    same(unchecked, [], "reply and received lines no assertion looked at");
    const wrong = bridge.lines.filter((l, i) => "notify" in l && !["ready", "capabilities"].includes(l.notify) && !bridge.claimed.has(i));
    same(wrong, [], "the Rust widget's notifications other than ready and capabilities");
}

const unsupported = (action) => `Unknown or unsupported to-widget action: ${action}`;

// ---------------------------------------------------------------------------------------
// 1. waitForIframeLoad (the default): negotiation, every fromWidget request, every push.
// ---------------------------------------------------------------------------------------
const CAPS = [
    "org.matrix.msc2762.send.event:org.example.ping",
    "org.matrix.msc2762.receive.event:org.example.ping",
    "org.matrix.msc2762.send.event:m.room.message#m.text",
    "org.matrix.msc2762.receive.event:m.room.message#m.text",
    `org.matrix.msc2762.send.state_event:${MEMBER}#${MEMBER_KEY}`,
    `org.matrix.msc2762.receive.state_event:${MEMBER}`,
    `org.matrix.msc2762.timeline:${ROOM}`,
    `org.matrix.msc2762.timeline:${OTHER}`,
    "org.matrix.msc3819.send.to_device:org.example.tdm",
    "org.matrix.msc3819.receive.to_device:org.example.tdm",
    "com.beeper.capabilities.receive.room_account_data:org.example.acct",
    MatrixCapabilities.MSC4157SendDelayedEvent,
    MatrixCapabilities.MSC4157UpdateDelayedEvent,
    MatrixCapabilities.MSC4407SendStickyEvent,
    MatrixCapabilities.MSC4407ReceiveStickyEvent,
    MatrixCapabilities.StickerSending,
    MatrixCapabilities.AlwaysOnScreen,
    MatrixCapabilities.MSC3846TurnServers,
    MatrixCapabilities.MSC3973UserDirectorySearch,
    MatrixCapabilities.MSC4039UploadFile,
    MatrixCapabilities.MSC4039DownloadFile,
    MatrixCapabilities.MSC4515RtcTransports,
    MatrixCapabilities.MSC4533RtcLivekitGetToken,
    MatrixCapabilities.MSC4533RtcLivekitDelegateDelayedLeave,
    STABLE_CAP,
    DENIED,
];
const APPROVED = CAPS.filter((c) => c !== DENIED);
// The toWidget actions the Rust widget's application answers itself, and those it acknowledges.
const HANDLED = ["theme_change", "language_change", "screenshot", "widget_config", "button_clicked", "close_modal"];
const ACKED = ["send_event", "update_state", "send_to_device"];

const bobMember = event(MEMBER, { state_key: "_@bob:example.org_BOB", content: { application: "m.call" } });
const stickyPing = event("org.example.ping", { content: { sticky: true }, sticky: { duration_ms: 60000 } });
const driver = new StubDriver({ decline: [DENIED], state: { [ROOM]: [bobMember] }, sticky: { [ROOM]: [stickyPing] } });

await scenario(
    "widget.mjs: ClientWidgetApi ⇄ widget-api widget",
    {
        command: "widget",
        args: ["--widget-id", WIDGET, ...CAPS.flatMap((c) => ["--capability", c]), ...HANDLED.flatMap((a) => ["--handle", a]), ...ACKED.flatMap((a) => ["--ack", a])],
    },
    async (bridge) => {
        logTo = bridge;
        const talk = new Conversation(bridge, driver);
        const host = new ClientWidgetApi(new Widget({ id: WIDGET, creatorUserId: USER, type: "m.custom", url: WIDGET_URL }), bridge.iframe, driver);
        host.setViewedRoomId(ROOM);
        const hostReady = new Promise((resolve) => host.once("ready", resolve));
        const preparing = [];
        host.on("error:preparing", (e) => preparing.push(e));

        // ---- negotiation ----
        // The widget's document loads: the Rust widget asks the host's versions first.
        bridge.call("iframe_loaded");
        const versions = await bridge.line((l) => l.reply !== undefined && l.action === "supported_api_versions", "the host's versions");
        same(versions.ok, { supported_versions: CurrentApiVersions }, "supported_api_versions (fromWidget): the Rust widget decodes ClientWidgetApi's versions");
        // Then the iframe's load event: ClientWidgetApi asks for capabilities.
        bridge.iframe.fireLoad();
        const asked = await talk.push("capabilities");
        same(asked.response, { capabilities: CAPS }, "the Rust widget answers capabilities with what it requests, as spelled");
        await hostReady;
        const notified = await talk.push("notify_capabilities");
        same(notified.request.data, { requested: CAPS, approved: APPROVED }, "notify_capabilities");
        same(notified.response, {}, "notify_capabilities is acknowledged");
        await bridge.line((l) => l.notify === "capabilities" && l.requested === CAPS.length && l.approved === APPROVED.length, "the capabilities notification");
        await bridge.line((l) => l.notify === "ready", "the Rust widget to be ready");
        for (const c of APPROVED) check(host.hasCapability(c), `ClientWidgetApi granted ${c}`);
        check(!host.hasCapability(DENIED), "the declined capability is not granted");
        // ClientWidgetApi asks the widget's versions (for update_state) and pushes the state
        // of the timeline rooms, and the sticky events.
        const widgetVersions = await talk.push("supported_api_versions");
        same(widgetVersions.response.supported_versions, CurrentApiVersions, "the Rust widget's versions: what the reference WidgetApi answers");
        const initialState = await talk.push("update_state");
        same(initialState.request.data, { state: [bobMember] }, "the initial update_state push");
        same(initialState.response, {}, "the initial update_state is acknowledged (--ack)");
        // Sent after the versions arrived, so they are cached now.
        same(await host.getWidgetVersions(), widgetVersions.response.supported_versions, "getWidgetVersions(): the Rust widget's versions");
        const stickyPush = await talk.push("send_event");
        same(stickyPush.request.data, stickyPing, "the sticky event pushed after negotiation");
        same(driver.take(), [
            ["validateCapabilities", CAPS],
            ["readRoomState", ROOM, MEMBER, undefined],
            ["readRoomState", OTHER, MEMBER, undefined],
            ["readStickyEvents", ROOM],
            ["readStickyEvents", OTHER],
        ], "the driver's calls during negotiation");

        // content_loaded although the host waits for the iframe's load: the reference's error.
        bridge.write({ call: "content_loaded", tag: "loaded" });
        const loaded = await talk.outcome("loaded", "content_loaded");
        same(loaded.reply.error, { message: "Improper sequence: not expecting ContentLoaded event if waitForIframeLoad is true (default=true)" }, "content_loaded with waitForIframeLoad");

        // supported_api_versions asked again by the application: the same answer.
        await talk.answered("supported_api_versions", {}, { supported_versions: CurrentApiVersions }, []);

        // ---- send_event ----
        const text = { msgtype: "m.text", body: "hello" };
        await talk.answered("send_event", { type: "m.room.message", content: text }, { room_id: ROOM, event_id: "$sent-1" }, [["sendEvent", "m.room.message", text, null, undefined]], "a room message");
        await talk.answered("send_event", { type: "org.example.ping", content: { n: 1 }, room_id: OTHER }, { room_id: OTHER, event_id: "$sent-2" }, [["sendEvent", "org.example.ping", { n: 1 }, null, OTHER]], "an event in another room");
        await talk.answered("send_event", { type: MEMBER, state_key: MEMBER_KEY, content: { application: "m.call" } }, { room_id: ROOM, event_id: "$sent-3" }, [["sendEvent", MEMBER, { application: "m.call" }, MEMBER_KEY, undefined]], "a state event");
        const leave = await talk.answered("send_event", { type: MEMBER, state_key: MEMBER_KEY, content: {}, delay: 8000 }, { room_id: ROOM, delay_id: "syd_4" }, [["sendDelayedEvent", 8000, MEMBER, {}, MEMBER_KEY, undefined]], "a delayed state event");
        await talk.answered("send_event", { type: "org.example.ping", content: { n: 2 }, delay: 1500, room_id: OTHER }, { room_id: OTHER, delay_id: "syd_5" }, [["sendDelayedEvent", 1500, "org.example.ping", { n: 2 }, null, OTHER]], "a delayed room event");
        await talk.answered("send_event", { type: "org.example.ping", content: { n: 3 }, sticky_duration_ms: 60000 }, { room_id: ROOM, event_id: "$sticky-6" }, [["sendStickyEvent", 60000, "org.example.ping", { n: 3 }, undefined]], "a sticky event");
        await talk.answered("send_event", { type: "org.example.ping", content: { n: 4 }, sticky_duration_ms: 60000, delay: 2000 }, { room_id: ROOM, delay_id: "syd_7" }, [["sendDelayedStickyEvent", 2000, 60000, "org.example.ping", { n: 4 }, undefined]], "a sticky, delayed event");
        await talk.failed("send_event", { type: "org.example.denied", content: {} }, { message: "Cannot send room events of this type" }, [], "a send the host declined");
        await talk.failed("send_event", { type: "org.example.stable", content: {} }, { message: "Cannot send room events of this type" }, [], `a send granted only as ${STABLE_CAP} (a stable capability name)`);
        await talk.failed("send_event", { type: "org.example.ping", content: {}, room_id: OUTSIDE }, { message: `Unable to access room timeline: ${OUTSIDE}` }, [], "a send outside the timeline capabilities");
        await talk.failed("send_event", { type: "org.example.ping", content: { fail: true } }, { message: "Error sending event", matrix_api_error: new MatrixHttpError(403, "M_FORBIDDEN", "https://matrix.example.org/send").matrixApiError }, [["sendEvent", "org.example.ping", { fail: true }, null, undefined]], "a send the homeserver refuses");

        // ---- update_delayed_event (MSC4157): the unstable name, then the stable and legacy ones ----
        for (const action of ["restart", "cancel", "send"]) {
            const method = { restart: "restartScheduledDelayedEvent", cancel: "cancelScheduledDelayedEvent", send: "sendScheduledDelayedEvent" }[action];
            await talk.answered("org.matrix.msc4157.update_delayed_event", { delay_id: leave.delay_id, action }, {}, [[method, leave.delay_id]], `update_delayed_event ${action}`);
        }
        const gone = new MatrixHttpError(404, "M_NOT_FOUND", "https://matrix.example.org/_matrix/client/unstable/org.matrix.msc4140/delayed_events/syd_gone").matrixApiError;
        await talk.failed("org.matrix.msc4157.update_delayed_event", { delay_id: "syd_gone", action: "restart" }, { message: "Error updating delayed event", matrix_api_error: gone }, [["restartScheduledDelayedEvent", "syd_gone"]], "a restart of a delayed event the homeserver lost");
        await talk.failed("org.matrix.msc4157.update_delayed_event", { delay_id: leave.delay_id, action: "refresh" }, { message: "Invalid request - unsupported action" }, [], "the legacy `refresh` update action");
        await talk.refused("update_delayed_event", { delay_id: leave.delay_id, action: "restart" });
        await talk.refused("org.matrix.msc4157.update.delayed_event", { delay_id: leave.delay_id, action: "restart" });

        // ---- send_to_device ----
        const messages = { [USER]: { [DEVICE]: { hello: "world" } } };
        await talk.answered("send_to_device", { type: "org.example.tdm", encrypted: false, messages }, {}, [["sendToDevice", "org.example.tdm", false, messages]]);
        await talk.answered("send_to_device", { type: "org.example.tdm", encrypted: true, messages }, {}, [["sendToDevice", "org.example.tdm", true, messages]], "an encrypted to-device message");
        await talk.failed("send_to_device", { type: "org.example.other", encrypted: false, messages }, { message: "Cannot send to-device events of this type" }, []);

        // ---- reads ----
        const read = async (action, data, calls, what) => {
            const { reply, posted } = await talk.ask(action, data);
            check("ok" in reply, `${what}: the Rust widget read an error: ${JSON.stringify(reply)}`);
            same(reply.ok, posted, `${what}: the reply as the Rust widget decoded it`);
            same(driver.take(), calls, `${what}: the driver's calls`);
            return posted;
        };
        let events = await read("org.matrix.msc2876.read_events", { type: "org.example.ping" }, [["readRoomTimeline", ROOM, "org.example.ping", undefined, undefined, 0, undefined]], "read_events in the viewed room");
        same(events.events.map((e) => e.type), ["org.example.ping"], "read_events: the driver's events");
        events = await read("org.matrix.msc2876.read_events", { type: MEMBER, state_key: true, room_ids: [ROOM, OTHER], limit: 5 }, [
            ["readRoomTimeline", ROOM, MEMBER, undefined, undefined, 5, undefined],
            ["readRoomTimeline", OTHER, MEMBER, undefined, undefined, 5, undefined],
        ], "read_events of state in two rooms");
        same(events.events.map((e) => e.room_id), [ROOM, OTHER], "read_events: one event per room");
        await read("org.matrix.msc2876.read_events", { type: "m.room.message", msgtype: "m.text", room_ids: "*", since: "$since" }, [
            ["getKnownRooms"],
            ["readRoomTimeline", ROOM, "m.room.message", "m.text", undefined, 0, "$since"],
            ["readRoomTimeline", OTHER, "m.room.message", "m.text", undefined, 0, "$since"],
        ], "read_events in every room the widget may read");
        await talk.failed("org.matrix.msc2876.read_events", { type: "org.example.secret" }, { message: "Cannot read room events of this type" }, []);
        await talk.failed("org.matrix.msc2876.read_events", { type: "org.example.ping", room_ids: [OUTSIDE] }, { message: `Unable to access room timeline: ${OUTSIDE}` }, []);
        await talk.refused("read_events", { type: "org.example.ping" });

        const relations = await read("org.matrix.msc3869.read_relations", { event_id: "$root", room_id: ROOM, rel_type: "m.annotation", event_type: "org.example.ping", limit: 10, from: "from_1", direction: "b" }, [
            ["readEventRelations", "$root", ROOM, "m.annotation", "org.example.ping", "from_1", undefined, 10, "b"],
        ], "read_relations");
        same(relations.chunk.map((e) => e.type), ["org.example.ping"], "read_relations: the host filters what the widget may not receive");
        same([relations.prev_batch, relations.next_batch], ["prev_1", "next_1"], "read_relations: the batches");
        await talk.failed("org.matrix.msc3869.read_relations", { event_id: "$root", room_id: OUTSIDE }, { message: `Unable to access room timeline: ${OUTSIDE}` }, []);
        await talk.refused("read_relations", { event_id: "$root" });

        await talk.answered("com.beeper.read_room_account_data", { type: "org.example.acct" }, { events: [{ type: "org.example.acct", room_id: ROOM, content: { answer: 42 } }] }, [["readRoomAccountData", "org.example.acct"]]);
        await talk.failed("com.beeper.read_room_account_data", { type: "org.example.other" }, { message: "Cannot read room account data of this type" }, [["readRoomAccountData", "org.example.other"]]);

        // ---- the user directory, media, RTC ----
        const directory = { limited: true, results: [{ user_id: "@bob:example.org", display_name: "Bob", avatar_url: "mxc://example.org/bob" }, { user_id: "@bobby:example.org" }] };
        await talk.answered("org.matrix.msc3973.user_directory_search", { search_term: "bob", limit: 2 }, directory, [["searchUserDirectory", "bob", 2]]);
        await talk.refused("user_directory_search", { search_term: "bob" });
        await talk.answered("org.matrix.msc4039.get_media_config", {}, { "m.upload.size": 52428800 }, [["getMediaConfig"]]);
        await talk.refused("get_media_config", {});
        await talk.answered("org.matrix.msc4039.upload_file", { file: "aGVsbG8=" }, { content_uri: "mxc://example.org/uploaded" }, [["uploadFile", "aGVsbG8="]]);
        await talk.refused("upload_file", { file: "aGVsbG8=" });
        await talk.answered("org.matrix.msc4039.download_file", { content_uri: "mxc://example.org/uploaded" }, { file: "aGVsbG8=" }, [["downloadFile", "mxc://example.org/uploaded"]]);
        await talk.refused("download_file", { content_uri: "mxc://example.org/uploaded" });
        await talk.answered("org.matrix.msc4515.get_rtc_transports", {}, { rtc_transports: [{ type: "livekit", livekit_service_url: "https://sfu.example.org" }] }, [["getRtcTransports"]]);
        await talk.refused("get_rtc_transports", {});
        const member = { id: `${USER}:${DEVICE}`, claimed_device_id: DEVICE };
        const tokenRequest = { server_name: "example.org", url: "https://sfu.example.org", room_id: ROOM, slot_id: "m.call#ROOM", member };
        await talk.answered("org.matrix.msc4533.rtc_livekit_get_token", tokenRequest, { jwt: "eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl" }, [["getRtcLivekitToken", tokenRequest]]);
        const delegate = { room_id: ROOM, slot_id: "m.call#ROOM", member, delay_id: leave.delay_id };
        await talk.answered("org.matrix.msc4533.rtc_livekit_delegate_delayed_leave", delegate, {}, [["delegateRtcLivekitDelayedLeave", delegate]]);

        // ---- navigate, then MSC2974 renegotiation for it ----
        await talk.failed("org.matrix.msc2931.navigate", { uri: "https://matrix.to/#/!live:example.org" }, { message: "Missing capability" }, [], "navigate before the capability");
        await talk.refused("request_capabilities", { capabilities: [NAVIGATE] });
        bridge.write({ call: "request_capabilities", capabilities: [NAVIGATE], tag: "more" });
        const more = await talk.outcome("more", "org.matrix.msc2974.request_capabilities");
        same(more.request.data, { capabilities: [...CAPS, NAVIGATE] }, "request_capabilities asks for everything the widget wants, as the reference WidgetApi does");
        same(more.reply.ok, {}, "request_capabilities is acknowledged");
        const renotified = await talk.push("notify_capabilities");
        same(renotified.request.data, { requested: [DENIED, NAVIGATE], approved: [...APPROVED, NAVIGATE] }, "notify_capabilities after renegotiation: what was newly requested, and everything approved");
        await bridge.line((l) => l.notify === "capabilities" && l.requested === 2 && l.approved === APPROVED.length + 1, "the second capabilities notification");
        same(driver.take(), [["validateCapabilities", [DENIED, NAVIGATE]]], "the driver is asked about what is new");
        check(host.hasCapability(NAVIGATE), "navigate is granted");
        await talk.answered("org.matrix.msc2931.navigate", { uri: "https://matrix.to/#/!live:example.org" }, {}, [["navigate", "https://matrix.to/#/!live:example.org"]]);
        await talk.failed("org.matrix.msc2931.navigate", { uri: "https://example.org/" }, { message: "Invalid matrix.to URI" }, []);
        await talk.refused("navigate", { uri: "https://matrix.to/#/!live:example.org" });

        // ---- OpenID: allowed, blocked, an invalid token, and asked then allowed ----
        const token = { access_token: "openid-token", expires_in: 3600, matrix_server_name: "example.org", token_type: "Bearer" };
        driver.openid.push("allowed", "blocked", "invalid", "pending");
        await talk.answered("get_openid", {}, { state: "allowed", ...token }, [["askOpenID", "allowed"]], "get_openid allowed");
        await talk.answered("get_openid", {}, { state: "blocked" }, [["askOpenID", "blocked"]], "get_openid blocked");
        await talk.failed("get_openid", {}, { message: "client provided invalid OIDC token for an allowed request" }, [["askOpenID", "invalid"]], "get_openid with an allowed state but no token");
        const pending = await talk.answered("get_openid", {}, { state: "request" }, [["askOpenID", "pending"]], "get_openid pending the user's confirmation");
        check(pending, "the pending reply");
        const pendingRequest = talk.crossed("host", bridge.replies.at(-1).reply, false);
        driver.pendingOpenId.allow();
        const credentials = await talk.push("openid_credentials");
        same(credentials.request.data, { state: "allowed", original_request_id: pendingRequest.requestId, ...token }, "openid_credentials for the pending request");
        same(credentials.response, {}, "the Rust widget acknowledges the credentials it waits for");

        // ---- TURN servers ----
        await talk.answered("watch_turn_servers", {}, {}, [["getTurnServers"]]);
        const firstTurn = await talk.push("update_turn_servers");
        same(firstTurn.request.data, { uris: ["turn:turn.example.org:3478"], username: "u1", password: "p1" }, "the first TURN servers");
        same(firstTurn.response, {}, "update_turn_servers acknowledged while watching");
        driver.turn.push({ uris: ["turns:turn.example.org:5349"], username: "u2", password: "p2" });
        const secondTurn = await talk.push("update_turn_servers");
        same(secondTurn.request.data, { uris: ["turns:turn.example.org:5349"], username: "u2", password: "p2" }, "refreshed TURN servers");
        same(secondTurn.response, {}, "the refresh acknowledged");
        await talk.answered("watch_turn_servers", {}, {}, [], "watch_turn_servers again (a no-op)");
        await talk.answered("unwatch_turn_servers", {}, {}, [["turnServers.return"]]);
        await talk.answered("unwatch_turn_servers", {}, {}, [], "unwatch_turn_servers again (a no-op)");

        // ---- actions ClientWidgetApi leaves to the host application ----
        const sticker = { name: "Cat", description: "A cat sticker", content: { url: "mxc://example.org/cat", info: { h: 256, w: 256, mimetype: "image/png", size: 4096 } } };
        const modal = { type: "m.custom", url: "https://widget.example.org/modal.html", name: "Confirm", buttons: [{ id: "com.example.ok", label: "OK", kind: "m.primary" }], data: { title: "Sure?" } };
        const leftToApp = [
            ["m.sticker", sticker, {}],
            ["set_always_on_screen", { value: true }, { success: true }],
            ["open_modal", modal, {}],
            ["set_button_enabled", { button: "com.example.ok", enabled: false }, {}],
            ["close_modal", { "m.exited": true }, {}],
        ];
        for (const [action, data] of leftToApp) await talk.refused(action, data);
        // The host application handles them (as Element Web does).
        const handledByApp = [];
        for (const [action, , answer] of leftToApp) {
            host.on(`action:${action}`, (ev) => {
                ev.preventDefault();
                handledByApp.push([action, ev.detail.data]);
                host.transport.reply(ev.detail, answer);
            });
        }
        for (const [action, data, answer] of leftToApp) await talk.answered(action, data, answer, [], `${action}, answered by the host application`);
        same(handledByApp, leftToApp.map(([action, data]) => [action, data]), "the host application saw each request as the Rust widget sent it");

        // ---- pushes ----
        const ping = event("org.example.ping", { content: { n: 10 } });
        const fedEvent = host.feedEvent(ping);
        same((await talk.push("send_event")).request.data, ping, "feedEvent");
        same(await fedEvent, undefined, "feedEvent resolves once the Rust widget acknowledges");
        const text2 = event("m.room.message", { room_id: OTHER, content: { msgtype: "m.text", body: "hi" } });
        const fedText = host.feedEvent(text2);
        same((await talk.push("send_event")).request.data, text2, "feedEvent of a message in another room");
        await fedText;
        const memberEvent = event(MEMBER, { state_key: "_@bob:example.org_BOB", content: {} });
        const fedMember = host.feedEvent(memberEvent);
        same((await talk.push("send_event")).request.data, memberEvent, "feedEvent of a state event");
        await fedMember;
        const { unsigned: _, ...bare } = event("org.example.ping", { content: { n: 11 } });
        const fedBare = host.feedEvent(bare);
        same((await talk.push("send_event")).request.data, bare, "feedEvent of an event without `unsigned`");
        await fedBare;
        const memberUpdate = event(MEMBER, { state_key: MEMBER_KEY, content: { application: "m.call", joined: true } });
        const fedState = host.feedStateUpdate(memberUpdate);
        same((await talk.push("update_state")).request.data, { state: [memberUpdate] }, "feedStateUpdate");
        await fedState;
        for (const encrypted of [false, true]) {
            const message = { type: "org.example.tdm", sender: "@bob:example.org", content: { secret: encrypted } };
            const fed = host.feedToDevice(message, encrypted);
            same((await talk.push("send_to_device")).request.data, { ...message, encrypted }, `feedToDevice (encrypted: ${encrypted})`);
            await fed;
        }
        const theme = host.updateTheme({ name: "dark" });
        await talk.push("theme_change", { ok: {} });
        same(await theme, {}, "updateTheme resolves with the application's answer");
        const language = host.updateLanguage("fr");
        language.catch(() => {}); // judged below, once the application has answered
        await talk.push("language_change", { error: "no French here" });
        widgetError(await rejection(language, "updateLanguage"), "no French here", "updateLanguage, failed by the application");
        const visibility = host.updateVisibility(false);
        same((await talk.push("visibility")).request.data, { visible: false }, "updateVisibility");
        same(await visibility, {}, "updateVisibility: the reference widget's acknowledgement");
        const screenshot = host.takeScreenshot();
        await talk.push("screenshot", { ok: { screenshot: "iVBORw0KGgo=" } });
        same(await screenshot, { screenshot: "iVBORw0KGgo=" }, "takeScreenshot resolves with the application's screenshot");
        const config = host.sendWidgetConfig(modal);
        same((await talk.push("widget_config", { ok: {} })).request.data, modal, "sendWidgetConfig");
        await config;
        const clicked = host.notifyModalWidgetButtonClicked("com.example.ok");
        same((await talk.push("button_clicked", { ok: {} })).request.data, { id: "com.example.ok" }, "notifyModalWidgetButtonClicked");
        await clicked;
        const closed = host.notifyModalWidgetClose({ "m.exited": true, answer: 42 });
        same((await talk.push("close_modal", { ok: {} })).request.data, { "m.exited": true, answer: 42 }, "notifyModalWidgetClose");
        await closed;

        // The iframe loads again: ClientWidgetApi asks for capabilities a second time, and
        // the Rust widget refuses as the reference WidgetApi does.
        bridge.iframe.fireLoad();
        const again = await talk.push("capabilities");
        same(again.response, { error: { message: "Capability negotiation already completed" } }, "a second capabilities request");
        await bridge.until(() => preparing.length === 1, "ClientWidgetApi's error:preparing");
        widgetError(preparing[0], "Capability negotiation already completed", "ClientWidgetApi's error:preparing");

        same(driver.take(), [], "no driver call left unchecked");
        finish(bridge);
        host.stop();
    },
);

// ---------------------------------------------------------------------------------------
// 2. waitForIframeLoad false: content_loaded starts negotiation; the session's defaults.
// ---------------------------------------------------------------------------------------
const CAPS2 = [
    "org.matrix.msc2762.receive.event:org.example.ping",
    `org.matrix.msc2762.receive.state_event:${MEMBER}`,
    `org.matrix.msc2762.timeline:${ROOM}`,
    "org.matrix.msc3819.receive.to_device:org.example.tdm",
    MatrixCapabilities.MSC3846TurnServers,
];
const driver2 = new StubDriver({ state: { [ROOM]: [bobMember] } });
await scenario(
    "widget.mjs: content_loaded start, and the Rust widget's default answers",
    { command: "widget", args: ["--widget-id", WIDGET, "--wait-for-iframe-load", "false", ...CAPS2.flatMap((c) => ["--capability", c])] },
    async (bridge) => {
        logTo = bridge;
        const talk = new Conversation(bridge, driver2);
        const host = new ClientWidgetApi(new Widget({ id: WIDGET, creatorUserId: USER, type: "m.custom", url: WIDGET_URL, waitForIframeLoad: false }), bridge.iframe, driver2);
        host.setViewedRoomId(ROOM);
        // The iframe loads; ClientWidgetApi waits for content_loaded, which the Rust widget
        // sends when it starts.
        bridge.iframe.fireLoad();
        bridge.call("iframe_loaded");
        const versions = await bridge.line((l) => l.reply !== undefined && l.action === "supported_api_versions", "the host's versions");
        same(versions.ok, { supported_versions: CurrentApiVersions }, "supported_api_versions (fromWidget)");
        const loaded = await bridge.line((l) => l.reply !== undefined && l.action === "content_loaded", "the reply to content_loaded");
        same(loaded.ok, {}, "content_loaded is acknowledged when the host waits for it");
        const asked = await talk.push("capabilities");
        same(asked.response, { capabilities: CAPS2 }, "capabilities");
        same((await talk.push("notify_capabilities")).request.data, { requested: CAPS2, approved: CAPS2 }, "notify_capabilities");
        await bridge.line((l) => l.notify === "ready", "the Rust widget to be ready");
        await talk.push("supported_api_versions");
        // Not acknowledged by default: the reference WidgetApi's error, which ClientWidgetApi logs.
        const initial = await talk.push("update_state");
        same(initial.response, { error: { message: unsupported("update_state") } }, "update_state, unhandled");
        same(driver2.take(), [["validateCapabilities", CAPS2], ["readRoomState", ROOM, MEMBER, undefined]], "the driver's calls during negotiation");

        // Every push the application does not handle gets the reference widget's default.
        const refusedPush = async (action, promise, what) => {
            promise.catch(() => {}); // judged below, once the Rust widget has answered
            const { response } = await talk.push(action);
            same(response, { error: { message: unsupported(action) } }, `${what}: the Rust widget's default answer`);
            widgetError(await rejection(promise, what), unsupported(action), what);
        };
        await refusedPush("send_event", host.feedEvent(event("org.example.ping")), "feedEvent");
        await refusedPush("update_state", host.feedStateUpdate(event(MEMBER, { state_key: "" })), "feedStateUpdate");
        await refusedPush("send_to_device", host.feedToDevice({ type: "org.example.tdm", sender: "@bob:example.org", content: {} }, false), "feedToDevice");
        await refusedPush("theme_change", host.updateTheme({ name: "light" }), "updateTheme");
        await refusedPush("language_change", host.updateLanguage("de"), "updateLanguage");
        await refusedPush("screenshot", host.takeScreenshot(), "takeScreenshot");
        await refusedPush("widget_config", host.sendWidgetConfig({ type: "m.custom", url: "https://widget.example.org/modal.html" }), "sendWidgetConfig");
        await refusedPush("button_clicked", host.notifyModalWidgetButtonClicked("m.close"), "notifyModalWidgetButtonClicked");
        await refusedPush("close_modal", host.notifyModalWidgetClose({}), "notifyModalWidgetClose");
        const visibility = host.updateVisibility(true);
        same((await talk.push("visibility")).response, {}, "visibility: acknowledged by default");
        same(await visibility, {}, "updateVisibility resolves");

        // MSC2974 with nothing new (everything requested is granted already): ClientWidgetApi
        // acknowledges and notifies twice, once at once and once after asking the driver
        // about nothing; the Rust widget acknowledges both.
        bridge.write({ call: "request_capabilities", capabilities: [], tag: "nothing-new" });
        const nothingNew = await talk.outcome("nothing-new", "org.matrix.msc2974.request_capabilities");
        same(nothingNew.request.data, { capabilities: CAPS2 }, "request_capabilities with nothing new");
        same(nothingNew.reply.ok, {}, "request_capabilities is acknowledged");
        for (const which of ["first", "second"]) {
            const notified = await talk.push("notify_capabilities");
            same(notified.request.data, { requested: [], approved: CAPS2 }, `the ${which} notify_capabilities for nothing new`);
            same(notified.response, {}, `the ${which} notify_capabilities is acknowledged`);
            await bridge.line((l) => l.notify === "capabilities" && l.requested === 0 && l.approved === CAPS2.length, `the Rust widget's ${which} capabilities notification`);
        }
        same(driver2.take(), [["validateCapabilities", []]], "the driver is asked about nothing");

        // Requests for what the host did not grant: the reference's refusals, decoded.
        const missing = { message: "Missing capability" };
        const member = { id: `${USER}:${DEVICE}`, claimed_device_id: DEVICE };
        for (const [action, data] of [
            ["org.matrix.msc4157.update_delayed_event", { delay_id: "syd_1", action: "cancel" }],
            ["org.matrix.msc2931.navigate", { uri: "https://matrix.to/#/!live:example.org" }],
            ["org.matrix.msc3973.user_directory_search", { search_term: "bob" }],
            ["org.matrix.msc4039.get_media_config", {}],
            ["org.matrix.msc4039.upload_file", { file: "aGVsbG8=" }],
            ["org.matrix.msc4039.download_file", { content_uri: "mxc://example.org/file" }],
            ["org.matrix.msc4515.get_rtc_transports", {}],
            ["org.matrix.msc4533.rtc_livekit_get_token", { server_name: "example.org", url: "https://sfu.example.org", room_id: ROOM, slot_id: "m.call#ROOM", member }],
            ["org.matrix.msc4533.rtc_livekit_delegate_delayed_leave", { room_id: ROOM, slot_id: "m.call#ROOM", member, delay_id: "syd_1" }],
        ]) {
            await talk.failed(action, data, missing, [], `${action} without its capability`);
        }
        await talk.failed("send_event", { type: "org.example.ping", content: {}, delay: 1000 }, { message: `Missing capability for ${MatrixCapabilities.MSC4157SendDelayedEvent}` }, [], "a delayed send without the capability");
        await talk.failed("send_event", { type: "org.example.ping", content: {}, sticky_duration_ms: 1000 }, { message: `Missing capability for ${MatrixCapabilities.MSC4407SendStickyEvent}` }, [], "a sticky send without the capability");
        await talk.failed("send_event", { type: MEMBER, state_key: "", content: {} }, { message: "Cannot send state events of this type" }, [], "a state event without the capability");
        await talk.failed("send_to_device", { type: "org.example.tdm", encrypted: false, messages: {} }, { message: "Cannot send to-device events of this type" }, []);
        // ClientWidgetApi asks the driver before it checks the capability.
        await talk.failed("com.beeper.read_room_account_data", { type: "org.example.acct" }, { message: "Cannot read room account data of this type" }, [["readRoomAccountData", "org.example.acct"]]);

        // OpenID asked, then blocked after the user's confirmation: the credentials it waits
        // for are acknowledged by default.
        driver2.openid.push("pending");
        await talk.answered("get_openid", {}, { state: "request" }, [["askOpenID", "pending"]], "get_openid pending");
        driver2.pendingOpenId.block();
        const blocked = await talk.push("openid_credentials");
        same(blocked.request.data.state, "blocked", "openid_credentials blocked");
        same(blocked.response, {}, "openid_credentials acknowledged by default");

        // A request the host never answers (the user ignores the OpenID prompt): the Rust
        // widget gives up after its timeout (10 s, as the reference), on its clock.
        driver2.openid.push("silent");
        bridge.write({ send: { action: "get_openid", data: {} }, tag: "silent" });
        const silent = await bridge.line((l) => l.tag === "silent" && "to_host" in l, "get_openid sent");
        await bridge.until(() => driver2.calls.length === 1, "the driver to be asked");
        same(driver2.take(), [["askOpenID", "silent"]], "the driver is asked, and never answers");
        bridge.write({ tick: 9999 });
        // A request after the tick: what the Rust widget printed before its reply came before.
        await talk.answered("supported_api_versions", {}, { supported_versions: CurrentApiVersions }, []);
        const before = bridge.lines.length;
        bridge.write({ tick: 10000 });
        const timedOut = await bridge.line((l) => l.notify === "timed_out", "the Rust widget to time out");
        same(timedOut, { notify: "timed_out", action: "get_openid", request_id: silent.to_host.requestId, tag: "silent" }, "the timeout");
        check(bridge.lines.indexOf(timedOut) >= before, "the request timed out at 10 s, not before");
        check(!bridge.lines.some((l) => l.reply === silent.to_host.requestId), "no reply for the unanswered request");

        // TURN servers pushed while watching are acknowledged by default.
        await talk.answered("watch_turn_servers", {}, {}, [["getTurnServers"]]);
        same((await talk.push("update_turn_servers")).response, {}, "update_turn_servers while watching");
        await talk.answered("unwatch_turn_servers", {}, {}, [["turnServers.return"]]);

        same(driver2.take(), [], "no driver call left unchecked");
        finish(bridge);
        host.stop();
    },
);
