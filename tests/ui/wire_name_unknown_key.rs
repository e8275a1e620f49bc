use matrix_widget_api::naming::WireName;

#[derive(WireName)]
enum Name {
    #[wire(stabel = "m.a")]
    A,
}

fn main() {}
