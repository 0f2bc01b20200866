//! [`SqliteStore`]: one SQLite file for one process (or a few on one
//! machine): delta tokens, the token cache and the watcher's subscriptions.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use msgraph_auth::{CachedToken, TokenCache, TokenCacheKey};
use msgraph_core::delta::DeltaStore;
use msgraph_core::{Error, Result};
use msgraph_notifications::{WatchState, WatchStore};
use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension, TransactionBehavior, params};

use crate::error::{StoreError, StoreErrorKind};
use crate::tokens::{Sealer, app_key_text, key_text};

/// The schema, one step per version: `MIGRATIONS[i]` takes version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &["
CREATE TABLE msgraph_agent_state (
    key        TEXT PRIMARY KEY NOT NULL,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE msgraph_token_cache (
    cache_key   TEXT PRIMARY KEY NOT NULL,
    app_key     TEXT NOT NULL,
    account     TEXT,
    token       BLOB NOT NULL,
    encrypted   INTEGER NOT NULL,
    updated_seq INTEGER NOT NULL
);
CREATE INDEX msgraph_token_cache_app ON msgraph_token_cache (app_key);
CREATE TABLE msgraph_watch_state (
    key             TEXT PRIMARY KEY NOT NULL,
    subscription_id TEXT NOT NULL,
    expires         TEXT,
    client_state    TEXT NOT NULL,
    resource        TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) WITHOUT ROWID;
"];

/// A store in one SQLite file: implements [`DeltaStore`] (delta tokens in a
/// key/value table), [`TokenCache`] and [`WatchStore`], so a daemon keeps its
/// sign-in, its delta tokens and its subscriptions in one place.
///
/// - The file is opened in WAL mode with a busy timeout (5 s unless
///   [`busy_timeout`](SqliteStoreBuilder::busy_timeout) says otherwise): a
///   write that finds the file locked by another process waits up to that
///   long, then fails with [`StoreErrorKind::Busy`]. Several processes may
///   share the file.
/// - The store creates its tables (all named `msgraph_*`, so the file may be
///   your application's own database) and migrates them; the version is the
///   `schema_version` row of `msgraph_meta`. A file that is not SQLite, is
///   damaged, or was written by a newer SDK is a typed error
///   ([`StoreErrorKind::Corrupt`], [`StoreErrorKind::NewerSchema`]).
/// - Every write is one transaction. SQLite calls run on
///   [`tokio::task::spawn_blocking`], never on the executor's threads.
/// - With the `encryption` feature, tokens are sealed with an
///   [`EncryptionKey`](msgraph_auth::EncryptionKey), as the file cache does.
///
/// The store is cheap to clone (one connection, shared); hand it to the
/// SDK as an `Arc`:
///
/// ```no_run
/// use std::sync::Arc;
/// use msgraph_store::SqliteStore;
///
/// # async fn run() -> msgraph_core::Result<()> {
/// let store = Arc::new(SqliteStore::open("data/agent.db").await?);
/// let deltas: Arc<dyn msgraph_core::delta::DeltaStore> = store.clone();
/// let tokens: Arc<dyn msgraph_auth::TokenCache> = store.clone();
/// let watches: Arc<dyn msgraph_notifications::WatchStore> = store;
/// # let _ = (deltas, tokens, watches);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct SqliteStore {
    inner: Arc<Inner>,
}

struct Inner {
    conn: Mutex<Connection>,
    path: PathBuf,
    busy_timeout: Duration,
    sealer: Sealer,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.inner.path)
            .field("busy_timeout", &self.inner.busy_timeout)
            .field("encrypted", &self.inner.sealer.encrypts())
            .finish()
    }
}

/// Options of a [`SqliteStore`]; from [`SqliteStore::builder`].
#[derive(Debug, Clone)]
#[must_use]
pub struct SqliteStoreBuilder {
    path: PathBuf,
    busy_timeout: Duration,
    sealer: Sealer,
}

impl SqliteStoreBuilder {
    /// How long a call waits for a file another connection holds locked
    /// before it fails with [`StoreErrorKind::Busy`] (default 5 s).
    pub fn busy_timeout(mut self, timeout: Duration) -> Self {
        self.busy_timeout = timeout;
        self
    }

    /// Encrypts tokens at rest with `key` (AES-256-GCM, as
    /// [`FileTokenCache`](msgraph_auth::FileTokenCache) does). Entries
    /// written without the key, or with another one, read as absent (sign
    /// in again).
    #[cfg(feature = "encryption")]
    #[cfg_attr(docsrs, doc(cfg(feature = "encryption")))]
    pub fn encryption_key(mut self, key: msgraph_auth::EncryptionKey) -> Self {
        self.sealer.key = Some(key);
        self
    }

    /// Opens (or creates) the file, creating its directory when needed, and
    /// brings its schema up to date.
    pub async fn open(self) -> Result<SqliteStore> {
        let SqliteStoreBuilder { path, busy_timeout, sealer } = self;
        let p = path.clone();
        let conn = blocking(move || open_connection(&p, busy_timeout)).await??;
        Ok(SqliteStore { inner: Arc::new(Inner { conn: Mutex::new(conn), path, busy_timeout, sealer }) })
    }
}

impl SqliteStore {
    /// The schema version this release writes.
    pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

    /// Options for a store at `path`.
    pub fn builder(path: impl Into<PathBuf>) -> SqliteStoreBuilder {
        SqliteStoreBuilder { path: path.into(), busy_timeout: Duration::from_secs(5), sealer: Sealer::default() }
    }

    /// Opens (or creates) the store at `path` with the default options.
    pub async fn open(path: impl Into<PathBuf>) -> Result<Self> {
        Self::builder(path).open().await
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Runs `f` on the connection on a blocking thread.
    async fn run<R: Send + 'static>(
        &self,
        what: &'static str,
        f: impl FnOnce(&mut Connection, &Sealer) -> rusqlite::Result<R> + Send + 'static,
    ) -> Result<R> {
        let inner = self.inner.clone();
        blocking(move || {
            let mut conn = match inner.conn.lock() {
                Ok(c) => c,
                Err(poisoned) => poisoned.into_inner(),
            };
            f(&mut conn, &inner.sealer).map_err(|e| sqlite_error(&inner.path, what, inner.busy_timeout, e))
        })
        .await?
    }

    /// Runs `f` in one write transaction (`BEGIN IMMEDIATE`), committed when
    /// it succeeds.
    async fn write<R: Send + 'static>(
        &self,
        what: &'static str,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> rusqlite::Result<R> + Send + 'static,
    ) -> Result<R> {
        self.run(what, move |conn, _| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let r = f(&tx)?;
            tx.commit()?;
            Ok(r)
        })
        .await
    }
}

/// Runs blocking work off the executor's threads.
async fn blocking<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> Result<R> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Error::io("the SQLite store's blocking task failed", std::io::Error::other(e.to_string())))
}

fn sqlite_error(path: &Path, what: &str, busy: Duration, e: rusqlite::Error) -> Error {
    let path = path.display();
    let (kind, message) = match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => (
            StoreErrorKind::Corrupt,
            format!("{path} is not a SQLite database or it is damaged ({what}: {e}); move it away to start afresh"),
        ),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => (
            StoreErrorKind::Busy,
            format!(
                "{path} stayed locked by another connection for longer than the busy timeout ({} ms) while {what}",
                busy.as_millis()
            ),
        ),
        _ => (StoreErrorKind::Database, format!("{what} in {path}: {e}")),
    };
    StoreError::new(kind, message).into()
}

fn open_connection(path: &Path, busy_timeout: Duration) -> Result<Connection> {
    let err = |what: &str, e: rusqlite::Error| sqlite_error(path, what, busy_timeout, e);
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut conn = Connection::open_with_flags(path, flags).map_err(|e| err("opening", e))?;
    conn.busy_timeout(busy_timeout).map_err(|e| err("setting the busy timeout", e))?;
    // The first statement reads the header: a foreign file fails here.
    let mode: String =
        conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)).map_err(|e| err("switching to WAL", e))?;
    if !mode.eq_ignore_ascii_case("wal") {
        tracing::warn!(path = %path.display(), mode, "SQLite did not switch to WAL mode");
    }
    conn.execute_batch("PRAGMA synchronous = NORMAL").map_err(|e| err("setting synchronous", e))?;
    migrate(&mut conn, path, busy_timeout)?;
    Ok(conn)
}

fn foreign(path: &Path, detail: impl std::fmt::Display) -> Error {
    StoreError::new(
        StoreErrorKind::Corrupt,
        format!("{} is not a msgraph-rs store: its msgraph_meta table is not ours ({detail})", path.display()),
    )
    .into()
}

fn migrate(conn: &mut Connection, path: &Path, busy: Duration) -> Result<()> {
    let err = |what: &str, e: rusqlite::Error| sqlite_error(path, what, busy, e);
    // A locked or damaged file says so; any other failure here means tables
    // of our names with another shape.
    let not_ours = |e: rusqlite::Error, what: &str| match e.sqlite_error_code() {
        Some(
            ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt | ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked,
        ) => err(what, e),
        _ => foreign(path, format!("{what}: {e}")),
    };
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| err("migrating", e))?;
    tx.execute_batch(
        "CREATE TABLE IF NOT EXISTS msgraph_meta (name TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL)",
    )
    .map_err(|e| err("creating msgraph_meta", e))?;
    let found: Option<i64> = tx
        .query_row("SELECT value FROM msgraph_meta WHERE name = 'schema_version'", [], |r| r.get(0))
        .optional()
        .map_err(|e| not_ours(e, "reading the schema version"))?;
    let current = found.unwrap_or(0);
    let supported = SqliteStore::SCHEMA_VERSION;
    if current > supported {
        return Err(StoreError::new(
            StoreErrorKind::NewerSchema { found: current, supported },
            format!(
                "{} was written by a newer msgraph-rs (schema version {current}; this release knows up to {supported}): upgrade msgraph-store",
                path.display()
            ),
        )
        .into());
    }
    if current < 0 {
        return Err(foreign(path, format!("schema version {current}")));
    }
    for (i, step) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        tx.execute_batch(step).map_err(|e| not_ours(e, &format!("migrating to version {}", i + 1)))?;
    }
    if current != supported {
        tx.execute(
            "INSERT INTO msgraph_meta (name, value) VALUES ('schema_version', ?1)
             ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            params![supported],
        )
        .map_err(|e| err("recording the schema version", e))?;
        tracing::debug!(path = %path.display(), from = current, to = supported, "migrated the SQLite store");
    }
    tx.commit().map_err(|e| err("committing the schema", e))
}

fn now_text() -> String {
    Utc::now().to_rfc3339()
}

#[async_trait]
impl DeltaStore for SqliteStore {
    async fn load(&self, key: &str) -> Result<Option<String>> {
        let key = key.to_owned();
        self.run("reading a delta token", move |c, _| {
            c.query_row("SELECT value FROM msgraph_agent_state WHERE key = ?1", params![key], |r| r.get(0)).optional()
        })
        .await
    }

    async fn save(&self, key: &str, delta_link: &str) -> Result<()> {
        let (key, value) = (key.to_owned(), delta_link.to_owned());
        self.write("saving a delta token", move |tx| {
            tx.execute(
                "INSERT INTO msgraph_agent_state (key, value, updated_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                params![key, value, now_text()],
            )
            .map(drop)
        })
        .await
    }

    async fn remove(&self, key: &str) -> Result<()> {
        let key = key.to_owned();
        self.write("removing a delta token", move |tx| {
            tx.execute("DELETE FROM msgraph_agent_state WHERE key = ?1", params![key]).map(drop)
        })
        .await
    }
}

#[async_trait]
impl TokenCache for SqliteStore {
    async fn get(&self, key: &TokenCacheKey) -> Result<Option<CachedToken>> {
        let k = key_text(key)?;
        self.run("reading the token cache", move |c, sealer| {
            let row: Option<(Vec<u8>, bool)> = c
                .query_row("SELECT token, encrypted FROM msgraph_token_cache WHERE cache_key = ?1", params![k], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .optional()?;
            Ok(row.and_then(|(bytes, encrypted)| sealer.token(bytes, encrypted)))
        })
        .await
    }

    async fn set(&self, key: &TokenCacheKey, token: &CachedToken) -> Result<()> {
        let row = self.inner.sealer.row(key, token)?;
        self.write("writing the token cache", move |tx| {
            tx.execute(
                "INSERT INTO msgraph_token_cache (cache_key, app_key, account, token, encrypted, updated_seq)
                 VALUES (?1, ?2, ?3, ?4, ?5, (SELECT COALESCE(MAX(updated_seq), 0) + 1 FROM msgraph_token_cache))
                 ON CONFLICT (cache_key) DO UPDATE SET token = excluded.token, encrypted = excluded.encrypted,
                     updated_seq = excluded.updated_seq",
                params![row.cache_key, row.app_key, row.account, row.token, row.encrypted],
            )
            .map(drop)
        })
        .await
    }

    async fn remove(&self, key: &TokenCacheKey) -> Result<()> {
        let k = key_text(key)?;
        self.write("removing a token", move |tx| {
            tx.execute("DELETE FROM msgraph_token_cache WHERE cache_key = ?1", params![k]).map(drop)
        })
        .await
    }

    async fn accounts(&self, key: &TokenCacheKey) -> Result<Vec<String>> {
        let app = app_key_text(key)?;
        self.run("listing the token cache's accounts", move |c, _| {
            let mut stmt = c.prepare(
                "SELECT account FROM msgraph_token_cache WHERE app_key = ?1 AND account IS NOT NULL
                 ORDER BY updated_seq DESC",
            )?;
            let rows = stmt.query_map(params![app], |r| r.get::<_, String>(0))?;
            let mut out: Vec<String> = Vec::new();
            for a in rows {
                let a = a?;
                if !out.contains(&a) {
                    out.push(a);
                }
            }
            Ok(out)
        })
        .await
    }
}

fn parse_time(text: Option<String>) -> Option<DateTime<Utc>> {
    let text = text?;
    match DateTime::parse_from_rfc3339(&text) {
        Ok(t) => Some(t.with_timezone(&Utc)),
        Err(e) => {
            tracing::warn!(value = %text, error = %e, "unreadable subscription expiry in the SQLite store; treating it as unknown");
            None
        }
    }
}

#[async_trait]
impl WatchStore for SqliteStore {
    async fn load(&self, key: &str) -> Result<Option<WatchState>> {
        let key = key.to_owned();
        self.run("reading a watch state", move |c, _| {
            c.query_row(
                "SELECT subscription_id, expires, client_state, resource FROM msgraph_watch_state WHERE key = ?1",
                params![key],
                |r| {
                    Ok(WatchState::new(
                        r.get::<_, String>(0)?,
                        parse_time(r.get(1)?),
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                    ))
                },
            )
            .optional()
        })
        .await
    }

    async fn save(&self, key: &str, state: &WatchState) -> Result<()> {
        let key = key.to_owned();
        let state = state.clone();
        self.write("saving a watch state", move |tx| {
            tx.execute(
                "INSERT INTO msgraph_watch_state (key, subscription_id, expires, client_state, resource, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (key) DO UPDATE SET subscription_id = excluded.subscription_id,
                     expires = excluded.expires, client_state = excluded.client_state,
                     resource = excluded.resource, updated_at = excluded.updated_at",
                params![
                    key,
                    state.subscription_id,
                    state.expires.map(|t| t.to_rfc3339()),
                    state.client_state,
                    state.resource,
                    now_text()
                ],
            )
            .map(drop)
        })
        .await
    }

    async fn remove(&self, key: &str) -> Result<()> {
        let key = key.to_owned();
        self.write("removing a watch state", move |tx| {
            tx.execute("DELETE FROM msgraph_watch_state WHERE key = ?1", params![key]).map(drop)
        })
        .await
    }
}
