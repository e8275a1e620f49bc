//! Error texts for people: serde's messages rewritten as plain sentences that name the
//! field and quote (a bounded prefix of) the value, without parser positions except where
//! they help (JSON that does not parse).

use serde_json::error::Category;

/// The longest quoted value in a message, in characters.
pub(crate) const QUOTE_LIMIT: usize = 40;

/// `error` as a sentence. `skip_data` drops a leading `data` from the field path (request
/// errors are all inside `data`, and the reply already says "Invalid request").
pub(crate) fn sentence(error: &serde_json::Error, skip_data: bool) -> String {
    let text = error.to_string();
    match error.classify() {
        // Where the JSON breaks, the position is the most useful part.
        Category::Syntax | Category::Eof | Category::Io => bounded(&text),
        Category::Data => rewrite(crate::payload::strip_position(&text), skip_data),
    }
}

/// Rewrites one serde message: `invalid `data`: invalid `delay`: invalid type: string "x",
/// expected …` becomes `` `delay`: expected …, found "x" ``.
pub(crate) fn rewrite(message: &str, skip_data: bool) -> String {
    let mut path: Vec<&str> = Vec::new();
    let mut rest = message;
    while let Some(after) = rest.strip_prefix("invalid `")
        && let Some(end) = after.find("`: ")
    {
        path.push(after.get(..end).unwrap_or_default());
        rest = after.get(end + 3..).unwrap_or_default();
    }
    // `missing field `x`` and `duplicate field `x`` name a field inside the path.
    for (prefix, verb) in [("missing field `", "is missing"), ("duplicate field `", "appears twice")] {
        if let Some(field) = rest.strip_prefix(prefix).and_then(|r| r.strip_suffix('`')) {
            path.push(field);
            if skip_data && path.first() == Some(&"data") {
                path.remove(0);
            }
            return format!("`{}` {verb}", bounded_path(&path));
        }
    }
    // Drop `data` when something more precise follows: a field inside it, or a rule that
    // names its fields itself ("`type` must not be empty").
    if skip_data && path.first() == Some(&"data") && (path.len() > 1 || rest.starts_with('`')) {
        path.remove(0);
    }
    // serde's "invalid type: X, expected Y" may follow a context of the payload's own
    // ("user ID `@a:b`: invalid type: …").
    // Only outside quotes: a peer's own value may contain the same words.
    let (context, tail) = match unquoted_find(rest, "invalid type: ").or_else(|| unquoted_find(rest, "invalid value: ")) {
        Some(i) => rest.split_at(i),
        None => ("", rest),
    };
    let body = if let Some(found_expected) = tail.strip_prefix("invalid type: ").or_else(|| tail.strip_prefix("invalid value: ")) {
        match split_expected(found_expected) {
            Some((found, expected)) => format!("{}expected {}, found {}", bounded(context), expected_phrase(expected), found_phrase(found)),
            None => bounded(rest),
        }
    } else {
        bounded(rest)
    };
    match path.as_slice() {
        [] => body,
        _ if body.starts_with("out of range") => format!("`{}` is {body}", bounded_path(&path)),
        _ => format!("`{}`: {body}", bounded_path(&path)),
    }
}

/// The first `needle` in `s` that is not inside a double-quoted string.
fn unquoted_find(s: &str, needle: &str) -> Option<usize> {
    let mut in_quote = false;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        if in_quote {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_quote = false,
                _ => {}
            }
        } else if c == '"' {
            in_quote = true;
        } else if s.get(i..).is_some_and(|rest| rest.starts_with(needle)) {
            return Some(i);
        }
    }
    None
}

/// The dotted path, each segment cut to [`QUOTE_LIMIT`] characters (keys are the peer's).
fn bounded_path(path: &[&str]) -> String {
    path.iter().map(|segment| crate::payload::abbreviate(segment)).collect::<Vec<_>>().join(".")
}

/// `string "x", expected a y` → (`string "x"`, `a y`). The found part may itself contain
/// `, expected` inside a quoted string, so split at the last occurrence.
fn split_expected(s: &str) -> Option<(&str, &str)> {
    let i = s.rfind(", expected ")?;
    Some((&s[..i], &s[i + ", expected ".len()..]))
}

fn found_phrase(found: &str) -> String {
    for (serde, plain) in [("sequence", "an array"), ("map", "an object"), ("unit value", "null"), ("null", "null")] {
        if found == serde {
            return plain.to_owned();
        }
    }
    for prefix in ["integer ", "floating point ", "boolean ", "unsigned integer ", "signed integer "] {
        if let Some(v) = found.strip_prefix(prefix) {
            return bounded(v.trim_matches('`'));
        }
    }
    if let Some(v) = found.strip_prefix("string ") {
        return bounded(v);
    }
    bounded(found)
}

fn expected_phrase(expected: &str) -> String {
    if expected == "a sequence" {
        return "an array".to_owned();
    }
    // The payload derive's `a `Name` JSON object`: the Rust type name means nothing on the wire.
    if expected.starts_with("a `") && expected.ends_with("` JSON object") {
        return "an object".to_owned();
    }
    expected.replace("a sequence", "an array")
}

/// `s` with every run of more than [`QUOTE_LIMIT`] characters between double quotes cut to
/// that many, followed by `…`, and the whole message bounded too.
pub(crate) fn bounded(s: &str) -> String {
    let mut out = String::with_capacity(s.len().min(512));
    let mut in_quote = false;
    let mut run = 0usize;
    let mut escaped = false;
    for c in s.chars() {
        if out.len() > 400 {
            out.push('…');
            break;
        }
        if in_quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_quote = false;
                out.push(c);
                continue;
            }
            run += 1;
            if run <= QUOTE_LIMIT {
                out.push(c);
            } else if run == QUOTE_LIMIT + 1 {
                out.push('…');
            }
            continue;
        }
        if c == '"' {
            in_quote = true;
            run = 0;
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_serde_messages() {
        assert_eq!(
            rewrite("invalid `data`: invalid `delay`: invalid type: string \"abc\", expected a delay", true),
            "`delay`: expected a delay, found \"abc\""
        );
        assert_eq!(rewrite("invalid `data`: missing field `type`", true), "`type` is missing");
        assert_eq!(rewrite("invalid `data`: duplicate field `type`", false), "`data.type` appears twice");
        assert_eq!(
            rewrite("invalid `data`: invalid type: sequence, expected a `SendEventRequestData` JSON object", false),
            "`data`: expected an object, found an array"
        );
        assert_eq!(
            rewrite("invalid `data`: invalid `delay`: out of range: 0 is not an integer", true),
            "`delay` is out of range: 0 is not an integer"
        );
        assert_eq!(
            rewrite("invalid `requested`: invalid type: integer `1`, expected a capability name (a string)", false),
            "`requested`: expected a capability name (a string), found 1"
        );
    }

    #[test]
    fn a_peers_value_cannot_pass_for_serdes_words() {
        let message = "invalid `action`: unknown action \"invalid value: x, expected y\", expected one of \"cancel\"";
        assert_eq!(rewrite(message, true), "`action`: unknown action \"invalid value: x, expected y\", expected one of \"cancel\"");
    }

    #[test]
    fn quotes_are_bounded() {
        let long = format!("invalid type: string \"{}\", expected a delay", "x".repeat(1_000_000));
        let out = rewrite(&long, false);
        assert!(out.len() < 200, "{}", out.len());
        assert!(out.contains(&format!("\"{}…\"", "x".repeat(QUOTE_LIMIT))), "{out}");
    }
}
