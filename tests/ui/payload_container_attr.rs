use matrix_widget_api::payload::Payload;

#[derive(Payload)]
#[wire(rename = "data")]
struct Data {
    value: String,
}

fn main() {}
