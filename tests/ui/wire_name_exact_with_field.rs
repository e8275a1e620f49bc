use matrix_widget_api::naming::WireName;

#[derive(WireName)]
enum Name {
    #[wire("m.sticker")]
    Sticker(String),
}

fn main() {}
