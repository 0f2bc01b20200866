//! A tour of msgraph-rs in one command:
//!
//! ```sh
//! cargo run --example quickstart
//! ```
//!
//! With no `MSGRAPH_CLIENT_ID` in the environment it starts the offline
//! Microsoft Graph emulator in this process and tours the SDK against it:
//! sign in by device code, `/me`, unread inbox mail, a delta sync of the
//! inbox, sending a mail, creating an event tomorrow at 2 pm, the week's
//! agenda, and a second delta round that shows only the new mail.
//!
//! With `MSGRAPH_CLIENT_ID` (and optionally `MSGRAPH_TENANT_ID`) set it does
//! the same against your Microsoft 365 tenant, read-only unless you pass
//! `--write` (then it sends a mail to yourself and creates one event).

mod common;

use chrono::{Duration as TimeDelta, NaiveTime};

use msgraph::core::delta::{Change, MemoryDeltaStore};
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

async fn run() -> Result<(), AnyError> {
    let write_flag = std::env::args().any(|a| a == "--write");
    let session =
        connect(&["User.Read", "Mail.ReadWrite", "Mail.Send", "Calendars.ReadWrite", "MailboxSettings.Read"]).await?;
    let writes = !session.is_real() || write_flag;
    let client = &session.client;

    // 1. Who am I?
    let me = client.me().get().await?;
    let my_address = me.mail.clone().or(me.user_principal_name.clone()).unwrap_or_default();
    println!("\n== Signed in as {} <{my_address}>", me.display_name.as_deref().unwrap_or("?"));

    // 2. Unread mail in the inbox (read_emails(folder="inbox", filter="isRead eq false", limit=5))
    let unread = client
        .me()
        .messages()
        .list()
        .folder(WellKnownFolder::Inbox)
        .filter("isRead eq false")
        .triage_fields()
        .top(5)
        .send()
        .await?;
    println!("\n== Unread in the inbox (first {})", unread.value.len());
    for m in &unread.value {
        println!("  {:<28} {}", short(m.from_address(), 28), short(m.subject.as_deref(), 60));
    }

    // 3. Delta sync of the inbox, round one: everything, then keep the token.
    let store = std::sync::Arc::new(MemoryDeltaStore::new());
    let inbox_sync = client.me().messages().delta(WellKnownFolder::Inbox).store(store.clone(), "mailbox:inbox");
    let round = inbox_sync.run().await?;
    println!("\n== Delta sync, round 1: {} messages in {} pages", round.changes().len(), round.pages());
    round.commit().await?;

    // 4. Send a mail (to yourself, so it arrives in the inbox).
    if writes {
        client
            .me()
            .send_mail(
                NewMessage::new()
                    .to([my_address.as_str()])
                    .subject("Hello from msgraph-rs")
                    .text_body("Sent by the quickstart example."),
            )
            .await?;
        println!("\n== Sent \"Hello from msgraph-rs\" to {my_address}");
    } else {
        println!("\n== (read-only: pass --write to send a mail and create an event)");
    }

    // 5. An event tomorrow at 2 pm in the mailbox's time zone.
    let settings = client.me().mailbox_settings().get().await?;
    let zone = settings.time_zone.clone().unwrap_or_else(|| "UTC".to_owned());
    let today = local_today(&zone)?;
    if writes {
        let tomorrow = today + TimeDelta::days(1);
        let two_pm = tomorrow.and_time(NaiveTime::from_hms_opt(14, 0, 0).unwrap_or_default());
        let event = client
            .me()
            .events()
            .create(
                NewEvent::new("Team Sync")
                    .local_times(two_pm, two_pm + TimeDelta::minutes(30), zone.clone())
                    .location("Conference Room 4")
                    .text_body("Weekly sync, created by the quickstart.")
                    .teams_meeting(),
            )
            .send()
            .await?;
        let join = event.online_meeting.as_ref().and_then(|m| m.join_url.as_deref()).unwrap_or("(no join URL)");
        println!("\n== Created \"Team Sync\" on {tomorrow} at 14:00 ({zone}); Teams: {join}");
    }

    // 6. This week's agenda, in the mailbox's time zone.
    let mut agenda = client
        .me()
        .calendar_view(midnight(today, &zone), midnight(today + TimeDelta::days(7), &zone))
        .timezone(zone.clone())
        .order_by("start/dateTime")
        .select(["subject", "start", "end", "location", "isAllDay"])
        .stream();
    println!("\n== The week from {today} ({zone})");
    while let Some(e) = agenda.try_next().await? {
        let when = e.start.as_ref().map(|s| s.date_time.format("%a %d %b %H:%M").to_string()).unwrap_or_default();
        println!("  {when:<16} {}", short(e.subject.as_deref(), 60));
    }

    // 7. Delta sync, round two: only what changed since round one.
    let round = inbox_sync.run().await?;
    println!("\n== Delta sync, round 2: {} change(s)", round.changes().len());
    for change in round.changes() {
        match change {
            Change::Upserted(m) => println!("  new or changed: {}", short(m.subject.as_deref(), 60)),
            Change::Removed(r) => println!("  removed: {}", r.id),
        }
    }
    round.commit().await?;

    if let Some(emulator) = session.emulator {
        emulator.shutdown().await;
    }
    println!("\nDone. Next: cargo run --example triage, cargo run --example agenda");
    Ok(())
}
