//! Delta sync of a calendar view, through core's `DeltaSync`, with the three
//! delta samples as the pages of a round.

mod common;

use msgraph_core::WithOptions as _;
use std::sync::Arc;

use chrono::{TimeZone, Utc};
use common::{header, json, query};
use msgraph_calendar::CalendarExt;
use msgraph_core::delta::{Change, DeltaStore, MemoryDeltaStore, RemovedReason};
use msgraph_core::test_util::MockGraph;
use wiremock::Mock;
use wiremock::matchers::{header as header_is, method, path, query_param, query_param_is_missing};

const PAGE_1: &str = include_str!("../../testdata/graph-samples/calendar/delta-query-events-1.json");
const PAGE_LAST: &str = include_str!("../../testdata/graph-samples/calendar/delta-query-events-3.json");
const NEXT_ROUND: &str = include_str!("../../testdata/graph-samples/calendar/delta-query-events-4.json");
const UTC_PREFER: &str = "outlook.timezone=\"UTC\"";

/// A sample with its links pointed at the mock server.
fn local(graph: &MockGraph, sample: &str) -> String {
    sample.replace("https://graph.microsoft.com/v1.0", &graph.base_url())
}

#[tokio::test]
async fn calendar_view_delta_follows_pages_reports_removals_and_commits() {
    let graph = MockGraph::start().await;
    let delta = "/v1.0/me/calendarView/delta";
    Mock::given(method("GET"))
        .and(path(delta))
        .and(query_param("startDateTime", "2016-12-01T00:00:00Z"))
        .and(query_param("endDateTime", "2016-12-30T00:00:00Z"))
        .and(query_param_is_missing("$skiptoken"))
        .and(query_param_is_missing("$deltatoken"))
        .and(header_is("prefer", UTC_PREFER))
        .respond_with(json(local(&graph, PAGE_1)))
        .expect(1)
        .mount(&graph.server)
        .await;
    Mock::given(method("GET"))
        .and(path(delta))
        .and(query_param("$skiptoken", "R0usmcCM996atia_s"))
        .and(header_is("prefer", UTC_PREFER))
        .respond_with(json(local(&graph, PAGE_LAST)))
        .expect(1)
        .mount(&graph.server)
        .await;
    // Core follows the first deltaLink once more before keeping it: that
    // answer is the next-round sample (a removal and a change).
    Mock::given(method("GET"))
        .and(path(delta))
        .and(query_param("$deltatoken", "R0usmcMDNGg0J1E"))
        .and(header_is("prefer", UTC_PREFER))
        .respond_with(json(local(&graph, NEXT_ROUND)))
        .expect(1)
        .mount(&graph.server)
        .await;

    let store = Arc::new(MemoryDeltaStore::default());
    let start = Utc.with_ymd_and_hms(2016, 12, 1, 0, 0, 0).unwrap();
    let end = Utc.with_ymd_and_hms(2016, 12, 30, 0, 0, 0).unwrap();
    let sync = graph.client().me().calendar_view_delta(start, end).timezone("UTC").store(store.clone(), "calendar");
    let round = sync.run().await.unwrap();

    let subjects: Vec<_> = round.upserted().map(|e| e.subject.as_deref().unwrap()).collect();
    assert_eq!(subjects, ["Plan shopping list", "Pick up car", "Rest!", "Attend service"]);
    let removed: Vec<_> = round.removed().collect();
    assert_eq!(removed.len(), 1);
    assert_eq!(removed[0].id, "AAMkADk0MGFkODE3LWE4MmYtNDRhOS04OGQLkRkXbBznTvAADb6ytyAAA=");
    assert_eq!(removed[0].reason, RemovedReason::Deleted);
    let service = round.upserted().find(|e| e.subject.as_deref() == Some("Attend service")).unwrap();
    assert_eq!(service.location.as_ref().unwrap().address.as_ref().unwrap().city.as_deref(), Some("Seattle"));
    assert!(matches!(round.changes()[0], Change::Upserted(_)));

    let reqs = graph.requests().await;
    assert_eq!(reqs.len(), 3);
    assert_eq!(
        query(&reqs[0]),
        [
            ("startDateTime".to_owned(), "2016-12-01T00:00:00Z".to_owned()),
            ("endDateTime".to_owned(), "2016-12-30T00:00:00Z".to_owned())
        ]
    );
    for r in &reqs {
        assert_eq!(header(r, "prefer"), Some(UTC_PREFER));
    }

    // Nothing is stored until the round is committed.
    assert_eq!(store.load("calendar").await.unwrap(), None);
    round.commit().await.unwrap();
    let stored = store.load("calendar").await.unwrap().unwrap();
    assert_eq!(stored, format!("{}/me/calendarView/delta?$deltatoken=R0usmcFuQtZdtpk4", graph.base_url()));
}

#[tokio::test]
async fn calendar_view_delta_of_a_calendar_by_id() {
    let graph = MockGraph::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users/samanthab@contoso.com/calendars/AAMkAGI2TGuLAAA=/calendarView/delta"))
        .and(query_param("startDateTime", "2016-12-01T00:00:00Z"))
        .respond_with(json(local(&graph, PAGE_LAST)))
        .expect(1)
        .mount(&graph.server)
        .await;
    let start = Utc.with_ymd_and_hms(2016, 12, 1, 0, 0, 0).unwrap();
    let round = graph
        .client()
        .user("samanthab@contoso.com")
        .calendars()
        .events("AAMkAGI2TGuLAAA=")
        .calendar_view_delta(start, start + chrono::TimeDelta::days(29))
        .confirm_delta_link(false)
        .run()
        .await
        .unwrap();
    assert_eq!(round.upserted().count(), 1);
    assert!(round.delta_link().ends_with("$deltatoken=R0usmcMDNGg0J1E"));
}
