//! The bench server: a small Microsoft Graph on 127.0.0.1 that serves
//! pre-generated bodies, so that it costs little next to the client.
//!
//! - `GET /v1.0/me/messages?$top=50&$skip=K`: pages of 50 messages with an
//!   absolute `@odata.nextLink` on the server's origin; the listing length
//!   and an added delay per page are set between runs.
//! - `GET /v1.0/me/mailFolders/inbox/messages/delta`: the same pages as the
//!   listing (same messages, same length, same delay) linked by
//!   `$skiptoken`; the last page carries an `@odata.deltaLink`, and a
//!   request to a deltaLink (`$deltatoken`) answers an empty page with a new
//!   deltaLink (nothing changed since), as Graph does.
//! - `GET /v1.0/me/messages/{id}`: one message.
//! - `POST /v1.0/$batch`: up to 20 gets of messages, answered by id.
//! - Throttling: at most R requests per second per mailbox in fixed
//!   1-second windows (each request inside a `$batch` counts, as on Graph);
//!   beyond that, 429 with `Retry-After: <seconds until the window resets,
//!   rounded up>` and Graph's error body. Counted per window.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;

use super::messages::{self, PAGE_SIZE};

/// What the server counted since the last [`BenchServer::reset_counters`].
#[derive(Debug, Default, Clone, Copy)]
pub struct Counters {
    /// HTTP requests received (any route).
    pub http_requests: u64,
    /// `POST /$batch` calls among them.
    pub batch_calls: u64,
    /// Gets of one message, direct or inside a batch.
    pub gets: u64,
    /// Of those, answered 200.
    pub gets_ok: u64,
    /// Of those, answered 429.
    pub gets_throttled: u64,
}

/// Successful and throttled requests of one 1-second window.
#[derive(Debug, Default, Clone, Copy)]
pub struct Window {
    /// Requests let through.
    pub ok: u32,
    /// Requests answered 429.
    pub throttled: u32,
    /// When in the window the first request was let through (ms).
    pub first_ok_ms: Option<u32>,
    /// When in the window the first 429 was answered (ms).
    pub first_429_ms: Option<u32>,
}

#[derive(Default)]
struct Count {
    http_requests: AtomicU64,
    batch_calls: AtomicU64,
    gets: AtomicU64,
    gets_ok: AtomicU64,
    gets_throttled: AtomicU64,
}

struct Limiter {
    /// Requests per second per mailbox; 0 = unlimited.
    rate: u32,
    epoch: Instant,
    /// Per mailbox: (window index, requests let through in it).
    used: HashMap<String, (u64, u32)>,
    log: BTreeMap<u64, Window>,
}

struct ServerState {
    origin: String,
    heads: Vec<Bytes>,
    list_pages: AtomicUsize,
    page_delay_us: AtomicU64,
    ids: Vec<String>,
    by_id: HashMap<String, usize>,
    singles: Vec<Bytes>,
    limiter: Mutex<Limiter>,
    count: Count,
    request_ids: AtomicU64,
}

/// A running bench server (its own thread and single-threaded runtime).
pub struct BenchServer {
    state: Arc<ServerState>,
    base_url: String,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl BenchServer {
    /// Starts a server that can list up to `list_messages` messages (rounded
    /// up to whole pages) and serve `get_messages` messages by id. Bodies are
    /// generated here, before the server starts.
    pub fn start(list_messages: usize, get_messages: usize) -> BenchServer {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        listener.set_nonblocking(true).expect("non-blocking listener");
        let port = listener.local_addr().expect("local address").port();
        let origin = format!("http://127.0.0.1:{port}");

        let pages = list_messages.div_ceil(PAGE_SIZE);
        let heads = generate(pages, |p| Bytes::from(messages::page_head(&origin, p)));
        let singles = generate(get_messages, |i| Bytes::from(messages::single(&origin, i)));
        let ids: Vec<String> = (0..get_messages).map(messages::message_id).collect();
        let by_id = ids.iter().enumerate().map(|(i, id)| (id.clone(), i)).collect();

        let state = Arc::new(ServerState {
            origin: origin.clone(),
            heads,
            list_pages: AtomicUsize::new(pages),
            page_delay_us: AtomicU64::new(0),
            ids,
            by_id,
            singles,
            limiter: Mutex::new(Limiter { rate: 0, epoch: Instant::now(), used: HashMap::new(), log: BTreeMap::new() }),
            count: Count::default(),
            request_ids: AtomicU64::new(1),
        });
        let app = Router::new()
            .route("/v1.0/me/messages", get(list))
            .route(INBOX_DELTA, get(delta))
            .route("/v1.0/me/messages/{id}", get(get_one))
            .route("/v1.0/$batch", post(batch))
            .fallback(not_found)
            .with_state(state.clone());
        std::thread::Builder::new()
            .name("bench-server".into())
            .spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("server runtime");
                rt.block_on(async move {
                    let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
                    axum::serve(listener, app).await.expect("bench server");
                });
            })
            .expect("server thread");
        BenchServer { state, base_url: format!("{origin}/v1.0") }
    }

    /// The service root, e.g. `http://127.0.0.1:PORT/v1.0`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The origin, e.g. `http://127.0.0.1:PORT`.
    pub fn origin(&self) -> &str {
        &self.state.origin
    }

    /// Lists `n` messages (rounded up to whole pages) from now on; returns
    /// the number of messages the listing has.
    pub fn set_list_len(&self, n: usize) -> usize {
        let pages = n.div_ceil(PAGE_SIZE).min(self.state.heads.len());
        self.state.list_pages.store(pages, Ordering::SeqCst);
        pages * PAGE_SIZE
    }

    /// Adds `d` before answering each page of the listing.
    pub fn set_page_delay(&self, d: Duration) {
        self.state.page_delay_us.store(d.as_micros() as u64, Ordering::SeqCst);
    }

    /// Allows `per_second` requests per second per mailbox (0: no limit),
    /// with windows starting now; clears the window log.
    pub fn set_rate_limit(&self, per_second: u32) {
        let mut l = lock(&self.state.limiter);
        l.rate = per_second;
        l.epoch = Instant::now();
        l.used.clear();
        l.log.clear();
    }

    /// Ids of the messages that can be fetched one by one.
    pub fn ids(&self) -> &[String] {
        &self.state.ids
    }

    /// Average size in bytes of one message as sent in a page.
    pub fn average_message_size(&self) -> usize {
        let head = &self.state.heads[0];
        head.len() / PAGE_SIZE
    }

    /// A snapshot of the counters.
    pub fn counters(&self) -> Counters {
        let c = &self.state.count;
        Counters {
            http_requests: c.http_requests.load(Ordering::SeqCst),
            batch_calls: c.batch_calls.load(Ordering::SeqCst),
            gets: c.gets.load(Ordering::SeqCst),
            gets_ok: c.gets_ok.load(Ordering::SeqCst),
            gets_throttled: c.gets_throttled.load(Ordering::SeqCst),
        }
    }

    /// Zeroes the counters.
    pub fn reset_counters(&self) {
        let c = &self.state.count;
        for a in [&c.http_requests, &c.batch_calls, &c.gets, &c.gets_ok, &c.gets_throttled] {
            a.store(0, Ordering::SeqCst);
        }
    }

    /// Let-through and throttled requests per 1-second window since the last
    /// [`set_rate_limit`](Self::set_rate_limit).
    pub fn window_log(&self) -> Vec<(u64, Window)> {
        lock(&self.state.limiter).log.iter().map(|(k, v)| (*k, *v)).collect()
    }
}

/// Generates `n` bodies on every core (the bench has not started yet).
fn generate(n: usize, make: impl Fn(usize) -> Bytes + Sync) -> Vec<Bytes> {
    let threads = std::thread::available_parallelism().map(|t| t.get()).unwrap_or(1).max(1);
    let chunk = n.div_ceil(threads).max(1);
    let make = &make;
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..n)
            .step_by(chunk)
            .map(|start| s.spawn(move || (start..(start + chunk).min(n)).map(make).collect::<Vec<_>>()))
            .collect();
        handles.into_iter().flat_map(|h| h.join().expect("generator thread")).collect()
    })
}

impl ServerState {
    /// Counts a request against `mailbox`: `Ok` when let through, else the
    /// `Retry-After` seconds (until the window resets, rounded up).
    fn admit(&self, mailbox: &str) -> Result<(), u64> {
        let mut l = lock(&self.limiter);
        if l.rate == 0 {
            return Ok(());
        }
        let elapsed = l.epoch.elapsed();
        let window = elapsed.as_secs();
        let rate = l.rate;
        let used = l.used.entry(mailbox.to_owned()).or_insert((window, 0));
        if used.0 != window {
            *used = (window, 0);
        }
        let admitted = used.1 < rate;
        if admitted {
            used.1 += 1;
        }
        let at_ms = (elapsed.as_millis() % 1000) as u32;
        let entry = l.log.entry(window).or_default();
        if admitted {
            entry.ok += 1;
            entry.first_ok_ms.get_or_insert(at_ms);
            Ok(())
        } else {
            entry.throttled += 1;
            entry.first_429_ms.get_or_insert(at_ms);
            let left = Duration::from_secs(window + 1).saturating_sub(elapsed);
            Err((left.as_secs_f64().ceil() as u64).max(1))
        }
    }

    fn error_body(&self, code: &str, message: &str) -> String {
        let n = self.request_ids.fetch_add(1, Ordering::Relaxed);
        let request_id = format!("0b3a6c2e-7d1f-4e8a-9c5b-{n:012x}");
        format!(
            r#"{{"error":{{"code":"{code}","message":"{message}","innerError":{{"date":"2024-06-30T12:00:00","request-id":"{request_id}","client-request-id":"{request_id}"}}}}}}"#
        )
    }

    fn throttled_body(&self) -> String {
        self.error_body("TooManyRequests", "Please retry again later.")
    }
}

fn json(status: StatusCode, body: impl Into<Body>) -> Response {
    Response::builder()
        .status(status)
        .header(
            header::CONTENT_TYPE,
            "application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8",
        )
        .body(body.into())
        .unwrap_or_default()
}

fn too_many(state: &ServerState, retry_after: u64) -> Response {
    let mut r = json(StatusCode::TOO_MANY_REQUESTS, state.throttled_body());
    r.headers_mut().insert(header::RETRY_AFTER, retry_after.into());
    r
}

/// The inbox's message delta function, as the server routes it.
const INBOX_DELTA: &str = "/v1.0/me/mailFolders/inbox/messages/delta";

/// How every `$deltatoken` the server hands out starts (Graph's are opaque
/// and about this long); the generation follows in hex.
const DELTA_TOKEN_PREFIX: &str = "LztZwWjo5IivWBhyxw5rAKSkTqkMJ4ISaQhTBjsMa2kPZ1b7Ax4ZxHX5XJnZb3B2";

/// Counts a page request, applies the rate limit, then the page delay.
async fn page_gate(st: &ServerState) -> Result<(), Response> {
    st.count.http_requests.fetch_add(1, Ordering::Relaxed);
    if let Err(secs) = st.admit("me") {
        return Err(too_many(st, secs));
    }
    let delay = st.page_delay_us.load(Ordering::Relaxed);
    if delay > 0 {
        tokio::time::sleep(Duration::from_micros(delay)).await;
    }
    Ok(())
}

/// Page `page` of the generated messages, closed by what `links` writes
/// after the `value` array: it gets the next page's index, `None` on the
/// last page. A 400 past the end of the listing.
fn page_of_messages(
    st: &ServerState,
    page: usize,
    links: impl FnOnce(&mut Utf8<'_>, Option<usize>) -> std::fmt::Result,
) -> Response {
    let pages = st.list_pages.load(Ordering::Relaxed);
    let Some(head) = st.heads.get(page).filter(|_| page < pages) else {
        return json(StatusCode::BAD_REQUEST, st.error_body("BadRequest", "the page is past the end of the listing"));
    };
    let mut body = Vec::with_capacity(head.len() + 256);
    body.extend_from_slice(head);
    let _ = links(&mut Utf8(&mut body), (page + 1 < pages).then_some(page + 1));
    body.push(b'}');
    json(StatusCode::OK, body)
}

async fn list(State(st): State<Arc<ServerState>>, Query(q): Query<HashMap<String, String>>) -> Response {
    if let Err(r) = page_gate(&st).await {
        return r;
    }
    let skip: usize = q.get("$skip").and_then(|s| s.parse().ok()).unwrap_or(0);
    page_of_messages(&st, skip / PAGE_SIZE, |out, next| match next {
        Some(p) => write!(
            out,
            r#","@odata.nextLink":"{}/v1.0/me/messages?%24top={PAGE_SIZE}&%24skip={}""#,
            st.origin,
            p * PAGE_SIZE
        ),
        None => Ok(()),
    })
}

/// The inbox's delta: a first sync pages through the listing's messages by
/// `$skiptoken` and ends with deltaLink generation 1; the deltaLink of
/// generation `g` answers no changes and generation `g + 1`. An unknown
/// token is 410 `syncStateNotFound`.
async fn delta(State(st): State<Arc<ServerState>>, Query(q): Query<HashMap<String, String>>) -> Response {
    if let Err(r) = page_gate(&st).await {
        return r;
    }
    let delta_link = |out: &mut Utf8<'_>, generation: u64| {
        write!(
            out,
            r#","@odata.deltaLink":"{}{INBOX_DELTA}?%24deltatoken={DELTA_TOKEN_PREFIX}{generation:08x}""#,
            st.origin
        )
    };
    if let Some(token) = q.get("$deltatoken") {
        let Some(generation) = token.strip_prefix(DELTA_TOKEN_PREFIX).and_then(|g| u64::from_str_radix(g, 16).ok())
        else {
            return json(StatusCode::GONE, st.error_body("syncStateNotFound", "The sync state was not found."));
        };
        let mut body = Vec::with_capacity(256);
        let _ = write!(
            Utf8(&mut body),
            r#"{{"@odata.context":"{}/v1.0/$metadata#Collection(message)","value":[]"#,
            st.origin
        );
        let _ = delta_link(&mut Utf8(&mut body), generation + 1);
        body.push(b'}');
        return json(StatusCode::OK, body);
    }
    let page: usize = q.get("$skiptoken").and_then(|s| s.parse().ok()).unwrap_or(0);
    page_of_messages(&st, page, |out, next| match next {
        Some(p) => write!(out, r#","@odata.nextLink":"{}{INBOX_DELTA}?%24skiptoken={p}""#, st.origin),
        None => delta_link(out, 1),
    })
}

/// `fmt::Write` into a byte buffer.
struct Utf8<'a>(&'a mut Vec<u8>);

impl std::fmt::Write for Utf8<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

async fn get_one(State(st): State<Arc<ServerState>>, Path(id): Path<String>) -> Response {
    st.count.http_requests.fetch_add(1, Ordering::Relaxed);
    st.count.gets.fetch_add(1, Ordering::Relaxed);
    if let Err(secs) = st.admit("me") {
        st.count.gets_throttled.fetch_add(1, Ordering::Relaxed);
        return too_many(&st, secs);
    }
    match st.by_id.get(&id) {
        Some(&i) => {
            st.count.gets_ok.fetch_add(1, Ordering::Relaxed);
            json(StatusCode::OK, st.singles[i].clone())
        }
        None => json(
            StatusCode::NOT_FOUND,
            st.error_body("ErrorItemNotFound", "The specified object was not found in the store."),
        ),
    }
}

#[derive(Deserialize)]
struct BatchRequest {
    requests: Vec<BatchItem>,
}

#[derive(Deserialize)]
struct BatchItem {
    id: String,
    method: String,
    url: String,
}

async fn batch(State(st): State<Arc<ServerState>>, body: Bytes) -> Response {
    st.count.http_requests.fetch_add(1, Ordering::Relaxed);
    st.count.batch_calls.fetch_add(1, Ordering::Relaxed);
    let req: BatchRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => {
            return json(
                StatusCode::BAD_REQUEST,
                st.error_body("BadRequest", &format!("invalid batch: {e}").replace('"', "'")),
            );
        }
    };
    if req.requests.len() > 20 {
        return json(StatusCode::BAD_REQUEST, st.error_body("BadRequest", "A batch takes at most 20 requests."));
    }
    let mut out: Vec<u8> = Vec::with_capacity(req.requests.len() * 2800 + 32);
    out.extend_from_slice(br#"{"responses":["#);
    for (k, item) in req.requests.iter().enumerate() {
        if k > 0 {
            out.push(b',');
        }
        let id_json = serde_json::to_string(&item.id).unwrap_or_else(|_| "\"?\"".to_owned());
        let path = item.url.split('?').next().unwrap_or_default();
        let segments: Vec<String> = path.split('/').filter(|s| !s.is_empty()).map(percent_decode).collect();
        let mailbox = match segments.first().map(String::as_str) {
            Some("me") => "me".to_owned(),
            Some("users") => format!("users/{}", segments.get(1).map(|s| s.to_ascii_lowercase()).unwrap_or_default()),
            _ => String::new(),
        };
        let is_get = item.method.eq_ignore_ascii_case("GET")
            && segments.len() == 3
            && segments[0] == "me"
            && segments[1] == "messages";
        if is_get {
            st.count.gets.fetch_add(1, Ordering::Relaxed);
        }
        if let Err(secs) = st.admit(&mailbox) {
            if is_get {
                st.count.gets_throttled.fetch_add(1, Ordering::Relaxed);
            }
            let _ = write!(
                Utf8(&mut out),
                r#"{{"id":{id_json},"status":429,"headers":{{"Retry-After":"{secs}","Content-Type":"application/json"}},"body":{}}}"#,
                st.throttled_body()
            );
            continue;
        }
        match st.by_id.get(segments.get(2).map(String::as_str).unwrap_or_default()).filter(|_| is_get) {
            Some(&i) => {
                st.count.gets_ok.fetch_add(1, Ordering::Relaxed);
                let _ = write!(
                    Utf8(&mut out),
                    r#"{{"id":{id_json},"status":200,"headers":{{"Content-Type":"application/json"}},"body":"#
                );
                out.extend_from_slice(&st.singles[i]);
                out.push(b'}');
            }
            None => {
                let _ = write!(
                    Utf8(&mut out),
                    r#"{{"id":{id_json},"status":404,"headers":{{"Content-Type":"application/json"}},"body":{}}}"#,
                    st.error_body("ErrorItemNotFound", "The specified object was not found in the store.")
                );
            }
        }
    }
    out.extend_from_slice(b"]}");
    json(StatusCode::OK, out)
}

async fn not_found(State(st): State<Arc<ServerState>>) -> Response {
    st.count.http_requests.fetch_add(1, Ordering::Relaxed);
    json(StatusCode::NOT_FOUND, st.error_body("ResourceNotFound", "Resource not found for the segment."))
}

/// `%XX` escapes decoded (invalid ones kept as they are).
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = ((b[i + 1] as char).to_digit(16), (b[i + 2] as char).to_digit(16))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
