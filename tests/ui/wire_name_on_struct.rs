use matrix_widget_api::naming::WireName;

#[derive(WireName)]
struct Name(String);

fn main() {}
