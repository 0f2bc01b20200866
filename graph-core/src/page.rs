//! One page of a collection.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserializer, SeqAccess, Visitor};
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
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
#[non_exhaustive]
pub struct Page<T> {
    /// The items of this page.
    #[serde(default = "Vec::new", deserialize_with = "items")]
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

/// The `value` array into a vector that starts with room for a typical page
/// (up to 64 items, at most ~64 KiB): serde's own starts empty (JSON gives no
/// length) and grows 4, 8, 16, 32, 64, copying every item parsed so far at
/// each step, which for 50 messages of ~1 KB each was ~1% of decoding a page.
/// Room left over on a short page is given back.
fn items<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    struct Items<T>(PhantomData<T>);

    impl<'de, T: Deserialize<'de>> Visitor<'de> for Items<T> {
        type Value = Vec<T>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an array")
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let room = (64 * 1024 / std::mem::size_of::<T>().max(1)).clamp(1, 64);
            let mut v = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096).max(room));
            while let Some(item) = seq.next_element()? {
                v.push(item);
            }
            if v.len() < v.capacity() / 2 {
                v.shrink_to_fit();
            }
            Ok(v)
        }
    }

    d.deserialize_seq(Items(PhantomData))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_parse_in_order_and_short_pages_keep_no_spare_room() {
        for n in [0usize, 1, 3, 50, 64, 65, 1000] {
            let items: Vec<String> = (0..n).map(|i| format!("item {i}")).collect();
            let body = serde_json::json!({ "value": items, "@odata.nextLink": "https://graph.microsoft.com/next" });
            let page: Page<String> = serde_json::from_str(&body.to_string()).unwrap();
            assert_eq!(page.value, items);
            assert!(page.value.capacity() <= (2 * n).max(1), "{n} items, capacity {}", page.value.capacity());
            let page: Page<String> = serde_json::from_value(body).unwrap();
            assert_eq!(page.value.len(), n);
        }
        let page: Page<u8> = serde_json::from_str("{}").unwrap();
        assert!(page.value.is_empty());
        assert!(serde_json::from_str::<Page<u8>>(r#"{"value":null}"#).is_err());
        assert!(serde_json::from_str::<Page<u8>>(r#"{"value":{"a":1}}"#).is_err());
        assert!(serde_json::from_str::<Page<u8>>(r#"{"value":[1,"x"]}"#).is_err());
    }
}
