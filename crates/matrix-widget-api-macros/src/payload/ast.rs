//! The struct as `#[derive(Payload)]` sees it, with its `#[wire(...)]` attributes read.

use crate::ctxt::{Ctxt, item_head};
use quote::ToTokens;
use syn::{Data, DeriveInput, Fields, GenericArgument, Ident, LitStr, PathArguments, Type};

/// A `#[derive(Payload)]` struct.
pub(crate) struct Struct<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) doc: String,
    pub(crate) fields: Vec<Field<'a>>,
    /// `#[wire(check = "path")]`: `fn(&Self) -> Result<(), String>`, run after parsing.
    pub(crate) check: Option<syn::Path>,
    /// `#[wire(extend_schema = "path")]`: `fn(Schema) -> Schema`, the schema's counterpart of
    /// `check`.
    pub(crate) extend_schema: Option<syn::Path>,
    /// `#[wire(schema_name = "...")]`: the `$defs` name (default: the struct's name).
    pub(crate) schema_name: Option<LitStr>,
}

/// How a field is read when its key is absent.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Presence {
    /// Absent is an error.
    Required,
    /// `Option<T>`: absent and `null` are `None`; `None` is not written.
    Optional,
    /// `#[wire(default)]`: absent is `Default::default()`.
    Default,
}

/// One named field.
pub(crate) struct Field<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) ty: &'a Type,
    /// For `Option<T>`, the `T`.
    pub(crate) inner_ty: Option<&'a Type>,
    /// The JSON key.
    pub(crate) key: String,
    /// The `rename` literal, for error spans.
    pub(crate) rename: Option<LitStr>,
    pub(crate) presence: Presence,
    /// The span of a `default` flag, for error spans.
    pub(crate) default_flag: Option<Ident>,
    /// `#[wire(extra)]`: the field that keeps unknown keys.
    pub(crate) extra: Option<Ident>,
    pub(crate) doc: String,
}

impl<'a> Struct<'a> {
    pub(crate) fn from_input(cx: &mut Ctxt, input: &'a DeriveInput) -> Option<Self> {
        let Data::Struct(data) = &input.data else {
            cx.error_spanned_by(item_head(input), "#[derive(Payload)] only works on structs with named fields");
            return None;
        };
        let Fields::Named(named) = &data.fields else {
            // A unit struct has no field tokens to point at.
            let span = if matches!(data.fields, Fields::Unit) { item_head(input) } else { data.fields.to_token_stream() };
            cx.error_spanned_by(span, "#[derive(Payload)] only works on structs with named fields");
            return None;
        };
        if !input.generics.params.is_empty() {
            cx.error_spanned_by(&input.generics, "#[derive(Payload)] does not support generics");
        }
        let mut check = None;
        let mut extend_schema = None;
        let mut schema_name = None;
        for attr in input.attrs.iter().filter(|a| a.path().is_ident("wire")) {
            let result = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("schema_name") {
                    return crate::ctxt::schema_name(&meta, &mut schema_name);
                }
                let slot = if meta.path.is_ident("check") {
                    &mut check
                } else if meta.path.is_ident("extend_schema") {
                    &mut extend_schema
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
        let mut fields = Vec::new();
        for field in &named.named {
            let Some(ident) = field.ident.as_ref() else { continue };
            let mut rename = None;
            let mut default_flag = None;
            let mut extra = None;
            for attr in field.attrs.iter().filter(|a| a.path().is_ident("wire")) {
                let result = attr.parse_nested_meta(|meta| {
                    let Some(key) = meta.path.get_ident().cloned() else {
                        return Err(meta.error("expected `rename = \"...\"`, `default` or `extra`"));
                    };
                    match key.to_string().as_str() {
                        "rename" => {
                            let lit: LitStr = meta.value()?.parse()?;
                            if rename.replace(lit).is_some() {
                                return Err(meta.error("`rename` is given twice"));
                            }
                        }
                        "default" | "extra" => {
                            if !meta.input.is_empty() && !meta.input.peek(syn::Token![,]) {
                                return Err(meta.error(format!("`{key}` is a flag and takes no value: write #[wire({key})]")));
                            }
                            if key == "default" {
                                default_flag = Some(key);
                            } else {
                                extra = Some(key);
                            }
                        }
                        other => {
                            return Err(meta.error(format!(
                                "unknown key `{other}` in #[wire(...)]; expected `rename = \"...\"`, `default` or `extra`"
                            )));
                        }
                    }
                    Ok(())
                });
                if let Err(e) = result {
                    cx.syn_error(e);
                }
            }
            let inner_ty = option_inner(&field.ty);
            let presence = if inner_ty.is_some() {
                Presence::Optional
            } else if default_flag.is_some() {
                Presence::Default
            } else {
                Presence::Required
            };
            let key = rename.as_ref().map(LitStr::value).unwrap_or_else(|| {
                let s = ident.to_string();
                s.strip_prefix("r#").map(str::to_owned).unwrap_or(s)
            });
            fields.push(Field {
                ident,
                ty: &field.ty,
                inner_ty,
                key,
                rename,
                presence,
                default_flag,
                extra,
                doc: crate::wire_name::doc(&field.attrs),
            });
        }
        Some(Struct { ident: &input.ident, doc: crate::wire_name::doc(&input.attrs), fields, check, extend_schema, schema_name })
    }
}

/// `Some(T)` when `ty` is written `Option<T>` (or `std::option::Option<T>`), also when it
/// reached the derive through a `macro_rules!` `$t:ty` (an invisible group) or parentheses.
/// A type alias of `Option` is not seen through: write `Option<T>`.
fn option_inner(ty: &Type) -> Option<&Type> {
    let ty = ungroup(ty);
    let Type::Path(p) = ty else { return None };
    if p.qself.is_some() {
        return None;
    }
    let last = p.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else { return None };
    match args.args.first() {
        Some(GenericArgument::Type(t)) if args.args.len() == 1 => Some(t),
        _ => None,
    }
}

fn ungroup(mut ty: &Type) -> &Type {
    loop {
        match ty {
            Type::Group(g) => ty = &g.elem,
            Type::Paren(p) => ty = &p.elem,
            _ => return ty,
        }
    }
}
