// Captures the exact postMessage payloads that the real `matrix-widget-api`
// package emits, in both roles, and writes them as fixtures for the Rust
// decoder tests:
//
//   tests/fixtures/msc4157/widget-api-1.19/   MSC4157 (delayed events) in depth
//   tests/fixtures/actions/widget-api-1.19/   every action of both directions
//   tests/fixtures/actions/spellings/         stable spellings, derived from the above
//
//   node capture.mjs           regenerate all three directories
//   node capture.mjs --check   regenerate in memory, compare byte-for-byte, exit 1 on drift
//   node capture.mjs --verbose also print the library's console output
//
// How it works: a real `WidgetApi` (widget role) and a real `ClientWidgetApi`
// (host role) are wired back to back through hand-written window stubs.
// Every object either side hands to `postMessage` is recorded verbatim
// (`JSON.stringify(message)`) and then delivered to the other side as a
// structured clone, exactly like a browser would. Nothing in a fixture is
// written by this script: each file is one message the library produced.
// Only the fake `WidgetDriver` (the host application's part) and the widget's
// choice of API calls are ours.

import { readFileSync, writeFileSync, readdirSync, mkdirSync, unlinkSync, existsSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

import {
    WidgetApi,
    ClientWidgetApi,
    WidgetDriver,
    Widget,
    WidgetEventCapability,
    EventDirection,
    MatrixCapabilities,
    WidgetApiFromWidgetAction,
    WidgetApiToWidgetAction,
    OpenIDRequestState,
    ModalButtonKind,
    Symbols,
} from "matrix-widget-api";

const EXPECTED_VERSION = "1.19.0";
const HERE = dirname(fileURLToPath(import.meta.url));
const FIXTURES_DIR = join(HERE, "..", "fixtures");

const args = new Set(process.argv.slice(2));
const CHECK = args.has("--check");
const VERBOSE = args.has("--verbose");
for (const a of args) {
    if (!["--check", "--verbose"].includes(a)) {
        console.error(`unknown argument: ${a}\nusage: node capture.mjs [--check] [--verbose]`);
        process.exit(2);
    }
}

if (typeof CustomEvent !== "function" || typeof structuredClone !== "function") {
    console.error(`Node ${process.version} lacks CustomEvent/structuredClone (used by matrix-widget-api); use Node >= 20`);
    process.exit(2);
}

const require = createRequire(import.meta.url);
const libVersion = require("matrix-widget-api/package.json").version;
if (libVersion !== EXPECTED_VERSION) {
    console.error(`matrix-widget-api ${libVersion} is installed, expected ${EXPECTED_VERSION}; run \`npm ci\``);
    process.exit(2);
}

// ---------------------------------------------------------------------------
// Determinism: request IDs are `widgetapi-${Date.now()}`. Each step resets the
// clock to a fixed base and every call advances it by 1 ms, so IDs are unique,
// stable across runs, and show which step produced them.
// ---------------------------------------------------------------------------
const CLOCK_BASE = 1700000000000;
let fakeNow = CLOCK_BASE;
Date.now = () => fakeNow++;

// The library logs every message it sends; keep that out of the way.
const logs = [];
for (const level of ["log", "debug", "info", "warn", "error"]) {
    const original = console[level].bind(console);
    console[level] = (...a) => {
        logs.push({ level, text: a.map((x) => (typeof x === "string" ? x : safeInspect(x))).join(" ") });
        if (VERBOSE) original(`[lib ${level}]`, ...a);
    };
}
function out(line) {
    process.stdout.write(line + "\n");
}
function safeInspect(x) {
    try {
        return x instanceof Error ? `${x.name}: ${x.message}` : JSON.stringify(x);
    } catch {
        return String(x);
    }
}

// ---------------------------------------------------------------------------
// Minimal window stubs. Both transports listen on `globalThis` ("message");
// the widget posts to `globalThis.parent`, the host to `iframe.contentWindow`.
// ---------------------------------------------------------------------------
const CLIENT_ORIGIN = "https://client.example.org";
const WIDGET_URL = "https://widget.example.org/widget.html";
const WIDGET_ORIGIN = "https://widget.example.org";

const messageListeners = new Set();
globalThis.addEventListener = (type, fn) => {
    if (type === "message") messageListeners.add(fn);
};
globalThis.removeEventListener = (type, fn) => {
    if (type === "message") messageListeners.delete(fn);
};

let recorded = []; // { from: "widget"|"host", json, targetOrigin, message }
let pendingDeliveries = 0;

function post(from, message, targetOrigin, origin, source) {
    recorded.push({ from, json: JSON.stringify(message), targetOrigin, message });
    const clone = structuredClone(message); // what a real postMessage hands to the receiver
    pendingDeliveries++;
    setImmediate(() => {
        pendingDeliveries--;
        const ev = { data: clone, origin, source };
        for (const fn of [...messageListeners]) fn(ev);
    });
}

const widgetWindow = {}; // identity only, used as MessageEvent.source of widget messages
const parentWindow = {
    postMessage(message, targetOrigin) {
        post("widget", message, targetOrigin, WIDGET_ORIGIN, widgetWindow);
    },
};
globalThis.parent = parentWindow;

function makeIframe() {
    const loadListeners = [];
    return {
        contentWindow: {
            postMessage(message, targetOrigin) {
                post("host", message, targetOrigin, CLIENT_ORIGIN, parentWindow);
            },
        },
        addEventListener(type, fn) {
            if (type === "load") loadListeners.push(fn);
        },
        fireLoad() {
            for (const fn of loadListeners) fn({ type: "load" });
        },
    };
}

/** Wait until no message is in flight and promise chains have run out. */
async function settle() {
    let quiet = 0;
    while (quiet < 5) {
        await new Promise((r) => setImmediate(r));
        quiet = pendingDeliveries === 0 ? quiet + 1 : 0;
    }
}

// ---------------------------------------------------------------------------
// Fake host application: a WidgetDriver that approves a fixed set of
// capabilities, answers sends with fixed IDs, and throws Matrix HTTP errors
// (mapped to `matrix_api_error` by processError) for chosen inputs.
// ---------------------------------------------------------------------------
const ROOM = "!r:b";
const DELAY_ID = "syd_abc";
const MAX_DELAY_MS = 3600000;

class FakeMatrixHttpError extends Error {
    constructor(httpStatus, url, body, headers = {}) {
        super(body.error);
        this.httpStatus = httpStatus;
        this.url = url;
        this.body = body;
        this.headers = headers;
    }
}

class FakeDriver extends WidgetDriver {
    constructor(approve) {
        super();
        this.approve = approve;
        this.calls = [];
    }
    log(name, args) {
        this.calls.push(`${name}(${args.map(fmtArg).join(", ")})`);
    }
    async validateCapabilities(requested) {
        this.log("validateCapabilities", [[...requested]]);
        return new Set([...requested].filter((c) => this.approve(c)));
    }
    async sendEvent(...args) {
        this.log("sendEvent", args);
        const [, , , roomId] = args;
        return { roomId: roomId || ROOM, eventId: "$event_1" };
    }
    async sendStickyEvent(...args) {
        this.log("sendStickyEvent", args);
        const [, , , roomId] = args;
        return { roomId: roomId || ROOM, eventId: "$sticky_event_1" };
    }
    async sendDelayedEvent(...args) {
        this.log("sendDelayedEvent", args);
        const [delay, eventType, , , roomId] = args;
        if (typeof delay === "number" && delay > MAX_DELAY_MS) {
            throw new FakeMatrixHttpError(
                400,
                `https://example.org/_matrix/client/v3/rooms/${encodeURIComponent(roomId || ROOM)}/send/` +
                    `${encodeURIComponent(eventType)}/m1700000000000.1?org.matrix.msc4140.delay=${delay}`,
                {
                    "errcode": "M_UNKNOWN",
                    "error": "The requested delay exceeds the allowed maximum.",
                    "org.matrix.msc4140.errcode": "M_MAX_DELAY_EXCEEDED",
                    "org.matrix.msc4140.max_delay": MAX_DELAY_MS,
                },
            );
        }
        return { roomId: roomId || ROOM, delayId: DELAY_ID };
    }
    async sendDelayedStickyEvent(...args) {
        this.log("sendDelayedStickyEvent", args);
        const [, , , , roomId] = args;
        return { roomId: roomId || ROOM, delayId: DELAY_ID };
    }
    async updateDelayed(action, delayId) {
        this.log(`${action}ScheduledDelayedEvent`, [delayId]);
        if (delayId !== DELAY_ID) {
            throw new FakeMatrixHttpError(
                404,
                `https://example.org/_matrix/client/unstable/org.matrix.msc4140/delayed_events/` +
                    `${encodeURIComponent(delayId)}/${action}`,
                { errcode: "M_NOT_FOUND", error: "Delayed event not found" },
                { "content-type": "application/json" },
            );
        }
    }
    cancelScheduledDelayedEvent(delayId) {
        return this.updateDelayed("cancel", delayId);
    }
    restartScheduledDelayedEvent(delayId) {
        return this.updateDelayed("restart", delayId);
    }
    sendScheduledDelayedEvent(delayId) {
        return this.updateDelayed("send", delayId);
    }
    getKnownRooms() {
        return [ROOM];
    }
    processError(error) {
        // What a real host does (cf. Element Web's StopGapWidgetDriver with MatrixError).
        if (error instanceof FakeMatrixHttpError) {
            return {
                matrix_api_error: {
                    http_status: error.httpStatus,
                    http_headers: error.headers,
                    url: error.url,
                    response: error.body,
                },
            };
        }
        return undefined;
    }
}

function fmtArg(x) {
    return x === undefined ? "undefined" : JSON.stringify(x);
}

// ---------------------------------------------------------------------------
// Outputs: each fixture directory has its own files, manifest and clock base
// (so adding a case to one never renumbers the request IDs of another).
// ---------------------------------------------------------------------------
class Output {
    constructor(label, dir, clockBase) {
        this.label = label;
        this.dir = dir;
        this.clockBase = clockBase;
        this.files = new Map(); // file name -> { content, produced_by, note? }
        this.steps = 0;
    }
}
const MSC4157_OUT = new Output("msc4157", join(FIXTURES_DIR, "msc4157", "widget-api-1.19"), CLOCK_BASE);
const ACTIONS_OUT = new Output("actions", join(FIXTURES_DIR, "actions", "widget-api-1.19"), 1710000000000);
const SPELLINGS_OUT = new Output("actions spellings", join(FIXTURES_DIR, "actions", "spellings"), null);
const OUTPUTS = [MSC4157_OUT, ACTIONS_OUT, SPELLINGS_OUT];
let current = MSC4157_OUT;

function addFile(name, json, producedBy, note) {
    if (current.files.has(name)) throw new Error(`duplicate fixture name ${name} in ${current.label}`);
    current.files.set(name, { content: json + "\n", produced_by: producedBy, ...(note && { note }) });
}

/** Start a step of the current output: a fresh clock base and empty recordings. */
function beginStep() {
    current.steps++;
    fakeNow = current.clockBase + current.steps * 1000;
    recorded = [];
    logs.length = 0;
}

// ---------------------------------------------------------------------------
// Sessions and steps (MSC4157)
// ---------------------------------------------------------------------------

function shortAction(action) {
    return action.replace(/^org\.matrix\.msc\d+\./, "");
}

function fileName(api, action, kind, kase) {
    const apiName = api === "fromWidget" ? "from_widget" : "to_widget";
    return `${apiName}.${shortAction(action)}.${kind}.${kase}.json`;
}

class Session {
    constructor(widgetId, { requested, approve }) {
        this.widgetId = widgetId;
        this.requested = requested;
        this.driver = new FakeDriver(approve);
        this.iframe = makeIframe();
        this.widget = new Widget({
            id: widgetId,
            creatorUserId: "@a:b",
            type: "m.custom",
            url: WIDGET_URL,
        });
    }

    /** Host first (it listens from construction), then the widget starts, then the iframe "loads". */
    async open() {
        const msgs = await this.step(async () => {
            this.host = new ClientWidgetApi(this.widget, this.iframe, this.driver);
            this.host.on("error:preparing", (e) => {
                throw new Error(`host failed to prepare: ${e}`);
            });
            this.api = new WidgetApi(this.widgetId, CLIENT_ORIGIN);
            this.api.requestCapabilities(this.requested);
            this.api.start();
            await settle();
            this.iframe.fireLoad();
        });
        return msgs;
    }

    close() {
        this.api.transport.stop();
        this.host.stop();
    }

    /** Run fn with a fresh clock base and return everything posted meanwhile. */
    async step(fn) {
        beginStep();
        this.driver.calls = [];
        this.outcome = undefined;
        await fn();
        await settle();
        return {
            messages: recorded,
            driverCalls: [...this.driver.calls],
            warnings: logs.filter((l) => l.level === "warn").map((l) => l.text),
        };
    }

    /**
     * Run one widget-side call; expect exactly one fromWidget request from the
     * widget and exactly one reply to it from the host. Write both.
     */
    async widgetCall(kase, description, call, responseCase = kase) {
        let outcome;
        const res = await this.step(async () => {
            call(this.api).then(
                (r) => (outcome = `resolved ${JSON.stringify(r)}`),
                (e) => (outcome = `rejected ${e.name}: ${e.message}`),
            );
        });
        const requests = res.messages.filter((m) => m.from === "widget");
        const replies = res.messages.filter((m) => m.from === "host");
        if (requests.length !== 1 || replies.length !== 1) {
            throw new Error(`${kase}: expected 1 request + 1 reply, got ${JSON.stringify(res.messages, null, 1)}`);
        }
        const req = JSON.parse(requests[0].json);
        const rep = JSON.parse(replies[0].json);
        if (rep.requestId !== req.requestId || rep.api !== "fromWidget" || !("response" in rep)) {
            throw new Error(`${kase}: reply does not answer the request`);
        }
        const reqFile = fileName(req.api, req.action, "request", kase);
        const repFile = fileName(rep.api, rep.action, "response", responseCase);
        addFile(reqFile, requests[0].json, `widget: WidgetApi (widgetId ${this.widgetId}) ${description}`);
        const notes = [];
        notes.push(res.driverCalls.length ? `driver.${res.driverCalls.join("; driver.")}` : "driver not called");
        for (const w of res.warnings) notes.push(`host warned "${w}"`);
        notes.push(`widget promise ${outcome}`);
        addFile(
            repFile,
            replies[0].json,
            `host: ClientWidgetApi reply to ${reqFile}; ${notes.join("; ")}`,
        );
    }
}

function handshake(session, kase, res) {
    const pick = (from, action, isResponse) => {
        const found = res.messages.filter((m) => {
            const o = JSON.parse(m.json);
            return m.from === from && o.action === action && ("response" in o) === isResponse;
        });
        if (found.length !== 1) throw new Error(`handshake ${kase}: expected one ${from} ${action}, got ${found.length}`);
        return found[0].json;
    };
    const w = `widgetId ${session.widgetId}`;
    const validate = session.driver.calls.find((c) => c.startsWith("validateCapabilities")) ?? "?";
    addFile(
        fileName("toWidget", "capabilities", "request", kase),
        pick("host", "capabilities", false),
        `host: ClientWidgetApi (${w}) on iframe load (waitForIframeLoad default true)`,
    );
    addFile(
        fileName("toWidget", "capabilities", "response", kase),
        pick("widget", "capabilities", true),
        `widget: WidgetApi (${w}) reply after requestCapabilities(${JSON.stringify(session.requested)})`,
    );
    addFile(
        fileName("toWidget", "notify_capabilities", "request", kase),
        pick("host", "notify_capabilities", false),
        `host: ClientWidgetApi (${w}) after the widget's capabilities reply and driver.${validate}; ` +
            `data.approved is what the fake driver approved`,
    );
    addFile(
        fileName("toWidget", "notify_capabilities", "response", kase),
        pick("widget", "notify_capabilities", true),
        `widget: WidgetApi (${w}) acknowledgement of notify_capabilities`,
    );
}

const CALL_MEMBER = "org.matrix.msc3401.call.member";
const CALL_MEMBER_KEY = "_@a:b_DEV";
const STATE_CAP = WidgetEventCapability.forStateEvent(EventDirection.Send, CALL_MEMBER, CALL_MEMBER_KEY).raw;
const DELAYED_CAPS = [
    STATE_CAP,
    MatrixCapabilities.MSC4157SendDelayedEvent,
    MatrixCapabilities.MSC4157UpdateDelayedEvent,
];
const MESSAGE_CAP = WidgetEventCapability.forRoomMessageEvent(EventDirection.Send, "m.text").raw;
const TIMELINE_CAP = `org.matrix.msc2762.timeline:${ROOM}`;
const STICKY_CAP = MatrixCapabilities.MSC4407SendStickyEvent;
const UPDATE = WidgetApiFromWidgetAction.MSC4157UpdateDelayedEvent;
const msg = (body) => ({ msgtype: "m.text", body });

async function run() {
    // Session A: exactly the MatrixRTC delayed-leave capability set, all approved.
    {
        const s = new Session("w1", { requested: DELAYED_CAPS, approve: () => true });
        handshake(s, "delayed_caps", await s.open());
        await s.widgetCall(
            "delayed_state_event",
            `sendStateEvent("${CALL_MEMBER}", "${CALL_MEMBER_KEY}", {}, undefined, 8000)`,
            (api) => api.sendStateEvent(CALL_MEMBER, CALL_MEMBER_KEY, {}, undefined, 8000),
        );
        await s.widgetCall("restart", `restartScheduledDelayedEvent("${DELAY_ID}")`, (api) =>
            api.restartScheduledDelayedEvent(DELAY_ID),
        );
        await s.widgetCall("cancel", `cancelScheduledDelayedEvent("${DELAY_ID}")`, (api) =>
            api.cancelScheduledDelayedEvent(DELAY_ID),
        );
        await s.widgetCall("send", `sendScheduledDelayedEvent("${DELAY_ID}")`, (api) =>
            api.sendScheduledDelayedEvent(DELAY_ID),
        );
        s.close();
    }

    // Session B: delayed caps plus message, timeline and sticky caps, all approved.
    {
        const requested = [...DELAYED_CAPS, MESSAGE_CAP, TIMELINE_CAP, STICKY_CAP];
        const s = new Session("w2", { requested, approve: () => true });
        handshake(s, "delayed_caps_extended", await s.open());
        const c1 = msg("delayed hello");
        await s.widgetCall(
            "delayed_room_event",
            `sendRoomEvent("m.room.message", ${JSON.stringify(c1)}, undefined, 8000)`,
            (api) => api.sendRoomEvent("m.room.message", c1, undefined, 8000),
        );
        await s.widgetCall(
            "delayed_room_event_with_room_id",
            `sendRoomEvent("m.room.message", ${JSON.stringify(c1)}, "${ROOM}", 8000)`,
            (api) => api.sendRoomEvent("m.room.message", c1, ROOM, 8000),
        );
        await s.widgetCall(
            "delayed_state_event_with_room_id",
            `sendStateEvent("${CALL_MEMBER}", "${CALL_MEMBER_KEY}", {}, "${ROOM}", 8000)`,
            (api) => api.sendStateEvent(CALL_MEMBER, CALL_MEMBER_KEY, {}, ROOM, 8000),
        );
        await s.widgetCall(
            "delayed_sticky_room_event",
            `sendRoomEvent("m.room.message", ${JSON.stringify(c1)}, undefined, 8000, 3600000) (delay + stickyDurationMs)`,
            (api) => api.sendRoomEvent("m.room.message", c1, undefined, 8000, 3600000),
        );
        await s.widgetCall(
            "delayed_sticky_zero",
            `sendRoomEvent("m.room.message", ${JSON.stringify(c1)}, undefined, 8000, 0) (delay + stickyDurationMs 0)`,
            (api) => api.sendRoomEvent("m.room.message", c1, undefined, 8000, 0),
        );
        const c2 = msg("hello");
        await s.widgetCall(
            "room_event",
            `sendRoomEvent("m.room.message", ${JSON.stringify(c2)}) (no delay)`,
            (api) => api.sendRoomEvent("m.room.message", c2),
        );
        await s.widgetCall(
            "state_event",
            `sendStateEvent("${CALL_MEMBER}", "${CALL_MEMBER_KEY}", {}) (no delay)`,
            (api) => api.sendStateEvent(CALL_MEMBER, CALL_MEMBER_KEY, {}),
        );
        await s.widgetCall(
            "delay_zero",
            `sendRoomEvent("m.room.message", ${JSON.stringify(c1)}, undefined, 0)`,
            (api) => api.sendRoomEvent("m.room.message", c1, undefined, 0),
        );
        await s.widgetCall(
            "delay_null",
            `sendRoomEvent("m.room.message", ${JSON.stringify(c1)}, undefined, null)`,
            (api) => api.sendRoomEvent("m.room.message", c1, undefined, null),
        );
        await s.widgetCall(
            "delay_negative",
            `sendRoomEvent("m.room.message", ${JSON.stringify(c1)}, undefined, -1)`,
            (api) => api.sendRoomEvent("m.room.message", c1, undefined, -1),
        );
        await s.widgetCall(
            "parent_delay_id",
            `sendRoomEvent("m.room.message", ${JSON.stringify(c1)}, undefined, 8000, "syd_parent") (deprecated parentDelayId overload)`,
            (api) => api.sendRoomEvent("m.room.message", c1, undefined, 8000, "syd_parent"),
        );
        await s.widgetCall(
            "parent_delay_id_without_delay",
            `sendRoomEvent("m.room.message", ${JSON.stringify(c1)}, undefined, undefined, "syd_parent") (deprecated parentDelayId overload)`,
            (api) => api.sendRoomEvent("m.room.message", c1, undefined, undefined, "syd_parent"),
        );
        await s.widgetCall(
            "state_parent_delay_id",
            `sendStateEvent("${CALL_MEMBER}", "${CALL_MEMBER_KEY}", {}, undefined, 8000, "syd_parent") (deprecated parentDelayId overload)`,
            (api) => api.sendStateEvent(CALL_MEMBER, CALL_MEMBER_KEY, {}, undefined, 8000, "syd_parent"),
        );
        await s.widgetCall(
            "error_max_delay_exceeded",
            `sendRoomEvent("m.room.message", ${JSON.stringify(c1)}, undefined, 86400000); the fake driver throws an HTTP 400 max-delay error`,
            (api) => api.sendRoomEvent("m.room.message", c1, undefined, 86400000),
        );
        await s.widgetCall(
            "refresh",
            `transport.send("${UPDATE}", {delay_id: "${DELAY_ID}", action: "refresh"}) (MSC4157 text's action name; no helper exists)`,
            (api) => api.transport.send(UPDATE, { delay_id: DELAY_ID, action: "refresh" }),
            "error_unsupported_action",
        );
        await s.widgetCall(
            "missing_delay_id",
            `transport.send("${UPDATE}", {action: "cancel"}) (no helper omits delay_id)`,
            (api) => api.transport.send(UPDATE, { action: "cancel" }),
            "error_missing_delay_id",
        );
        await s.widgetCall(
            "empty_delay_id",
            `cancelScheduledDelayedEvent("")`,
            (api) => api.cancelScheduledDelayedEvent(""),
            "error_empty_delay_id",
        );
        await s.widgetCall(
            "unknown_delay_id",
            `restartScheduledDelayedEvent("syd_unknown"); the fake driver throws an HTTP 404 M_NOT_FOUND`,
            (api) => api.restartScheduledDelayedEvent("syd_unknown"),
            "error_not_found",
        );
        s.close();
    }

    // Session C: same request as A, but the host denies both delayed-event caps.
    {
        const s = new Session("w3", {
            requested: DELAYED_CAPS,
            approve: (c) => c === STATE_CAP,
        });
        handshake(s, "delayed_caps_denied", await s.open());
        await s.widgetCall(
            "delayed_state_event_denied",
            `sendStateEvent("${CALL_MEMBER}", "${CALL_MEMBER_KEY}", {}, undefined, 8000) without the send.delayed_event cap`,
            (api) => api.sendStateEvent(CALL_MEMBER, CALL_MEMBER_KEY, {}, undefined, 8000),
            "error_missing_capability",
        );
        await s.widgetCall(
            "cancel_denied",
            `cancelScheduledDelayedEvent("${DELAY_ID}") without the update_delayed_event cap`,
            (api) => api.cancelScheduledDelayedEvent(DELAY_ID),
            "error_missing_capability",
        );
        s.close();
    }
}

// ===========================================================================
// Every action, both directions (tests/fixtures/actions/widget-api-1.19/)
// ===========================================================================
//
// Same harness, a richer fake driver, and a generic way of naming what each
// step posted: every message posted during a step must be claimed by a rule
// (written to a file) or explicitly ignored, so nothing slips by unnoticed.
// File names use the action's *stable* name (`read_events`, not
// `org.matrix.msc2876.read_events`); the file itself holds what was posted.

const FROM_WIDGET_ACTIONS = [
    "supported_api_versions", "content_loaded", "m.sticker", "set_always_on_screen", "get_openid",
    "close_modal", "open_modal", "set_button_enabled", "send_event", "send_to_device",
    "watch_turn_servers", "unwatch_turn_servers", "read_events", "navigate", "request_capabilities",
    "read_relations", "user_directory_search", "get_media_config", "upload_file", "download_file",
    "update_delayed_event", "com.beeper.read_room_account_data", "get_rtc_transports",
    "org.matrix.msc4533.rtc_livekit_get_token", "org.matrix.msc4533.rtc_livekit_delegate_delayed_leave",
];
const TO_WIDGET_ACTIONS = [
    "supported_api_versions", "capabilities", "notify_capabilities", "theme_change", "language_change",
    "screenshot", "visibility", "openid_credentials", "widget_config", "close_modal", "button_clicked",
    "send_event", "send_to_device", "update_state", "update_turn_servers",
];
/** Unstable wire name (what widget-api 1.19 emits) -> stable name, where they differ. */
const STABLE_NAME = {
    [WidgetApiFromWidgetAction.MSC2876ReadEvents]: "read_events",
    [WidgetApiFromWidgetAction.MSC2931Navigate]: "navigate",
    [WidgetApiFromWidgetAction.MSC2974RenegotiateCapabilities]: "request_capabilities",
    [WidgetApiFromWidgetAction.MSC3869ReadRelations]: "read_relations",
    [WidgetApiFromWidgetAction.MSC3973UserDirectorySearch]: "user_directory_search",
    [WidgetApiFromWidgetAction.MSC4039GetMediaConfigAction]: "get_media_config",
    [WidgetApiFromWidgetAction.MSC4039UploadFileAction]: "upload_file",
    [WidgetApiFromWidgetAction.MSC4039DownloadFileAction]: "download_file",
    [WidgetApiFromWidgetAction.MSC4157UpdateDelayedEvent]: "update_delayed_event",
    [WidgetApiFromWidgetAction.MSC4515GetRtcTransports]: "get_rtc_transports",
};
const FW = WidgetApiFromWidgetAction;
const TW = WidgetApiToWidgetAction;

function actionFileName(api, action, kind, kase) {
    const stable = STABLE_NAME[action] ?? action;
    const known = api === "fromWidget" ? FROM_WIDGET_ACTIONS : TO_WIDGET_ACTIONS;
    if (!known.includes(stable)) throw new Error(`not a ${api} action of widget-api: ${action}`);
    // No dots, and not a kind: readers split the name on its last two dots.
    if (!/^[a-z0-9_]+$/.test(kase) || ["request", "response"].includes(kase)) throw new Error(`bad case name ${kase}`);
    if (!["request", "response"].includes(kind)) throw new Error(`bad kind ${kind}`);
    return `${api === "fromWidget" ? "from_widget" : "to_widget"}.${stable}.${kind}.${kase}.json`;
}

/** What JSON.stringify does not carry: structured-clone values and `undefined` members. */
function jsonLossNote(message) {
    const notes = [];
    const walk = (v, path) => {
        if (v instanceof Blob) {
            notes.push(`${path} is a Blob (${v.size} bytes, type "${v.type}") posted as a structured clone; JSON.stringify writes it as {}, which is what a JSON peer sees`);
        } else if (v instanceof ArrayBuffer || ArrayBuffer.isView(v)) {
            notes.push(`${path} is a ${v.constructor.name} posted as a structured clone; JSON.stringify writes it as ${JSON.stringify(v)}`);
        } else if (v && typeof v === "object") {
            for (const [k, x] of Object.entries(v)) {
                if (x === undefined) notes.push(`${path}.${k} is undefined in the posted object; JSON.stringify omits it`);
                else walk(x, `${path}.${k}`);
            }
        }
    };
    for (const top of ["data", "response"]) if (message[top] !== undefined) walk(message[top], top);
    return notes.length ? notes.join("; ") : undefined;
}

// ---- Fake host application data --------------------------------------------
const OTHER_ROOM = "!other:b";
const TS = 1700000000000;
/** An IRoomEvent, keys in the order a client usually writes them. */
const ev = ({ type, event_id, sender = "@b:b", state_key, content, unsigned = {}, ...rest }) => ({
    type,
    event_id,
    sender,
    room_id: ROOM,
    ...(state_key !== undefined && { state_key }),
    origin_server_ts: TS,
    content,
    unsigned,
    ...rest,
});
const MESSAGE_EVENT = ev({ type: "m.room.message", event_id: "$message_1", content: { msgtype: "m.text", body: "hi" }, unsigned: { age: 1000 } });
const TOPIC_EVENT = ev({ type: "m.room.topic", event_id: "$topic_1", state_key: "", content: { topic: "Widgets" } });
const TOPIC_EVENT_2 = ev({ type: "m.room.topic", event_id: "$topic_2", state_key: "", content: { topic: "Widgets, again" } });
const REACTION_EVENT = ev({
    type: "m.reaction",
    event_id: "$reaction_1",
    content: { "m.relates_to": { rel_type: "m.annotation", event_id: "$message_1", key: "\u{1F44D}" } },
});
const REACTION_EVENT_2 = ev({
    type: "m.reaction",
    event_id: "$reaction_2",
    sender: "@c:b",
    content: { "m.relates_to": { rel_type: "m.annotation", event_id: "$message_1", key: "x" } },
});
const STICKY_EVENT = ev({
    type: "m.room.message",
    event_id: "$sticky_1",
    content: { msgtype: "m.text", body: "sticky" },
    sticky: { duration_ms: 3600000 },
    msc4354_sticky: { duration_ms: 3600000 },
});
const EVENT_POOL = [MESSAGE_EVENT, TOPIC_EVENT, REACTION_EVENT];
const TURN_1 = { uris: ["turn:turn.example.org:3478?transport=udp"], username: "1700086400:@a:b", password: "secret1" };
const TURN_2 = { uris: ["turn:turn.example.org:3478?transport=udp", "turns:turn.example.org:5349"], username: "1700172800:@a:b", password: "secret2" };
const OPENID_TOKEN = { access_token: "openid_token_abc", expires_in: 3600, matrix_server_name: "b", token_type: "Bearer" };
const LIVEKIT_MEMBER = { id: "@a:b:DEVICE", claimed_device_id: "DEVICE" };
const LIVEKIT_TOKEN_REQUEST = { server_name: "b", url: "https://livekit.example.org", room_id: ROOM, slot_id: "m.call#ROOM", member: LIVEKIT_MEMBER };
const LIVEKIT_LEAVE_REQUEST = { room_id: ROOM, slot_id: "m.call#ROOM", member: LIVEKIT_MEMBER, delay_id: DELAY_ID };

/** A TURN credential source the test drives by hand (what `getTurnServers` returns). */
class FakeTurnServers {
    constructor(servers, exhausted = false) {
        this.queue = [...servers];
        this.waiting = null;
        this.finished = exhausted;
    }
    push(server) {
        if (this.waiting) {
            const w = this.waiting;
            this.waiting = null;
            w({ value: server, done: false });
        } else this.queue.push(server);
    }
    next() {
        if (this.finished) return Promise.resolve({ value: undefined, done: true });
        if (this.queue.length) return Promise.resolve({ value: this.queue.shift(), done: false });
        return new Promise((r) => (this.waiting = r));
    }
    return() {
        this.finished = true;
        if (this.waiting) this.waiting({ value: undefined, done: true });
        this.waiting = null;
        return Promise.resolve({ value: undefined, done: true });
    }
    throw(e) {
        return Promise.reject(e);
    }
    [Symbol.asyncIterator]() {
        return this;
    }
}

const httpUrl = (path) => `https://example.org/_matrix/client/${path}`;

class ActionsDriver extends FakeDriver {
    constructor(approve) {
        super(approve);
        this.openid = "allowed"; // allowed | blocked | request | invalid_token
        this.openidObserver = null;
        this.turn = null; // a FakeTurnServers, or null for "none available"
        this.statePool = [TOPIC_EVENT];
    }
    async sendEvent(type, content, stateKey, roomId) {
        this.log("sendEvent", [type, content, stateKey, roomId]);
        if (content?.body === "rate limited") {
            throw new FakeMatrixHttpError(
                429,
                httpUrl(`v3/rooms/${encodeURIComponent(roomId || ROOM)}/send/${encodeURIComponent(type)}/m1710000000000.1`),
                { errcode: "M_LIMIT_EXCEEDED", error: "Too many requests", retry_after_ms: 2000 },
                { "retry-after": "2" },
            );
        }
        return { roomId: roomId || ROOM, eventId: "$event_1" };
    }
    async sendToDevice(type, encrypted, messages) {
        this.log("sendToDevice", [type, encrypted, messages]);
    }
    async readRoomState(roomId, eventType, stateKey) {
        this.log("readRoomState", [roomId, eventType, stateKey]);
        return this.statePool.filter((e) => e.type === eventType && (stateKey === undefined || e.state_key === stateKey));
    }
    async readRoomTimeline(roomId, eventType, msgtype, stateKey, limit, since) {
        this.log("readRoomTimeline", [roomId, eventType, msgtype, stateKey, limit, since]);
        return EVENT_POOL.filter(
            (e) => e.room_id === roomId && e.type === eventType && (msgtype === undefined || e.content.msgtype === msgtype),
        );
    }
    async readRoomEvents(eventType, msgtype, limit, roomIds, since) {
        this.log("readRoomEvents", [eventType, msgtype, limit, roomIds, since]);
        return EVENT_POOL.filter((e) => e.type === eventType && e.state_key === undefined);
    }
    async readStateEvents(eventType, stateKey, limit, roomIds) {
        this.log("readStateEvents", [eventType, stateKey, limit, roomIds]);
        return this.statePool.filter((e) => e.type === eventType);
    }
    async readStickyEvents(roomId) {
        this.log("readStickyEvents", [roomId]);
        return [STICKY_EVENT];
    }
    async readEventRelations(eventId, roomId, relType, eventType, from, to, limit, direction) {
        this.log("readEventRelations", [eventId, roomId, relType, eventType, from, to, limit, direction]);
        return from ? { chunk: [REACTION_EVENT_2], prevBatch: "batch_0" } : { chunk: [REACTION_EVENT], nextBatch: "batch_1" };
    }
    askOpenID(observer) {
        this.log("askOpenID", [this.openid]);
        if (this.openid === "allowed") observer.update({ state: OpenIDRequestState.Allowed, token: { ...OPENID_TOKEN } });
        else if (this.openid === "blocked") observer.update({ state: OpenIDRequestState.Blocked });
        else if (this.openid === "invalid_token") observer.update({ state: OpenIDRequestState.Allowed });
        else {
            observer.update({ state: OpenIDRequestState.PendingUserConfirmation });
            this.openidObserver = observer;
        }
    }
    async navigate(uri) {
        this.log("navigate", [uri]);
        if (uri.includes("fail")) throw new Error("Cannot navigate there");
    }
    getTurnServers() {
        this.log("getTurnServers", []);
        return this.turn ?? new FakeTurnServers([], true);
    }
    async searchUserDirectory(searchTerm, limit) {
        this.log("searchUserDirectory", [searchTerm, limit]);
        if (searchTerm === "fail") throw new Error("user directory unavailable");
        return {
            limited: false,
            results: [
                { userId: "@bob:b", displayName: "Bob", avatarUrl: "mxc://b/bob" },
                { userId: "@bobby:b" },
            ],
        };
    }
    async getMediaConfig() {
        this.log("getMediaConfig", []);
        return { "m.upload.size": 52428800 };
    }
    async getRtcTransports() {
        this.log("getRtcTransports", []);
        return { rtc_transports: [{ type: "livekit", livekit_service_url: "https://livekit.example.org" }] };
    }
    async uploadFile(file) {
        this.log("uploadFile", [`<${file.constructor.name} of ${file.size} bytes>`]);
        if (file.size > 10) {
            throw new FakeMatrixHttpError(413, httpUrl("v1/media/upload"), {
                errcode: "M_TOO_LARGE",
                error: "Cannot upload files larger than 10 bytes",
            });
        }
        return { contentUri: "mxc://b/uploaded" };
    }
    async downloadFile(contentUri) {
        this.log("downloadFile", [contentUri]);
        if (contentUri === "mxc://b/missing") {
            throw new FakeMatrixHttpError(404, httpUrl("v1/media/download/b/missing"), {
                errcode: "M_NOT_FOUND",
                error: "Not found",
            });
        }
        return { file: new Blob(["hello"], { type: "text/plain" }) };
    }
    async getRtcLivekitToken(data) {
        this.log("getRtcLivekitToken", [data]);
        return { jwt: "eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl" };
    }
    async delegateRtcLivekitDelayedLeave(data) {
        this.log("delegateRtcLivekitDelayedLeave", [data]);
        if (data.delay_id === "syd_unsupported") {
            throw new FakeMatrixHttpError(404, httpUrl("v1/rtc/livekit/delegate_delayed_leave"), {
                errcode: "M_UNRECOGNIZED",
                error: "Unrecognized request",
            });
        }
        return {};
    }
    async readRoomAccountData(eventType) {
        this.log("readRoomAccountData", [eventType]);
        return [{ type: eventType, room_id: ROOM, content: { theme: "dark" } }];
    }
}

// Library promises that nobody awaits (e.g. the host's `openid_credentials`
// send when the widget answers with an error) must not crash the capture.
const unhandled = [];
process.on("unhandledRejection", (e) => unhandled.push(e instanceof Error ? `${e.name}: ${e.message}` : String(e)));

const HOST_APP_ACTIONS = [FW.SendSticker, FW.UpdateAlwaysOnScreen, FW.CloseModalWidget, FW.OpenModalWidget, FW.SetModalButtonEnabled];

class ActionsSession {
    /**
     * @param widgetReplies toWidget action -> reply data (or function) the widget app answers with
     *   (an `action:<name>` listener that calls preventDefault and transport.reply)
     * @param hostReplies fromWidget action -> reply data the host app answers with, likewise
     */
    constructor(widgetId, { requested, approve = () => true, definition = {}, widgetReplies = {}, hostReplies = {} }) {
        this.widgetId = widgetId;
        this.requested = requested;
        this.driver = new ActionsDriver(approve);
        this.iframe = makeIframe();
        this.widget = new Widget({ id: widgetId, creatorUserId: "@a:b", type: "m.custom", url: WIDGET_URL, ...definition });
        this.widgetReplies = new Map(Object.entries(widgetReplies));
        this.hostReplies = new Map(Object.entries(hostReplies));
        this.intercepted = new Map(); // `${api} ${requestId}` -> description of the app's reply
        this.requests = new Map(); // `${api} ${requestId}` -> file name (or null if not written)
        this.hostEvents = [];
    }

    interceptor(side, transport, replies) {
        return (e) => {
            const req = e.detail;
            if (!replies.has(req.action)) return;
            e.preventDefault();
            const r = replies.get(req.action);
            const data = typeof r === "function" ? r(req) : r;
            const app = side === "host" ? "host app (ClientWidgetApi" : "widget app (WidgetApi";
            this.intercepted.set(
                `${req.api} ${req.requestId}`,
                `${app} \`action:${req.action}\` listener: preventDefault, then transport.reply with ${safeInspect(data)})`,
            );
            transport.reply(req, data);
        };
    }

    /** Host first, then the widget starts; the iframe "loads" unless the widget waits for content_loaded. */
    async open(rules, opts = {}) {
        return this.step("opening the session", async () => {
            this.host = new ClientWidgetApi(this.widget, this.iframe, this.driver);
            this.host.on("error:preparing", (e) => this.hostEvents.push(`host emitted error:preparing (${e.message})`));
            this.host.setViewedRoomId(ROOM);
            for (const a of HOST_APP_ACTIONS) this.host.on(`action:${a}`, this.interceptor("host", this.host.transport, this.hostReplies));
            this.api = new WidgetApi(this.widgetId, CLIENT_ORIGIN);
            for (const a of TO_WIDGET_ACTIONS) this.api.on(`action:${a}`, this.interceptor("widget", this.api.transport, this.widgetReplies));
            this.api.requestCapabilities(this.requested);
            this.api.start();
            await settle();
            this.iframe.fireLoad();
        }, rules, opts);
    }

    close() {
        this.api.transport.stop();
        this.host.stop();
    }

    /**
     * Run fn as one step and name what was posted. `rules` are
     * [api, action, kind, case, description?]: each claims the first unclaimed
     * message that matches. `opts.ignore` lists [api, action, kind] whose
     * messages are deliberately not written (already captured elsewhere).
     * Anything else posted during the step is an error.
     */
    async step(description, fn, rules, { ignore = [] } = {}) {
        beginStep();
        this.driver.calls = [];
        this.hostEvents = [];
        unhandled.length = 0;
        const outcome = {};
        await fn(outcome);
        await settle();
        const messages = recorded.map((m) => ({ ...m, obj: JSON.parse(m.json) }));
        const claimed = new Set();
        const kindOf = (o) => ("response" in o ? "response" : "request");
        for (const m of messages) {
            if (kindOf(m.obj) === "request") this.requests.set(`${m.obj.api} ${m.obj.requestId}`, null);
        }
        const written = [];
        for (const [api, action, kind, kase, what] of rules) {
            const i = messages.findIndex(
                (m, idx) => !claimed.has(idx) && m.obj.api === api && m.obj.action === action && kindOf(m.obj) === kind,
            );
            if (i < 0) {
                throw new Error(`${description}: no ${api} ${action} ${kind} for case ${kase}; posted:\n${messages.map((m) => `  ${m.from}: ${m.json}`).join("\n")}`);
            }
            claimed.add(i);
            written.push({ m: messages[i], api, action, kind, kase, what });
        }
        messages.forEach((m, idx) => {
            if (claimed.has(idx)) return;
            if (ignore.some(([api, action, kind]) => m.obj.api === api && m.obj.action === action && kindOf(m.obj) === kind)) return;
            throw new Error(`${description}: unclaimed message from ${m.from}: ${m.json}`);
        });
        const notes = [];
        if (this.driver.calls.length) notes.push(`driver.${this.driver.calls.join("; driver.")}`);
        for (const l of logs) {
            if (l.level === "warn") notes.push(`library warned "${l.text}"`);
            if (l.level === "error") notes.push(`library logged error "${l.text}"`);
        }
        for (const e of this.hostEvents) notes.push(e);
        for (const r of unhandled) notes.push(`a library promise rejected unhandled (${r})`);
        for (const [who, text] of Object.entries(outcome)) notes.push(`${who} promise ${text}`);
        const tail = notes.length ? `; ${notes.join("; ")}` : "";
        for (const { m, api, action, kind, kase, what } of written) {
            const file = actionFileName(api, action, kind, kase);
            const role = m.from === "host" ? "ClientWidgetApi" : "WidgetApi";
            let by;
            if (kind === "request") {
                by = `${m.from}: ${role} (widgetId ${this.widgetId}) ${what ?? description}`;
                this.requests.set(`${api} ${m.obj.requestId}`, file);
            } else {
                const reqFile = this.requests.get(`${api} ${m.obj.requestId}`);
                if (reqFile === undefined) throw new Error(`${file}: answers no request posted in this session`);
                const to = reqFile ? `reply to ${reqFile}` : `reply to a ${api} ${action} request`;
                const app = this.intercepted.get(`${api} ${m.obj.requestId}`);
                by = `${app ?? `${m.from}: ${role} (widgetId ${this.widgetId})`} ${to}${what ? ` (${what})` : ""}${tail}`;
            }
            addFile(file, m.json, by, jsonLossNote(m.message));
        }
        return messages;
    }

    /** A widget call: its fromWidget request and the host's reply, both as `kase`. */
    widgetCall(kase, description, call, more = [], opts = {}) {
        return this.call("widget", "fromWidget", kase, description, call, more, opts);
    }

    /** A host call: its toWidget request and the widget's reply, both as `kase`. */
    hostCall(kase, description, call, more = [], opts = {}) {
        return this.call("host", "toWidget", kase, description, call, more, opts);
    }

    async call(who, api, kase, description, call, more, opts) {
        const peekAction = () => {
            const first = recorded.find((m) => m.from === who && m.message.api === api && !("response" in m.message));
            if (!first) throw new Error(`${description}: ${who} posted no ${api} request`);
            return first.message.action;
        };
        // The action is read off the posted request, so rules can be built after the call.
        const rules = [];
        const fn = async (outcome) => {
            const target = who === "widget" ? this.api : this.host;
            let p;
            try {
                p = call(target, this);
            } catch (e) {
                throw new Error(`${description}: threw synchronously: ${e.message}`);
            }
            // opts.promise: whose promise the call returns ("widget", "host", or null when it returns none)
            const label = opts.promise === undefined ? who : opts.promise;
            if (label !== null) {
                Promise.resolve(p).then(
                    (r) => (outcome[label] = `resolved ${r === undefined ? "undefined" : safeInspect(r)}`),
                    (e) => (outcome[label] = `rejected ${e.name}: ${e.message}`),
                );
            }
            await settle();
            const action = peekAction();
            rules.push([api, action, "request", kase], [api, action, "response", kase], ...more);
        };
        return this.step(description, fn, rules, opts);
    }
}

const cap = {
    sendMessage: (msgtype) => WidgetEventCapability.forRoomMessageEvent(EventDirection.Send, msgtype).raw,
    receiveEvent: (type) => WidgetEventCapability.forRoomEvent(EventDirection.Receive, type).raw,
    sendState: (type, key) => WidgetEventCapability.forStateEvent(EventDirection.Send, type, key).raw,
    receiveState: (type, key) => WidgetEventCapability.forStateEvent(EventDirection.Receive, type, key).raw,
    sendToDevice: (type) => WidgetEventCapability.forToDeviceEvent(EventDirection.Send, type).raw,
    receiveToDevice: (type) => WidgetEventCapability.forToDeviceEvent(EventDirection.Receive, type).raw,
    receiveAccountData: (type) => WidgetEventCapability.forRoomAccountData(EventDirection.Receive, type).raw,
    timeline: (room) => `org.matrix.msc2762.timeline:${room}`,
};
const PING = "org.example.ping";
const ACCOUNT_DATA = "org.example.data";
const MODAL_URL = "https://widget.example.org/modal.html";
const MODAL_BUTTONS = [
    { id: "com.example.ok", label: "OK", kind: ModalButtonKind.Primary },
    { id: "com.example.delete", label: "Delete", kind: ModalButtonKind.Danger, disabled: true },
    { id: "m.close", label: "Cancel", kind: ModalButtonKind.Link },
];
const MODAL_CONFIG = { type: "m.custom", url: MODAL_URL, name: "Confirm", buttons: MODAL_BUTTONS, data: { title: "Are you sure?" } };
const REQ = "request";
const RESP = "response";
const q = (x) => JSON.stringify(x);

async function runActions() {
    current = ACTIONS_OUT;

    // ---- Session w10: a widget asking for (nearly) everything, all approved ----
    {
        const requested = [
            MatrixCapabilities.StickerSending,
            MatrixCapabilities.AlwaysOnScreen,
            MatrixCapabilities.Screenshots,
            MatrixCapabilities.MSC3973UserDirectorySearch,
            MatrixCapabilities.MSC4039UploadFile,
            MatrixCapabilities.MSC4039DownloadFile,
            MatrixCapabilities.MSC4515RtcTransports,
            MatrixCapabilities.MSC4533RtcLivekitGetToken,
            MatrixCapabilities.MSC4533RtcLivekitDelegateDelayedLeave,
            MatrixCapabilities.MSC4157SendDelayedEvent,
            MatrixCapabilities.MSC4157UpdateDelayedEvent,
            MatrixCapabilities.MSC4407SendStickyEvent,
            cap.sendMessage("m.text"),
            cap.sendState("m.room.topic"),
            cap.receiveEvent("m.room.message"),
            cap.receiveEvent("m.reaction"),
            cap.receiveState("m.room.topic"),
            cap.sendToDevice(PING),
            cap.receiveToDevice(PING),
            cap.timeline(ROOM),
            cap.receiveAccountData(ACCOUNT_DATA),
        ];
        const s = new ActionsSession("w10", { requested, widgetReplies: { [TW.UpdateState]: {} } });
        await s.open([
            ["fromWidget", FW.SupportedApiVersions, REQ, "basic", "start(): getClientVersions()"],
            ["fromWidget", FW.SupportedApiVersions, RESP, "basic"],
            ["toWidget", TW.Capabilities, REQ, "basic", "on iframe load (waitForIframeLoad default true)"],
            ["toWidget", TW.Capabilities, RESP, "basic", `after requestCapabilities(${q(requested)})`],
            ["toWidget", TW.NotifyCapabilities, REQ, "approved", "after the capabilities reply; the fake driver approved everything"],
            ["toWidget", TW.NotifyCapabilities, RESP, "approved", "default acknowledgement"],
            ["toWidget", TW.SupportedApiVersions, REQ, "basic", "getWidgetVersions(), called while pushing the initial room state"],
            ["toWidget", TW.SupportedApiVersions, RESP, "basic", "default reply"],
            ["toWidget", TW.UpdateState, REQ, "initial_state", `initial state push for the timeline:${ROOM} capability (driver.readRoomState)`],
            ["toWidget", TW.UpdateState, RESP, "initial_state"],
        ]);

        // read_events
        const MSG = "m.room.message";
        const readCases = [
            ["room_events", `readRoomEvents("${MSG}")`, (a) => a.readRoomEvents(MSG)],
            ["msgtype_limit", `readRoomEvents("${MSG}", 25, "m.text")`, (a) => a.readRoomEvents(MSG, 25, "m.text")],
            ["room_ids_list", `readRoomEvents("${MSG}", undefined, undefined, ["${ROOM}"])`, (a) => a.readRoomEvents(MSG, undefined, undefined, [ROOM])],
            ["room_ids_any", `readRoomEvents("${MSG}", undefined, undefined, [Symbols.AnyRoom])`, (a) => a.readRoomEvents(MSG, undefined, undefined, [Symbols.AnyRoom])],
            ["since", `readRoomEvents("${MSG}", 10, undefined, undefined, "$message_0")`, (a) => a.readRoomEvents(MSG, 10, undefined, undefined, "$message_0")],
            ["state_key_true", `readStateEvents("m.room.topic") (state_key defaults to true)`, (a) => a.readStateEvents("m.room.topic")],
            ["state_key_string", `readStateEvents("m.room.topic", undefined, "")`, (a) => a.readStateEvents("m.room.topic", undefined, "")],
            ["state_key_true_room_ids_any", `readStateEvents("m.room.topic", 5, undefined, [Symbols.AnyRoom])`, (a) => a.readStateEvents("m.room.topic", 5, undefined, [Symbols.AnyRoom])],
            ["error_limit_out_of_range", `readRoomEvents("${MSG}", 0)`, (a) => a.readRoomEvents(MSG, 0)],
            ["error_no_timeline", `readRoomEvents("${MSG}", undefined, undefined, ["${OTHER_ROOM}"]) without a timeline capability for it`, (a) => a.readRoomEvents(MSG, undefined, undefined, [OTHER_ROOM])],
            ["error_missing_capability", `readRoomEvents("m.room.encrypted") without a receive capability for it`, (a) => a.readRoomEvents("m.room.encrypted")],
            ["error_state_missing_capability", `readStateEvents("m.room.name") without a receive capability for it`, (a) => a.readStateEvents("m.room.name")],
            ["error_missing_type", `transport.send("${FW.MSC2876ReadEvents}", {}) (no helper omits type)`, (a) => a.transport.send(FW.MSC2876ReadEvents, {})],
        ];
        for (const [kase, d, fn] of readCases) await s.widgetCall(kase, d, fn);

        // read_relations
        await s.widgetCall("basic", `readEventRelations("$message_1")`, (a) => a.readEventRelations("$message_1"));
        await s.widgetCall(
            "paging",
            `readEventRelations("$message_1", "${ROOM}", "m.annotation", "m.reaction", 10, "batch_1", undefined, "b")`,
            (a) => a.readEventRelations("$message_1", ROOM, "m.annotation", "m.reaction", 10, "batch_1", undefined, "b"),
        );
        await s.widgetCall("error_no_timeline", `readEventRelations("$message_1", "${OTHER_ROOM}")`, (a) => a.readEventRelations("$message_1", OTHER_ROOM));
        await s.widgetCall(
            "error_limit_out_of_range",
            `readEventRelations("$message_1", undefined, undefined, undefined, -1)`,
            (a) => a.readEventRelations("$message_1", undefined, undefined, undefined, -1),
        );

        // send_event
        const hello = msg("hello");
        await s.widgetCall("room_event", `sendRoomEvent("${MSG}", ${q(hello)})`, (a) => a.sendRoomEvent(MSG, hello));
        await s.widgetCall("room_event_with_room_id", `sendRoomEvent("${MSG}", ${q(hello)}, "${ROOM}")`, (a) => a.sendRoomEvent(MSG, hello, ROOM));
        await s.widgetCall("state_event", `sendStateEvent("m.room.topic", "", {"topic":"New topic"})`, (a) => a.sendStateEvent("m.room.topic", "", { topic: "New topic" }));
        await s.widgetCall("delayed_room_event", `sendRoomEvent("${MSG}", ${q(hello)}, undefined, 8000)`, (a) => a.sendRoomEvent(MSG, hello, undefined, 8000));
        await s.widgetCall("sticky_room_event", `sendRoomEvent("${MSG}", ${q(hello)}, undefined, undefined, 3600000) (stickyDurationMs)`, (a) => a.sendRoomEvent(MSG, hello, undefined, undefined, 3600000));
        await s.widgetCall("error_no_timeline", `sendRoomEvent("${MSG}", ${q(hello)}, "${OTHER_ROOM}")`, (a) => a.sendRoomEvent(MSG, hello, OTHER_ROOM));
        const notice = { msgtype: "m.notice", body: "hello" };
        await s.widgetCall("error_missing_capability", `sendRoomEvent("${MSG}", ${q(notice)}) with only the m.text send capability`, (a) => a.sendRoomEvent(MSG, notice));
        await s.widgetCall("error_state_missing_capability", `sendStateEvent("m.room.name", "", {"name":"x"}) without its capability`, (a) => a.sendStateEvent("m.room.name", "", { name: "x" }));
        const limited = msg("rate limited");
        await s.widgetCall("error_driver", `sendRoomEvent("${MSG}", ${q(limited)}); the fake driver throws an HTTP 429`, (a) => a.sendRoomEvent(MSG, limited));

        // send_to_device
        const plain = { "@b:b": { DEVICE: { ping: 1 } } };
        const toAll = { "@b:b": { "*": { ping: 2 } }, "@c:b": { DEVICE2: { ping: 2 } } };
        await s.widgetCall("plain", `sendToDevice("${PING}", false, ${q(plain)})`, (a) => a.sendToDevice(PING, false, plain));
        await s.widgetCall("encrypted", `sendToDevice("${PING}", true, ${q(toAll)})`, (a) => a.sendToDevice(PING, true, toAll));
        await s.widgetCall("error_missing_capability", `sendToDevice("org.example.other", false, ${q(plain)}) without its capability`, (a) => a.sendToDevice("org.example.other", false, plain));
        await s.widgetCall(
            "error_missing_encrypted",
            `transport.send("${FW.SendToDevice}", {type: "${PING}", messages: …}) (no helper omits encrypted)`,
            (a) => a.transport.send(FW.SendToDevice, { type: PING, messages: plain }),
        );

        // get_openid / openid_credentials
        s.driver.openid = "allowed";
        await s.widgetCall("allowed", "requestOpenIDConnectToken(); the fake driver allows at once", (a) => a.requestOpenIDConnectToken());
        s.driver.openid = "blocked";
        await s.widgetCall("blocked", "requestOpenIDConnectToken(); the fake driver blocks at once", (a) => a.requestOpenIDConnectToken());
        s.driver.openid = "invalid_token";
        await s.widgetCall("error_invalid_token", "requestOpenIDConnectToken(); the fake driver allows without a token", (a) => a.requestOpenIDConnectToken());
        s.driver.openid = "request";
        let pendingOpenId;
        await s.widgetCall("pending", "requestOpenIDConnectToken(); the fake driver asks the user (state request)", (a) => {
            pendingOpenId = a.requestOpenIDConnectToken();
            return pendingOpenId;
        });
        await s.hostCall(
            "allowed",
            "the user approved: driver calls observer.update({state: allowed, token}) for the get_openid answered with state request",
            () => {
                s.driver.openidObserver.update({ state: OpenIDRequestState.Allowed, token: { ...OPENID_TOKEN } });
                return pendingOpenId;
            },
            [],
            { promise: "widget requestOpenIDConnectToken()" },
        );
        const GET_OPENID_PAIR = { ignore: [["fromWidget", FW.GetOpenIDCredentials, REQ], ["fromWidget", FW.GetOpenIDCredentials, RESP]] };
        const askAgain = "requestOpenIDConnectToken() answered with state request (the same pair as from_widget.get_openid.*.pending.json, not written again)";
        await s.step(askAgain, () => void (pendingOpenId = s.api.requestOpenIDConnectToken()), [], GET_OPENID_PAIR);
        await s.hostCall(
            "blocked",
            "the user declined: driver calls observer.update({state: blocked})",
            () => {
                s.driver.openidObserver.update({ state: OpenIDRequestState.Blocked });
                return pendingOpenId;
            },
            [],
            { promise: "widget requestOpenIDConnectToken()" },
        );
        await s.step(askAgain, () => void (pendingOpenId = s.api.requestOpenIDConnectToken()), [], GET_OPENID_PAIR);
        await s.hostCall(
            "error_invalid_state",
            `a misbehaving driver calls observer.update({state: "bogus"}) in the second phase`,
            () => {
                s.driver.openidObserver.update({ state: "bogus" });
                return pendingOpenId;
            },
            [],
            { promise: "widget requestOpenIDConnectToken()" },
        );
        await s.step(
            `transport.send("${FW.GetOpenIDCredentials}", {}) answered with state request (pair not written again); no WidgetApi helper listens for openid_credentials`,
            () => void s.api.transport.send(FW.GetOpenIDCredentials, {}),
            [],
            GET_OPENID_PAIR,
        );
        await s.hostCall(
            "error_unhandled",
            "the user approved: driver calls observer.update({state: allowed, token}); the widget did not use requestOpenIDConnectToken",
            () => s.driver.openidObserver.update({ state: OpenIDRequestState.Allowed, token: { ...OPENID_TOKEN } }),
            [],
            { promise: null },
        );

        // Actions ClientWidgetApi leaves to the host application.
        const sticker = {
            name: "Cat",
            description: "A cat sticker",
            content: {
                url: "mxc://b/cat",
                info: { h: 256, w: 256, mimetype: "image/png", size: 4096, thumbnail_info: { h: 64, w: 64, mimetype: "image/png", size: 512 } },
            },
        };
        await s.widgetCall("error_unhandled", `sendSticker(${q(sticker)}); the host app does not intercept`, (a) => a.sendSticker(sticker));
        s.hostReplies.set(FW.SendSticker, {});
        await s.widgetCall("basic", `sendSticker(${q(sticker)}); the host app intercepts`, (a) => a.sendSticker(sticker));
        await s.widgetCall("error_unhandled", "setAlwaysOnScreen(true); the host app does not intercept", (a) => a.setAlwaysOnScreen(true));
        s.hostReplies.set(FW.UpdateAlwaysOnScreen, { success: true });
        await s.widgetCall("on", "setAlwaysOnScreen(true); the host app intercepts", (a) => a.setAlwaysOnScreen(true));
        s.hostReplies.set(FW.UpdateAlwaysOnScreen, { success: false });
        await s.widgetCall("off_refused", "setAlwaysOnScreen(false); the host app intercepts and refuses", (a) => a.setAlwaysOnScreen(false));
        await s.widgetCall("error_unhandled", `openModalWidget("${MODAL_URL}", "Confirm"); the host app does not intercept`, (a) => a.openModalWidget(MODAL_URL, "Confirm"));
        s.hostReplies.set(FW.OpenModalWidget, {});
        await s.widgetCall("basic", `openModalWidget("${MODAL_URL}", "Confirm") (default buttons, data and type); the host app intercepts`, (a) => a.openModalWidget(MODAL_URL, "Confirm"));
        await s.widgetCall(
            "with_buttons",
            `openModalWidget("${MODAL_URL}", "Confirm", ${q(MODAL_BUTTONS)}, {"title":"Are you sure?"}); the host app intercepts`,
            (a) => a.openModalWidget(MODAL_URL, "Confirm", MODAL_BUTTONS, { title: "Are you sure?" }),
        );

        // MSC2931 navigate after MSC2974 renegotiation.
        await s.widgetCall("error_missing_capability", `navigateTo("https://matrix.to/#/${ROOM}") before the navigate capability`, (a) => a.navigateTo(`https://matrix.to/#/${ROOM}`));
        await s.widgetCall(
            "basic",
            `requestCapability("${MatrixCapabilities.MSC2931Navigate}") then updateRequestedCapabilities()`,
            (a) => {
                a.requestCapability(MatrixCapabilities.MSC2931Navigate);
                return a.updateRequestedCapabilities();
            },
            [
                ["toWidget", TW.NotifyCapabilities, REQ, "renegotiated", "after the request_capabilities ack and driver.validateCapabilities of the newly requested"],
                ["toWidget", TW.NotifyCapabilities, RESP, "renegotiated", "default acknowledgement"],
            ],
        );
        await s.widgetCall(
            "nothing_new",
            "updateRequestedCapabilities() again, nothing new requested",
            (a) => a.updateRequestedCapabilities(),
            [
                ["toWidget", TW.NotifyCapabilities, REQ, "nothing_new_first", "allowCapabilities([], []) because nothing is newly requested"],
                ["toWidget", TW.NotifyCapabilities, RESP, "nothing_new_first", "default acknowledgement"],
                ["toWidget", TW.NotifyCapabilities, REQ, "nothing_new_second", "allowCapabilities again after driver.validateCapabilities(empty set): the host notifies twice"],
                ["toWidget", TW.NotifyCapabilities, RESP, "nothing_new_second", "default acknowledgement"],
            ],
        );
        await s.widgetCall("basic", `navigateTo("https://matrix.to/#/${ROOM}")`, (a) => a.navigateTo(`https://matrix.to/#/${ROOM}`));
        await s.widgetCall(
            "error_invalid_uri",
            `transport.send("${FW.MSC2931Navigate}", {uri: "https://example.org/"}) (navigateTo refuses it locally)`,
            (a) => a.transport.send(FW.MSC2931Navigate, { uri: "https://example.org/" }),
        );
        await s.widgetCall(
            "error_driver",
            `navigateTo("https://matrix.to/#/#fail:b"); the fake driver's navigate rejects`,
            (a) => a.navigateTo("https://matrix.to/#/#fail:b"),
            [["fromWidget", FW.MSC2931Navigate, RESP, "error_driver_second_reply", "handleNavigate replies again with {} after the error reply: .catch(onErr).then(reply)"]],
        );

        // Media, directory, RTC.
        await s.widgetCall("basic", `searchUserDirectory("bob", 10)`, (a) => a.searchUserDirectory("bob", 10));
        await s.widgetCall("no_limit", `searchUserDirectory("bob")`, (a) => a.searchUserDirectory("bob"));
        await s.widgetCall("error_limit_out_of_range", `searchUserDirectory("bob", -1)`, (a) => a.searchUserDirectory("bob", -1));
        await s.widgetCall("error_driver", `searchUserDirectory("fail"); the fake driver throws a plain Error (processError gives nothing)`, (a) => a.searchUserDirectory("fail"));
        await s.widgetCall("basic", "getMediaConfig()", (a) => a.getMediaConfig());
        await s.widgetCall("basic", `uploadFile(new Blob(["hello"], {type: "text/plain"}))`, (a) => a.uploadFile(new Blob(["hello"], { type: "text/plain" })));
        await s.widgetCall("error_driver", `uploadFile(new Uint8Array(64)); the fake driver throws an HTTP 413`, (a) => a.uploadFile(new Blob([new Uint8Array(64)])));
        await s.widgetCall("basic", `downloadFile("mxc://b/file"); the fake driver returns a Blob`, (a) => a.downloadFile("mxc://b/file"));
        await s.widgetCall("error_driver", `downloadFile("mxc://b/missing"); the fake driver throws an HTTP 404`, (a) => a.downloadFile("mxc://b/missing"));
        await s.widgetCall("basic", "getRtcTransports()", (a) => a.getRtcTransports());
        await s.widgetCall("basic", `getRtcLivekitToken(${q(LIVEKIT_TOKEN_REQUEST)})`, (a) => a.getRtcLivekitToken(LIVEKIT_TOKEN_REQUEST));
        await s.widgetCall("basic", `delegateRtcLivekitDelayedLeave(${q(LIVEKIT_LEAVE_REQUEST)})`, (a) => a.delegateRtcLivekitDelayedLeave(LIVEKIT_LEAVE_REQUEST));
        const unsupportedLeave = { ...LIVEKIT_LEAVE_REQUEST, delay_id: "syd_unsupported" };
        await s.widgetCall(
            "error_unrecognized",
            `delegateRtcLivekitDelayedLeave(${q(unsupportedLeave)}); the fake driver throws HTTP 404 M_UNRECOGNIZED`,
            (a) => a.delegateRtcLivekitDelayedLeave(unsupportedLeave),
        );
        await s.widgetCall("cancel", `cancelScheduledDelayedEvent("${DELAY_ID}")`, (a) => a.cancelScheduledDelayedEvent(DELAY_ID));
        await s.widgetCall("basic", `readRoomAccountData("${ACCOUNT_DATA}")`, (a) => a.readRoomAccountData(ACCOUNT_DATA));
        await s.widgetCall("room_ids_any", `readRoomAccountData("${ACCOUNT_DATA}", [Symbols.AnyRoom])`, (a) => a.readRoomAccountData(ACCOUNT_DATA, [Symbols.AnyRoom]));
        await s.widgetCall("room_ids_list", `readRoomAccountData("${ACCOUNT_DATA}", ["${ROOM}", "${OTHER_ROOM}"]) (the host ignores room_ids)`, (a) => a.readRoomAccountData(ACCOUNT_DATA, [ROOM, OTHER_ROOM]));
        await s.widgetCall("error_missing_capability", `readRoomAccountData("org.example.other") without its capability`, (a) => a.readRoomAccountData("org.example.other"));
        await s.widgetCall("error_improper_sequence", "sendContentLoaded() although the widget does not set waitForIframeLoad: false", (a) => a.sendContentLoaded());

        // The reference host only understands the unstable names: the stable ones are unknown actions to it.
        const stableData = [
            ["read_events", { type: "m.room.message" }],
            ["navigate", { uri: `https://matrix.to/#/${ROOM}` }],
            ["request_capabilities", { capabilities: [] }],
            ["read_relations", { event_id: "$message_1" }],
            ["user_directory_search", { search_term: "bob" }],
            ["get_media_config", {}],
            ["upload_file", { file: new Blob(["hello"], { type: "text/plain" }) }],
            ["download_file", { content_uri: "mxc://b/file" }],
            ["update_delayed_event", { delay_id: DELAY_ID, action: "cancel" }],
            ["get_rtc_transports", {}],
        ];
        for (const [name, data] of stableData) {
            await s.widgetCall(
                "error_stable_name",
                `transport.send("${name}", ${safeInspect(data)}) (the stable name; no helper sends it)`,
                (a) => a.transport.send(name, data),
            );
        }

        // Host calls: the widget's default replies, then the widget app's own.
        await s.hostCall("visible", "updateVisibility(true)", (h) => h.updateVisibility(true));
        await s.hostCall("hidden", "updateVisibility(false)", (h) => h.updateVisibility(false));
        await s.hostCall("error_unhandled", `updateTheme({"name":"dark"}); the widget app does not intercept`, (h) => h.updateTheme({ name: "dark" }));
        s.widgetReplies.set(TW.ThemeChange, {});
        await s.hostCall("basic", `updateTheme({"name":"dark"}); the widget app intercepts`, (h) => h.updateTheme({ name: "dark" }));
        await s.hostCall("error_unhandled", `updateLanguage("en-GB"); the widget app does not intercept`, (h) => h.updateLanguage("en-GB"));
        s.widgetReplies.set(TW.LanguageChange, {});
        await s.hostCall("basic", `updateLanguage("en-GB"); the widget app intercepts`, (h) => h.updateLanguage("en-GB"));
        await s.hostCall("error_unhandled", "takeScreenshot(); the widget app does not intercept", (h) => h.takeScreenshot());
        s.widgetReplies.set(TW.TakeScreenshot, () => ({ screenshot: new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], { type: "image/png" }) }));
        await s.hostCall("basic", "takeScreenshot(); the widget app intercepts and answers with a PNG Blob", (h) => h.takeScreenshot());
        const toDevice = { type: PING, sender: "@b:b", content: { ping: 1 } };
        await s.hostCall("error_unhandled", `feedEvent(${q(MESSAGE_EVENT)}); the widget app does not intercept`, (h) => h.feedEvent(MESSAGE_EVENT));
        await s.hostCall("error_unhandled", `feedToDevice(${q(toDevice)}, false); the widget app does not intercept`, (h) => h.feedToDevice(toDevice, false));
        s.widgetReplies.delete(TW.UpdateState);
        await s.hostCall("error_unhandled", `feedStateUpdate(${q(TOPIC_EVENT_2)}); the widget app does not intercept`, (h) => h.feedStateUpdate(TOPIC_EVENT_2));
        await s.hostCall("error_unhandled", `notifyModalWidgetClose({"m.exited":true}); the widget app does not intercept`, (h) => h.notifyModalWidgetClose({ "m.exited": true }));
        for (const a of [TW.SendEvent, TW.SendToDevice, TW.UpdateState, TW.CloseModalWidget]) s.widgetReplies.set(a, {});
        await s.hostCall("room_event", `feedEvent(${q(MESSAGE_EVENT)})`, (h) => h.feedEvent(MESSAGE_EVENT));
        await s.hostCall("state_event", `feedEvent(${q(TOPIC_EVENT_2)})`, (h) => h.feedEvent(TOPIC_EVENT_2));
        await s.hostCall("room_event_deprecated_viewed_room", `feedEvent(${q(REACTION_EVENT)}, "${ROOM}") (deprecated overload)`, (h) => h.feedEvent(REACTION_EVENT, ROOM));
        await s.hostCall("plain", `feedToDevice(${q(toDevice)}, false)`, (h) => h.feedToDevice(toDevice, false));
        await s.hostCall("encrypted", `feedToDevice(${q(toDevice)}, true)`, (h) => h.feedToDevice(toDevice, true));
        await s.hostCall("state_update", `feedStateUpdate(${q(TOPIC_EVENT_2)})`, (h) => h.feedStateUpdate(TOPIC_EVENT_2));
        await s.hostCall("exited", `notifyModalWidgetClose({"m.exited":true})`, (h) => h.notifyModalWidgetClose({ "m.exited": true }));
        await s.hostCall("with_data", `notifyModalWidgetClose({"answer":42,"note":"ok"})`, (h) => h.notifyModalWidgetClose({ answer: 42, note: "ok" }));
        s.close();
    }

    // ---- Session w11: a modal widget (no capabilities), and a repeated capabilities request ----
    {
        const s = new ActionsSession("w11", { requested: [] });
        await s.open(
            [
                ["toWidget", TW.Capabilities, REQ, "none_requested", "on iframe load"],
                ["toWidget", TW.Capabilities, RESP, "none_requested", "no capabilities requested"],
                ["toWidget", TW.NotifyCapabilities, REQ, "none_requested", "after the capabilities reply"],
                ["toWidget", TW.NotifyCapabilities, RESP, "none_requested", "default acknowledgement"],
            ],
            { ignore: [["fromWidget", FW.SupportedApiVersions, REQ], ["fromWidget", FW.SupportedApiVersions, RESP]] },
        );
        await s.hostCall("error_unhandled", `sendWidgetConfig(${q(MODAL_CONFIG)}); the widget app does not intercept`, (h) => h.sendWidgetConfig(MODAL_CONFIG));
        s.widgetReplies.set(TW.WidgetConfig, {});
        await s.hostCall("basic", `sendWidgetConfig(${q(MODAL_CONFIG)}); the widget app intercepts`, (h) => h.sendWidgetConfig(MODAL_CONFIG));
        await s.widgetCall("error_unhandled", `setModalButtonEnabled("com.example.ok", false); the host app does not intercept`, (a) => a.setModalButtonEnabled("com.example.ok", false));
        s.hostReplies.set(FW.SetModalButtonEnabled, {});
        await s.widgetCall("disable", `setModalButtonEnabled("com.example.ok", false); the host app intercepts`, (a) => a.setModalButtonEnabled("com.example.ok", false));
        await s.widgetCall("enable", `setModalButtonEnabled("com.example.delete", true); the host app intercepts`, (a) => a.setModalButtonEnabled("com.example.delete", true));
        await s.hostCall("error_unhandled", `notifyModalWidgetButtonClicked("com.example.ok"); the widget app does not intercept`, (h) => h.notifyModalWidgetButtonClicked("com.example.ok"));
        s.widgetReplies.set(TW.ButtonClicked, {});
        await s.hostCall("basic", `notifyModalWidgetButtonClicked("com.example.ok"); the widget app intercepts`, (h) => h.notifyModalWidgetButtonClicked("com.example.ok"));
        await s.widgetCall("error_unhandled", `closeModalWidget({"answer":42}); the host app does not intercept`, (a) => a.closeModalWidget({ answer: 42 }));
        s.hostReplies.set(FW.CloseModalWidget, {});
        await s.widgetCall("with_data", `closeModalWidget({"answer":42}); the host app intercepts`, (a) => a.closeModalWidget({ answer: 42 }));
        await s.widgetCall("basic", "closeModalWidget() (default data {}); the host app intercepts", (a) => a.closeModalWidget());
        await s.step("the iframe fires load again, so the host asks for capabilities a second time", () => s.iframe.fireLoad(), [
            ["toWidget", TW.Capabilities, REQ, "error_already_negotiated", "on a second iframe load"],
            ["toWidget", TW.Capabilities, RESP, "error_already_negotiated", "default reply once negotiation has completed"],
        ]);
        s.close();
    }

    // ---- Session w12: TURN servers ----
    {
        const s = new ActionsSession("w12", { requested: [MatrixCapabilities.MSC3846TurnServers] });
        await s.open([], {
            ignore: [
                ["fromWidget", FW.SupportedApiVersions, REQ], ["fromWidget", FW.SupportedApiVersions, RESP],
                ["toWidget", TW.Capabilities, REQ], ["toWidget", TW.Capabilities, RESP],
                ["toWidget", TW.NotifyCapabilities, REQ], ["toWidget", TW.NotifyCapabilities, RESP],
            ],
        });
        s.driver.turn = new FakeTurnServers([TURN_1]);
        let gen;
        await s.widgetCall(
            "basic",
            "getTurnServers().next() (the generator watches, then waits for the first credentials)",
            (a) => {
                gen = a.getTurnServers();
                return gen.next();
            },
            [
                ["toWidget", TW.UpdateTurnServers, REQ, "initial", "the first credentials, right after acknowledging watch_turn_servers"],
                ["toWidget", TW.UpdateTurnServers, RESP, "initial", "acknowledged by getTurnServers()'s own listener"],
            ],
        );
        await s.hostCall(
            "refresh",
            "the credentials expired: the driver yields new ones (the widget awaits gen.next())",
            () => {
                const p = gen.next();
                s.driver.turn.push(TURN_2);
                return p;
            },
            [],
            { promise: "widget gen.next()" },
        );
        await s.widgetCall("already_watching", `transport.send("${FW.WatchTurnServers}", {}) while watching`, (a) => a.transport.send(FW.WatchTurnServers, {}));
        await s.widgetCall("basic", "gen.return() (the last consumer stops)", () => gen.return(), [], { promise: "widget gen.return()" });
        await s.widgetCall("not_watching", `transport.send("${FW.UnwatchTurnServers}", {}) while not watching`, (a) => a.transport.send(FW.UnwatchTurnServers, {}));
        s.driver.turn = null;
        await s.widgetCall("error_not_available", "getTurnServers().next(); the driver's credential source is exhausted", (a) => a.getTurnServers().next());
        s.driver.turn = new FakeTurnServers([TURN_1]);
        await s.widgetCall(
            "raw",
            `transport.send("${FW.WatchTurnServers}", {}) (not through getTurnServers, so nothing listens for update_turn_servers)`,
            (a) => a.transport.send(FW.WatchTurnServers, {}),
            [
                ["toWidget", TW.UpdateTurnServers, REQ, "error_unhandled", "the first credentials"],
                ["toWidget", TW.UpdateTurnServers, RESP, "error_unhandled", "default reply: no listener"],
            ],
        );
        s.close();
    }

    // ---- Session w13: everything requested, nothing approved ----
    {
        const requested = [
            MatrixCapabilities.MSC3846TurnServers,
            MatrixCapabilities.MSC3973UserDirectorySearch,
            MatrixCapabilities.MSC4039UploadFile,
            MatrixCapabilities.MSC4039DownloadFile,
            MatrixCapabilities.MSC4515RtcTransports,
            MatrixCapabilities.MSC4533RtcLivekitGetToken,
            MatrixCapabilities.MSC4533RtcLivekitDelegateDelayedLeave,
            MatrixCapabilities.MSC4157UpdateDelayedEvent,
        ];
        const s = new ActionsSession("w13", { requested, approve: () => false });
        await s.open(
            [
                ["toWidget", TW.Capabilities, REQ, "all_denied", "on iframe load"],
                ["toWidget", TW.Capabilities, RESP, "all_denied", `after requestCapabilities(${q(requested)})`],
                ["toWidget", TW.NotifyCapabilities, REQ, "all_denied", "after the capabilities reply; the fake driver approved nothing"],
                ["toWidget", TW.NotifyCapabilities, RESP, "all_denied", "default acknowledgement"],
            ],
            { ignore: [["fromWidget", FW.SupportedApiVersions, REQ], ["fromWidget", FW.SupportedApiVersions, RESP]] },
        );
        const denied = "error_missing_capability";
        await s.widgetCall(denied, "getTurnServers().next()", (a) => a.getTurnServers().next());
        await s.widgetCall(denied, `transport.send("${FW.UnwatchTurnServers}", {}) (getTurnServers only unwatches after a successful watch)`, (a) => a.transport.send(FW.UnwatchTurnServers, {}));
        await s.widgetCall(denied, `searchUserDirectory("bob")`, (a) => a.searchUserDirectory("bob"));
        await s.widgetCall(denied, "getMediaConfig() (gated by the upload_file capability)", (a) => a.getMediaConfig());
        await s.widgetCall(denied, `uploadFile(new Blob(["hello"]))`, (a) => a.uploadFile(new Blob(["hello"])));
        await s.widgetCall(denied, `downloadFile("mxc://b/file")`, (a) => a.downloadFile("mxc://b/file"));
        await s.widgetCall(denied, "getRtcTransports()", (a) => a.getRtcTransports());
        await s.widgetCall(denied, `getRtcLivekitToken(${q(LIVEKIT_TOKEN_REQUEST)})`, (a) => a.getRtcLivekitToken(LIVEKIT_TOKEN_REQUEST));
        await s.widgetCall(denied, `delegateRtcLivekitDelayedLeave(${q(LIVEKIT_LEAVE_REQUEST)})`, (a) => a.delegateRtcLivekitDelayedLeave(LIVEKIT_LEAVE_REQUEST));
        await s.widgetCall(denied, `cancelScheduledDelayedEvent("${DELAY_ID}")`, (a) => a.cancelScheduledDelayedEvent(DELAY_ID));
        s.close();
    }

    // ---- Session w14: a widget that says when its content is loaded ----
    {
        const s = new ActionsSession("w14", { requested: [], definition: { waitForIframeLoad: false } });
        await s.open([], { ignore: [["fromWidget", FW.SupportedApiVersions, REQ], ["fromWidget", FW.SupportedApiVersions, RESP]] });
        await s.widgetCall("basic", "sendContentLoaded() (the widget definition sets waitForIframeLoad: false)", (a) => a.sendContentLoaded(), [], {
            ignore: [
                ["toWidget", TW.Capabilities, REQ], ["toWidget", TW.Capabilities, RESP],
                ["toWidget", TW.NotifyCapabilities, REQ], ["toWidget", TW.NotifyCapabilities, RESP],
            ],
        });
        s.close();
    }

    // ---- Session w15: a widget that does not advertise org.matrix.msc2762_update_state ----
    {
        const versions = ["0.0.1", "0.0.2", "org.matrix.msc2762", "org.matrix.msc2871", "org.matrix.msc3819"];
        const requested = [cap.timeline(ROOM), cap.receiveState("m.room.topic")];
        const s = new ActionsSession("w15", {
            requested,
            widgetReplies: { [TW.SupportedApiVersions]: { supported_versions: versions }, [TW.SendEvent]: {} },
        });
        await s.open(
            [
                ["toWidget", TW.SupportedApiVersions, REQ, "without_update_state", "getWidgetVersions(), called while pushing the initial room state"],
                ["toWidget", TW.SupportedApiVersions, RESP, "without_update_state"],
            ],
            {
                ignore: [
                    ["fromWidget", FW.SupportedApiVersions, REQ], ["fromWidget", FW.SupportedApiVersions, RESP],
                    ["toWidget", TW.Capabilities, REQ], ["toWidget", TW.Capabilities, RESP],
                    ["toWidget", TW.NotifyCapabilities, REQ], ["toWidget", TW.NotifyCapabilities, RESP],
                ],
            },
        );
        await s.hostCall("state_event_without_update_state", `feedEvent(${q(TOPIC_EVENT_2)})`, (h) => h.feedEvent(TOPIC_EVENT_2));
        await s.widgetCall("state_key_true_without_update_state", `readStateEvents("m.room.topic") (the host reads room state, not the timeline)`, (a) => a.readStateEvents("m.room.topic"));
        const none = await s.step(`feedStateUpdate(${q(TOPIC_EVENT_2)}): nothing is posted to such a widget`, () => s.host.feedStateUpdate(TOPIC_EVENT_2), []);
        if (none.length !== 0) throw new Error("feedStateUpdate posted to a widget without update_state");
        s.close();
    }

    // ---- Session w16: sticky events and an empty initial state ----
    {
        const requested = [cap.timeline(ROOM), cap.receiveEvent("m.room.message"), cap.receiveState("m.room.name"), MatrixCapabilities.MSC4407ReceiveStickyEvent];
        const s = new ActionsSession("w16", { requested, widgetReplies: { [TW.SendEvent]: {}, [TW.UpdateState]: {} } });
        await s.open(
            [
                ["toWidget", TW.SendEvent, REQ, "sticky_push", `sticky events pushed after approval of ${MatrixCapabilities.MSC4407ReceiveStickyEvent} (driver.readStickyEvents)`],
                ["toWidget", TW.SendEvent, RESP, "sticky_push"],
                ["toWidget", TW.UpdateState, REQ, "initial_state_empty", "initial state push; the driver has no m.room.name state"],
                ["toWidget", TW.UpdateState, RESP, "initial_state_empty"],
            ],
            {
                ignore: [
                    ["fromWidget", FW.SupportedApiVersions, REQ], ["fromWidget", FW.SupportedApiVersions, RESP],
                    ["toWidget", TW.SupportedApiVersions, REQ], ["toWidget", TW.SupportedApiVersions, RESP],
                    ["toWidget", TW.Capabilities, REQ], ["toWidget", TW.Capabilities, RESP],
                    ["toWidget", TW.NotifyCapabilities, REQ], ["toWidget", TW.NotifyCapabilities, RESP],
                ],
            },
        );
        s.close();
    }

    // Every action of both directions has a request and a response.
    for (const [dir, list] of [["from_widget", FROM_WIDGET_ACTIONS], ["to_widget", TO_WIDGET_ACTIONS]]) {
        for (const a of list) {
            for (const kind of [REQ, RESP]) {
                const prefix = `${dir}.${a}.${kind}.`;
                const found = [...current.files.keys()].some((f) => f.startsWith(prefix) && !f.slice(prefix.length, -5).includes("."));
                if (!found) throw new Error(`no fixture for ${dir} ${a} ${kind}`);
            }
        }
    }

    // ---- Stable spellings, derived ----
    current = SPELLINGS_OUT;
    const derive = [
        ["read_events", "room_events"],
        ["navigate", "basic"],
        ["request_capabilities", "basic"],
        ["read_relations", "basic"],
        ["user_directory_search", "basic"],
        ["get_media_config", "basic"],
        ["upload_file", "basic"],
        ["download_file", "basic"],
        ["get_rtc_transports", "basic"],
    ];
    for (const [stable, kase] of derive) {
        for (const kind of [REQ, RESP]) {
            const source = `from_widget.${stable}.${kind}.${kase}.json`;
            const captured = ACTIONS_OUT.files.get(source);
            if (!captured) throw new Error(`no ${source} to derive from`);
            const o = JSON.parse(captured.content);
            const unstable = o.action;
            if (STABLE_NAME[unstable] !== stable) throw new Error(`${source}: action ${unstable}`);
            o.action = stable;
            addFile(
                `from_widget.${stable}.${kind}.stable_name.json`,
                JSON.stringify(o),
                `derived by capture.mjs from ../widget-api-1.19/${source}: \`action\` "${unstable}" replaced by "${stable}", nothing else changed`,
            );
        }
    }
}

// ---------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------
function render(output) {
    const names = [...output.files.keys()].sort();
    const rendered = new Map();
    for (const n of names) rendered.set(n, output.files.get(n).content);
    const manifest = names.map((file) => {
        const { produced_by, note } = output.files.get(file);
        return { file, produced_by, ...(note && { note }) };
    });
    rendered.set("MANIFEST.json", JSON.stringify(manifest, null, 2) + "\n");
    return rendered;
}

await run();
await settle();
await runActions();
await settle();

let drift = 0;
for (const output of OUTPUTS) {
    const rendered = render(output);
    const dir = output.dir;
    // Only JSON files are ours; a README.md next to them is hand-written.
    const existing = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".json")) : [];
    const where = relative(join(HERE, ".."), dir);
    if (CHECK) {
        const problems = [];
        for (const [name, content] of rendered) {
            const p = join(dir, name);
            if (!existsSync(p)) problems.push(`missing: ${where}/${name}`);
            else if (readFileSync(p, "utf8") !== content) problems.push(`stale: ${where}/${name}`);
        }
        for (const f of existing) if (!rendered.has(f)) problems.push(`extra: ${where}/${f}`);
        for (const p of problems) out(p);
        drift += problems.length;
        out(
            problems.length
                ? `${output.label} fixtures: ${problems.length} problem(s) vs matrix-widget-api ${libVersion}`
                : `${output.label} fixtures: ${rendered.size} files match matrix-widget-api ${libVersion}`,
        );
    } else {
        mkdirSync(dir, { recursive: true });
        for (const f of existing) if (!rendered.has(f)) unlinkSync(join(dir, f));
        for (const [name, content] of rendered) writeFileSync(join(dir, name), content);
        out(`${output.label} fixtures: wrote ${rendered.size} files from matrix-widget-api ${libVersion} to ${where}`);
    }
}
if (drift) {
    out(`run \`node capture.mjs\` to regenerate`);
    process.exit(1);
}
process.exit(0);
