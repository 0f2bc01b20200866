use base64::Engine as _;
use msgraph_core::models::{Additional, Importance, ItemBody, Recipient};
use msgraph_core::{Error, Result};
use serde::{Deserialize, Serialize};

use super::{FollowupFlag, InternetMessageHeader};
use crate::validate;

/// A message to create or send: the body of
/// [create draft](https://learn.microsoft.com/graph/api/user-post-messages),
/// [sendMail](https://learn.microsoft.com/graph/api/user-sendmail) and the
/// `message` of reply/forward. Only what was set is serialized.
///
/// Addresses are checked when the message is sent (an address without `@`
/// is [`Error::InvalidInput`], and nothing is sent).
///
/// ```
/// use msgraph_core::models::Importance;
/// use msgraph_mail::{NewAttachment, NewMessage};
/// let msg = NewMessage::new()
///     .to(["john@example.com"])
///     .cc(["ops@example.com"])
///     .subject("Meeting Tomorrow")
///     .html_body("<p>Hi John</p>")
///     .importance(Importance::High)
///     .attach(NewAttachment::file("agenda.txt", b"1. budget").content_type("text/plain"));
/// let json = serde_json::to_value(&msg).unwrap();
/// assert_eq!(json["toRecipients"][0]["emailAddress"]["address"], "john@example.com");
/// assert_eq!(json["body"]["contentType"], "html");
/// assert_eq!(json["attachments"][0]["@odata.type"], "#microsoft.graph.fileAttachment");
/// assert!(json.get("bccRecipients").is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewMessage {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    subject: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    body: Option<ItemBody>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    importance: Option<Importance>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    from: Option<Recipient>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    to_recipients: Option<Vec<Recipient>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    cc_recipients: Option<Vec<Recipient>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    bcc_recipients: Option<Vec<Recipient>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reply_to: Option<Vec<Recipient>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    categories: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    flag: Option<FollowupFlag>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    internet_message_headers: Option<Vec<InternetMessageHeader>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    is_read_receipt_requested: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    is_delivery_receipt_requested: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    attachments: Option<Vec<NewAttachment>>,
    #[serde(flatten)]
    extra: Additional,
}

fn extend<I>(list: &mut Option<Vec<Recipient>>, add: I)
where
    I: IntoIterator,
    I::Item: Into<Recipient>,
{
    list.get_or_insert_with(Vec::new).extend(add.into_iter().map(Into::into));
}

impl NewMessage {
    /// An empty message.
    pub fn new() -> Self {
        Self::default()
    }

    /// Subject.
    pub fn subject(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }

    /// A plain-text body.
    pub fn text_body(self, text: impl Into<String>) -> Self {
        self.body(ItemBody::text(text))
    }

    /// An HTML body.
    pub fn html_body(self, html: impl Into<String>) -> Self {
        self.body(ItemBody::html(html))
    }

    /// The body.
    pub fn body(mut self, body: ItemBody) -> Self {
        self.body = Some(body);
        self
    }

    /// Importance.
    pub fn importance(mut self, importance: Importance) -> Self {
        self.importance = Some(importance);
        self
    }

    /// Adds To: recipients (addresses, `Recipient`s or `EmailAddress`es).
    pub fn to<I>(mut self, recipients: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<Recipient>,
    {
        extend(&mut self.to_recipients, recipients);
        self
    }

    /// Adds Cc: recipients.
    pub fn cc<I>(mut self, recipients: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<Recipient>,
    {
        extend(&mut self.cc_recipients, recipients);
        self
    }

    /// Adds Bcc: recipients.
    pub fn bcc<I>(mut self, recipients: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<Recipient>,
    {
        extend(&mut self.bcc_recipients, recipients);
        self
    }

    /// Adds Reply-To addresses.
    pub fn reply_to<I>(mut self, recipients: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<Recipient>,
    {
        extend(&mut self.reply_to, recipients);
        self
    }

    /// Sends as another mailbox (needs Send As or Send on Behalf rights).
    pub fn from(mut self, from: impl Into<Recipient>) -> Self {
        self.from = Some(from.into());
        self
    }

    /// Adds categories (names from the master category list).
    pub fn categories<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.categories.get_or_insert_with(Vec::new).extend(names.into_iter().map(Into::into));
        self
    }

    /// A follow-up flag.
    pub fn flag(mut self, flag: FollowupFlag) -> Self {
        self.flag = Some(flag);
        self
    }

    /// A custom Internet header; its name must start with `x-`.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.internet_message_headers.get_or_insert_with(Vec::new).push(InternetMessageHeader::new(name, value));
        self
    }

    /// Asks for a read receipt.
    pub fn request_read_receipt(mut self, on: bool) -> Self {
        self.is_read_receipt_requested = Some(on);
        self
    }

    /// Asks for a delivery receipt.
    pub fn request_delivery_receipt(mut self, on: bool) -> Self {
        self.is_delivery_receipt_requested = Some(on);
        self
    }

    /// Adds a file attachment (under 3 MB).
    pub fn attach(mut self, attachment: NewAttachment) -> Self {
        self.attachments.get_or_insert_with(Vec::new).push(attachment);
        self
    }

    /// Any other message property, written as given (e.g.
    /// `singleValueExtendedProperties`).
    pub fn property(mut self, name: impl Into<String>, value: serde_json::Value) -> Self {
        self.extra.insert(name.into(), value);
        self
    }

    /// True when there is at least one To, Cc or Bcc recipient.
    pub fn has_recipients(&self) -> bool {
        [&self.to_recipients, &self.cc_recipients, &self.bcc_recipients]
            .iter()
            .any(|l| l.as_ref().is_some_and(|l| !l.is_empty()))
    }

    /// Checks addresses, categories, headers and attachments; with
    /// `need_recipients`, also that there is someone to send to.
    pub(crate) fn validate(&self, need_recipients: bool) -> Result<()> {
        if need_recipients && !self.has_recipients() {
            return Err(Error::invalid_input("the message has no recipients (to, cc or bcc)"));
        }
        validate::recipients(self.to_recipients.as_deref(), "toRecipients")?;
        validate::recipients(self.cc_recipients.as_deref(), "ccRecipients")?;
        validate::recipients(self.bcc_recipients.as_deref(), "bccRecipients")?;
        validate::recipients(self.reply_to.as_deref(), "replyTo")?;
        validate::recipient(self.from.as_ref(), "from")?;
        validate::categories(self.categories.as_deref())?;
        for h in self.internet_message_headers.iter().flatten() {
            let name = h.name.as_deref().unwrap_or_default();
            if !name.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("x-")) || name.len() < 3 {
                return Err(Error::invalid_input(format!("custom Internet header {name:?} must be named x-something")));
            }
        }
        for a in self.attachments.iter().flatten() {
            a.validate()?;
        }
        Ok(())
    }
}

/// A file attachment to send with a message
/// ([fileAttachment](https://learn.microsoft.com/graph/api/resources/fileattachment)):
/// the content is base64-encoded when the attachment is made. Files of 3 MB
/// or more are refused when the message is sent: add them to the draft with
/// [`Messages::add_large_attachment`](crate::Messages::add_large_attachment)
/// (an upload session, up to 150 MB).
///
/// ```
/// use msgraph_mail::NewAttachment;
/// let logo = NewAttachment::file("logo.png", [0x89, b'P', b'N', b'G'])
///     .content_type("image/png")
///     .inline("logo@acme");
/// let json = serde_json::to_value(&logo).unwrap();
/// assert_eq!(json["contentBytes"], "iVBORw==");
/// assert_eq!(json["isInline"], true);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewAttachment {
    #[serde(rename = "@odata.type")]
    odata_type: String,
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    content_type: Option<String>,
    content_bytes: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    is_inline: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    content_id: Option<String>,
}

impl NewAttachment {
    /// A file named `name` with these bytes.
    pub fn file(name: impl Into<String>, content: impl AsRef<[u8]>) -> Self {
        NewAttachment {
            odata_type: "#microsoft.graph.fileAttachment".into(),
            name: name.into(),
            content_type: None,
            content_bytes: base64::engine::general_purpose::STANDARD.encode(content.as_ref()),
            is_inline: None,
            content_id: None,
        }
    }

    /// The MIME type, e.g. `application/pdf`.
    pub fn content_type(mut self, mime: impl Into<String>) -> Self {
        self.content_type = Some(mime.into());
        self
    }

    /// Makes the attachment inline, referenced from an HTML body as `cid:{content_id}`.
    pub fn inline(mut self, content_id: impl Into<String>) -> Self {
        self.is_inline = Some(true);
        self.content_id = Some(content_id.into());
        self
    }

    /// Size of the file in bytes (before base64).
    pub fn size(&self) -> usize {
        let b = self.content_bytes.trim_end_matches('=');
        b.len() * 3 / 4
    }

    pub(crate) fn validate(&self) -> Result<()> {
        if self.name.trim().is_empty() {
            return Err(Error::invalid_input("an attachment has no name"));
        }
        let size = self.size();
        if size >= validate::MAX_INLINE_ATTACHMENT_BYTES {
            return Err(Error::invalid_input(format!(
                "attachment {:?} is {size} bytes; files of 3 MB or more need an upload session (Messages::add_large_attachment)",
                self.name
            )));
        }
        Ok(())
    }
}
