// The shared machinery of the live scenarios: a spawned `widget-api host` (the Rust host
// session over JSON lines) connected to the real matrix-widget-api `WidgetApi`, in-process,
// through a fake postMessage window; or, mirrored, a spawned `widget-api widget` (the Rust
// widget session) connected to the real `ClientWidgetApi` (see "The other role" below).
//
// - The widget side: `WidgetApi` posts through `globalThis.parent.postMessage` and listens
//   with `globalThis.addEventListener("message")`. `Bridge` installs both: what the widget
//   posts becomes a `{"widget": MESSAGE}` line on the host's standard input, and every
//   `{"to_widget": MESSAGE}` line the host prints is dispatched to the widget as a message
//   event (asynchronously, like a real postMessage).
// - The environment: every `{"environment": ID, "request": NAME, …}` line goes to the
//   scenario's `environment(request)` function; what it returns (`{ok: VALUE}`,
//   `{error: …}`, or `undefined` to answer later with `bridge.answer`) is written back as
//   `{"answer": ID, …}`. Every request is kept in `bridge.requests`.
// - Every message that crosses (both directions) is validated with Ajv against the
//   published schemas (../../../schemas: message.schema.json and the direction's
//   from_widget/to_widget schema), and at the end goes through the Rust types: `widget-api
//   check --role` decodes each as the side that receives it, and `widget-api normalize`
//   must give the same JSON when a message goes stable → unstable as when it goes there
//   directly (and back).
// - A failing scenario prints the transcript: every line in and out, with its direction.
//
// The other role (`command: "widget"`): node is the host. `bridge.iframe` is the fake iframe
// to give `ClientWidgetApi` (its `contentWindow.postMessage` becomes a `{"host": MESSAGE}`
// line; `bridge.iframe.fireLoad()` fires its load event), and every `{"to_host": MESSAGE}`
// line is dispatched to the host's `globalThis` message listeners. The Rust widget's
// `reply` and `received` lines are kept in `bridge.replies` and `bridge.received`, and
// `bridge.line(predicate)` finds any output line, seen already or still to come.
//
// The binary is `$WIDGET_API_BIN`, else `$CARGO_TARGET_DIR/debug/widget-api`, else the
// repository's `target/debug/widget-api`. `cargo xtask live` (and `cargo xtask ci`) builds
// it and sets `WIDGET_API_BIN`.
import Ajv2020 from "ajv/dist/2020.js";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../../..");

/** The `widget-api` binary to run. */
export function binary() {
    if (process.env.WIDGET_API_BIN) return process.env.WIDGET_API_BIN;
    const target = process.env.CARGO_TARGET_DIR ? resolve(repo, process.env.CARGO_TARGET_DIR) : join(repo, "target");
    const path = join(target, "debug", process.platform === "win32" ? "widget-api.exe" : "widget-api");
    if (!existsSync(path)) {
        throw new Error(`no widget-api binary at ${path}: run \`cargo build -p matrix-widget-api-cli\` or set WIDGET_API_BIN`);
    }
    return path;
}

// Ajv over the published schemas, one validator per direction.
const schemasDir = join(repo, "schemas");
const ajv = new Ajv2020({ allErrors: false });
const loadSchema = (name) => ajv.compile(JSON.parse(readFileSync(join(schemasDir, name), "utf8")));
const schemas = {
    message: loadSchema("message.schema.json"),
    fromWidget: new Ajv2020().compile(JSON.parse(readFileSync(join(schemasDir, "from_widget.schema.json"), "utf8"))),
    toWidget: new Ajv2020().compile(JSON.parse(readFileSync(join(schemasDir, "to_widget.schema.json"), "utf8"))),
};

/** Ajv's verdict on one message: `null` when valid, else the first error as text. */
export function schemaProblem(message) {
    const which = message?.api === "fromWidget" ? schemas.fromWidget : schemas.toWidget;
    for (const [name, validate] of [["message.schema.json", schemas.message], [`${message?.api === "fromWidget" ? "from" : "to"}_widget.schema.json`, which]]) {
        if (!validate(message)) {
            const e = validate.errors[0];
            return `${name}: ${e.instancePath || "/"} ${e.message}${e.params?.missingProperty ? ` (${e.params.missingProperty})` : ""}`;
        }
    }
    return null;
}

/** Fails with `message` when `condition` is false. */
export function check(condition, message) {
    if (!condition) throw new Error(message);
}

/** Fails unless `actual` deep-equals `expected`. */
export function same(actual, expected, what) {
    if (!isDeepStrictEqual(actual, expected)) {
        throw new Error(`${what}:\n  expected ${JSON.stringify(expected)}\n  got      ${JSON.stringify(actual)}`);
    }
}

/** Resolves with the promise's rejection; fails when it resolves. */
export async function rejection(promise, what) {
    try {
        const value = await promise;
        throw new Error(`${what}: expected a rejection, resolved with ${JSON.stringify(value)}`);
    } catch (e) {
        if (e?.message?.startsWith(`${what}: expected a rejection`)) throw e;
        return e;
    }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** A sleep that does not keep the process alive. */
const idle = (ms) => new Promise((r) => setTimeout(r, ms).unref());

/**
 * One `widget-api host` process, the fake window the widget lives in, and the transcript.
 */
export class Bridge {
    /**
     * @param {object} options
     * @param {string[]} options.args `widget-api host` options.
     * @param {(request: object) => object | undefined | Promise<object | undefined>} options.environment
     *   answers environment requests: `{ok}` or `{error}`, or `undefined` to answer later.
     * @param {string} [options.origin] the origin messages to the widget come from.
     * @param {string} [options.command] the `widget-api` subcommand (`host` by default; `widget`
     *   puts node in the host's role).
     * @param {boolean} [options.window] install the fake window (default true): the widget's for a
     *   `WidgetApi`, or with `command: "widget"` the host's for a `ClientWidgetApi`.
     * @param {string} [options.widgetOrigin] with `command: "widget"`, the origin of the messages
     *   the widget posts.
     * @param {(line: object) => boolean} [options.onLine] sees every output line first; returning
     *   true means it handled the line (for subcommands with other line kinds).
     */
    constructor({ args, environment, origin = "https://client.example.org", command = "host", window = true, onLine, widgetOrigin = "https://widget.example.org" }) {
        this.environment = environment;
        this.onLine = onLine;
        this.origin = origin;
        this.widgetOrigin = widgetOrigin;
        /** The subcommand, which names the Rust side in the transcript. */
        this.peer = command;
        /** Every line in and out: `{dir, text}`. */
        this.transcript = [];
        /** Every environment request, in order. */
        this.requests = [];
        /** Every notification. */
        this.notifications = [];
        /** Lines the host did not understand, and other failures seen on the way. */
        this.problems = [];
        /** The messages that crossed: `{to: "host"|"widget", message}`. */
        this.messages = [];
        /** Every output line, parsed. */
        this.lines = [];
        this.claimed = new Set();
        /** `widget-api widget`: its `reply` lines, and its `received` lines. */
        this.replies = [];
        this.received = [];
        this.waiters = [];
        this.listeners = new Set();
        this.closed = false;
        this.child = spawn(binary(), [command, ...args], { stdio: ["pipe", "pipe", "pipe"] });
        this.exited = new Promise((resolveExit) => this.child.on("exit", (code, signal) => resolveExit({ code, signal })));
        this.child.on("error", (e) => this.problems.push(`spawning ${binary()}: ${e.message}`));
        let buffer = "";
        this.child.stdout.setEncoding("utf8");
        this.child.stdout.on("data", (chunk) => {
            buffer += chunk;
            let at;
            while ((at = buffer.indexOf("\n")) >= 0) {
                const line = buffer.slice(0, at);
                buffer = buffer.slice(at + 1);
                if (line.trim() !== "") this.output(line);
            }
        });
        this.child.stderr.setEncoding("utf8");
        this.child.stderr.on("data", (chunk) => this.transcript.push({ dir: `${this.peer} stderr`, text: chunk.trimEnd() }));
        if (window && command === "widget") this.installHostWindow();
        else if (window) this.installWindow();
    }

    /** Installs the fake window for `WidgetApi`: `globalThis.parent` and the message listeners. */
    installWindow() {
        globalThis.parent = { postMessage: (message, _origin) => this.fromWidget(message) };
        globalThis.addEventListener = (type, listener) => type === "message" && this.listeners.add(listener);
        globalThis.removeEventListener = (type, listener) => type === "message" && this.listeners.delete(listener);
        // `PostmessageTransport` logs every message it sends: keep the transcript readable.
        console.log = () => {};
    }

    /**
     * Installs the fake window for `ClientWidgetApi`: `bridge.iframe` (whose `contentWindow`
     * posts to the Rust widget) and `globalThis`'s message listeners (where the widget's
     * messages arrive).
     */
    installHostWindow() {
        const loadListeners = [];
        this.iframe = {
            contentWindow: { postMessage: (message, _origin) => this.fromHost(message) },
            addEventListener: (type, listener) => type === "load" && loadListeners.push(listener),
            /** The iframe's document loaded. */
            fireLoad: () => {
                for (const listener of [...loadListeners]) listener({ type: "load" });
            },
        };
        globalThis.addEventListener = (type, listener) => type === "message" && this.listeners.add(listener);
        globalThis.removeEventListener = (type, listener) => type === "message" && this.listeners.delete(listener);
        // `PostmessageTransport` logs every message it sends: keep the transcript readable.
        console.log = () => {};
    }

    /** The host posted `message` to the widget: validate it, keep it, and give it to the Rust widget. */
    fromHost(message) {
        const copy = JSON.parse(JSON.stringify(message));
        this.crossed("widget", copy);
        this.write({ host: copy });
    }

    /** The widget posted `message`: validate it, keep it, and give it to the host. */
    fromWidget(message) {
        // postMessage clones the value (structured clone); JSON is the wire here.
        const text = JSON.stringify(message);
        const copy = JSON.parse(text);
        this.crossed("host", copy);
        this.write({ widget: copy });
    }

    /** Writes one input line to the Rust side (`widget-api host` or `widget`). */
    write(object) {
        const text = JSON.stringify(object);
        if (!this.closed) this.transcript.push({ dir: `node → ${this.peer}`, text });
        if (this.closed) {
            // In flight when the session stopped (an acknowledgement, say): dropped.
            this.transcript.push({ dir: "(dropped)", text });
            return;
        }
        this.child.stdin.write(`${text}\n`);
    }

    crossed(to, message) {
        this.messages.push({ to, message });
        const problem = schemaProblem(message);
        if (problem) this.problems.push(`a message to the ${to} fails the published schemas (${problem}): ${JSON.stringify(message)}`);
    }

    output(line) {
        this.transcript.push({ dir: `${this.peer} → node`, text: line });
        let object;
        try {
            object = JSON.parse(line);
        } catch (e) {
            this.problems.push(`the ${this.peer} printed a line that is not JSON: ${line}`);
            return;
        }
        this.lines.push(object);
        if (this.onLine?.(object)) {
            // Handled by the scenario.
        } else if ("to_widget" in object) {
            const message = object.to_widget;
            this.crossed("widget", message);
            setImmediate(() => {
                for (const listener of [...this.listeners]) listener({ data: JSON.parse(JSON.stringify(message)), origin: this.origin });
            });
        } else if ("to_host" in object) {
            const message = object.to_host;
            this.crossed("host", message);
            setImmediate(() => {
                for (const listener of [...this.listeners]) {
                    try {
                        listener({ data: JSON.parse(JSON.stringify(message)), origin: this.widgetOrigin });
                    } catch (e) {
                        // ClientWidgetApi throws from its handler on a second content_loaded.
                        this.problems.push(`the host threw on ${JSON.stringify(message)}: ${e?.stack ?? e}`);
                    }
                }
            });
        } else if ("reply" in object) {
            this.replies.push(object);
        } else if ("received" in object) {
            this.received.push(object);
        } else if ("environment" in object) {
            this.requests.push(object);
            Promise.resolve()
                .then(() => this.environment(object))
                .then((answer) => {
                    if (answer !== undefined) this.answer(object.environment, answer);
                })
                .catch((e) => this.problems.push(`the environment failed on ${line}: ${e.stack ?? e}`));
        } else if ("notify" in object) {
            this.notifications.push(object);
        } else if ("line" in object && "error" in object) {
            this.problems.push(`the ${this.peer} did not understand input line ${object.line}: ${object.error}`);
        } else {
            this.problems.push(`the ${this.peer} printed an unknown line: ${line}`);
        }
        for (const waiter of [...this.waiters]) {
            if (waiter.predicate(object)) {
                this.waiters.splice(this.waiters.indexOf(waiter), 1);
                waiter.resolve(object);
            }
        }
    }

    /** Answers environment request `id` with `{ok}` or `{error}`. */
    answer(id, answer) {
        this.write({ answer: id, ...answer });
    }

    /** An application call (`{"call": NAME, …}`). */
    call(name, fields = {}) {
        this.write({ call: name, ...fields });
    }

    /** Something to push (`{"push": KIND, …}`). */
    push(kind, fields) {
        this.write({ push: kind, ...fields });
    }

    /** Resolves with the next output line (parsed) that satisfies `predicate`. */
    next(predicate, what, timeoutMs = 5000) {
        return new Promise((resolveLine, reject) => {
            const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
            timer.unref?.();
            this.waiters.push({
                predicate,
                resolve: (line) => {
                    clearTimeout(timer);
                    resolveLine(line);
                },
            });
        });
    }

    /**
     * Resolves with the first output line (parsed) that satisfies `predicate` and that no
     * earlier call claimed, whether it was printed already or is still to come.
     */
    line(predicate, what, timeoutMs = 5000) {
        const at = this.lines.findIndex((l, i) => !this.claimed.has(i) && predicate(l));
        if (at >= 0) {
            this.claimed.add(at);
            return Promise.resolve(this.lines[at]);
        }
        // Claimed as it arrives, so that two waiters never take the same line.
        const claim = (l) => {
            const i = this.lines.lastIndexOf(l);
            if (this.claimed.has(i) || !predicate(l)) return false;
            this.claimed.add(i);
            return true;
        };
        return this.next(claim, what, timeoutMs);
    }

    /** Waits until `condition()` holds (polling), or fails naming `what`. */
    async until(condition, what, timeoutMs = 5000) {
        const deadline = Date.now() + timeoutMs;
        while (!condition()) {
            if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
            await sleep(5);
        }
    }

    /** The environment requests named `name`. */
    seen(name) {
        return this.requests.filter((r) => r.request === name);
    }

    /** Stops the session, waits for the process, and checks its exit status. */
    async stop() {
        if (this.closed) return;
        this.call("stop");
        this.closed = true;
        this.child.stdin.end();
        const { code, signal } = await Promise.race([
            this.exited,
            idle(5000).then(() => ({ code: null, signal: "timeout" })),
        ]);
        if (signal === "timeout") {
            this.child.kill();
            this.problems.push(`widget-api ${this.peer} did not exit within 5 s of its input ending`);
        } else if (code !== 0) {
            this.problems.push(`widget-api ${this.peer} exited with ${code ?? signal} (1 means a line was not understood)`);
        }
    }

    /**
     * Every message that crossed, through the Rust types: `widget-api check --role` decodes
     * each as its receiver does, and `normalize` round-trips its names.
     */
    roundTrip() {
        const dir = mkdtempSync(join(tmpdir(), "widget-api-live-"));
        try {
            for (const [to, role] of [["host", "host"], ["widget", "widget"]]) {
                const messages = this.messages.filter((m) => m.to === to).map((m) => m.message);
                if (messages.length === 0) continue;
                const file = join(dir, `to-${to}.jsonl`);
                writeFileSync(file, messages.map((m) => JSON.stringify(m)).join("\n") + "\n");
                const checked = run(["check", "--role", role, file]).stdout.trim().split("\n").map((l) => JSON.parse(l));
                if (checked.length !== messages.length) {
                    this.problems.push(`widget-api check printed ${checked.length} lines for ${messages.length} messages to the ${to}`);
                }
                checked.forEach((verdict, i) => {
                    const message = messages[i];
                    if (!verdict.ok) {
                        this.problems.push(`the Rust types refuse a message to the ${to} (${verdict.error}): ${JSON.stringify(message)}`);
                    } else if (verdict.action !== message.action || verdict.api !== message.api) {
                        this.problems.push(`widget-api check read ${JSON.stringify(verdict)} from ${JSON.stringify(message)}`);
                    } else {
                        const kind = "response" in message ? (message.response?.error ? "error_response" : "response") : "request";
                        if (verdict.kind !== kind) this.problems.push(`widget-api check read a ${verdict.kind} where the message is a ${kind}: ${JSON.stringify(message)}`);
                    }
                });
                // Names: stable then unstable gives what unstable gives directly, and back.
                const stable = normalize("stable", file);
                const unstable = normalize("unstable", file);
                const stableFile = join(dir, `to-${to}.stable.jsonl`);
                writeFileSync(stableFile, stable.map((m) => JSON.stringify(m)).join("\n") + "\n");
                const unstableFile = join(dir, `to-${to}.unstable.jsonl`);
                writeFileSync(unstableFile, unstable.map((m) => JSON.stringify(m)).join("\n") + "\n");
                const viaStable = normalize("unstable", stableFile);
                const back = normalize("stable", unstableFile);
                messages.forEach((message, i) => {
                    if (!isDeepStrictEqual(viaStable[i], unstable[i]) || !isDeepStrictEqual(back[i], stable[i])) {
                        this.problems.push(`normalize does not round-trip ${JSON.stringify(message)}: stable ${JSON.stringify(stable[i])}, unstable ${JSON.stringify(unstable[i])}`);
                    }
                    // Only names change: the rest of the message is the same JSON.
                    if (!isDeepStrictEqual(withoutNames(stable[i]), withoutNames(message))) {
                        this.problems.push(`normalize changed more than names in ${JSON.stringify(message)}: ${JSON.stringify(stable[i])}`);
                    }
                });
            }
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    }

    /** Prints the transcript of both sides. */
    printTranscript(out = process.stderr) {
        out.write(`transcript (every line in and out of widget-api ${this.peer}):\n`);
        for (const { dir, text } of this.transcript) out.write(`  ${dir.padEnd(13)} ${text}\n`);
    }
}

/** A message without its action and capability lists (what `normalize` may respell). */
function withoutNames(message) {
    const copy = JSON.parse(JSON.stringify(message ?? null));
    if (copy && typeof copy === "object") {
        delete copy.action;
        for (const part of [copy.data, copy.response]) {
            if (part && typeof part === "object") {
                for (const key of ["capabilities", "requested", "approved"]) if (Array.isArray(part[key])) part[key] = part[key].length;
            }
        }
    }
    return copy;
}

function run(args) {
    const result = spawnSync(binary(), args, { encoding: "utf8", maxBuffer: 1 << 28 });
    if (result.error) throw result.error;
    if (result.status === 2) throw new Error(`widget-api ${args.join(" ")} failed: ${result.stderr}`);
    return result;
}

function normalize(naming, file) {
    return run(["normalize", "--naming", naming, file]).stdout.trim().split("\n").map((l) => JSON.parse(l));
}

/**
 * Runs one scenario: `body(bridge)` with a fresh `Bridge`; then stops the host and sends
 * every message through the Rust types. Any failure (a thrown error, a problem the bridge
 * saw) prints the transcript and sets a failing exit status.
 */
export async function scenario(name, options, body) {
    const started = Date.now();
    const bridge = new Bridge(options);
    let failure = null;
    try {
        await body(bridge);
        await bridge.stop();
        bridge.roundTrip();
    } catch (e) {
        failure = e;
        await bridge.stop().catch(() => {});
    }
    const problems = failure ? [failure.stack ?? String(failure), ...bridge.problems] : bridge.problems;
    const log = (...a) => process.stdout.write(a.join(" ") + "\n");
    if (problems.length > 0) {
        process.stderr.write(`FAIL ${name}\n`);
        for (const p of problems) process.stderr.write(`  - ${p}\n`);
        bridge.printTranscript();
        process.exitCode = 1;
    } else {
        const seen = bridge.peer === "widget" ? `${bridge.replies.length} replies and ${bridge.received.length} host requests decoded by the Rust widget` : `${bridge.requests.length} environment requests`;
        log(`ok ${name}: ${bridge.messages.length} messages through Ajv and the Rust types, ${seen} (${Date.now() - started} ms)`);
    }
    return bridge;
}
