use matrix_widget_api::naming::WireName;

#[derive(WireName)]
enum Name {
    #[wire(stable = "m.a")]
    A,
}

fn main() {}
