//! What `cargo xtask codegen` publishes: the list of root schemas, built from the crate's
//! tables. Kept apart from the helpers in `schema.rs` that every derived `JsonSchema` calls,
//! so that those helpers depend on nothing but the naming tables.

use super::{SchemaRoot, root};

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
    roots
}
