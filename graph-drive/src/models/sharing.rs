use chrono::{DateTime, Utc};
use msgraph_core::models::{Additional, Identity, IdentitySet, utc};
use serde::{Deserialize, Serialize};

msgraph_core::string_enum! {
    /// What a sharing link lets its holder do.
    pub enum LinkType {
        /// Read only.
        View => "view",
        /// Read and write.
        Edit => "edit",
        /// An embeddable read-only view (personal OneDrive only).
        Embed => "embed",
    }
}

msgraph_core::string_enum! {
    /// Who a sharing link works for.
    pub enum LinkScope {
        /// Anyone with the link (where the organization allows it).
        Anonymous => "anonymous",
        /// Anyone signed in to the organization.
        Organization => "organization",
        /// Only the people the item is shared with.
        Users => "users",
    }
}

/// A permission on an item: a sharing link, or access granted to people
/// ([permission](https://learn.microsoft.com/graph/api/resources/permission)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Permission {
    /// The permission's id (delete it by this id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `read`, `write`, `owner`, ...
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
    /// The link, for link permissions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<SharingLink>,
    /// Who the access was granted to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub granted_to_v2: Option<IdentitySet>,
    /// Who the access was granted to (links shared with several people).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub granted_to_identities_v2: Option<Vec<IdentitySet>>,
    /// True when the link has a password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_password: Option<bool>,
    /// When the permission expires.
    #[serde(default, deserialize_with = "utc::option::deserialize", skip_serializing_if = "Option::is_none")]
    pub expiration_date_time: Option<DateTime<Utc>>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

/// A sharing link ([sharingLink](https://learn.microsoft.com/graph/api/resources/sharinglink)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SharingLink {
    /// View, edit or embed.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub link_type: Option<LinkType>,
    /// Who it works for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<LinkScope>,
    /// The URL to share.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web_url: Option<String>,
    /// For embed links: the HTML of an `<iframe>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web_html: Option<String>,
    /// The app that created the link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application: Option<Identity>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}
