use matrix_widget_api::naming::WireName;

#[derive(WireName)]
enum Name {
    #[wire("m.send.", prefix)]
    Send(String),
    #[wire("m.send.event:", prefix)]
    SendEvent(String),
}

fn main() {}
