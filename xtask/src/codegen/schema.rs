//! The published JSON Schema documents: `schemas/<name>.schema.json`, and the JSON Schema
//! vocabulary the other generators share (local references, data keywords).
//!
//! A published document is the input schema with its descriptions turned from rustdoc into
//! plain Markdown ([`markdown`]), every object's keys sorted, a top-level `$comment` naming
//! the generator and a stable `$id`; it is pretty-printed. A name that is not a plain file
//! stem, or a `#/$defs/…` reference to a definition the document lacks, fails the run.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::markdown;
use crate::util::{Error, PREAMBLE, Result};

/// File-name suffix of the generated JSON Schemas.
pub(super) const SUFFIX: &str = ".schema.json";
/// Where the `$id`s point: the files on the repository's default branch.
const ID_BASE: &str = concat!(env!("CARGO_PKG_REPOSITORY"), "/raw/main/schemas/");

/// One published schema, key-sorted, as the other generators read it.
#[derive(Debug, Clone)]
pub(super) struct Document {
    /// The input's name: the file stem, with at most one folder (`from_widget/send_event.request`).
    pub(super) name: String,
    /// `<name>.schema.json`.
    pub(super) file: String,
    /// The key-sorted root schema, with descriptions converted and without `$comment`/`$id`.
    pub(super) schema: Map<String, Value>,
}

impl Document {
    /// The document's `$defs` (or pre-2020-12 `definitions`), if it has any.
    pub(super) fn definitions(&self) -> Option<&Value> {
        self.schema.get("$defs").or_else(|| self.schema.get("definitions"))
    }
}

/// Checks and converts one input schema: the [`Document`] the other generators read, and the
/// text of its published file.
pub(super) fn publish(name: &str, schema: &Value) -> Result<(Document, String)> {
    check_name(name)?;
    let file = format!("{name}{SUFFIX}");
    let Value::Object(schema) = sort_keys(&markdown::descriptions(schema)) else {
        return Err(Error::msg(format!("schema `{name}` must be a JSON object, not a boolean schema")));
    };
    check_refs(&file, &schema)?;
    markdown::check_descriptions(&file, &Value::Object(schema.clone()))?;

    let mut published = schema.clone();
    published.insert("$comment".to_owned(), Value::from(PREAMBLE));
    published.insert("$id".to_owned(), Value::from(format!("{ID_BASE}{file}")));
    let json = serde_json::to_string_pretty(&sort_keys(&Value::Object(published)))
        .map_err(|err| Error::msg(format!("cannot serialise {file}: {err}")))?;
    Ok((Document { name: name.to_owned(), file, schema }, json + "\n"))
}

/// Schema names become file names: keep them boring (one folder level at most).
fn check_name(name: &str) -> Result<()> {
    let segment = |part: &str| {
        !part.is_empty() && !part.starts_with('.') && part.chars().all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '.' | '_' | '-'))
    };
    let parts: Vec<&str> = name.split('/').collect();
    if parts.len() <= 2 && parts.iter().all(|part| segment(part)) && parts.first() != Some(&"node_modules") {
        Ok(())
    } else {
        Err(Error::msg(format!(
            "schema name {name:?} is not a plain file stem (use ASCII letters, digits, `.`, `_`, `-`, and at most one `folder/`)"
        )))
    }
}

/// Keywords whose values are data, not schemas: never searched for `$ref`s.
pub(super) fn is_data_keyword(key: &str) -> bool {
    matches!(key, "const" | "enum" | "default" | "examples")
}

/// Fails on a `#/$defs/…` reference to a definition the document does not have.
fn check_refs(file: &str, document: &Map<String, Value>) -> Result<()> {
    fn walk(value: &Value, found: &mut BTreeSet<String>) {
        match value {
            Value::Object(map) => {
                if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
                    found.insert(reference.to_owned());
                }
                for (key, value) in map {
                    if !is_data_keyword(key) {
                        walk(value, found);
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|item| walk(item, found)),
            _ => {}
        }
    }
    let mut references = BTreeSet::new();
    walk(&Value::Object(document.clone()), &mut references);
    let definitions = document.get("$defs").or_else(|| document.get("definitions")).and_then(Value::as_object);
    for reference in references {
        if let Some(target) = definition_name(&reference)
            && !definitions.is_some_and(|defs| defs.contains_key(&target))
        {
            return Err(Error::msg(format!("`{file}` refers to `{reference}`, which it does not define")));
        }
    }
    Ok(())
}

/// The `$defs` entry a local reference points to: `#/$defs/A%3CB%3E` → `A<B>`; `None` for
/// any other kind of reference.
pub(super) fn definition_name(reference: &str) -> Option<String> {
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
    while let Some(&byte) = bytes.get(i) {
        let hex = bytes.get(i + 1..i + 3).and_then(|hex| std::str::from_utf8(hex).ok()).and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match (byte, hex) {
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

/// A copy of `value` with every object's keys in sorted order, whatever `serde_json`'s map
/// type (with `preserve_order`, maps keep insertion order, so insert sorted).
fn sort_keys(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            Value::Object(entries.into_iter().map(|(key, value)| (key.clone(), sort_keys(value))).collect())
        }
        Value::Array(items) => Value::Array(items.iter().map(sort_keys).collect()),
        other => other.clone(),
    }
}
