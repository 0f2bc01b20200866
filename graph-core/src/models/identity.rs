use serde::{Deserialize, Serialize};

use super::Additional;

/// An actor: a user, application or device
/// ([identity](https://learn.microsoft.com/graph/api/resources/identity)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Identity {
    /// Object id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Other properties (e.g. `email` on OneDrive identities).
    #[serde(flatten)]
    pub additional: Additional,
}

/// Who did something: user, application and/or device
/// ([identitySet](https://learn.microsoft.com/graph/api/resources/identityset)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct IdentitySet {
    /// The user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<Identity>,
    /// The application.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application: Option<Identity>,
    /// The device.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<Identity>,
    /// Other identities (`group`, `siteUser`, ...).
    #[serde(flatten)]
    pub additional: Additional,
}
