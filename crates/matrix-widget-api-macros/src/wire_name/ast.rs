//! The enum as the derive sees it.

use super::attr::{self, Names};
use crate::ctxt::Ctxt;
use proc_macro2::Span;
use syn::{Data, DeriveInput, Fields, Ident, LitStr, Type};

/// A `#[derive(WireName)]` enum.
pub(crate) struct Enum<'a> {
    /// The enum's name.
    pub(crate) ident: &'a Ident,
    /// What one of these names is, for error messages ("action", "capability").
    pub(crate) what: String,
    /// The enum's documentation.
    pub(crate) doc: String,
    /// The `$defs` name of its schema.
    pub(crate) schema_name: String,
    /// The variants whose attribute could be read, in order.
    pub(crate) variants: Vec<Variant<'a>>,
}

/// One variant and what its attribute says.
pub(crate) struct Variant<'a> {
    /// The variant's name.
    pub(crate) ident: &'a Ident,
    /// Its spellings, from `#[wire(...)]`.
    pub(crate) names: Names,
    /// Its documentation, without the paragraph `#[wire_docs]` appended.
    pub(crate) doc: String,
    /// The single unnamed field of a `prefix` or `other` variant.
    pub(crate) field: Option<&'a Type>,
    /// Where to point errors about the variant's fields.
    pub(crate) fields_span: Span,
    /// The variant's fields as written, for the shape checks.
    pub(crate) fields: &'a Fields,
}

impl Variant<'_> {
    /// Every spelling the variant accepts, with the literal it came from.
    pub(crate) fn spellings(&self) -> Vec<&LitStr> {
        match &self.names {
            Names::Exact(s) | Names::Prefix(s) => s.all(),
            Names::Other(_) => Vec::new(),
        }
    }
}

impl<'a> Enum<'a> {
    /// Reads the enum and its attributes, recording every error in `cx`; `None` when it is
    /// not an enum.
    pub(crate) fn from_input(cx: &mut Ctxt, input: &'a DeriveInput) -> Option<Self> {
        let Data::Enum(data) = &input.data else {
            cx.error_spanned_by(crate::ctxt::item_head(input), "#[derive(WireName)] only works on enums");
            return None;
        };
        if !input.generics.params.is_empty() {
            cx.error_spanned_by(&input.generics, "#[derive(WireName)] does not support generics");
        }
        let container = attr::container(cx, &input.attrs);
        let what = container.what.unwrap_or_else(|| "name".to_owned());
        let schema_name = container.schema_name.map_or_else(|| input.ident.to_string(), |lit| lit.value());
        let mut variants = Vec::new();
        for variant in &data.variants {
            let Some(names) = attr::variant_names(cx, variant) else {
                continue;
            };
            let field = match &variant.fields {
                Fields::Unnamed(f) if f.unnamed.len() == 1 => f.unnamed.first().map(|f| &f.ty),
                _ => None,
            };
            let doc = super::wire_line::variant_doc(&variant.attrs, &names);
            variants.push(Variant {
                ident: &variant.ident,
                names,
                doc,
                field,
                fields_span: syn::spanned::Spanned::span(&variant.fields),
                fields: &variant.fields,
            });
        }
        Some(Enum { ident: &input.ident, what, doc: crate::docs::text(&input.attrs), schema_name, variants })
    }
}
