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
// Run by `cargo xtask ci`; `node ajv.mjs --verdicts <file>` by hand.
import Ajv2020 from "ajv/dist/2020.js";
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

if (failures.length > 0) {
    console.error(failures.join("\n"));
    console.error(`${failures.length} failed`);
    process.exit(1);
}
console.log(`ajv: ${compiled} schemas compile; ${fixtures} fixtures get the decoder's verdict; ${examples.length} invalid examples rejected at their field`);
