//! Whether a reply is an error reply, decided in this one file for both decode paths.
//!
//! The rule is widget-api's `isErrorResponse`: `response.error` is an object with a string
//! `message`. A `response` with `error` written twice (at the top or inside `error`) is
//! refused before deciding, since the answer would depend on which copy wins (the last, in
//! JavaScript).
//!
//! - [`decode_result`] applies the rule to a `response` kept raw (the two-stage path, and
//!   the untyped actions).
//! - [`OutcomeVisitor`] is the one-pass shortcut for a typed action: it settles only the
//!   cases that cannot disagree with [`decode_result`] (`error` first and a valid error;
//!   no `error` at all) and fails otherwise, which sends the message down the two-stage
//!   path.

use crate::error::{ErrorResponseData, WidgetError};
use crate::payload::{Extra, UnknownFields};
use serde::de::{self, DeserializeSeed, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

/// An object key as written: borrowed from the input when it has no escapes. The envelope
/// visitor reads its keys through it too.
pub(crate) struct FieldName<'de>(pub(crate) Cow<'de, str>);

impl<'de> Deserialize<'de> for FieldName<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NameVisitor;
        impl<'de> Visitor<'de> for NameVisitor {
            type Value = FieldName<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<FieldName<'de>, E> {
                Ok(FieldName(Cow::Owned(v.to_owned())))
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<FieldName<'de>, E> {
                Ok(FieldName(Cow::Borrowed(v)))
            }
        }
        deserializer.deserialize_identifier(NameVisitor)
    }
}

/// Decodes a `response` object: an error response when `response.error` is an object with
/// a string `message` (widget-api's `isErrorResponse`), else `R`.
pub(crate) fn decode_result<R: de::DeserializeOwned>(raw: &RawValue) -> Result<Result<R, ErrorResponseData>, serde_json::Error> {
    // A duplicate `error` would make the classification depend on which copy wins (the
    // last, in JavaScript): refuse duplicates here, and inside `error`, before deciding.
    unique_keys(raw.get(), true)?;
    if is_error_response(raw) {
        serde_json::from_str::<ErrorResponseData>(raw.get()).map(Err)
    } else {
        serde_json::from_str::<R>(raw.get()).map(Ok)
    }
}

/// Refuses an object with a key written twice (escaped spellings included: keys are compared
/// unescaped); with `nested_error`, the same inside its `error` member.
fn unique_keys(text: &str, nested_error: bool) -> Result<(), serde_json::Error> {
    struct Keys(bool);
    impl<'de> Visitor<'de> for Keys {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<(), M::Error> {
            let mut keys: Vec<Cow<'de, str>> = Vec::new();
            while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                let value: &'de RawValue = map.next_value()?;
                if self.0 && key == "error" && value.get().starts_with('{') {
                    unique_keys(value.get(), false).map_err(|e| {
                        de::Error::custom(format_args!("invalid `error`: {}", crate::payload::strip_position(&e.to_string())))
                    })?;
                }
                keys.push(key);
            }
            keys.sort_unstable();
            match keys.windows(2).find(|w| w.first() == w.get(1)).and_then(|w| w.first()) {
                Some(key) => Err(de::Error::custom(format_args!("duplicate field `{}`", crate::plain::bounded(key)))),
                None => Ok(()),
            }
        }
        // Not an object: nothing to check here; the caller says what is wrong with it.
        fn visit_seq<S: de::SeqAccess<'de>>(self, _: S) -> Result<(), S::Error> {
            Ok(())
        }
    }
    if !text.starts_with('{') {
        return Ok(());
    }
    let mut deserializer = serde_json::Deserializer::from_str(text);
    Deserializer::deserialize_map(&mut deserializer, Keys(nested_error))
}

fn is_error_response(raw: &RawValue) -> bool {
    // An error response has the key `error`, written out or with escapes; a success
    // response usually has neither, and then the probe below is skipped.
    let text = raw.get();
    if !text.contains("\"error\"") && !text.contains('\\') {
        return false;
    }
    #[derive(Deserialize)]
    struct Probe<'a> {
        #[serde(borrow)]
        error: Option<&'a RawValue>,
    }
    #[derive(Deserialize)]
    struct MessageProbe<'a> {
        #[serde(borrow)]
        message: Option<&'a RawValue>,
    }
    serde_json::from_str::<Probe>(text)
        .ok()
        .and_then(|p| p.error)
        .filter(|e| e.get().starts_with('{'))
        .and_then(|e| serde_json::from_str::<MessageProbe>(e.get()).ok())
        .and_then(|m| m.message)
        .is_some_and(|m| m.get().starts_with('"'))
}

/// Reads a `response` object in one pass as an error response (when its first key is
/// `error` and holds an error) or as `R`. A success value that turns out to hold an
/// `error` field after all is left to the two-stage path, which decides exactly as
/// widget-api's `isErrorResponse` does.
pub(crate) struct OutcomeVisitor<R>(pub(crate) PhantomData<R>);

impl<'de, R: Deserialize<'de> + UnknownFields> Visitor<'de> for OutcomeVisitor<R> {
    type Value = Result<R, ErrorResponseData>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a response object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let first = map.next_key::<FieldName<'de>>()?;
        if let Some(FieldName(key)) = &first
            && key == "error"
        {
            let raw: &'de RawValue = map.next_value()?;
            if let Ok(error) = crate::decode::from_str_fast::<WidgetError>(raw.get()) {
                let mut extra = Extra::new();
                while let Some(FieldName(key)) = map.next_key::<FieldName<'de>>()? {
                    if key == "error" {
                        return Err(de::Error::duplicate_field("error"));
                    }
                    crate::payload::read_extra(&mut extra, key, &mut map)?;
                }
                crate::payload::finish_extra(&extra)?;
                return Ok(Err(ErrorResponseData { error, extra }));
            }
            return Err(de::Error::custom("an `error` field that is not a valid error; decoded on the two-stage path"));
        }
        let replay = Replay { first: first.map(|FieldName(key)| key), inner: map };
        let value = R::deserialize(de::value::MapAccessDeserializer::new(replay))?;
        if value.may_have_unknown_field("error") {
            return Err(de::Error::custom("an `error` field after other fields; decoded on the two-stage path"));
        }
        Ok(Ok(value))
    }
}

/// A map whose first key was already read: it hands that key out again, then the rest.
struct Replay<'de, A> {
    first: Option<Cow<'de, str>>,
    inner: A,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Replay<'de, A> {
    type Error = A::Error;

    #[inline]
    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, A::Error> {
        match self.first.take() {
            Some(Cow::Borrowed(key)) => seed.deserialize(de::value::BorrowedStrDeserializer::new(key)).map(Some),
            Some(Cow::Owned(key)) => seed.deserialize(de::value::StringDeserializer::new(key)).map(Some),
            None => self.inner.next_key_seed(seed),
        }
    }

    #[inline]
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.inner.next_value_seed(seed)
    }
}
