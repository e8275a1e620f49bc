use matrix_widget_api::naming::WireName;

#[derive(WireName)]
enum Name {
    #[wire(other, prefix)]
    Other(String),
}

fn main() {}
