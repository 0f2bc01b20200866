use std::fmt;

msgraph_core::string_enum! {
    /// The well-known folder names Graph accepts in place of a folder id
    /// ([well-known folder names](https://learn.microsoft.com/graph/api/resources/mailfolder)).
    /// They work whatever the mailbox's language.
    pub enum WellKnownFolder {
        /// `inbox`
        Inbox => "inbox",
        /// `sentitems`
        SentItems => "sentitems",
        /// `drafts`
        Drafts => "drafts",
        /// `deleteditems`
        DeletedItems => "deleteditems",
        /// `archive`: the One-Click Archive folder (not the archive mailbox).
        Archive => "archive",
        /// `junkemail`
        JunkEmail => "junkemail",
        /// `outbox`
        Outbox => "outbox",
        /// `clutter`
        Clutter => "clutter",
        /// `conflicts`
        Conflicts => "conflicts",
        /// `conversationhistory`
        ConversationHistory => "conversationhistory",
        /// `localfailures`
        LocalFailures => "localfailures",
        /// `msgfolderroot`: the "Top of Information Store".
        MsgFolderRoot => "msgfolderroot",
        /// `recoverableitemsdeletions`
        RecoverableItemsDeletions => "recoverableitemsdeletions",
        /// `scheduled`
        Scheduled => "scheduled",
        /// `searchfolders`
        SearchFolders => "searchfolders",
        /// `serverfailures`
        ServerFailures => "serverfailures",
        /// `syncissues`
        SyncIssues => "syncissues",
    }
}

/// A mail folder by well-known name or by id: what every folder parameter takes.
///
/// ```
/// use msgraph_mail::{FolderRef, WellKnownFolder};
/// assert_eq!(FolderRef::from(WellKnownFolder::SentItems).as_str(), "sentitems");
/// assert_eq!(FolderRef::from("AAMkAGVmMDEz").as_str(), "AAMkAGVmMDEz");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FolderRef(String);

impl FolderRef {
    /// `{root}/mailFolders/{folder}`: the folder's path below a user scope.
    pub(crate) fn path(&self, root: &msgraph_core::GraphPath) -> msgraph_core::GraphPath {
        root.clone().push("mailFolders").id(self.as_str())
    }

    /// A folder by id (or any name Graph accepts in the id position).
    pub fn id(id: impl Into<String>) -> Self {
        FolderRef(id.into())
    }

    /// The path segment: the well-known name or the id.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Consumes the reference, returning the segment.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for FolderRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<WellKnownFolder> for FolderRef {
    fn from(w: WellKnownFolder) -> Self {
        FolderRef(w.as_str().to_owned())
    }
}

impl From<&WellKnownFolder> for FolderRef {
    fn from(w: &WellKnownFolder) -> Self {
        FolderRef(w.as_str().to_owned())
    }
}

impl From<&str> for FolderRef {
    fn from(s: &str) -> Self {
        FolderRef(s.to_owned())
    }
}

impl From<String> for FolderRef {
    fn from(s: String) -> Self {
        FolderRef(s)
    }
}

impl From<&String> for FolderRef {
    fn from(s: &String) -> Self {
        FolderRef(s.clone())
    }
}
