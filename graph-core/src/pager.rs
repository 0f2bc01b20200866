//! Following `@odata.nextLink`: page and item streams, read-ahead, resume.

use std::collections::HashSet;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use futures::Stream;
use futures::future::BoxFuture;
use std::time::Duration;

use http::{HeaderMap, Method};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::{Error, GraphClient, Page, Request, Response, Result};

/// Where to pick up a listing later: the page link to fetch again and how
/// many of its items were already handed out. Serializable, so a caller can
/// store it and resume in another process.
///
/// ```
/// use msgraph_core::Continuation;
/// let c = Continuation::new("https://graph.microsoft.com/v1.0/me/messages?$skip=20", 3);
/// let saved = serde_json::to_string(&c).unwrap();
/// let back: Continuation = serde_json::from_str(&saved).unwrap();
/// assert_eq!(back, c);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Continuation {
    /// Absolute URL of the page to fetch.
    pub link: String,
    /// Items of that page already handed out, skipped on resume.
    pub skip: usize,
}

impl Continuation {
    /// A continuation at `link`, skipping its first `skip` items.
    pub fn new(link: impl Into<String>, skip: usize) -> Self {
        Continuation { link: link.into(), skip }
    }
}

/// A 64-bit hash of a link (`DefaultHasher::new()` is not randomly keyed).
fn link_hash(link: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    link.hash(&mut h);
    h.finish()
}

/// How a page's body becomes a `Page<T>`: [`Response::json`] unless a
/// stream was given its own (see [`PageStream::parse_with`]).
pub(crate) type ParsePage<T> = fn(&Response) -> Result<Page<T>>;

/// A fetch in flight: spawned on the runtime (read-ahead) or polled in place.
enum Fetch<T> {
    Spawned(tokio::task::JoinHandle<Result<Fetched<T>>>, ParsePage<T>),
    Local(BoxFuture<'static, Result<Page<T>>>),
}

/// What a read-ahead task hands back: the page parsed in the task (the
/// caller was busy with the previous page, so the parse overlapped its
/// work), or the response to parse in the caller's poll (the caller was
/// already waiting for it: parsing on its own thread costs it no time and
/// keeps the items' allocations on the thread that drops them).
enum Fetched<T> {
    Parsed(Page<T>),
    Unparsed(Response),
}

impl<T: DeserializeOwned> Fetch<T> {
    fn poll(&mut self, cx: &mut Context<'_>) -> Poll<Result<Page<T>>> {
        match self {
            Fetch::Spawned(h, parse) => match Pin::new(h).poll(cx) {
                Poll::Ready(Ok(Ok(Fetched::Parsed(page)))) => Poll::Ready(Ok(page)),
                Poll::Ready(Ok(Ok(Fetched::Unparsed(response)))) => Poll::Ready(parse(&response)),
                Poll::Ready(Ok(Err(e))) => Poll::Ready(Err(e)),
                Poll::Ready(Err(e)) => Poll::Ready(Err(Error::transport("the page fetch task failed", e))),
                Poll::Pending => Poll::Pending,
            },
            Fetch::Local(f) => f.as_mut().poll(cx),
        }
    }
}

impl<T> Drop for Fetch<T> {
    fn drop(&mut self) {
        if let Fetch::Spawned(h, _) = self {
            h.abort();
        }
    }
}

/// A stream of pages. Made by a list builder's `.pages()`.
///
/// It follows `@odata.nextLink` through the client's pipeline (fresh token and
/// retry on every page), sends the first request's headers (`Prefer`,
/// `ConsistencyLevel`, ...) on every page, stops with [`Error::Paging`] when a
/// nextLink repeats or after [`max_pages`](Self::max_pages) pages, and, with
/// read-ahead on, fetches page *n + 1* while the caller works on page *n*,
/// never further ahead.
#[must_use = "streams do nothing unless polled"]
pub struct PageStream<T> {
    client: GraphClient,
    headers: HeaderMap,
    prefetch: bool,
    /// Wait before each page after the first.
    pace: Option<Duration>,
    first: Option<Request>,
    /// The link whose page the caller has not received yet.
    pending_link: Option<String>,
    in_flight: Option<Fetch<T>>,
    /// Hashes of every link fetched, to stop on a repeat (8 bytes a page, so
    /// memory stays flat however long the listing).
    seen: HashSet<u64>,
    skip_first: usize,
    deferred_error: Option<Error>,
    done: bool,
    /// The link of the page last handed out.
    current_link: Option<String>,
    /// Pages handed out so far, and the most that may be.
    handed_out: usize,
    max_pages: Option<usize>,
    /// True while the caller waits for the next page (it asked for it and
    /// has not got it); read by the read-ahead task when its response has
    /// arrived, to decide where the page is parsed.
    caller_waiting: Arc<AtomicBool>,
    parse: ParsePage<T>,
}

impl<T> std::fmt::Debug for PageStream<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // the link's query holds the caller's `$filter`: not shown
        f.debug_struct("PageStream")
            .field("has_next", &self.pending_link.is_some())
            .field("pages", &self.handed_out)
            .field("prefetch", &self.prefetch)
            .field("done", &self.done)
            .finish()
    }
}

impl<T: DeserializeOwned + Send + 'static> PageStream<T> {
    /// Pages starting with `first`. `headers` are sent on every later page.
    pub fn new(client: GraphClient, first: Request, headers: HeaderMap) -> Self {
        let prefetch = client.prefetch();
        let (first_link, deferred_error) = match first.url(client.base_url()) {
            Ok(u) => (Some(u.to_string()), None),
            Err(e) => (None, Some(e)),
        };
        let mut seen = HashSet::new();
        if let Some(l) = &first_link {
            seen.insert(link_hash(l));
        }
        let done = deferred_error.is_some();
        PageStream {
            client,
            headers,
            prefetch,
            pace: None,
            first: if done { None } else { Some(first) },
            pending_link: first_link,
            in_flight: None,
            seen,
            skip_first: 0,
            deferred_error,
            done,
            current_link: None,
            handed_out: 0,
            max_pages: None,
            caller_waiting: Arc::new(AtomicBool::new(false)),
            parse: Response::json::<Page<T>>,
        }
    }

    /// Pages starting at a continuation handed back earlier.
    pub fn resume(client: GraphClient, continuation: &Continuation, headers: HeaderMap) -> Self {
        let first = Request::to_url(Method::GET, &continuation.link).map(|r| r.headers(&headers));
        match first {
            Ok(req) => {
                let mut s = Self::new(client, req, headers);
                s.skip_first = continuation.skip;
                s
            }
            Err(e) => Self::failed(client, e),
        }
    }

    /// A stream whose first item is `error` (input that failed validation).
    pub(crate) fn failed(client: GraphClient, error: Error) -> Self {
        PageStream {
            client,
            headers: HeaderMap::new(),
            prefetch: false,
            pace: None,
            first: None,
            pending_link: None,
            in_flight: None,
            seen: HashSet::new(),
            skip_first: 0,
            deferred_error: Some(error),
            done: true,
            current_link: None,
            handed_out: 0,
            max_pages: None,
            caller_waiting: Arc::new(AtomicBool::new(false)),
            parse: Response::json::<Page<T>>,
        }
    }

    /// Turns read-ahead on or off (default: the client's setting).
    pub fn prefetch(mut self, on: bool) -> Self {
        self.prefetch = on;
        self
    }

    /// Waits this long before asking for each page after the first
    /// (`None`: no wait). With read-ahead on, the wait runs in the
    /// background while the caller works on the current page.
    pub fn pace(mut self, between_pages: Option<Duration>) -> Self {
        self.pace = between_pages.filter(|d| !d.is_zero());
        self
    }

    /// At most `n` pages (at least one): when Graph still has a nextLink
    /// after the `n`th, the stream ends with [`Error::Paging`] instead of
    /// fetching it (and [`continuation`](Self::continuation) points at it).
    /// A server that keeps sending new nextLinks then cannot keep a caller
    /// reading for ever. Default: no limit, since the caller pulls every page
    /// and can stop at any time.
    pub fn max_pages(mut self, n: usize) -> Self {
        self.max_pages = Some(n.max(1));
        self
    }

    /// Parses each page with `parse` instead of [`Response::json`] (the
    /// delta round's pages: one pass per item, with a fallback).
    pub(crate) fn parse_with(mut self, parse: ParsePage<T>) -> Self {
        self.parse = parse;
        self
    }

    /// True when polling may still fetch a page (the first one, or a nextLink).
    pub(crate) fn will_fetch(&self) -> bool {
        self.first.is_some() || self.in_flight.is_some() || (!self.done && self.pending_link.is_some())
    }

    /// Where to resume: the first page not yet handed out, or `None` when
    /// every page was.
    pub fn continuation(&self) -> Option<Continuation> {
        self.pending_link
            .as_ref()
            .map(|l| Continuation::new(l.clone(), if self.current_link.is_none() { self.skip_first } else { 0 }))
    }

    /// The link of the page most recently handed out.
    pub fn current_link(&self) -> Option<&str> {
        self.current_link.as_deref()
    }

    fn start(&self, request: Request, wait: Option<Duration>) -> Fetch<T> {
        let client = self.client.clone();
        let parse = self.parse;
        if self.prefetch
            && let Ok(handle) = tokio::runtime::Handle::try_current()
        {
            let caller_waiting = self.caller_waiting.clone();
            return Fetch::Spawned(
                handle.spawn(async move {
                    if let Some(wait) = wait {
                        tokio::time::sleep(wait).await;
                    }
                    let response = client.execute(request).await?;
                    if caller_waiting.load(Ordering::Relaxed) {
                        Ok(Fetched::Unparsed(response))
                    } else {
                        parse(&response).map(Fetched::Parsed)
                    }
                }),
                parse,
            );
        }
        Fetch::Local(Box::pin(async move {
            if let Some(wait) = wait {
                tokio::time::sleep(wait).await;
            }
            parse(&client.execute(request).await?)
        }))
    }

    fn start_link(&self, link: &str) -> Result<Fetch<T>> {
        let req = Request::to_url(Method::GET, link)?.headers(&self.headers);
        Ok(self.start(req, self.pace))
    }
}

impl<T: DeserializeOwned + Send + 'static> Stream for PageStream<T> {
    type Item = Result<Page<T>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        // The caller asks for a page: until it gets one, it waits on us.
        this.caller_waiting.store(true, Ordering::Relaxed);
        let next = this.poll_page(cx);
        if next.is_ready() {
            this.caller_waiting.store(false, Ordering::Relaxed);
        }
        next
    }
}

impl<T: DeserializeOwned + Send + 'static> PageStream<T> {
    fn poll_page(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Page<T>>>> {
        let this = self;
        loop {
            if let Some(fetch) = this.in_flight.as_mut() {
                let res = match fetch.poll(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(r) => r,
                };
                this.in_flight = None;
                let mut page = match res {
                    Ok(p) => p,
                    Err(e) => {
                        this.done = true;
                        return Poll::Ready(Some(Err(e)));
                    }
                };
                if this.current_link.is_none() && this.skip_first > 0 {
                    let n = this.skip_first.min(page.value.len());
                    page.value.drain(..n);
                }
                this.current_link = this.pending_link.take();
                this.handed_out += 1;
                match &page.next_link {
                    Some(next) if !this.seen.insert(link_hash(next)) => {
                        this.done = true;
                        this.deferred_error = Some(Error::Paging(format!(
                            "the nextLink repeats an earlier page ({} pages in); stopping instead of looping",
                            this.seen.len()
                        )));
                    }
                    Some(next) if this.max_pages.is_some_and(|max| this.handed_out >= max) => {
                        this.pending_link = Some(next.clone());
                        this.done = true;
                        this.deferred_error = Some(Error::Paging(format!(
                            "the listing has more than {} pages, the limit set with max_pages; \
                             continuation() resumes after it",
                            this.handed_out
                        )));
                    }
                    Some(next) => {
                        this.pending_link = Some(next.clone());
                        if this.prefetch {
                            match this.start_link(next) {
                                Ok(f) => this.in_flight = Some(f),
                                Err(e) => {
                                    this.done = true;
                                    this.deferred_error = Some(e);
                                }
                            }
                        }
                    }
                    None => this.done = true,
                }
                return Poll::Ready(Some(Ok(page)));
            }
            if let Some(e) = this.deferred_error.take() {
                this.done = true;
                return Poll::Ready(Some(Err(e)));
            }
            if let Some(first) = this.first.take() {
                this.in_flight = Some(this.start(first, None));
                continue;
            }
            if this.done {
                return Poll::Ready(None);
            }
            match this.pending_link.clone() {
                Some(link) => match this.start_link(&link) {
                    Ok(f) => this.in_flight = Some(f),
                    Err(e) => {
                        this.done = true;
                        return Poll::Ready(Some(Err(e)));
                    }
                },
                None => {
                    this.done = true;
                    return Poll::Ready(None);
                }
            }
        }
    }
}

/// A stream of items across every page. Made by a list builder's `.stream()`.
///
/// ```no_run
/// use futures::TryStreamExt;
/// # async fn run(pages: msgraph_core::ItemStream<msgraph_core::models::User>) -> msgraph_core::Result<()> {
/// let mut items = pages;
/// while let Some(user) = items.try_next().await? {
///     println!("{:?}", user.display_name);
/// }
/// # Ok(()) }
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct ItemStream<T> {
    pages: PageStream<T>,
    buffer: std::vec::IntoIter<T>,
    handed_from_current: usize,
    skipped_on_current: usize,
}

// Nothing is ever pinned in place inside these streams (fetches are boxed or
// spawned), so they are `Unpin` whatever `T` is.
impl<T> Unpin for ItemStream<T> {}
impl<T> Unpin for PageStream<T> {}

impl<T> std::fmt::Debug for ItemStream<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ItemStream").field("pages", &self.pages).field("buffered", &self.buffer.len()).finish()
    }
}

impl<T: DeserializeOwned + Send + 'static> ItemStream<T> {
    /// Items of `pages`.
    pub fn new(pages: PageStream<T>) -> Self {
        ItemStream { pages, buffer: Vec::new().into_iter(), handed_from_current: 0, skipped_on_current: 0 }
    }

    /// Where to resume so that no item comes twice and none is skipped:
    /// the current page again, minus what was already handed out; or the
    /// next page when the current one is used up. `None` when done.
    pub fn continuation(&self) -> Option<Continuation> {
        if !self.buffer.as_slice().is_empty()
            && let Some(link) = self.pages.current_link()
        {
            return Some(Continuation::new(link, self.skipped_on_current + self.handed_from_current));
        }
        self.pages.continuation()
    }
}

impl<T: DeserializeOwned + Send + 'static> Stream for ItemStream<T> {
    type Item = Result<T>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(item) = this.buffer.next() {
                this.handed_from_current += 1;
                return Poll::Ready(Some(Ok(item)));
            }
            let first_page = this.pages.current_link.is_none();
            let skip = if first_page { this.pages.skip_first } else { 0 };
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(page))) => {
                    this.buffer = page.value.into_iter();
                    this.handed_from_current = 0;
                    this.skipped_on_current = skip;
                }
            }
        }
    }
}
