//! The user's calendars: list, get, the default one, create, and the events
//! and view of one by id
//! ([calendar](https://learn.microsoft.com/graph/api/resources/calendar)).

use msgraph_core::{
    Action, Error, GetBuilder, GraphClient, GraphPath, IntoUtc, ListBuilder, Request, RequestOptions, Result,
};
use serde::Serialize;

use crate::{Calendar, CalendarColor, Event, Events};

/// The calendars of `/me` or a user: `client.me().calendars()`.
///
/// Each method names its least-privileged permissions: listing calendars and
/// their views needs `Calendars.ReadBasic`, getting one calendar
/// `Calendars.Read`, creating one `Calendars.ReadWrite`.
///
/// ```no_run
/// use msgraph_calendar::CalendarExt;
/// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
/// for cal in client.me().calendars().list().send().await? {
///     println!("{:?} ({:?})", cal.name, cal.id);
/// }
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct Calendars {
    client: GraphClient,
    /// `/me` or `/users/{id}`.
    scope: GraphPath,
}

impl Calendars {
    pub(crate) fn new(client: GraphClient, scope: GraphPath) -> Self {
        Calendars { client, scope }
    }

    fn collection(&self) -> GraphPath {
        self.scope.clone().push("calendars")
    }

    /// Lists the user's calendars.
    ///
    /// `GET /me/calendars` · [List calendars](https://learn.microsoft.com/graph/api/user-list-calendars) ·
    /// permissions: delegated `Calendars.ReadBasic`, application `Calendars.ReadBasic`.
    ///
    /// ```no_run
    /// use futures::TryStreamExt;
    /// use msgraph_calendar::CalendarExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let all: Vec<_> = client.user("adelev@contoso.com").calendars().list().stream().try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn list(&self) -> ListBuilder<Calendar> {
        ListBuilder::new(self.client.clone(), self.collection())
    }

    /// Gets one calendar by id.
    ///
    /// `GET /me/calendars/{id}` · [Get calendar](https://learn.microsoft.com/graph/api/calendar-get) ·
    /// permissions: delegated `Calendars.Read`, application `Calendars.Read`.
    ///
    /// ```no_run
    /// use msgraph_calendar::CalendarExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let cal = client.me().calendars().get("AAMkAGI2TGuLAAA=").await?;
    /// # Ok(()) }
    /// ```
    pub fn get(&self, id: impl Into<String>) -> GetBuilder<Calendar> {
        GetBuilder::new(self.client.clone(), self.collection().id(id))
    }

    /// Gets the default calendar.
    ///
    /// `GET /me/calendar` · [Get calendar](https://learn.microsoft.com/graph/api/calendar-get) ·
    /// permissions: delegated `Calendars.Read`, application `Calendars.Read`.
    ///
    /// ```no_run
    /// use msgraph_calendar::CalendarExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let cal = client.me().calendars().default_calendar().await?;
    /// println!("default calendar: {:?}", cal.name);
    /// # Ok(()) }
    /// ```
    pub fn default_calendar(&self) -> GetBuilder<Calendar> {
        GetBuilder::new(self.client.clone(), self.scope.clone().push("calendar"))
    }

    /// Creates a new calendar in the default calendar group.
    ///
    /// `POST /me/calendars` · [Create calendar](https://learn.microsoft.com/graph/api/user-post-calendars) ·
    /// permissions: delegated `Calendars.ReadWrite`, application `Calendars.ReadWrite`.
    ///
    /// ```no_run
    /// use msgraph_calendar::{CalendarColor, CalendarExt};
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let cal = client.me().calendars().create("Volunteer").color(CalendarColor::LightGreen).send().await?;
    /// println!("created {:?}", cal.id);
    /// # Ok(()) }
    /// ```
    pub fn create(&self, name: impl Into<String>) -> CreateCalendar {
        CreateCalendar {
            options: Default::default(),
            client: self.client.clone(),
            path: self.collection(),
            body: CalendarBody { name: name.into(), color: None },
        }
    }

    /// The events of calendar `id` (list, get, create, ... in that calendar).
    ///
    /// ```no_run
    /// use msgraph_calendar::CalendarExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let page = client.me().calendars().events("AAMkAGI2TGuLAAA=").list().send().await?;
    /// # Ok(()) }
    /// ```
    pub fn events(&self, id: impl Into<String>) -> Events {
        Events::new(self.client.clone(), self.collection().id(id))
    }

    /// The view of one calendar: what overlaps the window, recurrences
    /// expanded (see [`Events::calendar_view`]).
    ///
    /// `GET /me/calendars/{id}/calendarView?startDateTime={start}&endDateTime={end}` ·
    /// [List calendarView](https://learn.microsoft.com/graph/api/calendar-list-calendarview) ·
    /// permissions: delegated `Calendars.ReadBasic`, application `Calendars.ReadBasic`.
    ///
    /// ```no_run
    /// use msgraph_core::WithOptions as _;
    /// use chrono::{TimeDelta, Utc};
    /// use msgraph_calendar::CalendarExt;
    /// # async fn run(client: msgraph_core::GraphClient) -> msgraph_core::Result<()> {
    /// let now = Utc::now();
    /// let page = client.me().calendars()
    ///     .calendar_view("AAMkAGI2TGuLAAA=", now, now + TimeDelta::days(1))
    ///     .timezone("Europe/Berlin")
    ///     .send().await?;
    /// # Ok(()) }
    /// ```
    pub fn calendar_view(&self, id: impl Into<String>, start: impl IntoUtc, end: impl IntoUtc) -> ListBuilder<Event> {
        self.events(id).calendar_view(start, end)
    }
}

/// Creates a calendar: `POST .../calendars`. Made by
/// [`Calendars::create`]; ends in `.send().await`.
#[derive(Debug, Clone)]
#[must_use = "builders do nothing until sent"]
pub struct CreateCalendar {
    client: GraphClient,
    options: RequestOptions,
    path: GraphPath,
    body: CalendarBody,
}

#[derive(Debug, Clone, Serialize)]
struct CalendarBody {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    color: Option<CalendarColor>,
}

impl CreateCalendar {
    /// The color theme.
    pub fn color(mut self, color: CalendarColor) -> Self {
        self.body.color = Some(color);
        self
    }

    fn request(self) -> Result<Request> {
        if self.body.name.trim().is_empty() {
            return Err(Error::invalid_input("a calendar needs a name"));
        }
        Request::post(self.path).json(&self.body)
    }

    fn into_action(self) -> Action<Calendar> {
        let (client, options) = (self.client.clone(), self.options.clone());
        Action::json(client, self.request()).with_options(options)
    }
}

msgraph_core::operation!(CreateCalendar => Calendar);
