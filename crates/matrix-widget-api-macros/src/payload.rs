//! `#[derive(Payload)]`: read the struct (`ast`), its `#[wire(...)]` attributes (`attr`),
//! check them (`valid`) and emit code (`expand`), or the errors and stub impls (`fallback`).

mod ast;
mod attr;
mod expand;
mod fallback;
mod valid;

use proc_macro2::TokenStream;
use syn::DeriveInput;

/// The derive: the generated impls, or every error plus [`fallback::stubs`].
pub(crate) fn derive(input: &DeriveInput) -> TokenStream {
    crate::ctxt::derive(input, ast::Struct::from_input, valid::check, expand::expand, fallback::stubs)
}
