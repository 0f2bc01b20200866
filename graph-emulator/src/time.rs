//! Time zones and Graph's date-time formats.
//!
//! Graph accepts Windows time zone names ("Pacific Standard Time") and IANA
//! names ("America/Los_Angeles") in `dateTimeTimeZone` values and in the
//! `Prefer: outlook.timezone` header. The emulator carries a table of common
//! zones with their fixed rules instead of a tz database (no extra crate, no
//! build-time table): a standard offset plus one of the DST rules in force
//! since 2007 (US/Canada), 1996 (EU) and 2008 (Australia, New Zealand). Dates
//! before those rules took effect get today's rules, which is what the demo
//! tenant needs.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc, Weekday};

/// The daylight-saving rule of a zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DstRule {
    /// No daylight saving time.
    None,
    /// US and Canada: second Sunday of March 02:00 local to first Sunday of November 02:00 local.
    Us,
    /// European Union: last Sunday of March 01:00 UTC to last Sunday of October 01:00 UTC.
    Eu,
    /// South-east Australia: first Sunday of October 02:00 to first Sunday of April 03:00 local.
    Australia,
    /// New Zealand: last Sunday of September 02:00 to first Sunday of April 03:00 local.
    NewZealand,
}

/// One zone of the table.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Zone {
    /// The Windows name, which Graph uses when it names a zone itself.
    pub windows: &'static str,
    /// The IANA names mapped to it.
    pub iana: &'static [&'static str],
    /// Standard offset from UTC, minutes.
    pub std_offset: i32,
    /// Daylight rule (DST adds one hour).
    pub dst: DstRule,
}

const ZONES: &[Zone] = &[
    Zone {
        windows: "UTC",
        iana: &["Etc/UTC", "Etc/GMT", "UTC", "GMT", "Etc/Universal", "tzone://Microsoft/Utc"],
        std_offset: 0,
        dst: DstRule::None,
    },
    Zone {
        windows: "Greenwich Standard Time",
        iana: &["Atlantic/Reykjavik", "Africa/Abidjan"],
        std_offset: 0,
        dst: DstRule::None,
    },
    Zone {
        windows: "GMT Standard Time",
        iana: &["Europe/London", "Europe/Dublin", "Europe/Lisbon"],
        std_offset: 0,
        dst: DstRule::Eu,
    },
    Zone {
        windows: "W. Europe Standard Time",
        iana: &[
            "Europe/Berlin",
            "Europe/Amsterdam",
            "Europe/Rome",
            "Europe/Vienna",
            "Europe/Zurich",
            "Europe/Stockholm",
            "Europe/Oslo",
        ],
        std_offset: 60,
        dst: DstRule::Eu,
    },
    Zone {
        windows: "Romance Standard Time",
        iana: &["Europe/Paris", "Europe/Brussels", "Europe/Madrid", "Europe/Copenhagen"],
        std_offset: 60,
        dst: DstRule::Eu,
    },
    Zone {
        windows: "Central Europe Standard Time",
        iana: &["Europe/Budapest", "Europe/Prague", "Europe/Belgrade"],
        std_offset: 60,
        dst: DstRule::Eu,
    },
    Zone {
        windows: "Central European Standard Time",
        iana: &["Europe/Warsaw", "Europe/Zagreb"],
        std_offset: 60,
        dst: DstRule::Eu,
    },
    Zone {
        windows: "GTB Standard Time",
        iana: &["Europe/Athens", "Europe/Bucharest"],
        std_offset: 120,
        dst: DstRule::Eu,
    },
    Zone {
        windows: "FLE Standard Time",
        iana: &["Europe/Helsinki", "Europe/Kiev", "Europe/Kyiv", "Europe/Riga", "Europe/Vilnius", "Europe/Tallinn"],
        std_offset: 120,
        dst: DstRule::Eu,
    },
    Zone { windows: "Russian Standard Time", iana: &["Europe/Moscow"], std_offset: 180, dst: DstRule::None },
    Zone { windows: "South Africa Standard Time", iana: &["Africa/Johannesburg"], std_offset: 120, dst: DstRule::None },
    Zone { windows: "Arabian Standard Time", iana: &["Asia/Dubai"], std_offset: 240, dst: DstRule::None },
    Zone {
        windows: "India Standard Time",
        iana: &["Asia/Kolkata", "Asia/Calcutta"],
        std_offset: 330,
        dst: DstRule::None,
    },
    Zone {
        windows: "China Standard Time",
        iana: &["Asia/Shanghai", "Asia/Hong_Kong"],
        std_offset: 480,
        dst: DstRule::None,
    },
    Zone { windows: "Singapore Standard Time", iana: &["Asia/Singapore"], std_offset: 480, dst: DstRule::None },
    Zone { windows: "Tokyo Standard Time", iana: &["Asia/Tokyo"], std_offset: 540, dst: DstRule::None },
    Zone { windows: "Korea Standard Time", iana: &["Asia/Seoul"], std_offset: 540, dst: DstRule::None },
    Zone { windows: "E. Australia Standard Time", iana: &["Australia/Brisbane"], std_offset: 600, dst: DstRule::None },
    Zone {
        windows: "AUS Eastern Standard Time",
        iana: &["Australia/Sydney", "Australia/Melbourne", "Australia/Canberra"],
        std_offset: 600,
        dst: DstRule::Australia,
    },
    Zone {
        windows: "New Zealand Standard Time",
        iana: &["Pacific/Auckland"],
        std_offset: 720,
        dst: DstRule::NewZealand,
    },
    Zone { windows: "Hawaiian Standard Time", iana: &["Pacific/Honolulu"], std_offset: -600, dst: DstRule::None },
    Zone { windows: "Alaskan Standard Time", iana: &["America/Anchorage"], std_offset: -540, dst: DstRule::Us },
    Zone {
        windows: "Pacific Standard Time",
        iana: &["America/Los_Angeles", "America/Vancouver", "US/Pacific"],
        std_offset: -480,
        dst: DstRule::Us,
    },
    Zone { windows: "US Mountain Standard Time", iana: &["America/Phoenix"], std_offset: -420, dst: DstRule::None },
    Zone {
        windows: "Mountain Standard Time",
        iana: &["America/Denver", "America/Edmonton", "US/Mountain"],
        std_offset: -420,
        dst: DstRule::Us,
    },
    Zone {
        windows: "Central Standard Time",
        iana: &["America/Chicago", "America/Winnipeg", "US/Central"],
        std_offset: -360,
        dst: DstRule::Us,
    },
    Zone {
        windows: "Eastern Standard Time",
        iana: &["America/New_York", "America/Toronto", "America/Detroit", "US/Eastern"],
        std_offset: -300,
        dst: DstRule::Us,
    },
    Zone { windows: "Atlantic Standard Time", iana: &["America/Halifax"], std_offset: -240, dst: DstRule::Us },
    Zone {
        windows: "E. South America Standard Time",
        iana: &["America/Sao_Paulo"],
        std_offset: -180,
        dst: DstRule::None,
    },
];

/// Looks a zone up by Windows or IANA name (case-insensitive).
pub(crate) fn find_zone(name: &str) -> Option<&'static Zone> {
    let name = name.trim();
    ZONES.iter().find(|z| z.windows.eq_ignore_ascii_case(name) || z.iana.iter().any(|i| i.eq_ignore_ascii_case(name)))
}

/// The UTC zone.
pub(crate) fn utc_zone() -> &'static Zone {
    &ZONES[0]
}

fn nth_weekday(year: i32, month: u32, weekday: Weekday, n: u32) -> NaiveDate {
    NaiveDate::from_weekday_of_month_opt(year, month, weekday, n as u8)
        .unwrap_or_else(|| NaiveDate::from_ymd_opt(year, month, 1).unwrap_or_default())
}

fn last_weekday(year: i32, month: u32, weekday: Weekday) -> NaiveDate {
    let (ny, nm) = if month == 12 { (year.saturating_add(1), 1) } else { (year, month + 1) };
    let first = NaiveDate::from_ymd_opt(ny, nm, 1).unwrap_or_default();
    let mut d = first.pred_opt().unwrap_or(first);
    while d.weekday() != weekday {
        match d.pred_opt() {
            Some(p) => d = p,
            None => break,
        }
    }
    d
}

fn at(date: NaiveDate, hour: u32) -> NaiveDateTime {
    date.and_hms_opt(hour, 0, 0).unwrap_or_default()
}

/// `at(..) - offset`, saturating at the ends of chrono's range.
fn minus(t: NaiveDateTime, d: Duration) -> NaiveDateTime {
    t.checked_sub_signed(d).unwrap_or(t)
}

impl Zone {
    /// True when DST is in force at this UTC instant.
    fn is_dst(&self, utc: NaiveDateTime) -> bool {
        let std = Duration::minutes(self.std_offset as i64);
        let year = utc.year();
        match self.dst {
            DstRule::None => false,
            DstRule::Us => {
                // 02:00 local standard time -> UTC; ends 02:00 local daylight = 01:00 standard.
                let start = minus(at(nth_weekday(year, 3, Weekday::Sun, 2), 2), std);
                let end = minus(at(nth_weekday(year, 11, Weekday::Sun, 1), 1), std);
                utc >= start && utc < end
            }
            DstRule::Eu => {
                let start = at(last_weekday(year, 3, Weekday::Sun), 1);
                let end = at(last_weekday(year, 10, Weekday::Sun), 1);
                utc >= start && utc < end
            }
            DstRule::Australia => {
                // Southern hemisphere: DST from October to April.
                let end = minus(at(nth_weekday(year, 4, Weekday::Sun, 1), 2), std);
                let start = minus(at(nth_weekday(year, 10, Weekday::Sun, 1), 2), std);
                utc < end || utc >= start
            }
            DstRule::NewZealand => {
                let end = minus(at(nth_weekday(year, 4, Weekday::Sun, 1), 2), std);
                let start = minus(at(last_weekday(year, 9, Weekday::Sun), 2), std);
                utc < end || utc >= start
            }
        }
    }

    /// Offset from UTC at a UTC instant, minutes.
    pub fn offset_at(&self, utc: DateTime<Utc>) -> i32 {
        self.std_offset + if self.is_dst(utc.naive_utc()) { 60 } else { 0 }
    }

    /// Wall-clock time in this zone at a UTC instant (saturating at the ends
    /// of chrono's range rather than panicking).
    pub fn local_at(&self, utc: DateTime<Utc>) -> NaiveDateTime {
        let naive = utc.naive_utc();
        naive.checked_add_signed(Duration::minutes(self.offset_at(utc) as i64)).unwrap_or(naive)
    }

    /// The UTC instant of a wall-clock time in this zone. In the hour skipped
    /// in spring the time is read as standard time (so it lands an hour
    /// later); in the hour repeated in autumn the first (daylight) one wins.
    pub fn utc_of(&self, local: NaiveDateTime) -> DateTime<Utc> {
        let as_std = local.checked_sub_signed(Duration::minutes(self.std_offset as i64)).unwrap_or(local);
        let as_dst = as_std.checked_sub_signed(Duration::hours(1)).unwrap_or(as_std);
        let dst_ok = self.dst != DstRule::None && self.is_dst(as_dst);
        let naive = if dst_ok { as_dst } else { as_std };
        Utc.from_utc_datetime(&naive)
    }
}

/// Graph's `dateTimeTimeZone.dateTime` format: seven fractional digits, no offset.
pub(crate) fn format_local(dt: NaiveDateTime) -> String {
    format!("{}.{:07}", dt.format("%Y-%m-%dT%H:%M:%S"), dt.and_utc().timestamp_subsec_nanos() / 100)
}

/// Graph's `DateTimeOffset` format: `2024-01-05T09:30:00Z`.
pub(crate) fn format_utc(dt: DateTime<Utc>) -> String {
    dt.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Graph's date range: years 1601 (FILETIME's epoch) to 9999. Dates outside
/// it are refused when parsed, so later arithmetic on stored dates stays far
/// from chrono's limits.
pub(crate) const MIN_YEAR: i32 = 1601;
/// See [`MIN_YEAR`].
pub(crate) const MAX_YEAR: i32 = 9999;

/// Parses a `dateTimeTimeZone.dateTime` (no offset; an offset or `Z`, if
/// present, is applied and the result is returned as UTC wall time with `true`).
/// `None` for a date outside years 1601-9999.
pub(crate) fn parse_local(s: &str) -> Option<(NaiveDateTime, bool)> {
    parse_local_any(s).filter(|(dt, _)| (MIN_YEAR..=MAX_YEAR).contains(&dt.year()))
}

/// A `YYYY-MM-DD` date (recurrence ranges) in years 1601-9999.
pub(crate) fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().filter(|d| (MIN_YEAR..=MAX_YEAR).contains(&d.year()))
}

fn parse_local_any(s: &str) -> Option<(NaiveDateTime, bool)> {
    let s = s.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some((dt.with_timezone(&Utc).naive_utc(), true));
    }
    for fmt in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some((dt, false));
        }
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().map(|d| (at(d, 0), false))
}

/// Parses a `DateTimeOffset` as Graph accepts it in queries
/// (`2024-01-05T09:30:00Z`, with an offset, or without one meaning UTC, or a bare date).
pub(crate) fn parse_instant(s: &str) -> Option<DateTime<Utc>> {
    parse_local(s).map(|(dt, _)| Utc.from_utc_datetime(&dt))
}

/// FILETIME (100 ns ticks since 1601-01-01 UTC) of an instant.
pub(crate) fn filetime(dt: DateTime<Utc>) -> u64 {
    const EPOCH_DIFF_SECS: i64 = 11_644_473_600;
    let secs = dt.timestamp() + EPOCH_DIFF_SECS;
    (secs.max(0) as u64) * 10_000_000 + (dt.timestamp_subsec_nanos() / 100) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        parse_instant(s).unwrap()
    }

    #[test]
    fn us_rules_switch_on_the_right_sundays() {
        let ny = find_zone("America/New_York").unwrap();
        // 2024: DST from 10 March 07:00Z to 3 November 06:00Z.
        assert_eq!(ny.offset_at(utc("2024-03-10T06:59:00Z")), -300);
        assert_eq!(ny.offset_at(utc("2024-03-10T07:00:00Z")), -240);
        assert_eq!(ny.offset_at(utc("2024-11-03T05:59:00Z")), -240);
        assert_eq!(ny.offset_at(utc("2024-11-03T06:00:00Z")), -300);
        let pst = find_zone("pacific standard time").unwrap();
        assert_eq!(pst.utc_of(parse_local("2024-07-01T09:00:00").unwrap().0), utc("2024-07-01T16:00:00Z"));
        assert_eq!(pst.utc_of(parse_local("2024-01-15T09:00:00").unwrap().0), utc("2024-01-15T17:00:00Z"));
    }

    #[test]
    fn eu_rules_switch_at_one_utc() {
        let london = find_zone("Europe/London").unwrap();
        assert_eq!(london.offset_at(utc("2024-03-31T00:59:00Z")), 0);
        assert_eq!(london.offset_at(utc("2024-03-31T01:00:00Z")), 60);
        assert_eq!(london.offset_at(utc("2024-10-27T00:59:00Z")), 60);
        assert_eq!(london.offset_at(utc("2024-10-27T01:00:00Z")), 0);
        let berlin = find_zone("W. Europe Standard Time").unwrap();
        assert_eq!(format_local(berlin.local_at(utc("2024-06-01T10:00:00Z"))), "2024-06-01T12:00:00.0000000");
    }

    #[test]
    fn southern_hemisphere_and_gaps() {
        let syd = find_zone("Australia/Sydney").unwrap();
        assert_eq!(syd.offset_at(utc("2024-01-10T00:00:00Z")), 660);
        assert_eq!(syd.offset_at(utc("2024-07-10T00:00:00Z")), 600);
        // 02:30 on the spring-forward day does not exist in New York: read as standard time.
        let ny = find_zone("Eastern Standard Time").unwrap();
        assert_eq!(ny.utc_of(parse_local("2024-03-10T02:30:00").unwrap().0), utc("2024-03-10T07:30:00Z"));
        // 01:30 on the fall-back day happens twice: the first (daylight) one wins.
        assert_eq!(ny.utc_of(parse_local("2024-11-03T01:30:00").unwrap().0), utc("2024-11-03T05:30:00Z"));
    }

    #[test]
    fn extreme_dates_are_refused_and_conversions_saturate() {
        assert_eq!(parse_local("-262144-01-01T00:00:00"), None);
        assert_eq!(parse_local("1600-12-31T23:59:59"), None);
        assert_eq!(parse_local("10000-01-01T00:00:00"), None);
        assert_eq!(parse_local("9999-12-31T23:00:00-14:00"), None);
        assert!(parse_local("1601-01-01T00:00:00").is_some());
        assert!(parse_instant("9999-12-31").is_some());
        for name in ["Pacific Standard Time", "W. Europe Standard Time", "AUS Eastern Standard Time", "UTC"] {
            let zone = find_zone(name).unwrap();
            for t in [NaiveDateTime::MIN, NaiveDateTime::MAX] {
                let utc = zone.utc_of(t);
                zone.local_at(utc);
                zone.offset_at(utc);
            }
        }
    }

    #[test]
    fn filetime_of_unix_epoch() {
        assert_eq!(filetime(utc("1970-01-01T00:00:00Z")), 116_444_736_000_000_000);
    }
}
