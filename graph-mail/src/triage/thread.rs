use msgraph_core::odata::filter_literal;
use msgraph_core::{Error, GraphClient, GraphPath, ListBuilder, Request, Result};

use super::{TRIAGE_SELECT, Triage, since_beginning};
use crate::{FolderRef, Message, MessageQuery};
use msgraph_core::into_future;

/// Most messages a thread context asks for (Graph's `$top` limit is 1000).
const MAX_LATEST: u32 = 999;

impl Triage {
    /// The latest messages of a conversation, newest first;
    /// [`ThreadContext::excluding`] leaves out the message being triaged.
    ///
    /// `GET /me/messages?$filter=... conversationId eq '...'&$orderby=receivedDateTime desc&$top=N` ·
    /// [List messages](https://learn.microsoft.com/graph/api/user-list-messages) ·
    /// permissions: delegated `Mail.Read`, application `Mail.Read`.
    ///
    /// The docs name `Mail.ReadBasic` (application `Mail.ReadBasic.All`) as
    /// least privileged, but the default field set is [`TRIAGE_SELECT`], which
    /// includes `bodyPreview`, and the basic permissions leave that out; a
    /// [`ThreadContext::select`] without `bodyPreview` and `body` makes do with
    /// `Mail.ReadBasic`. With [`ThreadContext::folder`] the request is
    /// `GET /me/mailFolders/{id}/messages?...`.
    ///
    /// The filter starts with `receivedDateTime ge 1900-01-01T00:00:00Z`:
    /// Graph rejects a `$filter` + `$orderby` pair (`InefficientFilter`)
    /// unless the ordered property leads the filter.
    ///
    /// ```no_run
    /// use msgraph_mail::MailExt;
    /// # async fn run(client: msgraph_core::GraphClient, msg: msgraph_mail::Message) -> msgraph_core::Result<()> {
    /// let earlier = client.me().triage()
    ///     .thread(msg.conversation_id.clone().unwrap_or_default())
    ///     .latest(5)
    ///     .excluding(msg.id.clone().unwrap_or_default())
    ///     .await?;
    /// for m in &earlier {
    ///     println!("{:?}: {:?}", m.from_address(), m.body_preview);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn thread(&self, conversation_id: impl Into<String>) -> ThreadContext {
        ThreadContext {
            client: self.client.clone(),
            root: self.root.clone(),
            conversation_id: conversation_id.into(),
            latest: 10,
            exclude: None,
            folder: None,
            select: TRIAGE_SELECT.iter().map(|s| (*s).to_owned()).collect(),
            text_body: false,
        }
    }
}

/// The latest messages of a conversation; see [`Triage::thread`].
#[must_use = "builders do nothing until sent"]
#[derive(Debug, Clone)]
pub struct ThreadContext {
    client: GraphClient,
    root: GraphPath,
    conversation_id: String,
    latest: u32,
    exclude: Option<String>,
    folder: Option<FolderRef>,
    select: Vec<String>,
    text_body: bool,
}

impl ThreadContext {
    /// How many messages (default 10, at most 999).
    pub fn latest(mut self, n: u32) -> Self {
        self.latest = n;
        self
    }

    /// Leaves this message out (the one being triaged).
    pub fn excluding(mut self, message_id: impl Into<String>) -> Self {
        self.exclude = Some(message_id.into());
        self
    }

    /// Only messages in this folder (default: the whole mailbox).
    pub fn folder(mut self, folder: impl Into<FolderRef>) -> Self {
        self.folder = Some(folder.into());
        self
    }

    /// The properties to return (default [`TRIAGE_SELECT`]).
    pub fn select<I, S>(mut self, fields: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.select = fields.into_iter().map(Into::into).collect();
        self
    }

    /// Bodies as text, when `body` is selected.
    pub fn text_body(mut self) -> Self {
        self.text_body = true;
        self
    }

    fn list(&self) -> Result<ListBuilder<Message>> {
        if self.conversation_id.trim().is_empty() {
            return Err(Error::invalid_input("conversation id is empty"));
        }
        if self.latest == 0 || self.latest > MAX_LATEST {
            return Err(Error::invalid_input(format!("latest must be 1..={MAX_LATEST}, not {}", self.latest)));
        }
        let path = match &self.folder {
            Some(f) => f.path(&self.root).push("messages"),
            None => self.root.clone().push("messages"),
        };
        let filter = format!(
            "{} and conversationId eq {}",
            since_beginning("receivedDateTime"),
            filter_literal(&self.conversation_id)
        );
        let top = self.latest + u32::from(self.exclude.is_some());
        let list = ListBuilder::new(self.client.clone(), path)
            .select(self.select.iter().cloned())
            .filter(filter)
            .order_by("receivedDateTime desc")
            .top(top);
        Ok(if self.text_body { list.text_body() } else { list })
    }

    /// The request, as it would be sent.
    pub fn into_request(self) -> Result<Request> {
        self.list()?.into_request()
    }

    /// Fetches the messages, newest first.
    pub async fn send(self) -> Result<Vec<Message>> {
        let page = self.list()?.send().await?;
        let mut messages: Vec<Message> = page
            .value
            .into_iter()
            .filter(|m| self.exclude.is_none() || m.id.as_deref() != self.exclude.as_deref())
            .collect();
        messages.truncate(self.latest as usize);
        Ok(messages)
    }
}

into_future!(ThreadContext => Vec<Message>);
