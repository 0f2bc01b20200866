use msgraph_core::Result;
use serde::{Deserialize, Serialize};

use super::event_fields::{EventFields, event_setters};

/// A new event, for [`Events::create`](crate::Events::create)
/// ([event](https://learn.microsoft.com/graph/api/resources/event)).
///
/// Only what is set is sent. Start and end are required; before sending, the
/// event is checked: the end must be after the start (when both are in the
/// same zone or both in UTC), an all-day event must start and end at midnight
/// in one zone, and a recurrence needs a pattern and a range. A failed check
/// is [`Error::InvalidInput`](msgraph_core::Error::InvalidInput) and nothing
/// is sent.
///
/// ```
/// use chrono::NaiveDate;
/// use msgraph_calendar::{DayOfWeek, FreeBusyStatus, NewEvent, PatternedRecurrence, RecurrencePattern, RecurrenceRange};
///
/// let day = NaiveDate::from_ymd_opt(2026, 3, 10).unwrap();
/// let event = NewEvent::new("Team Sync")
///     .local_times(day.and_hms_opt(14, 0, 0).unwrap(), day.and_hms_opt(14, 30, 0).unwrap(), "America/New_York")
///     .location("Conf Room 1")
///     .text_body("Weekly sync")
///     .required_attendees(["ada@contoso.com", "grace@contoso.com"])
///     .teams_meeting()
///     .reminder_minutes(10)
///     .show_as(FreeBusyStatus::Busy)
///     .recurrence(PatternedRecurrence::new(
///         RecurrencePattern::weekly(1, [DayOfWeek::Tuesday]),
///         RecurrenceRange::numbered(day, 12),
///     ));
/// event.validate().unwrap();
/// let json = serde_json::to_value(&event).unwrap();
/// assert_eq!(json["start"]["timeZone"], "America/New_York");
/// assert_eq!(json["onlineMeetingProvider"], "teamsForBusiness");
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct NewEvent {
    fields: EventFields,
}

impl NewEvent {
    /// A new event with a subject.
    pub fn new(subject: impl Into<String>) -> Self {
        NewEvent::default().subject(subject)
    }

    event_setters!();

    /// `transactionId`: a client-chosen id that makes the create idempotent:
    /// Graph does not create a second event for a retried request with the
    /// same id.
    pub fn transaction_id(mut self, id: impl Into<String>) -> Self {
        self.fields.transaction_id = Some(id.into());
        self
    }

    /// The checks made before sending (see the type's docs).
    pub fn validate(&self) -> Result<()> {
        self.fields.validate(true)
    }
}
