// Captures the exact postMessage payloads that the real `matrix-widget-api`
// package emits for MSC4157 (delayed events), in both roles, and writes them
// as fixtures for the Rust decoder tests.
//
//   node capture.mjs           regenerate tests/fixtures/msc4157/widget-api-1.19/
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
import { dirname, join } from "node:path";
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
} from "matrix-widget-api";

const EXPECTED_VERSION = "1.19.0";
const HERE = dirname(fileURLToPath(import.meta.url));
const OUT_DIR = join(HERE, "..", "fixtures", "msc4157", "widget-api-1.19");

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

let recorded = []; // { from: "widget"|"host", json, targetOrigin }
let pendingDeliveries = 0;

function post(from, message, targetOrigin, origin, source) {
    recorded.push({ from, json: JSON.stringify(message), targetOrigin });
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
// Sessions and steps
// ---------------------------------------------------------------------------
const files = new Map(); // file name -> { content, produced_by }
let stepIndex = 0;

function addFile(name, json, producedBy) {
    if (files.has(name)) throw new Error(`duplicate fixture name ${name}`);
    files.set(name, { content: json + "\n", produced_by: producedBy });
}

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
        stepIndex++;
        fakeNow = CLOCK_BASE + stepIndex * 1000;
        recorded = [];
        logs.length = 0;
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
    // Session A: exactly the §5.7 capability set, all approved.
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

// ---------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------
function render() {
    const names = [...files.keys()].sort();
    const rendered = new Map();
    for (const n of names) rendered.set(n, files.get(n).content);
    const manifest = names.map((file) => ({ file, produced_by: files.get(file).produced_by }));
    rendered.set("MANIFEST.json", JSON.stringify(manifest, null, 2) + "\n");
    return rendered;
}

await run();
await settle();
const rendered = render();
const existing = existsSync(OUT_DIR) ? readdirSync(OUT_DIR).filter((f) => f.endsWith(".json")) : [];

if (CHECK) {
    const problems = [];
    for (const [name, content] of rendered) {
        const p = join(OUT_DIR, name);
        if (!existsSync(p)) problems.push(`missing: ${name}`);
        else if (readFileSync(p, "utf8") !== content) problems.push(`differs: ${name}`);
    }
    for (const f of existing) if (!rendered.has(f)) problems.push(`unexpected: ${f}`);
    if (problems.length) {
        for (const p of problems) out(p);
        out(`msc4157 fixtures: ${problems.length} problem(s) vs matrix-widget-api ${libVersion}; run \`node capture.mjs\` to regenerate`);
        process.exit(1);
    }
    out(`msc4157 fixtures: ${rendered.size} files match matrix-widget-api ${libVersion}`);
} else {
    mkdirSync(OUT_DIR, { recursive: true });
    for (const f of existing) if (!rendered.has(f)) unlinkSync(join(OUT_DIR, f));
    for (const [name, content] of rendered) writeFileSync(join(OUT_DIR, name), content);
    out(`msc4157 fixtures: wrote ${rendered.size} files from matrix-widget-api ${libVersion} to ${OUT_DIR}`);
}
process.exit(0);
