use matrix_widget_api::payload::Payload;
use std::borrow::Cow;

/// Serialisable and with a schema, but not `Deserialize`.
#[derive(serde::Serialize)]
struct Opaque;

impl schemars::JsonSchema for Opaque {
    fn schema_name() -> Cow<'static, str> {
        "Opaque".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({})
    }
}

#[derive(Payload)]
struct Data {
    name: String,
    opaque: Opaque,
}

fn main() {}
