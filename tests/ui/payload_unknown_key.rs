use matrix_widget_api::payload::Payload;

#[derive(Payload)]
struct Data {
    #[wire(renam = "type")]
    kind: String,
}

fn main() {}
