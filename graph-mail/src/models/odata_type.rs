//! Dispatch on `@odata.type` for polymorphic resources (attachments, the item
//! of an item attachment). Graph writes `#microsoft.graph.fileAttachment`;
//! the leading `#` and the case are not relied on.

use msgraph_core::models::Additional;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer};

/// The key of the type annotation.
pub(crate) const ODATA_TYPE: &str = "@odata.type";

/// True when the annotation `tag` names the type `name` (`microsoft.graph.x`).
pub(crate) fn is_type(tag: &str, name: &str) -> bool {
    tag.strip_prefix('#').unwrap_or(tag).eq_ignore_ascii_case(name)
}

/// The type annotation of a JSON object, if it has one.
pub(crate) fn type_of(map: &Additional) -> Option<&str> {
    map.get(ODATA_TYPE).and_then(serde_json::Value::as_str)
}

/// Deserializes the object (without its annotation) into a known kind.
pub(crate) fn parse_kind<'de, T, D>(mut map: Additional) -> Result<T, D::Error>
where
    T: serde::de::DeserializeOwned,
    D: Deserializer<'de>,
{
    map.remove(ODATA_TYPE);
    T::deserialize(serde_json::Value::Object(map)).map_err(D::Error::custom)
}

/// Reads the whole object first (the kind is known only from its annotation).
pub(crate) fn read_object<'de, D: Deserializer<'de>>(d: D) -> Result<Additional, D::Error> {
    Additional::deserialize(d)
}
