//! Bad input is an `Error::InvalidInput` before anything is sent: each test
//! runs against a server whose catch-all fails on any request, and checks
//! that none arrived.

mod common;

use chrono::{NaiveDate, NaiveDateTime, TimeDelta, TimeZone, Utc};
use common::json;
use msgraph_calendar::{
    Attendee, CalendarExt, EventPatch, NewEvent, PatternedRecurrence, RecurrencePattern, RecurrenceRange,
};
use msgraph_core::test_util::MockGraph;
use msgraph_core::{Error, Result};
use wiremock::Mock;
use wiremock::matchers::{method, path};

const EVENT_GET: &str = include_str!("../../testdata/graph-samples/calendar/event-get.json");

fn at(h: u32, m: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 3, 10).unwrap().and_hms_opt(h, m, 0).unwrap()
}

async fn rejected<T: std::fmt::Debug>(graph: &MockGraph, result: Result<T>, says: &str) {
    match result {
        Err(Error::InvalidInput(msg)) => assert!(msg.contains(says), "message {msg:?} should say {says:?}"),
        other => panic!("expected InvalidInput({says:?}), got {other:?}"),
    }
    assert!(graph.requests().await.is_empty(), "nothing may be sent");
}

async fn create(graph: &MockGraph, event: NewEvent) -> Result<msgraph_calendar::Event> {
    graph.client().me().events().create(event).send().await
}

#[tokio::test]
async fn event_ending_before_or_at_its_start_in_one_zone() {
    let graph = MockGraph::start().await;
    let e = NewEvent::new("x").local_times(at(15, 0), at(14, 0), "America/New_York");
    rejected(&graph, create(&graph, e).await, "must end after it starts").await;
    let e = NewEvent::new("x").start((at(15, 0), "Eastern Standard Time")).end((at(15, 0), "eastern standard time"));
    rejected(&graph, create(&graph, e).await, "must end after it starts").await;
}

#[tokio::test]
async fn event_ending_before_its_start_in_utc() {
    let graph = MockGraph::start().await;
    let t = Utc.with_ymd_and_hms(2026, 3, 10, 18, 0, 0).unwrap();
    let e = NewEvent::new("x").start(t).end(t - TimeDelta::minutes(1));
    rejected(&graph, create(&graph, e).await, "must end after it starts").await;
    // A zoned chrono value is its UTC instant: 19:00+02:00 is 17:00Z, before 18:00Z.
    let plus_two = chrono::FixedOffset::east_opt(7200).unwrap().with_ymd_and_hms(2026, 3, 10, 19, 0, 0).unwrap();
    let e = NewEvent::new("x").start(t).end(plus_two);
    rejected(&graph, create(&graph, e).await, "must end after it starts").await;
}

#[tokio::test]
async fn times_in_different_named_zones_are_left_to_graph() {
    let graph = MockGraph::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/me/events"))
        .respond_with(json(EVENT_GET))
        .expect(1)
        .mount(&graph.server)
        .await;
    // 09:00 Paris is before 08:00 New York; without a zone database the SDK
    // cannot tell, so it sends and lets Graph decide.
    let e = NewEvent::new("x").start((at(9, 0), "Europe/Paris")).end((at(8, 0), "America/New_York"));
    create(&graph, e).await.unwrap();
}

#[tokio::test]
async fn new_event_without_start_or_end() {
    let graph = MockGraph::start().await;
    rejected(&graph, create(&graph, NewEvent::new("x").end((at(9, 0), "UTC"))).await, "needs a start").await;
    rejected(&graph, create(&graph, NewEvent::new("x").start((at(9, 0), "UTC"))).await, "needs an end").await;
}

#[tokio::test]
async fn all_day_event_off_midnight_or_across_zones() {
    let graph = MockGraph::start().await;
    let e = NewEvent::new("x").is_all_day(true).local_times(at(0, 0), at(23, 59), "Europe/Paris");
    rejected(&graph, create(&graph, e).await, "all-day event must end at midnight").await;
    let e = NewEvent::new("x").is_all_day(true).start((at(9, 0), "UTC")).end((at(0, 0) + TimeDelta::days(1), "UTC"));
    rejected(&graph, create(&graph, e).await, "all-day event must start at midnight").await;
    let d = NaiveDate::from_ymd_opt(2026, 3, 10).unwrap();
    let e =
        NewEvent::new("x").is_all_day(true).start((d, "Europe/Paris")).end((d.succ_opt().unwrap(), "Europe/Berlin"));
    rejected(&graph, create(&graph, e).await, "same time zone").await;
    let e = NewEvent::new("x").all_day(d, d, "Europe/Paris");
    rejected(&graph, create(&graph, e).await, "must end after it starts").await;
}

#[tokio::test]
async fn recurrence_without_pattern_or_with_a_bad_one() {
    let graph = MockGraph::start().await;
    let d = NaiveDate::from_ymd_opt(2026, 3, 10).unwrap();
    let base = NewEvent::new("x").local_times(at(9, 0), at(10, 0), "UTC");
    let mut no_pattern = PatternedRecurrence::default();
    no_pattern.range = Some(RecurrenceRange::numbered(d, 3));
    rejected(&graph, create(&graph, base.clone().recurrence(no_pattern)).await, "needs a pattern").await;
    let mut no_range = PatternedRecurrence::default();
    no_range.pattern = Some(RecurrencePattern::daily(1));
    rejected(&graph, create(&graph, base.clone().recurrence(no_range)).await, "needs a range").await;
    let weekly_no_days = PatternedRecurrence::new(RecurrencePattern::weekly(1, []), RecurrenceRange::no_end(d));
    rejected(&graph, create(&graph, base.clone().recurrence(weekly_no_days)).await, "days of the week").await;
    let ends_early =
        PatternedRecurrence::new(RecurrencePattern::daily(1), RecurrenceRange::end_date(d, d.pred_opt().unwrap()));
    rejected(&graph, create(&graph, base.recurrence(ends_early)).await, "before it starts").await;
}

#[tokio::test]
async fn attendee_without_address() {
    let graph = MockGraph::start().await;
    let e = NewEvent::new("x").local_times(at(9, 0), at(10, 0), "UTC").attendee(Attendee::default());
    rejected(&graph, create(&graph, e).await, "email address").await;
    let e = NewEvent::new("x").local_times(at(9, 0), at(10, 0), "UTC").required_attendees([" "]);
    rejected(&graph, create(&graph, e).await, "email address").await;
}

#[tokio::test]
async fn patch_that_is_empty_or_inverted_or_bad_recurrence() {
    let graph = MockGraph::start().await;
    let events = graph.client().me().events();
    rejected(&graph, events.update("id", EventPatch::new()).send().await, "patch is empty").await;
    let inverted = EventPatch::new().start((at(10, 0), "UTC")).end((at(9, 0), "UTC"));
    rejected(&graph, events.update("id", inverted).send().await, "must end after it starts").await;
    let no_pattern = EventPatch::new().recurrence(PatternedRecurrence::default());
    rejected(&graph, events.update("id", no_pattern).send().await, "needs a pattern").await;
    let all_day_noon = EventPatch::new().is_all_day(true).start((at(12, 0), "UTC"));
    rejected(&graph, events.update("id", all_day_noon).send().await, "midnight").await;
}

#[tokio::test]
async fn empty_ids_never_reach_graph() {
    let graph = MockGraph::start().await;
    let events = graph.client().me().events();
    rejected(&graph, events.get("").send().await, "empty id").await;
    rejected(&graph, events.delete("").send().await, "empty id").await;
    rejected(&graph, events.accept("").send().await, "empty id").await;
    rejected(&graph, events.cancel("..").send().await, "not allowed").await;
    rejected(&graph, events.update("", EventPatch::new().subject("s")).send().await, "empty id").await;
    rejected(&graph, graph.client().me().calendars().events("").list().send().await, "empty id").await;
}

#[tokio::test]
async fn responses_with_impossible_proposals() {
    let graph = MockGraph::start().await;
    let events = graph.client().me().events();
    let slot = ((at(9, 0), "UTC"), (at(10, 0), "UTC"));
    rejected(&graph, events.accept("id").propose_new_time(slot.0, slot.1).send().await, "only when tentatively").await;
    rejected(
        &graph,
        events.decline("id").send_response(false).propose_new_time(slot.0, slot.1).send().await,
        "only when the response is sent",
    )
    .await;
    rejected(
        &graph,
        events.tentatively_accept("id").propose_new_time(slot.1, slot.0).send().await,
        "proposed time must end after",
    )
    .await;
}

#[tokio::test]
async fn forward_to_nobody() {
    let graph = MockGraph::start().await;
    let none: [&str; 0] = [];
    rejected(&graph, graph.client().me().events().forward("id", none).send().await, "at least one recipient").await;
    rejected(&graph, graph.client().me().events().forward("id", [""]).send().await, "email address").await;
}

#[tokio::test]
async fn schedule_requests_out_of_range() {
    let graph = MockGraph::start().await;
    let me = graph.client().me();
    let none: [&str; 0] = [];
    rejected(&graph, me.get_schedule(none, (at(9, 0), "UTC"), (at(10, 0), "UTC")).send().await, "at least one").await;
    rejected(&graph, me.get_schedule(["a@b.c"], (at(10, 0), "UTC"), (at(9, 0), "UTC")).send().await, "end after").await;
    rejected(
        &graph,
        me.get_schedule(["a@b.c"], (at(9, 0), "UTC"), (at(10, 0), "UTC")).availability_view_interval(1).send().await,
        "5 to 1440",
    )
    .await;
    rejected(&graph, me.find_meeting_times().duration(TimeDelta::zero()).send().await, "positive").await;
    rejected(&graph, me.find_meeting_times().minimum_attendee_percentage(150.0).send().await, "0 to 100").await;
    rejected(
        &graph,
        me.find_meeting_times().time_slot((at(10, 0), "UTC"), (at(9, 0), "UTC")).send().await,
        "end after it starts",
    )
    .await;
    rejected(&graph, me.find_meeting_times().attendees([""]).send().await, "email address").await;
}

#[tokio::test]
async fn calendar_without_a_name() {
    let graph = MockGraph::start().await;
    rejected(&graph, graph.client().me().calendars().create("  ").send().await, "needs a name").await;
}

#[tokio::test]
async fn a_view_or_instances_window_that_ends_before_it_starts_is_rejected() {
    let graph = MockGraph::start().await;
    let start = Utc.with_ymd_and_hms(2026, 3, 10, 12, 0, 0).unwrap();
    let view = graph.client().me().calendar_view(start, start).send().await;
    rejected(&graph, view, "is not after its start").await;
    let earlier = start - TimeDelta::hours(1);
    let instances = graph.client().me().events().instances("evt-1", start, earlier).send().await;
    rejected(&graph, instances, "is not after its start").await;
    // A window in another zone that is the same instant is still empty.
    let same_instant = start.with_timezone(&chrono::FixedOffset::east_opt(3600).unwrap());
    let mut stream = graph.client().me().calendar_view(start, same_instant).stream();
    use futures::TryStreamExt as _;
    rejected(&graph, stream.try_next().await, "is not after its start").await;
}
