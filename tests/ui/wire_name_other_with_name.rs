use matrix_widget_api::naming::{CustomName, WireName};

#[derive(WireName)]
enum Name {
    #[wire("m.other", other)]
    Other(CustomName),
}

fn main() {}
