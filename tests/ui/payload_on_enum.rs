use matrix_widget_api::payload::Payload;

#[derive(Payload)]
enum Data {
    A,
}

fn main() {}
