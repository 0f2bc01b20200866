use msgraph_core::models::{Additional, Importance, ItemBody, Recipient};
use msgraph_core::{Error, Result};
use serde::Serialize;

use super::{FollowupFlag, InferenceClassification};
use crate::validate;

/// Changes to a message: the body of
/// [update message](https://learn.microsoft.com/graph/api/message-update).
/// Only what was set is sent, so other properties stay as they are.
/// Recipients, subject and body can be changed only on drafts.
///
/// ```
/// use msgraph_mail::{FollowupFlag, MessagePatch};
/// let patch = MessagePatch::new().read(true).categories(["Receipts"]).flag(FollowupFlag::complete());
/// assert_eq!(
///     serde_json::to_value(&patch).unwrap(),
///     serde_json::json!({"isRead": true, "categories": ["Receipts"], "flag": {"flagStatus": "complete"}}),
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MessagePatch {
    #[serde(skip_serializing_if = "Option::is_none")]
    is_read: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    categories: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    flag: Option<FollowupFlag>,
    #[serde(skip_serializing_if = "Option::is_none")]
    importance: Option<Importance>,
    #[serde(skip_serializing_if = "Option::is_none")]
    inference_classification: Option<InferenceClassification>,
    #[serde(skip_serializing_if = "Option::is_none")]
    subject: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<ItemBody>,
    #[serde(skip_serializing_if = "Option::is_none")]
    from: Option<Recipient>,
    #[serde(skip_serializing_if = "Option::is_none")]
    to_recipients: Option<Vec<Recipient>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cc_recipients: Option<Vec<Recipient>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bcc_recipients: Option<Vec<Recipient>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reply_to: Option<Vec<Recipient>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_read_receipt_requested: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_delivery_receipt_requested: Option<bool>,
    #[serde(flatten)]
    extra: Additional,
}

fn list<I>(items: I) -> Option<Vec<Recipient>>
where
    I: IntoIterator,
    I::Item: Into<Recipient>,
{
    Some(items.into_iter().map(Into::into).collect())
}

impl MessagePatch {
    /// An empty patch.
    pub fn new() -> Self {
        Self::default()
    }

    /// Marks read (`true`) or unread (`false`).
    pub fn read(mut self, read: bool) -> Self {
        self.is_read = Some(read);
        self
    }

    /// Replaces the categories (an empty list clears them).
    pub fn categories<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.categories = Some(names.into_iter().map(Into::into).collect());
        self
    }

    /// Sets the follow-up flag.
    pub fn flag(mut self, flag: FollowupFlag) -> Self {
        self.flag = Some(flag);
        self
    }

    /// Sets the importance.
    pub fn importance(mut self, importance: Importance) -> Self {
        self.importance = Some(importance);
        self
    }

    /// Moves the message between Focused and Other.
    pub fn inference_classification(mut self, class: InferenceClassification) -> Self {
        self.inference_classification = Some(class);
        self
    }

    /// Drafts only: the subject.
    pub fn subject(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }

    /// Drafts only: the body.
    pub fn body(mut self, body: ItemBody) -> Self {
        self.body = Some(body);
        self
    }

    /// Drafts only: the sender mailbox.
    pub fn from(mut self, from: impl Into<Recipient>) -> Self {
        self.from = Some(from.into());
        self
    }

    /// Drafts only: replaces the To: recipients.
    pub fn to<I>(mut self, recipients: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<Recipient>,
    {
        self.to_recipients = list(recipients);
        self
    }

    /// Drafts only: replaces the Cc: recipients.
    pub fn cc<I>(mut self, recipients: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<Recipient>,
    {
        self.cc_recipients = list(recipients);
        self
    }

    /// Drafts only: replaces the Bcc: recipients.
    pub fn bcc<I>(mut self, recipients: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<Recipient>,
    {
        self.bcc_recipients = list(recipients);
        self
    }

    /// Drafts only: replaces the Reply-To addresses.
    pub fn reply_to<I>(mut self, recipients: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<Recipient>,
    {
        self.reply_to = list(recipients);
        self
    }

    /// Asks for (or stops asking for) a read receipt.
    pub fn request_read_receipt(mut self, on: bool) -> Self {
        self.is_read_receipt_requested = Some(on);
        self
    }

    /// Asks for (or stops asking for) a delivery receipt.
    pub fn request_delivery_receipt(mut self, on: bool) -> Self {
        self.is_delivery_receipt_requested = Some(on);
        self
    }

    /// Any other writable property, written as given.
    pub fn property(mut self, name: impl Into<String>, value: serde_json::Value) -> Self {
        self.extra.insert(name.into(), value);
        self
    }

    /// True when nothing was set.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    pub(crate) fn validate(&self) -> Result<()> {
        if self.is_empty() {
            return Err(Error::invalid_input("the message patch changes nothing"));
        }
        validate::categories(self.categories.as_deref())?;
        validate::recipient(self.from.as_ref(), "from")?;
        validate::recipients(self.to_recipients.as_deref(), "toRecipients")?;
        validate::recipients(self.cc_recipients.as_deref(), "ccRecipients")?;
        validate::recipients(self.bcc_recipients.as_deref(), "bccRecipients")?;
        validate::recipients(self.reply_to.as_deref(), "replyTo")
    }
}
