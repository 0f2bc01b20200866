//! Calendars and events: `/events`, `/calendar`, `/calendars`,
//! `/calendarView` (recurrences expanded), create/update/delete,
//! accept/decline/tentativelyAccept/cancel, `instances`, and
//! `Prefer: outlook.timezone` applied to returned start/end.
//!
//! Graph docs: <https://learn.microsoft.com/graph/api/resources/event>,
//! <https://learn.microsoft.com/graph/api/user-list-calendarview>.

use axum::http::{HeaderName, Method, StatusCode};
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Value, json};

use crate::errors::{ApiResult, GraphError};
use crate::odata::{Listing, apply_select};
use crate::routes::{Reply, Req, with_context};
use crate::state::calendar::{
    CALENDAR_PROPS, EVENT_PROPS, EVENT_WRITABLE, OutZone, check_recurrence, online_meeting, parse_occurrence_id,
    read_dttz, render_calendar, render_event, zone_or_400,
};
use crate::state::ids::{IdKind, is_well_formed};
use crate::state::schema::{action_params, check_body, json_object};
use crate::state::store::{CalendarRec, EventRec, Store};
use crate::time::{find_zone, format_utc, parse_instant};

/// Routes what follows `/me` for calendar paths.
pub(crate) fn route(store: &mut Store, user_id: &str, rest: &[&str], req: &Req) -> ApiResult<Reply> {
    let default_cal = store.mailbox(user_id)?.default_calendar().map(|c| c.id.clone()).unwrap_or_default();
    match rest {
        ["events", tail @ ..] => events(store, user_id, None, tail, req),
        ["calendarview", tail @ ..] => view(store, user_id, &default_cal, tail, req),
        ["calendar"] => calendar_item(store, user_id, &default_cal, req),
        ["calendar", "getschedule"] => match req.method {
            Method::POST => get_schedule(store, user_id, req),
            _ => Err(GraphError::method_not_allowed()),
        },
        ["calendar", "events", tail @ ..] => events(store, user_id, Some(&default_cal), tail, req),
        ["calendar", "calendarview", tail @ ..] => view(store, user_id, &default_cal, tail, req),
        ["calendars"] => match req.method {
            Method::GET => list_calendars(store, user_id, req),
            Method::POST => create_calendar(store, user_id, req),
            _ => Err(GraphError::method_not_allowed()),
        },
        ["calendars", id, tail @ ..] => {
            let cal = store.mailbox(user_id)?.calendar(id)?.id.clone();
            match tail {
                [] => calendar_item(store, user_id, &cal, req),
                ["events", more @ ..] => events(store, user_id, Some(&cal), more, req),
                ["calendarview", more @ ..] => view(store, user_id, &cal, more, req),
                [other, ..] => Err(GraphError::segment_not_found(other)),
            }
        }
        [first, other, ..] => Err(GraphError::segment_not_found(if *first == "calendar" { other } else { first })),
        [other] => Err(GraphError::segment_not_found(other)),
        [] => Err(GraphError::method_not_allowed()),
    }
}

/// The zone to show times in, and the `Preference-Applied` header for it.
fn out_zone(req: &Req) -> (OutZone, Option<String>) {
    match req.prefs.timezone.as_deref() {
        Some(name) => match find_zone(name) {
            Some(zone) => (OutZone { zone, name: name.to_owned() }, Some(format!("outlook.timezone=\"{name}\""))),
            None => (OutZone::default(), None),
        },
        None => (OutZone::default(), None),
    }
}

fn applied(reply: Reply, pref: Option<String>) -> Reply {
    match pref {
        Some(p) => reply.with_header(HeaderName::from_static("preference-applied"), p),
        None => reply,
    }
}

fn event_context(req: &Req, user_id: &str) -> String {
    req.context(&format!("users('{user_id}')/events"))
}

/// Finds an event or occurrence: (index of the event, occurrence date).
fn find_event(store: &Store, user_id: &str, id: &str) -> ApiResult<(usize, Option<chrono::NaiveDate>)> {
    let mb = store.mailbox(user_id)?;
    if let Some(i) = mb.events.iter().position(|e| e.id == id) {
        return Ok((i, None));
    }
    if let Some((master, date)) = parse_occurrence_id(id)
        && let Some(i) = mb.events.iter().position(|e| e.id == master)
        && mb.events[i].has_occurrence_on(date)
    {
        return Ok((i, Some(date)));
    }
    Err(if is_well_formed(id) { GraphError::item_not_found() } else { GraphError::id_malformed() })
}

fn render_one(store: &Store, user_id: &str, id: &str, req: &Req) -> ApiResult<(Value, Option<String>)> {
    let (i, occ) = find_event(store, user_id, id)?;
    let (zone, pref) = out_zone(req);
    let e = &store.mailbox(user_id)?.events[i];
    let v = apply_select(render_event(e, occ, &zone), req.query.select.as_deref(), EVENT_PROPS);
    Ok((with_context(v, format!("{}/$entity", event_context(req, user_id))), pref))
}

fn events(store: &mut Store, user_id: &str, cal: Option<&str>, tail: &[&str], req: &Req) -> ApiResult<Reply> {
    let m = &req.method;
    match tail {
        [] => match *m {
            Method::GET => list_events(store, user_id, cal, req),
            Method::POST => create_event(store, user_id, cal, req),
            _ => Err(GraphError::method_not_allowed()),
        },
        [id] => match *m {
            Method::GET => {
                req.query.validate(EVENT_PROPS, "event")?;
                let (v, pref) = render_one(store, user_id, id, req)?;
                Ok(applied(Reply::ok(v), pref))
            }
            Method::PATCH => update_event(store, user_id, id, req),
            Method::DELETE => delete_event(store, user_id, id),
            _ => Err(GraphError::method_not_allowed()),
        },
        [id, "instances"] => match *m {
            Method::GET => instances(store, user_id, id, req),
            _ => Err(GraphError::method_not_allowed()),
        },
        [id, action @ ("accept" | "decline" | "tentativelyaccept")] => match *m {
            Method::POST => respond(store, user_id, id, action, req),
            _ => Err(GraphError::method_not_allowed()),
        },
        [id, "cancel"] => match *m {
            Method::POST => cancel(store, user_id, id, req),
            _ => Err(GraphError::method_not_allowed()),
        },
        [id, "forward"] => match *m {
            Method::POST => forward_event(store, user_id, id, req),
            _ => Err(GraphError::method_not_allowed()),
        },
        [_, other, ..] => Err(GraphError::segment_not_found(other)),
    }
}

fn list_events(store: &Store, user_id: &str, cal: Option<&str>, req: &Req) -> ApiResult<Reply> {
    let q = &req.query;
    q.validate(EVENT_PROPS, "event")?;
    let mb = store.mailbox(user_id)?;
    let cal = cal.map(str::to_owned).or_else(|| mb.default_calendar().map(|c| c.id.clone())).unwrap_or_default();
    let (zone, pref) = out_zone(req);
    let mut evs: Vec<&EventRec> = mb.events.iter().filter(|e| e.calendar_id == cal).collect();
    evs.sort_by_key(|e| (e.span_utc().0, e.id.clone()));
    let items = evs.into_iter().map(|e| render_event(e, None, &zone)).collect();
    let listing = Listing {
        query: q,
        props: EVENT_PROPS,
        context: event_context(req, user_id),
        link_base: &req.link_base(),
        prefer_max: req.prefs.max_page_size,
        default_page: 10,
        max_page: 1000,
    };
    Ok(applied(Reply::ok(listing.render(items)), pref))
}

/// The longest calendar view window Graph answers, days.
const MAX_VIEW_DAYS: i64 = 1825;

fn window(req: &Req) -> ApiResult<(DateTime<Utc>, DateTime<Utc>)> {
    let missing = || {
        GraphError::new(
            StatusCode::BAD_REQUEST,
            "ErrorInvalidParameter",
            "This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.",
        )
    };
    let start = req.query.param("startDateTime").ok_or_else(missing)?;
    let end = req.query.param("endDateTime").ok_or_else(missing)?;
    let parse = |s: &str| {
        parse_instant(s).ok_or_else(|| {
            GraphError::new(
                StatusCode::BAD_REQUEST,
                "ErrorInvalidParameter",
                format!("The value '{s}' of parameter 'StartDateTime' or 'EndDateTime' is invalid."),
            )
        })
    };
    let (s, e) = (parse(start)?, parse(end)?);
    if e < s {
        return Err(GraphError::new(
            StatusCode::BAD_REQUEST,
            "ErrorInvalidParameter",
            "The parameter 'EndDateTime' must be later than 'StartDateTime'.",
        ));
    }
    // Graph's limit (its answer, word for word): it also keeps the expansion
    // of recurring series bounded.
    if e - s > chrono::Duration::days(MAX_VIEW_DAYS) {
        return Err(GraphError::invalid_request(format!(
            "Your request can't be completed. The range between the start and end dates is greater than the allowed range. Maximum number of days: {MAX_VIEW_DAYS}"
        )));
    }
    Ok((s, e))
}

/// An instance in a window: start, end (UTC), the event, the occurrence date.
type Instance<'a> = (DateTime<Utc>, DateTime<Utc>, &'a EventRec, Option<NaiveDate>);

/// Single instances and occurrences overlapping [from, to), by start time.
fn instances_in<'a>(
    evs: impl Iterator<Item = &'a EventRec>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<Instance<'a>> {
    let mut hits: Vec<Instance<'a>> = Vec::new();
    for e in evs {
        if e.is_series() {
            for d in e.occurrences_between(from, to) {
                let (s, end) = e.occurrence_span(d);
                hits.push((s, end, e, Some(d)));
            }
        } else {
            let (s, end) = e.span_utc();
            if s < to && end > from || (s == end && s >= from && s < to) {
                hits.push((s, end, e, None));
            }
        }
    }
    hits.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.2.id.cmp(&b.2.id)).then_with(|| a.3.cmp(&b.3)));
    hits
}

/// Rendered instances overlapping the window, by start time.
fn expand_window<'a>(
    evs: impl Iterator<Item = &'a EventRec>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    zone: &OutZone,
) -> Vec<Value> {
    instances_in(evs, from, to).into_iter().map(|(_, _, e, d)| render_event(e, d, zone)).collect()
}

/// `POST /calendar/getSchedule`: free/busy of users over a window, with an
/// `availabilityView` digit per interval (0 free, 1 tentative, 2 busy,
/// 3 out of office, 4 working elsewhere).
/// At most this many schedules per call (Exchange's free/busy limit; Graph's
/// page does not give one); the answer is built after the store lock is released.
const MAX_SCHEDULES: usize = 100;

fn get_schedule(store: &Store, caller: &str, req: &Req) -> ApiResult<Reply> {
    let body = action_params(req.body, &["schedules", "startTime", "endTime", "availabilityViewInterval"])?;
    let (mut schedules, mut start, mut end, mut interval) = (None, None, None, 30i64);
    for (k, v) in &body {
        match k.as_str() {
            "schedules" => {
                schedules =
                    v.as_array().map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect::<Vec<_>>())
            }
            "startTime" => start = Some(read_dttz(v, "startTime")?),
            "endTime" => end = Some(read_dttz(v, "endTime")?),
            "availabilityViewInterval" => {
                interval = v.as_i64().filter(|n| (5..=1440).contains(n)).ok_or_else(|| {
                    GraphError::invalid_request("availabilityViewInterval must be between 5 and 1440 minutes.")
                })?
            }
            other => {
                return Err(GraphError::body_read(format!(
                    "The parameter '{other}' in the request payload is not a valid parameter for the operation 'getSchedule'."
                )));
            }
        }
    }
    let (Some(schedules), Some((sl, stz)), Some((el, etz))) = (schedules, start, end) else {
        return Err(GraphError::invalid_request("schedules, startTime and endTime are required."));
    };
    if schedules.len() > MAX_SCHEDULES {
        return Err(GraphError::invalid_request(format!(
            "Too many schedules: {} (at most {MAX_SCHEDULES} per request).",
            schedules.len()
        )));
    }
    let from = zone_or_400(&stz)?.utc_of(sl);
    let to = zone_or_400(&etz)?.utc_of(el);
    if to <= from {
        return Err(GraphError::invalid_request("endTime must be later than startTime."));
    }
    if to - from > chrono::Duration::days(62) {
        return Err(GraphError::invalid_request("The requested time range exceeds the maximum of 62 days."));
    }
    let (zone, pref) = out_zone(req);
    let slots = ((to - from).num_minutes() + interval - 1) / interval;
    // Under the store lock: each distinct user's events that can touch the
    // window (series masters, and single events overlapping it). The
    // expansion, the views and the JSON are built after the lock is released.
    let mut users: std::collections::HashMap<String, std::sync::Arc<ScheduleSource>> = Default::default();
    let mut sources: Vec<(String, Option<std::sync::Arc<ScheduleSource>>)> = Vec::new();
    for addr in schedules {
        let Some(user) = store.user(&addr) else {
            sources.push((addr, None));
            continue;
        };
        let source = match users.get(&user.id) {
            Some(s) => s.clone(),
            None => {
                let mb = store.mailbox(&user.id)?;
                let cal = mb.default_calendar().map(|c| c.id.clone()).unwrap_or_default();
                let events = mb
                    .events
                    .iter()
                    .filter(|e| e.calendar_id == cal)
                    .filter(|e| {
                        e.is_series() || {
                            let (s, end) = e.span_utc();
                            s <= to && end >= from
                        }
                    })
                    .cloned()
                    .collect();
                let s = std::sync::Arc::new(ScheduleSource {
                    user_id: user.id.clone(),
                    events,
                    working_hours: mb.settings.get("workingHours").cloned().unwrap_or(Value::Null),
                });
                users.insert(user.id.clone(), s.clone());
                s
            }
        };
        sources.push((addr, Some(source)));
    }
    let caller = caller.to_owned();
    let context = req.context("Collection(microsoft.graph.scheduleInformation)");
    Ok(Reply::deferred(move || {
        let value: Vec<Value> = sources
            .iter()
            .map(|(addr, source)| match source {
                None => json!({
                    "scheduleId": addr,
                    "availabilityView": "",
                    "scheduleItems": [],
                    "error": {"message": format!("Cannot find a mailbox for '{addr}'."), "responseCode": "ErrorMailRecipientNotFound"},
                }),
                Some(src) => schedule_information(addr, src, &caller, from, to, interval, slots, &zone),
            })
            .collect();
        let body = json!({"@odata.context": context, "value": value});
        Ok(applied(Reply::ok(body), pref))
    }))
}

/// What getSchedule reads of one user, copied out of the store.
struct ScheduleSource {
    user_id: String,
    events: Vec<EventRec>,
    working_hours: Value,
}

/// One `scheduleInformation`: the availability view and the items.
#[allow(clippy::too_many_arguments)]
fn schedule_information(
    addr: &str,
    src: &ScheduleSource,
    caller: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    interval: i64,
    slots: i64,
    zone: &OutZone,
) -> Value {
    let hits = instances_in(src.events.iter(), from, to);
    let mut view = vec![0u8; slots.max(0) as usize];
    let mut items = Vec::new();
    for (s, e, ev, occ) in hits {
        if ev.data.get("isCancelled") == Some(&Value::Bool(true)) {
            continue;
        }
        let status = ev.data.get("showAs").and_then(Value::as_str).unwrap_or("busy").to_owned();
        let (digit, rank) = match status.as_str() {
            "free" => (0, 0),
            "workingElsewhere" => (4, 1),
            "tentative" => (1, 2),
            "oof" => (3, 4),
            _ => (2, 3),
        };
        let rank_of = |d: u8| match d {
            4 => 1,
            1 => 2,
            2 => 3,
            3 => 4,
            _ => 0,
        };
        // The slots [first, last) the instance overlaps, computed rather than searched.
        let step = interval * 60_000;
        let first = ((s - from).num_milliseconds().max(0) / step) as usize;
        let last = (((e - from).num_milliseconds().max(0) + step - 1) / step) as usize;
        let last = last.min(view.len());
        for slot in view.iter_mut().take(last).skip(first) {
            if rank > rank_of(*slot) {
                *slot = digit;
            }
        }
        let rendered = render_event(ev, occ, zone);
        let private = ev.data.get("sensitivity").and_then(Value::as_str).is_some_and(|x| x == "private");
        let mut item = json!({
            "isPrivate": private,
            "status": status,
            "isMeeting": ev.data.get("attendees").and_then(Value::as_array).is_some_and(|a| !a.is_empty()),
            "isRecurring": occ.is_some(),
            "isException": false,
            "isReminderSet": ev.data.get("isReminderOn").cloned().unwrap_or(json!(false)),
            "start": rendered["start"],
            "end": rendered["end"],
        });
        // Graph's default sharing shows others free/busy only; one's own calendar, the details.
        if !private && src.user_id == caller {
            item["subject"] = rendered["subject"].clone();
            item["location"] = rendered["location"]["displayName"].clone();
        }
        items.push(item);
    }
    json!({
        "scheduleId": addr,
        "availabilityView": view.iter().map(|d| char::from(b'0' + d)).collect::<String>(),
        "scheduleItems": items,
        "workingHours": src.working_hours,
    })
}

/// `POST /events/{id}/forward`: the meeting goes to the new recipients; those
/// who are users of the tenant find it in their calendar.
fn forward_event(store: &mut Store, user_id: &str, id: &str, req: &Req) -> ApiResult<Reply> {
    let body = action_params(req.body, &["toRecipients", "comment"])?;
    let mut to = Vec::new();
    for (k, v) in &body {
        match k.as_str() {
            "toRecipients" => {
                let checked = check_body(
                    &serde_json::Map::from_iter([("toRecipients".to_owned(), v.clone())]),
                    crate::state::mail::MESSAGE_WRITABLE,
                    "message",
                )?;
                to = crate::state::mail::addresses(checked.get("toRecipients"));
            }
            "comment" => {}
            other => {
                return Err(GraphError::body_read(format!(
                    "The parameter '{other}' in the request payload is not a valid parameter for the operation 'forward'."
                )));
            }
        }
    }
    if to.is_empty() {
        return Err(GraphError::new(
            StatusCode::BAD_REQUEST,
            "ErrorInvalidRecipients",
            "At least one recipient isn't valid., A message can't be sent because it contains no recipients.",
        ));
    }
    let (i, _) = find_event(store, user_id, id)?;
    let ev = store.mailbox(user_id)?.events[i].clone();
    let organizer_addr = ev.data["organizer"]["emailAddress"]["address"].as_str().unwrap_or_default().to_owned();
    let organizer = store.user(&organizer_addr).cloned();
    for addr in to {
        let Some(target) = store.user(&addr).map(|u| u.id.clone()) else { continue };
        let ical = ev.data.get("iCalUId").cloned();
        if store.mailbox(&target)?.events.iter().any(|e| e.data.get("iCalUId") == ical.as_ref()) {
            continue;
        }
        let Some(cal) = store.mailbox(&target)?.default_calendar().map(|c| c.id.clone()) else { continue };
        let mut data = ev.data.clone();
        for k in ["responseStatus", "isOrganizer", "organizer", "createdDateTime"] {
            data.remove(k);
        }
        store.put_event(
            &target,
            &cal,
            data,
            (ev.start, ev.start_tz.clone()),
            (ev.end, ev.end_tz.clone()),
            organizer.as_ref(),
            req.now,
        )?;
    }
    Ok(Reply::accepted())
}

fn view(store: &mut Store, user_id: &str, cal: &str, tail: &[&str], req: &Req) -> ApiResult<Reply> {
    match tail {
        [] => {}
        ["delta"] if req.method == Method::GET => {
            let (zone, pref) = out_zone(req);
            let render = |store: &Store, (from, to): (DateTime<Utc>, DateTime<Utc>)| -> ApiResult<Vec<Value>> {
                let mb = store.mailbox(user_id)?;
                Ok(expand_window(mb.events.iter().filter(|e| e.calendar_id == cal), from, to, &zone))
            };
            let reply = crate::routes::delta::calendar_view_delta(store, user_id, cal, req, render, window)?;
            return Ok(applied(reply, pref));
        }
        ["delta"] => return Err(GraphError::method_not_allowed()),
        [other, ..] => return Err(GraphError::segment_not_found(other)),
    }
    if req.method != Method::GET {
        return Err(GraphError::method_not_allowed());
    }
    req.query.validate(EVENT_PROPS, "event")?;
    let (from, to) = window(req)?;
    let (zone, pref) = out_zone(req);
    let mb = store.mailbox(user_id)?;
    let items = expand_window(mb.events.iter().filter(|e| e.calendar_id == cal), from, to, &zone);
    let listing = Listing {
        query: &req.query,
        props: EVENT_PROPS,
        context: req.context(&format!("users('{user_id}')/calendarView")),
        link_base: &req.link_base(),
        prefer_max: req.prefs.max_page_size,
        default_page: 10,
        max_page: 1000,
    };
    Ok(applied(Reply::ok(listing.render(items)), pref))
}

fn instances(store: &Store, user_id: &str, id: &str, req: &Req) -> ApiResult<Reply> {
    req.query.validate(EVENT_PROPS, "event")?;
    let (i, occ) = find_event(store, user_id, id)?;
    if occ.is_some() {
        return Err(GraphError::invalid_request("instances is available on a series master only."));
    }
    let (from, to) = window(req)?;
    let (zone, pref) = out_zone(req);
    let mb = store.mailbox(user_id)?;
    let items = expand_window(std::iter::once(&mb.events[i]), from, to, &zone);
    let listing = Listing {
        query: &req.query,
        props: EVENT_PROPS,
        context: req.context(&format!("users('{user_id}')/events('{id}')/instances")),
        link_base: &req.link_base(),
        prefer_max: req.prefs.max_page_size,
        default_page: 10,
        max_page: 1000,
    };
    Ok(applied(Reply::ok(listing.render(items)), pref))
}

fn create_event(store: &mut Store, user_id: &str, cal: Option<&str>, req: &Req) -> ApiResult<Reply> {
    let body = json_object(req.body)?;
    let mut data = check_body(&body, EVENT_WRITABLE, "event")?;
    let start = data.remove("start").filter(|v| !v.is_null());
    let end = data.remove("end").filter(|v| !v.is_null());
    let (Some(start), Some(end)) = (start, end) else {
        return Err(GraphError::invalid_request("An event needs both start and end."));
    };
    let start = read_dttz(&start, "start")?;
    let end = read_dttz(&end, "end")?;
    if let Some(rec) = data.get("recurrence") {
        check_recurrence(rec)?;
    }
    let cal = match cal {
        Some(c) => c.to_owned(),
        None => store.mailbox(user_id)?.default_calendar().map(|c| c.id.clone()).unwrap_or_default(),
    };
    if !store.mailbox(user_id)?.calendar(&cal)?.can_edit {
        return Err(GraphError::access_denied());
    }
    data.remove("organizer");
    let id = store.put_event(user_id, &cal, data, start, end, None, req.now)?;
    let (s, e) = store.mailbox(user_id)?.events.iter().find(|x| x.id == id).map(|x| x.span_utc()).unwrap_or_default();
    if e < s {
        store.mailbox_mut(user_id)?.events.retain(|x| x.id != id);
        return Err(GraphError::invalid_request("The end of the event must not be before its start."));
    }
    store.invite_attendees(user_id, &id, req.now)?;
    let (v, pref) = render_one(store, user_id, &id, req)?;
    Ok(applied(Reply::created(v), pref))
}

fn update_event(store: &mut Store, user_id: &str, id: &str, req: &Req) -> ApiResult<Reply> {
    let body = json_object(req.body)?;
    let mut data = check_body(&body, EVENT_WRITABLE, "event")?;
    let (i, occ) = find_event(store, user_id, id)?;
    if occ.is_some() {
        return Err(GraphError::new(
            StatusCode::NOT_IMPLEMENTED,
            "NotImplemented",
            "Updating a single occurrence is not implemented by msgraph-emulator; update the series master.",
        ));
    }
    let start = data.remove("start").filter(|v| !v.is_null()).map(|v| read_dttz(&v, "start")).transpose()?;
    let end = data.remove("end").filter(|v| !v.is_null()).map(|v| read_dttz(&v, "end")).transpose()?;
    if let Some(rec) = data.get("recurrence") {
        check_recurrence(rec)?;
    }
    data.remove("organizer");
    let wants_meeting = data.get("isOnlineMeeting") == Some(&Value::Bool(true));
    let has_meeting = store.mailbox(user_id)?.events[i].data.get("onlineMeeting").is_some_and(|v| !v.is_null());
    let meeting = if wants_meeting && !has_meeting { Some(online_meeting(store)) } else { None };
    let seq = store.next_seq();
    let now = req.now;
    let mb = store.mailbox_mut(user_id)?;
    let e = &mut mb.events[i];
    let before = (e.start, e.start_tz.clone(), e.end, e.end_tz.clone());
    if let Some((dt, tz)) = start {
        e.start = dt;
        e.start_tz = tz;
    }
    if let Some((dt, tz)) = end {
        e.end = dt;
        e.end_tz = tz;
    }
    let (s, en) = e.span_utc();
    if en < s {
        (e.start, e.start_tz, e.end, e.end_tz) = before;
        return Err(GraphError::invalid_request("The end of the event must not be before its start."));
    }
    for (k, v) in data {
        e.data.insert(k, v);
    }
    if let Some(m) = meeting {
        e.data.insert("onlineMeeting".into(), m);
        e.data.insert("onlineMeetingProvider".into(), json!("teamsForBusiness"));
    }
    e.data.insert("lastModifiedDateTime".into(), json!(format_utc(now)));
    e.changed_seq = seq;
    let (v, pref) = render_one(store, user_id, id, req)?;
    Ok(applied(Reply::ok(v), pref))
}

fn delete_event(store: &mut Store, user_id: &str, id: &str) -> ApiResult<Reply> {
    let (i, occ) = find_event(store, user_id, id)?;
    store.next_seq();
    let mb = store.mailbox_mut(user_id)?;
    match occ {
        Some(d) => mb.events[i].cancelled_occurrences.push(d),
        None => {
            mb.events.remove(i);
        }
    }
    Ok(Reply::no_content())
}

fn action_body(req: &Req, allowed: &[&str]) -> ApiResult<()> {
    let body = action_params(req.body, allowed)?;
    for k in body.keys() {
        if !allowed.contains(&k.as_str()) {
            return Err(GraphError::body_read(format!(
                "The parameter '{k}' in the request payload is not a valid parameter for the operation."
            )));
        }
    }
    Ok(())
}

/// accept / decline / tentativelyAccept: sets `responseStatus` and the
/// organizer's view of this attendee.
fn respond(store: &mut Store, user_id: &str, id: &str, action: &str, req: &Req) -> ApiResult<Reply> {
    action_body(req, &["comment", "sendResponse", "proposedNewTime"])?;
    let (i, _) = find_event(store, user_id, id)?;
    let response = match action {
        "accept" => "accepted",
        "decline" => "declined",
        _ => "tentativelyAccepted",
    };
    let me = store.users.iter().find(|u| u.id == user_id).cloned().ok_or_else(GraphError::item_not_found)?;
    let ev = store.mailbox(user_id)?.events[i].clone();
    if ev.data.get("isOrganizer") == Some(&Value::Bool(true)) {
        return Err(GraphError::invalid_request(
            "Your request can't be completed. You can't respond to this meeting because you're the meeting organizer.",
        ));
    }
    let time = json!(format_utc(req.now));
    let seq = store.next_seq();
    {
        let e = &mut store.mailbox_mut(user_id)?.events[i];
        e.data.insert("responseStatus".into(), json!({"response": response, "time": time}));
        e.changed_seq = seq;
    }
    // Tell the organizer's copy.
    let organizer = ev.data["organizer"]["emailAddress"]["address"].as_str().unwrap_or_default().to_owned();
    if let Some(org_id) = store.user(&organizer).map(|u| u.id.clone()) {
        let ical = ev.data.get("iCalUId").cloned();
        let seq = store.next_seq();
        if let Ok(mb) = store.mailbox_mut(&org_id) {
            for e in mb.events.iter_mut().filter(|e| e.data.get("iCalUId") == ical.as_ref()) {
                if let Some(Value::Array(atts)) = e.data.get_mut("attendees") {
                    for a in atts.iter_mut() {
                        if a["emailAddress"]["address"].as_str().is_some_and(|x| x.eq_ignore_ascii_case(&me.mail)) {
                            a["status"] = json!({"response": response, "time": time});
                        }
                    }
                }
                e.changed_seq = seq;
            }
        }
    }
    Ok(Reply::accepted())
}

/// cancel: the organizer cancels; attendees' copies become `isCancelled`.
fn cancel(store: &mut Store, user_id: &str, id: &str, req: &Req) -> ApiResult<Reply> {
    action_body(req, &["comment"])?;
    let (i, occ) = find_event(store, user_id, id)?;
    let ev = store.mailbox(user_id)?.events[i].clone();
    if ev.data.get("isOrganizer") != Some(&Value::Bool(true)) {
        return Err(GraphError::invalid_request(
            "Your request can't be completed. Only the meeting organizer can cancel it.",
        ));
    }
    if let Some(d) = occ {
        store.mailbox_mut(user_id)?.events[i].cancelled_occurrences.push(d);
        return Ok(Reply::accepted());
    }
    let ical = ev.data.get("iCalUId").cloned();
    let seq = store.next_seq();
    for mb in store.mailboxes.values_mut() {
        for e in mb.events.iter_mut().filter(|e| e.data.get("iCalUId") == ical.as_ref()) {
            e.data.insert("isCancelled".into(), json!(true));
            e.changed_seq = seq;
        }
    }
    store.mailbox_mut(user_id)?.events.retain(|e| e.id != ev.id);
    Ok(Reply::accepted())
}

fn owner(store: &Store, user_id: &str) -> ApiResult<crate::state::store::UserRec> {
    store.users.iter().find(|u| u.id == user_id).cloned().ok_or_else(GraphError::item_not_found)
}

fn list_calendars(store: &Store, user_id: &str, req: &Req) -> ApiResult<Reply> {
    req.query.validate(CALENDAR_PROPS, "calendar")?;
    let u = owner(store, user_id)?;
    let items = store.mailbox(user_id)?.calendars.iter().map(|c| render_calendar(c, &u)).collect();
    let listing = Listing {
        query: &req.query,
        props: CALENDAR_PROPS,
        context: req.context(&format!("users('{user_id}')/calendars")),
        link_base: &req.link_base(),
        prefer_max: req.prefs.max_page_size,
        default_page: 10,
        max_page: 1000,
    };
    Ok(Reply::ok(listing.render(items)))
}

fn calendar_json(store: &Store, user_id: &str, cal: &str, req: &Req) -> ApiResult<Value> {
    let u = owner(store, user_id)?;
    let c = store.mailbox(user_id)?.calendar(cal)?;
    let v = apply_select(render_calendar(c, &u), req.query.select.as_deref(), CALENDAR_PROPS);
    Ok(with_context(v, req.context(&format!("users('{user_id}')/calendars/$entity"))))
}

fn calendar_name_and_color(req: &Req) -> ApiResult<(Option<String>, Option<String>)> {
    let body = json_object(req.body)?;
    let (mut name, mut color) = (None, None);
    for (k, v) in &body {
        match k.as_str() {
            "name" => name = v.as_str().map(str::to_owned),
            "color" => color = v.as_str().map(str::to_owned),
            "hexColor" | "id" | "changeKey" => {}
            k if k.starts_with('@') => {}
            other => {
                return Err(GraphError::body_read(format!(
                    "The property '{other}' does not exist on type 'microsoft.graph.calendar'."
                )));
            }
        }
    }
    Ok((name, color))
}

fn create_calendar(store: &mut Store, user_id: &str, req: &Req) -> ApiResult<Reply> {
    let (name, color) = calendar_name_and_color(req)?;
    let name = name
        .filter(|n| !n.trim().is_empty())
        .ok_or_else(|| GraphError::invalid_request("The calendar name is required."))?;
    if store.mailbox(user_id)?.calendars.iter().any(|c| c.name.eq_ignore_ascii_case(&name)) {
        return Err(GraphError::new(
            StatusCode::CONFLICT,
            "ErrorFolderExists",
            "A folder with the specified name already exists.",
        ));
    }
    let id = store.ids.next(IdKind::Calendar);
    let seq = store.next_seq();
    store.mailbox_mut(user_id)?.calendars.push(CalendarRec {
        id: id.clone(),
        name,
        color: color.unwrap_or_else(|| "auto".into()),
        is_default: false,
        can_edit: true,
        changed_seq: seq,
    });
    Ok(Reply::created(calendar_json(store, user_id, &id, req)?))
}

fn calendar_item(store: &mut Store, user_id: &str, cal: &str, req: &Req) -> ApiResult<Reply> {
    match req.method {
        Method::GET => {
            req.query.validate(CALENDAR_PROPS, "calendar")?;
            Ok(Reply::ok(calendar_json(store, user_id, cal, req)?))
        }
        Method::PATCH => {
            let (name, color) = calendar_name_and_color(req)?;
            let seq = store.next_seq();
            let mb = store.mailbox_mut(user_id)?;
            if let Some(c) = mb.calendars.iter_mut().find(|c| c.id == cal) {
                if let Some(n) = name {
                    c.name = n;
                }
                if let Some(col) = color {
                    c.color = col;
                }
                c.changed_seq = seq;
            }
            Ok(Reply::ok(calendar_json(store, user_id, cal, req)?))
        }
        Method::DELETE => {
            let mb = store.mailbox_mut(user_id)?;
            if mb.calendars.iter().any(|c| c.id == cal && c.is_default) {
                return Err(GraphError::new(
                    StatusCode::BAD_REQUEST,
                    "ErrorDeleteDistinguishedFolder",
                    "Distinguished folders cannot be deleted.",
                ));
            }
            mb.calendars.retain(|c| c.id != cal);
            mb.events.retain(|e| e.calendar_id != cal);
            Ok(Reply::no_content())
        }
        _ => Err(GraphError::method_not_allowed()),
    }
}
