use matrix_widget_api::naming::WireName;

#[derive(WireName)]
enum Name {
    #[wire("restart", legacy = "restart")]
    Restart,
}

fn main() {}
