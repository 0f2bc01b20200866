//! To Do's models: lists, tasks, checklist items, linked resources,
//! attachments. All are re-exported at the crate root.

use chrono::{DateTime, NaiveDate, Utc};
use msgraph_core::models::{Additional, DateTimeTimeZone, Importance, ItemBody, PatternedRecurrence, utc};
use serde::{Deserialize, Serialize};

msgraph_core::string_enum! {
    /// Where a task stands.
    pub enum TaskStatus {
        /// Not started (a new task).
        NotStarted => "notStarted",
        /// In progress.
        InProgress => "inProgress",
        /// Completed.
        Completed => "completed",
        /// Waiting on others.
        WaitingOnOthers => "waitingOnOthers",
        /// Deferred.
        Deferred => "deferred",
    }
}

impl TaskStatus {
    /// For a status this SDK does not know (from a caller's string), what
    /// an `InvalidInput` says.
    pub(crate) fn unknown_message(&self) -> Option<String> {
        match self {
            TaskStatus::Unknown(s) => Some(format!(
                "unknown task status {s:?}: one of notStarted, inProgress, completed, waitingOnOthers, deferred"
            )),
            _ => None,
        }
    }
}

msgraph_core::string_enum! {
    /// Which built-in list a list is, if any. Built-in lists cannot be
    /// renamed or deleted.
    pub enum WellknownListName {
        /// A list the user made.
        None => "none",
        /// The default "Tasks" list.
        DefaultList => "defaultList",
        /// "Flagged emails": mail flagged in Outlook.
        FlaggedEmails => "flaggedEmails",
        /// A value Graph reserves for later.
        UnknownFutureValue => "unknownFutureValue",
    }
}

/// A To Do list ([todoTaskList](https://learn.microsoft.com/graph/api/resources/todotasklist)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TodoTaskList {
    /// The list's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Its name ("Tasks", "Groceries").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// True when the user owns it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_owner: Option<bool>,
    /// True when it is shared with others.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_shared: Option<bool>,
    /// Which built-in list it is (`none` for the user's own lists).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wellknown_list_name: Option<WellknownListName>,
    /// Properties not named above (`@odata.type`, `@odata.etag`).
    #[serde(flatten)]
    pub additional: Additional,
}

impl TodoTaskList {
    /// True for "Tasks" and "Flagged emails", which cannot be renamed or deleted.
    pub fn is_built_in(&self) -> bool {
        matches!(self.wellknown_list_name, Some(WellknownListName::DefaultList | WellknownListName::FlaggedEmails))
    }
}

/// A task ([todoTask](https://learn.microsoft.com/graph/api/resources/todotask)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TodoTask {
    /// The task's id (it changes if the task moves to another list).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Notes, text or HTML.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<ItemBody>,
    /// Low, normal or high.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub importance: Option<Importance>,
    /// Where it stands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<TaskStatus>,
    /// When it is due (a date: midnight in its zone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_date_time: Option<DateTimeTimeZone>,
    /// When work on it starts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date_time: Option<DateTimeTimeZone>,
    /// When it was completed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_date_time: Option<DateTimeTimeZone>,
    /// When the reminder fires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminder_date_time: Option<DateTimeTimeZone>,
    /// True when a reminder is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_reminder_on: Option<bool>,
    /// Categories (Outlook's category names).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub categories: Option<Vec<String>>,
    /// How it repeats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recurrence: Option<PatternedRecurrence>,
    /// True when it has file attachments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_attachments: Option<bool>,
    /// When it was created.
    #[serde(default, deserialize_with = "utc::option::deserialize", skip_serializing_if = "Option::is_none")]
    pub created_date_time: Option<DateTime<Utc>>,
    /// When it last changed.
    #[serde(default, deserialize_with = "utc::option::deserialize", skip_serializing_if = "Option::is_none")]
    pub last_modified_date_time: Option<DateTime<Utc>>,
    /// When the body last changed.
    #[serde(default, deserialize_with = "utc::option::deserialize", skip_serializing_if = "Option::is_none")]
    pub body_last_modified_date_time: Option<DateTime<Utc>>,
    /// Sub-steps, with `$expand=checklistItems` or when created inline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checklist_items: Option<Vec<ChecklistItem>>,
    /// Links to where the task came from, with `$expand=linkedResources` or when created inline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub linked_resources: Option<Vec<LinkedResource>>,
    /// Properties not named above (`@odata.etag`, ...).
    #[serde(flatten)]
    pub additional: Additional,
}

impl TodoTask {
    /// The due date: the date part of `dueDateTime` in the zone it was
    /// answered in.
    ///
    /// Graph answers To Do dates in UTC unless the request carried
    /// `Prefer: outlook.timezone` (the client's
    /// [`timezone`](msgraph_core::GraphClientBuilder::timezone), a read's
    /// `.timezone(..)`, or, on create and update, the task's own zone, which
    /// this SDK sends). A due date set east of UTC is midnight of the
    /// evening before in UTC, so for an answer in UTC use
    /// [`due_date_in`](Self::due_date_in) with the user's zone.
    pub fn due_date(&self) -> Option<NaiveDate> {
        self.due_date_time.as_ref().map(|d| d.date_time.date())
    }

    /// The due date as a user in `zone` (IANA or Windows name) sees it,
    /// whatever zone Graph answered in.
    ///
    /// ```
    /// # #[cfg(feature = "tz")] {
    /// use chrono::NaiveDate;
    /// use msgraph_todo::TodoTask;
    /// // Set for 24 Dec in Paris; Graph answers midnight Paris time in UTC.
    /// let t: TodoTask = serde_json::from_str(
    ///     r#"{"title":"Wrap presents","dueDateTime":{"dateTime":"2026-12-23T23:00:00.0000000","timeZone":"UTC"}}"#,
    /// ).unwrap();
    /// assert_eq!(t.due_date(), NaiveDate::from_ymd_opt(2026, 12, 23));
    /// assert_eq!(t.due_date_in("Europe/Paris").unwrap(), NaiveDate::from_ymd_opt(2026, 12, 24));
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`](msgraph_core::Error::InvalidInput) when a zone is unknown.
    pub fn due_date_in(&self, zone: &str) -> msgraph_core::Result<Option<NaiveDate>> {
        self.due_date_time.as_ref().map(|d| d.in_zone(zone).map(|t| t.date())).transpose()
    }

    /// True when the task is completed.
    pub fn is_completed(&self) -> bool {
        self.status == Some(TaskStatus::Completed)
    }
}

/// A sub-step of a task ([checklistItem](https://learn.microsoft.com/graph/api/resources/checklistitem)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ChecklistItem {
    /// The item's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Its text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// True when ticked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_checked: Option<bool>,
    /// When it was created.
    #[serde(default, deserialize_with = "utc::option::deserialize", skip_serializing_if = "Option::is_none")]
    pub created_date_time: Option<DateTime<Utc>>,
    /// When it was ticked.
    #[serde(default, deserialize_with = "utc::option::deserialize", skip_serializing_if = "Option::is_none")]
    pub checked_date_time: Option<DateTime<Utc>>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

/// A link from a task back to where it came from (a mail, a document)
/// ([linkedResource](https://learn.microsoft.com/graph/api/resources/linkedresource)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct LinkedResource {
    /// The link's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// A deep link to the item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web_url: Option<String>,
    /// The app it is in ("Outlook", "OneDrive", your app).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_name: Option<String>,
    /// A title for the link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// The item's id in that app.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// Properties not named above.
    #[serde(flatten)]
    pub additional: Additional,
}

impl LinkedResource {
    /// A link to `web_url` in `application_name`, shown as `display_name`.
    pub fn new(
        web_url: impl Into<String>,
        application_name: impl Into<String>,
        display_name: impl Into<String>,
    ) -> Self {
        LinkedResource {
            web_url: Some(web_url.into()),
            application_name: Some(application_name.into()),
            display_name: Some(display_name.into()),
            ..Default::default()
        }
    }

    /// The item's id in its app (e.g. a message id).
    pub fn external_id(mut self, id: impl Into<String>) -> Self {
        self.external_id = Some(id.into());
        self
    }
}

/// A file attached to a task
/// ([taskFileAttachment](https://learn.microsoft.com/graph/api/resources/taskfileattachment)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TaskFileAttachment {
    /// The attachment's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The file name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Its MIME type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// Its size in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<i64>,
    /// The content, base64 (only when asked for).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_bytes: Option<String>,
    /// When it last changed.
    #[serde(default, deserialize_with = "utc::option::deserialize", skip_serializing_if = "Option::is_none")]
    pub last_modified_date_time: Option<DateTime<Utc>>,
    /// Properties not named above (`@odata.type`).
    #[serde(flatten)]
    pub additional: Additional,
}
