//! Calendars and events over plain HTTP. The demo anchor is Wednesday
//! 2024-03-13 00:00 UTC; the US switched to daylight time on 2024-03-10.

mod common;

use common::{T, assert_graph_error, seg};
use msgraph_emulator::demo;
use reqwest::Method;
use serde_json::{Value, json};

const WEEK: &str = "startDateTime=2024-03-11T00:00:00-07:00&endDateTime=2024-03-18T00:00:00-07:00";

fn count(items: &[Value], subject: &str) -> usize {
    items.iter().filter(|e| e["subject"] == subject).count()
}

#[tokio::test]
async fn calendar_view_expands_recurrences_in_the_window() {
    let t = T::start().await;
    let (items, pages) = t.all_pages(&format!("/me/calendarView?{WEEK}"), &[]).await;
    assert_eq!(pages, 2, "default page size 10");
    assert_eq!(count(&items, "Daily standup"), 5, "weekly on weekdays");
    assert_eq!(count(&items, "Focus time"), 7, "daily");
    assert_eq!(count(&items, "1:1 Alex / Adele"), 1, "weekly on Tuesdays, organized by Alex");
    for single in ["Lunch with Megan", "Quarterly business review", "Dentist appointment", "Contoso launch review"] {
        assert_eq!(count(&items, single), 1, "{single}");
    }
    assert_eq!(count(&items, "Company holiday"), 0, "starts when the window ends");
    assert_eq!(items.len(), 17);
    let starts: Vec<&str> = items.iter().map(|e| e["start"]["dateTime"].as_str().unwrap()).collect();
    assert!(starts.windows(2).all(|w| w[0] <= w[1]), "sorted by start");
    for e in items.iter().filter(|e| e["subject"] == "Daily standup") {
        assert_eq!(e["type"], "occurrence");
        assert!(e["seriesMasterId"].is_string());
        assert_eq!(e["start"]["timeZone"], "UTC");
        assert!(e["start"]["dateTime"].as_str().unwrap().ends_with("T16:00:00.0000000"), "09:00 PDT is 16:00 UTC: {e}");
    }

    // An occurrence can be read by its id.
    let occ = items.iter().find(|e| e["subject"] == "Daily standup").unwrap();
    let got = t.get(&format!("/me/events/{}", seg(occ["id"].as_str().unwrap()))).await;
    assert_eq!(got.status, 200);
    assert_eq!(got.json["start"], occ["start"]);

    assert_graph_error(&t.get("/me/calendarView").await, 400, "ErrorInvalidParameter");
    assert_graph_error(
        &t.get("/me/calendarView?startDateTime=2024-03-11T00:00:00Z&endDateTime=soon").await,
        400,
        "ErrorInvalidParameter",
    );
}

#[tokio::test]
async fn outlook_timezone_preference_and_dst() {
    let t = T::start().await;
    let pt = [("Prefer", "outlook.timezone=\"Pacific Standard Time\"")];
    let r = t.get_with(&format!("/me/calendarView?{WEEK}&$top=50"), &pt).await;
    assert_eq!(r.header("preference-applied"), Some("outlook.timezone=\"Pacific Standard Time\""));
    let standup = r.values().into_iter().find(|e| e["subject"] == "Daily standup").unwrap();
    assert_eq!(
        standup["start"],
        json!({"dateTime": "2024-03-11T09:00:00.0000000", "timeZone": "Pacific Standard Time"})
    );
    assert_eq!(standup["end"]["dateTime"], "2024-03-11T09:15:00.0000000");

    let ny = t
        .get_with(&format!("/me/calendarView?{WEEK}&$top=50"), &[("Prefer", "outlook.timezone=\"America/New_York\"")])
        .await;
    let standup = ny.values().into_iter().find(|e| e["subject"] == "Daily standup").unwrap();
    assert_eq!(standup["start"]["dateTime"], "2024-03-11T12:00:00.0000000");
    assert_eq!(standup["start"]["timeZone"], "America/New_York");

    // "Focus time" is 13:00 Pacific every day, before and after the DST switch.
    let range = "startDateTime=2024-03-08T00:00:00Z&endDateTime=2024-03-13T00:00:00Z&$top=50";
    let utc = t.get(&format!("/me/calendarView?{range}")).await;
    let local = t.get_with(&format!("/me/calendarView?{range}"), &pt).await;
    let focus = |r: &common::Resp| -> Vec<String> {
        r.values()
            .iter()
            .filter(|e| e["subject"] == "Focus time")
            .map(|e| e["start"]["dateTime"].as_str().unwrap().to_owned())
            .collect()
    };
    let (u, l) = (focus(&utc), focus(&local));
    assert!(u.contains(&"2024-03-08T21:00:00.0000000".to_owned()), "PST: UTC-8 {u:?}");
    assert!(u.contains(&"2024-03-11T20:00:00.0000000".to_owned()), "PDT: UTC-7 {u:?}");
    assert!(l.iter().all(|s| s.ends_with("T13:00:00.0000000")), "{l:?}");

    // Unknown zones fall back to UTC, without Preference-Applied.
    let r =
        t.get_with(&format!("/me/calendarView?{WEEK}"), &[("Prefer", "outlook.timezone=\"Nowhere/Special\"")]).await;
    assert!(r.header("preference-applied").is_none());
    assert_eq!(r.values()[0]["start"]["timeZone"], "UTC");
}

#[tokio::test]
async fn events_list_masters_and_instances() {
    let t = T::start().await;
    let (events, _) = t.all_pages("/me/events", &[]).await;
    assert!(events.iter().all(|e| e["type"] != "occurrence"));
    let standup = events.iter().find(|e| e["subject"] == "Daily standup").unwrap();
    assert_eq!(standup["type"], "seriesMaster");
    assert_eq!(standup["recurrence"]["pattern"]["type"], "weekly");
    assert_eq!(standup["originalStartTimeZone"], "Pacific Standard Time");
    assert!(events.iter().all(|e| e["subject"] != "Launch milestone"), "/me/events is the default calendar");

    let id = seg(standup["id"].as_str().unwrap());
    let inst = t.get(&format!("/me/events/{id}/instances?{WEEK}")).await;
    assert_eq!(inst.status, 200, "{}", inst.json);
    assert_eq!(inst.values().len(), 5);
    assert!(inst.values().iter().all(|e| e["seriesMasterId"] == standup["id"]));

    let filtered = t.get("/me/events?$filter=isOnlineMeeting eq true&$select=subject,onlineMeeting").await;
    assert!(!filtered.values().is_empty());
    assert!(
        filtered
            .values()
            .iter()
            .all(|e| e["onlineMeeting"]["joinUrl"].as_str().unwrap().starts_with("https://teams.microsoft.com/"))
    );
}

#[tokio::test]
async fn create_update_delete_events() {
    let t = T::start().await;
    let body = json!({
        "subject": "Design sync",
        "body": {"contentType": "HTML", "content": "Let's talk shelves."},
        "start": {"dateTime": "2024-03-14T14:00:00", "timeZone": "Pacific Standard Time"},
        "end": {"dateTime": "2024-03-14T15:00:00", "timeZone": "Pacific Standard Time"},
        "location": {"displayName": "Room 1"},
        "attendees": [{"emailAddress": {"address": demo::SECOND_USER_UPN, "name": "Alex Wilber"}, "type": "required"}],
        "isOnlineMeeting": true,
        "onlineMeetingProvider": "teamsForBusiness"
    });
    let created = t.post("/me/events", body).await;
    assert_eq!(created.status, 201, "{}", created.json);
    let ev = &created.json;
    assert_eq!(ev["start"], json!({"dateTime": "2024-03-14T21:00:00.0000000", "timeZone": "UTC"}));
    assert_eq!(ev["isOrganizer"], true);
    assert_eq!(ev["responseStatus"]["response"], "organizer");
    assert_eq!(ev["organizer"]["emailAddress"]["address"], demo::USER_UPN);
    assert!(ev["onlineMeeting"]["joinUrl"].as_str().unwrap().starts_with("https://teams.microsoft.com/l/meetup-join/"));
    assert_eq!(ev["attendees"][0]["status"]["response"], "none");
    let id = seg(ev["id"].as_str().unwrap());

    // Alex got the invitation and accepts it with an app-only token.
    let alex_events = t.emu.events(demo::SECOND_USER_UPN).unwrap();
    let invite = alex_events.iter().find(|e| e["subject"] == "Design sync").expect("invitation in Alex's calendar");
    assert_eq!(invite["isOrganizer"], false);
    let app = t.emu.issue_app_token();
    let path = format!("/users/{}/events/{}/accept", demo::SECOND_USER_UPN, seg(invite["id"].as_str().unwrap()));
    let r = t.call_as(&app, Method::POST, &path, Some(json!({"comment": "See you", "sendResponse": true})), &[]).await;
    assert_eq!(r.status, 202, "{}", r.json);
    let mine = t.get(&format!("/me/events/{id}")).await;
    assert_eq!(mine.json["attendees"][0]["status"]["response"], "accepted");

    // The organizer cannot accept.
    assert_graph_error(&t.post(&format!("/me/events/{id}/accept"), json!({})).await, 400, "ErrorInvalidRequest");

    let moved = t
        .call(
            Method::PATCH,
            &format!("/me/events/{id}"),
            Some(json!({"subject": "Design sync (moved)", "start": {"dateTime": "2024-03-14T16:00:00", "timeZone": "Pacific Standard Time"}, "end": {"dateTime": "2024-03-14T17:00:00", "timeZone": "Pacific Standard Time"}})),
            &[("Prefer", "outlook.timezone=\"Pacific Standard Time\"")],
        )
        .await;
    assert_eq!(moved.status, 200, "{}", moved.json);
    assert_eq!(moved.json["start"]["dateTime"], "2024-03-14T16:00:00.0000000");
    assert_ne!(moved.json["changeKey"], ev["changeKey"]);

    assert_graph_error(&t.patch(&format!("/me/events/{id}"), json!({"title": "x"})).await, 400, "RequestBodyRead");
    assert_graph_error(
        &t.patch(
            &format!("/me/events/{id}"),
            json!({"start": {"dateTime": "2024-03-14T16:00:00", "timeZone": "Mars/Olympus"}}),
        )
        .await,
        400,
        "TimeZoneNotSupportedException",
    );
    assert_graph_error(
        &t.patch(&format!("/me/events/{id}"), json!({"end": {"dateTime": "2024-03-14T10:00:00", "timeZone": "UTC"}}))
            .await,
        400,
        "ErrorInvalidRequest",
    );
    assert_graph_error(&t.post("/me/events", json!({"subject": "no times"})).await, 400, "ErrorInvalidRequest");

    assert_eq!(t.delete(&format!("/me/events/{id}")).await.status, 204);
    assert_graph_error(&t.get(&format!("/me/events/{id}")).await, 404, "ErrorItemNotFound");
}

#[tokio::test]
async fn attendee_responses_reach_the_organizer() {
    let t = T::start().await;
    let (items, _) = t.all_pages(&format!("/me/calendarView?{WEEK}"), &[]).await;
    let review = items.iter().find(|e| e["subject"] == "Contoso launch review").unwrap();
    assert_eq!(review["isOrganizer"], false);
    assert_eq!(review["responseStatus"]["response"], "notResponded");
    let id = seg(review["id"].as_str().unwrap());

    let r =
        t.post(&format!("/me/events/{id}/tentativelyAccept"), json!({"comment": "Maybe", "sendResponse": true})).await;
    assert_eq!(r.status, 202);
    assert_eq!(t.get(&format!("/me/events/{id}")).await.json["responseStatus"]["response"], "tentativelyAccepted");
    let r = t.post(&format!("/me/events/{id}/decline"), json!({"comment": "Sorry"})).await;
    assert_eq!(r.status, 202);
    let megan = t.emu.events(demo::THIRD_USER_UPN).unwrap();
    let theirs = megan.iter().find(|e| e["subject"] == "Contoso launch review").unwrap();
    let me = theirs["attendees"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["emailAddress"]["address"] == demo::USER_UPN)
        .unwrap();
    assert_eq!(me["status"]["response"], "declined");

    assert_graph_error(&t.post(&format!("/me/events/{id}/accept"), json!({"note": "x"})).await, 400, "RequestBodyRead");
}

#[tokio::test]
async fn deleting_one_occurrence_and_cancelling() {
    let t = T::start().await;
    let (items, _) = t.all_pages(&format!("/me/calendarView?{WEEK}"), &[]).await;
    let tuesday = items
        .iter()
        .find(|e| e["subject"] == "Daily standup" && e["start"]["dateTime"].as_str().unwrap().starts_with("2024-03-12"))
        .unwrap();
    assert_eq!(t.delete(&format!("/me/events/{}", seg(tuesday["id"].as_str().unwrap()))).await.status, 204);
    let (after, _) = t.all_pages(&format!("/me/calendarView?{WEEK}"), &[]).await;
    assert_eq!(count(&after, "Daily standup"), 4);

    let qbr = after.iter().find(|e| e["subject"] == "Quarterly business review").unwrap();
    let r = t
        .post(&format!("/me/events/{}/cancel", seg(qbr["id"].as_str().unwrap())), json!({"comment": "Postponed"}))
        .await;
    assert_eq!(r.status, 202);
    let alex = t.emu.events(demo::SECOND_USER_UPN).unwrap();
    assert_eq!(alex.iter().find(|e| e["subject"] == "Quarterly business review").unwrap()["isCancelled"], true);
}

#[tokio::test]
async fn calendars_list_create_and_use() {
    let t = T::start().await;
    let cals = t.get("/me/calendars").await;
    let names: Vec<&str> = cals.json["value"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Calendar", "Project Contoso"]);
    let default = t.get("/me/calendar").await;
    assert_eq!(default.json["isDefaultCalendar"], true);
    assert_eq!(default.json["owner"]["address"], demo::USER_UPN);

    let other = cals.json["value"][1]["id"].as_str().unwrap();
    let view = t
        .get(&format!(
            "/me/calendars/{}/calendarView?startDateTime=2024-03-20T00:00:00Z&endDateTime=2024-04-01T00:00:00Z",
            seg(other)
        ))
        .await;
    assert_eq!(view.values().len(), 1);
    assert_eq!(view.values()[0]["isAllDay"], true);
    assert_eq!(view.values()[0]["start"]["dateTime"], "2024-03-27T00:00:00.0000000");

    let made = t.post("/me/calendars", json!({"name": "Side project", "color": "lightBlue"})).await;
    assert_eq!(made.status, 201);
    let cid = seg(made.json["id"].as_str().unwrap());
    let ev = t
        .post(
            &format!("/me/calendars/{cid}/events"),
            json!({"subject": "Hack night", "start": {"dateTime": "2024-03-20T18:00:00", "timeZone": "UTC"}, "end": {"dateTime": "2024-03-20T21:00:00", "timeZone": "UTC"}}),
        )
        .await;
    assert_eq!(ev.status, 201);
    let listed = t.get(&format!("/me/calendars/{cid}/events")).await;
    assert_eq!(listed.values().len(), 1);
    assert_graph_error(&t.post("/me/calendars", json!({"name": "side project"})).await, 409, "ErrorFolderExists");
    assert_graph_error(&t.delete("/me/calendar").await, 400, "ErrorDeleteDistinguishedFolder");
    assert_eq!(t.delete(&format!("/me/calendars/{cid}")).await.status, 204);

    // Recurring events can be created too.
    let series = t
        .post(
            "/me/events",
            json!({
                "subject": "Gym",
                "start": {"dateTime": "2024-03-18T07:00:00", "timeZone": "Europe/London"},
                "end": {"dateTime": "2024-03-18T08:00:00", "timeZone": "Europe/London"},
                "recurrence": {
                    "pattern": {"type": "weekly", "interval": 1, "daysOfWeek": ["monday", "thursday"]},
                    "range": {"type": "numbered", "startDate": "2024-03-18", "numberOfOccurrences": 6}
                }
            }),
        )
        .await;
    assert_eq!(series.status, 201, "{}", series.json);
    let gym = t.get("/me/calendarView?startDateTime=2024-03-01T00:00:00Z&endDateTime=2024-05-01T00:00:00Z&$top=500&$filter=subject eq 'Gym'").await;
    let starts: Vec<String> =
        gym.values().iter().map(|e| e["start"]["dateTime"].as_str().unwrap().to_owned()).collect();
    // London moves to BST on 31 March: 07:00 local is 07:00Z before, 06:00Z after.
    assert_eq!(
        starts,
        [
            "2024-03-18T07:00:00.0000000",
            "2024-03-21T07:00:00.0000000",
            "2024-03-25T07:00:00.0000000",
            "2024-03-28T07:00:00.0000000",
            "2024-04-01T06:00:00.0000000",
            "2024-04-04T06:00:00.0000000"
        ]
    );
    let bad = t
        .post(
            "/me/events",
            json!({"subject": "x", "start": {"dateTime": "2024-03-18T07:00:00", "timeZone": "UTC"}, "end": {"dateTime": "2024-03-18T08:00:00", "timeZone": "UTC"},
                   "recurrence": {"pattern": {"type": "fortnightly"}, "range": {"type": "noEnd", "startDate": "2024-03-18"}}}),
        )
        .await;
    assert_graph_error(&bad, 400, "RequestBodyRead");
}

#[tokio::test]
async fn all_day_events_show_midnight_in_the_requested_zone() {
    let t = T::start().await;
    let r = t
        .get_with(
            "/me/calendarView?startDateTime=2024-03-18T00:00:00Z&endDateTime=2024-03-20T00:00:00Z&$filter=isAllDay eq true",
            &[("Prefer", "outlook.timezone=\"Eastern Standard Time\"")],
        )
        .await;
    let holiday = r.values().into_iter().find(|e| e["subject"] == "Company holiday").expect("holiday");
    assert_eq!(
        holiday["start"],
        json!({"dateTime": "2024-03-18T00:00:00.0000000", "timeZone": "Eastern Standard Time"})
    );
    assert_eq!(holiday["end"]["dateTime"], "2024-03-19T00:00:00.0000000");
}

#[tokio::test]
async fn calendar_view_delta_reports_added_changed_and_removed_instances() {
    let t = T::start().await;
    let prefer = [("Prefer", "odata.maxpagesize=5")];
    let mut url = t.url(&format!("/me/calendarView/delta?{WEEK}"));
    let mut first = Vec::new();
    let delta_link = loop {
        let r = t.get_with(&url, &prefer).await;
        assert_eq!(r.status, 200, "{}", r.json);
        first.extend(r.values());
        match (r.json["@odata.nextLink"].as_str(), r.json["@odata.deltaLink"].as_str()) {
            (Some(next), None) => url = next.to_owned(),
            (None, Some(delta)) => break delta.to_owned(),
            other => panic!("a page has either a nextLink or a deltaLink: {other:?}"),
        }
    };
    assert_eq!(first.len(), 17);
    assert!(first.iter().all(|e| e["@odata.type"] == "#microsoft.graph.event"));

    let quiet = t.get(&delta_link).await;
    assert!(quiet.values().is_empty());
    let delta_link = quiet.json["@odata.deltaLink"].as_str().unwrap().to_owned();

    // Add an event, drop one standup, rename the lunch.
    let new = t
        .post(
            "/me/events",
            json!({"subject": "Coffee", "start": {"dateTime": "2024-03-13T17:00:00Z", "timeZone": "UTC"}, "end": {"dateTime": "2024-03-13T17:30:00Z", "timeZone": "UTC"}}),
        )
        .await;
    assert_eq!(new.status, 201);
    let standup = first.iter().find(|e| e["subject"] == "Daily standup").unwrap();
    t.delete(&format!("/me/events/{}", seg(standup["id"].as_str().unwrap()))).await;
    let lunch = first.iter().find(|e| e["subject"] == "Lunch with Megan").unwrap();
    t.patch(
        &format!("/me/events/{}", seg(lunch["id"].as_str().unwrap())),
        json!({"subject": "Lunch with Megan and Alex"}),
    )
    .await;

    let changes = t.get(&delta_link).await;
    let items = changes.values();
    let removed: Vec<&Value> = items.iter().filter(|e| e.get("@removed").is_some()).collect();
    assert_eq!(removed.len(), 1);
    assert_eq!(removed[0]["id"], standup["id"]);
    let subjects: Vec<&str> =
        items.iter().filter(|e| e.get("@removed").is_none()).map(|e| e["subject"].as_str().unwrap()).collect();
    assert_eq!(subjects.len(), 2, "{subjects:?}");
    assert!(subjects.contains(&"Coffee") && subjects.contains(&"Lunch with Megan and Alex"));

    assert_graph_error(&t.get("/me/calendarView/delta?$deltatoken=nope").await, 410, "syncStateNotFound");
    assert_graph_error(&t.get("/me/calendarView/delta").await, 400, "ErrorInvalidParameter");
}

#[tokio::test]
async fn get_schedule_gives_free_busy() {
    let t = T::start().await;
    let r = t
        .call(
            Method::POST,
            "/me/calendar/getSchedule",
            Some(json!({
                "schedules": [demo::USER_UPN, demo::THIRD_USER_UPN, "nobody@fabrikam.com"],
                "startTime": {"dateTime": "2024-03-14T08:00:00", "timeZone": "Pacific Standard Time"},
                "endTime": {"dateTime": "2024-03-14T18:00:00", "timeZone": "Pacific Standard Time"},
                "availabilityViewInterval": 60
            })),
            &[("Prefer", "outlook.timezone=\"Pacific Standard Time\"")],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.json);
    let v = r.values();
    assert_eq!(v[0]["scheduleId"], demo::USER_UPN);
    // 08-09 free, 09 standup, 12 lunch, 13 focus time.
    assert_eq!(v[0]["availabilityView"], "0200220000");
    let items = v[0]["scheduleItems"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(
        items[0]["start"],
        json!({"dateTime": "2024-03-14T09:00:00.0000000", "timeZone": "Pacific Standard Time"})
    );
    assert_eq!(items[0]["status"], "busy");
    assert_eq!(v[0]["workingHours"]["startTime"], "08:00:00.0000000");
    assert_eq!(v[1]["availabilityView"], "0000000000");
    assert_eq!(v[2]["error"]["responseCode"], "ErrorMailRecipientNotFound");

    let bad = t.post("/me/calendar/getSchedule", json!({"schedules": [], "start": {}})).await;
    assert_graph_error(&bad, 400, "RequestBodyRead");
}

#[tokio::test]
async fn forwarding_an_event_invites_tenant_users() {
    let t = T::start().await;
    let (events, _) = t.all_pages("/me/events", &[]).await;
    let lunch = events.iter().find(|e| e["subject"] == "Lunch with Megan").unwrap();
    let id = seg(lunch["id"].as_str().unwrap());
    let r = t
        .post(
            &format!("/me/events/{id}/forward"),
            json!({"comment": "Join us", "toRecipients": [{"emailAddress": {"address": demo::SECOND_USER_UPN}}]}),
        )
        .await;
    assert_eq!(r.status, 202, "{}", r.json);
    let alex = t.emu.events(demo::SECOND_USER_UPN).unwrap();
    let copy = alex.iter().find(|e| e["subject"] == "Lunch with Megan").expect("forwarded");
    assert_eq!(copy["organizer"]["emailAddress"]["address"], demo::USER_UPN);
    assert_graph_error(
        &t.post(&format!("/me/events/{id}/forward"), json!({"comment": "x"})).await,
        400,
        "ErrorInvalidRecipients",
    );
}

/// Graph matches action parameter names case-insensitively (getSchedule,
/// accept, forward, cancel).
#[tokio::test]
async fn calendar_action_parameter_names_are_case_insensitive() {
    let t = T::start().await;
    let r = t
        .post(
            "/me/calendar/getSchedule",
            json!({
                "Schedules": [demo::USER_UPN],
                "StartTime": {"dateTime": "2024-03-14T08:00:00", "timeZone": "Pacific Standard Time"},
                "EndTime": {"dateTime": "2024-03-14T18:00:00", "timeZone": "Pacific Standard Time"},
                "AvailabilityViewInterval": 60
            }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(r.values()[0]["availabilityView"], "0200220000");

    let (events, _) = t.all_pages("/me/events", &[]).await;
    let lunch = events.iter().find(|e| e["subject"] == "Lunch with Megan").unwrap();
    let id = seg(lunch["id"].as_str().unwrap());
    let to = json!([{"emailAddress": {"address": demo::SECOND_USER_UPN}}]);
    let fwd = t.post(&format!("/me/events/{id}/forward"), json!({"ToRecipients": to, "Comment": "join"})).await;
    assert_eq!(fwd.status, 202, "{}", fwd.json);

    let invite = t.emu.events(demo::SECOND_USER_UPN).unwrap();
    let invite = invite.iter().find(|e| e["subject"] == "Lunch with Megan").unwrap();
    let path = format!("/users/{}/events/{}/accept", demo::SECOND_USER_UPN, seg(invite["id"].as_str().unwrap()));
    let alex = t.emu.issue_token(demo::SECOND_USER_UPN).unwrap();
    let acc = t.call_as(&alex, Method::POST, &path, Some(json!({"Comment": "yes", "SendResponse": true})), &[]).await;
    assert_eq!(acc.status, 202, "{}", acc.json);
}

/// Graph's default sharing shows other users' free/busy only: no subject or
/// location in their scheduleItems (one's own calendar shows them).
#[tokio::test]
async fn get_schedule_shows_other_users_free_busy_only() {
    let t = T::start().await;
    let body = json!({
        "schedules": [demo::USER_UPN, demo::SECOND_USER_UPN, demo::THIRD_USER_UPN],
        "startTime": {"dateTime": "2024-03-11T00:00:00", "timeZone": "UTC"},
        "endTime": {"dateTime": "2024-03-16T00:00:00", "timeZone": "UTC"},
    });
    let r = t.post("/me/calendar/getSchedule", body).await;
    assert_eq!(r.status, 200, "{}", r.json);
    let v = r.values();
    let own = v[0]["scheduleItems"].as_array().unwrap();
    assert!(own.iter().any(|i| i["subject"].is_string()), "own calendar shows subjects");
    let mut others = 0;
    for s in &v[1..] {
        for item in s["scheduleItems"].as_array().unwrap() {
            others += 1;
            assert!(item.get("subject").is_none() && item.get("location").is_none(), "{item}");
            assert!(item["status"].is_string() && item["start"].is_object());
        }
    }
    assert!(others > 0, "the other users have busy times that week");
}

/// Thousands of schedules are a 400, not a large allocation.
#[tokio::test]
async fn get_schedule_caps_the_number_of_schedules() {
    let t = T::start().await;
    let many: Vec<String> = (0..5000).map(|i| format!("user{i}@fabrikam.com")).collect();
    let r = t
        .post(
            "/me/calendar/getSchedule",
            json!({"schedules": many,
                   "startTime": {"dateTime": "2024-03-14T08:00:00", "timeZone": "UTC"},
                   "endTime": {"dateTime": "2024-03-14T18:00:00", "timeZone": "UTC"}}),
        )
        .await;
    assert_graph_error(&r, 400, "ErrorInvalidRequest");
}

/// getSchedule's answer is built after the store lock is released (deferred):
/// it still comes back in a `$batch`, and the same mailbox named 100 times
/// gives 100 identical entries.
#[tokio::test]
async fn get_schedule_answers_in_a_batch_and_for_repeated_mailboxes() {
    let t = T::start().await;
    let window = json!({
        "startTime": {"dateTime": "2024-03-14T08:00:00", "timeZone": "Pacific Standard Time"},
        "endTime": {"dateTime": "2024-03-14T18:00:00", "timeZone": "Pacific Standard Time"},
        "availabilityViewInterval": 60
    });
    let mut body = window.clone();
    body["schedules"] = json!(vec![demo::USER_UPN; 100]);
    let r = t.post("/me/calendar/getSchedule", body).await;
    assert_eq!(r.status, 200, "{}", r.json);
    let v = r.values();
    assert_eq!(v.len(), 100);
    assert!(v.iter().all(|s| s == &v[0]));
    assert_eq!(v[0]["availabilityView"], "0200220000");

    let mut one = window;
    one["schedules"] = json!([demo::USER_UPN]);
    let batch = json!({"requests": [
        {"id": "1", "method": "POST", "url": "/me/calendar/getSchedule", "body": one,
         "headers": {"Content-Type": "application/json"}},
        {"id": "2", "method": "GET", "url": "/me"}
    ]});
    let r = t.post("/$batch", batch).await;
    assert_eq!(r.status, 200, "{}", r.json);
    let responses = r.json["responses"].as_array().unwrap();
    let sched = responses.iter().find(|x| x["id"] == "1").unwrap();
    assert_eq!(sched["status"], 200, "{sched}");
    assert_eq!(sched["body"]["value"][0]["availabilityView"], "0200220000");
    assert_eq!(responses.iter().find(|x| x["id"] == "2").unwrap()["status"], 200);
}
