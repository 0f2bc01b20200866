//! Today's and tomorrow's events, in the mailbox's own time zone, and one new
//! event ("create a calendar event for tomorrow at 2pm called Team Sync"):
//!
//! ```sh
//! cargo run --example agenda                       # against the offline emulator
//! MSGRAPH_CLIENT_ID=... cargo run --example agenda -- --write   # a real calendar
//! ```
//!
//! The time zone comes from the mailbox settings (`Pacific Standard Time`,
//! `Europe/Berlin`, ...); Graph returns every time in it through
//! `Prefer: outlook.timezone`, on every page. Against a real calendar the
//! event is created only with `--write`.

mod common;

use chrono::{Duration as TimeDelta, NaiveTime};

use msgraph::prelude::*;

use common::{AnyError, connect, local_today, midnight, short};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn print_event(e: &Event) {
    let all_day = e.is_all_day.unwrap_or(false);
    let start = e.start.as_ref().map(|s| s.date_time.format("%H:%M").to_string()).unwrap_or_default();
    let end = e.end.as_ref().map(|s| s.date_time.format("%H:%M").to_string()).unwrap_or_default();
    let when = if all_day { "all day".to_owned() } else { format!("{start}-{end}") };
    let place = e.location.as_ref().and_then(|l| l.display_name.as_deref()).filter(|s| !s.is_empty());
    match place {
        Some(p) => println!("  {when:<12} {}  @ {}", short(e.subject.as_deref(), 50), short(Some(p), 30)),
        None => println!("  {when:<12} {}", short(e.subject.as_deref(), 50)),
    }
}

async fn run() -> Result<(), AnyError> {
    let write_flag = std::env::args().any(|a| a == "--write");
    let session = connect(&["User.Read", "Calendars.ReadWrite", "MailboxSettings.Read"]).await?;
    let writes = !session.is_real() || write_flag;
    let client = &session.client;

    let settings = client.me().mailbox_settings().get().await?;
    let zone = settings.time_zone.clone().unwrap_or_else(|| "UTC".to_owned());
    let today = local_today(&zone)?;
    println!("Mailbox time zone: {zone}, today is {today}");

    if writes {
        let two_pm = (today + TimeDelta::days(1)).and_time(NaiveTime::from_hms_opt(14, 0, 0).unwrap_or_default());
        let created = client
            .me()
            .events()
            .create(
                NewEvent::new("Team Sync")
                    .local_times(two_pm, two_pm + TimeDelta::hours(1), zone.clone())
                    .location("Conference Room 4")
                    .text_body("Created by the agenda example.")
                    .reminder_minutes(15),
            )
            .timezone(zone.clone())
            .send()
            .await?;
        println!("Created \"Team Sync\" (id {})", short(created.id.as_deref(), 24));
    } else {
        println!("(read-only: pass --write to create \"Team Sync\" tomorrow at 14:00)");
    }

    for (label, day) in [("Today", 0), ("Tomorrow", 1)] {
        let date = today + TimeDelta::days(day);
        // local midnight to local midnight: 23 or 25 hours on a DST change day
        let events: Vec<Event> = client
            .me()
            .calendar_view(midnight(date, &zone), midnight(date + TimeDelta::days(1), &zone))
            .timezone(zone.clone())
            .order_by("start/dateTime")
            .select(["subject", "start", "end", "location", "isAllDay"])
            .stream()
            .try_collect()
            .await?;
        println!("\n{label}, {}: {} event(s)", today + TimeDelta::days(day), events.len());
        for e in &events {
            print_event(e);
        }
    }
    if let Some(e) = session.emulator {
        e.shutdown().await;
    }
    Ok(())
}
