//! `schemas/widget-api.d.ts`: TypeScript declarations made from the published JSON Schemas
//! (not from the Rust types), for the subset of draft 2020-12 that schemars 1.x emits.
//!
//! One exported type per document root and per `$defs` entry; entries of the same name in
//! several documents must agree, and are declared once. Pure functions over
//! [`serde_json::Value`]: no I/O, no panics. Every keyword is either
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
//!   references is an `interface` that `extends` them;
//! - an action's payload (`ToWidgetSendEventRequestData`) whose schema is exactly that of a
//!   shared definition (`RoomEvent`) is an alias of it, not a second copy.
//!
//! The schema becomes a type model in [`ir`] (with [`pattern`] for prefix patterns), which
//! [`printer`] lays out; this module declares the types and assembles the file.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use self::ir::{Context, Ts, branded, doc_lines, is_excluding_string, render, type_name};
use self::printer::{jsdoc, print, separator};
use super::schema::{Document, definition_name, is_data_keyword};
use crate::util::{Error, PREAMBLE, Result};

mod ir;
mod pattern;
mod printer;
#[cfg(test)]
mod tests;

/// Keywords that describe a document rather than its root type.
const DOCUMENT_KEYWORDS: [&str; 6] = ["$comment", "$defs", "$id", "$schema", "definitions", "title"];

/// Name endings of action payloads: the protocol crate names each payload definition
/// `<Direction><Action>RequestData` or `…ResponseData`, after its action and message kind.
const PAYLOAD_SUFFIXES: [&str; 2] = ["RequestData", "ResponseData"];

/// The whole typings file for `documents`.
///
/// Fails, listing every declaration TypeScript cannot express, or naming both documents
/// when two define the same type name differently.
pub(super) fn render_file(documents: &[Document]) -> Result<String> {
    let root_types: Vec<String> = documents.iter().map(root_type_name).collect();
    let mut declarations: BTreeMap<String, Declaration<'_>> = BTreeMap::new();
    for (document, root_type) in documents.iter().zip(&root_types) {
        if let Some(definitions) = document.definitions() {
            let Value::Object(definitions) = definitions else {
                return Err(Error::msg(format!("`$defs` in {} must be an object", document.file)));
            };
            for (name, schema) in definitions {
                add_declaration(
                    &mut declarations,
                    type_name(name),
                    Declaration {
                        schema: strip_document_keywords(schema),
                        root_type,
                        origin: format!("`$defs/{name}` in `{}`", document.file),
                    },
                )?;
            }
        }

        let root = strip_document_keywords(&Value::Object(document.schema.clone()));
        if !is_alias_of_same_name(&root, root_type) {
            add_declaration(
                &mut declarations,
                root_type.clone(),
                Declaration { schema: root, root_type, origin: format!("the root of `{}`", document.file) },
            )?;
        }
    }

    let aliases = payload_aliases(&declarations);
    let mut body = String::new();
    let mut problems = Vec::new();
    for (name, declaration) in &declarations {
        if let Some(target) = aliases.get(name.as_str()) {
            body.push_str(&format!("\nexport type {name} = {target};\n"));
            continue;
        }
        match self::declaration(name, &declaration.schema, Context { root: Some(declaration.root_type) }) {
            Ok(text) => {
                body.push('\n');
                body.push_str(&text);
            }
            Err(problem) => problems.push(format!("  `{name}` ({}): {problem}", declaration.origin)),
        }
    }
    if !problems.is_empty() {
        return Err(Error::msg(format!(
            "TypeScript cannot express these schemas (change the Rust type's schema, or teach xtask/src/codegen/typescript/):\n{}",
            problems.join("\n")
        )));
    }
    let mut out = format!("// {PREAMBLE}\n");
    if uses_brand(&body) {
        out.push('\n');
        out.push_str(BRAND_SYMBOL);
    }
    out.push_str(&body);
    Ok(out)
}

/// The TypeScript name of a document's root type: its `title`, or the file stem in PascalCase.
pub(super) fn root_type_name(document: &Document) -> String {
    match document.schema.get("title").and_then(Value::as_str) {
        Some(title) if !title.trim().is_empty() => type_name(title),
        _ => pascal_case(&document.name),
    }
}

/// One exported TypeScript type and where it came from.
struct Declaration<'a> {
    /// The schema, with root-only keywords removed.
    schema: Value,
    /// The root type of the document it came from, for `"$ref": "#"`.
    root_type: &'a str,
    /// For messages: ``root of `x.schema.json` `` or ``$defs/Y in `x.schema.json` ``.
    origin: String,
}

/// Adds a declaration, merging it with an identical one of the same name.
fn add_declaration<'a>(declarations: &mut BTreeMap<String, Declaration<'a>>, name: String, declaration: Declaration<'a>) -> Result<()> {
    match declarations.get(&name) {
        None => {
            declarations.insert(name, declaration);
            Ok(())
        }
        Some(existing)
            if existing.schema == declaration.schema
                && (existing.root_type == declaration.root_type || !mentions_document_root(&declaration.schema)) =>
        {
            Ok(())
        }
        Some(existing) => Err(Error::msg(format!(
            "TypeScript type `{name}` is defined differently by {} and by {}; \
             give one of the Rust types another schema name",
            existing.origin, declaration.origin
        ))),
    }
}

/// Payloads that are a shared definition under their action's name, each with that
/// definition's name.
///
/// The protocol crate publishes a payload as its own definition, a copy of the payload type's
/// schema; when that type is also a definition of its own (`RoomEvent`, which other payloads
/// refer to), the copy is the same schema, description included. Such a payload is declared
/// as an alias, so that the typings say it is the same type, once. A payload that equals no
/// other definition, or several, or only other payloads, keeps its own declaration.
fn payload_aliases<'a>(declarations: &'a BTreeMap<String, Declaration<'_>>) -> BTreeMap<&'a str, &'a str> {
    let is_payload = |name: &str| PAYLOAD_SUFFIXES.iter().any(|suffix| name.ends_with(suffix));
    let shared: Vec<(&str, &Value)> = declarations
        .iter()
        .filter(|(name, declaration)| !is_payload(name) && !mentions_document_root(&declaration.schema))
        .map(|(name, declaration)| (name.as_str(), &declaration.schema))
        .collect();
    declarations
        .iter()
        .filter(|(name, declaration)| is_payload(name) && !mentions_document_root(&declaration.schema))
        .filter_map(|(name, declaration)| {
            let mut targets = shared.iter().filter(|(_, schema)| **schema == declaration.schema).map(|(target, _)| *target);
            match (targets.next(), targets.next()) {
                (Some(target), None) => Some((name.as_str(), target)),
                _ => None,
            }
        })
        .collect()
}

/// Whether a schema uses `"$ref": "#"`, whose meaning depends on its document.
fn mentions_document_root(schema: &Value) -> bool {
    match schema {
        Value::Object(map) => {
            map.get("$ref").and_then(Value::as_str) == Some("#")
                || map.iter().filter(|(key, _)| !is_data_keyword(key)).any(|(_, value)| mentions_document_root(value))
        }
        Value::Array(items) => items.iter().any(mentions_document_root),
        _ => false,
    }
}

/// A root that is only `{"$ref": "#/$defs/Name"}` (plus annotations) for its own name would
/// declare `type Name = Name`; the `$defs` entry already declares it.
fn is_alias_of_same_name(root: &Value, name: &str) -> bool {
    let Some(map) = root.as_object() else {
        return false;
    };
    let only_ref = map.keys().all(|key| matches!(key.as_str(), "$ref" | "description"));
    only_ref && map.get("$ref").and_then(Value::as_str).and_then(definition_name).is_some_and(|target| type_name(&target) == name)
}

fn strip_document_keywords(schema: &Value) -> Value {
    match schema {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(key, _)| !DOCUMENT_KEYWORDS.contains(&key.as_str()))
                .map(|(key, value)| (key.clone(), value.clone()))
                .collect::<Map<String, Value>>(),
        ),
        other => other.clone(),
    }
}

/// The unique symbol that brands [`ir::branded`] strings; declared once per file.
const BRAND_SYMBOL: &str = "declare const brand: unique symbol;\n";

/// Renders one exported declaration: `export interface Name { … }` for a plain object schema
/// with properties (`extends` the references of its `allOf`), `export type Name = …;`
/// otherwise. The schema's `description` (and annotations such as `format`) become a JSDoc
/// comment. The result ends with `\n`. Fails, naming every construct TypeScript cannot
/// express, rather than emitting `unknown`.
fn declaration(name: &str, schema: &Value, ctx: Context<'_>) -> Result<String, String> {
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
fn uses_brand(text: &str) -> bool {
    text.contains("[brand]")
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

/// `from_widget.send_event.request` → `FromWidgetSendEventRequest`.
fn pascal_case(raw: &str) -> String {
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
