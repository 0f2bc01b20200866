use msgraph_core::models::Additional;
use serde::{Deserialize, Serialize};

use super::PhoneType;

/// How to join an online meeting; Graph fills it in after an event is
/// created with `isOnlineMeeting` and a provider
/// ([onlineMeetingInfo](https://learn.microsoft.com/graph/api/resources/onlinemeetinginfo)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct OnlineMeetingInfo {
    /// The link that joins the meeting (e.g. a Teams `meetup-join` URL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub join_url: Option<String>,
    /// Conference id for dial-in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conference_id: Option<String>,
    /// Phone numbers of the conference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phones: Option<Vec<Phone>>,
    /// Pre-formatted quick dial.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quick_dial: Option<String>,
    /// Toll-free numbers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub toll_free_numbers: Option<Vec<String>>,
    /// Toll number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub toll_number: Option<String>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

/// A phone number ([phone](https://learn.microsoft.com/graph/api/resources/phone)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Phone {
    /// The number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// Its kind.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub phone_type: Option<PhoneType>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}
