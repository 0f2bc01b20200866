use std::collections::HashMap;

use chrono::{DateTime, SecondsFormat, Utc};
use futures::TryStreamExt as _;
use msgraph_core::odata::filter_literal;
use msgraph_core::{Error, GraphClient, GraphPath, ListBuilder, Request, Result};
use serde::{Deserialize, Serialize};

use super::{Triage, since_beginning};
use crate::{Message, WellKnownFolder};
use msgraph_core::into_future;

impl Triage {
    /// Has the user replied in a conversation: the latest Sent Items message
    /// with this `conversationId`.
    ///
    /// `GET /me/mailFolders/sentitems/messages?$filter=...&$orderby=sentDateTime desc&$top=1` ·
    /// [List messages in a folder](https://learn.microsoft.com/graph/api/mailfolder-list-messages) ·
    /// permissions: delegated `Mail.ReadBasic`, application `Mail.ReadBasic.All`.
    ///
    /// One call per conversation; to check many conversations, use
    /// [`replies_since`](Self::replies_since) once per triage cycle.
    ///
    /// ```no_run
    /// use msgraph_mail::MailExt;
    /// # async fn run(client: msgraph_core::GraphClient, msg: msgraph_mail::Message) -> msgraph_core::Result<()> {
    /// let state = client.me().triage().reply_state(msg.conversation_id.clone().unwrap_or_default()).await?;
    /// if let (Some(received), true) = (msg.received_date_time, state.has_replied()) {
    ///     println!("answered after it arrived: {}", state.replied_after(received));
    /// }
    /// # Ok(()) }
    /// ```
    pub fn reply_state(&self, conversation_id: impl Into<String>) -> ReplyStateRequest {
        ReplyStateRequest {
            client: self.client.clone(),
            root: self.root.clone(),
            conversation_id: conversation_id.into(),
        }
    }

    /// The cheap form of reply state: one paged listing of Sent Items since
    /// `since` (`$select=conversationId,sentDateTime`), folded into a map of
    /// conversation id → latest reply time. A triage cycle then checks a
    /// local [`ReplyIndex`] instead of making a call per thread.
    ///
    /// `GET /me/mailFolders/sentitems/messages?$select=conversationId,sentDateTime&$filter=sentDateTime ge ...`
    /// (every page) · [List messages in a folder](https://learn.microsoft.com/graph/api/mailfolder-list-messages) ·
    /// permissions: delegated `Mail.ReadBasic`, application `Mail.ReadBasic.All`.
    ///
    /// ```no_run
    /// use chrono::{Duration, Utc};
    /// use msgraph_mail::MailExt;
    /// # async fn run(client: msgraph_core::GraphClient, inbox: Vec<msgraph_mail::Message>) -> msgraph_core::Result<()> {
    /// let replies = client.me().triage().replies_since(Utc::now() - Duration::days(14)).await?;
    /// for m in &inbox {
    ///     let answered = m.conversation_id.as_deref().is_some_and(|c| replies.has_replied(c));
    ///     println!("{:?}: answered={answered}", m.subject);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn replies_since(&self, since: DateTime<Utc>) -> RepliesSince {
        RepliesSince { client: self.client.clone(), root: self.root.clone(), since, page_size: 1000 }
    }
}

fn sent_items(root: &GraphPath) -> GraphPath {
    crate::FolderRef::from(WellKnownFolder::SentItems).path(root).push("messages")
}

/// The reply state of one conversation; see [`Triage::reply_state`].
#[must_use = "builders do nothing until sent"]
#[derive(Debug, Clone)]
pub struct ReplyStateRequest {
    client: GraphClient,
    root: GraphPath,
    conversation_id: String,
}

impl ReplyStateRequest {
    fn list(&self) -> Result<ListBuilder<Message>> {
        if self.conversation_id.trim().is_empty() {
            return Err(Error::invalid_input("conversation id is empty"));
        }
        let filter = format!(
            "{} and conversationId eq {}",
            since_beginning("sentDateTime"),
            filter_literal(&self.conversation_id)
        );
        Ok(ListBuilder::new(self.client.clone(), sent_items(&self.root))
            .select(["id", "conversationId", "sentDateTime", "subject", "toRecipients"])
            .filter(filter)
            .order_by("sentDateTime desc")
            .top(1))
    }

    /// The request, as it would be sent.
    pub fn into_request(self) -> Result<Request> {
        self.list()?.into_request()
    }

    /// Asks Graph.
    pub async fn send(self) -> Result<ReplyState> {
        let page = self.list()?.send().await?;
        Ok(ReplyState { last_reply: page.value.into_iter().next() })
    }
}

into_future!(ReplyStateRequest => ReplyState);

/// Whether the user has replied in a conversation.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct ReplyState {
    /// The user's latest message in the conversation (from Sent Items), if any.
    pub last_reply: Option<Message>,
}

impl ReplyState {
    /// True when the user has sent anything in the conversation.
    pub fn has_replied(&self) -> bool {
        self.last_reply.is_some()
    }

    /// When the user last sent a message in the conversation.
    pub fn last_reply_time(&self) -> Option<DateTime<Utc>> {
        self.last_reply.as_ref().and_then(|m| m.sent_date_time)
    }

    /// True when the user's latest message is later than `t` (e.g. the
    /// received time of the message being triaged).
    pub fn replied_after(&self, t: DateTime<Utc>) -> bool {
        self.last_reply_time().is_some_and(|r| r > t)
    }
}

/// Sent Items since a time, folded by conversation; see [`Triage::replies_since`].
#[must_use = "builders do nothing until sent"]
#[derive(Debug, Clone)]
pub struct RepliesSince {
    client: GraphClient,
    root: GraphPath,
    since: DateTime<Utc>,
    page_size: u32,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SentItem {
    #[serde(default)]
    conversation_id: Option<String>,
    #[serde(default)]
    sent_date_time: Option<DateTime<Utc>>,
}

impl RepliesSince {
    /// Messages per page (default 1000, Graph's maximum).
    pub fn page_size(mut self, n: u32) -> Self {
        self.page_size = n;
        self
    }

    fn list(&self) -> Result<ListBuilder<SentItem>> {
        if self.page_size == 0 || self.page_size > 1000 {
            return Err(Error::invalid_input(format!("page size must be 1..=1000, not {}", self.page_size)));
        }
        let since = self.since.to_rfc3339_opts(SecondsFormat::Secs, true);
        Ok(ListBuilder::new(self.client.clone(), sent_items(&self.root))
            .select(["conversationId", "sentDateTime"])
            .filter(format!("sentDateTime ge {since}"))
            .order_by("sentDateTime desc")
            .top(self.page_size))
    }

    /// The first request, as it would be sent.
    pub fn into_request(self) -> Result<Request> {
        self.list()?.into_request()
    }

    /// Reads every page and builds the index.
    pub async fn send(self) -> Result<ReplyIndex> {
        let mut index = ReplyIndex::new(self.since);
        let mut items = self.list()?.stream();
        while let Some(item) = items.try_next().await? {
            if let (Some(c), Some(t)) = (item.conversation_id, item.sent_date_time) {
                index.record(c, t);
            }
        }
        Ok(index)
    }
}

into_future!(RepliesSince => ReplyIndex);

/// Conversation id → the user's latest reply time, for replies since a
/// time. Serializable, so a triage agent can keep it between cycles and
/// [`record`](Self::record) the replies it sends itself.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use msgraph_mail::ReplyIndex;
/// let mut index = ReplyIndex::new(Utc.with_ymd_and_hms(2024, 5, 1, 0, 0, 0).unwrap());
/// index.record("AAQkAD=", Utc.with_ymd_and_hms(2024, 5, 2, 9, 0, 0).unwrap());
/// assert!(index.has_replied("AAQkAD="));
/// assert!(!index.replied_after("AAQkAD=", Utc.with_ymd_and_hms(2024, 5, 3, 0, 0, 0).unwrap()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplyIndex {
    since: Option<DateTime<Utc>>,
    latest: HashMap<String, DateTime<Utc>>,
}

impl ReplyIndex {
    /// An empty index covering replies from `since`.
    pub fn new(since: DateTime<Utc>) -> Self {
        ReplyIndex { since: Some(since), latest: HashMap::new() }
    }

    /// The start of the period the index covers.
    pub fn since(&self) -> Option<DateTime<Utc>> {
        self.since
    }

    /// Notes a reply (keeps the later time per conversation).
    pub fn record(&mut self, conversation_id: impl Into<String>, sent: DateTime<Utc>) {
        let slot = self.latest.entry(conversation_id.into()).or_insert(sent);
        if sent > *slot {
            *slot = sent;
        }
    }

    /// The user's latest reply in the conversation, within the period.
    pub fn last_reply(&self, conversation_id: &str) -> Option<DateTime<Utc>> {
        self.latest.get(conversation_id).copied()
    }

    /// True when the user replied in the conversation within the period.
    pub fn has_replied(&self, conversation_id: &str) -> bool {
        self.latest.contains_key(conversation_id)
    }

    /// True when the user's latest reply is later than `t`.
    pub fn replied_after(&self, conversation_id: &str, t: DateTime<Utc>) -> bool {
        self.last_reply(conversation_id).is_some_and(|r| r > t)
    }

    /// Number of conversations with a reply.
    pub fn len(&self) -> usize {
        self.latest.len()
    }

    /// True when there is no reply in the period.
    pub fn is_empty(&self) -> bool {
        self.latest.is_empty()
    }

    /// Every conversation id with its latest reply time.
    pub fn iter(&self) -> impl Iterator<Item = (&str, DateTime<Utc>)> {
        self.latest.iter().map(|(k, v)| (k.as_str(), *v))
    }
}
