//! Checks on a parsed `#[derive(Payload)]` struct.

use super::ast::{Presence, Struct};
use crate::ctxt::Ctxt;

/// Records in `cx` every problem with the fields: a second `extra`, `extra` with another
/// key, `default` on an `Option`, and empty or duplicate JSON keys.
pub(crate) fn check(cx: &mut Ctxt, input: &Struct) {
    let mut extras = input.fields.iter().filter_map(|f| f.extra.as_ref());
    extras.next();
    for extra in extras {
        cx.error_spanned_by(extra, "only one field can be #[wire(extra)]");
    }
    let mut keys: Vec<(&str, &syn::Ident)> = Vec::new();
    for f in &input.fields {
        if let Some(extra) = &f.extra {
            if f.rename.is_some() || f.default_flag.is_some() {
                cx.error_spanned_by(extra, "#[wire(extra)] cannot be combined with `rename` or `default`");
            }
            continue;
        }
        if let (Some(flag), Presence::Optional) = (&f.default_flag, f.presence) {
            cx.error_spanned_by(flag, "`default` is redundant on an `Option` field: absent and null already read as `None`");
        }
        if f.key.is_empty() {
            match &f.rename {
                Some(lit) => cx.error_spanned_by(lit, "a JSON key must not be empty"),
                None => cx.error_spanned_by(f.ident, "a JSON key must not be empty"),
            }
            continue;
        }
        if let Some((_, owner)) = keys.iter().find(|(k, _)| *k == f.key) {
            let message = format!("duplicate JSON key \"{}\": already used by field `{owner}`", f.key);
            match &f.rename {
                Some(lit) => cx.error_spanned_by(lit, message),
                None => cx.error_spanned_by(f.ident, message),
            }
            continue;
        }
        keys.push((&f.key, f.ident));
    }
}
