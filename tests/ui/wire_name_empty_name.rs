use matrix_widget_api::naming::WireName;

#[derive(WireName)]
enum Name {
    #[wire("")]
    A,
}

fn main() {}
