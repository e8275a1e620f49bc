// The reference's permission verdicts, for the Rust permission engine's differential test.
//
//   node permit.mjs < cases.jsonl > verdicts.jsonl
//
// Reads one case per line (JSON) and writes one verdict per line, in order:
// `{"id": <id>, "allowed": <bool>, "detail": <what happened>}`. Each case runs against a
// fresh, real `ClientWidgetApi` (matrix-widget-api, exactly the version in
// package-lock.json) with the case's capabilities approved and its viewed room set; its
// transport is replaced by a recorder (nothing is posted), and its `WidgetDriver` is a
// fake that succeeds at everything, so any error reply is the host's own refusal.
//
// Case kinds (field `kind`):
//   request        `message` is a fromWidget request; allowed = the reply is not an error
//   feed_event     `event` goes through `feedEvent`; allowed = it was pushed as `send_event`
//   feed_state     `event` goes through `feedStateUpdate`; allowed = pushed in `update_state`
//   feed_to_device `event` goes through `feedToDevice(event, encrypted)`; allowed = pushed
//   relation       `read_relations` whose driver returns `[event]`; allowed = it is in `chunk`
//   sticky         the driver's current sticky events are `[event]` when capabilities are
//                  granted; allowed = it was pushed as `send_event`
//   parse          `cap` through `WidgetEventCapability.findEventCapabilities`; the verdict
//                  carries `parsed: {kind, direction, eventType, keyStr}` or `parsed: null`

import { createInterface } from "node:readline";
import { createRequire } from "node:module";

import { ClientWidgetApi, WidgetDriver, Widget, WidgetEventCapability } from "matrix-widget-api";

const EXPECTED_VERSION = "1.19.0";
const require = createRequire(import.meta.url);
const libVersion = require("matrix-widget-api/package.json").version;
if (libVersion !== EXPECTED_VERSION) {
    console.error(`matrix-widget-api ${libVersion} is installed, expected ${EXPECTED_VERSION}; run \`npm ci\` in tests/npm`);
    process.exit(2);
}
if (typeof CustomEvent !== "function" || typeof structuredClone !== "function") {
    console.error(`Node ${process.version} lacks CustomEvent/structuredClone (used by matrix-widget-api); use Node >= 20`);
    process.exit(2);
}

// The library logs a lot; keep stdout for verdicts.
for (const level of ["log", "debug", "info", "warn", "error"]) console[level] = () => {};

// Window stubs: the transport listens on globalThis; nothing is ever posted.
globalThis.addEventListener = () => {};
globalThis.removeEventListener = () => {};
const KNOWN_ROOMS = ["!r:b", "!other:b", "!third:b"];

class FakeDriver extends WidgetDriver {
    constructor() {
        super();
        this.relations = [];
        this.sticky = [];
    }
    async validateCapabilities(requested) {
        return new Set(requested);
    }
    async sendEvent(type, content, stateKey, roomId) {
        return { roomId: roomId || "!r:b", eventId: "$event" };
    }
    async sendStickyEvent(duration, type, content, roomId) {
        return { roomId: roomId || "!r:b", eventId: "$sticky" };
    }
    async sendDelayedEvent(delay, type, content, stateKey, roomId) {
        return { roomId: roomId || "!r:b", delayId: "syd_abc" };
    }
    async sendDelayedStickyEvent(delay, duration, type, content, roomId) {
        return { roomId: roomId || "!r:b", delayId: "syd_abc" };
    }
    async cancelScheduledDelayedEvent() {}
    async restartScheduledDelayedEvent() {}
    async sendScheduledDelayedEvent() {}
    async sendToDevice() {}
    async *getTurnServers() {
        yield { uris: ["turn:example.org"], username: "u", password: "p" };
    }
    async readRoomTimeline() {
        return [];
    }
    async readRoomState() {
        return [];
    }
    async readRoomEvents() {
        return [];
    }
    async readStateEvents() {
        return [];
    }
    async readStickyEvents(roomId) {
        return this.sticky.filter((e) => e.room_id === roomId);
    }
    async readRoomAccountData() {
        return [];
    }
    async readEventRelations() {
        return { chunk: this.relations };
    }
    async searchUserDirectory() {
        return { limited: false, results: [] };
    }
    async getMediaConfig() {
        return { "m.upload.size": 1 };
    }
    async uploadFile() {
        return { contentUri: "mxc://b/x" };
    }
    async downloadFile() {
        return { file: "x" };
    }
    async getRtcTransports() {
        return { rtc_transports: [] };
    }
    async getRtcLivekitToken() {
        return { jwt: "jwt" };
    }
    async delegateRtcLivekitDelayedLeave() {
        return {};
    }
    async navigate() {}
    getKnownRooms() {
        return KNOWN_ROOMS;
    }
    processError() {
        return undefined;
    }
}

/** Let promise chains and `setImmediate` callbacks run out. */
async function settle(rounds = 20) {
    for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
}

async function host(kase, setup = () => {}) {
    const driver = new FakeDriver();
    setup(driver);
    const widget = new Widget({
        id: "w",
        creatorUserId: "@a:b",
        type: "m.custom",
        url: "https://widget.example.org/widget.html",
        waitForIframeLoad: false,
    });
    const iframe = { contentWindow: { postMessage() {} }, addEventListener() {} };
    const api = new ClientWidgetApi(widget, iframe, driver);
    const replies = [];
    const sends = [];
    api.transport.reply = (request, response) => replies.push(response);
    api.transport.send = async (action, data) => {
        sends.push({ action, data });
        if (action === "supported_api_versions") return { supported_versions: ["org.matrix.msc2762_update_state"] };
        return {};
    };
    if (kase.viewed !== null) api.setViewedRoomId(kase.viewed);
    api.allowCapabilities(kase.caps, kase.caps);
    await settle();
    sends.length = 0;
    return { api, driver, replies, sends };
}

async function request(api, replies, message) {
    await api.handleMessage({ detail: message });
    for (let i = 0; i < 200 && replies.length === 0; i++) await new Promise((r) => setImmediate(r));
    return replies[0];
}

const pushedEvent = (sends, action, event) =>
    sends.some((s) => s.action === action && (action === "update_state" ? s.data.state.includes(event) : s.data === event));

async function verdict(kase) {
    switch (kase.kind) {
        case "parse": {
            const [p] = WidgetEventCapability.findEventCapabilities([kase.cap]);
            const parsed = p ? { kind: p.kind, direction: p.direction, eventType: p.eventType, keyStr: p.keyStr } : null;
            return { allowed: p !== undefined, parsed };
        }
        case "request": {
            const { api, replies } = await host(kase);
            const reply = await request(api, replies, kase.message);
            api.stop();
            if (reply === undefined) return { allowed: false, detail: "no reply" };
            const error = reply && reply.error;
            return { allowed: !error, detail: error ? error.message : "ok" };
        }
        case "relation": {
            const { api, replies } = await host(kase, (d) => (d.relations = [kase.event]));
            const message = { api: "fromWidget", widgetId: "w", requestId: "r", action: "org.matrix.msc3869.read_relations", data: { event_id: "$e" } };
            const reply = await request(api, replies, message);
            api.stop();
            if (!reply || reply.error) return { allowed: false, detail: `read_relations failed: ${JSON.stringify(reply)}` };
            return { allowed: reply.chunk.length === 1, detail: "chunk" };
        }
        case "sticky": {
            const { api, sends } = await hostWithSticky(kase);
            api.stop();
            return { allowed: pushedEvent(sends, "send_event", kase.event), detail: "sticky push" };
        }
        case "feed_event": {
            const { api, sends } = await host(kase);
            await api.feedEvent(kase.event);
            await settle();
            api.stop();
            return { allowed: pushedEvent(sends, "send_event", kase.event), detail: "feedEvent" };
        }
        case "feed_state": {
            const { api, sends } = await host(kase);
            await api.feedStateUpdate(kase.event);
            await settle();
            api.stop();
            return { allowed: pushedEvent(sends, "update_state", kase.event), detail: "feedStateUpdate" };
        }
        case "feed_to_device": {
            const { api, sends } = await host(kase);
            await api.feedToDevice(kase.event, kase.encrypted);
            await settle();
            api.stop();
            return { allowed: sends.some((s) => s.action === "send_to_device" && s.data.type === kase.event.type), detail: "feedToDevice" };
        }
        default:
            throw new Error(`unknown case kind ${kase.kind}`);
    }
}

/** Like `host`, but the sticky events are pushed during `allowCapabilities`, so record then. */
async function hostWithSticky(kase) {
    const driver = new FakeDriver();
    driver.sticky = [kase.event];
    const widget = new Widget({ id: "w", creatorUserId: "@a:b", type: "m.custom", url: "https://widget.example.org/widget.html" });
    const iframe = { contentWindow: { postMessage() {} }, addEventListener() {} };
    const api = new ClientWidgetApi(widget, iframe, driver);
    const sends = [];
    api.transport.reply = () => {};
    api.transport.send = async (action, data) => {
        sends.push({ action, data });
        return action === "supported_api_versions" ? { supported_versions: [] } : {};
    };
    if (kase.viewed !== null) api.setViewedRoomId(kase.viewed);
    api.allowCapabilities(kase.caps, kase.caps);
    await settle();
    return { api, sends };
}

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
    if (line.trim() === "") continue;
    const kase = JSON.parse(line);
    let result;
    try {
        result = await verdict(kase);
    } catch (e) {
        // Not a verdict: the Rust side fails on it.
        result = { allowed: false, error: `threw: ${e && e.stack}` };
    }
    process.stdout.write(JSON.stringify({ id: kase.id, ...result }) + "\n");
}
