//! Change notifications over plain HTTP, with a small local receiver: the
//! validation handshake, delivery with clientState, batching, retries,
//! expiration rules, lifecycle events from the handle, the fault switch,
//! resource data encrypted for the subscription's certificate.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{Duration as Minutes, Utc};
use common::{T, assert_graph_error, seg};
use msgraph_emulator::{NotificationSettings, demo};
use reqwest::Method;
use serde_json::{Value, json};
use tokio::sync::mpsc;

/// How the receiver answers validation requests.
#[derive(Clone, Copy, Debug)]
enum Validation {
    Echo,
    WrongToken,
    Status(u16),
    Slow(Duration),
    EchoAsJson,
}

struct RxState {
    validation: Validation,
    /// Answer the next this-many notification POSTs with 500.
    fail_next: u32,
    /// Answer every notification POST with 500.
    always_fail: bool,
    validations: Vec<String>,
    posts: u32,
}

/// A local webhook receiver: `/notify` and `/lifecycle` on a free port.
#[derive(Clone)]
struct Receiver {
    state: Arc<Mutex<RxState>>,
    tx: mpsc::UnboundedSender<(String, Value)>,
    base: String,
}

struct Rx {
    r: Receiver,
    rx: mpsc::UnboundedReceiver<(String, Value)>,
}

async fn handler(State(r): State<Receiver>, uri: axum::http::Uri, RawQuery(q): RawQuery, body: Bytes) -> Response {
    let token = q.as_deref().and_then(|q| {
        url::form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "validationToken").map(|(_, v)| v.into_owned())
    });
    if let Some(token) = token {
        let mode = {
            let mut s = r.state.lock().unwrap();
            s.validations.push(token.clone());
            s.validation
        };
        return match mode {
            Validation::Echo => (StatusCode::OK, [(header::CONTENT_TYPE, "text/plain")], token).into_response(),
            Validation::WrongToken => (StatusCode::OK, [(header::CONTENT_TYPE, "text/plain")], "nope").into_response(),
            Validation::EchoAsJson => {
                (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], token).into_response()
            }
            Validation::Status(s) => StatusCode::from_u16(s).unwrap().into_response(),
            Validation::Slow(d) => {
                tokio::time::sleep(d).await;
                (StatusCode::OK, [(header::CONTENT_TYPE, "text/plain")], token).into_response()
            }
        };
    }
    {
        let mut s = r.state.lock().unwrap();
        s.posts += 1;
        if s.always_fail && uri.path() == "/notify" {
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
        if s.fail_next > 0 {
            s.fail_next -= 1;
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    }
    let v: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let _ = r.tx.send((uri.path().to_owned(), v));
    StatusCode::ACCEPTED.into_response()
}

impl Rx {
    async fn start() -> Rx {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (tx, rx) = mpsc::unbounded_channel();
        let r = Receiver {
            state: Arc::new(Mutex::new(RxState {
                validation: Validation::Echo,
                fail_next: 0,
                always_fail: false,
                validations: Vec::new(),
                posts: 0,
            })),
            tx,
            base,
        };
        let app = axum::Router::new()
            .route("/notify", axum::routing::post(handler))
            .route("/lifecycle", axum::routing::post(handler))
            .with_state(r.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Rx { r, rx }
    }

    fn url(&self) -> String {
        format!("{}/notify", self.r.base)
    }

    fn lifecycle(&self) -> String {
        format!("{}/lifecycle", self.r.base)
    }

    fn set(&self, f: impl FnOnce(&mut RxState)) {
        f(&mut self.r.state.lock().unwrap());
    }

    /// The next batch POSTed (path, body), within 5 s.
    async fn next(&mut self) -> (String, Value) {
        tokio::time::timeout(Duration::from_secs(5), self.rx.recv()).await.expect("a notification arrives").unwrap()
    }

    /// Notifications arriving within `d`.
    async fn quiet_for(&mut self, d: Duration) -> Vec<(String, Value)> {
        let mut out = Vec::new();
        let end = tokio::time::Instant::now() + d;
        while let Ok(Some(x)) = tokio::time::timeout_at(end, self.rx.recv()).await {
            out.push(x);
        }
        out
    }
}

/// Waits (up to 5 s) until `f` holds: the emulator counts a delivery just after the receiver answered.
async fn eventually(mut f: impl FnMut() -> bool) {
    let end = tokio::time::Instant::now() + Duration::from_secs(5);
    while !f() {
        assert!(tokio::time::Instant::now() < end, "condition not reached in time");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

fn in_minutes(m: i64) -> String {
    (Utc::now() + Minutes::minutes(m)).to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn inbox_subscription(rx: &Rx, change_type: &str) -> Value {
    json!({
        "changeType": change_type,
        "notificationUrl": rx.url(),
        "lifecycleNotificationUrl": rx.lifecycle(),
        "resource": "me/mailFolders('inbox')/messages",
        "expirationDateTime": in_minutes(60),
        "clientState": "secretClientValue",
    })
}

async fn subscribe(t: &T, body: Value) -> Value {
    let r = t.post("/subscriptions", body).await;
    assert_eq!(r.status, 201, "{}", r.json);
    r.json
}

fn new_mail(subject: &str) -> Value {
    json!({"subject": subject, "from": {"emailAddress": {"address": "news@contoso.com", "name": "News"}}})
}

#[tokio::test]
async fn the_validation_handshake() {
    let t = T::start().await;
    let rx = Rx::start().await;
    // Good: both URLs are called with a token that needs URL-decoding.
    let sub = subscribe(&t, inbox_subscription(&rx, "created,updated")).await;
    let seen = rx.r.state.lock().unwrap().validations.clone();
    assert_eq!(seen.len(), 2, "the notification and the lifecycle URL");
    assert!(seen[0].starts_with("Validation: ") && seen[0].contains(' '), "{seen:?}");
    assert_eq!(sub["resource"], "me/mailFolders('inbox')/messages");
    assert_eq!(sub["changeType"], "created,updated");
    assert_eq!(sub["clientState"], "secretClientValue");
    assert_eq!(sub["lifecycleNotificationUrl"], rx.lifecycle());
    assert_eq!(sub["latestSupportedTlsVersion"], "v1_2");
    assert!(sub["@odata.context"].as_str().unwrap().ends_with("#subscriptions/$entity"));
    assert_eq!(t.emu.subscriptions().len(), 1);

    // Wrong token, wrong content type, not 200: refused, nothing created.
    for (mode, code) in [
        (Validation::WrongToken, "ValidationError"),
        (Validation::EchoAsJson, "ValidationError"),
        (Validation::Status(404), "ValidationError"),
    ] {
        rx.set(|s| s.validation = mode);
        let r = t.post("/subscriptions", inbox_subscription(&rx, "created")).await;
        assert_graph_error(&r, 400, code);
        assert!(r.json["error"]["message"].as_str().unwrap().starts_with("Subscription validation request failed"));
    }
    assert_eq!(t.emu.subscriptions().len(), 1);

    // Slower than the validation timeout (10 s on Graph; shortened here).
    t.emu.set_notification_settings(NotificationSettings::default().validation_timeout(Duration::from_millis(300)));
    rx.set(|s| s.validation = Validation::Slow(Duration::from_secs(2)));
    let r = t.post("/subscriptions", inbox_subscription(&rx, "created")).await;
    assert_graph_error(&r, 400, "InvalidRequest");
    assert_eq!(r.json["error"]["message"], "Subscription validation request timed out.");
    rx.set(|s| s.validation = Validation::Echo);

    // Nobody listening.
    let mut body = inbox_subscription(&rx, "created");
    body["notificationUrl"] = json!("http://127.0.0.1:9/notify");
    assert_graph_error(&t.post("/subscriptions", body).await, 400, "ValidationError");
    // Only loopback http.
    for url in ["https://127.0.0.1:8443/notify", "http://example.com/notify", "http://10.1.2.3/notify"] {
        let mut body = inbox_subscription(&rx, "created");
        body["notificationUrl"] = json!(url);
        assert_graph_error(&t.post("/subscriptions", body).await, 400, "InvalidRequest");
    }
    assert_eq!(t.emu.subscriptions().len(), 1);
}

#[tokio::test]
async fn changes_arrive_with_the_client_state() {
    let t = T::start().await;
    let mut rx = Rx::start().await;
    let sub = subscribe(&t, inbox_subscription(&rx, "created,updated,deleted")).await;
    let sid = sub["id"].as_str().unwrap();
    let only_created = subscribe(&t, {
        let mut b = inbox_subscription(&rx, "created");
        b["clientState"] = json!("other");
        b
    })
    .await;

    let id = t.emu.add_message(demo::USER_UPN, "inbox", new_mail("Fresh news")).unwrap();
    let (path, batch) = rx.next().await;
    assert_eq!(path, "/notify");
    let mut items = batch["value"].as_array().unwrap().clone();
    items.sort_by_key(|n| n["clientState"].as_str().unwrap().to_owned());
    assert_eq!(items.len(), 2, "one per subscription: {batch}");
    assert_eq!(items[0]["clientState"], "other");
    assert_eq!(items[0]["subscriptionId"], only_created["id"]);
    let n = &items[1];
    assert_eq!(n["subscriptionId"], sid);
    assert_eq!(n["clientState"], "secretClientValue");
    assert_eq!(n["changeType"], "created");
    assert_eq!(n["tenantId"], demo::TENANT_ID);
    assert_eq!(n["resource"], format!("Users/{}/Messages/{id}", demo::USER_ID));
    assert_eq!(n["resourceData"]["id"], id.as_str());
    assert_eq!(n["resourceData"]["@odata.type"], "#Microsoft.Graph.Message");
    assert_eq!(n["resourceData"]["@odata.id"], n["resource"]);
    assert!(n["resourceData"]["@odata.etag"].as_str().unwrap().starts_with("W/\""));
    assert!(n["subscriptionExpirationDateTime"].as_str().unwrap().ends_with('Z'));

    // Updated and deleted go to the subscription that asked for them only.
    let r = t.patch(&format!("/me/messages/{}", seg(&id)), json!({"isRead": true})).await;
    assert_eq!(r.status, 200);
    let (_, batch) = rx.next().await;
    assert_eq!(batch["value"].as_array().unwrap().len(), 1, "{batch}");
    assert_eq!(batch["value"][0]["changeType"], "updated");
    assert_eq!(t.delete(&format!("/me/messages/{}", seg(&id))).await.status, 204);
    let (_, batch) = rx.next().await;
    assert_eq!(batch["value"][0]["changeType"], "deleted");
    assert_eq!(batch["value"][0]["resourceData"]["id"], id.as_str());
    // A change elsewhere (another folder) is not for this resource.
    t.emu.add_message(demo::USER_UPN, "archive", new_mail("Old")).unwrap();
    assert!(rx.quiet_for(Duration::from_millis(300)).await.is_empty());
}

#[tokio::test]
async fn notifications_are_batched() {
    let t = T::start().await;
    let mut rx = Rx::start().await;
    subscribe(&t, inbox_subscription(&rx, "created")).await;
    for i in 0..5 {
        t.emu.add_message(demo::USER_UPN, "inbox", new_mail(&format!("Burst {i}"))).unwrap();
    }
    let mut got = 0;
    let mut posts = Vec::new();
    while got < 5 {
        let (_, b) = rx.next().await;
        got += b["value"].as_array().unwrap().len();
        posts.push(b["value"].as_array().unwrap().len());
    }
    assert_eq!(got, 5);
    assert!(posts.iter().any(|n| *n > 1), "changes made together go in one POST: {posts:?}");
    // At most max_batch per POST.
    t.emu.set_notification_settings(NotificationSettings::default().max_batch(2));
    for i in 0..5 {
        t.emu.add_message(demo::USER_UPN, "inbox", new_mail(&format!("Second burst {i}"))).unwrap();
    }
    let mut got = 0;
    while got < 5 {
        let (_, b) = rx.next().await;
        let n = b["value"].as_array().unwrap().len();
        assert!(n <= 2, "{b}");
        got += n;
    }
    eventually(|| t.emu.notification_stats().delivered_notifications == 10).await;
}

#[tokio::test]
async fn failed_deliveries_are_retried_then_dropped_as_missed() {
    let t = T::start().await;
    let mut rx = Rx::start().await;
    t.emu.set_notification_settings(
        NotificationSettings::default().first_retry(Duration::from_millis(50)).retry_for(Duration::from_millis(600)),
    );
    subscribe(&t, inbox_subscription(&rx, "created")).await;
    // Two 500s, then the same batch gets through.
    rx.set(|s| s.fail_next = 2);
    let id = t.emu.add_message(demo::USER_UPN, "inbox", new_mail("Retry me")).unwrap();
    let (_, b) = rx.next().await;
    assert_eq!(b["value"][0]["resourceData"]["id"], id.as_str());
    assert_eq!(rx.r.state.lock().unwrap().posts, 3);
    eventually(|| t.emu.notification_stats().delivered_batches == 1).await;
    assert_eq!(t.emu.notification_stats().failed_attempts, 2);

    // Always 500: retried for a bounded time, dropped, and a `missed`
    // lifecycle notification goes to the lifecycle URL.
    rx.set(|s| s.always_fail = true);
    t.emu.add_message(demo::USER_UPN, "inbox", new_mail("Lost")).unwrap();
    let (path, b) = rx.next().await;
    assert_eq!(path, "/lifecycle");
    assert_eq!(b["value"][0]["lifecycleEvent"], "missed");
    assert_eq!(b["value"][0]["clientState"], "secretClientValue");
    eventually(|| t.emu.notification_stats().dropped_batches == 1).await;
    let stats = t.emu.notification_stats();
    assert!(stats.failed_attempts >= 5, "{stats:?}");
}

#[tokio::test]
async fn expiration_rules() {
    let t = T::start().await;
    let rx = Rx::start().await;
    let with = |minutes: i64, resource: &str| {
        let mut b = inbox_subscription(&rx, "created");
        b["expirationDateTime"] = json!(in_minutes(minutes));
        b["resource"] = json!(resource);
        b
    };
    let inbox = "me/mailFolders('inbox')/messages";
    // Outlook: at most 10,080 minutes by default.
    let r = t.post("/subscriptions", with(10_200, inbox)).await;
    assert_graph_error(&r, 400, "ExtensionError");
    assert_eq!(r.json["error"]["message"], "Subscription expiration can only be 10080 minutes in the future.");
    let ok = subscribe(&t, with(10_000, inbox)).await;
    // Under 45 minutes: raised to 45.
    let short = subscribe(&t, with(5, "/me/messages")).await;
    let at = chrono::DateTime::parse_from_rfc3339(short["expirationDateTime"].as_str().unwrap()).unwrap();
    let left = at.with_timezone(&Utc) - Utc::now();
    assert!(left > Minutes::minutes(44) && left <= Minutes::minutes(45), "{left}");
    // In the past: refused.
    assert_graph_error(&t.post("/subscriptions", with(-5, inbox)).await, 400, "ExtensionError");
    // The Outlook maximum is a setting (Microsoft's docs have said 4,230 too).
    t.emu.set_notification_settings(NotificationSettings::default().outlook_max_minutes(4_230));
    let r = t.post("/subscriptions", with(5_000, "me/events")).await;
    assert_eq!(r.json["error"]["message"], "Subscription expiration can only be 4230 minutes in the future.");
    // To Do tasks: 4,230.
    let tasks = t.emu.todo_lists(demo::USER_UPN).unwrap()[0]["id"].as_str().unwrap().to_owned();
    let todo = format!("me/todo/lists/{tasks}/tasks");
    assert_graph_error(&t.post("/subscriptions", with(4_300, &todo)).await, 400, "ExtensionError");
    subscribe(&t, with(4_200, &todo)).await;

    // Renewal follows the same rules.
    let item = format!("/subscriptions/{}", ok["id"].as_str().unwrap());
    assert_graph_error(&t.patch(&item, json!({"expirationDateTime": in_minutes(5_000)})).await, 400, "ExtensionError");
    let r = t.patch(&item, json!({"expirationDateTime": in_minutes(3_000)})).await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_ne!(r.json["expirationDateTime"], ok["expirationDateTime"]);
    let r = t.patch(&item, json!({"lifecycleNotificationUrl": rx.lifecycle()})).await;
    assert_graph_error(&r, 400, "InvalidRequest");

    // Other checks on the request.
    let mut b = with(60, inbox);
    b["clientState"] = json!("x".repeat(129));
    assert_graph_error(&t.post("/subscriptions", b).await, 400, "InvalidRequest");
    let mut b = with(60, inbox);
    b["clientState"] = json!("x".repeat(128));
    subscribe(&t, b).await;
    let mut b = with(60, inbox);
    b["changeType"] = json!("created,moved");
    assert_graph_error(&t.post("/subscriptions", b).await, 400, "InvalidRequest");
    let mut b = with(60, inbox);
    b.as_object_mut().unwrap().remove("expirationDateTime");
    assert_graph_error(&t.post("/subscriptions", b).await, 400, "InvalidRequest");
    assert_graph_error(&t.post("/subscriptions", with(60, "me/contacts")).await, 400, "InvalidRequest");
    let other = format!("users/{}/messages", demo::SECOND_USER_UPN);
    assert_graph_error(&t.post("/subscriptions", with(60, &other)).await, 403, "ErrorAccessDenied");
    // Resource data: a certificate is required, 1,440 minutes at most, Outlook only.
    let mut b = with(60, inbox);
    b["includeResourceData"] = json!(true);
    assert_graph_error(&t.post("/subscriptions", b.clone()).await, 400, "InvalidRequest");
    b["encryptionCertificate"] = json!(certificate_base64());
    b["encryptionCertificateId"] = json!("test-cert-1");
    let mut long = b.clone();
    long["expirationDateTime"] = json!(in_minutes(1_500));
    let r = t.post("/subscriptions", long).await;
    assert_graph_error(&r, 400, "ExtensionError");
    assert_eq!(r.json["error"]["message"], "Subscription expiration can only be 1440 minutes in the future.");
    let rich = subscribe(&t, b.clone()).await;
    assert_eq!(rich["includeResourceData"], true);
    assert_eq!(rich["encryptionCertificateId"], "test-cert-1");
    let mut bad = b.clone();
    bad["encryptionCertificate"] = json!("bm90IGEgY2VydGlmaWNhdGU=");
    assert_graph_error(&t.post("/subscriptions", bad).await, 400, "InvalidRequest");
    let mut todo_rich = b;
    todo_rich["resource"] = json!(todo);
    assert_graph_error(&t.post("/subscriptions", todo_rich).await, 400, "InvalidRequest");
}

/// `encryptionCertificate`: the throw-away test certificate, base64 DER.
fn certificate_base64() -> String {
    include_str!("fixtures/test_cert.pem").lines().filter(|l| !l.starts_with("-----")).map(str::trim).collect()
}

#[tokio::test]
async fn rich_notifications_carry_encrypted_content() {
    let t = T::start().await;
    let mut rx = Rx::start().await;
    let mut b = inbox_subscription(&rx, "created");
    b["includeResourceData"] = json!(true);
    b["encryptionCertificate"] = json!(certificate_base64());
    b["encryptionCertificateId"] = json!("test-cert-1");
    let sub = subscribe(&t, b).await;
    t.emu.add_message(demo::USER_UPN, "inbox", new_mail("Rich")).unwrap();
    let (path, batch) = rx.next().await;
    assert_eq!(path, "/notify");
    let n = &batch["value"][0];
    assert_eq!(n["subscriptionId"], sub["id"]);
    assert_eq!(n["resourceData"]["@odata.type"], "#Microsoft.Graph.Message");
    let content = &n["encryptedContent"];
    assert_eq!(content["encryptionCertificateId"], "test-cert-1");
    assert_eq!(content["encryptionCertificateThumbprint"].as_str().unwrap().len(), 40);
    for field in ["data", "dataSignature", "dataKey"] {
        assert!(content[field].as_str().is_some_and(|v| !v.is_empty()), "{field}: {content}");
    }
    // the RSA-OAEP block of a 2048-bit key is 256 bytes; the HMAC-SHA256 32
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD;
    assert_eq!(b64.decode(content["dataKey"].as_str().unwrap()).unwrap().len(), 256);
    assert_eq!(b64.decode(content["dataSignature"].as_str().unwrap()).unwrap().len(), 32);
    // one validation token for the app, signed with the published key
    let tokens = batch["validationTokens"].as_array().expect("validationTokens");
    assert_eq!(tokens.len(), 1);
    let token = tokens[0].as_str().unwrap();
    let url = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let part =
        |i: usize| -> Value { serde_json::from_slice(&url.decode(token.split('.').nth(i).unwrap()).unwrap()).unwrap() };
    let (header, claims) = (part(0), part(1));
    assert_eq!(header["alg"], "RS256");
    assert_eq!(claims["aud"], sub["applicationId"]);
    assert_eq!(claims["appid"], "0bf30f3b-4a52-48df-9a82-234910c4a086");
    assert_eq!(claims["tid"], n["tenantId"]);
    assert_eq!(claims["iss"], format!("https://sts.windows.net/{}/", n["tenantId"].as_str().unwrap()));
    let jwks: Value = reqwest::get(format!("{}/common/discovery/v2.0/keys", t.emu.authority_url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(jwks["keys"][0]["kid"], header["kid"]);
    // a batch without resource data has no tokens
    let mut basic = inbox_subscription(&rx, "created");
    basic["notificationUrl"] = json!(rx.lifecycle());
    subscribe(&t, basic).await;
    t.emu.add_message(demo::USER_UPN, "inbox", new_mail("Basic")).unwrap();
    for _ in 0..2 {
        let (path, batch) = rx.next().await;
        let rich = batch["value"][0].get("encryptedContent").is_some();
        assert_eq!(rich, path == "/notify", "{batch}");
        assert_eq!(batch.get("validationTokens").is_some(), rich, "{batch}");
    }
}

#[tokio::test]
async fn get_list_delete_and_app_tokens() {
    let t = T::start().await;
    let rx = Rx::start().await;
    let sub = subscribe(&t, inbox_subscription(&rx, "created")).await;
    let item = format!("/subscriptions/{}", sub["id"].as_str().unwrap());
    let r = t.get(&item).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json["notificationUrl"], rx.url());
    assert_eq!(r.json["creatorId"], demo::USER_ID);
    assert_eq!(t.get("/subscriptions").await.values().len(), 1);
    // An app-only token subscribes to a user's messages and sees every subscription.
    let app = t.emu.issue_app_token();
    let mut b = inbox_subscription(&rx, "created");
    b["resource"] = json!(format!("users/{}/messages", demo::SECOND_USER_ID));
    let r = t.call_as(&app, Method::POST, "/subscriptions", Some(b), &[]).await;
    assert_eq!(r.status, 201, "{}", r.json);
    let r = t.call_as(&app, Method::GET, "/subscriptions", None, &[]).await;
    assert_eq!(r.values().len(), 2);
    assert_eq!(t.get("/subscriptions").await.values().len(), 1, "a user sees their own");
    let mut b = inbox_subscription(&rx, "created");
    b["resource"] = json!("me/messages");
    assert_eq!(t.call_as(&app, Method::POST, "/subscriptions", Some(b), &[]).await.status, 400);
    // Reauthorize, delete.
    assert_eq!(t.post(&format!("{item}/reauthorize"), json!({})).await.status, 204);
    assert_eq!(t.delete(&item).await.status, 204);
    assert_graph_error(&t.get(&item).await, 404, "ResourceNotFound");
    assert_eq!(t.delete(&item).await.status, 404);
}

#[tokio::test]
async fn lifecycle_events_from_the_handle() {
    let t = T::start().await;
    let mut rx = Rx::start().await;
    let sub = subscribe(&t, inbox_subscription(&rx, "created")).await;
    let sid = sub["id"].as_str().unwrap().to_owned();

    t.emu.reauthorization_required(&sid).unwrap();
    let (path, b) = rx.next().await;
    assert_eq!(path, "/lifecycle");
    let n = &b["value"][0];
    assert_eq!(n["lifecycleEvent"], "reauthorizationRequired");
    assert_eq!(
        (n["subscriptionId"].as_str(), n["clientState"].as_str()),
        (Some(sid.as_str()), Some("secretClientValue"))
    );
    assert_eq!(n["tenantId"], demo::TENANT_ID);
    assert!(n["subscriptionExpirationDateTime"].is_string());
    assert!(t.emu.needs_reauthorization(&sid).unwrap());
    assert_eq!(t.post(&format!("/subscriptions/{sid}/reauthorize"), json!({})).await.status, 204);
    assert!(!t.emu.needs_reauthorization(&sid).unwrap());

    t.emu.miss_notifications(&sid).unwrap();
    assert_eq!(rx.next().await.1["value"][0]["lifecycleEvent"], "missed");

    t.emu.remove_subscription(&sid).unwrap();
    assert_eq!(rx.next().await.1["value"][0]["lifecycleEvent"], "subscriptionRemoved");
    assert_graph_error(&t.get(&format!("/subscriptions/{sid}")).await, 404, "ResourceNotFound");
    assert!(t.emu.miss_notifications(&sid).is_err());
    // Nothing more for the removed subscription.
    t.emu.add_message(demo::USER_UPN, "inbox", new_mail("After removal")).unwrap();
    assert!(rx.quiet_for(Duration::from_millis(300)).await.is_empty());

    // Without a lifecycle URL there is nowhere to send them.
    let mut b = inbox_subscription(&rx, "created");
    b.as_object_mut().unwrap().remove("lifecycleNotificationUrl");
    let plain = subscribe(&t, b).await;
    assert!(t.emu.reauthorization_required(plain["id"].as_str().unwrap()).is_err());
}

#[tokio::test]
async fn the_fault_switch_stops_deliveries() {
    let t = T::start().await;
    let mut rx = Rx::start().await;
    subscribe(&t, inbox_subscription(&rx, "created")).await;
    t.emu.set_notifications_enabled(false);
    t.emu.add_message(demo::USER_UPN, "inbox", new_mail("Unheard")).unwrap();
    assert!(rx.quiet_for(Duration::from_millis(400)).await.is_empty());
    assert_eq!(t.emu.notification_stats().suppressed_notifications, 1);
    t.emu.set_notifications_enabled(true);
    // The suppressed change is not sent late; the next one is.
    let id = t.emu.add_message(demo::USER_UPN, "inbox", new_mail("Heard")).unwrap();
    let (_, b) = rx.next().await;
    assert_eq!(b["value"].as_array().unwrap().len(), 1);
    assert_eq!(b["value"][0]["resourceData"]["id"], id.as_str());
}

#[tokio::test]
async fn events_and_todo_tasks() {
    let t = T::start().await;
    let mut rx = Rx::start().await;
    let mut b = inbox_subscription(&rx, "created,updated,deleted");
    b["resource"] = json!("me/events");
    b["clientState"] = json!("events");
    subscribe(&t, b).await;
    let event = t
        .emu
        .add_event(
            demo::USER_UPN,
            json!({"subject": "Sync", "start": {"dateTime": "2024-03-20T10:00:00", "timeZone": "UTC"}, "end": {"dateTime": "2024-03-20T10:30:00", "timeZone": "UTC"}}),
        )
        .unwrap();
    let (_, b) = rx.next().await;
    let n = &b["value"][0];
    assert_eq!((n["clientState"].as_str(), n["changeType"].as_str()), (Some("events"), Some("created")));
    assert_eq!(n["resourceData"]["@odata.type"], "#Microsoft.Graph.Event");
    assert_eq!(n["resourceData"]["id"], event.as_str());

    let lists = t.emu.todo_lists(demo::USER_UPN).unwrap();
    let lid = lists[0]["id"].as_str().unwrap();
    let mut b = inbox_subscription(&rx, "created,updated,deleted");
    b["resource"] = json!(format!("/me/todo/lists/{lid}/tasks"));
    b["clientState"] = json!("tasks");
    b["expirationDateTime"] = json!(in_minutes(4_000));
    subscribe(&t, b).await;
    let r = t.post(&format!("/me/todo/lists/{}/tasks", seg(lid)), json!({"title": "Buy groceries"})).await;
    let tid = r.json["id"].as_str().unwrap().to_owned();
    let (_, b) = rx.next().await;
    let n = &b["value"][0];
    assert_eq!((n["clientState"].as_str(), n["changeType"].as_str()), (Some("tasks"), Some("created")));
    assert_eq!(n["resourceData"]["id"], tid.as_str());
    assert_eq!(n["resource"], format!("Users/{}/todo/lists/{lid}/tasks/{tid}", demo::USER_ID));
    t.patch(&format!("/me/todo/lists/{}/tasks/{}", seg(lid), seg(&tid)), json!({"status": "completed"})).await;
    assert_eq!(rx.next().await.1["value"][0]["changeType"], "updated");
    t.delete(&format!("/me/todo/lists/{}/tasks/{}", seg(lid), seg(&tid))).await;
    assert_eq!(rx.next().await.1["value"][0]["changeType"], "deleted");
}

#[tokio::test]
async fn drive_changes_are_updates_of_the_root() {
    let t = T::start().await;
    let mut rx = Rx::start().await;
    let mut b = inbox_subscription(&rx, "created,updated");
    b["resource"] = json!("me/drive/root");
    b["expirationDateTime"] = json!(in_minutes(40_000));
    assert_graph_error(&t.post("/subscriptions", b.clone()).await, 400, "InvalidRequest");
    b["changeType"] = json!("updated");
    b["clientState"] = json!("drive");
    let sub = subscribe(&t, b.clone()).await;
    assert_eq!(sub["resource"], "me/drive/root");
    // Drive items live up to 42,300 minutes.
    b["expirationDateTime"] = json!(in_minutes(43_000));
    assert_graph_error(&t.post("/subscriptions", b).await, 400, "ExtensionError");

    let r =
        t.call(Method::PUT, "/me/drive/root:/Notes/hello.txt:/content", None, &[("content-type", "text/plain")]).await;
    assert!(r.status == 201 || r.status == 200, "{}", r.json);
    let (_, batch) = rx.next().await;
    let n = &batch["value"][0];
    assert_eq!((n["clientState"].as_str(), n["changeType"].as_str()), (Some("drive"), Some("updated")));
    assert_eq!(n["resourceData"]["@odata.type"], "#Microsoft.Graph.DriveItem");
    let drive = t.emu.drive(demo::USER_UPN).unwrap();
    assert_eq!(n["resource"], format!("drives/{}/root", drive["id"].as_str().unwrap()));
}
