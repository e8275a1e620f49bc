use matrix_widget_api::naming::WireName;

#[derive(WireName)]
enum Name {
    #[wire(other)]
    Other(String),
    #[wire(other)]
    Unknown(String),
}

fn main() {}
