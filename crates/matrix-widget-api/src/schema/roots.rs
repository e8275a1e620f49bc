//! What `cargo xtask codegen` publishes: the list of root schemas, built from the crate's
//! tables. Kept apart from the helpers in `schema.rs` that every derived `JsonSchema` calls,
//! so that those helpers depend on nothing but the naming tables.

use super::{SchemaRoot, root};
use schemars::Schema;
use serde_json::{Map, Value};

/// Every schema the project publishes, in a fixed order:
///
/// - `message`: any message, either direction, request or reply (success or error);
/// - `from_widget`, `to_widget`: any message of one direction;
/// - `<direction>/<action>.request`, `<direction>/<action>.response` (the success reply) for
///   every action of the direction, `<direction>/unknown.request` and `.response` for the
///   actions without typed payloads, and `<direction>/error.response` (the error reply to
///   any request);
/// - `action`, `capability`, `api_version`: the name types.
///
/// The unions (`message` and the direction roots) dispatch with `if`/`then`/`else`; the
/// per-message schemas are plain objects, for code generators that do not support `if`.
pub fn roots() -> Vec<SchemaRoot> {
    let mut roots = vec![root::<crate::Message>("message".to_owned())];
    roots.extend(crate::FromWidgetRequest::schema_roots());
    roots.extend(crate::ToWidgetRequest::schema_roots());
    roots.push(root::<crate::ActionName>("action".to_owned()));
    roots.push(root::<crate::Capability>("capability".to_owned()));
    roots.push(root::<crate::ApiVersion>("api_version".to_owned()));
    for root in &mut roots {
        bound_envelope_ids(&mut root.schema);
    }
    roots
}

/// Puts the decoder's bound on envelope IDs into a published schema: `widgetId`,
/// `requestId` and every free-form `action` string get `maxLength` =
/// [`Limits::DEFAULT`](crate::limits::Limits::DEFAULT)'s `max_id_bytes`, so that the schema
/// no longer accepts a 100 000-character ID the decoder refuses.
///
/// `maxLength` counts characters where the decoder counts UTF-8 bytes: every string the
/// schema refuses the decoder refuses too, while an ID of at most 255 characters but more
/// than 255 bytes still passes the schema (JSON Schema cannot count bytes).
fn bound_envelope_ids(schema: &mut Schema) {
    let max = crate::limits::Limits::DEFAULT.max_id_bytes();
    let Some(root) = schema.as_object_mut() else { return };
    bound_ids_in(root, max);
    let mut stack: Vec<&mut Value> = root.values_mut().collect();
    while let Some(node) = stack.pop() {
        match node {
            Value::Object(map) => {
                bound_ids_in(map, max);
                stack.extend(map.values_mut());
            }
            Value::Array(items) => stack.extend(items.iter_mut()),
            _ => {}
        }
    }
}

/// [`bound_envelope_ids`] on one schema object.
fn bound_ids_in(map: &mut Map<String, Value>, max: usize) {
    let is_free_string =
        |field: &Map<String, Value>| field.get("type").and_then(Value::as_str) == Some("string") && !field.contains_key("enum");
    if let Some(Value::Object(properties)) = map.get_mut("properties") {
        for key in ["widgetId", "requestId", "action"] {
            if let Some(Value::Object(field)) = properties.get_mut(key)
                && is_free_string(field)
            {
                field.insert("maxLength".into(), max.into());
            }
        }
    }
    // The untyped actions' names are a definition of their own: any name but the typed ones.
    if is_free_string(map) && map.get("minLength").is_some() && map.get("not").and_then(|n| n.get("enum")).is_some() {
        map.insert("maxLength".into(), max.into());
    }
}
