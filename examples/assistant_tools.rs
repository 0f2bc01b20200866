//! The tool catalogue an AI assistant gets, and three tool calls the way a
//! model would make them ("show my to-do lists", "add 'Buy groceries' to my
//! Tasks list, due tomorrow", "show my incomplete tasks").
//!
//! ```sh
//! cargo run --example assistant_tools --features agent            # the offline emulator
//! MSGRAPH_CLIENT_ID=... cargo run --example assistant_tools --features agent -- --write
//! ```
//!
//! Against a real account the task is only created with `--write`.

mod common;

use chrono::Days;
use msgraph::agent::{Access, Agent, Catalogue};
use serde_json::json;

use common::{AnyError, connect};

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
    let session = connect(&["User.Read", "Tasks.ReadWrite"]).await?;
    let writes = !session.is_real() || write_flag;

    let catalogue = Catalogue::all();
    println!("{} tools:", catalogue.len());
    for tool in catalogue.tools() {
        let access = match tool.access {
            Access::Read => "read",
            Access::Write => "write",
            _ => "destructive",
        };
        let first = tool.description.split(". ").next().unwrap_or(tool.description);
        println!("  {:<36} {:<12} {}", tool.name, access, first);
    }
    let openai = serde_json::to_string(&catalogue.to_openai())?;
    println!("(as OpenAI function definitions: {} bytes of JSON)\n", openai.len());

    let agent = Agent::new(session.client.clone());
    let call = |name: &'static str, args: serde_json::Value| {
        let agent = agent.clone();
        async move {
            println!("> {name} {args}");
            let out = agent.call(name, args).await;
            let text = serde_json::to_string_pretty(&out.content).unwrap_or_else(|_| out.text().to_owned());
            println!("{}{text}\n", if out.is_error { "error: " } else { "" });
            out
        }
    };

    let lists = call("todo_list_task_lists", json!({})).await;
    let tasks_list = lists.content["lists"]
        .as_array()
        .and_then(|l| l.iter().find(|l| l["wellknown_list_name"] == "defaultList"))
        .and_then(|l| l["id"].as_str())
        .ok_or("no Tasks list")?
        .to_owned();
    if writes {
        let due = (chrono::Utc::now().date_naive() + Days::new(1)).to_string();
        call("todo_create_task", json!({"list_id": tasks_list, "title": "Buy groceries", "due_date": due})).await;
    } else {
        println!("(not creating a task in a real account without --write)\n");
    }
    call("todo_list_tasks", json!({"list_id": tasks_list, "status": "incomplete", "limit": 5})).await;
    Ok(())
}
