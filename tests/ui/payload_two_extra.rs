use matrix_widget_api::payload::{Extra, Payload};

#[derive(Payload)]
struct Data {
    #[wire(extra)]
    extra: Extra,
    #[wire(extra)]
    more: Extra,
}

fn main() {}
