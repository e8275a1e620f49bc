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
