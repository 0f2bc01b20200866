//! Triage helpers: what an agent that sorts an inbox needs beyond plain CRUD.
//!
//! - [`TRIAGE_SELECT`]: the fields a triage decision reads, for `$select` on
//!   lists, gets and delta (see [`MessageQuery::triage_fields`](crate::MessageQuery::triage_fields)).
//! - [`ConversationIndex`]: thread depth, thread start and reply times, from
//!   a message's `conversationIndex`, with no request.
//! - [`Triage::thread`]: the latest messages of a conversation.
//! - [`Triage::reply_state`] and [`Triage::replies_since`]: has the user
//!   answered a conversation; the second form answers for every
//!   conversation with one paged listing of Sent Items.
//! - [`MoveTracker`]: tells moved messages from new ones in delta results
//!   ([`Messages::delta`](crate::Messages::delta)).

mod conversation_index;
mod moves;
mod reply_state;
mod thread;

use msgraph_core::{GraphClient, GraphPath};

pub use conversation_index::{ChildBlock, ConversationIndex, ConversationIndexError};
pub use moves::{MailChange, MoveTracker};
pub use reply_state::{RepliesSince, ReplyIndex, ReplyState, ReplyStateRequest};
pub use thread::ThreadContext;

/// The fields a triage decision reads: `$select` them on lists, gets and delta.
///
/// They include `bodyPreview`, which `Mail.ReadBasic` leaves out: a request
/// selecting them needs `Mail.Read` (delegated and application).
pub const TRIAGE_SELECT: &[&str] = &[
    "id",
    "conversationId",
    "conversationIndex",
    "subject",
    "from",
    "receivedDateTime",
    "bodyPreview",
    "parentFolderId",
    "categories",
    "webLink",
    "flag",
    "isRead",
    "importance",
];

/// A filter clause every message matches, put first so that a `$filter`
/// may be combined with `$orderby` on that property: Graph answers
/// `InefficientFilter` when an ordered property does not lead the filter.
pub(crate) fn since_beginning(property: &str) -> String {
    format!("{property} ge 1900-01-01T00:00:00Z")
}

/// Triage helpers of one mailbox. Get it from [`MailExt::triage`](crate::MailExt::triage).
#[derive(Debug, Clone)]
pub struct Triage {
    client: GraphClient,
    root: GraphPath,
}

impl Triage {
    pub(crate) fn new(client: GraphClient, root: GraphPath) -> Self {
        Triage { client, root }
    }
}
