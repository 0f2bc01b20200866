//! Every calendar sample in testdata/graph-samples/calendar deserializes into
//! its model, and serializing it back gives the same JSON (nothing lost).

use std::collections::BTreeSet;
use std::path::PathBuf;

use msgraph_calendar::{Calendar, Event, ScheduleInformation};
use msgraph_core::Page;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../testdata/graph-samples/calendar")
}

fn read(file: &str) -> Value {
    let text = std::fs::read_to_string(dir().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file} is not JSON: {e}"))
}

/// Deserializes `v` as `T` (with the failing path in the message) and checks
/// that serializing it gives `v` back.
fn round_trip<T: DeserializeOwned + Serialize>(file: &str, v: &Value) -> T {
    let typed: T = parse(file, v);
    let back = serde_json::to_value(&typed).unwrap();
    assert_eq!(&back, v, "{file}: round trip changed the JSON");
    typed
}

fn parse<T: DeserializeOwned>(file: &str, v: &Value) -> T {
    serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("{file}: {e}\n{v:#}"))
}

/// A collection sample: the page deserializes, its links are kept, and each
/// item round-trips (the page itself drops `@odata.context` by design).
fn page_round_trip<T: DeserializeOwned + Serialize>(file: &str) -> (Value, Page<T>, Vec<T>) {
    let v = read(file);
    let page: Page<T> = parse(file, &v);
    assert_eq!(page.next_link.as_deref(), v["@odata.nextLink"].as_str(), "{file}: nextLink");
    assert_eq!(page.delta_link.as_deref(), v["@odata.deltaLink"].as_str(), "{file}: deltaLink");
    let items = v["value"].as_array().unwrap_or_else(|| panic!("{file}: no value array"));
    assert_eq!(items.len(), page.value.len());
    let typed = items.iter().map(|item| round_trip::<T>(file, item)).collect();
    (v, page, typed)
}

#[test]
fn every_calendar_sample_deserializes_and_round_trips() {
    let mut covered = BTreeSet::new();
    let mut cover = |f: &'static str| {
        covered.insert(f.to_owned());
        f
    };

    // Responses.
    let (_, _, events) = page_round_trip::<Event>(cover("user-list-events.json"));
    let attendees = events[0].attendees.as_ref().unwrap();
    let status = attendees[0].status.as_ref().unwrap();
    assert_eq!(status.time.unwrap().to_rfc3339(), "0001-01-01T00:00:00+00:00");
    assert_eq!(status.responded_at(), None, "0001-01-01 is Graph's 'never'");
    assert_eq!(events[0].subject.as_deref(), Some("Orientation "));

    let file = cover("event-get.json");
    let event: Event = round_trip(file, &read(file));
    assert!(event.additional.contains_key("calendar@odata.navigationLink"));
    assert_eq!(event.start.unwrap().to_utc().unwrap().to_rfc3339(), "2014-11-03T17:00:00+00:00");

    let (_, _, cals) = page_round_trip::<Calendar>(cover("user-list-calendars.json"));
    assert_eq!(cals[0].owner.as_ref().unwrap().address.as_deref(), Some("samanthab@contoso.com"));
    assert_eq!(cals[0].hex_color.as_deref(), Some(""));

    let (_, page, schedules) = page_round_trip::<ScheduleInformation>(cover("calendar-getschedule.json"));
    assert!(page.next_link.is_none());
    assert!(!schedules[0].working_hours.as_ref().unwrap().time_zone.as_ref().unwrap().is_custom());
    assert!(schedules[1].working_hours.as_ref().unwrap().time_zone.as_ref().unwrap().is_custom());

    let (_, page, _) = page_round_trip::<Event>(cover("delta-query-events-1.json"));
    assert!(page.next_link.is_some());
    let (_, page, _) = page_round_trip::<Event>(cover("delta-query-events-3.json"));
    assert!(page.delta_link.is_some());
    let (_, _, items) = page_round_trip::<Event>(cover("delta-query-events-4.json"));
    assert!(items[0].is_removed() && !items[1].is_removed());
    let loc = items[1].location.as_ref().unwrap();
    assert_eq!(loc.coordinates.as_ref().unwrap().latitude, Some(47.6105));
    assert_eq!(loc.address.as_ref().unwrap().postal_code.as_deref(), Some(""));

    // PLACEHOLDER samples (manifest): `responseStatus.time` is the literal
    // "datetime-value", which is not a timestamp; Graph never sends it. The
    // rest of both files is checked in tests/events.rs
    // (`update_patches_only_given_fields`, with the placeholder replaced by a
    // real instant), including the empty-string `responseStatus.response`.
    cover("event-update.json");
    cover("event-update.request.json");

    // Request bodies: compared as JSON with what the builders send, in
    // tests/schedule.rs (`get_schedule_sends_the_documented_body`) and
    // tests/responses.rs (`decline_with_comment_and_proposed_time`).
    cover("calendar-getschedule.request.json");
    cover("event-decline.request.json");

    let on_disk: BTreeSet<String> = std::fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    assert_eq!(on_disk, covered, "a calendar sample is not covered by this test");
}

#[test]
fn placeholder_update_sample_reads_once_its_placeholder_time_is_real() {
    let text = include_str!("../../testdata/graph-samples/calendar/event-update.json")
        .replace("\"datetime-value\"", "\"2026-03-10T12:00:00Z\"");
    let v: Value = serde_json::from_str(&text).unwrap();
    // `"recurrence": null` is read as absent and not written back.
    let mut expected = v.clone();
    expected.as_object_mut().unwrap().remove("recurrence");
    let event: Event = round_trip("event-update.json (placeholder replaced)", &expected);
    let e2: Event = serde_json::from_value(v).unwrap();
    assert_eq!(event, e2);
    assert_eq!(event.response_status.unwrap().response, Some(msgraph_calendar::ResponseType::Unknown(String::new())));
}
