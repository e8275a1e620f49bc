// Ajv (its draft 2020-12 build, default options) against the committed schemas in ../../schemas:
//
// - every schema file compiles, with no strict-mode warning;
// - every fixture under ../fixtures/ (recursively) gets from message.schema.json the verdict the
//   Rust decoder gave it: `cargo xtask ci` decodes them and passes the verdicts in a file
//   (`--verdicts <file>`: [{"file": "msc4157/…json", "decodes": true}, …]), and every fixture
//   must have one;
// - every example of invalid-examples.json is rejected, and Ajv's first error names the
//   example's `field` (for a missing property: the parent plus `missingProperty`). An example
//   of a rule across fields has a `note` saying why its `field` is where Ajv reports it.
//
// The package's runtime (../../schemas/index.js) is held to the same standard, and to Ajv:
//
// - every fixture gets from `isMessage` the Rust decoder's verdict, and every invalid example
//   is rejected with `problem()` at the example's `field` (a rule across fields, with a
//   `note`: at the field or its parent);
// - every precompiled validator (`validators.<root type>`) gives every fixture and example,
//   and every `data`/`response` in them, Ajv's verdict for its schema file;
// - every spelling the action, capability and version schemas list has a canonical label
//   from `actionOf`/`capabilityOf`/`versionOf`, and the tables agree with the schemas.
//
// Run by `cargo xtask ci`; `node ajv.mjs --verdicts <file>` by hand.
import Ajv2020 from "ajv/dist/2020.js";
import * as runtime from "../../schemas/index.js";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const schemasDir = join(here, "../../schemas");
const fixturesDir = join(here, "../fixtures");

function files(dir, suffix) {
    const out = [];
    for (const name of readdirSync(dir).sort()) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) {
            if (name !== "node_modules") out.push(...files(path, suffix));
        } else if (name.endsWith(suffix)) {
            out.push(path);
        }
    }
    return out;
}

const args = process.argv.slice(2);
const at = args.indexOf("--verdicts");
if (at < 0 || !args[at + 1]) {
    console.error("usage: node ajv.mjs --verdicts <file> (cargo xtask ci writes the file from the Rust decoder)");
    process.exit(2);
}
const verdicts = new Map(JSON.parse(readFileSync(args[at + 1], "utf8")).map((v) => [v.file, v.decodes]));

const failures = [];
const warnings = [];
const logger = { log: () => {}, warn: (...m) => warnings.push(m.join(" ")), error: (...m) => warnings.push(m.join(" ")) };

// Every schema compiles on its own (each file is self-contained).
let compiled = 0;
for (const path of files(schemasDir, ".schema.json")) {
    const ajv = new Ajv2020({ logger });
    try {
        ajv.compile(JSON.parse(readFileSync(path, "utf8")));
        compiled += 1;
    } catch (e) {
        failures.push(`${relative(schemasDir, path)} does not compile: ${e.message}`);
    }
}
if (warnings.length > 0) failures.push(`Ajv strict-mode warnings:\n  ${[...new Set(warnings)].join("\n  ")}`);

const validate = new Ajv2020().compile(JSON.parse(readFileSync(join(schemasDir, "message.schema.json"), "utf8")));
const pointer = (error) =>
    error.keyword === "required" ? `${error.instancePath}/${error.params.missingProperty}` : error.instancePath;

// Every fixture: the decoder's verdict.
let fixtures = 0;
for (const path of files(fixturesDir, ".json").filter((p) => !p.endsWith("MANIFEST.json"))) {
    const file = relative(fixturesDir, path).split("\\").join("/");
    if (!verdicts.has(file)) {
        failures.push(`${file}: no verdict from the Rust decoder`);
        continue;
    }
    const valid = validate(JSON.parse(readFileSync(path, "utf8")));
    if (valid !== verdicts.get(file)) {
        const why = valid ? "Ajv accepts it" : `Ajv rejects it: ${JSON.stringify(validate.errors[0])}`;
        failures.push(`${file}: the decoder ${verdicts.get(file) ? "accepts" : "rejects"} it, ${why}`);
    }
    verdicts.delete(file);
    fixtures += 1;
}
for (const file of verdicts.keys()) failures.push(`${file}: a verdict for a file that is not a fixture`);

// Every invalid example: rejected, first error at the bad field.
const examples = JSON.parse(readFileSync(join(here, "invalid-examples.json"), "utf8"));
for (const { name, field, message } of examples) {
    if (validate(message)) {
        failures.push(`invalid example "${name}": Ajv accepts it`);
    } else if (pointer(validate.errors[0]) !== field) {
        failures.push(
            `invalid example "${name}": Ajv's first error is at ${JSON.stringify(pointer(validate.errors[0]))}, not ${JSON.stringify(field)}: ${JSON.stringify(validate.errors[0])}`,
        );
    }
}

// The runtime: the decoder's verdicts, and one problem at the example's field.
const fixtureMessages = files(fixturesDir, ".json")
    .filter((p) => !p.endsWith("MANIFEST.json"))
    .map((path) => ({ file: relative(fixturesDir, path).split("\\").join("/"), message: JSON.parse(readFileSync(path, "utf8")) }));
const decodes = new Map(JSON.parse(readFileSync(args[at + 1], "utf8")).map((v) => [v.file, v.decodes]));
for (const { file, message } of fixtureMessages) {
    if (decodes.has(file) && runtime.isMessage(message) !== decodes.get(file)) {
        failures.push(`runtime: ${file}: the decoder ${decodes.get(file) ? "accepts" : "rejects"} it, isMessage says ${runtime.isMessage(message)}: ${JSON.stringify(runtime.problem(message))}`);
    }
}
for (const { name, field, note, message } of examples) {
    const problem = runtime.problem(message);
    const parent = field.slice(0, field.lastIndexOf("/"));
    if (problem === null || runtime.isMessage(message)) {
        failures.push(`runtime: invalid example "${name}" is accepted`);
    } else if (problem.pointer !== field && !(note && problem.pointer === parent)) {
        failures.push(`runtime: invalid example "${name}": the problem is at ${JSON.stringify(problem.pointer)}, not ${JSON.stringify(field)}: ${problem.message}`);
    } else if (!problem.message.startsWith(problem.path ? `\`${problem.path}\`` : "")) {
        failures.push(`runtime: invalid example "${name}": the message does not name \`${problem.path}\`: ${problem.message}`);
    }
}
// Sentences worded like the Rust decoder's.
const sentence = (message) => runtime.problem(message)?.message;
const sendEvent = (data) => ({ api: "fromWidget", widgetId: "w1", requestId: "r1", action: "send_event", data });
const update = (action) => ({ api: "fromWidget", widgetId: "w1", requestId: "r1", action: "org.matrix.msc4157.update_delayed_event", data: { delay_id: "d", action } });
for (const [message, expected] of [
    [sendEvent({ type: "m.room.message", content: {}, delay: 0 }), "`data.delay` is out of range: 0 is not an integer from 1 to 9007199254740991"],
    [sendEvent({ type: "m.room.message", content: {}, delay: "8000" }), '`data.delay`: expected an integer from 1 to 9007199254740991, found "8000"'],
    [sendEvent({ content: {} }), "`data.type` is missing"],
    [sendEvent({ type: "", content: {} }), "`data.type` must not be empty"],
    [update("pause"), '`data.action`: unknown value "pause", expected one of "cancel", "restart", "send", "refresh"'],
    [{ ...sendEvent({ type: "t", content: {} }), api: "fromwidget" }, '`api`: expected "fromWidget", found "fromwidget"'],
    [[], "expected an object, found an array"],
]) {
    if (sentence(message) !== expected) failures.push(`runtime: ${JSON.stringify(message)}: ${JSON.stringify(sentence(message))}, expected ${JSON.stringify(expected)}`);
}
if (!runtime.isMessage(update("refresh"))) failures.push("runtime: the legacy update action `refresh` is refused");
// Ajv's own first error for an unknown update action lists every accepted value, `refresh` included.
{
    const updateSchema = JSON.parse(readFileSync(join(schemasDir, "from_widget/update_delayed_event.request.schema.json"), "utf8"));
    const check = new Ajv2020({ allErrors: false }).compile(updateSchema);
    if (check(update("pause"))) failures.push("ajv: the update action `pause` is accepted");
    const allowed = check.errors?.find((e) => e.keyword === "enum")?.params?.allowedValues ?? [];
    if (!["cancel", "restart", "send", "refresh"].every((v) => allowed.includes(v))) {
        failures.push(`ajv: the update action's allowed values are ${JSON.stringify(allowed)}, without every accepted spelling`);
    }
}

// Every precompiled validator against Ajv, over every message and every payload in them.
const values = [...fixtureMessages.map((f) => f.message), ...examples.map((e) => e.message)];
values.push(...values.flatMap((m) => (m !== null && typeof m === "object" ? [m.data, m.response, m.action] : [])).filter((v) => v !== undefined));
let compared = 0;
for (const path of files(schemasDir, ".schema.json")) {
    const schema = JSON.parse(readFileSync(path, "utf8"));
    const validate = runtime.validators[schema.title];
    if (typeof validate !== "function") {
        failures.push(`runtime: no validator for ${relative(schemasDir, path)} (title ${JSON.stringify(schema.title)})`);
        continue;
    }
    const ajvValidate = new Ajv2020().compile(schema);
    for (const value of values) {
        if (validate(value) !== ajvValidate(value)) {
            failures.push(`runtime: validators.${schema.title} and Ajv disagree on ${JSON.stringify(value).slice(0, 200)}`);
        } else if (validate(value) !== (validate.problem(value) === null)) {
            failures.push(`runtime: validators.${schema.title} and its problem() disagree on ${JSON.stringify(value).slice(0, 200)}`);
        }
        compared += 1;
    }
}

// Names: every spelling the schemas list has a label, and the tables hold exactly those spellings.
const spellingsIn = (file) => {
    const out = [];
    const walk = (v) => {
        if (Array.isArray(v)) v.forEach(walk);
        else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) k === "enum" ? out.push(...x) : k === "not" ? null : walk(x);
    };
    walk(JSON.parse(readFileSync(join(schemasDir, file), "utf8")));
    return out;
};
for (const [file, table, lookup] of [
    ["action.schema.json", runtime.actions, runtime.actionOf],
    ["capability.schema.json", runtime.capabilities, runtime.capabilityOf],
    ["api_version.schema.json", runtime.versions, runtime.versionOf],
]) {
    const listed = new Set(spellingsIn(file));
    const inTable = new Set(Object.values(table).filter((n) => !n.prefix).flatMap((n) => [n.stable, n.unstable, ...n.legacy]));
    for (const spelling of listed) {
        if (!inTable.has(spelling)) failures.push(`runtime: ${file} lists ${spelling}, which the name table lacks`);
        const label = lookup(spelling);
        if (!(label in table) || !new Set([table[label].stable, table[label].unstable, ...table[label].legacy]).has(spelling)) {
            failures.push(`runtime: ${spelling} has the label ${label}, which does not list it`);
        }
    }
    for (const spelling of inTable) if (!listed.has(spelling)) failures.push(`runtime: the name table has ${spelling}, which ${file} lacks`);
}
for (const [spelling, label] of [
    ["org.matrix.msc4157.update.delayed_event", "update_delayed_event"],
    ["org.matrix.msc2876.read_events", "read_events"],
    ["io.element.join", undefined],
]) {
    if (runtime.actionOf(spelling) !== label) failures.push(`runtime: actionOf(${spelling}) is ${runtime.actionOf(spelling)}, not ${label}`);
}
for (const [spelling, label] of [
    ["org.matrix.msc2762.send.event:m.room.message", "m.send.event:m.room.message"],
    ["org.matrix.msc2762.receive.state_event:m.room.member#@a:b", "m.receive.state_event:m.room.member#@a:b"],
    ["org.matrix.msc4157.send.delayed_event", "m.send.delayed_event"],
    ["m.send.delay_events", "m.send.delayed_event"],
    ["com.example.cap", undefined],
]) {
    if (runtime.capabilityOf(spelling) !== label) failures.push(`runtime: capabilityOf(${spelling}) is ${runtime.capabilityOf(spelling)}, not ${label}`);
}
// Each fixture's action has the label its file is named after (`<api>.<stable action>.<kind>…`),
// or none when that is not a known action.
for (const { file, message } of fixtureMessages) {
    const stem = file.split("/").pop();
    const match = /^(from_widget|to_widget)\.(.+)\.(request|response)\.[^.]+\.json$/.exec(stem);
    const expected = match && (match[2] in runtime.actions ? match[2] : undefined);
    if (match && decodes.get(file) && typeof message.action === "string" && runtime.actionOf(message.action) !== expected) {
        failures.push(`runtime: ${file}: actionOf(${message.action}) is ${runtime.actionOf(message.action)}, not ${expected}`);
    }
}

if (failures.length > 0) {
    console.error(failures.join("\n"));
    console.error(`${failures.length} failed`);
    process.exit(1);
}
console.log(`ajv: ${compiled} schemas compile; ${fixtures} fixtures get the decoder's verdict; ${examples.length} invalid examples rejected at their field`);
console.log(`ajv: the runtime agrees: the decoder's verdicts, one problem per invalid example at its field, ${compared} verdicts equal to Ajv's, every spelling labelled`);
