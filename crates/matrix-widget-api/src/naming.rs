//! Names that come in several spellings: stable (`m.send.delayed_event`), unstable
//! (`org.matrix.msc4157.send.delayed_event`) and legacy (`m.send.delay_events`).
//!
//! Every name type (actions, capabilities, API versions, update actions) is an enum with
//! `#[derive(WireName)]`; its `#[wire(...)]` attributes are the one table of its spellings.
//! What is emitted follows three rules, in this order:
//!
//! 1. A [`Spelled`] value that was **parsed** re-emits the spelling it arrived in, so a reply
//!    echoes the exact action string and `notify_capabilities` echoes the widget's own
//!    capability strings.
//! 2. A value whose spelling was **set** ([`Spelled::with_spelling`]) uses that spelling.
//! 3. Anything else uses the naming of the current serialisation call ([`with_naming`],
//!    [`to_string_with`]), which is [`Naming::Unstable`] unless the caller says otherwise,
//!    because deployed peers (matrix-widget-api 1.19 among them) only know unstable names.
//!
//! Equality and hashing of [`Spelled`] ignore the spelling: `m.send.delayed_event` and
//! `org.matrix.msc4157.send.delayed_event` are the same capability.
//!
//! ```
//! use matrix_widget_api::naming::{Naming, WireName};
//! use matrix_widget_api::ActionName;
//!
//! let action: ActionName = "org.matrix.msc2876.read_events".parse()?;
//! assert_eq!(action, ActionName::ReadEvents);
//! assert_eq!(action.name(Naming::Stable), "read_events");
//! assert_eq!(action.name(Naming::Unstable), "org.matrix.msc2876.read_events");
//! # Ok::<(), matrix_widget_api::naming::NameError>(())
//! ```
//!
//! # Matching a name the crate does not know
//!
//! The catch-all variant is hidden on purpose (ruma's answer to the same problem): a match
//! arm `_Custom(n) if n.as_str() == "x"` would silently stop matching the day the crate
//! learns `x` and parses it to a variant of its own. Compare with a parsed value instead,
//! which keeps matching across versions because a name equals itself whichever variant
//! holds it:
//!
//! ```
//! use matrix_widget_api::ActionName;
//!
//! let vendor: ActionName = "io.element.join".parse()?;
//! let join: ActionName = "io.element.join".parse()?;
//! assert_eq!(vendor, join); // holds today (catch-all) and once the crate types the action
//! assert_eq!(vendor.to_string(), "io.element.join");
//! assert_eq!("send_event".parse::<ActionName>()?, ActionName::SendEvent);
//! # Ok::<(), matrix_widget_api::naming::NameError>(())
//! ```

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;
use std::hash::{Hash, Hasher};

pub use matrix_widget_api_macros::{WireName, wire_docs};

/// Which spelling to emit for values built in code: a policy, chosen per serialisation
/// call ([`to_string_with`], [`with_naming`]).
///
/// Compare [`Spelling`], which is a fact about one string (the form it arrived in,
/// including legacy forms that are never chosen). A `Naming` becomes a `Spelling` through
/// `From` when a value is pinned to it with [`Spelled::with_spelling`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Naming {
    /// The unstable, prefixed spelling (`org.matrix.msc4157.update_delayed_event`): what
    /// deployed clients and widgets understand today. The default.
    #[default]
    Unstable,
    /// The stable spelling proposed by the MSC (`update_delayed_event`).
    Stable,
}

/// The spelling one name string has: the form it arrived in, or the form a value is pinned
/// to ([`Spelled::with_spelling`]). Compare [`Naming`], the policy for values that are not
/// pinned.
///
/// A name declared with one spelling (`#[wire("send_event")]`) has no prefixed form: that
/// one string is its stable name, so it parses as `Stable` (and is written the same in
/// every naming). A name that so far has only a prefixed form (`#[wire(unstable =
/// "org.matrix.msc4533.rtc_livekit_get_token")]`) parses as `Unstable`.
///
/// ```
/// use matrix_widget_api::naming::{Spelled, Spelling};
/// use matrix_widget_api::from_widget::update_delayed_event::UpdateAction;
/// use matrix_widget_api::ActionName;
///
/// let refresh: Spelled<UpdateAction> = Spelled::parse("refresh")?;
/// assert_eq!(refresh.spelling(), Some(Spelling::Legacy("refresh")));
/// assert_eq!(*refresh.value(), UpdateAction::Restart);
/// let send_event: Spelled<ActionName> = Spelled::parse("send_event")?;
/// assert_eq!(send_event.spelling(), Some(Spelling::Stable));
/// # Ok::<(), matrix_widget_api::naming::NameError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Spelling {
    /// The stable spelling (for a name with a single spelling: that spelling).
    Stable,
    /// The unstable, prefixed spelling.
    Unstable,
    /// A legacy spelling: the string itself. Only parsed values carry it; writing a name
    /// in a legacy spelling it does not have falls back to the unstable one.
    Legacy(&'static str),
}

impl Spelling {
    /// `"stable"`, `"unstable"` or `"legacy"`.
    pub const fn kind(self) -> &'static str {
        match self {
            Spelling::Stable => "stable",
            Spelling::Unstable => "unstable",
            Spelling::Legacy(_) => "legacy",
        }
    }
}

/// The text of a name that is not in its type's table (a vendor action such as
/// `io.element.join`, an unknown capability), as held by the hidden `_Custom` variant of a
/// name type.
///
/// It can only be made by parsing: a known spelling always parses to its own variant, so
/// the catch-all never holds `"send_event"` and lookups keyed on the enum cannot miss.
#[doc(hidden)]
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CustomName(Cow<'static, str>);

impl CustomName {
    /// The name as it arrived.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Only for the generated parsers: wraps a string that matched no declared spelling.
    #[doc(hidden)]
    pub fn __from_unknown(s: &str) -> Self {
        CustomName(Cow::Owned(s.to_owned()))
    }

    /// The empty name, the placeholder `NAME` of the untyped action markers.
    pub(crate) const EMPTY: CustomName = CustomName(Cow::Borrowed(""));

    /// A vendor name of a `T`, for code that declares its own names, such as the `NAME` of a
    /// third-party [`Action`](crate::Action) marker.
    ///
    /// ```
    /// use matrix_widget_api::ActionName;
    /// use matrix_widget_api::naming::CustomName;
    ///
    /// const JOIN: ActionName = ActionName::_Custom(CustomName::vendor::<ActionName>("io.element.join"));
    /// assert_eq!(JOIN, "io.element.join".parse::<ActionName>()?);
    /// # Ok::<(), matrix_widget_api::naming::NameError>(())
    /// ```
    ///
    /// # Panics
    ///
    /// If `name` is empty, is one of `T`'s declared spellings or starts with one of its
    /// prefixes — in a `const`, that is a compile error. Such a name has its own variant.
    #[expect(clippy::indexing_slicing, reason = "every index is checked against its length by the loops")]
    pub const fn vendor<T: WireName>(name: &'static str) -> CustomName {
        assert!(!name.is_empty(), "a vendor name must not be empty");
        let mut i = 0;
        while i < T::NAMES.len() {
            let spec = &T::NAMES[i];
            let spellings = [spec.stable, spec.unstable];
            let mut j = 0;
            while j < spec.legacy.len() + 2 {
                let spelling = if j < 2 { spellings[j] } else { spec.legacy[j - 2] };
                let known = if spec.prefix { starts_with(name, spelling) } else { const_eq(name, spelling) };
                assert!(!known, "this name is declared in the type's table: use its own variant, not the catch-all");
                j += 1;
            }
            i += 1;
        }
        CustomName(Cow::Borrowed(name))
    }
}

#[expect(clippy::indexing_slicing, reason = "every index is below both lengths")]
const fn starts_with(s: &str, prefix: &str) -> bool {
    let (s, prefix) = (s.as_bytes(), prefix.as_bytes());
    if prefix.len() > s.len() {
        return false;
    }
    let mut i = 0;
    while i < prefix.len() {
        if s[i] != prefix[i] {
            return false;
        }
        i += 1;
    }
    true
}

const fn const_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && starts_with(a, b)
}

impl fmt::Debug for CustomName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for CustomName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl AsRef<str> for CustomName {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl From<Naming> for Spelling {
    fn from(naming: Naming) -> Self {
        match naming {
            Naming::Unstable => Spelling::Unstable,
            Naming::Stable => Spelling::Stable,
        }
    }
}

/// One name's spellings, as declared in `#[wire(...)]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NameSpec {
    /// The Rust variant.
    pub variant: &'static str,
    /// The stable spelling (equal to `unstable` for names with one spelling).
    pub stable: &'static str,
    /// The unstable spelling.
    pub unstable: &'static str,
    /// Older spellings that are accepted and never emitted unless parsed.
    pub legacy: &'static [&'static str],
    /// `true` when the spelling is a prefix followed by a parameter (`m.send.event:<type>`).
    pub prefix: bool,
    /// For a prefix: the regular expression (ECMA-262) of the parameter's text, when it is
    /// not "any text" — see [`NameParam::PATTERN`].
    pub param_pattern: Option<&'static str>,
    /// The variant's documentation.
    pub doc: &'static str,
}

impl NameSpec {
    /// Every distinct spelling: stable, unstable (if different), then legacy.
    pub fn spellings(&self) -> impl Iterator<Item = &'static str> {
        let unstable = (self.unstable != self.stable).then_some(self.unstable);
        std::iter::once(self.stable).chain(unstable).chain(self.legacy.iter().copied())
    }
}

/// A name type: implemented by `#[derive(WireName)]`.
pub trait WireName: Sized {
    /// What one of these names is ("action", "capability"), for error messages.
    const WHAT: &'static str;
    /// The type's documentation (the schema's description).
    const DOC: &'static str = "";
    /// Whether unknown strings are kept in a catch-all variant instead of rejected.
    const OPEN: bool;
    /// The declared spellings, in declaration order (the catch-all is not listed).
    const NAMES: &'static [NameSpec];

    /// Parses any spelling. The second value is the spelling it arrived in (`None` for the
    /// catch-all variant, which re-emits its string verbatim).
    fn parse_name(s: &str) -> Result<(Self, Option<Spelling>), NameError>;

    /// The name in the given spelling.
    fn name_in(&self, spelling: Spelling) -> Cow<'_, str>;

    /// The name in the given naming.
    fn name(&self, naming: Naming) -> Cow<'_, str> {
        self.name_in(naming.into())
    }
}

/// Parameters of prefixed names (`m.send.event:<parameter>`).
pub trait NameParam: Sized {
    /// The parameter texts [`NameParam::parse_param`] accepts, as an ECMA-262 regular
    /// expression for the schemas; `None` (the default) when it accepts any text. A parser
    /// that rejects some texts must say which, or the schema would accept more than parsing.
    const PATTERN: Option<&'static str> = None;

    /// Parses the text after the prefix; `None` if this variant does not apply (the string
    /// then falls through to later variants and finally the catch-all).
    fn parse_param(s: &str) -> Option<Self>;
    /// Appends the text after the prefix.
    fn write_param(&self, out: &mut String);
}

impl NameParam for String {
    fn parse_param(s: &str) -> Option<Self> {
        Some(s.to_owned())
    }
    fn write_param(&self, out: &mut String) {
        out.push_str(self);
    }
}

/// A name that is not one of a closed set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NameError {
    what: &'static str,
    name: String,
    expected: Vec<&'static str>,
}

impl NameError {
    /// `name` is not a known `T`.
    pub fn unknown<T: WireName>(name: &str) -> Self {
        let expected = T::NAMES.iter().flat_map(NameSpec::spellings).collect();
        NameError { what: T::WHAT, name: name.to_owned(), expected }
    }

    /// The string that was rejected.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl fmt::Display for NameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown {} {}, expected one of ", self.what, crate::plain::bounded(&format!("{:?}", self.name)))?;
        for (i, name) in self.expected.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{name:?}")?;
        }
        Ok(())
    }
}

impl std::error::Error for NameError {}

thread_local! {
    static NAMING: Cell<Naming> = const { Cell::new(Naming::Unstable) };
}

/// The naming of the serialisation call in progress on this thread (default: unstable).
pub fn current_naming() -> Naming {
    NAMING.with(Cell::get)
}

/// Runs `f` with `naming` as the naming for values built in code, restoring the previous
/// naming afterwards (also if `f` panics).
pub fn with_naming<R>(naming: Naming, f: impl FnOnce() -> R) -> R {
    struct Restore(Naming);
    impl Drop for Restore {
        fn drop(&mut self) {
            NAMING.with(|n| n.set(self.0));
        }
    }
    let _restore = Restore(NAMING.with(|n| n.replace(naming)));
    f()
}

/// `serde_json::to_string` with `naming` for values built in code.
pub fn to_string_with<T: Serialize + ?Sized>(value: &T, naming: Naming) -> serde_json::Result<String> {
    with_naming(naming, || serde_json::to_string(value))
}

/// `serde_json::to_vec` with `naming` for values built in code.
pub fn to_vec_with<T: Serialize + ?Sized>(value: &T, naming: Naming) -> serde_json::Result<Vec<u8>> {
    with_naming(naming, || serde_json::to_vec(value))
}

/// A name together with the spelling it is written in.
///
/// Parsing records the spelling that arrived; serialising writes it back. Built with
/// [`Spelled::new`] (or `From`), it follows the naming of the serialisation call.
///
/// ```
/// use matrix_widget_api::naming::{Naming, Spelled, Spelling, to_string_with};
/// use matrix_widget_api::Capability;
///
/// // Parsed: remembers and re-emits the spelling, whatever the call's naming.
/// let parsed: Spelled<Capability> = Spelled::parse("m.send.delayed_event")?;
/// assert_eq!(parsed.spelling(), Some(Spelling::Stable));
/// assert_eq!(to_string_with(&parsed, Naming::Unstable)?, r#""m.send.delayed_event""#);
/// // Built: follows the call's naming, unstable by default.
/// let built = Spelled::new(Capability::SendDelayedEvent);
/// assert_eq!(serde_json::to_string(&built)?, r#""org.matrix.msc4157.send.delayed_event""#);
/// assert_eq!(to_string_with(&built, Naming::Stable)?, r#""m.send.delayed_event""#);
/// // The same capability either way.
/// assert_eq!(parsed, built);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
/// Comparison and hashing look at the name only, never at the spelling.
#[derive(Clone, Debug)]
pub struct Spelled<T> {
    value: T,
    spelling: Option<Spelling>,
}

impl<T: WireName> Spelled<T> {
    /// A name that will be written in the naming of the serialisation call.
    pub fn new(value: T) -> Self {
        Spelled { value, spelling: None }
    }

    /// The same name, always written in `spelling`.
    pub fn with_spelling(self, spelling: Spelling) -> Self {
        Spelled { spelling: Some(spelling), ..self }
    }

    /// Parses any spelling, remembering which one.
    pub fn parse(s: &str) -> Result<Self, NameError> {
        let (value, spelling) = T::parse_name(s)?;
        Ok(Spelled { value, spelling })
    }

    /// The name.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// The name, without its spelling.
    pub fn into_inner(self) -> T {
        self.value
    }

    /// The spelling it arrived in or was set to; `None` when it follows the call's naming
    /// (and for unknown names, which are written verbatim).
    pub fn spelling(&self) -> Option<Spelling> {
        self.spelling
    }

    /// The string this value serialises to right now.
    pub fn as_str(&self) -> Cow<'_, str> {
        self.value.name_in(self.spelling.unwrap_or_else(|| current_naming().into()))
    }
}

impl<T: WireName> From<T> for Spelled<T> {
    fn from(value: T) -> Self {
        Spelled::new(value)
    }
}

impl<T: PartialEq> PartialEq for Spelled<T> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<T: Eq> Eq for Spelled<T> {}

impl<T: PartialEq> PartialEq<T> for Spelled<T> {
    fn eq(&self, other: &T) -> bool {
        self.value == *other
    }
}

impl<T: Hash> Hash for Spelled<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.value.hash(state);
    }
}

impl<T: WireName> fmt::Display for Spelled<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.as_str())
    }
}

impl<T: WireName> Serialize for Spelled<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.as_str())
    }
}

impl<'de, T: WireName> Deserialize<'de> for Spelled<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(NameVisitor(std::marker::PhantomData)).map(|(value, spelling)| Spelled { value, spelling })
    }
}

/// Reads a string and parses it as a `T`, keeping the spelling. Borrowed and transient
/// strings are parsed in place, so known names allocate nothing.
struct NameVisitor<T>(std::marker::PhantomData<T>);

impl<T: WireName> serde::de::Visitor<'_> for NameVisitor<T> {
    type Value = (T, Option<Spelling>);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let article = if T::WHAT.starts_with(['a', 'e', 'i', 'o', 'u', 'A', 'E', 'I', 'O', 'U']) { "an" } else { "a" };
        write!(f, "{article} {} name (a string)", T::WHAT)
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        T::parse_name(v).map_err(E::custom)
    }
}

// ---- Support for the generated code (reached through `crate::__private`). ----

#[doc(hidden)]
pub fn serialize_name<T: WireName, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&value.name(current_naming()))
}

#[doc(hidden)]
pub fn deserialize_name<'de, T: WireName, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_str(NameVisitor::<T>(std::marker::PhantomData)).map(|(value, _)| value)
}

#[doc(hidden)]
pub fn parse_name<T: WireName>(s: &str) -> Result<T, NameError> {
    T::parse_name(s).map(|(value, _)| value)
}

/// The type of the `#[wire(other)]` variant's field, which is [`CustomName`]: the generated
/// parser builds it and `name_in` reads it through this trait, so a catch-all declared with
/// another type (`Other(String)`) is one error, at that field, that says what to write.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "the #[wire(other)] variant holds a `CustomName`, not `{Self}`",
    label = "write `CustomName` (matrix_widget_api::naming::CustomName)"
)]
pub trait CatchAll: Sized {
    /// [`CustomName::__from_unknown`].
    fn __from_unknown(s: &str) -> Self;
    /// [`CustomName::as_str`].
    fn __as_str(&self) -> &str;
}

impl CatchAll for CustomName {
    fn __from_unknown(s: &str) -> Self {
        CustomName::__from_unknown(s)
    }
    fn __as_str(&self) -> &str {
        self.as_str()
    }
}

#[doc(hidden)]
pub fn display_name<T: WireName>(value: &T, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    f.write_str(&value.name(current_naming()))
}

#[cfg(feature = "schema")]
impl<T: schemars::JsonSchema> schemars::JsonSchema for Spelled<T> {
    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }
    fn schema_id() -> Cow<'static, str> {
        T::schema_id()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        generator.subschema_for::<T>()
    }
}
