//! Device code flow against a fake identity platform.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use msgraph_auth::{DeviceCodeCredential, DeviceCodePrompt, MemoryTokenCache, TokenCache, TokenCacheKey};
use msgraph_core::{AuthErrorKind, Cloud, Error, TokenCredential, TokenRequest};
use serde_json::json;
use wiremock::matchers::{body_string_contains, method, path};
use wiremock::{Mock, ResponseTemplate};

const DEVICE_PATH: &str = "/common/oauth2/v2.0/devicecode";
const TOKEN_PATH: &str = "/common/oauth2/v2.0/token";

fn device_code_answer(expires_in: u64, interval: u64) -> serde_json::Value {
    json!({
        "user_code": "ABCD-1234",
        "device_code": "dc-secret-1",
        "verification_uri": "https://microsoft.com/devicelogin",
        "expires_in": expires_in,
        "interval": interval,
        "message": "To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code ABCD-1234 to authenticate."
    })
}

async fn mount_device_code(server: &msgraph_core::test_util::MockGraph, expires_in: u64, interval: u64) {
    Mock::given(method("POST"))
        .and(path(DEVICE_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(device_code_answer(expires_in, interval)))
        .expect(1)
        .mount(&server.server)
        .await;
}

/// Answers the device-code token poll with `error` `times` times (priority 1).
async fn mount_poll_error(server: &msgraph_core::test_util::MockGraph, error: &str, times: u64) {
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(body_string_contains("device_code"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "error": error,
            "error_description": format!("AADSTS70016: {error}"),
            "error_codes": [70016]
        })))
        .up_to_n_times(times)
        .expect(times)
        .with_priority(1)
        .mount(&server.server)
        .await;
}

async fn mount_poll_success(server: &msgraph_core::test_util::MockGraph) {
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(body_string_contains("device_code"))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_body(
            "at-1",
            Some("rt-1"),
            Some("ada@contoso.com"),
        )))
        .expect(1)
        .with_priority(2)
        .mount(&server.server)
        .await;
}

#[tokio::test]
async fn two_pending_polls_then_a_token_and_the_prompt_shows_the_code() {
    let server = identity().await;
    mount_device_code(&server, 900, 1).await;
    mount_poll_error(&server, "authorization_pending", 2).await;
    mount_poll_success(&server).await;

    let prompts: Arc<Mutex<Vec<DeviceCodePrompt>>> = Arc::default();
    let seen = prompts.clone();
    let timer = RecordingSleep::default();
    let cache = Arc::new(MemoryTokenCache::new());
    let credential = DeviceCodeCredential::builder(CLIENT_ID)
        .authority_url(server.server.uri())
        .scopes(["Mail.Read", "User.Read"])
        .token_cache(cache.clone())
        .on_prompt(move |p| seen.lock().unwrap().push(p.clone()))
        .sleep_with(timer.sleeper())
        .build()
        .unwrap();

    let token = credential.get_token(&TokenRequest::new()).await.unwrap();
    assert_eq!(token.token.expose(), "at-1");
    let expires = token.expires_on.unwrap();
    assert!(expires > chrono::Utc::now() + chrono::Duration::minutes(55));

    // The prompt carries what the user needs.
    let prompts = prompts.lock().unwrap().clone();
    assert_eq!(prompts.len(), 1);
    assert_eq!(prompts[0].user_code, "ABCD-1234");
    assert_eq!(prompts[0].verification_uri, "https://microsoft.com/devicelogin");
    assert!(prompts[0].message.contains("ABCD-1234"));
    assert_eq!(prompts[0].interval, Duration::from_secs(1));
    assert!(prompts[0].expires_on > chrono::Utc::now() + chrono::Duration::minutes(14));

    // What was sent: the device code request, then three polls one interval apart.
    let device = requests_to(&server, DEVICE_PATH).await;
    assert_eq!(device.len(), 1);
    let f = form(&device[0]);
    assert_eq!(f["client_id"], CLIENT_ID);
    assert_eq!(f["scope"], "Mail.Read User.Read openid profile offline_access");
    assert_eq!(device[0].headers.get("content-type").unwrap().to_str().unwrap(), "application/x-www-form-urlencoded");
    let polls = requests_to(&server, TOKEN_PATH).await;
    assert_eq!(polls.len(), 3);
    for poll in &polls {
        let f = form(poll);
        assert_eq!(f["grant_type"], "urn:ietf:params:oauth:grant-type:device_code");
        assert_eq!(f["client_id"], CLIENT_ID);
        assert_eq!(f["device_code"], "dc-secret-1");
        assert!(!f.contains_key("client_secret"));
    }
    assert_eq!(timer.intervals(), vec![Duration::from_secs(1); 3]);

    // The token is cached under the account the id token names; the next call sends nothing.
    let key = TokenCacheKey::new(
        Cloud::Global,
        "common",
        CLIENT_ID,
        Some("ada@contoso.com".into()),
        ["mail.read", "user.read"],
    );
    let cached = cache.get(&key).await.unwrap().unwrap();
    assert_eq!(cached.refresh_token.unwrap().expose(), "rt-1");
    let again = credential.get_token(&TokenRequest::new()).await.unwrap();
    assert_eq!(again.token.expose(), "at-1");
    assert_eq!(server.requests().await.len(), 4);
}

#[tokio::test]
async fn slow_down_adds_five_seconds_to_the_interval() {
    let server = identity().await;
    mount_device_code(&server, 900, 2).await;
    mount_poll_error(&server, "slow_down", 1).await;
    mount_poll_success(&server).await;
    let timer = RecordingSleep::default();
    let credential = DeviceCodeCredential::builder(CLIENT_ID)
        .authority_url(server.server.uri())
        .on_prompt(|_| {})
        .sleep_with(timer.sleeper())
        .build()
        .unwrap();
    credential.get_token(&TokenRequest::new()).await.unwrap();
    assert_eq!(timer.intervals(), vec![Duration::from_secs(2), Duration::from_secs(7)]);
}

#[tokio::test]
async fn poll_interval_override_replaces_the_platform_interval() {
    let server = identity().await;
    mount_device_code(&server, 900, 5).await;
    mount_poll_error(&server, "authorization_pending", 1).await;
    mount_poll_success(&server).await;
    let timer = RecordingSleep::default();
    let credential = DeviceCodeCredential::builder(CLIENT_ID)
        .authority_url(server.server.uri())
        .on_prompt(|_| {})
        .poll_interval(Duration::from_millis(1))
        .sleep_with(timer.sleeper())
        .build()
        .unwrap();
    credential.get_token(&TokenRequest::new()).await.unwrap();
    assert_eq!(timer.intervals(), vec![Duration::from_millis(1); 2]);
}

#[tokio::test]
async fn expired_token_ends_with_a_typed_error() {
    let server = identity().await;
    mount_device_code(&server, 900, 1).await;
    mount_poll_error(&server, "authorization_pending", 1).await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(400).set_body_json(error_body(
            "expired_token",
            70020,
            "The provided value for the input parameter 'device_code' is not valid. This device code has expired.",
        )))
        .expect(1)
        .with_priority(2)
        .mount(&server.server)
        .await;
    let credential = DeviceCodeCredential::builder(CLIENT_ID)
        .authority_url(server.server.uri())
        .on_prompt(|_| {})
        .sleep_with(RecordingSleep::default().sleeper())
        .build()
        .unwrap();
    let err = credential.get_token(&TokenRequest::new()).await.unwrap_err();
    let auth = err.as_auth().expect("an auth error");
    assert_eq!(auth.kind, AuthErrorKind::Expired);
    assert_eq!(auth.code.as_deref(), Some("expired_token"));
    assert_eq!(auth.aadsts, Some(70020));
    assert_eq!(auth.status, Some(400));
    assert!(!auth.message.contains("Trace ID"));
    assert!(err.to_string().contains("start the sign-in again"), "{err}");
}

#[tokio::test]
async fn declined_sign_in_is_a_typed_error() {
    for error in ["authorization_declined", "access_denied"] {
        let server = identity().await;
        mount_device_code(&server, 900, 1).await;
        mount_poll_error(&server, error, 1).await;
        let credential = DeviceCodeCredential::builder(CLIENT_ID)
            .authority_url(server.server.uri())
            .on_prompt(|_| {})
            .sleep_with(RecordingSleep::default().sleeper())
            .build()
            .unwrap();
        let err = credential.get_token(&TokenRequest::new()).await.unwrap_err();
        assert_eq!(err.as_auth().map(|a| a.kind.clone()), Some(AuthErrorKind::Declined), "{error}");
    }
}

#[tokio::test]
async fn the_code_expiring_locally_stops_polling() {
    let server = identity().await;
    mount_device_code(&server, 3, 1).await;
    mount_poll_error(&server, "authorization_pending", 3).await;
    let timer = RecordingSleep::default();
    let credential = DeviceCodeCredential::builder(CLIENT_ID)
        .authority_url(server.server.uri())
        .on_prompt(|_| {})
        .sleep_with(timer.sleeper())
        .build()
        .unwrap();
    let err = credential.get_token(&TokenRequest::new()).await.unwrap_err();
    assert_eq!(err.as_auth().unwrap().kind, AuthErrorKind::Expired);
    assert_eq!(timer.intervals().len(), 3);
}

#[tokio::test]
async fn a_confidential_app_without_secret_gets_a_hint_and_with_secret_sends_it() {
    let server = identity().await;
    mount_device_code(&server, 900, 1).await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(401).set_body_json(error_body(
            "invalid_client",
            7000218,
            "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
        )))
        .expect(1)
        .mount(&server.server)
        .await;
    let credential = DeviceCodeCredential::builder(CLIENT_ID)
        .authority_url(server.server.uri())
        .on_prompt(|_| {})
        .sleep_with(RecordingSleep::default().sleeper())
        .build()
        .unwrap();
    let err = credential.get_token(&TokenRequest::new()).await.unwrap_err();
    let auth = err.as_auth().unwrap();
    assert_eq!(auth.kind, AuthErrorKind::ConfidentialClientNeedsSecret);
    assert_eq!(auth.status, Some(401));
    assert!(err.to_string().contains("Allow public client flows"), "{err}");

    let server = identity().await;
    mount_device_code(&server, 900, 1).await;
    mount_poll_success(&server).await;
    let credential = DeviceCodeCredential::builder(CLIENT_ID)
        .authority_url(server.server.uri())
        .client_secret("app-secret")
        .on_prompt(|_| {})
        .sleep_with(RecordingSleep::default().sleeper())
        .build()
        .unwrap();
    assert!(!format!("{credential:?}").contains("app-secret"));
    credential.get_token(&TokenRequest::new()).await.unwrap();
    let poll = &requests_to(&server, TOKEN_PATH).await[0];
    assert_eq!(form(poll)["client_secret"], "app-secret");
}

#[tokio::test]
async fn a_bad_scope_fails_at_the_device_code_request() {
    let server = identity().await;
    Mock::given(method("POST"))
        .and(path("/organizations/oauth2/v2.0/devicecode"))
        .respond_with(ResponseTemplate::new(400).set_body_json(error_body(
            "invalid_scope",
            70011,
            "The provided value for the input parameter 'scope' is not valid.",
        )))
        .expect(1)
        .mount(&server.server)
        .await;
    let credential = DeviceCodeCredential::builder(CLIENT_ID)
        .tenant("organizations")
        .authority_url(server.server.uri())
        .scopes(["Mail.Bogus"])
        .on_prompt(|_| panic!("no prompt without a code"))
        .build()
        .unwrap();
    let err = credential.get_token(&TokenRequest::new()).await.unwrap_err();
    assert_eq!(err.as_auth().unwrap().kind, AuthErrorKind::InvalidScope);
}

#[tokio::test]
async fn national_cloud_scopes_are_qualified_with_its_graph_host() {
    let server = identity().await;
    Mock::given(method("POST"))
        .and(path("/contoso.onmicrosoft.us/oauth2/v2.0/devicecode"))
        .respond_with(ResponseTemplate::new(200).set_body_json(device_code_answer(900, 1)))
        .expect(1)
        .mount(&server.server)
        .await;
    Mock::given(method("POST"))
        .and(path("/contoso.onmicrosoft.us/oauth2/v2.0/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_body("at-gov", None, None)))
        .expect(1)
        .mount(&server.server)
        .await;
    let credential = DeviceCodeCredential::builder(CLIENT_ID)
        .cloud(Cloud::UsGov)
        .tenant("contoso.onmicrosoft.us")
        .authority_url(server.server.uri())
        .scopes(["Mail.Read"])
        .on_prompt(|_| {})
        .sleep_with(RecordingSleep::default().sleeper())
        .build()
        .unwrap();
    credential.get_token(&TokenRequest::new()).await.unwrap();
    let device = &requests_to(&server, "/contoso.onmicrosoft.us/oauth2/v2.0/devicecode").await[0];
    assert_eq!(form(device)["scope"], "https://graph.microsoft.us/Mail.Read openid profile offline_access");
}

#[tokio::test]
async fn dropping_the_future_stops_polling() {
    let server = identity().await;
    mount_device_code(&server, 900, 1).await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"error": "authorization_pending"})))
        .mount(&server.server)
        .await;
    let credential = DeviceCodeCredential::builder(CLIENT_ID)
        .authority_url(server.server.uri())
        .on_prompt(|_| {})
        .poll_interval(Duration::from_millis(5))
        .build()
        .unwrap();
    let outcome = tokio::time::timeout(Duration::from_millis(100), credential.get_token(&TokenRequest::new())).await;
    assert!(outcome.is_err(), "still polling when dropped");
    let polls = requests_to(&server, TOKEN_PATH).await.len();
    assert!(polls >= 1);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), polls, "no poll after the future was dropped");
}

#[tokio::test]
async fn invalid_settings_fail_before_anything_is_sent() {
    let server = identity().await;
    let err = DeviceCodeCredential::builder(CLIENT_ID).tenant("bad tenant").authority_url(server.server.uri()).build();
    assert!(matches!(err, Err(Error::InvalidInput(_))));
    assert!(server.requests().await.is_empty());
}

#[tokio::test]
async fn callers_queued_behind_a_declined_sign_in_share_its_answer() {
    let server = identity().await;
    mount_device_code(&server, 900, 1).await; // expects exactly one device code request
    mount_poll_error(&server, "authorization_declined", 1).await;
    let prompts = Arc::new(Mutex::new(0u32));
    let counted = prompts.clone();
    let credential = Arc::new(
        DeviceCodeCredential::builder(CLIENT_ID)
            .authority_url(server.server.uri())
            .on_prompt(move |_| *counted.lock().unwrap() += 1)
            // a real wait, so every caller is queued while the first one polls
            .sleep_with(|_| Box::pin(tokio::time::sleep(Duration::from_millis(300))))
            .build()
            .unwrap(),
    );
    let calls: Vec<_> = (0..10)
        .map(|_| {
            let c = credential.clone();
            tokio::spawn(async move { c.get_token(&TokenRequest::new()).await })
        })
        .collect();
    for call in calls {
        let err = call.await.unwrap().unwrap_err();
        assert_eq!(err.as_auth().map(|a| a.kind.clone()), Some(AuthErrorKind::Declined));
    }
    assert_eq!(*prompts.lock().unwrap(), 1, "one prompt, not one per waiting request");
}
