//! Shared by the examples: sign in to a real tenant when `MSGRAPH_CLIENT_ID`
//! is set; otherwise start the offline emulator in this process and sign in
//! to it with the same device code flow.

#![allow(dead_code)]

use std::time::Duration;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
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

/// Today's date in the mailbox's time zone (Windows, e.g. "Pacific Standard
/// Time", or IANA), through the SDK's time zone database (`msgraph::core::tz`:
/// chrono-tz and CLDR's Windows mapping). An unknown zone is an error that
/// names it.
pub fn local_today(zone: &str) -> msgraph::Result<NaiveDate> {
    msgraph::core::tz::today_in(zone)
}

/// Local midnight of `date` in `zone`: a calendar window bound, as a
/// wall-clock time with its zone (the SDK turns it into the UTC instant).
pub fn midnight(date: NaiveDate, zone: &str) -> (NaiveDateTime, String) {
    (date.and_time(NaiveTime::MIN), zone.to_owned())
}

/// One line for a message.
pub fn short(s: Option<&str>, n: usize) -> String {
    let s = s.unwrap_or("(none)");
    if s.chars().count() <= n { s.to_owned() } else { format!("{}…", s.chars().take(n).collect::<String>()) }
}
