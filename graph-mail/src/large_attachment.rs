//! Attachments of 3 MB to 150 MB: an upload session, then the file in
//! slices of up to 4 MiB through core's [`LargeUpload`]
//! ([attach large files](https://learn.microsoft.com/graph/outlook-large-attachments)).

use std::sync::Arc;

use msgraph_core::upload::{LargeUpload, SliceRules, UploadSession, UploadSource};
use msgraph_core::{Action, Error, GraphClient, GraphPath, Request, RequestOptions, Result};
use serde::Serialize;

use crate::Messages;

/// Outlook's limit for an attachment added through an upload session.
pub const MAX_LARGE_ATTACHMENT_BYTES: u64 = 150 * 1024 * 1024;

impl Messages {
    /// Adds a file attachment of any size up to 150 MB to a message (a
    /// draft): creates an upload session for it, then sends the file in
    /// slices of up to 4 MiB to the session's pre-authenticated URL (never
    /// with the token), resuming from where Outlook says if a slice fails.
    /// Memory holds one slice. Files under 3 MB can also go inline with
    /// [`NewMessage::attach`](crate::NewMessage::attach).
    ///
    /// `POST /me/messages/{id}/attachments/createUploadSession`, then `PUT`s to
    /// its `uploadUrl` · [attachment: createUploadSession](https://learn.microsoft.com/graph/api/attachment-createuploadsession) ·
    /// permissions: delegated `Mail.ReadWrite`, application `Mail.ReadWrite`.
    ///
    /// ```no_run
    /// use msgraph_mail::MailExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let added = client.me().messages()
    ///     .add_large_attachment("AAMkAD...", "reports/q3.pdf")
    ///     .content_type("application/pdf")
    ///     .on_progress(|sent, total| println!("{sent} of {total} bytes"))
    ///     .await?;
    /// println!("attachment id: {:?}", added.id);
    /// # Ok(()) }
    /// ```
    pub fn add_large_attachment(
        &self,
        message_id: impl Into<String>,
        file: impl Into<UploadSource>,
    ) -> AddLargeAttachment {
        AddLargeAttachment {
            client: self.client.clone(),
            attachments: self.item(&message_id.into()).push("attachments"),
            source: file.into(),
            name: None,
            content_type: None,
            content_id: None,
            progress: None,
            options: RequestOptions::default(),
        }
    }
}

/// Adds a large attachment; see [`Messages::add_large_attachment`].
#[must_use = "builders do nothing until sent"]
pub struct AddLargeAttachment {
    client: GraphClient,
    attachments: GraphPath,
    source: UploadSource,
    name: Option<String>,
    content_type: Option<String>,
    content_id: Option<String>,
    progress: Option<Arc<dyn Fn(u64, u64) + Send + Sync>>,
    options: RequestOptions,
}

impl std::fmt::Debug for AddLargeAttachment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AddLargeAttachment")
            .field("attachments", &self.attachments)
            .field("source", &self.source)
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// A large attachment Outlook accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct UploadedAttachment {
    /// The attachment's id, read from the final answer's `Location`
    /// (`.../Attachments('AAMk...')`); `None` if Outlook gave none.
    pub id: Option<String>,
    /// The final answer's `Location` header (a URL on outlook.office.com).
    pub location: Option<String>,
}

#[derive(Serialize)]
struct SessionRequest<'a> {
    #[serde(rename = "AttachmentItem")]
    attachment_item: AttachmentItem<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AttachmentItem<'a> {
    attachment_type: &'static str,
    name: &'a str,
    size: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_type: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_inline: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_id: Option<&'a str>,
}

impl AddLargeAttachment {
    /// The attachment's name (default: the file's name; required for bytes
    /// or a reader).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Its MIME type, e.g. `application/pdf`.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// Makes it an inline attachment referenced as `cid:{content_id}` in an HTML body.
    pub fn inline(mut self, content_id: impl Into<String>) -> Self {
        self.content_id = Some(content_id.into());
        self
    }

    /// Called after each slice: `(bytes Outlook has, total)`.
    pub fn on_progress(mut self, f: impl Fn(u64, u64) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(f));
        self
    }

    /// Creates the session and uploads the file.
    pub async fn send(mut self) -> Result<UploadedAttachment> {
        let name = self.name.clone().or_else(|| self.source.file_name()).filter(|n| !n.trim().is_empty());
        let name = name.ok_or_else(|| Error::invalid_input("a large attachment needs a name"))?;
        self.attachments.validate()?;
        let size = self.source.len().await?;
        if size == 0 {
            return Err(Error::invalid_input(format!("attachment {name:?} is empty")));
        }
        if size > MAX_LARGE_ATTACHMENT_BYTES {
            return Err(Error::invalid_input(format!(
                "attachment {name:?} is {size} bytes; Outlook takes at most {MAX_LARGE_ATTACHMENT_BYTES}"
            )));
        }
        let body = SessionRequest {
            attachment_item: AttachmentItem {
                attachment_type: "file",
                name: &name,
                size,
                content_type: self.content_type.as_deref(),
                is_inline: self.content_id.as_ref().map(|_| true),
                content_id: self.content_id.as_deref(),
            },
        };
        let create = Request::post(self.attachments.clone().push("createUploadSession")).json(&body);
        let session: UploadSession =
            Action::json(self.client.clone(), create).with_options(self.options).send().await?;
        let mut upload = LargeUpload::<serde_json::Value>::new(self.client, session, self.source)
            .rules(SliceRules::OUTLOOK)
            .expected_size(size);
        if let Some(p) = self.progress {
            upload = upload.on_progress(move |sent, total| p(sent, total));
        }
        let done = upload.send().await?;
        let id = done.location.as_deref().and_then(attachment_id);
        Ok(UploadedAttachment { id, location: done.location })
    }
}

impl msgraph_core::WithOptions for AddLargeAttachment {
    fn request_options(&mut self) -> &mut RequestOptions {
        &mut self.options
    }
}

msgraph_core::into_future!(AddLargeAttachment => UploadedAttachment);

/// `.../Attachments('AAMkAD...=')` → `AAMkAD...=`.
fn attachment_id(location: &str) -> Option<String> {
    let start = location.rfind("ttachments('")? + "ttachments('".len();
    let rest = &location[start..];
    let end = rest.find("')")?;
    let id = percent_encoding::percent_decode_str(&rest[..end]).decode_utf8().ok()?;
    Some(id.into_owned())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_attachment_id_comes_from_the_location() {
        let loc = "https://outlook.office.com/api/v2.0/Users('a8e8e219@72aa88bf')/Messages('AAMkADI5MAAIT3drCAAA=')/Attachments('AAMkADI5MAAIT3drCAAABEgAQANAqbAe7qaROhYdTnUQwXm0=')";
        assert_eq!(super::attachment_id(loc).as_deref(), Some("AAMkADI5MAAIT3drCAAABEgAQANAqbAe7qaROhYdTnUQwXm0="));
        assert_eq!(super::attachment_id("https://example.com/nothing"), None);
        assert_eq!(super::attachment_id("x/attachments('a%2Fb')").as_deref(), Some("a/b"));
    }
}
