use msgraph_core::{Error, Result};
use serde::{Deserialize, Serialize};

use super::event_fields::{EventFields, event_setters};

/// Changes to an event, for [`Events::update`](crate::Events::update): only
/// the properties set here are sent (PATCH).
///
/// Checked before sending like [`NewEvent`](crate::NewEvent) (end after
/// start when both are given, all-day on midnights, recurrence with a
/// pattern); an empty patch is [`Error::InvalidInput`](msgraph_core::Error::InvalidInput).
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use msgraph_calendar::EventPatch;
///
/// let patch = EventPatch::new()
///     .subject("Team Sync (moved)")
///     .start(Utc.with_ymd_and_hms(2026, 3, 10, 19, 0, 0).unwrap())
///     .end(Utc.with_ymd_and_hms(2026, 3, 10, 19, 30, 0).unwrap());
/// assert_eq!(serde_json::to_value(&patch).unwrap(), serde_json::json!({
///     "subject": "Team Sync (moved)",
///     "start": {"dateTime": "2026-03-10T19:00:00.0000000", "timeZone": "UTC"},
///     "end": {"dateTime": "2026-03-10T19:30:00.0000000", "timeZone": "UTC"},
/// }));
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EventPatch {
    fields: EventFields,
}

impl EventPatch {
    /// An empty patch; set what changes.
    pub fn new() -> Self {
        EventPatch::default()
    }

    event_setters!();

    /// True when nothing was set.
    pub fn is_empty(&self) -> bool {
        self.fields == EventFields::default()
    }

    /// The checks made before sending (see the type's docs).
    pub fn validate(&self) -> Result<()> {
        if self.is_empty() {
            return Err(Error::invalid_input("the event patch is empty: set at least one property"));
        }
        self.fields.validate(false)
    }
}
