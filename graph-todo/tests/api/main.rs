//! msgraph-todo against wiremock: every operation, request by request, on
//! the docs' payloads (testdata/graph-samples/todo).

mod payloads;
mod samples;

use chrono::NaiveDate;
use msgraph_core::models::Importance;
use msgraph_core::test_util::MockGraph;
use msgraph_core::{Error, Result};
use msgraph_todo::{
    LinkedResource, NewTask, TaskPatch, TaskQuery, TaskStatus, TodoExt, TodoTask, TodoTaskList, WellknownListName,
};
use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, ResponseTemplate};

const LISTS: &str = include_str!("../../../testdata/graph-samples/todo/todo-list-lists.json");
const LIST: &str = include_str!("../../../testdata/graph-samples/todo/todotasklist-get.json");
const POST_TASK_REQ: &str = include_str!("../../../testdata/graph-samples/todo/todotasklist-post-tasks.request.json");
const POST_TASK: &str = include_str!("../../../testdata/graph-samples/todo/todotasklist-post-tasks.json");
const UPDATE_REQ: &str = include_str!("../../../testdata/graph-samples/todo/todotask-update.request.json");
const UPDATE: &str = include_str!("../../../testdata/graph-samples/todo/todotask-update.json");
const CHECKLIST: &str = include_str!("../../../testdata/graph-samples/todo/todotask-list-checklistitems.json");
const DELTA: &str = include_str!("../../../testdata/graph-samples/todo/todotask-delta.json");

const TASKS: &str = "/v1.0/me/todo/lists/AAMkADIyAAAAABrJAAA=/tasks";

fn ok(body: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_string(body)
}

/// Every request went out as Graph expects it: the bearer token, a
/// `client-request-id` (a UUID), and a JSON content type on every body.
async fn sent_as_graph_expects(g: &MockGraph) {
    let requests = g.requests().await;
    assert!(!requests.is_empty());
    for r in &requests {
        let h = |name: &str| r.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let what = format!("{} {}", r.method, r.url);
        assert_eq!(h("authorization").as_deref(), Some("Bearer test-token"), "{what}");
        assert!(h("client-request-id").is_some_and(|v| v.len() == 36), "{what}");
        if !r.body.is_empty() {
            assert!(h("content-type").is_some_and(|v| v.starts_with("application/json")), "{what}");
        }
    }
}

async fn refused<T: std::fmt::Debug>(g: &MockGraph, r: Result<T>, says: &str) {
    match r {
        Err(Error::InvalidInput(m)) => assert!(m.contains(says), "{m:?} should say {says:?}"),
        other => panic!("expected InvalidInput({says:?}), got {other:?}"),
    }
    assert!(g.requests().await.is_empty(), "nothing may be sent");
}

#[tokio::test]
async fn lists_get_find_and_the_default_list() {
    let g = MockGraph::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/todo/lists"))
        .and(query_param("$filter", "wellknownListName eq 'defaultList'"))
        .respond_with(ok(&format!(r#"{{"value":[{LIST}]}}"#)))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/todo/lists"))
        .respond_with(ok(LISTS))
        .expect(2)
        .mount(&g.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/todo/lists/5daae1ed"))
        .respond_with(ok(LIST))
        .expect(1)
        .mount(&g.server)
        .await;
    let todo = g.client().me().todo();
    let lists = todo.lists().send().await.unwrap();
    assert_eq!(lists.value[0].wellknown_list_name, Some(WellknownListName::DefaultList));
    assert!(lists.value[0].is_built_in() && !lists.value[1].is_built_in());
    let found = todo.find_list("monthly TASKS").await.unwrap().unwrap();
    assert_eq!(found.id.as_deref(), Some("AAMkADIyAAAEFTTrJAAA="));
    assert_eq!(todo.default_list().await.unwrap().display_name.as_deref(), Some("Monthly tasks"));
    assert_eq!(todo.list("5daae1ed").await.unwrap().is_owner, Some(true));
    sent_as_graph_expects(&g).await;
}

#[tokio::test]
async fn an_ambiguous_list_name_is_an_error_naming_the_candidates() {
    let g = MockGraph::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/todo/lists"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [
            {"id": "a", "displayName": "Groceries"}, {"id": "b", "displayName": "groceries "}, {"id": "c", "displayName": "Work"}
        ]})))
        .mount(&g.server)
        .await;
    let todo = g.client().me().todo();
    let err = todo.find_list("Groceries").await.unwrap_err();
    assert!(err.to_string().contains("\"a\", \"b\""), "{err}");
    assert!(todo.find_list("Chores").await.unwrap().is_none());
}

#[tokio::test]
async fn create_rename_and_delete_lists_but_not_built_in_ones() {
    let g = MockGraph::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/me/todo/lists"))
        .and(body_json(json!({"displayName": "Travel items"})))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(json!({"id": "T", "displayName": "Travel items", "wellknownListName": "none"})),
        )
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/v1.0/me/todo/lists/T"))
        .and(body_json(json!({"displayName": "Vacation Plan"})))
        .respond_with(ok(r#"{"id":"T","displayName":"Vacation Plan"}"#))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/v1.0/me/todo/lists/T"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&g.server)
        .await;
    let todo = g.client().me().todo();
    let list = todo.create_list("Travel items").await.unwrap();
    todo.rename_list(&list, "Vacation Plan").await.unwrap();
    todo.delete_list("T").await.unwrap();
    sent_as_graph_expects(&g).await;

    let g = MockGraph::start().await;
    let todo = g.client().me().todo();
    let built_in: TodoTaskList = serde_json::from_str(LIST).unwrap();
    refused(&g, todo.rename_list(&built_in, "x").await, "built-in list defaultList cannot be renamed").await;
    refused(&g, todo.delete_list(&built_in).await, "cannot be deleted").await;
    refused(&g, todo.create_list("  ").await, "must not be empty").await;
}

#[tokio::test]
async fn incomplete_and_status_filters_as_graph_expects_them() {
    let g = MockGraph::start().await;
    Mock::given(method("GET"))
        .and(path(TASKS))
        .and(query_param("$filter", "status ne 'completed'"))
        .and(query_param("$top", "10"))
        .respond_with(ok(r#"{"value":[]}"#))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("GET"))
        .and(path(TASKS))
        .and(query_param("$filter", "(importance eq 'high') and status eq 'waitingOnOthers'"))
        .and(query_param("$orderby", "dueDateTime/dateTime"))
        .respond_with(ok(r#"{"value":[]}"#))
        .expect(1)
        .mount(&g.server)
        .await;
    let graph_names = [
        (TaskStatus::NotStarted, "notStarted"),
        (TaskStatus::InProgress, "inProgress"),
        (TaskStatus::Completed, "completed"),
        (TaskStatus::WaitingOnOthers, "waitingOnOthers"),
        (TaskStatus::Deferred, "deferred"),
    ];
    for (_, name) in &graph_names {
        Mock::given(method("GET"))
            .and(path(TASKS))
            .and(query_param("$filter", format!("status eq '{name}'")))
            .and(query_param("$select", "title,status"))
            .respond_with(ok(&format!(r#"{{"value":[{{"id":"1","title":"t","status":"{name}"}}]}}"#)))
            .expect(1)
            .mount(&g.server)
            .await;
    }
    let tasks = g.client().me().todo().tasks("AAMkADIyAAAAABrJAAA=");
    for (status, _) in graph_names {
        let page = tasks.list().status(status.clone()).select(["title", "status"]).send().await.unwrap();
        assert_eq!(page.value[0].status, Some(status));
    }
    tasks.list().incomplete().top(10).send().await.unwrap();
    tasks
        .list()
        .filter("importance eq 'high'")
        .status(TaskStatus::WaitingOnOthers)
        .order_by("dueDateTime/dateTime")
        .send()
        .await
        .unwrap();
    sent_as_graph_expects(&g).await;

    // a status given as a string this SDK does not know: nothing is sent
    let g = MockGraph::start().await;
    let tasks = g.client().me().todo().tasks("AAMkADIyAAAAABrJAAA=");
    refused(&g, tasks.list().status(TaskStatus::from("done")).send().await, "unknown task status \"done\"").await;
}

#[tokio::test]
async fn get_a_task_and_stream_incomplete_tasks_across_pages() {
    let g = MockGraph::start().await;
    Mock::given(method("GET"))
        .and(path(format!("{TASKS}/721a35e2")))
        .and(query_param("$select", "title,dueDateTime"))
        .respond_with(ok(UPDATE))
        .expect(1)
        .mount(&g.server)
        .await;
    let next = format!(
        "{}/me/todo/lists/AAMkADIyAAAAABrJAAA=/tasks?$filter=status+ne+'completed'&$top=2&$skip=2",
        g.base_url()
    );
    Mock::given(method("GET"))
        .and(path(TASKS))
        .and(query_param("$filter", "status ne 'completed'"))
        .and(query_param("$top", "2"))
        .and(wiremock::matchers::query_param_is_missing("$skip"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"id": "1", "title": "a", "status": "notStarted"}, {"id": "2", "title": "b", "status": "inProgress"}],
            "@odata.nextLink": next
        })))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("GET"))
        .and(path(TASKS))
        .and(query_param("$filter", "status ne 'completed'"))
        .and(query_param("$skip", "2"))
        .respond_with(ok(r#"{"value":[{"id":"3","title":"c","status":"deferred"}]}"#))
        .expect(1)
        .mount(&g.server)
        .await;
    let tasks = g.client().me().todo().tasks("AAMkADIyAAAAABrJAAA=");
    let t = tasks.get("721a35e2").select(["title", "dueDateTime"]).await.unwrap();
    assert_eq!(t.title.as_deref(), Some("Shop for dinner"));
    assert_eq!(t.due_date(), NaiveDate::from_ymd_opt(2020, 8, 25));
    assert_eq!(t.categories, Some(vec![]));
    use futures::TryStreamExt as _;
    let open: Vec<TodoTask> = tasks.list().incomplete().top(2).stream().try_collect().await.unwrap();
    let ids: Vec<_> = open.iter().filter_map(|t| t.id.as_deref()).collect();
    assert_eq!(ids, ["1", "2", "3"]);
    sent_as_graph_expects(&g).await;
}

#[tokio::test]
async fn create_the_docs_task_with_a_linked_resource() {
    let g = MockGraph::start().await;
    Mock::given(method("POST"))
        .and(path(TASKS))
        .and(body_json(serde_json::from_str::<Value>(POST_TASK_REQ).unwrap()))
        .respond_with(ResponseTemplate::new(201).set_body_string(POST_TASK))
        .expect(1)
        .mount(&g.server)
        .await;
    let task = g
        .client()
        .me()
        .todo()
        .tasks("AAMkADIyAAAAABrJAAA=")
        .create(NewTask::new("A new task").linked_resource(LinkedResource::new(
            "http://microsoft.com",
            "Microsoft",
            "Microsoft",
        )))
        .await
        .unwrap();
    assert_eq!(task.linked_resources.unwrap()[0].web_url.as_deref(), Some("http://microsoft.com"));
    assert_eq!(task.importance, Some(Importance::Low));
    sent_as_graph_expects(&g).await;
}

#[tokio::test]
async fn buy_groceries_due_tomorrow_high_importance_reminder_at_nine() {
    let g = MockGraph::start().await;
    Mock::given(method("POST"))
        .and(path(TASKS))
        .and(body_json(json!({
            "title": "Buy groceries",
            "importance": "high",
            "dueDateTime": {"dateTime": "2026-12-02T00:00:00.0000000", "timeZone": "Pacific Standard Time"},
            "reminderDateTime": {"dateTime": "2026-12-02T09:00:00.0000000", "timeZone": "Pacific Standard Time"},
            "isReminderOn": true,
            "categories": ["Errands"]
        })))
        .and(header("prefer", r#"outlook.timezone="Pacific Standard Time""#))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(json!({"id": "G", "title": "Buy groceries", "status": "notStarted",
            "dueDateTime": {"dateTime": "2026-12-02T08:00:00.0000000", "timeZone": "UTC"}})),
        )
        .expect(1)
        .mount(&g.server)
        .await;
    // the client's default zone is used when the task names none
    let client = g.client_builder().timezone("Pacific Standard Time").build().unwrap();
    let day = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
    let task: TodoTask = client
        .me()
        .todo()
        .tasks("AAMkADIyAAAAABrJAAA=")
        .create(
            NewTask::new("Buy groceries")
                .due(day)
                .importance(Importance::High)
                .reminder(day.and_hms_opt(9, 0, 0).unwrap())
                .categories(["Errands"]),
        )
        .await
        .unwrap();
    assert_eq!(task.due_date(), Some(day));
    sent_as_graph_expects(&g).await;
}

#[tokio::test]
async fn update_sends_only_the_patch_and_complete_sets_the_status() {
    let g = MockGraph::start().await;
    let mut req: Value = serde_json::from_str(UPDATE_REQ).unwrap();
    req["dueDateTime"]["dateTime"] = json!("2020-07-25T16:00:00.0000000");
    Mock::given(method("PATCH"))
        .and(path(format!("{TASKS}/721a35e2")))
        .and(body_json(req))
        // the task's zone is asked back, so the answer carries the dates set
        .and(header("prefer", r#"outlook.timezone="Eastern Standard Time""#))
        .respond_with(ok(UPDATE))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("PATCH"))
        .and(path(format!("{TASKS}/721a35e2")))
        .and(body_json(json!({"status": "completed"})))
        .respond_with(ok(r#"{"id":"721a35e2","status":"completed"}"#))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(format!("{TASKS}/721a35e2")))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&g.server)
        .await;
    let tasks = g.client().me().todo().tasks("AAMkADIyAAAAABrJAAA=");
    let due = NaiveDate::from_ymd_opt(2020, 7, 25).unwrap().and_hms_opt(16, 0, 0).unwrap();
    // the docs' request: due at 16:00 Eastern
    let patch = TaskPatch::new().due_at(due).time_zone("Eastern Standard Time");
    let updated = tasks.update("721a35e2", patch).await.unwrap();
    assert_eq!(updated.title.as_deref(), Some("Shop for dinner"));
    assert!(tasks.complete("721a35e2").await.unwrap().is_completed());
    tasks.delete("721a35e2").await.unwrap();
    sent_as_graph_expects(&g).await;
}

#[tokio::test]
async fn checklist_items_linked_resources_and_attachments() {
    let g = MockGraph::start().await;
    let t = format!("{TASKS}/T1");
    Mock::given(method("GET"))
        .and(path(format!("{t}/checklistItems")))
        .respond_with(ok(CHECKLIST))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("{t}/checklistItems")))
        .and(body_json(json!({"displayName": "Final sign-off"})))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(json!({"id": "C3", "displayName": "Final sign-off", "isChecked": false})),
        )
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("PATCH"))
        .and(path(format!("{t}/checklistItems/C3")))
        .and(body_json(json!({"isChecked": true})))
        .respond_with(ok(r#"{"id":"C3","isChecked":true}"#))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("PATCH"))
        .and(path(format!("{t}/checklistItems/C3")))
        .and(body_json(json!({"isChecked": false})))
        .respond_with(ok(r#"{"id":"C3","isChecked":false}"#))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("PATCH"))
        .and(path(format!("{t}/checklistItems/C3")))
        .and(body_json(json!({"displayName": "Sign-off"})))
        .respond_with(ok(r#"{"id":"C3","displayName":"Sign-off"}"#))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(format!("{t}/checklistItems/C3")))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("POST")).and(path(format!("{t}/linkedResources"))).and(body_json(json!({"webUrl": "https://outlook.office.com/mail/id/AAMk", "applicationName": "Outlook", "displayName": "Mail from Ada", "externalId": "AAMk"}))).respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "L1"}))).expect(1).mount(&g.server).await;
    Mock::given(method("DELETE"))
        .and(path(format!("{t}/linkedResources/L1")))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("POST")).and(path(format!("{t}/attachments"))).and(body_json(json!({"@odata.type": "#microsoft.graph.taskFileAttachment", "name": "list.txt", "contentType": "text/plain", "contentBytes": "bWlsaywgZWdncw=="}))).respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "A1", "name": "list.txt", "size": 10}))).expect(1).mount(&g.server).await;
    Mock::given(method("GET"))
        .and(path(format!("{t}/attachments/A1/$value")))
        .respond_with(ok("milk, eggs"))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(format!("{t}/attachments/A1")))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&g.server)
        .await;

    let tasks = g.client().me().todo().tasks("AAMkADIyAAAAABrJAAA=");
    let items = tasks.checklist("T1").list().send().await.unwrap();
    assert_eq!(items.value[1].display_name.as_deref(), Some("Review with the team"));
    let c = tasks.checklist("T1");
    c.add("Final sign-off").await.unwrap();
    assert_eq!(c.check("C3").await.unwrap().is_checked, Some(true));
    assert_eq!(c.uncheck("C3").await.unwrap().is_checked, Some(false));
    c.rename("C3", "Sign-off").await.unwrap();
    c.delete("C3").await.unwrap();
    let links = tasks.linked_resources("T1");
    links
        .add(
            LinkedResource::new("https://outlook.office.com/mail/id/AAMk", "Outlook", "Mail from Ada")
                .external_id("AAMk"),
        )
        .await
        .unwrap();
    links.delete("L1").await.unwrap();
    let files = tasks.attachments("T1");
    assert_eq!(files.add("list.txt", "text/plain", b"milk, eggs".to_vec()).await.unwrap().size, Some(10));
    assert_eq!(&files.download("A1").await.unwrap()[..], b"milk, eggs");
    files.delete("A1").await.unwrap();
    sent_as_graph_expects(&g).await;
}

#[tokio::test]
async fn bad_input_sends_nothing() {
    let g = MockGraph::start().await;
    let tasks = g.client().me().todo().tasks("L");
    let day = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
    refused(&g, tasks.create(NewTask::new("")).await, "title must not be empty").await;
    refused(&g, tasks.create(NewTask::new("x").due(day).time_zone("Mars/Olympus")).await, "Mars/Olympus").await;
    refused(&g, tasks.create(NewTask::new("x").due(NaiveDate::from_ymd_opt(1500, 1, 1).unwrap())).await, "1601").await;
    refused(&g, tasks.update("T", TaskPatch::new()).await, "changes nothing").await;
    refused(&g, tasks.checklist("T").add(" ").await, "needs a name").await;
    refused(
        &g,
        tasks.attachments("T").add("big.bin", "application/octet-stream", vec![0u8; 3 * 1024 * 1024]).await,
        "add_large",
    )
    .await;
    refused(&g, tasks.linked_resources("T").add(LinkedResource::default()).await, "webUrl").await;
    assert_eq!(TaskStatus::parse_known("COMPLETED"), Some(TaskStatus::Completed));
    assert_eq!(TaskStatus::parse_known("done"), None);
}

#[tokio::test]
async fn task_delta_on_the_docs_payload() {
    let g = MockGraph::start().await;
    let body = DELTA.replace("https://graph.microsoft.com/v1.0", &g.base_url());
    let round2 = body.clone();
    Mock::given(method("GET"))
        .and(path(format!("{TASKS}/delta")))
        .and(wiremock::matchers::query_param_is_missing("$deltatoken"))
        .respond_with(ok(&body))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/todo/lists/gDbc8U7HGwADDZocJgAAAA==/tasks/delta"))
        .and(query_param("$deltatoken", "MoVMZ_DzHG4AhT3WE8VioVS1IXZJ-ArqK5fknOjnKFY"))
        .respond_with(ok(&round2))
        .expect(1)
        .mount(&g.server)
        .await;
    let round = g.client().me().todo().tasks("AAMkADIyAAAAABrJAAA=").delta().run().await.unwrap();
    let titles: Vec<_> = round.upserted().map(|t| t.title.clone().unwrap_or_default()).collect();
    assert_eq!(titles, ["empty task3"]);
    sent_as_graph_expects(&g).await;
}

#[tokio::test]
async fn find_tasks_by_title_lists_delta_and_lists_of_links_and_files() {
    let g = MockGraph::start().await;
    Mock::given(method("GET")).and(path(TASKS)).respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [
        {"id": "1", "title": "Buy groceries "}, {"id": "2", "title": "Buy groceries list"}, {"id": "3", "title": "buy GROCERIES"}
    ]}))).expect(1).mount(&g.server).await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/todo/lists/delta"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"id": "L1", "displayName": "Tasks"}, {"id": "L9", "@removed": {"reason": "deleted"}}],
            "@odata.deltaLink": format!("{}/me/todo/lists/delta?$deltatoken=x", g.base_url())
        })))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/todo/lists/delta"))
        .and(query_param("$deltatoken", "x"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [], "@odata.deltaLink": format!("{}/me/todo/lists/delta?$deltatoken=y", g.base_url())
        })))
        .expect(1)
        .with_priority(1)
        .mount(&g.server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{TASKS}/T1/linkedResources")))
        .respond_with(ok(r#"{"value":[{"id":"L","webUrl":"https://x"}]}"#))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{TASKS}/T1/attachments")))
        .respond_with(ok(r#"{"value":[{"id":"A","name":"a.pdf","size":5}]}"#))
        .expect(1)
        .mount(&g.server)
        .await;

    let todo = g.client().me().todo();
    let tasks = todo.tasks("AAMkADIyAAAAABrJAAA=");
    let found: Vec<_> = tasks.find("Buy Groceries").await.unwrap().into_iter().map(|t| t.id.unwrap()).collect();
    assert_eq!(found, ["1", "3"]);
    let round = todo.lists_delta().run().await.unwrap();
    assert_eq!(round.upserted().count(), 1);
    assert_eq!(round.removed().next().unwrap().id, "L9");
    assert_eq!(tasks.linked_resources("T1").list().send().await.unwrap().value.len(), 1);
    assert_eq!(tasks.attachments("T1").list().send().await.unwrap().value[0].size, Some(5));
    sent_as_graph_expects(&g).await;
}

#[tokio::test]
async fn a_large_task_attachment_goes_through_an_upload_session() {
    // To Do's upload URL is a Graph resource (attachmentSession): the slices
    // go to its `content` with the token (learn.microsoft.com/graph/todo-attachments)
    let g = MockGraph::start().await;
    let total = 5 * 1024 * 1024u64;
    let session = "/v1.0/users/6f9a2a92/todo/lists/AAMDiFkfh=/tasks/AAMkADliMm=/attachmentSessions/AAMkADliMm=";
    Mock::given(method("POST"))
        .and(path(format!("{TASKS}/T1/attachments/createUploadSession")))
        .and(body_json(json!({"attachmentInfo": {"attachmentType": "file", "name": "scan.pdf", "size": total}})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.uploadSession",
            "uploadUrl": format!("{}{session}", g.server.uri()),
            "expirationDateTime": "2030-01-01T00:00:00Z",
            "nextExpectedRanges": ["0-"]
        })))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("PUT"))
        .and(path(format!("{session}/content")))
        .and(header("authorization", "Bearer test-token"))
        .and(header("content-type", "application/octet-stream"))
        .and(header("content-range", "bytes 0-4194303/5242880"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            // the docs' casing; the server kept less than was sent: go on where it says
            json!({"ExpirationDateTime": "2030-01-01T00:00:00Z", "NextExpectedRanges": ["4000000"]}),
        ))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("PUT"))
        .and(path(format!("{session}/content")))
        .and(header("authorization", "Bearer test-token"))
        .and(header("content-range", "bytes 4000000-5242879/5242880"))
        .respond_with(
            ResponseTemplate::new(201)
                .insert_header("Location", "https://graph.microsoft.com/v1.0/me/todo/lists/L/tasks/T1/attachments/A9"),
        )
        .expect(1)
        .mount(&g.server)
        .await;
    let loc = g
        .client()
        .me()
        .todo()
        .tasks("AAMkADIyAAAAABrJAAA=")
        .attachments("T1")
        .add_large("scan.pdf", vec![7u8; total as usize])
        .await
        .unwrap();
    assert!(loc.unwrap().ends_with("/attachments/A9"));
    let puts: Vec<_> = g.requests().await.into_iter().filter(|r| r.method.as_str() == "PUT").collect();
    assert_eq!(puts.iter().map(|r| r.body.len()).sum::<usize>(), 4194304 + 1242880);
}
