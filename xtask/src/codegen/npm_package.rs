//! `schemas/` as an npm package: the generated `package.json` and README.
//!
//! Knows nothing of schemas or TypeScript: the caller hands it the file names and the
//! README's index rows.
//!
//! The package holds the JSON files, their typings and the runtime (`index.js`, with its
//! `index.d.ts`), which is the package's entry point. Its version is
//! the `matrix-widget-api` crate's, so a schema and the Rust decoder that agrees with it are
//! released together.

use serde_json::Value;

use crate::util::PREAMBLE;

/// The package's name on npm.
const NAME: &str = "@matrix-widget-api-rs/schemas";

/// What varies between runs of the generator.
#[derive(Debug, Clone)]
pub(super) struct Package {
    /// The version of the `matrix-widget-api` crate.
    pub(super) version: String,
}

/// A difference from matrix-widget-api 1.19's exported interfaces, decided on purpose.
/// `tests/npm/types/assignability.ts` refers to each by its `id`; a test keeps both in sync.
struct Deviation {
    /// `D1`, `D2`, …
    id: &'static str,
    /// Which types.
    what: &'static str,
    /// The difference and why.
    why: &'static str,
}

/// Every deviation the assignability checks allow.
const DEVIATIONS: &[Deviation] = &[
    Deviation {
        id: "D1",
        what: "every optional field",
        why: "Also accept `null`: the decoder and the schemas read `null` as absent (widget-api 1.19 itself sends \
              `\"delay\": null`), so a validated message can hold `null` there. Our types are compared with `null` removed.",
    },
    Deviation {
        id: "D2",
        what: "fromWidget `send_event` request `content`",
        why: "A JSON object (`{ [key: string]: unknown }`), not `unknown`: event content is an object, and the decoder rejects anything else.",
    },
    Deviation {
        id: "D3",
        what: "fromWidget `send_event` response",
        why: "`room_id` is optional (matrix-rust-sdk omits it; it is always emitted), and exactly one of `event_id` \
              (sent now) and `delay_id` (scheduled) is present, where widget-api types both as optional.",
    },
    Deviation {
        id: "D4",
        what: "fromWidget `update_delayed_event` request `action`",
        why: "A string-literal union that also accepts the legacy `refresh` (MSC4157's text; an alias of `restart`), \
              not widget-api's TypeScript `enum UpdateDelayedEventAction`, which plain strings are not assignable to.",
    },
    Deviation {
        id: "D5",
        what: "every field widget-api types with a TypeScript `enum` (OpenID states, modal button kinds, widget types, …)",
        why: "A string-literal union of the same values: JSON carries strings, and a TypeScript `enum` type accepts only its own \
              members, so the two are compared by the enum's values.",
    },
    Deviation {
        id: "D6",
        what: "free-form JSON objects that widget-api types as `object` (to-device message contents, …)",
        why: "`{ [key: string]: unknown }`: the same values, but indexable without a cast; TypeScript does not let a bare \
              `object` be assigned to it, so the two are compared as equal.",
    },
    Deviation {
        id: "D7",
        what: "fromWidget `read_events` request `state_key`",
        why: "A string or `true` (any state key); `false` is refused: widget-api's host reads it as the state key \
              `\"false\"`, and its widget side never sends it.",
    },
    Deviation {
        id: "D8",
        what: "room events (`read_events`, `read_relations`, toWidget `send_event`, `update_state`) `unsigned`",
        why: "Optional on input, since a Matrix event may lack it; always emitted (as `{}` when empty), as widget-api's \
              `IRoomEvent` requires. Compared as emitted.",
    },
    Deviation {
        id: "D9",
        what: "fromWidget `request_capabilities` request `capabilities`",
        why: "Optional on input (widget-api's host reads a missing list as empty, and so does the decoder); always emitted. \
              Compared as emitted.",
    },
    Deviation {
        id: "D10",
        what: "`upload_file` request `file`, `download_file` response `file`, toWidget `screenshot` response `screenshot`",
        why: "Any JSON value but `null` (`Transferable`): in a browser these are structured-clone values (a `Blob`, an \
              `ArrayBuffer`), typed by widget-api as `XMLHttpRequestBodyInit` or `Blob`; a JSON peer sees what \
              `JSON.stringify` made of them (`{}` for a `Blob`). Not compared.",
    },
    Deviation {
        id: "D11",
        what: "toWidget `openid_credentials` request `state`",
        why: "`allowed` or `blocked`: this message is the final answer to a `get_openid` that was answered `request`; \
              widget-api types it with its three-state enum, but never sends `request` here.",
    },
];

/// Where the package's files are, relative to its root.
pub(super) struct Layout<'a> {
    /// Every schema file.
    pub(super) schema_files: &'a [&'a str],
    /// The typings generated from the schemas.
    pub(super) typings: &'a str,
    /// The runtime (an ES module).
    pub(super) runtime: &'a str,
    /// The runtime's declarations, which re-export the typings.
    pub(super) runtime_types: &'a str,
}

/// `schemas/package.json`: the runtime is the package's entry point (`import` and `types`),
/// and every schema file is exported under its own path.
pub(super) fn manifest(package: &Package, layout: &Layout<'_>) -> String {
    let string = |text: &str| Value::from(text).to_string();
    let mut folders: Vec<&str> = layout.schema_files.iter().filter_map(|file| file.split_once('/').map(|(folder, _)| folder)).collect();
    folders.dedup();
    let mut files: Vec<String> = vec![string("*.schema.json")];
    files.extend(folders.iter().map(|folder| string(&format!("{folder}/*.schema.json"))));
    files.extend([layout.typings, layout.runtime, layout.runtime_types].map(string));
    let mut exports = vec![format!(
        "    \".\": {{\n      \"types\": {},\n      \"import\": {},\n      \"default\": {}\n    }}",
        string(&format!("./{}", layout.runtime_types)),
        string(&format!("./{}", layout.runtime)),
        string(&format!("./{}", layout.runtime)),
    )];
    exports
        .extend(layout.schema_files.iter().map(|file| format!("    {}: {}", string(&format!("./{file}")), string(&format!("./{file}")))));
    exports.push(format!("    {}: {}", string(&format!("./{}", layout.typings)), string(&format!("./{}", layout.typings))));
    exports.push(format!("    {}: {}", string("./package.json"), string("./package.json")));
    format!(
        "{{\n  \"name\": {name},\n  \"version\": {version},\n  \"description\": {description},\n  \"license\": \"Apache-2.0\",\n  \
         \"repository\": {{\n    \"type\": \"git\",\n    \"url\": {repository},\n    \"directory\": \"schemas\"\n  }},\n  \
         \"keywords\": [\"matrix\", \"widget\", \"json-schema\", \"typescript\"],\n  \"type\": \"module\",\n  \"engines\": {{\n    \"node\": \">=20\"\n  }},\n  \
         \"types\": {types},\n  \"exports\": {{\n{exports}\n  }},\n  \"files\": [{files}],\n  \"sideEffects\": false\n}}\n",
        name = string(NAME),
        version = string(&package.version),
        description = string(&format!(
            "JSON Schemas (draft 2020-12), TypeScript typings, canonical names and precompiled validators for the Matrix Widget API, generated from the Rust crate matrix-widget-api. {PREAMBLE}"
        )),
        repository = string(&format!("git+{}.git", env!("CARGO_PKG_REPOSITORY"))),
        types = string(&format!("./{}", layout.runtime_types)),
        exports = exports.join(",\n"),
        files = files.join(", "),
    )
}

/// `schemas/package-lock.json`: the package has no dependencies, so its lock holds only
/// the package itself, exactly as `npm install --package-lock-only` writes it. With it, `npm
/// ci` in `schemas/` installs reproducibly (nothing), like every other npm project here.
pub(super) fn lockfile(package: &Package) -> String {
    let (name, version) = (Value::from(NAME).to_string(), Value::from(package.version.as_str()).to_string());
    [
        "{".to_owned(),
        format!("  \"name\": {name},"),
        format!("  \"version\": {version},"),
        "  \"lockfileVersion\": 3,".to_owned(),
        "  \"requires\": true,".to_owned(),
        "  \"packages\": {".to_owned(),
        "    \"\": {".to_owned(),
        format!("      \"name\": {name},"),
        format!("      \"version\": {version},"),
        "      \"license\": \"Apache-2.0\",".to_owned(),
        "      \"engines\": {".to_owned(),
        "        \"node\": \">=20\"".to_owned(),
        "      }".to_owned(),
        "    }".to_owned(),
        "  }".to_owned(),
        "}\n".to_owned(),
    ]
    .join("\n")
}

/// One row of the README's file index.
pub(super) struct IndexEntry<'a> {
    /// The schema file, relative to the package root.
    pub(super) file: &'a str,
    /// The TypeScript name of its root type.
    pub(super) type_name: &'a str,
    /// The root schema's description, if it has one.
    pub(super) description: Option<&'a str>,
}

/// `schemas/README.md`: how to use the package, then an index of the schema files.
pub(super) fn readme(package: &Package, layout: &Layout<'_>, index: &[IndexEntry<'_>]) -> String {
    let mut out = readme_intro(package, layout.typings);
    if index.is_empty() {
        return out;
    }
    out.push_str("\n| Schema | TypeScript type | Description |\n| --- | --- | --- |\n");
    for entry in index {
        let summary = entry.description.map(first_sentence).unwrap_or_default().replace('|', "\\|");
        out.push_str(&format!("| [`{file}`]({file}) | `{ty}` | {summary} |\n", file = entry.file, ty = entry.type_name));
    }
    out
}

/// The first paragraph of a description, on one line.
fn first_sentence(description: &str) -> String {
    description.split("\n\n").next().unwrap_or_default().split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The part of the README before the file index.
fn readme_intro(package: &Package, typings: &str) -> String {
    let deviations: String = DEVIATIONS.iter().map(|d| format!("| {} | {} | {} |\n", d.id, d.what, d.why)).collect();
    format!(
        r#"<!-- {PREAMBLE} -->

# {NAME}

JSON Schemas (draft 2020-12) and TypeScript typings for the [Matrix Widget API](https://github.com/matrix-org/matrix-spec-proposals/pull/2764)
(the `postMessage` protocol between a Matrix client and the widgets it embeds). Everything here
is generated from the Rust types of the `matrix-widget-api` crate {version}, which decodes
exactly what these schemas accept: the project's tests feed every fixture and every invalid
example to both and require the same verdict.

```sh
npm install {NAME}
```

The package's entry point is a small ES module with no dependencies and no Node.js-only
imports (it runs in Node.js >= 20 and in a browser bundle): canonical names, precompiled
validators and readable problems, all generated from the same Rust tables.

## Validate

```js
import {{ isMessage, problem, validators }} from "{NAME}";

const message = JSON.parse(event.data);
if (!isMessage(message)) {{
  // One problem, at one field, worded like the Rust decoder:
  // {{ pointer: "/data/delay", path: "data.delay",
  //   message: "`data.delay` is out of range: 0 is not an integer from 1 to 9007199254740991" }}
  console.warn(problem(message).message);
}}
validators.FromWidgetSendEventRequest(message); // one validator per schema file, by type name
```

The validators are compiled from the schemas when the package is generated, so nothing is
compiled at start-up; each is a TypeScript type guard (`value is Message`) with a
`problem(value)` that returns the one problem (or `null`), not a report of every branch of
the schemas' unions.

## Canonical names

An action, capability or API version can arrive in several spellings (stable, unstable,
legacy). `actionOf`, `capabilityOf` and `versionOf` map any of them to one label, the stable
spelling (`undefined` for a name this version does not know):

```ts
import {{ actionOf, actions, capabilityOf, isAction, withAction }} from "{NAME}";
import type {{ FromWidgetRequest }} from "{NAME}";

function onRequest(request: FromWidgetRequest) {{
  switch (actionOf(request.action)) {{
    case "update_delayed_event": // also `org.matrix.msc4157.update_delayed_event` and the legacy `org.matrix.msc4157.update.delayed_event`
      break;
    case undefined: // an action this version does not know
      break;
  }}
  if (isAction(request, "update_delayed_event")) {{
    request.data.delay_id; // narrowed to that action's request, in every spelling
  }}
  const {{ action, message }} = withAction(request);
  switch (action) {{
    case "send_event":
      message.data.type; // `withAction`: the switch narrows the message too
      break;
  }}
}}

capabilityOf("org.matrix.msc2762.send.event:m.room.message"); // "m.send.event:m.room.message"
actions.update_delayed_event.legacy; // ["org.matrix.msc4157.update.delayed_event"]
```

The labels are a string-literal union (`ActionLabel`, `CapabilityLabel`, `VersionLabel`), so
a `case` with an unstable spelling is a type error, and `actionOf` of a literal spelling has
its label's literal type.

## Validate with Ajv

The schemas work with any draft 2020-12 validator. With Ajv, use its 2020 build:

```js
import Ajv2020 from "ajv/dist/2020.js";
import {{ createRequire }} from "node:module";

const require = createRequire(import.meta.url);
const ajv = new Ajv2020();
const validate = ajv.compile(require("{NAME}/message.schema.json"));

const message = JSON.parse(event.data);
if (!validate(message)) {{
  // With default options the first error names the field that is wrong, e.g.
  // {{ instancePath: "/data/delay", message: "must be integer" }}.
  console.warn(validate.errors[0]);
}}
```

`message.schema.json` accepts any message: a request in either direction, a success reply or an
error reply. It dispatches on `api`, on whether there is a `response`, on `response.error` and
on `action` with `if`/`then`/`else`, so a validator only checks the branch that applies.
`from_widget.schema.json` and `to_widget.schema.json` accept one direction; the files under
`from_widget/` and `to_widget/` are one message kind each (`send_event.request`,
`send_event.response` for the success reply, `error.response` for the error reply to any
request, `unknown.request` for actions without typed payloads). Every file is self-contained
(its own `$defs`) and has a stable `$id`.

What JSON Schema cannot see, and the Rust decoder rejects: a key that appears twice in the
envelope or in a typed payload (`JSON.parse` keeps the last one, and a schema only ever sees
the parsed value), strings with lone surrogates (`\ud800`), which are not valid Unicode, and
messages over the decoder's resource limits (`Limits`; by default 16 MiB, nesting depth 64,
1 MiB per string, 100 000 members per container, 255 bytes per ID). The package's validators
see the parsed value too, so the same holds for them. Validate the text with the Rust decoder
where these matter.

## TypeScript

```ts
import type {{ FromWidgetRequest, FromWidgetResponse, Message }} from "{NAME}";

function onRequest(request: FromWidgetRequest) {{
  if (request.action === "send_event") {{
    request.data.delay; // number | null | undefined
  }}
}}

function onReply(reply: FromWidgetResponse) {{
  if (reply.action === "send_event") {{
    if ("error" in reply.response) {{
      reply.response.error.message;
    }} else {{
      reply.response.delay_id;
    }}
  }}
}}
```

`{typings}` declares, for each direction, a union of every request (`FromWidgetRequest`), every
reply (`FromWidgetResponse`) and both (`FromWidgetMessage`), discriminated by `action`; `Message`
is any message. Each action has its request (`FromWidgetSendEventRequest`), its success reply
(`FromWidgetSendEventResponse`) and their payloads, named after it
(`FromWidgetSendEventRequestData`, `FromWidgetSendEventResponseData`); an error reply is
`FromWidgetErrorResponse`, whose `response` has `error`, which no success payload declares, so
`"error" in reply.response` tells them apart. Names are string-literal unions and
parameterised capabilities template literal types (`` `m.send.event:${{string}}` ``).

Choices worth knowing:

- **Unknown actions are typed apart.** `UnknownFromWidgetRequest` (an action this version does
  not type, such as `io.element.join`) has `action: UnknownFromWidgetActionName`, a branded
  `String`, so comparing `action` with a known name narrows the union. (A branded `string`
  would not: TypeScript considers `string & {{…}}` comparable to every string literal.) Read it
  as `String(m.action)`; build one with a cast.
- **Optional fields are `field?: T | null`.** The decoder and the schemas read `null` as absent,
  and widget-api sends `null` (`"delay": null`), so a validated message may hold it.
- **No index signatures on known payloads.** A misspelled field (`dealy: 8000`) is a type error;
  the schemas still accept unknown fields, which the Rust types keep. Payloads of actions this
  version does not type yet are `{{ [key: string]: unknown }}`.
- A request's `response?: null`: `null` is accepted there; test `m.response` (not
  `"response" in m`) to tell a reply from a request.

## Differences from matrix-widget-api 1.19's interfaces

The project's CI checks, for every action, that these typings and the interfaces exported by
`matrix-widget-api` 1.19 (`ISendEventFromWidgetRequestData`, …) are assignable to each other,
except for these differences, decided on purpose:

| | Types | Difference and reason |
| --- | --- | --- |
{deviations}
## Files
"#,
        version = package.version,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util::project_root;

    fn read(path: &str) -> String {
        std::fs::read_to_string(project_root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// The README lists exactly the deviations the assignability checks use.
    #[test]
    fn deviations_match_the_assignability_checks() {
        let checks = read("tests/npm/types/assignability.ts");
        let used: std::collections::BTreeSet<String> = checks
            .split(|ch: char| !ch.is_ascii_alphanumeric())
            .filter(|word| word.len() >= 2 && word.starts_with('D') && word[1..].chars().all(|ch| ch.is_ascii_digit()))
            .map(str::to_owned)
            .collect();
        let listed: std::collections::BTreeSet<String> = DEVIATIONS.iter().map(|d| d.id.to_owned()).collect();
        assert_eq!(used, listed, "deviation ids in tests/npm/types/assignability.ts vs DEVIATIONS");
    }

    /// Every payload type of the typings has a row in the assignability table, so that an
    /// action typed later is compared with matrix-widget-api's interface.
    #[test]
    fn every_payload_type_is_in_the_assignability_table() {
        let typings = read("schemas/widget-api.d.ts");
        let checks = read("tests/npm/types/assignability.ts");
        let missing: Vec<&str> = typings
            .lines()
            .filter_map(|line| line.strip_prefix("export type ").or_else(|| line.strip_prefix("export interface ")))
            .filter_map(|rest| rest.split([' ', '<']).next())
            .filter(|name| (name.ends_with("RequestData") || name.ends_with("ResponseData")) && !name.starts_with("Unknown"))
            .filter(|name| !checks.contains(&format!("<{name}")))
            .collect();
        assert!(missing.is_empty(), "add rows for these to tests/npm/types/assignability.ts: {missing:?}");
    }
}
