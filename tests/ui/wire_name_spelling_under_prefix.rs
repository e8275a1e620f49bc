use matrix_widget_api::naming::WireName;

#[derive(WireName)]
enum Name {
    #[wire(stable = "m.send.event:", unstable = "x.send.event:", prefix)]
    SendEvent(String),
    #[wire("m.send.event:m.room.message")]
    SendMessage,
}

fn main() {}
