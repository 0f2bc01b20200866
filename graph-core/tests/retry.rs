//! Retry and throttling, request by request (CONFORMANCE 1-12b).

use std::time::{Duration, Instant};

use msgraph_core::test_util::MockGraph;
use msgraph_core::{BodyStream, Error, GraphPath, Request, RetryPolicy};
use serde_json::json;
use wiremock::matchers::{body_bytes, method, path};
use wiremock::{Mock, ResponseTemplate};

fn retry_attempts(reqs: &[wiremock::Request]) -> Vec<Option<String>> {
    reqs.iter().map(|r| r.headers.get("retry-attempt").map(|v| v.to_str().unwrap().to_owned())).collect()
}

#[tokio::test]
async fn throttled_429_waits_retry_after_and_retries_once() {
    let g = MockGraph::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1").set_body_json(json!({
            "error": {"code": "TooManyRequests", "message": "Please retry again later."}
        })))
        .up_to_n_times(1)
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "1", "displayName": "Adele"})))
        .expect(1)
        .mount(&g.server)
        .await;

    let started = Instant::now();
    let me = g.client().me().get().await.unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1), "Retry-After 1 s must be waited out");
    assert_eq!(me.display_name.as_deref(), Some("Adele"));
    assert_eq!(retry_attempts(&g.requests().await), vec![None, Some("1".into())]);
}

#[tokio::test]
async fn two_503_then_200_succeeds_with_retry_attempt_2() {
    let g = MockGraph::start().await;
    Mock::given(path("/v1.0/me"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .expect(2)
        .mount(&g.server)
        .await;
    Mock::given(path("/v1.0/me"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "1"})))
        .expect(1)
        .mount(&g.server)
        .await;
    let me = g.client().me().get().await.unwrap();
    assert_eq!(me.id.as_deref(), Some("1"));
    assert_eq!(retry_attempts(&g.requests().await), vec![None, Some("1".into()), Some("2".into())]);
}

#[tokio::test]
async fn gateway_timeout_every_time_gives_up_after_max_retries() {
    let g = MockGraph::start().await;
    Mock::given(path("/v1.0/me")).respond_with(ResponseTemplate::new(504)).expect(4).mount(&g.server).await;
    let err = g.client().me().get().await.unwrap_err();
    assert_eq!(err.status(), Some(504));
    assert!(err.is_retryable());
    assert!(err.to_string().contains("gave up after 3 retries"), "{err}");
    assert_eq!(retry_attempts(&g.requests().await), vec![None, Some("1".into()), Some("2".into()), Some("3".into())]);
}

#[tokio::test]
async fn max_retries_is_clamped_to_ten() {
    let g = MockGraph::start().await;
    Mock::given(path("/v1.0/me")).respond_with(ResponseTemplate::new(503)).expect(11).mount(&g.server).await;
    let client = g
        .client_builder()
        .retry_policy(
            RetryPolicy::default()
                .max_retries(25)
                .initial_delay(Duration::from_millis(1))
                .max_delay(Duration::from_millis(2)),
        )
        .build()
        .unwrap();
    assert_eq!(client.me().get().await.unwrap_err().status(), Some(503));
}

#[tokio::test]
async fn server_and_client_errors_are_not_retried() {
    for status in [500u16, 400, 404, 403, 409] {
        let g = MockGraph::start().await;
        Mock::given(path("/v1.0/me")).respond_with(ResponseTemplate::new(status)).expect(1).mount(&g.server).await;
        let err = g.client().me().get().await.unwrap_err();
        assert_eq!(err.status(), Some(status));
        assert!(!err.is_retryable());
    }
}

#[tokio::test]
async fn retry_after_as_http_date() {
    let g = MockGraph::start().await;
    let when = (chrono::Utc::now() + chrono::Duration::seconds(2)).to_rfc2822().replace("+0000", "GMT");
    Mock::given(path("/v1.0/me"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", when.as_str()))
        .up_to_n_times(1)
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(path("/v1.0/me"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "1"})))
        .expect(1)
        .mount(&g.server)
        .await;
    let started = Instant::now();
    g.client().me().get().await.unwrap();
    // The date has one-second resolution: at least one second must have passed.
    assert!(started.elapsed() >= Duration::from_millis(1000), "{:?}", started.elapsed());
}

#[tokio::test]
async fn retry_after_date_in_the_past_uses_backoff() {
    let g = MockGraph::start().await;
    Mock::given(path("/v1.0/me"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(path("/v1.0/me"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "1"})))
        .expect(1)
        .mount(&g.server)
        .await;
    g.client().me().get().await.unwrap();
}

#[tokio::test]
async fn retry_after_beyond_total_budget_is_not_waited() {
    let g = MockGraph::start().await;
    Mock::given(path("/v1.0/me"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "3600"))
        .expect(1)
        .mount(&g.server)
        .await;
    let started = Instant::now();
    let err = g.client().me().get().await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(err.is_throttled());
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));
    let text = err.to_string();
    assert!(text.contains("throttled: retry after 3600 s") && text.contains("retry budget"), "{text}");
}

#[tokio::test]
async fn post_body_is_replayed_byte_for_byte() {
    let g = MockGraph::start().await;
    let body = json!({"message": {"subject": "Meeting Tomorrow", "toRecipients": [{"emailAddress": {"address": "john@example.com"}}]}});
    let bytes = serde_json::to_vec(&body).unwrap();
    Mock::given(method("POST"))
        .and(path("/v1.0/me/sendMail"))
        .and(body_bytes(bytes.clone()))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1.0/me/sendMail"))
        .and(body_bytes(bytes.clone()))
        .respond_with(ResponseTemplate::new(202))
        .expect(1)
        .mount(&g.server)
        .await;
    let req = Request::post(GraphPath::new().push("me").push("sendMail")).json(&body).unwrap();
    g.client().send_empty(req).await.unwrap();
    let reqs = g.requests().await;
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[0].body, reqs[1].body);
    assert_eq!(reqs[1].headers.get("content-type").unwrap(), "application/json");
}

#[tokio::test]
async fn streamed_body_is_not_retried_and_says_why() {
    let g = MockGraph::start().await;
    Mock::given(method("PUT"))
        .and(path("/v1.0/me/drive/root:/a.txt:/content"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .expect(1)
        .mount(&g.server)
        .await;
    let req = Request::to_url(reqwest::Method::PUT, &format!("{}/me/drive/root:/a.txt:/content", g.base_url()))
        .unwrap()
        .stream_body(
            BodyStream::from_stream(futures::stream::iter([Ok(bytes::Bytes::from_static(b"hello"))])),
            "text/plain",
        );
    let err = g.client().send_empty(req).await.unwrap_err();
    assert_eq!(err.status(), Some(429));
    assert!(err.to_string().contains("cannot be replayed"), "{err}");
}

#[tokio::test]
async fn dropping_the_future_during_backoff_stops_at_once() {
    let g = MockGraph::start().await;
    Mock::given(path("/v1.0/me"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "30"))
        .expect(1)
        .mount(&g.server)
        .await;
    let client = g.client();
    let started = Instant::now();
    let r = tokio::time::timeout(Duration::from_millis(300), client.me().get().send()).await;
    assert!(r.is_err(), "the request must still be waiting");
    assert!(started.elapsed() < Duration::from_secs(5));
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(g.requests().await.len(), 1, "no retry after the future was dropped");
}

#[tokio::test]
async fn one_retry_after_holds_back_other_requests_to_the_same_mailbox() {
    let g = MockGraph::start().await;
    Mock::given(path("/v1.0/me/messages/a"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&g.server)
        .await;
    for id in ["a", "b"] {
        Mock::given(path(format!("/v1.0/me/messages/{id}")))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": id})))
            .expect(1)
            .mount(&g.server)
            .await;
    }
    Mock::given(path("/v1.0/users/other/messages/c"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "c"})))
        .expect(1)
        .mount(&g.server)
        .await;
    let client = g.client();
    let get = |p: GraphPath| {
        let c = client.clone();
        async move { c.send_json::<serde_json::Value>(Request::get(p)).await }
    };
    let first = tokio::spawn(get(GraphPath::new().push("me").push("messages").id("a")));
    // Let the 429 arrive before the next requests start.
    while g.requests().await.is_empty() {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    tokio::time::sleep(Duration::from_millis(50)).await;
    let started = Instant::now();
    let other_mailbox = get(GraphPath::new().push("users").id("other").push("messages").id("c")).await;
    assert!(other_mailbox.is_ok());
    assert!(started.elapsed() < Duration::from_millis(500), "another mailbox is not held back");
    get(GraphPath::new().push("me").push("messages").id("b")).await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(700), "same mailbox waits out the Retry-After");
    first.await.unwrap().unwrap();
    let order: Vec<String> = g.requests().await.iter().map(|r| r.url.path().to_owned()).collect();
    assert_eq!(order[..2], ["/v1.0/me/messages/a", "/v1.0/users/other/messages/c"]);
    let mut rest = order[2..].to_vec();
    rest.sort();
    assert_eq!(rest, ["/v1.0/me/messages/a", "/v1.0/me/messages/b"]);
}

#[tokio::test]
async fn connection_refused_is_retried_then_reported_as_transport() {
    // A port nobody listens on (bind, read the port, close).
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client = msgraph_core::GraphClient::builder()
        .base_url(format!("http://127.0.0.1:{port}/v1.0"))
        .retry_policy(RetryPolicy::default().max_retries(2).initial_delay(Duration::from_millis(1)))
        .build()
        .unwrap();
    let err = client.me().get().await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(err.is_retryable());
}

// ---- Retry-After of any size (CONFORMANCE 12a) ----

fn budget_client(g: &MockGraph, budget: Duration) -> msgraph_core::GraphClient {
    g.client_builder()
        .retry_policy(
            RetryPolicy::default()
                .initial_delay(Duration::from_millis(1))
                .max_delay(Duration::from_millis(5))
                .max_total_wait(budget),
        )
        .build()
        .unwrap()
}

fn message(id: &str) -> Request {
    Request::get(GraphPath::new().push("me").push("messages").id(id))
}

#[tokio::test]
async fn retry_after_u64_max_on_a_429_is_clamped_without_panic() {
    let g = MockGraph::start().await;
    Mock::given(path("/v1.0/me/messages/a"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "18446744073709551615"))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(path("/v1.0/me/messages/b"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "b"})))
        .expect(1)
        .mount(&g.server)
        .await;
    let client = budget_client(&g, Duration::from_millis(300));
    let err = client.send_json::<serde_json::Value>(message("a")).await.unwrap_err();
    assert!(err.is_throttled(), "{err}");
    assert!(err.retry_after().unwrap() <= Duration::from_secs(24 * 3600), "{err}");
    let started = Instant::now();
    tokio::time::timeout(Duration::from_secs(5), client.send_json::<serde_json::Value>(message("b")))
        .await
        .expect("the mailbox is held back beyond the retry budget")
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
}

#[tokio::test]
async fn a_retry_after_of_days_holds_the_mailbox_back_no_longer_than_the_retry_budget() {
    for value in ["1000000", "Fri, 31 Dec 9999 23:59:59 GMT"] {
        let g = MockGraph::start().await;
        Mock::given(path("/v1.0/me/messages/a"))
            .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", value))
            .expect(1)
            .mount(&g.server)
            .await;
        Mock::given(path("/v1.0/me/messages/b"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "b"})))
            .expect(1)
            .mount(&g.server)
            .await;
        let client = budget_client(&g, Duration::from_millis(300));
        let err = client.send_json::<serde_json::Value>(message("a")).await.unwrap_err();
        assert!(err.is_throttled() && err.to_string().contains("retry budget"), "{value}: {err}");
        let started = Instant::now();
        tokio::time::timeout(Duration::from_secs(5), client.send_json::<serde_json::Value>(message("b")))
            .await
            .unwrap_or_else(|_| panic!("Retry-After {value}: the mailbox is held back beyond the retry budget"))
            .unwrap();
        assert!(started.elapsed() < Duration::from_secs(2), "{value}: {:?}", started.elapsed());
    }
}

#[tokio::test]
async fn a_huge_retry_after_on_a_second_504_does_not_panic() {
    let g = MockGraph::start().await;
    // one second waited first, so that adding u64::MAX seconds overflows
    Mock::given(path("/v1.0/me"))
        .respond_with(ResponseTemplate::new(504).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(path("/v1.0/me"))
        .respond_with(ResponseTemplate::new(504).insert_header("Retry-After", "18446744073709551615"))
        .expect(1)
        .mount(&g.server)
        .await;
    let err = g.client().me().get().await.unwrap_err();
    assert_eq!(err.status(), Some(504));
    assert!(err.to_string().contains("retry budget"), "{err}");
}

#[tokio::test]
async fn a_429_from_a_redirect_target_does_not_hold_back_the_mailbox() {
    let g = MockGraph::start().await;
    let files = wiremock::MockServer::start().await;
    Mock::given(path("/v1.0/me/drive/items/1/content"))
        .respond_with(ResponseTemplate::new(302).insert_header("Location", format!("{}/download/1", files.uri())))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(path("/download/1"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "30"))
        .expect(1)
        .mount(&files)
        .await;
    Mock::given(path("/v1.0/me"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "1"})))
        .expect(1)
        .mount(&g.server)
        .await;
    let client = g.client_builder().retry_policy(RetryPolicy::none()).build().unwrap();
    let content = Request::get(GraphPath::new().push("me").push("drive").push("items").id("1").push("content"));
    let err = client.execute(content).await.unwrap_err();
    assert_eq!(err.status(), Some(429));
    tokio::time::timeout(Duration::from_secs(5), client.me().get().send())
        .await
        .expect("another host's 429 closed the mailbox's throttle gate")
        .unwrap();
}

// ---- Requests that must not run twice (CONFORMANCE 12b) ----

fn send_mail() -> Request {
    Request::post(GraphPath::new().push("me").push("sendMail")).json(&json!({"message": {"subject": "Hi"}})).unwrap()
}

#[tokio::test]
async fn a_504_on_send_mail_is_not_repeated() {
    let g = MockGraph::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/me/sendMail"))
        .respond_with(ResponseTemplate::new(504))
        .expect(1)
        .mount(&g.server)
        .await;
    let err = g.client().send_empty(send_mail()).await.unwrap_err();
    assert_eq!(err.status(), Some(504));
    assert!(err.to_string().contains("not retried") && err.to_string().contains("idempotent"), "{err}");
}

#[tokio::test]
async fn a_429_or_503_on_send_mail_is_retried() {
    for status in [429u16, 503] {
        let g = MockGraph::start().await;
        Mock::given(method("POST"))
            .and(path("/v1.0/me/sendMail"))
            .respond_with(ResponseTemplate::new(status))
            .up_to_n_times(1)
            .expect(1)
            .mount(&g.server)
            .await;
        Mock::given(method("POST"))
            .and(path("/v1.0/me/sendMail"))
            .respond_with(ResponseTemplate::new(202))
            .expect(1)
            .mount(&g.server)
            .await;
        g.client().send_empty(send_mail()).await.unwrap();
    }
}

#[tokio::test]
async fn a_504_on_get_put_patch_delete_is_retried() {
    for m in ["GET", "PUT", "PATCH", "DELETE"] {
        let g = MockGraph::start().await;
        Mock::given(method(m))
            .and(path("/v1.0/me/events/1"))
            .respond_with(ResponseTemplate::new(504))
            .up_to_n_times(1)
            .expect(1)
            .mount(&g.server)
            .await;
        Mock::given(method(m))
            .and(path("/v1.0/me/events/1"))
            .respond_with(ResponseTemplate::new(204))
            .expect(1)
            .mount(&g.server)
            .await;
        let req = Request::new(
            m.parse().unwrap(),
            msgraph_core::Target::Path(GraphPath::new().push("me").push("events").id("1")),
        );
        g.client().send_empty(req).await.unwrap_or_else(|e| panic!("{m}: {e}"));
    }
}

#[tokio::test]
async fn a_post_marked_idempotent_is_retried_after_504_and_a_patch_marked_not_is_not() {
    let g = MockGraph::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/me/sendMail"))
        .respond_with(ResponseTemplate::new(504))
        .up_to_n_times(2)
        .expect(2)
        .mount(&g.server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1.0/me/sendMail"))
        .respond_with(ResponseTemplate::new(202))
        .expect(2)
        .mount(&g.server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/v1.0/me/messages/1"))
        .respond_with(ResponseTemplate::new(504))
        .expect(2)
        .mount(&g.server)
        .await;
    let client = g.client();
    // on a Request
    client.send_empty(send_mail().idempotent(true)).await.unwrap();
    // as a per-request option of an operation
    use msgraph_core::{Action, WithOptions};
    Action::empty(client.clone(), Ok(send_mail())).idempotent(true).await.unwrap();
    let patch = || Request::patch(GraphPath::new().push("me").push("messages").id("1")).json(&json!({})).unwrap();
    assert_eq!(client.send_empty(patch().idempotent(false)).await.unwrap_err().status(), Some(504));
    let err = Action::empty(client.clone(), Ok(patch())).idempotent(false).await.unwrap_err();
    assert_eq!(err.status(), Some(504));
}

#[test]
fn which_requests_are_idempotent() {
    let p = || GraphPath::new().push("me").push("messages").id("1");
    assert!(Request::get(p()).is_idempotent());
    assert!(Request::put(p()).is_idempotent());
    assert!(Request::patch(p()).is_idempotent());
    assert!(Request::delete(p()).is_idempotent());
    assert!(!Request::post(p()).is_idempotent());
    assert!(Request::post(p()).idempotent(true).is_idempotent());
    assert!(!Request::get(p()).idempotent(false).is_idempotent());
}

/// A server that reads each request whole and closes the connection without
/// answering: the request was written, the outcome is unknown. Counts connections.
async fn hang_up_server() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tokio::io::AsyncReadExt as _;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/v1.0", listener.local_addr().unwrap());
    let accepted = std::sync::Arc::new(AtomicUsize::new(0));
    let count = accepted.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            count.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                loop {
                    let Ok(n) = socket.read(&mut chunk).await else { return };
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    let text = String::from_utf8_lossy(&buf).to_ascii_lowercase();
                    if let Some(end) = text.find("\r\n\r\n") {
                        let len = text
                            .lines()
                            .find_map(|l| l.strip_prefix("content-length:"))
                            .and_then(|v| v.trim().parse::<usize>().ok())
                            .unwrap_or(0);
                        if buf.len() >= end + 4 + len {
                            return; // drop the socket: no answer
                        }
                    }
                }
            });
        }
    });
    (base, accepted)
}

#[tokio::test]
async fn a_connection_reset_after_a_post_was_written_is_not_repeated() {
    use std::sync::atomic::Ordering;
    let (base, accepted) = hang_up_server().await;
    let client = msgraph_core::GraphClient::builder()
        .base_url(base)
        .retry_policy(
            RetryPolicy::default().initial_delay(Duration::from_millis(1)).max_delay(Duration::from_millis(2)),
        )
        .build()
        .unwrap();
    let err = client.send_empty(send_mail()).await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(accepted.load(Ordering::SeqCst), 1, "sendMail was sent twice");
    // a GET is safe to repeat
    let err = client.me().get().await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(accepted.load(Ordering::SeqCst), 1 + 4, "the GET is retried 3 times");
}

#[tokio::test]
async fn a_post_that_could_not_connect_is_retried() {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    // a port nobody listens on yet; it starts listening while the client backs off
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client = msgraph_core::GraphClient::builder()
        .base_url(format!("http://127.0.0.1:{port}/v1.0"))
        .retry_policy(
            RetryPolicy::default()
                .max_retries(10)
                .initial_delay(Duration::from_millis(100))
                .max_delay(Duration::from_millis(200)),
        )
        .build()
        .unwrap();
    let server = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(150)).await;
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.unwrap();
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut buf = [0u8; 4096];
        let _ = socket.read(&mut buf).await.unwrap();
        socket.write_all(b"HTTP/1.1 202 Accepted\r\ncontent-length: 0\r\nconnection: close\r\n\r\n").await.unwrap();
    });
    client.send_empty(send_mail()).await.unwrap();
    server.await.unwrap();
}
