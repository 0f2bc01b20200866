//! Error bodies and empty results (CONFORMANCE 52-55).

use msgraph_core::test_util::MockGraph;
use msgraph_core::{Error, GraphPath, Request};
use wiremock::matchers::path;
use wiremock::{Mock, ResponseTemplate};

#[tokio::test]
async fn graph_error_body_becomes_a_typed_error() {
    let g = MockGraph::start().await;
    let body = include_str!("../../testdata/graph-samples/core/error-notimplemented-501.json");
    Mock::given(path("/v1.0/me"))
        .respond_with(
            ResponseTemplate::new(501).set_body_raw(body, "application/json").insert_header("request-id", "hdr-id"),
        )
        .expect(1)
        .mount(&g.server)
        .await;
    let err = g.client().me().get().await.unwrap_err();
    let api = err.as_api().unwrap();
    assert_eq!(api.status, 501);
    assert_eq!(api.code.as_deref(), Some("NotImplemented"));
    assert_eq!(api.message.as_deref(), Some("This operation target is not yet supported."));
    assert_eq!(api.request_id.as_deref(), Some("..."), "the body's request-id wins over the header");
    assert_eq!(api.date.as_deref(), Some("2019-09-20T21:47:50"));
    assert_eq!(err.code(), Some("NotImplemented"));
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn error_with_request_id_and_client_request_id() {
    let g = MockGraph::start().await;
    Mock::given(path("/v1.0/me/messages/x"))
        .respond_with(ResponseTemplate::new(404).set_body_string(
            r#"{"error":{"code":"ErrorItemNotFound","message":"The specified object was not found in the store.","innerError":{"date":"2026-11-22T10:00:00","request-id":"5f3c-req","client-request-id":"5f3c-client"}}}"#,
        ))
        .expect(1)
        .mount(&g.server)
        .await;
    let req = Request::get(GraphPath::new().push("me").push("messages").id("x"));
    let err = g.client().execute(req).await.unwrap_err();
    assert!(err.is_not_found());
    assert_eq!(err.request_id(), Some("5f3c-req"));
    assert_eq!(err.as_api().unwrap().client_request_id.as_deref(), Some("5f3c-client"));
    assert!(err.to_string().contains("ErrorItemNotFound"));
}

#[tokio::test]
async fn lower_camel_upload_error_parses() {
    let g = MockGraph::start().await;
    let body = include_str!("../../testdata/graph-samples/core/error-upload-nameAlreadyExists-409.json");
    Mock::given(path("/v1.0/x")).respond_with(ResponseTemplate::new(409).set_body_string(body)).mount(&g.server).await;
    let err = g.client().execute(Request::get(GraphPath::new().push("x"))).await.unwrap_err();
    assert_eq!(err.code(), Some("nameAlreadyExists"));
}

#[tokio::test]
async fn empty_404_body_gives_a_clear_error() {
    let g = MockGraph::start().await;
    Mock::given(path("/v1.0/me"))
        .respond_with(ResponseTemplate::new(404).insert_header("request-id", "r-404"))
        .expect(1)
        .mount(&g.server)
        .await;
    let err = g.client().me().get().await.unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.request_id(), Some("r-404"));
    assert!(err.to_string().contains("404") && err.to_string().contains("empty body"), "{err}");
}

#[tokio::test]
async fn html_502_body_is_kept_and_not_parsed() {
    let g = MockGraph::start().await;
    Mock::given(path("/v1.0/me"))
        .respond_with(
            ResponseTemplate::new(502).set_body_raw("<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html"),
        )
        .expect(1)
        .mount(&g.server)
        .await;
    let err = g.client().me().get().await.unwrap_err();
    assert_eq!(err.status(), Some(502));
    assert!(err.as_api().unwrap().raw_body.as_deref().unwrap().contains("502 Bad Gateway"));
}

#[tokio::test]
async fn no_content_is_an_empty_result() {
    let g = MockGraph::start().await;
    Mock::given(path("/v1.0/me/messages/1")).respond_with(ResponseTemplate::new(204)).expect(1).mount(&g.server).await;
    g.client().send_empty(Request::delete(GraphPath::new().push("me").push("messages").id("1"))).await.unwrap();
}

#[tokio::test]
async fn wrong_types_and_truncated_json_are_decode_errors_naming_the_field() {
    let g = MockGraph::start().await;
    Mock::given(path("/v1.0/me"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"id":"1","businessPhones":"not-a-list"}"#))
        .mount(&g.server)
        .await;
    Mock::given(path("/v1.0/users/t"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"id":"1","displayNa"#))
        .mount(&g.server)
        .await;
    let err = g.client().me().get().await.unwrap_err();
    match &err {
        Error::Decode { path, status, .. } => {
            assert_eq!(path.as_deref(), Some("businessPhones"));
            assert_eq!(*status, 200);
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(g.client().user("t").get().await.unwrap_err(), Error::Decode { .. }));
}

#[tokio::test]
async fn unknown_properties_are_kept_on_the_model() {
    let g = MockGraph::start().await;
    let body = include_str!("../../testdata/graph-samples/core/user-get-schemaextension.json");
    Mock::given(path("/v1.0/users/adele"))
        .respond_with(ResponseTemplate::new(200).set_body_string(body))
        .mount(&g.server)
        .await;
    let u = g.client().user("adele").get().await.unwrap();
    assert_eq!(u.additional["ext55gb1l09_msLearnCourses"]["courseId"], 1);
}

// ---- What a server can make the client hold ----

/// A server whose `n`th connection answers `statuses[n]` (the last one for
/// later connections): a 2xx with `{"id":"1"}`, anything else with a body that
/// never ends (chunked, until the client hangs up). Returns the base URL and
/// how many body bytes were written.
async fn endless_bodies(statuses: Vec<u16>) -> (String, std::sync::Arc<std::sync::atomic::AtomicU64>) {
    use std::sync::atomic::{AtomicU64, Ordering};
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/v1.0", listener.local_addr().unwrap());
    let written = std::sync::Arc::new(AtomicU64::new(0));
    let total = written.clone();
    tokio::spawn(async move {
        let mut n = 0usize;
        while let Ok((mut socket, _)) = listener.accept().await {
            let status = statuses[n.min(statuses.len() - 1)];
            n += 1;
            let total = total.clone();
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = socket.read(&mut buf).await;
                if (200..300).contains(&status) {
                    let body = r#"{"id":"1"}"#;
                    let head = format!(
                        "HTTP/1.1 {status} OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = socket.write_all(head.as_bytes()).await;
                    return;
                }
                let head =
                    format!("HTTP/1.1 {status} Oops\r\ncontent-type: text/html\r\ntransfer-encoding: chunked\r\n\r\n");
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let chunk = format!("4000\r\n{}\r\n", "x".repeat(0x4000));
                while socket.write_all(chunk.as_bytes()).await.is_ok() {
                    total.fetch_add(0x4000, Ordering::SeqCst);
                }
            });
        }
    });
    (base, written)
}

fn client_for(base: String) -> msgraph_core::GraphClient {
    msgraph_core::GraphClient::builder()
        .base_url(base)
        .timeout(std::time::Duration::from_secs(30))
        .retry_policy(
            msgraph_core::RetryPolicy::default()
                .initial_delay(std::time::Duration::from_millis(1))
                .max_delay(std::time::Duration::from_millis(2)),
        )
        .build()
        .unwrap()
}

#[tokio::test]
async fn an_endless_error_body_is_read_only_up_to_64_kib() {
    let (base, written) = endless_bodies(vec![500]).await;
    let err = tokio::time::timeout(std::time::Duration::from_secs(10), client_for(base).me().get().send())
        .await
        .expect("the client kept reading an endless error body")
        .unwrap_err();
    assert_eq!(err.status(), Some(500));
    let raw = err.as_api().unwrap().raw_body.as_deref().unwrap();
    assert!(raw.starts_with("xxxx") && raw.len() <= 1024, "{}", raw.len());
    // what the server got out before the client hung up: 64 KiB plus socket buffers
    assert!(written.load(std::sync::atomic::Ordering::SeqCst) < 64 << 20);
}

#[tokio::test]
async fn an_endless_body_of_a_retried_503_is_not_drained_forever() {
    let (base, _) = endless_bodies(vec![503, 200]).await;
    let me = tokio::time::timeout(std::time::Duration::from_secs(10), client_for(base).me().get().send())
        .await
        .expect("the client kept draining an endless body before retrying")
        .unwrap();
    assert_eq!(me.id.as_deref(), Some("1"));
}
