use msgraph_core::{GraphClient, GraphPath, Request, Result};

use super::Messages;
use crate::{FolderRef, Message, NewMessage};
use msgraph_core::{Action, RequestOptions};

impl Messages {
    /// Creates a draft. Returns the draft, with its id; send it with
    /// [`send_draft`](Self::send_draft).
    ///
    /// `POST /me/messages` · [Create message](https://learn.microsoft.com/graph/api/user-post-messages) ·
    /// permissions: delegated `Mail.ReadWrite`, application `Mail.ReadWrite`.
    ///
    /// With [`CreateDraft::in_folder`] the request is
    /// `POST /me/mailFolders/{id}/messages` (same page, same permissions).
    /// File attachments under 3 MB go in the same call
    /// ([`NewMessage::attach`]). Addresses are checked first: one without `@`
    /// is an [`Error::InvalidInput`](msgraph_core::Error::InvalidInput) and nothing is sent.
    ///
    /// ```no_run
    /// use msgraph_core::models::Importance;
    /// use msgraph_mail::{MailExt, NewAttachment, NewMessage};
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let draft = client.me().messages().create_draft(NewMessage::new()
    ///     .to(["adele@contoso.com"])
    ///     .subject("Did you see last night's game?")
    ///     .html_body("They were <b>awesome</b>!")
    ///     .importance(Importance::Low)
    ///     .attach(NewAttachment::file("score.txt", "3-2").content_type("text/plain")))
    ///     .await?;
    /// client.me().messages().send_draft(draft.id.unwrap_or_default()).await?;
    /// # Ok(()) }
    /// ```
    pub fn create_draft(&self, message: NewMessage) -> CreateDraft {
        CreateDraft {
            options: Default::default(),
            client: self.client.clone(),
            root: self.root.clone(),
            folder: None,
            message,
        }
    }
}

/// Creates a draft message; see [`Messages::create_draft`].
#[must_use = "builders do nothing until sent"]
#[derive(Debug, Clone)]
pub struct CreateDraft {
    client: GraphClient,
    options: RequestOptions,
    root: GraphPath,
    folder: Option<FolderRef>,
    message: NewMessage,
}

impl CreateDraft {
    /// Creates the draft in this folder instead of Drafts.
    pub fn in_folder(mut self, folder: impl Into<FolderRef>) -> Self {
        self.folder = Some(folder.into());
        self
    }

    fn request(self) -> Result<Request> {
        self.message.validate(false)?;
        let path = match self.folder {
            Some(f) => f.path(&self.root).push("messages"),
            None => self.root.push("messages"),
        };
        Request::post(path).json(&self.message)
    }

    fn into_action(self) -> Action<Message> {
        let (client, options) = (self.client.clone(), self.options.clone());
        Action::json(client, self.request()).with_options(options)
    }
}

msgraph_core::operation!(CreateDraft => Message);
