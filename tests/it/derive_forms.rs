//! The derives on inputs the UI tests do not cover: types reached through `macro_rules!`,
//! `Self` in field types, raw identifiers, and field names that look like generated ones.

use matrix_widget_api::payload::{Extra, Payload};
use serde_json::json;

macro_rules! payload {
    ($name:ident { $($field:ident : $ty:ty),* }) => {
        #[derive(Debug, PartialEq, Payload)]
        struct $name {
            $($field: $ty,)*
            #[wire(extra)]
            extra: Extra,
        }
    };
}

payload!(FromMacro { a: Option<String>, b: u32 });

macro_rules! names {
    ($name:ident { $param:ty, $custom:ty }) => {
        #[derive(Debug, PartialEq, matrix_widget_api::naming::WireName)]
        enum $name {
            #[wire(stable = "m.send.event:", unstable = "org.matrix.msc2762.send.event:", prefix)]
            SendEvent($param),
            #[wire(other)]
            Other($custom),
        }
    };
}

names!(NamesFromMacro { String, matrix_widget_api::naming::CustomName });

#[test]
fn field_types_through_macro_rules_keep_working() {
    // The generated calls spanned on these types still see the generated locals.
    assert_eq!("m.send.event:m.room.message".parse::<NamesFromMacro>().ok(), Some(NamesFromMacro::SendEvent("m.room.message".into())));
    let other = "com.example".parse::<NamesFromMacro>().expect("catch-all");
    assert_eq!(other.to_string(), "com.example");
}

#[derive(Debug, PartialEq, Payload)]
struct Node {
    name: String,
    child: Option<Box<Self>>,
    children: Vec<Self>,
    #[wire(extra)]
    extra: Extra,
}

#[derive(Debug, PartialEq, Payload)]
struct Hygiene {
    r#type: String,
    __map: u8,
    __extra: u8,
    __key: Option<u8>,
    __deserializer: u8,
    #[wire(extra)]
    extra: Extra,
}

#[test]
fn option_through_macro_rules_is_optional() {
    let v: FromMacro = serde_json::from_value(json!({"b": 1})).expect("`a` is optional");
    assert_eq!(v.a, None);
    assert_eq!(serde_json::to_value(&v).expect("ok"), json!({"b": 1}));
}

#[test]
fn self_in_field_types_means_the_struct() {
    let v: Node =
        serde_json::from_value(json!({"name": "a", "child": {"name": "b", "children": []}, "children": [{"name": "c", "children": []}]}))
            .expect("recursive");
    assert_eq!(v.child.as_ref().map(|c| c.name.as_str()), Some("b"));
    assert_eq!(v.children.len(), 1);
}

#[test]
fn generated_names_do_not_clash_with_fields() {
    let value = json!({"type": "t", "__map": 1, "__extra": 2, "__key": 3, "__deserializer": 4, "other": true});
    let v: Hygiene = serde_json::from_value(value.clone()).expect("parses");
    assert_eq!(v.r#type, "t");
    assert_eq!(serde_json::to_value(&v).expect("ok"), value);
}

#[derive(Debug, PartialEq, Payload)]
#[wire(check = "Checked::check")]
struct Checked {
    low: u8,
    high: u8,
    #[wire(extra)]
    extra: Extra,
}

impl Checked {
    fn check(&self) -> Result<(), String> {
        if self.low <= self.high { Ok(()) } else { Err(format!("low {} is above high {}", self.low, self.high)) }
    }
}

#[test]
fn container_check_runs_after_parsing() {
    assert!(serde_json::from_value::<Checked>(json!({"low": 1, "high": 2})).is_ok());
    let err = serde_json::from_value::<Checked>(json!({"low": 3, "high": 2})).expect_err("checked").to_string();
    assert_eq!(err, "low 3 is above high 2");
}

/// The hooks may be private: the generated impls live in the struct's own module.
mod private_hooks {
    use matrix_widget_api::payload::Payload;

    #[derive(Debug, Payload)]
    #[wire(check = "not_empty", extend_schema = "min_length")]
    pub(crate) struct Name {
        pub(crate) name: String,
    }

    fn not_empty(value: &Name) -> Result<(), String> {
        if value.name.is_empty() { Err("`name` must not be empty".to_owned()) } else { Ok(()) }
    }

    fn min_length(mut schema: schemars::Schema) -> schemars::Schema {
        if let Some(name) = schema.get_mut("properties").and_then(|p| p.get_mut("name")).and_then(|n| n.as_object_mut()) {
            name.insert("minLength".to_owned(), 1.into());
        }
        schema
    }
}

#[test]
fn private_check_and_extend_schema_functions_work() {
    assert_eq!(serde_json::from_value::<private_hooks::Name>(json!({"name": "a"})).expect("valid").name, "a");
    let err = serde_json::from_value::<private_hooks::Name>(json!({"name": ""})).expect_err("checked").to_string();
    assert_eq!(err, "`name` must not be empty");
    let schema = serde_json::to_value(schemars::schema_for!(private_hooks::Name)).expect("schema");
    assert_eq!(schema["properties"]["name"]["minLength"], 1);
}

/// A parameter that accepts only digits, and says so for the schema.
#[derive(Debug, Clone, PartialEq)]
struct Digits(String);

impl matrix_widget_api::naming::NameParam for Digits {
    const PATTERN: Option<&'static str> = Some("[0-9]+");
    fn parse_param(s: &str) -> Option<Self> {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())).then(|| Digits(s.to_owned()))
    }
    fn write_param(&self, out: &mut String) {
        out.push_str(&self.0);
    }
}

#[derive(Debug, Clone, PartialEq, matrix_widget_api::naming::WireName)]
#[wire(what = "counter")]
enum Counter {
    #[wire(stable = "m.count:", unstable = "org.example.count:", prefix)]
    Count(Digits),
}

#[test]
fn a_parameter_pattern_keeps_the_schema_exact() {
    let schema = serde_json::to_value(schemars::schema_for!(Counter)).expect("schema");
    let validator = jsonschema::draft202012::new(&schema).expect("valid schema");
    for (text, ok) in [("m.count:12", true), ("org.example.count:7", true), ("m.count:", false), ("m.count:1a", false), ("m.other", false)]
    {
        assert_eq!(text.parse::<Counter>().is_ok(), ok, "{text}");
        assert_eq!(validator.is_valid(&json!(text)), ok, "schema disagrees on {text}");
    }
}

// ---- Schema ids: one definition per type, even when two types share a name. ----

/// Two payloads and two name types with the same Rust names, as `from_widget::send_event`
/// and `to_widget::send_event` have.
mod from_widget {
    use matrix_widget_api::naming::WireName;
    use matrix_widget_api::payload::Payload;

    /// The widget's request.
    #[derive(Debug, Payload)]
    pub(crate) struct SendEventRequestData {
        pub(crate) room_id: String,
    }

    #[derive(Debug, WireName)]
    pub(crate) enum Kind {
        #[wire("widget")]
        Widget,
    }
}

mod to_widget {
    use matrix_widget_api::naming::WireName;
    use matrix_widget_api::payload::Payload;

    /// The host's request.
    #[derive(Debug, Payload)]
    pub(crate) struct SendEventRequestData {
        pub(crate) event_id: String,
        pub(crate) origin_server_ts: u64,
    }

    #[derive(Debug, WireName)]
    pub(crate) enum Kind {
        #[wire("host")]
        Host,
    }

    /// The same again, with the readable name a clash calls for.
    #[derive(Debug, Payload)]
    #[wire(schema_name = "ToWidgetSendEventData")]
    pub(crate) struct Named {
        pub(crate) event_id: String,
    }

    #[derive(Debug, WireName)]
    #[wire(what = "side", schema_name = "ToWidgetKind")]
    pub(crate) enum NamedKind {
        #[wire("host")]
        Host,
    }
}

#[derive(Debug, Payload)]
struct Both {
    from: from_widget::SendEventRequestData,
    to: to_widget::SendEventRequestData,
    from_kind: from_widget::Kind,
    to_kind: to_widget::Kind,
}

#[derive(Debug, Payload)]
struct BothNamed {
    from: from_widget::SendEventRequestData,
    to: to_widget::Named,
    from_kind: from_widget::Kind,
    to_kind: to_widget::NamedKind,
}

fn definitions<T: schemars::JsonSchema>() -> serde_json::Map<String, serde_json::Value> {
    let generator = schemars::generate::SchemaSettings::draft2020_12().into_generator();
    let schema = serde_json::to_value(generator.into_root_schema_for::<T>()).expect("schema");
    schema["$defs"].as_object().cloned().unwrap_or_default()
}

/// The definition a property of `T`'s root schema refers to.
fn def_of<'a>(
    root: &serde_json::Value,
    defs: &'a serde_json::Map<String, serde_json::Value>,
    property: &str,
) -> (&'a str, &'a serde_json::Value) {
    let reference = root["properties"][property]["$ref"].as_str().unwrap_or_else(|| panic!("`{property}` is a $ref"));
    let name = reference.strip_prefix("#/$defs/").expect("local ref");
    defs.get_key_value(name).map(|(k, v)| (k.as_str(), v)).unwrap_or_else(|| panic!("{name} is defined"))
}

#[test]
fn schema_ids_are_unique_per_type() {
    use schemars::JsonSchema;
    assert_eq!(from_widget::SendEventRequestData::schema_id(), "it::derive_forms::from_widget::SendEventRequestData");
    assert_eq!(to_widget::SendEventRequestData::schema_id(), "it::derive_forms::to_widget::SendEventRequestData");
    assert_eq!(from_widget::Kind::schema_id(), "it::derive_forms::from_widget::Kind");
    assert_ne!(from_widget::Kind::schema_id(), to_widget::Kind::schema_id());
    // The name stays the type's own unless `schema_name` says otherwise.
    assert_eq!(to_widget::SendEventRequestData::schema_name(), "SendEventRequestData");
    assert_eq!(to_widget::Named::schema_name(), "ToWidgetSendEventData");
    assert_eq!(to_widget::NamedKind::schema_name(), "ToWidgetKind");
}

#[test]
fn same_named_types_get_their_own_definitions() {
    let root = serde_json::to_value(schemars::generate::SchemaSettings::draft2020_12().into_generator().into_root_schema_for::<Both>())
        .expect("schema");
    let defs = definitions::<Both>();
    let (from_name, from) = def_of(&root, &defs, "from");
    let (to_name, to) = def_of(&root, &defs, "to");
    assert_ne!(from_name, to_name, "two types, two definitions");
    assert_eq!(from["properties"].as_object().map(|p| p.keys().cloned().collect::<Vec<_>>()), Some(vec!["room_id".to_owned()]));
    assert_eq!(from["description"], "The widget's request.");
    assert_eq!(
        to["properties"].as_object().map(|p| p.keys().cloned().collect::<Vec<_>>()),
        Some(vec!["event_id".to_owned(), "origin_server_ts".to_owned()])
    );
    assert_eq!(to["description"], "The host's request.");
    let (from_kind_name, from_kind) = def_of(&root, &defs, "from_kind");
    let (to_kind_name, to_kind) = def_of(&root, &defs, "to_kind");
    assert_ne!(from_kind_name, to_kind_name);
    assert_eq!((&from_kind["enum"], &to_kind["enum"]), (&json!(["widget"]), &json!(["host"])));
}

#[test]
fn schema_name_makes_a_clash_readable() {
    let root =
        serde_json::to_value(schemars::generate::SchemaSettings::draft2020_12().into_generator().into_root_schema_for::<BothNamed>())
            .expect("schema");
    let defs = definitions::<BothNamed>();
    let mut names: Vec<&str> = defs.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(names, ["Kind", "SendEventRequestData", "ToWidgetKind", "ToWidgetSendEventData"]);
    assert_eq!(def_of(&root, &defs, "to").0, "ToWidgetSendEventData");
    assert_eq!(def_of(&root, &defs, "to_kind").0, "ToWidgetKind");
}

/// schemars gives the second of two types that share a `schema_name` the name `<Name>2`:
/// unique, but it depends on which is met first and reads as noise in the typings. Every
/// published schema must have none; a clash is settled with `#[wire(schema_name = "...")]`.
#[test]
fn published_schemas_have_no_renamed_definitions() {
    for root in matrix_widget_api::schema::roots() {
        let value = serde_json::to_value(&root.schema).expect("schema");
        let Some(defs) = value["$defs"].as_object() else { continue };
        for name in defs.keys() {
            let base = name.trim_end_matches(|c: char| c.is_ascii_digit());
            assert!(
                base == name || !defs.contains_key(base),
                "{}.schema.json: two types are both named `{base}` (schemars renamed one `{name}`); \
                 give one a readable #[wire(schema_name = \"...\")]",
                root.name
            );
        }
    }
}
