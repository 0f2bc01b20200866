//! Generic builders every service uses: [`ListBuilder`] for collections and
//! [`GetBuilder`] for single resources.

use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::time::Duration;

use futures::future::BoxFuture;
use http::HeaderMap;
use serde::de::DeserializeOwned;

use crate::odata::QueryOptions;
use crate::options::{RequestOptions, WithOptions};
use crate::pager::{Continuation, ItemStream, PageStream};
use crate::{GraphClient, GraphPath, Page, Request, Result};

/// The OData options and the per-request options of a builder.
#[derive(Debug, Clone, Default)]
pub(crate) struct Common {
    pub(crate) query: QueryOptions,
    pub(crate) options: RequestOptions,
}

impl Common {
    /// The headers sent on every request of this builder (Prefer included,
    /// over the client's defaults), or the remembered invalid input.
    pub(crate) fn headers(&self, client: &GraphClient) -> Result<HeaderMap> {
        self.options.headers_for(client)
    }

    /// `GET path` with the options and headers, or the remembered invalid input.
    pub(crate) fn get_request(&self, client: &GraphClient, path: GraphPath) -> Result<Request> {
        self.options.check()?;
        path.validate()?;
        self.options.apply(client, Request::get(path).odata(&self.query))
    }
}

/// A list operation: OData options, `Prefer` preferences, then `.send()` for
/// one page, `.stream()` for every item, or `.pages()` for every page.
///
/// Service crates hand these out (`client.me().messages().list()`); the
/// type parameter is the model of the items.
///
/// ```no_run
/// use futures::TryStreamExt;
/// use msgraph_core::{GraphClient, GraphPath, ListBuilder, models::User};
/// # async fn run(client: GraphClient) -> msgraph_core::Result<()> {
/// let users: ListBuilder<User> = ListBuilder::new(client, GraphPath::new().push("users"));
/// let mut all = users.select(["id", "displayName"]).top(50).stream();
/// while let Some(u) = all.try_next().await? {
///     println!("{:?}", u.display_name);
/// }
/// # Ok(()) }
/// ```
#[must_use = "builders do nothing until sent"]
pub struct ListBuilder<T> {
    client: GraphClient,
    path: GraphPath,
    common: Common,
    prefetch: Option<bool>,
    pace: Option<Duration>,
    resume: Option<Continuation>,
    max_pages: Option<usize>,
    _item: PhantomData<fn() -> T>,
}

impl<T> std::fmt::Debug for ListBuilder<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ListBuilder").field("path", &self.path).field("query", &self.common.query).finish()
    }
}

impl<T> Clone for ListBuilder<T> {
    fn clone(&self) -> Self {
        ListBuilder {
            client: self.client.clone(),
            path: self.path.clone(),
            common: self.common.clone(),
            prefetch: self.prefetch,
            pace: self.pace,
            resume: self.resume.clone(),
            max_pages: self.max_pages,
            _item: PhantomData,
        }
    }
}

macro_rules! odata_setters {
    () => {
        /// `$select`: only these properties.
        pub fn select<I, S>(mut self, fields: I) -> Self
        where
            I: IntoIterator<Item = S>,
            S: Into<String>,
        {
            self.common.query.select.extend(fields.into_iter().map(Into::into));
            self
        }

        /// `$expand`: related entities to include.
        pub fn expand<I, S>(mut self, relations: I) -> Self
        where
            I: IntoIterator<Item = S>,
            S: Into<String>,
        {
            self.common.query.expand.extend(relations.into_iter().map(Into::into));
            self
        }

        /// A query parameter that is not an OData option (e.g. `startDateTime`).
        pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
            self.common.query.extra.push((name.into(), value.into()));
            self
        }

        /// The path this builder targets.
        pub fn path(&self) -> &GraphPath {
            &self.path
        }

        /// The client.
        pub fn client(&self) -> &GraphClient {
            &self.client
        }
    };
}

impl<T: DeserializeOwned + Send + 'static> ListBuilder<T> {
    /// A list of `path` on `client`.
    pub fn new(client: GraphClient, path: GraphPath) -> Self {
        ListBuilder {
            client,
            path,
            common: Common::default(),
            prefetch: None,
            pace: None,
            resume: None,
            max_pages: None,
            _item: PhantomData,
        }
    }

    odata_setters!();

    /// `$filter`, e.g. `isRead eq false`.
    pub fn filter(mut self, expr: impl Into<String>) -> Self {
        self.common.query.filter = Some(expr.into());
        self
    }

    /// `$orderby`, e.g. `receivedDateTime desc`; call again for more keys.
    pub fn order_by(mut self, expr: impl Into<String>) -> Self {
        self.common.query.order_by.push(expr.into());
        self
    }

    /// `$top`: items per page (Graph caps it per API).
    pub fn top(mut self, n: u32) -> Self {
        self.common.query.top = Some(n);
        self
    }

    /// `$skip`.
    pub fn skip(mut self, n: u32) -> Self {
        self.common.query.skip = Some(n);
        self
    }

    /// `$search` with a KQL or free-text expression; quoted as Graph requires.
    pub fn search(mut self, expr: impl Into<String>) -> Self {
        self.common.query.search = Some(expr.into());
        self
    }

    /// `$count=true`: the total in [`Page::count`].
    pub fn count(mut self) -> Self {
        self.common.query.count = Some(true);
        self
    }

    /// `ConsistencyLevel: eventual`, needed by advanced directory queries.
    pub fn consistency_eventual(self) -> Self {
        self.header("ConsistencyLevel", "eventual")
    }

    /// `Prefer: odata.maxpagesize=N`.
    pub fn max_page_size(mut self, n: u32) -> Self {
        self.common.options.preferences_mut().max_page_size = Some(n);
        self
    }

    /// Waits this long before asking for each page after the first (e.g.
    /// 100 ms for a polite bootstrap scan of a large mailbox). With
    /// read-ahead on, the wait runs while the caller works on the current page.
    pub fn pace(mut self, between_pages: Duration) -> Self {
        self.pace = Some(between_pages);
        self
    }

    /// At most `n` pages: when Graph still has a nextLink after the `n`th
    /// page, `stream()` and `pages()` end with
    /// [`Error::Paging`](crate::Error::Paging) instead of fetching it, and
    /// their `continuation()` resumes there. Default: no limit (the caller
    /// pulls each page and can stop at any time; set one when collecting a
    /// whole listing from a server you do not fully trust).
    pub fn max_pages(mut self, n: usize) -> Self {
        self.max_pages = Some(n);
        self
    }

    /// Read the next page while the caller works on this one (default: the client's setting, on).
    pub fn prefetch(mut self, on: bool) -> Self {
        self.prefetch = Some(on);
        self
    }

    /// Starts from a continuation handed back by an earlier stream instead of
    /// the first page. Headers and preferences set here still apply.
    pub fn resume_from(mut self, continuation: Continuation) -> Self {
        self.resume = Some(continuation);
        self
    }

    /// Marks the list as invalid: `send`, `stream` and `pages` report
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) with `message` and send nothing. For service
    /// builders that validate their arguments (e.g. a time window whose end is
    /// not after its start).
    pub fn invalid_input(mut self, message: impl Into<String>) -> Self {
        self.common.options.fail(message);
        self
    }

    /// Changes the path (for builders that pick a folder or calendar later).
    pub fn set_path(&mut self, path: GraphPath) {
        self.path = path;
    }

    /// Splits the listing into `k` independent nextLink chains over disjoint
    /// ranges of `property` (a date-time property the collection can be
    /// filtered and ordered by, e.g. `receivedDateTime`), run side by side
    /// and merged into one item stream: see [`PartitionedScan`](crate::partition::PartitionedScan).
    pub fn partitioned_by(self, property: impl Into<String>, k: usize) -> crate::partition::PartitionedScan<T> {
        crate::partition::PartitionedScan::new(self, property.into(), k)
    }

    /// The same list with another item type, and without a resume point or
    /// page limit (for the boundary queries of a partitioned scan).
    pub(crate) fn retyped<U>(&self) -> ListBuilder<U> {
        ListBuilder {
            client: self.client.clone(),
            path: self.path.clone(),
            common: self.common.clone(),
            prefetch: self.prefetch,
            pace: self.pace,
            resume: None,
            max_pages: None,
            _item: PhantomData,
        }
    }

    /// The client, the first request and the headers every later page is
    /// sent with (for the chains of a partitioned scan).
    pub(crate) fn chain_parts(&self) -> Result<(GraphClient, Request, HeaderMap)> {
        let headers = self.common.headers(&self.client)?;
        let first = self.common.get_request(&self.client, self.path.clone())?;
        Ok((self.client.clone(), first, headers))
    }

    /// The wait between pages and the page limit set on this listing.
    pub(crate) fn pace_and_limit(&self) -> (Option<Duration>, Option<usize>) {
        (self.pace.filter(|d| !d.is_zero()), self.max_pages)
    }

    pub(crate) fn query_mut(&mut self) -> &mut QueryOptions {
        &mut self.common.query
    }

    pub(crate) fn has_resume_point(&self) -> bool {
        self.resume.is_some()
    }

    /// The OData options set so far.
    pub fn query_options(&self) -> &QueryOptions {
        &self.common.query
    }

    /// The first request, as it would be sent.
    pub fn into_request(self) -> Result<Request> {
        self.common.get_request(&self.client, self.path)
    }

    /// Fetches one page (the first, or the resumed one).
    pub async fn send(self) -> Result<Page<T>> {
        use futures::StreamExt as _;
        let mut pages = self.prefetch(false).pages();
        match pages.next().await {
            Some(r) => r,
            None => Ok(Page::default()),
        }
    }

    /// Every page, lazily.
    pub fn pages(self) -> PageStream<T> {
        let client = self.client.clone();
        let prefetch = self.prefetch.unwrap_or(client.prefetch());
        let stream = match self.common.headers(&client) {
            Err(e) => PageStream::failed(client, e),
            Ok(headers) => match &self.resume {
                Some(c) => PageStream::resume(client, c, headers),
                None => match self.common.get_request(&client, self.path) {
                    Ok(r) => PageStream::new(client, r, headers),
                    Err(e) => PageStream::failed(client, e),
                },
            },
        };
        let stream = stream.prefetch(prefetch).pace(self.pace);
        match self.max_pages {
            Some(n) => stream.max_pages(n),
            None => stream,
        }
    }

    /// Every item of every page, lazily.
    pub fn stream(self) -> ItemStream<T> {
        ItemStream::new(self.pages())
    }
}

/// A get of one resource: `$select` / `$expand` and preferences, then
/// `.send().await` (or just `.await`).
///
/// ```no_run
/// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
/// let me = client.me().get().select(["displayName", "mail"]).await?;
/// # Ok(()) }
/// ```
#[must_use = "builders do nothing until sent"]
pub struct GetBuilder<T> {
    client: GraphClient,
    path: GraphPath,
    common: Common,
    _item: PhantomData<fn() -> T>,
}

impl<T> std::fmt::Debug for GetBuilder<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GetBuilder").field("path", &self.path).field("query", &self.common.query).finish()
    }
}

impl<T: DeserializeOwned + Send + 'static> GetBuilder<T> {
    /// A get of `path` on `client`.
    pub fn new(client: GraphClient, path: GraphPath) -> Self {
        GetBuilder { client, path, common: Common::default(), _item: PhantomData }
    }

    odata_setters!();

    /// The request, as it would be sent.
    pub fn into_request(self) -> Result<Request> {
        self.common.get_request(&self.client, self.path)
    }

    /// Sends the request and parses the resource.
    pub async fn send(self) -> Result<T> {
        let client = self.client.clone();
        let req = self.into_request()?;
        client.send_json(req).await
    }
}

impl<T> WithOptions for ListBuilder<T> {
    fn request_options(&mut self) -> &mut RequestOptions {
        &mut self.common.options
    }
}

impl<T> WithOptions for GetBuilder<T> {
    fn request_options(&mut self) -> &mut RequestOptions {
        &mut self.common.options
    }
}

impl<T: DeserializeOwned + Send + 'static> IntoFuture for GetBuilder<T> {
    type Output = Result<T>;
    type IntoFuture = BoxFuture<'static, Result<T>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

#[allow(dead_code)]
fn _assert_send() {
    fn is_send<F: Future + Send + 'static>(_: F) {}
    fn check(b: GetBuilder<crate::models::User>, l: ListBuilder<crate::models::User>) {
        is_send(b.send());
        is_send(l.send());
    }
}
