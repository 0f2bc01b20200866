use msgraph_core::models::Additional;
use serde::{Deserialize, Serialize};

/// One RFC 5322 header of a message
/// ([internetMessageHeader](https://learn.microsoft.com/graph/api/resources/internetmessageheader)).
///
/// Graph returns them only when `internetMessageHeaders` is `$select`ed.
/// Custom headers can be set only when a message is created, and their names
/// must start with `x-` (see [`NewMessage::header`](crate::NewMessage::header)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct InternetMessageHeader {
    /// Header name, e.g. `Received` or `x-custom-header-group-name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Header value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

impl InternetMessageHeader {
    /// A header with a name and value.
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        InternetMessageHeader { name: Some(name.into()), value: Some(value.into()), additional: Additional::new() }
    }
}
