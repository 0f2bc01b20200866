use msgraph_core::Request;
use serde::Serialize;

use super::Messages;
use crate::{FolderRef, Message, validate};
use msgraph_core::Action;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Destination<'a> {
    destination_id: &'a str,
}

impl Messages {
    /// Moves a message to a folder; returns the message in its new folder,
    /// **with a new id** unless immutable ids are used.
    ///
    /// `POST /me/messages/{id}/move` · [message: move](https://learn.microsoft.com/graph/api/message-move) ·
    /// permissions: delegated `Mail.ReadWrite`, application `Mail.ReadWrite`.
    ///
    /// ```no_run
    /// use msgraph_mail::{MailExt, WellKnownFolder};
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let moved = client.me().messages().move_to("AAMkAD...", WellKnownFolder::Archive).await?;
    /// # Ok(()) }
    /// ```
    pub fn move_to(&self, id: impl Into<String>, folder: impl Into<FolderRef>) -> Action<Message> {
        self.relocate(id.into(), "move", folder.into())
    }

    /// Copies a message to a folder; returns the copy.
    ///
    /// `POST /me/messages/{id}/copy` · [message: copy](https://learn.microsoft.com/graph/api/message-copy) ·
    /// permissions: delegated `Mail.ReadWrite`, application `Mail.ReadWrite`.
    ///
    /// ```no_run
    /// use msgraph_mail::MailExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let copy = client.me().messages().copy_to("AAMkAD...", "AAMkAGVmMDEz").await?;
    /// # Ok(()) }
    /// ```
    pub fn copy_to(&self, id: impl Into<String>, folder: impl Into<FolderRef>) -> Action<Message> {
        self.relocate(id.into(), "copy", folder.into())
    }

    fn relocate(&self, id: String, action: &'static str, folder: FolderRef) -> Action<Message> {
        let request = validate::id(folder.as_str(), "destination folder id").and_then(|()| {
            Request::post(self.action_path(&id, action)).json(&Destination { destination_id: folder.as_str() })
        });
        Action::json(self.client.clone(), request)
    }

    /// Deletes a message: it moves to Deleted Items.
    ///
    /// `DELETE /me/messages/{id}` · [Delete message](https://learn.microsoft.com/graph/api/message-delete) ·
    /// permissions: delegated `Mail.ReadWrite`, application `Mail.ReadWrite`.
    ///
    /// ```no_run
    /// use msgraph_mail::MailExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// client.me().messages().delete("AAMkAD...").await?;
    /// # Ok(()) }
    /// ```
    pub fn delete(&self, id: impl Into<String>) -> Action<()> {
        Action::empty(self.client.clone(), Ok(Request::delete(self.item(&id.into()))))
    }
}
