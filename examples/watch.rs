//! Change notifications + delta: a watcher on the inbox with a local
//! webhook receiver. It sends itself a mail and prints the change as it
//! arrives through notification → delta round. `--poll-only` shows the
//! fallback: no subscription, a delta round every few seconds.
//!
//! ```sh
//! cargo run --example watch                 # the emulator, notifications on 127.0.0.1
//! cargo run --example watch -- --poll-only
//! ```
//!
//! Against real Graph the receiver must be reachable over https: pass the
//! public URL that forwards to it with `--notify-url https://...` (and set
//! `MSGRAPH_CLIENT_ID`).

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use msgraph::core::delta::MemoryDeltaStore;
use msgraph::core::subscription::{ChangeTypes, SubscriptionResource};
use msgraph::notifications::{ClientStates, MemoryWatchStore, Receiver, Watcher};
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

async fn run() -> Result<(), AnyError> {
    let args: Vec<String> = std::env::args().collect();
    let poll_only = args.iter().any(|a| a == "--poll-only");
    let public_url = args.iter().position(|a| a == "--notify-url").and_then(|i| args.get(i + 1)).cloned();
    let session = connect(&["User.Read", "Mail.ReadWrite", "Mail.Send"]).await?;
    let client = session.client.clone();
    let me = client.me().get().await?;
    let address = me.mail.clone().or(me.user_principal_name.clone()).unwrap_or_default();

    // the receiver, on a local port
    let states = ClientStates::new();
    let (receiver, notifications) = Receiver::new(states.clone(), 10_000);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let local = format!("http://{}/notify", listener.local_addr()?);
    tokio::spawn(async move {
        let _ = axum::serve(listener, receiver.router("/notify")).await;
    });

    let poll_every = if poll_only { Duration::from_secs(2) } else { Duration::from_secs(15 * 60) };
    let deltas = Arc::new(MemoryDeltaStore::new());
    let c = client.clone();
    let mut watcher = Watcher::new(client.clone(), Arc::new(MemoryWatchStore::new()), states)
        .poll_every(poll_every)
        .watch("inbox", SubscriptionResource::mail_folder_messages("me", "inbox"), ChangeTypes::ALL, move || {
            c.me().messages().delta(WellKnownFolder::Inbox).store(deltas.clone(), "inbox")
        });
    let notify_url = public_url.unwrap_or(local);
    if poll_only {
        println!("Polling every {poll_every:?} (no subscription).");
    } else {
        println!("Subscribing with notifications to {notify_url}; polling every {poll_every:?} as the safety net.");
        watcher = watcher.notification_url(notify_url);
    }

    let (done_tx, done_rx) = tokio::sync::oneshot::channel::<()>();
    let mut done_tx = Some(done_tx);
    let mut first_round = true;
    let sent_at = Arc::new(std::sync::Mutex::new(None::<Instant>));
    let sent = sent_at.clone();
    let mailer = client.clone();
    let task = tokio::spawn(watcher.run(
        Some(notifications),
        async {
            let _ = done_rx.await;
        },
        move |key, round| {
            let first = std::mem::replace(&mut first_round, false);
            let sent = sent.clone();
            let mailer = mailer.clone();
            let address = address.clone();
            let changed = round.upserted().next().is_some();
            let stop = if !first && changed { done_tx.take() } else { None };
            async move {
                if first {
                    println!("{key}: first round, {} messages; sending myself a mail...", round.changes().len());
                    round.commit().await?;
                    *sent.lock().unwrap_or_else(|e| e.into_inner()) = Some(Instant::now());
                    mailer
                        .me()
                        .send_mail(NewMessage::new().to([address.as_str()]).subject("Hello from the watch example"))
                        .await?;
                    return Ok(());
                }
                let after = sent.lock().unwrap_or_else(|e| e.into_inner()).map(|t| t.elapsed());
                for m in round.upserted() {
                    println!(
                        "{key}: new or changed: {} ({:.0?} after sending)",
                        short(m.subject.as_deref(), 50),
                        after.unwrap_or_default()
                    );
                }
                round.commit().await?;
                if let Some(stop) = stop {
                    let _ = stop.send(());
                }
                Ok(())
            }
        },
    ));
    match tokio::time::timeout(Duration::from_secs(60), task).await {
        Ok(joined) => joined??,
        Err(_) => return Err("no change arrived within a minute".into()),
    }
    if let Some(e) = session.emulator {
        e.shutdown().await;
    }
    Ok(())
}
