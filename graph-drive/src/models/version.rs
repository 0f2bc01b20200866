use chrono::{DateTime, Utc};
use msgraph_core::models::{Additional, IdentitySet, utc};
use serde::{Deserialize, Serialize};

/// A version of a file
/// ([driveItemVersion](https://learn.microsoft.com/graph/api/resources/driveitemversion)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DriveItemVersion {
    /// The version's id (`"3.0"`, `"2.0"`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Who made it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified_by: Option<IdentitySet>,
    /// When.
    #[serde(default, deserialize_with = "utc::option::deserialize", skip_serializing_if = "Option::is_none")]
    pub last_modified_date_time: Option<DateTime<Utc>>,
    /// Its size in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<i64>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}
