//! `#[derive(WireName)]`: read the enum (`ast`), its `#[wire(...)]` attributes (`attr`),
//! check them (`valid`) and emit code (`expand`), or the errors and stub impls (`fallback`).
//! `wire_line` is the spellings paragraph that `#[wire_docs]` (in `crate::wire_docs`) appends
//! to a variant's docs and this derive leaves out of `NameSpec::doc`.

mod ast;
mod attr;
mod expand;
mod fallback;
mod valid;
mod wire_line;

pub(crate) use attr::variant_names;
pub(crate) use wire_line::wire_line;
#[cfg(test)]
pub(crate) use {attr::Names, wire_line::variant_doc};

use proc_macro2::TokenStream;
use syn::DeriveInput;

/// The derive: the generated impls, or every error plus [`fallback::stubs`].
pub(crate) fn derive(input: &DeriveInput) -> TokenStream {
    crate::ctxt::derive(input, ast::Enum::from_input, valid::check, expand::expand, fallback::stubs)
}
