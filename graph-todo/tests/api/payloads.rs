//! What `NewTask`, `TaskPatch` and `NewTaskList` put on the wire: every
//! field exactly once, nothing that was not set, and bad input refused
//! before sending.

use chrono::NaiveDate;
use msgraph_core::models::Importance;
use msgraph_core::test_util::MockGraph;
use msgraph_todo::{
    DayOfWeek, NewTask, NewTaskList, PatternedRecurrence, RecurrencePattern, RecurrencePatternType, RecurrenceRange,
    TaskPatch, TaskStatus, TodoExt,
};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, ResponseTemplate};

use super::{TASKS, ok, refused, sent_as_graph_expects};

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, d).unwrap_or_default()
}

#[tokio::test]
async fn create_with_every_field_sends_exactly_them() {
    let g = MockGraph::start().await;
    Mock::given(method("POST"))
        .and(path(TASKS))
        .and(body_json(json!({
            "title": "Water the plants",
            "body": {"content": "<b>all</b> of them", "contentType": "html"},
            "importance": "low",
            "status": "inProgress",
            "startDateTime": {"dateTime": "2026-12-01T00:00:00.0000000", "timeZone": "Europe/Paris"},
            "dueDateTime": {"dateTime": "2026-12-05T00:00:00.0000000", "timeZone": "Europe/Paris"},
            "reminderDateTime": {"dateTime": "2026-12-05T08:30:00.0000000", "timeZone": "Europe/Paris"},
            "isReminderOn": true,
            "categories": ["Home", "Weekend"],
            "recurrence": {
                "pattern": {"type": "weekly", "interval": 1, "daysOfWeek": ["saturday"], "firstDayOfWeek": "sunday"},
                "range": {"type": "noEnd", "startDate": "2026-12-05"}
            }
        })))
        // the task's zone is asked back, so the answer carries the dates set
        .and(header("prefer", r#"outlook.timezone="Europe/Paris""#))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "id": "W", "title": "Water the plants", "status": "inProgress", "importance": "low",
            "dueDateTime": {"dateTime": "2026-12-05T00:00:00.0000000", "timeZone": "Europe/Paris"},
            "recurrence": {
                "pattern": {"type": "weekly", "interval": 1, "daysOfWeek": ["saturday"], "firstDayOfWeek": "sunday", "dayOfMonth": 0, "month": 0, "index": "first"},
                "range": {"type": "noEnd", "startDate": "2026-12-05", "endDate": "0001-01-01", "numberOfOccurrences": 0, "recurrenceTimeZone": "Europe/Paris"}
            }
        })))
        .expect(1)
        .mount(&g.server)
        .await;
    let weekly =
        PatternedRecurrence::new(RecurrencePattern::weekly(1, [DayOfWeek::Saturday]), RecurrenceRange::no_end(day(5)));
    let task = NewTask::new("Water the plants")
        .html_body("<b>all</b> of them")
        .importance(Importance::Low)
        .status(TaskStatus::InProgress)
        .start(day(1))
        .due(day(5))
        .reminder(day(5).and_hms_opt(8, 30, 0).unwrap_or_default())
        .categories(["Home", "Weekend"])
        .recurrence(weekly)
        .time_zone("Europe/Paris");
    let t = g.client().me().todo().tasks("AAMkADIyAAAAABrJAAA=").create(task).await.unwrap();
    assert_eq!(t.due_date(), Some(day(5)));
    let pattern = t.recurrence.and_then(|r| r.pattern).unwrap_or_default();
    assert_eq!(pattern.pattern_type, Some(RecurrencePatternType::Weekly));
    assert_eq!(pattern.days_of_week, Some(vec![DayOfWeek::Saturday]));
    sent_as_graph_expects(&g).await;
}

#[tokio::test]
async fn update_sends_every_patchable_field_and_the_reminder_off() {
    let g = MockGraph::start().await;
    Mock::given(method("PATCH"))
        .and(path(format!("{TASKS}/T")))
        .and(body_json(json!({
            "title": "Shop for dinner",
            "body": {"content": "pasta, basil", "contentType": "text"},
            "importance": "normal",
            "status": "waitingOnOthers",
            "dueDateTime": {"dateTime": "2026-12-03T00:00:00.0000000", "timeZone": "UTC"},
            "reminderDateTime": {"dateTime": "2026-12-03T17:00:00.0000000", "timeZone": "UTC"},
            "isReminderOn": true,
            "categories": []
        })))
        .respond_with(ok(r#"{"id":"T","title":"Shop for dinner"}"#))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("PATCH"))
        .and(path(format!("{TASKS}/T")))
        .and(body_json(json!({"isReminderOn": false})))
        .respond_with(ok(r#"{"id":"T","isReminderOn":false}"#))
        .expect(1)
        .mount(&g.server)
        .await;
    let tasks = g.client().me().todo().tasks("AAMkADIyAAAAABrJAAA=");
    let patch = TaskPatch::new()
        .title("Shop for dinner")
        .text_body("pasta, basil")
        .importance(Importance::Normal)
        .status(TaskStatus::WaitingOnOthers)
        .due(day(3))
        .reminder(day(3).and_hms_opt(17, 0, 0).unwrap_or_default())
        .categories(Vec::<String>::new());
    tasks.update("T", patch).await.unwrap();
    let off = tasks.update("T", TaskPatch::new().reminder_off()).await.unwrap();
    assert_eq!(off.is_reminder_on, Some(false));
    sent_as_graph_expects(&g).await;
}

#[tokio::test]
async fn create_list_takes_a_name_or_a_new_task_list() {
    let g = MockGraph::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/me/todo/lists"))
        .and(body_json(json!({"displayName": "Travel items"})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "T", "displayName": "Travel items"})))
        .expect(2)
        .mount(&g.server)
        .await;
    let todo = g.client().me().todo();
    todo.create_list(NewTaskList::new("Travel items")).await.unwrap();
    todo.create_list(String::from("Travel items")).await.unwrap();
    sent_as_graph_expects(&g).await;
}

#[tokio::test]
async fn bad_input_names_what_is_wrong_and_sends_nothing() {
    let g = MockGraph::start().await;
    let todo = g.client().me().todo();
    let tasks = todo.tasks("L");
    let nine = day(2).and_hms_opt(9, 0, 0).unwrap_or_default();

    // statuses and importances given as strings this SDK does not know
    refused(&g, tasks.create(NewTask::new("x").status(TaskStatus::from("done"))).await, "unknown task status \"done\"")
        .await;
    refused(
        &g,
        tasks.update("T", TaskPatch::new().status("Finished".parse().unwrap_or(TaskStatus::Completed))).await,
        "\"Finished\"",
    )
    .await;
    refused(
        &g,
        tasks.create(NewTask::new("x").importance(Importance::from("urgent"))).await,
        "unknown importance \"urgent\"",
    )
    .await;
    // known values in any casing are fine (not sent here: checked on the wire form)
    assert_eq!(TaskStatus::from("WaitingOnOthers"), TaskStatus::WaitingOnOthers);

    // a reminder in a zone the SDK cannot resolve: the task's, or the client's default
    refused(&g, tasks.create(NewTask::new("x").reminder(nine).time_zone("Nowhere/Land")).await, "Nowhere/Land").await;
    refused(&g, tasks.update("T", TaskPatch::new().reminder(nine).time_zone(" ")).await, "time zone").await;
    let elsewhere = g.client_builder().timezone("Atlantis Standard Time").build().unwrap();
    let far = elsewhere.me().todo().tasks("L");
    refused(&g, far.create(NewTask::new("x").reminder(nine)).await, "Atlantis Standard Time").await;

    // dates outside Graph's range, at either end
    let late = NaiveDate::from_ymd_opt(10000, 1, 1).unwrap_or_default();
    refused(&g, tasks.create(NewTask::new("x").due(late)).await, "9999").await;
    refused(
        &g,
        tasks.update("T", TaskPatch::new().start(NaiveDate::from_ymd_opt(1600, 12, 31).unwrap_or_default())).await,
        "1601",
    )
    .await;

    // a recurrence Graph would refuse
    let never = PatternedRecurrence::new(RecurrencePattern::daily(1), RecurrenceRange::numbered(day(1), 0));
    refused(&g, tasks.create(NewTask::new("x").recurrence(never)).await, "at least 1 occurrence").await;

    // empty names
    refused(&g, tasks.update("T", TaskPatch::new().title("  ")).await, "title must not be empty").await;
    refused(&g, todo.create_list(NewTaskList::new("")).await, "must not be empty").await;
    refused(&g, todo.rename_list("T", " ").await, "must not be empty").await;
    refused(&g, tasks.checklist("T").rename("C", "").await, "needs a name").await;
    refused(&g, tasks.attachments("T").add(" ", "text/plain", b"x".to_vec()).await, "needs a name").await;
    refused(&g, tasks.find(" ").await, "must not be empty").await;
    let too_big = vec![0u8; msgraph_todo::MAX_TASK_ATTACHMENT as usize + 1];
    refused(&g, tasks.attachments("T").add_large("big.bin", too_big).await, "up to 25 MB").await;
    refused(&g, todo.find_list("").await, "must not be empty").await;
}
