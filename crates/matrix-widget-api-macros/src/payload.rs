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
            out.extend(expand::fallback(&input.ident));
            out
        }
        (Ok(()), None) => expand::fallback(&input.ident),
    }
}
