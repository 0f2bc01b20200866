//! The To Do tools against the emulator: the assistant's conversation as
//! tool calls, each result checked against its declared schema and the
//! emulator's state checked after each write.

mod common;

use chrono::{Days, Utc};
use common::{err, ok, start};
use msgraph_emulator::demo;
use serde_json::{Value, json};

fn tasks_list(lists: &Value) -> String {
    lists["lists"]
        .as_array()
        .and_then(|l| l.iter().find(|l| l["wellknown_list_name"] == "defaultList"))
        .and_then(|l| l["id"].as_str())
        .expect("the Tasks list")
        .to_owned()
}

fn titles(page: &Value) -> Vec<String> {
    page["tasks"].as_array().into_iter().flatten().filter_map(|t| t["title"].as_str().map(str::to_owned)).collect()
}

#[tokio::test]
async fn the_conversation_as_tool_calls() {
    let (emu, agent) = start().await;

    // "Show my to-do lists."
    let lists = ok(&agent, "todo_list_task_lists", json!({})).await;
    let names: Vec<&str> =
        lists["lists"].as_array().unwrap().iter().filter_map(|l| l["display_name"].as_str()).collect();
    assert_eq!(names, ["Tasks", "Flagged emails", "Groceries", "Work projects"]);
    let list = tasks_list(&lists);
    let got = ok(&agent, "todo_get_task_list", json!({ "list_id": list })).await;
    assert_eq!(got["display_name"], "Tasks");

    // "Add 'Buy groceries' to my Tasks list, due tomorrow."
    let due = (Utc::now().date_naive() + Days::new(1)).to_string();
    let task = ok(
        &agent,
        "todo_create_task",
        json!({"list_id": list, "title": "Buy groceries", "due_date": due, "importance": "high",
               "body": "milk, eggs", "reminder_date_time": format!("{due}T09:00:00"), "time_zone": "UTC"}),
    )
    .await;
    assert_eq!((task["title"].as_str(), task["due_date"].as_str()), (Some("Buy groceries"), Some(due.as_str())));
    assert_eq!(task["importance"], "high");
    assert_eq!(task["body"], "milk, eggs");
    assert_eq!(task["reminder"], format!("{due}T09:00:00 (UTC)"));
    let id = task["id"].as_str().expect("id").to_owned();
    let stored = emu.todo_tasks(demo::USER_UPN, "Tasks").unwrap();
    let stored = stored.iter().find(|t| t["id"] == id.as_str()).expect("the emulator has the task");
    assert_eq!(stored["dueDateTime"]["dateTime"].as_str().map(|s| &s[..10]), Some(due.as_str()));

    // "Show my incomplete tasks."
    let open = ok(&agent, "todo_list_tasks", json!({"list_id": list, "status": "incomplete", "limit": 50})).await;
    assert!(titles(&open).contains(&"Buy groceries".to_owned()));
    assert!(open["tasks"].as_array().unwrap().iter().all(|t| t["status"] != "completed"));

    // "Mark 'Buy groceries' as completed."
    let done = ok(&agent, "todo_update_task", json!({"list_id": list, "task_id": id, "status": "completed"})).await;
    assert_eq!(done["status"], "completed");
    assert!(done["completed"].is_string());
    let open = ok(&agent, "todo_list_tasks", json!({"list_id": list, "status": "incomplete", "limit": 50})).await;
    assert!(!titles(&open).contains(&"Buy groceries".to_owned()));
    let completed = ok(&agent, "todo_list_tasks", json!({"list_id": list, "status": "completed", "limit": 50})).await;
    assert!(titles(&completed).contains(&"Buy groceries".to_owned()));
    let one = ok(&agent, "todo_get_task", json!({"list_id": list, "task_id": id})).await;
    assert_eq!(one["status"], "completed");

    // Delete it.
    let gone = ok(&agent, "todo_delete_task", json!({"list_id": list, "task_id": id})).await;
    assert_eq!(gone, json!({"deleted": true, "id": id}));
    assert!(emu.todo_tasks(demo::USER_UPN, "Tasks").unwrap().iter().all(|t| t["id"] != id.as_str()));
    let missing = err(&agent, "todo_get_task", json!({"list_id": list, "task_id": id})).await;
    assert!(missing.contains("todo_list_tasks"), "{missing}");
}

#[tokio::test]
async fn lists_are_created_deleted_and_built_in_ones_refused() {
    let (emu, agent) = start().await;
    let made = ok(&agent, "todo_create_task_list", json!({"display_name": "Holiday"})).await;
    let id = made["id"].as_str().unwrap().to_owned();
    assert!(emu.todo_lists(demo::USER_UPN).unwrap().iter().any(|l| l["displayName"] == "Holiday"));
    ok(&agent, "todo_delete_task_list", json!({"list_id": id})).await;
    assert!(emu.todo_lists(demo::USER_UPN).unwrap().iter().all(|l| l["displayName"] != "Holiday"));

    let lists = ok(&agent, "todo_list_task_lists", json!({})).await;
    let builtin = tasks_list(&lists);
    let refused = err(&agent, "todo_delete_task_list", json!({"list_id": builtin})).await;
    assert!(refused.contains("built-in"), "{refused}");
    assert!(emu.todo_lists(demo::USER_UPN).unwrap().iter().any(|l| l["displayName"] == "Tasks"));
}

#[tokio::test]
async fn pages_follow_the_cursor_without_repeats() {
    let (_emu, agent) = start().await;
    let lists = ok(&agent, "todo_list_task_lists", json!({})).await;
    let list = tasks_list(&lists);
    for i in 0..7 {
        ok(&agent, "todo_create_task", json!({"list_id": list, "title": format!("paged {i}")})).await;
    }
    let all = ok(&agent, "todo_list_tasks", json!({"list_id": list, "limit": 50})).await;
    let expected = all["tasks"].as_array().unwrap().len();
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut args = json!({"list_id": list, "limit": 3});
        if let Some(c) = &cursor {
            args["cursor"] = json!(c);
        }
        let page = ok(&agent, "todo_list_tasks", args).await;
        assert!(page["tasks"].as_array().unwrap().len() <= 3);
        seen.extend(page["tasks"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap().to_owned()));
        match page.get("next_cursor").and_then(Value::as_str) {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    let unique: std::collections::HashSet<&String> = seen.iter().collect();
    assert_eq!((seen.len(), unique.len()), (expected, expected));
    // a cursor of another tool is refused
    let c = ok(&agent, "todo_list_tasks", json!({"list_id": list, "limit": 1})).await["next_cursor"].clone();
    let wrong = err(&agent, "todo_list_task_lists", json!({"cursor": c})).await;
    assert!(wrong.contains("belongs to `todo_list_tasks`"), "{wrong}");
}

#[tokio::test]
async fn bad_arguments_are_errors_a_model_can_act_on() {
    let (emu, agent) = start().await;
    let before = emu.requests().len();
    let cases = [
        (
            "todo_create_task",
            json!({"list_id": "x", "title": "t", "due_date": "tomorrow"}),
            "`due_date`: must be a date YYYY-MM-DD",
        ),
        ("todo_create_task", json!({"list_id": "x"}), "missing field `title`"),
        ("todo_create_task", json!({"list_id": "x", "title": "t", "colour": "red"}), "unknown field `colour`"),
        ("todo_create_task", json!({"list_id": "x", "title": "t", "importance": "urgent"}), "`importance`"),
        ("todo_create_task", json!({"list_id": "x", "title": "   "}), "`title` must not be empty"),
        ("todo_create_task", json!({"list_id": "x", "title": "t", "reminder_date_time": "9am"}), "YYYY-MM-DDTHH:MM:SS"),
        ("todo_update_task", json!({"list_id": "x", "task_id": "y"}), "nothing to change"),
        ("todo_list_tasks", json!({"list_id": "x", "limit": 500}), "at most 50"),
        ("todo_list_tasks", json!({"list_id": "x", "cursor": "garbage"}), "`cursor`"),
        ("todo_list_tasks", json!([1, 2]), "must be a JSON object"),
        ("no_such_tool", json!({}), "there is no tool named `no_such_tool`"),
    ];
    for (tool, args, expect) in cases {
        let msg = err(&agent, tool, args.clone()).await;
        assert!(msg.contains(expect), "{tool}({args}): `{msg}` lacks `{expect}`");
    }
    assert_eq!(emu.requests().len(), before, "nothing was sent for bad arguments");

    // Graph's own refusals are short and actionable.
    let missing = err(&agent, "todo_list_tasks", json!({"list_id": "no-such-list"})).await;
    assert!(missing.starts_with("Not found") && missing.contains("todo_list_task_lists"), "{missing}");

    // `call_json` takes text and never panics on bad JSON.
    let (is_error, text) = agent.call_json("whoami", "{not json").await;
    assert!(is_error && text.contains("not valid JSON"), "{text}");
    let (is_error, text) = agent.call_json("whoami", "").await;
    assert!(!is_error, "{text}");
}

#[tokio::test]
async fn results_over_the_size_limit_are_refused_with_advice() {
    let (_emu, agent) = start().await;
    let agent = agent.max_result_bytes(300);
    let lists = agent.call("todo_list_task_lists", json!({"limit": 50})).await;
    assert!(lists.is_error && lists.text().contains("too large"), "{lists:?}");
    let me = ok(&agent, "whoami", json!({})).await;
    assert_eq!(me["user_principal_name"], demo::USER_UPN);
}

#[tokio::test]
async fn a_read_only_agent_refuses_writes() {
    let (_emu, agent) = start().await;
    let agent = agent.with_catalogue(msgraph_agent::Catalogue::all().read_only());
    let msg = err(&agent, "todo_create_task", json!({"list_id": "x", "title": "t"})).await;
    assert!(msg.contains("not enabled"), "{msg}");
    ok(&agent, "todo_list_task_lists", json!({})).await;
}
