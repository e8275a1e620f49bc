//! The mechanism behind the per-direction action tables: `registry!` turns a list of
//! `Variant => marker` lines into the request and reply enums of one direction, their
//! decoding and serialisation, and their schemas. The tables themselves are in
//! `from_widget.rs` and `to_widget.rs`, next to the action modules.

/// What the generated code names, imported by each table's module.
pub(crate) mod prelude {
    pub(crate) use crate::action::{Action, ActionName};
    pub(crate) use crate::error::ErrorResponseData;
    pub(crate) use crate::message::{Envelope, Request, Response, Source};
    pub(crate) use crate::outcome::{OutcomeVisitor, decode_result};
    pub(crate) use crate::payload::RawObject;
    pub(crate) use serde::de;
    pub(crate) use serde::{Deserialize, Deserializer, Serialize, Serializer};
    pub(crate) use serde_json::value::RawValue;
    pub(crate) use std::marker::PhantomData;

    /// Whether `action` is `name`, a typed action's constant name: a comparison of variants
    /// (folded to an integer compare per arm of the registry's dispatch), with the full
    /// comparison kept for a name that is a catch-all's text.
    #[inline(always)]
    pub(crate) fn is(action: &ActionName, name: &ActionName) -> bool {
        std::mem::discriminant(action) == std::mem::discriminant(name) && (!matches!(name, ActionName::_Custom(_)) || action == name)
    }
}

macro_rules! registry {
    (
        $api:ident, $Req:ident, $Resp:ident, $Data:ident, $Result:ident, $Untyped:ty, $dir:literal;
        $( $Variant:ident => $marker:ty ),* $(,)?
    ) => {
        use $crate::registry::prelude::*;

        $(
            const _: () = assert!(
                matches!(<$marker as $crate::action::Action>::API, $crate::api::Api::$api),
                concat!("`", stringify!($marker), "` is registered in the ", $dir, " table, but its `Action::API` is the other direction"),
            );
        )*
        #[doc = concat!("A ", $dir, " request, by action.")]
        ///
        /// Match it exhaustively: every typed action is a variant, and every other action
        /// (vendor actions, or one this version does not type) is [`Self::Other`], with its
        /// `data` kept raw. There is no `#[non_exhaustive]`, so a new action is a compile
        /// error in a `match` rather than a silent fall-through.
        #[derive(Clone, Debug, PartialEq)]
        pub enum $Req {
            $(
                #[doc = concat!("See [`", stringify!($marker), "`].")]
                $Variant(Box<Request<$marker>>),
            )*
            /// An action without typed payloads; `data` is kept raw.
            Other(Box<Request<$Untyped>>),
        }

        #[doc = concat!("A reply to a ", $dir, " request, by action.")]
        ///
        /// Match it like the request enum: one variant per typed action, and [`Self::Other`].
        #[derive(Clone, Debug, PartialEq)]
        pub enum $Resp {
            $(
                #[doc = concat!("See [`", stringify!($marker), "`].")]
                $Variant(Box<Response<$marker>>),
            )*
            /// An action without typed payloads; `response` is kept raw.
            Other(Box<Response<$Untyped>>),
        }

        impl $Req {
            /// The envelope.
            pub fn envelope(&self) -> &Envelope {
                match self {
                    $( Self::$Variant(r) => r.envelope(), )*
                    Self::Other(r) => r.envelope(),
                }
            }

            /// The message exactly as it arrived, if it was decoded.
            pub fn source(&self) -> Option<&str> {
                match self {
                    $( Self::$Variant(r) => r.source(), )*
                    Self::Other(r) => r.source(),
                }
            }

            #[inline(always)]
            pub(crate) fn from_data(envelope: Envelope, data: $Data, source: Option<Source>) -> Self {
                match data {
                    $( $Data::$Variant(d) => Self::$Variant(Box::new(Request::decoded(envelope, d, source))), )*
                    $Data::Other(d) => Self::Other(Box::new(Request::decoded(envelope, Box::new(d), source))),
                }
            }
        }

        impl Serialize for $Req {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    $( Self::$Variant(r) => r.serialize(serializer), )*
                    Self::Other(r) => r.serialize(serializer),
                }
            }
        }

        impl $Resp {
            /// The envelope.
            pub fn envelope(&self) -> &Envelope {
                match self {
                    $( Self::$Variant(r) => r.envelope(), )*
                    Self::Other(r) => r.envelope(),
                }
            }

            /// Whether the reply is an error response.
            pub fn is_error(&self) -> bool {
                match self {
                    $( Self::$Variant(r) => r.is_error(), )*
                    Self::Other(r) => r.is_error(),
                }
            }

            /// The typed reply; on error the envelope comes back with the error.
            #[expect(clippy::result_large_err, reason = "the envelope comes back to build the error reply")]
            pub(crate) fn from_raw(envelope: Envelope, data: Box<RawValue>, response: &RawValue) -> Result<Self, (Envelope, serde_json::Error)> {
                $(
                    if envelope.action == <$marker as Action>::NAME {
                        return match decode_result(response) {
                            Ok(result) => Ok(Self::$Variant(Box::new(Response::decoded(envelope, data, result)))),
                            Err(e) => Err((envelope, e)),
                        };
                    }
                )*
                match decode_result(response) {
                    Ok(result) => Ok(Self::Other(Box::new(Response::decoded(envelope, data, result)))),
                    Err(e) => Err((envelope, e)),
                }
            }
        }

        impl Serialize for $Resp {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    $( Self::$Variant(r) => r.serialize(serializer), )*
                    Self::Other(r) => r.serialize(serializer),
                }
            }
        }

        impl $Req {
            /// The action names with typed payloads in this direction.
            pub fn typed_actions() -> Vec<ActionName> {
                vec![$( <$marker as Action>::NAME ),*]
            }

            /// The error reply to this request, whatever its action: the request echoed,
            /// plus `response: {error: …}` (see [`Request::reply_error`]).
            pub fn reply_error(&self, error: impl Into<ErrorResponseData>) -> String {
                match self {
                    $( Self::$Variant(r) => r.reply_error(error), )*
                    Self::Other(r) => r.reply_error(error),
                }
            }

            /// Whether `data` is typed: any variant but [`Self::Other`].
            pub fn is_typed(&self) -> bool {
                !matches!(self, Self::Other(_))
            }

            /// The acknowledgement `{}` as the reply, whatever the action, when `{}` is a
            /// valid success response for it: the request echoed plus `"response":{}`. For
            /// an action whose success response carries required fields (toWidget
            /// `capabilities`, `screenshot`, `supported_api_versions`; fromWidget
            /// `send_event`, `get_openid`, …) it is `None`: answer with a typed response
            /// or an error. Untyped actions are acknowledged.
            ///
            /// This is what lets a peer answer everything it does not handle specially
            /// without matching every variant.
            pub fn acknowledge(&self) -> Option<String> {
                match self {
                    $( Self::$Variant(r) => {
                        let empty = serde_json::from_str::<<$marker as Action>::ResponseData>("{}").ok()?;
                        Some(r.reply(&empty))
                    } )*
                    Self::Other(r) => Some(r.reply(&RawObject::empty())),
                }
            }
        }

        impl $Resp {
            /// Whether `response` is typed: any variant but [`Self::Other`].
            pub fn is_typed(&self) -> bool {
                !matches!(self, Self::Other(_))
            }
        }

        #[cfg(feature = "schema")]
        const _: () = {
            use crate::message::schema::*;
            use schemars::{JsonSchema, Schema, SchemaGenerator};
            use std::borrow::Cow;

            const UNKNOWN: Names = Names { base: concat!("Unknown", stringify!($api)), file: "unknown" };

            $(
                impl JsonSchema for Request<$marker> {
                    fn schema_name() -> Cow<'static, str> { Cow::Borrowed(concat!(stringify!($api), stringify!($Variant), "Request")) }
                    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
                        let names = Names { base: concat!(stringify!($api), stringify!($Variant)), file: module_of(stringify!($marker)) };
                        request_schema::<$marker>(generator, names, &$Req::typed_actions())
                    }
                }
                impl JsonSchema for Response<$marker> {
                    fn schema_name() -> Cow<'static, str> { Cow::Borrowed(concat!(stringify!($api), stringify!($Variant), "Response")) }
                    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
                        let names = Names { base: concat!(stringify!($api), stringify!($Variant)), file: module_of(stringify!($marker)) };
                        response_schema::<$marker>(generator, names, &$Req::typed_actions())
                    }
                }
            )*
            impl JsonSchema for Request<$Untyped> {
                fn schema_name() -> Cow<'static, str> { Cow::Borrowed(concat!("Unknown", stringify!($api), "Request")) }
                fn json_schema(generator: &mut SchemaGenerator) -> Schema {
                    request_schema::<$Untyped>(generator, UNKNOWN, &$Req::typed_actions())
                }
            }
            impl JsonSchema for Response<$Untyped> {
                fn schema_name() -> Cow<'static, str> { Cow::Borrowed(concat!("Unknown", stringify!($api), "Response")) }
                fn json_schema(generator: &mut SchemaGenerator) -> Schema {
                    response_schema::<$Untyped>(generator, UNKNOWN, &$Req::typed_actions())
                }
            }
            impl JsonSchema for ErrorReply<$Untyped> {
                fn schema_name() -> Cow<'static, str> { Cow::Borrowed(concat!(stringify!($api), "ErrorResponse")) }
                fn json_schema(generator: &mut SchemaGenerator) -> Schema {
                    error_response_schema(generator, <$Untyped as Action>::API)
                }
            }
            impl JsonSchema for $Req {
                fn schema_name() -> Cow<'static, str> { stringify!($Req).into() }
                fn json_schema(generator: &mut SchemaGenerator) -> Schema {
                    let branches = vec![$( (action_test::<$marker>(), generator.subschema_for::<Request<$marker>>().to_value()), )*];
                    let unknown = generator.subschema_for::<Request<$Untyped>>().to_value();
                    requests(concat!("A ", $dir, " request, of any action."), branches, unknown)
                }
            }
            impl JsonSchema for $Resp {
                fn schema_name() -> Cow<'static, str> { stringify!($Resp).into() }
                fn json_schema(generator: &mut SchemaGenerator) -> Schema {
                    let error = generator.subschema_for::<ErrorReply<$Untyped>>().to_value();
                    let branches = vec![$( (action_test::<$marker>(), generator.subschema_for::<Response<$marker>>().to_value()), )*];
                    let unknown = generator.subschema_for::<Response<$Untyped>>().to_value();
                    responses(concat!("A reply to a ", $dir, " request, of any action: an error reply or the action's success reply."), error, branches, unknown)
                }
            }
            impl JsonSchema for Messages<$Untyped> {
                fn schema_name() -> Cow<'static, str> { Cow::Borrowed(concat!(stringify!($api), "Message")) }
                fn json_schema(generator: &mut SchemaGenerator) -> Schema {
                    let responses = generator.subschema_for::<$Resp>().to_value();
                    let requests = generator.subschema_for::<$Req>().to_value();
                    messages(concat!("Any ", $dir, " message: a request, or a reply to one."), responses, requests)
                }
            }

            impl $Req {
                /// Every schema of this direction that `cargo xtask codegen` publishes, by file
                /// stem: the direction's messages, then each message kind of each action.
                pub(crate) fn schema_roots() -> Vec<crate::schema::SchemaRoot> {
                    use crate::schema::root;
                    let dir = folder(<$Untyped as Action>::API);
                    let mut roots = vec![root::<Messages<$Untyped>>(dir.to_owned())];
                    $(
                        let file = module_of(stringify!($marker));
                        roots.push(root::<Request<$marker>>(format!("{dir}/{file}.request")));
                        roots.push(root::<Response<$marker>>(format!("{dir}/{file}.response")));
                    )*
                    roots.push(root::<Request<$Untyped>>(format!("{dir}/{}.request", UNKNOWN.file)));
                    roots.push(root::<Response<$Untyped>>(format!("{dir}/{}.response", UNKNOWN.file)));
                    roots.push(root::<ErrorReply<$Untyped>>(format!("{dir}/error.response")));
                    roots
                }
            }
        };

        /// A typed outcome of one direction.
        pub(crate) enum $Result {
            $( $Variant(Result<<$marker as Action>::ResponseData, ErrorResponseData>), )*
            Other(Result<RawObject, ErrorResponseData>),
        }

        impl $Result {
            pub(crate) fn deserialize<'de, D: Deserializer<'de>>(action: &ActionName, deserializer: D) -> Result<Self, D::Error> {
                $(
                    if is(action, &<$marker as Action>::NAME) {
                        return deserializer.deserialize_map(OutcomeVisitor::<<$marker as Action>::ResponseData>(PhantomData)).map(Self::$Variant);
                    }
                )*
                let raw = <&RawValue>::deserialize(deserializer)?;
                decode_result(raw).map(Self::Other).map_err(de::Error::custom)
            }
        }

        impl $Resp {
            #[inline(always)]
            pub(crate) fn from_typed(envelope: Envelope, data: Box<RawValue>, result: $Result) -> Self {
                match result {
                    $( $Result::$Variant(r) => Self::$Variant(Box::new(Response::decoded(envelope, data, r))), )*
                    $Result::Other(r) => Self::Other(Box::new(Response::decoded(envelope, data, r))),
                }
            }
        }

        /// Typed request data of one direction.
        pub(crate) enum $Data {
            $( $Variant(Box<<$marker as Action>::RequestData>), )*
            Other(RawObject),
        }

        impl $Data {
            pub(crate) fn deserialize<'de, D: Deserializer<'de>>(action: &ActionName, deserializer: D) -> Result<Self, D::Error> {
                $(
                    if is(action, &<$marker as Action>::NAME) {
                        return <<$marker as Action>::RequestData as Deserialize>::deserialize(deserializer).map(|d| Self::$Variant(Box::new(d)));
                    }
                )*
                RawObject::deserialize(deserializer).map(Self::Other)
            }
        }
    };
}

pub(crate) use registry;

#[cfg(test)]
mod tests {
    use super::prelude::is;
    use crate::action::ActionName;
    use crate::naming::CustomName;

    #[test]
    fn dispatch_compares_like_equality() {
        let custom = |s: &str| ActionName::_Custom(CustomName::__from_unknown(s));
        let names = [ActionName::SendEvent, ActionName::ReadEvents, ActionName::UpdateDelayedEvent, custom("io.element.join"), custom("x")];
        for a in &names {
            for b in &names {
                assert_eq!(is(a, b), a == b, "{a:?} {b:?}");
            }
        }
    }
}
