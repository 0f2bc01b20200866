//! What a caller builds: [`NewTask`], [`TaskPatch`]. Only what was set is
//! sent; dates are checked (and their zone resolved) before sending.

use chrono::{Datelike as _, NaiveDate, NaiveDateTime, NaiveTime};
use msgraph_core::models::{DateTimeTimeZone, Importance, ItemBody, PatternedRecurrence};
use msgraph_core::{Error, Result};
use serde::Serialize;

use crate::{LinkedResource, TaskStatus};

/// A date (all day) or a date and time, in the task's zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum When {
    Date(NaiveDate),
    At(NaiveDateTime),
}

impl When {
    fn local(self) -> NaiveDateTime {
        match self {
            When::Date(d) => d.and_time(NaiveTime::MIN),
            When::At(t) => t,
        }
    }
}

/// Dates Graph accepts: years 1601 to 9999.
fn check_range(what: &str, t: NaiveDateTime) -> Result<()> {
    if (1601..=9999).contains(&t.year()) {
        Ok(())
    } else {
        Err(Error::invalid_input(format!("the {what} {t} is outside Graph's range (years 1601 to 9999)")))
    }
}

fn check_zone(zone: &str) -> Result<()> {
    if zone.trim().is_empty() {
        return Err(Error::invalid_input("the time zone of a task date must not be empty"));
    }
    #[cfg(feature = "tz")]
    msgraph_core::tz::resolve(zone)?;
    Ok(())
}

#[derive(Debug, Clone, Default, PartialEq)]
struct Fields {
    title: Option<String>,
    body: Option<ItemBody>,
    importance: Option<Importance>,
    status: Option<TaskStatus>,
    due: Option<When>,
    start: Option<When>,
    reminder: Option<NaiveDateTime>,
    reminder_off: bool,
    categories: Option<Vec<String>>,
    recurrence: Option<PatternedRecurrence>,
    linked_resources: Option<Vec<LinkedResource>>,
    zone: Option<String>,
}

/// What goes on the wire.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Wire {
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<ItemBody>,
    #[serde(skip_serializing_if = "Option::is_none")]
    importance: Option<Importance>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<TaskStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    due_date_time: Option<DateTimeTimeZone>,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_date_time: Option<DateTimeTimeZone>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reminder_date_time: Option<DateTimeTimeZone>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_reminder_on: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    categories: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    recurrence: Option<PatternedRecurrence>,
    #[serde(skip_serializing_if = "Option::is_none")]
    linked_resources: Option<Vec<LinkedResource>>,
}

impl Fields {
    /// The wire form, dates placed in the task's zone or `default_zone`.
    fn wire(&self, default_zone: &str) -> Result<Wire> {
        if let Some(t) = &self.title
            && t.trim().is_empty()
        {
            return Err(Error::invalid_input("a task title must not be empty"));
        }
        if let Some(m) = self.status.as_ref().and_then(TaskStatus::unknown_message) {
            return Err(Error::invalid_input(m));
        }
        if let Some(Importance::Unknown(s)) = &self.importance {
            return Err(Error::invalid_input(format!("unknown importance {s:?}: one of low, normal, high")));
        }
        if let Some(r) = &self.recurrence {
            r.validate()?;
        }
        let zone = self.zone.as_deref().unwrap_or(default_zone);
        let needs_zone = self.due.is_some() || self.start.is_some() || self.reminder.is_some();
        if needs_zone {
            check_zone(zone)?;
        }
        let place = |what: &str, w: When| -> Result<DateTimeTimeZone> {
            check_range(what, w.local())?;
            Ok(DateTimeTimeZone::from_naive(w.local(), zone))
        };
        let reminder = match self.reminder {
            Some(t) => Some(place("reminder", When::At(t))?),
            None => None,
        };
        Ok(Wire {
            title: self.title.clone(),
            body: self.body.clone(),
            importance: self.importance.clone(),
            status: self.status.clone(),
            due_date_time: self.due.map(|d| place("due date", d)).transpose()?,
            start_date_time: self.start.map(|d| place("start date", d)).transpose()?,
            is_reminder_on: if reminder.is_some() {
                Some(true)
            } else if self.reminder_off {
                Some(false)
            } else {
                None
            },
            reminder_date_time: reminder,
            categories: self.categories.clone(),
            recurrence: self.recurrence.clone(),
            linked_resources: self.linked_resources.clone(),
        })
    }
}

macro_rules! task_setters {
    () => {
        /// Notes as plain text.
        pub fn text_body(mut self, text: impl Into<String>) -> Self {
            self.f.body = Some(ItemBody::text(text));
            self
        }

        /// Notes as HTML.
        pub fn html_body(mut self, html: impl Into<String>) -> Self {
            self.f.body = Some(ItemBody::html(html));
            self
        }

        /// Low, normal or high. A value this SDK does not know (e.g.
        /// `Importance::from("urgent")`) is an `InvalidInput` before sending.
        pub fn importance(mut self, importance: Importance) -> Self {
            self.f.importance = Some(importance);
            self
        }

        /// Where it stands. A value this SDK does not know (e.g.
        /// `TaskStatus::from("done")`) is an `InvalidInput` before sending.
        pub fn status(mut self, status: TaskStatus) -> Self {
            self.f.status = Some(status);
            self
        }

        /// Due on this date (sent as midnight in the task's zone).
        pub fn due(mut self, date: NaiveDate) -> Self {
            self.f.due = Some(When::Date(date));
            self
        }

        /// Due at this wall-clock time in the task's zone (To Do shows the date;
        /// Graph keeps the time, as in its docs' examples).
        pub fn due_at(mut self, at: NaiveDateTime) -> Self {
            self.f.due = Some(When::At(at));
            self
        }

        /// Starts on this date.
        pub fn start(mut self, date: NaiveDate) -> Self {
            self.f.start = Some(When::Date(date));
            self
        }

        /// A reminder at this wall-clock time in the task's zone (turns the reminder on).
        pub fn reminder(mut self, at: NaiveDateTime) -> Self {
            self.f.reminder = Some(at);
            self
        }

        /// The zone of the due date, start date and reminder (IANA or Windows
        /// name); default: the client's default time zone, else UTC. An
        /// unknown zone is an `InvalidInput` before sending.
        pub fn time_zone(mut self, zone: impl Into<String>) -> Self {
            self.f.zone = Some(zone.into());
            self
        }

        /// Categories (Outlook's category names).
        pub fn categories<I, S>(mut self, categories: I) -> Self
        where
            I: IntoIterator<Item = S>,
            S: Into<String>,
        {
            self.f.categories = Some(categories.into_iter().map(Into::into).collect());
            self
        }

        /// How the task repeats (the recurrence model is shared with calendar);
        /// checked with [`PatternedRecurrence::validate`] before sending.
        pub fn recurrence(mut self, recurrence: PatternedRecurrence) -> Self {
            self.f.recurrence = Some(recurrence);
            self
        }
    };
}

/// A task to create.
///
/// ```
/// use chrono::NaiveDate;
/// use msgraph_core::models::Importance;
/// use msgraph_todo::NewTask;
/// let day = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
/// let task = NewTask::new("Buy groceries")
///     .due(day)
///     .importance(Importance::High)
///     .reminder(day.and_hms_opt(9, 0, 0).unwrap())
///     .time_zone("Europe/Paris");
/// # let _ = task;
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct NewTask {
    f: Fields,
}

impl NewTask {
    /// A task with this title.
    pub fn new(title: impl Into<String>) -> Self {
        NewTask { f: Fields { title: Some(title.into()), ..Default::default() } }
    }

    task_setters!();

    /// A link back to where the task came from, created with the task.
    pub fn linked_resource(mut self, link: LinkedResource) -> Self {
        self.f.linked_resources.get_or_insert_with(Vec::new).push(link);
        self
    }

    /// The zone the task named, if it named one.
    pub(crate) fn zone(&self) -> Option<&str> {
        self.f.zone.as_deref()
    }

    pub(crate) fn wire(&self, default_zone: &str) -> Result<Wire> {
        if self.f.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
            return Err(Error::invalid_input("a task title must not be empty"));
        }
        self.f.wire(default_zone)
    }
}

/// The changes to a task: only the fields set are sent (PATCH).
///
/// ```
/// use msgraph_todo::{TaskPatch, TaskStatus};
/// let done = TaskPatch::new().status(TaskStatus::Completed);
/// # let _ = done;
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TaskPatch {
    f: Fields,
}

impl TaskPatch {
    /// An empty patch.
    pub fn new() -> Self {
        Self::default()
    }

    /// A new title.
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.f.title = Some(title.into());
        self
    }

    task_setters!();

    /// Turns the reminder off.
    pub fn reminder_off(mut self) -> Self {
        self.f.reminder = None;
        self.f.reminder_off = true;
        self
    }

    /// The zone the task named, if it named one.
    pub(crate) fn zone(&self) -> Option<&str> {
        self.f.zone.as_deref()
    }

    pub(crate) fn wire(&self, default_zone: &str) -> Result<Wire> {
        if self.f == Fields::default() {
            return Err(Error::invalid_input("the task patch changes nothing"));
        }
        self.f.wire(default_zone)
    }
}

/// A task list to create: its display name (the one property Graph's
/// [Create todoTaskList](https://learn.microsoft.com/graph/api/todo-post-lists)
/// takes in v1.0). A `&str` or `String` converts into one, so
/// `create_list("Groceries")` works.
///
/// ```
/// use msgraph_todo::NewTaskList;
/// let list = NewTaskList::new("Travel items");
/// assert_eq!(serde_json::to_value(&list).unwrap(), serde_json::json!({"displayName": "Travel items"}));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewTaskList {
    display_name: String,
}

impl NewTaskList {
    /// A list called `display_name`.
    pub fn new(display_name: impl Into<String>) -> Self {
        NewTaskList { display_name: display_name.into() }
    }

    /// The name, checked: an empty name is an `InvalidInput`.
    pub(crate) fn checked(&self) -> Result<&Self> {
        if self.display_name.trim().is_empty() {
            Err(Error::invalid_input("a list name must not be empty"))
        } else {
            Ok(self)
        }
    }
}

impl From<&str> for NewTaskList {
    fn from(name: &str) -> Self {
        NewTaskList::new(name)
    }
}

impl From<String> for NewTaskList {
    fn from(name: String) -> Self {
        NewTaskList::new(name)
    }
}
