//! Events and calendars: properties, rendering in a requested time zone,
//! recurrence expansion and occurrence ids.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Utc, Weekday};
use serde_json::{Value, json};

use crate::errors::{ApiResult, GraphError};
use crate::state::ids::IdKind;
use crate::state::mail::{body_text, change_key};
use crate::state::schema::{IMPORTANCE, Kind};
use crate::state::store::{CalendarRec, EventRec, Obj, Store, UserRec};
use crate::time::{Zone, find_zone, format_local, format_utc, parse_local, utc_zone};

/// Every property of `microsoft.graph.event` the emulator knows.
pub(crate) const EVENT_PROPS: &[&str] = &[
    "id",
    "createdDateTime",
    "lastModifiedDateTime",
    "changeKey",
    "categories",
    "transactionId",
    "originalStartTimeZone",
    "originalEndTimeZone",
    "iCalUId",
    "reminderMinutesBeforeStart",
    "isReminderOn",
    "hasAttachments",
    "subject",
    "bodyPreview",
    "importance",
    "sensitivity",
    "isAllDay",
    "isCancelled",
    "isOrganizer",
    "responseRequested",
    "seriesMasterId",
    "showAs",
    "type",
    "webLink",
    "onlineMeetingUrl",
    "isOnlineMeeting",
    "onlineMeetingProvider",
    "allowNewTimeProposals",
    "isDraft",
    "hideAttendees",
    "responseStatus",
    "body",
    "start",
    "end",
    "location",
    "locations",
    "recurrence",
    "attendees",
    "organizer",
    "onlineMeeting",
    "originalStart",
    "occurrenceId",
    "calendar",
    "instances",
    "attachments",
    "extensions",
    "singleValueExtendedProperties",
    "multiValueExtendedProperties",
];

/// What a client may send when creating or updating an event.
pub(crate) const EVENT_WRITABLE: &[(&str, Kind)] = &[
    ("subject", Kind::Str),
    ("body", Kind::ItemBody),
    ("start", Kind::DateTimeTimeZone),
    ("end", Kind::DateTimeTimeZone),
    ("location", Kind::Object),
    ("locations", Kind::Array),
    ("attendees", Kind::Attendees),
    ("categories", Kind::StrArray),
    ("importance", IMPORTANCE),
    ("sensitivity", Kind::Enum("sensitivity", &["normal", "personal", "private", "confidential"])),
    ("showAs", Kind::Enum("freeBusyStatus", &["unknown", "free", "tentative", "busy", "oof", "workingElsewhere"])),
    ("isAllDay", Kind::Bool),
    ("isOnlineMeeting", Kind::Bool),
    (
        "onlineMeetingProvider",
        Kind::Enum(
            "onlineMeetingProviderType",
            &["unknown", "skypeForBusiness", "skypeForConsumer", "teamsForBusiness"],
        ),
    ),
    ("isReminderOn", Kind::Bool),
    ("reminderMinutesBeforeStart", Kind::Int),
    ("recurrence", Kind::Object),
    ("responseRequested", Kind::Bool),
    ("allowNewTimeProposals", Kind::Bool),
    ("hideAttendees", Kind::Bool),
    ("transactionId", Kind::Str),
    ("organizer", Kind::Recipient),
    ("singleValueExtendedProperties", Kind::Array),
    ("multiValueExtendedProperties", Kind::Array),
    ("extensions", Kind::Array),
    ("originalStartTimeZone", Kind::Ignored),
    ("originalEndTimeZone", Kind::Ignored),
    ("id", Kind::Ignored),
    ("createdDateTime", Kind::Ignored),
    ("lastModifiedDateTime", Kind::Ignored),
    ("changeKey", Kind::Ignored),
    ("iCalUId", Kind::Ignored),
    ("hasAttachments", Kind::Ignored),
    ("bodyPreview", Kind::Ignored),
    ("isCancelled", Kind::Ignored),
    ("isOrganizer", Kind::Ignored),
    ("seriesMasterId", Kind::Ignored),
    ("type", Kind::Ignored),
    ("webLink", Kind::Ignored),
    ("onlineMeetingUrl", Kind::Ignored),
    ("onlineMeeting", Kind::Ignored),
    ("responseStatus", Kind::Ignored),
    ("isDraft", Kind::Ignored),
];

/// Properties of `microsoft.graph.calendar`.
pub(crate) const CALENDAR_PROPS: &[&str] = &[
    "id",
    "name",
    "color",
    "hexColor",
    "changeKey",
    "canShare",
    "canViewPrivateItems",
    "canEdit",
    "isDefaultCalendar",
    "allowedOnlineMeetingProviders",
    "defaultOnlineMeetingProvider",
    "isTallyingResponses",
    "isRemovable",
    "owner",
];

/// The zone start/end are shown in (`Prefer: outlook.timezone`), and the name to show.
#[derive(Debug, Clone)]
pub(crate) struct OutZone {
    pub zone: &'static Zone,
    pub name: String,
}

impl Default for OutZone {
    fn default() -> Self {
        OutZone { zone: utc_zone(), name: "UTC".into() }
    }
}

/// A zone by name, or Graph's `TimeZoneNotSupportedException`.
pub(crate) fn zone_or_400(name: &str) -> ApiResult<&'static Zone> {
    find_zone(name).ok_or_else(|| {
        GraphError::new(
            axum::http::StatusCode::BAD_REQUEST,
            "TimeZoneNotSupportedException",
            format!(
                "A valid TimeZone value must be specified. The following TimeZone value is not supported: '{name}'."
            ),
        )
    })
}

/// Reads a `dateTimeTimeZone` into wall time in its zone.
pub(crate) fn read_dttz(v: &Value, prop: &str) -> ApiResult<(NaiveDateTime, String)> {
    let dt = v
        .get("dateTime")
        .and_then(Value::as_str)
        .ok_or_else(|| GraphError::invalid_request(format!("The {prop}.dateTime property is required.")))?;
    let tz = v.get("timeZone").and_then(Value::as_str).unwrap_or("UTC").to_owned();
    let zone = zone_or_400(&tz)?;
    let (naive, had_offset) = parse_local(dt).ok_or_else(|| {
        GraphError::bad_request(format!("Cannot convert the literal '{dt}' to the expected type 'Edm.DateTime'."))
    })?;
    let local = if had_offset { zone.local_at(DateTime::<Utc>::from_naive_utc_and_offset(naive, Utc)) } else { naive };
    Ok((local, tz))
}

impl EventRec {
    fn zone(&self) -> &'static Zone {
        find_zone(&self.start_tz).unwrap_or_else(utc_zone)
    }

    /// Start and end of the series master or single instance, UTC.
    pub fn span_utc(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        let end_zone = find_zone(&self.end_tz).unwrap_or_else(utc_zone);
        (self.zone().utc_of(self.start), end_zone.utc_of(self.end))
    }

    /// Whether it is a series master.
    pub fn is_series(&self) -> bool {
        self.data.get("recurrence").is_some_and(Value::is_object)
    }

    fn is_all_day(&self) -> bool {
        self.data.get("isAllDay") == Some(&Value::Bool(true))
    }

    /// The occurrence starting on local date `date`, as (start, end) in UTC.
    pub fn occurrence_span(&self, date: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
        let start_local = date.and_time(self.start.time());
        let start = self.zone().utc_of(start_local);
        if self.is_all_day() {
            let days = (self.end.date() - self.start.date()).num_days().max(1);
            return (start, self.zone().utc_of(start_local + Duration::days(days)));
        }
        let (s, e) = self.span_utc();
        (start, start + (e - s))
    }

    /// Local start dates of the occurrences of a series that overlap [from, to).
    pub fn occurrences_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<NaiveDate> {
        let Some(rec) = self.data.get("recurrence") else { return Vec::new() };
        let last_local = self.zone().local_at(to).date() + Duration::days(1);
        expand(rec, self.start.date(), last_local)
            .into_iter()
            .filter(|d| !self.cancelled_occurrences.contains(d))
            .filter(|d| {
                let (s, e) = self.occurrence_span(*d);
                s < to && e > from
            })
            .collect()
    }

    /// Whether a series has an occurrence on a local date.
    pub fn has_occurrence_on(&self, date: NaiveDate) -> bool {
        let Some(rec) = self.data.get("recurrence") else { return false };
        !self.cancelled_occurrences.contains(&date) && expand(rec, self.start.date(), date).contains(&date)
    }
}

fn weekday(name: &str) -> Option<Weekday> {
    Some(match name.to_ascii_lowercase().as_str() {
        "sunday" => Weekday::Sun,
        "monday" => Weekday::Mon,
        "tuesday" => Weekday::Tue,
        "wednesday" => Weekday::Wed,
        "thursday" => Weekday::Thu,
        "friday" => Weekday::Fri,
        "saturday" => Weekday::Sat,
        _ => return None,
    })
}

fn month_add(year: i32, month: u32, add: u32) -> (i32, u32) {
    let m0 = (month - 1) + add;
    (year + (m0 / 12) as i32, m0 % 12 + 1)
}

fn days_in_month(year: i32, month: u32) -> u32 {
    let (ny, nm) = month_add(year, month, 1);
    NaiveDate::from_ymd_opt(ny, nm, 1).and_then(|d| d.pred_opt()).map(|d| d.day()).unwrap_or(28)
}

/// Dates in a month matching a relative pattern (`index` of `days`).
fn relative_dates(year: i32, month: u32, days: &[Weekday], index: &str) -> Vec<NaiveDate> {
    let all: Vec<NaiveDate> = (1..=days_in_month(year, month))
        .filter_map(|d| NaiveDate::from_ymd_opt(year, month, d))
        .filter(|d| days.contains(&d.weekday()))
        .collect();
    let pick = match index.to_ascii_lowercase().as_str() {
        "second" => all.get(1),
        "third" => all.get(2),
        "fourth" => all.get(3),
        "last" => all.last(),
        _ => all.first(),
    };
    pick.into_iter().copied().collect()
}

/// Expands a `patternedRecurrence` into local start dates, from the series
/// start up to `until` (inclusive), honouring the range's end date or count.
pub(crate) fn expand(rec: &Value, series_start: NaiveDate, until: NaiveDate) -> Vec<NaiveDate> {
    let pattern = &rec["pattern"];
    let range = &rec["range"];
    let kind = pattern["type"].as_str().unwrap_or("daily");
    let interval = pattern["interval"].as_u64().unwrap_or(1).max(1) as u32;
    let start = range["startDate"].as_str().and_then(crate::time::parse_date).unwrap_or(series_start);
    let range_type = range["type"].as_str().unwrap_or("noEnd");
    let end_date = match range_type {
        "endDate" => range["endDate"].as_str().and_then(crate::time::parse_date),
        _ => None,
    };
    let max_count = match range_type {
        "numbered" => range["numberOfOccurrences"].as_u64().map(|n| n as usize),
        _ => None,
    };
    let limit = end_date.map_or(until, |e| e.min(until));
    let days: Vec<Weekday> = pattern["daysOfWeek"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).filter_map(weekday).collect())
        .unwrap_or_default();
    let first_day = pattern["firstDayOfWeek"].as_str().and_then(weekday).unwrap_or(Weekday::Sun);
    let index = pattern["index"].as_str().unwrap_or("first");
    let day_of_month = pattern["dayOfMonth"].as_u64().unwrap_or(start.day() as u64) as u32;
    let month = pattern["month"].as_u64().map(|m| m as u32).unwrap_or(start.month());

    let mut out = Vec::new();
    let push = |d: NaiveDate, out: &mut Vec<NaiveDate>| -> bool {
        if d < start {
            return true;
        }
        if d > limit || max_count.is_some_and(|n| out.len() >= n) {
            return false;
        }
        out.push(d);
        true
    };
    const MAX_STEPS: u32 = 50_000;
    match kind {
        "weekly" => {
            let days = if days.is_empty() { vec![start.weekday()] } else { days };
            let back = (start.weekday().num_days_from_sunday() + 7 - first_day.num_days_from_sunday()) % 7;
            let mut week = start - Duration::days(back as i64);
            'weeks: for _ in 0..MAX_STEPS {
                for offset in 0..7 {
                    let d = week + Duration::days(offset);
                    if days.contains(&d.weekday()) && !push(d, &mut out) {
                        break 'weeks;
                    }
                }
                week += Duration::weeks(interval as i64);
            }
        }
        "absoluteMonthly" | "relativeMonthly" | "absoluteYearly" | "relativeYearly" => {
            let yearly = kind.ends_with("Yearly");
            let step = if yearly { 12 * interval } else { interval };
            let (mut y, mut m) = if yearly { (start.year(), month) } else { (start.year(), start.month()) };
            'months: for _ in 0..MAX_STEPS {
                let dates = if kind.starts_with("absolute") {
                    NaiveDate::from_ymd_opt(y, m, day_of_month).into_iter().collect()
                } else {
                    relative_dates(y, m, &days, index)
                };
                for d in dates {
                    if !push(d, &mut out) {
                        break 'months;
                    }
                }
                if NaiveDate::from_ymd_opt(y, m, 1).is_some_and(|d| d > limit) {
                    break;
                }
                (y, m) = month_add(y, m, step);
            }
        }
        _ => {
            let mut d = start;
            for _ in 0..MAX_STEPS {
                if !push(d, &mut out) {
                    break;
                }
                d += Duration::days(interval as i64);
            }
        }
    }
    out
}

/// Validates a `patternedRecurrence` body.
pub(crate) fn check_recurrence(rec: &Value) -> ApiResult<()> {
    if rec.is_null() {
        return Ok(());
    }
    let bad = |m: &str| GraphError::invalid_request(format!("The recurrence is not valid: {m}"));
    let kind = rec["pattern"]["type"].as_str().ok_or_else(|| bad("pattern.type is required"))?;
    if !matches!(kind, "daily" | "weekly" | "absoluteMonthly" | "relativeMonthly" | "absoluteYearly" | "relativeYearly")
    {
        return Err(GraphError::body_read(format!(
            "Cannot convert the literal '{kind}' to the expected type 'microsoft.graph.recurrencePatternType'."
        )));
    }
    let in_range = |k: &str, lo: u64, hi: u64| match &rec["pattern"][k] {
        Value::Null => true,
        v => v.as_u64().is_some_and(|n| (lo..=hi).contains(&n)),
    };
    if !in_range("interval", 1, 99) {
        return Err(bad("pattern.interval must be between 1 and 99"));
    }
    if !in_range("month", 1, 12) {
        return Err(bad("pattern.month must be between 1 and 12"));
    }
    if !in_range("dayOfMonth", 1, 31) {
        return Err(bad("pattern.dayOfMonth must be between 1 and 31"));
    }
    if kind == "weekly" && rec["pattern"]["daysOfWeek"].as_array().is_none_or(Vec::is_empty) {
        return Err(bad("a weekly pattern needs daysOfWeek"));
    }
    let rtype = rec["range"]["type"].as_str().ok_or_else(|| bad("range.type is required"))?;
    if !matches!(rtype, "endDate" | "noEnd" | "numbered") {
        return Err(GraphError::body_read(format!(
            "Cannot convert the literal '{rtype}' to the expected type 'microsoft.graph.recurrenceRangeType'."
        )));
    }
    let date = |k: &str| rec["range"][k].as_str().and_then(crate::time::parse_date);
    if date("startDate").is_none() {
        return Err(bad("range.startDate is required (yyyy-MM-dd)"));
    }
    if rtype == "endDate" && date("endDate").is_none() {
        return Err(bad("range.endDate is required for an endDate range"));
    }
    if rtype == "numbered" && rec["range"]["numberOfOccurrences"].as_u64().is_none_or(|n| n == 0) {
        return Err(bad("range.numberOfOccurrences must be positive"));
    }
    Ok(())
}

const OCC_TAG: [u8; 5] = [0x00, 0x03, 0x24, 0x00, b'O'];

/// The id of the occurrence of `master` starting on local date `date`.
pub(crate) fn occurrence_id(master: &str, date: NaiveDate) -> String {
    let mut raw = OCC_TAG.to_vec();
    raw.extend_from_slice(master.as_bytes());
    raw.push(0);
    raw.extend_from_slice(date.format("%Y%m%d").to_string().as_bytes());
    URL_SAFE.encode(raw)
}

/// Reads an occurrence id back into its master id and date.
pub(crate) fn parse_occurrence_id(id: &str) -> Option<(String, NaiveDate)> {
    let raw = URL_SAFE.decode(id).ok()?;
    let rest = raw.strip_prefix(&OCC_TAG[..])?;
    let sep = rest.iter().rposition(|b| *b == 0)?;
    let master = String::from_utf8(rest[..sep].to_vec()).ok()?;
    let date = NaiveDate::parse_from_str(std::str::from_utf8(&rest[sep + 1..]).ok()?, "%Y%m%d").ok()?;
    Some((master, date))
}

fn dttz(local: NaiveDateTime, name: &str) -> Value {
    json!({"dateTime": format_local(local), "timeZone": name})
}

/// An event (or one occurrence of a series) as Graph returns it, with start
/// and end shown in `out`.
pub(crate) fn render_event(e: &EventRec, occurrence: Option<NaiveDate>, out: &OutZone) -> Value {
    let mut o = e.data.clone();
    let ck = change_key(e.changed_seq, &e.id);
    let (start, end) = match occurrence {
        Some(d) => e.occurrence_span(d),
        None => e.span_utc(),
    };
    let (start_v, end_v) = if e.is_all_day() {
        let days = (e.end.date() - e.start.date()).num_days().max(1);
        let s = occurrence.unwrap_or(e.start.date()).and_time(chrono::NaiveTime::MIN);
        (dttz(s, &out.name), dttz(s + Duration::days(days), &out.name))
    } else {
        (dttz(out.zone.local_at(start), &out.name), dttz(out.zone.local_at(end), &out.name))
    };
    o.insert("@odata.etag".into(), json!(format!("W/\"{ck}\"")));
    o.insert("changeKey".into(), json!(ck));
    o.insert("start".into(), start_v);
    o.insert("end".into(), end_v);
    o.insert("originalStartTimeZone".into(), json!(e.start_tz));
    o.insert("originalEndTimeZone".into(), json!(e.end_tz));
    let mut preview = body_text(&e.data);
    if preview.chars().count() > 255 {
        preview = preview.chars().take(255).collect();
    }
    o.insert("bodyPreview".into(), json!(preview));
    o.insert("hasAttachments".into(), json!(false));
    match occurrence {
        Some(d) => {
            let id = occurrence_id(&e.id, d);
            o.insert("id".into(), json!(id));
            o.insert("type".into(), json!("occurrence"));
            o.insert("seriesMasterId".into(), json!(e.id));
            o.insert("recurrence".into(), Value::Null);
            o.insert("occurrenceId".into(), json!(format!("OID.{}.{}", e.id, d.format("%Y-%m-%d"))));
            o.insert("originalStart".into(), json!(format_utc(start)));
        }
        None => {
            o.insert("id".into(), json!(e.id));
            o.insert("type".into(), json!(if e.is_series() { "seriesMaster" } else { "singleInstance" }));
            o.insert("seriesMasterId".into(), Value::Null);
        }
    }
    let link_id: String =
        percent_encoding::utf8_percent_encode(o["id"].as_str().unwrap_or_default(), percent_encoding::NON_ALPHANUMERIC)
            .to_string();
    o.insert(
        "webLink".into(),
        json!(format!("https://outlook.office365.com/owa/?itemid={link_id}&exvsurl=1&path=/calendar/item")),
    );
    Value::Object(o)
}

/// A calendar as Graph returns it.
pub(crate) fn render_calendar(c: &CalendarRec, owner: &UserRec) -> Value {
    let ck = change_key(c.changed_seq, &c.id);
    json!({
        "id": c.id,
        "name": c.name,
        "color": c.color,
        "hexColor": "",
        "isDefaultCalendar": c.is_default,
        "changeKey": ck,
        "canShare": c.can_edit,
        "canViewPrivateItems": true,
        "canEdit": c.can_edit,
        "allowedOnlineMeetingProviders": ["teamsForBusiness"],
        "defaultOnlineMeetingProvider": "teamsForBusiness",
        "isTallyingResponses": true,
        "isRemovable": !c.is_default,
        "owner": {"name": owner.display_name, "address": owner.mail},
    })
}

/// A Teams-style online meeting for an event.
pub(crate) fn online_meeting(store: &mut Store) -> Value {
    let token = store.ids.token(18).replace(['-', '_'], "x");
    let conf = store.ids.next_u64() % 1_000_000_000;
    json!({
        "joinUrl": format!("https://teams.microsoft.com/l/meetup-join/19%3ameeting_{token}%40thread.v2/0?context=%7b%22Tid%22%3a%22{}%22%7d", store.tenant_id),
        "conferenceId": conf.to_string(),
        "tollNumber": "+1 425-555-0100",
    })
}

impl Store {
    /// Creates an event in a calendar of `user_id` from checked properties;
    /// `start`/`end` are wall time with their zone. Returns the event id.
    #[allow(clippy::too_many_arguments)]
    pub fn put_event(
        &mut self,
        user_id: &str,
        calendar_id: &str,
        mut data: Obj,
        start: (NaiveDateTime, String),
        end: (NaiveDateTime, String),
        organizer: Option<&UserRec>,
        now: DateTime<Utc>,
    ) -> ApiResult<String> {
        let owner = self.users.iter().find(|u| u.id == user_id).cloned().ok_or_else(GraphError::item_not_found)?;
        let is_organizer = organizer.is_none_or(|o| o.id == owner.id);
        let org = organizer.cloned().unwrap_or_else(|| owner.clone());
        let t = json!(format_utc(now));
        data.entry("createdDateTime").or_insert(t.clone());
        data.insert("lastModifiedDateTime".into(), t);
        data.entry("categories").or_insert(json!([]));
        data.entry("transactionId").or_insert(Value::Null);
        if !data.contains_key("iCalUId") {
            let uid = format!(
                "040000008200E00074C5B7101A82E00800000000{:016X}{:032X}",
                self.ids.next_u64(),
                self.ids.next_u64() as u128
            );
            data.insert("iCalUId".into(), json!(uid));
        }
        data.entry("reminderMinutesBeforeStart").or_insert(json!(15));
        data.entry("isReminderOn").or_insert(json!(true));
        data.entry("subject").or_insert(json!(""));
        data.entry("importance").or_insert(json!("normal"));
        data.entry("sensitivity").or_insert(json!("normal"));
        data.entry("isAllDay").or_insert(json!(false));
        data.entry("isCancelled").or_insert(json!(false));
        data.insert("isOrganizer".into(), json!(is_organizer));
        data.entry("responseRequested").or_insert(json!(true));
        data.entry("showAs").or_insert(json!("busy"));
        data.entry("onlineMeetingUrl").or_insert(Value::Null);
        data.entry("isOnlineMeeting").or_insert(json!(false));
        data.entry("onlineMeetingProvider").or_insert(json!("unknown"));
        data.entry("allowNewTimeProposals").or_insert(json!(true));
        data.entry("isDraft").or_insert(json!(false));
        data.entry("hideAttendees").or_insert(json!(false));
        let status = if is_organizer { "organizer" } else { "notResponded" };
        data.entry("responseStatus").or_insert(json!({"response": status, "time": "0001-01-01T00:00:00Z"}));
        data.entry("body").or_insert(json!({"contentType": "html", "content": ""}));
        data.entry("location").or_insert(json!({"displayName": "", "locationType": "default", "uniqueIdType": "unknown", "address": {}, "coordinates": {}}));
        if !data.contains_key("locations") {
            let loc = data["location"].clone();
            let has_name = loc.get("displayName").and_then(Value::as_str).is_some_and(|s| !s.is_empty());
            data.insert("locations".into(), if has_name { json!([loc]) } else { json!([]) });
        }
        data.entry("recurrence").or_insert(Value::Null);
        data.entry("attendees").or_insert(json!([]));
        if let Some(Value::Array(atts)) = data.get_mut("attendees") {
            for a in atts.iter_mut() {
                if let Some(obj) = a.as_object_mut() {
                    obj.entry("status").or_insert(json!({"response": "none", "time": "0001-01-01T00:00:00Z"}));
                }
            }
        }
        data.insert("organizer".into(), json!({"emailAddress": {"name": org.display_name, "address": org.mail}}));
        if data.get("isOnlineMeeting") == Some(&Value::Bool(true)) {
            if data.get("onlineMeeting").is_none_or(Value::is_null) {
                let om = online_meeting(self);
                data.insert("onlineMeeting".into(), om);
            }
            data.insert("onlineMeetingProvider".into(), json!("teamsForBusiness"));
        } else {
            data.entry("onlineMeeting").or_insert(Value::Null);
        }
        let id = self.ids.next(IdKind::Event);
        let seq = self.next_seq();
        let mb = self.mailbox_mut(user_id)?;
        mb.events.push(EventRec {
            id: id.clone(),
            calendar_id: calendar_id.to_owned(),
            data,
            start: start.0,
            start_tz: start.1,
            end: end.0,
            end_tz: end.1,
            cancelled_occurrences: Vec::new(),
            changed_seq: seq,
        });
        Ok(id)
    }

    /// Puts a copy of an organizer's event in the default calendar of each
    /// attendee who is a user of the tenant (as a meeting request would).
    pub fn invite_attendees(&mut self, organizer_id: &str, event_id: &str, now: DateTime<Utc>) -> ApiResult<()> {
        let mb = self.mailbox(organizer_id)?;
        let Some(ev) = mb.events.iter().find(|e| e.id == event_id).cloned() else { return Ok(()) };
        let organizer = self.users.iter().find(|u| u.id == organizer_id).cloned();
        // Attendees carry `emailAddress` like recipients do.
        let attendees = crate::state::mail::addresses(ev.data.get("attendees"));
        for addr in attendees {
            let Some(target) = self.user(&addr).map(|u| u.id.clone()) else { continue };
            if target == organizer_id {
                continue;
            }
            let ical = ev.data.get("iCalUId").cloned().unwrap_or(Value::Null);
            if self.mailbox(&target)?.events.iter().any(|e| e.data.get("iCalUId") == Some(&ical)) {
                continue;
            }
            let Some(cal) = self.mailbox(&target)?.default_calendar().map(|c| c.id.clone()) else { continue };
            let mut data = ev.data.clone();
            for k in ["responseStatus", "isOrganizer", "organizer", "createdDateTime"] {
                data.remove(k);
            }
            self.put_event(
                &target,
                &cal,
                data,
                (ev.start, ev.start_tz.clone()),
                (ev.end, ev.end_tz.clone()),
                organizer.as_ref(),
                now,
            )?;
        }
        Ok(())
    }
}
