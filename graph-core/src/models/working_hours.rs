//! Working hours and the time zones Outlook describes them in: one shape for
//! mailbox settings (mail) and free/busy (calendar's `getSchedule`).

use std::fmt;

use chrono::{NaiveTime, Timelike as _};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{Additional, DayOfWeek};

/// A time of day (`Edm.TimeOfDay`), as Graph writes it: `08:00:00.0000000`.
///
/// Reads with or without a fraction (and `hh:mm`); writes seven fraction
/// digits, like Graph.
///
/// ```
/// use msgraph_core::models::TimeOfDay;
/// let t: TimeOfDay = serde_json::from_str(r#""18:30:00.0000000""#).unwrap();
/// assert_eq!(t, TimeOfDay::from_hms(18, 30, 0).unwrap());
/// assert_eq!(serde_json::to_string(&t).unwrap(), r#""18:30:00.0000000""#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimeOfDay(pub NaiveTime);

impl TimeOfDay {
    /// A time from hours, minutes and seconds; `None` when out of range.
    pub fn from_hms(hour: u32, min: u32, sec: u32) -> Option<Self> {
        NaiveTime::from_hms_opt(hour, min, sec).map(TimeOfDay)
    }

    /// The chrono time.
    pub fn time(&self) -> NaiveTime {
        self.0
    }

    /// Parses Graph's forms (`08:00:00.0000000`, `08:00:00`, `08:00`).
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        NaiveTime::parse_from_str(s, "%H:%M:%S%.f")
            .or_else(|_| NaiveTime::parse_from_str(s, "%H:%M"))
            .ok()
            .map(TimeOfDay)
    }
}

impl From<NaiveTime> for TimeOfDay {
    fn from(t: NaiveTime) -> Self {
        TimeOfDay(t)
    }
}

impl From<TimeOfDay> for NaiveTime {
    fn from(t: TimeOfDay) -> Self {
        t.0
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ticks = self.0.nanosecond() % 1_000_000_000 / 100;
        write!(f, "{}.{ticks:07}", self.0.format("%H:%M:%S"))
    }
}

impl Serialize for TimeOfDay {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for TimeOfDay {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        TimeOfDay::parse(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("invalid time of day {s:?}: expected hh:mm:ss[.fffffff]")))
    }
}

/// Days and hours someone works
/// ([workingHours](https://learn.microsoft.com/graph/api/resources/workinghours)):
/// read from mailbox settings or from a `getSchedule` answer, and written
/// back with `set_working_hours`.
///
/// ```
/// use msgraph_core::models::{DayOfWeek, TimeOfDay, WorkingHours};
/// let hours = WorkingHours::new(
///     [DayOfWeek::Monday, DayOfWeek::Tuesday],
///     TimeOfDay::from_hms(8, 0, 0).unwrap(),
///     TimeOfDay::from_hms(17, 0, 0).unwrap(),
///     "Pacific Standard Time",
/// );
/// assert_eq!(serde_json::to_value(&hours).unwrap()["startTime"], "08:00:00.0000000");
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct WorkingHours {
    /// The working days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days_of_week: Option<Vec<DayOfWeek>>,
    /// When work starts, in [`time_zone`](Self::time_zone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<TimeOfDay>,
    /// When work ends, in [`time_zone`](Self::time_zone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<TimeOfDay>,
    /// The zone of the hours: a named zone, or a custom one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<TimeZoneBase>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

impl WorkingHours {
    /// Working hours on `days` from `start` to `end` in the named zone
    /// (Windows, e.g. `Pacific Standard Time`, or IANA).
    pub fn new(
        days: impl IntoIterator<Item = DayOfWeek>,
        start: TimeOfDay,
        end: TimeOfDay,
        time_zone: impl Into<String>,
    ) -> Self {
        WorkingHours {
            days_of_week: Some(days.into_iter().collect()),
            start_time: Some(start),
            end_time: Some(end),
            time_zone: Some(TimeZoneBase::named(time_zone)),
            additional: Additional::new(),
        }
    }
}

/// A time zone as Outlook describes it in working hours: a name
/// ([timeZoneBase](https://learn.microsoft.com/graph/api/resources/timezonebase)),
/// or a `#microsoft.graph.customTimeZone` with its bias and transitions
/// ([customTimeZone](https://learn.microsoft.com/graph/api/resources/customtimezone)).
///
/// **The sign of `bias`.** Graph's property table says zones ahead of UTC
/// have a positive bias, but the payloads Graph sends (the documented
/// `getSchedule` answer among them) use the Windows convention: *UTC = local
/// time + bias*, so Pacific time is `480` and its daylight bias `-60`. This
/// type keeps the number as sent; [`standard_utc_offset_minutes`](Self::standard_utc_offset_minutes)
/// and [`daylight_utc_offset_minutes`](Self::daylight_utc_offset_minutes)
/// give the usual "east of UTC is positive" offsets.
///
/// ```
/// use msgraph_core::models::TimeZoneBase;
/// let tz: TimeZoneBase = serde_json::from_str(r##"{
///     "@odata.type": "#microsoft.graph.customTimeZone", "bias": 480, "name": "Customized Time Zone",
///     "standardOffset": {"time": "02:00:00.0000000", "dayOccurrence": 1, "dayOfWeek": "sunday", "month": 11, "year": 0},
///     "daylightOffset": {"daylightBias": -60, "time": "02:00:00.0000000", "dayOccurrence": 2, "dayOfWeek": "sunday", "month": 3, "year": 0}
/// }"##).unwrap();
/// assert!(tz.is_custom());
/// assert_eq!(tz.standard_utc_offset_minutes(), Some(-480)); // UTC−8
/// assert_eq!(tz.daylight_utc_offset_minutes(), Some(-420)); // UTC−7
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TimeZoneBase {
    /// `#microsoft.graph.customTimeZone` for a custom zone; absent for a named one.
    #[serde(rename = "@odata.type", default, skip_serializing_if = "Option::is_none")]
    pub odata_type: Option<String>,
    /// The zone's name (Windows or IANA, or a custom zone's own name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Custom zones: minutes to add to local standard time to get UTC
    /// (Windows convention; `480` is UTC−8). See the type's docs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bias: Option<i32>,
    /// Custom zones: when daylight saving time ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standard_offset: Option<StandardTimeZoneOffset>,
    /// Custom zones: when daylight saving time starts, and its extra bias.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub daylight_offset: Option<DaylightTimeZoneOffset>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

impl TimeZoneBase {
    /// A zone by name (Windows or IANA).
    pub fn named(name: impl Into<String>) -> Self {
        TimeZoneBase { name: Some(name.into()), ..Default::default() }
    }

    /// True for a `#microsoft.graph.customTimeZone`.
    pub fn is_custom(&self) -> bool {
        self.odata_type
            .as_deref()
            .is_some_and(|t| t.trim_start_matches('#').eq_ignore_ascii_case("microsoft.graph.customTimeZone"))
    }

    /// Custom zones: the standard-time offset from UTC in minutes, east
    /// positive (`-bias`).
    pub fn standard_utc_offset_minutes(&self) -> Option<i32> {
        self.bias.and_then(i32::checked_neg)
    }

    /// Custom zones: the daylight-time offset from UTC in minutes, east
    /// positive (`-(bias + daylightBias)`).
    pub fn daylight_utc_offset_minutes(&self) -> Option<i32> {
        let daylight = self.daylight_offset.as_ref()?.daylight_bias.unwrap_or(0);
        self.bias?.checked_add(daylight)?.checked_neg()
    }
}

/// When a custom zone switches to standard time
/// ([standardTimeZoneOffset](https://learn.microsoft.com/graph/api/resources/standardtimezoneoffset)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct StandardTimeZoneOffset {
    /// Time of day of the transition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<TimeOfDay>,
    /// Which occurrence of [`day_of_week`](Self::day_of_week) in the month (1-5; 5 is the last).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day_occurrence: Option<i32>,
    /// Day of the week of the transition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day_of_week: Option<DayOfWeek>,
    /// Month of the transition (1-12).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub month: Option<i32>,
    /// Year the transition first applies (0: every year).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

/// When a custom zone switches to daylight saving time, and by how much
/// ([daylightTimeZoneOffset](https://learn.microsoft.com/graph/api/resources/daylighttimezoneoffset)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DaylightTimeZoneOffset {
    /// Minutes added to the zone's bias during daylight time (Windows
    /// convention: `-60` moves the clock one hour ahead).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub daylight_bias: Option<i32>,
    /// Time of day of the transition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<TimeOfDay>,
    /// Which occurrence of [`day_of_week`](Self::day_of_week) in the month (1-5; 5 is the last).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day_occurrence: Option<i32>,
    /// Day of the week of the transition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day_of_week: Option<DayOfWeek>,
    /// Month of the transition (1-12).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub month: Option<i32>,
    /// Year the transition first applies (0: every year).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}
