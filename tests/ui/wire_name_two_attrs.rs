use matrix_widget_api::naming::WireName;

#[derive(WireName)]
enum Name {
    #[wire("m.a")]
    #[wire("m.b")]
    A,
}

fn main() {}
