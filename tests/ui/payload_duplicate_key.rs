use matrix_widget_api::payload::Payload;

#[derive(Payload)]
struct Data {
    kind: String,
    #[wire(rename = "kind")]
    r#type: String,
}

fn main() {}
