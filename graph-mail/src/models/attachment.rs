use base64::Engine as _;
use chrono::{DateTime, Utc};
use msgraph_core::Error;
use msgraph_core::models::{Additional, utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Message;
use super::odata_type::{is_type, parse_kind, read_object, type_of};

const FILE: &str = "microsoft.graph.fileAttachment";
const ITEM: &str = "microsoft.graph.itemAttachment";
const REFERENCE: &str = "microsoft.graph.referenceAttachment";
const MESSAGE: &str = "microsoft.graph.message";

/// An attachment of a message
/// ([attachment](https://learn.microsoft.com/graph/api/resources/attachment)),
/// by its `@odata.type`: a file, an Outlook item, or a link to a file. A kind
/// this SDK does not know is kept whole in [`Attachment::Unknown`].
///
/// ```
/// use msgraph_mail::Attachment;
/// let a: Attachment = serde_json::from_str(r##"{
///     "@odata.type": "#microsoft.graph.fileAttachment",
///     "id": "AAMk=", "name": "notes.txt", "contentType": "text/plain",
///     "size": 5, "isInline": false, "contentBytes": "aGVsbG8="
/// }"##).unwrap();
/// match &a {
///     Attachment::File(f) => assert_eq!(f.decode_content().unwrap().unwrap(), b"hello"),
///     other => panic!("{other:?}"),
/// }
/// assert_eq!(a.name(), Some("notes.txt"));
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Attachment {
    /// `#microsoft.graph.fileAttachment`: a file, content in base64.
    File(FileAttachment),
    /// `#microsoft.graph.itemAttachment`: a message, event or contact.
    Item(ItemAttachment),
    /// `#microsoft.graph.referenceAttachment`: a link to a file (OneDrive, ...).
    Reference(ReferenceAttachment),
    /// Any other `@odata.type` (or none): the JSON object as Graph sent it.
    Unknown(Additional),
}

/// A file attached to a message
/// ([fileAttachment](https://learn.microsoft.com/graph/api/resources/fileattachment)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct FileAttachment {
    /// Attachment id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// When the attachment was last changed.
    #[serde(default, deserialize_with = "utc::option::deserialize", skip_serializing_if = "Option::is_none")]
    pub last_modified_date_time: Option<DateTime<Utc>>,
    /// Display name (usually the file name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// MIME type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// Size in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<i32>,
    /// Whether the attachment is inline (e.g. an image in the body).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_inline: Option<bool>,
    /// The content id (`cid:`) an inline attachment is referenced by.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_id: Option<String>,
    /// Not supported by Graph; kept as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_location: Option<String>,
    /// The content, base64 (decode with [`decode_content`](Self::decode_content)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_bytes: Option<String>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

impl FileAttachment {
    /// The decoded content: `None` when Graph did not send `contentBytes`
    /// (e.g. `$select` left it out), an [`Error::Decode`] when it is not base64.
    pub fn decode_content(&self) -> Option<Result<Vec<u8>, Error>> {
        let b64 = self.content_bytes.as_deref()?;
        Some(base64::engine::general_purpose::STANDARD.decode(b64.trim()).map_err(|e| Error::Decode {
            message: format!("contentBytes is not valid base64: {e}"),
            path: Some("contentBytes".into()),
            status: 200,
            body_prefix: String::new(),
        }))
    }
}

/// An Outlook item (message, event, contact) attached to a message
/// ([itemAttachment](https://learn.microsoft.com/graph/api/resources/itemattachment)).
/// The item itself comes only with `$expand=microsoft.graph.itemattachment/item`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ItemAttachment {
    /// Attachment id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// When the attachment was last changed.
    #[serde(default, deserialize_with = "utc::option::deserialize", skip_serializing_if = "Option::is_none")]
    pub last_modified_date_time: Option<DateTime<Utc>>,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// MIME type (often `null` for items).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// Size in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<i32>,
    /// Whether the attachment is inline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_inline: Option<bool>,
    /// The attached item, when expanded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<OutlookItem>,
    /// Properties not named above (e.g. `item@odata.context`).
    #[serde(flatten)]
    pub additional: Additional,
}

/// A link to a file, attached to a message
/// ([referenceAttachment](https://learn.microsoft.com/graph/api/resources/referenceattachment)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ReferenceAttachment {
    /// Attachment id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// When the attachment was last changed.
    #[serde(default, deserialize_with = "utc::option::deserialize", skip_serializing_if = "Option::is_none")]
    pub last_modified_date_time: Option<DateTime<Utc>>,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// MIME type of the linked file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// Size of the link's metadata in bytes (not of the file).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<i32>,
    /// Whether the attachment is shown inline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_inline: Option<bool>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

/// The item inside an [`ItemAttachment`]
/// ([outlookItem](https://learn.microsoft.com/graph/api/resources/outlookitem)).
/// Events and contacts belong to other services and are kept as JSON.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum OutlookItem {
    /// `#microsoft.graph.message`.
    Message(Box<Message>),
    /// Any other item type (event, contact, ...), as Graph sent it.
    Unknown(Additional),
}

impl Attachment {
    /// Attachment id.
    pub fn id(&self) -> Option<&str> {
        self.known(|a| a.id.as_deref(), |a| a.id.as_deref(), |a| a.id.as_deref(), "id")
    }

    /// Display name.
    pub fn name(&self) -> Option<&str> {
        self.known(|a| a.name.as_deref(), |a| a.name.as_deref(), |a| a.name.as_deref(), "name")
    }

    /// MIME type.
    pub fn content_type(&self) -> Option<&str> {
        self.known(
            |a| a.content_type.as_deref(),
            |a| a.content_type.as_deref(),
            |a| a.content_type.as_deref(),
            "contentType",
        )
    }

    /// Size in bytes, when known.
    pub fn size(&self) -> Option<i32> {
        match self {
            Attachment::File(a) => a.size,
            Attachment::Item(a) => a.size,
            Attachment::Reference(a) => a.size,
            Attachment::Unknown(m) => {
                m.get("size").and_then(serde_json::Value::as_i64).and_then(|s| i32::try_from(s).ok())
            }
        }
    }

    /// Whether the attachment is inline, when known.
    pub fn is_inline(&self) -> Option<bool> {
        match self {
            Attachment::File(a) => a.is_inline,
            Attachment::Item(a) => a.is_inline,
            Attachment::Reference(a) => a.is_inline,
            Attachment::Unknown(m) => m.get("isInline").and_then(serde_json::Value::as_bool),
        }
    }

    /// The `@odata.type` of this attachment, e.g. `#microsoft.graph.fileAttachment`.
    pub fn odata_type(&self) -> Option<&str> {
        match self {
            Attachment::File(_) => Some("#microsoft.graph.fileAttachment"),
            Attachment::Item(_) => Some("#microsoft.graph.itemAttachment"),
            Attachment::Reference(_) => Some("#microsoft.graph.referenceAttachment"),
            Attachment::Unknown(m) => type_of(m),
        }
    }

    /// The file attachment, if this is one.
    pub fn as_file(&self) -> Option<&FileAttachment> {
        match self {
            Attachment::File(a) => Some(a),
            _ => None,
        }
    }

    /// A string property of any kind; for `Unknown`, read from the raw JSON.
    fn known<'a>(
        &'a self,
        file: impl FnOnce(&'a FileAttachment) -> Option<&'a str>,
        item: impl FnOnce(&'a ItemAttachment) -> Option<&'a str>,
        reference: impl FnOnce(&'a ReferenceAttachment) -> Option<&'a str>,
        key: &str,
    ) -> Option<&'a str> {
        match self {
            Attachment::File(a) => file(a),
            Attachment::Item(a) => item(a),
            Attachment::Reference(a) => reference(a),
            Attachment::Unknown(m) => m.get(key).and_then(serde_json::Value::as_str),
        }
    }
}

impl<'de> Deserialize<'de> for Attachment {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let map = read_object(d)?;
        let Some(tag) = type_of(&map) else { return Ok(Attachment::Unknown(map)) };
        if is_type(tag, FILE) {
            parse_kind::<_, D>(map).map(Attachment::File)
        } else if is_type(tag, ITEM) {
            parse_kind::<_, D>(map).map(Attachment::Item)
        } else if is_type(tag, REFERENCE) {
            parse_kind::<_, D>(map).map(Attachment::Reference)
        } else {
            Ok(Attachment::Unknown(map))
        }
    }
}

#[derive(Serialize)]
#[serde(tag = "@odata.type")]
enum TaggedAttachment<'a> {
    #[serde(rename = "#microsoft.graph.fileAttachment")]
    File(&'a FileAttachment),
    #[serde(rename = "#microsoft.graph.itemAttachment")]
    Item(&'a ItemAttachment),
    #[serde(rename = "#microsoft.graph.referenceAttachment")]
    Reference(&'a ReferenceAttachment),
}

impl Serialize for Attachment {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Attachment::File(a) => TaggedAttachment::File(a).serialize(s),
            Attachment::Item(a) => TaggedAttachment::Item(a).serialize(s),
            Attachment::Reference(a) => TaggedAttachment::Reference(a).serialize(s),
            Attachment::Unknown(m) => m.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for OutlookItem {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let map = read_object(d)?;
        match type_of(&map) {
            Some(tag) if is_type(tag, MESSAGE) => parse_kind::<_, D>(map).map(|m| OutlookItem::Message(Box::new(m))),
            _ => Ok(OutlookItem::Unknown(map)),
        }
    }
}

#[derive(Serialize)]
#[serde(tag = "@odata.type")]
enum TaggedItem<'a> {
    #[serde(rename = "#microsoft.graph.message")]
    Message(&'a Message),
}

impl Serialize for OutlookItem {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            OutlookItem::Message(m) => TaggedItem::Message(m).serialize(s),
            OutlookItem::Unknown(m) => m.serialize(s),
        }
    }
}
