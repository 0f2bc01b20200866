use msgraph_core::{GraphClient, GraphPath, Request, Result};
use serde::Serialize;

use super::Messages;
use crate::NewMessage;
use msgraph_core::{Action, RequestOptions};

impl Messages {
    /// Sends a draft; Graph answers 202 and saves the message in Sent Items.
    ///
    /// `POST /me/messages/{id}/send` · [message: send](https://learn.microsoft.com/graph/api/message-send) ·
    /// permissions: delegated `Mail.Send`, application `Mail.Send`.
    ///
    /// ```no_run
    /// use msgraph_mail::MailExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// client.me().messages().send_draft("AAMkAD...").await?;
    /// # Ok(()) }
    /// ```
    pub fn send_draft(&self, id: impl Into<String>) -> Action<()> {
        let request = Ok(Request::post(self.action_path(&id.into(), "send")));
        Action::empty(self.client.clone(), request)
    }

    /// Sends a new message in one call; Graph answers 202. The message is
    /// saved in Sent Items unless [`SendMail::save_to_sent_items`] says otherwise.
    ///
    /// `POST /me/sendMail` · [user: sendMail](https://learn.microsoft.com/graph/api/user-sendmail) ·
    /// permissions: delegated `Mail.Send`, application `Mail.Send`.
    ///
    /// A message with no recipient, or an address without `@`, is an
    /// [`Error::InvalidInput`](msgraph_core::Error::InvalidInput) and nothing is sent.
    ///
    /// ```no_run
    /// use msgraph_mail::{MailExt, NewMessage};
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// client.me().messages()
    ///     .send_mail(NewMessage::new().to(["john@example.com"]).subject("Lunch?").text_body("12:30?"))
    ///     .save_to_sent_items(false)
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn send_mail(&self, message: NewMessage) -> SendMail {
        SendMail {
            options: Default::default(),
            client: self.client.clone(),
            path: self.root.clone().push("sendMail"),
            message,
            save_to_sent_items: None,
        }
    }
}

/// Sends a new message in one call; see [`Messages::send_mail`].
#[must_use = "builders do nothing until sent"]
#[derive(Debug, Clone)]
pub struct SendMail {
    client: GraphClient,
    options: RequestOptions,
    path: GraphPath,
    message: NewMessage,
    save_to_sent_items: Option<bool>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SendMailBody<'a> {
    message: &'a NewMessage,
    #[serde(skip_serializing_if = "Option::is_none")]
    save_to_sent_items: Option<bool>,
}

impl SendMail {
    /// Whether Graph keeps a copy in Sent Items (Graph's default: yes).
    pub fn save_to_sent_items(mut self, save: bool) -> Self {
        self.save_to_sent_items = Some(save);
        self
    }

    fn request(self) -> Result<Request> {
        self.message.validate(true)?;
        Request::post(self.path)
            .json(&SendMailBody { message: &self.message, save_to_sent_items: self.save_to_sent_items })
    }

    fn into_action(self) -> Action<()> {
        let (client, options) = (self.client.clone(), self.options.clone());
        Action::empty(client, self.request()).with_options(options)
    }
}

msgraph_core::operation!(SendMail => ());
