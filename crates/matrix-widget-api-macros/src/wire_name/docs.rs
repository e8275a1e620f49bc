//! `#[wire_docs]`: each variant's spellings, appended to its documentation.
//!
//! A derive cannot change the item it is attached to, so the spellings are added by an
//! attribute macro placed above `#[derive(WireName)]`. It reads the same `#[wire(...)]`
//! attributes with the same parser and re-emits the enum with one more doc paragraph per
//! variant. The derive then leaves that paragraph out of `NameSpec::doc` (the schema's
//! descriptions), where the spellings are already stated as data.

use super::attr::{self, Names, Spellings};
use crate::ctxt::Ctxt;
use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::{Attribute, Item, parse_quote};

/// The attribute: the enum with the spelling line appended to each variant's docs, or the
/// item unchanged plus an error when it is misused.
pub(crate) fn attribute(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut item: Item = match syn::parse2(item.clone()) {
        Ok(item) => item,
        // Not an item at all: let the compiler say what is wrong with it.
        Err(_) => return item,
    };
    let mut errors = TokenStream::new();
    if !args.is_empty() {
        errors.extend(syn::Error::new_spanned(&args, "#[wire_docs] takes no arguments").to_compile_error());
    }
    match &mut item {
        Item::Enum(e) => {
            for variant in &mut e.variants {
                // A malformed attribute documents nothing; the derive reports it.
                let Some(names) = attr::variant_names(&mut Ctxt::default(), variant) else { continue };
                let line = format!(" {}", wire_line(&names));
                if variant.attrs.iter().any(is_doc) {
                    variant.attrs.push(parse_quote!(#[doc = ""]));
                }
                variant.attrs.push(parse_quote!(#[doc = #line]));
            }
        }
        other => {
            let head = match other {
                Item::Struct(s) => {
                    let (kw, ident) = (&s.struct_token, &s.ident);
                    quote!(#kw #ident)
                }
                Item::Union(u) => {
                    let (kw, ident) = (&u.union_token, &u.ident);
                    quote!(#kw #ident)
                }
                other => other.to_token_stream(),
            };
            errors.extend(
                syn::Error::new_spanned(head, "#[wire_docs] only works on enums with #[derive(WireName)]: it documents their spellings")
                    .to_compile_error(),
            );
        }
    }
    let mut out = item.into_token_stream();
    out.extend(errors);
    out
}

fn is_doc(attr: &Attribute) -> bool {
    attr.path().is_ident("doc")
}

/// The variant's documentation for `NameSpec::doc`: [`attr::doc`] without the paragraph
/// `#[wire_docs]` appended, which would only repeat the table in every schema description.
pub(crate) fn variant_doc(attrs: &[Attribute], names: &Names) -> String {
    let doc = attr::doc(attrs);
    match doc.strip_suffix(wire_line(names).as_str()) {
        Some(rest) if rest.is_empty() || rest.ends_with('\n') => rest.trim_end().to_owned(),
        _ => doc,
    }
}

/// "Wire: `m.send.delayed_event` (stable) · `org.matrix.msc4157.send.delayed_event`
/// (unstable) · `m.send.delay_events` (legacy)": what goes on the wire, in rustdoc markdown.
pub(crate) fn wire_line(names: &Names) -> String {
    let parts = match names {
        Names::Exact(s) => spellings(s, ""),
        Names::Prefix(s) => spellings(s, "<parameter>"),
        Names::Other(_) => return "Wire: any other string, kept verbatim".to_owned(),
    };
    format!("Wire: {}", parts.join(" · "))
}

fn spellings(s: &Spellings, param: &str) -> Vec<String> {
    let code = |lit: &syn::LitStr| code(&format!("{}{param}", lit.value()));
    let mut parts = Vec::new();
    if s.single && s.single_is_stable {
        // One spelling, written in every naming.
        parts.push(code(&s.stable));
    } else if s.single {
        parts.push(format!("{} (unstable; no stable spelling yet)", code(&s.unstable)));
    } else {
        parts.push(format!("{} (stable)", code(&s.stable)));
        parts.push(format!("{} (unstable)", code(&s.unstable)));
    }
    parts.extend(s.legacy.iter().map(|lit| format!("{} (legacy)", code(lit))));
    parts
}

/// Markdown inline code, with a longer fence when the text holds a backtick.
fn code(text: &str) -> String {
    if text.contains('`') { format!("`` {text} ``") } else { format!("`{text}`") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::{ItemEnum, Variant};

    fn names(variant: Variant) -> Names {
        let mut cx = Ctxt::default();
        let names = attr::variant_names(&mut cx, &variant);
        assert!(cx.check().is_ok());
        names.expect("valid attribute")
    }

    #[test]
    fn every_form_of_name_has_its_line() {
        let cases: [(Variant, &str); 7] = [
            (
                parse_quote!(
                    #[wire("m.sticker")]
                    Sticker
                ),
                "Wire: `m.sticker`",
            ),
            (
                parse_quote!(
                    #[wire(
                        stable = "m.send.delayed_event",
                        unstable = "org.matrix.msc4157.send.delayed_event",
                        legacy = "m.send.delay_events"
                    )]
                    SendDelayedEvent
                ),
                "Wire: `m.send.delayed_event` (stable) · `org.matrix.msc4157.send.delayed_event` (unstable) · `m.send.delay_events` (legacy)",
            ),
            (
                parse_quote!(
                    #[wire("restart", legacy = "refresh")]
                    Restart
                ),
                "Wire: `restart` · `refresh` (legacy)",
            ),
            (
                parse_quote!(
                    #[wire(unstable = "org.matrix.msc4533.rtc")]
                    Rtc
                ),
                "Wire: `org.matrix.msc4533.rtc` (unstable; no stable spelling yet)",
            ),
            (
                parse_quote!(
                    #[wire(stable = "m.send.event:", unstable = "org.matrix.msc2762.send.event:", prefix)]
                    SendEvent(String)
                ),
                "Wire: `m.send.event:<parameter>` (stable) · `org.matrix.msc2762.send.event:<parameter>` (unstable)",
            ),
            (
                parse_quote!(
                    #[wire(other)]
                    Other(CustomName)
                ),
                "Wire: any other string, kept verbatim",
            ),
            (
                parse_quote!(
                    #[wire("a`b")]
                    Tick
                ),
                "Wire: `` a`b ``",
            ),
        ];
        for (variant, line) in cases {
            assert_eq!(wire_line(&names(variant)), line);
        }
    }

    #[test]
    fn the_attribute_appends_a_paragraph_and_the_derive_leaves_it_out() {
        let input = quote! {
            #[derive(WireName)]
            enum Name {
                /// Documented.
                ///
                /// Twice.
                #[wire("m.a")]
                A,
                #[wire("m.b")]
                B,
                #[wire(stabel = "m.c")]
                C,
            }
        };
        let out: ItemEnum = syn::parse2(attribute(TokenStream::new(), input)).expect("an enum");
        let [a, b, c] = [&out.variants[0], &out.variants[1], &out.variants[2]];
        assert_eq!(attr::doc(&a.attrs), "Documented.\n\nTwice.\n\nWire: `m.a`");
        assert_eq!(attr::doc(&b.attrs), "Wire: `m.b`");
        // A malformed attribute is left for the derive to report.
        assert_eq!(c.attrs.len(), 1);
        // The other attributes are kept, the derive included.
        assert!(out.attrs.iter().any(|a| a.path().is_ident("derive")));
        assert_eq!(variant_doc(&a.attrs, &names(a.clone())), "Documented.\n\nTwice.");
        assert_eq!(variant_doc(&b.attrs, &names(b.clone())), "");
        // Docs that merely end like another line are left alone.
        let d: Variant = parse_quote!(
            #[doc = " See Wire: `m.d`"]
            #[wire("m.d")]
            D
        );
        assert_eq!(variant_doc(&d.attrs, &names(d.clone())), "See Wire: `m.d`");
    }

    #[test]
    fn misuse_is_reported_and_the_item_kept() {
        let out = attribute(
            quote!(stable),
            quote!(
                enum E {}
            ),
        )
        .to_string();
        assert!(out.contains("takes no arguments") && out.contains("enum E"), "{out}");
        let out = attribute(
            TokenStream::new(),
            quote!(
                struct S;
            ),
        )
        .to_string();
        assert!(out.contains("only works on enums") && out.contains("struct S"), "{out}");
    }
}
