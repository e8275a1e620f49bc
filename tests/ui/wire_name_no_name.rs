use matrix_widget_api::naming::WireName;

#[derive(WireName)]
enum Name {
    #[wire(legacy = "m.a")]
    A,
}

fn main() {}
