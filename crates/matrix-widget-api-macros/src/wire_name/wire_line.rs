//! The spellings paragraph of a variant ("Wire: `m.sticker`"). `#[wire_docs]` appends it to
//! the variant's rustdoc; the derive leaves it out of `NameSpec::doc`, where the schema states
//! the spellings as data. Both sides build it here, from the same [`Names`], so they agree.

use super::attr::{Names, Spellings};
use syn::Attribute;

/// The variant's documentation for `NameSpec::doc`: its doc comment without the paragraph
/// `#[wire_docs]` appended, which would only repeat the table in every schema description.
pub(crate) fn variant_doc(attrs: &[Attribute], names: &Names) -> String {
    crate::docs::strip_paragraph(crate::docs::text(attrs), &wire_line(names))
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

/// Each spelling as inline code, with `param` after a prefix, and what kind of spelling it is.
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
    use crate::ctxt::Ctxt;
    use syn::{Variant, parse_quote};

    /// The names a valid variant declares.
    fn names(variant: &Variant) -> Names {
        let mut cx = Ctxt::default();
        let names = super::super::attr::variant_names(&mut cx, variant);
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
            assert_eq!(wire_line(&names(&variant)), line);
        }
    }

    #[test]
    fn the_derive_leaves_out_only_the_whole_paragraph() {
        let a: Variant = parse_quote!(
            /// Documented.
            ///
            /// Wire: `m.a`
            #[wire("m.a")]
            A
        );
        assert_eq!(variant_doc(&a.attrs, &names(&a)), "Documented.");
        // Docs that merely end like the line are left alone.
        let d: Variant = parse_quote!(
            #[doc = " See Wire: `m.d`"]
            #[wire("m.d")]
            D
        );
        assert_eq!(variant_doc(&d.attrs, &names(&d)), "See Wire: `m.d`");
    }
}
