//! The watcher against wiremock: notifications trigger rounds, polling is
//! the safety net, lifecycle events are handled, subscriptions are renewed
//! and found again after a restart.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use msgraph_core::delta::{DeltaSync, MemoryDeltaStore};
use msgraph_core::reexports::http::HeaderMap;
use msgraph_core::subscription::{ChangeTypes, SubscriptionResource};
use msgraph_core::test_util::MockGraph;
use msgraph_core::{GraphClient, GraphPath};
use msgraph_notifications::{
    ClientStates, JsonFileWatchStore, MemoryWatchStore, Receiver, WatchState, WatchStore, Watcher,
};
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, ResponseTemplate};

const DELTA: &str = "/v1.0/me/mailFolders/inbox/messages/delta";

fn delta_factory(client: GraphClient, store: Arc<MemoryDeltaStore>) -> impl Fn() -> DeltaSync<Value> + Send + Sync {
    move || {
        DeltaSync::new(
            client.clone(),
            GraphPath::new().push("me").push("mailFolders").id("inbox").push("messages").push("delta"),
        )
        .store(store.clone(), "inbox")
        .confirm_delta_link(false)
    }
}

/// Round 1: message m1, deltaLink t1. From t1: whatever `later` says.
async fn mount_delta(g: &MockGraph, later: Value) {
    Mock::given(method("GET"))
        .and(path(DELTA))
        .and(query_param_is_missing("$deltatoken"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"id": "m1", "subject": "first"}],
            "@odata.deltaLink": format!("{}/me/mailFolders/inbox/messages/delta?$deltatoken=t1", g.base_url()),
        })))
        .mount(&g.server)
        .await;
    Mock::given(method("GET"))
        .and(path(DELTA))
        .and(query_param("$deltatoken", "t1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(later))
        .mount(&g.server)
        .await;
}

fn new_mail(g: &MockGraph) -> Value {
    json!({
        "value": [{"id": "m2", "subject": "new mail"}],
        "@odata.deltaLink": format!("{}/me/mailFolders/inbox/messages/delta?$deltatoken=t1", g.base_url()),
    })
}

async fn mount_subscriptions(g: &MockGraph, expires_in_minutes: i64) {
    let expires = (chrono::Utc::now() + chrono::TimeDelta::minutes(expires_in_minutes)).to_rfc3339();
    Mock::given(method("POST"))
        .and(path("/v1.0/subscriptions"))
        .respond_with(move |req: &wiremock::Request| {
            let body: Value = serde_json::from_slice(&req.body).unwrap();
            ResponseTemplate::new(201).set_body_json(json!({
                "id": format!("sub-{}", body["clientState"].as_str().unwrap().len() + req.body.len() % 7),
                "resource": body["resource"], "changeType": body["changeType"],
                "notificationUrl": body["notificationUrl"], "lifecycleNotificationUrl": body["lifecycleNotificationUrl"],
                "clientState": body["clientState"], "expirationDateTime": expires,
            }))
        })
        .mount(&g.server)
        .await;
}

type Seen = Arc<Mutex<Vec<String>>>;

fn recorder(
    seen: Seen,
) -> impl FnMut(
    String,
    msgraph_core::delta::DeltaRound<Value>,
) -> futures::future::BoxFuture<'static, msgraph_core::Result<()>> {
    move |key, round| {
        let seen = seen.clone();
        Box::pin(async move {
            for c in round.upserted() {
                seen.lock().unwrap().push(format!("{key}:{}", c["id"].as_str().unwrap_or_default()));
            }
            round.commit().await
        })
    }
}

async fn wait_for(seen: &Seen, what: &str) {
    for _ in 0..200 {
        if seen.lock().unwrap().iter().any(|s| s == what) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("{what} never arrived: {:?}", seen.lock().unwrap());
}

#[tokio::test]
async fn polling_only_delivers_changes_without_any_subscription() {
    let g = MockGraph::start().await;
    mount_delta(&g, new_mail(&g)).await;
    let seen: Seen = Arc::default();
    let watcher = Watcher::new(g.client(), Arc::new(MemoryWatchStore::new()), ClientStates::new())
        .poll_every(Duration::from_millis(50))
        .watch(
            "inbox",
            SubscriptionResource::mail_folder_messages("me", "inbox"),
            ChangeTypes::ALL,
            delta_factory(g.client(), Arc::default()),
        );
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let s = seen.clone();
    let task = tokio::spawn(watcher.run(
        None,
        async {
            let _ = stop_rx.await;
        },
        recorder(s),
    ));
    wait_for(&seen, "inbox:m1").await;
    wait_for(&seen, "inbox:m2").await;
    let _ = stop_tx.send(());
    task.await.unwrap().unwrap();
    assert!(g.requests().await.iter().all(|r| !r.url.path().contains("subscriptions")));
}

#[tokio::test]
async fn a_notification_triggers_a_round_long_before_the_polling_interval() {
    let g = MockGraph::start().await;
    mount_subscriptions(&g, 10_000).await;
    mount_delta(&g, new_mail(&g)).await;
    let states = ClientStates::new();
    let (receiver, notifications) = Receiver::new(states.clone(), 100);
    let seen: Seen = Arc::default();
    let watcher = Watcher::new(g.client(), Arc::new(MemoryWatchStore::new()), states)
        .notification_url("https://example.com/notify")
        .poll_every(Duration::from_secs(3600))
        .watch(
            "inbox",
            SubscriptionResource::mail_folder_messages("me", "inbox"),
            ChangeTypes::ALL,
            delta_factory(g.client(), Arc::default()),
        );
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(watcher.run(
        Some(notifications),
        async {
            let _ = stop_rx.await;
        },
        recorder(seen.clone()),
    ));
    wait_for(&seen, "inbox:m1").await;
    // what the subscription was created with
    let create = g.requests().await.into_iter().find(|r| r.url.path() == "/v1.0/subscriptions").unwrap();
    let body: Value = serde_json::from_slice(&create.body).unwrap();
    assert_eq!(body["resource"], "me/mailFolders('inbox')/messages");
    assert_eq!(body["lifecycleNotificationUrl"], "https://example.com/notify");
    let state = body["clientState"].as_str().unwrap().to_owned();
    let sub_id = format!("sub-{}", state.len() + create.body.len() % 7);
    // Graph posts a notification: handed to the watcher, which runs a round at once
    let started = std::time::Instant::now();
    let payload = json!({"value": [{"subscriptionId": sub_id, "clientState": state, "changeType": "created", "resource": "me/messages/m2"}]});
    assert_eq!(receiver.handle("POST", None, &HeaderMap::new(), payload.to_string().as_bytes()).status, 202);
    wait_for(&seen, "inbox:m2").await;
    assert!(started.elapsed() < Duration::from_secs(3600), "before the polling interval");
    let _ = stop_tx.send(());
    task.await.unwrap().unwrap();
}

#[tokio::test]
async fn lifecycle_events_reauthorize_recreate_and_catch_up() {
    let g = MockGraph::start().await;
    mount_subscriptions(&g, 10_000).await;
    mount_delta(&g, new_mail(&g)).await;
    Mock::given(method("POST"))
        .and(wiremock::matchers::path_regex("^/v1.0/subscriptions/[^/]+/reauthorize$"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&g.server)
        .await;
    let states = ClientStates::new();
    let (receiver, notifications) = Receiver::new(states.clone(), 100);
    let seen: Seen = Arc::default();
    let store = Arc::new(MemoryWatchStore::new());
    let watcher = Watcher::new(g.client(), store.clone(), states)
        .notification_url("https://example.com/notify")
        .poll_every(Duration::from_secs(3600))
        .watch(
            "inbox",
            SubscriptionResource::mail_folder_messages("me", "inbox"),
            ChangeTypes::ALL,
            delta_factory(g.client(), Arc::default()),
        );
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(watcher.run(
        Some(notifications),
        async {
            let _ = stop_rx.await;
        },
        recorder(seen.clone()),
    ));
    wait_for(&seen, "inbox:m1").await;
    let ws = store.load("inbox").await.unwrap().unwrap();
    let event = |name: &str, ws: &WatchState| {
        json!({"value": [{"lifecycleEvent": name, "subscriptionId": ws.subscription_id, "clientState": ws.client_state}]}).to_string()
    };
    receiver.handle("POST", None, &HeaderMap::new(), event("reauthorizationRequired", &ws).as_bytes());
    receiver.handle("POST", None, &HeaderMap::new(), event("missed", &ws).as_bytes());
    wait_for(&seen, "inbox:m2").await;
    receiver.handle("POST", None, &HeaderMap::new(), event("subscriptionRemoved", &ws).as_bytes());
    for _ in 0..100 {
        if g.requests().await.iter().filter(|r| r.url.path() == "/v1.0/subscriptions").count() == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let _ = stop_tx.send(());
    task.await.unwrap().unwrap();
    let creates = g.requests().await.iter().filter(|r| r.url.path() == "/v1.0/subscriptions").count();
    assert_eq!(creates, 2, "subscriptionRemoved recreates the subscription");
    let new = store.load("inbox").await.unwrap().unwrap();
    assert_ne!(new.client_state, ws.client_state);
}

#[tokio::test]
async fn a_subscription_near_its_expiry_is_renewed() {
    let g = MockGraph::start().await;
    mount_subscriptions(&g, 30).await;
    mount_delta(&g, json!({"value": [], "@odata.deltaLink": format!("{}/me/mailFolders/inbox/messages/delta?$deltatoken=t1", g.base_url())})).await;
    Mock::given(method("PATCH"))
        .and(wiremock::matchers::path_regex("^/v1.0/subscriptions/[^/]+$"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"id": "x", "expirationDateTime": (chrono::Utc::now() + chrono::TimeDelta::days(3)).to_rfc3339()}),
        ))
        .expect(1)
        .mount(&g.server)
        .await;
    let seen: Seen = Arc::default();
    let store = Arc::new(MemoryWatchStore::new());
    let watcher = Watcher::new(g.client(), store.clone(), ClientStates::new())
        .notification_url("https://example.com/notify")
        .renew_margin(Duration::from_secs(3600))
        .poll_every(Duration::from_secs(3600))
        .watch(
            "inbox",
            SubscriptionResource::mail_folder_messages("me", "inbox"),
            ChangeTypes::ALL,
            delta_factory(g.client(), Arc::default()),
        );
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(watcher.run(
        None,
        async {
            let _ = stop_rx.await;
        },
        recorder(seen.clone()),
    ));
    wait_for(&seen, "inbox:m1").await;
    for _ in 0..100 {
        if g.requests().await.iter().any(|r| r.method.as_str() == "PATCH") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let _ = stop_tx.send(());
    task.await.unwrap().unwrap();
    let expires = store.load("inbox").await.unwrap().unwrap().expires.unwrap();
    assert!(expires - chrono::Utc::now() > chrono::TimeDelta::days(2), "the renewed expiry is stored");
}

#[tokio::test]
async fn after_a_restart_the_stored_subscription_and_delta_token_are_used() {
    let g = MockGraph::start().await;
    mount_delta(&g, new_mail(&g)).await;
    let dir = std::env::temp_dir().join(format!("msgraph-watch-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let store = Arc::new(JsonFileWatchStore::new(dir.join("watch.json")));
    let expires = chrono::Utc::now() + chrono::TimeDelta::days(3);
    store
        .save("inbox", &WatchState::new("sub-old", Some(expires), "kept-state", "me/mailFolders('inbox')/messages"))
        .await
        .unwrap();
    Mock::given(method("GET"))
        .and(path("/v1.0/subscriptions/sub-old"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "sub-old", "lifecycleNotificationUrl": "https://example.com/notify", "expirationDateTime": expires.to_rfc3339()})))
        .expect(1)
        .mount(&g.server)
        .await;
    // the delta token of the first process
    let deltas = Arc::new(MemoryDeltaStore::new());
    msgraph_core::delta::DeltaStore::save(
        &*deltas,
        "inbox",
        &format!("{}/me/mailFolders/inbox/messages/delta?$deltatoken=t1", g.base_url()),
    )
    .await
    .unwrap();
    let states = ClientStates::new();
    let seen: Seen = Arc::default();
    let watcher = Watcher::new(g.client(), store.clone(), states.clone())
        .notification_url("https://example.com/notify")
        .poll_every(Duration::from_secs(3600))
        .watch(
            "inbox",
            SubscriptionResource::mail_folder_messages("me", "inbox"),
            ChangeTypes::ALL,
            delta_factory(g.client(), deltas),
        );
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(watcher.run(
        None,
        async {
            let _ = stop_rx.await;
        },
        recorder(seen.clone()),
    ));
    // the change made while it was down comes in the first round
    wait_for(&seen, "inbox:m2").await;
    let _ = stop_tx.send(());
    task.await.unwrap().unwrap();
    assert!(states.matches("sub-old", "kept-state"), "the receiver checks against the stored clientState");
    assert!(!g.requests().await.iter().any(|r| r.method.as_str() == "POST" && r.url.path() == "/v1.0/subscriptions"));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A restart with a moved notification URL, or another resource under the
/// same key: the stored subscription would post to the old place or report
/// the wrong thing, so it is deleted and a new one made.
#[tokio::test]
async fn a_stored_subscription_that_no_longer_fits_is_replaced() {
    for (stored_resource, graph_url, why) in [
        ("me/mailFolders('inbox')/messages", "https://old.example.com/notify", "moved URL"),
        ("me/mailFolders('archive')/messages", "https://example.com/notify", "other resource"),
    ] {
        let g = MockGraph::start().await;
        mount_subscriptions(&g, 10_000).await;
        mount_delta(&g, new_mail(&g)).await;
        let store = Arc::new(MemoryWatchStore::new());
        let expires = chrono::Utc::now() + chrono::TimeDelta::days(3);
        store.save("inbox", &WatchState::new("sub-old", Some(expires), "old-state", stored_resource)).await.unwrap();
        Mock::given(method("GET"))
            .and(path("/v1.0/subscriptions/sub-old"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "id": "sub-old", "resource": stored_resource, "changeType": "created,updated,deleted",
                "notificationUrl": graph_url, "lifecycleNotificationUrl": graph_url,
                "expirationDateTime": expires.to_rfc3339(),
            })))
            .expect(1)
            .mount(&g.server)
            .await;
        Mock::given(method("DELETE"))
            .and(path("/v1.0/subscriptions/sub-old"))
            .respond_with(ResponseTemplate::new(204))
            .expect(1)
            .mount(&g.server)
            .await;
        let states = ClientStates::new();
        let seen: Seen = Arc::default();
        let watcher = Watcher::new(g.client(), store.clone(), states.clone())
            .notification_url("https://example.com/notify")
            .poll_every(Duration::from_secs(3600))
            .watch(
                "inbox",
                SubscriptionResource::mail_folder_messages("me", "inbox"),
                ChangeTypes::ALL,
                delta_factory(g.client(), Arc::default()),
            );
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(watcher.run(
            None,
            async {
                let _ = stop_rx.await;
            },
            recorder(seen.clone()),
        ));
        wait_for(&seen, "inbox:m1").await;
        let _ = stop_tx.send(());
        task.await.unwrap().unwrap();
        let requests = g.requests().await;
        let create = requests
            .iter()
            .find(|r| r.method.as_str() == "POST" && r.url.path() == "/v1.0/subscriptions")
            .unwrap_or_else(|| panic!("{why}: no new subscription"));
        let body: Value = serde_json::from_slice(&create.body).unwrap();
        assert_eq!(body["notificationUrl"], "https://example.com/notify", "{why}");
        assert_eq!(body["resource"], "me/mailFolders('inbox')/messages", "{why}");
        let new = store.load("inbox").await.unwrap().unwrap();
        assert_ne!(new.subscription_id, "sub-old", "{why}");
        assert_eq!(new.resource, "me/mailFolders('inbox')/messages", "{why}");
        assert!(!states.matches("sub-old", "old-state"), "{why}: the old clientState is forgotten");
    }
}

/// A stored subscription that still fits is kept: no delete, no create.
#[tokio::test]
async fn a_stored_subscription_that_fits_is_kept() {
    let g = MockGraph::start().await;
    mount_delta(&g, new_mail(&g)).await;
    let store = Arc::new(MemoryWatchStore::new());
    let expires = chrono::Utc::now() + chrono::TimeDelta::days(3);
    store
        .save("inbox", &WatchState::new("sub-old", Some(expires), "old-state", "me/mailFolders('inbox')/messages"))
        .await
        .unwrap();
    Mock::given(method("GET"))
        .and(path("/v1.0/subscriptions/sub-old"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "sub-old", "resource": "me/mailFolders('inbox')/messages", "changeType": "created,updated,deleted",
            "notificationUrl": "https://example.com/notify", "lifecycleNotificationUrl": "https://example.com/notify",
            "expirationDateTime": expires.to_rfc3339(),
        })))
        .expect(1)
        .mount(&g.server)
        .await;
    let states = ClientStates::new();
    let seen: Seen = Arc::default();
    let watcher = Watcher::new(g.client(), store.clone(), states.clone())
        .notification_url("https://example.com/notify")
        .poll_every(Duration::from_secs(3600))
        .watch(
            "inbox",
            SubscriptionResource::mail_folder_messages("me", "inbox"),
            ChangeTypes::ALL,
            delta_factory(g.client(), Arc::default()),
        );
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(watcher.run(
        None,
        async {
            let _ = stop_rx.await;
        },
        recorder(seen.clone()),
    ));
    wait_for(&seen, "inbox:m1").await;
    let _ = stop_tx.send(());
    task.await.unwrap().unwrap();
    assert!(g.requests().await.iter().all(|r| r.url.path() != "/v1.0/subscriptions" && r.method.as_str() != "DELETE"));
    assert!(states.matches("sub-old", "old-state"));
}

/// Starts `watcher` with `notifications`; returns the stop switch and the task.
fn spawn_watcher(
    watcher: Watcher<Value>,
    notifications: Option<tokio::sync::mpsc::Receiver<msgraph_notifications::Notification>>,
    seen: &Seen,
) -> (tokio::sync::oneshot::Sender<()>, tokio::task::JoinHandle<msgraph_core::Result<()>>) {
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(watcher.run(
        notifications,
        async {
            let _ = stop_rx.await;
        },
        recorder(seen.clone()),
    ));
    (stop_tx, task)
}

/// How many requests so far satisfy `f`.
async fn count(g: &MockGraph, f: impl Fn(&wiremock::Request) -> bool) -> usize {
    g.requests().await.iter().filter(|r| f(r)).count()
}

/// Waits until `count(f)` reaches `n` (bounded; the caller asserts after).
async fn until_count(g: &MockGraph, n: usize, f: impl Fn(&wiremock::Request) -> bool) {
    for _ in 0..250 {
        if count(g, &f).await >= n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn from_t1(r: &wiremock::Request) -> bool {
    r.url.path() == DELTA && r.url.query().is_some_and(|q| q.contains("deltatoken=t1"))
}

fn is_create(r: &wiremock::Request) -> bool {
    r.method.as_str() == "POST" && r.url.path() == "/v1.0/subscriptions"
}

fn is_renewal(r: &wiremock::Request) -> bool {
    r.method.as_str() == "PATCH" && r.url.path().starts_with("/v1.0/subscriptions/")
}

fn inbox_watcher(g: &MockGraph, store: Arc<MemoryWatchStore>, states: ClientStates) -> Watcher<Value> {
    Watcher::new(g.client(), store, states)
        .notification_url("https://example.com/notify")
        .poll_every(Duration::from_secs(3600))
        .watch(
            "inbox",
            SubscriptionResource::mail_folder_messages("me", "inbox"),
            ChangeTypes::ALL,
            delta_factory(g.client(), Arc::default()),
        )
}

/// A burst while a round is in flight: that round finishes, then exactly
/// one more runs for the whole burst (one in flight, at most one queued).
#[tokio::test]
async fn a_burst_of_notifications_coalesces_into_one_round_after_the_one_in_flight() {
    let g = MockGraph::start().await;
    mount_subscriptions(&g, 10_000).await;
    Mock::given(method("GET"))
        .and(path(DELTA))
        .and(query_param_is_missing("$deltatoken"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"id": "m1", "subject": "first"}],
            "@odata.deltaLink": format!("{}/me/mailFolders/inbox/messages/delta?$deltatoken=t1", g.base_url()),
        })))
        .mount(&g.server)
        .await;
    // each round from t1 takes a while: the burst arrives while one is in flight
    Mock::given(method("GET"))
        .and(path(DELTA))
        .and(query_param("$deltatoken", "t1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(new_mail(&g)).set_delay(Duration::from_millis(400)))
        .mount(&g.server)
        .await;
    let states = ClientStates::new();
    let (receiver, notifications) = Receiver::new(states.clone(), 100);
    let store = Arc::new(MemoryWatchStore::new());
    let seen: Seen = Arc::default();
    let (stop, task) = spawn_watcher(inbox_watcher(&g, store.clone(), states), Some(notifications), &seen);
    wait_for(&seen, "inbox:m1").await;
    let ws = store.load("inbox").await.unwrap().unwrap();
    let note = json!({"value": [{"subscriptionId": ws.subscription_id, "clientState": ws.client_state, "changeType": "created"}]})
        .to_string();

    assert_eq!(receiver.handle("POST", None, &HeaderMap::new(), note.as_bytes()).status, 202);
    until_count(&g, 1, from_t1).await;
    assert_eq!(count(&g, from_t1).await, 1, "the first notification's round is in flight");
    for _ in 0..50 {
        assert_eq!(receiver.handle("POST", None, &HeaderMap::new(), note.as_bytes()).status, 202);
    }
    // the round in flight, then one for the whole burst
    for _ in 0..250 {
        if seen.lock().unwrap().iter().filter(|s| *s == "inbox:m2").count() == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(seen.lock().unwrap().iter().filter(|s| *s == "inbox:m2").count(), 2, "{:?}", seen.lock().unwrap());
    // nothing else was queued: no third round follows
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(count(&g, from_t1).await, 2, "51 notifications, 2 rounds");
    let _ = stop.send(());
    task.await.unwrap().unwrap();
}

/// A renewal that fails is tried once more, then the subscription is
/// created again (and the receiver checks against the new clientState).
#[tokio::test]
async fn a_failed_renewal_is_retried_then_the_subscription_recreated() {
    let g = MockGraph::start().await;
    mount_subscriptions(&g, 30).await; // inside the default 1-hour renewal margin
    mount_delta(&g, json!({"value": [], "@odata.deltaLink": format!("{}/me/mailFolders/inbox/messages/delta?$deltatoken=t1", g.base_url())})).await;
    Mock::given(method("PATCH"))
        .and(wiremock::matchers::path_regex("^/v1.0/subscriptions/[^/]+$"))
        .respond_with(ResponseTemplate::new(500).set_body_json(
            json!({"error": {"code": "ExtensionError", "message": "Operation: Update; Exception: [Status Code: InternalServerError]"}}),
        ))
        .mount(&g.server)
        .await;
    let states = ClientStates::new();
    let store = Arc::new(MemoryWatchStore::new());
    let seen: Seen = Arc::default();
    let (stop, task) = spawn_watcher(inbox_watcher(&g, store.clone(), states.clone()), None, &seen);
    wait_for(&seen, "inbox:m1").await;
    until_count(&g, 2, is_create).await;
    let _ = stop.send(());
    task.await.unwrap().unwrap();
    assert_eq!(count(&g, is_renewal).await, 2, "one renewal, retried once");
    assert_eq!(count(&g, is_create).await, 2, "then a new subscription");
    let creates: Vec<Value> =
        g.requests().await.iter().filter(|r| is_create(r)).map(|r| serde_json::from_slice(&r.body).unwrap()).collect();
    let new = store.load("inbox").await.unwrap().unwrap();
    assert_eq!(new.client_state, creates[1]["clientState"].as_str().unwrap(), "the new subscription is stored");
    assert_ne!(creates[0]["clientState"], creates[1]["clientState"]);
    assert!(states.matches(&new.subscription_id, &new.client_state));
}

/// `reauthorizationRequired` when `/reauthorize` is refused: the
/// subscription is renewed instead (a renewal reauthorizes too).
#[tokio::test]
async fn a_refused_reauthorization_falls_back_to_a_renewal() {
    let g = MockGraph::start().await;
    mount_subscriptions(&g, 10_000).await;
    mount_delta(&g, json!({"value": [], "@odata.deltaLink": format!("{}/me/mailFolders/inbox/messages/delta?$deltatoken=t1", g.base_url())})).await;
    Mock::given(method("POST"))
        .and(wiremock::matchers::path_regex("^/v1.0/subscriptions/[^/]+/reauthorize$"))
        .respond_with(ResponseTemplate::new(403).set_body_json(
            json!({"error": {"code": "ExtensionError", "message": "Operation: Reauthorize; Exception: [Status Code: Forbidden]"}}),
        ))
        .expect(1)
        .mount(&g.server)
        .await;
    Mock::given(method("PATCH"))
        .and(wiremock::matchers::path_regex("^/v1.0/subscriptions/[^/]+$"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"id": "x", "expirationDateTime": (chrono::Utc::now() + chrono::TimeDelta::days(3)).to_rfc3339()}),
        ))
        .expect(1)
        .mount(&g.server)
        .await;
    let states = ClientStates::new();
    let (receiver, notifications) = Receiver::new(states.clone(), 100);
    let store = Arc::new(MemoryWatchStore::new());
    let seen: Seen = Arc::default();
    let (stop, task) = spawn_watcher(inbox_watcher(&g, store.clone(), states), Some(notifications), &seen);
    wait_for(&seen, "inbox:m1").await;
    let ws = store.load("inbox").await.unwrap().unwrap();
    let event = json!({"value": [{"lifecycleEvent": "reauthorizationRequired", "subscriptionId": ws.subscription_id, "clientState": ws.client_state}]});
    assert_eq!(receiver.handle("POST", None, &HeaderMap::new(), event.to_string().as_bytes()).status, 202);
    until_count(&g, 1, is_renewal).await;
    let _ = stop.send(());
    task.await.unwrap().unwrap();
    assert_eq!(count(&g, is_renewal).await, 1);
    assert_eq!(count(&g, is_create).await, 1, "renewed, not recreated");
}
