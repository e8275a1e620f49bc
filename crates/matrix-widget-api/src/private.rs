//! Items the derive macros' generated code refers to. Not public API.

pub use crate::naming::{CustomName, NameError, NameParam, NameSpec, Spelling, WireName};
pub use crate::naming::{deserialize_name, display_name, parse_name, serialize_name};
pub use crate::payload::{UnknownFields, field_error, finish_extra, read_extra, serialize_extra};
#[cfg(feature = "schema")]
pub use schemars;
pub use serde::de::{self, MapAccess, Visitor};
pub use serde::ser::SerializeMap;
pub use serde::{Deserialize, Deserializer, Serialize, Serializer};
pub use std::borrow::Cow;
pub use std::string::String;

#[cfg(feature = "schema")]
#[doc(hidden)]
#[macro_export]
macro_rules! __impl_wire_name_schema {
    ($ty:ident) => {
        impl $crate::__private::schemars::JsonSchema for $ty {
            fn schema_name() -> $crate::__private::Cow<'static, str> {
                $crate::__private::Cow::Borrowed(::core::stringify!($ty))
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
    ($ty:ident, $name:expr, $doc:expr, $extra:expr, [$(($key:expr, $fty:ty, $required:expr, $nullable:expr, $fdoc:expr)),* $(,)?] $(, extend = $extend:path)?) => {
        impl $crate::__private::schemars::JsonSchema for $ty {
            fn schema_name() -> $crate::__private::Cow<'static, str> {
                $crate::__private::Cow::Borrowed($name)
            }
            fn json_schema(generator: &mut $crate::__private::schemars::SchemaGenerator) -> $crate::__private::schemars::Schema {
                let _ = &generator;
                let schema = $crate::schema::object_schema($doc, $extra, ::std::vec![$(
                    $crate::schema::FieldSchema {
                        key: $key,
                        schema: generator.subschema_for::<$fty>(),
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
