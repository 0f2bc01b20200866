//! Listing and reading pages: paging, query options, content, preview,
//! delete, operations, text.

use futures::TryStreamExt as _;
use msgraph_onenote::{OnenoteExt, OperationStatus};
use serde_json::json;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, ResponseTemplate};

use crate::{OPERATION, PAGE, graph, page_json, refused};

const HTML: &str = r#"<html lang="en-US">
	<head>
		<title>Weekly sync</title>
		<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
		<meta name="created" content="2026-03-02T09:00:00.0000000" />
	</head>
	<body data-absolute-enabled="true" style="font-family:Calibri;font-size:11pt">
		<div id="div:{6c7b5b6e-8f47-4a51-9f2e-1f2f0c0b3a1d}{1}" style="position:absolute;left:48px;top:120px;width:624px">
			<p id="p:{6c7b5b6e-8f47-4a51-9f2e-1f2f0c0b3a1d}{4}">Budget &amp; hiring</p>
			<p id="p:{6c7b5b6e-8f47-4a51-9f2e-1f2f0c0b3a1d}{6}" data-tag="to-do">Send minutes</p>
		</div>
	</body>
</html>"#;

#[tokio::test]
async fn pages_are_listed_with_top_orderby_select_and_pagelevel() {
    let g = graph().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/onenote/sections/s1/pages"))
        .and(query_param("$top", "100"))
        .and(query_param("$orderby", "title"))
        .and(query_param("$select", "id,title,level,order"))
        .and(query_param("pagelevel", "true"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [
            {"id": "p1", "title": "A", "level": 0, "order": 0},
            {"id": "p2", "title": "B", "level": 1, "order": 1}
        ]})))
        .expect(1)
        .mount(&g.server)
        .await;
    let pages = g.client().me().onenote().pages();
    let page = pages
        .list_in("s1")
        .top(100)
        .order_by("title")
        .select(["id", "title", "level", "order"])
        .page_level()
        .send()
        .await
        .unwrap();
    assert_eq!(page.value[1].level, Some(1));
    assert_eq!(page.value[1].order, Some(1));
}

#[tokio::test]
async fn the_default_listing_sends_no_options_and_the_stream_follows_next_links() {
    let g = graph().await;
    let next = format!("{}/v1.0/me/onenote/pages?$skip=20", g.server.uri());
    Mock::given(method("GET"))
        .and(path("/v1.0/me/onenote/pages"))
        .and(query_param_is_missing("$top"))
        .and(query_param_is_missing("$orderby"))
        .and(query_param_is_missing("$skip"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": (0..20).map(|i| page_json(&format!("p{i}"), "t")).collect::<Vec<_>>(),
            "@odata.nextLink": next
        })))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/onenote/pages"))
        .and(query_param("$skip", "20"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [page_json("p20", "t")]})))
        .expect(1)
        .mount(&g.server)
        .await;
    let all: Vec<_> = g.client().me().onenote().pages().list().stream().try_collect().await.unwrap();
    assert_eq!(all.len(), 21);
    assert_eq!(all[20].id.as_deref(), Some("p20"));
}

#[tokio::test]
async fn a_top_above_graphs_maximum_is_refused_before_sending() {
    let g = graph().await;
    let r = g.client().me().onenote().pages().list().top(101).send().await;
    refused(&g, r, "at most 100").await;
}

#[tokio::test]
async fn a_page_is_read_with_the_docs_payload() {
    let g = graph().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/onenote/pages/1-9a6b!1-0f8a"))
        .and(query_param("$expand", "parentNotebook"))
        .respond_with(ResponseTemplate::new(200).set_body_string(PAGE))
        .expect(1)
        .mount(&g.server)
        .await;
    let page = g.client().me().onenote().pages().get("1-9a6b!1-0f8a").expand(["parentNotebook"]).await.unwrap();
    assert_eq!(page.title.as_deref(), Some("title-value"));
    assert_eq!(page.created_by_app_id.as_deref(), Some("createdByAppId-value"));
}

#[tokio::test]
async fn content_with_generated_ids_and_a_page_with_its_content_in_one_call() {
    let g = graph().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/onenote/pages/p1/content"))
        .and(query_param("includeIDs", "true"))
        .respond_with(ResponseTemplate::new(200).insert_header("content-type", "text/html").set_body_string(HTML))
        .expect(2)
        .mount(&g.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/onenote/pages/p1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_json("p1", "Weekly sync")))
        .expect(1)
        .mount(&g.server)
        .await;
    let pages = g.client().me().onenote().pages();
    let html = pages.content("p1").include_ids(true).await.unwrap();
    assert!(html.contains("p:{6c7b5b6e-8f47-4a51-9f2e-1f2f0c0b3a1d}{4}"));
    let both = pages.get("p1").with_content().include_ids(true).await.unwrap();
    assert_eq!(both.page.title.as_deref(), Some("Weekly sync"));
    assert_eq!(both.html, HTML);
    assert_eq!(both.text(), "Weekly sync\nBudget & hiring\n[ ] Send minutes");
}

#[tokio::test]
async fn extract_text_reads_the_content_and_gives_its_text() {
    let g = graph().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/onenote/pages/p1/content"))
        .and(query_param_is_missing("includeIDs"))
        .respond_with(ResponseTemplate::new(200).set_body_string(HTML))
        .expect(1)
        .mount(&g.server)
        .await;
    let text = g.client().me().onenote().extract_text("p1").await.unwrap();
    assert_eq!(text, "Weekly sync\nBudget & hiring\n[ ] Send minutes");
}

#[tokio::test]
async fn a_preview_is_read() {
    let g = graph().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/onenote/pages/p1/preview"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.onenotePagePreview",
            "previewText": "Budget & hiring Send minutes",
            "links": {"previewImageUrl": {"href": "https://www.onenote.com/api/v1.0/resources/p1/preview.png"}}
        })))
        .expect(1)
        .mount(&g.server)
        .await;
    let p = g.client().me().onenote().pages().preview("p1").await.unwrap();
    assert_eq!(p.preview_text.as_deref(), Some("Budget & hiring Send minutes"));
    assert!(p.links.unwrap().preview_image_url.unwrap().href.unwrap().ends_with(".png"));
    assert!(p.additional.contains_key("@odata.context"));
}

#[tokio::test]
async fn a_page_is_deleted() {
    let g = graph().await;
    Mock::given(method("DELETE"))
        .and(path("/v1.0/me/onenote/pages/p1"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&g.server)
        .await;
    g.client().me().onenote().pages().delete("p1").await.unwrap();
}

#[tokio::test]
async fn an_operation_is_read_with_the_docs_payload() {
    let g = graph().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/onenote/operations/op-1"))
        .respond_with(ResponseTemplate::new(200).set_body_string(OPERATION))
        .expect(1)
        .mount(&g.server)
        .await;
    let op = g.client().me().onenote().operation("op-1").await.unwrap();
    assert_eq!(op.resource_id.as_deref(), Some("resourceId-value"));
    assert_eq!(op.status, Some(OperationStatus::Unknown("status-value".into())));
}

#[tokio::test]
async fn empty_ids_are_refused_before_sending() {
    let g = graph().await;
    let on = g.client().me().onenote();
    refused(&g, on.pages().delete("").await, "a page id must not be empty").await;
    refused(&g, on.pages().preview(" ").await, "a page id must not be empty").await;
    refused(&g, on.pages().content("").await, "a page id must not be empty").await;
    refused(&g, on.extract_text("").await, "a page id must not be empty").await;
    refused(&g, on.operation("").await, "an operation id must not be empty").await;
    refused(&g, on.pages().get("").await, "empty id").await;
}
