// The schemas/ npm package, used as a JS consumer would: `npm pack` it, install the tarball
// (offline: it has no dependencies) into a scratch project in a temporary directory, then
// compile TypeScript against its typings (`moduleResolution: nodenext`, so through its
// `exports`) and validate messages with Ajv's 2020-12 build, loading the schemas by their
// package paths.
//
// Run by `cargo xtask ci` after `npm ci`; `node pack.mjs` by hand.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

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
    // 1. Pack: every generated file is in the tarball, and every schema is exported.
    const packed = JSON.parse(execFileSync(npm, ["pack", schemasDir, "--pack-destination", scratch, "--json"], { encoding: "utf8" }));
    const tarball = join(scratch, packed[0].filename);
    const inTarball = new Set(packed[0].files.map((f) => f.path));
    for (const file of files(schemasDir)) {
        if (!inTarball.has(file)) fail(`${file} is not in the tarball`);
        if (file.endsWith(".schema.json") && manifest.exports[`./${file}`] !== `./${file}`) fail(`${file} is not exported`);
    }

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
        `import type { FromWidgetRequest, FromWidgetResponse, Message } from "${manifest.name}";

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
    if (!process.exitCode) console.log(`pack: ${packed[0].filename} (${inTarball.size} files) installs and works from TypeScript and Ajv`);
} catch (e) {
    fail(e.message);
} finally {
    rmSync(scratch, { recursive: true, force: true });
}
