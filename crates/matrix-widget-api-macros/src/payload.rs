//! `#[derive(Payload)]`: read the struct (`ast`), its `#[wire(...)]` attributes (`attr`),
//! check them (`valid`) and emit code (`expand`).

mod ast;
mod attr;
mod expand;
mod valid;

use proc_macro2::TokenStream;
use syn::DeriveInput;

pub(crate) fn derive(input: &DeriveInput) -> TokenStream {
    crate::ctxt::derive(input, ast::Struct::from_input, valid::check, expand::expand, expand::fallback)
}
