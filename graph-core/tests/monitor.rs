//! Long-running operations: 202 + Location / Operation-Location polled to
//! the end (CONFORMANCE 21, 51).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use msgraph_core::operation::{Monitor, OperationState};
use msgraph_core::test_util::MockGraph;
use msgraph_core::{Error, GraphPath, Request};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

const ONENOTE_OPERATION: &str = include_str!("../../testdata/graph-samples/onenote/onenoteoperation-get.json");

/// POST .../copy answered 202 with `header: url`.
async fn accepted(g: &MockGraph, header: &str, url: &str) -> msgraph_core::Response {
    Mock::given(method("POST"))
        .and(path("/v1.0/me/drive/items/1/copy"))
        .respond_with(ResponseTemplate::new(202).insert_header(header, url))
        .expect(1)
        .mount(&g.server)
        .await;
    let copy = Request::post(GraphPath::new().push("me").push("drive").push("items").id("1").push("copy"));
    g.client().execute(copy.json(&json!({"name": "copy.docx"})).unwrap()).await.unwrap()
}

async fn status_once(g: &MockGraph, body: serde_json::Value) {
    Mock::given(method("GET"))
        .and(path("/monitor/123"))
        .respond_with(ResponseTemplate::new(202).set_body_json(body))
        .up_to_n_times(1)
        .expect(1)
        .mount(&g.server)
        .await;
}

#[tokio::test]
async fn a_drive_copy_is_polled_through_in_progress_to_completed_without_the_token_off_graph() {
    let g = MockGraph::start().await;
    // the monitor URL is on another origin (localhost, not 127.0.0.1): pre-authenticated, no token
    let port = g.server.address().port();
    let resp = accepted(&g, "Location", &format!("http://localhost:{port}/monitor/123")).await;
    status_once(&g, json!({"operation": "itemCopy", "percentageComplete": 30.0, "status": "inProgress"})).await;
    status_once(&g, json!({"operation": "itemCopy", "percentageComplete": 80.0, "status": "inProgress"})).await;
    status_once(&g, json!({"percentageComplete": 100.0, "resourceId": "01OWFUZ6", "status": "completed"})).await;

    let seen = Arc::new(Mutex::new(Vec::new()));
    let s = seen.clone();
    let done = Monitor::from_response(g.client(), &resp)
        .unwrap()
        .poll_interval(Duration::from_millis(10))
        .on_progress(move |st| s.lock().unwrap().push(st.percent()))
        .wait()
        .await
        .unwrap();
    assert_eq!(done.resource_id.as_deref(), Some("01OWFUZ6"));
    assert_eq!(*seen.lock().unwrap(), [Some(30.0), Some(80.0), Some(100.0)]);
    let polls: Vec<_> = g.requests().await.into_iter().filter(|r| r.url.path() == "/monitor/123").collect();
    assert_eq!(polls.len(), 3);
    assert!(polls.iter().all(|r| r.headers.get("authorization").is_none()), "no token off the Graph host");
}

#[tokio::test]
async fn a_onenote_operation_on_graph_gets_the_token_and_its_string_percent_is_read() {
    let g = MockGraph::start().await;
    let resp = accepted(&g, "Operation-Location", &format!("{}/me/onenote/operations/op-1", g.base_url())).await;
    let mut body: serde_json::Value = serde_json::from_str(ONENOTE_OPERATION).unwrap();
    body["status"] = json!("Completed");
    body["percentComplete"] = json!("100");
    Mock::given(method("GET"))
        .and(path("/v1.0/me/onenote/operations/op-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .expect(1)
        .mount(&g.server)
        .await;
    let done = Monitor::from_response(g.client(), &resp).unwrap().wait().await.unwrap();
    assert_eq!(done.status, Some(OperationState::Completed));
    assert_eq!(done.percent(), Some(100.0));
    let poll = g.requests().await.pop().unwrap();
    assert_eq!(poll.headers.get("authorization").unwrap(), "Bearer test-token");
}

#[tokio::test]
async fn a_failed_operation_is_a_typed_error_with_graphs_reason() {
    let g = MockGraph::start().await;
    let resp = accepted(&g, "Location", &format!("{}/monitor/123", g.server.uri())).await;
    status_once(
        &g,
        json!({"status": "failed", "error": {"code": "nameAlreadyExists", "message": "A file with that name exists"}}),
    )
    .await;
    let err = Monitor::from_response(g.client(), &resp).unwrap().wait().await.unwrap_err();
    match &err {
        Error::OperationFailed(status) => {
            assert_eq!(status.error.as_ref().unwrap().code.as_deref(), Some("nameAlreadyExists"))
        }
        other => panic!("expected OperationFailed, got {other:?}"),
    }
    assert!(err.to_string().contains("A file with that name exists"), "{err}");
}

#[tokio::test]
async fn an_operation_that_never_ends_hits_the_bounded_wait() {
    let g = MockGraph::start().await;
    let resp = accepted(&g, "Location", &format!("{}/monitor/123", g.server.uri())).await;
    Mock::given(method("GET"))
        .and(path("/monitor/123"))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({"status": "inProgress"})))
        .mount(&g.server)
        .await;
    let err = Monitor::from_response(g.client(), &resp)
        .unwrap()
        .poll_interval(Duration::from_millis(20))
        .max_wait(Duration::from_millis(100))
        .wait()
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::Timeout { message } if message.contains("inProgress")), "{err}");
}

#[tokio::test]
async fn monitor_urls_other_than_https_or_loopback_are_refused_before_polling() {
    let g = MockGraph::start().await;
    let err = Monitor::new(g.client(), "ftp://example.com/monitor").unwrap_err();
    assert!(matches!(err, Error::UntrustedHost { .. }), "{err}");
    let err = Monitor::new(g.client(), "http://example.com/monitor").unwrap_err();
    assert!(matches!(err, Error::UntrustedHost { .. }), "{err}");
    let no_header = msgraph_core::Response::new(202, Default::default(), "", g.base_url().parse().unwrap());
    assert!(Monitor::from_response(g.client(), &no_header).is_err());
    assert!(g.requests().await.is_empty());
}
