use msgraph_core::models::{Additional, IdentitySet};
use serde::{Deserialize, Serialize};

msgraph_core::string_enum! {
    /// The kind of drive.
    pub enum DriveType {
        /// OneDrive for home (a Microsoft account).
        Personal => "personal",
        /// OneDrive for work or school.
        Business => "business",
        /// A SharePoint document library.
        DocumentLibrary => "documentLibrary",
    }
}

/// A drive: a user's OneDrive or a document library
/// ([drive](https://learn.microsoft.com/graph/api/resources/drive)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Drive {
    /// The drive's id (`b!...` on business drives).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Its name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Personal, business or a document library.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drive_type: Option<DriveType>,
    /// Who owns it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<IdentitySet>,
    /// Space used and left.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quota: Option<Quota>,
    /// A link to the drive in a browser.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web_url: Option<String>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

/// Storage quota of a drive, in bytes
/// ([quota](https://learn.microsoft.com/graph/api/resources/quota)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Quota {
    /// Total space.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<i64>,
    /// Space used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub used: Option<i64>,
    /// Space left.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remaining: Option<i64>,
    /// Space used by items in the recycle bin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted: Option<i64>,
    /// `normal`, `nearing`, `critical` or `exceeded`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}
