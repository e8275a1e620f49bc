use matrix_widget_api::payload::Payload;

#[derive(Payload)]
struct Data {
    #[wire(serde::rename = "type")]
    kind: String,
}

fn main() {}
