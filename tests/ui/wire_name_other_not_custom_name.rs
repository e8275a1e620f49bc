use matrix_widget_api::naming::WireName;

#[derive(WireName)]
enum Name {
    #[wire("m.sticker")]
    Sticker,
    #[wire(other)]
    Other(String),
}

fn main() {}
