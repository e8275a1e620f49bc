//! JSON Schemas (draft 2020-12) for the wire types (feature `schema`).
//!
//! The derives emit `JsonSchema` impls that call into this module, so each schema is built
//! from the same table that drives parsing: a name type's schema lists exactly the
//! spellings `parse_name` accepts, and a payload's schema lists the fields its
//! `Deserialize` reads.
//
// Schemas are built from the crate's own tables, never from input; indexing a `json!` object
// by key cannot panic.
#![expect(clippy::indexing_slicing, reason = "indexing a `json!` object built from the crate's tables by key cannot panic")]

mod roots;

pub use roots::roots;

use crate::naming::WireName;
use schemars::{Schema, json_schema};
use serde_json::{Map, Value, json};

/// One generated schema file: `schemas/<name>.schema.json`.
#[derive(Debug, Clone)]
pub struct SchemaRoot {
    /// File stem under `schemas/`, e.g. `"message"` or `"from_widget/send_event.request"`.
    pub name: String,
    /// The draft 2020-12 root schema (with `$defs`).
    pub schema: Schema,
}

/// The root schema of `T`, published as `schemas/<name>.schema.json`.
pub(crate) fn root<T: schemars::JsonSchema>(name: String) -> SchemaRoot {
    let generator = schemars::generate::SchemaSettings::draft2020_12().into_generator();
    SchemaRoot { name, schema: generator.into_root_schema_for::<T>() }
}

/// The schema of a `#[derive(WireName)]` type: exactly the strings `parse_name` accepts, as
/// a `oneOf` of disjoint branches:
///
/// - the current (stable and unstable) spellings and the legacy ones, as one `enum` (so a
///   validator's "allowed values" name every accepted spelling, `refresh` included); or, when
///   a legacy spelling would collide with a current one as an identifier, as two (a code
///   generator that names enum variants after their values would otherwise see
///   `…update_delayed_event` and `…update.delayed_event` collide);
/// - one `pattern` per prefix (with its parameter's pattern, when it has one);
/// - for a type with a catch-all, any other string: not one of the spellings, and not
///   matching any prefix branch (a negative lookahead), so the branches stay disjoint.
pub fn wire_name_schema<T: WireName>() -> Schema {
    let exact = |legacy: bool| -> Vec<Value> {
        T::NAMES
            .iter()
            .filter(|n| !n.prefix)
            .flat_map(|n| n.spellings().filter(move |s| n.legacy.contains(s) == legacy))
            .map(Value::from)
            .collect()
    };
    let (current, legacy) = (exact(false), exact(true));
    // One `enum` when no legacy spelling would collide with a current one as an identifier,
    // so that a validator's "allowed values" lists every accepted spelling (Ajv reports
    // only the first branch's).
    let identifier =
        |v: &Value| v.as_str().unwrap_or_default().chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_ascii_lowercase();
    let collides = legacy.iter().any(|l| current.iter().any(|c| identifier(c) == identifier(l)));
    let mut branches = Vec::new();
    if !collides {
        let all: Vec<Value> = current.iter().chain(&legacy).cloned().collect();
        if !all.is_empty() {
            let mut branch = json!({ "type": "string", "enum": all });
            if !legacy.is_empty() {
                let listed: Vec<String> = legacy.iter().filter_map(Value::as_str).map(|s| format!("`{s}`")).collect();
                branch["description"] =
                    Value::from(format!("Legacy spellings, accepted and never emitted unless parsed: {}.", listed.join(", ")));
            }
            branches.push(branch);
        }
    } else {
        if !current.is_empty() {
            branches.push(json!({ "type": "string", "enum": current }));
        }
        if !legacy.is_empty() {
            branches.push(
                json!({ "description": "Legacy spellings: accepted, never emitted unless parsed.", "type": "string", "enum": legacy }),
            );
        }
    }
    let mut prefix_patterns = Vec::new();
    for spec in T::NAMES.iter().filter(|n| n.prefix) {
        let alternatives: Vec<String> = spec.spellings().map(regex_escape).collect();
        let body = match spec.param_pattern {
            Some(param) => format!("(?:{})(?:{param})$", alternatives.join("|")),
            None => format!("(?:{})", alternatives.join("|")),
        };
        let mut branch = json!({ "type": "string", "pattern": format!("^{body}") });
        if !spec.doc.is_empty() {
            branch["description"] = Value::from(spec.doc);
        }
        branches.push(branch);
        prefix_patterns.push(body);
    }
    if T::OPEN {
        let mut other = json!({ "type": "string", "description": format!("Any other {}, kept verbatim.", T::WHAT) });
        let all: Vec<Value> = current.iter().chain(&legacy).cloned().collect();
        if !all.is_empty() {
            other["not"] = json!({ "enum": all });
        }
        if !prefix_patterns.is_empty() {
            let lookaheads: String = prefix_patterns.iter().map(|p| format!("(?!{p})")).collect();
            other["pattern"] = Value::from(format!("^{lookaheads}"));
        }
        branches.push(other);
    }
    let mut value = match branches.len() {
        1 => branches.remove(0),
        _ => json!({ "oneOf": branches }),
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
