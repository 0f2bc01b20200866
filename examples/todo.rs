//! Microsoft To Do, the way an assistant's conversation goes: "show my to-do
//! lists", "add 'Buy groceries' to my Tasks list, due tomorrow", "show my
//! incomplete tasks", "mark 'Buy groceries' as completed".
//!
//! ```sh
//! cargo run --example todo                       # against the offline emulator
//! MSGRAPH_CLIENT_ID=... cargo run --example todo -- --write   # a real account
//! ```
//!
//! Against a real account nothing is written without `--write`.

mod common;

use chrono::{Days, NaiveTime};
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

fn print_tasks(tasks: &[TodoTask]) {
    if tasks.is_empty() {
        println!("  (none)");
    }
    for t in tasks {
        let due = t.due_date().map(|d| format!("due {d}")).unwrap_or_default();
        let imp = match &t.importance {
            Some(Importance::High) => "!",
            _ => " ",
        };
        println!("  {imp} {:<40} {due}", short(t.title.as_deref(), 40));
    }
}

async fn run() -> Result<(), AnyError> {
    let write_flag = std::env::args().any(|a| a == "--write");
    let session = connect(&["User.Read", "Tasks.ReadWrite", "MailboxSettings.Read"]).await?;
    let writes = !session.is_real() || write_flag;
    let client = &session.client;
    let todo = client.me().todo();

    println!("== Your to-do lists");
    for list in todo.lists().send().await?.value {
        let built_in = if list.is_built_in() { " (built in)" } else { "" };
        println!("  {}{built_in}", short(list.display_name.as_deref(), 40));
    }

    let tasks_list = todo.default_list().await?;
    let tasks = todo.tasks(tasks_list.id.clone().unwrap_or_default());
    println!("\n== Incomplete in \"{}\"", tasks_list.display_name.as_deref().unwrap_or("Tasks"));
    print_tasks(&tasks.list().incomplete().top(20).send().await?.value);

    if !writes {
        println!("\n(read-only: pass --write to add and complete \"Buy groceries\")");
        return finish(session).await;
    }

    // dates in the mailbox's time zone
    let zone = client.me().mailbox_settings().get().await?.time_zone.unwrap_or_else(|| "UTC".to_owned());
    let tomorrow = local_today(&zone)? + Days::new(1);
    let nine = tomorrow.and_time(NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default());
    let task = tasks
        .create(
            NewTask::new("Buy groceries").due(tomorrow).importance(Importance::High).reminder(nine).time_zone(&zone),
        )
        .await?;
    println!("\n== Added \"Buy groceries\", due {tomorrow} ({zone}), reminder at 09:00");
    print_tasks(&tasks.list().incomplete().top(20).send().await?.value);

    for found in tasks.find("buy groceries").await? {
        tasks.complete(found.id.unwrap_or_default()).await?;
    }
    println!("\n== Marked \"Buy groceries\" as completed; incomplete now:");
    print_tasks(&tasks.list().incomplete().top(20).send().await?.value);

    if !session.is_real() {
        // the emulator is throwaway; a real list keeps its completed task
        tasks.delete(task.id.unwrap_or_default()).await?;
    }
    finish(session).await
}

async fn finish(session: common::Session) -> Result<(), AnyError> {
    if let Some(e) = session.emulator {
        e.shutdown().await;
    }
    Ok(())
}
