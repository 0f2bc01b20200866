//! Delta sync: follow a delta query to its deltaLink, de-duplicate, report
//! removals, and move the stored token only after the caller has the changes.
//!
//! ```no_run
//! use std::sync::Arc;
//! use msgraph_core::delta::{Change, DeltaSync, JsonFileDeltaStore};
//! use msgraph_core::{GraphClient, GraphPath, models::User};
//!
//! # async fn run(client: GraphClient) -> msgraph_core::Result<()> {
//! let store = Arc::new(JsonFileDeltaStore::new("data/delta.json"));
//! let sync = DeltaSync::<User>::new(client, GraphPath::new().push("users").push("delta"))
//!     .select(["id", "displayName"])
//!     .store(store, "users");
//! let round = sync.run().await?;           // first run: full sync; later: only changes
//! if round.resynced() {
//!     println!("the token had expired; this round is a full resync");
//! }
//! for change in round.changes() {
//!     match change {
//!         Change::Upserted(user) => println!("changed: {:?}", user.display_name),
//!         Change::Removed(r) => println!("removed: {} ({})", r.id, r.reason),
//!     }
//! }
//! round.commit().await?;                   // only now does the stored token move
//! # Ok(()) }
//! ```
//!
//! Guarantees, as Graph's delta query documentation asks of a client:
//! - every `@odata.nextLink` is followed to the `@odata.deltaLink`, through the
//!   client's pipeline (token, retry, same headers on every page);
//! - the first deltaLink is followed once more before it is kept, so changes
//!   made while paging are not lost (turn off with [`DeltaSync::confirm_delta_link`]);
//! - an item that shows up on several pages of a round is reported once, last
//!   version wins; `@removed` items (and OneDrive items with a `deleted`
//!   facet) come out as [`Change::Removed`];
//! - the new token is stored only by [`DeltaRound::commit`]; a failure or crash
//!   before that leaves the old token, so the next run sees the changes again;
//! - 410 Gone, `syncStateNotFound` or `resyncRequired` drop the stored token and
//!   start a full sync, reported by [`DeltaRound::resynced`] (or, with
//!   [`ResyncPolicy::Fail`], returned as [`Error::ResyncRequired`] so the caller
//!   can fall back to, e.g., a `receivedDateTime gt ...` query).

mod item;
mod store;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use futures::TryStreamExt as _;
use http::HeaderMap;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

pub use store::{DeltaStore, JsonFileDeltaStore, MemoryDeltaStore};

use crate::builders::Common;
use crate::options::{RequestOptions, WithOptions};
use crate::pager::{Continuation, PageStream, ParsePage};
use crate::{Error, GraphClient, GraphPath, Page, Response, Result};

use item::DeltaItem;

crate::string_enum! {
    /// Why an item left the delta scope (`@removed.reason`).
    pub enum RemovedReason {
        /// Deleted for good.
        Deleted => "deleted",
        /// Removed from this scope but may come back (moved out, soft-deleted).
        Changed => "changed",
    }
}

/// An item that left the delta scope.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Removal {
    /// The item's id.
    pub id: String,
    /// Why it left.
    pub reason: RemovedReason,
}

/// One change of a delta round.
#[derive(Debug, Clone, PartialEq)]
pub enum Change<T> {
    /// Created or updated: the item as Graph returned it (only the selected properties).
    Upserted(T),
    /// Removed from the scope.
    Removed(Removal),
}

impl<T> Change<T> {
    /// The upserted item, if this is one.
    pub fn upserted(&self) -> Option<&T> {
        match self {
            Change::Upserted(t) => Some(t),
            Change::Removed(_) => None,
        }
    }

    /// The removal, if this is one.
    pub fn removal(&self) -> Option<&Removal> {
        match self {
            Change::Removed(r) => Some(r),
            Change::Upserted(_) => None,
        }
    }
}

/// What to do when Graph says the delta token is no longer valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ResyncPolicy {
    /// Drop the token and run a full sync in the same call (default).
    #[default]
    FullSync,
    /// Drop the token and return [`Error::ResyncRequired`], so the caller can
    /// fall back to its own query (e.g. messages received since a timestamp).
    Fail,
}

/// The most pages one delta round reads by default (see
/// [`DeltaSync::max_pages`]): 100,000 pages of Graph's usual 10 to 200
/// items cover the largest mailboxes and drives, and stop a server that
/// never reaches its deltaLink.
pub const DEFAULT_MAX_PAGES: usize = 100_000;

/// A delta query over one resource collection, with its token kept in a
/// [`DeltaStore`] under a key the caller chooses (e.g. `"mailbox:inbox"`).
#[must_use]
pub struct DeltaSync<T> {
    client: GraphClient,
    path: GraphPath,
    common: Common,
    store: Arc<dyn DeltaStore>,
    key: String,
    pace: Option<Duration>,
    confirm: bool,
    on_resync: ResyncPolicy,
    max_pages: usize,
    _item: std::marker::PhantomData<fn() -> T>,
}

impl<T> std::fmt::Debug for DeltaSync<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeltaSync").field("path", &self.path).field("key", &self.key).finish_non_exhaustive()
    }
}

impl<T: DeserializeOwned + Send + 'static> DeltaSync<T> {
    /// A delta query at `path` (the `.../delta` function), with an in-memory
    /// store until [`store`](Self::store) is called.
    pub fn new(client: GraphClient, path: GraphPath) -> Self {
        DeltaSync {
            client,
            path,
            common: Common::default(),
            store: Arc::new(MemoryDeltaStore::default()),
            key: "default".into(),
            pace: None,
            confirm: true,
            on_resync: ResyncPolicy::FullSync,
            max_pages: DEFAULT_MAX_PAGES,
            _item: std::marker::PhantomData,
        }
    }

    /// Where the token is kept, and under which key.
    pub fn store(mut self, store: Arc<dyn DeltaStore>, key: impl Into<String>) -> Self {
        self.store = store;
        self.key = key.into();
        self
    }

    /// `$select` for the initial request (Graph carries it in the links after that).
    pub fn select<I, S>(mut self, fields: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.common.query.select.extend(fields.into_iter().map(Into::into));
        self
    }

    /// `$filter` for the initial request, where the delta function supports it.
    pub fn filter(mut self, expr: impl Into<String>) -> Self {
        self.common.query.filter = Some(expr.into());
        self
    }

    /// A parameter of the initial request (e.g. `startDateTime` of a calendar view).
    pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.common.query.extra.push((name.into(), value.into()));
        self
    }

    /// `Prefer: odata.maxpagesize=N`, sent on every page.
    pub fn max_page_size(mut self, n: u32) -> Self {
        self.common.options.preferences_mut().max_page_size = Some(n);
        self
    }

    /// Wait this long between pages (e.g. 100 ms for a gentle bootstrap scan).
    pub fn pace(mut self, between_pages: Duration) -> Self {
        self.pace = Some(between_pages);
        self
    }

    /// Follow the first deltaLink once more before keeping it (default true).
    pub fn confirm_delta_link(mut self, on: bool) -> Self {
        self.confirm = on;
        self
    }

    /// The most pages one round reads, the confirming follow-up of the
    /// deltaLink included (default [`DEFAULT_MAX_PAGES`], at least 1). A
    /// round that would need more ends with [`Error::Paging`] without
    /// fetching the next page, and the stored token does not move. Raise it
    /// for a scope larger than that, or ask for bigger pages with
    /// [`max_page_size`](Self::max_page_size).
    pub fn max_pages(mut self, n: usize) -> Self {
        self.max_pages = n.max(1);
        self
    }

    /// What to do when the token is rejected (default: full sync).
    pub fn on_resync(mut self, policy: ResyncPolicy) -> Self {
        self.on_resync = policy;
        self
    }

    /// The store key.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// Runs one round and hands it over whole: from the stored token (or a
    /// full sync without one) to a new deltaLink, each id once (last version
    /// wins). Nothing is stored until [`DeltaRound::commit`].
    ///
    /// The whole round is in memory; for large scopes (a first sync of a big
    /// mailbox) use [`pages`](Self::pages), which holds one page at a time.
    pub async fn run(&self) -> Result<DeltaRound<T>> {
        let mut round: Chain<Box<RawValue>> = self.chain(false, Response::json::<Page<Box<RawValue>>>).await?;
        let mut acc = Accumulator::default();
        while let Some(page) = round.next_raw_page().await? {
            for raw in &page {
                acc.push(raw)?;
            }
        }
        let delta_link = round.finished_link()?;
        Ok(DeltaRound {
            changes: acc.finish(),
            delta_link,
            resynced: round.resynced,
            full_sync: round.full_sync,
            pages: round.pages,
            store: round.store,
            key: round.key,
        })
    }

    /// Starts one round to be read page by page: memory holds one page,
    /// however large the round. Changes come in Graph's order, as Graph sent
    /// them: an id may come again later in the same round (apply the changes
    /// in order and the last version wins). Read every page with
    /// [`DeltaPages::next_page`], then [`DeltaPages::commit`] stores the new
    /// token; a round given up before its last page (an error, a crash, a
    /// drop) leaves the stored token where it was.
    ///
    /// ```no_run
    /// use msgraph_core::delta::{Change, DeltaSync};
    /// use msgraph_core::{GraphClient, GraphPath, models::User};
    /// # async fn run(client: GraphClient) -> msgraph_core::Result<()> {
    /// let sync = DeltaSync::<User>::new(client, GraphPath::new().push("users").push("delta"));
    /// let mut round = sync.pages().await?;
    /// while let Some(changes) = round.next_page().await? {
    ///     for change in changes {
    ///         if let Change::Upserted(user) = change {
    ///             println!("{:?}", user.display_name);
    ///         }
    ///     }
    /// }
    /// round.commit().await?;
    /// # Ok(()) }
    /// ```
    pub async fn pages(&self) -> Result<DeltaPages<T>> {
        Ok(DeltaPages { chain: self.chain(self.client.prefetch(), parse_page::<T>).await? })
    }

    /// The round's pages as items of type `I`, each page parsed by `parse`.
    /// `prefetch`: read (and parse) the next page while the caller works on
    /// this one.
    async fn chain<I: DeserializeOwned + Send + 'static>(
        &self,
        prefetch: bool,
        parse: ParsePage<I>,
    ) -> Result<Chain<I>> {
        // validates the path and the headers before anything is sent
        let headers = self.common.headers(&self.client)?;
        let first = self.common.get_request(&self.client, self.path.clone())?;
        let stored = self.store.load(&self.key).await?;
        let from_token = stored.is_some();
        let stream = match &stored {
            Some(link) => link_pages(&self.client, link, &headers, self.pace, prefetch, parse),
            None => PageStream::new(self.client.clone(), first, headers.clone())
                .prefetch(prefetch)
                .pace(self.pace)
                .parse_with(parse),
        };
        Ok(Chain {
            client: self.client.clone(),
            path: self.path.clone(),
            common: self.common.clone(),
            headers,
            pace: self.pace,
            store: self.store.clone(),
            key: self.key.clone(),
            on_resync: self.on_resync,
            max_pages: self.max_pages,
            prefetch,
            parse,
            stream,
            from_token,
            confirmed: !self.confirm,
            delta_link: None,
            finished: None,
            resynced: false,
            full_sync: !from_token,
            pages: 0,
            failed: false,
        })
    }
}

impl<T> WithOptions for DeltaSync<T> {
    fn request_options(&mut self) -> &mut RequestOptions {
        &mut self.common.options
    }
}

fn link_pages<I: DeserializeOwned + Send + 'static>(
    client: &GraphClient,
    link: &str,
    headers: &HeaderMap,
    pace: Option<Duration>,
    prefetch: bool,
    parse: ParsePage<I>,
) -> PageStream<I> {
    PageStream::resume(client.clone(), &Continuation::new(link, 0), headers.clone())
        .prefetch(prefetch)
        .pace(pace)
        .parse_with(parse)
}

/// One delta round read page by page; made by [`DeltaSync::pages`].
///
/// Read pages with [`next_page`](Self::next_page) until it returns `None`,
/// then [`commit`](Self::commit). Memory holds one page at a time (and,
/// with the client's read-ahead, the next one being fetched and parsed).
#[must_use = "the new delta token is stored only by commit()"]
pub struct DeltaPages<T> {
    chain: Chain<DeltaItem<T>>,
}

/// The pages of one round, as items of type `I`: changes parsed while the
/// page is parsed ([`DeltaItem`], for [`DeltaPages`]) or raw items (for
/// the de-duplicating [`DeltaSync::run`]).
struct Chain<I> {
    client: GraphClient,
    path: GraphPath,
    common: Common,
    headers: HeaderMap,
    pace: Option<Duration>,
    store: Arc<dyn DeltaStore>,
    key: String,
    on_resync: ResyncPolicy,
    max_pages: usize,
    prefetch: bool,
    /// How each page is parsed.
    parse: ParsePage<I>,
    stream: PageStream<I>,
    /// The round started from a stored token (a rejection means resync).
    from_token: bool,
    /// The first deltaLink was followed once more (or need not be).
    confirmed: bool,
    /// The deltaLink of the chain being read.
    delta_link: Option<String>,
    /// The deltaLink to store, once every page was read.
    finished: Option<String>,
    resynced: bool,
    full_sync: bool,
    pages: usize,
    /// A page failed: the round cannot go on or be committed.
    failed: bool,
}

impl<T> std::fmt::Debug for DeltaPages<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeltaPages")
            .field("key", &self.chain.key)
            .field("pages", &self.chain.pages)
            .field("resynced", &self.chain.resynced)
            .field("finished", &self.chain.finished.is_some())
            .finish_non_exhaustive()
    }
}

impl<T: DeserializeOwned + Send + 'static> DeltaPages<T> {
    /// The changes of the next page, in Graph's order; `None` when the round
    /// has reached its (confirmed) deltaLink. A page may be empty.
    pub async fn next_page(&mut self) -> Result<Option<Vec<Change<T>>>> {
        Ok(self.chain.next_raw_page().await?.map(|items| items.into_iter().map(|i| i.0).collect()))
    }
}

impl<I: DeserializeOwned + Send + 'static> Chain<I> {
    /// The next page; after any error the round is failed for good: later
    /// calls fail too and it cannot be committed (a page that could not be
    /// read must never be skipped past).
    async fn next_raw_page(&mut self) -> Result<Option<Vec<I>>> {
        if self.failed {
            return Err(Error::Paging(
                "an earlier page of this delta round failed; start a new round (the stored token did not move)".into(),
            ));
        }
        let result = self.next_raw_page_inner().await;
        if result.is_err() {
            self.failed = true;
        }
        result
    }

    async fn next_raw_page_inner(&mut self) -> Result<Option<Vec<I>>> {
        loop {
            if self.finished.is_some() {
                return Ok(None);
            }
            if self.pages >= self.max_pages && self.stream.will_fetch() {
                return Err(Error::Paging(format!(
                    "the delta round has more than {} pages, the limit set with max_pages; \
                     the stored token was not moved",
                    self.max_pages
                )));
            }
            match self.stream.try_next().await {
                Ok(Some(page)) => {
                    self.pages += 1;
                    if page.delta_link.is_some() {
                        self.delta_link = page.delta_link;
                    }
                    return Ok(Some(page.value));
                }
                Ok(None) => {
                    let link = self
                        .delta_link
                        .take()
                        .ok_or_else(|| Error::Paging("the delta query ended without an @odata.deltaLink".into()))?;
                    if self.confirmed {
                        self.finished = Some(link);
                        return Ok(None);
                    }
                    self.confirmed = true;
                    self.stream = link_pages(&self.client, &link, &self.headers, self.pace, self.prefetch, self.parse);
                }
                Err(e) if is_resync(&e) && self.from_token && self.pages == 0 => {
                    tracing::warn!(key = %self.key, error = %e, "delta token rejected; dropping it and resyncing");
                    self.store.remove(&self.key).await?;
                    if self.on_resync == ResyncPolicy::Fail {
                        return Err(Error::ResyncRequired(e.to_string()));
                    }
                    self.from_token = false;
                    self.resynced = true;
                    self.full_sync = true;
                    let first = self.common.get_request(&self.client, self.path.clone())?;
                    self.stream = PageStream::new(self.client.clone(), first, self.headers.clone())
                        .prefetch(self.prefetch)
                        .pace(self.pace)
                        .parse_with(self.parse);
                }
                Err(e) => return Err(e),
            }
        }
    }
}

impl<I> Chain<I> {
    fn finished_link(&mut self) -> Result<String> {
        if self.failed {
            return Err(Error::invalid_input("a page of this delta round failed; its token cannot be stored"));
        }
        self.finished.take().ok_or_else(|| {
            Error::invalid_input("the delta round was not read to its end; its token cannot be stored yet")
        })
    }
}

impl<T> DeltaPages<T> {
    /// True when the stored token was rejected and this round is a full resync.
    pub fn resynced(&self) -> bool {
        self.chain.resynced
    }

    /// True when this round started without a token (first run or resync).
    pub fn full_sync(&self) -> bool {
        self.chain.full_sync
    }

    /// How many pages were read so far.
    pub fn pages(&self) -> usize {
        self.chain.pages
    }

    /// The deltaLink the next round starts from, once every page was read.
    pub fn delta_link(&self) -> Option<&str> {
        self.chain.finished.as_deref()
    }

    /// Stores the new token. Only after [`next_page`](Self::next_page)
    /// returned `None`: committing a round that was not read to its end is
    /// an [`Error::InvalidInput`] and stores nothing.
    pub async fn commit(mut self) -> Result<()> {
        let link = self.chain.finished_link()?;
        self.chain.store.save(&self.chain.key, &link).await
    }
}

/// One page of a streamed round: every item parsed into its change in one
/// pass ([`DeltaItem`]: `T`'s own parse, watching the item's top-level keys
/// for `@removed`, `deleted` and `id`). A page that pass cannot take (an
/// item `T` rejects before its removal shows, a duplicate `id`, anything
/// the removal probe would refuse) is parsed again the earlier way, item by
/// item ([`TwoPassItem`]), so its changes, or its error, are what that
/// gives; a page that parses costs nothing extra. (One difference, a fix: a
/// top-level key spelled with escapes, `"\u0040removed"`, is `@removed`
/// here; the two-pass probe looked for the text `"@removed"` and could miss it.)
fn parse_page<T: DeserializeOwned>(response: &Response) -> Result<Page<DeltaItem<T>>> {
    if let Ok(page) = serde_json::from_slice::<Page<DeltaItem<T>>>(response.body()) {
        return Ok(page);
    }
    let page = response.json::<Page<TwoPassItem<T>>>()?;
    Ok(Page {
        value: page.value.into_iter().map(|item| DeltaItem(item.0)).collect(),
        next_link: page.next_link,
        delta_link: page.delta_link,
        count: page.count,
    })
}

/// A delta item parsed the earlier way, for a page the one pass could not
/// take: the item's raw text borrowed from the page, probed for a removal,
/// then parsed into `T`.
struct TwoPassItem<T>(Change<T>);

impl<'de, T: DeserializeOwned> Deserialize<'de> for TwoPassItem<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let raw = <&'de RawValue>::deserialize(d)?;
        to_change(raw).map(TwoPassItem).map_err(serde::de::Error::custom)
    }
}

/// One delta item as a change: a removal when it carries `@removed` (or
/// OneDrive's `deleted` facet), otherwise parsed straight into `T` (the
/// probe parse runs only for items whose text mentions either). The
/// fallback of [`parse_page`].
fn to_change<T: DeserializeOwned>(raw: &RawValue) -> Result<Change<T>> {
    let text = raw.get();
    let bytes = text.as_bytes();
    if memchr::memmem::find(bytes, b"\"@removed\"").is_some() || memchr::memmem::find(bytes, b"\"deleted\"").is_some() {
        let probe: Probe = crate::response::decode(200, bytes)?;
        if let Some(removal) = probe.removal() {
            return Ok(Change::Removed(removal));
        }
    }
    // the text is already valid UTF-8: parse it as a str; only a failure
    // goes through `decode` again, for the path of the offending field
    match serde_json::from_str::<T>(text) {
        Ok(t) => Ok(Change::Upserted(t)),
        Err(_) => Ok(Change::Upserted(crate::response::decode::<T>(200, bytes)?)),
    }
}

/// True for errors that mean "this delta token is dead".
fn is_resync(e: &Error) -> bool {
    match e {
        Error::Api(api) => {
            api.status == 410
                || api.code.as_deref().is_some_and(|c| {
                    c.eq_ignore_ascii_case("syncStateNotFound")
                        || c.eq_ignore_ascii_case("resyncRequired")
                        || c.eq_ignore_ascii_case("syncStateInvalid")
                        // OneDrive: the token expired; resync and apply or upload the differences
                        || c.eq_ignore_ascii_case("resyncChangesApplyDifferences")
                        || c.eq_ignore_ascii_case("resyncChangesUploadDifferences")
                })
        }
        _ => false,
    }
}

#[derive(Deserialize)]
struct Probe {
    #[serde(default)]
    id: Option<String>,
    #[serde(default, rename = "@removed")]
    removed: Option<RemovedInfo>,
    /// OneDrive marks deleted items with a `deleted` facet instead of `@removed`.
    #[serde(default)]
    deleted: Option<serde_json::Value>,
}

impl Probe {
    /// The removal this item reports, if any.
    fn removal(&self) -> Option<Removal> {
        let id = self.id.clone().unwrap_or_default();
        if let Some(info) = &self.removed {
            return Some(Removal { id, reason: info.reason.clone().unwrap_or(RemovedReason::Deleted) });
        }
        match &self.deleted {
            Some(v) if !v.is_null() => Some(Removal { id, reason: RemovedReason::Deleted }),
            _ => None,
        }
    }
}

#[derive(Deserialize)]
struct RemovedInfo {
    #[serde(default)]
    reason: Option<RemovedReason>,
}

/// Changes of a round in order, one per id, last version wins.
struct Accumulator<T> {
    changes: Vec<Option<Change<T>>>,
    index: HashMap<String, usize>,
}

impl<T> Default for Accumulator<T> {
    fn default() -> Self {
        Accumulator { changes: Vec::new(), index: HashMap::new() }
    }
}

impl<T: DeserializeOwned> Accumulator<T> {
    fn push(&mut self, raw: &RawValue) -> Result<()> {
        let text = raw.get();
        let probe: Probe = crate::response::decode(200, text.as_bytes())?;
        let change = match probe.removal() {
            Some(removal) => Change::Removed(removal),
            None => Change::Upserted(crate::response::decode::<T>(200, text.as_bytes())?),
        };
        match probe.id {
            Some(id) => {
                if let Some(old) = self.index.insert(id, self.changes.len()) {
                    self.changes[old] = None;
                }
                self.changes.push(Some(change));
            }
            None => self.changes.push(Some(change)),
        }
        Ok(())
    }

    fn finish(self) -> Vec<Change<T>> {
        self.changes.into_iter().flatten().collect()
    }
}

/// The changes of one delta round, and the token that follows them.
///
/// Process the changes, then call [`commit`](Self::commit) to store the new
/// token. Dropping the round without committing keeps the old token: the
/// next run returns these changes again.
#[must_use = "the new delta token is stored only by commit()"]
pub struct DeltaRound<T> {
    changes: Vec<Change<T>>,
    delta_link: String,
    resynced: bool,
    full_sync: bool,
    pages: usize,
    store: Arc<dyn DeltaStore>,
    key: String,
}

impl<T> std::fmt::Debug for DeltaRound<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeltaRound")
            .field("changes", &self.changes.len())
            .field("resynced", &self.resynced)
            .field("full_sync", &self.full_sync)
            .field("pages", &self.pages)
            .finish()
    }
}

impl<T> DeltaRound<T> {
    /// The changes, in order, one per id.
    pub fn changes(&self) -> &[Change<T>] {
        &self.changes
    }

    /// Takes the changes out (the round can still be committed).
    pub fn take_changes(&mut self) -> Vec<Change<T>> {
        std::mem::take(&mut self.changes)
    }

    /// Created or updated items.
    pub fn upserted(&self) -> impl Iterator<Item = &T> {
        self.changes.iter().filter_map(Change::upserted)
    }

    /// Removed items.
    pub fn removed(&self) -> impl Iterator<Item = &Removal> {
        self.changes.iter().filter_map(Change::removal)
    }

    /// True when the stored token was rejected and this round is a full resync.
    pub fn resynced(&self) -> bool {
        self.resynced
    }

    /// True when this round started without a token (first run or resync).
    pub fn full_sync(&self) -> bool {
        self.full_sync
    }

    /// How many pages the round fetched.
    pub fn pages(&self) -> usize {
        self.pages
    }

    /// The deltaLink the next round starts from.
    pub fn delta_link(&self) -> &str {
        &self.delta_link
    }

    /// Stores the new token. Call after the changes were handled.
    pub async fn commit(self) -> Result<()> {
        self.store.save(&self.key, &self.delta_link).await
    }
}
