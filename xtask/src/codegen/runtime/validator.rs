//! Precompiled validators: the published JSON Schemas compiled to plain JavaScript functions,
//! for the subset of draft 2020-12 that the protocol crate emits.
//!
//! Every schema node becomes one function `(value, path) => problem | null`; equal nodes (by
//! their keywords, descriptions aside) share one function, and every `$defs` entry is one
//! function that references call, so recursive definitions work. A function returns the
//! first problem it finds, never a list: combinators pick the one problem that explains the
//! failure (see `$union` in [`PRELUDE`]), so a consumer gets one sentence in the Rust
//! decoder's words instead of a branch-by-branch report. A keyword outside the subset fails
//! the run, naming it, rather than being skipped (a skipped keyword would accept more than
//! the schema, and than the decoder).

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value};

use super::super::schema::{Document, definition_name};
use crate::util::{Error, Result};

/// Keywords that never constrain a value.
const ANNOTATIONS: [&str; 8] = ["$comment", "$id", "$schema", "$defs", "definitions", "title", "description", "default"];

/// The shared helpers of the generated code: how problems are made, merged and worded.
///
/// A problem is `{ p, k, v, x }`: the path (keys and indices), the kind (`type`, `enum`,
/// `missing`, `empty`, `range`, `text`), the value found, and the detail (the expected types,
/// the allowed values, the range, the sentence).
pub(super) const PRELUDE: &str = r#"const $has = Object.prototype.hasOwnProperty;
const $ok = () => null;
const $kind = (v) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);
const $at = (p, k) => [...p, k];
const $type = (v, p, x) => ({ p, k: "type", v, x: [x] });
const $enum = (v, p, x) => ({ p, k: "enum", v, x: [...x] });
function $required(v, p, keys) {
  for (const k of keys) if (!$has.call(v, k)) return { p: $at(p, k), k: "missing" };
  return null;
}
const $range = (v, p, x) => ({ p, k: "range", v, x });
const $text = (v, p, x) => ({ p, k: "text", v, x });
const $len = (s) => [...s].length;
const $object = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const $prop = (v, p, k, f) => ($has.call(v, k) ? f(v[k], $at(p, k)) : null);
function $items(v, p, f) {
  for (let i = 0; i < v.length; i++) {
    const e = f(v[i], $at(p, i));
    if (e) return e;
  }
  return null;
}
function $any(v, p, fs) {
  const all = [];
  for (const f of fs) {
    const e = f(v, p);
    if (e === null) return null;
    all.push(e);
  }
  return $union(v, p, all);
}
// `none` and `many` word the problem when no branch or several match (null: the default).
function $one(v, p, fs, none, many) {
  const all = [];
  for (const f of fs) {
    const e = f(v, p);
    if (e !== null) all.push(e);
  }
  if (all.length === fs.length) return none === null ? $union(v, p, all) : $text(v, p, none);
  if (all.length < fs.length - 1) return $text(v, p, many ?? "matches more than one alternative");
  return null;
}
// The one problem of a failed `anyOf`/`oneOf`: branches that refused the value's JSON type
// say nothing about it when another branch took that type; branches refusing the value
// itself merge (every allowed value, and the types other branches take); else the deepest
// problem. `null` is left out of expected types when there are others: it reads as absent.
function $union(v, p, problems) {
  const fit = problems.filter((e) => !(e.k === "type" && e.p.length === p.length));
  if (fit.length === 0) {
    const types = [...new Set(problems.flatMap((e) => e.x))];
    const some = types.filter((t) => t !== "null");
    return { p, k: "type", v, x: some.length > 0 ? some : types };
  }
  if (fit.every((e) => e.k === "enum" && e.p.length === p.length)) {
    const values = [...new Set(fit.flatMap((e) => e.x))];
    if (fit.length === problems.length) return { p, k: "enum", v, x: values };
    // Some branches take other types: name the values and those types.
    const types = problems.filter((e) => e.k === "type").flatMap((e) => e.x);
    return { p, k: "type", v, x: [...new Set([...values.map((x) => JSON.stringify(x)), ...types])].filter((t) => t !== "null") };
  }
  return fit.reduce((best, e) => (e.p.length > best.p.length ? e : best));
}
const $quote = (v) => {
  switch ($kind(v)) {
    case "string": return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
    case "array": return "an array";
    case "object": return "an object";
    default: return String(v);
  }
};
const $pointer = (p) => p.map((k) => `/${String(k).replaceAll("~", "~0").replaceAll("/", "~1")}`).join("");
const $path = (p) => p.map((k, i) => (typeof k === "number" ? `[${k}]` : i === 0 ? k : `.${k}`)).join("");
function $sentence(e) {
  const body = {
    type: () => `expected ${e.x.join(" or ")}, found ${$quote(e.v)}`,
    enum: () => (e.x.length === 1 ? `expected ${JSON.stringify(e.x[0])}, found ${$quote(e.v)}` : `unknown value ${$quote(e.v)}, expected one of ${e.x.map((x) => JSON.stringify(x)).join(", ")}`),
    missing: () => "is missing",
    empty: () => "must not be empty",
    range: () => `is out of range: ${e.v} is not ${e.x}`,
    text: () => e.x,
  }[e.k]();
  if (e.p.length === 0) return body;
  const field = `\`${$path(e.p)}\``;
  return e.k === "missing" || e.k === "empty" || e.k === "range" ? `${field} ${body}` : `${field}: ${body}`;
}
const $problem = (e) => (e === null ? null : { pointer: $pointer(e.p), path: $path(e.p), message: $sentence(e) });
function $validator(f) {
  const validate = (value) => f(value, []) === null;
  validate.problem = (value) => $problem(f(value, []));
  return validate;
}
"#;

/// The compiled validators of some documents.
pub(super) struct Compiled {
    /// The generated functions (after [`PRELUDE`]).
    pub(super) code: String,
    /// `(root type name, function name)` per document, in the documents' order.
    pub(super) roots: Vec<(String, String)>,
}

/// Compiles every document's root (and, through references, the `$defs` they use).
/// `documents` pairs each document with its root type's name.
pub(super) fn compile(documents: &[(&Document, String)]) -> Result<Compiled> {
    let mut compiler = Compiler::default();
    for (document, _) in documents {
        if let Some(Value::Object(definitions)) = document.definitions() {
            for (name, schema) in definitions {
                match compiler.definitions.get(name) {
                    Some((existing, _)) if existing != schema => {
                        return Err(Error::msg(format!("`$defs/{name}` differs between documents; the validators need one definition")));
                    }
                    Some(_) => {}
                    None => {
                        let function = format!("d{}", compiler.definitions.len());
                        compiler.definitions.insert(name.clone(), (schema.clone(), function));
                    }
                }
            }
        }
    }
    let mut roots = Vec::new();
    for (document, type_name) in documents {
        let function = compiler.node(&Value::Object(document.schema.clone()), &document.file)?;
        roots.push((type_name.clone(), function));
    }
    // Definitions are compiled when first referenced; keep going until none is pending.
    while let Some(name) = compiler.pending.pop() {
        let (schema, function) = compiler.definitions[&name].clone();
        let body = compiler.node(&schema, &format!("$defs/{name}"))?;
        // A node function is a hoisted declaration; another definition is a `const` that may
        // come later, so it is called, not read, here.
        let alias = if body.starts_with('d') { format!("(v, p) => {body}(v, p)") } else { body };
        compiler.functions.push(format!("const {function} = {alias};\n"));
    }
    let mut code = String::new();
    for (index, values) in compiler.sets.iter().enumerate() {
        code.push_str(&format!("const E{index} = /* @__PURE__ */ new Set({values});\n"));
    }
    for (index, pattern) in compiler.patterns.iter().enumerate() {
        code.push_str(&format!("const R{index} = /* @__PURE__ */ new RegExp({pattern}, \"u\");\n"));
    }
    compiler.functions.iter().for_each(|function| code.push_str(function));
    Ok(Compiled { code, roots })
}

#[derive(Default)]
struct Compiler {
    /// Every `$defs` entry: its schema and its function's name.
    definitions: BTreeMap<String, (Value, String)>,
    /// Definitions referenced but not compiled yet.
    pending: Vec<String>,
    /// Definitions already queued.
    queued: std::collections::BTreeSet<String>,
    /// Compiled nodes, by their key: the function's name.
    nodes: HashMap<String, String>,
    /// Function texts, in the order they were finished (definitions are `const` arrows that
    /// call node functions; node functions are hoisted declarations).
    functions: Vec<String>,
    /// `enum` value lists of more than a few values, as JSON arrays.
    sets: Vec<String>,
    /// `pattern` sources, as JSON strings.
    patterns: Vec<String>,
}

impl Compiler {
    /// The function validating `schema`, compiling it if no equal node was compiled before.
    fn node(&mut self, schema: &Value, origin: &str) -> Result<String> {
        let key = node_key(schema);
        if let Some(name) = self.nodes.get(&key) {
            return Ok(name.clone());
        }
        let name = match schema {
            Value::Bool(true) => "$ok".to_owned(),
            Value::Bool(false) => {
                let name = format!("s{}", self.nodes.len());
                self.functions.push(format!("function {name}(v, p) {{ return $text(v, p, \"no value is allowed here\"); }}\n"));
                name
            }
            // A bare reference is the definition's own function.
            Value::Object(map)
                if map.contains_key("$ref") && map.keys().all(|key| key == "$ref" || ANNOTATIONS.contains(&key.as_str())) =>
            {
                self.reference(&map["$ref"], origin)?
            }
            Value::Object(map) => {
                let name = format!("s{}", self.nodes.len());
                self.nodes.insert(key.clone(), name.clone());
                let body = self.body(map, origin)?;
                let local = if body.contains("(e = ") { "  let e;\n" } else { "" };
                self.functions.push(format!("function {name}(v, p) {{\n{local}{body}  return null;\n}}\n"));
                name
            }
            other => return Err(Error::msg(format!("{origin}: a schema must be an object or a boolean, found {other}"))),
        };
        self.nodes.insert(key, name.clone());
        Ok(name)
    }

    /// The statements checking one schema object, in the order problems are looked for:
    /// the value's type and value, then references, then the members, then combinators.
    fn body(&mut self, map: &Map<String, Value>, origin: &str) -> Result<String> {
        let mut out = String::new();
        for key in map.keys() {
            let known = ANNOTATIONS.contains(&key.as_str())
                || matches!(
                    key.as_str(),
                    "type"
                        | "const"
                        | "enum"
                        | "minLength"
                        | "maxLength"
                        | "pattern"
                        | "minimum"
                        | "maximum"
                        | "$ref"
                        | "allOf"
                        | "required"
                        | "properties"
                        | "additionalProperties"
                        | "items"
                        | "anyOf"
                        | "oneOf"
                        | "not"
                        | "if"
                        | "then"
                        | "else"
                );
            if !known {
                return Err(Error::msg(format!("{origin}: the JavaScript validators cannot compile the keyword `{key}`")));
            }
        }
        let ty = match map.get("type") {
            None => None,
            Some(Value::String(ty)) => Some(ty.as_str()),
            Some(other) => return Err(Error::msg(format!("{origin}: `type` must be one string for the validators, found {other}"))),
        };
        let ranged = map.contains_key("minimum") || map.contains_key("maximum");
        if let Some(ty) = ty {
            let range_phrase = self.range_phrase(map, Some(ty), origin)?;
            let integer_expected = range_phrase.clone().unwrap_or_else(|| "an integer".to_owned());
            let (test, expected) = match ty {
                "object" => ("$object(v)", "an object"),
                "array" => ("Array.isArray(v)", "an array"),
                "string" => ("typeof v === \"string\"", "a string"),
                "boolean" => ("typeof v === \"boolean\"", "a boolean"),
                "null" => ("v === null", "null"),
                "number" => ("typeof v === \"number\"", "a number"),
                // A fraction of a ranged integer is out of its range, as the decoder says.
                "integer" if ranged => ("typeof v === \"number\"", integer_expected.as_str()),
                "integer" => ("Number.isInteger(v)", "an integer"),
                other => return Err(Error::msg(format!("{origin}: unknown `type` {other:?}"))),
            };
            out.push_str(&format!("  if (!({test})) return $type(v, p, {});\n", json(expected)));
        }
        if let Some(value) = map.get("const") {
            check_scalar(value, origin)?;
            out.push_str(&format!("  if (v !== {value}) return $enum(v, p, [{value}]);\n"));
        }
        if let Some(values) = map.get("enum") {
            let Value::Array(values) = values else { return Err(Error::msg(format!("{origin}: `enum` must be an array"))) };
            values.iter().try_for_each(|value| check_scalar(value, origin))?;
            let list = Value::Array(values.clone()).to_string();
            let test = if values.len() <= 4 {
                values.iter().map(|value| format!("v !== {value}")).collect::<Vec<_>>().join(" && ")
            } else {
                self.sets.push(list.clone());
                format!("!E{}.has(v)", self.sets.len() - 1)
            };
            let list = if values.len() <= 4 { list } else { format!("E{}", self.sets.len() - 1) };
            let test = if test.is_empty() { "true".to_owned() } else { test };
            out.push_str(&format!("  if ({test}) return $enum(v, p, {list});\n"));
        }
        let min_length =
            map.get("minLength").map(|n| n.as_u64().ok_or_else(|| Error::msg(format!("{origin}: bad `minLength`")))).transpose()?;
        let max_length =
            map.get("maxLength").map(|n| n.as_u64().ok_or_else(|| Error::msg(format!("{origin}: bad `maxLength`")))).transpose()?;
        let pattern = map.get("pattern").map(|p| p.as_str().ok_or_else(|| Error::msg(format!("{origin}: bad `pattern`")))).transpose()?;
        let string_known = ty == Some("string");
        if min_length.is_some() || max_length.is_some() || pattern.is_some() {
            out.push_str(if string_known { "  {\n" } else { "  if (typeof v === \"string\") {\n" });
            match min_length {
                Some(0) | None => {}
                Some(1) => out.push_str("    if (v.length === 0) return { p, k: \"empty\", v };\n"),
                Some(n) => out.push_str(&format!("    if ($len(v) < {n}) return $text(v, p, \"must be at least {n} characters long\");\n")),
            }
            if let Some(n) = max_length {
                out.push_str(&format!("    if ($len(v) > {n}) return $text(v, p, \"must be at most {n} characters long\");\n"));
            }
            if let Some(pattern) = pattern {
                self.patterns.push(json(pattern));
                out.push_str(&format!(
                    "    if (!R{0}.test(v)) return $text(v, p, `${{$quote(v)}} does not match the pattern ${{JSON.stringify(R{0}.source)}}`);\n",
                    self.patterns.len() - 1,
                ));
            }
            out.push_str("  }\n");
        }
        if let Some(range) = self.range_phrase(map, ty, origin)? {
            let mut tests = Vec::new();
            if ty == Some("integer") {
                tests.push("!Number.isInteger(v)".to_owned());
            }
            tests.extend(map.get("minimum").map(|min| format!("v < {min}")));
            tests.extend(map.get("maximum").map(|max| format!("v > {max}")));
            out.push_str(&format!("  if (typeof v === \"number\" && ({})) return $range(v, p, {});\n", tests.join(" || "), json(&range)));
        }
        if let Some(reference) = map.get("$ref") {
            let function = self.reference(reference, origin)?;
            out.push_str(&format!("  if ((e = {function}(v, p))) return e;\n"));
        }
        if let Some(all) = map.get("allOf") {
            for (index, branch) in array(all, "allOf", origin)?.iter().enumerate() {
                let function = self.node(branch, &format!("{origin}/allOf/{index}"))?;
                out.push_str(&format!("  if ((e = {function}(v, p))) return e;\n"));
            }
        }
        let object_part = self.object_part(map, origin)?;
        if !object_part.is_empty() {
            if ty == Some("object") {
                out.push_str(&object_part.replace("\n    ", "\n  ").replacen("    ", "  ", 1));
            } else {
                out.push_str(&format!("  if ($object(v)) {{\n{object_part}  }}\n"));
            }
        }
        if let Some(items) = map.get("items") {
            let function = self.node(items, &format!("{origin}/items"))?;
            let guard = if ty == Some("array") { String::new() } else { "Array.isArray(v) && ".to_owned() };
            out.push_str(&format!("  if ({guard}(e = $items(v, p, {function}))) return e;\n"));
        }
        if let Some(any) = map.get("anyOf") {
            let functions = self.branches(any, "anyOf", origin)?;
            out.push_str(&format!("  if ((e = $any(v, p, [{}]))) return e;\n", functions.join(", ")));
        }
        if let Some(one) = map.get("oneOf") {
            let branches = array(one, "oneOf", origin)?;
            let functions = self.branches(one, "oneOf", origin)?;
            // `oneOf` over "this field is present" branches: name the fields.
            let fields: Option<Vec<&str>> = branches.iter().map(single_required).collect();
            let (none, many) = match fields {
                Some(fields) => {
                    let names: Vec<String> = fields.iter().map(|f| format!("`{f}`")).collect();
                    (json(&format!("needs {}", names.join(" or "))), json(&format!("has {}; exactly one is allowed", both(&names))))
                }
                None => ("null".to_owned(), "null".to_owned()),
            };
            out.push_str(&format!("  if ((e = $one(v, p, [{}], {none}, {many}))) return e;\n", functions.join(", ")));
        }
        if let Some(not) = map.get("not") {
            let function = self.node(not, &format!("{origin}/not"))?;
            let reason = not
                .get("description")
                .or_else(|| map.get("description"))
                .and_then(Value::as_str)
                .map(sentence)
                .unwrap_or_else(|| "this value is not allowed here".to_owned());
            out.push_str(&format!("  if ({function}(v, p) === null) return $text(v, p, {});\n", json(&reason)));
        }
        if let Some(condition) = map.get("if") {
            let condition = self.node(condition, &format!("{origin}/if"))?;
            let then = map.get("then").map(|s| self.node(s, &format!("{origin}/then"))).transpose()?.unwrap_or_else(|| "$ok".to_owned());
            let otherwise =
                map.get("else").map(|s| self.node(s, &format!("{origin}/else"))).transpose()?.unwrap_or_else(|| "$ok".to_owned());
            out.push_str(&format!("  if ((e = ({condition}(v, p) === null ? {then} : {otherwise})(v, p))) return e;\n"));
        }
        Ok(out)
    }

    /// `an integer from 1 to 9007199254740991` for a node with `minimum` or `maximum`.
    fn range_phrase(&self, map: &Map<String, Value>, ty: Option<&str>, origin: &str) -> Result<Option<String>> {
        let bound = |key: &str| -> Result<Option<String>> {
            map.get(key)
                .map(|n| if n.is_number() { Ok(n.to_string()) } else { Err(Error::msg(format!("{origin}: bad `{key}`"))) })
                .transpose()
        };
        let (min, max) = (bound("minimum")?, bound("maximum")?);
        let what = if ty == Some("integer") { "an integer" } else { "a number" };
        Ok(match (min, max) {
            (Some(min), Some(max)) => Some(format!("{what} from {min} to {max}")),
            (Some(min), None) => Some(format!("{what} of at least {min}")),
            (None, Some(max)) => Some(format!("{what} of at most {max}")),
            (None, None) => None,
        })
    }

    /// `properties`, `additionalProperties` and `required`, for a value that is an object.
    fn object_part(&mut self, map: &Map<String, Value>, origin: &str) -> Result<String> {
        let mut out = String::new();
        let properties = match map.get("properties") {
            None => Map::new(),
            Some(Value::Object(properties)) => properties.clone(),
            Some(_) => return Err(Error::msg(format!("{origin}: `properties` must be an object"))),
        };
        // The fields present first, then the missing ones, in the decoder's order: serde
        // reports a missing field once the whole object is read.
        for (name, schema) in &properties {
            let function = self.node(schema, &format!("{origin}/properties/{name}"))?;
            if function != "$ok" {
                out.push_str(&format!("    if ((e = $prop(v, p, {}, {function}))) return e;\n", json(name)));
            }
        }
        match map.get("additionalProperties") {
            None | Some(Value::Bool(true)) => {}
            Some(schema) => {
                let function = self.node(schema, &format!("{origin}/additionalProperties"))?;
                let known: Vec<String> = properties.keys().map(|name| format!("k !== {}", json(name))).collect();
                let filter = if known.is_empty() { String::new() } else { format!(" && {}", known.join(" && ")) };
                out.push_str(&format!(
                    "    for (const k in v) if ($has.call(v, k){filter} && (e = {function}(v[k], $at(p, k)))) return e;\n"
                ));
            }
        }
        if let Some(required) = map.get("required") {
            let names = array(required, "required", origin)?;
            if names.iter().any(|name| !name.is_string()) {
                return Err(Error::msg(format!("{origin}: `required` must list strings")));
            }
            if !names.is_empty() {
                out.push_str(&format!("    if ((e = $required(v, p, {}))) return e;\n", Value::Array(names.clone())));
            }
        }
        Ok(out)
    }

    fn branches(&mut self, value: &Value, keyword: &str, origin: &str) -> Result<Vec<String>> {
        array(value, keyword, origin)?
            .iter()
            .enumerate()
            .map(|(index, branch)| self.node(branch, &format!("{origin}/{keyword}/{index}")))
            .collect()
    }

    /// The function of a `#/$defs/…` reference, queueing the definition.
    fn reference(&mut self, reference: &Value, origin: &str) -> Result<String> {
        let name = reference
            .as_str()
            .and_then(definition_name)
            .filter(|name| self.definitions.contains_key(name))
            .ok_or_else(|| Error::msg(format!("{origin}: the validators cannot resolve the reference {reference}")))?;
        if self.queued.insert(name.clone()) {
            self.pending.push(name.clone());
        }
        Ok(self.definitions[&name].1.clone())
    }
}

/// What makes two nodes the same function: their keywords, without the annotations that do
/// not change a verdict (a `not`'s description is its problem's wording, so it stays).
fn node_key(schema: &Value) -> String {
    match schema {
        Value::Object(map) => {
            let keep_description = map.contains_key("not");
            let map: Map<String, Value> = map
                .iter()
                .filter(|(key, _)| !ANNOTATIONS.contains(&key.as_str()) || (keep_description && key.as_str() == "description"))
                .map(|(key, value)| (key.clone(), value.clone()))
                .collect();
            Value::Object(map).to_string()
        }
        other => other.to_string(),
    }
}

fn array<'a>(value: &'a Value, keyword: &str, origin: &str) -> Result<&'a Vec<Value>> {
    value.as_array().ok_or_else(|| Error::msg(format!("{origin}: `{keyword}` must be an array")))
}

/// Values `===` can compare: `enum` and `const` of objects or arrays are not supported.
fn check_scalar(value: &Value, origin: &str) -> Result<()> {
    if value.is_object() || value.is_array() {
        return Err(Error::msg(format!("{origin}: the validators only compare `enum`/`const` values that are not objects or arrays")));
    }
    Ok(())
}

/// The field of a branch that only requires one field (and says nothing else of the object
/// but that field's schema).
fn single_required(branch: &Value) -> Option<&str> {
    let map = branch.as_object()?;
    let [Value::String(field)] = map.get("required")?.as_array()?.as_slice() else { return None };
    map.keys().all(|key| matches!(key.as_str(), "required" | "properties" | "description")).then_some(field.as_str())
}

/// `a and b`, `a, b and c`.
fn both(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// A description as the tail of a sentence: first letter lowercase, no final period.
fn sentence(description: &str) -> String {
    let text = description.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = text.strip_suffix('.').unwrap_or(&text);
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A JSON (and JavaScript) string literal.
fn json(text: &str) -> String {
    Value::from(text).to_string()
}
