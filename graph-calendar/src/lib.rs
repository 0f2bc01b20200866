#![doc = include_str!("../README.md")]
#![warn(missing_docs)]
#![forbid(unsafe_code)]

mod calendars;
mod delta;
mod events;
mod ext;
pub mod models;
mod responses;
mod schedule;
pub mod time;
pub mod view;

pub use calendars::{Calendars, CreateCalendar};
pub use events::{CancelEvent, Events, ForwardEvent};
pub use ext::CalendarExt;
pub use models::*;
pub use responses::RespondToEvent;
pub use schedule::{FindMeetingTimes, GetSchedule};
pub use time::{DateTimeTimeZoneExt, IntoDateTimeTimeZone};
