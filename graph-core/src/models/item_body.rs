use serde::{Deserialize, Serialize};

crate::string_enum! {
    /// Format of an [`ItemBody`].
    pub enum BodyType {
        /// Plain text.
        Text => "text",
        /// HTML.
        Html => "html",
    }
}

/// The body of a message, event or post
/// ([itemBody](https://learn.microsoft.com/graph/api/resources/itembody)).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ItemBody {
    /// `text` or `html`.
    pub content_type: BodyType,
    /// The content.
    #[serde(default)]
    pub content: String,
}

impl ItemBody {
    /// A plain-text body.
    pub fn text(content: impl Into<String>) -> Self {
        ItemBody { content_type: BodyType::Text, content: content.into() }
    }

    /// An HTML body.
    pub fn html(content: impl Into<String>) -> Self {
        ItemBody { content_type: BodyType::Html, content: content.into() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_casing_variants_and_unknown() {
        let b: ItemBody = serde_json::from_str(r#"{"contentType":"HTML","content":"<p>x</p>"}"#).unwrap();
        assert_eq!(b.content_type, BodyType::Html);
        let b: ItemBody = serde_json::from_str(r#"{"contentType":"markdown","content":"x"}"#).unwrap();
        assert_eq!(b.content_type, BodyType::Unknown("markdown".into()));
        assert_eq!(serde_json::to_string(&b).unwrap(), r#"{"contentType":"markdown","content":"x"}"#);
        assert_eq!(serde_json::to_string(&ItemBody::text("hi")).unwrap(), r#"{"contentType":"text","content":"hi"}"#);
    }
}
