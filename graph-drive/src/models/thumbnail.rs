use msgraph_core::models::Additional;
use serde::{Deserialize, Serialize};

/// The thumbnails of an item in several sizes
/// ([thumbnailSet](https://learn.microsoft.com/graph/api/resources/thumbnailset)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ThumbnailSet {
    /// The set's id (`0`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Small (96 px longest side).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub small: Option<Thumbnail>,
    /// Medium (176 px).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub medium: Option<Thumbnail>,
    /// Large (800 px).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub large: Option<Thumbnail>,
    /// Properties not named above (custom sizes).
    #[serde(flatten)]
    pub additional: Additional,
}

/// One thumbnail image ([thumbnail](https://learn.microsoft.com/graph/api/resources/thumbnail)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Thumbnail {
    /// A URL of the image (pre-authenticated, short-lived).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Width in pixels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<i64>,
    /// Height in pixels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<i64>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}
