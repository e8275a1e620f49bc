//! JSON Schemas (draft 2020-12) for the wire types (feature `schema`).
//!
//! The derives emit `JsonSchema` impls that call into this module, so each schema is built
//! from the same table that drives parsing: a name type's schema lists exactly the
//! spellings `parse_name` accepts, and a payload's schema lists the fields its
//! `Deserialize` reads.
//
// Schemas are built from the crate's own tables, never from input; indexing a `json!` object
// by key cannot panic.
#![allow(clippy::indexing_slicing)]

use crate::naming::{NameSpec, WireName};
use schemars::{Schema, json_schema};
use serde_json::{Map, Value, json};

/// One generated schema file: `schemas/<name>.schema.json`.
#[derive(Debug, Clone)]
pub struct SchemaRoot {
    /// File stem under `schemas/`, e.g. `"message"`.
    pub name: &'static str,
    /// The draft 2020-12 root schema (with `$defs`).
    pub schema: Schema,
}

/// Every schema the project publishes, in a fixed order.
pub fn roots() -> Vec<SchemaRoot> {
    fn root<T: schemars::JsonSchema>(name: &'static str) -> SchemaRoot {
        let generator = schemars::generate::SchemaSettings::draft2020_12().into_generator();
        SchemaRoot { name, schema: generator.into_root_schema_for::<T>() }
    }
    vec![
        root::<crate::Message>("message"),
        root::<crate::ActionName>("action"),
        root::<crate::Capability>("capability"),
        root::<crate::ApiVersion>("api_version"),
    ]
}

/// The schema of a `#[derive(WireName)]` type: its spellings, prefixes as patterns, and
/// any string when it has a catch-all.
pub fn wire_name_schema<T: WireName>() -> Schema {
    let exact: Vec<Value> = T::NAMES.iter().filter(|n| !n.prefix).flat_map(NameSpec::spellings).map(Value::from).collect();
    let mut branches = Vec::new();
    if !exact.is_empty() {
        branches.push(json!({ "type": "string", "enum": exact }));
    }
    for spec in T::NAMES.iter().filter(|n| n.prefix) {
        let alternatives: Vec<String> = spec.spellings().map(regex_escape).collect();
        let pattern = match spec.param_pattern {
            Some(param) => format!("^(?:{})(?:{param})$", alternatives.join("|")),
            None => format!("^(?:{})", alternatives.join("|")),
        };
        let mut branch = json!({ "type": "string", "pattern": pattern });
        if !spec.doc.is_empty() {
            branch["description"] = Value::from(spec.doc);
        }
        branches.push(branch);
    }
    if T::OPEN {
        branches.push(json!({ "type": "string", "description": format!("Any other {}, kept verbatim.", T::WHAT) }));
    }
    let mut value = match branches.len() {
        1 => branches.remove(0),
        _ => json!({ "anyOf": branches }),
    };
    if !T::DOC.is_empty() {
        value["description"] = Value::from(T::DOC);
    }
    Schema::try_from(value).unwrap_or_else(|_| json_schema!({ "type": "string" }))
}

/// Escapes regex metacharacters in a literal.
fn regex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        // ECMA-262 (`u` flag) allows escaping only the syntax characters.
        if "\\^$.*+?()[]{}|/".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// [`SchemaGenerator::subschema_for`](schemars::SchemaGenerator::subschema_for) as a
/// function: the `Payload` derive names it with the field's type, spanned on the field, so a
/// type that lacks `JsonSchema` is reported at that field.
#[doc(hidden)]
pub fn subschema_for<T: schemars::JsonSchema + ?Sized>(generator: &mut schemars::SchemaGenerator) -> Schema {
    generator.subschema_for::<T>()
}

/// One field of a payload, for [`object_schema`].
#[doc(hidden)]
pub struct FieldSchema {
    pub key: &'static str,
    pub schema: Schema,
    pub required: bool,
    pub nullable: bool,
    pub doc: &'static str,
}

/// The schema of a `#[derive(Payload)]` struct.
#[doc(hidden)]
pub fn object_schema(doc: &str, extra: bool, fields: Vec<FieldSchema>) -> Schema {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for f in fields {
        let mut schema = f.schema.to_value();
        if f.nullable {
            schema = json!({ "anyOf": [schema, { "type": "null" }] });
        }
        if !f.doc.is_empty()
            && let Some(obj) = schema.as_object_mut()
        {
            if obj.contains_key("$ref") {
                // Siblings of `$ref` are allowed in 2020-12.
                obj.insert("description".into(), f.doc.into());
            } else {
                obj.entry("description").or_insert_with(|| f.doc.into());
            }
        }
        if f.required {
            required.push(Value::from(f.key));
        }
        properties.insert(f.key.to_owned(), schema);
    }
    let mut schema = json!({ "type": "object", "properties": properties, "additionalProperties": extra });
    if !required.is_empty() {
        schema["required"] = Value::Array(required);
    }
    if !doc.is_empty() {
        schema["description"] = Value::from(doc);
    }
    Schema::try_from(schema).unwrap_or_else(|_| json_schema!({ "type": "object" }))
}
