//! Parsing Graph's UTC timestamps (`2024-03-13T08:15:00Z`) quickly.
//!
//! chrono's `FromStr` for `DateTime<FixedOffset>` (what its serde impl
//! uses) is a general RFC 3339 parser driven by format items: about 1,700
//! instructions per timestamp, which made date parsing the largest single
//! cost of decoding a page of messages. Graph always writes one shape,
//! `YYYY-MM-DDThh:mm:ss[.f{1,9}]Z` (or `+00:00`), so [`parse`] reads that
//! shape with fixed offsets and falls back to chrono for anything else
//! (other offsets, leap seconds, lower-case separators, more than nine
//! fraction digits, ...). The result is the same as chrono's in every case.
//!
//! Use these in serde attributes of `DateTime<Utc>` fields:
//!
//! ```
//! use chrono::{DateTime, Utc};
//! #[derive(serde::Deserialize)]
//! #[serde(rename_all = "camelCase")]
//! struct Item {
//!     #[serde(default, deserialize_with = "msgraph_core::models::utc::option::deserialize")]
//!     received_date_time: Option<DateTime<Utc>>,
//!     #[serde(deserialize_with = "msgraph_core::models::utc::deserialize")]
//!     created_date_time: DateTime<Utc>,
//! }
//! let item: Item = serde_json::from_str(
//!     r#"{"receivedDateTime":"2024-03-13T08:15:00Z","createdDateTime":"2024-03-13T10:15:00.5+02:00"}"#,
//! ).unwrap();
//! assert_eq!(item.received_date_time.unwrap().to_rfc3339(), "2024-03-13T08:15:00+00:00");
//! assert_eq!(item.created_date_time.to_rfc3339(), "2024-03-13T08:15:00.500+00:00");
//! ```
//!
//! Serialization is chrono's (no `serialize_with` needed).

use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use serde::Deserializer;
use serde::de::{Error, Visitor};

/// Parses an RFC 3339 timestamp into UTC, exactly as chrono's
/// `DateTime<FixedOffset>` `FromStr` followed by `with_timezone(&Utc)`
/// does, with a fast path for Graph's fixed format.
pub fn parse(s: &str) -> Result<DateTime<Utc>, chrono::ParseError> {
    match fast_utc(s.as_bytes()) {
        Some(t) => Ok(t),
        None => s.parse::<DateTime<FixedOffset>>().map(|t| t.with_timezone(&Utc)),
    }
}

/// `YYYY-MM-DDThh:mm:ss[.f{1,9}](Z|+00:00)`, or `None` (the caller falls
/// back to chrono's parser, which accepts every other form).
fn fast_utc(b: &[u8]) -> Option<DateTime<Utc>> {
    let (naive, rest) = fast_naive_prefix(b)?;
    match rest {
        b"Z" | b"+00:00" => Some(naive.and_utc()),
        _ => None,
    }
}

/// `YYYY-MM-DDThh:mm:ss[.f{1,9}]` followed by anything, as a naive date and
/// time and the rest of the input. `None` when the prefix is not exactly
/// that shape, or names a date or time that does not exist, or a leap second.
pub(crate) fn fast_naive_prefix(b: &[u8]) -> Option<(NaiveDateTime, &[u8])> {
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let year = digits(&b[0..4])?;
    let month = digits(&b[5..7])?;
    let day = digits(&b[8..10])?;
    let hour = digits(&b[11..13])?;
    let minute = digits(&b[14..16])?;
    let second = digits(&b[17..19])?;
    if second > 59 {
        return None;
    }
    let mut rest = &b[19..];
    let mut nanos = 0u32;
    if let [b'.', tail @ ..] = rest {
        let n = tail.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 || n > 9 {
            return None;
        }
        nanos = digits(&tail[..n])? * 10u32.pow(9 - n as u32);
        rest = &tail[n..];
    }
    let date = NaiveDate::from_ymd_opt(year as i32, month, day)?;
    let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?;
    Some((NaiveDateTime::new(date, time), rest))
}

/// ASCII digits as a number (at most 9 of them).
fn digits(b: &[u8]) -> Option<u32> {
    let mut v = 0u32;
    for &c in b {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        v = v * 10 + u32::from(d);
    }
    Some(v)
}

struct UtcVisitor;

impl Visitor<'_> for UtcVisitor {
    type Value = DateTime<Utc>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an RFC 3339 formatted date and time string")
    }

    fn visit_str<E: Error>(self, v: &str) -> Result<DateTime<Utc>, E> {
        parse(v).map_err(E::custom)
    }
}

/// `deserialize_with` for a `DateTime<Utc>` field: the same values and
/// errors as chrono's own `Deserialize`, faster on Graph's format.
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
    d.deserialize_str(UtcVisitor)
}

/// The same for `Option<DateTime<Utc>>` fields (`null` is `None`; add
/// `#[serde(default)]` so that a missing property is `None` too).
pub mod option {
    use super::*;

    struct OptionVisitor;

    impl<'de> Visitor<'de> for OptionVisitor {
        type Value = Option<DateTime<Utc>>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an RFC 3339 formatted date and time string or null")
        }

        fn visit_none<E: Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            super::deserialize(d).map(Some)
        }
    }

    /// `deserialize_with` for an `Option<DateTime<Utc>>` field.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
        d.deserialize_option(OptionVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chrono_utc(s: &str) -> Result<DateTime<Utc>, chrono::ParseError> {
        s.parse::<DateTime<FixedOffset>>().map(|t| t.with_timezone(&Utc))
    }

    #[test]
    fn graph_formats_take_the_fast_path() {
        for s in [
            "2024-03-13T08:15:00Z",
            "2024-03-13T08:15:00.1Z",
            "2024-03-13T08:15:00.1234567Z",
            "2024-03-13T08:15:00.123456789Z",
            "2024-02-29T23:59:59+00:00",
            "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999999999Z",
        ] {
            let fast = fast_utc(s.as_bytes()).unwrap_or_else(|| panic!("{s}: no fast path"));
            assert_eq!(Ok(fast), chrono_utc(s), "{s}");
        }
    }

    #[test]
    fn everything_else_is_chrono_s_answer() {
        for s in [
            "2024-03-13T10:15:00+02:00",
            "2024-03-13T08:15:00-00:00",
            "2024-03-13t08:15:00z",
            "2024-03-13 08:15:00Z",
            "2016-12-31T23:59:60Z",
            "2024-03-13T08:15:00.1234567891Z",
            "2023-02-29T00:00:00Z",
            "2024-13-01T00:00:00Z",
            "2024-03-13T24:00:00Z",
            "2024-03-13T08:60:00Z",
            "2024-03-13T08:15:00.Z",
            "2024-03-13T08:15:00",
            "2024-03-13T08:15:00Zjunk",
            " 2024-03-13T08:15:00Z",
            "2024-03-13",
            "",
            "+12024-03-13T08:15:00Z",
            "2024-3-13T08:15:00Z",
            "2024-03-13T08:15:00.5+05:30",
        ] {
            assert_eq!(parse(s), chrono_utc(s), "{s}");
        }
    }

    /// Seeded mutations of valid timestamps: whenever the fast path answers,
    /// chrono answers the same.
    #[test]
    fn the_fast_path_agrees_with_chrono_on_mutations() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let alphabet = b"0123456789-:TZ.+ tz9";
        let mut fast = 0;
        for i in 0..200_000u64 {
            let secs = (next() % 400_000_000_000) as i64 - 62_000_000_000;
            let nanos = (next() % 1_000_000_000) as u32;
            let t = DateTime::from_timestamp(secs, if i % 3 == 0 { 0 } else { nanos }).unwrap_or_default();
            let mut s = match i % 4 {
                0 => t.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
                1 => t.format("%Y-%m-%dT%H:%M:%S%.fZ").to_string(),
                2 => format!("{}.{:07}+00:00", t.format("%Y-%m-%dT%H:%M:%S"), t.timestamp_subsec_nanos() / 100),
                _ => t.format("%Y-%m-%dT%H:%M:%S%.3f").to_string(),
            }
            .into_bytes();
            for _ in 0..(next() % 3) {
                if s.is_empty() {
                    break;
                }
                let at = (next() % s.len() as u64) as usize;
                let c = alphabet[(next() % alphabet.len() as u64) as usize];
                match next() % 3 {
                    0 => s[at] = c,
                    1 => s.insert(at, c),
                    _ => {
                        s.remove(at);
                    }
                }
            }
            let s = String::from_utf8(s).expect("ASCII");
            if let Some(f) = fast_utc(s.as_bytes()) {
                fast += 1;
                assert_eq!(Ok(f), chrono_utc(&s), "{s}");
            }
            assert_eq!(parse(&s), chrono_utc(&s), "{s}");
        }
        assert!(fast > 30_000, "the fast path answered only {fast} times");
    }

    #[test]
    fn serde_helpers_match_chrono_s_deserialize() {
        #[derive(serde::Deserialize, Debug)]
        struct T {
            #[serde(default, deserialize_with = "option::deserialize")]
            a: Option<DateTime<Utc>>,
            #[serde(deserialize_with = "deserialize")]
            b: DateTime<Utc>,
        }
        let t: T = serde_json::from_str(r#"{"a":null,"b":"2024-03-13T08:15:00Z"}"#).unwrap();
        assert_eq!(t.a, None);
        assert_eq!(t.b, chrono_utc("2024-03-13T08:15:00Z").unwrap());
        let t: T = serde_json::from_str(r#"{"b":"2024-03-13T08:15:00\u002B01:00"}"#).unwrap();
        assert_eq!(t.b, chrono_utc("2024-03-13T07:15:00Z").unwrap());
        let v = serde_json::json!({"a": "2024-03-13T08:15:00.25Z", "b": "2024-03-13T08:15:00Z"});
        let t: T = serde_json::from_value(v).unwrap();
        assert_eq!(t.a, Some(chrono_utc("2024-03-13T08:15:00.25Z").unwrap()));

        // The same errors as chrono's Deserialize.
        let ours = serde_json::from_str::<T>(r#"{"b":"yesterday"}"#).unwrap_err().to_string();
        let theirs = serde_json::from_str::<DateTime<Utc>>(r#""yesterday""#).unwrap_err().to_string();
        assert_eq!(ours.split(" at ").next(), theirs.split(" at ").next());
        assert!(serde_json::from_str::<T>(r#"{"b":5}"#).is_err());
        assert!(serde_json::from_str::<T>(r#"{"a":5,"b":"2024-03-13T08:15:00Z"}"#).is_err());
    }
}
