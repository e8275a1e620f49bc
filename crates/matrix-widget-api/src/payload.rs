//! Building blocks of `data` and `response` payloads: raw JSON kept byte-exact
//! ([`RawObject`]), unknown fields kept for the round-trip ([`Extra`]), and the
//! [`Payload`] derive that uses them.

use serde::de::{self, MapAccess};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::fmt;

pub use matrix_widget_api_macros::Payload;

/// A JSON object kept exactly as it arrived (for example an event's `content`), with typed
/// access through [`RawObject::deserialize_as`].
///
/// Equality compares the JSON text, so two objects that differ only in white space or key
/// order are not equal.
#[derive(Clone)]
pub struct RawObject(Box<RawValue>);

impl RawObject {
    /// The empty object `{}`.
    pub fn empty() -> Self {
        // A constant that is valid JSON: this cannot fail.
        #[expect(clippy::expect_used, reason = "a constant that is valid JSON: this cannot fail")]
        RawObject(RawValue::from_string("{}".to_owned()).expect("`{}` is valid JSON"))
    }

    /// Serialises `value`, which must serialise to a JSON object.
    pub fn from_serialize<T: Serialize + ?Sized>(value: &T) -> Result<Self, serde_json::Error> {
        Self::from_raw(serde_json::value::to_raw_value(value)?)
    }

    /// Parses `json`, which must be a JSON object; its text is kept as given.
    pub fn from_json(json: &str) -> Result<Self, serde_json::Error> {
        Self::from_raw(RawValue::from_string(json.to_owned())?)
    }

    fn from_raw(raw: Box<RawValue>) -> Result<Self, serde_json::Error> {
        if raw.get().starts_with('{') {
            Ok(RawObject(raw))
        } else {
            Err(de::Error::custom(format_args!("expected a JSON object, found `{}`", abbreviate(raw.get()))))
        }
    }

    /// The raw value, owned.
    pub fn into_raw(self) -> Box<RawValue> {
        self.0
    }

    /// The JSON text.
    pub fn get(&self) -> &str {
        self.0.get()
    }

    /// The raw value.
    pub fn as_raw(&self) -> &RawValue {
        &self.0
    }

    /// Deserialises the object into `T`.
    pub fn deserialize_as<'a, T: Deserialize<'a>>(&'a self) -> Result<T, serde_json::Error> {
        serde_json::from_str(self.0.get())
    }
}

impl fmt::Debug for RawObject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.get())
    }
}

impl PartialEq for RawObject {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl Eq for RawObject {}

impl Default for RawObject {
    fn default() -> Self {
        Self::empty()
    }
}

impl Serialize for RawObject {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for RawObject {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = Box::<RawValue>::deserialize(deserializer)?;
        if raw.get().starts_with('{') {
            Ok(RawObject(raw))
        } else {
            Err(de::Error::custom(format_args!("expected a JSON object, found `{}`", abbreviate(raw.get()))))
        }
    }
}

/// At most 40 characters of `s`, for error messages.
pub(crate) fn abbreviate(s: &str) -> Cow<'_, str> {
    match s.char_indices().nth(40) {
        Some((i, _)) => Cow::Owned(format!("{}…", &s[..i])),
        None => Cow::Borrowed(s),
    }
}

/// The fields of a payload that its type does not know, in the order they arrived, with
/// their values kept as raw JSON. Serialising the payload writes them back after the
/// known fields, so nothing a peer sent is lost.
///
/// Boxed, as almost every payload has none: an `Extra` is one pointer wide in every payload
/// and envelope that carries one.
#[derive(Clone, Default)]
pub struct Extra(Option<Box<Fields>>);

/// The unknown fields of an [`Extra`] that has some.
type Fields = Vec<(String, Box<RawValue>)>;

impl Extra {
    /// No unknown fields.
    pub fn new() -> Self {
        Self::default()
    }

    fn fields(&self) -> &[(String, Box<RawValue>)] {
        self.0.as_deref().map_or(&[], Vec::as_slice)
    }

    fn fields_mut(&mut self) -> &mut Fields {
        self.0.get_or_insert_with(Box::default)
    }

    /// The raw value of `key`.
    pub fn get(&self, key: &str) -> Option<&RawValue> {
        self.fields().iter().find(|(k, _)| k == key).map(|(_, v)| &**v)
    }

    /// Sets `key` to `value` (replacing an earlier value of `key`).
    pub fn insert<T: Serialize + ?Sized>(&mut self, key: impl Into<String>, value: &T) -> Result<(), serde_json::Error> {
        let key = key.into();
        let value = serde_json::value::to_raw_value(value)?;
        let fields = self.fields_mut();
        match fields.iter_mut().find(|(k, _)| *k == key) {
            Some((_, slot)) => *slot = value,
            None => fields.push((key, value)),
        }
        Ok(())
    }

    /// Removes `key`, returning its raw value.
    pub fn remove(&mut self, key: &str) -> Option<Box<RawValue>> {
        let fields = self.0.as_deref_mut()?;
        let i = fields.iter().position(|(k, _)| k == key)?;
        Some(fields.remove(i).1)
    }

    /// The unknown fields in arrival order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &RawValue)> {
        self.fields().iter().map(|(k, v)| (k.as_str(), &**v))
    }

    /// How many unknown fields there are.
    pub fn len(&self) -> usize {
        self.fields().len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.fields().is_empty()
    }
}

impl fmt::Debug for Extra {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.fields().iter().map(|(k, v)| (k, v.get()))).finish()
    }
}

impl PartialEq for Extra {
    fn eq(&self, other: &Self) -> bool {
        let (mine, theirs) = (self.fields(), other.fields());
        mine.len() == theirs.len() && mine.iter().zip(theirs).all(|((k1, v1), (k2, v2))| k1 == k2 && v1.get() == v2.get())
    }
}

impl Eq for Extra {}

/// Reads an integer in `min..=max`. An integral float (`8000.0`, `4e3`) counts as an
/// integer, as it does in JavaScript and in JSON Schema's `"type": "integer"`, so decoding
/// accepts exactly what the schemas accept.
pub(crate) struct BoundedInt {
    /// What the number is, for messages: "delay".
    what: &'static str,
    /// Its unit, for messages: "milliseconds", or "" for a plain number.
    unit: &'static str,
    min: u64,
    max: u64,
}

impl BoundedInt {
    /// An integer number of milliseconds.
    pub(crate) const fn millis(what: &'static str, min: u64, max: u64) -> Self {
        BoundedInt { what, unit: "milliseconds", min, max }
    }

    /// A plain integer.
    pub(crate) const fn plain(what: &'static str, min: u64, max: u64) -> Self {
        BoundedInt { what, unit: "", min, max }
    }

    fn check<E: de::Error>(&self, v: u64) -> Result<u64, E> {
        if (self.min..=self.max).contains(&v) { Ok(v) } else { Err(self.out_of_range(v)) }
    }

    fn out_of_range<E: de::Error>(&self, v: impl fmt::Display) -> E {
        let (what, min, max) = (self.what, self.min, self.max);
        if self.unit.is_empty() {
            let _ = what;
            E::custom(format_args!("out of range: {v} is not an integer from {min} to {max}"))
        } else {
            E::custom(format_args!("out of range: {v} is not an integer number of {} from {min} to {max}", self.unit))
        }
    }
}

impl de::Visitor<'_> for BoundedInt {
    type Value = u64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (what, min, max) = (self.what, self.min, self.max);
        if self.unit.is_empty() {
            write!(f, "a {what} (an integer from {min} to {max})")
        } else {
            write!(f, "a {what} in {} (an integer from {min} to {max})", self.unit)
        }
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<u64, E> {
        self.check(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<u64, E> {
        match u64::try_from(v) {
            Ok(v) => self.check(v),
            Err(_) => Err(self.out_of_range(v)),
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<u64, E> {
        // `as` saturates; the range check rejects anything it could have clipped.
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss,
            reason = "the range check rejects anything `as` could have clipped"
        )]
        if v.is_finite() && v.fract() == 0.0 && v >= 0.0 && v <= self.max as f64 { self.check(v as u64) } else { Err(self.out_of_range(v)) }
    }
}

/// What a payload type can say about the fields it did not know, so a decoder can tell a
/// success response from an error response after parsing it once. Implemented by
/// `#[derive(Payload)]`.
pub trait UnknownFields {
    /// Whether the parsed value may hold an unknown field `key` (for raw payloads: whether
    /// the text may contain it).
    fn may_have_unknown_field(&self, key: &str) -> bool;
}

impl UnknownFields for RawObject {
    fn may_have_unknown_field(&self, key: &str) -> bool {
        // Conservative: any backslash could be an escaped key.
        let text = self.get();
        text.contains('\\') || text.match_indices(key).any(|(i, _)| text[..i].ends_with('"'))
    }
}

// ---- Support for the generated code (reached through `crate::__private`). ----

/// Prefixes a field's error with the field's name. serde_json appends the position to
/// errors; the inner one is dropped because the outer error gets its own.
#[doc(hidden)]
pub fn field_error<E: de::Error>(field: &str, err: E) -> E {
    let message = err.to_string();
    E::custom(format_args!("invalid `{field}`: {}", strip_position(&message)))
}

/// `"… at line 1 column 7"` → `"…"`.
pub(crate) fn strip_position(message: &str) -> &str {
    if let Some(i) = message.rfind(" at line ") {
        let tail = &message[i + " at line ".len()..];
        let mut parts = tail.split(" column ");
        if let (Some(line), Some(col), None) = (parts.next(), parts.next(), parts.next())
            && !line.is_empty()
            && !col.is_empty()
            && line.bytes().chain(col.bytes()).all(|b| b.is_ascii_digit())
        {
            return &message[..i];
        }
    }
    message
}

/// Keeps an unknown field. Duplicates are found once the object is read, by
/// [`finish_extra`], so reading n unknown fields stays O(n log n).
#[doc(hidden)]
pub fn read_extra<'de, A: MapAccess<'de>>(extra: &mut Extra, key: Cow<'de, str>, map: &mut A) -> Result<(), A::Error> {
    let value: Box<RawValue> = map.next_value()?;
    extra.fields_mut().push((key.into_owned(), value));
    Ok(())
}

/// Rejects an object that had an unknown field twice.
#[doc(hidden)]
#[inline]
pub fn finish_extra<E: de::Error>(extra: &Extra) -> Result<(), E> {
    // Most payloads have no unknown field: decided here, inlined into every payload's visitor.
    if extra.len() < 2 {
        return Ok(());
    }
    find_duplicate_extra(extra)
}

#[inline(never)]
fn find_duplicate_extra<E: de::Error>(extra: &Extra) -> Result<(), E> {
    let fields = extra.fields();
    let duplicate = if fields.len() <= 8 {
        fields.iter().enumerate().find(|(i, (k, _))| fields.iter().take(*i).any(|(seen, _)| seen == k)).map(|(_, (k, _))| k)
    } else {
        let mut keys: Vec<&str> = fields.iter().map(|(k, _)| k.as_str()).collect();
        keys.sort_unstable();
        keys.windows(2)
            .find_map(|w| match w {
                [a, b] if a == b => Some(*a),
                _ => None,
            })
            .and_then(|k| fields.iter().map(|(key, _)| key).find(|key| *key == k))
    };
    match duplicate {
        Some(key) => Err(de::Error::custom(format_args!("duplicate field `{}`", abbreviate(key)))),
        None => Ok(()),
    }
}

#[doc(hidden)]
pub fn serialize_extra<M: SerializeMap>(extra: &Extra, map: &mut M) -> Result<(), M::Error> {
    for (k, v) in extra.fields() {
        map.serialize_entry(k, v)?;
    }
    Ok(())
}

/// An object payload with no known fields: the `{}` of acknowledgements and of requests
/// without data. Whatever a peer puts in it is kept in `extra`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct Empty {
    /// Fields the protocol does not define, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl Empty {
    /// `{}`.
    pub fn new() -> Self {
        Self::default()
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for RawObject {
    fn schema_name() -> Cow<'static, str> {
        "RawObject".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "object" })
    }
}

/// The largest integer a JavaScript number holds exactly: 2^53 − 1.
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// Why a number of milliseconds cannot be a value of a checked type ([`Delay`],
/// [`StickyDuration`], [`Timestamp`], [`Millis`]): the value, the range and the rule behind
/// it.
///
/// [`Delay`]: crate::from_widget::send_event::Delay
/// [`StickyDuration`]: crate::from_widget::send_event::StickyDuration
/// [`Timestamp`]: crate::event::Timestamp
/// [`Millis`]: crate::event::Millis
///
/// ```
/// use matrix_widget_api::from_widget::send_event::Delay;
///
/// let error = Delay::from_millis(0).unwrap_err();
/// assert_eq!(error.to_string(), "a delay of 0 ms is out of range: it must be from 1 to 9007199254740991 ms (MSC4140 schedules only positive delays)");
/// assert_eq!((error.value(), error.min(), error.max()), (0, 1, 9_007_199_254_740_991));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RangeError {
    what: &'static str,
    value: u64,
    min: u64,
    max: u64,
    why: &'static str,
}

impl RangeError {
    pub(crate) const fn new(what: &'static str, value: u64, min: u64, max: u64, why: &'static str) -> Self {
        RangeError { what, value, min, max, why }
    }

    /// The value refused.
    pub const fn value(&self) -> u64 {
        self.value
    }

    /// The smallest value accepted.
    pub const fn min(&self) -> u64 {
        self.min
    }

    /// The largest value accepted.
    pub const fn max(&self) -> u64 {
        self.max
    }
}

impl fmt::Display for RangeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let RangeError { what, value, min, max, why } = self;
        write!(f, "{what} of {value} ms is out of range: it must be from {min} to {max} ms ({why})")
    }
}

impl std::error::Error for RangeError {}
