//! Attachments of a message ([attachment](https://learn.microsoft.com/graph/api/resources/attachment)).

use bytes::Bytes;
use msgraph_core::{GetBuilder, GraphClient, GraphPath, ListBuilder, Request, Response};

use crate::{Attachment, NewAttachment};
use msgraph_core::Action;

/// The attachments of one message. Get it from
/// [`Messages::attachments`](crate::Messages::attachments).
#[derive(Debug, Clone)]
pub struct Attachments {
    client: GraphClient,
    message: GraphPath,
}

impl Attachments {
    pub(crate) fn new(client: GraphClient, message: GraphPath) -> Self {
        Attachments { client, message }
    }

    fn collection(&self) -> GraphPath {
        self.message.clone().push("attachments")
    }

    /// Lists the attachments, file content included. `$select` (e.g.
    /// `id,name,size`) keeps big files out of the answer.
    ///
    /// `GET /me/messages/{id}/attachments` · [List attachments](https://learn.microsoft.com/graph/api/message-list-attachments) ·
    /// permissions: delegated `Mail.Read`, application `Mail.Read`.
    ///
    /// ```no_run
    /// use msgraph_mail::{Attachment, MailExt};
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let page = client.me().messages().attachments("AAMkAD...").list().send().await?;
    /// for a in &page.value {
    ///     if let Attachment::File(f) = a {
    ///         println!("{:?}: {:?} bytes", f.name, f.size);
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub fn list(&self) -> ListBuilder<Attachment> {
        ListBuilder::new(self.client.clone(), self.collection())
    }

    /// Gets one attachment. For an item attachment, the attached message comes
    /// with `.expand(["microsoft.graph.itemattachment/item"])`.
    ///
    /// `GET /me/messages/{id}/attachments/{id}` · [Get attachment](https://learn.microsoft.com/graph/api/attachment-get) ·
    /// permissions: delegated `Mail.Read`, application `Mail.Read`.
    ///
    /// ```no_run
    /// use msgraph_mail::{Attachment, MailExt, OutlookItem};
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let a = client.me().messages().attachments("AAMkAD...").get("AAMkAD...=")
    ///     .expand(["microsoft.graph.itemattachment/item"])
    ///     .await?;
    /// if let Attachment::Item(item) = a {
    ///     if let Some(OutlookItem::Message(m)) = item.item {
    ///         println!("attached mail: {:?}", m.subject);
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub fn get(&self, attachment_id: impl Into<String>) -> GetBuilder<Attachment> {
        GetBuilder::new(self.client.clone(), self.collection().id(attachment_id))
    }

    /// Downloads the raw content: the file's bytes, or the MIME of an
    /// attached message.
    ///
    /// `GET /me/messages/{id}/attachments/{id}/$value` · [Get attachment (raw contents)](https://learn.microsoft.com/graph/api/attachment-get) ·
    /// permissions: delegated `Mail.Read`, application `Mail.Read`.
    ///
    /// A reference attachment has no raw content: Graph answers 405.
    ///
    /// ```no_run
    /// use msgraph_mail::MailExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let bytes = client.me().messages().attachments("AAMkAD...").download("AAMkAD...=").await?;
    /// std::fs::write("invoice.pdf", &bytes).ok();
    /// # Ok(()) }
    /// ```
    pub fn download(&self, attachment_id: impl Into<String>) -> Action<Bytes> {
        let path = self.collection().id(attachment_id).push("$value");
        Action::with_decoder(self.client.clone(), Ok(Request::get(path)), |r: Response| Ok(r.into_body()))
    }

    /// Adds a file attachment under 3 MB to a draft. Returns the attachment.
    ///
    /// `POST /me/messages/{id}/attachments` · [Add attachment](https://learn.microsoft.com/graph/api/message-post-attachments) ·
    /// permissions: delegated `Mail.ReadWrite`, application `Mail.ReadWrite`.
    ///
    /// ```no_run
    /// use msgraph_mail::{MailExt, NewAttachment};
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// client.me().messages().attachments("AAMkAD...")
    ///     .add(NewAttachment::file("notes.txt", "hello").content_type("text/plain"))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn add(&self, attachment: NewAttachment) -> Action<Attachment> {
        let request = attachment.validate().and_then(|()| Request::post(self.collection()).json(&attachment));
        Action::json(self.client.clone(), request)
    }

    /// Deletes an attachment.
    ///
    /// `DELETE /me/messages/{id}/attachments/{id}` · [Delete attachment](https://learn.microsoft.com/graph/api/attachment-delete) ·
    /// permissions: delegated `Mail.ReadWrite`, application `Mail.ReadWrite`.
    ///
    /// ```no_run
    /// use msgraph_mail::MailExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// client.me().messages().attachments("AAMkAD...").delete("AAMkAD...=").await?;
    /// # Ok(()) }
    /// ```
    pub fn delete(&self, attachment_id: impl Into<String>) -> Action<()> {
        Action::empty(self.client.clone(), Ok(Request::delete(self.collection().id(attachment_id))))
    }
}
