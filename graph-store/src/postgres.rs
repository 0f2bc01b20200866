//! [`PostgresStore`]: state shared by a fleet of workers, mailbox leases
//! with fencing tokens, and `LISTEN/NOTIFY` to reach the worker holding a
//! mailbox.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use futures::StreamExt as _;
use msgraph_auth::{CachedToken, TokenCache, TokenCacheKey};
use msgraph_core::delta::DeltaStore;
use msgraph_core::{Error, Result};
use msgraph_notifications::{WatchState, WatchStore};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::{Mutex, mpsc, watch};
use tokio_postgres::config::SslMode;
use tokio_postgres::error::SqlState;
use tokio_postgres::{AsyncMessage, Client, Config, Connection, NoTls, Row};
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::error::{StoreError, StoreErrorKind};
use crate::tokens::{Sealer, app_key_text, key_text};

/// The schema, one step per version: `MIGRATIONS[i]` takes version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &["
CREATE TABLE msgraph_agent_state (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE SEQUENCE msgraph_token_seq;
CREATE TABLE msgraph_token_cache (
    cache_key   TEXT PRIMARY KEY,
    app_key     TEXT NOT NULL,
    account     TEXT,
    token       BYTEA NOT NULL,
    encrypted   BOOLEAN NOT NULL,
    updated_seq BIGINT NOT NULL
);
CREATE INDEX msgraph_token_cache_app ON msgraph_token_cache (app_key);
CREATE TABLE msgraph_watch_state (
    key             TEXT PRIMARY KEY,
    subscription_id TEXT NOT NULL,
    expires         TIMESTAMPTZ,
    client_state    TEXT NOT NULL,
    resource        TEXT NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE SEQUENCE msgraph_fence_seq;
CREATE TABLE msgraph_mailboxes (
    mailbox       TEXT PRIMARY KEY,
    owner         TEXT,
    fence         BIGINT NOT NULL DEFAULT 0,
    lease_expires TIMESTAMPTZ,
    added_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX msgraph_mailboxes_owner ON msgraph_mailboxes (owner);
"];

/// Separates a mailbox from a key in [`PostgresStore::mailbox_key`].
const KEY_SEPARATOR: char = '\u{1f}';
/// The largest `NOTIFY` payload we send (Postgres' limit is 8000 bytes).
const MAX_PAYLOAD: usize = 7000;

#[derive(Clone)]
enum Tls {
    Off,
    Rustls(MakeRustlsConnect),
}

/// A store in PostgreSQL, shared by many worker processes: implements
/// [`DeltaStore`], [`TokenCache`] and [`WatchStore`] like
/// [`SqliteStore`](crate::SqliteStore), and adds what a fleet needs:
///
/// - **mailboxes**, a table workers split between them
///   ([`add_mailboxes`](Self::add_mailboxes), [`remove_mailboxes`](Self::remove_mailboxes));
/// - **leases** ([`worker`](Self::worker) → [`LeaseWorker`]): a worker
///   [claims](LeaseWorker::claim) unowned or expired mailboxes
///   (`FOR UPDATE SKIP LOCKED`, so two claimers never take the same one),
///   renews them by [heartbeat](LeaseWorker::heartbeat) and
///   [releases](LeaseWorker::release_all) them on shutdown. Each claim gets
///   a new **fencing token**; the [`FencedStore`] of a lease refuses a write
///   once the lease moved ([`StoreErrorKind::LeaseLost`]), so a worker that
///   paused past its lease cannot move a delta token its successor already
///   moved;
/// - **notifications** through `LISTEN/NOTIFY`: the webhook receiver (in any
///   process) calls [`notify`](Self::notify), and the worker holding the
///   mailbox gets it from [`LeaseWorker::listen`].
///
/// Delivery is at least once: a worker killed with SIGKILL leaves leases
/// that expire after their time to live; the next claimant starts from the
/// last committed delta token, so changes after it are delivered again.
///
/// Each write is one SQL statement (its own transaction): a connection lost
/// in the middle of a commit leaves the previous token in place. The
/// schema is created and migrated by the store (`msgraph_*` tables, a
/// `schema_version` row in `msgraph_meta`), under an advisory lock so
/// workers starting together do not race.
///
/// ```no_run
/// use std::time::Duration;
/// use msgraph_store::PostgresStore;
///
/// # async fn run() -> msgraph_core::Result<()> {
/// let store = PostgresStore::connect("postgres://msgraph:secret@db.internal/msgraph?sslmode=require").await?;
/// store.add_mailboxes(["ada@contoso.com", "grace@contoso.com"]).await?;
/// let worker = store.worker("worker-1").ttl(Duration::from_secs(30));
/// let _heartbeat = worker.heartbeat(Duration::from_secs(10));
/// for lease in worker.claim(10).await? {
///     let state = store.fenced(&lease); // a DeltaStore + WatchStore for this mailbox
///     # let _ = state;
/// }
/// worker.release_all().await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct PostgresStore {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    tls: Tls,
    attempts: u32,
    client: Mutex<Option<Arc<Client>>>,
    sealer: Sealer,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStore")
            .field("hosts", &self.inner.config.get_hosts())
            .field("dbname", &self.inner.config.get_dbname())
            .field("user", &self.inner.config.get_user())
            .field("tls", &matches!(self.inner.tls, Tls::Rustls(_)))
            .field("encrypted", &self.inner.sealer.encrypts())
            .finish_non_exhaustive()
    }
}

/// Options of a [`PostgresStore`]; from [`PostgresStore::builder`].
#[must_use]
pub struct PostgresStoreBuilder {
    url: String,
    attempts: u32,
    connect_timeout: Duration,
    sealer: Sealer,
}

impl std::fmt::Debug for PostgresStoreBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStoreBuilder")
            .field("attempts", &self.attempts)
            .field("connect_timeout", &self.connect_timeout)
            .finish_non_exhaustive()
    }
}

impl PostgresStoreBuilder {
    /// How many times to try to connect before giving up, with a doubling
    /// pause (250 ms, 500 ms, ... up to 8 s) between tries (default 3).
    /// Applies at start and when a lost connection is re-made.
    pub fn connect_attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts.max(1);
        self
    }

    /// How long one connection attempt may take, unless the URL says
    /// (`connect_timeout=`); default 10 s.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Encrypts tokens at rest with `key` (AES-256-GCM, as
    /// [`FileTokenCache`](msgraph_auth::FileTokenCache) does).
    #[cfg(feature = "encryption")]
    #[cfg_attr(docsrs, doc(cfg(feature = "encryption")))]
    pub fn encryption_key(mut self, key: msgraph_auth::EncryptionKey) -> Self {
        self.sealer.key = Some(key);
        self
    }

    /// Connects and brings the schema up to date.
    ///
    /// A URL that does not parse is [`Error::InvalidInput`]; a server that
    /// cannot be reached after the attempts is
    /// [`StoreErrorKind::Unavailable`] (retryable).
    pub async fn connect(self) -> Result<PostgresStore> {
        let mut config: Config = self.url.parse().map_err(|e| {
            Error::invalid_input(format!(
                "not a PostgreSQL URL ({e}); expected postgres://user:password@host:port/database"
            ))
        })?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(self.connect_timeout);
        }
        let tls = if config.get_ssl_mode() == SslMode::Disable { Tls::Off } else { Tls::Rustls(rustls_connector()?) };
        let inner = Inner { config, tls, attempts: self.attempts, client: Mutex::new(None), sealer: self.sealer };
        let store = PostgresStore { inner: Arc::new(inner) };
        store.migrate().await?;
        Ok(store)
    }
}

fn rustls_connector() -> Result<MakeRustlsConnect> {
    let mut roots = rustls::RootCertStore::empty();
    let found = rustls_native_certs::load_native_certs();
    for cert in found.certs {
        if let Err(e) = roots.add(cert) {
            tracing::debug!(error = %e, "skipping a platform root certificate");
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::invalid_input(format!("TLS setup for PostgreSQL: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(MakeRustlsConnect::new(config))
}

/// Polls a connection until it closes, handing notifications to `tx`.
fn drive<S, T>(mut conn: Connection<S, T>, tx: Option<mpsc::UnboundedSender<tokio_postgres::Notification>>)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    T: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    tokio::spawn(async move {
        let mut messages = futures::stream::poll_fn(move |cx| conn.poll_message(cx));
        while let Some(message) = messages.next().await {
            match message {
                Ok(AsyncMessage::Notification(n)) => {
                    if let Some(tx) = &tx {
                        let _ = tx.send(n);
                    }
                }
                Ok(AsyncMessage::Notice(n)) => tracing::debug!(notice = %n, "PostgreSQL notice"),
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "PostgreSQL connection lost");
                    break;
                }
            }
        }
    });
}

/// Maps a driver error to a typed store error.
fn pg_error(what: &str, e: tokio_postgres::Error) -> Error {
    let kind = match e.code() {
        None => StoreErrorKind::Unavailable,
        Some(code)
            if code.code().starts_with("08")
                || [SqlState::ADMIN_SHUTDOWN, SqlState::CRASH_SHUTDOWN, SqlState::CANNOT_CONNECT_NOW]
                    .contains(code)
                || *code == SqlState::TOO_MANY_CONNECTIONS =>
        {
            StoreErrorKind::Unavailable
        }
        Some(_) => StoreErrorKind::Database,
    };
    let detail = match e.as_db_error() {
        Some(db) => db.message().to_owned(),
        None => {
            let mut text = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                text = format!("{text}: {s}");
                source = s.source();
            }
            text
        }
    };
    StoreError::new(kind, format!("PostgreSQL, {what}: {detail}")).into()
}

impl PostgresStore {
    /// The schema version this release writes.
    pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

    /// Options for a store at `url` (`postgres://user:password@host:port/db`,
    /// with `?sslmode=disable|prefer|require`; TLS goes through rustls with
    /// the platform's root certificates).
    pub fn builder(url: impl Into<String>) -> PostgresStoreBuilder {
        PostgresStoreBuilder {
            url: url.into(),
            attempts: 3,
            connect_timeout: Duration::from_secs(10),
            sealer: Sealer::default(),
        }
    }

    /// Connects to `url` with the default options.
    pub async fn connect(url: impl Into<String>) -> Result<Self> {
        Self::builder(url).connect().await
    }

    /// One new connection, retried with backoff; `tx` receives its
    /// notifications.
    async fn open(&self, tx: Option<mpsc::UnboundedSender<tokio_postgres::Notification>>) -> Result<Client> {
        let mut pause = Duration::from_millis(250);
        let mut attempt = 1;
        loop {
            let result = match &self.inner.tls {
                Tls::Off => self.inner.config.connect(NoTls).await.map(|(c, conn)| {
                    drive(conn, tx.clone());
                    c
                }),
                Tls::Rustls(tls) => self.inner.config.connect(tls.clone()).await.map(|(c, conn)| {
                    drive(conn, tx.clone());
                    c
                }),
            };
            match result {
                Ok(c) => return Ok(c),
                Err(e) => {
                    let err = pg_error("connecting", e);
                    if attempt >= self.inner.attempts || !err.is_retryable() {
                        return Err(err);
                    }
                    tracing::warn!(attempt, error = %err, "PostgreSQL not reachable; retrying");
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(Duration::from_secs(8));
                    attempt += 1;
                }
            }
        }
    }

    /// The shared connection, re-made when it was lost.
    async fn client(&self) -> Result<Arc<Client>> {
        let mut slot = self.inner.client.lock().await;
        if let Some(c) = slot.as_ref()
            && !c.is_closed()
        {
            return Ok(c.clone());
        }
        let c = Arc::new(self.open(None).await?);
        *slot = Some(c.clone());
        Ok(c)
    }

    async fn migrate(&self) -> Result<()> {
        let mut client = self.open(None).await?;
        let err = |what: &'static str| move |e| pg_error(what, e);
        let tx = client.transaction().await.map_err(err("starting the migration"))?;
        tx.execute("SELECT pg_advisory_xact_lock(7283019561)", &[]).await.map_err(err("locking the schema"))?;
        tx.batch_execute("CREATE TABLE IF NOT EXISTS msgraph_meta (name TEXT PRIMARY KEY, value BIGINT NOT NULL)")
            .await
            .map_err(err("creating msgraph_meta"))?;
        let found: Option<i64> = tx
            .query_opt("SELECT value FROM msgraph_meta WHERE name = 'schema_version'", &[])
            .await
            .map_err(|e| foreign(&e.to_string()))?
            .map(|r| r.try_get(0))
            .transpose()
            .map_err(|e| foreign(&e.to_string()))?;
        let current = found.unwrap_or(0);
        let supported = Self::SCHEMA_VERSION;
        if current > supported {
            return Err(StoreError::new(
                StoreErrorKind::NewerSchema { found: current, supported },
                format!(
                    "the PostgreSQL database was written by a newer msgraph-rs (schema version {current}; this release knows up to {supported}): upgrade msgraph-store"
                ),
            )
            .into());
        }
        if current < 0 {
            return Err(foreign(&format!("schema version {current}")));
        }
        for (i, step) in MIGRATIONS.iter().enumerate().skip(current as usize) {
            tx.batch_execute(step).await.map_err(|e| foreign(&format!("migrating to version {}: {e}", i + 1)))?;
        }
        if current != supported {
            tx.execute(
                "INSERT INTO msgraph_meta (name, value) VALUES ('schema_version', $1)
                 ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value",
                &[&supported],
            )
            .await
            .map_err(err("recording the schema version"))?;
        }
        tx.commit().await.map_err(err("committing the schema"))
    }

    /// The key a [`FencedStore`] uses for `key` of `mailbox` (read it with
    /// the unfenced store's `load`).
    pub fn mailbox_key(mailbox: &str, key: &str) -> String {
        format!("{mailbox}{KEY_SEPARATOR}{key}")
    }

    /// Adds mailboxes (user ids or UPNs) to the table the workers split;
    /// answers how many were new.
    pub async fn add_mailboxes(&self, mailboxes: impl IntoIterator<Item = impl AsRef<str>>) -> Result<u64> {
        let list: Vec<String> = mailboxes.into_iter().map(|m| m.as_ref().trim().to_owned()).collect();
        if let Some(bad) = list.iter().find(|m| m.is_empty() || m.contains(KEY_SEPARATOR)) {
            return Err(Error::invalid_input(format!("not a mailbox: {bad:?}")));
        }
        self.client()
            .await?
            .execute(
                "INSERT INTO msgraph_mailboxes (mailbox) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING",
                &[&list],
            )
            .await
            .map_err(|e| pg_error("adding mailboxes", e))
    }

    /// Removes mailboxes; a worker holding one finds its next write refused
    /// ([`StoreErrorKind::LeaseLost`]). Their stored state stays.
    pub async fn remove_mailboxes(&self, mailboxes: impl IntoIterator<Item = impl AsRef<str>>) -> Result<u64> {
        let list: Vec<String> = mailboxes.into_iter().map(|m| m.as_ref().trim().to_owned()).collect();
        self.client()
            .await?
            .execute("DELETE FROM msgraph_mailboxes WHERE mailbox = ANY($1)", &[&list])
            .await
            .map_err(|e| pg_error("removing mailboxes", e))
    }

    /// Every mailbox in the table, sorted.
    pub async fn mailboxes(&self) -> Result<Vec<String>> {
        let rows = self
            .client()
            .await?
            .query("SELECT mailbox FROM msgraph_mailboxes ORDER BY mailbox", &[])
            .await
            .map_err(|e| pg_error("listing mailboxes", e))?;
        rows.iter().map(|r| r.try_get(0).map_err(|e| pg_error("reading mailboxes", e))).collect()
    }

    /// A worker named `id` (unique in the fleet: e.g. host name and process
    /// id) that claims leases for 30 s unless [`ttl`](LeaseWorker::ttl)
    /// says otherwise.
    pub fn worker(&self, id: impl Into<String>) -> LeaseWorker {
        LeaseWorker { store: self.clone(), id: id.into(), ttl: Duration::from_secs(30) }
    }

    /// The state of `lease`'s mailbox, with every write checked against the
    /// lease's fencing token.
    pub fn fenced(&self, lease: &Lease) -> FencedStore {
        FencedStore { store: self.clone(), lease: lease.clone() }
    }

    /// Sends `payload` (at most 7000 bytes: a hint such as the change
    /// notification's JSON, not the data) to the worker holding `mailbox`.
    /// Answers whether a live lease holder was there; when none was, the
    /// next worker to claim the mailbox runs a round anyway, so nothing is
    /// lost.
    pub async fn notify(&self, mailbox: &str, payload: &str) -> Result<bool> {
        let body = serde_json::json!({ "mailbox": mailbox, "payload": payload }).to_string();
        if body.len() > MAX_PAYLOAD {
            return Err(Error::invalid_input(format!(
                "a notification payload must stay under {MAX_PAYLOAD} bytes (got {})",
                body.len()
            )));
        }
        let rows = self
            .client()
            .await?
            .query(
                "SELECT pg_notify('msgraph_w_' || md5(owner), $2) FROM msgraph_mailboxes
                 WHERE mailbox = $1 AND owner IS NOT NULL AND lease_expires > now()",
                &[&mailbox, &body],
            )
            .await
            .map_err(|e| pg_error("notifying", e))?;
        Ok(!rows.is_empty())
    }
}

fn foreign(detail: &str) -> Error {
    StoreError::new(
        StoreErrorKind::Corrupt,
        format!("the PostgreSQL database's msgraph_* tables are not ours ({detail})"),
    )
    .into()
}

#[async_trait]
impl DeltaStore for PostgresStore {
    async fn load(&self, key: &str) -> Result<Option<String>> {
        let row = self
            .client()
            .await?
            .query_opt("SELECT value FROM msgraph_agent_state WHERE key = $1", &[&key])
            .await
            .map_err(|e| pg_error("reading a delta token", e))?;
        row.map(|r| r.try_get(0)).transpose().map_err(|e| pg_error("reading a delta token", e))
    }

    async fn save(&self, key: &str, delta_link: &str) -> Result<()> {
        self.client()
            .await?
            .execute(
                "INSERT INTO msgraph_agent_state (key, value, updated_at) VALUES ($1, $2, now())
                 ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()",
                &[&key, &delta_link],
            )
            .await
            .map(drop)
            .map_err(|e| pg_error("saving a delta token", e))
    }

    async fn remove(&self, key: &str) -> Result<()> {
        self.client()
            .await?
            .execute("DELETE FROM msgraph_agent_state WHERE key = $1", &[&key])
            .await
            .map(drop)
            .map_err(|e| pg_error("removing a delta token", e))
    }
}

#[async_trait]
impl TokenCache for PostgresStore {
    async fn get(&self, key: &TokenCacheKey) -> Result<Option<CachedToken>> {
        let k = key_text(key)?;
        let row = self
            .client()
            .await?
            .query_opt("SELECT token, encrypted FROM msgraph_token_cache WHERE cache_key = $1", &[&k])
            .await
            .map_err(|e| pg_error("reading the token cache", e))?;
        let Some(row) = row else { return Ok(None) };
        let bytes: Vec<u8> = row.try_get(0).map_err(|e| pg_error("reading the token cache", e))?;
        let encrypted: bool = row.try_get(1).map_err(|e| pg_error("reading the token cache", e))?;
        Ok(self.inner.sealer.token(bytes, encrypted))
    }

    async fn set(&self, key: &TokenCacheKey, token: &CachedToken) -> Result<()> {
        let row = self.inner.sealer.row(key, token)?;
        self.client()
            .await?
            .execute(
                "INSERT INTO msgraph_token_cache (cache_key, app_key, account, token, encrypted, updated_seq)
                 VALUES ($1, $2, $3, $4, $5, nextval('msgraph_token_seq'))
                 ON CONFLICT (cache_key) DO UPDATE SET token = EXCLUDED.token, encrypted = EXCLUDED.encrypted,
                     updated_seq = EXCLUDED.updated_seq",
                &[&row.cache_key, &row.app_key, &row.account, &row.token, &row.encrypted],
            )
            .await
            .map(drop)
            .map_err(|e| pg_error("writing the token cache", e))
    }

    async fn remove(&self, key: &TokenCacheKey) -> Result<()> {
        let k = key_text(key)?;
        self.client()
            .await?
            .execute("DELETE FROM msgraph_token_cache WHERE cache_key = $1", &[&k])
            .await
            .map(drop)
            .map_err(|e| pg_error("removing a token", e))
    }

    async fn accounts(&self, key: &TokenCacheKey) -> Result<Vec<String>> {
        let app = app_key_text(key)?;
        let rows = self
            .client()
            .await?
            .query(
                "SELECT account FROM msgraph_token_cache WHERE app_key = $1 AND account IS NOT NULL
                 ORDER BY updated_seq DESC",
                &[&app],
            )
            .await
            .map_err(|e| pg_error("listing the token cache's accounts", e))?;
        let mut out: Vec<String> = Vec::new();
        for r in rows {
            let a: String = r.try_get(0).map_err(|e| pg_error("listing the token cache's accounts", e))?;
            if !out.contains(&a) {
                out.push(a);
            }
        }
        Ok(out)
    }
}

fn watch_state(row: &Row) -> Result<WatchState> {
    let err = |e| pg_error("reading a watch state", e);
    Ok(WatchState::new(
        row.try_get::<_, String>(0).map_err(err)?,
        row.try_get::<_, Option<DateTime<Utc>>>(1).map_err(err)?,
        row.try_get::<_, String>(2).map_err(err)?,
        row.try_get::<_, String>(3).map_err(err)?,
    ))
}

async fn load_watch(store: &PostgresStore, key: &str) -> Result<Option<WatchState>> {
    let row = store
        .client()
        .await?
        .query_opt(
            "SELECT subscription_id, expires, client_state, resource FROM msgraph_watch_state WHERE key = $1",
            &[&key],
        )
        .await
        .map_err(|e| pg_error("reading a watch state", e))?;
    row.as_ref().map(watch_state).transpose()
}

#[async_trait]
impl WatchStore for PostgresStore {
    async fn load(&self, key: &str) -> Result<Option<WatchState>> {
        load_watch(self, key).await
    }

    async fn save(&self, key: &str, state: &WatchState) -> Result<()> {
        self.client()
            .await?
            .execute(
                "INSERT INTO msgraph_watch_state (key, subscription_id, expires, client_state, resource, updated_at)
                 VALUES ($1, $2, $3, $4, $5, now())
                 ON CONFLICT (key) DO UPDATE SET subscription_id = EXCLUDED.subscription_id,
                     expires = EXCLUDED.expires, client_state = EXCLUDED.client_state,
                     resource = EXCLUDED.resource, updated_at = now()",
                &[&key, &state.subscription_id, &state.expires, &state.client_state, &state.resource],
            )
            .await
            .map(drop)
            .map_err(|e| pg_error("saving a watch state", e))
    }

    async fn remove(&self, key: &str) -> Result<()> {
        self.client()
            .await?
            .execute("DELETE FROM msgraph_watch_state WHERE key = $1", &[&key])
            .await
            .map(drop)
            .map_err(|e| pg_error("removing a watch state", e))
    }
}

/// A worker's hold on one mailbox, from [`LeaseWorker::claim`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Lease {
    /// The mailbox.
    pub mailbox: String,
    /// The worker holding it.
    pub owner: String,
    /// The fencing token: grows with every claim of any mailbox, so a newer
    /// holder always has a larger one.
    pub fence: i64,
    /// When the lease ends unless renewed.
    pub expires: DateTime<Utc>,
    /// Who held it before (its lease had expired or was released), if
    /// anyone: a lease move, to count in metrics.
    pub previous_owner: Option<String>,
}

fn lease(row: &Row, owner: &str, with_previous: bool) -> Result<Lease> {
    let err = |e| pg_error("reading a lease", e);
    Ok(Lease {
        mailbox: row.try_get(0).map_err(err)?,
        owner: owner.to_owned(),
        fence: row.try_get(1).map_err(err)?,
        expires: row.try_get(2).map_err(err)?,
        previous_owner: if with_previous { row.try_get(3).map_err(err)? } else { None },
    })
}

/// One worker of a fleet: claims, renews and releases [`Lease`]s and
/// listens for its mailboxes' notifications. From [`PostgresStore::worker`].
#[derive(Debug, Clone)]
pub struct LeaseWorker {
    store: PostgresStore,
    id: String,
    ttl: Duration,
}

impl LeaseWorker {
    /// How long a claim or renewal holds (default 30 s). Renew well within
    /// it ([`heartbeat`](Self::heartbeat) every third of it).
    #[must_use]
    pub fn ttl(mut self, ttl: Duration) -> Self {
        self.ttl = ttl;
        self
    }

    /// The worker's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    fn ttl_secs(&self) -> f64 {
        self.ttl.as_secs_f64()
    }

    /// Claims up to `n` mailboxes that nobody holds or whose lease expired
    /// (`FOR UPDATE SKIP LOCKED`: concurrent claimers take disjoint sets and
    /// never wait on each other). Each gets a new fencing token.
    pub async fn claim(&self, n: usize) -> Result<Vec<Lease>> {
        let limit = i64::try_from(n).unwrap_or(i64::MAX);
        let rows = self
            .store
            .client()
            .await?
            .query(
                "WITH c AS (
                     SELECT mailbox, owner AS previous_owner FROM msgraph_mailboxes
                     WHERE owner IS NULL OR lease_expires IS NULL OR lease_expires <= now()
                     ORDER BY lease_expires NULLS FIRST, mailbox
                     LIMIT $2
                     FOR UPDATE SKIP LOCKED)
                 UPDATE msgraph_mailboxes m
                 SET owner = $1, fence = nextval('msgraph_fence_seq'),
                     lease_expires = now() + make_interval(secs => $3)
                 FROM c WHERE m.mailbox = c.mailbox
                 RETURNING m.mailbox, m.fence, m.lease_expires, c.previous_owner",
                &[&self.id, &limit, &self.ttl_secs()],
            )
            .await
            .map_err(|e| pg_error("claiming mailboxes", e))?;
        let leases = rows.iter().map(|r| lease(r, &self.id, true)).collect::<Result<Vec<_>>>()?;
        for l in &leases {
            match &l.previous_owner {
                Some(prev) => {
                    tracing::info!(worker = %self.id, mailbox = %l.mailbox, previous = %prev, fence = l.fence, "took over a mailbox")
                }
                None => tracing::debug!(worker = %self.id, mailbox = %l.mailbox, fence = l.fence, "claimed a mailbox"),
            }
        }
        Ok(leases)
    }

    /// Renews `leases` for another time to live; answers those still held
    /// (with their new expiry). A lease missing from the answer moved to
    /// another worker: stop working on its mailbox.
    pub async fn renew(&self, leases: &[Lease]) -> Result<Vec<Lease>> {
        let fences: Vec<i64> = leases.iter().map(|l| l.fence).collect();
        let rows = self
            .store
            .client()
            .await?
            .query(
                "UPDATE msgraph_mailboxes SET lease_expires = now() + make_interval(secs => $3)
                 WHERE owner = $1 AND fence = ANY($2)
                 RETURNING mailbox, fence, lease_expires",
                &[&self.id, &fences, &self.ttl_secs()],
            )
            .await
            .map_err(|e| pg_error("renewing leases", e))?;
        rows.iter().map(|r| lease(r, &self.id, false)).collect()
    }

    /// Renews every lease this worker holds that has not expired; answers
    /// them.
    pub async fn renew_all(&self) -> Result<Vec<Lease>> {
        let rows = self
            .store
            .client()
            .await?
            .query(
                "UPDATE msgraph_mailboxes SET lease_expires = now() + make_interval(secs => $2)
                 WHERE owner = $1 AND lease_expires > now()
                 RETURNING mailbox, fence, lease_expires",
                &[&self.id, &self.ttl_secs()],
            )
            .await
            .map_err(|e| pg_error("renewing leases", e))?;
        rows.iter().map(|r| lease(r, &self.id, false)).collect()
    }

    /// The unexpired leases this worker holds.
    pub async fn held(&self) -> Result<Vec<Lease>> {
        let rows = self
            .store
            .client()
            .await?
            .query(
                "SELECT mailbox, fence, lease_expires FROM msgraph_mailboxes
                 WHERE owner = $1 AND lease_expires > now() ORDER BY mailbox",
                &[&self.id],
            )
            .await
            .map_err(|e| pg_error("listing leases", e))?;
        rows.iter().map(|r| lease(r, &self.id, false)).collect()
    }

    /// Gives `leases` back (the mailboxes can be claimed at once); answers
    /// how many were still held.
    pub async fn release(&self, leases: &[Lease]) -> Result<u64> {
        let fences: Vec<i64> = leases.iter().map(|l| l.fence).collect();
        self.store
            .client()
            .await?
            .execute(
                "UPDATE msgraph_mailboxes SET owner = NULL, lease_expires = NULL WHERE owner = $1 AND fence = ANY($2)",
                &[&self.id, &fences],
            )
            .await
            .map_err(|e| pg_error("releasing leases", e))
    }

    /// Gives back every lease this worker holds (on shutdown, after the last
    /// commit).
    pub async fn release_all(&self) -> Result<u64> {
        self.store
            .client()
            .await?
            .execute("UPDATE msgraph_mailboxes SET owner = NULL, lease_expires = NULL WHERE owner = $1", &[&self.id])
            .await
            .map_err(|e| pg_error("releasing leases", e))
    }

    /// Renews this worker's leases every `every` in a background task (see
    /// [`renew_all`](Self::renew_all)) until the [`Heartbeat`] is stopped or
    /// dropped. Errors are logged and retried at the next beat.
    pub fn heartbeat(&self, every: Duration) -> Heartbeat {
        let (tx, rx) = watch::channel(Vec::new());
        let worker = self.clone();
        let task = tokio::spawn(async move {
            let mut tick = tokio::time::interval(every.max(Duration::from_millis(10)));
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                match worker.renew_all().await {
                    Ok(held) => {
                        if tx.send(held).is_err() {
                            break;
                        }
                    }
                    Err(e) => tracing::warn!(worker = %worker.id, error = %e, "lease heartbeat failed"),
                }
            }
        });
        Heartbeat { task, held: rx }
    }

    /// Listens, on a connection of its own, for the notifications
    /// [`PostgresStore::notify`] sends to the mailboxes this worker holds.
    /// Listen before claiming; after [`Notifications::recv`] answers `None`
    /// (the connection closed) listen again and run a round for each held
    /// mailbox, since notifications may have been missed.
    pub async fn listen(&self) -> Result<Notifications> {
        let (tx, rx) = mpsc::unbounded_channel();
        let client = self.store.open(Some(tx)).await?;
        let channel: String = client
            .query_one("SELECT 'msgraph_w_' || md5($1::text)", &[&self.id])
            .await
            .and_then(|r| r.try_get(0))
            .map_err(|e| pg_error("naming the notification channel", e))?;
        // `channel` is `msgraph_w_` and 32 hex digits: safe to quote.
        client.batch_execute(&format!("LISTEN \"{channel}\"")).await.map_err(|e| pg_error("listening", e))?;
        Ok(Notifications { _client: client, rx })
    }
}

/// The background renewal from [`LeaseWorker::heartbeat`]; stops when
/// dropped.
#[derive(Debug)]
pub struct Heartbeat {
    task: tokio::task::JoinHandle<()>,
    held: watch::Receiver<Vec<Lease>>,
}

impl Heartbeat {
    /// The leases the last successful beat renewed.
    pub fn held(&self) -> Vec<Lease> {
        self.held.borrow().clone()
    }

    /// Stops renewing.
    pub fn stop(self) {
        self.task.abort();
    }
}

impl Drop for Heartbeat {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A notification for a mailbox this worker holds.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[non_exhaustive]
pub struct MailboxNotification {
    /// The mailbox.
    pub mailbox: String,
    /// What the sender passed to [`PostgresStore::notify`].
    pub payload: String,
}

/// The notifications of one worker, from [`LeaseWorker::listen`].
#[derive(Debug)]
pub struct Notifications {
    _client: Client,
    rx: mpsc::UnboundedReceiver<tokio_postgres::Notification>,
}

impl Notifications {
    /// The next notification; `None` once the connection closed.
    pub async fn recv(&mut self) -> Option<MailboxNotification> {
        loop {
            let n = self.rx.recv().await?;
            match serde_json::from_str(n.payload()) {
                Ok(m) => return Some(m),
                Err(e) => tracing::warn!(error = %e, "ignoring a notification that is not ours"),
            }
        }
    }
}

/// The state of one leased mailbox in a [`PostgresStore`]: a
/// [`DeltaStore`] and [`WatchStore`] whose keys live under the mailbox
/// ([`PostgresStore::mailbox_key`]) and whose every write carries the
/// lease's fencing token. A write after the lease moved is refused with
/// [`StoreErrorKind::LeaseLost`] and changes nothing. From
/// [`PostgresStore::fenced`].
#[derive(Debug, Clone)]
pub struct FencedStore {
    store: PostgresStore,
    lease: Lease,
}

impl FencedStore {
    /// The lease the writes carry.
    pub fn lease(&self) -> &Lease {
        &self.lease
    }

    fn key(&self, key: &str) -> String {
        PostgresStore::mailbox_key(&self.lease.mailbox, key)
    }

    /// Runs a fenced statement: `$1..$3` are the lease, the statement
    /// answers the number of matching lease rows.
    async fn fenced(&self, what: &str, sql: &str, rest: &[&(dyn tokio_postgres::types::ToSql + Sync)]) -> Result<()> {
        let mut params: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> =
            vec![&self.lease.mailbox, &self.lease.fence, &self.lease.owner];
        params.extend_from_slice(rest);
        let row = self.store.client().await?.query_one(sql, &params).await.map_err(|e| pg_error(what, e))?;
        let held: i64 = row.try_get(0).map_err(|e| pg_error(what, e))?;
        if held == 0 {
            return Err(StoreError::new(
                StoreErrorKind::LeaseLost,
                format!(
                    "{what} for {} refused: the lease with fencing token {} is no longer {}'s",
                    self.lease.mailbox, self.lease.fence, self.lease.owner
                ),
            )
            .into());
        }
        Ok(())
    }
}

const LEASE_CTE: &str = "WITH lease AS (
    SELECT 1 FROM msgraph_mailboxes WHERE mailbox = $1::text AND fence = $2::bigint AND owner = $3::text FOR SHARE)";

#[async_trait]
impl DeltaStore for FencedStore {
    async fn load(&self, key: &str) -> Result<Option<String>> {
        DeltaStore::load(&self.store, &self.key(key)).await
    }

    async fn save(&self, key: &str, delta_link: &str) -> Result<()> {
        let sql = format!(
            "{LEASE_CTE}, w AS (
                 INSERT INTO msgraph_agent_state (key, value, updated_at) SELECT $4::text, $5::text, now() FROM lease
                 ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now() RETURNING 1)
             SELECT count(*) FROM lease"
        );
        self.fenced("saving a delta token", &sql, &[&self.key(key), &delta_link]).await
    }

    async fn remove(&self, key: &str) -> Result<()> {
        let sql = format!(
            "{LEASE_CTE}, d AS (
                 DELETE FROM msgraph_agent_state WHERE key = $4::text AND EXISTS (SELECT 1 FROM lease) RETURNING 1)
             SELECT count(*) FROM lease"
        );
        self.fenced("removing a delta token", &sql, &[&self.key(key)]).await
    }
}

#[async_trait]
impl WatchStore for FencedStore {
    async fn load(&self, key: &str) -> Result<Option<WatchState>> {
        load_watch(&self.store, &self.key(key)).await
    }

    async fn save(&self, key: &str, state: &WatchState) -> Result<()> {
        let sql = format!(
            "{LEASE_CTE}, w AS (
                 INSERT INTO msgraph_watch_state (key, subscription_id, expires, client_state, resource, updated_at)
                 SELECT $4::text, $5::text, $6::timestamptz, $7::text, $8::text, now() FROM lease
                 ON CONFLICT (key) DO UPDATE SET subscription_id = EXCLUDED.subscription_id,
                     expires = EXCLUDED.expires, client_state = EXCLUDED.client_state,
                     resource = EXCLUDED.resource, updated_at = now() RETURNING 1)
             SELECT count(*) FROM lease"
        );
        let key = self.key(key);
        self.fenced(
            "saving a watch state",
            &sql,
            &[&key, &state.subscription_id, &state.expires, &state.client_state, &state.resource],
        )
        .await
    }

    async fn remove(&self, key: &str) -> Result<()> {
        let sql = format!(
            "{LEASE_CTE}, d AS (
                 DELETE FROM msgraph_watch_state WHERE key = $4::text AND EXISTS (SELECT 1 FROM lease) RETURNING 1)
             SELECT count(*) FROM lease"
        );
        self.fenced("removing a watch state", &sql, &[&self.key(key)]).await
    }
}
