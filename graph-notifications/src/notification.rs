//! What Graph POSTs to a notification URL
//! ([changeNotification](https://learn.microsoft.com/graph/api/resources/changenotification)).

use chrono::{DateTime, Utc};
use msgraph_core::models::Additional;
use serde::{Deserialize, Serialize};

msgraph_core::string_enum! {
    /// A lifecycle event
    /// ([lifecycle notifications](https://learn.microsoft.com/graph/change-notifications-lifecycle-events)).
    pub enum LifecycleEvent {
        /// The subscription's access token is about to expire: reauthorize (or renew) it.
        ReauthorizationRequired => "reauthorizationRequired",
        /// Graph removed the subscription: create it again and catch up with a delta round.
        SubscriptionRemoved => "subscriptionRemoved",
        /// Graph could not deliver some notifications: catch up with a delta round.
        Missed => "missed",
    }
}

/// One notification of a batch: a change, or a lifecycle event.
/// `clientState` is a shared secret: `Debug` does not show it.
#[derive(Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Notification {
    /// The notification's id (several may share one when Graph batches).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The subscription it is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription_id: Option<String>,
    /// When that subscription expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription_expiration_date_time: Option<DateTime<Utc>>,
    /// The subscription's `clientState`, to prove the notification came from Graph.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_state: Option<String>,
    /// `created`, `updated` or `deleted` (change notifications).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change_type: Option<String>,
    /// The changed resource's path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// The tenant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<String>,
    /// Which lifecycle event this is (lifecycle notifications).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifecycle_event: Option<LifecycleEvent>,
    /// The changed resource's id, type and etag (and, with resource data, more).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_data: Option<Additional>,
    /// Encrypted resource data (rich notifications).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encrypted_content: Option<Additional>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

impl std::fmt::Debug for Notification {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Notification")
            .field("subscription_id", &self.subscription_id)
            .field("change_type", &self.change_type)
            .field("lifecycle_event", &self.lifecycle_event)
            .field("resource", &self.resource)
            .finish_non_exhaustive()
    }
}

impl Notification {
    /// The changed resource's id, from `resourceData.id`.
    pub fn resource_id(&self) -> Option<&str> {
        self.resource_data.as_ref()?.get("id")?.as_str()
    }
}

/// A batch as Graph sends it: `{"value": [...]}`.
#[derive(Debug, Clone, Default, Deserialize)]
#[non_exhaustive]
pub(crate) struct Batch {
    #[serde(default)]
    pub(crate) value: Vec<Notification>,
    /// One JWT per app and tenant of the batch (rich notifications).
    #[cfg(feature = "resource-data")]
    #[serde(default, rename = "validationTokens")]
    pub(crate) validation_tokens: Vec<String>,
}
