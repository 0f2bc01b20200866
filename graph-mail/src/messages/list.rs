use msgraph_core::models::BodyType;
use msgraph_core::odata::QueryOptions;
use msgraph_core::{
    Continuation, GetBuilder, GraphClient, GraphPath, ItemStream, ListBuilder, Page, PageStream, Request, Result,
};

use super::Messages;
use crate::triage::TRIAGE_SELECT;
use crate::{FolderRef, Message};

impl Messages {
    /// Lists messages: of the whole mailbox (`GET /messages`), or of one
    /// folder with [`MessageList::folder`] (`GET /mailFolders/{id}/messages`)
    /// ([list messages](https://learn.microsoft.com/graph/api/user-list-messages)).
    /// Needs `Mail.ReadBasic`, `Mail.Read` or `Mail.ReadWrite`.
    ///
    /// ```no_run
    /// use futures::TryStreamExt;
    /// use msgraph_mail::{MailExt, MessageQuery, WellKnownFolder};
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let mut unread = client.me().messages().list()
    ///     .folder(WellKnownFolder::Inbox)
    ///     .filter("isRead eq false")
    ///     .triage_fields()
    ///     .top(50)
    ///     .stream();
    /// while let Some(m) = unread.try_next().await? {
    ///     println!("{:?}", m.subject);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn list(&self) -> MessageList {
        MessageList::new(self.client.clone(), self.root.clone())
    }

    /// Searches messages with KQL (`$search`, e.g.
    /// `from:ada@contoso.com subject:invoice`); the expression is quoted as
    /// Graph requires. Narrow to a folder with [`MessageList::folder`].
    /// Graph returns search results by relevance and at most 1000 of them;
    /// `$filter` and `$orderby` cannot be combined with `$search`.
    ///
    /// ```no_run
    /// use msgraph_mail::MailExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let hits = client.me().messages().search("from:ada@contoso.com subject:invoice").top(25).send().await?;
    /// # Ok(()) }
    /// ```
    pub fn search(&self, kql: impl Into<String>) -> MessageList {
        self.list().search(kql)
    }
}

/// A list of messages: the whole mailbox, or one folder with
/// [`folder`](Self::folder); OData options as setters; then `.send()` (one
/// page), `.stream()` (every message, lazily) or `.pages()`.
///
/// It wraps a core [`ListBuilder<Message>`]; [`into_list_builder`](Self::into_list_builder)
/// hands it over.
#[must_use = "builders do nothing until sent"]
#[derive(Debug, Clone)]
pub struct MessageList {
    root: GraphPath,
    inner: ListBuilder<Message>,
}

impl MessageList {
    pub(crate) fn new(client: GraphClient, root: GraphPath) -> Self {
        let inner = ListBuilder::new(client, root.clone().push("messages"));
        MessageList { root, inner }
    }

    fn map(self, f: impl FnOnce(ListBuilder<Message>) -> ListBuilder<Message>) -> Self {
        MessageList { root: self.root, inner: f(self.inner) }
    }

    /// Only the messages of this folder (a [`WellKnownFolder`](crate::WellKnownFolder) or an id).
    pub fn folder(mut self, folder: impl Into<FolderRef>) -> Self {
        let path = folder.into().path(&self.root).push("messages");
        self.inner.set_path(path);
        self
    }

    /// `$select`: only these properties.
    pub fn select<I, S>(self, fields: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.map(|b| b.select(fields))
    }

    /// `$expand`: related entities to include (e.g. `attachments`).
    pub fn expand<I, S>(self, relations: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.map(|b| b.expand(relations))
    }

    /// `$filter`, e.g. `isRead eq false`. With `$orderby`, Graph wants the
    /// ordered properties first in the filter, in the same order.
    pub fn filter(self, expr: impl Into<String>) -> Self {
        self.map(|b| b.filter(expr))
    }

    /// `$orderby`, e.g. `receivedDateTime desc`.
    pub fn order_by(self, expr: impl Into<String>) -> Self {
        self.map(|b| b.order_by(expr))
    }

    /// `$top`: messages per page (Graph allows up to 1000).
    pub fn top(self, n: u32) -> Self {
        self.map(|b| b.top(n))
    }

    /// `$skip`.
    pub fn skip(self, n: u32) -> Self {
        self.map(|b| b.skip(n))
    }

    /// `$search` with KQL, quoted as Graph requires.
    pub fn search(self, kql: impl Into<String>) -> Self {
        self.map(|b| b.search(kql))
    }

    /// `$count=true`: the total in [`Page::count`].
    pub fn count(self) -> Self {
        self.map(ListBuilder::count)
    }

    /// `Prefer: outlook.timezone="..."`.
    pub fn timezone(self, tz: impl Into<String>) -> Self {
        self.map(|b| b.timezone(tz))
    }

    /// `Prefer: outlook.body-content-type="text|html"`.
    pub fn body_content_type(self, t: BodyType) -> Self {
        self.map(|b| b.body_content_type(t))
    }

    /// `Prefer: IdType="ImmutableId"`: ids that survive moves.
    pub fn immutable_ids(self) -> Self {
        self.map(ListBuilder::immutable_ids)
    }

    /// `Prefer: odata.maxpagesize=N`.
    pub fn max_page_size(self, n: u32) -> Self {
        self.map(|b| b.max_page_size(n))
    }

    /// Any other `Prefer` preference.
    pub fn prefer(self, preference: impl Into<String>) -> Self {
        self.map(|b| b.prefer(preference))
    }

    /// A request header (an invalid one fails `send` before sending).
    pub fn header(self, name: &str, value: &str) -> Self {
        self.map(|b| b.header(name, value))
    }

    /// A query parameter that is not an OData option.
    pub fn param(self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.map(|b| b.param(name, value))
    }

    /// Read the next page while the caller works on this one.
    pub fn prefetch(self, on: bool) -> Self {
        self.map(|b| b.prefetch(on))
    }

    /// Starts from a continuation an earlier stream handed back.
    pub fn resume_from(self, continuation: Continuation) -> Self {
        self.map(|b| b.resume_from(continuation))
    }

    /// The OData options set so far.
    pub fn query_options(&self) -> &QueryOptions {
        self.inner.query_options()
    }

    /// The path this list targets.
    pub fn path(&self) -> &GraphPath {
        self.inner.path()
    }

    /// The core builder.
    pub fn into_list_builder(self) -> ListBuilder<Message> {
        self.inner
    }

    /// The first request, as it would be sent.
    pub fn into_request(self) -> Result<Request> {
        self.inner.into_request()
    }

    /// Fetches one page.
    pub async fn send(self) -> Result<Page<Message>> {
        self.inner.send().await
    }

    /// Every page, lazily.
    pub fn pages(self) -> PageStream<Message> {
        self.inner.pages()
    }

    /// Every message of every page, lazily.
    pub fn stream(self) -> ItemStream<Message> {
        self.inner.stream()
    }
}

/// Message-specific options for lists and gets of messages: the triage field
/// set, text bodies, attachments expanded. Implemented for [`MessageList`],
/// `ListBuilder<Message>` and `GetBuilder<Message>`.
///
/// ```no_run
/// use msgraph_mail::{MailExt, MessageQuery};
/// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
/// let m = client.me().messages().get("AAMkAD...").text_body().with_attachments().await?;
/// println!("{}", m.body.map(|b| b.content).unwrap_or_default());
/// # Ok(()) }
/// ```
pub trait MessageQuery: Sized {
    /// `$select` the [`TRIAGE_SELECT`] fields.
    fn triage_fields(self) -> Self;

    /// Bodies as plain text (`Prefer: outlook.body-content-type="text"`).
    fn text_body(self) -> Self;

    /// Attachments included (`$expand=attachments`).
    fn with_attachments(self) -> Self;
}

impl MessageQuery for ListBuilder<Message> {
    fn triage_fields(self) -> Self {
        self.select(TRIAGE_SELECT.iter().copied())
    }

    fn text_body(self) -> Self {
        self.body_content_type(BodyType::Text)
    }

    fn with_attachments(self) -> Self {
        self.expand(["attachments"])
    }
}

impl MessageQuery for GetBuilder<Message> {
    fn triage_fields(self) -> Self {
        self.select(TRIAGE_SELECT.iter().copied())
    }

    fn text_body(self) -> Self {
        self.body_content_type(BodyType::Text)
    }

    fn with_attachments(self) -> Self {
        self.expand(["attachments"])
    }
}

impl MessageQuery for MessageList {
    fn triage_fields(self) -> Self {
        self.map(MessageQuery::triage_fields)
    }

    fn text_body(self) -> Self {
        self.map(MessageQuery::text_body)
    }

    fn with_attachments(self) -> Self {
        self.map(MessageQuery::with_attachments)
    }
}
