//! `#[derive(Payload)]`: read the struct (`ast`, with its `#[wire(...)]` attributes), check it
//! (`valid`) and emit code (`expand`).

mod ast;
mod expand;
mod valid;

use crate::ctxt::Ctxt;
use proc_macro2::TokenStream;
use syn::DeriveInput;

pub(crate) fn derive(input: &DeriveInput) -> TokenStream {
    let mut cx = Ctxt::default();
    let parsed = ast::Struct::from_input(&mut cx, input);
    if let Some(parsed) = &parsed {
        valid::check(&mut cx, parsed);
    }
    match (cx.check(), parsed) {
        (Ok(()), Some(parsed)) => expand::expand(&parsed),
        (Err(errors), _) => {
            let mut out = errors;
            out.extend(fallback(input));
            out
        }
        (Ok(()), None) => fallback(input),
    }
}

/// The stub impls, except for a generic type: they would name it without its parameters and
/// add an error of their own, and generics are already reported as unsupported.
fn fallback(input: &DeriveInput) -> TokenStream {
    if input.generics.params.is_empty() { expand::fallback(&input.ident) } else { TokenStream::new() }
}
