use matrix_widget_api::naming::WireName;

#[derive(WireName)]
#[wire(schema_name = "ToWidgetKind", schema_name = "Kind")]
enum Kind {
    #[wire("host")]
    Host,
}

fn main() {}
