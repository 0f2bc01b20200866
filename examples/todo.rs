//! Microsoft To Do, the way an assistant's conversation goes: "show my to-do
//! lists", "add 'Buy groceries' to my Tasks list, due tomorrow", "show my
//! incomplete tasks", "mark 'Buy groceries' as completed", then a delta
//! round that shows the change.
//!
//! ```sh
//! cargo run --example todo                       # against the offline emulator
//! MSGRAPH_CLIENT_ID=... cargo run --example todo -- --write   # a real account
//! ```
//!
//! Against a real account nothing is written without `--write`.

mod common;

use std::sync::Arc;

use chrono::{Days, NaiveTime};
use msgraph::core::delta::{DeltaRound, MemoryDeltaStore};
use msgraph::models::Importance;
use msgraph::prelude::*;

use common::{AnyError, connect, local_today, short};

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

/// The tasks, with due dates as the user in `zone` sees them (Graph answers
/// To Do dates in UTC unless asked otherwise).
fn print_tasks(tasks: &[TodoTask], zone: &str) -> msgraph::Result<()> {
    if tasks.is_empty() {
        println!("  (none)");
    }
    for t in tasks {
        let due = t.due_date_in(zone)?.map(|d| format!("due {d}")).unwrap_or_default();
        let imp = match &t.importance {
            Some(Importance::High) => "!",
            _ => " ",
        };
        println!("  {imp} {:<40} {due}", short(t.title.as_deref(), 40));
    }
    Ok(())
}

fn print_changes(round: &DeltaRound<TodoTask>) {
    for t in round.upserted() {
        let status = t.status.as_ref().map(|s| s.to_string()).unwrap_or_default();
        println!("  changed: {} ({status})", short(t.title.as_deref(), 40));
    }
    for r in round.removed() {
        println!("  removed: {}", short(Some(&r.id), 40));
    }
}

async fn run() -> Result<(), AnyError> {
    let write_flag = std::env::args().any(|a| a == "--write");
    let session = connect(&["User.Read", "Tasks.ReadWrite", "MailboxSettings.Read"]).await?;
    let writes = !session.is_real() || write_flag;
    let client = &session.client;
    let todo = client.me().todo();
    // dates in the mailbox's time zone
    let zone = client.me().mailbox_settings().get().await?.time_zone.unwrap_or_else(|| "UTC".to_owned());

    println!("== Your to-do lists");
    for list in todo.lists().send().await?.value {
        let built_in = if list.is_built_in() { " (built in)" } else { "" };
        println!("  {}{built_in}", short(list.display_name.as_deref(), 40));
    }

    // "Tasks" by name; the default list under another name (another language)
    let tasks_list = match todo.find_list("Tasks").await? {
        Some(list) => list,
        None => todo.default_list().await?,
    };
    let tasks = todo.tasks(tasks_list.id.clone().unwrap_or_default());
    println!("\n== Incomplete in \"{}\"", tasks_list.display_name.as_deref().unwrap_or("Tasks"));
    print_tasks(&tasks.list().incomplete().top(20).send().await?.value, &zone)?;

    if !writes {
        println!("\n(read-only: pass --write to add and complete \"Buy groceries\")");
        return finish(session).await;
    }

    // a delta baseline of the list, to see the conversation's changes afterwards
    let sync = tasks.delta().store(Arc::new(MemoryDeltaStore::new()), "tasks");
    let baseline = sync.run().await?;
    println!("\n== Delta baseline: {} tasks", baseline.upserted().count());
    baseline.commit().await?;

    let tomorrow = local_today(&zone)? + Days::new(1);
    let nine = tomorrow.and_time(NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default());
    let task = tasks
        .create(
            NewTask::new("Buy groceries").due(tomorrow).importance(Importance::High).reminder(nine).time_zone(&zone),
        )
        .await?;
    println!("\n== Added \"Buy groceries\", due {tomorrow} ({zone}), reminder at 09:00; incomplete now:");
    print_tasks(&tasks.list().incomplete().top(20).send().await?.value, &zone)?;

    for found in tasks.find("buy groceries").await? {
        tasks.complete(found.id.unwrap_or_default()).await?;
    }
    println!("\n== Marked \"Buy groceries\" as completed; incomplete now:");
    print_tasks(&tasks.list().incomplete().top(20).send().await?.value, &zone)?;

    let round = sync.run().await?;
    println!("\n== Delta round since the baseline:");
    print_changes(&round);
    round.commit().await?;

    if !session.is_real() {
        // the emulator is throwaway; a real list keeps its completed task
        tasks.delete(task.id.unwrap_or_default()).await?;
        let round = sync.run().await?;
        println!("\n== Deleted it; the next delta round:");
        print_changes(&round);
        round.commit().await?;
    }
    finish(session).await
}

async fn finish(session: common::Session) -> Result<(), AnyError> {
    if let Some(e) = session.emulator {
        e.shutdown().await;
    }
    Ok(())
}
