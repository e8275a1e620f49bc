//! The envelope's `widgetId` and `requestId`, stored inline when short: the IDs peers send
//! (`widgetapi-1700000000000` from matrix-widget-api, UUIDs without dashes, `w1`) mostly fit
//! in 30 bytes, so decoding a message allocates nothing for them.

use serde::de::{self, Visitor};
use serde::{Deserializer, Serialize, Serializer};
use std::fmt;
use std::hash::{Hash, Hasher};

/// The longest ID stored inline (the whole value is 32 bytes, as a `String` is 24).
const INLINE: usize = 30;

/// An ID: a string, inline up to [`INLINE`] bytes, boxed beyond.
#[derive(Clone)]
pub(crate) struct Id(Repr);

#[derive(Clone)]
enum Repr {
    Inline { len: u8, bytes: [u8; INLINE] },
    Heap(Box<str>),
}

impl Id {
    /// The ID as a string.
    pub(crate) fn as_str(&self) -> &str {
        match &self.0 {
            // The bytes were copied from a `&str` and cut at its length: valid UTF-8, so this
            // never falls back to "".
            Repr::Inline { len, bytes } => bytes.get(..usize::from(*len)).and_then(|b| std::str::from_utf8(b).ok()).unwrap_or_default(),
            Repr::Heap(s) => s,
        }
    }

    /// Its length in bytes (without reading the string back).
    pub(crate) fn len(&self) -> usize {
        match &self.0 {
            Repr::Inline { len, .. } => usize::from(*len),
            Repr::Heap(s) => s.len(),
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl From<&str> for Id {
    #[inline]
    fn from(s: &str) -> Self {
        let mut bytes = [0u8; INLINE];
        match (bytes.get_mut(..s.len()), u8::try_from(s.len())) {
            (Some(prefix), Ok(len)) => {
                prefix.copy_from_slice(s.as_bytes());
                Id(Repr::Inline { len, bytes })
            }
            _ => Id(Repr::Heap(s.into())),
        }
    }
}

impl From<String> for Id {
    fn from(s: String) -> Self {
        if s.len() <= INLINE { Id::from(s.as_str()) } else { Id(Repr::Heap(s.into_boxed_str())) }
    }
}

impl PartialEq for Id {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Id {}

impl Hash for Id {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

/// As a `String` prints: quoted.
impl fmt::Debug for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Reads an ID as `String` does (`deserialize_string`, expecting "a string", so errors read
/// the same), without allocating when the string is short.
pub(crate) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Id, D::Error> {
    struct IdVisitor;
    impl Visitor<'_> for IdVisitor {
        type Value = Id;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Id, E> {
            Ok(Id::from(v))
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<Id, E> {
            Ok(Id::from(v))
        }
        fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Id, E> {
            match std::str::from_utf8(v) {
                Ok(s) => Ok(Id::from(s)),
                Err(_) => Err(E::invalid_value(de::Unexpected::Bytes(v), &self)),
            }
        }
    }
    deserializer.deserialize_string(IdVisitor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_long_ids_read_back_the_same() {
        for s in ["", "w1", "widgetapi-1700000000000", &"x".repeat(30), &"y".repeat(31), "é🦀".repeat(8).as_str()] {
            let from_str = Id::from(s);
            let from_string = Id::from(s.to_owned());
            assert_eq!(from_str.as_str(), s);
            assert_eq!(from_string.as_str(), s);
            assert_eq!(from_str, from_string);
            assert_eq!(format!("{from_str:?}"), format!("{s:?}"));
            assert_eq!(from_str.to_string(), s);
            assert_eq!(from_str.is_empty(), s.is_empty());
            assert_eq!(from_str.len(), s.len());
            assert!(matches!(from_str.0, Repr::Inline { .. }) == (s.len() <= INLINE), "{s}");
        }
    }

    #[test]
    fn decodes_like_a_string() {
        let mut ok = serde_json::Deserializer::from_str(r#""w\u0031""#);
        assert_eq!(deserialize(&mut ok).expect("a string").as_str(), "w1");
        let mut wrong = serde_json::Deserializer::from_str("1");
        let ours = deserialize(&mut wrong).expect_err("a number").to_string();
        let strings = serde_json::from_str::<String>("1").expect_err("a number").to_string();
        assert_eq!(ours, strings);
    }
}
