//! What `#[derive(WireName)]` emits next to its errors when the input is wrong.
//!
//! The enum still gets every trait the derive promises, so that its uses elsewhere (a
//! `Spelled<Capability>` field, a `to_string()`) type-check and one mistake in a
//! `#[wire(...)]` table is one error, not one per use. Only the `WireName` impl itself is a
//! stub; the other impls are the real ones from [`super::expand::wrap`], which do not depend
//! on the attributes. The stubs are never run: the crate does not compile.

use super::expand::wrap;
use proc_macro2::TokenStream;
use quote::quote;
use syn::Ident;

/// The stub `WireName` impl and the attribute-independent impls, for the enum `ident`.
pub(crate) fn stubs(ident: &Ident) -> TokenStream {
    let body = quote! {
        #[automatically_derived]
        impl __p::WireName for #ident {
            const WHAT: &'static str = "";
            const OPEN: bool = false;
            const NAMES: &'static [__p::NameSpec] = &[];
            fn parse_name(__s: &str) -> ::core::result::Result<(Self, ::core::option::Option<__p::Spelling>), __p::NameError> {
                ::core::unimplemented!()
            }
            fn name_in(&self, __spelling: __p::Spelling) -> __p::Cow<'_, str> {
                ::core::unimplemented!()
            }
        }
    };
    wrap(ident, &ident.to_string(), body)
}
