//! Calendar through msgraph-calendar against the emulator: calendar views
//! in a requested zone, events, meeting responses, calendars, free/busy.
//! The demo anchor is Wednesday 2024-03-13 00:00 UTC; the US switched to
//! daylight time on 2024-03-10.

mod sdk_common;

use msgraph_core::WithOptions as _;
use std::collections::HashSet;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use futures::TryStreamExt;
use msgraph_calendar::{
    CalendarColor, CalendarExt, DayOfWeek, Event, EventPatch, EventType, FreeBusyStatus, NewEvent, PatternedRecurrence,
    RecurrencePattern, RecurrenceRange, ResponseType,
};
use msgraph_core::StaticTokenCredential;
use msgraph_emulator::demo;
use sdk_common::{Sdk, client_with};
use serde_json::Value;

/// The demo week, Monday to Monday, Pacific time.
fn week() -> (DateTime<FixedOffset>, DateTime<FixedOffset>) {
    let pdt = FixedOffset::west_opt(7 * 3600).unwrap();
    (pdt.with_ymd_and_hms(2024, 3, 11, 0, 0, 0).unwrap(), pdt.with_ymd_and_hms(2024, 3, 18, 0, 0, 0).unwrap())
}

fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, mo, d).unwrap().and_hms_opt(h, mi, 0).unwrap()
}

fn subject(e: &Event) -> &str {
    e.subject.as_deref().unwrap_or_default()
}

fn named<'a>(events: &'a [Event], name: &str) -> Vec<&'a Event> {
    events.iter().filter(|e| subject(e) == name).collect()
}

fn held_event(list: &[Value], subject: &str) -> Value {
    list.iter().find(|e| e["subject"] == subject).cloned().unwrap_or_else(|| panic!("{subject} held"))
}

#[tokio::test]
async fn calendar_view_in_new_york_time() {
    let s = Sdk::start().await;
    let (start, end) = week();
    s.emu.clear_requests();
    let items: Vec<Event> =
        s.client.me().calendar_view(start, end).timezone("America/New_York").stream().try_collect().await.unwrap();
    assert_eq!(items.len(), 17, "singles and expanded occurrences of the week");
    assert_eq!(named(&items, "Daily standup").len(), 5);
    assert_eq!(named(&items, "Focus time").len(), 7);

    // 09:00 Pacific daylight time is 12:00 in New York.
    for e in named(&items, "Daily standup") {
        let st = e.start.as_ref().unwrap();
        assert_eq!(st.time_zone.as_deref(), Some("America/New_York"));
        assert_eq!(st.date_time.time(), chrono::NaiveTime::from_hms_opt(12, 0, 0).unwrap());
        assert_eq!(e.event_type, Some(EventType::Occurrence));
        assert!(e.series_master_id.is_some());
    }
    let starts: Vec<NaiveDateTime> = items.iter().map(|e| e.start.as_ref().unwrap().date_time).collect();
    assert!(starts.windows(2).all(|w| w[0] <= w[1]), "sorted by start");

    // Both pages carried the window and the zone preference.
    let views: Vec<_> = s.emu.requests().into_iter().filter(|r| r.path.ends_with("/me/calendarView")).collect();
    assert_eq!(views.len(), 2, "17 events, pages of 10");
    for r in &views {
        assert_eq!(r.header("prefer"), Some("outlook.timezone=\"America/New_York\""), "{r:?}");
        let q = r.query.as_deref().unwrap_or_default();
        assert!(
            q.contains("startDateTime=2024-03-11T07%3A00%3A00Z") || q.contains("startDateTime=2024-03-11T07:00:00Z"),
            "{q}"
        );
    }

    // Without a preference, times are UTC.
    let utc = s.client.me().calendar_view(start, end).top(50).send().await.unwrap().value;
    let standup = named(&utc, "Daily standup")[0];
    assert_eq!(standup.start.as_ref().unwrap().time_zone.as_deref(), Some("UTC"));
    assert_eq!(standup.start.as_ref().unwrap().to_utc().unwrap(), Utc.with_ymd_and_hms(2024, 3, 11, 16, 0, 0).unwrap());

    // A window that ends before it starts is refused before sending.
    let err = s.client.me().calendar_view(end, start).send().await.unwrap_err();
    assert!(matches!(err, msgraph_core::Error::InvalidInput(_)), "{err:?}");
}

#[tokio::test]
async fn events_list_get_and_instances() {
    let s = Sdk::start().await;
    let events: Vec<Event> = s.client.me().events().list().stream().try_collect().await.unwrap();
    let held = s.emu.events(demo::USER_UPN).unwrap();
    assert!(events.iter().all(|e| e.event_type != Some(EventType::Occurrence)));
    let held_subjects: HashSet<&str> = held.iter().filter_map(|e| e["subject"].as_str()).collect();
    assert!(events.iter().all(|e| held_subjects.contains(subject(e))));

    let standup = named(&events, "Daily standup")[0];
    assert_eq!(standup.event_type, Some(EventType::SeriesMaster));
    assert_eq!(standup.original_start_time_zone.as_deref(), Some("Pacific Standard Time"));
    assert!(standup.recurrence.is_some());

    let id = standup.id.clone().unwrap();
    let got = s.client.me().events().get(&id).await.unwrap();
    assert_eq!(got.subject.as_deref(), Some("Daily standup"));
    assert_eq!(got.start, standup.start);

    let (start, end) = week();
    let instances = s.client.me().events().instances(&id, start, end).send().await.unwrap().value;
    assert_eq!(instances.len(), 5);
    assert!(instances.iter().all(|e| e.series_master_id.as_deref() == Some(id.as_str())));

    let online = s.client.me().events().list().filter("isOnlineMeeting eq true").send().await.unwrap().value;
    assert!(!online.is_empty());
    assert!(online.iter().all(|e| e.join_url().is_some_and(|u| u.starts_with("https://teams.microsoft.com/"))));
}

#[tokio::test]
async fn create_with_teams_update_and_delete() {
    let s = Sdk::start().await;
    let events = s.client.me().events();
    let new = NewEvent::new("Design sync")
        .local_times(at(2024, 3, 14, 14, 0), at(2024, 3, 14, 15, 0), "Pacific Standard Time")
        .text_body("Let's talk shelves.")
        .location("Room 1")
        .required_attendees([demo::SECOND_USER_UPN])
        .teams_meeting();
    let created = events.create(new).send().await.unwrap();
    let join = created.join_url().expect("a Teams join URL");
    assert!(join.starts_with("https://teams.microsoft.com/l/meetup-join/"), "{join}");
    assert_eq!(created.is_organizer, Some(true));
    assert_eq!(created.start.as_ref().unwrap().to_utc().unwrap(), Utc.with_ymd_and_hms(2024, 3, 14, 21, 0, 0).unwrap());
    let id = created.id.clone().unwrap();
    let held = held_event(&s.emu.events(demo::USER_UPN).unwrap(), "Design sync");
    assert_eq!(held["id"], id.as_str());
    assert_eq!(held["onlineMeeting"]["joinUrl"], join);
    let invite = held_event(&s.emu.events(demo::SECOND_USER_UPN).unwrap(), "Design sync");
    assert_eq!(invite["isOrganizer"], false, "Alex got the invitation");

    // Times come back in the zone asked for.
    let in_pacific = s
        .client
        .me()
        .events()
        .create(
            NewEvent::new("Zoned")
                .start(Utc.with_ymd_and_hms(2024, 3, 15, 17, 0, 0).unwrap())
                .end(Utc.with_ymd_and_hms(2024, 3, 15, 18, 0, 0).unwrap()),
        )
        .timezone("Pacific Standard Time")
        .send()
        .await
        .unwrap();
    assert_eq!(in_pacific.start.unwrap().date_time, at(2024, 3, 15, 10, 0));

    let moved = events
        .update(
            &id,
            EventPatch::new().subject("Design sync (moved)").local_times(
                at(2024, 3, 14, 16, 0),
                at(2024, 3, 14, 17, 0),
                "Pacific Standard Time",
            ),
        )
        .timezone("Pacific Standard Time")
        .send()
        .await
        .unwrap();
    assert_eq!(moved.subject.as_deref(), Some("Design sync (moved)"));
    assert_eq!(moved.start.as_ref().unwrap().date_time, at(2024, 3, 14, 16, 0));
    assert_eq!(moved.start.as_ref().unwrap().time_zone.as_deref(), Some("Pacific Standard Time"));
    assert_ne!(moved.change_key, created.change_key);
    let held = held_event(&s.emu.events(demo::USER_UPN).unwrap(), "Design sync (moved)");
    assert_eq!(held["start"]["dateTime"], "2024-03-14T23:00:00.0000000");

    events.delete(&id).send().await.unwrap();
    assert!(s.emu.events(demo::USER_UPN).unwrap().iter().all(|e| e["id"] != id.as_str()));
    assert!(events.get(&id).await.unwrap_err().is_not_found());

    // A recurring series, across London's switch to summer time.
    let day = NaiveDate::from_ymd_opt(2024, 3, 18).unwrap();
    events
        .create(
            NewEvent::new("Gym").local_times(at(2024, 3, 18, 7, 0), at(2024, 3, 18, 8, 0), "Europe/London").recurrence(
                PatternedRecurrence::new(
                    RecurrencePattern::weekly(1, [DayOfWeek::Monday, DayOfWeek::Thursday]),
                    RecurrenceRange::numbered(day, 6),
                ),
            ),
        )
        .send()
        .await
        .unwrap();
    let from = Utc.with_ymd_and_hms(2024, 3, 1, 0, 0, 0).unwrap();
    let to = Utc.with_ymd_and_hms(2024, 5, 1, 0, 0, 0).unwrap();
    let gym: Vec<Event> =
        s.client.me().calendar_view(from, to).filter("subject eq 'Gym'").stream().try_collect().await.unwrap();
    let utc_hours: Vec<u32> = gym
        .iter()
        .map(|e| e.start.as_ref().unwrap().to_utc().unwrap().format("%H").to_string().parse().unwrap())
        .collect();
    assert_eq!(utc_hours, [7, 7, 7, 7, 6, 6]);
}

#[tokio::test]
async fn accept_and_decline_reach_the_organizer() {
    let s = Sdk::start().await;
    // Adele invites Alex; Alex (signed in himself) accepts.
    let created = s
        .client
        .me()
        .events()
        .create(
            NewEvent::new("Budget walkthrough")
                .start(Utc.with_ymd_and_hms(2024, 3, 15, 17, 0, 0).unwrap())
                .end(Utc.with_ymd_and_hms(2024, 3, 15, 18, 0, 0).unwrap())
                .required_attendees([demo::SECOND_USER_UPN]),
        )
        .send()
        .await
        .unwrap();
    let alex = client_with(&s.emu, StaticTokenCredential::new(s.emu.issue_token(demo::SECOND_USER_UPN).unwrap()));
    let invites = alex.me().events().list().filter("subject eq 'Budget walkthrough'").send().await.unwrap().value;
    assert_eq!(invites.len(), 1);
    assert_eq!(invites[0].response_status.as_ref().unwrap().response, Some(ResponseType::NotResponded));
    alex.me().events().accept(invites[0].id.clone().unwrap()).comment("See you there").send().await.unwrap();
    let mine = s.client.me().events().get(created.id.clone().unwrap()).await.unwrap();
    let attendee = &mine.attendees.unwrap()[0];
    assert_eq!(attendee.address(), Some(demo::SECOND_USER_UPN));
    assert_eq!(attendee.response(), Some(&ResponseType::Accepted));

    // The organizer cannot accept their own meeting.
    let err = s.client.me().events().accept(created.id.clone().unwrap()).send().await.unwrap_err();
    assert_eq!((err.status(), err.code()), (Some(400), Some("ErrorInvalidRequest")));

    // Megan's review: tentative, then declined; Megan's copy shows it.
    let (start, end) = week();
    let view = s.client.me().calendar_view(start, end).top(50).send().await.unwrap().value;
    let review = named(&view, "Contoso launch review")[0];
    assert_eq!(review.is_organizer, Some(false));
    let rid = review.id.clone().unwrap();
    s.client.me().events().tentatively_accept(&rid).comment("Maybe").send().await.unwrap();
    let got = s.client.me().events().get(&rid).await.unwrap();
    assert_eq!(got.response_status.unwrap().response, Some(ResponseType::TentativelyAccepted));
    s.client.me().events().decline(&rid).comment("Sorry").send_response(true).send().await.unwrap();
    let megan = held_event(&s.emu.events(demo::THIRD_USER_UPN).unwrap(), "Contoso launch review");
    let me =
        megan["attendees"].as_array().unwrap().iter().find(|a| a["emailAddress"]["address"] == demo::USER_UPN).unwrap();
    assert_eq!(me["status"]["response"], "declined");
}

#[tokio::test]
async fn calendars_list_create_and_use() {
    let s = Sdk::start().await;
    let cals = s.client.me().calendars();
    let list = cals.list().send().await.unwrap().value;
    let names: Vec<&str> = list.iter().filter_map(|c| c.name.as_deref()).collect();
    assert_eq!(names, ["Calendar", "Project Contoso"]);
    let default = cals.default_calendar().await.unwrap();
    assert_eq!(default.is_default_calendar, Some(true));
    assert_eq!(default.owner.unwrap().address.as_deref(), Some(demo::USER_UPN));

    // The project calendar's all-day milestone.
    let project = list[1].id.clone().unwrap();
    let from = Utc.with_ymd_and_hms(2024, 3, 20, 0, 0, 0).unwrap();
    let to = Utc.with_ymd_and_hms(2024, 4, 1, 0, 0, 0).unwrap();
    let milestones = cals.calendar_view(&project, from, to).send().await.unwrap().value;
    assert_eq!(milestones.len(), 1);
    assert_eq!(milestones[0].is_all_day, Some(true));

    let made = cals.create("Side project").color(CalendarColor::LightBlue).send().await.unwrap();
    assert_eq!(made.color, Some(CalendarColor::LightBlue));
    let cid = made.id.clone().unwrap();
    assert_eq!(cals.list().send().await.unwrap().value.len(), 3);
    let ev = cals
        .events(&cid)
        .create(
            NewEvent::new("Hack night")
                .start(Utc.with_ymd_and_hms(2024, 3, 20, 18, 0, 0).unwrap())
                .end(Utc.with_ymd_and_hms(2024, 3, 20, 21, 0, 0).unwrap()),
        )
        .send()
        .await
        .unwrap();
    let in_cal = cals.events(&cid).list().send().await.unwrap().value;
    assert_eq!(in_cal.iter().map(|e| e.id.clone()).collect::<Vec<_>>(), [ev.id]);
    let dup = cals.create("side project").send().await.unwrap_err();
    assert_eq!((dup.status(), dup.code()), (Some(409), Some("ErrorFolderExists")));
}

#[tokio::test]
async fn get_schedule_gives_free_busy() {
    let s = Sdk::start().await;
    let zone = "Pacific Standard Time";
    let info = s
        .client
        .me()
        .get_schedule(
            [demo::USER_UPN, demo::THIRD_USER_UPN, "nobody@fabrikam.com"],
            (at(2024, 3, 14, 8, 0), zone),
            (at(2024, 3, 14, 18, 0), zone),
        )
        .availability_view_interval(60)
        .timezone(zone)
        .send()
        .await
        .unwrap();
    assert_eq!(info.len(), 3);
    assert_eq!(info[0].schedule_id.as_deref(), Some(demo::USER_UPN));
    // 08-09 free, 09 standup, 12 lunch, 13 focus time.
    assert_eq!(info[0].availability_view.as_deref(), Some("0200220000"));
    assert_eq!(info[0].availability()[1], FreeBusyStatus::Busy);
    let items = info[0].schedule_items.as_ref().unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(items[0].start.as_ref().unwrap().date_time, at(2024, 3, 14, 9, 0));
    assert_eq!(items[0].start.as_ref().unwrap().time_zone.as_deref(), Some(zone));
    assert_eq!(items[0].status, Some(FreeBusyStatus::Busy));
    assert_eq!(info[1].availability_view.as_deref(), Some("0000000000"));
    assert_eq!(info[2].error.as_ref().unwrap().response_code.as_deref(), Some("ErrorMailRecipientNotFound"));
}
