//! Events of a calendar: list, get, create, update, delete, cancel, forward,
//! respond, and the instances of a series
//! ([event](https://learn.microsoft.com/graph/api/resources/event)).

mod cancel;
mod forward;

use msgraph_core::delta::DeltaSync;
use msgraph_core::models::Recipient;
use msgraph_core::{Action, GetBuilder, GraphClient, GraphPath, IntoUtc, ListBuilder, Request};

pub use cancel::CancelEvent;
pub use forward::ForwardEvent;

use crate::responses::{RespondToEvent, Response};
use crate::{Event, EventPatch, NewEvent};

/// The events of the default calendar (`client.me().events()`) or of one
/// calendar (`client.me().calendars().events(id)`), for `/me` or a user.
///
/// Each method gives its request in the `/me/events/...` form; on a handler
/// from [`Calendars::events`](crate::Calendars::events) the same request goes
/// to `/me/calendars/{id}/events/...` (the calendar view methods say where
/// theirs go), and on `client.user(id)` to `/users/{id}/...` (app-only
/// tokens need that form).
///
/// Each method names its least-privileged permissions. Most reads need only
/// `Calendars.ReadBasic`, which leaves out `body`, attachments and
/// extensions (`Calendars.Read` gets those); changes need
/// `Calendars.ReadWrite`.
///
/// ```no_run
/// use msgraph_core::WithOptions as _;
/// use msgraph_calendar::CalendarExt;
/// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
/// let page = client.me().events().list().top(10).timezone("Europe/Paris").send().await?;
/// for e in page.value {
///     println!("{:?} at {:?}", e.subject, e.start);
/// }
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct Events {
    client: GraphClient,
    /// `/me`, `/users/{id}`, or `.../calendars/{id}`.
    container: GraphPath,
}

impl Events {
    pub(crate) fn new(client: GraphClient, container: GraphPath) -> Self {
        Events { client, container }
    }

    fn collection(&self) -> GraphPath {
        self.container.clone().push("events")
    }

    fn item(&self, id: impl Into<String>) -> GraphPath {
        self.collection().id(id)
    }

    /// Lists single events and series masters (not expanded; use
    /// [`calendar_view`](Self::calendar_view) for occurrences).
    ///
    /// `GET /me/events` · [List events](https://learn.microsoft.com/graph/api/user-list-events) ·
    /// permissions: delegated `Calendars.ReadBasic`, application `Calendars.ReadBasic`.
    ///
    /// ```no_run
    /// use msgraph_core::WithOptions as _;
    /// use futures::TryStreamExt;
    /// use msgraph_calendar::CalendarExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let mut all = client.me().events().list()
    ///     .select(["subject", "start", "end"])
    ///     .timezone("Pacific Standard Time")
    ///     .stream();
    /// while let Some(event) = all.try_next().await? {
    ///     println!("{:?}", event.subject);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn list(&self) -> ListBuilder<Event> {
        ListBuilder::new(self.client.clone(), self.collection())
    }

    /// Gets one event.
    ///
    /// `GET /me/events/{id}` · [Get event](https://learn.microsoft.com/graph/api/event-get) ·
    /// permissions: delegated `Calendars.ReadBasic`, application `Calendars.ReadBasic`.
    ///
    /// The event's `body` needs `Calendars.Read`.
    ///
    /// ```no_run
    /// use msgraph_core::WithOptions as _;
    /// use msgraph_calendar::CalendarExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let event = client.me().events().get("AAMkAGI1AAAt9AHjAAA=")
    ///     .timezone("America/New_York")
    ///     .await?;
    /// println!("{:?} joins at {:?}", event.subject, event.join_url());
    /// # Ok(()) }
    /// ```
    pub fn get(&self, id: impl Into<String>) -> GetBuilder<Event> {
        GetBuilder::new(self.client.clone(), self.item(id))
    }

    /// Creates an event and sends invitations to its attendees. The event is
    /// checked first (see [`NewEvent`]).
    ///
    /// `POST /me/events` · [Create event](https://learn.microsoft.com/graph/api/user-post-events) ·
    /// permissions: delegated `Calendars.ReadWrite`, application `Calendars.ReadWrite`.
    ///
    /// ```no_run
    /// use chrono::{Days, Local, NaiveTime};
    /// use msgraph_calendar::{CalendarExt, NewEvent};
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let tomorrow = Local::now().date_naive().checked_add_days(Days::new(1)).unwrap();
    /// let two_pm = tomorrow.and_time(NaiveTime::from_hms_opt(14, 0, 0).unwrap());
    /// let event = client.me().events().create(
    ///     NewEvent::new("Team Sync")
    ///         .local_times(two_pm, two_pm + chrono::TimeDelta::minutes(30), "America/New_York")
    ///         .required_attendees(["john@example.com"])
    ///         .teams_meeting(),
    /// ).send().await?;
    /// println!("join at {:?}", event.join_url());
    /// # Ok(()) }
    /// ```
    pub fn create(&self, event: NewEvent) -> Action<Event> {
        let request = event.validate().and_then(|()| Request::post(self.collection()).json(&event));
        Action::json(self.client.clone(), request)
    }

    /// Changes only what the patch sets; returns the updated event.
    ///
    /// `PATCH /me/events/{id}` · [Update event](https://learn.microsoft.com/graph/api/event-update) ·
    /// permissions: delegated `Calendars.ReadWrite`, application `Calendars.ReadWrite`.
    ///
    /// ```no_run
    /// use msgraph_calendar::{CalendarExt, EventPatch};
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let updated = client.me().events()
    ///     .update("AAMkAGI1AAAt9AHjAAA=", EventPatch::new().subject("Team Sync (moved)"))
    ///     .send().await?;
    /// # Ok(()) }
    /// ```
    pub fn update(&self, id: impl Into<String>, patch: EventPatch) -> Action<Event> {
        let request = patch.validate().and_then(|()| Request::patch(self.item(id)).json(&patch));
        Action::json(self.client.clone(), request)
    }

    /// Removes the event from the calendar. An organizer who wants attendees
    /// told should [`cancel`](Self::cancel) instead.
    ///
    /// `DELETE /me/events/{id}` · [Delete event](https://learn.microsoft.com/graph/api/event-delete) ·
    /// permissions: delegated `Calendars.ReadWrite`, application `Calendars.ReadWrite`.
    ///
    /// ```no_run
    /// use msgraph_calendar::CalendarExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// client.me().events().delete("AAMkAGI1AAAt9AHjAAA=").send().await?;
    /// # Ok(()) }
    /// ```
    pub fn delete(&self, id: impl Into<String>) -> Action<()> {
        Action::empty(self.client.clone(), Ok(Request::delete(self.item(id))))
    }

    /// The organizer cancels the meeting and attendees get a cancellation
    /// with the comment; Graph answers 202.
    ///
    /// `POST /me/events/{id}/cancel` · [event: cancel](https://learn.microsoft.com/graph/api/event-cancel) ·
    /// permissions: delegated `Calendars.ReadWrite`, application `Calendars.ReadWrite`.
    ///
    /// Only the organizer can cancel; anyone else gets a 400.
    ///
    /// ```no_run
    /// use msgraph_calendar::CalendarExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// client.me().events().cancel("AAMkAGI1AAAt9AHjAAA=")
    ///     .comment("Cancelling for this week due to all hands")
    ///     .send().await?;
    /// # Ok(()) }
    /// ```
    pub fn cancel(&self, id: impl Into<String>) -> CancelEvent {
        CancelEvent::new(self.client.clone(), self.item(id).push("cancel"))
    }

    /// Forwards the meeting request.
    ///
    /// `POST /me/events/{id}/forward` · [event: forward](https://learn.microsoft.com/graph/api/event-forward) ·
    /// permissions: delegated `Calendars.Read`, application `Calendars.Read`.
    ///
    /// Available in the global and China clouds only (not US Government L4/L5).
    /// Forwarding from a personal (Outlook.com) account does not notify the organizer.
    ///
    /// ```no_run
    /// use msgraph_calendar::CalendarExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// client.me().events().forward("AAMkAGI1AAAt9AHjAAA=", ["danas@contoso.com"])
    ///     .comment("Dana, hope you can make this meeting.")
    ///     .send().await?;
    /// # Ok(()) }
    /// ```
    pub fn forward<I, R>(&self, id: impl Into<String>, to: I) -> ForwardEvent
    where
        I: IntoIterator<Item = R>,
        R: Into<Recipient>,
    {
        ForwardEvent::new(self.client.clone(), self.item(id).push("forward"), to.into_iter().map(Into::into).collect())
    }

    /// Accepts a meeting request.
    ///
    /// `POST /me/events/{id}/accept` · [event: accept](https://learn.microsoft.com/graph/api/event-accept) ·
    /// permissions: delegated `Calendars.ReadWrite`, application `Calendars.ReadWrite`.
    ///
    /// ```no_run
    /// use msgraph_calendar::CalendarExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// client.me().events().accept("AAMkAGI1AAAt9AHjAAA=").comment("See you there").send().await?;
    /// # Ok(()) }
    /// ```
    pub fn accept(&self, id: impl Into<String>) -> RespondToEvent {
        RespondToEvent::new(self.client.clone(), self.item(id), Response::Accept)
    }

    /// Tentatively accepts a meeting request, optionally proposing a new time.
    ///
    /// `POST /me/events/{id}/tentativelyAccept` · [event: tentativelyAccept](https://learn.microsoft.com/graph/api/event-tentativelyaccept) ·
    /// permissions: delegated `Calendars.ReadWrite`, application `Calendars.ReadWrite`.
    ///
    /// A proposed time needs the response sent and an event that allows new
    /// time proposals; otherwise Graph answers 400.
    ///
    /// ```no_run
    /// use msgraph_calendar::CalendarExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// client.me().events().tentatively_accept("AAMkAGI1AAAt9AHjAAA=").send_response(false).send().await?;
    /// # Ok(()) }
    /// ```
    pub fn tentatively_accept(&self, id: impl Into<String>) -> RespondToEvent {
        RespondToEvent::new(self.client.clone(), self.item(id), Response::TentativelyAccept)
    }

    /// Declines a meeting request, optionally proposing a new time.
    ///
    /// `POST /me/events/{id}/decline` · [event: decline](https://learn.microsoft.com/graph/api/event-decline) ·
    /// permissions: delegated `Calendars.ReadWrite`, application `Calendars.ReadWrite`.
    ///
    /// A proposed time needs the response sent and an event that allows new
    /// time proposals; otherwise Graph answers 400.
    ///
    /// ```no_run
    /// use chrono::NaiveDate;
    /// use msgraph_calendar::CalendarExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let day = NaiveDate::from_ymd_opt(2026, 3, 17).unwrap();
    /// client.me().events().decline("AAMkAGI1AAAt9AHjAAA=")
    ///     .comment("I won't be able to make this week. How about next week?")
    ///     .propose_new_time(
    ///         (day.and_hms_opt(18, 0, 0).unwrap(), "Pacific Standard Time"),
    ///         (day.and_hms_opt(19, 0, 0).unwrap(), "Pacific Standard Time"),
    ///     )
    ///     .send().await?;
    /// # Ok(()) }
    /// ```
    pub fn decline(&self, id: impl Into<String>) -> RespondToEvent {
        RespondToEvent::new(self.client.clone(), self.item(id), Response::Decline)
    }

    /// The occurrences and exceptions of a series in a window.
    ///
    /// `GET /me/events/{id}/instances?startDateTime={start}&endDateTime={end}` ·
    /// [List instances](https://learn.microsoft.com/graph/api/event-list-instances) ·
    /// permissions: delegated `Calendars.ReadBasic`, application `Calendars.ReadBasic`.
    ///
    /// ```no_run
    /// use chrono::{TimeZone, Utc};
    /// use msgraph_calendar::CalendarExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let start = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
    /// let end = Utc.with_ymd_and_hms(2026, 4, 1, 0, 0, 0).unwrap();
    /// let page = client.me().events().instances("AAMkAGI1AAAt9AHjAAA=", start, end).send().await?;
    /// println!("{} occurrences in March", page.value.len());
    /// # Ok(()) }
    /// ```
    pub fn instances(&self, id: impl Into<String>, start: impl IntoUtc, end: impl IntoUtc) -> ListBuilder<Event> {
        crate::view::in_window(self.client.clone(), self.item(id).push("instances"), start, end)
    }

    /// Everything that overlaps the window, recurring series expanded into
    /// occurrences. See [`crate::view`].
    ///
    /// `GET /me/calendarView?startDateTime={start}&endDateTime={end}` ·
    /// [List calendarView](https://learn.microsoft.com/graph/api/user-list-calendarview) ·
    /// permissions: delegated `Calendars.ReadBasic`, application `Calendars.ReadBasic`.
    ///
    /// On a handler from [`Calendars::events`](crate::Calendars::events) the
    /// request is `GET /me/calendars/{id}/calendarView?...`
    /// ([List calendarView of a calendar](https://learn.microsoft.com/graph/api/calendar-list-calendarview),
    /// same permissions). Graph's `$top` is 1 to 1000.
    ///
    /// ```no_run
    /// use msgraph_core::WithOptions as _;
    /// use chrono::{TimeDelta, Utc};
    /// use futures::TryStreamExt;
    /// use msgraph_calendar::CalendarExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let now = Utc::now();
    /// let mut week = client.me().calendars().events("AAMkAGI2TGuLAAA=")
    ///     .calendar_view(now, now + TimeDelta::days(7))
    ///     .timezone("America/New_York")
    ///     .stream();
    /// while let Some(e) = week.try_next().await? {
    ///     println!("{:?} {:?}", e.start, e.subject);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn calendar_view(&self, start: impl IntoUtc, end: impl IntoUtc) -> ListBuilder<Event> {
        crate::view::in_window(self.client.clone(), self.container.clone().push("calendarView"), start, end)
    }

    /// What changed in the window since the last round, through core's
    /// [`DeltaSync`].
    ///
    /// `GET /me/calendarView/delta?startDateTime={start}&endDateTime={end}` ·
    /// [event: delta](https://learn.microsoft.com/graph/api/event-delta) ·
    /// permissions: delegated `Calendars.Read`, application `Calendars.Read`.
    ///
    /// Choose where the token lives with `.store(store, key)`; the token moves
    /// only when the round is committed. Graph's calendar view delta takes no
    /// `$select`, `$expand`, `$filter`, `$orderby` or `$search`; page size goes
    /// through `.max_page_size(n)` and the zone of the times through
    /// `.timezone(..)`, both sent on every page. On a handler from
    /// [`Calendars::events`](crate::Calendars::events) the request is
    /// `GET /me/calendars/{id}/calendarView/delta?...`; the v1.0 docs describe
    /// delta on the primary calendar only.
    ///
    /// ```no_run
    /// use msgraph_core::WithOptions as _;
    /// use std::sync::Arc;
    /// use chrono::{TimeDelta, Utc};
    /// use msgraph_calendar::CalendarExt;
    /// use msgraph_core::delta::{Change, JsonFileDeltaStore};
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let now = Utc::now();
    /// let sync = client.me().events()
    ///     .calendar_view_delta(now, now + TimeDelta::days(30))
    ///     .timezone("America/New_York")
    ///     .store(Arc::new(JsonFileDeltaStore::new("data/delta.json")), "calendar:next-30-days");
    /// let round = sync.run().await?;
    /// for change in round.changes() {
    ///     match change {
    ///         Change::Upserted(e) => println!("changed: {:?} at {:?}", e.subject, e.start),
    ///         Change::Removed(r) => println!("removed: {}", r.id),
    ///     }
    /// }
    /// round.commit().await?;
    /// # Ok(()) }
    /// ```
    pub fn calendar_view_delta(&self, start: impl IntoUtc, end: impl IntoUtc) -> DeltaSync<Event> {
        crate::delta::calendar_view_delta(self.client.clone(), self.container.clone(), start, end)
    }
}
