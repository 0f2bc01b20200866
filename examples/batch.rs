//! JSON batching: fetch many messages by id in a handful of round trips.
//!
//! ```sh
//! cargo run --example batch          # against the offline emulator
//! ```
//!
//! Lists the inbox's message ids, then gets every message (with its body as
//! text) through `$batch`: 20 per call, responses matched back by id, items
//! that Graph throttled sent again after their Retry-After. Read-only.

mod common;

use msgraph::core::batch::{Batch, BatchKey};
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
    let session = connect(&["User.Read", "Mail.Read"]).await?;
    let client = &session.client;

    let ids: Vec<String> = client
        .me()
        .messages()
        .list()
        .folder(WellKnownFolder::Inbox)
        .select(["id"])
        .top(50)
        .stream()
        .try_filter_map(|m| async move { Ok(m.id) })
        .try_collect()
        .await?;

    let mut batch = Batch::new();
    let keys: Vec<BatchKey<Message>> = ids
        .iter()
        .map(|id| {
            client.me().messages().get(id.as_str()).text_body().select(["subject", "from", "body"]).into_request()
        })
        .map(|req| req.map(|r| batch.add(r)))
        .collect::<Result<_>>()?;
    let responses = client.batch(batch).send().await?;
    let ok = keys.iter().filter(|k| responses.item(k.id()).is_some_and(|r| (200..300).contains(&r.status))).count();
    println!("{ok} of {} messages fetched in {} $batch call(s)\n", keys.len(), responses.http_requests());
    for key in keys.iter().take(10) {
        match responses.get(key) {
            Ok(m) => println!(
                "  {:<40} {}",
                short(m.subject.as_deref(), 40),
                short(m.body.as_ref().map(|b| b.content.trim()), 50)
            ),
            Err(e) => println!("  item {}: {e}", key.id()),
        }
    }
    if let Some(e) = session.emulator {
        e.shutdown().await;
    }
    Ok(())
}
