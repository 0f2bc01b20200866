//! Free/busy and meeting planning: `getSchedule` for several people over a
//! window ([calendar: getSchedule](https://learn.microsoft.com/graph/api/calendar-getschedule))
//! and `findMeetingTimes` ([user: findMeetingTimes](https://learn.microsoft.com/graph/api/user-findmeetingtimes)).

use std::cmp::Ordering;

use chrono::TimeDelta;
use msgraph_core::models::{DateTimeTimeZone, Recipient};
use msgraph_core::{Action, Error, GraphClient, GraphPath, Page, Request, RequestOptions, Result};
use serde::Serialize;

use crate::time::{DateTimeTimeZoneExt as _, IntoDateTimeTimeZone, iso8601_duration};
use crate::{
    ActivityDomain, Attendee, LocationConstraint, MeetingTimeSuggestionsResult, ScheduleInformation, TimeConstraint,
    TimeSlot,
};

fn check_window(what: &str, start: &DateTimeTimeZone, end: &DateTimeTimeZone) -> Result<()> {
    if matches!(start.compare(end), Some(Ordering::Equal | Ordering::Greater)) {
        return Err(Error::invalid_input(format!("{what} must end after it starts")));
    }
    Ok(())
}

/// Free/busy of several users, lists or rooms: `POST .../calendar/getSchedule`.
/// Made by [`CalendarExt::get_schedule`](crate::CalendarExt::get_schedule);
/// ends in `.send().await`.
#[derive(Debug, Clone)]
#[must_use = "builders do nothing until sent"]
pub struct GetSchedule {
    client: GraphClient,
    path: GraphPath,
    body: ScheduleBody,
    options: RequestOptions,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct ScheduleBody {
    schedules: Vec<String>,
    start_time: DateTimeTimeZone,
    end_time: DateTimeTimeZone,
    #[serde(skip_serializing_if = "Option::is_none")]
    availability_view_interval: Option<u32>,
}

impl GetSchedule {
    pub(crate) fn new(
        client: GraphClient,
        path: GraphPath,
        schedules: Vec<String>,
        start: DateTimeTimeZone,
        end: DateTimeTimeZone,
    ) -> Self {
        GetSchedule {
            client,
            path,
            body: ScheduleBody { schedules, start_time: start, end_time: end, availability_view_interval: None },
            options: RequestOptions::default(),
        }
    }

    /// Minutes per digit of the availability view, 5 to 1440 (Graph's default: 30).
    pub fn availability_view_interval(mut self, minutes: u32) -> Self {
        self.body.availability_view_interval = Some(minutes);
        self
    }

    /// The request after its checks: at least one address, none blank, a
    /// window that ends after it starts, an interval from 5 to 1440 minutes.
    fn request(self) -> Result<Request> {
        if self.body.schedules.is_empty() {
            return Err(Error::invalid_input("getSchedule needs at least one address"));
        }
        if self.body.schedules.iter().any(|s| s.trim().is_empty()) {
            return Err(Error::invalid_input("getSchedule addresses must not be blank"));
        }
        check_window("the schedule window", &self.body.start_time, &self.body.end_time)?;
        if let Some(n) = self.body.availability_view_interval
            && !(5..=1440).contains(&n)
        {
            return Err(Error::invalid_input(format!("availabilityViewInterval must be 5 to 1440 minutes, not {n}")));
        }
        Request::post(self.path).json(&self.body)
    }

    /// Answers one [`ScheduleInformation`] per address, in order.
    fn into_action(self) -> Action<Vec<ScheduleInformation>> {
        let (client, options) = (self.client.clone(), self.options.clone());
        Action::with_decoder(client, self.request(), |r| Ok(r.json::<Page<ScheduleInformation>>()?.value))
            .with_options(options)
    }
}

/// Meeting time suggestions: `POST .../findMeetingTimes`. Made by
/// [`CalendarExt::find_meeting_times`](crate::CalendarExt::find_meeting_times);
/// ends in `.send().await`. Every setter is optional; with none, Graph looks
/// for 30 free minutes of the organizer's work hours in the next days.
#[derive(Debug, Clone)]
#[must_use = "builders do nothing until sent"]
pub struct FindMeetingTimes {
    client: GraphClient,
    path: GraphPath,
    body: FindBody,
    duration: Option<TimeDelta>,
    options: RequestOptions,
}

#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
struct FindBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    attendees: Option<Vec<Attendee>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    location_constraint: Option<LocationConstraint>,
    #[serde(skip_serializing_if = "Option::is_none")]
    time_constraint: Option<TimeConstraint>,
    #[serde(skip_serializing_if = "Option::is_none")]
    meeting_duration: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_candidates: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_organizer_optional: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    return_suggestion_reasons: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    minimum_attendee_percentage: Option<f64>,
}

impl FindMeetingTimes {
    pub(crate) fn new(client: GraphClient, path: GraphPath) -> Self {
        FindMeetingTimes { client, path, body: FindBody::default(), duration: None, options: RequestOptions::default() }
    }

    /// Adds an attendee (Graph treats every person as required; rooms are
    /// [`Attendee::resource`]).
    pub fn attendee(mut self, attendee: Attendee) -> Self {
        self.body.attendees.get_or_insert_with(Vec::new).push(attendee);
        self
    }

    /// Adds people by address.
    pub fn attendees<I, R>(self, who: I) -> Self
    where
        I: IntoIterator<Item = R>,
        R: Into<Recipient>,
    {
        who.into_iter().fold(self, |b, r| b.attendee(Attendee::required(r)))
    }

    /// Adds rooms or equipment by mailbox address.
    pub fn resources<I, R>(self, what: I) -> Self
    where
        I: IntoIterator<Item = R>,
        R: Into<Recipient>,
    {
        what.into_iter().fold(self, |b, r| b.attendee(Attendee::resource(r)))
    }

    /// `meetingDuration` (Graph's default: 30 minutes).
    pub fn duration(mut self, duration: TimeDelta) -> Self {
        self.duration = Some(duration);
        self
    }

    /// Adds a window to search in (`timeConstraint.timeSlots`).
    pub fn time_slot(mut self, start: impl IntoDateTimeTimeZone, end: impl IntoDateTimeTimeZone) -> Self {
        let c = self.body.time_constraint.get_or_insert_with(TimeConstraint::default);
        c.time_slots.get_or_insert_with(Vec::new).push(TimeSlot::new(start, end));
        self
    }

    /// `timeConstraint.activityDomain`: work hours, personal hours or any time.
    pub fn activity_domain(mut self, domain: ActivityDomain) -> Self {
        self.body.time_constraint.get_or_insert_with(TimeConstraint::default).activity_domain = Some(domain);
        self
    }

    /// The whole `timeConstraint` (replaces windows and domain set before).
    pub fn time_constraint(mut self, constraint: TimeConstraint) -> Self {
        self.body.time_constraint = Some(constraint);
        self
    }

    /// `locationConstraint`: candidate rooms, and whether Graph suggests some.
    pub fn location_constraint(mut self, constraint: LocationConstraint) -> Self {
        self.body.location_constraint = Some(constraint);
        self
    }

    /// `maxCandidates`: at most this many suggestions.
    pub fn max_candidates(mut self, n: u32) -> Self {
        self.body.max_candidates = Some(n);
        self
    }

    /// `isOrganizerOptional`: the organizer need not attend.
    pub fn organizer_optional(mut self, optional: bool) -> Self {
        self.body.is_organizer_optional = Some(optional);
        self
    }

    /// `returnSuggestionReasons`: explain each suggestion.
    pub fn return_suggestion_reasons(mut self, on: bool) -> Self {
        self.body.return_suggestion_reasons = Some(on);
        self
    }

    /// `minimumAttendeePercentage`: the least confidence, 0 to 100 (Graph's default: 50).
    pub fn minimum_attendee_percentage(mut self, percent: f64) -> Self {
        self.body.minimum_attendee_percentage = Some(percent);
        self
    }

    /// The request after its checks: a positive duration, a percentage from
    /// 0 to 100, windows that end after they start, attendees with addresses.
    fn request(mut self) -> Result<Request> {
        if let Some(d) = self.duration {
            if d <= TimeDelta::zero() {
                return Err(Error::invalid_input("the meeting duration must be positive"));
            }
            self.body.meeting_duration = Some(iso8601_duration(d));
        }
        if let Some(p) = self.body.minimum_attendee_percentage
            && !(0.0..=100.0).contains(&p)
        {
            return Err(Error::invalid_input(format!("minimumAttendeePercentage must be 0 to 100, not {p}")));
        }
        let slots = self.body.time_constraint.iter().flat_map(|c| c.time_slots.iter().flatten());
        for slot in slots {
            if let (Some(start), Some(end)) = (&slot.start, &slot.end) {
                check_window("a time slot", start, end)?;
            }
        }
        if self.body.attendees.iter().flatten().any(|a| a.address().is_none_or(|s| s.trim().is_empty())) {
            return Err(Error::invalid_input("every attendee needs an email address"));
        }
        Request::post(self.path).json(&self.body)
    }

    /// Graph's suggestions (a POST that only reads: the answer is needed).
    fn into_action(self) -> Action<MeetingTimeSuggestionsResult> {
        let (client, options) = (self.client.clone(), self.options.clone());
        Action::with_decoder(client, self.request(), |r| r.json()).with_options(options)
    }
}

msgraph_core::operation!(GetSchedule => Vec<ScheduleInformation>);

msgraph_core::operation!(FindMeetingTimes => MeetingTimeSuggestionsResult);
