//! Models of the calendar API: what Graph returns ([`Event`], [`Calendar`],
//! [`ScheduleInformation`], ...) and what callers build ([`NewEvent`],
//! [`EventPatch`], [`PatternedRecurrence`], ...).
//!
//! Conventions as in every crate of the SDK: camelCase on the wire, `Option`
//! for whatever Graph may omit, unknown properties kept in `additional` (a
//! round trip loses nothing), string enums with an `Unknown(String)` arm.
//! Shared models (`DateTimeTimeZone`, `ItemBody`, `EmailAddress`,
//! `Recipient`, `Importance`) come from `msgraph_core::models`.

mod attendee;
mod calendar;
mod enums;
mod event;
mod event_fields;
mod event_patch;
mod location;
mod meeting_times;
mod new_event;
mod online_meeting;
mod schedule;
mod time_slot;

pub use attendee::{Attendee, ResponseStatus};
pub use calendar::Calendar;
pub use enums::{
    ActivityDomain, AttendeeType, CalendarColor, DayOfWeek, EventType, FreeBusyStatus, LocationType,
    LocationUniqueIdType, OnlineMeetingProviderType, PhoneType, ResponseType, Sensitivity,
};
pub use event::Event;
pub use event_patch::EventPatch;
pub use location::{Location, OutlookGeoCoordinates, PhysicalAddress};
pub use meeting_times::{
    AttendeeAvailability, LocationConstraint, LocationConstraintItem, MeetingTimeSuggestion,
    MeetingTimeSuggestionsResult, TimeConstraint,
};
/// Working hours and their time zones: one shape, shared with the mail
/// crate's mailbox settings (defined in [`msgraph_core::models`]).
pub use msgraph_core::models::{DaylightTimeZoneOffset, StandardTimeZoneOffset, TimeOfDay, TimeZoneBase, WorkingHours};
/// Recurrence: one shape, shared with To Do tasks (defined in [`msgraph_core::models`]).
pub use msgraph_core::models::{
    PatternedRecurrence, RecurrencePattern, RecurrencePatternType, RecurrenceRange, RecurrenceRangeType, WeekIndex,
};
pub use new_event::NewEvent;
pub use online_meeting::{OnlineMeetingInfo, Phone};
pub use schedule::{FreeBusyError, ScheduleInformation, ScheduleItem};
pub use time_slot::TimeSlot;
