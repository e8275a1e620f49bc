//! `send_to_device` (fromWidget) — MSC3819: the widget sends to-device messages.
//!
//! The widget sends one to-device event `type` to devices of users: `messages` maps each
//! user ID to device IDs (or `"*"`, all of the user's devices) and each device to the
//! message content. With `encrypted`, the host Olm-encrypts each message for its device.
//! Needs the `send.to_device` capability for the type.
//!
//! The shape is matrix-widget-api's `{type, encrypted, messages}`, all three required
//! (wire decision 11; MSC3819's text puts the bare user → device map in `data`). The
//! response is `{}`; matrix-rust-sdk adds `failures` (user ID → device IDs the message could
//! not be delivered to), kept when present.
//!
//! Rejected, like the reference host does: a missing or empty `type`, a missing `messages`,
//! and an `encrypted` that is not a boolean. Rejected on top: `messages` that is not an
//! object of objects of objects, and a user or device given twice (which `JSON.parse` would
//! silently collapse). Wire decision 40.
//!
//! ```
//! use matrix_widget_api::from_widget::send_to_device::{DeviceTarget, SendToDevice, SendToDeviceRequestData, ToDeviceMessages};
//! use matrix_widget_api::payload::RawObject;
//! use matrix_widget_api::Request;
//!
//! let mut messages = ToDeviceMessages::new();
//! messages.insert("@b:b", DeviceTarget::AllDevices, RawObject::from_json(r#"{"n":1}"#)?);
//! let request = Request::<SendToDevice>::new("w1", "r1", SendToDeviceRequestData::new("org.example.ping", true, messages))?;
//! assert_eq!(
//!     serde_json::to_string(&request)?,
//!     r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"send_to_device","data":{"type":"org.example.ping","encrypted":true,"messages":{"@b:b":{"*":{"n":1}}}}}"#
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::action::{Action, ActionName};
use crate::api::Api;
use crate::payload::{Extra, Payload, RawObject, strip_position};
use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::collections::btree_map::Entry;
use std::fmt;
use std::marker::PhantomData;

/// The `send_to_device` action from widget to host.
#[derive(Debug)]
pub enum SendToDevice {}

impl Action for SendToDevice {
    const API: Api = Api::FromWidget;
    const NAME: ActionName = ActionName::SendToDevice;
    type RequestData = SendToDeviceRequestData;
    type ResponseData = SendToDeviceResponseData;
}

/// The request `data`: send to-device messages of one type. `type` must not be empty.
#[derive(Clone, Debug, PartialEq, Eq, Payload)]
#[wire(check = "SendToDeviceRequestData::check", extend_schema = "SendToDeviceRequestData::extend_schema")]
#[non_exhaustive]
pub struct SendToDeviceRequestData {
    /// The to-device event type.
    #[wire(rename = "type")]
    pub event_type: String,
    /// Whether the host encrypts each message for its device (Olm).
    pub encrypted: bool,
    /// User ID to device ID (or "*", every device of the user) to message content.
    pub messages: ToDeviceMessages,
    /// Fields the protocol does not define, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl SendToDeviceRequestData {
    /// Send `messages` of `event_type`, encrypted or not.
    pub fn new(event_type: impl Into<String>, encrypted: bool, messages: ToDeviceMessages) -> Self {
        SendToDeviceRequestData { event_type: event_type.into(), encrypted, messages, extra: Extra::new() }
    }

    /// The rules beyond field types: a non-empty `type`.
    fn check(&self) -> Result<(), String> {
        if self.event_type.is_empty() { Err("`type` must not be empty".to_owned()) } else { Ok(()) }
    }

    /// [`SendToDeviceRequestData::check`] in the schema.
    #[cfg(feature = "schema")]
    fn extend_schema(mut schema: schemars::Schema) -> schemars::Schema {
        crate::event::require_non_empty(&mut schema, "type");
        schema
    }
}

/// Whom a to-device message goes to on a user's account: one device, or all of them (`"*"`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DeviceTarget {
    /// `"*"`: every device of the user.
    AllDevices,
    /// The device with this ID (an ID of `*` would be read back as `AllDevices`).
    Device(String),
}

impl DeviceTarget {
    /// The wire form: the device ID, or `"*"`.
    pub fn as_str(&self) -> &str {
        match self {
            DeviceTarget::AllDevices => "*",
            DeviceTarget::Device(id) => id,
        }
    }
}

impl From<&str> for DeviceTarget {
    fn from(s: &str) -> Self {
        if s == "*" { DeviceTarget::AllDevices } else { DeviceTarget::Device(s.to_owned()) }
    }
}

impl From<String> for DeviceTarget {
    fn from(s: String) -> Self {
        if s == "*" { DeviceTarget::AllDevices } else { DeviceTarget::Device(s) }
    }
}

impl fmt::Display for DeviceTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for DeviceTarget {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for DeviceTarget {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(DeviceTarget::from)
    }
}

/// The messages of a `send_to_device`: user ID → device (or all devices) → content, each
/// content kept byte-exact. A user or a device given twice is an error.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ToDeviceMessages(BTreeMap<String, BTreeMap<DeviceTarget, RawObject>>);

impl ToDeviceMessages {
    /// No messages.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the message for `target` of `user_id`, returning the one it replaces.
    pub fn insert(&mut self, user_id: impl Into<String>, target: DeviceTarget, content: RawObject) -> Option<RawObject> {
        self.0.entry(user_id.into()).or_default().insert(target, content)
    }

    /// The messages for `user_id`'s devices.
    pub fn get(&self, user_id: &str) -> Option<&BTreeMap<DeviceTarget, RawObject>> {
        self.0.get(user_id)
    }

    /// Every (user ID, device target, content), users and devices in sorted order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &DeviceTarget, &RawObject)> {
        self.0.iter().flat_map(|(user, devices)| devices.iter().map(move |(target, content)| (user.as_str(), target, content)))
    }

    /// The users, each with its devices' messages.
    pub fn as_map(&self) -> &BTreeMap<String, BTreeMap<DeviceTarget, RawObject>> {
        &self.0
    }

    /// The map itself.
    pub fn into_map(self) -> BTreeMap<String, BTreeMap<DeviceTarget, RawObject>> {
        self.0
    }

    /// How many users the messages go to.
    pub fn user_count(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no users at all.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<BTreeMap<String, BTreeMap<DeviceTarget, RawObject>>> for ToDeviceMessages {
    fn from(map: BTreeMap<String, BTreeMap<DeviceTarget, RawObject>>) -> Self {
        ToDeviceMessages(map)
    }
}

impl Serialize for ToDeviceMessages {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for ToDeviceMessages {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let users: BTreeMap<String, DeviceMessages> = deserializer.deserialize_map(UniqueMap::new("user ID", "an object of user IDs"))?;
        Ok(ToDeviceMessages(users.into_iter().map(|(user, DeviceMessages(devices))| (user, devices)).collect()))
    }
}

/// One user's messages, read with duplicate devices rejected.
struct DeviceMessages(BTreeMap<DeviceTarget, RawObject>);

impl<'de> Deserialize<'de> for DeviceMessages {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(UniqueMap::new("device ID", "an object of device IDs (or \"*\")")).map(DeviceMessages)
    }
}

/// Reads a JSON object into a map, rejecting a key given twice.
struct UniqueMap<K, V> {
    what: &'static str,
    expecting: &'static str,
    marker: PhantomData<fn() -> (K, V)>,
}

impl<K, V> UniqueMap<K, V> {
    const fn new(what: &'static str, expecting: &'static str) -> Self {
        UniqueMap { what, expecting, marker: PhantomData }
    }
}

impl<'de, K, V> Visitor<'de> for UniqueMap<K, V>
where
    K: Deserialize<'de> + Ord + fmt::Display,
    V: Deserialize<'de>,
{
    type Value = BTreeMap<K, V>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.expecting)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = BTreeMap::new();
        while let Some(key) = map.next_key::<K>()? {
            match out.entry(key) {
                Entry::Occupied(entry) => {
                    return Err(de::Error::custom(format_args!("duplicate {} `{}`", self.what, entry.key())));
                }
                Entry::Vacant(entry) => {
                    let value = map.next_value::<V>().map_err(|e: A::Error| {
                        de::Error::custom(format_args!("{} `{}`: {}", self.what, entry.key(), strip_position(&e.to_string())))
                    })?;
                    entry.insert(value);
                }
            }
        }
        Ok(out)
    }
}

/// The success `response`: `{}`, or with matrix-rust-sdk the devices the messages could not
/// be delivered to.
#[derive(Clone, Debug, Default, PartialEq, Eq, Payload)]
#[non_exhaustive]
pub struct SendToDeviceResponseData {
    /// matrix-rust-sdk: user ID to the IDs of the devices that did not get the message (unknown devices, encryption failures, network errors). matrix-widget-api hosts never send it.
    pub failures: Option<DeliveryFailures>,
    /// Fields the protocol does not define, kept for the round-trip.
    #[wire(extra)]
    pub extra: Extra,
}

impl SendToDeviceResponseData {
    /// `{}`: every message was sent.
    pub fn new() -> Self {
        Self::default()
    }

    /// With the devices that did not get the message (matrix-rust-sdk's extension).
    pub fn with_failures(self, failures: DeliveryFailures) -> Self {
        SendToDeviceResponseData { failures: Some(failures), ..self }
    }
}

/// matrix-rust-sdk's `failures`: user ID → IDs of the devices a to-device message could not
/// be delivered to. A user given twice is an error.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeliveryFailures(BTreeMap<String, Vec<String>>);

impl DeliveryFailures {
    /// No failures.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records that `device_id` of `user_id` did not get the message.
    pub fn add(&mut self, user_id: impl Into<String>, device_id: impl Into<String>) {
        self.0.entry(user_id.into()).or_default().push(device_id.into());
    }

    /// The failed devices of `user_id`.
    pub fn get(&self, user_id: &str) -> Option<&[String]> {
        self.0.get(user_id).map(Vec::as_slice)
    }

    /// The map itself: user ID → device IDs.
    pub fn as_map(&self) -> &BTreeMap<String, Vec<String>> {
        &self.0
    }

    /// Whether no delivery failed.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<BTreeMap<String, Vec<String>>> for DeliveryFailures {
    fn from(map: BTreeMap<String, Vec<String>>) -> Self {
        DeliveryFailures(map)
    }
}

impl Serialize for DeliveryFailures {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (user, devices) in &self.0 {
            map.serialize_entry(user, devices)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for DeliveryFailures {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(UniqueMap::new("user ID", "an object of user IDs to lists of device IDs")).map(DeliveryFailures)
    }
}

#[cfg(feature = "schema")]
mod schema {
    use super::*;
    use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
    use std::borrow::Cow;

    impl JsonSchema for ToDeviceMessages {
        fn schema_name() -> Cow<'static, str> {
            "ToDeviceMessages".into()
        }
        fn json_schema(_: &mut SchemaGenerator) -> Schema {
            json_schema!({
                "description": "To-device messages: user ID to device ID (or \"*\", every device of the user) to message content.",
                "type": "object",
                "additionalProperties": {
                    "type": "object",
                    "additionalProperties": { "type": "object" },
                },
            })
        }
    }

    impl JsonSchema for DeliveryFailures {
        fn schema_name() -> Cow<'static, str> {
            "DeliveryFailures".into()
        }
        fn json_schema(_: &mut SchemaGenerator) -> Schema {
            json_schema!({
                "description": "User ID to the IDs of the devices a to-device message could not be delivered to (matrix-rust-sdk).",
                "type": "object",
                "additionalProperties": { "type": "array", "items": { "type": "string" } },
            })
        }
    }
}
