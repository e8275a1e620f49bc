//! JSON Schema → TypeScript declarations, for the subset of draft 2020-12 that schemars 1.x emits.
//!
//! Pure functions over [`serde_json::Value`]: no I/O, no panics. Every keyword is either
//! rendered, or known to only narrow values in ways TypeScript cannot say (`minimum`,
//! `minLength`, `not`, …: the type is then wider than the schema, never narrower, and the
//! constraint goes into the JSDoc). Anything else — an unknown keyword, an `if` without
//! `then` and `else`, a reference to another document — is an error naming the construct:
//! [`declaration`] fails rather than widening a type to `unknown`.
//!
//! Choices the output makes:
//! - an object with declared properties has no index signature even when the schema allows
//!   other properties, so that a misspelled field is a type error (the schema still accepts
//!   unknown fields); an object without declared properties is `{ [key: string]: unknown }`;
//! - a `$defs` entry that is a string excluding some values (`{"type": "string", "not": …}`)
//!   is a branded `String`: TypeScript cannot subtract literals from `string`, and a branded
//!   `string` stays comparable to every string literal, so it would keep a discriminated
//!   union from narrowing; a branded `String` does not;
//! - `if`/`then`/`else` is the union of `then` and `else`; an object whose `allOf` holds only
//!   references is an `interface` that `extends` them.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

/// What the emitter needs to know about the document a schema comes from.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Context<'a> {
    /// The TypeScript name of the document's root type, used for `"$ref": "#"`.
    pub(crate) root: Option<&'a str>,
}

/// The unique symbol that brands [`branded`] strings; declared once per file by the caller.
pub(crate) const BRAND_SYMBOL: &str = "declare const brand: unique symbol;\n";

/// Renders one exported declaration: `export interface Name { … }` for a plain object schema
/// with properties (`extends` the references of its `allOf`), `export type Name = …;`
/// otherwise. The schema's `description` (and annotations such as `format`) become a JSDoc
/// comment. The result ends with `\n`. Fails, naming every construct TypeScript cannot
/// express, rather than emitting `unknown`.
pub(crate) fn declaration(name: &str, schema: &Value, ctx: Context<'_>) -> Result<String, String> {
    let doc = jsdoc(&doc_lines(schema), 0);
    let ts = if is_excluding_string(schema) { branded(name) } else { render(schema, ctx) };
    let mut problems = Vec::new();
    unsupported_parts(&ts, &mut problems);
    if !problems.is_empty() {
        problems.dedup();
        return Err(problems.join("; "));
    }
    if let Some((bases, object)) = interface_parts(&ts) {
        let extends = if bases.is_empty() { String::new() } else { format!(" extends {}", bases.join(", ")) };
        return Ok(format!("{doc}export interface {name}{extends} {}\n", print(object, 0)));
    }
    let text = print(&ts, 0);
    Ok(format!("{doc}export type {name} ={}{text};\n", separator(&text)))
}

/// Whether a declaration uses the brand symbol.
pub(crate) fn uses_brand(text: &str) -> bool {
    text.contains("[brand]")
}

/// `{"type": "string", "not": …}` with nothing else that shapes the value.
fn is_excluding_string(schema: &Value) -> bool {
    let Some(map) = schema.as_object() else { return false };
    map.get("type").and_then(Value::as_str) == Some("string")
        && map.contains_key("not")
        && !["const", "enum", "pattern", "$ref", "allOf", "anyOf", "oneOf", "if"].iter().any(|key| map.contains_key(*key))
}

/// `String & { readonly [brand]: "Name" }`.
fn branded(name: &str) -> Ts {
    Ts::Intersection(vec![raw("String"), Ts::Raw(format!("{{ readonly [brand]: {} }}", Value::from(name)))])
}

/// `Base & { … }` or `{ … }` with properties: the bases to extend and the body.
fn interface_parts(ts: &Ts) -> Option<(Vec<String>, &Ts)> {
    match ts {
        Ts::Object { props, .. } if !props.is_empty() => Some((Vec::new(), ts)),
        Ts::Intersection(parts) => {
            let (objects, refs): (Vec<&Ts>, Vec<&Ts>) = parts.iter().partition(|part| matches!(part, Ts::Object { .. }));
            let [object @ Ts::Object { props, .. }] = objects.as_slice() else { return None };
            let bases: Option<Vec<String>> = refs
                .iter()
                .map(|part| match part {
                    Ts::Ref(name) => Some(name.clone()),
                    _ => None,
                })
                .collect();
            (!props.is_empty()).then_some(())?;
            Some((bases?, *object))
        }
        _ => None,
    }
}

fn unsupported_parts(ts: &Ts, out: &mut Vec<String>) {
    match ts {
        Ts::Unsupported(reason) => out.push(reason.clone()),
        Ts::Raw(_) | Ts::Ref(_) => {}
        Ts::Array(item) => unsupported_parts(item, out),
        Ts::Tuple { items, rest, .. } => {
            items.iter().for_each(|item| unsupported_parts(item, out));
            if let Some(rest) = rest {
                unsupported_parts(rest, out);
            }
        }
        Ts::Object { props, index } => {
            props.iter().for_each(|prop| unsupported_parts(&prop.ty, out));
            if let Some(index) = index {
                unsupported_parts(index, out);
            }
        }
        Ts::Union(members) => members.iter().for_each(|member| unsupported_parts(&member.ty, out)),
        Ts::Intersection(parts) => parts.iter().for_each(|part| unsupported_parts(part, out)),
    }
}

/// Renders the TypeScript type expression for `schema`, as it would appear at the start of
/// an unindented line.
#[cfg(test)]
fn type_expression(schema: &Value, ctx: Context<'_>) -> String {
    print(&render(schema, ctx), 0)
}

/// Turns a schema name (a `$defs` key or a `title`) into a valid TypeScript identifier:
/// every run of characters that may not appear in an identifier becomes one `_`.
pub(crate) fn type_name(raw: &str) -> String {
    let mut name = String::with_capacity(raw.len());
    let mut replaced = false;
    for ch in raw.chars() {
        if is_ident_char(ch) {
            name.push(ch);
            replaced = false;
        } else if !replaced {
            name.push('_');
            replaced = true;
        }
    }
    let trimmed = if replaced { name.trim_end_matches('_') } else { &name };
    let mut name = trimmed.to_owned();
    if name.is_empty() || name.starts_with(|ch: char| ch.is_ascii_digit()) {
        name.insert(0, '_');
    }
    name
}

/// `from_widget.send_event.request` → `FromWidgetSendEventRequest`.
pub(crate) fn pascal_case(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for part in raw.split(|ch: char| !ch.is_ascii_alphanumeric()) {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            out.push_str(chars.as_str());
        }
    }
    type_name(&out)
}

/// A TypeScript type, before printing.
#[derive(Debug, Clone, PartialEq)]
enum Ts {
    /// A keyword, literal or template literal type: needs no parentheses.
    Raw(String),
    /// A reference to a declared type.
    Ref(String),
    /// `unknown /* unsupported: … */`.
    Unsupported(String),
    /// `T[]`.
    Array(Box<Ts>),
    /// `[A, B?, ...R[]]`.
    Tuple { items: Vec<Ts>, optional_from: usize, rest: Option<Box<Ts>> },
    /// An object literal type (`{ [key: string]: never }` when closed and empty: no reliance on
    /// global names such as `Record`, which a schema might also define).
    Object { props: Vec<Prop>, index: Option<Box<Ts>> },
    /// `A | B`, at least two members.
    Union(Vec<Member>),
    /// `A & B`, at least two members.
    Intersection(Vec<Ts>),
}

/// One member of a union, with the documentation of the schema it came from.
#[derive(Debug, Clone, PartialEq)]
struct Member {
    doc: Vec<String>,
    ty: Ts,
}

/// One property of an object type.
#[derive(Debug, Clone, PartialEq)]
struct Prop {
    name: String,
    optional: bool,
    doc: Vec<String>,
    ty: Ts,
}

/// Binding strength, weakest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Prec {
    Union,
    Intersection,
    Primary,
}

fn raw(text: &str) -> Ts {
    Ts::Raw(text.to_owned())
}

fn unknown() -> Ts {
    raw("unknown")
}

fn unsupported(reason: &str) -> Ts {
    Ts::Unsupported(escape_comment(reason))
}

fn is_unknown(ts: &Ts) -> bool {
    matches!(ts, Ts::Raw(text) if text == "unknown")
}

fn undocumented(ty: Ts) -> Member {
    Member { doc: Vec::new(), ty }
}

// ---------------------------------------------------------------------------------------------
// Schema → Ts

fn render(schema: &Value, ctx: Context<'_>) -> Ts {
    match schema {
        Value::Bool(true) => unknown(),
        Value::Bool(false) => raw("never"),
        Value::Object(map) => render_map(map, ctx),
        other => unsupported(&format!("a schema must be an object or a boolean, found {}", json_kind(other))),
    }
}

/// Keywords that only annotate, or narrow values in ways a TypeScript type cannot say.
const IGNORED_KEYWORDS: [&str; 22] = [
    "$comment",
    "$id",
    "$schema",
    "$defs",
    "definitions",
    "title",
    "description",
    "deprecated",
    "default",
    "examples",
    "format",
    "readOnly",
    "writeOnly",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "minProperties",
    "maxProperties",
];

/// Keywords that shape the TypeScript type.
const RENDERED_KEYWORDS: [&str; 20] = [
    "type",
    "const",
    "enum",
    "$ref",
    "allOf",
    "anyOf",
    "oneOf",
    "if",
    "then",
    "else",
    "not",
    "properties",
    "required",
    "additionalProperties",
    "unevaluatedProperties",
    "items",
    "prefixItems",
    "additionalItems",
    "minItems",
    "maxItems",
];

fn render_map(map: &Map<String, Value>, ctx: Context<'_>) -> Ts {
    let mut parts = Vec::new();

    for key in map.keys() {
        let known = IGNORED_KEYWORDS.contains(&key.as_str())
            || RENDERED_KEYWORDS.contains(&key.as_str())
            || key == "pattern"
            || key == "uniqueItems";
        if !known {
            parts.push(unsupported(&format!("the keyword `{key}`")));
        }
    }
    match (map.contains_key("if"), map.contains_key("then"), map.contains_key("else")) {
        (false, false, false) | (true, true, true) => {}
        _ => parts.push(unsupported("`if`/`then`/`else` without all three (only a choice between `then` and `else` is a type)")),
    }
    if let Some(value) = map.get("unevaluatedProperties")
        && value != &Value::Bool(false)
    {
        parts.push(unsupported("`unevaluatedProperties` other than `false`"));
    }
    // `not` only removes values; TypeScript cannot subtract, so the type is what the other
    // keywords say. Alone it would say nothing.
    let shaping = RENDERED_KEYWORDS.iter().filter(|key| **key != "not").any(|key| map.contains_key(*key));
    if let Some(not) = map.get("not")
        && !shaping
    {
        // "Anything but null" is the one negation with a type: `{}`.
        if not.as_object().is_some_and(|not| not.len() == 1 && not.get("type").and_then(Value::as_str) == Some("null")) {
            return raw("{}");
        }
        parts.push(unsupported("`not` without a positive type beside it"));
    }

    let base = if let Some(value) = map.get("const") {
        Some(literal(value))
    } else if let Some(values) = map.get("enum") {
        Some(enum_union(values))
    } else if let Some(ty) = map.get("type") {
        // `{"type": "object"}` next to a combinator only says "an object", which every member
        // already is; dropping it avoids a noisy `{ [key: string]: unknown } & (A | B)`.
        let trivial_object = ty.as_str() == Some("object") && !has_object_keywords(map);
        let has_other_parts = ["$ref", "allOf", "anyOf", "oneOf", "then"].iter().any(|key| map.contains_key(*key));
        if trivial_object && has_other_parts { None } else { Some(render_type_keyword(map, ty, ctx)) }
    } else if has_object_keywords(map) {
        Some(render_object(map, ctx))
    } else if map.contains_key("items") || map.contains_key("prefixItems") {
        Some(render_array(map, ctx))
    } else {
        None
    };
    parts.extend(base);

    if let Some(reference) = map.get("$ref") {
        parts.push(render_ref(reference, ctx));
    }
    if let Some(all_of) = map.get("allOf") {
        match all_of {
            Value::Array(schemas) => parts.extend(schemas.iter().map(|s| render(s, ctx))),
            _ => parts.push(unsupported("`allOf` must be an array")),
        }
    }
    // `if`/`then`/`else` picks one of two shapes: the value is `then` or `else`.
    if let (Some(then), Some(otherwise)) = (map.get("then"), map.get("else")) {
        parts.push(union(vec![
            Member { doc: doc_lines(then), ty: render(then, ctx) },
            Member { doc: doc_lines(otherwise), ty: render(otherwise, ctx) },
        ]));
    }
    for keyword in ["anyOf", "oneOf"] {
        if let Some(value) = map.get(keyword) {
            match value {
                Value::Array(schemas) => {
                    parts.push(union(schemas.iter().map(|schema| Member { doc: doc_lines(schema), ty: render(schema, ctx) }).collect()))
                }
                _ => parts.push(unsupported(&format!("`{keyword}` must be an array"))),
            }
        }
    }
    intersection(parts)
}

fn has_object_keywords(map: &Map<String, Value>) -> bool {
    ["properties", "additionalProperties", "required"].iter().any(|key| map.contains_key(*key))
        || map.get("unevaluatedProperties") == Some(&Value::Bool(false))
}

fn render_type_keyword(map: &Map<String, Value>, ty: &Value, ctx: Context<'_>) -> Ts {
    match ty {
        Value::String(name) => render_single_type(map, name, ctx),
        Value::Array(names) => union(
            names
                .iter()
                .map(|name| {
                    undocumented(match name {
                        Value::String(name) => render_single_type(map, name, ctx),
                        other => unsupported(&format!("`type` entry must be a string, found {}", json_kind(other))),
                    })
                })
                .collect(),
        ),
        other => unsupported(&format!("`type` must be a string or an array, found {}", json_kind(other))),
    }
}

fn render_single_type(map: &Map<String, Value>, name: &str, ctx: Context<'_>) -> Ts {
    match name {
        "string" => map.get("pattern").and_then(Value::as_str).and_then(pattern_type).unwrap_or_else(|| raw("string")),
        "integer" | "number" => raw("number"),
        "boolean" => raw("boolean"),
        "null" => raw("null"),
        "object" => render_object(map, ctx),
        "array" => render_array(map, ctx),
        other => unsupported(&format!("type {}", Value::from(other))),
    }
}

fn render_object(map: &Map<String, Value>, ctx: Context<'_>) -> Ts {
    let required: BTreeSet<&str> =
        map.get("required").and_then(Value::as_array).map(|names| names.iter().filter_map(Value::as_str).collect()).unwrap_or_default();

    let mut props = Vec::new();
    if let Some(Value::Object(properties)) = map.get("properties") {
        let mut entries: Vec<_> = properties.iter().collect();
        entries.sort_by(|a, b| a.0.cmp(b.0));
        for (name, schema) in entries {
            props.push(Prop {
                name: property_name(name),
                optional: !required.contains(name.as_str()),
                doc: doc_lines(schema),
                ty: render(schema, ctx),
            });
        }
    }

    // Other properties allowed but not typed: no index signature when the object declares
    // properties (a misspelled field is then a type error), `unknown` when it declares none.
    let index = match map.get("additionalProperties") {
        Some(Value::Bool(false)) => None,
        None if map.get("unevaluatedProperties") == Some(&Value::Bool(false)) => None,
        None | Some(Value::Bool(true)) if !props.is_empty() => None,
        None | Some(Value::Bool(true)) => Some(unknown()),
        Some(schema) => Some(render(schema, ctx)),
    };

    // TypeScript requires every property to fit the index signature, so a typed index
    // signature next to properties also admits the properties' types.
    let index = match index {
        Some(index) if !props.is_empty() && !is_unknown(&index) => {
            let mut members = vec![undocumented(index)];
            members.extend(props.iter().map(|prop| undocumented(prop.ty.clone())));
            if props.iter().any(|prop| prop.optional) {
                members.push(undocumented(raw("undefined")));
            }
            Some(union(members))
        }
        index => index,
    };
    Ts::Object { props, index: index.map(Box::new) }
}

fn render_array(map: &Map<String, Value>, ctx: Context<'_>) -> Ts {
    let items = map.get("items");
    let prefix = match (map.get("prefixItems"), items) {
        (Some(Value::Array(prefix)), _) => Some((prefix, items)),
        // Pre-2020-12 tuple form: `items` is an array, `additionalItems` the rest.
        (None, Some(Value::Array(prefix))) => Some((prefix, map.get("additionalItems"))),
        _ => None,
    };
    let Some((prefix, rest)) = prefix else {
        return Ts::Array(Box::new(items.map_or_else(unknown, |s| render(s, ctx))));
    };

    let len = prefix.len();
    let bound = |key: &str| map.get(key).and_then(Value::as_u64).and_then(|n| usize::try_from(n).ok());
    let closed = rest == Some(&Value::Bool(false)) || bound("maxItems") == Some(len);
    Ts::Tuple {
        items: prefix.iter().map(|s| render(s, ctx)).collect(),
        optional_from: bound("minItems").unwrap_or(0).min(len),
        rest: if closed { None } else { Some(Box::new(rest.map_or_else(unknown, |s| render(s, ctx)))) },
    }
}

fn render_ref(reference: &Value, ctx: Context<'_>) -> Ts {
    let Some(reference) = reference.as_str() else {
        return unsupported("`$ref` must be a string");
    };
    if reference == "#" {
        return match ctx.root {
            Some(root) => Ts::Ref(root.to_owned()),
            None => unsupported("`$ref` to the document root outside a root schema"),
        };
    }
    match definition_name(reference) {
        Some(name) => Ts::Ref(type_name(&name)),
        None => unsupported(&format!("$ref {}", Value::from(reference))),
    }
}

/// The `$defs` entry a local reference points to: `#/$defs/A%3CB%3E` → `A<B>`; `None` for
/// any other kind of reference.
pub(crate) fn definition_name(reference: &str) -> Option<String> {
    reference
        .strip_prefix("#/$defs/")
        .or_else(|| reference.strip_prefix("#/definitions/"))
        .filter(|name| !name.contains('/'))
        .and_then(decode_pointer_segment)
}

/// Undoes the percent-encoding and JSON-pointer escaping schemars applies to `$defs` names.
fn decode_pointer_segment(segment: &str) -> Option<String> {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|hex| std::str::from_utf8(hex).ok()).and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    let decoded = String::from_utf8(out).ok()?;
    Some(decoded.replace("~1", "/").replace("~0", "~"))
}

fn literal(value: &Value) -> Ts {
    match value {
        Value::String(_) | Value::Number(_) | Value::Bool(_) | Value::Null => Ts::Raw(value.to_string()),
        Value::Array(_) | Value::Object(_) => unsupported(&format!("{} literal {value}", json_kind(value).trim_start_matches("an "))),
    }
}

fn enum_union(values: &Value) -> Ts {
    match values {
        Value::Array(values) => union(values.iter().map(|v| undocumented(literal(v))).collect()),
        _ => unsupported("`enum` must be an array"),
    }
}

/// Builds a union: nested unions are flattened (a nested union's documentation goes before
/// its first member, so it reads as the heading of the group), `never` and duplicates dropped,
/// and a plain `string` next to string literals becomes `string & {}` so that editors still
/// offer the literals.
fn union(members: Vec<Member>) -> Ts {
    let mut flat: Vec<Member> = Vec::new();
    for member in members {
        match member.ty {
            Ts::Union(inner) => {
                let mut doc = member.doc;
                for (i, mut inner) in inner.into_iter().enumerate() {
                    if i == 0 {
                        doc.append(&mut inner.doc);
                        inner.doc = std::mem::take(&mut doc);
                    }
                    flat.push(inner);
                }
            }
            ty => flat.push(Member { doc: member.doc, ty }),
        }
    }
    flat.retain(|member| member.ty != raw("never"));
    let mut seen = BTreeSet::new();
    flat.retain(|member| seen.insert(print(&member.ty, 0)));

    let has_string_literal =
        flat.iter().any(|member| matches!(&member.ty, Ts::Raw(text) if text.starts_with('"') || text.starts_with('`')));
    if has_string_literal {
        for member in &mut flat {
            if member.ty == raw("string") {
                member.ty = Ts::Intersection(vec![raw("string"), raw("{}")]);
            }
        }
    }

    match flat.len() {
        0 => raw("never"),
        1 => flat.remove(0).ty,
        _ => Ts::Union(flat),
    }
}

/// Builds an intersection: nested intersections are flattened, `unknown` and duplicates dropped.
fn intersection(parts: Vec<Ts>) -> Ts {
    let mut flat = Vec::new();
    for part in parts {
        match part {
            Ts::Intersection(inner) => flat.extend(inner),
            part => flat.push(part),
        }
    }
    flat.retain(|part| !is_unknown(part));
    let mut seen = BTreeSet::new();
    flat.retain(|part| seen.insert(print(part, 0)));
    match flat.len() {
        0 => unknown(),
        1 => flat.remove(0),
        _ => Ts::Intersection(flat),
    }
}

// ---------------------------------------------------------------------------------------------
// `pattern` → template literal types

/// `^m\.send\.event:` → `` `m.send.event:${string}` ``; `^(?:a\.b:|c\.d:)` → a union of two
/// template literals; `^a\.b$` → `"a.b"`. Anything that is not a literal prefix yields `None`
/// (the caller falls back to `string`).
fn pattern_type(pattern: &str) -> Option<Ts> {
    let after_anchor = pattern.strip_prefix('^')?;
    let (alternatives, rest) = match after_anchor.strip_prefix("(?:").or_else(|| after_anchor.strip_prefix('(')) {
        Some(mut group) => {
            let mut alternatives = Vec::new();
            loop {
                let (literal, after) = literal_prefix(group);
                alternatives.push(literal);
                if let Some(next) = after.strip_prefix('|') {
                    group = next;
                } else if let Some(next) = after.strip_prefix(')') {
                    group = next;
                    break;
                } else {
                    return None;
                }
            }
            if group.starts_with(['?', '*', '+', '{']) {
                return None;
            }
            (alternatives, group)
        }
        None => {
            let (literal, after) = literal_prefix(after_anchor);
            (vec![literal], after)
        }
    };

    let members = if rest == "$" {
        alternatives.iter().map(|literal| undocumented(Ts::Raw(Value::from(literal.as_str()).to_string()))).collect()
    } else {
        // Whatever follows the prefix only narrows the set further, unless it starts a new
        // top-level alternative, which we do not try to parse.
        if rest.contains('|') || alternatives.iter().any(String::is_empty) {
            return None;
        }
        alternatives.iter().map(|literal| undocumented(Ts::Raw(format!("`{}${{string}}`", escape_template(literal))))).collect()
    };
    Some(union(members))
}

/// Splits `s` into its longest literal prefix (unescaped) and the rest of the pattern.
/// A quantifier after the last literal atom makes that atom optional, so it goes back to the rest.
fn literal_prefix(s: &str) -> (String, &str) {
    let mut atoms: Vec<(usize, char)> = Vec::new();
    let mut iter = s.char_indices().peekable();
    let mut end = s.len();
    while let Some((at, ch)) = iter.next() {
        if ch == '\\' {
            match iter.peek() {
                Some(&(_, escaped)) if !escaped.is_ascii_alphanumeric() => {
                    atoms.push((at, escaped));
                    iter.next();
                }
                _ => {
                    end = at;
                    break;
                }
            }
        } else if ".^$|?*+()[]{}".contains(ch) {
            end = at;
            break;
        } else {
            atoms.push((at, ch));
        }
    }
    let mut rest = &s[end..];
    if rest.starts_with(['?', '*', '+', '{'])
        && let Some((at, _)) = atoms.pop()
    {
        rest = &s[at..];
    }
    (atoms.into_iter().map(|(_, ch)| ch).collect(), rest)
}

fn escape_template(literal: &str) -> String {
    let mut out = String::with_capacity(literal.len());
    for ch in literal.chars() {
        match ch {
            '`' | '\\' | '$' => {
                out.push('\\');
                out.push(ch);
            }
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            ch if ch.is_control() => out.push_str(&format!("\\u{{{:x}}}", u32::from(ch))),
            ch => out.push(ch),
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Documentation

/// JSDoc lines for a schema: its `description`, then tags for annotations.
fn doc_lines(schema: &Value) -> Vec<String> {
    let Some(map) = schema.as_object() else {
        return Vec::new();
    };
    let mut lines = Vec::new();
    if let Some(Value::String(description)) = map.get("description") {
        lines.extend(description.trim().lines().map(|line| escape_comment(line.trim_end())));
    }
    if map.get("deprecated") == Some(&Value::Bool(true)) {
        lines.push("@deprecated".to_owned());
    }
    if let Some(Value::String(format)) = map.get("format") {
        lines.push(escape_comment(&format!("@format {format}")));
    }
    for key in
        ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength", "maxLength", "minItems", "maxItems"]
    {
        if let Some(value) = map.get(key) {
            lines.push(escape_comment(&format!("@{key} {value}")));
        }
    }
    if let Some(Value::String(pattern)) = map.get("pattern") {
        lines.push(escape_comment(&format!("@pattern {pattern}")));
    }
    if let Some(default) = map.get("default") {
        lines.push(escape_comment(&format!("@default {default}")));
    }
    lines
}

fn escape_comment(text: &str) -> String {
    text.replace("*/", "*\\/")
}

/// A JSDoc block at `indent`, ending with `\n`; empty when there is nothing to say.
fn jsdoc(lines: &[String], indent: usize) -> String {
    let pad = " ".repeat(indent);
    match lines {
        [] => String::new(),
        [line] if indent + line.len() <= 94 => format!("{pad}/** {line} */\n"),
        lines => {
            let mut out = format!("{pad}/**\n");
            for line in lines {
                if line.is_empty() {
                    out.push_str(&format!("{pad} *\n"));
                } else {
                    out.push_str(&format!("{pad} * {line}\n"));
                }
            }
            out.push_str(&format!("{pad} */\n"));
            out
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Ts → text

fn prec(ts: &Ts) -> Prec {
    match ts {
        Ts::Union(_) => Prec::Union,
        Ts::Intersection(_) => Prec::Intersection,
        _ => Prec::Primary,
    }
}

/// `" "` before an expression on the same line, nothing before a multi-line union (which
/// starts with its own line break).
fn separator(text: &str) -> &'static str {
    if text.starts_with('\n') { "" } else { " " }
}

/// Prints `ts` as an operand that must bind at least as tightly as `min`.
fn print_operand(ts: &Ts, min: Prec, indent: usize) -> String {
    let text = print(ts, indent);
    if prec(ts) >= min {
        text
    } else if text.starts_with('\n') {
        format!("({text}\n{})", " ".repeat(indent))
    } else {
        format!("({text})")
    }
}

/// Prints `ts` as if it started on a line indented by `indent` spaces.
fn print(ts: &Ts, indent: usize) -> String {
    match ts {
        Ts::Raw(text) | Ts::Ref(text) => text.clone(),
        Ts::Unsupported(reason) => format!("unknown /* unsupported: {reason} */"),
        Ts::Array(item) => format!("{}[]", print_operand(item, Prec::Primary, indent)),
        Ts::Tuple { items, optional_from, rest } => {
            let mut elements: Vec<String> = items
                .iter()
                .enumerate()
                .map(
                    |(i, item)| {
                        if i < *optional_from { print(item, indent) } else { format!("{}?", print_operand(item, Prec::Primary, indent)) }
                    },
                )
                .collect();
            if let Some(rest) = rest {
                elements.push(format!("...{}[]", print_operand(rest, Prec::Primary, indent)));
            }
            format!("[{}]", elements.join(", "))
        }
        Ts::Object { props, index } => print_object(props, index.as_deref(), indent),
        Ts::Union(members) => print_union(members, indent),
        Ts::Intersection(parts) => parts.iter().map(|part| print_operand(part, Prec::Primary, indent)).collect::<Vec<_>>().join(" & "),
    }
}

fn print_object(props: &[Prop], index: Option<&Ts>, indent: usize) -> String {
    if props.is_empty() {
        return match index {
            Some(index) => format!("{{ [key: string]: {} }}", print(index, indent)),
            None => "{ [key: string]: never }".to_owned(),
        };
    }
    let pad = " ".repeat(indent + 2);
    let mut out = String::from("{\n");
    for prop in props {
        let ty = print(&prop.ty, indent + 2);
        out.push_str(&jsdoc(&prop.doc, indent + 2));
        out.push_str(&format!("{pad}{}{}:{}{ty};\n", prop.name, if prop.optional { "?" } else { "" }, separator(&ty),));
    }
    if let Some(index) = index {
        let ty = print(index, indent + 2);
        out.push_str(&format!("{pad}[key: string]:{}{ty};\n", separator(&ty)));
    }
    out.push_str(&" ".repeat(indent));
    out.push('}');
    out
}

fn print_union(members: &[Member], indent: usize) -> String {
    let one_line = members.iter().map(|member| print_operand(&member.ty, Prec::Primary, indent)).collect::<Vec<_>>().join(" | ");
    let documented = members.iter().any(|member| !member.doc.is_empty());
    if !documented && !one_line.contains('\n') && indent + one_line.len() <= 72 {
        return one_line;
    }
    let pad = " ".repeat(indent + 2);
    let mut out = String::new();
    for member in members {
        out.push('\n');
        out.push_str(&jsdoc(&member.doc, indent + 2));
        out.push_str(&pad);
        out.push_str("| ");
        out.push_str(&print_operand(&member.ty, Prec::Primary, indent + 4));
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Small helpers

fn is_ident_char(ch: char) -> bool {
    ch.is_ascii_alphanumeric() || ch == '_' || ch == '$'
}

/// A property name as written in an object type: bare when it is an identifier, quoted otherwise.
fn property_name(name: &str) -> String {
    let is_identifier = name.starts_with(|ch: char| ch.is_ascii_alphabetic() || ch == '_' || ch == '$') && name.chars().all(is_ident_char);
    if is_identifier { name.to_owned() } else { Value::from(name).to_string() }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn ty(schema: Value) -> String {
        type_expression(&schema, Context::default())
    }

    fn decl(name: &str, schema: Value) -> String {
        declaration(name, &schema, Context::default()).expect("expressible")
    }

    #[test]
    fn primitive_types() {
        assert_eq!(ty(json!({"type": "string"})), "string");
        assert_eq!(ty(json!({"type": "integer"})), "number");
        assert_eq!(ty(json!({"type": "number"})), "number");
        assert_eq!(ty(json!({"type": "boolean"})), "boolean");
        assert_eq!(ty(json!({"type": "null"})), "null");
    }

    #[test]
    fn type_arrays_become_unions() {
        assert_eq!(ty(json!({"type": ["string", "null"]})), "string | null");
        assert_eq!(ty(json!({"type": ["integer", "null"], "format": "uint32", "minimum": 0})), "number | null");
        assert_eq!(ty(json!({"type": ["array", "null"], "items": {"type": "string"}})), "string[] | null");
    }

    #[test]
    fn true_and_empty_schemas_are_unknown_false_is_never() {
        assert_eq!(ty(json!(true)), "unknown");
        assert_eq!(ty(json!({})), "unknown");
        assert_eq!(ty(json!({"description": "anything"})), "unknown");
        assert_eq!(ty(json!(false)), "never");
    }

    #[test]
    fn objects_with_required_and_optional_properties() {
        let schema = json!({
            "type": "object",
            "properties": {
                "b": {"type": "integer"},
                "a": {"type": "string"},
            },
            "required": ["a"],
            "additionalProperties": false,
        });
        assert_eq!(ty(schema), "{\n  a: string;\n  b?: number;\n}");
    }

    #[test]
    fn open_objects_with_properties_have_no_index_signature() {
        // A misspelled field must be a type error; the schema still accepts unknown fields.
        let absent = json!({"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]});
        assert_eq!(ty(absent), "{\n  a: string;\n}");
        let explicit = json!({"properties": {"a": {"type": "string"}}, "additionalProperties": true});
        assert_eq!(ty(explicit), "{\n  a?: string;\n}");
        assert_eq!(ty(json!({"type": "object", "properties": {}, "additionalProperties": true})), "{ [key: string]: unknown }");
        let unevaluated = json!({"type": "object", "properties": {"a": true}, "unevaluatedProperties": false});
        assert_eq!(ty(unevaluated), "{\n  a?: unknown;\n}");
    }

    #[test]
    fn additional_properties_schema_is_an_index_signature() {
        assert_eq!(ty(json!({"type": "object", "additionalProperties": {"type": "string"}})), "{ [key: string]: string }");
        assert_eq!(ty(json!({"type": "object"})), "{ [key: string]: unknown }");
        assert_eq!(ty(json!({"type": "object", "additionalProperties": false})), "{ [key: string]: never }");
        // With properties, the index signature must also admit every property's type.
        assert_eq!(
            ty(json!({
                "type": "object",
                "properties": {"a": {"type": "boolean"}, "b": {"type": "string"}},
                "required": ["b"],
                "additionalProperties": {"type": "string"},
            })),
            "{\n  a?: boolean;\n  b: string;\n  [key: string]: string | boolean | undefined;\n}"
        );
        assert_eq!(
            ty(json!({
                "type": "object",
                "properties": {"a": {"type": "boolean"}},
                "required": ["a"],
                "additionalProperties": {"type": "boolean"},
            })),
            "{\n  a: boolean;\n  [key: string]: boolean;\n}"
        );
    }

    #[test]
    fn property_names_that_are_not_identifiers_are_quoted() {
        let schema = json!({
            "type": "object",
            "properties": {
                "m.relates_to": {"type": "string"},
                "$ok_1": {"type": "string"},
                "9lives": {"type": "string"},
                "with space": {"type": "string"},
            },
            "required": ["m.relates_to", "$ok_1", "9lives", "with space"],
            "additionalProperties": false,
        });
        assert_eq!(ty(schema), "{\n  $ok_1: string;\n  \"9lives\": string;\n  \"m.relates_to\": string;\n  \"with space\": string;\n}");
    }

    #[test]
    fn arrays_and_tuples() {
        assert_eq!(ty(json!({"type": "array", "items": {"type": "integer"}})), "number[]");
        assert_eq!(ty(json!({"type": "array"})), "unknown[]");
        assert_eq!(ty(json!({"type": "array", "items": {"type": ["string", "null"]}})), "(string | null)[]");
        assert_eq!(ty(json!({"type": "array", "items": {"type": "array", "items": {"type": "boolean"}}})), "boolean[][]");
        assert_eq!(
            ty(json!({
                "type": "array",
                "prefixItems": [{"type": "string"}, {"type": "integer"}],
                "minItems": 2,
                "maxItems": 2,
            })),
            "[string, number]"
        );
        assert_eq!(
            ty(json!({
                "type": "array",
                "prefixItems": [{"type": "string"}, {"type": ["integer", "null"]}],
                "minItems": 1,
                "items": {"type": "boolean"},
            })),
            "[string, (number | null)?, ...boolean[]]"
        );
    }

    #[test]
    fn refs_name_definitions() {
        assert_eq!(ty(json!({"$ref": "#/$defs/SendEventRequestData"})), "SendEventRequestData");
        assert_eq!(ty(json!({"$ref": "#/definitions/Legacy"})), "Legacy");
        assert_eq!(ty(json!({"$ref": "#/$defs/Wrapper%3CEvent%3E"})), "Wrapper_Event");
        assert_eq!(ty(json!({"$ref": "#"})), "unknown /* unsupported: `$ref` to the document root outside a root schema */");
        assert_eq!(type_expression(&json!({"$ref": "#"}), Context { root: Some("Tree") }), "Tree");
        assert_eq!(ty(json!({"$ref": "other.json#/$defs/X"})), "unknown /* unsupported: $ref \"other.json#/$defs/X\" */");
    }

    #[test]
    fn any_of_and_one_of_are_unions() {
        assert_eq!(ty(json!({"anyOf": [{"$ref": "#/$defs/A"}, {"type": "null"}]})), "A | null");
        assert_eq!(ty(json!({"oneOf": [{"$ref": "#/$defs/A"}, {"$ref": "#/$defs/B"}, {"$ref": "#/$defs/A"}]})), "A | B");
        assert_eq!(ty(json!({"oneOf": [{"type": "string"}]})), "string");
    }

    #[test]
    fn all_of_is_an_intersection() {
        assert_eq!(ty(json!({"allOf": [{"$ref": "#/$defs/A"}, {"$ref": "#/$defs/B"}]})), "A & B");
        assert_eq!(ty(json!({"allOf": [{"$ref": "#/$defs/A"}, {"anyOf": [{"$ref": "#/$defs/B"}, {"$ref": "#/$defs/C"}]}]})), "A & (B | C)");
        assert_eq!(ty(json!({"allOf": [{"$ref": "#/$defs/A"}]})), "A");
        let if_then_else = json!({"if": {"required": ["error"]}, "then": {"$ref": "#/$defs/E"}, "else": {"$ref": "#/$defs/S"}});
        assert_eq!(ty(if_then_else), "E | S");
    }

    #[test]
    fn object_with_flattened_one_of_is_an_intersection() {
        let schema = json!({
            "type": "object",
            "properties": {"id": {"type": "string"}},
            "required": ["id"],
            "oneOf": [{"$ref": "#/$defs/A"}, {"$ref": "#/$defs/B"}],
        });
        assert_eq!(ty(schema), "{\n  id: string;\n} & (A | B)");
        // A bare `"type": "object"` adds nothing next to the combinator.
        assert_eq!(ty(json!({"type": "object", "oneOf": [{"$ref": "#/$defs/A"}, {"$ref": "#/$defs/B"}]})), "A | B");
    }

    #[test]
    fn enum_and_const_are_literals() {
        assert_eq!(ty(json!({"type": "string", "enum": ["toWidget", "fromWidget"]})), "\"toWidget\" | \"fromWidget\"");
        assert_eq!(ty(json!({"enum": [1, -2.5, true, null]})), "1 | -2.5 | true | null");
        assert_eq!(ty(json!({"type": "string", "const": "m.room.message"})), "\"m.room.message\"");
        assert_eq!(ty(json!({"const": "quote\"d"})), "\"quote\\\"d\"");
        assert_eq!(ty(json!({"const": false})), "false");
        assert_eq!(ty(json!({"const": {"a": 1}})), "unknown /* unsupported: object literal {\"a\":1} */");
    }

    #[test]
    fn string_literals_plus_plain_string_keep_autocompletion() {
        let schema = json!({
            "anyOf": [
                {"type": "string", "const": "a"},
                {"const": "b"},
                {"type": "string"},
            ]
        });
        assert_eq!(ty(schema), "\"a\" | \"b\" | (string & {})");
        let with_enum = json!({"anyOf": [{"enum": ["x", "y"]}, {"type": "string"}]});
        assert_eq!(ty(with_enum), "\"x\" | \"y\" | (string & {})");
        // Without literals, `string` stays plain.
        assert_eq!(ty(json!({"anyOf": [{"type": "string"}, {"type": "null"}]})), "string | null");
    }

    #[test]
    fn literal_prefix_patterns_become_template_literals() {
        assert_eq!(ty(json!({"type": "string", "pattern": "^m\\.send\\.event:"})), "`m.send.event:${string}`");
        assert_eq!(ty(json!({"type": "string", "pattern": "^(?:a\\.b:|c\\.d:)"})), "`a.b:${string}` | `c.d:${string}`");
        assert_eq!(ty(json!({"type": "string", "pattern": "^(x|y)"})), "`x${string}` | `y${string}`");
        assert_eq!(
            ty(json!({"type": "string", "pattern": "^org\\.matrix\\.msc2762\\.timeline:.*$"})),
            "`org.matrix.msc2762.timeline:${string}`"
        );
        assert_eq!(ty(json!({"type": "string", "pattern": "^exact\\.name$"})), "\"exact.name\"");
        // A quantifier makes the last literal optional, so it is not part of the prefix.
        assert_eq!(ty(json!({"type": "string", "pattern": "^abc?"})), "`ab${string}`");
        // Template-literal metacharacters are escaped.
        assert_eq!(ty(json!({"type": "string", "pattern": "^a\\$\\{b`"})), "`a\\${b\\`${string}`");
    }

    #[test]
    fn other_patterns_are_plain_strings() {
        for pattern in ["[a-z]+", "^\\d+", "^a|b", "^(?:a|b)?c", "^(?:a\\d|b)", "^(a|)x", "^"] {
            assert_eq!(ty(json!({"type": "string", "pattern": pattern})), "string", "pattern {pattern}");
        }
    }

    #[test]
    fn descriptions_and_annotations_become_jsdoc() {
        let schema = json!({
            "description": "A request.",
            "type": "object",
            "properties": {
                "count": {
                    "description": "How many.\n\nAt least one.",
                    "type": "integer",
                    "format": "uint32",
                    "minimum": 1,
                    "maximum": 10,
                },
                "id": {"description": "Opaque */ id.", "type": "string"},
                "old": {"type": "boolean", "deprecated": true, "default": false},
            },
            "required": ["count", "id"],
            "additionalProperties": false,
        });
        assert_eq!(
            decl("Request", schema),
            "/** A request. */
export interface Request {
  /**
   * How many.
   *
   * At least one.
   * @format uint32
   * @minimum 1
   * @maximum 10
   */
  count: number;
  /** Opaque *\\/ id. */
  id: string;
  /**
   * @deprecated
   * @default false
   */
  old?: boolean;
}
"
        );
    }

    #[test]
    fn declarations_use_type_aliases_for_everything_but_plain_objects() {
        assert_eq!(
            decl("Direction", json!({"type": "string", "enum": ["toWidget", "fromWidget"]})),
            "export type Direction = \"toWidget\" | \"fromWidget\";\n"
        );
        assert_eq!(
            decl("Count", json!({"type": "integer", "format": "uint64", "minimum": 0})),
            "/**\n * @format uint64\n * @minimum 0\n */\nexport type Count = number;\n"
        );
        assert_eq!(
            decl("Map", json!({"type": "object", "additionalProperties": {"type": "integer"}})),
            "export type Map = { [key: string]: number };\n"
        );
    }

    #[test]
    fn documented_or_long_unions_are_multi_line() {
        let schema = json!({
            "description": "Which way.",
            "oneOf": [
                {"description": "Client to widget.", "type": "string", "const": "toWidget"},
                {"description": "Widget to client.", "type": "string", "const": "fromWidget"},
            ]
        });
        assert_eq!(
            decl("Direction", schema),
            "/** Which way. */
export type Direction =
  /** Client to widget. */
  | \"toWidget\"
  /** Widget to client. */
  | \"fromWidget\";
"
        );

        let tagged = json!({
            "oneOf": [
                {
                    "type": "object",
                    "properties": {"kind": {"const": "a"}, "x": {"type": "string"}},
                    "required": ["kind", "x"],
                    "additionalProperties": false,
                },
                {"$ref": "#/$defs/B"},
            ]
        });
        assert_eq!(
            decl("Tagged", tagged),
            "export type Tagged =
  | {
      kind: \"a\";
      x: string;
    }
  | B;
"
        );
    }

    #[test]
    fn documented_nested_unions_are_flattened_under_their_doc() {
        let schema = json!({
            "anyOf": [
                {"const": "m.sticker"},
                {
                    "description": "Send events.",
                    "type": "string",
                    "pattern": "^(?:m\\.send:|org\\.send:)",
                },
                {"description": "Anything else.", "type": "string"},
            ]
        });
        assert_eq!(
            decl("Capability", schema),
            "export type Capability =
  | \"m.sticker\"
  /**
   * Send events.
   * @pattern ^(?:m\\.send:|org\\.send:)
   */
  | `m.send:${string}`
  | `org.send:${string}`
  /** Anything else. */
  | (string & {});
"
        );
    }

    #[test]
    fn multi_line_unions_in_properties_and_arrays() {
        let member = |name: &str| {
            json!({
                "type": "object",
                "properties": {"kind": {"const": name}},
                "required": ["kind"],
                "additionalProperties": false,
            })
        };
        let schema = json!({
            "type": "object",
            "properties": {
                "items": {"type": "array", "items": {"anyOf": [member("a"), member("b")]}},
            },
            "required": ["items"],
            "additionalProperties": false,
        });
        assert_eq!(
            ty(schema),
            "{
  items: (
    | {
        kind: \"a\";
      }
    | {
        kind: \"b\";
      }
  )[];
}"
        );
    }

    #[test]
    fn inexpressible_constructs_fail_the_declaration() {
        let fails = |schema: Value| declaration("T", &schema, Context::default()).expect_err("inexpressible");
        assert_eq!(fails(json!({"type": "date"})), "type \"date\"");
        assert_eq!(fails(json!(42)), "a schema must be an object or a boolean, found a number");
        assert_eq!(fails(json!({"anyOf": {"type": "string"}})), "`anyOf` must be an array");
        assert_eq!(fails(json!({"type": "string", "x-custom": 1})), "the keyword `x-custom`");
        assert_eq!(fails(json!({"type": "object", "patternProperties": {"^a": {}}})), "the keyword `patternProperties`");
        assert_eq!(
            fails(json!({"if": {}, "then": {}})),
            "`if`/`then`/`else` without all three (only a choice between `then` and `else` is a type)"
        );
        assert_eq!(fails(json!({"not": {"type": "string"}})), "`not` without a positive type beside it");
        assert_eq!(fails(json!({"$ref": "other.json#/$defs/X"})), "$ref \"other.json#/$defs/X\"");
        assert_eq!(
            fails(json!({"type": "object", "properties": {"a": {"const": {"x": 1}}, "b": {"type": "date"}}})),
            "object literal {\"x\":1}; type \"date\""
        );
        // Value constraints TypeScript cannot say narrow nothing in the type.
        assert_eq!(
            decl("T", json!({"type": "string", "minLength": 1, "not": {"const": ""}})),
            "/** @minLength 1 */\nexport type T = String & { readonly [brand]: \"T\" };\n"
        );
        assert_eq!(decl("T", json!({"type": "integer", "not": {"const": 0}})), "export type T = number;\n");
        assert_eq!(ty(json!({"not": {"type": "null"}})), "{}");
    }

    #[test]
    fn excluding_strings_are_branded_and_objects_extend_their_references() {
        assert_eq!(
            decl("Other", json!({"type": "string", "not": {"enum": ["a", "b"]}})),
            "export type Other = String & { readonly [brand]: \"Other\" };\n"
        );
        // Inline, in a union with literals, it is the usual open string.
        assert_eq!(ty(json!({"oneOf": [{"enum": ["a"]}, {"type": "string", "not": {"enum": ["a"]}}]})), "\"a\" | (string & {})");
        let message = json!({
            "type": "object",
            "allOf": [{"$ref": "#/$defs/Envelope"}],
            "properties": {"action": {"const": "x"}},
            "required": ["action"],
        });
        assert_eq!(decl("M", message), "export interface M extends Envelope {\n  action: \"x\";\n}\n");
        assert!(uses_brand("String & { readonly [brand]: \"T\" }"));
    }

    #[test]
    fn names() {
        assert_eq!(type_name("SendEventRequestData"), "SendEventRequestData");
        assert_eq!(type_name("Foo<Bar>"), "Foo_Bar");
        assert_eq!(type_name("Array_of_string"), "Array_of_string");
        assert_eq!(type_name("2fa"), "_2fa");
        assert_eq!(pascal_case("from_widget.send_event.request"), "FromWidgetSendEventRequest");
        assert_eq!(pascal_case("message"), "Message");
    }
}
