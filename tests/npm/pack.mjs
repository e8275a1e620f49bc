// The schemas/ npm package, used as a JS consumer would: `npm pack` it, install the tarball
// (offline: it has no dependencies) into a scratch project in a temporary directory, then
// compile TypeScript against its typings and runtime (`moduleResolution: nodenext`, so through
// its `exports`), use the runtime from plain JavaScript (canonical names, precompiled
// validators, problems), validate messages with Ajv's 2020-12 build, loading the schemas by
// their package paths, and bundle the runtime for a browser with esbuild (which refuses
// Node-only imports) and run the bundle. Prints the runtime's footprint: the module as
// shipped, and the minified bundle, each in bytes and gzipped.
//
// Run by `cargo xtask ci` after `npm ci`; `node pack.mjs` by hand.
import * as esbuild from "esbuild";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const here = dirname(fileURLToPath(import.meta.url));
const schemasDir = join(here, "../../schemas");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const manifest = JSON.parse(readFileSync(join(schemasDir, "package.json"), "utf8"));
const scratch = mkdtempSync(join(tmpdir(), "matrix-widget-api-schemas-pack-"));

function fail(message) {
    console.error(`pack: ${message}`);
    process.exitCode = 1;
}

function files(dir) {
    return readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        return statSync(path).isDirectory() ? files(path) : [relative(schemasDir, path).split("\\").join("/")];
    });
}

try {
    // 1. Pack: every generated file is in the tarball (but the lockfile, which npm never
    // publishes), and every schema is exported.
    const packed = JSON.parse(execFileSync(npm, ["pack", schemasDir, "--pack-destination", scratch, "--json"], { encoding: "utf8" }));
    const tarball = join(scratch, packed[0].filename);
    const inTarball = new Set(packed[0].files.map((f) => f.path));
    for (const file of files(schemasDir).filter((f) => f !== "package-lock.json" && !f.startsWith("node_modules/"))) {
        if (!inTarball.has(file)) fail(`${file} is not in the tarball`);
        if (file.endsWith(".schema.json") && manifest.exports[`./${file}`] !== `./${file}`) fail(`${file} is not exported`);
    }
    const entry = manifest.exports["."];
    if (entry?.import !== "./index.js" || entry?.types !== "./index.d.ts") fail(`the entry point is not the runtime: ${JSON.stringify(entry)}`);

    // 2. A scratch project that installs the tarball (and Ajv, from this project's lock).
    writeFileSync(join(scratch, "package.json"), JSON.stringify({ name: "scratch", private: true, type: "module" }));
    execFileSync(
        npm,
        ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error", tarball, join(here, "node_modules/ajv")],
        { cwd: scratch, stdio: "inherit" },
    );
    const installed = JSON.parse(readFileSync(join(scratch, "node_modules", manifest.name, "package.json"), "utf8"));
    if (installed.version !== manifest.version) fail(`installed version ${installed.version}, expected ${manifest.version}`);

    // 3. TypeScript, strict, resolving the package through its `exports`.
    writeFileSync(
        join(scratch, "tsconfig.json"),
        JSON.stringify({
            compilerOptions: { strict: true, noEmit: true, module: "nodenext", moduleResolution: "nodenext", target: "es2022", types: [] },
            files: ["consumer.ts"],
        }),
    );
    writeFileSync(
        join(scratch, "consumer.ts"),
        `import type { ActionLabel, FromWidgetRequest, FromWidgetResponse, Message, Problem } from "${manifest.name}";
import { actionOf, isAction, isMessage, problem, validators, withAction } from "${manifest.name}";

// One label per action, whatever spelling the widget used.
export function describe(request: FromWidgetRequest): string {
    switch (actionOf(request.action)) {
        case "update_delayed_event":
            return "update";
        case "send_event":
            return "send";
        case undefined:
            return "unknown";
        default:
            return "other";
    }
}

export function delayIdOf(request: FromWidgetRequest): string | undefined {
    if (isAction(request, "update_delayed_event")) return request.data.delay_id;
    const { action, message } = withAction(request);
    return action === "send_event" ? message.data.type : undefined;
}

export function check(value: unknown): Message | Problem | null {
    if (validators.FromWidgetSendEventRequest(value)) {
        const delay: number | null | undefined = value.data.delay;
        return delay === 0 ? null : value;
    }
    return isMessage(value) ? value : problem(value);
}

export const label: ActionLabel = actionOf("org.matrix.msc4157.update.delayed_event");

export function delayOf(request: FromWidgetRequest): number | null | undefined {
    return request.action === "send_event" ? request.data.delay : undefined;
}

export function errorOf(reply: FromWidgetResponse): string | undefined {
    if (reply.action !== "send_event") return undefined;
    return "error" in reply.response ? reply.response.error.message : reply.response.delay_id ?? undefined;
}

export const request: Message = {
    api: "fromWidget",
    widgetId: "w1",
    requestId: "r1",
    action: "send_event",
    data: { type: "m.room.message", content: {}, delay: 8000 },
};

// @ts-expect-error a misspelled field is a type error
export const misspelled: FromWidgetRequest = { api: "fromWidget", widgetId: "w1", requestId: "r1", action: "send_event", data: { type: "t", content: {}, dealy: 8000 } };
`,
    );
    execFileSync(process.execPath, [join(here, "node_modules/typescript/bin/tsc"), "-p", scratch], { stdio: "inherit" });

    // 4. Ajv 2020, loading schemas by package path.
    writeFileSync(
        join(scratch, "consumer.mjs"),
        `import Ajv2020 from "ajv/dist/2020.js";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const ajv = new Ajv2020();
const validate = ajv.compile(require("${manifest.name}/message.schema.json"));
const sendEvent = ajv.compile(require("${manifest.name}/from_widget/send_event.request.schema.json"));
const message = { api: "fromWidget", widgetId: "w1", requestId: "r1", action: "send_event", data: { type: "m.room.message", content: {}, delay: 8000 } };
if (!validate(message) || !sendEvent(message)) throw new Error("a valid message is rejected: " + JSON.stringify(validate.errors ?? sendEvent.errors));
const bad = { ...message, data: { ...message.data, delay: "8000" } };
if (validate(bad)) throw new Error("a bad delay is accepted");
if (validate.errors[0].instancePath !== "/data/delay") throw new Error("the first error is not at /data/delay: " + JSON.stringify(validate.errors[0]));
console.log("pack: the installed package validates with Ajv");
`,
    );
    execFileSync(process.execPath, [join(scratch, "consumer.mjs")], { cwd: scratch, stdio: "inherit" });

    // 5. The runtime from plain JavaScript, as Node.js resolves the package.
    const runtimeConsumer = `import { actionOf, actions, capabilityOf, isAction, isMessage, problem, validators, versionOf, withAction } from "${manifest.name}";

const check = (ok, what) => { if (!ok) throw new Error(what); };
const update = { api: "fromWidget", widgetId: "w1", requestId: "r1", action: "org.matrix.msc4157.update.delayed_event", data: { delay_id: "d", action: "refresh" } };
check(actionOf(update.action) === "update_delayed_event", "actionOf a legacy spelling");
check(actions.update_delayed_event.legacy.includes(update.action), "the legacy spelling is listed");
check(capabilityOf("org.matrix.msc2762.send.event:m.room.message") === "m.send.event:m.room.message", "capabilityOf a prefix");
check(versionOf("0.0.2") === "0.0.2", "versionOf");
check(isMessage(update) && validators.FromWidgetUpdateDelayedEventRequest(update), "refresh is accepted");
check(isAction(update, "update_delayed_event") && !isAction(update, "send_event"), "isAction");
check(withAction(update).action === "update_delayed_event" && withAction(update).message === update, "withAction");
check(withAction({ action: "io.element.join" }).action === undefined && withAction(null).action === undefined, "withAction of an unknown action");
const bad = { api: "fromWidget", widgetId: "w1", requestId: "r1", action: "send_event", data: { type: "m.room.message", content: {}, delay: 0 } };
const found = problem(bad);
check(!isMessage(bad) && found.pointer === "/data/delay", "the problem is at /data/delay: " + JSON.stringify(found));
check(found.message === "\`data.delay\` is out of range: 0 is not an integer from 1 to 9007199254740991", "the sentence: " + found.message);
check(validators.FromWidgetSendEventRequest.problem(bad).message === found.message, "the per-action validator agrees");
console.log("runtime: " + found.message);
`;
    writeFileSync(join(scratch, "runtime.mjs"), runtimeConsumer);
    execFileSync(process.execPath, [join(scratch, "runtime.mjs")], { cwd: scratch, stdio: "inherit" });

    // 6. The same, bundled for a browser (esbuild fails on Node-only imports), then run.
    const bundle = await esbuild.build({
        stdin: { contents: runtimeConsumer, resolveDir: scratch, loader: "js" },
        bundle: true,
        platform: "browser",
        format: "esm",
        minify: true,
        write: false,
        logLevel: "error",
    });
    const bundled = bundle.outputFiles[0].contents;
    writeFileSync(join(scratch, "bundle.mjs"), bundled);
    execFileSync(process.execPath, [join(scratch, "bundle.mjs")], { cwd: tmpdir(), stdio: "inherit" });

    // 7. Footprint: the module as shipped, the bundle above (everything), and bundles of the
    // names alone and of the message validator alone (what tree-shaking leaves).
    const minified = async (contents) =>
        (await esbuild.build({ stdin: { contents, resolveDir: scratch, loader: "js" }, bundle: true, platform: "browser", format: "esm", minify: true, write: false, logLevel: "error" })).outputFiles[0].contents;
    const namesOnly = await minified(`import { actionOf } from "${manifest.name}"; console.log(actionOf("org.matrix.msc2876.read_events"));`);
    const messageOnly = await minified(`import { problem } from "${manifest.name}"; console.log(problem({}));`);
    const shipped = readFileSync(join(scratch, "node_modules", manifest.name, "index.js"));
    const size = (bytes) => `${bytes.length} B (${gzipSync(bytes, { level: 9 }).length} B gzipped)`;
    console.log(`pack: runtime footprint: index.js ${size(shipped)}; minified bundles: everything ${size(bundled)}, names only ${size(namesOnly)}, message validator only ${size(messageOnly)}`);
    if (!process.exitCode) {
        console.log(`pack: ${packed[0].filename} (${inTarball.size} files) installs and works from TypeScript, plain JavaScript, a browser bundle and Ajv`);
    }
} catch (e) {
    fail(e.message);
} finally {
    rmSync(scratch, { recursive: true, force: true });
}
