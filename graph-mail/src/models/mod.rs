//! The mail resources Graph returns, and the payloads callers build.
//!
//! Conventions (the SDK's): camelCase on the wire, `Option` for what Graph
//! may omit, unknown properties kept in `additional` so a round trip loses
//! nothing, string enums with an `Unknown(String)` arm. Output models are
//! `#[non_exhaustive]`; payloads (`NewMessage`, `MessagePatch`, ...) are
//! builders that serialize only what was set.

mod attachment;
mod category;
mod extended_property;
mod flag;
mod header;
mod mail_folder;
mod mailbox_settings;
mod message;
mod message_de;
mod message_patch;
mod new_message;
pub(crate) mod odata_type;
mod settings_patch;
mod well_known_folder;

pub use attachment::{Attachment, FileAttachment, ItemAttachment, OutlookItem, ReferenceAttachment};
pub use category::{CategoryColor, OutlookCategory};
pub use extended_property::{Extension, MultiValueLegacyExtendedProperty, SingleValueLegacyExtendedProperty};
pub use flag::{FollowupFlag, FollowupFlagStatus};
pub use header::InternetMessageHeader;
pub use mail_folder::MailFolder;
pub use mailbox_settings::{
    AutomaticRepliesSetting, AutomaticRepliesStatus, DayOfWeek, DelegateMeetingMessageDeliveryOptions,
    ExternalAudienceScope, LocaleInfo, MailboxSettings, UserPurpose,
};
pub use message::{InferenceClassification, Message};
pub use message_patch::MessagePatch;
/// Working hours and their time zones: one shape, shared with the calendar
/// crate's `getSchedule` (defined in [`msgraph_core::models`]).
pub use msgraph_core::models::{DaylightTimeZoneOffset, StandardTimeZoneOffset, TimeOfDay, TimeZoneBase, WorkingHours};
pub use new_message::{NewAttachment, NewMessage};
pub use settings_patch::MailboxSettingsPatch;
pub use well_known_folder::{FolderRef, WellKnownFolder};
