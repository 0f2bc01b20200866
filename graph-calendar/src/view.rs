//! Calendar views: the events, occurrences and exceptions that overlap a time
//! window, recurrences expanded by Graph
//! ([List calendarView](https://learn.microsoft.com/graph/api/user-list-calendarview)).
//!
//! A view is a [`ListBuilder<Event>`] with `startDateTime` and `endDateTime`
//! set, written in UTC (`2026-03-10T04:00:00Z`), so the window is the same
//! instants whatever zone the caller's values were in. The ends are anything
//! [`IntoUtc`]: chrono `DateTime`s, or (feature `tz`, on by default)
//! wall-clock times with a zone name, as a user says them:
//! `(NaiveDateTime, "America/New_York")`, `(NaiveDateTime, "Pacific Standard Time")`.
//! An unknown zone name is an `InvalidInput` naming it, before anything is sent. The times *in*
//! the answer are in UTC unless the builder asks for a zone with
//! `.timezone("America/New_York")` (`Prefer: outlook.timezone`), which is sent
//! on every page. Get one from [`CalendarExt::calendar_view`](crate::CalendarExt::calendar_view)
//! (default calendar), [`Calendars::calendar_view`](crate::Calendars::calendar_view)
//! (a calendar by id) or [`Events::calendar_view`](crate::Events::calendar_view).

use chrono::{DateTime, Utc};
use msgraph_core::{GraphClient, GraphPath, IntoUtc, ListBuilder};

use crate::Event;
use crate::time::utc_param;

/// The window's ends as instants, or why the window cannot be used (an
/// unknown zone, an end not after the start).
pub(crate) fn window(start: impl IntoUtc, end: impl IntoUtc) -> Result<(DateTime<Utc>, DateTime<Utc>), String> {
    let start = start.into_utc().map_err(|e| format!("the window's start: {e}"))?;
    let end = end.into_utc().map_err(|e| format!("the window's end: {e}"))?;
    if end <= start {
        return Err(format!("the window's end ({}) is not after its start ({})", utc_param(&end), utc_param(&start)));
    }
    Ok((start, end))
}

/// A list of `path` limited to `[start, end)` with `startDateTime` /
/// `endDateTime` (calendar views and event instances).
pub(crate) fn in_window(
    client: GraphClient,
    path: GraphPath,
    start: impl IntoUtc,
    end: impl IntoUtc,
) -> ListBuilder<Event> {
    let list = ListBuilder::new(client, path);
    match window(start, end) {
        Ok((start, end)) => list.param("startDateTime", utc_param(&start)).param("endDateTime", utc_param(&end)),
        Err(message) => list.invalid_input(message),
    }
}
