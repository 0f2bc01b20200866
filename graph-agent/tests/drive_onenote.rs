//! The OneDrive and OneNote tools against the emulator: every tool called
//! through the dispatcher, the emulator's state checked afterwards, results
//! checked against their declared schemas, and the bad inputs a model sends.

mod common;

use std::path::PathBuf;

use common::{err, ok, start};
use msgraph_agent::{Access, Catalogue, Service};
use msgraph_emulator::{Emulator, demo};
use serde_json::{Value, json};

/// A fresh, empty folder under the system's temp folder.
fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("msgraph-agent-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn names(items: &Value) -> Vec<&str> {
    items.as_array().map(|a| a.iter().filter_map(|i| i["name"].as_str()).collect()).unwrap_or_default()
}

fn section_id(emu: &Emulator, name: &str) -> String {
    let sections = emu.onenote_sections(demo::USER_UPN).expect("sections");
    let s = sections.iter().find(|s| s["displayName"] == name).unwrap_or_else(|| panic!("no section {name}"));
    s["id"].as_str().unwrap_or_default().to_owned()
}

fn stored_page(emu: &Emulator, id: &str) -> Option<Value> {
    emu.onenote_pages(demo::USER_UPN).expect("pages").into_iter().find(|p| p["id"] == id)
}

#[test]
fn the_tools_are_in_the_catalogue_with_their_access() {
    let all = Catalogue::all();
    let expected = [
        ("onedrive_list_files", Access::Read),
        ("onedrive_read_file", Access::Read),
        ("onedrive_search_files", Access::Read),
        ("onedrive_download_file", Access::Write),
        ("onenote_list_notebooks", Access::Read),
        ("onenote_list_sections", Access::Read),
        ("onenote_list_pages", Access::Read),
        ("onenote_get_page", Access::Read),
        ("onenote_extract_page_text", Access::Read),
        ("onenote_create_page", Access::Write),
        ("onenote_create_page_from_markdown", Access::Write),
        ("onenote_create_page_from_template", Access::Write),
        ("onenote_update_page", Access::Write),
        ("onenote_delete_page", Access::Destructive),
        ("onenote_search", Access::Read),
        ("onenote_copy_page", Access::Write),
    ];
    for (name, access) in expected {
        let def = all.get(name).unwrap_or_else(|| panic!("{name} is registered"));
        assert_eq!(def.access, access, "{name}");
        let service = if name.starts_with("onedrive_") { Service::OneDrive } else { Service::OneNote };
        assert_eq!(def.service, service, "{name}");
        assert_eq!(def.input_schema["type"], "object", "{name}");
        // every argument has a description a model can read
        for (arg, schema) in def.input_schema["properties"].as_object().into_iter().flatten() {
            assert!(schema.get("description").is_some(), "{name}.{arg} has no description");
        }
    }
    let template = all.get("onenote_create_page_from_template").unwrap();
    assert!(template.description.contains("meeting_notes: date, attendees"), "{}", template.description);
}

#[tokio::test]
async fn onedrive_list_files_pages_through_a_folder() {
    let (_emu, agent) = start().await;
    let root = ok(&agent, "onedrive_list_files", json!({})).await;
    assert_eq!(root["folder"], "/");
    let got = names(&root["items"]);
    for want in ["Documents", "Pictures", "Expenses.csv"] {
        assert!(got.contains(&want), "{want} in {got:?}");
    }
    let docs = root["items"].as_array().unwrap().iter().find(|i| i["name"] == "Documents").unwrap();
    assert_eq!(docs["is_folder"], true);
    assert_eq!(docs["path"], "/Documents");
    let csv = root["items"].as_array().unwrap().iter().find(|i| i["name"] == "Expenses.csv").unwrap();
    assert_eq!(csv["is_folder"], false);
    assert_eq!(csv["mime_type"], "text/csv");
    assert!(csv["size"].as_i64().unwrap() > 0 && csv["last_modified"].is_string() && csv["id"].is_string());

    // a folder by path (with or without the leading slash), two at a time with a cursor
    let first = ok(&agent, "onedrive_list_files", json!({"folder_path": "Documents", "limit": 2})).await;
    assert_eq!(first["folder"], "/Documents");
    assert_eq!(first["items"].as_array().unwrap().len(), 2);
    let cursor = first["next_cursor"].as_str().expect("more than two items in /Documents").to_owned();
    let mut seen: Vec<String> = names(&first["items"]).into_iter().map(str::to_owned).collect();
    let mut cursor = Some(cursor);
    while let Some(c) = cursor {
        let next = ok(&agent, "onedrive_list_files", json!({"folder_path": "/Documents", "cursor": c})).await;
        seen.extend(names(&next["items"]).into_iter().map(str::to_owned));
        cursor = next["next_cursor"].as_str().map(str::to_owned);
    }
    for want in ["report.pdf", "Project Plan.docx", "notes.txt", "Archive"] {
        assert!(seen.iter().any(|s| s == want), "{want} in {seen:?}");
    }
    let archive = ok(&agent, "onedrive_list_files", json!({"folder_path": "/Documents/Archive"})).await;
    assert_eq!(names(&archive["items"]), ["old-notes.md"]);
    assert_eq!(archive["items"][0]["path"], "/Documents/Archive/old-notes.md");

    let e = err(&agent, "onedrive_list_files", json!({"folder_path": "/Nope"})).await;
    assert!(e.contains("Not found") && e.contains("onedrive_list_files"), "{e}");
    let e = err(&agent, "onedrive_list_files", json!({"folder_path": "/Documents/../.."})).await;
    assert!(e.contains("`..`"), "{e}");
    let e = err(&agent, "onedrive_list_files", json!({"limit": 0})).await;
    assert!(e.contains("limit"), "{e}");
    let e = err(&agent, "onedrive_list_files", json!({"folder": "/"})).await;
    assert!(e.contains("folder"), "unknown argument named: {e}");
    let e = err(&agent, "onedrive_list_files", json!({"cursor": "garbage!"})).await;
    assert!(e.contains("cursor"), "{e}");
}

#[tokio::test]
async fn onedrive_read_file_gives_text_or_details() {
    let (emu, agent) = start().await;
    let text = ok(&agent, "onedrive_read_file", json!({"path": "/Documents/notes.txt"})).await;
    let stored = emu.drive_file_content(demo::USER_UPN, "/Documents/notes.txt").unwrap();
    assert_eq!(text["is_text"], true);
    assert_eq!(text["content"].as_str().unwrap(), String::from_utf8_lossy(&stored).trim_start_matches('\u{feff}'));
    assert!(text.get("truncated").is_none(), "{text}");
    assert_eq!(text["name"], "notes.txt");
    assert_eq!(text["path"], "/Documents/notes.txt");

    // by id, a Markdown file (text by extension and MIME type)
    let md_id =
        emu.drive_item(demo::USER_UPN, "/Documents/Archive/old-notes.md").unwrap()["id"].as_str().unwrap().to_owned();
    let md = ok(&agent, "onedrive_read_file", json!({"id": md_id})).await;
    assert_eq!(md["is_text"], true);
    assert!(!md["content"].as_str().unwrap().is_empty());

    // a PDF: details only, with a note
    let pdf = ok(&agent, "onedrive_read_file", json!({"path": "/Documents/report.pdf"})).await;
    assert_eq!(pdf["is_text"], false);
    assert!(pdf.get("content").is_none());
    assert!(pdf["note"].as_str().unwrap().contains("not a text file"), "{pdf}");
    assert_eq!(pdf["mime_type"], "application/pdf");

    // a long text file is cut and says so; a large one is not read
    let long = "line of text\n".repeat(3000);
    emu.add_drive_file(demo::USER_UPN, "/Agent/long.log", long.as_bytes()).unwrap();
    let cut = ok(&agent, "onedrive_read_file", json!({"path": "/Agent/long.log"})).await;
    assert_eq!(cut["truncated"], true);
    assert_eq!(cut["content"].as_str().unwrap().chars().count(), 16_000);
    emu.add_drive_file(demo::USER_UPN, "/Agent/huge.txt", vec![b'a'; 300 * 1024]).unwrap();
    let huge = ok(&agent, "onedrive_read_file", json!({"path": "/Agent/huge.txt"})).await;
    assert_eq!(huge["is_text"], false);
    assert!(huge["note"].as_str().unwrap().contains("too large"), "{huge}");

    // bad input
    let e = err(&agent, "onedrive_read_file", json!({"id": md_id, "path": "/Documents/notes.txt"})).await;
    assert!(e.contains("not both"), "{e}");
    let e = err(&agent, "onedrive_read_file", json!({})).await;
    assert!(e.contains("`id` or its `path`"), "{e}");
    let e = err(&agent, "onedrive_read_file", json!({"path": "/Documents"})).await;
    assert!(e.contains("is a folder") && e.contains("onedrive_list_files"), "{e}");
    let e = err(&agent, "onedrive_read_file", json!({"path": "/Documents/missing.txt"})).await;
    assert!(e.contains("Not found") && e.contains("onedrive_search_files"), "{e}");
    let e = err(&agent, "onedrive_read_file", json!({"path": 7})).await;
    assert!(e.contains("`path`"), "{e}");
}

#[tokio::test]
async fn onedrive_search_files_by_query_and_type() {
    let (emu, agent) = start().await;
    let found = ok(&agent, "onedrive_search_files", json!({"query": "notes"})).await;
    let got = names(&found["items"]);
    assert!(got.contains(&"notes.txt") && got.contains(&"old-notes.md"), "{got:?}");
    let notes = found["items"].as_array().unwrap().iter().find(|i| i["name"] == "notes.txt").unwrap();
    assert_eq!(notes["path"], "/Documents/notes.txt");

    let md = ok(&agent, "onedrive_search_files", json!({"query": "notes", "file_type": ".md"})).await;
    assert_eq!(names(&md["items"]), ["old-notes.md"]);
    assert_eq!(md["items"][0]["path"], "/Documents/Archive/old-notes.md");

    emu.add_drive_file(demo::USER_UPN, "/Agent/a-report.txt", &b"quarterly"[..]).unwrap();
    emu.add_drive_file(demo::USER_UPN, "/Agent/b-report.txt", &b"quarterly"[..]).unwrap();
    let one = ok(&agent, "onedrive_search_files", json!({"query": "report", "limit": 1})).await;
    assert_eq!(one["items"].as_array().unwrap().len(), 1);
    let none = ok(&agent, "onedrive_search_files", json!({"query": "zzzz-nothing"})).await;
    assert_eq!(none["items"], json!([]));

    let e = err(&agent, "onedrive_search_files", json!({"query": "x", "file_type": "p d f"})).await;
    assert!(e.contains("file_type"), "{e}");
    let e = err(&agent, "onedrive_search_files", json!({"query": "  "})).await;
    assert!(e.contains("`query` must not be empty"), "{e}");
    let e = err(&agent, "onedrive_search_files", json!({"file_type": "pdf"})).await;
    assert!(e.contains("query"), "missing field named: {e}");
}

#[tokio::test]
async fn onedrive_download_file_writes_only_into_the_download_folder() {
    let (emu, agent) = start().await;

    // without a download folder: refused
    let e = err(&agent, "onedrive_download_file", json!({"path": "/Documents/report.pdf", "file_name": "r.pdf"})).await;
    assert!(e.contains("downloads are disabled"), "{e}");

    let dir = temp_dir("downloads");
    let agent = agent.clone().download_dir(&dir);
    let saved =
        ok(&agent, "onedrive_download_file", json!({"path": "/Documents/report.pdf", "file_name": "r.pdf"})).await;
    let stored = emu.drive_file_content(demo::USER_UPN, "/Documents/report.pdf").unwrap();
    assert_eq!(saved["size"], stored.len() as u64);
    assert_eq!(PathBuf::from(saved["saved_to"].as_str().unwrap()), dir.join("r.pdf"));
    assert_eq!(std::fs::read(dir.join("r.pdf")).unwrap(), stored);

    // by id, under the file's own name
    let id = emu.drive_item(demo::USER_UPN, "/Expenses.csv").unwrap()["id"].as_str().unwrap().to_owned();
    let saved = ok(&agent, "onedrive_download_file", json!({"id": id})).await;
    assert_eq!(saved["id"], id.as_str());
    assert_eq!(
        std::fs::read(dir.join("Expenses.csv")).unwrap(),
        emu.drive_file_content(demo::USER_UPN, "/Expenses.csv").unwrap()
    );

    // an existing local file is kept unless overwrite is asked for
    std::fs::write(dir.join("keep.txt"), b"mine").unwrap();
    let e =
        err(&agent, "onedrive_download_file", json!({"path": "/Documents/notes.txt", "file_name": "keep.txt"})).await;
    assert!(e.contains("already exists") && e.contains("overwrite"), "{e}");
    assert_eq!(std::fs::read(dir.join("keep.txt")).unwrap(), b"mine");
    ok(
        &agent,
        "onedrive_download_file",
        json!({"path": "/Documents/notes.txt", "file_name": "keep.txt", "overwrite": true}),
    )
    .await;
    assert_eq!(
        std::fs::read(dir.join("keep.txt")).unwrap(),
        emu.drive_file_content(demo::USER_UPN, "/Documents/notes.txt").unwrap()
    );

    // names that would leave the folder, and other bad input
    for bad in ["../escape.txt", "sub/x.txt", "..", "a\\b.txt", "/etc/passwd", "C:evil.txt", ""] {
        let e = err(&agent, "onedrive_download_file", json!({"path": "/Documents/notes.txt", "file_name": bad})).await;
        assert!(e.contains("`file_name`"), "{bad:?}: {e}");
    }
    assert!(!dir.parent().unwrap().join("escape.txt").exists());
    let e = err(&agent, "onedrive_download_file", json!({"id": id, "path": "/Expenses.csv"})).await;
    assert!(e.contains("not both"), "{e}");
    let e = err(&agent, "onedrive_download_file", json!({"path": "/Pictures"})).await;
    assert!(e.contains("is a folder"), "{e}");
    let e = err(&agent, "onedrive_download_file", json!({"path": "/Documents/none.pdf"})).await;
    assert!(e.contains("Not found"), "{e}");

    let mut left: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["Expenses.csv", "keep.txt", "r.pdf"], "no partial files are left");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn onenote_notebooks_sections_and_pages() {
    let (emu, agent) = start().await;
    let nbs = ok(&agent, "onenote_list_notebooks", json!({})).await;
    let notebooks = nbs["notebooks"].as_array().unwrap();
    assert_eq!(notebooks.len(), 2);
    let main = notebooks.iter().find(|n| n["name"] == "Adele's Notebook").expect("the default notebook");
    assert_eq!(main["is_default"], true);
    let main_id = main["id"].as_str().unwrap();
    let one = ok(&agent, "onenote_list_notebooks", json!({"limit": 1})).await;
    assert_eq!(one["notebooks"].as_array().unwrap().len(), 1);
    assert!(one["next_cursor"].is_string());
    let rest = ok(&agent, "onenote_list_notebooks", json!({"cursor": one["next_cursor"]})).await;
    assert_eq!(rest["notebooks"].as_array().unwrap().len(), 1);
    assert_ne!(rest["notebooks"][0]["id"], one["notebooks"][0]["id"]);

    let all = ok(&agent, "onenote_list_sections", json!({"limit": 50})).await;
    assert_eq!(all["sections"].as_array().unwrap().len(), emu.onenote_sections(demo::USER_UPN).unwrap().len());
    let in_main = ok(&agent, "onenote_list_sections", json!({"notebook_id": main_id})).await;
    let got = names(&in_main["sections"]);
    for want in ["Quick Notes", "Meetings", "Projects"] {
        assert!(got.contains(&want), "{want} in {got:?}");
    }
    assert!(in_main["sections"].as_array().unwrap().iter().all(|s| s["notebook"] == "Adele's Notebook"), "{in_main}");
    let e = err(&agent, "onenote_list_sections", json!({"notebook_id": "no-such-notebook"})).await;
    assert!(e.contains("onenote_list_notebooks"), "{e}");

    let meetings = section_id(&emu, "Meetings");
    let pages = ok(&agent, "onenote_list_pages", json!({"section_id": meetings, "limit": 2})).await;
    assert_eq!(pages["pages"].as_array().unwrap().len(), 2);
    assert!(pages["pages"].as_array().unwrap().iter().all(|p| p["section"] == "Meetings"));
    let more = ok(&agent, "onenote_list_pages", json!({"section_id": meetings, "cursor": pages["next_cursor"]})).await;
    let mut titles: Vec<&str> = pages["pages"]
        .as_array()
        .unwrap()
        .iter()
        .chain(more["pages"].as_array().unwrap())
        .filter_map(|p| p["title"].as_str())
        .collect();
    titles.sort_unstable();
    assert_eq!(titles, ["1:1 with Megan", "Budget review with Finance", "Weekly team sync"]);
    let every = ok(&agent, "onenote_list_pages", json!({"limit": 50})).await;
    assert_eq!(every["pages"].as_array().unwrap().len(), emu.onenote_pages(demo::USER_UPN).unwrap().len());
    let e = err(&agent, "onenote_list_pages", json!({"section_id": "0-nope"})).await;
    assert!(e.contains("onenote_list_sections"), "{e}");
    let e = err(&agent, "onenote_list_pages", json!({"limit": 51})).await;
    assert!(e.contains("at most 50"), "{e}");

    // a page's text, two ways
    let sync = pages["pages"]
        .as_array()
        .unwrap()
        .iter()
        .chain(more["pages"].as_array().unwrap())
        .find(|p| p["title"] == "Weekly team sync")
        .unwrap();
    let id = sync["id"].as_str().unwrap();
    let page = ok(&agent, "onenote_get_page", json!({"page_id": id})).await;
    assert_eq!(page["title"], "Weekly team sync");
    assert_eq!(page["section_id"], meetings.as_str());
    assert!(page["text"].as_str().unwrap().contains("Launch is on track"), "{page}");
    let text = ok(&agent, "onenote_extract_page_text", json!({"page_id": id})).await;
    assert!(text["text"].as_str().unwrap().contains("[ ] Alex: send the launch checklist"), "{text}");
    assert!(text["text"].as_str().unwrap().contains("[x] Megan: book the demo room"), "{text}");
    let e = err(&agent, "onenote_get_page", json!({"page_id": "1-missing!1-missing"})).await;
    assert!(e.contains("Not found") && e.contains("onenote_list_pages"), "{e}");
    let e = err(&agent, "onenote_extract_page_text", json!({})).await;
    assert!(e.contains("page_id"), "{e}");
}

#[tokio::test]
async fn onenote_create_update_copy_delete() {
    let (emu, agent) = start().await;
    let quick = section_id(&emu, "Quick Notes");
    let projects = section_id(&emu, "Projects");

    // from XHTML
    let page = ok(
        &agent,
        "onenote_create_page",
        json!({"section_id": quick, "title": "Groceries", "html": "<p>Milk</p><ul><li>Eggs</li></ul>"}),
    )
    .await;
    let id = page["id"].as_str().unwrap().to_owned();
    assert_eq!(page["title"], "Groceries");
    let stored = stored_page(&emu, &id).expect("stored");
    assert_eq!(stored["sectionId"], quick.as_str());
    assert!(emu.onenote_page_html(demo::USER_UPN, &id, false).unwrap().contains("Eggs"));
    let e = err(&agent, "onenote_create_page", json!({"section_id": quick, "title": "Bad", "html": "<p>open"})).await;
    assert!(e.contains("Invalid input"), "{e}");
    let e = err(&agent, "onenote_create_page", json!({"section_id": quick, "html": "<p>x</p>"})).await;
    assert!(e.contains("title"), "{e}");
    let e = err(&agent, "onenote_create_page", json!({"section_id": "0-nope", "title": "T", "html": "<p>x</p>"})).await;
    assert!(e.contains("onenote_list_sections"), "{e}");

    // append, then read back
    let up = ok(&agent, "onenote_update_page", json!({"page_id": id, "html": "<p>Follow-up: bread</p>"})).await;
    assert_eq!(up, json!({"updated": true, "id": id}));
    let text = ok(&agent, "onenote_extract_page_text", json!({"page_id": id})).await;
    assert!(text["text"].as_str().unwrap().ends_with("Follow-up: bread"), "{text}");
    let e = err(&agent, "onenote_update_page", json!({"page_id": id, "html": ""})).await;
    assert!(e.contains("`html` must not be empty"), "{e}");
    let e = err(&agent, "onenote_update_page", json!({"page_id": "1-missing!1-x", "html": "<p>x</p>"})).await;
    assert!(e.contains("Not found"), "{e}");

    // copy to another section, waited for
    let copy = ok(&agent, "onenote_copy_page", json!({"page_id": id, "section_id": projects})).await;
    let copy_id = copy["id"].as_str().unwrap().to_owned();
    assert_ne!(copy_id, id);
    assert_eq!(copy["title"], "Groceries");
    assert_eq!(stored_page(&emu, &copy_id).expect("the copy is stored")["sectionId"], projects.as_str());
    let e = err(&agent, "onenote_copy_page", json!({"page_id": id})).await;
    assert!(e.contains("section_id"), "{e}");

    // delete
    let del = ok(&agent, "onenote_delete_page", json!({"page_id": id})).await;
    assert_eq!(del, json!({"deleted": true, "id": id}));
    assert!(stored_page(&emu, &id).is_none());
    assert!(stored_page(&emu, &copy_id).is_some(), "the copy stays");
    let e = err(&agent, "onenote_delete_page", json!({"page_id": id})).await;
    assert!(e.contains("Not found"), "{e}");
}

#[tokio::test]
async fn onenote_pages_from_markdown_and_templates() {
    let (emu, agent) = start().await;
    let quick = section_id(&emu, "Quick Notes");
    let before = emu.onenote_pages(demo::USER_UPN).unwrap().len();

    let md = "# Plan\n\n- [ ] Book room\n- [x] Agenda\n\n| A | B |\n| --- | --- |\n| 1 | 2 |\n\n![logo](https://example.com/logo.png)";
    let page =
        ok(&agent, "onenote_create_page_from_markdown", json!({"section_id": quick, "title": "Plan", "markdown": md}))
            .await;
    let id = page["id"].as_str().unwrap();
    let html = emu.onenote_page_html(demo::USER_UPN, id, false).unwrap();
    assert!(html.contains(r#"data-tag="to-do""#) && html.contains(r#"data-tag="to-do:completed""#), "{html}");
    assert!(html.contains("https://example.com/logo.png"), "{html}");

    // a local image is never read from disk
    let e = err(
        &agent,
        "onenote_create_page_from_markdown",
        json!({"section_id": quick, "title": "Secrets", "markdown": "# Hi\n\n![x](/etc/passwd)\n![y](chart.png)"}),
    )
    .await;
    assert!(e.contains("only https image URLs") && e.contains("/etc/passwd") && e.contains("chart.png"), "{e}");
    assert_eq!(emu.onenote_pages(demo::USER_UPN).unwrap().len(), before + 1, "nothing created");

    // a template
    let vars = json!({
        "date": "2026-03-02", "attendees": "Ada, Grace", "agenda": "Budget\nHiring",
        "notes": "Budget <approved>", "action_items": "Send minutes\nBook room"
    });
    let page = ok(
        &agent,
        "onenote_create_page_from_template",
        json!({"section_id": quick, "template": "meeting_notes", "title": "Weekly sync", "variables": vars}),
    )
    .await;
    assert_eq!(page["title"], "Weekly sync");
    let text = ok(&agent, "onenote_extract_page_text", json!({"page_id": page["id"]})).await;
    let text = text["text"].as_str().unwrap();
    assert!(
        text.contains("Budget <approved>") && text.contains("[ ] Send minutes") && text.contains("Hiring"),
        "{text}"
    );
    let e = err(
        &agent,
        "onenote_create_page_from_template",
        json!({"section_id": quick, "template": "meeting_notes", "title": "T", "variables": {"date": "x"}}),
    )
    .await;
    assert!(e.contains("attendees, agenda, notes, action_items"), "{e}");
    let e = err(
        &agent,
        "onenote_create_page_from_template",
        json!({"section_id": quick, "template": "todo", "title": "T", "variables": {"high": "a", "medium": "", "low": "", "urgent": "x"}}),
    )
    .await;
    assert!(e.contains("urgent") && e.contains("high, medium, low"), "{e}");
    let e = err(
        &agent,
        "onenote_create_page_from_template",
        json!({"section_id": quick, "template": "weekly", "title": "T"}),
    )
    .await;
    assert!(e.contains("`template`") && e.contains("meeting_notes"), "{e}");
    assert_eq!(emu.onenote_pages(demo::USER_UPN).unwrap().len(), before + 2);
}

#[tokio::test]
async fn onenote_search_by_title_and_text() {
    let (emu, agent) = start().await;
    let found = ok(&agent, "onenote_search", json!({"query": "launch"})).await;
    let titles: Vec<&str> = found["pages"].as_array().unwrap().iter().filter_map(|p| p["title"].as_str()).collect();
    assert!(titles.contains(&"Mark 8 launch plan"), "{found}");
    let by_text = ok(&agent, "onenote_search", json!({"query": "regulatory"})).await;
    assert_eq!(by_text["searched"], "title_and_recent_content");
    assert_eq!(by_text["pages"][0]["title"], "Mark 8 launch plan");
    assert_eq!(by_text["pages"][0]["matched"], "content");

    let meetings = section_id(&emu, "Meetings");
    let in_meetings =
        ok(&agent, "onenote_search", json!({"query": "launch", "section_id": meetings, "limit": 5})).await;
    assert!(
        in_meetings["pages"].as_array().unwrap().iter().all(|p| p["section_id"] == meetings.as_str()),
        "{in_meetings}"
    );
    let none = ok(&agent, "onenote_search", json!({"query": "zzzz-nothing"})).await;
    assert_eq!(none["pages"], json!([]));
    let e = err(&agent, "onenote_search", json!({"query": ""})).await;
    assert!(e.contains("`query` must not be empty"), "{e}");
}
