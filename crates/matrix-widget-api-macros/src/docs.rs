//! Doc comments, read and written. Both derives copy documentation into the schema
//! (`WireName::DOC`, `NameSpec::doc`, a payload's and its fields' descriptions), and
//! `#[wire_docs]` appends a paragraph that the `WireName` derive then leaves out again. This
//! module knows only about `#[doc = "..."]` attributes, not about either derive.

use syn::{Attribute, parse_quote};

/// The text of the `#[doc = "..."]` attributes (the `///` lines): each line trimmed, joined
/// with `\n`, and the whole trimmed.
pub(crate) fn text(attrs: &[Attribute]) -> String {
    let mut lines = Vec::new();
    for attr in attrs.iter().filter(|a| is_doc(a)) {
        if let syn::Meta::NameValue(nv) = &attr.meta
            && let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) = &nv.value
        {
            lines.push(s.value().trim().to_owned());
        }
    }
    lines.join("\n").trim().to_owned()
}

/// Appends `paragraph` to the documentation in `attrs`, after a blank line when there is
/// documentation already, so that it is a paragraph of its own.
pub(crate) fn append_paragraph(attrs: &mut Vec<Attribute>, paragraph: &str) {
    let line = format!(" {paragraph}");
    if attrs.iter().any(is_doc) {
        attrs.push(parse_quote!(#[doc = ""]));
    }
    attrs.push(parse_quote!(#[doc = #line]));
}

/// `doc` (as read by [`text`]) without its last paragraph when that paragraph is `paragraph`,
/// as [`append_paragraph`] added it; otherwise `doc` unchanged, also when it merely ends with
/// the same words.
pub(crate) fn strip_paragraph(doc: String, paragraph: &str) -> String {
    match doc.strip_suffix(paragraph) {
        Some(rest) if rest.is_empty() || rest.ends_with('\n') => rest.trim_end().to_owned(),
        _ => doc,
    }
}

/// Whether `attr` is a `#[doc = ...]` (a `///` line).
fn is_doc(attr: &Attribute) -> bool {
    attr.path().is_ident("doc")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_joins_trimmed_lines_and_ignores_other_attributes() {
        let attrs: Vec<Attribute> = vec![
            parse_quote!(#[doc = "  First line. "]),
            parse_quote!(#[wire("m.a")]),
            parse_quote!(#[doc = ""]),
            parse_quote!(#[doc = " Second."]),
            parse_quote!(#[doc = ""]),
        ];
        assert_eq!(text(&attrs), "First line.\n\nSecond.");
        assert_eq!(text(&[]), "");
    }

    #[test]
    fn an_appended_paragraph_is_read_back_and_stripped() {
        let mut attrs: Vec<Attribute> = vec![parse_quote!(#[doc = " Documented."])];
        append_paragraph(&mut attrs, "Extra.");
        assert_eq!(attrs.len(), 3);
        assert_eq!(text(&attrs), "Documented.\n\nExtra.");
        assert_eq!(strip_paragraph(text(&attrs), "Extra."), "Documented.");

        let mut bare = Vec::new();
        append_paragraph(&mut bare, "Extra.");
        assert_eq!(bare.len(), 1);
        assert_eq!(strip_paragraph(text(&bare), "Extra."), "");
    }

    #[test]
    fn a_paragraph_is_stripped_only_when_whole() {
        assert_eq!(strip_paragraph("See Extra.".to_owned(), "Extra."), "See Extra.");
        assert_eq!(strip_paragraph("Other.".to_owned(), "Extra."), "Other.");
    }
}
