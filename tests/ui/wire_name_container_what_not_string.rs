use matrix_widget_api::naming::WireName;

#[derive(WireName)]
#[wire(what = capability)]
enum Name {
    #[wire("m.a")]
    A,
}

fn main() {}
