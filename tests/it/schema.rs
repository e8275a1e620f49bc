//! The committed schemas hold to real data and to the decoder's rules: every fixture under
//! `tests/fixtures/` (recursively, whatever folders are added) and every invalid example in
//! `tests/npm/invalid-examples.json` is accepted by the schemas exactly when `decode` accepts
//! it.
//!
//! What JSON Schema cannot see, so no schema can reject it while `decode` does: a key that
//! appears twice in the envelope or a typed payload (a validator only ever sees the parsed
//! value, where the last one won), and strings holding lone surrogates (`"\ud800"`), which `serde_json` refuses and
//! `JSON.parse` accepts. Neither occurs in the fixtures; `hostile.rs` tests the decoder side.

use matrix_widget_api::{Message, decode};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{LazyLock, Mutex};

fn schemas_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas")
}

/// A committed schema by its name: `message`, `from_widget/send_event.request`, …; each file
/// is read and parsed once per run.
pub(crate) fn committed_schema(name: &str) -> &'static Value {
    static SCHEMAS: LazyLock<Mutex<BTreeMap<String, &'static Value>>> = LazyLock::new(Mutex::default);
    if let Some(schema) = SCHEMAS.lock().expect("not poisoned").get(name) {
        return schema;
    }
    let path = schemas_dir().join(format!("{name}.schema.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}; run `cargo xtask codegen`", path.display()));
    let schema: &'static Value = Box::leak(Box::new(serde_json::from_str(&text).expect("schema is JSON")));
    SCHEMAS.lock().expect("not poisoned").entry(name.to_owned()).or_insert(schema)
}

/// The validator of a committed schema, compiled once per run (the message schema is 216 KB
/// and takes a noticeable time to compile in a debug build) and shared by every test.
pub(crate) fn validator(name: &str) -> &'static jsonschema::Validator {
    static VALIDATORS: LazyLock<Mutex<BTreeMap<String, &'static jsonschema::Validator>>> = LazyLock::new(Mutex::default);
    // Held while compiling: a test that needs the schema another one is compiling waits for
    // it instead of compiling it again.
    let mut validators = VALIDATORS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(validator) = validators.get(name) {
        return validator;
    }
    let compiled =
        jsonschema::draft202012::new(committed_schema(name)).unwrap_or_else(|e| panic!("{name}.schema.json is not a valid schema: {e}"));
    let validator: &'static jsonschema::Validator = Box::leak(Box::new(compiled));
    validators.insert(name.to_owned(), validator);
    validator
}

/// The validator of `message.schema.json`, the root schema.
pub(crate) fn message_validator() -> &'static jsonschema::Validator {
    validator("message")
}

/// The invalid examples: one bad field each, with the JSON pointer of that field.
pub(crate) fn invalid_examples() -> Vec<(String, Value, String)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("npm/invalid-examples.json");
    let examples: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(&path).expect("readable")).expect("JSON");
    examples
        .into_iter()
        .map(|e| {
            let name = e["name"].as_str().expect("name").to_owned();
            let field = e["field"].as_str().expect("field").to_owned();
            (name, e["message"].clone(), field)
        })
        .collect()
}

/// The schema of the message kind `decode` found: `from_widget/send_event.request`, ….
pub(crate) fn message_kind_schema(message: &Message) -> String {
    use matrix_widget_api::MessageKind;
    let (folder, typed) = match message {
        Message::FromWidgetRequest(_) | Message::FromWidgetResponse(_) => ("from_widget", message.is_typed()),
        _ => ("to_widget", message.is_typed()),
    };
    let kind = message.kind();
    if kind == MessageKind::ErrorResponse {
        return format!("{folder}/error.response");
    }
    let suffix = if kind == MessageKind::Request { "request" } else { "response" };
    if !typed {
        return format!("{folder}/unknown.{suffix}");
    }
    let stem = module_of_action(folder, message);
    format!("{folder}/{stem}.{suffix}")
}

/// The action's file stem in its direction's folder: the request (or success reply) schema of
/// exactly one action names the message's `action` spelling.
fn module_of_action(folder: &str, message: &Message) -> String {
    let instance = serde_json::to_value(message).expect("serialises");
    let kind = if message.is_response() { "response" } else { "request" };
    let spelled = instance["action"].as_str().expect("`action` is a string");
    let matches = action_index().get(&(folder.to_owned(), kind, spelled.to_owned())).cloned().unwrap_or_default();
    assert_eq!(matches.len(), 1, "{folder}: action {spelled:?} is in {matches:?}");
    matches.into_iter().next().expect("one match")
}

/// (folder, `request` or `response`, action spelling) → the stems of the schemas whose
/// `action` accepts that spelling.
type ActionIndex = BTreeMap<(String, &'static str, String), Vec<String>>;

/// The [`ActionIndex`] of the committed schemas; the folders are read once per run.
fn action_index() -> &'static ActionIndex {
    static INDEX: LazyLock<ActionIndex> = LazyLock::new(|| {
        let mut index = ActionIndex::new();
        for folder in ["from_widget", "to_widget"] {
            let mut names: Vec<String> = std::fs::read_dir(schemas_dir().join(folder))
                .expect("folder")
                .map(|entry| entry.expect("entry").file_name().to_string_lossy().into_owned())
                .collect();
            names.sort();
            for name in names {
                for kind in ["request", "response"] {
                    let Some(stem) = name.strip_suffix(&format!(".{kind}.schema.json")) else { continue };
                    if matches!(stem, "unknown" | "error") {
                        continue;
                    }
                    let schema = committed_schema(&format!("{folder}/{stem}.{kind}"));
                    for spelling in action_spellings(schema) {
                        index.entry((folder.to_owned(), kind, spelling)).or_default().push(stem.to_owned());
                    }
                }
            }
        }
        index
    });
    &INDEX
}

/// The spellings a message schema's `action` accepts: its `enum`, or the `enum`s of its
/// `oneOf` branches (inline or by `$ref` into `$defs`).
fn action_spellings(schema: &Value) -> Vec<String> {
    let action = &schema["properties"]["action"];
    let names: Vec<&Value> = match (action.get("enum"), action.get("oneOf")) {
        (Some(Value::Array(names)), _) => names.iter().collect(),
        (_, Some(Value::Array(branches))) => branches
            .iter()
            .flat_map(|b| {
                let b = match b.get("$ref").and_then(Value::as_str) {
                    Some(r) => &schema["$defs"][r.trim_start_matches("#/$defs/")],
                    None => b,
                };
                b["enum"].as_array().into_iter().flatten()
            })
            .collect(),
        _ => Vec::new(),
    };
    names.into_iter().filter_map(Value::as_str).map(str::to_owned).collect()
}

#[test]
fn every_published_schema_is_draft_2020_12_with_a_stable_id() {
    let files = crate::fixtures::json_files(&schemas_dir());
    assert!(files.len() > 80, "{} schema files", files.len());
    for (file, text) in files.iter().filter(|(f, _)| f.ends_with(".schema.json")) {
        let schema: Value = serde_json::from_str(text).expect("JSON");
        assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema", "{file}");
        assert_eq!(schema["$id"], format!("https://github.com/matrix-widget-api-rs/matrix-widget-api/raw/main/schemas/{file}"), "{file}");
        validator(file.trim_end_matches(".schema.json"));
    }
    let message = committed_schema("message");
    for def in ["FromWidgetSendEventRequestData", "FromWidgetUpdateDelayedEventRequestData", "Envelope", "FromWidgetErrorResponse"] {
        assert!(message["$defs"][def].is_object(), "message.schema.json has no $defs/{def}");
    }
}

/// The claim the README makes: the schemas accept exactly what `decode` accepts, on every
/// fixture (whatever folders are added under `tests/fixtures/`), checked against the root,
/// the direction's root, and the schema of the message kind that `decode` found.
#[test]
fn schemas_accept_exactly_the_fixtures_that_decode() {
    let message = message_validator();
    let (from_widget, to_widget) = (validator("from_widget"), validator("to_widget"));
    let mut kinds = std::collections::BTreeMap::new();
    for fixture in crate::fixtures::fixture_files() {
        let (name, text) = (fixture.path(), &fixture.text);
        let instance: Value = serde_json::from_str(text).expect("fixture is JSON");
        let decoded = decode(text);
        let errors: Vec<String> = message.iter_errors(&instance).map(|e| format!("{e} at {}", e.instance_path())).collect();
        assert_eq!(errors.is_empty(), decoded.is_ok(), "{name}: decodes = {:?}, schema errors = {errors:#?}", decoded.as_ref().err());
        let direction = if instance["api"] == "toWidget" { &to_widget } else { &from_widget };
        assert_eq!(direction.is_valid(&instance), decoded.is_ok(), "{name}: the direction's schema disagrees");
        if let Ok(decoded) = decoded {
            let kind = message_kind_schema(&decoded);
            let kind_validator = kinds.entry(kind.clone()).or_insert_with(|| validator(&kind));
            let errors: Vec<String> = kind_validator.iter_errors(&instance).map(|e| format!("{e} at {}", e.instance_path())).collect();
            assert!(errors.is_empty(), "{name}: {kind}.schema.json rejects it: {errors:#?}");
        }
    }
    assert!(kinds.len() >= 8, "only {kinds:?} message kinds covered");
}

/// Every invalid example is refused by the decoder and by the schemas, for the same field: an
/// example with a bad payload field is `DecodeError::Invalid` (answerable) and the error names
/// the field's last key (`` `w` `` or `` `content.info.w` `` for `/data/content/info/w`; for an
/// array entry, the array). `tests/npm/ajv.mjs` checks that Ajv's first error is at `field`.
#[test]
fn schemas_reject_every_invalid_example_that_decode_rejects() {
    let validator = message_validator();
    let examples = invalid_examples();
    assert!(examples.len() >= 150, "{} invalid examples", examples.len());
    for (name, instance, field) in examples {
        let text = instance.to_string();
        let err = decode(&text).expect_err(&name);
        assert!(!validator.is_valid(&instance), "{name}: the schema accepts what decoding rejects ({err})");
        assert!(field.starts_with('/'), "{name}: `field` is a JSON pointer");
        if !(field.starts_with("/data/") || field.starts_with("/response/")) {
            continue; // the envelope, or a whole `data` or `response` (not an object: not a widget API message)
        }
        assert!(matches!(err, matrix_widget_api::DecodeError::Invalid(_)), "{name}: not an invalid payload: {err}");
        let message = err.to_string();
        let key = field.rsplit('/').find(|s| s.parse::<usize>().is_err()).unwrap_or_default();
        assert!(
            matches!(key, "data" | "response") || message.contains(&format!("`{key}")) || message.contains(&format!(".{key}`")),
            "{name}: the decoder's error does not name `{key}` ({field}): {message}"
        );
    }
}

/// The name schemas accept exactly what parsing accepts: every spelling of every name,
/// every prefix with a parameter its `NameParam` takes, and (for open types) anything else.
fn names_agree<T: matrix_widget_api::naming::WireName>(schema: &str, others: &[&str]) {
    let validator = validator(schema);
    let mut probes: Vec<String> = others.iter().map(|s| (*s).to_owned()).collect();
    for spec in T::NAMES {
        for spelling in spec.spellings() {
            if spec.prefix {
                probes.extend([format!("{spelling}m.room.message"), format!("{spelling}*"), format!("{spelling}12"), spelling.to_owned()]);
            } else {
                probes.extend([spelling.to_owned(), format!("{spelling}x")]);
            }
        }
    }
    for probe in probes {
        let parses = T::parse_name(&probe).is_ok();
        assert_eq!(validator.is_valid(&Value::from(probe.as_str())), parses, "{schema}.schema.json and parsing disagree on {probe:?}");
    }
}

#[test]
fn name_schemas_accept_exactly_the_spellings_that_parse() {
    names_agree::<matrix_widget_api::ActionName>("action", &["io.element.join", ""]);
    names_agree::<matrix_widget_api::Capability>("capability", &["com.example.cap", "m.send.event", ""]);
    names_agree::<matrix_widget_api::ApiVersion>("api_version", &["9.9.9"]);
}

/// The two documented exceptions to "the schemas accept exactly what decoding accepts",
/// tested as exceptions: JSON Schema sees parsed values, so it cannot see a key written twice
/// or a lone surrogate escape; the decoder refuses both.
#[test]
fn the_documented_exceptions_are_exactly_these() {
    let validator = message_validator();
    let duplicate =
        r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"send_event","data":{"type":"a","type":"b","content":{}}}"#;
    let surrogate =
        r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"send_event","data":{"type":"a","content":{"body":"\ud800"}}}"#;
    for text in [duplicate, surrogate] {
        assert!(decode(text).is_err(), "the decoder refuses {text}");
        // serde_json, like JSON.parse, reads the duplicate as its last value; it cannot hold a
        // lone surrogate in a `Value` and replaces nothing: such text fails to parse into one.
        match serde_json::from_str::<Value>(text) {
            Ok(value) => assert!(validator.is_valid(&value), "the schema cannot see what is wrong with {text}"),
            Err(e) => assert!(e.to_string().contains("surrogate") || e.to_string().contains("escape"), "{e}"),
        }
    }
    // The same messages without the defect are accepted by both.
    let fine = r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"send_event","data":{"type":"b","content":{"body":"\ud83d\ude00"}}}"#;
    assert!(decode(fine).is_ok());
    assert!(validator.is_valid(&serde_json::from_str::<Value>(fine).expect("JSON")));
}
