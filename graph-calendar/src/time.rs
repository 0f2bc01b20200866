//! Time conversions between chrono and what Graph's calendar API expects.
//!
//! - [`IntoDateTimeTimeZone`]: what event builders accept for a start or an
//!   end: a zoned chrono time (`DateTime<Utc>`, `DateTime<FixedOffset>`,
//!   `DateTime<Local>`, ...), a local time with a zone name
//!   (`(NaiveDateTime, "America/New_York")`), a date with a zone name (midnight,
//!   for all-day events), or a [`DateTimeTimeZone`] as Graph returned it.
//! - [`DateTimeTimeZoneExt`]: comparing two [`DateTimeTimeZone`]s when that
//!   can be done without a time zone database.
//! - Instants for query parameters (`startDateTime`) are written in UTC with a
//!   `Z`; durations (`meetingDuration`) in ISO 8601 (`PT1H30M`).
//!
//! The SDK ships no time zone database: a zone name is carried to Graph as
//! given (IANA such as `America/New_York`, or Windows such as
//! `Eastern Standard Time`), and Graph resolves it.

use std::cmp::Ordering;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, SecondsFormat, TimeDelta, TimeZone, Utc};
use msgraph_core::models::DateTimeTimeZone;

/// A value that becomes Graph's `dateTimeTimeZone` (an event's start or end,
/// a schedule window, a proposed time).
///
/// | value | sent as |
/// | --- | --- |
/// | `DateTime<Tz>` (any chrono zone) | the UTC instant, zone `UTC` |
/// | `(NaiveDateTime, zone)` | that local time, zone name as given |
/// | `(NaiveDate, zone)` | midnight of that date in the zone (all-day events) |
/// | [`DateTimeTimeZone`] | as is |
///
/// ```
/// use chrono::{NaiveDate, TimeZone, Utc};
/// use msgraph_calendar::IntoDateTimeTimeZone;
///
/// let at_two = NaiveDate::from_ymd_opt(2026, 3, 10).unwrap().and_hms_opt(14, 0, 0).unwrap();
/// let local = (at_two, "America/New_York").into_date_time_time_zone();
/// assert_eq!(local.time_zone.as_deref(), Some("America/New_York"));
///
/// let utc = Utc.with_ymd_and_hms(2026, 3, 10, 18, 0, 0).unwrap().into_date_time_time_zone();
/// assert_eq!(utc.time_zone.as_deref(), Some("UTC"));
/// ```
pub trait IntoDateTimeTimeZone {
    /// The Graph value.
    fn into_date_time_time_zone(self) -> DateTimeTimeZone;
}

impl IntoDateTimeTimeZone for DateTimeTimeZone {
    fn into_date_time_time_zone(self) -> DateTimeTimeZone {
        self
    }
}

impl IntoDateTimeTimeZone for &DateTimeTimeZone {
    fn into_date_time_time_zone(self) -> DateTimeTimeZone {
        self.clone()
    }
}

impl<Tz: TimeZone> IntoDateTimeTimeZone for DateTime<Tz> {
    fn into_date_time_time_zone(self) -> DateTimeTimeZone {
        DateTimeTimeZone::from_datetime(&self)
    }
}

impl<Tz: TimeZone> IntoDateTimeTimeZone for &DateTime<Tz> {
    fn into_date_time_time_zone(self) -> DateTimeTimeZone {
        DateTimeTimeZone::from_datetime(self)
    }
}

impl<S: Into<String>> IntoDateTimeTimeZone for (NaiveDateTime, S) {
    fn into_date_time_time_zone(self) -> DateTimeTimeZone {
        DateTimeTimeZone::from_naive(self.0, self.1)
    }
}

impl<S: Into<String>> IntoDateTimeTimeZone for (NaiveDate, S) {
    fn into_date_time_time_zone(self) -> DateTimeTimeZone {
        DateTimeTimeZone::from_date(self.0, self.1)
    }
}

/// Comparisons of [`DateTimeTimeZone`] values that need no time zone database.
///
/// ```
/// use std::cmp::Ordering;
/// use chrono::NaiveDate;
/// use msgraph_calendar::{DateTimeTimeZoneExt, IntoDateTimeTimeZone};
///
/// let day = NaiveDate::from_ymd_opt(2026, 3, 10).unwrap();
/// let a = (day.and_hms_opt(9, 0, 0).unwrap(), "Pacific Standard Time").into_date_time_time_zone();
/// let b = (day.and_hms_opt(10, 0, 0).unwrap(), "pacific standard time").into_date_time_time_zone();
/// let c = (day.and_hms_opt(10, 0, 0).unwrap(), "Europe/Paris").into_date_time_time_zone();
/// assert_eq!(a.compare(&b), Some(Ordering::Less));
/// assert_eq!(a.compare(&c), None); // different zones: unknown without a tz database
/// ```
pub trait DateTimeTimeZoneExt {
    /// True when both name the same zone (ASCII case ignored), or both are UTC.
    fn same_zone(&self, other: &DateTimeTimeZone) -> bool;

    /// The order of two times, when it is known without a time zone
    /// database: both in the same zone, or both UTC. `None` otherwise.
    fn compare(&self, other: &DateTimeTimeZone) -> Option<Ordering>;

    /// True when the local time is exactly midnight (all-day boundaries).
    fn is_midnight(&self) -> bool;
}

impl DateTimeTimeZoneExt for DateTimeTimeZone {
    fn same_zone(&self, other: &DateTimeTimeZone) -> bool {
        if self.is_utc() && other.is_utc() {
            return true;
        }
        match (self.time_zone.as_deref(), other.time_zone.as_deref()) {
            (Some(a), Some(b)) => a.trim().eq_ignore_ascii_case(b.trim()),
            _ => false,
        }
    }

    fn compare(&self, other: &DateTimeTimeZone) -> Option<Ordering> {
        self.same_zone(other).then(|| self.date_time.cmp(&other.date_time))
    }

    fn is_midnight(&self) -> bool {
        self.date_time.time() == NaiveTime::MIN
    }
}

/// An instant as Graph's query parameters want it: ISO 8601 in UTC with a
/// `Z` (`2026-03-10T18:00:00Z`; fractions only when present).
///
/// ```
/// use chrono::{FixedOffset, TimeZone};
/// let t = FixedOffset::west_opt(5 * 3600).unwrap().with_ymd_and_hms(2026, 3, 10, 13, 0, 0).unwrap();
/// assert_eq!(msgraph_calendar::time::utc_param(&t), "2026-03-10T18:00:00Z");
/// ```
pub fn utc_param<Tz: TimeZone>(instant: &DateTime<Tz>) -> String {
    instant.with_timezone(&Utc).to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// A duration in ISO 8601 form for `Edm.Duration` (`PT1H`, `PT1H30M`,
/// `PT45S`, `PT0S`). Negative durations are written with a leading `-`.
///
/// ```
/// use chrono::TimeDelta;
/// use msgraph_calendar::time::iso8601_duration;
/// assert_eq!(iso8601_duration(TimeDelta::minutes(90)), "PT1H30M");
/// assert_eq!(iso8601_duration(TimeDelta::hours(26)), "PT26H");
/// ```
pub fn iso8601_duration(d: TimeDelta) -> String {
    let negative = d < TimeDelta::zero();
    let d = d.abs();
    let total = d.num_seconds();
    let (h, m, s) = (total / 3600, total % 3600 / 60, total % 60);
    let millis = d.subsec_nanos() / 1_000_000;
    let mut out = String::from(if negative { "-PT" } else { "PT" });
    if h > 0 {
        out.push_str(&format!("{h}H"));
    }
    if m > 0 {
        out.push_str(&format!("{m}M"));
    }
    if millis > 0 {
        out.push_str(&format!("{s}.{millis:03}S"));
    } else if s > 0 || (h == 0 && m == 0) {
        out.push_str(&format!("{s}S"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(h: u32, m: u32, tz: &str) -> DateTimeTimeZone {
        (NaiveDate::from_ymd_opt(2026, 3, 10).unwrap().and_hms_opt(h, m, 0).unwrap(), tz).into_date_time_time_zone()
    }

    #[test]
    fn zoned_chrono_values_become_utc_instants() {
        let t = chrono::FixedOffset::east_opt(2 * 3600).unwrap().with_ymd_and_hms(2026, 3, 10, 12, 30, 0).unwrap();
        let v = t.into_date_time_time_zone();
        assert_eq!(serde_json::to_value(&v).unwrap()["dateTime"], "2026-03-10T10:30:00.0000000");
        assert_eq!(v.time_zone.as_deref(), Some("UTC"));
    }

    #[test]
    fn local_time_keeps_zone_name_as_given() {
        let v = at(14, 0, "Eastern Standard Time");
        assert_eq!(
            serde_json::to_value(&v).unwrap(),
            serde_json::json!({"dateTime": "2026-03-10T14:00:00.0000000", "timeZone": "Eastern Standard Time"})
        );
        let d = (NaiveDate::from_ymd_opt(2026, 3, 10).unwrap(), "Europe/Paris").into_date_time_time_zone();
        assert!(d.is_midnight());
    }

    #[test]
    fn compares_only_when_zones_match_or_both_utc() {
        assert_eq!(at(9, 0, "UTC").compare(&at(8, 0, "Etc/UTC")), Some(Ordering::Greater));
        assert_eq!(at(9, 0, "America/New_York").compare(&at(9, 0, "america/new_york")), Some(Ordering::Equal));
        assert_eq!(at(9, 0, "America/New_York").compare(&at(8, 0, "UTC")), None);
        let mut no_zone = at(7, 0, "x");
        no_zone.time_zone = None;
        assert_eq!(no_zone.compare(&at(8, 0, "UTC")), Some(Ordering::Less));
    }

    #[test]
    fn utc_params_and_durations() {
        let t = Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap();
        assert_eq!(utc_param(&t), "2026-01-02T03:04:05Z");
        let t = t + TimeDelta::milliseconds(250);
        assert_eq!(utc_param(&t), "2026-01-02T03:04:05.250Z");
        assert_eq!(iso8601_duration(TimeDelta::hours(1)), "PT1H");
        assert_eq!(iso8601_duration(TimeDelta::seconds(45)), "PT45S");
        assert_eq!(iso8601_duration(TimeDelta::zero()), "PT0S");
        assert_eq!(iso8601_duration(TimeDelta::milliseconds(1500)), "PT1.500S");
        assert_eq!(iso8601_duration(TimeDelta::minutes(-30)), "-PT30M");
    }
}
