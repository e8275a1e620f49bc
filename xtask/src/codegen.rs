//! `cargo xtask codegen [--check]`: the generated files under `schemas/`.
//!
//! - `schemas/<name>.schema.json`, one per [`matrix_widget_api::schema::roots`] entry (names
//!   may have one folder: `from_widget/send_event.request`): pretty, recursively key-sorted
//!   JSON with a top-level `$comment` naming this command and a stable `$id`; descriptions
//!   are turned from rustdoc into plain Markdown ([`markdown`]).
//! - `schemas/widget-api.d.ts`: TypeScript declarations generated from those JSON Schemas
//!   (not from the Rust types), one exported type per root and per `$defs` entry; a schema
//!   construct TypeScript cannot express fails the run.
//! - `schemas/index.js` and `schemas/index.d.ts`: the package's runtime, an ES module with no
//!   imports: every name's spellings and canonical label from the Rust `NAMES` tables, and
//!   validators compiled from the schemas to plain JavaScript ([`runtime`]). Compiled here,
//!   not by Ajv through Node.js, so that this command needs only Rust and its drift check
//!   covers the JavaScript too.
//! - `schemas/package.json`: the npm package (`@matrix-widget-api-rs/schemas`, versioned
//!   like the `matrix-widget-api` crate): the runtime is its entry point, and every schema
//!   file and the typings are exported.
//! - `schemas/package-lock.json`: its lock (no dependencies: only the package itself);
//! - `schemas/README.md`: how to use the package from JavaScript, and an index of the files.
//!
//! Any other `*.schema.json` under `schemas/` is stale: deleted in write mode, reported in
//! check mode.
//!
//! Every generator is pure (values in, text out); this module alone reads and writes files.
//! Uses run one way, from the command down to the leaves:
//!
//! - this module: the command; renders every file and writes or checks them (uses all five);
//! - [`schema`]: the published JSON documents, and the JSON Schema vocabulary the others
//!   share: `$defs` references, data keywords (uses `markdown`);
//! - [`markdown`]: rustdoc → plain Markdown in descriptions (a leaf);
//! - [`typescript`]: the typings (uses `schema`), split into its type model `ir` (uses
//!   `pattern` and `schema`), `printer` (uses `ir`), `pattern` (a leaf) and `tests`;
//! - [`runtime`]: `index.js` and `index.d.ts`, from the name tables and the documents (uses
//!   `schema`), with its validator compiler `validator` and `tests`;
//! - [`npm_package`]: `package.json` and the README, from file names and index rows (a leaf).
//!
//! All of them use `crate::util` for errors and [`PREAMBLE`](crate::util::PREAMBLE).

use std::collections::BTreeMap;
use std::path::Path;

use matrix_widget_api::naming::WireName;
use serde_json::Value;

use self::npm_package::{IndexEntry, Package};
use self::runtime::{NameTable, Runtime};
use self::schema::Document;
use crate::util::{Error, Result, display_path, ensure_file_contents, project_root};

mod markdown;
mod npm_package;
mod runtime;
mod schema;
mod typescript;

/// The directory holding every generated file, relative to the project root.
const SCHEMA_DIR: &str = "schemas";
/// The generated TypeScript declarations.
const TYPESCRIPT_FILE: &str = "widget-api.d.ts";
/// The runtime: canonical names and precompiled validators (an ES module).
const RUNTIME_FILE: &str = "index.js";
/// The runtime's declarations, which also re-export the typings.
const RUNTIME_TYPES_FILE: &str = "index.d.ts";
/// The generated README.
const README_FILE: &str = "README.md";
/// The generated npm manifest.
const PACKAGE_FILE: &str = "package.json";
/// Its lock: the package has no dependencies, so it only names the package.
const LOCK_FILE: &str = "package-lock.json";

/// One schema document to publish.
#[derive(Debug, Clone)]
struct Input {
    /// File stem: the document is written to `schemas/<name>.schema.json`.
    name: String,
    /// The draft 2020-12 root schema, with its `$defs`.
    schema: Value,
}

/// The real inputs: every schema the protocol crate publishes.
fn inputs() -> Vec<Input> {
    matrix_widget_api::schema::roots().into_iter().map(|root| Input { name: root.name, schema: root.schema.to_value() }).collect()
}

/// The real name tables: every name type's spellings, from the Rust tables.
fn name_tables() -> Vec<NameTable> {
    fn table<T: WireName>(label: &'static str, table: &'static str, function: &'static str) -> NameTable {
        NameTable { label, table, function, what: T::WHAT, specs: T::NAMES.to_vec() }
    }
    vec![
        table::<matrix_widget_api::ActionName>("ActionLabel", "actions", "actionOf"),
        table::<matrix_widget_api::Capability>("CapabilityLabel", "capabilities", "capabilityOf"),
        table::<matrix_widget_api::ApiVersion>("VersionLabel", "versions", "versionOf"),
    ]
}

/// The version of the `matrix-widget-api` crate, which the npm package carries.
fn crate_version(root: &Path) -> Result<String> {
    let path = root.join("crates/matrix-widget-api/Cargo.toml");
    let manifest = std::fs::read_to_string(&path).map_err(|err| Error::msg(format!("cannot read {}: {err}", display_path(&path))))?;
    manifest
        .lines()
        .skip_while(|line| line.trim() != "[package]")
        .find_map(|line| {
            line.trim().strip_prefix("version")?.trim().strip_prefix('=')?.trim().strip_prefix('"')?.strip_suffix('"').map(str::to_owned)
        })
        .ok_or_else(|| Error::msg(format!("no `version = \"…\"` in the [package] of {}", display_path(&path))))
}

/// `cargo xtask codegen [--check]` against the real repository.
pub(crate) fn run(check: bool) -> Result<()> {
    let root = project_root();
    let package = Package { version: crate_version(&root)? };
    let summary = generate(&root, &inputs(), &name_tables(), &package, check)?;
    println!("{}", summary.describe(check));
    Ok(())
}

/// What a [`generate`] run did.
#[derive(Debug, Default, PartialEq, Eq)]
struct Summary {
    /// Files generated in all.
    files: usize,
    /// Files written because they were missing or different.
    updated: usize,
    /// Stale files removed.
    removed: usize,
}

impl Summary {
    /// One line for the terminal.
    fn describe(&self, check: bool) -> String {
        let Summary { files, updated, removed } = self;
        if check || (*updated == 0 && *removed == 0) {
            format!("codegen: {SCHEMA_DIR}/ is up to date ({files} files)")
        } else {
            format!("codegen: {SCHEMA_DIR}/: {updated} of {files} files updated, {removed} stale files removed")
        }
    }
}

/// Brings `<root>/schemas/` in line with `inputs`.
///
/// In check mode nothing is written: every missing, differing or stale file is collected and
/// the error lists them all.
fn generate(root: &Path, inputs: &[Input], names: &[NameTable], package: &Package, check: bool) -> Result<Summary> {
    let files = render_files(inputs, names, package)?;
    let dir = root.join(SCHEMA_DIR);

    let mut summary = Summary { files: files.len(), ..Summary::default() };
    let mut out_of_date = Vec::new();
    for (file, contents) in &files {
        match ensure_file_contents(&dir.join(file), contents, check) {
            Ok(updated) => summary.updated += usize::from(updated),
            Err(err @ Error::OutOfDate { .. }) => out_of_date.push(err),
            Err(err) => return Err(err),
        }
    }

    for stale in stale_schema_files(&dir, &files)? {
        let path = dir.join(&stale);
        if check {
            out_of_date.push(Error::OutOfDate { path, reason: "stale: no longer generated" });
        } else {
            std::fs::remove_file(&path).map_err(|err| Error::msg(format!("cannot remove {}: {err}", display_path(&path))))?;
            println!("removed {}", display_path(&path));
            summary.removed += 1;
        }
    }

    if out_of_date.is_empty() {
        return Ok(summary);
    }
    let mut message = String::from("these generated files are out of date:\n");
    for err in &out_of_date {
        if let Error::OutOfDate { path, reason } = err {
            message.push_str(&format!("  {} ({reason})\n", display_path(path)));
        }
    }
    message.push_str("generated files are out of date; run `cargo xtask codegen` and commit the result");
    Err(Error::msg(message))
}

/// `*.schema.json` files under `dir` (and its folders) that this run does not produce,
/// as `/`-separated paths relative to `dir`, sorted.
fn stale_schema_files(dir: &Path, files: &BTreeMap<String, String>) -> Result<Vec<String>> {
    fn walk(dir: &Path, prefix: &str, files: &BTreeMap<String, String>, stale: &mut Vec<String>) -> Result<()> {
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(err) => return Err(Error::msg(format!("cannot list {}: {err}", display_path(dir)))),
        };
        for entry in entries {
            let entry = entry.map_err(|err| Error::msg(format!("cannot list {}: {err}", display_path(dir))))?;
            let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
            if entry.file_type().is_ok_and(|kind| kind.is_dir()) {
                if name != "node_modules" {
                    walk(&entry.path(), &format!("{name}/"), files, stale)?;
                }
            } else if name.ends_with(schema::SUFFIX) && !files.contains_key(&name) {
                stale.push(name);
            }
        }
        Ok(())
    }
    let mut stale = Vec::new();
    walk(dir, "", files, &mut stale)?;
    stale.sort();
    Ok(stale)
}

/// Every generated file under `schemas/`, by `/`-separated path. Pure: no I/O.
fn render_files(inputs: &[Input], names: &[NameTable], package: &Package) -> Result<BTreeMap<String, String>> {
    let mut files = BTreeMap::new();
    let mut documents: Vec<Document> = Vec::new();
    for input in inputs {
        let (document, json) = schema::publish(&input.name, &input.schema)?;
        if files.insert(document.file.clone(), json).is_some() {
            return Err(Error::msg(format!("two schemas are both named `{}`", input.name)));
        }
        documents.push(document);
    }
    documents.sort_by(|a, b| a.file.cmp(&b.file));

    files.insert(TYPESCRIPT_FILE.to_owned(), typescript::render_file(&documents)?);
    let type_names: Vec<String> = documents.iter().map(typescript::root_type_name).collect();
    let runtime = Runtime { names, documents: documents.iter().zip(type_names.iter().cloned()).collect() };
    let (js, dts) = runtime::render(&runtime, TYPESCRIPT_FILE)?;
    files.insert(RUNTIME_FILE.to_owned(), js);
    files.insert(RUNTIME_TYPES_FILE.to_owned(), dts);
    let schema_files: Vec<&str> = documents.iter().map(|document| document.file.as_str()).collect();
    let layout = npm_package::Layout {
        schema_files: &schema_files,
        typings: TYPESCRIPT_FILE,
        runtime: RUNTIME_FILE,
        runtime_types: RUNTIME_TYPES_FILE,
    };
    files.insert(PACKAGE_FILE.to_owned(), npm_package::manifest(package, &layout));
    files.insert(LOCK_FILE.to_owned(), npm_package::lockfile(package));
    let index: Vec<IndexEntry<'_>> = documents
        .iter()
        .zip(&type_names)
        .map(|(document, type_name)| IndexEntry {
            file: &document.file,
            type_name,
            description: document.schema.get("description").and_then(Value::as_str),
        })
        .collect();
    files.insert(README_FILE.to_owned(), npm_package::readme(package, &layout, &index));
    Ok(files)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn package() -> Package {
        Package { version: "1.2.3".to_owned() }
    }

    fn input(name: &str, schema: Value) -> Input {
        Input { name: name.to_owned(), schema }
    }

    fn temp_root(name: &str) -> std::path::PathBuf {
        crate::util::temp_dir(&format!("codegen-{name}"))
    }

    fn run_package() -> Package {
        Package { version: crate_version(&project_root()).expect("crate version") }
    }

    /// `cargo test` fails when someone changes a wire type without re-running codegen.
    #[test]
    fn codegen_is_fresh() {
        let result = generate(&project_root(), &inputs(), &name_tables(), &run_package(), true);
        assert!(result.is_ok(), "{}", result.err().map(|e| e.to_string()).unwrap_or_default());
    }

    #[test]
    fn json_files_are_sorted_pretty_and_marked() {
        let files = render_files(
            &[input("message", json!({"type": "object", "title": "Message", "properties": {"b": true, "a": {"type": "string"}}}))],
            &[],
            &package(),
        )
        .expect("render");
        assert_eq!(
            files["message.schema.json"],
            r#"{
  "$comment": "Generated by `cargo xtask codegen`, do not edit by hand.",
  "$id": "https://github.com/matrix-widget-api-rs/matrix-widget-api/raw/main/schemas/message.schema.json",
  "properties": {
    "a": {
      "type": "string"
    },
    "b": true
  },
  "title": "Message",
  "type": "object"
}
"#
        );
        assert_eq!(
            files.keys().collect::<Vec<_>>(),
            ["README.md", "index.d.ts", "index.js", "message.schema.json", "package-lock.json", "package.json", "widget-api.d.ts"]
        );
        // The lock names the package as the manifest does, and nothing else.
        let manifest: Value = serde_json::from_str(&files["package.json"]).expect("JSON");
        let lock: Value = serde_json::from_str(&files["package-lock.json"]).expect("JSON");
        let root = &lock["packages"][""];
        for key in ["name", "version", "license", "engines"] {
            assert_eq!(root[key], manifest[key], "{key}");
        }
        assert_eq!((&lock["name"], &lock["version"]), (&manifest["name"], &manifest["version"]));
        assert_eq!(lock["packages"].as_object().map(|p| p.len()), Some(1), "no dependencies");
    }

    #[test]
    fn no_inputs_give_preamble_only_files() {
        let files = render_files(&[], &[], &package()).expect("render");
        assert_eq!(files["widget-api.d.ts"], "// Generated by `cargo xtask codegen`, do not edit by hand.\n");
        assert!(files["README.md"].starts_with("<!-- Generated by `cargo xtask codegen`, do not edit by hand. -->\n"));
        assert!(files["index.js"].starts_with("// Generated by `cargo xtask codegen`, do not edit by hand.\n"));
        assert!(files["index.js"].contains("export const validators = /* @__PURE__ */ Object.freeze({\n});\n"), "{}", files["index.js"]);
        assert!(!files["index.js"].contains("isMessage"), "no message schema, no `isMessage`");
        assert!(files["index.d.ts"].contains("export * from \"./widget-api.js\";\n"));
        assert_eq!(files.len(), 6);
    }

    #[test]
    fn typescript_has_roots_and_merged_defs_sorted_by_name() {
        let shared = json!({"type": "string", "enum": ["a", "b"]});
        let files = render_files(
            &[
                input(
                    "to_widget.request",
                    json!({
                        "title": "ToWidgetRequest",
                        "description": "Sent to the widget.",
                        "type": "object",
                        "properties": {"kind": {"$ref": "#/$defs/Kind"}},
                        "required": ["kind"],
                        "additionalProperties": false,
                        "$defs": {"Kind": shared.clone()},
                    }),
                ),
                input(
                    "from_widget.request",
                    json!({
                        "$schema": "https://json-schema.org/draft/2020-12/schema",
                        "anyOf": [{"$ref": "#/$defs/Kind"}, {"type": "null"}],
                        "$defs": {"Kind": shared},
                    }),
                ),
            ],
            &[],
            &package(),
        )
        .expect("render");
        assert_eq!(
            files["widget-api.d.ts"],
            "// Generated by `cargo xtask codegen`, do not edit by hand.

export type FromWidgetRequest = Kind | null;

export type Kind = \"a\" | \"b\";

/** Sent to the widget. */
export interface ToWidgetRequest {
  kind: Kind;
}
"
        );
        assert!(
            files["README.md"].ends_with(
                "| Schema | TypeScript type | Description |
| --- | --- | --- |
| [`from_widget.request.schema.json`](from_widget.request.schema.json) | `FromWidgetRequest` |  |
| [`to_widget.request.schema.json`](to_widget.request.schema.json) | `ToWidgetRequest` | Sent to the widget. |
"
            ),
            "{}",
            files["README.md"]
        );
        assert!(files["package.json"].contains("\"./to_widget.request.schema.json\": \"./to_widget.request.schema.json\""));
        assert!(files["package.json"].contains("\"version\": \"1.2.3\""));
    }

    #[test]
    fn conflicting_defs_name_both_documents() {
        let err = render_files(
            &[
                input("a", json!({"title": "A", "$defs": {"Kind": {"type": "string"}}})),
                input("b", json!({"title": "B", "$defs": {"Kind": {"type": "integer"}}})),
            ],
            &[],
            &package(),
        )
        .expect_err("conflict");
        assert_eq!(
            err.to_string(),
            "TypeScript type `Kind` is defined differently by `$defs/Kind` in `a.schema.json` \
             and by `$defs/Kind` in `b.schema.json`; give one of the Rust types another schema name"
        );
    }

    #[test]
    fn a_root_and_a_def_of_the_same_type_merge() {
        let event = json!({"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]});
        let mut root = event.clone();
        root["title"] = json!("Event");
        let files = render_files(
            &[
                input("event", root),
                input("batch", json!({"title": "Batch", "type": "array", "items": {"$ref": "#/$defs/Event"}, "$defs": {"Event": event}})),
            ],
            &[],
            &package(),
        )
        .expect("render");
        assert_eq!(
            files["widget-api.d.ts"],
            "// Generated by `cargo xtask codegen`, do not edit by hand.

export type Batch = Event[];

export interface Event {
  id: string;
}
"
        );
    }

    #[test]
    fn root_that_only_refers_to_its_own_def_is_declared_once() {
        let files = render_files(
            &[input(
                "tree",
                json!({"title": "Tree", "$ref": "#/$defs/Tree", "$defs": {"Tree": {"type": "array", "items": {"$ref": "#/$defs/Tree"}}}}),
            )],
            &[],
            &package(),
        )
        .expect("render");
        assert_eq!(files["widget-api.d.ts"], "// Generated by `cargo xtask codegen`, do not edit by hand.\n\nexport type Tree = Tree[];\n");
    }

    #[test]
    fn a_payload_that_is_a_shared_definition_is_an_alias_of_it() {
        let event = json!({"description": "An event.", "type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]});
        let empty = json!({"type": "object"});
        let request = |name: &str, data: &str, defs: Value| {
            input(
                name,
                json!({
                    "type": "object",
                    "properties": {"data": {"$ref": format!("#/$defs/{data}")}},
                    "required": ["data"],
                    "$defs": defs,
                }),
            )
        };
        let files = render_files(
            &[
                request(
                    "read",
                    "ReadResponseData",
                    json!({"ReadResponseData": {"type": "array", "items": {"$ref": "#/$defs/Event"}}, "Event": event.clone()}),
                ),
                request("send", "SendRequestData", json!({"SendRequestData": event.clone()})),
                // Equal only to another payload: not a shared definition, so not an alias.
                request("a", "ARequestData", json!({"ARequestData": empty.clone()})),
                request("b", "BRequestData", json!({"BRequestData": empty})),
                // Equal to a definition whose description differs: another type, not an alias.
                request(
                    "c",
                    "CRequestData",
                    json!({"CRequestData": {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}}),
                ),
            ],
            &[],
            &package(),
        )
        .expect("render");
        let typings = &files["widget-api.d.ts"];
        assert!(typings.contains("\nexport type SendRequestData = Event;\n"), "{typings}");
        assert!(typings.contains("\n/** An event. */\nexport interface Event {\n"), "{typings}");
        assert!(typings.contains("\nexport type ARequestData = { [key: string]: unknown };\n"), "{typings}");
        assert!(typings.contains("\nexport type BRequestData = { [key: string]: unknown };\n"), "{typings}");
        assert!(typings.contains("\nexport interface CRequestData {\n"), "{typings}");
        assert!(typings.contains("\nexport type ReadResponseData = Event[];\n"), "{typings}");
        // The JSON Schemas are untouched: each document stays self-contained.
        assert!(
            files["send.schema.json"].contains("\"SendRequestData\": {\n      \"description\": \"An event.\""),
            "{}",
            files["send.schema.json"]
        );

        // Two shared definitions with the payload's schema: which one it is cannot be told.
        let files = render_files(
            &[
                input("x", json!({"title": "X", "$defs": {"One": event.clone(), "Two": event.clone()}})),
                request("send", "SendRequestData", json!({"SendRequestData": event})),
            ],
            &[],
            &package(),
        )
        .expect("render");
        assert!(files["widget-api.d.ts"].contains("\nexport interface SendRequestData {\n"), "{}", files["widget-api.d.ts"]);
    }

    #[test]
    fn dangling_refs_and_bad_names_are_errors() {
        let err = render_files(&[input("a", json!({"$ref": "#/$defs/Missing"}))], &[], &package()).expect_err("dangling");
        assert_eq!(err.to_string(), "`a.schema.json` refers to `#/$defs/Missing`, which it does not define");
        let err = render_files(&[input("../evil", json!({}))], &[], &package()).expect_err("name");
        assert!(err.to_string().contains("not a plain file stem"), "{err}");
        let err = render_files(&[input("a", json!({})), input("a", json!({}))], &[], &package()).expect_err("duplicate");
        assert_eq!(err.to_string(), "two schemas are both named `a`");
    }

    #[test]
    fn check_mode_lists_every_problem_and_writes_nothing() {
        let root = temp_root("check");
        let inputs = [input("one", json!({"type": "string"}))];
        let dir = root.join(SCHEMA_DIR);

        let written = generate(&root, &inputs, &[], &package(), false).expect("write");
        assert_eq!(written.updated, written.files, "a fresh directory gets every file");
        assert!(written.describe(false).contains("files updated"), "{}", written.describe(false));
        let again = generate(&root, &inputs, &[], &package(), false).expect("rewrite");
        assert_eq!((again.updated, again.removed), (0, 0));
        assert_eq!(again.describe(false), format!("codegen: schemas/ is up to date ({} files)", again.files));
        generate(&root, &inputs, &[], &package(), true).expect("fresh after write");

        std::fs::write(dir.join("one.schema.json"), "{}\n").expect("edit");
        std::fs::remove_file(dir.join(README_FILE)).expect("delete");
        std::fs::write(dir.join("old.schema.json"), "{}\n").expect("stale");

        let message = generate(&root, &inputs, &[], &package(), true).expect_err("stale").to_string();
        assert_eq!(
            message,
            "these generated files are out of date:
  schemas/README.md (missing)
  schemas/one.schema.json (differs)
  schemas/old.schema.json (stale: no longer generated)
generated files are out of date; run `cargo xtask codegen` and commit the result"
                .replace("schemas/", &format!("{}/", display_path(&dir)))
        );
        assert_eq!(std::fs::read_to_string(dir.join("one.schema.json")).expect("read"), "{}\n");
        assert!(!dir.join(README_FILE).exists());
        assert!(dir.join("old.schema.json").exists());

        generate(&root, &inputs, &[], &package(), false).expect("repair");
        assert!(!dir.join("old.schema.json").exists());
        generate(&root, &inputs, &[], &package(), true).expect("fresh after repair");
        let _ = std::fs::remove_dir_all(&root);
    }
}
