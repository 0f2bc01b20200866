//! The writable properties of an event, shared by [`NewEvent`](crate::NewEvent)
//! and [`EventPatch`](crate::EventPatch), their setters, and the checks made
//! before anything is sent.

use std::cmp::Ordering;

use msgraph_core::models::{Additional, DateTimeTimeZone, Importance, ItemBody};
use msgraph_core::{Error, Result};
use serde::{Deserialize, Serialize};

use super::{Attendee, FreeBusyStatus, Location, OnlineMeetingProviderType, PatternedRecurrence, Sensitivity};
use crate::time::DateTimeTimeZoneExt as _;

/// What a user sets on an event; only what was set is serialized.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct EventFields {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) subject: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) body: Option<ItemBody>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) start: Option<DateTimeTimeZone>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) end: Option<DateTimeTimeZone>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) is_all_day: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) location: Option<Location>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) locations: Option<Vec<Location>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) attendees: Option<Vec<Attendee>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) is_online_meeting: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) online_meeting_provider: Option<OnlineMeetingProviderType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) is_reminder_on: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) reminder_minutes_before_start: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) show_as: Option<FreeBusyStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) sensitivity: Option<Sensitivity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) importance: Option<Importance>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) categories: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) recurrence: Option<PatternedRecurrence>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) allow_new_time_proposals: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) response_requested: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) hide_attendees: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) transaction_id: Option<String>,
    #[serde(flatten)]
    pub(crate) additional: Additional,
}

impl EventFields {
    /// The checks Graph would make, done before sending: an end after the
    /// start (when comparable without a time zone database), all-day events
    /// on midnight boundaries in one zone, a recurrence with a pattern and a
    /// range, attendees with addresses. `creating` also requires start and end.
    pub(crate) fn validate(&self, creating: bool) -> Result<()> {
        if creating {
            if self.start.is_none() {
                return Err(Error::invalid_input("a new event needs a start"));
            }
            if self.end.is_none() {
                return Err(Error::invalid_input("a new event needs an end"));
            }
        }
        if let (Some(start), Some(end)) = (&self.start, &self.end)
            && matches!(start.compare(end), Some(Ordering::Equal | Ordering::Greater))
        {
            return Err(Error::invalid_input(format!(
                "the event must end after it starts (start {} {}, end {} {})",
                start.date_time,
                start.time_zone.as_deref().unwrap_or("UTC"),
                end.date_time,
                end.time_zone.as_deref().unwrap_or("UTC"),
            )));
        }
        if self.is_all_day == Some(true) {
            for (name, t) in [("start", &self.start), ("end", &self.end)] {
                if let Some(t) = t
                    && !t.is_midnight()
                {
                    return Err(Error::invalid_input(format!(
                        "an all-day event must {name} at midnight, not {}",
                        t.date_time.time()
                    )));
                }
            }
            if let (Some(start), Some(end)) = (&self.start, &self.end)
                && !start.same_zone(end)
            {
                return Err(Error::invalid_input("an all-day event needs its start and end in the same time zone"));
            }
        }
        if let Some(r) = &self.recurrence {
            r.validate()?;
        }
        for a in self.attendees.iter().flatten() {
            if a.address().is_none_or(|s| s.trim().is_empty()) {
                return Err(Error::invalid_input("every attendee needs an email address"));
            }
        }
        Ok(())
    }
}

/// The setters [`NewEvent`](crate::NewEvent) and
/// [`EventPatch`](crate::EventPatch) share; each sets one property.
macro_rules! event_setters {
    () => {
        /// `subject`.
        pub fn subject(mut self, subject: impl Into<String>) -> Self {
            self.fields.subject = Some(subject.into());
            self
        }

        /// `body`, text or HTML.
        pub fn body(mut self, body: msgraph_core::models::ItemBody) -> Self {
            self.fields.body = Some(body);
            self
        }

        /// A plain-text `body`.
        pub fn text_body(self, text: impl Into<String>) -> Self {
            self.body(msgraph_core::models::ItemBody::text(text))
        }

        /// An HTML `body`.
        pub fn html_body(self, html: impl Into<String>) -> Self {
            self.body(msgraph_core::models::ItemBody::html(html))
        }

        /// `start`: a chrono time (sent as UTC), `(NaiveDateTime, zone)` or a
        /// [`DateTimeTimeZone`](msgraph_core::models::DateTimeTimeZone); see
        /// [`IntoDateTimeTimeZone`](crate::IntoDateTimeTimeZone).
        pub fn start(mut self, start: impl $crate::IntoDateTimeTimeZone) -> Self {
            self.fields.start = Some(start.into_date_time_time_zone());
            self
        }

        /// `end`; see [`start`](Self::start).
        pub fn end(mut self, end: impl $crate::IntoDateTimeTimeZone) -> Self {
            self.fields.end = Some(end.into_date_time_time_zone());
            self
        }

        /// `start` and `end` as local times in one zone (IANA, e.g.
        /// `America/New_York`, or Windows, e.g. `Eastern Standard Time`);
        /// Graph keeps the zone as the event's original zone.
        pub fn local_times(
            self,
            start: chrono::NaiveDateTime,
            end: chrono::NaiveDateTime,
            time_zone: impl Into<String>,
        ) -> Self {
            let zone = time_zone.into();
            self.start((start, zone.clone())).end((end, zone))
        }

        /// An all-day event from the first day through the day before
        /// `end_exclusive`, in `time_zone`: `isAllDay` with start and end at
        /// midnight. One day is `all_day(d, d.succ_opt().unwrap(), zone)`.
        pub fn all_day(
            mut self,
            first_day: chrono::NaiveDate,
            end_exclusive: chrono::NaiveDate,
            time_zone: impl Into<String>,
        ) -> Self {
            let zone = time_zone.into();
            self.fields.is_all_day = Some(true);
            self.start((first_day, zone.clone())).end((end_exclusive, zone))
        }

        /// `isAllDay` alone (start and end must then be midnights in one zone).
        pub fn is_all_day(mut self, all_day: bool) -> Self {
            self.fields.is_all_day = Some(all_day);
            self
        }

        /// `location`: a name (`"Conf Room 1"`) or a full [`Location`](crate::Location).
        pub fn location(mut self, location: impl Into<$crate::Location>) -> Self {
            self.fields.location = Some(location.into());
            self
        }

        /// Adds to `locations` (several places; Graph keeps `location` in step).
        pub fn add_location(mut self, location: impl Into<$crate::Location>) -> Self {
            self.fields.locations.get_or_insert_with(Vec::new).push(location.into());
            self
        }

        /// Adds an attendee.
        pub fn attendee(mut self, attendee: $crate::Attendee) -> Self {
            self.fields.attendees.get_or_insert_with(Vec::new).push(attendee);
            self
        }

        /// Adds required attendees (addresses, or [`Recipient`](msgraph_core::models::Recipient)s).
        pub fn required_attendees<I, R>(self, who: I) -> Self
        where
            I: IntoIterator<Item = R>,
            R: Into<msgraph_core::models::Recipient>,
        {
            who.into_iter().fold(self, |b, r| b.attendee($crate::Attendee::required(r)))
        }

        /// Adds optional attendees.
        pub fn optional_attendees<I, R>(self, who: I) -> Self
        where
            I: IntoIterator<Item = R>,
            R: Into<msgraph_core::models::Recipient>,
        {
            who.into_iter().fold(self, |b, r| b.attendee($crate::Attendee::optional(r)))
        }

        /// Adds resources (rooms, equipment) by mailbox address.
        pub fn resources<I, R>(self, what: I) -> Self
        where
            I: IntoIterator<Item = R>,
            R: Into<msgraph_core::models::Recipient>,
        {
            what.into_iter().fold(self, |b, r| b.attendee($crate::Attendee::resource(r)))
        }

        /// A Microsoft Teams meeting: `isOnlineMeeting` with provider
        /// `teamsForBusiness`. Graph answers with `onlineMeeting.joinUrl`.
        pub fn teams_meeting(self) -> Self {
            self.online_meeting($crate::OnlineMeetingProviderType::TeamsForBusiness)
        }

        /// An online meeting with `provider` (`isOnlineMeeting` set too).
        pub fn online_meeting(mut self, provider: $crate::OnlineMeetingProviderType) -> Self {
            self.fields.is_online_meeting = Some(true);
            self.fields.online_meeting_provider = Some(provider);
            self
        }

        /// `isOnlineMeeting` alone (the calendar's default provider is used).
        pub fn is_online_meeting(mut self, online: bool) -> Self {
            self.fields.is_online_meeting = Some(online);
            self
        }

        /// A reminder `minutes` before the start (`isReminderOn` and
        /// `reminderMinutesBeforeStart`).
        pub fn reminder_minutes(mut self, minutes: u32) -> Self {
            self.fields.is_reminder_on = Some(true);
            self.fields.reminder_minutes_before_start = Some(i32::try_from(minutes).unwrap_or(i32::MAX));
            self
        }

        /// No reminder (`isReminderOn: false`).
        pub fn no_reminder(mut self) -> Self {
            self.fields.is_reminder_on = Some(false);
            self
        }

        /// `showAs`: free, busy, tentative, out of office, ...
        pub fn show_as(mut self, status: $crate::FreeBusyStatus) -> Self {
            self.fields.show_as = Some(status);
            self
        }

        /// `sensitivity`.
        pub fn sensitivity(mut self, sensitivity: $crate::Sensitivity) -> Self {
            self.fields.sensitivity = Some(sensitivity);
            self
        }

        /// `importance`.
        pub fn importance(mut self, importance: msgraph_core::models::Importance) -> Self {
            self.fields.importance = Some(importance);
            self
        }

        /// `categories` (names of the user's Outlook categories); replaces any set before.
        pub fn categories<I, S>(mut self, categories: I) -> Self
        where
            I: IntoIterator<Item = S>,
            S: Into<String>,
        {
            self.fields.categories = Some(categories.into_iter().map(Into::into).collect());
            self
        }

        /// `recurrence`: makes the event a series (checked before sending:
        /// a pattern and a range are required).
        pub fn recurrence(mut self, recurrence: $crate::PatternedRecurrence) -> Self {
            self.fields.recurrence = Some(recurrence);
            self
        }

        /// `allowNewTimeProposals`.
        pub fn allow_new_time_proposals(mut self, allow: bool) -> Self {
            self.fields.allow_new_time_proposals = Some(allow);
            self
        }

        /// `responseRequested`.
        pub fn response_requested(mut self, requested: bool) -> Self {
            self.fields.response_requested = Some(requested);
            self
        }

        /// `hideAttendees`.
        pub fn hide_attendees(mut self, hide: bool) -> Self {
            self.fields.hide_attendees = Some(hide);
            self
        }

        /// Any other property, written as given (e.g. an extension, or
        /// `null` to clear a property in a patch).
        pub fn property(mut self, name: impl Into<String>, value: serde_json::Value) -> Self {
            self.fields.additional.insert(name.into(), value);
            self
        }
    };
}

pub(crate) use event_setters;
