use msgraph_core::{Error, Result};
use serde::Serialize;

use super::{AutomaticRepliesSetting, DelegateMeetingMessageDeliveryOptions, LocaleInfo, WorkingHours};

/// Changes to mailbox settings: the body of
/// [update mailbox settings](https://learn.microsoft.com/graph/api/user-update-mailboxsettings).
/// Only what was set is sent.
///
/// ```
/// use msgraph_mail::{AutomaticRepliesSetting, MailboxSettingsPatch};
/// let patch = MailboxSettingsPatch::new()
///     .time_zone("W. Europe Standard Time")
///     .automatic_replies(AutomaticRepliesSetting::always().internal_message("Back Monday."));
/// assert_eq!(
///     serde_json::to_value(&patch).unwrap(),
///     serde_json::json!({
///         "timeZone": "W. Europe Standard Time",
///         "automaticRepliesSetting": {"status": "alwaysEnabled", "internalReplyMessage": "Back Monday."}
///     }),
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MailboxSettingsPatch {
    #[serde(skip_serializing_if = "Option::is_none")]
    automatic_replies_setting: Option<AutomaticRepliesSetting>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_format: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    delegate_meeting_message_delivery_options: Option<DelegateMeetingMessageDeliveryOptions>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<LocaleInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    time_format: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    time_zone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    working_hours: Option<WorkingHours>,
}

impl MailboxSettingsPatch {
    /// An empty patch.
    pub fn new() -> Self {
        Self::default()
    }

    /// Automatic replies (out of office).
    pub fn automatic_replies(mut self, setting: AutomaticRepliesSetting) -> Self {
        self.automatic_replies_setting = Some(setting);
        self
    }

    /// Date format, e.g. `dd.MM.yyyy`.
    pub fn date_format(mut self, format: impl Into<String>) -> Self {
        self.date_format = Some(format.into());
        self
    }

    /// Who receives meeting messages when the user has a delegate.
    pub fn delegate_meeting_message_delivery(mut self, option: DelegateMeetingMessageDeliveryOptions) -> Self {
        self.delegate_meeting_message_delivery_options = Some(option);
        self
    }

    /// Language and country/region.
    pub fn language(mut self, locale: LocaleInfo) -> Self {
        self.language = Some(locale);
        self
    }

    /// Time format, e.g. `HH:mm`.
    pub fn time_format(mut self, format: impl Into<String>) -> Self {
        self.time_format = Some(format.into());
        self
    }

    /// Default time zone (Windows or IANA name).
    pub fn time_zone(mut self, tz: impl Into<String>) -> Self {
        self.time_zone = Some(tz.into());
        self
    }

    /// Working days and hours.
    pub fn working_hours(mut self, hours: WorkingHours) -> Self {
        self.working_hours = Some(hours);
        self
    }

    /// True when nothing was set.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    pub(crate) fn validate(&self) -> Result<()> {
        if self.is_empty() {
            return Err(Error::invalid_input("the mailbox settings patch changes nothing"));
        }
        if self.time_zone.as_deref().is_some_and(|tz| tz.trim().is_empty()) {
            return Err(Error::invalid_input("time zone is empty"));
        }
        if self.language.as_ref().is_some_and(|l| l.locale.as_deref().is_none_or(|c| c.trim().is_empty())) {
            return Err(Error::invalid_input("language has no locale"));
        }
        Ok(())
    }
}
