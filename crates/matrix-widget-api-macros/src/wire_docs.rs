//! `#[wire_docs]`: each variant's spellings, appended to its documentation.
//!
//! A derive cannot change the item it is attached to, so the spellings are added by an
//! attribute macro placed above `#[derive(WireName)]`. It reads the same `#[wire(...)]`
//! attributes with the derive's parser ([`wire_name::variant_names`]) and re-emits the enum
//! with one more doc paragraph per variant ([`wire_name::wire_line`]). The derive then leaves
//! that paragraph out of `NameSpec::doc` (the schema's descriptions), where the spellings are
//! already stated as data.

use crate::ctxt::Ctxt;
use crate::wire_name;
use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::Item;

/// The attribute: the enum with the spelling line appended to each variant's docs, or the
/// item unchanged plus an error when it is misused.
pub(crate) fn attribute(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut item: Item = match syn::parse2(item.clone()) {
        Ok(item) => item,
        // Not an item at all: let the compiler say what is wrong with it.
        Err(_) => return item,
    };
    let mut errors = TokenStream::new();
    if !args.is_empty() {
        errors.extend(syn::Error::new_spanned(&args, "#[wire_docs] takes no arguments").to_compile_error());
    }
    match &mut item {
        Item::Enum(e) => {
            for variant in &mut e.variants {
                // A malformed attribute documents nothing; the derive reports it.
                let Some(names) = wire_name::variant_names(&mut Ctxt::default(), variant) else { continue };
                crate::docs::append_paragraph(&mut variant.attrs, &wire_name::wire_line(&names));
            }
        }
        other => {
            let head = match other {
                Item::Struct(s) => {
                    let (kw, ident) = (&s.struct_token, &s.ident);
                    quote!(#kw #ident)
                }
                Item::Union(u) => {
                    let (kw, ident) = (&u.union_token, &u.ident);
                    quote!(#kw #ident)
                }
                other => other.to_token_stream(),
            };
            errors.extend(
                syn::Error::new_spanned(head, "#[wire_docs] only works on enums with #[derive(WireName)]: it documents their spellings")
                    .to_compile_error(),
            );
        }
    }
    let mut out = item.into_token_stream();
    out.extend(errors);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docs::text;
    use syn::{ItemEnum, Variant};

    /// The names a valid variant declares.
    fn names(variant: &Variant) -> wire_name::Names {
        let mut cx = Ctxt::default();
        let names = wire_name::variant_names(&mut cx, variant);
        assert!(cx.check().is_ok());
        names.expect("valid attribute")
    }

    #[test]
    fn the_attribute_appends_a_paragraph_and_the_derive_leaves_it_out() {
        let input = quote! {
            #[derive(WireName)]
            enum Name {
                /// Documented.
                ///
                /// Twice.
                #[wire("m.a")]
                A,
                #[wire("m.b")]
                B,
                #[wire(stabel = "m.c")]
                C,
            }
        };
        let out: ItemEnum = syn::parse2(attribute(TokenStream::new(), input)).expect("an enum");
        let [a, b, c] = [&out.variants[0], &out.variants[1], &out.variants[2]];
        assert_eq!(text(&a.attrs), "Documented.\n\nTwice.\n\nWire: `m.a`");
        assert_eq!(text(&b.attrs), "Wire: `m.b`");
        // A malformed attribute is left for the derive to report.
        assert_eq!(c.attrs.len(), 1);
        // The other attributes are kept, the derive included.
        assert!(out.attrs.iter().any(|a| a.path().is_ident("derive")));
        assert_eq!(wire_name::variant_doc(&a.attrs, &names(a)), "Documented.\n\nTwice.");
        assert_eq!(wire_name::variant_doc(&b.attrs, &names(b)), "");
    }

    #[test]
    fn misuse_is_reported_and_the_item_kept() {
        let out = attribute(
            quote!(stable),
            quote!(
                enum E {}
            ),
        )
        .to_string();
        assert!(out.contains("takes no arguments") && out.contains("enum E"), "{out}");
        let out = attribute(
            TokenStream::new(),
            quote!(
                struct S;
            ),
        )
        .to_string();
        assert!(out.contains("only works on enums") && out.contains("struct S"), "{out}");
    }
}
