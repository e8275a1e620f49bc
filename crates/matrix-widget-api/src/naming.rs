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
//! 2. A value whose spelling was **set** ([`Spelled::with_naming`]) uses that spelling.
//! 3. Anything else uses the naming of the current serialisation call ([`with_naming`],
//!    [`to_string_with`]), which is [`Naming::Unstable`] unless the caller says otherwise,
//!    because deployed peers (matrix-widget-api 1.19 among them) only know unstable names.
//!
//! Equality and hashing of [`Spelled`] ignore the spelling: `m.send.delayed_event` and
//! `org.matrix.msc4157.send.delayed_event` are the same capability.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;
use std::hash::{Hash, Hasher};

pub use matrix_widget_api_macros::WireName;

/// Which spelling to emit for values built in code.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Naming {
    /// The unstable, prefixed spelling (`org.matrix.msc4157.update_delayed_event`): what
    /// deployed clients and widgets understand today. The default.
    #[default]
    Unstable,
    /// The stable spelling proposed by the MSC (`update_delayed_event`).
    Stable,
}

/// The spelling a name arrived in, or is to be written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Spelling {
    /// The stable spelling.
    Stable,
    /// The unstable spelling. Names with a single spelling parse as `Unstable`.
    Unstable,
    /// The n-th legacy spelling (0-based, in declaration order). Only parsed values carry it.
    Legacy(u8),
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
        write!(f, "unknown {} {:?}, expected one of ", self.what, self.name)?;
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

    /// The same name, always written in `naming`.
    pub fn with_naming(self, naming: Naming) -> Self {
        Spelled { spelling: Some(naming.into()), ..self }
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

impl<T> std::ops::Deref for Spelled<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
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
        write!(f, "a {} name (a string)", T::WHAT)
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

#[doc(hidden)]
pub fn display_name<T: WireName>(value: &T, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    f.write_str(&value.name(current_naming()))
}

#[cfg(feature = "schema")]
impl<T: schemars::JsonSchema> schemars::JsonSchema for Spelled<T> {
    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        generator.subschema_for::<T>()
    }
}
