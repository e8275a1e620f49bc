use matrix_widget_api::payload::Payload;

#[derive(Payload)]
#[wire(schema_name = "")]
struct Data {
    name: String,
}

fn main() {}
