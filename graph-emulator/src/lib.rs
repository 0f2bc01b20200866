//! # msgraph-emulator
//!
//! A stateful, offline Microsoft Graph on `127.0.0.1`: mail, mail folders,
//! categories, mailbox settings, calendars and events, users, `$batch`, and
//! the identity endpoints a device-code, client-credentials or refresh-token
//! sign-in needs. It is built from Graph's documented behaviour (paths,
//! payloads, OData query options, paging, delta tokens, error bodies,
//! throttling), not from any SDK's client code, so it can catch a client's
//! mistakes instead of sharing them.
//!
//! It starts with a demo tenant (Contoso, Adele Vance signed in; see
//! [`demo`]): an inbox with a few dozen messages in threaded conversations
//! with real `conversationIndex` values, sent items, child folders,
//! categories, mailbox settings, and a calendar with single and recurring
//! events. The content is deterministic: only the dates move with the day
//! the emulator starts (see [`EmulatorBuilder::anchor`]).
//!
//! ```no_run
//! # async fn demo() -> Result<(), msgraph_emulator::Error> {
//! use msgraph_emulator::{Emulator, Fault, Throttling, demo};
//!
//! let emulator = Emulator::start().await?;
//! println!("Graph at {}", emulator.base_url()); // http://127.0.0.1:PORT/v1.0
//!
//! // A token without going through the device code flow.
//! let token = emulator.issue_token(demo::USER_UPN)?;
//!
//! // Make the next two GETs of /me/messages fail with 503.
//! emulator.inject_fault(Fault::new("/me/messages", 503).times(2).retry_after(1));
//! // Throttle every mailbox to 5 requests per second, bursts of 10.
//! emulator.set_throttling(Some(Throttling::new(5.0, 10)));
//!
//! // Look at what the server holds.
//! let unread = emulator
//!     .messages(demo::USER_UPN, "inbox")?
//!     .into_iter()
//!     .filter(|m| m["isRead"] == false)
//!     .count();
//! println!("{unread} unread, token {token}");
//! emulator.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! From any language: `cargo run -p msgraph-emulator -- --port 8080` prints
//! the base URL and the demo credentials.
//!
//! ## What differs from Graph
//!
//! - Permissions (scopes) are not enforced; a delegated token reaches its
//!   own mailbox only, an app-only token reaches every mailbox.
//! - Time zones come from a built-in table of common zones with fixed DST
//!   rules (US/Canada, EU, Australia, New Zealand), not a tz database.
//! - Not implemented (501 `NotImplemented`): mail folder delta
//!   (`mailFolders/delta`), updating a single occurrence of a series.
//! - Change notifications go to loopback `http` URLs only; failed batches
//!   are retried for 30 s by default (Graph: up to 4 hours), see
//!   [`NotificationSettings`]. Resource data (`includeResourceData`) is
//!   encrypted for the subscription's certificate as Graph does, for
//!   messages and events; the batch's `validationTokens` are signed with
//!   the emulator's own key, published at `GET /{tenant}/discovery/v2.0/keys`
//!   (point `HttpKeySource` there instead of the identity platform).
//! - OneDrive: one business drive per user (no sites or group drives);
//!   pre-authenticated URLs (uploads, downloads, thumbnails, copy monitors)
//!   live on the same socket under the other loopback name (`localhost` /
//!   `127.0.0.1`) and refuse any `Authorization` header.
//! - To Do: no moving a task between lists, no next occurrence when a
//!   recurring task is completed, no shared lists or open extensions, and
//!   "Flagged emails" is seeded, not kept in step with flagged messages.
//! - OneNote: pages are kept as a simplified element tree, not OneNote's
//!   page model: the output HTML keeps the input's markup (no per-element
//!   default styles, no `data-render-src` rendering, no downloaded
//!   `src` URLs); `search` is refused as on work accounts; no groups or
//!   sites; page copies complete on the third status read.

#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// The README's Rust snippets are compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

mod context;
mod drive_handle;
mod errors;
mod faults;
mod fleet;
mod notify;
mod odata;
mod onenote_handle;
mod routes;
mod server;
mod state;
mod throttle;
mod time;
mod todo_handle;

use std::net::{Ipv4Addr, SocketAddr};
use std::ops::Deref;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use crate::context::RecordedRequest;
pub use crate::errors::{Error, Result};
pub use crate::faults::Fault;
pub use crate::fleet::fleet_user;
pub use crate::state::auth::DeviceCodeOutcome;
pub use crate::state::conversation_index::ConversationIndex;
pub use crate::state::subscriptions::{NotificationSettings, NotificationStats};
pub use crate::throttle::Throttling;

use crate::context::{Controls, Shared, lock};
use crate::state::auth::Principal;
use crate::state::calendar::{EVENT_WRITABLE, OutZone, read_dttz, render_event};
use crate::state::mail::{MESSAGE_WRITABLE, render_message};
use crate::state::schema::check_body;
use crate::state::store::{Store, UserRec};

/// The demo tenant's fixed names, ids and credentials.
pub mod demo {
    /// Tenant (directory) id.
    pub const TENANT_ID: &str = "c0ffee00-1d3a-4b5c-9e8f-70a1b2c3d4e5";
    /// The tenant's domain; `/{tenant}/oauth2/...` accepts it, the tenant id,
    /// `common`, `organizations` and `consumers`.
    pub const TENANT_DOMAIN: &str = "contoso.com";
    /// A client id for the demo app. The device code flow accepts any client id.
    pub const CLIENT_ID: &str = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
    /// The client secret the client-credentials grant accepts.
    pub const CLIENT_SECRET: &str = "emulator-client-secret";
    /// The signed-in user: Adele Vance, mailbox time zone "Pacific Standard Time".
    pub const USER_UPN: &str = "AdeleV@contoso.com";
    /// Adele's user id.
    pub const USER_ID: &str = "4d2a6f1e-9b3c-4e8a-a1f2-6c7d8e9f0a1b";
    /// The second user: Alex Wilber, time zone "Eastern Standard Time".
    pub const SECOND_USER_UPN: &str = "AlexW@contoso.com";
    /// Alex's user id.
    pub const SECOND_USER_ID: &str = "7e3b9c2d-1a4f-4b6e-9c8d-2f1e0a9b8c7d";
    /// A third user: Megan Bowen, time zone "Pacific Standard Time".
    pub const THIRD_USER_UPN: &str = "MeganB@contoso.com";
    /// Megan's user id.
    pub const THIRD_USER_ID: &str = "2b8c4d6e-3f5a-4c7b-8d9e-0a1b2c3d4e5f";
}

/// Options for [`Emulator`]. Start with [`Emulator::builder`].
///
/// ```no_run
/// # async fn demo() -> Result<(), msgraph_emulator::Error> {
/// use std::time::Duration;
/// use msgraph_emulator::{Emulator, Throttling};
///
/// let emulator = Emulator::builder()
///     .port(8080)
///     .seed(true)
///     .throttling(Throttling::new(4.0, 8))
///     .latency(Duration::from_millis(20))
///     .start()
///     .await?;
/// # drop(emulator); Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct EmulatorBuilder {
    port: u16,
    seed: bool,
    throttling: Option<Throttling>,
    latency: Duration,
    anchor: Option<DateTime<Utc>>,
    token_lifetime: Duration,
    device_code_interval: u64,
    client_certificates: Vec<(String, Vec<u8>)>,
    fleet: fleet::FleetSeed,
}

impl Default for EmulatorBuilder {
    fn default() -> Self {
        EmulatorBuilder {
            port: 0,
            seed: true,
            throttling: None,
            latency: Duration::ZERO,
            anchor: None,
            token_lifetime: Duration::from_secs(3599),
            device_code_interval: 1,
            client_certificates: Vec::new(),
            fleet: fleet::FleetSeed::default(),
        }
    }
}

impl EmulatorBuilder {
    /// Default options: a free port, the demo data, no throttling, no latency.
    pub fn new() -> Self {
        EmulatorBuilder::default()
    }

    /// Listen on this port of 127.0.0.1 (0, the default, picks a free one).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Seed the demo mail and calendars (default `true`). Without it the
    /// tenant still has its users, with empty mailboxes (folders, a default
    /// calendar and settings only).
    pub fn seed(mut self, seed: bool) -> Self {
        self.seed = seed;
        self
    }

    /// Throttle each mailbox (see [`EmulatorHandle::set_throttling`]).
    pub fn throttling(mut self, throttling: Throttling) -> Self {
        self.throttling = Some(throttling);
        self
    }

    /// Add this delay to every request.
    pub fn latency(mut self, latency: Duration) -> Self {
        self.latency = latency;
        self
    }

    /// The instant the demo data is laid out around (mail in the days before
    /// it, events around it). Default: the start of the current UTC day.
    /// Fix it in tests that assert on dates.
    pub fn anchor(mut self, anchor: DateTime<Utc>) -> Self {
        self.anchor = Some(anchor);
        self
    }

    /// Lifetime of issued access tokens (default 3599 s, like the identity platform).
    pub fn token_lifetime(mut self, lifetime: Duration) -> Self {
        self.token_lifetime = lifetime;
        self
    }

    /// The `interval` device code answers carry, seconds (default 1; the
    /// identity platform says 5, which makes demos slow).
    pub fn device_code_interval(mut self, secs: u64) -> Self {
        self.device_code_interval = secs;
        self
    }

    /// Registers a client certificate (PEM or DER) for `client_id`: the
    /// client-credentials grant then accepts client assertions signed with
    /// its key (see [`EmulatorHandle::add_client_certificate`]). `start`
    /// fails if it is not an RSA X.509 certificate.
    pub fn client_certificate(mut self, client_id: &str, certificate: impl Into<Vec<u8>>) -> Self {
        self.client_certificates.push((client_id.to_owned(), certificate.into()));
        self
    }

    /// Binds 127.0.0.1 and starts serving on the current Tokio runtime.
    pub async fn start(self) -> Result<Emulator> {
        let mut certs = Vec::new();
        for (client_id, cert) in &self.client_certificates {
            certs.push(state::certs::ClientCert::parse(client_id, cert).map_err(Error::InvalidInput)?);
        }
        let listener = tokio::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, self.port))).await?;
        let addr = listener.local_addr()?;
        let anchor = self.anchor.unwrap_or_else(|| state::seed::default_anchor(Utc::now()));
        let mut store = Store::new(demo::TENANT_ID, anchor);
        store.auth.token_lifetime = self.token_lifetime.as_secs() as i64;
        store.auth.device_interval = self.device_code_interval;
        for cert in certs {
            store.auth.add_client_cert(cert);
        }
        state::seed::add_demo_users(&mut store);
        store.drive.demo_content = self.seed;
        if self.seed {
            state::seed::seed_demo_data(&mut store);
            state::todo::seed(&mut store);
        }
        fleet::seed(&mut store, &self.fleet);
        let shared = Arc::new(Shared {
            store: std::sync::Mutex::new(store),
            controls: std::sync::Mutex::new(Controls {
                faults: Default::default(),
                latency: self.latency,
                throttler: throttle::Throttler::new(self.throttling),
                log: Default::default(),
            }),
            addr,
            counter: AtomicU64::new(1),
        });
        let app = server::router(shared.clone());
        let (tx, rx) = oneshot::channel::<()>();
        // Change notifications go out from a task of their own, which ends with the server.
        let notifier = notify::spawn(shared.clone());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = rx.await;
                })
                .await;
            notifier.abort();
        });
        Ok(Emulator { handle: EmulatorHandle { shared }, shutdown: Some(tx), task: Some(task) })
    }
}

/// A running emulator. It stops when dropped or [`shutdown`](Emulator::shutdown).
///
/// It dereferences to its [`EmulatorHandle`], so every control and
/// inspection method is available on it directly.
///
/// ```no_run
/// # async fn demo() -> Result<(), msgraph_emulator::Error> {
/// let emulator = msgraph_emulator::Emulator::start().await?;
/// let base = emulator.base_url(); // give this to your Graph client
/// # let _ = base; Ok(()) }
/// ```
#[derive(Debug)]
pub struct Emulator {
    handle: EmulatorHandle,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl Emulator {
    /// Starts an emulator with the demo tenant on a free port of 127.0.0.1.
    pub async fn start() -> Result<Emulator> {
        EmulatorBuilder::new().start().await
    }

    /// Options for starting one.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::new()
    }

    /// A cloneable handle that stays usable from other tasks.
    pub fn handle(&self) -> EmulatorHandle {
        self.handle.clone()
    }

    /// Stops accepting connections and waits for the server task to end.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Deref for Emulator {
    type Target = EmulatorHandle;

    fn deref(&self) -> &EmulatorHandle {
        &self.handle
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// Controls and inspects a running emulator: URLs, tokens, faults,
/// latency, throttling, seed data and state. Cheap to clone.
#[derive(Debug, Clone)]
pub struct EmulatorHandle {
    shared: Arc<Shared>,
}

impl EmulatorHandle {
    /// The socket address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.shared.addr
    }

    /// The Graph service root, version included: `http://127.0.0.1:PORT/v1.0`.
    pub fn base_url(&self) -> String {
        format!("http://{}/v1.0", self.shared.addr)
    }

    /// The identity authority: `http://127.0.0.1:PORT` (token endpoints are
    /// `{authority}/{tenant}/oauth2/v2.0/token` and `.../devicecode`).
    pub fn authority_url(&self) -> String {
        format!("http://{}", self.shared.addr)
    }

    /// The demo tenant's id.
    pub fn tenant_id(&self) -> String {
        lock(&self.shared.store).tenant_id.clone()
    }

    // ---------------------------------------------------------------- identity

    /// A delegated access token for a user (UPN, mail or id), without the
    /// device code flow. Valid for the configured token lifetime.
    pub fn issue_token(&self, user: &str) -> Result<String> {
        let mut store = lock(&self.shared.store);
        let id = store.user(user).map(|u| u.id.clone()).ok_or_else(|| Error::NotFound(format!("user {user}")))?;
        Ok(store.issue_access_token(
            Principal::User(id),
            demo::CLIENT_ID,
            "User.Read Mail.ReadWrite Mail.Send Calendars.ReadWrite",
            Utc::now(),
        ))
    }

    /// An app-only access token (as client credentials would give): it must
    /// use `/users/{id}` paths; `/me` answers 400 as on Graph.
    pub fn issue_app_token(&self) -> String {
        lock(&self.shared.store).issue_access_token(
            Principal::App(demo::CLIENT_ID.to_owned()),
            demo::CLIENT_ID,
            "https://graph.microsoft.com/.default",
            Utc::now(),
        )
    }

    /// Registers a client certificate (PEM `-----BEGIN CERTIFICATE-----` or
    /// DER, RSA keys of 2048 bits or more) for `client_id`, as uploading it
    /// to an app registration does. The client-credentials grant checks a
    /// `client_assertion` against the certificates of its client: JWT
    /// structure, `alg` RS256 or PS256, `x5t#S256` (or `x5t`) naming one of
    /// them, the signature, `aud` = the token endpoint URL, `iss` = `sub` =
    /// the client id, and `nbf`/`exp` (5 minutes of skew). An assertion from
    /// a client without a matching certificate gets 401 `invalid_client`
    /// (AADSTS700027). Returns the certificate's `x5t#S256` thumbprint.
    pub fn add_client_certificate(&self, client_id: &str, certificate: &[u8]) -> Result<String> {
        let cert = state::certs::ClientCert::parse(client_id, certificate).map_err(Error::InvalidInput)?;
        let thumbprint = cert.x5t_s256.clone();
        lock(&self.shared.store).auth.add_client_cert(cert);
        Ok(thumbprint)
    }

    /// Makes every issued access token expired (Graph then answers 401
    /// "Lifetime validation failed"); refresh tokens keep working.
    pub fn expire_tokens(&self) {
        let now = Utc::now();
        for t in lock(&self.shared.store).auth.tokens.values_mut() {
            t.expires_at = now;
        }
    }

    /// Revokes every refresh token (the next refresh gets `invalid_grant`).
    pub fn revoke_refresh_tokens(&self) {
        lock(&self.shared.store).auth.refresh.clear();
    }

    /// Which user the device code flow signs in (default: the first user, Adele).
    pub fn set_sign_in_user(&self, user: &str) -> Result<()> {
        let mut store = lock(&self.shared.store);
        let id = store.user(user).map(|u| u.id.clone()).ok_or_else(|| Error::NotFound(format!("user {user}")))?;
        store.auth.sign_in_user = Some(id);
        Ok(())
    }

    /// What the second poll of a device code gets (default: signed in).
    pub fn set_device_code_outcome(&self, outcome: DeviceCodeOutcome) {
        lock(&self.shared.store).auth.device_outcome = outcome;
    }

    // ---------------------------------------------------------- faults, limits

    /// Queues an injected failure (see [`Fault`]).
    pub fn inject_fault(&self, fault: Fault) {
        lock(&self.shared.controls).faults.add(fault);
    }

    /// Drops every pending fault.
    pub fn clear_faults(&self) {
        lock(&self.shared.controls).faults.clear();
    }

    /// How many injected failures are still to be served.
    pub fn pending_faults(&self) -> u32 {
        lock(&self.shared.controls).faults.remaining()
    }

    /// Adds this delay to every request (zero to turn it off).
    pub fn set_latency(&self, latency: Duration) {
        lock(&self.shared.controls).latency = latency;
    }

    /// Throttles every mailbox with a token bucket (`None` turns it off).
    /// Requests over the limit get 429 with `Retry-After` in whole seconds.
    pub fn set_throttling(&self, throttling: Option<Throttling>) {
        lock(&self.shared.controls).throttler.set(throttling);
    }

    /// How many requests were answered 429 by throttling so far.
    pub fn throttled_count(&self) -> u64 {
        lock(&self.shared.controls).throttler.throttled_count()
    }

    /// Forgets every delta and skip token: the next use of one gets 410 Gone
    /// `syncStateNotFound`, as when Graph's sync state expires.
    pub fn expire_delta_tokens(&self) {
        let mut store = lock(&self.shared.store);
        store.delta.clear();
        store.drive.clear_tokens();
        store.todo.clear_tokens();
    }

    /// How many delta and skip tokens are live.
    pub fn delta_token_count(&self) -> usize {
        let store = lock(&self.shared.store);
        store.delta.len() + store.drive.token_count() + store.todo.token_count()
    }

    /// The requests served so far (the last 10 000, and at most 16 MiB of
    /// them: header values, paths and queries over 4 KiB are cut), oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.shared.controls).log.iter().cloned().collect()
    }

    /// Empties the request log.
    pub fn clear_requests(&self) {
        lock(&self.shared.controls).log.clear();
    }

    // ------------------------------------------------------------------ state

    /// Every user, as `GET /users/{id}` returns them.
    pub fn users(&self) -> Vec<Value> {
        let store = lock(&self.shared.store);
        store
            .users
            .iter()
            .map(|u| {
                let mut o = u.profile.clone();
                o.insert("id".into(), Value::String(u.id.clone()));
                Value::Object(o)
            })
            .collect()
    }

    fn user_id(store: &Store, user: &str) -> Result<String> {
        store.user(user).map(|u| u.id.clone()).ok_or_else(|| Error::NotFound(format!("user {user}")))
    }

    /// Adds a user with an empty mailbox (folders, default calendar,
    /// settings in `time_zone`). Returns the new user's id.
    pub fn add_user(&self, upn: &str, display_name: &str, time_zone: &str) -> Result<String> {
        let mut store = lock(&self.shared.store);
        if store.user(upn).is_some() {
            return Err(Error::InvalidInput(format!("user {upn} already exists")));
        }
        if !upn.contains('@') {
            return Err(Error::InvalidInput(format!("{upn} is not a user principal name")));
        }
        let id = store.ids.guid();
        let (given, surname) = display_name.split_once(' ').unwrap_or((display_name, ""));
        let profile = serde_json::json!({
            "businessPhones": [],
            "displayName": display_name,
            "givenName": given,
            "jobTitle": Value::Null,
            "mail": upn,
            "mobilePhone": Value::Null,
            "officeLocation": Value::Null,
            "preferredLanguage": "en-US",
            "surname": surname,
            "userPrincipalName": upn,
        });
        let rec = UserRec {
            id: id.clone(),
            upn: upn.to_owned(),
            mail: upn.to_owned(),
            display_name: display_name.to_owned(),
            profile: profile.as_object().cloned().unwrap_or_default(),
        };
        Ok(store.add_user(rec, time_zone))
    }

    /// The messages of a folder (id or well-known name such as `inbox`), as
    /// Graph renders them, newest first.
    pub fn messages(&self, user: &str, folder: &str) -> Result<Vec<Value>> {
        let store = lock(&self.shared.store);
        let uid = Self::user_id(&store, user)?;
        let mb = store.mailbox(&uid).map_err(|e| Error::NotFound(e.message))?;
        let fid = mb.folder(folder).map_err(|_| Error::NotFound(format!("folder {folder}")))?.id.clone();
        let mut list: Vec<Value> = mb
            .messages
            .iter()
            .filter(|m| m.folder_id == fid)
            .map(|m| render_message(m, None, Default::default()))
            .collect();
        list.sort_by(|a, b| b["receivedDateTime"].as_str().cmp(&a["receivedDateTime"].as_str()));
        Ok(list)
    }

    /// One message by id, as Graph renders it.
    pub fn message(&self, user: &str, id: &str) -> Result<Value> {
        let store = lock(&self.shared.store);
        let uid = Self::user_id(&store, user)?;
        let mb = store.mailbox(&uid).map_err(|e| Error::NotFound(e.message))?;
        let i = mb.message_index(id).map_err(|_| Error::NotFound(format!("message {id}")))?;
        Ok(render_message(&mb.messages[i], None, Default::default()))
    }

    /// Every mail folder of a mailbox (the whole tree, root first), with counts.
    pub fn folders(&self, user: &str) -> Result<Vec<Value>> {
        let store = lock(&self.shared.store);
        let uid = Self::user_id(&store, user)?;
        let mb = store.mailbox(&uid).map_err(|e| Error::NotFound(e.message))?;
        Ok(mb
            .folders
            .iter()
            .map(|f| {
                let mut v = routes::folders::render_folder(mb, f);
                if let Some(wk) = f.well_known {
                    v["wellKnownName"] = Value::String(wk.to_owned());
                }
                v
            })
            .collect())
    }

    /// Every event of a mailbox (single instances and series masters, all
    /// calendars), start and end in UTC.
    pub fn events(&self, user: &str) -> Result<Vec<Value>> {
        let store = lock(&self.shared.store);
        let uid = Self::user_id(&store, user)?;
        let mb = store.mailbox(&uid).map_err(|e| Error::NotFound(e.message))?;
        Ok(mb.events.iter().map(|e| render_event(e, None, &OutZone::default())).collect())
    }

    /// The mailbox settings of a user.
    pub fn mailbox_settings(&self, user: &str) -> Result<Value> {
        let store = lock(&self.shared.store);
        let uid = Self::user_id(&store, user)?;
        Ok(Value::Object(store.mailbox(&uid).map_err(|e| Error::NotFound(e.message))?.settings.clone()))
    }

    /// Puts a message straight into a folder, as if it had arrived: Graph
    /// JSON (`subject`, `body`, `from`, `toRecipients`, `isRead`, `flag`,
    /// `categories`, `receivedDateTime`, `conversationId`, ...). Returns its id.
    /// Delta queries on the folder report it as created.
    pub fn add_message(&self, user: &str, folder: &str, message: Value) -> Result<String> {
        let Value::Object(mut obj) = message else {
            return Err(Error::InvalidInput("a message must be a JSON object".into()));
        };
        let mut extra = Map::new();
        for k in
            ["receivedDateTime", "sentDateTime", "createdDateTime", "isDraft", "conversationId", "conversationIndex"]
        {
            if let Some(v) = obj.remove(k) {
                extra.insert(k.to_owned(), v);
            }
        }
        let mut data = check_body(&obj, MESSAGE_WRITABLE, "message").map_err(|e| Error::InvalidInput(e.message))?;
        for (k, v) in extra {
            data.insert(k, v);
        }
        data.entry("isRead").or_insert(Value::Bool(false));
        let now = Utc::now();
        let mut store = lock(&self.shared.store);
        let uid = Self::user_id(&store, user)?;
        let fid = store
            .mailbox(&uid)
            .and_then(|mb| mb.folder(folder))
            .map_err(|_| Error::NotFound(format!("folder {folder}")))?
            .id
            .clone();
        let attachments = match data.remove("attachments") {
            Some(Value::Array(list)) => list
                .iter()
                .map(|a| state::mail::parse_attachment(&mut store, a, now))
                .collect::<std::result::Result<Vec<_>, _>>()
                .map_err(|e| Error::InvalidInput(e.message))?,
            _ => Vec::new(),
        };
        store.put_message(&uid, &fid, data, attachments, now).map_err(|e| Error::InvalidInput(e.message))
    }

    /// Adds an event to a user's default calendar from Graph JSON (`subject`,
    /// `start`, `end` with `timeZone`, `recurrence`, `attendees`, ...).
    /// Returns its id.
    pub fn add_event(&self, user: &str, event: Value) -> Result<String> {
        let Value::Object(obj) = event else {
            return Err(Error::InvalidInput("an event must be a JSON object".into()));
        };
        let mut data = check_body(&obj, EVENT_WRITABLE, "event").map_err(|e| Error::InvalidInput(e.message))?;
        let start = data.remove("start").ok_or_else(|| Error::InvalidInput("start is required".into()))?;
        let end = data.remove("end").ok_or_else(|| Error::InvalidInput("end is required".into()))?;
        let start = read_dttz(&start, "start").map_err(|e| Error::InvalidInput(e.message))?;
        let end = read_dttz(&end, "end").map_err(|e| Error::InvalidInput(e.message))?;
        if let Some(rec) = data.get("recurrence") {
            state::calendar::check_recurrence(rec).map_err(|e| Error::InvalidInput(e.message))?;
        }
        let mut store = lock(&self.shared.store);
        let uid = Self::user_id(&store, user)?;
        let cal = store
            .mailbox(&uid)
            .ok()
            .and_then(|mb| mb.default_calendar())
            .map(|c| c.id.clone())
            .ok_or_else(|| Error::NotFound("default calendar".into()))?;
        let now = Utc::now();
        let id =
            store.put_event(&uid, &cal, data, start, end, None, now).map_err(|e| Error::InvalidInput(e.message))?;
        store.invite_attendees(&uid, &id, now).map_err(|e| Error::InvalidInput(e.message))?;
        Ok(id)
    }

    /// Replaces part of a user's mailbox settings (JSON object merged in).
    pub fn set_mailbox_settings(&self, user: &str, settings: Value) -> Result<()> {
        let Value::Object(obj) = settings else {
            return Err(Error::InvalidInput("settings must be a JSON object".into()));
        };
        let mut store = lock(&self.shared.store);
        let uid = Self::user_id(&store, user)?;
        let mb = store.mailbox_mut(&uid).map_err(|e| Error::NotFound(e.message))?;
        for (k, v) in obj {
            mb.settings.insert(k, v);
        }
        Ok(())
    }
}
