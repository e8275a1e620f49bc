//! Tests of the TypeScript emitter: one schema construct per test, printed.

use serde_json::{Value, json};

use super::ir::{Context, render, type_name};
use super::printer::print;
use super::{declaration, pascal_case, uses_brand};

/// The TypeScript type expression for `schema`, as it would appear at the start of an
/// unindented line.
fn type_expression(schema: &Value, ctx: Context<'_>) -> String {
    print(&render(schema, ctx), 0)
}

fn ty(schema: Value) -> String {
    type_expression(&schema, Context::default())
}

fn decl(name: &str, schema: Value) -> String {
    declaration(name, &schema, Context::default()).expect("expressible")
}

#[test]
fn primitive_types() {
    assert_eq!(ty(json!({"type": "string"})), "string");
    assert_eq!(ty(json!({"type": "integer"})), "number");
    assert_eq!(ty(json!({"type": "number"})), "number");
    assert_eq!(ty(json!({"type": "boolean"})), "boolean");
    assert_eq!(ty(json!({"type": "null"})), "null");
}

#[test]
fn type_arrays_become_unions() {
    assert_eq!(ty(json!({"type": ["string", "null"]})), "string | null");
    assert_eq!(ty(json!({"type": ["integer", "null"], "format": "uint32", "minimum": 0})), "number | null");
    assert_eq!(ty(json!({"type": ["array", "null"], "items": {"type": "string"}})), "string[] | null");
}

#[test]
fn true_and_empty_schemas_are_unknown_false_is_never() {
    assert_eq!(ty(json!(true)), "unknown");
    assert_eq!(ty(json!({})), "unknown");
    assert_eq!(ty(json!({"description": "anything"})), "unknown");
    assert_eq!(ty(json!(false)), "never");
}

#[test]
fn objects_with_required_and_optional_properties() {
    let schema = json!({
        "type": "object",
        "properties": {
            "b": {"type": "integer"},
            "a": {"type": "string"},
        },
        "required": ["a"],
        "additionalProperties": false,
    });
    assert_eq!(ty(schema), "{\n  a: string;\n  b?: number;\n}");
}

#[test]
fn open_objects_with_properties_have_no_index_signature() {
    // A misspelled field must be a type error; the schema still accepts unknown fields.
    let absent = json!({"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]});
    assert_eq!(ty(absent), "{\n  a: string;\n}");
    let explicit = json!({"properties": {"a": {"type": "string"}}, "additionalProperties": true});
    assert_eq!(ty(explicit), "{\n  a?: string;\n}");
    assert_eq!(ty(json!({"type": "object", "properties": {}, "additionalProperties": true})), "{ [key: string]: unknown }");
    let unevaluated = json!({"type": "object", "properties": {"a": true}, "unevaluatedProperties": false});
    assert_eq!(ty(unevaluated), "{\n  a?: unknown;\n}");
}

#[test]
fn additional_properties_schema_is_an_index_signature() {
    assert_eq!(ty(json!({"type": "object", "additionalProperties": {"type": "string"}})), "{ [key: string]: string }");
    assert_eq!(ty(json!({"type": "object"})), "{ [key: string]: unknown }");
    assert_eq!(ty(json!({"type": "object", "additionalProperties": false})), "{ [key: string]: never }");
    // With properties, the index signature must also admit every property's type.
    assert_eq!(
        ty(json!({
            "type": "object",
            "properties": {"a": {"type": "boolean"}, "b": {"type": "string"}},
            "required": ["b"],
            "additionalProperties": {"type": "string"},
        })),
        "{\n  a?: boolean;\n  b: string;\n  [key: string]: string | boolean | undefined;\n}"
    );
    assert_eq!(
        ty(json!({
            "type": "object",
            "properties": {"a": {"type": "boolean"}},
            "required": ["a"],
            "additionalProperties": {"type": "boolean"},
        })),
        "{\n  a: boolean;\n  [key: string]: boolean;\n}"
    );
}

#[test]
fn property_names_that_are_not_identifiers_are_quoted() {
    let schema = json!({
        "type": "object",
        "properties": {
            "m.relates_to": {"type": "string"},
            "$ok_1": {"type": "string"},
            "9lives": {"type": "string"},
            "with space": {"type": "string"},
        },
        "required": ["m.relates_to", "$ok_1", "9lives", "with space"],
        "additionalProperties": false,
    });
    assert_eq!(ty(schema), "{\n  $ok_1: string;\n  \"9lives\": string;\n  \"m.relates_to\": string;\n  \"with space\": string;\n}");
}

#[test]
fn arrays_and_tuples() {
    assert_eq!(ty(json!({"type": "array", "items": {"type": "integer"}})), "number[]");
    assert_eq!(ty(json!({"type": "array"})), "unknown[]");
    assert_eq!(ty(json!({"type": "array", "items": {"type": ["string", "null"]}})), "(string | null)[]");
    assert_eq!(ty(json!({"type": "array", "items": {"type": "array", "items": {"type": "boolean"}}})), "boolean[][]");
    assert_eq!(
        ty(json!({
            "type": "array",
            "prefixItems": [{"type": "string"}, {"type": "integer"}],
            "minItems": 2,
            "maxItems": 2,
        })),
        "[string, number]"
    );
    assert_eq!(
        ty(json!({
            "type": "array",
            "prefixItems": [{"type": "string"}, {"type": ["integer", "null"]}],
            "minItems": 1,
            "items": {"type": "boolean"},
        })),
        "[string, (number | null)?, ...boolean[]]"
    );
}

#[test]
fn refs_name_definitions() {
    assert_eq!(ty(json!({"$ref": "#/$defs/SendEventRequestData"})), "SendEventRequestData");
    assert_eq!(ty(json!({"$ref": "#/definitions/Legacy"})), "Legacy");
    assert_eq!(ty(json!({"$ref": "#/$defs/Wrapper%3CEvent%3E"})), "Wrapper_Event");
    assert_eq!(ty(json!({"$ref": "#"})), "unknown /* unsupported: `$ref` to the document root outside a root schema */");
    assert_eq!(type_expression(&json!({"$ref": "#"}), Context { root: Some("Tree") }), "Tree");
    assert_eq!(ty(json!({"$ref": "other.json#/$defs/X"})), "unknown /* unsupported: $ref \"other.json#/$defs/X\" */");
}

#[test]
fn any_of_and_one_of_are_unions() {
    assert_eq!(ty(json!({"anyOf": [{"$ref": "#/$defs/A"}, {"type": "null"}]})), "A | null");
    assert_eq!(ty(json!({"oneOf": [{"$ref": "#/$defs/A"}, {"$ref": "#/$defs/B"}, {"$ref": "#/$defs/A"}]})), "A | B");
    assert_eq!(ty(json!({"oneOf": [{"type": "string"}]})), "string");
}

#[test]
fn all_of_is_an_intersection() {
    assert_eq!(ty(json!({"allOf": [{"$ref": "#/$defs/A"}, {"$ref": "#/$defs/B"}]})), "A & B");
    assert_eq!(ty(json!({"allOf": [{"$ref": "#/$defs/A"}, {"anyOf": [{"$ref": "#/$defs/B"}, {"$ref": "#/$defs/C"}]}]})), "A & (B | C)");
    assert_eq!(ty(json!({"allOf": [{"$ref": "#/$defs/A"}]})), "A");
    let if_then_else = json!({"if": {"required": ["error"]}, "then": {"$ref": "#/$defs/E"}, "else": {"$ref": "#/$defs/S"}});
    assert_eq!(ty(if_then_else), "E | S");
}

#[test]
fn object_with_flattened_one_of_is_an_intersection() {
    let schema = json!({
        "type": "object",
        "properties": {"id": {"type": "string"}},
        "required": ["id"],
        "oneOf": [{"$ref": "#/$defs/A"}, {"$ref": "#/$defs/B"}],
    });
    assert_eq!(ty(schema), "{\n  id: string;\n} & (A | B)");
    // A bare `"type": "object"` adds nothing next to the combinator.
    assert_eq!(ty(json!({"type": "object", "oneOf": [{"$ref": "#/$defs/A"}, {"$ref": "#/$defs/B"}]})), "A | B");
}

#[test]
fn enum_and_const_are_literals() {
    assert_eq!(ty(json!({"type": "string", "enum": ["toWidget", "fromWidget"]})), "\"toWidget\" | \"fromWidget\"");
    assert_eq!(ty(json!({"enum": [1, -2.5, true, null]})), "1 | -2.5 | true | null");
    assert_eq!(ty(json!({"type": "string", "const": "m.room.message"})), "\"m.room.message\"");
    assert_eq!(ty(json!({"const": "quote\"d"})), "\"quote\\\"d\"");
    assert_eq!(ty(json!({"const": false})), "false");
    assert_eq!(ty(json!({"const": {"a": 1}})), "unknown /* unsupported: object literal {\"a\":1} */");
}

#[test]
fn string_literals_plus_plain_string_keep_autocompletion() {
    let schema = json!({
        "anyOf": [
            {"type": "string", "const": "a"},
            {"const": "b"},
            {"type": "string"},
        ]
    });
    assert_eq!(ty(schema), "\"a\" | \"b\" | (string & {})");
    let with_enum = json!({"anyOf": [{"enum": ["x", "y"]}, {"type": "string"}]});
    assert_eq!(ty(with_enum), "\"x\" | \"y\" | (string & {})");
    // Without literals, `string` stays plain.
    assert_eq!(ty(json!({"anyOf": [{"type": "string"}, {"type": "null"}]})), "string | null");
}

#[test]
fn literal_prefix_patterns_become_template_literals() {
    assert_eq!(ty(json!({"type": "string", "pattern": "^m\\.send\\.event:"})), "`m.send.event:${string}`");
    assert_eq!(ty(json!({"type": "string", "pattern": "^(?:a\\.b:|c\\.d:)"})), "`a.b:${string}` | `c.d:${string}`");
    assert_eq!(ty(json!({"type": "string", "pattern": "^(x|y)"})), "`x${string}` | `y${string}`");
    assert_eq!(
        ty(json!({"type": "string", "pattern": "^org\\.matrix\\.msc2762\\.timeline:.*$"})),
        "`org.matrix.msc2762.timeline:${string}`"
    );
    assert_eq!(ty(json!({"type": "string", "pattern": "^exact\\.name$"})), "\"exact.name\"");
    // A quantifier makes the last literal optional, so it is not part of the prefix.
    assert_eq!(ty(json!({"type": "string", "pattern": "^abc?"})), "`ab${string}`");
    // Template-literal metacharacters are escaped.
    assert_eq!(ty(json!({"type": "string", "pattern": "^a\\$\\{b`"})), "`a\\${b\\`${string}`");
}

#[test]
fn other_patterns_are_plain_strings() {
    for pattern in ["[a-z]+", "^\\d+", "^a|b", "^(?:a|b)?c", "^(?:a\\d|b)", "^(a|)x", "^"] {
        assert_eq!(ty(json!({"type": "string", "pattern": pattern})), "string", "pattern {pattern}");
    }
}

#[test]
fn descriptions_and_annotations_become_jsdoc() {
    let schema = json!({
        "description": "A request.",
        "type": "object",
        "properties": {
            "count": {
                "description": "How many.\n\nAt least one.",
                "type": "integer",
                "format": "uint32",
                "minimum": 1,
                "maximum": 10,
            },
            "id": {"description": "Opaque */ id.", "type": "string"},
            "old": {"type": "boolean", "deprecated": true, "default": false},
        },
        "required": ["count", "id"],
        "additionalProperties": false,
    });
    assert_eq!(
        decl("Request", schema),
        "/** A request. */
export interface Request {
  /**
   * How many.
   *
   * At least one.
   * @format uint32
   * @minimum 1
   * @maximum 10
   */
  count: number;
  /** Opaque *\\/ id. */
  id: string;
  /**
   * @deprecated
   * @default false
   */
  old?: boolean;
}
"
    );
}

#[test]
fn declarations_use_type_aliases_for_everything_but_plain_objects() {
    assert_eq!(
        decl("Direction", json!({"type": "string", "enum": ["toWidget", "fromWidget"]})),
        "export type Direction = \"toWidget\" | \"fromWidget\";\n"
    );
    assert_eq!(
        decl("Count", json!({"type": "integer", "format": "uint64", "minimum": 0})),
        "/**\n * @format uint64\n * @minimum 0\n */\nexport type Count = number;\n"
    );
    assert_eq!(
        decl("Map", json!({"type": "object", "additionalProperties": {"type": "integer"}})),
        "export type Map = { [key: string]: number };\n"
    );
}

#[test]
fn documented_or_long_unions_are_multi_line() {
    let schema = json!({
        "description": "Which way.",
        "oneOf": [
            {"description": "Client to widget.", "type": "string", "const": "toWidget"},
            {"description": "Widget to client.", "type": "string", "const": "fromWidget"},
        ]
    });
    assert_eq!(
        decl("Direction", schema),
        "/** Which way. */
export type Direction =
  /** Client to widget. */
  | \"toWidget\"
  /** Widget to client. */
  | \"fromWidget\";
"
    );

    let tagged = json!({
        "oneOf": [
            {
                "type": "object",
                "properties": {"kind": {"const": "a"}, "x": {"type": "string"}},
                "required": ["kind", "x"],
                "additionalProperties": false,
            },
            {"$ref": "#/$defs/B"},
        ]
    });
    assert_eq!(
        decl("Tagged", tagged),
        "export type Tagged =
  | {
      kind: \"a\";
      x: string;
    }
  | B;
"
    );
}

#[test]
fn documented_nested_unions_are_flattened_under_their_doc() {
    let schema = json!({
        "anyOf": [
            {"const": "m.sticker"},
            {
                "description": "Send events.",
                "type": "string",
                "pattern": "^(?:m\\.send:|org\\.send:)",
            },
            {"description": "Anything else.", "type": "string"},
        ]
    });
    assert_eq!(
        decl("Capability", schema),
        "export type Capability =
  | \"m.sticker\"
  /**
   * Send events.
   * @pattern ^(?:m\\.send:|org\\.send:)
   */
  | `m.send:${string}`
  | `org.send:${string}`
  /** Anything else. */
  | (string & {});
"
    );
}

#[test]
fn multi_line_unions_in_properties_and_arrays() {
    let member = |name: &str| {
        json!({
            "type": "object",
            "properties": {"kind": {"const": name}},
            "required": ["kind"],
            "additionalProperties": false,
        })
    };
    let schema = json!({
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": {"anyOf": [member("a"), member("b")]}},
        },
        "required": ["items"],
        "additionalProperties": false,
    });
    assert_eq!(
        ty(schema),
        "{
  items: (
    | {
        kind: \"a\";
      }
    | {
        kind: \"b\";
      }
  )[];
}"
    );
}

#[test]
fn inexpressible_constructs_fail_the_declaration() {
    let fails = |schema: Value| declaration("T", &schema, Context::default()).expect_err("inexpressible");
    assert_eq!(fails(json!({"type": "date"})), "type \"date\"");
    assert_eq!(fails(json!(42)), "a schema must be an object or a boolean, found a number");
    assert_eq!(fails(json!({"anyOf": {"type": "string"}})), "`anyOf` must be an array");
    assert_eq!(fails(json!({"type": "string", "x-custom": 1})), "the keyword `x-custom`");
    assert_eq!(fails(json!({"type": "object", "patternProperties": {"^a": {}}})), "the keyword `patternProperties`");
    assert_eq!(
        fails(json!({"if": {}, "then": {}})),
        "`if`/`then`/`else` without all three (only a choice between `then` and `else` is a type)"
    );
    assert_eq!(fails(json!({"not": {"type": "string"}})), "`not` without a positive type beside it");
    assert_eq!(fails(json!({"$ref": "other.json#/$defs/X"})), "$ref \"other.json#/$defs/X\"");
    assert_eq!(
        fails(json!({"type": "object", "properties": {"a": {"const": {"x": 1}}, "b": {"type": "date"}}})),
        "object literal {\"x\":1}; type \"date\""
    );
    // Value constraints TypeScript cannot say narrow nothing in the type.
    assert_eq!(
        decl("T", json!({"type": "string", "minLength": 1, "not": {"const": ""}})),
        "/** @minLength 1 */\nexport type T = String & { readonly [brand]: \"T\" };\n"
    );
    assert_eq!(decl("T", json!({"type": "integer", "not": {"const": 0}})), "export type T = number;\n");
    assert_eq!(ty(json!({"not": {"type": "null"}})), "{}");
}

#[test]
fn excluding_strings_are_branded_and_objects_extend_their_references() {
    assert_eq!(
        decl("Other", json!({"type": "string", "not": {"enum": ["a", "b"]}})),
        "export type Other = String & { readonly [brand]: \"Other\" };\n"
    );
    // Inline, in a union with literals, it is the usual open string.
    assert_eq!(ty(json!({"oneOf": [{"enum": ["a"]}, {"type": "string", "not": {"enum": ["a"]}}]})), "\"a\" | (string & {})");
    let message = json!({
        "type": "object",
        "allOf": [{"$ref": "#/$defs/Envelope"}],
        "properties": {"action": {"const": "x"}},
        "required": ["action"],
    });
    assert_eq!(decl("M", message), "export interface M extends Envelope {\n  action: \"x\";\n}\n");
    assert!(uses_brand("String & { readonly [brand]: \"T\" }"));
}

#[test]
fn names() {
    assert_eq!(type_name("SendEventRequestData"), "SendEventRequestData");
    assert_eq!(type_name("Foo<Bar>"), "Foo_Bar");
    assert_eq!(type_name("Array_of_string"), "Array_of_string");
    assert_eq!(type_name("2fa"), "_2fa");
    assert_eq!(pascal_case("from_widget.send_event.request"), "FromWidgetSendEventRequest");
    assert_eq!(pascal_case("message"), "Message");
}
