//! JSON batching (`POST /$batch`): many requests in one round trip.
//!
//! ```no_run
//! use msgraph_core::batch::Batch;
//! use msgraph_core::{GraphClient, GraphPath, Request, models::User};
//!
//! # async fn run(client: GraphClient) -> msgraph_core::Result<()> {
//! let mut batch = Batch::new();
//! let me = batch.add::<User>(Request::get(GraphPath::new().push("me")));
//! let boss = batch.add::<User>(Request::get(GraphPath::new().push("me").push("manager")));
//! let responses = client.batch(batch).send().await?;
//! let me: User = responses.get(&me)?;          // each item: its own typed result or error
//! let boss = responses.get(&boss);
//! # Ok(()) }
//! ```
//!
//! - Items are the same [`Request`]s the service builders produce
//!   (`into_request()`), so a batch is typed end to end.
//! - A [`Batch::new`] set of any size is split into calls of at most 20
//!   items, keeping each `dependsOn` group in one call; [`Batch::single`] is
//!   one call and rejects a 21st item before sending.
//! - URLs are written relative to the version root; JSON bodies inline,
//!   other bodies base64 with their `Content-Type`.
//! - Responses map back by id, whatever their order; a 424 (failed
//!   dependency) is that item's own error.
//! - A call that fails as a whole (a transport error, a timeout, a 5xx once
//!   its retries are spent) gives its error to each of its items; the results
//!   of the other calls are kept, and the calls after it still go out.
//! - Items answered 429 or 503 (and 504, for idempotent items) are sent
//!   again in a later call after the longest `Retry-After` among them, within
//!   the client's [`RetryPolicy`](crate::RetryPolicy). A non-idempotent item
//!   (a POST such as sendMail, unless marked
//!   [`idempotent(true)`](crate::Request::idempotent)) keeps its 504: Graph
//!   may have run it. The same rule holds for the `$batch` call itself: after
//!   a 504 or a reset it is sent again only when all of its items are idempotent.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::future::IntoFuture;
use std::marker::PhantomData;
use std::time::Duration;

use base64::Engine as _;
use futures::StreamExt as _;
use futures::future::BoxFuture;
use futures::stream::FuturesUnordered;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::error::ApiError;
use crate::request::Body;
use crate::retry::parse_retry_after;
use crate::{Error, GraphClient, GraphPath, Request, Result};

/// The most requests Graph takes in one `$batch` call.
pub const MAX_BATCH_SIZE: usize = 20;

/// A typed handle to one item of a batch; read its result with
/// [`BatchResponses::get`].
#[derive(Debug)]
pub struct BatchKey<T> {
    id: String,
    _t: PhantomData<fn() -> T>,
}

impl<T> Clone for BatchKey<T> {
    fn clone(&self) -> Self {
        BatchKey { id: self.id.clone(), _t: PhantomData }
    }
}

impl<T> BatchKey<T> {
    /// The item's id in the batch.
    pub fn id(&self) -> &str {
        &self.id
    }
}

struct Item {
    id: String,
    request: Request,
    depends_on: Vec<String>,
}

/// A set of requests to send through `$batch`.
#[derive(Default)]
#[must_use]
pub struct Batch {
    items: Vec<Item>,
    single: bool,
    next_id: usize,
    used: HashSet<String>,
}

impl std::fmt::Debug for Batch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Batch").field("items", &self.items.len()).field("single", &self.single).finish()
    }
}

impl Batch {
    /// A set of any size, split into calls of at most 20.
    pub fn new() -> Self {
        Batch::default()
    }

    /// Exactly one `$batch` call: more than 20 items fail before sending.
    pub fn single() -> Self {
        Batch { single: true, ..Batch::default() }
    }

    /// Adds a request with the next free numeric id.
    pub fn add<T: DeserializeOwned>(&mut self, request: Request) -> BatchKey<T> {
        self.add_after(request, &[])
    }

    /// Adds a request that runs only after `depends_on` (ids of earlier items) succeeded.
    pub fn add_after<T: DeserializeOwned>(&mut self, request: Request, depends_on: &[&str]) -> BatchKey<T> {
        let mut id;
        loop {
            self.next_id += 1;
            id = self.next_id.to_string();
            if !self.used.contains(&id) {
                break;
            }
        }
        self.push(id, request, depends_on)
    }

    /// Adds a request under an id of your choice (duplicates fail at send).
    pub fn add_with_id<T: DeserializeOwned>(
        &mut self,
        id: impl Into<String>,
        request: Request,
        depends_on: &[&str],
    ) -> BatchKey<T> {
        self.push(id.into(), request, depends_on)
    }

    fn push<T>(&mut self, id: String, request: Request, depends_on: &[&str]) -> BatchKey<T> {
        self.used.insert(id.clone());
        self.items.push(Item {
            id: id.clone(),
            request,
            depends_on: depends_on.iter().map(|s| s.to_string()).collect(),
        });
        BatchKey { id, _t: PhantomData }
    }

    /// Number of items.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// One item as Graph's `$batch` body wants it.
#[derive(Serialize, Clone)]
struct WireItem {
    id: String,
    method: String,
    url: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    headers: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<Box<RawValue>>,
    #[serde(rename = "dependsOn", skip_serializing_if = "Vec::is_empty")]
    depends_on: Vec<String>,
    /// Safe to send twice ([`Request::is_idempotent`]); not on the wire.
    #[serde(skip)]
    idempotent: bool,
}

#[derive(Serialize)]
struct WireBatch<'a> {
    requests: &'a [WireItem],
}

#[derive(Deserialize)]
struct WireResponses {
    #[serde(default)]
    responses: Vec<BatchItemResponse>,
}

/// One item's answer inside a `$batch` response.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct BatchItemResponse {
    /// The item id.
    pub id: String,
    /// Its HTTP status.
    pub status: u16,
    /// Its headers.
    #[serde(default)]
    pub headers: HashMap<String, String>,
    /// Its body, as raw JSON.
    #[serde(default)]
    pub body: Option<Box<RawValue>>,
}

impl BatchItemResponse {
    /// A header by name, ignoring case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    fn retry_after(&self) -> Option<Duration> {
        self.header("retry-after").and_then(|v| parse_retry_after(v, chrono::Utc::now()))
    }

    /// The item's result: its body parsed into `T` (an absent body reads as
    /// JSON `null`, so `()` and `Option<T>` work for 204), or its error.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T> {
        let raw = self.body.as_deref().map(RawValue::get).unwrap_or("null");
        if (200..300).contains(&self.status) {
            return crate::response::decode(self.status, raw.as_bytes());
        }
        let mut err = ApiError::from_response(
            self.status,
            raw.as_bytes(),
            self.header("request-id").map(str::to_owned),
            self.header("client-request-id").map(str::to_owned),
            self.retry_after(),
        );
        if self.status == 424 {
            err.note = Some("not run: a request it depends on failed".into());
        }
        Err(Error::from(err))
    }
}

/// The answers of a batch, by item id.
#[derive(Debug, Default)]
pub struct BatchResponses {
    items: HashMap<String, BatchItemResponse>,
    /// Items whose `$batch` call failed as a whole: the index of its error.
    failed: HashMap<String, usize>,
    call_errors: Vec<Error>,
    http_requests: usize,
}

impl BatchResponses {
    /// The typed result of one item: its answer parsed, its own error, or
    /// (when the `$batch` call carrying it failed as a whole) that call's
    /// error.
    pub fn get<T: DeserializeOwned>(&self, key: &BatchKey<T>) -> Result<T> {
        if let Some(e) = self.call_error(&key.id) {
            return Err(item_error(e));
        }
        match self.items.get(&key.id) {
            Some(item) => item.parse(),
            None => Err(Error::Paging(format!("the $batch response has no answer for item {:?}", key.id))),
        }
    }

    /// One item's raw answer; `None` when it has none (see
    /// [`call_error`](Self::call_error)).
    pub fn item(&self, id: &str) -> Option<&BatchItemResponse> {
        self.items.get(id)
    }

    /// The error of the `$batch` call that carried item `id`, when that call
    /// failed as a whole (a transport error, a timeout, a 5xx): the item has
    /// no answer of its own, and [`get`](Self::get) returns a copy of this.
    pub fn call_error(&self, id: &str) -> Option<&Error> {
        self.failed.get(id).and_then(|&i| self.call_errors.get(i))
    }

    /// Every answer, in no particular order (items of failed calls have none).
    pub fn iter(&self) -> impl Iterator<Item = &BatchItemResponse> {
        self.items.values()
    }

    /// Number of items with a result: an answer, or their call's error.
    pub fn len(&self) -> usize {
        self.items.len() + self.failed.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many `POST /$batch` calls were made (retries included).
    pub fn http_requests(&self) -> usize {
        self.http_requests
    }
}

/// Sends a [`Batch`]; made by [`GraphClient::batch`].
#[must_use = "call .send().await"]
pub struct BatchSend {
    client: GraphClient,
    batch: Batch,
    concurrency: usize,
}

impl std::fmt::Debug for BatchSend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BatchSend").field("batch", &self.batch).field("concurrency", &self.concurrency).finish()
    }
}

impl GraphClient {
    /// Sends `batch` through `POST /$batch` ([JSON batching](https://learn.microsoft.com/graph/json-batching)).
    pub fn batch(&self, batch: Batch) -> BatchSend {
        BatchSend { client: self.clone(), batch, concurrency: 1 }
    }
}

impl BatchSend {
    /// How many `$batch` calls may be in flight at once (default 1: one after another).
    pub fn concurrency(mut self, n: usize) -> Self {
        self.concurrency = n.max(1);
        self
    }

    /// Validates everything, then sends. Invalid input (unknown `dependsOn`,
    /// duplicate ids, more than 20 in a single batch, a URL off the service
    /// root, a streamed body) fails before anything is sent; after that,
    /// failures are per item: a call that fails as a whole gives its error
    /// to each of its items ([`BatchResponses::call_error`]) and the other
    /// calls go on.
    ///
    /// Calls go out one after another (or `concurrency` at a time). Items
    /// Graph answers with 429 or 503, idempotent items answered 504 (and the
    /// items that got 424 because of them, down the whole `dependsOn` chain)
    /// go back in the queue; their
    /// `Retry-After` is fed to the client's shared throttle gate, so the next
    /// call to that mailbox (batched or not) waits it out. The retry policy's
    /// limits count only calls that made no progress: a long set that
    /// advances under a rate limit is not cut short. Items still throttled
    /// when the limits run out keep their 429 as their result.
    pub async fn send(self) -> Result<BatchResponses> {
        let BatchSend { client, batch, concurrency } = self;
        let wire = to_wire(&client, &batch)?;
        let mut queue: VecDeque<Vec<WireItem>> = group_into_calls(wire)?.into();

        let policy = client.retry_policy().clone();
        let mut out = BatchResponses::default();
        let mut in_flight = FuturesUnordered::new();
        let mut stalls = 0u32;
        let mut stalled_wait = Duration::ZERO;
        loop {
            while in_flight.len() < concurrency {
                let Some(chunk) = queue.pop_front() else { break };
                let client = client.clone();
                in_flight.push(async move {
                    for key in chunk_keys(&chunk) {
                        client.inner.throttle.wait(&key).await;
                    }
                    let resp = send_chunk(&client, &chunk).await;
                    (chunk, resp)
                });
            }
            let Some((chunk, resp)) = in_flight.next().await else {
                return Ok(out);
            };
            out.http_requests += 1;
            let answers = match resp {
                Ok(answers) => answers,
                Err(e) => {
                    tracing::debug!(items = chunk.len(), error = %e, "a $batch call failed; its items carry its error");
                    out.call_errors.push(e);
                    let index = out.call_errors.len() - 1;
                    for item in chunk {
                        out.failed.insert(item.id, index);
                    }
                    continue;
                }
            };
            let by_id: HashMap<String, BatchItemResponse> =
                answers.responses.into_iter().map(|r| (r.id.clone(), r)).collect();
            // 429 and 503: Graph did not run the item. 504: it may have; only
            // an idempotent item is sent again.
            let safe: HashSet<&str> = chunk.iter().filter(|i| i.idempotent).map(|i| i.id.as_str()).collect();
            let throttled: HashSet<&str> = by_id
                .values()
                .filter(|r| matches!(r.status, 429 | 503) || (r.status == 504 && safe.contains(r.id.as_str())))
                .map(|r| r.id.as_str())
                .collect();
            let progress = by_id.values().any(|r| (200..300).contains(&r.status));
            let mut longest: Option<Duration> = None;
            for r in by_id.values().filter(|r| throttled.contains(r.id.as_str())) {
                if let Some(ra) = r.retry_after() {
                    longest = Some(longest.map_or(ra, |l| l.max(ra)));
                }
            }
            if throttled.is_empty() || progress {
                stalls = 0;
                stalled_wait = Duration::ZERO;
            } else {
                stalls += 1;
            }
            let wait = longest.unwrap_or_else(|| policy.backoff(stalls.max(1)));
            let give_up =
                stalls > policy.get_max_retries() || stalled_wait.saturating_add(wait) > policy.get_max_total_wait();
            if !throttled.is_empty() && !give_up {
                if !progress {
                    stalled_wait = stalled_wait.saturating_add(wait);
                }
                for item in chunk.iter().filter(|i| throttled.contains(i.id.as_str())) {
                    client.inner.throttle.block(&item_key(item), policy.gate_wait(wait));
                }
            }

            let resend = if give_up { HashSet::new() } else { with_blocked_dependents(&chunk, &by_id, &throttled) };
            let mut again: Vec<WireItem> = Vec::new();
            for item in chunk {
                let Some(answer) = by_id.get(&item.id) else { continue };
                if resend.contains(item.id.as_str()) {
                    again.push(item);
                } else {
                    out.items.insert(item.id.clone(), answer.clone());
                }
            }
            if !again.is_empty() {
                tracing::debug!(
                    items = again.len(),
                    wait_ms = wait.as_millis() as u64,
                    "re-queueing throttled batch items"
                );
                // A dependency that already succeeded is no longer in the call.
                let ids: HashSet<String> = again.iter().map(|i| i.id.clone()).collect();
                for item in &mut again {
                    item.depends_on.retain(|d| ids.contains(d));
                }
                queue.extend(group_into_calls(again)?);
            }
        }
    }
}

/// The items to send again: the throttled ones, and every item that got 424
/// because something it depends on, directly or down a `dependsOn` chain,
/// is sent again (A <- B <- C with A throttled: B and C too).
fn with_blocked_dependents(
    chunk: &[WireItem],
    answers: &HashMap<String, BatchItemResponse>,
    throttled: &HashSet<&str>,
) -> HashSet<String> {
    let mut dependents: HashMap<&str, Vec<&str>> = HashMap::new();
    for item in chunk {
        for d in &item.depends_on {
            dependents.entry(d.as_str()).or_default().push(item.id.as_str());
        }
    }
    let mut resend: HashSet<String> = throttled.iter().map(|id| (*id).to_owned()).collect();
    let mut todo: Vec<&str> = throttled.iter().copied().collect();
    while let Some(id) = todo.pop() {
        for &dependent in dependents.get(id).map(Vec::as_slice).unwrap_or_default() {
            let failed_dependency = answers.get(dependent).is_some_and(|a| a.status == 424);
            if failed_dependency && resend.insert(dependent.to_owned()) {
                todo.push(dependent);
            }
        }
    }
    resend
}

/// The result of an item whose `$batch` call failed: a copy of the call's
/// error that says so.
fn item_error(call: &Error) -> Error {
    const WHY: &str = "the $batch call carrying this item failed";
    match call.duplicate() {
        Error::Api(mut api) => {
            api.note = Some(match api.note.take() {
                Some(note) => format!("{WHY}; {note}"),
                None => WHY.to_owned(),
            });
            Error::Api(api)
        }
        Error::Transport { message, source } => Error::Transport { message: format!("{WHY}: {message}"), source },
        Error::Timeout { message } => Error::Timeout { message: format!("{WHY}: {message}") },
        other => other,
    }
}

/// The throttle-gate key (mailbox) of an item's relative URL.
fn item_key(item: &WireItem) -> String {
    let path = item.url.split(['?', '#']).next().unwrap_or_default();
    crate::throttle::mailbox_key(path.split('/').filter(|s| !s.is_empty()))
}

/// The distinct mailboxes a call touches.
fn chunk_keys(chunk: &[WireItem]) -> Vec<String> {
    let mut keys: Vec<String> = chunk.iter().map(item_key).collect();
    keys.sort();
    keys.dedup();
    keys
}

impl IntoFuture for BatchSend {
    type Output = Result<BatchResponses>;
    type IntoFuture = BoxFuture<'static, Result<BatchResponses>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// One `POST /$batch`. After an ambiguous failure (504, a reset after the
/// call was written) it is sent again only when every item is idempotent.
async fn send_chunk(client: &GraphClient, chunk: &[WireItem]) -> Result<WireResponses> {
    let req = Request::post(GraphPath::new().push("$batch"))
        .json(&WireBatch { requests: chunk })?
        .idempotent(chunk.iter().all(|i| i.idempotent));
    client.send_json(req).await
}

/// Each item in Graph's wire form, checked.
fn to_wire(client: &GraphClient, batch: &Batch) -> Result<Vec<WireItem>> {
    if batch.single && batch.items.len() > MAX_BATCH_SIZE {
        return Err(Error::invalid_input(format!(
            "a single $batch takes at most {MAX_BATCH_SIZE} requests, got {}",
            batch.items.len()
        )));
    }
    let mut ids = HashSet::new();
    for item in &batch.items {
        if item.id.is_empty() {
            return Err(Error::invalid_input("a batch item id is empty"));
        }
        if !ids.insert(item.id.as_str()) {
            return Err(Error::invalid_input(format!("batch item id {:?} is used twice", item.id)));
        }
    }
    for item in &batch.items {
        for d in &item.depends_on {
            if !ids.contains(d.as_str()) {
                return Err(Error::invalid_input(format!("batch item {:?} depends on unknown id {d:?}", item.id)));
            }
            if d == &item.id {
                return Err(Error::invalid_input(format!("batch item {:?} depends on itself", item.id)));
            }
        }
    }
    check_acyclic(batch)?;
    let base = client.base_url();
    let base_path = base.path().trim_end_matches('/');
    batch
        .items
        .iter()
        .map(|item| {
            let url = item.request.url(base)?;
            if !crate::client::same_origin(&url, base) || !url.path().starts_with(base_path) {
                return Err(Error::invalid_input(format!(
                    "batch item {:?}: only requests on the service root can be batched",
                    item.id
                )));
            }
            let mut relative = url.path()[base_path.len()..].to_owned();
            if !relative.starts_with('/') {
                relative.insert(0, '/');
            }
            if let Some(q) = url.query() {
                relative.push('?');
                relative.push_str(q);
            }
            let mut headers: BTreeMap<String, String> = item
                .request
                .header_map()
                .iter()
                .filter_map(|(k, v)| v.to_str().ok().map(|v| (k.as_str().to_owned(), v.to_owned())))
                .collect();
            let body = match item.request.body() {
                Body::Empty => None,
                Body::Bytes { data, content_type } => {
                    headers.insert("content-type".into(), content_type.clone());
                    if content_type.starts_with("application/json") {
                        let text = std::str::from_utf8(data).map_err(|_| {
                            Error::invalid_input(format!("batch item {:?}: JSON body is not UTF-8", item.id))
                        })?;
                        Some(RawValue::from_string(text.to_owned()).map_err(|e| {
                            Error::invalid_input(format!("batch item {:?}: body is not JSON: {e}", item.id))
                        })?)
                    } else {
                        let b64 = base64::engine::general_purpose::STANDARD.encode(data);
                        Some(
                            RawValue::from_string(serde_json::Value::String(b64).to_string())
                                .map_err(|e| Error::invalid_input(format!("batch item {:?}: {e}", item.id)))?,
                        )
                    }
                }
                Body::Stream { .. } => {
                    return Err(Error::invalid_input(format!(
                        "batch item {:?}: a streamed body cannot be batched",
                        item.id
                    )));
                }
            };
            Ok(WireItem {
                id: item.id.clone(),
                method: item.request.method().as_str().to_owned(),
                url: relative,
                headers,
                body,
                depends_on: item.depends_on.clone(),
                idempotent: item.request.is_idempotent(),
            })
        })
        .collect()
}

/// Depth-first search with an explicit stack (a chain of any length cannot
/// overflow the call stack), in time linear in items and dependencies.
fn check_acyclic(batch: &Batch) -> Result<()> {
    let index: HashMap<&str, usize> = batch.items.iter().enumerate().map(|(i, it)| (it.id.as_str(), i)).collect();
    let deps: Vec<Vec<usize>> = batch
        .items
        .iter()
        .map(|it| it.depends_on.iter().filter_map(|d| index.get(d.as_str()).copied()).collect())
        .collect();
    const UNVISITED: u8 = 0;
    const ON_PATH: u8 = 1;
    const DONE: u8 = 2;
    let mut state = vec![UNVISITED; deps.len()];
    // (item, how many of its dependencies were looked at)
    let mut path: Vec<(usize, usize)> = Vec::new();
    for start in 0..deps.len() {
        if state[start] != UNVISITED {
            continue;
        }
        state[start] = ON_PATH;
        path.push((start, 0));
        while let Some(top) = path.last_mut() {
            let (item, seen) = *top;
            match deps[item].get(seen) {
                Some(&d) => {
                    top.1 += 1;
                    match state[d] {
                        UNVISITED => {
                            state[d] = ON_PATH;
                            path.push((d, 0));
                        }
                        ON_PATH => {
                            return Err(Error::invalid_input(format!(
                                "batch dependsOn has a cycle through {:?}",
                                batch.items[d].id
                            )));
                        }
                        _ => {}
                    }
                }
                None => {
                    state[item] = DONE;
                    path.pop();
                }
            }
        }
    }
    Ok(())
}

/// Splits items into calls of at most 20, keeping each `dependsOn` group in
/// one call (in order of first appearance).
fn group_into_calls(items: Vec<WireItem>) -> Result<Vec<Vec<WireItem>>> {
    let index: HashMap<String, usize> = items.iter().enumerate().map(|(i, it)| (it.id.clone(), i)).collect();
    let mut parent: Vec<usize> = (0..items.len()).collect();
    fn find(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    for (i, item) in items.iter().enumerate() {
        for d in &item.depends_on {
            if let Some(&j) = index.get(d) {
                let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                parent[a] = b;
            }
        }
    }
    let roots: Vec<usize> = (0..items.len()).map(|i| find(&mut parent, i)).collect();
    let mut groups: Vec<Vec<WireItem>> = Vec::new();
    let mut group_of: HashMap<usize, usize> = HashMap::new();
    for (item, root) in items.into_iter().zip(roots) {
        let g = *group_of.entry(root).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[g].push(item);
    }
    let mut calls: Vec<Vec<WireItem>> = Vec::new();
    let mut current: Vec<WireItem> = Vec::new();
    for group in groups {
        if group.len() > MAX_BATCH_SIZE {
            return Err(Error::invalid_input(format!(
                "{} batch items depend on each other; one $batch takes at most {MAX_BATCH_SIZE}",
                group.len()
            )));
        }
        if current.len() + group.len() > MAX_BATCH_SIZE {
            calls.push(std::mem::take(&mut current));
        }
        current.extend(group);
    }
    if !current.is_empty() {
        calls.push(current);
    }
    Ok(calls)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(i: usize) -> Request {
        Request::get(GraphPath::new().push("users").id(format!("u{i}")))
    }

    #[test]
    fn a_shared_dependency_is_not_a_cycle_and_a_loop_is() {
        let mut diamond = Batch::new();
        let _: BatchKey<()> = diamond.add_with_id("a", get(1), &[]);
        let _: BatchKey<()> = diamond.add_with_id("b", get(2), &["a"]);
        let _: BatchKey<()> = diamond.add_with_id("c", get(3), &["a"]);
        let _: BatchKey<()> = diamond.add_with_id("d", get(4), &["b", "c"]);
        assert!(check_acyclic(&diamond).is_ok());
        let mut looped = Batch::new();
        let _: BatchKey<()> = looped.add_with_id("a", get(1), &["c"]);
        let _: BatchKey<()> = looped.add_with_id("b", get(2), &["a"]);
        let _: BatchKey<()> = looped.add_with_id("c", get(3), &["b"]);
        let _: BatchKey<()> = looped.add_with_id("d", get(4), &[]);
        assert!(check_acyclic(&looped).unwrap_err().to_string().contains("cycle"));
    }
}
