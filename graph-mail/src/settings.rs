//! Mailbox settings ([mailboxSettings](https://learn.microsoft.com/graph/api/resources/mailboxsettings)).

use msgraph_core::{GetBuilder, GraphClient, GraphPath, Request, Response};
use serde::Deserialize;

use crate::{AutomaticRepliesSetting, LocaleInfo, MailboxSettings, MailboxSettingsPatch, WorkingHours};
use msgraph_core::Action;

/// The mailbox settings of one user. Get it from
/// [`MailExt::mailbox_settings`](crate::MailExt::mailbox_settings).
///
/// Reading needs `MailboxSettings.Read`; changing needs `MailboxSettings.ReadWrite`.
#[derive(Debug, Clone)]
pub struct MailboxSettingsHandler {
    client: GraphClient,
    root: GraphPath,
}

/// `{"value": ...}`: how Graph returns a single primitive property.
#[derive(Deserialize)]
struct Value<T> {
    value: T,
}

impl MailboxSettingsHandler {
    pub(crate) fn new(client: GraphClient, root: GraphPath) -> Self {
        MailboxSettingsHandler { client, root }
    }

    fn path(&self) -> GraphPath {
        self.root.clone().push("mailboxSettings")
    }

    /// All settings.
    ///
    /// `GET /me/mailboxSettings` · [Get user mailbox settings](https://learn.microsoft.com/graph/api/user-get-mailboxsettings) ·
    /// permissions: delegated `MailboxSettings.Read`, application `MailboxSettings.Read`.
    ///
    /// ```no_run
    /// use msgraph_mail::MailExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let s = client.me().mailbox_settings().get().await?;
    /// println!("time zone {:?}, language {:?}", s.time_zone, s.language.and_then(|l| l.locale));
    /// # Ok(()) }
    /// ```
    pub fn get(&self) -> GetBuilder<MailboxSettings> {
        GetBuilder::new(self.client.clone(), self.path())
    }

    /// Changes the settings the patch sets; returns what Graph echoes back.
    ///
    /// `PATCH /me/mailboxSettings` · [Update user mailbox settings](https://learn.microsoft.com/graph/api/user-update-mailboxsettings) ·
    /// permissions: delegated `MailboxSettings.ReadWrite`, application `MailboxSettings.ReadWrite`.
    ///
    /// An empty patch is an [`Error::InvalidInput`](msgraph_core::Error::InvalidInput).
    ///
    /// ```no_run
    /// use msgraph_mail::{MailExt, MailboxSettingsPatch};
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// client.me().mailbox_settings()
    ///     .update(MailboxSettingsPatch::new().date_format("yyyy-MM-dd").time_format("HH:mm"))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn update(&self, patch: MailboxSettingsPatch) -> Action<MailboxSettings> {
        let request = patch.validate().and_then(|()| Request::patch(self.path()).json(&patch));
        Action::json(self.client.clone(), request)
    }

    /// The default time zone.
    ///
    /// `GET /me/mailboxSettings/timeZone` · [Get user mailbox settings](https://learn.microsoft.com/graph/api/user-get-mailboxsettings) ·
    /// permissions: delegated `MailboxSettings.Read`, application `MailboxSettings.Read`.
    ///
    /// ```no_run
    /// use msgraph_mail::MailExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let tz = client.me().mailbox_settings().time_zone().await?;
    /// # Ok(()) }
    /// ```
    pub fn time_zone(&self) -> Action<String> {
        let request = Request::get(self.path().push("timeZone"));
        Action::with_decoder(self.client.clone(), Ok(request), |r: Response| r.json::<Value<String>>().map(|v| v.value))
    }

    /// Sets the default time zone (Windows or IANA name).
    ///
    /// `PATCH /me/mailboxSettings` · [Update user mailbox settings](https://learn.microsoft.com/graph/api/user-update-mailboxsettings) ·
    /// permissions: delegated `MailboxSettings.ReadWrite`, application `MailboxSettings.ReadWrite`.
    ///
    /// ```no_run
    /// use msgraph_mail::MailExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// client.me().mailbox_settings().set_time_zone("Europe/Berlin").await?;
    /// # Ok(()) }
    /// ```
    pub fn set_time_zone(&self, tz: impl Into<String>) -> Action<MailboxSettings> {
        self.update(MailboxSettingsPatch::new().time_zone(tz))
    }

    /// Automatic replies.
    ///
    /// `GET /me/mailboxSettings/automaticRepliesSetting` · [Get user mailbox settings](https://learn.microsoft.com/graph/api/user-get-mailboxsettings) ·
    /// permissions: delegated `MailboxSettings.Read`, application `MailboxSettings.Read`.
    ///
    /// ```no_run
    /// use msgraph_mail::{AutomaticRepliesStatus, MailExt};
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let ooo = client.me().mailbox_settings().automatic_replies().await?;
    /// if ooo.status == Some(AutomaticRepliesStatus::Scheduled) {
    ///     println!("away until {:?}", ooo.scheduled_end_date_time);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn automatic_replies(&self) -> GetBuilder<AutomaticRepliesSetting> {
        GetBuilder::new(self.client.clone(), self.path().push("automaticRepliesSetting"))
    }

    /// Sets automatic replies: status, schedule, internal and external messages.
    ///
    /// `PATCH /me/mailboxSettings` · [Update user mailbox settings](https://learn.microsoft.com/graph/api/user-update-mailboxsettings) ·
    /// permissions: delegated `MailboxSettings.ReadWrite`, application `MailboxSettings.ReadWrite`.
    ///
    /// ```no_run
    /// use msgraph_mail::{AutomaticRepliesSetting, MailExt};
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// client.me().mailbox_settings()
    ///     .set_automatic_replies(AutomaticRepliesSetting::always().internal_message("Out today."))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn set_automatic_replies(&self, setting: AutomaticRepliesSetting) -> Action<MailboxSettings> {
        self.update(MailboxSettingsPatch::new().automatic_replies(setting))
    }

    /// Working hours.
    ///
    /// `GET /me/mailboxSettings/workingHours` · [Get user mailbox settings](https://learn.microsoft.com/graph/api/user-get-mailboxsettings) ·
    /// permissions: delegated `MailboxSettings.Read`, application `MailboxSettings.Read`.
    ///
    /// ```no_run
    /// use msgraph_mail::MailExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let hours = client.me().mailbox_settings().working_hours().await?;
    /// # Ok(()) }
    /// ```
    pub fn working_hours(&self) -> GetBuilder<WorkingHours> {
        GetBuilder::new(self.client.clone(), self.path().push("workingHours"))
    }

    /// Sets working days, hours and their time zone.
    ///
    /// `PATCH /me/mailboxSettings` · [Update user mailbox settings](https://learn.microsoft.com/graph/api/user-update-mailboxsettings) ·
    /// permissions: delegated `MailboxSettings.ReadWrite`, application `MailboxSettings.ReadWrite`.
    ///
    /// ```no_run
    /// use msgraph_mail::{DayOfWeek, MailExt, TimeOfDay, WorkingHours};
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let hours = WorkingHours::new([DayOfWeek::Monday, DayOfWeek::Friday],
    ///     TimeOfDay::from_hms(9, 0, 0).unwrap(), TimeOfDay::from_hms(17, 0, 0).unwrap(), "UTC");
    /// client.me().mailbox_settings().set_working_hours(hours).await?;
    /// # Ok(()) }
    /// ```
    pub fn set_working_hours(&self, hours: WorkingHours) -> Action<MailboxSettings> {
        self.update(MailboxSettingsPatch::new().working_hours(hours))
    }

    /// Language and country/region.
    ///
    /// `GET /me/mailboxSettings/language` · [Get user mailbox settings](https://learn.microsoft.com/graph/api/user-get-mailboxsettings) ·
    /// permissions: delegated `MailboxSettings.Read`, application `MailboxSettings.Read`.
    ///
    /// ```no_run
    /// use msgraph_mail::MailExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let lang = client.me().mailbox_settings().language().await?;
    /// # Ok(()) }
    /// ```
    pub fn language(&self) -> GetBuilder<LocaleInfo> {
        GetBuilder::new(self.client.clone(), self.path().push("language"))
    }

    /// Sets the language, e.g. `LocaleInfo::new("de-DE")`.
    ///
    /// `PATCH /me/mailboxSettings` · [Update user mailbox settings](https://learn.microsoft.com/graph/api/user-update-mailboxsettings) ·
    /// permissions: delegated `MailboxSettings.ReadWrite`, application `MailboxSettings.ReadWrite`.
    ///
    /// ```no_run
    /// use msgraph_mail::{LocaleInfo, MailExt};
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// client.me().mailbox_settings().set_language(LocaleInfo::new("de-DE")).await?;
    /// # Ok(()) }
    /// ```
    pub fn set_language(&self, locale: LocaleInfo) -> Action<MailboxSettings> {
        self.update(MailboxSettingsPatch::new().language(locale))
    }
}
