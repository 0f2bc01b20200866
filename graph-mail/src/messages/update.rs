use msgraph_core::Request;

use super::Messages;
use crate::{FollowupFlag, Message, MessagePatch};
use msgraph_core::Action;

impl Messages {
    /// Changes a message, sending only what the patch sets; returns the
    /// updated message.
    ///
    /// `PATCH /me/messages/{id}` · [Update message](https://learn.microsoft.com/graph/api/message-update) ·
    /// permissions: delegated `Mail.ReadWrite`, application `Mail.ReadWrite`.
    ///
    /// An empty patch, a category name over 255 characters or an address
    /// without `@` is an [`Error::InvalidInput`](msgraph_core::Error::InvalidInput)
    /// and nothing is sent.
    ///
    /// ```no_run
    /// use msgraph_core::models::Importance;
    /// use msgraph_mail::{MailExt, MessagePatch};
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let m = client.me().messages()
    ///     .update("AAMkAD...", MessagePatch::new().read(true).importance(Importance::High))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn update(&self, id: impl Into<String>, patch: MessagePatch) -> Action<Message> {
        let request = patch.validate().and_then(|()| Request::patch(self.item(&id.into())).json(&patch));
        Action::json(self.client.clone(), request)
    }

    /// Marks a message read (body `{"isRead": true}`).
    ///
    /// `PATCH /me/messages/{id}` · [Update message](https://learn.microsoft.com/graph/api/message-update) ·
    /// permissions: delegated `Mail.ReadWrite`, application `Mail.ReadWrite`.
    ///
    /// ```no_run
    /// use msgraph_mail::MailExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// client.me().messages().mark_read("AAMkAD...").await?;
    /// # Ok(()) }
    /// ```
    pub fn mark_read(&self, id: impl Into<String>) -> Action<Message> {
        self.update(id, MessagePatch::new().read(true))
    }

    /// Marks a message unread (body `{"isRead": false}`).
    ///
    /// `PATCH /me/messages/{id}` · [Update message](https://learn.microsoft.com/graph/api/message-update) ·
    /// permissions: delegated `Mail.ReadWrite`, application `Mail.ReadWrite`.
    ///
    /// ```no_run
    /// use msgraph_mail::MailExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// client.me().messages().mark_unread("AAMkAD...").await?;
    /// # Ok(()) }
    /// ```
    pub fn mark_unread(&self, id: impl Into<String>) -> Action<Message> {
        self.update(id, MessagePatch::new().read(false))
    }

    /// Flags a message for follow-up (body `{"flag": {"flagStatus": "flagged"}}`).
    /// For start and due dates, send a [`FollowupFlag`] with [`update`](Self::update).
    ///
    /// `PATCH /me/messages/{id}` · [Update message](https://learn.microsoft.com/graph/api/message-update) ·
    /// permissions: delegated `Mail.ReadWrite`, application `Mail.ReadWrite`.
    ///
    /// ```no_run
    /// use msgraph_mail::MailExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// client.me().messages().flag("AAMkAD...").await?;
    /// # Ok(()) }
    /// ```
    pub fn flag(&self, id: impl Into<String>) -> Action<Message> {
        self.update(id, MessagePatch::new().flag(FollowupFlag::flagged()))
    }

    /// Clears the follow-up flag (`flagStatus: notFlagged`).
    ///
    /// `PATCH /me/messages/{id}` · [Update message](https://learn.microsoft.com/graph/api/message-update) ·
    /// permissions: delegated `Mail.ReadWrite`, application `Mail.ReadWrite`.
    ///
    /// ```no_run
    /// use msgraph_mail::MailExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// client.me().messages().unflag("AAMkAD...").await?;
    /// # Ok(()) }
    /// ```
    pub fn unflag(&self, id: impl Into<String>) -> Action<Message> {
        self.update(id, MessagePatch::new().flag(FollowupFlag::not_flagged()))
    }

    /// Marks the follow-up complete (`flagStatus: complete`).
    ///
    /// `PATCH /me/messages/{id}` · [Update message](https://learn.microsoft.com/graph/api/message-update) ·
    /// permissions: delegated `Mail.ReadWrite`, application `Mail.ReadWrite`.
    ///
    /// ```no_run
    /// use msgraph_mail::MailExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// client.me().messages().complete("AAMkAD...").await?;
    /// # Ok(()) }
    /// ```
    pub fn complete(&self, id: impl Into<String>) -> Action<Message> {
        self.update(id, MessagePatch::new().flag(FollowupFlag::complete()))
    }

    /// Replaces the categories of a message (body `{"categories": [...]}`);
    /// an empty list clears them. Names come from the master category list
    /// (see [`MasterCategories`](crate::MasterCategories)).
    ///
    /// `PATCH /me/messages/{id}` · [Update message](https://learn.microsoft.com/graph/api/message-update) ·
    /// permissions: delegated `Mail.ReadWrite`, application `Mail.ReadWrite`.
    ///
    /// ```no_run
    /// use msgraph_mail::MailExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// client.me().messages().set_categories("AAMkAD...", ["Receipts", "2024"]).await?;
    /// # Ok(()) }
    /// ```
    pub fn set_categories<I, S>(&self, id: impl Into<String>, categories: I) -> Action<Message>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.update(id, MessagePatch::new().categories(categories))
    }
}
