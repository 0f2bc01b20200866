//! Error bodies and empty results (CONFORMANCE 52-55).

use msgraph_core::test_util::MockGraph;
use msgraph_core::{Error, GraphPath, Request};
use serde_json::json;
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

// ---- Credentials in URLs stay out of errors and logs ----

/// Collects every span field and event field the SDK records, as text.
#[derive(Clone, Default)]
struct Logs(std::sync::Arc<std::sync::Mutex<String>>);

impl Logs {
    fn text(&self) -> String {
        self.0.lock().unwrap().clone()
    }
}

impl tracing::field::Visit for Logs {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        let mut out = self.0.lock().unwrap();
        out.push_str(&format!("{}={value:?}\n", field.name()));
    }
}

impl tracing::Subscriber for Logs {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        span.record(&mut self.clone());
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        values.record(&mut self.clone());
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        event.record(&mut self.clone());
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[tokio::test]
async fn an_upload_url_token_echoed_in_an_html_error_body_never_shows_in_the_error() {
    use msgraph_core::upload::{LargeUpload, UploadSession};
    let g = MockGraph::start().await;
    let host = wiremock::MockServer::start().await;
    let url = format!("{}/up/fe6987415ace?token=SECRET", host.uri());
    Mock::given(path("/up/fe6987415ace"))
        .respond_with(ResponseTemplate::new(500).set_body_raw(
            format!("<html><body>500: PUT {url} failed (token=SECRET, sig SECRET)</body></html>"),
            "text/html",
        ))
        .expect(1)
        .mount(&host)
        .await;
    let logs = Logs::default();
    let _guard = tracing::dispatcher::set_default(&tracing::Dispatch::new(logs.clone()));
    let err = LargeUpload::<serde_json::Value>::new(g.client(), UploadSession::new(url.clone()), vec![1u8; 10])
        .max_recoveries(0)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(500));
    for shown in [err.to_string(), format!("{err:?}")] {
        assert!(!shown.contains("SECRET"), "{shown}");
    }
    // the same through the plain pipeline, in JSON this time
    Mock::given(path("/up/json"))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(json!({"error": {"code": "badToken", "message": "token SECRET is not valid"}})),
        )
        .expect(1)
        .mount(&host)
        .await;
    let req = Request::to_url(http::Method::PUT, &format!("{}/up/json?token=SECRET", host.uri()))
        .unwrap()
        .auth(msgraph_core::AuthMode::None)
        .bytes(vec![1u8], "application/octet-stream");
    let err = g.client().execute(req).await.unwrap_err();
    assert_eq!(err.status(), Some(400));
    for shown in [err.to_string(), format!("{err:?}")] {
        assert!(!shown.contains("SECRET"), "{shown}");
    }
    assert!(!logs.text().contains("SECRET"), "{}", logs.text());
}

#[tokio::test]
async fn transport_errors_and_logs_carry_no_query_and_no_path_of_a_foreign_host() {
    let g = MockGraph::start().await;
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let logs = Logs::default();
    let _guard = tracing::dispatcher::set_default(&tracing::Dispatch::new(logs.clone()));
    let client = g
        .client_builder()
        .retry_policy(msgraph_core::RetryPolicy::default().max_retries(1).initial_delay(std::time::Duration::ZERO))
        .build()
        .unwrap();
    let req = Request::to_url(http::Method::PUT, &format!("http://127.0.0.1:{closed}/up/fe6987415ace?token=SECRET"))
        .unwrap()
        .auth(msgraph_core::AuthMode::None)
        .bytes(vec![1u8], "application/octet-stream");
    let err = client.execute(req).await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    for shown in [err.to_string(), format!("{err:?}"), logs.text()] {
        assert!(!shown.contains("SECRET") && !shown.contains("fe6987415ace"), "{shown}");
    }
    // Graph's own URLs: the path is shown, the query ($filter values are user data) is not
    Mock::given(path("/v1.0/me/messages"))
        .respond_with(ResponseTemplate::new(503).set_body_raw(
            "<html>Service Unavailable: /v1.0/me/messages?$filter=subject eq 'salary review'</html>",
            "text/html",
        ))
        .expect(2)
        .mount(&g.server)
        .await;
    let req = Request::get(GraphPath::new().push("me").push("messages")).query("$filter", "subject eq 'salary review'");
    let err = client.execute(req).await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    for shown in [err.to_string(), format!("{err:?}"), logs.text()] {
        assert!(!shown.contains("salary"), "{shown}");
    }
    assert!(logs.text().contains("/v1.0/me/messages"), "{}", logs.text());
}

#[test]
fn a_request_with_credentials_in_its_url_or_headers_debugs_without_them() {
    let req = Request::to_url(http::Method::PUT, "https://up.example.com/up/x?token=SECRET")
        .unwrap()
        .query("$filter", "subject eq 'salary'")
        .header("Authorization", "Bearer SECRET")
        .unwrap()
        .bytes(b"SECRET body".to_vec(), "text/plain");
    let shown = format!("{req:?}");
    assert!(!shown.contains("SECRET") && !shown.contains("salary"), "{shown}");
    assert!(shown.contains("up.example.com") && shown.contains("$filter"), "{shown}");
}
