use msgraph_core::models::{Additional, DateTimeTimeZone};
use serde::{Deserialize, Serialize};

use crate::time::IntoDateTimeTimeZone;

/// A period of time with a start and an end
/// ([timeSlot](https://learn.microsoft.com/graph/api/resources/timeslot)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TimeSlot {
    /// Start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<DateTimeTimeZone>,
    /// End.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<DateTimeTimeZone>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

impl TimeSlot {
    /// A slot from `start` to `end` (any [`IntoDateTimeTimeZone`] value).
    pub fn new(start: impl IntoDateTimeTimeZone, end: impl IntoDateTimeTimeZone) -> Self {
        TimeSlot {
            start: Some(start.into_date_time_time_zone()),
            end: Some(end.into_date_time_time_zone()),
            additional: Additional::new(),
        }
    }
}
