use msgraph_core::models::Additional;
use serde::{Deserialize, Serialize};

/// A MAPI property with one value
/// ([singleValueLegacyExtendedProperty](https://learn.microsoft.com/graph/api/resources/singlevaluelegacyextendedproperty)).
/// Returned when `$expand`ed.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SingleValueLegacyExtendedProperty {
    /// Property id, e.g. `String {guid} Name Color`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The value, as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

/// A MAPI property with several values
/// ([multiValueLegacyExtendedProperty](https://learn.microsoft.com/graph/api/resources/multivaluelegacyextendedproperty)).
/// Returned when `$expand`ed.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MultiValueLegacyExtendedProperty {
    /// Property id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The values, as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Vec<String>>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

/// An open extension: custom data an app stored on an item
/// ([openTypeExtension](https://learn.microsoft.com/graph/api/resources/opentypeextension)).
/// The custom properties are in [`additional`](Self::additional).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Extension {
    /// Extension id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Unique name of the extension, e.g. `Com.Contoso.Referral`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension_name: Option<String>,
    /// The custom properties (and `@odata.type`).
    #[serde(flatten)]
    pub additional: Additional,
}
