//! Error collection in the style of serde_derive's `Ctxt`: every attribute error is recorded
//! with its span, and all of them are reported together; and the pipeline both derives run
//! on it ([`derive()`]).

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use std::fmt::Display;
use syn::{Data, DeriveInput};

/// `struct Name`, `enum Name` or `union Name`: where errors about the kind of item point.
pub(crate) fn item_head(input: &DeriveInput) -> TokenStream {
    let ident = &input.ident;
    match &input.data {
        Data::Struct(d) => {
            let kw = d.struct_token;
            quote!(#kw #ident)
        }
        Data::Enum(d) => {
            let kw = d.enum_token;
            quote!(#kw #ident)
        }
        Data::Union(d) => {
            let kw = d.union_token;
            quote!(#kw #ident)
        }
    }
}

/// Collects errors while the input is read and checked.
#[derive(Default)]
pub(crate) struct Ctxt {
    errors: Vec<syn::Error>,
}

impl Ctxt {
    /// Records an error spanning `tokens`.
    pub(crate) fn error_spanned_by<T: ToTokens, M: Display>(&mut self, tokens: T, message: M) {
        self.errors.push(syn::Error::new_spanned(tokens, message));
    }

    /// Records a `syn` error as is.
    pub(crate) fn syn_error(&mut self, err: syn::Error) {
        self.errors.push(err);
    }

    /// `Ok` when nothing was recorded, else every error as `compile_error!` invocations.
    pub(crate) fn check(self) -> Result<(), TokenStream> {
        if self.errors.is_empty() {
            return Ok(());
        }
        Err(self.errors.into_iter().map(|e| e.to_compile_error()).collect())
    }
}

/// Runs a derive: read the input (`ast` with `attr`), check it (`valid`) and emit the code
/// (`expand`); or, when anything was recorded, every error plus the derive's `fallback` stubs
/// (none for generic types, whose stubs would only add errors).
pub(crate) fn derive<'a, T>(
    input: &'a syn::DeriveInput,
    read: impl FnOnce(&mut Ctxt, &'a syn::DeriveInput) -> Option<T>,
    check: impl FnOnce(&mut Ctxt, &T),
    expand: impl FnOnce(&T) -> TokenStream,
    fallback: impl FnOnce(&syn::Ident) -> TokenStream,
) -> TokenStream {
    let mut cx = Ctxt::default();
    let parsed = read(&mut cx, input);
    if let Some(parsed) = &parsed {
        check(&mut cx, parsed);
    }
    let fallback = || if input.generics.params.is_empty() { fallback(&input.ident) } else { TokenStream::new() };
    match (cx.check(), parsed) {
        (Ok(()), Some(parsed)) => expand(&parsed),
        (Err(errors), _) => {
            let mut out = errors;
            out.extend(fallback());
            out
        }
        (Ok(()), None) => fallback(),
    }
}
