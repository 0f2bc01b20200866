//! Silent first, refresh ahead of expiry, single flight, and dropping a
//! revoked refresh token: the behaviour every credential shares.

mod common;

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use common::*;
use msgraph_auth::{
    CachedToken, ClientSecretCredential, DeviceCodeCredential, MemoryTokenCache, TokenCache, TokenCacheKey,
};
use msgraph_core::{AuthErrorKind, Cloud, Secret, TokenCredential, TokenRequest};
use serde_json::json;
use wiremock::matchers::{body_string_contains, method, path};
use wiremock::{Mock, ResponseTemplate};

const TOKEN_PATH: &str = "/common/oauth2/v2.0/token";
const ADA: &str = "ada@contoso.com";

fn ada_key() -> TokenCacheKey {
    TokenCacheKey::new(Cloud::Global, "common", CLIENT_ID, Some(ADA.into()), ["Mail.Read"])
}

/// A cache holding Ada's token expiring in `minutes`, with refresh token `rt-1`.
async fn cache_with_token(minutes: i64) -> Arc<MemoryTokenCache> {
    let cache = Arc::new(MemoryTokenCache::new());
    let token = CachedToken::new("at-old", Utc::now() + chrono::Duration::minutes(minutes), Some(Secret::new("rt-1")));
    cache.set(&ada_key(), &token).await.unwrap();
    cache
}

/// A device code credential that must never prompt (these tests stay silent).
fn silent_credential(
    server: &msgraph_core::test_util::MockGraph,
    cache: Arc<MemoryTokenCache>,
) -> DeviceCodeCredential {
    DeviceCodeCredential::builder(CLIENT_ID)
        .authority_url(server.server.uri())
        .scopes(["Mail.Read"])
        .token_cache(cache)
        .on_prompt(|_| panic!("no interactive sign-in expected"))
        .build()
        .unwrap()
}

async fn mount_refresh(server: &msgraph_core::test_util::MockGraph, delay: Duration) {
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(body_string_contains("grant_type=refresh_token"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(token_body("at-new", Some("rt-2"), Some(ADA))).set_delay(delay),
        )
        .expect(1)
        .mount(&server.server)
        .await;
}

#[tokio::test]
async fn a_fresh_cached_token_is_used_without_any_request() {
    let server = identity().await;
    let credential = silent_credential(&server, cache_with_token(30).await);
    let token = credential.get_token(&TokenRequest::new()).await.unwrap();
    assert_eq!(token.token.expose(), "at-old");
    assert!(server.requests().await.is_empty());
}

#[tokio::test]
async fn a_token_expiring_within_five_minutes_is_refreshed_with_the_refresh_token() {
    let server = identity().await;
    mount_refresh(&server, Duration::ZERO).await;
    let cache = cache_with_token(2).await;
    let credential = silent_credential(&server, cache.clone());
    let token = credential.get_token(&TokenRequest::new()).await.unwrap();
    assert_eq!(token.token.expose(), "at-new");

    let sent = requests_to(&server, TOKEN_PATH).await;
    let f = form(&sent[0]);
    assert_eq!(f["grant_type"], "refresh_token");
    assert_eq!(f["client_id"], CLIENT_ID);
    assert_eq!(f["refresh_token"], "rt-1");
    assert_eq!(f["scope"], "Mail.Read openid profile offline_access");
    assert!(!f.contains_key("claims"));
    let stored = cache.get(&ada_key()).await.unwrap().unwrap();
    assert_eq!(stored.access_token.expose(), "at-new");
    assert_eq!(stored.refresh_token.unwrap().expose(), "rt-2");
}

#[tokio::test]
async fn an_expired_token_is_refreshed() {
    let server = identity().await;
    mount_refresh(&server, Duration::ZERO).await;
    let credential = silent_credential(&server, cache_with_token(-10).await);
    assert_eq!(credential.get_token(&TokenRequest::new()).await.unwrap().token.expose(), "at-new");
}

#[tokio::test]
async fn fifty_concurrent_calls_on_an_expired_token_send_one_token_request() {
    let server = identity().await;
    mount_refresh(&server, Duration::from_millis(200)).await;
    let credential = Arc::new(silent_credential(&server, cache_with_token(-1).await));
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let c = credential.clone();
            tokio::spawn(async move { c.get_token(&TokenRequest::new()).await })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap().token.expose(), "at-new");
    }
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 1);
}

#[tokio::test]
async fn fifty_concurrent_forced_refreshes_send_one_token_request() {
    let server = identity().await;
    Mock::given(method("POST"))
        .and(path("/contoso.com/oauth2/v2.0/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_body("app-1", None, None)))
        .up_to_n_times(1)
        .expect(1)
        .with_priority(1)
        .mount(&server.server)
        .await;
    Mock::given(method("POST"))
        .and(path("/contoso.com/oauth2/v2.0/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(token_body("app-2", None, None))
                .set_delay(Duration::from_millis(300)),
        )
        .expect(1)
        .with_priority(2)
        .mount(&server.server)
        .await;
    let credential = Arc::new(
        ClientSecretCredential::builder("contoso.com", CLIENT_ID, "s")
            .authority_url(server.server.uri())
            .build()
            .unwrap(),
    );
    assert_eq!(credential.get_token(&TokenRequest::new()).await.unwrap().token.expose(), "app-1");
    // 50 requests all got a 401 for app-1 and ask for a new token at once.
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let c = credential.clone();
            tokio::spawn(async move { c.get_token(&TokenRequest::force_refresh()).await })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap().token.expose(), "app-2");
    }
    assert_eq!(server.requests().await.len(), 2);
}

#[tokio::test]
async fn fifty_concurrent_first_calls_of_a_daemon_send_one_token_request() {
    let server = identity().await;
    Mock::given(method("POST"))
        .and(path("/contoso.com/oauth2/v2.0/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(token_body("app-1", None, None))
                .set_delay(Duration::from_millis(100)),
        )
        .expect(1)
        .mount(&server.server)
        .await;
    let credential = Arc::new(
        ClientSecretCredential::builder("contoso.com", CLIENT_ID, "s")
            .authority_url(server.server.uri())
            .build()
            .unwrap(),
    );
    let request = TokenRequest::new();
    let results = futures::future::join_all((0..50).map(|_| credential.get_token(&request))).await;
    assert!(results.iter().all(|r| r.as_ref().unwrap().token.expose() == "app-1"));
}

#[tokio::test]
async fn invalid_grant_drops_the_cache_entry_and_signs_in_again() {
    let server = identity().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(body_string_contains("grant_type=refresh_token"))
        .respond_with(ResponseTemplate::new(400).set_body_json(error_body(
            "invalid_grant",
            700082,
            "The refresh token has expired due to inactivity.",
        )))
        .expect(1)
        .mount(&server.server)
        .await;
    Mock::given(method("POST"))
        .and(path("/common/oauth2/v2.0/devicecode"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "user_code": "U", "device_code": "D", "verification_uri": "https://microsoft.com/devicelogin",
            "expires_in": 900, "interval": 1, "message": "sign in"
        })))
        .expect(1)
        .mount(&server.server)
        .await;
    // The new sign-in is not finished here: the user lets the code expire.
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(body_string_contains("device_code"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"error": "expired_token"})))
        .expect(1)
        .mount(&server.server)
        .await;
    let cache = cache_with_token(-10).await;
    let prompted = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = prompted.clone();
    let credential = DeviceCodeCredential::builder(CLIENT_ID)
        .authority_url(server.server.uri())
        .scopes(["Mail.Read"])
        .token_cache(cache.clone())
        .on_prompt(move |_| flag.store(true, std::sync::atomic::Ordering::SeqCst))
        .sleep_with(RecordingSleep::default().sleeper())
        .build()
        .unwrap();
    let err = credential.get_token(&TokenRequest::new()).await.unwrap_err();
    assert_eq!(err.as_auth().unwrap().kind, AuthErrorKind::Expired);
    assert!(prompted.load(std::sync::atomic::Ordering::SeqCst), "fell back to the interactive sign-in");
    assert!(cache.get(&ada_key()).await.unwrap().is_none(), "the revoked sign-in was dropped");
    assert!(cache.is_empty());
}

#[tokio::test]
async fn a_claims_challenge_bypasses_the_cache_and_is_sent() {
    let server = identity().await;
    mount_refresh(&server, Duration::ZERO).await;
    let credential = silent_credential(&server, cache_with_token(30).await);
    let claims = r#"{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}"#;
    let token = credential.get_token(&TokenRequest::with_claims(claims)).await.unwrap();
    assert_eq!(token.token.expose(), "at-new");
    let f = form(&requests_to(&server, TOKEN_PATH).await[0]);
    assert_eq!(f["claims"], claims);
}

#[tokio::test]
async fn fifty_concurrent_claims_challenges_send_one_token_request() {
    let server = identity().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(body_string_contains("grant_type=refresh_token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(token_body("at-new", Some("rt-2"), Some(ADA)))
                .set_delay(Duration::from_millis(200)),
        )
        .mount(&server.server)
        .await;
    let credential = Arc::new(silent_credential(&server, cache_with_token(30).await));
    let claims = r#"{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}"#;
    // 50 requests got the same claims challenge at once: one refresh answers them all.
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let c = credential.clone();
            tokio::spawn(async move { c.get_token(&TokenRequest::with_claims(claims)).await })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap().token.expose(), "at-new");
    }
    let sent = requests_to(&server, TOKEN_PATH).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(form(&sent[0])["claims"], claims);
    // The new token serves plain requests too.
    assert_eq!(credential.get_token(&TokenRequest::new()).await.unwrap().token.expose(), "at-new");
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 1);
    // A challenge that comes after the new token was handed out (the resource
    // refused it too), or one with other claims, is asked for again.
    credential.get_token(&TokenRequest::with_claims(claims)).await.unwrap();
    assert_eq!(requests_to(&server, TOKEN_PATH).await.len(), 2);
    let other = r#"{"access_token":{"acrs":{"essential":true,"value":"c1"}}}"#;
    credential.get_token(&TokenRequest::with_claims(other)).await.unwrap();
    let sent = requests_to(&server, TOKEN_PATH).await;
    assert_eq!(sent.len(), 3);
    assert_eq!(form(&sent[2])["claims"], other);
}

#[tokio::test]
async fn a_token_shorter_lived_than_the_refresh_margin_is_reused_by_fifty_concurrent_callers() {
    let server = identity().await;
    let mut short = token_body("app-short", None, None);
    short["expires_in"] = json!(120); // 2 minutes: inside the 5-minute margin from the start
    Mock::given(method("POST"))
        .and(path("/contoso.com/oauth2/v2.0/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(short).set_delay(Duration::from_millis(100)))
        .expect(1)
        .mount(&server.server)
        .await;
    let dir = temp_dir("short-lived");
    let file = dir.join("token_cache.json");
    let daemon = |cache| {
        Arc::new(
            ClientSecretCredential::builder("contoso.com", CLIENT_ID, "s")
                .authority_url(server.server.uri())
                .token_cache(cache)
                .build()
                .unwrap(),
        )
    };
    let credential = daemon(msgraph_auth::FileTokenCache::new(&file));
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let c = credential.clone();
            tokio::spawn(async move { c.get_token(&TokenRequest::new()).await })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap().token.expose(), "app-short");
    }
    // It stays in use (for half its life): 50 more calls, still one request.
    for _ in 0..50 {
        assert_eq!(credential.get_token(&TokenRequest::new()).await.unwrap().token.expose(), "app-short");
    }
    // A restart reads it back from the cache, lifetime included, and uses it too.
    let restarted = daemon(msgraph_auth::FileTokenCache::new(&file));
    assert_eq!(restarted.get_token(&TokenRequest::new()).await.unwrap().token.expose(), "app-short");
    assert_eq!(server.requests().await.len(), 1);
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn the_account_asked_for_wins_over_the_newest() {
    let server = identity().await;
    let cache = cache_with_token(30).await;
    let bob = ada_key().with_account(Some("bob@contoso.com".into()));
    cache.set(&bob, &CachedToken::new("at-bob", Utc::now() + chrono::Duration::minutes(30), None)).await.unwrap();

    let newest = silent_credential(&server, cache.clone());
    assert_eq!(newest.get_token(&TokenRequest::new()).await.unwrap().token.expose(), "at-bob");
    let ada = DeviceCodeCredential::builder(CLIENT_ID)
        .authority_url(server.server.uri())
        .scopes(["Mail.Read"])
        .token_cache(cache)
        .account(ADA)
        .on_prompt(|_| panic!("no interactive sign-in expected"))
        .build()
        .unwrap();
    assert_eq!(ada.get_token(&TokenRequest::new()).await.unwrap().token.expose(), "at-old");
    assert!(server.requests().await.is_empty());
}

#[tokio::test]
async fn other_scopes_do_not_reuse_the_cached_token() {
    let server = identity().await;
    Mock::given(method("POST"))
        .and(path("/common/oauth2/v2.0/devicecode"))
        .respond_with(ResponseTemplate::new(400).set_body_json(error_body("invalid_scope", 70011, "bad scope")))
        .expect(1)
        .mount(&server.server)
        .await;
    let credential = DeviceCodeCredential::builder(CLIENT_ID)
        .authority_url(server.server.uri())
        .scopes(["Files.Read"])
        .token_cache(cache_with_token(30).await)
        .on_prompt(|_| {})
        .build()
        .unwrap();
    let err = credential.get_token(&TokenRequest::new()).await.unwrap_err();
    assert_eq!(err.as_auth().unwrap().kind, AuthErrorKind::InvalidScope);
}
