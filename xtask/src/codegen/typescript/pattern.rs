//! `pattern` → TypeScript literal types, for the patterns that are a literal prefix.
//!
//! A capability or name family is published as an anchored literal prefix
//! (`^m\.send\.event:`), or a group of them; TypeScript can say "a string starting with
//! this" as a template literal type. Any other pattern is left to the caller, which falls back
//! to `string`.

use serde_json::Value;

/// The literal types a pattern's strings have, as TypeScript source, for the caller to unite:
/// `^m\.send\.event:` → `` `m.send.event:${string}` ``; `^(?:a\.b:|c\.d:)` → two template
/// literals; `^a\.b$` → `"a.b"`. Anything that is not a literal prefix yields `None`.
pub(super) fn literal_types(pattern: &str) -> Option<Vec<String>> {
    let after_anchor = pattern.strip_prefix('^')?;
    let (alternatives, rest) = match after_anchor.strip_prefix("(?:").or_else(|| after_anchor.strip_prefix('(')) {
        Some(mut group) => {
            let mut alternatives = Vec::new();
            loop {
                let (literal, after) = literal_prefix(group);
                alternatives.push(literal);
                if let Some(next) = after.strip_prefix('|') {
                    group = next;
                } else if let Some(next) = after.strip_prefix(')') {
                    group = next;
                    break;
                } else {
                    return None;
                }
            }
            if group.starts_with(['?', '*', '+', '{']) {
                return None;
            }
            (alternatives, group)
        }
        None => {
            let (literal, after) = literal_prefix(after_anchor);
            (vec![literal], after)
        }
    };

    if rest == "$" {
        Some(alternatives.iter().map(|literal| Value::from(literal.as_str()).to_string()).collect())
    } else {
        // Whatever follows the prefix only narrows the set further, unless it starts a new
        // top-level alternative, which we do not try to parse.
        if rest.contains('|') || alternatives.iter().any(String::is_empty) {
            return None;
        }
        Some(alternatives.iter().map(|literal| format!("`{}${{string}}`", escape_template(literal))).collect())
    }
}

/// Splits `s` into its longest literal prefix (unescaped) and the rest of the pattern.
/// A quantifier after the last literal atom makes that atom optional, so it goes back to the rest.
fn literal_prefix(s: &str) -> (String, &str) {
    let mut atoms: Vec<(usize, char)> = Vec::new();
    let mut iter = s.char_indices().peekable();
    let mut end = s.len();
    while let Some((at, ch)) = iter.next() {
        if ch == '\\' {
            match iter.peek() {
                Some(&(_, escaped)) if !escaped.is_ascii_alphanumeric() => {
                    atoms.push((at, escaped));
                    iter.next();
                }
                _ => {
                    end = at;
                    break;
                }
            }
        } else if ".^$|?*+()[]{}".contains(ch) {
            end = at;
            break;
        } else {
            atoms.push((at, ch));
        }
    }
    let mut rest = &s[end..];
    if rest.starts_with(['?', '*', '+', '{'])
        && let Some((at, _)) = atoms.pop()
    {
        rest = &s[at..];
    }
    (atoms.into_iter().map(|(_, ch)| ch).collect(), rest)
}

fn escape_template(literal: &str) -> String {
    let mut out = String::with_capacity(literal.len());
    for ch in literal.chars() {
        match ch {
            '`' | '\\' | '$' => {
                out.push('\\');
                out.push(ch);
            }
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            ch if ch.is_control() => out.push_str(&format!("\\u{{{:x}}}", u32::from(ch))),
            ch => out.push(ch),
        }
    }
    out
}
