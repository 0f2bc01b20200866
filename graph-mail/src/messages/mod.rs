//! Messages of a mailbox ([message](https://learn.microsoft.com/graph/api/resources/message)):
//! one file per group of operations, each adding methods to [`Messages`].

mod create;
mod delta;
mod get;
mod list;
mod organize;
mod respond;
mod send;
mod update;

use msgraph_core::{GraphClient, GraphPath};

pub use create::CreateDraft;
pub use list::{MessageListExt, MessageQuery};
pub use respond::{CreateForward, CreateReply, Forward, Reply};
pub use send::SendMail;

use crate::Attachments;

/// The messages of one mailbox. Get it from
/// [`MailExt::messages`](crate::MailExt::messages).
///
/// Every method builds one operation; nothing is sent until `.send().await`
/// (or `.await`). Ids are always one path segment, and an empty id is an
/// [`Error::InvalidInput`](msgraph_core::Error::InvalidInput) before sending.
#[derive(Debug, Clone)]
pub struct Messages {
    pub(crate) client: GraphClient,
    root: GraphPath,
}

impl Messages {
    pub(crate) fn new(client: GraphClient, root: GraphPath) -> Self {
        Messages { client, root }
    }

    /// `{user}/messages`
    fn collection(&self) -> GraphPath {
        self.root.clone().push("messages")
    }

    /// `{user}/messages/{id}`
    pub(crate) fn item(&self, id: &str) -> GraphPath {
        self.collection().id(id)
    }

    /// `{user}/messages/{id}/{action}`
    fn action_path(&self, id: &str, action: &'static str) -> GraphPath {
        self.item(id).push(action)
    }

    /// The attachments of message `message_id`.
    ///
    /// ```no_run
    /// use msgraph_mail::MailExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let attachments = client.me().messages().attachments("AAMkAD...").list().send().await?;
    /// # Ok(()) }
    /// ```
    pub fn attachments(&self, message_id: impl Into<String>) -> Attachments {
        Attachments::new(self.client.clone(), self.item(&message_id.into()))
    }
}
