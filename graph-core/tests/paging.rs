//! Paging, request by request (CONFORMANCE 30-36).

use std::time::Duration;

use futures::{StreamExt, TryStreamExt};
use msgraph_core::WithOptions;
use msgraph_core::test_util::MockGraph;
use msgraph_core::{Continuation, Error, GraphClient, GraphPath, ListBuilder, models::User};
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, ResponseTemplate};

fn users(ids: std::ops::Range<u32>) -> Vec<Value> {
    ids.map(|i| json!({"id": i.to_string(), "displayName": format!("User {i}")})).collect()
}

/// Mounts `pages` pages of `per` users at /v1.0/users, linked by `$skiptoken`,
/// each expected once.
async fn mount_pages(g: &MockGraph, pages: u32, per: u32) {
    mount_pages_expect(g, pages, per, &vec![1; pages as usize]).await
}

/// Like `mount_pages`, with how often each page is expected.
async fn mount_pages_expect(g: &MockGraph, pages: u32, per: u32, expected: &[u64]) {
    for p in 0..pages {
        let mut body = json!({
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users",
            "value": users(p * per..(p + 1) * per),
        });
        if p + 1 < pages {
            body["@odata.nextLink"] = json!(format!("{}/users?$skiptoken=page{}", g.base_url(), p + 1));
        }
        let m = Mock::given(method("GET")).and(path("/v1.0/users"));
        let m = if p == 0 {
            m.and(query_param("$top", per.to_string()))
        } else {
            m.and(query_param("$skiptoken", format!("page{p}")))
        };
        m.respond_with(ResponseTemplate::new(200).set_body_json(body))
            .expect(expected[p as usize])
            .mount(&g.server)
            .await;
    }
}

fn list(c: &GraphClient) -> ListBuilder<User> {
    ListBuilder::new(c.clone(), GraphPath::new().push("users"))
}

#[tokio::test]
async fn follows_three_next_links_then_stops() {
    let g = MockGraph::start().await;
    mount_pages(&g, 4, 3).await;
    let all: Vec<User> = list(&g.client()).top(3).stream().try_collect().await.unwrap();
    let ids: Vec<_> = all.iter().map(|u| u.id.clone().unwrap()).collect();
    assert_eq!(ids, (0..12).map(|i| i.to_string()).collect::<Vec<_>>());
    assert_eq!(g.requests().await.len(), 4);
}

#[tokio::test]
async fn send_returns_one_page_with_its_next_link() {
    let g = MockGraph::start().await;
    mount_pages(&g, 1, 3).await;
    let page = list(&g.client()).top(3).send().await.unwrap();
    assert_eq!(page.value.len(), 3);
    assert!(page.is_last());
}

#[tokio::test]
async fn a_repeating_next_link_is_an_error_not_a_loop() {
    let g = MockGraph::start().await;
    let again = format!("{}/users?$skiptoken=same", g.base_url());
    Mock::given(path("/v1.0/users"))
        .and(query_param("$skiptoken", "same"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": users(1..2), "@odata.nextLink": again})))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(path("/v1.0/users"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": users(0..1), "@odata.nextLink": again})))
        .expect(1)
        .mount(&g.server)
        .await;
    let mut s = list(&g.client()).stream();
    assert_eq!(s.try_next().await.unwrap().unwrap().id.as_deref(), Some("0"));
    assert_eq!(s.try_next().await.unwrap().unwrap().id.as_deref(), Some("1"));
    let err = s.try_next().await.unwrap_err();
    assert!(matches!(err, Error::Paging(_)), "{err:?}");
    assert!(s.next().await.is_none(), "the stream ends after the error");
}

#[tokio::test]
async fn headers_of_the_first_request_are_sent_on_every_page() {
    let g = MockGraph::start().await;
    mount_pages(&g, 3, 2).await;
    let all: Vec<User> = list(&g.client())
        .top(2)
        .timezone("America/New_York")
        .max_page_size(2)
        .consistency_eventual()
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 6);
    let reqs = g.requests().await;
    assert_eq!(reqs.len(), 3);
    for r in &reqs {
        assert_eq!(r.headers.get("prefer").unwrap(), r#"outlook.timezone="America/New_York", odata.maxpagesize=2"#);
        assert_eq!(r.headers.get("consistencylevel").unwrap(), "eventual");
        assert_eq!(r.headers.get("authorization").unwrap(), "Bearer test-token");
    }
}

#[tokio::test]
async fn each_page_goes_through_retry() {
    let g = MockGraph::start().await;
    Mock::given(path("/v1.0/users"))
        .and(query_param("$skiptoken", "p2"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(path("/v1.0/users"))
        .and(query_param("$skiptoken", "p2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": users(1..2)})))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(path("/v1.0/users"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": users(0..1), "@odata.nextLink": format!("{}/users?$skiptoken=p2", g.base_url())
        })))
        .expect(1)
        .mount(&g.server)
        .await;
    let all: Vec<User> = list(&g.client()).stream().try_collect().await.unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(g.requests().await[2].headers.get("retry-attempt").unwrap(), "1");
}

#[tokio::test]
async fn next_link_to_another_host_is_refused_and_gets_no_token() {
    let g = MockGraph::start().await;
    let other = wiremock::MockServer::start().await;
    Mock::given(path("/v1.0/users"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": users(0..1), "@odata.nextLink": format!("{}/v1.0/users?$skiptoken=2", other.uri())
        })))
        .expect(1)
        .mount(&g.server)
        .await;
    let mut s = list(&g.client()).stream();
    assert!(s.try_next().await.unwrap().is_some());
    let err = s.try_next().await.unwrap_err();
    assert!(matches!(err, Error::UntrustedHost { .. }), "{err:?}");
    assert!(other.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn continuation_resumes_with_no_item_twice_and_none_skipped() {
    let g = MockGraph::start().await;
    // The middle page is requested twice: before the hand-back, and on resume.
    mount_pages_expect(&g, 3, 4, &[1, 2, 1]).await;
    let mut s = list(&g.client()).top(4).prefetch(false).stream();
    let mut seen = Vec::new();
    for _ in 0..6 {
        seen.push(s.try_next().await.unwrap().unwrap().id.unwrap());
    }
    let saved = serde_json::to_string(&s.continuation().unwrap()).unwrap();
    drop(s);
    let c: Continuation = serde_json::from_str(&saved).unwrap();
    assert_eq!(c.skip, 2);
    let rest: Vec<User> = list(&g.client()).resume_from(c).stream().try_collect().await.unwrap();
    seen.extend(rest.into_iter().map(|u| u.id.unwrap()));
    assert_eq!(seen, (0..12).map(|i| i.to_string()).collect::<Vec<_>>());
}

#[tokio::test]
async fn continuation_at_a_page_boundary_points_at_the_next_page() {
    let g = MockGraph::start().await;
    mount_pages(&g, 2, 2).await;
    let mut s = list(&g.client()).top(2).prefetch(false).stream();
    s.try_next().await.unwrap();
    s.try_next().await.unwrap();
    let c = s.continuation().unwrap();
    assert_eq!((c.link.ends_with("$skiptoken=page1"), c.skip), (true, 0));
    let rest: Vec<User> = list(&g.client()).resume_from(c).stream().try_collect().await.unwrap();
    assert_eq!(rest.iter().map(|u| u.id.clone().unwrap()).collect::<Vec<_>>(), ["2", "3"]);
    assert!(list(&g.client()).stream().continuation().is_some(), "a fresh stream resumes at its first page");
}

#[tokio::test]
async fn reads_exactly_one_page_ahead_while_the_caller_works() {
    let g = MockGraph::start().await;
    mount_pages(&g, 3, 2).await;
    let mut pages = list(&g.client()).top(2).pages();
    let first = pages.try_next().await.unwrap().unwrap();
    assert_eq!(first.value.len(), 2);
    // The caller is busy; the second page is fetched meanwhile, the third is not.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while g.requests().await.len() < 2 && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(g.requests().await.len(), 2, "one page ahead, never more");
    let rest: Vec<_> = pages.try_collect().await.unwrap();
    assert_eq!(rest.len(), 2);
}

#[tokio::test]
async fn without_read_ahead_nothing_is_fetched_until_asked() {
    let g = MockGraph::start().await;
    mount_pages(&g, 2, 2).await;
    let mut pages = list(&g.client()).top(2).prefetch(false).pages();
    pages.try_next().await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(g.requests().await.len(), 1);
    pages.try_next().await.unwrap();
    assert_eq!(g.requests().await.len(), 2);
}

#[tokio::test]
async fn a_delta_link_is_exposed_and_not_followed() {
    let g = MockGraph::start().await;
    Mock::given(path("/v1.0/users"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": users(0..1), "@odata.deltaLink": format!("{}/users/delta?$deltatoken=abc", g.base_url())
        })))
        .expect(1)
        .mount(&g.server)
        .await;
    let pages: Vec<_> = list(&g.client()).pages().try_collect().await.unwrap();
    assert_eq!(pages.len(), 1);
    assert!(pages[0].delta_link.as_deref().unwrap().ends_with("$deltatoken=abc"));
}

#[tokio::test]
async fn odata_options_are_sent_as_graph_expects() {
    let g = MockGraph::start().await;
    Mock::given(path("/v1.0/users"))
        .and(query_param("$select", "id,displayName"))
        .and(query_param("$filter", "startswith(displayName,'A')"))
        .and(query_param("$orderby", "displayName"))
        .and(query_param("$search", "\"displayName:Ad\""))
        .and(query_param("$count", "true"))
        .and(query_param("$skip", "5"))
        .and(query_param("$expand", "manager"))
        .and(header("consistencylevel", "eventual"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"@odata.count": 42, "value": []})))
        .expect(1)
        .mount(&g.server)
        .await;
    let page = list(&g.client())
        .select(["id", "displayName"])
        .filter("startswith(displayName,'A')")
        .order_by("displayName")
        .search("displayName:Ad")
        .count()
        .skip(5)
        .expand(["manager"])
        .consistency_eventual()
        .send()
        .await
        .unwrap();
    assert_eq!(page.count, Some(42));
    let q = g.requests().await[0].url.query().unwrap().to_owned();
    assert!(q.contains("$filter=startswith(displayName,%27A%27)"), "{q}");
    assert!(!q.contains('+'), "spaces are %20, never +: {q}");
}

#[tokio::test]
async fn invalid_header_is_reported_before_sending() {
    let g = MockGraph::start().await;
    let err = list(&g.client()).header("bad header", "x").send().await.unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)));
    let err = list(&g.client()).header("x", "bad\nvalue").stream().try_next().await.unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)));
    assert!(g.requests().await.is_empty());
}

/// Pages that never end: page n links to page n + 1.
struct Endless {
    base: String,
}

impl wiremock::Respond for Endless {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let n: u32 =
            request.url.query_pairs().find(|(k, _)| k == "page").and_then(|(_, v)| v.parse().ok()).unwrap_or(0);
        ResponseTemplate::new(200).set_body_json(json!({
            "value": users(n..n + 1),
            "@odata.nextLink": format!("{}/users?page={}", self.base, n + 1),
        }))
    }
}

#[tokio::test]
async fn a_list_stops_with_a_paging_error_after_max_pages() {
    let g = MockGraph::start().await;
    Mock::given(path("/v1.0/users")).respond_with(Endless { base: g.base_url() }).mount(&g.server).await;
    let mut items = list(&g.client()).max_pages(3).stream();
    let mut ids = Vec::new();
    let err = loop {
        match items.next().await {
            Some(Ok(u)) => ids.push(u.id.unwrap()),
            Some(Err(e)) => break e,
            None => panic!("an endless listing ended"),
        }
    };
    assert_eq!(ids, ["0", "1", "2"]);
    assert!(matches!(err, Error::Paging(_)), "{err:?}");
    assert!(err.to_string().contains("3 pages"), "{err}");
    assert!(items.next().await.is_none());
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(g.requests().await.len(), 3, "no page fetched beyond the limit, read-ahead included");
    let resume = items.continuation().expect("the listing can be resumed");
    assert!(resume.link.ends_with("/users?page=3"), "{}", resume.link);
}

/// With read-ahead on, the next page is parsed in the background task while
/// the caller is busy, and by the caller when it is already waiting for it:
/// either way the same items come in order, and a page that does not parse
/// is the stream's error at its place.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_ahead_parses_in_the_task_or_in_the_waiting_caller_with_the_same_result() {
    let g = MockGraph::start().await;
    mount_pages_expect(&g, 5, 4, &[2, 2, 2, 2, 2]).await;
    for busy in [Duration::ZERO, Duration::from_millis(40)] {
        let mut pages = list(&g.client()).top(4).prefetch(true).pages();
        let mut ids = Vec::new();
        while let Some(page) = pages.try_next().await.unwrap() {
            ids.extend(page.value.into_iter().map(|u| u.id.unwrap()));
            tokio::time::sleep(busy).await;
        }
        assert_eq!(ids, (0..20).map(|i| i.to_string()).collect::<Vec<_>>(), "caller busy {busy:?}");
    }

    let g = MockGraph::start().await;
    let next = format!("{}/users?$skiptoken=bad", g.base_url());
    Mock::given(path("/v1.0/users"))
        .and(query_param("$skiptoken", "bad"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(r#"{"value":[{"id":5}]}"#, "application/json"))
        .mount(&g.server)
        .await;
    Mock::given(path("/v1.0/users"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": users(0..2), "@odata.nextLink": next})))
        .mount(&g.server)
        .await;
    for busy in [Duration::ZERO, Duration::from_millis(40)] {
        let mut pages = list(&g.client()).top(2).prefetch(true).pages();
        let first = pages.try_next().await.unwrap().unwrap();
        assert_eq!(first.value.len(), 2);
        tokio::time::sleep(busy).await;
        let err = pages.try_next().await.unwrap_err();
        assert!(matches!(err, Error::Decode { .. }), "caller busy {busy:?}: {err:?}");
        assert!(pages.try_next().await.unwrap().is_none());
    }
}
