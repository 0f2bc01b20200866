//! Authorization code + PKCE with a real loopback redirect.

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use msgraph_auth::{AuthorizationCodeCredential, AuthorizationPrompt};
use msgraph_core::{AuthErrorKind, TokenCredential, TokenRequest};
use tokio::sync::oneshot;
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

const TOKEN_PATH: &str = "/common/oauth2/v2.0/token";

fn query(url: &url::Url) -> HashMap<String, String> {
    url.query_pairs().into_owned().collect()
}

/// What the "browser" got back for each request it made.
type Pages = Arc<Mutex<Vec<(u16, String)>>>;

/// Plays the browser: once the credential hands over the URL, sends the
/// given redirect queries (built from the real `state`) to the listener.
fn browser(
    requests: impl Fn(&HashMap<String, String>) -> Vec<String> + Send + Sync + 'static,
) -> (impl Fn(&AuthorizationPrompt) + Send + Sync + 'static, Pages, oneshot::Receiver<AuthorizationPrompt>) {
    let pages: Pages = Arc::default();
    let (tx, rx) = oneshot::channel();
    let tx = Mutex::new(Some(tx));
    let out = pages.clone();
    let requests = Arc::new(requests);
    let callback = move |prompt: &AuthorizationPrompt| {
        if let Some(tx) = tx.lock().unwrap().take() {
            let _ = tx.send(prompt.clone());
        }
        let params = query(&prompt.url);
        let base = prompt.redirect_uri.replace("localhost", "127.0.0.1");
        let targets: Vec<String> = requests(&params).into_iter().map(|t| format!("{base}{t}")).collect();
        let out = out.clone();
        let listener_addr = base.trim_start_matches("http://").trim_end_matches('/').to_owned();
        tokio::spawn(async move {
            // Like a browser's speculative connection: opened, never used.
            let _idle = tokio::net::TcpStream::connect(&listener_addr).await.unwrap();
            let http = msgraph_core::default_http_client(Duration::from_secs(5)).unwrap();
            for target in targets {
                let response = http.get(&target).send().await.unwrap();
                let status = response.status().as_u16();
                let text = response.text().await.unwrap();
                out.lock().unwrap().push((status, text));
            }
        });
    };
    (callback, pages, rx)
}

#[tokio::test]
async fn pkce_sign_in_end_to_end_refuses_a_wrong_state() {
    let server = identity().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_body(
            "at-browser",
            Some("rt-browser"),
            Some("ada@contoso.com"),
        )))
        .expect(1)
        .mount(&server.server)
        .await;
    let (on_url, pages, prompt) = browser(|q| {
        vec![
            "favicon.ico".to_owned(),
            "?code=stolen&state=not-the-state".to_owned(),
            format!("?code=the-code&state={}&session_state=x", q["state"]),
        ]
    });
    let credential = AuthorizationCodeCredential::builder(CLIENT_ID)
        .authority_url(server.server.uri())
        .scopes(["Calendars.ReadWrite"])
        .account("ada@contoso.com")
        .on_authorize_url(on_url)
        .build()
        .unwrap();

    let token = credential.get_token(&TokenRequest::new()).await.unwrap();
    assert_eq!(token.token.expose(), "at-browser");

    // The authorization URL handed to the app.
    let prompt = prompt.await.unwrap();
    assert_eq!(prompt.url.path(), "/common/oauth2/v2.0/authorize");
    assert!(prompt.url.as_str().starts_with(&server.server.uri()));
    let q = query(&prompt.url);
    assert_eq!(q["client_id"], CLIENT_ID);
    assert_eq!(q["response_type"], "code");
    assert_eq!(q["response_mode"], "query");
    assert_eq!(q["redirect_uri"], prompt.redirect_uri);
    assert!(prompt.redirect_uri.starts_with("http://localhost:") && prompt.redirect_uri.ends_with('/'));
    assert_eq!(q["scope"], "Calendars.ReadWrite openid profile offline_access");
    assert_eq!(q["code_challenge_method"], "S256");
    assert_eq!(q["login_hint"], "ada@contoso.com");
    assert!(q["state"].len() >= 16);

    // The browser saw a 404 for the favicon, a refusal for the wrong state, then the friendly page.
    let pages = pages.lock().unwrap().clone();
    assert_eq!(pages.len(), 3);
    assert_eq!(pages[0].0, 404);
    assert_eq!(pages[1].0, 400);
    assert!(pages[1].1.contains("does not match"), "{}", pages[1].1);
    assert_eq!(pages[2].0, 200);
    assert!(pages[2].1.contains("You are signed in"));

    // The code was redeemed with the verifier behind the challenge.
    let sent = requests_to(&server, TOKEN_PATH).await;
    assert_eq!(sent.len(), 1);
    let f = form(&sent[0]);
    assert_eq!(f["grant_type"], "authorization_code");
    assert_eq!(f["client_id"], CLIENT_ID);
    assert_eq!(f["code"], "the-code");
    assert_eq!(f["redirect_uri"], prompt.redirect_uri);
    assert_eq!(f["scope"], "Calendars.ReadWrite openid profile offline_access");
    let verifier = &f["code_verifier"];
    assert!(verifier.len() >= 43);
    let digest = ring::digest::digest(&ring::digest::SHA256, verifier.as_bytes());
    let challenge = base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, digest.as_ref());
    assert_eq!(q["code_challenge"], challenge);

    // Signed in: the next call answers from memory.
    credential.get_token(&TokenRequest::new()).await.unwrap();
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 1);
}

#[tokio::test]
async fn an_error_in_the_redirect_is_a_typed_error() {
    let server = identity().await;
    let (on_url, pages, _prompt) = browser(|q| {
        vec![format!(
            "?error=access_denied&error_description=AADSTS65004%3A+User+declined+to+consent&state={}",
            q["state"]
        )]
    });
    let credential = AuthorizationCodeCredential::builder(CLIENT_ID)
        .authority_url(server.server.uri())
        .redirect_host("127.0.0.1")
        .on_authorize_url(on_url)
        .build()
        .unwrap();
    let err = credential.get_token(&TokenRequest::new()).await.unwrap_err();
    let auth = err.as_auth().unwrap();
    assert_eq!(auth.kind, AuthErrorKind::Declined);
    assert_eq!(auth.aadsts, Some(65004));
    // The page is written before the error returns; give the browser task a moment to record it.
    for _ in 0..100 {
        if !pages.lock().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let pages = pages.lock().unwrap().clone();
    assert!(pages[0].1.contains("Sign-in failed") && pages[0].1.contains("User declined"), "{pages:?}");
    assert!(requests_to(&server, TOKEN_PATH).await.is_empty());
}

#[tokio::test]
async fn nobody_coming_back_times_out_as_cancelled() {
    let server = identity().await;
    let credential = AuthorizationCodeCredential::builder(CLIENT_ID)
        .authority_url(server.server.uri())
        .on_authorize_url(|_| {})
        .timeout(Duration::from_millis(50))
        .build()
        .unwrap();
    let err = credential.get_token(&TokenRequest::new()).await.unwrap_err();
    assert_eq!(err.as_auth().unwrap().kind, AuthErrorKind::Cancelled);
}

fn ipv6_loopback() -> bool {
    std::net::TcpListener::bind("[::1]:0").is_ok()
}

/// Sends the redirect the way a browser that resolved `localhost` to ::1
/// would, and returns the status line it got.
async fn redirect_over_ipv6(port: u16, query: String) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(("::1", port)).await.expect("nothing listens on [::1]");
    let request = format!("GET /?{query} HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    response.lines().next().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn a_localhost_redirect_that_the_browser_sends_to_ipv6_reaches_this_app() {
    if !ipv6_loopback() {
        eprintln!("no IPv6 loopback on this machine: nothing to test");
        return;
    }
    let server = identity().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_body(
            "at-v6",
            Some("rt"),
            Some("ada@contoso.com"),
        )))
        .expect(1)
        .mount(&server.server)
        .await;
    let (tx, status) = oneshot::channel();
    let tx = Mutex::new(Some(tx));
    let credential = AuthorizationCodeCredential::builder(CLIENT_ID)
        .authority_url(server.server.uri())
        .on_authorize_url(move |prompt| {
            let port = url::Url::parse(&prompt.redirect_uri).unwrap().port().unwrap();
            let state = query(&prompt.url)["state"].clone();
            let tx = tx.lock().unwrap().take().unwrap();
            tokio::spawn(async move {
                let _ = tx.send(redirect_over_ipv6(port, format!("code=the-code&state={state}")).await);
            });
        })
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let token = credential.get_token(&TokenRequest::new()).await.unwrap();
    assert_eq!(token.token.expose(), "at-v6");
    assert_eq!(status.await.unwrap(), "HTTP/1.1 200 OK");
    let f = form(&requests_to(&server, TOKEN_PATH).await[0]);
    assert_eq!(f["code"], "the-code");
    assert!(f["redirect_uri"].starts_with("http://localhost:"), "{}", f["redirect_uri"]);
}

#[tokio::test]
async fn a_port_another_program_holds_on_ipv6_is_never_the_redirect() {
    let Ok(squatter) = std::net::TcpListener::bind("[::1]:0") else {
        eprintln!("no IPv6 loopback on this machine: nothing to test");
        return;
    };
    let port = squatter.local_addr().unwrap().port();
    if std::net::TcpListener::bind(("127.0.0.1", port)).is_err() {
        eprintln!("port {port} is busy on 127.0.0.1 too: nothing to test");
        return;
    }
    let server = identity().await;
    let credential = AuthorizationCodeCredential::builder(CLIENT_ID)
        .authority_url(server.server.uri())
        .redirect_port(port)
        .on_authorize_url(move |p| {
            panic!("the browser was sent to {}, which another program holds on [::1]", p.redirect_uri)
        })
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let err = credential.get_token(&TokenRequest::new()).await.unwrap_err();
    assert!(err.to_string().contains("[::1]"), "{err}");
    drop(squatter);
}

#[test]
fn only_loopback_redirect_hosts() {
    assert!(AuthorizationCodeCredential::builder(CLIENT_ID).redirect_host("example.com").build().is_err());
    assert!(AuthorizationCodeCredential::builder(CLIENT_ID).redirect_host("127.0.0.1").build().is_ok());
}
