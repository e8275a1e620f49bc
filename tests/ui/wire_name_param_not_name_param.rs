use matrix_widget_api::naming::{CustomName, WireName};

/// Not a `NameParam`.
struct EventType(String);

#[derive(WireName)]
enum Capability {
    #[wire(stable = "m.send.event:", unstable = "org.matrix.msc2762.send.event:", prefix)]
    SendEvent(EventType),
    #[wire(other)]
    Other(CustomName),
}

fn main() {}
