use msgraph_core::models::{Additional, DateTimeTimeZone, WorkingHours};
use serde::{Deserialize, Serialize};

msgraph_core::string_enum! {
    /// Whether automatic replies are on
    /// ([automaticRepliesStatus](https://learn.microsoft.com/graph/api/resources/automaticrepliessetting)).
    pub enum AutomaticRepliesStatus {
        /// `disabled`
        Disabled => "disabled",
        /// `alwaysEnabled`
        AlwaysEnabled => "alwaysEnabled",
        /// `scheduled`: on between the scheduled start and end.
        Scheduled => "scheduled",
    }
}

msgraph_core::string_enum! {
    /// Who outside the organization gets the external automatic reply
    /// ([externalAudienceScope](https://learn.microsoft.com/graph/api/resources/automaticrepliessetting)).
    pub enum ExternalAudienceScope {
        /// `none`
        None => "none",
        /// `contactsOnly`
        ContactsOnly => "contactsOnly",
        /// `all`
        All => "all",
    }
}

pub use msgraph_core::models::DayOfWeek;

msgraph_core::string_enum! {
    /// Who receives meeting messages when the user has a calendar delegate
    /// ([delegateMeetingMessageDeliveryOptions](https://learn.microsoft.com/graph/api/resources/mailboxsettings)).
    pub enum DelegateMeetingMessageDeliveryOptions {
        /// `sendToDelegateAndInformationToPrincipal`
        SendToDelegateAndInformationToPrincipal => "sendToDelegateAndInformationToPrincipal",
        /// `sendToDelegateAndPrincipal`
        SendToDelegateAndPrincipal => "sendToDelegateAndPrincipal",
        /// `sendToDelegateOnly`
        SendToDelegateOnly => "sendToDelegateOnly",
    }
}

msgraph_core::string_enum! {
    /// What the mailbox is for
    /// ([userPurpose](https://learn.microsoft.com/graph/api/resources/mailboxsettings)).
    pub enum UserPurpose {
        /// `user`: a user's own mailbox.
        User => "user",
        /// `linked`: linked to an account in another forest.
        Linked => "linked",
        /// `shared`: a shared mailbox.
        Shared => "shared",
        /// `room`: a meeting room.
        Room => "room",
        /// `equipment`: a resource such as a projector.
        Equipment => "equipment",
        /// `others`
        Others => "others",
    }
}

/// Settings of a user's primary mailbox
/// ([mailboxSettings](https://learn.microsoft.com/graph/api/resources/mailboxsettings)).
///
/// To change settings, send a [`MailboxSettingsPatch`](crate::MailboxSettingsPatch).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MailboxSettings {
    /// Folder id of the user's archive folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archive_folder: Option<String>,
    /// Automatic replies (out of office).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub automatic_replies_setting: Option<AutomaticRepliesSetting>,
    /// Date format, e.g. `MM/dd/yyyy`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_format: Option<String>,
    /// Who receives meeting messages when the user has a delegate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delegate_meeting_message_delivery_options: Option<DelegateMeetingMessageDeliveryOptions>,
    /// Language and country/region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<LocaleInfo>,
    /// Time format, e.g. `hh:mm tt`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_format: Option<String>,
    /// Default time zone (Windows or IANA name, as the admin configured).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    /// Working days and hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub working_hours: Option<WorkingHours>,
    /// What the mailbox is for (user, shared, room, ...). Read-only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_purpose: Option<UserPurpose>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

/// Automatic replies (out of office)
/// ([automaticRepliesSetting](https://learn.microsoft.com/graph/api/resources/automaticrepliessetting)).
///
/// Build one to send with the constructors; only what is set is serialized.
///
/// ```
/// use msgraph_core::models::DateTimeTimeZone;
/// use msgraph_mail::{AutomaticRepliesSetting, ExternalAudienceScope};
/// let start = DateTimeTimeZone::from_naive("2026-07-01T00:00:00".parse().unwrap(), "UTC");
/// let end = DateTimeTimeZone::from_naive("2026-07-15T00:00:00".parse().unwrap(), "UTC");
/// let ooo = AutomaticRepliesSetting::scheduled(start, end)
///     .internal_message("On leave until the 15th.")
///     .external_message("I am out of the office.")
///     .external_audience(ExternalAudienceScope::ContactsOnly);
/// let json = serde_json::to_value(&ooo).unwrap();
/// assert_eq!(json["status"], "scheduled");
/// assert_eq!(json["externalAudience"], "contactsOnly");
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AutomaticRepliesSetting {
    /// Who outside the organization gets the external reply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_audience: Option<ExternalAudienceScope>,
    /// The reply sent outside the organization.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_reply_message: Option<String>,
    /// The reply sent inside the organization.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internal_reply_message: Option<String>,
    /// When scheduled replies end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduled_end_date_time: Option<DateTimeTimeZone>,
    /// When scheduled replies begin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduled_start_date_time: Option<DateTimeTimeZone>,
    /// `disabled`, `alwaysEnabled` or `scheduled`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<AutomaticRepliesStatus>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

impl AutomaticRepliesSetting {
    /// Automatic replies off.
    pub fn disabled() -> Self {
        AutomaticRepliesSetting { status: Some(AutomaticRepliesStatus::Disabled), ..Default::default() }
    }

    /// Automatic replies on until turned off.
    pub fn always() -> Self {
        AutomaticRepliesSetting { status: Some(AutomaticRepliesStatus::AlwaysEnabled), ..Default::default() }
    }

    /// Automatic replies on between `start` and `end`.
    pub fn scheduled(start: DateTimeTimeZone, end: DateTimeTimeZone) -> Self {
        AutomaticRepliesSetting {
            status: Some(AutomaticRepliesStatus::Scheduled),
            scheduled_start_date_time: Some(start),
            scheduled_end_date_time: Some(end),
            ..Default::default()
        }
    }

    /// The reply for senders inside the organization (HTML or text).
    pub fn internal_message(mut self, message: impl Into<String>) -> Self {
        self.internal_reply_message = Some(message.into());
        self
    }

    /// The reply for senders outside the organization (HTML or text).
    pub fn external_message(mut self, message: impl Into<String>) -> Self {
        self.external_reply_message = Some(message.into());
        self
    }

    /// Who outside the organization gets the external reply.
    pub fn external_audience(mut self, audience: ExternalAudienceScope) -> Self {
        self.external_audience = Some(audience);
        self
    }
}

/// A locale ([localeInfo](https://learn.microsoft.com/graph/api/resources/localeinfo)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct LocaleInfo {
    /// Locale code, e.g. `en-US`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// Name of the locale in its own language, e.g. `English (United States)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

impl LocaleInfo {
    /// A locale by code, e.g. `en-US`.
    pub fn new(locale: impl Into<String>) -> Self {
        LocaleInfo { locale: Some(locale.into()), ..Default::default() }
    }
}
