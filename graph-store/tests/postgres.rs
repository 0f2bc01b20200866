//! The Postgres store against a real server: `MSGRAPH_TEST_PG` (a
//! `postgres://` URL; `.ci/postgres.sh start` makes a throwaway cluster).
//! Without it each test says it was skipped; with it, an unreachable server
//! fails the tests. Each test works in a database of its own.
#![cfg(feature = "postgres")]

use std::collections::HashSet;
use std::time::Duration;

use chrono::{TimeZone, Utc};
use msgraph_auth::{CachedToken, TokenCache, TokenCacheKey};
use msgraph_core::delta::DeltaStore;
use msgraph_core::{Cloud, Secret};
use msgraph_notifications::{WatchState, WatchStore};
use msgraph_store::{PostgresStore, StoreErrorKind, is_lease_lost, store_error};

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

fn key(account: Option<&str>) -> TokenCacheKey {
    TokenCacheKey::new(Cloud::Global, "common", "app-id", account.map(str::to_owned), ["Mail.Read"])
}

#[tokio::test]
async fn every_role_round_trips_and_survives_a_reconnect() {
    let Some(url) = fresh_db("roles").await else { return };
    {
        let store = PostgresStore::connect(&url).await.unwrap();
        DeltaStore::save(&store, "inbox", "link-1").await.unwrap();
        DeltaStore::save(&store, "inbox", "link-2").await.unwrap();
        DeltaStore::save(&store, "gone", "x").await.unwrap();
        DeltaStore::remove(&store, "gone").await.unwrap();
        let t = |at: &str| {
            CachedToken::new(at, Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap(), Some(Secret::new("rt")))
        };
        store.set(&key(Some("ada@contoso.com")), &t("at-ada")).await.unwrap();
        store.set(&key(Some("bob@contoso.com")), &t("at-bob")).await.unwrap();
        store.set(&key(None), &t("at-app")).await.unwrap();
        assert_eq!(store.accounts(&key(None)).await.unwrap(), ["bob@contoso.com", "ada@contoso.com"]);
        store.set(&key(Some("ada@contoso.com")), &t("at-ada-2")).await.unwrap();
        TokenCache::remove(&store, &key(Some("bob@contoso.com"))).await.unwrap();
        let expires = Utc.with_ymd_and_hms(2030, 5, 6, 7, 8, 9).unwrap();
        WatchStore::save(&store, "inbox", &WatchState::new("sub-1", Some(expires), "cs", "me/messages")).await.unwrap();
        WatchStore::save(&store, "other", &WatchState::new("sub-2", None, "cs", "me/events")).await.unwrap();
        WatchStore::remove(&store, "other").await.unwrap();
    }
    let store = PostgresStore::connect(&url).await.unwrap(); // a second connect: the schema is already there
    assert_eq!(DeltaStore::load(&store, "inbox").await.unwrap().as_deref(), Some("link-2"));
    assert_eq!(DeltaStore::load(&store, "gone").await.unwrap(), None);
    assert_eq!(store.get(&key(Some("ada@contoso.com"))).await.unwrap().unwrap().access_token.expose(), "at-ada-2");
    assert_eq!(store.get(&key(None)).await.unwrap().unwrap().access_token.expose(), "at-app");
    assert!(store.get(&key(Some("bob@contoso.com"))).await.unwrap().is_none());
    assert_eq!(store.accounts(&key(None)).await.unwrap(), ["ada@contoso.com"]);
    let w = WatchStore::load(&store, "inbox").await.unwrap().unwrap();
    assert_eq!(
        w,
        WatchState::new("sub-1", Some(Utc.with_ymd_and_hms(2030, 5, 6, 7, 8, 9).unwrap()), "cs", "me/messages")
    );
    assert!(WatchStore::load(&store, "other").await.unwrap().is_none());
    assert!(!format!("{store:?}").contains("password"));
}

#[tokio::test]
async fn bad_urls_unreachable_servers_and_newer_schemas_are_typed_errors() {
    let Some(url) = fresh_db("errors").await else { return };
    let err = PostgresStore::connect("postgres://no spaces@:what").await.unwrap_err();
    assert!(matches!(err, msgraph_core::Error::InvalidInput(_)), "{err}");
    let err = PostgresStore::builder("postgres://u:p@127.0.0.1:1/db?sslmode=disable")
        .connect_attempts(2)
        .connect()
        .await
        .unwrap_err();
    assert_eq!(store_error(&err).map(|e| e.kind()), Some(StoreErrorKind::Unavailable), "{err}");
    assert!(err.is_retryable());

    let store = PostgresStore::connect(&url).await.unwrap();
    let newer = PostgresStore::SCHEMA_VERSION + 1;
    let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(conn);
    client.execute("UPDATE msgraph_meta SET value = $1 WHERE name = 'schema_version'", &[&newer]).await.unwrap();
    drop(store);
    let err = PostgresStore::connect(&url).await.unwrap_err();
    assert_eq!(
        store_error(&err).map(|e| e.kind()),
        Some(StoreErrorKind::NewerSchema { found: newer, supported: PostgresStore::SCHEMA_VERSION })
    );
}

#[tokio::test]
async fn concurrent_claimers_never_hold_one_mailbox() {
    let Some(url) = fresh_db("claims").await else { return };
    let store = PostgresStore::connect(&url).await.unwrap();
    let mailboxes: Vec<String> = (0..40).map(|i| format!("user{i:02}@contoso.com")).collect();
    assert_eq!(store.add_mailboxes(&mailboxes).await.unwrap(), 40);
    assert_eq!(store.add_mailboxes(["user00@contoso.com"]).await.unwrap(), 0);
    assert!(store.add_mailboxes([""]).await.is_err());
    // six workers, each on its own connection, claim at once, twice
    let mut handles = Vec::new();
    for w in 0..6 {
        let url = url.clone();
        handles.push(tokio::spawn(async move {
            let store = PostgresStore::connect(&url).await.unwrap();
            let worker = store.worker(format!("w{w}"));
            let mut got = worker.claim(5).await.unwrap();
            got.extend(worker.claim(5).await.unwrap());
            got
        }));
    }
    let mut seen = HashSet::new();
    let mut total = 0;
    for h in handles {
        for lease in h.await.unwrap() {
            total += 1;
            assert!(seen.insert(lease.mailbox.clone()), "{} claimed twice", lease.mailbox);
        }
    }
    assert_eq!(total, 40, "every mailbox was claimed once");
    assert!(store.worker("late").claim(10).await.unwrap().is_empty(), "nothing left to claim");
}

#[tokio::test]
async fn expired_leases_are_taken_over_and_fencing_refuses_the_stale_writer() {
    let Some(url) = fresh_db("fencing").await else { return };
    let store = PostgresStore::connect(&url).await.unwrap();
    store.add_mailboxes(["ada@contoso.com"]).await.unwrap();
    let a = store.worker("a").ttl(Duration::from_millis(800));
    let b = store.worker("b").ttl(Duration::from_secs(30));

    let la = a.claim(10).await.unwrap().pop().unwrap();
    assert_eq!((la.mailbox.as_str(), la.owner.as_str(), la.previous_owner.as_deref()), ("ada@contoso.com", "a", None));
    let fa = store.fenced(&la);
    DeltaStore::save(&fa, "inbox", "token-from-a").await.unwrap();
    WatchStore::save(&fa, "inbox", &WatchState::new("sub-a", None, "cs", "users/ada/messages")).await.unwrap();
    assert!(b.claim(10).await.unwrap().is_empty(), "a live lease is not claimable");

    tokio::time::sleep(Duration::from_millis(1000)).await; // a pauses past its lease
    let lb = b.claim(10).await.unwrap().pop().expect("b takes the expired lease");
    assert_eq!(lb.previous_owner.as_deref(), Some("a"));
    assert!(lb.fence > la.fence);
    let fb = store.fenced(&lb);
    assert_eq!(DeltaStore::load(&fb, "inbox").await.unwrap().as_deref(), Some("token-from-a"));
    DeltaStore::save(&fb, "inbox", "token-from-b").await.unwrap();

    // a wakes up: every write it tries is refused, and changes nothing
    let err = DeltaStore::save(&fa, "inbox", "stale-token").await.unwrap_err();
    assert!(is_lease_lost(&err), "{err}");
    assert!(is_lease_lost(&DeltaStore::remove(&fa, "inbox").await.unwrap_err()));
    assert!(is_lease_lost(&WatchStore::save(&fa, "inbox", &WatchState::new("x", None, "y", "z")).await.unwrap_err()));
    assert!(is_lease_lost(&WatchStore::remove(&fa, "inbox").await.unwrap_err()));
    assert_eq!(DeltaStore::load(&fb, "inbox").await.unwrap().as_deref(), Some("token-from-b"));
    assert_eq!(WatchStore::load(&fb, "inbox").await.unwrap().unwrap().subscription_id, "sub-a");
    assert_eq!(
        DeltaStore::load(&store, &PostgresStore::mailbox_key("ada@contoso.com", "inbox")).await.unwrap().as_deref(),
        Some("token-from-b")
    );
    assert!(a.renew(std::slice::from_ref(&la)).await.unwrap().is_empty(), "a's renewal finds the lease gone");
    assert_eq!(a.release(&[la]).await.unwrap(), 0, "a cannot release b's lease");
    assert_eq!(b.held().await.unwrap().len(), 1);

    // a removed mailbox refuses its holder's writes too
    store.remove_mailboxes(["ada@contoso.com"]).await.unwrap();
    assert!(is_lease_lost(&DeltaStore::save(&fb, "inbox", "after-removal").await.unwrap_err()));
    assert!(store.mailboxes().await.unwrap().is_empty());
}

#[tokio::test]
async fn heartbeats_keep_leases_and_release_hands_them_over_at_once() {
    let Some(url) = fresh_db("heartbeat").await else { return };
    let store = PostgresStore::connect(&url).await.unwrap();
    store.add_mailboxes(["m1", "m2"]).await.unwrap();
    let a = store.worker("a").ttl(Duration::from_millis(600));
    let b = store.worker("b");
    assert_eq!(a.claim(2).await.unwrap().len(), 2);
    let beat = a.heartbeat(Duration::from_millis(150));
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert!(b.claim(2).await.unwrap().is_empty(), "renewed leases stay with a");
    assert_eq!(beat.held().len(), 2);
    beat.stop();
    let renewed = a.renew(&a.held().await.unwrap()).await.unwrap();
    assert_eq!(renewed.len(), 2);
    assert_eq!(a.release(&renewed[..1]).await.unwrap(), 1);
    assert_eq!(b.claim(2).await.unwrap().len(), 1, "a released lease is claimable at once");
    assert_eq!(a.release_all().await.unwrap(), 1);
    assert_eq!(b.claim(2).await.unwrap().len(), 1);
    assert!(a.held().await.unwrap().is_empty());
}

#[tokio::test]
async fn notifications_reach_the_worker_that_holds_the_mailbox() {
    let Some(url) = fresh_db("notify").await else { return };
    let store = PostgresStore::connect(&url).await.unwrap();
    store.add_mailboxes(["ada", "bob", "nobody"]).await.unwrap();
    let a = store.worker("worker-a");
    let b = store.worker("worker-b");
    let mut a_inbox = a.listen().await.unwrap();
    let mut b_inbox = b.listen().await.unwrap();
    store.add_mailboxes(["ada"]).await.unwrap();
    let la = a.claim(1).await.unwrap();
    let lb = b.claim(1).await.unwrap();
    assert_eq!((la[0].mailbox.as_str(), lb[0].mailbox.as_str()), ("ada", "bob"));

    // the receiver may live in another process: a store of its own
    let receiver = PostgresStore::connect(&url).await.unwrap();
    assert!(receiver.notify("ada", r#"{"changeType":"created"}"#).await.unwrap());
    assert!(receiver.notify("bob", "b-1").await.unwrap());
    assert!(!receiver.notify("nobody", "lost?").await.unwrap(), "no holder: the next claimant runs a round");
    let got = tokio::time::timeout(Duration::from_secs(5), a_inbox.recv()).await.unwrap().unwrap();
    assert_eq!((got.mailbox.as_str(), got.payload.as_str()), ("ada", r#"{"changeType":"created"}"#));
    let got = tokio::time::timeout(Duration::from_secs(5), b_inbox.recv()).await.unwrap().unwrap();
    assert_eq!((got.mailbox.as_str(), got.payload.as_str()), ("bob", "b-1"));
    assert!(
        tokio::time::timeout(Duration::from_millis(300), a_inbox.recv()).await.is_err(),
        "a got nothing meant for b"
    );
    assert!(receiver.notify("ada", &"x".repeat(8000)).await.is_err(), "payloads stay under the NOTIFY limit");
}
