//! Request input that used to be able to crash the emulator or grow it
//! without bound: each gets Graph's error shape (or is tolerated), never a panic.

mod common;

use common::{T, assert_graph_error, seg};
use msgraph_emulator::demo;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn html_with_non_ascii_text_in_head_and_style_is_listed() {
    let t = T::start().await;
    let html =
        "<html><head><title>Réunion ☕</title><style>p{font:“x”}</style></head><body><p>Bonjour é</p></body></html>";
    let r =
        t.post("/me/messages", json!({"subject": "Réunion", "body": {"contentType": "html", "content": html}})).await;
    assert_eq!(r.status, 201, "{}", r.json);
    let id = seg(r.json["id"].as_str().unwrap());
    let got = t.get(&format!("/me/messages/{id}?$select=bodyPreview")).await;
    assert_eq!(got.status, 200, "{}", got.json);
    assert_eq!(got.json["bodyPreview"], "Bonjour é");
    assert_eq!(t.get("/me/mailFolders/drafts/messages").await.status, 200);
}

#[tokio::test]
async fn out_of_range_recurrence_numbers_are_400() {
    let t = T::start().await;
    for pattern in [
        json!({"type": "daily", "interval": 1_000_000_000u64}),
        json!({"type": "weekly", "interval": 0, "daysOfWeek": ["monday"]}),
        json!({"type": "absoluteYearly", "interval": 1, "month": 0, "dayOfMonth": 1}),
        json!({"type": "absoluteMonthly", "interval": 1, "dayOfMonth": 40}),
    ] {
        let r = t
            .post(
                "/me/events",
                json!({
                    "subject": "Bad series",
                    "start": {"dateTime": "2024-03-18T07:00:00", "timeZone": "UTC"},
                    "end": {"dateTime": "2024-03-18T08:00:00", "timeZone": "UTC"},
                    "recurrence": {"pattern": pattern, "range": {"type": "noEnd", "startDate": "2024-03-18"}},
                }),
            )
            .await;
        assert_graph_error(&r, 400, "ErrorInvalidRequest");
    }
    // the emulator still answers afterwards
    assert_eq!(t.get("/me/events").await.status, 200);
}

#[tokio::test]
async fn deeply_nested_filters_are_400_not_a_stack_overflow() {
    let t = T::start().await;
    let deep = format!("{}isRead eq false{}", "(".repeat(5000), ")".repeat(5000));
    let r = t.get(&format!("/me/messages?$filter={deep}")).await;
    assert_eq!(r.status, 400, "{}", r.json);
    let nots = format!("{}isRead eq false", "not ".repeat(5000));
    assert_eq!(t.get(&format!("/me/messages?$filter={nots}")).await.status, 400);
    // ordinary nesting still works
    assert_eq!(t.get("/me/messages?$filter=((isRead eq false))").await.status, 200);
}

#[tokio::test]
async fn a_schedule_window_over_62_days_is_400() {
    let t = T::start().await;
    let r = t
        .call(
            Method::POST,
            "/me/calendar/getSchedule",
            Some(json!({
                "schedules": [demo::USER_UPN],
                "startTime": {"dateTime": "0001-01-01T00:00:00", "timeZone": "UTC"},
                "endTime": {"dateTime": "9999-01-01T00:00:00", "timeZone": "UTC"},
                "availabilityViewInterval": 5
            })),
            &[],
        )
        .await;
    assert_graph_error(&r, 400, "ErrorInvalidRequest");
}

/// `isRead eq true or ...` × 100,000 (in a `$batch` item: a GET URL that
/// long is refused by the HTTP layer) used to overflow the stack in the
/// filter's eval and Drop and abort the test process.
#[tokio::test]
async fn a_filter_with_100000_ors_in_a_batch_is_400_not_a_stack_overflow() {
    let t = T::start().await;
    let long = vec!["isRead%20eq%20true"; 100_000].join("%20or%20");
    let batch = json!({"requests": [
        {"id": "1", "method": "GET", "url": format!("/me/messages?$filter={long}")},
        {"id": "2", "method": "GET", "url": "/me/messages?$top=1"},
    ]});
    let r = t.post("/$batch", batch).await;
    assert_eq!(r.status, 200, "{}", r.json);
    let answers = r.json["responses"].as_array().unwrap();
    let one = answers.iter().find(|a| a["id"] == "1").unwrap();
    assert_eq!(one["status"], 400, "{one}");
    assert_eq!(one["body"]["error"]["code"], "BadRequest");
    assert!(one["body"]["error"]["message"].as_str().unwrap().contains("node count limit"), "{one}");
    assert_eq!(answers.iter().find(|a| a["id"] == "2").unwrap()["status"], 200);
    // As long a GET as the HTTP layer takes.
    let get = vec!["isRead eq true"; 1_500].join(" or ");
    assert_graph_error(&t.get(&format!("/me/messages?$filter={get}")).await, 400, "BadRequest");
}
