use msgraph_core::models::{Additional, DateTimeTimeZone};
use serde::{Deserialize, Serialize};

use super::TimeOfDay;

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

/// Working days and hours, in a time zone
/// ([workingHours](https://learn.microsoft.com/graph/api/resources/workinghours)).
///
/// ```
/// use msgraph_mail::{DayOfWeek, TimeOfDay, WorkingHours};
/// let hours = WorkingHours::new(
///     [DayOfWeek::Monday, DayOfWeek::Tuesday, DayOfWeek::Wednesday],
///     TimeOfDay::from_hms(8, 0, 0).unwrap(),
///     TimeOfDay::from_hms(16, 30, 0).unwrap(),
///     "Pacific Standard Time",
/// );
/// assert_eq!(serde_json::to_value(&hours).unwrap()["startTime"], "08:00:00.0000000");
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct WorkingHours {
    /// The working days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days_of_week: Option<Vec<DayOfWeek>>,
    /// When work starts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<TimeOfDay>,
    /// When work ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<TimeOfDay>,
    /// The time zone of the hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<TimeZoneBase>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

impl WorkingHours {
    /// Working hours on `days` from `start` to `end` in the named time zone.
    pub fn new(
        days: impl IntoIterator<Item = DayOfWeek>,
        start: TimeOfDay,
        end: TimeOfDay,
        time_zone: impl Into<String>,
    ) -> Self {
        WorkingHours {
            days_of_week: Some(days.into_iter().collect()),
            start_time: Some(start),
            end_time: Some(end),
            time_zone: Some(TimeZoneBase::named(time_zone)),
            additional: Additional::new(),
        }
    }
}

/// A time zone by name, or a custom time zone with its own transitions
/// ([timeZoneBase](https://learn.microsoft.com/graph/api/resources/timezonebase),
/// [customTimeZone](https://learn.microsoft.com/graph/api/resources/customtimezone)).
///
/// A custom zone carries `@odata.type: #microsoft.graph.customTimeZone`
/// (kept in [`additional`](Self::additional)) and the offsets below.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TimeZoneBase {
    /// The zone's name, e.g. `Pacific Standard Time`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Custom zones: offset from UTC in minutes (east positive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bias: Option<i32>,
    /// Custom zones: when standard time begins.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standard_offset: Option<TimeZoneOffset>,
    /// Custom zones: when daylight saving time begins.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub daylight_offset: Option<TimeZoneOffset>,
    /// Properties not named above (`@odata.type`).
    #[serde(flatten)]
    pub additional: Additional,
}

impl TimeZoneBase {
    /// A zone by name (Windows or IANA).
    pub fn named(name: impl Into<String>) -> Self {
        TimeZoneBase { name: Some(name.into()), ..Default::default() }
    }

    /// True for a `#microsoft.graph.customTimeZone`.
    pub fn is_custom(&self) -> bool {
        self.additional
            .get("@odata.type")
            .and_then(serde_json::Value::as_str)
            .is_some_and(|t| super::odata_type::is_type(t, "microsoft.graph.customTimeZone"))
    }
}

/// A transition of a custom time zone
/// ([standardTimeZoneOffset](https://learn.microsoft.com/graph/api/resources/standardtimezoneoffset),
/// [daylightTimeZoneOffset](https://learn.microsoft.com/graph/api/resources/daylighttimezoneoffset)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TimeZoneOffset {
    /// Time of day of the transition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<TimeOfDay>,
    /// Which occurrence of [`day_of_week`](Self::day_of_week) in the month (1-5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day_occurrence: Option<i32>,
    /// Day of the week of the transition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day_of_week: Option<DayOfWeek>,
    /// Month of the transition (1-12).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub month: Option<i32>,
    /// Year the transition first applies (0: every year).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// Daylight offsets only: minutes added to `bias` during daylight time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub daylight_bias: Option<i32>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
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
