use matrix_widget_api::naming::WireName;

#[derive(WireName)]
enum Name {
    #[wire(stable = "m.a:", unstable = "x.a:", prefix = true)]
    A(String),
}

fn main() {}
