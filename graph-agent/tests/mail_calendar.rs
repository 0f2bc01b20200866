//! The mail_* and calendar_* tools through `Agent::call`, against the
//! in-process emulator: arguments in, the emulator's state checked, the
//! result's keys checked against each tool's declared output schema.
//! The demo anchor is Wednesday 2024-03-13 00:00 UTC.

mod common;

use std::collections::HashSet;

use chrono::NaiveDateTime;
use msgraph_agent::{Access, Agent, Catalogue, Service};
use msgraph_emulator::{Emulator, demo};
use serde_json::{Value, json};

const USER: &str = demo::USER_UPN;

struct T {
    emu: Emulator,
    agent: Agent,
}

async fn start() -> T {
    let (emu, agent) = common::start().await;
    T { emu, agent }
}

impl T {
    /// Calls a tool, expects success, checks the result against the tool's output schema.
    async fn ok(&self, tool: &str, args: Value) -> Value {
        common::ok(&self.agent, tool, args).await
    }

    /// Calls a tool, expects a tool error, returns its message.
    async fn err(&self, tool: &str, args: Value) -> String {
        common::err(&self.agent, tool, args).await
    }

    fn folder(&self, folder: &str) -> Vec<Value> {
        self.emu.messages(USER, folder).expect("folder")
    }

    fn ids_in(&self, folder: &str) -> Vec<String> {
        self.folder(folder).iter().map(|m| s(m, "id")).collect()
    }

    /// The seeded inbox message with this subject and sender name.
    fn seeded(&self, subject: &str, from: &str) -> Value {
        self.folder("inbox")
            .into_iter()
            .find(|m| m["subject"] == subject && m["from"]["emailAddress"]["name"] == from)
            .unwrap_or_else(|| panic!("seeded message {subject:?} from {from}"))
    }

    fn held_event(&self, user: &str, subject: &str) -> Option<Value> {
        self.emu.events(user).expect("events").into_iter().find(|e| e["subject"] == subject)
    }
}

fn s(v: &Value, key: &str) -> String {
    v[key].as_str().unwrap_or_else(|| panic!("{key} in {v}")).to_owned()
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array().expect("a list").iter().map(|m| s(m, "id")).collect()
}

fn has_keys(v: &Value, keys: &[&str]) {
    for k in keys {
        assert!(v.get(k).is_some(), "`{k}` in {v}");
    }
}

fn local(v: &Value, key: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(&s(v, key), "%Y-%m-%dT%H:%M:%S").unwrap_or_else(|e| panic!("{key} in {v}: {e}"))
}

// ---------------------------------------------------------------- catalogue

#[test]
fn the_tools_are_registered_in_order_with_their_access() {
    let expected = [
        ("mail_read_emails", Service::Mail, Access::Read),
        ("mail_search_emails", Service::Mail, Access::Read),
        ("mail_get_email", Service::Mail, Access::Read),
        ("mail_create_draft", Service::Mail, Access::Write),
        ("mail_send_email", Service::Mail, Access::Write),
        ("mail_reply", Service::Mail, Access::Write),
        ("mail_move_email", Service::Mail, Access::Write),
        ("mail_list_folders", Service::Mail, Access::Read),
        ("calendar_get_events", Service::Calendar, Access::Read),
        ("calendar_create_event", Service::Calendar, Access::Write),
        ("calendar_update_event", Service::Calendar, Access::Write),
        ("calendar_delete_event", Service::Calendar, Access::Destructive),
    ];
    let tools: Vec<_> = Catalogue::all().services(&[Service::Mail, Service::Calendar]).tools().collect();
    let got: Vec<_> = tools.iter().map(|t| (t.name, t.service, t.access)).collect();
    assert_eq!(got, expected);
    for t in tools {
        assert!(t.description.len() > 80, "{}: a description a model can use", t.name);
        assert_eq!(t.input_schema["type"], "object", "{}", t.name);
        assert_eq!(t.input_schema["additionalProperties"], false, "{}: unknown fields are refused", t.name);
        let props = t.input_schema["properties"].as_object().expect("properties");
        for (k, p) in props {
            assert!(p.get("description").is_some(), "{}.{k} has a description", t.name);
        }
        assert!(t.output_schema["properties"].is_object(), "{}: an object result", t.name);
    }
    // The key check below reaches into list items.
    let read = Catalogue::all().get("mail_read_emails").unwrap();
    let item = &read.output_schema["properties"]["messages"]["items"];
    assert!(item["properties"]["preview"].is_object(), "{item}");
    assert!(item["required"].as_array().unwrap().contains(&json!("id")), "{item}");
    let events = Catalogue::all().get("calendar_get_events").unwrap();
    assert!(events.output_schema["properties"]["events"]["items"]["properties"]["join_url"].is_object());
}

// ---------------------------------------------------------------- mail

#[tokio::test]
async fn read_emails_pages_with_a_cursor_newest_first_without_duplicates() {
    let t = start().await;
    let expected = t.ids_in("inbox");
    assert!(expected.len() > 6);

    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..100 {
        let mut args = json!({ "limit": 2 });
        if let Some(c) = &cursor {
            args["cursor"] = json!(c);
        }
        let page = t.ok("mail_read_emails", args).await;
        let msgs = page["messages"].as_array().unwrap();
        assert!(msgs.len() <= 2);
        for m in msgs {
            has_keys(m, &["id", "subject", "from", "received", "is_read", "has_attachments"]);
        }
        seen.extend(ids(&page["messages"]));
        match page.get("next_cursor").and_then(Value::as_str) {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen.len(), seen.iter().collect::<HashSet<_>>().len(), "no duplicates");
    assert_eq!(seen, expected, "every inbox message once, newest first");

    // A cursor of another tool is refused with a way out.
    let page = t.ok("mail_read_emails", json!({ "limit": 2 })).await;
    let c = s(&page, "next_cursor");
    let e = t.err("mail_list_folders", json!({ "cursor": c })).await;
    assert!(e.contains("belongs to `mail_read_emails`"), "{e}");
}

#[tokio::test]
async fn read_emails_with_a_filter_and_another_folder() {
    let t = start().await;
    let unread: HashSet<String> =
        t.folder("inbox").iter().filter(|m| m["isRead"] == false).map(|m| s(m, "id")).collect();
    let page = t.ok("mail_read_emails", json!({ "folder": "Inbox", "filter": "isRead eq false", "limit": 50 })).await;
    let got: HashSet<String> = ids(&page["messages"]).into_iter().collect();
    assert_eq!(got, unread);
    assert!(page["messages"].as_array().unwrap().iter().all(|m| m["is_read"] == false));
    let received: Vec<String> = page["messages"].as_array().unwrap().iter().map(|m| s(m, "received")).collect();
    assert!(received.windows(2).all(|w| w[0] >= w[1]), "newest first: {received:?}");

    let sent = t.ok("mail_read_emails", json!({ "folder": "sent items", "limit": 50 })).await;
    assert_eq!(ids(&sent["messages"]), t.ids_in("sentitems"));

    // Bad arguments: unknown field, limit out of range, an unknown folder.
    let e = t.err("mail_read_emails", json!({ "folder": "inbox", "unread_only": true })).await;
    assert!(e.contains("unread_only") && e.contains("unknown field"), "{e}");
    let e = t.err("mail_read_emails", json!({ "limit": 500 })).await;
    assert!(e.contains("`limit` must be at most 50"), "{e}");
    let e = t.err("mail_read_emails", json!({ "folder": "AAMkNoSuchFolder" })).await;
    assert!(e.contains("mail_list_folders"), "{e}");
}

#[tokio::test]
async fn search_emails_by_words_and_sender() {
    let t = start().await;
    let hits = t.ok("mail_search_emails", json!({ "query": "budget" })).await;
    let subjects: Vec<String> = hits["messages"].as_array().unwrap().iter().map(|m| s(m, "subject")).collect();
    assert!(subjects.iter().any(|s| s == "Q3 budget review"), "{subjects:?}");

    let from = t.ok("mail_search_emails", json!({ "query": "from:pradeep", "limit": 50 })).await;
    let from = from["messages"].as_array().unwrap();
    assert_eq!(from.len(), 3);
    assert!(from.iter().all(|m| s(m, "from").contains("pradeep.gupta@fabrikam.com")), "{from:?}");

    let tacos = t.ok("mail_search_emails", json!({ "query": "tacos", "folder": "inbox" })).await;
    assert_eq!(tacos["messages"][0]["subject"], "Lunch on Friday?");
    let quoted = t.ok("mail_search_emails", json!({ "query": "\"tacos\"" })).await;
    assert_eq!(ids(&quoted["messages"]), ids(&tacos["messages"]), "a quoted query is not quoted twice");

    // Paging through search results.
    let first = t.ok("mail_search_emails", json!({ "query": "from:pradeep", "limit": 2 })).await;
    let c = s(&first, "next_cursor");
    let rest = t.ok("mail_search_emails", json!({ "query": "from:pradeep", "cursor": c })).await;
    let all: HashSet<String> = ids(&first["messages"]).into_iter().chain(ids(&rest["messages"])).collect();
    assert_eq!(all.len(), 3);

    let e = t.err("mail_search_emails", json!({ "limit": 5 })).await;
    assert!(e.contains("missing field `query`"), "{e}");
    let e = t.err("mail_search_emails", json!({ "query": "  " })).await;
    assert!(e.contains("`query` must not be empty"), "{e}");
}

#[tokio::test]
async fn get_email_as_text_with_attachments_and_a_cut_body() {
    let t = start().await;
    let seeded = t.seeded("Q3 budget review", "Isaiah Langer");
    let m = t.ok("mail_get_email", json!({ "id": s(&seeded, "id") })).await;
    has_keys(&m, &["id", "subject", "from", "to", "received", "body", "body_truncated", "conversation_id"]);
    assert_eq!(m["subject"], "Q3 budget review");
    assert_eq!(m["conversation_id"], seeded["conversationId"]);
    let body = s(&m, "body");
    assert!(body.contains("Q3 budget attached") && !body.contains('<'), "plain text: {body}");
    assert_eq!(m["body_truncated"], false);
    assert_eq!(m["attachments"][0]["name"], "Q3-budget.xlsx");
    assert!(!m["to"].as_array().unwrap().is_empty());

    // A long body is cut and says so.
    let long = "All work and no play. ".repeat(400);
    let id = t
        .emu
        .add_message(
            USER,
            "inbox",
            json!({
                "subject": "Long read",
                "body": {"contentType": "text", "content": long},
                "from": {"emailAddress": {"name": "Ada", "address": "ada@fabrikam.com"}},
                "toRecipients": [{"emailAddress": {"address": USER}}],
            }),
        )
        .unwrap();
    let m = t.ok("mail_get_email", json!({ "id": id })).await;
    assert_eq!(m["body_truncated"], true);
    assert!(s(&m, "body").chars().count() <= 4001);
    assert_eq!(m["from"], "Ada <ada@fabrikam.com>");
    assert!(m.get("attachments").is_none());

    let e = t.err("mail_get_email", json!({ "id": "AAMkNoSuchMessage" })).await;
    assert!(e.contains("mail_read_emails"), "a hint naming the tool to call first: {e}");
    let e = t.err("mail_get_email", json!({})).await;
    assert!(e.contains("missing field `id`"), "{e}");
}

#[tokio::test]
async fn create_draft_lands_in_drafts_and_bad_addresses_are_refused_before_sending() {
    let t = start().await;
    let d = t
        .ok(
            "mail_create_draft",
            json!({
                "to": ["Megan Bowen <MeganB@contoso.com>"], "cc": ["ops@fabrikam.com"],
                "subject": "Plan", "body": "<p>Draft <b>one</b></p>", "body_type": "html",
            }),
        )
        .await;
    has_keys(&d, &["id", "subject", "to", "is_draft"]);
    assert_eq!(d["is_draft"], true);
    let id = s(&d, "id");
    assert!(t.ids_in("drafts").contains(&id));
    let held = t.emu.message(USER, &id).unwrap();
    assert_eq!(held["subject"], "Plan");
    assert_eq!(held["body"]["contentType"], "html");
    assert_eq!(held["toRecipients"][0]["emailAddress"]["address"], "MeganB@contoso.com");
    assert_eq!(held["toRecipients"][0]["emailAddress"]["name"], "Megan Bowen");
    assert_eq!(held["ccRecipients"][0]["emailAddress"]["address"], "ops@fabrikam.com");

    t.emu.clear_requests();
    let e = t.err("mail_create_draft", json!({ "to": ["ada@contoso.com", "bob"], "subject": "x" })).await;
    assert!(e.contains("`to[1]`") && e.contains("\"bob\""), "{e}");
    let e = t.err("mail_create_draft", json!({ "bcc": ["has space@x.com"], "subject": "x" })).await;
    assert!(e.contains("`bcc[0]`"), "{e}");
    let e = t.err("mail_create_draft", json!({ "to": ["a@b.com"], "subject": "x", "body_type": "markdown" })).await;
    assert!(e.contains("body_type") && e.contains("text") && e.contains("html"), "{e}");
    assert!(t.emu.requests().is_empty(), "nothing sent for bad arguments");
}

#[tokio::test]
async fn send_email_reaches_the_recipient_and_sent_items() {
    let t = start().await;
    let sent_before = t.folder("sentitems").len();
    let megan_before = t.emu.messages(demo::THIRD_USER_UPN, "inbox").unwrap().len();
    let r = t
        .ok(
            "mail_send_email",
            json!({ "to": [demo::THIRD_USER_UPN], "subject": "Meet for lunch?", "body": "The new cafeteria is open." }),
        )
        .await;
    assert_eq!(r, json!({ "sent": true, "recipients": 1, "saved_to_sent_items": true }));
    let sent = t.folder("sentitems");
    assert_eq!(sent.len(), sent_before + 1);
    assert_eq!(sent[0]["subject"], "Meet for lunch?");
    let megan = t.emu.messages(demo::THIRD_USER_UPN, "inbox").unwrap();
    assert_eq!(megan.len(), megan_before + 1);
    assert_eq!(megan[0]["body"]["content"], "The new cafeteria is open.");

    let r = t
        .ok(
            "mail_send_email",
            json!({ "bcc": ["someone@fabrikam.com"], "subject": "No copy", "body": "x", "save_to_sent_items": false }),
        )
        .await;
    assert_eq!(r["saved_to_sent_items"], false);
    assert_eq!(t.folder("sentitems").len(), sent_before + 1);

    t.emu.clear_requests();
    let e = t.err("mail_send_email", json!({ "subject": "To nobody", "body": "x" })).await;
    assert!(e.contains("at least one address"), "{e}");
    let e = t.err("mail_send_email", json!({ "to": ["x@y.com"], "body": "x" })).await;
    assert!(e.contains("missing field `subject`"), "{e}");
    let e = t.err("mail_send_email", json!({ "to": ["nope"], "subject": "s", "body": "x" })).await;
    assert!(e.contains("`to[0]`"), "{e}");
    assert!(t.emu.requests().is_empty(), "nothing sent for bad arguments");
}

#[tokio::test]
async fn reply_and_reply_all() {
    let t = start().await;
    let orig = t.seeded("RE: Contoso launch plan", "Megan Bowen");
    let oid = s(&orig, "id");
    let megan_before = t.emu.messages(demo::THIRD_USER_UPN, "inbox").unwrap().len();
    let alex_before = t.emu.messages(demo::SECOND_USER_UPN, "inbox").unwrap().len();

    let r = t.ok("mail_reply", json!({ "id": oid, "comment": "On it." })).await;
    assert_eq!(r, json!({ "sent": true, "id": oid, "reply_all": false }));
    let megan = t.emu.messages(demo::THIRD_USER_UPN, "inbox").unwrap();
    assert_eq!(megan.len(), megan_before + 1);
    assert_eq!(megan[0]["conversationId"], orig["conversationId"]);
    assert!(megan[0]["body"]["content"].as_str().unwrap().contains("On it."));
    assert_eq!(t.emu.messages(demo::SECOND_USER_UPN, "inbox").unwrap().len(), alex_before, "the sender only");

    let r = t.ok("mail_reply", json!({ "id": oid, "comment": "Thanks both!", "reply_all": true })).await;
    assert_eq!(r["reply_all"], true);
    assert_eq!(t.emu.messages(demo::THIRD_USER_UPN, "inbox").unwrap().len(), megan_before + 2);
    let alex = t.emu.messages(demo::SECOND_USER_UPN, "inbox").unwrap();
    assert_eq!(alex.len(), alex_before + 1);
    assert!(alex[0]["body"]["content"].as_str().unwrap().contains("Thanks both!"));

    let e = t.err("mail_reply", json!({ "id": oid, "comment": " " })).await;
    assert!(e.contains("`comment` must not be empty"), "{e}");
    let e = t.err("mail_reply", json!({ "id": oid, "comment": "x", "reply_all": "yes" })).await;
    assert!(e.contains("reply_all"), "{e}");
    let e = t.err("mail_reply", json!({ "id": "AAMkNoSuchMessage", "comment": "x" })).await;
    assert!(e.contains("mail_read_emails"), "{e}");
}

#[tokio::test]
async fn move_email_returns_the_new_id() {
    let t = start().await;
    let mid = t.ids_in("inbox")[0].clone();
    let r = t.ok("mail_move_email", json!({ "id": mid, "destination": "archive" })).await;
    has_keys(&r, &["id", "previous_id", "folder_id", "subject"]);
    assert_eq!(r["previous_id"], mid.as_str());
    let new_id = s(&r, "id");
    assert!(!t.ids_in("inbox").contains(&mid));
    assert!(t.ids_in("archive").contains(&new_id));
    let archive = t.emu.folders(USER).unwrap().into_iter().find(|f| f["wellKnownName"] == "archive").unwrap();
    assert_eq!(r["folder_id"], archive["id"]);

    // Back by folder id, with the new message id.
    let inbox = t.emu.folders(USER).unwrap().into_iter().find(|f| f["wellKnownName"] == "inbox").unwrap();
    let back = t.ok("mail_move_email", json!({ "id": new_id, "destination": s(&inbox, "id") })).await;
    assert!(t.ids_in("inbox").contains(&s(&back, "id")));

    let e = t.err("mail_move_email", json!({ "id": mid })).await;
    assert!(e.contains("missing field `destination`"), "{e}");
    let e = t.err("mail_move_email", json!({ "id": s(&back, "id"), "destination": "AAMkNoSuchFolder" })).await;
    assert!(e.contains("mail_list_folders"), "{e}");
}

#[tokio::test]
async fn list_folders_with_counts_children_and_paging() {
    let t = start().await;
    let all = t.ok("mail_list_folders", json!({ "limit": 50 })).await;
    let folders = all["folders"].as_array().unwrap();
    let inbox = folders.iter().find(|f| f["display_name"] == "Inbox").expect("Inbox listed");
    has_keys(inbox, &["id", "display_name", "unread_count", "total_count", "child_folder_count"]);
    let held = t.folder("inbox");
    assert_eq!(inbox["total_count"], held.len());
    assert_eq!(inbox["unread_count"], held.iter().filter(|m| m["isRead"] == false).count());
    assert_eq!(inbox["child_folder_count"], 2);

    let children = t.ok("mail_list_folders", json!({ "parent_folder": "inbox" })).await;
    assert_eq!(children["folders"].as_array().unwrap().len(), 2);

    // Two at a time: the same folders, once each.
    let mut seen = Vec::new();
    let mut args = json!({ "limit": 2 });
    for _ in 0..50 {
        let page = t.ok("mail_list_folders", args.clone()).await;
        seen.extend(ids(&page["folders"]));
        match page.get("next_cursor").and_then(Value::as_str) {
            Some(c) => args = json!({ "limit": 2, "cursor": c }),
            None => break,
        }
    }
    assert_eq!(seen, ids(&all["folders"]));

    let e = t.err("mail_list_folders", json!({ "limit": 0 })).await;
    assert!(e.contains("`limit` must be at least 1"), "{e}");
}

// ---------------------------------------------------------------- calendar

#[tokio::test]
async fn get_events_in_a_zone_with_dates_paging_and_bad_windows() {
    let t = start().await;
    let week = json!({
        "start": "2024-03-11T00:00:00", "end": "2024-03-18T00:00:00",
        "time_zone": "America/Los_Angeles", "limit": 50,
    });
    let page = t.ok("calendar_get_events", week).await;
    let events = page["events"].as_array().unwrap();
    assert_eq!(events.len(), 17, "singles and expanded occurrences of the week");
    assert_eq!(page["time_zone"], "America/Los_Angeles");
    for e in events {
        has_keys(e, &["id", "subject", "start", "end", "time_zone", "is_online_meeting", "attendees"]);
        assert!(local(e, "end") > local(e, "start"));
    }
    let starts: Vec<NaiveDateTime> = events.iter().map(|e| local(e, "start")).collect();
    assert!(starts.windows(2).all(|w| w[0] <= w[1]), "by start");
    let standups: Vec<&Value> = events.iter().filter(|e| e["subject"] == "Daily standup").collect();
    assert_eq!(standups.len(), 5);
    assert!(standups.iter().all(|e| s(e, "start").ends_with("T09:00:00")), "09:00 Pacific: {standups:?}");
    assert!(events.iter().any(|e| e["join_url"].as_str().is_some_and(|u| u.starts_with("https://teams"))));

    // The same week given as dates, 5 at a time, by cursor.
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..20 {
        let mut args =
            json!({ "start": "2024-03-11", "end": "2024-03-17", "time_zone": "America/Los_Angeles", "limit": 5 });
        if let Some(c) = &cursor {
            args["cursor"] = json!(c);
        }
        let page = t.ok("calendar_get_events", args).await;
        seen.extend(ids(&page["events"]));
        match page.get("next_cursor").and_then(Value::as_str) {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 17, "a date as end is the end of that day");
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 17, "no duplicates");

    let ny = t
        .ok(
            "calendar_get_events",
            json!({ "start": "2024-03-12", "end": "2024-03-12", "time_zone": "Eastern Standard Time" }),
        )
        .await;
    let standup = ny["events"].as_array().unwrap().iter().find(|e| e["subject"] == "Daily standup").unwrap();
    assert!(s(standup, "start").ends_with("T12:00:00"), "09:00 Pacific is 12:00 Eastern: {standup}");

    let e = t.err("calendar_get_events", json!({ "start": "tomorrow", "end": "2024-03-12" })).await;
    assert!(e.contains("`start`") && e.contains("YYYY-MM-DD"), "{e}");
    let e = t.err("calendar_get_events", json!({ "start": "2024-03-12T10:00:00Z", "end": "2024-03-12" })).await;
    assert!(e.contains("without offset"), "{e}");
    let e = t.err("calendar_get_events", json!({ "start": "2024-03-12T10:00:00", "end": "2024-03-12T09:00:00" })).await;
    assert!(e.contains("`end`") && e.contains("after `start`"), "{e}");
    let e = t
        .err("calendar_get_events", json!({ "start": "2024-03-12", "end": "2024-03-13", "time_zone": "Mars/Olympus" }))
        .await;
    assert!(e.contains("`time_zone`") && e.contains("Mars/Olympus"), "{e}");
    let e = t.err("calendar_get_events", json!({ "start": "2024-03-12" })).await;
    assert!(e.contains("missing field `end`"), "{e}");
}

#[tokio::test]
async fn create_event_with_attendees_and_teams() {
    let t = start().await;
    let e = t
        .ok(
            "calendar_create_event",
            json!({
                "subject": "Design sync", "start": "2024-03-14T14:00:00", "end": "2024-03-14T15:00:00",
                "time_zone": "Pacific Standard Time", "location": "Room 1", "body": "Let's talk shelves.",
                "attendees": [demo::SECOND_USER_UPN], "online_meeting": true,
            }),
        )
        .await;
    has_keys(&e, &["id", "subject", "start", "end", "time_zone", "location", "organizer", "join_url", "attendees"]);
    assert_eq!(e["start"], "2024-03-14T14:00:00");
    assert_eq!(e["end"], "2024-03-14T15:00:00");
    assert_eq!(e["time_zone"], "Pacific Standard Time");
    assert_eq!(e["location"], "Room 1");
    assert_eq!(e["attendees"], 1);
    assert_eq!(e["is_online_meeting"], true);
    let join = s(&e, "join_url");
    assert!(join.starts_with("https://teams.microsoft.com/"), "{join}");

    let held = t.held_event(USER, "Design sync").expect("held");
    assert_eq!(held["id"], e["id"]);
    assert_eq!(held["start"]["dateTime"].as_str().unwrap().get(..19), Some("2024-03-14T21:00:00"), "UTC in the store");
    assert_eq!(held["location"]["displayName"], "Room 1");
    assert_eq!(held["body"]["content"], "Let's talk shelves.");
    assert!(t.held_event(demo::SECOND_USER_UPN, "Design sync").is_some(), "Alex got the invitation");

    // Without a zone: UTC (the client has none).
    let plain = t
        .ok(
            "calendar_create_event",
            json!({ "subject": "Solo", "start": "2024-03-15T08:00", "end": "2024-03-15T08:30" }),
        )
        .await;
    assert_eq!(plain["time_zone"], "UTC");
    assert_eq!(plain["is_online_meeting"], false);

    t.emu.clear_requests();
    let e = t
        .err(
            "calendar_create_event",
            json!({ "subject": "x", "start": "2024-03-15T09:00:00", "end": "2024-03-15T08:00:00" }),
        )
        .await;
    assert!(e.contains("`end`") && e.contains("after `start`"), "{e}");
    let e = t
        .err(
            "calendar_create_event",
            json!({ "subject": "x", "start": "2024-03-15T09:00", "end": "2024-03-15T10:00", "attendees": ["alex"] }),
        )
        .await;
    assert!(e.contains("`attendees[0]`"), "{e}");
    let e = t.err("calendar_create_event", json!({ "start": "2024-03-15T09:00", "end": "2024-03-15T10:00" })).await;
    assert!(e.contains("missing field `subject`"), "{e}");
    let e = t
        .err("calendar_create_event", json!({ "subject": "x", "start": "2024-03-15", "end": "2024-03-15T10:00" }))
        .await;
    assert!(e.contains("`start`") && e.contains("YYYY-MM-DDTHH:MM:SS"), "{e}");
    assert!(t.emu.requests().is_empty(), "nothing sent for bad arguments");
}

#[tokio::test]
async fn update_event_moves_it_keeping_its_length() {
    let t = start().await;
    let created = t
        .ok(
            "calendar_create_event",
            json!({ "subject": "Review", "start": "2024-03-14T10:00:00", "end": "2024-03-14T10:45:00", "time_zone": "Europe/Paris" }),
        )
        .await;
    let id = s(&created, "id");

    let moved = t
        .ok(
            "calendar_update_event",
            json!({ "id": id, "subject": "Review (moved)", "start": "2024-03-14T15:00:00", "time_zone": "Europe/Paris" }),
        )
        .await;
    assert_eq!(moved["subject"], "Review (moved)");
    assert_eq!(moved["start"], "2024-03-14T15:00:00");
    assert_eq!(moved["end"], "2024-03-14T15:45:00", "the length is kept");
    let held = t.held_event(USER, "Review (moved)").expect("held");
    assert_eq!(held["start"]["dateTime"].as_str().unwrap().get(..19), Some("2024-03-14T14:00:00"), "15:00 CET");
    assert_eq!(held["end"]["dateTime"].as_str().unwrap().get(..19), Some("2024-03-14T14:45:00"));

    let more = t
        .ok(
            "calendar_update_event",
            json!({ "id": id, "location": "Room 2", "attendees": [demo::THIRD_USER_UPN], "online_meeting": true }),
        )
        .await;
    assert_eq!(more["location"], "Room 2");
    assert_eq!(more["attendees"], 1);
    assert!(more["join_url"].is_string());
    let held = t.held_event(USER, "Review (moved)").unwrap();
    assert_eq!(held["attendees"][0]["emailAddress"]["address"], demo::THIRD_USER_UPN);

    let e = t.err("calendar_update_event", json!({ "id": id })).await;
    assert!(e.contains("nothing to change"), "{e}");
    let e = t
        .err("calendar_update_event", json!({ "id": id, "end": "2024-03-14T09:00:00", "time_zone": "Europe/Paris" }))
        .await;
    assert!(e.contains("`end`") && e.contains("after `start`"), "{e}");
    let e = t.err("calendar_update_event", json!({ "id": "AAMkNoSuchEvent", "subject": "x" })).await;
    assert!(e.contains("calendar_get_events"), "{e}");
    let e = t.err("calendar_update_event", json!({ "id": id, "title": "x" })).await;
    assert!(e.contains("unknown field `title`"), "{e}");
}

#[tokio::test]
async fn delete_event_removes_it() {
    let t = start().await;
    let created = t
        .ok(
            "calendar_create_event",
            json!({ "subject": "Doomed", "start": "2024-03-15T10:00", "end": "2024-03-15T11:00" }),
        )
        .await;
    let id = s(&created, "id");
    assert!(t.held_event(USER, "Doomed").is_some());
    let r = t.ok("calendar_delete_event", json!({ "id": id })).await;
    assert_eq!(r, json!({ "deleted": true, "id": id }));
    assert!(t.held_event(USER, "Doomed").is_none());

    let e = t.err("calendar_delete_event", json!({ "id": id })).await;
    assert!(e.contains("Not found") && e.contains("calendar_get_events"), "{e}");
    let e = t.err("calendar_delete_event", json!({ "id": 42 })).await;
    assert!(e.contains("`id`"), "{e}");
}
