//! Microsoft To Do tools (`todo_*`). Permission: delegated `Tasks.ReadWrite`
//! (`Tasks.Read` for the read-only ones).

use msgraph_core::models::BodyType as GraphBodyType;
use msgraph_todo::{NewTask, TaskPatch, TaskQuery, TaskStatus, TodoExt, TodoTask, TodoTaskList};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::args::{Date, Importance, LocalDateTime, non_blank};
use crate::catalogue::{Access, Service};
use crate::dispatch::{Ctx, Meta, OrTool, Registry, ToolError, body_text, limit, page};

const NO_LIST: &str = "no such task list; call todo_list_task_lists to see the lists and their ids";
const NO_TASK: &str = "no such task in that list; call todo_list_tasks to see the tasks and their ids";
/// Characters of a task's notes in results.
const BODY_CHARS: usize = 1000;

/// A task list, trimmed.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct ListView {
    /// The list's id (pass it as `list_id`).
    id: String,
    /// Its name.
    display_name: String,
    /// `defaultList` (the "Tasks" list) or `flaggedEmails` for built-in lists, which cannot be deleted.
    #[serde(skip_serializing_if = "Option::is_none")]
    wellknown_list_name: Option<String>,
    /// True when it is shared with others.
    #[serde(skip_serializing_if = "Option::is_none")]
    is_shared: Option<bool>,
}

impl From<TodoTaskList> for ListView {
    fn from(l: TodoTaskList) -> Self {
        ListView {
            id: l.id.unwrap_or_default(),
            display_name: l.display_name.unwrap_or_default(),
            wellknown_list_name: l.wellknown_list_name.as_ref().map(|w| w.as_str().to_owned()).filter(|w| w != "none"),
            is_shared: l.is_shared,
        }
    }
}

/// A task, trimmed.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct TaskView {
    /// The task's id (pass it as `task_id`).
    id: String,
    /// Its title.
    title: String,
    /// notStarted, inProgress, completed, waitingOnOthers or deferred.
    status: String,
    /// low, normal or high.
    importance: String,
    /// The due date, YYYY-MM-DD.
    #[serde(skip_serializing_if = "Option::is_none")]
    due_date: Option<String>,
    /// When the reminder fires (local date and time) and in which zone.
    #[serde(skip_serializing_if = "Option::is_none")]
    reminder: Option<String>,
    /// The notes as plain text (cut after 1,000 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<String>,
    /// When it was completed (date and time, with its zone).
    #[serde(skip_serializing_if = "Option::is_none")]
    completed: Option<String>,
    /// Categories.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    categories: Vec<String>,
}

impl From<TodoTask> for TaskView {
    fn from(t: TodoTask) -> Self {
        let due_date = t.due_date().map(|d| d.to_string());
        let stamp = |d: &msgraph_core::models::DateTimeTimeZone| match &d.time_zone {
            Some(z) => format!("{} ({z})", d.date_time.format("%Y-%m-%dT%H:%M:%S")),
            None => d.date_time.format("%Y-%m-%dT%H:%M:%S").to_string(),
        };
        TaskView {
            due_date,
            reminder: t.reminder_date_time.as_ref().filter(|_| t.is_reminder_on != Some(false)).map(stamp),
            completed: t.completed_date_time.as_ref().map(stamp),
            body: t
                .body
                .as_ref()
                .map(|b| body_text(b.content_type == GraphBodyType::Html, &b.content, BODY_CHARS))
                .filter(|s| !s.is_empty()),
            id: t.id.unwrap_or_default(),
            title: t.title.unwrap_or_default(),
            status: t.status.map(|s| s.as_str().to_owned()).unwrap_or_else(|| "notStarted".into()),
            importance: t.importance.map(|i| i.as_str().to_owned()).unwrap_or_else(|| "normal".into()),
            categories: t.categories.unwrap_or_default(),
        }
    }
}

#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Lists {
    /// The task lists.
    lists: Vec<ListView>,
    /// Pass as `cursor` to get the next lists; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    next_cursor: Option<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct TaskPage {
    /// The tasks.
    tasks: Vec<TaskView>,
    /// Pass as `cursor` to get the next tasks; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    next_cursor: Option<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Deleted {
    /// True: it is gone.
    deleted: bool,
    /// The id that was deleted.
    id: String,
}

/// Arguments of `todo_list_task_lists`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListListsArgs {
    /// How many lists to return (1-50, default 10).
    limit: Option<u32>,
    /// The `next_cursor` of an earlier call, for the next lists.
    cursor: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListIdArgs {
    /// The list's id, from todo_list_task_lists.
    list_id: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CreateListArgs {
    /// The new list's name.
    display_name: String,
}

/// Which tasks to list.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) enum StatusFilter {
    /// Not started.
    NotStarted,
    /// In progress.
    InProgress,
    /// Completed.
    Completed,
    /// Waiting on others.
    WaitingOnOthers,
    /// Deferred.
    Deferred,
    /// Everything not completed yet.
    Incomplete,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListTasksArgs {
    /// The list's id, from todo_list_task_lists.
    list_id: String,
    /// Only tasks in this status; `incomplete` means every status but completed.
    status: Option<StatusFilter>,
    /// How many tasks to return (1-50, default 10).
    limit: Option<u32>,
    /// The `next_cursor` of an earlier call, for the next tasks.
    cursor: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct TaskIdArgs {
    /// The list's id, from todo_list_task_lists.
    list_id: String,
    /// The task's id, from todo_list_tasks.
    task_id: String,
}

/// A task's status as it can be set.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) enum Status {
    /// Not started.
    NotStarted,
    /// In progress.
    InProgress,
    /// Completed.
    Completed,
    /// Waiting on others.
    WaitingOnOthers,
    /// Deferred.
    Deferred,
}

impl From<Status> for TaskStatus {
    fn from(s: Status) -> Self {
        match s {
            Status::NotStarted => TaskStatus::NotStarted,
            Status::InProgress => TaskStatus::InProgress,
            Status::Completed => TaskStatus::Completed,
            Status::WaitingOnOthers => TaskStatus::WaitingOnOthers,
            Status::Deferred => TaskStatus::Deferred,
        }
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CreateTaskArgs {
    /// The list's id, from todo_list_task_lists.
    list_id: String,
    /// The task's title, e.g. "Buy groceries".
    title: String,
    /// Notes, plain text.
    body: Option<String>,
    /// The due date, YYYY-MM-DD.
    due_date: Option<Date>,
    /// low, normal (default) or high.
    importance: Option<Importance>,
    /// When to remind the user: local date and time YYYY-MM-DDTHH:MM:SS in `time_zone`.
    reminder_date_time: Option<LocalDateTime>,
    /// The IANA or Windows time zone of the due date and reminder (default: the client's, else UTC).
    time_zone: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct UpdateTaskArgs {
    /// The list's id, from todo_list_task_lists.
    list_id: String,
    /// The task's id, from todo_list_tasks.
    task_id: String,
    /// A new title.
    title: Option<String>,
    /// New notes, plain text.
    body: Option<String>,
    /// A new due date, YYYY-MM-DD.
    due_date: Option<Date>,
    /// low, normal or high.
    importance: Option<Importance>,
    /// notStarted, inProgress, completed (marks it done), waitingOnOthers or deferred.
    status: Option<Status>,
    /// A new reminder: local date and time YYYY-MM-DDTHH:MM:SS in `time_zone`.
    reminder_date_time: Option<LocalDateTime>,
    /// The time zone of `due_date` and `reminder_date_time` (default: the client's, else UTC).
    time_zone: Option<String>,
}

async fn list_lists(ctx: Ctx, a: ListListsArgs) -> Result<Lists, ToolError> {
    let n = limit(a.limit)?;
    let (lists, next_cursor) = page(&ctx, ctx.client.me().todo().lists(), n, a.cursor.as_deref(), NO_LIST).await?;
    Ok(Lists { lists: lists.into_iter().map(ListView::from).collect(), next_cursor })
}

async fn get_list(ctx: Ctx, a: ListIdArgs) -> Result<ListView, ToolError> {
    let id = non_blank("list_id", &a.list_id)?;
    Ok(ctx.client.me().todo().list(id).send().await.or_tool(NO_LIST)?.into())
}

async fn create_list(ctx: Ctx, a: CreateListArgs) -> Result<ListView, ToolError> {
    let name = non_blank("display_name", &a.display_name)?;
    Ok(ctx.client.me().todo().create_list(name).send().await.or_tool(NO_LIST)?.into())
}

async fn delete_list(ctx: Ctx, a: ListIdArgs) -> Result<Deleted, ToolError> {
    let id = non_blank("list_id", &a.list_id)?;
    let todo = ctx.client.me().todo();
    // Read it first: built-in lists cannot be deleted, and the SDK refuses them before sending.
    let list = todo.list(id).send().await.or_tool(NO_LIST)?;
    if list.is_built_in() {
        return Err(ToolError::new(format!(
            "`{}` is a built-in list and cannot be deleted",
            list.display_name.as_deref().unwrap_or(id)
        )));
    }
    todo.delete_list(&list).send().await.or_tool(NO_LIST)?;
    Ok(Deleted { deleted: true, id: id.to_owned() })
}

async fn list_tasks(ctx: Ctx, a: ListTasksArgs) -> Result<TaskPage, ToolError> {
    let n = limit(a.limit)?;
    let id = non_blank("list_id", &a.list_id)?;
    let mut list = ctx.client.me().todo().tasks(id).list();
    list = match a.status {
        None => list,
        Some(StatusFilter::Incomplete) => list.incomplete(),
        Some(StatusFilter::NotStarted) => list.status(TaskStatus::NotStarted),
        Some(StatusFilter::InProgress) => list.status(TaskStatus::InProgress),
        Some(StatusFilter::Completed) => list.status(TaskStatus::Completed),
        Some(StatusFilter::WaitingOnOthers) => list.status(TaskStatus::WaitingOnOthers),
        Some(StatusFilter::Deferred) => list.status(TaskStatus::Deferred),
    };
    let (tasks, next_cursor) = page(&ctx, list, n, a.cursor.as_deref(), NO_LIST).await?;
    Ok(TaskPage { tasks: tasks.into_iter().map(TaskView::from).collect(), next_cursor })
}

async fn get_task(ctx: Ctx, a: TaskIdArgs) -> Result<TaskView, ToolError> {
    let (list, task) = (non_blank("list_id", &a.list_id)?, non_blank("task_id", &a.task_id)?);
    Ok(ctx.client.me().todo().tasks(list).get(task).send().await.or_tool(NO_TASK)?.into())
}

async fn create_task(ctx: Ctx, a: CreateTaskArgs) -> Result<TaskView, ToolError> {
    let list = non_blank("list_id", &a.list_id)?;
    let mut task = NewTask::new(non_blank("title", &a.title)?);
    if let Some(b) = a.body {
        task = task.text_body(b);
    }
    if let Some(d) = a.due_date {
        task = task.due(d.0);
    }
    if let Some(i) = a.importance {
        task = task.importance(i.into());
    }
    if let Some(r) = a.reminder_date_time {
        task = task.reminder(r.0);
    }
    if let Some(z) = a.time_zone {
        task = task.time_zone(z);
    }
    Ok(ctx.client.me().todo().tasks(list).create(task).send().await.or_tool(NO_LIST)?.into())
}

async fn update_task(ctx: Ctx, a: UpdateTaskArgs) -> Result<TaskView, ToolError> {
    let (list, id) = (non_blank("list_id", &a.list_id)?, non_blank("task_id", &a.task_id)?);
    let mut patch = TaskPatch::new();
    let mut any = false;
    if let Some(t) = a.title {
        patch = patch.title(non_blank("title", &t)?);
        any = true;
    }
    if let Some(b) = a.body {
        patch = patch.text_body(b);
        any = true;
    }
    if let Some(d) = a.due_date {
        patch = patch.due(d.0);
        any = true;
    }
    if let Some(i) = a.importance {
        patch = patch.importance(i.into());
        any = true;
    }
    if let Some(s) = a.status {
        patch = patch.status(s.into());
        any = true;
    }
    if let Some(r) = a.reminder_date_time {
        patch = patch.reminder(r.0);
        any = true;
    }
    if let Some(z) = a.time_zone {
        patch = patch.time_zone(z);
    }
    if !any {
        return Err(ToolError::new(
            "nothing to change: pass at least one of title, body, due_date, importance, status, reminder_date_time",
        ));
    }
    Ok(ctx.client.me().todo().tasks(list).update(id, patch).send().await.or_tool(NO_TASK)?.into())
}

async fn delete_task(ctx: Ctx, a: TaskIdArgs) -> Result<Deleted, ToolError> {
    let (list, id) = (non_blank("list_id", &a.list_id)?, non_blank("task_id", &a.task_id)?);
    ctx.client.me().todo().tasks(list).delete(id).send().await.or_tool(NO_TASK)?;
    Ok(Deleted { deleted: true, id: id.to_owned() })
}

pub(crate) fn register(r: &mut Registry) {
    let todo = |name, title, description, access| Meta { name, title, description, service: Service::Todo, access };
    r.add(
        todo(
            "todo_list_task_lists",
            "List To Do task lists",
            "List the user's Microsoft To Do task lists (id, name; built-in lists have wellknown_list_name \
             `defaultList` for \"Tasks\" or `flaggedEmails`). Call this first to find the `list_id` the other \
             todo_* tools need. Returns {lists, next_cursor}.",
            Access::Read,
        ),
        list_lists,
    );
    r.add(
        todo(
            "todo_get_task_list",
            "Get a task list",
            "Get one To Do task list by its id. Returns {id, display_name, wellknown_list_name, is_shared}.",
            Access::Read,
        ),
        get_list,
    );
    r.add(
        todo(
            "todo_create_task_list",
            "Create a task list",
            "Create a new To Do task list with this name. Returns the new list with its id.",
            Access::Write,
        ),
        create_list,
    );
    r.add(
        todo(
            "todo_delete_task_list",
            "Delete a task list",
            "Delete a To Do task list and every task in it, permanently. Built-in lists (Tasks, Flagged \
             emails) cannot be deleted. Returns {deleted, id}.",
            Access::Destructive,
        ),
        delete_list,
    );
    r.add(
        todo(
            "todo_list_tasks",
            "List tasks",
            "List the tasks of a To Do list, optionally only those in one status (`incomplete` = not completed). \
             Each task has id, title, status, importance, due_date (YYYY-MM-DD), reminder, body. Returns \
             {tasks, next_cursor}; pass next_cursor as `cursor` for more.",
            Access::Read,
        ),
        list_tasks,
    );
    r.add(
        todo(
            "todo_get_task",
            "Get a task",
            "Get one task of a To Do list by id, with its notes. Returns the task.",
            Access::Read,
        ),
        get_task,
    );
    r.add(
        todo(
            "todo_create_task",
            "Create a task",
            "Add a task to a To Do list: title, and optionally notes (body), due_date (YYYY-MM-DD), importance \
             (low/normal/high), reminder_date_time (local YYYY-MM-DDTHH:MM:SS) and their time_zone. For \"my \
             Tasks list\" use the list whose wellknown_list_name is defaultList. Returns the new task with its id.",
            Access::Write,
        ),
        create_task,
    );
    r.add(
        todo(
            "todo_update_task",
            "Update a task",
            "Change a task: title, body, due_date, importance, status (status=completed marks it done), \
             reminder_date_time. Only the fields given change. Returns the updated task.",
            Access::Write,
        ),
        update_task,
    );
    r.add(
        todo(
            "todo_delete_task",
            "Delete a task",
            "Delete a task from a To Do list, permanently. Returns {deleted, id}.",
            Access::Destructive,
        ),
        delete_task,
    );
}
