use matrix_widget_api::naming::wire_docs;

#[wire_docs]
struct Name {
    name: String,
}

fn main() {}
