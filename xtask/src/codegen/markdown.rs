//! Rustdoc → plain Markdown for the `description`s of the published schemas.
//!
//! The schemas' descriptions come from the Rust types' doc comments, which are written for
//! rustdoc: intra-doc links (``[`Api`]``, ``[`ActionName::_Custom`]``, `[text](crate::path)`).
//! A reader of a schema (or of the TypeScript typings made from it) has no rustdoc, so:
//!
//! - ``[`Path::To::Item`]`` becomes `` `Item` `` (the last path segment, without `Self::`,
//!   `crate::` or a trailing `()`);
//! - `[text](target)` keeps its link only for URLs and anchors; a link to the crate's wire
//!   decisions points at `docs/wire-decisions.md` in the repository; any other rustdoc target
//!   leaves `text`;
//! - `[text][reference]` becomes `text`.
//!
//! [`check_descriptions`] then fails on anything rustdoc-only that is left.

use serde_json::Value;

use crate::util::{Error, Result};

/// The wire decisions, for links that rustdoc resolves to `crate::wire_decisions`.
const WIRE_DECISIONS: &str = concat!(env!("CARGO_PKG_REPOSITORY"), "/blob/main/docs/wire-decisions.md");

/// A copy of `schema` with every `description` converted by [`convert`].
pub(super) fn descriptions(schema: &Value) -> Value {
    match schema {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, value)| {
                    let value = match (key.as_str(), value) {
                        ("description", Value::String(text)) => Value::String(convert(text)),
                        // Data, not schemas: never rewritten.
                        ("const" | "enum" | "default" | "examples", value) => value.clone(),
                        (_, value) => descriptions(value),
                    };
                    (key.clone(), value)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(descriptions).collect()),
        other => other.clone(),
    }
}

/// Fails when a description in `schema` still holds rustdoc-only syntax.
pub(super) fn check_descriptions(file: &str, schema: &Value) -> Result<()> {
    let mut problems = Vec::new();
    walk(schema, &mut |text| {
        for marker in ["](crate::", "](super::", "](Self::", "[`"] {
            if text.contains(marker) {
                problems.push(format!("  {marker:?} in {:?}", text.lines().next().unwrap_or_default()));
            }
        }
    });
    if problems.is_empty() {
        return Ok(());
    }
    Err(Error::msg(format!(
        "{file}: descriptions still hold rustdoc syntax after conversion (reword the Rust doc comment):\n{}",
        problems.join("\n")
    )))
}

fn walk(schema: &Value, f: &mut impl FnMut(&str)) {
    match schema {
        Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("description", Value::String(text)) => f(text),
                    ("const" | "enum" | "default" | "examples", _) => {}
                    (_, value) => walk(value, f),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| walk(item, f)),
        _ => {}
    }
}

/// Converts one rustdoc paragraph set to plain Markdown (see the module docs).
fn convert(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find(']') else {
            out.push_str(&rest[open..]);
            return out;
        };
        let label = &after[..close];
        let tail = &after[close + 1..];
        if let Some(target_and_rest) = tail.strip_prefix('(')
            && let Some(end) = target_and_rest.find(')')
        {
            let target = &target_and_rest[..end];
            out.push_str(&link(label, target));
            rest = &target_and_rest[end + 1..];
        } else if let Some(reference_and_rest) = tail.strip_prefix('[')
            && let Some(end) = reference_and_rest.find(']')
        {
            out.push_str(&plain_label(label));
            rest = &reference_and_rest[end + 1..];
        } else if label.starts_with('`') && label.ends_with('`') && label.len() >= 2 {
            out.push_str(&plain_label(label));
            rest = tail;
        } else {
            out.push('[');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

fn link(label: &str, target: &str) -> String {
    let is_url = ["http://", "https://", "mailto:", "#"].iter().any(|scheme| target.starts_with(scheme));
    if is_url {
        format!("[{label}]({target})")
    } else if target.trim_end_matches("()").ends_with("wire_decisions") {
        format!("[{}]({WIRE_DECISIONS})", plain_label(label))
    } else {
        plain_label(label)
    }
}

/// `` `crate::a::B::c()` `` → `` `c` ``; any other label is kept.
fn plain_label(label: &str) -> String {
    match label.strip_prefix('`').and_then(|inner| inner.strip_suffix('`')) {
        Some(code) => {
            let code = code.trim_end_matches("()");
            let last = code.rsplit("::").next().unwrap_or(code);
            format!("`{last}`")
        }
        None => label.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn intra_doc_links_become_code_or_text() {
        assert_eq!(convert("the envelope's [`Api`] says which"), "the envelope's `Api` says which");
        assert_eq!(convert("kept in [`ActionName::Other`]."), "kept in `Other`.");
        assert_eq!(convert("by [`SendEventRequestData::validate()`] for"), "by `validate` for");
        assert_eq!(convert("see [the docs](crate::decode) here"), "see the docs here");
        assert_eq!(convert("([wire decision 4](crate::wire_decisions))"), format!("([wire decision 4]({WIRE_DECISIONS}))"));
        assert_eq!(convert("[`X`][crate::x]"), "`X`");
        assert_eq!(convert("a [real link](https://example.org) stays"), "a [real link](https://example.org) stays");
        assert_eq!(convert("an array [1, 2] stays"), "an array [1, 2] stays");
        assert_eq!(convert("unclosed [ bracket"), "unclosed [ bracket");
    }

    #[test]
    fn only_descriptions_are_rewritten_and_leftovers_are_reported() {
        let schema = json!({"description": "[`A`]", "enum": ["[`A`]"], "properties": {"x": {"description": "[`B::c`] y"}}});
        assert_eq!(descriptions(&schema), json!({"description": "`A`", "enum": ["[`A`]"], "properties": {"x": {"description": "`c` y"}}}));
        let err = check_descriptions("a.schema.json", &json!({"description": "left [`over"})).expect_err("leftover");
        assert!(err.to_string().contains("a.schema.json"), "{err}");
        check_descriptions("a.schema.json", &json!({"description": "fine", "enum": ["[`A`]"]})).expect("data is not checked");
    }
}
