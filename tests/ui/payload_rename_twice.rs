use matrix_widget_api::payload::Payload;

#[derive(Payload)]
struct Data {
    #[wire(rename = "type", rename = "kind")]
    kind: String,
}

fn main() {}
