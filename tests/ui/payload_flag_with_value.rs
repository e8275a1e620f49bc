use matrix_widget_api::payload::Payload;

#[derive(Payload)]
struct Data {
    #[wire(default = true)]
    count: u32,
}

fn main() {}
