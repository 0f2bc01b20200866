#![doc = include_str!("../README.md")]
//!
//! ## Map of the crate
//!
//! | Area | Handler | Graph |
//! | --- | --- | --- |
//! | events: list, get, create, update, delete, cancel, forward, instances | [`Events`] | [event](https://learn.microsoft.com/graph/api/resources/event) |
//! | calendars: list, get, default calendar, create, the events of one calendar | [`Calendars`] | [calendar](https://learn.microsoft.com/graph/api/resources/calendar) |
//! | calendar view: what overlaps a window, recurrences expanded | [`CalendarExt::calendar_view`], [`Calendars::calendar_view`], [`Events::calendar_view`] (see [`view`]) | [List calendarView](https://learn.microsoft.com/graph/api/user-list-calendarview) |
//! | responses: accept, decline, tentativelyAccept | [`Events::accept`], [`Events::decline`], [`Events::tentatively_accept`] ([`RespondToEvent`]) | [responseStatus](https://learn.microsoft.com/graph/api/resources/responsestatus) |
//! | scheduling: free/busy (getSchedule), meeting times (findMeetingTimes) | [`CalendarExt::get_schedule`] ([`GetSchedule`]), [`CalendarExt::find_meeting_times`] ([`FindMeetingTimes`]) | [scheduleInformation](https://learn.microsoft.com/graph/api/resources/scheduleinformation), [meetingTimeSuggestionsResult](https://learn.microsoft.com/graph/api/resources/meetingtimesuggestionsresult) |
//! | delta: what changed in a calendar view | [`CalendarExt::calendar_view_delta`], [`Events::calendar_view_delta`] | [event: delta](https://learn.microsoft.com/graph/api/event-delta) |
//!
//! Every handler comes from [`CalendarExt`], implemented for core's
//! [`UserScope`](msgraph_core::UserScope) (`client.me()`, `client.user(id)`).
//! Lists and calendar views return a core
//! [`ListBuilder`](msgraph_core::ListBuilder); gets return a
//! [`GetBuilder`](msgraph_core::GetBuilder); changes are a core
//! [`Action`](msgraph_core::Action) or a builder; delta is a core
//! [`DeltaSync`](msgraph_core::delta::DeltaSync). All run on `.send().await`
//! or `.await` (delta on `.run().await`) and share the per-request options of
//! [`WithOptions`](msgraph_core::WithOptions) (headers, time zone, immutable
//! ids, `client-request-id`, `prefer_minimal`). Each operation's docs give its
//! request, its Graph page and its least-privileged permissions.
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]
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
