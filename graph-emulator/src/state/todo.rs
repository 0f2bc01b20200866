//! Microsoft To Do (<https://learn.microsoft.com/graph/api/resources/todo-overview>):
//! every user's task lists, their tasks, checklist items, linked resources
//! and file attachments, the delta tokens of lists and tasks, and the upload
//! sessions of large task attachments.
//!
//! Every user has the two built-in lists Graph always has: "Tasks"
//! (`wellknownListName: defaultList`) and "Flagged emails" (`flaggedEmails`);
//! they are made the first time a user's To Do is touched. The demo tenant
//! adds two more lists and about twenty tasks per demo user (see [`seed`]).
//!
//! Changes take the store's change counter (`Store::next_seq`), like mail
//! and calendar, so one number says "something changed" for every area.
//! To Do has its own id generator so that seeding it does not move the ids
//! of mail and events.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Utc, Weekday};
use serde_json::{Map, Value, json};

use crate::errors::{ApiResult, GraphError};
use crate::state::calendar::{OutZone, read_dttz};
use crate::state::ids::{IdGen, IdKind, is_well_formed};
use crate::state::mail::change_key;
use crate::state::schema::{IMPORTANCE, Kind};
use crate::state::store::{Obj, Store};
use crate::state::tokens::{TokenTable, Weigh, select_bytes};
use crate::time::{find_zone, format_local, utc_zone};

/// `wellknownListName` of lists the user made.
pub(crate) const WK_NONE: &str = "none";
/// `wellknownListName` of the built-in "Tasks" list.
pub(crate) const WK_DEFAULT: &str = "defaultList";
/// `wellknownListName` of the built-in "Flagged emails" list.
pub(crate) const WK_FLAGGED: &str = "flaggedEmails";

/// Task statuses, in Graph's casing.
pub(crate) const TASK_STATUS: &[&str] = &["notStarted", "inProgress", "completed", "waitingOnOthers", "deferred"];

/// Properties of `microsoft.graph.todoTaskList` (for `$select`, `$filter`, `$orderby`).
pub(crate) const LIST_PROPS: &[&str] =
    &["id", "displayName", "isOwner", "isShared", "wellknownListName", "extensions", "tasks"];

/// Properties of `microsoft.graph.todoTask`.
pub(crate) const TASK_PROPS: &[&str] = &[
    "id",
    "title",
    "body",
    "importance",
    "status",
    "isReminderOn",
    "reminderDateTime",
    "dueDateTime",
    "startDateTime",
    "completedDateTime",
    "createdDateTime",
    "lastModifiedDateTime",
    "bodyLastModifiedDateTime",
    "categories",
    "recurrence",
    "hasAttachments",
    "checklistItems",
    "linkedResources",
    "attachments",
    "extensions",
];

/// Properties of `microsoft.graph.checklistItem`.
pub(crate) const CHECKLIST_PROPS: &[&str] = &["id", "displayName", "isChecked", "createdDateTime", "checkedDateTime"];

/// Properties of `microsoft.graph.linkedResource`.
pub(crate) const LINK_PROPS: &[&str] = &["id", "webUrl", "applicationName", "displayName", "externalId"];

/// Properties of `microsoft.graph.taskFileAttachment`.
pub(crate) const ATTACHMENT_PROPS: &[&str] =
    &["id", "name", "contentType", "size", "lastModifiedDateTime", "contentBytes"];

/// The `dateTimeTimeZone` properties of a task.
pub(crate) const TASK_DATES: &[&str] = &["dueDateTime", "startDateTime", "reminderDateTime", "completedDateTime"];

/// What a client may send when creating or updating a task.
pub(crate) const TASK_WRITABLE: &[(&str, Kind)] = &[
    ("title", Kind::Str),
    ("body", Kind::ItemBody),
    ("importance", IMPORTANCE),
    ("status", Kind::Enum("taskStatus", TASK_STATUS)),
    ("isReminderOn", Kind::Bool),
    ("reminderDateTime", Kind::DateTimeTimeZone),
    ("dueDateTime", Kind::DateTimeTimeZone),
    ("startDateTime", Kind::DateTimeTimeZone),
    ("completedDateTime", Kind::DateTimeTimeZone),
    ("categories", Kind::StrArray),
    ("recurrence", Kind::Object),
    ("linkedResources", Kind::Array),
    ("checklistItems", Kind::Array),
    ("extensions", Kind::Array),
    ("id", Kind::Ignored),
    ("createdDateTime", Kind::Ignored),
    ("lastModifiedDateTime", Kind::Ignored),
    ("bodyLastModifiedDateTime", Kind::Ignored),
    ("hasAttachments", Kind::Ignored),
    ("attachments", Kind::Ignored),
];

/// Inline task attachments must be under 3 MB
/// (<https://learn.microsoft.com/graph/api/todotask-post-attachments>).
pub(crate) const MAX_INLINE_ATTACHMENT: usize = 3 * 1024 * 1024;
/// An upload session takes files up to 25 MB
/// (<https://learn.microsoft.com/graph/api/taskfileattachment-createuploadsession>).
pub(crate) const MAX_SESSION_ATTACHMENT: u64 = 25 * 1024 * 1024;

/// A checklist item (a sub-step of a task).
#[derive(Debug, Clone)]
pub(crate) struct ChecklistRec {
    pub id: String,
    pub display_name: String,
    pub is_checked: bool,
    pub created: DateTime<Utc>,
    pub checked: Option<DateTime<Utc>>,
}

/// A linked resource: its Graph properties except `id`.
#[derive(Debug, Clone)]
pub(crate) struct LinkRec {
    pub id: String,
    pub data: Obj,
}

/// A file attached to a task.
#[derive(Debug, Clone)]
pub(crate) struct TaskAttachmentRec {
    pub id: String,
    pub name: String,
    pub content_type: String,
    pub content: Vec<u8>,
    pub modified: DateTime<Utc>,
}

/// A task. `data` holds its writable Graph properties as stored (dates as
/// given, in their own zone); the derived ones are added when rendering.
#[derive(Debug, Clone)]
pub(crate) struct TaskRec {
    pub id: String,
    pub data: Obj,
    pub created: DateTime<Utc>,
    pub modified: DateTime<Utc>,
    pub body_modified: DateTime<Utc>,
    pub checklist: Vec<ChecklistRec>,
    pub links: Vec<LinkRec>,
    pub attachments: Vec<TaskAttachmentRec>,
    pub changed_seq: u64,
}

/// A task list and its tasks.
#[derive(Debug, Clone)]
pub(crate) struct ListRec {
    pub id: String,
    pub display_name: String,
    pub wellknown: &'static str,
    pub is_shared: bool,
    pub changed_seq: u64,
    pub tasks: Vec<TaskRec>,
    /// Tasks deleted from this list: (id, change number), for delta.
    pub tombstones: Vec<(String, u64)>,
}

impl ListRec {
    /// A built-in list ("Tasks", "Flagged emails"): it cannot be renamed or deleted.
    pub fn is_built_in(&self) -> bool {
        self.wellknown != WK_NONE
    }

    /// Index of a task by id.
    pub fn task_index(&self, id: &str) -> ApiResult<usize> {
        self.tasks.iter().position(|t| t.id == id).ok_or_else(|| not_found_or_malformed(id))
    }
}

/// One user's To Do.
#[derive(Debug, Clone, Default)]
pub(crate) struct UserTodo {
    pub lists: Vec<ListRec>,
    /// Lists deleted: (id, change number), for delta.
    pub list_tombstones: Vec<(String, u64)>,
}

impl UserTodo {
    /// Index of a list by id. `Tasks` is accepted for the default list, as Graph does.
    pub fn list_index(&self, id: &str) -> ApiResult<usize> {
        if let Some(i) = self.lists.iter().position(|l| l.id == id) {
            return Ok(i);
        }
        if id.eq_ignore_ascii_case("tasks")
            && let Some(i) = self.lists.iter().position(|l| l.wellknown == WK_DEFAULT)
        {
            return Ok(i);
        }
        Err(not_found_or_malformed(id))
    }
}

/// 404 `ErrorItemNotFound` for a well-formed id, 400 `ErrorInvalidIdMalformed` otherwise.
pub(crate) fn not_found_or_malformed(id: &str) -> GraphError {
    if is_well_formed(id) { GraphError::item_not_found() } else { GraphError::id_malformed() }
}

/// One entry of a delta round.
#[derive(Debug, Clone)]
pub(crate) enum TodoEntry {
    Changed(String),
    Removed(String),
}

/// What a To Do delta token stands for.
#[derive(Debug, Clone)]
pub(crate) enum TodoDelta {
    /// The rest of a round (`list_id` is `None` for the lists themselves).
    Page {
        user_id: String,
        list_id: Option<String>,
        entries: Arc<Vec<TodoEntry>>,
        offset: usize,
        upto: u64,
        select: Option<Vec<String>>,
        page_size: Option<usize>,
    },
    /// A finished round: the next one reports changes after `since`.
    Round {
        user_id: String,
        list_id: Option<String>,
        since: u64,
        select: Option<Vec<String>>,
        page_size: Option<usize>,
    },
}

impl Weigh for TodoDelta {
    fn own_bytes(&self) -> usize {
        match self {
            TodoDelta::Page { user_id, list_id, select, .. } | TodoDelta::Round { user_id, list_id, select, .. } => {
                user_id.len() + list_id.as_ref().map_or(0, String::len) + select_bytes(select)
            }
        }
    }

    fn shared(&self) -> Vec<(usize, Box<dyn Fn() -> usize + '_>)> {
        match self {
            TodoDelta::Page { entries, .. } => vec![(
                Arc::as_ptr(entries) as usize,
                Box::new(|| {
                    entries
                        .iter()
                        .map(|e| match e {
                            TodoEntry::Changed(id) | TodoEntry::Removed(id) => id.len() + 40,
                        })
                        .sum()
                }),
            )],
            TodoDelta::Round { .. } => Vec::new(),
        }
    }
}

/// An upload session for a large task attachment.
#[derive(Debug, Clone)]
pub(crate) struct TaskUploadSession {
    pub user_id: String,
    pub list_id: String,
    pub task_id: String,
    pub name: String,
    pub content_type: String,
    pub size: u64,
    pub received: Vec<u8>,
    pub expires: DateTime<Utc>,
}

/// Every user's To Do, delta tokens and upload sessions.
#[derive(Debug)]
pub(crate) struct TodoState {
    pub ids: IdGen,
    pub users: HashMap<String, UserTodo>,
    tokens: TokenTable<TodoDelta>,
    pub sessions: HashMap<String, TaskUploadSession>,
}

impl Default for TodoState {
    fn default() -> Self {
        TodoState {
            ids: IdGen::new(0x0074_6f64_6f21),
            users: HashMap::new(),
            tokens: TokenTable::default(),
            sessions: HashMap::new(),
        }
    }
}

impl TodoState {
    /// Keeps a delta token.
    pub fn issue(&mut self, token: String, state: TodoDelta) {
        self.tokens.issue(token, state);
    }

    /// What a delta token stands for.
    pub fn token(&self, token: &str) -> Option<&TodoDelta> {
        self.tokens.get(token)
    }

    /// Forgets every delta token (they answer 410 from now on).
    pub fn clear_tokens(&mut self) {
        self.tokens.clear();
    }

    /// How many delta tokens are live.
    pub fn token_count(&self) -> usize {
        self.tokens.len()
    }
}

impl Store {
    /// A user's To Do, with the built-in lists made on first use.
    pub(crate) fn todo_mut(&mut self, user_id: &str) -> &mut UserTodo {
        if !self.todo.users.contains_key(user_id) {
            let seq = self.next_seq();
            let mut lists = Vec::new();
            for (wk, name) in [(WK_DEFAULT, "Tasks"), (WK_FLAGGED, "Flagged emails")] {
                lists.push(ListRec {
                    id: self.todo.ids.next(IdKind::Folder),
                    display_name: name.to_owned(),
                    wellknown: wk,
                    is_shared: false,
                    changed_seq: seq,
                    tasks: Vec::new(),
                    tombstones: Vec::new(),
                });
            }
            self.todo.users.insert(user_id.to_owned(), UserTodo { lists, list_tombstones: Vec::new() });
        }
        self.todo.users.entry(user_id.to_owned()).or_default()
    }
}

/// Graph's `DateTimeOffset` with seven fractional digits, as To Do writes them.
pub(crate) fn format_precise(dt: DateTime<Utc>) -> String {
    format!("{}.{:07}Z", dt.format("%Y-%m-%dT%H:%M:%S"), dt.timestamp_subsec_nanos() / 100)
}

/// A stored `dateTimeTimeZone` shown in `out` (its zone converted, Graph's format).
fn render_dttz(v: &Value, out: &OutZone) -> Value {
    let Some(dt) = v.get("dateTime").and_then(Value::as_str) else { return v.clone() };
    let zone = v.get("timeZone").and_then(Value::as_str).and_then(find_zone).unwrap_or_else(utc_zone);
    let Some((local, _)) = crate::time::parse_local(dt) else { return v.clone() };
    let utc = zone.utc_of(local);
    json!({"dateTime": format_local(out.zone.local_at(utc)), "timeZone": out.name})
}

/// Checks a `dateTimeTimeZone` from a request and stores it normalized (as
/// given: wall time and zone name; an unknown zone is Graph's 400).
pub(crate) fn normalize_dttz(v: &Value, prop: &str) -> ApiResult<Value> {
    if v.is_null() {
        return Ok(Value::Null);
    }
    let (local, tz) = read_dttz(v, prop)?;
    Ok(json!({"dateTime": format_local(local), "timeZone": tz}))
}

/// The `@odata.etag` of a change number.
pub(crate) fn etag(seq: u64, id: &str) -> String {
    format!("W/\"{}\"", change_key(seq, id))
}

/// A list as Graph returns it.
pub(crate) fn render_list(l: &ListRec) -> Value {
    json!({
        "@odata.type": "#microsoft.graph.todoTaskList",
        "@odata.etag": etag(l.changed_seq, &l.id),
        "displayName": l.display_name,
        "isOwner": true,
        "isShared": l.is_shared,
        "wellknownListName": l.wellknown,
        "id": l.id,
    })
}

/// A checklist item as Graph returns it.
pub(crate) fn render_checklist(c: &ChecklistRec) -> Value {
    let mut o = Map::new();
    o.insert("displayName".into(), json!(c.display_name));
    o.insert("createdDateTime".into(), json!(format_precise(c.created)));
    if let Some(at) = c.checked {
        o.insert("checkedDateTime".into(), json!(format_precise(at)));
    }
    o.insert("isChecked".into(), json!(c.is_checked));
    o.insert("id".into(), json!(c.id));
    Value::Object(o)
}

/// A linked resource as Graph returns it.
pub(crate) fn render_link(l: &LinkRec) -> Value {
    let mut o = Map::new();
    o.insert("id".into(), json!(l.id));
    for k in ["webUrl", "applicationName", "displayName", "externalId"] {
        if let Some(v) = l.data.get(k) {
            o.insert(k.into(), v.clone());
        }
    }
    Value::Object(o)
}

/// A task attachment as Graph returns it (`contentBytes` only when asked).
pub(crate) fn render_attachment(a: &TaskAttachmentRec, with_content: bool) -> Value {
    use base64::Engine as _;
    let mut o = Map::new();
    o.insert("@odata.type".into(), json!("#microsoft.graph.taskFileAttachment"));
    o.insert("id".into(), json!(a.id));
    o.insert("lastModifiedDateTime".into(), json!(format_precise(a.modified)));
    o.insert("name".into(), json!(a.name));
    o.insert("contentType".into(), json!(a.content_type));
    o.insert("size".into(), json!(a.content.len()));
    if with_content {
        o.insert("contentBytes".into(), json!(base64::engine::general_purpose::STANDARD.encode(&a.content)));
    }
    Value::Object(o)
}

/// What `$expand` asks for on tasks.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct TaskExpand {
    pub checklist: bool,
    pub links: bool,
    pub attachments: bool,
}

/// A task as Graph returns it, dates in `out`.
pub(crate) fn render_task(t: &TaskRec, out: &OutZone, expand: TaskExpand) -> Value {
    let mut o = Map::new();
    o.insert("@odata.etag".into(), json!(etag(t.changed_seq, &t.id)));
    for (k, v) in &t.data {
        if TASK_DATES.contains(&k.as_str()) {
            if !v.is_null() {
                o.insert(k.clone(), render_dttz(v, out));
            }
        } else {
            o.insert(k.clone(), v.clone());
        }
    }
    o.insert("createdDateTime".into(), json!(format_precise(t.created)));
    o.insert("lastModifiedDateTime".into(), json!(format_precise(t.modified)));
    o.insert("bodyLastModifiedDateTime".into(), json!(format_precise(t.body_modified)));
    o.insert("hasAttachments".into(), json!(!t.attachments.is_empty()));
    o.insert("id".into(), json!(t.id));
    if expand.checklist {
        o.insert("checklistItems".into(), Value::Array(t.checklist.iter().map(render_checklist).collect()));
    }
    if expand.links {
        o.insert("linkedResources".into(), Value::Array(t.links.iter().map(render_link).collect()));
    }
    if expand.attachments {
        o.insert(
            "attachments".into(),
            Value::Array(t.attachments.iter().map(|a| render_attachment(a, false)).collect()),
        );
    }
    Value::Object(o)
}

/// A task as `$filter` and `$orderby` see it: dates in UTC, whatever the
/// `Prefer: outlook.timezone` of the answer.
pub(crate) fn filter_view(t: &TaskRec) -> Value {
    render_task(t, &OutZone::default(), TaskExpand::default())
}

/// A checklist item from a request body (`displayName` required).
pub(crate) fn new_checklist_item(ids: &mut IdGen, body: &Obj, now: DateTime<Utc>) -> ApiResult<ChecklistRec> {
    let mut item =
        ChecklistRec { id: ids.guid(), display_name: String::new(), is_checked: false, created: now, checked: None };
    apply_checklist_patch(&mut item, body, now)?;
    if item.display_name.trim().is_empty() {
        return Err(invalid_request("The displayName of a checklist item is required."));
    }
    Ok(item)
}

/// Applies a checklist item's `displayName` / `isChecked` from a request body.
pub(crate) fn apply_checklist_patch(item: &mut ChecklistRec, body: &Obj, now: DateTime<Utc>) -> ApiResult<()> {
    for (k, v) in body {
        match k.as_str() {
            "displayName" => {
                item.display_name = v.as_str().ok_or_else(|| bad_type("displayName", "Edm.String"))?.to_owned()
            }
            "isChecked" => {
                let checked = v.as_bool().ok_or_else(|| bad_type("isChecked", "Edm.Boolean"))?;
                if checked && !item.is_checked {
                    item.checked = Some(now);
                }
                if !checked {
                    item.checked = None;
                }
                item.is_checked = checked;
            }
            "id" | "createdDateTime" | "checkedDateTime" => {}
            k if k.starts_with('@') => {}
            other => return Err(unknown_property(other, "checklistItem")),
        }
    }
    Ok(())
}

/// A linked resource from a request body.
pub(crate) fn new_link(ids: &mut IdGen, body: &Obj) -> ApiResult<LinkRec> {
    let mut data = Map::new();
    for (k, v) in body {
        match k.as_str() {
            "webUrl" | "applicationName" | "displayName" | "externalId" => {
                if !(v.is_string() || v.is_null()) {
                    return Err(bad_type(k, "Edm.String"));
                }
                data.insert(k.clone(), v.clone());
            }
            "id" => {}
            k if k.starts_with('@') => {}
            other => return Err(unknown_property(other, "linkedResource")),
        }
    }
    Ok(LinkRec { id: ids.guid(), data })
}

/// 400 `invalidRequest` the way To Do answers: the detail in `innerError`.
pub(crate) fn invalid_request(detail: impl Into<String>) -> GraphError {
    GraphError::new(axum::http::StatusCode::BAD_REQUEST, "invalidRequest", "Invalid request")
        .with_inner("ErrorInvalidRequest", detail)
}

fn bad_type(prop: &str, expected: &str) -> GraphError {
    GraphError::body_read(format!("Cannot convert the value of property '{prop}' to the expected type '{expected}'."))
}

fn unknown_property(prop: &str, type_name: &str) -> GraphError {
    GraphError::body_read(format!(
        "The property '{prop}' does not exist on type 'microsoft.graph.{type_name}'. Make sure to only use property names that are defined by the type or mark the type as open type."
    ))
}

// ----------------------------------------------------------------------------------------------
// The demo content
// ----------------------------------------------------------------------------------------------

/// One seeded task.
struct SeedTask {
    list: usize,
    title: &'static str,
    /// Days from the anchor date (local), `None` without a due date.
    due: Option<i64>,
    /// Reminder: (days from the anchor date, hour).
    reminder: Option<(i64, u32)>,
    importance: &'static str,
    status: &'static str,
    notes: &'static str,
    categories: &'static [&'static str],
    checklist: &'static [(&'static str, bool)],
    weekly: Option<Weekday>,
}

const fn task(list: usize, title: &'static str) -> SeedTask {
    SeedTask {
        list,
        title,
        due: None,
        reminder: None,
        importance: "normal",
        status: "notStarted",
        notes: "",
        categories: &[],
        checklist: &[],
        weekly: None,
    }
}

impl SeedTask {
    const fn due(mut self, days: i64) -> Self {
        self.due = Some(days);
        self
    }
    const fn remind(mut self, days: i64, hour: u32) -> Self {
        self.reminder = Some((days, hour));
        self
    }
    const fn high(mut self) -> Self {
        self.importance = "high";
        self
    }
    const fn low(mut self) -> Self {
        self.importance = "low";
        self
    }
    const fn status(mut self, s: &'static str) -> Self {
        self.status = s;
        self
    }
    const fn notes(mut self, n: &'static str) -> Self {
        self.notes = n;
        self
    }
    const fn cats(mut self, c: &'static [&'static str]) -> Self {
        self.categories = c;
        self
    }
    const fn steps(mut self, s: &'static [(&'static str, bool)]) -> Self {
        self.checklist = s;
        self
    }
    const fn weekly(mut self, d: Weekday) -> Self {
        self.weekly = Some(d);
        self
    }
}

/// Lists of the demo content after the two built-in ones (index 0 "Tasks", 1 "Flagged emails").
const SEED_LISTS: &[&str] = &["Groceries", "Work projects"];

fn seed_tasks() -> Vec<SeedTask> {
    vec![
        // Tasks (the default list)
        task(0, "Renew passport").due(12).remind(5, 9).high().notes("Photos are in the top drawer."),
        task(0, "Call the dentist").due(1).remind(1, 10),
        task(0, "Pay the electricity bill").due(-2).high().cats(&["Red category"]),
        task(0, "Book summer holiday").due(30).low().status("inProgress").steps(&[
            ("Compare flights", true),
            ("Pick a hotel", false),
            ("Ask Alex about dates", false),
        ]),
        task(0, "Water the plants").status("completed").weekly(Weekday::Sat),
        task(0, "Return library books").due(3).status("deferred"),
        task(0, "Read 'Project Hail Mary'").low(),
        task(0, "Fix the bike's back light").due(7).status("waitingOnOthers").notes("Waiting for the spare part."),
        // Flagged emails
        task(1, "Reply to Alex about the budget review").due(2).high().status("inProgress"),
        task(1, "Send Megan the launch checklist").due(0).remind(0, 15),
        // Groceries
        task(2, "Milk").due(0),
        task(2, "Eggs").due(0),
        task(2, "Coffee beans").high().due(1),
        task(2, "Bread").status("completed"),
        task(2, "Ingredients for Sunday lunch").due(4).steps(&[
            ("Potatoes", false),
            ("Rosemary", false),
            ("Lemons", true),
        ]),
        // Work projects
        task(3, "Draft Q3 roadmap").due(5).remind(4, 9).high().status("inProgress").cats(&["Blue category"]).steps(&[
            ("Collect team input", true),
            ("Write the first draft", false),
            ("Review with Megan", false),
        ]),
        task(3, "Prepare the all-hands slides").due(9).notes("Use the new template."),
        task(3, "Update the onboarding guide").low().status("deferred"),
        task(3, "Expense report for March").due(-5).status("completed"),
        task(3, "Code review for the billing service").due(2).status("waitingOnOthers").remind(2, 14),
        task(3, "Plan the team offsite").due(21).steps(&[("Shortlist venues", false), ("Send a poll", false)]),
    ]
}

fn day_name(d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => "monday",
        Weekday::Tue => "tuesday",
        Weekday::Wed => "wednesday",
        Weekday::Thu => "thursday",
        Weekday::Fri => "friday",
        Weekday::Sat => "saturday",
        Weekday::Sun => "sunday",
    }
}

fn local_date_time(date: NaiveDate, hour: u32) -> NaiveDateTime {
    date.and_hms_opt(hour, 0, 0).unwrap_or_default()
}

/// Adds the demo To Do to every user of the tenant: two more lists and
/// about twenty tasks around the anchor date, in each user's time zone,
/// with reminders, statuses, checklists, a weekly task, and a linked
/// resource back to a message in Adele's inbox.
pub(crate) fn seed(store: &mut Store) {
    let users: Vec<(String, String)> = store
        .users
        .iter()
        .map(|u| {
            let tz = store
                .mailboxes
                .get(&u.id)
                .and_then(|mb| mb.settings.get("timeZone"))
                .and_then(Value::as_str)
                .unwrap_or("UTC")
                .to_owned();
            (u.id.clone(), tz)
        })
        .collect();
    let anchor = store.anchor;
    for (user_id, tz) in users {
        let zone = find_zone(&tz).unwrap_or_else(utc_zone);
        let today = zone.local_at(anchor).date();
        // A message to link the flagged-email tasks to, if the mailbox has one.
        let linked_message = store.mailboxes.get(&user_id).and_then(|mb| {
            let inbox = mb.well_known_id("inbox");
            mb.messages
                .iter()
                .find(|m| m.folder_id == inbox)
                .map(|m| (m.id.clone(), m.data.get("subject").and_then(Value::as_str).unwrap_or("").to_owned()))
        });
        store.todo_mut(&user_id);
        let seq = store.next_seq();
        for name in SEED_LISTS {
            let id = store.todo.ids.next(IdKind::Folder);
            store.todo_mut(&user_id).lists.push(ListRec {
                id,
                display_name: (*name).to_owned(),
                wellknown: WK_NONE,
                is_shared: *name == "Groceries",
                changed_seq: seq,
                tasks: Vec::new(),
                tombstones: Vec::new(),
            });
        }
        for (n, s) in seed_tasks().into_iter().enumerate() {
            let created = anchor - Duration::days(20) + Duration::minutes(37 * n as i64);
            let mut data = Map::new();
            data.insert("importance".into(), json!(s.importance));
            data.insert("isReminderOn".into(), json!(s.reminder.is_some()));
            data.insert("status".into(), json!(s.status));
            data.insert("title".into(), json!(s.title));
            data.insert("body".into(), json!({"content": s.notes, "contentType": "text"}));
            data.insert("categories".into(), json!(s.categories));
            if let Some(d) = s.due {
                let day = today + Duration::days(d);
                data.insert(
                    "dueDateTime".into(),
                    json!({"dateTime": format_local(local_date_time(day, 0)), "timeZone": tz}),
                );
            }
            if let Some((d, h)) = s.reminder {
                let day = today + Duration::days(d);
                data.insert(
                    "reminderDateTime".into(),
                    json!({"dateTime": format_local(local_date_time(day, h)), "timeZone": tz}),
                );
            }
            if s.status == "completed" {
                let done = anchor - Duration::days(1) - Duration::hours(n as i64 % 5);
                data.insert(
                    "completedDateTime".into(),
                    json!({"dateTime": format_local(done.naive_utc()), "timeZone": "UTC"}),
                );
            }
            if let Some(day) = s.weekly {
                let start = today - Duration::days(today.weekday().num_days_from_monday() as i64);
                data.insert(
                    "recurrence".into(),
                    json!({
                        "pattern": {"type": "weekly", "interval": 1, "daysOfWeek": [day_name(day)], "firstDayOfWeek": "sunday"},
                        "range": {"type": "noEnd", "startDate": start.format("%Y-%m-%d").to_string(), "endDate": "0001-01-01", "recurrenceTimeZone": tz, "numberOfOccurrences": 0}
                    }),
                );
            }
            let checklist = s
                .checklist
                .iter()
                .enumerate()
                .map(|(i, (name, done))| ChecklistRec {
                    id: store.todo.ids.guid(),
                    display_name: (*name).to_owned(),
                    is_checked: *done,
                    created: created + Duration::minutes(i as i64 + 1),
                    checked: done.then(|| created + Duration::hours(2)),
                })
                .collect();
            let mut links = Vec::new();
            if s.list == 1
                && let Some((mid, subject)) = &linked_message
            {
                let encoded = percent_encoding::utf8_percent_encode(mid, percent_encoding::NON_ALPHANUMERIC);
                let mut l = Map::new();
                l.insert("webUrl".into(), json!(format!("https://outlook.office.com/mail/id/{encoded}")));
                l.insert("applicationName".into(), json!("Outlook"));
                l.insert("displayName".into(), json!(subject));
                l.insert("externalId".into(), json!(mid));
                links.push(LinkRec { id: store.todo.ids.guid(), data: l });
            }
            let task = TaskRec {
                id: store.todo.ids.next(IdKind::Message),
                data,
                created,
                modified: created + Duration::hours(3),
                body_modified: created,
                checklist,
                links,
                attachments: Vec::new(),
                changed_seq: seq,
            };
            if let Some(list) = store.todo_mut(&user_id).lists.get_mut(s.list) {
                list.tasks.push(task);
            }
        }
    }
}
