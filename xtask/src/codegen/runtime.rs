//! The package's JavaScript: `schemas/index.js` (an ES module with no imports, for Node.js and
//! browsers alike) and its declarations `schemas/index.d.ts`.
//!
//! - **Names**, from the Rust name tables ([`NameSpec`]s of `ActionName`, `Capability`,
//!   `ApiVersion`): every spelling of every name, and a function from any spelling to the
//!   name's canonical label, its stable spelling (`actionOf`, `capabilityOf`, `versionOf`),
//!   parsing as the Rust `parse_name` does: exact spellings first, then prefixes in
//!   declaration order, each with its parameter's pattern. The declarations map every exact
//!   spelling to its label, so `switch (actionOf(m.action))` has one case per action.
//! - **Validators**, compiled from the published schemas by [`validator`]: one per document
//!   root, each a type guard with a `problem(value)` that returns the one problem worded like
//!   the Rust decoder.
//!
//! Generated from values, like the other generators: no I/O, and no Node.js at codegen time.

use matrix_widget_api::naming::NameSpec;
use serde_json::Value;

use super::schema::Document;
use crate::util::{PREAMBLE, Result};

mod validator;

/// One name type's table, as the runtime publishes it.
#[derive(Debug, Clone)]
pub(super) struct NameTable {
    /// The TypeScript type of a canonical label (`ActionLabel`).
    pub(super) label: &'static str,
    /// The exported object of spellings (`actions`).
    pub(super) table: &'static str,
    /// The exported lookup function (`actionOf`).
    pub(super) function: &'static str,
    /// What one name is, from the Rust type (`action`).
    pub(super) what: &'static str,
    /// The declared names, in declaration order.
    pub(super) specs: Vec<NameSpec>,
}

/// The names and validators that go into the runtime.
pub(super) struct Runtime<'a> {
    /// The name tables.
    pub(super) names: &'a [NameTable],
    /// Each published document with its root type's name.
    pub(super) documents: Vec<(&'a Document, String)>,
}

/// The generated files: `(index.js, index.d.ts)`.
pub(super) fn render(runtime: &Runtime<'_>, typings: &str) -> Result<(String, String)> {
    let compiled = validator::compile(&runtime.documents)?;
    let message = runtime.documents.iter().find(|(document, _)| document.name == "message").map(|(_, type_name)| type_name.as_str());

    let mut js = format!("// {PREAMBLE}\n// The runtime of the package: canonical names and precompiled validators. No imports.\n\n");
    js.push_str(NAMES_PRELUDE);
    for table in runtime.names {
        let rows: Vec<String> = table.specs.iter().map(name_row).collect();
        js.push_str(&format!(
            "\nconst ${table} = [\n{rows}];\n/** Every {what}'s spellings, by canonical label. */\nexport const {table} = /* @__PURE__ */ $table(${table});\n/** The canonical label of any spelling of a {what}, or `undefined`. */\nexport const {function} = /* @__PURE__ */ $lookup(${table});\n",
            what = table.what,
            table = table.table,
            function = table.function,
            rows = rows.iter().map(|row| format!("  {row},\n")).collect::<String>(),
        ));
    }
    js.push_str(
        "\n/** Whether `message` is a message of `action`, in any of its spellings. */\nexport const isAction = (message, action) =>\n  message !== null && typeof message === \"object\" && actionOf(message.action) === action;\n\n/** `message` with the canonical label of its action, for a `switch` that narrows both. */\nexport const withAction = (message) => ({\n  action: message !== null && typeof message === \"object\" ? actionOf(message.action) : undefined,\n  message,\n});\n",
    );
    js.push_str("\n// Validators.\n\n");
    js.push_str(validator::PRELUDE);
    js.push_str(&compiled.code);
    js.push_str("\n/** One validator per published schema, by its root type's name. */\nexport const validators = /* @__PURE__ */ Object.freeze({\n");
    for (type_name, function) in &compiled.roots {
        js.push_str(&format!("  {type_name}: /* @__PURE__ */ $validator({function}),\n"));
    }
    js.push_str("});\n");
    // Their own instances (not `validators.Message`), so that a bundle using only these can
    // leave the other validators out.
    if let Some(function) = compiled.roots.iter().find(|(type_name, _)| Some(type_name.as_str()) == message).map(|(_, function)| function) {
        js.push_str(&format!(
            "\n/** Whether `value` is a valid message, of either direction. */\nexport const isMessage = /* @__PURE__ */ $validator({function});\n\n/** The one problem that makes `value` an invalid message, or `null` when it is valid. */\nexport const problem = (value) => isMessage.problem(value);\n"
        ));
    }

    let typings_module = typings.strip_suffix(".d.ts").map(|stem| format!("./{stem}.js")).unwrap_or_else(|| format!("./{typings}"));
    let mut dts =
        format!("// {PREAMBLE}\n\nimport type * as Types from {module};\nexport * from {module};\n", module = json(&typings_module));
    dts.push_str(NAMES_DECLARATIONS);
    for table in runtime.names {
        dts.push_str(&name_declarations(table));
    }
    if let Some(actions) = runtime.names.iter().find(|t| t.function == "actionOf") {
        dts.push_str(&format!(
            "\n/** Whether `message` is a message of `action`, in any of its spellings; narrows `message` to the members of its type with those spellings. */\nexport declare function isAction<M, A extends {label}>(message: M, action: A): message is Extract<M, {{ action: ActionSpelling<A> }}>;\n\n/**\n * A message and its action's canonical label: `const {{ action, message }} = withAction(m)`, then\n * `switch (action)` narrows `message` too, one `case` per action whatever the spelling.\n */\nexport type WithAction<M> =\n  | {{ [A in {label}]: {{ readonly action: A; readonly message: Extract<M, {{ action: ActionSpelling<A> }}> }} }}[{label}]\n  | {{ readonly action: undefined; readonly message: M }};\n\n/** `message` with the canonical label of its action (`undefined` for an action this version does not know). */\nexport declare function withAction<M>(message: M): WithAction<M>;\n",
            label = actions.label,
        ));
    }
    dts.push_str(VALIDATOR_DECLARATIONS);
    dts.push_str("\n/** One validator per published schema, by its root type's name. */\nexport declare const validators: {\n");
    for (type_name, _) in &compiled.roots {
        dts.push_str(&format!("  readonly {type_name}: Validator<Types.{type_name}>;\n"));
    }
    dts.push_str("};\n");
    if let Some(message) = message {
        dts.push_str(&format!(
            "\n/** Whether `value` is a valid message, of either direction. */\nexport declare const isMessage: Validator<Types.{message}>;\n\n/** The one problem that makes `value` an invalid message, or `null` when it is valid. */\nexport declare function problem(value: unknown): Problem | null;\n"
        ));
    }
    Ok((js, dts))
}

/// The helper that builds a table and its lookup.
const NAMES_PRELUDE: &str = r#"// Each name: [stable, unstable, legacy spellings, is a prefix, the prefix's parameter pattern].
const $spellings = (stable, unstable, legacy) => [...new Set([stable, unstable, ...legacy])];
function $table(rows) {
  const names = {};
  for (const [stable, unstable, legacy, prefix] of rows) names[stable] = Object.freeze({ stable, unstable, legacy: Object.freeze([...legacy]), prefix });
  return Object.freeze(names);
}
function $lookup(rows) {
  const exact = new Map();
  const prefixes = [];
  for (const [stable, unstable, legacy, prefix, param] of rows) {
    const spellings = $spellings(stable, unstable, legacy);
    if (prefix) prefixes.push([spellings, stable, param === null ? null : new RegExp(`^(?:${param})$`, "u")]);
    else for (const spelling of spellings) exact.set(spelling, stable);
  }
  return (name) => {
    const text = String(name);
    const label = exact.get(text);
    if (label !== undefined) return label;
    for (const [spellings, stable, param] of prefixes) {
      for (const spelling of spellings) {
        if (text.startsWith(spelling) && (param === null || param.test(text.slice(spelling.length)))) return stable + text.slice(spelling.length);
      }
    }
    return undefined;
  };
}
"#;

/// The declarations shared by every name table.
const NAMES_DECLARATIONS: &str = r#"
/** The spellings of one name. The canonical label is `stable`. */
export interface Spellings<L extends string = string> {
  /** The stable spelling: the name's canonical label. */
  readonly stable: L;
  /** The unstable (MSC) spelling; equal to `stable` when the name has one spelling. */
  readonly unstable: string;
  /** Older spellings: accepted, never emitted unless parsed. */
  readonly legacy: readonly string[];
  /** Whether the spellings are prefixes followed by a parameter (`m.send.event:<type>`). */
  readonly prefix: boolean;
}
"#;

/// The validator declarations.
const VALIDATOR_DECLARATIONS: &str = r#"
/** Why a value is invalid: one problem, at one field. */
export interface Problem {
  /** The JSON pointer of the field (`/data/delay`); for a missing field, where it should be. */
  readonly pointer: string;
  /** The field as a path (`data.delay`, `response.events[0].sender`); empty for the whole value. */
  readonly path: string;
  /** What is wrong, worded like the Rust decoder (`` `data.delay` is out of range: 0 is not an integer from 1 to 9007199254740991 ``). */
  readonly message: string;
}

/** A precompiled validator: a type guard, and the one problem of an invalid value. */
export interface Validator<T> {
  (value: unknown): value is T;
  /** The one problem that makes `value` invalid, or `null` when it is valid. */
  problem(value: unknown): Problem | null;
}
"#;

/// One row of a `$names` table.
fn name_row(spec: &NameSpec) -> String {
    let legacy = Value::from(spec.legacy.to_vec()).to_string();
    let param = spec.param_pattern.map_or_else(|| "null".to_owned(), json);
    format!("[{}, {}, {legacy}, {}, {param}]", json(spec.stable), json(spec.unstable), spec.prefix)
}

/// The declarations of one table: its label type, its spelling map, the table and lookup.
fn name_declarations(table: &NameTable) -> String {
    let NameTable { label, table: table_name, function, what, specs } = table;
    let labels: Vec<String> =
        specs.iter().map(|spec| if spec.prefix { format!("`{}${{string}}`", spec.stable) } else { json(spec.stable) }).collect();
    let spelling_type = label.strip_suffix("Label").map_or_else(|| format!("{label}Spelling"), |stem| format!("{stem}Spelling"));
    let map_type = format!("{}s", spelling_type);
    let mut out = format!(
        "\n/** Every {what}, by its canonical label: its stable spelling{prefixed}. */\nexport type {label} =\n{labels};\n",
        prefixed = if specs.iter().any(|s| s.prefix) { " (a prefix's label is its stable prefix and the parameter)" } else { "" },
        labels =
            if labels.is_empty() { "  never".to_owned() } else { labels.iter().map(|l| format!("  | {l}")).collect::<Vec<_>>().join("\n") },
    );
    out.push_str(&format!(
        "\n/** Every exact spelling of every {what}, mapped to its canonical label. */\nexport interface {map_type} {{\n"
    ));
    for spec in specs.iter().filter(|spec| !spec.prefix) {
        for spelling in spec.spellings() {
            out.push_str(&format!("  {}: {};\n", json(spelling), json(spec.stable)));
        }
    }
    out.push_str("}\n");
    out.push_str(&format!(
        "\n/** The exact spellings of the {what}s `L`. */\nexport type {spelling_type}<L extends {label} = {label}> = {{ [S in keyof {map_type}]: {map_type}[S] extends L ? S : never }}[keyof {map_type}];\n"
    ));
    out.push_str(&format!(
        "\n/** Every {what}'s spellings, by canonical label. */\nexport declare const {table_name}: {{ readonly [L in {label}]: Spellings<L> }};\n"
    ));
    out.push_str(&format!(
        "\n/** The canonical label of any spelling of a {what} (`undefined` for one this version does not know). */\nexport declare function {function}<S extends keyof {map_type}>(name: S): {map_type}[S];\nexport declare function {function}(name: string | String): {label} | undefined;\n"
    ));
    out
}

/// A JSON (and JavaScript) string literal.
fn json(text: &str) -> String {
    Value::from(text).to_string()
}

#[cfg(test)]
mod tests;
