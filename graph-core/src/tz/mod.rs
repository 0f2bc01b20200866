//! Time zones as Graph names them: Windows IDs (`Pacific Standard Time`), IANA
//! names (`America/Los_Angeles`) and a few Graph-specific spellings, resolved to
//! [`chrono_tz::Tz`] so wall-clock times can be turned into instants.
//!
//! Windows IDs map to IANA zones through the CLDR table in `windows_zones.rs`
//! (CLDR 48). The tz database itself is the one bundled with `chrono-tz`.
//!
//! ```
//! use msgraph_core::tz;
//! let start = chrono::NaiveDate::from_ymd_opt(2024, 3, 10).unwrap().and_hms_opt(2, 30, 0).unwrap();
//! // 02:30 does not exist that day in New York; it moves forward to 03:30 EDT.
//! assert_eq!(tz::to_utc(start, "Eastern Standard Time")?.to_rfc3339(), "2024-03-10T07:30:00+00:00");
//! # Ok::<(), msgraph_core::Error>(())
//! ```

mod windows_zones;

use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeDelta, TimeZone, Utc};
use chrono_tz::{GapInfo, TZ_VARIANTS, Tz};

use crate::{Error, Result};
use windows_zones::{IANA_TO_WINDOWS, WINDOWS_TO_IANA};

/// Names Graph uses for UTC that are neither IANA nor Windows IDs.
const UTC_ALIASES: [&str; 2] = ["tzone://Microsoft/Utc", "Coordinated Universal Time"];

/// Names Graph uses for a zone defined inline by the event's organizer; there is
/// no database entry to resolve them to.
const CUSTOM_ZONES: [&str; 2] = ["Customized Time Zone", "tzone://Microsoft/Custom"];

/// The canonical IANA zone of a Windows time zone ID, per CLDR (the
/// `territory="001"` row), e.g. `Pacific Standard Time` → `America/Los_Angeles`.
///
/// The Windows ID is matched ignoring ASCII case and surrounding spaces.
/// CLDR keeps older IANA spellings as canonical (`India Standard Time` →
/// `Asia/Calcutta`, not `Asia/Kolkata`); both parse in `chrono-tz`.
#[must_use]
pub fn windows_to_iana(windows_name: &str) -> Option<&'static str> {
    let name = windows_name.trim();
    WINDOWS_TO_IANA.iter().find(|(w, _)| w.eq_ignore_ascii_case(name)).map(|&(_, iana)| iana)
}

/// The Windows time zone ID for an IANA name, per CLDR, e.g.
/// `America/Detroit` → `Eastern Standard Time`.
///
/// Every IANA name CLDR lists for a Windows zone is known, not only the
/// canonical one, as are their tzdb aliases (`Asia/Kolkata` and `Asia/Calcutta`
/// both give `India Standard Time`). An exact match is tried first, then one
/// ignoring ASCII case.
#[must_use]
pub fn iana_to_windows(iana: &str) -> Option<&'static str> {
    let name = iana.trim();
    match IANA_TO_WINDOWS.binary_search_by(|(n, _)| (*n).cmp(name)) {
        Ok(i) => IANA_TO_WINDOWS.get(i).map(|&(_, w)| w),
        Err(_) => IANA_TO_WINDOWS.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|&(_, w)| w),
    }
}

/// Resolves a time zone name as Graph or a caller writes it.
///
/// Tried in order, after trimming surrounding spaces:
/// 1. an IANA name exactly as `chrono-tz` knows it (`Europe/Berlin`, `UTC`, `Etc/UTC`);
/// 2. a Windows ID, ignoring ASCII case (`W. Europe Standard Time`), via CLDR;
/// 3. Graph's UTC spellings `tzone://Microsoft/Utc` and `Coordinated Universal Time`;
/// 4. an IANA name ignoring ASCII case (`europe/berlin`).
///
/// # Errors
///
/// [`Error::InvalidInput`] naming the zone when it is none of these. That
/// includes `Customized Time Zone` and `tzone://Microsoft/Custom`, which Graph
/// uses for zones defined inline by an organizer: ask Graph for the event in a
/// known zone instead (`Prefer: outlook.timezone="UTC"`).
pub fn resolve(name: &str) -> Result<Tz> {
    let name = name.trim();
    if let Ok(tz) = name.parse::<Tz>() {
        return Ok(tz);
    }
    if let Some(iana) = windows_to_iana(name) {
        return iana.parse::<Tz>().map_err(|_| {
            Error::invalid_input(format!("time zone {name:?} maps to {iana:?}, which the tz database lacks"))
        });
    }
    if UTC_ALIASES.iter().any(|a| a.eq_ignore_ascii_case(name)) {
        return Ok(Tz::UTC);
    }
    if let Some(tz) = TZ_VARIANTS.iter().find(|tz| tz.name().eq_ignore_ascii_case(name)) {
        return Ok(*tz);
    }
    if CUSTOM_ZONES.iter().any(|c| c.eq_ignore_ascii_case(name)) {
        return Err(Error::invalid_input(format!(
            "unknown time zone {name:?}: a custom zone Graph defines inline; request times in a named zone such as UTC"
        )));
    }
    Err(Error::invalid_input(format!("unknown time zone {name:?}: not an IANA name or a Windows time zone ID")))
}

/// The instant at which the wall-clock time `local` occurs in `zone` (any name
/// [`resolve`] accepts).
///
/// * Ambiguous times, which occur twice when clocks fall back, take the
///   **earlier** instant: 01:30 on 2024-11-03 in New York is 01:30 EDT (05:30Z),
///   not 01:30 EST (06:30Z).
/// * Nonexistent times, skipped when clocks spring forward, move **forward by
///   the length of the gap**, i.e. are read with the offset in force before it:
///   02:30 on 2024-03-10 in New York becomes 03:30 EDT (07:30Z).
///
/// # Errors
///
/// [`Error::InvalidInput`] when the zone is unknown, or the time is at the edge
/// of chrono's range.
pub fn to_utc(local: NaiveDateTime, zone: &str) -> Result<DateTime<Utc>> {
    place(local, resolve(zone)?, zone)
}

/// The wall-clock time in `zone` (any name [`resolve`] accepts) at `instant`.
///
/// # Errors
///
/// [`Error::InvalidInput`] when the zone is unknown.
pub fn from_utc(instant: DateTime<Utc>, zone: &str) -> Result<NaiveDateTime> {
    Ok(instant.with_timezone(&resolve(zone)?).naive_local())
}

/// The instants at which `date` starts and the next day starts in `zone`: the
/// half-open range `[start, end)` of that calendar day.
///
/// The day lasts 23 or 25 hours when clocks change that day. Where midnight is
/// skipped (e.g. `America/Havana` springs forward at 00:00) the day starts at
/// the first instant that exists; see [`to_utc`] for how times are placed.
///
/// # Errors
///
/// [`Error::InvalidInput`] when the zone is unknown, or the date is at the edge
/// of chrono's range.
pub fn day_bounds(date: NaiveDate, zone: &str) -> Result<(DateTime<Utc>, DateTime<Utc>)> {
    let tz = resolve(zone)?;
    let next = date.succ_opt().ok_or_else(|| Error::invalid_input(format!("no day follows {date}")))?;
    Ok((place(date.and_time(NaiveTime::MIN), tz, zone)?, place(next.and_time(NaiveTime::MIN), tz, zone)?))
}

/// Today's date in `zone` (any name [`resolve`] accepts), from the system clock.
///
/// # Errors
///
/// [`Error::InvalidInput`] when the zone is unknown.
pub fn today_in(zone: &str) -> Result<NaiveDate> {
    from_utc(Utc::now(), zone).map(|t| t.date())
}

/// [`to_utc`] for a resolved zone; `zone` is the caller's name, for errors.
fn place(local: NaiveDateTime, tz: Tz, zone: &str) -> Result<DateTime<Utc>> {
    let instant = match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => Some(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(a, b) => Some(a.min(b).with_timezone(&Utc)),
        LocalResult::None => GapInfo::new(&local, &tz).and_then(|gap| gap.begin).and_then(|(_, before)| {
            let offset = TimeDelta::seconds(i64::from(before.fix().local_minus_utc()));
            local.checked_sub_signed(offset).map(|t| t.and_utc())
        }),
    };
    instant.ok_or_else(|| Error::invalid_input(format!("cannot place {local} in time zone {zone:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, mo, d).unwrap().and_hms_opt(h, mi, 0).unwrap()
    }

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn windows_names_map_to_cldr_canonical_zones() {
        assert_eq!(windows_to_iana("Pacific Standard Time"), Some("America/Los_Angeles"));
        assert_eq!(windows_to_iana("W. Europe Standard Time"), Some("Europe/Berlin"));
        // CLDR 48 keeps the old spelling as canonical.
        assert_eq!(windows_to_iana("India Standard Time"), Some("Asia/Calcutta"));
        assert_eq!(resolve("Pacific Standard Time").unwrap(), Tz::America__Los_Angeles);
        assert_eq!(resolve("India Standard Time").unwrap(), Tz::Asia__Calcutta);
        assert_eq!(windows_to_iana("Mars Standard Time"), None);
    }

    #[test]
    fn reverse_mapping_knows_aliases() {
        assert_eq!(iana_to_windows("America/Los_Angeles"), Some("Pacific Standard Time"));
        assert_eq!(iana_to_windows("America/Detroit"), Some("Eastern Standard Time")); // in a space-separated list
        assert_eq!(iana_to_windows("Asia/Calcutta"), Some("India Standard Time"));
        assert_eq!(iana_to_windows("Asia/Kolkata"), Some("India Standard Time")); // tzdb alias via bcp47
        assert_eq!(iana_to_windows("Europe/Kyiv"), Some("FLE Standard Time"));
        assert_eq!(iana_to_windows("Etc/GMT+5"), Some("SA Pacific Standard Time"));
        assert_eq!(iana_to_windows("Mars/Olympus_Mons"), None);
    }

    #[test]
    fn lookups_ignore_ascii_case() {
        assert_eq!(windows_to_iana("pacific STANDARD time "), Some("America/Los_Angeles"));
        assert_eq!(iana_to_windows("europe/berlin"), Some("W. Europe Standard Time"));
        assert_eq!(resolve("W. EUROPE STANDARD TIME").unwrap(), Tz::Europe__Berlin);
        assert_eq!(resolve("america/new_york").unwrap(), Tz::America__New_York);
    }

    #[test]
    fn utc_spellings() {
        for name in
            ["UTC", "Etc/UTC", "tzone://Microsoft/Utc", "TZONE://MICROSOFT/UTC", "utc", "Coordinated Universal Time"]
        {
            let tz = resolve(name).unwrap();
            assert_eq!(tz.offset_from_utc_datetime(&at(2024, 7, 1, 0, 0)).fix().local_minus_utc(), 0, "{name}");
        }
        assert_eq!(resolve("tzone://Microsoft/Utc").unwrap(), Tz::UTC);
    }

    #[test]
    fn unknown_zones_are_named_in_the_error() {
        for name in ["Mars/Olympus_Mons", "Customized Time Zone", "tzone://Microsoft/Custom", ""] {
            match resolve(name) {
                Err(Error::InvalidInput(m)) => assert!(m.contains(&format!("{name:?}")), "{m}"),
                other => panic!("{name:?}: {other:?}"),
            }
        }
        assert!(
            matches!(to_utc(at(2024, 1, 1, 0, 0), "Nowhere"), Err(Error::InvalidInput(m)) if m.contains("Nowhere"))
        );
    }

    #[test]
    fn to_utc_new_york() {
        assert_eq!(to_utc(at(2024, 1, 15, 9, 0), "America/New_York").unwrap(), utc("2024-01-15T14:00:00Z"));
        assert_eq!(to_utc(at(2024, 7, 15, 9, 0), "Eastern Standard Time").unwrap(), utc("2024-07-15T13:00:00Z"));
        // Spring-forward gap: 02:30 does not exist, becomes 03:30 EDT.
        assert_eq!(to_utc(at(2024, 3, 10, 2, 30), "America/New_York").unwrap(), utc("2024-03-10T07:30:00Z"));
        assert_eq!(from_utc(utc("2024-03-10T07:30:00Z"), "America/New_York").unwrap(), at(2024, 3, 10, 3, 30));
        // Fall-back overlap: 01:30 happens twice, the earlier (EDT) wins.
        assert_eq!(to_utc(at(2024, 11, 3, 1, 30), "America/New_York").unwrap(), utc("2024-11-03T05:30:00Z"));
    }

    #[test]
    fn half_hour_gap_moves_by_the_gap() {
        // Lord Howe springs forward 02:00 -> 02:30 (+10:30 -> +11:00); 02:15 becomes 02:45 +11:00.
        assert_eq!(to_utc(at(2024, 10, 6, 2, 15), "Australia/Lord_Howe").unwrap(), utc("2024-10-05T15:45:00Z"));
    }

    #[test]
    fn day_bounds_lengths() {
        let len = |y, m, d, zone| {
            let (start, end) = day_bounds(NaiveDate::from_ymd_opt(y, m, d).unwrap(), zone).unwrap();
            (end - start).num_hours()
        };
        assert_eq!(len(2024, 3, 10, "America/New_York"), 23);
        assert_eq!(len(2024, 11, 3, "Eastern Standard Time"), 25);
        assert_eq!(len(2024, 1, 15, "America/New_York"), 24);
        assert_eq!(len(2024, 3, 31, "W. Europe Standard Time"), 23);
        let (start, end) = day_bounds(NaiveDate::from_ymd_opt(2024, 3, 10).unwrap(), "America/New_York").unwrap();
        assert_eq!((start, end), (utc("2024-03-10T05:00:00Z"), utc("2024-03-11T04:00:00Z")));
        // Havana skips midnight: the day starts at 01:00 CDT.
        let (start, end) = day_bounds(NaiveDate::from_ymd_opt(2024, 3, 10).unwrap(), "America/Havana").unwrap();
        assert_eq!((start, end), (utc("2024-03-10T05:00:00Z"), utc("2024-03-11T04:00:00Z")));
    }

    #[test]
    fn today_in_tracks_the_clock() {
        let before = Utc::now();
        let today = today_in("Tokyo Standard Time").unwrap();
        let after = Utc::now();
        let tokyo = |t: DateTime<Utc>| t.with_timezone(&Tz::Asia__Tokyo).date_naive();
        assert!(today == tokyo(before) || today == tokyo(after));
        assert!(today_in("Nowhere").is_err());
    }

    #[test]
    fn every_windows_zone_resolves_and_round_trips() {
        for (windows, iana) in WINDOWS_TO_IANA {
            assert!(iana.parse::<Tz>().is_ok(), "{windows}: {iana} is not in chrono-tz");
            assert!(resolve(windows).is_ok(), "{windows}");
            assert_eq!(iana_to_windows(iana), Some(windows), "{iana}");
        }
        assert_eq!(WINDOWS_TO_IANA.len(), 139);
    }

    #[test]
    fn reverse_table_is_sorted_and_known_to_chrono_tz() {
        assert!(IANA_TO_WINDOWS.windows(2).all(|p| p[0].0 < p[1].0), "not strictly sorted");
        assert!(IANA_TO_WINDOWS.iter().all(|(_, w)| windows_to_iana(w).is_some()));
        let missing: Vec<&str> = IANA_TO_WINDOWS.iter().map(|(n, _)| *n).filter(|n| n.parse::<Tz>().is_err()).collect();
        // tzdb aliases CLDR still lists but tzdb dropped (2017c, 2020b); not in windowsZones.xml itself.
        assert_eq!(missing, ["Canada/East-Saskatchewan", "US/Pacific-New"]);
    }
}
