//! Models shared by several services: bodies, times, addresses, identities, users.
//!
//! Conventions of every model in this SDK: camelCase on the wire; `Option` for
//! whatever Graph may omit; properties the model does not name are kept in
//! `additional`, so a round trip loses nothing; string enums have an
//! `Unknown(String)` arm; output models are `#[non_exhaustive]` (build one with
//! `Default` and set fields, or deserialize it).

mod date_time;
mod email;
mod identity;
mod item_body;
mod recurrence;
mod user;
pub mod utc;
mod working_hours;

pub use date_time::{DateTimeTimeZone, IntoUtc};
pub use email::{EmailAddress, Recipient};
pub use identity::{Identity, IdentitySet};
pub use item_body::{BodyType, ItemBody};
pub use recurrence::{
    PatternedRecurrence, RecurrencePattern, RecurrencePatternType, RecurrenceRange, RecurrenceRangeType, WeekIndex,
};
pub use user::User;
pub use working_hours::{DaylightTimeZoneOffset, StandardTimeZoneOffset, TimeOfDay, TimeZoneBase, WorkingHours};

crate::string_enum! {
    /// How important a message or event is.
    pub enum Importance {
        /// `low`
        Low => "low",
        /// `normal`
        Normal => "normal",
        /// `high`
        High => "high",
    }
}

crate::string_enum! {
    /// A day of the week (`dayOfWeek`), used by working hours and recurrence patterns.
    pub enum DayOfWeek {
        /// `sunday`
        Sunday => "sunday",
        /// `monday`
        Monday => "monday",
        /// `tuesday`
        Tuesday => "tuesday",
        /// `wednesday`
        Wednesday => "wednesday",
        /// `thursday`
        Thursday => "thursday",
        /// `friday`
        Friday => "friday",
        /// `saturday`
        Saturday => "saturday",
    }
}

impl From<chrono::Weekday> for DayOfWeek {
    fn from(d: chrono::Weekday) -> Self {
        match d {
            chrono::Weekday::Mon => DayOfWeek::Monday,
            chrono::Weekday::Tue => DayOfWeek::Tuesday,
            chrono::Weekday::Wed => DayOfWeek::Wednesday,
            chrono::Weekday::Thu => DayOfWeek::Thursday,
            chrono::Weekday::Fri => DayOfWeek::Friday,
            chrono::Weekday::Sat => DayOfWeek::Saturday,
            chrono::Weekday::Sun => DayOfWeek::Sunday,
        }
    }
}

/// Unknown JSON properties of a model, kept so a round trip loses nothing.
pub type Additional = serde_json::Map<String, serde_json::Value>;
