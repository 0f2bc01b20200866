//! Free/busy (`getSchedule`) and `findMeetingTimes`.

mod common;

use chrono::{NaiveDate, TimeDelta};
use common::{body, header, json, normalize_times, only_request};
use msgraph_calendar::{
    ActivityDomain, CalendarExt, DayOfWeek, FreeBusyStatus, LocationConstraint, LocationConstraintItem,
};
use msgraph_core::WithOptions as _;
use msgraph_core::test_util::MockGraph;
use serde_json::{Value, json};
use wiremock::Mock;
use wiremock::matchers::{method, path};

const SCHEDULE_REQUEST: &str = include_str!("../../testdata/graph-samples/calendar/calendar-getschedule.request.json");
const SCHEDULE_RESPONSE: &str = include_str!("../../testdata/graph-samples/calendar/calendar-getschedule.json");

/// The response of the findMeetingTimes example in Graph's docs
/// (api-reference/v1.0/api/user-findmeetingtimes.md; no sample file holds it),
/// first two suggestions.
const FIND_MEETING_TIMES_RESPONSE: &str = r#"{
    "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.meetingTimeSuggestionsResult",
    "emptySuggestionsReason": "",
    "meetingTimeSuggestions": [
        {
            "confidence": 100,
            "order": 1,
            "organizerAvailability": "free",
            "suggestionReason": "Suggested because it is one of the nearest times when all attendees are available.",
            "attendeeAvailability": [
                {"availability": "free", "attendee": {"emailAddress": {"address": "alexw@contoso.onmicrosoft.com"}}}
            ],
            "locations": [{"displayName": "Conf room Hood"}],
            "meetingTimeSlot": {
                "start": {"dateTime": "2019-04-18T16:00:00.0000000", "timeZone": "Pacific Standard Time"},
                "end": {"dateTime": "2019-04-18T17:00:00.0000000", "timeZone": "Pacific Standard Time"}
            }
        },
        {
            "confidence": 100,
            "order": 2,
            "organizerAvailability": "tentative",
            "suggestionReason": "Suggested because it is one of the nearest times when all attendees are available.",
            "attendeeAvailability": [
                {"availability": "free", "attendee": {"emailAddress": {"address": "alexw@contoso.onmicrosoft.com"}}}
            ],
            "locations": [{"displayName": "Conf room Hood"}],
            "meetingTimeSlot": {
                "start": {"dateTime": "2019-04-18T08:00:00.0000000", "timeZone": "Pacific Standard Time"},
                "end": {"dateTime": "2019-04-18T09:00:00.0000000", "timeZone": "Pacific Standard Time"}
            }
        }
    ]
}"#;

const PST: &str = "Pacific Standard Time";

#[tokio::test]
async fn get_schedule_sends_the_documented_body() {
    let graph = MockGraph::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/me/calendar/getSchedule"))
        .respond_with(json(SCHEDULE_RESPONSE))
        .expect(1)
        .mount(&graph.server)
        .await;
    let day = NaiveDate::from_ymd_opt(2019, 3, 15).unwrap();
    let schedules = graph
        .client()
        .me()
        .get_schedule(
            ["adelev@contoso.onmicrosoft.com", "meganb@contoso.onmicrosoft.com"],
            (day.and_hms_opt(9, 0, 0).unwrap(), PST),
            (day.and_hms_opt(18, 0, 0).unwrap(), PST),
        )
        .availability_view_interval(60)
        .timezone(PST)
        .send()
        .await
        .unwrap();

    let req = only_request(&graph).await;
    assert_eq!(header(&req, "prefer"), Some("outlook.timezone=\"Pacific Standard Time\""));
    let expected = normalize_times(serde_json::from_str::<Value>(SCHEDULE_REQUEST).unwrap());
    assert_eq!(body(&req), expected);

    assert_eq!(schedules.len(), 2);
    let adele = &schedules[0];
    assert_eq!(adele.schedule_id.as_deref(), Some("adelev@contoso.onmicrosoft.com"));
    assert_eq!(adele.availability_view.as_deref(), Some("000220000"));
    assert_eq!(adele.availability()[3], FreeBusyStatus::Busy);
    let item = &adele.schedule_items.as_ref().unwrap()[0];
    assert_eq!(item.subject.as_deref(), Some("Let's go for lunch"));
    assert_eq!(item.location.as_deref(), Some("Harry's Bar"));
    assert_eq!(item.is_private, Some(false));
    let hours = adele.working_hours.as_ref().unwrap();
    assert_eq!(hours.days_of_week.as_ref().unwrap()[0], DayOfWeek::Monday);
    assert_eq!(hours.start_time.unwrap().time().to_string(), "08:00:00");
    assert_eq!(hours.time_zone.as_ref().unwrap().name.as_deref(), Some(PST));

    let megan = &schedules[1];
    assert_eq!(megan.schedule_items.as_ref().unwrap()[2].status, Some(FreeBusyStatus::Tentative));
    let tz = megan.working_hours.as_ref().unwrap().time_zone.as_ref().unwrap();
    assert!(tz.is_custom());
    assert_eq!(tz.bias, Some(480));
    assert_eq!(tz.daylight_offset.as_ref().unwrap().daylight_bias, Some(-60));
    assert_eq!(tz.standard_offset.as_ref().unwrap().month, Some(11));
}

#[tokio::test]
async fn get_schedule_for_another_user_with_defaults() {
    let graph = MockGraph::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/users/adelev@contoso.com/calendar/getSchedule"))
        .respond_with(json(SCHEDULE_RESPONSE))
        .expect(1)
        .mount(&graph.server)
        .await;
    let start = chrono::Utc::now();
    graph
        .client()
        .user("adelev@contoso.com")
        .get_schedule(["room1@contoso.com"], start, start + TimeDelta::hours(8))
        .send()
        .await
        .unwrap();
    let req = only_request(&graph).await;
    assert_eq!(header(&req, "prefer"), None);
    let b = body(&req);
    assert_eq!(b["schedules"], json!(["room1@contoso.com"]));
    assert_eq!(b["startTime"]["timeZone"], "UTC");
    assert!(b.get("availabilityViewInterval").is_none());
}

#[tokio::test]
async fn find_meeting_times_with_constraints() {
    let graph = MockGraph::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/me/findMeetingTimes"))
        .respond_with(json(FIND_MEETING_TIMES_RESPONSE))
        .expect(1)
        .mount(&graph.server)
        .await;
    let (d1, d2) = (NaiveDate::from_ymd_opt(2019, 4, 16).unwrap(), NaiveDate::from_ymd_opt(2019, 4, 18).unwrap());
    let mut constraint = LocationConstraint::default();
    constraint.is_required = Some(false);
    constraint.suggest_location = Some(false);
    constraint.locations = Some(vec![LocationConstraintItem::new("Conf room Hood", false)]);
    let result = graph
        .client()
        .me()
        .find_meeting_times()
        .attendee(msgraph_calendar::Attendee::required(msgraph_core::models::Recipient::with_name(
            "Alex Wilbur",
            "alexw@contoso.onmicrosoft.com",
        )))
        .location_constraint(constraint)
        .activity_domain(ActivityDomain::Work)
        .time_slot((d1.and_hms_opt(9, 0, 0).unwrap(), PST), (d2.and_hms_opt(17, 0, 0).unwrap(), PST))
        .organizer_optional(false)
        .duration(TimeDelta::hours(1))
        .return_suggestion_reasons(true)
        .minimum_attendee_percentage(100.0)
        .max_candidates(5)
        .timezone(PST)
        .send()
        .await
        .unwrap();

    let req = only_request(&graph).await;
    assert_eq!(header(&req, "prefer"), Some("outlook.timezone=\"Pacific Standard Time\""));
    // The documented request (user-findmeetingtimes.md), with its booleans
    // and numbers as JSON booleans and numbers instead of the doc's strings.
    assert_eq!(
        body(&req),
        json!({
            "attendees": [{"type": "required", "emailAddress": {"name": "Alex Wilbur", "address": "alexw@contoso.onmicrosoft.com"}}],
            "locationConstraint": {
                "isRequired": false,
                "suggestLocation": false,
                "locations": [{"resolveAvailability": false, "displayName": "Conf room Hood"}]
            },
            "timeConstraint": {
                "activityDomain": "work",
                "timeSlots": [{
                    "start": {"dateTime": "2019-04-16T09:00:00.0000000", "timeZone": PST},
                    "end": {"dateTime": "2019-04-18T17:00:00.0000000", "timeZone": PST}
                }]
            },
            "isOrganizerOptional": false,
            "meetingDuration": "PT1H",
            "returnSuggestionReasons": true,
            "minimumAttendeePercentage": 100.0,
            "maxCandidates": 5
        })
    );

    assert_eq!(result.empty_suggestions_reason.as_deref(), Some(""));
    let suggestions = result.meeting_time_suggestions.unwrap();
    assert_eq!(suggestions.len(), 2);
    assert_eq!(suggestions[0].confidence, Some(100.0));
    assert_eq!(suggestions[1].organizer_availability, Some(FreeBusyStatus::Tentative));
    let slot = suggestions[0].meeting_time_slot.as_ref().unwrap();
    assert_eq!(slot.start.as_ref().unwrap().date_time.to_string(), "2019-04-18 16:00:00");
    let who = &suggestions[0].attendee_availability.as_ref().unwrap()[0];
    assert_eq!(who.availability, Some(FreeBusyStatus::Free));
    assert_eq!(who.attendee.as_ref().unwrap().address(), Some("alexw@contoso.onmicrosoft.com"));
    assert_eq!(suggestions[0].locations.as_ref().unwrap()[0].display_name.as_deref(), Some("Conf room Hood"));
}

#[tokio::test]
async fn find_meeting_times_for_a_user_with_people_and_rooms() {
    let graph = MockGraph::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/users/alexw@contoso.com/findMeetingTimes"))
        .respond_with(json(r#"{"emptySuggestionsReason":"attendeesUnavailable","meetingTimeSuggestions":[]}"#))
        .expect(1)
        .mount(&graph.server)
        .await;
    let r = graph
        .client()
        .user("alexw@contoso.com")
        .find_meeting_times()
        .attendees(["a@contoso.com"])
        .resources(["room@contoso.com"])
        .duration(TimeDelta::minutes(90))
        .send()
        .await
        .unwrap();
    assert_eq!(r.empty_suggestions_reason.as_deref(), Some("attendeesUnavailable"));
    assert_eq!(
        body(&only_request(&graph).await),
        json!({
            "attendees": [
                {"type": "required", "emailAddress": {"address": "a@contoso.com"}},
                {"type": "resource", "emailAddress": {"address": "room@contoso.com"}}
            ],
            "meetingDuration": "PT1H30M"
        })
    );
}

#[tokio::test]
async fn find_meeting_times_with_nothing_set_sends_an_empty_object() {
    let graph = MockGraph::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/me/findMeetingTimes"))
        .respond_with(json(FIND_MEETING_TIMES_RESPONSE))
        .expect(1)
        .mount(&graph.server)
        .await;
    graph.client().me().find_meeting_times().send().await.unwrap();
    let req = only_request(&graph).await;
    assert_eq!(body(&req), json!({}));
    assert_eq!(header(&req, "prefer"), None);
}

#[test]
fn find_meeting_times_doc_response_round_trips() {
    let v: Value = serde_json::from_str(FIND_MEETING_TIMES_RESPONSE).unwrap();
    let r: msgraph_calendar::MeetingTimeSuggestionsResult = serde_json::from_value(v.clone()).unwrap();
    let back = serde_json::to_value(&r).unwrap();
    // `confidence` is a double: Graph's `100` comes back as `100.0`.
    assert_eq!(back["meetingTimeSuggestions"][0]["confidence"], json!(100.0));
    let mut v = v;
    for s in v["meetingTimeSuggestions"].as_array_mut().unwrap() {
        s["confidence"] = json!(100.0);
    }
    assert_eq!(back, v);
}
