//! Reading `#[wire(...)]` on the struct and on its fields.

use crate::ctxt::Ctxt;
use syn::{Attribute, Ident, LitStr};

/// What `#[wire(...)]` on the struct says.
#[derive(Default)]
pub(crate) struct Container {
    /// `check = "path"`: `fn(&Self) -> Result<(), String>`, run after parsing.
    pub(crate) check: Option<syn::Path>,
    /// `extend_schema = "path"`: `fn(Schema) -> Schema`, the schema's counterpart of `check`.
    pub(crate) extend_schema: Option<syn::Path>,
    /// `schema_name = "..."`: the `$defs` name (default: the struct's name).
    pub(crate) schema_name: Option<LitStr>,
}

/// `#[wire(check = "path", extend_schema = "path", schema_name = "...")]` on the struct.
pub(crate) fn container(cx: &mut Ctxt, attrs: &[Attribute]) -> Container {
    let mut out = Container::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("wire")) {
        let result = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("schema_name") {
                return crate::attr::schema_name(&meta, &mut out.schema_name);
            }
            let slot = if meta.path.is_ident("check") {
                &mut out.check
            } else if meta.path.is_ident("extend_schema") {
                &mut out.extend_schema
            } else {
                let key = meta.path.get_ident().map(ToString::to_string).unwrap_or_default();
                return Err(meta.error(format!(
                    "unknown key `{key}` in #[wire(...)] on the struct; expected `check = \"path\"`, `extend_schema = \"path\"` or `schema_name = \"...\"` (field attributes go on fields)"
                )));
            };
            let lit: LitStr = meta.value()?.parse()?;
            if slot.replace(lit.parse::<syn::Path>()?).is_some() {
                return Err(meta.error("given twice"));
            }
            Ok(())
        });
        if let Err(e) = result {
            cx.syn_error(e);
        }
    }
    out
}

/// What `#[wire(...)]` on a field says. The flags keep their keyword, for error spans.
#[derive(Default)]
pub(crate) struct FieldAttrs {
    /// `rename = "..."`: the JSON key.
    pub(crate) rename: Option<LitStr>,
    /// `default`: absent reads as `Default::default()`.
    pub(crate) default_flag: Option<Ident>,
    /// `extra`: the field that keeps unknown keys.
    pub(crate) extra: Option<Ident>,
}

/// `#[wire(rename = "...", default, extra)]` on a field.
pub(crate) fn field(cx: &mut Ctxt, attrs: &[Attribute]) -> FieldAttrs {
    let mut out = FieldAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("wire")) {
        let result = attr.parse_nested_meta(|meta| {
            let Some(key) = meta.path.get_ident().cloned() else {
                return Err(meta.error("expected `rename = \"...\"`, `default` or `extra`"));
            };
            match key.to_string().as_str() {
                "rename" => {
                    let lit: LitStr = meta.value()?.parse()?;
                    if out.rename.replace(lit).is_some() {
                        return Err(meta.error("`rename` is given twice"));
                    }
                }
                "default" | "extra" => {
                    if !meta.input.is_empty() && !meta.input.peek(syn::Token![,]) {
                        return Err(meta.error(format!("`{key}` is a flag and takes no value: write #[wire({key})]")));
                    }
                    if key == "default" {
                        out.default_flag = Some(key);
                    } else {
                        out.extra = Some(key);
                    }
                }
                other => {
                    return Err(
                        meta.error(format!("unknown key `{other}` in #[wire(...)]; expected `rename = \"...\"`, `default` or `extra`"))
                    );
                }
            }
            Ok(())
        });
        if let Err(e) = result {
            cx.syn_error(e);
        }
    }
    out
}
