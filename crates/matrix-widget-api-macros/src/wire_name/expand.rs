//! Code generation for `#[derive(WireName)]`.
//!
//! The generated code only holds the tables and the `match`es; everything else (serde, schema,
//! errors) is ordinary library code in `matrix_widget_api::naming`, reached through
//! `matrix_widget_api::__private`.

use super::ast::{Enum, Variant};
use super::attr::{Names, Spellings};
use crate::spanned::call_spanned;
use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::Ident;
use syn::spanned::Spanned;

/// The `WireName` impl from the table, with the other impls around it ([`wrap`]).
pub(crate) fn expand(input: &Enum) -> TokenStream {
    let ident = input.ident;
    let what = &input.what;
    let doc = &input.doc;
    let open = input.variants.iter().any(|v| matches!(v.names, Names::Other(_)));

    let specs = input.variants.iter().filter_map(|v| {
        let (s, prefix) = match &v.names {
            Names::Exact(s) => (s, false),
            Names::Prefix(s) => (s, true),
            Names::Other(_) => return None,
        };
        let variant = v.ident.to_string();
        let (stable, unstable, legacy, doc) = (&s.stable, &s.unstable, &s.legacy, &v.doc);
        let param_pattern = match v.field {
            Some(ty) if prefix => quote_spanned! {ty.span()=> <#ty as __p::NameParam>::PATTERN },
            _ => quote! { ::core::option::Option::None },
        };
        Some(quote! {
            __p::NameSpec {
                variant: #variant,
                stable: #stable,
                unstable: #unstable,
                legacy: &[#(#legacy),*],
                prefix: #prefix,
                param_pattern: #param_pattern,
                doc: #doc,
            }
        })
    });

    let exact_arms = input.variants.iter().flat_map(|v| {
        let Names::Exact(s) = &v.names else { return Vec::new() };
        let vi = v.ident;
        spelled(s).into_iter().map(|(lit, spelling)| quote! { #lit => return ::core::result::Result::Ok((Self::#vi, ::core::option::Option::Some(#spelling))), }).collect()
    });

    // The calls that need a trait of the variant's field are spanned on the field, so a
    // parameter type that lacks `NameParam` (or a catch-all that is not `CustomName`) is
    // reported there and not at `#[derive(WireName)]`.
    let prefix_checks = input.variants.iter().flat_map(|v| {
        let Names::Prefix(s) = &v.names else { return Vec::new() };
        let vi = v.ident;
        let (ty, span) = field(v);
        let parse = call_spanned(span, quote_spanned!(span=> <#ty as __p::NameParam>::parse_param), quote!(__rest));
        spelled(s)
            .into_iter()
            .map(|(lit, spelling)| {
                quote! {
                    if let ::core::option::Option::Some(__rest) = __s.strip_prefix(#lit) {
                        if let ::core::option::Option::Some(__param) = #parse {
                            return ::core::result::Result::Ok((Self::#vi(__param), ::core::option::Option::Some(#spelling)));
                        }
                    }
                }
            })
            .collect()
    });

    let fallthrough = match input.variants.iter().find(|v| matches!(v.names, Names::Other(_))) {
        Some(v) => {
            let vi = v.ident;
            let (ty, span) = field(v);
            let custom = call_spanned(span, quote_spanned!(span=> <#ty as __p::CatchAll>::__from_unknown), quote!(__s));
            quote! { ::core::result::Result::Ok((Self::#vi(#custom), ::core::option::Option::None)) }
        }
        None => quote! { ::core::result::Result::Err(__p::NameError::unknown::<Self>(__s)) },
    };

    let name_arms = input.variants.iter().map(|v| {
        let vi = v.ident;
        match &v.names {
            Names::Exact(s) => {
                let pick = pick(s);
                quote! { Self::#vi => __p::Cow::Borrowed(#pick), }
            }
            Names::Prefix(s) => {
                let pick = pick(s);
                let (ty, span) = field(v);
                let write = call_spanned(span, quote_spanned!(span=> <#ty as __p::NameParam>::write_param), quote!(__param, &mut __out));
                quote! {
                    Self::#vi(__param) => {
                        let mut __out = __p::String::from(#pick);
                        #write;
                        __p::Cow::Owned(__out)
                    }
                }
            }
            Names::Other(_) => {
                let (ty, span) = field(v);
                let as_str = call_spanned(span, quote_spanned!(span=> <#ty as __p::CatchAll>::__as_str), quote!(__other));
                quote! { Self::#vi(__other) => __p::Cow::Borrowed(#as_str), }
            }
        }
    });

    // An empty enum: `match self {}` on a reference is not exhaustive, `match *self {}` is.
    let scrutinee = if input.variants.is_empty() { quote!(*self) } else { quote!(self) };

    let body = quote! {
        #[automatically_derived]
        impl __p::WireName for #ident {
            const WHAT: &'static str = #what;
            const DOC: &'static str = #doc;
            const OPEN: bool = #open;
            const NAMES: &'static [__p::NameSpec] = &[#(#specs),*];

            fn parse_name(__s: &str) -> ::core::result::Result<(Self, ::core::option::Option<__p::Spelling>), __p::NameError> {
                match __s {
                    #(#exact_arms)*
                    _ => {}
                }
                #(#prefix_checks)*
                #fallthrough
            }

            fn name_in(&self, __spelling: __p::Spelling) -> __p::Cow<'_, str> {
                match #scrutinee {
                    #(#name_arms)*
                }
            }
        }
    };
    wrap(ident, &input.schema_name, body)
}

/// The type of a `prefix` or `other` variant's field, and its span: generated calls that need
/// a trait of that type are spanned on it. (`valid` checked that the field is there.)
fn field(v: &Variant) -> (TokenStream, Span) {
    match v.field {
        Some(ty) => (quote!(#ty), ty.span()),
        None => (quote!(_), Span::call_site()),
    }
}

/// Each literal of a name with the `Spelling` it is parsed as. A single positional name is
/// `Stable`; a name declared `unstable` only is `Unstable`; a legacy name is itself.
fn spelled(s: &Spellings) -> Vec<(&syn::LitStr, TokenStream)> {
    let mut out = Vec::new();
    if s.single && s.single_is_stable {
        out.push((&s.stable, quote!(__p::Spelling::Stable)));
    } else if s.single {
        out.push((&s.unstable, quote!(__p::Spelling::Unstable)));
    } else {
        out.push((&s.stable, quote!(__p::Spelling::Stable)));
        out.push((&s.unstable, quote!(__p::Spelling::Unstable)));
    }
    for lit in &s.legacy {
        out.push((lit, quote!(__p::Spelling::Legacy(#lit))));
    }
    out
}

/// `match __spelling { … }` choosing the literal for a spelling. Every arm is reachable
/// (`valid` rejects a spelling given twice, so no `Legacy("…")` pattern repeats), so the
/// generated `match` needs no `unreachable_patterns` allowance.
fn pick(s: &Spellings) -> TokenStream {
    let (stable, unstable) = (&s.stable, &s.unstable);
    let legacy = s.legacy.iter().map(|lit| quote! { __p::Spelling::Legacy(#lit) => #lit, });
    quote! {
        match __spelling {
            __p::Spelling::Stable => #stable,
            __p::Spelling::Unstable => #unstable,
            #(#legacy)*
            __p::Spelling::Legacy(_) => #unstable,
        }
    }
}

/// The trait impls that do not depend on the attributes, plus `body` (the `WireName` impl,
/// real or, from [`super::fallback`], a stub).
pub(crate) fn wrap(ident: &Ident, schema_name: &str, body: TokenStream) -> TokenStream {
    // `allow`, not `expect`, because this lands in the user's crate: an `expect` would warn
    // there (`unfulfilled_lint_expectations`) for every type whose code the lint happens to
    // accept. The paths are fully qualified on purpose (a user's `Result` or `Option` must
    // not change the generated code).
    quote! {
        #[doc(hidden)]
        #[allow(unused_qualifications, clippy::needless_return)]
        const _: () = {
            use ::matrix_widget_api::__private as __p;

            #body

            #[automatically_derived]
            impl __p::Serialize for #ident {
                fn serialize<__S: __p::Serializer>(&self, __serializer: __S) -> ::core::result::Result<__S::Ok, __S::Error> {
                    __p::serialize_name(self, __serializer)
                }
            }

            #[automatically_derived]
            impl<'de> __p::Deserialize<'de> for #ident {
                fn deserialize<__D: __p::Deserializer<'de>>(__deserializer: __D) -> ::core::result::Result<Self, __D::Error> {
                    __p::deserialize_name(__deserializer)
                }
            }

            #[automatically_derived]
            impl ::core::str::FromStr for #ident {
                type Err = __p::NameError;
                fn from_str(__s: &str) -> ::core::result::Result<Self, Self::Err> {
                    __p::parse_name::<Self>(__s)
                }
            }

            #[automatically_derived]
            impl ::core::fmt::Display for #ident {
                fn fmt(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    __p::display_name(self, __f)
                }
            }

            ::matrix_widget_api::__impl_wire_name_schema!(#ident, #schema_name);
        };
    }
}
