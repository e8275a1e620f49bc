//! `#[derive(Payload)]`: read the struct (`ast`, with its `#[wire(...)]` attributes), check it
//! (`valid`) and emit code (`expand`).

mod ast;
mod expand;
mod valid;

use proc_macro2::TokenStream;
use syn::DeriveInput;

pub(crate) fn derive(input: &DeriveInput) -> TokenStream {
    crate::ctxt::derive(input, ast::Struct::from_input, valid::check, expand::expand, expand::fallback)
}
