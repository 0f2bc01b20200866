//! Calendar views: the window goes out in UTC, recurrences are Graph's to
//! expand, and `Prefer: outlook.timezone` rides along on every page.

mod common;

use chrono::{FixedOffset, TimeZone, Utc};
use common::{header, json_value, only_request, query};
use futures::TryStreamExt;
use msgraph_calendar::CalendarExt;
use msgraph_core::WithOptions as _;
use msgraph_core::test_util::MockGraph;
use serde_json::Value;
use wiremock::matchers::{header as header_is, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, ResponseTemplate};

const LIST_EVENTS: &str = include_str!("../../testdata/graph-samples/calendar/user-list-events.json");
const NY: &str = "outlook.timezone=\"America/New_York\"";

fn page(next: Option<String>, subject: &str) -> Value {
    let mut v: Value = serde_json::from_str(LIST_EVENTS).unwrap();
    v["value"][0]["subject"] = subject.into();
    if let Some(next) = next {
        v["@odata.nextLink"] = next.into();
    }
    v
}

#[tokio::test]
async fn view_sends_the_window_in_utc_and_the_prefer_header() {
    let graph = MockGraph::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/calendarView"))
        .and(query_param("startDateTime", "2026-03-09T05:00:00Z"))
        .and(query_param("endDateTime", "2026-03-14T05:00:00Z"))
        .and(header_is("prefer", NY))
        .respond_with(json_value(&page(None, "Orientation ")))
        .expect(1)
        .mount(&graph.server)
        .await;

    // Midnight in New York (UTC-5) on both days, given as zoned chrono values.
    let est = FixedOffset::west_opt(5 * 3600).unwrap();
    let start = est.with_ymd_and_hms(2026, 3, 9, 0, 0, 0).unwrap();
    let end = est.with_ymd_and_hms(2026, 3, 14, 0, 0, 0).unwrap();
    let page = graph.client().me().calendar_view(start, end).timezone("America/New_York").send().await.unwrap();

    let e = &page.value[0];
    assert_eq!(e.subject.as_deref(), Some("Orientation "));
    let s = e.start.as_ref().unwrap();
    assert_eq!(s.time_zone.as_deref(), Some("Pacific Standard Time"));
    assert_eq!(s.date_time.to_string(), "2017-04-21 10:00:00");
    assert_eq!(e.attendees.as_ref().unwrap().len(), 2);

    let req = only_request(&graph).await;
    assert_eq!(
        query(&req),
        [
            ("startDateTime".into(), "2026-03-09T05:00:00Z".into()),
            ("endDateTime".into(), "2026-03-14T05:00:00Z".into())
        ]
    );
}

#[tokio::test]
async fn prefer_timezone_is_sent_on_every_page() {
    let graph = MockGraph::start().await;
    let base = graph.base_url();
    let link = |token: &str| {
        format!(
            "{base}/me/calendarView?startDateTime=2026-03-01T00:00:00Z&endDateTime=2026-04-01T00:00:00Z&$skiptoken={token}"
        )
    };
    // Each mock requires the header: a page sent without it matches none and
    // hits the catch-all, which fails the test.
    Mock::given(method("GET"))
        .and(path("/v1.0/me/calendarView"))
        .and(query_param_is_missing("$skiptoken"))
        .and(header_is("prefer", NY))
        .respond_with(json_value(&page(Some(link("p2")), "one")))
        .expect(1)
        .mount(&graph.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/calendarView"))
        .and(query_param("$skiptoken", "p2"))
        .and(header_is("prefer", NY))
        .respond_with(json_value(&page(Some(link("p3")), "two")))
        .expect(1)
        .mount(&graph.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/calendarView"))
        .and(query_param("$skiptoken", "p3"))
        .and(header_is("prefer", NY))
        .respond_with(json_value(&page(None, "three")))
        .expect(1)
        .mount(&graph.server)
        .await;

    let start = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
    let end = Utc.with_ymd_and_hms(2026, 4, 1, 0, 0, 0).unwrap();
    let events: Vec<_> = graph
        .client()
        .me()
        .calendar_view(start, end)
        .timezone("America/New_York")
        .stream()
        .try_collect()
        .await
        .unwrap();

    let subjects: Vec<_> = events.iter().map(|e| e.subject.as_deref().unwrap()).collect();
    assert_eq!(subjects, ["one", "two", "three"]);
    let reqs = graph.requests().await;
    assert_eq!(reqs.len(), 3);
    for (i, r) in reqs.iter().enumerate() {
        assert_eq!(header(r, "prefer"), Some(NY), "page {}", i + 1);
    }
}

#[tokio::test]
async fn view_of_a_calendar_by_id_for_another_user() {
    let graph = MockGraph::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users/adelev@contoso.com/calendars/AAMkAGI2TGuLAAA=/calendarView"))
        .and(query_param("startDateTime", "2026-03-01T00:00:00Z"))
        .and(query_param("endDateTime", "2026-03-02T00:00:00Z"))
        .respond_with(json_value(&page(None, "x")))
        .expect(1)
        .mount(&graph.server)
        .await;
    let start = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
    let page = graph
        .client()
        .user("adelev@contoso.com")
        .calendars()
        .calendar_view("AAMkAGI2TGuLAAA=", start, start + chrono::TimeDelta::days(1))
        .send()
        .await
        .unwrap();
    assert_eq!(page.value.len(), 1);
    let req = only_request(&graph).await;
    assert_eq!(header(&req, "prefer"), None, "no zone asked, no Prefer header");
}

#[tokio::test]
async fn calendar_id_with_reserved_characters_stays_one_segment() {
    let graph = MockGraph::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/calendars/a%2Fb%3Fc%23d/calendarView"))
        .respond_with(json_value(&page(None, "x")))
        .expect(1)
        .mount(&graph.server)
        .await;
    let start = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
    let end = start + chrono::TimeDelta::days(1);
    graph.client().me().calendars().calendar_view("a/b?c#d", start, end).send().await.unwrap();
}

#[tokio::test]
async fn graph_errors_come_back_typed() {
    let graph = MockGraph::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/calendarView"))
        .respond_with(ResponseTemplate::new(400).set_body_string(
            r#"{"error":{"code":"ErrorInvalidParameter","message":"The value of the parameter 'EndDateTime' is invalid."}}"#,
        ))
        .expect(1)
        .mount(&graph.server)
        .await;
    let t = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
    let err = graph.client().me().calendar_view(t, t + chrono::TimeDelta::days(1)).send().await.unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.code(), Some("ErrorInvalidParameter"));
}

/// The assistant's call from the seed document:
/// `get_calendar_events(start="2024-01-01T00:00:00", end="2024-01-02T00:00:00", timezone="America/New_York")`.
#[tokio::test]
async fn a_window_of_local_times_in_a_named_zone_goes_out_as_its_utc_instants() {
    let graph = MockGraph::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/calendarView"))
        .and(query_param("startDateTime", "2024-01-01T05:00:00Z"))
        .and(query_param("endDateTime", "2024-01-02T05:00:00Z"))
        .respond_with(json_value(&page(None, "new year")))
        .expect(1)
        .mount(&graph.server)
        .await;
    // a summer window in a Windows zone name: Pacific daylight time is UTC-7
    Mock::given(method("GET"))
        .and(path("/v1.0/me/events/AAMk=/instances"))
        .and(query_param("startDateTime", "2024-07-01T16:00:00Z"))
        .and(query_param("endDateTime", "2024-07-02T07:00:00Z"))
        .respond_with(json_value(&page(None, "summer")))
        .expect(1)
        .mount(&graph.server)
        .await;

    let local = |d: &str| chrono::NaiveDateTime::parse_from_str(d, "%Y-%m-%dT%H:%M:%S").unwrap();
    let ny = "America/New_York";
    let page = graph
        .client()
        .me()
        .calendar_view((local("2024-01-01T00:00:00"), ny), (local("2024-01-02T00:00:00"), ny))
        .send()
        .await
        .unwrap();
    assert_eq!(page.value[0].subject.as_deref(), Some("new year"));

    let pst = "Pacific Standard Time";
    let page = graph
        .client()
        .me()
        .events()
        .instances("AAMk=", (local("2024-07-01T09:00:00"), pst), (local("2024-07-02T00:00:00"), pst))
        .send()
        .await
        .unwrap();
    assert_eq!(page.value[0].subject.as_deref(), Some("summer"));
}

#[tokio::test]
async fn an_unknown_zone_name_is_invalid_input_naming_it_and_nothing_is_sent() {
    let graph = MockGraph::start().await;
    let t = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap();
    let me = graph.client().me();
    let err = me.calendar_view((t, "Atlantis/Poseidonia"), Utc::now()).send().await.unwrap_err();
    assert!(matches!(&err, msgraph_core::Error::InvalidInput(m) if m.contains("Atlantis/Poseidonia")), "{err}");
    let err = me.calendar_view_delta(Utc::now(), (t, "Nowhere Standard Time")).pages().await.unwrap_err();
    assert!(matches!(&err, msgraph_core::Error::InvalidInput(m) if m.contains("Nowhere Standard Time")), "{err}");
    // end before start, across zones: 2024-01-01 00:00 in Tokyo is before 00:00 in New York
    let err = me.calendar_view((t, "America/New_York"), (t, "Asia/Tokyo")).send().await.unwrap_err();
    assert!(matches!(&err, msgraph_core::Error::InvalidInput(m) if m.contains("not after its start")), "{err}");
    assert!(graph.requests().await.is_empty(), "nothing may be sent");
}
