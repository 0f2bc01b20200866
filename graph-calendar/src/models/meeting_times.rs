use msgraph_core::models::Additional;
use serde::{Deserialize, Serialize};

use super::{ActivityDomain, Attendee, FreeBusyStatus, Location, TimeSlot};

/// What `findMeetingTimes` suggests
/// ([meetingTimeSuggestionsResult](https://learn.microsoft.com/graph/api/resources/meetingtimesuggestionsresult)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MeetingTimeSuggestionsResult {
    /// Suggestions, best first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting_time_suggestions: Option<Vec<MeetingTimeSuggestion>>,
    /// Why there are none (`attendeesUnavailable`, `locationsUnavailable`,
    /// `organizerUnavailable`, `unknown`); empty when there are some.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub empty_suggestions_reason: Option<String>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

/// One suggested meeting time
/// ([meetingTimeSuggestion](https://learn.microsoft.com/graph/api/resources/meetingtimesuggestion)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MeetingTimeSuggestion {
    /// The time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting_time_slot: Option<TimeSlot>,
    /// Likelihood, 0 to 100, that every attendee attends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
    /// Rank among the suggestions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<i32>,
    /// The organizer's availability.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organizer_availability: Option<FreeBusyStatus>,
    /// Each attendee's availability.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attendee_availability: Option<Vec<AttendeeAvailability>>,
    /// Suggested locations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locations: Option<Vec<Location>>,
    /// Why this time (when asked with `returnSuggestionReasons`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestion_reason: Option<String>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

/// An attendee's availability for a suggestion
/// ([attendeeAvailability](https://learn.microsoft.com/graph/api/resources/attendeeavailability)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AttendeeAvailability {
    /// Who.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attendee: Option<Attendee>,
    /// Free, busy, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability: Option<FreeBusyStatus>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

/// When a meeting may take place, for `findMeetingTimes`
/// ([timeConstraint](https://learn.microsoft.com/graph/api/resources/timeconstraint)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TimeConstraint {
    /// Work, personal or unrestricted hours (Graph's default is work).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity_domain: Option<ActivityDomain>,
    /// Windows to search in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_slots: Option<Vec<TimeSlot>>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

/// Where a meeting may take place, for `findMeetingTimes`
/// ([locationConstraint](https://learn.microsoft.com/graph/api/resources/locationconstraint)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct LocationConstraint {
    /// A location is required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_required: Option<bool>,
    /// Ask Graph to suggest locations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggest_location: Option<bool>,
    /// Candidate locations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locations: Option<Vec<LocationConstraintItem>>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

/// A candidate location
/// ([locationConstraintItem](https://learn.microsoft.com/graph/api/resources/locationconstraintitem)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct LocationConstraintItem {
    /// Check the location's (room mailbox's) free/busy too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolve_availability: Option<bool>,
    /// The location.
    #[serde(flatten)]
    pub location: Location,
}

impl LocationConstraintItem {
    /// A candidate location; `resolve_availability` checks a room's calendar.
    pub fn new(location: impl Into<Location>, resolve_availability: bool) -> Self {
        LocationConstraintItem { resolve_availability: Some(resolve_availability), location: location.into() }
    }
}
