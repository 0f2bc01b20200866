use msgraph_core::models::{Additional, DateTimeTimeZone, WorkingHours};
use serde::{Deserialize, Serialize};

use super::FreeBusyStatus;

/// Free/busy of one user, distribution list or room over a window, as
/// `getSchedule` returns it
/// ([scheduleInformation](https://learn.microsoft.com/graph/api/resources/scheduleinformation)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ScheduleInformation {
    /// The SMTP address asked about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule_id: Option<String>,
    /// One digit per interval: `0` free, `1` tentative, `2` busy, `3` out of
    /// office, `4` working elsewhere. See [`availability`](Self::availability).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability_view: Option<String>,
    /// The items that make up the availability.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule_items: Option<Vec<ScheduleItem>>,
    /// Their working hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub working_hours: Option<WorkingHours>,
    /// Why their availability could not be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<FreeBusyError>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

impl ScheduleInformation {
    /// The availability view as statuses, one per interval; a digit Graph
    /// adds later reads as `Unknown`.
    pub fn availability(&self) -> Vec<FreeBusyStatus> {
        self.availability_view
            .as_deref()
            .unwrap_or_default()
            .chars()
            .map(|c| match c {
                '0' => FreeBusyStatus::Free,
                '1' => FreeBusyStatus::Tentative,
                '2' => FreeBusyStatus::Busy,
                '3' => FreeBusyStatus::Oof,
                '4' => FreeBusyStatus::WorkingElsewhere,
                other => FreeBusyStatus::Unknown(other.to_string()),
            })
            .collect()
    }
}

/// One busy block in a schedule
/// ([scheduleItem](https://learn.microsoft.com/graph/api/resources/scheduleitem)).
/// Subject and location are present only when the caller may see them.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ScheduleItem {
    /// Start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<DateTimeTimeZone>,
    /// End.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<DateTimeTimeZone>,
    /// Busy, tentative, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<FreeBusyStatus>,
    /// Marked private.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_private: Option<bool>,
    /// Subject.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Location name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

/// Why a schedule could not be read
/// ([freeBusyError](https://learn.microsoft.com/graph/api/resources/freebusyerror)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct FreeBusyError {
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Error code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_code: Option<String>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}
