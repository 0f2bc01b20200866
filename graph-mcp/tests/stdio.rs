//! The `msgraph-mcp` binary driven by rmcp's own client over stdio, against
//! the emulator it starts when `MSGRAPH_CLIENT_ID` is unset: initialize,
//! `tools/list`, the To Do conversation as tool calls, tool errors, and the
//! `--read-only` / `--tools` options.

use std::collections::BTreeSet;
use std::process::Stdio;
use std::time::{Duration, Instant};

use msgraph_agent::{Access, Catalogue};
use rmcp::model::{CallToolRequestParams, CallToolResult, Tool};
use rmcp::service::RunningService;
use rmcp::transport::TokioChildProcess;
use rmcp::{RoleClient, ServiceExt};
use serde_json::{Value, json};
use tokio::io::AsyncReadExt;
use tokio::process::ChildStderr;

type Client = RunningService<RoleClient, ()>;
type TestResult = Result<(), Box<dyn std::error::Error>>;

const BIN: &str = env!("CARGO_BIN_EXE_msgraph-mcp");

/// The server's command, on the emulator (no `MSGRAPH_CLIENT_ID`).
fn command(args: &[&str]) -> tokio::process::Command {
    let mut cmd = tokio::process::Command::new(BIN);
    cmd.args(args).env_remove("MSGRAPH_CLIENT_ID").env_remove("MSGRAPH_TOKEN_CACHE");
    cmd
}

/// Spawns the server and initializes an rmcp client on its stdio; stderr is piped.
async fn spawn(args: &[&str]) -> Result<(Client, ChildStderr), Box<dyn std::error::Error>> {
    let (transport, stderr) = TokioChildProcess::builder(command(args)).stderr(Stdio::piped()).spawn()?;
    let stderr = stderr.ok_or("stderr is not piped")?;
    let client = tokio::time::timeout(Duration::from_secs(60), ().serve(transport)).await??;
    Ok((client, stderr))
}

async fn call(client: &Client, name: &str, args: Value) -> Result<CallToolResult, Box<dyn std::error::Error>> {
    let mut params = CallToolRequestParams::new(name.to_owned());
    if let Value::Object(map) = args {
        params = params.with_arguments(map);
    }
    Ok(tokio::time::timeout(Duration::from_secs(60), client.call_tool(params)).await??)
}

/// The text of the first content item.
fn text(result: &CallToolResult) -> &str {
    result.content.first().and_then(|c| c.as_text()).map(|t| t.text.as_str()).unwrap_or("")
}

/// A successful result's JSON: the structured content, which must equal the text content.
fn ok_json(name: &str, result: &CallToolResult) -> Value {
    assert_eq!(result.is_error, Some(false), "{name} failed: {}", text(result));
    let parsed: Value = serde_json::from_str(text(result)).unwrap_or(Value::Null);
    let structured = result.structured_content.clone().unwrap_or(Value::Null);
    assert!(structured.is_object(), "{name}: no structured content");
    assert_eq!(structured, parsed, "{name}: text and structured content differ");
    structured
}

/// A failed result's message.
fn error_message(name: &str, result: &CallToolResult) -> String {
    assert_eq!(result.is_error, Some(true), "{name} should have failed: {}", text(result));
    assert!(result.structured_content.is_none());
    let v: Value = serde_json::from_str(text(result)).unwrap_or(Value::Null);
    let message = v.get("error").and_then(Value::as_str).unwrap_or("").to_owned();
    assert!(!message.is_empty(), "{name}: no error message in {}", text(result));
    message
}

fn names(tools: &[Tool]) -> BTreeSet<String> {
    tools.iter().map(|t| t.name.to_string()).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn initialize_and_list_every_tool_with_schemas_and_annotations() -> TestResult {
    let started = Instant::now();
    let (client, mut stderr) = spawn(&[]).await?;
    let tools = client.list_all_tools().await?;
    println!("spawn -> initialize -> tools/list answered: {:?} ({} tools)", started.elapsed(), tools.len());

    let info = client.peer_info().ok_or("no server info")?;
    assert!(info.capabilities.tools.is_some());
    assert_eq!(info.server_info.as_ref().map(|s| s.name.as_str()), Some("msgraph-mcp"));
    assert!(info.instructions.as_deref().is_some_and(|i| i.contains("emulator")));

    let catalogue = Catalogue::all();
    assert_eq!(tools.len(), catalogue.len());
    assert_eq!(names(&tools), catalogue.tools().map(|t| t.name.to_owned()).collect());
    for def in catalogue.tools() {
        let tool = tools.iter().find(|t| t.name == def.name).ok_or(def.name)?;
        assert_eq!(tool.input_schema.get("type").and_then(Value::as_str), Some("object"), "{}", def.name);
        assert!(tool.input_schema.get("properties").is_some_and(Value::is_object), "{}", def.name);
        assert_eq!(tool.description.as_deref(), Some(def.description));
        assert_eq!(tool.title.as_deref(), Some(def.title));
        if let Some(out) = &tool.output_schema {
            assert_eq!(out.get("type").and_then(Value::as_str), Some("object"), "{}", def.name);
        }
        let a = tool.annotations.as_ref().ok_or(def.name)?;
        assert_eq!(a.title.as_deref(), Some(def.title));
        assert_eq!(a.read_only_hint, Some(def.access == Access::Read), "{}", def.name);
        assert_eq!(a.destructive_hint, Some(def.access == Access::Destructive), "{}", def.name);
        assert_eq!(a.open_world_hint, Some(true));
        if def.access != Access::Write {
            assert_eq!(a.idempotent_hint, Some(true), "{}", def.name);
        }
    }
    let create = tools.iter().find(|t| t.name == "todo_create_task").ok_or("no todo_create_task")?;
    let required = create.input_schema.get("required").and_then(Value::as_array).ok_or("no required")?;
    assert!(required.contains(&json!("title")) && required.contains(&json!("list_id")));
    assert_eq!(create.annotations.as_ref().and_then(|a| a.idempotent_hint), Some(false));

    client.cancel().await?;
    // The logs went to stderr (stdout carried the protocol, or the client would have failed).
    let mut log = String::new();
    tokio::time::timeout(Duration::from_secs(10), stderr.read_to_string(&mut log)).await??;
    assert!(log.contains("emulator"), "stderr: {log}");
    Ok(())
}

/// "Add 'Buy groceries' to my Tasks list, due tomorrow", then "mark it done",
/// as a model would call the tools.
#[tokio::test(flavor = "multi_thread")]
async fn the_todo_conversation_as_tool_calls() -> TestResult {
    let (client, _stderr) = spawn(&[]).await?;

    let lists = ok_json("todo_list_task_lists", &call(&client, "todo_list_task_lists", json!({})).await?);
    let tasks_list = lists["lists"]
        .as_array()
        .and_then(|l| l.iter().find(|l| l["wellknown_list_name"] == "defaultList"))
        .ok_or("no defaultList")?;
    let list_id = tasks_list["id"].as_str().ok_or("no list id")?.to_owned();

    let tomorrow = (chrono::Utc::now().date_naive() + chrono::Days::new(1)).format("%Y-%m-%d").to_string();
    let created = ok_json(
        "todo_create_task",
        &call(&client, "todo_create_task", json!({"list_id": list_id, "title": "Buy groceries", "due_date": tomorrow}))
            .await?,
    );
    assert_eq!(created["title"], "Buy groceries");
    assert_eq!(created["due_date"], tomorrow.as_str());
    assert_eq!(created["status"], "notStarted");
    let task_id = created["id"].as_str().ok_or("no task id")?.to_owned();

    let ids = |page: &Value| -> Vec<String> {
        page["tasks"]
            .as_array()
            .map(|t| t.iter().filter_map(|t| t["id"].as_str().map(str::to_owned)).collect())
            .unwrap_or_default()
    };
    let open = json!({"list_id": list_id, "status": "incomplete", "limit": 50});
    let before = ok_json("todo_list_tasks", &call(&client, "todo_list_tasks", open.clone()).await?);
    assert!(ids(&before).contains(&task_id));

    let updated = ok_json(
        "todo_update_task",
        &call(&client, "todo_update_task", json!({"list_id": list_id, "task_id": task_id, "status": "completed"}))
            .await?,
    );
    assert_eq!(updated["status"], "completed");

    let after = ok_json("todo_list_tasks", &call(&client, "todo_list_tasks", open).await?);
    assert!(!ids(&after).contains(&task_id), "still incomplete: {after}");
    let done = json!({"list_id": list_id, "status": "completed", "limit": 50});
    let done = ok_json("todo_list_tasks", &call(&client, "todo_list_tasks", done).await?);
    assert!(ids(&done).contains(&task_id));

    client.cancel().await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_arguments_and_unknown_tools_are_tool_errors() -> TestResult {
    let (client, _stderr) = spawn(&[]).await?;
    let lists = ok_json("todo_list_task_lists", &call(&client, "todo_list_task_lists", json!({})).await?);
    let list_id = lists["lists"][0]["id"].as_str().ok_or("no list")?.to_owned();

    let bad_date =
        call(&client, "todo_create_task", json!({"list_id": list_id, "title": "x", "due_date": "tomorrow"})).await?;
    let m = error_message("todo_create_task", &bad_date);
    assert!(m.contains("due_date"), "{m}");

    let missing = call(&client, "todo_create_task", json!({"list_id": list_id})).await?;
    let m = error_message("todo_create_task", &missing);
    assert!(m.contains("title"), "{m}");

    let extra = call(&client, "whoami", json!({"verbose": true})).await?;
    let m = error_message("whoami", &extra);
    assert!(m.contains("verbose"), "{m}");

    let no_list = call(&client, "todo_list_tasks", json!({"list_id": "no-such-list"})).await?;
    let m = error_message("todo_list_tasks", &no_list);
    assert!(m.contains("todo_list_task_lists"), "{m}");

    let unknown = call(&client, "todo_fly_to_the_moon", json!({})).await?;
    let m = error_message("todo_fly_to_the_moon", &unknown);
    assert!(m.contains("no tool named"), "{m}");

    // Still serving after all that.
    let me = ok_json("whoami", &call(&client, "whoami", json!({})).await?);
    assert_eq!(me["user_principal_name"], msgraph_emulator::demo::USER_UPN);
    client.cancel().await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn read_only_hides_writing_tools_and_refuses_them() -> TestResult {
    let (client, _stderr) = spawn(&["--read-only"]).await?;
    let tools = client.list_all_tools().await?;
    assert_eq!(names(&tools), Catalogue::all().read_only().tools().map(|t| t.name.to_owned()).collect());
    assert!(tools.iter().all(|t| t.annotations.as_ref().and_then(|a| a.read_only_hint) == Some(true)));
    assert!(!names(&tools).contains("todo_create_task"));

    let lists = ok_json("todo_list_task_lists", &call(&client, "todo_list_task_lists", json!({})).await?);
    let list_id = lists["lists"][0]["id"].as_str().ok_or("no list")?.to_owned();
    let refused = call(&client, "todo_create_task", json!({"list_id": list_id, "title": "Buy groceries"})).await?;
    let m = error_message("todo_create_task", &refused);
    assert!(m.contains("not enabled"), "{m}");
    client.cancel().await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn tools_option_limits_the_list() -> TestResult {
    let (client, _stderr) = spawn(&["--tools", "todo"]).await?;
    let tools = client.list_all_tools().await?;
    assert!(!tools.is_empty());
    assert!(tools.iter().all(|t| t.name.starts_with("todo_")), "{:?}", names(&tools));
    assert!(names(&tools).contains("todo_create_task"));
    let m = error_message("whoami", &call(&client, "whoami", json!({})).await?);
    assert!(m.contains("not enabled"), "{m}");
    client.cancel().await?;

    let (client, _stderr) = spawn(&["--tools=todo,whoami", "--read-only"]).await?;
    let tools = names(&client.list_all_tools().await?);
    assert!(tools.contains("whoami") && tools.contains("todo_list_tasks") && !tools.contains("todo_create_task"));
    assert!(tools.iter().all(|t| t == "whoami" || t.starts_with("todo_")));
    client.cancel().await?;
    Ok(())
}

/// The first file (not folder) of the emulator's demo OneDrive, searching the
/// root and then its folders.
async fn some_drive_file(client: &Client) -> Result<String, Box<dyn std::error::Error>> {
    let mut folders = vec!["/".to_owned()];
    while let Some(folder) = folders.pop() {
        let listed = call(client, "onedrive_list_files", json!({"folder_path": folder, "limit": 50})).await?;
        let listed = ok_json("onedrive_list_files", &listed);
        for item in listed["items"].as_array().into_iter().flatten() {
            match (item["is_folder"].as_bool(), item["id"].as_str(), item["path"].as_str()) {
                (Some(false), Some(id), _) => return Ok(id.to_owned()),
                (Some(true), _, Some(path)) if folders.len() < 20 => folders.push(path.to_owned()),
                _ => {}
            }
        }
    }
    Err("no file in the demo OneDrive".into())
}

#[tokio::test(flavor = "multi_thread")]
async fn download_dir_option_enables_downloads_there() -> TestResult {
    let (client, _stderr) = spawn(&["--tools", "onedrive"]).await?;
    let id = some_drive_file(&client).await?;
    let m = error_message("onedrive_download_file", &call(&client, "onedrive_download_file", json!({"id": id})).await?);
    assert!(m.contains("download"), "{m}");
    client.cancel().await?;

    let dir = std::env::temp_dir().join(format!("msgraph-mcp-downloads-{}", std::process::id()));
    let dir_arg = dir.to_string_lossy().into_owned();
    let (client, _stderr) = spawn(&["--tools", "onedrive", "--download-dir", &dir_arg]).await?;
    let id = some_drive_file(&client).await?;
    let saved = ok_json("onedrive_download_file", &call(&client, "onedrive_download_file", json!({"id": id})).await?);
    let saved_to = std::path::PathBuf::from(saved["saved_to"].as_str().ok_or("no saved_to")?);
    assert!(saved_to.starts_with(&dir), "{saved_to:?} is not in {dir:?}");
    assert!(saved_to.is_file());
    client.cancel().await?;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// With `MSGRAPH_CLIENT_ID` set the server signs in to Microsoft 365; here the
/// identity platform is out of reach (HTTPS goes through a proxy on a closed
/// local port, so nothing leaves the machine): the tools are still listed and
/// a call that needs a token is a tool error, not a hang or a crash.
#[tokio::test(flavor = "multi_thread")]
async fn with_a_client_id_an_unreachable_sign_in_is_a_tool_error() -> TestResult {
    let closed_port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let proxy = format!("http://127.0.0.1:{closed_port}");
    let cache = std::env::temp_dir().join(format!("msgraph-mcp-test-{}/token_cache.json", std::process::id()));
    let mut cmd = command(&["--tools", "user,todo"]);
    cmd.env("MSGRAPH_CLIENT_ID", "00000000-0000-0000-0000-000000000001")
        .env("MSGRAPH_TOKEN_CACHE", &cache)
        .env("HTTPS_PROXY", &proxy)
        .env("https_proxy", &proxy)
        .env_remove("NO_PROXY")
        .env_remove("no_proxy")
        .env_remove("MSGRAPH_TENANT_ID")
        .env_remove("MSGRAPH_CLIENT_SECRET");
    let (transport, stderr) = TokioChildProcess::builder(cmd).stderr(Stdio::piped()).spawn()?;
    let mut stderr = stderr.ok_or("stderr is not piped")?;
    let client = tokio::time::timeout(Duration::from_secs(60), ().serve(transport)).await??;

    let tools = names(&client.list_all_tools().await?);
    assert!(tools.contains("whoami") && tools.contains("todo_create_task"));
    for _ in 0..2 {
        let m = error_message("whoami", &call(&client, "whoami", json!({})).await?);
        assert!(!m.contains("no tool"), "{m}");
    }
    client.cancel().await?;
    let mut log = String::new();
    tokio::time::timeout(Duration::from_secs(10), stderr.read_to_string(&mut log)).await??;
    assert!(log.contains("signing in to Microsoft 365"), "stderr: {log}");
    assert!(!log.contains("emulator"), "stderr: {log}");
    if let Some(dir) = cache.parent() {
        let _ = std::fs::remove_dir_all(dir);
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_command_lines_exit_with_a_message() -> TestResult {
    for args in [&["--bogus"][..], &["--tools", "mail,nope"], &["--tools"], &["--download-dir", BIN]] {
        let out = command(args).stdin(Stdio::null()).output().await?;
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("msgraph-mcp:"), "{args:?}");
    }
    let help = command(&["--help"]).stdin(Stdio::null()).output().await?;
    assert!(help.status.success());
    assert!(String::from_utf8_lossy(&help.stdout).contains("--read-only"));
    Ok(())
}

/// The benchmark: time from spawn to the answer of `tools/list`
/// (initialize included). Printed, not asserted; run with `--nocapture`.
#[tokio::test(flavor = "multi_thread")]
async fn spawn_to_tools_list_time() -> TestResult {
    let mut times = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        let (client, _stderr) = spawn(&[]).await?;
        let tools = client.list_all_tools().await?;
        times.push(started.elapsed());
        assert!(!tools.is_empty());
        client.cancel().await?;
    }
    times.sort();
    println!(
        "msgraph-mcp spawn -> tools/list answered, 5 runs: min {:?}, median {:?}, max {:?}",
        times[0], times[2], times[4]
    );
    Ok(())
}
