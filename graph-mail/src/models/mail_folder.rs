use msgraph_core::models::Additional;
use serde::{Deserialize, Serialize};

use super::{Message, MultiValueLegacyExtendedProperty, SingleValueLegacyExtendedProperty};

/// A mail folder: Inbox, Drafts, a folder the user made, ...
/// ([mailFolder](https://learn.microsoft.com/graph/api/resources/mailfolder)).
///
/// [`child_folders`](Self::child_folders) is filled when listed with
/// `$expand=childFolders` or by [`MailFolders::tree`](crate::MailFolders::tree).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MailFolder {
    /// Folder id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Id of the parent folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_folder_id: Option<String>,
    /// Number of direct child folders.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub child_folder_count: Option<i32>,
    /// Number of unread items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unread_item_count: Option<i32>,
    /// Number of items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_item_count: Option<i32>,
    /// Whether the folder is hidden (set only at creation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_hidden: Option<bool>,
    /// Child folders, when expanded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub child_folders: Option<Vec<MailFolder>>,
    /// Messages, when expanded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub messages: Option<Vec<Message>>,
    /// Single-value MAPI properties, when expanded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub single_value_extended_properties: Option<Vec<SingleValueLegacyExtendedProperty>>,
    /// Multi-value MAPI properties, when expanded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multi_value_extended_properties: Option<Vec<MultiValueLegacyExtendedProperty>>,
    /// Properties not named above (`messageRules`, annotations, ...).
    #[serde(flatten)]
    pub additional: Additional,
}

impl MailFolder {
    /// This folder and all folders below it, depth first (parents before children).
    ///
    /// ```
    /// use msgraph_mail::MailFolder;
    /// let tree: MailFolder = serde_json::from_str(r#"{"displayName":"Inbox",
    ///     "childFolders":[{"displayName":"Receipts","childFolders":[{"displayName":"2024"}]}]}"#).unwrap();
    /// let names: Vec<_> = tree.walk().filter_map(|f| f.display_name.as_deref()).collect();
    /// assert_eq!(names, ["Inbox", "Receipts", "2024"]);
    /// ```
    pub fn walk(&self) -> impl Iterator<Item = &MailFolder> {
        let mut stack = vec![self];
        std::iter::from_fn(move || {
            let next = stack.pop()?;
            if let Some(children) = &next.child_folders {
                stack.extend(children.iter().rev());
            }
            Some(next)
        })
    }
}
