//! Microsoft To Do over plain HTTP: lists, tasks, filters, paging, checklist
//! items, linked resources, attachments (inline and upload session), delta,
//! built-in lists, errors.

mod common;

use common::{T, assert_graph_error, seg};
use msgraph_emulator::{EmulatorBuilder, demo};
use reqwest::Method;
use serde_json::{Value, json};

async fn lists(t: &T) -> Vec<Value> {
    let r = t.get("/me/todo/lists").await;
    assert_eq!(r.status, 200, "{}", r.json);
    r.values()
}

async fn list_id(t: &T, name: &str) -> String {
    lists(t)
        .await
        .iter()
        .find(|l| l["displayName"] == name)
        .and_then(|l| l["id"].as_str())
        .unwrap_or_else(|| panic!("no list {name}"))
        .to_owned()
}

fn titles(items: &[Value]) -> Vec<String> {
    items.iter().map(|t| t["title"].as_str().unwrap_or_default().to_owned()).collect()
}

#[tokio::test]
async fn the_demo_user_has_built_in_and_own_lists() {
    let t = T::start().await;
    let all = lists(&t).await;
    let names: Vec<&str> = all.iter().map(|l| l["displayName"].as_str().unwrap()).collect();
    assert_eq!(names, ["Tasks", "Flagged emails", "Groceries", "Work projects"]);
    assert_eq!(all[0]["wellknownListName"], "defaultList");
    assert_eq!(all[1]["wellknownListName"], "flaggedEmails");
    assert_eq!(all[2]["wellknownListName"], "none");
    for l in &all {
        assert_eq!(l["@odata.type"], "#microsoft.graph.todoTaskList");
        assert_eq!(l["isOwner"], true);
        assert!(l["@odata.etag"].as_str().unwrap().starts_with("W/\""));
    }
    let r = t.get("/me/todo/lists?$filter=wellknownListName eq 'defaultList'").await;
    assert_eq!(titles(&r.values()).len(), 1);
    assert_eq!(r.values()[0]["displayName"], "Tasks");
    assert!(r.json["@odata.context"].as_str().unwrap().ends_with("/todo/lists"));

    // Same content for the other demo users, reached with an app-only token.
    let app = t.emu.issue_app_token();
    let r = t.call_as(&app, Method::GET, &format!("/users/{}/todo/lists", demo::SECOND_USER_UPN), None, &[]).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.values().len(), 4);
    // A user without demo content still has the two built-in lists.
    let empty = T::with(EmulatorBuilder::new().seed(false)).await;
    let names: Vec<Value> = lists(&empty).await.iter().map(|l| l["wellknownListName"].clone()).collect();
    assert_eq!(names, [json!("defaultList"), json!("flaggedEmails")]);
}

#[tokio::test]
async fn tasks_carry_dates_reminders_statuses_checklists_and_links() {
    let t = T::start().await;
    let tasks = t.emu.todo_tasks(demo::USER_UPN, "Tasks").unwrap();
    let flagged = t.emu.todo_tasks(demo::USER_UPN, "Flagged emails").unwrap();
    let total: usize = ["Tasks", "Flagged emails", "Groceries", "Work projects"]
        .iter()
        .map(|l| t.emu.todo_tasks(demo::USER_UPN, l).unwrap().len())
        .sum();
    assert!((18..=24).contains(&total), "about twenty tasks, got {total}");
    let passport = tasks.iter().find(|x| x["title"] == "Renew passport").unwrap();
    assert_eq!(passport["importance"], "high");
    assert_eq!(passport["isReminderOn"], true);
    assert_eq!(passport["dueDateTime"]["timeZone"], "UTC");
    // Adele is on Pacific time: midnight there is 07:00 or 08:00 UTC.
    let due = passport["dueDateTime"]["dateTime"].as_str().unwrap();
    assert!(due.ends_with("T07:00:00.0000000") || due.ends_with("T08:00:00.0000000"), "{due}");
    let statuses: std::collections::HashSet<&str> = tasks.iter().map(|x| x["status"].as_str().unwrap()).collect();
    assert!(statuses.len() >= 4, "{statuses:?}");
    assert!(tasks.iter().any(|x| x["recurrence"]["pattern"]["type"] == "weekly"));
    assert!(tasks.iter().any(|x| x["checklistItems"].as_array().is_some_and(|c| c.len() == 3)));
    let link = &flagged[0]["linkedResources"][0];
    assert_eq!(link["applicationName"], "Outlook");
    let message = link["externalId"].as_str().unwrap();
    assert!(t.emu.message(demo::USER_UPN, message).is_ok(), "the link points at a real message");

    // Dates in another zone when asked.
    let lid = list_id(&t, "Tasks").await;
    let r = t
        .get_with(
            &format!("/me/todo/lists/{}/tasks?$filter=title eq 'Renew passport'", seg(&lid)),
            &[("Prefer", "outlook.timezone=\"Pacific Standard Time\"")],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.json);
    let v = &r.values()[0];
    assert_eq!(v["dueDateTime"]["timeZone"], "Pacific Standard Time");
    assert!(v["dueDateTime"]["dateTime"].as_str().unwrap().ends_with("T00:00:00.0000000"));
    assert_eq!(r.header("preference-applied"), Some("outlook.timezone=\"Pacific Standard Time\""));
}

#[tokio::test]
async fn filters_order_and_paging() {
    let t = T::start().await;
    let lid = list_id(&t, "Tasks").await;
    let base = format!("/me/todo/lists/{}/tasks", seg(&lid));
    let all = t.all_pages(&base, &[]).await.0;
    let (open, _) = t.all_pages(&format!("{base}?$filter=status ne 'completed'"), &[]).await;
    assert!(!open.is_empty() && open.len() < all.len());
    assert!(open.iter().all(|x| x["status"] != "completed"));
    let (done, _) = t.all_pages(&format!("{base}?$filter=status eq 'completed'"), &[]).await;
    assert_eq!(done.len() + open.len(), all.len());
    let (high, _) = t.all_pages(&format!("{base}?$filter=importance eq 'high' and status ne 'completed'"), &[]).await;
    assert!(high.iter().all(|x| x["importance"] == "high"));
    assert_eq!(titles(&high).len(), 2, "{:?}", titles(&high));

    // Due before a date: quoted or not, compared as instants.
    let tasks = t.emu.todo_tasks(demo::USER_UPN, "Tasks").unwrap();
    let mut dues: Vec<String> =
        tasks.iter().filter_map(|x| x["dueDateTime"]["dateTime"].as_str().map(str::to_owned)).collect();
    dues.sort();
    let cut = &dues[dues.len() / 2];
    let expect = dues.iter().filter(|d| d.as_str() < cut.as_str()).count();
    for q in [format!("dueDateTime/dateTime lt '{cut}'"), format!("dueDateTime/dateTime lt {}Z", &cut[..19])] {
        let (before, _) = t.all_pages(&format!("{base}?$filter={q}"), &[]).await;
        assert_eq!(before.len(), expect, "{q}");
    }
    // Ordered by due date, paged by $top with nextLinks.
    let (ordered, pages) = t
        .all_pages(
            &format!("{base}?$filter=dueDateTime/dateTime ge 2000-01-01&$orderby=dueDateTime/dateTime desc&$top=2"),
            &[],
        )
        .await;
    assert_eq!(ordered.len(), dues.len());
    assert!(pages >= dues.len() / 2);
    let got: Vec<&str> = ordered.iter().map(|x| x["dueDateTime"]["dateTime"].as_str().unwrap()).collect();
    let mut want: Vec<&str> = dues.iter().map(String::as_str).collect();
    want.reverse();
    assert_eq!(got, want);
    // Prefer: odata.maxpagesize, $count, $select.
    let r = t.get_with(&format!("{base}?$count=true&$select=title,status"), &[("Prefer", "odata.maxpagesize=3")]).await;
    assert_eq!(r.values().len(), 3);
    assert_eq!(r.json["@odata.count"], all.len());
    assert!(r.json["@odata.nextLink"].as_str().is_some());
    assert!(r.values()[0].get("importance").is_none() && r.values()[0]["id"].is_string());
    // Unknown properties and bad filters are Graph's 400s.
    let r = t.get(&format!("{base}?$filter=priority eq 1")).await;
    assert_graph_error(&r, 400, "RequestBroker--ParseUri");
    let r = t.get(&format!("{base}?$filter=status eq")).await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn task_lifecycle_and_the_default_list_alias() {
    let t = T::start().await;
    let lid = list_id(&t, "Tasks").await;
    let base = format!("/me/todo/lists/{}/tasks", seg(&lid));
    let r = t
        .post(
            &base,
            json!({
                "title": "Buy groceries",
                "importance": "High",
                "dueDateTime": {"dateTime": "2024-03-14T00:00:00", "timeZone": "Europe/Paris"},
                "reminderDateTime": {"dateTime": "2024-03-14T09:00:00", "timeZone": "Europe/Paris"},
                "isReminderOn": true,
                "linkedResources": [{"webUrl": "http://microsoft.com", "applicationName": "Microsoft", "displayName": "Microsoft"}]
            }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.json);
    let task = r.json.clone();
    assert_eq!(task["importance"], "high");
    assert_eq!(task["status"], "notStarted");
    assert_eq!(task["body"], json!({"content": "", "contentType": "text"}));
    assert_eq!(task["hasAttachments"], false);
    assert_eq!(task["dueDateTime"], json!({"dateTime": "2024-03-13T23:00:00.0000000", "timeZone": "UTC"}));
    assert_eq!(task["linkedResources"][0]["applicationName"], "Microsoft");
    assert_eq!(task["linkedResources"][0]["id"].as_str().unwrap().len(), 36);
    let created = task["createdDateTime"].as_str().unwrap();
    assert!(created.ends_with('Z') && created.len() == 28, "{created}");
    let id = task["id"].as_str().unwrap();
    let item = format!("{base}/{}", seg(id));

    // Complete it: completedDateTime appears; back to notStarted: it goes.
    let r = t.patch(&item, json!({"status": "completed"})).await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(r.json["completedDateTime"]["timeZone"], "UTC");
    assert_ne!(r.json["@odata.etag"], task["@odata.etag"]);
    let r = t.patch(&item, json!({"status": "notStarted", "title": "Buy groceries today"})).await;
    assert!(r.json.get("completedDateTime").is_none());
    assert_eq!(r.json["title"], "Buy groceries today");
    let r = t.patch(&item, json!({"dueDateTime": null})).await;
    assert!(r.json.get("dueDateTime").is_none());

    // The "Tasks" alias reaches the default list.
    let r = t.get(&format!("/me/todo/lists/Tasks/tasks/{}", seg(id))).await;
    assert_eq!(r.status, 200, "{}", r.json);

    let r = t.delete(&item).await;
    assert_eq!(r.status, 204);
    assert_graph_error(&t.get(&item).await, 404, "ErrorItemNotFound");

    // Bad input.
    assert_graph_error(&t.post(&base, json!({"title": "x", "status": "done"})).await, 400, "RequestBodyRead");
    assert_graph_error(&t.post(&base, json!({"title": "x", "priority": 1})).await, 400, "RequestBodyRead");
    let r = t.post(&base, json!({"title": "  "})).await;
    assert_graph_error(&r, 400, "invalidRequest");
    assert_eq!(r.json["error"]["innerError"]["code"], "ErrorInvalidRequest");
    let r = t
        .post(
            &base,
            json!({"title": "x", "dueDateTime": {"dateTime": "2024-03-14T00:00:00", "timeZone": "Mars/Olympus"}}),
        )
        .await;
    assert_graph_error(&r, 400, "TimeZoneNotSupportedException");
    assert_graph_error(&t.get("/me/todo/lists/AAMkAGI2TG93AAAAAAAAAA==/tasks").await, 404, "ErrorItemNotFound");
    assert_graph_error(&t.get("/me/todo/lists/nope/tasks").await, 400, "ErrorInvalidIdMalformed");
}

#[tokio::test]
async fn built_in_lists_cannot_be_renamed_or_deleted() {
    let t = T::start().await;
    for name in ["Tasks", "Flagged emails"] {
        let id = list_id(&t, name).await;
        let path = format!("/me/todo/lists/{}", seg(&id));
        let r = t.patch(&path, json!({"displayName": "Mine"})).await;
        assert_graph_error(&r, 400, "invalidRequest");
        assert_eq!(r.json["error"]["innerError"]["code"], "ErrorInvalidRequest");
        assert!(r.json["error"]["innerError"]["message"].as_str().unwrap().contains("can't be renamed"));
        let r = t.delete(&path).await;
        assert_graph_error(&r, 400, "invalidRequest");
        assert_eq!(t.get(&path).await.json["displayName"], name);
    }
    // The user's own lists can.
    let r = t.post("/me/todo/lists", json!({"displayName": "Holiday"})).await;
    assert_eq!(r.status, 201, "{}", r.json);
    assert_eq!(r.json["wellknownListName"], "none");
    let path = format!("/me/todo/lists/{}", seg(r.json["id"].as_str().unwrap()));
    let r = t.patch(&path, json!({"displayName": "Vacation Plan"})).await;
    assert_eq!((r.status, r.json["displayName"].as_str()), (200, Some("Vacation Plan")));
    assert_eq!(t.delete(&path).await.status, 204);
    assert_eq!(t.get(&path).await.status, 404);
    assert_graph_error(&t.post("/me/todo/lists", json!({})).await, 400, "invalidRequest");
    assert_graph_error(&t.post("/me/todo/lists", json!({"name": "x"})).await, 400, "RequestBodyRead");
}

#[tokio::test]
async fn checklist_items_and_linked_resources() {
    let t = T::start().await;
    let lid = list_id(&t, "Groceries").await;
    let r = t.post(&format!("/me/todo/lists/{}/tasks", seg(&lid)), json!({"title": "Party"})).await;
    let base = format!("/me/todo/lists/{}/tasks/{}", seg(&lid), seg(r.json["id"].as_str().unwrap()));
    let etag0 = r.json["@odata.etag"].clone();

    let r = t.post(&format!("{base}/checklistItems"), json!({"displayName": "Balloons"})).await;
    assert_eq!(r.status, 201, "{}", r.json);
    assert_eq!(r.json["isChecked"], false);
    let item = format!("{base}/checklistItems/{}", r.json["id"].as_str().unwrap());
    let r = t.patch(&item, json!({"isChecked": true})).await;
    assert_eq!(r.json["isChecked"], true);
    assert!(r.json["checkedDateTime"].as_str().is_some());
    let r = t.patch(&item, json!({"isChecked": false, "displayName": "Red balloons"})).await;
    assert!(r.json.get("checkedDateTime").is_none());
    assert_eq!(r.json["displayName"], "Red balloons");
    let r = t.get(&format!("{base}/checklistItems")).await;
    assert_eq!(r.values().len(), 1);
    assert_ne!(t.get(&base).await.json["@odata.etag"], etag0, "the task changed with its checklist");
    let r = t.get(&format!("{base}?$expand=checklistItems")).await;
    assert_eq!(r.json["checklistItems"][0]["displayName"], "Red balloons");
    assert_eq!(t.delete(&item).await.status, 204);
    assert_eq!(t.get(&item).await.status, 404);
    assert_eq!(t.post(&format!("{base}/checklistItems"), json!({})).await.status, 400);

    let r = t
        .post(
            &format!("{base}/linkedResources"),
            json!({"webUrl": "https://contoso.com/party", "applicationName": "Contoso", "displayName": "Invite", "externalId": "inv-1"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.json);
    let link = format!("{base}/linkedResources/{}", r.json["id"].as_str().unwrap());
    let r = t.patch(&link, json!({"displayName": "The invite"})).await;
    assert_eq!(r.json["displayName"], "The invite");
    assert_eq!(r.json["externalId"], "inv-1");
    assert_eq!(t.get(&format!("{base}/linkedResources")).await.values().len(), 1);
    assert_eq!(t.delete(&link).await.status, 204);
    assert_eq!(t.get(&format!("{base}/linkedResources")).await.values().len(), 0);
    assert_graph_error(
        &t.post(&format!("{base}/linkedResources"), json!({"displayName": "x"})).await,
        400,
        "invalidRequest",
    );
}

#[tokio::test]
async fn inline_attachments() {
    let t = T::start().await;
    let lid = list_id(&t, "Work projects").await;
    let r = t.post(&format!("/me/todo/lists/{}/tasks", seg(&lid)), json!({"title": "Read the brief"})).await;
    let base = format!("/me/todo/lists/{}/tasks/{}", seg(&lid), seg(r.json["id"].as_str().unwrap()));
    let r = t
        .post(
            &format!("{base}/attachments"),
            json!({"@odata.type": "#microsoft.graph.taskFileAttachment", "name": "brief.txt", "contentType": "text/plain", "contentBytes": "aGVsbG8gd29ybGQ="}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.json);
    assert_eq!(r.json["size"], 11);
    assert!(r.json.get("contentBytes").is_none());
    let att = format!("{base}/attachments/{}", seg(r.json["id"].as_str().unwrap()));
    assert_eq!(t.get(&base).await.json["hasAttachments"], true);
    let listed = t.get(&format!("{base}/attachments")).await.values();
    assert_eq!(listed.len(), 1);
    assert_eq!(t.get(&att).await.json["contentBytes"], "aGVsbG8gd29ybGQ=");
    let raw = t.get(&format!("{att}/$value")).await;
    assert_eq!((raw.bytes.as_slice(), raw.header("content-type")), (&b"hello world"[..], Some("text/plain")));
    assert_eq!(t.delete(&att).await.status, 204);
    assert_eq!(t.get(&base).await.json["hasAttachments"], false);

    use base64::Engine as _;
    let big = base64::engine::general_purpose::STANDARD.encode(vec![7u8; 3 * 1024 * 1024]);
    let r = t.post(&format!("{base}/attachments"), json!({"name": "big.bin", "contentBytes": big})).await;
    assert_eq!(r.status, 413, "{}", r.json);
    let r = t
        .post(
            &format!("{base}/attachments"),
            json!({"@odata.type": "#microsoft.graph.itemAttachment", "name": "x", "contentBytes": "eA=="}),
        )
        .await;
    assert_graph_error(&r, 400, "invalidRequest");
}

#[tokio::test]
async fn large_attachments_through_an_upload_session() {
    let t = T::start().await;
    let lid = list_id(&t, "Tasks").await;
    let r = t.post(&format!("/me/todo/lists/{}/tasks", seg(&lid)), json!({"title": "Scan the contract"})).await;
    let base = format!("/me/todo/lists/{}/tasks/{}", seg(&lid), seg(r.json["id"].as_str().unwrap()));
    let content: Vec<u8> = (0..5_000_000u32).map(|i| (i % 251) as u8).collect();
    let r = t
        .post(
            &format!("{base}/attachments/createUploadSession"),
            json!({"attachmentInfo": {"attachmentType": "file", "name": "contract.pdf", "size": content.len()}}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(r.json["nextExpectedRanges"], json!(["0-"]));
    // a Graph resource (attachmentSession), no credential in the URL: the
    // bytes go to its `content`, with the user's token, as in Graph's walkthrough
    let url = r.json["uploadUrl"].as_str().unwrap().to_owned();
    assert!(url.contains("/attachmentSessions/") && !url.contains('?'), "{url}");
    let bearer = format!("Bearer {}", t.token);
    let put = |range: String, body: Vec<u8>, token: Option<String>| {
        let (http, url) = (t.http.clone(), format!("{url}/content"));
        async move {
            let mut r = http.put(url).header("Content-Range", range).header("Content-Type", "application/octet-stream");
            if let Some(token) = token {
                r = r.header("Authorization", token);
            }
            r.body(body).send().await.unwrap()
        }
    };
    let get = |url: String| {
        let (http, bearer) = (t.http.clone(), bearer.clone());
        async move { http.get(url).header("Authorization", bearer).send().await.unwrap() }
    };
    let total = content.len();
    let first = 4 * 1024 * 1024;
    let r = put(format!("bytes 0-{}/{total}", first - 1), content[..first].to_vec(), Some(bearer.clone())).await;
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["nextExpectedRanges"], json!([format!("{first}-")]));
    // A slice at the wrong place: 416; the session says where to go on.
    let r = put(format!("bytes 0-9/{total}"), vec![0; 10], Some(bearer.clone())).await;
    assert_eq!(r.status(), 416);
    let status: Value = get(url.clone()).await.json().await.unwrap();
    assert_eq!(status["nextExpectedRanges"], json!([format!("{first}-")]));
    // Without the token, or with another user's, refused; PUT on the session itself is not the content.
    let rest = || content[first..].to_vec();
    assert_eq!(put(format!("bytes {first}-{}/{total}", total - 1), rest(), None).await.status(), 401);
    let other = format!("Bearer {}", t.emu.issue_token(demo::SECOND_USER_UPN).unwrap());
    assert_eq!(put(format!("bytes {first}-{}/{total}", total - 1), rest(), Some(other)).await.status(), 403);
    let on_session = t.http.put(&url).header("Authorization", &bearer).body(vec![0u8; 10]).send().await.unwrap();
    assert_eq!(on_session.status(), 405);
    let r = put(format!("bytes {first}-{}/{total}", total - 1), rest(), Some(bearer.clone())).await;
    assert_eq!(r.status(), 201);
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    let listed = t.get(&format!("{base}/attachments")).await.values();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["name"], "contract.pdf");
    assert_eq!(listed[0]["size"], total);
    assert!(location.ends_with(&seg(listed[0]["id"].as_str().unwrap())), "{location}");
    let raw = t.get(&format!("{base}/attachments/{}/$value", seg(listed[0]["id"].as_str().unwrap()))).await;
    assert!(raw.bytes == content);
    // The session is gone.
    assert_eq!(get(url.clone()).await.status(), 404);
    // Too big, or not a file.
    let r = t
        .post(
            &format!("{base}/attachments/createUploadSession"),
            json!({"attachmentInfo": {"attachmentType": "file", "name": "huge.bin", "size": 26 * 1024 * 1024}}),
        )
        .await;
    assert_graph_error(&r, 400, "invalidRequest");
    let r = t
        .post(
            &format!("{base}/attachments/createUploadSession"),
            json!({"attachmentInfo": {"attachmentType": "item", "name": "x", "size": 10}}),
        )
        .await;
    assert_graph_error(&r, 400, "invalidRequest");
}

#[tokio::test]
async fn task_delta_rounds() {
    let t = T::start().await;
    let lid = list_id(&t, "Groceries").await;
    let base = format!("/me/todo/lists/{}/tasks", seg(&lid));
    let start = t.emu.todo_tasks(demo::USER_UPN, "Groceries").unwrap();

    // Round 1, in pages of 2.
    let mut url = t.url(&format!("{base}/delta"));
    let mut seen = Vec::new();
    let delta_link = loop {
        let r = t.get_with(&url, &[("Prefer", "odata.maxpagesize=2")]).await;
        assert_eq!(r.status, 200, "{}", r.json);
        assert!(r.values().len() <= 2);
        seen.extend(r.values());
        if let Some(next) = r.json["@odata.nextLink"].as_str() {
            assert!(next.contains("$skiptoken="));
            url = next.to_owned();
        } else {
            break r.json["@odata.deltaLink"].as_str().unwrap().to_owned();
        }
    };
    assert_eq!(seen.len(), start.len());
    assert!(seen.iter().all(|x| x["@odata.type"] == "#microsoft.graph.todoTask"));

    // Nothing changed: an empty round.
    let r = t.get(&delta_link).await;
    assert!(r.values().is_empty());
    let delta_link = r.json["@odata.deltaLink"].as_str().unwrap().to_owned();

    // Create, update, delete.
    let created = t.post(&base, json!({"title": "Oranges"})).await.json;
    let milk = start.iter().find(|x| x["title"] == "Milk").unwrap()["id"].as_str().unwrap().to_owned();
    let eggs = start.iter().find(|x| x["title"] == "Eggs").unwrap()["id"].as_str().unwrap().to_owned();
    t.patch(&format!("{base}/{}", seg(&milk)), json!({"status": "completed"})).await;
    assert_eq!(t.delete(&format!("{base}/{}", seg(&eggs))).await.status, 204);
    let r = t.get(&delta_link).await;
    let v = r.values();
    assert_eq!(v.len(), 3, "{v:?}");
    assert_eq!(v[0]["id"], eggs.as_str());
    assert_eq!(v[0]["@removed"]["reason"], "deleted");
    let ids: Vec<&str> = v[1..].iter().map(|x| x["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [created["id"].as_str().unwrap(), milk.as_str()]);
    assert_eq!(v[2]["status"], "completed");

    // Expired sync state: 410.
    t.emu.expire_delta_tokens();
    assert_graph_error(&t.get(r.json["@odata.deltaLink"].as_str().unwrap()).await, 410, "syncStateNotFound");
}

#[tokio::test]
async fn list_delta_rounds() {
    let t = T::start().await;
    let r = t.get("/me/todo/lists/delta()").await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(r.values().len(), 4);
    let link = r.json["@odata.deltaLink"].as_str().unwrap().to_owned();
    let made = t.post("/me/todo/lists", json!({"displayName": "Books"})).await.json;
    let groceries = list_id(&t, "Groceries").await;
    assert_eq!(t.delete(&format!("/me/todo/lists/{}", seg(&groceries))).await.status, 204);
    let work = list_id(&t, "Work projects").await;
    t.patch(&format!("/me/todo/lists/{}", seg(&work)), json!({"displayName": "Work"})).await;
    let r = t.get(&link).await;
    let v = r.values();
    assert_eq!(v.len(), 3, "{v:?}");
    assert_eq!(v[0]["id"], groceries.as_str());
    assert!(v[0]["@removed"].is_object());
    assert_eq!(v[1]["id"], made["id"]);
    assert_eq!(v[2]["displayName"], "Work");
    // A token of another collection is not accepted here.
    let token = link.split("$deltatoken=").nth(1).unwrap();
    let r = t.get(&format!("/me/todo/lists/{}/tasks/delta?$deltatoken={token}", seg(&work))).await;
    assert_graph_error(&r, 410, "syncStateNotFound");
}

#[tokio::test]
async fn access_rules() {
    let t = T::start().await;
    // Another user's To Do with a delegated token: 403.
    let r = t.get(&format!("/users/{}/todo/lists", demo::SECOND_USER_UPN)).await;
    assert_graph_error(&r, 403, "ErrorAccessDenied");
    // An app-only token on /me: 400.
    let app = t.emu.issue_app_token();
    let r = t.call_as(&app, Method::GET, "/me/todo/lists", None, &[]).await;
    assert_eq!(r.status, 400);
    // Case-insensitive segments.
    let r = t.get("/me/Todo/Lists").await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(t.get("/me/todo/nothing").await.status, 400);
    assert_eq!(t.call(Method::PUT, "/me/todo/lists", Some(json!({})), &[]).await.status, 405);
}
