//! `#[derive(WireName)]`: read the enum (`ast`), its `#[wire(...)]` attributes (`attr`),
//! check them (`valid`) and emit code (`expand`).

mod ast;
mod attr;
mod docs;
mod expand;
mod valid;

pub(crate) use attr::doc;
pub(crate) use docs::attribute as wire_docs;

use proc_macro2::TokenStream;
use syn::DeriveInput;

pub(crate) fn derive(input: &DeriveInput) -> TokenStream {
    crate::ctxt::derive(input, ast::Enum::from_input, valid::check, expand::expand, expand::fallback)
}
