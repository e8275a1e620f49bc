//! Container keys that both derives read, with one spelling and one set of messages.

/// Reads `schema_name = "..."` into `slot`: the name of the type's schema in `$defs`, for when
/// two types of the same name meet in one schema.
pub(crate) fn schema_name(meta: &syn::meta::ParseNestedMeta, slot: &mut Option<syn::LitStr>) -> syn::Result<()> {
    let lit: syn::LitStr = meta.value()?.parse()?;
    if lit.value().is_empty() {
        return Err(syn::Error::new_spanned(lit, "`schema_name` must not be empty"));
    }
    if slot.replace(lit).is_some() {
        return Err(meta.error("`schema_name` is given twice"));
    }
    Ok(())
}
