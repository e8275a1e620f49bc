use matrix_widget_api::naming::{CustomName, WireName};

#[derive(WireName)]
enum Name {
    #[wire(other)]
    Other { name: CustomName },
}

fn main() {}
