//! One page of a collection.

use serde::{Deserialize, Serialize};

/// One page of a Graph collection, deserialized straight into `Vec<T>`.
///
/// `@odata.context` and other annotations are skipped; the links that matter
/// are kept.
///
/// ```
/// use msgraph_core::{Page, models::User};
/// let page: Page<User> = serde_json::from_str(r#"{
///     "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users",
///     "@odata.nextLink": "https://graph.microsoft.com/v1.0/users?$skiptoken=X",
///     "value": [{"id": "1", "displayName": "Ada"}]
/// }"#).unwrap();
/// assert_eq!(page.value.len(), 1);
/// assert!(page.next_link.is_some());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Page<T> {
    /// The items of this page.
    #[serde(default = "Vec::new")]
    pub value: Vec<T>,
    /// `@odata.nextLink`: the URL of the next page; `None` on the last page.
    #[serde(rename = "@odata.nextLink", default, skip_serializing_if = "Option::is_none")]
    pub next_link: Option<String>,
    /// `@odata.deltaLink`: present on the last page of a delta round.
    #[serde(rename = "@odata.deltaLink", default, skip_serializing_if = "Option::is_none")]
    pub delta_link: Option<String>,
    /// `@odata.count`, when `$count=true` was asked.
    #[serde(rename = "@odata.count", default, skip_serializing_if = "Option::is_none")]
    pub count: Option<i64>,
}

impl<T> Default for Page<T> {
    fn default() -> Self {
        Page { value: Vec::new(), next_link: None, delta_link: None, count: None }
    }
}

impl<T> Page<T> {
    /// A page with these items and no links.
    pub fn new(value: Vec<T>) -> Self {
        Page { value, ..Page::default() }
    }

    /// True when no next page follows.
    pub fn is_last(&self) -> bool {
        self.next_link.is_none()
    }
}

impl<T> IntoIterator for Page<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.value.into_iter()
    }
}
