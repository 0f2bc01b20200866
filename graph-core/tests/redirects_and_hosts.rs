//! Redirects, host checks and headers (CONFORMANCE 13-29).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use msgraph_core::test_util::{MockGraph, TEST_TOKEN};
use msgraph_core::{AccessToken, AuthMode, Error, GraphPath, Request, Result, TokenCredential, TokenRequest};
use reqwest::Method;
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn auth_of(r: &wiremock::Request) -> Option<String> {
    r.headers.get("authorization").map(|v| v.to_str().unwrap().to_owned())
}

#[tokio::test]
async fn redirect_to_another_origin_drops_authorization_and_cookie() {
    let g = MockGraph::start().await;
    let other = MockServer::start().await;
    Mock::given(path("/v1.0/me/drive/items/1/content"))
        .respond_with(ResponseTemplate::new(302).insert_header("Location", format!("{}/download/1", other.uri())))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(path("/download/1"))
        .respond_with(ResponseTemplate::new(200).set_body_string("file bytes"))
        .expect(1)
        .mount(&other)
        .await;
    let req = Request::get(GraphPath::new().push("me").push("drive").push("items").id("1").push("content"))
        .header("Cookie", "session=1")
        .unwrap();
    let resp = g.client().execute(req).await.unwrap();
    assert_eq!(resp.body().as_ref(), b"file bytes");
    assert_eq!(auth_of(&g.requests().await[0]).as_deref(), Some("Bearer test-token"));
    let hop = &other.received_requests().await.unwrap()[0];
    assert!(hop.headers.get("authorization").is_none(), "token leaked to another origin");
    assert!(hop.headers.get("cookie").is_none(), "cookie leaked to another origin");
}

#[tokio::test]
async fn same_origin_redirect_keeps_authorization_and_relative_location_resolves() {
    let g = MockGraph::start().await;
    Mock::given(path("/v1.0/me/old"))
        .respond_with(ResponseTemplate::new(301).insert_header("Location", "new"))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(path("/v1.0/me/new"))
        .and(header("authorization", format!("Bearer {TEST_TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .expect(1)
        .mount(&g.server)
        .await;
    let v: serde_json::Value =
        g.client().send_json(Request::get(GraphPath::new().push("me").push("old"))).await.unwrap();
    assert_eq!(v["ok"], true);
}

#[tokio::test]
async fn redirect_307_keeps_method_and_body_303_becomes_get() {
    let g = MockGraph::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/a"))
        .respond_with(ResponseTemplate::new(307).insert_header("Location", "/v1.0/b"))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1.0/b"))
        .respond_with(ResponseTemplate::new(303).insert_header("Location", "/v1.0/c"))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/c"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"done": 1})))
        .expect(1)
        .mount(&g.server)
        .await;
    let req = Request::post(GraphPath::new().push("a")).json(&json!({"x": 1})).unwrap();
    g.client().execute(req).await.unwrap();
    let reqs = g.requests().await;
    assert_eq!(reqs[1].body, br#"{"x":1}"#, "307 resends the body");
    assert!(reqs[2].body.is_empty(), "303 drops the body");
    assert!(reqs[2].headers.get("content-type").is_none());
}

#[tokio::test]
async fn six_chained_redirects_stop_at_five() {
    let g = MockGraph::start().await;
    for i in 0..6 {
        Mock::given(path(format!("/v1.0/r{i}")))
            .respond_with(ResponseTemplate::new(302).insert_header("Location", format!("/v1.0/r{}", i + 1)))
            .mount(&g.server)
            .await;
    }
    let err = g.client().execute(Request::get(GraphPath::new().push("r0"))).await.unwrap_err();
    assert!(matches!(err, Error::Redirect { .. }), "{err:?}");
    assert!(err.to_string().contains("more than 5 redirects"));
    assert_eq!(g.requests().await.len(), 6, "the original request and five redirects");
}

#[tokio::test]
async fn redirect_without_location_is_an_error_with_status() {
    let g = MockGraph::start().await;
    Mock::given(path("/v1.0/x")).respond_with(ResponseTemplate::new(302)).expect(1).mount(&g.server).await;
    let err = g.client().execute(Request::get(GraphPath::new().push("x"))).await.unwrap_err();
    assert_eq!(err.status(), Some(302));
}

#[tokio::test]
async fn redirect_to_plain_http_outside_loopback_is_refused() {
    let g = MockGraph::start().await;
    Mock::given(path("/v1.0/x"))
        .respond_with(ResponseTemplate::new(302).insert_header("Location", "http://example.com/steal"))
        .expect(1)
        .mount(&g.server)
        .await;
    let err = g.client().execute(Request::get(GraphPath::new().push("x"))).await.unwrap_err();
    assert!(matches!(err, Error::Redirect { .. }), "{err:?}");
}

#[tokio::test]
async fn links_to_untrusted_hosts_never_get_the_token() {
    let g = MockGraph::start().await;
    let other = MockServer::start().await;
    for link in [format!("{}/v1.0/me/messages?page=2", other.uri()), "https://evil.example.com/v1.0/me".to_owned()] {
        let err = g.client().execute(Request::to_url(Method::GET, &link).unwrap()).await.unwrap_err();
        assert!(matches!(err, Error::UntrustedHost { .. }), "{err:?}");
        assert!(!err.to_string().contains("page=2"), "query strings are not echoed: {err}");
    }
    assert!(other.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn if_trusted_and_none_modes_send_without_token_elsewhere() {
    let g = MockGraph::start().await;
    let other = MockServer::start().await;
    Mock::given(path("/monitor")).respond_with(ResponseTemplate::new(200)).expect(2).mount(&other).await;
    let url = format!("{}/monitor", other.uri());
    for mode in [AuthMode::IfTrusted, AuthMode::None] {
        g.client().execute(Request::to_url(Method::GET, &url).unwrap().auth(mode)).await.unwrap();
    }
    for r in other.received_requests().await.unwrap() {
        assert!(r.headers.get("authorization").is_none());
    }
    // On the Graph origin itself, `None` still sends no token (upload URLs).
    Mock::given(path("/v1.0/upload")).respond_with(ResponseTemplate::new(200)).expect(1).mount(&g.server).await;
    let up = format!("{}/upload", g.base_url());
    g.client().execute(Request::to_url(Method::PUT, &up).unwrap().auth(AuthMode::None)).await.unwrap();
    assert!(auth_of(&g.requests().await[0]).is_none());
}

#[tokio::test]
async fn client_request_id_user_agent_and_caller_authorization() {
    let g = MockGraph::start().await;
    Mock::given(path("/v1.0/me")).respond_with(ResponseTemplate::new(503)).up_to_n_times(1).mount(&g.server).await;
    Mock::given(path("/v1.0/me"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&g.server)
        .await;
    let c = g.client();
    c.send_empty(Request::get(GraphPath::new().push("me"))).await.unwrap();
    c.send_empty(
        Request::get(GraphPath::new().push("me"))
            .header("client-request-id", "my-id")
            .unwrap()
            .header("User-Agent", "triage-bot/2.0")
            .unwrap()
            .header("Authorization", "Bearer caller-token")
            .unwrap(),
    )
    .await
    .unwrap();
    let reqs = g.requests().await;
    let crid: Vec<&str> = reqs.iter().map(|r| r.headers.get("client-request-id").unwrap().to_str().unwrap()).collect();
    // first request and its retry share one UUID
    assert_eq!(crid[0], crid[1]);
    assert_eq!(crid[0].len(), 36);
    assert_eq!(&crid[0][14..15], "4", "a version 4 UUID");
    assert_eq!(crid[2], "my-id");
    for r in &reqs[..2] {
        let ua = r.headers.get("user-agent").unwrap().to_str().unwrap();
        assert_eq!(ua.matches("msgraph-rs/").count(), 1, "{ua}");
    }
    let ua = reqs[2].headers.get("user-agent").unwrap().to_str().unwrap();
    assert_eq!(ua, format!("triage-bot/2.0 {}", msgraph_core::USER_AGENT));
    assert_eq!(auth_of(&reqs[2]).as_deref(), Some("Bearer caller-token"));
}

#[tokio::test]
async fn user_agent_suffix_is_appended() {
    let g = MockGraph::start().await;
    Mock::given(path("/v1.0/me"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&g.server)
        .await;
    let c = g.client_builder().user_agent_suffix("agent/1").build().unwrap();
    c.me().get().await.unwrap();
    let ua = g.requests().await[0].headers.get("user-agent").unwrap().to_str().unwrap().to_owned();
    assert_eq!(ua, format!("{} agent/1", msgraph_core::USER_AGENT));
}

/// Hands out "stale" until forced, then "fresh-N" (also to later plain
/// requests, like a cache); records claims.
#[derive(Debug, Default)]
struct Rotating {
    calls: AtomicUsize,
    forced: AtomicUsize,
    claims: std::sync::Mutex<Vec<String>>,
}

#[async_trait::async_trait]
impl TokenCredential for Rotating {
    async fn get_token(&self, r: &TokenRequest) -> Result<AccessToken> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        if let Some(c) = &r.claims {
            self.claims.lock().unwrap().push(c.clone());
        }
        // Like a real cache: "stale" until forced, then the latest fresh token.
        if r.force_refresh {
            let n = self.forced.fetch_add(1, Ordering::SeqCst) + 1;
            Ok(AccessToken::new(format!("fresh-{n}"), None))
        } else {
            match self.forced.load(Ordering::SeqCst) {
                0 => Ok(AccessToken::new("stale", None)),
                n => Ok(AccessToken::new(format!("fresh-{n}"), None)),
            }
        }
    }
}

#[tokio::test]
async fn a_401_triggers_exactly_one_refresh() {
    let g = MockGraph::start().await;
    Mock::given(path("/v1.0/me"))
        .and(header("authorization", "Bearer stale"))
        .respond_with(ResponseTemplate::new(401).set_body_json(
            json!({"error": {"code": "InvalidAuthenticationToken", "message": "Access token has expired."}}),
        ))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(path("/v1.0/me"))
        .and(header("authorization", "Bearer fresh-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "1"})))
        .expect(1)
        .mount(&g.server)
        .await;
    let cred = Arc::new(Rotating::default());
    let c = g.client_builder().shared_credential(cred.clone()).build().unwrap();
    assert_eq!(c.me().get().await.unwrap().id.as_deref(), Some("1"));
    assert_eq!(cred.forced.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_second_401_is_returned_not_retried_again() {
    let g = MockGraph::start().await;
    Mock::given(path("/v1.0/me")).respond_with(ResponseTemplate::new(401)).expect(2).mount(&g.server).await;
    let cred = Arc::new(Rotating::default());
    let c = g.client_builder().shared_credential(cred.clone()).build().unwrap();
    let err = c.me().get().await.unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert_eq!(cred.forced.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_claims_challenge_is_passed_to_the_credential() {
    let g = MockGraph::start().await;
    // base64 of {"access_token":{"nbf":{"essential":true,"value":"1604106651"}}}
    let claims = "eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZSwidmFsdWUiOiIxNjA0MTA2NjUxIn19fQ==";
    Mock::given(path("/v1.0/me"))
        .and(header("authorization", "Bearer stale"))
        .respond_with(ResponseTemplate::new(401).insert_header(
            "WWW-Authenticate",
            format!(r#"Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims", claims="{claims}""#).as_str(),
        ))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(path("/v1.0/me"))
        .and(header("authorization", "Bearer fresh-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "1"})))
        .expect(1)
        .mount(&g.server)
        .await;
    let cred = Arc::new(Rotating::default());
    let c = g.client_builder().shared_credential(cred.clone()).build().unwrap();
    c.me().get().await.unwrap();
    assert_eq!(
        cred.claims.lock().unwrap().as_slice(),
        [r#"{"access_token":{"nbf":{"essential":true,"value":"1604106651"}}}"#]
    );
}

#[tokio::test]
async fn hostile_id_stays_one_path_segment_on_the_wire() {
    let g = MockGraph::start().await;
    Mock::given(path("/v1.0/users/a%2Fb%3Fc%23d"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "a/b?c#d"})))
        .expect(1)
        .mount(&g.server)
        .await;
    let u = g.client().user("a/b?c#d").get().await.unwrap();
    assert_eq!(u.id.as_deref(), Some("a/b?c#d"));
    assert!(g.requests().await[0].url.query().is_none());
}

#[tokio::test]
async fn empty_id_is_invalid_input_and_nothing_is_sent() {
    let g = MockGraph::start().await;
    let err = g.client().user("").get().await.unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
    assert!(g.requests().await.is_empty());
}

#[tokio::test]
async fn a_bodiless_post_says_content_length_zero() {
    let g = MockGraph::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/me/messages/1/send"))
        .and(header("content-length", "0"))
        .respond_with(ResponseTemplate::new(202))
        .expect(1)
        .mount(&g.server)
        .await;
    let req = Request::post(GraphPath::new().push("me").push("messages").id("1").push("send"));
    g.client().send_empty(req).await.unwrap();
}

#[tokio::test]
async fn a_retry_after_the_401_refresh_does_not_force_another_refresh() {
    let g = MockGraph::start().await;
    Mock::given(path("/v1.0/me"))
        .and(header("authorization", "Bearer stale"))
        .respond_with(ResponseTemplate::new(401))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(path("/v1.0/me"))
        .and(header("authorization", "Bearer fresh-1"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(path("/v1.0/me"))
        .and(header("authorization", "Bearer fresh-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "1"})))
        .expect(1)
        .mount(&g.server)
        .await;
    let cred = Arc::new(Rotating::default());
    let c = g.client_builder().shared_credential(cred.clone()).build().unwrap();
    assert_eq!(c.me().get().await.unwrap().id.as_deref(), Some("1"));
    assert_eq!(cred.forced.load(Ordering::SeqCst), 1, "the 503 retry must not force a second refresh");
}

fn streamed(m: &str) -> Request {
    Request::new(
        m.parse().unwrap(),
        msgraph_core::Target::Path(GraphPath::new().push("me").push("drive").push("items").id("1").push("content")),
    )
    .stream_body(
        msgraph_core::BodyStream::from_stream(futures::stream::iter([Ok(bytes::Bytes::from_static(b"file bytes"))])),
        "text/plain",
    )
}

#[tokio::test]
async fn a_301_or_302_on_a_streamed_put_or_patch_is_refused_not_sent_again_empty() {
    for (status, m) in [(301u16, "PUT"), (302, "PATCH"), (302, "PUT")] {
        let g = MockGraph::start().await;
        Mock::given(method(m))
            .and(path("/v1.0/me/drive/items/1/content"))
            .respond_with(ResponseTemplate::new(status).insert_header("Location", "/v1.0/elsewhere"))
            .expect(1)
            .mount(&g.server)
            .await;
        // nothing is mounted at /v1.0/elsewhere: the catch-all fails the test if it is reached
        let err = g.client().send_empty(streamed(m)).await.unwrap_err();
        assert!(matches!(err, Error::Redirect { status: s, .. } if s == status), "{m} {status}: {err:?}");
        assert!(err.to_string().contains("stream"), "{err}");
    }
}

#[tokio::test]
async fn a_redirect_that_turns_a_streamed_request_into_a_get_is_followed() {
    for (status, m) in [(302u16, "POST"), (303, "PUT")] {
        let g = MockGraph::start().await;
        Mock::given(method(m))
            .and(path("/v1.0/me/drive/items/1/content"))
            .respond_with(ResponseTemplate::new(status).insert_header("Location", "/v1.0/result"))
            .expect(1)
            .mount(&g.server)
            .await;
        Mock::given(method("GET"))
            .and(path("/v1.0/result"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
            .expect(1)
            .mount(&g.server)
            .await;
        g.client().send_empty(streamed(m)).await.unwrap();
        let hop = &g.requests().await[1];
        assert!(hop.body.is_empty() && hop.headers.get("content-type").is_none(), "{m} {status}");
    }
}
