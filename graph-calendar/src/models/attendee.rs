use chrono::{DateTime, Utc};
use msgraph_core::models::{Additional, EmailAddress, Recipient, utc};
use serde::{Deserialize, Serialize};

use super::{AttendeeType, ResponseType, TimeSlot};

/// An attendee of an event, or a person or resource to plan a meeting with
/// ([attendee](https://learn.microsoft.com/graph/api/resources/attendee)).
///
/// ```
/// use msgraph_calendar::Attendee;
/// let a = Attendee::required("ada@contoso.com");
/// assert_eq!(serde_json::to_value(&a).unwrap(),
///     serde_json::json!({"type": "required", "emailAddress": {"address": "ada@contoso.com"}}));
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Attendee {
    /// Required, optional or resource.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub attendee_type: Option<AttendeeType>,
    /// Who.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_address: Option<EmailAddress>,
    /// Their answer and when they gave it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ResponseStatus>,
    /// The new time they proposed, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposed_new_time: Option<TimeSlot>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

impl Attendee {
    /// An attendee of `kind`.
    pub fn new(kind: AttendeeType, who: impl Into<Recipient>) -> Self {
        Attendee { attendee_type: Some(kind), email_address: Some(who.into().email_address), ..Attendee::default() }
    }

    /// A required attendee.
    pub fn required(who: impl Into<Recipient>) -> Self {
        Self::new(AttendeeType::Required, who)
    }

    /// An optional attendee.
    pub fn optional(who: impl Into<Recipient>) -> Self {
        Self::new(AttendeeType::Optional, who)
    }

    /// A resource (room or equipment).
    pub fn resource(who: impl Into<Recipient>) -> Self {
        Self::new(AttendeeType::Resource, who)
    }

    /// The SMTP address, if set.
    pub fn address(&self) -> Option<&str> {
        self.email_address.as_ref().and_then(|e| e.address.as_deref())
    }

    /// The answer, if Graph reported one.
    pub fn response(&self) -> Option<&ResponseType> {
        self.status.as_ref().and_then(|s| s.response.as_ref())
    }
}

/// An answer to a meeting request and when it was given
/// ([responseStatus](https://learn.microsoft.com/graph/api/resources/responsestatus)).
///
/// Graph writes "no time" as `0001-01-01T00:00:00Z`; that reads as that
/// instant (see [`ResponseStatus::responded_at`]) and is written back unchanged.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ResponseStatus {
    /// The answer (`none`, `accepted`, ...; may be empty, read as `Unknown("")`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<ResponseType>,
    /// When it was given.
    #[serde(default, deserialize_with = "utc::option::deserialize", skip_serializing_if = "Option::is_none")]
    pub time: Option<DateTime<Utc>>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

impl ResponseStatus {
    /// When the answer was given, or `None` for Graph's "never" sentinel
    /// (`0001-01-01T00:00:00Z`).
    pub fn responded_at(&self) -> Option<DateTime<Utc>> {
        use chrono::Datelike as _;
        self.time.filter(|t| t.year() > 1)
    }
}
