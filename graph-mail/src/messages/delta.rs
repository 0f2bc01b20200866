use msgraph_core::delta::DeltaSync;

use super::Messages;
use crate::triage::TRIAGE_SELECT;
use crate::{FolderRef, Message};

impl Messages {
    /// Delta sync of one folder's messages through core's [`DeltaSync`]: the
    /// first run reads the whole folder, later runs only what was created,
    /// changed or removed since.
    ///
    /// `GET /me/mailFolders/{id}/messages/delta` · [message: delta](https://learn.microsoft.com/graph/api/message-delta) ·
    /// permissions: delegated `Mail.Read`, application `Mail.Read`.
    ///
    /// The docs name `Mail.ReadBasic` as least privileged, but this method
    /// always selects the [`TRIAGE_SELECT`] fields, which include
    /// `bodyPreview`, and the basic permissions leave that out; hence
    /// `Mail.Read`. Delta takes only `$select`, `$top` and `$expand`
    /// (`$filter` only as `receivedDateTime ge/gt`, no `$search`).
    ///
    /// The [`TRIAGE_SELECT`] fields are selected (add more with
    /// `.select(...)`). Keep the token between runs with `.store(store, key)`,
    /// a key per mailbox and folder; turn on `.immutable_ids(true)` so a message
    /// keeps its id when it moves, which
    /// [`MoveTracker`](crate::triage::MoveTracker) needs to report moves.
    ///
    /// ```no_run
    /// use msgraph_core::WithOptions as _;
    /// use std::sync::Arc;
    /// use msgraph_core::delta::{Change, JsonFileDeltaStore};
    /// use msgraph_mail::{MailExt, WellKnownFolder};
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let store = Arc::new(JsonFileDeltaStore::new("data/delta.json"));
    /// let sync = client.me().messages().delta(WellKnownFolder::Inbox)
    ///     .immutable_ids(true)
    ///     .store(store, "me:inbox");
    /// let round = sync.run().await?;
    /// for change in round.changes() {
    ///     match change {
    ///         Change::Upserted(m) => println!("new or changed: {:?}", m.subject),
    ///         Change::Removed(r) => println!("gone: {}", r.id),
    ///     }
    /// }
    /// round.commit().await?;
    /// # Ok(()) }
    /// ```
    pub fn delta(&self, folder: impl Into<FolderRef>) -> DeltaSync<Message> {
        let path = folder.into().path(&self.root).push("messages").push("delta");
        DeltaSync::new(self.client.clone(), path).select(TRIAGE_SELECT.iter().copied())
    }
}
