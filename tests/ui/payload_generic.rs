use matrix_widget_api::payload::Payload;

#[derive(Payload)]
struct Data<T> {
    value: T,
}

fn main() {}
