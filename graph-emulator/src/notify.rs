//! The notifier: delivers change notifications and lifecycle notifications
//! to subscribers' URLs, the way Graph's webhooks do
//! (<https://learn.microsoft.com/graph/change-notifications-delivery-webhooks>,
//! <https://learn.microsoft.com/graph/change-notifications-lifecycle-events>).
//!
//! A background task looks at the store a few dozen times a second. When
//! the store's change number moved, it compares each subscription's
//! resource with the snapshot it kept and turns the difference into
//! `created` / `updated` / `deleted` notifications; those, and queued
//! lifecycle events, are grouped by URL into batches (`{"value": [...]}`)
//! and POSTed by delivery tasks, never under the store lock. A batch
//! answered with anything but 2xx (or not at all within the delivery
//! timeout) is sent again with a doubling wait, for a bounded time; then it
//! is dropped, and a `missed` lifecycle notification is queued for each of
//! its subscriptions that has a lifecycle URL.
//!
//! The emulator only speaks plain HTTP/1.1 to loopback addresses; the
//! small client below is all it needs (no TLS, no proxies).

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio::task::{JoinHandle, JoinSet};
use tokio::time::Instant;

use crate::context::{Shared, lock};
use crate::state::ids::guid;
use crate::state::resource_data::validation_token;
use crate::state::store::Store;
use crate::state::subscriptions::{
    CREATED, DELETED, NotificationSettings, NotificationStats, Outgoing, UPDATED, fingerprint, render, resource_json,
    resource_of, rfc3339_millis, snapshot,
};
use crate::{EmulatorHandle, Error, Result};

/// How often the notifier looks for changes.
const TICK: Duration = Duration::from_millis(20);
/// The longest wait between two retries of a batch.
const MAX_RETRY_WAIT: Duration = Duration::from_secs(5);
/// The largest answer the client reads.
const MAX_RESPONSE: usize = 1 << 20;

// ----------------------------------------------------------------------------------------------
// A minimal HTTP/1.1 client for loopback URLs
// ----------------------------------------------------------------------------------------------

/// What a receiver answered.
#[derive(Debug, Clone)]
pub(crate) struct HttpAnswer {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

/// Whether a URL may receive notifications from the emulator: `http` to
/// 127.0.0.0/8, `::1` or `localhost`.
pub(crate) fn loopback_url(raw: &str) -> std::result::Result<url::Url, String> {
    let url = url::Url::parse(raw).map_err(|_| format!("'{raw}' is not a URL"))?;
    if url.scheme() != "http" {
        return Err(format!(
            "NotificationUrl scheme='{}' is not supported by msgraph-emulator: it delivers over plain http to loopback addresses only",
            url.scheme()
        ));
    }
    let ok = match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    };
    if ok {
        Ok(url)
    } else {
        Err(format!(
            "msgraph-emulator delivers notifications to loopback addresses only (127.0.0.1, ::1, localhost), not '{}'",
            url.host_str().unwrap_or_default()
        ))
    }
}

/// POSTs `body` to a loopback URL and reads the answer, all within `timeout`.
pub(crate) async fn post(
    url: &url::Url,
    content_type: &str,
    body: &[u8],
    timeout: Duration,
) -> std::io::Result<HttpAnswer> {
    match tokio::time::timeout(timeout, post_inner(url, content_type, body)).await {
        Ok(r) => r,
        Err(_) => Err(std::io::Error::new(std::io::ErrorKind::TimedOut, "the receiver did not answer in time")),
    }
}

async fn post_inner(url: &url::Url, content_type: &str, body: &[u8]) -> std::io::Result<HttpAnswer> {
    let host = url.host_str().unwrap_or("127.0.0.1").trim_start_matches('[').trim_end_matches(']').to_owned();
    let port = url.port_or_known_default().unwrap_or(80);
    let stream = TcpStream::connect((host.as_str(), port)).await?;
    let mut target = url.path().to_owned();
    if let Some(q) = url.query() {
        target.push('?');
        target.push_str(q);
    }
    let host_header = match url.port() {
        Some(p) => format!("{}:{p}", url.host_str().unwrap_or_default()),
        None => url.host_str().unwrap_or_default().to_owned(),
    };
    let head = format!(
        "POST {target} HTTP/1.1\r\nHost: {host_header}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nUser-Agent: msgraph-emulator\r\nConnection: close\r\n\r\n",
        body.len()
    );
    write_all(&stream, head.as_bytes()).await?;
    write_all(&stream, body).await?;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        if let Some(answer) = parse_answer(&buf)? {
            return Ok(answer);
        }
        let n = read_some(&stream, &mut chunk).await?;
        if n == 0 {
            // The connection closed: whatever came is the body.
            return match parse_head(&buf)? {
                Some((status, content_type, start, _)) => {
                    Ok(HttpAnswer { status, content_type, body: buf[start..].to_vec() })
                }
                None => Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "no HTTP answer")),
            };
        }
        buf.extend_from_slice(&chunk[..n]);
        if buf.len() > MAX_RESPONSE {
            return Err(std::io::Error::other("the answer is too large"));
        }
    }
}

/// Writes all of `buf` (tokio's readiness API: no `io-util` feature needed).
async fn write_all(stream: &TcpStream, mut buf: &[u8]) -> std::io::Result<()> {
    while !buf.is_empty() {
        stream.writable().await?;
        match stream.try_write(buf) {
            Ok(n) => buf = &buf[n..],
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Reads what is there (0 at the end of the stream).
async fn read_some(stream: &TcpStream, buf: &mut [u8]) -> std::io::Result<usize> {
    loop {
        stream.readable().await?;
        match stream.try_read(buf) {
            Ok(n) => return Ok(n),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(e) => return Err(e),
        }
    }
}

enum Framing {
    Length(usize),
    Chunked,
    UntilClose,
}

fn bad(msg: &str) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, msg.to_owned())
}

/// An answer's status, content type, body offset and framing.
type Head = (u16, Option<String>, usize, Framing);

/// The head of an answer, once it is complete.
fn parse_head(buf: &[u8]) -> std::io::Result<Option<Head>> {
    let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else { return Ok(None) };
    let head = std::str::from_utf8(&buf[..end]).map_err(|_| bad("the answer's head is not text"))?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status: u16 =
        status_line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).ok_or_else(|| bad("no status"))?;
    let mut content_type = None;
    let mut framing = Framing::UntilClose;
    for line in lines {
        let Some((k, v)) = line.split_once(':') else { continue };
        let (k, v) = (k.trim().to_ascii_lowercase(), v.trim());
        match k.as_str() {
            "content-type" => content_type = Some(v.to_owned()),
            "content-length" => framing = Framing::Length(v.parse().map_err(|_| bad("bad Content-Length"))?),
            "transfer-encoding" if v.to_ascii_lowercase().contains("chunked") => framing = Framing::Chunked,
            _ => {}
        }
    }
    if (100..200).contains(&status) {
        // An interim answer (100 Continue): skip it, the real one follows.
        return match parse_head(&buf[end + 4..])? {
            Some((s, ct, start, f)) => Ok(Some((s, ct, start + end + 4, f))),
            None => Ok(None),
        };
    }
    Ok(Some((status, content_type, end + 4, framing)))
}

/// A complete answer, if `buf` holds one.
fn parse_answer(buf: &[u8]) -> std::io::Result<Option<HttpAnswer>> {
    let Some((status, content_type, start, framing)) = parse_head(buf)? else { return Ok(None) };
    let rest = &buf[start..];
    match framing {
        Framing::Length(n) if rest.len() >= n => {
            Ok(Some(HttpAnswer { status, content_type, body: rest[..n].to_vec() }))
        }
        Framing::Length(_) | Framing::UntilClose => Ok(None),
        Framing::Chunked => {
            let mut body = Vec::new();
            let mut pos = 0;
            loop {
                let Some(eol) = rest[pos..].windows(2).position(|w| w == b"\r\n") else { return Ok(None) };
                let size_text = std::str::from_utf8(&rest[pos..pos + eol]).map_err(|_| bad("bad chunk size"))?;
                let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
                    .map_err(|_| bad("bad chunk size"))?;
                pos += eol + 2;
                if size == 0 {
                    return Ok(Some(HttpAnswer { status, content_type, body }));
                }
                if rest.len() < pos + size + 2 {
                    return Ok(None);
                }
                body.extend_from_slice(&rest[pos..pos + size]);
                pos += size + 2;
            }
        }
    }
}

// ----------------------------------------------------------------------------------------------
// Validation of notification URLs
// ----------------------------------------------------------------------------------------------

/// Why a notification URL failed validation (Graph's 400s).
pub(crate) fn validation_error(code: &str, message: &str) -> crate::errors::GraphError {
    crate::errors::GraphError::new(axum::http::StatusCode::BAD_REQUEST, code, message)
}

/// Graph's validation request: POST `url?validationToken=...` (text/plain),
/// expecting `200`, `text/plain` and the decoded token back within `timeout`.
pub(crate) async fn validate(url: &str, timeout: Duration) -> crate::errors::ApiResult<()> {
    let mut parsed = loopback_url(url).map_err(|m| validation_error("InvalidRequest", &m))?;
    let token = format!(
        "Validation: Testing client application reachability for subscription Request-Id: {}",
        guid(Utc::now().timestamp_nanos_opt().unwrap_or_default() as u64)
    );
    parsed.query_pairs_mut().append_pair("validationToken", &token);
    let answer = match post(&parsed, "text/plain; charset=utf-8", b"", timeout).await {
        Ok(a) => a,
        Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {
            return Err(validation_error("InvalidRequest", "Subscription validation request timed out."));
        }
        Err(e) => {
            return Err(validation_error(
                "ValidationError",
                &format!(
                    "Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request. ({e})"
                ),
            ));
        }
    };
    if answer.status != 200 {
        return Err(validation_error(
            "ValidationError",
            "Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.",
        ));
    }
    let is_text =
        answer.content_type.as_deref().is_some_and(|ct| ct.trim().to_ascii_lowercase().starts_with("text/plain"));
    if !is_text || answer.body != token.as_bytes() {
        return Err(validation_error(
            "ValidationError",
            "Subscription validation request failed. Response must exactly match validationToken query parameter.",
        ));
    }
    Ok(())
}

// ----------------------------------------------------------------------------------------------
// The notifier task
// ----------------------------------------------------------------------------------------------

/// One POST to make.
#[derive(Debug)]
struct Batch {
    url: String,
    items: Vec<Outgoing>,
    /// `validationTokens`: one per app with resource data in the batch.
    tokens: Vec<String>,
}

/// Starts the notifier on the current runtime; it runs until aborted.
pub(crate) fn spawn(shared: Arc<Shared>) -> JoinHandle<()> {
    tokio::spawn(run(shared))
}

async fn run(shared: Arc<Shared>) {
    let wake = lock(&shared.store).subscriptions.wake.clone();
    // Deliveries live in this set: they end when the notifier is aborted.
    let mut deliveries = JoinSet::new();
    loop {
        tokio::select! {
            _ = wake.notified() => {}
            _ = tokio::time::sleep(TICK) => {}
        }
        while deliveries.try_join_next().is_some() {}
        let (batches, settings) = {
            let mut store = lock(&shared.store);
            (collect(&mut store), store.subscriptions.settings.clone())
        };
        for b in batches {
            deliveries.spawn(deliver(shared.clone(), b, settings.clone()));
        }
    }
}

/// Under the lock: expires subscriptions, turns changes into
/// notifications, drains the outbox, and groups everything into batches.
fn collect(store: &mut Store) -> Vec<Batch> {
    let now = Utc::now();
    store.subscriptions.subs.retain(|_, s| s.expires > now);
    let mut out: Vec<Outgoing> = std::mem::take(&mut store.subscriptions.outbox);
    let now_seen = fingerprint(store);
    if store.subscriptions.seen_seq != now_seen && !store.subscriptions.subs.is_empty() {
        let tenant = store.tenant_id.clone();
        let mut subs = std::mem::take(&mut store.subscriptions.subs);
        let mut changes = Vec::new();
        for rec in subs.values_mut() {
            let current = snapshot(store, &rec.target).unwrap_or_default();
            let mut found: Vec<(u64, u8, String, String)> = Vec::new();
            for (id, (seq, etag)) in &current {
                match rec.snapshot.get(id) {
                    None => found.push((*seq, CREATED, id.clone(), etag.clone())),
                    Some((old, _)) if old != seq => found.push((*seq, UPDATED, id.clone(), etag.clone())),
                    Some(_) => {}
                }
            }
            for (id, (seq, etag)) in &rec.snapshot {
                if !current.contains_key(id) {
                    found.push((*seq, DELETED, id.clone(), etag.clone()));
                }
            }
            found.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.2.cmp(&b.2)));
            rec.snapshot = current;
            for (_, kind, id, etag) in found {
                if rec.change_types & kind == 0 {
                    continue;
                }
                let change = match kind {
                    CREATED => "created",
                    UPDATED => "updated",
                    _ => "deleted",
                };
                let (resource, data) = resource_of(&rec.target, &id, &etag);
                let n = store.todo.ids.next_u64();
                let mut notification = json!({
                    "id": guid(n),
                    "subscriptionId": rec.id,
                    "subscriptionExpirationDateTime": rfc3339_millis(rec.expires),
                    "clientState": rec.client_state,
                    "changeType": change,
                    "resource": resource,
                    "tenantId": tenant,
                    "resourceData": data,
                });
                // Rich notifications: the item itself, encrypted for the
                // subscription's certificate (its key was read at creation,
                // so encrypting does not fail; if it did, the notification
                // would go without content, as a basic one).
                let mut token_for_app = None;
                if let Some(enc) = &rec.encryption
                    && kind != DELETED
                    && let Some(item) = resource_json(store, &rec.target, &id)
                    && let Ok(content) = enc.encrypt(&item)
                {
                    notification["encryptedContent"] = content;
                    token_for_app = Some(rec.application_id.clone());
                }
                changes.push(Outgoing {
                    url: rec.notification_url.clone(),
                    notification,
                    subscription_id: rec.id.clone(),
                    is_change: true,
                    token_for_app,
                });
            }
        }
        store.subscriptions.subs = subs;
        out.extend(changes);
    }
    store.subscriptions.seen_seq = now_seen;
    if !store.subscriptions.enabled {
        let dropped = out.iter().filter(|o| o.is_change).count() as u64;
        store.subscriptions.stats.suppressed_notifications += dropped;
        return Vec::new();
    }
    let max = store.subscriptions.settings.max_batch.max(1);
    let mut by_url: BTreeMap<String, Vec<Outgoing>> = BTreeMap::new();
    for o in out {
        by_url.entry(o.url.clone()).or_default().push(o);
    }
    let mut batches = Vec::new();
    let now = Utc::now().timestamp();
    for (url, items) in by_url {
        for chunk in items.chunks(max) {
            let apps: BTreeSet<&str> = chunk.iter().filter_map(|o| o.token_for_app.as_deref()).collect();
            let tokens = apps.into_iter().filter_map(|app| validation_token(app, &store.tenant_id, now)).collect();
            batches.push(Batch { url: url.clone(), items: chunk.to_vec(), tokens });
        }
    }
    batches
}

/// POSTs one batch, retrying with a doubling wait for `settings.retry_for`.
async fn deliver(shared: Arc<Shared>, batch: Batch, settings: NotificationSettings) {
    let mut body = json!({"value": batch.items.iter().map(|o| o.notification.clone()).collect::<Vec<_>>()});
    if !batch.tokens.is_empty() {
        body["validationTokens"] = json!(batch.tokens);
    }
    let body = body.to_string();
    let deadline = Instant::now() + settings.retry_for;
    let mut wait = settings.first_retry;
    let url = loopback_url(&batch.url);
    loop {
        let ok = match &url {
            Ok(u) => post(u, "application/json; charset=utf-8", body.as_bytes(), settings.delivery_timeout)
                .await
                .is_ok_and(|a| (200..300).contains(&a.status)),
            Err(_) => false,
        };
        {
            let mut guard = lock(&shared.store);
            let store: &mut Store = &mut guard;
            let subs = &mut store.subscriptions;
            if ok {
                subs.stats.delivered_batches += 1;
                subs.stats.delivered_notifications += batch.items.len() as u64;
                return;
            }
            subs.stats.failed_attempts += 1;
            if Instant::now() + wait > deadline || !subs.enabled {
                subs.stats.dropped_batches += 1;
                // Tell each subscription that lost change notifications, once.
                let mut told = HashSet::new();
                for o in batch.items.iter().filter(|o| o.is_change) {
                    if !told.insert(o.subscription_id.clone()) {
                        continue;
                    }
                    let missed = subs
                        .subs
                        .get(&o.subscription_id)
                        .and_then(|rec| subs.lifecycle(rec, &store.tenant_id, "missed"));
                    if let Some(m) = missed {
                        subs.outbox.push(m);
                    }
                }
                subs.wake.notify_one();
                return;
            }
        }
        tokio::time::sleep(wait).await;
        wait = (wait * 2).min(MAX_RETRY_WAIT);
    }
}

// ----------------------------------------------------------------------------------------------
// The handle's controls
// ----------------------------------------------------------------------------------------------

impl EmulatorHandle {
    fn queue_lifecycle(&self, id: &str, event: &str, remove: bool) -> Result<()> {
        let mut store = lock(&self.shared.store);
        let tenant = store.tenant_id.clone();
        let rec =
            store.subscriptions.subs.get(id).cloned().ok_or_else(|| Error::NotFound(format!("subscription {id}")))?;
        let outgoing = store.subscriptions.lifecycle(&rec, &tenant, event);
        if remove {
            store.subscriptions.subs.remove(id);
        } else if outgoing.is_none() {
            return Err(Error::InvalidInput(format!(
                "subscription {id} has no lifecycleNotificationUrl: Graph sends it no {event} notification"
            )));
        }
        if event == "reauthorizationRequired"
            && let Some(r) = store.subscriptions.subs.get_mut(id)
        {
            r.needs_reauthorization = true;
        }
        if let Some(o) = outgoing {
            store.subscriptions.outbox.push(o);
            store.subscriptions.wake.notify_one();
        }
        Ok(())
    }

    /// Sends a `reauthorizationRequired` lifecycle notification for a
    /// subscription (to its lifecycle URL); the subscription is flagged until
    /// it is reauthorized (`POST /subscriptions/{id}/reauthorize`) or renewed.
    /// Notifications keep flowing meanwhile.
    pub fn reauthorization_required(&self, subscription_id: &str) -> Result<()> {
        self.queue_lifecycle(subscription_id, "reauthorizationRequired", false)
    }

    /// Removes a subscription as Graph does when access to the resource
    /// changed: it is gone at once (`GET` answers 404) and a
    /// `subscriptionRemoved` lifecycle notification goes to its lifecycle URL,
    /// if it has one.
    pub fn remove_subscription(&self, subscription_id: &str) -> Result<()> {
        self.queue_lifecycle(subscription_id, "subscriptionRemoved", true)
    }

    /// Sends a `missed` lifecycle notification for a subscription, as Graph
    /// does when it could not deliver some notifications.
    pub fn miss_notifications(&self, subscription_id: &str) -> Result<()> {
        self.queue_lifecycle(subscription_id, "missed", false)
    }

    /// Switches the delivery of notifications off (a fault: an outage of
    /// Graph's notification service) or back on. While off, changes are
    /// noticed but their notifications are dropped, and lifecycle
    /// notifications too; subscriptions keep working otherwise.
    pub fn set_notifications_enabled(&self, enabled: bool) {
        let mut store = lock(&self.shared.store);
        store.subscriptions.enabled = enabled;
        store.subscriptions.wake.notify_one();
    }

    /// Lifetimes and delivery timings (see [`NotificationSettings`]).
    pub fn set_notification_settings(&self, settings: NotificationSettings) {
        lock(&self.shared.store).subscriptions.settings = settings;
    }

    /// The settings in force.
    pub fn notification_settings(&self) -> NotificationSettings {
        lock(&self.shared.store).subscriptions.settings.clone()
    }

    /// Every live subscription, as `GET /subscriptions/{id}` renders it.
    pub fn subscriptions(&self) -> Vec<Value> {
        let store = lock(&self.shared.store);
        let mut list: Vec<Value> = store.subscriptions.subs.values().map(render).collect();
        list.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
        list
    }

    /// True when a `reauthorizationRequired` notification was sent for the
    /// subscription and it was not reauthorized or renewed since.
    pub fn needs_reauthorization(&self, subscription_id: &str) -> Result<bool> {
        let store = lock(&self.shared.store);
        store
            .subscriptions
            .subs
            .get(subscription_id)
            .map(|s| s.needs_reauthorization)
            .ok_or_else(|| Error::NotFound(format!("subscription {subscription_id}")))
    }

    /// Delivery counters.
    pub fn notification_stats(&self) -> NotificationStats {
        lock(&self.shared.store).subscriptions.stats
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_parsed_with_any_framing() {
        let a = parse_answer(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello")
            .unwrap()
            .unwrap();
        assert_eq!((a.status, a.content_type.as_deref(), a.body.as_slice()), (200, Some("text/plain"), &b"hello"[..]));
        assert!(parse_answer(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel").unwrap().is_none());
        let c = parse_answer(
            b"HTTP/1.1 202 Accepted\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n",
        )
        .unwrap()
        .unwrap();
        assert_eq!((c.status, c.body.as_slice()), (202, &b"abcde"[..]));
        let i = parse_answer(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n")
            .unwrap()
            .unwrap();
        assert_eq!(i.status, 204);
        assert!(parse_answer(b"garbage\r\n\r\n").is_err());
    }

    #[test]
    fn only_loopback_http_is_accepted() {
        assert!(loopback_url("http://127.0.0.1:9000/notify?x=1").is_ok());
        assert!(loopback_url("http://localhost:9000/").is_ok());
        assert!(loopback_url("http://[::1]:9000/").is_ok());
        assert!(loopback_url("https://127.0.0.1/").is_err());
        assert!(loopback_url("http://example.com/").is_err());
        assert!(loopback_url("http://10.0.0.1/").is_err());
        assert!(loopback_url("not a url").is_err());
    }
}
