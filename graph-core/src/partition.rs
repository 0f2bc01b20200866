//! Partitioned scans: one listing read as several nextLink chains at once.
//!
//! A nextLink chain is sequential: a bootstrap scan of a large mailbox takes
//! (pages × round trip) however fast the client is. A [`PartitionedScan`]
//! splits the collection into `k` disjoint half-open ranges of a date-time
//! property (for messages `receivedDateTime`), runs one ordinary chain per
//! range side by side and merges their items into one stream. It relies only
//! on documented `$filter` and `$orderby`, never on the shape of nextLinks.
//!
//! How the ranges are made: two one-item requests find the oldest and newest
//! value of the property (in the user's `$filter`); the span between them is
//! cut into `k` equal parts at whole seconds. The first range has no lower
//! bound and the last no upper bound, so items that arrive during the scan
//! with a value outside the span are still in exactly one range; every other
//! boundary belongs to the range above it (`ge b and lt b'`), so an item whose
//! value sits on a boundary is read exactly once. Items without a value for
//! the property are in no range (a message always has `receivedDateTime`).
//!
//! Work stealing: when a chain ends while others still have pages, the one
//! with the most left (its last page's density times the span it has not
//! read) is cut at a whole second strictly after the last item it delivered;
//! a new chain reads `[cut, its end)`, and the running chain, which cannot
//! change its nextLink, drops the items at or after the cut and stops at the
//! first of them. It reads in ascending order, so what it delivered is below
//! the cut and what it drops is the new chain's: every item once, equal
//! values on the cut included. At most `k` chains run at a time; each reads
//! one page ahead of the caller and keeps it as JSON (the merge parses one
//! page at a time), so memory holds about `k` pages of JSON more than a
//! sequential stream.
//!
//! The chains share the client's per-mailbox concurrency limit
//! ([`GraphClientBuilder::max_concurrent_per_mailbox`](crate::GraphClientBuilder::max_concurrent_per_mailbox),
//! 4 by default, Graph's limit for Outlook resources), so `k` above it only
//! queues.

use std::collections::HashSet;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use futures::Stream;
use futures::stream::{self, BoxStream, StreamExt as _};
use http::{HeaderMap, Method};
use serde::de::{DeserializeOwned, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use tokio::sync::mpsc;

use crate::{Error, GraphClient, ListBuilder, Page, Request, Response, Result};

/// The lower bound a chain without one filters on (the earliest date Graph
/// takes), so that the ordered property is always first in `$filter`.
const FLOOR: &str = "1601-01-01T00:00:00Z";

/// The most chains one scan runs.
pub const MAX_PARTITIONS: usize = 16;

/// A listing read as `k` nextLink chains over disjoint ranges of a
/// date-time property, merged into one item stream (in no global order).
/// Made by [`ListBuilder::partitioned_by`] (mail: `MessageListExt::partitioned`).
///
/// The user's `$filter`, `$select`, `$top`, headers and preferences apply to
/// every chain, and so do `pace` and `max_pages` (each chain on its own); the range comes first in each chain's `$filter` and the
/// chain is ordered by the property, as Outlook requires for a filter on it.
/// `$search`, `$skip`, `$orderby` on another property and a resume point
/// cannot be partitioned and are an [`Error::InvalidInput`] before anything
/// is sent. If one chain fails, the stream yields that error.
///
/// ```no_run
/// use futures::TryStreamExt;
/// use msgraph_core::{GraphClient, GraphPath, ListBuilder};
/// # async fn run(client: GraphClient) -> msgraph_core::Result<()> {
/// let inbox: ListBuilder<serde_json::Value> =
///     ListBuilder::new(client, GraphPath::new().push("me").push("messages"));
/// let mut all = inbox.select(["id", "subject"]).top(50).partitioned_by("receivedDateTime", 4).stream();
/// while let Some(m) = all.try_next().await? {
///     println!("{}", m["subject"]);
/// }
/// # Ok(()) }
/// ```
#[must_use = "a scan does nothing until streamed"]
pub struct PartitionedScan<T> {
    base: ListBuilder<T>,
    property: String,
    k: usize,
    steal: bool,
}

impl<T> std::fmt::Debug for PartitionedScan<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PartitionedScan")
            .field("base", &self.base)
            .field("property", &self.property)
            .field("k", &self.k)
            .field("work_stealing", &self.steal)
            .finish()
    }
}

impl<T: DeserializeOwned + Send + 'static> PartitionedScan<T> {
    pub(crate) fn new(base: ListBuilder<T>, property: String, k: usize) -> Self {
        PartitionedScan { base, property, k, steal: true }
    }

    fn check(&self) -> Result<()> {
        let p = &self.property;
        if p.is_empty() || !p.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(Error::invalid_input(format!(
                "a partitioned scan needs a plain property name (e.g. receivedDateTime), not {p:?}"
            )));
        }
        if self.k == 0 || self.k > MAX_PARTITIONS {
            return Err(Error::invalid_input(format!(
                "a partitioned scan runs 1 to {MAX_PARTITIONS} chains, not {}",
                self.k
            )));
        }
        let q = self.base.query_options();
        if q.search.is_some() {
            return Err(Error::invalid_input(
                "a $search listing cannot be partitioned (Graph does not combine $search with $filter)",
            ));
        }
        if q.skip.is_some() {
            return Err(Error::invalid_input("a listing with $skip cannot be partitioned"));
        }
        if q.order_by.iter().any(|o| o.split_whitespace().next() != Some(p.as_str())) {
            return Err(Error::invalid_input(format!(
                "a partitioned scan is ordered by {p} within each chain; drop the other $orderby"
            )));
        }
        if self.base.has_resume_point() {
            return Err(Error::invalid_input("a resumed listing cannot be partitioned"));
        }
        Ok(())
    }

    /// The oldest (`asc`) or newest (`desc`) value of the property under the user's filter.
    async fn edge(&self, direction: &str) -> Result<Option<DateTime<Utc>>> {
        let mut probe: ListBuilder<Value> = self.base.retyped();
        let q = probe.query_mut();
        q.select = vec![self.property.clone()];
        q.order_by = vec![format!("{} {direction}", self.property)];
        q.top = Some(1);
        q.expand.clear();
        q.count = None;
        // Outlook wants the ordered property first in the filter
        q.filter = Some(with_user(format!("{} ge {FLOOR}", self.property), q.filter.as_deref()));
        let page = probe.send().await?;
        let Some(first) = page.value.first() else { return Ok(None) };
        match first.get(&self.property) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => DateTime::parse_from_rfc3339(s)
                .map(|d| Some(d.with_timezone(&Utc)))
                .map_err(|e| Error::Paging(format!("{} {s:?} is not a date-time: {e}", self.property))),
            Some(other) => Err(Error::Paging(format!("{} is not a date-time: {other}", self.property))),
        }
    }

    /// The inner boundaries of the ranges (k-1 at most, strictly increasing,
    /// whole seconds, all after the oldest value).
    async fn boundaries(&self) -> Result<Vec<DateTime<Utc>>> {
        if self.k == 1 {
            return Ok(Vec::new());
        }
        let (Some(oldest), Some(newest)) = (self.edge("asc").await?, self.edge("desc").await?) else {
            return Ok(Vec::new());
        };
        Ok(cut(oldest, newest, self.k))
    }

    /// Each chain's `$filter`, as it will be sent (two requests find the
    /// boundaries). For logs and tests.
    pub async fn plan(&self) -> Result<Vec<String>> {
        self.check()?;
        let cuts = self.boundaries().await?;
        Ok(ranges(&self.property, &cuts, self.base.query_options().filter.as_deref()))
    }

    /// Splits ranges again while the scan runs (default on): when a chain
    /// ends while others still have pages, the chain with the most left is
    /// cut in two at a whole second after the last item it delivered, and a
    /// new chain reads the upper part. The running chain keeps its nextLink,
    /// drops the items at or after the cut and stops there, so every item is
    /// still read once. At most `k` chains run at a time.
    pub fn work_stealing(mut self, on: bool) -> Self {
        self.steal = on;
        self
    }

    /// Every item of every range, merged as they come. Each chain reads at
    /// most one page ahead of the caller.
    pub fn stream(self) -> BoxStream<'static, Result<T>> {
        stream::once(async move {
            self.check()?;
            let edges = if self.k == 1 {
                None
            } else {
                match (self.edge("asc").await?, self.edge("desc").await?) {
                    (Some(o), Some(n)) => Some((o, n)),
                    _ => None,
                }
            };
            let cuts = edges.map(|(o, n)| cut(o, n, self.k)).unwrap_or_default();
            Merge::start(self, &cuts, edges)
        })
        .flat_map(|r| match r {
            Ok(merged) => merged.boxed(),
            Err(e) => stream::once(async move { Err(e) }).boxed(),
        })
        .boxed()
    }
}

/// Microseconds since the Unix epoch: an item's value and a range's bounds.
type Stamp = i64;

const SECOND: Stamp = 1_000_000;

fn micros(t: &DateTime<Utc>) -> Stamp {
    t.timestamp_micros()
}

fn literal(t: Stamp) -> String {
    DateTime::<Utc>::from_timestamp_micros(t).unwrap_or_default().to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

/// One page of a chain, still unparsed (a page of JSON takes less memory
/// than its items: the merge parses one page at a time), each item's value
/// of the property in order, and whether a nextLink follows.
struct ChainPage {
    response: Response,
    stamps: Vec<Option<Stamp>>,
    more: bool,
}

/// A chain: a task following one range's nextLinks, one page ahead of the merge.
struct Chain {
    rx: mpsc::Receiver<Result<ChainPage>>,
    task: tokio::task::JoinHandle<()>,
    /// The cut, shared with the task so that it stops fetching past it.
    stop: Arc<AtomicI64>,
    /// The range the chain's filter asks for (`None`: open).
    lo: Option<Stamp>,
    hi: Option<Stamp>,
    /// Items at or after this were given to another chain: dropped here.
    limit: Option<Stamp>,
    /// The value of the last item delivered.
    last: Option<Stamp>,
    /// Items per microsecond on the last page (an estimate of what is left).
    density: Option<f64>,
    page_len: usize,
}

impl Drop for Chain {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Chain {
    /// Parses a page and keeps the items below the limit; true when the chain is done.
    fn take<T: DeserializeOwned>(&mut self, page: ChainPage) -> Result<(Vec<T>, bool)> {
        let ChainPage { response, stamps, more } = page;
        let items = response.json::<Page<T>>()?.value;
        if stamps.len() != items.len() {
            return Err(Error::Paging("a page's items and their values of the ordered property differ".into()));
        }
        Ok(self.keep(items, stamps, more))
    }

    fn keep<T>(&mut self, items: Vec<T>, stamps: Vec<Option<Stamp>>, more: bool) -> (Vec<T>, bool) {
        let mut done = !more;
        let kept: Vec<(T, Option<Stamp>)> = match self.limit {
            None => items.into_iter().zip(stamps).collect(),
            Some(limit) => items
                .into_iter()
                .zip(stamps)
                .filter(|(_, t)| {
                    let beyond = t.is_some_and(|t| t >= limit);
                    done |= beyond;
                    !beyond
                })
                .collect(),
        };
        let mut known = kept.iter().filter_map(|(_, t)| *t);
        if let Some(first) = known.next() {
            let last = known.last().unwrap_or(first);
            self.last = Some(self.last.map_or(last, |l| l.max(last)));
            self.density = Some(kept.len() as f64 / ((last - first).max(SECOND)) as f64);
        }
        self.page_len = self.page_len.max(kept.len());
        (kept.into_iter().map(|(item, _)| item).collect(), done)
    }
}

/// The merge of the chains, and the stealing of ranges between them.
struct Merge<T> {
    chains: Vec<Chain>,
    current: std::vec::IntoIter<T>,
    base: ListBuilder<T>,
    property: Arc<str>,
    k: usize,
    steal: bool,
    oldest: Option<Stamp>,
    newest: Option<Stamp>,
    next_poll: usize,
}

// nothing in a merge is pinned
impl<T> Unpin for Merge<T> {}

impl<T: DeserializeOwned + Send + 'static> Merge<T> {
    fn start(
        scan: PartitionedScan<T>,
        cuts: &[DateTime<Utc>],
        edges: Option<(DateTime<Utc>, DateTime<Utc>)>,
    ) -> Result<Self> {
        let mut merge = Merge {
            chains: Vec::with_capacity(scan.k),
            current: Vec::new().into_iter(),
            base: scan.base,
            property: Arc::from(scan.property.as_str()),
            k: scan.k,
            steal: scan.steal,
            oldest: edges.map(|(o, _)| micros(&o)),
            newest: edges.map(|(_, n)| micros(&n)),
            next_poll: 0,
        };
        let cuts: Vec<Stamp> = cuts.iter().map(micros).collect();
        let mut lo = None;
        for hi in cuts.iter().copied().map(Some).chain([None]) {
            merge.spawn(lo, hi, None)?;
            lo = hi;
        }
        Ok(merge)
    }

    /// Starts the chain of `[lo, hi)`.
    fn spawn(&mut self, lo: Option<Stamp>, hi: Option<Stamp>, density: Option<f64>) -> Result<()> {
        let mut chain = self.base.clone();
        let p = &*self.property;
        let q = chain.query_mut();
        q.filter = Some(range_filter(p, lo, hi, q.filter.as_deref()));
        q.order_by = vec![format!("{p} asc")];
        let (client, first, headers) = chain.chain_parts()?;
        let (pace, max_pages) = chain.pace_and_limit();
        let runtime = tokio::runtime::Handle::try_current()
            .map_err(|_| Error::invalid_input("a partitioned scan runs on a Tokio runtime"))?;
        let (tx, rx) = mpsc::channel(1);
        let stop = Arc::new(AtomicI64::new(Stamp::MAX));
        let pages = ChainPaging { headers, pace, max_pages };
        let task = runtime.spawn(run_chain(client, first, pages, self.property.clone(), tx, stop.clone()));
        self.chains.push(Chain { rx, task, stop, lo, hi, limit: None, last: None, density, page_len: 0 });
        Ok(())
    }

    /// While fewer than `k` chains run, cuts the one with the most left in
    /// two and starts a chain on its upper part.
    fn rebalance(&mut self) -> Result<()> {
        if !self.steal {
            return Ok(());
        }
        while self.chains.len() < self.k {
            let mut best: Option<(usize, f64, Stamp)> = None;
            for (i, c) in self.chains.iter().enumerate() {
                let Some(at) = c.last.or(c.lo).or(self.oldest) else { continue };
                let Some(end) = c.limit.or(c.hi).or(self.newest.map(|n| n.max(at) + SECOND)) else { continue };
                let Some(split) = split_point(at, end) else { continue };
                let left = c.density.map_or(f64::MAX, |d| d * (end - at) as f64);
                if left < (2 * c.page_len.max(1)) as f64 {
                    continue;
                }
                if best.is_none_or(|(_, l, _)| left > l) {
                    best = Some((i, left, split));
                }
            }
            let Some((i, _, split)) = best else { break };
            let victim = &mut self.chains[i];
            let hi = victim.limit.or(victim.hi);
            let density = victim.density;
            victim.limit = Some(split);
            victim.stop.store(split, Ordering::Relaxed);
            self.spawn(Some(split), hi, density)?;
        }
        Ok(())
    }
}

/// A whole second strictly after `at` and before `end`, near their middle.
fn split_point(at: Stamp, end: Stamp) -> Option<Stamp> {
    let mid = at + (end - at) / 2;
    let split = (mid.div_euclid(SECOND) * SECOND).max(at.div_euclid(SECOND) * SECOND + SECOND);
    (split > at && split < end).then_some(split)
}

impl<T: DeserializeOwned + Send + 'static> Stream for Merge<T> {
    type Item = Result<T>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(item) = this.current.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            let n = this.chains.len();
            if n == 0 {
                return Poll::Ready(None);
            }
            let mut got = None;
            for j in 0..n {
                let i = (this.next_poll + j) % n;
                if let Poll::Ready(r) = this.chains[i].rx.poll_recv(cx) {
                    got = Some((i, r));
                    break;
                }
            }
            this.next_poll = this.next_poll.wrapping_add(1);
            match got {
                None => return Poll::Pending,
                // the task ended after its last page
                Some((i, None)) => {
                    this.chains.swap_remove(i);
                }
                Some((i, Some(Err(e)))) => {
                    this.chains.swap_remove(i);
                    return Poll::Ready(Some(Err(e)));
                }
                Some((i, Some(Ok(page)))) => match this.chains[i].take(page) {
                    Ok((items, done)) => {
                        if done {
                            this.chains.swap_remove(i);
                        }
                        this.current = items.into_iter();
                    }
                    Err(e) => {
                        this.chains.swap_remove(i);
                        return Poll::Ready(Some(Err(e)));
                    }
                },
            }
            if let Err(e) = this.rebalance() {
                this.chains.clear();
                return Poll::Ready(Some(Err(e)));
            }
        }
    }
}

/// How a chain pages: the headers of every later page, the listing's
/// `pace` and `max_pages` (per chain).
struct ChainPaging {
    headers: HeaderMap,
    pace: Option<Duration>,
    max_pages: Option<usize>,
}

/// Follows one chain's nextLinks; each page is fetched once the previous one
/// was taken by the merge (one page ahead), and the chain stops after a page
/// that reaches the cut.
async fn run_chain(
    client: GraphClient,
    first: Request,
    paging: ChainPaging,
    property: Arc<str>,
    tx: mpsc::Sender<Result<ChainPage>>,
    stop: Arc<AtomicI64>,
) {
    let ChainPaging { headers, pace, max_pages } = paging;
    let mut request = first;
    let mut seen = HashSet::new();
    let mut fetched_pages = 0usize;
    loop {
        let Ok(permit) = tx.reserve().await else { return };
        if fetched_pages > 0
            && let Some(wait) = pace
        {
            tokio::time::sleep(wait).await;
        }
        fetched_pages += 1;
        let fetched = async {
            let response = client.execute(request).await?;
            let (stamps, next) = scan_page(response.body(), &property)?;
            Ok::<_, Error>((response, stamps, next))
        };
        let (response, stamps, next) = match fetched.await {
            Ok(p) => p,
            Err(e) => {
                permit.send(Err(e));
                return;
            }
        };
        let last = stamps.iter().rev().find_map(|t| *t);
        permit.send(Ok(ChainPage { response, stamps, more: next.is_some() }));
        let Some(next) = next else { return };
        if last.is_some_and(|l| l >= stop.load(Ordering::Relaxed)) {
            return;
        }
        if max_pages.is_some_and(|max| fetched_pages >= max) {
            let _ = tx
                .send(Err(Error::Paging(format!(
                    "a chain of the scan has more than {fetched_pages} pages, the limit set with max_pages"
                ))))
                .await;
            return;
        }
        if !seen.insert(next.clone()) {
            let _ = tx
                .send(Err(Error::Paging(
                    "a chain's nextLink repeats an earlier page; stopping instead of looping".into(),
                )))
                .await;
            return;
        }
        request = match Request::to_url(Method::GET, &next) {
            Ok(r) => r.headers(&headers),
            Err(e) => {
                let _ = tx.send(Err(e)).await;
                return;
            }
        };
    }
}

/// The value of `property` of every item of a page's `value`, in order
/// (`None` where missing or null), and the page's nextLink, read without
/// building the items.
fn scan_page(body: &[u8], property: &str) -> Result<(Vec<Option<Stamp>>, Option<String>)> {
    let mut de = serde_json::Deserializer::from_slice(body);
    StampPage(property)
        .deserialize(&mut de)
        .map_err(|e| Error::Paging(format!("the page's {property} values could not be read: {e}")))
}

#[cfg(test)]
fn stamps(body: &[u8], property: &str) -> Result<Vec<Option<Stamp>>> {
    scan_page(body, property).map(|(s, _)| s)
}

struct StampPage<'a>(&'a str);
struct StampList<'a>(&'a str);
struct StampItem<'a>(&'a str);
struct KeyIs<'a>(&'a str);
struct StampValue;

impl<'de> DeserializeSeed<'de> for StampPage<'_> {
    type Value = (Vec<Option<Stamp>>, Option<String>);
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for StampPage<'_> {
    type Value = (Vec<Option<Stamp>>, Option<String>);
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a page")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Self::Value, A::Error> {
        let (mut out, mut next) = (Vec::new(), None);
        while let Some(key) = map.next_key_seed(PageKey::Other)? {
            match key {
                PageKey::Value => out = map.next_value_seed(StampList(self.0))?,
                PageKey::NextLink => next = map.next_value::<Option<String>>()?,
                PageKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok((out, next))
    }
}

/// A key of a page: `value`, `@odata.nextLink` or another.
#[derive(Clone, Copy)]
enum PageKey {
    Value,
    NextLink,
    Other,
}

impl<'de> DeserializeSeed<'de> for PageKey {
    type Value = PageKey;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<PageKey, D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for PageKey {
    type Value = PageKey;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a property name")
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<PageKey, E> {
        Ok(match v {
            "value" => PageKey::Value,
            "@odata.nextLink" => PageKey::NextLink,
            _ => PageKey::Other,
        })
    }
}

impl<'de> DeserializeSeed<'de> for StampList<'_> {
    type Value = Vec<Option<Stamp>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for StampList<'_> {
    type Value = Vec<Option<Stamp>>;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a list of items")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Self::Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(16));
        while let Some(t) = seq.next_element_seed(StampItem(self.0))? {
            out.push(t);
        }
        Ok(out)
    }
}

impl<'de> DeserializeSeed<'de> for StampItem<'_> {
    type Value = Option<Stamp>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for StampItem<'_> {
    type Value = Option<Stamp>;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an item")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Self::Value, A::Error> {
        let mut out = None;
        while let Some(is_it) = map.next_key_seed(KeyIs(self.0))? {
            if is_it {
                out = map.next_value_seed(StampValue)?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(out)
    }
}

impl<'de> DeserializeSeed<'de> for KeyIs<'_> {
    type Value = bool;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<bool, D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for KeyIs<'_> {
    type Value = bool;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a property name")
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<bool, E> {
        Ok(v == self.0)
    }
}

impl<'de> DeserializeSeed<'de> for StampValue {
    type Value = Option<Stamp>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl Visitor<'_> for StampValue {
    type Value = Option<Stamp>;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a date-time or null")
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<Self::Value, E> {
        DateTime::parse_from_rfc3339(v)
            .map(|d| Some(micros(&d.with_timezone(&Utc))))
            .map_err(|e| E::custom(format!("{v:?} is not a date-time: {e}")))
    }
    fn visit_unit<E: serde::de::Error>(self) -> std::result::Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: serde::de::Error>(self) -> std::result::Result<Self::Value, E> {
        Ok(None)
    }
}

/// `k` equal parts of `[oldest, newest]`, cut at whole seconds: the inner
/// boundaries, strictly increasing and after `oldest`.
fn cut(oldest: DateTime<Utc>, newest: DateTime<Utc>, k: usize) -> Vec<DateTime<Utc>> {
    let span = newest.signed_duration_since(oldest);
    if span <= TimeDelta::zero() {
        return Vec::new();
    }
    let mut out: Vec<DateTime<Utc>> = Vec::with_capacity(k.saturating_sub(1));
    for i in 1..k {
        let Ok(i) = i32::try_from(i) else { break };
        let Ok(k) = i32::try_from(k) else { break };
        let Some(step) = span.checked_mul(i).map(|d| d / k) else { break };
        let Some(at) = oldest.checked_add_signed(step) else { break };
        let at = at.duration_trunc(TimeDelta::seconds(1)).unwrap_or(at);
        if at > oldest && out.last().is_none_or(|l| at > *l) {
            out.push(at);
        }
    }
    out
}

fn with_user(range: String, user: Option<&str>) -> String {
    match user {
        Some(u) => format!("{range} and ({u})"),
        None => range,
    }
}

/// The `$filter` of the range `[lo, hi)` (`None`: open), the user's filter after it.
fn range_filter(property: &str, lo: Option<Stamp>, hi: Option<Stamp>, user: Option<&str>) -> String {
    let range = match (lo, hi) {
        (None, None) => format!("{property} ge {FLOOR}"),
        (None, Some(h)) => format!("{property} lt {}", literal(h)),
        (Some(l), None) => format!("{property} ge {}", literal(l)),
        (Some(l), Some(h)) => format!("{property} ge {} and {property} lt {}", literal(l), literal(h)),
    };
    with_user(range, user)
}

/// One `$filter` per range: `lt b1`, `ge b1 and lt b2`, ..., `ge bn`; the
/// user's filter after the range.
fn ranges(property: &str, cuts: &[DateTime<Utc>], user: Option<&str>) -> Vec<String> {
    let cuts: Vec<Stamp> = cuts.iter().map(micros).collect();
    let mut out = Vec::with_capacity(cuts.len() + 1);
    let mut lo = None;
    for hi in cuts.iter().copied().map(Some).chain([None]) {
        out.push(range_filter(property, lo, hi, user));
        lo = hi;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn the_span_is_cut_in_equal_whole_second_parts() {
        let c = cut(t("2026-01-01T00:00:00Z"), t("2026-01-05T00:00:00Z"), 4);
        assert_eq!(c, vec![t("2026-01-02T00:00:00Z"), t("2026-01-03T00:00:00Z"), t("2026-01-04T00:00:00Z")]);
        // a span of two seconds cannot be cut in 8: the boundaries stay distinct
        let c = cut(t("2026-01-01T00:00:00Z"), t("2026-01-01T00:00:02Z"), 8);
        assert_eq!(c, vec![t("2026-01-01T00:00:01Z")]);
        assert!(cut(t("2026-01-01T00:00:00Z"), t("2026-01-01T00:00:00Z"), 4).is_empty());
        assert!(cut(t("2026-01-02T00:00:00Z"), t("2026-01-01T00:00:00Z"), 4).is_empty());
    }

    #[test]
    fn ranges_are_half_open_and_open_at_both_ends() {
        let cuts = [t("2026-01-02T00:00:00Z"), t("2026-01-03T00:00:00Z")];
        assert_eq!(
            ranges("receivedDateTime", &cuts, Some("isRead eq false")),
            vec![
                "receivedDateTime lt 2026-01-02T00:00:00Z and (isRead eq false)",
                "receivedDateTime ge 2026-01-02T00:00:00Z and receivedDateTime lt 2026-01-03T00:00:00Z and (isRead eq false)",
                "receivedDateTime ge 2026-01-03T00:00:00Z and (isRead eq false)",
            ]
        );
        assert_eq!(ranges("receivedDateTime", &[], None), vec!["receivedDateTime ge 1601-01-01T00:00:00Z"]);
    }

    #[test]
    fn a_split_is_a_whole_second_strictly_after_the_last_item_and_before_the_end() {
        let at = micros(&t("2026-01-01T00:00:00Z"));
        assert_eq!(split_point(at, at + 10 * SECOND), Some(at + 5 * SECOND));
        // the last item at 00:00:00.5: never at or before it
        assert_eq!(split_point(at + SECOND / 2, at + 2 * SECOND), Some(at + SECOND));
        // nothing fits between an item and the end one second later
        assert_eq!(split_point(at, at + SECOND), None);
        assert_eq!(split_point(at + SECOND / 2, at + SECOND), None);
    }

    #[test]
    fn stamps_are_read_in_order_without_the_items() {
        let body = br#"{"@odata.context":"x","value":[{"id":"a","receivedDateTime":"2026-01-01T00:00:01Z","body":{"content":"receivedDateTime"}},{"id":"b"},{"receivedDateTime":null,"x":[1,{"receivedDateTime":"bad"}]}],"@odata.nextLink":"n"}"#;
        let got = stamps(body, "receivedDateTime").unwrap();
        assert_eq!(got, vec![Some(micros(&t("2026-01-01T00:00:01Z"))), None, None]);
        assert_eq!(scan_page(body, "receivedDateTime").unwrap().1.as_deref(), Some("n"));
        assert!(stamps(br#"{"value":[{"receivedDateTime":"yesterday"}]}"#, "receivedDateTime").is_err());
    }

    #[test]
    fn a_chain_drops_what_was_given_away_and_stops_there() {
        let (_tx, rx) = mpsc::channel(1);
        let mut chain = Chain {
            rx,
            task: tokio::runtime::Builder::new_current_thread().build().unwrap().spawn(async {}),
            stop: Arc::new(AtomicI64::new(Stamp::MAX)),
            lo: None,
            hi: None,
            limit: None,
            last: None,
            density: None,
            page_len: 0,
        };
        let stamps = |secs: &[i64]| secs.iter().map(|s| Some(s * SECOND)).collect::<Vec<_>>();
        assert_eq!(chain.keep(vec![1, 2, 3], stamps(&[10, 10, 12]), true), (vec![1, 2, 3], false));
        assert_eq!(chain.last, Some(12 * SECOND));
        chain.limit = Some(13 * SECOND);
        // equal values on the cut belong to the chain above it
        assert_eq!(chain.keep(vec![4, 5, 6, 7], stamps(&[12, 12, 13, 13]), true), (vec![4, 5], true));
        assert_eq!(chain.last, Some(12 * SECOND));
        assert_eq!(chain.keep(vec![8], stamps(&[12]), false), (vec![8], true));
    }
}
