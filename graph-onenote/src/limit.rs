//! OneNote's per-user concurrency limit, and the operation types that
//! honour it: [`OnenoteAction`] (one request, core's [`Action`] behind a
//! slot), [`OnenoteList`] (core's [`ListBuilder`], one slot per page) and
//! [`OnenoteGet`] (core's [`GetBuilder`]).
//!
//! OneNote throttles at a few concurrent requests per user and answers 429
//! without `Retry-After`; core's backoff handles a 429, and this crate keeps
//! at most [`DEFAULT_CONCURRENCY`] requests of one user in flight so the 429
//! is rare. The slots are shared by every handler of the same user on the
//! same service root (`client.me().onenote()` called twice shares them).

use std::collections::HashMap;
use std::future::IntoFuture;
use std::pin::Pin;
use std::sync::{Arc, LazyLock, Mutex, Weak};

use futures::future::BoxFuture;
use futures::{Stream, StreamExt as _, TryStreamExt as _};
use msgraph_core::{
    Action, Error, GetBuilder, GraphClient, ListBuilder, Page, Request, RequestOptions, Result, WithOptions,
};
use serde::de::DeserializeOwned;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Requests of one user in flight at once, by default (OneNote's documented
/// per-user concurrency).
pub const DEFAULT_CONCURRENCY: usize = 5;

/// The slots of one user: a semaphore shared by the handlers' clones.
#[derive(Debug, Clone)]
pub(crate) struct Gate {
    slots: Arc<Semaphore>,
    max: usize,
}

static SHARED: LazyLock<Mutex<HashMap<String, Weak<Semaphore>>>> = LazyLock::new(Default::default);

impl Gate {
    /// A gate of its own with `max` slots (at least one).
    pub(crate) fn new(max: usize) -> Self {
        let max = max.max(1);
        Gate { slots: Arc::new(Semaphore::new(max)), max }
    }

    /// The default gate of a user (`key`: the user's URL), shared by every
    /// handler of that user in this process.
    pub(crate) fn shared(key: String) -> Self {
        let mut map = match SHARED.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        map.retain(|_, w| w.strong_count() > 0);
        if let Some(slots) = map.get(&key).and_then(Weak::upgrade) {
            return Gate { slots, max: DEFAULT_CONCURRENCY };
        }
        let gate = Gate::new(DEFAULT_CONCURRENCY);
        map.insert(key, Arc::downgrade(&gate.slots));
        gate
    }

    pub(crate) fn max(&self) -> usize {
        self.max
    }

    /// Waits for a slot; it is given back when the permit drops.
    pub(crate) async fn enter(&self) -> Result<OwnedSemaphorePermit> {
        self.slots
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| Error::invalid_input("the OneNote request limiter was closed"))
    }
}

/// One OneNote request with a typed answer: core's [`Action`] sent when one
/// of the user's request slots is free.
///
/// Nothing is sent until `.send().await` (or `.await`); input errors found
/// while building it come back from `send` without sending. The per-request
/// options of [`WithOptions`] apply.
#[must_use = "actions do nothing until sent"]
pub struct OnenoteAction<T> {
    action: Action<T>,
    gate: Gate,
}

impl<T> std::fmt::Debug for OnenoteAction<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OnenoteAction").field("action", &self.action).field("slots", &self.gate.max).finish()
    }
}

impl<T> OnenoteAction<T> {
    pub(crate) fn new(action: Action<T>, gate: Gate) -> Self {
        OnenoteAction { action, gate }
    }

    /// The request, as it would be sent, or the input error found before sending.
    pub fn into_request(self) -> Result<Request> {
        self.action.into_request()
    }

    /// `Prefer: return=minimal`: see core's [`Action::prefer_minimal`].
    pub fn prefer_minimal(self) -> OnenoteAction<()> {
        OnenoteAction { action: self.action.prefer_minimal(), gate: self.gate }
    }

    /// The core action, without the concurrency limit.
    pub fn into_action(self) -> Action<T> {
        self.action
    }

    /// Sends the request when a slot is free and reads the answer.
    pub async fn send(self) -> Result<T> {
        let _slot = self.gate.enter().await?;
        self.action.send().await
    }
}

impl<T> WithOptions for OnenoteAction<T> {
    fn request_options(&mut self) -> &mut RequestOptions {
        self.action.request_options()
    }
}

impl<T: Send + 'static> IntoFuture for OnenoteAction<T> {
    type Output = Result<T>;
    type IntoFuture = BoxFuture<'static, Result<T>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// Like core's `operation!`, for builders whose `into_action` gives an
/// [`OnenoteAction`]: `WithOptions` from the `options` field, and
/// `into_request`, `send`, `prefer_minimal` and `.await`.
macro_rules! onenote_operation {
    ($builder:ty => $out:ty) => {
        impl msgraph_core::WithOptions for $builder {
            fn request_options(&mut self) -> &mut msgraph_core::RequestOptions {
                &mut self.options
            }
        }

        impl $builder {
            /// The request, as it would be sent, or the input error found
            /// before sending.
            pub fn into_request(self) -> msgraph_core::Result<msgraph_core::Request> {
                self.into_action().into_request()
            }

            /// Sends the request when one of the user's slots is free and
            /// reads the answer (also: `.await` the builder).
            pub async fn send(self) -> msgraph_core::Result<$out> {
                self.into_action().send().await
            }

            /// `Prefer: return=minimal`: Graph answers without the resource;
            /// see core's `Action::prefer_minimal`.
            pub fn prefer_minimal(self) -> $crate::OnenoteAction<()> {
                self.into_action().prefer_minimal()
            }
        }

        impl ::std::future::IntoFuture for $builder {
            type Output = msgraph_core::Result<$out>;
            type IntoFuture = futures::future::BoxFuture<'static, msgraph_core::Result<$out>>;
            fn into_future(self) -> Self::IntoFuture {
                Box::pin(self.send())
            }
        }
    };
}
pub(crate) use onenote_operation;

/// A stream of OneNote items, page after page.
pub type OnenoteStream<T> = Pin<Box<dyn Stream<Item = Result<T>> + Send>>;

/// A OneNote collection: core's [`ListBuilder`] whose pages are each read
/// when one of the user's slots is free.
///
/// `.send()` reads one page; `.stream()` every item of every page, lazily
/// (the next page is read when the caller reaches it).
#[must_use = "builders do nothing until sent"]
pub struct OnenoteList<T> {
    pub(crate) list: ListBuilder<T>,
    pub(crate) gate: Gate,
    /// The largest `$top` Graph takes here (100 for pages).
    max_top: Option<u32>,
}

impl<T> std::fmt::Debug for OnenoteList<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OnenoteList").field("list", &self.list).field("max_top", &self.max_top).finish()
    }
}

impl<T> Clone for OnenoteList<T> {
    fn clone(&self) -> Self {
        OnenoteList { list: self.list.clone(), gate: self.gate.clone(), max_top: self.max_top }
    }
}

impl<T: DeserializeOwned + Send + 'static> OnenoteList<T> {
    pub(crate) fn new(list: ListBuilder<T>, gate: Gate) -> Self {
        OnenoteList { list, gate, max_top: None }
    }

    pub(crate) fn max_top(mut self, max: u32) -> Self {
        self.max_top = Some(max);
        self
    }

    /// Items per page (`$top`). For pages Graph's default is 20 and its
    /// maximum 100: a larger value is an `InvalidInput` before sending
    /// (use `.stream()` to read beyond one page).
    pub fn top(mut self, n: u32) -> Self {
        if let Some(max) = self.max_top.filter(|max| n > *max) {
            self.list = self.list.invalid_input(format!("top({n}): Graph returns at most {max} here per page"));
        } else {
            self.list = self.list.top(n);
        }
        self
    }

    /// Skips the first `n` items (`$skip`).
    pub fn skip(self, n: u32) -> Self {
        OnenoteList { list: self.list.skip(n), ..self }
    }

    /// `$orderby`, e.g. `"title"` or `"createdDateTime desc"` (pages:
    /// Graph's default is `lastModifiedDateTime desc`).
    pub fn order_by(self, expr: impl Into<String>) -> Self {
        OnenoteList { list: self.list.order_by(expr), ..self }
    }

    /// `$filter`, e.g. `"contains(tolower(title),'plan')"`.
    pub fn filter(self, expr: impl Into<String>) -> Self {
        OnenoteList { list: self.list.filter(expr), ..self }
    }

    /// `$select`: only these properties.
    pub fn select<I, S>(self, fields: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        OnenoteList { list: self.list.select(fields), ..self }
    }

    /// `$expand`, e.g. `["parentNotebook"]` on pages.
    pub fn expand<I, S>(self, relations: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        OnenoteList { list: self.list.expand(relations), ..self }
    }

    /// Any other query parameter.
    pub fn param(self, name: impl Into<String>, value: impl Into<String>) -> Self {
        OnenoteList { list: self.list.param(name, value), ..self }
    }

    /// The request of the first page, as it would be sent.
    pub fn into_request(self) -> Result<Request> {
        self.list.into_request()
    }

    /// Starts from a continuation handed back by an earlier stream (or a
    /// page's nextLink) instead of the first page; still within the limit.
    pub fn resume_from(self, continuation: msgraph_core::Continuation) -> Self {
        OnenoteList { list: self.list.resume_from(continuation), ..self }
    }

    /// Core's list builder, without the concurrency limit (for its other
    /// options: pacing, page streams).
    pub fn into_list_builder(self) -> ListBuilder<T> {
        self.list
    }

    /// The first page.
    pub async fn send(self) -> Result<Page<T>> {
        let _slot = self.gate.enter().await?;
        self.list.send().await
    }

    /// Every item of every page, lazily; each page is read in a slot of its own.
    pub fn stream(self) -> OnenoteStream<T> {
        let pages = Box::pin(self.list.prefetch(false).pages());
        futures::stream::unfold((pages, self.gate), |(mut pages, gate)| async move {
            let next = match gate.enter().await {
                Ok(_slot) => pages.next().await,
                Err(e) => Some(Err(e)),
            };
            next.map(|page| (page, (pages, gate)))
        })
        .map_ok(|page: Page<T>| futures::stream::iter(page.value.into_iter().map(Ok)))
        .try_flatten()
        .boxed()
    }
}

impl<T> WithOptions for OnenoteList<T> {
    fn request_options(&mut self) -> &mut RequestOptions {
        self.list.request_options()
    }
}

impl<T: DeserializeOwned + Send + 'static> IntoFuture for OnenoteList<T> {
    type Output = Result<Page<T>>;
    type IntoFuture = BoxFuture<'static, Result<Page<T>>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// One OneNote resource: core's [`GetBuilder`] sent in one of the user's slots.
#[must_use = "builders do nothing until sent"]
pub struct OnenoteGet<T> {
    pub(crate) get: GetBuilder<T>,
    pub(crate) gate: Gate,
    pub(crate) client: GraphClient,
}

impl<T> std::fmt::Debug for OnenoteGet<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OnenoteGet").field("get", &self.get).finish()
    }
}

impl<T: DeserializeOwned + Send + 'static> OnenoteGet<T> {
    pub(crate) fn new(get: GetBuilder<T>, gate: Gate) -> Self {
        let client = get.client().clone();
        OnenoteGet { get, gate, client }
    }

    /// `$select`: only these properties.
    pub fn select<I, S>(self, fields: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        OnenoteGet { get: self.get.select(fields), ..self }
    }

    /// `$expand`, e.g. `["parentNotebook"]` on a page.
    pub fn expand<I, S>(self, relations: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        OnenoteGet { get: self.get.expand(relations), ..self }
    }

    /// Any other query parameter.
    pub fn param(self, name: impl Into<String>, value: impl Into<String>) -> Self {
        OnenoteGet { get: self.get.param(name, value), ..self }
    }

    /// The request, as it would be sent.
    pub fn into_request(self) -> Result<Request> {
        self.get.into_request()
    }

    /// Sends the request when a slot is free.
    pub async fn send(self) -> Result<T> {
        let _slot = self.gate.enter().await?;
        self.get.send().await
    }
}

impl<T> WithOptions for OnenoteGet<T> {
    fn request_options(&mut self) -> &mut RequestOptions {
        self.get.request_options()
    }
}

impl<T: DeserializeOwned + Send + 'static> IntoFuture for OnenoteGet<T> {
    type Output = Result<T>;
    type IntoFuture = BoxFuture<'static, Result<T>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}
