//! Structured-clone payloads: [`Transferable`], the opaque value of `upload_file.file`,
//! `download_file.file` and `screenshot.screenshot`.
//!
//! In a browser the widget API travels over `postMessage`, which copies its message with
//! the *structured clone* algorithm, not with JSON: `file` is a `Blob`, a `File`, an
//! `ArrayBuffer` or any other `XMLHttpRequestBodyInit` (MSC4039), and `screenshot` a `Blob`
//! (spec draft #2764). A peer that only sees JSON — a native host bridging the iframe
//! with `JSON.stringify`, a log, a test fixture — sees what `JSON.stringify` made of that
//! value:
//!
//! | JavaScript value | JSON a peer sees |
//! |---|---|
//! | `Blob`, `File`, `ArrayBuffer`, `FormData`, `URLSearchParams` | `{}` |
//! | a string | the string |
//! | a typed array (`Uint8Array`) | an object of indices, `{"0":137,"1":80,…}` |
//!
//! So a [`Transferable`] is any JSON value (except `null`, see below), kept byte-exact: it
//! survives decode → serialise unchanged, replies echo it exactly, and a JSON-only peer can
//! forward it, tell whether it is present, and read a string body ([`Transferable::as_string`]).
//! It cannot recover the bytes of a `Blob` from `{}` ([`Transferable::is_empty_object`]
//! says when that happened): carrying binary content across a JSON boundary needs a
//! convention of the bridge (for example base64 in a string), which is not part of the
//! widget API.
//!
//! `null` is refused: no `XMLHttpRequestBodyInit` or `Blob` serialises to `null`, and
//! MSC2813 reads a `null` field as an absent one, which for these required fields is a
//! missing file.
//!
//! ```
//! use matrix_widget_api::transferable::Transferable;
//!
//! // What a Blob looks like after JSON.stringify:
//! let blob: Transferable = serde_json::from_str("{}")?;
//! assert!(blob.is_empty_object());
//! // A string body survives as text, byte-exact:
//! let text: Transferable = serde_json::from_str(r#""hello\u0021""#)?;
//! assert_eq!(text.as_string().as_deref(), Some("hello!"));
//! assert_eq!(serde_json::to_string(&text)?, r#""hello\u0021""#);
//! assert!(serde_json::from_str::<Transferable>("null").is_err());
//! # Ok::<(), serde_json::Error>(())
//! ```

use crate::payload::abbreviate;
use serde::de;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;
use std::fmt;

/// A structured-clone value (a `Blob`, `File`, `ArrayBuffer`, string, …) as a JSON peer sees
/// it: any JSON value but `null`, kept exactly as it arrived.
///
/// Equality compares the JSON text, as for [`RawObject`](crate::payload::RawObject).
#[derive(Clone)]
pub struct Transferable(Box<RawValue>);

impl Transferable {
    /// `{}`: what `JSON.stringify` makes of a `Blob`, `File` or `ArrayBuffer`.
    pub fn empty_object() -> Self {
        // A constant that is valid JSON: this cannot fail.
        #[expect(clippy::expect_used, reason = "a constant that is valid JSON: this cannot fail")]
        Transferable(RawValue::from_string("{}".to_owned()).expect("`{}` is valid JSON"))
    }

    /// A string body (a valid `XMLHttpRequestBodyInit`).
    pub fn string(text: &str) -> Self {
        // A `&str` always serialises.
        Self::from_serialize(text).unwrap_or_else(|_| Self::empty_object())
    }

    /// Serialises `value`, which must not serialise to `null`.
    pub fn from_serialize<T: Serialize + ?Sized>(value: &T) -> Result<Self, serde_json::Error> {
        Self::from_raw(serde_json::value::to_raw_value(value)?)
    }

    /// Parses `json`, which must be a JSON value other than `null`; its text is kept as given.
    pub fn from_json(json: &str) -> Result<Self, serde_json::Error> {
        Self::from_raw(RawValue::from_string(json.to_owned())?)
    }

    fn from_raw(raw: Box<RawValue>) -> Result<Self, serde_json::Error> {
        check(raw).map_err(de::Error::custom)
    }

    /// The JSON text.
    pub fn get(&self) -> &str {
        self.0.get()
    }

    /// The raw value.
    pub fn as_raw(&self) -> &RawValue {
        &self.0
    }

    /// Deserialises the value into `T`.
    pub fn deserialize_as<'a, T: Deserialize<'a>>(&'a self) -> Result<T, serde_json::Error> {
        serde_json::from_str(self.0.get())
    }

    /// The text, when the value is a JSON string (a string body).
    pub fn as_string(&self) -> Option<String> {
        if self.get().starts_with('"') { serde_json::from_str(self.get()).ok() } else { None }
    }

    /// Whether the value is an object without fields: what a `Blob`, `File` or
    /// `ArrayBuffer` becomes in JSON, so its content did not survive the trip.
    pub fn is_empty_object(&self) -> bool {
        self.get().strip_prefix('{').is_some_and(|rest| rest.trim_start().starts_with('}'))
    }
}

/// Refuses `null`, keeps anything else.
fn check(raw: Box<RawValue>) -> Result<Transferable, String> {
    if raw.get() == "null" {
        Err(format!("expected a transferable value (a Blob, file or string as JSON sees it), found `{}`", abbreviate(raw.get())))
    } else {
        Ok(Transferable(raw))
    }
}

impl fmt::Debug for Transferable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.get())
    }
}

impl PartialEq for Transferable {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl Eq for Transferable {}

impl Serialize for Transferable {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Transferable {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        check(Box::<RawValue>::deserialize(deserializer)?).map_err(de::Error::custom)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Transferable {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Transferable".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A structured-clone value (a Blob, File, ArrayBuffer or string in a browser). A JSON peer sees what JSON.stringify made of it: {} for a Blob, File or ArrayBuffer, the text for a string. Any JSON value but null.",
            "oneOf": [
                { "type": "object" },
                { "type": "array" },
                { "type": "string" },
                { "type": "number" },
                { "type": "boolean" },
            ],
        })
    }
}
