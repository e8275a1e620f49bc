use matrix_widget_api::naming::WireName;

#[derive(WireName)]
enum Name<T> {
    #[wire(other)]
    Other(T),
}

fn main() {}
