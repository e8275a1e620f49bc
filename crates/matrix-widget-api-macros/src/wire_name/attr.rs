//! Reading `#[wire(...)]` on the enum and on its variants.

use crate::ctxt::Ctxt;
use syn::parse::ParseStream;
use syn::{Attribute, Ident, LitStr, Token, Variant};

/// The spellings of one name.
pub(crate) struct Spellings {
    /// The stable spelling (for a single name: that name).
    pub(crate) stable: LitStr,
    /// The unstable spelling (for a single name: that name).
    pub(crate) unstable: LitStr,
    /// The legacy spellings, parsed but written only when a value was parsed from them.
    pub(crate) legacy: Vec<LitStr>,
    /// Given as a single positional name, or as `unstable` only: stable and unstable are the
    /// same literal.
    pub(crate) single: bool,
    /// For a single name: whether it parses as `Spelling::Stable` (a positional name) or as
    /// `Unstable` (an `unstable` name with no stable one yet).
    pub(crate) single_is_stable: bool,
}

impl Spellings {
    /// Every distinct literal, stable first.
    pub(crate) fn all(&self) -> Vec<&LitStr> {
        let mut all = vec![&self.stable];
        if !self.single {
            all.push(&self.unstable);
        }
        all.extend(self.legacy.iter());
        all
    }
}

/// What a variant's attribute declares.
pub(crate) enum Names {
    /// The whole string is the name.
    Exact(Spellings),
    /// The spelling is a prefix; the rest of the string is the variant's field.
    Prefix(Spellings),
    /// The catch-all for every other string; the ident is the `other` keyword.
    Other(Ident),
}

/// The keys a variant's `#[wire(...)]` takes, for the unknown-key message.
const VARIANT_KEYS: &str = "a name string, `stable`, `unstable`, `legacy`, `prefix` or `other`";

/// What `#[wire(...)]` on the enum says.
#[derive(Default)]
pub(crate) struct Container {
    /// `what = "capability"`: what one of these names is, for error messages.
    pub(crate) what: Option<String>,
    /// `schema_name = "..."`: the `$defs` name (default: the enum's name).
    pub(crate) schema_name: Option<LitStr>,
}

/// `#[wire(what = "capability", schema_name = "...")]` on the enum.
pub(crate) fn container(cx: &mut Ctxt, attrs: &[Attribute]) -> Container {
    let mut out = Container::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("wire")) {
        let result = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("what") {
                let lit: LitStr = meta.value()?.parse()?;
                if lit.value().is_empty() {
                    return Err(meta.error("`what` must not be empty"));
                }
                out.what = Some(lit.value());
                Ok(())
            } else if meta.path.is_ident("schema_name") {
                crate::attr::schema_name(&meta, &mut out.schema_name)
            } else {
                let key = meta.path.segments.iter().map(|s| s.ident.to_string()).collect::<Vec<_>>().join("::");
                Err(meta.error(format!(
                    "unknown key `{key}` in #[wire(...)] on the enum; expected `what = \"...\"` or `schema_name = \"...\"`"
                )))
            }
        });
        if let Err(e) = result {
            cx.syn_error(e);
        }
    }
    out
}

/// Reads the one `#[wire(...)]` of a variant; `None` (with an error recorded) if it is
/// missing or malformed.
pub(crate) fn variant_names(cx: &mut Ctxt, variant: &Variant) -> Option<Names> {
    let mut attrs = variant.attrs.iter().filter(|a| a.path().is_ident("wire"));
    let Some(attr) = attrs.next() else {
        cx.error_spanned_by(
            &variant.ident,
            format!("variant `{}` needs a #[wire(...)] attribute naming it, e.g. #[wire(\"name\")]", variant.ident),
        );
        return None;
    };
    for extra in attrs {
        cx.error_spanned_by(extra, "only one #[wire(...)] attribute is allowed per variant");
    }
    match attr.parse_args_with(|input: ParseStream| parse_variant_args(attr, input)) {
        Ok(names) => Some(names),
        Err(e) => {
            cx.syn_error(e);
            None
        }
    }
}

/// The inside of a variant's `#[wire(...)]`: a positional name or `stable`/`unstable`, any
/// `legacy`, and the `prefix` or `other` flag; `attr` is where a missing name is reported.
fn parse_variant_args(attr: &Attribute, input: ParseStream) -> syn::Result<Names> {
    let mut single: Option<LitStr> = None;
    let mut stable: Option<LitStr> = None;
    let mut unstable: Option<LitStr> = None;
    let mut legacy = Vec::new();
    let mut prefix: Option<Ident> = None;
    let mut other: Option<Ident> = None;
    while !input.is_empty() {
        if input.peek(LitStr) {
            let lit: LitStr = input.parse()?;
            if single.is_some() {
                return Err(syn::Error::new_spanned(
                    &lit,
                    "a variant has only one positional name; use `legacy = \"...\"` for more spellings",
                ));
            }
            single = Some(lit);
        } else {
            let key: Ident = input.call(syn::ext::IdentExt::parse_any)?;
            match key.to_string().as_str() {
                "legacy" => {
                    input.parse::<Token![=]>()?;
                    legacy.push(input.parse::<LitStr>()?);
                }
                "stable" | "unstable" => {
                    input.parse::<Token![=]>()?;
                    let lit: LitStr = input.parse()?;
                    let slot = if key == "stable" { &mut stable } else { &mut unstable };
                    if slot.is_some() {
                        return Err(syn::Error::new_spanned(&key, format!("`{key}` is given twice")));
                    }
                    *slot = Some(lit);
                }
                "prefix" | "other" => {
                    if !input.is_empty() && !input.peek(Token![,]) {
                        return Err(syn::Error::new_spanned(
                            &key,
                            format!("`{key}` is a flag and takes no value: write #[wire(..., {key})]"),
                        ));
                    }
                    if key == "prefix" {
                        prefix = Some(key);
                    } else {
                        other = Some(key);
                    }
                }
                _ => {
                    return Err(syn::Error::new_spanned(&key, format!("unknown key `{key}` in #[wire(...)]; expected {VARIANT_KEYS}")));
                }
            }
        }
        if input.is_empty() {
            break;
        }
        input.parse::<Token![,]>()?;
    }

    if let Some(other) = other {
        if let Some(lit) = single.as_ref().or(stable.as_ref()).or(unstable.as_ref()).or(legacy.first()) {
            return Err(syn::Error::new_spanned(lit, "#[wire(other)] is the catch-all for unknown strings and takes no name"));
        }
        if let Some(prefix) = prefix {
            return Err(syn::Error::new_spanned(prefix, "#[wire(other)] cannot also be `prefix`"));
        }
        return Ok(Names::Other(other));
    }

    let spellings = match (single, stable, unstable) {
        (Some(single), None, None) => Spellings { stable: single.clone(), unstable: single, legacy, single: true, single_is_stable: true },
        (Some(single), _, _) => {
            return Err(syn::Error::new_spanned(single, "give either one name or `stable`/`unstable` names, not both"));
        }
        (None, Some(stable), Some(unstable)) => Spellings { stable, unstable, legacy, single: false, single_is_stable: false },
        (None, None, Some(unstable)) => Spellings { stable: unstable.clone(), unstable, legacy, single: true, single_is_stable: false },
        (None, Some(stable), None) => {
            return Err(syn::Error::new_spanned(
                stable,
                "`stable` needs an `unstable` spelling too; a name with one spelling is written #[wire(\"name\")]",
            ));
        }
        (None, None, None) => {
            return Err(syn::Error::new_spanned(attr, "#[wire(...)] needs a name, e.g. #[wire(\"name\")], or `other`"));
        }
    };
    Ok(if prefix.is_some() { Names::Prefix(spellings) } else { Names::Exact(spellings) })
}
