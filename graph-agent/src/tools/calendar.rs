//! Outlook calendar tools (`calendar_*`). Permissions: delegated
//! `Calendars.Read` for `calendar_get_events`, `Calendars.ReadWrite` for the others.

use std::borrow::Cow;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use msgraph_calendar::{CalendarExt, Event, EventPatch, NewEvent};
use msgraph_core::WithOptions as _;
use msgraph_core::models::DateTimeTimeZone;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize};

use super::mail::{recipients, who};
use crate::args::{LocalDateTime, non_blank};
use crate::catalogue::{Access, Service};
use crate::dispatch::{Ctx, Meta, OrTool, Registry, ToolError, limit, page};

const NO_EVENT: &str = "no such event; call calendar_get_events for the time around it to get event ids";
const LOCAL: &str = "%Y-%m-%dT%H:%M:%S";
/// What a calendar view needs of each event.
const VIEW_FIELDS: [&str; 11] = [
    "id",
    "subject",
    "start",
    "end",
    "isAllDay",
    "location",
    "organizer",
    "isOnlineMeeting",
    "onlineMeeting",
    "attendees",
    "isCancelled",
];

/// A local date and time, or a date alone, read in the tool's `time_zone`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum When {
    /// `YYYY-MM-DDTHH:MM:SS`.
    At(NaiveDateTime),
    /// `YYYY-MM-DD`.
    Day(NaiveDate),
}

impl When {
    /// The instant a window starts at: a date means its midnight.
    fn as_start(self) -> NaiveDateTime {
        match self {
            When::At(t) => t,
            When::Day(d) => d.and_time(NaiveTime::MIN),
        }
    }

    /// The instant a window ends at: a date means the end of that day.
    fn as_end(self) -> NaiveDateTime {
        match self {
            When::At(t) => t,
            When::Day(d) => d.succ_opt().unwrap_or(d).and_time(NaiveTime::MIN),
        }
    }
}

impl<'de> Deserialize<'de> for When {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if let Some(t) = LocalDateTime::parse(&s) {
            return Ok(When::At(t));
        }
        NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map(When::Day).map_err(|_| {
            serde::de::Error::custom(format!(
                "must be a local date and time YYYY-MM-DDTHH:MM:SS or a date YYYY-MM-DD, without offset \
                 (e.g. 2026-03-05T09:00:00 or 2026-03-05; the time zone is the `time_zone` argument), got `{s}`"
            ))
        })
    }
}

impl JsonSchema for When {
    fn schema_name() -> Cow<'static, str> {
        "LocalDateTimeOrDate".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "A local date and time YYYY-MM-DDTHH:MM:SS (e.g. 2026-03-05T09:00:00), or a date YYYY-MM-DD.",
            "pattern": "^\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?)?$"
        })
    }

    fn inline_schema() -> bool {
        true
    }
}

/// The `time_zone` argument, checked; default the client's zone, else UTC.
fn zone(ctx: &Ctx, given: Option<&str>) -> Result<String, ToolError> {
    let z = match given.map(str::trim).filter(|z| !z.is_empty()) {
        Some(z) => z.to_owned(),
        None => ctx.client.default_preferences().timezone.clone().unwrap_or_else(|| "UTC".to_owned()),
    };
    msgraph_core::tz::resolve(&z).map_err(|_| {
        ToolError::new(format!(
            "`time_zone`: unknown time zone {z:?}; use an IANA name (Europe/Paris, America/New_York, UTC) or a \
             Windows name (Pacific Standard Time)"
        ))
    })?;
    Ok(z)
}

fn local(t: &NaiveDateTime) -> String {
    t.format(LOCAL).to_string()
}

/// `end` after `start`, both local times in one zone.
fn ordered(start: NaiveDateTime, end: NaiveDateTime) -> Result<(), ToolError> {
    if end <= start {
        return Err(ToolError::new(format!("`end` ({}) must be after `start` ({})", local(&end), local(&start))));
    }
    Ok(())
}

// ---- results ----

/// An event (or one occurrence of a series), trimmed.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct EventView {
    /// The event's id (pass it as `id` to calendar_update_event or calendar_delete_event).
    id: String,
    /// Its subject.
    subject: String,
    /// When it starts, local time YYYY-MM-DDTHH:MM:SS in `time_zone`.
    start: String,
    /// When it ends, local time in `time_zone`.
    end: String,
    /// The time zone of `start` and `end`.
    time_zone: String,
    /// True for an all-day event (start and end are midnights).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    is_all_day: bool,
    /// Where it takes place.
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<String>,
    /// Who organizes it, `Name <address>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    organizer: Option<String>,
    /// True for an online meeting (Teams).
    is_online_meeting: bool,
    /// The link to join the online meeting.
    #[serde(skip_serializing_if = "Option::is_none")]
    join_url: Option<String>,
    /// How many attendees are invited.
    attendees: usize,
    /// True when it has been cancelled.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    is_cancelled: bool,
}

impl EventView {
    fn new(e: Event, zone: &str) -> Self {
        let at = |t: &Option<DateTimeTimeZone>| t.as_ref().map(|t| local(&t.date_time)).unwrap_or_default();
        EventView {
            start: at(&e.start),
            end: at(&e.end),
            time_zone: e
                .start
                .as_ref()
                .and_then(|t| t.time_zone.clone())
                .filter(|z| !z.is_empty())
                .unwrap_or_else(|| zone.to_owned()),
            is_all_day: e.is_all_day.unwrap_or(false),
            location: e.location.as_ref().and_then(|l| l.display_name.clone()).filter(|l| !l.trim().is_empty()),
            organizer: e.organizer.as_ref().and_then(who),
            is_online_meeting: e.is_online_meeting.unwrap_or(false),
            join_url: e.join_url().map(str::to_owned),
            attendees: e.attendees.as_ref().map_or(0, Vec::len),
            is_cancelled: e.is_cancelled.unwrap_or(false),
            id: e.id.unwrap_or_default(),
            subject: e.subject.unwrap_or_default(),
        }
    }
}

#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct EventPage {
    /// The events and occurrences overlapping the window, by start time.
    events: Vec<EventView>,
    /// The time zone of every `start` and `end`.
    time_zone: String,
    /// Pass as `cursor` (with the same start, end and time_zone) to get the next events; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    next_cursor: Option<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Deleted {
    /// True: it is gone.
    deleted: bool,
    /// The id that was deleted.
    id: String,
}

// ---- arguments ----

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct GetEventsArgs {
    /// Start of the window: local date and time YYYY-MM-DDTHH:MM:SS, or a date YYYY-MM-DD (its midnight).
    start: When,
    /// End of the window: local date and time, or a date YYYY-MM-DD (the end of that day, so start=end=one date is that whole day).
    end: When,
    /// IANA or Windows time zone of start and end, and of the times returned (default: the client's, else UTC).
    time_zone: Option<String>,
    /// How many events to return (1-50, default 10).
    limit: Option<u32>,
    /// The `next_cursor` of an earlier call, for the next events.
    cursor: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CreateEventArgs {
    /// The event's title, e.g. "Team sync".
    subject: String,
    /// When it starts: local date and time YYYY-MM-DDTHH:MM:SS in `time_zone`.
    start: LocalDateTime,
    /// When it ends: local date and time YYYY-MM-DDTHH:MM:SS in `time_zone`, after `start`.
    end: LocalDateTime,
    /// IANA or Windows time zone of start and end (default: the client's, else UTC).
    time_zone: Option<String>,
    /// Where, e.g. "Conference Room 1".
    location: Option<String>,
    /// A description, plain text.
    body: Option<String>,
    /// Addresses of the people to invite, e.g. ["ada@contoso.com"]; they get an invitation.
    #[serde(default)]
    attendees: Vec<String>,
    /// True to make it a Microsoft Teams meeting (the result has its join_url).
    online_meeting: Option<bool>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct UpdateEventArgs {
    /// The event's id, from calendar_get_events.
    id: String,
    /// A new title.
    subject: Option<String>,
    /// A new start, local YYYY-MM-DDTHH:MM:SS in `time_zone`; without `end` the event keeps its length.
    start: Option<LocalDateTime>,
    /// A new end, local YYYY-MM-DDTHH:MM:SS in `time_zone`.
    end: Option<LocalDateTime>,
    /// IANA or Windows time zone of start and end, and of the times returned (default: the client's, else UTC).
    time_zone: Option<String>,
    /// A new location.
    location: Option<String>,
    /// A new description, plain text.
    body: Option<String>,
    /// The new list of attendees' addresses: replaces the current attendees (include those who stay).
    attendees: Option<Vec<String>>,
    /// True to make it a Teams meeting, false to make it an ordinary one.
    online_meeting: Option<bool>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct IdArgs {
    /// The event's id, from calendar_get_events.
    id: String,
}

// ---- tools ----

async fn get_events(ctx: Ctx, a: GetEventsArgs) -> Result<EventPage, ToolError> {
    let n = limit(a.limit)?;
    let zone = zone(&ctx, a.time_zone.as_deref())?;
    let (start, end) = (a.start.as_start(), a.end.as_end());
    ordered(start, end)?;
    let list = ctx
        .client
        .me()
        .calendar_view((start, zone.as_str()), (end, zone.as_str()))
        .select(VIEW_FIELDS)
        .order_by("start/dateTime")
        .timezone(zone.as_str());
    let (events, next_cursor) = page(&ctx, list, n, a.cursor.as_deref(), NO_EVENT).await?;
    Ok(EventPage {
        events: events.into_iter().map(|e| EventView::new(e, &zone)).collect(),
        time_zone: zone,
        next_cursor,
    })
}

async fn create_event(ctx: Ctx, a: CreateEventArgs) -> Result<EventView, ToolError> {
    let zone = zone(&ctx, a.time_zone.as_deref())?;
    let subject = non_blank("subject", &a.subject)?;
    ordered(a.start.0, a.end.0)?;
    let attendees = recipients("attendees", Some(&a.attendees))?;
    let mut event = NewEvent::new(subject).local_times(a.start.0, a.end.0, zone.as_str());
    if let Some(l) = a.location.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
        event = event.location(l);
    }
    if let Some(b) = a.body {
        event = event.text_body(b);
    }
    if !attendees.is_empty() {
        event = event.required_attendees(attendees);
    }
    if a.online_meeting == Some(true) {
        event = event.teams_meeting();
    }
    let created = ctx.client.me().events().create(event).timezone(zone.as_str()).send().await.or_tool(NO_EVENT)?;
    Ok(EventView::new(created, &zone))
}

async fn update_event(ctx: Ctx, a: UpdateEventArgs) -> Result<EventView, ToolError> {
    let id = non_blank("id", &a.id)?;
    let zone = zone(&ctx, a.time_zone.as_deref())?;
    let events = ctx.client.me().events();
    let mut patch = EventPatch::new();
    let mut any = false;
    if let Some(s) = a.subject.as_deref() {
        patch = patch.subject(non_blank("subject", s)?);
        any = true;
    }
    // Start and end travel together, so the event never ends before it starts.
    let times = match (a.start, a.end) {
        (Some(s), Some(e)) => Some((s.0, e.0)),
        (None, None) => None,
        (start, end) => {
            let current =
                events.get(id).select(["start", "end"]).timezone(zone.as_str()).send().await.or_tool(NO_EVENT)?;
            let (Some(old_start), Some(old_end)) = (current.start, current.end) else {
                return Err(ToolError::new("the event has no start or end to keep; give both `start` and `end`"));
            };
            match (start, end) {
                (Some(s), _) => Some((s.0, s.0 + (old_end.date_time - old_start.date_time))),
                (_, Some(e)) => Some((old_start.date_time, e.0)),
                (None, None) => None,
            }
        }
    };
    if let Some((start, end)) = times {
        ordered(start, end)?;
        patch = patch.local_times(start, end, zone.as_str());
        any = true;
    }
    if let Some(l) = a.location.as_deref() {
        patch = patch.location(l.trim());
        any = true;
    }
    if let Some(b) = a.body {
        patch = patch.text_body(b);
        any = true;
    }
    if let Some(list) = a.attendees.as_deref() {
        let attendees = recipients("attendees", Some(list))?;
        patch = if attendees.is_empty() {
            patch.property("attendees", serde_json::json!([]))
        } else {
            patch.required_attendees(attendees)
        };
        any = true;
    }
    match a.online_meeting {
        Some(true) => {
            patch = patch.teams_meeting();
            any = true;
        }
        Some(false) => {
            patch = patch.is_online_meeting(false);
            any = true;
        }
        None => {}
    }
    if !any {
        return Err(ToolError::new(
            "nothing to change: pass at least one of subject, start, end, location, body, attendees, online_meeting",
        ));
    }
    let updated = events.update(id, patch).timezone(zone.as_str()).send().await.or_tool(NO_EVENT)?;
    Ok(EventView::new(updated, &zone))
}

async fn delete_event(ctx: Ctx, a: IdArgs) -> Result<Deleted, ToolError> {
    let id = non_blank("id", &a.id)?;
    ctx.client.me().events().delete(id).send().await.or_tool(NO_EVENT)?;
    Ok(Deleted { deleted: true, id: id.to_owned() })
}

pub(crate) fn register(r: &mut Registry) {
    let cal = |name, title, description, access| Meta { name, title, description, service: Service::Calendar, access };
    r.add(
        cal(
            "calendar_get_events",
            "Get calendar events",
            "List what is on the user's calendar between start and end (local times or dates in time_zone; a \
             date as end means the end of that day), recurring meetings expanded into their occurrences, by \
             start time. Use it for \"what's on my calendar today/this week\" and to find an event's id. Each \
             event has id, subject, start, end (in time_zone), location, organizer, is_online_meeting, join_url \
             and the number of attendees. Returns {events, time_zone, next_cursor}.",
            Access::Read,
        ),
        get_events,
    );
    r.add(
        cal(
            "calendar_create_event",
            "Create a calendar event",
            "Create an event on the user's calendar: subject, start and end (local YYYY-MM-DDTHH:MM:SS in \
             time_zone), and optionally location, body, attendees (addresses; they are sent invitations) and \
             online_meeting=true for a Teams meeting. Returns the new event with its id, times and join_url.",
            Access::Write,
        ),
        create_event,
    );
    r.add(
        cal(
            "calendar_update_event",
            "Update a calendar event",
            "Change an event by id: subject, start/end (moving only the start keeps its length), location, \
             body, attendees (replaces the list; attendees are notified) or online_meeting. Only the fields \
             given change. Returns the updated event.",
            Access::Write,
        ),
        update_event,
    );
    r.add(
        cal(
            "calendar_delete_event",
            "Delete a calendar event",
            "Delete an event from the user's calendar by id, permanently; for an occurrence of a recurring \
             meeting only that occurrence goes. Attendees are not sent a cancellation. Returns {deleted, id}.",
            Access::Destructive,
        ),
        delete_event,
    );
}
