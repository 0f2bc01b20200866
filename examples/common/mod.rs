//! Shared by the examples: sign in to a real tenant when `MSGRAPH_CLIENT_ID`
//! is set; otherwise start the offline emulator in this process and sign in
//! to it with the same device code flow.

#![allow(dead_code)]

use std::time::Duration;

use chrono::{DateTime, Datelike, Duration as TimeDelta, NaiveDate, NaiveDateTime, Utc, Weekday};
use msgraph::auth::{DeviceCodeCredential, ENV_CLIENT_ID, FileTokenCache};
use msgraph::prelude::*;
use msgraph_emulator::Emulator;

/// A signed-in client, and the emulator when it runs in this process.
pub struct Session {
    /// The client.
    pub client: GraphClient,
    /// The in-process emulator, when there are no real credentials.
    pub emulator: Option<Emulator>,
}

impl Session {
    /// True against a real tenant.
    pub fn is_real(&self) -> bool {
        self.emulator.is_none()
    }
}

/// Boxed error for example `main`s.
pub type AnyError = Box<dyn std::error::Error + Send + Sync>;

/// Signs in: to the real tenant named by the environment, or to the emulator.
pub async fn connect(scopes: &[&str]) -> Result<Session, AnyError> {
    if std::env::var(ENV_CLIENT_ID).is_ok_and(|v| !v.trim().is_empty()) {
        println!("Signing in to Microsoft 365 ({ENV_CLIENT_ID} is set)...");
        let credential = DeviceCodeCredential::from_env()?
            .scopes(scopes.iter().copied())
            .token_cache(FileTokenCache::new("data/token_cache.json"))
            .on_prompt(|p| println!("  {}", p.message))
            .build()?;
        let client = GraphClient::builder().credential(credential).build()?;
        return Ok(Session { client, emulator: None });
    }
    let emulator = Emulator::start().await?;
    let h = emulator.handle();
    println!("No {ENV_CLIENT_ID} set: using the offline Graph emulator at {}", h.base_url());
    let credential = DeviceCodeCredential::builder(msgraph_emulator::demo::CLIENT_ID)
        .tenant(msgraph_emulator::demo::TENANT_ID)
        .authority_url(h.authority_url())
        .scopes(scopes.iter().copied())
        .poll_interval(Duration::from_millis(200))
        .on_prompt(|p| println!("  [sign-in] {}", p.message))
        .build()?;
    let client = GraphClient::builder().base_url(h.base_url()).credential(credential).build()?;
    Ok(Session { client, emulator: Some(emulator) })
}

/// The current UTC offset of a mailbox time zone, for the zones most
/// mailboxes use (Windows or IANA names), with US and EU daylight saving
/// rules. A real app would use a time zone database (e.g. `chrono-tz`);
/// the examples keep their dependencies small. Unknown zones give `None`.
pub fn utc_offset(zone: &str, at: DateTime<Utc>) -> Option<TimeDelta> {
    #[derive(Clone, Copy)]
    enum Dst {
        None,
        Us,
        Eu,
    }
    let (hours, minutes, dst) = match zone.trim() {
        "UTC" | "Etc/UTC" | "Coordinated Universal Time" => (0, 0, Dst::None),
        "GMT Standard Time" | "Europe/London" | "Europe/Dublin" | "Europe/Lisbon" => (0, 0, Dst::Eu),
        "W. Europe Standard Time"
        | "Romance Standard Time"
        | "Central Europe Standard Time"
        | "Central European Standard Time"
        | "Europe/Berlin"
        | "Europe/Paris"
        | "Europe/Amsterdam"
        | "Europe/Madrid"
        | "Europe/Rome"
        | "Europe/Stockholm"
        | "Europe/Warsaw" => (1, 0, Dst::Eu),
        "GTB Standard Time" | "FLE Standard Time" | "Europe/Athens" | "Europe/Helsinki" | "Europe/Kiev" => {
            (2, 0, Dst::Eu)
        }
        "Eastern Standard Time" | "America/New_York" | "America/Toronto" => (-5, 0, Dst::Us),
        "Central Standard Time" | "America/Chicago" => (-6, 0, Dst::Us),
        "Mountain Standard Time" | "America/Denver" => (-7, 0, Dst::Us),
        "US Mountain Standard Time" | "America/Phoenix" => (-7, 0, Dst::None),
        "Pacific Standard Time" | "America/Los_Angeles" | "America/Vancouver" => (-8, 0, Dst::Us),
        "India Standard Time" | "Asia/Kolkata" | "Asia/Calcutta" => (5, 30, Dst::None),
        "China Standard Time" | "Asia/Shanghai" | "Singapore Standard Time" | "Asia/Singapore" => (8, 0, Dst::None),
        "Tokyo Standard Time" | "Asia/Tokyo" => (9, 0, Dst::None),
        _ => return None,
    };
    let standard = TimeDelta::hours(hours) + TimeDelta::minutes(if hours < 0 { -minutes } else { minutes });
    let summer = match dst {
        Dst::None => false,
        // second Sunday of March 2:00 local to first Sunday of November 2:00 local
        Dst::Us => {
            let local = (at + standard).naive_utc();
            let y = local.year();
            let start = nth_weekday(y, 3, 2).and_hms_opt(2, 0, 0)?;
            let end = nth_weekday(y, 11, 1).and_hms_opt(1, 0, 0)?;
            local >= start && local < end
        }
        // last Sunday of March 1:00 UTC to last Sunday of October 1:00 UTC
        Dst::Eu => {
            let u = at.naive_utc();
            let y = u.year();
            let start = last_sunday(y, 3).and_hms_opt(1, 0, 0)?;
            let end = last_sunday(y, 10).and_hms_opt(1, 0, 0)?;
            u >= start && u < end
        }
    };
    Some(if summer { standard + TimeDelta::hours(1) } else { standard })
}

fn nth_weekday(year: i32, month: u32, n: u32) -> NaiveDate {
    let first = NaiveDate::from_ymd_opt(year, month, 1).unwrap_or_default();
    let shift = (7 + Weekday::Sun.num_days_from_monday() - first.weekday().num_days_from_monday()) % 7;
    first + TimeDelta::days(i64::from(shift + 7 * (n - 1)))
}

fn last_sunday(year: i32, month: u32) -> NaiveDate {
    let next =
        if month == 12 { NaiveDate::from_ymd_opt(year + 1, 1, 1) } else { NaiveDate::from_ymd_opt(year, month + 1, 1) };
    let last = next.unwrap_or_default() - TimeDelta::days(1);
    last - TimeDelta::days(i64::from(last.weekday().num_days_from_sunday()))
}

/// Local midnight of today in `zone` as a UTC instant, with the local date;
/// UTC when the zone is not in the table.
pub fn local_today(zone: &str) -> (NaiveDate, DateTime<Utc>, bool) {
    let now = Utc::now();
    match utc_offset(zone, now) {
        Some(offset) => {
            let local_date = (now + offset).date_naive();
            let midnight_local: NaiveDateTime = local_date.and_hms_opt(0, 0, 0).unwrap_or_default();
            (local_date, midnight_local.and_utc() - offset, true)
        }
        None => {
            let d = now.date_naive();
            (d, d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc(), false)
        }
    }
}

/// One line for a message.
pub fn short(s: Option<&str>, n: usize) -> String {
    let s = s.unwrap_or("(none)");
    if s.chars().count() <= n { s.to_owned() } else { format!("{}…", s.chars().take(n).collect::<String>()) }
}
