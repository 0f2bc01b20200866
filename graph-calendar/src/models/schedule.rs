use chrono::NaiveTime;
use msgraph_core::models::{Additional, DateTimeTimeZone};
use serde::{Deserialize, Serialize};

use super::{DayOfWeek, FreeBusyStatus};

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

/// Days and hours someone works
/// ([workingHours](https://learn.microsoft.com/graph/api/resources/workinghours)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct WorkingHours {
    /// Working days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days_of_week: Option<Vec<DayOfWeek>>,
    /// Start of the working day, in `time_zone`.
    #[serde(default, with = "crate::time::time_of_day::option", skip_serializing_if = "Option::is_none")]
    pub start_time: Option<NaiveTime>,
    /// End of the working day, in `time_zone`.
    #[serde(default, with = "crate::time::time_of_day::option", skip_serializing_if = "Option::is_none")]
    pub end_time: Option<NaiveTime>,
    /// The zone of the hours: a named zone, or a custom one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<TimeZoneBase>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

/// A time zone as Graph describes it in working hours
/// ([timeZoneBase](https://learn.microsoft.com/graph/api/resources/timezonebase)):
/// just `{"name": ...}`, or a `#microsoft.graph.customTimeZone` with its bias
/// and transitions ([customTimeZone](https://learn.microsoft.com/graph/api/resources/customtimezone)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TimeZoneBase {
    /// `#microsoft.graph.customTimeZone` for a custom zone.
    #[serde(rename = "@odata.type", default, skip_serializing_if = "Option::is_none")]
    pub odata_type: Option<String>,
    /// Zone name (Windows or IANA, or the custom zone's name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Custom zones: offset from UTC in minutes, as Windows writes it
    /// (positive west of UTC: 480 is UTC−8).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bias: Option<i32>,
    /// Custom zones: when daylight saving time ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standard_offset: Option<StandardTimeZoneOffset>,
    /// Custom zones: when daylight saving time starts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub daylight_offset: Option<DaylightTimeZoneOffset>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

impl TimeZoneBase {
    /// True for a `#microsoft.graph.customTimeZone`.
    pub fn is_custom(&self) -> bool {
        self.odata_type
            .as_deref()
            .is_some_and(|t| t.trim_start_matches('#').eq_ignore_ascii_case("microsoft.graph.customTimeZone"))
    }
}

/// When a custom zone switches to standard time
/// ([standardTimeZoneOffset](https://learn.microsoft.com/graph/api/resources/standardtimezoneoffset)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct StandardTimeZoneOffset {
    /// Time of day of the switch.
    #[serde(default, with = "crate::time::time_of_day::option", skip_serializing_if = "Option::is_none")]
    pub time: Option<NaiveTime>,
    /// Which occurrence of `day_of_week` in the month (1 to 5, 5 is the last).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day_occurrence: Option<i32>,
    /// Day of the week of the switch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day_of_week: Option<DayOfWeek>,
    /// Month of the switch (1 to 12).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub month: Option<i32>,
    /// Year the rule applies to (0 for every year).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

/// When a custom zone switches to daylight saving time
/// ([daylightTimeZoneOffset](https://learn.microsoft.com/graph/api/resources/daylighttimezoneoffset)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DaylightTimeZoneOffset {
    /// Minutes added to the bias during daylight saving time (e.g. −60).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub daylight_bias: Option<i32>,
    /// Time of day of the switch.
    #[serde(default, with = "crate::time::time_of_day::option", skip_serializing_if = "Option::is_none")]
    pub time: Option<NaiveTime>,
    /// Which occurrence of `day_of_week` in the month (1 to 5, 5 is the last).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day_occurrence: Option<i32>,
    /// Day of the week of the switch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day_of_week: Option<DayOfWeek>,
    /// Month of the switch (1 to 12).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub month: Option<i32>,
    /// Year the rule applies to (0 for every year).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
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
