use matrix_widget_api::naming::WireName;

#[derive(WireName)]
enum Name {
    #[wire("m.other", other)]
    Other(String),
}

fn main() {}
