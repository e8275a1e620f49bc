use matrix_widget_api::naming::WireName;
use matrix_widget_api::payload::Payload;

#[derive(Payload)]
struct Inner {
    #[wire(renam = "x")]
    x: String,
}

#[derive(WireName)]
enum Name {
    #[wire(stabel = "m.a")]
    A,
}

#[derive(Payload)]
struct Outer {
    inner: Inner,
    name: Name,
}

fn main() {
    let _ = serde_json::to_string(&Outer {
        inner: Inner { x: String::new() },
        name: Name::A,
    });
}
