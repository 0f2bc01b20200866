use std::collections::HashMap;

use msgraph_core::delta::{Change, Removal};
use serde::{Deserialize, Serialize};

use crate::Message;

/// A delta change of a message, classified against what was seen before.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum MailChange {
    /// A message not seen before.
    New(Message),
    /// A known message that changed in place (read state, flag, categories, ...).
    Updated(Message),
    /// A known message whose `parentFolderId` changed.
    Moved {
        /// The message, in its new folder.
        message: Message,
        /// The folder it was in before.
        from_folder: String,
    },
    /// A message that left the synced folder (deleted, or moved to a folder
    /// not synced; if it shows up in another synced folder later, that is
    /// reported as [`MailChange::Moved`]).
    Removed(Removal),
}

impl MailChange {
    /// The message, for every kind but `Removed`.
    pub fn message(&self) -> Option<&Message> {
        match self {
            MailChange::New(m) | MailChange::Updated(m) | MailChange::Moved { message: m, .. } => Some(m),
            MailChange::Removed(_) => None,
        }
    }
}

/// Remembers which folder each message was last seen in, to tell moves from
/// new messages in delta results: a message already known whose
/// `parentFolderId` changed is reported as [`MailChange::Moved`].
///
/// Feed it the changes of every folder you sync (any order), with
/// `parentFolderId` selected (it is in [`TRIAGE_SELECT`](crate::TRIAGE_SELECT))
/// and immutable ids on (`Prefer: IdType="ImmutableId"`), since a plain id
/// changes when the message moves. A removed message is remembered (as
/// "left its folder") so that its arrival in another synced folder is still
/// a move; [`forget_removed`](Self::forget_removed) drops those once every
/// folder was synced. Serializable, to keep between runs.
///
/// ```
/// use msgraph_core::delta::Change;
/// use msgraph_mail::triage::{MailChange, MoveTracker};
/// use msgraph_mail::Message;
///
/// let msg = |folder: &str| -> Message {
///     serde_json::from_value(serde_json::json!({"id": "m1", "parentFolderId": folder})).unwrap()
/// };
/// let mut tracker = MoveTracker::new();
/// assert!(matches!(tracker.observe(Change::Upserted(msg("inbox-id"))), MailChange::New(_)));
/// assert!(matches!(tracker.observe(Change::Upserted(msg("inbox-id"))), MailChange::Updated(_)));
/// match tracker.observe(Change::Upserted(msg("archive-id"))) {
///     MailChange::Moved { from_folder, .. } => assert_eq!(from_folder, "inbox-id"),
///     other => panic!("{other:?}"),
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MoveTracker {
    /// Message id → (folder id, still present in that folder).
    known: HashMap<String, Seen>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Seen {
    folder: Option<String>,
    present: bool,
}

impl MoveTracker {
    /// An empty tracker (the first sync reports everything as new).
    pub fn new() -> Self {
        Self::default()
    }

    /// Classifies one change and remembers it.
    pub fn observe(&mut self, change: Change<Message>) -> MailChange {
        match change {
            Change::Removed(r) => {
                if let Some(seen) = self.known.get_mut(&r.id) {
                    seen.present = false;
                }
                MailChange::Removed(r)
            }
            Change::Upserted(m) => {
                let Some(id) = m.id.clone() else { return MailChange::New(m) };
                let folder = m.parent_folder_id.clone();
                let Some(seen) = self.known.get_mut(&id) else {
                    self.known.insert(id, Seen { folder, present: true });
                    return MailChange::New(m);
                };
                let moved_from = match (&seen.folder, &folder) {
                    (Some(old), Some(new)) if old != new => Some(old.clone()),
                    _ => None,
                };
                seen.present = true;
                if folder.is_some() {
                    seen.folder = folder;
                }
                match moved_from {
                    Some(from_folder) => MailChange::Moved { message: m, from_folder },
                    None => MailChange::Updated(m),
                }
            }
        }
    }

    /// Classifies a round's changes in order.
    pub fn classify(&mut self, changes: impl IntoIterator<Item = Change<Message>>) -> Vec<MailChange> {
        changes.into_iter().map(|c| self.observe(c)).collect()
    }

    /// The folder a message was last seen in.
    pub fn folder_of(&self, message_id: &str) -> Option<&str> {
        self.known.get(message_id).and_then(|s| s.folder.as_deref())
    }

    /// Forgets messages that were removed and did not show up elsewhere.
    pub fn forget_removed(&mut self) {
        self.known.retain(|_, s| s.present);
    }

    /// How many messages are remembered.
    pub fn len(&self) -> usize {
        self.known.len()
    }

    /// True when nothing is remembered.
    pub fn is_empty(&self) -> bool {
        self.known.is_empty()
    }
}
