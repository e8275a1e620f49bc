use matrix_widget_api::naming::WireName;

#[derive(WireName)]
enum Name {
    #[wire("m.send.event:", prefix)]
    SendEvent(String, String),
}

fn main() {}
