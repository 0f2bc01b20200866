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
                "startTime": {"dateTime": "1601-01-01T00:00:00", "timeZone": "UTC"},
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

/// `-262144-01-01T00:00:00` used to panic in the time zone conversions; an
/// event stored with such a date made every later `GET /me/events` panic.
/// Dates outside Graph's range (years 1601-9999) are a 400 now.
#[tokio::test]
async fn extreme_dates_are_400_and_later_listings_still_work() {
    let t = T::start().await;
    for (start, end) in [
        ("-262144-01-01T00:00:00", "-262144-01-01T01:00:00"),
        ("+262143-12-31T22:00:00", "+262143-12-31T23:59:59"),
        ("1600-12-31T23:00:00", "1601-01-01T01:00:00"),
        ("9999-12-31T23:00:00", "10000-01-01T00:00:00"),
        ("9999-12-31T20:00:00", "9999-12-31T23:00:00-14:00"),
    ] {
        for tz in ["Pacific Standard Time", "UTC", "New Zealand Standard Time"] {
            let r = t
                .post(
                    "/me/events",
                    json!({"subject": "Far away", "start": {"dateTime": start, "timeZone": tz},
                           "end": {"dateTime": end, "timeZone": tz}}),
                )
                .await;
            assert_eq!(r.status, 400, "{start}..{end} in {tz}: {}", r.json);
        }
    }
    let series = t
        .post(
            "/me/events",
            json!({"subject": "Far series", "start": {"dateTime": "2024-03-18T07:00:00", "timeZone": "UTC"},
                   "end": {"dateTime": "2024-03-18T08:00:00", "timeZone": "UTC"},
                   "recurrence": {"pattern": {"type": "daily", "interval": 1},
                                  "range": {"type": "endDate", "startDate": "2024-03-18", "endDate": "+262143-12-31"}}}),
        )
        .await;
    assert_eq!(series.status, 400, "{}", series.json);
    // The edges of the range are fine, in any zone.
    for tz in ["Pacific Standard Time", "New Zealand Standard Time", "UTC"] {
        let r = t
            .post(
                "/me/events",
                json!({"subject": "Edge", "start": {"dateTime": "1601-01-01T00:00:00", "timeZone": tz},
                       "end": {"dateTime": "9999-12-31T23:59:59", "timeZone": tz}}),
            )
            .await;
        assert_eq!(r.status, 201, "{tz}: {}", r.json);
    }
    let (events, _) = t.all_pages("/me/events", &[("Prefer", "outlook.timezone=\"Tokyo Standard Time\"")]).await;
    assert!(events.iter().any(|e| e["subject"] == "Edge"));
    let view = t.get("/me/calendarView?startDateTime=-262144-01-01T00:00:00Z&endDateTime=2030-01-01T00:00:00Z").await;
    assert_graph_error(&view, 400, "ErrorInvalidParameter");
    let view = t.get("/me/calendarView?startDateTime=1601-01-01T00:00:00Z&endDateTime=1601-02-01T00:00:00Z").await;
    assert_eq!(view.status, 200, "{}", view.json);
    let far = t.get("/me/messages?$filter=receivedDateTime ge -262144-01-01T00:00:00Z").await;
    assert!(far.status == 200 || far.status == 400, "{}", far.json);
    assert_eq!(t.get("/me/events").await.status, 200);
}

async fn raw_get(t: &T, host: &str) -> String {
    let addr = t.emu.addr();
    let req = format!(
        "GET /v1.0/me HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {}\r\nConnection: close\r\n\r\n",
        t.token
    );
    tokio::task::spawn_blocking(move || {
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        s.write_all(req.as_bytes()).unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        out
    })
    .await
    .unwrap()
}

/// DNS rebinding: a page on evil.example whose name resolves to 127.0.0.1
/// reaches the emulator with `Host: evil.example`; only loopback names are served.
#[tokio::test]
async fn a_non_loopback_host_header_is_refused() {
    let t = T::start().await;
    let port = t.emu.addr().port();
    for host in ["evil.example", &format!("evil.example:{port}"), "127.0.0.1.evil.example", "localhost.evil.example"] {
        let r = raw_get(&t, host).await;
        assert!(r.starts_with("HTTP/1.1 421"), "{host}: {}", r.lines().next().unwrap_or_default());
        assert!(r.contains("\"code\""), "Graph's error shape: {r}");
    }
    for host in [format!("127.0.0.1:{port}"), format!("localhost:{port}"), format!("[::1]:{port}"), "LOCALHOST".into()]
    {
        let r = raw_get(&t, &host).await;
        assert!(r.starts_with("HTTP/1.1 200"), "{host}: {}", r.lines().next().unwrap_or_default());
    }
}

/// A window from 1601 to 9999 on a recurring series used to expand tens of
/// thousands of occurrences (16 s, hundreds of MB); Graph refuses windows
/// over 1825 days with this message.
#[tokio::test]
async fn a_calendar_view_over_1825_days_is_400() {
    let t = T::start().await;
    let r = t
        .post(
            "/me/events",
            json!({
                "subject": "Daily",
                "start": {"dateTime": "1601-01-02T07:00:00", "timeZone": "UTC"},
                "end": {"dateTime": "1601-01-02T08:00:00", "timeZone": "UTC"},
                "recurrence": {"pattern": {"type": "daily", "interval": 1}, "range": {"type": "noEnd", "startDate": "1601-01-02"}},
            }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.json);
    let huge = "startDateTime=1601-01-01T00:00:00Z&endDateTime=9999-12-31T00:00:00Z";
    for path in [
        format!("/me/calendarView?{huge}"),
        format!("/me/calendar/calendarView?{huge}"),
        format!("/me/calendarView/delta?{huge}"),
    ] {
        let r = t.get(&path).await;
        assert_graph_error(&r, 400, "ErrorInvalidRequest");
        assert!(r.json["error"]["message"].as_str().unwrap().contains("Maximum number of days: 1825"), "{}", r.json);
    }
    // 1825 days is still answered
    let r = t.get("/me/calendarView?startDateTime=1601-01-01T00:00:00Z&endDateTime=1605-12-30T00:00:00Z&$top=5").await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(r.values().len(), 5);
}

/// Each new delta round holds its entries; 10,000 rounds on a big folder
/// used to be bounded only in count (10,000 tokens × the folder).
#[tokio::test]
async fn delta_tokens_are_bounded_by_bytes() {
    let t = T::with(msgraph_emulator::Emulator::builder().seed(false)).await;
    for i in 0..3000 {
        t.emu.add_message(demo::USER_UPN, "inbox", json!({"subject": format!("m{i}")})).unwrap();
    }
    let rounds = 200;
    for _ in 0..rounds {
        let r = t.get_with("/me/mailFolders/inbox/messages/delta", &[("Prefer", "odata.maxpagesize=1")]).await;
        assert_eq!(r.status, 200, "{}", r.json);
    }
    let live = t.emu.delta_token_count();
    assert!(live < rounds, "{live} tokens live: each round's entries are kept");
    assert!(live > 0);
}

/// Oversized identity fields are refused before anything is kept.
#[tokio::test]
async fn identity_endpoints_refuse_oversized_fields() {
    let t = T::start().await;
    let long_id = "c".repeat(10_000);
    let long_scope = "s".repeat(100_000);
    for (path, pairs) in [
        ("/common/oauth2/v2.0/devicecode", vec![("client_id", long_id.as_str()), ("scope", "x")]),
        ("/common/oauth2/v2.0/devicecode", vec![("client_id", "app"), ("scope", long_scope.as_str())]),
        (
            "/common/oauth2/v2.0/token",
            vec![("grant_type", "client_credentials"), ("client_id", long_id.as_str()), ("client_secret", "x")],
        ),
    ] {
        let body = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
        let r = common::client()
            .post(format!("{}{}", t.emu.authority_url(), path))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 400);
        let v: serde_json::Value = r.json().await.unwrap();
        assert_eq!(v["error"], "invalid_request", "{v}");
    }
}
