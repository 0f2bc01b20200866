//! [`MailExt`]: the mail operations of a user, on core's [`UserScope`].

use msgraph_core::UserScope;

use crate::{MailFolders, MailboxSettingsHandler, MasterCategories, Messages, NewMessage, SendMail, Triage};

/// Mail operations of a mailbox: `client.me()` (the signed-in user) or
/// `client.user(id_or_upn)` (app-only credentials need this form).
///
/// ```no_run
/// use msgraph_mail::MessageListExt as _;
/// use futures::TryStreamExt;
/// use msgraph_mail::{MailExt, NewMessage, WellKnownFolder};
///
/// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
/// // read_emails(folder="inbox", filter="isRead eq false", limit=10)
/// let unread = client.me().messages().list()
///     .folder(WellKnownFolder::Inbox)
///     .filter("isRead eq false")
///     .top(10)
///     .send().await?;
/// for m in &unread.value {
///     println!("{:?} from {:?}", m.subject, m.from_address());
/// }
///
/// client.me().send_mail(NewMessage::new()
///     .to(["john@example.com"]).subject("Meeting Tomorrow").text_body("Hi John")).await?;
///
/// let mut folders = client.user("adele@contoso.com").mail_folders().list().stream();
/// while let Some(f) = folders.try_next().await? {
///     println!("{:?}", f.display_name);
/// }
/// # Ok(()) }
/// ```
pub trait MailExt {
    /// Messages of the mailbox: list, search, get, drafts, send, reply,
    /// update, move, attachments, delta.
    fn messages(&self) -> Messages;

    /// Mail folders: list (with children), get, create, rename, delete.
    fn mail_folders(&self) -> MailFolders;

    /// The master list of categories.
    fn master_categories(&self) -> MasterCategories;

    /// Mailbox settings: time zone, automatic replies, working hours, language.
    fn mailbox_settings(&self) -> MailboxSettingsHandler;

    /// Triage helpers: thread context and reply state.
    fn triage(&self) -> Triage;

    /// Sends a new message in one call; shorthand for [`Messages::send_mail`].
    ///
    /// `POST /me/sendMail` · [user: sendMail](https://learn.microsoft.com/graph/api/user-sendmail) ·
    /// permissions: delegated `Mail.Send`, application `Mail.Send`.
    ///
    /// ```no_run
    /// use msgraph_mail::{MailExt, NewMessage};
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// client.user("adele@contoso.com")
    ///     .send_mail(NewMessage::new().to(["john@example.com"]).subject("Lunch?").text_body("12:30?"))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    fn send_mail(&self, message: NewMessage) -> SendMail;
}

impl MailExt for UserScope {
    fn messages(&self) -> Messages {
        Messages::new(self.client().clone(), self.path().clone())
    }

    fn mail_folders(&self) -> MailFolders {
        MailFolders::new(self.client().clone(), self.path().clone())
    }

    fn master_categories(&self) -> MasterCategories {
        MasterCategories::new(self.client().clone(), self.path().clone())
    }

    fn mailbox_settings(&self) -> MailboxSettingsHandler {
        MailboxSettingsHandler::new(self.client().clone(), self.path().clone())
    }

    fn triage(&self) -> Triage {
        Triage::new(self.client().clone(), self.path().clone())
    }

    fn send_mail(&self, message: NewMessage) -> SendMail {
        self.messages().send_mail(message)
    }
}
