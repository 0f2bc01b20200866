//! The whole round on wiremock: a Markdown page with a table, a task list
//! and an image is created, read back as text, appended to, copied to
//! another section (202 + Operation-Location, polled to the end) and deleted.

use std::time::Duration;

use msgraph_core::Error;
use msgraph_onenote::OnenoteExt;
use serde_json::json;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::{graph, multipart, page_json};

/// What OneNote answers for the created page's content (its output HTML:
/// generated ids, absolute-positioned div, tables and to-do tags kept).
const OUTPUT: &str = r#"<html lang="en-US">
<head><title>Weekly report</title><meta name="created" content="2026-03-02T09:00:00.0000000" /></head>
<body data-absolute-enabled="true" style="font-family:Calibri;font-size:11pt">
<div id="div:{aa}{1}" style="position:absolute;left:48px;top:120px;width:624px">
<h2 id="h2:{aa}{3}">Results</h2>
<table id="table:{aa}{5}" border="1"><tr id="tr:{aa}{6}"><td><b>Team</b></td><td><b>Score</b></td></tr><tr><td>Red</td><td>3</td></tr></table>
<ul><li data-tag="to-do:completed" id="li:{aa}{9}">Review</li><li data-tag="to-do" id="li:{aa}{10}">Ship</li></ul>
<img id="img:{aa}{12}" alt="chart" width="320" height="200" src="https://graph.microsoft.com/v1.0/users('x')/onenote/resources/0-abc/$value" data-src-type="image/png" data-fullres-src="https://graph.microsoft.com/v1.0/users('x')/onenote/resources/0-abc/$value" data-fullres-src-type="image/png" />
</div>
</body>
</html>"#;

#[tokio::test]
async fn markdown_page_created_read_appended_copied_and_deleted() {
    let g = graph().await;
    let dir = std::env::temp_dir().join(format!("onenote-e2e-{}", fastrand::u64(..)));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("chart.png"), [0x89, b'P', b'N', b'G']).unwrap();

    Mock::given(method("POST"))
        .and(path("/v1.0/me/onenote/sections/s1/pages"))
        .respond_with(ResponseTemplate::new(201).set_body_json(page_json("p1", "Weekly report")))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/onenote/pages/p1/content"))
        .respond_with(ResponseTemplate::new(200).set_body_string(OUTPUT))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/v1.0/me/onenote/pages/p1/content"))
        .and(body_json(json!([{"target": "body", "action": "append", "content": "<p>Follow-up: shipped.</p>"}])))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&g.server)
        .await;
    let status_url = format!("{}/v1.0/me/onenote/operations/copy-1", g.server.uri());
    Mock::given(method("POST"))
        .and(path("/v1.0/me/onenote/pages/p1/copyToSection"))
        .and(body_json(json!({"id": "s2"})))
        .respond_with(ResponseTemplate::new(202).insert_header("Operation-Location", status_url.as_str()))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/onenote/operations/copy-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "copy-1", "status": "Running", "createdDateTime": "2026-03-02T09:00:00Z", "percentComplete": "50"
        })))
        .up_to_n_times(2)
        .expect(2)
        .with_priority(1)
        .mount(&g.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/onenote/operations/copy-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "copy-1", "status": "Completed", "createdDateTime": "2026-03-02T09:00:00Z",
            "resourceId": "p2",
            "resourceLocation": "https://graph.microsoft.com/v1.0/me/onenote/pages/p2"
        })))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/onenote/pages/p2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_json("p2", "Weekly report")))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/v1.0/me/onenote/pages/p1"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&g.server)
        .await;

    let on = g.client().me().onenote();
    let md = "## Results\n\n| Team | Score |\n| --- | --- |\n| Red | 3 |\n\n- [x] Review\n- [ ] Ship\n\n![chart](chart.png)\n";
    let page = on.create_page_from_markdown("s1", "Weekly report", md).base_dir(&dir).await.unwrap();
    let id = page.id.unwrap();
    let (_, parts) = multipart(&g.requests().await[0]);
    assert_eq!(parts.iter().map(|p| p.name()).collect::<Vec<_>>(), ["Presentation", "image1"]);

    let text = on.extract_text(id.clone()).await.unwrap();
    assert_eq!(text, "Weekly report\nResults\nTeam\tScore\nRed\t3\n• [x] Review\n• [ ] Ship\n[image: chart]");

    on.pages().append(id.clone(), "<p>Follow-up: shipped.</p>").await.unwrap();
    let copy = on.pages().copy_to_section(id.clone(), "s2").poll_interval(Duration::from_millis(10)).await.unwrap();
    assert_eq!(copy.id.as_deref(), Some("p2"));
    on.pages().delete(id).await.unwrap();
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn a_failed_copy_is_an_error_with_onenotes_reason() {
    let g = graph().await;
    let status_url = format!("{}/v1.0/me/onenote/operations/copy-2", g.server.uri());
    Mock::given(method("POST"))
        .and(path("/v1.0/me/onenote/pages/p1/copyToSection"))
        .and(body_json(json!({"id": "s2", "groupId": "grp-1"})))
        .respond_with(ResponseTemplate::new(202).insert_header("Operation-Location", status_url.as_str()))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/onenote/operations/copy-2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "copy-2", "status": "Failed",
            "error": {"code": "20102", "message": "The requested resource does not exist."}
        })))
        .expect(1)
        .mount(&g.server)
        .await;
    let r = g.client().me().onenote().pages().copy_to_section("p1", "s2").group_id("grp-1").await;
    match r {
        Err(Error::OperationFailed(status)) => assert!(status.error_message().contains("20102")),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn copy_input_is_checked_before_sending() {
    let g = graph().await;
    let pages = g.client().me().onenote().pages();
    crate::refused(&g, pages.copy_to_section("p1", "").await, "a section id must not be empty").await;
    crate::refused(&g, pages.copy_to_section("", "s2").await, "a page id must not be empty").await;
}
