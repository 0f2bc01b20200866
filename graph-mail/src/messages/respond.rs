use msgraph_core::models::Recipient;
use msgraph_core::{Error, GraphClient, GraphPath, Request, Result};
use serde::Serialize;

use super::Messages;
use crate::{Message, NewMessage, validate};
use msgraph_core::{Action, RequestOptions};

impl Messages {
    /// Replies to the sender; Graph answers 202 and saves the reply in Sent
    /// Items. Add text with [`Reply::comment`], or change the reply
    /// (recipients, body, ...) with [`Reply::message`].
    ///
    /// `POST /me/messages/{id}/reply` · [message: reply](https://learn.microsoft.com/graph/api/message-reply) ·
    /// permissions: delegated `Mail.Send`, application `Mail.Send`.
    ///
    /// ```no_run
    /// use msgraph_mail::MailExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// client.me().messages().reply("AAMkAD...").comment("Thanks, will do.").await?;
    /// # Ok(()) }
    /// ```
    pub fn reply(&self, id: impl Into<String>) -> Reply {
        Reply::new(self.client.clone(), self.action_path(&id.into(), "reply"))
    }

    /// Replies to the sender and all recipients.
    ///
    /// `POST /me/messages/{id}/replyAll` · [message: replyAll](https://learn.microsoft.com/graph/api/message-replyall) ·
    /// permissions: delegated `Mail.Send`, application `Mail.Send`.
    ///
    /// ```no_run
    /// use msgraph_mail::MailExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// client.me().messages().reply_all("AAMkAD...").comment("Adding the team.").await?;
    /// # Ok(()) }
    /// ```
    pub fn reply_all(&self, id: impl Into<String>) -> Reply {
        Reply::new(self.client.clone(), self.action_path(&id.into(), "replyAll"))
    }

    /// Forwards a message to `to`; Graph answers 202.
    ///
    /// `POST /me/messages/{id}/forward` · [message: forward](https://learn.microsoft.com/graph/api/message-forward) ·
    /// permissions: delegated `Mail.Send`, application `Mail.Send`.
    ///
    /// No recipient, or an address without `@`, is an
    /// [`Error::InvalidInput`] and nothing is sent.
    ///
    /// ```no_run
    /// use msgraph_mail::MailExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// client.me().messages().forward("AAMkAD...", ["dana@contoso.com"]).comment("FYI").await?;
    /// # Ok(()) }
    /// ```
    pub fn forward<I>(&self, id: impl Into<String>, to: I) -> Forward
    where
        I: IntoIterator,
        I::Item: Into<Recipient>,
    {
        let body = ResponseBody { to_recipients: Some(to.into_iter().map(Into::into).collect()), ..Default::default() };
        Forward {
            options: Default::default(),
            client: self.client.clone(),
            path: self.action_path(&id.into(), "forward"),
            body,
        }
    }

    /// Creates a reply draft to edit and send later. Returns the draft.
    ///
    /// `POST /me/messages/{id}/createReply` · [message: createReply](https://learn.microsoft.com/graph/api/message-createreply) ·
    /// permissions: delegated `Mail.ReadWrite`, application `Mail.ReadWrite`.
    ///
    /// ```no_run
    /// use msgraph_mail::MailExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let draft = client.me().messages().create_reply("AAMkAD...").comment("Draft answer").await?;
    /// # Ok(()) }
    /// ```
    pub fn create_reply(&self, id: impl Into<String>) -> CreateReply {
        CreateReply::new(self.client.clone(), self.action_path(&id.into(), "createReply"))
    }

    /// Creates a reply-all draft. Returns the draft.
    ///
    /// `POST /me/messages/{id}/createReplyAll` · [message: createReplyAll](https://learn.microsoft.com/graph/api/message-createreplyall) ·
    /// permissions: delegated `Mail.ReadWrite`, application `Mail.ReadWrite`.
    ///
    /// ```no_run
    /// use msgraph_mail::MailExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let draft = client.me().messages().create_reply_all("AAMkAD...").await?;
    /// # Ok(()) }
    /// ```
    pub fn create_reply_all(&self, id: impl Into<String>) -> CreateReply {
        CreateReply::new(self.client.clone(), self.action_path(&id.into(), "createReplyAll"))
    }

    /// Creates a forward draft. Recipients are optional here (add them before sending).
    ///
    /// `POST /me/messages/{id}/createForward` · [message: createForward](https://learn.microsoft.com/graph/api/message-createforward) ·
    /// permissions: delegated `Mail.ReadWrite`, application `Mail.ReadWrite`.
    ///
    /// ```no_run
    /// use msgraph_mail::MailExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let draft = client.me().messages().create_forward("AAMkAD...").to(["dana@contoso.com"]).await?;
    /// # Ok(()) }
    /// ```
    pub fn create_forward(&self, id: impl Into<String>) -> CreateForward {
        CreateForward {
            options: Default::default(),
            client: self.client.clone(),
            path: self.action_path(&id.into(), "createForward"),
            body: ResponseBody::default(),
        }
    }
}

/// The parameters of reply, replyAll, forward and their create* forms.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
struct ResponseBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    comment: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    to_recipients: Option<Vec<Recipient>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<NewMessage>,
}

impl ResponseBody {
    fn validate(&self) -> Result<()> {
        validate::recipients(self.to_recipients.as_deref(), "toRecipients")?;
        match &self.message {
            Some(m) => m.validate(false),
            None => Ok(()),
        }
    }

    fn has_recipients(&self) -> bool {
        self.to_recipients.as_ref().is_some_and(|t| !t.is_empty())
            || self.message.as_ref().is_some_and(NewMessage::has_recipients)
    }

    fn request(&self, path: GraphPath) -> Result<Request> {
        self.validate()?;
        Request::post(path).json(self)
    }
}

/// Replies to a message (reply or reply-all); see [`Messages::reply`].
#[must_use = "builders do nothing until sent"]
#[derive(Debug, Clone)]
pub struct Reply {
    client: GraphClient,
    options: RequestOptions,
    path: GraphPath,
    body: ResponseBody,
}

impl Reply {
    fn new(client: GraphClient, path: GraphPath) -> Self {
        Reply { options: Default::default(), client, path, body: ResponseBody::default() }
    }

    /// Text put above the quoted message.
    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.body.comment = Some(comment.into());
        self
    }

    /// Properties of the reply to change (recipients, body, attachments, ...).
    pub fn message(mut self, message: NewMessage) -> Self {
        self.body.message = Some(message);
        self
    }

    fn request(self) -> Result<Request> {
        self.body.request(self.path)
    }

    fn into_action(self) -> Action<()> {
        let (client, options) = (self.client.clone(), self.options.clone());
        Action::empty(client, self.request()).with_options(options)
    }
}

msgraph_core::operation!(Reply => ());

/// Forwards a message; see [`Messages::forward`].
#[must_use = "builders do nothing until sent"]
#[derive(Debug, Clone)]
pub struct Forward {
    client: GraphClient,
    options: RequestOptions,
    path: GraphPath,
    body: ResponseBody,
}

impl Forward {
    /// Adds recipients.
    pub fn to<I>(mut self, to: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<Recipient>,
    {
        self.body.to_recipients.get_or_insert_with(Vec::new).extend(to.into_iter().map(Into::into));
        self
    }

    /// Text put above the forwarded message.
    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.body.comment = Some(comment.into());
        self
    }

    /// Properties of the forward to change (body, cc, attachments, ...).
    pub fn message(mut self, message: NewMessage) -> Self {
        self.body.message = Some(message);
        self
    }

    fn request(self) -> Result<Request> {
        if !self.body.has_recipients() {
            return Err(Error::invalid_input("forward needs at least one recipient"));
        }
        self.body.request(self.path)
    }

    fn into_action(self) -> Action<()> {
        let (client, options) = (self.client.clone(), self.options.clone());
        Action::empty(client, self.request()).with_options(options)
    }
}

msgraph_core::operation!(Forward => ());

/// Creates a reply or reply-all draft; see [`Messages::create_reply`].
#[must_use = "builders do nothing until sent"]
#[derive(Debug, Clone)]
pub struct CreateReply {
    client: GraphClient,
    options: RequestOptions,
    path: GraphPath,
    body: ResponseBody,
}

impl CreateReply {
    fn new(client: GraphClient, path: GraphPath) -> Self {
        CreateReply { options: Default::default(), client, path, body: ResponseBody::default() }
    }

    /// Text put above the quoted message.
    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.body.comment = Some(comment.into());
        self
    }

    /// Properties of the draft to set (recipients, body, ...).
    pub fn message(mut self, message: NewMessage) -> Self {
        self.body.message = Some(message);
        self
    }

    fn request(self) -> Result<Request> {
        self.body.request(self.path)
    }

    fn into_action(self) -> Action<Message> {
        let (client, options) = (self.client.clone(), self.options.clone());
        Action::json(client, self.request()).with_options(options)
    }
}

msgraph_core::operation!(CreateReply => Message);

/// Creates a forward draft; see [`Messages::create_forward`].
#[must_use = "builders do nothing until sent"]
#[derive(Debug, Clone)]
pub struct CreateForward {
    client: GraphClient,
    options: RequestOptions,
    path: GraphPath,
    body: ResponseBody,
}

impl CreateForward {
    /// Adds recipients.
    pub fn to<I>(mut self, to: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<Recipient>,
    {
        self.body.to_recipients.get_or_insert_with(Vec::new).extend(to.into_iter().map(Into::into));
        self
    }

    /// Text put above the forwarded message.
    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.body.comment = Some(comment.into());
        self
    }

    /// Properties of the draft to set.
    pub fn message(mut self, message: NewMessage) -> Self {
        self.body.message = Some(message);
        self
    }

    fn request(self) -> Result<Request> {
        self.body.request(self.path)
    }

    fn into_action(self) -> Action<Message> {
        let (client, options) = (self.client.clone(), self.options.clone());
        Action::json(client, self.request()).with_options(options)
    }
}

msgraph_core::operation!(CreateForward => Message);
