use matrix_widget_api::naming::WireName;

#[derive(WireName)]
enum Name {
    #[wire("m.a")]
    A,
    #[wire(stable = "m.b", unstable = "m.a")]
    B,
}

fn main() {}
