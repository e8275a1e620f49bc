// Live scenario 2: Element Call's stack ⇄ the Rust host session (`widget-api host`).
//
// matrix-js-sdk's `RoomWidgetClient` (what Element Call runs in widget mode) over the real
// matrix-widget-api `WidgetApi`, and MatrixRTC's `MembershipManager` on it, join a call
// through the Rust host: the delayed leave is scheduled (MSC4157 over MSC4140), the
// membership is sent, the delayed leave is kept alive with restarts, and hanging up sends
// the scheduled leave. Node plays the host environment (the homeserver); it must see the
// scheduled leave (`send_delayed_event`), its restarts and its send (`update_delayed_event`),
// and the host must never refuse the widget. Intervals are shortened so it runs in about
// a second. Then the same with MSC4354 sticky memberships (`StickyEventMembershipManager`):
// a sticky, delayed leave.
//
// Run by `cargo xtask live` (and `cargo xtask ci`); by hand: `node live/call.mjs` after
// `cargo build -p matrix-widget-api-cli`.
import { createRoomWidgetClient } from "matrix-js-sdk";
import { logger } from "matrix-js-sdk/lib/logger.js";
import { MembershipManager, StickyEventMembershipManager } from "matrix-js-sdk/lib/matrixrtc/MembershipManager.js";
import { WidgetApi } from "matrix-widget-api";
import { check, same, scenario } from "./bridge.mjs";

const WIDGET = "element-call";
const USER = "@alice:example.org";
const DEVICE = "ALICEDEV";
const ROOM = "!call:example.org";
const MEMBER = "org.matrix.msc3401.call.member";
const RTC_MEMBER = "org.matrix.msc4143.rtc.member";
const KEY = `_${USER}_${DEVICE}_m.call`;
const SLOT = { application: "m.call", id: "ROOM" };
const TRANSPORT = { type: "livekit", livekit_service_url: "https://sfu.example.org", livekit_alias: ROOM };
const RESTARTS = 3;

// matrix-js-sdk 43 declares node >= 22 and uses ES2024's Promise.withResolvers, which the
// browsers Element Call runs in have and node 20 lacks: supply the standard built-in.
Promise.withResolvers ??= function withResolvers() {
    let resolve, reject;
    const promise = new this((res, rej) => ((resolve = res), (reject = rej)));
    return { promise, resolve, reject };
};

// The one homeserver request a widget makes itself: RoomWidgetClient asks
// GET /_matrix/client/versions (unauthenticated, as Element Call does from the widget)
// whether the server supports MSC4140 before it schedules a delayed event. Anything else
// over HTTP would bypass the host, and fails the scenario.
const httpRequests = [];
globalThis.fetch = async (url) => {
    const path = new URL(String(url)).pathname;
    httpRequests.push(path);
    if (path === "/_matrix/client/versions") {
        const body = { versions: ["v1.12"], unstable_features: { "org.matrix.msc4140": true, "org.matrix.msc4354": true } };
        return new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });
    }
    return new Response(JSON.stringify({ errcode: "M_UNRECOGNIZED", error: `the widget called ${path} itself` }), { status: 404, headers: { "content-type": "application/json" } });
};

// matrix-js-sdk logs every step; the transcript is what matters when a scenario fails.
logger.setLevel?.("silent");
for (const name of ["info", "debug", "warn", "trace"]) console[name] = () => {};

/** The homeserver behind the host: schedules, sends and restarts; remembers it all. */
function homeserver({ loseAfterRestarts = Infinity } = {}) {
    let events = 0;
    let delays = 0;
    let restarts = 0;
    return (request) => {
        switch (request.request) {
            case "approve_capabilities":
                return { ok: request.requested };
            case "read_state":
                return { ok: { events: [] } };
            case "read_sticky_events":
                return { ok: { events: [] } };
            case "send_event":
                return { ok: { room_id: request.room_id, event_id: `$event${++events}` } };
            case "send_delayed_event":
                return { ok: { room_id: request.room_id, delay_id: `syd_leave${++delays}` } };
            case "update_delayed_event":
                // A homeserver that lost the delayed event (a restart, say) answers 404.
                if (request.data.action === "restart" && ++restarts > loseAfterRestarts && delays === 1) {
                    const url = `https://matrix.example.org/_matrix/client/unstable/org.matrix.msc4140/delayed_events/${request.data.delay_id}/restart`;
                    return { error: { message: "Delayed event not found", matrix_api_error: { http_status: 404, http_headers: {}, url, response: { errcode: "M_NOT_FOUND", error: "Delayed event not found" } } } };
                }
                return { ok: {} };
            default:
                throw new Error(`Element Call asked for ${JSON.stringify(request)}`);
        }
    };
}

/** What a call through the host must have looked like to the homeserver. */
function assertCall(bridge, { leave, join, delayId = "syd_leave1", schedules = 1 }) {
    const scheduled = bridge.seen("send_delayed_event");
    same(scheduled.length, schedules, `${schedules} delayed leave(s) scheduled`);
    leave(scheduled[0]);
    check(scheduled[0].data.delay === 1000, `the leave's delay: ${JSON.stringify(scheduled[0].data)}`);
    const sent = bridge.seen("send_event");
    check(sent.length >= 1, "the membership is sent");
    join(sent[0]);
    // Scheduled before the membership, as MSC4140 wants (the leave cannot be lost).
    check(bridge.requests.indexOf(scheduled[0]) < bridge.requests.indexOf(sent[0]), "the leave is scheduled before the join");
    const all = bridge.seen("update_delayed_event").map((r) => r.data);
    const restarts = all.filter((u) => u.action === "restart" && u.delay_id === delayId);
    check(restarts.length >= RESTARTS, `at least ${RESTARTS} restarts of ${delayId}: ${JSON.stringify(all)}`);
    if (schedules === 1) for (const u of all) same(u.delay_id, delayId, "every update is of the scheduled leave");
    same(all.at(-1), { delay_id: delayId, action: "send" }, "hanging up sends the scheduled leave");
    same([...new Set(httpRequests)], ["/_matrix/client/versions"], "the widget's own HTTP requests");
    // The only refusals the widget may see are the homeserver's: the host refuses nothing.
    const refusals = bridge.messages.filter((m) => m.to === "widget" && m.message.response?.error && !m.message.response.error.matrix_api_error);
    same(refusals.map((m) => m.message), [], "the host refuses Element Call nothing");
    process.stdout.write(`  the homeserver saw: ${bridge.requests.map((r) => r.request + (r.data?.action ? `(${r.data.action})` : "")).join(", ")}\n`);
}

async function call(bridge, { capabilities, makeManager, restartsOf, contentLoaded = false }) {
    const widgetApi = new WidgetApi(WIDGET);
    // `waitForIframeLoad: true` (Element Web's setting): no content_loaded, the host starts on
    // the iframe's load event; `false`: RoomWidgetClient sends content_loaded, the host
    // (`--start content-loaded`) starts on it.
    const client = createRoomWidgetClient(widgetApi, capabilities, ROOM, { baseUrl: "https://matrix.example.org", userId: USER, deviceId: DEVICE }, contentLoaded);
    bridge.call("iframe_loaded");
    await client.startClient();
    const room = client.getRoom(ROOM);
    check(room, "the widget client has the call room");
    const errors = [];
    const manager = makeManager(room, client);
    manager.join([TRANSPORT], TRANSPORT, (e) => errors.push(e));
    const restarts = () => bridge.seen("update_delayed_event").filter((r) => r.data.action === "restart" && (!restartsOf || r.data.delay_id === restartsOf));
    await bridge.until(() => restarts().length >= RESTARTS, `${RESTARTS} restarts of the delayed leave`, 10_000);
    same(await manager.leave(5000), true, "the membership manager leaves in time");
    same(errors.map(String), [], "the membership manager's errors");
    client.stopClient();
}

const membershipConfig = { delayedLeaveEventDelayMs: 1000, delayedLeaveEventRestartMs: 100, networkErrorRetryMs: 100 };

await scenario(
    "call.mjs: Element Call (RoomWidgetClient + MembershipManager) ⇄ widget-api host",
    { args: ["--widget-id", WIDGET, "--room", ROOM, "--user-id", USER, "--device-id", DEVICE], environment: homeserver() },
    async (bridge) => {
        await call(bridge, {
            capabilities: {
                sendState: [{ eventType: MEMBER, stateKey: KEY }],
                receiveState: [{ eventType: MEMBER }],
                sendDelayedEvents: true,
                updateDelayedEvents: true,
            },
            makeManager: (room, client) => new MembershipManager(membershipConfig, room, client, SLOT),
        });
        assertCall(bridge, {
            leave: (r) => same([r.room_id, r.data.type, r.data.state_key, r.data.content], [ROOM, MEMBER, KEY, {}], "the delayed leave is an empty membership"),
            join: (r) => {
                same([r.room_id, r.data.type, r.data.state_key], [ROOM, MEMBER, KEY], "the join is the membership state event");
                same([r.data.content.application, r.data.content.device_id], ["m.call", DEVICE], "the membership content");
            },
        });
    },
);

await scenario(
    "call.mjs: Element Call with sticky memberships (MSC4354), content_loaded start ⇄ widget-api host",
    { args: ["--widget-id", WIDGET, "--room", ROOM, "--user-id", USER, "--device-id", DEVICE, "--start", "content-loaded"], environment: homeserver() },
    async (bridge) => {
        await call(bridge, {
            contentLoaded: true,
            capabilities: {
                sendEvent: [RTC_MEMBER],
                receiveEvent: [RTC_MEMBER],
                sendDelayedEvents: true,
                updateDelayedEvents: true,
                sendSticky: true,
                receiveSticky: true,
            },
            makeManager: (room, client) => new StickyEventMembershipManager(membershipConfig, room, client, SLOT, "member-1"),
        });
        const loaded = bridge.messages.find((m) => m.to === "widget" && m.message.action === "content_loaded");
        same(loaded?.message.response, {}, "content_loaded is acknowledged");
        assertCall(bridge, {
            leave: (r) => {
                same([r.room_id, r.data.type, r.data.state_key], [ROOM, RTC_MEMBER, undefined], "the delayed leave is a sticky room event");
                check(r.data.sticky_duration_ms > 0, `the delayed leave is sticky: ${JSON.stringify(r.data)}`);
            },
            join: (r) => {
                same([r.room_id, r.data.type], [ROOM, RTC_MEMBER], "the join is a sticky membership event");
                check(r.data.sticky_duration_ms > 0 && r.data.delay === undefined, `the join is sticky and not delayed: ${JSON.stringify(r.data)}`);
            },
        });
    },
);

await scenario(
    "call.mjs: Element Call re-schedules a delayed leave the homeserver lost ⇄ widget-api host",
    { args: ["--widget-id", WIDGET, "--room", ROOM, "--user-id", USER, "--device-id", DEVICE], environment: homeserver({ loseAfterRestarts: 1 }) },
    async (bridge) => {
        await call(bridge, {
            capabilities: {
                sendState: [{ eventType: MEMBER, stateKey: KEY }],
                receiveState: [{ eventType: MEMBER }],
                sendDelayedEvents: true,
                updateDelayedEvents: true,
            },
            makeManager: (room, client) => new MembershipManager(membershipConfig, room, client, SLOT),
            restartsOf: "syd_leave2",
        });
        // The 404 reached matrix-js-sdk as M_NOT_FOUND: it scheduled a new leave, which the
        // host's delay ledger then lets it restart and send.
        const lost = bridge.messages.find((m) => m.to === "widget" && m.message.response?.error?.matrix_api_error?.response?.errcode === "M_NOT_FOUND");
        check(lost, "the homeserver's 404 reached the widget with its Matrix error");
        assertCall(bridge, {
            schedules: 2,
            delayId: "syd_leave2",
            leave: (r) => same([r.data.type, r.data.state_key, r.data.content], [MEMBER, KEY, {}], "the first delayed leave"),
            join: (r) => same([r.data.type, r.data.state_key], [MEMBER, KEY], "the join"),
        });
        const second = bridge.seen("send_delayed_event")[1];
        same([second.data.type, second.data.state_key, second.data.content], [MEMBER, KEY, {}], "the re-scheduled leave");
    },
);

// matrix-js-sdk leaves timers behind (the leave timeout, its retry clocks): end here.
process.exit(process.exitCode ?? 0);
