//! The committed schemas hold to real data and to the decoder's rules.

use serde_json::Value;
use std::path::Path;

pub(crate) fn committed_schema(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas").join(format!("{name}.schema.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}; run `cargo xtask codegen`", path.display()));
    serde_json::from_str(&text).expect("schema is JSON")
}

pub(crate) fn message_validator() -> jsonschema::Validator {
    jsonschema::draft202012::new(&committed_schema("message")).expect("message.schema.json is a valid draft 2020-12 schema")
}

#[test]
fn committed_schema_is_draft_2020_12() {
    let schema = committed_schema("message");
    assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    assert!(schema["$defs"]["SendEventRequest"].is_object());
    assert!(schema["$defs"]["UpdateDelayedEventRequest"].is_object());
}
