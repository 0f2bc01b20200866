//! Search: Graph's `search` where the account has it, the fallback where
//! it does not, and which way the pages were found.

use msgraph_core::Error;
use msgraph_onenote::{FoundBy, MatchedBy, OnenoteExt, SearchMode};
use serde_json::json;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, ResponseTemplate};

use crate::{graph, page_json, refused};

fn refusal() -> ResponseTemplate {
    ResponseTemplate::new(400).set_body_json(json!({"error": {
        "code": "20108", "message": "Your request contains unsupported OData query parameters."
    }}))
}

#[tokio::test]
async fn graphs_search_is_used_where_the_account_has_it() {
    let g = graph().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/onenote/pages"))
        .and(query_param("search", "budget plan"))
        .and(query_param("$top", "20"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [page_json("p1", "Q1 plan")]})))
        .expect(1)
        .mount(&g.server)
        .await;
    let found = g.client().me().onenote().pages().search("budget plan").await.unwrap();
    assert_eq!(found.found_by, FoundBy::GraphSearch);
    assert_eq!(found.hits[0].matched, MatchedBy::GraphSearch);
    assert_eq!(found.fallback_reason, None);
}

#[tokio::test]
async fn a_refused_search_falls_back_to_titles_and_scans_recent_pages_when_asked() {
    let g = graph().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/onenote/sections/s1/pages"))
        .and(query_param("search", "Budget"))
        .respond_with(refusal())
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/onenote/sections/s1/pages"))
        .and(query_param("$filter", "contains(tolower(title),'budget')"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [page_json("p1", "Budget 2026")]})))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/onenote/sections/s1/pages"))
        .and(query_param_is_missing("$filter"))
        .and(query_param_is_missing("search"))
        .and(query_param("$orderby", "lastModifiedDateTime desc"))
        .and(query_param("$top", "3"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [
            page_json("p1", "Budget 2026"), page_json("p2", "Offsite"), page_json("p3", "Hiring")
        ]})))
        .expect(1)
        .mount(&g.server)
        .await;
    for (id, body) in [("p2", "<p>The BUDGET for the offsite</p>"), ("p3", "<p>Two roles open</p>")] {
        Mock::given(method("GET"))
            .and(path(format!("/v1.0/me/onenote/pages/{id}/content")))
            .respond_with(ResponseTemplate::new(200).set_body_string(body))
            .expect(1)
            .mount(&g.server)
            .await;
    }
    let found = g.client().me().onenote().pages().search("Budget").in_section("s1").content_scan(3).await.unwrap();
    assert_eq!(found.found_by, FoundBy::TitleAndContent { scanned: 3 });
    let got: Vec<_> = found.hits.iter().map(|h| (h.page.id.clone().unwrap(), h.matched)).collect();
    assert_eq!(got, [("p1".to_owned(), MatchedBy::Title), ("p2".to_owned(), MatchedBy::Content)]);
    assert!(found.fallback_reason.unwrap().contains("20108"));
}

#[tokio::test]
async fn the_fallback_alone_matches_titles_only_and_says_so() {
    let g = graph().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/onenote/pages"))
        .and(query_param("$filter", "contains(tolower(title),'o''brien')"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [page_json("p9", "Call O'Brien")]})))
        .expect(1)
        .mount(&g.server)
        .await;
    let found = g.client().me().onenote().pages().search("O'Brien").mode(SearchMode::Fallback).await.unwrap();
    assert_eq!(found.found_by, FoundBy::TitleFilter);
    assert_eq!(found.hits.len(), 1);
}

#[tokio::test]
async fn graph_search_only_reports_the_refusal_and_other_errors_are_not_fallen_back_from() {
    let g = graph().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/onenote/pages"))
        .and(query_param("search", "x"))
        .respond_with(refusal())
        .expect(1)
        .mount(&g.server)
        .await;
    let r = g.client().me().onenote().pages().search("x").mode(SearchMode::GraphSearch).await;
    assert_eq!(r.unwrap_err().status(), Some(400));

    let g = graph().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/onenote/pages"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"error": {"code": "40001", "message": "no"}})))
        .mount(&g.server)
        .await;
    let r = g.client().me().onenote().pages().search("x").await;
    assert!(matches!(r, Err(Error::Api(_)) | Err(Error::Auth(_))), "{r:?}");
}

#[tokio::test]
async fn an_empty_query_is_refused() {
    let g = graph().await;
    refused(&g, g.client().me().onenote().pages().search("  ").await, "a search query must not be empty").await;
    refused(&g, g.client().me().onenote().pages().search("x").limit(500).await, "limit(500)").await;
}
