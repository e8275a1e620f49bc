use matrix_widget_api::naming::{CustomName, WireName};

#[derive(WireName)]
enum Name {
    #[wire(other)]
    Other(CustomName),
    #[wire(other)]
    Unknown(CustomName),
}

fn main() {}
