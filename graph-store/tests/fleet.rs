//! The fleet against the emulator at fleet scale and a real PostgreSQL
//! server (`MSGRAPH_TEST_PG`, see tests/postgres.rs): worker processes
//! splitting mailboxes, one killed with SIGKILL, and smaller in-process
//! cases. Without `MSGRAPH_TEST_PG` each test says it was skipped.
#![cfg(feature = "postgres")]

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Read as _;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use msgraph_core::delta::{Change, DeltaSync};
use msgraph_core::{GraphClient, RetryPolicy, StaticTokenCredential};
use msgraph_emulator::{Emulator, fleet_user};
use msgraph_mail::{MailExt as _, Message};
use msgraph_store::{Fleet, PostgresStore};

/// A fresh database on the test server, as a URL; `None` (after saying so)
/// when `MSGRAPH_TEST_PG` is not set.
async fn fresh_db(test: &str) -> Option<String> {
    let Ok(url) = std::env::var("MSGRAPH_TEST_PG") else {
        eprintln!("skipped {test}: MSGRAPH_TEST_PG is not set (run .ci/postgres.sh start)");
        return None;
    };
    let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
        .await
        .unwrap_or_else(|e| panic!("MSGRAPH_TEST_PG is set but the server is unreachable: {e}"));
    tokio::spawn(conn);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    let db = format!("msgraph_{test}_{}_{nanos}", std::process::id());
    client.batch_execute(&format!("CREATE DATABASE {db}")).await.unwrap();
    let (head, query) = url.split_once('?').map_or((url.as_str(), None), |(h, q)| (h, Some(q)));
    let base = head.rsplit_once('/').map_or(head, |(b, _)| b);
    Some(match query {
        Some(q) => format!("{base}/{db}?{q}"),
        None => format!("{base}/{db}"),
    })
}

async fn pg(url: &str) -> tokio_postgres::Client {
    let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(conn);
    client
}

fn app_client(base_url: &str, token: &str) -> GraphClient {
    GraphClient::builder()
        .base_url(base_url)
        .credential(StaticTokenCredential::new(token.to_owned()))
        .retry_policy(RetryPolicy::default())
        .build()
        .unwrap()
}

fn change_id(c: &Change<Message>) -> String {
    match c {
        Change::Upserted(m) => m.id.clone().unwrap_or_default(),
        Change::Removed(r) => r.id.clone(),
    }
}

/// Every message id in the inboxes of `mailboxes`.
fn inbox_ids(emu: &Emulator, mailboxes: &[String]) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for m in mailboxes {
        for msg in emu.messages(m, "inbox").unwrap() {
            out.insert((m.clone(), msg["id"].as_str().unwrap().to_owned()));
        }
    }
    out
}

/// One handler call: which worker, which mailbox, when.
#[derive(Debug, Clone)]
struct Call {
    worker: String,
    mailbox: String,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    ids: Vec<String>,
}

/// A handler recording its calls in `log`; each call takes `work`.
fn recording(
    worker: &str,
    log: Arc<Mutex<Vec<Call>>>,
    work: Duration,
) -> impl Fn(String, Vec<Change<Message>>) -> futures::future::BoxFuture<'static, msgraph_core::Result<()>>
+ Send
+ Sync
+ 'static {
    let worker = worker.to_owned();
    move |mailbox, changes| {
        let (worker, log) = (worker.clone(), log.clone());
        Box::pin(async move {
            let start = Utc::now();
            tokio::time::sleep(work).await;
            let ids = changes.iter().map(change_id).collect();
            log.lock().unwrap().push(Call { worker, mailbox, start, end: Utc::now(), ids });
            Ok(())
        })
    }
}

/// Calls of one mailbox by two workers at overlapping times.
fn overlaps(calls: &[Call]) -> Vec<(Call, Call)> {
    let mut by_mailbox: HashMap<&str, Vec<&Call>> = HashMap::new();
    for c in calls {
        by_mailbox.entry(&c.mailbox).or_default().push(c);
    }
    let mut out = Vec::new();
    for list in by_mailbox.values() {
        for (i, a) in list.iter().enumerate() {
            for b in &list[i + 1..] {
                if a.worker != b.worker && a.start < b.end && b.start < a.end {
                    out.push(((*a).clone(), (*b).clone()));
                }
            }
        }
    }
    out
}

async fn wait_for(what: &str, timeout: Duration, mut done: impl AsyncFnMut() -> bool) {
    let until = tokio::time::Instant::now() + timeout;
    while !done().await {
        assert!(tokio::time::Instant::now() < until, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A final round from the committed token of each mailbox finds nothing.
async fn tokens_are_current(store: &PostgresStore, client: &GraphClient, mailboxes: &[String]) {
    let mut problems = Vec::new();
    for m in mailboxes {
        let key = PostgresStore::mailbox_key(m, "inbox");
        let token = msgraph_core::delta::DeltaStore::load(store, &key).await.unwrap();
        if token.is_none() {
            problems.push(format!("{m}: no committed token"));
            continue;
        }
        let sync: DeltaSync<Message> =
            client.user(m.as_str()).messages().delta("inbox").store(Arc::new(store.clone()), key);
        match sync.run().await {
            Ok(round) if round.full_sync() => problems.push(format!("{m}: the committed token was rejected")),
            Ok(round) if !round.changes().is_empty() => problems.push(format!(
                "{m}: {} changes after the committed token: {:?}",
                round.changes().len(),
                round.changes().iter().map(change_id).collect::<Vec<_>>()
            )),
            Ok(_) => {}
            Err(e) => problems.push(format!("{m}: the final round failed: {e}")),
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_fleets_share_mailboxes_without_overlap_and_follow_the_table() {
    let Some(url) = fresh_db("fleet_share").await else { return };
    let emu = Emulator::builder().seed(false).users(24).user_messages(6).start().await.unwrap();
    let client = app_client(&emu.base_url(), &emu.issue_app_token());
    let store = PostgresStore::connect(&url).await.unwrap();
    let mailboxes: Vec<String> = (0..20).map(fleet_user).collect();
    store.add_mailboxes(&mailboxes).await.unwrap();

    let log = Arc::new(Mutex::new(Vec::new()));
    let mut fleets = Vec::new();
    let mut tasks = Vec::new();
    let mut stops = Vec::new();
    for w in ["a", "b"] {
        let fleet = Fleet::builder(PostgresStore::connect(&url).await.unwrap(), client.clone(), w)
            .max_mailboxes(15)
            .claim_batch(4)
            .claim_every(Duration::from_millis(50))
            .concurrency(4)
            .poll_every(Duration::from_millis(500))
            .lease_ttl(Duration::from_secs(3))
            .build();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let f = fleet.clone();
        let handler = recording(w, log.clone(), Duration::from_millis(20));
        tasks.push(tokio::spawn(async move {
            f.run(handler, async {
                let _ = rx.await;
            })
            .await
        }));
        fleets.push(fleet);
        stops.push(tx);
    }
    wait_for("both fleets to hold mailboxes", Duration::from_secs(10), async || {
        fleets.iter().all(|f| f.stats().held > 0) && fleets.iter().map(|f| f.stats().held).sum::<u64>() == 20
    })
    .await;

    // mail arrives; a mailbox is added to the table and one removed
    for i in 0..30 {
        emu.deliver_mail(&fleet_user(i % 20), &format!("run-time {i}"), "hello").unwrap();
        if i % 3 == 0 {
            store.notify(&fleet_user(i % 20), "{}").await.unwrap();
        }
    }
    store.add_mailboxes([fleet_user(20)]).await.unwrap();
    store.remove_mailboxes([fleet_user(0)]).await.unwrap();
    emu.deliver_mail(&fleet_user(20), "for the new mailbox", "hello").unwrap();

    // user0000's messages may or may not be handed over before its removal is noticed
    let expected = inbox_ids(&emu, &(1..=20).map(fleet_user).collect::<Vec<_>>());
    let seen = |log: &Mutex<Vec<Call>>| -> BTreeSet<(String, String)> {
        log.lock().unwrap().iter().flat_map(|c| c.ids.iter().map(|id| (c.mailbox.clone(), id.clone()))).collect()
    };
    wait_for("every message handed over", Duration::from_secs(20), async || expected.is_subset(&seen(&log))).await;
    wait_for("the removed mailbox dropped", Duration::from_secs(10), async || {
        fleets.iter().map(|f| f.stats().held).sum::<u64>() == 20
            && fleets.iter().map(|f| f.stats().lost).sum::<u64>() >= 1
    })
    .await;

    for tx in stops {
        tx.send(()).unwrap();
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    let calls = log.lock().unwrap().clone();
    assert!(overlaps(&calls).is_empty(), "{:?}", overlaps(&calls));
    let by_worker: BTreeMap<&str, usize> = calls.iter().fold(BTreeMap::new(), |mut m, c| {
        *m.entry(c.worker.as_str()).or_default() += 1;
        m
    });
    assert_eq!(by_worker.len(), 2, "both fleets worked: {by_worker:?}");
    let stats: Vec<_> = fleets.iter().map(Fleet::stats).collect();
    assert_eq!(stats.iter().map(|s| s.claimed).sum::<u64>(), 21, "{stats:?}");
    assert_eq!(stats.iter().map(|s| s.errors).sum::<u64>(), 0, "{stats:?}");
    assert!(stats.iter().all(|s| s.rounds > 0 && s.changes > 0 && s.held == 0 && s.in_flight == 0), "{stats:?}");
    tokens_are_current(&store, &client, &(1..=20).map(fleet_user).collect::<Vec<_>>()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_finishes_the_round_in_flight_and_releases_the_leases() {
    let Some(url) = fresh_db("fleet_shutdown").await else { return };
    let emu = Emulator::builder().seed(false).users(5).user_messages(3).start().await.unwrap();
    let client = app_client(&emu.base_url(), &emu.issue_app_token());
    let store = PostgresStore::connect(&url).await.unwrap();
    let mailboxes: Vec<String> = (0..5).map(fleet_user).collect();
    store.add_mailboxes(&mailboxes).await.unwrap();
    let log = Arc::new(Mutex::new(Vec::new()));
    let fleet = Fleet::builder(store.clone(), client.clone(), "solo")
        .concurrency(5)
        .poll_every(Duration::from_secs(3600))
        .lease_ttl(Duration::from_secs(30))
        .build();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let f = fleet.clone();
    // slow handler: the shutdown comes while every first round is in flight
    let handler = recording("solo", log.clone(), Duration::from_millis(700));
    let task = tokio::spawn(async move {
        f.run(handler, async {
            let _ = rx.await;
        })
        .await
    });
    wait_for("rounds in flight", Duration::from_secs(10), async || fleet.stats().in_flight == 5).await;
    tx.send(()).unwrap();
    task.await.unwrap().unwrap();
    let stats = fleet.stats();
    assert_eq!((stats.rounds, stats.changes, stats.released, stats.held), (5, 15, 5, 0), "{stats:?}");
    assert_eq!(log.lock().unwrap().len(), 5);
    tokens_are_current(&store, &client, &mailboxes).await; // the rounds in flight were committed
    assert!(store.worker("solo").held().await.unwrap().is_empty());
    assert_eq!(store.worker("next").claim(10).await.unwrap().len(), 5, "released leases are claimable at once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_whose_lease_moved_cannot_commit_and_drops_the_mailbox() {
    let Some(url) = fresh_db("fleet_stale").await else { return };
    let emu = Emulator::builder().seed(false).users(1).user_messages(4).start().await.unwrap();
    let client = app_client(&emu.base_url(), &emu.issue_app_token());
    let store = PostgresStore::connect(&url).await.unwrap();
    let mailbox = fleet_user(0);
    store.add_mailboxes([&mailbox]).await.unwrap();
    let key = PostgresStore::mailbox_key(&mailbox, "inbox");

    let handed = Arc::new(Mutex::new(0usize));
    let (entered_tx, entered_rx) = tokio::sync::oneshot::channel::<()>();
    let (go_tx, go_rx) = tokio::sync::oneshot::channel::<()>();
    let gates = Arc::new(Mutex::new(Some((entered_tx, go_rx))));
    let fleet = Fleet::builder(store.clone(), client.clone(), "stale")
        .poll_every(Duration::from_secs(3600))
        .claim_every(Duration::from_secs(3600))
        .build();
    let f = fleet.clone();
    let h = handed.clone();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        f.run(
            move |_mailbox, changes| {
                *h.lock().unwrap() += changes.len();
                let gate = gates.lock().unwrap().take();
                async move {
                    if let Some((entered, go)) = gate {
                        let _ = entered.send(());
                        let _ = go.await; // paused while the lease moves
                    }
                    Ok(())
                }
            },
            async {
                let _ = stop_rx.await;
            },
        )
        .await
    });
    entered_rx.await.unwrap();
    // the lease moves under the paused worker (as after an expiry and a takeover)
    let db = pg(&url).await;
    db.execute(
        "UPDATE msgraph_mailboxes SET owner = 'successor', fence = nextval('msgraph_fence_seq'),
         lease_expires = now() + interval '1 minute' WHERE mailbox = $1",
        &[&mailbox],
    )
    .await
    .unwrap();
    go_tx.send(()).unwrap();
    wait_for("the lost lease noticed", Duration::from_secs(10), async || fleet.stats().lost == 1).await;
    assert_eq!(*handed.lock().unwrap(), 4, "the changes were handed over (at least once)");
    assert_eq!(
        msgraph_core::delta::DeltaStore::load(&store, &key).await.unwrap(),
        None,
        "the stale worker's token did not land"
    );
    let stats = fleet.stats();
    assert_eq!((stats.rounds, stats.held, stats.lost), (0, 0, 1), "{stats:?}");
    stop_tx.send(()).unwrap();
    task.await.unwrap().unwrap();
    assert_eq!(fleet.stats().released, 0, "nothing of the successor's was released");
    let owner: Option<String> =
        db.query_one("SELECT owner FROM msgraph_mailboxes WHERE mailbox = $1", &[&mailbox]).await.unwrap().get(0);
    assert_eq!(owner.as_deref(), Some("successor"));
    // and the store itself refuses the old fencing token
    let stale = store.worker("stale");
    assert!(stale.held().await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_or_panicking_handler_leaves_the_token_and_the_changes_come_again() {
    let Some(url) = fresh_db("fleet_failing").await else { return };
    let emu = Emulator::builder().seed(false).users(2).user_messages(3).start().await.unwrap();
    let client = app_client(&emu.base_url(), &emu.issue_app_token());
    let store = PostgresStore::connect(&url).await.unwrap();
    let mailboxes = vec![fleet_user(0), fleet_user(1)];
    store.add_mailboxes(&mailboxes).await.unwrap();
    let calls = Arc::new(Mutex::new(HashMap::<String, Vec<usize>>::new()));
    let c = calls.clone();
    let fleet = Fleet::builder(store.clone(), client.clone(), "flaky").poll_every(Duration::from_millis(200)).build();
    let f = fleet.clone();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        f.run(
            move |mailbox, changes| {
                let attempt = {
                    let mut calls = c.lock().unwrap();
                    let list = calls.entry(mailbox.clone()).or_default();
                    list.push(changes.len());
                    list.len()
                };
                async move {
                    match (mailbox.ends_with("0000@contoso.com"), attempt) {
                        (true, 1) => Err(msgraph_core::Error::invalid_input("the app's database is down")),
                        (false, 1) => panic!("a bug in the handler"),
                        _ => Ok(()),
                    }
                }
            },
            async {
                let _ = rx.await;
            },
        )
        .await
    });
    wait_for("the rounds to come again", Duration::from_secs(10), async || {
        let calls = calls.lock().unwrap();
        calls.len() == 2 && calls.values().all(|c| c.len() >= 2) && fleet.stats().rounds >= 2
    })
    .await;
    tx.send(()).unwrap();
    task.await.unwrap().unwrap();
    let calls = calls.lock().unwrap().clone();
    for m in &mailboxes {
        assert_eq!(calls[m][..2], [3, 3], "{m}: the same 3 changes came again after the failure: {calls:?}");
    }
    let stats = fleet.stats();
    assert_eq!(stats.errors, 2, "{stats:?}");
    assert!(stats.rounds >= 2, "{stats:?}"); // later polls may have committed empty rounds too
    tokens_are_current(&store, &client, &mailboxes).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_database_connections_are_remade_and_missed_notifications_covered() {
    let Some(url) = fresh_db("fleet_reconnect").await else { return };
    let emu = Emulator::builder().seed(false).users(4).user_messages(2).start().await.unwrap();
    let client = app_client(&emu.base_url(), &emu.issue_app_token());
    let store = PostgresStore::connect(&url).await.unwrap();
    let mailboxes: Vec<String> = (0..4).map(fleet_user).collect();
    store.add_mailboxes(&mailboxes).await.unwrap();
    let log = Arc::new(Mutex::new(Vec::new()));
    // no polling to speak of: only claims, notifications and re-listening trigger rounds
    let fleet = Fleet::builder(PostgresStore::connect(&url).await.unwrap(), client.clone(), "resilient")
        .poll_every(Duration::from_secs(3600))
        .claim_every(Duration::from_millis(100))
        .lease_ttl(Duration::from_secs(3))
        .build();
    let f = fleet.clone();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let handler = recording("resilient", log.clone(), Duration::ZERO);
    let task = tokio::spawn(async move {
        f.run(handler, async {
            let _ = rx.await;
        })
        .await
    });
    wait_for("the first rounds", Duration::from_secs(10), async || fleet.stats().rounds == 4).await;

    // every connection to the database drops (a restart, a failover, a network cut)
    let admin = pg(&url).await;
    admin
        .execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE datname = current_database() AND pid <> pg_backend_pid()",
            &[],
        )
        .await
        .unwrap();
    let delivered = emu.deliver_mail(&mailboxes[2], "while the database was away", "hello").unwrap();
    let _ = store.notify(&mailboxes[2], "{}").await; // may be lost: the listener is down
    let seen = |log: &Mutex<Vec<Call>>| log.lock().unwrap().iter().any(|c| c.ids.contains(&delivered));
    wait_for("the delivery handed over after reconnecting", Duration::from_secs(15), async || seen(&log)).await;
    wait_for("the leases kept", Duration::from_secs(5), async || fleet.stats().held == 4).await;
    tx.send(()).unwrap();
    task.await.unwrap().unwrap();
    let stats = fleet.stats();
    assert_eq!((stats.lost, stats.released), (0, 4), "{stats:?}");
    tokens_are_current(&store, &client, &mailboxes).await;
}

// ------------------------------------------------------------------------------------------------
// Worker processes

const ROLE: &str = "MSGRAPH_FLEET_TEST_WORKER";

/// Not a test: the body of a worker process that
/// `three_worker_processes_share_two_hundred_mailboxes_and_survive_a_sigkill` spawns (this test
/// binary run again with `MSGRAPH_FLEET_TEST_WORKER` set). Returns at once otherwise.
#[test]
fn worker_process_entry_point() {
    let Ok(worker) = std::env::var(ROLE) else { return };
    let env = |k: &str| std::env::var(k).unwrap_or_else(|_| panic!("{k} not set"));
    let (db_url, graph, token) = (env("FLEET_DB"), env("FLEET_GRAPH"), env("FLEET_TOKEN"));
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    rt.block_on(async move {
        let store = PostgresStore::connect(&db_url).await.unwrap();
        let db = Arc::new(pg(&db_url).await);
        db.execute("INSERT INTO fleet_ready (worker) VALUES ($1)", &[&worker]).await.unwrap();
        let client = app_client(&graph, &token);
        let fleet = Fleet::builder(store, client, worker.clone())
            .max_mailboxes(110)
            .claim_batch(10)
            .claim_every(Duration::from_millis(100))
            .concurrency(8)
            .poll_every(Duration::from_secs(1))
            .lease_ttl(Duration::from_secs(2))
            .build();
        let w = worker.clone();
        let handler = move |mailbox: String, changes: Vec<Change<Message>>| {
            let (db, w) = (db.clone(), w.clone());
            async move {
                let start = Utc::now();
                let ids: Vec<String> = changes.iter().map(change_id).collect();
                db.execute(
                    "INSERT INTO fleet_handled (mailbox, message_id, worker) SELECT $1, unnest($2::text[]), $3",
                    &[&mailbox, &ids, &w],
                )
                .await
                .map_err(|e| msgraph_core::Error::invalid_input(e.to_string()))?;
                tokio::time::sleep(Duration::from_millis(10)).await;
                db.execute(
                    "INSERT INTO fleet_log (mailbox, worker, started, ended) VALUES ($1, $2, $3, $4)",
                    &[&mailbox, &w, &start, &Utc::now()],
                )
                .await
                .map_err(|e| msgraph_core::Error::invalid_input(e.to_string()))?;
                Ok(())
            }
        };
        // stdin closing (the test dropping its end) is the signal to stop
        let shutdown = async {
            let _ = tokio::task::spawn_blocking(|| std::io::stdin().read_to_end(&mut Vec::new())).await;
        };
        fleet.run(handler, shutdown).await.unwrap();
        eprintln!("worker {worker} stopped: {:?}", fleet.stats());
    });
}

fn spawn_worker(id: &str, db: &str, graph: &str, token: &str) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "worker_process_entry_point", "--nocapture", "--test-threads", "1"])
        .env(ROLE, id)
        .env("FLEET_DB", db)
        .env("FLEET_GRAPH", graph)
        .env("FLEET_TOKEN", token)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_worker_processes_share_two_hundred_mailboxes_and_survive_a_sigkill() {
    let Some(url) = fresh_db("fleet_processes").await else { return };
    let emu = Emulator::builder().seed(false).users(200).user_messages(12).start().await.unwrap();
    let token = emu.issue_app_token();
    let client = app_client(&emu.base_url(), &token);
    let store = PostgresStore::connect(&url).await.unwrap();
    let mailboxes: Vec<String> = (0..200).map(fleet_user).collect();
    let db = pg(&url).await;
    db.batch_execute(
        "CREATE TABLE fleet_ready (worker TEXT NOT NULL);
         CREATE TABLE fleet_handled (mailbox TEXT NOT NULL, message_id TEXT NOT NULL, worker TEXT NOT NULL);
         CREATE TABLE fleet_log (mailbox TEXT NOT NULL, worker TEXT NOT NULL, started TIMESTAMPTZ NOT NULL, ended TIMESTAMPTZ NOT NULL);",
    )
    .await
    .unwrap();

    let mut workers: Vec<(String, Child)> =
        ["w0", "w1", "w2"].iter().map(|id| (id.to_string(), spawn_worker(id, &url, &emu.base_url(), &token))).collect();
    // the mailboxes go into the table once the three are up, so they share them from the start
    wait_for("three workers up", Duration::from_secs(60), async || {
        db.query_one("SELECT count(*) FROM fleet_ready", &[]).await.unwrap().get::<_, i64>(0) == 3
    })
    .await;
    store.add_mailboxes(&mailboxes).await.unwrap();
    let holders = async || -> BTreeMap<String, i64> {
        db.query(
            "SELECT owner, count(*) FROM msgraph_mailboxes WHERE owner IS NOT NULL AND lease_expires > now() GROUP BY owner",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
    };
    wait_for("three workers holding all 200 mailboxes", Duration::from_secs(60), async || {
        let h = holders().await;
        h.len() == 3 && h.values().sum::<i64>() == 200
    })
    .await;
    eprintln!("leases: {:?}", holders().await);

    // mail to random mailboxes throughout; a webhook receiver would notify the holder of some
    let mut rng = fastrand::Rng::with_seed(18);
    let mut killed = None;
    for i in 0..300 {
        let m = &mailboxes[rng.usize(..mailboxes.len())];
        emu.deliver_mail(m, &format!("delivery {i}"), "hello").unwrap();
        if i % 2 == 0 {
            store.notify(m, r#"{"changeType":"created"}"#).await.unwrap();
        }
        if i == 150 {
            // SIGKILL the worker holding the most mailboxes
            let h = holders().await;
            let victim = h.iter().max_by_key(|(_, n)| **n).map(|(w, _)| w.clone()).unwrap();
            let (_, child) = workers.iter_mut().find(|(id, _)| *id == victim).unwrap();
            child.kill().unwrap(); // SIGKILL on Unix
            child.wait().unwrap();
            eprintln!("killed {victim} holding {} mailboxes", h[&victim]);
            killed = Some(victim);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let killed = killed.unwrap();

    let expected = inbox_ids(&emu, &mailboxes);
    assert_eq!(expected.len(), 200 * 12 + 300);
    let handled = async || -> BTreeSet<(String, String)> {
        db.query("SELECT DISTINCT mailbox, message_id FROM fleet_handled", &[])
            .await
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect()
    };
    wait_for("every delivered message handed over", Duration::from_secs(90), async || {
        handled().await.is_superset(&expected)
    })
    .await;
    let h = holders().await;
    assert!(!h.contains_key(&killed), "{h:?}");
    assert_eq!(h.values().sum::<i64>(), 200, "the survivors took the killed worker's mailboxes: {h:?}");

    // graceful stop of the survivors: stdin closes
    for (id, child) in workers.iter_mut().filter(|(id, _)| *id != killed) {
        drop(child.stdin.take());
        let status = child.wait().unwrap();
        assert!(status.success(), "{id} exited with {status}");
    }
    assert!(holders().await.is_empty(), "every lease was released");

    let overlapping: i64 = db
        .query_one(
            "SELECT count(*) FROM fleet_log a JOIN fleet_log b
             ON a.mailbox = b.mailbox AND a.worker < b.worker AND a.started < b.ended AND b.started < a.ended",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(overlapping, 0, "a mailbox was processed by two workers at overlapping times");
    let moved: i64 = db
        .query_one(
            "SELECT count(*) FROM (SELECT mailbox FROM fleet_log GROUP BY mailbox HAVING count(DISTINCT worker) > 1) m",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert!(moved > 0, "some mailboxes moved from the killed worker to a survivor");
    let again: i64 = db
        .query_one(
            "SELECT count(*) FROM (SELECT 1 FROM fleet_handled GROUP BY mailbox, message_id HAVING count(*) > 1) d",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    eprintln!("{moved} mailboxes moved; {again} messages handed over more than once (at least once)");
    tokens_are_current(&store, &client, &mailboxes).await;
}
