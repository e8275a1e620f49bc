use matrix_widget_api::payload::Payload;

#[derive(Payload)]
struct Data {
    #[wire(default)]
    delay: Option<u64>,
}

fn main() {}
