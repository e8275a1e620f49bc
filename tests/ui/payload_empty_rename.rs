use matrix_widget_api::payload::Payload;

#[derive(Payload)]
struct Data {
    #[wire(rename = "")]
    kind: String,
}

fn main() {}
