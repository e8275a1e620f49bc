//! Items the derive macros' generated code refers to. Not public API.

pub use crate::naming::{CatchAll, CustomName, NameError, NameParam, NameSpec, Spelling, WireName};
pub use crate::naming::{deserialize_name, display_name, parse_name, serialize_name};
pub use crate::payload::{UnknownFields, field_error, finish_extra, read_extra, serialize_extra};
#[cfg(feature = "schema")]
pub use crate::schema::subschema_for;
#[cfg(feature = "schema")]
pub use schemars;
pub use serde::de::{self, MapAccess, Visitor};
pub use serde::ser::SerializeMap;
pub use serde::{Deserialize, Deserializer, Serialize, Serializer};
pub use std::borrow::Cow;
pub use std::string::String;

/// [`Decoder::decode_as`](crate::Decoder::decode_as) (or, without a role,
/// [`Decoder::decode`](crate::Decoder::decode)) without the fast path: the limits scan and
/// serde_json only. For the differential tests and fuzz target, which check that both paths
/// agree (wire decision 44).
pub fn decode_without_fast_path(
    decoder: &crate::Decoder,
    role: Option<crate::Role>,
    text: &str,
) -> Result<crate::Message, crate::DecodeError> {
    decoder.decode_without_fast_path(role, text)
}

#[cfg(feature = "schema")]
#[doc(hidden)]
#[macro_export]
macro_rules! __impl_wire_name_schema {
    ($ty:ident, $name:expr) => {
        #[automatically_derived]
        impl $crate::__private::schemars::JsonSchema for $ty {
            fn schema_name() -> $crate::__private::Cow<'static, str> {
                $crate::__private::Cow::Borrowed($name)
            }
            // Unique per type: two types of one name in different modules are two schemas.
            fn schema_id() -> $crate::__private::Cow<'static, str> {
                $crate::__private::Cow::Borrowed(::core::concat!(::core::module_path!(), "::", ::core::stringify!($ty)))
            }
            fn json_schema(_: &mut $crate::__private::schemars::SchemaGenerator) -> $crate::__private::schemars::Schema {
                $crate::schema::wire_name_schema::<$ty>()
            }
        }
    };
}

#[cfg(feature = "schema")]
#[doc(hidden)]
#[macro_export]
macro_rules! __impl_payload_schema {
    // `$subschema` is `subschema_for::<FieldType>`, spanned on the field by the derive.
    ($ty:ident, $name:expr, $doc:expr, $extra:expr, [$(($key:expr, $subschema:expr, $required:expr, $nullable:expr, $fdoc:expr)),* $(,)?] $(, extend = $extend:path)?) => {
        #[automatically_derived]
        impl $crate::__private::schemars::JsonSchema for $ty {
            fn schema_name() -> $crate::__private::Cow<'static, str> {
                $crate::__private::Cow::Borrowed($name)
            }
            // Unique per type: two types of one name in different modules are two schemas.
            fn schema_id() -> $crate::__private::Cow<'static, str> {
                $crate::__private::Cow::Borrowed(::core::concat!(::core::module_path!(), "::", ::core::stringify!($ty)))
            }
            fn json_schema(generator: &mut $crate::__private::schemars::SchemaGenerator) -> $crate::__private::schemars::Schema {
                let _ = &generator;
                let schema = $crate::schema::object_schema($doc, $extra, ::std::vec![$(
                    $crate::schema::FieldSchema {
                        key: $key,
                        schema: $subschema(generator),
                        required: $required,
                        nullable: $nullable,
                        doc: $fdoc,
                    }
                ),*]);
                $( let schema = $extend(schema); )?
                schema
            }
        }
    };
}

#[cfg(not(feature = "schema"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __impl_wire_name_schema {
    ($($t:tt)*) => {};
}

#[cfg(not(feature = "schema"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __impl_payload_schema {
    ($($t:tt)*) => {};
}
