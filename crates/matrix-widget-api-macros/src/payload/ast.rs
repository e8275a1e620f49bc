//! The struct as `#[derive(Payload)]` sees it, with its `#[wire(...)]` attributes read by
//! `attr`.

use super::attr;
use crate::ctxt::{Ctxt, item_head};
use quote::ToTokens;
use syn::{Data, DeriveInput, Fields, GenericArgument, Ident, LitStr, PathArguments, Type};

/// A `#[derive(Payload)]` struct.
pub(crate) struct Struct<'a> {
    /// The struct's name.
    pub(crate) ident: &'a Ident,
    /// Its documentation: the schema's description.
    pub(crate) doc: String,
    /// Its named fields, in order, the `extra` field included.
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
    /// The field's name.
    pub(crate) ident: &'a Ident,
    /// Its type as written.
    pub(crate) ty: &'a Type,
    /// For `Option<T>`, the `T`.
    pub(crate) inner_ty: Option<&'a Type>,
    /// The JSON key.
    pub(crate) key: String,
    /// The `rename` literal, for error spans.
    pub(crate) rename: Option<LitStr>,
    /// How an absent key reads.
    pub(crate) presence: Presence,
    /// The span of a `default` flag, for error spans.
    pub(crate) default_flag: Option<Ident>,
    /// `#[wire(extra)]`: the field that keeps unknown keys.
    pub(crate) extra: Option<Ident>,
    /// Its documentation: the property's description in the schema.
    pub(crate) doc: String,
}

impl<'a> Struct<'a> {
    /// Reads the struct and its attributes, recording every error in `cx`; `None` when it is
    /// not a struct with named fields.
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
        let container = attr::container(cx, &input.attrs);
        let mut fields = Vec::new();
        for field in &named.named {
            let Some(ident) = field.ident.as_ref() else { continue };
            let attr::FieldAttrs { rename, default_flag, extra } = attr::field(cx, &field.attrs);
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
                doc: crate::docs::text(&field.attrs),
            });
        }
        Some(Struct {
            ident: &input.ident,
            doc: crate::docs::text(&input.attrs),
            fields,
            check: container.check,
            extend_schema: container.extend_schema,
            schema_name: container.schema_name,
        })
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

/// The type inside any invisible groups and parentheses.
fn ungroup(mut ty: &Type) -> &Type {
    loop {
        match ty {
            Type::Group(g) => ty = &g.elem,
            Type::Paren(p) => ty = &p.elem,
            _ => return ty,
        }
    }
}
