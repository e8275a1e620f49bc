//! Generated code spanned on the user's tokens, so that a type error lands on the field
//! whose type causes it.

use proc_macro2::{Delimiter, Group, Span, TokenStream, TokenTree};

/// `path(args)` with the parentheses spanned like `path`, so the whole call points at the
/// field. The arguments keep their own (call-site) spans: they name the generated code's
/// locals, which a span from the user's code (perhaps inside a `macro_rules!`) would not see.
pub(crate) fn call_spanned(span: Span, path: TokenStream, args: TokenStream) -> TokenStream {
    let mut group = Group::new(Delimiter::Parenthesis, args);
    group.set_span(span);
    let mut out = path;
    out.extend([TokenTree::Group(group)]);
    out
}
