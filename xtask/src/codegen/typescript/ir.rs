//! The type model: JSON Schema → [`Ts`], a TypeScript type before printing.
//!
//! Every keyword is either rendered, or known to only narrow values in ways TypeScript cannot
//! say (listed in [`IGNORED_KEYWORDS`]); anything else becomes [`Ts::Unsupported`], which the
//! caller turns into an error naming the construct. Unions and intersections are normalised as
//! they are built (flattened, deduplicated), so the printer only lays them out.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::pattern;
use crate::codegen::schema::definition_name;

/// What the emitter needs to know about the document a schema comes from.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Context<'a> {
    /// The TypeScript name of the document's root type, used for `"$ref": "#"`.
    pub(super) root: Option<&'a str>,
}

/// `{"type": "string", "not": …}` with nothing else that shapes the value.
pub(super) fn is_excluding_string(schema: &Value) -> bool {
    let Some(map) = schema.as_object() else { return false };
    map.get("type").and_then(Value::as_str) == Some("string")
        && map.contains_key("not")
        && !["const", "enum", "pattern", "$ref", "allOf", "anyOf", "oneOf", "if"].iter().any(|key| map.contains_key(*key))
}

/// `String & { readonly [brand]: "Name" }`.
pub(super) fn branded(name: &str) -> Ts {
    Ts::Intersection(vec![raw("String"), Ts::Raw(format!("{{ readonly [brand]: {} }}", Value::from(name)))])
}

/// Turns a schema name (a `$defs` key or a `title`) into a valid TypeScript identifier:
/// every run of characters that may not appear in an identifier becomes one `_`.
pub(super) fn type_name(raw: &str) -> String {
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

/// A TypeScript type, before printing.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Ts {
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
pub(super) struct Member {
    /// JSDoc lines, printed before the member.
    pub(super) doc: Vec<String>,
    /// The member's type.
    pub(super) ty: Ts,
}

/// One property of an object type.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Prop {
    /// The name as written: bare when it is an identifier, quoted otherwise.
    pub(super) name: String,
    /// Not in `required`: printed `name?:`.
    pub(super) optional: bool,
    /// JSDoc lines, printed before the property.
    pub(super) doc: Vec<String>,
    /// The property's type.
    pub(super) ty: Ts,
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

pub(super) fn render(schema: &Value, ctx: Context<'_>) -> Ts {
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
        "string" => match map.get("pattern").and_then(Value::as_str).and_then(pattern::literal_types) {
            Some(types) => union(types.into_iter().map(|ts| undocumented(Ts::Raw(ts))).collect()),
            None => raw("string"),
        },
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
    let mut seen = Vec::new();
    flat.retain(|member| {
        let new = !seen.contains(&member.ty);
        if new {
            seen.push(member.ty.clone());
        }
        new
    });

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
    let mut seen = Vec::new();
    flat.retain(|part| {
        let new = !seen.contains(part);
        if new {
            seen.push(part.clone());
        }
        new
    });
    match flat.len() {
        0 => unknown(),
        1 => flat.remove(0),
        _ => Ts::Intersection(flat),
    }
}

// ---------------------------------------------------------------------------------------------
// Documentation

/// JSDoc lines for a schema: its `description`, then tags for annotations.
pub(super) fn doc_lines(schema: &Value) -> Vec<String> {
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
