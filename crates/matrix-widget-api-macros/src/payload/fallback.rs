//! What `#[derive(Payload)]` emits next to its errors when the input is wrong.
//!
//! The struct still gets every trait the derive promises (`Serialize`, `Deserialize`,
//! `UnknownFields` and, with the `schema` feature, `JsonSchema`), so that its uses elsewhere
//! (a field of another payload, a `Request<...>`) type-check and one mistake in a
//! `#[wire(...)]` attribute is one error, not one per use. The stubs are never run: the crate
//! does not compile.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::Ident;

/// The stub impls for the struct `ident`.
pub(crate) fn stubs(ident: &Ident) -> TokenStream {
    let unimplemented = quote_spanned!(Span::call_site()=> ::core::unimplemented!());
    let name = ident.to_string();
    quote! {
        #[doc(hidden)]
        const _: () = {
            use ::matrix_widget_api::__private as __p;
            #[automatically_derived]
            impl __p::Serialize for #ident {
                fn serialize<__S: __p::Serializer>(&self, __serializer: __S) -> ::core::result::Result<__S::Ok, __S::Error> {
                    #unimplemented
                }
            }
            #[automatically_derived]
            impl<'de> __p::Deserialize<'de> for #ident {
                fn deserialize<__D: __p::Deserializer<'de>>(__deserializer: __D) -> ::core::result::Result<Self, __D::Error> {
                    #unimplemented
                }
            }
            #[automatically_derived]
            impl __p::UnknownFields for #ident {
                fn may_have_unknown_field(&self, __key: &str) -> bool {
                    #unimplemented
                }
            }
            ::matrix_widget_api::__impl_payload_schema!(#ident, #name, "", false, []);
        };
    }
}
