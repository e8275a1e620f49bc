use matrix_widget_api::naming::{WireName, wire_docs};

#[wire_docs(stable)]
#[derive(WireName)]
enum Name {
    #[wire("m.sticker")]
    Sticker,
}

fn main() {}
