//! Derive macros for [`matrix-widget-api`](https://docs.rs/matrix-widget-api).
//!
//! Use them through the re-exports in `matrix_widget_api::naming` and
//! `matrix_widget_api::payload`; the generated code names items of that crate.
//!
//! - [`WireName`]: an enum of names that come in several spellings (stable, unstable,
//!   legacy), optionally parameterised (`m.send.event:<type>`) and with a catch-all.
//! - [`wire_docs`](macro@wire_docs): an attribute for a `WireName` enum that adds each
//!   variant's spellings to its rustdoc.
//! - [`Payload`]: an open JSON object (a request or response `data` payload) that keeps
//!   unknown fields and reads `null` as "absent".
//!
//! # Layout
//!
//! Each derive is split like thiserror's, one module per step:
//!
//! - `ast` reads the item into a struct the other steps share: its fields or variants, their
//!   documentation, and what their attributes say;
//! - `attr` reads the `#[wire(...)]` attributes, on the item and on each field or variant;
//! - `valid` checks what was read (duplicate or empty names, ambiguous prefixes, flags that
//!   contradict each other), recording every error with its span rather than stopping at
//!   the first;
//! - `expand` emits the code;
//! - `fallback`, when anything was recorded, emits the errors and still every promised
//!   trait impl (stubbed where it would need the attributes), so one mistake produces one
//!   error rather than one per use of the type.
//!
//! That is `wire_name/{ast,attr,valid,expand,fallback}.rs` for [`WireName`] and
//! `payload/{ast,attr,valid,expand,fallback}.rs` for [`Payload`]. `wire_name/wire_line.rs`
//! builds a variant's spellings paragraph, which [`wire_docs`](macro@wire_docs)
//! (`wire_docs.rs`, reading variants with the `WireName` parser) appends to its rustdoc and
//! the derive leaves out of the schema. Neither derive reaches into the other; what both
//! need is in modules of its own:
//!
//! - `ctxt.rs`: the error collector and the pipeline above (read, check, then expand or
//!   report with the fallback; no stubs for a generic type, which would only add errors);
//! - `attr.rs`: the container key both derives read (`schema_name`);
//! - `docs.rs`: doc comments, read into schema descriptions and appended to by `#[wire_docs]`;
//! - `spanned.rs`: generated calls spanned on a field, so a type error lands on that field.
#![forbid(unsafe_code)]

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

mod attr;
mod ctxt;
mod docs;
mod payload;
mod spanned;
mod wire_docs;
mod wire_name;

/// Derives `matrix_widget_api::naming::WireName`, `Serialize`, `Deserialize`, `FromStr`,
/// `Display` and (with the crate's `schema` feature) `JsonSchema` for an enum of names.
///
/// ```ignore
/// #[derive(WireName)]
/// #[wire(what = "capability")]
/// enum Capability {
///     /// One spelling.
///     #[wire("m.sticker")]
///     Sticker,
///     /// Stable, unstable and legacy spellings.
///     #[wire(stable = "m.send.delayed_event", unstable = "org.matrix.msc4157.send.delayed_event",
///            legacy = "m.send.delay_events")]
///     SendDelayedEvent,
///     /// A parameterised name: the spelling is a prefix, the rest parses as the field.
///     #[wire(stable = "m.send.event:", unstable = "org.matrix.msc2762.send.event:", prefix)]
///     SendEvent(String),
///     /// Every other string, kept verbatim.
///     #[wire(other)]
///     Other(CustomName),
/// }
/// ```
///
/// On the enum, both optional: `what = "capability"` (what one name is, for error messages;
/// default "name") and `schema_name = "..."` (its name in a schema's `$defs`; default the
/// enum's name — see [`Payload`]).
#[proc_macro_derive(WireName, attributes(wire))]
pub fn derive_wire_name(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    wire_name::derive(&input).into()
}

/// Appends each variant's spellings to its documentation, so rustdoc shows what goes on the
/// wire, from the same `#[wire(...)]` table the derive reads. Put it above
/// `#[derive(WireName)]`:
///
/// ```ignore
/// use matrix_widget_api::naming::{wire_docs, WireName};
///
/// #[wire_docs]
/// #[derive(WireName)]
/// enum Capability {
///     /// Send delayed events.
///     #[wire(stable = "m.send.delayed_event", unstable = "org.matrix.msc4157.send.delayed_event",
///            legacy = "m.send.delay_events")]
///     SendDelayedEvent,
/// }
/// ```
///
/// documents `SendDelayedEvent` as "Send delayed events." followed by the paragraph
/// "Wire: `m.send.delayed_event` (stable) · `org.matrix.msc4157.send.delayed_event` (unstable)
/// · `m.send.delay_events` (legacy)". A prefix reads "`m.send.event:<parameter>`", the
/// catch-all "any other string, kept verbatim". The derive leaves that paragraph out of
/// `NameSpec::doc`, so schema descriptions do not repeat the spellings they list as data.
/// The enum is otherwise re-emitted unchanged; a malformed `#[wire(...)]` is left for the
/// derive to report.
#[proc_macro_attribute]
pub fn wire_docs(args: TokenStream, item: TokenStream) -> TokenStream {
    wire_docs::attribute(args.into(), item.into()).into()
}

/// Derives `Serialize`, `Deserialize` and (with the crate's `schema` feature) `JsonSchema`
/// for a struct with named fields that is a JSON object on the wire.
///
/// - `#[wire(rename = "type")]`: the JSON key (default: the field name).
/// - A field of type `Option<T>` is optional: absent and `null` both read as `None`, and
///   `None` is not written.
/// - `#[wire(default)]`: a non-`Option` field that may be absent (`Default::default()`).
/// - `#[wire(extra)]`: one field of type `matrix_widget_api::payload::Extra` that keeps every
///   unknown key with its raw value, so a parsed payload re-emits what it was given. Without
///   it, unknown keys are rejected.
///
/// On the struct, all optional:
///
/// - `#[wire(check = "path")]`: a `fn(&Self) -> Result<(), String>` run after parsing (it may
///   be private: the generated impls are in the struct's module).
/// - `#[wire(extend_schema = "path")]`: a `fn(Schema) -> Schema`, the schema's side of `check`.
/// - `#[wire(schema_name = "...")]`: the schema's name in `$defs` (default: the struct's
///   name). Each type is its own schema whatever its name (its id is its module path), but two
///   types of one name in one schema get `Name` and `Name2` from schemars; give one of them a
///   readable name instead.
#[proc_macro_derive(Payload, attributes(wire))]
pub fn derive_payload(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    payload::derive(&input).into()
}

#[cfg(test)]
mod tests {
    use quote::quote;

    /// Every impl the derives emit, the fallback stubs included, is `#[automatically_derived]`.
    #[test]
    fn every_generated_impl_is_marked_automatically_derived() {
        let inputs = [
            (
                crate::payload::derive as fn(&syn::DeriveInput) -> proc_macro2::TokenStream,
                quote!(
                    struct P {
                        a: String,
                    }
                ),
            ),
            (
                crate::payload::derive,
                quote!(
                    struct P {
                        #[wire(renam = "x")]
                        a: String,
                    }
                ),
            ),
            (
                crate::wire_name::derive,
                quote!(
                    enum N {
                        #[wire("a")]
                        A,
                        #[wire(other)]
                        Other(CustomName),
                    }
                ),
            ),
            (
                crate::wire_name::derive,
                quote!(
                    enum N {
                        #[wire(stabel = "a")]
                        A,
                    }
                ),
            ),
        ];
        for (derive, input) in inputs {
            let input: syn::DeriveInput = syn::parse2(input).expect("input");
            let out = derive(&input).to_string();
            // The trait impls for the type itself; the helper types inside them are not counted.
            let impls = out.matches(&format!("for {} {{", input.ident)).count();
            assert!(impls >= 3, "{out}");
            assert_eq!(out.matches("# [automatically_derived]").count(), impls, "{out}");
        }
    }
}
