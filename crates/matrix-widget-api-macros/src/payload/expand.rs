//! Code generation for `#[derive(Payload)]`.

use super::ast::{Presence, Struct};
use crate::spanned::call_spanned;
use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::Ident;
use syn::spanned::Spanned;

/// The `Serialize`, `Deserialize`, `UnknownFields` and schema impls.
pub(crate) fn expand(input: &Struct) -> TokenStream {
    let ident = input.ident;
    let name = ident.to_string();
    let expecting = format!("a `{name}` JSON object");
    let schema_name = input.schema_name.as_ref().map_or(name, syn::LitStr::value);
    let extra = input.fields.iter().find(|f| f.extra.is_some());
    let fields: Vec<_> = input.fields.iter().filter(|f| f.extra.is_none()).collect();

    // --- Serialize: declared order, `None` skipped, then the unknown keys as they came.
    // Each call that needs a trait of the field's type is spanned on the field, so a missing
    // `Serialize` is reported there and not at `#[derive(Payload)]`.
    let ser_fields = fields.iter().map(|f| {
        let (fi, key) = (f.ident, &f.key);
        let ty = replace_self(f.inner_ty.unwrap_or(f.ty), ident);
        let entry = quote_spanned!(f.ty.span()=> __p::SerializeMap::serialize_entry::<str, #ty>);
        match f.presence {
            Presence::Optional => {
                let call = call_spanned(f.ty.span(), entry, quote!(&mut __map, #key, __v));
                quote! {
                    if let ::core::option::Option::Some(__v) = &self.#fi {
                        #call?;
                    }
                }
            }
            _ => {
                let call = call_spanned(f.ty.span(), entry, quote!(&mut __map, #key, &self.#fi));
                quote! { #call?; }
            }
        }
    });
    let ser_extra = extra.map(|f| {
        let fi = f.ident;
        quote! { __p::serialize_extra(&self.#fi, &mut __map)?; }
    });

    // --- Deserialize: one pass over the map, keys matched without allocating.
    let variants: Vec<Ident> = (0..fields.len()).map(|i| format_ident!("__F{}", i)).collect();
    let slots: Vec<Ident> = (0..fields.len()).map(|i| format_ident!("__f{}", i)).collect();
    let keys: Vec<&String> = fields.iter().map(|f| &f.key).collect();
    let slot_decls = fields.iter().zip(&slots).map(|(f, slot)| {
        let ty = replace_self(f.ty, ident);
        quote! { let mut #slot: ::core::option::Option<#ty> = ::core::option::Option::None; }
    });
    let key_arms = fields.iter().zip(&variants).zip(&slots).map(|((f, v), slot)| {
        let key = &f.key;
        let ty = replace_self(f.ty, ident);
        // A `default` field is optional: `null` reads as absent (MSC2813), so as its default.
        let (read_ty, finish) = match f.presence {
            Presence::Default => (quote!(::core::option::Option<#ty>), quote!(.unwrap_or_default())),
            _ => (quote!(#ty), quote!()),
        };
        let next_value = quote_spanned!(f.ty.span()=> __p::MapAccess::next_value::<#read_ty>);
        let next_value = call_spanned(f.ty.span(), next_value, quote!(&mut __map));
        quote! {
            __Field::#v => {
                if #slot.is_some() {
                    return ::core::result::Result::Err(<__A::Error as __p::de::Error>::duplicate_field(#key));
                }
                #slot = ::core::option::Option::Some(
                    #next_value.map_err(|__e| __p::field_error::<__A::Error>(#key, __e))? #finish,
                );
            }
        }
    });
    let other_arm = match extra {
        Some(_) => quote! { __Field::__Other(__k) => __p::read_extra(&mut __extra, __k, &mut __map)?, },
        None => quote! {
            __Field::__Other(__k) => {
                return ::core::result::Result::Err(<__A::Error as __p::de::Error>::unknown_field(&__k, __FIELDS));
            }
        },
    };
    let check = input.check.as_ref().map(|path| {
        quote! {
            if let ::core::result::Result::Err(__e) = #path(&__value) {
                return ::core::result::Result::Err(<__A::Error as __p::de::Error>::custom(__e));
            }
        }
    });
    let finish_extra = extra.map(|_| quote! { __p::finish_extra::<__A::Error>(&__extra)?; });
    let extra_decl = extra.map(|f| {
        let ty = f.ty;
        quote! { let mut __extra: #ty = ::core::default::Default::default(); }
    });
    let build = input.fields.iter().map(|f| {
        let fi = f.ident;
        if f.extra.is_some() {
            return quote! { #fi: __extra, };
        }
        let Some(slot) = fields.iter().position(|g| g.ident == f.ident).and_then(|i| slots.get(i)) else {
            return quote! {};
        };
        let key = &f.key;
        match f.presence {
            Presence::Optional => quote! { #fi: ::core::option::Option::flatten(#slot), },
            Presence::Default => quote! { #fi: ::core::option::Option::unwrap_or_default(#slot), },
            Presence::Required => quote! {
                #fi: match #slot {
                    ::core::option::Option::Some(__v) => __v,
                    ::core::option::Option::None => {
                        return ::core::result::Result::Err(<__A::Error as __p::de::Error>::missing_field(#key));
                    }
                },
            },
        }
    });

    // --- Schema: a table the library turns into an object schema.
    let schema_fields = fields.iter().map(|f| {
        let (key, doc) = (&f.key, &f.doc);
        let ty = replace_self(f.inner_ty.unwrap_or(f.ty), ident);
        let required = f.presence == Presence::Required;
        let nullable = matches!(f.presence, Presence::Optional | Presence::Default);
        // A function path, spanned on the field: a missing `JsonSchema` is reported there.
        let subschema = quote_spanned!(f.ty.span()=> __p::subschema_for::<#ty>);
        quote! { (#key, #subschema, #required, #nullable, #doc) }
    });
    let has_extra = extra.is_some();
    let extend = input.extend_schema.as_ref().map(|path| quote! { , extend = #path });
    let unknown_fields = match extra {
        Some(f) => {
            let fi = f.ident;
            quote! { self.#fi.get(__key).is_some() }
        }
        None => quote! { { let _ = __key; false } },
    };
    let doc = &input.doc;

    // `allow`, not `expect`, because this lands in the user's crate: an `expect` would warn
    // there (`unfulfilled_lint_expectations`) for every type whose code the lint happens to
    // accept. The paths are fully qualified on purpose (a user's `Result` or `Option` must
    // not change the generated code).
    quote! {
        #[doc(hidden)]
        #[allow(unused_qualifications, clippy::needless_return)]
        const _: () = {
            use ::matrix_widget_api::__private as __p;

            #[automatically_derived]
            impl __p::Serialize for #ident {
                fn serialize<__S: __p::Serializer>(&self, __serializer: __S) -> ::core::result::Result<__S::Ok, __S::Error> {
                    let mut __map = __p::Serializer::serialize_map(__serializer, ::core::option::Option::None)?;
                    #(#ser_fields)*
                    #ser_extra
                    __p::SerializeMap::end(__map)
                }
            }

            #[automatically_derived]
            impl<'de> __p::Deserialize<'de> for #ident {
                fn deserialize<__D: __p::Deserializer<'de>>(__deserializer: __D) -> ::core::result::Result<Self, __D::Error> {
                    const __FIELDS: &[&str] = &[#(#keys),*];

                    enum __Field<'de> {
                        #(#variants,)*
                        __Other(__p::Cow<'de, str>),
                    }

                    struct __FieldVisitor;

                    impl<'de> __p::Visitor<'de> for __FieldVisitor {
                        type Value = __Field<'de>;
                        fn expecting(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                            __f.write_str("a field name")
                        }
                        fn visit_str<__E: __p::de::Error>(self, __v: &str) -> ::core::result::Result<Self::Value, __E> {
                            ::core::result::Result::Ok(match __v {
                                #(#keys => __Field::#variants,)*
                                _ => __Field::__Other(__p::Cow::Owned(__p::String::from(__v))),
                            })
                        }
                        fn visit_borrowed_str<__E: __p::de::Error>(self, __v: &'de str) -> ::core::result::Result<Self::Value, __E> {
                            ::core::result::Result::Ok(match __v {
                                #(#keys => __Field::#variants,)*
                                _ => __Field::__Other(__p::Cow::Borrowed(__v)),
                            })
                        }
                    }

                    impl<'de> __p::Deserialize<'de> for __Field<'de> {
                        fn deserialize<__D2: __p::Deserializer<'de>>(__d: __D2) -> ::core::result::Result<Self, __D2::Error> {
                            __p::Deserializer::deserialize_identifier(__d, __FieldVisitor)
                        }
                    }

                    struct __Visitor;

                    impl<'de> __p::Visitor<'de> for __Visitor {
                        type Value = #ident;
                        fn expecting(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                            __f.write_str(#expecting)
                        }
                        fn visit_map<__A: __p::MapAccess<'de>>(self, mut __map: __A) -> ::core::result::Result<#ident, __A::Error> {
                            #(#slot_decls)*
                            #extra_decl
                            while let ::core::option::Option::Some(__key) = __p::MapAccess::next_key::<__Field<'de>>(&mut __map)? {
                                match __key {
                                    #(#key_arms)*
                                    #other_arm
                                }
                            }
                            #finish_extra
                            let __value = #ident { #(#build)* };
                            #check
                            ::core::result::Result::Ok(__value)
                        }
                    }

                    __p::Deserializer::deserialize_map(__deserializer, __Visitor)
                }
            }

            #[automatically_derived]
            impl __p::UnknownFields for #ident {
                fn may_have_unknown_field(&self, __key: &str) -> bool {
                    #unknown_fields
                }
            }

            ::matrix_widget_api::__impl_payload_schema!(#ident, #schema_name, #doc, #has_extra, [#(#schema_fields),*] #extend);
        };
    }
}

/// The type with every `Self` replaced by the struct's name: the generated code uses field
/// types inside impls of other types, where `Self` would mean something else.
fn replace_self(ty: &syn::Type, ident: &Ident) -> TokenStream {
    /// Replaces `Self` in `tokens`, groups included.
    fn walk(tokens: TokenStream, ident: &Ident) -> TokenStream {
        tokens
            .into_iter()
            .map(|tt| match tt {
                proc_macro2::TokenTree::Ident(i) if i == "Self" => {
                    let mut replaced = ident.clone();
                    replaced.set_span(i.span());
                    proc_macro2::TokenTree::Ident(replaced)
                }
                proc_macro2::TokenTree::Group(g) => {
                    let mut group = proc_macro2::Group::new(g.delimiter(), walk(g.stream(), ident));
                    group.set_span(g.span());
                    proc_macro2::TokenTree::Group(group)
                }
                other => other,
            })
            .collect()
    }
    walk(quote!(#ty), ident)
}
