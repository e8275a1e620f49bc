use matrix_widget_api::payload::Payload;

/// Serde both ways, but no `JsonSchema` (the tests build with the `schema` feature).
#[derive(serde::Serialize, serde::Deserialize)]
struct Opaque;

#[derive(Payload)]
struct Data {
    name: String,
    opaque: Opaque,
}

fn main() {}
