use msgraph_core::GetBuilder;

use super::Messages;
use crate::Message;

impl Messages {
    /// Gets one message.
    ///
    /// `GET /me/messages/{id}` · [Get message](https://learn.microsoft.com/graph/api/message-get) ·
    /// permissions: delegated `Mail.ReadBasic`, application `Mail.ReadBasic.All`.
    ///
    /// The body as text, attachments expanded and the triage field set are
    /// one call away with [`MessageQuery`](crate::MessageQuery); those read
    /// `body`, `bodyPreview` or attachments, which the basic permissions leave
    /// out, so they need `Mail.Read` (application `Mail.Read`).
    ///
    /// ```no_run
    /// use msgraph_mail::{MailExt, MessageQuery};
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let m = client.me().messages().get("AAMkAD...").text_body().with_attachments().await?;
    /// for a in m.attachments.iter().flatten() {
    ///     println!("{:?} ({:?} bytes)", a.name(), a.size());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn get(&self, id: impl Into<String>) -> GetBuilder<Message> {
        GetBuilder::new(self.client.clone(), self.item(&id.into()))
    }
}
