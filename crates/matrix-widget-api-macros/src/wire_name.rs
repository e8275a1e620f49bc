//! `#[derive(WireName)]`: read the enum (`ast`), its `#[wire(...)]` attributes (`attr`),
//! check them (`valid`) and emit code (`expand`), or the errors and stub impls (`fallback`).

mod ast;
mod attr;
mod docs;
mod expand;
mod fallback;
mod valid;

pub(crate) use attr::doc;
pub(crate) use docs::attribute as wire_docs;

use proc_macro2::TokenStream;
use syn::DeriveInput;

/// The derive: the generated impls, or every error plus [`fallback::stubs`].
pub(crate) fn derive(input: &DeriveInput) -> TokenStream {
    crate::ctxt::derive(input, ast::Enum::from_input, valid::check, expand::expand, fallback::stubs)
}
