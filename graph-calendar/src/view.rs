//! Calendar views: the events, occurrences and exceptions that overlap a time
//! window, recurrences expanded by Graph
//! ([List calendarView](https://learn.microsoft.com/graph/api/user-list-calendarview)).
//!
//! A view is a [`ListBuilder<Event>`] with `startDateTime` and `endDateTime`
//! set, written in UTC (`2026-03-10T04:00:00Z`), so the window is the same
//! instants whatever zone the caller's chrono values were in. The times *in*
//! the answer are in UTC unless the builder asks for a zone with
//! `.timezone("America/New_York")` (`Prefer: outlook.timezone`), which is sent
//! on every page. Get one from [`CalendarExt::calendar_view`](crate::CalendarExt::calendar_view)
//! (default calendar), [`Calendars::calendar_view`](crate::Calendars::calendar_view)
//! (a calendar by id) or [`Events::calendar_view`](crate::Events::calendar_view).

use chrono::{DateTime, TimeZone};
use msgraph_core::{GraphClient, GraphPath, ListBuilder};

use crate::Event;
use crate::time::utc_param;

/// A list of `path` limited to `[start, end)` with `startDateTime` /
/// `endDateTime` (calendar views and event instances).
pub(crate) fn in_window<A: TimeZone, B: TimeZone>(
    client: GraphClient,
    path: GraphPath,
    start: &DateTime<A>,
    end: &DateTime<B>,
) -> ListBuilder<Event> {
    let list =
        ListBuilder::new(client, path).param("startDateTime", utc_param(start)).param("endDateTime", utc_param(end));
    if end.with_timezone(&chrono::Utc) <= start.with_timezone(&chrono::Utc) {
        return list.invalid_input(format!(
            "the window's end ({}) is not after its start ({})",
            utc_param(end),
            utc_param(start)
        ));
    }
    list
}
