use std::fmt;

use chrono::{NaiveTime, Timelike as _};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A time of day (`Edm.TimeOfDay`), as Graph writes it: `08:00:00.0000000`.
///
/// Reads with or without fraction; writes seven fraction digits, like Graph.
///
/// ```
/// use msgraph_mail::TimeOfDay;
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
}

impl From<NaiveTime> for TimeOfDay {
    fn from(t: NaiveTime) -> Self {
        TimeOfDay(t)
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
        NaiveTime::parse_from_str(s.trim(), "%H:%M:%S%.f")
            .or_else(|_| NaiveTime::parse_from_str(s.trim(), "%H:%M"))
            .map(TimeOfDay)
            .map_err(|_| serde::de::Error::custom(format!("invalid time of day {s:?}: expected hh:mm:ss[.fffffff]")))
    }
}
