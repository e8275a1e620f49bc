//! Schemas of whole messages, shaped for validators and code generators alike:
//!
//! - each message kind (one action's request, its success reply, the error reply, the
//!   request and reply of an action without typed payloads) is a plain object schema:
//!   the shared `Envelope`, `api` and `action` as discriminators, and `data`/`response`
//!   referring to payload definitions named after the action (`FromWidgetSendEventRequestData`);
//! - the unions (a direction's requests, replies, messages; any message) dispatch with
//!   `if`/`then`/`else` on `api`, on `response` and on `action`, exactly as `decode` does,
//!   so a validator only checks the branch that applies and its first error names the
//!   field that is wrong, instead of reporting every branch of a `oneOf`.

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::error::ErrorResponseData;
use crate::naming::{NameSpec, Spelling, WireName};
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde_json::{Value, json};
use std::marker::PhantomData;

/// The definition holding the fields every message shares.
const ENVELOPE: &str = "Envelope";
/// The definition of a reply's echoed `data`.
const ECHOED_DATA: &str = "EchoedData";

/// Every spelling of an action: the current ones (stable, unstable) and the legacy ones.
pub(crate) fn spellings(action: &ActionName) -> (Vec<&'static str>, Vec<&'static str>) {
    let stable = action.name_in(Spelling::Stable);
    match ActionName::NAMES.iter().find(|spec| spec.stable == stable) {
        Some(spec) => {
            let current = NameSpec::spellings(spec).filter(|s| !spec.legacy.contains(s)).collect();
            (current, spec.legacy.to_vec())
        }
        None => (Vec::new(), Vec::new()),
    }
}

fn all_spellings(action: &ActionName) -> Vec<&'static str> {
    let (mut current, legacy) = spellings(action);
    current.extend(legacy);
    current
}

/// `{"$ref": "#/$defs/<name>"}`.
pub(crate) fn def_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/$defs/{name}") })
}

/// Adds (or replaces) the definition `name` and returns a reference to it.
fn define(generator: &mut SchemaGenerator, name: &str, schema: Value) -> Value {
    generator.definitions_mut().insert(name.to_owned(), schema);
    def_ref(name)
}

/// The longest ID or action name the decoder accepts ([`Limits::DEFAULT`]'s `max_id_bytes`).
/// The schemas count characters where the decoder counts UTF-8 bytes, so every string they
/// refuse the decoder refuses too; JSON Schema cannot count bytes.
///
/// [`Limits::DEFAULT`]: crate::limits::Limits::DEFAULT
fn max_id() -> usize {
    crate::limits::Limits::DEFAULT.max_id_bytes()
}

fn envelope(generator: &mut SchemaGenerator) -> Value {
    define(
        generator,
        ENVELOPE,
        json!({
            "description": "The fields every message has, whatever its direction and action. Other top-level fields are allowed and kept.",
            "type": "object",
            "properties": {
                "widgetId": { "description": "The widget's ID.", "type": "string", "minLength": 1, "maxLength": max_id() },
                "requestId": { "description": "The request's ID, unique per session; a reply repeats it.", "type": "string", "minLength": 1, "maxLength": max_id() },
            },
            "required": ["widgetId", "requestId"],
        }),
    )
}

fn echoed_data(generator: &mut SchemaGenerator) -> Value {
    define(
        generator,
        ECHOED_DATA,
        json!({ "description": "The request's `data`, echoed by the reply as it was (not checked again: any JSON value)." }),
    )
}

/// The error reply of the direction of `A` (an untyped marker), for its schema.
pub(crate) struct ErrorReply<A>(PhantomData<A>);

/// Every message of the direction of `A` (an untyped marker), for its schema.
pub(crate) struct Messages<A>(PhantomData<A>);

/// The folder of a direction's schemas: `from_widget`, `to_widget`.
pub(crate) fn folder(api: Api) -> &'static str {
    match api {
        Api::FromWidget => "from_widget",
        Api::ToWidget => "to_widget",
    }
}

/// The definition names of one message kind: `FromWidgetSendEvent` + `Request`, ….
#[derive(Clone, Copy)]
pub(crate) struct Names {
    /// `FromWidgetSendEvent`, or `UnknownFromWidget` for the untyped action.
    pub(crate) base: &'static str,
    /// The file stem of the action under its direction's folder: `send_event`, `unknown`.
    pub(crate) file: &'static str,
}

/// `"send_event :: SendEvent"` (a stringified marker path) → `"send_event"`.
pub(crate) fn module_of(marker: &'static str) -> &'static str {
    marker.split("::").next().map(str::trim).unwrap_or(marker)
}

/// The `action` property of `A`'s messages: its spellings, with legacy spellings in a
/// definition of their own (spellings that differ only in punctuation would give two
/// code-generated enum variants the same name). For the untyped action: any name
/// that is not typed in this direction.
fn action_property<A: Action>(generator: &mut SchemaGenerator, names: Names, typed: &[ActionName]) -> Value {
    let (current, legacy) = spellings(&A::NAME);
    if current.is_empty() {
        let taken: Vec<&str> = typed.iter().flat_map(all_spellings).collect();
        return define(
            generator,
            &format!("{}ActionName", names.base),
            json!({
                "description": format!(
                    "An action without typed payloads in the {} direction (a vendor action such as `io.element.join`, or one this version does not type): any name but those.",
                    A::API
                ),
                "type": "string",
                "minLength": 1,
                "maxLength": max_id(),
                "not": { "enum": taken },
            }),
        );
    }
    let current = json!({ "type": "string", "enum": current });
    if legacy.is_empty() {
        return current;
    }
    let legacy = define(
        generator,
        &format!("{}LegacyActionName", names.base),
        json!({ "description": "Legacy spellings: accepted, never emitted unless echoed.", "type": "string", "enum": legacy }),
    );
    json!({ "oneOf": [current, legacy] })
}

/// The payload `T`'s schema as the definition `name`, so that payload types are named
/// after their action and message kind, and a reference to it.
fn payload<T: JsonSchema>(generator: &mut SchemaGenerator, name: &str) -> Value {
    let body = T::json_schema(generator).to_value();
    define(generator, name, body)
}

fn message(description: String, envelope: Value, properties: Value, required: &[&str]) -> Schema {
    let schema = json!({
        "description": description,
        "type": "object",
        "allOf": [envelope],
        "properties": properties,
        "required": required,
    });
    Schema::try_from(schema).unwrap_or_default()
}

/// A request of `A`: the whole message.
pub(crate) fn request_schema<A: Action>(generator: &mut SchemaGenerator, names: Names, typed: &[ActionName]) -> Schema
where
    A::RequestData: JsonSchema,
{
    let envelope = envelope(generator);
    let action = action_property::<A>(generator, names, typed);
    let data = payload::<A::RequestData>(generator, &format!("{}RequestData", names.base));
    message(
        format!("A {} {} request: the whole message.", A::API, action_phrase::<A>()),
        envelope,
        json!({
            "api": { "const": A::API.name_in(Spelling::Unstable) },
            "action": action,
            "data": data,
            "response": { "description": "A request has no `response` (`null` reads as absent).", "type": "null" },
        }),
        &["api", "action", "data"],
    )
}

/// A success reply to a request of `A`. An error reply is [`error_response_schema`];
/// the direction's reply union tells them apart.
pub(crate) fn response_schema<A: Action>(generator: &mut SchemaGenerator, names: Names, typed: &[ActionName]) -> Schema
where
    A::ResponseData: JsonSchema,
{
    let envelope = envelope(generator);
    let action = action_property::<A>(generator, names, typed);
    let data = echoed_data(generator);
    let response = payload::<A::ResponseData>(generator, &format!("{}ResponseData", names.base));
    message(
        format!(
            "A success reply to a {} {} request: the request echoed, plus `response`. \
             An error reply (`response.error`) has its own schema.",
            A::API,
            action_phrase::<A>()
        ),
        envelope,
        json!({ "api": { "const": A::API.name_in(Spelling::Unstable) }, "action": action, "data": data, "response": response }),
        &["api", "action", "data", "response"],
    )
}

/// An error reply to any request of the direction `api`.
pub(crate) fn error_response_schema(generator: &mut SchemaGenerator, api: Api) -> Schema {
    let envelope = envelope(generator);
    let data = echoed_data(generator);
    let error = generator.subschema_for::<ErrorResponseData>().to_value();
    message(
        format!("An error reply to a {api} request of any action: the request echoed, plus `response.error`."),
        envelope,
        json!({
            "api": { "const": api.name_in(Spelling::Unstable) },
            "action": { "description": "The request's action, echoed.", "type": "string", "minLength": 1, "maxLength": max_id() },
            "data": data,
            "response": error,
        }),
        &["api", "action", "data", "response"],
    )
}

/// "`send_event`", or a phrase for the untyped actions.
fn action_phrase<A: Action>() -> String {
    match all_spellings(&A::NAME).first() {
        Some(name) => format!("`{name}`"),
        None => "untyped (any action without typed payloads, data kept as is)".to_owned(),
    }
}

/// What `if` tests to pick a branch by action: `action` is one of `A`'s spellings.
pub(crate) fn action_test<A: Action>() -> Vec<&'static str> {
    all_spellings(&A::NAME)
}

/// `{"if": <action in spellings>, "then": <branch>, "else": …}`, nested, ending in
/// `fallback`: the first branch whose spellings contain `action` applies, else the
/// fallback. Ajv and other validators then only report the errors of that branch.
pub(crate) fn dispatch_by_action(branches: Vec<(Vec<&'static str>, Value)>, fallback: Value) -> Value {
    branches.into_iter().rev().fold(fallback, |otherwise, (spellings, then)| {
        json!({
            "if": { "properties": { "action": { "enum": spellings } }, "required": ["action"] },
            "then": then,
            "else": otherwise,
        })
    })
}

/// An object schema `{description, type: object, …branch}`.
fn union(description: &str, branch: Value) -> Schema {
    let mut schema = json!({ "description": description, "type": "object" });
    if let (Some(target), Value::Object(branch)) = (schema.as_object_mut(), branch) {
        target.extend(branch);
    }
    Schema::try_from(schema).unwrap_or_default()
}

/// A direction's requests: dispatched by `action`.
pub(crate) fn requests(description: &str, branches: Vec<(Vec<&'static str>, Value)>, unknown: Value) -> Schema {
    union(description, dispatch_by_action(branches, unknown))
}

/// A direction's replies: an error reply when `response.error` is an object with a
/// string `message` (as widget-api's `isErrorResponse` and `decode` decide), else the
/// success reply of the action.
pub(crate) fn responses(description: &str, error: Value, branches: Vec<(Vec<&'static str>, Value)>, unknown: Value) -> Schema {
    union(
        description,
        json!({
            "if": {
                "required": ["response"],
                "properties": { "response": {
                    "type": "object",
                    "required": ["error"],
                    "properties": { "error": { "type": "object", "required": ["message"], "properties": { "message": { "type": "string" } } } },
                } },
            },
            "then": error,
            "else": dispatch_by_action(branches, unknown),
        }),
    )
}

/// A direction's messages: a reply when `response` is present and not `null`.
pub(crate) fn messages(description: &str, responses: Value, requests: Value) -> Schema {
    union(
        description,
        json!({
            "if": { "required": ["response"], "properties": { "response": { "not": { "type": "null" } } } },
            "then": responses,
            "else": requests,
        }),
    )
}

/// Any message: dispatched by `api`.
pub(crate) fn any_message(description: &str, to_widget: Value, from_widget: Value) -> Schema {
    union(
        description,
        json!({
            "if": { "required": ["api"], "properties": { "api": { "const": Api::ToWidget.name_in(Spelling::Unstable) } } },
            "then": to_widget,
            "else": from_widget,
        }),
    )
}
