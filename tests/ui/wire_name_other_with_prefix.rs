use matrix_widget_api::naming::{CustomName, WireName};

#[derive(WireName)]
enum Name {
    #[wire(other, prefix)]
    Other(CustomName),
}

fn main() {}
