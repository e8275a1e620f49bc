use matrix_widget_api::naming::WireName;

#[derive(WireName)]
enum Name {
    #[wire(stable = "m.a", unstable = "x.a", stable = "m.b")]
    A,
}

fn main() {}
