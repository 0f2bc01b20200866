//! [`CalendarExt`]: the calendar operations of a user scope
//! (`client.me()` or `client.user(id)`).

use msgraph_core::delta::DeltaSync;
use msgraph_core::{IntoUtc, ListBuilder, UserScope};

use crate::schedule::{FindMeetingTimes, GetSchedule};
use crate::time::IntoDateTimeTimeZone;
use crate::{Calendars, Event, Events};

/// Calendar operations on `/me` or `/users/{id}`. Import it (or
/// `msgraph::prelude::*`) and call them on `client.me()` or `client.user(id)`.
///
/// ```no_run
/// use msgraph_core::WithOptions as _;
/// use chrono::{TimeDelta, Utc};
/// use futures::TryStreamExt;
/// use msgraph_calendar::CalendarExt;
/// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
/// let now = Utc::now();
/// let mut week = client.me().calendar_view(now, now + TimeDelta::days(7))
///     .timezone("America/New_York")
///     .stream();
/// while let Some(event) = week.try_next().await? {
///     println!("{:?} {:?}", event.start, event.subject);
/// }
/// # Ok(()) }
/// ```
pub trait CalendarExt {
    /// The events of the default calendar (`/me/events`, `/me/calendarView`, ...).
    /// For another calendar use [`Calendars::events`].
    ///
    /// ```no_run
    /// use msgraph_calendar::CalendarExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let event = client.user("adelev@contoso.com").events().get("AAMkAGI1AAAt9AHjAAA=").await?;
    /// # Ok(()) }
    /// ```
    fn events(&self) -> Events;

    /// The user's calendars.
    ///
    /// ```no_run
    /// use msgraph_calendar::CalendarExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let default = client.me().calendars().default_calendar().await?;
    /// # Ok(()) }
    /// ```
    fn calendars(&self) -> Calendars;

    /// What overlaps `[start, end)` in the default calendar, recurrences
    /// expanded.
    ///
    /// `GET /me/calendarView?startDateTime={start}&endDateTime={end}` ·
    /// [List calendarView](https://learn.microsoft.com/graph/api/user-list-calendarview) ·
    /// permissions: delegated `Calendars.ReadBasic`, application `Calendars.ReadBasic`.
    ///
    /// The instants go to Graph in UTC; ask for the answer's zone with
    /// `.timezone(..)`, which is sent on every page. The basic permission
    /// leaves out `body`, attachments and extensions (`Calendars.Read` gets
    /// those). See [`crate::view`].
    ///
    /// ```no_run
    /// use msgraph_core::WithOptions as _;
    /// use chrono::{FixedOffset, TimeZone};
    /// use msgraph_calendar::CalendarExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let est = FixedOffset::west_opt(5 * 3600).unwrap();
    /// let start = est.with_ymd_and_hms(2026, 3, 9, 0, 0, 0).unwrap();
    /// let end = est.with_ymd_and_hms(2026, 3, 14, 0, 0, 0).unwrap();
    /// let page = client.me().calendar_view(start, end)   // 05:00Z to 05:00Z
    ///     .timezone("America/New_York")
    ///     .order_by("start/dateTime")
    ///     .send().await?;
    /// # Ok(()) }
    /// ```
    fn calendar_view(&self, start: impl IntoUtc, end: impl IntoUtc) -> ListBuilder<Event>;

    /// The changes in a window of the default calendar since the last
    /// committed round (see [`Events::calendar_view_delta`]).
    ///
    /// `GET /me/calendarView/delta?startDateTime={start}&endDateTime={end}` ·
    /// [event: delta](https://learn.microsoft.com/graph/api/event-delta) ·
    /// permissions: delegated `Calendars.Read`, application `Calendars.Read`.
    ///
    /// ```no_run
    /// use chrono::{TimeDelta, Utc};
    /// use msgraph_calendar::CalendarExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let now = Utc::now();
    /// let sync = client.me().calendar_view_delta(now, now + TimeDelta::days(7));
    /// let round = sync.run().await?;          // first round: everything in the window
    /// println!("{} events", round.upserted().count());
    /// round.commit().await?;
    /// let next = sync.run().await?;           // later rounds: only what changed
    /// # Ok(()) }
    /// ```
    fn calendar_view_delta(&self, start: impl IntoUtc, end: impl IntoUtc) -> DeltaSync<Event>;

    /// Free/busy of several users, lists or rooms between `start` and `end`.
    ///
    /// `POST /me/calendar/getSchedule` · [calendar: getSchedule](https://learn.microsoft.com/graph/api/calendar-getschedule) ·
    /// permissions: delegated `Calendars.ReadBasic` (work or school accounts only), application `Calendars.ReadBasic`.
    ///
    /// ```no_run
    /// use chrono::NaiveDate;
    /// use msgraph_calendar::CalendarExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let day = NaiveDate::from_ymd_opt(2026, 3, 15).unwrap();
    /// let schedules = client.me()
    ///     .get_schedule(
    ///         ["adelev@contoso.com", "meganb@contoso.com"],
    ///         (day.and_hms_opt(9, 0, 0).unwrap(), "Pacific Standard Time"),
    ///         (day.and_hms_opt(18, 0, 0).unwrap(), "Pacific Standard Time"),
    ///     )
    ///     .availability_view_interval(60)
    ///     .send().await?;
    /// for s in schedules {
    ///     println!("{:?}: {:?}", s.schedule_id, s.availability());
    /// }
    /// # Ok(()) }
    /// ```
    fn get_schedule<I, S>(
        &self,
        schedules: I,
        start: impl IntoDateTimeTimeZone,
        end: impl IntoDateTimeTimeZone,
    ) -> GetSchedule
    where
        I: IntoIterator<Item = S>,
        S: Into<String>;

    /// Times (and rooms) when the attendees are free.
    ///
    /// `POST /me/findMeetingTimes` · [user: findMeetingTimes](https://learn.microsoft.com/graph/api/user-findmeetingtimes) ·
    /// permissions: delegated `Calendars.Read.Shared` (work or school accounts only), application: not supported.
    ///
    /// ```no_run
    /// use msgraph_core::WithOptions as _;
    /// use chrono::{NaiveDate, TimeDelta};
    /// use msgraph_calendar::CalendarExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let day = NaiveDate::from_ymd_opt(2026, 4, 16).unwrap();
    /// let result = client.me().find_meeting_times()
    ///     .attendees(["alexw@contoso.com"])
    ///     .duration(TimeDelta::hours(1))
    ///     .time_slot(
    ///         (day.and_hms_opt(9, 0, 0).unwrap(), "Pacific Standard Time"),
    ///         (day.and_hms_opt(17, 0, 0).unwrap(), "Pacific Standard Time"),
    ///     )
    ///     .timezone("Pacific Standard Time")
    ///     .send().await?;
    /// for s in result.meeting_time_suggestions.unwrap_or_default() {
    ///     println!("{:?} ({:?}%)", s.meeting_time_slot, s.confidence);
    /// }
    /// # Ok(()) }
    /// ```
    fn find_meeting_times(&self) -> FindMeetingTimes;
}

impl CalendarExt for UserScope {
    fn events(&self) -> Events {
        Events::new(self.client().clone(), self.path().clone())
    }

    fn calendars(&self) -> Calendars {
        Calendars::new(self.client().clone(), self.path().clone())
    }

    fn calendar_view(&self, start: impl IntoUtc, end: impl IntoUtc) -> ListBuilder<Event> {
        self.events().calendar_view(start, end)
    }

    fn calendar_view_delta(&self, start: impl IntoUtc, end: impl IntoUtc) -> DeltaSync<Event> {
        self.events().calendar_view_delta(start, end)
    }

    fn get_schedule<I, S>(
        &self,
        schedules: I,
        start: impl IntoDateTimeTimeZone,
        end: impl IntoDateTimeTimeZone,
    ) -> GetSchedule
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        GetSchedule::new(
            self.client().clone(),
            self.child("calendar").push("getSchedule"),
            schedules.into_iter().map(Into::into).collect(),
            start.into_date_time_time_zone(),
            end.into_date_time_time_zone(),
        )
    }

    fn find_meeting_times(&self) -> FindMeetingTimes {
        FindMeetingTimes::new(self.client().clone(), self.child("findMeetingTimes"))
    }
}
