use chrono::{DateTime, Utc};
use msgraph_core::models::{Additional, DateTimeTimeZone, Importance, ItemBody, Recipient, utc};
use serde::{Deserialize, Serialize};

use super::{
    Attendee, EventType, FreeBusyStatus, Location, OnlineMeetingInfo, OnlineMeetingProviderType, PatternedRecurrence,
    ResponseStatus, Sensitivity,
};

/// An event in a calendar
/// ([event](https://learn.microsoft.com/graph/api/resources/event)).
///
/// Every property of the v1.0 resource is named here. Start and end come in
/// UTC unless the request asked for a zone (`.timezone("America/New_York")`
/// on the builder, i.e. `Prefer: outlook.timezone`). Relationships
/// (`attachments`, `calendar`, `instances`, extensions) and annotations
/// (`@odata.etag`, `@removed` in delta rounds) land in `additional`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Event {
    /// Id (case-sensitive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Subject.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Body, HTML or text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<ItemBody>,
    /// Text preview of the body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_preview: Option<String>,
    /// Start, in the zone of the request's `Prefer: outlook.timezone` (UTC by default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<DateTimeTimeZone>,
    /// End, in the same zone as `start`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<DateTimeTimeZone>,
    /// Lasts all day (start and end at midnight in one zone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_all_day: Option<bool>,
    /// Start zone set when the event was created (`tzone://Microsoft/Custom` for legacy custom zones).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_start_time_zone: Option<String>,
    /// End zone set when the event was created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_end_time_zone: Option<String>,
    /// For an occurrence or exception: its start when the series created it.
    #[serde(default, deserialize_with = "utc::option::deserialize", skip_serializing_if = "Option::is_none")]
    pub original_start: Option<DateTime<Utc>>,
    /// Location.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// All locations (kept in step with `location` by Graph).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locations: Option<Vec<Location>>,
    /// Attendees.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attendees: Option<Vec<Attendee>>,
    /// Organizer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organizer: Option<Recipient>,
    /// The calendar owner organized it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_organizer: Option<bool>,
    /// The calendar owner's answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_status: Option<ResponseStatus>,
    /// The organizer wants answers (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_requested: Option<bool>,
    /// Invitees may propose a new time (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_new_time_proposals: Option<bool>,
    /// Each attendee sees only themselves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hide_attendees: Option<bool>,
    /// It has online meeting information.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_online_meeting: Option<bool>,
    /// The online meeting service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub online_meeting_provider: Option<OnlineMeetingProviderType>,
    /// How to join the online meeting (`join_url`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub online_meeting: Option<OnlineMeetingInfo>,
    /// Legacy online meeting URL (Skype); use `online_meeting.join_url`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub online_meeting_url: Option<String>,
    /// How the time shows on the calendar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_as: Option<FreeBusyStatus>,
    /// Sensitivity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitivity: Option<Sensitivity>,
    /// Importance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub importance: Option<Importance>,
    /// Category names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub categories: Option<Vec<String>>,
    /// A reminder is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_reminder_on: Option<bool>,
    /// Minutes before the start that the reminder fires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminder_minutes_before_start: Option<i32>,
    /// How it repeats (series masters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recurrence: Option<PatternedRecurrence>,
    /// Single instance, occurrence, exception or series master.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub event_type: Option<EventType>,
    /// Id of the series master, for occurrences and exceptions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub series_master_id: Option<String>,
    /// It was cancelled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_cancelled: Option<bool>,
    /// Updated in Outlook but not yet sent to attendees.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_draft: Option<bool>,
    /// It has attachments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_attachments: Option<bool>,
    /// Id across calendars (different for each occurrence).
    #[serde(rename = "iCalUId", default, skip_serializing_if = "Option::is_none")]
    pub ical_uid: Option<String>,
    /// Client-chosen id that makes a create idempotent across retries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_id: Option<String>,
    /// Version of the event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change_key: Option<String>,
    /// Created.
    #[serde(default, deserialize_with = "utc::option::deserialize", skip_serializing_if = "Option::is_none")]
    pub created_date_time: Option<DateTime<Utc>>,
    /// Last modified.
    #[serde(default, deserialize_with = "utc::option::deserialize", skip_serializing_if = "Option::is_none")]
    pub last_modified_date_time: Option<DateTime<Utc>>,
    /// Opens the event in Outlook on the web.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web_link: Option<String>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

impl Event {
    /// The join URL of the online meeting, if there is one.
    pub fn join_url(&self) -> Option<&str> {
        self.online_meeting.as_ref().and_then(|m| m.join_url.as_deref())
    }

    /// True when this item is a delta round's removal (`@removed`).
    pub fn is_removed(&self) -> bool {
        self.additional.contains_key("@removed")
    }
}
