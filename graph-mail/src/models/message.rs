use chrono::{DateTime, Utc};
use msgraph_core::models::{Additional, Importance, ItemBody, Recipient};
use serde::Serialize;

use super::{
    Attachment, Extension, FollowupFlag, InternetMessageHeader, MultiValueLegacyExtendedProperty,
    SingleValueLegacyExtendedProperty,
};
use crate::triage::{ConversationIndex, ConversationIndexError};

msgraph_core::string_enum! {
    /// Focused Inbox classification of a message
    /// ([inferenceClassificationType](https://learn.microsoft.com/graph/api/resources/message)).
    pub enum InferenceClassification {
        /// `focused`: in the Focused tab.
        Focused => "focused",
        /// `other`: in the Other tab.
        Other => "other",
    }
}

/// An Outlook message ([message](https://learn.microsoft.com/graph/api/resources/message)).
///
/// Every property of the v1.0 resource is named; what Graph omits (because of
/// `$select`, or because it is not returned by default, like `uniqueBody` and
/// `internetMessageHeaders`) is `None`. Properties the SDK does not name
/// (`@odata.etag`, `@odata.type`, `@removed`, ...) are kept in
/// [`additional`](Self::additional), so a round trip loses nothing. Parsed
/// in one pass by a hand-written visitor (`message_de.rs`): named properties
/// go straight to their fields, unknown ones straight into `additional`
/// (serde's `flatten` would buffer them first), dates through
/// [`msgraph_core::models::utc`].
///
/// ```
/// use msgraph_mail::Message;
/// let m: Message = serde_json::from_str(r#"{
///     "id": "AAMkAD=", "subject": "Hello", "isRead": false,
///     "from": {"emailAddress": {"name": "Ada", "address": "ada@contoso.com"}},
///     "receivedDateTime": "2024-05-01T09:30:00Z"
/// }"#).unwrap();
/// assert_eq!(m.from_address(), Some("ada@contoso.com"));
/// assert_eq!(m.is_read, Some(false));
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Message {
    /// Unique id; may change when the message moves (ask for immutable ids
    /// with `Prefer: IdType="ImmutableId"` to keep it stable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// When the message was created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_date_time: Option<DateTime<Utc>>,
    /// When the message was last changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified_date_time: Option<DateTime<Utc>>,
    /// Version of the message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change_key: Option<String>,
    /// Category names (from the master category list) applied to the message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub categories: Option<Vec<String>>,
    /// When the message was received.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received_date_time: Option<DateTime<Utc>>,
    /// When the message was sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent_date_time: Option<DateTime<Utc>>,
    /// Whether the message has attachments (inline attachments not counted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_attachments: Option<bool>,
    /// RFC 2822 `Message-ID`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internet_message_id: Option<String>,
    /// Subject.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// The first 255 characters of the body, as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_preview: Option<String>,
    /// `low`, `normal` or `high`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub importance: Option<Importance>,
    /// Id of the folder the message is in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_folder_id: Option<String>,
    /// Id of the conversation (thread) the message belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversation_id: Option<String>,
    /// Position of the message in its conversation, base64
    /// (decode with [`Message::conversation_position`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversation_index: Option<String>,
    /// Whether a delivery receipt is requested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_delivery_receipt_requested: Option<bool>,
    /// Whether a read receipt is requested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_read_receipt_requested: Option<bool>,
    /// Whether the message has been read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_read: Option<bool>,
    /// Whether the message is a draft (not sent yet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_draft: Option<bool>,
    /// Link that opens the message in Outlook on the web.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web_link: Option<String>,
    /// Focused Inbox classification: `focused` or `other`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inference_classification: Option<InferenceClassification>,
    /// The body, HTML or text (ask for text with
    /// [`MessageQuery::text_body`](crate::MessageQuery::text_body)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<ItemBody>,
    /// The part of the body unique to this message; returned only when `$select`ed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unique_body: Option<ItemBody>,
    /// The account that actually sent the message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender: Option<Recipient>,
    /// The mailbox the message is from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Recipient>,
    /// To: recipients.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_recipients: Option<Vec<Recipient>>,
    /// Cc: recipients.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cc_recipients: Option<Vec<Recipient>>,
    /// Bcc: recipients.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bcc_recipients: Option<Vec<Recipient>>,
    /// Addresses to use when replying.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<Vec<Recipient>>,
    /// Follow-up flag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flag: Option<FollowupFlag>,
    /// RFC 5322 headers; returned only when `$select`ed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internet_message_headers: Option<Vec<InternetMessageHeader>>,
    /// Attachments, when `$expand=attachments` was asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachments: Option<Vec<Attachment>>,
    /// Open extensions, when `$expand`ed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extensions: Option<Vec<Extension>>,
    /// Single-value MAPI properties, when `$expand`ed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub single_value_extended_properties: Option<Vec<SingleValueLegacyExtendedProperty>>,
    /// Multi-value MAPI properties, when `$expand`ed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multi_value_extended_properties: Option<Vec<MultiValueLegacyExtendedProperty>>,
    /// Properties not named above (`@odata.etag`, `@odata.type`, ...).
    #[serde(flatten)]
    pub additional: Additional,
}

impl Message {
    /// The SMTP address of `from`, if present.
    pub fn from_address(&self) -> Option<&str> {
        self.from.as_ref().and_then(Recipient::address)
    }

    /// The categories, or an empty slice.
    pub fn category_names(&self) -> &[String] {
        self.categories.as_deref().unwrap_or_default()
    }

    /// True when `category` is applied (compared ignoring ASCII case, as Outlook does).
    pub fn has_category(&self, category: &str) -> bool {
        self.category_names().iter().any(|c| c.eq_ignore_ascii_case(category))
    }

    /// True when the follow-up flag is `flagged`.
    pub fn is_flagged(&self) -> bool {
        self.flag.as_ref().is_some_and(FollowupFlag::is_flagged)
    }

    /// The `@odata.etag` Graph sent, if any.
    pub fn etag(&self) -> Option<&str> {
        self.additional.get("@odata.etag").and_then(|v| v.as_str())
    }

    /// The decoded [`conversation_index`](Self::conversation_index): thread
    /// depth, header date and child blocks. `None` when Graph did not send
    /// one; an error when it is not valid base64 or too short.
    pub fn conversation_position(&self) -> Option<Result<ConversationIndex, ConversationIndexError>> {
        self.conversation_index.as_deref().map(ConversationIndex::decode)
    }
}
