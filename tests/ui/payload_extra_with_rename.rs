use matrix_widget_api::payload::{Extra, Payload};

#[derive(Payload)]
struct Data {
    #[wire(extra, rename = "rest")]
    extra: Extra,
}

fn main() {}
