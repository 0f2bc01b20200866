//! `msgraph_notifications`' watcher against the emulator: it subscribes to
//! the inbox through a local axum receiver; a mail arrives through
//! notification -> delta long before the polling interval; with
//! notifications stopped the polling timer still delivers; `missed` runs a
//! round; `subscriptionRemoved` recreates the subscription;
//! `reauthorizationRequired` reauthorizes; a subscription near its expiry is
//! renewed; after a restart the JSON stores give back the subscription and
//! the delta token.

mod sdk_common;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use msgraph_core::delta::{DeltaRound, DeltaStore, JsonFileDeltaStore, MemoryDeltaStore};
use msgraph_core::subscription::{ChangeTypes, SubscriptionResource};
use msgraph_emulator::{NotificationSettings, demo};
use msgraph_mail::{MailExt, Message, NewMessage, WellKnownFolder};
use msgraph_notifications::{ClientStates, JsonFileWatchStore, MemoryWatchStore, Receiver, WatchStore, Watcher};
use sdk_common::Sdk;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

/// What the app saw in one delta round.
#[derive(Debug)]
struct Seen {
    subjects: Vec<String>,
    full_sync: bool,
}

/// A local receiver (the `axum` feature's router) on `port` (0: any).
async fn serve_receiver(receiver: Receiver, port: u16) -> (String, u16, JoinHandle<()>) {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_reuseaddr(true).unwrap();
    socket.bind(std::net::SocketAddr::from(([127, 0, 0, 1], port))).unwrap();
    let listener = socket.listen(64).unwrap();
    let port = listener.local_addr().unwrap().port();
    let app = receiver.router("/notify");
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (format!("http://127.0.0.1:{port}/notify"), port, task)
}

/// A running watcher on Adele's inbox.
struct Running {
    rounds: mpsc::UnboundedReceiver<Seen>,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<msgraph_core::Result<()>>,
    receiver_task: JoinHandle<()>,
    port: u16,
}

impl Running {
    /// The next round with changes, within `within`.
    async fn next_change(&mut self, within: Duration) -> Seen {
        let end = tokio::time::Instant::now() + within;
        loop {
            let seen = tokio::time::timeout_at(end, self.rounds.recv())
                .await
                .expect("a round with changes in time")
                .expect("the watcher runs");
            if !seen.subjects.is_empty() {
                return seen;
            }
        }
    }

    /// Stops the watcher and its receiver.
    async fn stop(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        self.task.await.unwrap().unwrap();
        self.receiver_task.abort();
        let _ = self.receiver_task.await;
    }
}

struct Setup {
    store: Arc<dyn WatchStore>,
    deltas: Arc<dyn DeltaStore>,
    poll_every: Duration,
    port: u16,
    /// `Watcher::subscription_lifetime` and `Watcher::renew_margin`, when set.
    lifetime_and_margin: Option<(Duration, Duration)>,
}

impl Setup {
    fn memory(poll_every: Duration) -> Setup {
        Setup {
            store: Arc::new(MemoryWatchStore::new()),
            deltas: Arc::new(MemoryDeltaStore::default()),
            poll_every,
            port: 0,
            lifetime_and_margin: None,
        }
    }
}

async fn start_watcher(s: &Sdk, setup: Setup) -> Running {
    let states = ClientStates::new();
    let (receiver, notifications) = Receiver::new(states.clone(), 1000);
    let (url, port, receiver_task) = serve_receiver(receiver, setup.port).await;
    let client = s.client.clone();
    let deltas = setup.deltas.clone();
    let mut watcher = Watcher::<Message>::new(s.client.clone(), setup.store, states)
        .notification_url(url)
        .poll_every(setup.poll_every)
        .watch("inbox", SubscriptionResource::mail_folder_messages("me", "inbox"), ChangeTypes::ALL, move || {
            client.me().messages().delta(WellKnownFolder::Inbox).store(deltas.clone(), "inbox")
        });
    if let Some((lifetime, margin)) = setup.lifetime_and_margin {
        watcher = watcher.subscription_lifetime(lifetime).renew_margin(margin);
    }
    let (tx, rounds) = mpsc::unbounded_channel();
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        watcher
            .run(
                Some(notifications),
                async move {
                    let _ = stopped.await;
                },
                move |_key, round: DeltaRound<Message>| {
                    let tx = tx.clone();
                    async move {
                        let subjects = round.upserted().filter_map(|m| m.subject.clone()).collect();
                        let full_sync = round.full_sync();
                        round.commit().await?;
                        let _ = tx.send(Seen { subjects, full_sync });
                        Ok(())
                    }
                },
            )
            .await
    });
    let mut running = Running { rounds, stop: Some(stop), task, receiver_task, port };
    // The first round is the whole inbox.
    let first = running.next_change(Duration::from_secs(10)).await;
    assert!(first.full_sync, "{first:?}");
    running
}

async fn send_to_self(s: &Sdk, subject: &str) {
    s.client.me().send_mail(NewMessage::new().to([demo::USER_UPN]).subject(subject).text_body("hi")).await.unwrap();
}

/// The id of the only subscription, once there is one.
async fn subscription_id(s: &Sdk) -> String {
    for _ in 0..500 {
        if let Some(sub) = s.emu.subscriptions().first() {
            return sub["id"].as_str().unwrap().to_owned();
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("no subscription")
}

/// An hour: any round before it comes from a notification, not the timer.
const NEVER: Duration = Duration::from_secs(3600);

#[tokio::test]
async fn a_mail_reaches_the_app_through_notification_then_delta() {
    let s = Sdk::start().await;
    let mut w = start_watcher(&s, Setup::memory(NEVER)).await;
    let subs = s.emu.subscriptions();
    assert_eq!(subs.len(), 1);
    assert_eq!(subs[0]["resource"], "me/mailFolders('inbox')/messages");
    assert_eq!(subs[0]["changeType"], "created,updated,deleted");
    assert!(subs[0]["lifecycleNotificationUrl"].is_string());

    send_to_self(&s, "Lunch at noon?").await;
    let seen = w.next_change(Duration::from_secs(10)).await;
    assert_eq!(seen.subjects, ["Lunch at noon?"]);
    assert!(!seen.full_sync);
    assert!(s.emu.notification_stats().delivered_notifications >= 1);
    w.stop().await;
}

#[tokio::test]
async fn with_notifications_stopped_the_polling_timer_still_delivers() {
    let s = Sdk::start().await;
    let mut w = start_watcher(&s, Setup::memory(Duration::from_millis(700))).await;
    s.emu.set_notifications_enabled(false);
    send_to_self(&s, "Nobody rings the bell").await;
    let seen = w.next_change(Duration::from_secs(10)).await;
    assert_eq!(seen.subjects, ["Nobody rings the bell"]);
    assert!(s.emu.notification_stats().suppressed_notifications >= 1, "{:?}", s.emu.notification_stats());
    assert_eq!(s.emu.notification_stats().delivered_notifications, 0);
    w.stop().await;
}

#[tokio::test]
async fn a_missed_event_runs_a_round() {
    let s = Sdk::start().await;
    let mut w = start_watcher(&s, Setup::memory(NEVER)).await;
    let sid = subscription_id(&s).await;
    s.emu.set_notifications_enabled(false);
    send_to_self(&s, "Lost in the outage").await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    s.emu.set_notifications_enabled(true);
    assert!(tokio::time::timeout(Duration::from_millis(300), w.rounds.recv()).await.is_err(), "no round yet");
    s.emu.miss_notifications(&sid).unwrap();
    let seen = w.next_change(Duration::from_secs(10)).await;
    assert_eq!(seen.subjects, ["Lost in the outage"]);
    w.stop().await;
}

#[tokio::test]
async fn a_removed_subscription_is_recreated() {
    let s = Sdk::start().await;
    let mut w = start_watcher(&s, Setup::memory(NEVER)).await;
    let old = subscription_id(&s).await;
    s.emu.remove_subscription(&old).unwrap();
    // The watcher makes a new one (and runs a round to catch up).
    let mut new = None;
    for _ in 0..500 {
        if let Some(sub) = s.emu.subscriptions().first() {
            new = sub["id"].as_str().map(str::to_owned);
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let new = new.expect("a new subscription");
    assert_ne!(new, old);
    send_to_self(&s, "After the removal").await;
    let seen = w.next_change(Duration::from_secs(10)).await;
    assert_eq!(seen.subjects, ["After the removal"]);
    w.stop().await;
}

#[tokio::test]
async fn reauthorization_is_answered() {
    let s = Sdk::start().await;
    let w = start_watcher(&s, Setup::memory(NEVER)).await;
    let sid = subscription_id(&s).await;
    s.emu.reauthorization_required(&sid).unwrap();
    assert!(s.emu.needs_reauthorization(&sid).unwrap());
    for _ in 0..500 {
        if !s.emu.needs_reauthorization(&sid).unwrap() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(!s.emu.needs_reauthorization(&sid).unwrap(), "the watcher reauthorized");
    assert!(s.emu.requests().iter().any(|r| r.method == "POST" && r.path.ends_with(&format!("{sid}/reauthorize"))));
    w.stop().await;
}

#[tokio::test]
async fn a_subscription_near_its_expiry_is_renewed_not_recreated() {
    let s = Sdk::start().await;
    // Subscriptions of 50 minutes (49 after the watcher's minute of slack),
    // renewed when less than 49 minutes less 3 seconds are left: due 3 s
    // after each renewal. The short poll only keeps the watcher's loop turning.
    let mut setup = Setup::memory(Duration::from_millis(300));
    setup.lifetime_and_margin = Some((Duration::from_secs(50 * 60), Duration::from_secs(49 * 60 - 3)));
    let mut w = start_watcher(&s, setup).await;
    let sid = subscription_id(&s).await;
    let expiry = |s: &Sdk| -> chrono::DateTime<chrono::Utc> {
        s.emu.subscriptions()[0]["expirationDateTime"].as_str().unwrap().parse().unwrap()
    };
    let first = expiry(&s);
    let renewal = format!("/subscriptions/{sid}");
    let renewed = || s.emu.requests().iter().any(|r| r.method == "PATCH" && r.path.ends_with(&renewal));
    for _ in 0..1000 {
        if renewed() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(renewed(), "the watcher renewed the subscription (PATCH {renewal})");
    let subs = s.emu.subscriptions();
    assert_eq!(subs.len(), 1, "renewed, not recreated");
    assert_eq!(subs[0]["id"], sid.as_str());
    assert!(expiry(&s) > first, "the expiry moved: {first} -> {}", expiry(&s));
    // and notifications still arrive on it
    send_to_self(&s, "Still subscribed").await;
    assert_eq!(w.next_change(Duration::from_secs(10)).await.subjects, ["Still subscribed"]);
    w.stop().await;
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("msgraph-emulator-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test]
async fn after_a_restart_the_json_stores_give_back_the_subscription_and_the_token() {
    let s = Sdk::start().await;
    // Deliveries to the stopped receiver fail fast in this test.
    s.emu.set_notification_settings(NotificationSettings::default().retry_for(Duration::from_millis(300)));
    let dir = temp_dir("restart");
    let stores = || Setup {
        store: Arc::new(JsonFileWatchStore::new(dir.join("watch.json"))),
        deltas: Arc::new(JsonFileDeltaStore::new(dir.join("delta.json"))),
        poll_every: NEVER,
        port: 0,
        lifetime_and_margin: None,
    };
    let w = start_watcher(&s, stores()).await;
    let sid = subscription_id(&s).await;
    let port = w.port;
    w.stop().await;

    // While the app is down, a mail arrives (its notification is lost).
    send_to_self(&s, "While you were out").await;

    // The app comes back on the same address with the same stores.
    let mut setup = stores();
    setup.port = port;
    let states = ClientStates::new();
    let (receiver, notifications) = Receiver::new(states.clone(), 1000);
    let (url, _, receiver_task) = serve_receiver(receiver, setup.port).await;
    let client = s.client.clone();
    let deltas = setup.deltas.clone();
    let watcher = Watcher::<Message>::new(s.client.clone(), setup.store, states)
        .notification_url(url)
        .poll_every(NEVER)
        .watch("inbox", SubscriptionResource::mail_folder_messages("me", "inbox"), ChangeTypes::ALL, move || {
            client.me().messages().delta(WellKnownFolder::Inbox).store(deltas.clone(), "inbox")
        });
    let (tx, mut rounds) = mpsc::unbounded_channel();
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        watcher
            .run(
                Some(notifications),
                async move {
                    let _ = stopped.await;
                },
                move |_key, round: DeltaRound<Message>| {
                    let tx = tx.clone();
                    async move {
                        let seen = Seen {
                            subjects: round.upserted().filter_map(|m| m.subject.clone()).collect(),
                            full_sync: round.full_sync(),
                        };
                        round.commit().await?;
                        let _ = tx.send(seen);
                        Ok(())
                    }
                },
            )
            .await
    });
    // The first round after the restart continues from the stored token.
    let first = tokio::time::timeout(Duration::from_secs(10), rounds.recv()).await.unwrap().unwrap();
    assert!(!first.full_sync, "continued from the stored delta token");
    assert_eq!(first.subjects, ["While you were out"]);
    // Same subscription: found again, not recreated.
    let subs = s.emu.subscriptions();
    assert_eq!(subs.len(), 1);
    assert_eq!(subs[0]["id"], sid.as_str());
    // And notifications reach the new process.
    send_to_self(&s, "Welcome back").await;
    let seen = loop {
        // (A `missed` event for the notification lost while down may run an empty round first.)
        let seen = tokio::time::timeout(Duration::from_secs(10), rounds.recv()).await.unwrap().unwrap();
        if !seen.subjects.is_empty() {
            break seen;
        }
    };
    assert_eq!(seen.subjects, ["Welcome back"]);
    let _ = stop.send(());
    task.await.unwrap().unwrap();
    receiver_task.abort();
    let _ = std::fs::remove_dir_all(&dir);
}

/// The throw-away test certificate (base64 DER, as `encryptionCertificate`) and its key.
const CERT_PEM: &str = include_str!("fixtures/test_cert.pem");
const KEY_PEM: &str = include_str!("fixtures/test_key.pem");

fn certificate_base64() -> String {
    CERT_PEM.lines().filter(|l| !l.starts_with("-----")).map(str::trim).collect()
}

#[tokio::test]
async fn rich_notifications_carry_the_message_encrypted_for_the_certificate_with_valid_tokens() {
    use msgraph_core::subscription::NewSubscription;
    use msgraph_notifications::resource_data::{DecryptionKey, Decryptor, HttpKeySource, TokenValidator};

    let s = Sdk::start().await;
    let states = ClientStates::new();
    let (receiver, mut notifications) = Receiver::new(states.clone(), 100);
    // Batches with resource data are handed over only with valid validationTokens,
    // checked against the keys the emulator publishes (as the identity platform does).
    let keys = format!("{}/common/discovery/v2.0/keys", s.emu.authority_url());
    let receiver = receiver.require_validation_tokens(TokenValidator::new(
        demo::CLIENT_ID,
        HttpKeySource::new(reqwest::Client::new(), keys),
    ));
    let (url, _, receiver_task) = serve_receiver(receiver, 0).await;
    // with resource data, Outlook subscriptions live at most 1,440 minutes: the SDK refuses more
    let rich = |minutes: u64| {
        NewSubscription::new(SubscriptionResource::mail_folder_messages("me", "inbox"), ChangeTypes::CREATED, &url)
            .include_resource_data(certificate_base64(), "test-cert-1")
            .expires_in(Duration::from_secs(minutes * 60))
    };
    assert!(matches!(s.client.subscriptions().create(rich(1_500)).await, Err(msgraph_core::Error::InvalidInput(_))));
    let sub = s.client.subscriptions().create(rich(1_000)).await.unwrap();
    assert_eq!(sub.include_resource_data, Some(true));
    assert_eq!(sub.encryption_certificate_id.as_deref(), Some("test-cert-1"));
    states.insert(sub.id.clone().unwrap(), sub.client_state.clone().unwrap());

    send_to_self(&s, "Encrypted on the way").await;
    let n = tokio::time::timeout(Duration::from_secs(10), notifications.recv()).await.unwrap().unwrap();
    assert_eq!(n.change_type.as_deref(), Some("created"));
    let content = n.encrypted_content.as_ref().expect("encryptedContent");
    assert_eq!(content["encryptionCertificateId"], "test-cert-1");
    let decryptor = Decryptor::new(DecryptionKey::from_pem(KEY_PEM).unwrap());
    let message: Message = decryptor.decrypt_notification(&n).unwrap();
    assert_eq!(message.subject.as_deref(), Some("Encrypted on the way"));
    assert_eq!(message.id.as_deref(), n.resource_id());
    receiver_task.abort();
}
