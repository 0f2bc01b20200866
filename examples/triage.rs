//! A mail triage cycle, the way a triage agent runs it:
//!
//! ```sh
//! cargo run --example triage            # against the offline emulator
//! MSGRAPH_CLIENT_ID=... cargo run --example triage -- --apply   # a real mailbox
//! ```
//!
//! 1. Sync the inbox by delta query (the token is kept in
//!    `data/triage_delta.json`, so the next run sees only new changes; the
//!    ids are immutable, so a message moved away is reported as a move).
//! 2. One call fetches the user's replies (Sent Items) since the oldest new
//!    message, so the reply state of every thread is a local lookup.
//! 3. For each new message: thread depth from `conversationIndex`, whether
//!    the user replied, and a simple rule: newsletters and alerts get the
//!    category "Low priority" and move to Archive; messages from inside the
//!    company that nobody answered get the category "Needs reply".
//!
//! Against a real mailbox nothing is changed unless `--apply` is passed.

mod common;

use std::sync::Arc;

use chrono::Utc;
use msgraph::core::delta::{DeltaStore as _, JsonFileDeltaStore};
use msgraph::mail::{ConversationIndex, MailChange, MoveTracker};
use msgraph::prelude::*;

use common::{AnyError, connect, short};

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

/// The rule: what to do with a new message.
enum Action {
    Archive,
    NeedsReply,
    Leave,
}

fn decide(m: &Message, replied: bool, my_domain: &str) -> Action {
    let from = m.from_address().unwrap_or_default().to_ascii_lowercase();
    let subject = m.subject.as_deref().unwrap_or_default().to_ascii_lowercase();
    if from.contains("noreply")
        || from.contains("no-reply")
        || from.starts_with("news@")
        || subject.contains("newsletter")
    {
        Action::Archive
    } else if !replied && !my_domain.is_empty() && from.ends_with(my_domain) {
        Action::NeedsReply
    } else {
        Action::Leave
    }
}

async fn run() -> Result<(), AnyError> {
    let apply_flag = std::env::args().any(|a| a == "--apply");
    let session = connect(&["User.Read", "Mail.ReadWrite"]).await?;
    let apply = !session.is_real() || apply_flag;
    let client = &session.client;
    let me = client.me().get().await?;
    let my_address = me.mail.clone().or(me.user_principal_name.clone()).unwrap_or_default().to_ascii_lowercase();
    let my_domain = my_address.split_once('@').map(|(_, d)| format!("@{d}")).unwrap_or_default();

    // 1. Delta sync of the inbox. The emulator starts empty each run, so its
    //    token file is kept apart from a real mailbox's.
    let token_file = if session.is_real() { "data/triage_delta.json" } else { "data/triage_delta.emulator.json" };
    let store = Arc::new(JsonFileDeltaStore::new(token_file));
    if !session.is_real() {
        store.remove("mailbox:inbox").await?;
    }
    let sync = client.me().messages().delta(WellKnownFolder::Inbox).immutable_ids(true).store(store, "mailbox:inbox");
    let round = sync.run().await?;
    if round.resynced() {
        println!("The stored delta token had expired: this round is a full resync.");
    }
    let mut tracker = MoveTracker::new();
    let changes = tracker.classify(round.changes().iter().cloned());
    let new: Vec<&Message> = changes
        .iter()
        .filter_map(|c| match c {
            MailChange::New(m) | MailChange::Updated(m) => Some(m),
            _ => None,
        })
        .collect();
    println!("Inbox delta: {} change(s), {} new or updated message(s)", changes.len(), new.len());

    // 2. Reply state of every thread from one paged call.
    let oldest = new.iter().filter_map(|m| m.received_date_time).min().unwrap_or_else(Utc::now);
    let replies = client.me().triage().replies_since(oldest).send().await?;

    // 3. Look at each message and apply the rule.
    println!("\n{:<6} {:<7} {:<28} subject", "depth", "replied", "from");
    for m in new {
        let depth = m
            .conversation_index
            .as_deref()
            .and_then(|b64| ConversationIndex::decode(b64).ok())
            .map(|ci| ci.depth().to_string())
            .unwrap_or_else(|| "?".into());
        let replied = m.conversation_id.as_deref().and_then(|c| replies.last_reply(c)).is_some();
        println!(
            "{depth:<6} {:<7} {:<28} {}",
            if replied { "yes" } else { "no" },
            short(m.from_address(), 28),
            short(m.subject.as_deref(), 50)
        );
        let Some(id) = m.id.as_deref() else { continue };
        match decide(m, replied, &my_domain) {
            Action::Archive if apply => {
                let mut categories = m.category_names().to_vec();
                categories.push("Low priority".into());
                client.me().messages().set_categories(id, categories).await?;
                client.me().messages().move_to(id, WellKnownFolder::Archive).await?;
                println!("       -> categorized \"Low priority\" and moved to Archive");
            }
            Action::NeedsReply if apply && !m.has_category("Needs reply") => {
                let mut categories = m.category_names().to_vec();
                categories.push("Needs reply".into());
                client.me().messages().set_categories(id, categories).await?;
                println!("       -> categorized \"Needs reply\"");
            }
            Action::Archive | Action::NeedsReply if !apply => println!("       -> (would act; pass --apply)"),
            _ => {}
        }
    }

    // Only now, with every change handled, does the delta token move.
    round.commit().await?;
    if session.is_real() {
        println!("\nDelta token saved in {token_file}; the next run sees only what changes from here.");
    } else {
        println!("\nDelta token committed; against a real mailbox the next run would see only new changes.");
    }
    if let Some(e) = session.emulator {
        e.shutdown().await;
    }
    Ok(())
}
