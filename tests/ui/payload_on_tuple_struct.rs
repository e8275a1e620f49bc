use matrix_widget_api::payload::Payload;

#[derive(Payload)]
struct Data(String);

fn main() {}
