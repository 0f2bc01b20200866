use msgraph_core::models::{Additional, EmailAddress};
use serde::{Deserialize, Serialize};

use super::{CalendarColor, OnlineMeetingProviderType};

/// A calendar: a container of events
/// ([calendar](https://learn.microsoft.com/graph/api/resources/calendar)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Calendar {
    /// Id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Color theme in Outlook.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<CalendarColor>,
    /// Color as `#RRGGBB`; empty when the user never set one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hex_color: Option<String>,
    /// Version of the calendar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change_key: Option<String>,
    /// The user can write to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub can_edit: Option<bool>,
    /// The user can share it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub can_share: Option<bool>,
    /// The user can read private items in it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub can_view_private_items: Option<bool>,
    /// New events go here by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_default_calendar: Option<bool>,
    /// It can be removed from the mailbox.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_removable: Option<bool>,
    /// It tracks meeting responses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_tallying_responses: Option<bool>,
    /// Who created or shared it. Graph sends a bare `emailAddress` here, not
    /// a recipient.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<EmailAddress>,
    /// Online meeting services usable from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_online_meeting_providers: Option<Vec<OnlineMeetingProviderType>>,
    /// Default online meeting service of meetings sent from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_online_meeting_provider: Option<OnlineMeetingProviderType>,
    /// Properties not named above (`@odata.id`, extended properties, ...).
    #[serde(flatten)]
    pub additional: Additional,
}
