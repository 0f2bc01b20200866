//! Events: list, get, create, update, delete, instances.

mod common;

use chrono::{NaiveDate, TimeZone, Utc};
use common::{body, header, json, only_request, query};
use msgraph_calendar::{
    Attendee, AttendeeType, CalendarExt, DayOfWeek, EventPatch, FreeBusyStatus, Location, NewEvent,
    OnlineMeetingProviderType, PatternedRecurrence, PhysicalAddress, RecurrencePattern, RecurrenceRange, ResponseType,
    Sensitivity, WeekIndex,
};
use msgraph_core::WithOptions as _;
use msgraph_core::models::{BodyType, Importance};
use msgraph_core::test_util::MockGraph;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

const LIST_EVENTS: &str = include_str!("../../testdata/graph-samples/calendar/user-list-events.json");
const EVENT_GET: &str = include_str!("../../testdata/graph-samples/calendar/event-get.json");
const EVENT_UPDATE_RESPONSE: &str = include_str!("../../testdata/graph-samples/calendar/event-update.json");
const EVENT_UPDATE_REQUEST: &str = include_str!("../../testdata/graph-samples/calendar/event-update.request.json");
const EVENT_ID: &str = "AAMkAGVmMDEzMTM4LTZmYWUtNDdkNC1hMDZiLTU1OGY5OTZhYmY4OABGAAAAAAAiQ8W967B7TKBjgx9rVEURBwAiIsqMbYjsT5e-T7KzowPTAAAAAAENAAAiIsqMbYjsT5e-T7KzowPTAAAa_WKzAAA=";

/// The update sample with its PLACEHOLDER timestamp made real.
fn update_response() -> String {
    EVENT_UPDATE_RESPONSE.replace("\"datetime-value\"", "\"2026-03-10T12:00:00Z\"")
}

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 10).unwrap()
}

#[tokio::test]
async fn list_events_with_select_and_timezone() {
    let graph = MockGraph::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/events"))
        .respond_with(json(LIST_EVENTS))
        .expect(1)
        .mount(&graph.server)
        .await;
    let page = graph
        .client()
        .me()
        .events()
        .list()
        .select(["subject", "body", "bodyPreview", "organizer", "attendees", "start", "end", "location"])
        .timezone("Pacific Standard Time")
        .send()
        .await
        .unwrap();

    let req = only_request(&graph).await;
    assert_eq!(
        query(&req),
        [("$select".to_owned(), "subject,body,bodyPreview,organizer,attendees,start,end,location".to_owned())]
    );
    assert_eq!(header(&req, "prefer"), Some("outlook.timezone=\"Pacific Standard Time\""));

    let e = &page.value[0];
    assert_eq!(e.id.as_deref(), Some("AAMkAGIAAAoZDOFAAA="));
    assert_eq!(e.body.as_ref().unwrap().content_type, BodyType::Html);
    assert_eq!(e.location.as_ref().unwrap().display_name.as_deref(), Some("Assembly Hall"));
    assert_eq!(e.organizer.as_ref().unwrap().address(), Some("samanthab@a830edad905084922E17020313.onmicrosoft.com"));
    let a = &e.attendees.as_ref().unwrap()[1];
    assert_eq!(a.attendee_type, Some(AttendeeType::Required));
    assert_eq!(a.response(), Some(&ResponseType::None));
    assert_eq!(a.address(), Some("danas@a830edad905084922E17020313.onmicrosoft.com"));
}

#[tokio::test]
async fn list_events_of_a_calendar_by_id() {
    let graph = MockGraph::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users/adelev@contoso.com/calendars/AAMkAGI2TGuLAAA=/events"))
        .respond_with(json(LIST_EVENTS))
        .expect(1)
        .mount(&graph.server)
        .await;
    let page =
        graph.client().user("adelev@contoso.com").calendars().events("AAMkAGI2TGuLAAA=").list().send().await.unwrap();
    assert_eq!(page.value.len(), 1);
}

#[tokio::test]
async fn get_event_by_id() {
    let graph = MockGraph::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v1.0/me/events/{EVENT_ID}")))
        .respond_with(json(EVENT_GET))
        .expect(1)
        .mount(&graph.server)
        .await;
    let e = graph.client().me().events().get(EVENT_ID).timezone("Pacific Standard Time").await.unwrap();
    let req = only_request(&graph).await;
    assert_eq!(header(&req, "prefer"), Some("outlook.timezone=\"Pacific Standard Time\""));
    assert_eq!(e.id.as_deref(), Some(EVENT_ID));
    assert_eq!(e.subject.as_deref(), Some("New Product Regulations Touchpoint"));
    assert_eq!(e.hide_attendees, Some(false));
    assert_eq!(e.end.unwrap().to_utc().unwrap(), Utc.with_ymd_and_hms(2014, 11, 3, 17, 30, 0).unwrap());
    assert_eq!(e.location.unwrap().unique_id_type, Some(msgraph_calendar::LocationUniqueIdType::Private));
}

#[tokio::test]
async fn create_teams_meeting_with_everything() {
    let graph = MockGraph::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/me/events"))
        .respond_with(ResponseTemplate::new(201).set_body_string(update_response()))
        .expect(1)
        .mount(&graph.server)
        .await;
    let new = NewEvent::new("Team Sync")
        .local_times(day().and_hms_opt(14, 0, 0).unwrap(), day().and_hms_opt(15, 0, 0).unwrap(), "America/New_York")
        .html_body("<p>Weekly sync</p>")
        .location(Location::new("Harry's Bar").with_address(PhysicalAddress::new(
            "900 Broadway",
            "Seattle",
            "WA",
            "98122",
            "United States",
        )))
        .required_attendees(["adelev@contoso.com"])
        .optional_attendees(["meganb@contoso.com"])
        .resources(["room1@contoso.com"])
        .teams_meeting()
        .reminder_minutes(15)
        .show_as(FreeBusyStatus::Tentative)
        .sensitivity(Sensitivity::Private)
        .importance(Importance::High)
        .categories(["Red category"])
        .allow_new_time_proposals(false)
        .transaction_id("7E163156-7762-4BEB-A1C6-729EA81755A7");
    let created = graph.client().me().events().create(new).timezone("America/New_York").send().await.unwrap();

    let req = only_request(&graph).await;
    assert_eq!(header(&req, "prefer"), Some("outlook.timezone=\"America/New_York\""));
    assert_eq!(header(&req, "content-type"), Some("application/json"));
    assert_eq!(
        body(&req),
        json!({
            "subject": "Team Sync",
            "body": {"contentType": "html", "content": "<p>Weekly sync</p>"},
            "start": {"dateTime": "2026-03-10T14:00:00.0000000", "timeZone": "America/New_York"},
            "end": {"dateTime": "2026-03-10T15:00:00.0000000", "timeZone": "America/New_York"},
            "location": {
                "displayName": "Harry's Bar",
                "address": {"street": "900 Broadway", "city": "Seattle", "state": "WA",
                            "countryOrRegion": "United States", "postalCode": "98122"}
            },
            "attendees": [
                {"type": "required", "emailAddress": {"address": "adelev@contoso.com"}},
                {"type": "optional", "emailAddress": {"address": "meganb@contoso.com"}},
                {"type": "resource", "emailAddress": {"address": "room1@contoso.com"}}
            ],
            "isOnlineMeeting": true,
            "onlineMeetingProvider": "teamsForBusiness",
            "isReminderOn": true,
            "reminderMinutesBeforeStart": 15,
            "showAs": "tentative",
            "sensitivity": "private",
            "importance": "high",
            "categories": ["Red category"],
            "allowNewTimeProposals": false,
            "transactionId": "7E163156-7762-4BEB-A1C6-729EA81755A7"
        })
    );
    assert_eq!(created.online_meeting_provider, Some(OnlineMeetingProviderType::TeamsForBusiness));
    assert!(created.join_url().unwrap().starts_with("https://teams.microsoft.com/l/meetup-join/"));
    assert_eq!(created.online_meeting.unwrap().conference_id.as_deref(), Some("177513992"));
}

#[tokio::test]
async fn create_all_day_recurring_event_in_a_calendar() {
    let graph = MockGraph::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/me/calendars/AAMkAGI2TGuLAAA=/events"))
        .respond_with(ResponseTemplate::new(201).set_body_string(EVENT_GET))
        .expect(1)
        .mount(&graph.server)
        .await;
    let new = NewEvent::new("Offsite")
        .all_day(day(), day().succ_opt().unwrap(), "Pacific Standard Time")
        .no_reminder()
        .recurrence(PatternedRecurrence::new(
            RecurrencePattern::relative_monthly(1, WeekIndex::Second, [DayOfWeek::Tuesday]),
            RecurrenceRange::end_date(day(), NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()),
        ));
    let created = graph.client().me().calendars().events("AAMkAGI2TGuLAAA=").create(new).send().await.unwrap();
    assert_eq!(created.subject.as_deref(), Some("New Product Regulations Touchpoint"));

    let req = only_request(&graph).await;
    assert_eq!(header(&req, "prefer"), None);
    assert_eq!(
        body(&req),
        json!({
            "subject": "Offsite",
            "isAllDay": true,
            "start": {"dateTime": "2026-03-10T00:00:00.0000000", "timeZone": "Pacific Standard Time"},
            "end": {"dateTime": "2026-03-11T00:00:00.0000000", "timeZone": "Pacific Standard Time"},
            "isReminderOn": false,
            "recurrence": {
                "pattern": {"type": "relativeMonthly", "interval": 1, "index": "second", "daysOfWeek": ["tuesday"]},
                "range": {"type": "endDate", "startDate": "2026-03-10", "endDate": "2026-12-31"}
            }
        })
    );
}

#[tokio::test]
async fn create_with_utc_instants_and_every_recurrence_kind() {
    let start = Utc.with_ymd_and_hms(2026, 3, 10, 18, 0, 0).unwrap();
    let kinds = [
        (RecurrencePattern::daily(2), json!({"type": "daily", "interval": 2})),
        (
            RecurrencePattern::weekly(1, [DayOfWeek::Monday, DayOfWeek::Thursday]),
            json!({"type": "weekly", "interval": 1, "daysOfWeek": ["monday", "thursday"], "firstDayOfWeek": "sunday"}),
        ),
        (
            RecurrencePattern::absolute_monthly(1, 10),
            json!({"type": "absoluteMonthly", "interval": 1, "dayOfMonth": 10}),
        ),
        (
            RecurrencePattern::absolute_yearly(1, 3, 10),
            json!({"type": "absoluteYearly", "interval": 1, "month": 3, "dayOfMonth": 10}),
        ),
        (
            RecurrencePattern::relative_yearly(1, 3, WeekIndex::Second, [DayOfWeek::Tuesday]),
            json!({"type": "relativeYearly", "interval": 1, "month": 3, "index": "second", "daysOfWeek": ["tuesday"]}),
        ),
    ];
    for (pattern, want) in kinds {
        let graph = MockGraph::start().await;
        Mock::given(method("POST"))
            .and(path("/v1.0/me/events"))
            .respond_with(ResponseTemplate::new(201).set_body_string(EVENT_GET))
            .expect(1)
            .mount(&graph.server)
            .await;
        let new = NewEvent::new("Standup")
            .start(start)
            .end(start + chrono::TimeDelta::minutes(15))
            .recurrence(PatternedRecurrence::new(pattern, RecurrenceRange::numbered(day(), 5)));
        graph.client().me().events().create(new).send().await.unwrap();
        let b = body(&only_request(&graph).await);
        assert_eq!(b["start"], json!({"dateTime": "2026-03-10T18:00:00.0000000", "timeZone": "UTC"}));
        assert_eq!(b["end"], json!({"dateTime": "2026-03-10T18:15:00.0000000", "timeZone": "UTC"}));
        assert_eq!(b["recurrence"]["pattern"], want);
        assert_eq!(
            b["recurrence"]["range"],
            json!({"type": "numbered", "startDate": "2026-03-10", "numberOfOccurrences": 5})
        );
    }
}

#[tokio::test]
async fn update_patches_only_given_fields() {
    let graph = MockGraph::start().await;
    Mock::given(method("PATCH"))
        .and(path("/v1.0/me/events/AAMkAGI1AAAt9AHjAAA="))
        .respond_with(json(update_response()))
        .expect(1)
        .mount(&graph.server)
        .await;
    // The documented request, minus its PLACEHOLDER and read-only properties
    // (originalStartTimeZone, originalEndTimeZone, responseStatus).
    let patch = EventPatch::new()
        .property("recurrence", Value::Null)
        .reminder_minutes(99)
        .teams_meeting()
        .hide_attendees(false)
        .categories(["Red category"]);
    let updated = graph.client().me().events().update("AAMkAGI1AAAt9AHjAAA=", patch).send().await.unwrap();

    let mut expected: Value = serde_json::from_str(EVENT_UPDATE_REQUEST).unwrap();
    for k in ["originalStartTimeZone", "originalEndTimeZone", "responseStatus"] {
        expected.as_object_mut().unwrap().remove(k);
    }
    assert_eq!(body(&only_request(&graph).await), expected);

    assert_eq!(updated.reminder_minutes_before_start, Some(99));
    assert_eq!(updated.is_online_meeting, Some(true));
    assert_eq!(updated.response_status.unwrap().response, Some(ResponseType::Unknown(String::new())));
    assert_eq!(updated.online_meeting.unwrap().toll_number.as_deref(), Some("+91 22 6241 6885"));
    assert_eq!(updated.original_start_time_zone.as_deref(), Some("originalStartTimeZone-value"));
}

#[tokio::test]
async fn update_subject_and_times_sends_just_those() {
    let graph = MockGraph::start().await;
    Mock::given(method("PATCH"))
        .and(path("/v1.0/users/adelev@contoso.com/events/AAMkAGI1AAAt9AHjAAA="))
        .respond_with(json(EVENT_GET))
        .expect(1)
        .mount(&graph.server)
        .await;
    let patch = EventPatch::new()
        .subject("Moved")
        .start((day().and_hms_opt(9, 0, 0).unwrap(), "Europe/Paris"))
        .end((day().and_hms_opt(9, 30, 0).unwrap(), "Europe/Paris"));
    graph
        .client()
        .user("adelev@contoso.com")
        .events()
        .update("AAMkAGI1AAAt9AHjAAA=", patch)
        .timezone("Europe/Paris")
        .send()
        .await
        .unwrap();
    let req = only_request(&graph).await;
    assert_eq!(header(&req, "prefer"), Some("outlook.timezone=\"Europe/Paris\""));
    assert_eq!(
        body(&req),
        json!({
            "subject": "Moved",
            "start": {"dateTime": "2026-03-10T09:00:00.0000000", "timeZone": "Europe/Paris"},
            "end": {"dateTime": "2026-03-10T09:30:00.0000000", "timeZone": "Europe/Paris"}
        })
    );
}

#[tokio::test]
async fn delete_event() {
    let graph = MockGraph::start().await;
    Mock::given(method("DELETE"))
        .and(path("/v1.0/me/events/AAMkAGI1AAAt9AHjAAA="))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&graph.server)
        .await;
    graph.client().me().events().delete("AAMkAGI1AAAt9AHjAAA=").send().await.unwrap();
    assert!(only_request(&graph).await.body.is_empty());
}

#[tokio::test]
async fn delete_missing_event_is_not_found() {
    let graph = MockGraph::start().await;
    Mock::given(method("DELETE"))
        .and(path("/v1.0/me/events/gone"))
        .respond_with(ResponseTemplate::new(404).set_body_string(
            r#"{"error":{"code":"ErrorItemNotFound","message":"The specified object was not found in the store."}}"#,
        ))
        .expect(1)
        .mount(&graph.server)
        .await;
    // builders can be awaited directly, like mail's
    let err = graph.client().me().events().delete("gone").await.unwrap_err();
    assert!(err.is_not_found());
    assert_eq!(err.code(), Some("ErrorItemNotFound"));
}

#[tokio::test]
async fn instances_of_a_series_in_a_window() {
    let graph = MockGraph::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/events/AAMkAGI1AAAt9AHjAAA=/instances"))
        .respond_with(json(LIST_EVENTS))
        .expect(1)
        .mount(&graph.server)
        .await;
    let start = chrono::FixedOffset::east_opt(3600).unwrap().with_ymd_and_hms(2026, 3, 1, 1, 0, 0).unwrap();
    let end = Utc.with_ymd_and_hms(2026, 4, 1, 0, 0, 0).unwrap();
    let page = graph
        .client()
        .me()
        .events()
        .instances("AAMkAGI1AAAt9AHjAAA=", start, end)
        .select(["subject", "start", "end"])
        .send()
        .await
        .unwrap();
    assert_eq!(page.value[0].subject.as_deref(), Some("Orientation "));
    let req = only_request(&graph).await;
    assert_eq!(
        query(&req),
        [
            ("startDateTime".to_owned(), "2026-03-01T00:00:00Z".to_owned()),
            ("endDateTime".to_owned(), "2026-04-01T00:00:00Z".to_owned()),
            ("$select".to_owned(), "subject,start,end".to_owned()),
        ]
    );
}

#[test]
fn attendee_constructors() {
    let a = Attendee::optional(msgraph_core::models::Recipient::with_name("Ada", "ada@contoso.com"));
    assert_eq!(
        serde_json::to_value(&a).unwrap(),
        json!({"type": "optional", "emailAddress": {"name": "Ada", "address": "ada@contoso.com"}})
    );
}
