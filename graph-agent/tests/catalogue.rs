//! The catalogue itself: the exact tool names the issue fixes, schemas that
//! function-calling APIs accept, and the exports.

mod common;

use std::collections::HashSet;

use msgraph_agent::{Access, Catalogue, Service};
use serde_json::Value;

const REQUIRED: &[&str] = &[
    "todo_list_task_lists",
    "todo_get_task_list",
    "todo_create_task_list",
    "todo_delete_task_list",
    "todo_list_tasks",
    "todo_get_task",
    "todo_create_task",
    "todo_update_task",
    "todo_delete_task",
    "onenote_extract_page_text",
    "onenote_list_sections",
    "mail_read_emails",
    "mail_search_emails",
    "mail_get_email",
    "mail_create_draft",
    "mail_send_email",
    "mail_reply",
    "mail_move_email",
    "mail_list_folders",
    "calendar_get_events",
    "calendar_create_event",
    "calendar_update_event",
    "calendar_delete_event",
    "onedrive_list_files",
    "onedrive_read_file",
    "onedrive_search_files",
    "onedrive_download_file",
    "onenote_list_notebooks",
    "onenote_list_pages",
    "onenote_get_page",
    "onenote_create_page",
    "onenote_create_page_from_markdown",
    "onenote_create_page_from_template",
    "onenote_update_page",
    "onenote_delete_page",
    "onenote_search",
    "onenote_copy_page",
    "whoami",
];

#[test]
fn every_required_tool_is_there_once() {
    let all = Catalogue::all();
    let names: Vec<&str> = all.tools().map(|t| t.name).collect();
    let unique: HashSet<&str> = names.iter().copied().collect();
    assert_eq!(unique.len(), names.len(), "duplicate tool names: {names:?}");
    let missing: Vec<&&str> = REQUIRED.iter().filter(|n| !unique.contains(**n)).collect();
    assert!(missing.is_empty(), "missing tools: {missing:?}");
}

#[test]
fn names_descriptions_and_schemas_fit_function_calling_apis() {
    for t in Catalogue::all().tools() {
        // OpenAI and Anthropic: ^[a-zA-Z0-9_-]{1,64}$
        assert!(
            !t.name.is_empty()
                && t.name.len() <= 64
                && t.name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'),
            "{}",
            t.name
        );
        let prefix = match t.service {
            Service::Mail => "mail_",
            Service::Calendar => "calendar_",
            Service::OneDrive => "onedrive_",
            Service::OneNote => "onenote_",
            Service::Todo => "todo_",
            _ => "",
        };
        assert!(t.name.starts_with(prefix), "{} is not in {prefix}*", t.name);
        assert!(t.description.len() >= 40, "{}: describe it for a model", t.name);
        let s = &t.input_schema;
        assert_eq!(s["type"], "object", "{}: {s}", t.name);
        assert!(s["properties"].is_object(), "{}: {s}", t.name);
        assert!(s.get("$ref").is_none() && s.get("$defs").is_none(), "{}: inline schemas only: {s}", t.name);
        assert_eq!(s["additionalProperties"], Value::Bool(false), "{}: unknown arguments are refused", t.name);
        // every argument is described for the model
        for (arg, p) in s["properties"].as_object().into_iter().flatten() {
            assert!(
                p.get("description").is_some_and(|d| d.as_str().is_some_and(|d| !d.is_empty())),
                "{}.{arg}: {p}",
                t.name
            );
        }
        assert!(t.output_schema.is_object(), "{}", t.name);
    }
}

#[test]
fn access_marks_reads_writes_and_deletes() {
    let all = Catalogue::all();
    for t in all.tools() {
        if t.name.contains("_delete_") {
            assert_eq!(t.access, Access::Destructive, "{}", t.name);
        }
        if t.name.contains("_list_")
            || t.name.contains("_get_")
            || t.name.contains("_read_")
            || t.name.contains("search")
        {
            assert_eq!(t.access, Access::Read, "{}", t.name);
        }
    }
    let read_only = all.clone().read_only();
    assert!(read_only.len() < all.len());
    assert!(read_only.tools().all(|t| t.access == Access::Read));
    let todo = all.services(&[Service::Todo]);
    assert_eq!(todo.len(), 9);
    assert_eq!(Service::parse("Drive"), Some(Service::OneDrive));
    assert_eq!(Service::parse("nope"), None);
}

#[test]
fn exports_in_both_function_calling_formats() {
    let all = Catalogue::all();
    let openai = all.to_openai();
    let anthropic = all.to_anthropic();
    assert_eq!(openai.as_array().map(Vec::len), Some(all.len()));
    assert_eq!(anthropic.as_array().map(Vec::len), Some(all.len()));
    let o = &openai[0];
    assert_eq!(o["type"], "function");
    assert!(o["function"]["name"].is_string() && o["function"]["parameters"]["type"] == "object");
    let a = &anthropic[0];
    assert!(a["name"].is_string() && a["description"].is_string() && a["input_schema"]["type"] == "object");
    let create = all.get("todo_create_task").expect("tool");
    let required: Vec<&str> =
        create.input_schema["required"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
    assert_eq!(required, ["list_id", "title"]);
    assert_eq!(create.input_schema["properties"]["due_date"]["format"], "date");
}
