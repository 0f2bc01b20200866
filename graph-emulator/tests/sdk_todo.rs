//! Microsoft To Do through `msgraph_todo` against the emulator: the
//! assistant's conversation end to end, built-in lists, checklists, links,
//! attachments (inline and through an upload session), delta.

mod sdk_common;

use std::sync::Arc;

use chrono::{Days, NaiveDate, NaiveTime, Utc};
use futures::TryStreamExt as _;
use msgraph_core::delta::MemoryDeltaStore;
use msgraph_core::models::Importance;
use msgraph_core::{GraphClient, StaticTokenCredential};
use msgraph_emulator::demo;
use msgraph_todo::{LinkedResource, NewTask, TaskPatch, TaskQuery, TaskStatus, TodoExt, TodoTask, WellknownListName};
use sdk_common::{Sdk, quick_retries};

async fn titles(list: msgraph_core::ListBuilder<TodoTask>) -> Vec<String> {
    let all: Vec<TodoTask> = list.stream().try_collect().await.unwrap();
    all.into_iter().filter_map(|t| t.title).collect()
}

fn tomorrow() -> NaiveDate {
    Utc::now().date_naive() + Days::new(1)
}

#[tokio::test]
async fn the_assistants_conversation() {
    let s = Sdk::start().await;
    let todo = s.client.me().todo();

    // "Show my to-do lists."
    let lists = todo.lists().send().await.unwrap().value;
    let names: Vec<&str> = lists.iter().filter_map(|l| l.display_name.as_deref()).collect();
    assert_eq!(names, ["Tasks", "Flagged emails", "Groceries", "Work projects"]);
    assert_eq!(lists.iter().filter(|l| l.is_built_in()).count(), 2);

    // Find "Tasks" (by name, case-insensitive; and as the default list).
    let list = todo.find_list("tasks").await.unwrap().expect("the Tasks list");
    assert_eq!(list.wellknown_list_name, Some(WellknownListName::DefaultList));
    assert_eq!(todo.default_list().await.unwrap().id, list.id);
    let tasks = todo.tasks(list.id.clone().unwrap());

    // A delta baseline, to see the conversation's changes afterwards.
    let deltas = Arc::new(MemoryDeltaStore::default());
    let sync = tasks.delta().store(deltas.clone(), "tasks");
    let first = sync.run().await.unwrap();
    assert!(first.full_sync());
    assert_eq!(first.changes().len(), s.emu.todo_tasks(demo::USER_UPN, "Tasks").unwrap().len());
    first.commit().await.unwrap();

    // "Add 'Buy groceries' to my Tasks list, due tomorrow, important, remind me at 9."
    let day = tomorrow();
    let nine = day.and_time(NaiveTime::from_hms_opt(9, 0, 0).unwrap());
    let task = tasks
        .create(NewTask::new("Buy groceries").due(day).importance(Importance::High).reminder(nine).time_zone("UTC"))
        .await
        .unwrap();
    let id = task.id.clone().unwrap();
    assert_eq!(task.due_date(), Some(day));
    assert_eq!(task.importance, Some(Importance::High));
    assert_eq!(task.is_reminder_on, Some(true));
    assert_eq!(task.reminder_date_time.as_ref().map(|r| r.date_time), Some(nine));
    assert_eq!(task.status, Some(TaskStatus::NotStarted));

    // "Show my incomplete tasks": it is there.
    let open = titles(tasks.list().incomplete()).await;
    assert!(open.contains(&"Buy groceries".to_owned()), "{open:?}");
    let served = s.emu.requests();
    let q = served.iter().rev().find(|r| r.path.ends_with("/tasks")).unwrap();
    let filter = url::form_urlencoded::parse(q.query.as_deref().unwrap_or_default().as_bytes())
        .find(|(k, _)| k == "$filter")
        .map(|(_, v)| v.into_owned());
    assert_eq!(filter.as_deref(), Some("status ne 'completed'"), "the status filter as Graph expects it");

    // "Mark it as completed."
    let found = tasks.find("buy groceries").await.unwrap();
    assert_eq!(found.len(), 1);
    let done = tasks.complete(id.clone()).await.unwrap();
    assert!(done.is_completed());
    assert!(done.completed_date_time.is_some());

    // Incomplete: gone; completed: there.
    assert!(!titles(tasks.list().incomplete()).await.contains(&"Buy groceries".to_owned()));
    assert!(titles(tasks.list().status(TaskStatus::Completed)).await.contains(&"Buy groceries".to_owned()));

    // A delta round shows the change: one task, completed.
    let round = sync.run().await.unwrap();
    assert!(!round.full_sync());
    let changed: Vec<&TodoTask> = round.upserted().collect();
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0].id.as_deref(), Some(id.as_str()));
    assert_eq!(changed[0].status, Some(TaskStatus::Completed));
    round.commit().await.unwrap();

    // Delete it: the next round has it as removed.
    tasks.delete(id.clone()).await.unwrap();
    let round = sync.run().await.unwrap();
    let removed: Vec<String> = round.removed().map(|r| r.id.clone()).collect();
    assert_eq!(removed.as_slice(), std::slice::from_ref(&id));
    assert_eq!(round.upserted().count(), 0);
    round.commit().await.unwrap();
    assert!(tasks.get(id).await.unwrap_err().is_not_found());
}

#[tokio::test]
async fn built_in_lists_and_own_lists() {
    let s = Sdk::start().await;
    let todo = s.client.me().todo();
    let default = todo.default_list().await.unwrap();
    // Known as built in: refused before sending.
    s.emu.clear_requests();
    let e = todo.rename_list(&default, "Mine").await.unwrap_err();
    assert!(e.to_string().contains("cannot be renamed"), "{e}");
    assert!(s.emu.requests().is_empty(), "nothing sent");
    // By id only: Graph's error.
    let e = todo.delete_list(default.id.clone().unwrap()).await.unwrap_err();
    assert_eq!(e.status(), Some(400), "{e}");

    let holiday = todo.create_list("Holiday").await.unwrap();
    assert_eq!(holiday.wellknown_list_name, Some(WellknownListName::None));
    let renamed = todo.rename_list(&holiday, "Vacation plan").await.unwrap();
    assert_eq!(renamed.display_name.as_deref(), Some("Vacation plan"));
    assert!(todo.find_list("VACATION PLAN").await.unwrap().is_some());
    // Lists delta sees the new list.
    let deltas = Arc::new(MemoryDeltaStore::default());
    let sync = todo.lists_delta().store(deltas, "lists");
    let first = sync.run().await.unwrap();
    assert_eq!(first.changes().len(), 5);
    first.commit().await.unwrap();
    todo.delete_list(&renamed).await.unwrap();
    let round = sync.run().await.unwrap();
    assert_eq!(round.removed().count(), 1);
    assert!(todo.find_list("Vacation plan").await.unwrap().is_none());
}

#[tokio::test]
async fn checklist_links_and_attachments() {
    let s = Sdk::start().await;
    let todo = s.client.me().todo();
    let list = todo.find_list("Groceries").await.unwrap().unwrap();
    let tasks = todo.tasks(list.id.unwrap());
    let task =
        tasks
            .create(NewTask::new("Sunday lunch").text_body("For six people").linked_resource(
                LinkedResource::new("https://contoso.com/recipe", "Contoso", "Recipe").external_id("r-1"),
            ))
            .await
            .unwrap();
    let tid = task.id.clone().unwrap();
    assert_eq!(task.linked_resources.as_ref().map(Vec::len), Some(1));

    let steps = tasks.checklist(tid.clone());
    let potatoes = steps.add("Potatoes").await.unwrap();
    let pid = potatoes.id.clone().unwrap();
    assert_eq!(potatoes.is_checked, Some(false));
    let ticked = steps.check(pid.clone()).await.unwrap();
    assert_eq!(ticked.is_checked, Some(true));
    assert!(ticked.checked_date_time.is_some());
    steps.rename(pid.clone(), "New potatoes").await.unwrap();
    let unticked = steps.uncheck(pid.clone()).await.unwrap();
    assert_eq!((unticked.is_checked, unticked.display_name.as_deref()), (Some(false), Some("New potatoes")));
    assert_eq!(steps.list().send().await.unwrap().value.len(), 1);
    steps.delete(pid).await.unwrap();
    assert!(steps.list().send().await.unwrap().value.is_empty());

    let links = tasks.linked_resources(tid.clone());
    let extra = links.add(LinkedResource::new("https://contoso.com/wine", "Contoso", "Wine")).await.unwrap();
    assert_eq!(links.list().send().await.unwrap().value.len(), 2);
    links.delete(extra.id.unwrap()).await.unwrap();
    assert_eq!(links.list().send().await.unwrap().value.len(), 1);

    let files = tasks.attachments(tid.clone());
    let small = files.add("list.txt", "text/plain", b"milk, eggs".to_vec()).await.unwrap();
    assert_eq!(small.size, Some(10));
    assert_eq!(&files.download(small.id.clone().unwrap()).await.unwrap()[..], b"milk, eggs");
    // 5 MB through an upload session (slices of 4 MiB to the session's content, with the token).
    let big: Vec<u8> = (0..5_000_000u32).map(|i| (i % 253) as u8).collect();
    let location = files.add_large("scan.bin", big.clone()).await.unwrap().expect("a Location");
    let listed = files.list().send().await.unwrap().value;
    assert_eq!(listed.len(), 2);
    let scan = listed.iter().find(|a| a.name.as_deref() == Some("scan.bin")).unwrap();
    assert_eq!(scan.size, Some(big.len() as i64));
    let last = location.rsplit('/').next().unwrap_or_default();
    let last = percent_encoding::percent_decode_str(last).decode_utf8_lossy();
    assert_eq!(Some(last.as_ref()), scan.id.as_deref(), "{location}");
    assert!(files.download(scan.id.clone().unwrap()).await.unwrap() == big);
    let uploads = s.emu.requests().into_iter().filter(|r| r.method == "PUT" && r.path.contains("attachmentSessions"));
    assert!(uploads.clone().count() >= 2);
    // a Graph resource: the bytes go to its `content`, with the token
    assert!(
        uploads.into_iter().all(|r| r.path.ends_with("/content") && r.header("authorization").is_some()),
        "slices PUT to .../attachmentSessions/{{id}}/content with the token"
    );
    assert_eq!(tasks.get(tid.clone()).await.unwrap().has_attachments, Some(true));
    files.delete(small.id.unwrap()).await.unwrap();
    assert_eq!(files.list().send().await.unwrap().value.len(), 1);

    // Patch only what is set.
    let t = tasks.update(tid, TaskPatch::new().title("Sunday roast").status(TaskStatus::InProgress)).await.unwrap();
    assert_eq!((t.title.as_deref(), t.status), (Some("Sunday roast"), Some(TaskStatus::InProgress)));
    assert_eq!(t.body.map(|b| b.content), Some("For six people".to_owned()));
}

fn client_in(s: &Sdk, zone: Option<&str>) -> GraphClient {
    let token = s.emu.issue_token(demo::USER_UPN).unwrap();
    let mut b = GraphClient::builder()
        .base_url(s.emu.base_url())
        .credential(StaticTokenCredential::new(token))
        .retry_policy(quick_retries());
    if let Some(z) = zone {
        b = b.timezone(z);
    }
    b.build().unwrap()
}

#[tokio::test]
async fn due_dates_in_the_clients_zone() {
    let s = Sdk::start().await;
    // The client's default zone: dates are sent in it and (Prefer:
    // outlook.timezone) read back in it, so the date is the one given.
    let client = client_in(&s, Some("Europe/Paris"));
    let todo = client.me().todo();
    let list = todo.default_list().await.unwrap();
    let tasks = todo.tasks(list.id.unwrap());
    let day = tomorrow();
    let t = tasks.create(NewTask::new("Pick up the keys").due(day)).await.unwrap();
    assert_eq!(t.due_date(), Some(day));
    assert_eq!(t.due_date_time.as_ref().and_then(|d| d.time_zone.as_deref()), Some("Europe/Paris"));
    let again = tasks.get(t.id.unwrap()).await.unwrap();
    assert_eq!(again.due_date(), Some(day));
}

/// Without a client time zone Graph answers `dueDateTime` in UTC; a due
/// date east of UTC is the evening before in UTC. The SDK asks for the
/// answer in the task's zone on create, and `due_date_in` reads any answer
/// in the user's zone.
#[tokio::test]
async fn due_date_east_of_utc_without_a_client_zone() {
    let s = Sdk::start().await;
    let todo = s.client.me().todo();
    let list = todo.default_list().await.unwrap();
    let tasks = todo.tasks(list.id.unwrap());
    let day = tomorrow();
    let t = tasks.create(NewTask::new("Pick up the keys").due(day).time_zone("Europe/Paris")).await.unwrap();
    assert_eq!(t.due_date(), Some(day));
    // a later read without a zone is answered in UTC: the date part is the day before,
    // the date in the user's zone is the one set
    let again = tasks.get(t.id.unwrap()).await.unwrap();
    assert!(again.due_date_time.as_ref().is_some_and(|d| d.is_utc()), "{:?}", again.due_date_time);
    assert_eq!(again.due_date(), day.pred_opt());
    assert_eq!(again.due_date_in("Europe/Paris").unwrap(), Some(day));
    assert_eq!(again.due_date_in("Romance Standard Time").unwrap(), Some(day));
}

/// Every status filter, importance and due-date filters combined with `and`,
/// `$orderby` and `$top` paging through the SDK's stream, and Graph's error
/// bodies as typed errors.
#[tokio::test]
async fn filters_order_paging_and_errors_through_the_sdk() {
    let s = Sdk::start().await;
    let todo = s.client.me().todo();
    let list = todo.default_list().await.unwrap();
    let tasks = todo.tasks(list.id.clone().unwrap());
    let all: Vec<TodoTask> = tasks.list().stream().try_collect().await.unwrap();

    let mut by_status = 0;
    for status in [
        TaskStatus::NotStarted,
        TaskStatus::InProgress,
        TaskStatus::Completed,
        TaskStatus::WaitingOnOthers,
        TaskStatus::Deferred,
    ] {
        let some: Vec<TodoTask> = tasks.list().status(status.clone()).stream().try_collect().await.unwrap();
        assert!(some.iter().all(|t| t.status.as_ref() == Some(&status)), "{status}");
        by_status += some.len();
    }
    assert_eq!(by_status, all.len(), "every demo task has one of the five statuses");

    let urgent: Vec<TodoTask> =
        tasks.list().filter("importance eq 'high'").incomplete().stream().try_collect().await.unwrap();
    assert!(!urgent.is_empty());
    assert!(urgent.iter().all(|t| t.importance == Some(Importance::High) && !t.is_completed()));

    // due dates, latest first, two per page: every page is fetched
    s.emu.clear_requests();
    let dated: Vec<TodoTask> = tasks
        .list()
        .filter("dueDateTime/dateTime ge '2000-01-01T00:00:00'")
        .order_by("dueDateTime/dateTime desc")
        .top(2)
        .stream()
        .try_collect()
        .await
        .unwrap();
    let dues: Vec<_> = dated.iter().filter_map(|t| t.due_date_time.as_ref().map(|d| d.date_time)).collect();
    assert_eq!(dues.len(), all.iter().filter(|t| t.due_date_time.is_some()).count());
    assert!(dues.windows(2).all(|w| w[0] >= w[1]), "{dues:?}");
    let pages = s.emu.requests().iter().filter(|r| r.method == "GET" && r.path.ends_with("/tasks")).count();
    assert_eq!(pages, dues.len().div_ceil(2), "one request per page of two");

    // Graph's error bodies: a typed error with Graph's code
    let e = tasks.list().filter("priority eq 1").send().await.unwrap_err();
    assert_eq!(e.status(), Some(400), "{e}");
    assert!(e.code().is_some(), "{e}");
    let e = todo.rename_list(list.id.clone().unwrap(), "Mine").await.unwrap_err();
    assert_eq!((e.status(), e.code()), (Some(400), Some("invalidRequest")), "{e}");
    let e = tasks.get("AAMkAGI2TG93AAAAAAAAAA==").await.unwrap_err();
    assert!(e.is_not_found(), "{e}");
}
