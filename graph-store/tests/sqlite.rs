//! The SQLite store: every role, restart survival, two processes on one
//! file, a locked file, a corrupt file, a newer schema.
#![cfg(feature = "sqlite")]

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use msgraph_auth::{CachedToken, TokenCache, TokenCacheKey};
use msgraph_core::delta::DeltaStore;
use msgraph_core::{Cloud, Secret};
use msgraph_notifications::{WatchState, WatchStore};
use msgraph_store::{SqliteStore, StoreErrorKind, store_error};

fn key(account: Option<&str>) -> TokenCacheKey {
    TokenCacheKey::new(Cloud::Global, "common", "app-id", account.map(str::to_owned), ["Mail.Read"])
}

fn token(at: &str) -> CachedToken {
    CachedToken::new(at, Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap(), Some(Secret::new("rt-secret")))
}

#[tokio::test]
async fn every_role_round_trips_and_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/agent.db");
    {
        let store = Arc::new(SqliteStore::open(&path).await.unwrap());
        // DeltaStore
        assert_eq!(DeltaStore::load(&*store, "inbox").await.unwrap(), None);
        DeltaStore::save(&*store, "inbox", "https://graph/delta?token=1").await.unwrap();
        DeltaStore::save(&*store, "inbox", "https://graph/delta?token=2").await.unwrap();
        DeltaStore::save(&*store, "gone", "x").await.unwrap();
        DeltaStore::remove(&*store, "gone").await.unwrap();
        // TokenCache
        let cache: Arc<dyn TokenCache> = store.clone();
        cache.set(&key(Some("ada@contoso.com")), &token("at-ada")).await.unwrap();
        cache.set(&key(Some("bob@contoso.com")), &token("at-bob")).await.unwrap();
        cache.set(&key(None), &token("at-app")).await.unwrap();
        assert_eq!(cache.accounts(&key(None)).await.unwrap(), ["bob@contoso.com", "ada@contoso.com"]);
        cache.set(&key(Some("ada@contoso.com")), &token("at-ada-2")).await.unwrap();
        assert_eq!(cache.accounts(&key(None)).await.unwrap(), ["ada@contoso.com", "bob@contoso.com"]);
        cache.remove(&key(Some("bob@contoso.com"))).await.unwrap();
        // WatchStore
        let watches: Arc<dyn WatchStore> = store.clone();
        let expires = Utc.with_ymd_and_hms(2030, 5, 6, 7, 8, 9).unwrap();
        watches.save("inbox", &WatchState::new("sub-1", Some(expires), "cs-secret", "me/messages")).await.unwrap();
        watches.save("other", &WatchState::new("sub-2", None, "cs", "me/events")).await.unwrap();
        watches.remove("other").await.unwrap();
    }
    // a new process: reopen the file
    let store = SqliteStore::open(&path).await.unwrap();
    assert_eq!(DeltaStore::load(&store, "inbox").await.unwrap().as_deref(), Some("https://graph/delta?token=2"));
    assert_eq!(DeltaStore::load(&store, "gone").await.unwrap(), None);
    let ada = store.get(&key(Some("ada@contoso.com"))).await.unwrap().unwrap();
    assert_eq!(ada.access_token.expose(), "at-ada-2");
    assert_eq!(ada.refresh_token.as_ref().map(Secret::expose), Some("rt-secret"));
    assert_eq!(store.get(&key(None)).await.unwrap().unwrap().access_token.expose(), "at-app");
    assert!(store.get(&key(Some("bob@contoso.com"))).await.unwrap().is_none());
    assert_eq!(store.accounts(&key(None)).await.unwrap(), ["ada@contoso.com"]);
    let w = WatchStore::load(&store, "inbox").await.unwrap().unwrap();
    assert_eq!(
        w,
        WatchState::new("sub-1", Some(Utc.with_ymd_and_hms(2030, 5, 6, 7, 8, 9).unwrap()), "cs-secret", "me/messages")
    );
    assert!(WatchStore::load(&store, "other").await.unwrap().is_none());
    let dbg = format!("{store:?}");
    assert!(dbg.contains("agent.db"), "{dbg}");
}

#[cfg(feature = "encryption")]
#[tokio::test]
async fn tokens_are_encrypted_at_rest_and_a_wrong_key_reads_as_absent() {
    use msgraph_auth::EncryptionKey;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("agent.db");
    let k = EncryptionKey::generate().unwrap();
    let store = SqliteStore::builder(&path).encryption_key(k.clone()).open().await.unwrap();
    store.set(&key(None), &token("at-very-secret")).await.unwrap();
    assert_eq!(store.get(&key(None)).await.unwrap().unwrap().access_token.expose(), "at-very-secret");
    drop(store);
    // the file never holds the tokens in the clear (WAL included)
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        assert!(!bytes.windows(14).any(|w| w == b"at-very-secret" || w == b"rt-secret\0\0\0\0\0"));
        assert!(!bytes.windows(9).any(|w| w == b"rt-secret"));
    }
    let other = SqliteStore::builder(&path).encryption_key(EncryptionKey::generate().unwrap()).open().await.unwrap();
    assert!(other.get(&key(None)).await.unwrap().is_none(), "another key: sign in again");
    drop(other);
    let plain = SqliteStore::open(&path).await.unwrap();
    assert!(plain.get(&key(None)).await.unwrap().is_none(), "no key: sign in again");
}

/// The child half of `two_processes_share_one_file`: does nothing unless
/// the parent set `MSGRAPH_STORE_CHILD`.
#[tokio::test]
async fn child_writer() {
    let Ok(path) = std::env::var("MSGRAPH_STORE_CHILD") else { return };
    let store = SqliteStore::open(&path).await.unwrap();
    for i in 0..150 {
        DeltaStore::save(&store, &format!("child-{i}"), &format!("link-{i}")).await.unwrap();
        DeltaStore::save(&store, "shared", &format!("child-{i}")).await.unwrap();
    }
}

#[tokio::test]
async fn two_processes_share_one_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.db");
    let store = SqliteStore::open(&path).await.unwrap();
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "child_writer", "--quiet"])
        .env("MSGRAPH_STORE_CHILD", &path)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    for i in 0..150 {
        DeltaStore::save(&store, &format!("parent-{i}"), &format!("link-{i}")).await.unwrap();
        DeltaStore::save(&store, "shared", &format!("parent-{i}")).await.unwrap();
    }
    let status = tokio::task::spawn_blocking(move || child.wait()).await.unwrap().unwrap();
    assert!(status.success(), "the child process failed: {status}");
    for who in ["parent", "child"] {
        for i in 0..150 {
            let v = DeltaStore::load(&store, &format!("{who}-{i}")).await.unwrap();
            assert_eq!(v.as_deref(), Some(format!("link-{i}").as_str()), "{who}-{i}");
        }
    }
    let shared = DeltaStore::load(&store, "shared").await.unwrap().unwrap();
    assert!(shared == "parent-149" || shared == "child-149", "{shared}");
}

#[tokio::test]
async fn a_locked_file_waits_for_the_busy_timeout_then_says_busy() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("locked.db");
    let store = SqliteStore::builder(&path).busy_timeout(Duration::from_millis(300)).open().await.unwrap();
    let holder = rusqlite::Connection::open(&path).unwrap();
    holder.execute_batch("BEGIN EXCLUSIVE; INSERT INTO msgraph_agent_state VALUES ('k', 'v', 'now');").unwrap();
    let started = Instant::now();
    let err = DeltaStore::save(&store, "inbox", "link").await.unwrap_err();
    assert!(started.elapsed() >= Duration::from_millis(250), "gave up after {:?}", started.elapsed());
    assert_eq!(store_error(&err).map(|e| e.kind()), Some(StoreErrorKind::Busy), "{err}");
    assert!(err.to_string().contains("busy timeout"), "{err}");
    holder.execute_batch("COMMIT").unwrap();
    DeltaStore::save(&store, "inbox", "link").await.unwrap();
    assert_eq!(DeltaStore::load(&store, "k").await.unwrap().as_deref(), Some("v"));
}

#[tokio::test]
async fn a_corrupt_or_foreign_file_is_a_typed_error() {
    let dir = tempfile::tempdir().unwrap();
    // not SQLite at all
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, b"this is a JSON token cache, not a database {\"a\":1}".repeat(200)).unwrap();
    let err = SqliteStore::open(&junk).await.unwrap_err();
    assert_eq!(store_error(&err).map(|e| e.kind()), Some(StoreErrorKind::Corrupt), "{err}");
    assert!(err.to_string().contains("not a SQLite database"), "{err}");
    // a SQLite file whose header was damaged
    let damaged = dir.path().join("damaged.db");
    drop(SqliteStore::open(&damaged).await.unwrap());
    let mut bytes = std::fs::read(&damaged).unwrap();
    for b in bytes.iter_mut().take(100) {
        *b = 0xA5;
    }
    std::fs::write(&damaged, &bytes).unwrap();
    let _ = std::fs::remove_file(dir.path().join("damaged.db-wal"));
    let err = SqliteStore::open(&damaged).await.unwrap_err();
    assert_eq!(store_error(&err).map(|e| e.kind()), Some(StoreErrorKind::Corrupt), "{err}");
    // another application's SQLite file with a msgraph_meta of another shape
    let foreign = dir.path().join("foreign.db");
    let c = rusqlite::Connection::open(&foreign).unwrap();
    c.execute_batch("CREATE TABLE msgraph_meta (id INTEGER PRIMARY KEY, blob BLOB)").unwrap();
    drop(c);
    let err = SqliteStore::open(&foreign).await.unwrap_err();
    assert_eq!(store_error(&err).map(|e| e.kind()), Some(StoreErrorKind::Corrupt), "{err}");
    assert!(err.to_string().contains("not a msgraph-rs store"), "{err}");
    // another application's database with tables of its own is fine: ours are added
    let app = dir.path().join("app.db");
    let c = rusqlite::Connection::open(&app).unwrap();
    c.execute_batch("CREATE TABLE agent_state (k TEXT, v TEXT); INSERT INTO agent_state VALUES ('a', 'b');").unwrap();
    drop(c);
    let store = SqliteStore::open(&app).await.unwrap();
    DeltaStore::save(&store, "inbox", "link").await.unwrap();
}

#[tokio::test]
async fn a_newer_schema_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("newer.db");
    drop(SqliteStore::open(&path).await.unwrap());
    let c = rusqlite::Connection::open(&path).unwrap();
    c.execute("UPDATE msgraph_meta SET value = ?1 WHERE name = 'schema_version'", [SqliteStore::SCHEMA_VERSION + 1])
        .unwrap();
    drop(c);
    let err = SqliteStore::open(&path).await.unwrap_err();
    let kind = store_error(&err).map(|e| e.kind());
    assert_eq!(
        kind,
        Some(StoreErrorKind::NewerSchema {
            found: SqliteStore::SCHEMA_VERSION + 1,
            supported: SqliteStore::SCHEMA_VERSION
        })
    );
    assert!(err.to_string().contains("upgrade msgraph-store"), "{err}");
    let c = rusqlite::Connection::open(&path).unwrap();
    let v: i64 = c.query_row("SELECT value FROM msgraph_meta WHERE name = 'schema_version'", [], |r| r.get(0)).unwrap();
    assert_eq!(v, SqliteStore::SCHEMA_VERSION + 1, "the newer schema was not touched");
}

#[tokio::test]
async fn concurrent_writers_in_one_process_all_land() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(SqliteStore::open(dir.path().join("c.db")).await.unwrap());
    let tasks: Vec<_> = (0..8)
        .map(|t| {
            let s = store.clone();
            tokio::spawn(async move {
                for i in 0..25 {
                    DeltaStore::save(&*s, &format!("{t}-{i}"), "v").await.unwrap();
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    for t in 0..8 {
        for i in 0..25 {
            assert!(DeltaStore::load(&*store, &format!("{t}-{i}")).await.unwrap().is_some());
        }
    }
}
