//! Checks on a parsed `#[derive(WireName)]` enum. Every problem is recorded with the span of
//! the offending literal or attribute.

use super::ast::Enum;
use super::attr::Names;
use crate::ctxt::Ctxt;
use syn::Fields;

/// Records every problem with the enum's table in `cx`.
pub(crate) fn check(cx: &mut Ctxt, input: &Enum) {
    check_fields(cx, input);
    check_other(cx, input);
    check_spellings(cx, input);
}

/// Exact names are unit variants; `prefix` and `other` variants have one unnamed field.
fn check_fields(cx: &mut Ctxt, input: &Enum) {
    for v in &input.variants {
        let (wants_field, what) = match &v.names {
            Names::Exact(_) => {
                (false, "a variant with an exact name must be a unit variant (no fields); a parameterised name needs `prefix`")
            }
            Names::Prefix(_) => (true, "a `prefix` variant must have exactly one unnamed field: the parameter"),
            Names::Other(_) => (true, "the #[wire(other)] variant must have exactly one unnamed field, e.g. `Other(CustomName)`"),
        };
        let ok = if wants_field { v.field.is_some() } else { matches!(v.fields, Fields::Unit) };
        if !ok {
            if matches!(v.fields, Fields::Unit) {
                cx.error_spanned_by(v.ident, what);
            } else {
                cx.syn_error(syn::Error::new(v.fields_span, what));
            }
        }
    }
}

/// At most one `#[wire(other)]` catch-all.
fn check_other(cx: &mut Ctxt, input: &Enum) {
    let mut others = input.variants.iter().filter_map(|v| match &v.names {
        Names::Other(kw) => Some(kw),
        _ => None,
    });
    others.next();
    for kw in others {
        cx.error_spanned_by(kw, "only one #[wire(other)] catch-all variant is allowed");
    }
}

/// No empty names, no spelling used twice, and no exact spelling or prefix that another
/// prefix would also match: the tables must be unambiguous to be auditable.
fn check_spellings(cx: &mut Ctxt, input: &Enum) {
    let mut seen: Vec<(String, &syn::Ident)> = Vec::new();
    for v in &input.variants {
        for lit in v.spellings() {
            let value = lit.value();
            if value.is_empty() {
                cx.error_spanned_by(lit, "a name must not be empty");
                continue;
            }
            if let Some((_, owner)) = seen.iter().find(|(s, _)| *s == value) {
                let message = if *owner == v.ident {
                    format!("duplicate spelling \"{value}\": already a spelling of this variant")
                } else {
                    format!("duplicate spelling \"{value}\": already used by variant `{owner}`")
                };
                cx.error_spanned_by(lit, message);
                continue;
            }
            seen.push((value.clone(), v.ident));
        }
    }
    // Overlaps between a prefix and any other spelling.
    for v in &input.variants {
        let Names::Prefix(p) = &v.names else { continue };
        for prefix_lit in p.all() {
            let prefix = prefix_lit.value();
            for w in &input.variants {
                for lit in w.spellings() {
                    let value = lit.value();
                    if std::ptr::eq(lit, prefix_lit) || value == prefix || !value.starts_with(&prefix) {
                        continue;
                    }
                    let kind = if matches!(w.names, Names::Prefix(_)) { "prefix" } else { "spelling" };
                    cx.error_spanned_by(
                        lit,
                        format!(
                            "{kind} \"{value}\" of variant `{}` starts with the prefix \"{prefix}\" of variant `{}`, so parsing would be ambiguous",
                            w.ident, v.ident
                        ),
                    );
                }
            }
        }
    }
}
