use msgraph_core::models::BodyType;
use msgraph_core::partition::PartitionedScan;
use msgraph_core::{GetBuilder, ListBuilder, WithOptions as _};

use super::Messages;
use crate::triage::TRIAGE_SELECT;
use crate::{FolderRef, Message};

impl Messages {
    /// Lists messages: of the whole mailbox, or of one folder with
    /// [`MessageListExt::folder`].
    ///
    /// `GET /me/messages` · [List messages](https://learn.microsoft.com/graph/api/user-list-messages) ·
    /// permissions: delegated `Mail.ReadBasic`, application `Mail.ReadBasic.All`.
    ///
    /// With [`MessageListExt::folder`] the request is `GET /me/mailFolders/{id}/messages`
    /// ([List messages in a folder](https://learn.microsoft.com/graph/api/mailfolder-list-messages)),
    /// same permissions. The basic permissions leave out `body`, `bodyPreview`
    /// and attachments: [`MessageQuery::triage_fields`], [`MessageQuery::text_body`]
    /// and [`MessageQuery::with_attachments`] need `Mail.Read` (application
    /// `Mail.Read`). Graph's `$top` is 1 to 1000.
    ///
    /// ```no_run
    /// use msgraph_mail::MessageListExt as _;
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
    pub fn list(&self) -> ListBuilder<Message> {
        ListBuilder::new(self.client.clone(), self.root.clone().push("messages"))
    }

    /// Searches messages with KQL (`$search`, e.g.
    /// `from:ada@contoso.com subject:invoice`); the expression is quoted as
    /// Graph requires. Narrow to a folder with [`MessageListExt::folder`].
    ///
    /// `GET /me/messages?$search="..."` · [List messages](https://learn.microsoft.com/graph/api/user-list-messages) ·
    /// permissions: delegated `Mail.ReadBasic`, application `Mail.ReadBasic.All`.
    ///
    /// Graph returns search results by relevance and at most 1000 of them;
    /// `$filter` and `$orderby` cannot be combined with `$search`.
    ///
    /// ```no_run
    /// use msgraph_mail::MailExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let hits = client.me().messages().search("from:ada@contoso.com subject:invoice").top(25).send().await?;
    /// # Ok(()) }
    /// ```
    pub fn search(&self, kql: impl Into<String>) -> ListBuilder<Message> {
        self.list().search(kql)
    }
}

/// Narrows a list of messages to one folder. Implemented for the
/// `ListBuilder<Message>` that [`Messages::list`] and [`Messages::search`]
/// return; the facade's prelude imports it.
pub trait MessageListExt: Sized {
    /// Only the messages of this folder (a [`WellKnownFolder`](crate::WellKnownFolder)
    /// or an id): `GET /me/mailFolders/{id}/messages`
    /// ([List messages in a folder](https://learn.microsoft.com/graph/api/mailfolder-list-messages)).
    fn folder(self, folder: impl Into<FolderRef>) -> Self;

    /// A bootstrap scan as `k` nextLink chains over disjoint
    /// `receivedDateTime` ranges, run side by side and merged (in no global
    /// order; every message exactly once). With Graph's 100–300 ms per page
    /// a sequential scan is bound by round trips; 4 chains take about a
    /// quarter of the time. The client's per-mailbox limit (4 by default)
    /// caps what is in flight. Keeps the list's folder, `$filter`, `$select`
    /// and `$top`; see [`PartitionedScan`] for what cannot be partitioned.
    ///
    /// ```no_run
    /// use futures::TryStreamExt;
    /// use msgraph_mail::{MailExt, MessageListExt, WellKnownFolder};
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let mut all = client.me().messages().list()
    ///     .folder(WellKnownFolder::Inbox)
    ///     .select(["id", "subject", "receivedDateTime"]).top(50)
    ///     .partitioned(4)
    ///     .stream();
    /// while let Some(m) = all.try_next().await? {
    ///     println!("{:?}", m.subject);
    /// }
    /// # Ok(()) }
    /// ```
    fn partitioned(self, k: usize) -> PartitionedScan<Message>;
}

impl MessageListExt for ListBuilder<Message> {
    fn folder(mut self, folder: impl Into<FolderRef>) -> Self {
        // the mailbox: `me` or `users/{id}`, whatever folder was chosen before
        let root = self.path().prefix(if self.path().literal_at(0) == Some("users") { 2 } else { 1 });
        self.set_path(folder.into().path(&root).push("messages"));
        self
    }

    fn partitioned(self, k: usize) -> PartitionedScan<Message> {
        self.partitioned_by("receivedDateTime", k)
    }
}

/// Message-specific options for lists and gets of messages: the triage field
/// set, text bodies, attachments expanded. Implemented for
/// `ListBuilder<Message>` and `GetBuilder<Message>`.
///
/// All three read what `Mail.ReadBasic` (application `Mail.ReadBasic.All`)
/// leaves out (`bodyPreview`, `body`, attachments), so a request using any
/// of them needs `Mail.Read` (application `Mail.Read`).
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
