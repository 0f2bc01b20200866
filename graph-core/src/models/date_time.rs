use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[cfg(not(feature = "tz"))]
use crate::Error;
use crate::Result;

/// A local date and time with the name of its time zone
/// ([dateTimeTimeZone](https://learn.microsoft.com/graph/api/resources/datetimetimezone)).
///
/// Graph writes the time without an offset (`2017-04-15T12:00:00.0000000`,
/// seven fraction digits) and the zone by name (`UTC`, `Pacific Standard Time`,
/// `America/New_York`). The name is carried as given; [`to_utc`](Self::to_utc)
/// gives the instant (any named zone with the `tz` feature, on by default;
/// UTC only without it).
///
/// ```
/// use msgraph_core::models::DateTimeTimeZone;
/// let start = DateTimeTimeZone::from_naive(
///     chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap().and_hms_opt(14, 0, 0).unwrap(),
///     "America/New_York",
/// );
/// assert_eq!(serde_json::to_string(&start).unwrap(),
///     r#"{"dateTime":"2026-11-23T14:00:00.0000000","timeZone":"America/New_York"}"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DateTimeTimeZone {
    /// Local date and time in `time_zone`.
    #[serde(serialize_with = "ser_naive", deserialize_with = "de_naive")]
    pub date_time: NaiveDateTime,
    /// Time zone name as Graph or the caller gave it; absent means UTC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
}

impl DateTimeTimeZone {
    /// A local time in the named zone (IANA or Windows name).
    pub fn from_naive(date_time: NaiveDateTime, time_zone: impl Into<String>) -> Self {
        DateTimeTimeZone { date_time, time_zone: Some(time_zone.into()) }
    }

    /// A UTC instant, written with time zone `UTC`.
    pub fn from_utc(instant: DateTime<Utc>) -> Self {
        DateTimeTimeZone { date_time: instant.naive_utc(), time_zone: Some("UTC".into()) }
    }

    /// Any chrono zoned time, written as its UTC instant with time zone `UTC`.
    pub fn from_datetime<Tz: TimeZone>(instant: &DateTime<Tz>) -> Self {
        Self::from_utc(instant.with_timezone(&Utc))
    }

    /// Midnight of `date` in the named zone (for all-day events).
    pub fn from_date(date: NaiveDate, time_zone: impl Into<String>) -> Self {
        Self::from_naive(date.and_time(NaiveTime::MIN), time_zone)
    }

    /// True when the zone is UTC (or absent, which Graph treats as UTC).
    pub fn is_utc(&self) -> bool {
        match self.time_zone.as_deref() {
            None => true,
            Some(tz) => {
                let tz = tz.trim();
                tz.eq_ignore_ascii_case("UTC")
                    || tz.eq_ignore_ascii_case("Etc/UTC")
                    || tz.eq_ignore_ascii_case("Coordinated Universal Time")
                    || tz.eq_ignore_ascii_case("GMT")
                    || tz.eq_ignore_ascii_case("Etc/GMT")
            }
        }
    }

    /// The instant. With the `tz` feature (default) any IANA or Windows zone
    /// name is resolved ([`crate::tz::to_utc`]: an ambiguous local time takes
    /// the earlier instant, a skipped one moves forward by the gap); without
    /// it only UTC converts. An unknown zone is an [`Error::InvalidInput`](crate::Error::InvalidInput)
    /// naming it.
    pub fn to_utc(&self) -> Result<DateTime<Utc>> {
        if self.is_utc() {
            return Ok(Utc.from_utc_datetime(&self.date_time));
        }
        let zone = self.time_zone.as_deref().unwrap_or_default();
        #[cfg(feature = "tz")]
        {
            crate::tz::to_utc(self.date_time, zone)
        }
        #[cfg(not(feature = "tz"))]
        {
            Err(Error::invalid_input(format!(
                "time zone {zone:?} is not UTC; enable msgraph-core's `tz` feature or request UTC"
            )))
        }
    }
}

impl DateTimeTimeZone {
    /// The wall-clock time in `zone` (IANA or Windows name) at this instant:
    /// what a user in `zone` reads on their clock. Graph often answers in UTC
    /// (To Do due dates, events without `Prefer: outlook.timezone`); this
    /// turns such an answer back into the user's local time.
    ///
    /// ```
    /// # #[cfg(feature = "tz")] {
    /// use chrono::NaiveDate;
    /// use msgraph_core::models::DateTimeTimeZone;
    /// // To Do answers a due date set for 25 Aug in New York as 04:00 UTC.
    /// let due = DateTimeTimeZone::from_naive(
    ///     NaiveDate::from_ymd_opt(2020, 8, 25).unwrap().and_hms_opt(4, 0, 0).unwrap(), "UTC");
    /// assert_eq!(due.in_zone("America/New_York").unwrap().date(), NaiveDate::from_ymd_opt(2020, 8, 25).unwrap());
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) when either zone is
    /// unknown (without the `tz` feature: when either is not UTC).
    pub fn in_zone(&self, zone: &str) -> Result<NaiveDateTime> {
        let instant = self.to_utc()?;
        let target = DateTimeTimeZone { date_time: instant.naive_utc(), time_zone: Some(zone.to_owned()) };
        if target.is_utc() {
            return Ok(instant.naive_utc());
        }
        #[cfg(feature = "tz")]
        {
            crate::tz::from_utc(instant, zone)
        }
        #[cfg(not(feature = "tz"))]
        {
            Err(Error::invalid_input(format!("time zone {zone:?} is not UTC; enable msgraph-core's `tz` feature")))
        }
    }
}

/// A point in time an operation takes (the ends of a calendar window): any
/// chrono `DateTime`, a [`DateTimeTimeZone`], or, with the `tz` feature (on by
/// default), a wall-clock time with the name of its zone, as an assistant
/// gets it from a user: `(NaiveDateTime, "America/New_York")` or
/// `(NaiveDateTime, "Pacific Standard Time")`.
///
/// An unknown zone name is an [`Error::InvalidInput`](crate::Error::InvalidInput) naming it, reported
/// before anything is sent.
///
/// ```
/// # #[cfg(feature = "tz")] {
/// use chrono::NaiveDate;
/// use msgraph_core::IntoUtc;
/// let nine = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap().and_hms_opt(9, 0, 0).unwrap();
/// assert_eq!((nine, "America/New_York").into_utc().unwrap().to_rfc3339(), "2024-01-01T14:00:00+00:00");
/// assert!((nine, "Mars/Olympus_Mons").into_utc().unwrap_err().to_string().contains("Mars/Olympus_Mons"));
/// # }
/// ```
pub trait IntoUtc {
    /// The instant.
    fn into_utc(self) -> Result<DateTime<Utc>>;
}

impl<Tz: TimeZone> IntoUtc for DateTime<Tz> {
    fn into_utc(self) -> Result<DateTime<Utc>> {
        Ok(self.with_timezone(&Utc))
    }
}

impl<Tz: TimeZone> IntoUtc for &DateTime<Tz> {
    fn into_utc(self) -> Result<DateTime<Utc>> {
        Ok(self.with_timezone(&Utc))
    }
}

impl IntoUtc for DateTimeTimeZone {
    fn into_utc(self) -> Result<DateTime<Utc>> {
        self.to_utc()
    }
}

impl IntoUtc for &DateTimeTimeZone {
    fn into_utc(self) -> Result<DateTime<Utc>> {
        self.to_utc()
    }
}

#[cfg(feature = "tz")]
impl<Z: AsRef<str>> IntoUtc for (NaiveDateTime, Z) {
    fn into_utc(self) -> Result<DateTime<Utc>> {
        crate::tz::to_utc(self.0, self.1.as_ref())
    }
}

/// Writes Graph's format: seconds with seven fraction digits, no offset.
fn ser_naive<S: Serializer>(v: &NaiveDateTime, s: S) -> std::result::Result<S::Ok, S::Error> {
    use chrono::Timelike as _;
    let ticks = v.nanosecond() % 1_000_000_000 / 100;
    s.collect_str(&format_args!("{}.{ticks:07}", v.format("%Y-%m-%dT%H:%M:%S")))
}

fn de_naive<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<NaiveDateTime, D::Error> {
    let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
    parse_local(&s).ok_or_else(|| {
        serde::de::Error::custom(format!("invalid dateTime {s:?}: expected YYYY-MM-DDThh:mm:ss[.fffffff]"))
    })
}

/// Parses Graph's local times: with or without fraction, and tolerates a
/// trailing `Z` or offset (converted to UTC).
pub(crate) fn parse_local(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    // Graph's own shape (`2017-04-15T12:00:00.0000000`) without chrono's
    // format-driven parser, which costs ~3,000 instructions a call.
    if let Some((v, [])) = super::utc::fast_naive_prefix(s.as_bytes()) {
        return Some(v);
    }
    if let Ok(v) = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f") {
        return Some(v);
    }
    if let Ok(v) = DateTime::parse_from_rfc3339(s) {
        return Some(v.naive_utc());
    }
    if let Ok(v) = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M") {
        return Some(v);
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().map(|d| d.and_time(NaiveTime::MIN))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_local_path_agrees_with_chrono() {
        for s in [
            "2017-04-15T12:00:00.0000000",
            "2017-04-15T12:00:00.1234567",
            "2017-04-15T12:00:00.123456789",
            "2017-04-15T12:00:00",
            "2024-02-29T23:59:59.5",
            "2023-02-29T00:00:00",
            "2017-04-15T12:00:60",
            "2017-04-15T12:00:00.",
            "2017-04-15T12:00:00.1234567891",
            "2017-04-15T24:00:00",
            "2017-04-15T12:00:00Z",
        ] {
            let fast = super::super::utc::fast_naive_prefix(s.as_bytes()).filter(|(_, rest)| rest.is_empty());
            if let Some((v, _)) = fast {
                assert_eq!(NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f").ok(), Some(v), "{s}");
            }
        }
        let local = parse_local("2017-04-15T12:00:00.1234567").unwrap();
        assert_eq!(local.and_utc().timestamp_subsec_nanos(), 123_456_700);
        assert_eq!(parse_local("2017-04-15T12:00:00Z"), parse_local("2017-04-15T12:00:00"));
        assert_eq!(
            parse_local("2016-12-31T23:59:60").map(|v| v.and_utc().timestamp_subsec_nanos()),
            Some(1_000_000_000)
        );
    }

    #[test]
    fn parses_seven_digit_fraction_and_round_trips() {
        let json = r#"{"dateTime":"2017-04-15T12:00:00.1234567","timeZone":"Pacific Standard Time"}"#;
        let v: DateTimeTimeZone = serde_json::from_str(json).unwrap();
        assert_eq!(v.date_time.and_utc().timestamp_subsec_nanos(), 123_456_700);
        assert_eq!(serde_json::to_string(&v).unwrap(), json);
        // PDT in April: UTC-7
        #[cfg(feature = "tz")]
        assert_eq!(v.to_utc().unwrap().to_rfc3339(), "2017-04-15T19:00:00.123456700+00:00");
        #[cfg(not(feature = "tz"))]
        assert!(v.to_utc().is_err());
        let unknown = DateTimeTimeZone::from_naive(v.date_time, "Nowhere Standard Time");
        assert!(unknown.to_utc().unwrap_err().to_string().contains("Nowhere Standard Time"));
    }

    #[test]
    fn parses_without_fraction_and_with_z() {
        let v: DateTimeTimeZone =
            serde_json::from_str(r#"{"dateTime":"2017-04-15T12:00:00","timeZone":"UTC"}"#).unwrap();
        assert_eq!(v.to_utc().unwrap().to_rfc3339(), "2017-04-15T12:00:00+00:00");
        let v: DateTimeTimeZone = serde_json::from_str(r#"{"dateTime":"2017-04-15T12:00:00Z"}"#).unwrap();
        assert!(v.is_utc());
    }

    #[test]
    fn rejects_garbage_with_message() {
        let e =
            serde_json::from_str::<DateTimeTimeZone>(r#"{"dateTime":"datetime-value","timeZone":"UTC"}"#).unwrap_err();
        assert!(e.to_string().contains("datetime-value"));
    }

    #[test]
    fn from_zoned_chrono_value() {
        let t = chrono::FixedOffset::east_opt(3600).unwrap().with_ymd_and_hms(2026, 1, 2, 10, 0, 0).unwrap();
        let v = DateTimeTimeZone::from_datetime(&t);
        assert_eq!(v.date_time.to_string(), "2026-01-02 09:00:00");
        assert_eq!(v.time_zone.as_deref(), Some("UTC"));
    }
}
